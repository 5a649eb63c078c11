/*
 * test_repo_cache_agent.c - agent sessions over the repository KV cache, on a real git
 * repository indexed by codecomp and the shared model: the first session prefills every file,
 * the next reuses them (from memory, then from disk in a new agent), a one-file commit
 * prefills exactly that file, damaged chunk files are recomputed, the memory and disk limits
 * hold under many sessions, and bad options are refused by name.
 */
#include "cc_agent.h"
#include "cc_agent_reply.h"
#include "cc_compress.h"
#include "cc_repocache.h"
#include "test.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

static const char *model;
static char repo[] = "/tmp/cc-rcache-test.XXXXXX";
static char kvdir[256];
static const char *const files3[] = {"pkg/shapes.py", "app.py", "pkg/util.py"};

static int sh(const char *fmt, const char *a)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), fmt, a, a, a, a);
	return system(cmd);
}

static int open3(cc_agent *a, cc_agent_session_info *info, const char *query, double final_b,
                 int no_anchor)
{
	cc_agent_open_opts o = {0};
	o.model = model;
	o.repo = repo;
	o.paths = files3;
	o.n_paths = 3;
	o.policy = CC_POLICY_CODECOMP;
	o.budget = 0.5;
	o.repo_cache = 1;
	o.query = query;
	o.cache_final_budget = final_b;
	o.cache_no_anchor = no_anchor;
	return cc_agent_session_open(info, a, &o);
}

static size_t count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".kvc") != NULL && !strstr(e->d_name, ".tmp");
	closedir(d);
	return n;
}

static cc_agent *agent_new(size_t cache_bytes)
{
	cc_agent *a = NULL;
	cc_agent_opts ao = {0};
	ao.kv_tokens = 16384;
	ao.n_threads = 2;
	ao.repo_cache_bytes = cache_bytes;
	CHECK_EQ_INT(cc_agent_new(&a, &ao), CC_OK);
	return a;
}

static void test_reuse_and_commit(void)
{
	cc_agent *a = agent_new(0);
	cc_agent_session_info i1, i2, i3, i4;
	cc_agent_gen_result g;
	cc_agent_gen_opts go = {0};

	CHECK_EQ_INT(open3(a, &i1, NULL, 0, 0), CC_OK);
	CHECK(i1.repo_cache && i1.n_files == 3);
	CHECK_EQ_INT(i1.chunks_prefilled, 3);
	CHECK_EQ_INT(i1.chunks_reused, 0);
	CHECK(i1.cache_bytes_memory > 0 && i1.cache_bytes_disk > 0);
	CHECK_EQ_INT(count_files(kvdir), 3);
	CHECK(i1.kept_per_head < i1.context_tokens);
	CHECK_EQ_INT(i1.next_pos, i1.context_tokens);
	/* the session answers */
	go.prompt = "\ndef area(";
	go.prompt_len = strlen(go.prompt);
	go.max_new = 4;
	go.no_eos = 1;
	CHECK_EQ_INT(cc_agent_session_generate(&g, a, i1.id, &go), CC_OK);
	CHECK_EQ_INT(g.n_ids, 4);
	cc_agent_gen_result_clear(&g);
	/* compressing again is refused: chunks are compressed per file */
	{
		cc_agent_session_info c;
		CHECK_EQ_INT(cc_agent_session_compress(&c, a, i1.id, CC_POLICY_SNAPKV, 0.2),
		             CC_EUNSUPPORTED);
		CHECK(strstr(cc_error_last(), "repository cache") != NULL);
	}
	/* the same files again: all reused from memory, the same context */
	CHECK_EQ_INT(open3(a, &i2, NULL, 0, 0), CC_OK);
	CHECK_EQ_INT(i2.chunks_reused, 3);
	CHECK_EQ_INT(i2.chunks_from_disk, 0);
	CHECK_EQ_INT(i2.chunks_prefilled, 0);
	CHECK_EQ_INT(i2.context_tokens, i1.context_tokens);
	CHECK_EQ_INT(i2.kv_bytes_held, i1.kv_bytes_held);
	cc_agent_session_close(a, i1.id);
	cc_agent_session_close(a, i2.id);
	cc_agent_session_info_clear(&i1);
	cc_agent_session_info_clear(&i2);
	cc_agent_free(a);

	/* a new agent: everything from disk */
	a = agent_new(0);
	CHECK_EQ_INT(open3(a, &i3, NULL, 0, 0), CC_OK);
	CHECK_EQ_INT(i3.chunks_reused, 3);
	CHECK_EQ_INT(i3.chunks_from_disk, 3);
	CHECK_EQ_INT(i3.chunks_prefilled, 0);
	cc_agent_session_close(a, i3.id);

	/* a one-file commit: exactly that file is prefilled, and its new blob's chunk is on disk */
	CHECK_EQ_INT(sh("cd %s && printf '\\n\\ndef extra(v):\\n    return helper(v) * 2\\n' >> app.py "
	                "&& git -c user.name=t -c user.email=t@t commit -qam change && "
	                "$CC_BIN/codecomp index %s >/dev/null",
	                repo),
	             0);
	CHECK_EQ_INT(open3(a, &i4, NULL, 0, 0), CC_OK);
	CHECK_EQ_INT(i4.chunks_prefilled, 1);
	CHECK_EQ_INT(i4.chunks_reused, 2);
	CHECK(i4.context_tokens > i3.context_tokens);
	CHECK_EQ_INT(count_files(kvdir), 4);
	{
		char blob[64] = {0}, cmd[512], *path = NULL, mid[4200];
		FILE *p;
		snprintf(cmd, sizeof(cmd), "git -C %s rev-parse HEAD:app.py", repo);
		p = popen(cmd, "r");
		CHECK(p && fgets(blob, sizeof(blob), p));
		if (p)
			pclose(p);
		blob[strcspn(blob, "\n")] = 0;
		/* the new blob's chunk file is in the directory: its file name is a hash of the
		 * key, so look for the blob id in the files' keys */
		snprintf(cmd, sizeof(cmd), "grep -l -a %s %s/*.kvc | wc -l", blob, kvdir);
		p = popen(cmd, "r");
		CHECK(p && fgets(mid, sizeof(mid), p) && atoi(mid) == 1);
		if (p)
			pclose(p);
		(void)path;
	}
	cc_agent_session_close(a, i4.id);
	cc_agent_session_info_clear(&i3);
	cc_agent_session_info_clear(&i4);

	/* without anchors: the first file keeps its BOS (same chunk), the others are new */
	CHECK_EQ_INT(open3(a, &i1, NULL, 0, 1), CC_OK);
	CHECK_EQ_INT(i1.chunks_reused, 1);
	CHECK_EQ_INT(i1.chunks_prefilled, 2);
	CHECK(!i1.cache_anchor);
	cc_agent_session_close(a, i1.id);
	cc_agent_session_info_clear(&i1);

	/* a query on top, and the final query-aware pass */
	CHECK_EQ_INT(open3(a, &i1, "the area of a Circle is wrong", 0, 0), CC_OK);
	CHECK(i1.query_tokens > 0 && i1.chunks_reused == 3);
	CHECK_EQ_INT(open3(a, &i2, "the area of a Circle is wrong", 0.3, 0), CC_OK);
	CHECK(i2.kept_per_head < i1.kept_per_head);
	CHECK(i2.kv_bytes_held < i1.kv_bytes_held);
	cc_agent_session_close(a, i1.id);
	cc_agent_session_close(a, i2.id);
	cc_agent_session_info_clear(&i1);
	cc_agent_session_info_clear(&i2);
	cc_agent_free(a);
}

static void test_damaged(void)
{
	cc_agent *a = agent_new(0);
	cc_agent_session_info i;
	DIR *d = opendir(kvdir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d))) {
		char p[512];
		FILE *f;
		if (!strstr(e->d_name, ".kvc"))
			continue;
		snprintf(p, sizeof(p), "%s/%s", kvdir, e->d_name);
		if ((f = fopen(p, "r+b"))) {
			fseek(f, -9, SEEK_END);
			fputc('X', f);
			fclose(f);
			n++;
		}
	}
	if (d)
		closedir(d);
	CHECK(n >= 3);
	CHECK_EQ_INT(open3(a, &i, NULL, 0, 0), CC_OK);
	CHECK_EQ_INT(i.chunks_prefilled, 3);
	CHECK_EQ_INT(i.chunks_from_disk, 0);
	cc_agent_session_close(a, i.id);
	cc_agent_session_info_clear(&i);
	cc_agent_free(a);
	/* rewritten: a new agent reads them back */
	a = agent_new(0);
	CHECK_EQ_INT(open3(a, &i, NULL, 0, 0), CC_OK);
	CHECK_EQ_INT(i.chunks_from_disk, 3);
	cc_agent_session_close(a, i.id);
	cc_agent_session_info_clear(&i);
	cc_agent_free(a);
}

/* Many sessions, a memory limit below their chunks: the limit holds, the pool is returned. */
static void test_limits(void)
{
	size_t limit = (size_t)1 << 20;
	cc_agent *a = agent_new(limit);
	cc_agent_session_info s[8];
	cc_agent_model_info *mi = NULL;
	size_t nm = 0;
	for (int k = 0; k < 8; k++) {
		CHECK_EQ_INT(open3(a, &s[k], NULL, 0, k % 2), CC_OK);
		CHECK(s[k].cache_bytes_memory <= limit);
	}
	for (int k = 0; k < 8; k++) {
		CHECK_EQ_INT(cc_agent_session_close(a, s[k].id), CC_OK);
		cc_agent_session_info_clear(&s[k]);
	}
	CHECK_EQ_INT(cc_agent_models(&mi, &nm, a), CC_OK);
	CHECK(nm == 1 && mi[0].kv_bytes_used == 0);
	cc_agent_models_free(mi, nm);
	cc_agent_free(a);
}

/* Many sessions at new budgets (each a new set of chunk files), a disk limit of two of the
 * largest files: the folder stays under it, and each reply's cache_bytes_disk is its size. */
static void test_disk_limit(void)
{
	size_t largest = 0, bytes, files;
	cc_agent *a = NULL;
	cc_agent_opts ao = {0};
	DIR *d = opendir(kvdir);
	struct dirent *e;
	CHECK(d != NULL);
	while (d && (e = readdir(d))) {
		char p[512];
		struct stat st;
		snprintf(p, sizeof(p), "%s/%s", kvdir, e->d_name);
		if (strstr(e->d_name, ".kvc") && !stat(p, &st) && (size_t)st.st_size > largest)
			largest = (size_t)st.st_size;
	}
	if (d)
		closedir(d);
	CHECK(largest > 0);
	ao.kv_tokens = 16384;
	ao.n_threads = 2;
	ao.repo_cache_disk_bytes = 2 * largest;
	CHECK_EQ_INT(cc_agent_new(&a, &ao), CC_OK);
	for (int k = 0; k < 4; k++) {
		cc_agent_session_info s;
		cc_agent_open_opts o = {0};
		o.model = model;
		o.repo = repo;
		o.paths = files3;
		o.n_paths = 3;
		o.policy = CC_POLICY_CODECOMP;
		o.budget = 0.6 + 0.1 * k;
		o.repo_cache = 1;
		CHECK_EQ_INT(cc_agent_session_open(&s, a, &o), CC_OK);
		CHECK_EQ_INT(s.chunks_prefilled, 3);
		cc_repocache_disk_usage(&bytes, &files, kvdir);
		CHECK(bytes <= 2 * largest);
		CHECK(files >= 1 && files < 3);
		CHECK_EQ_INT(s.cache_bytes_disk, bytes);
		CHECK_EQ_INT(cc_agent_session_close(a, s.id), CC_OK);
		cc_agent_session_info_clear(&s);
	}
	cc_agent_free(a);
}

static void test_bad_options(void)
{
	cc_agent *a = agent_new(0);
	cc_agent_session_info i;
	cc_agent_open_opts o = {0};
	json_t *res = NULL, *p;
	o.model = model;
	o.repo = repo;
	o.repo_cache = 1;
	o.policy = CC_POLICY_CODECOMP;
	o.budget = 0.5;
	o.functions = (const char *const[]){"clamp"};
	o.n_functions = 1;
	CHECK_EQ_INT(cc_agent_session_open(&i, a, &o), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "whole files") != NULL);
	o.n_functions = 0;
	o.paths = files3;
	o.n_paths = 1;
	o.budget = 300;
	CHECK_EQ_INT(cc_agent_session_open(&i, a, &o), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "share") != NULL);
	o.budget = 0.5;
	o.cache_final_budget = 1.5;
	o.query = "area";
	CHECK_EQ_INT(cc_agent_session_open(&i, a, &o), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "cache_final_budget") != NULL);
	o.cache_final_budget = 0.5;
	o.query = NULL;
	CHECK_EQ_INT(cc_agent_session_open(&i, a, &o), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "needs a query") != NULL);
	o.cache_final_budget = 0;
	o.paths = (const char *const[]){"no/such.py"};
	CHECK(cc_agent_session_open(&i, a, &o) != CC_OK);
	CHECK(strstr(cc_error_last(), "no/such.py") != NULL);
	/* the protocol: "cache" options and the reply's repo_cache object */
	p = json_pack("{s:s, s:s, s:[s], s:s, s:f, s:s}", "model", model, "repo", repo, "paths",
	              "app.py", "policy", "codecomp", "budget", 0.5, "cache", "yes");
	CHECK_EQ_INT(cc_agent_call(&res, a, "session.open", p, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "cache") != NULL);
	json_object_set_new(p, "cache", json_false());
	json_object_set_new(p, "cache_anchor", json_false());
	CHECK_EQ_INT(cc_agent_call(&res, a, "session.open", p, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "cache_anchor") != NULL);
	json_object_set_new(p, "cache", json_true());
	CHECK_EQ_INT(cc_agent_call(&res, a, "session.open", p, NULL, NULL), CC_OK);
	{
		json_t *rc = json_object_get(res, "repo_cache");
		CHECK(json_is_object(rc));
		CHECK(json_is_integer(json_object_get(rc, "chunks_reused")));
		CHECK(json_is_integer(json_object_get(rc, "chunks_prefilled")));
		CHECK(json_integer_value(json_object_get(rc, "bytes_disk")) > 0);
		CHECK(json_is_false(json_object_get(rc, "anchor")));
	}
	json_decref(res);
	json_decref(p);
	cc_agent_free(a);
}

int main(void)
{
	const char *bin = getenv("CC_BIN");
	int rc;
	if (!(model = test_model_dir()))
		TEST_SKIP("the shared model is absent (../shared/models/pycode-16m or CC_MODEL_DIR)");
	if (!bin)
		TEST_SKIP("CC_BIN is not set (run through ctest)");
	if (!mkdtemp(repo))
		TEST_SKIP("no temporary directory");
	CHECK_EQ_INT(sh("cp -r fixtures/repos/python/. %s && cd %s && git init -q && git add -A && "
	                "git -c user.name=t -c user.email=t@t commit -qm init && "
	                "$CC_BIN/codecomp index %s >/dev/null",
	                repo),
	             0);
	snprintf(kvdir, sizeof(kvdir), "%s/.git/codecomp-kv", repo);
	test_reuse_and_commit();
	test_damaged();
	test_limits();
	test_disk_limit();
	test_bad_options();
	rc = test_result();
	sh("rm -rf %s", repo);
	return rc;
}
