/*
 * dataflow.c - reaching definitions of one method: the classic gen/kill bit-vector analysis
 * iterated with a worklist to its fixed point, giving one reaching_def edge from each
 * definition (assignment target, loop/with target, parameter) to each use of the same name it
 * reaches. Names are compared by interned string offset. Methods with more than
 * CC_RDEF_MAX_DEFS definitions are skipped, as Joern does, to bound time and memory, and so
 * are methods whose vertices x definitions exceed CC_RDEF_MAX_WORDS 64-bit words.
 */
#include "analysis_int.h"
#include "cc_common.h"

#include <stdlib.h>
#include <string.h>

typedef uint64_t word;

static int u32_cmp(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	return a < b ? -1 : a > b;
}

static int32_t var_index(const uint32_t *vars, uint32_t n, uint32_t v)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (vars[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && vars[lo] == v ? (int32_t)lo : -1;
}

int cc_rdef_build(cc_gbuild *b, uint32_t n_vert, const uint32_t *succ_off, const uint32_t *succ,
                  const int32_t *items, int32_t method, const cc_varref *defs, uint32_t n_defs,
                  const cc_varref *uses, uint32_t n_uses, const uint32_t *itemv)
{
	(void)items;
	(void)method;
	if (n_defs == 0 || n_uses == 0 || n_defs > CC_RDEF_MAX_DEFS)
		return CC_OK;
	int rc = CC_OK;
	uint32_t W = (n_defs + 63) / 64, V = n_vert;
	if ((uint64_t)V * W > CC_RDEF_MAX_WORDS) /* bound memory: two bit sets per vertex */
		return CC_OK;
	uint32_t *vars = NULL, *dvar = NULL, *dvert = NULL, *var_off = NULL, *var_defs = NULL;
	uint32_t *pred_off = NULL, *pred = NULL, *queue = NULL, *kill_of = NULL;
	uint8_t *inq = NULL;
	word *in = NULL, *out = NULL, *gen = NULL, *kill = NULL, *tmp = NULL;
	uint32_t n_vars = 0, n_kill = 0;

	vars = malloc(n_defs * sizeof(uint32_t));
	dvar = malloc(n_defs * sizeof(uint32_t));
	dvert = malloc(n_defs * sizeof(uint32_t));
	if (!vars || !dvar || !dvert)
		goto nomem;
	for (uint32_t d = 0; d < n_defs; d++)
		vars[d] = defs[d].var;
	qsort(vars, n_defs, sizeof(uint32_t), u32_cmp);
	for (uint32_t d = 0; d < n_defs; d++)
		if (!n_vars || vars[n_vars - 1] != vars[d])
			vars[n_vars++] = vars[d];
	var_off = calloc(n_vars + 1, sizeof(uint32_t));
	var_defs = malloc(n_defs * sizeof(uint32_t));
	if (!var_off || !var_defs)
		goto nomem;
	for (uint32_t d = 0; d < n_defs; d++) {
		dvar[d] = (uint32_t)var_index(vars, n_vars, defs[d].var);
		dvert[d] = itemv[defs[d].node];
		if (dvert[d] >= V)
			dvert[d] = 0;
		var_off[dvar[d] + 1]++;
	}
	for (uint32_t v = 0; v < n_vars; v++)
		var_off[v + 1] += var_off[v];
	{
		uint32_t *fill = calloc(n_vars + 1, sizeof(uint32_t));
		if (!fill)
			goto nomem;
		for (uint32_t d = 0; d < n_defs; d++)
			var_defs[var_off[dvar[d]] + fill[dvar[d]]++] = d;
		free(fill);
	}

	/* gen and kill per vertex that defines something (kill_of: vertex -> row + 1) */
	kill_of = calloc(V, sizeof(uint32_t));
	if (!kill_of)
		goto nomem;
	for (uint32_t d = 0; d < n_defs; d++)
		if (!kill_of[dvert[d]])
			kill_of[dvert[d]] = ++n_kill;
	gen = calloc((size_t)n_kill * W, sizeof(word));
	kill = calloc((size_t)n_kill * W, sizeof(word));
	if (!gen || !kill)
		goto nomem;
	for (uint32_t d = 0; d < n_defs; d++) {
		word *k = kill + (size_t)(kill_of[dvert[d]] - 1) * W;
		word *gn = gen + (size_t)(kill_of[dvert[d]] - 1) * W;
		for (uint32_t j = var_off[dvar[d]]; j < var_off[dvar[d] + 1]; j++) {
			uint32_t e = var_defs[j];
			k[e / 64] |= (word)1 << (e % 64);
			if (dvert[e] == dvert[d] && e < d) /* a later definition at the same vertex wins */
				gn[e / 64] &= ~((word)1 << (e % 64));
		}
		gn[d / 64] |= (word)1 << (d % 64);
	}

	/* predecessors */
	pred_off = calloc(V + 1, sizeof(uint32_t));
	if (!pred_off)
		goto nomem;
	for (uint32_t v = 0; v < V; v++)
		for (uint32_t j = succ_off[v]; j < succ_off[v + 1]; j++)
			if (succ[j] < V)
				pred_off[succ[j] + 1]++;
	for (uint32_t v = 0; v < V; v++)
		pred_off[v + 1] += pred_off[v];
	pred = malloc((pred_off[V] + 1) * sizeof(uint32_t));
	uint32_t *fill = calloc(V + 1, sizeof(uint32_t));
	if (!pred || !fill) {
		free(fill);
		goto nomem;
	}
	for (uint32_t v = 0; v < V; v++)
		for (uint32_t j = succ_off[v]; j < succ_off[v + 1]; j++)
			if (succ[j] < V)
				pred[pred_off[succ[j]] + fill[succ[j]]++] = v;
	free(fill);

	/* worklist to the fixed point */
	in = calloc((size_t)V * W, sizeof(word));
	out = calloc((size_t)V * W, sizeof(word));
	tmp = malloc(W * sizeof(word));
	queue = malloc((V + 1) * sizeof(uint32_t));
	inq = malloc(V);
	if (!in || !out || !tmp || !queue || !inq)
		goto nomem;
	uint32_t qh = 0, qn = V;
	for (uint32_t v = 0; v < V; v++) {
		queue[v] = v;
		inq[v] = 1;
	}
	while (qn) {
		uint32_t v = queue[qh];
		qh = (qh + 1) % (V + 1);
		qn--;
		inq[v] = 0;
		word *iv = in + (size_t)v * W;
		memset(iv, 0, W * sizeof(word));
		for (uint32_t j = pred_off[v]; j < pred_off[v + 1]; j++) {
			const word *op = out + (size_t)pred[j] * W;
			for (uint32_t k = 0; k < W; k++)
				iv[k] |= op[k];
		}
		int changed = 0;
		word *ov = out + (size_t)v * W;
		if (kill_of[v]) {
			const word *gk = gen + (size_t)(kill_of[v] - 1) * W;
			const word *kk = kill + (size_t)(kill_of[v] - 1) * W;
			for (uint32_t k = 0; k < W; k++)
				tmp[k] = gk[k] | (iv[k] & ~kk[k]);
		} else {
			memcpy(tmp, iv, W * sizeof(word));
		}
		if (memcmp(tmp, ov, W * sizeof(word))) {
			memcpy(ov, tmp, W * sizeof(word));
			changed = 1;
		}
		if (!changed)
			continue;
		for (uint32_t j = succ_off[v]; j < succ_off[v + 1]; j++) {
			uint32_t sv = succ[j];
			if (sv < V && !inq[sv]) {
				inq[sv] = 1;
				queue[(qh + qn) % (V + 1)] = sv;
				qn++;
			}
		}
	}

	/* edges: each use gets the definitions of its name reaching its vertex */
	for (uint32_t u = 0; u < n_uses; u++) {
		int32_t vi = var_index(vars, n_vars, uses[u].var);
		if (vi < 0)
			continue;
		uint32_t uv = itemv[uses[u].node];
		if (uv >= V)
			continue;
		const word *iv = in + (size_t)uv * W;
		for (uint32_t j = var_off[vi]; j < var_off[vi + 1]; j++) {
			uint32_t d = var_defs[j];
			if (!(iv[d / 64] & ((word)1 << (d % 64))))
				continue;
			if ((rc = cc_gbuild_edge(b, CC_EDGE_REACHING_DEF, defs[d].node, uses[u].node,
			                         uses[u].var)) != CC_OK)
				goto out;
		}
	}
	goto out;
nomem:
	rc = cc_error_set(CC_ENOMEM, "analysis: out of memory (reaching definitions)");
out:
	free(vars);
	free(dvar);
	free(dvert);
	free(var_off);
	free(var_defs);
	free(pred_off);
	free(pred);
	free(queue);
	free(kill_of);
	free(inq);
	free(in);
	free(out);
	free(gen);
	free(kill);
	free(tmp);
	return rc;
}
