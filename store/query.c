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

/* ---- values shared inside one answer ----
 *
 * An answer has thousands of small objects whose scalar values repeat: kinds, names,
 * line numbers, byte offsets, node ids of edge ends, confidences. Each distinct value is made
 * once per answer and referenced from every object that holds it (jansson values are
 * reference counted), which saves most allocations of building and of freeing the tree;
 * the JSON text is the same. */

typedef struct {
	uint64_t key;
	json_t *v; /* NULL: empty slot */
} intern_slot;

typedef struct {
	intern_slot *slot;
	size_t cap, n; /* cap: a power of two */
} intern_tab;

static void intern_init(intern_tab *t, size_t expect)
{
	t->cap = 64;
	while (t->cap < expect * 2)
		t->cap *= 2;
	t->n = 0;
	t->slot = cc_xcalloc(t->cap, sizeof(intern_slot));
}

static void intern_clear(intern_tab *t)
{
	for (size_t i = 0; i < t->cap; i++)
		json_decref(t->slot[i].v);
	free(t->slot);
	t->slot = NULL;
	t->cap = t->n = 0;
}

static size_t intern_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (size_t)k;
}

/* The slot of key: its value, or the empty slot where it goes. */
static intern_slot *intern_find(intern_tab *t, uint64_t key)
{
	if ((t->n + 1) * 2 > t->cap) {
		intern_tab g = {cc_xcalloc(t->cap * 2, sizeof(intern_slot)), t->cap * 2, t->n};
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->slot[i].v)
				continue;
			size_t j = intern_hash(t->slot[i].key) & (g.cap - 1);
			while (g.slot[j].v)
				j = (j + 1) & (g.cap - 1);
			g.slot[j] = t->slot[i];
		}
		free(t->slot);
		*t = g;
	}
	size_t j = intern_hash(key) & (t->cap - 1);
	while (t->slot[j].v && t->slot[j].key != key)
		j = (j + 1) & (t->cap - 1);
	return &t->slot[j];
}

/* A new reference to the shared value of key, made by make(key) when absent. */
static json_t *intern(intern_tab *t, uint64_t key, json_t *(*make)(uint64_t key))
{
	intern_slot *sl = intern_find(t, key);
	if (!sl->v) {
		sl->v = make(key);
		if (!sl->v)
			return NULL;
		sl->key = key;
		t->n++;
	}
	return json_incref(sl->v);
}

static json_t *make_int(uint64_t key) { return json_integer((json_int_t)key); }

static json_t *make_real(uint64_t key)
{
	double d;
	memcpy(&d, &key, sizeof(d));
	return json_real(d);
}

static json_t *intern_int(intern_tab *t, int64_t v) { return intern(t, (uint64_t)v, make_int); }

static json_t *intern_real(intern_tab *t, double d)
{
	uint64_t k;
	memcpy(&k, &d, sizeof(k));
	return intern(t, k, make_real);
}

/* Strings of one graph's string table, keyed by offset (non-empty strings only). */
static json_t *intern_name(intern_tab *t, const cc_file_graph *g, uint32_t off)
{
	intern_slot *sl = intern_find(t, off);
	if (!sl->v) {
		sl->v = jstr(cc_graph_str(g, off));
		if (!sl->v)
			return NULL;
		sl->key = off;
		t->n++;
	}
	return json_incref(sl->v);
}

/* Kind names (static ASCII), one value per kind. */
static json_t *kind_value(json_t **cache, size_t n, unsigned kind, const char *name)
{
	if (kind >= n)
		return json_string(name);
	if (!cache[kind])
		cache[kind] = json_string_nocheck(name);
	return json_incref(cache[kind]);
}

static void kinds_clear(json_t **cache, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(cache[i]);
}

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
	rel = cc_git_relpath(repo, path);
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

static json_t *node_json(const cc_file_graph *g, uint32_t i, int64_t base, json_t **kinds,
                         intern_tab *ints, intern_tab *names)
{
	const cc_node *n = &g->nodes[i];
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new_nocheck(o, "id", json_integer(base + i));
	json_object_set_new_nocheck(o, "kind", kind_value(kinds, CC_NODE_KIND_COUNT, n->kind,
	                                                  cc_node_kind_name((cc_node_kind)n->kind)));
	json_object_set_new_nocheck(o, "name",
	                            *cc_graph_str(g, n->name) ? intern_name(names, g, n->name)
	                                                      : json_null());
	json_object_set_new_nocheck(o, "start_byte", intern_int(ints, n->start_byte));
	json_object_set_new_nocheck(o, "end_byte", intern_int(ints, n->end_byte));
	json_object_set_new_nocheck(o, "start_line", intern_int(ints, n->start_line));
	json_object_set_new_nocheck(o, "end_line", intern_int(ints, n->end_line));
	return o;
}

int cc_store_nodes_json(json_t **out, cc_store *s, const char *repo_path, const char *rev,
                        const char *path)
{
	int64_t blob_id = 0;
	cc_file_graph *g = NULL;
	json_t *a = NULL, *kinds[CC_NODE_KIND_COUNT] = {0};
	intern_tab ints = {0}, names = {0};
	int rc;

	*out = NULL;
	if ((rc = load_nodes(&g, &blob_id, s, repo_path, rev, path)))
		goto out;
	intern_init(&ints, (size_t)g->n_nodes * 2);
	intern_init(&names, g->n_nodes / 2);
	a = json_array();
	int64_t base = blob_id << CC_STORE_ID_SHIFT;
	for (uint32_t i = 0; i < g->n_nodes && a; i++)
		if (json_array_append_new(a, node_json(g, i, base, kinds, &ints, &names))) {
			json_decref(a);
			a = NULL;
		}
	if (!a)
		rc = cc_error_set(CC_ENOMEM, "building the nodes answer");
	*out = a;
out:
	intern_clear(&ints);
	intern_clear(&names);
	kinds_clear(kinds, CC_NODE_KIND_COUNT);
	cc_file_graph_free(g);
	return rc;
}

/* ---- edges ---- */

typedef struct {
	json_t *kinds[CC_EDGE_KIND_COUNT];
	intern_tab ids, names, reals;
} edge_ctx;

static json_t *edge_json(edge_ctx *x, unsigned kind, int64_t src, int64_t dst,
                         const cc_file_graph *g, uint32_t var, double conf)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new_nocheck(o, "kind",
	                            kind_value(x->kinds, CC_EDGE_KIND_COUNT, kind,
	                                       cc_edge_kind_name((cc_edge_kind)kind)));
	json_object_set_new_nocheck(o, "src", intern_int(&x->ids, src));
	json_object_set_new_nocheck(o, "dst", intern_int(&x->ids, dst));
	json_object_set_new_nocheck(o, "var",
	                            g && *cc_graph_str(g, var) ? intern_name(&x->names, g, var)
	                                                       : json_null());
	json_object_set_new_nocheck(o, "confidence", intern_real(&x->reals, conf));
	return o;
}

int cc_store_edges_json(json_t **out, cc_store *s, const char *repo_path, const char *rev,
                        const char *path)
{
	git_repository *repo = NULL;
	cc_store_rev *r = NULL;
	cc_store_file *f = NULL;
	char *rel = NULL, commit[41];
	int64_t rev_id;
	edge_ctx x;
	json_t *a = NULL;
	int rc;

	*out = NULL;
	memset(&x, 0, sizeof(x));
	if ((rc = cc_store_find_rev(&rev_id, commit, &repo, s, repo_path, rev)))
		return rc;
	rel = cc_git_relpath(repo, path);
	if ((rc = cc_store_rev_cached(&r, s, rev_id, commit)) ||
	    (rc = cc_store_rev_file_ex(&f, r, rel, 0)))
		goto out;
	const cc_file_graph *g = f->graph;
	intern_init(&x.ids, g->n_nodes + f->n_calls);
	intern_init(&x.names, 16);
	intern_init(&x.reals, 16);
	a = json_array();
	for (uint32_t i = 0; i < g->n_edges && a; i++) {
		const cc_edge *e = &g->edges[i];
		if (json_array_append_new(a, edge_json(&x, e->kind, f->base_id + e->src,
		                                       f->base_id + e->dst,
		                                       e->kind == CC_EDGE_REACHING_DEF ? g : NULL,
		                                       e->var, e->confidence))) {
			json_decref(a);
			a = NULL;
		}
	}
	for (size_t i = 0; i < f->n_calls && a; i++)
		if (json_array_append_new(a, edge_json(&x, CC_EDGE_CALL, f->calls[i].src,
		                                       f->calls[i].dst, NULL, 0,
		                                       f->calls[i].confidence))) {
			json_decref(a);
			a = NULL;
		}
	if (!a)
		rc = cc_error_set(CC_ENOMEM, "building the edges answer");
	*out = a;
out:
	kinds_clear(x.kinds, CC_EDGE_KIND_COUNT);
	intern_clear(&x.ids);
	intern_clear(&x.names);
	intern_clear(&x.reals);
	cc_store_file_free(f);
	free(rel);
	return rc;
}

/* The files of revision rev_id that did not give a clean graph: those whose blob has syntax
 * errors (blob = its oid in hex, reason "N syntax errors") and those the index run skipped
 * (blob null: only the path and reason are stored), at most CC_STORE_STATUS_MAX_ERROR_FILES
 * of them, syntax errors first, then by path. *total receives how many there are. */
static int error_files_json(json_t **out, int64_t *total, cc_store *s, int64_t rev_id)
{
	static const char sql[] =
		"SELECT path, hex(oid), n_errors, NULL, 0 AS skipped FROM rev_files JOIN blobs ON "
		"blobs.id = rev_files.blob_id WHERE rev_id=?1 AND n_errors > 0 "
		"UNION ALL SELECT path, NULL, 0, reason, 1 FROM rev_skipped WHERE rev_id=?1 "
		"ORDER BY 5, 1";
	sqlite3_stmt *st = NULL;
	json_t *a = json_array();
	int rc = CC_OK, sqlrc;

	*out = NULL;
	*total = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = cc_store_sqlerr(s, sqlite3_errcode(s->db), "reading the files with errors");
		goto out;
	}
	sqlite3_bind_int64(st, 1, rev_id);
	while ((sqlrc = sqlite3_step(st)) == SQLITE_ROW) {
		char why[64];
		const char *blob = (const char *)sqlite3_column_text(st, 1);
		const char *reason = (const char *)sqlite3_column_text(st, 3);
		json_t *e;
		if (++*total > CC_STORE_STATUS_MAX_ERROR_FILES)
			continue;
		if (!reason) {
			int64_t n = sqlite3_column_int64(st, 2);
			snprintf(why, sizeof(why), "%lld syntax error%s", (long long)n, n == 1 ? "" : "s");
			reason = why;
		}
		e = json_object();
		json_object_set_new(e, "path", jstr((const char *)sqlite3_column_text(st, 0)));
		if (blob) {
			/* hex() is upper case; git spells object ids in lower case */
			char lower[41] = {0};
			for (size_t i = 0; i < 40 && blob[i]; i++)
				lower[i] = (char)(blob[i] >= 'A' && blob[i] <= 'F' ? blob[i] + 32 : blob[i]);
			json_object_set_new(e, "blob", json_string(lower));
		} else {
			json_object_set_new(e, "blob", json_null());
		}
		json_object_set_new(e, "reason", jstr(reason));
		if (json_array_append_new(a, e)) {
			rc = cc_error_set(CC_ENOMEM, "reading the files with errors");
			goto out;
		}
	}
	if (sqlrc != SQLITE_DONE) {
		rc = cc_store_sqlerr(s, sqlrc, "reading the files with errors");
		goto out;
	}
	*out = a;
	a = NULL;
out:
	sqlite3_finalize(st);
	json_decref(a);
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
	                       "SELECT commit_hex, files, bytes, nodes, edges, errors, indexed_at, id "
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
			{
				json_t *ef = NULL;
				int64_t n_ef = 0;
				if ((rc = error_files_json(&ef, &n_ef, s, sqlite3_column_int64(rst, 7)))) {
					json_decref(rv);
					json_decref(revs);
					json_decref(repo);
					goto out;
				}
				json_object_set_new(rv, "error_files", ef);
				json_object_set_new(rv, "error_files_total", json_integer(n_ef));
			}
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
