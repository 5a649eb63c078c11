/*
 * test_analysis_defs.c - definitions that macro-heavy C/C++ and JavaScript make hard (issue
 * 19): macro uses and keywords are no methods, attribute macros give way to the real name,
 * = default / = delete members are no methods, conversion operators are named; JS functions
 * assigned to properties are named and scoped; .h language detection reads code only.
 */
#include "graph_check.h"

#include <string.h>

static int methods_named(const cc_file_graph *g, const char *name)
{
	int n = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++)
		n += g->nodes[i].kind == CC_NODE_METHOD && !strcmp(cc_graph_str(g, g->nodes[i].name), name);
	return n;
}

static void test_cpp(void)
{
	cc_file_graph *g = gc_analyze(CC_LANG_CPP,
	                              "struct S {\n"
	                              "  S() = default;\n"
	                              "  S(const S&) = delete;\n"
	                              "  operator bool() const { return true; }\n"
	                              "  int get() const { return 1; }\n"
	                              "};\n"
	                              "S::operator int() const { return 2; }\n"
	                              "TEST(Suite, name) { int x = 1; }\n"
	                              "void g() { try { f(); } FMT_CATCH(...) { h(); } }\n"
	                              "int LRU_CLOCK(void) { return 0; }\n");
	CHECK_EQ_INT(methods_named(g, "S"), 0); /* = default / = delete */
	CHECK_EQ_INT(methods_named(g, "operator bool"), 1);
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, "operator int")].qual),
	             "S::operator int");
	CHECK_EQ_INT(methods_named(g, "get"), 1);
	CHECK_EQ_INT(methods_named(g, "TEST"), 0);              /* a typeless ALL-CAPS macro use... */
	CHECK_EQ_INT(methods_named(g, "TEST(Suite, name)"), 1); /* ...at file level: a test */
	CHECK_EQ_INT(methods_named(g, "FMT_CATCH"), 0);         /* ...in a function: no definition */
	CHECK_EQ_INT(methods_named(g, "h"), 0);
	CHECK_EQ_INT(methods_named(g, "LRU_CLOCK"), 1); /* an ALL-CAPS function with a type */
	for (uint32_t i = 0; i < g->n_nodes; i++)
		if (g->nodes[i].kind == CC_NODE_METHOD)
			CHECK(g->nodes[i].name != 0); /* no unnamed definitions */
	cc_file_graph_free(g);

	g = gc_analyze(CC_LANG_C,
	               "static int apply(int v) {\n"
	               "    GET_NUMERIC_TYPE(prev)\n"
	               "    if (prev != v) {\n"
	               "        return 1;\n"
	               "    }\n"
	               "    return 0;\n"
	               "}\n");
	CHECK_EQ_INT(methods_named(g, "if"), 0);
	cc_file_graph_free(g);

	/* export macros in class headers: the class and its methods' scope are kept */
	g = gc_analyze(CC_LANG_CPP,
	               "namespace leveldb {\n"
	               "class LEVELDB_EXPORT Status {\n"
	               " public:\n"
	               "  static Status OK() { return Status(); }\n"
	               "};\n"
	               "struct GTEST_API_ Test final : public Base { void Run() {} };\n"
	               "NLOHMANN_BASIC_JSON_TPL_DECLARATION\n"
	               "class basic_json // NOLINT(x)\n"
	               "    : public base<X>\n"
	               "{\n"
	               "  public:\n"
	               "    size_type size() const noexcept { return 0; }\n"
	               "};\n"
	               "}\n");
	CHECK(gc_find_named(g, CC_NODE_TYPE_DECL, "Status") >= 0);
	CHECK(gc_find_named(g, CC_NODE_TYPE_DECL, "Test") >= 0);
	CHECK_EQ_INT(methods_named(g, "OK"), 1);
	CHECK(strstr(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, "OK")].qual),
	             "Status::OK") != NULL);
	CHECK(strstr(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, "Run")].qual),
	             "Test::Run") != NULL);
	CHECK(strstr(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, "size")].qual),
	             "basic_json::size") != NULL); /* a template macro on the line before */
	cc_file_graph_free(g);

	/* a namespace macro alone on its line (json's NLOHMANN_JSON_NAMESPACE_BEGIN, fmt's
	 * FMT_BEGIN_NAMESPACE) is read as blank, so the class after it keeps its methods */
	g = gc_analyze(CC_LANG_CPP,
	               "NLOHMANN_JSON_NAMESPACE_BEGIN\n"
	               "/* a class */\n"
	               "NLOHMANN_BASIC_JSON_TPL_DECLARATION\n"
	               "class basic_json // NOLINT(x)\n"
	               "    : public base<X>\n"
	               "{\n"
	               "  JSON_PRIVATE_UNLESS_TESTED:\n" /* an access macro: `private` or `public` */
	               "    using lexer = int;\n"
	               "  public:\n"
	               "    bool is_array() const noexcept { return true; }\n"
	               "};\n"
	               "NLOHMANN_JSON_NAMESPACE_END\n"
	               "FMT_BEGIN_NAMESPACE  // fmt\n"
	               "template <typename T> class buffer {\n"
	               " public:\n"
	               "  constexpr auto size() const noexcept -> size_t { return 0; }\n"
	               "};\n"
	               "FMT_END_NAMESPACE\n");
	CHECK(gc_find_named(g, CC_NODE_TYPE_DECL, "basic_json") >= 0);
	CHECK(gc_find_named(g, CC_NODE_TYPE_DECL, "buffer") >= 0);
	if (gc_find_named(g, CC_NODE_METHOD, "is_array") >= 0)
		CHECK_EQ_STR(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, "is_array")].qual),
		             "basic_json::is_array");
	if (gc_find_named(g, CC_NODE_METHOD, "size") >= 0)
		CHECK_EQ_STR(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, "size")].qual),
		             "buffer::size");
	CHECK_EQ_INT(methods_named(g, "is_array"), 1);
	CHECK_EQ_INT(methods_named(g, "size"), 1);
	cc_file_graph_free(g);

	/* json's basic_json (issue 19): an access macro before a nested union reads as a bit-field
	 * and tree-sitter closed the class at the union: the methods after it had no class */
	g = gc_analyze(CC_LANG_CPP,
	               "class basic_json\n"
	               "{\n"
	               "  JSON_PRIVATE_UNLESS_TESTED:\n"
	               "    /* a JSON value: a union of pointers to each JSON type, or the value itself (boolean,\n"
	               "       number) */\n"
	               "    union json_value\n"
	               "    {\n"
	               "        object_t* object;\n"
	               "        array_t* array;\n"
	               "        string_t* string;\n"
	               "        binary_t* binary;\n"
	               "        boolean_t boolean;\n"
	               "        number_integer_t number_integer;\n"
	               "        number_unsigned_t number_unsigned;\n"
	               "        number_float_t number_float;\n"
	               "    };\n"
	               "  public:\n"
	               "    bool is_array() const noexcept { return true; }\n"
	               "    int type() const noexcept { return 0; }\n"
	               "};\n");
	CHECK(gc_find_named(g, CC_NODE_TYPE_DECL, "basic_json") >= 0);
	CHECK_EQ_INT(methods_named(g, "is_array"), 1);
	CHECK_EQ_INT(methods_named(g, "type"), 1);
	const char *after[] = {"is_array", "type", "get"};
	for (size_t k = 0; k < 2; k++)
		if (gc_find_named(g, CC_NODE_METHOD, after[k]) >= 0)
			CHECK_EQ_STR(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, after[k])].qual),
			             k ? "basic_json::type" : "basic_json::is_array");
	cc_file_graph_free(g);

	/* ...and a `#if` around `constexpr` or around one template argument, in a declaration */
	g = gc_analyze(CC_LANG_CPP,
	               "class basic_json\n"
	               "{\n"
	               "  public:\n"
	               "    template < typename T, typename U = T>\n"
	               "#if defined(JSON_HAS_CPP_14)\n"
	               "    constexpr\n"
	               "#endif\n"
	               "    auto get() const noexcept -> U { return U(); }\n"
	               "    template < typename V, detail::enable_if_t <\n"
	               "                   detail::conjunction <\n"
	               "#if defined(JSON_HAS_CPP_17)\n"
	               "                       detail::negation<V>,\n"
	               "#endif\n"
	               "                       detail::is_x<V>\n"
	               "                   >::value, int >::type = 0 >\n"
	               "    operator V() const { return get<V>(); }\n"
	               "    int type() const noexcept { return 0; }\n"
	               "};\n");
	CHECK_EQ_INT(methods_named(g, "get"), 1);
	CHECK_EQ_INT(methods_named(g, "type"), 1);
	if (gc_find_named(g, CC_NODE_METHOD, after[2]) >= 0)
		CHECK_EQ_STR(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, after[2])].qual),
		             "basic_json::get");
	cc_file_graph_free(g);

	/* json's lexer (issue 19, cg10): an attribute macro alone on its line before a member
	 * (`JSON_HEDLEY_NON_NULL(2)`) read as a declaration lost the class body after it; a test
	 * macro alone on its line with its body on the next ones stays a test */
	g = gc_analyze(CC_LANG_CPP,
	               "class lexer : public lexer_base<BasicJsonType>\n"
	               "{\n"
	               "  public:\n"
	               "    token_type scan_number() { return token_type::x; }\n"
	               "    JSON_HEDLEY_NON_NULL(2)\n"
	               "    token_type scan_literal(const char_type* literal_text, const std::size_t length,\n"
	               "                            token_type return_type)\n"
	               "    {\n"
	               "        return return_type;\n"
	               "    }\n"
	               "    JSON_HEDLEY_RETURNS_NON_NULL // a comment\n"
	               "    constexpr position_t get_position() const noexcept { return position; }\n"
	               "};\n"
	               "TEST(Suite, name2)\n"
	               "{\n"
	               "  int x = 1;\n"
	               "}\n");
	CHECK_EQ_INT(methods_named(g, "scan_literal"), 1);
	CHECK_EQ_INT(methods_named(g, "get_position"), 1);
	CHECK_EQ_INT(methods_named(g, "JSON_HEDLEY_NON_NULL"), 0);
	CHECK_EQ_INT(methods_named(g, "TEST(Suite, name2)"), 1);
	if (gc_find_named(g, CC_NODE_METHOD, "get_position") >= 0)
		CHECK_EQ_STR(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, "get_position")].qual),
		             "lexer::get_position");
	cc_file_graph_free(g);

	/* out-of-class definitions returning a pointer or a reference */
	g = gc_analyze(CC_LANG_CPP,
	               "const char* FilePath::Find() const { return c_str(); }\n"
	               "FilePath& FilePath::Self() { return *this; }\n");
	CHECK_EQ_INT(methods_named(g, "Find"), 1);
	CHECK_EQ_INT(methods_named(g, "Self"), 1);
	CHECK_EQ_STR(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, "Find")].qual),
	             "FilePath::Find");
	cc_file_graph_free(g);

	/* a nested class's methods defined out of line (`A::B::f`, `class A::B {`): named f, not
	 * "B::f" (re2's RE2::Set::Match, Prefilter::Info::Quest); ALL-CAPS classes' constructors
	 * are no test macros (re2's RE2::RE2, DFA::DFA with its initializer list) */
	g = gc_analyze(CC_LANG_CPP,
	               "bool RE2::Set::Match(int text) const { return text; }\n"
	               "const char* ns::Outer::Inner::Name() { return 0; }\n"
	               "class Prefilter::Info {\n"
	               " public:\n"
	               "  bool exact() { return true; }\n"
	               "};\n"
	               "RE2::RE2(const char* pattern) { Init(pattern); }\n"
	               "DFA::DFA(int p)\n"
	               "  : prog_(p),\n"
	               "    mem_budget_(p) {\n"
	               "}\n"
	               "DFA::~DFA() {}\n"
	               "class NFA {\n"
	               "  NFA(int p) : prog_(p) {}\n"
	               "  int prog_;\n"
	               "};\n");
	CHECK_EQ_INT(methods_named(g, "Match"), 1);
	CHECK_EQ_INT(methods_named(g, "Set::Match"), 0);
	if (gc_find_named(g, CC_NODE_METHOD, "Match") >= 0)
		CHECK_EQ_STR(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, "Match")].qual),
		             "RE2::Set::Match");
	if (gc_find_named(g, CC_NODE_METHOD, "Name") >= 0)
		CHECK_EQ_STR(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, "Name")].qual),
		             "ns::Outer::Inner::Name");
	CHECK_EQ_INT(methods_named(g, "Name"), 1);
	CHECK(gc_find_named(g, CC_NODE_TYPE_DECL, "Info") >= 0);
	if (gc_find_named(g, CC_NODE_METHOD, "exact") >= 0)
		CHECK_EQ_STR(cc_graph_str(g, g->nodes[gc_find_named(g, CC_NODE_METHOD, "exact")].qual),
		             "Prefilter::Info::exact");
	CHECK_EQ_INT(methods_named(g, "RE2"), 1);
	CHECK_EQ_INT(methods_named(g, "DFA"), 1);
	CHECK_EQ_INT(methods_named(g, "~DFA"), 1);
	CHECK_EQ_INT(methods_named(g, "mem_budget_"), 0);
	CHECK_EQ_INT(methods_named(g, "NFA"), 1);
	cc_file_graph_free(g);
}

static void test_javascript(void)
{
	cc_file_graph *g = gc_analyze(CC_LANG_JAVASCRIPT,
	                              "var res = module.exports = {};\n"
	                              "res.send = function send(body) { return body; };\n"
	                              "res.json = function (obj) { return this.send(obj); };\n"
	                              "Foo.prototype.bar = () => 1;\n");
	int send = gc_find_named(g, CC_NODE_METHOD, "send");
	int json = gc_find_named(g, CC_NODE_METHOD, "json");
	int bar = gc_find_named(g, CC_NODE_METHOD, "bar");
	CHECK(send >= 0 && json >= 0 && bar >= 0);
	if (send >= 0 && json >= 0 && bar >= 0) {
		CHECK_EQ_STR(cc_graph_str(g, g->nodes[send].qual), "res.send");
		CHECK_EQ_STR(cc_graph_str(g, g->nodes[json].qual), "res.json");
		CHECK_EQ_STR(cc_graph_str(g, g->nodes[bar].qual), "Foo.prototype.bar");
	}
	cc_file_graph_free(g);

	/* generator function expressions (execa's `const iterateOnData = async function * (..)`)
	 * are functions named by their variable, property or assignment, in JS and TS */
	static const char gen_src[] = "const gen = function * (x) { yield x; };\n"
				      "const agen = async function * (x) { yield x; };\n"
				      "const o = { items: function * () { yield 1; } };\n"
				      "Foo.prototype.each = function * each() { yield 2; };\n";
	for (int l = 0; l < 2; l++) {
		g = gc_analyze(l ? CC_LANG_TYPESCRIPT : CC_LANG_JAVASCRIPT, gen_src);
		CHECK_EQ_INT(methods_named(g, "gen"), 1);
		CHECK_EQ_INT(methods_named(g, "agen"), 1);
		CHECK_EQ_INT(methods_named(g, "items"), 1);
		CHECK_EQ_INT(methods_named(g, "each"), 1);
		cc_file_graph_free(g);
	}
}

static void test_detect(void)
{
	static const char c_hdr[] = "/* namespace, template <T>, virtual, public: in a comment */\n"
				    "// std::vector too\n"
				    "static const char *sep = \"-::*\";\n"
				    "static const char c = ':';\n"
				    "typedef struct point { int x, y; } point;\n";
	static const char cpp_hdr[] = "/* a C++ header */\nnamespace geo { int f(); }\n";
	CHECK_EQ_INT(cc_lang_detect("inc/a.h", c_hdr, sizeof(c_hdr) - 1), CC_LANG_C);
	CHECK_EQ_INT(cc_lang_detect("inc/b.h", cpp_hdr, sizeof(cpp_hdr) - 1), CC_LANG_CPP);
	CHECK_EQ_INT(cc_lang_detect("src/a.c", cpp_hdr, sizeof(cpp_hdr) - 1), CC_LANG_C);
	/* an unterminated comment or string hides the rest, never reads past the end */
	static const char open_c[] = "int x; /* namespace ";
	CHECK_EQ_INT(cc_lang_detect("x.h", open_c, sizeof(open_c) - 1), CC_LANG_C);
	static const char open_s[] = "char *s = \"\\";
	CHECK_EQ_INT(cc_lang_detect("x.h", open_s, sizeof(open_s) - 1), CC_LANG_C);
}

int main(void)
{
	test_cpp();
	test_javascript();
	test_detect();
	cc_analyzer_free(gc_analyzer);
	return test_result();
}
