/*
 * test_compress_stream.c - compressing as the chunked prefill goes (cc_compress_stream_prefill,
 * cc_compress_session_pos) on the shared model (skips when absent), CPU, f32 KV, real Python:
 * after every chunk each (layer, KV head) holds exactly ceil(b x tokens so far) tokens (each
 * layer's share for pyramid), sinks and the chunk's window among them, positions increasing;
 * the peak of the pool is the largest (kept + chunk) of any step, far below the full cache's;
 * priors are applied by ORIGINAL position after compactions (the slot-indexed
 * cc_compress_session loses the prioritised tokens there, which is what this guards
 * against); on an uncompacted cache the selection equals cc_compress_session's; the carried
 * cumulative attention (h2o; codecomp with cum) ranks the first compaction as one prefill
 * observing every query does; kvzip and adakv (and h2o without the carried sums) are refused
 * by name, a non-empty session and positions past n_pos are errors.
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
	NCTX = 896,
	CHUNK = 128,
	NNEXT = 40,
	BT = 16
};

static cc_model *g_m;
static cc_model_info g_info;
static int32_t *g_ids;

static cc_session *new_session(void)
{
	cc_session_opts so = {0};
	cc_session *s = NULL;
	so.max_tokens = 2048;
	so.block_tokens = BT;
	so.kv_dtype = CC_KV_F32;
	so.kv_dtype_set = 1;
	CHECK_EQ_INT(cc_session_new(&s, g_m, &so), CC_OK);
	return s;
}

static size_t blocks_for(size_t tokens)
{
	return (tokens + BT - 1) / BT;
}

/* What every step must leave: per layer the count the budget gives for t tokens (capped by
 * what the layer held), sinks and the last window positions kept, positions increasing. */
typedef struct {
	const cc_compress_opts *o;
	size_t prev_len[64]; /* per layer, before this step's chunk */
	size_t peak_blocks;  /* the most blocks any step held before compressing */
	int steps, bad;
} step_check;

static int on_step(void *arg, const cc_session *s, size_t t)
{
	step_check *c = arg;
	const cc_kv_seq *seq = cc_session_kv(s);
	size_t blocks = 0, cn = t - (size_t)c->steps * CHUNK;
	CHECK(cn > 0 && cn <= CHUNK);
	for (int l = 0; l < g_info.n_layers; l++) {
		size_t held = c->prev_len[l] + cn;
		size_t want = cc_compress_layer_keep(c->o, t, l, g_info.n_layers);
		if (want > held)
			want = held;
		blocks += blocks_for(held);
		for (int h = 0; h < g_info.n_kv_heads; h++) {
			const int32_t *pos = cc_kv_seq_positions(seq, l, h);
			size_t n = cc_kv_seq_head_len(seq, l, h);
			int ok = n == want;
			for (size_t j = 0; ok && j < 4; j++)
				ok &= pos[j] == (int32_t)j;
			for (size_t j = 0; ok && j < 64; j++)
				ok &= pos[n - 64 + j] == (int32_t)(t - 64 + j);
			for (size_t j = 1; ok && j < n; j++)
				ok &= pos[j] > pos[j - 1];
			if (!ok) {
				fprintf(stderr, "step t=%zu layer %d head %d: %zu kept, want %zu\n", t, l,
				        h, n, want);
				c->bad++;
			}
		}
		c->prev_len[l] = cc_kv_seq_len(seq, l);
	}
	if (blocks > c->peak_blocks)
		c->peak_blocks = blocks;
	c->steps++;
	return 0;
}

static void stream_counts(int policy, double b)
{
	cc_session *s = new_session();
	cc_compress_opts o;
	cc_compress_stream_opts so = {CHUNK, on_step, NULL, 0};
	cc_compress_stream_stats st;
	cc_cache_stats cs;
	step_check c;
	float lp[NNEXT];
	memset(&c, 0, sizeof(c));
	cc_compress_opts_default(&o, policy, b);
	c.o = &o;
	so.arg = &c;
	CHECK_EQ_INT(cc_compress_stream_prefill(s, g_ids, NCTX, &o, NULL, NULL, &so, &st), CC_OK);
	CHECK_EQ_INT(c.bad, 0);
	CHECK_EQ_INT(c.steps, NCTX / CHUNK);
	CHECK_EQ_INT(st.steps, NCTX / CHUNK);
	CHECK_EQ_INT(st.n_tokens, NCTX);
	if (policy != CC_POLICY_PYRAMID)
		CHECK_EQ_INT(st.kept_per_head, cc_compress_keep_count(&o, NCTX));
	cc_session_cache_stats(&cs, s);
	/* the peak is exactly the largest (kept + chunk) of any step, and the full cache's
	 * blocks are what prefill-then-compress holds */
	CHECK_EQ_INT(st.peak_bytes, c.peak_blocks * cs.block_bytes);
	CHECK_EQ_INT(st.peak_seq_bytes, st.peak_bytes);
	CHECK_EQ_INT(st.full_bytes, (size_t)g_info.n_layers * blocks_for(NCTX) * cs.block_bytes);
	CHECK(st.peak_bytes * 2 < st.full_bytes);
	CHECK_EQ_INT(st.bytes_after, cs.seq_bytes);
	CHECK_EQ_INT(cs.next_pos, NCTX);
	/* the compressed cache goes on: later tokens score finitely */
	CHECK_EQ_INT(cc_session_logprobs(s, g_ids + NCTX, NNEXT, lp, 0, NULL, NULL), CC_OK);
	int finite = 1;
	for (int i = 0; i < NNEXT; i++)
		finite &= isfinite(lp[i]) && lp[i] <= 0;
	CHECK(finite);
	cc_session_free(s);
}

/* Priors by original position: twelve prioritised positions in the first chunk survive every
 * later compaction (structure: by prior, then recency; codecomp: attention x prior). The
 * budget leaves the first chunk 22 middle tokens (k = ceil(0.7 x 128) = 90 = 4 + 64 + 22):
 * at small budgets the early chunks keep only sinks and window until b x t passes them. */
static void priors_by_position(void)
{
	float *prior = calloc(NCTX, sizeof(float));
	static const int P[] = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120};
	const size_t np = sizeof(P) / sizeof(P[0]);
	static const int pols[] = {CC_POLICY_STRUCTURE, CC_POLICY_CODECOMP};
	for (size_t i = 0; i < np; i++)
		prior[P[i]] = 1;
	for (size_t p = 0; p < 2; p++) {
		cc_session *s = new_session();
		cc_compress_opts o;
		cc_compress_stream_opts so = {CHUNK, NULL, NULL, 0};
		cc_compress_opts_default(&o, pols[p], 0.7);
		/* prior_weight (2) as the exponent: at 70% the budget-scaled one (0.36) lets
		 * attention outrank the prior-1 tokens, which is not what this checks */
		o.prior_budget_ref = 0;
		CHECK_EQ_INT(cc_compress_stream_prefill(s, g_ids, NCTX, &o, prior, NULL, &so, NULL),
		             CC_OK);
		int all = 1;
		for (int l = 0; l < g_info.n_layers; l++)
			for (int h = 0; h < g_info.n_kv_heads; h++) {
				const int32_t *pos = cc_kv_seq_positions(cc_session_kv(s), l, h);
				size_t n = cc_kv_seq_head_len(cc_session_kv(s), l, h), hit = 0;
				for (size_t j = 0; j < n; j++)
					for (size_t i = 0; i < np; i++)
						hit += pos[j] == P[i];
				all &= hit == np;
			}
		CHECK(all);
		cc_session_free(s);
	}
	/* the same steps with the slot-indexed cc_compress_session lose them: after the first
	 * compaction slot j no longer holds position j */
	{
		cc_session *s = new_session();
		cc_compress_opts o;
		size_t lost = 0;
		CHECK_EQ_INT(cc_session_set_obs_window(s, 64), CC_OK);
		for (size_t c0 = 0; c0 < NCTX; c0 += CHUNK) {
			size_t len, t = c0 + CHUNK;
			CHECK_EQ_INT(cc_session_prefill(s, g_ids + c0, CHUNK, NULL), CC_OK);
			len = cc_kv_seq_len(cc_session_kv(s), 0);
			cc_compress_opts_default(&o, CC_POLICY_STRUCTURE, 0.7);
			o.keep = cc_compress_keep_count(&o, t);
			if (o.keep < len)
				CHECK_EQ_INT(cc_compress_session(s, &o, len, prior, NULL, NULL, NULL),
				             CC_OK);
		}
		const int32_t *pos = cc_kv_seq_positions(cc_session_kv(s), 0, 0);
		size_t n = cc_kv_seq_head_len(cc_session_kv(s), 0, 0);
		for (size_t i = 0; i < np; i++) {
			int found = 0;
			for (size_t j = 0; j < n; j++)
				found |= pos[j] == P[i];
			lost += !found;
		}
		CHECK(lost > 0);
		cc_session_free(s);
	}
	free(prior);
}

/* On a cache not yet compacted, the selection is cc_compress_session's. */
static void matches_session(void)
{
	enum { N = 600 };
	float *prior = malloc(N * sizeof(float));
	uint8_t *prot = malloc(N);
	static const int pols[] = {CC_POLICY_SNAPKV, CC_POLICY_CODECOMP, CC_POLICY_STRUCTURE,
	                           CC_POLICY_PYRAMID, CC_POLICY_RANDOM};
	for (int i = 0; i < N; i++) {
		prior[i] = (float)((i * 37) % 11) / 10.0f;
		prot[i] = i % 13 == 0;
	}
	for (size_t p = 0; p < sizeof(pols) / sizeof(pols[0]); p++) {
		cc_session *a = new_session(), *b = new_session();
		cc_compress_opts o;
		cc_compress_stats sa, sb;
		cc_compress_opts_default(&o, pols[p], 0.25);
		o.head_adapt = CC_HEAD_UNIFORM;
		o.value_weight = 0; /* the streaming path leaves the value factor out */
		CHECK_EQ_INT(cc_session_prefill(a, g_ids, N, NULL), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(b, g_ids, N, NULL), CC_OK);
		CHECK_EQ_INT(cc_compress_session(a, &o, N, prior, prot, NULL, &sa), CC_OK);
		CHECK_EQ_INT(cc_compress_session_pos(b, &o, N, prior, prot, NULL, &sb), CC_OK);
		CHECK_EQ_INT(sa.kept_per_head, sb.kept_per_head);
		CHECK_EQ_INT(sa.bytes_after, sb.bytes_after);
		int same = 1;
		for (int l = 0; l < g_info.n_layers; l++)
			for (int h = 0; h < g_info.n_kv_heads; h++) {
				size_t n = cc_kv_seq_head_len(cc_session_kv(a), l, h);
				same &= n == cc_kv_seq_head_len(cc_session_kv(b), l, h) &&
				        !memcmp(cc_kv_seq_positions(cc_session_kv(a), l, h),
				                cc_kv_seq_positions(cc_session_kv(b), l, h),
				                n * sizeof(int32_t));
			}
		if (!same)
			fprintf(stderr, "policy %s differs\n", cc_policy_name(pols[p]));
		CHECK(same);
		cc_session_free(a);
		cc_session_free(b);
	}
	free(prior);
	free(prot);
}

/* codecomp's head budgets fall back to one count per head, and say so; expected runs. */
static void fallbacks(void)
{
	cc_session *s = new_session();
	cc_compress_opts o;
	cc_compress_stream_opts so = {CHUNK, NULL, NULL, 0};
	cc_compress_stream_stats st;
	float *prior = malloc(NCTX * sizeof(float));
	for (int i = 0; i < NCTX; i++)
		prior[i] = (float)((i * 7) % 5) / 4.0f;
	cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.2);
	CHECK(o.head_adapt != CC_HEAD_UNIFORM);
	CHECK_EQ_INT(cc_compress_stream_prefill(s, g_ids, NCTX, &o, prior, NULL, &so, &st), CC_OK);
	CHECK_EQ_INT(st.head_uniform, 1);
	CHECK_EQ_INT(st.kept_per_head, cc_compress_keep_count(&o, NCTX));
	cc_session_reset(s);
	cc_compress_opts_default(&o, CC_POLICY_EXPECTED, 0.2);
	CHECK_EQ_INT(cc_compress_stream_prefill(s, g_ids, NCTX, &o, NULL, NULL, &so, &st), CC_OK);
	CHECK_EQ_INT(st.kept_per_head, cc_compress_keep_count(&o, NCTX));
	cc_session_free(s);
	free(prior);
}

/* The carried cumulative attention: with a window of 200 and chunks of 128, the first chunk
 * keeps everything and the second is the first compaction, which must then rank by the
 * attention of all 256 queries, as h2o does after one prefill that observed every query. */
static void carried_cum(void)
{
	cc_session *a = new_session(), *b = NULL;
	cc_session_opts so = {0};
	cc_compress_opts o;
	cc_compress_stream_opts sopt = {CHUNK, NULL, NULL, 0};
	cc_compress_stream_stats st;
	size_t same = 0, total = 0;
	cc_compress_opts_default(&o, CC_POLICY_H2O, 0.5);
	o.window = 200;
	CHECK_EQ_INT(cc_compress_stream_prefill(a, g_ids, 2 * CHUNK, &o, NULL, NULL, &sopt, &st),
	             CC_OK);
	CHECK_EQ_INT(st.kept_per_head, 204);
	so.max_tokens = 2048;
	so.block_tokens = BT;
	so.obs_window = 2 * CHUNK;
	so.kv_dtype = CC_KV_F32;
	so.kv_dtype_set = 1;
	CHECK_EQ_INT(cc_session_new(&b, g_m, &so), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(b, g_ids, 2 * CHUNK, NULL), CC_OK);
	CHECK_EQ_INT(cc_compress_session(b, &o, 2 * CHUNK, NULL, NULL, NULL, NULL), CC_OK);
	for (int l = 0; l < g_info.n_layers; l++)
		for (int h = 0; h < g_info.n_kv_heads; h++) {
			const int32_t *pa = cc_kv_seq_positions(cc_session_kv(a), l, h),
				      *pb = cc_kv_seq_positions(cc_session_kv(b), l, h);
			size_t n = cc_kv_seq_head_len(cc_session_kv(a), l, h);
			CHECK_EQ_INT(n, cc_kv_seq_head_len(cc_session_kv(b), l, h));
			for (size_t i = 0, j = 0; i < n && j < n;) {
				if (pa[i] == pb[j])
					same++, i++, j++;
				else if (pa[i] < pb[j])
					i++;
				else
					j++;
			}
			total += n;
		}
	/* the same positions, up to ties that the two summation orders round differently */
	CHECK(same * 100 >= total * 99);
	cc_session_free(a);
	cc_session_free(b);
	/* several compactions: h2o and codecomp with the carried sums keep the budget */
	stream_counts(CC_POLICY_H2O, 0.2);
	{
		float *prior = malloc(NCTX * sizeof(float));
		cc_session *s = new_session();
		for (int i = 0; i < NCTX; i++)
			prior[i] = (float)((i * 7) % 5) / 4.0f;
		cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.2);
		sopt.cum = 1;
		CHECK_EQ_INT(cc_compress_stream_prefill(s, g_ids, NCTX, &o, prior, NULL, &sopt, &st),
		             CC_OK);
		CHECK_EQ_INT(st.kept_per_head, cc_compress_keep_count(&o, NCTX));
		CHECK_EQ_INT(cc_session_obs_window(s), 0); /* used up by the last compaction */
		cc_session_free(s);
		free(prior);
	}
}

static void errors(void)
{
	cc_session *s = new_session();
	cc_compress_opts o;
	static const int pols[] = {CC_POLICY_KVZIP, CC_POLICY_ADAKV};
	for (size_t p = 0; p < 2; p++) {
		cc_compress_opts_default(&o, pols[p], 0.2);
		CHECK_EQ_INT(cc_compress_stream_prefill(s, g_ids, NCTX, &o, NULL, NULL, NULL, NULL),
		             CC_EUNSUPPORTED);
		CHECK(strstr(cc_error_last(), cc_policy_name(pols[p])) != NULL);
		CHECK_EQ_INT(cc_kv_seq_next_pos(cc_session_kv(s)), 0); /* nothing prefilled */
	}
	cc_compress_opts_default(&o, CC_POLICY_SNAPKV, 0.2);
	CHECK_EQ_INT(cc_compress_stream_prefill(s, g_ids, 0, &o, NULL, NULL, NULL, NULL), CC_EINVAL);
	CHECK_EQ_INT(cc_compress_stream_prefill(NULL, g_ids, 10, &o, NULL, NULL, NULL, NULL),
	             CC_EINVAL);
	o.budget = 0;
	CHECK_EQ_INT(cc_compress_stream_prefill(s, g_ids, 10, &o, NULL, NULL, NULL, NULL), CC_EINVAL);
	o.budget = 0.2;
	CHECK_EQ_INT(cc_session_prefill(s, g_ids, 300, NULL), CC_OK);
	/* not empty */
	CHECK_EQ_INT(cc_compress_stream_prefill(s, g_ids, 10, &o, NULL, NULL, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "empty") != NULL);
	/* a cached position past n_pos: nothing changes */
	CHECK_EQ_INT(cc_compress_session_pos(s, &o, 200, NULL, NULL, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "position") != NULL);
	CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(s), 0), 300);
	CHECK_EQ_INT(cc_compress_session_pos(s, &o, 0, NULL, NULL, NULL, NULL), CC_EINVAL);
	/* h2o without the carried sums */
	cc_compress_opts_default(&o, CC_POLICY_H2O, 0.2);
	CHECK_EQ_INT(cc_compress_session_pos(s, &o, 300, NULL, NULL, NULL, NULL), CC_EUNSUPPORTED);
	CHECK(strstr(cc_error_last(), "h2o") != NULL);
	/* codecomp without a prior: the selection's own error, nothing changed */
	cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.2);
	CHECK_EQ_INT(cc_compress_session_pos(s, &o, 300, NULL, NULL, NULL, NULL), CC_EINVAL);
	CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(s), 0), 300);
	cc_session_free(s);
}

int main(void)
{
	const char *dir = test_model_dir();
	cc_model_opts mo = {CC_DEVICE_CPU, 2};
	cc_tokenizer *tok = NULL;
	char *text = NULL;
	size_t len = 0, n = 0;

	if (!dir)
		TEST_SKIP("shared model absent (set CC_MODEL_DIR)");
	if (cc_model_load(&g_m, dir, &mo) || cc_tokenizer_load(&tok, dir) ||
	    cc_read_file(&text, &len, "fixtures/engine/inputs/heapq.py", 0) ||
	    cc_tokenizer_encode(tok, text, len, &g_ids, NULL, &n)) {
		fprintf(stderr, "setup: %s\n", cc_error_last());
		return 1;
	}
	CHECK(n >= NCTX + NNEXT);
	if (n < NCTX + NNEXT)
		return test_result();
	cc_model_info_get(&g_info, g_m);
	CHECK(g_info.n_layers <= 64);

	stream_counts(CC_POLICY_SNAPKV, 0.2);
	stream_counts(CC_POLICY_STREAMING, 0.1);
	stream_counts(CC_POLICY_PYRAMID, 0.2);
	priors_by_position();
	matches_session();
	fallbacks();
	carried_cum();
	errors();

	free(g_ids);
	free(text);
	cc_tokenizer_free(tok);
	cc_model_free(g_m);
	return test_result();
}
