/*
 * fuzz_store_blob.c - the store's blob decoders (store/codec.c) on arbitrary bytes: the first
 * byte picks the decoder ('l' = link info, anything else = graph, decoded whole and nodes
 * only), the rest is the blob. A decoded graph must keep every index in bounds and survive a re-encode/decode unchanged; a
 * malformed blob must be refused with CC_EDB. Bugs show as crashes, aborts or sanitizer
 * reports.
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

static void check_graph(const cc_file_graph *g)
{
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		CC_ASSERT(n->kind < CC_NODE_KIND_COUNT);
		CC_ASSERT(n->parent >= -1 && n->parent < (int32_t)g->n_nodes);
		CC_ASSERT(n->method >= -1 && n->method < (int32_t)g->n_nodes);
		CC_ASSERT(n->name < g->names_len && n->qual < g->names_len);
		CC_ASSERT(n->start_byte <= n->end_byte && n->start_line <= n->end_line);
	}
	for (uint32_t i = 0; i < g->n_edges; i++) {
		const cc_edge *e = &g->edges[i];
		CC_ASSERT(e->kind < CC_EDGE_KIND_COUNT);
		CC_ASSERT(e->src >= 0 && e->src < (int32_t)g->n_nodes);
		CC_ASSERT(e->dst >= 0 && e->dst < (int32_t)g->n_nodes);
		CC_ASSERT(e->var < g->names_len);
	}
	CC_ASSERT(g->names[g->names_len] == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] == 'l') {
		cc_links l;
		if (cc_links_decode(&l, data + 1, size - 1) == CC_OK) {
			for (uint32_t i = 0; i < l.n_defs; i++)
				CC_ASSERT(l.defs[i].name < l.pool_len && l.defs[i].qual < l.pool_len);
			for (uint32_t i = 0; i < l.n_calls; i++)
				CC_ASSERT(l.calls[i].name < l.pool_len && l.calls[i].recv < l.pool_len &&
				          l.calls[i].encl < l.pool_len);
			for (uint32_t i = 0; i < l.n_imports; i++)
				CC_ASSERT(l.imports[i].name < l.pool_len && l.imports[i].qual < l.pool_len);
			CC_ASSERT(l.pool[l.pool_len] == 0);
			cc_links_clear(&l);
		} else {
			CC_ASSERT(cc_error_last_code() == CC_EDB);
		}
		return 0;
	}
	cc_file_graph *g = NULL, *h = NULL, *part = NULL;
	/* The nodes-only decode (nodes answers) runs the same checks on what it reads: it may
	 * accept a blob whose edges are damaged, never one whose nodes or names are. */
	int part_rc = cc_graph_decode_part(&part, data + 1, size - 1, 1);
	if (part_rc == CC_OK) {
		CC_ASSERT(part->n_edges == 0);
		check_graph(part);
	} else {
		CC_ASSERT(cc_error_last_code() == CC_EDB && part == NULL);
	}
	if (cc_graph_decode(&g, data + 1, size - 1) != CC_OK) {
		CC_ASSERT(cc_error_last_code() == CC_EDB && g == NULL);
		cc_file_graph_free(part);
		return 0;
	}
	check_graph(g);
	CC_ASSERT(part_rc == CC_OK && part->n_nodes == g->n_nodes &&
	          !memcmp(part->nodes, g->nodes, g->n_nodes * sizeof(cc_node)));
	cc_file_graph_free(part);
	/* Round trip: what decodes re-encodes to a blob that decodes to the same graph. */
	cc_buf b = {0};
	cc_graph_encode(&b, g);
	CC_ASSERT(cc_graph_decode(&h, b.p, b.len) == CC_OK);
	CC_ASSERT(h->n_nodes == g->n_nodes && h->n_edges == g->n_edges);
	CC_ASSERT(!memcmp(h->nodes, g->nodes, g->n_nodes * sizeof(cc_node)));
	cc_buf_free(&b);
	cc_file_graph_free(h);
	cc_file_graph_free(g);
	return 0;
}
