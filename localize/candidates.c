/*
 * candidates.c - stage 1 of localization: the function graph of a revision (call edges and
 * shared-state def-use edges), seeded from what the issue, the trace and the test name, ranked
 * by personalized PageRank plus call distance from the test (see cc_localize.h).
 */
#include "cc_localize.h"
#include "loc_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PPR_ALPHA 0.85
#define PPR_ITERS 60
#define MAX_SHARED 16    /* a name referenced by more methods than this links nothing */
#define MAX_TEST_DIST 32 /* call paths from the test longer than this are not followed */

typedef struct {
	uint32_t to;
	float w;
} adj_e;

typedef struct {
	adj_e *v;
	size_t n, cap;
} adj_list;

static int adj_add(adj_list *a, uint32_t to, float w)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].to == to) {
			a->v[i].w += w;
			return CC_OK;
		}
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 4;
		adj_e *v = realloc(a->v, cap * sizeof(*v));
		if (!v)
			return cc_error_set(CC_ENOMEM, "out of memory for the function graph");
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = (adj_e){to, w};
	return CC_OK;
}

/* Hash map (path, node index) -> method number. */
typedef struct {
	uint64_t *keys; /* hash, 0 = empty */
	uint32_t *vals;
	size_t cap;
} mmap_t;

static uint64_t key_of(const char *path, uint32_t index)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = path; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ index) * 1099511628211ULL;
	h ^= h >> 29;
	return h ? h : 1;
}

static int mmap_init(mmap_t *m, size_t n)
{
	m->cap = 16;
	while (m->cap < 2 * n + 16)
		m->cap *= 2;
	m->keys = calloc(m->cap, sizeof(*m->keys));
	m->vals = calloc(m->cap, sizeof(*m->vals));
	if (!m->keys || !m->vals)
		return cc_error_set(CC_ENOMEM, "out of memory for the function graph");
	return CC_OK;
}

static void mmap_put(mmap_t *m, uint64_t k, uint32_t v)
{
	size_t i = k & (m->cap - 1);
	while (m->keys[i] && m->keys[i] != k)
		i = (i + 1) & (m->cap - 1);
	m->keys[i] = k;
	m->vals[i] = v;
}

static int mmap_get(const mmap_t *m, uint64_t k, uint32_t *v)
{
	size_t i = k & (m->cap - 1);
	while (m->keys[i]) {
		if (m->keys[i] == k) {
			*v = m->vals[i];
			return 1;
		}
		i = (i + 1) & (m->cap - 1);
	}
	return 0;
}

/* Does path p (repository-relative) match a path s named in a text (absolute, relative,
 * Windows separators)? 2 = s ends with "/p" or equals p; 1 = same base name; 0 = no. */
int loc_path_match(const char *p, const char *s)
{
	size_t pl = strlen(p), sl = strlen(s);
	char buf[512];
	if (sl >= sizeof(buf))
		return 0;
	for (size_t i = 0; i <= sl; i++)
		buf[i] = s[i] == '\\' ? '/' : s[i];
	const char *q = buf;
	while (q[0] == '.' && q[1] == '/')
		q += 2;
	size_t ql = strlen(q);
	if (ql == pl && !strcmp(q, p))
		return 2;
	if (ql > pl && q[ql - pl - 1] == '/' && !strcmp(q + ql - pl, p))
		return 2;
	if (pl > ql && p[pl - ql - 1] == '/' && !strcmp(p + pl - ql, q))
		return 2; /* a shorter relative path naming the tail of p */
	const char *pb = strrchr(p, '/'), *qb = strrchr(q, '/');
	pb = pb ? pb + 1 : p;
	qb = qb ? qb + 1 : q;
	return !strcmp(pb, qb) ? 1 : 0;
}

static int func_cmp(const void *a, const void *b)
{
	const cc_loc_func *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	return x->start_line < y->start_line ? -1 : x->start_line > y->start_line;
}

static int seed_methods(double *seed, const cc_loc_func *f, size_t nf, const cc_loc_seed *sd,
                        const int *in_test, double scale)
{
	int matched = 0;
	if (sd->kind == CC_LOC_SEED_NAME) {
		const char *dot = strchr(sd->text, '.');
		const char *cc = strstr(sd->text, "::");
		size_t cnt = 0;
		for (int pass = 0; pass < 2; pass++) {
			for (size_t i = 0; i < nf; i++) {
				int hit;
				if (in_test[i])
					continue;
				if (dot || cc) {
					size_t ql = strlen(f[i].qual), tl = strlen(sd->text);
					hit = ql >= tl && !strcmp(f[i].qual + ql - tl, sd->text) &&
					      (ql == tl || f[i].qual[ql - tl - 1] == '.' ||
					       f[i].qual[ql - tl - 1] == ':');
				} else {
					hit = !strcmp(f[i].name, sd->text);
				}
				if (!hit)
					continue;
				if (pass == 0)
					cnt++;
				else
					seed[i] += scale * sd->weight / sqrt((double)cnt);
			}
			if (!cnt)
				break;
		}
		if (cnt)
			matched = 1;
		/* a class name: its methods, lightly */
		if (!dot && !cc) {
			size_t tl = strlen(sd->text), k = 0;
			for (int pass = 0; pass < 2; pass++)
				for (size_t i = 0; i < nf; i++) {
					if (in_test[i])
						continue;
					const char *q = f[i].qual;
					if (strncmp(q, sd->text, tl) || (q[tl] != '.' && q[tl] != ':'))
						continue;
					if (pass == 0)
						k++;
					else
						seed[i] += 0.5 * scale * sd->weight / (double)k;
				}
			if (k)
				matched = 1;
		}
		return matched;
	}
	/* paths and frames */
	int best = 0;
	for (size_t i = 0; i < nf; i++) {
		int m = loc_path_match(f[i].path, sd->text);
		if (m > best)
			best = m;
	}
	if (!best)
		return 0;
	size_t in_file = 0;
	for (size_t i = 0; i < nf; i++)
		if (loc_path_match(f[i].path, sd->text) == best && !in_test[i])
			in_file++;
	for (size_t i = 0; i < nf; i++) {
		if (in_test[i] || loc_path_match(f[i].path, sd->text) != best)
			continue;
		double w = 0.3 * scale * sd->weight / (double)(in_file ? in_file : 1);
		/* the innermost method holding the line */
		if (sd->line && f[i].start_line <= sd->line && sd->line <= f[i].end_line)
			w += scale * sd->weight;
		if (sd->func && !strcmp(sd->func, f[i].name))
			w += 0.5 * scale * sd->weight;
		seed[i] += w;
	}
	return 1;
}

int cc_loc_candidates_compute(cc_loc_candidates **out, cc_store_rev *r, const cc_loc_query *q)
{
	cc_loc_candidates *c = NULL;
	cc_store_file *file = NULL;
	cc_loc_func *f = NULL;
	adj_list *adj = NULL, *fwd = NULL; /* fwd: caller -> callee only (call distance) */
	double *seed = NULL, *ppr = NULL, *nxt = NULL, *reach = NULL;
	int *in_test = NULL, *dist = NULL;
	uint32_t *queue = NULL;
	uint8_t *queued = NULL;
	cc_loc_seed *sd = NULL, *tsd = NULL;
	size_t nsd = 0, ntsd = 0, nf = 0, capf = 0, n_edges = 0, n_all = 0;
	mmap_t mm = {0};
	int rc = CC_OK;
	*out = NULL;

	if (!q || !q->issue || !q->issue_len) {
		rc = cc_error_set(CC_EINVAL, "the issue text is empty: say what goes wrong");
		goto out;
	}
	size_t nfiles = cc_store_rev_n_files(r);
	/* every method of the revision */
	typedef struct {
		uint32_t first, n;
	} frange;
	frange *fr = calloc(nfiles + 1, sizeof(*fr));
	if (!fr) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t fi = 0; fi < nfiles; fi++) {
		const char *path = cc_store_rev_path(r, fi);
		if ((rc = cc_store_rev_file(&file, r, path)) != CC_OK) {
			free(fr);
			goto out;
		}
		const cc_file_graph *g = file->graph;
		fr[fi].first = (uint32_t)nf;
		for (uint32_t i = 0; g && i < g->n_nodes; i++) {
			const cc_node *nd = &g->nodes[i];
			if (nd->kind != CC_NODE_METHOD)
				continue;
			if (nf == capf) {
				size_t cap = capf ? 2 * capf : 256;
				cc_loc_func *v = realloc(f, cap * sizeof(*v));
				if (v)
					f = v;
				if (!v) {
					free(fr);
					rc = cc_error_set(CC_ENOMEM, "out of memory for the function list");
					goto out;
				}
				capf = cap;
			}
			cc_loc_func *x = &f[nf];
			memset(x, 0, sizeof(*x));
			nf++;
			x->path = strdup(path);
			x->name = strdup(g->names + nd->name);
			x->qual = strdup(nd->qual ? g->names + nd->qual : "");
			if (!x->path || !x->name || !x->qual) {
				free(fr);
				rc = cc_error_set(CC_ENOMEM, "out of memory for the function list");
				goto out;
			}
			x->index = i;
			x->start_line = nd->start_line;
			x->end_line = nd->end_line;
			x->start_byte = nd->start_byte;
			x->end_byte = nd->end_byte;
			x->test_dist = -1;
		}
		fr[fi].n = (uint32_t)(nf - fr[fi].first);
		cc_store_file_free(file);
		file = NULL;
	}
	if (!nf) {
		free(fr);
		rc = cc_error_set(CC_ENOTFOUND, "nothing to rank: the revision %s has no functions",
		                  cc_store_rev_commit(r));
		goto out;
	}
	n_all = nf;
	if ((rc = mmap_init(&mm, nf)))
		goto out_fr;
	for (size_t i = 0; i < nf; i++)
		mmap_put(&mm, key_of(f[i].path, f[i].index), (uint32_t)i);
	adj = calloc(nf, sizeof(*adj));
	fwd = calloc(nf, sizeof(*fwd));
	seed = calloc(nf, sizeof(*seed));
	ppr = calloc(nf, sizeof(*ppr));
	nxt = calloc(nf, sizeof(*nxt));
	in_test = calloc(nf, sizeof(*in_test));
	dist = malloc(nf * sizeof(*dist));
	queue = malloc((nf + 1) * sizeof(*queue));
	reach = malloc((nf + 1) * sizeof(*reach));
	queued = calloc(nf + 1, 1);
	if (!adj || !fwd || !seed || !ppr || !nxt || !in_test || !dist || !queue || !reach ||
	    !queued) {
		rc = cc_error_set(CC_ENOMEM, "out of memory for the function graph");
		goto out_fr;
	}
	/* edges: calls (caller -> callee 1, callee -> caller 0.5) and shared state */
	for (size_t fi = 0; fi < nfiles; fi++) {
		const char *path = cc_store_rev_path(r, fi);
		if (!fr[fi].n)
			continue;
		if ((rc = cc_store_rev_file(&file, r, path)) != CC_OK)
			goto out_fr;
		const cc_file_graph *g = file->graph;
		for (size_t k = 0; k < file->n_calls; k++) {
			const cc_store_call *cl = &file->calls[k];
			uint32_t si = (uint32_t)(cl->src - file->base_id), from, to;
			if (si >= g->n_nodes || g->nodes[si].method < 0)
				continue;
			if (!mmap_get(&mm, key_of(path, (uint32_t)g->nodes[si].method), &from) ||
			    !mmap_get(&mm, key_of(cl->dst_path, cl->dst_index), &to) || from == to)
				continue;
			if ((rc = adj_add(&adj[from], to, cl->confidence)) ||
			    (rc = adj_add(&fwd[from], to, cl->confidence)) ||
			    (rc = adj_add(&adj[to], from, 0.5f * cl->confidence)))
				goto out_fr;
			n_edges++;
		}
		/* def-use through shared state: a method assigning attribute or module name n,
		 * another method of the file reading it (".n" or the identifier n) */
		for (uint32_t i = 0; i < g->n_nodes; i++) {
			const cc_node *nd = &g->nodes[i];
			uint32_t from = 0;
			if (nd->kind != CC_NODE_ASSIGNMENT || !nd->name)
				continue;
			const char *an = g->names + nd->name;
			const char *dot = strrchr(an, '.');
			int attr = dot != NULL;
			if (!attr && nd->method >= 0)
				continue; /* a local variable */
			const char *key = attr ? dot + 1 : an;
			size_t kl = strlen(key);
			if (kl < 2 || kl > 64)
				continue;
			int have_from = nd->method >= 0 &&
			                mmap_get(&mm, key_of(path, (uint32_t)nd->method), &from);
			uint32_t users[MAX_SHARED + 1];
			size_t nu = 0;
			for (uint32_t m = fr[fi].first; m < fr[fi].first + fr[fi].n && nu <= MAX_SHARED; m++) {
				if (have_from && m == from)
					continue;
				const char *b = file->content + f[m].start_byte;
				const char *e = file->content + (f[m].end_byte <= file->len ? f[m].end_byte
				                                                            : file->len);
				for (const char *p = b; p + kl <= e; p++) {
					p = memchr(p, key[0], (size_t)(e - p));
					if (!p || p + kl > e)
						break;
					if (memcmp(p, key, kl))
						continue;
					int before_ok = attr ? (p > b && p[-1] == '.')
					                     : (p == b || !(p[-1] == '_' || p[-1] == '.' ||
					                                    (p[-1] >= 'a' && p[-1] <= 'z') ||
					                                    (p[-1] >= 'A' && p[-1] <= 'Z') ||
					                                    (p[-1] >= '0' && p[-1] <= '9')));
					char a = p + kl < e ? p[kl] : ' ';
					int after_ok = !(a == '_' || (a >= 'a' && a <= 'z') ||
					                 (a >= 'A' && a <= 'Z') || (a >= '0' && a <= '9'));
					if (before_ok && after_ok) {
						users[nu++] = m;
						break;
					}
				}
			}
			if (nu > MAX_SHARED || !have_from)
				continue;
			for (size_t u = 0; u < nu; u++) {
				if ((rc = adj_add(&adj[from], users[u], 0.5f)) ||
				    (rc = adj_add(&adj[users[u]], from, 0.5f)))
					goto out_fr;
				n_edges++;
			}
		}
		cc_store_file_free(file);
		file = NULL;
	}

	/* test functions (excluded from the ranking, sources of the call distance) */
	if (q->test_path)
		for (size_t i = 0; i < nf; i++)
			if (loc_path_match(f[i].path, q->test_path) == 2)
				in_test[i] = 1;

	/* seeds */
	size_t n_matched = 0;
	if ((rc = cc_loc_seeds_extract(&sd, &nsd, q->issue, q->issue_len)))
		goto out_fr;
	for (size_t k = 0; k < nsd; k++)
		n_matched += (size_t)seed_methods(seed, f, nf, &sd[k], in_test, 1.0);
	size_t n_seeds = nsd;
	if (q->trace && q->trace_len) {
		cc_loc_seeds_free(sd, nsd);
		sd = NULL;
		if ((rc = cc_loc_seeds_extract(&sd, &nsd, q->trace, q->trace_len)))
			goto out_fr;
		for (size_t k = 0; k < nsd; k++)
			n_matched += (size_t)seed_methods(seed, f, nf, &sd[k], in_test, 1.0);
		n_seeds += nsd;
	}
	/* the test: the names it uses seed lightly, and the methods it calls start the distance */
	for (size_t i = 0; i < nf; i++)
		dist[i] = -1;
	size_t qh = 0, qt = 0;
	if (q->test && q->test_len) {
		if ((rc = cc_loc_seeds_extract(&tsd, &ntsd, q->test, q->test_len)))
			goto out_fr;
		for (size_t k = 0; k < ntsd; k++) {
			if (tsd[k].kind != CC_LOC_SEED_NAME)
				continue;
			n_matched += (size_t)seed_methods(seed, f, nf, &tsd[k], in_test, 0.25);
			for (size_t i = 0; i < nf; i++)
				if (!in_test[i] && dist[i] < 0 && !strcmp(f[i].name, tsd[k].text)) {
					dist[i] = 1;
					queue[qt++] = (uint32_t)i;
				}
		}
		n_seeds += ntsd;
	}
	for (size_t i = 0; i < nf; i++)
		if (in_test[i]) {
			dist[i] = 0;
			queue[qt++] = (uint32_t)i;
		}
	/* call distance along caller -> callee edges, weighted by how likely each edge is (its
	 * confidence; a call's candidates share one call's mass): each function keeps the path
	 * maximising reach / (1 + distance), reach being the product of the path's confidences,
	 * so a guessed edge does not bring a function as close as a resolved one (label
	 * correcting: a function is queued again when a better path reaches it) */
	for (size_t i = 0; i < nf; i++) {
		reach[i] = dist[i] >= 0 ? 1.0 : 0.0;
		queued[i] = dist[i] >= 0;
	}
	size_t qn = qt - qh; /* queued functions, in the ring queue[qh..] of nf entries */
	qt %= nf;
	while (qn) {
		uint32_t u = queue[qh];
		qh = (qh + 1) % nf;
		qn--;
		queued[u] = 0;
		for (size_t k = 0; k < fwd[u].n; k++) {
			uint32_t v = fwd[u].v[k].to;
			double w = fwd[u].v[k].w > 1.0f ? 1.0 : fwd[u].v[k].w;
			double rv = reach[u] * w;
			int dv = dist[u] + 1;
			if (in_test[v] || dv > MAX_TEST_DIST ||
			    (dist[v] >= 0 && rv / (1 + dv) <= reach[v] / (1 + dist[v]) + 1e-12))
				continue;
			dist[v] = dv;
			reach[v] = rv;
			if (!queued[v]) {
				queued[v] = 1;
				queue[qt] = v;
				qt = (qt + 1) % nf;
				qn++;
			}
		}
	}

	/* personalized PageRank; uniform personalization when nothing was seeded */
	double ssum = 0;
	for (size_t i = 0; i < nf; i++)
		ssum += seed[i];
	int fallback = ssum <= 0;
	double *p = malloc(nf * sizeof(*p));
	if (!p) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out_fr;
	}
	for (size_t i = 0; i < nf; i++)
		p[i] = fallback ? 1.0 / (double)nf : seed[i] / ssum;
	double *wsum = calloc(nf, sizeof(*wsum));
	if (!wsum) {
		free(p);
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out_fr;
	}
	for (size_t i = 0; i < nf; i++) {
		for (size_t k = 0; k < adj[i].n; k++)
			wsum[i] += adj[i].v[k].w;
		ppr[i] = p[i];
	}
	for (int it = 0; it < PPR_ITERS; it++) {
		double dangling = 0;
		for (size_t i = 0; i < nf; i++)
			nxt[i] = 0;
		for (size_t i = 0; i < nf; i++) {
			if (wsum[i] <= 0) {
				dangling += ppr[i];
				continue;
			}
			for (size_t k = 0; k < adj[i].n; k++)
				nxt[adj[i].v[k].to] += ppr[i] * adj[i].v[k].w / wsum[i];
		}
		for (size_t i = 0; i < nf; i++)
			nxt[i] = PPR_ALPHA * (nxt[i] + dangling * p[i]) + (1 - PPR_ALPHA) * p[i];
		double *t = ppr;
		ppr = nxt;
		nxt = t;
	}
	free(p);
	free(wsum);
	double pmax = 0, smax = 0;
	for (size_t i = 0; i < nf; i++) {
		if (in_test[i])
			continue;
		if (ppr[i] > pmax)
			pmax = ppr[i];
		if (seed[i] > smax)
			smax = seed[i];
	}
	for (size_t i = 0; i < nf; i++) {
		f[i].ppr = pmax > 0 ? ppr[i] / pmax : 0;
		f[i].seed = smax > 0 ? seed[i] / smax : 0;
		f[i].test_dist = in_test[i] ? -1 : dist[i];
		f[i].test_reach = in_test[i] || dist[i] < 0 ? 0 : reach[i];
		if (in_test[i])
			f[i].score = -1;
		else
			f[i].score = 0.6 * f[i].ppr + 0.25 * f[i].seed +
			             (dist[i] > 0 ? 0.15 * reach[i] / (double)(1 + dist[i]) : 0);
		/* rounding keeps the order identical across compilers and machines */
		f[i].score = round(f[i].score * 1e9) / 1e9;
	}
	qsort(f, nf, sizeof(*f), func_cmp);
	/* the test's own functions go (they sort last with score -1) */
	size_t keep = nf;
	while (keep > 0 && f[keep - 1].score < 0) {
		keep--;
		free(f[keep].path);
		free(f[keep].name);
		free(f[keep].qual);
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		nf = keep;
		goto out_fr;
	}
	c->funcs = f;
	c->n_funcs = keep;
	c->n_seeds = n_seeds;
	c->n_matched = n_matched;
	c->fallback = fallback;
	c->n_edges = n_edges;
	f = NULL;
	nf = 0;
	*out = c;
out_fr:
	free(fr);
out:
	for (size_t i = 0; f && i < nf; i++) {
		free(f[i].path);
		free(f[i].name);
		free(f[i].qual);
	}
	free(f);
	if (adj) {
		for (size_t i = 0; i < n_all; i++)
			free(adj[i].v);
		free(adj);
	}
	if (fwd) {
		for (size_t i = 0; i < n_all; i++)
			free(fwd[i].v);
		free(fwd);
	}
	free(mm.keys);
	free(mm.vals);
	free(seed);
	free(ppr);
	free(nxt);
	free(in_test);
	free(dist);
	free(queue);
	free(reach);
	free(queued);
	cc_loc_seeds_free(sd, nsd);
	cc_loc_seeds_free(tsd, ntsd);
	cc_store_file_free(file);
	return rc;
}

void cc_loc_candidates_free(cc_loc_candidates *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_funcs; i++) {
		free(c->funcs[i].path);
		free(c->funcs[i].name);
		free(c->funcs[i].qual);
	}
	free(c->funcs);
	free(c);
}
