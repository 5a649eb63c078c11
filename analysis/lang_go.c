/* lang_go.c - Go (tree-sitter-go 0.23; no implicit fallthrough): mapping in queries/go.scm. */
#include "analysis_int.h"

const TSLanguage *tree_sitter_go(void);
extern const char cc_query_go[];

static const char *const exts[] = {".go", NULL};

const cc_lang_desc cc_lang_go_desc = {
	.lang = CC_LANG_GO,
	.name = "go",
	.exts = exts,
	.grammar = tree_sitter_go,
	.query = cc_query_go,
	.qual_sep = ".",
	.flags = 0,
};
