/*
 * adakv.c - Ada-KV's head-adaptive selection (cc_compress_select_heads): one layer's KV heads
 * share the layer's budget; each keeps its forced tokens and a safeguard share of its own best
 * middle tokens, and the rest of the layer's middle budget goes to the best pooled window
 * attention scores over all heads together. The scores are SnapKV's (the observation window's
 * attention mass, average-pooled), comparable across heads because every head's window
 * queries spread the same total mass.
 */
#include "cc_compress.h"
#include "cc_common.h"
#include "compress_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cc_head_cand_cmp(const void *pa, const void *pb)
{
	const cc_head_cand *a = pa, *b = pb;
	if (a->score > b->score)
		return -1;
	if (a->score < b->score)
		return 1;
	if (a->idx != b->idx)
		return (a->idx < b->idx) - (a->idx > b->idx);
	return (a->head > b->head) - (a->head < b->head);
}

/* SnapKV's pooling as in select.c: mean over [i - pool/2, i + pool - 1 - pool/2] inside
 * [0, n); NaN counts as 0. */
static void pool_scores(double *y, const float *x, size_t n, int pool, double *pre)
{
	size_t left = (size_t)pool / 2, right = (size_t)pool - 1 - left;
	pre[0] = 0;
	for (size_t i = 0; i < n; i++)
		pre[i + 1] = pre[i] + (isnan(x[i]) ? 0 : (double)x[i]);
	for (size_t i = 0; i < n; i++) {
		size_t lo = i >= left ? i - left : 0, hi = i + right + 1 < n ? i + right + 1 : n;
		y[i] = (pre[hi] - pre[lo]) / (double)(hi - lo);
	}
}

int cc_compress_select_heads(int32_t *keep, size_t *n_keep, const cc_compress_opts *o,
                             const cc_compress_input *in, int n_heads)
{
	size_t n, k, f, lo, hi, r, fl, nh, nm, nc = 0, total_mid;
	uint8_t *mark = NULL;
	double *sc = NULL, *pre = NULL;
	cc_head_cand *c = NULL;
	int rc = CC_OK;

	if (!keep || !n_keep || !o || !in || n_heads < 1)
		return cc_error_set(CC_EINVAL, "compress: adakv: NULL argument or %d heads", n_heads);
	if (o->policy == CC_POLICY_CODECOMP && o->head_adapt)
		return cc_compress_select_heads_codecomp(keep, n_keep, o, in, n_heads);
	if (o->policy != CC_POLICY_ADAKV)
		return cc_error_set(CC_EINVAL, "compress: per-head selection is adakv's, not %s",
		                    cc_policy_name(o->policy));
	if (!(o->budget > 0 && o->budget <= 1))
		return cc_error_set(CC_EINVAL, "compress: budget %g outside (0, 1]", o->budget);
	if (o->sinks < 0 || o->window < 0)
		return cc_error_set(CC_EINVAL, "compress: negative sinks (%d) or window (%d)",
		                    o->sinks, o->window);
	if (o->pool < 1)
		return cc_error_set(CC_EINVAL, "compress: adakv pooling kernel %d < 1", o->pool);
	if (!(o->adakv_floor >= 0 && o->adakv_floor <= 1))
		return cc_error_set(CC_EINVAL, "compress: adakv_floor %g outside [0, 1]",
		                    o->adakv_floor);
	nh = (size_t)n_heads;
	n = in[0].n_ctx;
	if (n > (size_t)INT32_MAX)
		return cc_error_set(CC_EINVAL, "compress: %zu context tokens (over INT32_MAX)", n);
	for (size_t h = 0; h < nh; h++) {
		if (in[h].n_ctx != n)
			return cc_error_set(CC_EINVAL, "compress: adakv: head %zu has %zu context "
			                               "tokens, head 0 %zu",
			                    h, in[h].n_ctx, n);
		if (n && !in[h].attn)
			return cc_error_set(CC_EINVAL, "compress: policy adakv needs attention scores "
			                               "(attn of head %zu is NULL)",
			                    h);
	}
	f = (size_t)o->sinks + (size_t)o->window;
	k = cc_compress_keep_count(o, n);
	if (o->keep > 0) {
		if (o->keep < f && o->keep < n)
			return cc_error_set(CC_EINVAL, "compress: keep %zu below sinks + window (%zu)",
			                    o->keep, f);
		k = o->keep < n ? o->keep : n;
	}
	memset(n_keep, 0, nh * sizeof(*n_keep));
	if (k == n) {
		for (size_t h = 0; h < nh; h++) {
			for (size_t i = 0; i < n; i++)
				keep[h * n + i] = (int32_t)i;
			n_keep[h] = n;
		}
		return CC_OK;
	}
	/* k < n implies sinks + window < n: the middle is [lo, hi) */
	lo = (size_t)o->sinks;
	hi = n - (size_t)o->window;
	nm = hi - lo;
	r = k - f;
	fl = (size_t)floor(o->adakv_floor * (double)r + 1e-9);
	if (fl > r)
		fl = r;
	mark = calloc(nh * n, 1);
	sc = malloc(n * sizeof(double));
	pre = malloc((n + 1) * sizeof(double));
	c = malloc((nh * nm + 1) * sizeof(cc_head_cand));
	if (!mark || !sc || !pre || !c) {
		rc = cc_error_set(CC_ENOMEM, "out of memory selecting among %zu x %zu tokens", nh, n);
		goto out;
	}
	/* each head: forced tokens and its own best fl middle tokens (the safeguard) */
	for (size_t h = 0; h < nh; h++) {
		uint8_t *m = mark + h * n;
		cc_head_cand *ch = c + nc;
		for (size_t i = 0; i < n; i++)
			m[i] = i < lo || i >= hi;
		pool_scores(sc, in[h].attn, n, o->pool, pre);
		for (size_t i = lo; i < hi; i++)
			ch[i - lo] = (cc_head_cand){sc[i], (int32_t)i, (int32_t)h};
		qsort(ch, nm, sizeof(cc_head_cand), cc_head_cand_cmp);
		for (size_t i = 0; i < fl; i++)
			m[ch[i].idx] = 1;
		/* the rest stay candidates for the layer-wide ranking */
		memmove(ch, ch + fl, (nm - fl) * sizeof(cc_head_cand));
		nc += nm - fl;
	}
	/* the rest of the layer's middle budget: the best scores over all heads */
	total_mid = nh * r - nh * fl;
	qsort(c, nc, sizeof(cc_head_cand), cc_head_cand_cmp);
	CC_ASSERT(total_mid <= nc);
	for (size_t i = 0; i < total_mid; i++)
		mark[(size_t)c[i].head * n + (size_t)c[i].idx] = 1;
	{
		size_t o_h = 0;
		for (size_t h = 0; h < nh; h++) {
			for (size_t i = 0; i < n; i++)
				if (mark[h * n + i])
					keep[o_h + n_keep[h]++] = (int32_t)i;
			o_h += n_keep[h];
		}
		CC_ASSERT(o_h == nh * k);
	}
out:
	free(mark);
	free(sc);
	free(pre);
	free(c);
	return rc;
}
