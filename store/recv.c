/*
 * recv.c - what call resolution learns about one call site from its own file, computed when a
 * blob's links are encoded (codec.c): whether a bare callee name is a parameter or local
 * variable of an enclosing method (then it shadows any function of that name), and the type
 * of a receiver that is a parameter or local variable, read from its declaration:
 *   - parameters: "Foo x" (Java, C, C++), "x: Foo" (Python, TS, Rust), "x *Foo" (Go);
 *   - locals: a declared type ("Foo x = ...", "let x: Foo = ..."), else the value's
 *     constructor: Foo(...), new Foo(...), Foo::new(...), Foo.create(...), NewFoo(...),
 *     &Foo{...} (Go composite literal; a Go F(...) / pkg.F(...) is a function call whose
 *     declared result the store reads: "=|F|", "=pkg|F|");
 *   - Rust loop variables: `for x in &v` / `v.iter()` over `v: Vec<Foo>` / `&[Foo]` give Foo.
 * Types are reduced to their simple name ("http.ResponseWriter" -> "ResponseWriter",
 * "&mut Vec<T>" -> "Vec"). The last definition before the call in source order wins; a
 * variable whose declaration shows no type is still known as a variable (CC_CALL_RECV_LOCAL),
 * so that the store never reads it as a module or class name.
 */
#include "store_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int idc(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }

static int space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* JS/TS: does a destructuring pattern's text (`{ a, b: c, d = 1, ...e }`, `[x, , y]`, nested)
 * bind name? Its names are the shorthand ones, a key's value, a default's left side and a
 * rest; keys (`b:`) and default values (`= f(x)`) bind nothing. */
static int pattern_binds(const char *p, const char *name)
{
	size_t nl = strlen(name);
	char prev = 0; /* the last character that is no space, 'a' after a name */
	for (const char *s = p; *s;) {
		char c = *s;
		if (c == '"' || c == '\'' || c == '`') { /* a quoted key */
			for (s++; *s && *s != c; s++)
				if (*s == '\\' && s[1])
					s++;
			if (*s)
				s++;
			prev = 'a';
			continue;
		}
		if (idc(c) && !(c >= '0' && c <= '9')) {
			const char *b = s;
			while (*s && idc(*s))
				s++;
			const char *e = s;
			while (space(*s))
				s++;
			if ((size_t)(e - b) == nl && !memcmp(b, name, nl) &&
			    (prev == '{' || prev == '[' || prev == ',' || prev == ':' || prev == '.') &&
			    (*s == ',' || *s == '}' || *s == ']' || !*s ||
			     (*s == '=' && s[1] != '=' && s[1] != '>')))
				return 1;
			prev = 'a';
			continue;
		}
		if (c == '=' && s[1] != '=' && s[1] != '>') {
			/* a default value: up to the next ',', '}' or ']' of this level */
			int depth = 0;
			for (s++; *s; s++) {
				if (*s == '(' || *s == '[' || *s == '{')
					depth++;
				else if (*s == ')' || *s == ']' || *s == '}') {
					if (!depth--)
						break;
				} else if (*s == ',' && !depth)
					break;
				else if (*s == '"' || *s == '\'' || *s == '`') {
					char q = *s;
					for (s++; *s && *s != q; s++)
						if (*s == '\\' && s[1])
							s++;
					if (!*s)
						break;
				}
			}
			prev = 'a';
			continue;
		}
		if (!space(c))
			prev = c;
		s++;
	}
	return 0;
}

/* JS/TS: does the destructuring assignment nd (target text t) take its names from a module:
 * `await import('./m')`, `require('./m')`, or a name the file imports (`const { f } = mod`
 * with `import mod from './m'`)? Then they are the module's definitions, which a guess by name
 * finds (changesets' `const { init } = await import("./commands/init/index.ts")`). */
static int destructs_module(const cc_file_graph *g, const cc_node *nd, const char *t,
                            const char *src, size_t len, const uint32_t *imps, size_t nimp)
{
	size_t tl = strlen(t), i = nd->start_byte + tl;
	if (!src || nd->end_byte > len || i > nd->end_byte || memcmp(src + nd->start_byte, t, tl))
		return 0;
	const char *e = src + nd->end_byte, *p = src + i;
	while (p < e && space(*p))
		p++;
	if (p < e && *p == ':') /* a declared type: `const { a }: T = ..` */
		return 0;
	if (p >= e || *p != '=')
		return 0;
	for (p++; p < e && space(*p); p++)
		;
	if ((size_t)(e - p) > 6 && !memcmp(p, "await", 5) && space(p[5]))
		for (p += 6; p < e && space(*p); p++)
			;
	if (((size_t)(e - p) > 7 && !memcmp(p, "import(", 7)) ||
	    ((size_t)(e - p) > 8 && !memcmp(p, "require(", 8)))
		return 1;
	const char *b = p;
	while (p < e && idc(*p))
		p++;
	size_t nl = (size_t)(p - b);
	if (!nl || p != e)
		return 0;
	for (size_t k = 0; k < nimp; k++) {
		const char *in = cc_graph_str(g, g->nodes[imps[k]].name);
		if (strlen(in) == nl && !memcmp(in, b, nl))
			return 1;
	}
	return 0;
}

/* JS/TS: the React context a destructuring assignment nd (target text t) takes its names from,
 * into out: "%X" for `= useContext(X)` / `= React.useContext(X)`, "%%H" for `= H(..)` (a hook
 * of the revision that may return a context: rev.c follows it); "" otherwise. */
static void destruct_source(char *out, size_t cap, const cc_node *nd, const char *t,
                            const char *src, size_t len)
{
	size_t i = nd->start_byte;
	int depth = 0;
	out[0] = 0;
	if (!src || nd->end_byte > len || i >= nd->end_byte || src[i] != t[0])
		return;
	/* past the pattern (its text may span lines): its brackets counted */
	for (; i < nd->end_byte; i++) {
		char c = src[i];
		if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && !--depth)
			break;
		else if (c == '"' || c == '\'' || c == '`' || c == '(')
			return; /* a quoted key or a default's call: not read */
	}
	const char *e = src + nd->end_byte, *p = src + i + 1;
	if (i >= nd->end_byte)
		return;
	while (p < e && space(*p))
		p++;
	if (p >= e || *p != '=')
		return;
	for (p++; p < e && space(*p); p++)
		;
	if ((size_t)(e - p) > 6 && !memcmp(p, "React.", 6))
		p += 6;
	const char *b = p;
	while (p < e && idc(*p))
		p++;
	size_t hl = (size_t)(p - b);
	while (p < e && space(*p))
		p++;
	if (!hl || p >= e || *p != '(' || (*b >= '0' && *b <= '9'))
		return;
	if (hl == 10 && !memcmp(b, "useContext", 10)) {
		for (p++; p < e && space(*p); p++)
			;
		const char *x = p;
		while (p < e && idc(*p))
			p++;
		size_t xl = (size_t)(p - x);
		while (p < e && space(*p))
			p++;
		if (xl && xl + 2 <= cap && p < e && *p == ')' && !(*x >= '0' && *x <= '9')) {
			out[0] = '%';
			memcpy(out + 1, x, xl);
			out[xl + 1] = 0;
		}
		return;
	}
	if (hl + 3 <= cap && b[-1] != '.') {
		out[0] = out[1] = '%';
		memcpy(out + 2, b, hl);
		out[hl + 2] = 0;
	}
}

/* t[j - 1] is the '>' closing a template argument list: the index of its matching '<' (nested
 * lists counted), or 0 when none opens it. */
static size_t back_over_angles(const char *t, size_t j)
{
	int depth = 0;
	while (j > 0) {
		j--;
		depth += t[j] == '>';
		depth -= t[j] == '<';
		if (!depth)
			break;
	}
	return j;
}

static void member_type(char *out, size_t cap, const char *t, size_t n);
static void py_builtin_value(char *out, size_t cap, const char *t, size_t n);

static int plain_ident(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++)
		if (!idc(*s))
			return 0;
	return 1;
}

/* Words that can stand before a name or a type without being the type. */
static int noise_word(const char *s, size_t n)
{
	static const char *const w[] = {"const", "final", "mut", "dyn", "impl", "struct", "enum",
	                                "union", "class", "volatile", "static", "unsigned",
	                                "signed", "ref", "in", "out", "readonly", "var", "let",
	                                "auto", "register", "typename", NULL};
	for (int i = 0; w[i]; i++)
		if (strlen(w[i]) == n && !memcmp(w[i], s, n))
			return 1;
	return 0;
}

/* The simple name of the type written in t[0, n): leading qualifiers, '&', '*' and
 * annotations skipped, generic arguments dropped, the last path component kept. Writes "" when
 * no type name shows (slices, maps, tuples, primitive-looking lowercase words are kept: they
 * simply name no class of the repository). */
static void type_name(char *out, size_t cap, const char *t, size_t n)
{
	size_t i = 0, o = 0;
	out[0] = 0;
	for (;;) {
		while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' ||
		                 t[i] == '&' || t[i] == '*'))
			i++;
		if (i < n && t[i] == '\'') { /* a Rust lifetime: &'a Foo */
			for (i++; i < n && idc(t[i]); i++)
				;
			continue;
		}
		if (i < n && t[i] == '@') { /* Java annotation */
			i++;
			while (i < n && (idc(t[i]) || t[i] == '.'))
				i++;
			if (i < n && t[i] == '(') {
				int depth = 0;
				for (; i < n; i++) {
					depth += t[i] == '(';
					depth -= t[i] == ')';
					if (!depth) {
						i++;
						break;
					}
				}
			}
			continue;
		}
		size_t w = i;
		while (i < n && idc(t[i]))
			i++;
		if (i > w && noise_word(t + w, i - w) && i < n && !idc(t[i]) && t[i] != '.' &&
		    t[i] != ':') {
			continue;
		}
		i = w;
		break;
	}
	if (i < n && (t[i] == '[' || t[i] == '(' || t[i] == '{'))
		return; /* slice, tuple, literal type */
	/* a path: idents joined by '.' or "::"; keep the last component. A C++/Rust path into
	 * the standard library (`std::vector<T>`, `::std::string`, `std::path::PathBuf`) names a
	 * library type whatever the repository calls its own classes: "!" before its name */
	size_t p0 = i + (i + 2 <= n && t[i] == ':' && t[i + 1] == ':' ? 2 : 0);
	if (p0 + 5 < n && !memcmp(t + p0, "std::", 5) && idc(t[p0 + 5]) && cap > 2) {
		out[o++] = '!';
		i = p0;
	}
	size_t last = i, end = i;
	while (end < n) {
		if (idc(t[end])) {
			end++;
		} else if (t[end] == '.' && end + 1 < n && idc(t[end + 1])) {
			last = ++end;
		} else if (t[end] == ':' && end + 2 < n && t[end + 1] == ':' && idc(t[end + 2])) {
			end += 2;
			last = end;
		} else {
			break;
		}
	}
	if (end == last || (t[last] >= '0' && t[last] <= '9')) {
		out[0] = 0;
		return;
	}
	for (size_t k = last; k < end && o + 1 < cap; k++)
		out[o++] = t[k];
	out[o] = 0;
}

/* C++ (cg21): the type text t[0, n) reduced to out ("Set", "*Set" for a smart pointer's) by
 * type_name or member_type, written with the class or namespace it was named through when the
 * text shows one: `RE2::Set` -> "RE2::Set", `std::unique_ptr<RE2::Set>` -> "*RE2::Set". The
 * resolver (store/rev.c recv_type) takes the last component as the class and the ones before
 * it as the scope: a class nested in another is not a top-level class named alike. Every
 * scope written is kept (cg22: `a::B::C` -> "a::B::C"); `std::` paths stay library types
 * ("!..."). */
static void cpp_qualify(char *out, size_t cap, const char *t, size_t n)
{
	const char *s = out + (out[0] == '*');
	size_t sl = strlen(s);
	if (!sl || *s == '!' || strchr(s, ':'))
		return;
	/* the last `X::s` of the text, s a whole identifier */
	for (size_t p = n >= sl ? n - sl + 1 : 0; p-- > 2;) {
		if (memcmp(t + p, s, sl) || (p + sl < n && idc(t[p + sl])) || t[p - 1] != ':' ||
		    t[p - 2] != ':')
			continue;
		size_t e = p - 2, b = e;
		while (b > 0 && idc(t[b - 1]))
			b--;
		if (b == e || (e - b == 3 && !memcmp(t + b, "std", 3)) || (t[b] >= '0' && t[b] <= '9'))
			return;
		/* the scopes before it too (cg22): `a::B::Set` -> "a::B::Set" (up to a template's
		 * `>`, a leading `::` or anything else that is no `name::`) */
		while (b > 2 && t[b - 1] == ':' && t[b - 2] == ':' && idc(t[b - 3])) {
			size_t b2 = b - 2;
			while (b2 > 0 && idc(t[b2 - 1]))
				b2--;
			if ((t[b2] >= '0' && t[b2] <= '9') || (b - 2 - b2 == 3 && !memcmp(t + b2, "std", 3)))
				break;
			b = b2;
		}
		size_t pre = (size_t)(s - out), ql = e - b;
		if (pre + ql + 2 + sl + 1 > cap)
			return;
		memmove(out + pre + ql + 2, s, sl + 1);
		memcpy(out + pre, t + b, ql);
		out[pre + ql] = ':';
		out[pre + ql + 1] = ':';
		return;
	}
}

typedef struct {
	int32_t method; /* enclosing method node */
	uint32_t name;  /* names offset of the variable */
	uint32_t node;  /* defining node index (source order) */
	char *type;     /* simple type name, or NULL when not shown */
} var_def;

static int var_cmp(const void *a, const void *b)
{
	const var_def *x = a, *y = b;
	if (x->method != y->method)
		return x->method < y->method ? -1 : 1;
	if (x->name != y->name)
		return x->name < y->name ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

/* The first of method m's definitions of name in v (sorted by var_cmp), or nv when none. */
static size_t var_find(const var_def *v, size_t nv, int32_t m, uint32_t name)
{
	var_def key = {m, name, 0, NULL};
	size_t lo = 0, hi = nv;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (var_cmp(&v[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nv && v[lo].method == m && v[lo].name == name ? lo : nv;
}

static int py_in_class(const cc_file_graph *g, const cc_node *nd);

/* Python: the one module-level function of the file named name (not a class's method) that a
 * bare call at node call reaches when no import binds the name for it: no module-level import
 * or assignment of the name, none in a function enclosing the call (an import local to
 * another function binds nothing here: werkzeug's examples/manage-cupoftee.py imports
 * make_app inside its own make_app); its node index, else -1. */
static int32_t py_module_fn(const cc_file_graph *g, const cc_node *call, uint32_t name)
{
	int32_t fn = -1;
	for (uint32_t q = 0; q < g->n_nodes; q++) {
		const cc_node *d = &g->nodes[q];
		if (d->name != name)
			continue;
		if (d->kind == CC_NODE_IMPORT || (d->kind == CC_NODE_ASSIGNMENT && d->method < 0)) {
			int reaches = d->method < 0;
			for (int32_t m = call->method; m >= 0 && !reaches; m = g->nodes[m].method)
				reaches = d->method == m;
			if (reaches)
				return -1; /* an import (or a module-level value) binds it for the call */
			continue;
		}
		if (d->kind != CC_NODE_METHOD)
			continue;
		if (d->method >= 0) {
			for (int32_t m = call->method; m >= 0; m = g->nodes[m].method)
				if (d->method == m)
					return -1; /* a function nested in one enclosing the call */
			continue;
		}
		if (py_in_class(g, d))
			return -1; /* a class's method named alike: not this rule's */
		if (fn >= 0)
			return -1; /* two module-level definitions (if/else): not chosen here */
		fn = (int32_t)q;
	}
	return fn;
}

/* JS/TS (cg22): the function a bare call's name binds when method m's only definition of the
 * name (v[lo..], sorted) is a declaration whose value is a function defined there, directly in
 * m (`const setItem = () => {..}` inside persist's body, called from a callback of it): its
 * node index, else -1 (a parameter, a reassigned variable, any other value). */
static int32_t js_local_fn(const cc_file_graph *g, const var_def *v, size_t nv, size_t lo,
                           int32_t m, uint32_t var)
{
	if ((g->lang != CC_LANG_JAVASCRIPT && g->lang != CC_LANG_TYPESCRIPT &&
	     g->lang != CC_LANG_TSX) ||
	    (lo + 1 < nv && v[lo + 1].method == m && v[lo + 1].name == var))
		return -1;
	const cc_node *d = &g->nodes[v[lo].node];
	if (d->kind == CC_NODE_PARAM)
		return -1;
	for (uint32_t j = v[lo].node; j < g->n_nodes && g->nodes[j].start_byte < d->end_byte; j++) {
		const cc_node *f = &g->nodes[j];
		if (f->kind == CC_NODE_METHOD && f->method == m && f->name == var &&
		    f->start_byte >= d->start_byte && f->end_byte <= d->end_byte)
			return (int32_t)j;
	}
	return -1;
}

/* JS/TS (cg29): a declaration `f = (await import('M')).default` (node d: its text from the
 * name): "#M" into out, else "". */
static void js_dyn_default(char *out, size_t cap, const cc_node *d, const char *src, size_t len)
{
	out[0] = 0;
	if (!src || d->end_byte > len || d->start_byte >= d->end_byte)
		return;
	const char *p = src + d->start_byte, *e = src + d->end_byte;
	while (p < e && idc(*p))
		p++;
#define SKIP()                                                                 \
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) \
	p++
#define WORD(w)                                                 \
	do {                                                    \
		SKIP();                                         \
		size_t wl_ = strlen(w);                         \
		if ((size_t)(e - p) < wl_ || memcmp(p, w, wl_)) \
			return;                                 \
		p += wl_;                                       \
	} while (0)
	WORD("=");
	WORD("(");
	WORD("await");
	if (p >= e || idc(*p))
		return;
	WORD("import");
	WORD("(");
	SKIP();
	if (p >= e || (*p != '\'' && *p != '"'))
		return;
	char q = *p++;
	const char *m = p;
	while (p < e && *p != q && *p != '\n')
		p++;
	size_t ml = (size_t)(p - m);
	if (p >= e || !ml || ml + 2 > cap)
		return;
	p++;
	WORD(")");
	WORD(")");
	WORD(".");
	WORD("default");
	if (p < e && idc(*p))
		return;
#undef WORD
#undef SKIP
	out[0] = '#';
	memcpy(out + 1, m, ml);
	out[ml + 1] = 0;
}

/* JS/TS (cg22): a function declaration (`function f() {..}`, `async function f`, hoisted in
 * its function) named var directly in method m (fns: the file's named functions sorted by
 * enclosing method and name): its node index, else -1. A function
 * expression (`x = function f() {..}`, `(function f() {..})`, `return function f`) names
 * only itself: the text before it must end a statement (`;`, `{`, `}`, or a line break
 * after a value). */
static int32_t js_declared_fn(const cc_file_graph *g, const char *src, size_t len,
                              const var_def *fns, size_t nfn, int32_t m, uint32_t var)
{
	if (!src || !nfn)
		return -1;
	for (size_t i = var_find(fns, nfn, m, var); i < nfn && fns[i].method == m && fns[i].name == var;
	     i++) {
		uint32_t j = fns[i].node;
		const cc_node *f = &g->nodes[j];
		if (f->start_byte >= len)
			continue;
		const char *t = src + f->start_byte;
		size_t rest = len - f->start_byte;
		if (rest > 6 && !memcmp(t, "async", 5) && (t[5] == ' ' || t[5] == '\t')) {
			t += 6;
			rest -= 6;
			while (rest && (*t == ' ' || *t == '\t'))
				t++, rest--;
		}
		if (rest < 9 || memcmp(t, "function", 8) || idc(t[8]))
			continue;
		size_t b = f->start_byte;
		int nl = 0;
		while (b > 0 && (src[b - 1] == ' ' || src[b - 1] == '\t' || src[b - 1] == '\n' ||
		                 src[b - 1] == '\r'))
			nl |= src[--b] == '\n';
		char c = b ? src[b - 1] : ';';
		if (c == ';' || c == '{' || c == '}')
			return (int32_t)j;
		if (nl && (idc(c) || c == ')' || c == ']' || c == '"' || c == '\'' || c == '`')) {
			/* ..unless the word before is one that takes a value (`return`, `=>`) */
			size_t e = b;
			while (b > 0 && idc(src[b - 1]))
				b--;
			static const char *const kw[] = {"return", "yield", "await", "typeof", "void",
			                                 "new", "in", "of", "case", "default",
			                                 "export", "delete", "instanceof", NULL};
			int val = 0;
			for (int w = 0; kw[w] && !val; w++)
				val = strlen(kw[w]) == e - b && !memcmp(src + b, kw[w], e - b);
			if (!val)
				return (int32_t)j;
		}
	}
	return -1;
}

static void node_span(const char **p, size_t *n, const cc_node *nd, const char *src, size_t len)
{
	uint32_t s = nd->start_byte, e = nd->end_byte;
	if (e > len)
		e = (uint32_t)len;
	if (s > e)
		s = e;
	*p = src + s;
	*n = e - s;
}

/* Find the variable name as a whole word in t[0, n); returns its offset or -1. */
static long word_at(const char *t, size_t n, const char *name)
{
	size_t m = strlen(name);
	for (size_t i = 0; m && i + m <= n; i++)
		if (!memcmp(t + i, name, m) && (i == 0 || !idc(t[i - 1])) &&
		    (i + m == n || !idc(t[i + m])))
			return (long)i;
	return -1;
}

/* The head of definition node nd (its first 4096 bytes: t, n) and where its name is in it
 * (word_at), or -1 (the caller has checked that nd ends within the source and is named). */
static long def_head(const cc_file_graph *g, const cc_node *nd, const char *src, const char **t,
                     size_t *n)
{
	*t = src + nd->start_byte;
	*n = nd->end_byte - nd->start_byte;
	if (*n > 4096)
		*n = 4096;
	return word_at(*t, *n, cc_graph_str(g, nd->name));
}

/* Type of a parameter node. */
/* Go (gopy20): a type written t[0, n) as `q.T` (after `*`, `[]`, `...`) whose qualifier q is an
 * import of the file from the standard library (an import path whose first element has no dot,
 * as only the go command's own packages have: "net/http", "io") is that package's type, never
 * the repository's: out (the simple name) becomes "!T". `next http.Handler` took the 0.9 tier
 * to an example program's `type Handler func(..)`. */
static void go_std_qualified(char *out, size_t cap, const cc_file_graph *g, const char *t, size_t n)
{
	size_t i = 0;
	while (i < n && (space(t[i]) || t[i] == '*' || t[i] == '[' || t[i] == ']' || t[i] == '.'))
		i++;
	size_t q = i;
	while (i < n && idc(t[i]))
		i++;
	if (i == q || i >= n || t[i] != '.' || !out[0] || out[0] == '!' || strlen(out) + 2 > cap)
		return;
	size_t ql = i - q;
	for (uint32_t k = 0; k < g->n_nodes; k++) {
		const cc_node *im = &g->nodes[k];
		if (im->kind != CC_NODE_IMPORT)
			continue;
		const char *nm = cc_graph_str(g, im->name), *path = cc_graph_str(g, im->qual);
		if (!*path)
			path = nm;
		while (*path == '"' || *path == '`')
			path++;
		while (*nm == '"' || *nm == '`')
			nm++;
		size_t nl = strcspn(nm, "\"`");
		const char *last = memchr(nm, '/', nl) ? nm + nl : NULL;
		if (last) { /* the path's last element */
			while (last > nm && last[-1] != '/')
				last--;
			nl = strcspn(last, "\"`");
			nm = last;
		}
		if (nl != ql || memcmp(nm, t + q, ql))
			continue;
		size_t first = strcspn(path, "/\"`");
		if (memchr(path, '.', first))
			return; /* a module's package: the store decides */
		memmove(out + 1, out, strlen(out) + 1);
		out[0] = '!';
		return;
	}
}

/* Go: 1 when name is what an import of the file binds: its alias, or its path's last element
 * (the one before a major version "v2".. of a module path, "yaml" of "gopkg.in/yaml.v3"). */
static int go_import_named(const cc_file_graph *g, const char *name)
{
	size_t ql = strlen(name);
	for (uint32_t k = 0; k < g->n_nodes; k++) {
		const cc_node *im = &g->nodes[k];
		if (im->kind != CC_NODE_IMPORT)
			continue;
		const char *nm = cc_graph_str(g, im->name);
		while (*nm == '"' || *nm == '`')
			nm++;
		size_t nl = strcspn(nm, "\"`");
		const char *end = nm + nl, *last = end;
		while (last > nm && last[-1] != '/')
			last--;
		if (end - last >= 2 && last[0] == 'v' && last[1] >= '0' && last[1] <= '9' && last > nm) {
			end = last - 1; /* "chi/v5": chi */
			last = end;
			while (last > nm && last[-1] != '/')
				last--;
		}
		const char *dv = memchr(last, '.', (size_t)(end - last));
		if (dv && dv + 2 < end && dv[1] == 'v' && dv[2] >= '0' && dv[2] <= '9')
			end = dv; /* "yaml.v3": yaml */
		if ((size_t)(end - last) == ql && !memcmp(last, name, ql))
			return 1;
	}
	return 0;
}

/* Go: the type of a composite literal that is the whole receiver text t (`T{..}`, `&T{..}`,
 * `(&T{..})`, `pkg.T{..}`), into out: its simple name, "!T" for a type of a standard library
 * package (go_std_qualified); "" for any other receiver (cg23). */
static void go_literal_type(char *out, size_t cap, const cc_file_graph *g, const char *t)
{
	size_t n = strlen(t), i = 0, open = 0;
	out[0] = 0;
	while (i < n && (t[i] == '(' || t[i] == '&' || space(t[i])))
		open += t[i++] == '(';
	size_t w = i;
	while (i < n && (idc(t[i]) || t[i] == '.'))
		i++;
	if (i == w || i >= n || t[i] != '{' || t[i - 1] == '.' || (t[w] >= '0' && t[w] <= '9'))
		return;
	size_t tl = i;
	int depth = 0;
	for (; i < n; i++) {
		char c = t[i];
		if (c == '"' || c == '\'' || c == '`') {
			for (i++; i < n && t[i] != c; i++)
				if (t[i] == '\\' && c != '`')
					i++;
			continue;
		}
		if (c == '{')
			depth++;
		else if (c == '}' && !--depth)
			break;
	}
	if (i >= n)
		return;
	/* the literal ends the text, but for the parentheses opened before it */
	for (i++; i < n; i++) {
		if (t[i] == ')' && open)
			open--;
		else if (!space(t[i]))
			return;
	}
	if (open)
		return;
	type_name(out, cap, t + w, tl - w);
	if (!plain_ident(out)) {
		out[0] = 0;
		return;
	}
	go_std_qualified(out, cap, g, t + w, tl - w);
}

/* Rust (resolver 52, cg35): a declared type written as a slice, an array or a tuple (`&[u8]`,
 * `[T; 4]`, `&'a mut [T]`, `(A, B)`), which type_name leaves unnamed, is the language's own: "![]"
 * (a library type, so that `src.len()` of `src: &[u8]` reaches none of the repository's `len`
 * methods by name; hyperium/http). Leaves out alone when it already names a type. */
static void rust_lib_shape(char *out, size_t cap, const char *t, size_t n)
{
	if (out[0] || cap < 4)
		return;
	size_t i = 0;
	for (;;) {
		while (i < n && (space(t[i]) || t[i] == '&'))
			i++;
		if (i < n && t[i] == '\'') { /* a lifetime */
			for (i++; i < n && idc(t[i]); i++)
				;
			continue;
		}
		if (i + 3 < n && !memcmp(t + i, "mut", 3) && !idc(t[i + 3])) {
			i += 3;
			continue;
		}
		break;
	}
	if (i < n && (t[i] == '[' || t[i] == '('))
		snprintf(out, cap, "![]");
}

static void rust_tuple_param(char *out, size_t cap, const char *t, size_t n, size_t at);
static size_t skip_generics(const char *t, size_t n, size_t i);
static void rust_self_tuple(char *out, size_t cap, const char *src, size_t len, size_t at,
                            int idx);

static void param_type(char *out, size_t cap, const cc_file_graph *g, const cc_node *nd,
                       const char *src, size_t len)
{
	const char *t, *name = cc_graph_str(g, nd->name);
	size_t n;
	out[0] = 0;
	node_span(&t, &n, nd, src, len);
	long at = word_at(t, n, name);
	if (at < 0)
		return;
	size_t after = (size_t)at + strlen(name);
	switch (g->lang) {
	case CC_LANG_GO: {
		/* the node is the name alone: the type follows it ("a, b *Foo") */
		size_t i = nd->end_byte;
		while (i < len) {
			while (i < len && (src[i] == ' ' || src[i] == '\t'))
				i++;
			if (i < len && src[i] == ',') {
				i++;
				while (i < len && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n'))
					i++;
				while (i < len && idc(src[i]))
					i++;
				continue;
			}
			break;
		}
		size_t e = i;
		while (e < len && src[e] != ',' && src[e] != ')' && src[e] != '\n')
			e++;
		if (i < len && src[i] != ')' && src[i] != '.') {
			type_name(out, cap, src + i, e - i);
			go_std_qualified(out, cap, g, src + i, e - i);
		}
		return;
	}
	case CC_LANG_JAVA:
	case CC_LANG_C:
	case CC_LANG_CPP:
		type_name(out, cap, t, (size_t)at);
		if (g->lang == CC_LANG_CPP)
			cpp_qualify(out, cap, t, (size_t)at);
		return;
	default: {
		/* "name: Type = default" */
		size_t i = after;
		while (i < n && (t[i] == ' ' || t[i] == '?'))
			i++;
		if (i < n && t[i] == ':') {
			size_t e = i + 1;
			while (e < n && t[e] != '=' && t[e] != ',')
				e++;
			type_name(out, cap, t + i + 1, e - i - 1);
			if (g->lang == CC_LANG_RUST)
				rust_lib_shape(out, cap, t + i + 1, e - i - 1);
			/* TS: an array of T (`xs: T[]`) is no T but the platform's Array (ts20) */
			size_t b = e;
			while (b > i + 1 && space(t[b - 1]))
				b--;
			if ((g->lang == CC_LANG_TYPESCRIPT || g->lang == CC_LANG_TSX) && b > i + 2 &&
			    t[b - 1] == ']' && t[b - 2] == '[')
				snprintf(out, cap, "!Array");
		} else if (i < n && t[i] == '=' && g->lang == CC_LANG_PYTHON) {
			py_builtin_value(out, cap, t + i + 1, n - i - 1); /* `def f(seen=set())` */
		}
		if (g->lang == CC_LANG_RUST)
			rust_tuple_param(out, cap, t, n, (size_t)at);
		return;
	}
	}
}

/* Python: skips a string literal (optional prefix, single or triple quotes) at t[i]; returns
 * the index after it, or 0 when t[i] starts none. *bytes is set for a b"" literal. */
static size_t py_string_end(const char *t, size_t i, size_t n, int *bytes)
{
	size_t p = i;
	*bytes = 0;
	for (; p < n && p < i + 2 && t[p] && strchr("rRbBfFuU", t[p]); p++)
		*bytes |= t[p] == 'b' || t[p] == 'B';
	if (p >= n || (t[p] != '"' && t[p] != '\''))
		return 0;
	char q = t[p];
	int triple = p + 2 < n && t[p + 1] == q && t[p + 2] == q;
	for (p += triple ? 3 : 1; p < n; p++) {
		if (t[p] == '\\') {
			p++;
		} else if (t[p] == q && (!triple || (p + 2 < n && t[p + 1] == q && t[p + 2] == q))) {
			return p + (triple ? 3 : 1);
		} else if (t[p] == '\n' && !triple) {
			return 0;
		}
	}
	return 0;
}

/* Python: the index after the bracketed group opening at t[i] ('(', '[' or '{'), strings
 * skipped; 0 when it does not close. *colon is set for a ':' directly inside it. */
static size_t py_group_end(const char *t, size_t i, size_t n, int *colon)
{
	int d = 0, b;
	*colon = 0;
	for (size_t p = i; p < n; p++) {
		size_t e = (t[p] == '"' || t[p] == '\'') ? py_string_end(t, p, n, &b) : 0;
		if (e) {
			p = e - 1;
			continue;
		}
		if (t[p] == '(' || t[p] == '[' || t[p] == '{')
			d++;
		else if (t[p] == ')' || t[p] == ']' || t[p] == '}')
			d--;
		else if (t[p] == ':' && d == 1)
			*colon = 1;
		if (!d)
			return p + 1;
	}
	return 0;
}

/* Python: the builtin type a value expression t[0, n) is, when the expression is one whole
 * literal (`{}`, `{k: v for ..}`, `[..]`, `"..."`, `b".."`) or a call of a builtin type
 * (`dict(..)`, `list(..)`, `sorted(..)`): "!dict", "!set", "!list", "!str", "!bytes", ...;
 * "" otherwise (`[..][0]`, `{..}.get(k)` are not the container). */
static void py_builtin_value(char *out, size_t cap, const char *t, size_t n)
{
	static const char *const ctors[] = {"dict", "list", "set", "frozenset", "tuple", "str",
	                                    "bytes", "bytearray", "sorted", NULL};
	size_t i = 0, e = 0;
	int colon = 0, bytes = 0;
	const char *ty = NULL;
	out[0] = 0;
	while (i < n && space(t[i]))
		i++;
	if (i >= n)
		return;
	if (t[i] == '{' || t[i] == '[') {
		e = py_group_end(t, i, n, &colon);
		ty = t[i] == '[' ? "list" : colon || (e == i + 2) ? "dict"
		                                                  : "set";
	} else if ((e = py_string_end(t, i, n, &bytes)) != 0) {
		ty = bytes ? "bytes" : "str";
	} else {
		size_t w = i;
		while (w < n && idc(t[w]))
			w++;
		for (int k = 0; ctors[k] && !ty; k++)
			if (strlen(ctors[k]) == w - i && !memcmp(t + i, ctors[k], w - i))
				ty = !strcmp(ctors[k], "sorted") ? "list" : ctors[k];
		if (!ty || w >= n || t[w] != '(' || !(e = py_group_end(t, w, n, &colon)))
			return;
	}
	if (!e)
		return;
	while (e < n && space(t[e]))
		e++;
	if (e < n && t[e] != '#')
		return; /* the literal is part of a larger expression */
	snprintf(out, cap, "!%s", ty);
}

/* Python: a builtin type named by an annotation's simple name (`x: dict[str, int]`), as a
 * library's type "!dict"; other names are left as they are. */
static void py_builtin_annot(char *ty, size_t cap)
{
	static const char *const b[] = {"dict", "list", "set", "frozenset", "tuple", "str",
	                                "bytes", "bytearray", "int", "float", "bool", NULL};
	for (int k = 0; b[k]; k++)
		if (!strcmp(ty, b[k]) && strlen(ty) + 2 <= cap) {
			memmove(ty + 1, ty, strlen(ty) + 1);
			ty[0] = '!';
			return;
		}
}

/* Python: the text of an assignment's value (after its single '='), or 0 when none shows. */
static int py_assigned_value(const char **v, size_t *vn, const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '"' || t[i] == '\'' || t[i] == '(' || t[i] == '[' || t[i] == '{')
			return 0; /* a target with an index or a call: not a plain name */
		if (t[i] != '=')
			continue;
		if ((i + 1 < n && t[i + 1] == '=') ||
		    (i > 0 && strchr("!<>=+-*/%&|^@:", t[i - 1]) && t[i - 1]))
			return 0; /* a comparison, an augmented assignment or a walrus */
		*v = t + i + 1;
		*vn = n - i - 1;
		return 1;
	}
	return 0;
}

/* The first call inside assignment asg and the '=' (or, for Go when go_colon, ':' of ':=')
 * before it: 1 found (*k, *eq set), 0 a call but no '=' before it, -1 no call. */
static int value_first_call(const cc_file_graph *g, uint32_t asg, const char *src, int go_colon,
                            uint32_t *k, const char **eq)
{
	const cc_node *a = &g->nodes[asg];
	for (uint32_t i = asg + 1; i < g->n_nodes && g->nodes[i].start_byte < a->end_byte; i++) {
		const cc_node *c = &g->nodes[i];
		if (c->kind != CC_NODE_CALL)
			continue;
		const char *p = src + a->start_byte;
		size_t n = c->start_byte - a->start_byte;
		*eq = memchr(p, '=', n);
		if (!*eq && go_colon && g->lang == CC_LANG_GO)
			*eq = memchr(p, ':', n);
		*k = i;
		return *eq ? 1 : 0;
	}
	return -1;
}

/* The constructor a value expression shows, from its outermost call node (or the source for a
 * Go composite literal). */
static void go_written_type(char *out, size_t cap, const cc_file_graph *g, const char *t,
                            size_t n);

/* Go: the type a value ending in a type assertion shows, `m := h.(*Mux)`, `b :=
 * pool.Get().(*bytes.Buffer)` (T as go_written_type names it, "Mux"; a library's pointer
 * "!*Buffer", no interface another type may wrap), into out; ""
 * for a standard library interface (`.(http.Flusher)`), any other value and a type switch's
 * `.(type)`. */
static void go_asserted_type(char *out, size_t cap, const cc_file_graph *g, const char *t,
                             size_t n)
{
	out[0] = 0;
	const char *eq = memchr(t, '=', n);
	if (!eq)
		return;
	size_t e = n;
	while (e > 0 && space(t[e - 1]))
		e--;
	if (e < 4 || t[e - 1] != ')')
		return;
	size_t o = e - 1;
	int d = 0;
	for (;;) { /* the matching '(' */
		d += t[o] == ')';
		d -= t[o] == '(';
		if (!d || !o)
			break;
		o--;
	}
	if (d || o == 0 || t[o - 1] != '.' || t + o <= eq)
		return;
	if (e - o - 2 == 4 && !memcmp(t + o + 1, "type", 4))
		return;
	go_written_type(out, cap, g, t + o + 1, e - o - 2);
	size_t st = o + 1;
	while (st < e && space(t[st]))
		st++;
	if (out[0] == '!' && t[st] != '*') {
		out[0] = 0; /* a library interface (`.(http.Flusher)`): any type with the method
		             * may be there, the repository's too */
	} else if (out[0] == '!' && strlen(out) + 2 <= cap) {
		memmove(out + 2, out + 1, strlen(out)); /* a library's struct: "!*Buffer" */
		out[1] = '*';
	}
}

/* C++: is the call node c a member call, its callee `name` after `.` or `->` (`file->Append(d)`,
 * `x.Get()`), not `T(..)`, `ns::T(..)` nor `new T(..)`? */
static int cpp_member_call(const char *src, size_t len, const cc_node *c, const char *name)
{
	if (c->start_byte >= len || c->end_byte > len || c->end_byte <= c->start_byte)
		return 0;
	const char *t = src + c->start_byte;
	size_t n = c->end_byte - c->start_byte, nl = 0;
	while (name[nl] && idc(name[nl]))
		nl++;
	const char *par = memchr(t, '(', n);
	size_t lim = par ? (size_t)(par - t) : n;
	long at = -1; /* the callee's name: its last occurrence before the arguments */
	for (size_t i = 0; nl && i + nl <= lim; i++)
		if (!memcmp(t + i, name, nl) && (i == 0 || !idc(t[i - 1])) &&
		    (i + nl == n || !idc(t[i + nl])))
			at = (long)i;
	if (at <= 0)
		return 0;
	size_t i = (size_t)at;
	while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\n'))
		i--;
	return (i >= 1 && t[i - 1] == '.') || (i >= 2 && t[i - 1] == '>' && t[i - 2] == '-');
}

static void value_type(char *out, size_t cap, const cc_file_graph *g, uint32_t asg,
                       const char *src, size_t len)
{
	const cc_node *a = &g->nodes[asg];
	const char *eq = NULL;
	uint32_t k = 0;
	out[0] = 0;
	if (g->lang == CC_LANG_GO && a->end_byte <= len) {
		go_asserted_type(out, cap, g, src + a->start_byte, a->end_byte - a->start_byte);
		if (out[0])
			return;
	}
	if (g->lang == CC_LANG_PYTHON && a->end_byte <= len) {
		/* `d = {}`, `parts = [..]`, `s = "..."`, `d = dict(..)`: a builtin container */
		const char *vt;
		size_t vn;
		if (py_assigned_value(&vt, &vn, src + a->start_byte, a->end_byte - a->start_byte)) {
			py_builtin_value(out, cap, vt, vn);
			if (out[0])
				return;
		}
	}
	int found = value_first_call(g, asg, src, 1, &k, &eq);
	if (found == 0)
		return;
	if (found > 0) {
		const cc_node *c = &g->nodes[k];
		/* the value must start with this call (not x = f(Foo())) */
		const char *name = cc_graph_str(g, c->name), *recv = cc_graph_str(g, c->qual);
		int made = 0; /* `new T(..)` */
		for (const char *q = eq + 1; q < src + c->start_byte; q++) {
			if (!strncmp(q, "new", 3) && q + 3 <= src + c->start_byte && !idc(q[3])) {
				q += 2;
				made = 1;
				continue;
			}
			if (*q != ' ' && *q != '=' && *q != '\t' && *q != '\n' && *q != '&' && *q != '(')
				return;
		}
		if ((!strncmp(name, "make_unique<", 12) || !strncmp(name, "make_shared<", 12)) &&
		    cap > 2) {
			/* std::make_unique<Foo>(...) (the callee is named with its template
			 * arguments): a smart pointer to Foo */
			const char *gt = strrchr(name, '>');
			if (gt && gt > name + 12) {
				type_name(out + 1, cap - 1, name + 12, (size_t)(gt - name - 12));
				cpp_qualify(out + 1, cap - 1, name + 12, (size_t)(gt - name - 12));
			}
			out[0] = out[1] ? '*' : 0;
		} else if (g->lang == CC_LANG_GO && !*recv) {
			return; /* Go f(): a function (value_call reads its declared result type) */
		} else if (g->lang == CC_LANG_GO && plain_ident(recv) && go_import_named(g, recv)) {
			return; /* pkg.F(), pkg.NewFoo() too: value_call's "=pkg|F|", the store reads
			         * F's declared result (chi.NewRouter() is a *Mux, not a Router) */
		} else if (g->lang == CC_LANG_GO && !strncmp(name, "New", 3) && is_upper(name[3])) {
			type_name(out, cap, name + 3, strlen(name + 3)); /* a.b.NewFoo(): a Foo */
		} else if (g->lang == CC_LANG_GO) {
			return; /* pkg.F(): a function whose result type is not read */
		} else if (is_upper(*name)) {
			/* C++: a capitalised method of a value (`file->Append(d)`, `x.Get()`) is no
			 * constructor: Google-style methods are capitalised (cg29-cx) */
			if (g->lang == CC_LANG_CPP && *recv && cpp_member_call(src, len, c, name))
				return;
			type_name(out, cap, name, strlen(name));
			/* C++ (resolver 53, cg36): `auto c = Focusable()`, `auto s =
			 * App::TerminalOutput()`, `auto v = Container::Vertical(..)` may call a
			 * capitalised function, not a constructor (FTXUI): "=R|Name|C", the store
			 * reads what the function Name (of class or namespace R) declares it returns,
			 * else takes the class Name as before */
			size_t rl = strlen(recv), nl = strlen(name);
			int scope = 1;
			for (size_t i = 0; i < rl && scope; i++)
				scope = idc(recv[i]) || (recv[i] == ':' && i + 1 < rl && recv[i + 1] == ':') ||
				        (recv[i] == ':' && i && recv[i - 1] == ':');
			if (g->lang == CC_LANG_CPP && !made && scope && out[0] && plain_ident(name) &&
			    rl + nl + 5 < cap && rl < 100) {
				int w = snprintf(out, cap, "=%s|%s|C", recv, name);
				if (w < 0 || (size_t)w >= cap)
					out[0] = 0; /* (not reached: the lengths are checked) */
			}
		} else if (*recv && plain_ident(recv) == 0) {
			/* Foo::new(), std::fs::File::open(): the last path component */
			char tmp[128];
			type_name(tmp, sizeof(tmp), recv, strlen(recv));
			if (is_upper(*tmp) && strchr(recv, '(') == NULL)
				snprintf(out, cap, "%s", tmp);
		} else if (*recv && is_upper(*recv)) {
			snprintf(out, cap, "%s", recv); /* Foo.create(), Foo::new() */
		}
		return;
	}
	if (g->lang == CC_LANG_GO) {
		/* x := &Foo{...} / Foo{...} */
		const char *p = src + a->start_byte, *e = src + (a->end_byte <= len ? a->end_byte : len);
		const char *ge = memchr(p, '=', (size_t)(e - p));
		if (!ge)
			return;
		const char *q = ge + 1;
		while (q < e && (*q == ' ' || *q == '&'))
			q++;
		const char *w = q;
		while (q < e && (idc(*q) || *q == '.'))
			q++;
		if (q < e && *q == '{' && q > w)
			type_name(out, cap, w, (size_t)(q - w));
	}
}

/* JS/TS (cg29): assignment asg whose whole value is a call of a bare name g, `x = g(..)`, or of
 * the call's value, `x = g<T>()(..)`: "^N*A" into out (N the node index of g's call, A the calls
 * applied: 1, 2), returns 1; else 0. */
static int js_call_value(char *out, size_t cap, const cc_file_graph *g, uint32_t asg,
                         const char *src, size_t len)
{
	const cc_node *a = &g->nodes[asg];
	const char *eq = NULL;
	uint32_t k = 0;
	if (a->kind != CC_NODE_ASSIGNMENT || a->end_byte > len ||
	    value_first_call(g, asg, src, 0, &k, &eq) <= 0)
		return 0;
	for (const char *q = eq + 1; q < src + g->nodes[k].start_byte; q++)
		if (!space(*q))
			return 0;
	const cc_node *c = &g->nodes[k];
	/* the value ends with the call */
	size_t e = a->end_byte;
	while (e > c->end_byte && (space(src[e - 1]) || src[e - 1] == ';'))
		e--;
	if (e != c->end_byte)
		return 0;
	int apps = 1;
	if (!*cc_graph_str(g, c->name) && k + 1 < g->n_nodes &&
	    g->nodes[k + 1].kind == CC_NODE_CALL && g->nodes[k + 1].start_byte == c->start_byte) {
		apps = 2; /* g()(..): the callee is a call */
		k++;
		c = &g->nodes[k];
	}
	if (!plain_ident(cc_graph_str(g, c->name)) || *cc_graph_str(g, c->qual))
		return 0;
	/* does g's call pass an argument: the text inside its last parentheses */
	size_t ce = c->end_byte;
	int has = 0;
	if (ce > c->start_byte && src[ce - 1] == ')') {
		size_t o = ce - 1;
		int d = 0;
		for (;; o--) {
			d += src[o] == ')';
			d -= src[o] == '(';
			if (!d || o == c->start_byte)
				break;
		}
		for (size_t i = o + 1; i + 1 < ce && !has; i++)
			has = !space(src[i]);
	}
	snprintf(out, cap, "^%u*%d%c", k, apps, has ? '+' : '-');
	return 1;
}

/* Go: does call c end the value assigned by node asg (not `x.f().(io.Closer)`, `x.f().y`)? */
static int go_call_ends(const cc_file_graph *g, uint32_t asg, const cc_node *c, const char *src,
                        size_t len)
{
	size_t e = g->nodes[asg].end_byte < len ? g->nodes[asg].end_byte : len;
	for (size_t i = c->end_byte; i < e; i++)
		if (!space(src[i]))
			return 0;
	return 1;
}

/* A value that is a call of a function or of a method of self/this, whose return type the
 * store reads from the callee's definition: "=|f|u" (a bare call f(...)), "=self|f|u"
 * (self.f(...), this.f(...)), "=Foo|f|u" (Foo::new(..).f(..)), u "?" when the result is unwrapped (f()?, f().unwrap(),
 * f().expect(..), await f()), else "". Writes "" for other values. */
static void value_call(char *out, size_t cap, const cc_file_graph *g, uint32_t asg,
                       const char *src, size_t len)
{
	const char *eq = NULL;
	uint32_t k = 0;
	out[0] = 0;
	if (value_first_call(g, asg, src, 0, &k, &eq) > 0) {
		const cc_node *c = &g->nodes[k];
		const char *name = cc_graph_str(g, c->name), *recv = cc_graph_str(g, c->qual);
		if (c->end_byte > len)
			return;
		int unwrapped = 0;
		for (const char *q = eq + 1; q < src + c->start_byte; q++) {
			if (!strncmp(q, "await", 5) && !idc(q[5])) {
				q += 4;
				unwrapped = 1;
				continue;
			}
			if (!space(*q))
				return;
		}
		if ((!strcmp(name, "unwrap") || !strcmp(name, "expect")) && k + 1 < g->n_nodes &&
		    g->nodes[k + 1].kind == CC_NODE_CALL &&
		    g->nodes[k + 1].start_byte == c->start_byte) {
			c = &g->nodes[k + 1];
			name = cc_graph_str(g, c->name);
			recv = cc_graph_str(g, c->qual);
			unwrapped = 1;
		}
		if (c->end_byte < len && src[c->end_byte] == '?')
			unwrapped = 1;
		if (!plain_ident(name))
			return;
		if (!*recv) {
			snprintf(out, cap, "=|%s|%s", name, unwrapped ? "?" : "");
		} else if (!strcmp(recv, "self") || !strcmp(recv, "this")) {
			snprintf(out, cap, "=self|%s|%s", name, unwrapped ? "?" : "");
		} else if (g->lang == CC_LANG_GO && plain_ident(recv) && !go_import_named(g, recv) &&
		           go_call_ends(g, asg, c, src, len)) {
			/* Go `v1 := router.Group(..)`: a method of a variable, "^N" as chain_recv
			 * writes for a call's receiver: the store resolves call N and reads its
			 * declared result (resolver 33; a NewFoo method keeps value_type's name) */
			snprintf(out, cap, "^%u", k);
		} else if (g->lang == CC_LANG_GO && plain_ident(recv) && strlen(recv) < 100) {
			/* Go pkg.F(..): F of the package an import names (the store checks) */
			snprintf(out, cap, "=%s|%s|", recv, name);
		} else if (is_upper(*recv)) {
			/* a builder chain on a constructed value: Foo::new(..).m(..), Foo.create(..).m(..)
			 * (Foo's associated function taken to give a Foo, as value_type does) */
			size_t w = 0, rl = strlen(recv);
			while (idc(recv[w]))
				w++;
			size_t f = w + (recv[w] == '.' ? 1 : recv[w] == ':' && recv[w + 1] == ':' ? 2
			                                                                          : 0);
			if (f == w || !idc(recv[f]))
				return;
			while (idc(recv[f]))
				f++;
			if (recv[f] != '(' || recv[rl - 1] != ')' || w >= 100)
				return;
			int d = 0;
			for (size_t i = f; i < rl; i++) {
				d += recv[i] == '(';
				d -= recv[i] == ')';
				if (!d && i + 1 < rl)
					return; /* more than one call */
			}
			snprintf(out, cap, "=%.*s|%s|%s", (int)w, recv, name, unwrapped ? "?" : "");
		}
		if (!out[0] && *recv &&
		    (g->lang == CC_LANG_JAVASCRIPT || g->lang == CC_LANG_TYPESCRIPT ||
		     g->lang == CC_LANG_TSX || g->lang == CC_LANG_PYTHON)) {
			/* `z.string().min(1)`, `http.createServer()`: a value made from what the
			 * receiver's first name binds (the store checks whether a library's import) */
			/* ..but not what a generic function returns: its argument's type
			 * (`copy.copy(jar)`, `pickle.loads(..)`, `t.cast(Group, ..)`) */
			static const char *const generic[] = {"copy", "deepcopy", "cast", "loads",
			                                      "load", "proxy", "ref", NULL};
			int gen = 0;
			for (int i = 0; generic[i] && !gen; i++)
				gen = !strcmp(name, generic[i]);
			size_t w = 0;
			while (idc(recv[w]))
				w++;
			if (!gen && w && w < 100 && (recv[w] == '.' || recv[w] == '(' || !recv[w]) &&
			    strcmp(recv, "self") && strcmp(recv, "this"))
				snprintf(out, cap, "~%.*s", (int)w, recv);
		}
		return;
	}
}

/* Declared type of a local ("Foo x = ...", "let x: Foo = ...", "var x Foo"). */
static void decl_type(char *out, size_t cap, const cc_file_graph *g, const cc_node *nd,
                      const char *src, size_t len)
{
	const char *t, *name = cc_graph_str(g, nd->name);
	size_t n;
	out[0] = 0;
	node_span(&t, &n, nd, src, len);
	long at = word_at(t, n, name);
	if (at < 0)
		return;
	size_t i = (size_t)at + strlen(name);
	while (i < n && t[i] == ' ')
		i++;
	if (i < n && t[i] == ':' && (i + 1 >= n || t[i + 1] != '=')) {
		size_t e = i + 1;
		while (e < n && t[e] != '=')
			e++;
		type_name(out, cap, t + i + 1, e - i - 1);
		if (g->lang == CC_LANG_RUST)
			rust_lib_shape(out, cap, t + i + 1, e - i - 1);
		/* TS: an array of T (`xs: T[]`) is no T but the platform's Array (ts20:
		 * `bags.push(..)` of `Bag[]` was Bag.push) */
		size_t b = e;
		while (b > i + 1 && space(t[b - 1]))
			b--;
		if ((g->lang == CC_LANG_TYPESCRIPT || g->lang == CC_LANG_TSX) && b > i + 2 &&
		    t[b - 1] == ']' && t[b - 2] == '[')
			snprintf(out, cap, "!Array");
		return;
	}
	if (g->lang != CC_LANG_JAVA && g->lang != CC_LANG_CPP && g->lang != CC_LANG_C)
		return;
	/* the declarator follows its type: scan back from the node's start */
	size_t s = nd->start_byte + (size_t)at;
	if (s > len)
		return;
	size_t j = s;
	while (j > 0 && (src[j - 1] == ' ' || src[j - 1] == '\t' || src[j - 1] == '*' ||
	                 src[j - 1] == '&'))
		j--;
	size_t te = j; /* the type's end, template arguments included */
	if (j > 0 && src[j - 1] == '>')
		j = back_over_angles(src, j);
	size_t e = j;
	while (j > 0 && (idc(src[j - 1]) || src[j - 1] == '.' || src[j - 1] == ':'))
		j--;
	if (e > j && !noise_word(src + j, e - j) &&
	    !(e - j == 6 && !memcmp(src + j, "return", 6))) {
		member_type(out, cap, src + j, te - j);
		if (g->lang == CC_LANG_CPP)
			cpp_qualify(out, cap, src + j, te - j);
	}
}

/* C++/Java: is the assignment node a declaration whose type is inferred (`auto x = ...`,
 * `const auto& x = ...`, `var x = ...`)? A plain reassignment `x = ...` keeps the type x was
 * declared with, so its value's type is not taken. */
/* The offset in src of the name an assignment node assigns (its first whole-word use in the
 * node's text), or (size_t)-1 when not found. */
static size_t assigned_name_at(const cc_file_graph *g, const cc_node *nd, const char *src,
                               size_t len)
{
	const char *t;
	size_t n;
	node_span(&t, &n, nd, src, len);
	long at = word_at(t, n, cc_graph_str(g, nd->name));
	if (at < 0)
		return (size_t)-1;
	size_t j = nd->start_byte + (size_t)at;
	return j > len ? (size_t)-1 : j;
}

static int auto_decl(const cc_file_graph *g, const cc_node *nd, const char *src, size_t len)
{
	size_t j = assigned_name_at(g, nd, src, len);
	if (j == (size_t)-1)
		return 0;
	while (j > 0 && (space(src[j - 1]) || src[j - 1] == '*' || src[j - 1] == '&'))
		j--;
	size_t e = j;
	while (j > 0 && idc(src[j - 1]))
		j--;
	return (e - j == 4 && !memcmp(src + j, "auto", 4)) ||
	       (e - j == 3 && !memcmp(src + j, "var", 3) && g->lang == CC_LANG_JAVA);
}

/* C++/Java: the type of a local declared without initializer before offset `at` in the
 * method text m[0, at): the last "Type [*&]name" followed by ; = ( { , ) [ or a range-for
 * ':' whose type starts a statement, a parameter or a condition ("" when none). */
/* m[0, b) without its trailing white space and the comments ending lines before b (`//` on a
 * line of its own or after code, a block comment): what ends where the code before b ends. */
static size_t back_over_comments(const char *m, size_t b)
{
	for (;;) {
		int nl = 0;
		while (b > 0 && space(m[b - 1]))
			nl |= m[--b] == '\n';
		if (b >= 2 && m[b - 1] == '/' && m[b - 2] == '*') {
			size_t k = b - 2;
			while (k >= 2 && !(m[k - 2] == '/' && m[k - 1] == '*'))
				k--;
			if (k < 2)
				return b;
			b = k - 2;
			continue;
		}
		if (!nl)
			return b;
		size_t ls = b;
		while (ls > 0 && m[ls - 1] != '\n')
			ls--;
		size_t c = ls;
		int quotes = 0; /* "http://x" is no comment */
		while (c + 1 < b && !(m[c] == '/' && m[c + 1] == '/' && !(quotes & 1)))
			quotes += m[c++] == '"';
		if (c + 1 >= b)
			return b;
		b = c; /* a line comment: what stands before it */
	}
}

/* C++: is the assignment node a plain reassignment `x = ...` (no type before the name: the
 * statement starts with it, or `else x = ...`)? */
static int cpp_reassignment(const cc_file_graph *g, const cc_node *nd, const char *src, size_t len)
{
	size_t j = assigned_name_at(g, nd, src, len);
	if (j == (size_t)-1)
		return 0;
	j = back_over_comments(src, j); /* (a comment's last word is no type) */
	if (j == 0)
		return 1;
	char c = src[j - 1];
	if (c == ';' || c == '{' || c == '}' || c == ')' || c == ':' || c == ',' || c == '(')
		return 1;
	size_t e = j;
	while (j > 0 && idc(src[j - 1]))
		j--;
	return (e - j == 4 && !memcmp(src + j, "else", 4)) ||
	       (e - j == 2 && !memcmp(src + j, "do", 2));
}

static void scan_decl(char *out, size_t cap, const char *m, size_t at, const char *name)
{
	static const char *const kw[] = {"return", "else", "case", "delete", "new", "throw", "goto",
	                                 "sizeof", "typedef", "co_return", "co_yield", "operator",
	                                 "using", "namespace", "do", "if", "while", "switch",
	                                 "public", "private", "protected", "and", "or", "not",
	                                 "const", "static", "auto", "struct", "class", "enum",
	                                 "typename", "volatile", "final", "var", NULL};
	size_t nl = strlen(name);
	out[0] = 0;
	if (!nl || nl > at)
		return;
	/* the last declaration: read from the end, the first one found */
	for (size_t p = at - nl + 1; p-- > 0;) {
		if (m[p] != name[0] || memcmp(m + p, name, nl) || (p && idc(m[p - 1])) ||
		    (p + nl < at && idc(m[p + nl])))
			continue;
		size_t q = p + nl;
		while (q < at && space(m[q]))
			q++;
		if (q >= at)
			continue;
		char c = m[q];
		if (!(c == ';' || c == '=' || c == '(' || c == '{' || c == ',' || c == ')' ||
		      c == '[' || (c == ':' && (q + 1 >= at || m[q + 1] != ':'))))
			continue;
		if (c == '=' && q + 1 < at && m[q + 1] == '=')
			continue;
		size_t j = p;
		while (j > 0 && (space(m[j - 1]) || m[j - 1] == '*' || m[j - 1] == '&'))
			j--;
		size_t te = j;
		if (j > 0 && m[j - 1] == '>' && !(j > 1 && m[j - 2] == '-'))
			j = back_over_angles(m, j);
		size_t e = j;
		while (j > 0 && (idc(m[j - 1]) || m[j - 1] == ':'))
			j--;
		if (e == j || (m[j] >= '0' && m[j] <= '9'))
			continue;
		if ((e - j == 5 && !memcmp(m + j, "const", 5)) ||
		    (e - j == 8 && !memcmp(m + j, "volatile", 8))) {
			/* east const: `json const j`, `Foo const& f` (the type before the qualifier) */
			size_t k = j;
			while (k > 0 && space(m[k - 1]))
				k--;
			if (k > 0 && (idc(m[k - 1]) || m[k - 1] == '>')) {
				j = te = k;
				if (m[j - 1] == '>' && !(j > 1 && m[j - 2] == '-'))
					j = back_over_angles(m, j);
				e = j;
				while (j > 0 && (idc(m[j - 1]) || m[j - 1] == ':'))
					j--;
				if (e == j || (m[j] >= '0' && m[j] <= '9'))
					continue;
			}
		}
		int bad = 0;
		for (int k = 0; kw[k] && !bad; k++)
			bad = strlen(kw[k]) == e - j && !memcmp(m + j, kw[k], e - j);
		if (bad)
			continue;
		/* what stands before the type: a statement's or a list's start, or a qualifier */
		size_t b = j;
		b = back_over_comments(m, b);
		/* a preprocessor line (`#if JSON_DIAGNOSTICS`) ends where a statement may start */
		size_t ls = b;
		while (ls > 0 && m[ls - 1] != '\n')
			ls--;
		while (ls < b && (m[ls] == ' ' || m[ls] == '\t'))
			ls++;
		if (ls < b && m[ls] == '#' && memchr(m + b, '\n', j - b))
			b = 0;
		if (b > 0) {
			char d = m[b - 1];
			if (idc(d)) {
				size_t w = b;
				while (w > 0 && idc(m[w - 1]))
					w--;
				static const char *const ok[] = {"const", "static", "volatile", "struct",
				                                 "class", "typename", "final", NULL};
				int good = 0;
				for (int k = 0; ok[k] && !good; k++)
					good = strlen(ok[k]) == b - w && !memcmp(m + w, ok[k], b - w);
				if (!good)
					continue;
			} else if (d != ';' && d != '{' && d != '}' && d != '(' && d != ',') {
				continue;
			}
		}
		member_type(out, cap, m + j, te - j);
		cpp_qualify(out, cap, m + j, te - j); /* C++ only (a block of no function) */
		return;
	}
}

/* Rust (cg29): is s[0, n) a CamelCase name (an enum variant, a type: `KilledBySigint`, `Io`),
 * not a SCREAMING constant (`Config::DEFAULT.len()`)? */
static int camel(const char *s, size_t n)
{
	int lower = 0;
	for (size_t i = 0; i < n; i++)
		lower |= s[i] >= 'a' && s[i] <= 'z';
	return n && is_upper(s[0]) && lower;
}

/* Rust (cg29): an enum variant's value as a receiver, `ExitCode::KilledBySigint.exit()` (path
 * p = "ExitCode::KilledBySigint", variant 0) or `Error::Io(err).with_path(..)` (p = "Error",
 * the variant Io the call's name, variant 1): the enum's name (the path's CamelCase segment
 * before the variant) into buf; 0 when p does not end so. `Self::Variant` gives "Self". */
static int rust_variant_type(char *buf, size_t cap, const char *p, int variant)
{
	size_t n = strlen(p), e = n, b;
	for (size_t i = 0; i < n; i++)
		if (!idc(p[i]) && p[i] != ':')
			return 0;
	if (!variant) { /* drop the variant: the last segment */
		b = e;
		while (b > 0 && p[b - 1] != ':')
			b--;
		if (b < 2 || p[b - 2] != ':' || !camel(p + b, e - b))
			return 0;
		e = b - 2;
	}
	b = e;
	while (b > 0 && p[b - 1] != ':')
		b--;
	if (!camel(p + b, e - b) || e - b >= cap)
		return 0;
	memcpy(buf, p + b, e - b);
	buf[e - b] = 0;
	return 1;
}

/* A method called on a call's value, `a.b().c()`, `Foo::new(x).c()?`, `f()?.c()`: the receiver
 * call is the first call node after k that starts where k does and ends where k's receiver
 * text does (with a Rust `?` after it); out[k].rtype becomes "^N" (N its node index, "^N?"
 * when unwrapped by `?`): the store types the receiver by what that call resolves to. Returns
 * 1 when k's receiver is such a call (out[k] then set; on allocation failure rtype NULL and
 * flags all ones), else 0. */
/* Rust: is the receiver a parenthesized range, `(a..b)`, `(0..=n)`, `(..n)`: ".." at the
 * parentheses' own level, no string or call around it? */
static int rust_range_recv(const char *recv)
{
	size_t rl = strlen(recv);
	if (rl < 4 || recv[0] != '(' || recv[rl - 1] != ')')
		return 0;
	int depth = 0, range = 0;
	for (size_t i = 0; i < rl; i++) {
		char c = recv[i];
		if (c == '"' || c == '\'' || c == '{' || c == ';')
			return 0;
		if (c == '(' || c == '[')
			depth++;
		else if (c == ')' || c == ']') {
			if (!--depth && i + 1 < rl)
				return 0; /* `(a)..(b)`, `(x).f()`: not one parenthesized range */
		} else if (depth == 1 && c == '.' && i + 1 < rl && recv[i + 1] == '.')
			range = 1;
	}
	return range;
}

/* A call's receiver is a local variable whose type is `type` (copied): 0, or -1 when the copy
 * cannot be allocated. */
static int local_rtype(cc_call_info *c, const char *type)
{
	c->flags |= CC_CALL_RECV_LOCAL;
	return (c->rtype = strdup(type)) ? 0 : -1;
}

static int chain_recv(cc_call_info *out, const cc_file_graph *g, uint32_t k)
{
	const cc_node *nd = &g->nodes[k];
	const char *recv = cc_graph_str(g, nd->qual);
	size_t rl = strlen(recv);
	int unwrapped = 0;
	if (rl && recv[rl - 1] == '?') {
		unwrapped = 1;
		rl--;
	}
	if (rl < 3 || recv[rl - 1] != ')')
		return 0;
	for (uint32_t j = k + 1; j < g->n_nodes && g->nodes[j].start_byte == nd->start_byte; j++) {
		const cc_node *c = &g->nodes[j];
		if (c->kind != CC_NODE_CALL)
			continue;
		if (c->end_byte >= nd->end_byte || c->end_byte - c->start_byte > rl + 256)
			return 0;
		char buf[128];
		const char *cn = cc_graph_str(g, c->name);
		if (g->lang == CC_LANG_RUST && !unwrapped && camel(cn, strlen(cn)) &&
		    rust_variant_type(buf, sizeof(buf), cc_graph_str(g, c->qual), 1)) {
			/* `Error::Io(err).with_path(..)`: the enum's method (cg29) */
			out[k].flags |= CC_CALL_RECV_LOCAL;
			if (!(out[k].rtype = strdup(buf)))
				out[k].flags = (uint32_t)-1;
			return 1;
		}
		snprintf(buf, sizeof(buf), "^%u%s", j, unwrapped ? "?" : "");
		if (!(out[k].rtype = strdup(buf)))
			out[k].flags = (uint32_t)-1;
		return 1;
	}
	return 0;
}

/* Rust: the first trait bound of generic parameter buf written in t[0, n) (a signature or an
 * impl/struct header before its body: `<S: Sink>`, `where S: Sink + Send`); replaces buf with
 * it and returns 1, or returns 0 and leaves buf. Lifetimes and ?Sized are skipped. */
static int bound_in(char *buf, size_t cap, const char *t, size_t n)
{
	size_t bl = strlen(buf);
	for (size_t i = 0; i + bl < n; i++) {
		if (memcmp(t + i, buf, bl) || (i && idc(t[i - 1])) || idc(t[i + bl]))
			continue;
		size_t k = i + bl;
		while (k < n && space(t[k]))
			k++;
		if (k >= n || t[k] != ':' || (k + 1 < n && t[k + 1] == ':'))
			continue;
		/* the bounds: skip lifetimes and ?Sized, take the first trait */
		for (k++; k < n;) {
			while (k < n && (space(t[k]) || t[k] == '+'))
				k++;
			if (k < n && (t[k] == '\'' || t[k] == '?')) {
				for (k++; k < n && idc(t[k]); k++)
					;
				continue;
			}
			size_t w = k;
			while (k < n && (idc(t[k]) || t[k] == ':'))
				k++;
			if (k > w && is_upper(t[w]) == 0 && !memchr(t + w, ':', k - w))
				return 0;
			char ty[128];
			type_name(ty, sizeof(ty), t + w, k - w);
			if (!ty[0] || !is_upper(ty[0]))
				return 0;
			snprintf(buf, cap, "%s", ty);
			return 1;
		}
		return 0;
	}
	return 0;
}

/* Rust: a parameter typed by a generic parameter of its function (`fn f<S: Sink>(s: S)`,
 * `where S: Sink + Send`) is typed by the parameter's first trait bound; buf holds the
 * parameter's type and is replaced when such a bound shows in the signature. */
static void generic_bound(char *buf, size_t cap, const cc_file_graph *g, const cc_node *p,
                          const char *src, size_t len)
{
	if (p->method < 0 || (uint32_t)p->method >= g->n_nodes)
		return;
	const cc_node *m = &g->nodes[p->method];
	if (m->start_byte >= len)
		return;
	const char *t = src + m->start_byte;
	size_t n = (m->end_byte < len ? m->end_byte : len) - m->start_byte;
	const char *body = memchr(t, '{', n);
	if (body)
		n = (size_t)(body - t);
	bound_in(buf, cap, t, n);
}

/* TS: a parameter typed by a type parameter of its function (`function f<E extends H3Event =
 * H3Event>(event: E)`) is typed by the parameter's constraint (ts20; h3's utilities); buf
 * holds the parameter's type and is replaced when `E extends T` shows in the function's text
 * before the parameter. */
static void ts_generic_bound(char *buf, size_t cap, const cc_file_graph *g, const cc_node *p,
                             const char *src, size_t len)
{
	if (p->method < 0 || (uint32_t)p->method >= g->n_nodes || !plain_ident(buf))
		return;
	const cc_node *m = &g->nodes[p->method];
	if (m->start_byte >= p->start_byte || p->start_byte > len)
		return;
	const char *t = src + m->start_byte;
	size_t n = p->start_byte - m->start_byte, bl = strlen(buf);
	if (n > 4096)
		return;
	for (size_t i = 0; i + bl < n; i++) {
		if ((t[i] != '<' && t[i] != ',') || i + 1 >= n)
			continue;
		size_t j = i + 1;
		while (j < n && space(t[j]))
			j++;
		if (j + bl >= n || memcmp(t + j, buf, bl) || idc(t[j + bl]))
			continue;
		j += bl;
		while (j < n && space(t[j]))
			j++;
		if (j + 8 > n || memcmp(t + j, "extends", 7) || !space(t[j + 7]))
			continue;
		for (j += 8; j < n && space(t[j]); j++)
			;
		size_t b = j;
		while (j < n && idc(t[j]))
			j++;
		if (j == b || j - b + 1 > cap || !is_upper(t[b]) ||
		    (j < n && t[j] != '<' && t[j] != ',' && t[j] != '>' && t[j] != '=' && !space(t[j])))
			return; /* `E extends keyof T`, a union, a path: not one type */
		size_t k = j;
		while (k < n && space(t[k]))
			k++;
		if (k < n && (t[k] == '|' || t[k] == '&' || t[k] == '['))
			return;
		memcpy(buf, t + b, j - b);
		buf[j - b] = 0;
		return;
	}
}

/* Rust: the element type of a container type written in t[0, n): `Vec<T>`, `VecDeque<T>`,
 * `HashSet<T>`, `BTreeSet<T>`, `[T]`, `[T; N]` behind any `&`/`&mut`, reduced like a member's
 * type (Box<T> gives "*T"); "" for anything else, and for a T written with a path outside the
 * crate (`fs::DirEntry` is std's, whatever the repository calls DirEntry). */
static void elem_type(char *out, size_t cap, const char *t, size_t n)
{
	static const char *const seq[] = {"Vec", "VecDeque", "HashSet", "BTreeSet", "BinaryHeap",
	                                  "LinkedList", NULL};
	size_t i = 0;
	out[0] = 0;
	for (;;) {
		while (i < n && (space(t[i]) || t[i] == '&'))
			i++;
		if (i + 3 <= n && !memcmp(t + i, "mut", 3) && (i + 3 == n || !idc(t[i + 3])))
			i += 3;
		else if (i < n && t[i] == '\'') { /* a lifetime */
			i++;
			while (i < n && idc(t[i]))
				i++;
		} else
			break;
	}
	size_t b, e;
	if (i < n && t[i] == '[') {
		/* [T] or [T; N]: T ends at the first ';' or the closing ']' at depth 1 */
		b = i + 1;
		int d = 1;
		for (e = b; e < n; e++) {
			d += t[e] == '[' || t[e] == '<';
			d -= t[e] == ']' || (t[e] == '>' && t[e - 1] != '-');
			if (!d || (d == 1 && t[e] == ';'))
				break;
		}
		if (e >= n)
			return;
	} else {
		size_t w = i, last = i;
		while (w < n && (idc(t[w]) || t[w] == ':')) {
			if (t[w] == ':')
				last = w + 1;
			w++;
		}
		int ok = 0;
		for (int k = 0; seq[k] && !ok; k++)
			ok = strlen(seq[k]) == w - last && !memcmp(t + last, seq[k], w - last);
		if (!ok || w >= n || t[w] != '<')
			return;
		/* Vec<T>, HashSet<T, S>: T ends at the first ',' or the closing '>' at depth 1 */
		b = w + 1;
		int d = 1;
		for (e = b; e < n; e++) {
			d += t[e] == '<';
			d -= t[e] == '>' && t[e - 1] != '-';
			if (!d || (d == 1 && t[e] == ','))
				break;
		}
		if (e >= n)
			return;
	}
	/* a path names another crate's type (`fs::DirEntry`), unless it starts in this one */
	while (b < e && (space(t[b]) || t[b] == '&'))
		b++;
	for (size_t k = b; k + 1 < e && t[k] != '<'; k++)
		if (t[k] == ':' && t[k + 1] == ':' &&
		    !((k - b == 5 && !memcmp(t + b, "crate", 5)) ||
		      (k - b == 4 && !memcmp(t + b, "self", 4)) ||
		      (k - b == 5 && !memcmp(t + b, "super", 5))))
			return;
	if (e > b)
		member_type(out, cap, t + b, e - b);
}

/* Rust: the type variable `name` is declared with in m[0, at) (`name: T` of a parameter or a
 * `let`), as written, into t/tn; 0 when none shows. */
static int rust_decl_text(const char **t, size_t *tn, const char *m, size_t at, const char *name)
{
	size_t nl = strlen(name);
	int found = 0;
	for (size_t p = 0; p + nl < at; p++) {
		if (memcmp(m + p, name, nl) || (p && (idc(m[p - 1]) || m[p - 1] == '.')) ||
		    idc(m[p + nl]))
			continue;
		size_t q = p + nl;
		while (q < at && space(m[q]))
			q++;
		if (q + 1 >= at || m[q] != ':' || m[q + 1] == ':')
			continue;
		q++;
		size_t e = q;
		int d = 0;
		for (; e < at; e++) {
			d += m[e] == '<' || m[e] == '(' || m[e] == '[';
			d -= (m[e] == '>' && m[e - 1] != '-') || m[e] == ')' || m[e] == ']';
			if (d < 0 || (!d && (m[e] == ',' || m[e] == '=' || m[e] == ';' || m[e] == '{')))
				break;
		}
		*t = m + q;
		*tn = e - q;
		found = 1; /* the last declaration before the use wins */
	}
	return found;
}

/* The nearest `KW name` before at in m[0, at) (kw a keyword, name a whole word after it): the
 * offset just past name, with kw's offset in *kp; 0 when there is none. */
static size_t kw_name_before(const char *m, size_t at, const char *kw, const char *name,
                             size_t *kp)
{
	size_t nl = strlen(name), kl = strlen(kw);
	for (size_t p = at; p-- > 0;) {
		if (p + kl + 1 + nl > at || memcmp(m + p, kw, kl) || (p && idc(m[p - 1])) ||
		    !space(m[p + kl]))
			continue;
		size_t q = p + kl;
		while (q < at && space(m[q]))
			q++;
		if (q + nl > at || memcmp(m + q, name, nl) || (q + nl < at && idc(m[q + nl])))
			continue;
		*kp = p;
		return q + nl;
	}
	return 0;
}

/* Rust: the element type of loop variable `name` bound by the nearest `for name in EXPR` in
 * m[0, at), EXPR `v`, `&v`, `&mut v`, `v.iter()`, `v.iter_mut()` or `v.into_iter()` of a
 * variable v declared in m with a container type (elem_type). */
static void rust_for_elem(char *out, size_t cap, const char *m, size_t at, const char *name)
{
	out[0] = 0;
	size_t p, q = kw_name_before(m, at, "for", name, &p);
	if (q) {
		while (q < at && space(m[q]))
			q++;
		if (q + 3 > at || memcmp(m + q, "in", 2) || !space(m[q + 2]))
			return;
		q += 2;
		while (q < at && (space(m[q]) || m[q] == '&'))
			q++;
		if (q + 4 <= at && !memcmp(m + q, "mut ", 4))
			q += 4;
		size_t v = q;
		while (q < at && idc(m[q]))
			q++;
		if (q == v || q - v >= 64)
			return;
		char var[64];
		memcpy(var, m + v, q - v);
		var[q - v] = 0;
		static const char *const it[] = {".iter()", ".iter_mut()", ".into_iter()", NULL};
		for (int k = 0; it[k]; k++)
			if (q + strlen(it[k]) <= at && !memcmp(m + q, it[k], strlen(it[k]))) {
				q += strlen(it[k]);
				break;
			}
		while (q < at && space(m[q]))
			q++;
		if (q >= at || m[q] != '{')
			return; /* another expression: a range, a call, a field */
		const char *t = NULL;
		size_t tn = 0;
		if (rust_decl_text(&t, &tn, m, p, var))
			elem_type(out, cap, t, tn);
		return;
	}
}

/* Rust (resolver 55, cg37): a field type written through a path, `walkdir::DirEntry`,
 * `termcolor::StandardStream`, `io::Error`: type_name keeps only the last name, which may be a
 * repository class's (ripgrep's ignore has its own DirEntry). A path from a module the file
 * takes from the standard library (`use std::io;`, `use std::{fmt, io}`) names the library's
 * type: "!" before it; from a module the file declares (`mod m;`) or `crate`/`self`/`super`:
 * kept; from anything else (another crate): "" (not known, as with no declaration). */
static void rust_qualified_field(char *out, size_t cap, const char *src, size_t len,
                                 const char *t, size_t n)
{
	size_t i = 0;
	for (;;) {
		while (i < n && (space(t[i]) || t[i] == '&'))
			i++;
		if (i < n && t[i] == '\'') {
			for (i++; i < n && idc(t[i]); i++)
				;
			continue;
		}
		size_t w = i;
		while (i < n && idc(t[i]))
			i++;
		if (i > w && i < n && space(t[i]) &&
		    ((i - w == 3 && (!memcmp(t + w, "mut", 3) || !memcmp(t + w, "dyn", 3))) ||
		     (i - w == 4 && !memcmp(t + w, "impl", 4))))
			continue;
		i = w;
		break;
	}
	size_t w = i;
	while (i < n && idc(t[i]))
		i++;
	size_t sl = i - w;
	if (!out[0] || out[0] == '!' || !sl || i + 2 > n || t[i] != ':' || t[i + 1] != ':')
		return;
	static const char *const own[] = {"crate", "self", "super", "Self", NULL};
	for (int k = 0; own[k]; k++)
		if (strlen(own[k]) == sl && !memcmp(own[k], t + w, sl))
			return;
	/* `use std::..;` / `use core::..;` / `use alloc::..;` naming the module */
	for (size_t p = 0; p + 4 < len; p++) {
		if (memcmp(src + p, "use", 3) || (p && idc(src[p - 1])) || !space(src[p + 3]))
			continue;
		size_t q = p + 3;
		while (q < len && space(src[q]))
			q++;
		if (q + 2 <= len && src[q] == ':' && src[q + 1] == ':')
			q += 2;
		if (!(q + 5 <= len && (!memcmp(src + q, "std::", 5) || !memcmp(src + q, "core:", 5))) &&
		    !(q + 6 <= len && !memcmp(src + q, "alloc:", 6)))
			continue;
		size_t e = q;
		while (e < len && src[e] != ';')
			e++;
		for (size_t r = q; r + sl <= e; r++)
			if (!memcmp(src + r, t + w, sl) && !idc(src[r - 1]) && !idc(src[r + sl])) {
				size_t ol = strlen(out);
				if (ol + 2 <= cap) {
					memmove(out + 1, out, ol + 1);
					out[0] = '!';
				}
				return;
			}
	}
	/* `mod m;` / `mod m {` of the file */
	for (size_t p = 0; p + 4 + sl <= len; p++) {
		if (memcmp(src + p, "mod", 3) || (p && idc(src[p - 1])) || !space(src[p + 3]))
			continue;
		size_t q = p + 3;
		while (q < len && space(src[q]))
			q++;
		if (q + sl <= len && !memcmp(src + q, t + w, sl) && (q + sl == len || !idc(src[q + sl])))
			return;
	}
	out[0] = 0;
}

/* Rust (resolver 55, cg37): the declared type of field idx of a tuple struct or enum variant
 * declared in the file, `struct Custom(ByteStr);` / `enum Repr<T> { Standard(StandardHeader),
 * Custom(T) }`, path "Custom" / "Repr::Custom" (a path "E::V" looks in enum E only; a plain
 * "V" in a tuple struct V, else in any enum's variant V). Written as a declared type is
 * (type_name, rust_lib_shape: a library type names no class of the revision, a slice "![]");
 * "" when the declaration does not show or the field is a type parameter of the declaration. */
static void rust_tuple_field(char *out, size_t cap, const char *src, size_t len,
                             const char *path, size_t pl, int idx)
{
	out[0] = 0;
	size_t vb = pl;
	while (vb > 0 && path[vb - 1] != ':')
		vb--;
	const char *vn = path + vb, *en = NULL;
	size_t vl = pl - vb, el = 0;
	if (vb >= 2) {
		size_t ee = vb - 2, eb = ee;
		while (eb > 0 && path[eb - 1] != ':')
			eb--;
		if (ee > eb && is_upper(path[eb]) && !(ee - eb == 4 && !memcmp(path + eb, "Self", 4))) {
			en = path + eb;
			el = ee - eb;
		}
	}
	if (!vl || !is_upper(vn[0]))
		return;
	/* passes: 0 `struct V(` (no enum named), 1 `enum E {..}` / any enum */
	for (int pass = en ? 1 : 0; pass < 2; pass++) {
		const char *kw = pass ? "enum" : "struct";
		size_t kl = strlen(kw);
		for (size_t p = 0; p + kl + 2 < len; p++) {
			if (memcmp(src + p, kw, kl) || (p && idc(src[p - 1])) || !space(src[p + kl]))
				continue;
			size_t q = p + kl;
			while (q < len && space(src[q]))
				q++;
			size_t nb = q;
			while (q < len && idc(src[q]))
				q++;
			size_t nl = q - nb;
			if (!nl)
				continue;
			if (pass == 0 && (nl != vl || memcmp(src + nb, vn, vl)))
				continue;
			if (pass == 1 && en && (nl != el || memcmp(src + nb, en, el)))
				continue;
			/* generics `<T, 'a, U: Bound>`: their names */
			size_t gb = q, ge = q;
			if (q < len && src[q] == '<') {
				int d = 0;
				for (ge = q; ge < len; ge++) {
					d += src[ge] == '<';
					d -= src[ge] == '>';
					if (!d)
						break;
				}
				q = ge + 1;
			}
			while (q < len && space(src[q]))
				q++;
			size_t fo; /* the '(' of the fields */
			if (pass == 0) {
				if (q >= len || src[q] != '(')
					continue;
				fo = q;
			} else {
				while (q < len && src[q] != '{' && src[q] != ';')
					q++;
				if (q >= len || src[q] != '{')
					continue;
				int d = 0;
				fo = 0;
				for (size_t r = q; r < len && !fo; r++) {
					char c = src[r];
					if (c == '{' || c == '(' || c == '[')
						d++;
					else if (c == '}' || c == ')' || c == ']') {
						if (!--d)
							break;
					} else if (d == 1 && c == '/' && r + 1 < len && src[r + 1] == '/') {
						while (r < len && src[r] != '\n')
							r++;
					} else if (d == 1 && !memcmp(src + r, vn, vl) && r + vl < len &&
					           !idc(src[r - 1]) && !idc(src[r + vl])) {
						size_t s = r + vl;
						while (s < len && space(src[s]))
							s++;
						if (s < len && src[s] == '(')
							fo = s;
					}
				}
				if (!fo)
					continue;
			}
			/* field idx: split at commas of the parentheses' own level */
			size_t fb = fo + 1, f = fb;
			int d = 0, at = 0;
			for (; f < len; f++) {
				char c = src[f];
				if (c == '(' || c == '[' || c == '<')
					d++;
				else if (c == ')' || c == ']' || (c == '>' && src[f - 1] != '-')) {
					if (d-- == 0)
						break;
				} else if (c == ',' && !d) {
					if (at == idx)
						break;
					at++;
					fb = f + 1;
				}
			}
			if (at != idx || f >= len)
				return;
			while (fb < f && space(src[fb]))
				fb++;
			if (f - fb >= 3 && !memcmp(src + fb, "pub", 3) && !idc(src[fb + 3])) {
				fb += 3;
				if (fb < f && src[fb] == '(')
					while (fb < f && src[fb++] != ')')
						;
			}
			while (fb < f && space(src[fb]))
				fb++;
			size_t fe = f;
			while (fe > fb && space(src[fe - 1]))
				fe--;
			if (fe == fb)
				return;
			/* a type parameter of the declaration: known only where it is used */
			for (size_t r = gb; ge > gb && r < ge; r++)
				if ((r == gb || !idc(src[r - 1])) && r + (fe - fb) <= ge &&
				    !memcmp(src + r, src + fb, fe - fb) && !idc(src[r + (fe - fb)]) &&
				    src[r - 1] != '\'')
					return;
			type_name(out, cap, src + fb, fe - fb);
			rust_lib_shape(out, cap, src + fb, fe - fb);
			rust_qualified_field(out, cap, src, len, src + fb, fe - fb);
			return;
		}
		if (en)
			return;
	}
}

/* Rust (resolver 55, cg37): name bound by a tuple-struct or tuple-variant pattern nearest
 * before at in the method text m[0, at) (`Repr::Custom(Custom(ref a)) =>`, `if let
 * Kind::Io(err) = ..`, `let Wrapper(inner) = w;`): the declared type of the field it binds
 * (rust_tuple_field, the file's declaration), into out; "" when none shows. A pattern is a
 * path's parentheses followed by `=>`, `=`, `|` or `if`. */
static void rust_pat_binding(char *out, size_t cap, const char *src, size_t len, size_t mb,
                             size_t at, const char *name)
{
	const char *m = src + mb;
	size_t nl = strlen(name);
	out[0] = 0;
	if (at > len || mb > at || !nl)
		return;
	size_t n = at - mb;
	for (size_t p = n; p-- > 0;) {
		if (p + nl > n || memcmp(m + p, name, nl) || (p && (idc(m[p - 1]) || m[p - 1] == '.')) ||
		    (p + nl < n && idc(m[p + nl])))
			continue;
		size_t q = p + nl, b = p;
		int kw = 0; /* `ref`, `mut`, `ref mut`: a binding, whatever binds it */
		while (q < n && space(m[q]))
			q++;
		for (int w = 0; w < 2; w++) {
			while (b > 0 && space(m[b - 1]))
				b--;
			if (b >= 3 && (!memcmp(m + b - 3, "ref", 3) || !memcmp(m + b - 3, "mut", 3)) &&
			    (b == 3 || !idc(m[b - 4]))) {
				b -= 3;
				kw = 1;
			}
		}
		while (b > 0 && space(m[b - 1]))
			b--;
		/* a nearer binding of another shape (`Glob { ref err }`, `{ depth, .. }`): not
		 * known, and no farther pattern's */
		if (q < n && (kw || (b && m[b - 1] == '{') || m[q] == '}') && m[q] != ')' &&
		    !(m[q] == ',' && b && (m[b - 1] == '(' || m[b - 1] == ',')))
			return;
		if (q >= n || (m[q] != ')' && m[q] != ',') || !b ||
		    (m[b - 1] != '(' && m[b - 1] != ','))
			continue;
		/* the enclosing '(' and the field's position */
		int d = 0, idx = 0;
		size_t open = 0, j = p, ok = 0;
		while (j-- > 0) {
			char c = m[j];
			if (c == ')' || c == ']')
				d++;
			else if (c == '[' || c == '{' || c == ';')
				break;
			else if (c == '(') {
				if (!d) {
					open = j;
					ok = 1;
					break;
				}
				d--;
			} else if (c == ',' && !d)
				idx++;
		}
		if (!ok) {
			if (kw)
				return;
			continue;
		}
		size_t pe = open, pb = pe;
		while (pb > 0 && (idc(m[pb - 1]) || m[pb - 1] == ':'))
			pb--;
		size_t vb = pe;
		while (vb > pb && m[vb - 1] != ':')
			vb--;
		if (pe == pb || vb == pe || !is_upper(m[vb])) {
			if (kw)
				return; /* `(ref a, ref b)`: a tuple's */
			continue;
		}
		/* the pattern's end and what follows it */
		size_t c = open;
		d = 0;
		for (; c < n; c++) {
			d += m[c] == '(' || m[c] == '[';
			d -= m[c] == ')' || m[c] == ']';
			if (!d)
				break;
		}
		if (c >= n)
			continue;
		for (c++; c < n && (space(m[c]) || m[c] == ')'); c++)
			;
		int pat = c + 1 < n && m[c] == '=' && (m[c + 1] == '>' || m[c + 1] != '=');
		pat = pat || (c < n && m[c] == '|' && (c + 1 >= n || m[c + 1] != '|'));
		pat = pat || (c + 2 < n && !memcmp(m + c, "if", 2) && space(m[c + 2]));
		if (!pat)
			continue;
		rust_tuple_field(out, cap, src, len, m + pb, pe - pb, idx);
		return;
	}
}

/* The block opening at t[r] ('{'): the index of its closing brace (n when unclosed), and in
 * *tail where its last statement starts (after its last `;` of the block's own level). */
static size_t block_end(const char *t, size_t r, size_t n, size_t *tail)
{
	int d = 0;
	*tail = r + 1;
	for (; r < n; r++) {
		d += t[r] == '{' || t[r] == '(' || t[r] == '[';
		d -= t[r] == '}' || t[r] == ')' || t[r] == ']';
		if (d == 1 && t[r] == ';')
			*tail = r + 1;
		if (!d)
			break;
	}
	return r;
}

/* Rust (resolver 55, cg37): is the value t[0, n) (a `let`'s) an index by a range, `&s[..]`,
 * `&self.data[a..b]`, `v[1..]` - a slice of whatever is indexed, the language's - or an `if`
 * whose every branch's value is one? */
static int rust_range_index(const char *t, size_t n)
{
	while (n && (space(t[n - 1]) || t[n - 1] == ';'))
		n--;
	size_t i = 0;
	while (i < n && (space(t[i]) || t[i] == '&'))
		i++;
	if (i + 4 <= n && !memcmp(t + i, "mut", 3) && space(t[i + 3]))
		i += 4;
	if (i + 3 <= n && !memcmp(t + i, "if", 2) && space(t[i + 2])) {
		size_t r = i + 2;
		int branches = 0;
		for (;;) {
			int d = 0;
			while (r < n && !(t[r] == '{' && !d)) { /* the condition */
				d += t[r] == '(' || t[r] == '[';
				d -= t[r] == ')' || t[r] == ']';
				r++;
			}
			if (r >= n)
				return 0;
			size_t tail;
			r = block_end(t, r, n, &tail);
			if (r >= n || !rust_range_index(t + tail, r - tail))
				return 0;
			branches++;
			r++;
			while (r < n && space(t[r]))
				r++;
			if (r == n)
				return 0; /* an `if` without else has no value */
			if (r + 4 > n || memcmp(t + r, "else", 4) || idc(t[r + 4]))
				return 0;
			r += 4;
			while (r < n && space(t[r]))
				r++;
			if (r + 3 <= n && !memcmp(t + r, "if", 2) && space(t[r + 2])) {
				r += 2;
				continue;
			}
			if (r >= n || t[r] != '{')
				return 0;
			r = block_end(t, r, n, &tail);
			return r + 1 == n && rust_range_index(t + tail, r - tail) && branches;
		}
	}
	if (n <= i + 2 || t[n - 1] != ']')
		return 0;
	size_t o = n - 1;
	int d = 0, range = 0;
	for (;; o--) {
		if (t[o] == ']' || t[o] == ')')
			d++;
		else if (t[o] == '[' || t[o] == '(')
			d--;
		else if (d == 1 && t[o] == '.' && o + 1 < n && t[o + 1] == '.')
			range = 1;
		if (!d || o == i)
			break;
	}
	if (d || o == i || !range || t[o] != '[')
		return 0;
	if (!idc(t[o - 1]) && t[o - 1] != ')' && t[o - 1] != ']')
		return 0; /* `[a..b]` alone: an array */
	/* the base: a path, a field chain or a call, nothing at its own level around it */
	d = 0;
	for (size_t r = i; r < o; r++) {
		char c = t[r];
		if (c == '(' || c == '[')
			d++;
		else if (c == ')' || c == ']')
			d--;
		else if (!d && !idc(c) && c != '.' && c != ':')
			return 0;
	}
	return !d;
}

/* Rust: the value of the `let` node nd (`let x = VALUE;`, `let x: T = VALUE;` not: the
 * name must be followed by `=`): *v, *vn span it (to the node's end); 0 when the node does not
 * read so. */
static int rust_let_value(const char **v, size_t *vn, const cc_file_graph *g, const cc_node *nd,
                          const char *src, size_t len)
{
	const char *t, *name = cc_graph_str(g, nd->name);
	size_t n;
	node_span(&t, &n, nd, src, len);
	long at = word_at(t, n, name);
	if (at < 0)
		return 0;
	size_t i = (size_t)at + strlen(name);
	while (i < n && space(t[i]))
		i++;
	if (i + 1 >= n || t[i] != '=' || t[i + 1] == '=' || t[i + 1] == '>')
		return 0;
	*v = t + i + 1;
	*vn = n - i - 1;
	return 1;
}

/* Rust (resolver 55, cg37): `let x = &s[..];`, `let x = if .. { &d[..] } else { &d[..n] };`:
 * the value indexes by a range, a slice: "![]" (the language's, as a declared `&[u8]`/`&str`). */
static void rust_index_value(char *out, size_t cap, const cc_file_graph *g, const cc_node *nd,
                             const char *src, size_t len)
{
	const char *t;
	size_t n;
	out[0] = 0;
	if (cap >= 4 && rust_let_value(&t, &n, g, nd, src, len) && rust_range_index(t, n))
		snprintf(out, cap, "![]");
}

/* Rust (resolver 58, cg40): the value t[0, n) of a `let` that is the language's own sequence:
 * an array literal (`[1, 2]`, `[Val(0, 1), ..]`, `[0; n]`) or a `vec![..]` / `vec!(..)` macro,
 * "![]" (as a declared `[T; N]` or `&[T]`: `xs.iter()` reaches none of the repository's `iter`
 * methods by name; itertools' tests); or a chain ending in a method call whose turbofish names
 * the value's type and that takes no argument (`(0..n).collect::<Vec<_>>()`,
 * `s.parse::<u32>()`), that type as a declaration writes it. Nothing else. */
static void rust_seq_value(char *out, size_t cap, const char *t, size_t n)
{
	out[0] = 0;
	while (n && (space(t[n - 1]) || t[n - 1] == ';'))
		n--;
	size_t i = 0;
	while (i < n && space(t[i]))
		i++;
	if (i >= n || cap < 4)
		return;
	size_t open = i;
	if (i + 5 <= n && !memcmp(t + i, "vec!", 4) && (t[i + 4] == '[' || t[i + 4] == '('))
		open = i + 4;
	if (t[open] == '[' || (open > i && t[open] == '(')) {
		char c = t[open], e = c == '[' ? ']' : ')';
		int d = 0;
		size_t r = open;
		for (; r < n; r++) {
			if (t[r] == '"') { /* a string literal's brackets are no brackets */
				for (r++; r < n && t[r] != '"'; r++)
					r += t[r] == '\\';
				continue;
			}
			d += t[r] == c;
			d -= t[r] == e;
			if (!d)
				break;
		}
		if (r + 1 == n)
			snprintf(out, cap, "![]");
		return;
	}
	/* `.name::<T>()` at the end, at the value's own level */
	if (n < 8 || t[n - 1] != ')' || t[n - 2] != '(' || t[n - 3] != '>')
		return;
	size_t g = n - 3;
	int d = 0;
	for (;; g--) {
		d += t[g] == '>' && t[g - 1] != '-';
		d -= t[g] == '<';
		if (!d || g <= i + 3)
			break;
	}
	if (d || g < i + 3 || t[g - 1] != ':' || t[g - 2] != ':')
		return;
	size_t w = g - 2;
	while (w > i && idc(t[w - 1]))
		w--;
	if (w == g - 2 || w <= i || t[w - 1] != '.')
		return;
	type_name(out, cap, t + g + 1, n - 3 - g - 1);
	rust_lib_shape(out, cap, t + g + 1, n - 3 - g - 1);
}

/* Rust (resolver 58, cg40): `let x = <rust_seq_value>;` */
static void rust_let_seq(char *out, size_t cap, const cc_file_graph *g, const cc_node *nd,
                         const char *src, size_t len)
{
	const char *t;
	size_t n;
	out[0] = 0;
	if (rust_let_value(&t, &n, g, nd, src, len))
		rust_seq_value(out, cap, t, n);
}

/* Rust (resolver 64, cg43): `let map = &*HMAP;`, `= HMAP;`, `= HMAP.clone();` of an
 * upper-case static or const the file declares with a type, `static HMAP: LazyLock<HashMap<u32,
 * u32>> = ..` (indexmap's benches): that type, a lazy cell's (LazyLock, Lazy, OnceLock) value
 * type, as a declared type is written. */
static void rust_let_static(char *out, size_t cap, const cc_file_graph *g, const cc_node *nd,
                            const char *src, size_t len)
{
	const char *t;
	size_t n, i;
	out[0] = 0;
	if (!rust_let_value(&t, &n, g, nd, src, len))
		return;
	for (i = 0; i < n && (space(t[i]) || t[i] == '&' || t[i] == '*'); i++)
		;
	size_t b = i;
	while (i < n && ((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '_'))
		i++;
	if (i - b < 2 || i - b >= 100 || (t[b] < 'A' || t[b] > 'Z') || (i < n && idc(t[i])))
		return;
	char sn[112];
	memcpy(sn, t + b, i - b);
	sn[i - b] = 0;
	if (i + 8 <= n && !memcmp(t + i, ".clone()", 8))
		i += 8;
	while (i < n && space(t[i]))
		i++;
	if (i < n && t[i] != ';')
		return;
	/* the file's `static SN:` / `const SN:` */
	for (size_t p = 0; p + i - b + 8 < len; p++) {
		size_t q = p;
		if (!strncmp(src + p, "static ", 7))
			q = p + 7;
		else if (!strncmp(src + p, "const ", 6))
			q = p + 6;
		else
			continue;
		if (p && idc(src[p - 1]))
			continue;
		while (q < len && space(src[q]))
			q++;
		if (strncmp(src + q, sn, i - b) || idc(src[q + (i - b)]))
			continue;
		q += i - b;
		while (q < len && space(src[q]))
			q++;
		if (q >= len || src[q] != ':')
			return;
		q++;
		while (q < len && space(src[q]))
			q++;
		size_t e = q;
		int d = 0;
		while (e < len && (d || (src[e] != '=' && src[e] != ';'))) {
			d += src[e] == '<';
			d -= src[e] == '>';
			e++;
		}
		while (e > q && space(src[e - 1]))
			e--;
		for (size_t w = q; w < e && src[w] != '<'; w++)
			if (src[w] == ':' && w + 1 < e && src[w + 1] == ':')
				q = w + 2; /* `std::sync::LazyLock<..>`: its last segment on */
		static const char *const cells[] = {"LazyLock<", "Lazy<", "OnceLock<", "OnceCell<",
		                                    NULL};
		for (int c = 0; cells[c]; c++) {
			size_t cl = strlen(cells[c]);
			if (e - q > cl + 1 && !strncmp(src + q, cells[c], cl) && src[e - 1] == '>') {
				q += cl;
				e--;
				break;
			}
		}
		for (size_t w = q; w < e; w++)
			if (src[w] == '<')
				e = w; /* its generic arguments dropped */
		if (e > q && e - q < cap) {
			memcpy(out, src + q, e - q);
			out[e - q] = 0;
		}
		return;
	}
}

/* Rust (resolver 58, cg40): a name bound by a tuple pattern of a parameter, `(k, vals): &(usize,
 * &Vec<usize>)`: the element of the tuple type at the name's position, as a declared type is
 * written; t[0, n) is the parameter, name at t[at]. Leaves out alone when the shapes differ. */
static void rust_tuple_param(char *out, size_t cap, const char *t, size_t n, size_t at)
{
	size_t i = 0;
	while (i < n && space(t[i]))
		i++;
	if (i >= n || t[i] != '(' || out[0])
		return;
	/* the name's position among the pattern's top-level elements */
	int d = 0, idx = 0;
	size_t r = i;
	for (; r < n; r++) {
		d += t[r] == '(' || t[r] == '[' || t[r] == '<';
		d -= t[r] == ')' || t[r] == ']' || t[r] == '>';
		if (r == at && d != 1)
			return; /* nested deeper: not taken */
		if (d == 1 && t[r] == ',' && r < at)
			idx++;
		if (!d)
			break;
	}
	if (r >= n || at > r)
		return;
	for (r++; r < n && space(t[r]); r++)
		;
	if (r >= n || t[r] != ':')
		return;
	for (r++; r < n && (space(t[r]) || t[r] == '&'); r++)
		;
	if (r >= n || t[r] != '(')
		return;
	size_t b = r + 1;
	int k = 0;
	d = 0;
	for (r = b; r < n; r++) {
		int close = t[r] == ')' || t[r] == ']' || (t[r] == '>' && t[r - 1] != '-');
		if (!d && (t[r] == ',' || t[r] == ')')) {
			if (k == idx) {
				type_name(out, cap, t + b, r - b);
				rust_lib_shape(out, cap, t + b, r - b);
				return;
			}
			if (t[r] == ')')
				return;
			k++;
			b = r + 1;
			continue;
		}
		d += t[r] == '(' || t[r] == '[' || t[r] == '<';
		d -= close;
	}
}

/* Rust (resolver 58, cg40): `name` bound by a tuple pattern among the parameters of the
 * function whose text starts at t (`fn f(b: &mut B, (k, vals): &(usize, &Vec<usize>))`; the
 * analysis makes no parameter of such a name): its element type (rust_tuple_param). */
static void rust_pattern_param(char *out, size_t cap, const char *t, size_t n, const char *name)
{
	out[0] = 0;
	size_t h = 0, nl = strlen(name);
	int d = 0;
	/* the parameter list: the first '(' at depth 0 through its ')' */
	while (h < n && t[h] != '(' && t[h] != '{')
		h++;
	if (h >= n || t[h] != '(')
		return;
	size_t lp = h, pat = 0;
	for (; h < n; h++) {
		if (t[h] == '(') {
			if (++d == 2)
				pat = h;
		} else if (t[h] == ')') {
			if (--d == 0)
				break;
		} else if (d == 2 && h + nl < n && !memcmp(t + h, name, nl) && !idc(t[h + nl]) &&
		           !idc(t[h - 1]) && pat > lp) {
			/* the pattern starts a parameter: only spaces or `mut` after the ',' or '(' */
			size_t b = pat;
			while (b > lp && space(t[b - 1]))
				b--;
			if (b > lp + 1 && t[b - 1] != ',')
				return;
			rust_tuple_param(out, cap, t + pat, n - pat, h - pat);
			return;
		}
	}
}

/* Go: the text of the type variable `name` is declared with in m[0, at) when that is a slice,
 * array, variadic or map type: a parameter or `var` (`v []*T`, `v ...T`, `var v map[K]T`), or
 * a short declaration `v := []T{..}` / `v := make([]T, ..)`; the last such before at, into
 * t/tn; 0 when none shows. */
static int go_container_decl(const char **t, size_t *tn, const char *m, size_t at,
                             const char *name)
{
	size_t nl = strlen(name);
	int found = 0;
	for (size_t p = 0; p + nl < at; p++) {
		if (memcmp(m + p, name, nl) || (p && (idc(m[p - 1]) || m[p - 1] == '.')) ||
		    idc(m[p + nl]))
			continue;
		size_t q = p + nl;
		while (q < at && (m[q] == ' ' || m[q] == '\t'))
			q++;
		if (q + 2 < at && m[q] == ':' && m[q + 1] == '=') {
			q += 2;
			while (q < at && space(m[q]))
				q++;
			if (q + 5 < at && !memcmp(m + q, "make(", 5))
				q += 5;
		}
		if (!(q + 2 < at && (!memcmp(m + q, "[]", 2) || !memcmp(m + q, "...", 3) ||
		                     !memcmp(m + q, "map[", 4) || (m[q] == '[' && m[q + 1] >= '0' && m[q + 1] <= '9'))))
			continue;
		size_t e = q;
		int d = 0;
		for (; e < at; e++) {
			d += m[e] == '[' || m[e] == '(';
			d -= m[e] == ']' || m[e] == ')';
			if (d < 0 || (!d && (m[e] == ',' || m[e] == '=' || m[e] == '{' || m[e] == '\n')))
				break;
		}
		*t = m + q;
		*tn = e - q;
		found = 1;
	}
	return found;
}

/* Go: the type of `var name T` (no value: the analysis makes no assignment of it) nearest
 * before at in m[0, at), as go_written_type names it, into out; "" when none shows. */
static void go_var_decl(char *out, size_t cap, const cc_file_graph *g, const char *m, size_t at,
                        const char *name)
{
	size_t p, q = kw_name_before(m, at, "var", name, &p);
	out[0] = 0;
	if (!q || q >= at || !space(m[q]))
		return;
	while (q < at && (m[q] == ' ' || m[q] == '\t'))
		q++;
	size_t e = q;
	while (e < at && m[e] != '\n' && m[e] != ';' && m[e] != '=' && m[e] != '/')
		e++;
	if (e < at && m[e] == '=')
		return; /* a value: the analysis's assignment types it */
	go_written_type(out, cap, g, m + q, e - q);
}

/* Go: the body of struct type `ty` (tl bytes) declared in src (`type T struct { .. }`, the
 * text between the braces), into *b / *bn; 0 when the file declares none. */
static int go_struct_body(const char **b, size_t *bn, const char *src, size_t len, const char *ty,
                          size_t tl)
{
	for (size_t p = 0; p + 5 + tl < len; p++) {
		if (memcmp(src + p, "type", 4) || (p && idc(src[p - 1])) || !space(src[p + 4]))
			continue;
		size_t q = p + 4;
		while (q < len && space(src[q]))
			q++;
		if (q + tl >= len || memcmp(src + q, ty, tl) || idc(src[q + tl]))
			continue;
		q += tl;
		while (q < len && space(src[q]))
			q++;
		if (q + 6 >= len || memcmp(src + q, "struct", 6))
			continue;
		q += 6;
		while (q < len && space(src[q]))
			q++;
		if (q >= len || src[q] != '{')
			continue;
		size_t e = q + 1;
		for (int d = 1; e < len; e++) {
			d += src[e] == '{';
			d -= src[e] == '}';
			if (!d)
				break;
		}
		*b = src + q + 1;
		*bn = e - q - 1;
		return 1;
	}
	return 0;
}

/* Go: the type name variable `name` is declared with in m[0, at) (a method's receiver `(c
 * *Command)` or a parameter `c *Command`), into out; "" when none shows. */
static void go_param_type(char *out, size_t cap, const char *m, size_t at, const char *name)
{
	size_t nl = strlen(name);
	out[0] = 0;
	for (size_t p = 0; p + nl < at; p++) {
		if (memcmp(m + p, name, nl) || (p && idc(m[p - 1])) || idc(m[p + nl]) ||
		    !(p && (m[p - 1] == '(' || m[p - 1] == ',' || space(m[p - 1]))))
			continue;
		size_t q = p + nl;
		if (q >= at || !space(m[q]))
			continue;
		while (q < at && space(m[q]))
			q++;
		if (q < at && m[q] == '*')
			q++;
		size_t w = q;
		while (q < at && idc(m[q]))
			q++;
		if (q == w || q >= at || (m[q] != ')' && m[q] != ',') || !is_upper(m[w]) ||
		    q - w >= cap)
			continue;
		memcpy(out, m + w, q - w);
		out[q - w] = 0;
		return; /* the first: the receiver or parameter list comes first */
	}
}

/* Go: the element type of loop variable `name` bound by the nearest `for k, name := range v
 * {` in m[0, at) (the value of the two-name form), v a variable of m declared with a slice,
 * array, variadic or map type (go_container_decl), or `range c.f` of a field f the file's
 * struct of c's declared type declares so: the element type as go_written_type names it ("T",
 * "!T" for a standard library's), into out; "" when not shown. */
static void go_for_elem(char *out, size_t cap, const cc_file_graph *g, const char *m, size_t at,
                        const char *name, const char *src, size_t len)
{
	size_t nl = strlen(name);
	out[0] = 0;
	for (size_t p = at; p-- > 0;) {
		if (p + 6 > at || memcmp(m + p, "range", 5) || (p && idc(m[p - 1])) ||
		    !space(m[p + 5]))
			continue;
		/* backwards: `, name :=` */
		size_t b = p;
		while (b > 0 && space(m[b - 1]))
			b--;
		if (b < 2 || m[b - 1] != '=' || m[b - 2] != ':')
			continue;
		b -= 2;
		while (b > 0 && space(m[b - 1]))
			b--;
		if (b < nl || memcmp(m + b - nl, name, nl) || (b > nl && idc(m[b - nl - 1])))
			continue; /* the nearest range binds another name */
		b -= nl;
		while (b > 0 && space(m[b - 1]))
			b--;
		if (!b || m[b - 1] != ',')
			return; /* `for name := range v`: a key or an index */
		/* forwards: `v {` */
		size_t q = p + 5;
		while (q < at && space(m[q]))
			q++;
		size_t v = q;
		{ /* `range x.f(..) {`: an element of that call's value ("^N[": its declared result's
		   * element, rev.c chain_type) */
			size_t z = q;
			int d = 0;
			for (; z < at && (d || m[z] != '{'); z++) {
				d += m[z] == '(' || m[z] == '[';
				d -= m[z] == ')' || m[z] == ']';
			}
			size_t ze = z;
			while (ze > q && space(m[ze - 1]))
				ze--;
			if (z < at && ze > q && m[ze - 1] == ')') {
				size_t a0 = (size_t)(m + q - src), a1 = (size_t)(m + ze - src);
				for (uint32_t k = 0; k < g->n_nodes; k++)
					if (g->nodes[k].kind == CC_NODE_CALL && g->nodes[k].start_byte == a0 &&
					    g->nodes[k].end_byte == a1) {
						snprintf(out, cap, "^%u[", k);
						return;
					}
				return;
			}
		}
		while (q < at && idc(m[q]))
			q++;
		if (q == v || q - v >= 64)
			return;
		char var[64], fld[64];
		memcpy(var, m + v, q - v);
		var[q - v] = 0;
		fld[0] = 0;
		if (q < at && m[q] == '.') { /* `range c.commands`: a field of c's struct */
			size_t f = ++q;
			while (q < at && idc(m[q]))
				q++;
			if (q == f || q - f >= sizeof(fld))
				return;
			memcpy(fld, m + f, q - f);
			fld[q - f] = 0;
		}
		while (q < at && space(m[q]))
			q++;
		if (q >= at || m[q] != '{')
			return; /* a call, an expression */
		const char *t = NULL;
		size_t tn = 0;
		if (fld[0]) {
			char ty[64];
			const char *body;
			size_t bn;
			go_param_type(ty, sizeof(ty), m, p, var);
			if (!ty[0] || !go_struct_body(&body, &bn, src, len, ty, strlen(ty)) ||
			    !go_container_decl(&t, &tn, body, bn, fld))
				return;
		} else if (!go_container_decl(&t, &tn, m, p, var)) {
			return;
		}
		size_t i = 0;
		if (tn >= 4 && !memcmp(t, "map[", 4)) {
			int d = 0;
			for (i = 3; i < tn; i++) {
				d += t[i] == '[';
				d -= t[i] == ']';
				if (!d)
					break;
			}
			i++;
		} else if (tn >= 3 && !memcmp(t, "...", 3)) {
			i = 3;
		} else {
			while (i < tn && t[i] != ']')
				i++;
			i++;
		}
		if (i < tn)
			go_written_type(out, cap, g, t + i, tn - i);
		return;
	}
}

/* Outermost blocks that are no scope (see c_scan), as [start, end) pairs. */
typedef struct {
	size_t *v; /* 2 * n offsets */
	size_t n, cap;
	int oom;
} span_list;
static void c_scan(const char *src, size_t len, char *aliases, size_t acap, span_list *spans);

/* C++ (cg27): the names of `template <..>` parameter lists and where each is in scope,
 * [begin, end): from the `template` keyword to the end of the declaration it heads (a class's
 * `};`, a function's body, a declaration's `;`). */
typedef struct {
	size_t name, nlen, begin, end;
} tparam_ent;
typedef struct {
	tparam_ent *v;
	size_t n, cap;
	int oom;
} tparam_list;
static void cpp_tparams(const char *src, size_t len, tparam_list *out);
static int cpp_tparam_at(const char *src, const tparam_list *tp, const char *name, size_t at);

/* TS parameter lists. The top-level parts of the bracketed list starting at t[i] == '(' (split
 * at its commas, brackets and `<..>` nested, strings skipped) into parts (at most max, [start,
 * end) pairs, blank parts dropped); *close is the index of its ')' (n when the list does not
 * end within t[0, n)). Returns the number of parts. */
static size_t ts_list_parts(size_t (*parts)[2], size_t max, const char *t, size_t i, size_t n,
                            size_t *close)
{
	size_t np = 0, s = i + 1;
	int d = 0;
	*close = n;
	for (size_t e = i; e < n; e++) {
		char c = t[e];
		if (c == '"' || c == '\'' || c == '`') {
			for (e++; e < n && t[e] != c; e++)
				if (t[e] == '\\')
					e++;
			continue;
		}
		int end = 0;
		if (c == '(' || c == '[' || c == '{' || c == '<')
			d++;
		else if (c == ')' || c == ']' || c == '}' || (c == '>' && e && t[e - 1] != '='))
			end = --d == 0;
		if (d < 0)
			return 0;
		if (!end && !(c == ',' && d == 1))
			continue;
		size_t a = s, b = e;
		while (a < b && space(t[a]))
			a++;
		while (b > a && space(t[b - 1]))
			b--;
		if (b > a && np < max) {
			parts[np][0] = a;
			parts[np++][1] = b;
		}
		s = e + 1;
		if (end) {
			if (c != ')')
				return 0;
			*close = e;
			return np;
		}
	}
	return 0;
}

/* The index of the first ':' at bracket depth 0 in t[a, b), or b. */
static size_t ts_colon(const char *t, size_t a, size_t b)
{
	int d = 0;
	for (size_t e = a; e < b; e++) {
		char c = t[e];
		d += c == '(' || c == '[' || c == '{' || c == '<';
		d -= c == ')' || c == ']' || c == '}' || (c == '>' && e && t[e - 1] != '=');
		if (!d && c == ':')
			return e;
		if (!d && c == '=')
			return b; /* a default value before any type */
	}
	return b;
}

/* The end of a parameter's type text starting at t[a] (before a top-level '=' that is no
 * "=>", or b); *alt set when the type is a union or intersection at the top level. */
static size_t ts_type_end(const char *t, size_t a, size_t b, int *alt)
{
	int d = 0;
	*alt = 0;
	for (size_t e = a; e < b; e++) {
		char c = t[e];
		d += c == '(' || c == '[' || c == '{' || c == '<';
		d -= c == ')' || c == ']' || c == '}' || (c == '>' && e && t[e - 1] != '=');
		if (!d && c == '=' && (e + 1 >= b || t[e + 1] != '>'))
			return e;
		if (!d && (c == '|' || c == '&') && e > a)
			*alt = 1;
	}
	return b;
}

void cc_method_callbacks(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                         const char *src, size_t len)
{
	if (!cap)
		return;
	out[0] = 0;
	if (!src || node >= g->n_nodes || cap < 8 ||
	    (g->lang != CC_LANG_TYPESCRIPT && g->lang != CC_LANG_TSX))
		return;
	const cc_node *nd = &g->nodes[node];
	if (nd->kind != CC_NODE_METHOD || nd->end_byte > len || nd->start_byte >= nd->end_byte)
		return;
	const char *t = src + nd->start_byte;
	size_t n = nd->end_byte - nd->start_byte, i = 0;
	if (n > 8192)
		n = 8192; /* the parameter list is near the start */
	/* the parameter list: the first '(' before any body or arrow (generics skipped) */
	for (int d = 0; i < n && i < 512; i++) {
		if (t[i] == '<')
			d++;
		else if (t[i] == '>' && d)
			d--;
		else if (!d && (t[i] == '(' || t[i] == '{' || t[i] == '='))
			break;
	}
	if (i >= n || t[i] != '(')
		return;
	size_t ps[32][2], close, np = ts_list_parts(ps, 32, t, i, n, &close);
	size_t o = 0;
	for (size_t k = 0; k < np; k++) {
		size_t c = ts_colon(t, ps[k][0], ps[k][1]);
		if (c >= ps[k][1])
			continue;
		size_t a = c + 1;
		while (a < ps[k][1] && space(t[a]))
			a++;
		if (a < ps[k][1] && t[a] != '(') {
			/* named types, `handler: EventHandler | H3` (ts20): "k.*:EventHandler|H3"; the
			 * store reads their call signatures (an interface's `(event: E): R`) */
			int alt;
			size_t te = ts_type_end(t, a, ps[k][1], &alt), u = a, el = 0;
			char ty[128], ent[300];
			int ok = 1, cnt = 0;
			el = (size_t)snprintf(ent, sizeof(ent), "%zu.*:", k);
			while (ok && u < te) {
				size_t v = u;
				int d = 0;
				for (; v < te; v++) {
					d += t[v] == '<' || t[v] == '(' || t[v] == '[' || t[v] == '{';
					d -= (t[v] == '>' && t[v - 1] != '=') || t[v] == ')' || t[v] == ']' ||
					     t[v] == '}';
					if (!d && t[v] == '|')
						break;
				}
				type_name(ty, sizeof(ty), t + u, v - u);
				size_t tl = strlen(ty);
				ok = tl && is_upper(ty[0]) && cnt < 4 && el + tl + 2 < sizeof(ent);
				if (ok) {
					if (cnt)
						ent[el++] = '|';
					memcpy(ent + el, ty, tl + 1);
					el += tl;
				}
				cnt++;
				u = v + 1;
			}
			if (ok && cnt && o + (o ? 1 : 0) + el + 1 <= cap) {
				if (o)
					out[o++] = ',';
				memcpy(out + o, ent, el + 1);
				o += el;
			}
			continue;
		}
		if (a >= ps[k][1] || t[a] != '(')
			continue;
		/* `(a: T0, b: T1) => R` */
		size_t qs[16][2], qc, nq = ts_list_parts(qs, 16, t, a, ps[k][1], &qc);
		size_t e = qc + 1;
		while (e < ps[k][1] && space(t[e]))
			e++;
		if (qc >= ps[k][1] || e + 1 >= ps[k][1] || t[e] != '=' || t[e + 1] != '>')
			continue;
		for (size_t j = 0; j < nq; j++) {
			size_t qa = qs[j][0], qb = qs[j][1], col = ts_colon(t, qa, qb);
			int alt;
			if (t[qa] == '.' || col >= qb)
				continue; /* a rest parameter, no type */
			size_t te = ts_type_end(t, col + 1, qb, &alt);
			char ty[128];
			type_name(ty, sizeof(ty), t + col + 1, te - col - 1);
			if (alt || !ty[0])
				continue;
			int w = snprintf(out + o, cap - o, "%s%zu.%zu:%s", o ? "," : "", k, j, ty);
			if (w < 0 || (size_t)w >= cap - o) {
				out[o] = 0;
				return;
			}
			o += (size_t)w;
		}
	}
}

/* TS: the type an untyped parameter p of a function expression gets from the call it is
 * passed to (`describeMatrix("..", (t) => ..)`): "^C#k.j" into out, C the call's node index,
 * k the argument's position, j the parameter's; the store reads the j-th parameter type of
 * the function type the resolved callee declares for its k-th parameter (cc_method_callbacks).
 * The call is the function's nearest enclosing call node (a few AST parents up), the function
 * must be one of its arguments (the '(' opening them found by a bounded scan back from the
 * function, the callee's name just before it). out unchanged when not so. */
static void callback_param(char *out, size_t cap, const cc_file_graph *g, const cc_node *p,
                           const char *src, size_t len)
{
	if (p->method < 0 || (uint32_t)p->method >= g->n_nodes)
		return;
	const cc_node *f = &g->nodes[p->method];
	int32_t c = f->parent;
	for (int hop = 0; c >= 0 && hop < 6 && g->nodes[c].kind != CC_NODE_CALL; hop++) {
		uint8_t kk = g->nodes[c].kind;
		if (kk == CC_NODE_METHOD || kk == CC_NODE_TYPE_DECL)
			return;
		c = g->nodes[c].parent;
	}
	if (c < 0 || g->nodes[c].kind != CC_NODE_CALL)
		return;
	const cc_node *cn = &g->nodes[c];
	if (f->end_byte > len || p->start_byte < f->start_byte || p->start_byte > f->end_byte ||
	    cn->start_byte >= f->start_byte || cn->end_byte < f->end_byte)
		return;
	/* k: commas at depth 0 back to the '(' that opens the arguments */
	size_t lo = cn->start_byte, i = f->start_byte, k = 0;
	if (i - lo > 4096)
		lo = i - 4096;
	int d = 0;
	while (i > lo) {
		char ch = src[--i];
		if (ch == '"' || ch == '\'' || ch == '`') {
			while (i > lo && (src[i - 1] != ch || (i > lo + 1 && src[i - 2] == '\\')))
				i--;
			if (i == lo)
				return;
			i--;
			continue;
		}
		if (ch == ')' || ch == ']' || ch == '}')
			d++;
		else if (ch == '(' || ch == '[' || ch == '{') {
			if (!d) {
				if (ch != '(')
					return; /* inside an array or object literal argument */
				break;
			}
			d--;
		} else if (ch == ',' && !d) {
			k++;
		}
	}
	if (i <= lo || src[i] != '(')
		return;
	size_t e = i;
	while (e > cn->start_byte && space(src[e - 1]))
		e--;
	const char *name = cc_graph_str(g, cn->name);
	size_t nl = strlen(name);
	if (!nl || e < cn->start_byte + nl || memcmp(src + e - nl, name, nl))
		return;
	/* j: the parameter's position in the function's own list (`t =>`: 0) */
	size_t j = 0, a = f->start_byte;
	while (a < p->start_byte && src[a] != '(')
		a++;
	if (p->start_byte - a > 1024)
		return;
	for (d = 0; a < p->start_byte; a++) {
		char ch = src[a];
		d += ch == '(' || ch == '[' || ch == '{' || ch == '<';
		d -= ch == ')' || ch == ']' || ch == '}' || (ch == '>' && src[a - 1] != '=');
		if (ch == ',' && d == 1)
			j++;
		if (d <= 0 && a > f->start_byte && ch != '(')
			return; /* past the list */
	}
	snprintf(out, cap, "^%d#%zu.%zu", (int)c, k, j);
}

/* A call whose callee is the local function at node fn (CC_CALL_LOCAL_FN, rtype "@fn");
 * -1 when out of memory. */
static int local_fn(cc_call_info *c, int32_t fn)
{
	char at[16];
	snprintf(at, sizeof(at), "@%d", (int)fn);
	c->flags |= CC_CALL_LOCAL_FN;
	return (c->rtype = strdup(at)) ? 0 : -1;
}

/* Rust (cg29): the inline modules of a file, `mod convert { .. }`: the name's bytes, the body's
 * braces, the innermost enclosing inline module (-1: the file's own scope). */
typedef struct {
	size_t name, nlen, open, close;
	int parent;
} rust_mod;
#define RUST_MODS 64

/* The inline modules of Rust source src[0, len) into m (RUST_MODS at most); returns how many.
 * Comments, strings, raw strings and character literals are skipped (a lifetime `'a` is no
 * literal); a module whose closing brace is not found ends at len. */
static int rust_mods(rust_mod *m, const char *src, size_t len)
{
	int n = 0, open_mod[RUST_MODS], no = 0;
	size_t depth = 0, mdepth[RUST_MODS];
	for (size_t i = 0; i < len; i++) {
		char c = src[i];
		if (c == '/' && i + 1 < len && src[i + 1] == '/') {
			while (i < len && src[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < len && src[i + 1] == '*') {
			int d = 1;
			for (i += 2; i + 1 < len && d; i++) {
				if (src[i] == '/' && src[i + 1] == '*')
					d++, i++;
				else if (src[i] == '*' && src[i + 1] == '/')
					d--, i++;
			}
			i--;
		} else if (c == 'r' && i + 1 < len && (src[i + 1] == '#' || src[i + 1] == '"') &&
		           (!i || !idc(src[i - 1]) || (src[i - 1] == 'b' && (i < 2 || !idc(src[i - 2]))))) {
			size_t h = 0, j = i + 1;
			while (j < len && src[j] == '#')
				h++, j++;
			if (j >= len || src[j] != '"')
				continue;
			for (j++; j < len; j++) {
				size_t e = 0;
				if (src[j] != '"')
					continue;
				while (e < h && j + 1 + e < len && src[j + 1 + e] == '#')
					e++;
				if (e == h)
					break;
			}
			i = j + h;
		} else if (c == '"') {
			for (i++; i < len && src[i] != '"'; i++)
				if (src[i] == '\\')
					i++;
		} else if (c == '\'') {
			/* 'x', '\n', '\u{..}', a multi-byte 'é': a literal; 'a (a lifetime): not */
			size_t j = i + 1;
			if (j < len && src[j] == '\\') {
				for (j += 2; j < len && j < i + 12 && src[j] != '\''; j++)
					;
				i = j;
			} else {
				size_t e = j;
				if (e < len && (unsigned char)src[e] >= 0x80)
					while (e + 1 < len && ((unsigned char)src[e + 1] & 0xC0) == 0x80)
						e++;
				if (e + 1 < len && src[e + 1] == '\'')
					i = e + 1;
			}
		} else if (c == '{') {
			depth++;
		} else if (c == '}') {
			if (no && mdepth[no - 1] == depth)
				m[open_mod[--no]].close = i;
			if (depth)
				depth--;
		} else if (c == 'm' && i + 4 < len && !memcmp(src + i, "mod", 3) &&
		           (!i || !idc(src[i - 1])) && (src[i + 3] == ' ' || src[i + 3] == '\t')) {
			size_t j = i + 3, nm, e;
			while (j < len && (src[j] == ' ' || src[j] == '\t'))
				j++;
			nm = j;
			while (j < len && idc(src[j]))
				j++;
			e = j;
			while (j < len && space(src[j]))
				j++;
			if (e == nm || j >= len || src[j] != '{' || n >= RUST_MODS || no >= RUST_MODS)
				continue;
			m[n] = (rust_mod){nm, e - nm, j, len, no ? open_mod[no - 1] : -1};
			depth++;
			mdepth[no] = depth;
			open_mod[no++] = n++;
			i = j;
		}
	}
	return n;
}

/* The innermost of the n inline modules m holding byte pos; -1 when none. */
static int rust_mod_at(const rust_mod *m, int n, size_t pos)
{
	int best = -1;
	for (int i = 0; i < n; i++)
		if (m[i].open < pos && pos < m[i].close && (best < 0 || m[i].open > m[best].open))
			best = i;
	return best;
}

/* Rust (cg29): `convert::f()` of an inline `mod convert` of the file, `super::f()` from inside
 * one, `self::m::f()`: the file's free function the path names, by its node index; -1 when the
 * path leaves the file (a module of another file, a crate) or no single function fits. */
static int32_t rust_inline_fn(const cc_file_graph *g, const char *src, const rust_mod *m, int n,
                              const cc_node *nd, const char *recv)
{
	int scope = rust_mod_at(m, n, nd->start_byte), inl = 0;
	for (const char *p = recv; *p;) {
		size_t l = 0;
		while (idc(p[l]))
			l++;
		if (!l)
			return -1;
		if (l == 4 && !memcmp(p, "self", 4) && p == recv) {
			;
		} else if (l == 5 && !memcmp(p, "super", 5)) {
			if (scope < 0)
				return -1; /* the parent of the file's module: another file */
			scope = m[scope].parent;
			inl = 1;
		} else {
			int c = -1;
			for (int i = 0; i < n && c < 0; i++)
				if (m[i].parent == scope && m[i].nlen == l && !memcmp(src + m[i].name, p, l))
					c = i;
			if (c < 0)
				return -1;
			scope = c;
			inl = 1;
		}
		p += l;
		if (*p && strncmp(p, "::", 2))
			return -1;
		if (*p)
			p += 2;
	}
	if (!inl)
		return -1;
	int32_t fn = -1;
	for (uint32_t q = 0; q < g->n_nodes; q++) {
		const cc_node *d = &g->nodes[q];
		if (d->kind != CC_NODE_METHOD || d->name != nd->name || d->method >= 0 ||
		    strchr(cc_graph_str(g, d->qual), ':') || rust_mod_at(m, n, d->start_byte) != scope)
			continue;
		if (fn >= 0)
			return -1; /* two (cfg'd variants): not one */
		fn = (int32_t)q;
	}
	return fn;
}

/* Python: typing's special forms, which name no class whose methods a value has (`o: Any`,
 * `x: Optional[Foo]`) */
static int py_typing_form(const char *t)
{
	static const char *const forms[] = {"Any", "Optional", "Union", "Callable", "Type",
	                                    "ClassVar", "Final", "Annotated", "Literal",
	                                    "TypeVar", "Self", "TypeAlias", NULL};
	for (int f = 0; forms[f]; f++)
		if (!strcmp(t, forms[f]))
			return 1;
	return 0;
}

/* Python: a class's name by convention: capitalized after any leading underscores
 * (`_AppCtxGlobals`) */
static int py_class_name(const char *t)
{
	while (*t == '_')
		t++;
	return is_upper(*t);
}

/* Python: is assignment nd's value a constructor named through a module, `X = mod.T(..)`
 * (T's module is what mod binds: a library's or the revision's, the store decides by the
 * import, value_call's "~mod") rather than `X = T(..)`? */
static int py_qualified_ctor(const cc_node *nd, const char *src, size_t len)
{
	const char *v;
	size_t vn;
	if (nd->end_byte > len ||
	    !py_assigned_value(&v, &vn, src + nd->start_byte, nd->end_byte - nd->start_byte))
		return 0;
	size_t i = 0;
	while (i < vn && space(v[i]))
		i++;
	int dot = 0;
	while (i < vn && (idc(v[i]) || v[i] == '.'))
		dot |= v[i++] == '.';
	return dot && i < vn && v[i] == '(';
}

/* Python: is node nd inside a class body (a class attribute, not a module variable)? */
static int py_in_class(const cc_file_graph *g, const cc_node *nd)
{
	for (int32_t p = nd->parent, hops = 0; p >= 0 && (uint32_t)p < g->n_nodes && hops < 256;
	     p = g->nodes[p].parent, hops++)
		if (g->nodes[p].kind == CC_NODE_TYPE_DECL)
			return 1;
	return 0;
}

/* Python (cg25): is function node `node` a pytest fixture - decorated `@pytest.fixture`,
 * `@pytest.fixture(..)` or `@fixture` on the lines just above its `def` (or inside the node,
 * when it spans its decorators)? */
int cc_def_fixture(const cc_file_graph *g, uint32_t node, const char *src, size_t len)
{
	if (!src || node >= g->n_nodes || g->lang != CC_LANG_PYTHON)
		return 0;
	const cc_node *nd = &g->nodes[node];
	if (nd->kind != CC_NODE_METHOD || nd->end_byte > len || !nd->name)
		return 0;
	const char *t;
	size_t n;
	long at = def_head(g, nd, src, &t, &n);
	if (at < 0)
		return 0;
	size_t e = nd->start_byte + (size_t)at; /* the name */
	size_t ls = nd->start_byte;             /* the line the node starts on */
	while (ls > 0 && src[ls - 1] != '\n')
		ls--;
	/* up to 8 lines above: decorators and their arguments, stopping at a blank line or a
	 * statement that ends a block */
	for (int k = 0; k < 8 && ls > 0; k++) {
		size_t pe = ls - 1, ps = pe;
		while (ps > 0 && src[ps - 1] != '\n')
			ps--;
		size_t a = ps;
		while (a < pe && (src[a] == ' ' || src[a] == '\t'))
			a++;
		if (a == pe || src[pe - 1] == ':' || !strncmp(src + a, "def ", 4) ||
		    !strncmp(src + a, "class ", 6) || !strncmp(src + a, "return", 6) ||
		    src[a] == '#')
			break;
		ls = ps;
	}
	for (size_t i = ls; i < e; i++) {
		if (src[i] != '@' || (i > ls && src[i - 1] != ' ' && src[i - 1] != '\t' &&
		                      src[i - 1] != '\n'))
			continue;
		const char *d = src + i + 1;
		size_t dl = e - i - 1;
		if ((dl >= 14 && !strncmp(d, "pytest.fixture", 14) && !idc(d[14])) ||
		    (dl >= 7 && !strncmp(d, "fixture", 7) && !idc(d[7])))
			return 1;
	}
	return 0;
}

/* Python (cg25): the class a fixture function's value shows when it has no return
 * annotation - every `return`/`yield` of its body `T(..)` or a local assigned `T(..)` (or
 * declared `v: T`), T a class's name the file imports or defines - into out, else "".
 * Resolver 38: any other function's the same way from its `return`s, "" when it yields (a
 * generator). */
void cc_py_fixture_value(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                         const char *src, size_t len)
{
	out[0] = 0;
	if (!src || node >= g->n_nodes || g->lang != CC_LANG_PYTHON || cap < 2 ||
	    g->nodes[node].kind != CC_NODE_METHOD)
		return;
	int fixture = cc_def_fixture(g, node, src, len);
	const cc_node *nd = &g->nodes[node];
	char t[128] = "";
	int seen_ret = 0;
	for (size_t i = nd->start_byte; i < nd->end_byte && i < len; i++) {
		if (i > 0 && src[i - 1] != '\n')
			continue;
		size_t a = i;
		while (a < nd->end_byte && (src[a] == ' ' || src[a] == '\t'))
			a++;
		size_t kw = !strncmp(src + a, "return ", 7) ? 7 : !strncmp(src + a, "yield ", 6) ? 6
		                                                                                 : 0;
		if (!fixture && (kw == 6 || !strncmp(src + a, "yield\n", 6)))
			return; /* a generator's value is no T */
		if (!kw)
			continue;
		a += kw;
		while (a < nd->end_byte && src[a] == ' ')
			a++;
		size_t w = a;
		while (w < nd->end_byte && idc(src[w]))
			w++;
		char cur[128] = "";
		if (w == a || w - a >= sizeof(cur))
			return;
		size_t z = w;
		while (z < nd->end_byte && (src[z] == ' ' || src[z] == '\t' || src[z] == '\r'))
			z++;
		char word[128];
		memcpy(word, src + a, w - a);
		word[w - a] = 0;
		if (z < nd->end_byte && src[z] == '(') {
			snprintf(cur, sizeof(cur), "%s", word); /* return T(..) */
		} else if (z >= nd->end_byte || src[z] == '\n' || src[z] == '#') {
			/* return v: v's assignments in the fixture, all alike */
			for (uint32_t k = node + 1; k < g->n_nodes && g->nodes[k].start_byte < nd->end_byte;
			     k++) {
				const cc_node *an = &g->nodes[k];
				if (an->kind != CC_NODE_ASSIGNMENT || an->method != (int32_t)node ||
				    !an->name || strcmp(cc_graph_str(g, an->name), word))
					continue;
				char b[128];
				decl_type(b, sizeof(b), g, an, src, len);
				if (!b[0]) {
					value_type(b, sizeof(b), g, k, src, len);
					if (py_qualified_ctor(an, src, len))
						b[0] = 0;
				}
				if (!b[0] || (cur[0] && strcmp(cur, b)))
					return;
				snprintf(cur, sizeof(cur), "%s", b);
			}
		}
		if (!cur[0] || !plain_ident(cur) || !py_class_name(cur) || py_typing_form(cur) ||
		    (t[0] && strcmp(t, cur)))
			return;
		snprintf(t, sizeof(t), "%s", cur);
		seen_ret = 1;
	}
	if (!seen_ret)
		return;
	int seen = 0;
	for (uint32_t q = 0; q < g->n_nodes && !seen; q++) {
		const cc_node *qn = &g->nodes[q];
		seen = qn->name && !strcmp(cc_graph_str(g, qn->name), t) &&
		       (qn->kind == CC_NODE_IMPORT || qn->kind == CC_NODE_TYPE_DECL);
	}
	if (seen)
		snprintf(out, cap, "%s", t);
}

/* Python (cg25): does function node fn take pytest fixtures by its parameters' names (a test
 * function `test*`, or a fixture itself)? */
static int py_fixture_user(const cc_file_graph *g, int32_t fn, const char *src, size_t len)
{
	if (fn < 0 || (uint32_t)fn >= g->n_nodes || g->nodes[fn].kind != CC_NODE_METHOD ||
	    !g->nodes[fn].name)
		return 0;
	return !strncmp(cc_graph_str(g, g->nodes[fn].name), "test", 4) ||
	       cc_def_fixture(g, (uint32_t)fn, src, len);
}

/* qsort_r: names offsets of graph ctx by their text */
static int name_text_cmp(const void *a, const void *b, void *ctx)
{
	const cc_file_graph *g = ctx;
	return strcmp(cc_graph_str(g, *(const uint32_t *)a), cc_graph_str(g, *(const uint32_t *)b));
}

/* The variables' names of v sorted by their text, made in *by_text when first needed (nv > 0);
 * CC_ENOMEM. */
static int vars_by_text(uint32_t **by_text, const var_def *v, size_t nv, const cc_file_graph *g)
{
	if (*by_text || !nv)
		return CC_OK;
	if (!(*by_text = malloc(nv * sizeof(**by_text))))
		return cc_error_set(CC_ENOMEM, "out of memory");
	for (size_t i = 0; i < nv; i++)
		(*by_text)[i] = v[i].name;
	qsort_r(*by_text, nv, sizeof(**by_text), name_text_cmp, (void *)g);
	return CC_OK;
}

/* The interned name offset of a variable named name (by_text from vars_by_text), or 0. */
static uint32_t var_named(const cc_file_graph *g, const uint32_t *by_text, size_t nv,
                          const char *name)
{
	for (size_t lo = 0, hi = by_text ? nv : 0; lo < hi;) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(cc_graph_str(g, by_text[mid]), name);
		if (!c)
			return by_text[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Go: the position of parameter node pn among function m's parameters, the method receiver
 * (`func (c *T) f(..)`, the first parameter node) not counted; -1 for the receiver. */
static int32_t go_param_pos(const cc_file_graph *g, const char *src, size_t len, int32_t m,
                            uint32_t pn)
{
	int32_t pos = 0;
	for (uint32_t q = (uint32_t)m + 1; q < pn && q < g->n_nodes; q++)
		pos += g->nodes[q].kind == CC_NODE_PARAM && g->nodes[q].method == m;
	size_t b = g->nodes[m].start_byte;
	if (b + 4 < len && !memcmp(src + b, "func", 4)) {
		b += 4;
		while (b < len && space(src[b]))
			b++;
		if (b < len && src[b] == '(')
			pos--; /* a method: its receiver comes first */
	}
	return pos;
}

/* Go: call node k's arguments that are variables whose type shows (v, sorted by var_cmp;
 * by_text the variables' names sorted by text), as "i=T,j=T" into a malloc'd *out (NULL when
 * none); CC_ENOMEM. */
static int go_call_args(char **out, const cc_file_graph *g, const char *src, size_t len,
                        uint32_t k, const var_def *v, size_t nv, const uint32_t *by_text)
{
	const cc_node *nd = &g->nodes[k];
	*out = NULL;
	size_t e = nd->end_byte <= len ? nd->end_byte : len;
	if (e <= nd->start_byte || src[e - 1] != ')')
		return CC_OK;
	size_t o = e - 1;
	int d = 0;
	for (;;) { /* the argument list's '(' */
		d += src[o] == ')';
		d -= src[o] == '(';
		if (!d || o == nd->start_byte)
			break;
		o--;
	}
	if (d)
		return CC_OK;
	char buf[512];
	size_t bl = 0;
	int pos = 0;
	for (size_t a = o + 1; a < e - 1; pos++) {
		size_t z = a;
		int dd = 0;
		for (; z < e - 1; z++) {
			dd += src[z] == '(' || src[z] == '[' || src[z] == '{';
			dd -= src[z] == ')' || src[z] == ']' || src[z] == '}';
			if (!dd && src[z] == ',')
				break;
		}
		size_t s0 = a, s1 = z;
		while (s0 < s1 && space(src[s0]))
			s0++;
		while (s1 > s0 && space(src[s1 - 1]))
			s1--;
		a = z + 1;
		char name[64];
		if (s1 - s0 == 0 || s1 - s0 >= sizeof(name))
			continue;
		memcpy(name, src + s0, s1 - s0);
		name[s1 - s0] = 0;
		uint32_t var = plain_ident(name) ? var_named(g, by_text, nv, name) : 0;
		if (!var)
			continue;
		const char *t = NULL;
		for (int32_t m = nd->method; m >= 0 && !t; m = g->nodes[m].method) {
			size_t lo = var_find(v, nv, m, var);
			if (lo == nv)
				continue;
			size_t best = lo;
			for (size_t i = lo; i < nv && v[i].method == m && v[i].name == var; i++)
				if (v[i].node < k)
					best = i;
			t = v[best].type ? v[best].type : "";
		}
		if (!t || !*t || *t == '!' || strchr(t, ',') || strchr(t, ';'))
			continue;
		int n = snprintf(buf + bl, sizeof(buf) - bl, "%s%d=%s", bl ? "," : "", pos, t);
		if (n < 0 || (size_t)n >= sizeof(buf) - bl)
			break;
		bl += (size_t)n;
	}
	if (bl && !(*out = strdup(buf)))
		return cc_error_set(CC_ENOMEM, "out of memory");
	return CC_OK;
}

/* C++ (resolver 64, cg43): is the receiver text a parenthesized sum whose first operand is a
 * string literal, `("/foo" + s)`, `(L"x" + s)`, or a macro's call of one, `(STR("/foo") +
 * rep(..))` (pugixml's): a `+` of a `const char *` and a string gives the library's string
 * (std::basic_string), never a class of the repository by the method's name. */
static int cpp_literal_sum(const char *t)
{
	size_t n = strlen(t), i = 1;
	if (n < 6 || t[0] != '(' || t[n - 1] != ')')
		return 0;
	while (space(t[i]))
		i++;
	size_t m = i;
	while (t[m] >= 'A' && t[m] <= 'Z') /* L"..", or an upper-case macro STR("..") */
		m++;
	while (idc(t[m]) && m > i && (t[m] < 'a' || t[m] > 'z'))
		m++;
	int mac = m > i + 1 && t[m] == '(';
	size_t q = mac ? m + 1 : (m == i + 1 && t[i] == 'L') || m == i ? m
	                                                               : (size_t)-1;
	if (q == (size_t)-1)
		return 0;
	if (mac)
		while (space(t[q]))
			q++;
	if (t[q] != '"')
		return 0;
	for (q++; t[q] && t[q] != '"'; q++)
		if (t[q] == '\\' && t[q + 1])
			q++;
	if (!t[q])
		return 0;
	q++;
	if (mac) {
		while (space(t[q]))
			q++;
		if (t[q] != ')')
			return 0;
		q++;
	}
	while (space(t[q]))
		q++;
	if (t[q] != '+' || t[q + 1] == '+' || t[q + 1] == '=')
		return 0;
	int d = 0; /* the sum is the whole parenthesized text */
	for (size_t j = 0; j < n; j++) {
		d += t[j] == '(';
		d -= t[j] == ')';
		if (!d && j + 1 < n)
			return 0;
	}
	return 1;
}

/* Rust (resolver 50): the type of path call node k's first argument (`T::from(arg)`), as "0=X"
 * into a malloc'd *out (NULL when it does not show): a variable whose type shows, `self` in a
 * method of `impl X`, `X::Variant` / `X::Variant(..)` / `X::Variant { .. }`, `X { .. }`, a
 * string literal ("&str"), a number ("#"), a character ("char"). */
static int rust_call_arg0(char **out, const cc_file_graph *g, const char *src, size_t len,
                          uint32_t k, const var_def *v, size_t nv, const uint32_t *by_text)
{
	const cc_node *nd = &g->nodes[k];
	*out = NULL;
	size_t e = nd->end_byte <= len ? nd->end_byte : len;
	if (e <= nd->start_byte || src[e - 1] != ')')
		return CC_OK;
	size_t o = nd->start_byte; /* the callee path's '(' : the first at depth 0 after a "::" */
	int colons = 0, d = 0;
	for (; o < e; o++) {
		if (src[o] == '<')
			d++;
		else if (src[o] == '>')
			d--;
		else if (!d && src[o] == ':' && o + 1 < e && src[o + 1] == ':')
			colons = 1;
		else if (!d && src[o] == '(')
			break;
		else if (!d && !(isalnum((unsigned char)src[o]) || src[o] == '_' || src[o] == ':' ||
		                 space(src[o])))
			return CC_OK; /* not a plain path call */
	}
	if (o >= e || !colons)
		return CC_OK;
	size_t a = o + 1, z = a;
	d = 0;
	for (; z < e - 1; z++) {
		d += src[z] == '(' || src[z] == '[' || src[z] == '{';
		d -= src[z] == ')' || src[z] == ']' || src[z] == '}';
		if (!d && src[z] == ',')
			break;
	}
	while (a < z && space(src[a]))
		a++;
	while (z > a && space(src[z - 1]))
		z--;
	if (z <= a || z - a > 400)
		return CC_OK;
	char t[128] = "";
	if (src[a] == '"' || (src[a] == 'r' && z - a > 1 && (src[a + 1] == '"' || src[a + 1] == '#')))
		strcpy(t, "&str");
	else if (src[a] == '\'' && z - a <= 4)
		strcpy(t, "char");
	else if (isdigit((unsigned char)src[a]))
		strcpy(t, "#");
	else {
		size_t i = a;
		while (i < z && (isalnum((unsigned char)src[i]) || src[i] == '_'))
			i++;
		char first[64];
		if (i == a || i - a >= sizeof(first))
			return CC_OK;
		memcpy(first, src + a, i - a);
		first[i - a] = 0;
		size_t j = i;
		while (j < z && space(src[j]))
			j++;
		if (i == z && !strcmp(first, "self") && nd->method >= 0) {
			const char *q = cc_graph_str(g, g->nodes[nd->method].qual);
			const char *c = NULL;
			for (const char *p = q; (p = strstr(p, "::")); p += 2)
				c = p;
			if (c && (size_t)(c - q) < sizeof(t)) {
				const char *b = q;
				for (const char *p = q; p < c; p++)
					if (p[0] == ':' && p[1] == ':')
						b = p + 2;
				memcpy(t, b, (size_t)(c - b));
				t[c - b] = 0;
			}
		} else if (i == z && plain_ident(first)) {
			uint32_t var = var_named(g, by_text, nv, first);
			const char *vt = NULL;
			for (int32_t m = nd->method; var && m >= 0 && !vt; m = g->nodes[m].method) {
				size_t lo = var_find(v, nv, m, var);
				if (lo == nv)
					continue;
				size_t best = lo;
				for (size_t q = lo; q < nv && v[q].method == m && v[q].name == var; q++)
					if (v[q].node < k)
						best = q;
				vt = v[best].type ? v[best].type : "";
			}
			if (vt && strlen(vt) < sizeof(t))
				strcpy(t, vt);
		} else if (isupper((unsigned char)first[0]) && j < z && src[j] == '{') {
			strcpy(t, first); /* X { .. } */
		} else if (isupper((unsigned char)first[0]) && j + 2 < z && src[j] == ':' &&
		           src[j + 1] == ':') {
			size_t u = j + 2;
			while (u < z && space(src[u]))
				u++;
			size_t w = u;
			while (w < z && (isalnum((unsigned char)src[w]) || src[w] == '_'))
				w++;
			size_t y = w;
			while (y < z && space(src[y]))
				y++;
			if (w > u && isupper((unsigned char)src[u]) &&
			    (y == z || src[y] == '(' || src[y] == '{'))
				strcpy(t, first); /* X::Variant, X::Variant(..), X::Variant { .. } */
		}
	}
	if (!t[0] || (!plain_ident(t) && strcmp(t, "&str") && strcmp(t, "#")))
		return CC_OK;
	size_t n = strlen(t) + 3;
	if (!(*out = malloc(n)))
		return cc_error_set(CC_ENOMEM, "out of memory");
	snprintf(*out, n, "0=%s", t);
	return CC_OK;
}
static int rust_lib_chains(cc_call_info *out, const cc_file_graph *g, const char *src,
                           size_t len, const var_def *v, size_t nv);


int cc_call_infos(cc_call_info *out, const cc_file_graph *g, const char *src, size_t len)
{
	span_list spans = {NULL, 0, 0, 0};
	int spans_done = 0;
	tparam_list tp = {NULL, 0, 0, 0};
	int tp_done = 0;
	rust_mod mods[RUST_MODS];
	int nmods = -1;
	int py_fn_imports = 0; /* Python: an import inside a function (py_module_fn's case) */
	for (uint32_t q = 0; g->lang == CC_LANG_PYTHON && q < g->n_nodes && !py_fn_imports; q++)
		py_fn_imports = g->nodes[q].kind == CC_NODE_IMPORT && g->nodes[q].method >= 0;
	var_def *v = NULL;
	size_t nv = 0, cv = 0;
	uint32_t *by_text = NULL; /* v's names sorted by their text (built when first needed) */
	uint32_t *pat = NULL;     /* JS/TS: destructuring parameters and assignments in functions */
	size_t npat = 0;
	var_def *fns = NULL; /* JS/TS: named functions by (enclosing method, name) (cg22) */
	size_t nfn = 0;
	char buf[128];
	int rc = CC_OK;
	/* JS/TS, Python: module-level variables whose value is made from what a name binds
	 * (`const cuid = z.string().cuid()`): "~name" ("" when assigned otherwise too) */
	var_def *top = NULL;
	size_t ntop = 0;
	int jspy = g->lang == CC_LANG_JAVASCRIPT || g->lang == CC_LANG_TYPESCRIPT ||
	           g->lang == CC_LANG_TSX || g->lang == CC_LANG_PYTHON;
	memset(out, 0, (size_t)g->n_nodes * sizeof(*out));
	if (!src)
		return CC_OK;
	for (uint32_t k = 0; jspy && k < g->n_nodes; k++) {
		const cc_node *nd = &g->nodes[k];
		if (nd->kind != CC_NODE_ASSIGNMENT || nd->method >= 0 || !nd->name ||
		    !plain_ident(cc_graph_str(g, nd->name)))
			continue;
		buf[0] = 0;
		decl_type(buf, sizeof(buf), g, nd, src, len);
		if (!buf[0]) {
			value_type(buf, sizeof(buf), g, k, src, len);
			if (g->lang == CC_LANG_PYTHON && py_qualified_ctor(nd, src, len))
				buf[0] = 0; /* `X = mod.T(..)`: value_call's "~mod" */
		}
		/* JS/TS: a class the value is declared or constructed with (`const app = new
		 * H3()`): the type of a call's receiver that is this variable alone (ts20);
		 * Python (cg25): `X: T = ..` (the annotation first) or `X = T(..)`, not a class
		 * attribute, not a typing form */
		int cls = plain_ident(buf) &&
		          (g->lang != CC_LANG_PYTHON ? is_upper(buf[0])
		                                     : py_class_name(buf) && !py_typing_form(buf) &&
		                                               !py_in_class(g, nd));
		if (cls) {
			/* a class the file neither imports nor defines is a global's, the platform's
			 * (`new WeakSet()`, `new TextDecoder()`): "!" (none of the revision's, even
			 * where tests patch `globalThis.TextDecoder.prototype.decode`) */
			int seen = 0;
			for (uint32_t q = 0; q < g->n_nodes && !seen; q++) {
				const cc_node *qn = &g->nodes[q];
				seen = qn->name && !strcmp(cc_graph_str(g, qn->name), buf) &&
				       (qn->kind == CC_NODE_IMPORT || qn->kind == CC_NODE_TYPE_DECL ||
				        qn->kind == CC_NODE_METHOD ||
				        (qn->kind == CC_NODE_ASSIGNMENT && qn->method < 0));
			}
			size_t bl = strlen(buf);
			if (!seen && bl + 2 <= sizeof(buf)) {
				memmove(buf + 1, buf, bl + 1);
				buf[0] = '!';
			}
		}
		if (!buf[0])
			value_call(buf, sizeof(buf), g, k, src, len);
		size_t i = 0;
		while (i < ntop && top[i].name != nd->name)
			i++;
		if (i == ntop) {
			var_def *nt = realloc(top, (ntop + 1) * sizeof(var_def));
			if (!nt)
				goto oom;
			top = nt;
			top[ntop++] = (var_def){-1, nd->name, k, NULL};
			if ((buf[0] == '~' || (buf[0] == '!' && g->lang == CC_LANG_PYTHON) || cls ||
			     !strcmp(buf, "!Array")) &&
			    !(top[i].type = strdup(buf)))
				goto oom;
		} else if (top[i].type && strcmp(top[i].type, buf)) {
			free(top[i].type); /* assigned two ways */
			top[i].type = NULL;
		}
	}
	{
		/* a class-typed module variable a function assigns (or declares a local of the same
		 * name) too: its type is not known there; at most 64 such variables checked, the
		 * others forget their class */
		size_t cls_top[64], ncls = 0;
		for (size_t i = 0; g->lang != CC_LANG_PYTHON && i < ntop; i++)
			if (top[i].type && top[i].type[0] != '~') {
				if (ncls < 64)
					cls_top[ncls++] = i;
				else {
					free(top[i].type);
					top[i].type = NULL;
				}
			}
		for (uint32_t k = 0; ncls && k < g->n_nodes; k++) {
			const cc_node *nd = &g->nodes[k];
			if (nd->kind != CC_NODE_ASSIGNMENT || nd->method < 0 || !nd->name)
				continue;
			for (size_t j = 0; j < ncls; j++)
				if (top[cls_top[j]].type && top[cls_top[j]].name == nd->name) {
					free(top[cls_top[j]].type);
					top[cls_top[j]].type = NULL;
				}
		}
	}
	for (uint32_t k = 0; k < g->n_nodes; k++) {
		const cc_node *nd = &g->nodes[k];
		if ((nd->kind != CC_NODE_PARAM && nd->kind != CC_NODE_ASSIGNMENT) || nd->method < 0 ||
		    !nd->name || !plain_ident(cc_graph_str(g, nd->name)))
			continue;
		buf[0] = 0;
		if (nd->kind == CC_NODE_PARAM) {
			param_type(buf, sizeof(buf), g, nd, src, len);
			if (!buf[0] && (g->lang == CC_LANG_TYPESCRIPT || g->lang == CC_LANG_TSX) &&
			    nd->end_byte <= len &&
			    nd->end_byte - nd->start_byte == strlen(cc_graph_str(g, nd->name)))
				callback_param(buf, sizeof(buf), g, nd, src, len);
			/* Python (cg25): a test's or a fixture's parameter with neither annotation nor
			 * default is the fixture of that name: "&name" (the store finds it in the file
			 * or a conftest.py on the path and reads its value's class) */
			const char *pn = cc_graph_str(g, nd->name);
			if (!buf[0] && g->lang == CC_LANG_PYTHON && nd->end_byte <= len &&
			    nd->end_byte - nd->start_byte == strlen(pn) && strcmp(pn, "self") &&
			    strcmp(pn, "cls") && strlen(pn) + 2 < sizeof(buf) &&
			    py_fixture_user(g, nd->method, src, len))
				snprintf(buf, sizeof(buf), "&%s", pn);
			if (g->lang == CC_LANG_RUST && buf[0])
				generic_bound(buf, sizeof(buf), g, nd, src, len);
			else if ((g->lang == CC_LANG_TYPESCRIPT || g->lang == CC_LANG_TSX) && buf[0])
				ts_generic_bound(buf, sizeof(buf), g, nd, src, len);
		} else {
			int reasg = 0;
			if (g->lang == CC_LANG_CPP && cpp_reassignment(g, nd, src, len)) {
				/* C++: a plain reassignment `s = x->F(..)` keeps the type s was
				 * declared with (cg29-cx: `Status s = ..; s = file->Append(d);` was
				 * retyped as a class "Append"): the type of s's definition before it in
				 * the method when it has one, else `Status s;` read from the method's
				 * text, else (a member: `memtable_ = new MemTable(..)`) the value's class
				 * as before */
				reasg = 1;
				int prev = 0;
				const cc_node *mn = &g->nodes[nd->method];
				for (size_t i = nv; i-- > 0;) {
					const cc_node *d = &g->nodes[v[i].node];
					if (d->start_byte < mn->start_byte)
						break;
					if (v[i].method == nd->method && v[i].name == nd->name) {
						prev = v[i].type != NULL; /* (an untyped one: read on) */
						if (v[i].type)
							snprintf(buf, sizeof(buf), "%s", v[i].type);
						break;
					}
				}
				int32_t om = nd->method;
				while (g->nodes[om].method >= 0)
					om = g->nodes[om].method;
				size_t ob = g->nodes[om].start_byte;
				if (!prev && ob < nd->start_byte && nd->start_byte <= len)
					scan_decl(buf, sizeof(buf), src + ob, nd->start_byte - ob,
					          cc_graph_str(g, nd->name));
				if (!prev && !buf[0])
					value_type(buf, sizeof(buf), g, k, src, len);
			} else {
				decl_type(buf, sizeof(buf), g, nd, src, len);
				if (!buf[0] && g->lang == CC_LANG_RUST)
					rust_index_value(buf, sizeof(buf), g, nd, src, len);
				if (!buf[0] && g->lang == CC_LANG_RUST)
					rust_let_seq(buf, sizeof(buf), g, nd, src, len);
				if (!buf[0] && g->lang == CC_LANG_RUST)
					rust_let_static(buf, sizeof(buf), g, nd, src, len);
				if (!buf[0])
					value_type(buf, sizeof(buf), g, k, src, len);
			}
			if (!buf[0] && g->lang != CC_LANG_C && !reasg &&
			    ((g->lang != CC_LANG_CPP && g->lang != CC_LANG_JAVA) ||
			     auto_decl(g, nd, src, len)))
				value_call(buf, sizeof(buf), g, k, src, len);
		}
		if (nv == cv) {
			size_t c = cv ? cv * 2 : 64;
			var_def *nvv = realloc(v, c * sizeof(var_def));
			if (!nvv)
				goto oom;
			v = nvv;
			cv = c;
		}
		v[nv] = (var_def){nd->method, nd->name, k, NULL};
		if (buf[0] && !(v[nv].type = strdup(buf)))
			goto oom;
		nv++;
	}
	if (nv)
		qsort(v, nv, sizeof(var_def), var_cmp);
	if (g->lang == CC_LANG_JAVASCRIPT || g->lang == CC_LANG_TYPESCRIPT || g->lang == CC_LANG_TSX) {
		for (uint32_t j = 0; j < g->n_nodes; j++) {
			const cc_node *f = &g->nodes[j];
			if (f->kind != CC_NODE_METHOD || f->method < 0 || !f->name)
				continue;
			if (!fns && !(fns = malloc(g->n_nodes * sizeof(*fns))))
				goto oom;
			fns[nfn++] = (var_def){f->method, f->name, j, NULL};
		}
		if (nfn)
			qsort(fns, nfn, sizeof(var_def), var_cmp);
	}
	if ((g->lang == CC_LANG_JAVASCRIPT || g->lang == CC_LANG_TYPESCRIPT ||
	     g->lang == CC_LANG_TSX) &&
	    g->n_nodes) {
		/* the file's imports at the end of pat, its destructurings from the start (distinct
		 * nodes: they never meet) */
		size_t nimp = 0;
		if (!(pat = malloc(g->n_nodes * sizeof(*pat))))
			goto oom;
		for (uint32_t k = g->n_nodes; k-- > 0;)
			if (g->nodes[k].kind == CC_NODE_IMPORT && g->nodes[k].name)
				pat[g->n_nodes - 1 - nimp++] = k;
		const uint32_t *imps = pat + (g->n_nodes - nimp);
		for (uint32_t k = 0; k < g->n_nodes; k++) {
			const cc_node *nd = &g->nodes[k];
			const char *t = nd->name ? cc_graph_str(g, nd->name) : "";
			if ((nd->kind != CC_NODE_PARAM && nd->kind != CC_NODE_ASSIGNMENT) ||
			    nd->method < 0 || (t[0] != '{' && t[0] != '[') ||
			    (nd->kind == CC_NODE_ASSIGNMENT &&
			     destructs_module(g, nd, t, src, len, imps, nimp)))
				continue;
			pat[npat++] = k;
		}
	}
	/* Python: `response = client.get(..)` of a variable client whose type shows: the value
	 * of that class's method ("=TestClient|get|": the store reads its declared return type,
	 * a library's type when its annotation names a library's import) */
	for (size_t i = 0; g->lang == CC_LANG_PYTHON && i < nv; i++) {
		const char *eq = NULL;
		uint32_t kc = 0;
		if (!v[i].type || v[i].type[0] != '~' ||
		    g->nodes[v[i].node].kind != CC_NODE_ASSIGNMENT ||
		    value_first_call(g, v[i].node, src, 0, &kc, &eq) <= 0)
			continue;
		const char *cname = cc_graph_str(g, g->nodes[kc].name);
		const char *croot = cc_graph_str(g, g->nodes[kc].qual);
		if (strcmp(croot, v[i].type + 1) || !plain_ident(cname))
			continue;
		const var_def *rv = NULL; /* the root's last definition before the value */
		for (size_t j = 0; j < nv; j++)
			if (v[j].method == v[i].method && v[j].node < v[i].node &&
			    !strcmp(cc_graph_str(g, v[j].name), croot) && (!rv || v[j].node > rv->node))
				rv = &v[j];
		/* typing's special forms name no class whose method it is (`o: Any`,
		 * `x: Optional[Foo]`: the value stays unknown) */
		static const char *const forms[] = {"Any", "Optional", "Union", "Callable", "Type",
		                                    "ClassVar", "Final", "Annotated", "Literal",
		                                    "TypeVar", "Self", NULL};
		int form = 0;
		for (int f = 0; rv && rv->type && forms[f] && !form; f++)
			form = !strcmp(rv->type, forms[f]);
		char vb[300];
		if (!rv || !rv->type || !is_upper(rv->type[0]) || form ||
		    strlen(rv->type) + strlen(cname) + 4 > 128)
			continue;
		snprintf(vb, sizeof(vb), "=%.128s|%.128s|", rv->type, cname);
		char *nt = strdup(vb);
		if (!nt)
			goto oom;
		free(v[i].type);
		v[i].type = nt;
	}
	for (uint32_t k = 0; k < g->n_nodes; k++) {
		const cc_node *nd = &g->nodes[k];
		if (nd->kind != CC_NODE_CALL)
			continue;
		if (g->lang == CC_LANG_GO && *cc_graph_str(g, nd->qual)) {
			/* Go: a method of a composite literal, `T{..}.m()`, `(&T{..}).m()`,
			 * `pkg.T{..}.m()`: T's, as of a variable `x := T{..}` (cg23) */
			go_literal_type(buf, sizeof(buf), g, cc_graph_str(g, nd->qual));
			if (buf[0]) {
				if (local_rtype(&out[k], buf))
					goto oom;
				continue;
			}
		}
		if (g->lang == CC_LANG_CPP && cpp_literal_sum(cc_graph_str(g, nd->qual))) {
			/* C++ (resolver 64, cg43): `("/foo" + s).c_str()`: a library's string */
			if (local_rtype(&out[k], "!"))
				goto oom;
			continue;
		}
		if (ntop && g->lang != CC_LANG_PYTHON && !*cc_graph_str(g, nd->qual)) {
			/* JS/TS `f()` of a module-level `const f = O.getPrototypeOf` (a value, no
			 * function of the file): never another file's function by its name */
			int top_v = 0, fn = 0;
			for (size_t i = 0; i < ntop && !top_v; i++)
				top_v = top[i].name == nd->name;
			for (uint32_t q = 0; top_v && q < g->n_nodes && !fn; q++)
				fn = g->nodes[q].kind == CC_NODE_METHOD && g->nodes[q].name == nd->name;
			if (top_v && !fn)
				out[k].flags |= CC_CALL_TOP_VALUE;
		}
		if (ntop && *cc_graph_str(g, nd->qual)) {
			/* a receiver starting with such a module-level variable no enclosing
			 * function binds: its value's "~name" (the store checks the import) */
			const char *q = cc_graph_str(g, nd->qual);
			size_t rl = 0;
			while (idc(q[rl]))
				rl++;
			const var_def *t = NULL;
			for (size_t i = 0; rl && (q[rl] == '.' || q[rl] == '(' || !q[rl]) && i < ntop && !t;
			     i++) {
				const char *tn = cc_graph_str(g, top[i].name);
				if (top[i].type && strlen(tn) == rl && !memcmp(tn, q, rl))
					t = &top[i];
			}
			int bound = 0;
			for (int32_t m = nd->method; t && m >= 0 && !bound; m = g->nodes[m].method)
				bound = var_find(v, nv, m, t->name) < nv;
			if (t && !bound && t->type[0] != '~' && t->type[0] != '!') {
				/* a class's instance: the receiver that is the variable alone */
				if (!q[rl]) {
					if (local_rtype(&out[k], t->type))
						goto oom;
					continue;
				}
			} else if (t && !bound) {
				if (!(out[k].rtype = strdup(t->type)))
					goto oom;
				continue;
			}
		}
		if (g->lang == CC_LANG_RUST) {
			/* Rust (cg41): a macro's invocation (`format!(..)`, `itertools::chain!(..)`):
			 * the path, then '!' */
			size_t e = nd->start_byte, b;
			while (e < len && (idc(src[e]) || src[e] == ':'))
				e++;
			for (b = e; b > nd->start_byte && idc(src[b - 1]); b--)
				;
			const char *nm = cc_graph_str(g, nd->name);
			if (e < len && e > b && src[e] == '!' && strlen(nm) == e - b &&
			    !memcmp(src + b, nm, e - b)) /* not `include_str!(..).replace(..)` */
				out[k].flags |= CC_CALL_MACRO;
		}
		if (g->lang == CC_LANG_RUST && *cc_graph_str(g, nd->qual)) {
			/* Rust (cg41): `it.next()` is a member access, whatever it is (`it::f()` is
			 * a path: the receiver text alone reads the same); rev.c's crate aliases */
			const char *q = cc_graph_str(g, nd->qual);
			size_t ql = strlen(q), e = nd->start_byte + ql;
			while (e < len && (src[e] == ' ' || src[e] == '\t' || src[e] == '\n'))
				e++;
			if (e < len && nd->start_byte + ql <= len && !memcmp(src + nd->start_byte, q, ql) &&
			    src[e] == '.')
				out[k].flags |= CC_CALL_RECV_MEMBER;
		}
		if (g->lang == CC_LANG_CPP && *cc_graph_str(g, nd->qual)) {
			/* `json::parse(..)`: a class's or a namespace's name, no variable of that
			 * name */
			const char *q = cc_graph_str(g, nd->qual);
			size_t ql = strlen(q);
			if (nd->start_byte + ql + 2 <= len && !memcmp(src + nd->start_byte, q, ql) &&
			    src[nd->start_byte + ql] == ':' && src[nd->start_byte + ql + 1] == ':')
				continue;
			/* `app.add_option(..)`, `p->f(..)`: a member access, whatever app is (the
			 * receiver text alone reads like a namespace's `app::add_option`) */
			size_t e = nd->start_byte + ql;
			while (e < len && (src[e] == ' ' || src[e] == '\t' || src[e] == '\n'))
				e++;
			if (e < len && !memcmp(src + nd->start_byte, q, ql) &&
			    (src[e] == '.' || (src[e] == '-' && e + 1 < len && src[e + 1] == '>')))
				out[k].flags |= CC_CALL_RECV_MEMBER;
		}
		if (nd->method < 0) {
			/* C++ code in a block of no function (a test macro's body, `TEST_CASE("..")
			 * {`, that tree-sitter reads as no function): `json j; j.size();` has j's
			 * declared type, read from the text of the outermost block before the call */
			const char *recv = cc_graph_str(g, nd->qual);
			if (g->lang != CC_LANG_CPP || !*recv)
				continue;
			if (!plain_ident(recv)) { /* json::parse(s).dump(): the call's value */
				if (chain_recv(out, g, k) && out[k].rtype == NULL &&
				    out[k].flags == (uint32_t)-1)
					goto oom;
				continue;
			}
			if (!strcmp(recv, "this") || !strcmp(recv, "std") || nd->start_byte > len)
				continue;
			if (!spans_done) {
				c_scan(src, len, NULL, 0, &spans);
				spans_done = 1;
				if (spans.oom)
					goto oom;
			}
			size_t lo = 0, hi = spans.n;
			while (lo < hi) { /* the last block starting before the call */
				size_t mid = (lo + hi) / 2;
				if (spans.v[2 * mid] < nd->start_byte)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (!lo || spans.v[2 * (lo - 1) + 1] <= nd->start_byte)
				continue;
			size_t b0 = spans.v[2 * (lo - 1)];
			if (nd->start_byte - b0 > 65536) /* the declaration is near: bound the search */
				b0 = nd->start_byte - 65536;
			scan_decl(buf, sizeof(buf), src + b0, nd->start_byte - b0, recv);
			if (buf[0]) {
				if (local_rtype(&out[k], buf))
					goto oom;
			}
			continue;
		}
		const char *recv = cc_graph_str(g, nd->qual);
		uint32_t var;
		int bare = !*recv, field = 0;
		if (g->lang == CC_LANG_RUST && *recv && !strpbrk(recv, ".([<&*! ")) {
			if (nmods < 0)
				nmods = rust_mods(mods, src, len);
			int32_t fn = nmods ? rust_inline_fn(g, src, mods, nmods, nd, recv) : -1;
			if (fn >= 0) {
				if (local_fn(&out[k], fn))
					goto oom;
				continue;
			}
		}
		char owner[128];
		if (bare && g->lang == CC_LANG_JAVA) {
			/* Java keeps methods and variables apart (JLS 6.5.7.1): `reader("{}")` with a
			 * local or parameter `reader` still calls the method, so nothing shadows a
			 * bare call (cg29: gson's JsonReaderTest, 174 calls) */
			continue;
		} else if (bare) {
			var = nd->name;
		} else if (g->lang == CC_LANG_RUST && rust_range_recv(recv)) {
			/* `(min..max).map(..)`: a Range, the language's (resolver 52, cg35) */
			if (local_rtype(&out[k], "!Range"))
				goto oom;
			continue;
		} else if (!plain_ident(recv) && chain_recv(out, g, k)) {
			if (out[k].rtype == NULL && out[k].flags == (uint32_t)-1)
				goto oom;
			continue;
		} else if (!plain_ident(recv)) {
			/* Rust: a struct or struct-variant literal, `Error::Loop { .. }.with_depth(..)`,
			 * `Foo { .. }.m()`: the enum's or the struct's method (cg29) */
			size_t rl0 = strlen(recv), pl = strcspn(recv, "{");
			if (g->lang == CC_LANG_RUST && rl0 && recv[rl0 - 1] == '}' && pl < rl0 &&
			    pl < sizeof(owner)) {
				char path[128];
				while (pl > 0 && space(recv[pl - 1]))
					pl--;
				memcpy(path, recv, pl);
				path[pl] = 0;
				if (rust_variant_type(owner, sizeof(owner), path, 0) ||
				    rust_variant_type(owner, sizeof(owner), path, 1)) {
					if (local_rtype(&out[k], owner))
						goto oom;
				}
				continue;
			}
			/* a member: self.F, this.F, this->F, or F of a variable v.F / v->F */
			const char *dot = strrchr(recv, '.'), *arrow = NULL;
			for (const char *a = strstr(recv, "->"); a; a = strstr(a + 2, "->"))
				arrow = a;
			const char *sep = dot && (!arrow || dot > arrow) ? dot : arrow;
			size_t rl = strlen(recv);
			if (!sep && g->lang == CC_LANG_RUST && nd->start_byte + rl < len &&
			    src[nd->start_byte + rl] == '.' && !memcmp(src + nd->start_byte, recv, rl) &&
			    rust_variant_type(owner, sizeof(owner), recv, 0)) {
				/* `ExitCode::KilledBySigint.exit()`: the enum's method (cg29) */
				if (local_rtype(&out[k], owner))
					goto oom;
				continue;
			}
			if (!sep)
				continue;
			const char *fname = sep + (sep == dot ? 1 : 2);
			size_t ol = (size_t)(sep - recv);
			if (g->lang == CC_LANG_RUST && sep == dot && ol == 4 && !memcmp(recv, "self", 4) &&
			    fname[0] >= '0' && fname[0] <= '9' && strlen(fname) < 3 &&
			    strspn(fname, "0123456789") == strlen(fname)) {
				/* `self.0.m()` (resolver 58, cg40): the tuple struct's field */
				rust_self_tuple(buf, sizeof(buf), src, len, nd->start_byte, atoi(fname));
				if (buf[0]) {
					if (local_rtype(&out[k], buf))
						goto oom;
				}
				continue;
			}
			if (!plain_ident(fname) || ol >= sizeof(owner))
				continue;
			memcpy(owner, recv, ol);
			owner[ol] = 0;
			/* JS/TS: a chain of members `v.a.b.F` (`event.url.searchParams`): v's type,
			 * the store follows the members' declared types */
			char *seg = strchr(owner, '.');
			if (seg && (g->lang == CC_LANG_JAVASCRIPT || g->lang == CC_LANG_TYPESCRIPT ||
			            g->lang == CC_LANG_TSX)) {
				int plain = 1;
				for (char *a = seg + 1, *b; plain && a; a = b ? b + 1 : NULL) {
					b = strchr(a, '.');
					size_t sl = b ? (size_t)(b - a) : strlen(a);
					plain = sl > 0;
					for (size_t i = 0; plain && i < sl; i++)
						plain = idc(a[i]);
				}
				if (!plain)
					continue;
				*seg = 0;
			}
			if (!plain_ident(owner))
				continue;
			if (!strcmp(owner, "self") || !strcmp(owner, "this")) {
				out[k].flags |= CC_CALL_RECV_FIELD;
				continue;
			}
			/* the owner's interned offset: names are interned, look it up by text (the
			 * file's variable names sorted by text once) */
			if (vars_by_text(&by_text, v, nv, g))
				goto oom;
			var = var_named(g, by_text, nv, owner);
			if (!var)
				continue;
			field = 1;
		} else {
			if (!strcmp(recv, "self") || !strcmp(recv, "this"))
				continue;
			var = nd->qual; /* names are interned: the same text has the same offset */
		}
		int found = 0;
		/* innermost enclosing method first */
		for (int32_t m = nd->method; m >= 0; m = g->nodes[m].method) {
			size_t lo = var_find(v, nv, m, var);
			if (lo == nv) {
				/* `function f() {..}` declared in an enclosing function (hoisted)
				 * (cg22) */
				int32_t fn = bare ? js_declared_fn(g, src, len, fns, nfn, m, var) : -1;
				if (fn >= 0) {
					if (local_fn(&out[k], fn))
						goto oom;
					break;
				}
				continue;
			}
			if (bare) {
				/* a parameter or an assignment of the name anywhere in the method; Rust and
				 * Go bind a local after its statement (`let f = f(x);`, `f := f()` call
				 * the function), so there only a parameter or a definition ending before
				 * the call shadows it */
				int seq = g->lang == CC_LANG_RUST || g->lang == CC_LANG_GO, shadow = !seq;
				for (size_t i = lo; !shadow && i < nv && v[i].method == m && v[i].name == var;
				     i++) {
					const cc_node *d = &g->nodes[v[i].node];
					shadow = d->kind == CC_NODE_PARAM || d->end_byte <= nd->start_byte;
				}
				if (!shadow)
					continue;
				int32_t fn = js_local_fn(g, v, nv, lo, m, var);
				if (fn >= 0) {
					/* `const f = () => ..` in an enclosing function: that function
					 * (cg22) */
					if (local_fn(&out[k], fn))
						goto oom;
					break;
				}
				out[k].flags |= CC_CALL_SHADOWED;
				/* JS/TS (cg29): `const f = (await import('./m.js')).default` (the name's
				 * only binding in the method): m's default export, "#./m.js" */
				if ((g->lang == CC_LANG_JAVASCRIPT || g->lang == CC_LANG_TYPESCRIPT ||
				     g->lang == CC_LANG_TSX) &&
				    !(lo + 1 < nv && v[lo + 1].method == m && v[lo + 1].name == var) &&
				    g->nodes[v[lo].node].kind != CC_NODE_PARAM && !out[k].rtype) {
					js_dyn_default(buf, sizeof(buf), &g->nodes[v[lo].node], src, len);
					if (buf[0] && !(out[k].rtype = strdup(buf)))
						goto oom;
				}
				if ((g->lang == CC_LANG_JAVASCRIPT || g->lang == CC_LANG_TYPESCRIPT ||
				     g->lang == CC_LANG_TSX) &&
				    !out[k].rtype) {
					/* JS/TS (cg29-tsx): `f(..)` of a local `const f = g(..)` / `= g()(..)`:
					 * what g's definition returns (rev.c fn_value_cands) */
					size_t best = lo;
					for (size_t i = lo; i < nv && v[i].method == m && v[i].name == var; i++)
						if (v[i].node < k)
							best = i;
					if (js_call_value(buf, sizeof(buf), g, v[best].node, src, len)) {
						out[k].flags |= CC_CALL_FN_VALUE;
						if (!(out[k].rtype = strdup(buf)))
							goto oom;
					}
				}
				/* Python (gopy20): `v(..)` of a variable whose type shows (a class, or a
				 * call's value) calls that class's __call__: the type of v's last
				 * definition before the call */
				if (g->lang == CC_LANG_PYTHON) {
					size_t best = lo;
					for (size_t i = lo; i < nv && v[i].method == m && v[i].name == var; i++)
						if (v[i].node < k)
							best = i;
					const char *t = v[best].type;
					if (t && (is_upper(t[0]) || t[0] == '=') && !(out[k].rtype = strdup(t)))
						goto oom;
				}
				break;
			}
			/* the last definition before the call, else the first one (a loop); Rust: not
			 * a `let` whose own value holds the call (`let src = Bytes::copy_from_slice(
			 * src.as_ref());`: the earlier `src`; resolver 52, cg35); Go likewise, a
			 * reassignment `s = s.With(..)` (logrus' `*slog.Logger`: the earlier `s`, not
			 * this assignment's own value; resolver 64, cg43) */
			size_t best = lo;
			for (size_t i = lo; i < nv && v[i].method == m && v[i].name == var; i++) {
				const cc_node *d = &g->nodes[v[i].node];
				if ((g->lang == CC_LANG_RUST || g->lang == CC_LANG_GO) && i > lo &&
				    d->kind != CC_NODE_PARAM &&
				    d->start_byte <= nd->start_byte && nd->start_byte < d->end_byte)
					continue;
				if (v[i].node < k)
					best = i;
			}
			found = 1;
			if (field) {
				/* v.F: F of v's type, when v's type shows */
				int jsts = g->lang == CC_LANG_JAVASCRIPT || g->lang == CC_LANG_TYPESCRIPT ||
				           g->lang == CC_LANG_TSX;
				if (v[best].type && v[best].type[0] != '*' &&
				    (v[best].type[0] != '=' || jsts) && v[best].type[0] != '~' &&
				    v[best].type[0] != '&') { /* (a fixture's members: not followed) */
					out[k].flags |= CC_CALL_RECV_FIELD;
					if (!(out[k].rtype = strdup(v[best].type)))
						goto oom;
				}
				break;
			}
			out[k].flags |= CC_CALL_RECV_LOCAL;
			if (v[best].type && !(out[k].rtype = strdup(v[best].type)))
				goto oom;
			if (g->lang == CC_LANG_GO && g->nodes[v[best].node].kind == CC_NODE_PARAM &&
			    (!v[best].type || v[best].type[0] == '!'))
				out[k].rparam = go_param_pos(g, src, len, m, v[best].node) + 1;
			break;
		}
		/* Python: a bare call of the file's module-level function that no import binds for
		 * it (py_module_fn): that function, by its node index */
		if (bare && !found && py_fn_imports &&
		    !(out[k].flags & (CC_CALL_SHADOWED | CC_CALL_LOCAL_FN))) {
			int32_t fn = py_module_fn(g, nd, var);
			if (fn >= 0 && local_fn(&out[k], fn))
				goto oom;
		}
		/* JS/TS: a bare name bound by a destructuring parameter or local of an enclosing
		 * function (`function Root({ onOpenChange }: Props)`, `const { onRelease } =
		 * useDrawerContext()`): the caller's value, no guess at definitions of that name
		 * elsewhere (vaul's `onOpenChange?.(o)` was guessed to a context default's
		 * `onOpenChange: () => {}`, bench/results/analysis.md "tsx19") */
		if (bare && npat && !(out[k].flags & CC_CALL_SHADOWED)) {
			const char *nm = cc_graph_str(g, var);
			/* a local function (CC_CALL_LOCAL_FN) declared in a function enclosing
			 * the pattern's is what the pattern's name hides */
			int32_t fnm = out[k].flags & CC_CALL_LOCAL_FN
			                      ? g->nodes[strtol(out[k].rtype + 1, NULL, 10)].method
			                      : -2;
			for (int32_t m = nd->method; m >= 0 && !(out[k].flags & CC_CALL_DESTRUCT);
			     m = g->nodes[m].method) {
				for (size_t i = 0; i < npat; i++) {
					const cc_node *pn = &g->nodes[pat[i]];
					if (pn->method == m && pattern_binds(cc_graph_str(g, pn->name), nm)) {
						if (out[k].flags & CC_CALL_LOCAL_FN) {
							/* a local binding: no function of the file */
							out[k].flags &= ~(uint32_t)CC_CALL_LOCAL_FN;
							out[k].flags |= CC_CALL_SHADOWED;
							free(out[k].rtype);
							out[k].rtype = NULL;
						}
						out[k].flags |= CC_CALL_DESTRUCT;
						/* `const { f } = useContext(X)` / `= useX()`: the context's
						 * member ("%X" / "%%useX": rev.c ctx_cands) */
						if (pn->kind == CC_NODE_ASSIGNMENT && !out[k].rtype) {
							destruct_source(buf, sizeof(buf), pn,
							                cc_graph_str(g, pn->name), src, len);
							if (buf[0] && !(out[k].rtype = strdup(buf)))
								goto oom;
						}
						break;
					}
				}
				if (m == fnm)
					break; /* the local function is nearer than any pattern outside */
			}
		}
		/* Rust: a loop variable over a container (`for m in &matches { m.start() }`); C++/Java:
		 * a local declared without initializer (`Status s;`) is no assignment. Either is read
		 * from the outermost method's text before the call. */
		void (*scan)(char *, size_t, const char *, size_t, const char *) = NULL;
		/* the outermost method around the call, whose text before the call the scans below
		 * read; -1 when there is none (a call at file scope) */
		int32_t om = nd->method;
		while (om >= 0 && g->nodes[om].method >= 0)
			om = g->nodes[om].method;
		if (om >= 0 && !(g->nodes[om].start_byte < nd->start_byte && nd->start_byte <= len))
			om = -1;
		const char *ot = om >= 0 ? src + g->nodes[om].start_byte : NULL;
		size_t on = om >= 0 ? nd->start_byte - g->nodes[om].start_byte : 0;
		if (!bare && !field && !found && g->lang == CC_LANG_RUST && plain_ident(recv))
			scan = rust_for_elem;
		else if (!bare && !field && !out[k].rtype &&
		         (g->lang == CC_LANG_CPP || g->lang == CC_LANG_JAVA))
			scan = scan_decl;
		if (!bare && !field && !out[k].rtype && g->lang == CC_LANG_GO && plain_ident(recv)) {
			/* Go: `var v T` with no value (resolver 37), a loop variable over a slice
			 * or map (`for _, r := range routes { r.Match(..) }`, resolver 35) */
			if (ot) {
				buf[0] = 0;
				if (!found) /* (a variable the analysis saw assigned is not this one) */
					go_var_decl(buf, sizeof(buf), g, ot, on, recv);
				if (!buf[0])
					go_for_elem(buf, sizeof(buf), g, ot, on, recv, src, len);
				if (buf[0]) {
					if (local_rtype(&out[k], buf))
						goto oom;
				}
			}
		}
		if (scan && ot) {
			scan(buf, sizeof(buf), ot, on, recv);
			if (buf[0]) {
				if (local_rtype(&out[k], buf))
					goto oom;
			}
		}
		/* Rust (resolver 55, cg37): a name bound by a tuple-struct or tuple-variant pattern
		 * (`Repr::Custom(Custom(ref a)) => a.as_bytes()`): the field's declared type */
		if (!bare && !field && !found && !out[k].rtype && g->lang == CC_LANG_RUST &&
		    plain_ident(recv) && strcmp(recv, "self")) {
			if (ot) {
				rust_pat_binding(buf, sizeof(buf), src, len, g->nodes[om].start_byte,
				                 nd->start_byte, recv);
				if (buf[0]) {
					if (local_rtype(&out[k], buf))
						goto oom;
				}
			}
		}
		/* Rust (resolver 58, cg40): a name a tuple pattern of the function's parameters
		 * binds (`(k, vals): &(usize, &Vec<usize>)`): the tuple type's element */
		if (!bare && !field && !found && !out[k].rtype && g->lang == CC_LANG_RUST &&
		    plain_ident(recv) && strcmp(recv, "self")) {
			buf[0] = 0;
			for (int32_t m = nd->method; m >= 0 && !buf[0]; m = g->nodes[m].method)
				if (g->nodes[m].start_byte < nd->start_byte && nd->start_byte <= len)
					rust_pattern_param(buf, sizeof(buf), src + g->nodes[m].start_byte,
					                   nd->start_byte - g->nodes[m].start_byte, recv);
			{
				if (buf[0]) {
					if (local_rtype(&out[k], buf))
						goto oom;
				}
			}
		}
		(void)found;
	}
	/* C++ (cg27): a receiver declared with a template parameter of an enclosing function or
	 * class template (`template <typename J> void f(const J& j) { j.type(); }`) has no type
	 * the revision can know: "?J" (rev.c: name-only candidates, as for an unknown receiver,
	 * not the nothing a library's type gets). A type named through it (`typename
	 * J::string_t`) is not this (rtype keeps its scope, cpp_qualify). */
	for (uint32_t k = 0; g->lang == CC_LANG_CPP && k < g->n_nodes; k++) {
		const cc_node *nd = &g->nodes[k];
		char *t = out[k].rtype;
		/* `T::f(..)` of a template parameter T (dragonbox's `SignPolicy::handle_sign(..)`,
		 * cg29-cx): as a receiver of type T */
		const char *qn = nd->kind == CC_NODE_CALL ? cc_graph_str(g, nd->qual) : "";
		int tq = !t && !out[k].flags && *qn && plain_ident(qn) && nd->start_byte < len &&
		         nd->start_byte + strlen(qn) + 2 <= len &&
		         !memcmp(src + nd->start_byte, qn, strlen(qn)) &&
		         !memcmp(src + nd->start_byte + strlen(qn), "::", 2);
		if (tq)
			t = (char *)qn;
		/* a capitalised call's value, "=|T|C" (resolver 53): T(..) of a template parameter T
		 * (fmt's `auto grouping = Grouping(loc, ..)`) is a T as well */
		char tn[128];
		const char *tt = t;
		size_t ttl = t ? strlen(t) : 0;
		if (t && ttl > 5 && ttl < sizeof(tn) + 4 && t[0] == '=' && t[1] == '|' &&
		    !strcmp(t + ttl - 2, "|C")) {
			memcpy(tn, t + 2, ttl - 4);
			tn[ttl - 4] = 0;
			tt = tn;
		}
		if (nd->kind != CC_NODE_CALL || !t || !plain_ident(tt) ||
		    (!tq && (out[k].flags & (CC_CALL_RECV_LOCAL | CC_CALL_RECV_FIELD)) !=
		                    CC_CALL_RECV_LOCAL) ||
		    nd->start_byte > len)
			continue;
		if (!tp_done) {
			cpp_tparams(src, len, &tp);
			tp_done = 1;
			if (tp.oom)
				goto oom;
		}
		if (!cpp_tparam_at(src, &tp, tt, nd->start_byte))
			continue;
		char *q = malloc(strlen(tt) + 2);
		if (!q)
			goto oom;
		q[0] = '?';
		strcpy(q + 1, tt);
		if (tq)
			out[k].flags |= CC_CALL_RECV_LOCAL;
		else
			free(t);
		out[k].rtype = q;
	}
	/* Go: the types of calls' variable arguments (a parameter's type from its callers,
	 * rev.c param_cands) */
	for (uint32_t k = 0; g->lang == CC_LANG_GO && k < g->n_nodes; k++) {
		if (g->nodes[k].kind != CC_NODE_CALL)
			continue;
		if (vars_by_text(&by_text, v, nv, g))
			goto oom;
		if ((rc = go_call_args(&out[k].args, g, src, len, k, v, nv, by_text)))
			goto out;
	}
	for (uint32_t k = 0; g->lang == CC_LANG_RUST && k < g->n_nodes; k++) {
		if (g->nodes[k].kind != CC_NODE_CALL)
			continue;
		if (vars_by_text(&by_text, v, nv, g))
			goto oom;
		if ((rc = rust_call_arg0(&out[k].args, g, src, len, k, v, nv, by_text)))
			goto out;
	}
	if (g->lang == CC_LANG_RUST && rust_lib_chains(out, g, src, len, v, nv))
		goto oom;
out:
	for (size_t i = 0; i < nv; i++)
		free(v[i].type);
	free(v);
	free(by_text);
	free(pat);
	free(fns);
	for (size_t i = 0; i < ntop; i++)
		free(top[i].type);
	free(top);
	free(spans.v);
	free(tp.v);
	return rc;
oom:
	rc = cc_error_set(CC_ENOMEM, "out of memory");
	goto out;
}

/* Rust (resolver 58, cg40): is name[0, nl) a type parameter of the generics list of header
 * h[0, hn) (`fn f<K, V: Default, S>(..)`, `impl<I: Iterator> ..`)? */
static int rust_tparam_in(const char *h, size_t hn, const char *name, size_t nl)
{
	const char *lt = memchr(h, '<', hn);
	if (!lt || memchr(h, '(', (size_t)(lt - h)))
		return 0; /* a function's list comes before its parameters */
	if (hn > 4 && !memcmp(h, "impl", 4) && !idc(h[4]))
		for (const char *q = h + 4; q < lt; q++)
			if (!space(*q))
				return 0; /* `impl Foo<u8>`: arguments, no list */
	size_t b = (size_t)(lt - h), e = skip_generics(h, hn, b);
	for (size_t i = b + 1; i + nl < e; i++) {
		if (memcmp(h + i, name, nl) || idc(h[i + nl]) || idc(h[i - 1]) || h[i - 1] == '\'')
			continue;
		size_t p = i;
		while (p > b + 1 && space(h[p - 1]))
			p--;
		if (h[p - 1] == '<' || h[p - 1] == ',')
			return 1;
	}
	return 0;
}

/* Rust (resolver 58, cg40): appends to out "+Trait" for each trait bound of type parameter
 * name[0, nl) written in header h[0, hn) (`<K: Hash + Eq>`, `where S: BuildHasher`): the
 * bounds' names at their own level, arguments and lifetimes left out. */
static void rust_bounds_of(char *out, size_t cap, const char *h, size_t hn, const char *name,
                           size_t nl)
{
	for (size_t i = 1; i + nl < hn; i++) {
		if (memcmp(h + i, name, nl) || idc(h[i - 1]) || idc(h[i + nl]) || h[i - 1] == ':')
			continue;
		size_t k = i + nl;
		while (k < hn && space(h[k]))
			k++;
		if (k + 1 >= hn || h[k] != ':' || h[k + 1] == ':')
			continue;
		int d = 0;
		for (k++; k < hn; k++) {
			char c = h[k];
			if (c == '<' || c == '(')
				d++;
			else if ((c == '>' && h[k - 1] != '-') || c == ')') {
				if (!d--)
					break;
			} else if (!d && (c == ',' || c == '{'))
				break;
			else if (!d && c == '\'') {
				for (k++; k < hn && idc(h[k]); k++)
					;
				k--;
			} else if (!d && idc(c) && !idc(h[k - 1]) && h[k - 1] != ':') {
				size_t w = k, last = k;
				while (k < hn && (idc(h[k]) || h[k] == ':')) {
					if (h[k] == ':')
						last = k + 1;
					k++;
				}
				size_t o = strlen(out);
				if (is_upper(h[last]) && o + (k - last) + 2 < cap) {
					out[o] = '+';
					memcpy(out + o + 1, h + last, k - last);
					out[o + 1 + (k - last)] = 0;
				}
				(void)w;
				k--;
			}
		}
	}
}

/* Rust (resolver 58, cg40): is the type variable definition nd (a parameter or a `let`) is
 * written with - declared, `l: HashMap<K, Vec<V>>`, or constructed through a turbofish path,
 * `HashMap::<K, Vec<V>, S>::with_hasher(..)` - generic over type parameters only: every
 * capitalised name among its arguments a type parameter of the enclosing function (header
 * fh[0, fhn)) or impl (ih[0, ihn)), or a type written with arguments of its own (`Vec<V>`)?
 * Then whatever its methods give is a library's value or a type parameter's, never a type of
 * the repository but through a bound: the parameters' trait bounds are appended to bounds
 * ("+Hash+Eq+BuildHasher"; rev.c checks that none is the repository's). 0 when no argument
 * list shows (`HashMap::new()`). */
static int rust_tparam_args(const cc_file_graph *g, const cc_node *nd, const char *src,
                            size_t len, const char *fh, size_t fhn, const char *ih, size_t ihn,
                            char *bounds, size_t bcap)
{
	const char *t, *name = cc_graph_str(g, nd->name);
	size_t n;
	node_span(&t, &n, nd, src, len);
	long at = word_at(t, n, name);
	if (at < 0)
		return 0;
	size_t i = (size_t)at + strlen(name);
	while (i < n && space(t[i]))
		i++;
	if (i + 1 >= n)
		return 0;
	if (t[i] == ':' && t[i + 1] != ':') {
		for (i++; i < n && (space(t[i]) || t[i] == '&'); i++)
			;
		if (i + 4 < n && !memcmp(t + i, "mut", 3) && space(t[i + 3]))
			i += 4;
		while (i < n && (idc(t[i]) || t[i] == ':'))
			i++;
	} else if (t[i] == '=' && t[i + 1] != '=') {
		for (i++; i < n && space(t[i]); i++)
			;
		while (i < n && (idc(t[i]) || (t[i] == ':' && !(i + 2 < n && t[i + 2] == '<'))))
			i++;
		if (i + 2 >= n || t[i] != ':' || t[i + 1] != ':')
			return 0;
		i += 2;
	} else
		return 0;
	if (i >= n || t[i] != '<')
		return 0;
	size_t e = skip_generics(t, n, i);
	if (e > n || e <= i + 1)
		return 0;
	for (size_t k = i + 1; k < e - 1;) {
		if (t[k] == '\'') { /* a lifetime */
			for (k++; k < e && idc(t[k]); k++)
				;
			continue;
		}
		if (!idc(t[k])) {
			k++;
			continue;
		}
		size_t w = k;
		while (k < e && idc(t[k]))
			k++;
		if (k - w == 1 && t[w] == '_')
			return 0; /* inferred: not known */
		if (!is_upper(t[w]))
			continue; /* a primitive, `dyn`, `mut` */
		size_t q = k;
		while (q < e && space(t[q]))
			q++;
		if (q < e && (t[q] == '<' || t[q] == ':'))
			continue; /* a type with its own arguments (checked on), a path's segment */
		if (!rust_tparam_in(fh, fhn, t + w, k - w) && !(ih && rust_tparam_in(ih, ihn, t + w, k - w)))
			return 0;
		rust_bounds_of(bounds, bcap, fh, fhn, t + w, k - w);
		if (ih)
			rust_bounds_of(bounds, bcap, ih, ihn, t + w, k - w);
	}
	return 1;
}

/* Rust (resolver 58, cg40): the header of the innermost `impl` block around byte at of src
 * (from `impl` up to its `{`), into *h / *hn; 0 when at is in none. One scan back from at. */
static int rust_impl_header(const char **h, size_t *hn, const char *src, size_t len, size_t at)
{
	/* the blocks open at at, innermost first: a '{' no '}' after it closes before at */
	int d = 0;
	if (at > len)
		return 0;
	for (size_t o = at; o-- > 0;) {
		if (src[o] == '}') {
			d++;
			continue;
		}
		if (src[o] != '{')
			continue;
		if (d) {
			d--;
			continue;
		}
		/* its header: back to the statement's start (`;`, `{`, `}`), 1024 bytes at most */
		size_t b = o;
		while (b > 0 && o - b < 1024 && src[b - 1] != ';' && src[b - 1] != '{' &&
		       src[b - 1] != '}')
			b--;
		/* its first word, past spaces, `//` lines, attributes and `unsafe`: `impl` */
		size_t p = b;
		for (;;) {
			while (p < o && space(src[p]))
				p++;
			if (p + 1 < o && src[p] == '/' && src[p + 1] == '/') {
				while (p < o && src[p] != '\n')
					p++;
				continue;
			}
			if (p + 1 < o && src[p] == '#' && src[p + 1] == '[') {
				while (p < o && src[p] != ']')
					p++;
				p++;
				continue;
			}
			if (p + 6 < o && !memcmp(src + p, "unsafe", 6) && space(src[p + 6])) {
				p += 6;
				continue;
			}
			break;
		}
		if (p + 4 <= o && !memcmp(src + p, "impl", 4) && !idc(src[p + 4])) {
			*h = src + p;
			*hn = o - p;
			return 1;
		}
	}
	return 0;
}

/* Rust (resolver 58, cg40): a chain rooted at a variable whose type is generic over type
 * parameters only (rust_tparam_args; itertools' `lookup.entry(key).or_default()` of
 * `HashMap::<K, Vec<V>, S>::with_hasher(..)`): each chained call's "^j" gets "!" and the
 * parameters' bounds, "^j!+Hash+Eq" (rev.c
 * chain_type: a call of the chain that reaches no definition of the repository gives a
 * library's value, so `or_default` is not the repository's EitherOrBoth::or_default). */
static int rust_lib_chains(cc_call_info *out, const cc_file_graph *g, const char *src,
                           size_t len, const var_def *v, size_t nv)
{
	for (uint32_t k = 0; k < g->n_nodes; k++) {
		if (g->nodes[k].kind != CC_NODE_CALL || !out[k].rtype || out[k].rtype[0] != '^' ||
		    (out[k].flags & CC_CALL_RECV_FIELD))
			continue;
		uint32_t j = k;
		int hops = 0;
		while (out[j].rtype && out[j].rtype[0] == '^' && hops++ < 16) {
			char *end;
			unsigned long x = strtoul(out[j].rtype + 1, &end, 10);
			if (end == out[j].rtype + 1 || (*end && *end != '?') || x >= g->n_nodes ||
			    x <= j)
				break;
			j = (uint32_t)x;
		}
		const cc_node *c = &g->nodes[j];
		if (j == k || c->kind != CC_NODE_CALL || !(out[j].flags & CC_CALL_RECV_LOCAL) ||
		    !plain_ident(cc_graph_str(g, c->qual)) || c->method < 0)
			continue;
		const cc_node *def = NULL;
		for (int32_t m = c->method; m >= 0 && !def; m = g->nodes[m].method) {
			size_t lo = var_find(v, nv, m, c->qual);
			for (size_t i = lo; i < nv && v[i].method == m && v[i].name == c->qual; i++)
				if (v[i].node < j)
					def = &g->nodes[v[i].node];
		}
		if (!def || def->method < 0)
			continue;
		const cc_node *fn = &g->nodes[def->method];
		if (fn->start_byte >= len)
			continue;
		size_t fhn = 0, fe = fn->end_byte < len ? fn->end_byte : len;
		while (fn->start_byte + fhn < fe && src[fn->start_byte + fhn] != '{')
			fhn++;
		const char *ih = NULL;
		size_t ihn = 0;
		rust_impl_header(&ih, &ihn, src, len, fn->start_byte);
		char bounds[256] = "!";
		if (!rust_tparam_args(g, def, src, len, src + fn->start_byte, fhn, ih, ihn, bounds,
		                      sizeof(bounds)))
			continue;
		size_t rl = strlen(out[k].rtype), bl = strlen(bounds);
		char *nr = realloc(out[k].rtype, rl + bl + 1);
		if (!nr)
			return -1;
		memcpy(nr + rl, bounds, bl + 1);
		out[k].rtype = nr;
	}
	return 0;
}

size_t cc_require_imports(cc_require *out, size_t cap, const cc_file_graph *g, const char *src,
                          size_t len)
{
	size_t n = 0;
	if (!src || (g->lang != CC_LANG_JAVASCRIPT && g->lang != CC_LANG_TYPESCRIPT &&
	             g->lang != CC_LANG_TSX))
		return 0;
	for (uint32_t k = 0; k + 1 < g->n_nodes; k++) {
		const cc_node *a = &g->nodes[k];
		if (a->kind != CC_NODE_ASSIGNMENT || !a->name || !plain_ident(cc_graph_str(g, a->name)))
			continue;
		/* the value is require("...") itself: the call is the assignment's first call and
		 * its literal the call's first literal */
		for (uint32_t c = k + 1; c < g->n_nodes && g->nodes[c].start_byte < a->end_byte; c++) {
			const cc_node *cn = &g->nodes[c];
			if (cn->kind != CC_NODE_CALL)
				continue;
			if (strcmp(cc_graph_str(g, cn->name), "require") || cn->qual)
				break;
			uint32_t s = cn->start_byte + 7, e = cn->end_byte <= len ? cn->end_byte : (uint32_t)len;
			while (s < e && (src[s] == '(' || src[s] == ' '))
				s++;
			if (s >= e || (src[s] != '\'' && src[s] != '"' && src[s] != '`'))
				break;
			char q = src[s++];
			uint32_t t = s;
			while (t < e && src[t] != q && src[t] != '\n')
				t++;
			if (t >= e || src[t] != q || t - s >= sizeof(out[0].module))
				break;
			if (n < cap) {
				out[n].name = a->name;
				memcpy(out[n].module, src + s, t - s);
				out[n].module[t - s] = 0;
			}
			n++;
			break;
		}
	}
	/* (cg42) `module.exports = { ...require('./fs'), copy: u(require('./copy')), copySync:
	 * require('./copy-sync') }` (node-fs-extra's index files): re-exports. A spread is
	 * `export * from`; a property whose value is a require, or one call of a require
	 * (universalify's u(..) wrapping the function), names the module's function of the
	 * property's name, as `export { p } from` */
	for (uint32_t k = 0; k < g->n_nodes; k++) {
		const cc_node *a = &g->nodes[k];
		if (a->kind != CC_NODE_ASSIGNMENT || !a->name ||
		    strcmp(cc_graph_str(g, a->name), "module.exports") || a->end_byte > len)
			continue;
		size_t i = a->start_byte, e = a->end_byte;
		while (i < e && src[i] != '=')
			i++;
		for (i++; i < e && space(src[i]); i++)
			;
		if (i >= e || src[i] != '{')
			continue;
		int d = 0;
		size_t seg = i + 1;
		for (size_t j = i; j < e; j++) {
			char c = src[j];
			if (c == '\'' || c == '"' || c == '`') {
				for (j++; j < e && src[j] != c; j++)
					j += src[j] == '\\';
				continue;
			}
			if (c == '/' && j + 1 < e && src[j + 1] == '/') {
				while (j < e && src[j] != '\n')
					j++;
				if (d == 1)
					seg = j + 1;
				continue;
			}
			if (c == '{' || c == '(' || c == '[')
				d++;
			else if (c == '}' || c == ')' || c == ']')
				d--;
			if (!(d == 1 && c == ',') && !(d == 0 && c == '}'))
				continue;
			/* one member: seg..j */
			size_t b = seg, z = j;
			seg = j + 1;
			while (b < z && space(src[b]))
				b++;
			char lname[64] = "";
			size_t v = b;
			if (z - b > 3 && !memcmp(src + b, "...", 3)) {
				strcpy(lname, "*");
				v = b + 3;
			} else {
				size_t w = b;
				while (w < z && idc(src[w]))
					w++;
				if (w == b || w - b >= sizeof(lname))
					continue;
				size_t q = w;
				while (q < z && space(src[q]))
					q++;
				if (q >= z || src[q] != ':')
					continue;
				memcpy(lname, src + b, w - b);
				lname[w - b] = 0;
				v = q + 1;
			}
			while (v < z && space(src[v]))
				v++;
			if (lname[0] != '*') { /* `u(require(..))`: one wrapping call */
				size_t w = v;
				while (w < z && (idc(src[w]) || src[w] == '.'))
					w++;
				if (w > v && w < z && src[w] == '(' &&
				    !(w - v == 7 && !memcmp(src + v, "require", 7)))
					v = w + 1;
			}
			while (v < z && space(src[v]))
				v++;
			if (z - v < 10 || memcmp(src + v, "require", 7))
				continue;
			size_t s = v + 7;
			while (s < z && (src[s] == '(' || space(src[s])))
				s++;
			if (s >= z || (src[s] != '\'' && src[s] != '"'))
				continue;
			char q = src[s++];
			size_t t = s;
			while (t < z && src[t] != q)
				t++;
			if (t >= z || t - s >= sizeof(out[0].module))
				continue;
			if (n < cap) {
				out[n].name = 0;
				memcpy(out[n].module, src + s, t - s);
				out[n].module[t - s] = 0;
				strcpy(out[n].lname, lname);
			}
			n++;
		}
	}
	return n;
}

/* ---- class bases ---------------------------------------------------------------------------- */

/* Append the simple name of the type written in t[0, n) to out (comma-separated). */
static void add_base(char *out, size_t cap, const char *t, size_t n)
{
	char name[128];
	while (n && (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')) {
		t++;
		n--;
	}
	/* C++ access and virtual specifiers */
	for (int again = 1; again;) {
		again = 0;
		static const char *const spec[] = {"public", "protected", "private", "virtual", NULL};
		for (int i = 0; spec[i]; i++) {
			size_t l = strlen(spec[i]);
			if (n > l && !memcmp(t, spec[i], l) && !idc(t[l])) {
				t += l;
				n -= l;
				while (n && (*t == ' ' || *t == '\t' || *t == '\n')) {
					t++;
					n--;
				}
				again = 1;
			}
		}
	}
	/* keyword arguments of a Python class statement (metaclass=M) are no bases */
	for (size_t k = 0; k < n && idc(t[k]); k++)
		if (k + 1 < n && t[k + 1] == '=')
			return;
	type_name(name, sizeof(name), t, n);
	if (!name[0] || !strcmp(name, "object"))
		return;
	size_t o = strlen(out), l = strlen(name);
	if (o + l + 2 > cap)
		return;
	if (o)
		out[o++] = ',';
	memcpy(out + o, name, l + 1);
}

/* Split t[0, n) at top-level commas (outside <>, (), []) into add_base. */
static void add_bases(char *out, size_t cap, const char *t, size_t n)
{
	int depth = 0;
	size_t s = 0;
	for (size_t i = 0; i <= n; i++) {
		char c = i < n ? t[i] : ',';
		if (c == '<' || c == '(' || c == '[')
			depth++;
		else if ((c == '>' || c == ')' || c == ']') && depth > 0)
			depth--;
		else if (c == ',' && !depth) {
			add_base(out, cap, t + s, i - s);
			s = i + 1;
		}
	}
}

/* Is the word w (length wl) at t[i] (a whole identifier)? */
static int kw_at(const char *t, size_t n, size_t i, const char *w)
{
	size_t wl = strlen(w);
	return i + wl <= n && !memcmp(t + i, w, wl) && (i == 0 || !idc(t[i - 1])) &&
	       (i + wl == n || !idc(t[i + wl]));
}

/* Python: a base the file imports under another name (`from .sansio.blueprints import
 * Blueprint as SansioBlueprint`, `class Blueprint(SansioBlueprint)`: flask) is the imported
 * class's own name, so that the hierarchy (by simple names) reaches it; out is the
 * comma-separated list add_base wrote. */
static void py_unalias_bases(char *out, size_t cap, const cc_file_graph *g, const char *src,
                             size_t len)
{
	char res[512];
	size_t o = 0;
	res[0] = 0;
	for (const char *p = out; *p;) {
		size_t bl = strcspn(p, ",");
		const char *use = p;
		size_t ul = bl;
		for (uint32_t k = 0; k < g->n_nodes && bl; k++) {
			const cc_node *im = &g->nodes[k];
			const char *nm = cc_graph_str(g, im->name);
			if (im->kind != CC_NODE_IMPORT || strlen(nm) != bl || memcmp(nm, p, bl) ||
			    im->end_byte > len || im->start_byte >= im->end_byte)
				continue;
			/* the import's text: "Orig as Alias" */
			const char *t = src + im->start_byte, *e = src + im->end_byte;
			const char *w = t;
			while (w < e && idc(*w))
				w++;
			const char *a = w;
			while (a < e && space(*a))
				a++;
			if (w == t || a == w || a + 2 >= e || a[0] != 'a' || a[1] != 's' || !space(a[2]))
				continue;
			for (a += 2; a < e && space(*a); a++)
				;
			if ((size_t)(e - a) != bl || memcmp(a, p, bl))
				continue;
			use = t;
			ul = (size_t)(w - t);
			break;
		}
		if (o + ul + 2 > sizeof(res))
			return; /* too long: keep what add_base wrote */
		if (o)
			res[o++] = ',';
		memcpy(res + o, use, ul);
		o += ul;
		res[o] = 0;
		p += bl;
		if (*p == ',')
			p++;
	}
	if (o < cap)
		memcpy(out, res, o + 1);
}

void cc_class_bases(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                    const char *src, size_t len)
{
	out[0] = 0;
	if (!src || node >= g->n_nodes || cap < 2)
		return;
	const cc_node *nd = &g->nodes[node];
	if (nd->kind != CC_NODE_TYPE_DECL || nd->start_byte >= len)
		return;
	size_t b = nd->start_byte, e = nd->end_byte < len ? nd->end_byte : len;
	const char *t = src + b;
	size_t n = e - b;
	if (n > 4096)
		n = 4096; /* the header is near the start */
	/* the header ends at the body: '{' (Java, C++, JS/TS) or the ':' after the ')' (Python) */
	size_t h = 0;
	int depth = 0;
	for (; h < n; h++) {
		char c = t[h];
		if (c == '(' || c == '<' || c == '[')
			depth++;
		else if ((c == ')' || c == '>' || c == ']') && depth > 0)
			depth--;
		else if (c == '{' && !depth)
			break;
		else if (g->lang == CC_LANG_PYTHON && c == ':' && !depth)
			break;
		else if (c == ';' && !depth)
			return; /* a declaration without a body */
	}
	switch (g->lang) {
	case CC_LANG_PYTHON: {
		/* class Name(Base, pkg.Other, metaclass=M): */
		const char *lp = memchr(t, '(', h);
		if (!lp)
			return;
		size_t i = (size_t)(lp - t) + 1, k = i;
		int d = 1;
		for (; k < h && d; k++) {
			d += t[k] == '(' || t[k] == '[';
			d -= t[k] == ')' || t[k] == ']';
		}
		if (k > i)
			add_bases(out, cap, t + i, k - i - 1);
		py_unalias_bases(out, cap, g, src, len);
		return;
	}
	case CC_LANG_JAVA:
	case CC_LANG_JAVASCRIPT:
	case CC_LANG_TYPESCRIPT:
	case CC_LANG_TSX:
		/* class Name<T> extends Base<T> implements I, J {  /  interface I extends J, K {
		 * (cg31: the keywords outside <>: `class Nodes<T extends Node> extends
		 * ArrayList<T>` derives from ArrayList, not from its parameter's bound Node) */
		for (size_t i = 0, d = 0; i < h; i++) {
			if (t[i] == '<' || (t[i] == '>' && d)) {
				d += t[i] == '<' ? 1 : (size_t)-1;
				continue;
			}
			if (!d && (kw_at(t, h, i, "extends") || kw_at(t, h, i, "implements"))) {
				size_t s = i + (t[i] == 'e' ? 7 : 10), k = s, kd = 0;
				while (k < h && (kd || (!kw_at(t, h, k, "implements") &&
				                        !kw_at(t, h, k, "extends")))) {
					if (t[k] == '<' || (t[k] == '>' && kd))
						kd += t[k] == '<' ? 1 : (size_t)-1;
					k++;
				}
				add_bases(out, cap, t + s, k - s);
				i = k - 1;
			}
		}
		return;
	case CC_LANG_CPP: {
		/* class Name final : public Base<T>, private Other {  (a ':' outside <> and not ::) */
		for (size_t i = 0; i < h; i++) {
			if (t[i] == '<') {
				int d = 1;
				for (i++; i < h && d; i++)
					d += (t[i] == '<') - (t[i] == '>');
				i--;
				continue;
			}
			if (t[i] == ':' && (i + 1 >= h || t[i + 1] != ':') && (i == 0 || t[i - 1] != ':')) {
				add_bases(out, cap, t + i + 1, h - i - 1);
				return;
			}
		}
		return;
	}
	case CC_LANG_RUST: {
		/* impl<T> Trait<X> for Type<T> {: the trait is a base of the type */
		size_t i = 0;
		while (i < h && !kw_at(t, h, i, "impl"))
			i++;
		if (i >= h)
			return;
		i += 4;
		while (i < h && space(t[i]))
			i++;
		if (i < h && t[i] == '<') { /* the impl's generic parameters */
			int d = 0;
			for (; i < h; i++) {
				d += t[i] == '<';
				d -= t[i] == '>' && t[i - 1] != '-';
				if (!d) {
					i++;
					break;
				}
			}
		}
		int d = 0;
		for (size_t k = i; k < h; k++) {
			d += t[k] == '<' || t[k] == '(';
			d -= (t[k] == '>' && t[k - 1] != '-') || t[k] == ')';
			if (!d && kw_at(t, h, k, "for")) {
				add_base(out, cap, t + i, k - i);
				return;
			}
		}
		return;
	}
	default:
		return;
	}
}

/* ---- member fields ---------------------------------------------------------------------- */

/* Modifiers and attributes that can stand before a member's type or name. */
static int modifier_word(const char *s, size_t n)
{
	static const char *const w[] = {"public", "private", "protected", "static", "final",
	                                "transient", "volatile", "mutable", "inline", "constexpr",
	                                "readonly", "override", "declare", "abstract", "pub",
	                                "const", "internal", "optional", NULL};
	for (int i = 0; w[i]; i++)
		if (strlen(w[i]) == n && !memcmp(w[i], s, n))
			return 1;
	return 0;
}

/* Skip leading blanks, attributes (#[...], @Annot(...)), access labels ("public:") and
 * modifier words (pub(crate) included). */
static void skip_mods(const char **tp, size_t *np)
{
	const char *t = *tp;
	size_t n = *np;
	for (;;) {
		while (n && space(*t))
			t++, n--;
		if (n >= 2 && t[0] == '#' && t[1] == '[') { /* Rust attribute */
			int d = 0;
			t++, n--;
			while (n) {
				d += *t == '[';
				d -= *t == ']';
				t++, n--;
				if (!d)
					break;
			}
			continue;
		}
		if (n && *t == '@') { /* Java/TS annotation or decorator */
			t++, n--;
			while (n && (idc(*t) || *t == '.'))
				t++, n--;
			if (n && *t == '(') {
				int d = 0;
				while (n) {
					d += *t == '(';
					d -= *t == ')';
					t++, n--;
					if (!d)
						break;
				}
			}
			continue;
		}
		size_t w = 0;
		while (w < n && idc(t[w]))
			w++;
		if (w && modifier_word(t, w)) {
			size_t k = w;
			while (k < n && space(t[k]))
				k++;
			if (k < n && t[k] == ':' && (k + 1 >= n || t[k + 1] != ':')) {
				t += k + 1, n -= k + 1; /* C++ access label */
				continue;
			}
			if (k < n && t[k] == '(' && w == 3) { /* pub(crate) */
				while (k < n && t[k] != ')')
					k++;
				k += k < n;
			}
			t += k, n -= k;
			continue;
		}
		break;
	}
	*tp = t;
	*np = n;
}

/* The type a member or variable is declared with, reduced like type_name, except that a
 * smart pointer or box (unique_ptr<T>, shared_ptr<T>, Box<T>, Arc<T>, Rc<T>) gives "*T": a
 * method called through it is T's (operator-> / auto-deref) unless it is the wrapper's own. */
static void member_type(char *out, size_t cap, const char *t, size_t n)
{
	static const char *const wrap[] = {"unique_ptr", "shared_ptr", "Box", "Arc", "Rc", NULL};
	size_t i = 0;
	out[0] = 0;
	while (i < n && (space(t[i]) || t[i] == '&' || t[i] == '*'))
		i++;
	size_t s = i, last = i;
	while (i < n && (idc(t[i]) || t[i] == ':' || t[i] == '.')) {
		if (t[i] == ':' || t[i] == '.')
			last = i + 1;
		i++;
	}
	if (i < n && t[i] == '<' && cap > 2) {
		for (int k = 0; wrap[k]; k++) {
			size_t wl = strlen(wrap[k]);
			if (i - last == wl && !memcmp(t + last, wrap[k], wl)) {
				size_t e = i + 1;
				int d = 1;
				for (; e < n && d; e++) {
					d += t[e] == '<';
					d -= t[e] == '>' && t[e - 1] != '-';
				}
				member_type(out + 1, cap - 1, t + i + 1, e - i - 2 < n ? e - i - 2 : 0);
				if (out[1] && out[1] != '*')
					out[0] = '*';
				else
					out[0] = 0;
				return;
			}
		}
	}
	(void)s;
	type_name(out, cap, t, n);
}

/* Append "name:type" to out (comma-separated) when both show and it fits. */
static void add_field(char *out, size_t cap, const char *name, size_t nl, const char *type)
{
	size_t o = strlen(out), tl = strlen(type);
	if (!nl || !tl || !idc(*name) || (*name >= '0' && *name <= '9') || o + nl + tl + 3 > cap)
		return;
	for (size_t i = 0; i < nl; i++)
		if (!idc(name[i]))
			return;
	if (o)
		out[o++] = ',';
	memcpy(out + o, name, nl);
	o += nl;
	out[o++] = ':';
	memcpy(out + o, type, tl + 1);
}

/* One member declaration of a class body, t[0, n) without its terminator. */
static void field_decl(char *out, size_t cap, char *bases, size_t bcap,
                       const cc_file_graph *g, cc_lang lang, const char *t, size_t n,
                       const char *src, size_t len)
{
	char ty[128];
	skip_mods(&t, &n);
	while (n && space(t[n - 1]))
		n--;
	if (!n)
		return;
	/* words that start no data member */
	static const char *const no[] = {"typedef", "using", "friend", "return", "static_assert",
	                                 "template", "enum", "class", "struct", "union", "fn",
	                                 "type", "interface", "operator", "func", "get", "set",
	                                 "async", "constructor", "impl", "virtual", "explicit",
	                                 NULL};
	for (int i = 0; no[i]; i++)
		if (kw_at(t, n, 0, no[i]))
			return;
	if ((lang == CC_LANG_TYPESCRIPT || lang == CC_LANG_TSX) && t[0] == '(') {
		/* an interface's call signature `(event: E, x: T): R` (ts20): "(0):E,(1):T" */
		size_t qs[16][2], qc, nq = ts_list_parts(qs, 16, t, 0, n, &qc);
		for (size_t j = 0; j < nq; j++) {
			size_t qa = qs[j][0], qb = qs[j][1], col = ts_colon(t, qa, qb);
			int alt;
			if (t[qa] == '.' || col >= qb)
				continue;
			size_t te = ts_type_end(t, col + 1, qb, &alt), o = strlen(out);
			type_name(ty, sizeof(ty), t + col + 1, te - col - 1);
			if (alt || !ty[0])
				continue;
			int w = snprintf(out + o, cap - o, "%s(%zu):%s", o ? "," : "", j, ty);
			if (w < 0 || (size_t)w >= cap - o)
				out[o] = 0;
		}
		return;
	}
	switch (lang) {
	case CC_LANG_RUST:
	case CC_LANG_TYPESCRIPT:
	case CC_LANG_TSX:
	case CC_LANG_JAVASCRIPT: {
		/* name[?!]: Type [= value]  /  name = new Foo(...) (JS/TS class fields) */
		size_t w = 0;
		while (w < n && idc(t[w]))
			w++;
		size_t k = w;
		while (k < n && (t[k] == '?' || t[k] == '!' || space(t[k])))
			k++;
		if (!w || k >= n)
			return;
		if (t[k] == ':' && (k + 1 >= n || t[k + 1] != ':')) {
			size_t e = k + 1;
			int d = 0;
			for (; e < n; e++) {
				d += t[e] == '<' || t[e] == '(' || t[e] == '[' || t[e] == '{';
				d -= (t[e] == '>' && t[e - 1] != '=' && t[e - 1] != '-') || t[e] == ')' ||
				     t[e] == ']' || t[e] == '}';
				if (!d && t[e] == '=' && (e + 1 >= n || t[e + 1] != '>'))
					break;
			}
			member_type(ty, sizeof(ty), t + k + 1, e - k - 1);
			if (lang == CC_LANG_RUST)
				rust_lib_shape(ty, sizeof(ty), t + k + 1, e - k - 1);
			/* (cg42) a named field's type through a module the file takes from the standard
			 * library (`iter: vec::IntoIter<T>` with `use alloc::vec;`, `slice::IterMut`) is
			 * the library's, not the crate's type of that last name (indexmap's own IntoIter,
			 * IterMut): as a tuple field's (rust_qualified_field) */
			if (lang == CC_LANG_RUST && src && ty[0]) {
				/* only that: another crate's path (`ignore::DirEntry`, a workspace
				 * crate of ripgrep's) keeps the type it had */
				char kept[sizeof(ty)];
				memcpy(kept, ty, sizeof(ty));
				rust_qualified_field(ty, sizeof(ty), src, len, t + k + 1, e - k - 1);
				if (!ty[0])
					memcpy(ty, kept, sizeof(ty));
			}
			/* TS: a property declared with a function type (`onRequest?: (e: E) => R`):
			 * "()", a value called, no method of the class */
			size_t a = k + 1, pc;
			while (a < e && space(t[a]))
				a++;
			if (lang != CC_LANG_RUST && a < e && t[a] == '(') {
				size_t parts[1][2];
				ts_list_parts(parts, 1, t, a, e, &pc);
				for (pc++; pc < e && space(t[pc]); pc++)
					;
				if (pc + 1 < e && t[pc] == '=' && t[pc + 1] == '>') {
					add_field(out, cap, t, w, "()");
					return;
				}
			}
		} else if (t[k] == '=' && lang != CC_LANG_RUST) {
			/* = new Foo(...) */
			size_t v = k + 1;
			while (v < n && space(t[v]))
				v++;
			if (!kw_at(t, n, v, "new"))
				return;
			v += 3;
			size_t e = v;
			while (e < n && t[e] != '(' && t[e] != '<')
				e++;
			type_name(ty, sizeof(ty), t + v, e - v);
		} else {
			return;
		}
		if (ty[0] && ty[0] != '*' && !is_upper(ty[0]) && lang != CC_LANG_RUST)
			return; /* string, number, ...: no class */
		add_field(out, cap, t, w, ty);
		return;
	}
	case CC_LANG_GO: {
		/* "name Type", "a, b Type", an embedded "Type" / "*pkg.Type" (a base) */
		size_t e = n;
		const char *tick = memchr(t, '`', n);
		if (tick)
			e = (size_t)(tick - t);
		while (e && space(t[e - 1]))
			e--;
		size_t w = 0;
		while (w < e && (idc(t[w]) || t[w] == '*' || t[w] == '.'))
			w++;
		if (w == e) { /* embedded */
			type_name(ty, sizeof(ty), t, e);
			/* `http.Handler` embedded in an interface or struct is the standard
			 * library's ("!Handler"), never a repository type named Handler */
			go_std_qualified(ty, sizeof(ty), g, t, e);
			/* `*httptest.ResponseRecorder`: a library struct by pointer ("!*T"), which
			 * makes the struct no wrapper of an interface (resolver 32) */
			size_t st = 0;
			while (st < e && space(t[st]))
				st++;
			if (ty[0] == '!' && st < e && t[st] == '*' && strlen(ty) + 2 <= sizeof(ty)) {
				memmove(ty + 2, ty + 1, strlen(ty));
				ty[1] = '*';
			}
			if (ty[0] && bases) {
				size_t o = strlen(bases), l = strlen(ty);
				if (o + l + 2 <= bcap) {
					if (o)
						bases[o++] = ',';
					memcpy(bases + o, ty, l + 1);
				}
			}
			return;
		}
		/* names, then the type */
		size_t p = 0;
		size_t names[16][2];
		int nn = 0;
		for (;;) {
			size_t s = p;
			while (p < e && idc(t[p]))
				p++;
			if (p == s || nn == 16)
				return;
			names[nn][0] = s;
			names[nn++][1] = p - s;
			while (p < e && space(t[p]))
				p++;
			if (p < e && t[p] == ',') {
				p++;
				while (p < e && space(t[p]))
					p++;
				continue;
			}
			break;
		}
		if (p >= e || t[p] == '(' || t[p] == '[' || !memcmp(t + p, "func", p + 4 <= e ? 4 : 0))
			return;
		type_name(ty, sizeof(ty), t + p, e - p);
		go_std_qualified(ty, sizeof(ty), g, t + p, e - p); /* `h http.Handler` (gopy20) */
		for (int i = 0; i < nn; i++)
			add_field(out, cap, t + names[i][0], names[i][1], ty);
		return;
	}
	case CC_LANG_JAVA:
	case CC_LANG_CPP: {
		/* Type [*&]name [= value | {init} | [N]] */
		size_t e = n;
		int d = 0;
		for (size_t i = 0; i < n; i++) {
			d += t[i] == '<';
			d -= t[i] == '>';
			if (t[i] == '(' && d <= 0)
				return; /* a method or a function pointer */
			if ((t[i] == '=' || t[i] == '{' || t[i] == '[' || t[i] == ':') && d <= 0) {
				if (t[i] == ':' && i + 1 < n && t[i + 1] == ':') {
					i++;
					continue;
				}
				if (t[i] == ':' && i && t[i - 1] == ':')
					continue;
				e = i;
				break;
			}
			if (t[i] == ',' && d <= 0)
				return; /* several declarators */
		}
		while (e && space(t[e - 1]))
			e--;
		size_t ne = e;
		while (e && idc(t[e - 1]))
			e--;
		if (e == ne || !e)
			return;
		size_t ts = e;
		while (ts && (space(t[ts - 1]) || t[ts - 1] == '*' || t[ts - 1] == '&'))
			ts--;
		if (!ts)
			return;
		member_type(ty, sizeof(ty), t, ts);
		if (!ty[0] || (!is_upper(ty[0]) && ty[0] != '*' && ty[0] != '_' &&
		               !memchr(t, ':', ts) && lang == CC_LANG_JAVA))
			return;
		if (lang == CC_LANG_CPP)
			cpp_qualify(ty, sizeof(ty), t, ts);
		add_field(out, cap, t + e, ne - e, ty);
		return;
	}
	default:
		return;
	}
}

/* Rust: end of the generic list `<...>` that starts at t[i] == '<' (the index after '>'). */
static size_t skip_generics(const char *t, size_t n, size_t i)
{
	int d = 0;
	for (; i < n; i++) {
		d += t[i] == '<';
		d -= t[i] == '>' && i && t[i - 1] != '-';
		if (!d)
			return i + 1;
	}
	return n;
}

/* The self type of a Rust impl header t[0..h) (`impl<..> Trait for Self<..> where ..` or
 * `impl<..> Self<..>`): [*b, *e) spans its last path segment's name (`Bar` of `a::Bar<T>`);
 * amp: a leading `&` is skipped too. */
static void rust_impl_self(const char *t, size_t h, int amp, size_t *b, size_t *e)
{
	size_t k = 4;
	while (k < h && space(t[k]))
		k++;
	if (k < h && t[k] == '<')
		k = skip_generics(t, h, k);
	/* the self type: after `for` at depth 0 when a trait is implemented */
	size_t self = k;
	int d = 0;
	for (size_t j = k; j < h; j++) {
		d += t[j] == '<' || t[j] == '(';
		d -= (t[j] == '>' && t[j - 1] != '-') || t[j] == ')';
		if (!d && kw_at(t, h, j, "for")) {
			self = j + 3;
			break;
		}
		if (!d && kw_at(t, h, j, "where"))
			break;
	}
	while (self < h && (space(t[self]) || (amp && t[self] == '&')))
		self++;
	size_t x = self, last = self;
	while (x < h && (idc(t[x]) || t[x] == ':')) {
		if (t[x] == ':')
			last = x + 1;
		x++;
	}
	*b = last;
	*e = x;
}

/* Rust: the trait bound of generic parameter buf of struct `name` (nl bytes) from an impl
 * header of that struct in src (`impl<'s, M: Matcher, S: Sink> Core<'s, M, S>`, `impl<M>
 * Trait for Core<M> where M: Matcher`); replaces buf and returns 1 when one shows. Parameters
 * are matched by name: an impl that renames them is not read. */
static int impl_bound(char *buf, size_t cap, const char *name, size_t nl, const char *src,
                      size_t len)
{
	for (const char *p = src; (p = memmem(p, (size_t)(src + len - p), "impl", 4)) != NULL;
	     p += 4) {
		size_t i = (size_t)(p - src);
		if ((i && idc(src[i - 1])) || i + 4 >= len || idc(src[i + 4]))
			continue;
		const char *t = p;
		size_t n = len - i, h = 4;
		while (h < n && t[h] != '{' && t[h] != ';')
			h++;
		size_t last, e;
		rust_impl_self(t, h, 1, &last, &e);
		if (e - last == nl && !memcmp(t + last, name, nl) && bound_in(buf, cap, t, h))
			return 1;
	}
	return 0;
}

/* Rust (resolver 58, cg40): the type of `self.idx` in an impl of a tuple struct declared in the
 * file (at: the call's byte): the field's declared type (rust_tuple_field), or, for a field
 * written with a type parameter of the struct (`struct Intersperse<I>(I)`, `(I::Item)`), that
 * parameter's first trait bound from the struct's header or an impl of it (`impl<I: Clone>`),
 * else the parameter's own name: a type no definition has, so `self.0.clone()` reaches the
 * repository only through a bound trait of its own (as a parameter typed `T: Bound` does).
 * "" when the impl or the struct does not show. */
static int rust_impl_header(const char **h, size_t *hn, const char *src, size_t len, size_t at);
static void rust_self_tuple(char *out, size_t cap, const char *src, size_t len, size_t at,
                            int idx)
{
	out[0] = 0;
	/* the impl block around at */
	size_t sb = 0, sl = 0;
	const char *t;
	size_t h;
	if (rust_impl_header(&t, &h, src, len, at)) {
		size_t last, e;
		rust_impl_self(t, h, 0, &last, &e);
		sb = (size_t)(t - src) + last;
		sl = e - last;
	}
	if (!sl || !is_upper(src[sb]))
		return;
	rust_tuple_field(out, cap, src, len, src + sb, sl, idx);
	if (out[0])
		return;
	/* a type parameter of the struct: `struct S<..>(..)` in the file */
	for (const char *p = src; (p = memmem(p, (size_t)(src + len - p), "struct", 6)) != NULL;
	     p += 6) {
		size_t i = (size_t)(p - src), q = i + 6;
		if ((i && idc(src[i - 1])) || q >= len || !space(src[q]))
			continue;
		while (q < len && space(src[q]))
			q++;
		if (q + sl >= len || memcmp(src + q, src + sb, sl) || idc(src[q + sl]))
			continue;
		q += sl;
		if (src[q] != '<')
			return;
		size_t gb = q, ge = skip_generics(src, len, q);
		if (ge >= len || src[ge] != '(')
			return;
		/* field idx: its text at depth 1 */
		size_t f = ge + 1, fb = f;
		int d = 0, k = 0;
		for (; f < len; f++) {
			char c = src[f];
			if (!d && (c == ',' || c == ')')) {
				if (k == idx)
					break;
				if (c == ')')
					return;
				k++;
				fb = f + 1;
				continue;
			}
			d += c == '(' || c == '[' || c == '<';
			d -= c == ')' || c == ']' || (c == '>' && src[f - 1] != '-');
		}
		if (f >= len)
			return;
		while (fb < f && space(src[fb]))
			fb++;
		if (f - fb > 4 && !memcmp(src + fb, "pub", 3) && !idc(src[fb + 3])) {
			fb += 3;
			if (fb < f && src[fb] == '(')
				while (fb < f && src[fb++] != ')')
					;
			while (fb < f && space(src[fb]))
				fb++;
		}
		size_t pe = fb;
		while (pe < f && idc(src[pe]))
			pe++;
		if (pe == fb || pe - fb >= cap || pe - fb >= 64)
			return;
		/* the field's first name must be one of the struct's parameters */
		int param = 0;
		for (size_t r = gb + 1; r + (pe - fb) < ge && !param; r++)
			param = !memcmp(src + r, src + fb, pe - fb) && !idc(src[r + (pe - fb)]) &&
			        (src[r - 1] == '<' || src[r - 1] == ',' || space(src[r - 1]));
		if (!param)
			return;
		char ty[64];
		memcpy(ty, src + fb, pe - fb);
		ty[pe - fb] = 0;
		if (!bound_in(ty, sizeof(ty), src + i, ge - i))
			impl_bound(ty, sizeof(ty), src + sb, sl, src, len);
		snprintf(out, cap, "%s", ty);
		return;
	}
}

/* Rust: a field typed by a generic parameter of its struct (`matcher: M` in `struct Core<'s,
 * M: 's, S>`) is typed by that parameter's first trait bound, from the struct's header t[0, h)
 * or an impl of the struct in the same file; fields rewrites out's "name:type" list in place.
 * A parameter without a bound keeps its name (a type no definition has). */
static void rust_field_bounds(char *out, size_t cap, const char *t, size_t h, const char *src,
                              size_t len)
{
	size_t i = 0;
	while (i < h && !kw_at(t, h, i, "struct"))
		i++;
	if (i >= h)
		return;
	for (i += 6; i < h && space(t[i]); i++)
		;
	size_t ns = i;
	while (i < h && idc(t[i]))
		i++;
	size_t nl = i - ns;
	if (!nl || i >= h || t[i] != '<')
		return;
	size_t ge = skip_generics(t, h, i);
	char res[1024];
	size_t o = 0;
	res[0] = 0;
	for (const char *f = out; *f;) {
		const char *comma = strchr(f, ','), *colon = strchr(f, ':');
		size_t fl = comma ? (size_t)(comma - f) : strlen(f);
		char ty[128];
		ty[0] = 0;
		if (colon && colon < f + fl && (size_t)(f + fl - colon - 1) < sizeof(ty)) {
			memcpy(ty, colon + 1, (size_t)(f + fl - colon - 1));
			ty[f + fl - colon - 1] = 0;
		}
		/* a generic parameter of the struct: its name stands in the list at depth 1 */
		size_t tl = strlen(ty);
		int param = 0;
		for (size_t j = i + 1; tl && j + tl < ge; j++)
			if (!memcmp(t + j, ty, tl) && !idc(t[j - 1]) && t[j - 1] != '\'' &&
			    !idc(t[j + tl]) && (t[j - 1] == '<' || t[j - 1] == ',' || space(t[j - 1])))
				param = 1;
		if (param && !bound_in(ty, sizeof(ty), t, h))
			impl_bound(ty, sizeof(ty), t + ns, nl, src, len);
		size_t kl = colon && colon < f + fl ? (size_t)(colon - f) : fl;
		int w = snprintf(res + o, sizeof(res) - o, "%s%.*s:%s", o ? "," : "", (int)kl, f, ty);
		if (w < 0 || (size_t)w >= sizeof(res) - o)
			return; /* too long: keep the list as written */
		o += (size_t)w;
		f += fl + (comma != NULL);
	}
	if (o < cap)
		memcpy(out, res, o + 1);
}

/* TS: a member declared with an inline object type, t[0, n) from its first word through the
 * type's closing '}' (`readonly res: { status?: number; readonly headers: Headers }`): that
 * type's own members as "res.status:..,res.headers:Headers" (one level; rev.c follows
 * `event.res.headers` through them; ts20). */
static void ts_inline_members(char *out, size_t cap, const cc_file_graph *g, cc_lang lang,
                              const char *t, size_t n)
{
	char tmp[1024], bb[64];
	skip_mods(&t, &n);
	size_t w = 0;
	while (w < n && idc(t[w]))
		w++;
	size_t k = w;
	while (k < n && (t[k] == '?' || space(t[k])))
		k++;
	if (!w || w > 64 || k >= n || t[k] != ':' || (t[0] >= '0' && t[0] <= '9'))
		return;
	for (k++; k < n && space(t[k]); k++)
		;
	if (k >= n || t[k] != '{' || t[n - 1] != '}')
		return;
	/* the inner members: split at ';', ',' and newlines outside brackets */
	tmp[0] = 0;
	size_t s = k + 1;
	int d = 0;
	for (size_t i = k + 1; i < n; i++) {
		char c = t[i];
		if (c == '(' || c == '[' || c == '{' || c == '<')
			d++;
		else if ((c == ')' || c == ']' || c == '}' || (c == '>' && t[i - 1] != '=')) && d > 0)
			d--;
		else if (!d && (c == ';' || c == ',' || c == '\n' || i == n - 1)) {
			if (i > s) {
				bb[0] = 0;
				field_decl(tmp, sizeof(tmp), bb, sizeof(bb), g, lang, t + s, i - s, NULL, 0);
			}
			s = i + 1;
		}
	}
	/* "m:T,.." -> "name.m:T,.." */
	size_t o = strlen(out);
	for (const char *p = tmp; *p;) {
		size_t el = strcspn(p, ",");
		if (o + (o ? 1 : 0) + w + 1 + el + 1 <= cap) {
			if (o)
				out[o++] = ',';
			memcpy(out + o, t, w);
			o += w;
			out[o++] = '.';
			memcpy(out + o, p, el);
			o += el;
			out[o] = 0;
		}
		p += el;
		if (*p == ',')
			p++;
	}
}

void cc_class_fields(char *out, size_t cap, char *bases, size_t bcap, const cc_file_graph *g,
                     uint32_t node, const char *src, size_t len)
{
	out[0] = 0;
	if (!src || node >= g->n_nodes || cap < 2)
		return;
	const cc_node *nd = &g->nodes[node];
	cc_lang lang = g->lang;
	if (nd->kind != CC_NODE_TYPE_DECL || nd->start_byte >= len || lang == CC_LANG_PYTHON ||
	    lang == CC_LANG_C)
		return;
	size_t b = nd->start_byte, e = nd->end_byte < len ? nd->end_byte : len;
	const char *t = src + b;
	size_t n = e - b, h = 0;
	int depth = 0;
	/* the body starts at the header's '{' */
	for (; h < n; h++) {
		char c = t[h];
		if (c == '(' || c == '[')
			depth++;
		else if ((c == ')' || c == ']') && depth > 0)
			depth--;
		else if (c == '{' && !depth)
			break;
		else if (c == ';' && !depth)
			return;
	}
	if (h >= n)
		return;
	/* members: top-level segments of the body. ';' ends one everywhere, ',' in Rust, a
	 * newline in Go and (outside brackets) in TS/JS; a nested block ends a method or a
	 * nested type, which is dropped, unless ';' follows (C++ `Foo x{1};`) */
	size_t s = h + 1;
	int blk = 0, par = 0;
	for (size_t i = h + 1; i < n; i++) {
		char c = t[i];
		if (c == '"' || c == '\'' || c == '`') { /* strings and chars */
			if (c == '\'' && lang == CC_LANG_RUST)
				continue; /* a lifetime */
			for (i++; i < n && t[i] != c; i++)
				i += t[i] == '\\';
			continue;
		}
		if (c == '/' && i + 1 < n && t[i + 1] == '/') {
			size_t k = i;
			while (k < n && t[k] != '\n')
				k++;
			if (i == s || blk || par) {
				i = k - 1;
				continue;
			}
			field_decl(out, cap, bases, bcap, g, lang, t + s, i - s, src, len);
			s = k;
			i = k - 1;
			continue;
		}
		if (c == '/' && i + 1 < n && t[i + 1] == '*') {
			size_t k = i + 2;
			while (k + 1 < n && !(t[k] == '*' && t[k + 1] == '/'))
				k++;
			if (i == s)
				s = k + 2;
			i = k + 1;
			continue;
		}
		if (c == '(' || c == '[')
			par++;
		else if ((c == ')' || c == ']') && par > 0)
			par--;
		else if (c == '{')
			blk++;
		else if (c == '}') {
			if (!blk) {
				/* the body's end; a Rust struct's last field needs no ',' */
				if (lang == CC_LANG_RUST && !par)
					field_decl(out, cap, bases, bcap, g, lang, t + s, i - s, src, len);
				break;
			}
			if (--blk == 0 && !par) {
				/* a block closed: a method body or nested type unless a terminator follows */
				size_t k = i + 1;
				while (k < n && (t[k] == ' ' || t[k] == '\t'))
					k++;
				if (k < n && (t[k] == ';' || t[k] == ',') &&
				    (lang == CC_LANG_CPP || lang == CC_LANG_RUST || lang == CC_LANG_JAVA))
					continue;
				if (lang == CC_LANG_TYPESCRIPT || lang == CC_LANG_TSX)
					ts_inline_members(out, cap, g, lang, t + s, i + 1 - s);
				s = i + 1;
			}
		} else if (!blk && !par) {
			int end = c == ';' || (c == ',' && lang == CC_LANG_RUST) ||
			          (c == '\n' && (lang == CC_LANG_GO || lang == CC_LANG_TYPESCRIPT ||
			                         lang == CC_LANG_TSX || lang == CC_LANG_JAVASCRIPT));
			if (end) {
				field_decl(out, cap, bases, bcap, g, lang, t + s, i - s, src, len);
				s = i + 1;
			}
		}
	}
	if (lang == CC_LANG_RUST && *out)
		rust_field_bounds(out, cap, t, h, src, len);
}

/* TS parameter properties: `constructor(private readonly svc: Service, public x?: Foo)` of
 * class node declares members svc: Service and x: Foo (a parameter with an accessibility or
 * readonly modifier; decorators such as `@Inject(T)` passed over). */
static void param_props(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                        const char *src, size_t len)
{
	const cc_node *td = &g->nodes[node];
	char ty[128];
	for (uint32_t k = node + 1; k < g->n_nodes && g->nodes[k].start_byte < td->end_byte; k++) {
		const cc_node *m = &g->nodes[k];
		if (m->kind != CC_NODE_METHOD || !m->name ||
		    strcmp(cc_graph_str(g, m->name), "constructor") || m->end_byte > len)
			continue;
		int32_t up = m->parent; /* the nearest type declaration above it is this one */
		while (up >= 0 && (uint32_t)up < g->n_nodes && g->nodes[up].kind != CC_NODE_TYPE_DECL)
			up = g->nodes[up].parent;
		if (up != (int32_t)node)
			continue;
		const char *t = src + m->start_byte;
		size_t n = m->end_byte - m->start_byte, i = 0;
		while (i < n && t[i] != '(')
			i++;
		size_t s = ++i;
		int d = 0;
		for (; i < n; i++) {
			char c = t[i];
			if (c == '(' || c == '<' || c == '[' || c == '{')
				d++;
			else if ((c == ')' || c == '>' || c == ']' || c == '}') && d > 0 &&
			         !(c == '>' && t[i - 1] == '='))
				d--;
			else if (c == ')' || (c == ',' && !d)) {
				/* one parameter t[s, i): modifiers, name, optional '?', ': Type' */
				const char *p = t + s;
				size_t pn = i - s, before = pn;
				skip_mods(&p, &pn);
				int mods = 0;
				for (const char *q = t + s; q < p; q++)
					mods |= (q == t + s || !idc(q[-1])) &&
					        (kw_at(q, (size_t)(p - q), 0, "private") ||
					         kw_at(q, (size_t)(p - q), 0, "public") ||
					         kw_at(q, (size_t)(p - q), 0, "protected") ||
					         kw_at(q, (size_t)(p - q), 0, "readonly"));
				size_t w = 0;
				while (w < pn && idc(p[w]))
					w++;
				size_t c2 = w;
				while (c2 < pn && (space(p[c2]) || p[c2] == '?'))
					c2++;
				if (mods && w && pn < before && c2 < pn && p[c2] == ':') {
					size_t e = c2 + 1;
					while (e < pn && p[e] != '=')
						e++;
					type_name(ty, sizeof(ty), p + c2 + 1, e - c2 - 1);
					if (is_upper(ty[0]))
						add_field(out, cap, p, w, ty);
				}
				if (c == ')')
					break;
				s = i + 1;
			}
		}
		return;
	}
}

void cc_self_fields(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                    const char *src, size_t len)
{
	if (!src || node >= g->n_nodes || g->nodes[node].kind != CC_NODE_TYPE_DECL)
		return;
	cc_lang lang = g->lang;
	const char *self = lang == CC_LANG_PYTHON ? "self." : "this.";
	if (lang != CC_LANG_PYTHON && lang != CC_LANG_JAVASCRIPT && lang != CC_LANG_TYPESCRIPT &&
	    lang != CC_LANG_TSX)
		return;
	const cc_node *td = &g->nodes[node];
	char ty[128];
	if (lang == CC_LANG_TYPESCRIPT || lang == CC_LANG_TSX)
		param_props(out, cap, g, node, src, len);
	for (uint32_t k = node + 1; k < g->n_nodes && g->nodes[k].start_byte < td->end_byte; k++) {
		const cc_node *a = &g->nodes[k];
		if (a->kind != CC_NODE_ASSIGNMENT || a->method < 0 || a->end_byte > len)
			continue;
		/* the nearest type declaration above it is this one */
		int32_t p = a->parent;
		while (p >= 0 && (uint32_t)p < g->n_nodes && g->nodes[p].kind != CC_NODE_TYPE_DECL)
			p = g->nodes[p].parent;
		if (p != (int32_t)node)
			continue;
		const char *t = src + a->start_byte;
		size_t n = a->end_byte - a->start_byte;
		if (n < 7 || memcmp(t, self, 5))
			continue;
		size_t w = 5;
		while (w < n && idc(t[w]))
			w++;
		size_t i = w;
		while (i < n && space(t[i]))
			i++;
		if (w == 5 || i >= n)
			continue;
		ty[0] = 0;
		if (t[i] == ':' && lang == CC_LANG_PYTHON) { /* self.x: Foo = ... */
			size_t e = i + 1;
			while (e < n && t[e] != '=')
				e++;
			type_name(ty, sizeof(ty), t + i + 1, e - i - 1);
			py_builtin_annot(ty, sizeof(ty));
		} else if (t[i] == '=' && (i + 1 >= n || t[i + 1] != '=')) {
			value_type(ty, sizeof(ty), g, k, src, len);
			/* `self.transport = transport` of a parameter with a declared type
			 * (`transport: asyncio.Transport`): the parameter's type */
			size_t v0 = i + 1, v1;
			while (v0 < n && space(t[v0]))
				v0++;
			for (v1 = v0; v1 < n && idc(t[v1]); v1++)
				;
			size_t v2 = v1;
			while (v2 < n && (space(t[v2]) || t[v2] == ';'))
				v2++;
			/* the method's parameters lie between its node and the assignment's */
			for (uint32_t q = (uint32_t)a->method; !ty[0] && v1 > v0 && v2 == n && q < k;
			     q++) {
				const cc_node *pn = &g->nodes[q];
				const char *pnm = pn->name ? cc_graph_str(g, pn->name) : "";
				if (pn->kind == CC_NODE_PARAM && pn->method == a->method &&
				    strlen(pnm) == v1 - v0 && !memcmp(pnm, t + v0, v1 - v0) &&
				    pn->end_byte <= len &&
				    !memchr(src + pn->start_byte, '|', pn->end_byte - pn->start_byte))
					param_type(ty, sizeof(ty), g, pn, src, len); /* not a union */
			}
			if (lang == CC_LANG_PYTHON)
				py_builtin_annot(ty, sizeof(ty));
		}
		/* a class, or a builtin container ("!dict": `self.x: dict[..] = {}`, `self.x = []`) */
		if (!ty[0] || (!is_upper(ty[0]) && ty[0] != '!'))
			continue;
		/* the first assignment of a name decides (later ones are usually None / null) */
		char key[130];
		snprintf(key, sizeof(key), "%.*s:", (int)(w - 5), t + 5);
		int dup = 0;
		for (const char *q = out; (q = strstr(q, key)) != NULL && !dup; q++)
			dup = q == out || q[-1] == ',';
		if (!dup)
			add_field(out, cap, t + 5, w - 5, ty);
	}
}

/* C++/Java: the return type written before a method's name, t[0, at) being the definition's
 * text up to the name: `Foo make()`, `static std::unique_ptr<Foo> Bar::make()` ("*Foo"),
 * `public <T> Foo make()`, `const Foo& get() const`. The name's qualifier (`Bar::`), leading
 * modifiers, `template <...>` and all-caps macros (`FMT_CONSTEXPR`) are passed over; a
 * constructor, `auto` (a trailing `-> T` is not read) or an array type give "". */
static void prefix_return(char *out, size_t cap, const char *t, size_t at)
{
	static const char *const skip[] = {"const", "static", "inline", "virtual", "constexpr",
	                                   "consteval", "explicit", "friend", "extern", "public",
	                                   "private", "protected", "final", "abstract",
	                                   "synchronized", "native", "default", "typename",
	                                   "volatile", "mutable", "override", "strictfp", NULL};
	size_t j = at;
	out[0] = 0;
	/* the qualifier of the name: Bar::, Bar<T>:: */
	while (j >= 2 && t[j - 1] == ':' && t[j - 2] == ':') {
		j -= 2;
		if (j > 0 && t[j - 1] == '>')
			j = back_over_angles(t, j);
		while (j > 0 && idc(t[j - 1]))
			j--;
	}
	for (;;) {
		while (j > 0 && (space(t[j - 1]) || t[j - 1] == '*' || t[j - 1] == '&'))
			j--;
		size_t te = j;
		if (j > 0 && t[j - 1] == '>')
			j = back_over_angles(t, j);
		size_t e = j;
		while (j > 0 && (idc(t[j - 1]) || t[j - 1] == ':' || t[j - 1] == '.'))
			j--;
		if (e == j)
			return; /* nothing, an array, a parenthesis, a template's '>' */
		int mod = 0, caps = 1, under = 0;
		for (int k = 0; skip[k] && !mod; k++)
			mod = strlen(skip[k]) == e - j && !memcmp(t + j, skip[k], e - j);
		for (size_t k = j; k < e; k++) {
			caps &= !(t[k] >= 'a' && t[k] <= 'z');
			under |= t[k] == '_';
		}
		if (mod || (caps && under && te == e)) {
			if (j > 0 && t[j - 1] == '<')
				return; /* a template parameter list: `<typename T>` */
			continue;
		}
		if (e - j == 4 && !memcmp(t + j, "auto", 4))
			return;
		/* the type must start the declaration or follow a modifier, a '>' of `template <..>`
		 * or of Java's type parameters, or a line break */
		size_t b = j;
		while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t'))
			b--;
		if (b > 0 && t[b - 1] != '\n' && t[b - 1] != '>' && t[b - 1] != ']' &&
		    t[b - 1] != ';' && t[b - 1] != '}' && t[b - 1] != '{' && !idc(t[b - 1]))
			return;
		member_type(out, cap, t + j, te - j);
		return;
	}
}

/* JS/TS functions that declare no return type: `return new Foo(...)` in every return of the
 * body (nested functions' returns included, so that any disagreement gives "") makes the
 * function a factory of Foo. "" otherwise. */
static void factory_return(char *out, size_t cap, const char *t, size_t n)
{
	char ty[128];
	out[0] = 0;
	for (size_t i = 0; i + 6 < n; i++) {
		if (!kw_at(t, n, i, "return"))
			continue;
		size_t k = i + 6;
		while (k < n && space(t[k]))
			k++;
		if (!kw_at(t, n, k, "new")) {
			out[0] = 0;
			return;
		}
		k += 3;
		while (k < n && space(t[k]))
			k++;
		size_t w = k;
		while (k < n && (idc(t[k]) || t[k] == '.'))
			k++;
		if (k >= n || t[k] != '(' || w == k) {
			out[0] = 0;
			return;
		}
		type_name(ty, sizeof(ty), t + w, k - w);
		if (!is_upper(ty[0]) || (out[0] && strcmp(out, ty))) {
			out[0] = 0;
			return;
		}
		snprintf(out, cap, "%s", ty);
		i = k;
	}
}

/* JS/TS (cg29): what a function without a declared return type returns when that is a function:
 * "^" and comma-separated items, "g" (the function named g: a local function of this one or one
 * of its file), "g()" (the value a call of g returns), ">g" (an anonymous arrow whose body is a
 * call of g: the call reaches g through it), from every return of the body (a nested function's
 * returns not counted) or an arrow's expression body; a ternary gives both branches, `x as T`
 * is x, React's `useCallback(fn, deps)` is fn. "" when a return shows anything else. */
typedef struct {
	const char *p0; /* the function's first parameter's name (not terminated), p0l bytes */
	size_t p0l;
	const char *sign; /* "", "+", "-": the item is the value with / without that argument */
} fn_value_ctx;
static int fn_value_items(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                          const char *src, size_t a, size_t e, int depth, fn_value_ctx *fx);

/* The anonymous function node starting at src offset a (inside function node), or -1. */
static int32_t anon_fn_at(const cc_file_graph *g, uint32_t node, size_t a)
{
	const cc_node *f = &g->nodes[node];
	for (uint32_t i = node + 1; i < g->n_nodes && g->nodes[i].start_byte < f->end_byte; i++)
		if (g->nodes[i].kind == CC_NODE_METHOD && g->nodes[i].start_byte == a)
			return *cc_graph_str(g, g->nodes[i].name) ? -1 : (int32_t)i;
	return -1;
}

/* The end of the parenthesis/bracket group opened at t[i] (the index of its closer), or n. */
static size_t group_close(const char *t, size_t i, size_t n)
{
	int d = 0;
	for (; i < n; i++) {
		d += t[i] == '(' || t[i] == '[' || t[i] == '{';
		d -= t[i] == ')' || t[i] == ']' || t[i] == '}';
		if (!d)
			return i;
	}
	return n;
}

/* Where the body of function node fn starts (after `=>` or at `{`), *block 1 for a block;
 * 0 when not found or a return type is declared. */
static size_t fn_body_at(const char *src, size_t s, size_t e, int *block)
{
	size_t i = s;
	/* the parameter list: the first '(' group at depth 0 after any `<..>`, or one bare name */
	while (i < e && src[i] != '(' && src[i] != '{' && !(src[i] == '=' && src[i + 1] == '>'))
		i++;
	if (i >= e)
		return 0;
	if (src[i] == '(') {
		size_t j = i + 1;
		while (j < e && space(src[j]))
			j++;
		if (j < e && (src[j] == '<' || src[j] == '(')) { /* `(<T>(a) => ..) as X` */
			i = j;
			while (i < e && src[i] != '(')
				i++;
			if (i >= e)
				return 0;
		}
		i = group_close(src, i, e);
		if (i >= e)
			return 0;
		i++;
	}
	while (i < e && space(src[i]))
		i++;
	if (i < e && src[i] == ':')
		return 0; /* a declared return type: cc_method_return reads it */
	if (i + 1 < e && src[i] == '=' && src[i + 1] == '>') {
		i += 2;
		while (i < e && space(src[i]))
			i++;
		*block = i < e && src[i] == '{';
		return *block ? i + 1 : i;
	}
	*block = i < e && src[i] == '{';
	return *block ? i + 1 : 0;
}

/* The end of the expression starting at t[a) (a return's value, an expression body): ';', a
 * closer of an enclosing group, a line break where the expression does not go on. */
static size_t expr_end(const char *t, size_t a, size_t e)
{
	int d = 0;
	for (size_t i = a; i < e; i++) {
		char c = t[i];
		if (c == '(' || c == '[' || c == '{')
			d++;
		else if (c == ')' || c == ']' || c == '}') {
			if (--d < 0)
				return i;
		} else if (!d && (c == ';' || c == ','))
			return i;
		else if (!d && c == '\n') {
			size_t p = i;
			while (p > a && space(t[p - 1]))
				p--;
			size_t q = i;
			while (q < e && space(t[q]))
				q++;
			if (p > a && strchr("(,?:=&|+-", t[p - 1]))
				continue;
			if (q < e && (strchr(".?:)]}", t[q]) || kw_at(t, e, q, "as")))
				continue;
			return i;
		}
	}
	return e;
}

static int fn_value_add(char *out, size_t cap, const char *pre, const char *w, size_t wl,
                        const char *post)
{
	size_t o = strlen(out);
	if (o + strlen(pre) + wl + strlen(post) + 2 >= cap)
		return 0;
	snprintf(out + o, cap - o, "%s%s%.*s%s", o > 1 ? "," : "", pre, (int)wl, w, post);
	return 1;
}

static int fn_value_items(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                          const char *src, size_t a, size_t e, int depth, fn_value_ctx *fx)
{
	if (depth > 4)
		return 0;
	while (a < e && space(src[a]))
		a++;
	/* `x as T` is x */
	int d = 0;
	for (size_t i = a; i < e; i++) {
		char c = src[i];
		d += c == '(' || c == '[' || c == '{' || c == '<';
		d -= c == ')' || c == ']' || c == '}' || (c == '>' && src[i - 1] != '=');
		if (!d && kw_at(src, e, i, "as") && i > a && space(src[i - 1])) {
			e = i;
			break;
		}
	}
	while (e > a && space(src[e - 1]))
		e--;
	if (a >= e)
		return 0;
	int32_t an = anon_fn_at(g, node, a);
	if (an >= 0) {
		/* an anonymous function whose body is one call of a named function: that one */
		const cc_node *f = &g->nodes[an];
		int block = 0;
		size_t b = fn_body_at(src, f->start_byte, f->end_byte, &block);
		if (!b || block)
			return 0;
		size_t w = b;
		while (w < f->end_byte && idc(src[w]))
			w++;
		size_t be = expr_end(src, b, f->end_byte);
		if (w == b || w >= be || src[w] != '(' || group_close(src, w, be) + 1 != be ||
		    (src[b] >= '0' && src[b] <= '9'))
			return 0;
		char pre[4];
		snprintf(pre, sizeof(pre), "%s>", fx->sign);
		return fn_value_add(out, cap, pre, src + b, w - b, "");
	}
	if (src[a] == '(' && group_close(src, a, e) + 1 == e)
		return fn_value_items(out, cap, g, node, src, a + 1, e - 1, depth + 1, fx);
	/* c ? x : y: both */
	d = 0;
	for (size_t i = a; i < e; i++) {
		char c = src[i];
		d += c == '(' || c == '[' || c == '{';
		d -= c == ')' || c == ']' || c == '}';
		if (d || c != '?' || src[i + 1] == '.' || src[i + 1] == '?' || src[i - 1] == '?')
			continue;
		int q = 0, d2 = 0;
		for (size_t j = i + 1; j < e; j++) {
			char c2 = src[j];
			d2 += c2 == '(' || c2 == '[' || c2 == '{';
			d2 -= c2 == ')' || c2 == ']' || c2 == '}';
			if (d2)
				continue;
			if (c2 == '?' && src[j + 1] != '.' && src[j + 1] != '?' && src[j - 1] != '?')
				q++;
			else if (c2 == ':' && q)
				q--;
			else if (c2 == ':') {
				/* `p0 ? x : y` of the first parameter: x when a call passes it, y
				 * when not (zustand's `create(f)` / `create<T>()(f)`) */
				size_t ce = i;
				while (ce > a && space(src[ce - 1]))
					ce--;
				int on_p0 = fx->p0l && !*fx->sign && ce - a == fx->p0l &&
				            !memcmp(src + a, fx->p0, fx->p0l);
				fx->sign = on_p0 ? "+" : fx->sign;
				int ok = fn_value_items(out, cap, g, node, src, i + 1, j, depth + 1, fx);
				fx->sign = on_p0 ? "-" : fx->sign;
				ok = ok && fn_value_items(out, cap, g, node, src, j + 1, e, depth + 1, fx);
				if (on_p0)
					fx->sign = "";
				return ok;
			}
		}
		return 0;
	}
	size_t w = a;
	while (w < e && idc(src[w]))
		w++;
	if (w == a || (src[a] >= '0' && src[a] <= '9'))
		return 0;
	static const char *const lit[] = {"null", "undefined", "true", "false", "this", "new",
	                                  "void", "typeof", "await", "function", NULL};
	for (int i = 0; lit[i]; i++)
		if (strlen(lit[i]) == w - a && !memcmp(src + a, lit[i], w - a))
			return 0;
	int fn = 0; /* a name of a function of the file (else no function value known) */
	for (uint32_t i = 0; i < g->n_nodes && !fn; i++) {
		const char *nm = cc_graph_str(g, g->nodes[i].name);
		fn = g->nodes[i].kind == CC_NODE_METHOD && strlen(nm) == w - a &&
		     !memcmp(nm, src + a, w - a);
	}
	if (w == e)
		return fn && fn_value_add(out, cap, fx->sign, src + a, w - a, "");
	if (src[w] != '(' || group_close(src, w, e) + 1 != e)
		return 0;
	if (w - a == 11 && !memcmp(src + a, "useCallback", 11)) {
		/* React's useCallback(fn, deps) is fn */
		size_t f = w + 1;
		while (f < e && space(src[f]))
			f++;
		size_t fe = expr_end(src, f, e);
		return fn_value_items(out, cap, g, node, src, f, fe, depth + 1, fx);
	}
	return fn && fn_value_add(out, cap, fx->sign, src + a, w - a, "()");
}

static void fn_return(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                      const char *src, size_t len)
{
	const cc_node *f = &g->nodes[node];
	out[0] = 0;
	if (f->end_byte > len || cap < 8 || f->end_byte - f->start_byte > 65536)
		return; /* (a factory is short; a bundle's wrapper is not read) */
	long at = word_at(src + f->start_byte, f->end_byte - f->start_byte,
	                  cc_graph_str(g, f->name));
	size_t s = f->start_byte, e = f->end_byte;
	if (at >= 0)
		s += (size_t)at + strlen(cc_graph_str(g, f->name));
	while (s < e && space(src[s]))
		s++;
	if (s < e && src[s] == ':') { /* `const f: T = (..) =>`: to the '=' */
		while (s < e && !(src[s] == '=' && src[s + 1] != '>'))
			s++;
	}
	int block = 0;
	size_t b = fn_body_at(src, s, e, &block);
	if (!b)
		return;
	fn_value_ctx fx = {NULL, 0, ""};
	/* the first parameter's name: the first identifier after the list's '(' */
	size_t pa = s;
	while (pa < b && src[pa] != '(')
		pa++;
	while (pa < b && (src[pa] == '(' || src[pa] == '<' || space(src[pa]))) {
		if (src[pa] == '<') { /* type parameters: past their '>' */
			while (pa < b && src[pa] != '>')
				pa++;
		}
		pa++;
	}
	size_t pe = pa;
	while (pe < b && idc(src[pe]))
		pe++;
	if (pe > pa && pe < b && (src[pe] == ':' || src[pe] == ')' || src[pe] == ',' || space(src[pe]) || src[pe] == '?')) {
		fx.p0 = src + pa;
		fx.p0l = pe - pa;
	}
	char buf[128] = "^";
	if (!block) {
		if (!fn_value_items(buf, sizeof(buf), g, node, src, b, expr_end(src, b, e), 0, &fx))
			return;
		snprintf(out, cap, "%s", buf);
		return;
	}
	int any = 0;
	/* a nested function's returns are its own: its text is passed over (nodes in source
	 * order, so one pass) */
	uint32_t k = node + 1;
	for (size_t i = b; i + 6 < e; i++) {
		while (k < g->n_nodes && g->nodes[k].start_byte < e &&
		       (g->nodes[k].kind != CC_NODE_METHOD || g->nodes[k].start_byte < i))
			k++;
		if (k < g->n_nodes && g->nodes[k].kind == CC_NODE_METHOD &&
		    g->nodes[k].start_byte == i) {
			i = g->nodes[k].end_byte > i ? g->nodes[k].end_byte - 1 : i;
			continue;
		}
		if (src[i] != 'r' || !kw_at(src, e, i, "return"))
			continue;
		size_t a = i + 6, ve = expr_end(src, a, e);
		if (!fn_value_items(buf, sizeof(buf), g, node, src, a, ve, 0, &fx))
			return;
		any = 1;
		i = ve;
	}
	if (any)
		snprintf(out, cap, "%s", buf);
}

/* Python: the return type written in t[i, e) as cc_method_return stores it: member_type's,
 * "~root|T" for a class (`-> httpx.Response`, `-> Response` of `from httpx import Response`:
 * the store asks whether root is a library's import of the defining file). */
static void py_ret_type(char *out, size_t cap, const char *t, size_t i, size_t e)
{
	member_type(out, cap, t + i, e - i);
	if (is_upper(out[0]) && strcmp(out, "Self")) {
		size_t r = i;
		while (r < e && idc(t[r]))
			r++;
		char ty[128];
		snprintf(ty, sizeof(ty), "%s", out);
		if (r > i && r - i + strlen(ty) + 3 <= cap)
			snprintf(out, cap, "~%.*s|%s", (int)(r - i), t + i, ty);
	}
}

/* Go: the element of a slice, array or map type written t[0, n) (`[]*T`, `[4]T`, `map[K]T`), as
 * "[T" with T as go_written_type names it, into out; "" when T shows no type name. */
static void go_elem_ret(char *out, size_t cap, const cc_file_graph *g, const char *t, size_t n)
{
	size_t i = 0;
	out[0] = 0;
	if (n >= 4 && !memcmp(t, "map[", 4)) {
		int d = 0;
		for (i = 3; i < n; i++) {
			d += t[i] == '[';
			d -= t[i] == ']';
			if (!d)
				break;
		}
	} else {
		while (i < n && t[i] != ']')
			i++;
	}
	if (++i >= n || cap < 3)
		return;
	go_written_type(out + 1, cap - 1, g, t + i, n - i);
	out[0] = out[1] ? '[' : 0;
}

void cc_method_return(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                      const char *src, size_t len)
{
	out[0] = 0;
	if (!src || node >= g->n_nodes || cap < 3)
		return;
	const cc_node *nd = &g->nodes[node];
	cc_lang lang = g->lang;
	if (nd->kind != CC_NODE_METHOD || nd->end_byte > len || !nd->name ||
	    (lang != CC_LANG_RUST && lang != CC_LANG_GO && lang != CC_LANG_PYTHON &&
	     lang != CC_LANG_TYPESCRIPT && lang != CC_LANG_TSX && lang != CC_LANG_JAVASCRIPT &&
	     lang != CC_LANG_CPP && lang != CC_LANG_JAVA))
		return;
	const char *t;
	size_t n;
	long at = def_head(g, nd, src, &t, &n);
	if (at < 0 && (lang == CC_LANG_TYPESCRIPT || lang == CC_LANG_TSX ||
	               lang == CC_LANG_JAVASCRIPT)) {
		/* an arrow function whose node starts after its name (`const f = () => ..`) */
		fn_return(out, cap, g, node, src, len);
		return;
	}
	if (at < 0)
		return;
	if (lang == CC_LANG_CPP || lang == CC_LANG_JAVA) {
		prefix_return(out, cap, t, (size_t)at);
		return;
	}
	if (lang == CC_LANG_JAVASCRIPT) {
		factory_return(out, cap, t, n);
		if (!out[0])
			fn_return(out, cap, g, node, src, len); /* a function's value (cg29) */
		return;
	}
	/* the parameter list after the name */
	size_t i = (size_t)at;
	while (i < n && t[i] != '(' && t[i] != '{')
		i++;
	if (i >= n || t[i] != '(')
		return;
	int d = 0;
	for (; i < n; i++) {
		d += t[i] == '(';
		d -= t[i] == ')';
		if (!d)
			break;
	}
	if (i >= n)
		return;
	i++;
	while (i < n && space(t[i]))
		i++;
	if (lang == CC_LANG_RUST || lang == CC_LANG_PYTHON) {
		if (i + 1 >= n || t[i] != '-' || t[i + 1] != '>')
			return;
		i += 2;
	} else if (lang != CC_LANG_GO) {
		if (i >= n || t[i] != ':') {
			factory_return(out, cap, t, n); /* TS without a declared type */
			if (!out[0])
				fn_return(out, cap, g, node, src, len); /* a function's value (cg29) */
			return;
		}
		i++;
	}
	while (i < n && space(t[i]))
		i++;
	int go_results = lang == CC_LANG_GO && i < n && t[i] == '(';
	if (go_results)
		i++; /* (T, error): the first result */
	/* the type runs to the body or a where clause (outside <> and ()) */
	size_t e = i;
	d = 0;
	for (; e < n; e++) {
		char c = t[e];
		if (c == '<' || c == '(' || c == '[')
			d++;
		else if ((c == '>' && t[e - 1] != '-' && t[e - 1] != '=') || c == ')' || c == ']')
			d--;
		if (d < 0 || (!d && (c == '{' || c == ',' || c == ';' || c == '\n' ||
		                     (c == ':' && lang == CC_LANG_PYTHON) || kw_at(t, n, e, "where"))))
			break;
	}
	while (e > i && space(t[e - 1]))
		e--;
	if (go_results) {
		/* named results (c *Context, r *Engine): the type follows the first name */
		while (i < e && space(t[i]))
			i++;
		size_t w0 = i;
		while (w0 < e && idc(t[w0]))
			w0++;
		size_t ts = w0;
		while (ts < e && space(t[ts]))
			ts++;
		if (w0 > i && ts > w0 && ts < e)
			i = ts;
	}
	if (e <= i)
		return;
	/* Rust: Option<T>, Result<T, E>, io::Result<T> are T once unwrapped */
	size_t w = i, last = i;
	while (w < e && (idc(t[w]) || t[w] == ':')) {
		if (t[w] == ':')
			last = w + 1;
		w++;
	}
	if (lang == CC_LANG_RUST && w < e && t[w] == '<' &&
	    ((w - last == 6 && !memcmp(t + last, "Option", 6)) ||
	     (w - last == 6 && !memcmp(t + last, "Result", 6)))) {
		size_t s2 = w + 1, e2 = s2;
		int d2 = 0;
		for (; e2 < e; e2++) {
			d2 += t[e2] == '<' || t[e2] == '(';
			d2 -= (t[e2] == '>' && t[e2 - 1] != '-') || t[e2] == ')';
			if (d2 < 0 || (!d2 && t[e2] == ','))
				break;
		}
		char in[128];
		member_type(in, sizeof(in), t + s2, e2 - s2);
		rust_lib_shape(in, sizeof(in), t + s2, e2 - s2); /* Option<&[u8]>: "?![]" */
		if (in[0] && in[0] != '*')
			snprintf(out, cap, "?%s", in);
		return;
	}
	if (lang == CC_LANG_PYTHON) {
		py_ret_type(out, cap, t, i, e);
	} else {
		member_type(out, cap, t + i, e - i);
		/* Go: `func RedirectSlashes(..) http.Handler` returns the library's Handler
		 * ("!Handler"), never a repository type of that name (resolver 32) */
		if (lang == CC_LANG_GO)
			go_std_qualified(out, cap, g, t + i, e - i);
		/* Go: a slice, array or map of T, "[T" (no methods; `range` gives T, resolver 40) */
		if (lang == CC_LANG_GO && (t[i] == '[' || (e - i > 4 && !memcmp(t + i, "map[", 4))))
			go_elem_ret(out, cap, g, t + i, e - i);
		/* TS: `nullable(): any` says nothing of the value (yup's Schema methods): not known,
		 * never a type the revision lacks (resolver 52, cg35) */
		if ((lang == CC_LANG_TYPESCRIPT || lang == CC_LANG_TSX) &&
		    (!strcmp(out, "any") || !strcmp(out, "unknown")))
			out[0] = 0;
	}
}

/* Python (cg26): a pytest fixture annotated `-> Iterator[T]`, `Generator[T, ..]`,
 * `Iterable[T]` or their Async forms (bare, `t.`/`typing.`/`collections.abc.`) is T to the
 * tests that take it (a yield fixture); out is T as cc_method_return writes a return type,
 * "" for any other annotation or a function that is no fixture. */
void cc_py_fixture_yield(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                         const char *src, size_t len)
{
	static const char *const wrap[] = {"Iterator", "Generator", "Iterable",
	                                   "AsyncIterator", "AsyncGenerator", "AsyncIterable",
	                                   NULL};
	out[0] = 0;
	if (!src || node >= g->n_nodes || cap < 3 || g->lang != CC_LANG_PYTHON ||
	    !cc_def_fixture(g, node, src, len))
		return;
	const cc_node *nd = &g->nodes[node];
	if (nd->end_byte > len || !nd->name)
		return;
	const char *t;
	size_t n;
	long at = def_head(g, nd, src, &t, &n);
	if (at < 0)
		return;
	size_t i = (size_t)at;
	while (i < n && t[i] != '(')
		i++;
	int d = 0;
	for (; i < n; i++) {
		d += t[i] == '(';
		d -= t[i] == ')';
		if (!d)
			break;
	}
	if (i >= n)
		return;
	i++;
	while (i < n && space(t[i]))
		i++;
	if (i + 1 >= n || t[i] != '-' || t[i + 1] != '>')
		return;
	i += 2;
	while (i < n && space(t[i]))
		i++;
	size_t h = i, last = i; /* the annotation's head, `typing.Iterator` */
	while (h < n && (idc(t[h]) || t[h] == '.')) {
		if (t[h] == '.')
			last = h + 1;
		h++;
	}
	if (h >= n || t[h] != '[')
		return;
	int hit = 0;
	for (int k = 0; wrap[k] && !hit; k++)
		hit = h - last == strlen(wrap[k]) && !memcmp(t + last, wrap[k], h - last);
	if (!hit)
		return;
	size_t s = h + 1, e = s; /* its first argument */
	d = 0;
	for (; e < n; e++) {
		d += t[e] == '[' || t[e] == '(';
		d -= t[e] == ']' || t[e] == ')';
		if (d < 0 || (!d && t[e] == ','))
			break;
	}
	if (e >= n)
		return;
	while (s < e && space(t[s]))
		s++;
	while (e > s && space(t[e - 1]))
		e--;
	if (e > s)
		py_ret_type(out, cap, t, s, e);
}

/* ---- type aliases ---------------------------------------------------------------------- */

/* add_field for an alias; local (declared inside a function) writes ".Name:Type", which binds
 * only its own file's calls. */
static void add_alias(char *out, size_t cap, const char *name, size_t nl, const char *type,
                      int local)
{
	size_t o = strlen(out);
	add_field(out, cap, name, nl, type);
	size_t n = strlen(out);
	if (!local || n == o)
		return;
	if (n + 2 > cap) {
		out[o] = 0; /* no room for the mark: leave the alias out */
		return;
	}
	size_t at = o ? o + 1 : 0; /* after the ',' */
	memmove(out + at + 1, out + at, n - at + 1);
	out[at] = '.';
}

/* One alias declaration starting at src[i] (`using` when is_using, else `typedef`), added to
 * out as add_alias does. */
static void alias_decl(char *out, size_t cap, const char *src, size_t len, size_t i, int is_using,
                       int local)
{
	char ty[128];
	/* the declaration runs to its ';' (outside brackets), within 512 bytes */
	size_t e = i, lim = i + 512 < len ? i + 512 : len;
	int d = 0;
	for (; e < lim; e++) {
		char c = src[e];
		if (c == '(' || c == '[' || c == '{' || c == '<')
			d++;
		else if ((c == ')' || c == ']' || c == '}' || c == '>') && d > 0)
			d--;
		else if (c == ';' && !d)
			break;
		else if (c == '{' || c == '}')
			break;
	}
	if (e >= lim || src[e] != ';')
		return;
	const char *t = src + i;
	size_t n = e - i;
	if (is_using) {
		/* using Name = Type; (not `using namespace`, not `using a::b;`) */
		size_t k = 5;
		while (k < n && space(t[k]))
			k++;
		size_t ns = k;
		while (k < n && idc(t[k]))
			k++;
		size_t ne = k;
		while (k < n && space(t[k]))
			k++;
		if (ne == ns || k >= n || t[k] != '=' || kw_at(t, n, ns, "namespace"))
			return;
		member_type(ty, sizeof(ty), t + k + 1, n - k - 1);
		if (ty[0] && plain_ident(ty[0] == '*' ? ty + 1 : ty) &&
		    strcmp(ty[0] == '*' ? ty + 1 : ty, "") &&
		    !(ne - ns == strlen(ty) && !memcmp(t + ns, ty, ne - ns)))
			add_alias(out, cap, t + ns, ne - ns, ty, local);
	} else {
		/* typedef Type Name; (not function pointers or arrays) */
		if (memchr(t, '(', n) || memchr(t, '[', n))
			return;
		size_t ne = n;
		while (ne > 0 && space(t[ne - 1]))
			ne--;
		size_t ns = ne;
		while (ns > 0 && idc(t[ns - 1]))
			ns--;
		if (ns == ne || ns <= 8)
			return;
		size_t te = ns;
		while (te > 7 && (space(t[te - 1]) || t[te - 1] == '*' || t[te - 1] == '&'))
			te--;
		if (te < ns && (t[te] == '*' || memchr(t + te, '*', ns - te)))
			return; /* a pointer type: its methods are not the alias's */
		member_type(ty, sizeof(ty), t + 7, te - 7);
		if (ty[0] && plain_ident(ty[0] == '*' ? ty + 1 : ty) &&
		    !(ne - ns == strlen(ty) && !memcmp(t + ns, ty, ne - ns)))
			add_alias(out, cap, t + ns, ne - ns, ty, local);
	}
}

/* Skips a comment, string or character literal at src[i] (returns the offset after it), or
 * returns i when none starts there. Raw strings R"d(..)d" are read to their delimiter. */
static size_t skip_lexeme(const char *src, size_t len, size_t i)
{
	char c = src[i];
	if (c == '/' && i + 1 < len && src[i + 1] == '/') {
		while (i < len && src[i] != '\n')
			i++;
		return i;
	}
	if (c == '/' && i + 1 < len && src[i + 1] == '*') {
		for (i += 2; i + 1 < len && !(src[i] == '*' && src[i + 1] == '/'); i++)
			;
		return i + 2 < len ? i + 2 : len;
	}
	if (c == '"' && i > 0 && src[i - 1] == 'R' && (i < 2 || !idc(src[i - 2]) || src[i - 2] == '8' || src[i - 2] == 'u' || src[i - 2] == 'U' || src[i - 2] == 'L')) {
		size_t d = i + 1;
		while (d < len && d - i <= 17 && src[d] != '(')
			d++;
		if (d >= len || src[d] != '(')
			return i + 1;
		size_t dl = d - i - 1;
		for (size_t k = d + 1; k + dl + 1 < len; k++)
			if (src[k] == ')' && !memcmp(src + k + 1, src + i + 1, dl) && src[k + 1 + dl] == '"')
				return k + dl + 2;
		return len;
	}
	if (c == '"' || (c == '\'' && !(i > 0 && idc(src[i - 1])))) { /* not 1'000 */
		size_t lim = c == '"' ? len : (i + 12 < len ? i + 12 : len);
		for (size_t k = i + 1; k < lim; k++) {
			if (src[k] == '\\')
				k++;
			else if (src[k] == c || src[k] == '\n')
				return k + 1;
		}
		return c == '"' ? len : i + 1;
	}
	return i;
}

/* Past a newline (noting that a line starts) or a blank at src[i] (i < len): i + 1; else i. */
static size_t c_blank(const char *src, size_t i, int *line_start)
{
	char c = src[i];
	if (c == '\n') {
		*line_start = 1;
		return i + 1;
	}
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' ? i + 1 : i;
}

/* The end (its '\n', or len) of the line at i, backslash continuations included. */
static size_t pp_line_end(const char *src, size_t len, size_t i)
{
	while (i < len && src[i] != '\n') {
		if (src[i] == '\\' && i + 1 < len && src[i + 1] == '\n')
			i++;
		i++;
	}
	return i;
}

/* One step of the C/C++ block scanners (c_scan, cc_cpp_namespaces): from i, skips a comment
 * or literal, a newline, blank space or (at a line's start) a preprocessor line with its
 * continuations, and returns where that ends; returns i itself where a token starts (and
 * notes that the line is no longer at its start). */
static size_t c_skip(const char *src, size_t len, size_t i, int *line_start)
{
	size_t j = skip_lexeme(src, len, i);
	if (j != i)
		return j;
	if ((j = c_blank(src, i, line_start)) != i)
		return j;
	if (src[i] == '#' && *line_start) /* a preprocessor line, with its continuations */
		return pp_line_end(src, len, i);
	*line_start = 0;
	return i;
}

/* C/C++ source read token by token (comments, strings, preprocessor lines passed over): each
 * `using` / `typedef` declaration added to aliases (when not NULL, cap acap) with its scope,
 * and the outermost blocks that are no namespace or class body added to spans (when not
 * NULL). */
static void c_scan(const char *src, size_t len, char *aliases, size_t acap, span_list *spans)
{
	/* Blocks opened after `namespace`, `class`, `struct`, `union`, `enum` or `extern` (outside
	 * parentheses and template parameters) are scopes whose aliases every file may use; any
	 * other block (a function's body, a lambda's, a test macro's `TEST_CASE(..) {`) makes the
	 * aliases in it local to their file. */
	enum { MAX_DEPTH = 256 };
	unsigned char scope[MAX_DEPTH];
	size_t depth = 0, locals = 0, paren = 0, tmpl = 0, tparen = 0;
	int scope_kw = 0, after_template = 0, line_start = 1;
	for (size_t i = 0; i < len;) {
		size_t j = c_skip(src, len, i, &line_start);
		if (j != i) {
			i = j;
			continue;
		}
		char c = src[i];
		if (idc(c) && !(c >= '0' && c <= '9')) {
			size_t w = i;
			while (i < len && idc(src[i]))
				i++;
			size_t wl = i - w;
			int u = wl == 5 && !memcmp(src + w, "using", 5);
			int t = wl == 7 && !memcmp(src + w, "typedef", 7);
			if ((u || t) && aliases)
				alias_decl(aliases, acap, src, len, w, u, locals > 0 || depth > MAX_DEPTH);
			after_template = wl == 8 && !memcmp(src + w, "template", 8);
			if (!paren && !tmpl &&
			    ((wl == 9 && !memcmp(src + w, "namespace", 9)) ||
			     (wl == 5 && !memcmp(src + w, "class", 5)) ||
			     (wl == 6 && !memcmp(src + w, "struct", 6)) ||
			     (wl == 5 && !memcmp(src + w, "union", 5)) ||
			     (wl == 4 && !memcmp(src + w, "enum", 4)) ||
			     (wl == 6 && !memcmp(src + w, "extern", 6))))
				scope_kw = 1;
			continue;
		}
		if (idc(c)) { /* a number (1'000 included) */
			while (i < len && (idc(src[i]) || src[i] == '\'' || src[i] == '.'))
				i++;
			continue;
		}
		if (tmpl) { /* template parameters: `<` and `>` outside parentheses */
			if (c == '(')
				tparen++;
			else if (c == ')' && tparen)
				tparen--;
			else if (c == '<' && !tparen)
				tmpl++;
			else if (c == '>' && !tparen)
				tmpl--;
			else if (c == ';' || c == '{' || c == '}')
				tmpl = tparen = 0; /* not template parameters after all */
			if (tmpl) {
				i++;
				continue;
			}
		} else if (c == '<' && after_template) {
			tmpl = 1;
			tparen = 0;
			after_template = 0;
			i++;
			continue;
		}
		after_template = 0;
		if (c == '(') {
			paren++;
		} else if (c == ')') {
			if (paren)
				paren--;
		} else if (c == ';') {
			if (!paren)
				scope_kw = 0;
		} else if (c == '{') {
			int loc = !(scope_kw && !paren);
			if (depth < MAX_DEPTH) {
				scope[depth] = (unsigned char)loc;
				if (loc && !locals && spans && !spans->oom) {
					if (cc_array_reserve((void **)&spans->v, &spans->cap,
					                     2 * spans->n + 2, sizeof(size_t)))
						spans->oom = 1;
					else
						spans->v[2 * spans->n] = i;
				}
				locals += (size_t)loc;
			}
			depth++;
			scope_kw = 0;
			paren = 0;
		} else if (c == '}') {
			if (depth) {
				depth--;
				if (depth < MAX_DEPTH && scope[depth] && !--locals && spans && !spans->oom)
					spans->v[2 * spans->n++ + 1] = i + 1;
			}
			scope_kw = 0;
			paren = 0;
		}
		i++;
	}
	if (locals && spans && !spans->oom) /* a block left open at the end */
		spans->v[2 * spans->n++ + 1] = len;
}

/* The next token's start at or after i (comments, blanks and preprocessor lines passed
 * over), or len. */
static size_t c_next_token(const char *src, size_t len, size_t i, int line_start)
{
	for (size_t j; i < len && (j = c_skip(src, len, i, &line_start)) != i;)
		i = j;
	return i;
}

/* Reads the parameter list of a template whose `<` is src[i] and whose `template` keyword
 * starts at kw: each parameter's name (the last identifier of the parameter before a default
 * `= ..`: `typename T`, `class... Ts`, `std::size_t N`, `template <class> class C`) added to
 * out, open (end 0). Returns the index past the closing `>`, or 0 when the list does not
 * close before a `;` or the end. */
static size_t tparam_list_read(const char *src, size_t len, size_t i, size_t kw,
                               tparam_list *out)
{
	size_t level = 1, par = 0, nw = 0, nl = 0;
	int dflt = 0, line_start = 0;
	for (i++; i < len;) {
		size_t j = c_skip(src, len, i, &line_start);
		if (j != i) {
			i = j;
			continue;
		}
		char c = src[i];
		if (idc(c) && !(c >= '0' && c <= '9')) {
			size_t w = i;
			while (i < len && idc(src[i]))
				i++;
			if (level == 1 && !par && !dflt) {
				nw = w;
				nl = i - w;
			}
			continue;
		}
		if (idc(c)) {
			while (i < len && (idc(src[i]) || src[i] == '\'' || src[i] == '.'))
				i++;
			continue;
		}
		if (c == '(' || c == '[' || c == '{') {
			par++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (par)
				par--;
		} else if (c == ';') {
			return 0;
		} else if (c == '<' && !par) {
			level++;
		} else if (c == '=' && level == 1 && !par) {
			dflt = 1;
		} else if ((c == ',' && level == 1 && !par) || (c == '>' && !par && level == 1)) {
			if (nl && !(nl == 8 && !memcmp(src + nw, "typename", 8)) &&
			    !(nl == 5 && !memcmp(src + nw, "class", 5))) {
				if (cc_array_reserve((void **)&out->v, &out->cap, out->n + 1,
				                     sizeof(*out->v))) {
					out->oom = 1;
					return 0;
				}
				out->v[out->n++] = (tparam_ent){nw, nl, kw, 0};
			}
			nl = 0;
			dflt = 0;
			if (c == '>')
				return i + 1;
		} else if (c == '>' && !par) {
			level--;
		}
		i++;
	}
	return 0;
}

static void cpp_tparams(const char *src, size_t len, tparam_list *out)
{
	/* the templates whose declaration has not ended: the first of their entries in out and
	 * the block depth of the `template` keyword */
	enum { MAX_OPEN = 64 };
	size_t first[MAX_OPEN], at_depth[MAX_OPEN];
	size_t nopen = 0, depth = 0, paren = 0;
	int line_start = 1;
	for (size_t i = 0; i < len && !out->oom;) {
		size_t j = c_skip(src, len, i, &line_start);
		if (j != i) {
			i = j;
			continue;
		}
		char c = src[i];
		if (idc(c) && !(c >= '0' && c <= '9')) {
			size_t w = i;
			while (i < len && idc(src[i]))
				i++;
			if (i - w != 8 || memcmp(src + w, "template", 8))
				continue;
			size_t p = c_next_token(src, len, i, 0);
			if (p >= len || src[p] != '<')
				continue; /* an explicit instantiation, `x.template f<T>()` */
			size_t n0 = out->n;
			size_t e = tparam_list_read(src, len, p, w, out);
			if (!e) {
				out->n = n0;
				continue;
			}
			if (nopen < MAX_OPEN) {
				first[nopen] = n0;
				at_depth[nopen++] = depth;
			} else {
				out->n = n0; /* too deep: not recorded */
			}
			i = e;
			continue;
		}
		if (idc(c)) {
			while (i < len && (idc(src[i]) || src[i] == '\'' || src[i] == '.'))
				i++;
			continue;
		}
		int close = 0;
		if (c == '(') {
			paren++;
		} else if (c == ')') {
			if (paren)
				paren--;
		} else if (c == '{') {
			depth++;
		} else if (c == '}') {
			if (depth)
				depth--;
			if (nopen && at_depth[nopen - 1] > depth) {
				close = 1; /* the block around the template ends */
			} else if (nopen && at_depth[nopen - 1] == depth && !paren) {
				/* a body's end, unless a constructor's member initializer (`a{x}, b{y}
				 * {`) or a class's `};` (the ';' closes it) */
				size_t nx = c_next_token(src, len, i + 1, 0);
				close = nx >= len || (src[nx] != ',' && src[nx] != '{' && src[nx] != ';');
			}
		} else if (c == ';' && !paren) {
			close = nopen && at_depth[nopen - 1] == depth;
		}
		i++;
		while (close && nopen && at_depth[nopen - 1] >= depth) {
			nopen--;
			for (size_t k = first[nopen]; k < out->n; k++)
				if (!out->v[k].end)
					out->v[k].end = i;
		}
	}
	for (size_t k = 0; k < out->n; k++)
		if (!out->v[k].end)
			out->v[k].end = len;
}

/* Is name a template parameter in scope at src[at]? */
static int cpp_tparam_at(const char *src, const tparam_list *tp, const char *name, size_t at)
{
	size_t nl = strlen(name);
	for (size_t k = 0; k < tp->n; k++)
		if (tp->v[k].nlen == nl && tp->v[k].begin <= at && at < tp->v[k].end &&
		    !memcmp(src + tp->v[k].name, name, nl))
			return 1;
	return 0;
}

/* Rust: the renames of a file's `use` declarations, `a::b::f as g` (an import node's text),
 * as ".g:b.f" (the path after the group's module, '.'-joined; local to the file). */
static void rust_renames(char *out, size_t cap, const cc_file_graph *g, const char *src,
                         size_t len)
{
	for (uint32_t k = 0; k < g->n_nodes; k++) {
		const cc_node *nd = &g->nodes[k];
		if (nd->kind != CC_NODE_IMPORT || nd->end_byte > len || nd->end_byte <= nd->start_byte)
			continue;
		const char *t = src + nd->start_byte, *e = src + nd->end_byte;
		while (e > t && (space(e[-1]) || e[-1] == ';'))
			e--;
		/* the last " as " of the node's text, an identifier after it */
		const char *as = NULL;
		for (const char *q = t; q + 4 <= e; q++)
			if (space(q[0]) && q[1] == 'a' && q[2] == 's' && space(q[3]))
				as = q;
		if (!as)
			continue;
		const char *a = as + 4;
		while (a < e && space(*a))
			a++;
		size_t al = 0;
		while (a + al < e && idc(a[al]))
			al++;
		if (!al || a + al != e)
			continue;
		/* the path before it: identifiers joined by "::" (after `use` / `pub use` when the
		 * node is the whole declaration) */
		const char *pe = as;
		const char *ps = pe;
		while (ps > t && (idc(ps[-1]) || ps[-1] == ':'))
			ps--;
		char path[128];
		size_t o = 0;
		for (const char *q = ps; q < pe && o + 1 < sizeof(path); q++) {
			if (q[0] == ':' && q + 1 < pe && q[1] == ':') {
				path[o++] = '.';
				q++;
			} else {
				path[o++] = *q;
			}
		}
		path[o] = 0;
		const char *last = strrchr(path, '.');
		last = last ? last + 1 : path;
		if (!*last || !strcmp(last, "self") || !strcmp(last, "*") ||
		    (al == strlen(last) && !memcmp(a, last, al)))
			continue;
		/* a whole `use a::b::f as g;` declaration: its module part is the import's own */
		const char *p = path;
		if (ps > t) {
			const char *dot = strrchr(path, '.');
			p = dot ? dot + 1 : path;
		}
		add_alias(out, cap, a, al, p, 1);
	}
}

/* JS/TS (resolver 52, cg35): the file's renamings, "b:a" for an import or re-export that binds
 * b to the name a of its module (`import { create as stringCreate } from './string'`:
 * "stringCreate:create"; `export { create as string } from './string'`: "string:create") and
 * "@b:a" for a local export list's `export { a as b }` (yup's index.ts `export { stringCreate as
 * string }`: "@string:stringCreate"); rev.c follows them from an import of b to a's
 * definition. `default` and namespace imports are left out (the default export has its own
 * record). */
static void js_renames(char *out, size_t cap, const cc_file_graph *g, const char *src, size_t len)
{
	for (uint32_t k = 0; k < g->n_nodes; k++) {
		const cc_node *nd = &g->nodes[k];
		if (nd->kind != CC_NODE_IMPORT || nd->end_byte > len || nd->end_byte <= nd->start_byte ||
		    nd->end_byte - nd->start_byte > 256)
			continue;
		const char *t = src + nd->start_byte, *e = src + nd->end_byte;
		size_t al = 0, bl = 0;
		while (t + al < e && idc(t[al]))
			al++;
		const char *q = t + al;
		while (q < e && space(*q))
			q++;
		if (!al || q + 2 >= e || q[0] != 'a' || q[1] != 's' || !space(q[2]))
			continue;
		for (q += 2; q < e && space(*q); q++)
			;
		while (q + bl < e && idc(q[bl]))
			bl++;
		if (!bl || q + bl != e || (al == 7 && !memcmp(t, "default", 7)) ||
		    (al == bl && !memcmp(t, q, al)))
			continue;
		char a[128];
		if (al >= sizeof(a))
			continue;
		memcpy(a, t, al);
		a[al] = 0;
		add_field(out, cap, q, bl, a);
	}
	/* `export { a as b, .. }` with no `from`: at a line's start (after spaces) */
	for (size_t i = 0; i + 8 < len; i++) {
		if ((i && src[i - 1] != '\n') || src[i] == '\n')
			continue;
		size_t j = i;
		while (j < len && (src[j] == ' ' || src[j] == '\t'))
			j++;
		if (!kw_at(src, len, j, "export"))
			continue;
		for (j += 6; j < len && space(src[j]); j++)
			;
		if (j >= len || src[j] != '{')
			continue;
		size_t c = j + 1;
		while (c < len && c < j + 8192 && src[c] != '}' && src[c] != '{' && src[c] != '"' &&
		       src[c] != '\'')
			c++;
		if (c >= len || src[c] != '}')
			continue;
		size_t f = c + 1;
		while (f < len && space(src[f]))
			f++;
		if (kw_at(src, len, f, "from"))
			continue; /* a re-export: its specifiers are import nodes (above) */
		/* the specifiers between j + 1 and c */
		for (size_t p = j + 1; p < c;) {
			while (p < c && (space(src[p]) || src[p] == ','))
				p++;
			if (p + 1 < c && src[p] == '/' && src[p + 1] == '/') {
				while (p < c && src[p] != '\n')
					p++;
				continue;
			}
			size_t a0 = p;
			while (p < c && idc(src[p]))
				p++;
			size_t a1 = p;
			while (p < c && space(src[p]))
				p++;
			if (a1 > a0 && p + 2 < c && kw_at(src, c, p, "as")) {
				for (p += 2; p < c && space(src[p]); p++)
					;
				size_t b0 = p;
				while (p < c && idc(src[p]))
					p++;
				size_t o = strlen(out), bl = p - b0, al = a1 - a0;
				if (p > b0 && (bl != al || memcmp(src + a0, src + b0, bl)) &&
				    !(src[a0] >= '0' && src[a0] <= '9') && o + bl + al + 4 <= cap) {
					if (o)
						out[o++] = ',';
					out[o++] = '@';
					memcpy(out + o, src + b0, bl);
					o += bl;
					out[o++] = ':';
					memcpy(out + o, src + a0, al);
					out[o + al] = 0;
				}
			}
			while (p < c && src[p] != ',')
				p++;
		}
		i = c;
	}
}

void cc_type_aliases(char *out, size_t cap, const cc_file_graph *g, const char *src, size_t len)
{
	out[0] = 0;
	if (!src || cap < 2)
		return;
	if (g->lang == CC_LANG_RUST)
		rust_renames(out, cap, g, src, len);
	else if (g->lang == CC_LANG_JAVASCRIPT || g->lang == CC_LANG_TYPESCRIPT ||
	         g->lang == CC_LANG_TSX)
		js_renames(out, cap, g, src, len);
	else if (g->lang == CC_LANG_C || g->lang == CC_LANG_CPP)
		c_scan(src, len, out, cap, NULL);
}

/* Is word w (n bytes) among the words of t[0, at)? */
static int has_word_before(const char *t, size_t at, const char *w)
{
	size_t m = strlen(w);
	for (size_t i = 0; i + m <= at; i++)
		if (!memcmp(t + i, w, m) && (i == 0 || !idc(t[i - 1])) &&
		    (i + m == at || !idc(t[i + m])))
			return 1;
	return 0;
}

/* JS/TS (cg29): is function node `node` a member of an object literal that its enclosing
 * named function returns, `return { m() {..} }`, `=> ({ m: () => .. })`, `let api = { m() {..} };
 * .. return api` (a factory's object: its members are called through the returned value in
 * other files, `d.dispose()` of `let d = disposables()`)? 0 when not or unknown. */
/* JS/TS (cg29): where the object literal function node `node` is a member of opens (its '{'),
 * *fs the enclosing function's start; 0 when no member of a literal. */
static size_t member_literal(const cc_file_graph *g, uint32_t node, const char *src, size_t len,
                             size_t *fs_out)
{
	if (!src || node >= g->n_nodes ||
	    (g->lang != CC_LANG_JAVASCRIPT && g->lang != CC_LANG_TYPESCRIPT &&
	     g->lang != CC_LANG_TSX))
		return 0;
	const cc_node *nd = &g->nodes[node];
	if (nd->kind != CC_NODE_METHOD || nd->method < 0 || nd->end_byte > len || !nd->name)
		return 0;
	const cc_node *f = &g->nodes[nd->method];
	size_t fs = f->start_byte, i = nd->start_byte;
	/* a member: `m(..) {`, `async m(..)`, `m: () =>`, `m: function` after '{' or ',' */
	size_t p = i;
	while (p > fs && space(src[p - 1]))
		p--;
	if (p > fs && src[p - 1] == ':') {
		p--;
		while (p > fs && space(src[p - 1]))
			p--;
		while (p > fs && idc(src[p - 1]))
			p--;
		while (p > fs && space(src[p - 1]))
			p--;
	}
	if (p <= fs || (src[p - 1] != '{' && src[p - 1] != ','))
		return 0;
	/* the literal's '{': back over the members before this one */
	int d = 0;
	size_t o = p - 1;
	for (;; o--) {
		char c = src[o];
		d += c == ')' || c == ']' || c == '}';
		d -= c == '(' || c == '[' || c == '{';
		if (d < 0 || o == fs || p - o > 16384)
			break; /* (a literal's members further back than 16 KB: not read) */
	}
	if (d >= 0 || src[o] != '{')
		return 0;
	*fs_out = fs;
	return o;
}

int cc_def_returned(const cc_file_graph *g, uint32_t node, const char *src, size_t len)
{
	size_t fs = 0, o = member_literal(g, node, src, len, &fs);
	if (!o)
		return 0;
	const cc_node *f = &g->nodes[g->nodes[node].method];
	if (!*cc_graph_str(g, f->name))
		return 0; /* an anonymous function's object (a store's creator `(set) => ({..})`)
		           * is no factory other files call by name */
	size_t b = o;
	while (b > fs && space(src[b - 1]))
		b--;
	if (b > fs && src[b - 1] == '(') { /* `=> ({ .. })` */
		b--;
		while (b > fs && space(src[b - 1]))
			b--;
		return b >= fs + 2 && src[b - 1] == '>' && src[b - 2] == '=';
	}
	if (b >= fs + 6 && kw_at(src, b, b - 6, "return"))
		return 1;
	if (b <= fs || src[b - 1] != '=' || (b >= 2 && strchr("=!<>", src[b - 2])))
		return 0;
	b--;
	while (b > fs && space(src[b - 1]))
		b--;
	size_t ne = b;
	while (b > fs && idc(src[b - 1]))
		b--;
	if (ne == b || ne - b > 64)
		return 0;
	char name[72];
	memcpy(name, src + b, ne - b);
	name[ne - b] = 0;
	/* `return name` in the enclosing function (its first 64 KB after the literal) */
	size_t fe = f->end_byte - o > 65536 ? o + 65536 : f->end_byte;
	for (size_t k = o; k + 6 < fe; k++) {
		if (!kw_at(src, f->end_byte, k, "return"))
			continue;
		size_t w = k + 6;
		while (w < f->end_byte && space(src[w]))
			w++;
		if (w + (ne - b) <= f->end_byte && !memcmp(src + w, name, ne - b) &&
		    (w + (ne - b) == f->end_byte || !idc(src[w + (ne - b)])))
			return 1;
	}
	return 0;
}

/* JS/TS (cg29): a member of an object literal a function assigns to a property P, `x.P = { m:
 * () => .. }` (zustand's persist middleware: `(api as ..).persist = { rehydrate: .. }`): "=P"
 * into out, else "". */
void cc_def_prop(char *out, size_t cap, const cc_file_graph *g, uint32_t node, const char *src,
                 size_t len)
{
	size_t fs = 0, o = member_literal(g, node, src, len, &fs);
	out[0] = 0;
	if (!o)
		return;
	size_t b = o;
	while (b > fs && space(src[b - 1]))
		b--;
	if (b <= fs || src[b - 1] != '=' || (b >= 2 && strchr("=!<>", src[b - 2])))
		return;
	b--;
	while (b > fs && space(src[b - 1]))
		b--;
	size_t ne = b;
	while (b > fs && idc(src[b - 1]))
		b--;
	if (ne == b || b <= fs || src[b - 1] != '.' || ne - b + 2 > cap)
		return;
	snprintf(out, cap, "=%.*s", (int)(ne - b), src + b);
}

int cc_def_abstract(const cc_file_graph *g, uint32_t node, const char *src, size_t len)
{
	if (!src || node >= g->n_nodes || g->lang != CC_LANG_JAVA)
		return 0;
	const cc_node *nd = &g->nodes[node];
	if (nd->end_byte > len || nd->end_byte <= nd->start_byte)
		return 0;
	if (nd->kind == CC_NODE_TYPE_DECL && nd->name) {
		/* an interface or an abstract class: the words before its name */
		const char *t = src + nd->start_byte;
		size_t n = nd->end_byte - nd->start_byte;
		if (n > 4096)
			n = 4096;
		long at = word_at(t, n, cc_graph_str(g, nd->name));
		return at > 0 && (has_word_before(t, (size_t)at, "interface") ||
		                  has_word_before(t, (size_t)at, "abstract"));
	}
	if (nd->kind != CC_NODE_METHOD)
		return 0;
	size_t e = nd->end_byte;
	while (e > nd->start_byte && (src[e - 1] == ' ' || src[e - 1] == '\t' ||
	                              src[e - 1] == '\n' || src[e - 1] == '\r'))
		e--;
	return e > nd->start_byte && src[e - 1] == ';';
}

/* Rust (resolver 52, cg35): is type declaration node an impl block, `impl T`, `impl<X> Tr for T`,
 * `unsafe impl ..` (after its attributes and comments), rather than T's declaration? */
int cc_def_rust_impl(const cc_file_graph *g, uint32_t node, const char *src, size_t len)
{
	if (!src || node >= g->n_nodes || g->lang != CC_LANG_RUST)
		return 0;
	const cc_node *nd = &g->nodes[node];
	if (nd->kind != CC_NODE_TYPE_DECL || nd->end_byte > len || nd->end_byte <= nd->start_byte)
		return 0;
	const char *t = src + nd->start_byte;
	size_t n = nd->end_byte - nd->start_byte, i = 0;
	for (;;) {
		while (i < n && space(t[i]))
			i++;
		if (i + 1 < n && t[i] == '/' && t[i + 1] == '/') {
			while (i < n && t[i] != '\n')
				i++;
		} else if (i + 1 < n && t[i] == '/' && t[i + 1] == '*') {
			for (i += 2; i + 1 < n && !(t[i] == '*' && t[i + 1] == '/'); i++)
				;
			i += 2;
		} else if (i + 1 < n && t[i] == '#' && (t[i + 1] == '[' || t[i + 1] == '!')) {
			int d = 0;
			for (; i < n; i++) {
				d += t[i] == '[';
				if (t[i] == ']' && !--d) {
					i++;
					break;
				}
			}
		} else if (kw_at(t, n, i, "unsafe")) {
			i += 6;
		} else {
			break;
		}
	}
	if (i >= n || !kw_at(t, n, i, "impl"))
		return 0;
	/* a blanket impl, `impl<T: Display> ToHeader for T`: its type is the impl's generic
	 * parameter, no type at all (a receiver typed T stays one of unknown type) */
	for (i += 4; i < n && space(t[i]); i++)
		;
	if (i < n && t[i] == '<' && nd->name) {
		const char *nm = cc_graph_str(g, nd->name);
		size_t e = i, d = 0;
		for (; e < n; e++) {
			d += t[e] == '<';
			if (t[e] == '>' && t[e - 1] != '-' && !--d)
				break;
		}
		if (word_at(t + i, e - i, nm) >= 0)
			return 0;
	}
	return 1;
}

/* Rust (resolver 56, cg39): the type a type declaration node stands for, written as a declared
 * type is (type_name, rust_lib_shape, rust_qualified_field: `str` -> "str", `[u8]` -> "![]",
 * `std::..` or a module the file takes from std -> "!..", another crate's path -> ""): an `impl
 * Deref for T { type Target = X; .. }` block's X (what T dereferences to), a `type A<..> = X;`
 * alias's X. "" for any other node, and when X is one of the declaration's own generic
 * parameters (`impl<T> Deref for W<T> { type Target = T; }`, `type A<T> = T;`: no type). */
static void rust_target_type(char *out, size_t cap, const char *src, size_t len, const char *t,
                             size_t vb, size_t ve, size_t g0, size_t g1)
{
	type_name(out, cap, t + vb, ve - vb);
	rust_lib_shape(out, cap, t + vb, ve - vb);
	rust_qualified_field(out, cap, src, len, t + vb, ve - vb);
	if (out[0] && out[0] != '!' && g1 > g0 && word_at(t + g0, g1 - g0, out) >= 0)
		out[0] = 0; /* a generic parameter of the declaration */
}

void cc_rust_type_target(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                         const char *src, size_t len)
{
	out[0] = 0;
	if (cap < 4 || !src || node >= g->n_nodes || g->lang != CC_LANG_RUST)
		return;
	const cc_node *nd = &g->nodes[node];
	if (nd->kind != CC_NODE_TYPE_DECL || nd->end_byte > len || nd->end_byte <= nd->start_byte)
		return;
	const char *t = src + nd->start_byte;
	size_t n = nd->end_byte - nd->start_byte, i = 0;
	if (n > 65536)
		n = 65536;
	if (!cc_def_rust_impl(g, node, src, len)) {
		/* `[pub(..)] type A<..> = X;` (after attributes and comments) */
		const char *a = t;
		size_t an = n;
		for (size_t k0 = (size_t)-1; k0 != an;) { /* modifiers, attributes, comments */
			k0 = an;
			skip_mods(&a, &an);
			if (an > 2 && a[0] == '/' && (a[1] == '/' || a[1] == '*')) {
				size_t k = 2;
				while (k < an && (a[1] == '/' ? a[k] != '\n' : !(a[k - 1] == '*' && a[k] == '/')))
					k++;
				k = k < an ? k + 1 : an;
				a += k;
				an -= k;
			}
		}
		if (!kw_at(a, an, 0, "type"))
			return;
		size_t q = 4, g0, g1;
		while (q < an && space(a[q]))
			q++;
		while (q < an && idc(a[q]))
			q++;
		while (q < an && space(a[q]))
			q++;
		g0 = g1 = q;
		if (q < an && a[q] == '<') {
			int d = 0;
			for (; q < an; q++) {
				d += a[q] == '<';
				if (a[q] == '>' && a[q - 1] != '-' && !--d)
					break;
			}
			g1 = q++;
		}
		while (q < an && space(a[q]))
			q++;
		if (q >= an || a[q] != '=')
			return;
		size_t ve = q + 1;
		while (ve < an && a[ve] != ';')
			ve++;
		if (ve < an)
			rust_target_type(out, cap, src, len, a, q + 1, ve, g0, g1);
		return;
	}
	while (i < n && !kw_at(t, n, i, "impl"))
		i++;
	for (i += 4; i < n && space(t[i]); i++)
		;
	size_t g0 = i, g1 = i; /* the impl's generic parameters, t[g0, g1) */
	if (i < n && t[i] == '<') {
		int d = 0;
		for (; i < n; i++) {
			d += t[i] == '<';
			if (t[i] == '>' && t[i - 1] != '-' && !--d)
				break;
		}
		g1 = i++;
	}
	/* the trait, up to `for` at its own level: its last component must be Deref */
	size_t tb = i, te = 0;
	int d = 0;
	for (size_t k = i; k < n && t[k] != '{'; k++) {
		d += t[k] == '<' || t[k] == '(';
		d -= (t[k] == '>' && t[k - 1] != '-') || t[k] == ')';
		if (!d && kw_at(t, n, k, "for")) {
			te = k;
			break;
		}
	}
	if (!te)
		return;
	size_t we = tb;
	while (we < te && (idc(t[we]) || t[we] == ':'))
		we++;
	if (we < 5 || memcmp(t + we - 5, "Deref", 5) || (we > tb + 5 && idc(t[we - 6])))
		return;
	size_t h = te;
	d = 0;
	for (; h < n; h++) {
		d += t[h] == '<' || t[h] == '(';
		d -= (t[h] == '>' && t[h - 1] != '-') || t[h] == ')';
		if (!d && t[h] == '{')
			break;
	}
	/* `type Target = X;` at the body's own level */
	d = 0;
	for (size_t k = h + 1; k < n; k++) {
		char c = t[k];
		if (c == '"') {
			for (k++; k < n && t[k] != '"'; k++)
				k += t[k] == '\\';
			continue;
		}
		if (c == '/' && k + 1 < n && t[k + 1] == '/') {
			while (k < n && t[k] != '\n')
				k++;
			continue;
		}
		d += c == '{';
		d -= c == '}';
		if (d < 0)
			return;
		if (d || !kw_at(t, n, k, "type"))
			continue;
		size_t q = k + 4;
		while (q < n && space(t[q]))
			q++;
		if (!kw_at(t, n, q, "Target"))
			continue;
		for (q += 6; q < n && space(t[q]); q++)
			;
		if (q >= n || t[q] != '=')
			return;
		size_t vb = q + 1, ve = vb;
		while (ve < n && t[ve] != ';')
			ve++;
		if (ve >= n)
			return;
		rust_target_type(out, cap, src, len, t, vb, ve, g0, g1);
		return;
	}
}

/* C++ (resolver 56, cg39): can `T()` construct class node T with no constructor definition the
 * index holds? Yes when its body declares no constructor at all (the implicit default one), or
 * declares one that takes no argument (`T();`, `T() = default;`, `explicit T(int n = 0);`) without
 * a body of its own there (a `T() {..}` in the body is a definition: not this). A deleted one
 * (`T() = delete;`) is none. Reads the body's top-level members; a class over 64 KB is not read. */
int cc_cpp_default_ctor(const cc_file_graph *g, uint32_t node, const char *src, size_t len)
{
	if (!src || node >= g->n_nodes || g->lang != CC_LANG_CPP)
		return 0;
	const cc_node *nd = &g->nodes[node];
	if (nd->kind != CC_NODE_TYPE_DECL || !nd->name || nd->end_byte > len ||
	    nd->end_byte - nd->start_byte > 65536)
		return 0;
	const char *nm = cc_graph_str(g, nd->name);
	size_t nl = strlen(nm);
	const char *t = src + nd->start_byte;
	size_t n = nd->end_byte - nd->start_byte, h = 0;
	if (!nl)
		return 0;
	/* the body's `{` (outside parentheses and template arguments) */
	for (int d = 0; h < n; h++) {
		if (t[h] == '(' || t[h] == '<')
			d++;
		else if ((t[h] == ')' || t[h] == '>') && d > 0)
			d--;
		else if (t[h] == ';' && !d)
			return 0; /* a declaration without a body */
		else if (t[h] == '{' && !d)
			break;
	}
	if (h >= n)
		return 0;
	/* a class, struct or union (an enum constructs nothing of the repository's) */
	long at = word_at(t, h, nm);
	if (at < 0 || !(has_word_before(t, (size_t)at, "class") || has_word_before(t, (size_t)at, "struct") || has_word_before(t, (size_t)at, "union")) ||
	    has_word_before(t, (size_t)at, "enum"))
		return 0;
	int ctors = 0, zero_decl = 0;
	size_t s = h + 1;
	for (size_t i = h + 1, d = 0; i < n; i++) {
		char c = t[i];
		if (c == '"' || c == '\'') {
			for (i++; i < n && t[i] != c; i++)
				i += t[i] == '\\';
			continue;
		}
		if (c == '/' && i + 1 < n && (t[i + 1] == '/' || t[i + 1] == '*')) {
			int line = t[i + 1] == '/';
			for (i += 2; i < n && (line ? t[i] != '\n' : !(t[i - 1] == '*' && t[i] == '/')); i++)
				;
			if (!d)
				s = i + 1;
			continue;
		}
		if (c == '{' || c == '(') {
			if (!d && c == '{') {
				/* a member with a body: a constructor definition `T(..) [: ..] {` */
				size_t k = s;
				while (k < i && (space(t[k]) || idc(t[k]) || t[k] == ':' || t[k] == '~')) {
					size_t w = k;
					while (k < i && idc(t[k]))
						k++;
					if (k - w == nl && !memcmp(t + w, nm, nl) && (w == s || !idc(t[w - 1]))) {
						size_t q = k;
						while (q < i && space(t[q]))
							q++;
						if (q < i && t[q] == '(' && (w == 0 || t[w - 1] != '~'))
							ctors++;
						break;
					}
					if (k == w)
						k++;
				}
			}
			d++;
			continue;
		}
		if (c == '}' || c == ')') {
			if (!d)
				break; /* the body's end */
			if (!--d && c == '}')
				s = i + 1;
			continue;
		}
		if (d || (c != ';' && !(c == ':' && i > s && !(i + 1 < n && t[i + 1] == ':') &&
		                        t[i - 1] != ':')))
			continue;
		/* a top-level member t[s, i): `[explicit] T(params) [noexcept] [= default];` */
		size_t k = s;
		for (;;) {
			while (k < i && space(t[k]))
				k++;
			size_t w = k;
			while (k < i && idc(t[k]))
				k++;
			if (k == w)
				break;
			size_t q = k;
			while (q < i && space(t[q]))
				q++;
			if (k - w == nl && !memcmp(t + w, nm, nl) && q < i && t[q] == '(') {
				ctors++;
				size_t e = q + 1;
				int pd = 1, all_default = 1, any = 0, has_eq = 0;
				for (; e < i && pd; e++) {
					if (t[e] == '(' || t[e] == '<' || t[e] == '[' || t[e] == '{')
						pd++;
					else if (t[e] == ')' || t[e] == '>' || t[e] == ']' || t[e] == '}')
						pd--;
					if (pd == 1 && t[e] == '=')
						has_eq = 1;
					if (pd == 1 && t[e] == ',') {
						all_default &= has_eq;
						has_eq = 0;
					}
					if (!space(t[e]) && pd >= 1 && t[e] != ')')
						any = 1;
				}
				all_default &= has_eq;
				size_t pl = e - q - 2;
				int is_void = pl >= 4 && !memcmp(t + q + 1 + strspn(t + q + 1, " \t"), "void", 4);
				int deleted = 0;
				for (size_t r = e; r + 6 <= i; r++)
					if (!memcmp(t + r, "delete", 6))
						deleted = 1;
				if ((!any || is_void || all_default) && !deleted)
					zero_decl = 1;
				break;
			}
			if (q < i && t[q] == '(')
				break; /* another member function */
			k = q;
		}
		s = i + 1;
	}
	return !ctors || zero_decl;
}

int cc_def_private(const cc_file_graph *g, uint32_t node, const char *src, size_t len)
{
	if (!src || node >= g->n_nodes)
		return 0;
	const cc_node *nd = &g->nodes[node];
	if (nd->kind != CC_NODE_METHOD || nd->end_byte > len || !nd->name)
		return 0;
	const char *name = cc_graph_str(g, nd->name);
	const char *t = src + nd->start_byte;
	size_t n = nd->end_byte - nd->start_byte;
	if (n > 4096)
		n = 4096;
	long at = word_at(t, n, name);
	if (at < 0)
		return 0;
	switch (g->lang) {
	case CC_LANG_RUST: {
		if (has_word_before(t, (size_t)at, "pub"))
			return 0;
		/* a trait's methods and a trait impl's are as visible as the trait */
		for (int32_t p = nd->parent; p >= 0 && (uint32_t)p < g->n_nodes;
		     p = g->nodes[p].parent) {
			const cc_node *pn = &g->nodes[p];
			if (pn->kind == CC_NODE_METHOD)
				return 1; /* a function local to another */
			if (pn->kind != CC_NODE_TYPE_DECL || pn->end_byte > len)
				continue;
			const char *h = src + pn->start_byte;
			size_t hn = 0, cap = pn->end_byte - pn->start_byte;
			while (hn < cap && hn < 512 && h[hn] != '{')
				hn++;
			long tr = word_at(h, hn, "trait");
			long im = word_at(h, hn, "impl");
			if (tr >= 0 && (im < 0 || tr < im))
				return 0;
			return im >= 0 && word_at(h, hn, "for") < 0;
		}
		return 1; /* a free function without pub */
	}
	case CC_LANG_JAVA:
		return has_word_before(t, (size_t)at, "private");
	case CC_LANG_TYPESCRIPT:
	case CC_LANG_TSX:
	case CC_LANG_JAVASCRIPT:
		return (at > 0 && t[at - 1] == '#') || has_word_before(t, (size_t)at, "private");
	case CC_LANG_C:
	case CC_LANG_CPP:
		/* a static function (not a class's static member: its qual names the class) */
		return has_word_before(t, (size_t)at, "static") &&
		       !strcmp(cc_graph_str(g, nd->qual), name);
	default:
		return 0;
	}
}

int cc_def_member(const cc_file_graph *g, uint32_t node, const char *src, size_t len)
{
	if (!src || node >= g->n_nodes || g->lang != CC_LANG_CPP)
		return 0;
	const cc_node *nd = &g->nodes[node];
	if (nd->kind != CC_NODE_METHOD || nd->end_byte > len || !nd->name)
		return 0;
	const char *t;
	size_t n;
	long at = def_head(g, nd, src, &t, &n);
	if (at < 0)
		return 0;
	size_t i = (size_t)at;
	while (i < n && t[i] != '(' && t[i] != '{' && t[i] != ';')
		i++;
	if (i >= n || t[i] != '(')
		return 0;
	int d = 0;
	for (; i < n; i++) {
		d += t[i] == '(';
		d -= t[i] == ')';
		if (!d)
			break;
	}
	/* the qualifiers between the parameter list and the body or trailing return type */
	size_t e = ++i;
	while (e < n && t[e] != '{' && t[e] != ';' && !(t[e] == '-' && e + 1 < n && t[e + 1] == '>') &&
	       t[e] != ':')
		e++;
	return word_at(t + i, e - i, "const") >= 0 || word_at(t + i, e - i, "override") >= 0 ||
	       word_at(t + i, e - i, "final") >= 0 || word_at(t + i, e - i, "volatile") >= 0;
}

/* Skips spaces and comments from t[i]; returns the new index. */
static size_t skip_ws(const char *t, size_t i, size_t n)
{
	for (;;) {
		while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
			i++;
		if (i + 1 < n && t[i] == '/' && t[i + 1] == '*') {
			i += 2;
			while (i + 1 < n && !(t[i] == '*' && t[i + 1] == '/'))
				i++;
			i = i + 1 < n ? i + 2 : n;
		} else if (i + 1 < n && t[i] == '/' && t[i + 1] == '/') {
			while (i < n && t[i] != '\n')
				i++;
		} else {
			return i;
		}
	}
}

/* The identifier at t[i] (its length; 0 when none). */
static size_t ident_len(const char *t, size_t i, size_t n)
{
	size_t m = 0;
	if (i < n && (t[i] >= '0' && t[i] <= '9'))
		return 0;
	while (i + m < n && (idc(t[i + m]) || t[i + m] == '$'))
		m++;
	return m;
}

void cc_default_export(char *out, size_t cap, const cc_file_graph *g, const char *src, size_t len)
{
	out[0] = 0;
	int js = g->lang == CC_LANG_JAVASCRIPT || g->lang == CC_LANG_TYPESCRIPT ||
	         g->lang == CC_LANG_TSX;
	if (!src || cap < 3 || !js)
		return;
	static const char *const heads[] = {"module.exports", "export default"};
	for (size_t i = 0; i < len; i++) {
		int h;
		size_t hl = 0;
		for (h = 0; h < 2; h++) {
			hl = strlen(heads[h]);
			if (i + hl <= len && !memcmp(src + i, heads[h], hl) && (i == 0 || !idc(src[i - 1])) &&
			    (i + hl == len || !idc(src[i + hl])) && (i == 0 || src[i - 1] != '.'))
				break;
		}
		if (h == 2)
			continue;
		size_t j = skip_ws(src, i + hl, len);
		if (h == 0) {
			if (j >= len || src[j] != '=' || (j + 1 < len && src[j + 1] == '='))
				continue;
			j = skip_ws(src, j + 1, len);
		} else {
			/* export default function NAME( / class NAME / async function NAME */
			static const char *const kw[] = {"async", "function", "class"};
			for (int k = 0; k < 3; k++) {
				size_t kl = strlen(kw[k]);
				if (j + kl < len && !memcmp(src + j, kw[k], kl) && !idc(src[j + kl])) {
					j = skip_ws(src, j + kl, len);
					if (j < len && src[j] == '*')
						j = skip_ws(src, j + 1, len);
				}
			}
		}
		size_t m = ident_len(src, j, len);
		if (!m || m + 2 > cap)
			continue;
		if (m == 7 && !memcmp(src + j, "require", 7)) {
			/* module.exports = require('./lib/x'): that module's default export */
			size_t p = skip_ws(src, j + 7, len);
			if (p >= len || src[p] != '(')
				continue;
			p = skip_ws(src, p + 1, len);
			if (p >= len || (src[p] != '\'' && src[p] != '"'))
				continue;
			char q = src[p++];
			size_t e = p;
			while (e < len && src[e] != q && src[e] != '\n')
				e++;
			if (e >= len || src[e] != q || e - p + 2 > cap)
				continue;
			out[0] = '@';
			memcpy(out + 1, src + p, e - p);
			out[e - p + 1] = 0;
			return;
		}
		size_t after = skip_ws(src, j + m, len);
		if (h == 0 && after < len && src[after] != ';' && src[after] != '\n' &&
		    src[after - 1] != '\n')
			continue; /* module.exports = x.y / a call / an object: not a name */
		memcpy(out, src + j, m);
		out[m] = 0;
		if (!strcmp(out, "exports") || !strcmp(out, "module")) {
			out[0] = 0; /* exports = module.exports = NAME: read on from there */
			continue;
		}
		return;
	}
}

/* Skips blanks and comments from i (not newlines' meaning: a scan of names only). */
static size_t ns_skip(const char *src, size_t len, size_t i)
{
	for (;;) {
		while (i < len && (space(src[i]) || src[i] == '\f' || src[i] == '\v'))
			i++;
		if (i + 1 < len && src[i] == '/' && (src[i + 1] == '/' || src[i + 1] == '*'))
			i = skip_lexeme(src, len, i);
		else
			return i;
	}
}

/* Reads what follows `namespace` at i: the path it names (`a`, `a::b`, C++20 `a::inline b`:
 * inline parts add nothing) appended to path (cap bytes), up to its `{`. Returns the offset of
 * that `{`, or 0 when none follows (an alias `namespace x = y;`, a `using namespace`). */
static size_t ns_head(char *path, size_t cap, const char *src, size_t len, size_t i)
{
	size_t pl = strlen(path);
	for (;;) {
		i = ns_skip(src, len, i);
		if (i >= len)
			return 0;
		if (src[i] == '{')
			return i;
		if (src[i] == '[' && i + 1 < len && src[i + 1] == '[') { /* [[deprecated]] */
			while (i + 1 < len && !(src[i] == ']' && src[i + 1] == ']'))
				i++;
			i += 2;
			continue;
		}
		if (src[i] == ':' && i + 1 < len && src[i + 1] == ':') {
			i += 2;
			continue;
		}
		if (!idc(src[i]) || (src[i] >= '0' && src[i] <= '9'))
			return 0;
		size_t w = i;
		while (i < len && idc(src[i]))
			i++;
		if (i - w == 6 && !memcmp(src + w, "inline", 6)) {
			/* `a::inline b`: b adds nothing */
			i = ns_skip(src, len, i);
			while (i < len && idc(src[i]))
				i++;
			continue;
		}
		if (pl + (pl ? 2 : 0) + (i - w) + 1 > cap)
			continue; /* too deep to record: the path stays its outer part */
		if (pl) {
			memcpy(path + pl, "::", 2);
			pl += 2;
		}
		memcpy(path + pl, src + w, i - w);
		pl += i - w;
		path[pl] = 0;
	}
}

size_t cc_cpp_namespaces(cc_ns_block *out, size_t cap, const char *src, size_t len)
{
	/* Every block's `{` pushes an entry: the namespace block it opens (its index in out, or
	 * the count when over cap), or -1 for any other block. */
	enum { MAX_DEPTH = 256 };
	long stack[MAX_DEPTH];
	size_t depth = 0, n = 0;
	int line_start = 1, prev_using = 0, prev_inline = 0;
	if (!src)
		return 0;
	for (size_t i = 0; i < len;) {
		size_t j = c_skip(src, len, i, &line_start);
		if (j != i) {
			i = j;
			continue;
		}
		char c = src[i];
		if (idc(c) && !(c >= '0' && c <= '9')) {
			size_t w = i;
			while (i < len && idc(src[i]))
				i++;
			size_t wl = i - w;
			if (wl == 9 && !memcmp(src + w, "namespace", 9) && !prev_using) {
				char path[sizeof(out->path)] = "";
				long parent = -1;
				/* the enclosing namespace's path, then this one's (an inline or
				 * anonymous namespace adds nothing) */
				for (size_t d = depth < MAX_DEPTH ? depth : MAX_DEPTH; d-- > 0;)
					if (stack[d] >= 0) {
						parent = stack[d];
						if ((size_t)stack[d] < n && (size_t)stack[d] < cap)
							memcpy(path, out[stack[d]].path, sizeof(path));
						break;
					}
				char own[sizeof(out->path)] = "";
				size_t open = ns_head(own, sizeof(own), src, len, i);
				if (open) {
					if (*own && !prev_inline) {
						size_t pl = strlen(path), ol = strlen(own);
						if (pl + (pl ? 2 : 0) + ol < sizeof(path)) {
							if (pl)
								memcpy(path + pl, "::", 2), pl += 2;
							memcpy(path + pl, own, ol + 1);
						}
					}
					if (depth < MAX_DEPTH)
						stack[depth] = (long)n;
					depth++;
					if (n < cap) {
						out[n].open = (uint32_t)open;
						out[n].close = (uint32_t)len;
						out[n].parent = parent;
						memcpy(out[n].path, path, sizeof(path));
					}
					n++;
					i = open + 1;
				}
			}
			prev_using = wl == 5 && !memcmp(src + w, "using", 5);
			prev_inline = wl == 6 && !memcmp(src + w, "inline", 6);
			continue;
		}
		prev_using = prev_inline = 0;
		if (c == '{') {
			if (depth < MAX_DEPTH)
				stack[depth] = -1;
			depth++;
		} else if (c == '}' && depth) {
			depth--;
			if (depth < MAX_DEPTH && stack[depth] >= 0 && (size_t)stack[depth] < cap &&
			    (size_t)stack[depth] < n)
				out[stack[depth]].close = (uint32_t)(i + 1);
		}
		i++;
	}
	return n;
}

const char *cc_ns_at(const cc_ns_block *b, size_t n, uint32_t at)
{
	/* the last block opened before at, then out through its parents: blocks nest, so the
	 * innermost one containing at is among them */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b[mid].open <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	long i = (long)lo - 1;
	while (i >= 0 && at >= b[i].close)
		i = b[i].parent >= 0 && b[i].parent < i ? b[i].parent : -1;
	return i >= 0 ? b[i].path : "";
}

/* Reads a `#define` body (continuations joined, comments and blanks between tokens passed
 * over) from i to its line's end: whether it consists only of namespace openings (`namespace
 * a {`, `namespace a::b {`, `inline namespace X {` with X anything but braces and `;`, `namespace
 * {`) or only of `}`. Fills path (cap bytes) with the opened non-inline components joined and
 * *braces with the count; returns +1 (opens), -1 (closes) or 0 (anything else). */
static int ns_macro_body(char *path, size_t cap, int *braces, const char *src, size_t len,
                         size_t i)
{
	int opens = 0, closes = 0, inl = 0, in_ns = 0;
	size_t pl = 0;
	path[0] = 0;
	for (;;) {
		/* next token: blanks, comments and continuations passed over; the line's end ends */
		while (i < len) {
			if (src[i] == ' ' || src[i] == '\t' || src[i] == '\r' || src[i] == '\f' ||
			    src[i] == '\v')
				i++;
			else if (src[i] == '\\' && i + 1 < len && src[i + 1] == '\n')
				i += 2;
			else if (src[i] == '\\' && i + 2 < len && src[i + 1] == '\r' && src[i + 2] == '\n')
				i += 3;
			else if (i + 1 < len && src[i] == '/' && src[i + 1] == '*')
				i = skip_lexeme(src, len, i);
			else
				break;
		}
		if (i >= len || src[i] == '\n' || (i + 1 < len && src[i] == '/' && src[i + 1] == '/'))
			break;
		char c = src[i];
		if (c == '}' && !in_ns) {
			closes++;
			i++;
		} else if (c == '{' && in_ns) {
			opens++;
			in_ns = inl = 0;
			i++;
		} else if (c == ':' && in_ns == 2 && i + 1 < len && src[i + 1] == ':' && !inl) {
			i += 2;
		} else if (idc(c) && !(c >= '0' && c <= '9')) {
			size_t w = i;
			while (i < len && idc(src[i]))
				i++;
			size_t wl = i - w;
			if (!in_ns && wl == 6 && !memcmp(src + w, "inline", 6)) {
				inl = 1;
			} else if (!in_ns && wl == 9 && !memcmp(src + w, "namespace", 9)) {
				in_ns = 1;
			} else if (in_ns && inl) {
				/* an inline namespace's name adds nothing, whatever it is */
			} else if (in_ns == 1 || in_ns == 2) {
				if (wl == 6 && !memcmp(src + w, "inline", 6)) {
					inl = 1; /* `a::inline b` */
					continue;
				}
				if (pl + (pl ? 2 : 0) + wl + 1 > cap)
					return 0;
				if (pl)
					memcpy(path + pl, "::", 2), pl += 2;
				memcpy(path + pl, src + w, wl);
				pl += wl;
				path[pl] = 0;
				in_ns = 2;
			} else {
				return 0;
			}
		} else if (in_ns && inl && c != '{' && c != '}' && c != ';') {
			i++; /* json's `inline namespace NLOHMANN_JSON_NAMESPACE_CONCAT(..)` */
		} else {
			return 0;
		}
	}
	if (in_ns || (opens && closes) || (!opens && !closes))
		return 0;
	*braces = opens ? opens : closes;
	return opens ? 1 : -1;
}

/* The shape of a `#define` body from i to its line's end (as ns_macro_body reads it): 2 when
 * it is empty, 1 when it opens one block and closes none, its last token that `{` (`export
 * {`, `extern "C" {`), else 0. */
static int macro_body_shape(const char *src, size_t len, size_t i)
{
	int opens = 0, closes = 0, any = 0;
	char last = 0;
	while (i < len && src[i] != '\n') {
		if (src[i] == '\\' && i + 1 < len && src[i + 1] == '\n') {
			i += 2;
			continue;
		}
		if (src[i] == '\\' && i + 2 < len && src[i + 1] == '\r' && src[i + 2] == '\n') {
			i += 3;
			continue;
		}
		if (i + 1 < len && src[i] == '/' && src[i + 1] == '/')
			break;
		size_t j = skip_lexeme(src, len, i);
		if (j != i && src[i] == '/') {
			i = j; /* a comment */
			continue;
		}
		char c = src[i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') {
			any = 1;
			last = c;
			opens += c == '{';
			closes += c == '}';
		}
		i = j != i ? j : i + 1;
	}
	if (!any)
		return 2;
	return opens == 1 && !closes && last == '{';
}

size_t cc_ns_macros(char *out, size_t cap, const char *src, size_t len)
{
	size_t n = 0, ol = 0;
	int line_start = 1;
	if (cap)
		out[0] = 0;
	if (!src)
		return 0;
	for (size_t i = 0; i < len;) {
		size_t b = c_blank(src, i, &line_start);
		if (b != i) {
			i = b;
			continue;
		}
		char c = src[i];
		if (c != '#' || !line_start) {
			size_t j = skip_lexeme(src, len, i);
			line_start = 0;
			i = j != i ? j : i + 1;
			continue;
		}
		/* a preprocessor line: `#  define NAME body` (not `NAME(`) */
		size_t j = i + 1;
		while (j < len && (src[j] == ' ' || src[j] == '\t'))
			j++;
		if (j + 6 <= len && !memcmp(src + j, "define", 6) && j + 6 < len &&
		    (src[j + 6] == ' ' || src[j + 6] == '\t')) {
			j += 6;
			while (j < len && (src[j] == ' ' || src[j] == '\t'))
				j++;
			size_t w = j;
			while (j < len && idc(src[j]))
				j++;
			char path[128];
			int braces = 0, kind = 0, shape = 0;
			if (j > w && j < len && src[j] != '(' && j - w < 128 &&
			    ((kind = ns_macro_body(path, sizeof(path), &braces, src, len, j)) ||
			     (shape = macro_body_shape(src, len, j)))) {
				char ent[300];
				int el = kind > 0    ? snprintf(ent, sizeof(ent), "%.*s+%s/%d,", (int)(j - w),
				                                src + w, path, braces)
				         : kind < 0  ? snprintf(ent, sizeof(ent), "%.*s-%d,", (int)(j - w),
				                                src + w, braces)
				         : shape > 1 ? snprintf(ent, sizeof(ent), "%.*s=,", (int)(j - w),
				                                src + w)
				                     : snprintf(ent, sizeof(ent), "%.*s+/1,", (int)(j - w),
				                                src + w);
				if (el > 0 && (size_t)el < sizeof(ent) && ol + (size_t)el < cap) {
					memcpy(out + ol, ent, (size_t)el + 1);
					ol += (size_t)el;
					n++;
				}
			}
		}
		i = pp_line_end(src, len, i); /* to the line's end, with its continuations */
	}
	return n;
}

size_t cc_lone_lines(uint32_t *off, uint32_t *wlen, size_t cap, const char *src, size_t len)
{
	size_t n = 0;
	int line_start = 1;
	if (!src)
		return 0;
	for (size_t i = 0; i < len;) {
		size_t b = c_blank(src, i, &line_start);
		if (b != i) {
			i = b;
			continue;
		}
		char c = src[i];
		if (c == '#' && line_start) {
			i = pp_line_end(src, len, i);
			continue;
		}
		if (line_start && idc(c) && !(c >= '0' && c <= '9')) {
			size_t w = i;
			while (i < len && idc(src[i]))
				i++;
			size_t e = i;
			while (i < len && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r'))
				i++;
			while (i + 1 < len && src[i] == '/' && src[i + 1] == '*') {
				size_t k = skip_lexeme(src, len, i);
				if (memchr(src + i, '\n', k - i))
					break; /* a comment over lines: not this line alone */
				i = k;
				while (i < len && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r'))
					i++;
			}
			line_start = 0;
			if (i >= len || src[i] == '\n' ||
			    (i + 1 < len && src[i] == '/' && src[i + 1] == '/')) {
				if (n < cap && off && wlen) {
					off[n] = (uint32_t)w;
					wlen[n] = (uint32_t)(e - w);
				}
				n++;
			}
			continue;
		}
		line_start = 0;
		size_t j = skip_lexeme(src, len, i);
		i = j != i ? j : i + 1;
	}
	return n;
}

/* The identifier ending just before src[e] (after blanks): its start, or e when none. */
static size_t ident_before(const char *src, size_t e)
{
	size_t b = e;
	while (b > 0 && idc(src[b - 1]))
		b--;
	return b;
}

static size_t blanks_before(const char *src, size_t e)
{
	while (e > 0 && space(src[e - 1]))
		e--;
	return e;
}

/* Appends "," (when *o) and the entry "a:b" (a of al bytes, b of bl; "@q" after it when q is
 * not empty) to out if it fits in cap. */
static void bound_put(char *out, size_t cap, size_t *o, const char *a, size_t al, const char *b,
                      size_t bl, const char *q)
{
	size_t ql = q ? strlen(q) : 0, need = (*o ? 1 : 0) + al + 1 + bl + (ql ? ql + 1 : 0);
	if (*o + need + 1 > cap)
		return;
	if (*o)
		out[(*o)++] = ',';
	memcpy(out + *o, a, al);
	*o += al;
	out[(*o)++] = ':';
	memcpy(out + *o, b, bl);
	*o += bl;
	if (ql) {
		out[(*o)++] = '@';
		memcpy(out + *o, q, ql);
		*o += ql;
	}
	out[*o] = 0;
}

/* The qualified name of the innermost function of g whose text holds byte at ("" when none). */
static const char *method_at(const cc_file_graph *g, size_t at)
{
	const char *q = "";
	for (uint32_t n = 0; n < g->n_nodes; n++) {
		const cc_node *nd = &g->nodes[n];
		if (nd->kind == CC_NODE_METHOD && nd->start_byte <= at && at < nd->end_byte)
			q = cc_graph_str(g, nd->qual);
	}
	return q;
}

/* Is name[0, nl) bound by a parameter or local (a plain one or a destructuring pattern) of
 * function node m or a function enclosing it? */
static int local_binding(const cc_file_graph *g, int32_t m, const char *name, size_t nl)
{
	char nm[72];
	if (nl >= sizeof(nm))
		return 0;
	memcpy(nm, name, nl);
	nm[nl] = 0;
	for (uint32_t k = 0; m >= 0 && k < g->n_nodes; k++) {
		const cc_node *nd = &g->nodes[k];
		if ((nd->kind != CC_NODE_PARAM && nd->kind != CC_NODE_ASSIGNMENT) || nd->method < 0 ||
		    !nd->name)
			continue;
		int in = 0;
		for (int32_t a = m; a >= 0 && !in; a = g->nodes[a].method)
			in = nd->method == a;
		if (!in)
			continue;
		const char *t = cc_graph_str(g, nd->name);
		if (!strcmp(t, nm) || ((t[0] == '{' || t[0] == '[') && pattern_binds(t, nm)))
			return 1;
	}
	return 0;
}

/* JS/TS React contexts (ts20): what a file says of them, as bound-member entries whose member
 * starts with '%' (no call is named so): `X = createContext(..)` "%X{}:X"; a function H whose
 * body reads `useContext(X)` "%H():X"; a provider `<X.Provider value={{ a, b: c }}>` inside a
 * function Q "%X.a:a@Q,%X.b:c@Q" (shorthand and plain-name properties; others skipped). */
static void react_contexts(char *out, size_t cap, size_t *o, const cc_file_graph *g,
                           const char *src, size_t len)
{
	char m[160];
	size_t hooks = 0, provs = 0;
	for (uint32_t i = 0; i < g->n_nodes && hooks < 16; i++) {
		const cc_node *n = &g->nodes[i];
		const char *q = cc_graph_str(g, n->qual);
		if (n->kind != CC_NODE_CALL || strcmp(cc_graph_str(g, n->name), "useContext") ||
		    (*q && strcmp(q, "React")) || n->method < 0 || n->end_byte > len)
			continue;
		const char *h = cc_graph_str(g, g->nodes[n->method].name);
		const char *p = src + n->start_byte, *e = src + n->end_byte;
		while (p < e && *p != '(')
			p++;
		for (p++; p < e && space(*p); p++)
			;
		const char *x = p;
		while (p < e && idc(*p))
			p++;
		size_t xl = (size_t)(p - x), hl = strlen(h);
		while (p < e && space(*p))
			p++;
		if (!xl || xl > 64 || p >= e || *p != ')' || !plain_ident(h) || hl > 64)
			continue;
		m[0] = '%';
		memcpy(m + 1, h, hl);
		memcpy(m + 1 + hl, "()", 2);
		bound_put(out, cap, o, m, hl + 3, x, xl, NULL);
		hooks++;
	}
	for (const char *s = src; (s = memmem(s, len - (size_t)(s - src), "createContext", 13));) {
		size_t at = (size_t)(s - src), e = at;
		s += 13;
		if (e >= 6 && !memcmp(src + e - 6, "React.", 6))
			e -= 6;
		if (e > 0 && (idc(src[e - 1]) || src[e - 1] == '.'))
			continue;
		e = blanks_before(src, e);
		if (e < 2 || src[e - 1] != '=' || strchr("=!<>+-*/%&|^?", src[e - 2]))
			continue;
		size_t xe = blanks_before(src, e - 1), xb = ident_before(src, xe);
		size_t pb = blanks_before(src, xb);
		if (xb < xe && pb > 0 && src[pb - 1] == ':') {
			/* `X: T = createContext(..)` */
			xe = blanks_before(src, pb - 1);
			xb = ident_before(src, xe);
		}
		if (xb == xe || xe - xb > 64 || (src[xb] >= '0' && src[xb] <= '9'))
			continue;
		m[0] = '%';
		memcpy(m + 1, src + xb, xe - xb);
		memcpy(m + 1 + xe - xb, "{}", 2);
		bound_put(out, cap, o, m, xe - xb + 3, src + xb, xe - xb, NULL);
	}
	for (const char *s = src; provs < 16 && (s = memmem(s, len - (size_t)(s - src), ".Provider", 9));) {
		size_t at = (size_t)(s - src), xb = ident_before(src, at), i = at + 9;
		s += 9;
		if (xb == at || xb == 0 || src[xb - 1] != '<' || at - xb > 64 ||
		    (src[xb] >= '0' && src[xb] <= '9') || i >= len || !(space(src[i]) || src[i] == '>'))
			continue;
		/* the opening tag's `value={{`: attributes up to its '>' (braces counted) */
		size_t v = 0;
		int depth = 0;
		for (; i + 8 < len && i < at + 4096; i++) {
			char c = src[i];
			if (c == '{')
				depth++;
			else if (c == '}')
				depth--;
			else if (c == '>' && !depth)
				break;
			else if (!depth && c == 'v' && !idc(src[i - 1]) && !memcmp(src + i, "value", 5)) {
				size_t j = i + 5;
				while (j < len && space(src[j]))
					j++;
				if (j < len && src[j] == '=') {
					for (j++; j < len && space(src[j]); j++)
						;
					if (j + 1 < len && src[j] == '{') {
						for (j++; j < len && space(src[j]); j++)
							;
						if (j < len && src[j] == '{')
							v = j + 1;
					}
				}
				break;
			}
		}
		if (!v)
			continue;
		provs++;
		const char *q = method_at(g, at);
		int32_t qi = -1; /* the innermost function node holding the provider */
		for (uint32_t n = 0; n < g->n_nodes; n++)
			if (g->nodes[n].kind == CC_NODE_METHOD && g->nodes[n].start_byte <= at &&
			    at < g->nodes[n].end_byte)
				qi = (int32_t)n;
		size_t xl = at - xb;
		m[0] = '%';
		memcpy(m + 1, src + xb, xl);
		m[1 + xl] = '.';
		/* the literal's properties at its own depth, up to its '}' */
		for (size_t j = v; j < len && j < v + 16384;) {
			while (j < len && (space(src[j]) || src[j] == ','))
				j++;
			if (j >= len || src[j] == '}')
				break;
			size_t a = j;
			while (j < len && idc(src[j]))
				j++;
			size_t al = j - a, fb = a, fl = al;
			size_t k = j;
			while (k < len && space(src[k]))
				k++;
			if (al && k < len && src[k] == ':') {
				for (k++; k < len && space(src[k]); k++)
					;
				fb = k;
				while (k < len && idc(src[k]))
					k++;
				fl = k - fb;
				while (k < len && space(src[k]))
					k++;
			}
			if (al && fl && al <= 64 && fl <= 64 && k < len && (src[k] == ',' || src[k] == '}') &&
			    !(src[a] >= '0' && src[a] <= '9') && !(src[fb] >= '0' && src[fb] <= '9')) {
				/* a value a local of the provider's function binds (`const { f } =
				 * useX()`, a parameter, `const f = ..`): "=f" (rev.c: that value, which
				 * may be no function of the revision) */
				char fv[72];
				size_t fvl = 0;
				if (local_binding(g, qi, src + fb, fl))
					fv[fvl++] = '=';
				memcpy(fv + fvl, src + fb, fl);
				fvl += fl;
				memcpy(m + 2 + xl, src + a, al);
				bound_put(out, cap, o, m, 2 + xl + al, fv, fvl, q);
				j = k;
				continue;
			}
			/* any other property: skip to the next ',' of this depth */
			int d = 0;
			for (j = k; j < len; j++) {
				char c = src[j];
				if (c == '(' || c == '[' || c == '{')
					d++;
				else if (c == ')' || c == ']' || c == '}') {
					if (!d--)
						break;
				} else if (c == ',' && !d)
					break;
				else if (c == '"' || c == '\'' || c == '`') {
					for (j++; j < len && src[j] != c; j++)
						if (src[j] == '\\')
							j++;
				}
			}
			if (j >= len || src[j] == '}')
				break;
		}
	}
}

void cc_js_bound_members(char *out, size_t cap, const cc_file_graph *g, const char *src,
                         size_t len)
{
	size_t o = 0;
	out[0] = 0;
	if (!src || cap < 4 ||
	    (g->lang != CC_LANG_JAVASCRIPT && g->lang != CC_LANG_TYPESCRIPT && g->lang != CC_LANG_TSX))
		return;
	react_contexts(out, cap, &o, g, src, len);
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		if (n->kind != CC_NODE_CALL || strcmp(cc_graph_str(g, n->name), "bind") ||
		    n->start_byte >= len)
			continue;
		/* the bound function: a plain identifier written right at the call's start */
		const char *f = cc_graph_str(g, n->qual);
		size_t fl = strlen(f), s = n->start_byte;
		if (!fl || fl > 64 || s + fl + 1 > len || memcmp(src + s, f, fl) || src[s + fl] != '.' ||
		    (s > 0 && (idc(src[s - 1]) || src[s - 1] == '.')))
			continue;
		for (size_t k = 0; k < fl; k++)
			if (!idc(f[k]))
				fl = 0;
		if (!fl)
			continue;
		size_t e = blanks_before(src, s), mb, me;
		if (e == 0)
			continue;
		if (src[e - 1] == ':') {
			/* `{ .., m: f.bind(..) }`: a property of an object literal (a key after `{`
			 * or `,`, so no conditional's `? a : f.bind()`) */
			me = blanks_before(src, e - 1);
			mb = ident_before(src, me);
			size_t p = blanks_before(src, mb);
			if (mb == me || p == 0 || (src[p - 1] != '{' && src[p - 1] != ','))
				continue;
		} else if (src[e - 1] == '=' && e >= 2 && !strchr("=!<>+-*/%&|^?", src[e - 2])) {
			/* `x.m = f.bind(..)`: a member assigned */
			me = blanks_before(src, e - 1);
			mb = ident_before(src, me);
			if (mb == me || mb == 0 || src[mb - 1] != '.')
				continue;
		} else
			continue;
		if (src[mb] >= '0' && src[mb] <= '9')
			continue;
		size_t ml = me - mb, need = (o ? 1 : 0) + ml + 1 + fl;
		if (ml > 64 || o + need + 1 > cap)
			continue;
		if (o)
			out[o++] = ',';
		memcpy(out + o, src + mb, ml);
		o += ml;
		out[o++] = ':';
		memcpy(out + o, f, fl);
		o += fl;
		out[o] = 0;
	}
	/* (cg41) a module-level `const N = C.M` / `export const N = C.M` on a line of its own (a
	 * class's static method under another name: neverthrow's `export const fromSafePromise =
	 * ResultAsync.fromSafePromise`): "=N:C.M" */
	for (size_t i = 0; i < len; i = i + 1) {
		if (i && src[i - 1] != '\n')
			continue;
		size_t j = i;
		if (len - j > 7 && !memcmp(src + j, "export ", 7))
			j += 7;
		if (len - j < 7 || memcmp(src + j, "const ", 6))
			continue;
		j += 6;
		size_t nb = j, ne, cb, ce, mb, me;
		while (j < len && idc(src[j]))
			j++;
		ne = j;
		while (j < len && src[j] == ' ')
			j++;
		if (ne == nb || j >= len || src[j] != '=' || (j + 1 < len && src[j + 1] == '='))
			continue;
		for (j++; j < len && src[j] == ' '; j++)
			;
		for (cb = j; j < len && idc(src[j]); j++)
			;
		ce = j;
		if (ce == cb || j >= len || src[j] != '.')
			continue;
		for (mb = ++j; j < len && idc(src[j]); j++)
			;
		me = j;
		while (j < len && (src[j] == ' ' || src[j] == ';' || src[j] == '\r'))
			j++;
		if (me == mb || (j < len && src[j] != '\n') || src[cb] < 'A' || src[cb] > 'Z' ||
		    ne - nb > 64 || ce - cb > 64 || me - mb > 64)
			continue;
		size_t need = (o ? 1 : 0) + 1 + (ne - nb) + 1 + (ce - cb) + 1 + (me - mb);
		if (o + need + 1 > cap)
			continue;
		o += (size_t)snprintf(out + o, cap - o, "%s=%.*s:%.*s.%.*s", o ? "," : "", (int)(ne - nb),
		                      src + nb, (int)(ce - cb), src + cb, (int)(me - mb), src + mb);
	}
	/* `x = { a, b }` / `return { a, b }`: shorthand properties, each the name of the scope the
	 * literal is in ("m:m@Q", Q the enclosing function's qualified name) */
	size_t literals = 0;
	for (size_t i = 0; i < len; i++) {
		if (src[i] != '{')
			continue;
		size_t e = blanks_before(src, i);
		int after_eq = e >= 2 && src[e - 1] == '=' && !strchr("=!<>+-*/%&|^?", src[e - 2]);
		int after_ret = e >= 6 && !memcmp(src + e - 6, "return", 6) && (e == 6 || !idc(src[e - 7]));
		if (!after_eq && !after_ret)
			continue;
		/* the literal's items at its own depth: bail out on strings, comments, nesting */
		size_t j = i + 1, end = 0;
		for (; j < len && j < i + 2048; j++) {
			char c = src[j];
			if (c == '}') {
				end = j;
				break;
			}
			if (!idc(c) && !space(c) && c != ',')
				break;
		}
		if (!end)
			continue;
		size_t k = end + 1;
		while (k < len && space(src[k]))
			k++;
		if (k < len && src[k] == '=')
			continue; /* `({ a, b } = x)`: a destructuring */
		size_t a0 = i + 1;
		while (a0 < end && !idc(src[a0]))
			a0++;
		if (a0 == end)
			continue; /* `= {}` */
		if (++literals > 256 || o + 8 > cap)
			break; /* each costs a pass over the nodes: bounded per file */
		const char *q = "";
		for (uint32_t n = 0; n < g->n_nodes; n++) {
			const cc_node *nd = &g->nodes[n];
			if (nd->kind == CC_NODE_METHOD && nd->start_byte <= i && i < nd->end_byte)
				q = cc_graph_str(g, nd->qual);
		}
		size_t ql = strlen(q);
		if (!ql || ql > 128)
			continue; /* a module-level object: its functions are the file's own (loose
			           * guesses, cg6) */
		for (size_t a = i + 1; a < end;) {
			while (a < end && (space(src[a]) || src[a] == ','))
				a++;
			size_t b = a;
			while (b < end && idc(src[b]))
				b++;
			size_t ml = b - a;
			if (ml && ml <= 64 && !(src[a] >= '0' && src[a] <= '9')) {
				size_t need = (o ? 1 : 0) + 2 * ml + 1 + (ql ? ql + 1 : 0);
				if (o + need + 1 <= cap) {
					if (o)
						out[o++] = ',';
					memcpy(out + o, src + a, ml);
					o += ml;
					out[o++] = ':';
					memcpy(out + o, src + a, ml);
					o += ml;
					if (ql) {
						out[o++] = '@';
						memcpy(out + o, q, ql);
						o += ql;
					}
					out[o] = 0;
				}
			}
			a = b > a ? b : a + 1;
		}
	}
	/* `x.m = (..) => {..}` (or a function expression, in parentheses, cast `as T`) inside a
	 * function: a member replaced there (zustand's middleware `api.setState = ..` wrapping the
	 * store's own), "m:=m@Q.x" (the function the analysis named m, scoped by x in its enclosing function Q) */
	size_t repl = 0;
	for (uint32_t i = 0; i < g->n_nodes && repl < 64; i++) {
		const cc_node *n = &g->nodes[i];
		if (n->kind != CC_NODE_METHOD || n->start_byte >= len || n->start_byte == 0)
			continue;
		const char *m = cc_graph_str(g, n->name), *q = cc_graph_str(g, n->qual);
		size_t ml = strlen(m), ql = strlen(q);
		if (!ml || ml > 64 || ql <= ml + 1 || q[ql - ml - 1] != '.' || strcmp(q + ql - ml, m))
			continue;
		/* q: [Q.]x.m (Q the enclosing function's name, when it has one) */
		size_t xl = ql - ml - 1, ok = 1, x0 = 0;
		for (size_t k = 0; k < xl && ok; k++) {
			ok = idc(q[k]) || (q[k] == '.' && k > x0);
			if (q[k] == '.')
				x0 = k + 1;
		}
		size_t sl = xl - x0; /* x, the object's name */
		if (!ok || !sl || xl > 128 || (q[x0] >= '0' && q[x0] <= '9'))
			continue;
		/* the source before the function: `x.m = ` and opening parentheses */
		size_t e = n->start_byte;
		while (e > 0 && (space(src[e - 1]) || src[e - 1] == '('))
			e--;
		if (e < 2 || src[e - 1] != '=' || strchr("=!<>+-*/%&|^?", src[e - 2]))
			continue;
		size_t me = blanks_before(src, e - 1), mb = ident_before(src, me);
		if (me - mb != ml || memcmp(src + mb, m, ml) || mb < sl + 1 || src[mb - 1] != '.' ||
		    memcmp(src + mb - 1 - sl, q + x0, sl) ||
		    (mb - 1 - sl > 0 && (idc(src[mb - 2 - sl]) || src[mb - 2 - sl] == '.')))
			continue;
		/* inside a function (a module-level `res.send = function ..` is the module's own) */
		int inside = 0;
		for (uint32_t k = 0; k < g->n_nodes && !inside; k++)
			inside = k != i && g->nodes[k].kind == CC_NODE_METHOD &&
			         g->nodes[k].start_byte < n->start_byte && n->end_byte <= g->nodes[k].end_byte;
		if (!inside)
			continue;
		size_t need = (o ? 1 : 0) + 2 * ml + 3 + xl;
		if (o + need + 1 > cap)
			break;
		repl++;
		if (o)
			out[o++] = ',';
		memcpy(out + o, m, ml);
		o += ml;
		out[o++] = ':';
		out[o++] = '=';
		memcpy(out + o, m, ml);
		o += ml;
		out[o++] = '@';
		memcpy(out + o, q, xl);
		o += xl;
		out[o] = 0;
	}
}

/* Go: past a string, rune, raw string or comment starting at p (p itself when none starts
 * there), never past e. */
static const char *go_skip_lit(const char *p, const char *e)
{
	if (p + 1 < e && p[0] == '/' && p[1] == '/') {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		return nl ? nl : e;
	}
	if (p + 1 < e && p[0] == '/' && p[1] == '*') {
		for (p += 2; p + 1 < e && !(p[0] == '*' && p[1] == '/'); p++)
			;
		return p + 1 < e ? p + 2 : e;
	}
	if (p < e && (*p == '"' || *p == '\'' || *p == '`')) {
		char q = *p;
		for (p++; p < e && *p != q; p++)
			if (*p == '\\' && q != '`')
				p++;
			else if (*p == '\n' && q != '`')
				return p; /* unterminated */
		return p < e ? p + 1 : e;
	}
	return p;
}

/* Go: the end of an expression or type starting at p: the first newline or ';' outside
 * brackets, strings and comments (a line comment ends it too), or e. */
static const char *go_expr_end(const char *p, const char *e)
{
	int depth = 0;
	while (p < e) {
		const char *s = go_skip_lit(p, e);
		if (s != p) {
			if (!depth && p[0] == '/' && p[1] == '/')
				return p;
			p = s;
			continue;
		}
		char c = *p;
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if ((c == ')' || c == ']' || c == '}') && depth)
			depth--;
		else if (!depth && (c == '\n' || c == ';' || c == ')'))
			return p;
		p++;
	}
	return e;
}

/* Go: the type written t[0, n) of a package-level variable, into out: `T`, `*T`, `pkg.T` (its
 * simple name, "!T" for a standard library package's type: go_std_qualified); "" for a slice,
 * map, func, chan, struct or generic type. */
static void go_written_type(char *out, size_t cap, const cc_file_graph *g, const char *t, size_t n)
{
	out[0] = 0;
	size_t i = 0;
	while (i < n && (space(t[i]) || t[i] == '*'))
		i++;
	size_t w = i;
	while (i < n && (idc(t[i]) || t[i] == '.'))
		i++;
	size_t j = i;
	while (j < n && space(t[j]))
		j++;
	size_t dots = 0;
	for (size_t k = w; k < i; k++)
		dots += t[k] == '.';
	if (i == w || j < n || t[i - 1] == '.' || dots > 1)
		return; /* a slice, map, func, chan, struct or generic type: none */
	type_name(out, cap, t + w, i - w);
	if (!plain_ident(out)) {
		out[0] = 0;
		return;
	}
	go_std_qualified(out, cap, g, t + w, i - w);
}

/* Go: the type a package-level variable's value v[0, vn) shows, into out: a whole composite
 * literal `T{..}` / `&T{..}` / `pkg.T{..}` (as go_written_type names T), a whole call `F(..)` /
 * `pkg.F(..)`: "=|F|" / "=pkg|F|" (the store reads F's declared result type, as for a local `x
 * := F(..)`); "" for any other value. */
static void go_value_type(char *out, size_t cap, const cc_file_graph *g, const char *v, size_t vn)
{
	out[0] = 0;
	size_t i = 0;
	while (i < vn && (space(v[i]) || v[i] == '&'))
		i++;
	size_t w = i;
	while (i < vn && (idc(v[i]) || v[i] == '.'))
		i++;
	if (i == w || i >= vn || (v[i] != '{' && v[i] != '(') || v[i - 1] == '.' ||
	    (v[w] >= '0' && v[w] <= '9'))
		return;
	const char *dot = memchr(v + w, '.', i - w);
	if (dot && memchr(dot + 1, '.', (size_t)(v + i - dot - 1)))
		return; /* a.b.c{..} / a.b.F(..): not a package's name */
	/* the literal or call ends the value */
	char open = v[i], close = open == '{' ? '}' : ')';
	int depth = 0;
	size_t k = i;
	while (k < vn) {
		const char *s = go_skip_lit(v + k, v + vn);
		if (s != v + k) {
			k = (size_t)(s - v);
			continue;
		}
		if (v[k] == open)
			depth++;
		else if (v[k] == close && !--depth)
			break;
		k++;
	}
	if (k >= vn)
		return;
	for (k++; k < vn; k++)
		if (!space(v[k]))
			return;
	if (open == '{') {
		type_name(out, cap, v + w, i - w);
		if (!plain_ident(out)) {
			out[0] = 0;
			return;
		}
		go_std_qualified(out, cap, g, v + w, i - w);
		return;
	}
	if (dot)
		snprintf(out, cap, "=%.*s|%.*s|", (int)(dot - v - w), v + w, (int)(v + i - dot - 1),
		         dot + 1);
	else
		snprintf(out, cap, "=|%.*s|", (int)(i - w), v + w);
	if (strlen(out) + 1 >= cap)
		out[0] = 0;
}


/* Go: the type a package-level variable shows, into out ("" none): its value's when that is a
 * composite literal (the dynamic type, also where the declaration names an interface: `var JSON
 * BindingBody = jsonBinding{}`), else the type written (t[0, n)), else a call's value. */
static void go_var_type(char *out, size_t cap, const cc_file_graph *g, const char *t, size_t n,
                        const char *v, size_t vn)
{
	char val[160] = "";
	out[0] = 0;
	if (vn)
		go_value_type(val, sizeof(val), g, v, vn);
	if (val[0] && val[0] != '=') {
		snprintf(out, cap, "%s", val);
		return;
	}
	if (n)
		go_written_type(out, cap, g, t, n);
	if (!out[0] && val[0] && strlen(val) < cap)
		strcpy(out, val);
}

/* Go: one spec of a `var` declaration at p (`X T`, `X = v`, `X T = v`, `X, Y T`): its names
 * with the type it gives appended to out as "X:T,"; returns the end of the spec. */
static const char *go_var_spec(char *out, size_t cap, const cc_file_graph *g, const char *p,
                               const char *e)
{
	const char *names[8];
	size_t nlen[8], nn = 0;
	for (;;) {
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		const char *w = p;
		while (p < e && idc(*p))
			p++;
		if (p == w || nn == 8)
			return go_expr_end(p, e);
		names[nn] = w;
		nlen[nn++] = (size_t)(p - w);
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p < e && *p == ',') {
			p++;
			continue;
		}
		break;
	}
	const char *t = p, *te = p, *v = NULL, *ve = NULL;
	if (p < e && *p != '=') {
		/* the type: up to '=' or the end of the spec, outside brackets */
		int depth = 0;
		while (te < e) {
			const char *s = go_skip_lit(te, e);
			if (s != te) {
				if (te[0] == '/' && te[1] == '/')
					break;
				te = s;
				continue;
			}
			char c = *te;
			if (c == '(' || c == '[' || c == '{')
				depth++;
			else if ((c == ')' || c == ']' || c == '}') && depth)
				depth--;
			else if (!depth && (c == '=' || c == '\n' || c == ';' || c == ')'))
				break;
			te++;
		}
		p = te;
	}
	if (p < e && *p == '=') {
		v = p + 1;
		ve = go_expr_end(v, e);
		p = ve;
	} else if (p < e && *p != '\n' && *p != ';' && *p != ')') {
		p = go_expr_end(p, e);
	}
	while (te > t && space(te[-1]))
		te--;
	char ty[160];
	if (te == t && (!v || nn != 1))
		return p; /* `X, Y = f()`: the values' types are not read */
	go_var_type(ty, sizeof(ty), g, t, (size_t)(te - t), v, v ? (size_t)(ve - v) : 0);
	if (!ty[0])
		return p;
	for (size_t i = 0; i < nn; i++) {
		if (nlen[i] == 1 && names[i][0] == '_')
			continue; /* `var _ I = (*T)(nil)` */
		size_t o = strlen(out), need = nlen[i] + strlen(ty) + 2;
		if (o + need + 1 > cap)
			break;
		snprintf(out + o, cap - o, "%.*s:%s,", (int)nlen[i], names[i], ty);
	}
	return p;
}

/* Python (cg25): the module-level variables a file assigns once (or always alike) with a class's
 * type showing - `X: T = ..` (the annotation first) or `X = T(..)` - as "X:T" joined by ','
 * into out ("!T" when the file neither imports nor defines T: a builtin's); variables
 * assigned otherwise too, class attributes and typing forms are left out. */
static void py_module_vars(char *out, size_t cap, const cc_file_graph *g, const char *src,
                           size_t len)
{
	typedef struct {
		uint32_t name;
		char type[130];
		int bad;
	} pyv;
	pyv *vs = NULL;
	size_t nvs = 0;
	for (uint32_t k = 0; k < g->n_nodes; k++) {
		const cc_node *nd = &g->nodes[k];
		if (nd->kind != CC_NODE_ASSIGNMENT || nd->method >= 0 || !nd->name ||
		    !plain_ident(cc_graph_str(g, nd->name)) || py_in_class(g, nd))
			continue;
		char buf[128];
		buf[0] = 0;
		decl_type(buf, sizeof(buf), g, nd, src, len);
		if (!buf[0]) {
			value_type(buf, sizeof(buf), g, k, src, len);
			if (py_qualified_ctor(nd, src, len))
				buf[0] = 0; /* `X = mod.T(..)`: not read here */
		}
		char ty[130] = "";
		if (plain_ident(buf) && py_class_name(buf) && !py_typing_form(buf)) {
			int seen = 0;
			for (uint32_t q = 0; q < g->n_nodes && !seen; q++) {
				const cc_node *qn = &g->nodes[q];
				seen = qn->name && !strcmp(cc_graph_str(g, qn->name), buf) &&
				       (qn->kind == CC_NODE_IMPORT || qn->kind == CC_NODE_TYPE_DECL ||
				        qn->kind == CC_NODE_METHOD ||
				        (qn->kind == CC_NODE_ASSIGNMENT && qn->method < 0));
			}
			snprintf(ty, sizeof(ty), "%s%s", seen ? "" : "!", buf);
		}
		size_t i = 0;
		while (i < nvs && vs[i].name != nd->name)
			i++;
		if (i == nvs) {
			pyv *nv = realloc(vs, (nvs + 1) * sizeof(pyv));
			if (!nv)
				break;
			vs = nv;
			vs[nvs].name = nd->name;
			strcpy(vs[nvs].type, ty);
			vs[nvs].bad = !ty[0];
			nvs++;
		} else if (strcmp(vs[i].type, ty)) {
			vs[i].bad = 1; /* assigned two ways */
		}
	}
	for (size_t i = 0; i < nvs; i++) {
		if (vs[i].bad)
			continue;
		const char *nm = cc_graph_str(g, vs[i].name);
		size_t o = strlen(out), need = strlen(nm) + strlen(vs[i].type) + 2;
		if (o + need + 1 > cap)
			break;
		snprintf(out + o, cap - o, "%s:%s,", nm, vs[i].type);
	}
	free(vs);
	size_t o = strlen(out);
	if (o && out[o - 1] == ',')
		out[o - 1] = 0;
}

void cc_go_package_vars(char *out, size_t cap, const cc_file_graph *g, const char *src,
                        size_t len)
{
	if (!cap)
		return;
	out[0] = 0;
	if (src && g->lang == CC_LANG_PYTHON && cap >= 2) {
		py_module_vars(out, cap, g, src, len);
		return;
	}
	if (!src || g->lang != CC_LANG_GO || cap < 2)
		return;
	const char *p = src, *e = src + len;
	int depth = 0;
	while (p < e) {
		if (!depth && (p == src || p[-1] == '\n') && e - p > 4 && !memcmp(p, "var", 3) &&
		    (p[3] == ' ' || p[3] == '\t' || p[3] == '(')) {
			const char *q = p + 3;
			while (q < e && (*q == ' ' || *q == '\t'))
				q++;
			if (q < e && *q == '(') {
				for (q++; q < e;) {
					const char *s = go_skip_lit(q, e);
					if (s != q) {
						q = s;
						continue;
					}
					if (space(*q) || *q == ';') {
						q++;
						continue;
					}
					if (*q == ')') {
						q++;
						break;
					}
					const char *nx = go_var_spec(out, cap, g, q, e);
					q = nx > q ? nx : q + 1;
				}
			} else {
				q = go_var_spec(out, cap, g, q, e);
			}
			p = q > p ? q : p + 1;
			continue;
		}
		const char *s = go_skip_lit(p, e);
		if (s != p) {
			p = s;
			continue;
		}
		if (*p == '(' || *p == '[' || *p == '{')
			depth++;
		else if ((*p == ')' || *p == ']' || *p == '}') && depth)
			depth--;
		p++;
	}
	size_t o = strlen(out);
	if (o && out[o - 1] == ',')
		out[o - 1] = 0;
}

/* Rust (resolver 50): a method of `impl Tr<X> for T` (its trait has one type argument): X's
 * last path segment ("ExitCode" of `From<crate::ExitCode>`, "Error" of `From<Error>`), else "".
 * The innermost type declaration around the method is the impl; its head is read up to '{'. */
void cc_rust_impl_arg(char *out, size_t cap, const cc_file_graph *g, uint32_t node, const char *src,
                      size_t len)
{
	out[0] = 0;
	if (!src || g->lang != CC_LANG_RUST || node >= g->n_nodes || cap < 2 ||
	    g->nodes[node].kind != CC_NODE_METHOD)
		return;
	const cc_node *nd = &g->nodes[node];
	int32_t best = -1;
	for (uint32_t i = 0; i < node; i++) {
		const cc_node *t = &g->nodes[i];
		if (t->kind == CC_NODE_TYPE_DECL && t->start_byte <= nd->start_byte &&
		    t->end_byte >= nd->end_byte &&
		    (best < 0 || t->start_byte >= g->nodes[best].start_byte))
			best = (int32_t)i;
	}
	if (best < 0)
		return;
	size_t p = g->nodes[best].start_byte, e = g->nodes[best].end_byte < len ? g->nodes[best].end_byte : len;
	if (e - p < 5 || strncmp(src + p, "impl", 4) || (src[p + 4] != '<' && !space(src[p + 4])))
		return;
	size_t q = p + 4, brace = q;
	while (brace < e && src[brace] != '{')
		brace++;
	if (brace >= e)
		return;
	if (src[q] == '<') { /* the impl's own generics */
		int d = 0;
		for (; q < brace; q++) {
			d += src[q] == '<';
			d -= src[q] == '>';
			if (!d)
				break;
		}
		q++;
	}
	/* " for " at depth 0 */
	size_t f = 0;
	int d = 0;
	for (size_t i = q; i + 5 <= brace; i++) {
		d += src[i] == '<' || src[i] == '(';
		d -= src[i] == '>' || src[i] == ')';
		if (!d && space(src[i]) && !strncmp(src + i + 1, "for", 3) && space(src[i + 4])) {
			f = i;
			break;
		}
	}
	if (!f)
		return;
	size_t lt = q;
	while (lt < f && src[lt] != '<')
		lt++;
	if (lt >= f)
		return;
	size_t a = lt + 1, z = a;
	d = 1;
	for (; z < f; z++) {
		d += src[z] == '<' || src[z] == '(';
		d -= src[z] == '>' || src[z] == ')';
		if (!d || (d == 1 && src[z] == ','))
			break;
	}
	if (z >= f || src[z] != '>')
		return; /* not one type argument */
	/* X: its last path segment, without its own generics */
	size_t s = a, t = a;
	while (s < z && space(src[s]))
		s++;
	for (t = s; t < z && src[t] != '<'; t++)
		if (t + 1 < z && src[t] == ':' && src[t + 1] == ':')
			s = t + 2;
	while (t > s && space(src[t - 1]))
		t--;
	if (t <= s || t - s >= cap)
		return;
	memcpy(out, src + s, t - s);
	out[t - s] = 0;
	if (!plain_ident(out)) {
		out[0] = 0;
		return;
	}
	/* X a type parameter of the impl (`impl<T: AsRef<str>> FromIterator<T> for R`): any
	 * argument type may be it, so none is recorded */
	size_t xl = t - s;
	for (size_t i = p + 4; src[p + 4] == '<' && i + xl <= q; i++)
		if (!memcmp(src + i, out, xl) &&
		    !(isalnum((unsigned char)src[i - 1]) || src[i - 1] == '_') &&
		    !(isalnum((unsigned char)src[i + xl]) || src[i + xl] == '_')) {
			out[0] = 0;
			return;
		}
}

/* ---- arity (cg34, resolver 51) ---- */

/* The index just past a string or character literal or a comment starting at s[i] (before n),
 * or i when none starts there. */
static size_t lit_end(const char *s, size_t i, size_t n)
{
	char c = s[i];
	if (c == '"' || c == '\'') {
		for (i++; i < n && s[i] != c && s[i] != '\n'; i++)
			if (s[i] == '\\' && i + 1 < n)
				i++;
		return i < n ? i + 1 : n;
	}
	if (c == '/' && i + 1 < n && s[i + 1] == '/') {
		while (i < n && s[i] != '\n')
			i++;
		return i;
	}
	if (c == '/' && i + 1 < n && s[i + 1] == '*') {
		for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++)
			;
		return i + 2 <= n ? i + 2 : n;
	}
	return i;
}

/* The items of the list s[o] == '(' opens, up to its ')' (before n): how many (0 for `()` and
 * C/C++ `(void)`), -1 when not known (unclosed; for a call's arguments, decl 0, a `<` at the
 * list's own level: a generic or a comparison, either way not read here). decl: a parameter
 * list, whose `<..>` nest (template and generic arguments); *vararg: a `...` at its level;
 * *dflt: items with a default value (`= ..` at its level). *close: the index of the ')'. */
static int list_items(const char *s, size_t o, size_t n, int decl, int *vararg, int *dflt,
                      size_t *close)
{
	int depth = 0, angle = 0, items = 0, any = 0, eq = 0;
	*vararg = *dflt = 0;
	for (size_t i = o + 1; i < n;) {
		size_t j = lit_end(s, i, n);
		if (j != i) {
			any |= s[i] != '/';
			i = j;
			continue;
		}
		char c = s[i];
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if (c == ')' || c == ']' || c == '}') {
			if (!depth) {
				if (c != ')')
					return -1;
				*close = i;
				if (!any)
					return 0;
				*dflt += eq;
				items++;
				if (items == 1 && decl) { /* `(void)` */
					size_t a = o + 1, b = i;
					while (a < b && space(s[a]))
						a++;
					while (b > a && space(s[b - 1]))
						b--;
					if (b - a == 4 && !memcmp(s + a, "void", 4))
						return 0;
				}
				return items;
			}
			depth--;
		} else if (!depth && c == '<' && !(i + 1 < n && (s[i + 1] == '<' || s[i + 1] == '=')) &&
		           !(i > 0 && s[i - 1] == '<')) {
			if (!decl)
				return -1;
			angle++;
		} else if (!depth && c == '>' && angle && !(i > 0 && s[i - 1] == '-'))
			angle--;
		else if (!depth && !angle && c == ',') {
			*dflt += eq;
			eq = 0;
			items++;
		} else if (!depth && !angle && c == '=' && decl && i + 1 < n && s[i + 1] != '=' &&
		           i > 0 && s[i - 1] != '=' && s[i - 1] != '!' && s[i - 1] != '<' &&
		           s[i - 1] != '>')
			eq = 1;
		else if (!depth && c == '.' && i + 2 < n && s[i + 1] == '.' && s[i + 2] == '.')
			*vararg = 1;
		if (!space(c))
			any = 1;
		i++;
	}
	return -1;
}

uint32_t cc_def_arity(const cc_file_graph *g, uint32_t node, const char *src, size_t len)
{
	if (!src || node >= g->n_nodes || (g->lang != CC_LANG_JAVA && g->lang != CC_LANG_CPP))
		return 0;
	const cc_node *nd = &g->nodes[node];
	const char *name = cc_graph_str(g, nd->name);
	size_t m = strlen(name);
	if (nd->kind != CC_NODE_METHOD || !m || nd->end_byte > len || nd->end_byte <= nd->start_byte)
		return 0;
	for (size_t k = 0; k < m; k++)
		if (!idc(name[k]))
			return 0; /* operators, conversions, destructors */
	const char *t = src + nd->start_byte;
	size_t n = nd->end_byte - nd->start_byte;
	if (n > 8192)
		n = 8192;
	/* the name's first occurrence followed by `(`, before any body */
	for (size_t i = 0; i + m <= n;) {
		size_t j = lit_end(t, i, n);
		if (j != i) {
			i = j;
			continue;
		}
		if (t[i] == '{')
			return 0;
		if ((i == 0 || !idc(t[i - 1])) && !memcmp(t + i, name, m) &&
		    (i + m == n || !idc(t[i + m]))) {
			size_t p = i + m;
			while (p < n && space(t[p]))
				p++;
			if (p < n && t[p] == '(') {
				int va, df;
				size_t close;
				int items = list_items(t, p, n, 1, &va, &df, &close);
				if (items < 0 || items > 250)
					return 0;
				unsigned lo = (unsigned)items, hi = (unsigned)items;
				if (va) {
					hi = 255;
					lo = items ? (unsigned)items - 1 : 0;
				}
				if (g->lang == CC_LANG_CPP)
					lo = lo > (unsigned)df ? lo - (unsigned)df : 0;
				return 1 + lo + (hi << 8);
			}
			i += m;
			continue;
		}
		i++;
	}
	return 0;
}

uint32_t cc_call_nargs(const cc_file_graph *g, uint32_t node, const char *src, size_t len)
{
	if (!src || node >= g->n_nodes || (g->lang != CC_LANG_JAVA && g->lang != CC_LANG_CPP))
		return 0;
	const cc_node *nd = &g->nodes[node];
	if (nd->kind != CC_NODE_CALL || nd->end_byte > len || nd->end_byte <= nd->start_byte ||
	    nd->end_byte - nd->start_byte > 65536)
		return 0;
	const char *t = src + nd->start_byte;
	size_t n = nd->end_byte - nd->start_byte;
	while (n && space(t[n - 1]))
		n--;
	if (!n || t[n - 1] != ')')
		return 0;
	/* the last list opened at the call's own level, which must be what closes it */
	size_t open = (size_t)-1;
	int depth = 0;
	for (size_t i = 0; i < n;) {
		size_t j = lit_end(t, i, n);
		if (j != i) {
			i = j;
			continue;
		}
		char c = t[i];
		if (c == '(' || c == '[' || c == '{') {
			if (!depth && c == '(')
				open = i;
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (!depth)
				return 0;
			depth--;
		}
		i++;
	}
	if (depth || open == (size_t)-1)
		return 0;
	int va, df;
	size_t close = 0;
	int items = list_items(t, open, n, 0, &va, &df, &close);
	if (items < 0 || items > 250 || close != n - 1)
		return 0;
	return 1 + (uint32_t)items;
}
