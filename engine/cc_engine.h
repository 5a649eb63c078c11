/*
 * cc_engine.h - the inference engine: load a Hugging Face Llama / Qwen2 checkpoint
 * (config.json + safetensors, single or sharded, bf16 / f16 / f32, memory-mapped), run it on
 * the CPU (f32 reference, multithreaded) or through the CUDA backend, over a paged KV cache
 * (kv/cc_kv.h) per session.
 *
 * A model is loaded once and shared read-only by its sessions; a session holds one sequence
 * (its KV cache) and is used from one thread at a time. Prefill is chunked so activation
 * memory is bounded by the chunk, not the prompt. Sessions may share one KV pool
 * (cc_engine_pool), and sessions of one pool can advance together, one token each per
 * forward pass (cc_batch_decode: continuous batching).
 *
 * Every function returns a cc_status (0 ok, negative failure) with detail in cc_error_last().
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_ENGINE_H
#define CC_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "cc_kv.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cc_model cc_model;
typedef struct cc_session cc_session;
typedef struct cc_engine_pool cc_engine_pool;
typedef struct cc_batch cc_batch;

typedef enum {
	CC_DEVICE_CPU = 0,
	CC_DEVICE_CUDA = 1
} cc_device;

/* Parse "cpu" / "cuda"; -1 when unknown. */
int cc_device_parse(const char *s);

typedef struct {
	int device;    /* cc_device; CPU by default (zeroed struct) */
	int n_threads; /* CPU worker threads, 0 = number of online processors */
} cc_model_opts;

/* What a loaded model is (read from config.json). */
typedef struct {
	const char *arch; /* "LlamaForCausalLM" or "Qwen2ForCausalLM" */
	int n_layers, hidden, n_heads, n_kv_heads, head_dim, intermediate, vocab, max_pos;
	float rope_theta, rms_eps;
	int tied_embeddings;    /* lm_head shares embed_tokens */
	int qkv_bias;           /* q/k/v projections have a bias */
	int weight_dtype;       /* cc_kv_dtype of the checkpoint's tensors (the first tensor's) */
	int32_t bos_id, eos_id; /* -1 when config.json has none */
	size_t n_params;
} cc_model_info;

/* Load the checkpoint in directory `dir` (config.json, model.safetensors or
 * model.safetensors.index.json with its shards) for opts->device (opts NULL = CPU, auto
 * threads). *out owns the mapped files until cc_model_free. Errors, each naming the file and
 * tensor or field: CC_ENOTFOUND (no config.json / weights / a tensor the architecture needs),
 * CC_EUNSUPPORTED (another architecture, dtype, activation or rope type; CUDA not built or no
 * device), CC_EPARSE (bad JSON, bad safetensors header), CC_EINVAL (a tensor of the wrong
 * shape, a truncated file, inconsistent sizes), CC_EIO, CC_ENOMEM. */
int cc_model_load(cc_model **out, const char *dir, const cc_model_opts *opts);

/* Free a model. Its sessions must be freed first. NULL is a no-op. */
void cc_model_free(cc_model *m);

/* cc_model_load on CUDA device number gpu (0 = the first; ignored on the CPU), for programs
 * that serve on several GPUs. Errors: those of cc_model_load, CC_ENOTFOUND (no such GPU),
 * CC_EINVAL (gpu < 0). */
int cc_model_load_on(cc_model **out, const char *dir, const cc_model_opts *opts, int gpu);

/* Make the model's GPU (cc_model_load_on) the calling thread's current CUDA device: a
 * program that serves models on several GPUs calls it before engine work on a thread that
 * may have used another GPU. No-op on the CPU. Errors: CC_ECUDA. */
int cc_model_bind(const cc_model *m);

/* The model's description (pointers inside stay valid while the model lives). */
void cc_model_info_get(cc_model_info *out, const cc_model *m);

typedef struct {
	size_t max_tokens; /* KV capacity of the session in tokens, 0 = model max_pos */
	int block_tokens;  /* KV block size in tokens, 0 = 16 */
	int prefill_chunk; /* tokens per forward chunk, 0 = 256 (CPU) or 2048 (CUDA) */
	int obs_window;    /* W for observation statistics, 0 = 64, < 0 = never collected */
	/* cc_kv_dtype of the cache, used when kv_dtype_set (else backend's default: f32 on CPU,
	 * bf16 on CUDA) */
	int kv_dtype;
	int kv_dtype_set;
	/* KV pool size in tokens per layer, 0 = max_tokens. Forks share the pool: their new
	 * tokens and copy-on-write copies need room beyond one sequence's max_tokens */
	size_t pool_tokens;
	/* NULL: the session gets its own pool (above). Else the session lives in this shared
	 * pool (block_tokens, kv_dtype and pool_tokens are the pool's; max_tokens 0 = the
	 * pool's capacity): blocks that one session frees (compaction, free) serve the others,
	 * and sessions of one pool can decode in one batch (cc_batch_decode) */
	cc_engine_pool *pool;
	/* cc_kv_quant: 0 = none; KIVI or ROTATED store K and V at kv_bits bits in blocks of
	 * block_tokens (0 = 32) tokens with a residual window of block_tokens tokens in
	 * kv_dtype (kv/cc_kv.h). Own pool only (not with a shared pool: CC_EUNSUPPORTED). On
	 * CUDA: head_dim 32, 64 or 128 and at most 8 query heads per KV head (else
	 * CC_EUNSUPPORTED) */
	int kv_quant;
	int kv_bits; /* 8, 4 or 2 with kv_quant; 0 or 16 = not quantized */
} cc_session_opts;

/* Options of a shared KV pool (zeroed struct: defaults). */
typedef struct {
	size_t tokens;    /* capacity in tokens per layer (all sessions together), > 0 */
	int block_tokens; /* KV block size in tokens, 0 = 16 */
	int kv_dtype;     /* cc_kv_dtype, used when kv_dtype_set (else the backend's default) */
	int kv_dtype_set;
} cc_engine_pool_opts;

/* Create a KV pool of model m that many sessions share (cc_session_opts.pool): the memory a
 * session does not use (its context is short, or compaction freed it) is available to the
 * others, which is how compression becomes more sequences in flight. The pool is allocated
 * at once on the model's device (opts->tokens x n_layers slots). Errors: CC_EINVAL (tokens 0,
 * bad block size), CC_ENOMEM (host or device memory: the message gives the bytes),
 * CC_ECUDA. */
int cc_engine_pool_new(cc_engine_pool **out, cc_model *m, const cc_engine_pool_opts *opts);

/* Drop the caller's reference: the pool itself lives until its last session is freed.
 * NULL is a no-op. */
void cc_engine_pool_free(cc_engine_pool *p);

/* Accounting of a pool (the same numbers cc_session_cache_stats gives for any of its
 * sessions): blocks in use by all its sessions, exact bytes, capacity. */
void cc_engine_pool_stats(cc_kv_pool_stats *out, const cc_engine_pool *p);

/* Create a session over model m with its own KV pool (opts NULL = defaults): the pool holds
 * n_layers x ceil(max(pool_tokens, max_tokens) / block_tokens) blocks. Errors: CC_EINVAL,
 * CC_ENOMEM, CC_ECUDA. */
int cc_session_new(cc_session **out, cc_model *m, const cc_session_opts *opts);

/* A new session that shares s's cache copy-on-write (same pool, forked sequence); both
 * continue independently and may be freed in any order (the pool lives until the last
 * session using it is freed). Errors: CC_ENOMEM. */
int cc_session_fork(cc_session **out, cc_session *s);

/* Free a session (and its pool when it is the last user). NULL is a no-op. */
void cc_session_free(cc_session *s);

/* Forget every token (the cache becomes empty; positions restart at 0). */
void cc_session_reset(cc_session *s);

/* Append the n tokens ids[0..n) at the next positions, in chunks. When last_logits is not
 * NULL it receives the vocab logits after the last token. When the session's obs_window is
 * >= 0, observation statistics are collected for the last min(W, n) tokens of this call
 * (cc_session_obs). Errors: CC_EINVAL (n == 0, an id outside the vocabulary, naming it),
 * CC_ENOMEM ("kv cache full" when the session's capacity would be exceeded), CC_ECUDA. On
 * error the tokens of chunks already run stay in the cache. */
int cc_session_prefill(cc_session *s, const int32_t *ids, size_t n, float *last_logits);

/* Like prefill but writes the logits after every token: logits[i * vocab .. ] for token i
 * (n * vocab floats, the caller allocates). No observation statistics. */
int cc_session_forward_all(cc_session *s, const int32_t *ids, size_t n, float *logits);

/* Append one token; logits (vocab floats, may be NULL) receive the next-token logits. */
int cc_session_decode(cc_session *s, int32_t id, float *logits);

/* Append one token and choose the next greedily: *next = the index of the largest next-token
 * logit, the lowest on ties (cc_sampler_sample's greedy branch). On CUDA the choice is made
 * on the device and the logits stay there (copied to the host only if a later call needs
 * them: cc_session_logprobs, cc_session_fork), which saves a vocabulary of logits per token.
 * cc_session_generate uses it when its sampler is greedy. Errors as cc_session_decode, and
 * CC_EINVAL for a NaN logit. */
int cc_session_decode_greedy(cc_session *s, int32_t id, int32_t *next);

/* Batched decode (continuous batching): a cc_batch holds the scratch of steps that advance
 * many sessions of one model by one token each in one forward pass, so the weights are read
 * once per step for the whole batch. The caller picks the sessions of every step: sessions
 * join (after their own cc_session_prefill) and leave (finished, or paused for a prefill or
 * compaction) between steps; each keeps its own block table, context length and per-layer
 * kept lengths after compaction. One thread at a time per batch object (and per session).
 * Errors: CC_ENOMEM, CC_ECUDA. */
int cc_batch_new(cc_batch **out, cc_model *m);

/* Free a batch's scratch (its sessions are not touched). NULL is a no-op. */
void cc_batch_free(cc_batch *b);

/* Append token ids[i] to session ss[i] for i < n, in one forward pass; logits (n x vocab
 * floats) receive each session's next-token logits in row i, which is also what
 * cc_session_decode would have produced for that session alone (up to the batched matrix
 * products' rounding on CUDA), and each session keeps them as its last logits. logits NULL:
 * nothing leaves the device (benchmarks; teacher forcing where the next ids are known) and
 * the sessions have no last logits until their next call. Every session must be of b's model, appear once, and
 * live in the same KV pool (a shared cc_engine_pool, or forks of one session). All or
 * nothing for the cache: when the pool lacks the blocks for every session's token, or one
 * session is at its max_tokens, nothing is appended. Errors: CC_EINVAL (n == 0, a session of
 * another model or pool, a repeated session, an id outside the vocabulary: each naming the
 * row), CC_ENOMEM ("kv cache full", naming the session row or the blocks missing),
 * CC_ECUDA (the tokens then stay appended, as with cc_session_decode). */
int cc_batch_decode(cc_batch *b, cc_session *const *ss, const int32_t *ids, size_t n,
                    float *logits);

/* cc_batch_decode choosing each row's next token greedily: next[i] = the index of the largest
 * of row i's first n_choose logits (n_choose <= 0 or > vocab: all of them; fewer where a
 * tokenizer's vocabulary is smaller than the model's padded one), the lowest on ties
 * (cc_sampler_sample's greedy branch). On CUDA the choice is made on the device and no row of
 * logits leaves it (n x vocab floats a step otherwise); the sessions then have no last
 * logits until their next call. Errors as cc_batch_decode, and CC_EINVAL for a NaN logit
 * (naming the row) or next NULL. */
int cc_batch_decode_greedy(cc_batch *b, cc_session *const *ss, const int32_t *ids, size_t n,
                           int n_choose, int32_t *next);

/* Release the backend's per-session scratch (CUDA: activation buffers sized by the prefill
 * chunk, workspaces, the decode graph, the cuBLAS handle and its workspace; hundreds of MB
 * for a large model) until the session next runs alone (prefill, decode, ...), which
 * allocates it again. For sessions that only advance through a cc_batch (whose scratch is
 * shared), or sit idle: many sessions then fit. The cache is untouched. */
void cc_session_trim(cc_session *s);

/* Teacher forcing: append ids[0..n) and write logp[i] = log p(ids[i] | all tokens before
 * it) for each i; logp[0] is NAN when the session was empty before the call (no context).
 * When topk > 0, top_ids / top_logp (n * topk entries each, may be NULL together) receive
 * for each i the topk most likely next tokens after token i and their log-probabilities,
 * best first. Memory stays bounded by the chunk size. */
int cc_session_logprobs(cc_session *s, const int32_t *ids, size_t n, float *logp, int topk,
                        int32_t *top_ids, float *top_logp);

/* In place: x[0..n) = log_softmax(x), normalised in double; returns the argmax (the lowest
 * index on ties). For callers that score logits rows themselves (benchmarks, tools). */
int32_t cc_log_softmax(float *x, int n);

/* Sampling. temperature <= 0 means greedy (argmax, lowest id on ties); otherwise softmax of
 * logits / temperature restricted to the smallest set of most likely tokens whose mass
 * reaches top_p (top_p <= 0 or >= 1: all tokens), drawn with a generator seeded by seed
 * (same seed, same logits: same draws). */
typedef struct {
	float temperature;
	float top_p;
	uint64_t seed;
	uint64_t state[2]; /* generator state; cc_sampler_init fills it */
} cc_sampler;

void cc_sampler_init(cc_sampler *out, float temperature, float top_p, uint64_t seed);

/* Draw a token from `vocab` logits (not modified). Returns the id (>= 0) or a negative
 * cc_status (CC_EINVAL for vocab <= 0 or NaN logits; CC_ENOMEM). */
int32_t cc_sampler_sample(cc_sampler *smp, const float *logits, int vocab);

/* Prefill the prompt, then decode up to max_new tokens drawn by smp, stopping after a token
 * equal to stop_id (stop_id < 0: never). out (max_new entries) receives the generated ids,
 * *n_out their count. Errors as prefill/decode. */
int cc_session_generate(cc_session *s, const int32_t *prompt, size_t n_prompt, size_t max_new,
                        cc_sampler *smp, int32_t stop_id, int32_t *out, size_t *n_out);

/* Observation-window statistics of the last prefill call: for (layer, kv_head), scores[j] is
 * the attention probability mass that the window's queries (the last min(W, n) tokens of
 * that call, every query head of the KV head's GQA group) gave to the key in slot j, summed;
 * *n is the number of slots of that (layer, kv_head) at the end of the prefill,
 * positions[j] their original positions. Pointers stay valid until the next call that changes the session.
 * Errors: CC_ENOTFOUND when no statistics were collected, CC_EINVAL for a bad layer/head. */
int cc_session_obs(const cc_session *s, int layer, int kv_head, const float **scores,
                   const int32_t **positions, size_t *n);

/* Set the observation window of later prefills (as cc_session_opts.obs_window: 0 = 64, < 0 =
 * none); a fork has its own. Invalidates the current statistics. Errors: CC_EINVAL. */
int cc_session_set_obs_window(cc_session *s, int w);

/* Query statistics of the same window as cc_session_obs (Expected Attention's input): for
 * (layer, query head), sum[0..head_dim) is the sum of the window's queries before RoPE and
 * outer[0..head_dim^2) the sum of their outer products (row-major), over *n queries (the
 * window). Pointers stay valid until the next call that changes the session. Errors:
 * CC_EUNSUPPORTED (a CUDA session: only the CPU engine collects them), CC_ENOTFOUND (no
 * statistics, as cc_session_obs), CC_EINVAL (bad layer or head). */
int cc_session_query_stats(const cc_session *s, int layer, int head, const float **sum,
                           const float **outer, size_t *n);

/* The model's RoPE inverse frequencies (head_dim / 2 floats into out, the caller allocates):
 * dimension pair (i, i + head_dim / 2) of a query or key at position p is rotated by the
 * angle p x out[i] (rope scaling included). */
void cc_model_rope_inv_freq(const cc_model *m, float *out);

/* The model a session runs (the session does not own it). */
const cc_model *cc_session_model(const cc_session *s);

/* The window used by the last statistics (number of queries summed). */
size_t cc_session_obs_window(const cc_session *s);

/* Keep in `layer` only, for each KV head h, the slots keep[h * n_keep + i] (see
 * cc_kv_seq_compact): the dropped tokens' memory returns to the pool. Observation statistics
 * are invalidated. Errors as cc_kv_seq_compact. */
int cc_session_compact(cc_session *s, int layer, const int32_t *keep, size_t n_keep);

/* Keep in `layer` a different number of slots per KV head, n_keep[h] for head h (Ada-KV's
 * head budgets; see cc_kv_seq_compact_heads for the layout of keep): the layer becomes ragged
 * and the blocks its heads no longer need return to the pool. Later prefills and decodes
 * attend over each head's own slots (CPU and CUDA backends). Observation statistics are
 * invalidated. Errors as cc_kv_seq_compact_heads (CC_EUNSUPPORTED for different counts on a
 * quantized pool), and CC_EUNSUPPORTED on a session of another backend, whatever the counts
 * (the message names the adakv policy and --device cpu). */
int cc_session_compact_heads(cc_session *s, int layer, const int32_t *keep,
                             const size_t *n_keep);

typedef struct {
	int32_t next_pos; /* position the next token gets */
	/* tokens kept, summed over layers (divide by n_layers for mean; a ragged layer counts
	 * its heads' mean, rounded down) */
	size_t kept_tokens;
	size_t blocks_used;    /* blocks of the session's pool in use (all its sessions) */
	size_t bytes_used;     /* exact: blocks_used * block_bytes */
	size_t bytes_capacity; /* pool size in bytes */
	size_t block_bytes;
	size_t seq_blocks; /* blocks this session references */
	size_t seq_bytes;  /* their bytes (quantized blocks at their size, scales included) */
} cc_cache_stats;

void cc_session_cache_stats(cc_cache_stats *out, const cc_session *s);

/* The session's KV sequence and pool (read-only use: positions, block tables). */
const cc_kv_seq *cc_session_kv(const cc_session *s);
const cc_kv_pool *cc_session_pool(const cc_session *s);

/* What s keeps of positions 0 .. n_pos-1, for reports (codecomp viz): *out (malloc'd, the
 * caller frees) is n_layers * n_kv_heads * n_pos bytes, out[(l * n_kv_heads + h) * n_pos + p]
 * = 1 when position p is in layer l, KV head h. Errors: CC_ENOMEM. */
int cc_session_kept_marks(uint8_t **out, const cc_session *s, size_t n_pos);

/* The cc_device the model runs on. */
int cc_model_device(const cc_model *m);

/* Device memory a caller keeps data in (repocache/'s device tier): bytes on m's GPU, filled
 * from host src. Its addresses (cc_devbuf_at) may be passed as k and v to
 * cc_session_kv_append / _append_rot of a CUDA session of the same model: rows are then
 * copied on the device. Free it before the model. Errors: CC_EINVAL, CC_EUNSUPPORTED (a CPU
 * model), CC_ENOMEM (the device has no room), CC_ECUDA. */
typedef struct cc_devbuf cc_devbuf;
int cc_devbuf_new(cc_devbuf **out, const cc_model *m, const void *src, size_t bytes);
/* Release the memory (any thread). NULL is a no-op. */
void cc_devbuf_free(cc_devbuf *b);
/* The device address off bytes into b (not dereferenceable on the host), its size, its model. */
const void *cc_devbuf_at(const cc_devbuf *b, size_t off);
size_t cc_devbuf_bytes(const cc_devbuf *b);
const cc_model *cc_devbuf_model(const cc_devbuf *b);

/* KV rows in and out (engine/kv_io.c), for caches assembled from separately computed pieces
 * (repocache/). Quantized caches: export is refused (CC_EUNSUPPORTED); appends on the CPU
 * engine take full-precision rows, written and sealed in pieces of at most prefill_chunk rows
 * as a forward pass leaves them (so an error may leave earlier pieces appended); appends to
 * quantized caches of other engines are refused (CC_EUNSUPPORTED). Rows are in the pool's
 * element type, head_dim elements each; keys as stored (after RoPE at their position).
 * CUDA sessions go through the backend (rows copied in batches to and from the device).
 * On a CUDA session k and v of an append may also be device addresses (cc_devbuf_at).
 * Export copies layer `layer` of s: for kv_head h and kept slot j < cc_kv_seq_len(),
 * pos[h * len + j] (may be NULL), k[(h * len + j) * head_dim ..], v likewise (k or v may be
 * NULL: that half is not copied); the caller allocates. Errors: CC_EINVAL (bad layer), CC_EUNSUPPORTED (also for a ragged layer). */
int cc_session_kv_export(const cc_session *s, int layer, int32_t *pos, void *k, void *v);

/* Append n rows per KV head to layer `layer` of s with positions pos[h * n + j] (laid out as
 * export writes them), copying k and v. Observation statistics and last logits are dropped.
 * Errors: CC_EINVAL (bad layer, no rows, bad positions), CC_ENOMEM ("kv cache full": the
 * session's max_tokens or the pool), CC_EUNSUPPORTED; on error nothing changed. */
int cc_session_kv_append(cc_session *s, int layer, size_t n, const int32_t *pos, const void *k,
                         const void *v);

/* cc_session_kv_append, then the appended keys rotated by `delta` positions (RoPE is a
 * rotation: keys stored after RoPE at position p become keys at p + delta) with the model's
 * RoPE frequencies (scaled ones included): per pair (i, i + head_dim / 2) the angle
 * delta * inv_freq[i] (f32), its cosf and sinf, x' = x cos - y sin, y' = y cos + x sin in f32,
 * rounded to nearest even into a bf16 pool (the CPU reference of the CUDA backend's kernel,
 * which gives the same bits). Pools of f32 or bf16 rows; CUDA sessions too (rows copied and
 * rotated on the device); quantized ones as cc_session_kv_append. Errors as
 * cc_session_kv_append; a device error (CC_ECUDA) leaves the appended slots' rows undefined. */
int cc_session_kv_append_rot(cc_session *s, int layer, size_t n, const int32_t *pos,
                             const void *k, const void *v, int32_t delta);

#ifdef __cplusplus
}
#endif
#endif
