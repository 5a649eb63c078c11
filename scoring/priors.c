/*
 * priors.c - per-token priors of a prompt: layout, classes and spans from the code property
 * graph, function-level chunks, query relevance by personalized PageRank, priors, protection
 * and chunk budgets. Pure computation on in-memory graphs; priors_store.c feeds it from the
 * store. Everything runs in a fixed order over arrays (no hash iteration), so results are
 * bit-identical for identical inputs.
 */
#include "cc_common.h"
#include "cc_priors.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_FMT "# file: %s\n"

/* ---------------------------------------------------------------- layout */

typedef struct {
	size_t hdr_at, body_at, body_len, end_at; /* prompt offsets of one segment */
	uint32_t fstart, fend;                    /* file range of a code segment */
} seg_layout;

/* raw: text segments are taken as they are (no newline added at their end). */
static int layout(seg_layout *lay, size_t *total, const cc_prompt_segment *segs, size_t n,
                  int raw)
{
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		const cc_prompt_segment *s = &segs[i];
		seg_layout *l = &lay[i];
		if (!s->content && s->len)
			return cc_error_set(CC_EINVAL, "prompt segment %zu has no content", i);
		l->hdr_at = at;
		if (s->path) {
			uint32_t e = s->end ? s->end : (uint32_t)s->len;
			if (s->len > UINT32_MAX || s->start > e || e > s->len)
				return cc_error_set(CC_EINVAL, "%s: byte range %u-%u is outside the file (%zu bytes)",
				                    s->path, s->start, e, s->len);
			l->fstart = s->start;
			l->fend = e;
			at += strlen(s->path) + strlen(HEADER_FMT) - 2;
			l->body_at = at;
			l->body_len = e - s->start;
			at += l->body_len;
			if (l->body_len && s->content[e - 1] != '\n')
				at++;
			if (s->graph) {
				for (uint32_t k = 0; k < s->graph->n_nodes; k++)
					if (s->graph->nodes[k].end_byte > s->len ||
					    s->graph->nodes[k].start_byte > s->graph->nodes[k].end_byte)
						return cc_error_set(CC_EINVAL,
						                    "%s: graph node %u spans past the file's %zu bytes "
						                    "(file changed since indexing?)",
						                    s->path, k, s->len);
			}
		} else {
			l->body_at = at;
			l->body_len = s->len;
			at += s->len;
			if (s->len && s->content[s->len - 1] != '\n' && !raw)
				at++;
		}
		l->end_at = at;
		if (at >= UINT32_MAX)
			return cc_error_set(CC_ETOOBIG, "prompt over 4 GiB");
	}
	*total = at;
	return CC_OK;
}

int cc_prompt_assemble(char **text, size_t *len, uint32_t **seg_at, const cc_prompt_segment *segs,
                       size_t n)
{
	seg_layout *lay = calloc(n ? n : 1, sizeof(*lay));
	size_t total = 0;
	int rc;
	*text = NULL;
	if (seg_at)
		*seg_at = NULL;
	if (!lay)
		return cc_error_set(CC_ENOMEM, "priors: out of memory");
	if ((rc = layout(lay, &total, segs, n, 0))) {
		free(lay);
		return rc;
	}
	char *t = malloc(total + 1);
	uint32_t *sa = seg_at ? malloc((n ? n : 1) * sizeof(*sa)) : NULL;
	if (!t || (seg_at && !sa)) {
		free(t);
		free(sa);
		free(lay);
		return cc_error_set(CC_ENOMEM, "priors: out of memory");
	}
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		const cc_prompt_segment *s = &segs[i];
		if (s->path)
			at += (size_t)sprintf(t + at, HEADER_FMT, s->path);
		const char *src = s->path ? s->content + lay[i].fstart : s->content;
		memcpy(t + at, src, lay[i].body_len);
		at += lay[i].body_len;
		if (at < lay[i].end_at)
			t[at++] = '\n';
		if (sa)
			sa[i] = (uint32_t)lay[i].body_at;
	}
	t[at] = 0;
	CC_ASSERT(at == total);
	*text = t;
	*len = total;
	if (seg_at)
		*seg_at = sa;
	free(lay);
	return CC_OK;
}

/* ---------------------------------------------------------------- per-file structure */

typedef struct {
	const char *path;
	const char *content;
	size_t len;
	const cc_file_graph *g;
	const cc_prior_call *calls; /* from the first segment that has them */
	size_t n_calls;
	int by_name;                 /* no call edges given: resolve by simple name */
	int32_t *node_at;            /* innermost node per byte, -1 */
	int32_t *top_method;         /* outermost enclosing method per node (itself included) */
	uint32_t *sig_end;           /* methods: end of the signature region */
	uint8_t *is_doc;             /* literal nodes that are docstrings (treated as comments) */
	int32_t *pred_of;            /* control node -> its predicate child, -1 */
	uint32_t gbase;              /* first global node id in the PageRank graph */
	uint32_t line_byte, line_no; /* line cursor: byte line_byte starts line line_no */
} pfile;

/* Nodes in source order, outer first (qsort_r: the graph is the context). */
static int cmp_nodes(const void *a, const void *b, void *ctx)
{
	const cc_file_graph *g = ctx;
	const cc_node *x = &g->nodes[*(const int32_t *)a], *y = &g->nodes[*(const int32_t *)b];
	if (x->start_byte != y->start_byte)
		return x->start_byte < y->start_byte ? -1 : 1;
	if (x->end_byte != y->end_byte)
		return x->end_byte > y->end_byte ? -1 : 1; /* outer first */
	int32_t i = *(const int32_t *)a, j = *(const int32_t *)b;
	/* same span: the AST parent (lower depth) first; then index */
	return i < j ? -1 : i > j;
}

static int pfile_prepare(pfile *f)
{
	const cc_file_graph *g = f->g;
	uint32_t n = g ? g->n_nodes : 0;
	int32_t *order = NULL;
	f->node_at = malloc((f->len + 1) * sizeof(int32_t));
	f->top_method = malloc((n + 1) * sizeof(int32_t));
	f->sig_end = malloc((n + 1) * sizeof(uint32_t));
	f->is_doc = calloc(n + 1, 1);
	f->pred_of = malloc((n + 1) * sizeof(int32_t));
	order = malloc((n + 1) * sizeof(int32_t));
	if (!f->node_at || !f->top_method || !f->sig_end || !f->is_doc || !f->pred_of || !order) {
		free(order);
		return cc_error_set(CC_ENOMEM, "priors: out of memory");
	}
	memset(f->node_at, 0xff, (f->len + 1) * sizeof(int32_t));
	memset(f->top_method, 0xff, (n + 1) * sizeof(int32_t));
	memset(f->pred_of, 0xff, (n + 1) * sizeof(int32_t));
	for (uint32_t i = 0; i < n; i++) {
		int32_t p = g->nodes[i].parent;
		if (g->nodes[i].kind == CC_NODE_PREDICATE && p >= 0 && (uint32_t)p < n &&
		    g->nodes[p].kind == CC_NODE_CONTROL && f->pred_of[p] < 0)
			f->pred_of[p] = (int32_t)i;
	}
	for (uint32_t i = 0; i < n; i++)
		order[i] = (int32_t)i;
	if (n > 1)
		qsort_r(order, n, sizeof(int32_t), cmp_nodes, (void *)g);
	for (uint32_t k = 0; k < n; k++) {
		int32_t i = order[k];
		const cc_node *nd = &g->nodes[i];
		for (uint32_t b = nd->start_byte; b < nd->end_byte; b++)
			f->node_at[b] = i;
		/* parents come earlier in this order (they start no later and end no earlier) */
		int32_t p = nd->parent;
		int32_t tp = (p >= 0 && (uint32_t)p < n) ? f->top_method[p] : -1;
		f->top_method[i] = tp >= 0 ? tp : (nd->kind == CC_NODE_METHOD ? i : -1);
		f->sig_end[i] = nd->start_byte;
	}
	/* signature: from the method's start to the end of the line where its last parameter
	 * ends (the method's first line when it has none) */
	for (uint32_t i = 0; i < n; i++) {
		const cc_node *nd = &g->nodes[i];
		if (nd->kind == CC_NODE_PARAM && nd->method >= 0 && (uint32_t)nd->method < n &&
		    nd->end_byte > f->sig_end[nd->method])
			f->sig_end[nd->method] = nd->end_byte;
	}
	for (uint32_t i = 0; i < n; i++) {
		const cc_node *nd = &g->nodes[i];
		if (nd->kind != CC_NODE_METHOD && nd->kind != CC_NODE_TYPE_DECL)
			continue;
		uint32_t e = f->sig_end[i];
		while (e < nd->end_byte && f->content[e] != '\n')
			e++;
		f->sig_end[i] = e;
	}
	/* docstrings: a string literal that is the first thing of the file or of a body (after a
	 * signature) documents rather than computes; it is classed as a comment */
	for (uint32_t i = 0; i <= n; i++) {
		uint32_t b;
		if (i == n)
			b = 0;
		else if (g->nodes[i].kind == CC_NODE_METHOD || g->nodes[i].kind == CC_NODE_TYPE_DECL)
			b = f->sig_end[i];
		else
			continue;
		while (b < f->len && (f->content[b] == ' ' || f->content[b] == '\t' ||
		                      f->content[b] == '\n' || f->content[b] == '\r'))
			b++;
		if (b >= f->len || (f->content[b] != '"' && f->content[b] != '\''))
			continue;
		for (int32_t x = f->node_at[b], steps = 0; x >= 0 && (uint32_t)x < n && steps < 64;
		     x = g->nodes[x].parent, steps++)
			if (g->nodes[x].kind == CC_NODE_LITERAL && g->nodes[x].start_byte == b) {
				f->is_doc[x] = 1;
				break;
			}
	}
	free(order);
	return CC_OK;
}

static void pfile_clear(pfile *f)
{
	free(f->pred_of);
	free(f->is_doc);
	free(f->node_at);
	free(f->top_method);
	free(f->sig_end);
}

/* ---------------------------------------------------------------- PageRank */

typedef struct {
	uint32_t src, dst;
	float w;
} wedge;

typedef struct {
	wedge *e;
	size_t n, cap;
} edgelist;

static int edge_add(edgelist *l, uint32_t s, uint32_t d, float w)
{
	if (w <= 0 || s == d)
		return CC_OK;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 1024;
		wedge *ne = realloc(l->e, nc * sizeof(*ne));
		if (!ne)
			return CC_ENOMEM;
		l->e = ne;
		l->cap = nc;
	}
	l->e[l->n++] = (wedge){s, d, w};
	return CC_OK;
}

/* Definitions by simple name, for query seeds and name-resolved calls. */
typedef struct {
	const char *name;
	const char *qual;
	uint32_t gid;
	uint32_t file;
} defent;

static int cmp_def(const void *a, const void *b)
{
	const defent *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->gid < y->gid ? -1 : x->gid > y->gid;
}

static size_t def_find(const defent *d, size_t n, const char *name, size_t len, size_t *count)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(d[mid].name, name, len);
		if (c == 0 && d[mid].name[len] != 0)
			c = 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t e = lo;
	while (e < n && strncmp(d[e].name, name, len) == 0 && d[e].name[len] == 0)
		e++;
	*count = e - lo;
	return lo;
}

static int is_ident_start(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int is_ident(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}
static int is_word(unsigned char c)
{
	return is_ident(c) || c == '.' || c == '/' || c == '-';
}

/* Does path match a word of the query (equal, or one ends with "/" + the other)? */
static int path_match(const char *path, const char *w, size_t wl)
{
	size_t pl = strlen(path);
	if (wl < 3)
		return 0;
	if (pl == wl && !memcmp(path, w, wl))
		return 1;
	if (wl > pl && w[wl - pl - 1] == '/' && !memcmp(w + wl - pl, path, pl))
		return 1;
	if (pl > wl && path[pl - wl - 1] == '/' && !memcmp(path + pl - wl, w, wl))
		return 1;
	return 0;
}

static void seed_line(double *seed, const pfile *f, uint32_t line, float mass)
{
	const cc_file_graph *g = f->g;
	uint32_t cnt = 0;
	int32_t best_m = -1;
	if (!g)
		return;
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *nd = &g->nodes[i];
		if (nd->start_line == line && nd->kind != CC_NODE_METHOD)
			cnt++;
		if (nd->kind == CC_NODE_METHOD && nd->start_line <= line && line <= nd->end_line &&
		    (best_m < 0 || nd->start_byte >= g->nodes[best_m].start_byte))
			best_m = (int32_t)i;
	}
	if (best_m >= 0)
		seed[f->gbase + (uint32_t)best_m] += mass * 0.5;
	for (uint32_t i = 0; i < g->n_nodes && cnt; i++)
		if (g->nodes[i].start_line == line && g->nodes[i].kind != CC_NODE_METHOD)
			seed[f->gbase + i] += mass * (best_m >= 0 ? 0.5 : 1.0) / cnt;
}

/* Seeds from the query: definitions named, files named (with line numbers). */
static size_t make_seeds(double *seed, const pfile *files, size_t nf, const defent *defs,
                         size_t nd, const char *q, size_t ql, const cc_priors_config *cfg)
{
	size_t i = 0, seeded = 0;
	while (i < ql) {
		if (!is_word((unsigned char)q[i])) {
			i++;
			continue;
		}
		size_t ws = i;
		while (i < ql && is_word((unsigned char)q[i]))
			i++;
		size_t we = i;
		while (we > ws && (q[we - 1] == '.' || q[we - 1] == '-'))
			we--; /* sentence punctuation */
		/* a file path, maybe followed by :LINE or ", line LINE" */
		for (size_t f = 0; f < nf; f++) {
			if (!path_match(files[f].path, q + ws, we - ws))
				continue;
			const char *p = q + i, *end = q + ql;
			long line = -1;
			if (p < end && *p == ':' && p + 1 < end && p[1] >= '0' && p[1] <= '9')
				line = strtol(p + 1, NULL, 10);
			else if (end - p > 8 && !strncmp(p, "\", line ", 8) && p[8] >= '0' && p[8] <= '9')
				line = strtol(p + 8, NULL, 10);
			if (line > 0 && line < (long)UINT32_MAX) {
				seed_line(seed, &files[f], (uint32_t)line, cfg->seed_line);
			} else if (files[f].g) {
				uint32_t k = 0;
				const cc_file_graph *g = files[f].g;
				for (uint32_t n = 0; n < g->n_nodes; n++)
					k += g->nodes[n].kind == CC_NODE_METHOD || g->nodes[n].kind == CC_NODE_TYPE_DECL;
				for (uint32_t n = 0; n < g->n_nodes && k; n++)
					if (g->nodes[n].kind == CC_NODE_METHOD || g->nodes[n].kind == CC_NODE_TYPE_DECL)
						seed[files[f].gbase + n] += cfg->seed_path / k;
			}
		}
		/* names: every identifier of the word, and the dotted word against qualified names */
		for (size_t a = ws; a < we;) {
			if (!is_ident_start((unsigned char)q[a])) {
				a++;
				continue;
			}
			size_t b = a;
			while (b < we && is_ident((unsigned char)q[b]))
				b++;
			if (b - a >= (size_t)cfg->min_name_len) {
				size_t cnt, at = def_find(defs, nd, q + a, b - a, &cnt);
				for (size_t k = 0; k < cnt; k++)
					seed[defs[at + k].gid] += cfg->seed_name / cnt;
			}
			a = b;
		}
		if (memchr(q + ws, '.', we - ws)) {
			for (size_t k = 0; k < nd; k++) {
				size_t l = strlen(defs[k].qual);
				if (l == we - ws && !memcmp(defs[k].qual, q + ws, l))
					seed[defs[k].gid] += cfg->seed_name;
			}
		}
	}
	for (size_t f = 0; f < nf; f++)
		for (uint32_t n = 0; files[f].g && n < files[f].g->n_nodes; n++)
			seeded += seed[files[f].gbase + n] > 0;
	return seeded;
}

static int pagerank(float *rel, const pfile *files, size_t nf, size_t n_nodes, const char *q,
                    size_t ql, const cc_priors_config *cfg, size_t *n_seeds)
{
	edgelist el = {0};
	defent *defs = NULL;
	size_t nd = 0;
	double *seed = NULL, *r = NULL, *rn = NULL, *outw = NULL;
	uint32_t *off = NULL;
	wedge *csr = NULL;
	int rc = CC_ENOMEM;

	*n_seeds = 0;
	for (size_t i = 0; i < n_nodes; i++)
		rel[i] = 0;
	if (!n_nodes)
		return CC_OK;
	/* definitions */
	for (size_t f = 0; f < nf; f++)
		for (uint32_t i = 0; files[f].g && i < files[f].g->n_nodes; i++)
			nd += files[f].g->nodes[i].kind == CC_NODE_METHOD ||
			      files[f].g->nodes[i].kind == CC_NODE_TYPE_DECL;
	defs = malloc((nd + 1) * sizeof(*defs));
	if (!defs)
		goto out;
	nd = 0;
	for (size_t f = 0; f < nf; f++) {
		const cc_file_graph *g = files[f].g;
		for (uint32_t i = 0; g && i < g->n_nodes; i++)
			if (g->nodes[i].kind == CC_NODE_METHOD || g->nodes[i].kind == CC_NODE_TYPE_DECL)
				defs[nd++] = (defent){cc_graph_str(g, g->nodes[i].name),
				                      cc_graph_str(g, g->nodes[i].qual), files[f].gbase + i,
				                      (uint32_t)f};
	}
	qsort(defs, nd, sizeof(*defs), cmp_def);

	seed = calloc(n_nodes, sizeof(double));
	if (!seed)
		goto out;
	if (q && ql)
		*n_seeds = make_seeds(seed, files, nf, defs, nd, q, ql, cfg);
	double stot = 0;
	for (size_t i = 0; i < n_nodes; i++)
		stot += seed[i];
	if (stot <= 0) {
		rc = CC_OK; /* nothing named: no relevance */
		goto out;
	}
	for (size_t i = 0; i < n_nodes; i++)
		seed[i] /= stot;

	/* edges, both directions (the reverse one scaled) */
	const float rw = cfg->reverse_weight;
	for (size_t f = 0; f < nf; f++) {
		const cc_file_graph *g = files[f].g;
		uint32_t b = files[f].gbase;
		if (!g)
			continue;
		for (uint32_t k = 0; k < g->n_edges; k++) {
			const cc_edge *e = &g->edges[k];
			int kind = e->kind == CC_EDGE_CONTAINS       ? CC_PEDGE_CONTAINS
			           : e->kind == CC_EDGE_CDG          ? CC_PEDGE_CDG
			           : e->kind == CC_EDGE_REACHING_DEF ? CC_PEDGE_REACHING_DEF
			           : e->kind == CC_EDGE_CALL         ? CC_PEDGE_CALL
			                                             : -1;
			if (kind < 0 || e->src < 0 || e->dst < 0 || (uint32_t)e->src >= g->n_nodes ||
			    (uint32_t)e->dst >= g->n_nodes)
				continue;
			float w = cfg->edge_weight[kind] * (e->confidence > 0 ? e->confidence : 1.0f);
			if (edge_add(&el, b + (uint32_t)e->src, b + (uint32_t)e->dst, w) ||
			    edge_add(&el, b + (uint32_t)e->dst, b + (uint32_t)e->src, w * rw))
				goto out;
		}
		/* call edges */
		if (files[f].by_name) {
			for (uint32_t i = 0; i < g->n_nodes; i++) {
				if (g->nodes[i].kind != CC_NODE_CALL)
					continue;
				const char *nm = cc_graph_str(g, g->nodes[i].name);
				size_t cnt, at = def_find(defs, nd, nm, strlen(nm), &cnt);
				size_t m = 0;
				for (size_t k = 0; k < cnt; k++) {
					const defent *d = &defs[at + k];
					const cc_file_graph *dg = files[d->file].g;
					m += dg->nodes[d->gid - files[d->file].gbase].kind == CC_NODE_METHOD;
				}
				for (size_t k = 0; k < cnt; k++) {
					const defent *d = &defs[at + k];
					const cc_file_graph *dg = files[d->file].g;
					if (dg->nodes[d->gid - files[d->file].gbase].kind != CC_NODE_METHOD)
						continue;
					float w = cfg->edge_weight[CC_PEDGE_CALL] / (float)m;
					if (edge_add(&el, b + i, d->gid, w) || edge_add(&el, d->gid, b + i, w * rw))
						goto out;
				}
			}
		} else {
			for (size_t k = 0; k < files[f].n_calls; k++) {
				const cc_prior_call *c = &files[f].calls[k];
				if (c->src_index >= g->n_nodes || !c->dst_path)
					continue;
				for (size_t t = 0; t < nf; t++) {
					if (strcmp(files[t].path, c->dst_path) || !files[t].g ||
					    c->dst_index >= files[t].g->n_nodes)
						continue;
					float w = cfg->edge_weight[CC_PEDGE_CALL] * (c->confidence > 0 ? c->confidence : 1.0f);
					if (edge_add(&el, b + c->src_index, files[t].gbase + c->dst_index, w) ||
					    edge_add(&el, files[t].gbase + c->dst_index, b + c->src_index, w * rw))
						goto out;
				}
			}
		}
	}
	/* CSR by source, row-normalized */
	off = calloc(n_nodes + 1, sizeof(uint32_t));
	outw = calloc(n_nodes, sizeof(double));
	csr = malloc((el.n + 1) * sizeof(*csr));
	r = malloc(n_nodes * sizeof(double));
	rn = malloc(n_nodes * sizeof(double));
	if (!off || !outw || !csr || !r || !rn)
		goto out;
	for (size_t k = 0; k < el.n; k++) {
		off[el.e[k].src + 1]++;
		outw[el.e[k].src] += el.e[k].w;
	}
	for (size_t i = 0; i < n_nodes; i++)
		off[i + 1] += off[i];
	{
		uint32_t *fill = malloc((n_nodes + 1) * sizeof(uint32_t));
		if (!fill)
			goto out;
		memcpy(fill, off, (n_nodes + 1) * sizeof(uint32_t));
		for (size_t k = 0; k < el.n; k++)
			csr[fill[el.e[k].src]++] = el.e[k];
		free(fill);
	}
	const double d = cfg->damping;
	for (size_t i = 0; i < n_nodes; i++)
		r[i] = seed[i];
	for (int it = 0; it < cfg->iterations; it++) {
		double dangling = 0, diff = 0;
		for (size_t i = 0; i < n_nodes; i++) {
			rn[i] = 0;
			if (off[i] == off[i + 1])
				dangling += r[i];
		}
		for (size_t u = 0; u < n_nodes; u++) {
			if (r[u] == 0 || off[u] == off[u + 1])
				continue;
			double ru = d * r[u] / outw[u];
			for (uint32_t k = off[u]; k < off[u + 1]; k++)
				rn[csr[k].dst] += ru * csr[k].w;
		}
		for (size_t i = 0; i < n_nodes; i++) {
			rn[i] += (1 - d + d * dangling) * seed[i];
			diff += fabs(rn[i] - r[i]);
		}
		double *t = r;
		r = rn;
		rn = t;
		if (diff < 1e-10)
			break;
	}
	double mx = 0;
	for (size_t i = 0; i < n_nodes; i++)
		mx = r[i] > mx ? r[i] : mx;
	for (size_t i = 0; i < n_nodes && mx > 0; i++)
		rel[i] = (float)pow(r[i] / mx, cfg->relevance_gamma);
	rc = CC_OK;
out:
	if (rc == CC_ENOMEM)
		cc_error_set(rc, "priors: out of memory");
	free(el.e);
	free(defs);
	free(seed);
	free(r);
	free(rn);
	free(outw);
	free(off);
	free(csr);
	return rc;
}

/* ---------------------------------------------------------------- tokens */

static int only_space_punct(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_ident(c) || c >= 0x80)
			return 0;
	}
	return 1;
}

static int span_kind_of(uint8_t kind)
{
	switch (kind) {
	case CC_NODE_CALL: return CC_PCLS_CALL;
	case CC_NODE_PREDICATE: return CC_PCLS_PREDICATE;
	case CC_NODE_RETURN: return CC_PCLS_RETURN;
	case CC_NODE_ASSIGNMENT: return CC_PCLS_ASSIGNMENT;
	case CC_NODE_IMPORT: return CC_PCLS_IMPORT;
	default: return -1;
	}
}

static int class_of_node(uint8_t kind)
{
	switch (kind) {
	case CC_NODE_CALL: return CC_PCLS_CALL;
	case CC_NODE_PREDICATE: return CC_PCLS_PREDICATE;
	case CC_NODE_RETURN: return CC_PCLS_RETURN;
	case CC_NODE_ASSIGNMENT: return CC_PCLS_ASSIGNMENT;
	case CC_NODE_IMPORT: return CC_PCLS_IMPORT;
	case CC_NODE_PARAM: return CC_PCLS_PARAM;
	default: return -1;
	}
}

void cc_priors_free(cc_priors *p)
{
	if (!p)
		return;
	free(p->text);
	for (size_t i = 0; i < p->n_segments; i++)
		free(p->paths[i]);
	free(p->paths);
	free(p->tokens);
	free(p->spans);
	for (size_t i = 0; i < p->n_chunks; i++)
		free(p->chunks[i].name);
	free(p->chunks);
	free(p);
}

static int push_span(cc_priors *p, size_t *cap, cc_prior_span s, int32_t *id)
{
	if (p->n_spans == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		cc_prior_span *ns = realloc(p->spans, nc * sizeof(*ns));
		if (!ns)
			return CC_ENOMEM;
		p->spans = ns;
		*cap = nc;
	}
	*id = (int32_t)p->n_spans;
	p->spans[p->n_spans++] = s;
	return CC_OK;
}

static uint32_t line_of(const char *content, uint32_t from_byte, uint32_t from_line, uint32_t to)
{
	uint32_t l = from_line;
	for (uint32_t b = from_byte; b < to; b++)
		l += content[b] == '\n';
	return l;
}

/* chunk building: raw runs, then split and merge by size */
typedef struct {
	int32_t seg;
	int64_t key; /* method node, -1 block, -2 header, -3 text */
	uint32_t first, count;
} rawchunk;

/* Share R tokens over the chunks not full, by (importance + 1e-6) x size, each capped
 * (water-filling: what a capped chunk cannot take goes round again). protected_only: size and
 * cap are the chunk's protected tokens; else size is its unprotected tokens and cap its count.
 * want[i] grows by each chunk's share; full[i] is set when chunk i reaches its cap. */
static void water_fill(double *want, unsigned char *full, const cc_priors *p, double R,
                       int protected_only)
{
	size_t n = p->n_chunks;
	for (int round = 0; round < 64 && R > 1e-9; round++) {
		double tw = 0, used = 0;
		for (size_t i = 0; i < n; i++)
			if (!full[i])
				tw += (p->chunks[i].importance + 1e-6) *
				      (protected_only ? p->chunks[i].n_protected
				                      : p->chunks[i].count - p->chunks[i].n_protected);
		if (tw <= 0)
			break;
		for (size_t i = 0; i < n; i++) {
			if (full[i])
				continue;
			uint32_t size = protected_only ? p->chunks[i].n_protected
			                               : p->chunks[i].count - p->chunks[i].n_protected;
			uint32_t cap = protected_only ? p->chunks[i].n_protected : p->chunks[i].count;
			double add = R * (p->chunks[i].importance + 1e-6) * size / tw;
			if (want[i] + add >= cap) {
				add = cap - want[i];
				full[i] = 1;
			}
			want[i] += add;
			used += add;
		}
		R -= used;
	}
}

static int budgets(cc_priors *p)
{
	size_t n = p->n_chunks, B = p->budget;
	if (!B || B >= p->n_tokens) {
		for (size_t i = 0; i < n; i++)
			p->chunks[i].budget = p->chunks[i].count;
		return CC_OK;
	}
	double *want = calloc(n ? n : 1, sizeof(double));
	if (!want)
		return CC_ENOMEM;
	size_t P = 0;
	for (size_t i = 0; i < n; i++)
		P += p->chunks[i].n_protected;
	if (P >= B) {
		/* protected tokens alone exceed the budget: share it by protected tokens x importance
		 * (relevant chunks first), capped at each chunk's protected count (water-filling) */
		double R = (double)B;
		unsigned char *full = calloc(n ? n : 1, 1);
		if (!full) {
			free(want);
			return CC_ENOMEM;
		}
		/* the text (instructions, issue) first, whole, when it fits */
		size_t text_prot = 0;
		for (size_t i = 0; i < n; i++)
			if (p->chunks[i].segment < 0 || !p->paths[p->chunks[i].segment])
				text_prot += p->chunks[i].n_protected;
		if (text_prot <= B) {
			for (size_t i = 0; i < n; i++)
				if (p->chunks[i].segment < 0 || !p->paths[p->chunks[i].segment]) {
					want[i] = p->chunks[i].n_protected;
					full[i] = 1;
				}
			R -= (double)text_prot;
		}
		water_fill(want, full, p, R, 1);
		free(full);
	} else {
		/* protected first, the rest by importance x unprotected size, capped (water-filling) */
		double R = (double)(B - P);
		for (size_t i = 0; i < n; i++)
			want[i] = p->chunks[i].n_protected;
		unsigned char *full = calloc(n ? n : 1, 1);
		if (!full) {
			free(want);
			return CC_ENOMEM;
		}
		water_fill(want, full, p, R, 0);
		free(full);
	}
	/* integer budgets summing to min(B, total): floors, then largest remainders (ties by index) */
	size_t sum = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t f = (uint32_t)floor(want[i] + 1e-9);
		if (f > p->chunks[i].count)
			f = p->chunks[i].count;
		p->chunks[i].budget = f;
		sum += f;
	}
	while (sum < B) {
		size_t best = n;
		double br = -1;
		for (size_t i = 0; i < n; i++) {
			if (p->chunks[i].budget >= p->chunks[i].count)
				continue;
			double rem = want[i] - p->chunks[i].budget;
			if (rem > br) {
				br = rem;
				best = i;
			}
		}
		if (best == n)
			break;
		p->chunks[best].budget++;
		want[best] = p->chunks[best].budget; /* its remainder is used */
		sum++;
	}
	free(want);
	return CC_OK;
}

/* What the phases of cc_priors_compute_tokens share. */
typedef struct {
	cc_priors *p;
	const cc_priors_config *cfg;
	const cc_prompt_segment *segs;
	size_t ns;
	const seg_layout *lay;
	pfile *files; /* distinct files of the segments */
	size_t nf;
	int32_t *seg_file; /* segment -> file, -1 for text */
	float *rel;        /* node relevance, by global node id */
	rawchunk *raw;     /* runs of tokens of one (segment, top method) */
	size_t nraw;
	int32_t *span_node; /* per segment: [node] and [max_nodes + method signature] -> span */
	size_t max_nodes, span_cap;
} pctx;

/* The distinct files of the segments (x->files, x->nf, x->seg_file); the path of each
 * segment into p->paths. CC_ENOMEM. */
static int collect_files(pctx *x)
{
	for (size_t i = 0; i < x->ns; i++) {
		x->seg_file[i] = -1;
		if (!x->segs[i].path)
			continue;
		if (!(x->p->paths[i] = strdup(x->segs[i].path)))
			return CC_ENOMEM;
		for (size_t f = 0; f < x->nf; f++)
			if (!strcmp(x->files[f].path, x->segs[i].path))
				x->seg_file[i] = (int32_t)f;
		if (x->seg_file[i] < 0) {
			pfile *f = &x->files[x->nf];
			f->path = x->segs[i].path;
			f->content = x->segs[i].content;
			f->len = x->segs[i].len;
			f->g = x->segs[i].graph;
			f->by_name = 1;
			x->seg_file[i] = (int32_t)x->nf++;
		}
		pfile *f = &x->files[x->seg_file[i]];
		if (x->segs[i].calls && f->by_name) {
			f->calls = x->segs[i].calls;
			f->n_calls = x->segs[i].n_calls;
			f->by_name = 0;
		}
	}
	return CC_OK;
}

/* Class, span, relevance and chunk key of the code token t (prompt bytes [ps, pe)) of segment
 * s, whose file is f. CC_ENOMEM. */
static int code_token(pctx *c, size_t t, size_t s, uint32_t ps, uint32_t pe, int *cls, float *r,
                      int64_t *key)
{
	cc_priors *p = c->p;
	cc_token_prior *tp = &p->tokens[t];
	pfile *f = &c->files[c->seg_file[s]];
	const seg_layout *l = &c->lay[s];
	uint32_t fs = (uint32_t)(ps - l->body_at) + l->fstart;
	size_t body_end = l->body_at + l->body_len;
	uint32_t fe = (uint32_t)((pe < body_end ? pe : body_end) - l->body_at) + l->fstart;
	tp->start = fs;
	tp->end = fe;
	/* the token's first non-blank byte decides its node */
	uint32_t b = fs;
	while (b < fe && (f->content[b] == ' ' || f->content[b] == '\t' ||
	                  f->content[b] == '\n' || f->content[b] == '\r'))
		b++;
	int blank = only_space_punct(f->content + fs, fe - fs);
	int32_t n = b < fe ? f->node_at[b] : f->node_at[fs];
	const cc_file_graph *g = f->g;
	*cls = blank ? CC_PCLS_WHITESPACE : CC_PCLS_CODE;
	*key = -1;
	*r = 0;
	if (n >= 0 && g) {
		tp->node = n;
		int cl = -1, fallback = -1, comment = 0;
		int32_t span_n = -1, span_k = -1, sig_m = -1;
		uint32_t steps = 0; /* a corrupt parent chain cannot loop */
		for (int32_t x = n; x >= 0 && (uint32_t)x < g->n_nodes && steps++ <= g->n_nodes;
		     x = g->nodes[x].parent) {
			const cc_node *nd = &g->nodes[x];
			if (x == n && (nd->kind == CC_NODE_COMMENT ||
			               (nd->kind == CC_NODE_LITERAL && f->is_doc[x]))) {
				comment = 1;
				break;
			}
			if (nd->kind == CC_NODE_METHOD) {
				if (b < f->sig_end[x] && span_n < 0) {
					sig_m = x;
					if (cl < 0)
						cl = CC_PCLS_SIGNATURE;
				}
				break;
			}
			if (nd->kind == CC_NODE_TYPE_DECL && b < f->sig_end[x]) {
				if (cl < 0)
					cl = CC_PCLS_TYPE_DECL;
				span_n = x;
				span_k = CC_PCLS_TYPE_DECL;
			}
			int kc = class_of_node(nd->kind);
			if (kc >= 0 && cl < 0)
				cl = kc;
			int sk = span_kind_of(nd->kind);
			if (sk >= 0) {
				span_n = x;
				span_k = sk;
			}
			if ((nd->kind == CC_NODE_IDENTIFIER || nd->kind == CC_NODE_LITERAL) &&
			    fallback < 0)
				fallback = nd->kind == CC_NODE_IDENTIFIER ? CC_PCLS_IDENTIFIER
				                                          : CC_PCLS_LITERAL;
		}
		if (comment)
			*cls = CC_PCLS_COMMENT;
		else if (!blank)
			*cls = cl >= 0 ? cl : (fallback >= 0 ? fallback : CC_PCLS_CODE);
		/* the keyword and colon of a control header (`if`, `while ... :`) go with
		 * its predicate: kept or dropped together */
		if (!comment && span_n < 0 && sig_m < 0 && g->nodes[n].kind == CC_NODE_CONTROL &&
		    f->pred_of[n] >= 0) {
			const cc_node *pd = &g->nodes[f->pred_of[n]];
			uint32_t le = pd->end_byte;
			while (le < f->len && f->content[le] != '\n')
				le++;
			if ((b >= g->nodes[n].start_byte && b < pd->start_byte) ||
			    (b >= pd->end_byte && b < le)) {
				span_n = f->pred_of[n];
				span_k = CC_PCLS_PREDICATE;
			}
		}
		/* span */
		int32_t slot = -1;
		uint8_t skind = 0;
		int32_t snode = -1;
		if (sig_m >= 0) {
			slot = (int32_t)c->max_nodes + sig_m;
			skind = CC_PCLS_SIGNATURE;
			snode = sig_m;
		} else if (span_n >= 0 && !comment) {
			slot = span_n;
			skind = (uint8_t)span_k;
			snode = span_n;
		}
		if (slot >= 0) {
			if (c->span_node[slot] < 0) {
				int32_t id;
				if (push_span(p, &c->span_cap,
				              (cc_prior_span){(int32_t)s, snode, skind, (uint32_t)t, 0},
				              &id))
					return CC_ENOMEM;
				c->span_node[slot] = id;
			}
			tp->span = c->span_node[slot];
			cc_prior_span *sp = &p->spans[tp->span];
			sp->count = (uint32_t)t - sp->first + 1;
		}
		/* relevance: the node's, or its method's when higher */
		*r = c->rel[f->gbase + (uint32_t)n];
		int32_t m = g->nodes[n].method;
		if (g->nodes[n].kind == CC_NODE_METHOD)
			m = n;
		if (m >= 0 && (uint32_t)m < g->n_nodes && c->rel[f->gbase + (uint32_t)m] > *r)
			*r = c->rel[f->gbase + (uint32_t)m];
		*key = f->top_method[n] >= 0 ? f->top_method[n] : -1;
	}
	return CC_OK;
}

/* Every token: segment, class, span, relevance, prior; the runs of tokens that chunks are made
 * from (x->raw). CC_ENOMEM. */
static int classify_tokens(pctx *x, const int32_t *ids, const cc_token_span *offsets, size_t nt)
{
	cc_priors *p = x->p;
	const cc_priors_config *cfg = x->cfg;
	size_t ns = x->ns;
	size_t s = 0;
	int32_t cur_seg_for_spans = -1;
	for (size_t t = 0; t < nt; t++) {
		cc_token_prior *tp = &p->tokens[t];
		uint32_t ps = offsets[t].start, pe = offsets[t].end;
		while (s + 1 < ns && ps >= x->lay[s].end_at)
			s++;
		tp->id = ids[t];
		tp->pstart = ps;
		tp->segment = ns ? (int32_t)s : -1;
		tp->node = -1;
		tp->span = -1;
		tp->start = ps;
		tp->end = pe;
		int64_t key = -3;
		int cls = CC_PCLS_TEXT;
		float r = cfg->text_relevance;
		const cc_prompt_segment *sg = ns ? &x->segs[s] : NULL;
		if (sg && sg->path) {
			const seg_layout *l = &x->lay[s];
			if ((int32_t)s != cur_seg_for_spans) {
				memset(x->span_node, 0xff, (2 * x->max_nodes + 1) * sizeof(int32_t));
				cur_seg_for_spans = (int32_t)s;
			}
			if (ps < l->body_at) {
				cls = CC_PCLS_HEADER; /* file-relative: an empty range where the segment starts */
				key = -2;
				tp->start = tp->end = l->fstart;
			} else if (ps >= l->body_at + l->body_len) {
				cls = CC_PCLS_WHITESPACE; /* the newline added after the segment */
				key = -1;
				r = 0;
				tp->start = tp->end = l->fend;
			} else if (code_token(x, t, s, ps, pe, &cls, &r, &key)) {
				return CC_ENOMEM;
			}
		}
		tp->cls = (uint8_t)cls;
		tp->relevance = r;
		tp->prior = cfg->class_weight[cls] * (cfg->rel_floor + (1 - cfg->rel_floor) * r);
		if (tp->prior > 1)
			tp->prior = 1;
		if (x->nraw && x->raw[x->nraw - 1].seg == tp->segment && x->raw[x->nraw - 1].key == key) {
			x->raw[x->nraw - 1].count++;
		} else {
			x->raw[x->nraw++] = (rawchunk){tp->segment, key, (uint32_t)t, 1};
		}
	}
	return CC_OK;
}

/* Protection: by class, by span kind, and structure of relevant nodes. CC_ENOMEM. */
static int protect_tokens(pctx *x)
{
	cc_priors *p = x->p;
	const cc_priors_config *cfg = x->cfg;
	const cc_prompt_segment *segs = x->segs;
	size_t nt = p->n_tokens;
	unsigned char *sp_prot = calloc(p->n_spans + 1, 1);
	if (!sp_prot)
		return CC_ENOMEM;
	for (size_t t = 0; t < nt; t++) {
		cc_token_prior *tp = &p->tokens[t];
		if (tp->span >= 0 && tp->cls != CC_PCLS_COMMENT &&
		    (cfg->protect_class[p->spans[tp->span].kind] ||
		     (tp->relevance >= cfg->protect_relevance && tp->cls >= CC_PCLS_IMPORT)))
			sp_prot[tp->span] = 1;
	}
	for (size_t t = 0; t < nt; t++) {
		cc_token_prior *tp = &p->tokens[t];
		tp->protect = (uint8_t)(cfg->protect_class[tp->cls] ||
		                        (tp->span >= 0 && sp_prot[tp->span] && tp->cls != CC_PCLS_COMMENT) ||
		                        (tp->relevance >= cfg->protect_relevance && tp->cls >= CC_PCLS_IMPORT &&
		                         tp->segment >= 0 && segs[tp->segment].path));
	}
	free(sp_prot);
	return CC_OK;
}

/* Chunks: split long runs, merge short neighbours of one segment; name, lines, relevance and
 * importance of each. CC_ENOMEM. */
static int make_chunks(pctx *x)
{
	cc_priors *p = x->p;
	const cc_priors_config *cfg = x->cfg;
	size_t cap = x->nraw * 2 + 1, nc = 0;
	rawchunk *ch = malloc(cap * sizeof(*ch));
	if (!ch)
		return CC_ENOMEM;
	const uint32_t cmax = (uint32_t)cfg->chunk_max, cmin = (uint32_t)cfg->chunk_min;
	for (size_t i = 0; i < x->nraw; i++) {
		uint32_t parts = (x->raw[i].count + cmax - 1) / cmax, at = x->raw[i].first;
		for (uint32_t k = 0; k < parts; k++) {
			uint32_t c = x->raw[i].count / parts + (k < x->raw[i].count % parts);
			if (nc == cap) {
				cap *= 2;
				rawchunk *nch = realloc(ch, cap * sizeof(*ch));
				if (!nch) {
					free(ch);
					return CC_ENOMEM;
				}
				ch = nch;
			}
			ch[nc++] = (rawchunk){x->raw[i].seg, x->raw[i].key, at, c};
			at += c;
		}
	}
	/* merge: a short chunk takes its successors (same segment) while it stays under max;
	 * a short last chunk of a segment joins its predecessor when that fits */
	size_t w = 0;
	int64_t *best_key = malloc((nc + 1) * sizeof(int64_t));
	uint32_t *best_cnt = malloc((nc + 1) * sizeof(uint32_t));
	if (!best_key || !best_cnt) {
		free(ch);
		free(best_key);
		free(best_cnt);
		return CC_ENOMEM;
	}
	for (size_t i = 0; i < nc; i++) {
		if (w && ch[w - 1].seg == ch[i].seg && ch[w - 1].count < cmin &&
		    ch[w - 1].count + ch[i].count <= cmax) {
			ch[w - 1].count += ch[i].count;
		} else if (w && ch[w - 1].seg == ch[i].seg && ch[i].count < cmin &&
		           (i + 1 == nc || ch[i + 1].seg != ch[i].seg) &&
		           ch[w - 1].count + ch[i].count <= cmax) {
			ch[w - 1].count += ch[i].count;
		} else {
			best_key[w] = ch[i].key;
			best_cnt[w] = ch[i].count;
			ch[w++] = ch[i];
			continue;
		}
		if (ch[i].count > best_cnt[w - 1] || (best_key[w - 1] < 0 && ch[i].key >= 0)) {
			best_key[w - 1] = ch[i].key;
			best_cnt[w - 1] = ch[i].count;
		}
	}
	nc = w;
	p->chunks = calloc(nc ? nc : 1, sizeof(*p->chunks));
	if (!p->chunks) {
		free(ch);
		free(best_key);
		free(best_cnt);
		return CC_ENOMEM;
	}
	p->n_chunks = nc;
	for (size_t i = 0; i < nc; i++) {
		cc_prior_chunk *c = &p->chunks[i];
		c->segment = ch[i].seg;
		c->first = ch[i].first;
		c->count = ch[i].count;
		double wsum = 0;
		float mrel = 0;
		for (uint32_t t = c->first; t < c->first + c->count; t++) {
			cc_token_prior *tp = &p->tokens[t];
			tp->chunk = (int32_t)i;
			wsum += cfg->class_weight[tp->cls];
			/* a file header's relevance is the text's, not the code's */
			if (tp->cls != CC_PCLS_HEADER && tp->relevance > mrel)
				mrel = tp->relevance;
			c->n_protected += tp->protect;
		}
		c->relevance = mrel;
		c->importance = (float)(wsum / (c->count ? c->count : 1)) *
		                (cfg->rel_floor + (1 - cfg->rel_floor) * mrel);
		const char *nm = "text";
		char buf[64];
		if (c->segment >= 0 && x->segs[c->segment].path) {
			pfile *f = &x->files[x->seg_file[c->segment]];
			const seg_layout *l = &x->lay[c->segment];
			nm = "block";
			if (best_key[i] >= 0 && f->g)
				nm = cc_graph_str(f->g, f->g->nodes[best_key[i]].qual)[0]
				             ? cc_graph_str(f->g, f->g->nodes[best_key[i]].qual)
				             : cc_graph_str(f->g, f->g->nodes[best_key[i]].name);
			else if (best_key[i] == -2)
				nm = "header";
			/* lines of the file covered */
			uint32_t a = p->tokens[c->first].start, z = p->tokens[c->first + c->count - 1].end;
			if (a < l->fstart)
				a = l->fstart;
			if (z > l->fend)
				z = l->fend;
			if (z < a)
				z = a;
			if (f->line_no == 0 || a < f->line_byte) {
				f->line_byte = 0;
				f->line_no = 1;
			}
			c->start_line = line_of(f->content, f->line_byte, f->line_no, a);
			f->line_byte = a;
			f->line_no = c->start_line;
			c->end_line = line_of(f->content, a, c->start_line, z > a ? z - 1 : a);
		} else if (c->segment < 0) {
			snprintf(buf, sizeof(buf), "special");
			nm = buf;
		}
		if (!(c->name = strdup(nm))) {
			free(ch);
			free(best_key);
			free(best_cnt);
			return CC_ENOMEM;
		}
	}
	free(ch);
	free(best_key);
	free(best_cnt);
	return CC_OK;
}

static int compute_tokens(cc_priors **out, const char *text, size_t len, const int32_t *ids,
                          const cc_token_span *offsets, size_t nt, const cc_prompt_segment *segs,
                          size_t ns, const cc_priors_opts *opts, const cc_priors_config *cfg_in,
                          int exact);

int cc_priors_compute_tokens(cc_priors **out, const char *text, size_t len, const int32_t *ids,
                             const cc_token_span *offsets, size_t nt, const cc_prompt_segment *segs,
                             size_t ns, const cc_priors_opts *opts, const cc_priors_config *cfg)
{
	return compute_tokens(out, text, len, ids, offsets, nt, segs, ns, opts, cfg, 0);
}

int cc_priors_compute_text_tokens(cc_priors **out, const char *text, size_t len,
                                  const int32_t *ids, const cc_token_span *offsets, size_t nt,
                                  const cc_priors_opts *opts, const cc_priors_config *cfg)
{
	cc_prompt_segment seg;
	memset(&seg, 0, sizeof(seg));
	seg.content = text;
	seg.len = len;
	return compute_tokens(out, text, len, ids, offsets, nt, &seg, 1, opts, cfg, 1);
}

static int compute_tokens(cc_priors **out, const char *text, size_t len, const int32_t *ids,
                          const cc_token_span *offsets, size_t nt, const cc_prompt_segment *segs,
                          size_t ns, const cc_priors_opts *opts, const cc_priors_config *cfg_in,
                          int exact)
{
	cc_priors_config dcfg;
	const cc_priors_config *cfg = cfg_in;
	cc_priors *p = NULL;
	seg_layout *lay = NULL;
	pctx x = {0};
	size_t total = 0, n_nodes = 0;
	int rc = CC_ENOMEM;
	double t0 = cc_now();
	static const cc_priors_opts no_opts = {0};

	*out = NULL;
	if (!opts)
		opts = &no_opts;
	if (!cfg) {
		cc_priors_config_default(&dcfg);
		cfg = &dcfg;
	}
	if (opts->max_tokens && nt > opts->max_tokens)
		return cc_error_set(CC_ETOOBIG, "prompt is %zu tokens, over the model's context of %zu tokens",
		                    nt, opts->max_tokens);
	lay = calloc(ns ? ns : 1, sizeof(*lay));
	if (!lay)
		goto out;
	if ((rc = layout(lay, &total, segs, ns, exact)))
		goto out;
	rc = CC_ENOMEM;
	if (total != len) {
		rc = cc_error_set(CC_EINVAL, "priors: prompt text (%zu bytes) does not match its segments (%zu)",
		                  len, total);
		goto out;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		goto out;
	p->budget = opts->budget;
	p->text = malloc(len + 1);
	p->paths = calloc(ns ? ns : 1, sizeof(char *));
	p->tokens = calloc(nt ? nt : 1, sizeof(*p->tokens));
	x = (pctx){.p = p, .cfg = cfg, .segs = segs, .ns = ns, .lay = lay};
	x.files = calloc(ns ? ns : 1, sizeof(*x.files));
	x.seg_file = malloc((ns ? ns : 1) * sizeof(int32_t));
	if (!p->text || !p->paths || !p->tokens || !x.files || !x.seg_file)
		goto out;
	memcpy(p->text, text, len);
	p->text[len] = 0;
	p->len = len;
	p->n_segments = ns;
	p->n_tokens = nt;

	if ((rc = collect_files(&x)))
		goto out;
	for (size_t f = 0; f < x.nf; f++) {
		if ((rc = pfile_prepare(&x.files[f])))
			goto out;
		x.files[f].gbase = (uint32_t)n_nodes;
		n_nodes += x.files[f].g ? x.files[f].g->n_nodes : 0;
	}
	x.rel = malloc((n_nodes + 1) * sizeof(float));
	if (!x.rel) {
		rc = CC_ENOMEM;
		goto out;
	}
	if ((rc = pagerank(x.rel, x.files, x.nf, n_nodes, opts->query, opts->query_len, cfg,
	                   &p->n_seeds)))
		goto out;
	rc = CC_ENOMEM;

	/* spans per (segment, node): a node index table reused per segment */
	for (size_t f = 0; f < x.nf; f++)
		if (x.files[f].g && x.files[f].g->n_nodes > x.max_nodes)
			x.max_nodes = x.files[f].g->n_nodes;
	x.span_node = malloc((2 * x.max_nodes + 1) * sizeof(int32_t)); /* [node] and [method sig] */
	x.raw = malloc((nt + 1) * sizeof(*x.raw));
	if (!x.span_node || !x.raw)
		goto out;
	if ((rc = classify_tokens(&x, ids, offsets, nt)) || (rc = protect_tokens(&x)) ||
	    (rc = make_chunks(&x)) || (rc = budgets(p)))
		goto out;
	p->seconds_priors = cc_now() - t0;
	*out = p;
	p = NULL;
	rc = CC_OK;
out:
	if (rc == CC_ENOMEM)
		cc_error_set(rc, "priors: out of memory");
	for (size_t f = 0; x.files && f < x.nf; f++)
		pfile_clear(&x.files[f]);
	free(x.files);
	free(x.seg_file);
	free(x.span_node);
	free(x.rel);
	free(x.raw);
	free(lay);
	cc_priors_free(p);
	return rc;
}

int cc_priors_compute(cc_priors **out, const cc_tokenizer *tok, const cc_prompt_segment *segs,
                      size_t ns, const cc_priors_opts *opts, const cc_priors_config *cfg)
{
	char *text = NULL;
	size_t len = 0, n = 0;
	int32_t *ids = NULL;
	cc_token_span *off = NULL;
	static const cc_priors_opts no_opts = {0};
	int rc;

	*out = NULL;
	if (!opts)
		opts = &no_opts;
	if ((rc = cc_prompt_assemble(&text, &len, NULL, segs, ns)))
		return rc;
	double t0 = cc_now();
	if ((rc = cc_tokenizer_encode_ex(tok, text, len, opts->tok_flags, &ids, &off, &n)))
		goto out;
	double t1 = cc_now();
	if ((rc = cc_priors_compute_tokens(out, text, len, ids, off, n, segs, ns, opts, cfg)))
		goto out;
	(*out)->seconds_tokenize = t1 - t0;
out:
	free(text);
	free(ids);
	free(off);
	return rc;
}
