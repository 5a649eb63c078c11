/*
 * kvscores.c - cc_compress_kv_scores: per context token of each (layer, KV head), the L1 norm
 * of its value row (value-aware importance, VATP: a head's output is the attention-weighted
 * sum of values, so a token whose value is small adds little however much it is attended)
 * and how far its key points from the head's mean key direction (KeyDiff: keys close to the
 * mean are the common ones, distinct keys carry what others do not). codecomp multiplies its
 * attention part by them (value_weight, distinct_weight; compress/select.c).
 */
#include "cc_compress.h"
#include "cc_common.h"
#include "compress_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cc_compress_kv_scores(const cc_session *s, size_t n_ctx, float *vnorm, float *kdist)
{
	const cc_kv_config *kc;
	void *kraw = NULL, *vraw = NULL;
	float *f = NULL;
	double *mean = NULL;
	size_t row, cap = 0;
	int rc = CC_OK, hd;

	if (!s)
		return cc_error_set(CC_EINVAL, "kv_scores: NULL session");
	if (!vnorm && !kdist)
		return CC_OK;
	kc = cc_kv_pool_config(cc_session_pool(s));
	hd = kc->head_dim;
	if (cc_kv_pool_qlayout(cc_session_pool(s)))
		return cc_error_set(CC_EUNSUPPORTED, "kv_scores: the cache is quantized (value norms "
		                                     "and key directions are read from full-precision "
		                                     "rows)");
	for (int l = 0; l < kc->n_layers; l++)
		if (cc_kv_seq_len(cc_session_kv(s), l) < n_ctx)
			return cc_error_set(CC_EINVAL,
			                    "kv_scores: layer %d holds %zu tokens, fewer than the %zu "
			                    "context tokens",
			                    l, cc_kv_seq_len(cc_session_kv(s), l), n_ctx);
	if (n_ctx == 0)
		return CC_OK;
	row = (size_t)hd * cc_kv_dtype_size(kc->dtype);
	f = malloc((size_t)hd * sizeof(float));
	mean = malloc((size_t)hd * sizeof(double));
	if (!f || !mean) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (int l = 0; l < kc->n_layers; l++) {
		size_t len;
		if ((rc = cc_compress_export_layer(s, l, row, kdist ? &kraw : NULL,
		                                   vnorm ? &vraw : NULL, &cap, &len)))
			goto out;
		for (int h = 0; h < kc->n_kv_heads; h++) {
			size_t base = ((size_t)l * (size_t)kc->n_kv_heads + (size_t)h) * n_ctx;
			const char *kh = (const char *)kraw + (size_t)h * len * row,
				   *vh = (const char *)vraw + (size_t)h * len * row;
			double mn = 0;
			for (size_t j = 0; vnorm && j < n_ctx; j++) {
				double a = 0;
				cc_compress_row_f32(f, vh + j * row, kc->dtype, hd);
				for (int d = 0; d < hd; d++)
					a += fabs((double)f[d]);
				vnorm[base + j] = (float)a;
			}
			if (!kdist)
				continue;
			/* the mean of the unit keys, then each key's cosine with it */
			memset(mean, 0, (size_t)hd * sizeof(double));
			for (size_t j = 0; j < n_ctx; j++) {
				double nn = 0;
				cc_compress_row_f32(f, kh + j * row, kc->dtype, hd);
				for (int d = 0; d < hd; d++)
					nn += (double)f[d] * (double)f[d];
				if (!(nn > 0) || !isfinite(nn))
					continue;
				nn = sqrt(nn);
				for (int d = 0; d < hd; d++)
					mean[d] += (double)f[d] / nn;
			}
			for (int d = 0; d < hd; d++)
				mn += mean[d] * mean[d];
			mn = sqrt(mn);
			for (size_t j = 0; j < n_ctx; j++) {
				double nn = 0, dot = 0;
				cc_compress_row_f32(f, kh + j * row, kc->dtype, hd);
				for (int d = 0; d < hd; d++) {
					nn += (double)f[d] * (double)f[d];
					dot += (double)f[d] * mean[d];
				}
				kdist[base + j] =
					nn > 0 && mn > 0 && isfinite(dot) ? (float)(1 - dot / (sqrt(nn) * mn)) : 0;
			}
		}
	}
out:
	free(kraw);
	free(vraw);
	free(f);
	free(mean);
	return rc;
}
