/*
 * graph.c - building a cc_file_graph: growing node/edge arrays and an interned string pool
 * (equal names share one offset, so a variable's name offset identifies it), plus the kind
 * name tables and cc_file_graph_free.
 */
#include "analysis_int.h"
#include "cc_common.h"

#include <stdlib.h>
#include <string.h>

static const char *const node_kind_names[CC_NODE_KIND_COUNT] = {
	"method", "param", "call", "control", "predicate", "return", "assignment", "import",
	"type_decl", "identifier", "literal", "comment"};
static const char *const edge_kind_names[CC_EDGE_KIND_COUNT] = {
	"ast", "contains", "cfg", "cdg", "reaching_def", "call"};

const char *cc_node_kind_name(cc_node_kind k)
{
	return (unsigned)k < CC_NODE_KIND_COUNT ? node_kind_names[k] : "unknown";
}

const char *cc_edge_kind_name(cc_edge_kind k)
{
	return (unsigned)k < CC_EDGE_KIND_COUNT ? edge_kind_names[k] : "unknown";
}

int cc_node_kind_parse(const char *name)
{
	for (int i = 0; name && i < CC_NODE_KIND_COUNT; i++)
		if (!strcmp(name, node_kind_names[i]))
			return i;
	return -1;
}

int cc_edge_kind_parse(const char *name)
{
	for (int i = 0; name && i < CC_EDGE_KIND_COUNT; i++)
		if (!strcmp(name, edge_kind_names[i]))
			return i;
	return -1;
}

void cc_file_graph_free(cc_file_graph *g)
{
	if (!g)
		return;
	free(g->nodes);
	free(g->edges);
	free(g->names);
	free(g);
}

int cc_gbuild_init(cc_gbuild *b, cc_lang lang)
{
	memset(b, 0, sizeof(*b));
	b->g = calloc(1, sizeof(*b->g));
	b->cap_names = 4096;
	b->strtab_cap = 1024;
	if (b->g)
		b->g->names = malloc(b->cap_names);
	b->strtab = calloc(b->strtab_cap, sizeof(uint32_t));
	if (!b->g || !b->g->names || !b->strtab) {
		cc_gbuild_abort(b);
		return cc_error_set(CC_ENOMEM, "analysis: out of memory");
	}
	b->g->lang = lang;
	b->g->names[0] = '\0';
	b->g->names_len = 1;
	return CC_OK;
}

void cc_gbuild_abort(cc_gbuild *b)
{
	cc_file_graph_free(b->g);
	free(b->strtab);
	memset(b, 0, sizeof(*b));
}

static uint32_t str_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

int cc_gbuild_str(uint32_t *off, cc_gbuild *b, const char *s, size_t len)
{
	char buf[CC_NAME_MAX + 4];
	size_t n = 0;
	int space = 0;
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len && n < CC_NAME_MAX;) {
		if (u[i] == ' ' || u[i] == '\t' || u[i] == '\n' || u[i] == '\r') {
			space = 1;
			i++;
			continue;
		}
		if (space && n > 0)
			buf[n++] = ' ';
		space = 0;
		size_t k = cc_utf8_char(u + i, len - i, NULL);
		if (k == 0 || u[i] < 0x20 || u[i] == 0x7f) {
			buf[n++] = '?';
			i += k ? k : 1;
		} else if (n + k <= CC_NAME_MAX) {
			memcpy(buf + n, u + i, k);
			n += k;
			i += k;
		} else {
			break;
		}
	}
	if (n == 0) {
		*off = 0;
		return CC_OK;
	}
	uint32_t h = str_hash(buf, n);
	uint32_t mask = b->strtab_cap - 1;
	for (uint32_t i = h & mask;; i = (i + 1) & mask) {
		uint32_t o = b->strtab[i];
		if (!o)
			break;
		/* strncmp: a shorter string at the pool's end must not be read past its NUL */
		if (!strncmp(b->g->names + o, buf, n) && b->g->names[o + n] == '\0') {
			*off = o;
			return CC_OK;
		}
	}
	if (b->g->names_len + n + 1 > b->cap_names) {
		uint32_t cap = b->cap_names * 2 + (uint32_t)n + 1;
		char *p = realloc(b->g->names, cap);
		if (!p)
			return cc_error_set(CC_ENOMEM, "analysis: out of memory (names)");
		b->g->names = p;
		b->cap_names = cap;
	}
	if ((b->strtab_n + 1) * 2 > b->strtab_cap) {
		uint32_t ncap = b->strtab_cap * 2;
		uint32_t *t = calloc(ncap, sizeof(uint32_t));
		if (!t)
			return cc_error_set(CC_ENOMEM, "analysis: out of memory (names)");
		for (uint32_t i = 0; i < b->strtab_cap; i++) {
			uint32_t o = b->strtab[i];
			if (!o)
				continue;
			const char *q = b->g->names + o;
			uint32_t j = str_hash(q, strlen(q)) & (ncap - 1);
			while (t[j])
				j = (j + 1) & (ncap - 1);
			t[j] = o;
		}
		free(b->strtab);
		b->strtab = t;
		b->strtab_cap = ncap;
		mask = ncap - 1;
	}
	uint32_t o = b->g->names_len;
	memcpy(b->g->names + o, buf, n);
	b->g->names[o + n] = '\0';
	b->g->names_len += (uint32_t)n + 1;
	uint32_t i = h & mask;
	while (b->strtab[i])
		i = (i + 1) & mask;
	b->strtab[i] = o;
	b->strtab_n++;
	*off = o;
	return CC_OK;
}

int cc_gbuild_node(int32_t *idx, cc_gbuild *b, const cc_node *n)
{
	cc_file_graph *g = b->g;
	if (g->n_nodes >= INT32_MAX - 1)
		return cc_error_set(CC_ETOOBIG, "analysis: too many nodes");
	if (g->n_nodes == b->cap_nodes) {
		uint32_t cap = b->cap_nodes ? b->cap_nodes * 2 : 256;
		cc_node *p = realloc(g->nodes, (size_t)cap * sizeof(*p));
		if (!p)
			return cc_error_set(CC_ENOMEM, "analysis: out of memory (nodes)");
		g->nodes = p;
		b->cap_nodes = cap;
	}
	g->nodes[g->n_nodes] = *n;
	*idx = (int32_t)g->n_nodes++;
	return CC_OK;
}

int cc_gbuild_edge(cc_gbuild *b, cc_edge_kind kind, int32_t src, int32_t dst, uint32_t var)
{
	cc_file_graph *g = b->g;
	if (g->n_edges >= UINT32_MAX / 2)
		return cc_error_set(CC_ETOOBIG, "analysis: too many edges");
	if (g->n_edges == b->cap_edges) {
		uint32_t cap = b->cap_edges ? b->cap_edges * 2 : 512;
		cc_edge *p = realloc(g->edges, (size_t)cap * sizeof(*p));
		if (!p)
			return cc_error_set(CC_ENOMEM, "analysis: out of memory (edges)");
		g->edges = p;
		b->cap_edges = cap;
	}
	cc_edge *e = &g->edges[g->n_edges++];
	memset(e, 0, sizeof(*e));
	e->kind = (uint8_t)kind;
	e->src = src;
	e->dst = dst;
	e->var = var;
	e->confidence = 1.0f;
	return CC_OK;
}
