/*
 * test_analysis_python.c - the Python front end on small sources: node kinds, spans and
 * names, and the cfg, cdg and reaching_def edges a reader of the code expects.
 */
#include "graph_check.h"
#include "analysis_int.h"

static void test_predicate_cdg_rdef(void)
{
	const char *src = "def f(a):\n"
			  "    x = 2\n"
			  "    y = x + 1\n"
			  "    if x > 0:\n"
			  "        return y\n"
			  "    print(a)\n";
	cc_file_graph *g = gc_analyze(CC_LANG_PYTHON, src);
	CHECK_EQ_INT(g->n_errors, 0);
	int m = gc_find_named(g, CC_NODE_METHOD, "f");
	int pred = gc_find(g, CC_NODE_PREDICATE, "x > 0");
	int ret = gc_find(g, CC_NODE_RETURN, "return y");
	int ax = gc_find(g, CC_NODE_ASSIGNMENT, "x = 2");
	int ay = gc_find(g, CC_NODE_ASSIGNMENT, "y = x + 1");
	int call = gc_find(g, CC_NODE_CALL, "print(a)");
	int param = gc_find(g, CC_NODE_PARAM, "a");
	CHECK(m == 0);
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[m].name), "f");
	CHECK(pred >= 0 && ret >= 0 && ax >= 0 && ay >= 0 && call >= 0 && param >= 0);
	/* the predicate spans exactly the condition, lines and columns included */
	CHECK_EQ_INT(g->nodes[pred].start_line, 4);
	CHECK_EQ_INT(g->nodes[pred].end_line, 4);
	CHECK_EQ_INT(g->nodes[pred].start_col, 7);
	CHECK_EQ_INT(g->nodes[pred].end_col, 12);
	CHECK_EQ_INT(g->nodes[pred].method, m);
	/* names */
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[ax].name), "x");
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[call].name), "print");
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[call].qual), "");
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[param].name), "a");
	/* the return inside the if depends on its predicate; the call after it too (the if
	 * returns), the assignments before it do not */
	CHECK(gc_edge(g, CC_EDGE_CDG, pred, ret, NULL));
	CHECK(gc_edge(g, CC_EDGE_CDG, pred, call, NULL));
	CHECK(!gc_edge(g, CC_EDGE_CDG, pred, ay, NULL));
	/* x = 2 reaches the x in y = x + 1 and in the predicate; the param reaches print(a) */
	int x_in_y = gc_find_nth(g, CC_NODE_IDENTIFIER, "x", 0);
	CHECK(g->nodes[x_in_y].parent == ay);
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, ax, x_in_y, "x"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, ax, gc_find_nth(g, CC_NODE_IDENTIFIER, "x", 1), "x"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, ay, gc_find(g, CC_NODE_IDENTIFIER, "y"), "y"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, param, gc_find(g, CC_NODE_IDENTIFIER, "a"), "a"));
	/* cfg: entry -> x = 2 -> y = ... -> if -> predicate -> {return, print}; return and the
	 * last statement go to the method (exit) */
	int ifn = gc_find_named(g, CC_NODE_CONTROL, "if");
	CHECK(gc_edge(g, CC_EDGE_CFG, m, ax, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, ax, ay, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, ay, ifn, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, ifn, pred, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, pred, ret, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, pred, call, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, ret, m, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, call, m, NULL));
	CHECK(!gc_edge(g, CC_EDGE_CFG, ret, call, NULL));
	/* contains and ast */
	CHECK(gc_edge(g, CC_EDGE_CONTAINS, m, call, NULL));
	CHECK(gc_edge(g, CC_EDGE_AST, ifn, pred, NULL));
	CHECK(gc_edge(g, CC_EDGE_AST, pred, gc_find_nth(g, CC_NODE_IDENTIFIER, "x", 1), NULL));
	cc_file_graph_free(g);
}

static void test_kill_and_loops(void)
{
	const char *src = "def g(n):\n"
			  "    i = 0\n"
			  "    i = 1\n"
			  "    while i < n:\n"
			  "        if i == 5:\n"
			  "            break\n"
			  "        i += 2\n"
			  "    for k in range(n):\n"
			  "        print(k)\n"
			  "        continue\n"
			  "    return i\n";
	cc_file_graph *g = gc_analyze(CC_LANG_PYTHON, src);
	int i0 = gc_find(g, CC_NODE_ASSIGNMENT, "i = 0");
	int i1 = gc_find(g, CC_NODE_ASSIGNMENT, "i = 1");
	int inc = gc_find(g, CC_NODE_ASSIGNMENT, "i += 2");
	int wpred = gc_find(g, CC_NODE_PREDICATE, "i < n");
	int brk = gc_find(g, CC_NODE_CONTROL, "break");
	int forn = gc_find_named(g, CC_NODE_CONTROL, "for");
	int cont = gc_find(g, CC_NODE_CONTROL, "continue");
	int ret = gc_find(g, CC_NODE_RETURN, "return i");
	int use_w = gc_find_nth(g, CC_NODE_IDENTIFIER, "i", 0); /* in i < n */
	int use_r = gc_find_nth(g, CC_NODE_IDENTIFIER, "i", 3); /* in return i */
	CHECK(g->nodes[use_r].parent == ret);
	/* i = 0 is killed by i = 1; the loop brings i += 2 back to the predicate */
	CHECK(!gc_edge(g, CC_EDGE_REACHING_DEF, i0, use_w, "i"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, i1, use_w, "i"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, inc, use_w, "i"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, i1, use_r, "i"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, inc, use_r, "i"));
	/* augmented assignment: a use of the previous value too */
	int use_inc = gc_find_nth(g, CC_NODE_IDENTIFIER, "i", 2);
	CHECK(g->nodes[use_inc].parent == inc);
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, i1, use_inc, "i"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, inc, use_inc, "i")); /* around the loop */
	/* cfg: back edge, break leaves the loop to the for statement, continue returns */
	CHECK(gc_edge(g, CC_EDGE_CFG, inc, wpred, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, brk, forn, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, wpred, forn, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, cont, forn, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, forn, ret, NULL));
	/* cdg: the increment depends on the inner predicate (not transitively on the outer one),
	 * which depends on the loop predicate; the loop body depends on the for header */
	int p5 = gc_find(g, CC_NODE_PREDICATE, "i == 5");
	CHECK(gc_edge(g, CC_EDGE_CDG, p5, inc, NULL));
	CHECK(gc_edge(g, CC_EDGE_CDG, p5, brk, NULL));
	CHECK(gc_edge(g, CC_EDGE_CDG, wpred, p5, NULL));
	CHECK(!gc_edge(g, CC_EDGE_CDG, wpred, inc, NULL));
	CHECK(gc_edge(g, CC_EDGE_CDG, forn, cont, NULL));
	CHECK(!gc_edge(g, CC_EDGE_CDG, wpred, ret, NULL));
	/* the loop variable is defined by the for node */
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, forn, gc_find(g, CC_NODE_IDENTIFIER, "k"), "k"));
	CHECK(gc_edge(g, CC_EDGE_CDG, forn, gc_find_named(g, CC_NODE_CALL, "print"), NULL));
	cc_file_graph_free(g);
}

static void test_names_imports_nesting(void)
{
	const char *src = "import os.path\n"
			  "from a.b import c as d, e\n"
			  "class A(Base):\n"
			  "    @deco(1)\n"
			  "    def m(self, *args, key=None, **kw):\n"
			  "        self.helper(key)\n"
			  "        def inner(z):\n"
			  "            return z\n"
			  "        return os.path.join(inner(1))\n";
	cc_file_graph *g = gc_analyze(CC_LANG_PYTHON, src);
	int cls = gc_find_named(g, CC_NODE_TYPE_DECL, "A");
	int m = gc_find_named(g, CC_NODE_METHOD, "m");
	int inner = gc_find_named(g, CC_NODE_METHOD, "inner");
	CHECK(cls >= 0 && m >= 0 && inner >= 0);
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[m].qual), "A.m");
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[inner].qual), "A.m.inner");
	CHECK_EQ_INT(g->nodes[m].start_line, 5); /* the def, not the decorator */
	int hc = gc_find_named(g, CC_NODE_CALL, "helper");
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[hc].qual), "self");
	int jc = gc_find_named(g, CC_NODE_CALL, "join");
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[jc].qual), "os.path");
	CHECK_EQ_INT(g->nodes[jc].method, m);
	int ic = gc_find_named(g, CC_NODE_CALL, "inner");
	CHECK(gc_edge(g, CC_EDGE_AST, jc, ic, NULL));
	/* the decorator call belongs to the class body, not to m */
	int dc = gc_find_named(g, CC_NODE_CALL, "deco");
	CHECK_EQ_INT(g->nodes[dc].method, -1);
	/* params: names without stars and defaults */
	CHECK(gc_find_named(g, CC_NODE_PARAM, "self") >= 0);
	CHECK(gc_find_named(g, CC_NODE_PARAM, "args") >= 0);
	CHECK(gc_find_named(g, CC_NODE_PARAM, "key") >= 0);
	CHECK(gc_find_named(g, CC_NODE_PARAM, "kw") >= 0);
	CHECK_EQ_INT(gc_count_kind(g, CC_NODE_PARAM), 5);
	/* the nested function's return is its own, and not part of m's flow */
	int zr = gc_find(g, CC_NODE_RETURN, "return z");
	CHECK_EQ_INT(g->nodes[zr].method, inner);
	CHECK(gc_edge(g, CC_EDGE_CFG, zr, inner, NULL));
	CHECK_EQ_INT(gc_count_edges(g, CC_EDGE_CFG, -1, zr), 1);
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, gc_find_named(g, CC_NODE_PARAM, "z"),
	              gc_find(g, CC_NODE_IDENTIFIER, "z"), "z"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, gc_find_named(g, CC_NODE_PARAM, "key"),
	              gc_find(g, CC_NODE_IDENTIFIER, "key"), "key"));
	/* imports: name bound, module path */
	int i1 = gc_find(g, CC_NODE_IMPORT, "os.path");
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[i1].qual), "os.path");
	int i2 = gc_find_named(g, CC_NODE_IMPORT, "d");
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[i2].qual), "a.b");
	int i3 = gc_find_named(g, CC_NODE_IMPORT, "e");
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[i3].qual), "a.b");
	/* attribute names and keyword names are not identifier uses */
	CHECK(gc_find(g, CC_NODE_IDENTIFIER, "helper") < 0);
	CHECK(gc_find(g, CC_NODE_IDENTIFIER, "join") < 0);
	cc_file_graph_free(g);
}

static void test_try_with_errors(void)
{
	const char *src = "def h(p):\n"
			  "    try:\n"
			  "        v = load(p)\n"
			  "    except OSError as err:\n"
			  "        v = str(err)\n"
			  "    finally:\n"
			  "        close()\n"
			  "    with open(p) as fh:\n"
			  "        fh.read(v)\n";
	cc_file_graph *g = gc_analyze(CC_LANG_PYTHON, src);
	int tryn = gc_find_named(g, CC_NODE_CONTROL, "try");
	int v1 = gc_find(g, CC_NODE_ASSIGNMENT, "v = load(p)");
	int v2 = gc_find(g, CC_NODE_ASSIGNMENT, "v = str(err)");
	int cl = gc_find_named(g, CC_NODE_CALL, "close");
	int withn = gc_find_named(g, CC_NODE_CONTROL, "with");
	int rd = gc_find_named(g, CC_NODE_CALL, "read");
	CHECK(gc_edge(g, CC_EDGE_CFG, tryn, v1, NULL));
	/* the handler first evaluates its exception type */
	int exc = gc_find(g, CC_NODE_IDENTIFIER, "OSError");
	CHECK(gc_edge(g, CC_EDGE_CFG, tryn, exc, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, exc, v2, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, v1, cl, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, v2, cl, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, cl, withn, NULL));
	CHECK(gc_edge(g, CC_EDGE_CFG, withn, rd, NULL));
	int use_v = gc_find(g, CC_NODE_IDENTIFIER, "v");
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, v1, use_v, "v"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, v2, use_v, "v"));
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, withn, gc_find(g, CC_NODE_IDENTIFIER, "fh"), "fh"));
	/* the handler's variable is bound by the try node */
	CHECK(gc_edge(g, CC_EDGE_REACHING_DEF, tryn, gc_find(g, CC_NODE_IDENTIFIER, "err"), "err"));
	cc_file_graph_free(g);

	/* syntax errors are counted, what parses is still analysed */
	const char *bad = "def ok():\n    return 1\n\ndef broken(:\n    x = = 2\n";
	g = gc_analyze(CC_LANG_PYTHON, bad);
	CHECK(g->n_errors > 0);
	CHECK(gc_find_named(g, CC_NODE_METHOD, "ok") >= 0);
	CHECK(gc_find(g, CC_NODE_RETURN, "return 1") >= 0);
	cc_file_graph_free(g);
}

static void test_api(void)
{
	CHECK_EQ_INT(cc_lang_from_path("a/b/c.py"), CC_LANG_PYTHON);
	CHECK_EQ_INT(cc_lang_from_path("x.h"), CC_LANG_C);
	CHECK_EQ_INT(cc_lang_from_path("x.tsx"), CC_LANG_TSX);
	CHECK_EQ_INT(cc_lang_from_path("Makefile"), CC_LANG_UNKNOWN);
	static const char cpph[] = "#pragma once\nnamespace a { class B { public: int f(); }; }\n";
	static const char ch[] = "#ifndef X_H\n#define X_H\nstruct s { int a; };\nint f(void);\n#endif\n";
	CHECK_EQ_INT(cc_lang_detect("inc/b.h", cpph, sizeof(cpph) - 1), CC_LANG_CPP);
	CHECK_EQ_INT(cc_lang_detect("inc/x.h", ch, sizeof(ch) - 1), CC_LANG_C);
	CHECK_EQ_INT(cc_lang_detect("inc/x.h", NULL, 0), CC_LANG_C);
	CHECK_EQ_INT(cc_lang_detect("a.c", cpph, sizeof(cpph) - 1), CC_LANG_C); /* .c stays C */
	CHECK_EQ_INT(cc_lang_detect("a.py", ch, sizeof(ch) - 1), CC_LANG_PYTHON);
	CHECK_EQ_INT(cc_lang_from_path(".py"), CC_LANG_UNKNOWN);
	CHECK_EQ_STR(cc_lang_name(CC_LANG_RUST), "rust");
	CHECK_EQ_STR(cc_lang_name(CC_LANG_UNKNOWN), "unknown");
	for (int k = 0; k < CC_NODE_KIND_COUNT; k++)
		CHECK_EQ_INT(cc_node_kind_parse(cc_node_kind_name((cc_node_kind)k)), k);
	for (int k = 0; k < CC_EDGE_KIND_COUNT; k++)
		CHECK_EQ_INT(cc_edge_kind_parse(cc_edge_kind_name((cc_edge_kind)k)), k);
	CHECK_EQ_INT(cc_node_kind_parse("nope"), -1);
	cc_file_graph *g = NULL;
	CHECK_EQ_INT(cc_analyze(&g, gc_analyzer, CC_LANG_UNKNOWN, "x", 1), CC_EUNSUPPORTED);
	CHECK(g == NULL);
	/* empty input is a valid, empty file */
	CHECK_EQ_INT(cc_analyze(&g, gc_analyzer, CC_LANG_PYTHON, NULL, 0), CC_OK);
	CHECK(g && g->n_nodes == 0 && g->names[0] == '\0');
	cc_file_graph_free(g);
	cc_file_graph_free(NULL);
	cc_analyzer_free(NULL);
	/* a grammar of an ABI the runtime refuses: the message names language and versions */
	CHECK_EQ_INT(cc_grammar_abi_check("python", 14), CC_OK);
	CHECK_EQ_INT(cc_grammar_abi_check("python", 15), CC_EUNSUPPORTED);
	CHECK(strstr(cc_error_last(), "python") && strstr(cc_error_last(), "15") &&
	      strstr(cc_error_last(), "13 to 14"));
	CHECK_EQ_INT(cc_grammar_abi_check("go", 12), CC_EUNSUPPORTED);
}

int main(void)
{
	test_predicate_cdg_rdef();
	test_kill_and_loops();
	test_names_imports_nesting();
	test_try_with_errors();
	test_api();
	cc_analyzer_free(gc_analyzer);
	return test_result();
}
