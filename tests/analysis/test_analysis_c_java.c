/*
 * test_analysis_c_java.c - the C and Java front ends on the sample files in
 * tests/analysis/samples: nodes, names and the cfg, cdg and reaching_def edges a reader of
 * those files expects (switch fallthrough, do/while, for with continue, try/catch/finally,
 * foreach, throw).
 */
#include "graph_check.h"

static char *load(const char *path)
{
	char *src = NULL;
	size_t len = 0;
	if (cc_read_file(&src, &len, path, 0) != CC_OK) {
		fprintf(stderr, "%s: %s\n", path, cc_error_last());
		exit(1);
	}
	return src;
}

static void test_c(void)
{
	char *src = load("tests/analysis/samples/sample.c");
	cc_file_graph *g = gc_analyze(CC_LANG_C, src);
	CHECK_EQ_INT(g->n_errors, 0);
	/* includes: path without delimiters, span without the newline */
	int inc = gc_find(g, CC_NODE_IMPORT, "#include <stdio.h>");
	CHECK(inc >= 0);
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[inc].name), "stdio.h");
	CHECK_EQ_INT(g->nodes[inc].end_line, 1);
	CHECK(gc_find_named(g, CC_NODE_IMPORT, "util.h") >= 0);
	CHECK(gc_find_named(g, CC_NODE_TYPE_DECL, "point") >= 0);
	int sum = gc_find_named(g, CC_NODE_METHOD, "sum");
	int cls = gc_find_named(g, CC_NODE_METHOD, "classify");
	CHECK(sum >= 0 && cls >= 0);
	CHECK(gc_find_named(g, CC_NODE_PARAM, "a") >= 0); /* const int *a */
	/* for (int i = 0; i < n; i++) { if (a[i] < 0) continue; s += a[i]; } */
	int init = gc_find(g, CC_NODE_ASSIGNMENT, "i = 0");
	int cond = gc_find(g, CC_NODE_PREDICATE, "i < n");
	int step = gc_find(g, CC_NODE_ASSIGNMENT, "i++");
	int ifp = gc_find(g, CC_NODE_PREDICATE, "a[i] < 0");
	int cont = gc_find(g, CC_NODE_CONTROL, "continue;");
	int acc = gc_find(g, CC_NODE_ASSIGNMENT, "s += a[i]");
	int ret = gc_find(g, CC_NODE_RETURN, "return s;");
	CHECK(gc_edge(g, CC_EDGE_CFG, init, cond, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, cont, step, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, acc, step, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, step, cond, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, cond, ret, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, ret, sum, NULL));
	CHECK(gc_edge(g, CC_EDGE_CDG, cond, ifp, NULL));
	CHECK(gc_edge(g, CC_EDGE_CDG, ifp, acc, NULL));
	CHECK(gc_edge(g, CC_EDGE_CDG, ifp, cont, NULL));
	CHECK(!gc_edge(g, CC_EDGE_CDG, cond, ret, NULL));
	/* s = 0 and s += a[i] both reach return s; i = 0 and i++ reach i < n */
	int s_ret = gc_find_nth(g, CC_NODE_IDENTIFIER, "s", 1);
	CHECK(g->nodes[s_ret].parent == ret);
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, gc_find(g, CC_NODE_ASSIGNMENT, "s = 0"), s_ret, "s"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, acc, s_ret, "s"));
	int i_cond = gc_find_nth(g, CC_NODE_IDENTIFIER, "i", 0);
	CHECK(g->nodes[i_cond].parent == cond);
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, init, i_cond, "i"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, step, i_cond, "i"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, gc_find_named(g, CC_NODE_PARAM, "n"),
	              gc_find(g, CC_NODE_IDENTIFIER, "n"), "n"));
	/* switch: case 0 falls through into case 1, break leaves, default returns */
	int swp = gc_find(g, CC_NODE_PREDICATE, "k");
	int r1 = gc_find(g, CC_NODE_ASSIGNMENT, "r = 1");
	int r2 = gc_find(g, CC_NODE_ASSIGNMENT, "r = 2");
	int def = gc_find(g, CC_NODE_RETURN, "return -1;");
	int doo = gc_find_named(g, CC_NODE_CONTROL, "do");
	int brk = gc_find_nth(g, CC_NODE_CONTROL, "break;", 0);
	CHECK(gc_edge(g, CC_EDGE_CFG, swp, r1, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, swp, r2, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, swp, def, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, r1, r2, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, brk, doo, NULL));
	CHECK(!gc_edge(g, CC_EDGE_CFG, swp, doo, NULL)); /* there is a default */
	CHECK(gc_edge(g, CC_EDGE_CDG, swp, r1, NULL));
	/* do { r--; } while (r > 0 && p->x): back edge, r-- reaches its own use around */
	int dec = gc_find(g, CC_NODE_ASSIGNMENT, "r--");
	int dop = gc_find(g, CC_NODE_PREDICATE, "r > 0 && p->x");
	CHECK(gc_edge(g, CC_EDGE_CFG, doo, dec, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, dec, dop, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, dop, doo, NULL));
	CHECK(gc_edge(g, CC_EDGE_CDG, dop, dec, NULL));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, r1, gc_find_nth(g, CC_NODE_IDENTIFIER, "r", 0), "r") == 0);
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, r2, gc_find_nth(g, CC_NODE_IDENTIFIER, "r", 0), "r"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, dec, gc_find_nth(g, CC_NODE_IDENTIFIER, "r", 0), "r"));
	/* calls: receiver-less, nested */
	int pf = gc_find_named(g, CC_NODE_CALL, "printf");
	int sc = gc_find_named(g, CC_NODE_CALL, "sum");
	CHECK(gc_edge(g, CC_EDGE_AST, pf, sc, NULL));
	CHECK_EQ_INT(g->nodes[sc].method, cls);
	int pa = gc_find(g, CC_NODE_ASSIGNMENT, "p->y = r");
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[pa].name), "p->y");
	cc_file_graph_free(g);
	free(src);
}

static void test_java(void)
{
	char *src = load("tests/analysis/samples/Sample.java");
	cc_file_graph *g = gc_analyze(CC_LANG_JAVA, src);
	CHECK_EQ_INT(g->n_errors, 0);
	int i1 = gc_find_named(g, CC_NODE_IMPORT, "List");
	CHECK(i1 >= 0 && !strcmp(cc_graph_str(g, g->nodes[i1].qual), "java.util"));
	int i2 = gc_find_named(g, CC_NODE_IMPORT, "*");
	CHECK(i2 >= 0 && !strcmp(cc_graph_str(g, g->nodes[i2].qual), "java.util"));
	int add = gc_find_named(g, CC_NODE_METHOD, "add");
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[add].qual), "Sample.add");
	int ctor = gc_find(g, CC_NODE_METHOD,
	                   "public Sample(int start) {\n        this.total = start;\n    }");
	CHECK(ctor >= 0);
	CHECK(gc_find_named(g, CC_NODE_TYPE_DECL, "Sample") >= 0);
	/* foreach + if / else if / else with throw and continue */
	int forn = gc_find_named(g, CC_NODE_CONTROL, "for");
	int p10 = gc_find(g, CC_NODE_PREDICATE, "x > 10");
	int p0 = gc_find(g, CC_NODE_PREDICATE, "x < 0");
	int thr = gc_find_named(g, CC_NODE_CONTROL, "throw");
	int cont = gc_find_named(g, CC_NODE_CONTROL, "continue");
	int acc = gc_find(g, CC_NODE_ASSIGNMENT, "s += x");
	CHECK(gc_edge(g, CC_EDGE_CFG, p10, acc, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, acc, forn, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, thr, add, NULL)); /* throw leaves the method */
	CHECK(gc_edge(g, CC_EDGE_CFG, cont, forn, NULL));
	CHECK(gc_edge(g, CC_EDGE_CDG, p0, thr, NULL));
	CHECK(gc_edge(g, CC_EDGE_CDG, p10, p0, NULL));
	CHECK(gc_edge(g, CC_EDGE_CDG, forn, p10, NULL));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, forn, gc_find_nth(g, CC_NODE_IDENTIFIER, "x", 0), "x"));
	int newc = gc_find_named(g, CC_NODE_CALL, "IllegalArgumentException");
	CHECK(newc >= 0 && g->nodes[newc].parent == thr);
	/* try { s = helper(s); } catch (RuntimeException e) { log(e); } finally { total += s; } */
	int tryn = gc_find_named(g, CC_NODE_CONTROL, "try");
	int sh = gc_find(g, CC_NODE_ASSIGNMENT, "s = helper(s)");
	int lg = gc_find_named(g, CC_NODE_CALL, "log");
	int fin = gc_find(g, CC_NODE_ASSIGNMENT, "total += s");
	CHECK(gc_edge(g, CC_EDGE_CFG, tryn, sh, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, tryn, lg, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, sh, fin, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, lg, fin, NULL));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, tryn, gc_find(g, CC_NODE_IDENTIFIER, "e"), "e"));
	int s_fin = gc_find_nth(g, CC_NODE_IDENTIFIER, "s", 2);
	CHECK(g->nodes[s_fin].parent == fin);
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, sh, s_fin, "s"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, gc_find(g, CC_NODE_ASSIGNMENT, "s = bias"), s_fin, "s"));
	/* switch with fallthrough and default; while with a single-statement body */
	int v2 = gc_find(g, CC_NODE_ASSIGNMENT, "v = 2");
	int v3 = gc_find(g, CC_NODE_ASSIGNMENT, "v = 3");
	int v0 = gc_find(g, CC_NODE_ASSIGNMENT, "v = 0");
	CHECK(gc_edge(g, CC_EDGE_CFG, v2, v3, NULL));
	CHECK(!gc_edge(g, CC_EDGE_CFG, v0, v0, NULL));
	int wp = gc_find(g, CC_NODE_PREDICATE, "v < 100");
	int dbl = gc_find(g, CC_NODE_ASSIGNMENT, "v *= 2");
	CHECK(gc_edge(g, CC_EDGE_CFG, v0, gc_find_named(g, CC_NODE_CONTROL, "while"), NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, dbl, wp, NULL));
	CHECK(!gc_edge(g, CC_EDGE_REACHING_DEF, v2, gc_find_nth(g, CC_NODE_IDENTIFIER, "v", 1), "v"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, v3, gc_find_nth(g, CC_NODE_IDENTIFIER, "v", 1), "v"));
	/* arrow cases never fall through; each reaches the return */
	int k1 = gc_find(g, CC_NODE_ASSIGNMENT, "k = \"one\"");
	int k2 = gc_find(g, CC_NODE_ASSIGNMENT, "k = \"two\"");
	int k3 = gc_find(g, CC_NODE_ASSIGNMENT, "k = \"many\"");
	int rk = gc_find(g, CC_NODE_RETURN, "return k;");
	CHECK(k1 >= 0 && k2 >= 0 && k3 >= 0 && rk >= 0);
	CHECK(!gc_edge(g, CC_EDGE_CFG, k1, k2, NULL));
	CHECK(!gc_edge(g, CC_EDGE_CFG, k2, k3, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, k1, rk, NULL));
	int use_k = gc_find(g, CC_NODE_IDENTIFIER, "k");
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, k1, use_k, "k"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, k3, use_k, "k"));
	CHECK(!gc_edge(g, CC_EDGE_REACHING_DEF, gc_find(g, CC_NODE_ASSIGNMENT, "k = \"none\""), use_k, "k"));
	int mx = gc_find_named(g, CC_NODE_CALL, "max");
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[mx].qual), "Math");
	cc_file_graph_free(g);
	free(src);
}

int main(void)
{
	test_c();
	test_java();
	cc_analyzer_free(gc_analyzer);
	return test_result();
}
