/*
 * test_kv_ragged.c - ragged layers of the paged KV cache (a different number of tokens per KV
 * head, cc_kv_seq_compact_heads): every kept slot holds the rows of the position it records
 * after compaction, appends, forks and a second compaction, checked against a plain model
 * (per head, the list of positions kept); the layer holds exactly
 * ceil(sum_h ceil(len_h / bt) / heads) blocks after a compaction and the rest return to the
 * pool; cc_kv_seq_append_need is the exact number of blocks an append takes; forks share
 * blocks copy-on-write without disturbing each other; bad input is refused with nothing
 * changed; the same through a device-like storage provider (rows moved only by it).
 */
#include "cc_common.h"
#include "cc_kv.h"
#include "test.h"

#include <stdint.h>

enum { NL = 2,
       NH = 4,
       HD = 4,
       BT = 8,
       MAXP = 4096 };

static cc_kv_pool *g_pool;

#define CC_OK_OR_DIE(call)                                                            \
	do {                                                                          \
		if ((call) != CC_OK) {                                                \
			fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, \
			        cc_error_last());                                     \
			exit(1);                                                      \
		}                                                                     \
	} while (0)

static float val(int layer, int v, int head, int pos, int d)
{
	return (float)(layer * 100000 + v * 50000 + head * 10000) + (float)pos + (float)d * 0.125f;
}

/* Where rows are: the pool's base, or the fake device's memory (g_mem). */
static unsigned char *g_mem;

static float *rowp(const cc_kv_seq *s, int l, int v, int h, size_t slot)
{
	unsigned char *base = g_mem ? g_mem : (unsigned char *)cc_kv_pool_base(g_pool);
	return (float *)(base + cc_kv_slot_offset(s, l, v, h, slot));
}

/* A provider standing in for device memory: the pool's "base" is an opaque handle, so any
 * direct access by the bookkeeping would crash; rows move only through copy / move_rows. */
typedef struct {
	unsigned char *mem;
	size_t moves, copies;
} fake_dev;

static int fd_alloc(void *ctx, void **out, size_t bytes)
{
	fake_dev *d = ctx;
	if (!(d->mem = calloc(1, bytes)))
		return CC_ENOMEM;
	*out = (void *)(uintptr_t)0x10;
	return CC_OK;
}

static void fd_release(void *ctx, void *base)
{
	(void)base;
	free(((fake_dev *)ctx)->mem);
}

static int fd_copy(void *ctx, void *base, size_t dst, size_t src, size_t bytes)
{
	fake_dev *d = ctx;
	(void)base;
	memcpy(d->mem + dst, d->mem + src, bytes);
	d->copies++;
	return CC_OK;
}

static int fd_move_rows(void *ctx, void *base, const cc_kv_move *mv, size_t n, size_t rb)
{
	fake_dev *d = ctx;
	(void)base;
	for (size_t i = 0; i < n; i++)
		memmove(d->mem + mv[i].dst, d->mem + mv[i].src, rb);
	d->moves += n;
	return CC_OK;
}

/* The model: positions kept per (layer, head), in slot order. */
typedef struct {
	int32_t pos[NL][NH][MAXP];
	size_t len[NL][NH];
} model;

static uint64_t g_rng = 12345;
static uint32_t rnd(uint32_t n)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (uint32_t)(g_rng % n);
}

/* Append n tokens at the next positions, write their rows through cc_kv_seq_head_slot, and
 * check that the blocks taken equal cc_kv_seq_append_need. */
static int append_write(cc_kv_seq *s, model *m, int n)
{
	int32_t pos[256], first[NL];
	int32_t p0 = cc_kv_seq_next_pos(s);
	size_t need = cc_kv_seq_append_need(s, (size_t)n), free0 = cc_kv_pool_free_blocks(g_pool);
	for (int i = 0; i < n; i++)
		pos[i] = p0 + i;
	int rc = cc_kv_seq_append(s, (size_t)n, pos, first);
	if (rc)
		return rc;
	CHECK_EQ_INT(free0 - cc_kv_pool_free_blocks(g_pool), need);
	for (int l = 0; l < NL; l++)
		for (int h = 0; h < NH; h++) {
			size_t hs = cc_kv_seq_head_slot(s, l, h, (size_t)first[l]);
			CHECK_EQ_INT(hs, m->len[l][h]);
			for (int i = 0; i < n; i++) {
				for (int v = 0; v < 2; v++) {
					float *r = rowp(s, l, v, h, hs + (size_t)i);
					for (int d = 0; d < HD; d++)
						r[d] = val(l, v, h, pos[i], d);
				}
				m->pos[l][h][m->len[l][h]++] = pos[i];
			}
		}
	return 0;
}

/* cc_kv_seq_head_lanes of (l, h) addresses every slot of the head where cc_kv_slot_offset
 * does (the CUDA attention reads rows through these ids alone), and no lane id is used twice
 * among the layer's heads (seen: NH * MAXP flags, cleared per layer by the caller). */
static int lanes_agree(const cc_kv_seq *s, int l, int h, size_t n, unsigned char *seen)
{
	static int32_t ids[MAXP];
	size_t nl = cc_kv_seq_head_lanes(s, l, h, ids);
	if (nl != (n + BT - 1) / BT)
		return 0;
	for (size_t k = 0; k < nl; k++) {
		if (ids[k] < 0 || (size_t)ids[k] >= (size_t)NH * MAXP || seen[ids[k]]++)
			return 0;
	}
	for (size_t j = 0; j < n; j++)
		for (int v = 0; v < 2; v++) {
			int32_t id = ids[j / BT];
			if (cc_kv_offset(g_pool, id / NH, v, id % NH, (int)(j % BT)) !=
			    cc_kv_slot_offset(s, l, v, h, j))
				return 0;
		}
	return 1;
}

/* The sequence agrees with the model: lengths, positions and every row. */
static int matches(const cc_kv_seq *s, const model *m)
{
	static unsigned char seen[NH * MAXP];
	for (int l = 0; l < NL; l++) {
		size_t mx = 0;
		memset(seen, 0, sizeof(seen));
		for (int h = 0; h < NH; h++) {
			size_t n = m->len[l][h];
			if (n > mx)
				mx = n;
			if (cc_kv_seq_head_len(s, l, h) != n)
				return 0;
			if (!lanes_agree(s, l, h, n, seen))
				return 0;
			const int32_t *ps = cc_kv_seq_positions(s, l, h);
			for (size_t j = 0; j < n; j++) {
				if (ps[j] != m->pos[l][h][j])
					return 0;
				for (int v = 0; v < 2; v++) {
					const float *r = rowp(s, l, v, h, j);
					for (int d = 0; d < HD; d++)
						if (r[d] != val(l, v, h, ps[j], d))
							return 0;
				}
			}
		}
		if (cc_kv_seq_len(s, l) != mx)
			return 0;
	}
	return 1;
}

/* Keep per head a random subset of random size (at least 1 when `floor1`) in layer l. */
static int compact_random(cc_kv_seq *s, model *m, int l)
{
	static int32_t keep[NH * MAXP];
	size_t cnt[NH], o = 0;
	for (int h = 0; h < NH; h++) {
		size_t n = m->len[l][h], c = 0;
		uint32_t pct = 5 + rnd(90);
		for (size_t j = 0; j < n; j++)
			if (rnd(100) < pct)
				keep[o + c++] = (int32_t)j;
		for (size_t i = 0; i < c; i++)
			m->pos[l][h][i] = m->pos[l][h][keep[o + i]];
		m->len[l][h] = c;
		cnt[h] = c;
		o += c;
	}
	return cc_kv_seq_compact_heads(s, l, keep, cnt);
}

/* Blocks a layer needs when packed by lanes. */
static size_t packed_blocks(const model *m, int l)
{
	size_t lanes = 0;
	for (int h = 0; h < NH; h++)
		lanes += (m->len[l][h] + BT - 1) / BT;
	return (lanes + NH - 1) / NH;
}

static void test_basic(void)
{
	cc_kv_seq *s;
	model *m = calloc(1, sizeof(*m));
	cc_kv_pool_stats st;
	CC_OK_OR_DIE(cc_kv_seq_new(&s, g_pool));
	CHECK_EQ_INT(append_write(s, m, 100), CC_OK);
	CHECK_EQ_INT(cc_kv_seq_ragged(s, 0), 0);
	/* head 0 keeps 90, head 1 keeps 10, head 2 keeps 3, head 3 none: 12 + 2 + 1 lanes = 4
	 * blocks instead of 13 */
	static int32_t keep[200];
	size_t cnt[NH] = {90, 10, 3, 0}, o = 0;
	for (int h = 0; h < NH; h++) {
		for (size_t i = 0; i < cnt[h]; i++) {
			keep[o + i] = (int32_t)(h == 0 ? i + 10 : i * 7);
			m->pos[0][h][i] = keep[o + i];
		}
		m->len[0][h] = cnt[h];
		o += cnt[h];
	}
	size_t held0 = cc_kv_seq_blocks_held(s);
	CHECK_EQ_INT(cc_kv_seq_compact_heads(s, 0, keep, cnt), CC_OK);
	CHECK_EQ_INT(cc_kv_seq_ragged(s, 0), 1);
	CHECK_EQ_INT(cc_kv_seq_ragged(s, 1), 0);
	CHECK_EQ_INT(cc_kv_seq_len(s, 0), 90);
	size_t nb;
	cc_kv_seq_blocks(s, 0, &nb);
	CHECK_EQ_INT(nb, 4);
	CHECK_EQ_INT(held0 - cc_kv_seq_blocks_held(s), 13 - 4);
	cc_kv_pool_stats_get(&st, g_pool);
	CHECK_EQ_INT(st.blocks_used, cc_kv_seq_blocks_held(s));
	CHECK_EQ_INT(st.bytes_used, st.blocks_used * st.block_bytes);
	CHECK_EQ_INT(cc_kv_seq_bytes(s), cc_kv_seq_blocks_held(s) * st.block_bytes);
	CHECK(matches(s, m));
	/* decode-like appends: one token at a time across lane boundaries, then a chunk */
	for (int i = 0; i < 21; i++)
		CHECK_EQ_INT(append_write(s, m, 1), CC_OK);
	CHECK_EQ_INT(append_write(s, m, 37), CC_OK);
	CHECK(matches(s, m));
	CHECK_EQ_INT(cc_kv_seq_head_len(s, 0, 3), 58);
	CHECK_EQ_INT(cc_kv_seq_len(s, 0), 148);
	cc_kv_seq_blocks(s, 0, &nb);
	CHECK_EQ_INT(nb, packed_blocks(m, 0));
	/* a uniform compaction of a ragged layer keeps it ragged (and per-head lengths equal) */
	{
		static int32_t k2[NH * 5];
		for (int h = 0; h < NH; h++)
			for (int i = 0; i < 5; i++) {
				k2[h * 5 + i] = i * 2 + h;
				m->pos[0][h][i] = m->pos[0][h][i * 2 + h];
			}
		for (int h = 0; h < NH; h++)
			m->len[0][h] = 5;
		CHECK_EQ_INT(cc_kv_seq_compact(s, 0, k2, 5), CC_OK);
		CHECK_EQ_INT(cc_kv_seq_ragged(s, 0), 1);
		CHECK(matches(s, m));
		cc_kv_seq_blocks(s, 0, &nb);
		CHECK_EQ_INT(nb, 1);
	}
	/* errors change nothing */
	{
		size_t bad[NH] = {6, 1, 1, 1};
		int32_t k3[9] = {0, 1, 2, 3, 4, 5, 0, 0, 0};
		size_t before = cc_kv_seq_blocks_held(s);
		CHECK_EQ_INT(cc_kv_seq_compact_heads(s, 0, k3, bad), CC_EINVAL); /* 6 > 5 */
		CHECK(strstr(cc_error_last(), "head 0"));
		size_t bad2[NH] = {2, 1, 1, 1};
		int32_t k4[5] = {3, 1, 0, 0, 0};
		CHECK_EQ_INT(cc_kv_seq_compact_heads(s, 0, k4, bad2), CC_EINVAL);
		CHECK(strstr(cc_error_last(), "increasing"));
		CHECK_EQ_INT(cc_kv_seq_compact_heads(s, NL, k4, bad2), CC_EINVAL);
		CHECK_EQ_INT(cc_kv_seq_compact_heads(s, 0, k4, NULL), CC_EINVAL);
		int32_t p4[NH] = {900, 900, 900, 900};
		CHECK_EQ_INT(cc_kv_seq_append_layer(s, 0, 1, p4, NULL), CC_EUNSUPPORTED);
		CHECK_EQ_INT(cc_kv_seq_blocks_held(s), before);
		CHECK(matches(s, m));
	}
	cc_kv_seq_clear(s);
	CHECK_EQ_INT(cc_kv_seq_ragged(s, 0), 0);
	cc_kv_seq_free(s);
	cc_kv_pool_stats_get(&st, g_pool);
	CHECK_EQ_INT(st.blocks_used, 0);
	free(m);
}

/* Random compactions, appends and forks on two sequences sharing blocks. */
static void test_random(void)
{
	model *ma = calloc(1, sizeof(*ma)), *mb = calloc(1, sizeof(*mb));
	cc_kv_seq *a, *b;
	cc_kv_pool_stats st;
	CC_OK_OR_DIE(cc_kv_seq_new(&a, g_pool));
	CHECK_EQ_INT(append_write(a, ma, 150), CC_OK);
	for (int round = 0; round < 40; round++) {
		CHECK_EQ_INT(cc_kv_seq_fork(&b, a), CC_OK);
		*mb = *ma;
		/* the fork compacts (its blocks are shared: copy-on-write) and appends */
		int l = (int)rnd(NL);
		CHECK_EQ_INT(compact_random(b, mb, l), CC_OK);
		CHECK_EQ_INT(append_write(b, mb, 1 + (int)rnd(20)), CC_OK);
		CHECK(matches(b, mb));
		CHECK(matches(a, ma));
		/* the original appends into its own (possibly shared) lanes */
		CHECK_EQ_INT(append_write(a, ma, 1 + (int)rnd(9)), CC_OK);
		CHECK(matches(a, ma));
		CHECK(matches(b, mb));
		for (int q = 0; q < NL; q++) {
			size_t nb;
			cc_kv_seq_blocks(b, q, &nb);
			if (cc_kv_seq_ragged(b, q))
				CHECK(nb <= packed_blocks(mb, q) + 1);
		}
		/* keep the fork for the next round, so ragged layers get compacted again */
		cc_kv_seq_free(a);
		a = b;
		*ma = *mb;
		if (cc_kv_seq_len(a, 0) > 1500 || cc_kv_seq_len(a, 1) > 1500)
			CHECK_EQ_INT(compact_random(a, ma, 0) | compact_random(a, ma, 1), CC_OK);
		cc_kv_pool_stats_get(&st, g_pool);
		CHECK_EQ_INT(st.blocks_used, cc_kv_seq_blocks_held(a));
	}
	/* after a compaction of a private sequence the layer is exactly packed */
	CHECK_EQ_INT(compact_random(a, ma, 1), CC_OK);
	{
		size_t nb;
		cc_kv_seq_blocks(a, 1, &nb);
		CHECK_EQ_INT(nb, packed_blocks(ma, 1));
	}
	CHECK(matches(a, ma));
	cc_kv_seq_free(a);
	cc_kv_pool_stats_get(&st, g_pool);
	CHECK_EQ_INT(st.blocks_used, 0);
	free(ma);
	free(mb);
}

/* A full pool: a ragged append that needs more blocks than are free fails and changes
 * nothing. */
static void test_full(void)
{
	cc_kv_pool *small;
	cc_kv_config cfg = {1, NH, HD, BT, CC_KV_F32, 3};
	cc_kv_seq *s;
	CC_OK_OR_DIE(cc_kv_pool_new(&small, &cfg, NULL, NULL));
	CC_OK_OR_DIE(cc_kv_seq_new(&s, small));
	int32_t pos[24];
	for (int i = 0; i < 24; i++)
		pos[i] = i;
	CHECK_EQ_INT(cc_kv_seq_append(s, 24, pos, NULL), CC_OK); /* 3 blocks */
	int32_t keep[24 + 2];
	size_t cnt[NH] = {24, 2, 0, 0};
	for (int i = 0; i < 24; i++)
		keep[i] = i;
	keep[24] = 0;
	keep[25] = 1;
	CHECK_EQ_INT(cc_kv_seq_compact_heads(s, 0, keep, cnt), CC_OK); /* 4 lanes: 1 block */
	CHECK_EQ_INT(cc_kv_pool_free_blocks(small), 2);
	int32_t more[40];
	for (int i = 0; i < 40; i++)
		more[i] = 24 + i;
	/* 40 more: heads need 5 + 6 + 5 + 5 = 21 lanes, 3 free lanes: 5 blocks, 2 free */
	CHECK_EQ_INT(cc_kv_seq_append_need(s, 40), 5);
	CHECK_EQ_INT(cc_kv_seq_append(s, 40, more, NULL), CC_ENOMEM);
	CHECK(strstr(cc_error_last(), "kv cache full"));
	CHECK_EQ_INT(cc_kv_seq_head_len(s, 0, 0), 24);
	CHECK_EQ_INT(cc_kv_seq_head_len(s, 0, 3), 0);
	CHECK_EQ_INT(cc_kv_pool_free_blocks(small), 2);
	CHECK_EQ_INT(cc_kv_seq_append(s, 8, more, NULL), CC_OK); /* 1 + 1 + 1 + 1 lanes */
	CHECK_EQ_INT(cc_kv_pool_free_blocks(small), 1);
	cc_kv_seq_free(s);
	cc_kv_pool_free(small);
}

/* A quantized pool refuses different per-head counts. */
static void test_quant_refuses(void)
{
	cc_kv_pool *qp;
	cc_kv_config cfg = {1, 2, 32, 16, CC_KV_BF16, 8};
	cc_kv_qconfig q = {CC_KV_QUANT_KIVI, 4, 16, 8};
	cc_kv_seq *s;
	CC_OK_OR_DIE(cc_kv_pool_new_quant(&qp, &cfg, &q, NULL, NULL));
	CC_OK_OR_DIE(cc_kv_seq_new(&s, qp));
	int32_t pos[20];
	for (int i = 0; i < 20; i++)
		pos[i] = i;
	CHECK_EQ_INT(cc_kv_seq_append(s, 20, pos, NULL), CC_OK);
	int32_t keep[3] = {0, 1, 5};
	size_t cnt[2] = {2, 1};
	CHECK_EQ_INT(cc_kv_seq_compact_heads(s, 0, keep, cnt), CC_EUNSUPPORTED);
	CHECK(strstr(cc_error_last(), "quantized"));
	CHECK_EQ_INT(cc_kv_seq_len(s, 0), 20);
	cc_kv_seq_free(s);
	cc_kv_pool_free(qp);
}

int main(void)
{
	cc_kv_config cfg = {NL, NH, HD, BT, CC_KV_F32, 4096};
	CC_OK_OR_DIE(cc_kv_pool_new(&g_pool, &cfg, NULL, NULL));
	test_basic();
	test_random();
	cc_kv_pool_free(g_pool);
	/* the same random run on a device-like provider */
	{
		static const cc_kv_storage fake = {"fake", fd_alloc, fd_release, fd_copy,
		                                   fd_move_rows, NULL, NULL};
		fake_dev d = {0};
		CC_OK_OR_DIE(cc_kv_pool_new(&g_pool, &cfg, &fake, &d));
		g_mem = d.mem;
		test_random();
		CHECK(d.moves > 0 && d.copies > 0);
		cc_kv_pool_free(g_pool);
		g_mem = NULL;
	}
	test_full();
	test_quant_refuses();
	return test_result();
}
