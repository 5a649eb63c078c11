/* lang_javascript.c - JavaScript (tree-sitter-javascript 0.23): mapping in queries/javascript.scm. */
#include "analysis_int.h"

const TSLanguage *tree_sitter_javascript(void);
extern const char cc_query_javascript[];

static const char *const exts[] = {".js", ".mjs", ".cjs", ".jsx", NULL};

const cc_lang_desc cc_lang_javascript_desc = {
	.lang = CC_LANG_JAVASCRIPT,
	.name = "javascript",
	.exts = exts,
	.grammar = tree_sitter_javascript,
	.query = cc_query_javascript,
	.qual_sep = ".",
	.flags = CC_LANGF_FALLTHROUGH,
};
