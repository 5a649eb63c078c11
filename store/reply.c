/*
 * reply.c - the JSON answers the CLI and the daemon both print (cc_store_reply.h): an index
 * run's result, the nodes and the edges of one file of an indexed revision, and the status
 * of the whole store. One implementation, so that `codecomp nodes` and the daemon's `nodes`
 * are byte-identical.
 */
#include "cc_store_reply.h"

#include <stdlib.h>
#include <string.h>

/* A JSON string from bytes that may not be valid UTF-8 (names from damaged sources): invalid
 * bytes become U+FFFD rather than failing the whole answer. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s), o = 0;
	char *buf = malloc(n * 3 + 1);
	if (!buf)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t len = cc_utf8_char(s + i, n - i, NULL);
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
	int oom;       /* a value could not be made or the table not grown */
} intern_tab;

static int intern_init(intern_tab *t, size_t expect)
{
	t->cap = 64;
	while (t->cap < expect * 2)
		t->cap *= 2;
	t->n = 0;
	t->oom = 0;
	if (!(t->slot = calloc(t->cap, sizeof(intern_slot)))) {
		t->cap = 0;
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	return CC_OK;
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

/* The slot of key: its value, or the empty slot where it goes; NULL (t->oom set) when the
 * table cannot grow. */
static intern_slot *intern_find(intern_tab *t, uint64_t key)
{
	if ((t->n + 1) * 2 > t->cap) {
		intern_tab g = {calloc(t->cap * 2, sizeof(intern_slot)), t->cap * 2, t->n, 0};
		if (!g.slot) {
			t->oom = 1;
			return NULL;
		}
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
	if (!sl)
		return NULL;
	if (!sl->v) {
		sl->v = make(key);
		if (!sl->v) {
			t->oom = 1;
			return NULL;
		}
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
	if (!sl)
		return NULL;
	if (!sl->v) {
		sl->v = jstr(cc_graph_str(g, off));
		if (!sl->v) {
			t->oom = 1;
			return NULL;
		}
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

/* ---- index ---- */

json_t *cc_index_result_json(const cc_index_result *r)
{
	json_t *o = json_object(), *sk = json_array();
	if (!o || !sk) {
		json_decref(o);
		json_decref(sk);
		return NULL;
	}
	json_object_set_new(o, "files", json_integer((json_int_t)r->files));
	json_object_set_new(o, "bytes", json_integer((json_int_t)r->bytes));
	json_object_set_new(o, "nodes", json_integer((json_int_t)r->nodes));
	json_object_set_new(o, "edges", json_integer((json_int_t)r->edges));
	json_object_set_new(o, "parsed_blobs", json_integer((json_int_t)r->parsed_blobs));
	json_object_set_new(o, "reused_blobs", json_integer((json_int_t)r->reused_blobs));
	json_object_set_new(o, "errors", json_integer((json_int_t)r->errors));
	json_t *ef = json_array();
	for (size_t i = 0; ef && i < r->n_error_files; i++)
		json_array_append_new(ef, json_pack("{s:s, s:I}", "path", r->error_files[i].path,
		                                    "errors", (json_int_t)r->error_files[i].errors));
	json_object_set_new(o, "error_files", ef);
	for (size_t i = 0; i < r->n_skipped; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "path", json_string(r->skipped[i].path));
		json_object_set_new(e, "reason", json_string(r->skipped[i].reason));
		json_array_append_new(sk, e);
	}
	json_object_set_new(o, "skipped", sk);
	json_object_set_new(o, "seconds", json_real(r->seconds));
	return o;
}

/* ---- nodes ---- */

static json_t *node_json(const cc_file_graph *g, uint32_t i, int64_t base, json_t **kinds,
                         intern_tab *ints, intern_tab *names)
{
	const cc_node *n = &g->nodes[i];
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new_nocheck(o, "id", json_integer(base + i));
	json_object_set_new_nocheck(o, "kind",
	                            kind_value(kinds, CC_NODE_KIND_COUNT, n->kind,
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
	cc_store_file *f = NULL;
	const cc_file_graph *g;
	json_t *a = NULL, *kinds[CC_NODE_KIND_COUNT] = {0};
	intern_tab ints = {0}, names = {0};
	int rc;

	*out = NULL;
	if ((rc = cc_store_file_nodes(&f, s, repo_path, rev, path)))
		goto out;
	g = f->graph;
	if ((rc = intern_init(&ints, (size_t)g->n_nodes * 2)) ||
	    (rc = intern_init(&names, g->n_nodes / 2)))
		goto out;
	a = json_array();
	int64_t base = f->base_id;
	for (uint32_t i = 0; i < g->n_nodes && a; i++)
		if (json_array_append_new(a, node_json(g, i, base, kinds, &ints, &names))) {
			json_decref(a);
			a = NULL;
		}
	if (a && (ints.oom || names.oom)) {
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
	cc_store_file_free(f);
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
	cc_store_file *f = NULL;
	edge_ctx x;
	json_t *a = NULL;
	int rc;

	*out = NULL;
	memset(&x, 0, sizeof(x));
	if ((rc = cc_store_file_edges(&f, s, repo_path, rev, path)))
		goto out;
	const cc_file_graph *g = f->graph;
	if ((rc = intern_init(&x.ids, g->n_nodes + f->n_calls)) ||
	    (rc = intern_init(&x.names, 16)) || (rc = intern_init(&x.reals, 16)))
		goto out;
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
	if (a && (x.ids.oom || x.names.oom || x.reals.oom)) {
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
	return rc;
}

/* ---- status ---- */

/* A revision's "commit": its commit id, or null for the working tree. */
static json_t *commit_json(const char *commit)
{
	return strcmp(commit, "worktree") ? json_string(commit) : json_null();
}

int cc_store_status_json(json_t **out, cc_store *s)
{
	cc_store_status st;
	int rc;

	*out = NULL;
	if ((rc = cc_store_status_read(&st, s)))
		return rc;
	*out = cc_store_status_to_json(&st);
	cc_store_status_clear(&st);
	return *out ? CC_OK : cc_error_set(CC_ENOMEM, "building the status answer");
}

json_t *cc_store_status_to_json(const cc_store_status *st)
{
	json_t *o = json_object(), *repos = json_array();
	int ok = o && repos;

	ok = ok && !json_object_set_new(o, "db", jstr(st->db)) &&
	     !json_object_set_new(o, "db_bytes", json_integer(st->db_bytes)) &&
	     !json_object_set_new(o, "schema_version", json_integer(st->schema_version)) &&
	     !json_object_set_new(o, "blobs", json_integer(st->blobs)) &&
	     !json_object_set_new(o, "blob_bytes", json_integer(st->blob_bytes));
	for (size_t i = 0; ok && i < st->n_repos; i++) {
		const cc_store_status_repo *r = &st->repos[i];
		json_t *repo = json_object(), *revs = json_array();
		ok = repo && revs && !json_object_set_new(repo, "path", jstr(r->path));
		for (size_t k = 0; ok && k < r->n_revs; k++) {
			const cc_store_status_rev *v = &r->revs[k];
			json_t *rv = json_object();
			ok = rv && !json_object_set_new(rv, "rev", json_string(v->commit)) &&
			     !json_object_set_new(rv, "commit", commit_json(v->commit)) &&
			     !json_object_set_new(rv, "files", json_integer(v->files)) &&
			     !json_object_set_new(rv, "bytes", json_integer(v->bytes)) &&
			     !json_object_set_new(rv, "nodes", json_integer(v->nodes)) &&
			     !json_object_set_new(rv, "edges", json_integer(v->edges)) &&
			     !json_object_set_new(rv, "errors", json_integer(v->errors)) &&
			     !json_object_set_new(rv, "indexed_at", json_integer(v->indexed_at));
			json_t *ef = ok ? json_array() : NULL;
			ok = ok && ef && !json_object_set_new(rv, "error_files", ef);
			for (size_t e = 0; ok && e < v->n_error_files; e++) {
				const cc_store_error_file *f = &v->error_files[e];
				json_t *jf = json_object();
				ok = jf && !json_object_set_new(jf, "path", jstr(f->path)) &&
				     !json_object_set_new(jf, "blob",
				                          f->blob[0] ? json_string(f->blob) : json_null()) &&
				     !json_object_set_new(jf, "reason", jstr(f->reason)) &&
				     !json_array_append_new(ef, jf);
			}
			ok = ok && !json_object_set_new(rv, "error_files_total",
			                                json_integer(v->error_files_total));
			if (!rv || json_array_append_new(revs, rv))
				ok = 0;
		}
		if (ok && json_object_set_new(repo, "revisions", revs))
			ok = 0;
		else if (!ok)
			json_decref(revs);
		if (!repo || json_array_append_new(repos, repo))
			ok = 0;
	}
	if (ok && !json_object_set_new(o, "repos", repos))
		return o;
	if (!ok)
		json_decref(repos);
	json_decref(o);
	return NULL;
}
