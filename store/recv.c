/*
 * recv.c - what call resolution learns about one call site from its own file, computed when a
 * blob's links are encoded (codec.c): whether a bare callee name is a parameter or local
 * variable of an enclosing method (then it shadows any function of that name), and the type
 * of a receiver that is a parameter or local variable, read from its declaration:
 *   - parameters: "Foo x" (Java, C, C++), "x: Foo" (Python, TS, Rust), "x *Foo" (Go);
 *   - locals: a declared type ("Foo x = ...", "let x: Foo = ..."), else the value's
 *     constructor: Foo(...), new Foo(...), Foo::new(...), Foo.create(...), NewFoo(...),
 *     &Foo{...} (Go composite literal).
 * Types are reduced to their simple name ("http.ResponseWriter" -> "ResponseWriter",
 * "&mut Vec<T>" -> "Vec"). The last definition before the call in source order wins; a
 * variable whose declaration shows no type is still known as a variable (CC_CALL_RECV_LOCAL),
 * so that the store never reads it as a module or class name.
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

static int idc(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }

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
		                 t[i] == '&' || t[i] == '*' || t[i] == '\''))
			i++;
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
	/* a path: idents joined by '.' or "::"; keep the last component */
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
	if (end == last || (t[last] >= '0' && t[last] <= '9'))
		return;
	for (size_t k = last; k < end && o + 1 < cap; k++)
		out[o++] = t[k];
	out[o] = 0;
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

/* Type of a parameter node. */
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
		if (i < len && src[i] != ')' && src[i] != '.')
			type_name(out, cap, src + i, e - i);
		return;
	}
	case CC_LANG_JAVA:
	case CC_LANG_C:
	case CC_LANG_CPP:
		type_name(out, cap, t, (size_t)at);
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
		}
		return;
	}
	}
}

/* The constructor a value expression shows, from its outermost call node (or the source for a
 * Go composite literal). */
static void value_type(char *out, size_t cap, const cc_file_graph *g, uint32_t asg,
                       const char *src, size_t len)
{
	const cc_node *a = &g->nodes[asg];
	out[0] = 0;
	for (uint32_t k = asg + 1; k < g->n_nodes && g->nodes[k].start_byte < a->end_byte; k++) {
		const cc_node *c = &g->nodes[k];
		if (c->kind != CC_NODE_CALL)
			continue;
		/* the value must start with this call (not x = f(Foo())) */
		const char *name = cc_graph_str(g, c->name), *recv = cc_graph_str(g, c->qual);
		const char *p = src + a->start_byte;
		size_t n = c->start_byte - a->start_byte;
		const char *eq = memchr(p, '=', n);
		if (!eq)
			eq = g->lang == CC_LANG_GO ? memchr(p, ':', n) : NULL;
		if (!eq)
			return;
		for (const char *q = eq + 1; q < src + c->start_byte; q++) {
			if (!strncmp(q, "new", 3) && q + 3 <= src + c->start_byte && !idc(q[3])) {
				q += 2;
				continue;
			}
			if (*q != ' ' && *q != '=' && *q != '\t' && *q != '\n' && *q != '&' && *q != '(')
				return;
		}
		if (is_upper(*name)) {
			type_name(out, cap, name, strlen(name));
		} else if (g->lang == CC_LANG_GO && !strncmp(name, "New", 3) && is_upper(name[3])) {
			type_name(out, cap, name + 3, strlen(name + 3));
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
		const char *eq = memchr(p, '=', (size_t)(e - p));
		if (!eq)
			return;
		const char *q = eq + 1;
		while (q < e && (*q == ' ' || *q == '&'))
			q++;
		const char *w = q;
		while (q < e && (idc(*q) || *q == '.'))
			q++;
		if (q < e && *q == '{' && q > w)
			type_name(out, cap, w, (size_t)(q - w));
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
	if (j > 0 && src[j - 1] == '>') {
		int depth = 0;
		while (j > 0) {
			j--;
			depth += src[j] == '>';
			depth -= src[j] == '<';
			if (!depth)
				break;
		}
	}
	size_t e = j;
	while (j > 0 && (idc(src[j - 1]) || src[j - 1] == '.' || src[j - 1] == ':'))
		j--;
	if (e > j && !noise_word(src + j, e - j) &&
	    !(e - j == 6 && !memcmp(src + j, "return", 6)))
		type_name(out, cap, src + j, e - j);
}

int cc_call_infos(cc_call_info *out, const cc_file_graph *g, const char *src, size_t len)
{
	var_def *v = NULL;
	size_t nv = 0, cv = 0;
	char buf[128];
	int rc = CC_OK;
	memset(out, 0, (size_t)g->n_nodes * sizeof(*out));
	if (!src)
		return CC_OK;
	for (uint32_t k = 0; k < g->n_nodes; k++) {
		const cc_node *nd = &g->nodes[k];
		if ((nd->kind != CC_NODE_PARAM && nd->kind != CC_NODE_ASSIGNMENT) || nd->method < 0 ||
		    !nd->name || !plain_ident(cc_graph_str(g, nd->name)))
			continue;
		buf[0] = 0;
		if (nd->kind == CC_NODE_PARAM) {
			param_type(buf, sizeof(buf), g, nd, src, len);
		} else {
			decl_type(buf, sizeof(buf), g, nd, src, len);
			if (!buf[0])
				value_type(buf, sizeof(buf), g, k, src, len);
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
	for (uint32_t k = 0; k < g->n_nodes; k++) {
		const cc_node *nd = &g->nodes[k];
		if (nd->kind != CC_NODE_CALL || nd->method < 0)
			continue;
		const char *recv = cc_graph_str(g, nd->qual);
		uint32_t var;
		int bare = !*recv;
		if (bare) {
			var = nd->name;
		} else {
			if (!plain_ident(recv) || !strcmp(recv, "self") || !strcmp(recv, "this"))
				continue;
			var = nd->qual; /* names are interned: the same text has the same offset */
		}
		/* innermost enclosing method first */
		for (int32_t m = nd->method; m >= 0; m = g->nodes[m].method) {
			var_def key = {m, var, 0, NULL};
			size_t lo = 0, hi = nv;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (var_cmp(&v[mid], &key) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo == nv || v[lo].method != m || v[lo].name != var)
				continue;
			if (bare) {
				/* a parameter or an assignment of the name anywhere in the method */
				out[k].flags |= CC_CALL_SHADOWED;
				break;
			}
			/* the last definition before the call, else the first one (a loop) */
			size_t best = lo;
			for (size_t i = lo; i < nv && v[i].method == m && v[i].name == var; i++)
				if (v[i].node < k)
					best = i;
			out[k].flags |= CC_CALL_RECV_LOCAL;
			if (v[best].type && !(out[k].rtype = strdup(v[best].type)))
				goto oom;
			break;
		}
	}
out:
	for (size_t i = 0; i < nv; i++)
		free(v[i].type);
	free(v);
	return rc;
oom:
	rc = cc_error_set(CC_ENOMEM, "out of memory");
	goto out;
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
		return;
	}
	case CC_LANG_JAVA:
	case CC_LANG_JAVASCRIPT:
	case CC_LANG_TYPESCRIPT:
	case CC_LANG_TSX:
		/* class Name<T> extends Base<T> implements I, J {  /  interface I extends J, K { */
		for (size_t i = 0; i < h; i++) {
			if (kw_at(t, h, i, "extends") || kw_at(t, h, i, "implements")) {
				size_t s = i + (t[i] == 'e' ? 7 : 10), k = s;
				while (k < h && !kw_at(t, h, k, "implements") && !kw_at(t, h, k, "extends"))
					k++;
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
	default:
		return;
	}
}
