/*
 * query.c - what the CLI and the daemon both print, as C structs: the nodes and the edges of
 * one file of an indexed revision, and a status summary of the whole store. Their JSON is
 * written once, in reply.c (cc_store_reply.h).
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- nodes ---- */

/* The graph (nodes only) of path in the revision: one statement on the usual path; when it
 * finds no row, the step-by-step look-ups say what is missing. */
static int load_nodes(cc_file_graph **g, int64_t *blob_id, cc_store *s, const char *repo_path,
                      const char *rev, const char *path)
{
	git_repository *repo;
	const char *key;
	sqlite3_stmt *st;
	char commit[41], *rel = NULL;
	int64_t rev_id;
	int rc, sqlrc;

	*g = NULL;
	if ((rc = cc_store_repo(&repo, &key, s, repo_path)))
		return rc;
	if (rev && !strcmp(rev, CC_STORE_WORKTREE))
		snprintf(commit, sizeof(commit), "worktree");
	else if ((rc = cc_git_resolve(commit, repo, rev)))
		return rc;
	if (!(rel = cc_git_relpath(repo, path))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = cc_store_stmt(&st, s, CC_STMT_FILE_GRAPH, "loading a graph")))
		goto out;
	sqlite3_bind_text(st, 1, rel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, commit, -1, SQLITE_STATIC);
	sqlrc = sqlite3_step(st);
	if (sqlrc == SQLITE_ROW) {
		*blob_id = sqlite3_column_int64(st, 0);
		rc = cc_graph_decode_part(g, sqlite3_column_blob(st, 1),
		                          (size_t)sqlite3_column_bytes(st, 1), 1);
	} else if (sqlrc != SQLITE_DONE) {
		rc = cc_store_sqlerr(s, sqlrc, "loading a graph");
	}
	sqlite3_reset(st);
	if (rc || sqlrc == SQLITE_ROW)
		goto out;
	/* No row: the revision is not indexed, the path is not in it, or the graph is missing
	 * (each look-up below fails with its message; should all succeed, an index run has
	 * just added the file: answer with it). */
	if ((rc = cc_store_find_rev(&rev_id, commit, NULL, s, repo_path, rev)) ||
	    (rc = cc_store_rev_blob(blob_id, s, rev_id, rel)) ||
	    (rc = cc_store_load_blob(g, NULL, NULL, s, *blob_id)))
		goto out;
out:
	free(rel);
	return rc;
}

int cc_store_file_nodes(cc_store_file **out, cc_store *s, const char *repo_path,
                        const char *rev, const char *path)
{
	int64_t blob_id = 0;
	cc_file_graph *g = NULL;
	cc_store_file *f;
	int rc;

	*out = NULL;
	if ((rc = load_nodes(&g, &blob_id, s, repo_path, rev, path)))
		return rc;
	if (!(f = calloc(1, sizeof(*f)))) {
		cc_file_graph_free(g);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	f->graph = g;
	f->base_id = blob_id << CC_STORE_ID_SHIFT;
	*out = f;
	return CC_OK;
}

/* ---- edges ---- */

int cc_store_file_edges(cc_store_file **out, cc_store *s, const char *repo_path,
                        const char *rev, const char *path)
{
	git_repository *repo = NULL;
	cc_store_rev *r = NULL;
	char *rel = NULL, commit[41];
	int64_t rev_id;
	int rc;

	*out = NULL;
	if ((rc = cc_store_find_rev(&rev_id, commit, &repo, s, repo_path, rev)))
		return rc;
	if (!(rel = cc_git_relpath(repo, path)))
		return cc_error_set(CC_ENOMEM, "out of memory");
	if ((rc = cc_store_rev_cached(&r, s, rev_id, commit)) == CC_OK)
		rc = cc_store_rev_file_ex(out, r, rel, 0);
	free(rel);
	return rc;
}

/* ---- status ---- */

void cc_store_status_clear(cc_store_status *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n_repos; i++) {
		for (size_t j = 0; j < st->repos[i].n_revs; j++) {
			cc_store_status_rev *rv = &st->repos[i].revs[j];
			for (size_t k = 0; k < rv->n_error_files; k++) {
				free(rv->error_files[k].path);
				free(rv->error_files[k].reason);
			}
			free(rv->error_files);
		}
		free(st->repos[i].path);
		free(st->repos[i].revs);
	}
	free(st->repos);
	free(st->db);
	memset(st, 0, sizeof(*st));
}

/* The files of revision rev_id that did not give a clean graph (cc_store_error_file), at most
 * CC_STORE_STATUS_MAX_ERROR_FILES of them into rv, all counted in rv->error_files_total. */
static int error_files_read(cc_store_status_rev *rv, cc_store *s, int64_t rev_id)
{
	static const char sql[] =
		"SELECT path, hex(oid), n_errors, NULL, 0 AS skipped FROM rev_files JOIN blobs ON "
		"blobs.id = rev_files.blob_id WHERE rev_id=?1 AND n_errors > 0 "
		"UNION ALL SELECT path, NULL, 0, reason, 1 FROM rev_skipped WHERE rev_id=?1 "
		"ORDER BY 5, 1";
	sqlite3_stmt *st = NULL;
	int rc = CC_OK, sqlrc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return cc_store_sqlerr(s, sqlite3_errcode(s->db), "reading the files with errors");
	sqlite3_bind_int64(st, 1, rev_id);
	while ((sqlrc = sqlite3_step(st)) == SQLITE_ROW) {
		char why[64];
		const char *blob = (const char *)sqlite3_column_text(st, 1);
		const char *reason = (const char *)sqlite3_column_text(st, 3);
		if (++rv->error_files_total > CC_STORE_STATUS_MAX_ERROR_FILES)
			continue;
		if (!rv->error_files &&
		    !(rv->error_files = calloc(CC_STORE_STATUS_MAX_ERROR_FILES,
		                               sizeof(cc_store_error_file)))) {
			rc = cc_error_set(CC_ENOMEM, "reading the files with errors");
			goto out;
		}
		if (!reason) {
			int64_t n = sqlite3_column_int64(st, 2);
			snprintf(why, sizeof(why), "%lld syntax error%s", (long long)n, n == 1 ? "" : "s");
			reason = why;
		}
		cc_store_error_file *e = &rv->error_files[rv->n_error_files++];
		const char *path = (const char *)sqlite3_column_text(st, 0);
		if (!(e->path = strdup(path ? path : "")) || !(e->reason = strdup(reason))) {
			rc = cc_error_set(CC_ENOMEM, "reading the files with errors");
			goto out;
		}
		/* hex() is upper case; git spells object ids in lower case */
		for (size_t i = 0; blob && i < 40 && blob[i]; i++)
			e->blob[i] = (char)(blob[i] >= 'A' && blob[i] <= 'F' ? blob[i] + 32 : blob[i]);
	}
	if (sqlrc != SQLITE_DONE)
		rc = cc_store_sqlerr(s, sqlrc, "reading the files with errors");
out:
	sqlite3_finalize(st);
	return rc;
}

int cc_store_status_read(cc_store_status *out, cc_store *s)
{
	sqlite3_stmt *st = NULL, *rst = NULL;
	struct stat sb;
	size_t cap = 0;
	int rc = CC_OK, sqlrc;
	char wal[4200];

	memset(out, 0, sizeof(*out));
	if (stat(s->path, &sb) == 0)
		out->db_bytes += sb.st_size;
	snprintf(wal, sizeof(wal), "%s-wal", s->path);
	if (stat(wal, &sb) == 0)
		out->db_bytes += sb.st_size;
	out->schema_version = CC_STORE_SCHEMA_VERSION;
	if (!(out->db = strdup(s->path)))
		goto oom;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*), coalesce(sum(size), 0) FROM blobs", -1,
	                       &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = cc_store_sqlerr(s, sqlite3_errcode(s->db), "reading the status");
		goto out;
	}
	out->blobs = sqlite3_column_int64(st, 0);
	out->blob_bytes = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(s->db, "SELECT id, path FROM repos ORDER BY path", -1, &st, NULL) !=
	            SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
	                       "SELECT commit_hex, files, bytes, nodes, edges, errors, indexed_at, id "
	                       "FROM revs WHERE repo_id=? ORDER BY indexed_at, id",
	                       -1, &rst, NULL) != SQLITE_OK) {
		rc = cc_store_sqlerr(s, sqlite3_errcode(s->db), "reading the status");
		goto out;
	}
	while ((sqlrc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n_repos == cap) {
			size_t c = cap ? cap * 2 : 4;
			cc_store_status_repo *v = realloc(out->repos, c * sizeof(*v));
			if (!v)
				goto oom;
			out->repos = v;
			cap = c;
		}
		cc_store_status_repo *repo = &out->repos[out->n_repos];
		size_t rcap = 0;
		memset(repo, 0, sizeof(*repo));
		out->n_repos++;
		if (!(repo->path = strdup((const char *)sqlite3_column_text(st, 1))))
			goto oom;
		sqlite3_bind_int64(rst, 1, sqlite3_column_int64(st, 0));
		while (sqlite3_step(rst) == SQLITE_ROW) {
			if (repo->n_revs == rcap) {
				size_t c = rcap ? rcap * 2 : 4;
				cc_store_status_rev *v = realloc(repo->revs, c * sizeof(*v));
				if (!v) {
					sqlite3_reset(rst);
					goto oom;
				}
				repo->revs = v;
				rcap = c;
			}
			cc_store_status_rev *rv = &repo->revs[repo->n_revs++];
			memset(rv, 0, sizeof(*rv));
			snprintf(rv->commit, sizeof(rv->commit), "%s",
			         (const char *)sqlite3_column_text(rst, 0));
			rv->files = sqlite3_column_int64(rst, 1);
			rv->bytes = sqlite3_column_int64(rst, 2);
			rv->nodes = sqlite3_column_int64(rst, 3);
			rv->edges = sqlite3_column_int64(rst, 4);
			rv->errors = sqlite3_column_int64(rst, 5);
			rv->indexed_at = sqlite3_column_int64(rst, 6);
			if ((rc = error_files_read(rv, s, sqlite3_column_int64(rst, 7)))) {
				sqlite3_reset(rst);
				goto out;
			}
		}
		sqlite3_reset(rst);
	}
	if (sqlrc != SQLITE_DONE)
		rc = cc_store_sqlerr(s, sqlrc, "reading the status");
out:
	sqlite3_finalize(st);
	sqlite3_finalize(rst);
	if (rc)
		cc_store_status_clear(out);
	return rc;
oom:
	rc = cc_error_set(CC_ENOMEM, "out of memory reading the status");
	goto out;
}
