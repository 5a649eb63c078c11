/*
 * test_analysis_robust.c - hostile input: random bytes, every byte value, NUL bytes, invalid
 * UTF-8 in names, very deep nesting (brackets, blocks, nested ifs), one huge line, a method
 * with thousands of statements. Every language must return a graph (or, for pathological
 * parses, CC_ETIMEDOUT), with valid UTF-8 names and in-range indexes; nothing may crash.
 */
#include "graph_check.h"

static int names_ok(const cc_file_graph *g)
{
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const char *s = cc_graph_str(g, g->nodes[i].name);
		if (!cc_utf8_valid(s, strlen(s)) || strlen(s) > 200)
			return 0;
		if ((uint32_t)g->nodes[i].parent >= i && g->nodes[i].parent != -1)
			return 0;
		if (g->nodes[i].end_byte < g->nodes[i].start_byte)
			return 0;
	}
	for (uint32_t i = 0; i < g->n_edges; i++)
		if ((uint32_t)g->edges[i].src >= g->n_nodes || (uint32_t)g->edges[i].dst >= g->n_nodes)
			return 0;
	return 1;
}

/* Analyse buf as every language; returns the number of graphs with syntax errors. */
static int all_langs(const char *what, const char *buf, size_t len)
{
	int with_errors = 0;
	for (int l = 1; l < CC_LANG_COUNT; l++) {
		cc_file_graph *g = NULL;
		int rc = cc_analyze(&g, gc_analyzer, (cc_lang)l, buf, len);
		if (rc == CC_ETIMEDOUT || rc == CC_ETOOBIG) {
			CHECK(cc_error_last()[0] != '\0');
			continue;
		}
		if (rc != CC_OK)
			fprintf(stderr, "%s as %s: %s\n", what, cc_lang_name((cc_lang)l), cc_error_last());
		CHECK_EQ_INT(rc, CC_OK);
		if (g) {
			CHECK(names_ok(g));
			CHECK(!len || g->n_nodes < len * 4 + 16);
			with_errors += g->n_errors > 0;
		}
		cc_file_graph_free(g);
	}
	return with_errors;
}

static char *repeat(const char *head, const char *unit, int n, const char *tail, size_t *len)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *b = malloc(hl + ul * (size_t)n + tl + 1);
	memcpy(b, head, hl);
	for (int i = 0; i < n; i++)
		memcpy(b + hl + ul * (size_t)i, unit, ul);
	memcpy(b + hl + ul * (size_t)n, tail, tl + 1);
	*len = hl + ul * (size_t)n + tl;
	return b;
}

int main(void)
{
	cc_file_graph *g = gc_analyze(CC_LANG_PYTHON, ""); /* creates gc_analyzer */
	cc_file_graph_free(g);

	/* random bytes (fixed seed) and every byte value */
	size_t len = 8192;
	char *buf = malloc(len);
	uint32_t x = 12345;
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (char)(x >> 16);
	}
	CHECK(all_langs("random bytes", buf, len) > 0);
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)(i & 0xff);
	all_langs("byte values", buf, len);
	free(buf);

	/* NUL bytes and invalid UTF-8 inside names */
	static const char nul[] = "def f(a):\n    b\0c = a\n    return b\n";
	all_langs("NUL bytes", nul, sizeof(nul) - 1);
	const char *bad = "def f\xff\xfe(x\xc3):\n    y\xe2\x82 = x\xc3\n    return g\xf0\x9f(y\xe2\x82)\n";
	g = gc_analyze(CC_LANG_PYTHON, bad);
	CHECK(names_ok(g));
	CHECK(gc_count_kind(g, CC_NODE_METHOD) == 1 || g->n_errors > 0);
	cc_file_graph_free(g);
	all_langs("invalid UTF-8", bad, strlen(bad));

	/* cancellation flag and memory budget */
	{
		volatile int stop = 1;
		const char *src = "def f(x):\n    return x\n";
		cc_analyzer_set_cancel(gc_analyzer, &stop);
		g = NULL;
		CHECK_EQ_INT(cc_analyze(&g, gc_analyzer, CC_LANG_PYTHON, src, strlen(src)), CC_ECANCELED);
		CHECK(g == NULL);
		stop = 0;
		CHECK_EQ_INT(cc_analyze(&g, gc_analyzer, CC_LANG_PYTHON, src, strlen(src)), CC_OK);
		cc_file_graph_free(g);
		cc_analyzer_set_cancel(gc_analyzer, NULL);
		cc_analyzer_set_memory_budget(gc_analyzer, 1000); /* 300 bytes per byte: 3 bytes */
		g = NULL;
		CHECK_EQ_INT(cc_analyze(&g, gc_analyzer, CC_LANG_PYTHON, src, strlen(src)), CC_ETOOBIG);
		CHECK(strstr(cc_error_last(), "memory budget") != NULL);
		cc_analyzer_set_memory_budget(gc_analyzer, CC_ANALYSIS_MEM_BUDGET);
		CHECK_EQ_INT(cc_analyze(&g, gc_analyzer, CC_LANG_PYTHON, src, strlen(src)), CC_OK);
		cc_file_graph_free(g);
	}

	/* tree-sitter 0.20.7 corrupted its heap (abort in ts_tree_delete) on ~65,535 unreduced
	 * tokens: 33,000 `f(` or a 70,000-long unary chain, in every language. Refused up front,
	 * with a reason that says why. */
	{
		static const char *const units[] = {"f(", " +", "(", "\n+", "x = "};
		static const int reps[] = {33000, 70000, 66000, 70000, 70000};
		for (int u = 0; u < 5; u++) {
			char *b = repeat("x = 1", units[u], reps[u], "\n", &len);
			for (int l = 1; l < CC_LANG_COUNT; l++) {
				g = NULL;
				CHECK_EQ_INT(cc_analyze(&g, gc_analyzer, (cc_lang)l, b, len), CC_ETOOBIG);
				CHECK(g == NULL);
				CHECK(strstr(cc_error_last(), "nesting too deep") != NULL);
			}
			free(b);
		}
	}

	/* deep nesting: refused (too deep) or analysed, quickly, never a crash */
	char *deep = repeat("x = ", "(", 50000, "", &len);
	all_langs("50000 open parentheses", deep, len);
	g = NULL;
	CHECK_EQ_INT(cc_analyze(&g, gc_analyzer, CC_LANG_C, deep, len), CC_ETOOBIG);
	CHECK(g == NULL);
	free(deep);
	deep = repeat("int f(void) {", "{", 20000, "", &len);
	all_langs("20000 open braces", deep, len);
	free(deep);
	deep = repeat("int f(void) {", "{", 1000, "", &len);
	g = gc_analyze(CC_LANG_C, deep); /* deep but within budget */
	CHECK(g->n_errors > 0 && names_ok(g));
	cc_file_graph_free(g);
	free(deep);
	deep = repeat("int f(int x) {", "if (x) ", 3000, "x = 1; return x; }", &len);
	g = gc_analyze(CC_LANG_C, deep);
	CHECK(names_ok(g));
	CHECK_EQ_INT(gc_count_kind(g, CC_NODE_PREDICATE), 3000);
	CHECK(gc_count_edges(g, CC_EDGE_CFG, -1, -1) > 0);
	cc_file_graph_free(g);
	free(deep);
	/* Python: nested blocks by indentation */
	{
		size_t cap = 600 * 700, n = 0;
		char *py = malloc(cap);
		n += (size_t)sprintf(py + n, "def f(x):\n");
		for (int d = 1; d <= 200; d++) /* the grammar's indent stack holds ~250 */
			n += (size_t)sprintf(py + n, "%*sif x > %d:\n", d, "", d);
		n += (size_t)sprintf(py + n, "%*sreturn x\n", 201, "");
		g = gc_analyze(CC_LANG_PYTHON, py);
		CHECK(names_ok(g));
		CHECK_EQ_INT(g->n_errors, 0);
		CHECK_EQ_INT(gc_count_kind(g, CC_NODE_PREDICATE), 200);
		int ret = gc_find(g, CC_NODE_RETURN, "return x");
		CHECK(gc_edge(g, CC_EDGE_CDG, gc_find(g, CC_NODE_PREDICATE, "x > 200"), ret, NULL));
		cc_file_graph_free(g);
		free(py);
	}

	/* one huge line, and a method with thousands of statements and definitions */
	deep = repeat("def f(a):\n    return a", " + a", 3000, "\n", &len);
	g = gc_analyze(CC_LANG_PYTHON, deep);
	CHECK_EQ_INT(gc_count_kind(g, CC_NODE_IDENTIFIER), 3001);
	CHECK_EQ_INT(gc_count_edges(g, CC_EDGE_REACHING_DEF, -1, -1), 3001);
	cc_file_graph_free(g);
	free(deep);
	deep = repeat("def f(a):\n", "    a = a + 1\n", 5000, "    return a\n", &len);
	g = gc_analyze(CC_LANG_PYTHON, deep);
	CHECK_EQ_INT(gc_count_kind(g, CC_NODE_ASSIGNMENT), 5000);
	CHECK_EQ_INT(gc_count_edges(g, CC_EDGE_CFG, -1, -1), 5002);
	/* over 4000 definitions: no reaching_def edges (bounded work), the rest is there */
	CHECK_EQ_INT(gc_count_edges(g, CC_EDGE_REACHING_DEF, -1, -1), 0);
	cc_file_graph_free(g);
	free(deep);
	deep = repeat("def f(a):\n", "    a = a + 1\n", 3000, "    return a\n", &len);
	g = gc_analyze(CC_LANG_PYTHON, deep);
	CHECK_EQ_INT(gc_count_edges(g, CC_EDGE_REACHING_DEF, -1, -1), 3001); /* a chain */
	cc_file_graph_free(g);
	free(deep);

	cc_analyzer_free(gc_analyzer);
	return test_result();
}
