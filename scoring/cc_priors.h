/*
 * cc_priors.h - per-token KV-retention priors for a code prompt: which tokens the model must
 * not lose when its KV cache is compressed.
 *
 * A prompt is a list of segments: text (instructions, issue text, stack traces) and code (a
 * file of an indexed revision, whole or a byte range, written after a header line
 * "# file: PATH\n"). The prompt text is assembled, tokenized once, and every token gets:
 *   class     the innermost structural graph node covering it (call, predicate, return,
 *             assignment, signature, parameter, import, type declaration), else identifier,
 *             literal, comment, other code, whitespace/punctuation, header or non-code text;
 *   span      id of the outermost statement-level structure inside its function that must be
 *             kept or dropped whole (a predicate, call, assignment, return, signature, import,
 *             type declaration header); -1 for none;
 *   chunk     the function/method (or top-level block, or text segment) it belongs to, chunks
 *             of cfg.chunk_min..cfg.chunk_max tokens where the segment allows;
 *   relevance personalized PageRank over call, reaching-definition, control-dependence and
 *             containment edges, seeded by the names, paths and line numbers in the query;
 *   prior     class weight x (relevance floor + (1 - floor) x relevance), in [0, 1];
 *   protected spans that a budget keeps first (text, headers, signatures, predicates, returns by
 *             default, and structure of highly relevant functions).
 * Chunks get a structural importance and, for a total budget, a token budget.
 *
 * Guarantee (checked when a configuration is loaded): a comment or whitespace token never
 * gets a higher prior than a call, predicate, return or assignment token, whatever the query.
 * Output is deterministic: the same inputs give bit-identical priors.
 *
 * Weights are configuration: cc_priors_config (defaults by cc_priors_config_default) can be
 * overridden from JSON (cc_priors_config_load_json / _file) with the same field names; see
 * docs in scoring/priors_config.c and `codecomp priors --help`.
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_PRIORS_H
#define CC_PRIORS_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "cc_tokenizer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Token classes. Stable order: printed by name (cc_prior_class_name). */
typedef enum {
	CC_PCLS_TEXT = 0,   /* non-code text (instructions, issue, stack trace) */
	CC_PCLS_HEADER,     /* the "# file: PATH" line of a code segment */
	CC_PCLS_WHITESPACE, /* whitespace or punctuation only */
	CC_PCLS_COMMENT,
	CC_PCLS_CODE, /* other code: keywords, operators outside any structure */
	CC_PCLS_LITERAL,
	CC_PCLS_IDENTIFIER,
	CC_PCLS_IMPORT,
	CC_PCLS_TYPE_DECL,
	CC_PCLS_PARAM,
	CC_PCLS_SIGNATURE,
	CC_PCLS_ASSIGNMENT,
	CC_PCLS_RETURN,
	CC_PCLS_PREDICATE,
	CC_PCLS_CALL,
	CC_PCLS_COUNT
} cc_prior_class;

const char *cc_prior_class_name(int cls);   /* "call", ...; "?" when out of range */
int cc_prior_class_parse(const char *name); /* -1 when unknown */

/* Edge kinds that carry relevance (index of cc_priors_config.edge_weight). */
enum {
	CC_PEDGE_CALL = 0,
	CC_PEDGE_REACHING_DEF,
	CC_PEDGE_CDG,
	CC_PEDGE_CONTAINS,
	CC_PEDGE_COUNT
};

/* Configuration: every weight the priors use. Plain data, copied freely. */
typedef struct {
	/* per class, in [0, 1] */
	float class_weight[CC_PCLS_COUNT];
	float rel_floor;      /* prior = w_class * (rel_floor + (1 - rel_floor) * relevance) */
	float text_relevance; /* relevance given to text/header tokens (no graph node) */
	/* PageRank transition weights per edge kind */
	float edge_weight[CC_PEDGE_COUNT];
	float reverse_weight;  /* factor on the reverse direction of every edge */
	float damping;         /* PageRank continuation probability (1 - restart) */
	int iterations;        /* PageRank power iterations (max) */
	float seed_name;       /* seed mass for a definition named in the query */
	float seed_path;       /* seed mass for a file named in the query (spread on its defs) */
	float seed_line;       /* seed mass for a line of a file named in the query */
	int min_name_len;      /* query words shorter than this never seed */
	float relevance_gamma; /* token relevance = (node rank / max rank) ^ gamma */
	/* classes whose tokens are always protected */
	int protect_class[CC_PCLS_COUNT];
	float protect_relevance;  /* structural tokens of nodes at least this relevant: protected */
	int chunk_min, chunk_max; /* chunk size in tokens */
} cc_priors_config;

/* Fill *cfg with the defaults. */
void cc_priors_config_default(cc_priors_config *cfg);
/* CC_OK when every field is in range and comments/whitespace cannot outrank call, predicate,
 * return or assignment tokens; else CC_EINVAL naming the field. (The JSON form of a
 * configuration is in cc_priors_reply.h.) */
int cc_priors_config_validate(const cc_priors_config *cfg);
const char *cc_prior_edge_name(int e); /* "call", "reaching_def", ...; "?" when out of range */


/* A resolved call edge leaving a file: call node -> method definition in some file. */
typedef struct {
	uint32_t src_index;   /* call node index in this file */
	const char *dst_path; /* file of the definition (borrowed) */
	uint32_t dst_index;   /* node index of the definition there */
	float confidence;
} cc_prior_call;

/* One segment of a prompt. All pointers are borrowed for the duration of cc_priors_compute. */
typedef struct {
	const char *path;    /* NULL: a text segment */
	const char *content; /* text segment: the text; code: the whole file's bytes */
	size_t len;
	uint32_t start, end;        /* code: byte range [start, end) of the file; end == 0: to EOF */
	const cc_file_graph *graph; /* code: the file's graph (NULL: no structure known) */
	/* code: call edges leaving the file; NULL with n_calls 0 = resolve calls by simple name
	 * among the prompt's files */
	const cc_prior_call *calls;
	size_t n_calls;
} cc_prompt_segment;

/* Per token of the prompt. */
typedef struct {
	int32_t id; /* token id */
	/* bytes: into the file for code tokens (a header token: an empty range where the
	 * segment starts), into the prompt otherwise */
	uint32_t start, end;
	uint32_t pstart; /* start byte in the assembled prompt */
	int32_t segment; /* index of the segment holding the token's first byte */
	uint8_t cls;     /* cc_prior_class */
	uint8_t protect; /* 1 = protected */
	int32_t node;    /* innermost graph node index in the file, -1 */
	int32_t span;    /* span id (index into cc_priors.spans), -1 */
	int32_t chunk;   /* chunk id (index into cc_priors.chunks) */
	float relevance; /* [0, 1] */
	float prior;     /* [0, 1] */
} cc_token_prior;

typedef struct {
	int32_t segment;
	/* the span's node in the file (-1 for a signature's method: see kind) */
	int32_t node;
	uint8_t kind;          /* cc_prior_class of the span (call, predicate, ..., signature) */
	uint32_t first, count; /* token range */
} cc_prior_span;

typedef struct {
	int32_t segment;
	uint32_t first, count;         /* token range [first, first + count) */
	char *name;                    /* "Class.method", "block", "text", "header" */
	uint32_t start_line, end_line; /* code chunks: 1-based lines of the file; 0 otherwise */
	float importance;              /* structural importance in [0, 1] */
	float relevance;               /* max token relevance */
	uint32_t n_protected;          /* protected tokens */
	uint32_t budget;               /* tokens to keep for the requested total budget */
} cc_prior_chunk;

/* The result: plain data owned by the caller, freed with cc_priors_free. */
typedef struct {
	char *text; /* the assembled prompt, NUL-terminated */
	size_t len;
	char **paths; /* per segment: the file path or NULL */
	size_t n_segments;
	cc_token_prior *tokens;
	size_t n_tokens;
	cc_prior_span *spans;
	size_t n_spans;
	cc_prior_chunk *chunks;
	size_t n_chunks;
	size_t budget;  /* the total budget requested (0: none, budgets = counts) */
	size_t n_seeds; /* graph nodes seeded from the query */
	double seconds_tokenize, seconds_priors;
} cc_priors;

/* Options of one computation. */
typedef struct {
	const char *query; /* seeds relevance (not added to the prompt); NULL = none */
	size_t query_len;
	size_t budget;      /* total tokens to keep; 0 = no budget */
	size_t max_tokens;  /* the model's context; 0 = no limit */
	unsigned tok_flags; /* cc_tokenizer_encode_ex flags (CC_TOK_ADD_SPECIAL, ...) */
} cc_priors_opts;

/* Assemble the prompt of segs, tokenize it with tok and compute the priors. *out is a new
 * result (free with cc_priors_free). Errors: CC_EINVAL (a code segment's range outside its
 * file, a graph whose node spans exceed the file: the message names the path), CC_ETOOBIG
 * (the prompt is over opts->max_tokens: the message names both lengths), CC_ENOMEM. */
int cc_priors_compute(cc_priors **out, const cc_tokenizer *tok, const cc_prompt_segment *segs,
                      size_t n_segs, const cc_priors_opts *opts, const cc_priors_config *cfg);

/* The priors after tokenization: same as cc_priors_compute, with the prompt already
 * assembled and tokenized (ids and byte offsets into text). Used to time the scoring alone.
 * Takes nothing over: ids/offsets/text are copied. */
int cc_priors_compute_tokens(cc_priors **out, const char *text, size_t len, const int32_t *ids,
                             const cc_token_span *offsets, size_t n_tokens,
                             const cc_prompt_segment *segs, size_t n_segs,
                             const cc_priors_opts *opts, const cc_priors_config *cfg);

/* The priors of one text taken exactly as given, already tokenized (ids and byte offsets into
 * text; a post-processor's tokens may have empty ranges): as cc_priors_compute_tokens with one
 * text segment, except that no newline is added at the text's end, so the tokens are exactly
 * a prompt's. Takes nothing over. Errors as cc_priors_compute_tokens. */
int cc_priors_compute_text_tokens(cc_priors **out, const char *text, size_t len,
                                  const int32_t *ids, const cc_token_span *offsets, size_t nt,
                                  const cc_priors_opts *opts, const cc_priors_config *cfg);

/* Assemble the prompt text of segs: a malloc'd NUL-terminated string (the caller frees) and
 * per segment the prompt byte where its body starts (seg_at[i]; after the header for code),
 * malloc'd, may be NULL if not wanted. Errors as cc_priors_compute. */
int cc_prompt_assemble(char **text, size_t *len, uint32_t **seg_at, const cc_prompt_segment *segs,
                       size_t n_segs);

void cc_priors_free(cc_priors *p); /* NULL ok */

/* ---- from an indexed revision ------------------------------------------------------------ */

struct cc_store;

/* One item of a prompt to read from the store: a text, or a file of the revision (whole, or
 * bytes [start, end) when end > 0). */
typedef struct {
	const char *path; /* NULL: text */
	const char *text; /* text items */
	uint32_t start, end;
} cc_prompt_item;

/* Build the prompt from a revision (rev as in cc_index_opts.rev; NULL = HEAD) of the
 * repository indexed in s and compute its priors. File bytes, graphs and call edges come from
 * the store, so offsets always match what was indexed; for the working tree revision each file
 * on disk is hashed and must still be the indexed blob. Errors: CC_ENOTFOUND (revision not
 * indexed, path not in the index or skipped: named), CC_ESTALE (a working tree file changed
 * since indexing: named, re-index), CC_EINVAL (a byte range outside the file), CC_ETOOBIG,
 * CC_EDB, CC_ENOMEM. */
int cc_priors_from_store(cc_priors **out, struct cc_store *s, const char *repo_path,
                         const char *rev, const cc_tokenizer *tok, const cc_prompt_item *items,
                         size_t n_items, const cc_priors_opts *opts, const cc_priors_config *cfg);

#ifdef __cplusplus
}
#endif
#endif
