/*
 * cc_agent_reply.h - the agent-session methods as JSON (target cc_agent_reply): parameters in,
 * reply objects out, written once here for the daemon's JSON-RPC methods, the HTTP front end
 * and the CLI (in-process), so that all of them print the same. docs/protocol.md documents
 * every method ("Agent sessions").
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_AGENT_REPLY_H
#define CC_AGENT_REPLY_H

#include <jansson.h>

#include "cc_agent.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The methods cc_agent_call answers, NULL-ended: "models", "session.open", "session.generate",
 * "session.score", "session.compress", "session.info", "session.list", "session.close",
 * "session.viz". */
extern const char *const cc_agent_methods[];

/* Answer one method: *result is a new reference on success. params is the request's params
 * object (may be NULL for methods without parameters). on_token/ud (may be NULL) receive the
 * tokens of session.generate as they come. Errors: CC_EINVAL (unknown method, malformed or
 * unknown parameters, naming them) and those of the cc_agent_* call. */
int cc_agent_call(json_t **result, cc_agent *a, const char *method, json_t *params,
                  cc_agent_token_fn on_token, void *ud);

/* Reply objects (new references; NULL on allocation failure). */
json_t *cc_agent_session_json(const cc_agent_session_info *i);
json_t *cc_agent_models_json(const cc_agent_model_info *m, size_t n);
json_t *cc_agent_gen_json(const char *id, const cc_agent_gen_result *r);
json_t *cc_agent_score_json(const char *id, const cc_agent_score_result *r);
/* session.viz: {mode: "session", policy, budget, kv_bytes: {full, held}, session: (as
 * session.info), viz: {text, starts, priors, layers, kv_heads, kept: {POLICY: [one '0'/'1'
 * string per layer x KV head, a mark per token]}}}: the "viz" section `codecomp localize
 * --json --viz` writes, so `codecomp viz` draws both. */
json_t *cc_agent_viz_json(const cc_agent_viz *v);

/* A policy name as the protocol takes it: a compress/ policy or "full"; -2 when unknown. */
int cc_agent_policy_parse(const char *name);

#ifdef __cplusplus
}
#endif
#endif
