/*
 * query.c - the JSON answers the CLI and the daemon both print: the nodes and the edges of
 * one file of an indexed revision, and a status summary of the whole store. One
 * implementation, so that `codecomp nodes` and the daemon's `nodes` are byte-identical.
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A JSON string from bytes that may not be valid UTF-8 (names from damaged sources): invalid
 * bytes become U+FFFD rather than failing the whole answer. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s), o = 0;
	char *buf = cc_xmalloc(n * 3 + 1);
	for (size_t i = 0; i < n;) {
		size_t len = 1;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0xf0)
			len = 4;
		else if (c >= 0xe0)
			len = 3;
		else if (c >= 0xc0)
			len = 2;
		if (c >= 0x80 && (i + len > n || !cc_utf8_valid(s + i, len)))
			len = 0;
		if (len == 0) {
			memcpy(buf + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		} else {
			memcpy(buf + o, s + i, len);
			o += len;
			i += len;
		}
	}
	buf[o] = 0;
	j = json_string(buf);
	free(buf);
	return j;
}

static int open_file(int64_t *rev_id, int64_t *blob_id, char **rel, cc_store *s,
                     const char *repo_path, const char *rev, const char *path)
{
	git_repository *repo = NULL;
	char commit[41];
	int rc;
	*rel = NULL;
	if ((rc = cc_store_find_rev(rev_id, commit, &repo, s, repo_path, rev)))
		return rc;
	*rel = cc_git_relpath(repo, path);
	git_repository_free(repo);
	if (blob_id && (rc = cc_store_rev_blob(blob_id, s, *rev_id, *rel))) {
		free(*rel);
		*rel = NULL;
	}
	return rc;
}

static json_t *node_json(const cc_file_graph *g, uint32_t i, int64_t base)
{
	const cc_node *n = &g->nodes[i];
	json_t *o = json_object();
	const char *name = cc_graph_str(g, n->name);
	json_object_set_new(o, "id", json_integer(base + i));
	json_object_set_new(o, "kind", json_string(cc_node_kind_name((cc_node_kind)n->kind)));
	json_object_set_new(o, "name", *name ? jstr(name) : json_null());
	json_object_set_new(o, "start_byte", json_integer(n->start_byte));
	json_object_set_new(o, "end_byte", json_integer(n->end_byte));
	json_object_set_new(o, "start_line", json_integer(n->start_line));
	json_object_set_new(o, "end_line", json_integer(n->end_line));
	return o;
}

int cc_store_nodes_json(json_t **out, cc_store *s, const char *repo_path, const char *rev,
                        const char *path)
{
	int64_t rev_id, blob_id;
	char *rel = NULL;
	cc_file_graph *g = NULL;
	json_t *a = NULL;
	int rc;

	*out = NULL;
	if ((rc = open_file(&rev_id, &blob_id, &rel, s, repo_path, rev, path)))
		return rc;
	if ((rc = cc_store_load_blob(&g, NULL, NULL, s, blob_id)))
		goto out;
	a = json_array();
	int64_t base = blob_id << CC_STORE_ID_SHIFT;
	for (uint32_t i = 0; i < g->n_nodes; i++)
		json_array_append_new(a, node_json(g, i, base));
	*out = a;
out:
	cc_file_graph_free(g);
	free(rel);
	return rc;
}

static json_t *edge_json(const char *kind, int64_t src, int64_t dst, const char *var,
                         double conf)
{
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(kind));
	json_object_set_new(o, "src", json_integer(src));
	json_object_set_new(o, "dst", json_integer(dst));
	json_object_set_new(o, "var", var && *var ? jstr(var) : json_null());
	json_object_set_new(o, "confidence", json_real(conf));
	return o;
}

int cc_store_edges_json(json_t **out, cc_store *s, const char *repo_path, const char *rev,
                        const char *path)
{
	git_repository *repo = NULL;
	cc_store_rev *r = NULL;
	cc_store_file *f = NULL;
	char *rel = NULL;
	json_t *a;
	int rc;

	*out = NULL;
	if ((rc = cc_git_open(&repo, repo_path)))
		return rc;
	rel = cc_git_relpath(repo, path);
	git_repository_free(repo);
	if ((rc = cc_store_rev_open(&r, s, repo_path, rev)) || (rc = cc_store_rev_file(&f, r, rel)))
		goto out;
	a = json_array();
	const cc_file_graph *g = f->graph;
	for (uint32_t i = 0; i < g->n_edges; i++) {
		const cc_edge *e = &g->edges[i];
		json_array_append_new(a, edge_json(cc_edge_kind_name((cc_edge_kind)e->kind),
		                                   f->base_id + e->src, f->base_id + e->dst,
		                                   e->kind == CC_EDGE_REACHING_DEF
		                                           ? cc_graph_str(g, e->var)
		                                           : NULL,
		                                   e->confidence));
	}
	for (size_t i = 0; i < f->n_calls; i++)
		json_array_append_new(a, edge_json(cc_edge_kind_name(CC_EDGE_CALL), f->calls[i].src,
		                                   f->calls[i].dst, NULL, f->calls[i].confidence));
	*out = a;
out:
	cc_store_file_free(f);
	cc_store_rev_free(r);
	free(rel);
	return rc;
}

int cc_store_status_json(json_t **out, cc_store *s)
{
	sqlite3_stmt *st = NULL, *rst = NULL;
	json_t *o = json_object(), *repos = json_array();
	struct stat sb;
	int64_t bytes = 0;
	int rc = CC_OK, sqlrc;
	char wal[4200];

	*out = NULL;
	if (stat(s->path, &sb) == 0)
		bytes += sb.st_size;
	snprintf(wal, sizeof(wal), "%s-wal", s->path);
	if (stat(wal, &sb) == 0)
		bytes += sb.st_size;
	json_object_set_new(o, "db", jstr(s->path));
	json_object_set_new(o, "db_bytes", json_integer(bytes));
	json_object_set_new(o, "schema_version", json_integer(CC_STORE_SCHEMA_VERSION));
	if (sqlite3_prepare_v2(s->db, "SELECT count(*), coalesce(sum(size), 0) FROM blobs", -1,
	                       &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = cc_store_sqlerr(s, sqlite3_errcode(s->db), "reading the status");
		goto out;
	}
	json_object_set_new(o, "blobs", json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(o, "blob_bytes", json_integer(sqlite3_column_int64(st, 1)));
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(s->db, "SELECT id, path FROM repos ORDER BY path", -1, &st, NULL) !=
	        SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
	                       "SELECT commit_hex, files, bytes, nodes, edges, errors, indexed_at "
	                       "FROM revs WHERE repo_id=? ORDER BY indexed_at, id",
	                       -1, &rst, NULL) != SQLITE_OK) {
		rc = cc_store_sqlerr(s, sqlite3_errcode(s->db), "reading the status");
		goto out;
	}
	while ((sqlrc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *repo = json_object(), *revs = json_array();
		json_object_set_new(repo, "path", jstr((const char *)sqlite3_column_text(st, 1)));
		sqlite3_bind_int64(rst, 1, sqlite3_column_int64(st, 0));
		while (sqlite3_step(rst) == SQLITE_ROW) {
			json_t *rv = json_object();
			const char *c = (const char *)sqlite3_column_text(rst, 0);
			json_object_set_new(rv, "rev", json_string(c));
			json_object_set_new(rv, "commit",
			                    strcmp(c, "worktree") ? json_string(c) : json_null());
			json_object_set_new(rv, "files", json_integer(sqlite3_column_int64(rst, 1)));
			json_object_set_new(rv, "bytes", json_integer(sqlite3_column_int64(rst, 2)));
			json_object_set_new(rv, "nodes", json_integer(sqlite3_column_int64(rst, 3)));
			json_object_set_new(rv, "edges", json_integer(sqlite3_column_int64(rst, 4)));
			json_object_set_new(rv, "errors", json_integer(sqlite3_column_int64(rst, 5)));
			json_object_set_new(rv, "indexed_at",
			                    json_integer(sqlite3_column_int64(rst, 6)));
			json_array_append_new(revs, rv);
		}
		sqlite3_reset(rst);
		json_object_set_new(repo, "revisions", revs);
		json_array_append_new(repos, repo);
	}
	if (sqlrc != SQLITE_DONE) {
		rc = cc_store_sqlerr(s, sqlrc, "reading the status");
		goto out;
	}
	json_object_set_new(o, "repos", repos);
	repos = NULL;
	*out = o;
	o = NULL;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(rst);
	json_decref(repos);
	json_decref(o);
	return rc;
}

int cc_store_default_db_path(char **out, const char *repo_path)
{
	git_repository *repo = NULL;
	int rc;
	*out = NULL;
	if ((rc = cc_git_open(&repo, repo_path)))
		return rc;
	const char *gd = git_repository_path(repo); /* ends with '/' */
	size_t n = strlen(gd);
	*out = cc_xmalloc(n + 16);
	snprintf(*out, n + 16, "%s%scodecomp.db", gd, n && gd[n - 1] == '/' ? "" : "/");
	git_repository_free(repo);
	return CC_OK;
}
