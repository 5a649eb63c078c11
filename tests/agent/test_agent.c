/*
 * test_agent.c - agent sessions on the shared model: generated ids equal a plain engine run
 * over the same tokens; compression holds the budget and frees blocks to the shared pool;
 * forks leave the compressed context untouched; budgets as shares and counts; the window rule
 * (refused, or cut when asked and said); bad input; 8 threads on one model give what one
 * thread gives; a repository context by paths, functions and query; a compress-again.
 */
#include "cc_agent.h"
#include "cc_agent_reply.h"
#include "cc_compress.h"
#include "test.h"

#include <pthread.h>
#include <unistd.h>

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

static int open_text(cc_agent *a, cc_agent_session_info *info, const char *text, size_t len,
                     int policy, double budget)
{
	cc_agent_open_opts o = {0};
	o.model = model;
	o.text = text;
	o.text_len = len;
	o.policy = policy;
	o.budget = budget;
	return cc_agent_session_open(info, a, &o);
}

static void test_full_matches_engine(cc_agent *a)
{
	size_t len;
	char *text = synth(12, &len);
	cc_agent_session_info info;
	cc_agent_gen_opts g = {0};
	cc_agent_gen_result r;
	const char *prompt = "def step_final(value):\n";

	CHECK_EQ_INT(open_text(a, &info, text, len, CC_AGENT_POLICY_FULL, 1), CC_OK);
	CHECK_EQ_STR(info.policy, "full");
	CHECK(info.context_tokens > 100);
	CHECK_EQ_INT(info.kept_per_head, info.context_tokens);
	g.prompt = prompt;
	g.prompt_len = strlen(prompt);
	g.max_new = 12;
	g.no_eos = 1;
	CHECK_EQ_INT(cc_agent_session_generate(&r, a, info.id, &g), CC_OK);
	CHECK_EQ_INT(r.n_ids, 12);

	/* the same tokens through the engine alone */
	{
		cc_model *m = NULL;
		cc_tokenizer *tok = NULL;
		cc_session *s = NULL;
		int32_t *ci = NULL, *pi = NULL, out[12];
		size_t nc = 0, np = 0, nout = 0;
		cc_sampler smp;
		CHECK_EQ_INT(cc_model_load(&m, model, NULL), CC_OK);
		CHECK_EQ_INT(cc_tokenizer_load(&tok, model), CC_OK);
		CHECK_EQ_INT(cc_tokenizer_encode(tok, text, len, &ci, NULL, &nc), CC_OK);
		CHECK_EQ_INT(cc_tokenizer_encode(tok, prompt, strlen(prompt), &pi, NULL, &np), CC_OK);
		CHECK_EQ_INT(nc, info.context_tokens);
		CHECK_EQ_INT(cc_session_new(&s, m, NULL), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(s, ci, nc, NULL), CC_OK);
		cc_sampler_init(&smp, 0, 1, 0);
		CHECK_EQ_INT(cc_session_generate(s, pi, np, 12, &smp, -1, out, &nout), CC_OK);
		CHECK_EQ_INT(nout, 12);
		CHECK(r.n_ids == 12 && !memcmp(out, r.ids, sizeof(out)));
		cc_session_free(s);
		cc_model_free(m);
		cc_tokenizer_free(tok);
		free(ci);
		free(pi);
	}
	cc_agent_gen_result_clear(&r);
	CHECK_EQ_INT(cc_agent_session_close(a, info.id), CC_OK);
	CHECK_EQ_INT(cc_agent_session_close(a, info.id), CC_ENOTFOUND);
	cc_agent_session_info_clear(&info);
	free(text);
}

static size_t pool_used(cc_agent *a)
{
	cc_agent_model_info *m;
	size_t n, used;
	CHECK_EQ_INT(cc_agent_models(&m, &n, a), CC_OK);
	CHECK_EQ_INT(n, 1);
	used = n ? m[0].kv_bytes_used : 0;
	cc_agent_models_free(m, n);
	return used;
}

static void test_compress_budget(cc_agent *a)
{
	size_t len, before = pool_used(a);
	char *text = synth(30, &len);
	cc_agent_session_info full, comp, again, tok;
	cc_agent_gen_opts g = {0};
	cc_agent_gen_result r1, r2;
	cc_agent_score_result sc;

	CHECK_EQ_INT(open_text(a, &full, text, len, CC_AGENT_POLICY_FULL, 1), CC_OK);
	size_t with_full = pool_used(a);
	CHECK(with_full > before);
	CHECK_EQ_INT(open_text(a, &comp, text, len, CC_POLICY_CODECOMP, 0.25), CC_OK);
	size_t n = comp.context_tokens;
	CHECK_EQ_INT(comp.kept_per_head, (n + 3) / 4 > 68 ? (n + 3) / 4 : 68);
	CHECK(comp.kv_bytes_held < comp.kv_bytes_full);
	CHECK_EQ_INT(comp.kv_bytes_full, full.kv_bytes_held);
	/* held bytes = the budget, up to a block per layer and head's rounding */
	CHECK(comp.kv_bytes_held <= comp.kv_bytes_full / 4 + comp.kv_bytes_full / 8);
	/* the compressed session's blocks are all that it adds to the shared pool */
	CHECK_EQ_INT(pool_used(a) - with_full, comp.kv_bytes_held);

	/* forks: the base is untouched, the same request gives the same answer */
	g.prompt = "def step_next(value):\n";
	g.prompt_len = strlen(g.prompt);
	g.max_new = 8;
	g.no_eos = 1;
	CHECK_EQ_INT(cc_agent_session_generate(&r1, a, comp.id, &g), CC_OK);
	CHECK_EQ_INT(cc_agent_session_generate(&r2, a, comp.id, &g), CC_OK);
	CHECK(r1.n_ids == r2.n_ids && !memcmp(r1.ids, r2.ids, r1.n_ids * sizeof(int32_t)));
	CHECK_EQ_INT(cc_agent_session_info_get(&again, a, comp.id), CC_OK);
	CHECK_EQ_INT(again.kv_bytes_held, comp.kv_bytes_held);
	CHECK_EQ_INT(again.n_requests, 2);
	CHECK_EQ_INT(pool_used(a) - with_full, comp.kv_bytes_held);
	cc_agent_session_info_clear(&again);

	/* score: per-token NLL, finite; the full context predicts its own code at least as
	 * well as a quarter of it does */
	{
		cc_agent_score_result sf;
		const char *t = "    return step_3(total, limit)\n";
		CHECK_EQ_INT(cc_agent_session_score(&sc, a, comp.id, t, strlen(t)), CC_OK);
		CHECK_EQ_INT(cc_agent_session_score(&sf, a, full.id, t, strlen(t)), CC_OK);
		CHECK(sc.n > 3 && sc.n == sf.n);
		for (size_t i = 0; i < sc.n; i++)
			CHECK(isfinite(sc.nll[i]) && sc.nll[i] >= 0);
		CHECK(sf.mean_nll <= sc.mean_nll + 0.5);
		cc_agent_score_result_clear(&sf);
		cc_agent_score_result_clear(&sc);
	}

	/* a token-count budget; then compress the same session tighter */
	CHECK_EQ_INT(open_text(a, &tok, text, len, CC_POLICY_SNAPKV, 100), CC_OK);
	CHECK_EQ_INT(tok.kept_per_head, 100);
	{
		cc_agent_session_info t2;
		CHECK_EQ_INT(cc_agent_session_compress(&t2, a, comp.id, CC_POLICY_H2O, 0.1), CC_OK);
		CHECK_EQ_STR(t2.policy, "h2o");
		CHECK(t2.kept_per_head < comp.kept_per_head);
		CHECK(t2.kv_bytes_held < comp.kv_bytes_held);
		cc_agent_session_info_clear(&t2);
	}

	/* kvzip (and codecomp) read the reconstruction attention of a repeat pass */
	{
		cc_agent_session_info kz;
		CHECK_EQ_INT(open_text(a, &kz, text, len, CC_POLICY_KVZIP, 0.25), CC_OK);
		CHECK_EQ_STR(kz.policy, "kvzip");
		CHECK_EQ_INT(kz.kept_per_head, comp.kept_per_head);
		CHECK(kz.kv_bytes_held < kz.kv_bytes_full);
		CHECK_EQ_INT(cc_agent_session_close(a, kz.id), CC_OK);
		cc_agent_session_info_clear(&kz);
	}

	/* list, then close everything: the pool is back where it was */
	{
		cc_agent_session_info *l;
		size_t nl;
		CHECK_EQ_INT(cc_agent_session_list(&l, &nl, a), CC_OK);
		CHECK_EQ_INT(nl, 3);
		if (nl == 3)
			CHECK_EQ_STR(l[0].id, full.id);
		cc_agent_session_list_free(l, nl);
	}
	CHECK_EQ_INT(cc_agent_session_close(a, full.id), CC_OK);
	CHECK_EQ_INT(cc_agent_session_close(a, comp.id), CC_OK);
	CHECK_EQ_INT(cc_agent_session_close(a, tok.id), CC_OK);
	CHECK_EQ_INT(pool_used(a), before);
	cc_agent_gen_result_clear(&r1);
	cc_agent_gen_result_clear(&r2);
	cc_agent_session_info_clear(&full);
	cc_agent_session_info_clear(&comp);
	cc_agent_session_info_clear(&tok);
	free(text);
}

static void test_errors(cc_agent *a)
{
	size_t len;
	char *text = synth(10, &len), *big;
	cc_agent_session_info info;
	cc_agent_gen_opts g = {0};
	cc_agent_gen_result r;

	CHECK_EQ_INT(open_text(a, &info, text, len, CC_POLICY_CODECOMP, 0), CC_EINVAL);
	CHECK_EQ_INT(open_text(a, &info, text, len, CC_POLICY_CODECOMP, -0.5), CC_EINVAL);
	CHECK_EQ_INT(open_text(a, &info, text, len, CC_POLICY_CODECOMP, 1.5), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "whole") != NULL);
	CHECK_EQ_INT(open_text(a, &info, text, len, 99, 0.5), CC_EINVAL);
	CHECK_EQ_INT(open_text(a, &info, "", 0, CC_POLICY_CODECOMP, 0.5), CC_EINVAL);
	g.prompt = "x";
	g.prompt_len = 1;
	g.max_new = 1;
	CHECK_EQ_INT(cc_agent_session_generate(&r, a, "s999-0000", &g), CC_ENOTFOUND);
	CHECK(strstr(cc_error_last(), "s999-0000") != NULL);
	{
		cc_agent_open_opts o = {0};
		o.model = "relative/model";
		o.text = text;
		o.text_len = len;
		o.policy = CC_AGENT_POLICY_FULL;
		CHECK_EQ_INT(cc_agent_session_open(&info, a, &o), CC_EINVAL);
		o.model = "/nonexistent/model/dir";
		CHECK_EQ_INT(cc_agent_session_open(&info, a, &o), CC_ENOTFOUND);
		o.model = model;
		o.text = NULL;
		o.repo = "/nonexistent/repo";
		o.paths = (const char *const[]){"a.py"};
		o.n_paths = 1;
		CHECK(cc_agent_session_open(&info, a, &o) != CC_OK);
	}
	/* the window rule: over the window is refused, naming the sizes; cut when asked */
	big = synth(400, &len);
	CHECK_EQ_INT(open_text(a, &info, big, len, CC_POLICY_CODECOMP, 0.5), CC_ETOOBIG);
	CHECK(strstr(cc_error_last(), "4096") != NULL);
	{
		cc_agent_open_opts o = {0};
		o.model = model;
		o.text = big;
		o.text_len = len;
		o.policy = CC_POLICY_STREAMING;
		o.budget = 0.5;
		o.truncate = 1;
		CHECK_EQ_INT(cc_agent_session_open(&info, a, &o), CC_OK);
		CHECK(info.truncated && info.dropped_tokens > 0);
		CHECK_EQ_INT(info.context_tokens, 4096 - 512);
		/* a prompt + max_new past the window is refused */
		g.max_new = 600;
		CHECK_EQ_INT(cc_agent_session_generate(&r, a, info.id, &g), CC_ETOOBIG);
		CHECK_EQ_INT(cc_agent_session_close(a, info.id), CC_OK);
		cc_agent_session_info_clear(&info);
		o.truncate = 0;
		o.max_context_tokens = 100;
		CHECK_EQ_INT(cc_agent_session_open(&info, a, &o), CC_ETOOBIG);
	}
	free(big);
	free(text);
}

struct job {
	cc_agent *a;
	const char *id;
	int k;
	int32_t ids[8];
	size_t n;
	int rc;
};

static void *run_job(void *p)
{
	struct job *j = p;
	cc_agent_gen_opts g = {0};
	cc_agent_gen_result r;
	char prompt[64];
	snprintf(prompt, sizeof(prompt), "def step_%d(value):\n", j->k % 4);
	g.prompt = prompt;
	g.prompt_len = strlen(prompt);
	g.max_new = 6;
	g.no_eos = 1;
	j->rc = cc_agent_session_generate(&r, j->a, j->id, &g);
	if (!j->rc) {
		j->n = r.n_ids;
		memcpy(j->ids, r.ids, r.n_ids * sizeof(int32_t));
	}
	cc_agent_gen_result_clear(&r);
	return NULL;
}

static void test_concurrent(cc_agent *a)
{
	size_t len;
	char *text = synth(8, &len);
	cc_agent_session_info s1, s2;
	struct job serial[8], par[8];
	pthread_t th[8];

	CHECK_EQ_INT(open_text(a, &s1, text, len, CC_POLICY_CODECOMP, 0.5), CC_OK);
	CHECK_EQ_INT(open_text(a, &s2, text, len, CC_POLICY_SNAPKV, 0.5), CC_OK);
	for (int k = 0; k < 8; k++) {
		serial[k] = (struct job){a, k % 2 ? s1.id : s2.id, k, {0}, 0, 0};
		par[k] = serial[k];
		run_job(&serial[k]);
	}
	for (int k = 0; k < 8; k++)
		pthread_create(&th[k], NULL, run_job, &par[k]);
	for (int k = 0; k < 8; k++)
		pthread_join(th[k], NULL);
	for (int k = 0; k < 8; k++) {
		CHECK_EQ_INT(par[k].rc, CC_OK);
		CHECK(par[k].n == serial[k].n && !memcmp(par[k].ids, serial[k].ids,
		                                         serial[k].n * sizeof(int32_t)));
	}
	cc_agent_session_close(a, s1.id);
	cc_agent_session_close(a, s2.id);
	cc_agent_session_info_clear(&s1);
	cc_agent_session_info_clear(&s2);
	free(text);
}

static void test_repo(cc_agent *a)
{
	char dir[] = "/tmp/cc-agent-test.XXXXXX", cmd[1024];
	const char *bin = getenv("CC_BIN");
	cc_agent_open_opts o = {0};
	cc_agent_session_info info;
	if (!bin || !mkdtemp(dir)) {
		fprintf(stderr, "test_repo: CC_BIN not set, skipped\n");
		return;
	}
	snprintf(cmd, sizeof(cmd),
	         "cp -r fixtures/repos/python/. %s && cd %s && git init -q && git add -A && "
	         "git -c user.name=t -c user.email=t@t commit -qm init && %s/codecomp index %s "
	         ">/dev/null",
	         dir, dir, bin, dir);
	CHECK_EQ_INT(system(cmd), 0);
	o.model = model;
	o.repo = dir;
	o.paths = (const char *const[]){"pkg/shapes.py", "app.py"};
	o.n_paths = 2;
	o.policy = CC_POLICY_CODECOMP;
	o.budget = 0.5;
	CHECK_EQ_INT(cc_agent_session_open(&info, a, &o), CC_OK);
	CHECK_EQ_INT(info.n_files, 2);
	CHECK(info.context_tokens > 20 && !info.by_query);
	cc_agent_session_close(a, info.id);
	cc_agent_session_info_clear(&info);
	/* functions by name, and an unknown one named in the error */
	o.n_paths = 0;
	o.functions = (const char *const[]){"clamp"};
	o.n_functions = 1;
	CHECK_EQ_INT(cc_agent_session_open(&info, a, &o), CC_OK);
	CHECK(info.n_files >= 1 && info.context_tokens > 3);
	cc_agent_session_close(a, info.id);
	cc_agent_session_info_clear(&info);
	o.functions = (const char *const[]){"no_such_function_here"};
	CHECK_EQ_INT(cc_agent_session_open(&info, a, &o), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "no_such_function_here") != NULL);
	/* a query alone chooses the files */
	o.n_functions = 0;
	o.query = "the area of a shape is wrong";
	CHECK_EQ_INT(cc_agent_session_open(&info, a, &o), CC_OK);
	CHECK(info.by_query && info.n_files >= 1 && info.query_tokens > 0);
	cc_agent_session_close(a, info.id);
	cc_agent_session_info_clear(&info);
	/* not a repository that was indexed */
	o.repo = "/tmp";
	CHECK(cc_agent_session_open(&info, a, &o) != CC_OK);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ_INT(system(cmd), 0);
}

static void test_reply(cc_agent *a)
{
	json_t *res = NULL, *p = json_pack("{s:s, s:s, s:s, s:f}", "model", model, "text",
	                                   "def f(x):\n    return x + 1\n", "policy", "bogus",
	                                   "budget", 0.5);
	CHECK_EQ_INT(cc_agent_call(&res, a, "session.open", p, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "bogus") != NULL);
	json_object_set_new(p, "policy", json_string("structure"));
	json_object_set_new(p, "colour", json_string("red"));
	CHECK_EQ_INT(cc_agent_call(&res, a, "session.open", p, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "colour") != NULL);
	json_object_del(p, "colour");
	CHECK_EQ_INT(cc_agent_call(&res, a, "session.open", p, NULL, NULL), CC_OK);
	CHECK(json_is_string(json_object_get(res, "id")));
	CHECK_EQ_STR(json_string_value(json_object_get(res, "policy")), "structure");
	CHECK(json_is_object(json_object_get(res, "timings")));
	{
		json_t *g = json_pack("{s:s, s:s, s:i}", "id",
		                      json_string_value(json_object_get(res, "id")), "prompt", "x",
		                      "max_new", 3);
		json_t *gr = NULL;
		CHECK_EQ_INT(cc_agent_call(&gr, a, "session.generate", g, NULL, NULL), CC_OK);
		CHECK(json_array_size(json_object_get(gr, "ids")) <= 3);
		json_decref(gr);
		json_object_set_new(g, "top_p", json_real(1.5));
		CHECK_EQ_INT(cc_agent_call(&gr, a, "session.generate", g, NULL, NULL), CC_EINVAL);
		json_decref(g);
	}
	json_decref(res);
	json_decref(p);
}

int main(void)
{
	cc_agent *a = NULL;
	cc_agent_opts ao = {0};
	if (!(model = test_model_dir())) {
		fprintf(stderr, "test_agent: the shared model is absent (../shared/models/pycode-16m "
		                "or CC_MODEL_DIR), skipped\n");
		return 77;
	}
	ao.kv_tokens = 16384;
	CHECK_EQ_INT(cc_agent_new(&a, &ao), CC_OK);
	test_full_matches_engine(a);
	test_compress_budget(a);
	test_errors(a);
	test_concurrent(a);
	test_repo(a);
	test_reply(a);
	cc_agent_free(a);

	/* the idle timeout closes a session nobody uses, and frees its blocks */
	{
		cc_agent_session_info info;
		cc_agent_opts io = {0};
		size_t len;
		char *text = synth(4, &len);
		io.idle_timeout_s = 0.2;
		io.kv_tokens = 8192;
		CHECK_EQ_INT(cc_agent_new(&a, &io), CC_OK);
		CHECK_EQ_INT(open_text(a, &info, text, len, CC_POLICY_CODECOMP, 0.5), CC_OK);
		CHECK_EQ_INT(cc_agent_reap(a), 0);
		usleep(300000);
		CHECK_EQ_INT(cc_agent_reap(a), 1);
		CHECK_EQ_INT(pool_used(a), 0);
		{
			cc_agent_session_info j;
			CHECK_EQ_INT(cc_agent_session_info_get(&j, a, info.id), CC_ENOTFOUND);
		}
		cc_agent_session_info_clear(&info);
		cc_agent_free(a);
		free(text);
	}
	return test_result();
}
