/*
 * analysis.c - the language-independent core: the analyzer (parser + compiled queries), the
 * capture vocabulary, and cc_analyze: parse, run the language's query once over the tree,
 * then walk the tree once emitting graph nodes (ast and contains edges) in preorder. Control
 * flow, control dependence and reaching definitions follow in flow.c and dataflow.c.
 */
#include "analysis_int.h"
#include "cc_common.h"

#include <stdlib.h>
#include <string.h>

/* ---- capture vocabulary ---- */

static const char *const main_names[R_MAIN_COUNT] = {
	[R_NONE] = "",
	[R_METHOD] = "method",
	[R_PARAM] = "param",
	[R_CALL] = "call",
	[R_PREDICATE] = "predicate",
	[R_RETURN] = "return",
	[R_ASSIGNMENT] = "assignment",
	[R_IMPORT] = "import",
	[R_TYPE_DECL] = "type_decl",
	[R_IDENTIFIER] = "identifier",
	[R_LITERAL] = "literal",
	[R_COMMENT] = "comment",
	[R_IF] = "if",
	[R_WHILE] = "while",
	[R_FOR] = "for",
	[R_FOREACH] = "foreach",
	[R_DO] = "do",
	[R_SWITCH] = "switch",
	[R_TRY] = "try",
	[R_WITH] = "with",
	[R_BREAK] = "break",
	[R_CONTINUE] = "continue",
	[R_THROW] = "throw",
	[R_CONTROL] = "control",
	[R_SKIP] = "skip",
};
static const char *const sub_names[S_SUB_COUNT] = {
	[S_NONE] = "",
	[S_NAME] = "name",
	[S_RECEIVER] = "receiver",
	[S_MODULE] = "module",
	[S_ALIAS] = "alias",
	[S_TARGET] = "target",
	[S_UPDATE] = "update",
	[S_COND] = "cond",
	[S_THEN] = "then",
	[S_ELSE] = "else",
	[S_BODY] = "body",
	[S_INIT] = "init",
	[S_STEP] = "step",
	[S_CASE] = "case",
	[S_DEFAULT] = "default",
	[S_HANDLER] = "handler",
	[S_FINALLY] = "finally",
	[S_SCOPE] = "scope",
	[S_ARM] = "arm",
};

static int lookup(const char *const *names, int n, const char *s, uint32_t len)
{
	for (int i = 1; i < n; i++)
		if (strlen(names[i]) == len && !memcmp(names[i], s, len))
			return i;
	return -1;
}

int cc_role_parse(const char *name, uint32_t len, int *main_role, int *sub_role)
{
	*main_role = *sub_role = 0;
	if (len > 0 && name[0] == '_')
		return 0;
	const char *dot = memchr(name, '.', len);
	uint32_t mlen = dot ? (uint32_t)(dot - name) : len;
	int m = lookup(main_names, R_MAIN_COUNT, name, mlen);
	if (m < 0)
		return -1;
	*main_role = m;
	if (dot) {
		int s = lookup(sub_names, S_SUB_COUNT, dot + 1, len - mlen - 1);
		if (s < 0)
			return -1;
		*sub_role = s;
	}
	return 0;
}

const char *cc_role_name(int main_role)
{
	return main_role > 0 && main_role < R_MAIN_COUNT ? main_names[main_role] : "";
}

/* ---- languages ---- */

cc_lang cc_lang_from_path(const char *path)
{
	if (!path)
		return CC_LANG_UNKNOWN;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *ext = strrchr(base, '.');
	if (!ext || ext == base)
		return CC_LANG_UNKNOWN;
	for (int l = 1; l < CC_LANG_COUNT; l++) {
		const cc_lang_desc *d = cc_lang_desc_get((cc_lang)l);
		for (int i = 0; d && d->exts[i]; i++)
			if (!strcmp(ext, d->exts[i]))
				return (cc_lang)l;
	}
	return CC_LANG_UNKNOWN;
}

cc_lang cc_lang_detect(const char *path, const char *src, size_t len)
{
	static const char *const cpp_marks[] = {
		"::", "namespace ", "template<", "template <", "public:", "private:", "protected:",
		"virtual ", "#include <iostream>", "#include <string>", "#include <vector>",
		"#include <   ", NULL};
	cc_lang l = cc_lang_from_path(path);
	const char *ext = path ? strrchr(path, '.') : NULL;
	if (l != CC_LANG_C || !src || !ext || strcmp(ext, ".h") != 0)
		return l;
	size_t n = len < 65536 ? len : 65536;
	/* look at code only: comments and string/char literals are blanked (redis' server.h has
	 * "-::*" in a string, many C headers C++ words in comments) */
	char *code = malloc(n ? n : 1);
	if (!code)
		return l; /* by path: a slower parse, never a wrong answer */
	enum {
		CODE,
		LINE_C,
		BLOCK_C,
		STR,
		CHR
	} st = CODE;
	for (size_t i = 0; i < n; i++) {
		char c = src[i], nx = i + 1 < n ? src[i + 1] : 0;
		code[i] = ' ';
		switch (st) {
		case CODE:
			if (c == '/' && nx == '/')
				st = LINE_C;
			else if (c == '/' && nx == '*')
				st = BLOCK_C, i++, code[i] = ' ';
			else if (c == '"')
				st = STR;
			else if (c == '\'')
				st = CHR;
			else
				code[i] = c;
			break;
		case LINE_C:
			if (c == '\n')
				st = CODE, code[i] = c;
			break;
		case BLOCK_C:
			if (c == '*' && nx == '/')
				st = CODE, i++, code[i] = ' ';
			break;
		case STR:
		case CHR:
			if (c == '\\')
				i++, code[i < n ? i : n - 1] = ' ';
			else if ((st == STR && c == '"') || (st == CHR && c == '\'') || c == '\n')
				st = CODE;
			break;
		}
	}
	for (int i = 0; cpp_marks[i]; i++)
		if (memmem(code, n, cpp_marks[i], strlen(cpp_marks[i]))) {
			l = CC_LANG_CPP;
			break;
		}
	free(code);
	return l;
}

const char *cc_lang_name(cc_lang lang)
{
	const cc_lang_desc *d = cc_lang_desc_get(lang);
	return d ? d->name : "unknown";
}

/* ---- analyzer ---- */

typedef struct {
	TSQuery *query;
	uint8_t *cap_main; /* per capture id: main role, or owner main role of a sub */
	uint8_t *cap_sub;  /* per capture id: sub role (0 for a main capture) */
	uint32_t n_cap;
	uint32_t *sym_roles; /* per grammar symbol: main roles of single-node patterns */
	uint32_t n_sym;
} lang_state;

struct cc_analyzer {
	TSParser *parser;
	TSQueryCursor *cursor;
	const volatile int *cancel; /* polled; non-zero stops cc_analyze with CC_ECANCELED */
	uint64_t mem_budget;        /* bytes; 0 = no limit */
	uint64_t slice_us;          /* parse slice (CC_PARSE_SLICE_US unless a test sets it) */
	lang_state langs[CC_LANG_COUNT];
};

int cc_grammar_abi_check(const char *name, uint32_t version)
{
	if (version < TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION ||
	    version > TREE_SITTER_LANGUAGE_VERSION)
		return cc_error_set(CC_EUNSUPPORTED,
		                    "analysis: the %s grammar has ABI version %u but this tree-sitter "
		                    "runtime supports versions %d to %d",
		                    name, version, TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
		                    TREE_SITTER_LANGUAGE_VERSION);
	return CC_OK;
}

int cc_analyzer_new(cc_analyzer **out)
{
	*out = NULL;
	for (int l = 1; l < CC_LANG_COUNT; l++) {
		const cc_lang_desc *d = cc_lang_desc_get((cc_lang)l);
		int rc;
		if (d && (rc = cc_grammar_abi_check(d->name, ts_language_version(d->grammar()))) != CC_OK)
			return rc;
	}
	cc_analyzer *a = calloc(1, sizeof(*a));
	if (!a)
		return cc_error_set(CC_ENOMEM, "analysis: out of memory");
	a->parser = ts_parser_new();
	a->cursor = ts_query_cursor_new();
	a->mem_budget = CC_ANALYSIS_MEM_BUDGET;
	a->slice_us = CC_PARSE_SLICE_US;
	if (!a->parser || !a->cursor) {
		cc_analyzer_free(a);
		return cc_error_set(CC_ENOMEM, "analysis: out of memory");
	}
	*out = a;
	return CC_OK;
}

void cc_analyzer_free(cc_analyzer *a)
{
	if (!a)
		return;
	for (int l = 0; l < CC_LANG_COUNT; l++) {
		ts_query_delete(a->langs[l].query);
		free(a->langs[l].cap_main);
		free(a->langs[l].cap_sub);
		free(a->langs[l].sym_roles);
	}
	if (a->cursor)
		ts_query_cursor_delete(a->cursor);
	if (a->parser)
		ts_parser_delete(a->parser);
	free(a);
}

static const char *query_error_name(TSQueryError e)
{
	switch (e) {
	case TSQueryErrorSyntax: return "syntax error";
	case TSQueryErrorNodeType: return "unknown node type";
	case TSQueryErrorField: return "unknown field";
	case TSQueryErrorCapture: return "unknown capture";
	case TSQueryErrorStructure: return "impossible pattern";
	case TSQueryErrorLanguage: return "language mismatch";
	default: return "error";
	}
}

static const char *skip_space(const char *p, const char *end)
{
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		if (p < end && *p == ';') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		return p;
	}
}

static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

/* Add role to every named symbol called name[0, len). */
static void sym_mark(lang_state *ls, const TSLanguage *lang, const char *name, size_t len,
                     int role)
{
	for (uint32_t s = 0; s < ls->n_sym; s++) {
		const char *sn = ts_language_symbol_name(lang, (TSSymbol)s);
		if (sn && ts_language_symbol_type(lang, (TSSymbol)s) == TSSymbolTypeRegular &&
		    strlen(sn) == len && !memcmp(sn, name, len))
			ls->sym_roles[s] |= 1u << role;
	}
}

/* A pattern that is only `(type) @main` or `[(t1) (t2) ...] @main` needs no query matching:
 * it becomes a per-symbol role looked up while walking the tree (far cheaper than the query
 * engine for the most frequent captures: identifiers, literals, comments). Returns 1 and
 * marks the symbols when the pattern text has that shape. */
static int simple_pattern(lang_state *ls, const TSLanguage *lang, const char *p, const char *end)
{
	const char *names[64];
	size_t lens[64];
	int n = 0, list = 0;
	p = skip_space(p, end);
	if (p < end && *p == '[') {
		list = 1;
		p++;
	}
	for (;;) {
		p = skip_space(p, end);
		if (list && p < end && *p == ']') {
			p++;
			break;
		}
		if (p >= end || *p != '(' || n == 64)
			return 0;
		p = skip_space(p + 1, end);
		const char *w = p;
		while (p < end && is_word(*p))
			p++;
		if (p == w || (p - w == 1 && *w == '_'))
			return 0;
		names[n] = w;
		lens[n++] = (size_t)(p - w);
		p = skip_space(p, end);
		if (p >= end || *p != ')')
			return 0;
		p++;
		if (!list)
			break;
	}
	p = skip_space(p, end);
	if (p >= end || *p != '@')
		return 0;
	const char *c = ++p;
	while (p < end && is_word(*p))
		p++;
	int m, sub;
	if (cc_role_parse(c, (uint32_t)(p - c), &m, &sub) != 0 || !m || sub)
		return 0;
	if (skip_space(p, end) != end)
		return 0;
	for (int i = 0; i < n; i++)
		sym_mark(ls, lang, names[i], lens[i], m);
	return 1;
}

/* Compile a language's query on first use and map its capture names to roles. */
static int lang_prepare(lang_state **out, cc_analyzer *a, const cc_lang_desc *d)
{
	lang_state *ls = &a->langs[d->lang];
	*out = ls;
	if (ls->query)
		return CC_OK;
	uint32_t err_off = 0;
	TSQueryError err = TSQueryErrorNone;
	TSQuery *q = ts_query_new(d->grammar(), d->query, (uint32_t)strlen(d->query), &err_off, &err);
	if (!q) {
		uint32_t line = 1;
		for (uint32_t i = 0; i < err_off && d->query[i]; i++)
			line += d->query[i] == '\n';
		return cc_error_set(CC_EPARSE, "analysis: queries/%s.scm line %u: %s", d->name, line,
		                    query_error_name(err));
	}
	uint32_t n = ts_query_capture_count(q);
	uint8_t *cm = calloc(n + 1, 1), *cs = calloc(n + 1, 1);
	if (!cm || !cs) {
		free(cm);
		free(cs);
		ts_query_delete(q);
		return cc_error_set(CC_ENOMEM, "analysis: out of memory");
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len = 0;
		const char *name = ts_query_capture_name_for_id(q, i, &len);
		int m, s;
		if (cc_role_parse(name, len, &m, &s) != 0) {
			free(cm);
			free(cs);
			ts_query_delete(q);
			return cc_error_set(CC_EPARSE, "analysis: queries/%s.scm: unknown capture @%.*s",
			                    d->name, (int)len, name);
		}
		cm[i] = (uint8_t)m;
		cs[i] = (uint8_t)s;
	}
	ls->query = q;
	ls->cap_main = cm;
	ls->cap_sub = cs;
	ls->n_cap = n;
	ls->n_sym = ts_language_symbol_count(d->grammar());
	ls->sym_roles = calloc(ls->n_sym + 1, sizeof(uint32_t));
	if (!ls->sym_roles)
		return cc_error_set(CC_ENOMEM, "analysis: out of memory");
	uint32_t np = ts_query_pattern_count(q), qlen = (uint32_t)strlen(d->query);
	for (uint32_t i = 0; i < np; i++) {
		uint32_t s0 = ts_query_start_byte_for_pattern(q, i);
		uint32_t s1 = i + 1 < np ? ts_query_start_byte_for_pattern(q, i + 1) : qlen;
		if (s1 > s0 && simple_pattern(ls, d->grammar(), d->query + s0, d->query + s1))
			ts_query_disable_pattern(q, i);
	}
	return CC_OK;
}

int cc_analyzer_query(TSQuery **out, cc_analyzer *a, cc_lang lang)
{
	lang_state *ls;
	const cc_lang_desc *d = cc_lang_desc_get(lang);
	*out = NULL;
	if (!d)
		return cc_error_set(CC_EUNSUPPORTED, "analysis: unsupported language %d", (int)lang);
	int rc = lang_prepare(&ls, a, d);
	if (rc == CC_OK)
		*out = ls->query;
	return rc;
}

/* ---- capture table ---- */

static int grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return CC_OK;
	uint32_t ncap = *cap ? *cap : 64;
	while (ncap < need)
		ncap *= 2;
	void *q = realloc(*p, (size_t)ncap * elem);
	if (!q)
		return cc_error_set(CC_ENOMEM, "analysis: out of memory");
	*p = q;
	*cap = ncap;
	return CC_OK;
}

static int hash_rebuild(cc_actx *x, uint32_t ncap)
{
	uint32_t *h = calloc(ncap, sizeof(uint32_t));
	if (!h)
		return cc_error_set(CC_ENOMEM, "analysis: out of memory");
	for (uint32_t c = 0; c < x->n_caps; c++) {
		uint32_t i = cc_cap_hash(x->caps[c].id) & (ncap - 1);
		while (h[i])
			i = (i + 1) & (ncap - 1);
		h[i] = c + 1;
	}
	free(x->hash);
	x->hash = h;
	x->hash_cap = ncap;
	return CC_OK;
}

static int cap_get(uint32_t *out, cc_actx *x, TSNode n)
{
	cc_cap *c = cc_cap_find(x, n);
	if (c) {
		*out = (uint32_t)(c - x->caps);
		return CC_OK;
	}
	int rc;
	if ((x->n_caps + 1) * 2 > x->hash_cap &&
	    (rc = hash_rebuild(x, x->hash_cap ? x->hash_cap * 2 : 1024)) != CC_OK)
		return rc;
	if ((rc = grow((void **)&x->caps, &x->cap_caps, x->n_caps + 1, sizeof(cc_cap))) != CC_OK)
		return rc;
	uint32_t idx = x->n_caps++;
	cc_cap *nc = &x->caps[idx];
	memset(nc, 0, sizeof(*nc));
	nc->id = n.id;
	nc->tsn = n;
	nc->node = -1;
	uint32_t mask = x->hash_cap - 1;
	uint32_t i = cc_cap_hash(n.id) & mask;
	while (x->hash[i])
		i = (i + 1) & mask;
	x->hash[i] = idx + 1;
	*out = idx;
	return CC_OK;
}

static int sub_cmp(const void *pa, const void *pb)
{
	const cc_subcap *a = pa, *b = pb;
	if (a->owner != b->owner)
		return a->owner < b->owner ? -1 : 1;
	uint32_t sa = ts_node_start_byte(a->tsn), sb = ts_node_start_byte(b->tsn);
	if (sa != sb)
		return sa < sb ? -1 : 1;
	uint32_t ea = ts_node_end_byte(a->tsn), eb = ts_node_end_byte(b->tsn);
	if (ea != eb)
		return ea > eb ? -1 : 1;
	return (int)a->sub - (int)b->sub;
}

/* Run the query over the tree, recording each captured node's roles. */
static int collect(cc_actx *x, cc_analyzer *a, const lang_state *ls, TSNode root)
{
	TSQueryMatch m;
	int rc;
	ts_query_cursor_exec(a->cursor, ls->query, root);
	uint32_t polls = 0;
	while (ts_query_cursor_next_match(a->cursor, &m)) {
		uint32_t owner_of[R_MAIN_COUNT];
		if ((++polls & 1023) == 0 && a->cancel && *a->cancel)
			return cc_error_set(CC_ECANCELED, "analysis: cancelled");
		uint32_t have = 0;
		for (uint16_t i = 0; i < m.capture_count; i++) {
			uint32_t id = m.captures[i].index;
			if (ls->cap_sub[id] || !ls->cap_main[id])
				continue;
			uint32_t c;
			if ((rc = cap_get(&c, x, m.captures[i].node)) != CC_OK)
				return rc;
			x->caps[c].mains |= 1u << ls->cap_main[id];
			owner_of[ls->cap_main[id]] = c;
			have |= 1u << ls->cap_main[id];
		}
		for (uint16_t i = 0; i < m.capture_count; i++) {
			uint32_t id = m.captures[i].index;
			uint32_t s = ls->cap_sub[id], mr = ls->cap_main[id];
			if (!s || !(have & (1u << mr)))
				continue;
			uint32_t c;
			if ((rc = cap_get(&c, x, m.captures[i].node)) != CC_OK)
				return rc;
			x->caps[c].subs |= 1u << s;
			if (s == S_COND)
				x->caps[c].mains |= 1u << R_PREDICATE;
			if ((rc = grow((void **)&x->subs, &x->cap_subs, x->n_subs + 1,
			               sizeof(cc_subcap))) != CC_OK)
				return rc;
			x->subs[x->n_subs++] = (cc_subcap){owner_of[mr], s, m.captures[i].node};
		}
	}
	if (x->n_subs)
		qsort(x->subs, x->n_subs, sizeof(cc_subcap), sub_cmp);
	for (uint32_t i = 0; i < x->n_subs;) {
		uint32_t j = i;
		while (j < x->n_subs && x->subs[j].owner == x->subs[i].owner)
			j++;
		/* drop duplicates (the same node and role from two patterns) */
		uint32_t w = i;
		for (uint32_t k = i; k < j; k++) {
			if (w > i && x->subs[w - 1].sub == x->subs[k].sub &&
			    x->subs[w - 1].tsn.id == x->subs[k].tsn.id)
				continue;
			x->subs[w++] = x->subs[k];
		}
		x->caps[x->subs[i].owner].sub_begin = i;
		x->caps[x->subs[i].owner].sub_end = w;
		for (uint32_t k = w; k < j; k++)
			x->subs[k].sub = S_NONE;
		i = j;
	}
	return CC_OK;
}

/* First sub capture of a role, or a null node. */
static TSNode sub_first(const cc_actx *x, const cc_cap *c, uint32_t sub)
{
	for (uint32_t i = c->sub_begin; i < c->sub_end; i++)
		if (x->subs[i].sub == sub)
			return x->subs[i].tsn;
	TSNode null;
	memset(&null, 0, sizeof(null));
	return null;
}

static int node_text(uint32_t *off, cc_actx *x, TSNode n)
{
	if (ts_node_is_null(n)) {
		*off = 0;
		return CC_OK;
	}
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	if (e > x->len)
		e = (uint32_t)x->len;
	if (s > e)
		s = e;
	return cc_gbuild_str(off, &x->b, x->src + s, e - s);
}

/* A C++ `a::b::c` under an outer node (the definition's scope or the call's receiver) that
 * tree-sitter nests as `c` under `a::b`: the name is the innermost one, the path the outer
 * node's text up to the end of the last scope. */
static int split_qualified(uint32_t *name, uint32_t *path, cc_actx *x, TSNode nn, TSNode outer)
{
	uint32_t s = ts_node_start_byte(outer), e = ts_node_end_byte(outer);
	for (int d = 0; d < 16 && !strcmp(ts_node_type(nn), "qualified_identifier"); d++) {
		TSNode sc = ts_node_child_by_field_name(nn, "scope", 5);
		TSNode in = ts_node_child_by_field_name(nn, "name", 4);
		if (ts_node_is_null(sc) || ts_node_is_null(in))
			break;
		e = ts_node_end_byte(sc);
		nn = in;
	}
	if (e > x->len)
		e = (uint32_t)x->len;
	if (s > e)
		s = e;
	int rc = node_text(name, x, nn);
	return rc != CC_OK ? rc : cc_gbuild_str(path, &x->b, x->src + s, e - s);
}

/* Text of an import path without its quotes or angle brackets ("stdio.h", not <stdio.h>). */
static int import_text(uint32_t *off, cc_actx *x, TSNode n)
{
	if (ts_node_is_null(n)) {
		*off = 0;
		return CC_OK;
	}
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	if (e > x->len)
		e = (uint32_t)x->len;
	if (s > e)
		s = e;
	while (s < e && strchr("\"'`<", x->src[s]))
		s++;
	while (e > s && strchr("\"'`>", x->src[e - 1]))
		e--;
	return cc_gbuild_str(off, &x->b, x->src + s, e - s);
}

/* ---- emission ---- */

typedef struct {
	uint32_t end;   /* end byte of the grammar node this frame belongs to */
	int32_t parent; /* innermost emitted node at this depth */
	int32_t method; /* enclosing method node */
	int32_t scope;  /* enclosing method or type_decl node (qualified names) */
} frame;

static const uint32_t flow_roles = (1u << R_IF) | (1u << R_WHILE) | (1u << R_FOR) |
                                   (1u << R_FOREACH) | (1u << R_DO) | (1u << R_SWITCH) |
                                   (1u << R_TRY) | (1u << R_WITH) | (1u << R_BREAK) |
                                   (1u << R_CONTINUE) | (1u << R_THROW) | (1u << R_CONTROL);
/* Sub roles that make an identifier a name being declared rather than a use. */
static const uint32_t nouse_subs = (1u << S_NAME) | (1u << S_TARGET) | (1u << S_MODULE) |
                                   (1u << S_ALIAS);

static int add_ref(cc_varref **arr, uint32_t *n, uint32_t *cap, int32_t node, uint32_t var)
{
	int rc = grow((void **)arr, cap, *n + 1, sizeof(cc_varref));
	if (rc == CC_OK)
		(*arr)[(*n)++] = (cc_varref){node, var};
	return rc;
}

/* Definitions recorded by node c (its target/update subs that are plain names). */
static int record_defs(cc_actx *x, const cc_cap *c, int32_t node, uint32_t *first)
{
	int rc;
	*first = 0;
	for (uint32_t i = c->sub_begin; i < c->sub_end; i++) {
		const cc_subcap *s = &x->subs[i];
		if (s->sub != S_TARGET && s->sub != S_UPDATE)
			continue;
		uint32_t off;
		if ((rc = node_text(&off, x, s->tsn)) != CC_OK)
			return rc;
		if (!*first)
			*first = off;
		const cc_cap *t = cc_cap_find(x, s->tsn);
		TSSymbol sym = ts_node_symbol(s->tsn);
		uint32_t roles = (t ? t->mains : 0) | (sym < x->n_sym ? x->sym_roles[sym] : 0);
		if (off && (roles & (1u << R_IDENTIFIER)) &&
		    (rc = add_ref(&x->defs, &x->n_defs, &x->cap_defs, node, off)) != CC_OK)
			return rc;
	}
	return CC_OK;
}

static int emit_one(int32_t *idx, cc_actx *x, frame *f, TSNode n, cc_node_kind kind,
                    uint32_t name, uint32_t qual)
{
	cc_node nd;
	TSPoint sp = ts_node_start_point(n), ep = ts_node_end_point(n);
	memset(&nd, 0, sizeof(nd));
	nd.kind = (uint8_t)kind;
	nd.parent = f->parent;
	nd.method = f->method;
	nd.start_byte = ts_node_start_byte(n);
	nd.end_byte = ts_node_end_byte(n);
	nd.start_line = sp.row + 1;
	nd.end_line = ep.row + 1;
	nd.start_col = sp.column;
	nd.end_col = ep.column;
	/* some grammars end a node after its line's newline (#include): end it before */
	if (ep.column == 0 && nd.end_byte > nd.start_byte && nd.end_byte <= x->len &&
	    x->src[nd.end_byte - 1] == '\n' && ep.row > sp.row) {
		uint32_t e = nd.end_byte - 1, ls = e;
		while (ls > 0 && x->src[ls - 1] != '\n')
			ls--;
		nd.end_byte = e > nd.start_byte && x->src[e - 1] == '\r' ? e - 1 : e;
		nd.end_line = ep.row;
		nd.end_col = nd.end_byte - ls;
	}
	nd.name = name;
	nd.qual = qual;
	int rc = cc_gbuild_node(idx, &x->b, &nd);
	if (rc != CC_OK)
		return rc;
	if (f->parent >= 0 && (rc = cc_gbuild_edge(&x->b, CC_EDGE_AST, f->parent, *idx, 0)) != CC_OK)
		return rc;
	if (f->method >= 0 &&
	    (rc = cc_gbuild_edge(&x->b, CC_EDGE_CONTAINS, f->method, *idx, 0)) != CC_OK)
		return rc;
	f->parent = *idx;
	return CC_OK;
}

/* outer + separator + name (names offsets), keeping the innermost CC_NAME_MAX bytes. */
static int qualify_with(uint32_t *out, cc_actx *x, uint32_t outer, uint32_t name)
{
	const cc_file_graph *g = x->b.g;
	if (!outer || !name) {
		*out = name ? name : outer;
		return CC_OK;
	}
	char buf[2 * CC_NAME_MAX + 8];
	int n = snprintf(buf, sizeof(buf), "%s%s%s", g->names + outer, x->lang->qual_sep,
	                 g->names + name);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	/* keep the innermost part when too long */
	const char *p = buf;
	if (n > CC_NAME_MAX) {
		p = buf + (n - CC_NAME_MAX);
		n = CC_NAME_MAX;
	}
	return cc_gbuild_str(out, &x->b, p, (size_t)n);
}

/* Qualified name of `name` inside the method/type_decl node `scope` (-1: file level). */
static int qualify(uint32_t *out, cc_actx *x, int32_t scope, uint32_t name)
{
	if (scope < 0 || !name) {
		*out = name;
		return CC_OK;
	}
	const cc_file_graph *g = x->b.g;
	uint32_t outer = g->nodes[scope].qual ? g->nodes[scope].qual : g->nodes[scope].name;
	return qualify_with(out, x, outer, name);
}

/* Emit the graph nodes of one grammar node (outermost first), updating the frame. */
static int emit(cc_actx *x, cc_cap *c, frame *f)
{
	int rc;
	int32_t idx;
	uint32_t name, qual;
	uint32_t m = c->mains;
	TSNode n = c->tsn;
	int32_t first = -1;
	uint32_t renamed = 0;
	int have_renamed = 0;
#define FIRST() (first = first < 0 ? idx : first)
	if ((m & (1u << R_METHOD)) && x->lang->def_check) {
		TSNode nn = sub_first(x, c, S_NAME);
		uint32_t ns = ts_node_is_null(nn) ? 0 : ts_node_start_byte(nn);
		uint32_t ne = ts_node_is_null(nn) ? 0 : ts_node_end_byte(nn);
		if (!x->lang->def_check(x->src, x->len, n, &ns, &ne)) {
			m &= ~(1u << R_METHOD);
		} else if (!ts_node_is_null(nn) && (ns != ts_node_start_byte(nn) ||
		                                    ne != ts_node_end_byte(nn))) {
			if ((rc = cc_gbuild_str(&renamed, &x->b, x->src + ns, ne - ns)) != CC_OK)
				return rc;
			have_renamed = 1;
		}
	}
	if (m & ((1u << R_METHOD) | (1u << R_TYPE_DECL))) {
		int is_method = (m & (1u << R_METHOD)) != 0;
		uint32_t scope = 0, sq = 0;
		TSNode nn = sub_first(x, c, S_NAME), sn = sub_first(x, c, S_SCOPE);
		if (!have_renamed && !ts_node_is_null(nn) && !ts_node_is_null(sn) &&
		    !strcmp(ts_node_type(nn), "qualified_identifier")) {
			/* C++ `A::B::f` (a nested class's method, or `ns::Cls::f`, defined out of
			 * line; `class A::B {`): tree-sitter nests `B::f` as the name under scope A.
			 * The name is the innermost one, the scope the whole path before it. */
			if ((rc = split_qualified(&name, &scope, x, nn, sn)) != CC_OK)
				return rc;
		} else if ((rc = node_text(&name, x, nn)) != CC_OK ||
		           (rc = node_text(&scope, x, sn)) != CC_OK) {
			return rc;
		}
		if (have_renamed && is_method)
			name = renamed;
		/* an explicit scope (Go receiver type, C++ Class::method) joins the enclosing chain */
		if (scope && ((rc = qualify(&sq, x, f->scope, scope)) != CC_OK ||
		              (rc = qualify_with(&qual, x, sq, name)) != CC_OK))
			return rc;
		if ((!scope && (rc = qualify(&qual, x, f->scope, name)) != CC_OK) ||
		    (rc = emit_one(&idx, x, f, n, is_method ? CC_NODE_METHOD : CC_NODE_TYPE_DECL,
		                   name, qual)) != CC_OK)
			return rc;
		FIRST();
		f->scope = idx;
		if (is_method) {
			f->method = idx;
			if ((rc = grow((void **)&x->methods, &x->cap_methods, x->n_methods + 1,
			               sizeof(int32_t))) != CC_OK ||
			    (rc = grow((void **)&x->method_caps, &x->cap_method_caps, x->n_methods + 1,
			               sizeof(uint32_t))) != CC_OK)
				return rc;
			x->methods[x->n_methods] = idx;
			x->method_caps[x->n_methods++] = (uint32_t)(c - x->caps);
		}
	}
	if (m & flow_roles) {
		int r = R_IF;
		while (!(m & (1u << r)))
			r++;
		const char *cn;
		if (r == R_CONTROL)
			cn = ts_node_type(n);
		else if (r == R_FOREACH)
			cn = "for";
		else
			cn = main_names[r];
		if ((rc = cc_gbuild_str(&name, &x->b, cn, strlen(cn))) != CC_OK ||
		    (rc = emit_one(&idx, x, f, n, CC_NODE_CONTROL, name, 0)) != CC_OK)
			return rc;
		FIRST();
		uint32_t dummy;
		if ((rc = record_defs(x, c, idx, &dummy)) != CC_OK)
			return rc;
	}
	if (m & (1u << R_PREDICATE)) {
		if ((rc = emit_one(&idx, x, f, n, CC_NODE_PREDICATE, 0, 0)) != CC_OK)
			return rc;
		FIRST();
	}
	if (m & (1u << R_RETURN)) {
		if ((rc = emit_one(&idx, x, f, n, CC_NODE_RETURN, 0, 0)) != CC_OK)
			return rc;
		FIRST();
	}
	if (m & (1u << R_ASSIGNMENT)) {
		if ((rc = emit_one(&idx, x, f, n, CC_NODE_ASSIGNMENT, 0, 0)) != CC_OK ||
		    (rc = record_defs(x, c, idx, &name)) != CC_OK)
			return rc;
		x->b.g->nodes[idx].name = name;
		FIRST();
	}
	if (m & (1u << R_CALL)) {
		TSNode nn = sub_first(x, c, S_NAME), rn = sub_first(x, c, S_RECEIVER);
		if (!ts_node_is_null(nn) && !ts_node_is_null(rn) &&
		    !strcmp(ts_node_type(nn), "qualified_identifier")) {
			/* C++ `ns::Cls::f()`: the callee is the innermost name, its receiver the whole
			 * path before it (`ns::Cls`), not `ns` calling `Cls::f` */
			if ((rc = split_qualified(&name, &qual, x, nn, rn)) != CC_OK)
				return rc;
		} else if ((rc = node_text(&name, x, nn)) != CC_OK ||
		           (rc = node_text(&qual, x, rn)) != CC_OK) {
			return rc;
		}
		if ((rc = emit_one(&idx, x, f, n, CC_NODE_CALL, name, qual)) != CC_OK)
			return rc;
		FIRST();
	}
	if (m & (1u << R_IMPORT)) {
		TSNode nn = sub_first(x, c, S_ALIAS);
		if (ts_node_is_null(nn))
			nn = sub_first(x, c, S_NAME);
		if (ts_node_is_null(nn))
			nn = sub_first(x, c, S_MODULE);
		if ((rc = import_text(&name, x, nn)) != CC_OK ||
		    (rc = import_text(&qual, x, sub_first(x, c, S_MODULE))) != CC_OK ||
		    (rc = emit_one(&idx, x, f, n, CC_NODE_IMPORT, name, qual)) != CC_OK)
			return rc;
		FIRST();
	}
	/* parameters of the method itself only (not of a lambda inside it, nor of a catch) */
	if ((m & (1u << R_PARAM)) && f->parent == f->method) {
		TSNode nn = sub_first(x, c, S_NAME);
		if ((rc = node_text(&name, x, ts_node_is_null(nn) ? n : nn)) != CC_OK ||
		    (rc = emit_one(&idx, x, f, n, CC_NODE_PARAM, name, 0)) != CC_OK)
			return rc;
		FIRST();
		if (name && (rc = add_ref(&x->defs, &x->n_defs, &x->cap_defs, idx, name)) != CC_OK)
			return rc;
	}
	if ((m & (1u << R_IDENTIFIER)) && !(m & ((1u << R_SKIP) | (1u << R_PARAM))) &&
	    !(c->subs & nouse_subs)) {
		if ((rc = node_text(&name, x, n)) != CC_OK ||
		    (rc = emit_one(&idx, x, f, n, CC_NODE_IDENTIFIER, name, 0)) != CC_OK)
			return rc;
		FIRST();
		if (name && (rc = add_ref(&x->uses, &x->n_uses, &x->cap_uses, idx, name)) != CC_OK)
			return rc;
	}
	if (m & (1u << R_LITERAL)) {
		if ((rc = emit_one(&idx, x, f, n, CC_NODE_LITERAL, 0, 0)) != CC_OK)
			return rc;
		FIRST();
	}
	if (m & (1u << R_COMMENT)) {
		if ((rc = emit_one(&idx, x, f, n, CC_NODE_COMMENT, 0, 0)) != CC_OK)
			return rc;
		FIRST();
	}
#undef FIRST
	c->node = first;
	return CC_OK;
}

/* Preorder walk of the whole tree with an explicit frame stack (no recursion: input nesting
 * is unbounded). Counts ERROR and MISSING nodes. */
static int walk(cc_actx *x, const lang_state *ls, TSNode root, uint32_t *n_errors)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	frame *stack = NULL;
	uint32_t depth = 0, cap = 0;
	int rc = grow((void **)&stack, &cap, 1, sizeof(frame));
	if (rc != CC_OK)
		goto out;
	stack[0] = (frame){UINT32_MAX, -1, -1, -1};
	for (uint32_t polls = 1;; polls++) {
		if ((polls & 4095) == 0 && x->cancel && *x->cancel) {
			rc = cc_error_set(CC_ECANCELED, "analysis: cancelled");
			goto out;
		}
		TSNode n = ts_tree_cursor_current_node(&cur);
		if (ts_node_is_missing(n) || ts_node_symbol(n) == (TSSymbol)-1)
			(*n_errors)++;
		frame f = stack[depth];
		cc_cap *c = cc_cap_find(x, n);
		TSSymbol sym = ts_node_symbol(n);
		uint32_t extra = sym < ls->n_sym ? ls->sym_roles[sym] : 0;
		if (extra) {
			uint32_t ci;
			if ((rc = cap_get(&ci, x, n)) != CC_OK)
				goto out;
			c = &x->caps[ci];
			c->mains |= extra;
		}
		if (c && (rc = emit(x, c, &f)) != CC_OK)
			goto out;
		if (ts_tree_cursor_goto_first_child(&cur)) {
			if ((rc = grow((void **)&stack, &cap, depth + 2, sizeof(frame))) != CC_OK)
				goto out;
			stack[++depth] = f;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&cur)) {
			if (depth == 0 || !ts_tree_cursor_goto_parent(&cur))
				goto out;
			depth--;
		}
	}
out:
	ts_tree_cursor_delete(&cur);
	free(stack);
	return rc;
}

/* Sum over all nodes of their depth, plus k^2/2 for each ERROR node of k children, stopping
 * once over `budget`. tree-sitter's query cursor (0.20) spends time of that order (at each
 * step it recomputes field information up the cursor stack, scanning later siblings inside
 * error nodes), so this bounds the cost of deeply nested or garbage input. */
static uint64_t depth_sum(TSNode root, uint64_t budget)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	uint64_t sum = 0, depth = 0;
	for (;;) {
		sum += depth;
		TSNode n = ts_tree_cursor_current_node(&cur);
		if (ts_node_symbol(n) == (TSSymbol)-1) {
			/* and quadratic in the width of ERROR nodes */
			uint64_t k = ts_node_child_count(n);
			sum += k * k / 2;
		}
		if (sum > budget)
			break;
		if (ts_tree_cursor_goto_first_child(&cur)) {
			depth++;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&cur)) {
			if (depth == 0 || !ts_tree_cursor_goto_parent(&cur))
				goto out;
			depth--;
		}
	}
out:
	ts_tree_cursor_delete(&cur);
	return sum;
}

/* tree-sitter 0.20.7 (Debian's, linked until the runtime was built from source) corrupted its
 * heap once about 65,535 tokens waited unreduced on its parse stack (tokens that open nesting:
 * brackets, prefix operators, right-associative chains such as `f(f(f(`, `x = + + +`,
 * `x = x = x`); the runtime built from source parses those inputs cleanly under ASan, and this
 * estimate stays as a cheap bound on such input. Before parsing, estimate that stack from the
 * bytes: twice the bracket depth (an opener and the callee or operand before it) plus the words and
 * operator characters since the last statement separator (';' or ',', or a line break that
 * neither ends nor starts with an operator). Strings and comments are not told apart, so the
 * estimate errs high, never low, on such text. Returns the largest value reached, stopping once
 * over `limit`. */
static int op_char(unsigned char c)
{
	return c && strchr("+-*/%&|^!~<>=?:.@\\", c) != NULL;
}

static int word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c >= 0x80;
}

static uint64_t nest_estimate(const char *s, size_t n, uint64_t limit)
{
	uint64_t depth = 0, run = 0, best = 0;
	unsigned char last = 0; /* last non-space byte */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (depth)
				depth--;
		} else if (c == ';' || c == ',') {
			run = 0;
		} else if (c == '\n') {
			size_t j = i + 1;
			while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
				j++;
			if (!op_char(last) && (j >= n || !op_char((unsigned char)s[j])))
				run = 0;
		} else if (op_char(c)) {
			run++;
		} else if (word_char(c)) {
			if (i == 0 || !word_char((unsigned char)s[i - 1]))
				run++; /* a word starts */
		}
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			last = c;
		uint64_t e = 2 * depth + run;
		if (e > best) {
			best = e;
			if (best > limit)
				break;
		}
	}
	return best;
}

static int check_cancel(const cc_analyzer *a)
{
	return a->cancel && *a->cancel ? cc_error_set(CC_ECANCELED, "analysis: cancelled") : CC_OK;
}

void cc_analyzer_set_cancel(cc_analyzer *a, const volatile int *flag)
{
	if (a)
		a->cancel = flag;
}

void cc_analyzer_set_parse_slice(cc_analyzer *a, uint64_t us)
{
	if (a)
		a->slice_us = us ? us : CC_PARSE_SLICE_US;
}

void cc_analyzer_set_memory_budget(cc_analyzer *a, uint64_t bytes)
{
	if (a)
		a->mem_budget = bytes;
}

static void actx_free(cc_actx *x)
{
	free(x->caps);
	free(x->subs);
	free(x->hash);
	free(x->defs);
	free(x->uses);
	free(x->methods);
	free(x->method_caps);
}

int cc_analyze(cc_file_graph **out, cc_analyzer *a, cc_lang lang, const char *src, size_t len)
{
	cc_actx x;
	TSTree *tree = NULL;
	lang_state *ls;
	TSNode root;
	char *parse_src = NULL; /* what tree-sitter reads, when not x.src (cc_c_parse_copy) */
	uint32_t n_errors = 0;
	int rc;
	*out = NULL;
	memset(&x, 0, sizeof(x));
	const cc_lang_desc *d = cc_lang_desc_get(lang);
	if (!d)
		return cc_error_set(CC_EUNSUPPORTED, "analysis: unsupported language %d", (int)lang);
	if (!a || (!src && len))
		return cc_error_set(CC_EINVAL, "analysis: no analyzer or source");
	if (len > UINT32_MAX)
		return cc_error_set(CC_ETOOBIG, "analysis: source of %zu bytes is over 4 GiB", len);
	if ((rc = lang_prepare(&ls, a, d)) != CC_OK)
		return rc;
	if (!ts_parser_set_language(a->parser, d->grammar()))
		return cc_error_set(CC_EUNSUPPORTED,
		                    "analysis: tree-sitter refused the %s grammar (ABI %u, runtime %d..%d)",
		                    d->name, ts_language_version(d->grammar()),
		                    TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
		                    TREE_SITTER_LANGUAGE_VERSION);
	if ((rc = check_cancel(a)) != CC_OK)
		return rc;
	if (a->mem_budget && (uint64_t)len * CC_ANALYSIS_BYTES_PER_BYTE > a->mem_budget)
		return cc_error_set(CC_ETOOBIG,
		                    "analysis: needs about %llu MiB for %zu bytes of %s "
		                    "(about %u bytes per byte), over the memory budget of %llu MiB",
		                    (unsigned long long)(((uint64_t)len * CC_ANALYSIS_BYTES_PER_BYTE) >> 20),
		                    len, d->name, CC_ANALYSIS_BYTES_PER_BYTE,
		                    (unsigned long long)(a->mem_budget >> 20));
	uint64_t nest = nest_estimate(src, len, CC_NEST_LIMIT);
	if (nest > CC_NEST_LIMIT)
		return cc_error_set(CC_ETOOBIG,
		                    "analysis: nesting too deep (over %u open brackets or "
		                    "chained operators, limit %u) in %zu bytes of %s",
		                    (unsigned)nest, CC_NEST_LIMIT, len, d->name);
	x.lang = d;
	x.cancel = a->cancel;
	x.sym_roles = ls->sym_roles;
	x.n_sym = ls->n_sym;
	x.src = src ? src : "";
	x.len = len;
	if ((lang == CC_LANG_C || lang == CC_LANG_CPP) &&
	    (rc = cc_c_parse_copy(&parse_src, x.src, len)) != CC_OK)
		return rc;
	if ((lang == CC_LANG_TYPESCRIPT || lang == CC_LANG_TSX) &&
	    (rc = cc_ts_parse_copy(&parse_src, x.src, len)) != CC_OK)
		return rc;
	if ((rc = cc_gbuild_init(&x.b, lang)) != CC_OK) {
		free(parse_src);
		return rc;
	}
	const char *parse_text = parse_src ? parse_src : x.src;
	/* tree-sitter's error recovery can be super-linear on adversarial input (thousands of
	 * unbalanced brackets); real code parses at ~0.2 us/byte, so this budget only stops
	 * pathological files. The parse runs in slices of CC_PARSE_SLICE_US: tree-sitter resumes
	 * a parse that ran out of time where it stopped when called again with the same input,
	 * and between slices the cancellation flag is read, so a cancelled job (or a daemon told
	 * to stop) waits at most one slice rather than the whole budget. (tree-sitter's own
	 * cancellation flag is a size_t; ours is the int every caller already shares.) */
	double budget_us = CC_PARSE_BUDGET_US + (double)len * CC_PARSE_US_PER_BYTE;
	double t0 = cc_now(), spent_us = 0;
	int resumed = 0;
	ts_parser_set_timeout_micros(a->parser, a->slice_us);
	while (!(tree = ts_parser_parse_string(a->parser, NULL, parse_text, (uint32_t)len))) {
		resumed = 1;
		spent_us = (cc_now() - t0) * 1e6;
		if (a->cancel && *a->cancel) {
			ts_parser_reset(a->parser);
			rc = cc_error_set(CC_ECANCELED,
			                  "analysis: cancelled during the parse "
			                  "(after %.0f ms of %zu bytes of %s)",
			                  spent_us / 1e3, len, d->name);
			goto out;
		}
		if (spent_us >= budget_us) {
			ts_parser_reset(a->parser);
			rc = cc_error_set(CC_ETIMEDOUT,
			                  "analysis: parse timed out (%zu bytes as "
			                  "%s took over %.1f s: pathological input)",
			                  len, d->name, budget_us / 1e6);
			goto out;
		}
		ts_parser_set_timeout_micros(a->parser,
		                             (uint64_t)(budget_us - spent_us < (double)a->slice_us
		                                                ? budget_us - spent_us + 1
		                                                : (double)a->slice_us));
	}
	root = ts_tree_root_node(tree);
	/* A resumed parse is the one-go parse only where the text has no syntax error: tree-sitter
	 * (0.22) can drop error-recovery versions at a slice's end, so where the slices fall (the
	 * machine's load) changed the graph of such files (json's unit tests: a few calls more or
	 * less from run to run; test_parse_slices). Such a tree is parsed again in one go, the
	 * cancellation flag read first; the time this takes is what the sliced parse took. */
	if (resumed && ts_node_has_error(root)) {
		ts_tree_delete(tree);
		tree = NULL;
		if ((rc = check_cancel(a)) != CC_OK)
			goto out;
		ts_parser_set_timeout_micros(a->parser, (uint64_t)budget_us);
		if (!(tree = ts_parser_parse_string(a->parser, NULL, parse_text, (uint32_t)len))) {
			ts_parser_reset(a->parser);
			rc = cc_error_set(CC_ETIMEDOUT,
			                  "analysis: parse timed out (%zu bytes as %s took over %.1f s "
			                  "in one go: pathological input)",
			                  len, d->name, budget_us / 1e6);
			goto out;
		}
		root = ts_tree_root_node(tree);
	}
	uint64_t budget = CC_DEPTH_BUDGET + (uint64_t)len * CC_DEPTH_PER_BYTE;
	if (depth_sum(root, budget) > budget) {
		rc = cc_error_set(CC_ETOOBIG,
		                  "analysis: nesting too deep (the %s syntax tree of %zu "
		                  "bytes: summed depths over %llu)",
		                  d->name, len, (unsigned long long)budget);
		goto out;
	}
	if ((rc = check_cancel(a)) != CC_OK || (rc = collect(&x, a, ls, root)) != CC_OK ||
	    (rc = check_cancel(a)) != CC_OK || (rc = walk(&x, ls, root, &n_errors)) != CC_OK ||
	    (rc = check_cancel(a)) != CC_OK || (rc = cc_flow_build(&x)) != CC_OK)
		goto out;
	x.b.g->n_errors = n_errors;
	*out = x.b.g;
	x.b.g = NULL;
out:
	if (tree)
		ts_tree_delete(tree);
	cc_gbuild_abort(&x.b);
	actx_free(&x);
	free(parse_src);
	return rc;
}
