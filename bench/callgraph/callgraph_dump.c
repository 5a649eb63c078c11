/*
 * callgraph_dump.c - dump what call resolution and the front ends make of an indexed
 * revision, as tab-separated lines for bench/callgraph/callgraph_eval.py:
 *
 *   callgraph_dump [--db FILE] [--rev REV] REPO
 *
 *   F  path  lang  bytes
 *   D  path  line  kind(method|type_decl)  name  qual
 *   C  path  line  name  receiver  n_edges  enclosing-method-qual
 *   E  path  line  name  receiver  dst_path  dst_line  dst_qual  confidence
 *
 * One C line per call site, one E line per resolved edge (a call with k candidates has k).
 * Fields are sanitised (tabs and newlines become spaces).
 */
#include "cc_common.h"
#include "cc_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(const char *s)
{
	for (; s && *s; s++)
		putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

typedef struct {
	char *path;
	cc_file_graph *g;
} gcache;

static const cc_file_graph *graph_of(cc_store_rev *r, gcache *gc, size_t n, const char *path)
{
	size_t h = 5381;
	for (const char *p = path; *p; p++)
		h = h * 33 + (unsigned char)*p;
	for (size_t i = h % n;; i = (i + 1) % n) {
		if (!gc[i].path) {
			cc_store_file *f = NULL;
			if (cc_store_rev_file(&f, r, path) != CC_OK)
				return NULL;
			gc[i].path = cc_xstrdup(path);
			gc[i].g = f->graph;
			f->graph = NULL;
			cc_store_file_free(f);
			return gc[i].g;
		}
		if (!strcmp(gc[i].path, path))
			return gc[i].g;
	}
}

int main(int argc, char **argv)
{
	const char *db = NULL, *rev = NULL, *repo = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else if (!strcmp(argv[i], "--rev") && i + 1 < argc)
			rev = argv[++i];
		else if (argv[i][0] != '-' && !repo)
			repo = argv[i];
		else {
			fprintf(stderr, "usage: callgraph_dump [--db FILE] [--rev REV] REPO\n");
			return 2;
		}
	}
	if (!repo) {
		fprintf(stderr, "usage: callgraph_dump [--db FILE] [--rev REV] REPO\n");
		return 2;
	}
	char *dbp = NULL;
	cc_store *s = NULL;
	cc_store_rev *r = NULL;
	int rc;
	if (!db && (rc = cc_store_default_db_path(&dbp, repo)) != CC_OK)
		goto fail;
	if ((rc = cc_store_open(&s, db ? db : dbp, CC_STORE_READONLY)) != CC_OK ||
	    (rc = cc_store_rev_open(&r, s, repo, rev)) != CC_OK)
		goto fail;
	size_t nf = cc_store_rev_n_files(r), cap = nf * 2 + 16;
	gcache *gc = cc_xcalloc(cap, sizeof(gcache));
	for (size_t i = 0; i < nf; i++) {
		const char *path = cc_store_rev_path(r, i);
		cc_store_file *f = NULL;
		if ((rc = cc_store_rev_file(&f, r, path)) != CC_OK)
			goto fail;
		const cc_file_graph *g = f->graph;
		printf("F\t%s\t%s\t%zu\n", path, cc_lang_name(g->lang), f->len);
		size_t e = 0;
		for (uint32_t k = 0; k < g->n_nodes; k++) {
			const cc_node *n = &g->nodes[k];
			if (n->kind == CC_NODE_METHOD || n->kind == CC_NODE_TYPE_DECL) {
				printf("D\t%s\t%u\t%s\t", path, n->start_line, cc_node_kind_name(n->kind));
				put(cc_graph_str(g, n->name));
				putchar('\t');
				put(cc_graph_str(g, n->qual));
				putchar('\n');
			}
			if (n->kind != CC_NODE_CALL)
				continue;
			int64_t id = f->base_id + k;
			size_t e0 = e;
			while (e < f->n_calls && f->calls[e].src < id)
				e++;
			e0 = e;
			while (e < f->n_calls && f->calls[e].src == id)
				e++;
			printf("C\t%s\t%u\t", path, n->start_line);
			put(cc_graph_str(g, n->name));
			putchar('\t');
			put(cc_graph_str(g, n->qual));
			printf("\t%zu\t", e - e0);
			put(n->method >= 0 ? cc_graph_str(g, g->nodes[n->method].qual) : "");
			putchar('\n');
			for (size_t j = e0; j < e; j++) {
				const cc_store_call *c = &f->calls[j];
				const cc_file_graph *tg = graph_of(r, gc, cap, c->dst_path);
				const cc_node *t = tg && c->dst_index < tg->n_nodes ? &tg->nodes[c->dst_index]
				                                                    : NULL;
				printf("E\t%s\t%u\t", path, n->start_line);
				put(cc_graph_str(g, n->name));
				putchar('\t');
				put(cc_graph_str(g, n->qual));
				printf("\t%s\t%u\t", c->dst_path, t ? t->start_line : 0);
				put(t ? cc_graph_str(tg, t->qual) : "");
				printf("\t%.4f\n", c->confidence);
			}
		}
		cc_store_file_free(f);
	}
	for (size_t i = 0; i < cap; i++) {
		free(gc[i].path);
		cc_file_graph_free(gc[i].g);
	}
	free(gc);
	cc_store_rev_free(r);
	cc_store_free(s);
	free(dbp);
	return 0;
fail:
	fprintf(stderr, "callgraph_dump: %s\n", cc_error_last());
	cc_store_rev_free(r);
	cc_store_free(s);
	free(dbp);
	return 1;
}
