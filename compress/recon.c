/*
 * recon.c - cc_compress_recon_attn: KVzip's query-agnostic importance (arXiv 2505.23416), the
 * attention that a teacher-forced repeat of the context pays to the original context, from
 * the engine's observation statistics of a prefill of the repeat on a fork of the session.
 * The paper takes each key's maximum over the repeat's queries; the engine sums them, so this
 * is the summed version.
 */
#include "cc_compress.h"
#include "cc_common.h"

#include <stdlib.h>
#include <string.h>

int cc_compress_recon_attn(cc_session *s, const int32_t *ids, size_t n_ctx, size_t chunk,
                           float *out)
{
	const cc_kv_config *cfg;
	cc_session *f = NULL;
	int rc = CC_OK;

	if (!s || !ids || !out)
		return cc_error_set(CC_EINVAL, "recon_attn: NULL %s",
		                    !s ? "session" : (!ids ? "ids" : "out"));
	if (chunk == 0)
		chunk = 512;
	cfg = cc_kv_pool_config(cc_session_pool(s));
	for (int l = 0; l < cfg->n_layers; l++)
		if (cc_kv_seq_len(cc_session_kv(s), l) != n_ctx)
			return cc_error_set(CC_EINVAL,
			                    "recon_attn: layer %d holds %zu tokens, not the "
			                    "%zu context tokens",
			                    l, cc_kv_seq_len(cc_session_kv(s), l), n_ctx);
	memset(out, 0, (size_t)cfg->n_layers * (size_t)cfg->n_kv_heads * n_ctx * sizeof(float));
	for (size_t c0 = 0; c0 < n_ctx; c0 += chunk) {
		size_t n = n_ctx - c0 < chunk ? n_ctx - c0 : chunk;
		if ((rc = cc_session_fork(&f, s)) || (rc = cc_session_prefill(f, ids + c0, n, NULL)))
			goto out;
		if (cc_session_obs_window(f) < n) {
			rc = cc_error_set(CC_EINVAL,
			                  "recon_attn: the session's observation window "
			                  "(%zu) is smaller than the %zu-token chunk (make the session "
			                  "with obs_window >= chunk)",
			                  cc_session_obs_window(f), n);
			goto out;
		}
		for (int l = 0; l < cfg->n_layers; l++)
			for (int h = 0; h < cfg->n_kv_heads; h++) {
				const float *sc;
				const int32_t *pos;
				size_t on;
				float *dst = out + ((size_t)l * (size_t)cfg->n_kv_heads + (size_t)h) * n_ctx;
				if ((rc = cc_session_obs(f, l, h, &sc, &pos, &on)))
					goto out;
				CC_ASSERT(on >= n_ctx);
				for (size_t j = 0; j < n_ctx; j++)
					dst[j] += sc[j];
			}
		cc_session_free(f);
		f = NULL;
	}
out:
	cc_session_free(f);
	return rc;
}
