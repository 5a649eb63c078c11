/*
 * headalloc.c - codecomp's head-adaptive budgets (cc_compress_opts.head_adapt): Ada-KV's
 * allocation of a layer's budget among its KV heads, driven by codecomp's own scores
 * (reconstruction attention x prior) instead of SnapKV's window attention. Each head's scores
 * over its middle tokens are divided by their sum, so that every head spreads the same mass
 * and a concentrated head's few high scores compete with a spread head's many moderate ones;
 * every head keeps its forced tokens and a safeguard share of its own best middle tokens, and
 * the rest of the layer's middle budget goes to the best normalised scores over all heads.
 * With CC_HEAD_PRIOR a head's normalised scores are weighted by how well the prior's top set
 * agrees with its attention's, so heads where the prior predicts attention get more. Each
 * head then selects its count with codecomp's usual ranking (protected spans first).
 */
#include "cc_common.h"
#include "compress_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A value as a non-negative mass (NaN and negative values count as 0). */
static double mass_of(double x)
{
	return x > 0 ? x : 0;
}

/* The attention part's mass on the prior's top r middle tokens over its mass on its own top
 * r, in [0, 1] (1 when the attention part has no mass). c is scratch for nm candidates. */
static int prior_agreement(double *agree, const cc_compress_opts *o, const cc_compress_input *in,
                           size_t r, cc_head_cand *c)
{
	cc_compress_opts ao = *o;
	double *att = NULL, own = 0, hit = 0;
	size_t nm = 0, lo = (size_t)o->sinks;
	int rc;

	/* the attention part alone: codecomp's score with the prior's exponent 0 */
	ao.prior_weight = 0;
	ao.prior_weight_query = 0;
	ao.prior_entropy = 0;
	if ((rc = cc_compress_codecomp_mid_scores(&att, &nm, &ao, in)))
		return rc;
	if (r > nm)
		r = nm;
	for (size_t i = 0; i < nm; i++)
		c[i] = (cc_head_cand){mass_of(att[i]), (int32_t)i, 0};
	qsort(c, nm, sizeof(*c), cc_head_cand_cmp);
	for (size_t i = 0; i < r; i++)
		own += c[i].score;
	for (size_t i = 0; i < nm; i++) {
		float p = in->prior[lo + i];
		c[i] = (cc_head_cand){isnan(p) ? 0 : (double)p, (int32_t)i, 0};
	}
	qsort(c, nm, sizeof(*c), cc_head_cand_cmp);
	for (size_t i = 0; i < r; i++)
		hit += mass_of(att[c[i].idx]);
	*agree = own > 0 ? hit / own : 1;
	if (*agree > 1)
		*agree = 1;
	free(att);
	return CC_OK;
}

/* cnt[h] = head h's kept context tokens (k - r + its share of the middle budget), the counts
 * summing to n_heads x k. k < n_ctx and k >= sinks + window. */
static int head_counts(size_t *cnt, const cc_compress_opts *o, const cc_compress_input *in,
                       size_t nh, size_t k)
{
	size_t n = in[0].n_ctx, f = (size_t)o->sinks + (size_t)o->window, r = k - f, fl, nm = 0;
	size_t nc = 0, total;
	cc_head_cand *c = NULL, *scratch = NULL;
	double *sc = NULL;
	int rc = CC_OK;

	fl = (size_t)floor(o->adakv_floor * (double)r + 1e-9);
	if (fl > r)
		fl = r;
	if (!(c = malloc((nh * n + 1) * sizeof(*c))) || !(scratch = malloc((n + 1) * sizeof(*c)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory allocating %zu heads' budgets", nh);
		goto out;
	}
	for (size_t h = 0; h < nh; h++) {
		double tot = 0, w = 1;
		cc_head_cand *ch = c + nc;
		if ((rc = cc_compress_codecomp_mid_scores(&sc, &nm, o, &in[h])))
			goto out;
		CC_ASSERT(nm >= r);
		if (o->head_adapt == CC_HEAD_PRIOR &&
		    (rc = prior_agreement(&w, o, &in[h], r, scratch)))
			goto out;
		for (size_t i = 0; i < nm; i++)
			tot += mass_of(sc[i]);
		for (size_t i = 0; i < nm; i++)
			ch[i] = (cc_head_cand){w * (tot > 0 ? mass_of(sc[i]) / tot : 1.0 / (double)nm),
			                       (int32_t)i, (int32_t)h};
		free(sc);
		sc = NULL;
		/* the head's own best fl (the safeguard) are its own; the rest compete */
		qsort(ch, nm, sizeof(*ch), cc_head_cand_cmp);
		memmove(ch, ch + fl, (nm - fl) * sizeof(*ch));
		nc += nm - fl;
		cnt[h] = f + fl;
	}
	total = nh * (r - fl);
	CC_ASSERT(total <= nc);
	qsort(c, nc, sizeof(*c), cc_head_cand_cmp);
	for (size_t i = 0; i < total; i++)
		cnt[c[i].head]++;
out:
	free(c);
	free(scratch);
	free(sc);
	return rc;
}

int cc_compress_select_heads_codecomp(int32_t *keep, size_t *n_keep, const cc_compress_opts *o,
                                      const cc_compress_input *in, int n_heads)
{
	size_t n, k, f, nh, at = 0;
	int rc;

	if (!keep || !n_keep || !o || !in || n_heads < 1)
		return cc_error_set(CC_EINVAL, "compress: codecomp heads: NULL argument or %d heads",
		                    n_heads);
	if (o->head_adapt != CC_HEAD_SCORES && o->head_adapt != CC_HEAD_PRIOR)
		return cc_error_set(CC_EINVAL, "compress: unknown head_adapt %d", o->head_adapt);
	if (!(o->adakv_floor >= 0 && o->adakv_floor <= 1))
		return cc_error_set(CC_EINVAL, "compress: adakv_floor %g outside [0, 1]",
		                    o->adakv_floor);
	nh = (size_t)n_heads;
	n = in[0].n_ctx;
	for (size_t h = 0; h < nh; h++)
		if (in[h].n_ctx != n)
			return cc_error_set(CC_EINVAL,
			                    "compress: codecomp heads: head %zu has %zu context tokens, "
			                    "head 0 %zu",
			                    h, in[h].n_ctx, n);
	if (o->sinks < 0 || o->window < 0)
		return cc_error_set(CC_EINVAL, "compress: negative sinks (%d) or window (%d)",
		                    o->sinks, o->window);
	f = (size_t)o->sinks + (size_t)o->window;
	k = cc_compress_layer_keep(o, n, in[0].layer, in[0].n_layers);
	if (o->keep > 0) {
		if (o->keep < f && o->keep < n)
			return cc_error_set(CC_EINVAL, "compress: keep %zu below sinks + window (%zu)",
			                    o->keep, f);
		k = o->keep < n ? o->keep : n;
	}
	memset(n_keep, 0, nh * sizeof(*n_keep));
	if (k >= n) {
		for (size_t h = 0; h < nh; h++)
			n_keep[h] = k;
	} else if ((rc = head_counts(n_keep, o, in, nh, k))) {
		return rc;
	}
	/* each head keeps its count by codecomp's own ranking */
	for (size_t h = 0; h < nh; h++) {
		cc_compress_opts ho = *o;
		size_t got = 0;
		ho.keep = n_keep[h];
		if ((rc = cc_compress_select(keep + at, &got, &ho, &in[h])))
			return rc;
		CC_ASSERT(got == n_keep[h] || n == 0);
		n_keep[h] = got;
		at += got;
	}
	return CC_OK;
}
