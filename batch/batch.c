/*
 * batch.c - ranks of a ground truth in a localization result and their statistics (see
 * cc_batch.h). Bootstrap: percentile intervals over resampled records.
 */
#include "cc_batch.h"

#include <stdlib.h>
#include <string.h>

void cc_batch_ranks(const cc_loc_result *r, const cc_bug *b, int *file_rank, int *func_rank)
{
	uint32_t line = b->n_lines ? b->lines[0] : b->start_line;
	size_t nfiles = 0;
	*file_rank = *func_rank = 0;
	for (size_t i = 0; i < r->n_hits; i++) {
		const cc_loc_hit *h = &r->hits[i];
		int new_file = 1;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(r->hits[k].path, h->path)) {
				new_file = 0;
				break;
			}
		if (new_file)
			nfiles++;
		if (strcmp(h->path, b->file))
			continue;
		if (!*file_rank)
			*file_rank = (int)nfiles;
		if (!*func_rank &&
		    ((h->start_line <= line && line <= h->end_line &&
		      (!b->function || !strcmp(h->name, b->function))) ||
		     (h->start_line == b->start_line && b->function && !strcmp(h->name, b->function))))
			*func_rank = (int)i + 1;
	}
}

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double rr(int rank)
{
	return rank > 0 ? 1.0 / rank : 0.0;
}

int cc_batch_stats_compute(cc_batch_stats *o, const int *ranks, size_t n, unsigned resamples,
                           uint64_t seed)
{
	memset(o, 0, sizeof(*o));
	o->n = n;
	if (!n)
		return CC_OK;
	for (size_t i = 0; i < n; i++) {
		o->top1 += ranks[i] == 1;
		o->top3 += ranks[i] >= 1 && ranks[i] <= 3;
		o->top5 += ranks[i] >= 1 && ranks[i] <= 5;
		o->mrr += rr(ranks[i]);
	}
	o->top1 /= (double)n;
	o->top3 /= (double)n;
	o->top5 /= (double)n;
	o->mrr /= (double)n;
	if (!resamples)
		resamples = 1000;
	double *t1 = malloc(resamples * sizeof(double)), *m = malloc(resamples * sizeof(double));
	if (!t1 || !m) {
		free(t1);
		free(m);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	uint64_t s = seed;
	for (unsigned r = 0; r < resamples; r++) {
		double a = 0, b = 0;
		for (size_t i = 0; i < n; i++) {
			int k = ranks[splitmix(&s) % n];
			a += k == 1;
			b += rr(k);
		}
		t1[r] = a / (double)n;
		m[r] = b / (double)n;
	}
	qsort(t1, resamples, sizeof(double), dcmp);
	qsort(m, resamples, sizeof(double), dcmp);
	size_t lo = (size_t)(0.025 * resamples), hi = (size_t)(0.975 * resamples);
	if (hi >= resamples)
		hi = resamples - 1;
	o->top1_lo = t1[lo];
	o->top1_hi = t1[hi];
	o->mrr_lo = m[lo];
	o->mrr_hi = m[hi];
	free(t1);
	free(m);
	return CC_OK;
}

int cc_batch_mrr_delta(double *delta, double *lo, double *hi, const int *a, const int *b,
                       size_t n, unsigned resamples, uint64_t seed)
{
	*delta = *lo = *hi = 0;
	if (!n)
		return CC_OK;
	for (size_t i = 0; i < n; i++)
		*delta += rr(a[i]) - rr(b[i]);
	*delta /= (double)n;
	if (!resamples)
		resamples = 1000;
	double *d = malloc(resamples * sizeof(double));
	if (!d)
		return cc_error_set(CC_ENOMEM, "out of memory");
	uint64_t s = seed;
	for (unsigned r = 0; r < resamples; r++) {
		double x = 0;
		for (size_t i = 0; i < n; i++) {
			size_t k = splitmix(&s) % n;
			x += rr(a[k]) - rr(b[k]);
		}
		d[r] = x / (double)n;
	}
	qsort(d, resamples, sizeof(double), dcmp);
	size_t l = (size_t)(0.025 * resamples), h = (size_t)(0.975 * resamples);
	if (h >= resamples)
		h = resamples - 1;
	*lo = d[l];
	*hi = d[h];
	free(d);
	return CC_OK;
}
