/* lang_typescript.c - TypeScript (tree-sitter-typescript 0.23): mapping in queries/typescript.scm. */
#include "analysis_int.h"

const TSLanguage *tree_sitter_typescript(void);
extern const char cc_query_typescript[];

static const char *const exts[] = {".ts", ".mts", ".cts", NULL};

const cc_lang_desc cc_lang_typescript_desc = {
	.lang = CC_LANG_TYPESCRIPT,
	.name = "typescript",
	.exts = exts,
	.grammar = tree_sitter_typescript,
	.query = cc_query_typescript,
	.qual_sep = ".",
	.flags = CC_LANGF_FALLTHROUGH,
};
