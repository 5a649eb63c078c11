/*
 * test_gpu_ragged.c - the attention kernels' per-KV-head forms (ragged layers, kv/cc_kv.h's
 * lanes) against double-precision CPU twins: each (sequence, KV head) gets its own length
 * and its own lanes, drawn at random from every KV-head area of every block of one pool (so
 * a head reads areas that belong to other heads in a uniform layer); decode, the prefill of a
 * chunk (with and without the key split), the observation statistics and the RoPE store of
 * new rows to each head's own lane slot. Outputs are poisoned (NaN) before each launch; rows
 * and statistics outside what a head owns must stay poisoned. A uniform layer written as lane
 * tables (block * kv_heads + h) gives bit for bit what the uniform kernels give. Seed printed;
 * CC_TEST_SEED replays one. Skips (77) when no CUDA device is present.
 */
#include "cc_common.h"
#include "cc_kernels.h"
#include "gpu_util.h"
#include "test.h"

enum { BS = 16 };

/* A pool of nb blocks (bf16, K half then V half per block) and per (row, KV head) lane
 * tables: lanes[(r * kvh + h) * stride + k], lengths len[r * kvh + h]. */
typedef struct {
	cc_kernels_kv kv;
	int nb, kvh, hd, rows, stride;
	uint16_t *pool_h, *pool_d;
	int32_t *lanes, *len;
	int32_t *lanes_d, *len_d;
} rcache;

/* rows x kvh heads with the given lengths; lanes drawn without repetition at random from all
 * nb * kvh lanes of the pool (nb is chosen large enough). fill: random values, else poison. */
static void rc_init(rcache *c, int kvh, int hd, int rows, const int32_t *len, int fill)
{
	int need = 0, maxl = 1;
	for (int i = 0; i < rows * kvh; i++) {
		int nl = (len[i] + BS - 1) / BS;
		need += nl;
		if (nl > maxl)
			maxl = nl;
	}
	memset(c, 0, sizeof(*c));
	c->kvh = kvh;
	c->hd = hd;
	c->rows = rows;
	c->stride = maxl;
	c->nb = need / kvh + 3;
	size_t half = (size_t)kvh * BS * hd, elems = (size_t)c->nb * 2 * half;
	c->kv.block_stride = 2 * half;
	c->kv.block_size = BS;
	c->kv.kv_heads = kvh;
	c->kv.head_dim = hd;
	int total = c->nb * kvh;
	int32_t *perm = malloc(sizeof(int32_t) * total);
	for (int i = 0; i < total; i++)
		perm[i] = i;
	for (int i = total - 1; i > 0; i--) {
		int j = (int)(rng_next() % (uint64_t)(i + 1));
		int32_t t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	c->lanes = malloc(sizeof(int32_t) * (size_t)rows * kvh * c->stride);
	for (size_t i = 0; i < (size_t)rows * kvh * c->stride; i++)
		c->lanes[i] = -1; /* unused entries: never read */
	c->len = malloc(sizeof(int32_t) * (size_t)rows * kvh);
	for (int i = 0, at = 0; i < rows * kvh; i++) {
		c->len[i] = len[i];
		for (int k = 0; k < (len[i] + BS - 1) / BS; k++)
			c->lanes[(size_t)i * c->stride + k] = perm[at++];
	}
	free(perm);
	c->lanes_d = dev_from(c->lanes, sizeof(int32_t) * (size_t)rows * kvh * c->stride);
	c->len_d = dev_from(c->len, sizeof(int32_t) * (size_t)rows * kvh);
	c->pool_h = malloc(elems * 2);
	if (fill) {
		fill_bf16(c->pool_h, elems, 1.0f);
		c->pool_d = dev_from(c->pool_h, elems * 2);
	} else {
		memset(c->pool_h, 0xff, elems * 2);
		c->pool_d = dev_alloc(elems * 2);
		dev_poison(c->pool_d, elems * 2);
	}
	c->kv.k = c->pool_d;
	c->kv.v = c->pool_d + half;
}

static void rc_free(rcache *c)
{
	cudaFree(c->pool_d);
	cudaFree(c->lanes_d);
	cudaFree(c->len_d);
	free(c->pool_h);
	free(c->lanes);
	free(c->len);
}

/* host pointer to the K (v = 0) or V row of slot `slot` of (row r, KV head h) */
static const uint16_t *rc_row(const rcache *c, int r, int h, int slot, int v)
{
	int32_t id = c->lanes[((size_t)r * c->kvh + h) * c->stride + slot / BS];
	int blk = id / c->kvh, area = id % c->kvh;
	return c->pool_h + (size_t)blk * c->kv.block_stride +
	       (v ? (size_t)c->kvh * BS * c->hd : 0) + ((size_t)area * BS + slot % BS) * c->hd;
}

/* CPU twin of one query row over slots 0 .. n_vis-1 of (row r, KV head h): out, and the
 * log-sum-exp of the scaled scores; p (may be NULL) receives the probabilities. */
static void twin_row(double *out, double *lse, double *p, const uint16_t *q, const rcache *c,
                     int r, int h, int n_vis, double scale)
{
	int hd = c->hd;
	double *s = malloc(sizeof(double) * (n_vis ? n_vis : 1)), mx = -INFINITY, sum = 0;
	for (int j = 0; j < n_vis; j++) {
		const uint16_t *kr = rc_row(c, r, h, j, 0);
		double d = 0;
		for (int e = 0; e < hd; e++)
			d += (double)h_bf2f(q[e]) * h_bf2f(kr[e]);
		s[j] = d * scale;
		mx = s[j] > mx ? s[j] : mx;
	}
	for (int j = 0; j < n_vis; j++)
		sum += (s[j] = exp(s[j] - mx));
	for (int e = 0; out && e < hd; e++)
		out[e] = 0;
	for (int j = 0; j < n_vis; j++) {
		if (p)
			p[j] = s[j] / sum;
		const uint16_t *vr = rc_row(c, r, h, j, 1);
		for (int e = 0; out && e < hd; e++)
			out[e] += s[j] / sum * h_bf2f(vr[e]);
	}
	if (lse)
		*lse = mx + log(sum);
	free(s);
}

/* decode: n_seqs sequences, head (s, h) of length len[s * kvh + h] */
static void test_decode_heads(int hd, int nh, int kvh, int n_seqs, const int32_t *len)
{
	rcache c;
	int max_len = 1;
	double scale = 1.0 / sqrt(hd);
	rc_init(&c, kvh, hd, n_seqs, len, 1);
	for (int i = 0; i < n_seqs * kvh; i++)
		max_len = len[i] > max_len ? len[i] : max_len;
	size_t no = (size_t)n_seqs * nh * hd;
	uint16_t *q = malloc(no * 2), *out = malloc(no * 2);
	fill_bf16(q, no, 2.0f);
	uint16_t *dq = dev_from(q, no * 2), *dout = dev_alloc(no * 2);
	size_t ws = cc_kernels_attn_decode_workspace(n_seqs, nh, hd, max_len);
	void *dws = dev_alloc(ws);
	dev_poison(dout, no * 2);
	dev_poison(dws, ws);
	CHECK_EQ_INT(cc_kernels_attn_decode_heads(dout, dq, &c.kv, c.lanes_d, c.stride, c.len_d,
	                                          n_seqs, max_len, nh, (float)scale, dws, 0),
	             CC_OK);
	to_host(out, dout, no * 2);
	double *ref = malloc(sizeof(double) * no);
	float *got = malloc(sizeof(float) * no);
	for (int s = 0; s < n_seqs; s++)
		for (int h = 0; h < nh; h++) {
			int kh = h / (nh / kvh);
			twin_row(ref + ((size_t)s * nh + h) * hd, NULL, NULL, q + ((size_t)s * nh + h) * hd,
			         &c, s, kh, len[s * kvh + kh], scale);
		}
	for (size_t i = 0; i < no; i++)
		got[i] = h_bf2f(out[i]);
	double err = rel_err(got, ref, no);
	fprintf(stderr, "decode_heads hd=%d nh=%d kvh=%d seqs=%d max_len=%d: rel err %.3g\n", hd,
	        nh, kvh, n_seqs, max_len, err);
	CHECK(err <= 1e-2);
	/* the splits merged by the last block of each (sequence, head group), twice (the
	 * counters return to zero): the separate merge kernel's bits */
	{
		int32_t *dctr = dev_alloc(sizeof(int32_t) * n_seqs * nh);
		uint16_t *o2 = malloc(no * 2);
		int differ = 0;
		GPU_OK(cudaMemset(dctr, 0, sizeof(int32_t) * n_seqs * nh));
		for (int rep = 0; rep < 2; rep++) {
			dev_poison(dout, no * 2);
			CHECK_EQ_INT(cc_kernels_attn_decode_heads_merged(dout, dq, &c.kv, c.lanes_d,
			                                                 c.stride, c.len_d, n_seqs,
			                                                 max_len, nh, (float)scale, dws,
			                                                 dctr, 0),
			             CC_OK);
			to_host(o2, dout, no * 2);
			differ += memcmp(o2, out, no * 2) != 0;
		}
		fprintf(stderr, "decode_heads hd=%d nh=%d: merged in the launch %s\n", hd, nh,
		        differ ? "DIFFERS" : "identical");
		CHECK_EQ_INT(differ, 0);
		free(o2);
		cudaFree(dctr);
	}
	free(q);
	free(out);
	free(ref);
	free(got);
	cudaFree(dq);
	cudaFree(dout);
	cudaFree(dws);
	rc_free(&c);
}

/* prefill of n queries over heads with past[h] cached slots each (the chunk's keys already at
 * the head's slots past[h] .. past[h] + n - 1), then the observation statistics of the last
 * w queries from the prefill's lse */
static void test_prefill_heads(int hd, int nh, int kvh, const int32_t *past, int n, int w)
{
	rcache c;
	int32_t len[16], max_past = 0;
	int G = nh / kvh;
	double scale = 1.0 / sqrt(hd);
	for (int h = 0; h < kvh; h++) {
		len[h] = past[h] + n;
		max_past = past[h] > max_past ? past[h] : max_past;
	}
	rc_init(&c, kvh, hd, 1, len, 1);
	int32_t *dpast = dev_from(past, sizeof(int32_t) * kvh);
	size_t no = (size_t)n * nh * hd;
	uint16_t *q = malloc(no * 2), *out = malloc(no * 2);
	float *lse = malloc(sizeof(float) * nh * n);
	fill_bf16(q, no, 2.0f);
	uint16_t *dq = dev_from(q, no * 2), *dout = dev_alloc(no * 2);
	float *dlse = dev_alloc(sizeof(float) * nh * n);
	size_t wsb = cc_kernels_attn_prefill_workspace(n, nh, hd, max_past + n);
	void *dws = wsb ? dev_alloc(wsb) : NULL;
	dev_poison(dout, no * 2);
	dev_poison(dlse, sizeof(float) * nh * n);
	if (dws)
		dev_poison(dws, wsb);
	CHECK_EQ_INT(cc_kernels_attn_prefill_heads(dout, dlse, n, dq, &c.kv, c.lanes_d, c.stride,
	                                           dpast, max_past, n, nh, (float)scale, dws, wsb,
	                                           0),
	             CC_OK);
	to_host(out, dout, no * 2);
	to_host(lse, dlse, sizeof(float) * nh * n);
	double *ref = malloc(sizeof(double) * no), lse_err = 0;
	float *got = malloc(sizeof(float) * no);
	for (int i = 0; i < n; i++)
		for (int h = 0; h < nh; h++) {
			double l;
			int kh = h / G;
			twin_row(ref + ((size_t)i * nh + h) * hd, &l, NULL, q + ((size_t)i * nh + h) * hd,
			         &c, 0, kh, past[kh] + i + 1, scale);
			double e = fabs(lse[(size_t)h * n + i] - l);
			lse_err = isnan(lse[(size_t)h * n + i]) ? INFINITY : (e > lse_err ? e : lse_err);
		}
	for (size_t i = 0; i < no; i++)
		got[i] = h_bf2f(out[i]);
	double err = rel_err(got, ref, no);
	fprintf(stderr,
	        "prefill_heads hd=%d nh=%d kvh=%d past %d..%d n=%d%s: rel err %.3g, lse max err "
	        "%.3g\n",
	        hd, nh, kvh, past[0], past[kvh - 1], n, wsb ? " (key split)" : "", err, lse_err);
	CHECK(err <= 1e-2);
	CHECK(lse_err <= 2e-2);

	/* observation statistics of the last w queries: head h's window starts at its slot
	 * past[h] + n - w; row h of the output (stride max_past + n) holds its len[h] keys */
	int32_t q0[16];
	for (int h = 0; h < kvh; h++)
		q0[h] = past[h] + n - w;
	int32_t *dq0 = dev_from(q0, sizeof(int32_t) * kvh);
	int ostride = max_past + n;
	size_t ns = (size_t)kvh * ostride;
	float *dst = dev_alloc(ns * 4), *st = malloc(ns * 4);
	dev_poison(dst, ns * 4);
	CHECK_EQ_INT(cc_kernels_obs_stats_heads(dst, ostride, dq + (size_t)(n - w) * nh * hd, dlse, n,
	                                        n - w, &c.kv, c.lanes_d, c.stride, dq0,
	                                        max_past + n - w, w, nh, (float)scale, 0),
	             CC_OK);
	to_host(st, dst, ns * 4);
	double *sref = calloc(ns, sizeof(double)), *p = malloc(sizeof(double) * ostride);
	for (int i = n - w; i < n; i++)
		for (int h = 0; h < nh; h++) {
			int kh = h / G, vis = past[kh] + i + 1;
			twin_row(NULL, NULL, p, q + ((size_t)i * nh + h) * hd, &c, 0, kh, vis, scale);
			for (int j = 0; j < vis; j++)
				sref[(size_t)kh * ostride + j] += p[j];
		}
	/* compare each head's own keys; the rest of its row must be untouched */
	int untouched = 1;
	double num = 0, den = 0, mass = 0;
	for (int h = 0; h < kvh; h++)
		for (int j = 0; j < ostride; j++) {
			float g = st[(size_t)h * ostride + j];
			if (j >= len[h]) {
				untouched &= isnan(g);
				continue;
			}
			double d = isnan(g) ? INFINITY : g - sref[(size_t)h * ostride + j];
			num += d * d;
			den += sref[(size_t)h * ostride + j] * sref[(size_t)h * ostride + j];
			mass += g;
		}
	double serr = sqrt(num / den);
	fprintf(stderr, "obs_stats_heads w=%d: rel err %.3g, mass %.4f (want %d)\n", w, serr, mass,
	        w * nh);
	CHECK(serr <= 1e-2);
	CHECK_NEAR(mass, w * nh, 1e-2 * w * nh);
	CHECK(untouched);
	free(q);
	free(out);
	free(lse);
	free(ref);
	free(got);
	free(st);
	free(sref);
	free(p);
	cudaFree(dpast);
	cudaFree(dq);
	cudaFree(dout);
	cudaFree(dlse);
	cudaFree(dws);
	cudaFree(dq0);
	cudaFree(dst);
	rc_free(&c);
}

/* RoPE store: token t's K/V rows of head h go to its own slot past[h] + t of (row 0, h);
 * everything else in the pool stays poisoned. in16: from a bf16 projection
 * (cc_kernels_rope_qkv16 with lanes, the ragged prefill's path) */
static void test_rope_lanes(int hd, int nh, int kvh, const int32_t *past, int n, int in16)
{
	rcache c;
	int32_t len[16];
	int width = (nh + 2 * kvh) * hd, half = hd / 2;
	float theta = 10000.f;
	for (int h = 0; h < kvh; h++)
		len[h] = past[h] + n;
	rc_init(&c, kvh, hd, 1, len, 0);
	int32_t *pos = malloc(sizeof(int32_t) * n), *dst = malloc(sizeof(int32_t) * n * kvh);
	for (int t = 0; t < n; t++) {
		pos[t] = 500 + 3 * t;
		for (int h = 0; h < kvh; h++) {
			int sl = past[h] + t;
			dst[t * kvh + h] = c.lanes[(size_t)h * c.stride + sl / BS] * BS + sl % BS;
		}
	}
	float *qkv = malloc(sizeof(float) * n * width);
	uint16_t *qkv16 = malloc(sizeof(uint16_t) * n * width);
	for (int i = 0; i < n * width; i++) {
		qkv[i] = rng_val(2.0f);
		qkv16[i] = h_f2bf(qkv[i]);
		if (in16) /* the reference reads the values the kernel reads */
			qkv[i] = h_bf2f(qkv16[i]);
	}
	float *dqkv = dev_from(qkv, sizeof(float) * n * width);
	uint16_t *dqkv16 = dev_from(qkv16, sizeof(uint16_t) * n * width);
	int32_t *dpos = dev_from(pos, sizeof(int32_t) * n);
	int32_t *ddst = dev_from(dst, sizeof(int32_t) * n * kvh);
	uint16_t *dq = dev_alloc((size_t)n * nh * hd * 2);
	dev_poison(dq, (size_t)n * nh * hd * 2);
	if (in16)
		CHECK_EQ_INT(cc_kernels_rope_qkv16(dq, &c.kv, dqkv16, NULL, dpos, ddst, n, nh, theta,
		                                   NULL, 1, 0),
		             CC_OK);
	else
		CHECK_EQ_INT(cc_kernels_rope_qkv_lanes(dq, &c.kv, dqkv, NULL, dpos, ddst, n, nh, theta,
		                                       NULL, 0),
		             CC_OK);
	uint16_t *q = malloc((size_t)n * nh * hd * 2);
	uint16_t *before = malloc((size_t)c.nb * c.kv.block_stride * 2);
	memcpy(before, c.pool_h, (size_t)c.nb * c.kv.block_stride * 2);
	to_host(q, dq, (size_t)n * nh * hd * 2);
	to_host(c.pool_h, c.pool_d, (size_t)c.nb * c.kv.block_stride * 2);
	double maxe = 0;
	size_t written = 0;
	for (int t = 0; t < n; t++)
		for (int head = 0; head < nh + 2 * kvh; head++)
			for (int i = 0; i < half; i++) {
				double x0 = qkv[(size_t)t * width + head * hd + i];
				double x1 = qkv[(size_t)t * width + head * hd + i + half];
				double r0 = x0, r1 = x1;
				if (head < nh + kvh) {
					double ang = pos[t] * pow(theta, -2.0 * i / hd);
					r0 = x0 * cos(ang) - x1 * sin(ang);
					r1 = x1 * cos(ang) + x0 * sin(ang);
				}
				const uint16_t *g;
				if (head < nh)
					g = q + ((size_t)t * nh + head) * hd;
				else {
					int kh = head < nh + kvh ? head - nh : head - nh - kvh;
					g = rc_row(&c, 0, kh, past[kh] + t, head >= nh + kvh);
				}
				double nrm = hypot(r0, r1);
				double e0 = fabs(h_bf2f(g[i]) - r0) / nrm, e1 = fabs(h_bf2f(g[i + half]) - r1) / nrm;
				if (isnan(h_bf2f(g[i])) || isnan(h_bf2f(g[i + half])))
					e0 = INFINITY;
				maxe = e0 > maxe ? e0 : maxe;
				maxe = e1 > maxe ? e1 : maxe;
			}
	/* elements that changed: exactly n tokens x kvh heads x (K + V) x hd */
	for (size_t i = 0; i < (size_t)c.nb * c.kv.block_stride; i++)
		written += c.pool_h[i] != before[i];
	fprintf(stderr,
	        "rope_qkv_lanes hd=%d kvh=%d n=%d%s: max rel err %.3g, %zu elements written\n", hd,
	        kvh, n, in16 ? " (bf16 projection)" : "", maxe, written);
	CHECK(maxe <= 1e-2);
	CHECK_EQ_INT(written, (size_t)n * kvh * 2 * hd);
	free(pos);
	free(dst);
	free(qkv);
	free(qkv16);
	free(q);
	free(before);
	cudaFree(dqkv);
	cudaFree(dqkv16);
	cudaFree(dpos);
	cudaFree(ddst);
	cudaFree(dq);
	rc_free(&c);
}

/* A uniform layer as lane tables: block table B gives head h the lanes B[k] * kvh + h. The
 * per-head decode and prefill kernels must give bit for bit the uniform kernels' results (a
 * batch mixing uniform and ragged sessions runs uniform ones this way). */
static void test_uniform_as_lanes(int hd, int nh, int kvh, int len, int n)
{
	int nbk = (len + BS - 1) / BS, nb = nbk + 2;
	double scale = 1.0 / sqrt(hd);
	size_t half = (size_t)kvh * BS * hd, elems = (size_t)nb * 2 * half;
	uint16_t *pool = malloc(elems * 2);
	fill_bf16(pool, elems, 1.0f);
	uint16_t *dpool = dev_from(pool, elems * 2);
	cc_kernels_kv kv = {dpool, dpool + half, 2 * half, BS, kvh, hd};
	int32_t *bt = malloc(sizeof(int32_t) * nbk), *lt = malloc(sizeof(int32_t) * nbk * kvh);
	int32_t *lens = malloc(sizeof(int32_t) * kvh), *past = malloc(sizeof(int32_t) * kvh);
	for (int k = 0; k < nbk; k++)
		bt[k] = (k * 7 + 1) % nb; /* a scattered table */
	for (int h = 0; h < kvh; h++) {
		for (int k = 0; k < nbk; k++)
			lt[h * nbk + k] = bt[k] * kvh + h;
		lens[h] = len;
		past[h] = len - n;
	}
	int32_t *dbt = dev_from(bt, sizeof(int32_t) * nbk), *dlt = dev_from(lt, sizeof(int32_t) * nbk * kvh);
	int32_t *dlen = dev_from(lens, sizeof(int32_t) * kvh), *dpast = dev_from(past, sizeof(int32_t) * kvh);
	size_t nq = (size_t)n * nh * hd;
	uint16_t *q = malloc(nq * 2);
	fill_bf16(q, nq, 2.0f);
	uint16_t *dq = dev_from(q, nq * 2), *o1 = dev_alloc(nq * 2), *o2 = dev_alloc(nq * 2);
	uint16_t *h1 = malloc(nq * 2), *h2 = malloc(nq * 2);
	/* decode: the last query row alone, sequence length len */
	size_t ws = cc_kernels_attn_decode_workspace(1, nh, hd, len);
	void *dws = dev_alloc(ws);
	const uint16_t *qd = dq + (size_t)(n - 1) * nh * hd;
	CHECK_EQ_INT(cc_kernels_attn_decode(o1, qd, &kv, dbt, nbk, dlen, 1, len, nh, (float)scale, dws,
	                                    0),
	             CC_OK);
	CHECK_EQ_INT(cc_kernels_attn_decode_heads(o2, qd, &kv, dlt, nbk, dlen, 1, len, nh,
	                                          (float)scale, dws, 0),
	             CC_OK);
	to_host(h1, o1, (size_t)nh * hd * 2);
	to_host(h2, o2, (size_t)nh * hd * 2);
	int same_dec = memcmp(h1, h2, (size_t)nh * hd * 2) == 0;
	/* prefill of the last n slots */
	size_t wsb = cc_kernels_attn_prefill_workspace(n, nh, hd, len);
	void *pws = wsb ? dev_alloc(wsb) : NULL;
	CHECK_EQ_INT(cc_kernels_attn_prefill(o1, NULL, 0, dq, &kv, dbt, len - n, n, nh, (float)scale,
	                                     pws, wsb, 0),
	             CC_OK);
	CHECK_EQ_INT(cc_kernels_attn_prefill_heads(o2, NULL, 0, dq, &kv, dlt, nbk, dpast, len - n, n,
	                                           nh, (float)scale, pws, wsb, 0),
	             CC_OK);
	to_host(h1, o1, nq * 2);
	to_host(h2, o2, nq * 2);
	int same_pf = memcmp(h1, h2, nq * 2) == 0;
	fprintf(stderr, "uniform as lanes hd=%d nh=%d kvh=%d len=%d n=%d: decode %s, prefill %s\n",
	        hd, nh, kvh, len, n, same_dec ? "identical" : "DIFFER", same_pf ? "identical" : "DIFFER");
	CHECK(same_dec);
	CHECK(same_pf);
	free(pool);
	free(bt);
	free(lt);
	free(lens);
	free(past);
	free(q);
	free(h1);
	free(h2);
	cudaFree(dpool);
	cudaFree(dbt);
	cudaFree(dlt);
	cudaFree(dlen);
	cudaFree(dpast);
	cudaFree(dq);
	cudaFree(o1);
	cudaFree(o2);
	cudaFree(dws);
	cudaFree(pws);
}

int main(void)
{
	if (cc_kernels_device_count() == 0)
		TEST_SKIP("no CUDA device");
	uint64_t seed = seed_from_env();
	fprintf(stderr, "seed %llu (CC_TEST_SEED replays it)\n", (unsigned long long)seed);
	rng_seed(seed);
	cc_kernels_set_decode_tc(0); /* the scalar decode kernel first, whatever the shape */
	/* decode: heads of one sequence far apart (1 token, a block boundary, thousands) */
	int32_t d1[] = {1, 16, 17, 300, 2049, 5, 700, 64};
	test_decode_heads(64, 6, 2, 4, d1);
	test_decode_heads(128, 16, 4, 2, d1); /* group 4 */
	test_decode_heads(128, 28, 4, 2, d1); /* group 7 (Qwen2.5-Coder-7B) */
	test_decode_heads(16, 4, 2, 4, d1);   /* the tiny models' head_dim */
	test_decode_heads(80, 10, 2, 4, d1);  /* padded lane groups */
	test_decode_heads(64, 32, 2, 4, d1);  /* group 16: two blocks per KV head */
	test_decode_heads(64, 6, 3, 2, d1);   /* 3 KV heads: lane ids split by division */
	/* the tensor-core decode kernel (cc_kernels_set_decode_tc) on per-head lengths */
	cc_kernels_set_decode_tc(1);
	fprintf(stderr, "decode on the tensor cores:\n");
	test_decode_heads(64, 6, 2, 4, d1);
	test_decode_heads(128, 16, 4, 2, d1);
	test_decode_heads(128, 28, 4, 2, d1);
	test_decode_heads(80, 10, 2, 4, d1);
	test_decode_heads(64, 32, 2, 4, d1);
	test_decode_heads(64, 6, 3, 2, d1);
	cc_kernels_set_decode_tc_tile(32); /* 32-key warp tiles on per-head lengths */
	test_decode_heads(128, 28, 4, 2, d1);
	test_decode_heads(64, 32, 2, 4, d1);
	cc_kernels_set_decode_tc_tile(16);
	cc_kernels_set_decode_tc(-1); /* the default, by GQA group */
	test_decode_heads(128, 28, 4, 2, d1);
	int32_t p1[] = {0, 13}, p2[] = {77, 5, 300, 1}, p3[] = {4000, 900};
	/* both prefill kernels (cc_kernels_set_prefill_rows): 16 and 32 query rows per warp; the
	 * default heads per block (by GQA group: 4 for 16 / 4 and 8 / 2, 2 for 8 / 4) and one */
	/* it 4: the wgmma kernel for every chunk (hd 128 only; the rest as it 1) */
	for (int it = 0; it < 5; it++) {
		int rows = it & 1 ? 32 : 16, hpb = it == 2 || it == 3 ? 1 : 0;
		cc_kernels_set_prefill_rows(rows);
		cc_kernels_set_prefill_heads_per_block(hpb);
		cc_kernels_set_prefill_wgmma(it == 4 ? 1 : 0);
		fprintf(stderr, "prefill with %d query rows per warp, heads per block %s%s:\n", rows,
		        hpb ? "1" : "by group", it == 4 ? ", wgmma kernel set (hd 128)" : "");
		test_prefill_heads(128, 16, 4, p2, 90, 16); /* group 4 */
		test_prefill_heads(64, 8, 2, p3, 150, 32);  /* group 4, long heads: the key split */
		test_prefill_heads(64, 6, 2, p1, 200, 64);
		test_prefill_heads(128, 8, 4, p2, 70, 16);
		test_prefill_heads(64, 6, 2, p3, 256, 64); /* long heads: the key split */
		test_prefill_heads(16, 4, 2, p1, 33, 8);
		test_prefill_heads(96, 14, 2, p3, 40, 32);
		test_prefill_heads(64, 6, 3, p2, 70, 16); /* 3 KV heads */
		test_uniform_as_lanes(64, 6, 2, 1000, 100);
		test_uniform_as_lanes(128, 28, 4, 3000, 64); /* split prefill */
		test_uniform_as_lanes(16, 4, 2, 70, 1);
	}
	cc_kernels_set_prefill_rows(0);
	cc_kernels_set_prefill_heads_per_block(0);
	cc_kernels_set_prefill_wgmma(-1);
	test_rope_lanes(64, 6, 2, p1, 40, 0);
	test_rope_lanes(128, 8, 4, p2, 20, 0);
	test_rope_lanes(64, 6, 2, p1, 40, 1);
	test_rope_lanes(128, 8, 4, p2, 20, 1);
	/* bad arguments are a status */
	cc_kernels_kv bad = {0};
	CHECK_EQ_INT(cc_kernels_attn_prefill_heads(NULL, NULL, 0, NULL, &bad, NULL, 1, NULL, 0, 1, 6,
	                                           1.f, NULL, 0, 0),
	             CC_EINVAL);
	CHECK_EQ_INT(cc_kernels_obs_stats_heads(NULL, 0, NULL, NULL, 0, 0, &bad, NULL, 1, NULL, 0, 1,
	                                        6, 1.f, 0),
	             CC_EINVAL);
	return test_result();
}
