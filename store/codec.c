/*
 * codec.c - the two per-blob encodings the store writes: a blob's graph (nodes and intra-file
 * edges) and its link info (definitions, calls, imports) used to resolve call edges.
 *
 * Both are LEB128 varints with deltas between neighbouring nodes, so a graph takes a few bytes
 * per node rather than a row per node: the store writes one row per blob, which keeps SQLite
 * far from being the indexer's bottleneck. Decoders check every length and index: a damaged
 * row is reported as a corrupt database, never read out of bounds.
 *
 * Graph:  "CG" 1, lang, n_nodes, n_edges, n_errors, names_len, names[names_len],
 *         per node: kind, parent', method', d(start_byte), end-start, d(start_line),
 *                   end_line-start_line, start_col, end_col, name, qual
 *           (x' = 0 for -1 else zigzag(i - x) + 1; d() = zigzag delta from the previous node)
 *         per edge: kind, zigzag(src - previous src), zigzag(dst - src), var, c
 *           (c = 0 for confidence 1.0, else 1 followed by the float's 4 bytes little-endian)
 * Links:  "CL" 1, pool_len, pool[pool_len], n_defs, per def: d(index), kind, name, qual,
 *         (version 2: nested; 3: bases; 4: fields, ret), n_calls, per call: d(index), name, recv, encl, n_imports, per import: name, qual
 *         (version 5: then the file's type aliases, one string; version 6: each def's
 *         flags after its ret, each import's `whole` after its qual, and the file's default
 *         export after the aliases; version 7: each def's C++ namespace after its flags;
 *         version 9: each def's callback parameter types after its nsk; version 10: the
 *         file's bound members after its lone lines; version 11: a Go file's package-level
 *         variables after its bound members; version 12: a Go file's call arguments and
 *         parameter receivers after them; version 13: a nested def's `nested` is 2 + how many
 *         nodes after it its enclosing method's last node is, 1 where not known, and after
 *         its callback types how many nodes before it that method's node is; version 14:
 *         a Java/C++ def's arity after that, each call's argument count after its flags;
 *         version 15: an import's `whole` is 2 for a JS/TS namespace, `import * as x from`,
 *         `export * as x from`, `x = require('m')`; 1 for a default import)
 *         (strings are offsets into the pool; offset 0 is "")
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

void cc_buf_put(cc_buf *b, const void *data, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		uint8_t *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

void cc_buf_varint(cc_buf *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;
	do {
		uint8_t c = v & 0x7f;
		v >>= 7;
		tmp[n++] = c | (v ? 0x80 : 0);
	} while (v);
	cc_buf_put(b, tmp, n);
}

void cc_buf_free(cc_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

static uint64_t zz(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static int64_t unzz(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

static uint64_t rel(int32_t i, int32_t x) { return x < 0 ? 0 : zz((int64_t)i - x) + 1; }

typedef struct {
	const uint8_t *p, *end;
	int bad;
} rd;

static uint64_t rd_varint(rd *r)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end) {
			r->bad = 1;
			return 0;
		}
		uint8_t c = *r->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	r->bad = 1;
	return 0;
}

static uint32_t rd_u32(rd *r)
{
	uint64_t v = rd_varint(r);
	if (v > UINT32_MAX)
		r->bad = 1;
	return (uint32_t)v;
}

static int rd_bytes(rd *r, void *dst, size_t n)
{
	if ((size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return -1;
	}
	memcpy(dst, r->p, n);
	r->p += n;
	return 0;
}

int cc_graph_encode(cc_buf *out, const cc_file_graph *g)
{
	const uint8_t magic[3] = {'C', 'G', 1};
	uint32_t names_len = g->names_len ? g->names_len : 1;
	int64_t ps = 0, pl = 0, psrc = 0;

	cc_buf_put(out, magic, 3);
	cc_buf_varint(out, (uint64_t)g->lang);
	cc_buf_varint(out, g->n_nodes);
	cc_buf_varint(out, g->n_edges);
	cc_buf_varint(out, g->n_errors);
	cc_buf_varint(out, names_len);
	if (g->names_len)
		cc_buf_put(out, g->names, g->names_len);
	else
		cc_buf_put(out, "", 1);
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		cc_buf_varint(out, n->kind);
		cc_buf_varint(out, rel((int32_t)i, n->parent));
		cc_buf_varint(out, rel((int32_t)i, n->method));
		cc_buf_varint(out, zz((int64_t)n->start_byte - ps));
		cc_buf_varint(out, zz((int64_t)n->end_byte - n->start_byte));
		cc_buf_varint(out, zz((int64_t)n->start_line - pl));
		cc_buf_varint(out, zz((int64_t)n->end_line - n->start_line));
		cc_buf_varint(out, n->start_col);
		cc_buf_varint(out, n->end_col);
		cc_buf_varint(out, n->name);
		cc_buf_varint(out, n->qual);
		ps = n->start_byte;
		pl = n->start_line;
	}
	for (uint32_t i = 0; i < g->n_edges; i++) {
		const cc_edge *e = &g->edges[i];
		cc_buf_varint(out, e->kind);
		cc_buf_varint(out, zz((int64_t)e->src - psrc));
		cc_buf_varint(out, zz((int64_t)e->dst - e->src));
		cc_buf_varint(out, e->var);
		if (e->confidence == 1.0f) {
			cc_buf_put(out, "", 1);
		} else {
			uint8_t c[5] = {1};
			memcpy(c + 1, &e->confidence, 4); /* little-endian hosts only (x86, arm64) */
			cc_buf_put(out, c, 5);
		}
		psrc = e->src;
	}
	return out->oom ? cc_error_set(CC_ENOMEM, "out of memory encoding a graph") : CC_OK;
}

/* a + b for decoded deltas; a damaged blob's deltas can pass int64 (undefined behaviour):
 * then the blob is bad. */
static int64_t sadd(rd *r, int64_t a, int64_t b)
{
	int64_t x;
	if (__builtin_add_overflow(a, b, &x)) {
		r->bad = 1;
		return 0;
	}
	return x;
}

static int32_t unrel(rd *r, int32_t i, uint32_t n)
{
	uint64_t v = rd_varint(r);
	if (v == 0)
		return -1;
	int64_t x;
	if (__builtin_sub_overflow((int64_t)i, unzz(v - 1), &x)) {
		r->bad = 1;
		return -1;
	}
	if (x < 0 || x >= (int64_t)n) {
		r->bad = 1;
		return -1;
	}
	return (int32_t)x;
}

int cc_graph_decode(cc_file_graph **out, const void *data, size_t len)
{
	return cc_graph_decode_part(out, data, len, 0);
}

int cc_graph_decode_part(cc_file_graph **out, const void *data, size_t len, int nodes_only)
{
	rd r = {data, (const uint8_t *)data + len, 0};
	cc_file_graph *g = NULL;
	uint8_t magic[3];
	int64_t ps = 0, pl = 0, psrc = 0;

	*out = NULL;
	if (rd_bytes(&r, magic, 3) || magic[0] != 'C' || magic[1] != 'G' || magic[2] != 1)
		goto bad;
	if (!(g = calloc(1, sizeof(*g))))
		goto oom;
	g->lang = (cc_lang)rd_u32(&r);
	g->n_nodes = rd_u32(&r);
	g->n_edges = rd_u32(&r);
	g->n_errors = rd_u32(&r);
	g->names_len = rd_u32(&r);
	/* Each node takes at least 11 bytes and each edge 5: bound the allocations by the input. */
	if (r.bad || g->lang >= CC_LANG_COUNT || g->names_len == 0 ||
	    g->n_nodes > len / 11 || g->n_edges > len / 5 || g->names_len > len)
		goto bad;
	if (!(g->names = malloc(g->names_len + 1)))
		goto oom;
	if (rd_bytes(&r, g->names, g->names_len))
		goto bad;
	g->names[g->names_len] = 0;
	if (nodes_only)
		g->n_edges = 0;
	/* at least one element each, so that NULL means out of memory */
	if (!(g->nodes = calloc(g->n_nodes ? g->n_nodes : 1, sizeof(cc_node))) ||
	    !(g->edges = calloc(g->n_edges ? g->n_edges : 1, sizeof(cc_edge))))
		goto oom;
	for (uint32_t i = 0; i < g->n_nodes && !r.bad; i++) {
		cc_node *n = &g->nodes[i];
		uint64_t k = rd_varint(&r);
		n->kind = (uint8_t)k;
		if (k >= CC_NODE_KIND_COUNT)
			r.bad = 1;
		n->parent = unrel(&r, (int32_t)i, g->n_nodes);
		n->method = unrel(&r, (int32_t)i, g->n_nodes);
		int64_t sb = sadd(&r, ps, unzz(rd_varint(&r)));
		int64_t eb = sadd(&r, sb, unzz(rd_varint(&r)));
		int64_t sl = sadd(&r, pl, unzz(rd_varint(&r)));
		int64_t el = sadd(&r, sl, unzz(rd_varint(&r)));
		if (sb < 0 || eb < sb || eb > UINT32_MAX || sl < 0 || el < sl || el > UINT32_MAX)
			r.bad = 1;
		n->start_byte = (uint32_t)sb;
		n->end_byte = (uint32_t)eb;
		n->start_line = (uint32_t)sl;
		n->end_line = (uint32_t)el;
		n->start_col = rd_u32(&r);
		n->end_col = rd_u32(&r);
		n->name = rd_u32(&r);
		n->qual = rd_u32(&r);
		if (n->name >= g->names_len || n->qual >= g->names_len)
			r.bad = 1;
		ps = sb;
		pl = sl;
	}
	for (uint32_t i = 0; i < g->n_edges && !r.bad; i++) {
		cc_edge *e = &g->edges[i];
		uint64_t k = rd_varint(&r);
		int64_t src = sadd(&r, psrc, unzz(rd_varint(&r)));
		int64_t dst = sadd(&r, src, unzz(rd_varint(&r)));
		e->kind = (uint8_t)k;
		e->var = rd_u32(&r);
		if (k >= CC_EDGE_KIND_COUNT || src < 0 || src >= g->n_nodes || dst < 0 ||
		    dst >= g->n_nodes || e->var >= g->names_len)
			r.bad = 1;
		e->src = (int32_t)src;
		e->dst = (int32_t)dst;
		uint8_t c = 0;
		rd_bytes(&r, &c, 1);
		if (c == 0)
			e->confidence = 1.0f;
		else if (c == 1)
			rd_bytes(&r, &e->confidence, 4);
		else
			r.bad = 1;
		psrc = src;
	}
	if (r.bad || (!nodes_only && r.p != r.end))
		goto bad;
	*out = g;
	return CC_OK;
bad:
	cc_file_graph_free(g);
	return cc_error_set(CC_EDB, "stored graph is malformed (corrupt database?)");
oom:
	cc_file_graph_free(g);
	return cc_error_set(CC_ENOMEM, "out of memory decoding a graph");
}

/* ---- links ---- */

typedef struct {
	cc_buf pool;
	uint32_t *slots; /* offset + 1, 0 = empty */
	size_t cap, used;
	int oom; /* the table could not grow (0 returned from then on) */
} strtab;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return h;
}

static uint32_t strtab_add(strtab *t, const char *s)
{
	if (!*s || t->oom)
		return 0;
	if ((t->used + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		uint32_t *ns = calloc(ncap, sizeof(uint32_t));
		if (!ns) {
			t->oom = 1;
			return 0;
		}
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->slots[i])
				continue;
			size_t j = hash_str((char *)t->pool.p + t->slots[i] - 1) & (ncap - 1);
			while (ns[j])
				j = (j + 1) & (ncap - 1);
			ns[j] = t->slots[i];
		}
		free(t->slots);
		t->slots = ns;
		t->cap = ncap;
	}
	size_t j = hash_str(s) & (t->cap - 1);
	while (t->slots[j]) {
		if (!strcmp((char *)t->pool.p + t->slots[j] - 1, s))
			return t->slots[j] - 1;
		j = (j + 1) & (t->cap - 1);
	}
	uint32_t off = (uint32_t)t->pool.len;
	cc_buf_put(&t->pool, s, strlen(s) + 1);
	t->slots[j] = off + 1;
	t->used++;
	return off;
}

int cc_links_encode(cc_buf *out, const cc_file_graph *g)
{
	return cc_links_encode_src(out, g, NULL, 0);
}

/* Does anonymous method node m bind its own `this`? JS/TS `function` expressions do (arrow
 * functions, lambdas and closures of every language take their definer's). */
static int own_this(const cc_file_graph *g, uint32_t m, const char *src, size_t len)
{
	const cc_node *nd = &g->nodes[m];
	if (!src || nd->start_byte >= len)
		return 1;
	const char *t = src + nd->start_byte;
	size_t n = len - nd->start_byte;
	if (n >= 6 && !memcmp(t, "async", 5) && (t[5] == ' ' || t[5] == '\t')) {
		t += 6;
		n -= 6;
	}
	return n >= 8 && !memcmp(t, "function", 8);
}

/* JS/TS: does import node n bind the module's default export (`import x from 'm'`: the name
 * follows `import` itself, not a `{` or `,` of named imports): 1; or the module's namespace
 * (`import * as x from 'm'`, `export * as x from 'm'`): 2 (links version 15)? */
static int default_import(const cc_file_graph *g, const cc_node *n, const char *src, size_t len)
{
	int js = g->lang == CC_LANG_JAVASCRIPT || g->lang == CC_LANG_TYPESCRIPT ||
	         g->lang == CC_LANG_TSX;
	if (!src || n->start_byte > len || !js)
		return 0;
	size_t i = n->start_byte;
	/* a namespace (version 15): `import * as x from`, `export * as x from` (the node is
	 * `* as x`; a plain `export * from` is the whole statement) */
	if (i < len && src[i] == '*')
		return 2;
	while (i > 0 && (src[i - 1] == ' ' || src[i - 1] == '\t' || src[i - 1] == '\n'))
		i--;
	if (i < 6 || memcmp(src + i - 6, "import", 6))
		return 0;
	return i == 6 || src[i - 7] == ' ' || src[i - 7] == '\n' || src[i - 7] == ';';
}

/* JS/TS: src[b - 1] (white space and line breaks before it skipped) is a plain assignment's
 * `=` (not `==`, `+=`, `=>`'s ...): the end of what is assigned to, spaces before the `=`
 * skipped; else 0 */
static size_t js_before_assign(const char *src, size_t b)
{
	while (b > 0 && (src[b - 1] == ' ' || src[b - 1] == '\t' || src[b - 1] == '\n' ||
	                 src[b - 1] == '\r'))
		b--;
	if (b < 2 || src[b - 1] != '=' || strchr("=!<>+-*/%&|^?", src[b - 2]))
		return 0;
	b--;
	while (b > 0 && (src[b - 1] == ' ' || src[b - 1] == '\t'))
		b--;
	return b;
}

/* JS/TS: is method node i a function assigned to a member, `x.m = function ..` / `x.y.m =
 * (..) => ..` (the query's member assignment; not `const f = ..`, not an object's `m: ..`)? */
static int js_member_set(const cc_file_graph *g, uint32_t i, const char *src, size_t len)
{
	if (!src || (g->lang != CC_LANG_JAVASCRIPT && g->lang != CC_LANG_TYPESCRIPT &&
	             g->lang != CC_LANG_TSX))
		return 0;
	const cc_node *n = &g->nodes[i];
	size_t b = n->start_byte;
	if (n->kind != CC_NODE_METHOD || b > len)
		return 0;
	while (b > 0 && (src[b - 1] == ' ' || src[b - 1] == '\t' || src[b - 1] == '\n' ||
	                 src[b - 1] == '\r' || src[b - 1] == '('))
		b--; /* `x.m = (function ..)` */
	if (!(b = js_before_assign(src, b)))
		return 0;
	size_t e = b;
	while (b > 0 && (src[b - 1] == '_' || src[b - 1] == '$' ||
	                 (src[b - 1] >= 'a' && src[b - 1] <= 'z') ||
	                 (src[b - 1] >= 'A' && src[b - 1] <= 'Z') ||
	                 (src[b - 1] >= '0' && src[b - 1] <= '9')))
		b--;
	return e > b && b > 0 && src[b - 1] == '.';
}

/* JS/TS (cg29): the other members a chained assignment sets to method node i's function,
 * `res.set = res.header = function header(..)` (i is res.header): each as (name, qualified
 * name) - the qualified name's enclosing part is i's - in names[k], at most max; how many. */
#define JS_ALIAS_MAX 4
#define JS_ALIAS_LEN 160
static int js_mem_char(char c)
{
	return c == '_' || c == '$' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* the member expression ending at src[b - 1] before an assignment's `=` (spaces skipped):
 * its start in *start, its end in *end; 0 when there is no plain `a.b` there */
static int js_assigned_member(const char *src, size_t b, size_t *start, size_t *end)
{
	if (!(b = js_before_assign(src, b)))
		return 0;
	size_t e = b;
	while (b > 0 && js_mem_char(src[b - 1]))
		b--;
	if (e == b || src[b] == '.' || src[e - 1] == '.' || !memchr(src + b, '.', e - b))
		return 0;
	*start = b;
	*end = e;
	return 1;
}

static int js_chain_aliases(char names[][2][JS_ALIAS_LEN], int max, const cc_file_graph *g,
                            uint32_t i, const char *src, size_t len)
{
	if (!js_member_set(g, i, src, len))
		return 0;
	const cc_node *n = &g->nodes[i];
	const char *qual = cc_graph_str(g, n->qual);
	size_t b = n->start_byte, ms, me;
	while (b > 0 && (src[b - 1] == ' ' || src[b - 1] == '\t' || src[b - 1] == '\n' ||
	                 src[b - 1] == '\r' || src[b - 1] == '('))
		b--;
	if (!js_assigned_member(src, b, &ms, &me))
		return 0;
	/* the enclosing part: the qualified name less the member's text */
	size_t ql = strlen(qual), tl = me - ms;
	if (ql < tl || memcmp(qual + ql - tl, src + ms, tl) || (ql > tl && qual[ql - tl - 1] != '.'))
		return 0;
	size_t pl = ql - tl;
	int k = 0;
	while (k < max && js_assigned_member(src, ms, &ms, &me)) {
		size_t ml = me - ms;
		if (pl + ml >= JS_ALIAS_LEN)
			break;
		const char *last = src + me;
		while (last > src + ms && last[-1] != '.')
			last--;
		snprintf(names[k][0], JS_ALIAS_LEN, "%.*s", (int)(src + me - last), last);
		snprintf(names[k][1], JS_ALIAS_LEN, "%.*s%.*s", (int)pl, qual, (int)ml, src + ms);
		k++;
	}
	return k;
}

/* Version 2 adds each call's receiver type and flags, version 3 each type declaration's base
 * classes, version 4 its data members' types, version 5 the file's type aliases, version 6 each
 * definition's flags (CC_DEF_PRIVATE), version 7 each C++ definition's namespace, version 8
 * the namespace macros a C/C++ file defines, a C++ file's lone identifier lines and how many
 * come before each definition, version 9 each TS function's callback parameter types, version
 * 10 a JS/TS file's bound members, version 11 a Go file's package-level variables, version 12
 * a Go file's call arguments, version 13 where a nested definition's enclosing method ends,
 * version 14 a Java/C++ method's arity and call's argument count, version 15 a JS/TS namespace
 * import's `whole` of 2 (older blobs still decode, without them). */
int cc_links_encode_src(cc_buf *out, const cc_file_graph *g, const char *src, size_t len)
{
	const uint8_t magic[3] = {'C', 'L', 15};
	cc_call_info *ci = calloc(g->n_nodes ? g->n_nodes : 1, sizeof(cc_call_info));
	uint32_t *last = NULL;
	char(*alias)[2][JS_ALIAS_LEN] = NULL;
	strtab t = {0};
	cc_buf body = {0};
	cc_require *req = NULL;
	cc_ns_block *nsb = NULL;
	size_t nns = 0;
	uint32_t *lone = NULL, *lone_len = NULL;
	size_t nlone = 0;
	char *lonestr = NULL;
	uint32_t nd = 0, nc = 0, ni = 0, prev;
	int rc = CC_OK;

	if (!ci)
		return cc_error_set(CC_ENOMEM, "out of memory");
	if ((rc = cc_call_infos(ci, g, src, len)))
		goto out;

	if (g->lang == CC_LANG_CPP && (nns = cc_cpp_namespaces(NULL, 0, src, len))) {
		if (!(nsb = calloc(nns, sizeof(*nsb)))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		nns = cc_cpp_namespaces(nsb, nns, src, len);
	}
	if (g->lang == CC_LANG_CPP && (nlone = cc_lone_lines(NULL, NULL, 0, src, len))) {
		/* at most LONE_MAX of them, their names at most LONE_BYTES in all: a definition
		 * past the last one kept counts the kept ones */
		enum { LONE_MAX = 4096,
		       LONE_BYTES = 65536 };
		if (nlone > LONE_MAX)
			nlone = LONE_MAX;
		lone = malloc(nlone * sizeof(*lone));
		lone_len = malloc(nlone * sizeof(*lone_len));
		lonestr = malloc(LONE_BYTES);
		if (!lone || !lone_len || !lonestr) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		nlone = cc_lone_lines(lone, lone_len, nlone, src, len);
		size_t sl = 0, kept = 0;
		for (; kept < nlone && sl + lone_len[kept] + 2 <= LONE_BYTES; kept++) {
			memcpy(lonestr + sl, src + lone[kept], lone_len[kept]);
			sl += lone_len[kept];
			lonestr[sl++] = ',';
		}
		lonestr[sl] = 0;
		nlone = kept;
	}
	cc_buf_put(&t.pool, "", 1);
	alias = calloc(JS_ALIAS_MAX, sizeof(*alias));
	if (!alias) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		uint8_t k = g->nodes[i].kind;
		nd += k == CC_NODE_METHOD || k == CC_NODE_TYPE_DECL;
		if (k == CC_NODE_METHOD)
			nd += (uint32_t)js_chain_aliases(alias, JS_ALIAS_MAX, g, i, src, len);
		nc += k == CC_NODE_CALL;
		ni += k == CC_NODE_IMPORT;
	}
	cc_buf_varint(&body, nd);
	/* each node's last descendant (nodes are in preorder: a node's parent and enclosing
	 * method come before it), for a nested definition's scope (version 13) */
	last = malloc((g->n_nodes ? g->n_nodes : 1) * sizeof(uint32_t));
	if (last) {
		for (uint32_t i = 0; i < g->n_nodes; i++)
			last[i] = i;
		for (uint32_t i = g->n_nodes; i-- > 0;) {
			int32_t up[2] = {g->nodes[i].parent, g->nodes[i].method};
			for (int u = 0; u < 2; u++)
				if (up[u] >= 0 && (uint32_t)up[u] < i && last[up[u]] < last[i])
					last[up[u]] = last[i];
		}
	}
	prev = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		if (n->kind != CC_NODE_METHOD && n->kind != CC_NODE_TYPE_DECL)
			continue;
		/* a chained assignment's other members are definitions of the same function,
		 * at its node (cg29) */
		int na = n->kind == CC_NODE_METHOD
		                 ? js_chain_aliases(alias, JS_ALIAS_MAX, g, i, src, len)
		                 : 0;
		for (int a = 0; a <= na; a++) {
			cc_buf_varint(&body, i - prev);
			cc_buf_varint(&body, n->kind);
			cc_buf_varint(&body, strtab_add(&t, a ? alias[a - 1][0] : cc_graph_str(g, n->name)));
			cc_buf_varint(&body, strtab_add(&t, a ? alias[a - 1][1] : cc_graph_str(g, n->qual)));
			/* nested: 0 top level; else 2 + how far after it its enclosing method's last node
		 * is (calls in (index, index + nested - 2] follow it in that method), 1 unknown */
			uint32_t nest = 0;
			if (n->method >= 0) {
				uint32_t m = (uint32_t)n->method;
				nest = last && m < i && last[m] >= i ? 2 + (last[m] - i) : 1;
			}
			cc_buf_varint(&body, nest);
			char bases[512], fields[2048];
			cc_class_bases(bases, sizeof(bases), g, i, src, len);
			cc_class_fields(fields, sizeof(fields), bases, sizeof(bases), g, i, src, len);
			cc_self_fields(fields, sizeof(fields), g, i, src, len);
			if (n->kind == CC_NODE_METHOD && !fields[0]) /* JS/TS `x.P = { m() }` (cg29-tsx) */
				cc_def_prop(fields, sizeof(fields), g, i, src, len);
			if (n->kind == CC_NODE_METHOD && g->lang == CC_LANG_RUST && !bases[0]) {
				char xa[120];
				cc_rust_impl_arg(xa, sizeof(xa), g, i, src, len);
				if (xa[0])
					snprintf(bases, sizeof(bases), "%%%s", xa);
			}
			cc_buf_varint(&body, strtab_add(&t, bases));
			cc_buf_varint(&body, strtab_add(&t, fields));
			char ret[128];
			cc_method_return(ret, sizeof(ret), g, i, src, len);
			int fixture = cc_def_fixture(g, i, src, len);
			if (fixture) { /* a yield fixture's `-> Iterator[T]` is T (cg26) */
				char y[128];
				cc_py_fixture_yield(y, sizeof(y), g, i, src, len);
				if (y[0])
					memcpy(ret, y, sizeof(ret));
			}
			if (!ret[0] && g->lang == CC_LANG_PYTHON) /* a fixture's value (cg25), any
		                                          * function's returned class (resolver 38) */
				cc_py_fixture_value(ret, sizeof(ret), g, i, src, len);
			if (!ret[0] && g->lang == CC_LANG_RUST && n->kind == CC_NODE_TYPE_DECL)
				/* an `impl Deref for T` block: its Target (resolver 56, cg39) */
				cc_rust_type_target(ret, sizeof(ret), g, i, src, len);
			if (!ret[0] && g->lang == CC_LANG_CPP && n->kind == CC_NODE_TYPE_DECL &&
			    cc_cpp_default_ctor(g, i, src, len))
				memcpy(ret, "()", 3); /* `T()` constructs it without a defined constructor */
			cc_buf_varint(&body, strtab_add(&t, ret));
			uint32_t dflags = cc_def_private(g, i, src, len) ? CC_DEF_PRIVATE : 0;
			if (cc_def_member(g, i, src, len))
				dflags |= CC_DEF_MEMBER;
			if (fixture)
				dflags |= CC_DEF_FIXTURE;
			if (n->method >= 0 && js_member_set(g, i, src, len))
				dflags |= CC_DEF_MEMBER_SET;
			if (cc_def_returned(g, i, src, len))
				dflags |= CC_DEF_RETURNED;
			if (cc_def_abstract(g, i, src, len))
				dflags |= CC_DEF_ABSTRACT;
			if (cc_def_rust_impl(g, i, src, len))
				dflags |= CC_DEF_IMPL;
			cc_buf_varint(&body, dflags);
			cc_buf_varint(&body, strtab_add(&t, cc_ns_at(nsb, nns, n->start_byte)));
			/* lone lines before the definition's name: those of its head too (up to its first
		 * `(` or `{`), where the parser took a macro's line into the definition */
			uint32_t cut = n->start_byte;
			if (nlone)
				while (cut < n->end_byte && cut < len && src[cut] != '(' && src[cut] != '{')
					cut++;
			size_t lo = 0, hi = nlone;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (lone[mid] < cut)
					lo = mid + 1;
				else
					hi = mid;
			}
			cc_buf_varint(&body, lo);
			char cb[256];
			cc_method_callbacks(cb, sizeof(cb), g, i, src, len);
			cc_buf_varint(&body, strtab_add(&t, cb));
			/* how far before it its enclosing method's node is (version 13; 0 none) */
			cc_buf_varint(&body, nest > 1 ? i - (uint32_t)n->method : 0);
			/* how many arguments a call may pass (version 14; 0 not known) */
			cc_buf_varint(&body, n->kind == CC_NODE_METHOD ? cc_def_arity(g, i, src, len) : 0);
			prev = i;
		}
	}
	cc_buf_varint(&body, nc);
	prev = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		if (n->kind != CC_NODE_CALL)
			continue;
		const char *encl = "";
		int32_t m = n->method;
		/* an anonymous function (arrow, lambda, closure) has its definer's `this`: the
		 * enclosing named method is the one that places the call */
		while (m >= 0 && (uint32_t)m < g->n_nodes && !*cc_graph_str(g, g->nodes[m].qual) &&
		       g->nodes[m].method >= 0 && !own_this(g, (uint32_t)m, src, len))
			m = g->nodes[m].method;
		if (m >= 0 && (uint32_t)m < g->n_nodes)
			encl = cc_graph_str(g, g->nodes[m].qual);
		cc_buf_varint(&body, i - prev);
		cc_buf_varint(&body, strtab_add(&t, cc_graph_str(g, n->name)));
		cc_buf_varint(&body, strtab_add(&t, cc_graph_str(g, n->qual)));
		cc_buf_varint(&body, strtab_add(&t, encl));
		cc_buf_varint(&body, strtab_add(&t, ci[i].rtype ? ci[i].rtype : ""));
		cc_buf_varint(&body, ci[i].flags);
		cc_buf_varint(&body, cc_call_nargs(g, i, src, len)); /* version 14 */
		prev = i;
	}
	size_t nreq = cc_require_imports(NULL, 0, g, src, len);
	if (nreq && !(req = calloc(nreq, sizeof(cc_require)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	if (nreq)
		nreq = cc_require_imports(req, nreq, g, src, len);
	cc_buf_varint(&body, ni + (uint32_t)nreq);
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		if (n->kind != CC_NODE_IMPORT)
			continue;
		cc_buf_varint(&body, strtab_add(&t, cc_graph_str(g, n->name)));
		cc_buf_varint(&body, strtab_add(&t, cc_graph_str(g, n->qual)));
		cc_buf_varint(&body, default_import(g, n, src, len));
	}
	for (size_t i = 0; i < nreq; i++) {
		cc_buf_varint(&body, strtab_add(&t, req[i].lname[0] ? req[i].lname
		                                                    : cc_graph_str(g, req[i].name)));
		cc_buf_varint(&body, strtab_add(&t, req[i].module));
		/* `x = require('m')`: m's exports, a namespace (v15); a re-export member of
		 * `module.exports = {..}` (cg42): as `export {p} from` / `export * from` */
		cc_buf_varint(&body, req[i].lname[0] ? 0 : 2);
	}
	{
		char aliases[2048];
		cc_type_aliases(aliases, sizeof(aliases), g, src, len);
		cc_buf_varint(&body, strtab_add(&t, aliases));
		char dflt[256];
		cc_default_export(dflt, sizeof(dflt), g, src, len);
		cc_buf_varint(&body, strtab_add(&t, dflt));
		char nsmac[4096] = "";
		if (g->lang == CC_LANG_CPP || g->lang == CC_LANG_C)
			cc_ns_macros(nsmac, sizeof(nsmac), src, len);
		cc_buf_varint(&body, strtab_add(&t, nsmac));
		cc_buf_varint(&body, strtab_add(&t, lonestr ? lonestr : ""));
		char bound[8192];
		cc_js_bound_members(bound, sizeof(bound), g, src, len);
		cc_buf_varint(&body, strtab_add(&t, bound));
		char gvars[4096];
		cc_go_package_vars(gvars, sizeof(gvars), g, src, len);
		cc_buf_varint(&body, strtab_add(&t, gvars));
		cc_buf ca = {0};
		for (uint32_t i = 0; i < g->n_nodes; i++) {
			char num[48];
			if (ci[i].rparam > 0) {
				snprintf(num, sizeof(num), "%s%u@%d", ca.len ? ";" : "", i, ci[i].rparam - 1);
				cc_buf_put(&ca, num, strlen(num));
			}
			if (ci[i].args) {
				snprintf(num, sizeof(num), "%s%u:", ca.len ? ";" : "", i);
				cc_buf_put(&ca, num, strlen(num));
				cc_buf_put(&ca, ci[i].args, strlen(ci[i].args));
			}
		}
		cc_buf_put(&ca, "", 1);
		cc_buf_varint(&body, strtab_add(&t, ca.oom ? "" : (const char *)ca.p));
		body.oom |= ca.oom;
		free(ca.p);
	}
	if (t.oom || t.pool.oom || body.oom) {
		rc = cc_error_set(CC_ENOMEM, "out of memory encoding link info");
		goto out;
	}
	cc_buf_put(out, magic, 3);
	cc_buf_varint(out, t.pool.len);
	cc_buf_put(out, t.pool.p, t.pool.len);
	cc_buf_put(out, body.p, body.len);
	if (out->oom)
		rc = cc_error_set(CC_ENOMEM, "out of memory encoding link info");
out:
	free(last);
	free(alias);
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		free(ci[i].rtype);
		free(ci[i].args);
	}
	free(req);
	free(nsb);
	free(lone);
	free(lone_len);
	free(lonestr);
	cc_buf_free(&body);
	cc_buf_free(&t.pool);
	free(t.slots);
	free(ci);
	return rc;
}

void cc_links_clear(cc_links *l)
{
	if (!l)
		return;
	free(l->defs);
	free(l->calls);
	free(l->imports);
	free(l->pool);
	memset(l, 0, sizeof(*l));
}

int cc_links_decode(cc_links *out, const void *data, size_t len)
{
	rd r = {data, (const uint8_t *)data + len, 0};
	uint8_t magic[3];
	uint32_t idx;

	memset(out, 0, sizeof(*out));
	if (rd_bytes(&r, magic, 3) || magic[0] != 'C' || magic[1] != 'L' ||
	    (magic[2] < 1 || magic[2] > 15))
		goto bad;
	out->pool_len = rd_u32(&r);
	if (r.bad || out->pool_len == 0 || out->pool_len > len)
		goto bad;
	if (!(out->pool = malloc(out->pool_len + 1)))
		goto oom;
	if (rd_bytes(&r, out->pool, out->pool_len))
		goto bad;
	out->pool[out->pool_len] = 0;
#define OFF(v)                            \
	do {                              \
		(v) = rd_u32(&r);         \
		if ((v) >= out->pool_len) \
			r.bad = 1;        \
	} while (0)
	out->n_defs = rd_u32(&r);
	if (r.bad || out->n_defs > len)
		goto bad;
	if (!(out->defs = calloc(out->n_defs ? out->n_defs : 1, sizeof(cc_link_def))))
		goto oom;
	idx = 0;
	for (uint32_t i = 0; i < out->n_defs && !r.bad; i++) {
		idx += rd_u32(&r);
		out->defs[i].index = idx;
		out->defs[i].kind = (uint8_t)rd_u32(&r);
		OFF(out->defs[i].name);
		OFF(out->defs[i].qual);
		if (magic[2] >= 2)
			out->defs[i].nested = rd_u32(&r);
		if (magic[2] >= 3)
			OFF(out->defs[i].bases);
		if (magic[2] >= 4) {
			OFF(out->defs[i].fields);
			OFF(out->defs[i].ret);
		}
		if (magic[2] >= 6)
			out->defs[i].flags = rd_u32(&r);
		if (magic[2] >= 7)
			OFF(out->defs[i].ns);
		if (magic[2] >= 8)
			out->defs[i].nsk = rd_u32(&r);
		if (magic[2] >= 9)
			OFF(out->defs[i].cb);
		if (magic[2] >= 13)
			out->defs[i].up = rd_u32(&r);
		if (magic[2] >= 14)
			out->defs[i].arity = rd_u32(&r);
	}
	out->n_calls = rd_u32(&r);
	if (r.bad || out->n_calls > len)
		goto bad;
	if (!(out->calls = calloc(out->n_calls ? out->n_calls : 1, sizeof(cc_link_call))))
		goto oom;
	idx = 0;
	for (uint32_t i = 0; i < out->n_calls && !r.bad; i++) {
		idx += rd_u32(&r);
		out->calls[i].index = idx;
		OFF(out->calls[i].name);
		OFF(out->calls[i].recv);
		OFF(out->calls[i].encl);
		if (magic[2] >= 2) {
			OFF(out->calls[i].rtype);
			out->calls[i].flags = rd_u32(&r);
		}
		if (magic[2] >= 14)
			out->calls[i].nargs = rd_u32(&r);
	}
	out->n_imports = rd_u32(&r);
	if (r.bad || out->n_imports > len)
		goto bad;
	if (!(out->imports = calloc(out->n_imports ? out->n_imports : 1, sizeof(cc_link_import))))
		goto oom;
	for (uint32_t i = 0; i < out->n_imports && !r.bad; i++) {
		OFF(out->imports[i].name);
		OFF(out->imports[i].qual);
		if (magic[2] >= 15) {
			out->imports[i].whole = rd_u32(&r);
			if (out->imports[i].whole > 2)
				r.bad = 1;
		} else if (magic[2] >= 6) {
			out->imports[i].whole = rd_u32(&r) != 0;
		}
	}
	if (magic[2] >= 5)
		OFF(out->aliases);
	if (magic[2] >= 6)
		OFF(out->dflt);
	if (magic[2] >= 8) {
		OFF(out->nsmac);
		OFF(out->lone);
	}
	if (magic[2] >= 10)
		OFF(out->bound);
	if (magic[2] >= 11)
		OFF(out->gvars);
	if (magic[2] >= 12)
		OFF(out->cargs);
#undef OFF
	if (r.bad || r.p != r.end)
		goto bad;
	return CC_OK;
bad:
	cc_links_clear(out);
	return cc_error_set(CC_EDB, "stored link info is malformed (corrupt database?)");
oom:
	cc_links_clear(out);
	return cc_error_set(CC_ENOMEM, "out of memory decoding link info");
}
