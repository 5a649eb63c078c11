/*
 * test_kv_qprovider.c - quantized pools on a storage provider that does the row work itself
 * (cc_kv_storage.quant_blocks and .regroup: what the CUDA backend provides, run here by a
 * host-memory stand-in written only with kv/'s public format functions). The same random run
 * of appends, seals, forks and compactions on a host pool and on the provider's pool must hold
 * the same block tables, byte counts, positions and rows (bit for bit: both quantize the same
 * f32 rows), and a failing provider must leave the sequence usable: a failed seal keeps the
 * full-precision blocks, a failed compaction empties the layer. Runs in CI (no GPU needed).
 */
#include "cc_common.h"
#include "cc_kv.h"
#include "test.h"
#include "../num_util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NL 2
#define NH 2
#define HD 64
#define BT 32

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t urand32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static float frand(void)
{
	return (float)urand32() / 4294967296.0f * 2.0f - 1.0f;
}


/* ---- the stand-in provider: host memory, rows moved with the public format functions ---- */

static int fail_next; /* make the next hook call fail (as a device error would) */
static int hook_calls;

static int st_alloc(void *ctx, void **out, size_t bytes)
{
	(void)ctx;
	*out = malloc(bytes);
	return *out ? CC_OK : CC_ENOMEM;
}

static void st_release(void *ctx, void *base)
{
	(void)ctx;
	free(base);
}

static int st_copy(void *ctx, void *base, size_t dst, size_t src, size_t bytes)
{
	(void)ctx;
	memcpy((char *)base + dst, (char *)base + src, bytes);
	return CC_OK;
}

static int st_move_rows(void *ctx, void *base, const cc_kv_move *m, size_t n, size_t rb)
{
	(void)ctx;
	for (size_t i = 0; i < n; i++)
		memmove((char *)base + m[i].dst, (char *)base + m[i].src, rb);
	return CC_OK;
}

/* Row `slot` of (block, v, head) as f32 in the original space. */
static void any_row(const cc_kv_pool *p, int32_t b, int v, int h, int slot, float *out)
{
	const cc_kv_qlayout *ly = cc_kv_pool_qlayout(p);
	const char *base = cc_kv_pool_base(p);
	if (cc_kv_block_is_quant(p, b)) {
		const char *part = base + cc_kv_block_offset(p, b) +
		                   (v ? (size_t)NH * ly->k_head_bytes + (size_t)h * ly->v_head_bytes
		                      : (size_t)h * ly->k_head_bytes);
		cc_kv_qrow_dequant(ly, v, part, slot, out);
		if (ly->rotate)
			cc_kv_hadamard(out, HD);
		return;
	}
	const uint16_t *r = (const uint16_t *)(base + cc_kv_offset(p, b, v, h, slot));
	for (int d = 0; d < HD; d++)
		out[d] = bf2f(r[d]);
}

/* Quantize rows [2][NH][BT][HD] (f32) into quantized block qb. */
static void put_qblock(const cc_kv_pool *p, int32_t qb, const float *rows)
{
	const cc_kv_qlayout *ly = cc_kv_pool_qlayout(p);
	char *blk = (char *)cc_kv_pool_base(p) + cc_kv_block_offset(p, qb);
	static float scratch[BT * HD];
	for (int v = 0; v < 2; v++)
		for (int h = 0; h < NH; h++)
			cc_kv_qhead_quant(ly, v,
			                  blk + (v ? (size_t)NH * ly->k_head_bytes +
			                                         (size_t)h * ly->v_head_bytes
			                           : (size_t)h * ly->k_head_bytes),
			                  rows + ((size_t)v * NH + h) * BT * HD, scratch);
}

static int st_quant_blocks(void *ctx, const cc_kv_pool *p, const int32_t *pairs, size_t n)
{
	static float rows[2 * NH * BT * HD];
	(void)ctx;
	hook_calls++;
	if (fail_next) {
		fail_next = 0;
		return cc_error_set(CC_ECUDA, "stand-in provider: injected failure");
	}
	for (size_t k = 0; k < n; k++) {
		CHECK(!cc_kv_block_is_quant(p, pairs[2 * k]) && cc_kv_block_is_quant(p, pairs[2 * k + 1]));
		for (int v = 0; v < 2; v++)
			for (int h = 0; h < NH; h++)
				for (int t = 0; t < BT; t++)
					any_row(p, pairs[2 * k], v, h, t,
					        rows + (((size_t)v * NH + h) * BT + t) * HD);
		put_qblock(p, pairs[2 * k + 1], rows);
	}
	return CC_OK;
}

static int st_regroup(void *ctx, const cc_kv_pool *p, const int32_t *src, size_t n_src,
                      const int32_t *keep, size_t n_keep, const int32_t *dst, size_t n_dst)
{
	/* every kept row read first ([2][NH][n_keep][HD]), then the new blocks written */
	float *rows = malloc(2 * NH * (n_keep + 1) * HD * sizeof(float));
	static float blk[2 * NH * BT * HD];
	(void)ctx;
	hook_calls++;
	if (fail_next || !rows) {
		fail_next = 0;
		free(rows);
		return cc_error_set(CC_ECUDA, "stand-in provider: injected failure");
	}
	for (int v = 0; v < 2; v++)
		for (int h = 0; h < NH; h++)
			for (size_t i = 0; i < n_keep; i++) {
				size_t s = (size_t)keep[(size_t)h * n_keep + i];
				CHECK(s / BT < n_src);
				any_row(p, src[s / BT], v, h, (int)(s % BT),
				        rows + (((size_t)v * NH + h) * n_keep + i) * HD);
			}
	for (size_t b = 0; b < n_dst; b++) {
		size_t cnt = n_keep - b * BT < BT ? n_keep - b * BT : BT;
		if (cc_kv_block_is_quant(p, dst[b])) {
			CHECK(cnt == BT);
			for (int v = 0; v < 2; v++)
				for (int h = 0; h < NH; h++)
					memcpy(blk + ((size_t)v * NH + h) * BT * HD,
					       rows + (((size_t)v * NH + h) * n_keep + b * BT) * HD,
					       (size_t)BT * HD * sizeof(float));
			put_qblock(p, dst[b], blk);
			continue;
		}
		for (int v = 0; v < 2; v++)
			for (int h = 0; h < NH; h++)
				for (size_t t = 0; t < cnt; t++) {
					uint16_t *r = (uint16_t *)((char *)cc_kv_pool_base(p) +
					                           cc_kv_offset(p, dst[b], v, h, (int)t));
					const float *x = rows + (((size_t)v * NH + h) * n_keep + b * BT + t) * HD;
					for (int d = 0; d < HD; d++)
						r[d] = f2bf(x[d]);
				}
	}
	free(rows);
	return CC_OK;
}

static const cc_kv_storage stand_in = {"stand-in", st_alloc, st_release, st_copy,
                                       st_move_rows, st_quant_blocks, st_regroup};

/* ---- the run ---- */

/* Write the K/V rows of the n tokens just appended at first[l] in both sequences. */
static void write_new(cc_kv_seq *const *ss, cc_kv_pool *const *pp, const int32_t *first,
                      size_t n)
{
	for (int l = 0; l < NL; l++)
		for (size_t i = 0; i < n; i++)
			for (int h = 0; h < NH; h++)
				for (int v = 0; v < 2; v++) {
					uint16_t row[HD];
					for (int d = 0; d < HD; d++)
						row[d] = f2bf(frand() * (d % 16 == 3 ? 9.0f : 1.0f));
					for (int k = 0; k < 2; k++)
						memcpy((char *)cc_kv_pool_base(pp[k]) +
						               cc_kv_slot_offset(ss[k], l, v, h,
						                                 (size_t)first[l] + i),
						       row, sizeof(row));
				}
}

/* The two sequences hold the same tables' classes, positions and rows. */
static void same(const cc_kv_seq *a, const cc_kv_pool *pa, const cc_kv_seq *b,
                 const cc_kv_pool *pb, const char *what)
{
	int bad = 0;
	CHECK_EQ_INT(cc_kv_seq_bytes(a), cc_kv_seq_bytes(b));
	for (int l = 0; l < NL; l++) {
		size_t na, nb;
		const int32_t *ta = cc_kv_seq_blocks(a, l, &na), *tb = cc_kv_seq_blocks(b, l, &nb);
		CHECK_EQ_INT(na, nb);
		CHECK_EQ_INT(cc_kv_seq_len(a, l), cc_kv_seq_len(b, l));
		for (size_t i = 0; i < na && i < nb; i++)
			bad += cc_kv_block_is_quant(pa, ta[i]) != cc_kv_block_is_quant(pb, tb[i]);
		size_t len = cc_kv_seq_len(a, l);
		for (int h = 0; h < NH; h++) {
			bad += memcmp(cc_kv_seq_positions(a, l, h), cc_kv_seq_positions(b, l, h),
			              len * sizeof(int32_t)) != 0;
			for (size_t j = 0; j < len && len == cc_kv_seq_len(b, l); j++)
				for (int v = 0; v < 2; v++) {
					float x[HD], y[HD];
					any_row(pa, ta[j / BT], v, h, (int)(j % BT), x);
					any_row(pb, tb[j / BT], v, h, (int)(j % BT), y);
					bad += memcmp(x, y, sizeof(x)) != 0;
				}
		}
	}
	if (bad)
		fprintf(stderr, "%s: %d differences\n", what, bad);
	CHECK_EQ_INT(bad, 0);
}

static void run(int method, int bits)
{
	cc_kv_config cfg = {NL, NH, HD, BT, CC_KV_BF16, 40};
	cc_kv_qconfig q = {method, bits, BT, 60};
	cc_kv_pool *pool[2] = {NULL, NULL};
	cc_kv_seq *seq[2] = {NULL, NULL}, *fork[2] = {NULL, NULL};
	int32_t pos[200], first[NL];
	CHECK_EQ_INT(cc_kv_pool_new_quant(&pool[0], &cfg, &q, NULL, NULL), CC_OK);
	CHECK_EQ_INT(cc_kv_pool_new_quant(&pool[1], &cfg, &q, &stand_in, NULL), CC_OK);
	if (!pool[0] || !pool[1])
		goto out;
	for (int k = 0; k < 2; k++)
		CHECK_EQ_INT(cc_kv_seq_new(&seq[k], pool[k]), CC_OK);
	/* appends of varied sizes, each followed by a seal (as the engine does) */
	static const size_t chunks[] = {70, 1, 1, 33, 5, 64, 2};
	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		size_t n = chunks[c];
		int32_t p0 = cc_kv_seq_next_pos(seq[0]);
		for (size_t i = 0; i < n; i++)
			pos[i] = p0 + (int32_t)i;
		for (int k = 0; k < 2; k++)
			CHECK_EQ_INT(cc_kv_seq_append(seq[k], n, pos, first), CC_OK);
		write_new(seq, pool, first, n);
		for (int k = 0; k < 2; k++)
			CHECK_EQ_INT(cc_kv_seq_seal(seq[k]), CC_OK);
		same(seq[0], pool[0], seq[1], pool[1], "after append + seal");
		if (c == 3) /* a fork shares the blocks; it is compacted below, the original not */
			for (int k = 0; k < 2; k++)
				CHECK_EQ_INT(cc_kv_seq_fork(&fork[k], seq[k]), CC_OK);
	}
	{
		cc_kv_pool_stats s0, s1;
		cc_kv_pool_stats_get(&s0, pool[0]);
		cc_kv_pool_stats_get(&s1, pool[1]);
		CHECK_EQ_INT(s0.qblocks_used, s1.qblocks_used);
		CHECK_EQ_INT(s0.bytes_used, s1.bytes_used);
		CHECK(s1.qblocks_used > 0);
	}
	/* compaction of the fork: every third token per head, shifted per head */
	for (int l = 0; l < NL; l++) {
		size_t len = cc_kv_seq_len(fork[0], l), nk = 0;
		int32_t *keep = malloc(NH * len * sizeof(int32_t));
		for (size_t j = 0; j < len; j += 3)
			nk++;
		for (int h = 0; h < NH; h++)
			for (size_t i = 0; i < nk; i++)
				keep[(size_t)h * nk + i] = (int32_t)(i * 3 + (h && i * 3 + 1 < len ? 1 : 0));
		for (int k = 0; k < 2; k++)
			CHECK_EQ_INT(cc_kv_seq_compact(fork[k], l, keep, nk), CC_OK);
		free(keep);
	}
	same(fork[0], pool[0], fork[1], pool[1], "compacted fork");
	same(seq[0], pool[0], seq[1], pool[1], "the original after its fork's compaction");
	/* a failed seal: the blocks stay full precision and readable */
	{
		int32_t p0 = cc_kv_seq_next_pos(seq[1]);
		size_t used;
		cc_kv_pool_stats st;
		for (int i = 0; i < 40; i++)
			pos[i] = p0 + i;
		for (int k = 0; k < 2; k++)
			CHECK_EQ_INT(cc_kv_seq_append(seq[k], 40, pos, first), CC_OK);
		write_new(seq, pool, first, 40);
		cc_kv_pool_stats_get(&st, pool[1]);
		used = st.qblocks_used;
		fail_next = 1;
		CHECK_EQ_INT(cc_kv_seq_seal(seq[1]), CC_ECUDA);
		CHECK(strstr(cc_error_last(), "injected") != NULL);
		cc_kv_pool_stats_get(&st, pool[1]);
		CHECK_EQ_INT(st.qblocks_used, used);
		CHECK_EQ_INT(cc_kv_seq_seal(seq[0]), CC_OK);
		CHECK_EQ_INT(cc_kv_seq_seal(seq[1]), CC_OK); /* and a later seal catches up */
		same(seq[0], pool[0], seq[1], pool[1], "after a failed seal and a retry");
	}
	/* a failed compaction empties the layer, the pool's accounting stays exact */
	{
		int32_t keep[NH * 4] = {0, 1, 2, 3, 0, 1, 2, 3};
		cc_kv_pool_stats st;
		fail_next = 1;
		CHECK_EQ_INT(cc_kv_seq_compact(seq[1], 0, keep, 4), CC_ECUDA);
		CHECK_EQ_INT(cc_kv_seq_len(seq[1], 0), 0);
		cc_kv_seq_free(seq[1]);
		seq[1] = NULL;
		cc_kv_seq_free(fork[1]);
		fork[1] = NULL;
		cc_kv_pool_stats_get(&st, pool[1]);
		CHECK_EQ_INT(st.blocks_used, 0);
		CHECK_EQ_INT(st.qblocks_used, 0);
	}
	CHECK(hook_calls > 0);
out:
	for (int k = 0; k < 2; k++) {
		cc_kv_seq_free(seq[k]);
		cc_kv_seq_free(fork[k]);
		cc_kv_pool_free(pool[k]);
	}
}

int main(void)
{
	static const int bits[3] = {8, 4, 2};
	for (int method = CC_KV_QUANT_KIVI; method <= CC_KV_QUANT_ROTATED; method++)
		for (int b = 0; b < 3; b++)
			run(method, bits[b]);
	/* a provider with only one of the two hooks cannot hold a quantized pool */
	{
		static const cc_kv_storage half = {"half", st_alloc, st_release, st_copy,
		                                   st_move_rows, st_quant_blocks, NULL};
		cc_kv_config cfg = {NL, NH, HD, BT, CC_KV_BF16, 4};
		cc_kv_qconfig q = {CC_KV_QUANT_KIVI, 4, BT, 4};
		cc_kv_pool *p = NULL;
		CHECK_EQ_INT(cc_kv_pool_new_quant(&p, &cfg, &q, &half, NULL), CC_EUNSUPPORTED);
		CHECK(strstr(cc_error_last(), "half") != NULL);
	}
	return test_result();
}
