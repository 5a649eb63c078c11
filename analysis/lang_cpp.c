/* lang_cpp.c - C++ (tree-sitter-cpp 0.23): mapping in queries/cpp.scm. */
#include "analysis_int.h"

const TSLanguage *tree_sitter_cpp(void);
extern const char cc_query_cpp[];

static const char *const exts[] = {".cc", ".cpp", ".cxx", ".c++", ".hh", ".hpp", ".hxx", ".h++", ".cu", ".cuh", NULL};

const cc_lang_desc cc_lang_cpp_desc = {
	.lang = CC_LANG_CPP,
	.name = "cpp",
	.exts = exts,
	.grammar = tree_sitter_cpp,
	.query = cc_query_cpp,
	.qual_sep = "::",
	.flags = CC_LANGF_FALLTHROUGH,
	.def_check = cc_c_def_check,
};
