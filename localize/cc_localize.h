/*
 * cc_localize.h - fault localization over an indexed revision (target cc_localize): one bug,
 * its issue text, maybe a failing test and a stack trace, in; a ranked list of functions and
 * lines, with the evidence of every signal, out.
 *
 * Three stages:
 *  1. Candidates (cc_loc_candidates_compute): names, paths and stack-trace frames found in the
 *     issue, the trace and the test seed the graph of the revision's functions (vertices:
 *     method definitions; edges: resolved call edges, both ways, and shared-state def-use
 *     edges: one method assigns an attribute or module-level name another method of the same
 *     file reads). Functions are ranked by personalized PageRank from the seeds plus the call
 *     distance from the test's functions. When nothing in the texts names anything of the
 *     repository the ranking falls back to plain PageRank over the whole repository, and the
 *     result says so (fallback = 1).
 *  2. Context (cc_localize_run): the best candidates and their callers/callees fill the
 *     token budget of the model context, each function after "# file: PATH" (the priors
 *     module assembles it); the context is prefilled after the issue text and compressed to
 *     the requested KV budget with the chosen policy (compress/; budget 1 = full cache);
 *     codecomp and kvzip read the reconstruction attention of a repeat pass over the context
 *     (cc_compress_recon_attn, chunks of at most 256 tokens), as agent sessions do.
 *  3. Ranking (likelihood mode): each top candidate is read again, on its own fork of the
 *     compressed session, after the context (candidates themselves are kept out of the
 *     context so their own copy cannot predict them); its lines get their mean surprisal
 *     (negative log-likelihood per token) under that compressed context. A function's final
 *     score combines its structural score with the z-score of its most surprising line; the
 *     evidence lists each part. Generative mode asks an instruct model through its chat
 *     template (cc_loc_answer_parse reads the answer; an answer that names nothing valid is
 *     reported as such, never guessed). The template must be ChatML (<|im_start|>, as
 *     Qwen's); other templates are refused. Generation is greedy, at most 96 tokens, after the
 *     question placed behind the compressed context (query-aware for snapkv/codecomp).
 *
 * Everything here returns plain C structs; the JSON replies are written once, in
 * cc_localize_reply.h (target cc_localize_reply), for the CLI and the daemon alike.
 * Deterministic: the same inputs give the same result bit for bit on one machine.
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_LOCALIZE_H
#define CC_LOCALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "cc_common.h"
#include "cc_engine.h"
#include "cc_store.h"
#include "cc_tokenizer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- seeds: what the texts name ---------------------------------------------------------- */

typedef enum {
	CC_LOC_SEED_NAME = 0, /* an identifier ("remove", "Stock.remove" gives both parts) */
	CC_LOC_SEED_PATH,     /* a file path ("inventory/store.py"), line when given ("x.py:12") */
	CC_LOC_SEED_FRAME     /* a stack-trace frame: path and line, and function when known */
} cc_loc_seed_kind;

typedef struct {
	uint8_t kind;  /* cc_loc_seed_kind */
	char *text;    /* the name or the path, malloc'd */
	char *func;    /* frames: the function named by the frame, or NULL */
	uint32_t line; /* paths and frames: the line, 0 when none */
	float weight;  /* how much the seed counts (frames > paths > qualified names > names) */
} cc_loc_seed;

/* Extract the seeds of a text: Python tracebacks (File "p", line N, in f), Java frames
 * (at pkg.C.m(C.java:N)), JavaScript (at f (p:N:C)), Go (p.go:N +0x..), Rust (at src/x.rs:N:C)
 * and C/gdb/sanitizer frames (#N 0x.. in f p.c:N), source paths with an optional :line, and
 * identifiers (dotted names give their parts). Duplicates are merged (the larger weight
 * wins). *out is malloc'd (free with cc_loc_seeds_free); *n = 0 for a text naming nothing.
 * Errors: CC_ENOMEM. */
int cc_loc_seeds_extract(cc_loc_seed **out, size_t *n, const char *text, size_t len);
void cc_loc_seeds_free(cc_loc_seed *seeds, size_t n); /* NULL ok */

/* ---- candidates -------------------------------------------------------------------------- */

typedef struct {
	const char *issue; /* the issue text; required, not empty */
	size_t issue_len;
	const char *test; /* the failing test's source, or NULL */
	size_t test_len;
	const char *test_path; /* its path in the repository when indexed there, or NULL */
	const char *trace;     /* a stack trace or failing output, or NULL */
	size_t trace_len;
} cc_loc_query;

/* One function of the revision with its structural evidence. */
typedef struct {
	char *path;                    /* file, malloc'd */
	char *name;                    /* simple name, malloc'd */
	char *qual;                    /* qualified name ("Stock.remove"), malloc'd ("" when none) */
	uint32_t index;                /* node index of the method in its file */
	uint32_t start_line, end_line; /* 1-based, inclusive */
	uint32_t start_byte, end_byte;
	double ppr;    /* personalized PageRank, normalised so the best is 1 */
	double seed;   /* direct seed weight (named, in a frame, in a named file) */
	int test_dist; /* call distance from the test's functions, -1 unreachable/no test */
	/* how likely that call path is real: the product of its edges' confidences (the path
	 * maximising test_reach / (1 + test_dist)), 0 when unreachable */
	double test_reach;
	/* structural score: 0.6 ppr + 0.25 seed + 0.15 test_reach / (1 + test_dist) */
	double score;
} cc_loc_func;

typedef struct {
	/* every method of the revision, best structural score first (ties: path, then line) */
	cc_loc_func *funcs;
	size_t n_funcs;
	size_t n_seeds;   /* seeds extracted from the texts */
	size_t n_matched; /* of those, seeds that matched something in the revision */
	int fallback;     /* 1: nothing matched; ranking is whole-repository PageRank */
	size_t n_edges;   /* edges of the function graph */
} cc_loc_candidates;

/* Rank the functions of revision r for query q (see the top of this file). *out is freed with
 * cc_loc_candidates_free. Errors: CC_EINVAL (empty issue), CC_ENOTFOUND (a revision without
 * any function: "nothing to rank"), CC_EDB, CC_ENOMEM. */
int cc_loc_candidates_compute(cc_loc_candidates **out, cc_store_rev *r, const cc_loc_query *q);
void cc_loc_candidates_free(cc_loc_candidates *c); /* NULL ok */

/* ---- localize ---------------------------------------------------------------------------- */

typedef enum {
	CC_LOC_AUTO = 0,
	CC_LOC_LIKELIHOOD,
	CC_LOC_GENERATIVE
} cc_loc_mode;

const char *cc_loc_mode_name(int mode);  /* "auto", "likelihood", "generative" */
int cc_loc_mode_parse(const char *name); /* -1 when unknown */

typedef struct {
	int mode;      /* cc_loc_mode */
	int policy;    /* cc_policy (compress/) */
	double budget; /* KV budget in (0, 1]; 1 = full cache (no compression) */
	/* tokens of code context to assemble; 0 = min(model context / 2, 2048) */
	size_t context_tokens;
	size_t n_scored; /* candidates read again and scored by surprisal (default 8) */
	/* tokens of each scored candidate read again, from its start (default 1024; lines past
	 * it are not scored) */
	size_t max_read;
	size_t top; /* functions reported (default 10) */
	/* weight of the surprisal z-score against the structural score (default 0.25) */
	double surprisal_weight;
	const char *model_dir; /* for the chat template (generative/auto); may be NULL */
	int viz;               /* 1: also return what the cache kept (cc_loc_result.viz) */
} cc_loc_opts;

void cc_loc_opts_default(cc_loc_opts *o);

/* One ranked function of the answer. */
typedef struct {
	char *path, *name, *qual;      /* malloc'd */
	uint32_t start_line, end_line; /* the function */
	uint32_t line;                 /* its most suspicious line (0 when not scored) */
	char *line_text;               /* that line's source, trimmed (malloc'd), or NULL */
	double score;                  /* final score */
	/* evidence: what each signal contributed */
	double structural; /* cc_loc_func.score */
	double ppr, seed;
	int test_dist;
	int scored;            /* 1 when read under the compressed context */
	double mean_nll;       /* mean surprisal of its tokens (nats), scored only */
	double line_nll;       /* mean surprisal of its most suspicious line */
	double surprisal_z;    /* that line's z-score among all scored lines */
	double surprisal_part; /* surprisal_weight x surprisal_z */
	/* generative: the model's valid answer named this function (its score is
	 * structural + 1) */
	int answered;
} cc_loc_hit;

/* What the cache kept, for the visual report (cc_loc_opts.viz): the context tokens with their
 * prior, and per (policy, layer, KV head) a kept mark per token, for the chosen policy and for
 * SnapKV at the same budget. */
typedef struct {
	char *text; /* the context as the model read it (issue, then "# file:" code) */
	size_t len;
	size_t n_tokens;
	/* byte of text where token i starts (n_tokens entries; token i ends where i + 1 starts,
	 * the last at len) */
	uint32_t *start;
	float *prior; /* structural prior of token i in [0, 1] */
	int n_layers, n_kv_heads;
	int policies[2]; /* the chosen policy, then snapkv */
	int n_policies;  /* 1 when the chosen policy is snapkv itself */
	/* kept[p][(layer * n_kv_heads + head) * n_tokens + i] = 1 when kept */
	uint8_t *kept[2];
} cc_loc_viz;

/* Timings of each stage in seconds. */
typedef struct {
	double candidates, priors, prefill, compress, score, total;
} cc_loc_timing;

typedef struct {
	int mode; /* the mode that ran (auto resolved) */
	int policy;
	double budget;
	int fallback; /* candidates fell back to whole-repository ranking */
	char *notice; /* a sentence for the user (fallback, ...) or NULL */
	size_t n_seeds, n_matched;
	size_t n_functions;       /* functions in the revision */
	size_t context_tokens;    /* tokens prefilled (issue + context) */
	size_t context_functions; /* functions in the context */
	size_t kv_bytes_full;     /* KV bytes of the context before compression */
	size_t kv_bytes_held;     /* after */
	cc_loc_hit *hits;         /* best first, at most opts.top */
	size_t n_hits;
	char *answer;     /* generative: the model's raw answer; else NULL */
	int answer_valid; /* generative: the answer named a function of the repository */
	char *answer_why; /* generative, not valid: what it named and why not valid */
	int answer_func;  /* internal: candidate index of a valid answer */
	uint32_t answer_line;
	cc_loc_viz *viz; /* when cc_loc_opts.viz; else NULL */
	cc_loc_timing t;
	char commit[41];
} cc_loc_result;

/* Run localization for q over revision rev (NULL = HEAD) of the repository at repo_path
 * indexed in s, with model m and its tokenizer tok (both borrowed). Errors: CC_EINVAL (empty
 * issue; bad options, named), CC_ENOTFOUND (revision not indexed: the message says to run
 * `codecomp index`; nothing to rank), CC_EUNSUPPORTED (generative mode with a model without
 * a chat template), and those of the store, the priors and the engine. *out is freed with
 * cc_loc_result_free. */
int cc_localize_run(cc_loc_result **out, cc_store *s, const char *repo_path, const char *rev,
                    cc_model *m, const cc_tokenizer *tok, const cc_loc_query *q,
                    const cc_loc_opts *o);
void cc_loc_result_free(cc_loc_result *r); /* NULL ok */

/* Whether the model directory has a chat template (tokenizer_config.json "chat_template"). */
int cc_loc_model_has_chat_template(const char *model_dir);

/* ---- generative answers ------------------------------------------------------------------ */

typedef struct {
	int valid;     /* 1 when the answer names a function of the candidates */
	size_t func;   /* index into the candidates' funcs when valid */
	uint32_t line; /* a line inside that function named by the answer, 0 when none */
	char *why;     /* when not valid: what the answer named and why it is not valid */
} cc_loc_answer;

/* Read an instruct model's answer ("file: P, function: F, line: N" in any order and wording,
 * or "P:N", or a bare function name) against the candidates c. A function is valid only when
 * it exists (in the named file when a file is named); a line only when inside it. Never
 * guesses: an answer naming nothing valid gives valid = 0 and why. Errors: CC_ENOMEM. */
int cc_loc_answer_parse(cc_loc_answer *out, const char *answer, const cc_loc_candidates *c);
void cc_loc_answer_clear(cc_loc_answer *a); /* NULL ok */

#ifdef __cplusplus
}
#endif
#endif
