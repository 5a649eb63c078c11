/*
 * test_store_codec.c - the store's blob encodings on graphs built by hand: a graph and its link
 * info survive encode/decode field by field; every truncation and random damage of an encoded
 * blob is refused with CC_EDB or decodes to a graph whose indexes stay in bounds.
 */
#include "store_int.h"
#include "test.h"

static const char names[] = "\0foo\0Foo.foo\0x\0bar\0self\0os\0Foo";
enum {
	N_FOO = 1,
	N_FOOQ = 5,
	N_X = 13,
	N_BAR = 15,
	N_SELF = 19,
	N_OS = 24,
	N_FOOT = 27
};

static cc_file_graph *sample(void)
{
	cc_file_graph *g = calloc(1, sizeof(*g));
	g->lang = CC_LANG_PYTHON;
	g->names_len = sizeof(names);
	g->names = malloc(sizeof(names));
	memcpy(g->names, names, sizeof(names));
	g->n_nodes = 6;
	g->nodes = calloc(g->n_nodes, sizeof(cc_node));
	/* kind, parent, method, start_byte, end_byte, start_line, end_line, cols, name, qual */
	g->nodes[0] = (cc_node){CC_NODE_IMPORT, -1, -1, 0, 9, 1, 1, 0, 9, N_OS, N_OS};
	g->nodes[1] = (cc_node){CC_NODE_TYPE_DECL, -1, -1, 11, 80, 3, 6, 0, 20, N_FOOT, N_FOOT};
	g->nodes[2] = (cc_node){CC_NODE_METHOD, 1, -1, 25, 80, 4, 6, 4, 20, N_FOO, N_FOOQ};
	g->nodes[3] = (cc_node){CC_NODE_PARAM, 2, 2, 38, 39, 4, 4, 17, 18, N_X, 0};
	g->nodes[4] = (cc_node){CC_NODE_CALL, 2, 2, 60, 71, 5, 5, 8, 19, N_BAR, N_SELF};
	g->nodes[5] = (cc_node){CC_NODE_IDENTIFIER, 4, 2, 69, 70, 5, 5, 17, 18, N_X, 0};
	g->n_edges = 5;
	g->edges = calloc(g->n_edges, sizeof(cc_edge));
	g->edges[0] = (cc_edge){CC_EDGE_AST, 1, 2, 0, 1.0f};
	g->edges[1] = (cc_edge){CC_EDGE_CONTAINS, 2, 3, 0, 1.0f};
	g->edges[2] = (cc_edge){CC_EDGE_CONTAINS, 2, 4, 0, 1.0f};
	g->edges[3] = (cc_edge){CC_EDGE_REACHING_DEF, 3, 5, N_X, 1.0f};
	g->edges[4] = (cc_edge){CC_EDGE_CFG, 4, 3, 0, 0.25f}; /* backwards, not 1.0 */
	g->n_errors = 2;
	return g;
}

static void check_same(const cc_file_graph *a, const cc_file_graph *b)
{
	CHECK_EQ_INT(a->lang, b->lang);
	CHECK_EQ_INT(a->n_nodes, b->n_nodes);
	CHECK_EQ_INT(a->n_edges, b->n_edges);
	CHECK_EQ_INT(a->n_errors, b->n_errors);
	CHECK_EQ_INT(a->names_len, b->names_len);
	CHECK(!memcmp(a->names, b->names, a->names_len));
	for (uint32_t i = 0; i < a->n_nodes && i < b->n_nodes; i++)
		CHECK(!memcmp(&a->nodes[i], &b->nodes[i], sizeof(cc_node)));
	for (uint32_t i = 0; i < a->n_edges && i < b->n_edges; i++) {
		CHECK_EQ_INT(a->edges[i].kind, b->edges[i].kind);
		CHECK_EQ_INT(a->edges[i].src, b->edges[i].src);
		CHECK_EQ_INT(a->edges[i].dst, b->edges[i].dst);
		CHECK_EQ_INT(a->edges[i].var, b->edges[i].var);
		CHECK(a->edges[i].confidence == b->edges[i].confidence);
	}
}

static void check_bounds(const cc_file_graph *g)
{
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		CHECK(n->kind < CC_NODE_KIND_COUNT);
		CHECK(n->parent >= -1 && n->parent < (int32_t)g->n_nodes);
		CHECK(n->method >= -1 && n->method < (int32_t)g->n_nodes);
		CHECK(n->name < g->names_len && n->qual < g->names_len);
		CHECK(n->start_byte <= n->end_byte && n->start_line <= n->end_line);
	}
	for (uint32_t i = 0; i < g->n_edges; i++) {
		const cc_edge *e = &g->edges[i];
		CHECK(e->src >= 0 && e->src < (int32_t)g->n_nodes);
		CHECK(e->dst >= 0 && e->dst < (int32_t)g->n_nodes);
		CHECK(e->var < g->names_len);
	}
	CHECK(g->names[g->names_len] == 0); /* every name is terminated */
}

static void test_graph_roundtrip(void)
{
	cc_file_graph *g = sample(), *d = NULL;
	cc_buf b = {0};
	cc_graph_encode(&b, g);
	CHECK(b.len < g->n_nodes * sizeof(cc_node)); /* compact: smaller than the raw structs */
	CHECK_EQ_INT(cc_graph_decode(&d, b.p, b.len), CC_OK);
	if (d)
		check_same(g, d);
	cc_file_graph_free(d);

	/* Every strict prefix is malformed. */
	for (size_t n = 0; n < b.len; n++) {
		d = NULL;
		int rc = cc_graph_decode(&d, b.p, n);
		CHECK_EQ_INT(rc, CC_EDB);
		CHECK(d == NULL);
	}
	/* Random damage: refused, or decoded within bounds. */
	uint64_t x = 88172645463325252ull;
	for (int round = 0; round < 20000; round++) {
		uint8_t *copy = malloc(b.len);
		memcpy(copy, b.p, b.len);
		for (int k = 0; k < 1 + round % 4; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			copy[x % b.len] ^= (uint8_t)(x >> 32) | 1;
		}
		d = NULL;
		if (cc_graph_decode(&d, copy, b.len) == CC_OK) {
			check_bounds(d);
			cc_file_graph_free(d);
		}
		free(copy);
	}
	cc_buf_free(&b);
	cc_file_graph_free(g);
}

static void test_empty_graph(void)
{
	cc_file_graph g = {.lang = CC_LANG_C}, *d = NULL;
	cc_buf b = {0};
	cc_graph_encode(&b, &g);
	CHECK_EQ_INT(cc_graph_decode(&d, b.p, b.len), CC_OK);
	if (d) {
		CHECK_EQ_INT(d->n_nodes, 0);
		CHECK_EQ_INT(d->n_edges, 0);
		CHECK_EQ_STR(d->names, "");
	}
	cc_file_graph_free(d);
	cc_buf_free(&b);
}

static void test_links(void)
{
	cc_file_graph *g = sample();
	cc_buf b = {0};
	cc_links l;
	cc_links_encode(&b, g);
	CHECK_EQ_INT(cc_links_decode(&l, b.p, b.len), CC_OK);
	/* definitions: the class and the method, in node order */
	CHECK_EQ_INT(l.n_defs, 2);
	if (l.n_defs == 2) {
		CHECK_EQ_INT(l.defs[0].index, 1);
		CHECK_EQ_INT(l.defs[0].kind, CC_NODE_TYPE_DECL);
		CHECK_EQ_STR(l.pool + l.defs[0].name, "Foo");
		CHECK_EQ_INT(l.defs[1].index, 2);
		CHECK_EQ_STR(l.pool + l.defs[1].name, "foo");
		CHECK_EQ_STR(l.pool + l.defs[1].qual, "Foo.foo");
	}
	/* the call: name, receiver, and the qualified name of the method it sits in */
	CHECK_EQ_INT(l.n_calls, 1);
	if (l.n_calls == 1) {
		CHECK_EQ_INT(l.calls[0].index, 4);
		CHECK_EQ_STR(l.pool + l.calls[0].name, "bar");
		CHECK_EQ_STR(l.pool + l.calls[0].recv, "self");
		CHECK_EQ_STR(l.pool + l.calls[0].encl, "Foo.foo");
	}
	CHECK_EQ_INT(l.n_imports, 1);
	if (l.n_imports == 1)
		CHECK_EQ_STR(l.pool + l.imports[0].qual, "os");
	cc_links_clear(&l);
	for (size_t n = 0; n < b.len; n++)
		CHECK_EQ_INT(cc_links_decode(&l, b.p, n), CC_EDB);
	cc_buf_free(&b);
	cc_file_graph_free(g);
}

/* C++ aliases read token by token: comments and strings hold none, template parameters with
 * '>' inside parentheses do not end a class's header, an alias inside a block of no namespace
 * or class (a test macro's, a nested one) is marked local ('.'), one after the block is not. */
static void test_type_aliases(void)
{
	static const char src[] =
		"namespace ns {\n"
		"template <class T, class = typename std::enable_if<(sizeof(T) > 1)>::type>\n"
		"class basic_j { public: using value_type = T; };\n"
		"using j = basic_j<long>;\n"
		"}\n"
		"// using j = commented_out;\n"
		"const char* s = \"using k = in_a_string; {\";\n"
		"const char* r = R\"x(using m = in_raw; })x\";\n"
		"TEST_CASE(\"x\") {\n"
		"  char c = '{'; int n = 1'000;\n"
		"  using j = other<int>;\n"
		"  { typedef basic_j<short> sj; }\n"
		"}\n"
		"using after = ns::basic_j<int>;\n"
		"/* using z = unterminated;";
	cc_file_graph g = {0};
	char out[256];
	g.lang = CC_LANG_CPP;
	cc_type_aliases(out, sizeof(out), &g, src, sizeof(src) - 1);
	CHECK_EQ_STR(out, "value_type:T,j:basic_j,.j:other,.sj:basic_j,after:basic_j");
	/* no room for a local alias's mark: the alias is left out, the string stays whole */
	cc_type_aliases(out, 24, &g, src, sizeof(src) - 1);
	CHECK_EQ_STR(out, "value_type:T,j:basic_j");
	g.lang = CC_LANG_PYTHON;
	cc_type_aliases(out, sizeof(out), &g, src, sizeof(src) - 1);
	CHECK_EQ_STR(out, "");
}

/* Offset of the first occurrence of marker m in src. */
static uint32_t at(const char *src, const char *m)
{
	const char *p = strstr(src, m);
	return p ? (uint32_t)(p - src) : 0;
}

static void test_cpp_namespaces(void)
{
	static const char src[] =
		"namespace outer {\n"
		"int A;\n"
		"namespace inner { int B; }\n"
		"inline namespace v1 { int C; }\n"
		"namespace { int D; }\n"
		"using namespace other;\n"
		"namespace al = outer::inner;\n"
		"// namespace commented { \n"
		"const char* s = \"namespace in_string {\";\n"
		"#define OPEN namespace in_macro {\n"
		"void f() { if (1) { int E; } }\n"
		"}\n"
		"namespace a::b { int F; }\n"
		"namespace x::inline y { int G; }\n"
		"int H;\n"
		"}\n" /* one `}` too many: ignored */
		"namespace open_at_eof { int I;";
	cc_ns_block b[16];
	size_t n = cc_cpp_namespaces(b, 16, src, sizeof(src) - 1);
	CHECK_EQ_INT((int)n, 7);
	CHECK_EQ_STR(cc_ns_at(b, n, at(src, "A;")), "outer");
	CHECK_EQ_STR(cc_ns_at(b, n, at(src, "B;")), "outer::inner");
	CHECK_EQ_STR(cc_ns_at(b, n, at(src, "C;")), "outer");
	CHECK_EQ_STR(cc_ns_at(b, n, at(src, "D;")), "outer");
	CHECK_EQ_STR(cc_ns_at(b, n, at(src, "E;")), "outer");
	CHECK_EQ_STR(cc_ns_at(b, n, at(src, "F;")), "a::b");
	CHECK_EQ_STR(cc_ns_at(b, n, at(src, "G;")), "x");
	CHECK_EQ_STR(cc_ns_at(b, n, at(src, "H;")), "");
	CHECK_EQ_STR(cc_ns_at(b, n, at(src, "I;")), "open_at_eof");
	/* fewer slots than blocks: the count all the same, the first ones filled */
	CHECK_EQ_INT((int)cc_cpp_namespaces(b, 2, src, sizeof(src) - 1), 7);
	CHECK_EQ_INT((int)cc_cpp_namespaces(NULL, 0, src, sizeof(src) - 1), 7);
	CHECK_EQ_INT((int)cc_cpp_namespaces(b, 16, NULL, 0), 0);
	/* deeper than the scanner's stack and paths longer than a block's path: bounded, whole */
	char deep[400 * 16 + 1] = "";
	size_t dl = 0;
	for (int i = 0; i < 400; i++)
		dl += (size_t)sprintf(deep + dl, "namespace n%03d{", i);
	cc_ns_block *db = calloc(400, sizeof(*db));
	size_t dn = cc_cpp_namespaces(db, 400, deep, dl);
	CHECK_EQ_INT((int)dn, 400);
	const char *last = cc_ns_at(db, dn, (uint32_t)dl - 1);
	CHECK(strlen(last) < sizeof(db->path) && !strncmp(last, "n000::n001", 10));
	free(db);
	char lng[300];
	memset(lng, 'q', sizeof(lng));
	memcpy(lng, "namespace ", 10);
	memcpy(lng + sizeof(lng) - 6, " { }\n", 5);
	lng[sizeof(lng) - 1] = 0;
	CHECK_EQ_INT((int)cc_cpp_namespaces(b, 16, lng, strlen(lng)), 1);
	CHECK_EQ_STR(b[0].path, "");
}

/* Namespace macros (cg13): what a `#define` body must be to count, and hostile bodies */
static void test_ns_macros(void)
{
	const char src[] =
		"#  define LIB_BEGIN \\\n"
		"    namespace lib {   \\\n"
		"    inline namespace v12 {\n"
		"#define LIB_END \\\n"
		"  }  /* inline */ \\\n"
		"  }  // namespace lib\n"
		"#define J_BEGIN namespace nl { inline namespace CONCAT(TAGS, VER) {\n"
		"#define AB namespace a::b {\n"
		"#define ANON namespace {\n"
		"#define FN(x) namespace x {\n"          /* function-like: not one */
		"#define MIXED namespace m { int y; }\n" /* more than namespaces */
		"#define BOTH namespace m { }\n"         /* opens and closes: not one */
		"#define BRACE {\n"                      /* another block (`export {`): pairs with its closer */
		"#define SELF SELF\n"                    /* recursive: never expanded */
		"#define OTHER LIB_BEGIN\n"              /* another macro's use: not followed */
		"#define NONAME namespace\n"             /* no `{` */
		"#define EMPTY\n"                        /* empty: makes another definition ambiguous */
		"#define\n"
		"// #define COMMENTED namespace c {\n"
		"const char* s = \"\\n#define STR namespace s {\";\n"
		"#define AT_EOF namespace e { \\"; /* a continuation into EOF: not one */
	char out[512];
	size_t n = cc_ns_macros(out, sizeof(out), src, sizeof(src) - 1);
	CHECK_EQ_STR(out, "LIB_BEGIN+lib/2,LIB_END-2,J_BEGIN+nl/2,AB+a::b/1,ANON+/1,BRACE+/1,"
	                  "EMPTY=,");
	CHECK_EQ_INT((int)n, 7);
	/* no room: entries that do not fit are left out, the string stays terminated */
	char small[20];
	CHECK_EQ_INT((int)cc_ns_macros(small, sizeof(small), src, sizeof(src) - 1), 1);
	CHECK_EQ_STR(small, "LIB_BEGIN+lib/2,");
	CHECK_EQ_INT((int)cc_ns_macros(out, sizeof(out), NULL, 0), 0);
	CHECK_EQ_STR(out, "");
	/* a huge body (64 KiB of namespaces) and a name past the path's room: bounded */
	size_t hl = 70000;
	char *huge = malloc(hl + 1);
	size_t k = (size_t)sprintf(huge, "#define HUGE ");
	while (k + 20 < hl)
		k += (size_t)sprintf(huge + k, "namespace n {\\\n");
	huge[k] = 0;
	CHECK_EQ_INT((int)cc_ns_macros(out, sizeof(out), huge, k), 0);
	k = (size_t)sprintf(huge, "#define LONG namespace ");
	memset(huge + k, 'q', 300);
	k += 300;
	k += (size_t)sprintf(huge + k, " {\n");
	/* a block it opens, its path left out */
	CHECK_EQ_INT((int)cc_ns_macros(out, sizeof(out), huge, k), 1);
	CHECK_EQ_STR(out, "LONG+/1,");
	free(huge);

	/* lone identifier lines: a macro's use, not a statement, a label or a preprocessor line */
	const char use[] = "LIB_BEGIN\n"
			   "int f(); FOO\n"
			   "  BAR // why\n"
			   "label:\n"
			   "#define X \\\nCONT\n"
			   "/* LIB_END\n*/\n"
			   "BAZ /* a */\n"
			   "LIB_END";
	uint32_t off[8], wl[8];
	size_t m = cc_lone_lines(off, wl, 8, use, sizeof(use) - 1);
	CHECK_EQ_INT((int)m, 4);
	const char *want[] = {"LIB_BEGIN", "BAR", "BAZ", "LIB_END"};
	for (size_t i = 0; i < m && i < 4; i++)
		CHECK(wl[i] == strlen(want[i]) && !memcmp(use + off[i], want[i], wl[i]));
	CHECK_EQ_INT((int)cc_lone_lines(off, wl, 1, use, sizeof(use) - 1), 4);
	CHECK_EQ_INT((int)cc_lone_lines(NULL, NULL, 0, use, sizeof(use) - 1), 4);
}

int main(void)
{
	test_graph_roundtrip();
	test_empty_graph();
	test_links();
	test_type_aliases();
	test_cpp_namespaces();
	test_ns_macros();
	return test_result();
}
