/* lang_python.c - Python: tree-sitter-python 0.23, mapping in queries/python.scm. */
#include "analysis_int.h"

const TSLanguage *tree_sitter_python(void);
extern const char cc_query_python[];

static const char *const exts[] = {".py", ".pyi", ".pyw", NULL};

const cc_lang_desc cc_lang_python_desc = {
	.lang = CC_LANG_PYTHON,
	.name = "python",
	.exts = exts,
	.grammar = tree_sitter_python,
	.query = cc_query_python,
	.qual_sep = ".",
	.flags = 0,
};
