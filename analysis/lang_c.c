/* lang_c.c - C (tree-sitter-c 0.23): mapping in queries/c.scm. */
#include "analysis_int.h"

const TSLanguage *tree_sitter_c(void);
extern const char cc_query_c[];

static const char *const exts[] = {".c", ".h", NULL};

const cc_lang_desc cc_lang_c_desc = {
	.lang = CC_LANG_C,
	.name = "c",
	.exts = exts,
	.grammar = tree_sitter_c,
	.query = cc_query_c,
	.qual_sep = ".",
	.flags = CC_LANGF_FALLTHROUGH,
	.def_check = cc_c_def_check,
};
