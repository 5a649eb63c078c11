/*
 * test_store_api.c - the reading API other modules build on (cc_store.h): index the python
 * fixture through the library with a progress callback and a cancel flag, then read a
 * revision back as C structs (files, content, graph, call edges, name lookup, id location)
 * and the status summary. Expectations come from the fixture sources (fixtures/repos/python).
 */
#include "cc_store_reply.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

static char repo[4096], db[4200];

static int progress_calls;
static void on_progress(void *ud, const cc_index_progress *p)
{
	(void)ud;
	CHECK(p->phase != NULL);
	CHECK(p->blobs_done <= p->blobs_total);
	progress_calls++;
}

static const cc_node *find_node(const cc_store_file *f, int kind, const char *name)
{
	for (uint32_t i = 0; i < f->graph->n_nodes; i++) {
		const cc_node *n = &f->graph->nodes[i];
		if (n->kind == kind && !strcmp(cc_graph_str(f->graph, n->name), name))
			return n;
	}
	return NULL;
}

int main(void)
{
	const char *bin = getenv("CC_BINARY_DIR"), *src = getenv("CC_SOURCE_DIR");
	char cmd[9000];
	cc_store *s = NULL;
	cc_index_result r;
	volatile int cancel = 1;
	cc_index_opts o = {.rev = "HEAD", .cancel = &cancel, .progress = on_progress};

	if (!bin || !src)
		TEST_SKIP("CC_BINARY_DIR / CC_SOURCE_DIR not set (run under CTest)");
	snprintf(cmd, sizeof(cmd), "bash %s/fixtures/make-repos.sh %s/store-tests/api >/dev/null", src,
	         bin);
	CHECK_EQ_INT(system(cmd), 0);
	snprintf(repo, sizeof(repo), "%s/store-tests/api/python", bin);
	snprintf(db, sizeof(db), "%s/store-tests/api/store.db", bin);
	remove(db);

	CHECK_EQ_INT(cc_store_open(&s, db, 0), CC_OK);
	/* A set cancel flag stops the run before any work and leaves nothing behind. */
	CHECK_EQ_INT(cc_store_index_run(&r, s, repo, &o), CC_ECANCELED);
	cancel = 0;
	CHECK_EQ_INT(cc_store_index_run(&r, s, repo, &o), CC_OK);
	CHECK(progress_calls > 0);
	CHECK_EQ_INT(r.files, 4);
	CHECK_EQ_INT(r.parsed_blobs, 4);
	CHECK_EQ_INT(strlen(r.commit), 40);
	json_t *j = cc_index_result_json(&r);
	CHECK(json_integer_value(json_object_get(j, "files")) == 4);
	CHECK(json_is_array(json_object_get(j, "skipped")));
	json_decref(j);
	cc_index_result_clear(&r);

	cc_store_rev *rev = NULL;
	CHECK_EQ_INT(cc_store_rev_open(&rev, s, repo, NULL), CC_OK);
	if (!rev)
		return test_result();
	CHECK_EQ_INT(cc_store_rev_n_files(rev), 4);
	CHECK_EQ_STR(cc_store_rev_path(rev, 0), "app.py"); /* sorted by path */
	CHECK_EQ_STR(cc_store_rev_path(rev, 3), "pkg/util.py");

	cc_store_file *app = NULL, *util = NULL, *none = NULL;
	CHECK_EQ_INT(cc_store_rev_file(&app, rev, "app.py"), CC_OK);
	CHECK_EQ_INT(cc_store_rev_file(&util, rev, "pkg/util.py"), CC_OK);
	CHECK_EQ_INT(cc_store_rev_file(&none, rev, "nope.py"), CC_ENOTFOUND);
	CHECK(none == NULL);
	if (app && util) {
		/* content is the committed file */
		CHECK(app->len > 0 && !strncmp(app->content, "from pkg.util import helper", 27));
		CHECK_EQ_INT(strlen(app->oid), 40);
		/* the helper() call in app.py has one call edge, to helper in pkg/util.py */
		const cc_node *call = find_node(app, CC_NODE_CALL, "helper");
		const cc_node *def = find_node(util, CC_NODE_METHOD, "helper");
		CHECK(call && def);
		if (call && def) {
			int64_t cid = app->base_id + (call - app->graph->nodes);
			int64_t did = util->base_id + (def - util->graph->nodes);
			size_t hits = 0;
			for (size_t i = 0; i < app->n_calls; i++) {
				if (app->calls[i].src != cid)
					continue;
				hits++;
				CHECK_EQ_INT(app->calls[i].dst, did);
				CHECK_EQ_STR(app->calls[i].dst_path, "pkg/util.py");
				CHECK_EQ_INT(app->calls[i].dst_index, def - util->graph->nodes);
			}
			CHECK_EQ_INT(hits, 1);
			/* ids locate back to file and index */
			const char *p = NULL;
			uint32_t idx = 0;
			CHECK_EQ_INT(cc_store_rev_locate(&p, &idx, rev, did), CC_OK);
			CHECK_EQ_STR(p, "pkg/util.py");
			CHECK_EQ_INT(idx, def - util->graph->nodes);
			/* the graph's spans point at the source text */
			CHECK(!strncmp(util->content + def->start_byte, "def helper", 10));
		}
		for (size_t i = 1; i < app->n_calls; i++)
			CHECK(app->calls[i - 1].src <= app->calls[i].src);
	}
	/* name lookup across the revision: both draw methods (pkg/shapes.py), one helper */
	const cc_store_def *defs = NULL;
	size_t n = 0;
	cc_store_rev_lookup(&defs, &n, rev, "draw");
	CHECK_EQ_INT(n, 2);
	for (size_t i = 0; i < n; i++) {
		CHECK_EQ_STR(defs[i].path, "pkg/shapes.py");
		CHECK_EQ_INT(defs[i].kind, CC_NODE_METHOD);
	}
	if (n == 2) {
		CHECK(strstr(defs[0].qual, "Circle") != NULL);
		CHECK(strstr(defs[1].qual, "Square") != NULL);
	}
	cc_store_rev_lookup(&defs, &n, rev, "Runner");
	CHECK_EQ_INT(n, 1);
	if (n == 1)
		CHECK_EQ_INT(defs[0].kind, CC_NODE_TYPE_DECL);
	cc_store_rev_lookup(&defs, &n, rev, "no_such_name");
	CHECK_EQ_INT(n, 0);
	cc_store_file_free(app);
	cc_store_file_free(util);
	cc_store_rev_free(rev);

	/* status: one repository, its revision with the totals of the index run */
	json_t *st = NULL;
	CHECK_EQ_INT(cc_store_status_json(&st, s), CC_OK);
	json_t *repos = json_object_get(st, "repos");
	CHECK_EQ_INT(json_array_size(repos), 1);
	json_t *revs = json_object_get(json_array_get(repos, 0), "revisions");
	CHECK_EQ_INT(json_array_size(revs), 1);
	CHECK_EQ_INT(json_integer_value(json_object_get(json_array_get(revs, 0), "files")), 4);
	CHECK_EQ_INT(json_integer_value(json_object_get(st, "blobs")), 4);
	json_decref(st);

	/* a read-only handle sees the same, and refuses to index */
	cc_store *ro = NULL;
	CHECK_EQ_INT(cc_store_open(&ro, db, CC_STORE_READONLY), CC_OK);
	json_t *nodes = NULL;
	CHECK_EQ_INT(cc_store_nodes_json(&nodes, ro, repo, "HEAD", "./pkg/util.py"), CC_OK);
	CHECK(json_array_size(nodes) > 0);
	json_decref(nodes);
	CHECK_EQ_INT(cc_store_index_run(&r, ro, repo, NULL), CC_EINVAL);
	cc_store_free(ro);
	cc_store_free(s);
	return test_result();
}
