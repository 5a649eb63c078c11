/* lang_rust.c - Rust (tree-sitter-rust 0.23): mapping in queries/rust.scm. */
#include "analysis_int.h"

const TSLanguage *tree_sitter_rust(void);
extern const char cc_query_rust[];

static const char *const exts[] = {".rs", NULL};

const cc_lang_desc cc_lang_rust_desc = {
	.lang = CC_LANG_RUST,
	.name = "rust",
	.exts = exts,
	.grammar = tree_sitter_rust,
	.query = cc_query_rust,
	.qual_sep = "::",
};
