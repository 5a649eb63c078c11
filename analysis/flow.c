/*
 * flow.c - intra-procedural control flow (cfg edges) and control dependence (cdg edges) for
 * every method of a file, built from the roles the query gave to grammar nodes.
 *
 * The CFG's vertices are the method node (entry, and exit: see analysis.h) and the "items":
 * the outermost statement-level graph nodes met when walking the method body in source order.
 * A grammar node with a flow role (if, while, for, foreach, do, switch, try, with, break,
 * continue, throw) is laid out by that role; any other captured node that produced a graph
 * node is one item (a call, an assignment, a return...); an uncaptured node is transparent and
 * its children are walked in order. Nested methods and type declarations are not walked.
 * Control dependence comes from the post-dominator tree (Cooper, Harvey and Kennedy's
 * iterative algorithm on the reverse CFG) by the post-dominance frontier walk of Ferrante,
 * Ottenstein and Warren. Reaching definitions are in dataflow.c.
 */
#include "analysis_int.h"
#include "cc_common.h"

#include <stdlib.h>
#include <string.h>

#define EXIT_NODE (-2)
/* Statement nesting deeper than this is not laid out (no recursion beyond it), so that
 * adversarial input cannot exhaust the stack: a level costs three frames of well under
 * 200 bytes, so the walk needs at most ~0.5 MiB of stack. */
#define FLOW_MAX_DEPTH 1000

typedef struct {
	int32_t *v;
	uint32_t n, cap;
} ilist;

typedef struct {
	int is_loop;
	ilist brk, cont;
} jctx;

typedef struct {
	cc_actx *x;
	int32_t method;
	int32_t *es; /* edge pairs (src, dst) as graph node indexes; dst may be EXIT_NODE */
	uint32_t n_es, cap_es;
	int32_t *items; /* items in creation order */
	uint32_t n_items, cap_items;
	jctx *js;
	uint32_t n_js, cap_js;
	int rc; /* sticky failure */
} fb;

static const uint32_t flow_mask = (1u << R_IF) | (1u << R_WHILE) | (1u << R_FOR) |
                                  (1u << R_FOREACH) | (1u << R_DO) | (1u << R_SWITCH) |
                                  (1u << R_TRY) | (1u << R_WITH) | (1u << R_BREAK) |
                                  (1u << R_CONTINUE) | (1u << R_THROW) | (1u << R_CONTROL);

static int grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return CC_OK;
	uint32_t ncap = *cap ? *cap : 16;
	while (ncap < need)
		ncap *= 2;
	void *q = realloc(*p, (size_t)ncap * elem);
	if (!q)
		return cc_error_set(CC_ENOMEM, "analysis: out of memory (flow)");
	*p = q;
	*cap = ncap;
	return CC_OK;
}

static void il_push(fb *f, ilist *l, int32_t v)
{
	if (f->rc)
		return;
	if ((f->rc = grow((void **)&l->v, &l->cap, l->n + 1, sizeof(int32_t))) == CC_OK)
		l->v[l->n++] = v;
}

static void il_append(fb *f, ilist *dst, const ilist *src)
{
	for (uint32_t i = 0; i < src->n; i++)
		il_push(f, dst, src->v[i]);
}

static void il_set1(fb *f, ilist *l, int32_t v)
{
	l->n = 0;
	il_push(f, l, v);
}

static void edge(fb *f, int32_t a, int32_t b)
{
	if (f->rc)
		return;
	if ((f->rc = grow((void **)&f->es, &f->cap_es, f->n_es * 2 + 2, sizeof(int32_t))) != CC_OK)
		return;
	f->es[2 * f->n_es] = a;
	f->es[2 * f->n_es + 1] = b;
	f->n_es++;
}

static void edges_to(fb *f, const ilist *from, int32_t b)
{
	for (uint32_t i = 0; i < from->n; i++)
		edge(f, from->v[i], b);
}

/* Make node an item following `in`; afterwards in = {node}. */
static void item(fb *f, ilist *in, int32_t node)
{
	if (f->rc)
		return;
	edges_to(f, in, node);
	il_set1(f, in, node);
	if ((f->rc = grow((void **)&f->items, &f->cap_items, f->n_items + 1, sizeof(int32_t))) ==
	    CC_OK)
		f->items[f->n_items++] = node;
}

static void flow(fb *f, TSNode n, ilist *in, int depth);

static void flow_children(fb *f, TSNode n, ilist *in, int depth)
{
	if (ts_node_child_count(n) == 0)
		return;
	TSTreeCursor cur = ts_tree_cursor_new(n);
	if (ts_tree_cursor_goto_first_child(&cur)) {
		do
			flow(f, ts_tree_cursor_current_node(&cur), in, depth + 1);
		while (!f->rc && ts_tree_cursor_goto_next_sibling(&cur));
	}
	ts_tree_cursor_delete(&cur);
}

/* Flow through the sub captures of c with role `sub`, in source order. */
static void flow_subs(fb *f, const cc_cap *c, uint32_t sub, ilist *in, int depth)
{
	for (uint32_t i = c->sub_begin; i < c->sub_end && !f->rc; i++)
		if (f->x->subs[i].sub == sub)
			flow(f, f->x->subs[i].tsn, in, depth + 1);
}

static const cc_subcap *sub_find(const cc_actx *x, const cc_cap *c, uint32_t sub)
{
	for (uint32_t i = c->sub_begin; i < c->sub_end; i++)
		if (x->subs[i].sub == sub)
			return &x->subs[i];
	return NULL;
}

/* The predicate item of a control node, or -1 when it has no condition. */
static int32_t cond_item(fb *f, const cc_cap *c, ilist *in)
{
	const cc_subcap *s = sub_find(f->x, c, S_COND);
	const cc_cap *pc = s ? cc_cap_find(f->x, s->tsn) : NULL;
	if (!pc || pc->node < 0)
		return -1;
	item(f, in, pc->node);
	return pc->node;
}

static jctx *jpush(fb *f, int is_loop)
{
	if (f->rc || (f->rc = grow((void **)&f->js, &f->cap_js, f->n_js + 1, sizeof(jctx))) != CC_OK)
		return NULL;
	jctx *j = &f->js[f->n_js++];
	memset(j, 0, sizeof(*j));
	j->is_loop = is_loop;
	return j;
}

static void jpop(fb *f, ilist *brk, ilist *cont)
{
	jctx *j = &f->js[--f->n_js];
	if (brk)
		il_append(f, brk, &j->brk);
	if (cont)
		il_append(f, cont, &j->cont);
	free(j->brk.v);
	free(j->cont.v);
}

static void flow_if(fb *f, const cc_cap *c, ilist *in, const cc_subcap *chain, uint32_t n_chain,
                    int depth);

/* The else part of an if: a chain of alternatives (Python's elif clauses are siblings). */
static void flow_else_chain(fb *f, const cc_subcap *chain, uint32_t n, ilist *in, int depth)
{
	if (n == 0)
		return;
	const cc_cap *e = cc_cap_find(f->x, chain[0].tsn);
	if (e && (e->mains & (1u << R_IF)) && !sub_find(f->x, e, S_ELSE) && n > 1)
		flow_if(f, e, in, chain + 1, n - 1, depth + 1);
	else
		flow(f, chain[0].tsn, in, depth + 1);
}

static void flow_if(fb *f, const cc_cap *c, ilist *in, const cc_subcap *chain, uint32_t n_chain,
                    int depth)
{
	ilist t = {0}, e = {0};
	item(f, in, c->node);
	int32_t p = cond_item(f, c, in);
	if (p < 0)
		p = c->node;
	il_set1(f, &t, p);
	flow_subs(f, c, S_THEN, &t, depth);
	il_set1(f, &e, p);
	/* own else parts (contiguous in the sorted subs: same owner, S_ELSE) */
	const cc_subcap *own = NULL;
	uint32_t n_own = 0;
	for (uint32_t i = c->sub_begin; i < c->sub_end; i++) {
		if (f->x->subs[i].sub != S_ELSE)
			continue;
		if (!own)
			own = &f->x->subs[i];
		n_own++;
	}
	if (own) {
		/* copy: the chain must hold only the else parts */
		cc_subcap *tmp = malloc(n_own * sizeof(*tmp));
		if (!tmp) {
			f->rc = cc_error_set(CC_ENOMEM, "analysis: out of memory (flow)");
		} else {
			uint32_t k = 0;
			for (uint32_t i = c->sub_begin; i < c->sub_end; i++)
				if (f->x->subs[i].sub == S_ELSE)
					tmp[k++] = f->x->subs[i];
			flow_else_chain(f, tmp, n_own, &e, depth);
			free(tmp);
		}
	} else {
		flow_else_chain(f, chain, n_chain, &e, depth);
	}
	in->n = 0;
	il_append(f, in, &t);
	il_append(f, in, &e);
	free(t.v);
	free(e.v);
}

static void flow_control(fb *f, const cc_cap *c, ilist *in, int depth)
{
	uint32_t m = c->mains;
	int32_t cn = c->node;
	int r = R_IF;
	while (r < R_SKIP && !(m & (1u << r)))
		r++;
	ilist body = {0}, out = {0}, brk = {0}, cont = {0};
	switch (r) {
	case R_IF:
		flow_if(f, c, in, NULL, 0, depth);
		return;
	case R_BREAK:
	case R_CONTINUE: {
		item(f, in, cn);
		for (uint32_t i = f->n_js; i-- > 0;) {
			jctx *j = &f->js[i];
			if (r == R_CONTINUE && !j->is_loop)
				continue;
			il_push(f, r == R_BREAK ? &j->brk : &j->cont, cn);
			in->n = 0;
			break;
		}
		return;
	}
	case R_THROW:
		item(f, in, cn);
		edge(f, cn, EXIT_NODE);
		in->n = 0;
		return;
	case R_WHILE: {
		item(f, in, cn);
		int32_t p = cond_item(f, c, in);
		int32_t head = p >= 0 ? p : cn;
		if (!jpush(f, 1))
			return;
		il_set1(f, &body, head);
		flow_subs(f, c, S_BODY, &body, depth);
		edges_to(f, &body, head);
		jpop(f, &brk, &cont);
		edges_to(f, &cont, head);
		if (p >= 0)
			il_set1(f, &out, p);
		flow_subs(f, c, S_ELSE, &out, depth);
		il_append(f, &out, &brk);
		break;
	}
	case R_DO: {
		item(f, in, cn);
		if (!jpush(f, 1))
			return;
		il_set1(f, &body, cn);
		flow_subs(f, c, S_BODY, &body, depth);
		jpop(f, &brk, &cont);
		il_append(f, &body, &cont);
		int32_t p = cond_item(f, c, &body);
		if (p >= 0) {
			edge(f, p, cn);
			il_set1(f, &out, p);
		} else {
			edges_to(f, &body, cn);
		}
		il_append(f, &out, &brk);
		break;
	}
	case R_FOR: {
		item(f, in, cn);
		flow_subs(f, c, S_INIT, in, depth);
		int32_t p = cond_item(f, c, in);
		int32_t head = p >= 0 ? p : cn;
		if (p < 0 && !(in->n == 1 && in->v[0] == cn))
			edges_to(f, in, cn); /* for(init;;): loop back to the header */
		if (!jpush(f, 1))
			return;
		il_set1(f, &body, head);
		flow_subs(f, c, S_BODY, &body, depth);
		jpop(f, &brk, &cont);
		il_append(f, &body, &cont);
		flow_subs(f, c, S_STEP, &body, depth);
		edges_to(f, &body, head);
		if (p >= 0)
			il_set1(f, &out, p);
		il_append(f, &out, &brk);
		break;
	}
	case R_FOREACH: {
		item(f, in, cn);
		if (!jpush(f, 1))
			return;
		il_set1(f, &body, cn);
		flow_subs(f, c, S_BODY, &body, depth);
		jpop(f, &brk, &cont);
		edges_to(f, &body, cn);
		edges_to(f, &cont, cn);
		il_set1(f, &out, cn);
		flow_subs(f, c, S_ELSE, &out, depth);
		il_append(f, &out, &brk);
		break;
	}
	case R_SWITCH: {
		item(f, in, cn);
		int32_t p = cond_item(f, c, in);
		if (p < 0)
			p = cn;
		int fall = (f->x->lang->flags & CC_LANGF_FALLTHROUGH) != 0;
		int has_default = sub_find(f->x, c, S_DEFAULT) != NULL;
		ilist prev = {0};
		if (!jpush(f, 0))
			return;
		for (uint32_t i = c->sub_begin; i < c->sub_end && !f->rc; i++) {
			const cc_subcap *s = &f->x->subs[i];
			if (s->sub != S_CASE && s->sub != S_DEFAULT && s->sub != S_ARM)
				continue;
			if (s->sub == S_DEFAULT) { /* laid out once when also captured as a case */
				int dup = 0;
				for (uint32_t k = c->sub_begin; k < c->sub_end; k++)
					dup |= (f->x->subs[k].sub == S_CASE || f->x->subs[k].sub == S_ARM) &&
					       f->x->subs[k].tsn.id == s->tsn.id;
				if (dup)
					continue;
			}
			/* an arm (Java's case ->, match arms) never falls into the next case */
			int falls = fall && s->sub != S_ARM;
			ilist ci = {0};
			il_push(f, &ci, p);
			il_append(f, &ci, &prev);
			flow(f, s->tsn, &ci, depth + 1);
			prev.n = 0;
			il_append(f, falls ? &prev : &out, &ci);
			free(ci.v);
		}
		il_append(f, &out, &prev);
		free(prev.v);
		jpop(f, &brk, NULL);
		il_append(f, &out, &brk);
		if (!has_default)
			il_push(f, &out, p);
		break;
	}
	case R_TRY: {
		item(f, in, cn);
		il_set1(f, &body, cn);
		flow_subs(f, c, S_BODY, &body, depth);
		flow_subs(f, c, S_ELSE, &body, depth);
		il_append(f, &out, &body);
		for (uint32_t i = c->sub_begin; i < c->sub_end && !f->rc; i++) {
			if (f->x->subs[i].sub != S_HANDLER)
				continue;
			ilist h = {0};
			il_push(f, &h, cn);
			flow(f, f->x->subs[i].tsn, &h, depth + 1);
			il_append(f, &out, &h);
			free(h.v);
		}
		flow_subs(f, c, S_FINALLY, &out, depth);
		break;
	}
	case R_WITH:
		item(f, in, cn);
		flow_subs(f, c, S_BODY, in, depth);
		return;
	default: /* R_CONTROL: one item */
		item(f, in, cn);
		return;
	}
	in->n = 0;
	il_append(f, in, &out);
	free(body.v);
	free(out.v);
	free(brk.v);
	free(cont.v);
}

static void flow(fb *f, TSNode n, ilist *in, int depth)
{
	if (f->rc || ts_node_is_null(n))
		return;
	const cc_cap *c = cc_cap_find(f->x, n);
	if (c && depth < FLOW_MAX_DEPTH) {
		uint32_t m = c->mains;
		if (m & ((1u << R_METHOD) | (1u << R_TYPE_DECL)))
			return;
		if ((m & flow_mask) && c->node >= 0) {
			flow_control(f, c, in, depth);
			return;
		}
		if (c->node >= 0) {
			uint8_t k = f->x->b.g->nodes[c->node].kind;
			if (k == CC_NODE_LITERAL || k == CC_NODE_COMMENT || k == CC_NODE_PARAM)
				return;
			item(f, in, c->node);
			if (m & (1u << R_RETURN)) {
				edge(f, c->node, EXIT_NODE);
				in->n = 0;
			}
			return;
		}
	}
	if (depth < FLOW_MAX_DEPTH)
		flow_children(f, n, in, depth);
}

/* ---- per method: vertices, cfg and cdg edges, then reaching definitions ---- */

static int pair_cmp(const void *pa, const void *pb)
{
	const uint32_t *a = pa, *b = pb;
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return a[1] < b[1] ? -1 : a[1] > b[1];
}

typedef struct {
	int32_t *vert_of;   /* graph node -> vertex of the current method, -1 */
	uint32_t *itemv;    /* graph node -> vertex of its item */
	uint32_t *node_ord; /* nodes bucketed by method ordinal */
	uint32_t *node_beg; /* per method ordinal: start in node_ord (n_methods + 1) */
	int32_t *mord;      /* graph node -> method ordinal for method nodes, -1 otherwise */
	/* per method ordinal: ranges of x->defs / x->uses */
	uint32_t *def_beg, *use_beg;
} file_scratch;

static int method_graph(cc_actx *x, file_scratch *s, uint32_t mi, fb *f)
{
	cc_file_graph *g = x->b.g;
	int32_t mnode = x->methods[mi];
	const cc_cap *mc = &x->caps[x->method_caps[mi]];
	int rc = CC_OK;
	uint32_t *pairs = NULL, *succ_off = NULL, *succ = NULL, *pred_off = NULL, *pred = NULL;
	uint32_t *po = NULL, *order = NULL, *ipdom = NULL, *stk = NULL, *stamp = NULL;
	ilist in = {0};

	f->method = mnode;
	f->n_es = f->n_items = f->n_js = 0;
	il_push(f, &in, mnode);
	for (uint32_t i = mc->sub_begin; i < mc->sub_end && !f->rc; i++)
		if (x->subs[i].sub == S_BODY)
			flow(f, x->subs[i].tsn, &in, 0);
	edges_to(f, &in, EXIT_NODE);
	free(in.v);
	while (f->n_js)
		jpop(f, NULL, NULL);
	if ((rc = f->rc) != CC_OK)
		goto out;

	/* vertices: 0 = method, then items; V = virtual exit */
	uint32_t V = f->n_items + 1;
	s->vert_of[mnode] = 0;
	for (uint32_t i = 0; i < f->n_items; i++)
		s->vert_of[f->items[i]] = (int32_t)(i + 1);
	pairs = malloc(((size_t)f->n_es + 1) * 2 * sizeof(uint32_t));
	if (!pairs)
		goto nomem;
	uint32_t np = 0;
	for (uint32_t i = 0; i < f->n_es; i++) {
		int32_t a = f->es[2 * i], b = f->es[2 * i + 1];
		pairs[2 * np] = (uint32_t)s->vert_of[a];
		pairs[2 * np + 1] = b == EXIT_NODE ? V : (uint32_t)s->vert_of[b];
		np++;
	}
	qsort(pairs, np, 2 * sizeof(uint32_t), pair_cmp);
	uint32_t w = 0;
	for (uint32_t i = 0; i < np; i++) {
		if (w && pairs[2 * w - 2] == pairs[2 * i] && pairs[2 * w - 1] == pairs[2 * i + 1])
			continue;
		pairs[2 * w] = pairs[2 * i];
		pairs[2 * w + 1] = pairs[2 * i + 1];
		w++;
	}
	np = w;
	/* cfg edges out; the exit is the method node itself */
	for (uint32_t i = 0; i < np; i++) {
		uint32_t a = pairs[2 * i], b = pairs[2 * i + 1];
		int32_t na = a == 0 ? mnode : f->items[a - 1];
		int32_t nb = (b == V || b == 0) ? mnode : f->items[b - 1];
		if (na == nb && na == mnode)
			continue;
		if ((rc = cc_gbuild_edge(&x->b, CC_EDGE_CFG, na, nb, 0)) != CC_OK)
			goto out;
	}

	/* CSR successor lists over V+1 vertices (exit included), and predecessors */
	succ_off = calloc(V + 2, sizeof(uint32_t));
	pred_off = calloc(V + 2, sizeof(uint32_t));
	succ = malloc((np + 1) * sizeof(uint32_t));
	pred = malloc((np + 1) * sizeof(uint32_t));
	po = malloc((V + 1) * sizeof(uint32_t));
	order = malloc((V + 1) * sizeof(uint32_t));
	ipdom = malloc((V + 1) * sizeof(uint32_t));
	stk = malloc((V + 1) * 2 * sizeof(uint32_t));
	stamp = calloc(V + 1, sizeof(uint32_t));
	if (!succ_off || !pred_off || !succ || !pred || !po || !order || !ipdom || !stk || !stamp)
		goto nomem;
	for (uint32_t i = 0; i < np; i++) {
		succ_off[pairs[2 * i] + 1]++;
		pred_off[pairs[2 * i + 1] + 1]++;
	}
	for (uint32_t v = 0; v <= V; v++) {
		succ_off[v + 1] += succ_off[v];
		pred_off[v + 1] += pred_off[v];
	}
	for (uint32_t i = 0; i < np; i++) /* pairs are sorted by source */
		succ[i] = pairs[2 * i + 1];
	{
		uint32_t *fill = stamp; /* reuse as fill counters, zeroed afterwards */
		for (uint32_t i = 0; i < np; i++) {
			uint32_t b = pairs[2 * i + 1];
			pred[pred_off[b] + fill[b]++] = pairs[2 * i];
		}
		memset(stamp, 0, (V + 1) * sizeof(uint32_t));
	}

	/* postorder of the reverse CFG from the exit (iterative DFS) */
	const uint32_t UNDEF = UINT32_MAX;
	for (uint32_t v = 0; v <= V; v++) {
		po[v] = UNDEF;
		ipdom[v] = UNDEF;
	}
	uint32_t n_order = 0, sp = 0;
	stk[0] = V;
	stk[1] = pred_off[V];
	sp = 1;
	po[V] = UNDEF - 1; /* visited marker */
	while (sp) {
		uint32_t v = stk[2 * (sp - 1)], *it = &stk[2 * (sp - 1) + 1];
		if (*it < pred_off[v + 1]) {
			uint32_t u = pred[(*it)++];
			if (po[u] == UNDEF) {
				po[u] = UNDEF - 1;
				stk[2 * sp] = u;
				stk[2 * sp + 1] = pred_off[u];
				sp++;
			}
		} else {
			po[v] = n_order;
			order[n_order++] = v;
			sp--;
		}
	}
	ipdom[V] = V;
	for (int changed = 1; changed;) {
		changed = 0;
		for (uint32_t k = n_order; k-- > 0;) {
			uint32_t v = order[k];
			if (v == V)
				continue;
			uint32_t nd = UNDEF;
			for (uint32_t j = succ_off[v]; j < succ_off[v + 1]; j++) {
				uint32_t sv = succ[j];
				if (ipdom[sv] == UNDEF)
					continue;
				if (nd == UNDEF) {
					nd = sv;
					continue;
				}
				uint32_t a = sv, b = nd;
				while (a != b) {
					while (po[a] < po[b])
						a = ipdom[a];
					while (po[b] < po[a])
						b = ipdom[b];
				}
				nd = a;
			}
			if (nd != ipdom[v]) {
				ipdom[v] = nd;
				changed = 1;
			}
		}
	}
	for (uint32_t v = 0; v < V; v++)
		if (ipdom[v] == UNDEF)
			ipdom[v] = V; /* cannot reach the exit (infinite loop) */

	/* cdg: for each edge a->b where b does not post-dominate a, b and its post-dominators
	 * up to ipdom(a) depend on a */
	for (uint32_t a = 0; a < V; a++) {
		for (uint32_t j = succ_off[a]; j < succ_off[a + 1]; j++) {
			uint32_t r = succ[j];
			for (uint32_t steps = 0; r != ipdom[a] && r != V && steps <= V; steps++) {
				if (stamp[r] != a + 1 && r != a) {
					stamp[r] = a + 1;
					int32_t na = a == 0 ? mnode : f->items[a - 1];
					int32_t nr = r == 0 ? mnode : f->items[r - 1];
					if ((rc = cc_gbuild_edge(&x->b, CC_EDGE_CDG, na, nr, 0)) != CC_OK)
						goto out;
				}
				r = ipdom[r];
			}
		}
	}

	/* every node of the method belongs to the vertex of its nearest item ancestor */
	for (uint32_t k = s->node_beg[mi]; k < s->node_beg[mi + 1]; k++) {
		uint32_t n = s->node_ord[k];
		int32_t p = g->nodes[n].parent;
		if (s->vert_of[n] >= 0)
			s->itemv[n] = (uint32_t)s->vert_of[n];
		else if (p >= 0 && g->nodes[p].method == mnode)
			s->itemv[n] = s->itemv[p];
		else
			s->itemv[n] = 0;
	}
	s->itemv[mnode] = 0;
	rc = CC_OK;
	goto out;
nomem:
	rc = cc_error_set(CC_ENOMEM, "analysis: out of memory (flow)");
out:
	/* clear the per-method vertex map */
	s->vert_of[mnode] = -1;
	for (uint32_t i = 0; i < f->n_items; i++)
		s->vert_of[f->items[i]] = -1;
	if (rc == CC_OK)
		rc = cc_rdef_build(&x->b, f->n_items + 1, succ_off, succ, f->items, mnode,
		                   /* NULL + 0 is undefined: a file without defs or uses has NULL */
		                   x->defs ? x->defs + s->def_beg[mi] : NULL,
		                   s->def_beg[mi + 1] - s->def_beg[mi],
		                   x->uses ? x->uses + s->use_beg[mi] : NULL,
		                   s->use_beg[mi + 1] - s->use_beg[mi],
		                   s->itemv);
	free(pairs);
	free(succ_off);
	free(succ);
	free(pred_off);
	free(pred);
	free(po);
	free(order);
	free(ipdom);
	free(stk);
	free(stamp);
	return rc;
}

/* Stable counting sort of variable references by the method ordinal of their node; those
 * outside any method are dropped. *beg gets n_methods + 1 offsets. */
static int bucket_refs(cc_actx *x, file_scratch *s, cc_varref *refs, uint32_t n,
                       uint32_t **beg)
{
	const cc_file_graph *g = x->b.g;
	uint32_t nm = x->n_methods;
	uint32_t *b = calloc((size_t)nm + 2, sizeof(uint32_t));
	uint32_t *fill = calloc((size_t)nm + 1, sizeof(uint32_t));
	cc_varref *tmp = malloc(((size_t)n + 1) * sizeof(cc_varref));
	if (!b || !fill || !tmp) {
		free(b);
		free(fill);
		free(tmp);
		return cc_error_set(CC_ENOMEM, "analysis: out of memory (flow)");
	}
	for (uint32_t i = 0; i < n; i++) {
		int32_t m = g->nodes[refs[i].node].method;
		if (m >= 0)
			b[s->mord[m] + 1]++;
	}
	for (uint32_t m = 0; m < nm; m++)
		b[m + 1] += b[m];
	for (uint32_t i = 0; i < n; i++) {
		int32_t m = g->nodes[refs[i].node].method;
		if (m < 0)
			continue;
		uint32_t o = (uint32_t)s->mord[m];
		tmp[b[o] + fill[o]++] = refs[i];
	}
	if (b[nm])
		memcpy(refs, tmp, (size_t)b[nm] * sizeof(cc_varref));
	free(tmp);
	free(fill);
	*beg = b;
	return CC_OK;
}

int cc_flow_build(cc_actx *x)
{
	cc_file_graph *g = x->b.g;
	file_scratch s;
	fb f;
	int rc = CC_OK;
	memset(&s, 0, sizeof(s));
	memset(&f, 0, sizeof(f));
	f.x = x;
	if (!x->n_methods)
		return CC_OK;
	uint32_t N = g->n_nodes;
	s.vert_of = malloc((size_t)N * sizeof(int32_t));
	s.itemv = calloc(N, sizeof(uint32_t));
	s.node_ord = malloc((size_t)N * sizeof(uint32_t));
	s.node_beg = calloc((size_t)x->n_methods + 2, sizeof(uint32_t));
	s.mord = malloc((size_t)N * sizeof(int32_t));
	if (!s.vert_of || !s.itemv || !s.node_ord || !s.node_beg || !s.mord) {
		rc = cc_error_set(CC_ENOMEM, "analysis: out of memory (flow)");
		goto out;
	}
	for (uint32_t i = 0; i < N; i++) {
		s.vert_of[i] = -1;
		s.mord[i] = -1;
	}
	for (uint32_t m = 0; m < x->n_methods; m++)
		s.mord[x->methods[m]] = (int32_t)m;
	/* bucket the nodes by method ordinal, keeping preorder within each */
	for (uint32_t i = 0; i < N; i++)
		if (g->nodes[i].method >= 0)
			s.node_beg[s.mord[g->nodes[i].method] + 1]++;
	for (uint32_t m = 0; m < x->n_methods; m++)
		s.node_beg[m + 1] += s.node_beg[m];
	{
		uint32_t *fill = calloc((size_t)x->n_methods + 1, sizeof(uint32_t));
		if (!fill) {
			rc = cc_error_set(CC_ENOMEM, "analysis: out of memory (flow)");
			goto out;
		}
		for (uint32_t i = 0; i < N; i++) {
			if (g->nodes[i].method < 0)
				continue;
			uint32_t m = (uint32_t)s.mord[g->nodes[i].method];
			s.node_ord[s.node_beg[m] + fill[m]++] = i;
		}
		free(fill);
	}
	if ((rc = bucket_refs(x, &s, x->defs, x->n_defs, &s.def_beg)) != CC_OK ||
	    (rc = bucket_refs(x, &s, x->uses, x->n_uses, &s.use_beg)) != CC_OK)
		goto out;
	for (uint32_t m = 0; m < x->n_methods && rc == CC_OK; m++) {
		if (x->cancel && *x->cancel) {
			rc = cc_error_set(CC_ECANCELED, "analysis: cancelled");
			break;
		}
		rc = method_graph(x, &s, m, &f);
	}
out:
	free(s.vert_of);
	free(s.itemv);
	free(s.node_ord);
	free(s.node_beg);
	free(s.mord);
	free(s.def_beg);
	free(s.use_beg);
	free(f.es);
	free(f.items);
	free(f.js);
	return rc;
}
