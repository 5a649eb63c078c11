/*
 * test_compress_headalloc.c - codecomp's head-adaptive budgets (cc_compress_opts.head_adapt):
 *   - cc_compress_select_heads with codecomp and CC_HEAD_SCORES gives each head the count of a
 *     brute-force reference written from the definition (each head's codecomp scores divided
 *     by their sum, its safeguard share first, then the layer's remaining middle tokens one at
 *     a time to the best score over all heads), over random attention, priors and budgets;
 *     the counts sum to the layer total, and each head keeps codecomp's own selection at its
 *     count;
 *   - the allocation follows the scores: a head whose attention x prior is concentrated keeps
 *     fewer tokens than a spread one (swapping the heads swaps the counts), also when only
 *     the prior makes it so; with
 *     CC_HEAD_PRIOR the head whose attention agrees with the prior gets more than with
 *     CC_HEAD_SCORES;
 *   - cc_compress_session with head_adapt on the tiny Qwen2 fixture keeps those per-head
 *     counts in the cache, and the layer's blocks drop to the lane-packed count (the memory
 *     really returns to the pool); on a quantized pool it keeps the same count per head and
 *     says so (head_uniform).
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"
#include "cc_kv.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t g_rng = 1234;
static double urand(void)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (double)(g_rng % 1000003) / 1000003.0;
}

/* The reference counts: codecomp's product score (agnostic, attn_cum as the attention part,
 * pool 1), each head's middle scores over their sum, safeguard, then greedy over heads. */
static void reference(size_t *cnt, const cc_compress_opts *o, const float *const *att,
                      const float *prior, size_t n, int nh)
{
	size_t f = (size_t)o->sinks + (size_t)o->window, k = cc_compress_keep_count(o, n);
	size_t lo = (size_t)o->sinks, hi = n - (size_t)o->window, r = k - f;
	size_t fl = (size_t)floor(o->adakv_floor * (double)r + 1e-9);
	double *p = calloc((size_t)nh * n, sizeof(double));
	uint8_t *taken = calloc((size_t)nh * n, 1);
	for (int h = 0; h < nh; h++) {
		double mx = 0, tot = 0;
		for (size_t i = lo; i < hi; i++)
			mx = att[h][i] > mx ? att[h][i] : mx;
		for (size_t i = lo; i < hi; i++) {
			double a = att[h][i] / mx + 1e-12;
			p[(size_t)h * n + i] = a * pow(fmax(prior[i], 1e-3), o->prior_weight);
			tot += p[(size_t)h * n + i];
		}
		for (size_t i = lo; i < hi; i++)
			p[(size_t)h * n + i] /= tot;
		cnt[h] = f;
		for (size_t t = 0; t < fl; t++) {
			size_t best = 0;
			for (size_t i = lo; i < hi; i++)
				if (!taken[(size_t)h * n + i] &&
				    (!best || p[(size_t)h * n + i] >= p[(size_t)h * n + best]))
					best = i;
			taken[(size_t)h * n + best] = 1;
			cnt[h]++;
		}
	}
	for (size_t t = 0; t < (size_t)nh * (r - fl); t++) {
		long bh = -1;
		size_t bi = 0;
		for (int h = 0; h < nh; h++)
			for (size_t i = lo; i < hi; i++)
				if (!taken[(size_t)h * n + i] &&
				    (bh < 0 || p[(size_t)h * n + i] > p[(size_t)bh * n + bi])) {
					bh = h;
					bi = i;
				}
		taken[(size_t)bh * n + bi] = 1;
		cnt[bh]++;
	}
	free(p);
	free(taken);
}

static void test_reference(void)
{
	enum { N = 300,
	       NH = 4 };
	static float att[NH][N], prior[N];
	const float *ap[NH];
	int32_t keep[NH * N], one[N];
	size_t cnt[NH], want[NH], n1;
	double budgets[] = {0.1, 0.25, 0.5};
	for (int trial = 0; trial < 12; trial++) {
		for (int h = 0; h < NH; h++) {
			double sharp = 1 + 6 * urand();
			for (int i = 0; i < N; i++)
				att[h][i] = (float)pow(urand(), sharp * (h + 1));
			ap[h] = att[h];
		}
		for (int i = 0; i < N; i++)
			prior[i] = (float)(0.1 + 0.9 * urand());
		cc_compress_opts o;
		cc_compress_opts_default(&o, CC_POLICY_CODECOMP, budgets[trial % 3]);
		o.sinks = 4;
		o.window = 16;
		o.head_adapt = CC_HEAD_SCORES;
		o.adakv_floor = trial % 2 ? 0.2 : 0.5;
		o.prior_budget_ref = 0; /* reference() uses prior_weight as the exponent */
		cc_compress_input in[NH];
		for (int h = 0; h < NH; h++) {
			memset(&in[h], 0, sizeof(in[h]));
			in[h].n_ctx = N;
			in[h].attn = att[(h + 1) % NH]; /* the window's: unused without a query */
			in[h].attn_cum = att[h];
			in[h].prior = prior;
			in[h].kv_head = h;
		}
		CHECK_EQ_INT(cc_compress_select_heads(keep, cnt, &o, in, NH), CC_OK);
		reference(want, &o, ap, prior, N, NH);
		size_t sum = 0, off = 0, k = cc_compress_keep_count(&o, N);
		int same = 1, differ = 0;
		for (int h = 0; h < NH; h++) {
			same &= cnt[h] == want[h];
			differ |= cnt[h] != cnt[0];
			sum += cnt[h];
			/* each head keeps codecomp's own choice at its count */
			cc_compress_opts ho = o;
			ho.head_adapt = 0;
			ho.keep = cnt[h];
			CHECK_EQ_INT(cc_compress_select(one, &n1, &ho, &in[h]), CC_OK);
			CHECK_EQ_INT(n1, cnt[h]);
			CHECK(memcmp(one, keep + off, n1 * sizeof(int32_t)) == 0);
			off += cnt[h];
		}
		CHECK(same);
		CHECK(differ);
		CHECK_EQ_INT(sum, NH * k);
	}
}

static void test_follows_scores(void)
{
	enum { N = 200 };
	static float sharp[N], flat[N], ones[N], a0[N], a1[N], pr[N];
	int32_t keep[2 * N];
	size_t cnt[2], swapped[2], k;
	for (int i = 0; i < N; i++) {
		sharp[i] = i % 40 == 7 ? 10.0f : 0.001f;
		flat[i] = 0.5f + 0.001f * (float)(i % 7);
		ones[i] = 1;
	}
	cc_compress_opts o;
	cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.3);
	o.sinks = 4;
	o.window = 8;
	o.head_adapt = CC_HEAD_SCORES;
	k = cc_compress_keep_count(&o, N);
	cc_compress_input in[2] = {{0}, {0}};
	for (int h = 0; h < 2; h++) {
		in[h].n_ctx = N;
		in[h].attn = flat;
		in[h].prior = ones;
	}
	in[0].attn_cum = sharp;
	in[1].attn_cum = flat;
	CHECK_EQ_INT(cc_compress_select_heads(keep, cnt, &o, in, 2), CC_OK);
	CHECK(cnt[0] < cnt[1]);
	CHECK_EQ_INT(cnt[0] + cnt[1], 2 * k);
	in[0].attn_cum = flat;
	in[1].attn_cum = sharp;
	CHECK_EQ_INT(cc_compress_select_heads(keep, swapped, &o, in, 2), CC_OK);
	CHECK_EQ_INT(swapped[0], cnt[1]);
	CHECK_EQ_INT(swapped[1], cnt[0]);
	/* prior steering: both heads peak at 5 tokens; head 0's peaks are where the prior is
	 * highest, head 1's elsewhere. CC_HEAD_PRIOR gives the agreeing head more than
	 * CC_HEAD_SCORES does */
	for (int i = 0; i < N; i++) {
		a0[i] = i % 40 == 7 ? 10.0f : 1.0f;
		a1[i] = i % 40 == 23 ? 10.0f : 1.0f;
		pr[i] = i % 40 == 7 ? 1.0f : 0.8f;
	}
	in[0].attn_cum = a0;
	in[1].attn_cum = a1;
	in[0].prior = in[1].prior = pr;
	size_t by_scores[2], by_prior[2];
	CHECK_EQ_INT(cc_compress_select_heads(keep, by_scores, &o, in, 2), CC_OK);
	/* the scores are attention x prior: the prior's peaks make head 0 the concentrated one */
	CHECK(by_scores[0] < by_scores[1]);
	o.head_adapt = CC_HEAD_PRIOR;
	CHECK_EQ_INT(cc_compress_select_heads(keep, by_prior, &o, in, 2), CC_OK);
	CHECK(by_prior[0] > by_scores[0]);
	CHECK_EQ_INT(by_prior[0] + by_prior[1], 2 * k);
	/* errors name what is wrong */
	o.head_adapt = 7;
	CHECK_EQ_INT(cc_compress_select_heads(keep, cnt, &o, in, 2), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "head_adapt"));
	o.head_adapt = CC_HEAD_SCORES;
	o.adakv_floor = -1;
	CHECK_EQ_INT(cc_compress_select_heads(keep, cnt, &o, in, 2), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "adakv_floor"));
	o.adakv_floor = 0.2;
	in[1].prior = NULL;
	CHECK_EQ_INT(cc_compress_select_heads(keep, cnt, &o, in, 2), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "prior"));
}

/* A fresh session of m, prefilled with ids and compressed with o (NULL on failure). */
static cc_session *compressed(cc_model *m, const cc_compress_opts *o, const int32_t *ids,
                              size_t nctx, size_t nq, const float *prior, int quant,
                              cc_compress_stats *st)
{
	cc_session_opts so = {0};
	cc_session *s = NULL;
	so.max_tokens = 512;
	so.block_tokens = 16;
	so.obs_window = (int)nq;
	if (quant) {
		so.kv_quant = CC_KV_QUANT_KIVI;
		so.kv_bits = 8;
	}
	CHECK_EQ_INT(cc_session_new(&s, m, &so), CC_OK);
	if (!s)
		return NULL;
	CHECK_EQ_INT(cc_session_prefill(s, ids, nctx + nq, NULL), CC_OK);
	CHECK_EQ_INT(cc_compress_session(s, o, nctx, prior, NULL, NULL, st), CC_OK);
	return s;
}

static void test_session(void)
{
	enum { NCTX = 150,
	       NQ = 10 };
	cc_model *m = NULL;
	cc_model_opts mo = {CC_DEVICE_CPU, 2};
	if (cc_model_load(&m, "fixtures/engine/qwen2-tiny", &mo) != CC_OK) {
		fprintf(stderr, "load: %s\n", cc_error_last());
		CHECK(0);
		return;
	}
	cc_model_info info;
	cc_model_info_get(&info, m);
	int L = info.n_layers, NH = info.n_kv_heads;
	int32_t ids[NCTX + NQ + 1];
	float prior[NCTX];
	for (int i = 0; i < NCTX + NQ + 1; i++)
		ids[i] = (int32_t)((i * 31 + 3) % info.vocab);
	for (int i = 0; i < NCTX; i++)
		prior[i] = i % 11 == 0 ? 1.0f : 0.3f;
	cc_compress_opts o;
	cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.2);
	o.sinks = 4;
	o.window = 16;
	o.head_adapt = CC_HEAD_SCORES;
	o.value_weight = 0; /* the reference below gives no value norms (test_compress_vk) */
	/* what the session's own statistics give, per layer (no attn_cum: the window's) */
	cc_session_opts so = {0};
	cc_session *ref = NULL;
	so.max_tokens = 512;
	so.block_tokens = 16;
	so.obs_window = NQ;
	CHECK_EQ_INT(cc_session_new(&ref, m, &so), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(ref, ids, NCTX + NQ, NULL), CC_OK);
	int32_t *want = malloc((size_t)L * NH * NCTX * sizeof(int32_t));
	size_t *wcnt = malloc((size_t)L * NH * sizeof(size_t));
	for (int l = 0; l < L; l++) {
		cc_compress_input in[16];
		for (int h = 0; h < NH; h++) {
			const float *sc;
			const int32_t *pos;
			size_t on;
			CHECK_EQ_INT(cc_session_obs(ref, l, h, &sc, &pos, &on), CC_OK);
			memset(&in[h], 0, sizeof(in[h]));
			in[h].n_ctx = NCTX;
			in[h].attn = sc;
			in[h].prior = prior;
			in[h].layer = l;
			in[h].kv_head = h;
			in[h].query = 1;
			in[h].n_layers = L;
		}
		CHECK_EQ_INT(cc_compress_select_heads(want + (size_t)l * NH * NCTX,
		                                      wcnt + (size_t)l * NH, &o, in, NH),
		             CC_OK);
	}
	cc_session_free(ref);

	cc_compress_stats st, su;
	cc_session *s = compressed(m, &o, ids, NCTX, NQ, prior, 0, &st);
	cc_compress_opts uo = o;
	uo.head_adapt = CC_HEAD_UNIFORM;
	cc_session *u = compressed(m, &uo, ids, NCTX, NQ, prior, 0, &su);
	if (!s || !u)
		goto out;
	CHECK_EQ_INT(st.head_uniform, 0);
	size_t packed = 0, differ = 0;
	for (int l = 0; l < L; l++) {
		size_t off = 0, lanes = 0;
		for (int h = 0; h < NH; h++) {
			size_t c = wcnt[(size_t)l * NH + h];
			const int32_t *kp = cc_kv_seq_positions(cc_session_kv(s), l, h);
			CHECK_EQ_INT(cc_kv_seq_head_len(cc_session_kv(s), l, h), c + NQ);
			CHECK(memcmp(kp, want + (size_t)l * NH * NCTX + off, c * sizeof(int32_t)) == 0);
			CHECK_EQ_INT(kp[c], NCTX);
			off += c;
			lanes += (c + NQ + 15) / 16;
			differ += h && c != wcnt[(size_t)l * NH];
			/* uniform: every head keeps k */
			CHECK_EQ_INT(cc_kv_seq_head_len(cc_session_kv(u), l, h),
			             cc_compress_keep_count(&o, NCTX) + NQ);
		}
		packed += (lanes + (size_t)NH - 1) / (size_t)NH;
	}
	CHECK(differ > 0);
	cc_cache_stats cs;
	cc_session_cache_stats(&cs, s);
	CHECK_EQ_INT(cs.seq_blocks, packed); /* the dropped lanes' blocks went back */
	CHECK(st.bytes_after < st.bytes_before);
	float *lg = malloc((size_t)info.vocab * sizeof(float));
	CHECK_EQ_INT(cc_session_decode(s, ids[NCTX + NQ], lg), CC_OK);
	int finite = 1;
	for (int i = 0; i < info.vocab; i++)
		finite &= isfinite(lg[i]);
	CHECK(finite);
	free(lg);
	cc_session_free(s);
	/* a quantized pool cannot hold ragged layers: the same count per head, said so */
	s = compressed(m, &o, ids, NCTX, NQ, prior, 1, &st);
	if (s) {
		CHECK_EQ_INT(st.head_uniform, 1);
		for (int h = 0; h < NH; h++)
			CHECK_EQ_INT(cc_kv_seq_head_len(cc_session_kv(s), 0, h),
			             cc_compress_keep_count(&o, NCTX) + NQ);
	}
out:
	cc_session_free(s);
	cc_session_free(u);
	free(want);
	free(wcnt);
	cc_model_free(m);
}

int main(void)
{
	test_reference();
	test_follows_scores();
	test_session();
	return test_result();
}
