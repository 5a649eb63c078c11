/*
 * engine_int.h - engine internals shared by the model loader, the engine core and the
 * backends (CPU reference in engine/cpu_backend.c, CUDA in the engine files named after cuda): the model
 * configuration, the weights layout (tensors pointing into the memory-mapped safetensors), the
 * model and session objects, and the backend vtable.
 *
 * Division of labour: the core (engine.c) owns the KV bookkeeping. For each chunk it appends
 * the chunk's tokens to the session's kv sequence (cc_kv_seq_append: slots and original
 * positions recorded for every layer), then calls backend->forward, which must, per layer:
 * compute q/k/v of the chunk, apply RoPE at pos[i], write the rotated K and V rows into the
 * slots [first_slot[l], first_slot[l] + n) of that layer (cc_kv_slot_offset over the pool's
 * storage), attend every query i over all kept slots j of its KV head whose position
 * satisfies kpos[j] <= pos[i] (causal by original position; after compaction slots are
 * still in increasing position order), and finish with the final norm and lm_head for the
 * rows requested. Not for external use.
 */
#ifndef CC_ENGINE_INT_H
#define CC_ENGINE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cc_engine.h"
#include "cc_kv.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
	CC_ARCH_LLAMA = 1,
	CC_ARCH_QWEN2 = 2
};

/* Parsed config.json. */
typedef struct {
	int arch; /* CC_ARCH_* */
	char arch_name[64];
	int n_layers, hidden, n_heads, n_kv_heads, head_dim, intermediate, vocab, max_pos;
	double rope_theta, rms_eps;
	int tied;     /* tie_word_embeddings */
	int qkv_bias; /* Qwen2: always; Llama: attention_bias */
	int o_bias;   /* Llama attention_bias also biases o_proj */
	int mlp_bias; /* Llama mlp_bias */
	int32_t bos_id, eos_id;
	/* RoPE frequency scaling: CC_ROPE_DEFAULT, or CC_ROPE_LLAMA3 with its parameters */
	int rope_type;
	double rope_factor, rope_low_freq, rope_high_freq;
	int rope_orig_max;
} cc_model_config;

enum {
	CC_ROPE_DEFAULT = 0,
	CC_ROPE_LLAMA3 = 1
};

/* The RoPE inverse frequencies of config c into out[head_dim / 2], in float32 as
 * transformers computes them: 1 / theta^(2i / d), then for "llama3" scaling
 * (rope_scaling.rope_type) wavelengths over original_max_position_embeddings /
 * low_freq_factor divided by factor, those under .. / high_freq_factor kept, and the band
 * between interpolated smoothly. */
void cc_rope_inv_freq(const cc_model_config *c, float *out);

/* Parse config.json text (len bytes, need not be NUL-terminated). Errors: CC_EPARSE (not
 * JSON / not an object), CC_EUNSUPPORTED (architecture, hidden_act, rope type), CC_EINVAL (a
 * missing or out-of-range field, naming it). `what` names the file in messages. */
int cc_model_config_parse(cc_model_config *out, const char *text, size_t len, const char *what);

/* A tensor inside a mapped file (or a backend-owned buffer). Row-major, HF layout: a Linear
 * weight is [out_features, in_features]. */
typedef struct {
	const void *data; /* NULL when absent (optional bias) */
	int dtype;        /* cc_kv_dtype: CC_KV_F32 / CC_KV_F16 / CC_KV_BF16 */
	int ndim;
	int64_t shape[2];
	size_t nbytes;
	char name[96];
} cc_tensor;

typedef struct {
	cc_tensor attn_norm;            /* input_layernorm [hidden] */
	cc_tensor wq, wk, wv, wo;       /* [n_heads*hd, hidden], [n_kv*hd, hidden] x2, [hidden, n_heads*hd] */
	cc_tensor bq, bk, bv, bo;       /* biases (data NULL when absent) */
	cc_tensor ffn_norm;             /* post_attention_layernorm [hidden] */
	cc_tensor w_gate, w_up, w_down; /* [inter, hidden] x2, [hidden, inter] */
	cc_tensor b_gate, b_up, b_down; /* mlp_bias (data NULL when absent) */
} cc_layer_weights;

typedef struct {
	cc_tensor embed;          /* [vocab, hidden] */
	cc_tensor norm;           /* final norm [hidden] */
	cc_tensor lm_head;        /* [vocab, hidden]; same data as embed when tied */
	cc_layer_weights *layers; /* n_layers */
} cc_model_weights;

typedef struct cc_backend_ops cc_backend_ops;
typedef struct cc_mapped_file cc_mapped_file;

struct cc_model {
	cc_model_config cfg;
	cc_model_weights w;
	cc_model_info info;
	cc_mapped_file **files; /* the mapped safetensors */
	size_t n_files;
	int device;
	int n_threads;
	int gpu; /* CUDA device number */
	const cc_backend_ops *backend;
	void *backend_state; /* the backend's per-model data (converted weights, handles) */
};

/* Observation statistics request for one forward call: queries i >= q_from of this chunk
 * add their attention probabilities into acc[l * n_kv_heads + h][j] for every kept slot j of
 * that layer (acc arrays are host memory sized for the layer's length after the append). */
typedef struct {
	size_t q_from;
	float **acc;
	/* NULL, or per (layer, query head) qstat[l * n_heads + h]: head_dim sums of the
	 * queries' pre-RoPE vectors, then head_dim x head_dim sums of their outer products, for
	 * the same queries (cc_session_query_stats; the CPU backend fills it) */
	float **qstat;
} cc_obs_req;

/* Shared pool of sessions (a fork shares it; cc_engine_pool is the public handle of one made
 * for many sessions). refs counts the sessions using it plus the handle until
 * cc_engine_pool_free. */
struct cc_engine_pool {
	cc_kv_pool *pool;
	int refs;
	void *backend_state; /* backend's per-pool data (e.g. device storage context) */
	const cc_model *model;
	size_t tokens; /* capacity in tokens per layer */
};
typedef struct cc_engine_pool cc_pool_ref;

/* Scratch of batched decode steps (cc_batch_new). */
struct cc_batch {
	cc_model *model;
	void *backend_state;
	int32_t *pos, *slot; /* per row, and [row][layer] */
	float *logits;       /* rows x vocab */
	size_t cap;          /* rows the host arrays hold */
};

struct cc_session {
	cc_model *model;
	cc_pool_ref *pref;
	cc_kv_seq *seq;
	cc_session_opts opts; /* with defaults filled in */
	void *backend_state;  /* backend's per-session scratch */
	/* observation statistics of the last prefill */
	float **obs; /* n_layers * n_kv_heads arrays, or NULL */
	size_t obs_len_cap;
	size_t obs_window;
	int obs_valid;
	/* query statistics of the same window (cc_obs_req.qstat), CPU backend only; valid with
	 * obs_valid */
	float **qstat;
	/* logits after the last token appended (vocab floats), valid when have_last is 1; 2: kept
	 * by the backend (cc_session_decode_greedy), copied into last on first use (last_on_host) */
	float *last;
	int have_last;
};

/* Rows of logits a forward call must produce. */
enum {
	CC_LOGITS_NONE = 0,
	CC_LOGITS_LAST = 1,
	CC_LOGITS_ALL = 2,
	/* the last token's row, kept by the backend (not copied to the host): last_argmax /
	 * last_logits read it (backends that have both ops only) */
	CC_LOGITS_KEEP = 3
};

struct cc_backend_ops {
	const char *name;
	/* Prepare the model for this backend (convert or upload weights); may set
	 * m->backend_state. */
	int (*model_init)(cc_model *m);
	void (*model_free)(cc_model *m);
	/* The storage provider for KV pools of this backend, its ctx, and the default cache
	 * dtype. */
	int (*kv_storage)(cc_model *m, const cc_kv_storage **storage, void **ctx, int *default_dtype);
	/* Per-session scratch (may set s->backend_state); session_free releases it. */
	int (*session_init)(cc_session *s);
	void (*session_free)(cc_session *s);
	/* Run n tokens ids[0..n) at positions pos[0..n) whose KV slots were just appended at
	 * first_slot[l] in every layer l. logits (host memory): logits_mode rows of vocab floats
	 * (ALL: n rows, LAST: 1 row for token n-1, NONE: untouched, may be NULL). obs: NULL or the
	 * statistics request. Returns cc_status. */
	int (*forward)(cc_session *s, const int32_t *ids, size_t n, const int32_t *pos,
	               const int32_t *first_slot, int logits_mode, float *logits,
	               const cc_obs_req *obs);
	/* Batched decode scratch (may set b->backend_state) and its release. */
	int (*batch_init)(cc_batch *b);
	void (*batch_free)(cc_batch *b);
	/* One token for each of n sessions ss[0..n) (distinct, same model, one KV pool): row i
	 * is token ids[i] of ss[i] at position pos[i], whose K/V rows go to slot
	 * slot[i * n_layers + l] of layer l (just appended; the row attends to every kept slot
	 * of its own session up to and including that one). logits: n rows of vocab floats
	 * (host), or NULL: computed but not copied out. */
	int (*forward_batch)(cc_batch *b, cc_session *const *ss, size_t n, const int32_t *ids,
	                     const int32_t *pos, const int32_t *slot, float *logits);
	/* Release the session's scratch until its next forward (may be NULL: nothing to do). */
	void (*session_trim)(cc_session *s);
	/* Make the model's device current for the calling thread (may be NULL). */
	int (*bind)(const cc_model *m);
	/* KV rows of a pool the host cannot address (NULL: engine/kv_io.c copies through the
	 * pool's base). kv_read copies n rows of row_bytes from byte offsets off[0..n) of the
	 * session's pool into host dst, one after another; kv_write copies host src into them,
	 * then, when cs_sn is not NULL, rotates those rows (keys, head_dim elements) by the
	 * angles whose (cos, sin) are cs_sn[2i], cs_sn[2i + 1] (i < head_dim / 2, rotate-half
	 * pairs i and i + head_dim / 2, in f32, rounded to the pool's type), as
	 * cc_session_kv_append_rot's host path does. */
	int (*kv_read)(const cc_session *s, const size_t *off, size_t n, size_t row_bytes,
	               void *dst);
	int (*kv_write)(cc_session *s, const size_t *off, size_t n, size_t row_bytes,
	                const void *src, const float *cs_sn);
	/* Device memory for data kept there by callers (cc_devbuf; NULL: the backend has none).
	 * buf_new allocates bytes on m's device and copies host src into it; buf_free releases
	 * it (any thread; the calling thread's current device is restored). src of kv_write may
	 * then be such memory. */
	int (*buf_new)(const cc_model *m, void **out, const void *src, size_t bytes);
	void (*buf_free)(const cc_model *m, void *p);
	/* After a forward with CC_LOGITS_KEEP (NULL both: the backend has no such mode):
	 * last_argmax writes the index of the row's largest logit (the lowest on ties; CC_EINVAL
	 * for a NaN logit), last_logits copies the row (vocab floats) into host dst. Valid until
	 * the session's next forward or trim. */
	int (*last_argmax)(cc_session *s, int32_t *out);
	int (*last_logits)(cc_session *s, float *dst);
	/* After forward_batch with logits NULL (NULL: the backend has none, the host chooses):
	 * out[i] = the index of the largest of row i's first n_choose logits (the lowest on ties;
	 * CC_EINVAL naming the row for a NaN logit), for i < n. */
	int (*batch_argmax)(cc_batch *b, size_t n, int n_choose, int32_t *out);
};

/* The backends. cc_backend_cuda() is defined by the CUDA backend (engine/engine_cuda.c, only
 * in a CUDA build): linked into GPU tests and benchmarks (object library cc_engine_cuda), and
 * built as the module codecomp-cuda.so that other programs load on demand. */
const cc_backend_ops *cc_backend_cpu(void);
const cc_backend_ops *cc_backend_cuda(void);

/* The CUDA backend: the linked-in one, else the module loaded with dlopen (backend_load.c).
 * NULL with the reason in cc_error_last() (CC_EUNSUPPORTED) when there is none. */
const cc_backend_ops *cc_backend_cuda_get(void);

/* Element conversion helpers shared by the backends. */
static inline float cc_bf16_to_f32(uint16_t h)
{
	union {
		uint32_t u;
		float f;
	} v;
	v.u = (uint32_t)h << 16;
	return v.f;
}
float cc_f16_to_f32(uint16_t h);
uint16_t cc_f32_to_bf16(float f); /* round to nearest even */
uint16_t cc_f32_to_f16(float f);

/* Convert `n` elements of tensor data of dtype `dtype` to f32. */
void cc_tensor_to_f32(float *dst, const void *src, int dtype, size_t n);

#ifdef __cplusplus
}
#endif
#endif
