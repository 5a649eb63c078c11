/*
 * test_compress_select.c - the policies of cc_compress_select on synthetic inputs: exactly
 * cc_compress_keep_count() tokens, strictly increasing, sinks and window always included,
 * deterministic; each policy's own rule checked against a reference written here a different
 * way (repeated arg-max instead of sorting, direct window sums instead of prefix sums);
 * protected tokens within their share; b = 1 keeps everything; clear errors.
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "test.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { NMAX = 2048 };

static uint64_t g_rng = 12345;
static uint32_t rnd(void)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (uint32_t)(g_rng >> 16);
}

static float g_attn[NMAX], g_prior[NMAX];
static uint8_t g_prot[NMAX];

/* Random inputs; small integer attention values so that ties occur. */
static void make_inputs(size_t n)
{
	for (size_t i = 0; i < n; i++) {
		g_attn[i] = (float)(rnd() % 4);
		g_prior[i] = (float)(rnd() % 5) / 4.0f;
		g_prot[i] = rnd() % 5 == 0;
	}
}

static cc_compress_input input(size_t n, int layer, int head)
{
	cc_compress_input in = {n, g_attn, g_prior, g_prot, layer, head, NULL, 0, 0, NULL, NULL};
	return in;
}

/* ceil(pct * n / 100) in integers, then the sinks + window floor, capped at n. */
static size_t expect_k(int pct, size_t n, int sinks, int window)
{
	size_t k = ((size_t)pct * n + 99) / 100, f = (size_t)(sinks + window);
	if (k < f)
		k = f;
	return k < n ? k : n;
}

/* The invariants every policy must meet. Returns the kept set as a 0/1 mask in mask. */
static void check_invariants(const int32_t *keep, size_t nk, size_t n, size_t k, int sinks,
                             int window, uint8_t *mask)
{
	CHECK_EQ_INT(nk, k);
	memset(mask, 0, n);
	for (size_t i = 0; i < nk; i++) {
		CHECK(keep[i] >= 0 && (size_t)keep[i] < n);
		if (i > 0)
			CHECK(keep[i] > keep[i - 1]);
		if (keep[i] >= 0 && (size_t)keep[i] < n)
			mask[keep[i]] = 1;
	}
	for (size_t i = 0; i < n; i++)
		if (i < (size_t)sinks || i + (size_t)window >= n)
			CHECK(mask[i]);
}

static void test_invariants(void)
{
	static const size_t ns[] = {0, 1, 5, 67, 68, 69, 100, 333, 1000};
	static const int pcts[] = {1, 5, 10, 25, 40, 99, 100};
	static const int sw[][2] = {{4, 64}, {0, 0}, {1, 3}, {0, 10}, {7, 0}};
	int32_t keep[NMAX], keep2[NMAX];
	uint8_t mask[NMAX];
	for (int p = 0; p < CC_POLICY_COUNT; p++)
		for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++)
			for (size_t b = 0; b < sizeof(pcts) / sizeof(pcts[0]); b++)
				for (size_t c = 0; c < sizeof(sw) / sizeof(sw[0]); c++) {
					size_t n = ns[a], nk = 99, nk2 = 0;
					cc_compress_opts o;
					cc_compress_opts_default(&o, p, pcts[b] / 100.0);
					o.sinks = sw[c][0];
					o.window = sw[c][1];
					o.seed = 42;
					make_inputs(n);
					cc_compress_input in = input(n, 3, 1);
					if (p == CC_POLICY_KVZIP || p == CC_POLICY_EXPECTED)
						in.attn_cum = g_prior;
					size_t k = expect_k(pcts[b], n, o.sinks, o.window);
					CHECK_EQ_INT(cc_compress_keep_count(&o, n), k);
					CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
					check_invariants(keep, nk, n, k, o.sinks, o.window, mask);
					CHECK_EQ_INT(cc_compress_select(keep2, &nk2, &o, &in), CC_OK);
					CHECK_EQ_INT(nk2, nk);
					CHECK(memcmp(keep, keep2, nk * sizeof(int32_t)) == 0);
					if (pcts[b] == 100)
						CHECK_EQ_INT(nk, n);
				}
}

static void test_names(void)
{
	for (int p = 0; p < CC_POLICY_COUNT; p++)
		CHECK_EQ_INT(cc_policy_parse(cc_policy_name(p)), p);
	CHECK_EQ_INT(cc_policy_parse("snapkv"), CC_POLICY_SNAPKV);
	CHECK_EQ_INT(cc_policy_parse("SnapKV-x"), -1);
	CHECK_EQ_INT(cc_policy_parse(NULL), -1);
	CHECK_EQ_STR(cc_policy_name(99), "?");
	CHECK_EQ_STR(cc_policy_name(-1), "?");
	cc_compress_opts o;
	cc_compress_opts_default(&o, CC_POLICY_SNAPKV, 0.2);
	CHECK_EQ_INT(o.sinks, 4);
	CHECK_EQ_INT(o.window, 64);
	CHECK_EQ_INT(o.pool, 5);
	/* ceil(b * T) means the mathematical value: 0.1 * 30 is 3, 0.3 * 10 is 3 */
	o.sinks = o.window = 0;
	o.budget = 0.1;
	CHECK_EQ_INT(cc_compress_keep_count(&o, 30), 3);
	o.budget = 0.3;
	CHECK_EQ_INT(cc_compress_keep_count(&o, 10), 3);
	o.budget = 0.31;
	CHECK_EQ_INT(cc_compress_keep_count(&o, 10), 4);
}

static void test_streaming(void)
{
	int32_t keep[NMAX];
	size_t nk;
	cc_compress_opts o;
	cc_compress_opts_default(&o, CC_POLICY_STREAMING, 0.25);
	cc_compress_input in = {400, NULL, NULL, NULL, 0, 0, NULL, 0, 0, NULL, NULL};
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
	CHECK_EQ_INT(nk, 100);
	for (int i = 0; i < 4; i++)
		CHECK_EQ_INT(keep[i], i);
	for (int i = 4; i < 100; i++)
		CHECK_EQ_INT(keep[i], 400 - 100 + i); /* the 96 most recent */
}

static void test_random(void)
{
	enum {
		N = 200,
		TRIALS = 2000
	};
	int32_t keep[N], keep2[N];
	size_t nk, nk2;
	uint8_t mask[N];
	int count[N] = {0}, differ_seed = 0, differ_head = 0;
	cc_compress_opts o;
	cc_compress_opts_default(&o, CC_POLICY_RANDOM, 0.25); /* k = 50: 30 drawn of 180 */
	o.window = 16;
	cc_compress_input in = {N, NULL, NULL, NULL, 0, 0, NULL, 0, 0, NULL, NULL};
	for (int t = 0; t < TRIALS; t++) {
		o.seed = (uint64_t)t * 7919u;
		CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
		check_invariants(keep, nk, N, 50, 4, 16, mask);
		for (int i = 0; i < N; i++)
			count[i] += mask[i];
		if (t < 20) {
			in.kv_head = 1;
			CHECK_EQ_INT(cc_compress_select(keep2, &nk2, &o, &in), CC_OK);
			differ_head += memcmp(keep, keep2, 50 * sizeof(int32_t)) != 0;
			in.kv_head = 0;
			o.seed++;
			CHECK_EQ_INT(cc_compress_select(keep2, &nk2, &o, &in), CC_OK);
			differ_seed += memcmp(keep, keep2, 50 * sizeof(int32_t)) != 0;
		}
	}
	CHECK_EQ_INT(differ_head, 20);
	CHECK_EQ_INT(differ_seed, 20);
	/* uniform among the 180 middle tokens: each drawn with p = 1/6; 6 sigma = 100 */
	double expect = TRIALS * 30.0 / 180.0;
	int bad = 0;
	for (int i = 4; i < N - 16; i++)
		bad += fabs(count[i] - expect) > 100;
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(count[0], TRIALS);
	CHECK_EQ_INT(count[N - 1], TRIALS);
}

/* Reference pooling: the mean of the neighbours that exist, summed directly. */
static void ref_pool(double *out, const float *x, size_t n, int pool)
{
	int left = pool / 2, right = pool - 1 - pool / 2;
	for (size_t i = 0; i < n; i++) {
		double s = 0;
		int cnt = 0;
		for (int d = -left; d <= right; d++) {
			long j = (long)i + d;
			if (j >= 0 && j < (long)n) {
				s += x[j];
				cnt++;
			}
		}
		out[i] = s / cnt;
	}
}

/* Reference pick: repeatedly take the largest score among candidates (later index wins a
 * tie), `take` times, marking picks in mask. */
static void ref_pick(uint8_t *mask, const double *score, const uint8_t *cand, size_t n,
                     size_t take)
{
	for (size_t t = 0; t < take; t++) {
		long best = -1;
		for (size_t i = 0; i < n; i++)
			if (cand[i] && !mask[i] && (best < 0 || score[i] >= score[best]))
				best = (long)i;
		if (best < 0)
			return;
		mask[best] = 1;
	}
}

/* The forced tokens plus the middle candidates (0/1 in cand). */
static void ref_forced(uint8_t *mask, uint8_t *cand, size_t n, int sinks, int window)
{
	for (size_t i = 0; i < n; i++) {
		int forced = i < (size_t)sinks || i + (size_t)window >= n;
		mask[i] = (uint8_t)forced;
		cand[i] = (uint8_t)!forced;
	}
}

static int same_set(const int32_t *keep, size_t nk, const uint8_t *mask, size_t n)
{
	size_t cnt = 0;
	for (size_t i = 0; i < n; i++)
		cnt += mask[i];
	if (cnt != nk)
		return 0;
	for (size_t i = 0; i < nk; i++)
		if (!mask[keep[i]])
			return 0;
	return 1;
}

static void test_attention_policies(void)
{
	static double pooled[NMAX], raw[NMAX];
	int32_t keep[NMAX];
	uint8_t mask[NMAX], cand[NMAX];
	for (int rep = 0; rep < 30; rep++) {
		size_t n = 100 + rnd() % 900, nk;
		int pct = 5 + (int)(rnd() % 60);
		cc_compress_opts o;
		make_inputs(n);
		cc_compress_input in = input(n, 0, 0);

		cc_compress_opts_default(&o, CC_POLICY_SNAPKV, pct / 100.0);
		o.sinks = (int)(rnd() % 6);
		o.window = (int)(rnd() % 40);
		o.pool = 1 + (int)(rnd() % 7);
		size_t k = cc_compress_keep_count(&o, n);
		CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
		ref_pool(pooled, g_attn, n, o.pool);
		ref_forced(mask, cand, n, o.sinks, o.window);
		size_t f = 0;
		for (size_t i = 0; i < n; i++)
			f += mask[i];
		ref_pick(mask, pooled, cand, n, k - f);
		CHECK(same_set(keep, nk, mask, n));

		o.policy = CC_POLICY_H2O;
		CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
		for (size_t i = 0; i < n; i++)
			raw[i] = g_attn[i];
		ref_forced(mask, cand, n, o.sinks, o.window);
		ref_pick(mask, raw, cand, n, k - f);
		CHECK(same_set(keep, nk, mask, n));
	}
	/* a spike: pooling spreads it over pool tokens, the raw score does not */
	{
		int32_t kp[NMAX];
		size_t nk;
		cc_compress_opts o;
		float attn[300];
		for (int i = 0; i < 300; i++)
			attn[i] = 0.001f * (float)(i % 3);
		attn[150] = 10;
		cc_compress_input in = {300, attn, NULL, NULL, 0, 0, NULL, 0, 0, NULL, NULL};
		cc_compress_opts_default(&o, CC_POLICY_SNAPKV, (4 + 64 + 5) / 300.0);
		CHECK_EQ_INT(cc_compress_select(kp, &nk, &o, &in), CC_OK);
		CHECK_EQ_INT(nk, 73);
		for (int i = 0; i < 5; i++)
			CHECK_EQ_INT(kp[4 + i], 148 + i);
		o.policy = CC_POLICY_H2O;
		CHECK_EQ_INT(cc_compress_select(kp, &nk, &o, &in), CC_OK);
		int has150 = 0;
		for (size_t i = 0; i < nk; i++)
			has150 |= kp[i] == 150;
		CHECK(has150);
	}
}

/* Reference for pyramid's layer budgets, from the definition: above the floor f, layer l of L
 * wants f + e (2 - 1/beta) - l e (2 - 2/beta) / (L - 1) (e = k - f); floors, then one more
 * token each to the layers with the largest fractional parts until the sum is L k. */
static void ref_pyramid(size_t *out, size_t k, size_t f, int L, double beta)
{
	double e = (double)(k - f), fr[64];
	size_t sum = 0;
	for (int l = 0; l < L; l++) {
		double w = (double)f + e * (2 - 1 / beta) - (double)l * e * (2 - 2 / beta) / (L - 1);
		out[l] = (size_t)floor(w + 1e-9);
		fr[l] = w - (double)out[l];
		sum += out[l];
	}
	while (sum < k * (size_t)L) {
		int best = 0;
		for (int l = 1; l < L; l++)
			if (fr[l] > fr[best] + 1e-9)
				best = l;
		out[best]++;
		fr[best] = -1;
		sum++;
	}
}

static void test_pyramid_kvzip(void)
{
	static double pooled[NMAX], raw[NMAX];
	static float cum[NMAX];
	int32_t keep[NMAX];
	uint8_t mask[NMAX], cand[NMAX];
	for (int rep = 0; rep < 30; rep++) {
		size_t n = 200 + rnd() % 900, nk, want[64];
		int pct = 5 + (int)(rnd() % 40), L = 2 + (int)(rnd() % 30);
		cc_compress_opts o;
		make_inputs(n);
		cc_compress_opts_default(&o, CC_POLICY_PYRAMID, pct / 100.0);
		CHECK(o.pyramid_beta == 20);
		o.sinks = (int)(rnd() % 6);
		o.window = (int)(rnd() % 40);
		o.pool = 1 + (int)(rnd() % 7);
		if (rep % 3 == 1)
			o.pyramid_beta = 1 + (double)(rnd() % 40);
		size_t k = cc_compress_keep_count(&o, n), f = (size_t)(o.sinks + o.window), sum = 0;
		int pyr = k > f && f + 2 * (k - f) - (double)(k - f) / o.pyramid_beta <= (double)n;
		if (pyr)
			ref_pyramid(want, k, f, L, o.pyramid_beta);
		ref_pool(pooled, g_attn, n, o.pool);
		for (int l = 0; l < L; l++) {
			size_t kl = cc_compress_layer_keep(&o, n, l, L), fc = 0;
			CHECK_EQ_INT(kl, pyr ? want[l] : k);
			if (l > 0)
				CHECK(kl <= cc_compress_layer_keep(&o, n, l - 1, L));
			CHECK(kl >= f && kl <= n);
			sum += kl;
			/* the selection is SnapKV's ranking with the layer's own count */
			cc_compress_input in = {n, g_attn, NULL, NULL, l, 0, NULL, 0, L, NULL, NULL};
			CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
			ref_forced(mask, cand, n, o.sinks, o.window);
			for (size_t i = 0; i < n; i++)
				fc += mask[i];
			ref_pick(mask, pooled, cand, n, kl - fc);
			CHECK(same_set(keep, nk, mask, n));
		}
		CHECK_EQ_INT(sum, k * (size_t)L); /* the same total memory as uniform budgets */
		if (pyr && o.pyramid_beta > 1 && k - f >= 2 * (size_t)L)
			CHECK(cc_compress_layer_keep(&o, n, 0, L) > cc_compress_layer_keep(&o, n, L - 1,
			                                                                   L));
		/* codecomp takes the same budgets with layer_taper, keeping that many */
		{
			cc_compress_opts oc = o;
			int l = (int)(rnd() % (unsigned)L);
			oc.policy = CC_POLICY_CODECOMP;
			oc.layer_taper = 1;
			cc_compress_input in = {n, g_attn, g_prior, g_prot, l, 0, NULL, 0, L, NULL, NULL};
			CHECK_EQ_INT(cc_compress_layer_keep(&oc, n, l, L),
			             cc_compress_layer_keep(&o, n, l, L));
			CHECK_EQ_INT(cc_compress_select(keep, &nk, &oc, &in), CC_OK);
			CHECK_EQ_INT(nk, cc_compress_layer_keep(&o, n, l, L));
			oc.layer_taper = 0;
			CHECK_EQ_INT(cc_compress_layer_keep(&oc, n, l, L), k);
		}
		/* other policies ignore the layer count */
		o.policy = CC_POLICY_SNAPKV;
		CHECK_EQ_INT(cc_compress_layer_keep(&o, n, 0, L), k);

		/* kvzip: top-k of the reconstruction attention, no pooling, window attention
		 * ignored */
		for (size_t i = 0; i < n; i++)
			cum[i] = (float)(rnd() % 7);
		cc_compress_opts_default(&o, CC_POLICY_KVZIP, pct / 100.0);
		cc_compress_input in = {n, g_attn, NULL, NULL, 0, 0, cum, 0, L, NULL, NULL};
		k = cc_compress_keep_count(&o, n);
		CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
		for (size_t i = 0; i < n; i++)
			raw[i] = cum[i];
		ref_forced(mask, cand, n, o.sinks, o.window);
		ref_pick(mask, raw, cand, n, k - (size_t)(o.sinks + o.window));
		CHECK(same_set(keep, nk, mask, n));
		/* expected: the same top-k of its scores (given as attn_cum) */
		cc_compress_opts_default(&o, CC_POLICY_EXPECTED, pct / 100.0);
		CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
		CHECK(same_set(keep, nk, mask, n));
	}
	/* at a budget where the first layer would exceed the context: uniform */
	{
		cc_compress_opts o;
		cc_compress_opts_default(&o, CC_POLICY_PYRAMID, 0.9);
		for (int l = 0; l < 8; l++)
			CHECK_EQ_INT(cc_compress_layer_keep(&o, 1000, l, 8), 900);
	}
}

/* Reference for structure / codecomp: protected first (by pscore), capped, then by score. */
static void ref_struct_q(uint8_t *mask, size_t n, size_t k, const cc_compress_opts *o,
                         const double *pscore, const double *score, int query)
{
	static uint8_t cand[NMAX], pc[NMAX];
	size_t f = 0, np = 0;
	ref_forced(mask, cand, n, o->sinks, o->window);
	for (size_t i = 0; i < n; i++)
		f += mask[i];
	size_t r = k - f, cap = (size_t)floor(o->protect_share * (double)r + 1e-9);
	for (size_t i = 0; i < n; i++) {
		pc[i] = cand[i] && g_prot[i];
		np += pc[i];
	}
	/* codecomp's protect_fit: at least floor(P r / (P + r)) protected tokens first */
	if (o->policy == CC_POLICY_CODECOMP && (o->protect_fit & (query ? 2 : 1)) && r > 0) {
		size_t fit = np * r / (np + r);
		cap = fit > cap ? fit : cap;
	}
	size_t before = 0, after = 0;
	for (size_t i = 0; i < n; i++)
		before += mask[i];
	ref_pick(mask, pscore, pc, n, cap);
	for (size_t i = 0; i < n; i++)
		after += mask[i];
	ref_pick(mask, score, cand, n, r - (after - before));
}

static void ref_struct(uint8_t *mask, size_t n, size_t k, const cc_compress_opts *o,
                       const double *pscore, const double *score)
{
	ref_struct_q(mask, n, k, o, pscore, score, 0);
}

/* Mid-rank of v[i] among v[j] for candidates j, scaled to [0, 1], by counting. */
static double ref_rank(const double *v, const uint8_t *cand, size_t n, size_t i)
{
	size_t less = 0, eq = 0, m = 0;
	for (size_t j = 0; j < n; j++) {
		if (!cand[j])
			continue;
		m++;
		less += v[j] < v[i];
		eq += v[j] == v[i];
	}
	return m < 2 ? 1 : ((double)less + (double)(eq - 1) / 2) / (double)(m - 1);
}

/* codecomp's score written out: the attention part (window, cumulative, or window +
 * cum_weight x cumulative for a query), then + prior_weight x the prior; each signal over
 * the middle tokens by its maximum (the prior as it is) or by mid-rank. */
static void ref_codecomp_score(double *sc, size_t n, const cc_compress_opts *o,
                               const float *attn, const float *cum, int query)
{
	static double pw[NMAX], pc[NMAX], pr[NMAX], nw[NMAX], ncum[NMAX], npr[NMAX];
	static uint8_t mask[NMAX], cand[NMAX];
	double mw = 0, mc = 0;
	int use_win = !cum || (query && o->query_window);
	double cw = cum ? (use_win ? o->cum_weight : 1) : 0;
	ref_forced(mask, cand, n, o->sinks, o->window);
	ref_pool(pw, attn, n, o->pool);
	if (cum)
		ref_pool(pc, cum, n, o->pool);
	for (size_t i = 0; i < n; i++) {
		pr[i] = g_prior[i];
		if (cand[i]) {
			mw = fmax(mw, pw[i]);
			mc = cum ? fmax(mc, pc[i]) : 0;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!cand[i])
			continue;
		if (o->combine == CC_COMBINE_RANK) {
			nw[i] = ref_rank(pw, cand, n, i);
			ncum[i] = cum ? ref_rank(pc, cand, n, i) : 0;
			npr[i] = ref_rank(pr, cand, n, i);
		} else {
			nw[i] = mw > 0 ? pw[i] / mw : 0;
			ncum[i] = mc > 0 ? pc[i] / mc : 0;
			npr[i] = pr[i];
		}
	}
	/* prior_entropy: the exponent x the attention part's entropy over the middle tokens,
	 * divided by log of their count */
	double pwe = o->prior_weight, tot = 0, h = 0;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		double a = (use_win ? nw[i] : 0) + (cw != 0 ? cw * ncum[i] : 0);
		if (!cand[i])
			continue;
		m++;
		tot += a > 0 ? a : 0;
	}
	for (size_t i = 0; i < n && tot > 0; i++) {
		double a = (use_win ? nw[i] : 0) + (cw != 0 ? cw * ncum[i] : 0);
		if (cand[i] && a > 0)
			h -= a / tot * log(a / tot);
	}
	if (o->combine == CC_COMBINE_PROD && (o->prior_entropy & (query ? 2 : 1)) && m > 1)
		pwe *= tot > 0 ? h / log((double)m) : 1;
	for (size_t i = 0; i < n; i++) {
		double s = 0;
		if (use_win)
			s += nw[i];
		if (cw != 0)
			s += cw * ncum[i];
		if (o->combine == CC_COMBINE_PROD)
			s = (s + 1e-12) * pow(fmax(pr[i] > 1 ? 1 : pr[i], 1e-3), pwe);
		else if (o->prior_weight != 0)
			s += o->prior_weight * npr[i];
		sc[i] = cand[i] ? s : 0;
	}
}

static void test_structure_codecomp(void)
{
	static double sc[NMAX], pr[NMAX];
	static float cum[NMAX];
	int32_t keep[NMAX], keep2[NMAX];
	uint8_t mask[NMAX];
	for (int rep = 0; rep < 60; rep++) {
		size_t n = 100 + rnd() % 900, nk, nk2;
		int pct = 5 + (int)(rnd() % 60);
		cc_compress_opts o;
		make_inputs(n);
		for (size_t i = 0; i < n; i++)
			cum[i] = (float)(rnd() % 6);
		cc_compress_input in = input(n, 0, 0);
		cc_compress_opts_default(&o, CC_POLICY_STRUCTURE, pct / 100.0);
		o.window = (int)(rnd() % 70);
		o.protect_share = (rnd() % 5) / 4.0;
		size_t k = cc_compress_keep_count(&o, n);
		for (size_t i = 0; i < n; i++)
			pr[i] = g_prior[i];
		CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
		ref_struct(mask, n, k, &o, pr, pr);
		CHECK(same_set(keep, nk, mask, n));

		/* codecomp: every combination of the optional cumulative attention, the query
		 * flag and the three ways of combining; protected tokens ranked by the same score */
		o.policy = CC_POLICY_CODECOMP;
		o.prior_weight = (rnd() % 5) * 0.5;
		o.cum_weight = (rnd() % 3) * 0.5;
		o.pool = 1 + (int)(rnd() % 5);
		o.prior_entropy = (int)(rnd() % 4); /* modes: none, agnostic, query, both */
		o.query_window = (int)(rnd() % 2);
		o.protect_fit = (int)(rnd() % 4); /* modes: none, agnostic, query, both */
		for (int v = 0; v < 9; v++) {
			o.combine = v % 3 == 1 ? CC_COMBINE_RANK : (v % 3 ? CC_COMBINE_PROD : CC_COMBINE_MAX);
			in.attn_cum = v / 3 ? cum : NULL;
			in.query = v / 3 == 2;
			ref_codecomp_score(sc, n, &o, g_attn, in.attn_cum, in.query);
			CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
			ref_struct_q(mask, n, k, &o, sc, sc, in.query);
			CHECK(same_set(keep, nk, mask, n));
		}
		in.attn_cum = NULL;
		in.query = 0;
		o.combine = CC_COMBINE_MAX;
		o.prior_entropy = 0;
		o.protect_fit = 0;

		/* codecomp without priors' weight and protection is SnapKV */
		o.prior_weight = 0;
		in.protect = NULL;
		CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
		o.policy = CC_POLICY_SNAPKV;
		CHECK_EQ_INT(cc_compress_select(keep2, &nk2, &o, &in), CC_OK);
		CHECK_EQ_INT(nk, nk2);
		CHECK(memcmp(keep, keep2, nk * sizeof(int32_t)) == 0);
	}
}

/* codecomp with a query uses prior_weight_query and protect_share_query in place of
 * prior_weight and protect_share (defaults 1 and 0.25), without one it ignores them. */
static void test_codecomp_query_weights(void)
{
	enum { N = 900 };
	static float cum[N];
	int32_t a[N], b[N];
	size_t na, nb;
	for (int rep = 0; rep < 20; rep++) {
		cc_compress_opts o, p;
		make_inputs(N);
		for (size_t i = 0; i < N; i++)
			cum[i] = (float)(rnd() % 50);
		cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.1 + 0.05 * (rep % 6));
		CHECK(o.prior_weight_query == 1 && o.protect_share_query == 0.25);
		if (rep % 2) {
			o.prior_weight_query = (rnd() % 5) * 0.5;
			o.protect_share_query = (rnd() % 5) / 4.0;
		}
		cc_compress_input in = input(N, 0, 0);
		in.attn_cum = rep % 3 ? cum : NULL;
		in.query = 1;
		p = o;
		p.prior_weight = o.prior_weight_query;
		p.protect_share = o.protect_share_query;
		p.prior_weight_query = p.protect_share_query = -1;
		CHECK_EQ_INT(cc_compress_select(a, &na, &o, &in), CC_OK);
		CHECK_EQ_INT(cc_compress_select(b, &nb, &p, &in), CC_OK);
		CHECK(na == nb && memcmp(a, b, na * sizeof(int32_t)) == 0);
		/* no query: the query weights change nothing */
		in.query = 0;
		p = o;
		p.prior_weight_query = 3;
		p.protect_share_query = 1;
		CHECK_EQ_INT(cc_compress_select(a, &na, &o, &in), CC_OK);
		CHECK_EQ_INT(cc_compress_select(b, &nb, &p, &in), CC_OK);
		CHECK(na == nb && memcmp(a, b, na * sizeof(int32_t)) == 0);
	}
}

/* What a caller relies on about the cumulative attention: without a query it replaces the
 * window's attention (whatever that holds), with a query and cum_weight 0 it changes
 * nothing, and codecomp with the cumulative attention and no prior weight keeps H2O's
 * choice when pooling is off and nothing is protected. */
static void test_codecomp_cum(void)
{
	enum { N = 800 };
	static float cum[N], other[N];
	int32_t a[N], b[N];
	size_t na, nb;
	for (int rep = 0; rep < 20; rep++) {
		cc_compress_opts o;
		make_inputs(N);
		for (size_t i = 0; i < N; i++) {
			cum[i] = (float)(rnd() % 1000) / 7.0f;
			other[i] = (float)(rnd() % 9);
		}
		cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.1 + 0.05 * (rep % 6));
		cc_compress_input in = input(N, 0, 0);
		in.attn_cum = cum;
		CHECK_EQ_INT(cc_compress_select(a, &na, &o, &in), CC_OK);
		in.attn = other;
		CHECK_EQ_INT(cc_compress_select(b, &nb, &o, &in), CC_OK);
		CHECK(na == nb && memcmp(a, b, na * sizeof(int32_t)) == 0);

		in.attn = g_attn;
		in.query = 1;
		o.query_window = 1;
		o.cum_weight = 0;
		CHECK_EQ_INT(cc_compress_select(a, &na, &o, &in), CC_OK);
		in.attn_cum = NULL;
		CHECK_EQ_INT(cc_compress_select(b, &nb, &o, &in), CC_OK);
		CHECK(na == nb && memcmp(a, b, na * sizeof(int32_t)) == 0);

		in.attn_cum = cum;
		in.query = 0;
		in.protect = NULL;
		o.prior_weight = 0;
		o.pool = 1;
		CHECK_EQ_INT(cc_compress_select(a, &na, &o, &in), CC_OK);
		cc_compress_opts h;
		cc_compress_opts_default(&h, CC_POLICY_H2O, o.budget);
		cc_compress_input hi = {N, cum, NULL, NULL, 0, 0, NULL, 0, 0, NULL, NULL};
		CHECK_EQ_INT(cc_compress_select(b, &nb, &h, &hi), CC_OK);
		CHECK(na == nb && memcmp(a, b, na * sizeof(int32_t)) == 0);
	}
}

/* With a query and the cumulative attention, codecomp's default ranks by the cumulative
 * (reconstruction) attention and the priors only: whatever the window's attention holds, the
 * choice is the same, and it is the choice of query_window = 1 with an all-zero window.
 * query_window = 1 lets the window's attention change it. */
static void test_codecomp_query_window(void)
{
	enum { N = 900 };
	static float cum[N], other[N], zero[N];
	int32_t a[N], b[N];
	size_t na, nb;
	int changed = 0;
	for (int rep = 0; rep < 20; rep++) {
		cc_compress_opts o;
		make_inputs(N);
		for (size_t i = 0; i < N; i++) {
			cum[i] = (float)(rnd() % 1000) / 7.0f;
			other[i] = (float)(rnd() % 1000);
			zero[i] = 0;
		}
		cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.1 + 0.05 * (rep % 6));
		CHECK_EQ_INT(o.query_window, 0);
		cc_compress_input in = input(N, 0, 0);
		in.attn_cum = cum;
		in.query = 1;
		CHECK_EQ_INT(cc_compress_select(a, &na, &o, &in), CC_OK);
		in.attn = other;
		CHECK_EQ_INT(cc_compress_select(b, &nb, &o, &in), CC_OK);
		CHECK(na == nb && memcmp(a, b, na * sizeof(int32_t)) == 0);
		o.query_window = 1;
		in.attn = zero;
		CHECK_EQ_INT(cc_compress_select(b, &nb, &o, &in), CC_OK);
		CHECK(na == nb && memcmp(a, b, na * sizeof(int32_t)) == 0);
		in.attn = other;
		CHECK_EQ_INT(cc_compress_select(b, &nb, &o, &in), CC_OK);
		changed += na != nb || memcmp(a, b, na * sizeof(int32_t)) != 0;
	}
	CHECK_EQ_INT(changed, 20);
}

/* Protected tokens with prior 0 among high-prior others: exactly the share is protected
 * (codecomp: with protect_fit 0). */
static void test_share(void)
{
	enum { N = 1000 };
	int32_t keep[N];
	size_t nk;
	for (int p = CC_POLICY_STRUCTURE; p <= CC_POLICY_CODECOMP; p++)
		for (int sh = 0; sh <= 4; sh++) {
			cc_compress_opts o;
			cc_compress_opts_default(&o, p, 0.2); /* k = 200, r = 132 */
			o.protect_share = sh / 4.0;
			o.protect_fit = 0;
			for (int i = 0; i < N; i++) {
				g_prot[i] = i % 2 == 0;
				g_prior[i] = g_prot[i] ? 0.0f : 1.0f;
				g_attn[i] = g_prot[i] ? 0.0f : 1.0f;
			}
			cc_compress_input in = {N, g_attn, g_prior, g_prot, 0, 0, NULL, 0, 0, NULL, NULL};
			CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
			CHECK_EQ_INT(nk, 200);
			int prot_mid = 0;
			for (size_t i = 0; i < nk; i++)
				if (keep[i] >= 4 && keep[i] < N - 64)
					prot_mid += g_prot[keep[i]];
			CHECK_EQ_INT(prot_mid, (int)floor(132 * (sh / 4.0)));
		}
}

/* codecomp's protect_fit option (mask 1: without a query, 2: with one): a budget that cannot
 * hold the protected spans goes to them first, floor(P r / (P + r)) of the r middle tokens
 * when that exceeds the share, even when every unprotected token scores higher; in the modes
 * the mask leaves out, the share alone. */
static void test_protect_fit(void)
{
	enum { N = 2000 };
	int32_t keep[N];
	size_t nk;
	static const int every[] = {2, 5, 12, 40};
	static const double budgets[] = {0.05, 0.1, 0.2, 0.4};
	for (size_t e = 0; e < sizeof(every) / sizeof(every[0]); e++)
		for (size_t b = 0; b < sizeof(budgets) / sizeof(budgets[0]); b++)
			for (int query = 0; query <= 1; query++)
				for (int mask = 0; mask <= 3; mask++) {
					cc_compress_opts o;
					size_t pm = 0, r, want, share, fit;
					cc_compress_opts_default(&o, CC_POLICY_CODECOMP, budgets[b]);
					CHECK_EQ_INT(o.protect_fit, 0); /* an option, off by default */
					o.protect_fit = mask;
					for (int i = 0; i < N; i++) {
						g_prot[i] = i % every[e] == 0;
						g_prior[i] = g_prot[i] ? 0.25f : 1.0f;
						g_attn[i] = g_prot[i] ? 0.5f : 1.0f + (float)(i % 7);
						if (i >= 4 && i < N - 64)
							pm += g_prot[i];
					}
					cc_compress_input in = {N, g_attn, g_prior, g_prot, 0, 0, NULL, query, 0, NULL, NULL};
					CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
					r = cc_compress_keep_count(&o, N) - 68;
					share = (size_t)floor((query ? o.protect_share_query : o.protect_share) *
					                              (double)r +
					                      1e-9);
					fit = pm * r / (pm + r);
					want = (o.protect_fit & (query ? 2 : 1)) && fit > share ? fit : share;
					if (want > pm)
						want = pm;
					size_t prot_mid = 0;
					for (size_t i = 0; i < nk; i++)
						if (keep[i] >= 4 && keep[i] < N - 64)
							prot_mid += g_prot[keep[i]];
					CHECK_EQ_INT((int)prot_mid, (int)want);
				}
	/* the option gives the protected spans more of a 5% budget than the share when they
	 * outnumber it (1976 middle tokens, 387 protected, r = 32: 29 against 16) */
	{
		cc_compress_opts o;
		cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.05);
		o.protect_fit = 1;
		for (int i = 0; i < N; i++) {
			g_prot[i] = i % 5 == 0;
			g_prior[i] = g_prot[i] ? 0.25f : 1.0f;
			g_attn[i] = g_prot[i] ? 0.5f : 2.0f;
		}
		cc_compress_input in = {N, g_attn, g_prior, g_prot, 0, 0, NULL, 0, 0, NULL, NULL};
		CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
		size_t prot_mid = 0;
		for (size_t i = 0; i < nk; i++)
			if (keep[i] >= 4 && keep[i] < N - 64)
				prot_mid += g_prot[keep[i]];
		CHECK_EQ_INT((int)nk, 100);
		CHECK_EQ_INT((int)prot_mid, 29);
	}
}

static void test_errors(void)
{
	int32_t keep[100];
	size_t nk;
	float a[100] = {0}, pr[100] = {0};
	cc_compress_opts o;
	cc_compress_input in = {100, a, pr, NULL, 0, 0, NULL, 0, 0, NULL, NULL};
	static const double bad_b[] = {0, -0.5, 1.0000001, 2, NAN};
	for (size_t i = 0; i < sizeof(bad_b) / sizeof(bad_b[0]); i++) {
		cc_compress_opts_default(&o, CC_POLICY_STREAMING, bad_b[i]);
		CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
		CHECK(strstr(cc_error_last(), "budget") != NULL);
	}
	cc_compress_opts_default(&o, CC_POLICY_SNAPKV, 0.5);
	in.attn = NULL;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "snapkv") && strstr(cc_error_last(), "attn"));
	o.policy = CC_POLICY_H2O;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "h2o") && strstr(cc_error_last(), "attn"));
	in.attn = a;
	in.prior = NULL;
	o.policy = CC_POLICY_STRUCTURE;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "prior") != NULL);
	o.policy = CC_POLICY_CODECOMP;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "prior") != NULL);
	in.prior = pr;
	o.policy = CC_POLICY_COUNT;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "policy") != NULL);
	cc_compress_opts_default(&o, CC_POLICY_SNAPKV, 0.5);
	o.pool = 0;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "pool") != NULL);
	cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.5);
	o.cum_weight = INFINITY;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "cum_weight") != NULL);
	o.cum_weight = 1;
	o.combine = 7;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "combine") != NULL);
	cc_compress_opts_default(&o, CC_POLICY_STRUCTURE, 0.5);
	o.protect_share = 1.5;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "protect_share") != NULL);
	cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.5);
	o.prior_weight_query = NAN;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "prior_weight_query") != NULL);
	cc_compress_opts_default(&o, CC_POLICY_KVZIP, 0.5);
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "kvzip") && strstr(cc_error_last(), "attn_cum"));
	cc_compress_opts_default(&o, CC_POLICY_EXPECTED, 0.5);
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "expected") && strstr(cc_error_last(), "attn_cum"));
	cc_compress_opts_default(&o, CC_POLICY_PYRAMID, 0.5);
	o.pyramid_beta = 0.5;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "pyramid_beta") != NULL);
	cc_compress_opts_default(&o, CC_POLICY_RANDOM, 0.5);
	o.sinks = -1;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "sinks") != NULL);
	CHECK_EQ_INT(cc_compress_select(NULL, &nk, &o, &in), CC_EINVAL);
	/* NaN attention ranks last instead of breaking the order */
	cc_compress_opts_default(&o, CC_POLICY_H2O, 0.7);
	for (int i = 0; i < 100; i++)
		a[i] = i % 2 ? NAN : 1.0f;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
	CHECK_EQ_INT(nk, 70);
	int nan_kept = 0;
	for (size_t i = 0; i < nk; i++)
		nan_kept += keep[i] >= 4 && keep[i] < 36 && keep[i] % 2;
	CHECK_EQ_INT(nan_kept, 0);
}

/* The captured attention mass of giving layer l c[l] middle tokens, computed by brute force:
 * each head's c[l] largest middle values (repeated arg-max) over the head's middle sum. */
static double ref_captured(const float *attn, size_t n, int L, int H, int sinks, int window,
                           const size_t *c)
{
	double tot = 0;
	for (int l = 0; l < L; l++)
		for (int h = 0; h < H; h++) {
			const float *a = attn + ((size_t)l * (size_t)H + (size_t)h) * n;
			uint8_t used[64] = {0};
			double sum = 0, got = 0;
			size_t nm = n - (size_t)sinks - (size_t)window;
			for (size_t j = 0; j < nm; j++)
				sum += a[sinks + j];
			for (size_t r = 0; r < c[l]; r++) {
				size_t best = nm;
				for (size_t j = 0; j < nm; j++)
					if (!used[j] && (best == nm || a[sinks + j] > a[sinks + best]))
						best = j;
				used[best] = 1;
				got += sum > 0 ? a[sinks + best] / sum : 1.0 / (double)nm;
			}
			tot += got / H;
		}
	return tot;
}

/* cc_compress_adaptive_keep with CC_LAYER_MASS: the counts sum to the uniform total, every
 * layer keeps its forced tokens and at most n_ctx, and no other split of the same total
 * captures more attention mass (every split enumerated); a layer attending to one token gives
 * budget to one whose attention is spread; cc_compress_select keeps exactly o->keep. */
static void test_adaptive_keep(void)
{
	enum {
		L = 3,
		H = 2,
		N = 14
	};
	static float attn[L * H * N];
	size_t keep[L], c[L];
	for (int rep = 0; rep < 200; rep++) {
		cc_compress_opts o;
		int sinks = (int)(rnd() % 3), window = (int)(rnd() % 4);
		size_t f = (size_t)(sinks + window), nm = N - f, k;
		cc_compress_opts_default(&o, CC_POLICY_CODECOMP, (1 + rnd() % 19) / 20.0);
		o.sinks = sinks;
		o.window = window;
		o.layer_adapt = CC_LAYER_MASS;
		for (size_t i = 0; i < L * H * N; i++)
			attn[i] = rep % 7 == 0 && i % 3 ? 0 : (float)(rnd() % 9) * (float)(rnd() % 4);
		k = cc_compress_keep_count(&o, N);
		CHECK_EQ_INT(cc_compress_adaptive_keep(keep, &o, N, attn, L, H), CC_OK);
		size_t sum = 0;
		for (int l = 0; l < L; l++) {
			CHECK(keep[l] >= (k < f ? k : f) && keep[l] <= N);
			sum += keep[l];
		}
		CHECK_EQ_INT(sum, L * k);
		if (k <= f || k >= N) {
			for (int l = 0; l < L; l++)
				CHECK_EQ_INT(keep[l], k);
			continue;
		}
		for (int l = 0; l < L; l++)
			c[l] = keep[l] - f;
		double got = ref_captured(attn, N, L, H, sinks, window, c), best = -1;
		size_t e = L * (k - f);
		for (size_t a = 0; a <= nm; a++)
			for (size_t b = 0; b <= nm; b++) {
				if (a + b > e || e - a - b > nm)
					continue;
				size_t t[L] = {a, b, e - a - b};
				best = fmax(best, ref_captured(attn, N, L, H, sinks, window, t));
			}
		CHECK(got >= best - 1e-9);
	}
	/* layer 0 attends to one token per head, layer 1 evenly: layer 1 gets the budget */
	{
		enum { N2 = 200 };
		static float a2[2 * H * N2];
		cc_compress_opts o;
		int32_t sel[N2];
		size_t nk;
		for (size_t j = 0; j < N2; j++)
			for (int h = 0; h < H; h++) {
				a2[(size_t)h * N2 + j] = j == 50 ? 10.0f : 0.0f;
				a2[((size_t)H + (size_t)h) * N2 + j] = 1.0f;
			}
		cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.5);
		o.window = 16;
		o.layer_adapt = CC_LAYER_MASS;
		CHECK_EQ_INT(cc_compress_adaptive_keep(keep, &o, N2, a2, 2, H), CC_OK);
		CHECK(keep[0] < keep[1] && keep[0] + keep[1] == 2 * cc_compress_keep_count(&o, N2));
		/* o->keep overrides the budget's count in cc_compress_select */
		make_inputs(N2);
		cc_compress_input in = input(N2, 0, 0);
		o.keep = 37;
		CHECK_EQ_INT(cc_compress_select(sel, &nk, &o, &in), CC_OK);
		CHECK_EQ_INT(nk, 37);
		o.keep = 10; /* below sinks + window */
		CHECK_EQ_INT(cc_compress_select(sel, &nk, &o, &in), CC_EINVAL);
		CHECK_EQ_INT(cc_compress_adaptive_keep(NULL, &o, N2, a2, 2, H), CC_EINVAL);
		CHECK_EQ_INT(cc_compress_adaptive_keep(keep, &o, N2, a2, 0, H), CC_EINVAL);
	}
}

/* The information in each layer's attention over the middle tokens: the mean over its KV heads
 * of the KL divergence of the normalised attention from uniform (nats), written out. */
static double ref_layer_kl(const float *attn, size_t n, int layer, int H, int sinks, int window)
{
	size_t nm = n - (size_t)sinks - (size_t)window;
	double tot = 0;
	for (int h = 0; h < H; h++) {
		const float *a = attn + ((size_t)layer * (size_t)H + (size_t)h) * n + (size_t)sinks;
		double sum = 0, kl = 0;
		for (size_t j = 0; j < nm; j++)
			sum += a[j] > 0 ? a[j] : 0;
		for (size_t j = 0; j < nm && sum > 0; j++)
			if (a[j] > 0)
				kl += a[j] / sum * log(a[j] / sum * (double)nm);
		tot += kl / H;
	}
	return tot;
}

/* layer_adapt CC_LAYER_INFO: the layers' middle budgets follow the information in their
 * attention (KL from uniform), capped at the median layer's: a layer whose attention is
 * uniform keeps only its sinks and window, layers at or above the median keep the same
 * count (within one token), a layer below the median keeps its share in proportion, the
 * total is the uniform one; CC_LAYER_INFO_PROP (no cap) gives the more informative layer
 * more; cc_compress_session applies it (test_compress_session). */
static void test_layer_info(void)
{
	enum {
		L = 6,
		H = 2,
		N = 400
	};
	static float attn[L * H * N];
	size_t keep[L], keep5[L];
	for (int rep = 0; rep < 60; rep++) {
		cc_compress_opts o;
		int sinks = 4, window = 16;
		size_t f = (size_t)(sinks + window), k, sum = 0, tot;
		double kl[L], capped[L], srt[L], med, ksum = 0;
		cc_compress_opts_default(&o, CC_POLICY_CODECOMP, (2 + rnd() % 7) / 20.0);
		o.sinks = sinks;
		o.window = window;
		o.layer_adapt = CC_LAYER_INFO;
		/* layer 0 uniform; the others with a few heavy tokens of their own strength */
		for (int l = 0; l < L; l++)
			for (int h = 0; h < H; h++)
				for (size_t j = 0; j < N; j++)
					attn[((size_t)l * H + (size_t)h) * N + j] =
						l == 0 ? 1.0f
						       : (float)(1 + rnd() % 3) +
								 (rnd() % (unsigned)(4 + 3 * l) == 0
					                                  ? (float)(10 * l)
					                                  : 0.0f);
		k = cc_compress_keep_count(&o, N);
		tot = L * (k - f);
		CHECK_EQ_INT(cc_compress_adaptive_keep(keep, &o, N, attn, L, H), CC_OK);
		for (int l = 0; l < L; l++) {
			kl[l] = ref_layer_kl(attn, N, l, H, sinks, window);
			srt[l] = kl[l];
			CHECK(keep[l] >= f && keep[l] <= N);
			sum += keep[l];
		}
		CHECK_EQ_INT(sum, L * k);
		CHECK_EQ_INT(keep[0], f);   /* uniform attention: nothing beyond sinks and window */
		for (int i = 0; i < L; i++) /* sort descending */
			for (int j = i + 1; j < L; j++)
				if (srt[j] > srt[i]) {
					double t = srt[i];
					srt[i] = srt[j];
					srt[j] = t;
				}
		med = (srt[L / 2 - 1] + srt[L / 2]) / 2;
		for (int l = 0; l < L; l++)
			ksum += capped[l] = kl[l] < med ? kl[l] : med;
		for (int l = 0; l < L; l++) {
			double want = (double)tot * capped[l] / ksum;
			CHECK(fabs((double)(keep[l] - f) - want) <= 1.0 + 1e-9);
		}
		/* without the cap the most informative layer keeps the most */
		o.layer_adapt = CC_LAYER_INFO_PROP;
		CHECK_EQ_INT(cc_compress_adaptive_keep(keep5, &o, N, attn, L, H), CC_OK);
		int top = 0;
		for (int l = 1; l < L; l++)
			if (kl[l] > kl[top])
				top = l;
		for (int l = 0; l < L; l++)
			CHECK(keep5[top] >= keep5[l]);
		CHECK(keep5[top] > keep[top]);
		sum = 0;
		for (int l = 0; l < L; l++)
			sum += keep5[l];
		CHECK_EQ_INT(sum, L * k);
	}
}

int main(void)
{
	test_names();
	test_invariants();
	test_streaming();
	test_random();
	test_attention_policies();
	test_structure_codecomp();
	test_codecomp_cum();
	test_codecomp_query_weights();
	test_codecomp_query_window();
	test_share();
	test_protect_fit();
	test_pyramid_kvzip();
	test_errors();
	test_adaptive_keep();
	test_layer_info();
	return test_result();
}
