/*
 * test_store_version.c - the analyser-version reset: a database records the
 * cc_analysis_version() its graphs come from; a database written by another (older) analyser
 * is emptied when a writer opens it, so the next index run re-analyses every blob, while a
 * reader leaves it as it is. Likewise per-file call counts recorded under other resolution
 * rules are forgotten, never carried into the next revision. Uses the python fixture
 * repository (two commits).
 */
#include "cc_store.h"
#include "test.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static char repo[4096], db[4200];

/* One text or integer result of sql on a side connection ("" / -1 when none). */
static void query_text(char *out, size_t cap, const char *sql)
{
	sqlite3 *c = NULL;
	sqlite3_stmt *st = NULL;
	out[0] = 0;
	CHECK_EQ_INT(sqlite3_open(db, &c), SQLITE_OK);
	if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0))
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(c);
}

static long query_int(const char *sql)
{
	char buf[64];
	query_text(buf, sizeof(buf), sql);
	return buf[0] ? atol(buf) : -1;
}

static void exec_sql(const char *sql)
{
	sqlite3 *c = NULL;
	CHECK_EQ_INT(sqlite3_open(db, &c), SQLITE_OK);
	CHECK_EQ_INT(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(c);
}

static uint64_t last_edges;

static void index_rev(const char *path, const char *rev, uint64_t *parsed, uint64_t *reused)
{
	cc_store *s = NULL;
	cc_index_result r;
	cc_index_opts o = {.rev = rev};
	*parsed = *reused = 0;
	CHECK_EQ_INT(cc_store_open(&s, path, 0), CC_OK);
	if (!s)
		return;
	CHECK_EQ_INT(cc_store_index_run(&r, s, repo, &o), CC_OK);
	*parsed = r.parsed_blobs;
	*reused = r.reused_blobs;
	last_edges = r.edges;
	cc_index_result_clear(&r);
	cc_store_free(s);
}

static void index_once(uint64_t *parsed, uint64_t *reused)
{
	index_rev(db, NULL, parsed, reused);
}

int main(void)
{
	const char *bin = getenv("CC_BINARY_DIR"), *src = getenv("CC_SOURCE_DIR");
	char cmd[9000], meta[256];
	uint64_t parsed, reused;

	if (!bin || !src)
		TEST_SKIP("CC_BINARY_DIR / CC_SOURCE_DIR not set (run under CTest)");
	snprintf(cmd, sizeof(cmd),
	         "bash %s/fixtures/make-repos.sh %s/store-tests/version >/dev/null", src, bin);
	CHECK_EQ_INT(system(cmd), 0);
	snprintf(repo, sizeof(repo), "%s/store-tests/version/python", bin);
	snprintf(db, sizeof(db), "%s/store-tests/version/store.db", bin);
	remove(db);

	/* A fresh database records the analysis module's version. */
	index_once(&parsed, &reused);
	CHECK_EQ_INT(parsed, 4);
	query_text(meta, sizeof(meta), "SELECT value FROM meta WHERE key='analysis'");
	CHECK_EQ_STR(meta, cc_analysis_version());
	CHECK(!strncmp(meta, "analysis ", 9));
	/* Same analyser: everything is reused. */
	index_once(&parsed, &reused);
	CHECK_EQ_INT(parsed, 0);
	CHECK_EQ_INT(reused, 4);

	/* Pretend an older analyser wrote the graphs. */
	exec_sql("UPDATE meta SET value='analysis 0000000000000000' WHERE key='analysis'");

	/* A reader neither resets nor fails: it serves what is there. */
	cc_store *ro = NULL;
	cc_store_rev *rev = NULL;
	CHECK_EQ_INT(cc_store_open(&ro, db, CC_STORE_READONLY), CC_OK);
	if (ro) {
		CHECK_EQ_INT(cc_store_rev_open(&rev, ro, repo, NULL), CC_OK);
		cc_store_rev_free(rev);
	}
	cc_store_free(ro);
	CHECK_EQ_INT(query_int("SELECT count(*) FROM blobs"), 4);

	/* A writer empties blobs and revisions and records its own version... */
	cc_store *w = NULL;
	CHECK_EQ_INT(cc_store_open(&w, db, 0), CC_OK);
	cc_store_free(w);
	CHECK_EQ_INT(query_int("SELECT count(*) FROM blobs"), 0);
	CHECK_EQ_INT(query_int("SELECT count(*) FROM revs"), 0);
	CHECK_EQ_INT(query_int("SELECT count(*) FROM rev_files"), 0);
	query_text(meta, sizeof(meta), "SELECT value FROM meta WHERE key='analysis'");
	CHECK_EQ_STR(meta, cc_analysis_version());
	/* ...so the next run analyses every blob again. */
	index_once(&parsed, &reused);
	CHECK_EQ_INT(parsed, 4);
	CHECK_EQ_INT(reused, 0);
	index_once(&parsed, &reused);
	CHECK_EQ_INT(parsed, 0);

	/* Call counts from other resolution rules (simulated: wrong counts, another rules
	 * version) are forgotten by the next writer... */
	exec_sql("UPDATE rev_files SET n_calls = n_calls + 100;"
	         "UPDATE meta SET value='0' WHERE key='resolver'");
	CHECK_EQ_INT(cc_store_open(&w, db, 0), CC_OK);
	cc_store_free(w);
	CHECK_EQ_INT(query_int("SELECT count(*) FROM rev_files WHERE n_calls >= 0"), 0);
	query_text(meta, sizeof(meta), "SELECT value FROM meta WHERE key='resolver'");
	CHECK(meta[0] && strcmp(meta, "0") != 0);
	/* ...so the previous commit, indexed next, counts the same edges as in a fresh database
	 * rather than carrying the wrong counts over. */
	char fresh[4300];
	uint64_t want;
	snprintf(fresh, sizeof(fresh), "%s.fresh", db);
	remove(fresh);
	index_rev(fresh, "HEAD~1", &parsed, &reused);
	want = last_edges;
	CHECK(want > 0);
	index_rev(db, "HEAD~1", &parsed, &reused);
	CHECK_EQ_INT(last_edges, want);
	return test_result();
}
