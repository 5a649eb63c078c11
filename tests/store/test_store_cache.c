/*
 * test_store_cache.c - what a read-only handle keeps between nodes/edges calls (the opened
 * repository, prepared statements, the revision call edges come from) never answers from a
 * stale state. One handle, as a daemon worker holds it, is asked again after each change:
 *   - HEAD and a branch move to a new, re-indexed commit: the new content shows, and the old
 *     commit (by id) still answers with the old content; revisions opened with
 *     cc_store_rev_open stay valid while the handle's cache moves on;
 *   - the working tree is re-indexed with uncommitted changes (the "worktree" revision row
 *     is replaced, possibly under the same row id): nodes and call edges are the new ones;
 *   - a second repository through the same handle and database answers with its own files,
 *     and so does a relative path read from another working directory;
 *   - the repository is removed and created again at the same path with other content;
 *   - HEAD moves to a commit that is not indexed: "not indexed", not the previous answer;
 *   - a damaged or deleted graph row: a database error saying which, not a stale answer;
 *   - the default database path (remembered per process) after the repository at a path is
 *     replaced by a bare one, and removed.
 * Expected names and lines come from the source texts written here.
 */
#include "cc_store_reply.h"
#include "test.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char work[4096], repo[4200], repo2[4200], db[4300];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

static void commit_all(const char *dir, const char *msg)
{
	CHECK_EQ_INT(sh("cd '%s' && git add -A && git commit -q -m '%s'", dir, msg), 0);
}

static void head_of(char out[41], const char *dir)
{
	char cmd[8400];
	out[0] = 0;
	snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse HEAD", dir);
	FILE *p = popen(cmd, "r");
	CHECK(p != NULL);
	if (!p)
		return;
	if (!fgets(out, 41, p))
		out[0] = 0;
	pclose(p);
}

/* Run sql on a side connection (damaging the database on purpose). */
static void exec_sql(const char *sql)
{
	sqlite3 *c = NULL;
	CHECK_EQ_INT(sqlite3_open(db, &c), SQLITE_OK);
	CHECK_EQ_INT(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(c);
}

/* Index rev of dir through its own writable handle (another connection, as the indexer). */
static void index_rev(const char *dir, const char *rev)
{
	cc_store *w = NULL;
	cc_index_result r;
	cc_index_opts o = {.rev = rev, .threads = 1};
	CHECK_EQ_INT(cc_store_open(&w, db, 0), CC_OK);
	if (!w)
		return;
	CHECK_EQ_INT(cc_store_index_run(&r, w, dir, &o), CC_OK);
	cc_index_result_clear(&r);
	cc_store_free(w);
}

/* The node of kind and name in a nodes answer, or NULL. */
static json_t *find_node(json_t *nodes, const char *kind, const char *name)
{
	size_t i;
	json_t *n;
	json_array_foreach(nodes, i, n)
	{
		const char *k = json_string_value(json_object_get(n, "kind"));
		const char *nm = json_string_value(json_object_get(n, "name"));
		if (k && nm && !strcmp(k, kind) && !strcmp(nm, name))
			return n;
	}
	return NULL;
}

static long line_of(json_t *node)
{
	return node ? (long)json_integer_value(json_object_get(node, "start_line")) : -1;
}

/* Call edges of an edges answer from the call node named callee (in nodes) to the method
 * named target. */
static int n_calls(json_t *edges, json_t *nodes, const char *callee, const char *target)
{
	json_t *c = find_node(nodes, "call", callee), *m = find_node(nodes, "method", target);
	size_t i;
	json_t *e;
	int n = 0;
	if (!c || !m)
		return 0;
	json_int_t cid = json_integer_value(json_object_get(c, "id"));
	json_int_t mid = json_integer_value(json_object_get(m, "id"));
	json_array_foreach(edges, i, e)
	{
		if (!strcmp(json_string_value(json_object_get(e, "kind")), "call") &&
		    json_integer_value(json_object_get(e, "src")) == cid &&
		    json_integer_value(json_object_get(e, "dst")) == mid)
			n++;
	}
	return n;
}

static void query(json_t **nodes, json_t **edges, cc_store *ro, const char *dir, const char *rev,
                  const char *path)
{
	*nodes = *edges = NULL;
	CHECK_EQ_INT(cc_store_nodes_json(nodes, ro, dir, rev, path), CC_OK);
	CHECK_EQ_INT(cc_store_edges_json(edges, ro, dir, rev, path), CC_OK);
	if (!*nodes)
		*nodes = json_array();
	if (!*edges)
		*edges = json_array();
}

static const char *const v1 = "def f():\n    return 1\n\n\ndef main():\n    return f()\n";
static const char *const v2 = "def f():\n    return 1\n\n\ndef g():\n    return 2\n\n\n"
			      "def main():\n    return g()\n";
static const char *const v3 = "def h():\n    return 3\n\n\ndef main():\n    return h()\n";

int main(void)
{
	const char *bin = getenv("CC_BINARY_DIR");
	char c1[41], c2[41];
	cc_store *ro = NULL;
	json_t *nodes, *edges;

	if (!bin)
		TEST_SKIP("CC_BINARY_DIR not set (run under CTest)");
	snprintf(work, sizeof(work), "%s/store-tests/cache", bin);
	snprintf(repo, sizeof(repo), "%s/repo", work);
	snprintf(repo2, sizeof(repo2), "%s/repo2", work);
	snprintf(db, sizeof(db), "%s/store.db", work);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("HOME", work, 1);
	setenv("GIT_AUTHOR_NAME", "test", 1);
	setenv("GIT_AUTHOR_EMAIL", "test@codecomp.invalid", 1);
	setenv("GIT_COMMITTER_NAME", "test", 1);
	setenv("GIT_COMMITTER_EMAIL", "test@codecomp.invalid", 1);
	CHECK_EQ_INT(sh("rm -rf '%s' && mkdir -p '%s' '%s' && git init -q -b main '%s' && "
	                "git init -q -b main '%s'",
	                work, repo, repo2, repo, repo2),
	             0);

	/* revision A at HEAD */
	write_file(repo, "a.py", v1);
	commit_all(repo, "A");
	head_of(c1, repo);
	index_rev(repo, "HEAD");
	CHECK_EQ_INT(cc_store_open(&ro, db, CC_STORE_READONLY), CC_OK);
	if (!ro)
		return test_result();
	query(&nodes, &edges, ro, repo, "HEAD", "a.py");
	CHECK_EQ_INT(line_of(find_node(nodes, "method", "main")), 5);
	CHECK(find_node(nodes, "method", "g") == NULL);
	CHECK_EQ_INT(n_calls(edges, nodes, "f", "f"), 1);
	json_decref(nodes);
	json_decref(edges);

	/* HEAD (and the branch) move to B, indexed by another connection: same handle, B's
	 * content; A by commit id still answers with A's */
	write_file(repo, "a.py", v2);
	commit_all(repo, "B");
	head_of(c2, repo);
	CHECK(strcmp(c1, c2) != 0);
	index_rev(repo, "HEAD");
	for (int k = 0; k < 2; k++) {
		query(&nodes, &edges, ro, repo, k ? "main" : "HEAD", "a.py");
		CHECK_EQ_INT(line_of(find_node(nodes, "method", "g")), 5);
		CHECK_EQ_INT(line_of(find_node(nodes, "method", "main")), 9);
		CHECK_EQ_INT(n_calls(edges, nodes, "g", "g"), 1);
		CHECK(find_node(nodes, "call", "f") == NULL);
		json_decref(nodes);
		json_decref(edges);
	}
	query(&nodes, &edges, ro, repo, c1, "a.py");
	CHECK_EQ_INT(line_of(find_node(nodes, "method", "main")), 5);
	CHECK_EQ_INT(n_calls(edges, nodes, "f", "f"), 1);
	json_decref(nodes);
	json_decref(edges);

	/* revisions opened through the reading API share the handle's cached revision: one
	 * held by the caller stays valid after the cache moves to another */
	cc_store_rev *ra = NULL, *rb = NULL;
	cc_store_file *fa = NULL, *fb = NULL;
	CHECK_EQ_INT(cc_store_rev_open(&ra, ro, repo, c1), CC_OK);
	CHECK_EQ_INT(cc_store_rev_open(&rb, ro, repo, "HEAD"), CC_OK);
	query(&nodes, &edges, ro, repo, c1, "a.py");
	json_decref(nodes);
	json_decref(edges);
	if (ra && rb) {
		CHECK_EQ_STR(cc_store_rev_commit(ra), c1);
		CHECK_EQ_STR(cc_store_rev_commit(rb), c2);
		CHECK_EQ_INT(cc_store_rev_file(&fa, ra, "a.py"), CC_OK);
		CHECK_EQ_INT(cc_store_rev_file(&fb, rb, "a.py"), CC_OK);
		CHECK(fa && !strcmp(fa->content, v1));
		CHECK(fb && !strcmp(fb->content, v2));
		CHECK(fb && fb->n_calls == 1);
	}
	cc_store_file_free(fa);
	cc_store_file_free(fb);
	cc_store_rev_free(ra);
	cc_store_rev_free(rb);

	/* the working tree, indexed twice with different uncommitted content */
	write_file(repo, "a.py", v3);
	index_rev(repo, CC_STORE_WORKTREE);
	query(&nodes, &edges, ro, repo, CC_STORE_WORKTREE, "a.py");
	CHECK_EQ_INT(n_calls(edges, nodes, "h", "h"), 1);
	json_decref(nodes);
	json_decref(edges);
	write_file(repo, "a.py", v1);
	index_rev(repo, CC_STORE_WORKTREE);
	query(&nodes, &edges, ro, repo, CC_STORE_WORKTREE, "a.py");
	CHECK(find_node(nodes, "method", "h") == NULL);
	CHECK_EQ_INT(line_of(find_node(nodes, "method", "main")), 5);
	CHECK_EQ_INT(n_calls(edges, nodes, "f", "f"), 1);
	CHECK_EQ_INT(n_calls(edges, nodes, "h", "h"), 0);
	json_decref(nodes);
	json_decref(edges);
	CHECK_EQ_INT(sh("cd '%s' && git checkout -q -- a.py", repo), 0);

	/* a second repository in the same database, through the same handle */
	write_file(repo2, "b.py", v3);
	commit_all(repo2, "other");
	index_rev(repo2, "HEAD");
	query(&nodes, &edges, ro, repo2, "HEAD", "b.py");
	CHECK_EQ_INT(n_calls(edges, nodes, "h", "h"), 1);
	json_decref(nodes);
	json_decref(edges);
	CHECK_EQ_INT(cc_store_nodes_json(&nodes, ro, repo2, "HEAD", "a.py"), CC_ENOTFOUND);
	query(&nodes, &edges, ro, repo, "HEAD", "a.py"); /* and back */
	CHECK_EQ_INT(line_of(find_node(nodes, "method", "g")), 5);
	json_decref(nodes);
	json_decref(edges);

	/* a relative path names another repository once the working directory changes */
	char cwd[4096], other[4300];
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(other, sizeof(other), "%s/other/repo", work);
	CHECK_EQ_INT(sh("mkdir -p '%s' && git init -q -b main '%s'", other, other), 0);
	write_file(other, "a.py", v3);
	commit_all(other, "other");
	index_rev(other, "HEAD");
	CHECK_EQ_INT(chdir(work), 0);
	query(&nodes, &edges, ro, "repo", "HEAD", "a.py");
	CHECK_EQ_INT(line_of(find_node(nodes, "method", "g")), 5);
	json_decref(nodes);
	json_decref(edges);
	snprintf(other, sizeof(other), "%s/other", work);
	CHECK_EQ_INT(chdir(other), 0);
	query(&nodes, &edges, ro, "repo", "HEAD", "a.py");
	CHECK(find_node(nodes, "method", "g") == NULL);
	CHECK_EQ_INT(n_calls(edges, nodes, "h", "h"), 1);
	json_decref(nodes);
	json_decref(edges);
	CHECK_EQ_INT(chdir(cwd), 0);

	/* the repository removed and made again at the same path, with other content */
	CHECK_EQ_INT(sh("rm -rf '%s' && mkdir -p '%s' && git init -q -b main '%s'", repo, repo,
	                repo),
	             0);
	write_file(repo, "a.py", v3);
	commit_all(repo, "again");
	index_rev(repo, "HEAD");
	query(&nodes, &edges, ro, repo, "HEAD", "a.py");
	CHECK(find_node(nodes, "method", "g") == NULL);
	CHECK_EQ_INT(line_of(find_node(nodes, "method", "main")), 5);
	CHECK_EQ_INT(n_calls(edges, nodes, "h", "h"), 1);
	json_decref(nodes);
	json_decref(edges);

	/* HEAD moves to a commit nobody indexed */
	write_file(repo, "a.py", v2);
	commit_all(repo, "unindexed");
	nodes = edges = NULL;
	CHECK_EQ_INT(cc_store_nodes_json(&nodes, ro, repo, "HEAD", "a.py"), CC_ENOTFOUND);
	CHECK(strstr(cc_error_last(), "is not indexed") != NULL);
	CHECK_EQ_INT(cc_store_edges_json(&edges, ro, repo, "HEAD", "a.py"), CC_ENOTFOUND);
	CHECK(strstr(cc_error_last(), "is not indexed") != NULL);
	CHECK(nodes == NULL && edges == NULL);

	/* a damaged or missing graph is a database error with its own message, not a miss */
	exec_sql("UPDATE graphs SET graph = x'00'");
	nodes = edges = NULL;
	CHECK_EQ_INT(cc_store_nodes_json(&nodes, ro, repo2, "HEAD", "b.py"), CC_EDB);
	CHECK(strstr(cc_error_last(), "malformed") != NULL);
	CHECK_EQ_INT(cc_store_edges_json(&edges, ro, repo2, "HEAD", "b.py"), CC_EDB);
	CHECK(strstr(cc_error_last(), "malformed") != NULL);
	exec_sql("DELETE FROM graphs");
	CHECK_EQ_INT(cc_store_nodes_json(&nodes, ro, repo2, "HEAD", "b.py"), CC_EDB);
	CHECK(strstr(cc_error_last(), "lacks the graph") != NULL);
	CHECK_EQ_INT(cc_store_edges_json(&edges, ro, repo2, "HEAD", "b.py"), CC_EDB);
	CHECK(strstr(cc_error_last(), "lacks the graph") != NULL);
	CHECK(nodes == NULL && edges == NULL);

	cc_store_free(ro);

	/* the default database path follows the repository at a path: non-bare, then bare at
	 * the same path, then gone */
	char *dbp = NULL, want[8400], real[4096];
	CHECK(realpath(repo, real) != NULL);
	for (int k = 0; k < 2; k++) { /* the second answer comes from the process's memory */
		CHECK_EQ_INT(cc_store_default_db_path(&dbp, repo), CC_OK);
		snprintf(want, sizeof(want), "%s/.git/codecomp.db", real);
		CHECK_EQ_STR(dbp, want);
		free(dbp);
		dbp = NULL;
	}
	CHECK_EQ_INT(sh("rm -rf '%s' && git init -q --bare '%s'", repo, repo), 0);
	CHECK_EQ_INT(cc_store_default_db_path(&dbp, repo), CC_OK);
	snprintf(want, sizeof(want), "%s/codecomp.db", real);
	CHECK_EQ_STR(dbp, want);
	free(dbp);
	dbp = NULL;
	CHECK_EQ_INT(sh("rm -rf '%s'", repo), 0);
	CHECK_EQ_INT(cc_store_default_db_path(&dbp, repo), CC_EGIT);
	CHECK(dbp == NULL);
	return test_result();
}
