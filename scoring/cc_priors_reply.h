/*
 * cc_priors_reply.h - the priors as JSON (target cc_scoring_reply): the configuration's JSON
 * form, the `priors` reply object (per token, or packed in columns), and the `priors` request
 * shared by `codecomp priors` and the daemon, written once here so that both print the same.
 * docs/protocol.md documents the method.
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (or NULL where a function returns a
 * JSON value); nothing here aborts the process.
 */
#ifndef CC_PRIORS_REPLY_H
#define CC_PRIORS_REPLY_H

#include <jansson.h>

#include "cc_priors.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Override fields of *cfg from a JSON object: {"class_weight": {"call": 0.9, ...},
 * "rel_floor": 0.5, "edge_weight": {"call": 1, "reaching_def": .., "cdg": .., "contains": ..},
 * "protect_class": ["header", ...], other fields by name}. Unknown keys, values of the wrong
 * type or out of range, and a result where comments/whitespace could outrank call, predicate,
 * return or assignment tokens fail with CC_EINVAL naming the key; *cfg is then unchanged. */
int cc_priors_config_load_json(cc_priors_config *cfg, const json_t *obj);
/* Same from a JSON file (CC_ENOTFOUND, CC_EPARSE, CC_EINVAL). */
int cc_priors_config_load_file(cc_priors_config *cfg, const char *path);
/* The configuration as a JSON object (new reference; NULL on allocation failure). */
json_t *cc_priors_config_json(const cc_priors_config *cfg);

/* The `codecomp priors --json` object: {n_tokens, budget, n_seeds, tokens: [{id, start, end,
 * file, class, span, chunk, prior, protected}], chunks: [{id, file, name, first, count,
 * start_line, end_line, importance, relevance, protected, budget}]}. Numbers are rounded to
 * 6 decimals. With packed, "tokens" is instead an object of columns (docs/protocol.md): int32
 * arrays id, start, end, file, class, span, chunk, protected and a float32 array prior
 * (cc_proto_i32_encode / cc_proto_f32_encode), with "files" and "classes" the strings the file
 * and class columns index (in order of first use; file -1 = text). New reference; NULL on
 * allocation failure. */
json_t *cc_priors_json(const cc_priors *p);
json_t *cc_priors_json_packed(const cc_priors *p, int packed);

struct cc_store;

/* The `priors` request, shared by `codecomp priors` and the daemon so that both print the
 * same: params {"repo": PATH, "rev": REV|null, "query": TEXT|null, "paths": [PATH |
 * {"path": PATH, "start": N, "end": N}], "budget": N, "config": {overrides}|null,
 * "packed": BOOL (optional)}. The prompt is the query (when given, as a text segment) followed
 * by each path; the query also seeds relevance. *out is a new reference to
 * cc_priors_json_packed of the result. max_tokens: the model's context (0 = none). Errors:
 * CC_EINVAL (malformed params or config: the message names the field), and those of
 * cc_priors_from_store. */
int cc_priors_request(json_t **out, struct cc_store *s, const cc_tokenizer *tok,
                      const json_t *params, size_t max_tokens);

/* The context length (max_position_embeddings of MODEL/config.json) that cc_priors_request
 * checks prompts against; 0 when model is a bare tokenizer.json or the value is absent. */
size_t cc_priors_model_context(const char *model);

#ifdef __cplusplus
}
#endif
#endif
