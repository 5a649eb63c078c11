/*
 * test_kv.c - the paged KV cache with the host provider: exact byte accounting against the
 * formula layers x 2 x kv_heads x head_dim x bytes x tokens (rounded up to blocks), data
 * written through slot offsets read back, forks sharing blocks copy-on-write, freeing, a full
 * pool refusing without side effects, and per-head compaction that keeps original positions
 * and gives the same attention as attending over the kept subset directly.
 */
#include "cc_common.h"
#include "cc_kv.h"
#include "test.h"

#include <math.h>
#include <stdint.h>

enum {
	NL = 3,
	NH = 2,
	HD = 8,
	BT = 16
};

/* The value every test writes for element d of the K (v=0) / V (v=1) row of a token. */
static float val(int layer, int v, int head, int pos, int d)
{
	return (float)(layer * 1000 + v * 500 + head * 100) + (float)pos * 0.5f + (float)d * 0.01f;
}

static cc_kv_pool *g_pool;

static float *rowp(cc_kv_seq *s, int l, int v, int h, size_t slot)
{
	return (float *)((char *)cc_kv_pool_base(g_pool) + cc_kv_slot_offset(s, l, v, h, slot));
}

/* Append n tokens at positions start.. and write their rows. */
static int append_write(cc_kv_seq *s, int start, int n)
{
	int32_t pos[256], first[NL];
	for (int i = 0; i < n; i++)
		pos[i] = start + i;
	int rc = cc_kv_seq_append(s, (size_t)n, pos, first);
	if (rc)
		return rc;
	for (int l = 0; l < NL; l++)
		for (int i = 0; i < n; i++)
			for (int v = 0; v < 2; v++)
				for (int h = 0; h < NH; h++) {
					float *r = rowp(s, l, v, h, (size_t)first[l] + (size_t)i);
					for (int d = 0; d < HD; d++)
						r[d] = val(l, v, h, pos[i], d);
				}
	return 0;
}

/* Every kept slot holds the rows of the position it records. */
static int rows_match_positions(cc_kv_seq *s)
{
	for (int l = 0; l < NL; l++)
		for (int h = 0; h < NH; h++) {
			const int32_t *ps = cc_kv_seq_positions(s, l, h);
			for (size_t j = 0; j < cc_kv_seq_len(s, l); j++)
				for (int v = 0; v < 2; v++) {
					float *r = rowp(s, l, v, h, j);
					for (int d = 0; d < HD; d++)
						if (r[d] != val(l, v, h, ps[j], d))
							return 0;
				}
		}
	return 1;
}

/* A provider standing in for device memory: the pool's "base" is an opaque handle (not an
 * address of the data), so any direct access by the bookkeeping would crash or miss; data
 * moves only through copy / move_rows, which are counted. */
typedef struct {
	unsigned char *mem;
	size_t size;
	int allocs, releases, copies, move_calls;
	size_t rows_moved;
} fake_dev;

static int fd_alloc(void *ctx, void **out, size_t bytes)
{
	fake_dev *d = ctx;
	d->mem = calloc(1, bytes);
	d->size = bytes;
	d->allocs++;
	*out = (void *)(uintptr_t)0x1000; /* handle, not a pointer to the data */
	return d->mem ? CC_OK : CC_ENOMEM;
}

static void fd_release(void *ctx, void *base)
{
	fake_dev *d = ctx;
	CHECK(base == (void *)(uintptr_t)0x1000);
	free(d->mem);
	d->mem = NULL;
	d->releases++;
}

static int fd_copy(void *ctx, void *base, size_t dst, size_t src, size_t bytes)
{
	fake_dev *d = ctx;
	CHECK(base == (void *)(uintptr_t)0x1000);
	CHECK(dst + bytes <= d->size && src + bytes <= d->size);
	memcpy(d->mem + dst, d->mem + src, bytes);
	d->copies++;
	return CC_OK;
}

static int fd_move_rows(void *ctx, void *base, const cc_kv_move *mv, size_t n, size_t row_bytes)
{
	fake_dev *d = ctx;
	CHECK(base == (void *)(uintptr_t)0x1000);
	for (size_t i = 0; i < n; i++) {
		CHECK(mv[i].dst + row_bytes <= d->size && mv[i].src + row_bytes <= d->size);
		memmove(d->mem + mv[i].dst, d->mem + mv[i].src, row_bytes);
	}
	d->move_calls++;
	d->rows_moved += n;
	return CC_OK;
}

static void test_provider(void)
{
	static const cc_kv_storage fake = {"fake", fd_alloc, fd_release, fd_copy, fd_move_rows,
	                                   NULL, NULL};
	fake_dev d = {0};
	cc_kv_config cfg = {2, NH, HD, BT, CC_KV_BF16, 8};
	cc_kv_pool *p = NULL;
	cc_kv_seq *a = NULL, *b = NULL;
	int32_t pos[20], first[2];

	for (int i = 0; i < 20; i++)
		pos[i] = i;
	CHECK_EQ_INT(cc_kv_pool_new(&p, &cfg, &fake, &d), CC_OK);
	CHECK_EQ_INT(d.allocs, 1);
	CHECK_EQ_INT(d.size, 8 * 2 * NH * BT * HD * 2);
	CHECK_EQ_INT(cc_kv_seq_new(&a, p), CC_OK);
	CHECK_EQ_INT(cc_kv_seq_append(a, 20, pos, first), CC_OK);
	/* the device side writes rows at the offsets the bookkeeping gives */
	for (int l = 0; l < 2; l++)
		for (int h = 0; h < NH; h++)
			for (size_t j = 0; j < 20; j++)
				d.mem[cc_kv_slot_offset(a, l, 0, h, j)] = (unsigned char)(j + 1);
	CHECK_EQ_INT(cc_kv_seq_fork(&b, a), CC_OK);
	CHECK_EQ_INT(d.copies, 0);
	int32_t p20 = 20;
	CHECK_EQ_INT(cc_kv_seq_append(b, 1, &p20, first), CC_OK);
	CHECK_EQ_INT(d.copies, 2); /* the shared partial block, once per layer */
	/* compaction: head 0 keeps slots 1,3,5,7 (4 moves each for K and V), head 1 keeps 0..3
	 * (already in place: no moves) */
	int32_t keep[NH * 4] = {1, 3, 5, 7, 0, 1, 2, 3};
	CHECK_EQ_INT(cc_kv_seq_compact(a, 0, keep, 4), CC_OK);
	CHECK_EQ_INT(d.move_calls, 1);
	CHECK_EQ_INT(d.rows_moved, 4 * 2);
	/* a's layer 0 block 0 was shared with b: copied before the moves */
	CHECK_EQ_INT(d.copies, 3);
	for (size_t j = 0; j < 4; j++) {
		CHECK_EQ_INT(d.mem[cc_kv_slot_offset(a, 0, 0, 0, j)], 2 * j + 2);
		CHECK_EQ_INT(d.mem[cc_kv_slot_offset(a, 0, 0, 1, j)], j + 1);
		CHECK_EQ_INT(d.mem[cc_kv_slot_offset(b, 0, 0, 0, j)], j + 1); /* b untouched */
	}
	cc_kv_seq_free(a);
	cc_kv_seq_free(b);
	cc_kv_pool_free(p);
	CHECK_EQ_INT(d.releases, 1);
}

static size_t blocks_for(size_t tokens)
{
	return (tokens + BT - 1) / BT;
}

/* cc_kv_seq_append_need predicts exactly the free blocks an append takes: new blocks, and the
 * copy of a shared last block (forks). */
static void test_append_need(void)
{
	cc_kv_config cfg = {NL, NH, HD, BT, CC_KV_F32, 12}; /* 4 blocks per layer */
	cc_kv_pool *p = NULL;
	cc_kv_seq *a = NULL, *b = NULL;
	CHECK_EQ_INT(cc_kv_pool_new(&p, &cfg, NULL, NULL), CC_OK);
	CHECK_EQ_INT(cc_kv_pool_free_blocks(p), 12);
	CHECK_EQ_INT(cc_kv_seq_new(&a, p), CC_OK);
	static const size_t steps[] = {1, 15, 1, 16, 5, 40};
	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		int32_t pos[64], first[NL];
		size_t n = steps[k], before = cc_kv_pool_free_blocks(p);
		size_t need = cc_kv_seq_append_need(a, n);
		for (size_t i = 0; i < n; i++)
			pos[i] = cc_kv_seq_next_pos(a) + (int32_t)i;
		if (need <= before) {
			CHECK_EQ_INT(cc_kv_seq_append(a, n, pos, first), CC_OK);
			CHECK_EQ_INT(before - cc_kv_pool_free_blocks(p), need);
		} else { /* the pool says full exactly when the prediction says so */
			CHECK_EQ_INT(cc_kv_seq_append(a, n, pos, first), CC_ENOMEM);
			CHECK_EQ_INT(cc_kv_pool_free_blocks(p), before);
		}
	}
	/* 38 tokens: 3 blocks per layer, the last partly full; a fork shares it */
	CHECK_EQ_INT(cc_kv_seq_len(a, 0), 38);
	CHECK_EQ_INT(cc_kv_seq_append_need(a, 1), 0);
	CHECK_EQ_INT(cc_kv_seq_fork(&b, a), CC_OK);
	CHECK_EQ_INT(cc_kv_seq_append_need(a, 1), NL); /* a copy of the shared block per layer */
	CHECK_EQ_INT(cc_kv_seq_append_need(b, 1), NL);
	{
		int32_t pos = 38, first[NL];
		size_t before = cc_kv_pool_free_blocks(p);
		CHECK_EQ_INT(cc_kv_seq_append(b, 1, &pos, first), CC_OK);
		CHECK_EQ_INT(before - cc_kv_pool_free_blocks(p), NL);
	}
	CHECK_EQ_INT(cc_kv_seq_append_need(a, 1), 0); /* its block is its own again */
	cc_kv_seq_free(a);
	cc_kv_seq_free(b);
	cc_kv_pool_free(p);
}

int main(void)
{
	test_append_need();
	cc_kv_config cfg = {NL, NH, HD, BT, CC_KV_F32, 40};
	cc_kv_pool_stats st;
	cc_kv_seq *a = NULL, *b = NULL;

	CHECK_EQ_INT(cc_kv_pool_new(&g_pool, &cfg, NULL, NULL), CC_OK);
	cc_kv_pool_stats_get(&st, g_pool);
	/* One block: K and V, every KV head, BT tokens of HD floats. */
	CHECK_EQ_INT(st.block_bytes, 2 * NH * BT * HD * 4);
	CHECK_EQ_INT(st.bytes_capacity, 40 * 2 * NH * BT * HD * 4);
	CHECK_EQ_INT(st.bytes_used, 0);

	/* Accounting: 20 tokens = 2 blocks per layer. */
	CHECK_EQ_INT(cc_kv_seq_new(&a, g_pool), CC_OK);
	CHECK_EQ_INT(append_write(a, 0, 20), CC_OK);
	cc_kv_pool_stats_get(&st, g_pool);
	CHECK_EQ_INT(st.blocks_used, NL * blocks_for(20));
	CHECK_EQ_INT(st.bytes_used, (size_t)NL * 2 * NH * HD * 4 * (blocks_for(20) * BT));
	CHECK_EQ_INT(cc_kv_seq_len(a, 0), 20);
	CHECK_EQ_INT(cc_kv_seq_next_pos(a), 20);
	CHECK(rows_match_positions(a));
	/* 12 more fill the second block exactly: no new block. */
	CHECK_EQ_INT(append_write(a, 20, 12), CC_OK);
	cc_kv_pool_stats_get(&st, g_pool);
	CHECK_EQ_INT(st.blocks_used, NL * 2);
	CHECK(rows_match_positions(a));

	/* Fork shares everything; appending to the fork does not touch a. */
	CHECK_EQ_INT(append_write(a, 32, 3), CC_OK); /* 35 tokens: 3 blocks per layer */
	CHECK_EQ_INT(cc_kv_seq_fork(&b, a), CC_OK);
	cc_kv_pool_stats_get(&st, g_pool);
	CHECK_EQ_INT(st.blocks_used, NL * 3);
	CHECK_EQ_INT(cc_kv_seq_blocks_held(b), NL * 3);
	{
		/* The fork's next token lands in the shared, partly filled third block: it must
		 * be copied first (one new block per layer). */
		int32_t pos = 1000, first[NL];
		CHECK_EQ_INT(cc_kv_seq_append(b, 1, &pos, first), CC_OK);
		cc_kv_pool_stats_get(&st, g_pool);
		CHECK_EQ_INT(st.blocks_used, NL * 4);
		CHECK_EQ_INT(first[0], 35);
		for (int l = 0; l < NL; l++)
			for (int v = 0; v < 2; v++)
				for (int h = 0; h < NH; h++)
					for (int d = 0; d < HD; d++)
						rowp(b, l, v, h, 35)[d] = val(l, v, h, 1000, d);
		size_t na, nb;
		const int32_t *ta = cc_kv_seq_blocks(a, 1, &na), *tb = cc_kv_seq_blocks(b, 1, &nb);
		CHECK_EQ_INT(na, 3);
		CHECK_EQ_INT(nb, 3);
		CHECK(ta[0] == tb[0] && ta[1] == tb[1] && ta[2] != tb[2]);
		CHECK_EQ_INT(cc_kv_seq_len(a, 0), 35);
		CHECK_EQ_INT(cc_kv_seq_next_pos(b), 1001);
		CHECK(rows_match_positions(a));
		CHECK(rows_match_positions(b));
	}

	/* A full pool refuses and changes nothing. */
	{
		int32_t pos[200], first[NL];
		for (int i = 0; i < 200; i++)
			pos[i] = 2000 + i;
		size_t before = cc_kv_seq_len(a, 0);
		cc_kv_pool_stats_get(&st, g_pool);
		size_t used = st.blocks_used;
		CHECK_EQ_INT(cc_kv_seq_append(a, 200, pos, first), CC_ENOMEM);
		CHECK(strstr(cc_error_last(), "kv cache full") != NULL);
		cc_kv_pool_stats_get(&st, g_pool);
		CHECK_EQ_INT(st.blocks_used, used);
		CHECK_EQ_INT(cc_kv_seq_len(a, 0), before);
		CHECK(rows_match_positions(a));
	}

	/* Compaction of a shared layer: per-head subsets, original positions kept, the other
	 * sequence unchanged, and dropped blocks returned. */
	{
		enum { NK = 17 };
		int32_t keep[NH * NK];
		for (int i = 0; i < NK; i++) {
			keep[i] = 2 * i;                    /* head 0: even slots 0..32 */
			keep[NK + i] = i < 10 ? i : 18 + i; /* head 1: 0..9 then 28..34 */
		}
		cc_kv_pool_stats_get(&st, g_pool);
		size_t used = st.blocks_used;
		CHECK_EQ_INT(cc_kv_seq_compact(b, 2, keep, NK), CC_OK);
		CHECK_EQ_INT(cc_kv_seq_len(b, 2), NK);
		CHECK_EQ_INT(cc_kv_seq_len(b, 1), 36);
		const int32_t *p0 = cc_kv_seq_positions(b, 2, 0), *p1 = cc_kv_seq_positions(b, 2, 1);
		CHECK_EQ_INT(p0[5], 10);
		CHECK_EQ_INT(p1[9], 9);
		CHECK_EQ_INT(p1[10], 28);
		CHECK_EQ_INT(p1[16], 34);
		CHECK(rows_match_positions(a));
		CHECK(rows_match_positions(b));
		/* b's layer 2 went from 3 blocks (2 shared + 1 own) to 2: block 0 and 1 were
		 * rewritten (copied: +2), the own third block freed (-1). */
		cc_kv_pool_stats_get(&st, g_pool);
		CHECK_EQ_INT(st.blocks_used, used + 2 - 1);
		CHECK_EQ_INT(cc_kv_seq_next_pos(b), 1001);

		/* Attention of one query over the compacted head = attention computed directly
		 * over the rows of the kept positions. */
		for (int h = 0; h < NH; h++) {
			float q[HD], s[NK], m = -1e30f, z = 0, out[HD] = {0}, ref[HD] = {0};
			for (int d = 0; d < HD; d++)
				q[d] = 0.001f * (float)(d + 1) * (h ? -1.f : 1.f);
			const int32_t *ps = cc_kv_seq_positions(b, 2, h);
			for (int j = 0; j < NK; j++) {
				float *k = rowp(b, 2, 0, h, (size_t)j);
				s[j] = 0;
				for (int d = 0; d < HD; d++)
					s[j] += q[d] * k[d];
				m = fmaxf(m, s[j]);
			}
			for (int j = 0; j < NK; j++)
				z += (s[j] = expf(s[j] - m));
			for (int j = 0; j < NK; j++)
				for (int d = 0; d < HD; d++)
					out[d] += s[j] / z * rowp(b, 2, 1, h, (size_t)j)[d];
			/* direct: from the generator, over the kept original positions */
			float s2[NK], m2 = -1e30f, z2 = 0;
			for (int j = 0; j < NK; j++) {
				int p = (int)ps[j];
				CHECK_EQ_INT(p, keep[h * NK + j] < 35 ? keep[h * NK + j] : 1000);
				s2[j] = 0;
				for (int d = 0; d < HD; d++)
					s2[j] += q[d] * val(2, 0, h, p, d);
				m2 = fmaxf(m2, s2[j]);
			}
			for (int j = 0; j < NK; j++)
				z2 += (s2[j] = expf(s2[j] - m2));
			for (int j = 0; j < NK; j++)
				for (int d = 0; d < HD; d++)
					ref[d] += s2[j] / z2 * val(2, 1, h, (int)ps[j], d);
			for (int d = 0; d < HD; d++)
				CHECK_NEAR(out[d], ref[d], 1e-4);
		}

		/* Appending after compaction continues at the logical position. */
		CHECK_EQ_INT(append_write(b, cc_kv_seq_next_pos(b), 1), CC_OK);
		CHECK_EQ_INT(cc_kv_seq_len(b, 2), NK + 1);
		CHECK_EQ_INT(cc_kv_seq_len(b, 0), 37);
		CHECK_EQ_INT(cc_kv_seq_positions(b, 2, 1)[NK], 1001);
	}

	/* Bad compaction requests are refused with nothing changed. */
	{
		int32_t bad[NH * 2] = {3, 2, 0, 1};
		size_t len = cc_kv_seq_len(a, 0);
		CHECK_EQ_INT(cc_kv_seq_compact(a, 0, bad, 2), CC_EINVAL);
		CHECK(strstr(cc_error_last(), "head 0") != NULL);
		int32_t oob[NH * 1] = {0, 99};
		CHECK_EQ_INT(cc_kv_seq_compact(a, 0, oob, 1), CC_EINVAL);
		CHECK(strstr(cc_error_last(), "out of range") != NULL);
		CHECK_EQ_INT(cc_kv_seq_compact(a, NL, oob, 1), CC_EINVAL);
		CHECK_EQ_INT(cc_kv_seq_len(a, 0), len);
		CHECK(rows_match_positions(a));
	}

	/* Freeing returns every block; freeing in either order. */
	cc_kv_seq_free(a);
	CHECK(rows_match_positions(b));
	cc_kv_pool_stats_get(&st, g_pool);
	CHECK_EQ_INT(st.blocks_used, cc_kv_seq_blocks_held(b));
	cc_kv_seq_free(b);
	cc_kv_pool_stats_get(&st, g_pool);
	CHECK_EQ_INT(st.blocks_used, 0);
	CHECK_EQ_INT(st.bytes_used, 0);
	CHECK_EQ_INT(st.n_seqs, 0);
	cc_kv_seq_free(NULL);

	/* Bad configurations. */
	{
		cc_kv_pool *p2 = NULL;
		cc_kv_config c2 = cfg;
		c2.head_dim = 0;
		CHECK_EQ_INT(cc_kv_pool_new(&p2, &c2, NULL, NULL), CC_EINVAL);
		CHECK(p2 == NULL);
		c2 = cfg;
		c2.dtype = 9;
		CHECK_EQ_INT(cc_kv_pool_new(&p2, &c2, NULL, NULL), CC_EINVAL);
		c2 = cfg;
		c2.dtype = CC_KV_BF16;
		CHECK_EQ_INT(cc_kv_pool_new(&p2, &c2, NULL, NULL), CC_OK);
		cc_kv_pool_stats_get(&st, p2);
		CHECK_EQ_INT(st.block_bytes, 2 * NH * BT * HD * 2);
		cc_kv_pool_free(p2);
	}
	cc_kv_pool_free(g_pool);
	cc_kv_pool_free(NULL);
	test_provider();
	return test_result();
}
