/*
 * test_compress_vk.c - codecomp's value-aware and key-distinctiveness factors (value_weight,
 * distinct_weight, vk_modes; cc_compress_kv_scores):
 *   - constructed cases: a heavily attended token whose value is zero loses to a less attended
 *     one with a large value once value_weight is on (and wins without it); a key equal to
 *     the head's mean direction loses to a distinct one with distinct_weight;
 *   - random inputs against a brute-force reference (scores written out, repeated arg-max);
 *   - vk_modes: the factors apply only in the modes named; missing inputs leave them out;
 *     bad weights are clear errors;
 *   - prior_budget_ref: at budget b, in both modes, codecomp keeps what it keeps with the
 *     exponent written out (weight x ln(1 / b) / ln(1 / ref), ref 0) and, at 5%, not what
 *     the unscaled weight keeps; a ref outside [0, 1) is a clear error;
 *   - on the shared model (skipped when absent), CPU, f32 KV: cc_compress_kv_scores against
 *     values and keys read back with cc_session_kv_export and reduced here, and
 *     cc_compress_session with value_weight keeps what cc_compress_select keeps from those
 *     statistics (and not what it keeps without them).
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"
#include "cc_tokenizer.h"
#include "test.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { N = 100,
       NB = 300,
       NCTX = 400 };

static uint64_t g_rng = 987654321;
static double unif(void)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (double)(g_rng >> 11) / 9007199254740992.0;
}

/* Is index i in keep[0..nk)? */
static int kept(const int32_t *keep, size_t nk, int32_t i)
{
	for (size_t j = 0; j < nk; j++)
		if (keep[j] == i)
			return 1;
	return 0;
}

/* 32 middle tokens (4 sinks, 64 window), one of them kept (k = 69 of 100). Token 10 is
 * attended most but its value is zero, token 20 half as much with the largest value. */
static void test_value_constructed(void)
{
	float attn[N], prior[N], vn[N];
	int32_t keep[N];
	size_t nk = 0;
	cc_compress_opts o;
	cc_compress_input in = {N, attn, prior, NULL, 0, 0, attn, 0, 0, vn, NULL};
	for (int i = 0; i < N; i++) {
		attn[i] = 0.1f;
		prior[i] = 1;
		vn[i] = 1;
	}
	attn[10] = 1.0f;
	vn[10] = 0;
	attn[20] = 0.5f;
	vn[20] = 10;
	cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.69);
	o.head_adapt = 0;
	o.value_weight = 0;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
	CHECK_EQ_INT(nk, 69);
	CHECK(kept(keep, nk, 10) && !kept(keep, nk, 20));
	o.value_weight = 1;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
	CHECK_EQ_INT(nk, 69);
	CHECK(!kept(keep, nk, 10) && kept(keep, nk, 20));
	/* without the value norms the factor is left out */
	in.vnorm = NULL;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
	CHECK(kept(keep, nk, 10));
	/* only in the modes named: agnostic only, and the window is a query */
	in.vnorm = vn;
	in.query = 1;
	o.vk_modes = 1;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
	CHECK(kept(keep, nk, 10));
	o.vk_modes = 2;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
	CHECK(!kept(keep, nk, 10) && kept(keep, nk, 20));
}

/* Token 10 is attended most but its key is the head's common direction (distance 0), token
 * 20 less but distinct. */
static void test_distinct_constructed(void)
{
	float attn[N], prior[N], kd[N];
	int32_t keep[N];
	size_t nk = 0;
	cc_compress_opts o;
	cc_compress_input in = {N, attn, prior, NULL, 0, 0, attn, 0, 0, NULL, kd};
	for (int i = 0; i < N; i++) {
		attn[i] = 0.1f;
		prior[i] = 1;
		kd[i] = 0.3f;
	}
	attn[10] = 1.0f;
	kd[10] = 0.01f;
	attn[20] = 0.5f;
	kd[20] = 1.2f;
	cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.69);
	o.head_adapt = 0;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
	CHECK(kept(keep, nk, 10) && !kept(keep, nk, 20));
	o.distinct_weight = 1;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
	CHECK(!kept(keep, nk, 10) && kept(keep, nk, 20));
	/* value_weight alone does not read kdist */
	o.distinct_weight = 0;
	o.value_weight = 1;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
	CHECK(kept(keep, nk, 10));
}

/* Random inputs against the score written out: attention / max x (vn / max) ^ vw x
 * (kd / max) ^ dw x max(prior, 0.001) ^ pw over the middle tokens, the top r by repeated
 * arg-max (ties: the later token), no protected spans. */
static void test_brute_force(void)
{
	static const double vws[] = {0.5, 1, 2}, dws[] = {0, 1, 0.5};
	float attn[NB], prior[NB], vn[NB], kd[NB];
	int32_t keep[NB];
	size_t nk = 0;
	int bad = 0;
	for (int t = 0; t < 12; t++) {
		cc_compress_opts o;
		cc_compress_input in = {NB, attn, prior, NULL, 0, 0, attn, 0, 0, vn, kd};
		double amax = 0, vmax = 0, kmax = 0, sc[NB];
		uint8_t ref[NB] = {0};
		size_t r;
		for (int i = 0; i < NB; i++) {
			attn[i] = (float)(unif() * unif());
			prior[i] = (float)unif();
			vn[i] = (float)(0.01 + unif() * 3);
			kd[i] = (float)(0.01 + unif());
		}
		cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.3 + 0.05 * (t % 4));
		o.head_adapt = 0;
		o.prior_budget_ref = 0; /* the reference below uses prior_weight as the exponent */
		o.value_weight = vws[t % 3];
		o.distinct_weight = dws[(t / 3) % 3];
		CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
		r = cc_compress_keep_count(&o, NB) - 68;
		for (int i = 4; i < NB - 64; i++) {
			amax = fmax(amax, attn[i]);
			vmax = fmax(vmax, vn[i]);
			kmax = fmax(kmax, kd[i]);
		}
		for (int i = 0; i < NB; i++) {
			sc[i] = attn[i] / amax * pow(vn[i] / vmax, o.value_weight);
			if (o.distinct_weight > 0)
				sc[i] *= pow(kd[i] / kmax, o.distinct_weight);
			sc[i] = (sc[i] + 1e-12) * pow(fmax(prior[i], 1e-3), o.prior_weight);
		}
		for (int i = 0; i < 4; i++)
			ref[i] = ref[NB - 1 - i] = 1;
		for (int i = NB - 64; i < NB; i++)
			ref[i] = 1;
		for (size_t j = 0; j < r; j++) {
			int best = -1;
			for (int i = 4; i < NB - 64; i++)
				if (!ref[i] && (best < 0 || sc[i] >= sc[best]))
					best = i;
			ref[best] = 1;
		}
		CHECK_EQ_INT(nk, cc_compress_keep_count(&o, NB));
		for (size_t j = 0; j < nk; j++)
			bad += !ref[keep[j]];
	}
	CHECK_EQ_INT(bad, 0);
}

/* The budget-scaled prior exponent (prior_budget_ref, codecomp's default e^-2): the same
 * tokens as the exponent written out with the scaling off, in both modes, with protected
 * spans and head budgets at their defaults; at 5% the scaled exponent (3 agnostic, 1.5 with
 * a query) keeps other tokens than the unscaled 2 and 1 in some trial. */
static void test_prior_budget(void)
{
	static const double budgets[] = {0.05, 0.1, CC_PRIOR_BUDGET_REF, 0.2, 0.4, 1.0};
	float attn[NB], prior[NB], vn[NB];
	uint8_t prot[NB];
	int32_t k1[NB], k2[NB], k3[NB];
	size_t n1, n2, n3;
	int same = 1, differs_at_5 = 0, same_at_ref = 1;
	for (int t = 0; t < 24; t++) {
		int query = t % 2;
		double b = budgets[(t / 2) % 6];
		cc_compress_input in = {NB, attn, prior, prot, 0, 0, attn, query, 0, vn, NULL};
		for (int i = 0; i < NB; i++) {
			attn[i] = (float)(unif() * unif());
			prior[i] = (float)unif();
			prot[i] = unif() < 0.1;
			vn[i] = (float)(0.01 + unif());
		}
		cc_compress_opts o, w, u;
		cc_compress_opts_default(&o, CC_POLICY_CODECOMP, b);
		CHECK(o.prior_budget_ref > 0.135 && o.prior_budget_ref < 0.1354);
		o.window = 8; /* so that 5% of NB leaves middle tokens to choose */
		w = o;
		w.prior_budget_ref = 0;
		w.prior_weight = o.prior_weight * log(1 / b) / log(1 / CC_PRIOR_BUDGET_REF);
		w.prior_weight_query = o.prior_weight_query * log(1 / b) / log(1 / CC_PRIOR_BUDGET_REF);
		u = o;
		u.prior_budget_ref = 0;
		CHECK_EQ_INT(cc_compress_select(k1, &n1, &o, &in), CC_OK);
		CHECK_EQ_INT(cc_compress_select(k2, &n2, &w, &in), CC_OK);
		CHECK_EQ_INT(cc_compress_select(k3, &n3, &u, &in), CC_OK);
		same &= n1 == n2 && !memcmp(k1, k2, n1 * sizeof(int32_t));
		if (b == 0.05)
			differs_at_5 |= n1 != n3 || memcmp(k1, k3, n1 * sizeof(int32_t));
		if (b == CC_PRIOR_BUDGET_REF)
			same_at_ref &= n1 == n3 && !memcmp(k1, k3, n1 * sizeof(int32_t));
	}
	CHECK(same);
	CHECK(differs_at_5);
	CHECK(same_at_ref);
	/* a reference budget outside [0, 1) */
	{
		cc_compress_input in = {NB, attn, prior, NULL, 0, 0, attn, 0, 0, NULL, NULL};
		static const double bad[] = {1.0, -0.1, NAN};
		for (int i = 0; i < 3; i++) {
			cc_compress_opts o;
			cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.1);
			o.prior_budget_ref = bad[i];
			CHECK_EQ_INT(cc_compress_select(k1, &n1, &o, &in), CC_EINVAL);
			CHECK(strstr(cc_error_last(), "prior_budget_ref") != NULL);
		}
	}
}

static void test_errors(void)
{
	float a[N] = {0}, pr[N] = {0};
	int32_t keep[N];
	size_t nk;
	cc_compress_opts o;
	cc_compress_input in = {N, a, pr, NULL, 0, 0, NULL, 0, 0, NULL, NULL};
	cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.5);
	CHECK(o.value_weight == 1 && o.distinct_weight == 0 && o.vk_modes == 3);
	cc_compress_opts_default(&o, CC_POLICY_SNAPKV, 0.5);
	CHECK(o.value_weight == 0);
	cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.5);
	o.value_weight = -1;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "value_weight") != NULL);
	o.value_weight = 0;
	o.distinct_weight = NAN;
	CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "distinct_weight") != NULL);
	CHECK_EQ_INT(cc_compress_kv_scores(NULL, 10, NULL, NULL), CC_EINVAL);
}

/* ---- on the shared model -------------------------------------------------------------- */

static cc_model *g_m;
static cc_model_info g_info;
static int32_t *g_ids;

static cc_session *new_session(void)
{
	cc_session_opts so = {0};
	cc_session *s = NULL;
	so.max_tokens = 1024;
	so.pool_tokens = 4096;
	so.obs_window = 64;
	so.kv_dtype = CC_KV_F32;
	so.kv_dtype_set = 1;
	CHECK_EQ_INT(cc_session_new(&s, g_m, &so), CC_OK);
	return s;
}

static void test_kv_scores(void)
{
	int L = g_info.n_layers, H = g_info.n_kv_heads, hd = g_info.head_dim;
	size_t nn = (size_t)L * H * NCTX, differ = 0;
	float *vn = malloc(nn * sizeof(float)), *kd = malloc(nn * sizeof(float));
	float *k = malloc((size_t)H * NCTX * hd * sizeof(float)),
	      *v = malloc((size_t)H * NCTX * hd * sizeof(float)), *prior = malloc(NCTX * 4);
	int32_t *sel = malloc(NCTX * sizeof(int32_t)), *sel0 = malloc(NCTX * sizeof(int32_t));
	cc_session *s = new_session();
	double worst_v = 0, worst_k = 0;
	cc_compress_opts o;
	cc_compress_stats st;

	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	CHECK_EQ_INT(cc_compress_kv_scores(s, NCTX + 1, vn, kd), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "context") != NULL);
	CHECK_EQ_INT(cc_compress_kv_scores(s, NCTX, vn, kd), CC_OK);
	for (int l = 0; l < L; l++) {
		CHECK_EQ_INT(cc_session_kv_export(s, l, NULL, k, v), CC_OK);
		for (int h = 0; h < H; h++) {
			const float *kh = k + (size_t)h * NCTX * hd, *vh = v + (size_t)h * NCTX * hd;
			const float *gv = vn + ((size_t)l * H + h) * NCTX,
				    *gk = kd + ((size_t)l * H + h) * NCTX;
			/* the mean direction: the sum of unit keys (its scale does not matter) */
			double m[256] = {0}, mm = 0;
			CHECK(hd <= 256);
			for (int j = 0; j < NCTX; j++) {
				double nk = 0;
				for (int d = 0; d < hd; d++)
					nk += kh[(size_t)j * hd + d] * kh[(size_t)j * hd + d];
				for (int d = 0; d < hd && nk > 0; d++)
					m[d] += kh[(size_t)j * hd + d] / sqrt(nk);
			}
			for (int d = 0; d < hd; d++)
				mm += m[d] * m[d];
			for (int j = 0; j < NCTX; j++) {
				double l1 = 0, dot = 0, nk = 0;
				for (int d = 0; d < hd; d++) {
					l1 += fabs(vh[(size_t)j * hd + d]);
					dot += kh[(size_t)j * hd + d] * m[d];
					nk += kh[(size_t)j * hd + d] * kh[(size_t)j * hd + d];
				}
				worst_v = fmax(worst_v, fabs(l1 - gv[j]) / fmax(l1, 1e-6));
				worst_k = fmax(worst_k, fabs(1 - dot / sqrt(nk * mm) - gk[j]));
			}
		}
	}
	CHECK(worst_v < 1e-5);
	CHECK(worst_k < 1e-5);
	/* the session path: codecomp with value_weight keeps what the selection keeps from
	 * these norms (uniform head counts, window attention: no attn_cum) */
	for (int i = 0; i < NCTX; i++)
		prior[i] = (float)((i * 37) % 11) / 10.0f;
	cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.25);
	o.head_adapt = 0;
	o.value_weight = 1;
	o.distinct_weight = 0.5;
	{
		/* the selections first: compaction drops the statistics */
		int32_t *want = malloc(nn * sizeof(int32_t));
		size_t got = 0, kk = cc_compress_keep_count(&o, NCTX);
		for (int l = 0; l < L; l++)
			for (int h = 0; h < H; h++) {
				const float *sc;
				const int32_t *pos;
				size_t on;
				size_t off = ((size_t)l * H + h) * NCTX;
				CHECK_EQ_INT(cc_session_obs(s, l, h, &sc, &pos, &on), CC_OK);
				cc_compress_input in = {NCTX, sc, prior, NULL, l, h, NULL, 0, L,
				                        vn + off, kd + off};
				CHECK_EQ_INT(cc_compress_select(sel, &got, &o, &in), CC_OK);
				CHECK_EQ_INT(got, kk);
				memcpy(want + ((size_t)l * H + h) * kk, sel, kk * sizeof(int32_t));
				in.vnorm = in.kdist = NULL;
				CHECK_EQ_INT(cc_compress_select(sel0, &got, &o, &in), CC_OK);
				differ += memcmp(sel, sel0, kk * sizeof(int32_t)) != 0;
			}
		CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, prior, NULL, NULL, &st), CC_OK);
		CHECK_EQ_INT(st.kept_per_head, kk);
		for (int l = 0; l < L; l++)
			for (int h = 0; h < H; h++)
				CHECK(memcmp(cc_kv_seq_positions(cc_session_kv(s), l, h),
				             want + ((size_t)l * H + h) * kk, kk * sizeof(int32_t)) == 0);
		free(want);
	}
	/* the factors change what is kept on real statistics */
	CHECK(differ > 0);
	cc_session_free(s);
	free(vn);
	free(kd);
	free(k);
	free(v);
	free(prior);
	free(sel);
	free(sel0);
}

int main(void)
{
	const char *dir;
	cc_model_opts mo = {CC_DEVICE_CPU, 2};
	cc_tokenizer *tok = NULL;
	char *text = NULL;
	size_t len = 0, n = 0;

	test_value_constructed();
	test_distinct_constructed();
	test_brute_force();
	test_prior_budget();
	test_errors();
	if (!(dir = test_model_dir())) {
		fprintf(stderr, "shared model absent (set CC_MODEL_DIR): session checks skipped\n");
		return test_result();
	}
	if (cc_model_load(&g_m, dir, &mo) || cc_tokenizer_load(&tok, dir) ||
	    cc_read_file(&text, &len, "fixtures/engine/inputs/heapq.py", 0) ||
	    cc_tokenizer_encode(tok, text, len, &g_ids, NULL, &n)) {
		fprintf(stderr, "setup: %s\n", cc_error_last());
		return 1;
	}
	CHECK(n >= NCTX);
	if (n >= NCTX) {
		cc_model_info_get(&g_info, g_m);
		test_kv_scores();
	}
	free(g_ids);
	free(text);
	cc_tokenizer_free(tok);
	cc_model_free(g_m);
	return test_result();
}
