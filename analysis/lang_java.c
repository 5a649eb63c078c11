/* lang_java.c - Java (tree-sitter-java 0.23): mapping in queries/java.scm. */
#include "analysis_int.h"

const TSLanguage *tree_sitter_java(void);
extern const char cc_query_java[];

static const char *const exts[] = {".java", NULL};

const cc_lang_desc cc_lang_java_desc = {
	.lang = CC_LANG_JAVA,
	.name = "java",
	.exts = exts,
	.grammar = tree_sitter_java,
	.query = cc_query_java,
	.qual_sep = ".",
	.flags = CC_LANGF_FALLTHROUGH,
};
