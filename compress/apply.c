/*
 * apply.c - cc_compress_session: select per layer and KV head from the session's observation
 * statistics and the caller's priors, then compact the cache so that the dropped tokens'
 * blocks return to the pool.
 *
 * Every keep list is built before the first compaction, because compacting a layer
 * invalidates the session's observation statistics (and so that a bad input changes nothing).
 */
#include "cc_compress.h"
#include "cc_common.h"

#include <stdlib.h>
#include <string.h>

static int needs_attn(int policy)
{
	return policy == CC_POLICY_SNAPKV || policy == CC_POLICY_H2O ||
	       policy == CC_POLICY_CODECOMP || policy == CC_POLICY_PYRAMID ||
	       policy == CC_POLICY_ADAKV;
}

/* codecomp's per-layer counts (cc_compress_adaptive_keep) from the information in attn_cum,
 * or, in the modes of o->layer_info_obs (2: with a query after the context), in the
 * observation window's attention (the query's own), gathered for every layer and head. */
static int layer_counts(size_t *layer_k, cc_session *s, const cc_compress_opts *o, size_t n_ctx,
                        const float *attn_cum, int n_layers, int n_heads)
{
	int query = cc_kv_seq_len(cc_session_kv(s), 0) > n_ctx, rc = CC_OK;
	size_t nh = (size_t)n_heads;
	float *obs = NULL;

	if (!(o->layer_info_obs & (query ? 2 : 1)))
		return cc_compress_adaptive_keep(layer_k, o, n_ctx, attn_cum, n_layers, n_heads);
	if (!(obs = malloc((size_t)n_layers * nh * n_ctx * sizeof(float))))
		return cc_error_set(CC_ENOMEM, "out of memory");
	for (int l = 0; l < n_layers && !rc; l++)
		for (int h = 0; h < n_heads && !rc; h++) {
			const float *sc;
			const int32_t *pos;
			size_t on;
			if ((rc = cc_session_obs(s, l, h, &sc, &pos, &on)))
				break;
			if (on < n_ctx)
				rc = cc_error_set(CC_EINVAL,
				                  "compress: observation statistics cover %zu slots of "
				                  "layer %d, fewer than the %zu context tokens",
				                  on, l, n_ctx);
			else
				memcpy(obs + ((size_t)l * nh + (size_t)h) * n_ctx, sc,
				       n_ctx * sizeof(float));
		}
	if (!rc)
		rc = cc_compress_adaptive_keep(layer_k, o, n_ctx, obs, n_layers, n_heads);
	free(obs);
	return rc;
}

int cc_compress_session(cc_session *s, const cc_compress_opts *o, size_t n_ctx,
                        const float *prior, const uint8_t *protect, const float *attn_cum,
                        cc_compress_stats *st)
{
	const cc_kv_config *cfg;
	const cc_kv_seq *seq;
	cc_cache_stats cs;
	int32_t **keep = NULL, *sel = NULL;
	float *expected = NULL;             /* the expected policy's scores when the caller gave none */
	float *vnorm = NULL, *kdist = NULL; /* codecomp's value_weight and distinct_weight */
	size_t *n_keep = NULL, *layer_k = NULL, kept = 0, kept_sum = 0, *hk = NULL;
	cc_compress_input *hin = NULL;
	int rc = CC_OK, n_layers, n_heads, uniform = 0;
	/* codecomp's head budgets need a cache that can be ragged (full precision; a backend
	 * without ragged layers refuses the first compaction, below) */
	int heads_cc = o && o->policy == CC_POLICY_CODECOMP && o->head_adapt;
	double t0 = cc_now();

	if (!s || !o)
		return cc_error_set(CC_EINVAL, "compress: NULL %s", !s ? "session" : "options");
	cfg = cc_kv_pool_config(cc_session_pool(s));
	seq = cc_session_kv(s);
	n_layers = cfg->n_layers;
	n_heads = cfg->n_kv_heads;
	cc_session_cache_stats(&cs, s);
	if (st) {
		memset(st, 0, sizeof(*st));
		st->n_ctx = n_ctx;
		st->bytes_before = cs.bytes_used;
	}
	if (needs_attn(o->policy) && n_ctx > 0) {
		if (cc_session_obs_window(s) == 0)
			return cc_error_set(CC_ENOTFOUND,
			                    "compress: policy %s needs the session's "
			                    "observation statistics, and there are none (no prefill "
			                    "since the last change, or obs_window < 0)",
			                    cc_policy_name(o->policy));
	}
	keep = calloc((size_t)n_layers, sizeof(*keep));
	n_keep = calloc((size_t)n_layers, sizeof(*n_keep));
	sel = malloc((n_ctx ? n_ctx : 1) * sizeof(*sel));
	if (!keep || !n_keep || !sel) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	if (heads_cc && cc_kv_pool_qlayout(cc_session_pool(s)))
		heads_cc = 0, uniform = 1;
	/* adakv: per-head counts, selected over a layer's heads at once */
	if ((o->policy == CC_POLICY_ADAKV || heads_cc) && n_ctx > 0) {
		hk = malloc((size_t)n_layers * (size_t)n_heads * sizeof(*hk));
		hin = calloc((size_t)n_heads, sizeof(*hin));
		free(sel);
		sel = malloc(n_ctx * (size_t)n_heads * sizeof(*sel));
		if (!hk || !hin || !sel) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
	}
	/* Expected Attention from the session's own query statistics */
	if (o->policy == CC_POLICY_EXPECTED && !attn_cum && n_ctx > 0) {
		if (!(expected = malloc((size_t)n_layers * (size_t)n_heads * n_ctx * sizeof(float)))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = cc_compress_expected_attn(s, n_ctx, -1, 0, expected)))
			goto out;
		attn_cum = expected;
	}
	/* codecomp's value norms and key distinctiveness (left out where the cache cannot give
	 * them: a quantized pool) */
	if (o->policy == CC_POLICY_CODECOMP && o->vk_modes && n_ctx > 0 &&
	    (o->value_weight > 0 || o->distinct_weight > 0)) {
		size_t nf = (size_t)n_layers * (size_t)n_heads * n_ctx;
		if ((o->value_weight > 0 && !(vnorm = malloc(nf * sizeof(float)))) ||
		    (o->distinct_weight > 0 && !(kdist = malloc(nf * sizeof(float))))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		rc = cc_compress_kv_scores(s, n_ctx, vnorm, kdist);
		if (rc == CC_EUNSUPPORTED) {
			cc_error_clear();
			free(vnorm);
			free(kdist);
			vnorm = kdist = NULL;
			rc = CC_OK;
		} else if (rc) {
			goto out;
		}
	}
	/* codecomp's attention-steered layer budgets */
	if (o->policy == CC_POLICY_CODECOMP && o->layer_adapt && attn_cum && n_ctx > 0) {
		if (!(layer_k = malloc((size_t)n_layers * sizeof(*layer_k)))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = layer_counts(layer_k, s, o, n_ctx, attn_cum, n_layers, n_heads)))
			goto out;
	}
	for (int l = 0; l < n_layers; l++) {
		size_t n = cc_kv_seq_len(seq, l), nk = 0;
		if (n_ctx > n) {
			rc = cc_error_set(CC_EINVAL,
			                  "compress: %zu context tokens but layer %d of the "
			                  "cache holds %zu",
			                  n_ctx, l, n);
			goto out;
		}
		cc_compress_opts lo = *o;
		lo.keep = layer_k ? layer_k[l] : o->keep;
		for (int h = 0; h < n_heads; h++) {
			cc_compress_input in = {n_ctx, NULL, prior, protect, l, h, NULL, n > n_ctx,
			                        n_layers, NULL, NULL};
			size_t got = 0;
			if (needs_attn(o->policy) && n_ctx > 0) {
				const float *scores;
				const int32_t *pos;
				size_t on;
				if ((rc = cc_session_obs(s, l, h, &scores, &pos, &on)))
					goto out;
				if (on < n_ctx) {
					rc = cc_error_set(CC_EINVAL,
					                  "compress: observation statistics cover "
					                  "%zu slots of layer %d, fewer than the %zu context "
					                  "tokens",
					                  on, l, n_ctx);
					goto out;
				}
				/* H2O is cumulative attention of every query: the statistics must
				 * come from one prefill of everything in the cache. */
				if (o->policy == CC_POLICY_H2O && cc_session_obs_window(s) < on) {
					rc = cc_error_set(CC_EINVAL,
					                  "compress: h2o needs attention from "
					                  "all %zu cached tokens' queries, the statistics "
					                  "hold %zu (make the session with obs_window >= the "
					                  "prefill and prefill everything in one call)",
					                  on, cc_session_obs_window(s));
					goto out;
				}
				in.attn = scores;
			}
			if (attn_cum && (o->policy == CC_POLICY_CODECOMP || o->policy == CC_POLICY_KVZIP ||
			                 o->policy == CC_POLICY_EXPECTED))
				in.attn_cum = attn_cum + ((size_t)l * (size_t)n_heads + (size_t)h) * n_ctx;
			if (vnorm)
				in.vnorm = vnorm + ((size_t)l * (size_t)n_heads + (size_t)h) * n_ctx;
			if (kdist)
				in.kdist = kdist + ((size_t)l * (size_t)n_heads + (size_t)h) * n_ctx;
			if (hin) {
				hin[h] = in;
				continue;
			}
			if ((rc = cc_compress_select(sel, &got, layer_k ? &lo : o, &in)))
				goto out;
			if (h == 0) {
				nk = got + (n - n_ctx);
				keep[l] = malloc((nk ? nk : 1) * (size_t)n_heads * sizeof(int32_t));
				if (!keep[l]) {
					rc = cc_error_set(CC_ENOMEM, "out of memory");
					goto out;
				}
				n_keep[l] = nk;
			}
			CC_ASSERT(got + (n - n_ctx) == nk);
			int32_t *dst = keep[l] + (size_t)h * nk;
			memcpy(dst, sel, got * sizeof(int32_t));
			for (size_t j = n_ctx; j < n; j++)
				dst[got + j - n_ctx] = (int32_t)j;
		}
		if (hin) {
			/* each head's kept context tokens, then every token after the context */
			size_t *cnt = hk + (size_t)l * (size_t)n_heads, tot = 0, at = 0;
			if ((rc = cc_compress_select_heads(sel, cnt, layer_k ? &lo : o, hin, n_heads)))
				goto out;
			for (int h = 0; h < n_heads; h++)
				tot += cnt[h] + (n - n_ctx);
			keep[l] = malloc((tot ? tot : 1) * sizeof(int32_t));
			if (!keep[l]) {
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
			for (int h = 0, src = 0; h < n_heads; h++) {
				memcpy(keep[l] + at, sel + src, cnt[h] * sizeof(int32_t));
				src += (int)cnt[h];
				at += cnt[h];
				for (size_t j = n_ctx; j < n; j++)
					keep[l][at++] = (int32_t)j;
				kept_sum += cnt[h];
				cnt[h] += n - n_ctx;
			}
			continue;
		}
		kept_sum += n_keep[l] - (n - n_ctx);
	}
	if (hin)
		kept_sum /= (size_t)n_heads;
	kept = n_layers > 0 ? kept_sum / (size_t)n_layers : 0;
	for (int l = 0; l < n_layers; l++)
		if ((rc = hin ? cc_session_compact_heads(s, l, keep[l], hk + (size_t)l * n_heads)
		              : cc_session_compact(s, l, keep[l], n_keep[l]))) {
			/* a backend without ragged layers refuses the first one, before any change:
			 * codecomp then keeps the same count per head */
			if (rc == CC_EUNSUPPORTED && l == 0 && heads_cc)
				uniform = 2;
			goto out;
		}
	if (st) {
		cc_session_cache_stats(&cs, s);
		st->kept_per_head = kept;
		st->bytes_after = cs.bytes_used;
		st->seconds = cc_now() - t0;
		st->head_uniform = uniform != 0;
	}
out:
	if (keep)
		for (int l = 0; l < n_layers; l++)
			free(keep[l]);
	free(keep);
	free(n_keep);
	free(layer_k);
	free(expected);
	free(vnorm);
	free(kdist);
	free(sel);
	free(hk);
	free(hin);
	if (uniform == 2) {
		cc_compress_opts u = *o;
		u.head_adapt = CC_HEAD_UNIFORM;
		cc_error_clear();
		if ((rc = cc_compress_session(s, &u, n_ctx, prior, protect, attn_cum, st)) == CC_OK &&
		    st)
			st->head_uniform = 1;
	}
	return rc;
}
