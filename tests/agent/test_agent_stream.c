/*
 * test_agent_stream.c - agent sessions compressed as the chunked prefill goes (stream_chunk) on
 * the shared model (skips when absent): the session keeps ceil(b x n) per head, says its
 * chunks and peak KV bytes (below the full cache's; the reply JSON's stream block), and
 * generates; a pool too small for the whole context admits the streamed session and refuses
 * the prefill-then-compress one; the full policy, the repository cache, policies without a
 * streamed mode (kvzip, adakv) and tiny chunks are refused clearly.
 */
#include "cc_agent.h"
#include "cc_agent_reply.h"
#include "cc_compress.h"
#include "test.h"

#include <jansson.h>
#include <math.h>

static const char *model;

static char *synth(size_t n_funcs, size_t *len)
{
	size_t cap = n_funcs * 200 + 64, o = 0;
	char *t = malloc(cap);
	for (size_t i = 0; i < n_funcs; i++)
		o += (size_t)snprintf(t + o, cap - o,
		                      "def step_%zu(value, limit):\n    if value > limit:\n"
		                      "        return value - %zu\n    total = value * %zu\n"
		                      "    return step_%zu(total, limit)\n\n",
		                      i, i + 1, i % 7 + 2, i ? i - 1 : 0);
	*len = o;
	return t;
}

static int open_stream_cum(cc_agent *a, cc_agent_session_info *info, const char *text,
                           size_t len, int policy, double budget, size_t chunk, int cum)
{
	cc_agent_open_opts o = {0};
	o.stream_cum = cum;
	o.model = model;
	o.text = text;
	o.text_len = len;
	o.policy = policy;
	o.budget = budget;
	o.stream_chunk = chunk;
	return cc_agent_session_open(info, a, &o);
}

static int open_stream(cc_agent *a, cc_agent_session_info *info, const char *text, size_t len,
                       int policy, double budget, size_t chunk)
{
	return open_stream_cum(a, info, text, len, policy, budget, chunk, 0);
}

/* stream_cum: codecomp ranks by the carried attention (the reply says so, and the kept set
 * differs from the window-attention one's, so the option reaches the library); off by default */
static void test_stream_cum(cc_agent *a, const char *text, size_t len)
{
	cc_agent_session_info win, cum, snap;
	cc_agent_score_result rw, rc;
	static const char probe[] = "def step_final(value):\n    return step_3(value) + step_7(value)\n";
	CHECK_EQ_INT(open_stream(a, &win, text, len, CC_POLICY_CODECOMP, 0.1, 256), CC_OK);
	CHECK_EQ_INT(open_stream_cum(a, &cum, text, len, CC_POLICY_CODECOMP, 0.1, 256, 1), CC_OK);
	CHECK_EQ_INT(open_stream_cum(a, &snap, text, len, CC_POLICY_SNAPKV, 0.1, 256, 1), CC_OK);
	CHECK_EQ_INT(win.stream_cum, 0);
	CHECK_EQ_INT(cum.stream_cum, 1);
	CHECK_EQ_INT(snap.stream_cum, 0); /* other policies ignore it */
	CHECK_EQ_INT(cum.kept_per_head, win.kept_per_head);
	json_t *js = cc_agent_session_json(&cum), *jw = cc_agent_session_json(&win);
	CHECK(json_is_true(json_object_get(json_object_get(js, "stream"), "cum")));
	CHECK(json_is_false(json_object_get(json_object_get(jw, "stream"), "cum")));
	json_decref(js);
	json_decref(jw);
	/* a different kept set: the same text scores differently after it */
	CHECK_EQ_INT(cc_agent_session_score(&rw, a, win.id, probe, strlen(probe)), CC_OK);
	CHECK_EQ_INT(cc_agent_session_score(&rc, a, cum.id, probe, strlen(probe)), CC_OK);
	CHECK(rw.n == rc.n && rw.n > 5);
	CHECK(rw.mean_nll != rc.mean_nll);
	cc_agent_score_result_clear(&rw);
	cc_agent_score_result_clear(&rc);
	CHECK_EQ_INT(cc_agent_session_close(a, win.id), CC_OK);
	CHECK_EQ_INT(cc_agent_session_close(a, cum.id), CC_OK);
	CHECK_EQ_INT(cc_agent_session_close(a, snap.id), CC_OK);
	cc_agent_session_info_clear(&win);
	cc_agent_session_info_clear(&cum);
	cc_agent_session_info_clear(&snap);
}

static void test_stream_session(cc_agent *a, const char *text, size_t len)
{
	static const int pols[] = {CC_POLICY_SNAPKV, CC_POLICY_CODECOMP};
	for (size_t p = 0; p < 2; p++) {
		cc_agent_session_info st, one;
		cc_agent_gen_opts g = {0};
		cc_agent_gen_result r;
		CHECK_EQ_INT(open_stream(a, &st, text, len, pols[p], 0.2, 256), CC_OK);
		CHECK_EQ_INT(open_stream(a, &one, text, len, pols[p], 0.2, 0), CC_OK);
		size_t n = st.context_tokens;
		CHECK(n > 1000);
		CHECK_EQ_INT(one.context_tokens, n);
		CHECK_EQ_INT(st.stream_chunk, 256);
		CHECK_EQ_INT(st.stream_steps, (n + 255) / 256);
		CHECK_EQ_INT(st.kept_per_head, (size_t)ceil(0.2 * (double)n - 1e-9));
		CHECK_EQ_INT(st.kept_per_head, one.kept_per_head);
		/* the peak: the kept tokens and one chunk, far below the whole context */
		CHECK(st.kv_bytes_peak >= st.kv_bytes_held);
		CHECK(st.kv_bytes_peak * 2 < st.kv_bytes_full);
		CHECK_EQ_INT(st.kv_bytes_full, one.kv_bytes_full);
		CHECK_EQ_INT(one.stream_chunk, 0);
		/* the reply says it; the prefill-then-compress one has no stream block */
		json_t *js = cc_agent_session_json(&st), *jo = cc_agent_session_json(&one);
		json_t *blk = json_object_get(js, "stream");
		CHECK(blk != NULL);
		CHECK_EQ_INT((size_t)json_integer_value(json_object_get(blk, "kv_bytes_peak")),
		             st.kv_bytes_peak);
		CHECK_EQ_INT((size_t)json_integer_value(json_object_get(blk, "chunk")), 256);
		CHECK(json_object_get(jo, "stream") == NULL);
		json_decref(js);
		json_decref(jo);
		/* and it answers */
		g.prompt = "def step_final(value):\n";
		g.prompt_len = strlen(g.prompt);
		g.max_new = 6;
		g.no_eos = 1;
		CHECK_EQ_INT(cc_agent_session_generate(&r, a, st.id, &g), CC_OK);
		CHECK_EQ_INT(r.n_ids, 6);
		cc_agent_gen_result_clear(&r);
		CHECK_EQ_INT(cc_agent_session_close(a, st.id), CC_OK);
		CHECK_EQ_INT(cc_agent_session_close(a, one.id), CC_OK);
		cc_agent_session_info_clear(&st);
		cc_agent_session_info_clear(&one);
	}
}

static void test_errors(cc_agent *a, const char *text, size_t len)
{
	cc_agent_session_info info;
	static const int none[] = {CC_POLICY_KVZIP, CC_POLICY_ADAKV};
	CHECK_EQ_INT(open_stream(a, &info, text, len, CC_AGENT_POLICY_FULL, 1, 256), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "stream_chunk") != NULL);
	CHECK_EQ_INT(open_stream(a, &info, text, len, CC_POLICY_SNAPKV, 0.2, 8), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "stream_chunk") != NULL);
	for (size_t p = 0; p < 2; p++) {
		CHECK_EQ_INT(open_stream(a, &info, text, len, none[p], 0.2, 256), CC_EUNSUPPORTED);
		CHECK(strstr(cc_error_last(), cc_policy_name(none[p])) != NULL);
	}
	{
		cc_agent_open_opts o = {0};
		o.model = model;
		o.repo = "/nonexistent";
		o.paths = (const char *[]){"a.py"};
		o.n_paths = 1;
		o.policy = CC_POLICY_SNAPKV;
		o.budget = 0.2;
		o.repo_cache = 1;
		o.stream_chunk = 256;
		CHECK_EQ_INT(cc_agent_session_open(&info, a, &o), CC_EINVAL);
		CHECK(strstr(cc_error_last(), "repository cache") != NULL);
	}
}

int main(void)
{
	cc_agent *a = NULL;
	cc_agent_opts ao = {0};
	cc_agent_session_info full, info;
	size_t len;
	char *text;
	if (!(model = test_model_dir()))
		TEST_SKIP("shared model absent (set CC_MODEL_DIR)");
	text = synth(50, &len);
	ao.kv_tokens = 4096; /* the pool: one window of the model */
	CHECK_EQ_INT(cc_agent_new(&a, &ao), CC_OK);
	{
		size_t len2;
		char *text2 = synth(30, &len2);
		test_stream_session(a, text2, len2);
		free(text2);
	}
	test_errors(a, text, len);
	{
		size_t len2;
		char *text2 = synth(30, &len2);
		test_stream_cum(a, text2, len2);
		free(text2);
	}

	/* with the whole context held by another session, the pool cannot take it (plus the
	 * prompt reserve) once more: the streamed session fits, prefill-then-compress is refused
	 * with the sizes */
	CHECK_EQ_INT(open_stream(a, &full, text, len, CC_AGENT_POLICY_FULL, 1, 0), CC_OK);
	CHECK(2 * full.context_tokens + 512 > 4096);
	CHECK_EQ_INT(open_stream(a, &info, text, len, CC_POLICY_SNAPKV, 0.1, 0), CC_EBUSY);
	CHECK(strstr(cc_error_last(), "KV bytes") != NULL);
	CHECK_EQ_INT(open_stream(a, &info, text, len, CC_POLICY_SNAPKV, 0.1, 256), CC_OK);
	CHECK(info.kv_bytes_full > 2 * info.kv_bytes_peak);
	cc_agent_session_info_clear(&info);
	cc_agent_session_info_clear(&full);
	cc_agent_free(a);
	free(text);
	return test_result();
}
