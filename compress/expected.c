/*
 * expected.c - cc_compress_expected_attn: Expected Attention (arXiv 2510.00636), the
 * importance of each cached key under the attention that future queries are expected to pay
 * it. The queries are modelled as a Gaussian whose mean and covariance come from the
 * observation window's queries (cc_session_query_stats, before RoPE), rotated by RoPE
 * averaged over the next n_future positions; for a Gaussian query q ~ N(mu, Sigma) the
 * expected unnormalised attention E[exp(q.k / sqrt(d))] is exp(mu.k / sqrt(d) +
 * k^T Sigma k / (2 d)), normalised over the context keys (softmax), averaged over the query
 * heads of a KV head's group and multiplied by the value's norm, as in the paper (kvpress's
 * ExpectedAttentionPress).
 */
#include "cc_compress.h"
#include "cc_common.h"
#include "compress_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A cache row as floats (compress_int.h). */
void cc_compress_row_f32(float *out, const void *src, int dtype, int n)
{
	const uint16_t *h = src;
	if (dtype == CC_KV_F32) {
		memcpy(out, src, (size_t)n * sizeof(float));
		return;
	}
	for (int i = 0; i < n; i++) {
		uint32_t u;
		if (dtype == CC_KV_BF16) {
			u = (uint32_t)h[i] << 16;
		} else { /* IEEE half */
			uint32_t sgn = (uint32_t)(h[i] & 0x8000) << 16, e = (h[i] >> 10) & 0x1f,
				 m = h[i] & 0x3ff;
			if (e == 0) {
				float f = ldexpf((float)m, -24);
				out[i] = sgn ? -f : f;
				continue;
			}
			u = sgn | (e == 31 ? 0x7f800000u | (m << 13) : ((e + 112) << 23) | (m << 13));
		}
		memcpy(&out[i], &u, sizeof(u));
	}
}

int cc_compress_export_layer(const cc_session *s, int l, size_t row, void **k, void **v,
                             size_t *cap, size_t *len)
{
	const cc_kv_config *kc = cc_kv_pool_config(cc_session_pool(s));
	*len = cc_kv_seq_len(cc_session_kv(s), l);
	if (*len * (size_t)kc->n_kv_heads > *cap) {
		*cap = *len * (size_t)kc->n_kv_heads;
		for (int vv = 0; vv < 2; vv++) {
			void **b = vv ? v : k;
			if (!b)
				continue;
			free(*b);
			if (!(*b = malloc(*cap * row))) {
				*cap = 0;
				return cc_error_set(CC_ENOMEM, "out of memory copying layer %d's rows", l);
			}
		}
	}
	return cc_session_kv_export(s, l, NULL, k ? *k : NULL, v ? *v : NULL);
}

/* x = Rbar x for one head vector: pair (i, i + half) rotated by the averaged rotation
 * [[c, -s], [s, c]] (c[i], s[i]); stride: distance between consecutive elements. */
static void rot_avg(double *x, size_t stride, const double *c, const double *s, int hd)
{
	int half = hd / 2;
	for (int i = 0; i < half; i++) {
		double a = x[(size_t)i * stride], b = x[(size_t)(i + half) * stride];
		x[(size_t)i * stride] = c[i] * a - s[i] * b;
		x[(size_t)(i + half) * stride] = c[i] * b + s[i] * a;
	}
}

int cc_compress_expected_attn(const cc_session *s, size_t n_ctx, int64_t pos0, size_t n_future,
                              float *out)
{
	const cc_kv_config *kc;
	cc_model_info info;
	cc_cache_stats cs;
	float *inv = NULL, *kf = NULL;
	void *kraw = NULL, *vraw = NULL;
	double *c = NULL, *sn = NULL, *mu = NULL, *sig = NULL, *z = NULL, *acc = NULL;
	int rc = CC_OK, hd, group;
	size_t row, cap = 0;

	if (!s || !out)
		return cc_error_set(CC_EINVAL, "expected_attn: NULL %s", !s ? "session" : "out");
	if (n_future == 0)
		n_future = 512;
	kc = cc_kv_pool_config(cc_session_pool(s));
	cc_model_info_get(&info, cc_session_model(s));
	hd = kc->head_dim;
	group = info.n_heads / info.n_kv_heads;
	if (cc_kv_pool_qlayout(cc_session_pool(s)))
		return cc_error_set(CC_EUNSUPPORTED, "expected_attn: the cache is quantized (Expected "
		                                     "Attention reads full-precision keys)");
	if (hd % 2 || group < 1)
		return cc_error_set(CC_EINVAL, "expected_attn: head_dim %d / %d query heads per KV "
		                               "head",
		                    hd, group);
	for (int l = 0; l < kc->n_layers; l++)
		if (cc_kv_seq_len(cc_session_kv(s), l) < n_ctx)
			return cc_error_set(CC_EINVAL, "expected_attn: layer %d holds %zu tokens, fewer "
			                               "than the %zu context tokens",
			                    l,
			                    cc_kv_seq_len(cc_session_kv(s), l), n_ctx);
	if (pos0 < 0) {
		cc_session_cache_stats(&cs, s);
		pos0 = cs.next_pos;
	}
	row = (size_t)hd * cc_kv_dtype_size(kc->dtype);
	inv = malloc((size_t)hd / 2 * sizeof(float));
	c = calloc((size_t)hd / 2, sizeof(double));
	sn = calloc((size_t)hd / 2, sizeof(double));
	mu = malloc((size_t)hd * sizeof(double));
	sig = malloc((size_t)hd * (size_t)hd * sizeof(double));
	kf = malloc(2 * (size_t)hd * sizeof(float));
	z = malloc((n_ctx ? n_ctx : 1) * sizeof(double));
	acc = malloc((n_ctx ? n_ctx : 1) * sizeof(double));
	if (!inv || !c || !sn || !mu || !sig || !kf || !z || !acc) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	/* RoPE averaged over the future positions pos0 .. pos0 + n_future - 1 */
	cc_model_rope_inv_freq(cc_session_model(s), inv);
	for (int i = 0; i < hd / 2; i++) {
		for (size_t t = 0; t < n_future; t++) {
			double ang = (double)(pos0 + (int64_t)t) * (double)inv[i];
			c[i] += cos(ang);
			sn[i] += sin(ang);
		}
		c[i] /= (double)n_future;
		sn[i] /= (double)n_future;
	}
	for (int l = 0; l < kc->n_layers; l++) {
		size_t len;
		if ((rc = cc_compress_export_layer(s, l, row, &kraw, &vraw, &cap, &len)))
			goto out;
		for (int h = 0; h < kc->n_kv_heads; h++) {
			float *dst = out + ((size_t)l * (size_t)kc->n_kv_heads + (size_t)h) * n_ctx;
			memset(acc, 0, (n_ctx ? n_ctx : 1) * sizeof(double));
			for (int g = 0; g < group; g++) {
				const float *sum, *outer;
				size_t nq;
				double mx = -INFINITY, zs = 0;
				if ((rc = cc_session_query_stats(s, l, h * group + g, &sum, &outer, &nq)))
					goto out;
				for (int a = 0; a < hd; a++)
					mu[a] = nq ? (double)sum[a] / (double)nq : 0;
				for (int a = 0; a < hd; a++)
					for (int b = 0; b < hd; b++)
						sig[(size_t)a * hd + b] =
							nq > 1 ? (double)outer[(size_t)a * hd + b] / (double)nq -
									 mu[a] * mu[b]
							       : 0;
				/* mu = Rbar mu; Sigma = Rbar Sigma Rbar^T (columns, then rows) */
				rot_avg(mu, 1, c, sn, hd);
				for (int b = 0; b < hd; b++)
					rot_avg(sig + b, (size_t)hd, c, sn, hd);
				for (int a = 0; a < hd; a++)
					rot_avg(sig + (size_t)a * hd, 1, c, sn, hd);
				for (size_t j = 0; j < n_ctx; j++) {
					double lin = 0, quad = 0;
					cc_compress_row_f32(kf, (const char *)kraw + ((size_t)h * len + j) * row, kc->dtype,
					                    hd);
					for (int a = 0; a < hd; a++) {
						double sa = 0;
						for (int b = 0; b < hd; b++)
							sa += sig[(size_t)a * hd + b] * (double)kf[b];
						lin += mu[a] * (double)kf[a];
						quad += (double)kf[a] * sa;
					}
					z[j] = lin / sqrt((double)hd) + quad / (2.0 * (double)hd);
					if (!(z[j] <= mx))
						mx = isnan(z[j]) ? mx : z[j];
				}
				for (size_t j = 0; j < n_ctx; j++) {
					z[j] = isnan(z[j]) ? 0 : exp(z[j] - mx);
					zs += z[j];
				}
				for (size_t j = 0; j < n_ctx; j++)
					acc[j] += zs > 0 ? z[j] / zs / (double)group : 0;
			}
			for (size_t j = 0; j < n_ctx; j++) {
				double vn = 0;
				cc_compress_row_f32(kf + hd, (const char *)vraw + ((size_t)h * len + j) * row, kc->dtype,
				                    hd);
				for (int a = 0; a < hd; a++)
					vn += (double)kf[hd + a] * (double)kf[hd + a];
				dst[j] = (float)(acc[j] * sqrt(vn));
			}
		}
	}
out:
	free(inv);
	free(kraw);
	free(vraw);
	free(kf);
	free(c);
	free(sn);
	free(mu);
	free(sig);
	free(z);
	free(acc);
	return rc;
}
