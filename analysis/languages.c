/*
 * languages.c - the registry of supported languages: one descriptor per cc_lang, defined in
 * lang_<name>.c next to its query file queries/<name>.scm. Adding a language is adding those
 * two files, an enum value in analysis.h and one line here.
 */
#include "analysis_int.h"

extern const cc_lang_desc cc_lang_python_desc;
extern const cc_lang_desc cc_lang_c_desc;
extern const cc_lang_desc cc_lang_cpp_desc;
extern const cc_lang_desc cc_lang_java_desc;
extern const cc_lang_desc cc_lang_javascript_desc;
extern const cc_lang_desc cc_lang_typescript_desc;
extern const cc_lang_desc cc_lang_tsx_desc;
extern const cc_lang_desc cc_lang_go_desc;
extern const cc_lang_desc cc_lang_rust_desc;


const cc_lang_desc *cc_lang_desc_get(cc_lang lang)
{
	const cc_lang_desc *d = NULL;
	switch (lang) {
	case CC_LANG_PYTHON: d = &cc_lang_python_desc; break;
	case CC_LANG_C: d = &cc_lang_c_desc; break;
	case CC_LANG_CPP: d = &cc_lang_cpp_desc; break;
	case CC_LANG_JAVA: d = &cc_lang_java_desc; break;
	case CC_LANG_JAVASCRIPT: d = &cc_lang_javascript_desc; break;
	case CC_LANG_TYPESCRIPT: d = &cc_lang_typescript_desc; break;
	case CC_LANG_TSX: d = &cc_lang_tsx_desc; break;
	case CC_LANG_GO: d = &cc_lang_go_desc; break;
	case CC_LANG_RUST: d = &cc_lang_rust_desc; break;
	default: break;
	}
	return d;
}
