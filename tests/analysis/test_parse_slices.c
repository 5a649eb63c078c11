/*
 * test_parse_slices.c - a parse that stops and resumes many times (slices of 20 us, as under
 * heavy load) gives the same graph as one in a single go, and never crashes: a Java source
 * and a Rust source full of comments (a grammar with non-terminal extras) are resumed dozens
 * of times. tree-sitter before 0.20.8 released a null lookahead when such a Rust parse
 * stopped (codecomp index crashed on ripgrep about one run in five); this crashed with
 * Debian's 0.20.7 once Rust parses were sliced, and passes with the runtime built from
 * source (grammars/node_modules/tree-sitter).
 */
#include "analysis.h"
#include "cc_common.h"
#include "test.h"

#include <stdio.h>

/* C++ in the shape of a test suite's macros (json's unit tests): `CAPTURE(x)` statements
 * without a semicolon, so tree-sitter's error recovery runs all through the file */
static char *gen_errors(size_t *len)
{
	size_t cap = 1 << 21, n = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	n += (size_t)snprintf(s + n, cap - n, "TEST_CASE(\"parser\")\n{\n");
	for (int i = 0; i < 400 && n + 1024 < cap; i++)
		n += (size_t)snprintf(
			s + n, cap - n,
			"    SECTION(\"case %d\")\n    {\n        if (ok%d)\n        {\n"
			"            CAPTURE(s%d)\n            CHECK(json::parser(nlohmann::detail::"
			"input_adapter(s%d)).accept());\n        }\n        else\n        {\n"
			"            CAPTURE(s%d)\n            CHECK(json::parser(nlohmann::detail::"
			"input_adapter(s%d)).accept() == false);\n        }\n    }\n",
			i, i, i, i, i, i);
	n += (size_t)snprintf(s + n, cap - n, "}\n");
	*len = n;
	return s;
}

static char *gen(cc_lang lang, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	for (int i = 0; i < 300 && n + 512 < cap; i++) {
		if (lang == CC_LANG_RUST)
			n += (size_t)snprintf(s + n, cap - n,
			                      "/// Adds %d.\n/* block %d */\npub fn add_%d(x: u32) -> u32 {\n"
			                      "    // step\n    let y = x + %d; // sum\n    y\n}\n",
			                      i, i, i, i);
		else
			n += (size_t)snprintf(s + n, cap - n,
			                      "class C%d { /** doc */ int add(int x) { // step\n"
			                      "  int y = x + %d; /* sum */ return y; } }\n",
			                      i, i);
	}
	*len = n;
	return s;
}

int main(void)
{
	cc_lang langs[] = {CC_LANG_RUST, CC_LANG_JAVA};
	for (size_t l = 0; l < 2; l++) {
		size_t len = 0;
		char *src = gen(langs[l], &len);
		cc_analyzer *a = NULL;
		cc_file_graph *g0 = NULL;
		CHECK(src != NULL);
		CHECK_EQ_INT(cc_analyzer_new(&a), CC_OK);
		CHECK_EQ_INT(cc_analyze(&g0, a, langs[l], src, len), CC_OK);
		CHECK(g0 && g0->n_nodes >= 300 && g0->n_errors == 0);
		cc_analyzer_set_parse_slice(a, 20);
		for (int rep = 0; rep < 20 && g0; rep++) {
			cc_file_graph *g = NULL;
			int rc = cc_analyze(&g, a, langs[l], src, len);
			CHECK_EQ_INT(rc, CC_OK);
			if (rc != CC_OK)
				fprintf(stderr, "lang %d: %s\n", (int)langs[l], cc_error_last());
			CHECK(g && g->n_nodes == g0->n_nodes && g->n_edges == g0->n_edges &&
			      g->n_errors == 0);
			cc_file_graph_free(g);
		}
		cc_file_graph_free(g0);
		cc_analyzer_free(a);
		free(src);
	}
	/* syntax errors: error recovery cut into slices must give the one-go graph too */
	{
		size_t len = 0;
		char *src = gen_errors(&len);
		cc_analyzer *a = NULL;
		cc_file_graph *g0 = NULL;
		CHECK(src != NULL);
		CHECK_EQ_INT(cc_analyzer_new(&a), CC_OK);
		CHECK_EQ_INT(cc_analyze(&g0, a, CC_LANG_CPP, src, len), CC_OK);
		CHECK(g0 && g0->n_errors > 0);
		int differ = 0;
		for (int rep = 0; rep < 12 && g0; rep++) {
			cc_file_graph *g = NULL;
			cc_analyzer_set_parse_slice(a, rep % 2 ? 20 : 200);
			CHECK_EQ_INT(cc_analyze(&g, a, CC_LANG_CPP, src, len), CC_OK);
			if (g && (g->n_nodes != g0->n_nodes || g->n_edges != g0->n_edges ||
			          g->n_errors != g0->n_errors)) {
				differ++;
				fprintf(stderr, "sliced parse %d: %zu nodes, %zu edges, %zu errors; in one go "
				                "%zu, %zu, %zu\n",
				        rep, (size_t)g->n_nodes, (size_t)g->n_edges, (size_t)g->n_errors,
				        (size_t)g0->n_nodes, (size_t)g0->n_edges, (size_t)g0->n_errors);
			}
			cc_file_graph_free(g);
		}
		CHECK_EQ_INT(differ, 0);
		cc_file_graph_free(g0);
		cc_analyzer_free(a);
		free(src);
	}
	return test_result();
}
