/*
 * select.c - the compression policies of cc_compress.h: given one (layer, KV head)'s inputs,
 * which context tokens stay. Every policy first marks the forced tokens (the first `sinks`
 * and the last `window` context tokens), then fills the rest of k = cc_compress_keep_count()
 * from the middle tokens by its own ranking; the kept set is written out in index order.
 *
 * Rankings are total orders (score descending, then the later token first), so results do not
 * depend on the sort's stability and are the same on every machine.
 */
#include "cc_compress.h"
#include "cc_common.h"
#include "compress_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const policy_names[CC_POLICY_COUNT] = {
	"random",
	"streaming",
	"snapkv",
	"h2o",
	"structure",
	"codecomp",
	"pyramid",
	"kvzip",
	"adakv",
	"expected",
};

const char *cc_policy_name(int policy)
{
	if (policy < 0 || policy >= CC_POLICY_COUNT)
		return "?";
	return policy_names[policy];
}

int cc_policy_parse(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < CC_POLICY_COUNT; i++)
		if (strcmp(name, policy_names[i]) == 0)
			return i;
	return -1;
}

void cc_compress_opts_default(cc_compress_opts *o, int policy, double budget)
{
	memset(o, 0, sizeof(*o));
	o->policy = policy;
	o->budget = budget;
	o->sinks = 4;
	o->window = 64;
	o->pool = policy == CC_POLICY_CODECOMP ? 1 : 5;
	o->prior_weight = policy == CC_POLICY_CODECOMP ? 2.0 : 1.0;
	o->protect_share = 0.5;
	o->cum_weight = policy == CC_POLICY_CODECOMP ? 3.0 : 1.0;
	o->combine = policy == CC_POLICY_CODECOMP ? CC_COMBINE_PROD : CC_COMBINE_MAX;
	o->seed = 0;
	o->pyramid_beta = 20;
	o->adakv_floor = 0.2;
	o->prior_weight_query = policy == CC_POLICY_CODECOMP ? 1.0 : -1;
	o->protect_share_query = policy == CC_POLICY_CODECOMP ? 0.25 : -1;
	o->query_window = 0;
	o->head_adapt = policy == CC_POLICY_CODECOMP ? CC_HEAD_PRIOR : CC_HEAD_UNIFORM;
	/* the layers' budgets from the information in their attention, capped at the median
	 * layer's (lower in every column on tuning seeds, bench/results/fidelity.md 2026-12-07) */
	o->layer_adapt = policy == CC_POLICY_CODECOMP ? CC_LAYER_INFO : CC_LAYER_UNIFORM;
	/* with a query, the layers' information from the query's own attention (lower in every
	 * query column on tuning seeds and held-out runs, fidelity.md 2026-12-07 23:48) */
	o->layer_info_obs = policy == CC_POLICY_CODECOMP ? 2 : 0;
	o->protect_fit = 0; /* measured lower on tuning seeds, not on held-out ones (fidelity.md) */
	/* the attention part x the value's norm (VATP): lower ΔNLL on context-dependent tokens
	 * in every column on tuning seeds, neutral to lower on all tokens (fidelity.md,
	 * 2026-12-06); the key-distinctiveness factor was not better: off */
	o->value_weight = policy == CC_POLICY_CODECOMP ? 1.0 : 0;
	o->distinct_weight = 0;
	o->vk_modes = 3;
	/* the prior's exponent scales with ln(1 / budget): prior_weight at e^-2 (13.5%) */
	o->prior_budget_ref = policy == CC_POLICY_CODECOMP ? CC_PRIOR_BUDGET_REF : 0;
}

/* o with the query-mode weights in place when the window is a query (codecomp). */
static cc_compress_opts mode_opts(const cc_compress_opts *o, const cc_compress_input *in)
{
	cc_compress_opts m = *o;
	if (in->query && o->policy == CC_POLICY_CODECOMP) {
		if (o->prior_weight_query >= 0)
			m.prior_weight = o->prior_weight_query;
		if (o->protect_share_query >= 0)
			m.protect_share = o->protect_share_query;
	}
	/* the exponent in nats of selectivity: keeping b of the context is worth ln(1 / b), so
	 * the prior weighs more the fewer tokens are kept (validated: 0 < ref < 1, b in (0, 1]) */
	if (o->policy == CC_POLICY_CODECOMP && o->combine == CC_COMBINE_PROD &&
	    o->prior_budget_ref > 0)
		m.prior_weight *= log(1 / o->budget) / log(1 / o->prior_budget_ref);
	return m;
}

size_t cc_compress_keep_count(const cc_compress_opts *o, size_t n_ctx)
{
	double b = o->budget;
	size_t k, floor_k = 0;
	if (!(b > 0))
		b = 0;
	if (b > 1)
		b = 1;
	/* The epsilon absorbs representation error (0.1 * 30 is 3.0000000000000004 in binary;
	 * ceil(b * T) means 3 there). */
	k = (size_t)ceil(b * (double)n_ctx - 1e-9);
	if (o->sinks > 0)
		floor_k += (size_t)o->sinks;
	if (o->window > 0)
		floor_k += (size_t)o->window;
	if (k < floor_k)
		k = floor_k;
	return k < n_ctx ? k : n_ctx;
}

size_t cc_compress_layer_keep(const cc_compress_opts *o, size_t n_ctx, int layer,
                              int n_layers)
{
	size_t k = cc_compress_keep_count(o, n_ctx), f = 0, total, sum = 0, best;
	double e, lo, hi, beta = o->pyramid_beta >= 1 ? o->pyramid_beta : 1, want[256];
	size_t got[256];
	int taper = o->policy == CC_POLICY_PYRAMID ||
	            (o->policy == CC_POLICY_CODECOMP && o->layer_taper);
	if (!taper || n_layers <= 1 || n_layers > 256 || layer < 0 ||
	    layer >= n_layers)
		return k;
	if (o->sinks > 0)
		f += (size_t)o->sinks;
	if (o->window > 0)
		f += (size_t)o->window;
	if (k <= f || k >= n_ctx)
		return k;
	e = (double)(k - f);
	lo = (double)f + e / beta;
	hi = (double)f + 2 * e - e / beta;
	if (hi > (double)n_ctx)
		return k; /* the first layer cannot hold its share: uniform, as kvpress does */
	total = k * (size_t)n_layers;
	for (int l = 0; l < n_layers; l++) {
		want[l] = hi - (hi - lo) * (double)l / (double)(n_layers - 1);
		got[l] = (size_t)floor(want[l] + 1e-9);
		if (got[l] < f)
			got[l] = f;
		sum += got[l];
	}
	/* largest remainders first (earlier layer on a tie, up to rounding noise) until the
	 * total is exact */
	while (sum < total) {
		best = (size_t)n_layers;
		for (int l = 0; l < n_layers; l++)
			if (got[l] < n_ctx &&
			    (best == (size_t)n_layers ||
			     want[l] - (double)got[l] > want[best] - (double)got[best] + 1e-9))
				best = (size_t)l;
		if (best == (size_t)n_layers)
			break;
		got[best]++;
		sum++;
	}
	while (sum > total) { /* only when the floor raised layers: take from the largest */
		best = 0;
		for (int l = 1; l < n_layers; l++)
			if (got[l] > got[best])
				best = (size_t)l;
		got[best]--;
		sum--;
	}
	return got[layer];
}

/* One candidate of a ranking. */
typedef struct {
	double score;
	int32_t idx;
} cand;

/* Higher score first; equal scores: the later token first. */
static int cand_cmp(const void *pa, const void *pb)
{
	const cand *a = pa, *b = pb;
	if (a->score > b->score)
		return -1;
	if (a->score < b->score)
		return 1;
	return (a->idx < b->idx) - (a->idx > b->idx);
}

/* A float as a ranking score: NaN ranks last. */
static double score_of(float x)
{
	return isnan(x) ? -INFINITY : (double)x;
}

/* A prior clamped to [0, 1] (NaN = 0). */
static double prior_of(float x)
{
	if (!(x > 0))
		return 0;
	return x > 1 ? 1 : (double)x;
}

/* SnapKV's smoothing: out[i] = mean of x[j] over j in [i - left, i + right] inside [0, n)
 * (left = pool / 2, right = pool - 1 - left), so the edges average the neighbours they
 * have. Prefix sums in double; NaN inputs count as 0. */
static int avg_pool(double **out, const float *x, size_t n, int pool)
{
	double *pre = malloc((n + 1) * sizeof(double)), *y = malloc((n ? n : 1) * sizeof(double));
	size_t left = (size_t)pool / 2, right = (size_t)pool - 1 - left;
	if (!pre || !y) {
		free(pre);
		free(y);
		return cc_error_set(CC_ENOMEM, "out of memory pooling attention over %zu tokens", n);
	}
	pre[0] = 0;
	for (size_t i = 0; i < n; i++)
		pre[i + 1] = pre[i] + (isnan(x[i]) ? 0 : (double)x[i]);
	for (size_t i = 0; i < n; i++) {
		size_t lo = i >= left ? i - left : 0, hi = i + right + 1 < n ? i + right + 1 : n;
		y[i] = (pre[hi] - pre[lo]) / (double)(hi - lo);
	}
	free(pre);
	*out = y;
	return CC_OK;
}

/* Check options and inputs for policy o->policy; names the first problem. */
static int check_inputs(const cc_compress_opts *o, const cc_compress_input *in)
{
	int p = o->policy;
	if (p < 0 || p >= CC_POLICY_COUNT)
		return cc_error_set(CC_EINVAL, "compress: unknown policy %d", p);
	if (!(o->budget > 0 && o->budget <= 1))
		return cc_error_set(CC_EINVAL, "compress: budget %g outside (0, 1]", o->budget);
	if (o->sinks < 0 || o->window < 0)
		return cc_error_set(CC_EINVAL, "compress: negative sinks (%d) or window (%d)",
		                    o->sinks, o->window);
	if ((p == CC_POLICY_SNAPKV || p == CC_POLICY_CODECOMP || p == CC_POLICY_PYRAMID ||
	     p == CC_POLICY_ADAKV) &&
	    o->pool < 1)
		return cc_error_set(CC_EINVAL, "compress: %s pooling kernel %d < 1",
		                    policy_names[p], o->pool);
	if ((p == CC_POLICY_STRUCTURE || p == CC_POLICY_CODECOMP) &&
	    !(o->protect_share >= 0 && o->protect_share <= 1))
		return cc_error_set(CC_EINVAL, "compress: protect_share %g outside [0, 1]",
		                    o->protect_share);
	if (p == CC_POLICY_CODECOMP && !isfinite(o->prior_weight))
		return cc_error_set(CC_EINVAL, "compress: prior_weight %g is not finite",
		                    o->prior_weight);
	if (p == CC_POLICY_CODECOMP && !(o->prior_budget_ref >= 0 && o->prior_budget_ref < 1))
		return cc_error_set(CC_EINVAL, "compress: prior_budget_ref %g outside [0, 1)",
		                    o->prior_budget_ref);
	if (p == CC_POLICY_CODECOMP && !isfinite(o->cum_weight))
		return cc_error_set(CC_EINVAL, "compress: cum_weight %g is not finite",
		                    o->cum_weight);
	if (p == CC_POLICY_CODECOMP && o->combine != CC_COMBINE_RANK &&
	    o->combine != CC_COMBINE_MAX && o->combine != CC_COMBINE_PROD)
		return cc_error_set(CC_EINVAL, "compress: unknown combine %d", o->combine);
	if (p == CC_POLICY_CODECOMP && (!isfinite(o->value_weight) || o->value_weight < 0 ||
	                                !isfinite(o->distinct_weight) || o->distinct_weight < 0))
		return cc_error_set(CC_EINVAL,
		                    "compress: value_weight %g or distinct_weight %g is not a "
		                    "finite value >= 0",
		                    o->value_weight, o->distinct_weight);
	if ((p == CC_POLICY_PYRAMID || (p == CC_POLICY_CODECOMP && o->layer_taper)) &&
	    !(o->pyramid_beta >= 1))
		return cc_error_set(CC_EINVAL, "compress: pyramid_beta %g < 1", o->pyramid_beta);
	if (p == CC_POLICY_CODECOMP &&
	    (isnan(o->prior_weight_query) || isinf(o->prior_weight_query) ||
	     isnan(o->protect_share_query) || o->protect_share_query > 1))
		return cc_error_set(CC_EINVAL,
		                    "compress: prior_weight_query %g or "
		                    "protect_share_query %g out of range",
		                    o->prior_weight_query, o->protect_share_query);
	if (in->n_ctx > (size_t)INT32_MAX)
		return cc_error_set(CC_EINVAL, "compress: %zu context tokens (over INT32_MAX)",
		                    in->n_ctx);
	if (in->n_ctx == 0)
		return CC_OK;
	if (!in->attn && (p == CC_POLICY_SNAPKV || p == CC_POLICY_H2O || p == CC_POLICY_CODECOMP ||
	                  p == CC_POLICY_PYRAMID || p == CC_POLICY_ADAKV))
		return cc_error_set(CC_EINVAL,
		                    "compress: policy %s needs attention scores (attn is NULL)",
		                    policy_names[p]);
	if (p == CC_POLICY_KVZIP && !in->attn_cum)
		return cc_error_set(CC_EINVAL, "compress: policy kvzip needs the reconstruction "
		                               "attention (attn_cum is NULL)");
	if (p == CC_POLICY_EXPECTED && !in->attn_cum)
		return cc_error_set(CC_EINVAL, "compress: policy expected needs the expected "
		                               "attention (attn_cum is NULL)");
	if ((p == CC_POLICY_STRUCTURE || p == CC_POLICY_CODECOMP) && !in->prior)
		return cc_error_set(CC_EINVAL,
		                    "compress: policy %s needs structural priors (prior is NULL)",
		                    policy_names[p]);
	return CC_OK;
}

/* splitmix64: the random policy's generator. */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) without modulo bias (n > 0). */
static uint64_t rand_below(uint64_t *state, uint64_t n)
{
	uint64_t lim = UINT64_MAX - UINT64_MAX % n, r;
	do
		r = splitmix64(state);
	while (r >= lim);
	return r % n;
}

/* Mark in `mark` the first `take` candidates of c[0..nc) after sorting them. */
static size_t take_top(uint8_t *mark, cand *c, size_t nc, size_t take)
{
	if (take > nc)
		take = nc;
	qsort(c, nc, sizeof(*c), cand_cmp);
	for (size_t i = 0; i < take; i++)
		mark[c[i].idx] = 1;
	return take;
}

/* Mid-rank of each value among x[0..n) scaled to [0, 1] (ties share their mean rank; the
 * lowest value gets 0, the highest 1; a single value gets 1). c is scratch for n. */
static void rank_norm(double *out, const double *x, size_t n, cand *c)
{
	if (n == 1)
		out[0] = 1;
	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++)
		c[i] = (cand){x[i], (int32_t)i};
	qsort(c, n, sizeof(*c), cand_cmp); /* descending */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && c[j + 1].score == c[i].score)
			j++;
		/* descending positions i..j: ascending ranks n-1-j .. n-1-i, mean below */
		double r = ((double)(n - 1 - j) + (double)(n - 1 - i)) / 2 / (double)(n - 1);
		for (size_t t = i; t <= j; t++)
			out[c[t].idx] = r;
		i = j + 1;
	}
}

/* x / max(x) over x[0..n) (all 0 when the maximum is not positive). */
static void max_norm(double *out, const double *x, size_t n)
{
	double mx = 0;
	for (size_t i = 0; i < n; i++)
		if (x[i] > mx)
			mx = x[i];
	for (size_t i = 0; i < n; i++)
		out[i] = mx > 0 ? x[i] / mx : 0;
}

/* codecomp's value and key factors on the attention part s[0..nm) (mid[i]'s), where the
 * options and inputs ask for them: s[i] x (x / max x) ^ w over the middle tokens, x = vnorm
 * with value_weight, kdist with distinct_weight (NaN and negative x count as 0; nothing
 * when the maximum is not positive). */
static void value_key_factors(double *s, const int32_t *mid, size_t nm,
                              const cc_compress_opts *o, const cc_compress_input *in)
{
	if (!(o->vk_modes & (in->query ? 2 : 1)))
		return;
	for (int f = 0; f < 2; f++) {
		const float *x = f == 0 ? in->vnorm : in->kdist;
		double w = f == 0 ? o->value_weight : o->distinct_weight, mx = 0;
		if (!x || !(w > 0))
			continue;
		for (size_t i = 0; i < nm; i++)
			if (x[mid[i]] > mx)
				mx = (double)x[mid[i]];
		if (!(mx > 0) || !isfinite(mx))
			continue;
		for (size_t i = 0; i < nm; i++) {
			double v = x[mid[i]] > 0 ? (double)x[mid[i]] / mx : 0;
			s[i] *= pow(v, w);
		}
	}
}

/*
 * codecomp's score of each middle token (mid[0..nm), out[i] for mid[i]): an attention part
 * plus prior_weight x the prior, each normalised over the middle tokens (by rank, or by the
 * maximum with CC_COMBINE_MAX, where the prior stays as it is). The attention part is the
 * pooled cumulative attention when it is given and the window is not a query (the last
 * context tokens' attention says little about later questions) or is one and query_window
 * is 0, else the pooled window attention plus cum_weight x the pooled cumulative attention
 * (when given).
 */
static int codecomp_scores(double **out, const int32_t *mid, size_t nm,
                           const cc_compress_opts *o, const cc_compress_input *in)
{
	size_t n = in->n_ctx, m = nm ? nm : 1;
	double *win = NULL, *cum = NULL, *x = malloc(m * sizeof(double)),
	       *y = malloc(m * sizeof(double)), *s = calloc(m, sizeof(double));
	cand *c = malloc(m * sizeof(cand));
	int use_win = !in->attn_cum || (in->query && o->query_window), rc = CC_OK;
	double cw = in->attn_cum ? (use_win ? o->cum_weight : 1) : 0;

	if (!x || !y || !s || !c) {
		rc = cc_error_set(CC_ENOMEM, "out of memory scoring %zu tokens", nm);
		goto out;
	}
	if ((use_win && (rc = avg_pool(&win, in->attn, n, o->pool))) ||
	    (cw != 0 && (rc = avg_pool(&cum, in->attn_cum, n, o->pool))))
		goto out;
	for (int part = 0; part < 3; part++) {
		double w = part == 0 ? 1 : (part == 1 ? cw : o->prior_weight);
		if (part == 2)
			value_key_factors(s, mid, nm, o, in);
		if (part == 2 && o->combine == CC_COMBINE_PROD &&
		    (o->prior_entropy & (in->query ? 2 : 1)) && nm > 1) {
			double tot = 0, h = 0;
			for (size_t i = 0; i < nm; i++)
				tot += s[i] > 0 ? s[i] : 0;
			for (size_t i = 0; i < nm && tot > 0; i++)
				if (s[i] > 0)
					h -= s[i] / tot * log(s[i] / tot);
			w *= tot > 0 ? h / log((double)nm) : 1;
		}
		if (part == 2 && o->combine == CC_COMBINE_PROD) {
			/* attention part x prior ^ prior_weight: scale-free in the attention, so
			 * the prior reorders tokens of comparable attention instead of outvoting
			 * it wherever attention is far below its maximum */
			for (size_t i = 0; i < nm; i++)
				s[i] = (s[i] + 1e-12) * pow(fmax(prior_of(in->prior[mid[i]]), 1e-3), w);
			continue;
		}
		const double *src = part == 0 ? win : (part == 1 ? cum : NULL);
		if (w == 0 || (part < 2 && !src))
			continue;
		for (size_t i = 0; i < nm; i++)
			x[i] = part == 2 ? prior_of(in->prior[mid[i]]) : src[mid[i]];
		if (o->combine != CC_COMBINE_RANK) {
			if (part < 2)
				max_norm(y, x, nm);
			else
				memcpy(y, x, nm * sizeof(double));
		} else {
			rank_norm(y, x, nm, c);
		}
		for (size_t i = 0; i < nm; i++)
			s[i] += w * y[i];
	}
	*out = s;
	s = NULL;
out:
	free(win);
	free(cum);
	free(x);
	free(y);
	free(s);
	free(c);
	return rc;
}

/*
 * Fill `r` more tokens among the unmarked ones by the policy's ranking. `mid` holds the
 * unmarked indices in increasing order (nm of them); c is scratch for nm candidates.
 */
static int fill(uint8_t *mark, const int32_t *mid, size_t nm, size_t r, cand *c,
                const cc_compress_opts *o, const cc_compress_input *in)
{
	size_t n = in->n_ctx, nc, taken, cap;
	double *pooled = NULL, *score = NULL;
	int rc = CC_OK;

	switch (o->policy) {
	case CC_POLICY_RANDOM: {
		/* Partial Fisher-Yates over the middle, seeded per (layer, head). */
		int32_t *perm = malloc((nm ? nm : 1) * sizeof(int32_t));
		uint64_t st = o->seed ^ ((uint64_t)(uint32_t)in->layer << 32) ^
		              (uint64_t)(uint32_t)in->kv_head;
		if (!perm)
			return cc_error_set(CC_ENOMEM, "out of memory");
		memcpy(perm, mid, nm * sizeof(int32_t));
		for (size_t i = 0; i < r; i++) {
			size_t j = i + (size_t)rand_below(&st, nm - i);
			int32_t t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
			mark[perm[i]] = 1;
		}
		free(perm);
		return CC_OK;
	}
	case CC_POLICY_STREAMING:
		for (size_t i = 0; i < r; i++)
			mark[mid[nm - 1 - i]] = 1;
		return CC_OK;
	case CC_POLICY_H2O:
		for (size_t i = 0; i < nm; i++)
			c[i] = (cand){score_of(in->attn[mid[i]]), mid[i]};
		take_top(mark, c, nm, r);
		return CC_OK;
	case CC_POLICY_KVZIP:
	case CC_POLICY_EXPECTED:
		for (size_t i = 0; i < nm; i++)
			c[i] = (cand){score_of(in->attn_cum[mid[i]]), mid[i]};
		take_top(mark, c, nm, r);
		return CC_OK;
	case CC_POLICY_SNAPKV:
	case CC_POLICY_PYRAMID:
	case CC_POLICY_ADAKV: /* one head alone: its own budget, SnapKV's ranking */
		if ((rc = avg_pool(&pooled, in->attn, n, o->pool)))
			return rc;
		for (size_t i = 0; i < nm; i++)
			c[i] = (cand){pooled[mid[i]], mid[i]};
		take_top(mark, c, nm, r);
		free(pooled);
		return CC_OK;
	default:
		break;
	}

	/* structure and codecomp: protected tokens first, at most protect_share of what is left
	 * after the forced tokens. */
	cap = (size_t)floor(o->protect_share * (double)r + 1e-9);
	if (cap > r)
		cap = r;
	if (o->policy == CC_POLICY_CODECOMP) {
		if ((rc = codecomp_scores(&score, mid, nm, o, in)))
			return rc;
	} else {
		if (!(score = malloc((nm ? nm : 1) * sizeof(double))))
			return cc_error_set(CC_ENOMEM, "out of memory scoring %zu tokens", nm);
		for (size_t i = 0; i < nm; i++)
			score[i] = prior_of(in->prior[mid[i]]);
	}
	if (o->policy == CC_POLICY_CODECOMP && (o->protect_fit & (in->query ? 2 : 1)) &&
	    in->protect && r > 0) {
		/* a budget smaller than the protected spans goes to them first: at least
		 * P r / (P + r) protected tokens (P the protected middle tokens), close to
		 * min(P, r) when one is far smaller than the other */
		size_t pm = 0, fit;
		for (size_t i = 0; i < nm; i++)
			pm += in->protect[mid[i]] != 0;
		fit = (size_t)floor((double)pm * (double)r / (double)(pm + r) + 1e-9);
		if (fit > cap)
			cap = fit;
	}
	taken = 0;
	if (in->protect && cap > 0) {
		nc = 0;
		for (size_t i = 0; i < nm; i++)
			if (in->protect[mid[i]])
				c[nc++] = (cand){score[i], mid[i]};
		taken = take_top(mark, c, nc, cap);
	}
	/* the rest by score among the still unmarked middle tokens */
	nc = 0;
	for (size_t i = 0; i < nm; i++)
		if (!mark[mid[i]])
			c[nc++] = (cand){score[i], mid[i]};
	take_top(mark, c, nc, r - taken);
	free(score);
	return CC_OK;
}

int cc_compress_select(int32_t *keep, size_t *n_keep, const cc_compress_opts *o,
                       const cc_compress_input *in)
{
	size_t n, k, forced = 0, nm = 0, out_n = 0;
	cc_compress_opts mo;
	uint8_t *mark = NULL;
	int32_t *mid = NULL;
	cand *c = NULL;
	int rc;

	if (!keep || !n_keep)
		return cc_error_set(CC_EINVAL, "compress: NULL %s", !keep ? "keep" : "n_keep");
	if (!o || !in)
		return cc_error_set(CC_EINVAL, "compress: NULL %s", !o ? "options" : "input");
	*n_keep = 0;
	if ((rc = check_inputs(o, in)))
		return rc;
	n = in->n_ctx;
	k = cc_compress_layer_keep(o, n, in->layer, in->n_layers);
	if (o->keep > 0) {
		size_t f = (size_t)o->sinks + (size_t)o->window;
		if (o->keep < f && o->keep < n)
			return cc_error_set(CC_EINVAL, "compress: keep %zu below sinks + window (%zu)",
			                    o->keep, f);
		k = o->keep < n ? o->keep : n;
	}
	if (n == 0)
		return CC_OK;
	if (k == n) {
		for (size_t i = 0; i < n; i++)
			keep[i] = (int32_t)i;
		*n_keep = n;
		return CC_OK;
	}
	mark = calloc(n, 1);
	mid = malloc(n * sizeof(*mid));
	c = malloc(n * sizeof(*c));
	if (!mark || !mid || !c) {
		rc = cc_error_set(CC_ENOMEM, "out of memory selecting among %zu tokens", n);
		goto out;
	}
	/* k < n implies sinks + window < n: the forced ranges do not overlap */
	for (size_t i = 0; i < n; i++) {
		if (i < (size_t)o->sinks || i >= n - (size_t)o->window) {
			mark[i] = 1;
			forced++;
		} else {
			mid[nm++] = (int32_t)i;
		}
	}
	CC_ASSERT(forced <= k && k - forced <= nm);
	mo = mode_opts(o, in);
	if ((rc = fill(mark, mid, nm, k - forced, c, &mo, in)))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (mark[i])
			keep[out_n++] = (int32_t)i;
	CC_ASSERT(out_n == k);
	*n_keep = out_n;
out:
	free(mark);
	free(mid);
	free(c);
	return rc;
}

int cc_compress_codecomp_mid_scores(double **out, size_t *nm, const cc_compress_opts *o,
                                    const cc_compress_input *in)
{
	size_t n = in->n_ctx, lo = (size_t)o->sinks, hi, m = 0;
	cc_compress_opts mo;
	int32_t *mid;
	int rc;

	*out = NULL;
	*nm = 0;
	if ((rc = check_inputs(o, in)))
		return rc;
	hi = n > (size_t)o->window ? n - (size_t)o->window : 0;
	if (!(mid = malloc((n ? n : 1) * sizeof(*mid))))
		return cc_error_set(CC_ENOMEM, "out of memory scoring %zu tokens", n);
	for (size_t i = lo; i < hi; i++)
		mid[m++] = (int32_t)i;
	mo = mode_opts(o, in);
	rc = codecomp_scores(out, mid, m, &mo, in);
	if (!rc)
		*nm = m;
	free(mid);
	return rc;
}
