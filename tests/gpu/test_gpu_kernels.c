/*
 * test_gpu_kernels.c - every CUDA kernel against a double-precision CPU reference, on fresh
 * random inputs that are never zero (seed printed; CC_TEST_SEED replays one), with every
 * output poisoned (NaN) before the launch so an unwritten element fails. Paged-cache tests
 * use a shuffled block table and check that no slot outside the written ones changed.
 * Skips (77) when no CUDA device is present.
 */
#include "cc_common.h"
#include "cc_kernels.h"
#include "gpu_util.h"
#include "test.h"

/* a paged cache with `n_blocks` blocks whose block table is a random permutation */
typedef struct {
	cc_kernels_kv kv;
	int n_blocks;
	int32_t *table_h, *table_d;
	uint16_t *pool_h, *k_h, *v_h; /* host copy of the pool; k_h, v_h point into it */
	uint16_t *pool_d;
} test_cache;

static void cache_init(test_cache *c, int n_blocks, int bs, int kvh, int hd, int random_fill)
{
	/* the kv module's layout: one allocation, each block the K half then the V half */
	size_t half = (size_t)kvh * bs * hd, elems = (size_t)n_blocks * 2 * half;
	c->n_blocks = n_blocks;
	c->kv.block_stride = 2 * half;
	c->kv.block_size = bs;
	c->kv.kv_heads = kvh;
	c->kv.head_dim = hd;
	c->table_h = malloc(sizeof(int32_t) * n_blocks);
	for (int i = 0; i < n_blocks; i++)
		c->table_h[i] = i;
	for (int i = n_blocks - 1; i > 0; i--) {
		int j = (int)(rng_next() % (uint64_t)(i + 1));
		int32_t t = c->table_h[i];
		c->table_h[i] = c->table_h[j];
		c->table_h[j] = t;
	}
	c->table_d = dev_from(c->table_h, sizeof(int32_t) * n_blocks);
	c->pool_h = malloc(elems * 2);
	c->k_h = c->pool_h;
	c->v_h = c->pool_h + half;
	if (random_fill) {
		fill_bf16(c->pool_h, elems, 1.0f);
		c->pool_d = dev_from(c->pool_h, elems * 2);
	} else {
		c->pool_d = dev_alloc(elems * 2);
		dev_poison(c->pool_d, elems * 2);
	}
	c->kv.k = c->pool_d;
	c->kv.v = c->pool_d + half;
}

static void cache_free(test_cache *c)
{
	cudaFree(c->pool_d);
	cudaFree(c->table_d);
	free(c->table_h);
	free(c->pool_h);
}

/* host pointer to (logical slot, head) row */
static const uint16_t *cache_row(const test_cache *c, const uint16_t *pool, int slot, int h)
{
	int bs = c->kv.block_size;
	int blk = c->table_h[slot / bs];
	return pool + (size_t)blk * c->kv.block_stride +
	       ((size_t)h * bs + slot % bs) * c->kv.head_dim;
}

static void test_embedding(void)
{
	int vocab = 1000, dim = 384, n = 77;
	uint16_t *tab = malloc((size_t)vocab * dim * 2);
	int32_t ids[77];
	fill_bf16(tab, (size_t)vocab * dim, 1.0f);
	for (int i = 0; i < n; i++)
		ids[i] = (int32_t)(rng_next() % (uint64_t)vocab);
	ids[5] = vocab; /* out of range: row must be NaN, nothing else touched */
	uint16_t *dt = dev_from(tab, (size_t)vocab * dim * 2);
	int32_t *di = dev_from(ids, sizeof(ids));
	float *dout = dev_alloc((size_t)n * dim * 4);
	dev_poison(dout, (size_t)n * dim * 4);
	CHECK_EQ_INT(cc_kernels_embedding(dout, dt, di, n, dim, vocab, 0), CC_OK);
	float *out = malloc((size_t)n * dim * 4);
	to_host(out, dout, (size_t)n * dim * 4);
	int bad = 0;
	for (int t = 0; t < n; t++)
		for (int i = 0; i < dim; i++) {
			float g = out[(size_t)t * dim + i];
			if (t == 5)
				bad += !isnan(g);
			else
				bad += g != h_bf2f(tab[(size_t)ids[t] * dim + i]);
		}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(cc_kernels_embedding(NULL, dt, di, n, dim, vocab, 0), CC_EINVAL);
	free(tab);
	free(out);
	cudaFree(dt);
	cudaFree(di);
	cudaFree(dout);
}

/* dims: the row-in-registers kernel at each of its register counts (384 and 64: 32 threads;
 * 3584 = Qwen2.5-Coder-7B, 4096, 8192 = its largest row) and the warp-per-row form beyond */
static void test_rmsnorm_dim(int n, int dim)
{
	float eps = 1e-5f;
	float *x = malloc((size_t)n * dim * 4);
	uint16_t *w = malloc(dim * 2);
	for (size_t i = 0; i < (size_t)n * dim; i++)
		x[i] = rng_val(3.0f);
	fill_bf16(w, dim, 1.5f);
	float *dx = dev_from(x, (size_t)n * dim * 4);
	uint16_t *dw = dev_from(w, dim * 2);
	uint16_t *dout = dev_alloc((size_t)n * dim * 2);
	dev_poison(dout, (size_t)n * dim * 2);
	CHECK_EQ_INT(cc_kernels_rmsnorm(dout, dx, dw, n, dim, eps, 0), CC_OK);
	uint16_t *out = malloc((size_t)n * dim * 2);
	to_host(out, dout, (size_t)n * dim * 2);
	double maxrel = 0;
	for (int t = 0; t < n; t++) {
		double ss = 0;
		for (int i = 0; i < dim; i++)
			ss += (double)x[t * dim + i] * x[t * dim + i];
		double r = 1.0 / sqrt(ss / dim + eps);
		for (int i = 0; i < dim; i++) {
			double ref = x[t * dim + i] * r * h_bf2f(w[i]);
			double g = h_bf2f(out[t * dim + i]);
			double e = fabs(g - ref) / (fabs(ref) + 1e-3);
			if (isnan(g))
				e = INFINITY;
			if (e > maxrel)
				maxrel = e;
		}
	}
	fprintf(stderr, "rmsnorm %d x %d: max rel err %.3g\n", n, dim, maxrel);
	CHECK(maxrel <= 8e-3); /* one bf16 rounding */
	CHECK_EQ_INT(cc_kernels_rmsnorm(dout, dx, dw, n, 383, eps, 0), CC_EINVAL);
	free(x);
	free(w);
	free(out);
	cudaFree(dx);
	cudaFree(dw);
	cudaFree(dout);
}

static void test_rmsnorm(void)
{
	test_rmsnorm_dim(123, 384);
	test_rmsnorm_dim(7, 64);
	test_rmsnorm_dim(9, 3584);
	test_rmsnorm_dim(33, 4096);
	test_rmsnorm_dim(5, 8192);
	test_rmsnorm_dim(3, 12288);
}

/* the largest relative error of the SwiGLU output out (bf16 [n][inter]) against silu(g) * u
 * in double, g and u read from gu ([n][2 * inter], gate then up) by get(gu, index) */
static double swiglu_err(const void *gu, double (*get)(const void *, size_t),
                         const uint16_t *out, int n, int inter)
{
	double maxrel = 0;
	for (int t = 0; t < n; t++)
		for (int i = 0; i < inter; i++) {
			double g = get(gu, (size_t)t * 2 * inter + i);
			double u = get(gu, (size_t)t * 2 * inter + inter + i);
			double ref = g / (1 + exp(-g)) * u;
			double got = h_bf2f(out[(size_t)t * inter + i]);
			double e = isnan(got) ? INFINITY : fabs(got - ref) / (fabs(ref) + 1e-3);
			if (e > maxrel)
				maxrel = e;
		}
	return maxrel;
}

static double get_f32(const void *p, size_t i)
{
	return ((const float *)p)[i];
}

static double get_bf16(const void *p, size_t i)
{
	return h_bf2f(((const uint16_t *)p)[i]);
}

static void test_swiglu(void)
{
	int n = 50, inter = 1024;
	size_t ng = (size_t)n * 2 * inter;
	float *gu = malloc(ng * 4);
	for (size_t i = 0; i < ng; i++)
		gu[i] = rng_val(4.0f);
	float *dgu = dev_from(gu, ng * 4);
	uint16_t *dout = dev_alloc((size_t)n * inter * 2);
	dev_poison(dout, (size_t)n * inter * 2);
	CHECK_EQ_INT(cc_kernels_swiglu(dout, dgu, n, inter, 0), CC_OK);
	uint16_t *out = malloc((size_t)n * inter * 2);
	to_host(out, dout, (size_t)n * inter * 2);
	double maxrel = swiglu_err(gu, get_f32, out, n, inter);
	fprintf(stderr, "swiglu: max rel err %.3g\n", maxrel);
	CHECK(maxrel <= 8e-3);
	free(gu);
	free(out);
	cudaFree(dgu);
	cudaFree(dout);
}

/* the bf16-input form (the prefill's gate/up product written in bf16): the same function of
 * the bf16 values, a multiple of 4 that is not a multiple of 8 (8-byte rows), bad sizes */
static void test_swiglu_bf16(void)
{
	int n = 37, inter = 1028;
	size_t ng = (size_t)n * 2 * inter;
	uint16_t *gu = malloc(ng * 2);
	fill_bf16(gu, ng, 4.0f);
	uint16_t *dgu = dev_from(gu, ng * 2);
	uint16_t *dout = dev_alloc((size_t)n * inter * 2);
	dev_poison(dout, (size_t)n * inter * 2);
	CHECK_EQ_INT(cc_kernels_swiglu_bf16(dout, dgu, n, inter, 0), CC_OK);
	uint16_t *out = malloc((size_t)n * inter * 2);
	to_host(out, dout, (size_t)n * inter * 2);
	double maxrel = swiglu_err(gu, get_bf16, out, n, inter);
	fprintf(stderr, "swiglu bf16: max rel err %.3g\n", maxrel);
	CHECK(maxrel <= 8e-3);
	CHECK_EQ_INT(cc_kernels_swiglu_bf16(dout, dgu, n, 1026, 0), CC_EINVAL); /* not % 4 */
	CHECK_EQ_INT(cc_kernels_swiglu_bf16(NULL, dgu, n, inter, 0), CC_EINVAL);
	free(gu);
	free(out);
	cudaFree(dgu);
	cudaFree(dout);
}

/* greedy's choice on the device against the CPU's (cc_sampler_sample's greedy branch: the
 * first index of the largest value, NaN refused): random rows, ties planted across threads'
 * slices, a NaN row, an all -inf row, a padded leading dimension */
static void test_argmax(int rows, int n, int ld)
{
	size_t tot = (size_t)rows * ld;
	float *x = malloc(tot * 4);
	int32_t *got = malloc((size_t)rows * 4);
	for (size_t i = 0; i < tot; i++)
		x[i] = rng_val(8.0f);
	for (int r = 0; r < rows; r++) {
		float *row = x + (size_t)r * ld;
		if (r % 4 == 1) { /* the maximum twice, far apart: the lower index wins */
			row[n - 1] = 100.0f;
			row[n / 3] = 100.0f;
		}
		if (r % 4 == 2 && n > 7)
			row[7] = NAN;
		if (r % 4 == 3)
			for (int i = 0; i < n; i++)
				row[i] = -INFINITY;
	}
	float *dx = dev_from(x, tot * 4);
	int32_t *dout = dev_alloc((size_t)rows * 4);
	CHECK_EQ_INT(cc_kernels_argmax(dout, dx, rows, n, ld, 0), CC_OK);
	to_host(got, dout, (size_t)rows * 4);
	int bad = 0;
	for (int r = 0; r < rows; r++) {
		const float *row = x + (size_t)r * ld;
		int32_t best = 0;
		for (int i = 0; i < n; i++) {
			if (isnan(row[i])) {
				best = -1;
				break;
			}
			if (row[i] > row[best])
				best = i;
		}
		bad += got[r] != best;
	}
	fprintf(stderr, "argmax rows=%d n=%d ld=%d: %d of %d rows differ from the CPU's\n", rows, n,
	        ld, bad, rows);
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(cc_kernels_argmax(dout, dx, rows, n, n - 1, 0), CC_EINVAL);
	free(x);
	free(got);
	cudaFree(dx);
	cudaFree(dout);
}

static void test_rope_qkv_f(int hd, int with_bias, int table, int in16);

static void test_rope_qkv(int hd, int with_bias)
{
	test_rope_qkv_f(hd, with_bias, 0, 0);
}

/* table: the frequencies come from a device table (cc_kernels_rope_qkv_freq, as for Llama 3's
 * scaled RoPE): arbitrary positive frequencies, checked against the same double reference.
 * in16: the projection is bf16 (cc_kernels_rope_qkv16, the prefill's path); the reference
 * reads the same bf16 values. */
static void test_rope_qkv_f(int hd, int with_bias, int table, int in16)
{
	int nh = 6, kvh = 2, bs = 16, n = 40, n_blocks = 8;
	int width = (nh + 2 * kvh) * hd;
	float theta = 10000.f;
	test_cache c;
	cache_init(&c, n_blocks, bs, kvh, hd, 0);
	float *qkv = malloc((size_t)n * width * 4);
	uint16_t *qkv16 = malloc((size_t)n * width * 2);
	for (size_t i = 0; i < (size_t)n * width; i++) {
		qkv[i] = rng_val(2.0f);
		qkv16[i] = h_f2bf(qkv[i]);
		if (in16)
			qkv[i] = h_bf2f(qkv16[i]);
	}
	uint16_t *bias = malloc(width * 2);
	fill_bf16(bias, width, 0.5f);
	int32_t pos[40], slot[40], lslot[40];
	/* tokens land at logical slots 3.. (a chunk after 3 cached ones), positions arbitrary */
	for (int t = 0; t < n; t++) {
		lslot[t] = 3 + t;
		slot[t] = c.table_h[lslot[t] / bs] * bs + lslot[t] % bs;
		pos[t] = 1000 + 37 * t;
	}
	float freq[64];
	for (int i = 0; i < hd / 2; i++) /* theta's, each scaled by a random factor in [0.1, 1] */
		freq[i] = (float)(pow(theta, -2.0 * i / hd) * (0.55 + 0.45 * rng_val(1.0f)));
	float *dfreq = dev_from(freq, sizeof(freq));
	float *dqkv = dev_from(qkv, (size_t)n * width * 4);
	uint16_t *dqkv16 = dev_from(qkv16, (size_t)n * width * 2);
	uint16_t *dbias = dev_from(bias, width * 2);
	int32_t *dpos = dev_from(pos, sizeof(pos)), *dslot = dev_from(slot, sizeof(slot));
	uint16_t *dq = dev_alloc((size_t)n * nh * hd * 2);
	dev_poison(dq, (size_t)n * nh * hd * 2);
	if (in16)
		CHECK_EQ_INT(cc_kernels_rope_qkv16(dq, &c.kv, dqkv16, with_bias ? dbias : NULL, dpos,
		                                   dslot, n, nh, theta, table ? dfreq : NULL, 0, 0),
		             CC_OK);
	else if (table)
		CHECK_EQ_INT(cc_kernels_rope_qkv_freq(dq, &c.kv, dqkv, with_bias ? dbias : NULL, dpos,
		                                      dslot, n, nh, theta, dfreq, 0),
		             CC_OK);
	else
		CHECK_EQ_INT(cc_kernels_rope_qkv(dq, &c.kv, dqkv, with_bias ? dbias : NULL, dpos,
		                                 dslot, n, nh, theta, 0),
		             CC_OK);
	uint16_t *q = malloc((size_t)n * nh * hd * 2);
	to_host(q, dq, (size_t)n * nh * hd * 2);
	to_host(c.pool_h, c.pool_d, (size_t)n_blocks * c.kv.block_stride * 2);
	double maxe = 0;
	int half = hd / 2;
	for (int t = 0; t < n; t++)
		for (int head = 0; head < nh + 2 * kvh; head++)
			for (int i = 0; i < half; i++) {
				int c0 = head * hd + i, c1 = c0 + half;
				double x0 = qkv[(size_t)t * width + c0], x1 = qkv[(size_t)t * width + c1];
				if (with_bias) {
					x0 += h_bf2f(bias[c0]);
					x1 += h_bf2f(bias[c1]);
				}
				double r0 = x0, r1 = x1;
				if (head < nh + kvh) {
					double ang = pos[t] * (table ? (double)freq[i]
					                             : pow(theta, -2.0 * i / hd));
					r0 = x0 * cos(ang) - x1 * sin(ang);
					r1 = x1 * cos(ang) + x0 * sin(ang);
				}
				const uint16_t *g;
				if (head < nh)
					g = q + ((size_t)t * nh + head) * hd;
				else if (head < nh + kvh)
					g = cache_row(&c, c.k_h, lslot[t], head - nh);
				else
					g = cache_row(&c, c.v_h, lslot[t], head - nh - kvh);
				/* relative to the pair's norm (a rotation keeps it): the f32 angle at
				 * positions in the thousands is off by ~1e-4 rad, as in HF */
				double nrm = hypot(r0, r1);
				double e0 = fabs(h_bf2f(g[i]) - r0) / nrm;
				double e1 = fabs(h_bf2f(g[i + half]) - r1) / nrm;
				if (isnan(h_bf2f(g[i])) || isnan(h_bf2f(g[i + half])))
					e0 = INFINITY;
				if (e0 > maxe)
					maxe = e0;
				if (e1 > maxe)
					maxe = e1;
			}
	/* slots never written must still hold the poison */
	int touched = 0;
	for (int s = 0; s < n_blocks * bs; s++) {
		if (s >= 3 && s < 3 + n)
			continue;
		for (int h = 0; h < kvh; h++) {
			const uint16_t *kr = cache_row(&c, c.k_h, s, h), *vr = cache_row(&c, c.v_h, s, h);
			for (int i = 0; i < hd; i++)
				touched += kr[i] != 0xffff || vr[i] != 0xffff;
		}
	}
	fprintf(stderr, "rope_qkv hd=%d bias=%d%s%s: max rel err %.3g\n", hd, with_bias,
	        table ? " (frequency table)" : "", in16 ? " (bf16 projection)" : "", maxe);
	CHECK(maxe <= 1e-2);
	CHECK_EQ_INT(touched, 0);
	free(qkv);
	free(qkv16);
	free(bias);
	free(q);
	cudaFree(dfreq);
	cudaFree(dqkv);
	cudaFree(dqkv16);
	cudaFree(dbias);
	cudaFree(dpos);
	cudaFree(dslot);
	cudaFree(dq);
	cache_free(&c);
}

/* reference attention of one query row (head hq) over logical slots 0..n_vis-1 */
static void ref_attn_row(double *out, double *lse, const uint16_t *qrow, const test_cache *c,
                         int kh, int n_vis, double scale)
{
	int hd = c->kv.head_dim;
	double *s = malloc(sizeof(double) * n_vis);
	double mx = -INFINITY;
	for (int j = 0; j < n_vis; j++) {
		const uint16_t *kr = cache_row(c, c->k_h, j, kh);
		double d = 0;
		for (int e = 0; e < hd; e++)
			d += (double)h_bf2f(qrow[e]) * h_bf2f(kr[e]);
		s[j] = d * scale;
		if (s[j] > mx)
			mx = s[j];
	}
	double sum = 0;
	for (int j = 0; j < n_vis; j++) {
		s[j] = exp(s[j] - mx);
		sum += s[j];
	}
	for (int e = 0; e < hd; e++)
		out[e] = 0;
	for (int j = 0; j < n_vis; j++) {
		const uint16_t *vr = cache_row(c, c->v_h, j, kh);
		for (int e = 0; e < hd; e++)
			out[e] += s[j] / sum * h_bf2f(vr[e]);
	}
	if (lse)
		*lse = mx + log(sum);
	free(s);
}

/* slots per cache block in the attention tests: 16 (the engine's usual size, a power of two:
 * the kernels find a slot's block by a shift) or another size (by a division) */
static int g_bs = 16;
static int g_hpb = 0; /* the heads-per-block setting in force (0: the default) */
static int g_wg = 0;  /* 1 while the wgmma prefill kernel is forced on (hd 128) */

static void test_prefill(int hd, int n_past, int n, int nh, int kvh, int rows)
{
	int bs = g_bs;
	int total = n_past + n;
	int n_blocks = (total + bs - 1) / bs + 2;
	double scale = 1.0 / sqrt(hd);
	test_cache c;
	cache_init(&c, n_blocks, bs, kvh, hd, 1);
	uint16_t *q = malloc((size_t)n * nh * hd * 2);
	fill_bf16(q, (size_t)n * nh * hd, 2.0f);
	uint16_t *dq = dev_from(q, (size_t)n * nh * hd * 2);
	uint16_t *dout = dev_alloc((size_t)n * nh * hd * 2);
	float *dlse = dev_alloc((size_t)nh * n * 4);
	dev_poison(dout, (size_t)n * nh * hd * 2);
	dev_poison(dlse, (size_t)nh * n * 4);
	/* with the key-split workspace when this shape uses one (the plain path is checked by
	 * the shapes that do not split, and by test_obs_stats) */
	size_t wsb = cc_kernels_attn_prefill_workspace(n, nh, hd, total);
	void *dws = wsb ? dev_alloc(wsb) : NULL;
	if (dws)
		dev_poison(dws, wsb);
	CHECK_EQ_INT(cc_kernels_attn_prefill(dout, dlse, n, dq, &c.kv, c.table_d, n_past, n, nh,
	                                     (float)scale, dws, wsb, 0),
	             CC_OK);
	uint16_t *out = malloc((size_t)n * nh * hd * 2);
	float *lse = malloc((size_t)nh * n * 4);
	to_host(out, dout, (size_t)n * nh * hd * 2);
	to_host(lse, dlse, (size_t)nh * n * 4);
	size_t no = (size_t)n * nh * hd;
	double *ref = malloc(sizeof(double) * no);
	float *got = malloc(sizeof(float) * no);
	double lse_err = 0;
	for (int i = 0; i < n; i++)
		for (int h = 0; h < nh; h++) {
			double l;
			ref_attn_row(ref + ((size_t)i * nh + h) * hd, &l, q + ((size_t)i * nh + h) * hd, &c,
			             h / (nh / kvh), n_past + i + 1, scale);
			double e = fabs(lse[(size_t)h * n + i] - l);
			if (isnan(lse[(size_t)h * n + i]))
				e = INFINITY;
			if (e > lse_err)
				lse_err = e;
		}
	for (size_t i = 0; i < no; i++)
		got[i] = h_bf2f(out[i]);
	double err = rel_err(got, ref, no);
	char kern[32];
	if (g_wg && hd == 128)
		snprintf(kern, sizeof kern, "wgmma (set)");
	else if (rows)
		snprintf(kern, sizeof kern, "rows/warp=%d", rows);
	else
		snprintf(kern, sizeof kern, "default kernel");
	fprintf(stderr,
	        "prefill hd=%d past=%d n=%d nh=%d kvh=%d bs=%d %s heads/block=%s%s: rel err %.3g, "
	        "lse max err %.3g\n",
	        hd, n_past, n, nh, kvh, bs, kern, g_hpb == 0 ? "default" : (g_hpb == 1 ? "1" : "2"),
	        wsb ? " (key split)" : "", err, lse_err);
	cudaFree(dws);
	CHECK(err <= 1e-2);
	CHECK(lse_err <= 2e-2);
	free(q);
	free(out);
	free(lse);
	free(ref);
	free(got);
	cudaFree(dq);
	cudaFree(dout);
	cudaFree(dlse);
	cache_free(&c);
}

/* 1 while the tensor-core decode kernel is selected (cc_kernels_set_decode_tc) */
static int g_dec_tc;

static void test_decode(int hd, int nh, int kvh, int n_seqs, const int *lens)
{
	int bs = g_bs, max_len = 0;
	for (int s = 0; s < n_seqs; s++)
		if (lens[s] > max_len)
			max_len = lens[s];
	int bt_stride = (max_len + bs - 1) / bs;
	int n_blocks = bt_stride * n_seqs;
	double scale = 1.0 / sqrt(hd);
	test_cache c; /* one pool; sequence s uses table entries s*bt_stride .. */
	cache_init(&c, n_blocks, bs, kvh, hd, 1);
	uint16_t *q = malloc((size_t)n_seqs * nh * hd * 2);
	fill_bf16(q, (size_t)n_seqs * nh * hd, 2.0f);
	uint16_t *dq = dev_from(q, (size_t)n_seqs * nh * hd * 2);
	int32_t *dlens = dev_from(lens, sizeof(int32_t) * n_seqs);
	size_t ws = cc_kernels_attn_decode_workspace(n_seqs, nh, hd, max_len);
	void *dws = dev_alloc(ws);
	size_t no = (size_t)n_seqs * nh * hd;
	uint16_t *dout = dev_alloc(no * 2);
	dev_poison(dout, no * 2);
	dev_poison(dws, ws);
	CHECK_EQ_INT(cc_kernels_attn_decode(dout, dq, &c.kv, c.table_d, bt_stride, dlens, n_seqs,
	                                    max_len, nh, (float)scale, dws, 0),
	             CC_OK);
	uint16_t *out = malloc(no * 2);
	to_host(out, dout, no * 2);
	double *ref = malloc(sizeof(double) * no);
	float *got = malloc(sizeof(float) * no);
	for (int s = 0; s < n_seqs; s++) {
		test_cache view = c; /* the sequence's own block table */
		view.table_h = c.table_h + (size_t)s * bt_stride;
		for (int h = 0; h < nh; h++)
			ref_attn_row(ref + ((size_t)s * nh + h) * hd, NULL, q + ((size_t)s * nh + h) * hd,
			             &view, h / (nh / kvh), lens[s], scale);
	}
	for (size_t i = 0; i < no; i++)
		got[i] = h_bf2f(out[i]);
	double err = rel_err(got, ref, no);
	fprintf(stderr, "decode%s hd=%d nh=%d kvh=%d bs=%d seqs=%d max_len=%d: rel err %.3g\n",
	        g_dec_tc ? " (tensor cores)" : "", hd, nh, kvh, bs, n_seqs, max_len, err);
	CHECK(err <= 1e-2);

	/* the merge in the attention launch (counters: the last split block merges; one split:
	 * the block writes the output) gives the separate merge kernel's bits; the counters are
	 * zero again after each call, so a second call (a graph replay) computes the same */
	int32_t *dctr = dev_alloc(sizeof(int32_t) * n_seqs * nh);
	GPU_OK(cudaMemset(dctr, 0, sizeof(int32_t) * n_seqs * nh));
	uint16_t *o2 = malloc(no * 2), *o3 = malloc(no * 2);
	int32_t *ctr = malloc(sizeof(int32_t) * n_seqs * nh);
	int diff_merged = 0, diff_sep = 0, ctr_left = 0;
	for (int rep = 0; rep < 2; rep++) {
		dev_poison(dout, no * 2);
		CHECK_EQ_INT(cc_kernels_attn_decode_merged(dout, dq, &c.kv, c.table_d, bt_stride, dlens,
		                                           n_seqs, max_len, nh, (float)scale, dws, dctr,
		                                           0),
		             CC_OK);
		to_host(o2, dout, no * 2);
		to_host(ctr, dctr, sizeof(int32_t) * n_seqs * nh);
		diff_merged += memcmp(o2, out, no * 2) != 0;
		for (int i = 0; i < n_seqs * nh; i++)
			ctr_left += ctr[i] != 0;
	}
	cc_kernels_set_decode_direct(0); /* the separate merge launch, even for one split */
	dev_poison(dout, no * 2);
	CHECK_EQ_INT(cc_kernels_attn_decode_merged(dout, dq, &c.kv, c.table_d, bt_stride, dlens,
	                                           n_seqs, max_len, nh, (float)scale, dws, dctr, 0),
	             CC_OK);
	cc_kernels_set_decode_direct(1);
	to_host(o3, dout, no * 2);
	diff_sep = memcmp(o3, out, no * 2) != 0;
	/* launched plainly instead of with programmatic dependent launch: the same bits */
	cc_kernels_set_decode_pdl(0);
	dev_poison(dout, no * 2);
	CHECK_EQ_INT(cc_kernels_attn_decode_merged(dout, dq, &c.kv, c.table_d, bt_stride, dlens,
	                                           n_seqs, max_len, nh, (float)scale, dws, dctr, 0),
	             CC_OK);
	cc_kernels_set_decode_pdl(1);
	to_host(o2, dout, no * 2);
	diff_sep += memcmp(o2, out, no * 2) != 0;
	fprintf(stderr,
	        "decode hd=%d max_len=%d: merged in the launch %s, separate merge / no PDL %s, "
	        "counters left non-zero %d\n",
	        hd, max_len, diff_merged ? "DIFFERS" : "identical", diff_sep ? "DIFFERS" : "identical",
	        ctr_left);
	CHECK_EQ_INT(diff_merged, 0);
	CHECK_EQ_INT(diff_sep, 0);
	CHECK_EQ_INT(ctr_left, 0);
	CHECK_EQ_INT(cc_kernels_attn_decode_merged(dout, dq, &c.kv, c.table_d, bt_stride, dlens,
	                                           n_seqs, max_len, nh, (float)scale, dws, NULL, 0),
	             CC_EINVAL);
	free(o2);
	free(o3);
	free(ctr);
	cudaFree(dctr);
	free(q);
	free(out);
	free(ref);
	free(got);
	cudaFree(dq);
	cudaFree(dlens);
	cudaFree(dws);
	cudaFree(dout);
	cache_free(&c);
}

static void test_obs_stats(int hd, int n_past, int n, int w)
{
	int nh = 6, kvh = 2, bs = g_bs, G = nh / kvh;
	int total = n_past + n;
	int n_blocks = (total + bs - 1) / bs + 1;
	double scale = 1.0 / sqrt(hd);
	test_cache c;
	cache_init(&c, n_blocks, bs, kvh, hd, 1);
	uint16_t *q = malloc((size_t)n * nh * hd * 2);
	fill_bf16(q, (size_t)n * nh * hd, 2.0f);
	uint16_t *dq = dev_from(q, (size_t)n * nh * hd * 2);
	uint16_t *dout = dev_alloc((size_t)n * nh * hd * 2);
	float *dlse = dev_alloc((size_t)nh * n * 4);
	/* the lse comes from the split path's merge when this shape splits */
	size_t wsb = cc_kernels_attn_prefill_workspace(n, nh, hd, total);
	void *dws = wsb ? dev_alloc(wsb) : NULL;
	CC_OK_OR_DIE(cc_kernels_attn_prefill(dout, dlse, n, dq, &c.kv, c.table_d, n_past, n, nh,
	                                     (float)scale, dws, wsb, 0));
	cudaFree(dws);
	float *dstats = dev_alloc((size_t)kvh * total * 4);
	dev_poison(dstats, (size_t)kvh * total * 4);
	/* window = the last w rows of the chunk */
	CHECK_EQ_INT(cc_kernels_obs_stats(dstats, dq + (size_t)(n - w) * nh * hd, dlse, n, n - w,
	                                  &c.kv, c.table_d, total - w, w, nh, (float)scale, 0),
	             CC_OK);
	float *stats = malloc((size_t)kvh * total * 4);
	to_host(stats, dstats, (size_t)kvh * total * 4);
	double *ref = calloc((size_t)kvh * total, sizeof(double));
	double *s = malloc(sizeof(double) * total);
	for (int i = 0; i < w; i++) {
		int qrow = n - w + i, vis = total - w + i + 1;
		for (int h = 0; h < nh; h++) {
			const uint16_t *qr = q + ((size_t)qrow * nh + h) * hd;
			int kh = h / G;
			double mx = -INFINITY, sum = 0;
			for (int j = 0; j < vis; j++) {
				const uint16_t *kr = cache_row(&c, c.k_h, j, kh);
				double d = 0;
				for (int e = 0; e < hd; e++)
					d += (double)h_bf2f(qr[e]) * h_bf2f(kr[e]);
				s[j] = d * scale;
				if (s[j] > mx)
					mx = s[j];
			}
			for (int j = 0; j < vis; j++)
				sum += exp(s[j] - mx);
			for (int j = 0; j < vis; j++)
				ref[(size_t)kh * total + j] += exp(s[j] - mx) / sum;
		}
	}
	double err = rel_err(stats, ref, (size_t)kvh * total);
	double mass = 0;
	for (size_t i = 0; i < (size_t)kvh * total; i++)
		mass += stats[i];
	fprintf(stderr, "obs_stats hd=%d bs=%d past=%d n=%d w=%d: rel err %.3g, mass %.4f (want %d)\n", hd, bs,
	        n_past, n, w, err, mass, w * nh);
	CHECK(err <= 1e-2);
	CHECK_NEAR(mass, w * nh, 1e-2 * w * nh);
	free(q);
	free(stats);
	free(ref);
	free(s);
	cudaFree(dq);
	cudaFree(dout);
	cudaFree(dlse);
	cudaFree(dstats);
	cache_free(&c);
}

static void test_gemm(void)
{
	int m = 77, n = 1152, k = 384;
	void *blas = NULL;
	CC_OK_OR_DIE(cc_kernels_blas_new(&blas));
	uint16_t *a = malloc((size_t)m * k * 2), *w = malloc((size_t)n * k * 2);
	fill_bf16(a, (size_t)m * k, 1.0f);
	fill_bf16(w, (size_t)n * k, 0.1f);
	float *c0 = malloc((size_t)m * n * 4);
	for (size_t i = 0; i < (size_t)m * n; i++)
		c0[i] = rng_val(1.0f);
	uint16_t *da = dev_from(a, (size_t)m * k * 2), *dw = dev_from(w, (size_t)n * k * 2);
	float *dc = dev_alloc((size_t)m * n * 4);
	float *c = malloc((size_t)m * n * 4);
	double *ref = malloc(sizeof(double) * m * n);
	for (int acc = 0; acc < 2; acc++) {
		if (acc)
			GPU_OK(cudaMemcpy(dc, c0, (size_t)m * n * 4, cudaMemcpyHostToDevice));
		else
			dev_poison(dc, (size_t)m * n * 4);
		CHECK_EQ_INT(cc_kernels_gemm(blas, dc, da, dw, m, n, k, acc, 0), CC_OK);
		to_host(c, dc, (size_t)m * n * 4);
		for (int i = 0; i < m; i++)
			for (int j = 0; j < n; j++) {
				double s = acc ? c0[(size_t)i * n + j] : 0;
				for (int e = 0; e < k; e++)
					s += (double)h_bf2f(a[(size_t)i * k + e]) * h_bf2f(w[(size_t)j * k + e]);
				ref[(size_t)i * n + j] = s;
			}
		double err = rel_err(c, ref, (size_t)m * n);
		fprintf(stderr, "gemm accumulate=%d: rel err %.3g\n", acc, err);
		CHECK(err <= 1e-4);
	}
	uint16_t *dcb = dev_alloc((size_t)m * n * 2);
	dev_poison(dcb, (size_t)m * n * 2);
	CHECK_EQ_INT(cc_kernels_gemm_bf16out(blas, dcb, da, dw, m, n, k, 0), CC_OK);
	uint16_t *cb = malloc((size_t)m * n * 2);
	to_host(cb, dcb, (size_t)m * n * 2);
	for (int i = 0; i < m; i++) /* ref still holds a.w^T + c0: subtract c0 */
		for (int j = 0; j < n; j++)
			ref[(size_t)i * n + j] -= c0[(size_t)i * n + j];
	for (size_t i = 0; i < (size_t)m * n; i++)
		c[i] = h_bf2f(cb[i]);
	double err = rel_err(c, ref, (size_t)m * n);
	fprintf(stderr, "gemm bf16 out: rel err %.3g\n", err);
	CHECK(err <= 5e-3);
	free(a);
	free(w);
	free(c0);
	free(c);
	/* the products above tuned their shapes (77 rows: the 128-row bucket) when tuning is on
	 * (CC_GEMM_TUNE=1 or 2); the accumulating product's result shows tuning never wrote
	 * into its output */
	const char *tenv = getenv("CC_GEMM_TUNE");
	int toff = !(tenv && (!strcmp(tenv, "1") || !strcmp(tenv, "2")));
	for (int acc = 0; acc < 2; acc++) {
		int kind = cc_kernels_gemm_tuned(m, n, k, 0, acc);
		fprintf(stderr, "gemm %dx%dx%d accumulate=%d: tuned kind %d\n", m, n, k, acc, kind);
		CHECK(toff ? kind == 0 : kind == 1 || kind == 2);
	}
	free(cb);
	free(ref);
	cudaFree(da);
	cudaFree(dw);
	cudaFree(dc);
	cudaFree(dcb);
	cc_kernels_blas_free(blas);
}

/* One product of a shape against the double-precision reference. out: 0 f32, 1 f32
 * accumulating into c0, 2 bf16. reps > 0: captured into a CUDA graph on a stream of its own
 * and the graph launched reps times (accumulating: c0 + reps products). Returns the kind
 * cc_kernels_gemm_tuned reports afterwards. */
static int gemm_case(void *blas, int m, int n, int k, int out, int reps)
{
	uint16_t *a = malloc((size_t)m * k * 2), *w = malloc((size_t)n * k * 2);
	fill_bf16(a, (size_t)m * k, 1.0f);
	fill_bf16(w, (size_t)n * k, 0.1f);
	float *c0 = malloc((size_t)m * n * 4), *c = malloc((size_t)m * n * 4);
	for (size_t i = 0; i < (size_t)m * n; i++)
		c0[i] = out == 1 ? rng_val(1.0f) : 0.0f;
	uint16_t *da = dev_from(a, (size_t)m * k * 2), *dw = dev_from(w, (size_t)n * k * 2);
	void *dc = dev_alloc((size_t)m * n * 4);
	if (out == 1)
		GPU_OK(cudaMemcpy(dc, c0, (size_t)m * n * 4, cudaMemcpyHostToDevice));
	else
		dev_poison(dc, (size_t)m * n * 4);
	cudaStream_t st = 0;
	int times = reps > 0 ? reps : 1;
	if (reps > 0) {
		GPU_OK(cudaStreamCreate(&st));
		GPU_OK(cudaStreamBeginCapture(st, cudaStreamCaptureModeThreadLocal));
	}
	int rc = out == 2 ? cc_kernels_gemm_bf16out(blas, dc, da, dw, m, n, k, st)
	                  : cc_kernels_gemm(blas, dc, da, dw, m, n, k, out == 1, st);
	CHECK_EQ_INT(rc, CC_OK);
	if (reps > 0) {
		cudaGraph_t g;
		cudaGraphExec_t ge;
		GPU_OK(cudaStreamEndCapture(st, &g));
		GPU_OK(cudaGraphInstantiate(&ge, g, 0));
		for (int r = 0; r < reps; r++)
			GPU_OK(cudaGraphLaunch(ge, st));
		GPU_OK(cudaStreamSynchronize(st));
		cudaGraphExecDestroy(ge);
		cudaGraphDestroy(g);
		GPU_OK(cudaStreamDestroy(st));
	}
	GPU_OK(cudaDeviceSynchronize());
	if (out == 2) {
		uint16_t *cb = malloc((size_t)m * n * 2);
		to_host(cb, dc, (size_t)m * n * 2);
		for (size_t i = 0; i < (size_t)m * n; i++)
			c[i] = h_bf2f(cb[i]);
		free(cb);
	} else
		to_host(c, dc, (size_t)m * n * 4);
	double *ref = malloc(sizeof(double) * m * n);
	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++) {
			double s = 0;
			for (int e = 0; e < k; e++)
				s += (double)h_bf2f(a[(size_t)i * k + e]) * h_bf2f(w[(size_t)j * k + e]);
			ref[(size_t)i * n + j] = c0[(size_t)i * n + j] + (out == 1 ? times : 1) * s;
		}
	double err = rel_err(c, ref, (size_t)m * n);
	int kind = cc_kernels_gemm_tuned(m, n, k, out == 2, out == 1);
	fprintf(stderr, "gemm %dx%dx%d out %d%s: rel err %.3g, tuned kind %d\n", m, n, k, out,
	        reps > 0 ? " (captured)" : "", err, kind);
	CHECK(err <= (out == 2 ? 5e-3 : 1e-4));
	free(a);
	free(w);
	free(c0);
	free(c);
	free(ref);
	cudaFree(da);
	cudaFree(dw);
	cudaFree(dc);
	return kind;
}

/* Tuned products: cublasLt's algorithms (forced, then by timing) give the reference's
 * values; an algorithm tuned at one size of a row bucket serves another size of it; a shape
 * tuned before a capture runs its algorithm inside a graph; a shape first met inside a
 * capture is not tuned there and still computes. */
static void test_gemm_tuned(void)
{
	const char *tenv = getenv("CC_GEMM_TUNE");
	if (tenv && !strcmp(tenv, "0")) {
		fprintf(stderr, "gemm tuning: skipped (CC_GEMM_TUNE=0)\n");
		return;
	}
	void *blas = NULL;
	CC_OK_OR_DIE(cc_kernels_blas_new(&blas));
	static const int shapes[][3] = {{77, 1152, 384}, {100, 1152, 384}, {8, 640, 256}, {300, 1536, 512}, {1000, 768, 256}};
	for (int mode = 2; mode >= 1; mode--) {
		cc_kernels_gemm_set_tune(mode);
		for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
			for (int out = 0; out < 3; out++) {
				int kind = gemm_case(blas, shapes[i][0], shapes[i][1], shapes[i][2], out,
				                     0);
				/* forced: cublasLt's algorithm (the heuristic always offers one for
				 * these plain shapes); timed: either */
				CHECK(mode == 2 ? kind == 2 : kind == 1 || kind == 2);
			}
	}
	for (int mode = 2; mode >= 1; mode--) {
		cc_kernels_gemm_set_tune(mode);
		void *tmp = dev_alloc((size_t)600 * 1152 * 2);
		void *tw = dev_alloc((size_t)1152 * 384 * 2);
		CHECK_EQ_INT(cc_kernels_gemm_prepare(blas, tmp, tw, 600, 1152, 384, 0, 1, 0), CC_OK);
		cudaFree(tmp);
		cudaFree(tw);
		int pk = cc_kernels_gemm_tuned(600, 1152, 384, 0, 1);
		CHECK(mode == 2 ? pk == 2 : pk == 1 || pk == 2);
		int kind = gemm_case(blas, 600, 1152, 384, 1, 3);
		CHECK(mode == 2 ? kind == 2 : kind >= 1);
		/* never tuned: the capture runs cuBLAS's default and tunes nothing */
		CHECK_EQ_INT(gemm_case(blas, 2000, 256, 384, 1, 2), 0);
		CHECK_EQ_INT(gemm_case(blas, 2000, 256, 384, 2, 1), 0);
	}
	/* a shape tuned through one handle runs its cublasLt algorithm through another (each
	 * handle makes its own workspace), eagerly and, after a prepare, inside a capture */
	cc_kernels_gemm_set_tune(2);
	CHECK_EQ_INT(gemm_case(blas, 300, 1536, 512, 0, 0), 2);
	for (int cap = 0; cap < 2; cap++) {
		void *blas2 = NULL;
		CC_OK_OR_DIE(cc_kernels_blas_new(&blas2));
		if (cap) {
			void *ta = dev_alloc((size_t)300 * 512 * 2), *tw = dev_alloc((size_t)1536 * 512 * 2);
			CHECK_EQ_INT(cc_kernels_gemm_prepare(blas2, ta, tw, 300, 1536, 512, 0, 0, 0),
			             CC_OK);
			cudaFree(ta);
			cudaFree(tw);
		}
		unsigned long before = cc_kernels_gemm_lt_runs();
		CHECK_EQ_INT(gemm_case(blas2, 300, 1536, 512, 0, cap), 2);
		fprintf(stderr, "gemm through a second handle%s: cublasLt products %lu\n",
		        cap ? " (captured)" : "", cc_kernels_gemm_lt_runs() - before);
		CHECK(cc_kernels_gemm_lt_runs() == before + 1);
		cc_kernels_blas_free(blas2);
	}
	/* preparing inside a capture is refused, not a crash */
	cudaStream_t st;
	GPU_OK(cudaStreamCreate(&st));
	void *tmp = dev_alloc(64 * 64 * 2); /* before the capture: no allocation inside one */
	GPU_OK(cudaStreamBeginCapture(st, cudaStreamCaptureModeThreadLocal));
	CHECK_EQ_INT(cc_kernels_gemm_prepare(blas, tmp, tmp, 64, 64, 64, 0, 0, st), CC_EINVAL);
	cudaGraph_t g = NULL;
	GPU_OK(cudaStreamEndCapture(st, &g));
	if (g)
		cudaGraphDestroy(g);
	GPU_OK(cudaStreamDestroy(st));
	cudaFree(tmp);
	cc_kernels_gemm_set_tune(-1);
	cc_kernels_blas_free(blas);
}

/* CPU twin of cc_kernels_gemv: the RMSNorm prologue rounds each normalised input to bf16 as
 * the kernel (and cc_kernels_rmsnorm) does; products in double. out f32 [m][n_out]. */
static void gemv_twin(double *out, int epi, const uint16_t *a, const float *x, const uint16_t *nw,
                      float eps, const uint16_t *w, int m, int n, int k)
{
	float *in = malloc(sizeof(float) * (size_t)m * k);
	for (int i = 0; i < m; i++) {
		double ss = 0;
		for (int e = 0; e < k; e++)
			ss += a ? 0 : (double)x[(size_t)i * k + e] * x[(size_t)i * k + e];
		float r = (float)(1.0 / sqrt(ss / k + eps));
		for (int e = 0; e < k; e++)
			in[(size_t)i * k + e] = a ? h_bf2f(a[(size_t)i * k + e])
			                          : h_bf2f(h_f2bf(x[(size_t)i * k + e] * r *
			                                          h_bf2f(nw[e])));
	}
	int nout = epi == CC_GEMV_SWIGLU ? n / 2 : n;
	for (int i = 0; i < m; i++)
		for (int j = 0; j < nout; j++) {
			double d[2] = {0, 0};
			for (int r = 0; r < (epi == CC_GEMV_SWIGLU ? 2 : 1); r++)
				for (int e = 0; e < k; e++)
					d[r] += (double)in[(size_t)i * k + e] *
					        h_bf2f(w[(size_t)(j + r * nout) * k + e]);
			out[(size_t)i * nout + j] =
				epi == CC_GEMV_SWIGLU ? d[0] / (1 + exp(-d[0])) * d[1] : d[0];
		}
	free(in);
}

/* The decode-sized products: every epilogue, with and without the RMSNorm prologue, against
 * the CPU twin; then m rows at once give bit for bit what each row gives alone (a batched
 * decode step equals the sessions decoded one by one). */
static void test_gemv(int m, int n, int k, int epi, int norm)
{
	int nout = epi == CC_GEMV_SWIGLU ? n / 2 : n;
	size_t osz = epi == CC_GEMV_SWIGLU ? 2 : 4;
	uint16_t *a = malloc((size_t)m * k * 2), *w = malloc((size_t)n * k * 2);
	uint16_t *nw = malloc((size_t)k * 2);
	float *x = malloc((size_t)m * k * 4), *o0 = malloc((size_t)m * nout * 4);
	fill_bf16(a, (size_t)m * k, 1.0f);
	fill_bf16(w, (size_t)n * k, 0.05f);
	fill_bf16(nw, (size_t)k, 1.5f);
	for (size_t i = 0; i < (size_t)m * k; i++)
		x[i] = rng_val(3.0f);
	for (size_t i = 0; i < (size_t)m * nout; i++)
		o0[i] = rng_val(1.0f);
	uint16_t *da = dev_from(a, (size_t)m * k * 2), *dw = dev_from(w, (size_t)n * k * 2);
	uint16_t *dnw = dev_from(nw, (size_t)k * 2);
	float *dx = dev_from(x, (size_t)m * k * 4);
	void *dout = dev_alloc((size_t)m * nout * osz), *dout1 = dev_alloc((size_t)m * nout * osz);
	if (epi == CC_GEMV_ADD) {
		GPU_OK(cudaMemcpy(dout, o0, (size_t)m * nout * 4, cudaMemcpyHostToDevice));
		GPU_OK(cudaMemcpy(dout1, o0, (size_t)m * nout * 4, cudaMemcpyHostToDevice));
	} else {
		dev_poison(dout, (size_t)m * nout * osz);
		dev_poison(dout1, (size_t)m * nout * osz);
	}
	CHECK_EQ_INT(cc_kernels_gemv(dout, epi, norm ? NULL : da, dx, dnw, 1e-5f, dw, m, n, k, 0),
	             CC_OK);
	/* each row alone */
	for (int i = 0; i < m; i++)
		CHECK_EQ_INT(cc_kernels_gemv((char *)dout1 + (size_t)i * nout * osz, epi,
		                             norm ? NULL : da + (size_t)i * k, dx + (size_t)i * k, dnw,
		                             1e-5f, dw, 1, n, k, 0),
		             CC_OK);
	GPU_OK(cudaDeviceSynchronize());
	unsigned char *got = malloc((size_t)m * nout * osz), *got1 = malloc((size_t)m * nout * osz);
	to_host(got, dout, (size_t)m * nout * osz);
	to_host(got1, dout1, (size_t)m * nout * osz);
	double *ref = malloc(sizeof(double) * m * nout);
	float *g = malloc(sizeof(float) * m * nout);
	gemv_twin(ref, epi, norm ? NULL : a, x, nw, 1e-5f, w, m, n, k);
	for (size_t i = 0; i < (size_t)m * nout; i++) {
		if (epi == CC_GEMV_ADD)
			ref[i] += o0[i];
		g[i] = epi == CC_GEMV_SWIGLU ? h_bf2f(((uint16_t *)got)[i]) : ((float *)got)[i];
	}
	double err = rel_err(g, ref, (size_t)m * nout);
	int same = memcmp(got, got1, (size_t)m * nout * osz) == 0;
	fprintf(stderr, "gemv m %d n %d k %d epilogue %d norm %d: rel err %.3g, rows alone %s\n", m,
	        n, k, epi, norm, err, same ? "identical" : "DIFFER");
	CHECK(err <= (epi == CC_GEMV_SWIGLU ? 5e-3 : (norm ? 1e-3 : 1e-5)));
	CHECK(same);
	free(a);
	free(w);
	free(nw);
	free(x);
	free(o0);
	free(got);
	free(got1);
	free(ref);
	free(g);
	cudaFree(da);
	cudaFree(dw);
	cudaFree(dnw);
	cudaFree(dx);
	cudaFree(dout);
	cudaFree(dout1);
}

/* CPU twin of cc_kernels_gemv_rope: gemv_twin's product (double, bf16-rounded normalised
 * input), the bias, then the rotate-half RoPE at pos[t] with freq (or theta's frequencies),
 * all in double. out [m][(nh + 2 * kvh) * hd]: q and k rotated, v as is. */
static void gemv_rope_twin(double *out, const uint16_t *a, const float *x, const uint16_t *nw,
                           const uint16_t *bias, const uint16_t *w, const int32_t *pos,
                           const float *freq, float theta, int m, int nh, int kvh, int hd, int k)
{
	int width = (nh + 2 * kvh) * hd, half = hd / 2;
	double *p = malloc(sizeof(double) * (size_t)m * width);
	gemv_twin(p, CC_GEMV_STORE, a, x, nw, 1e-5f, w, m, width, k);
	for (int t = 0; t < m; t++)
		for (int head = 0; head < nh + 2 * kvh; head++)
			for (int i = 0; i < half; i++) {
				size_t c0 = (size_t)t * width + head * hd + i, c1 = c0 + half;
				double x0 = p[c0] + (bias ? h_bf2f(bias[head * hd + i]) : 0);
				double x1 = p[c1] + (bias ? h_bf2f(bias[head * hd + i + half]) : 0);
				out[c0] = x0;
				out[c1] = x1;
				if (head < nh + kvh) {
					double ang = pos[t] * (freq ? (double)freq[i]
					                            : pow(theta, -2.0 * i / hd));
					out[c0] = x0 * cos(ang) - x1 * sin(ang);
					out[c1] = x1 * cos(ang) + x0 * sin(ang);
				}
			}
	free(p);
}

/* The fused q/k/v decode projection (cc_kernels_gemv_rope: RMSNorm prologue or bf16 input,
 * bias, RoPE from theta or a frequency table, q out, k/v into a shuffled paged cache) against
 * the two launches it replaces (cc_kernels_gemv then cc_kernels_rope_qkv_freq) on a second
 * copy of the same cache, and against the double twin. The unfused path's f32 sums are those
 * of the fused kernel's warps, so q and the cache should agree within one bf16 step (a fused
 * multiply-add contracted differently in the rotation); slots not written keep the poison. */
static void test_gemv_rope(int m, int nh, int kvh, int hd, int k, int with_bias, int table,
                           int norm)
{
	int width = (nh + 2 * kvh) * hd, bs = 16, n_blocks = 6, half = hd / 2;
	float theta = 500000.f;
	test_cache c1, c2;
	cache_init(&c1, n_blocks, bs, kvh, hd, 0);
	cache_init(&c2, n_blocks, bs, kvh, hd, 0);
	memcpy(c2.table_h, c1.table_h, sizeof(int32_t) * n_blocks); /* same slots, both caches */
	GPU_OK(cudaMemcpy(c2.table_d, c1.table_d, sizeof(int32_t) * n_blocks,
	                  cudaMemcpyDeviceToDevice));
	uint16_t *a = malloc((size_t)m * k * 2), *w = malloc((size_t)width * k * 2);
	uint16_t *nw = malloc((size_t)k * 2), *bias = malloc((size_t)width * 2);
	float *x = malloc((size_t)m * k * 4), freq[64];
	fill_bf16(a, (size_t)m * k, 1.0f);
	fill_bf16(w, (size_t)width * k, 0.05f);
	fill_bf16(nw, (size_t)k, 1.5f);
	fill_bf16(bias, (size_t)width, 0.5f);
	for (size_t i = 0; i < (size_t)m * k; i++)
		x[i] = rng_val(3.0f);
	for (int i = 0; i < half; i++)
		freq[i] = (float)(pow(theta, -2.0 * i / hd) * (0.55 + 0.45 * rng_val(1.0f)));
	int32_t pos[4], slot[4], lslot[4];
	for (int t = 0; t < m; t++) {
		lslot[t] = 5 + 23 * t; /* scattered logical slots, different blocks */
		slot[t] = c1.table_h[lslot[t] / bs] * bs + lslot[t] % bs;
		pos[t] = 700 + 1311 * t;
	}
	uint16_t *da = dev_from(a, (size_t)m * k * 2), *dw = dev_from(w, (size_t)width * k * 2);
	uint16_t *dnw = dev_from(nw, (size_t)k * 2), *db = dev_from(bias, (size_t)width * 2);
	float *dx = dev_from(x, (size_t)m * k * 4), *dfreq = dev_from(freq, sizeof(freq));
	int32_t *dpos = dev_from(pos, sizeof(int32_t) * m), *dslot = dev_from(slot, sizeof(int32_t) * m);
	float *dqkv = dev_alloc((size_t)m * width * 4);
	size_t qb = (size_t)m * nh * hd * 2;
	uint16_t *dq1 = dev_alloc(qb), *dq2 = dev_alloc(qb);
	dev_poison(dq1, qb);
	dev_poison(dq2, qb);
	const uint16_t *ua = norm ? NULL : da, *ub = with_bias ? db : NULL;
	const float *uf = table ? dfreq : NULL;
	/* the unfused path: f32 projection, then the RoPE-store kernel */
	CHECK_EQ_INT(cc_kernels_gemv(dqkv, CC_GEMV_STORE, ua, dx, dnw, 1e-5f, dw, m, width, k, 0),
	             CC_OK);
	CHECK_EQ_INT(cc_kernels_rope_qkv_freq(dq1, &c1.kv, dqkv, ub, dpos, dslot, m, nh, theta, uf,
	                                      0),
	             CC_OK);
	CHECK_EQ_INT(cc_kernels_gemv_rope(dq2, &c2.kv, ub, dpos, dslot, nh, theta, uf, ua, dx, dnw,
	                                  1e-5f, dw, m, k, 0),
	             CC_OK);
	GPU_OK(cudaDeviceSynchronize());
	size_t pe = (size_t)n_blocks * c1.kv.block_stride;
	uint16_t *q1 = malloc(qb), *q2 = malloc(qb);
	to_host(q1, dq1, qb);
	to_host(q2, dq2, qb);
	to_host(c1.pool_h, c1.pool_d, pe * 2);
	to_host(c2.pool_h, c2.pool_d, pe * 2);
	/* fused vs unfused: bit-equal, or within one bf16 step of the pair's size */
	int same = 0, total = 0, poison_bad = 0;
	double maxd = 0;
	for (size_t i = 0; i < pe + qb / 2; i++) {
		uint16_t u1 = i < pe ? c1.pool_h[i] : q1[i - pe];
		uint16_t u2 = i < pe ? c2.pool_h[i] : q2[i - pe];
		if (u1 == 0xffff || u2 == 0xffff) { /* poison: unwritten in both or a bug */
			poison_bad += u1 != u2;
			continue;
		}
		total++;
		same += u1 == u2;
		double d = fabs((double)h_bf2f(u1) - h_bf2f(u2)) / fmax(fabs(h_bf2f(u1)), 1e-3);
		if (isnan(d) || d > maxd)
			maxd = isnan(d) ? INFINITY : d;
	}
	/* against the double twin */
	double *ref = malloc(sizeof(double) * (size_t)m * width), maxe = 0;
	gemv_rope_twin(ref, ua ? a : NULL, x, nw, ub ? bias : NULL, w, pos, table ? freq : NULL,
	               theta, m, nh, kvh, hd, k);
	int written = 0;
	for (int t = 0; t < m; t++)
		for (int head = 0; head < nh + 2 * kvh; head++)
			for (int i = 0; i < half; i++) {
				const double *r = ref + (size_t)t * width + head * hd;
				const uint16_t *g;
				if (head < nh)
					g = q2 + ((size_t)t * nh + head) * hd;
				else if (head < nh + kvh)
					g = cache_row(&c2, c2.k_h, lslot[t], head - nh);
				else
					g = cache_row(&c2, c2.v_h, lslot[t], head - nh - kvh);
				double nrm = hypot(r[i], r[i + half]);
				double e = fmax(fabs(h_bf2f(g[i]) - r[i]), fabs(h_bf2f(g[i + half]) - r[i + half])) / nrm;
				if (isnan(e) || e > maxe)
					maxe = isnan(e) ? INFINITY : e;
				written += 2;
			}
	fprintf(stderr,
	        "gemv_rope m %d heads %d/%d hd %d k %d bias %d table %d norm %d: vs gemv + rope "
	        "%d/%d identical, max rel diff %.3g; vs twin max rel err %.3g\n",
	        m, nh, kvh, hd, k, with_bias, table, norm, same, total, maxd, maxe);
	CHECK_EQ_INT(poison_bad, 0);
	CHECK_EQ_INT(total, written); /* exactly the m tokens' q, k and v were written */
	CHECK(maxd <= 1.0 / 128);
	CHECK(same >= total * 99 / 100);
	CHECK(maxe <= 1e-2);
	free(a);
	free(w);
	free(nw);
	free(bias);
	free(x);
	free(q1);
	free(q2);
	free(ref);
	cudaFree(da);
	cudaFree(dw);
	cudaFree(dnw);
	cudaFree(db);
	cudaFree(dx);
	cudaFree(dfreq);
	cudaFree(dpos);
	cudaFree(dslot);
	cudaFree(dqkv);
	cudaFree(dq1);
	cudaFree(dq2);
	cache_free(&c1);
	cache_free(&c2);
}

static void test_copy_rows_bias(void)
{
	/* gather 100 random 128-byte rows of a 64 KiB buffer into a packed one, then back */
	size_t nb = 65536, row = 128, n = 100;
	unsigned char *src = malloc(nb);
	for (size_t i = 0; i < nb; i++)
		src[i] = (unsigned char)(rng_next() | 1);
	uint64_t *soff = malloc(n * 8), *doff = malloc(n * 8);
	for (size_t k = 0; k < n; k++) {
		soff[k] = (rng_next() % (nb / row)) * row;
		doff[k] = k * row;
	}
	void *dsrc = dev_from(src, nb), *ddst = dev_alloc(n * row);
	uint64_t *dso = dev_from(soff, n * 8), *ddo = dev_from(doff, n * 8);
	dev_poison(ddst, n * row);
	CHECK_EQ_INT(cc_kernels_copy_rows(ddst, ddo, dsrc, dso, n, row, 0), CC_OK);
	unsigned char *got = malloc(n * row);
	to_host(got, ddst, n * row);
	int bad = 0;
	for (size_t k = 0; k < n; k++)
		bad += memcmp(got + k * row, src + soff[k], row) != 0;
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(cc_kernels_copy_rows(ddst, ddo, dsrc, dso, n, 100, 0), CC_EINVAL);

	int rows = 9, dim = 100;
	float *x = malloc(sizeof(float) * rows * dim);
	uint16_t b[100];
	for (int i = 0; i < rows * dim; i++)
		x[i] = rng_val(1.0f);
	fill_bf16(b, dim, 1.0f);
	float *dx = dev_from(x, sizeof(float) * rows * dim);
	uint16_t *db = dev_from(b, sizeof(b));
	CHECK_EQ_INT(cc_kernels_add_bias(dx, db, rows, dim, 0), CC_OK);
	float *y = malloc(sizeof(float) * rows * dim);
	to_host(y, dx, sizeof(float) * rows * dim);
	bad = 0;
	for (int i = 0; i < rows * dim; i++)
		bad += y[i] != x[i] + h_bf2f(b[i % dim]);
	CHECK_EQ_INT(bad, 0);
	free(src);
	free(soff);
	free(doff);
	free(got);
	free(x);
	free(y);
	cudaFree(dsrc);
	cudaFree(ddst);
	cudaFree(dso);
	cudaFree(ddo);
	cudaFree(dx);
	cudaFree(db);
}

/* prefill shapes: head dim, cached slots before the chunk, chunk, query / KV heads */
static const struct {
	int hd, past, n, nh, kvh;
} pf_cases[] = {
	{64, 0, 200, 6, 2},    /* first chunk, partial last tile */
	{64, 77, 130, 6, 2},   /* chunk after cached tokens */
	{128, 20, 64, 8, 2},   /* hd 128, GQA 4 */
	{64, 0, 1, 6, 6},      /* a single token, MHA */
	{64, 1000, 300, 6, 2}, /* long cache, several key tiles before the chunk */
	{32, 5, 70, 4, 2},     /* hd 32 */
	{16, 0, 33, 4, 2},     /* hd 16 (the tiny Qwen2) */
	{64, 4000, 256, 6, 2}, /* an engine-sized chunk late in a 4K context: split */
	{128, 3000, 40, 8, 8}, /* split, hd 128, MHA */
	/* the head dims and GQA groups of real code models (issue 14) */
	{80, 30, 100, 10, 2},   /* hd 80, group 5 */
	{96, 0, 70, 14, 2},     /* hd 96, group 7 */
	{128, 2000, 64, 28, 4}, /* Qwen2.5-Coder-7B heads, key split */
	{96, 1500, 200, 10, 2}, /* hd 96, key split */
	{128, 0, 300, 32, 8},   /* Llama-3.1-8B heads: 128-row tiles, a partial last one */
	{128, 130, 257, 32, 8}, /* the same after cached slots, not tile-aligned */
	{64, 50, 150, 16, 2},   /* group 8: 4 heads per block by default */
	{128, 0, 100, 12, 2},   /* group 6 (Qwen2.5-Coder-1.5B): 2 heads per block */
};

int main(void)
{
	if (cc_kernels_device_count() == 0)
		TEST_SKIP("no CUDA device");
	uint64_t seed = seed_from_env();
	fprintf(stderr, "seed %llu (CC_TEST_SEED replays it)\n", (unsigned long long)seed);
	rng_seed(seed);
	cc_kernels_set_decode_tc(0); /* the scalar decode kernel first, whatever the shape */
	test_embedding();
	test_rmsnorm();
	test_swiglu();
	test_swiglu_bf16();
	test_argmax(8, 128256, 128256); /* Llama 3's vocabulary */
	test_argmax(5, 151936, 152000); /* Qwen2.5's, a padded row stride */
	test_argmax(4, 8192, 8192);     /* pycode-16m's */
	test_argmax(3, 5, 5);           /* fewer values than threads */
	test_rope_qkv(64, 0);
	test_rope_qkv(128, 1);
	/* the mma.sync prefill kernels: 16 query rows per warp (64 per block) and 32 (128 per
	 * block), each with the default heads per block (the largest of 4, 2, 1 dividing the
	 * group), one head per block and two (where 2 divides the group); the wgmma kernel off */
	cc_kernels_set_prefill_wgmma(0);
	for (g_hpb = 0; g_hpb <= 2; g_hpb++) {
		cc_kernels_set_prefill_heads_per_block(g_hpb);
		for (int rows = 16; rows <= 32; rows += 16) {
			cc_kernels_set_prefill_rows(rows);
			for (size_t i = 0; i < sizeof(pf_cases) / sizeof(pf_cases[0]); i++)
				test_prefill(pf_cases[i].hd, pf_cases[i].past, pf_cases[i].n,
				             pf_cases[i].nh, pf_cases[i].kvh, rows);
		}
	}
	g_hpb = 0;
	cc_kernels_set_prefill_heads_per_block(0);
	cc_kernels_set_prefill_rows(0);
	/* the wgmma kernel for every chunk (hd 128 on an sm_90a build and a compute 9.0 device;
	 * the other head dims and devices run the mma.sync kernel again), then the default (off:
	 * the mma.sync kernel) on a chunk that would take 32 rows per warp */
	cc_kernels_set_prefill_wgmma(1);
	g_wg = 1;
	for (size_t i = 0; i < sizeof(pf_cases) / sizeof(pf_cases[0]); i++)
		if (pf_cases[i].hd == 128)
			test_prefill(pf_cases[i].hd, pf_cases[i].past, pf_cases[i].n, pf_cases[i].nh,
			             pf_cases[i].kvh, 0);
	test_prefill(128, 0, 2048, 8, 2, 0);    /* a 2K chunk, group 4 (2 heads per block) */
	test_prefill(128, 1024, 1024, 7, 1, 0); /* group 7 (one head per block), after a chunk */
	test_prefill(128, 5000, 256, 12, 2, 0); /* a short chunk late in a long context: split */
	cc_kernels_set_prefill_wgmma(-1);
	g_wg = 0;
	test_prefill(128, 100, 1100, 8, 4, 0);
	int l1[] = {1, 17, 300, 1029};
	test_decode(64, 6, 2, 4, l1);
	int l2[] = {5000, 4096, 333, 64, 7000, 1, 2048, 4095};
	test_decode(64, 6, 2, 8, l2);
	int l3[] = {513, 2000};
	test_decode(128, 32, 8, 2, l3);
	int l4[] = {100, 3000};
	test_decode(16, 4, 2, 2, l4);
	int l6[] = {1, 40, 64}; /* one split: the attention block writes the output itself */
	test_decode(64, 6, 2, 3, l6);
	test_decode(128, 32, 8, 3, l6);
	test_obs_stats(64, 0, 300, 64);
	test_obs_stats(64, 100, 80, 64);
	test_obs_stats(128, 10, 40, 16);
	test_obs_stats(64, 2000, 100, 64); /* lse from the key-split merge */
	/* the head dims and GQA groups of real code models (issue 14): Qwen2.5-Coder-7B is 28
	 * query / 4 KV heads (group 7), 14B/32B 40 / 8 (group 5); head dims 80 and 96 use padded
	 * lane groups in decode; groups over 8 are cut into parts (16 -> 2 x 8, 11 -> 11 x 1) */
	test_rope_qkv(80, 1);
	test_rope_qkv(96, 0);
	test_rope_qkv_f(128, 0, 1, 0); /* Llama 3's scaled RoPE: frequencies from a table */
	test_rope_qkv_f(64, 1, 1, 0);
	test_rope_qkv_f(128, 1, 0, 1); /* the prefill's bf16 projection */
	test_rope_qkv_f(128, 0, 1, 1);
	test_rope_qkv_f(80, 1, 0, 1);
	int l5[] = {1, 700, 2049};
	test_decode(128, 28, 4, 3, l5); /* group 7 */
	test_decode(128, 40, 8, 3, l5); /* group 5 */
	test_decode(80, 10, 2, 3, l5);
	test_decode(96, 14, 2, 3, l5);
	test_decode(64, 32, 2, 3, l5); /* group 16: two blocks of 8 heads per KV head */
	test_decode(64, 22, 2, 3, l5); /* group 11: one head per block */
	/* the tensor-core decode kernel on the same shapes (hd 16 and group 22 keep the scalar
	 * kernel: checked that they still work with the switch on) */
	cc_kernels_set_decode_tc(1);
	g_dec_tc = 1;
	test_decode(64, 6, 2, 4, l1);
	test_decode(64, 6, 2, 8, l2);
	test_decode(128, 32, 8, 2, l3);
	test_decode(16, 4, 2, 2, l4);
	test_decode(64, 6, 2, 3, l6); /* one split: the output written by the kernel */
	test_decode(128, 32, 8, 3, l6);
	test_decode(128, 28, 4, 3, l5); /* group 7 */
	test_decode(128, 40, 8, 3, l5); /* group 5 */
	test_decode(80, 10, 2, 3, l5);
	test_decode(96, 14, 2, 3, l5);
	test_decode(64, 32, 2, 3, l5); /* group 16: all 16 rows of the tile */
	test_decode(64, 22, 2, 3, l5); /* group 11 */
	int l7[] = {31, 33, 32768};    /* a partial first tile, one key past it, a long context */
	test_decode(128, 32, 8, 3, l7);
	/* 32-key warp tiles (cc_kernels_set_decode_tc_tile; the default is 16): every head size,
	 * one split, the partial tiles, a group of 16 */
	cc_kernels_set_decode_tc_tile(32);
	fprintf(stderr, "decode on the tensor cores, 32-key tiles:\n");
	test_decode(128, 32, 8, 2, l3);
	test_decode(128, 32, 8, 3, l6);
	test_decode(128, 28, 4, 3, l5);
	test_decode(80, 10, 2, 3, l5);
	test_decode(96, 14, 2, 3, l5);
	test_decode(64, 32, 2, 3, l5);
	test_decode(128, 32, 8, 3, l7);
	cc_kernels_set_decode_tc_tile(16);
	/* the default: by GQA group (the tensor cores from group 4 on) */
	cc_kernels_set_decode_tc(-1);
	g_dec_tc = 0;
	test_decode(128, 28, 4, 3, l5);
	test_decode(128, 32, 8, 3, l7);
	/* a block size that is no power of two (slots found by division, not by a shift): both
	 * decode kernels, both prefill forms with and without the key split */
	g_bs = 12;
	for (int tc = 0; tc <= 1; tc++) {
		cc_kernels_set_decode_tc(tc);
		g_dec_tc = tc;
		test_decode(128, 32, 8, 3, l5);
		test_decode(64, 6, 2, 4, l1);
	}
	cc_kernels_set_decode_tc(-1);
	g_dec_tc = 0;
	for (int rows = 16; rows <= 32; rows += 16) {
		cc_kernels_set_prefill_rows(rows);
		test_prefill(128, 0, 300, 32, 8, rows);
		test_prefill(64, 2000, 100, 6, 2, rows); /* a short chunk after a long past: split */
	}
	cc_kernels_set_prefill_rows(0);
	test_obs_stats(64, 100, 80, 64);
	g_bs = 16;
	test_obs_stats(80, 50, 100, 64);
	test_obs_stats(96, 2000, 100, 32);
	test_gemm();
	test_gemm_tuned();
	test_gemv(1, 1000, 384, CC_GEMV_STORE, 0);
	test_gemv(1, 1152, 4096, CC_GEMV_STORE, 1); /* QKV: norm prologue, K over 32 x 8 x 8 */
	test_gemv(3, 520, 3584, CC_GEMV_ADD, 0);    /* Qwen2.5-Coder-7B width, partial sweep */
	test_gemv(4, 2 * 600, 1536, CC_GEMV_SWIGLU, 1);
	test_gemv(2, 2 * 333, 8960, CC_GEMV_SWIGLU, 0);
	test_gemv(4, 4099, 64, CC_GEMV_STORE, 1); /* lm_head-like: many rows, short k */
	cc_kernels_set_gemv_pdl(0);               /* plain launches compute the same */
	test_gemv(2, 2 * 600, 1536, CC_GEMV_SWIGLU, 1);
	test_gemv(1, 1152, 4096, CC_GEMV_ADD, 1);
	cc_kernels_set_gemv_pdl(1);
	/* q/k/v projection with RoPE and the KV store as its epilogue (decode steps) */
	test_gemv_rope(1, 32, 8, 128, 4096, 0, 1, 1); /* Llama-3.1-8B: llama3 frequency table */
	test_gemv_rope(1, 28, 4, 128, 3584, 1, 0, 1); /* Qwen2.5-Coder-7B: q/k/v bias, theta */
	test_gemv_rope(3, 10, 2, 80, 640, 1, 1, 1);   /* hd 80, 3 rows at once */
	test_gemv_rope(2, 14, 2, 96, 512, 0, 0, 0);   /* hd 96, bf16 input (no norm prologue) */
	test_gemv_rope(4, 4, 2, 16, 64, 1, 0, 1);     /* the tiny Qwen2's hd 16 */
	cc_kernels_set_gemv_pdl(0);
	test_gemv_rope(1, 6, 2, 64, 384, 1, 0, 1);
	cc_kernels_set_gemv_pdl(1);
	{
		cc_kernels_kv bad = {0};
		CHECK_EQ_INT(cc_kernels_gemv_rope(NULL, &bad, NULL, NULL, NULL, 6, 1e4f, NULL, NULL,
		                                  NULL, NULL, 0.f, NULL, 1, 64, 0),
		             CC_EINVAL);
	}
	CHECK_EQ_INT(cc_kernels_gemv(NULL, CC_GEMV_STORE, NULL, NULL, NULL, 0.f, NULL, 1, 8, 8, 0),
	             CC_EINVAL);
	CHECK(!cc_kernels_gemv_ok(5, 4096, 0) && !cc_kernels_gemv_ok(1, 100, 0));
	CHECK(!cc_kernels_gemv_ok(4, 16384, 1) && cc_kernels_gemv_ok(4, 16384, 0));
	test_copy_rows_bias();
	/* a kernel error is a status, never an abort */
	cc_kernels_kv bad = {0};
	CHECK_EQ_INT(cc_kernels_attn_prefill(NULL, NULL, 0, NULL, &bad, NULL, 0, 1, 6, 1.f, NULL, 0,
	                                     0),
	             CC_EINVAL);
	return test_result();
}
