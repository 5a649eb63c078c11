/*
 * test_compress_session.c - cc_compress_session on the shared model (skips when absent), CPU,
 * f32 KV, ~400 tokens of real Python: snapkv at b = 1 changes no logit; at b = 0.25 the pool
 * gets blocks back (exactly the blocks the kept tokens no longer need) and later log-
 * probabilities stay finite; tokens after the context are kept with their positions;
 * compressing a fork leaves the parent's logits bit-identical; h2o, structure and codecomp
 * run on a session; codecomp with the caller's cumulative attention keeps, per layer and
 * head, what cc_compress_select gives for that slice (without and with a query after the
 * context; with the same count in every layer, and with each layer's count from
 * cc_compress_adaptive_keep's information shares, which differ between layers); pyramid's
 * per-layer lengths and kvzip's selection from the caller's reconstruction attention, and that attention (cc_compress_recon_attn) against forks run
 * by hand; missing statistics and a context longer than the cache are clear
 * errors.
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"
#include "cc_tokenizer.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
	NCTX = 400,
	NQ = 20,
	NNEXT = 50,
	BT = 16
};

static cc_model *g_m;
static cc_model_info g_info;
static int32_t *g_ids;

static cc_session *new_session(int obs_window)
{
	cc_session_opts so = {0};
	cc_session *s = NULL;
	so.max_tokens = 1024;
	so.pool_tokens = 4096;
	so.block_tokens = BT;
	so.obs_window = obs_window;
	so.kv_dtype = CC_KV_F32;
	so.kv_dtype_set = 1;
	CHECK_EQ_INT(cc_session_new(&s, g_m, &so), CC_OK);
	return s;
}

static double max_diff(const float *a, const float *b, size_t n)
{
	double d = 0;
	for (size_t i = 0; i < n; i++)
		d = fmax(d, fabs((double)a[i] - b[i]));
	return d;
}

static size_t blocks_for(size_t tokens)
{
	return (tokens + BT - 1) / BT;
}

/* b = 1 keeps everything and changes no logit; b = 0.25 returns blocks and stays usable. */
static void test_snapkv(const float *ref_next)
{
	size_t V = (size_t)g_info.vocab;
	float *lg = malloc(V * sizeof(float)), lp[NNEXT];
	cc_session *s = new_session(0);
	cc_compress_opts o;
	cc_compress_stats st;
	cc_cache_stats cs0, cs1;

	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	cc_compress_opts_default(&o, CC_POLICY_SNAPKV, 1.0);
	cc_session_cache_stats(&cs0, s);
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, NULL, NULL, NULL, &st), CC_OK);
	cc_session_cache_stats(&cs1, s);
	CHECK_EQ_INT(st.n_ctx, NCTX);
	CHECK_EQ_INT(st.kept_per_head, NCTX);
	CHECK_EQ_INT(st.bytes_before, cs0.bytes_used);
	CHECK_EQ_INT(st.bytes_after, st.bytes_before);
	CHECK_EQ_INT(cs1.blocks_used, cs0.blocks_used);
	CHECK_EQ_INT(cc_session_decode(s, g_ids[NCTX], lg), CC_OK);
	CHECK(max_diff(lg, ref_next, V) <= 1e-6);

	cc_session_reset(s);
	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	cc_session_cache_stats(&cs0, s);
	CHECK_EQ_INT(cs0.blocks_used, (size_t)g_info.n_layers * blocks_for(NCTX));
	o.budget = 0.25;
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, NULL, NULL, NULL, &st), CC_OK);
	cc_session_cache_stats(&cs1, s);
	CHECK_EQ_INT(st.kept_per_head, NCTX / 4);
	CHECK(st.bytes_after < st.bytes_before);
	CHECK_EQ_INT(st.bytes_after, cs1.bytes_used);
	/* every layer now holds 100 tokens: ceil(100 / 16) blocks each */
	CHECK_EQ_INT(cs1.blocks_used, (size_t)g_info.n_layers * blocks_for(NCTX / 4));
	CHECK_EQ_INT(cs1.kept_tokens, (size_t)g_info.n_layers * (NCTX / 4));
	CHECK_EQ_INT(cs1.next_pos, NCTX);
	/* the sinks and the window kept their original positions */
	const int32_t *pos = cc_kv_seq_positions(cc_session_kv(s), 3, 1);
	CHECK_EQ_INT(pos[0], 0);
	CHECK_EQ_INT(pos[3], 3);
	CHECK_EQ_INT(pos[NCTX / 4 - 64], NCTX - 64);
	CHECK_EQ_INT(pos[NCTX / 4 - 1], NCTX - 1);
	CHECK_EQ_INT(cc_session_logprobs(s, g_ids + NCTX, NNEXT, lp, 0, NULL, NULL), CC_OK);
	int finite = 1;
	for (int i = 0; i < NNEXT; i++)
		finite &= isfinite(lp[i]) && lp[i] <= 0;
	CHECK(finite);
	cc_session_free(s);
	free(lg);
}

/* Query-aware: the tokens after the context stay, with their positions. */
static void test_query_tokens(void)
{
	cc_session *s = new_session(0);
	cc_compress_opts o;
	cc_compress_stats st;
	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX + NQ, NULL), CC_OK);
	cc_compress_opts_default(&o, CC_POLICY_SNAPKV, 0.25);
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, NULL, NULL, NULL, &st), CC_OK);
	CHECK_EQ_INT(st.kept_per_head, NCTX / 4);
	for (int l = 0; l < g_info.n_layers; l++) {
		CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(s), l), NCTX / 4 + NQ);
		for (int h = 0; h < g_info.n_kv_heads; h++) {
			const int32_t *pos = cc_kv_seq_positions(cc_session_kv(s), l, h);
			int ok = 1;
			for (int i = 0; i < NQ; i++)
				ok &= pos[NCTX / 4 + i] == NCTX + i;
			for (int i = 1; i < NCTX / 4; i++)
				ok &= pos[i] > pos[i - 1] && pos[i] < NCTX;
			CHECK(ok);
		}
	}
	/* the statistics were used up by the compaction */
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX / 4, NULL, NULL, NULL, NULL), CC_ENOTFOUND);
	CHECK(strstr(cc_error_last(), "observation") != NULL);
	cc_session_free(s);
}

/* Compressing a fork leaves its parent bit-identical (copy-on-write). */
static void test_fork(void)
{
	size_t V = (size_t)g_info.vocab;
	float *ref = malloc(V * sizeof(float)), *lg = malloc(V * sizeof(float)),
	      *lf = malloc(V * sizeof(float));
	cc_session *s = new_session(0), *f = NULL, *g = NULL;
	cc_compress_opts o;
	cc_compress_stats st;
	cc_cache_stats cp0, cp1;

	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_fork(&g, s), CC_OK);
	CHECK_EQ_INT(cc_session_decode(g, g_ids[NCTX], ref), CC_OK);
	cc_session_free(g);
	CHECK_EQ_INT(cc_session_fork(&f, s), CC_OK);
	/* a fork has no statistics of its own: attention policies cannot run on it */
	cc_compress_opts_default(&o, CC_POLICY_SNAPKV, 0.25);
	CHECK_EQ_INT(cc_compress_session(f, &o, NCTX, NULL, NULL, NULL, NULL), CC_ENOTFOUND);
	cc_compress_opts_default(&o, CC_POLICY_STREAMING, 0.25);
	CHECK_EQ_INT(cc_compress_session(f, &o, NCTX, NULL, NULL, NULL, &st), CC_OK);
	cc_session_cache_stats(&cp0, s);
	CHECK_EQ_INT(cp0.kept_tokens, (size_t)g_info.n_layers * NCTX);
	CHECK_EQ_INT(cc_session_decode(f, g_ids[NCTX], lf), CC_OK);
	CHECK_EQ_INT(cc_session_decode(s, g_ids[NCTX], lg), CC_OK);
	CHECK(memcmp(lg, ref, V * sizeof(float)) == 0);
	CHECK(max_diff(lf, ref, V) > 1e-3); /* the fork did lose context */
	/* freeing the fork returns its private blocks */
	cc_session_free(f);
	cc_session_cache_stats(&cp1, s);
	CHECK_EQ_INT(cp1.blocks_used, cp1.seq_blocks);
	cc_session_free(s);
	free(ref);
	free(lg);
	free(lf);
}

/* The other policies on a live session, and errors. */
static void test_policies(void)
{
	float *prior = malloc(NCTX * sizeof(float));
	uint8_t *prot = malloc(NCTX);
	cc_session *s = new_session(1024);
	cc_compress_opts o;
	cc_compress_stats st;
	for (int i = 0; i < NCTX; i++) {
		prior[i] = (float)((i * 37) % 11) / 10.0f;
		prot[i] = i % 9 == 0;
	}
	static const int pols[] = {CC_POLICY_H2O, CC_POLICY_CODECOMP, CC_POLICY_STRUCTURE,
	                           CC_POLICY_RANDOM};
	for (size_t p = 0; p < sizeof(pols) / sizeof(pols[0]); p++) {
		cc_session_reset(s);
		CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
		cc_compress_opts_default(&o, pols[p], 0.3);
		CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, prior, prot, NULL, &st), CC_OK);
		CHECK_EQ_INT(st.kept_per_head, 120);
		CHECK(st.bytes_after < st.bytes_before);
		if (pols[p] != CC_POLICY_STRUCTURE)
			continue;
		/* structure ignores attention: one kept set for every layer and head, with the
		 * protected share (floor(0.5 x (120 - 68)) = 26 of the 37 protected middle
		 * tokens) in it */
		const int32_t *p0 = cc_kv_seq_positions(cc_session_kv(s), 0, 0);
		int same = 1, nprot = 0;
		for (int l = 0; l < g_info.n_layers; l++)
			for (int h = 0; h < g_info.n_kv_heads; h++)
				same &= memcmp(p0, cc_kv_seq_positions(cc_session_kv(s), l, h),
				               120 * sizeof(int32_t)) == 0;
		CHECK(same);
		for (int i = 0; i < 120; i++)
			nprot += p0[i] >= 4 && p0[i] < NCTX - 64 && prot[p0[i]];
		CHECK(nprot >= 26);
	}
	/* errors: context longer than the cache, missing priors; nothing changes */
	cc_session_reset(s);
	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	cc_compress_opts_default(&o, CC_POLICY_SNAPKV, 0.3);
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX + 1, NULL, NULL, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "context") != NULL);
	o.policy = CC_POLICY_CODECOMP;
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, NULL, NULL, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "prior") != NULL);
	o.budget = 0;
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, prior, prot, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "budget") != NULL);
	CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(s), 0), NCTX);
	cc_session_free(s);

	/* h2o needs statistics of every query: the default 64-token window is not that */
	s = new_session(0);
	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	cc_compress_opts_default(&o, CC_POLICY_H2O, 0.3);
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, NULL, NULL, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "h2o") != NULL);
	CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(s), 0), NCTX);
	cc_session_free(s);
	free(prior);
	free(prot);
}

/* codecomp with the caller's cumulative attention (attn_cum, laid out [layer][kv head][token]):
 * with no tokens after the context it ranks by that (the window's attention unused), with a
 * query after the context by the window's attention plus the cumulative one; each (layer,
 * head) keeps what cc_compress_select gives for its own slice. */
static void test_codecomp_cum(void)
{
	int L = g_info.n_layers, H = g_info.n_kv_heads;
	size_t per = (size_t)L * H * NCTX;
	float *cum = malloc(per * sizeof(float)), *win = malloc(per * sizeof(float)),
	      *prior = malloc(NCTX * sizeof(float));
	uint8_t *prot = malloc(NCTX);
	int32_t sel[NCTX];
	cc_session *s = new_session(1024);
	cc_compress_opts o;
	cc_compress_stats st;
	for (int i = 0; i < NCTX; i++) {
		prior[i] = (float)((i * 37) % 11) / 10.0f;
		prot[i] = i % 9 == 0;
	}
	/* the cumulative attention of every query of the context */
	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	for (int l = 0; l < L; l++)
		for (int h = 0; h < H; h++) {
			const float *sc;
			const int32_t *pos;
			size_t n;
			CHECK_EQ_INT(cc_session_obs(s, l, h, &sc, &pos, &n), CC_OK);
			CHECK(n >= NCTX);
			memcpy(cum + ((size_t)l * H + h) * NCTX, sc, NCTX * sizeof(float));
		}
	cc_session_free(s);
	cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.3);
	/* the same count per head, so that each head's choice is cc_compress_select's (the
	 * default head budgets: test_compress_headalloc) */
	o.head_adapt = CC_HEAD_UNIFORM;
	/* and without the value factor, whose norms this test does not give cc_compress_select
	 * (with them: test_compress_vk) */
	o.value_weight = 0;
	for (int mode = 0; mode < 4; mode++) {
		int query = mode & 1;
		size_t extra = query ? NQ : 0, diff = 0, lk[64], lk_cum[64], unequal = 0;
		o.layer_adapt = mode < 2 ? CC_LAYER_UNIFORM : CC_LAYER_INFO;
		o.keep = 0;
		CHECK(L <= 64);
		s = new_session(0);
		CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
		if (query)
			CHECK_EQ_INT(cc_session_prefill(s, g_ids + NCTX, NQ, NULL), CC_OK);
		for (int l = 0; l < L; l++)
			for (int h = 0; h < H; h++) {
				const float *sc;
				const int32_t *pos;
				size_t n;
				CHECK_EQ_INT(cc_session_obs(s, l, h, &sc, &pos, &n), CC_OK);
				memcpy(win + ((size_t)l * H + h) * NCTX, sc, NCTX * sizeof(float));
			}
		/* the layers' counts: the same in every layer, or from the information in each
		 * layer's attention (cc_compress_adaptive_keep): without a query that of the same
		 * attn_cum, with one that of the query's own attention (layer_info_obs 2), which
		 * gives other counts here than attn_cum's */
		CHECK_EQ_INT(o.layer_info_obs, 2);
		CHECK_EQ_INT(cc_compress_adaptive_keep(lk, &o, NCTX, query ? win : cum, L, H), CC_OK);
		CHECK_EQ_INT(cc_compress_adaptive_keep(lk_cum, &o, NCTX, cum, L, H), CC_OK);
		if (query && o.layer_adapt)
			CHECK(memcmp(lk, lk_cum, (size_t)L * sizeof(size_t)) != 0);
		CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, prior, prot, cum, &st), CC_OK);
		CHECK_EQ_INT(st.kept_per_head, 120); /* the mean: the same total either way */
		for (int l = 0; l < L; l++)
			for (int h = 0; h < H; h++) {
				size_t off = ((size_t)l * H + h) * NCTX, got = 0;
				cc_compress_input in = {NCTX, win + off, prior, prot, l, h, cum + off, query, 0, NULL, NULL};
				const int32_t *kp = cc_kv_seq_positions(cc_session_kv(s), l, h);
				o.keep = o.layer_adapt ? lk[l] : 0;
				unequal += h == 0 && lk[l] != 120;
				CHECK_EQ_INT(cc_compress_select(sel, &got, &o, &in), CC_OK);
				CHECK_EQ_INT(got, o.layer_adapt ? lk[l] : 120);
				CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(s), l), got + extra);
				CHECK(memcmp(kp, sel, got * sizeof(int32_t)) == 0);
				for (size_t j = 0; j < extra; j++)
					CHECK_EQ_INT(kp[got + j], NCTX + (int)j);
				/* without the cumulative attention the choice is another one somewhere */
				in.attn_cum = NULL;
				int32_t sel2[NCTX];
				size_t got2 = 0;
				CHECK_EQ_INT(cc_compress_select(sel2, &got2, &o, &in), CC_OK);
				diff += memcmp(sel, sel2, got * sizeof(int32_t)) != 0;
			}
		o.keep = 0;
		CHECK(diff > 0);
		/* the layers' attention differs in information, so their counts differ */
		CHECK(o.layer_adapt == CC_LAYER_UNIFORM || unequal > 0);
		cc_session_free(s);
	}
	free(cum);
	free(win);
	free(prior);
	free(prot);
}

/* pyramid: each layer holds cc_compress_layer_keep's count (decreasing with depth, the same
 * total as uniform budgets, so about the same bytes); kvzip: needs attn_cum, then keeps what
 * cc_compress_select gives for each (layer, head) slice. */
static void test_pyramid_kvzip(void)
{
	int L = g_info.n_layers, H = g_info.n_kv_heads;
	cc_session *s = new_session(64), *u = new_session(64);
	cc_compress_opts o;
	cc_compress_stats st, su;
	size_t total = 0;
	float *cum = malloc((size_t)L * H * NCTX * sizeof(float));
	int32_t keep[NCTX];
	size_t nk;

	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(u, g_ids, NCTX, NULL), CC_OK);
	cc_compress_opts_default(&o, CC_POLICY_PYRAMID, 0.3);
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, NULL, NULL, NULL, &st), CC_OK);
	o.policy = CC_POLICY_SNAPKV;
	CHECK_EQ_INT(cc_compress_session(u, &o, NCTX, NULL, NULL, NULL, &su), CC_OK);
	o.policy = CC_POLICY_PYRAMID;
	for (int l = 0; l < L; l++) {
		size_t n = cc_kv_seq_len(cc_session_kv(s), l);
		CHECK_EQ_INT(n, cc_compress_layer_keep(&o, NCTX, l, L));
		total += n;
	}
	CHECK_EQ_INT(total, 120 * (size_t)L);
	CHECK(cc_kv_seq_len(cc_session_kv(s), 0) > cc_kv_seq_len(cc_session_kv(s), L - 1));
	CHECK_EQ_INT(st.kept_per_head, 120);
	CHECK(st.bytes_after < st.bytes_before);
	/* block rounding per layer aside, the same memory as uniform budgets */
	CHECK(st.bytes_after <= su.bytes_after + (size_t)L * (su.bytes_after / blocks_for(120) /
	                                                      (size_t)L));
	cc_session_free(s);

	s = new_session(64);
	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	cc_compress_opts_default(&o, CC_POLICY_KVZIP, 0.3);
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, NULL, NULL, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "attn_cum") != NULL);
	CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(s), 0), NCTX);
	for (size_t i = 0; i < (size_t)L * H * NCTX; i++)
		cum[i] = (float)((i * 2654435761u) % 1000) / 1000.0f;
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, NULL, NULL, cum, NULL), CC_OK);
	for (int l = 0; l < L; l++)
		for (int h = 0; h < H; h++) {
			cc_compress_input in = {NCTX, NULL, NULL, NULL, l, h,
			                        cum + ((size_t)l * H + h) * NCTX, 0, L, NULL, NULL};
			CHECK_EQ_INT(cc_compress_select(keep, &nk, &o, &in), CC_OK);
			CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(s), l), nk);
			CHECK(memcmp(cc_kv_seq_positions(cc_session_kv(s), l, h), keep,
			             nk * sizeof(int32_t)) == 0);
		}
	cc_session_free(s);
	cc_session_free(u);
	free(cum);
}

/* cc_compress_recon_attn: the sum over chunks of what a fork prefilling each chunk's repeat
 * observes (computed here by hand), the session unchanged; clear errors. */
static void test_recon(void)
{
	int L = g_info.n_layers, H = g_info.n_kv_heads;
	size_t nn = (size_t)L * H * NCTX, chunk = 150;
	float *out = malloc(nn * sizeof(float)), *ref = calloc(nn, sizeof(float));
	cc_session *s = new_session(256), *f;

	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	CHECK_EQ_INT(cc_compress_recon_attn(s, g_ids, NCTX, chunk, out), CC_OK);
	CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(s), 0), NCTX);
	for (size_t c0 = 0; c0 < NCTX; c0 += chunk) {
		size_t n = NCTX - c0 < chunk ? NCTX - c0 : chunk;
		CHECK_EQ_INT(cc_session_fork(&f, s), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(f, g_ids + c0, n, NULL), CC_OK);
		for (int l = 0; l < L; l++)
			for (int h = 0; h < H; h++) {
				const float *sc;
				const int32_t *pos;
				size_t on;
				CHECK_EQ_INT(cc_session_obs(f, l, h, &sc, &pos, &on), CC_OK);
				CHECK_EQ_INT(on, NCTX + n);
				for (size_t j = 0; j < NCTX; j++)
					ref[((size_t)l * H + h) * NCTX + j] += sc[j];
			}
		cc_session_free(f);
	}
	CHECK(max_diff(out, ref, nn) < 1e-5);
	/* errors: a window smaller than the chunk, a context that is not the whole cache */
	CHECK_EQ_INT(cc_compress_recon_attn(s, g_ids, NCTX, 300, out), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "obs_window") != NULL);
	CHECK_EQ_INT(cc_compress_recon_attn(s, g_ids, NCTX - 1, chunk, out), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "context") != NULL);
	CHECK_EQ_INT(cc_compress_recon_attn(NULL, g_ids, NCTX, chunk, out), CC_EINVAL);
	CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(s), 0), NCTX);
	cc_session_free(s);
	free(out);
	free(ref);
}

int main(void)
{
	const char *dir = test_model_dir();
	cc_model_opts mo = {CC_DEVICE_CPU, 2};
	cc_tokenizer *tok = NULL;
	char *text = NULL;
	size_t len = 0, n = 0;
	float *ref_next = NULL;
	cc_session *s;

	if (!dir)
		TEST_SKIP("shared model absent (set CC_MODEL_DIR)");
	if (cc_model_load(&g_m, dir, &mo) || cc_tokenizer_load(&tok, dir) ||
	    cc_read_file(&text, &len, "fixtures/engine/inputs/heapq.py", 0) ||
	    cc_tokenizer_encode(tok, text, len, &g_ids, NULL, &n)) {
		fprintf(stderr, "setup: %s\n", cc_error_last());
		return 1;
	}
	CHECK(n >= NCTX + NNEXT + 1);
	if (n < NCTX + NNEXT + 1)
		return test_result();
	cc_model_info_get(&g_info, g_m);

	/* the reference next-token logits: a plain session, prefill then decode */
	ref_next = malloc((size_t)g_info.vocab * sizeof(float));
	s = new_session(-1);
	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_decode(s, g_ids[NCTX], ref_next), CC_OK);
	cc_session_free(s);

	test_snapkv(ref_next);
	test_query_tokens();
	test_fork();
	test_policies();
	test_codecomp_cum();
	test_pyramid_kvzip();
	test_recon();

	free(ref_next);
	free(g_ids);
	free(text);
	cc_tokenizer_free(tok);
	cc_model_free(g_m);
	return test_result();
}
