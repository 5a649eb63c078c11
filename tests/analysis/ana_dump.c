/*
 * ana_dump.c - test helper: analyse files and print their graphs.
 *   ana_dump [--lang NAME] FILE...        nodes and edges, one per line (for reading)
 *   ana_dump --counts FILE...             per method: path, line, name and the counts of
 *                                         calls, if/while predicates, assignments, returns
 *                                         (read by ast_crosscheck.py)
 * Exit 1 with a message when a file cannot be read or analysed.
 */
#include "analysis.h"
#include "cc_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void dump(const char *path, const cc_file_graph *g, const char *src)
{
	printf("file %s lang %s nodes %u edges %u errors %u\n", path, cc_lang_name(g->lang),
	       g->n_nodes, g->n_edges, g->n_errors);
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		int len = (int)(n->end_byte - n->start_byte);
		printf("N %u %s name=%s qual=%s parent=%d method=%d %u:%u-%u:%u |", i,
		       cc_node_kind_name(n->kind), cc_graph_str(g, n->name), cc_graph_str(g, n->qual),
		       n->parent, n->method, n->start_line, n->start_col, n->end_line, n->end_col);
		for (int k = 0; k < len && k < 60; k++) {
			char c = src[n->start_byte + k];
			putchar(c == '\n' ? ' ' : c);
		}
		printf("|\n");
	}
	for (uint32_t i = 0; i < g->n_edges; i++) {
		const cc_edge *e = &g->edges[i];
		printf("E %s %d %d %s\n", cc_edge_kind_name(e->kind), e->src, e->dst,
		       cc_graph_str(g, e->var));
	}
}

static void counts(const char *path, const cc_file_graph *g)
{
	uint32_t *c = calloc((size_t)g->n_nodes * 4 + 4, sizeof(uint32_t));
	if (!c)
		exit(1);
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		if (n->method < 0)
			continue;
		uint32_t *m = c + 4 * (uint32_t)n->method;
		switch (n->kind) {
		case CC_NODE_CALL: m[0]++; break;
		case CC_NODE_PREDICATE:
			if (n->parent >= 0 && g->nodes[n->parent].kind == CC_NODE_CONTROL) {
				const char *k = cc_graph_str(g, g->nodes[n->parent].name);
				if (!strcmp(k, "if") || !strcmp(k, "while"))
					m[1]++;
			}
			break;
		case CC_NODE_ASSIGNMENT: m[2]++; break;
		case CC_NODE_RETURN: m[3]++; break;
		default: break;
		}
	}
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		if (n->kind != CC_NODE_METHOD)
			continue;
		uint32_t *m = c + 4 * i;
		printf("%s\t%u\t%s\t%u\t%u\t%u\t%u\n", path, n->start_line, cc_graph_str(g, n->name),
		       m[0], m[1], m[2], m[3]);
	}
	free(c);
}

int main(int argc, char **argv)
{
	int mode_counts = 0, rc = 0;
	cc_lang force = CC_LANG_UNKNOWN;
	cc_analyzer *a = NULL;
	if (cc_analyzer_new(&a) != CC_OK) {
		fprintf(stderr, "ana_dump: %s\n", cc_error_last());
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--counts")) {
			mode_counts = 1;
			continue;
		}
		if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
			force = CC_LANG_UNKNOWN;
			for (int l = 1; l < CC_LANG_COUNT; l++)
				if (!strcmp(cc_lang_name((cc_lang)l), argv[i + 1]))
					force = (cc_lang)l;
			i++;
			continue;
		}
		char *src = NULL;
		size_t len = 0;
		cc_file_graph *g = NULL;
		cc_lang lang = force ? force : cc_lang_from_path(argv[i]);
		if (cc_read_file(&src, &len, argv[i], 0) != CC_OK ||
		    cc_analyze(&g, a, lang, src, len) != CC_OK) {
			fprintf(stderr, "ana_dump: %s: %s\n", argv[i], cc_error_last());
			rc = 1;
		} else if (mode_counts) {
			counts(argv[i], g);
		} else {
			dump(argv[i], g, src);
		}
		cc_file_graph_free(g);
		free(src);
	}
	cc_analyzer_free(a);
	return rc;
}
