/*
 * cc_localize_reply.h - the JSON of the `localize` reply (target cc_localize_reply), written
 * once here for `codecomp localize --json` and the daemon's `localize` method, so both print
 * the same (only "timings" differ between runs).
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_LOCALIZE_REPLY_H
#define CC_LOCALIZE_REPLY_H

#include <jansson.h>

#include "cc_localize.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The reply object: {commit, mode, policy, budget, fallback, notice, seeds: {extracted,
 * matched}, functions, context: {tokens, functions}, kv_bytes: {full, held}, results:
 * [{rank, file, function, qualified, start_line, end_line, line, score, evidence:
 * {structural, pagerank, seed, test_distance, scored, answered, mean_nll, line_nll,
 * surprisal_z, surprisal}}], answer: null | {text, valid, why}, viz (when asked), timings:
 * {candidates, priors, prefill, compress, score, total}}. Reals are
 * rounded to 6 decimals. New reference; NULL on allocation failure. */
json_t *cc_loc_result_json(const cc_loc_result *r);

/* Parse the `localize` request params shared by the CLI and the daemon: {"repo": PATH, "rev":
 * REV|null, "issue": TEXT, "test": TEXT|null, "test_path": PATH|null, "trace": TEXT|null,
 * "policy": NAME, "budget": B, "mode": NAME, "top": N, "context_tokens": N, "scored": N}
 * (every field but repo and issue optional). Fills q and o (strings borrowed from params),
 * *repo and *rev. Errors: CC_EINVAL naming the field. */
int cc_loc_request_parse(cc_loc_query *q, cc_loc_opts *o, const char **repo, const char **rev,
                         const json_t *params);

#ifdef __cplusplus
}
#endif
#endif
