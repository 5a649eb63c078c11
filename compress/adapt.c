/*
 * adapt.c - cc_compress_adaptive_keep: per-layer budgets steered by the attention itself.
 * Every layer keeps its forced tokens (sinks + window); the rest of the layers' common total
 * goes, token by token, to the layer whose next token would capture the most attention mass
 * (each head's attention over the middle tokens normalised to sum 1, sorted descending, and
 * averaged over the layer's KV heads). A layer whose heads attend to few tokens reaches most
 * of its mass with few and gives the rest to layers whose attention is spread out.
 */
#include "cc_compress.h"
#include "cc_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	double gain;
	int32_t layer, rank;
} gain_t;

static int desc_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a < b) - (a > b);
}

/* Gain descending; ties: the lower rank first (so every layer's pick is a prefix), then the
 * lower layer. */
static int gain_cmp(const void *pa, const void *pb)
{
	const gain_t *a = pa, *b = pb;
	if (a->gain != b->gain)
		return a->gain > b->gain ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return (a->layer > b->layer) - (a->layer < b->layer);
}

/* A value as a non-negative mass (NaN and negative values count as 0). */
static double mass_of(float x)
{
	return isnan(x) || x < 0 ? 0 : (double)x;
}

/* CC_LAYER_INFO_PROP / CC_LAYER_INFO: the L * (k - f) middle tokens shared in proportion to
 * each layer's information (the mean over its heads of the KL divergence of the normalised
 * attention over the nm middle tokens from uniform, in nats), capped at the median layer's
 * with CC_LAYER_INFO; rounded down, the rest one token at a time to the layer furthest below
 * its share that still has room. */
static int info_keep(size_t *keep, const cc_compress_opts *o, size_t n_ctx, const float *attn,
                     size_t L, size_t H, size_t k, size_t f)
{
	size_t nm = n_ctx - f, given = 0, tot_mid = L * (k - f);
	double kl_sum = 0, *klv = malloc(2 * L * sizeof(double)), *srt = klv + L;

	if (!klv)
		return cc_error_set(CC_ENOMEM, "out of memory allocating budgets over %zu layers", L);
	for (size_t l = 0; l < L; l++) {
		klv[l] = 0;
		for (size_t h = 0; h < H; h++) {
			const float *a =
				attn + (l * H + h) * n_ctx + (size_t)(o->sinks > 0 ? o->sinks : 0);
			double sum = 0, ent = 0;
			for (size_t j = 0; j < nm; j++)
				sum += mass_of(a[j]);
			for (size_t j = 0; j < nm && sum > 0; j++) {
				double p = mass_of(a[j]) / sum;
				if (p > 0)
					ent -= p * log(p);
			}
			klv[l] += (sum > 0 ? log((double)nm) - ent : 0) / (double)H;
		}
		if (klv[l] < 0)
			klv[l] = 0;
	}
	if (o->layer_adapt == CC_LAYER_INFO) {
		/* up to the median layer's: only layers flatter than typical give budget */
		double med;
		memcpy(srt, klv, L * sizeof(double));
		qsort(srt, L, sizeof(double), desc_double);
		med = L % 2 ? srt[L / 2] : (srt[L / 2 - 1] + srt[L / 2]) / 2;
		for (size_t l = 0; l < L; l++)
			if (klv[l] > med)
				klv[l] = med;
	}
	for (size_t l = 0; l < L; l++)
		kl_sum += klv[l];
	/* each layer's exact share of the middle tokens (the uniform one without information) */
	for (size_t l = 0; l < L; l++)
		srt[l] = kl_sum > 0 ? (double)tot_mid * klv[l] / kl_sum : (double)(k - f);
	for (size_t l = 0; l < L; l++) {
		size_t c = (size_t)floor(srt[l]);
		if (c > nm)
			c = nm;
		keep[l] = f + c;
		given += c;
	}
	while (given < tot_mid) {
		size_t best = L;
		double bd = -1e300;
		for (size_t l = 0; l < L; l++) {
			double d = srt[l] - (double)(keep[l] - f);
			if (keep[l] - f < nm && d > bd)
				bd = d, best = l;
		}
		if (best == L)
			break;
		keep[best]++;
		given++;
	}
	free(klv);
	return CC_OK;
}

int cc_compress_adaptive_keep(size_t *keep, const cc_compress_opts *o, size_t n_ctx,
                              const float *attn, int n_layers, int n_kv_heads)
{
	size_t k, f = 0, nm, total, L, H;
	double *sorted = NULL, *g = NULL;
	gain_t *all = NULL;
	int rc = CC_OK;

	if (!keep || !o || !attn)
		return cc_error_set(CC_EINVAL, "adaptive_keep: NULL %s",
		                    !keep ? "keep" : (!o ? "options" : "attention"));
	if (n_layers < 1 || n_kv_heads < 1)
		return cc_error_set(CC_EINVAL, "adaptive_keep: %d layers, %d KV heads", n_layers,
		                    n_kv_heads);
	L = (size_t)n_layers;
	H = (size_t)n_kv_heads;
	k = cc_compress_keep_count(o, n_ctx);
	if (o->sinks > 0)
		f += (size_t)o->sinks;
	if (o->window > 0)
		f += (size_t)o->window;
	for (size_t l = 0; l < L; l++)
		keep[l] = k;
	if (k <= f || k >= n_ctx)
		return CC_OK;
	if (o->layer_adapt == CC_LAYER_INFO_PROP || o->layer_adapt == CC_LAYER_INFO)
		return info_keep(keep, o, n_ctx, attn, L, H, k, f);
	nm = n_ctx - f;
	sorted = malloc(nm * sizeof(double));
	g = malloc(nm * sizeof(double));
	all = malloc(L * nm * sizeof(gain_t));
	if (!sorted || !g || !all) {
		rc = cc_error_set(CC_ENOMEM, "out of memory allocating budgets over %zu layers", L);
		goto out;
	}
	for (size_t l = 0; l < L; l++) {
		memset(g, 0, nm * sizeof(double));
		for (size_t h = 0; h < H; h++) {
			const float *a = attn + (l * H + h) * n_ctx + (size_t)(o->sinks > 0 ? o->sinks : 0);
			double sum = 0;
			for (size_t j = 0; j < nm; j++) {
				double x = mass_of(a[j]);
				sorted[j] = x;
				sum += x;
			}
			qsort(sorted, nm, sizeof(double), desc_double);
			for (size_t j = 0; j < nm; j++)
				g[j] += (sum > 0 ? sorted[j] / sum : 1.0 / (double)nm) / (double)H;
		}
		for (size_t j = 0; j < nm; j++)
			all[l * nm + j] = (gain_t){g[j], (int32_t)l, (int32_t)j};
	}
	qsort(all, L * nm, sizeof(gain_t), gain_cmp);
	total = L * (k - f);
	for (size_t l = 0; l < L; l++)
		keep[l] = f;
	for (size_t i = 0; i < total; i++)
		keep[all[i].layer]++;
out:
	free(sorted);
	free(g);
	free(all);
	return rc;
}
