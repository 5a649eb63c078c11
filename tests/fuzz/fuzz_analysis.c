/*
 * fuzz_analysis.c - libFuzzer target for the analysis front ends: the input is analysed as
 * every supported language, and the graph's invariants are checked (indexes in range, spans
 * inside the input, parents before children, names inside the pool). Any violation aborts.
 */
#include "analysis.h"
#include "cc_common.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(const cc_file_graph *g, size_t size)
{
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		if (n->kind >= CC_NODE_KIND_COUNT || n->start_byte > n->end_byte || n->end_byte > size ||
		    n->start_line < 1 || n->end_line < n->start_line || n->parent >= (int32_t)i ||
		    n->method >= (int32_t)i || n->name >= g->names_len || n->qual >= g->names_len)
			abort();
		if (n->parent >= 0 && (g->nodes[n->parent].start_byte > n->start_byte ||
		                       g->nodes[n->parent].end_byte < n->end_byte))
			abort();
		if (n->method >= 0 && g->nodes[n->method].kind != CC_NODE_METHOD)
			abort();
		if (strlen(g->names + n->name) > 255 || !cc_utf8_valid(g->names + n->name, strlen(g->names + n->name)))
			abort();
	}
	for (uint32_t i = 0; i < g->n_edges; i++) {
		const cc_edge *e = &g->edges[i];
		if (e->kind >= CC_EDGE_KIND_COUNT || e->kind == CC_EDGE_CALL || e->src < 0 ||
		    e->dst < 0 || (uint32_t)e->src >= g->n_nodes || (uint32_t)e->dst >= g->n_nodes ||
		    e->var >= g->names_len)
			abort();
	}
	if (!g->names || g->names[0] != '\0' || g->names[g->names_len - 1] != '\0')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cc_analyzer *a;
	if (!a && cc_analyzer_new(&a) != CC_OK)
		abort();
	for (int l = 1; l < CC_LANG_COUNT; l++) {
		cc_file_graph *g = NULL;
		int rc = cc_analyze(&g, a, (cc_lang)l, (const char *)data, size);
		if (rc != CC_OK) {
			if (rc != CC_ENOMEM && rc != CC_ETOOBIG && rc != CC_ETIMEDOUT) {
				fprintf(stderr, "fuzz_analysis: %s: %s\n", cc_lang_name((cc_lang)l),
				        cc_error_last());
				abort();
			}
			continue;
		}
		check(g, size);
		cc_file_graph_free(g);
	}
	return 0;
}
