/*
 * graph_check.h - helpers for the analysis unit tests: analyse a snippet, find nodes by kind
 * and exact source text, test for edges.
 */
#ifndef CC_GRAPH_CHECK_H
#define CC_GRAPH_CHECK_H

#include "analysis.h"
#include "cc_common.h"
#include "test.h"

static cc_analyzer *gc_analyzer;
static const char *gc_src;

/* Analyse src (NUL-terminated) as lang; aborts the test on failure. */
static inline cc_file_graph *gc_analyze(cc_lang lang, const char *src)
{
	cc_file_graph *g = NULL;
	if (!gc_analyzer && cc_analyzer_new(&gc_analyzer) != CC_OK) {
		fprintf(stderr, "cc_analyzer_new: %s\n", cc_error_last());
		exit(1);
	}
	if (cc_analyze(&g, gc_analyzer, lang, src, strlen(src)) != CC_OK) {
		fprintf(stderr, "cc_analyze(%s): %s\n", cc_lang_name(lang), cc_error_last());
		exit(1);
	}
	gc_src = src;
	return g;
}

/* The nth (0-based) node of a kind whose source text is exactly `text`; -1 when absent. */
static inline int gc_find_nth(const cc_file_graph *g, cc_node_kind kind, const char *text, int nth)
{
	size_t tl = strlen(text);
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		if (n->kind != kind || n->end_byte - n->start_byte != tl ||
		    memcmp(gc_src + n->start_byte, text, tl) != 0)
			continue;
		if (nth-- == 0)
			return (int)i;
	}
	return -1;
}

static inline int gc_find(const cc_file_graph *g, cc_node_kind kind, const char *text)
{
	return gc_find_nth(g, kind, text, 0);
}

/* The first node of a kind with this name; -1 when absent. */
static inline int gc_find_named(const cc_file_graph *g, cc_node_kind kind, const char *name)
{
	for (uint32_t i = 0; i < g->n_nodes; i++)
		if (g->nodes[i].kind == kind && !strcmp(cc_graph_str(g, g->nodes[i].name), name))
			return (int)i;
	return -1;
}

/* 1 when the edge exists (var NULL: any). */
static inline int gc_edge(const cc_file_graph *g, cc_edge_kind kind, int src, int dst, const char *var)
{
	if (src < 0 || dst < 0)
		return 0;
	for (uint32_t i = 0; i < g->n_edges; i++) {
		const cc_edge *e = &g->edges[i];
		if (e->kind == kind && e->src == src && e->dst == dst &&
		    (!var || !strcmp(cc_graph_str(g, e->var), var)))
			return 1;
	}
	return 0;
}

static inline int gc_count_kind(const cc_file_graph *g, cc_node_kind kind)
{
	int n = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++)
		n += g->nodes[i].kind == kind;
	return n;
}

static inline int gc_count_edges(const cc_file_graph *g, cc_edge_kind kind, int src, int dst)
{
	int n = 0;
	for (uint32_t i = 0; i < g->n_edges; i++)
		n += g->edges[i].kind == kind && (src < 0 || g->edges[i].src == src) &&
		     (dst < 0 || g->edges[i].dst == dst);
	return n;
}

#endif
