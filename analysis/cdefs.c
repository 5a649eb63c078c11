/*
 * cdefs.c - which C/C++ function_definition nodes are functions (the cc_lang_desc.def_check of
 * C and C++). Macro-heavy code makes tree-sitter read macro uses as definitions:
 *   - a keyword as the name (`if (x) {` after a macro that ends a statement: redis config.c);
 *   - an attribute macro as the name (`JEMALLOC_ATTR(malloc) je_malloc(size_t n) {`): the real
 *     name is the last lowercase-or-mixed identifier called between the declarator and the
 *     body, which becomes the name;
 *   - a typeless ALL-CAPS "function" is a macro use: inside a function (`FMT_CATCH(...) {`,
 *     `JSON_CATCH(...) {`) no definition; at file level a test-defining macro
 *     (`TEST(Suite, name) {`, `TEST_F(Fixture, name) {`): a function named "TEST(Suite, name)";
 *   - no name at all (namespace macros turning a region into one definition);
 *   - `= default` / `= delete` members (no code of their own);
 * and a conversion operator is named "operator T" (its node also spans "() const").
 * Before the parse, export macros in class headers (with arguments too, `class
 * FTXUI_EXPORT(DOM) Node {`) and namespace macros alone on their line
 * are blanked, so is an export macro starting a line before `template`/`class` on it
 * (`FMT_EXPORT template <..> class X {`), an access macro alone on its line
 * (`JSON_PRIVATE_UNLESS_TESTED:`) becomes its keyword, and `#if`/`#endif` around one fragment of a declaration are blanked
 * (cc_c_parse_copy).
 */
#include "analysis_int.h"
#include "cc_common.h"

#include <stdlib.h>
#include <string.h>

static int idc(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int all_caps(const char *s, size_t n)
{
	int letters = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			return 0;
		letters += s[i] >= 'A' && s[i] <= 'Z';
	}
	return n >= 2 && letters > 0;
}

static int keyword(const char *s, size_t n)
{
	static const char *const kw[] = {"if", "else", "while", "for", "do", "switch", "case",
	                                 "return", "sizeof", "goto", "default", "typedef",
	                                 "catch", "try", "throw", "new", "delete", "noexcept",
	                                 "decltype", "static_assert", "alignof", "alignas",
	                                 "requires", "_Static_assert", "__attribute__", NULL};
	for (int i = 0; kw[i]; i++)
		if (strlen(kw[i]) == n && !memcmp(kw[i], s, n))
			return 1;
	return 0;
}

int cc_c_def_check(const char *src, size_t len, TSNode n, uint32_t *ns, uint32_t *ne)
{
	if (*ne <= *ns || *ne > len)
		return 0; /* no name */
	const char *name = src + *ns;
	size_t nl = *ne - *ns;
	if (keyword(name, nl))
		return 0;
	if (nl > 8 && !memcmp(name, "operator", 8) && memchr(name, '(', nl)) {
		/* a conversion operator's node runs over its parameters: "operator bool() const" */
		const char *p = memchr(name, '(', nl);
		while (p > name && (p[-1] == ' ' || p[-1] == '\t'))
			p--;
		*ne = *ns + (uint32_t)(p - name);
		return 1;
	}
	for (uint32_t i = 0, k = ts_node_named_child_count(n); i < k; i++) {
		const char *t = ts_node_type(ts_node_named_child(n, i));
		if (!strcmp(t, "default_method_clause") || !strcmp(t, "delete_method_clause") ||
		    !strcmp(t, "pure_virtual_clause"))
			return 0;
	}
	if (!all_caps(name, nl))
		return 1;
	/* an ALL-CAPS constructor, destructor or method of a class: `RE2::RE2(..) {`,
	 * `DFA::~DFA() {`, `Status::OK() {` out of the class (a macro use is never qualified), or
	 * `DFA(Prog* p) : prog_(p) {` in the body of class DFA */
	if (*ns >= 2 && src[*ns - 1] == ':' && src[*ns - 2] == ':')
		return 1;
	TSNode list = ts_node_parent(n);
	TSNode cls = ts_node_is_null(list) ? list : ts_node_parent(list);
	if (!ts_node_is_null(cls) && !strcmp(ts_node_type(list), "field_declaration_list") &&
	    (!strcmp(ts_node_type(cls), "class_specifier") ||
	     !strcmp(ts_node_type(cls), "struct_specifier"))) {
		TSNode cn = ts_node_child_by_field_name(cls, "name", 4);
		const char *bare = name[0] == '~' ? name + 1 : name;
		size_t bl = name[0] == '~' ? nl - 1 : nl;
		if (!ts_node_is_null(cn) && ts_node_end_byte(cn) <= len &&
		    ts_node_end_byte(cn) - ts_node_start_byte(cn) == bl &&
		    !memcmp(src + ts_node_start_byte(cn), bare, bl))
			return 1;
	}
	TSNode decl = ts_node_child_by_field_name(n, "declarator", 10);
	TSNode body = ts_node_child_by_field_name(n, "body", 4);
	if (!ts_node_is_null(decl) && !ts_node_is_null(body)) {
		/* `MACRO(args) MORE(args) real_name(params) {`: the last called identifier that is
		 * not ALL-CAPS */
		uint32_t a = ts_node_end_byte(decl), b = ts_node_start_byte(body);
		uint32_t best_s = 0, best_e = 0;
		for (uint32_t i = a; i < b && i < len; i++) {
			if (!idc(src[i]) || (i > a && idc(src[i - 1])))
				continue;
			uint32_t e = i;
			while (e < b && idc(src[e]))
				e++;
			uint32_t p = e;
			while (p < b && (src[p] == ' ' || src[p] == '\t' || src[p] == '\n'))
				p++;
			if (p < b && src[p] == '(' && !(src[i] >= '0' && src[i] <= '9') &&
			    !all_caps(src + i, e - i) && !keyword(src + i, e - i)) {
				best_s = i;
				best_e = e;
			}
			i = e;
		}
		if (best_e) {
			*ns = best_s;
			*ne = best_e;
			return 1;
		}
	}
	if (!ts_node_is_null(ts_node_child_by_field_name(n, "type", 4)))
		return 1;
	/* a typeless ALL-CAPS definition is a macro use: inside a function (FMT_CATCH(...) {})
	 * no definition; at file level a test-defining macro (TEST(Suite, name) {}, TEST_F): a
	 * function named by its last argument */
	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p))
		if (!strcmp(ts_node_type(p), "function_definition"))
			return 0;
	if (ts_node_is_null(decl))
		return 0;
	uint32_t a = ts_node_start_byte(decl), b = ts_node_end_byte(decl);
	if (b > len)
		b = (uint32_t)len;
	while (b > a && src[b - 1] != ')')
		b--;
	if (b <= a)
		return 0;
	/* named by the whole macro use, "TEST(Suite, name)": unique, readable, and no call is
	 * ever named so (the test name alone would catch calls of a like-named function) */
	*ns = a;
	*ne = b;
	return 1;
}

/* Is t[0, n) an export macro's name: ALL-CAPS (digits and '_' too), 3 or more characters? */
static int export_macro(const char *t, size_t n)
{
	if (n < 3 || !(t[0] >= 'A' && t[0] <= 'Z'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '_'))
			return 0;
	return 1;
}

static int blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Skip blanks and comments from i; returns the next offset of code. */
static size_t skip_blank(const char *src, size_t len, size_t i)
{
	for (;;) {
		while (i < len && blank(src[i]))
			i++;
		if (i + 1 < len && src[i] == '/' && src[i + 1] == '/') {
			while (i < len && src[i] != '\n')
				i++;
		} else if (i + 1 < len && src[i] == '/' && src[i + 1] == '*') {
			i += 2;
			while (i + 1 < len && !(src[i] == '*' && src[i + 1] == '/'))
				i++;
			i += 2;
		} else {
			return i < len ? i : len;
		}
	}
}

static int blank_span(char **out, const char *src, size_t len, size_t a, size_t b)
{
	if (!*out) {
		if (!(*out = malloc(len)))
			return cc_error_set(CC_ENOMEM, "analysis: out of memory copying %zu bytes", len);
		memcpy(*out, src, len);
	}
	memset(*out + a, ' ', b - a);
	return CC_OK;
}

/* Does the line starting at b begin (after blanks) with an ALL-CAPS macro name holding a '_'?
 * Sets [*ms, *me) to the name. */
static int macro_at(const char *src, size_t len, size_t b, size_t *ms, size_t *me)
{
	size_t i = b;
	while (i < len && (src[i] == ' ' || src[i] == '\t'))
		i++;
	size_t s = i;
	while (i < len && idc(src[i]))
		i++;
	if (!export_macro(src + s, i - s) || !memchr(src + s, '_', i - s))
		return 0;
	*ms = s;
	*me = i;
	return 1;
}

/* Is the line from i to its end only blanks, or blanks and a // comment? */
static int rest_of_line_empty(const char *src, size_t len, size_t i)
{
	while (i < len && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r'))
		i++;
	if (i + 1 < len && src[i] == '/' && src[i + 1] == '/')
		while (i < len && src[i] != '\n')
			i++;
	return i >= len || src[i] == '\n';
}

/* Writes the access keyword for an access macro alone on its line followed by ':' (json's
 * `JSON_PRIVATE_UNLESS_TESTED:`): tree-sitter reads `MACRO:` in a class body as a bit-field
 * and loses the class body after it. The macro's name says the access (PRIVATE, PROTECTED or
 * PUBLIC); the keyword and the ':' are written over the macro, padded with blanks. */
static int access_macro_line(char **out, const char *src, size_t len, size_t b)
{
	size_t s, e;
	if (!macro_at(src, len, b, &s, &e) || e >= len || src[e] != ':' ||
	    (e + 1 < len && src[e + 1] == ':') || !rest_of_line_empty(src, len, e + 1))
		return CC_OK;
	static const char *const kw[] = {"PRIVATE", "private:", "PROTECTED", "protected:", "PUBLIC", "public:"};
	for (size_t k = 0; k < 6; k += 2) {
		size_t kl = strlen(kw[k]);
		for (size_t j = s; j + kl <= e; j++) {
			if (memcmp(src + j, kw[k], kl))
				continue;
			int rc = blank_span(out, src, len, s, e + 1); /* e - s + 1 >= strlen(kw[k + 1]) */
			if (rc == CC_OK)
				memcpy(*out + s, kw[k + 1], strlen(kw[k + 1]));
			return rc;
		}
	}
	return CC_OK;
}

/* Does the line starting at b start a preprocessor directive named d (`#if`, `#endif`)? Sets
 * *le to the end of the line (its '\n' or len). */
static int directive_line(const char *src, size_t len, size_t b, const char *d, size_t *le)
{
	size_t i = b;
	while (i < len && (src[i] == ' ' || src[i] == '\t'))
		i++;
	size_t dl = strlen(d);
	if (i + dl > len || memcmp(src + i, d, dl) || (i + dl < len && idc(src[i + dl])))
		return 0;
	const char *nl = memchr(src + i, '\n', len - i);
	*le = nl ? (size_t)(nl - src) : len;
	return 1;
}

/* Blanks the directives of `#if ...` / one line / `#endif` when the line is a fragment of a
 * declaration: a lone lower-case word (json's `constexpr`) or a template argument ending in
 * ','. tree-sitter cannot read a conditional in the middle of a declaration and loses the
 * class around it; the line is kept (the #if branch), nothing is added. */
static int fragment_conditional(char **out, const char *src, size_t len, size_t b)
{
	size_t ie, me, ee;
	if (!directive_line(src, len, b, "#if", &ie) || ie >= len)
		return CC_OK;
	if (ie > b && src[ie - 1] == '\\')
		return CC_OK;
	size_t m = ie + 1;
	const char *nl = memchr(src + m, '\n', len - m);
	me = nl ? (size_t)(nl - src) : len;
	if (me >= len || !directive_line(src, len, me + 1, "#endif", &ee))
		return CC_OK;
	size_t s = m, e = me;
	while (s < e && blank(src[s]))
		s++;
	while (e > s && blank(src[e - 1]))
		e--;
	if (s == e || src[s] == '#')
		return CC_OK;
	int word = 1;
	for (size_t j = s; j < e; j++)
		if (!(src[j] >= 'a' && src[j] <= 'z') && src[j] != '_')
			word = 0;
	if (!word && src[e - 1] != ',')
		return CC_OK;
	int rc = blank_span(out, src, len, b, ie);
	if (rc == CC_OK)
		rc = blank_span(out, src, len, me + 1, ee);
	return rc;
}

/* Does the line starting at b hold nothing but an ALL-CAPS macro name with a '_' (and blanks
 * or a // comment): a namespace macro such as NLOHMANN_JSON_NAMESPACE_BEGIN or
 * FMT_BEGIN_NAMESPACE, which tree-sitter reads as the type of the declaration after it? The
 * line after a '\\' continuation (a #define's body) is not one. Sets [*ms, *me). */
static int lone_macro_line(const char *src, size_t len, size_t b, size_t *ms, size_t *me)
{
	if (b >= 2 && src[b - 1] == '\n' && (src[b - 2] == '\\' || (src[b - 2] == '\r' && b >= 3 && src[b - 3] == '\\')))
		return 0;
	size_t s, e;
	if (!macro_at(src, len, b, &s, &e) || !rest_of_line_empty(src, len, e))
		return 0;
	*ms = s;
	*me = e;
	return 1;
}

/* Blanks an attribute macro alone on its line before a declaration (json's
 * `JSON_HEDLEY_NON_NULL(2)` before `token_type scan_literal(..)`): an ALL-CAPS name with a '_',
 * its parenthesised arguments on the same line, nothing after them but blanks or a // comment,
 * and the next code an identifier (a declaration), not `{` (a test macro's body: `TEST(A, b)`
 * then `{`) nor a directive. tree-sitter reads `MACRO(2) type name(..)` as a broken declaration
 * and lost the member and, in json's lexer, the class body after it. Not the last line of a
 * #define (the line before ends in '\\'). */
static int class_named(const char *src, size_t len, size_t s, size_t e);
static int attribute_macro_line(char **out, const char *src, size_t len, size_t b)
{
	if (b >= 2 && src[b - 1] == '\n' &&
	    (src[b - 2] == '\\' || (src[b - 2] == '\r' && b >= 3 && src[b - 3] == '\\')))
		return CC_OK;
	size_t s, e;
	if (!macro_at(src, len, b, &s, &e) || e >= len || src[e] != '(')
		return CC_OK;
	size_t i = e, depth = 0;
	for (; i < len && src[i] != '\n'; i++) {
		if (src[i] == '(')
			depth++;
		else if (src[i] == ')' && !--depth)
			break;
	}
	if (i >= len || src[i] != ')' || !rest_of_line_empty(src, len, i + 1))
		return CC_OK;
	size_t k = skip_blank(src, len, i + 1);
	if (k >= len || !idc(src[k]) || (src[k] >= '0' && src[k] <= '9'))
		return CC_OK;
	/* a function's name right after it (`YAML_DECLARE(int)` then `yaml_parser_parse(..)`:
	 * libyaml's API functions, cg38): the macro is the return type, which tree-sitter reads
	 * as one (macro_type_specifier); blanked, the definition had none and was lost. Not
	 * another macro's use (gtest's `GTEST_IMPL_CMP_HELPER_(LE, <=)` lines) nor a constructor
	 * of a class the file declares (json's `JSON_HEDLEY_NON_NULL(3)` then
	 * `invalid_iterator(int id_, ..)`): those stay blanked */
	size_t ie = k;
	while (ie < len && idc(src[ie]))
		ie++;
	size_t ip = ie;
	while (ip < len && (src[ip] == ' ' || src[ip] == '\t'))
		ip++;
	if (ip < len && src[ip] == '(' && !all_caps(src + k, ie - k) && !class_named(src, len, k, ie))
		return CC_OK;
	return blank_span(out, src, len, s, i + 1);
}

/* Blanks an export macro that starts a line before `template`, `class`, `struct`, `union` or
 * `enum` on the same line (fmt's `FMT_EXPORT template <typename Context> class
 * dynamic_format_arg_store {`): an ALL-CAPS name with a '_', no arguments. tree-sitter reads
 * the macro as a type and loses the class (cg29-cx: its methods were no `store::push_back`).
 * Not a line of a #define's body (the line before ends in '\\'). */
static int leading_macro(char **out, const char *src, size_t len, size_t b)
{
	if (b >= 2 && src[b - 1] == '\n' &&
	    (src[b - 2] == '\\' || (src[b - 2] == '\r' && b >= 3 && src[b - 3] == '\\')))
		return CC_OK;
	size_t s, e;
	if (!macro_at(src, len, b, &s, &e) || e >= len || (src[e] != ' ' && src[e] != '\t'))
		return CC_OK;
	size_t k = e;
	while (k < len && (src[k] == ' ' || src[k] == '\t'))
		k++;
	static const char *const kw[] = {"template", "class", "struct", "union", "enum"};
	for (size_t j = 0; j < 5; j++) {
		size_t kl = strlen(kw[j]);
		if (k + kl < len && !memcmp(src + k, kw[j], kl) && !idc(src[k + kl]))
			return blank_span(out, src, len, s, e);
	}
	return CC_OK;
}

/* Is src[s, e) the name of a class or struct the file declares (`class Name`, `struct Name`,
 * an export macro between)? */
static int class_named(const char *src, size_t len, size_t s, size_t e)
{
	size_t nl = e - s;
	for (const char *p = src; (p = memchr(p, src[s], len - (size_t)(p - src))) != NULL; p++) {
		size_t i = (size_t)(p - src);
		if (i + nl > len || memcmp(p, src + s, nl) || (i && idc(src[i - 1])) ||
		    (i + nl < len && idc(src[i + nl])) || i == s)
			continue;
		size_t j = i; /* the word before: class / struct, or an export macro after one */
		for (int w = 0; w < 2; w++) {
			while (j > 0 && blank(src[j - 1]))
				j--;
			size_t we = j;
			while (j > 0 && idc(src[j - 1]))
				j--;
			if ((we - j == 5 && !memcmp(src + j, "class", 5)) ||
			    (we - j == 6 && !memcmp(src + j, "struct", 6)))
				return 1;
			if (!export_macro(src + j, we - j))
				break;
		}
	}
	return 0;
}

/* Blanks an export macro that starts a line before a constructor with an initializer list (fmt's
 * `FMT_CONSTEXPR size_padding(int n, ..) : size(..), padding(0) {` in `struct size_padding`,
 * `FMT_CONSTEXPR typed_node(const Arg& arg) : value(arg) {}`): the name is a class or struct
 * the file declares, or `A::A(` out of the class. tree-sitter read the macro as a
 * return type and the initializer list as an error that swallowed the definitions after it
 * (cg29-cx: 109 of fmt's format.h were qualified `size_padding::`). Words such as `explicit`,
 * `inline` or `constexpr` may come before or between (`constexpr FMT_ALWAYS_INLINE
 * basic_format_args(`). */
static int ctor_macro(char **out, const char *src, size_t len, size_t b)
{
	if (b >= 2 && src[b - 1] == '\n' &&
	    (src[b - 2] == '\\' || (src[b - 2] == '\r' && b >= 3 && src[b - 3] == '\\')))
		return CC_OK;
	size_t k = b, mac[4][2], nmac = 0; /* the macros among the words before the name */
	for (;;) {
		while (k < len && (src[k] == ' ' || src[k] == '\t'))
			k++;
		size_t we = k;
		while (we < len && idc(src[we]))
			we++;
		if (we < len && src[we] != ' ' && src[we] != '\t')
			break;
		if ((we - k == 8 && !memcmp(src + k, "explicit", 8)) ||
		    (we - k == 6 && !memcmp(src + k, "inline", 6)) ||
		    (we - k == 9 && !memcmp(src + k, "constexpr", 9))) {
			k = we;
			continue;
		}
		if (we > k && export_macro(src + k, we - k) && memchr(src + k, '_', we - k) &&
		    nmac < 4) {
			mac[nmac][0] = k;
			mac[nmac++][1] = we;
			k = we;
			continue;
		}
		break;
	}
	if (!nmac)
		return CC_OK;
	size_t ns = k, ps = k, pe = k; /* the name; [ps, pe): the component before "::" */
	int dtor = 0;
	for (;;) {
		if (k < len && src[k] == '~') {
			dtor = 1;
			k++;
		}
		size_t a = k;
		while (k < len && idc(src[k]))
			k++;
		if (k == a || (src[a] >= '0' && src[a] <= '9'))
			return CC_OK;
		if (k + 1 < len && src[k] == ':' && src[k + 1] == ':' && !dtor) {
			ps = a;
			pe = k;
			k += 2;
			continue;
		}
		ns = a;
		break;
	}
	size_t ne = k;
	while (k < len && (src[k] == ' ' || src[k] == '\t'))
		k++;
	if (k >= len || src[k] != '(' || dtor)
		return CC_OK;
	size_t depth = 0; /* an initializer list after the parameters: `) : a(x) {` */
	for (; k < len; k++) {
		if (src[k] == '(')
			depth++;
		else if (src[k] == ')' && !--depth)
			break;
		else if (src[k] == ';' || src[k] == '{' || src[k] == '}')
			return CC_OK;
	}
	k = skip_blank(src, len, k + 1);
	if (k + 8 <= len && !memcmp(src + k, "noexcept", 8))
		k = skip_blank(src, len, k + 8);
	if (k + 1 >= len || src[k] != ':' || src[k + 1] == ':')
		return CC_OK;
	int ctor = pe > ps ? (pe - ps == ne - ns && !memcmp(src + ps, src + ns, ne - ns))
	                   : class_named(src, len, ns, ne);
	for (size_t m = 0; ctor && m < nmac; m++) {
		int rc = blank_span(out, src, len, mac[m][0], mac[m][1]);
		if (rc != CC_OK)
			return rc;
	}
	return CC_OK;
}

/* Blanks an ALL-CAPS macro with a '_' between `if` and its '(' (fmt's `if FMT_CONSTEXPR20
 * (need_copy<T>::value)`, a macro for `constexpr`): tree-sitter lost the class around it
 * (cg29-cx: fmt's dynamic_format_arg_store). Not in a directive (`#if
 * JSON_HEDLEY_HAS_WARNING(..)`). */
static int if_macros(char **out, const char *src, size_t len)
{
	for (const char *p = src; (p = memchr(p, 'i', len - (size_t)(p - src))) != NULL; p++) {
		size_t i = (size_t)(p - src);
		if (i + 2 >= len || src[i + 1] != 'f' || (i && idc(src[i - 1])) || !blank(src[i + 2]))
			continue;
		size_t h = i; /* not a directive's `#if MACRO(..)` */
		while (h > 0 && (src[h - 1] == ' ' || src[h - 1] == '\t'))
			h--;
		if (h > 0 && src[h - 1] == '#')
			continue;
		size_t m = i + 2;
		while (m < len && (src[m] == ' ' || src[m] == '\t'))
			m++;
		size_t me = m;
		while (me < len && idc(src[me]))
			me++;
		if (!export_macro(src + m, me - m) || !memchr(src + m, '_', me - m))
			continue;
		size_t k = me;
		while (k < len && (src[k] == ' ' || src[k] == '\t'))
			k++;
		if (k < len && src[k] == '(') {
			int rc = blank_span(out, src, len, m, me);
			if (rc != CC_OK)
				return rc;
		}
	}
	return CC_OK;
}

int cc_c_parse_copy(char **out, const char *src, size_t len)
{
	*out = NULL;
	/* namespace macros alone on their line: blank, so that their BEGIN and END pair vanish
	 * together and the declarations between them parse as at file level */
	for (size_t b = 0; b < len;) {
		size_t ms, me;
		int rc;
		if (lone_macro_line(src, len, b, &ms, &me) &&
		    (rc = blank_span(out, src, len, ms, me)) != CC_OK)
			return rc;
		if ((rc = access_macro_line(out, src, len, b)) != CC_OK ||
		    (rc = attribute_macro_line(out, src, len, b)) != CC_OK ||
		    (rc = leading_macro(out, src, len, b)) != CC_OK ||
		    (rc = ctor_macro(out, src, len, b)) != CC_OK ||
		    (rc = fragment_conditional(out, src, len, b)) != CC_OK)
			return rc;
		const char *nl = memchr(src + b, '\n', len - b);
		b = nl ? (size_t)(nl - src) + 1 : len;
	}
	int rc0 = if_macros(out, src, len);
	if (rc0 != CC_OK)
		return rc0;
	for (size_t i = 0; i + 6 < len; i++) {
		size_t kl = !memcmp(src + i, "class", 5) ? 5 : !memcmp(src + i, "struct", 6) ? 6
		                                                                             : 0;
		if (!kl || (i && idc(src[i - 1])) || !blank(src[i + kl]))
			continue;
		/* [MACRO\n] class [MACRO] Name [final] [: ...] { */
		size_t m = i + kl;
		while (m < len && blank(src[m]))
			m++;
		size_t me = m;
		while (me < len && idc(src[me]))
			me++;
		int mac = export_macro(src + m, me - m) && me < len && blank(src[me]);
		if (!mac && export_macro(src + m, me - m) && me < len && src[me] == '(') {
			/* an export macro with arguments (FTXUI's `struct FTXUI_EXPORT(COMPONENT)
			 * Event {`, 289 class headers): words, commas and blanks on one line */
			size_t a = me + 1;
			while (a < len && a < me + 128 &&
			       (idc(src[a]) || src[a] == ',' || src[a] == ' ' || src[a] == '\t'))
				a++;
			if (a < len && src[a] == ')' && a + 1 < len && blank(src[a + 1])) {
				me = a + 1;
				mac = 1;
			}
		}
		size_t nm = mac ? me : m;
		while (nm < len && blank(src[nm]))
			nm++;
		size_t ne = nm;
		while (ne < len && idc(src[ne]))
			ne++;
		if (ne == nm || (src[nm] >= '0' && src[nm] <= '9'))
			continue;
		size_t k = skip_blank(src, len, ne);
		if (k + 5 <= len && !memcmp(src + k, "final", 5) && (k + 5 == len || !idc(src[k + 5])))
			k = skip_blank(src, len, k + 5);
		if (k >= len || (src[k] != '{' && !(src[k] == ':' && (k + 1 >= len || src[k + 1] != ':'))))
			continue;
		int rc;
		if (mac && (rc = blank_span(out, src, len, m, me)) != CC_OK)
			return rc;
		/* a macro alone on the line before standing for `template <...>` */
		size_t b = i;
		while (b > 0 && (src[b - 1] == ' ' || src[b - 1] == '\t'))
			b--;
		if (b > 0 && src[b - 1] == '\n') {
			size_t pe = b - 1;
			while (pe > 0 && (src[pe - 1] == ' ' || src[pe - 1] == '\t' || src[pe - 1] == '\r'))
				pe--;
			size_t ps = pe;
			while (ps > 0 && idc(src[ps - 1]))
				ps--;
			size_t ls = ps;
			while (ls > 0 && (src[ls - 1] == ' ' || src[ls - 1] == '\t'))
				ls--;
			if (export_macro(src + ps, pe - ps) && (ls == 0 || src[ls - 1] == '\n') &&
			    memchr(src + ps, '_', pe - ps) && (rc = blank_span(out, src, len, ps, pe)) != CC_OK)
				return rc;
		}
		i = k;
	}
	return CC_OK;
}
