/*
 * fidelity.h - internals of bench_fidelity (the fidelity benchmark of docs/EVAL.md): building
 * one sample (sample.c: a package directory's files in shuffled order, target functions
 * removed from one of them, the context C cut to T tokens with its priors) for the engine
 * runs and metrics of fidelity.c.
 */
#ifndef FIDELITY_H
#define FIDELITY_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "cc_priors.h"
#include "cc_tokenizer.h"

/* Seeded generator (splitmix64 then xorshift128+): the same seed gives the same samples. */
typedef struct {
	uint64_t s[2];
} fid_rng;

void fid_rng_seed(fid_rng *r, uint64_t seed);
uint64_t fid_rng_next(fid_rng *r);
/* Uniform integer in [0, n), n > 0. */
size_t fid_rng_below(fid_rng *r, size_t n);

/* One removed function, scored after C as "# file: <path>\n" + its text. */
typedef struct {
	char *name;                    /* qualified name from the graph */
	uint32_t start_line, end_line; /* in the original file, 1-based inclusive */
	char *text;                    /* header line + function lines, NUL-terminated */
	size_t len;
	size_t query_len; /* bytes of the header line plus the def line */
	int32_t *ids;     /* tokens of text */
	cc_token_span *offs;
	size_t n;
	size_t n_query;  /* leading tokens that form the query (query-aware mode) */
	uint8_t *ctxdep; /* per token: part of an identifier in C, new in the target */
	float *prior_q;  /* T priors of C computed with the query (query-aware mode) */
	uint8_t *protect_q;
} fid_target;

/* One sample: the context C (T tokens) and its targets. */
typedef struct {
	char *dir;         /* package directory, relative to the corpus */
	char *target_path; /* the file the targets were removed from */
	size_t n_files;    /* files whose text starts inside C */
	size_t T;
	int32_t *ids; /* C's T token ids */
	float *prior; /* priors without a query (query-agnostic mode) */
	uint8_t *protect;
	fid_target *targets;
	size_t n_targets;
	double ctx_share; /* share of target tokens that are context-dependent */
} fid_sample;

typedef struct {
	const char *corpus;
	size_t T;
	int targets; /* targets per sample (1..4) */
	uint64_t seed;
} fid_sample_opts;

/* The corpus's package directories (relative paths, sorted; test directories skipped) that
 * hold at least two .py files. *out is a malloc'd array of malloc'd strings. */
int fid_corpus_dirs(char ***out, size_t *n, const char *corpus);

/* Build sample number `index`: tries directories in the seeded order starting at `index`
 * (those not marked in used[n_dirs] first; used may be NULL) until one gives a context of T
 * tokens from at least two files (one when no directory gives two) with enough eligible
 * target functions, and marks it used.
 * Fills *out (free with fid_sample_free). Errors: CC_ENOTFOUND (no directory works),
 * CC_ENOMEM, and those of the tokenizer, analysis and priors. */
int fid_sample_build(fid_sample *out, const fid_sample_opts *o, char *const *dirs, size_t n_dirs,
                     uint8_t *used, size_t index, const cc_tokenizer *tok, cc_analyzer *an);

void fid_sample_free(fid_sample *s);

#endif
