/*
 * schema.c - opening the database, its schema and the migrations between versions.
 *
 * Schema, version 4 (PRAGMA user_version = 4, PRAGMA application_id = 0x63634442 "ccDB"):
 *
 *   repos(id, path UNIQUE)             one row per repository (absolute work tree or git dir)
 *   blobs(id, oid, lang, size, n_nodes, n_edges, n_errors, links, UNIQUE(oid, lang))
 *                                      one row per analysed git blob (oid = 20 raw bytes) and
 *                                      language it was read as (version 4; before: per oid);
 *                                      links = what call resolution needs (definitions, calls,
 *                                      imports; codec.c), small so a revision loads it quickly
 *   graphs(blob_id PK, graph)          nodes and intra-file edges of the blob (codec.c)
 *   contents(blob_id PK, content)      the blob's bytes (readers need them for spans)
 *   revs(id, repo_id, commit_hex, indexed_at, files, bytes, nodes, edges, errors,
 *        UNIQUE(repo_id, commit_hex))  an indexed revision ("worktree" for the work tree);
 *                                      inserted last, in the transaction that lists its files,
 *                                      so a revision is either complete or absent
 *   rev_files(rev_id, path, blob_id, n_calls)
 *                                      the files of a revision (WITHOUT ROWID, PK rev_id, path);
 *                                      n_calls = call edges leaving the file in that revision
 *                                      (version 3; -1 = not known), what the next revision
 *                                      carries forward for files whose calls cannot have
 *                                      changed (rev.c)
 *   rev_skipped(rev_id, path, reason)  what the revision's index run skipped and why
 *   meta(key, value)                   'analysis': the analyser version the graphs come from;
 *                                      'resolver': the call resolution rules the stored
 *                                      n_calls come from (CC_STORE_RESOLVER_VERSION)
 *   skipped_blobs(oid PK, reason, size) blobs skipped for their content (binary, generated
 *                                      marker, analysis failure) or size, so that later runs
 *                                      do not read them again (version 2); a too-large blob
 *                                      is parsed when a run allows its size

 *
 * Global node id = (blobs.id << 24) | node index. Blobs are written in batches, one
 * transaction each, before their revision; rows of blobs never change once written, so an
 * interrupted run leaves only complete blobs behind and the next run reuses them.
 *
 * Graphs are only as good as the analyser that made them: when a writer opens a database whose
 * 'analysis' version differs from its own (cc_analysis_version(): a digest of the analysis
 * module's sources, queries and grammar versions), it empties blobs and revisions so that the
 * next index run re-analyses everything rather than mixing graphs of two analysers. Readers
 * (CC_STORE_READONLY) never reset.
 *
 * Migrations: migrations[v] brings a database from version v to v + 1 inside one transaction;
 * a database newer than this build is refused rather than guessed at.
 */
#include "store_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CC_STORE_APP_ID 0x63634442

static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE repos(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);"
	"CREATE TABLE blobs(id INTEGER PRIMARY KEY, oid BLOB NOT NULL UNIQUE,"
	" lang INTEGER NOT NULL, size INTEGER NOT NULL, n_nodes INTEGER NOT NULL,"
	" n_edges INTEGER NOT NULL, n_errors INTEGER NOT NULL, links BLOB NOT NULL);"
	"CREATE TABLE graphs(blob_id INTEGER PRIMARY KEY, graph BLOB NOT NULL);"
	"CREATE TABLE contents(blob_id INTEGER PRIMARY KEY, content BLOB NOT NULL);"
	"CREATE TABLE revs(id INTEGER PRIMARY KEY, repo_id INTEGER NOT NULL,"
	" commit_hex TEXT NOT NULL, indexed_at INTEGER NOT NULL, files INTEGER NOT NULL,"
	" bytes INTEGER NOT NULL, nodes INTEGER NOT NULL, edges INTEGER NOT NULL,"
	" errors INTEGER NOT NULL, UNIQUE(repo_id, commit_hex));"
	"CREATE TABLE rev_files(rev_id INTEGER NOT NULL, path TEXT NOT NULL,"
	" blob_id INTEGER NOT NULL, PRIMARY KEY(rev_id, path)) WITHOUT ROWID;"
	"CREATE TABLE rev_skipped(rev_id INTEGER NOT NULL, path TEXT NOT NULL,"
	" reason TEXT NOT NULL, PRIMARY KEY(rev_id, path)) WITHOUT ROWID;"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;",
	/* 1 -> 2: remember blobs skipped for their content, so later runs need not read them */
	"CREATE TABLE skipped_blobs(oid BLOB PRIMARY KEY, reason TEXT NOT NULL,"
	" size INTEGER NOT NULL) WITHOUT ROWID;",
	/* 2 -> 3: per-file call edge counts, so an incremental run re-resolves only what a
	 * commit can have changed */
	"ALTER TABLE rev_files ADD COLUMN n_calls INTEGER NOT NULL DEFAULT -1;",
	/* 3 -> 4: a blob is analysed once per language it is read as (an identical .h and .c,
	 * or .js and .ts, must not share a parse): the key is (oid, lang) */
	"CREATE TABLE blobs_v4(id INTEGER PRIMARY KEY, oid BLOB NOT NULL,"
	" lang INTEGER NOT NULL, size INTEGER NOT NULL, n_nodes INTEGER NOT NULL,"
	" n_edges INTEGER NOT NULL, n_errors INTEGER NOT NULL, links BLOB NOT NULL,"
	" UNIQUE(oid, lang));"
	"INSERT INTO blobs_v4 SELECT id, oid, lang, size, n_nodes, n_edges, n_errors, links"
	" FROM blobs;"
	"DROP TABLE blobs;"
	"ALTER TABLE blobs_v4 RENAME TO blobs;",
};
#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int cc_store_sqlerr(cc_store *s, int sqlrc, const char *what)
{
	int prim = sqlrc & 0xff;
	const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(sqlrc);
	const char *path = s && s->path ? s->path : "(database)";
	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		return cc_error_set(CC_EBUSY, "database %s is locked by another process (%s)", path,
		                    what);
	if (prim == SQLITE_NOTADB || prim == SQLITE_CORRUPT)
		return cc_error_set(CC_EDB, "database %s is corrupt or not a database (%s: %s)", path,
		                    what, msg);
	if (prim == SQLITE_READONLY)
		return cc_error_set(CC_EDB, "database %s is read-only (%s)", path, what);
	return cc_error_set(CC_EDB, "database %s: %s: %s", path, what, msg);
}

static int pragma_int(cc_store *s, const char *sql, int *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? CC_OK : cc_store_sqlerr(s, rc, "reading the schema version");
}

static int count_tables(cc_store *s, int *out)
{
	return pragma_int(s, "SELECT count(*) FROM sqlite_master", out);
}

static int migrate(cc_store *s)
{
	int version = 0, app = 0, ntab = 0, rc;
	char *err = NULL;

	if ((rc = pragma_int(s, "PRAGMA application_id", &app)) ||
	    (rc = pragma_int(s, "PRAGMA user_version", &version)) || (rc = count_tables(s, &ntab)))
		return rc;
	if (version > CC_STORE_SCHEMA_VERSION)
		return cc_error_set(CC_EDB,
		                    "database %s has schema version %d, newer than this codecomp (%d)",
		                    s->path, version, CC_STORE_SCHEMA_VERSION);
	if ((version > 0 || ntab > 0) && app != CC_STORE_APP_ID)
		return cc_error_set(CC_EDB, "database %s is a SQLite database but not codecomp's",
		                    s->path);
	if (version == CC_STORE_SCHEMA_VERSION)
		return CC_OK;
	if (s->readonly)
		return cc_error_set(CC_EDB, "database %s has schema version %d; run codecomp index to "
		                            "upgrade it",
		                    s->path, version);
	rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return cc_store_sqlerr(s, rc, "starting the schema migration");
	/* Re-read under the write lock: another process may have migrated meanwhile. */
	if ((rc = pragma_int(s, "PRAGMA user_version", &version)))
		goto fail;
	for (; version < CC_STORE_SCHEMA_VERSION && version < N_MIGRATIONS; version++) {
		char sql[128];
		if (sqlite3_exec(s->db, migrations[version], NULL, NULL, &err) != SQLITE_OK) {
			rc = cc_error_set(CC_EDB, "database %s: migration to version %d failed: %s",
			                  s->path, version + 1, err ? err : "?");
			goto fail;
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d; PRAGMA application_id = %d",
		         version + 1, CC_STORE_APP_ID);
		if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
			rc = cc_store_sqlerr(s, sqlite3_errcode(s->db), "setting the schema version");
			goto fail;
		}
	}
	rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return cc_store_sqlerr(s, rc, "committing the schema migration");
	return CC_OK;
fail:
	sqlite3_free(err);
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* The analyser version graphs are keyed on. A strong reference on purpose: with a weak one,
 * a program that happened not to pull the analysis object defining it into its link would
 * see another version and empty the database on its first writable open. */
static const char *analysis_version(void)
{
	return cc_analysis_version();
}

/* Drop every graph when they were made by another analyser version (see the top). */
static int check_analysis_version(cc_store *s)
{
	sqlite3_stmt *st = NULL;
	const char *want = analysis_version();
	int same = 0, rc;
	rc = sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key='analysis'", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return cc_store_sqlerr(s, rc, "reading the analysis version");
	if (sqlite3_step(st) == SQLITE_ROW)
		same = !strcmp((const char *)sqlite3_column_text(st, 0), want);
	sqlite3_finalize(st);
	if (same)
		return CC_OK;
	char *sql = sqlite3_mprintf(
		"BEGIN IMMEDIATE; DELETE FROM rev_files; DELETE FROM rev_skipped; DELETE FROM revs;"
		"DELETE FROM graphs; DELETE FROM contents; DELETE FROM blobs; DELETE FROM skipped_blobs;"
		"INSERT OR REPLACE INTO meta(key, value) VALUES('analysis', %Q); COMMIT",
		want);
	rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK) {
		int r = cc_store_sqlerr(s, rc, "resetting graphs of another analyser version");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return r;
	}
	return CC_OK;
}

/* Forget per-file call counts made under other resolution rules (see store_int.h): the next
 * index run then resolves every file instead of carrying stale counts forward. */
static int check_resolver_version(cc_store *s)
{
	sqlite3_stmt *st = NULL;
	int same = 0, rc;
	rc = sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key='resolver'", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return cc_store_sqlerr(s, rc, "reading the resolver version");
	if (sqlite3_step(st) == SQLITE_ROW)
		same = !strcmp((const char *)sqlite3_column_text(st, 0), CC_STORE_RESOLVER_VERSION);
	sqlite3_finalize(st);
	if (same)
		return CC_OK;
	rc = sqlite3_exec(s->db,
	                  "BEGIN IMMEDIATE; UPDATE rev_files SET n_calls=-1 WHERE n_calls>=0;"
	                  "INSERT OR REPLACE INTO meta(key, value) VALUES('resolver', '" CC_STORE_RESOLVER_VERSION
	                  "'); COMMIT",
	                  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int r = cc_store_sqlerr(s, rc, "resetting call counts of other resolution rules");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return r;
	}
	return CC_OK;
}

void cc_store_set_busy_timeout(cc_store *s, int ms)
{
	if (s && s->db)
		sqlite3_busy_timeout(s->db, ms);
}

int cc_store_open(cc_store **out, const char *db_path, int flags)
{
	cc_store *s = NULL;
	struct stat st;
	int rc = CC_OK, sqlrc, ms = 5000;
	const char *env = getenv("CODECOMP_BUSY_TIMEOUT_MS");

	*out = NULL;
	if (!db_path || !*db_path)
		return cc_error_set(CC_EINVAL, "no database path");
	if ((flags & CC_STORE_READONLY) && stat(db_path, &st) != 0)
		return cc_error_set(CC_ENOTFOUND, "no index database at %s (run codecomp index first)",
		                    db_path);
	if (!(s = calloc(1, sizeof(*s))) || !(s->path = strdup(db_path))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	s->readonly = !!(flags & CC_STORE_READONLY);
	sqlrc = sqlite3_open_v2(db_path, &s->db,
	                        s->readonly ? SQLITE_OPEN_READONLY
	                                    : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	                        NULL);
	if (sqlrc != SQLITE_OK) {
		rc = cc_error_set(sqlrc == SQLITE_CANTOPEN ? CC_EIO : CC_EDB,
		                  "cannot open database %s: %s", db_path,
		                  s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(sqlrc));
		goto out;
	}
	if (env && *env)
		ms = atoi(env);
	sqlite3_busy_timeout(s->db, ms);
	sqlite3_extended_result_codes(s->db, 1);
	if (!s->readonly) {
		/* WAL: readers never block the indexer nor it them; NORMAL sync is crash-safe in
		 * WAL mode (a power loss may lose the last commits, never consistency). */
		sqlrc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		if (sqlrc != SQLITE_OK) {
			rc = cc_store_sqlerr(s, sqlrc, "opening");
			goto out;
		}
		sqlite3_exec(s->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
	}
	sqlite3_exec(s->db, "PRAGMA cache_size=-32000", NULL, NULL, NULL);
	if ((rc = migrate(s)))
		goto out;
	if (!s->readonly &&
	    ((rc = check_analysis_version(s)) || (rc = check_resolver_version(s))))
		goto out;
	*out = s;
	s = NULL;
out:
	if (s) { /* nothing is cached yet: no cc_store_free (cache.c sits above this file) */
		sqlite3_close_v2(s->db);
		free(s->path);
		free(s);
	}
	return rc;
}
