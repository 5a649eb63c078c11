/*
 * cc_agent.h - agent sessions (target cc_agent): the application layer that puts compression
 * on the path IDEs and agents use. A repository context is assembled once from the index (the
 * files or functions a client names, or the files most relevant to a query through the
 * graph, each after a "# file: PATH" line; or raw text), its priors computed for exactly
 * those tokens, prefilled and compressed with a policy and budget; then many prompts are
 * asked against it (generate, score), each on a copy-on-write fork, so the compressed context
 * stays reusable.
 *
 * A cc_agent holds the loaded models (one load per model directory and device kind, shared by
 * all its sessions) and the open sessions. A model runs on one or more devices (an engine
 * each: "cpu", "cuda:0,cuda:1", "cuda:all"; CPU engines may stand in for devices, "cpu,cpu").
 * A session is placed on the engine with the most free KV memory and stays there. All
 * sessions of an engine share its KV pool (cc_agent_opts.kv_tokens): the blocks compression
 * frees serve the other sessions. Engine work on one device is serialised by the engine's
 * lock (the pool is not thread-safe, waiters are served in arrival order); engines run in
 * parallel.
 *
 * Continuous batching: the sessions of an engine that are generating at the same time decode
 * together. After its own prompt prefill, a generate call joins the engine's batch; one
 * decode loop per engine advances everyone in flight by one token per forward pass
 * (cc_batch_decode) and samples each row with that request's own parameters (temperature,
 * top_p, seed, stop strings and ids, max_new; a step whose rows are all greedy has them
 * chosen on the device, cc_batch_decode_greedy); a request leaves when it is done, others join
 * between steps. Greedy tokens are those of the session decoding alone. An engine whose
 * device fails (a CUDA error, or cc_agent_device_fail) is taken out: its sessions answer
 * with an error naming the device, new sessions go to the other engines. Every function is
 * thread-safe.
 *
 * The window rule, the same in every verb: a context (plus the room reserved for prompts and
 * generation) longer than the model's window is refused with CC_ETOOBIG naming the sizes, or
 * cut at the end when the caller asks (truncate = 1), and then the result says so
 * (truncated, dropped_tokens). A prompt whose position plus max_new would pass the window is
 * refused likewise.
 *
 * Errors are cc_status codes with the detail in cc_error_last(). Results are plain C structs
 * owned by the caller (each has a _clear function); the JSON of every reply is written once,
 * in cc_agent_reply.h (target cc_agent_reply), for the CLI and the daemon alike.
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_AGENT_H
#define CC_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "cc_common.h"
#include "cc_engine.h"
#include "cc_tokenizer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cc_agent cc_agent;

typedef struct {
	size_t max_sessions;   /* open sessions per model; 0 = 32 */
	size_t kv_tokens;      /* a model's shared KV pool, in tokens per layer; 0 = 4 x window */
	size_t kv_bytes;       /* or in bytes (codecompd --gpu-memory); wins over kv_tokens */
	double idle_timeout_s; /* sessions idle longer are closed; 0 = 900, < 0 = never */
	int n_threads;         /* CPU threads per model; 0 = all */
	/* tokens of room a session keeps for prompts + generation, counted in the window rule
	 * and in admission; 0 = 512 */
	size_t reserve;
	/* 1: each generate decodes alone, holding its engine for the whole generation (the path
	 * before continuous batching; a reference for benchmarks) */
	int no_batch;
	/* repository KV cache (sessions opened with repo_cache): chunk bytes held in memory; 0
	 * = 256 MiB */
	size_t repo_cache_bytes;
	/* and bytes of chunk files per cache directory (least recently used files deleted past
	 * it); 0 = 4 GiB */
	size_t repo_cache_disk_bytes;
	/* and bytes of chunk rows kept in GPU memory for CUDA sessions (least recently used
	 * copies dropped past it; chunks that do not fit are read from host memory); 0 = no
	 * device tier */
	size_t repo_cache_device_bytes;
	/* its chunk files (copied); NULL = beside each repository's index: <database's
	 * folder>/codecomp-kv */
	const char *repo_cache_dir;
} cc_agent_opts;

/* A new, empty agent (o NULL = defaults). Errors: CC_EINVAL, CC_ENOMEM. */
int cc_agent_new(cc_agent **out, const cc_agent_opts *o);
/* Close every session and free every model. NULL is a no-op. */
void cc_agent_free(cc_agent *a);

/* ---- models ------------------------------------------------------------------------------ */

/* One engine of a model (a device). */
typedef struct {
	char id[24];                             /* "cpu:0", "cuda:1" */
	size_t kv_bytes_capacity, kv_bytes_used; /* its KV pool */
	size_t n_sessions;                       /* sessions placed on it */
	size_t generating;                       /* generate requests in its batch now */
	uint64_t steps, step_rows;               /* batched decode steps run, and rows over all of them */
	size_t max_rows;                         /* the largest batch so far */
	char *failed;                            /* why it was taken out, or NULL */
} cc_agent_device_info;

typedef struct {
	char *dir;  /* canonical model directory */
	int device; /* cc_device */
	char *arch;
	size_t window; /* max_position_embeddings */
	size_t vocab, n_layers, n_params;
	size_t kv_bytes_capacity, kv_bytes_used; /* the shared pool */
	size_t kv_bytes_per_token;               /* one token over all layers and KV heads */
	size_t n_sessions;
	int has_chat_template;         /* tokenizer_config.json has a chat_template */
	cc_agent_device_info *devices; /* its engines (kv_bytes_* above are their sums) */
	size_t n_devices;
} cc_agent_model_info;

/* Load the model in directory dir on device (once: later calls with any spelling of the same
 * directory return the loaded one). Errors: those of cc_model_load and cc_tokenizer_load,
 * CC_EINVAL (dir not absolute, vocabularies that disagree). */
int cc_agent_model_load(cc_agent *a, const char *dir, int device);

/* Load the model in dir on the devices of a list: "cpu", "cuda", "cuda:1", "cuda:0,cuda:1",
 * "cuda:all" (every GPU) or "cpu,cpu" (CPU engines standing in for devices, for tests); all
 * of one kind. One engine per entry, each with a KV pool of its own (cc_agent_opts sizes
 * each). A model already loaded for that kind is kept as it is. Errors: CC_EINVAL (a bad or
 * mixed list, naming the entry), CC_ENOTFOUND (a GPU that does not exist), and those of
 * cc_agent_model_load. */
int cc_agent_model_load_devices(cc_agent *a, const char *dir, const char *devices);

/* Take an engine out (device_id as cc_agent_device_info.id; why: for the messages): requests
 * in its batch fail, its sessions answer CC_EIO naming the device, new sessions go to the
 * other engines. What a CUDA error in engine work does by itself. Errors: CC_ENOTFOUND (no
 * such model or device). */
int cc_agent_device_fail(cc_agent *a, const char *dir, int device, const char *device_id,
                         const char *why);

/* The loaded models, in load order. *out is malloc'd; free with cc_agent_models_free. */
int cc_agent_models(cc_agent_model_info **out, size_t *n, cc_agent *a);
void cc_agent_models_free(cc_agent_model_info *m, size_t n);

/* The loaded model's tokenizer (owned by a; valid until cc_agent_free), or NULL when the
 * model is not loaded. For front ends that render chat templates. */
const cc_tokenizer *cc_agent_model_tokenizer(cc_agent *a, const char *dir, int device);

/* ---- sessions ---------------------------------------------------------------------------- */

#define CC_AGENT_POLICY_FULL (-1) /* no compression (the full cache) */

typedef struct {
	const char *model; /* model directory (loaded on first use) */
	int device;        /* cc_device */
	/* The context: one of paths, functions (both may be given together), text, or query
	 * alone (the files most relevant to it through the graph). */
	const char *repo; /* repository indexed by `codecomp index` (absolute path) */
	const char *rev;  /* NULL = HEAD */
	const char *db;   /* NULL = the repository's default database */
	const char *const *paths;
	size_t n_paths;
	const char *const *functions; /* "name" or "Class.name" */
	size_t n_functions;
	/* raw text instead of repository files; it is ended with a newline when it has none,
	 * unless text_raw */
	const char *text;
	size_t text_len;
	/* 1: the text is the context exactly as given: tokenized as a prompt is
	 * (cc_tokenizer_encode: special tokens recognised, the post-processor runs), nothing
	 * added at its end */
	int text_raw;
	/* or a context of token ids, prefilled as they are (each in the model's vocabulary;
	 * copied) */
	const int32_t *ids;
	size_t n_ids;
	/* seeds relevance; placed after the context as the observation window (query-aware
	 * compression) */
	const char *query;
	size_t max_context_tokens; /* 0 = the window less the reserve */
	int truncate;              /* 1: cut an over-long context at the end (and say so) */
	int policy;                /* cc_policy, or CC_AGENT_POLICY_FULL */
	double budget;             /* 0 < b <= 1: share kept; b > 1: tokens kept (an integer) */
	/* The repository KV cache (repocache/cc_repocache.h; CPU models): the context is
	 * assembled from per-file chunks, each prefilled alone and compressed with policy and
	 * budget (a share) by its query-agnostic priors, reused across sessions and commits
	 * (a chunk is keyed by blob); the query is prefilled on top. Whole files only (paths or
	 * a query; not functions or text); no truncation. */
	int repo_cache;      /* 1: use it */
	int cache_no_anchor; /* 1: chunks without their own BOS (the first file keeps one) */
	/* in (0, 1): then a query-aware SnapKV pass keeps this share of the assembled rows
	 * (needs a query); 0 = none */
	double cache_final_budget;
	/* > 0: compress as the chunked prefill goes (cc_compress_stream_prefill): the context is
	 * prefilled in chunks of this many tokens, and after each the cache is compressed to the
	 * budget of the tokens so far, so the full cache is never held (the query, if any, is
	 * prefilled after; policies with a streamed mode only, see cc_compress.h: codecomp
	 * then ranks by the chunks' window attention x prior, one count per KV head; h2o by the
	 * attention carried across chunks). The
	 * session's admission needs the streamed peak's room, not the full cache's. 0 = prefill,
	 * then compress (default). Not with repo_cache or the full policy. */
	size_t stream_chunk;
	/* stream_chunk sessions with codecomp: 1 = rank by the attention of every query so far,
	 * carried across the compactions (cc_compress_stream_opts.cum), instead of each chunk's
	 * window attention (0, default: see bench/results/stream_prefill.md). Other policies
	 * ignore it. */
	int stream_cum;
} cc_agent_open_opts;

typedef struct {
	char id[32];
	char *model;
	int device;
	char *policy;          /* "codecomp", ..., or "full" */
	double budget;         /* as requested */
	double keep_share;     /* the share actually kept (tokens: budget / context) */
	size_t context_tokens; /* tokens of the assembled context */
	size_t query_tokens;   /* observation-window tokens after it (query-aware) */
	size_t kept_per_head;  /* context tokens kept per layer and KV head */
	int truncated;         /* the context was cut to fit */
	size_t dropped_tokens; /* how many were cut */
	size_t kv_bytes_full;  /* the cache before compression */
	size_t kv_bytes_held;  /* blocks this session references now */
	size_t next_pos;       /* the position a prompt's first token gets */
	size_t window;
	char **files; /* files of the context, in order */
	size_t n_files;
	int by_query; /* the files were chosen by relevance to the query */
	/* seconds */
	double t_assemble, t_priors, t_prefill, t_compress;
	double idle_s;      /* since the last use */
	size_t n_requests;  /* generate/score calls answered */
	char device_id[24]; /* the engine it was placed on ("cuda:1") */
	/* repository KV cache sessions (repo_cache = 1): what the cache did for this one */
	int repo_cache;
	int cache_anchor; /* chunks start with BOS */
	double cache_final_budget;
	size_t chunks_reused;      /* chunks found in memory or on disk */
	size_t chunks_from_disk;   /* of those, read from disk */
	size_t chunks_prefilled;   /* chunks computed (new or changed blobs, damaged files) */
	size_t cache_bytes_memory; /* the agent's chunk cache in memory (all repositories) */
	size_t cache_bytes_disk;   /* chunk files in this repository's cache directory */
	size_t cache_bytes_device; /* the cache's chunk rows in GPU memory (all repositories) */
	/* stream_chunk sessions: the chunk, the chunks prefilled, and the most KV bytes the
	 * session held while its context was prefilled and compressed (kv_bytes_full is then what
	 * the whole context would have taken) */
	size_t stream_chunk;
	int stream_cum; /* codecomp ranked by the carried attention (cc_agent_open_opts) */
	size_t stream_steps;
	size_t kv_bytes_peak;
} cc_agent_session_info;

void cc_agent_session_info_clear(cc_agent_session_info *i); /* NULL ok; zeroes it */

/* Open a session (see the top of this file). *out receives its description. Errors:
 * CC_EINVAL (no context, bad budget or policy, relative paths, a function not found named),
 * CC_ENOTFOUND (repository not indexed, path not in the index), CC_ESTALE, CC_ETOOBIG
 * (context over the window or max_context_tokens; sizes named), CC_EBUSY (the model's session
 * limit or KV pool cannot take it: sizes named), and the errors of the engine. */
int cc_agent_session_open(cc_agent_session_info *out, cc_agent *a, const cc_agent_open_opts *o);

/* Describe, list and close. Errors: CC_ENOTFOUND (no session with that id). */
int cc_agent_session_info_get(cc_agent_session_info *out, cc_agent *a, const char *id);
int cc_agent_session_list(cc_agent_session_info **out, size_t *n, cc_agent *a);
void cc_agent_session_list_free(cc_agent_session_info *l, size_t n);
int cc_agent_session_close(cc_agent *a, const char *id);

/* Compress the session's context again with another policy or budget (computed afresh from
 * the full context, so a budget may also be looser). Errors as open. */
int cc_agent_session_compress(cc_agent_session_info *out, cc_agent *a, const char *id,
                              int policy, double budget);

/* Called for each generated token with its decoded bytes (which may end inside a UTF-8
 * character; the next pieces complete it). Return non-zero to stop. */
typedef int (*cc_agent_token_fn)(void *ud, int32_t id, const char *piece, size_t len);

typedef struct {
	const char *prompt; /* tokenized after the context (may be empty) */
	size_t prompt_len;
	const int32_t *prompt_ids; /* or token ids (when prompt is NULL) */
	size_t n_prompt_ids;
	size_t max_new;           /* tokens to generate at most */
	float temperature, top_p; /* temperature <= 0: greedy */
	uint64_t seed;
	const char *const *stop; /* stop strings (not included in the text) */
	size_t n_stop;
	int no_eos;              /* 1: do not stop at the model's end-of-sequence token */
	const int32_t *stop_ids; /* extra stop tokens (end-of-turn) */
	size_t n_stop_ids;
	cc_agent_token_fn on_token;
	void *ud;
} cc_agent_gen_opts;

typedef struct {
	char *text; /* generated text (stop string cut) */
	size_t len;
	int32_t *ids; /* generated ids */
	size_t n_ids;
	size_t prompt_tokens;
	const char *finish;         /* "length", "stop" (string or eos/stop token), "callback" */
	double t_prefill, t_decode; /* seconds */
} cc_agent_gen_result;

void cc_agent_gen_result_clear(cc_agent_gen_result *r); /* NULL ok */

/* Generate after the session's context on a fork (the session's cache is unchanged). Errors:
 * CC_ENOTFOUND (unknown session), CC_ETOOBIG (prompt + max_new past the window), CC_EINVAL,
 * the engine's. */
int cc_agent_session_generate(cc_agent_gen_result *out, cc_agent *a, const char *id,
                              const cc_agent_gen_opts *o);

typedef struct {
	int32_t *ids; /* the text's tokens */
	size_t n;
	float *nll; /* -log p(token | context, tokens before it), nats */
	double mean_nll;
	double seconds;
} cc_agent_score_result;

void cc_agent_score_result_clear(cc_agent_score_result *r); /* NULL ok */

/* What a session's cache kept, for `codecomp viz --session`: the context's tokens (their bytes
 * in order, as the model read them) with their priors, and per (policy, layer, KV head) a kept
 * mark per token: the session's own policy, then SnapKV at the session's budget (computed on a
 * fresh prefill of the same context, then dropped; absent when the session's policy is snapkv
 * or full). */
typedef struct {
	char *text;
	size_t len;
	size_t n_tokens;
	/* byte of text where token i starts (i + 1 ends it, the last at len) */
	uint32_t *start;
	float *prior; /* the token's prior in [0, 1] */
	int n_layers, n_kv_heads;
	const char *policy[2]; /* the session's policy (points into info), then "snapkv" */
	int n_policies;
	uint8_t *kept[2];           /* kept[p][(layer * n_kv_heads + head) * n_tokens + i] */
	cc_agent_session_info info; /* the session, as session.info gives it */
} cc_agent_viz;

/* Fill *out (cleared with cc_agent_viz_clear) for session id. The SnapKV side prefills the
 * context once more on the model, so it costs a prefill and needs the pool's room for it.
 * Errors: CC_ENOTFOUND (no such session), CC_ENOMEM, the engine's (CC_EBUSY and such when the
 * pool has no room for the SnapKV prefill). */
int cc_agent_session_viz(cc_agent_viz *out, cc_agent *a, const char *id);
void cc_agent_viz_clear(cc_agent_viz *v); /* NULL ok; zeroes it */

/* Per-token negative log-likelihood of text after the session's context, on a fork. Errors as
 * generate. */
int cc_agent_session_score(cc_agent_score_result *out, cc_agent *a, const char *id,
                           const char *text, size_t len);

/* Close sessions idle longer than the timeout; returns how many. Called by every other
 * function too. */
size_t cc_agent_reap(cc_agent *a);

/* Parse a budget as the protocol and the CLI take it: a share in (0, 1] or a whole token
 * count > 1. Errors: CC_EINVAL naming the value. */
int cc_agent_budget_check(double budget);

/* ---- chat templates (agent/chat.c) -------------------------------------------------------
 * A model's tokenizer_config.json "chat_template" is recognised by its markers and rendered
 * natively (no Jinja): ChatML as Qwen2/Qwen2.5 use it (<|im_start|>role\n...<|im_end|>\n, with
 * the template's default system prompt when the conversation has none) and Llama 3
 * (BOS, <|start_header_id|>role<|end_header_id|>\n\n...<|eot_id|>, contents trimmed). Other
 * templates are refused with CC_EUNSUPPORTED. Front ends (daemon HTTP, CLI) render with these
 * and pass the text to generation with the family's end-of-turn tokens as stop_ids. */

enum {
	CC_CHAT_CHATML = 1,
	CC_CHAT_LLAMA3 = 2
};

typedef struct {
	int family;           /* CC_CHAT_* */
	char *name;           /* "chatml" or "llama3" */
	char *default_system; /* ChatML: system prompt put first when there is none; or NULL */
	char *bos;            /* Llama 3: the tokenizer_config's bos_token ("<|begin_of_text|>") */
	const char *stop[2];  /* end-of-turn token texts (static), n_stop of them */
	size_t n_stop;
} cc_chat_template;

typedef struct {
	const char *role;    /* "system", "user" or "assistant" */
	const char *content; /* NUL-terminated */
} cc_chat_message;

/* Recognise a chat template from its text (tmpl, the Jinja source). bos: the tokenizer's
 * bos_token (may be NULL: "<|begin_of_text|>" for Llama 3). *out is filled (clear it with
 * cc_chat_template_clear). Errors: CC_EUNSUPPORTED (a template of another family, or a variant
 * rendered differently such as Llama 3.1's date header, named), CC_EINVAL, CC_ENOMEM. */
int cc_chat_template_parse(cc_chat_template *out, const char *tmpl, const char *bos);

/* Read dir/tokenizer_config.json and recognise its chat_template (a string, or a list of
 * {name, template} of which "default" is used). Errors: CC_ENOTFOUND (no file, or no
 * chat_template: "the model has no chat template"), CC_EPARSE (not JSON, naming the file),
 * CC_EUNSUPPORTED, CC_ENOMEM. */
int cc_chat_template_load(cc_chat_template *out, const char *dir);

void cc_chat_template_clear(cc_chat_template *t); /* NULL ok; zeroes it */

/* Render n messages as the template does; add_generation_prompt appends the assistant
 * header. *out is malloc'd (NUL-terminated, *len bytes); tokenize it without adding special
 * tokens (the BOS is in the text). Errors: CC_EINVAL (a role other than system, user,
 * assistant, or NULL content, naming the message index), CC_ENOMEM. */
int cc_chat_render(char **out, size_t *len, const cc_chat_template *t, const cc_chat_message *m,
                   size_t n, int add_generation_prompt);

#ifdef __cplusplus
}
#endif
#endif
