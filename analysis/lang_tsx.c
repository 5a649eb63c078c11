/* lang_tsx.c - TSX (tree-sitter-typescript 0.23, tsx dialect; shares queries/typescript.scm's vocabulary): mapping in queries/tsx.scm. */
#include "analysis_int.h"

const TSLanguage *tree_sitter_tsx(void);
extern const char cc_query_tsx[];

static const char *const exts[] = {".tsx", NULL};

const cc_lang_desc cc_lang_tsx_desc = {
	.lang = CC_LANG_TSX,
	.name = "tsx",
	.exts = exts,
	.grammar = tree_sitter_tsx,
	.query = cc_query_tsx, /* queries/tsx.scm inherits typescript.scm */
	.qual_sep = ".",
	.flags = CC_LANGF_FALLTHROUGH,
};
