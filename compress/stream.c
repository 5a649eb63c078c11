/*
 * stream.c - compressing as a chunked prefill goes (issue 14, item 5): cc_compress_session_pos
 * selects per (layer, KV head) among the slots a possibly compacted cache holds, with priors
 * indexed by original position and mapped through cc_kv_seq_positions, and
 * cc_compress_stream_prefill prefills a context chunk by chunk, compressing after each chunk
 * to the budget of the tokens seen so far, so that the full cache never exists.
 *
 * As in apply.c, every keep list is built before the first compaction: compacting a layer
 * invalidates the session's observation statistics, and a bad input then changes nothing.
 */
#include "cc_common.h"
#include "cc_compress.h"

#include <stdlib.h>
#include <string.h>

/* The policies that read the window's attention (codecomp's selection checks for it even
 * when it ranks by attn_cum alone, as it does in query-agnostic mode). */
static int stream_needs_attn(int policy)
{
	return policy == CC_POLICY_SNAPKV || policy == CC_POLICY_PYRAMID ||
	       policy == CC_POLICY_CODECOMP;
}

/* CC_EUNSUPPORTED for the policies that have no streamed mode (cc_compress.h). */
static int stream_policy_check(const cc_compress_opts *o, int has_cum)
{
	switch (o->policy) {
	case CC_POLICY_H2O:
		if (has_cum)
			return CC_OK;
		return cc_error_set(CC_EUNSUPPORTED,
		                    "compress: policy h2o needs the carried cumulative attention in "
		                    "streamed mode (its statistic is the attention of every query so "
		                    "far; cc_compress_stream_prefill carries it)");
	case CC_POLICY_KVZIP:
		return cc_error_set(CC_EUNSUPPORTED,
		                    "compress: policy kvzip has no streamed mode (its statistic is "
		                    "a teacher-forced repeat of the whole context)");
	case CC_POLICY_ADAKV:
		return cc_error_set(CC_EUNSUPPORTED,
		                    "compress: policy adakv has no streamed mode (its per-head "
		                    "budgets rank heads that hold the same context tokens)");
	default:
		if (o->policy < 0 || o->policy >= CC_POLICY_COUNT)
			return cc_error_set(CC_EINVAL, "compress: unknown policy %d", o->policy);
		return CC_OK;
	}
}

int cc_compress_session_pos(cc_session *s, const cc_compress_opts *o, size_t n_pos,
                            const float *prior, const uint8_t *protect, float *const *cum,
                            cc_compress_stats *st)
{
	const cc_kv_config *cfg;
	const cc_kv_seq *seq;
	cc_cache_stats cs;
	int32_t **keep = NULL, *sel = NULL;
	size_t **cnt = NULL, kept_sum = 0, max_len = 0;
	float *hprior = NULL, *expected = NULL;
	uint8_t *hprot = NULL;
	size_t exp_n = 0, nl;
	int rc = CC_OK, n_layers, n_heads;
	double t0 = cc_now();

	if (!s || !o)
		return cc_error_set(CC_EINVAL, "compress: NULL %s", !s ? "session" : "options");
	if (n_pos == 0)
		return cc_error_set(CC_EINVAL, "compress: no context positions (n_pos 0)");
	if ((rc = stream_policy_check(o, cum != NULL)))
		return rc;
	cfg = cc_kv_pool_config(cc_session_pool(s));
	seq = cc_session_kv(s);
	n_layers = cfg->n_layers;
	n_heads = cfg->n_kv_heads;
	cc_session_cache_stats(&cs, s);
	if (st) {
		memset(st, 0, sizeof(*st));
		st->n_ctx = n_pos;
		st->bytes_before = cs.bytes_used;
		st->head_uniform = o->policy == CC_POLICY_CODECOMP && o->head_adapt != 0;
	}
	if (stream_needs_attn(o->policy) && cc_session_obs_window(s) == 0)
		return cc_error_set(CC_ENOTFOUND,
		                    "compress: policy %s needs the session's observation statistics, "
		                    "and there are none (no prefill since the last change, or "
		                    "obs_window < 0)",
		                    cc_policy_name(o->policy));
	for (int l = 0; l < n_layers; l++)
		for (int h = 0; h < n_heads; h++) {
			size_t n = cc_kv_seq_head_len(seq, l, h);
			const int32_t *pos = cc_kv_seq_positions(seq, l, h);
			if (n > max_len)
				max_len = n;
			for (size_t j = 0; j < n; j++)
				if (pos[j] < 0 || (size_t)pos[j] >= n_pos)
					return cc_error_set(CC_EINVAL,
					                    "compress: layer %d, KV head %d holds position "
					                    "%d, outside the %zu context positions",
					                    l, h, (int)pos[j], n_pos);
		}
	/* Expected Attention over the slots every layer holds (the same count in every layer
	 * and head, as this policy always keeps) */
	if (o->policy == CC_POLICY_EXPECTED) {
		exp_n = cc_kv_seq_len(seq, 0);
		for (int l = 0; l < n_layers; l++)
			for (int h = 0; h < n_heads; h++)
				if (cc_kv_seq_head_len(seq, l, h) != exp_n)
					return cc_error_set(CC_EUNSUPPORTED,
					                    "compress: expected in streamed mode needs the "
					                    "same count of slots in every layer and head "
					                    "(layer %d, head %d holds %zu, layer 0 %zu)",
					                    l, h, cc_kv_seq_head_len(seq, l, h), exp_n);
		if (!(expected = malloc((size_t)n_layers * (size_t)n_heads * (exp_n ? exp_n : 1) *
		                        sizeof(float)))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		if (exp_n && (rc = cc_compress_expected_attn(s, exp_n, -1, 0, expected)))
			goto out;
	}
	nl = n_layers > 0 ? (size_t)n_layers : 1;
	keep = calloc(nl, sizeof(*keep));
	cnt = calloc(nl, sizeof(*cnt));
	sel = malloc((max_len ? max_len : 1) * sizeof(*sel));
	hprior = malloc((max_len ? max_len : 1) * sizeof(*hprior));
	hprot = malloc((max_len ? max_len : 1) * sizeof(*hprot));
	if (!keep || !cnt || !sel || !hprior || !hprot) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (int l = 0; l < n_layers; l++) {
		size_t k = o->keep > 0 ? o->keep : cc_compress_layer_keep(o, n_pos, l, n_layers);
		size_t tot = 0, at = 0;
		cc_compress_opts lo = *o;
		/* one count per head: codecomp's head budgets do not apply here */
		lo.head_adapt = CC_HEAD_UNIFORM;
		lo.layer_adapt = 0;
		if (!(cnt[l] = malloc((size_t)n_heads * sizeof(size_t)))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		for (int h = 0; h < n_heads; h++)
			tot += cc_kv_seq_head_len(seq, l, h);
		if (!(keep[l] = malloc((tot ? tot : 1) * sizeof(int32_t)))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		for (int h = 0; h < n_heads; h++) {
			size_t n = cc_kv_seq_head_len(seq, l, h), got = 0;
			const int32_t *pos = cc_kv_seq_positions(seq, l, h);
			cc_compress_input in = {n, NULL, NULL, NULL, l, h, NULL, 0, n_layers, NULL, NULL};
			int32_t *dst = keep[l] + at;
			if (k >= n) { /* nothing to drop in this head */
				for (size_t j = 0; j < n; j++)
					dst[j] = (int32_t)j;
				cnt[l][h] = n;
				at += n;
				kept_sum += n;
				continue;
			}
			/* the priors of the original positions this head holds */
			if (prior) {
				for (size_t j = 0; j < n; j++)
					hprior[j] = prior[pos[j]];
				in.prior = hprior;
			}
			if (protect) {
				for (size_t j = 0; j < n; j++)
					hprot[j] = protect[pos[j]];
				in.protect = hprot;
			}
			if (cum && o->policy == CC_POLICY_H2O)
				in.attn = cum[l * n_heads + h];
			else if (cum && o->policy == CC_POLICY_CODECOMP)
				in.attn_cum = cum[l * n_heads + h];
			if (stream_needs_attn(o->policy)) {
				const float *scores;
				const int32_t *opos;
				size_t on;
				if ((rc = cc_session_obs(s, l, h, &scores, &opos, &on)))
					goto out;
				if (on != n) {
					rc = cc_error_set(CC_EINVAL,
					                  "compress: observation statistics cover %zu "
					                  "slots of layer %d, head %d, which holds %zu",
					                  on, l, h, n);
					goto out;
				}
				in.attn = scores;
			}
			if (expected)
				in.attn_cum = expected + ((size_t)l * (size_t)n_heads + (size_t)h) * exp_n;
			lo.keep = k;
			if ((rc = cc_compress_select(sel, &got, &lo, &in)))
				goto out;
			CC_ASSERT(got == k);
			memcpy(dst, sel, got * sizeof(int32_t));
			cnt[l][h] = got;
			at += got;
			kept_sum += got;
		}
	}
	for (int l = 0; l < n_layers; l++) {
		int same = 1, ragged = cc_kv_seq_ragged(seq, l);
		size_t n0 = cc_kv_seq_head_len(seq, l, 0), drop = 0;
		for (int h = 0; h < n_heads; h++) {
			same &= cnt[l][h] == cnt[l][0];
			drop += cc_kv_seq_head_len(seq, l, h) - cnt[l][h];
		}
		if (drop == 0)
			continue; /* every head keeps what it holds */
		if (same && !ragged && cnt[l][0] <= n0)
			rc = cc_session_compact(s, l, keep[l], cnt[l][0]);
		else
			rc = cc_session_compact_heads(s, l, keep[l], cnt[l]);
		if (rc)
			goto out;
		/* the carried sums follow their slots */
		for (int h = 0, at = 0; cum && h < n_heads; h++) {
			float *c = cum[l * n_heads + h];
			for (size_t i = 0; i < cnt[l][h]; i++)
				c[i] = c[keep[l][at + (int)i]];
			at += (int)cnt[l][h];
		}
	}
	if (st) {
		cc_session_cache_stats(&cs, s);
		st->kept_per_head = kept_sum / ((size_t)n_layers * (size_t)n_heads);
		st->bytes_after = cs.bytes_used;
		st->seconds = cc_now() - t0;
	}
out:
	if (keep)
		for (int l = 0; l < n_layers; l++)
			free(keep[l]);
	if (cnt)
		for (int l = 0; l < n_layers; l++)
			free(cnt[l]);
	free(keep);
	free(cnt);
	free(sel);
	free(hprior);
	free(hprot);
	free(expected);
	return rc;
}

int cc_compress_stream_prefill(cc_session *s, const int32_t *ids, size_t n,
                               const cc_compress_opts *o, const float *prior,
                               const uint8_t *protect, const cc_compress_stream_opts *sopt,
                               cc_compress_stream_stats *st)
{
	cc_compress_stream_stats loc;
	cc_compress_stats cst;
	cc_cache_stats cs;
	const cc_kv_config *cfg;
	size_t chunk = sopt && sopt->chunk ? sopt->chunk : 512, nc = 0;
	cc_compress_opts so;
	float **cum = NULL;
	size_t *cum_cap = NULL;
	int rc, carry;

	if (!st)
		st = &loc;
	memset(st, 0, sizeof(*st));
	if (!s || !ids || !o)
		return cc_error_set(CC_EINVAL, "compress: stream prefill: NULL session, ids or "
		                               "options");
	if (n == 0)
		return cc_error_set(CC_EINVAL, "compress: stream prefill: no context tokens");
	if (cc_kv_seq_next_pos(cc_session_kv(s)) != 0)
		return cc_error_set(CC_EINVAL,
		                    "compress: stream prefill needs an empty session (it holds "
		                    "positions up to %d; cc_session_reset clears it)",
		                    (int)cc_kv_seq_next_pos(cc_session_kv(s)) - 1);
	carry = o->policy == CC_POLICY_H2O || (o->policy == CC_POLICY_CODECOMP && sopt && sopt->cum);
	if ((rc = stream_policy_check(o, carry)))
		return rc;
	if (!(o->budget > 0 && o->budget <= 1))
		return cc_error_set(CC_EINVAL, "compress: budget %g outside (0, 1]", o->budget);
	if (carry && chunk > (size_t)INT32_MAX)
		return cc_error_set(CC_EINVAL, "compress: stream chunk %zu too large", chunk);
	cfg = cc_kv_pool_config(cc_session_pool(s));
	if (carry) {
		nc = (size_t)cfg->n_layers * (size_t)cfg->n_kv_heads;
		cum = calloc(nc, sizeof(*cum));
		cum_cap = calloc(nc, sizeof(*cum_cap));
		if (!cum || !cum_cap) {
			free(cum);
			free(cum_cap);
			return cc_error_set(CC_ENOMEM, "out of memory");
		}
	}
	cc_session_cache_stats(&cs, s);
	st->full_bytes = (size_t)cfg->n_layers *
	                 ((n + (size_t)cfg->block_tokens - 1) / (size_t)cfg->block_tokens) *
	                 cs.block_bytes;
	if ((rc = cc_session_set_obs_window(s, carry ? (int)chunk : o->window > 0 ? o->window
	                                                                          : 1)))
		goto out;
	so = *o;
	so.keep = 0; /* the budget of the tokens so far, step by step */
	for (size_t c0 = 0; c0 < n; c0 += chunk) {
		size_t cn = n - c0 < chunk ? n - c0 : chunk;
		double t0 = cc_now();
		if ((rc = cc_session_prefill(s, ids + c0, cn, NULL)))
			goto out;
		st->t_prefill += cc_now() - t0;
		st->n_tokens = c0 + cn;
		st->steps++;
		cc_session_cache_stats(&cs, s);
		if (cs.bytes_used > st->peak_bytes)
			st->peak_bytes = cs.bytes_used;
		if (cs.seq_bytes > st->peak_seq_bytes)
			st->peak_seq_bytes = cs.seq_bytes;
		t0 = cc_now();
		/* every query of the chunk observed: add its attention to the carried sums (the
		 * slots before the chunk's are where the last compaction left them) */
		for (size_t i = 0; i < nc; i++) {
			int l = (int)(i / (size_t)cfg->n_kv_heads), h = (int)(i % (size_t)cfg->n_kv_heads);
			const float *sc;
			const int32_t *pos;
			size_t on, old = cc_kv_seq_head_len(cc_session_kv(s), l, h) - cn;
			if ((rc = cc_session_obs(s, l, h, &sc, &pos, &on)))
				goto out;
			if (on > cum_cap[i]) {
				float *g = realloc(cum[i], 2 * on * sizeof(float));
				if (!g) {
					rc = cc_error_set(CC_ENOMEM, "out of memory");
					goto out;
				}
				cum[i] = g;
				cum_cap[i] = 2 * on;
			}
			memset(cum[i] + old, 0, cn * sizeof(float));
			for (size_t j = 0; j < on; j++)
				cum[i][j] += sc[j];
		}
		rc = cc_compress_session_pos(s, &so, c0 + cn, prior, protect, cum, &cst);
		st->t_compress += cc_now() - t0;
		if (rc)
			goto out;
		st->kept_per_head = cst.kept_per_head;
		st->head_uniform = cst.head_uniform;
		if (sopt && sopt->on_step && (rc = sopt->on_step(sopt->arg, s, c0 + cn)))
			goto out;
	}
out:
	cc_session_cache_stats(&cs, s);
	st->bytes_after = cs.seq_bytes;
	for (size_t i = 0; cum && i < nc; i++)
		free(cum[i]);
	free(cum);
	free(cum_cap);
	return rc;
}
