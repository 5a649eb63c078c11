/*
 * cc_batch.h - batch localization runs (target cc_batch): where a bug's ground truth ranks in
 * a localization result, and the statistics of many such ranks (top-k, mean reciprocal rank,
 * bootstrap confidence intervals). `codecomp batch` runs records x policies x budgets and
 * writes one JSONL line per run; `codecomp batch report` merges and summarises them.
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_BATCH_H
#define CC_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "cc_corpus.h"
#include "cc_localize.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Ranks of bug b in result r (1-based; 0 = not in the result):
 *  - func_rank: the first hit in b->file whose lines hold b's first changed line, or that has
 *    b's function name and start line;
 *  - file_rank: the position of b->file among the distinct files of the hits, in order. */
void cc_batch_ranks(const cc_loc_result *r, const cc_bug *b, int *file_rank, int *func_rank);

/* Summary of n ranks (0 = not found). */
typedef struct {
	size_t n;
	double top1, top3, top5; /* fraction of ranks in [1, k] */
	double mrr;              /* mean of 1 / rank (0 for not found) */
	double top1_lo, top1_hi; /* 95% bootstrap interval of top1 */
	double mrr_lo, mrr_hi;   /* 95% bootstrap interval of mrr */
} cc_batch_stats;

/* Statistics of ranks[0..n) with `resamples` bootstrap draws (0 = 1000) from a generator
 * seeded with seed (same inputs, same intervals). Errors: CC_ENOMEM. n = 0 gives zeros. */
int cc_batch_stats_compute(cc_batch_stats *out, const int *ranks, size_t n, unsigned resamples,
                           uint64_t seed);

/* Paired difference of mean reciprocal rank, a - b over the same n records, with its 95%
 * bootstrap interval. Errors: CC_ENOMEM. */
int cc_batch_mrr_delta(double *delta, double *lo, double *hi, const int *a, const int *b,
                       size_t n, unsigned resamples, uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif
