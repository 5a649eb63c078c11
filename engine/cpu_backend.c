/*
 * cpu_backend.c - the CPU reference backend: f32 arithmetic (bf16 weight matrices read in
 * place from the mapped checkpoint and widened exactly, other dtypes converted once), a small
 * persistent thread pool, and a forward pass written to be read next to the Hugging Face
 * Llama/Qwen2 code: RMSNorm, q/k/v projections (+bias), rotate-half RoPE at the tokens'
 * positions, K/V written into the paged cache, causal attention over the cache by original
 * position (with observation-window statistics), o projection, SwiGLU MLP, final norm,
 * lm_head. Matrix products reuse each weight row for 4 tokens, with 8-wide accumulators.
 */
#include "cc_common.h"
#include "engine_int.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- thread pool ---- */

/* Workers spin briefly on the generation counter before sleeping on the condition variable:
 * a decode step runs ~60 small parallel sections, and a futex wake-up for each would cost
 * more than the work. The spin is short (tens of microseconds) so an oversubscribed machine
 * (CI running tests in parallel) loses little. The caller runs tasks too, then spins briefly
 * and sleeps until the last worker signals. */
#define SPIN_ITERS 2000

typedef void (*task_fn)(void *ctx, int task, int tid);

typedef struct {
	pthread_t *th;
	int n_workers; /* threads besides the caller */
	pthread_mutex_t mu;
	pthread_cond_t cv_go, cv_done;
	task_fn fn;
	void *ctx;
	int n_tasks;
	atomic_int next;
	/* generation << 16 | number of workers taking part (one word: a worker must never pair
	 * one run's generation with another run's participant count) */
	atomic_uint_fast64_t ctl;
	atomic_int active;
	atomic_int stop;
} tpool;

typedef struct {
	tpool *p;
	int tid;
} worker_arg;

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static void tpool_drain(tpool *p, int tid)
{
	for (;;) {
		int t = atomic_fetch_add(&p->next, 1);
		if (t >= p->n_tasks)
			break;
		p->fn(p->ctx, t, tid);
	}
}

static void *worker_main(void *arg)
{
	worker_arg *wa = arg;
	tpool *p = wa->p;
	int tid = wa->tid;
	uint64_t gen = 0;
	free(wa);
	for (;;) {
		int spins = 0;
		while ((atomic_load(&p->ctl) >> 16) == gen && !atomic_load(&p->stop) &&
		       spins < SPIN_ITERS) {
			cpu_relax();
			spins++;
		}
		if ((atomic_load(&p->ctl) >> 16) == gen && !atomic_load(&p->stop)) {
			pthread_mutex_lock(&p->mu);
			while ((atomic_load(&p->ctl) >> 16) == gen && !atomic_load(&p->stop))
				pthread_cond_wait(&p->cv_go, &p->mu);
			pthread_mutex_unlock(&p->mu);
		}
		if (atomic_load(&p->stop))
			return NULL;
		uint64_t ctl = atomic_load(&p->ctl);
		gen = ctl >> 16;
		if (tid > (int)(ctl & 0xffff))
			continue; /* not needed for this run */
		tpool_drain(p, tid);
		if (atomic_fetch_sub(&p->active, 1) == 1) {
			pthread_mutex_lock(&p->mu);
			pthread_cond_signal(&p->cv_done);
			pthread_mutex_unlock(&p->mu);
		}
	}
}

static int tpool_init(tpool *p, int n_threads)
{
	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv_go, NULL);
	pthread_cond_init(&p->cv_done, NULL);
	if (n_threads <= 1)
		return CC_OK;
	p->th = calloc((size_t)n_threads - 1, sizeof(pthread_t));
	if (!p->th)
		return cc_error_set(CC_ENOMEM, "out of memory");
	for (int i = 0; i < n_threads - 1; i++) {
		worker_arg *wa = malloc(sizeof(*wa));
		if (!wa)
			return cc_error_set(CC_ENOMEM, "out of memory");
		wa->p = p;
		wa->tid = i + 1;
		if (pthread_create(&p->th[i], NULL, worker_main, wa) != 0) {
			free(wa);
			return cc_error_set(CC_ERR, "cannot start CPU worker thread");
		}
		p->n_workers++;
	}
	return CC_OK;
}

static void tpool_destroy(tpool *p)
{
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->stop, 1);
	pthread_cond_broadcast(&p->cv_go);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->n_workers; i++)
		pthread_join(p->th[i], NULL);
	free(p->th);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv_go);
	pthread_cond_destroy(&p->cv_done);
}

/* Run fn(ctx, t, tid) for t in [0, n_tasks) on the caller and at most max_threads - 1
 * workers (0 = all); returns when all ran. Small sections use few threads: waking all of
 * them costs more than the work. */
static void tpool_run(tpool *p, task_fn fn, void *ctx, int n_tasks, int max_threads)
{
	int part = p->n_workers;
	if (max_threads > 0 && max_threads - 1 < part)
		part = max_threads - 1;
	if (part > n_tasks - 1)
		part = n_tasks - 1;
	if (n_tasks <= 0)
		return;
	if (part <= 0) {
		for (int t = 0; t < n_tasks; t++)
			fn(ctx, t, 0);
		return;
	}
	p->fn = fn;
	p->ctx = ctx;
	p->n_tasks = n_tasks;
	atomic_store(&p->next, 0);
	atomic_store(&p->active, part);
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->ctl, (((atomic_load(&p->ctl) >> 16) + 1) << 16) | (uint64_t)part);
	pthread_cond_broadcast(&p->cv_go);
	pthread_mutex_unlock(&p->mu);
	tpool_drain(p, 0);
	for (int spins = 0; atomic_load(&p->active) > 0 && spins < SPIN_ITERS; spins++)
		cpu_relax();
	if (atomic_load(&p->active) > 0) {
		pthread_mutex_lock(&p->mu);
		while (atomic_load(&p->active) > 0)
			pthread_cond_wait(&p->cv_done, &p->mu);
		pthread_mutex_unlock(&p->mu);
	}
}

/* ---- model ---- */

/* A weight matrix: bf16 checkpoints are used in place from the mapped file (bf16 -> f32 is
 * exact, so the arithmetic is the same f32 as after a conversion, with half the memory
 * traffic); other dtypes are converted to f32 once. Exactly one pointer is set. */
typedef struct {
	const float *f;
	const uint16_t *bf;
} cpu_mat;

typedef struct {
	float *attn_norm, *bq, *bk, *bv, *bo;
	float *ffn_norm, *bg, *bu, *bd;
	cpu_mat wq, wk, wv, wo, wg, wu, wd;
} cpu_layer;

typedef struct {
	cpu_layer *L;
	float *norm;
	cpu_mat embed, lm_head;
	float *inv_freq; /* head_dim / 2 */
	float **owned;
	size_t n_owned;
	int n_threads;
	tpool pool;
	pthread_mutex_t run_mu;        /* one forward at a time on the shared pool */
	int counting;                  /* to_f32/to_mat only add up need_copy, need_mapped */
	size_t need_copy, need_mapped; /* bytes of f32 copies, of bf16 weights used in place */
} cpu_model;

static int to_f32(cpu_model *cm, float **out, const cc_tensor *t)
{
	size_t n;
	*out = NULL;
	if (!t->data)
		return CC_OK;
	n = (size_t)t->shape[0] * (size_t)(t->ndim == 2 ? t->shape[1] : 1);
	if (cm->counting) {
		cm->need_copy += n * sizeof(float);
		return CC_OK;
	}
	*out = malloc(n * sizeof(float));
	if (!*out)
		return cc_error_set(CC_ENOMEM, "cpu backend: out of memory for tensor '%s'", t->name);
	cc_tensor_to_f32(*out, t->data, t->dtype, n);
	cm->owned[cm->n_owned++] = *out;
	return CC_OK;
}

static int to_mat(cpu_model *cm, cpu_mat *out, const cc_tensor *t)
{
	out->f = NULL;
	out->bf = NULL;
	if (t->dtype == CC_KV_BF16 && ((uintptr_t)t->data & 1) == 0) {
		if (cm->counting)
			cm->need_mapped += (size_t)t->shape[0] * (size_t)(t->ndim == 2 ? t->shape[1] : 1) * 2;
		else
			out->bf = t->data;
		return CC_OK;
	}
	float *f;
	int rc = to_f32(cm, &f, t);
	out->f = f;
	return rc;
}

static void cpu_model_free(cc_model *m)
{
	cpu_model *cm = m->backend_state;
	if (!cm)
		return;
	tpool_destroy(&cm->pool);
	pthread_mutex_destroy(&cm->run_mu);
	for (size_t i = 0; i < cm->n_owned; i++)
		free(cm->owned[i]);
	free(cm->owned);
	free(cm->L);
	free(cm->inv_freq);
	free(cm);
	m->backend_state = NULL;
}

/* Each weight as the forward pass reads it: bf16 matrices in place in the mapped files, the
 * rest converted to f32 (cm->counting: only add up the bytes each way). */
static int bind_weights(cpu_model *cm, cc_model *m)
{
	const cc_model_config *c = &m->cfg;
	int rc;
	if ((rc = to_mat(cm, &cm->embed, &m->w.embed)) || (rc = to_f32(cm, &cm->norm, &m->w.norm)))
		return rc;
	if (c->tied)
		cm->lm_head = cm->embed;
	else if ((rc = to_mat(cm, &cm->lm_head, &m->w.lm_head)))
		return rc;
	for (int l = 0; l < c->n_layers; l++) {
		const cc_layer_weights *W = &m->w.layers[l];
		cpu_layer *L = &cm->L[l];
		if ((rc = to_f32(cm, &L->attn_norm, &W->attn_norm)) || (rc = to_mat(cm, &L->wq, &W->wq)) ||
		    (rc = to_mat(cm, &L->wk, &W->wk)) || (rc = to_mat(cm, &L->wv, &W->wv)) ||
		    (rc = to_mat(cm, &L->wo, &W->wo)) || (rc = to_f32(cm, &L->bq, &W->bq)) ||
		    (rc = to_f32(cm, &L->bk, &W->bk)) || (rc = to_f32(cm, &L->bv, &W->bv)) ||
		    (rc = to_f32(cm, &L->bo, &W->bo)) || (rc = to_f32(cm, &L->ffn_norm, &W->ffn_norm)) ||
		    (rc = to_mat(cm, &L->wg, &W->w_gate)) || (rc = to_mat(cm, &L->wu, &W->w_up)) ||
		    (rc = to_mat(cm, &L->wd, &W->w_down)) || (rc = to_f32(cm, &L->bg, &W->b_gate)) ||
		    (rc = to_f32(cm, &L->bu, &W->b_up)) || (rc = to_f32(cm, &L->bd, &W->b_down)))
			return rc;
	}
	return CC_OK;
}

/* The number after `key` on the first line of a /proc or /sys file that starts with it (key
 * "" = the first line); 0 when absent or not a number ("max"). Read with stdio: such files
 * have no size to read by. */
static unsigned long long proc_number(const char *path, const char *key)
{
	char line[256];
	unsigned long long v = 0;
	size_t kl = strlen(key);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl)) {
			v = strtoull(line + kl, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* Bytes of memory: *total physical (or the cgroup's limit, when lower), *avail what can be
 * had without swapping (MemAvailable). 0 when unknown. */
static void host_memory(size_t *total, size_t *avail)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	unsigned long long lim = proc_number("/sys/fs/cgroup/memory.max", "");
	*total = pages > 0 && psz > 0 ? (size_t)pages * (size_t)psz : 0;
	if (lim && (!*total || lim < *total))
		*total = (size_t)lim;
	*avail = (size_t)proc_number("/proc/meminfo", "MemAvailable:") * 1024;
	if (lim) {
		unsigned long long used = proc_number("/sys/fs/cgroup/memory.current", "");
		if (used < lim && (!*avail || lim - used < *avail))
			*avail = (size_t)(lim - used);
	}
	if (*total && (!*avail || *avail > *total))
		*avail = *total;
}

/* A model larger than the machine: say so before converting (malloc on Linux overcommits,
 * so the process would be killed while touching the copies instead of told). f32 copies
 * must fit in the memory available now; those and the bf16 weights read in place from the
 * mapped files must fit in the machine (else every forward pass reads them from disk). */
static int memory_check(const cpu_model *cm)
{
	size_t total, avail;
	host_memory(&total, &avail);
	if (!total)
		return CC_OK;
	if (cm->need_copy > avail || cm->need_copy + cm->need_mapped > total)
		return cc_error_set(CC_ENOMEM,
		                    "cpu backend: the model's weights need %.2f GiB of memory (%.2f GiB "
		                    "converted to f32, %.2f GiB of bf16 read in place), %.2f GiB of "
		                    "%.2f GiB are available",
		                    (cm->need_copy + cm->need_mapped) / 1073741824.0,
		                    cm->need_copy / 1073741824.0, cm->need_mapped / 1073741824.0,
		                    avail / 1073741824.0, total / 1073741824.0);
	return CC_OK;
}

static int cpu_model_init(cc_model *m)
{
	const cc_model_config *c = &m->cfg;
	cpu_model *cm = calloc(1, sizeof(*cm));
	int rc;
	if (!cm)
		return cc_error_set(CC_ENOMEM, "out of memory");
	m->backend_state = cm;
	pthread_mutex_init(&cm->run_mu, NULL);
	cm->L = calloc((size_t)c->n_layers, sizeof(*cm->L));
	cm->owned = calloc(3 + 16 * (size_t)c->n_layers, sizeof(float *));
	cm->inv_freq = malloc((size_t)c->head_dim / 2 * sizeof(float));
	if (!cm->L || !cm->owned || !cm->inv_freq) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail;
	}
	/* As transformers computes it, in float32: 1 / theta^(2i / d), llama3-scaled. */
	cc_rope_inv_freq(c, cm->inv_freq);
	/* once counting what the weights need, then binding them */
	cm->counting = 1;
	if ((rc = bind_weights(cm, m)) || (rc = memory_check(cm)))
		goto fail;
	cm->counting = 0;
	if ((rc = bind_weights(cm, m)))
		goto fail;
	cm->n_threads = m->n_threads;
	if ((rc = tpool_init(&cm->pool, cm->n_threads)))
		goto fail;
	return CC_OK;
fail:
	cpu_model_free(m);
	return rc;
}

static int cpu_kv_storage(cc_model *m, const cc_kv_storage **storage, void **ctx, int *dtype)
{
	(void)m;
	*storage = cc_kv_storage_host();
	*ctx = NULL;
	*dtype = CC_KV_F32;
	return CC_OK;
}

/* ---- session scratch ---- */

typedef struct {
	int cap; /* tokens per forward */
	float *x, *xn, *q, *k, *v, *att, *g, *u;
	float *scores;  /* n_threads rows of max_len */
	float *deq;     /* quantized caches: one layer dequantized (deq_layer) */
	size_t deq_cap; /* floats */
	/* n_threads rows of 4 * head_dim: K, V rows of 16-bit or quantized caches, the rotated
	 * query and output of rotated ones */
	float *kvrow;
	size_t max_len;
} cpu_sess;

/* The scratch of a session or of a batch (both are a cpu_sess). */
static void cpu_sess_free(cpu_sess *cs)
{
	if (!cs)
		return;
	free(cs->x);
	free(cs->xn);
	free(cs->q);
	free(cs->k);
	free(cs->v);
	free(cs->att);
	free(cs->g);
	free(cs->u);
	free(cs->scores);
	free(cs->kvrow);
	free(cs->deq);
	free(cs);
}

static void cpu_session_free(cc_session *s)
{
	cpu_sess_free(s->backend_state);
	s->backend_state = NULL;
}

static int cpu_session_init(cc_session *s)
{
	const cc_model_config *c = &s->model->cfg;
	cpu_model *cm = s->model->backend_state;
	cpu_sess *cs = calloc(1, sizeof(*cs));
	size_t n, Q = (size_t)c->n_heads * c->head_dim, KV = (size_t)c->n_kv_heads * c->head_dim;
	if (!cs)
		return cc_error_set(CC_ENOMEM, "out of memory");
	s->backend_state = cs;
	n = (size_t)s->opts.prefill_chunk;
	cs->cap = s->opts.prefill_chunk;
	/* scores grow with the longest layer a forward meets (cpu_scores_reserve): a session in
	 * a large shared pool does not pay for the whole pool up front */
	cs->max_len = 0;
	cs->x = malloc(n * (size_t)c->hidden * sizeof(float));
	cs->xn = malloc(n * (size_t)c->hidden * sizeof(float));
	cs->q = malloc(n * Q * sizeof(float));
	cs->k = malloc(n * KV * sizeof(float));
	cs->v = malloc(n * KV * sizeof(float));
	cs->att = malloc(n * Q * sizeof(float));
	cs->g = malloc(n * (size_t)c->intermediate * sizeof(float));
	cs->u = malloc(n * (size_t)c->intermediate * sizeof(float));
	cs->kvrow = malloc((size_t)cm->n_threads * 4 * (size_t)c->head_dim * sizeof(float));
	if (!cs->x || !cs->xn || !cs->q || !cs->k || !cs->v || !cs->att || !cs->g || !cs->u ||
	    !cs->kvrow) {
		cpu_session_free(s);
		return cc_error_set(CC_ENOMEM, "cpu backend: out of memory for session scratch");
	}
	return CC_OK;
}

/* ---- kernels ---- */

typedef float v4f __attribute__((vector_size(16), aligned(4), may_alias));

static inline float hsum(v4f a)
{
	return (a[0] + a[1]) + (a[2] + a[3]);
}

static inline float dot(const float *a, const float *b, int n)
{
	v4f s0 = {0, 0, 0, 0}, s1 = {0, 0, 0, 0};
	int k = 0;
	for (; k + 8 <= n; k += 8) {
		s0 += *(const v4f *)(a + k) * *(const v4f *)(b + k);
		s1 += *(const v4f *)(a + k + 4) * *(const v4f *)(b + k + 4);
	}
	float s = hsum(s0 + s1);
	for (; k < n; k++)
		s += a[k] * b[k];
	return s;
}

/* y[t][o] = x[t] . W[o] + b[o] for t < n, o < out; in = row length. */
typedef struct {
	float *y;
	const float *x, *W, *b;
	const uint16_t *Wb; /* bf16 weights instead of W */
	int n, in, out, rows_per_task;
} mm_ctx;

/* 8-wide generic vectors: one AVX register where the CPU has AVX2 (the clones below are
 * picked at load time), two SSE registers otherwise. */
typedef float v8f __attribute__((vector_size(32), aligned(4), may_alias));
typedef uint16_t v8hu __attribute__((vector_size(16), aligned(2), may_alias));
typedef uint32_t v8su __attribute__((vector_size(32)));

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CC_MM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CC_MM_CLONES
#endif

/* always_inline: it is called from the target clones, and an out-of-line copy (at -O0) is
 * compiled for the default target, which took a v8f argument in memory while an avx2 caller
 * passed it in a register: the sum then read uninitialized stack. The vector comes by pointer
 * too, so that no vector crosses a call in any build (clang's -Wpsabi warned that it would). */
static inline __attribute__((always_inline)) float hsum8(const v8f *v)
{
	const v8f a = *v;
	return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

/* Weight loads: 8 f32, or 8 bf16 widened exactly (bits << 16). Macros, so that they are
 * compiled inside each target clone. */
#define LOAD_F32(w, k) (*(const v8f *)((w) + (k)))
#define LOAD_BF16(w, k) ((v8f)(__builtin_convertvector(*(const v8hu *)((w) + (k)), v8su) << 16))
#define SCAL_F32(w, k) ((w)[k])
#define SCAL_BF16(w, k) cc_bf16_to_f32((w)[k])

#define MM_ROWS_BODY(WT, WBASE, LOADW, SCALW)                                         \
	for (int o = o0; o < o1; o++) {                                               \
		const WT *w = (WBASE) + (size_t)o * c->in;                            \
		float bias = c->b ? c->b[o] : 0.0f;                                   \
		int t = 0;                                                            \
		for (; t + 4 <= c->n; t += 4) {                                       \
			const float *x0 = c->x + (size_t)t * c->in, *x1 = x0 + c->in; \
			const float *x2 = x1 + c->in, *x3 = x2 + c->in;               \
			v8f a0 = {0, 0, 0, 0, 0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0; \
			int k = 0;                                                    \
			for (; k + 8 <= c->in; k += 8) {                              \
				v8f wv = LOADW(w, k);                                 \
				a0 += wv * *(const v8f *)(x0 + k);                    \
				a1 += wv * *(const v8f *)(x1 + k);                    \
				a2 += wv * *(const v8f *)(x2 + k);                    \
				a3 += wv * *(const v8f *)(x3 + k);                    \
			}                                                             \
			float s0 = hsum8(&a0), s1 = hsum8(&a1);                       \
			float s2 = hsum8(&a2), s3 = hsum8(&a3);                       \
			for (; k < c->in; k++) {                                      \
				float wk = SCALW(w, k);                               \
				s0 += wk * x0[k];                                     \
				s1 += wk * x1[k];                                     \
				s2 += wk * x2[k];                                     \
				s3 += wk * x3[k];                                     \
			}                                                             \
			c->y[(size_t)t * c->out + o] = s0 + bias;                     \
			c->y[(size_t)(t + 1) * c->out + o] = s1 + bias;               \
			c->y[(size_t)(t + 2) * c->out + o] = s2 + bias;               \
			c->y[(size_t)(t + 3) * c->out + o] = s3 + bias;               \
		}                                                                     \
		for (; t < c->n; t++) {                                               \
			const float *x0 = c->x + (size_t)t * c->in;                   \
			v8f a0 = {0, 0, 0, 0, 0, 0, 0, 0}, a1 = a0;                   \
			int k = 0;                                                    \
			for (; k + 16 <= c->in; k += 16) {                            \
				a0 += LOADW(w, k) * *(const v8f *)(x0 + k);           \
				a1 += LOADW(w, k + 8) * *(const v8f *)(x0 + k + 8);   \
			}                                                             \
			a0 += a1;                                                     \
			float s0 = hsum8(&a0);                                        \
			for (; k < c->in; k++)                                        \
				s0 += SCALW(w, k) * x0[k];                            \
			c->y[(size_t)t * c->out + o] = s0 + bias;                     \
		}                                                                     \
	}

CC_MM_CLONES static void mm_rows_f32(const mm_ctx *c, int o0, int o1)
{
	MM_ROWS_BODY(float, c->W, LOAD_F32, SCAL_F32);
}

CC_MM_CLONES static void mm_rows_bf16(const mm_ctx *c, int o0, int o1)
{
	MM_ROWS_BODY(uint16_t, c->Wb, LOAD_BF16, SCAL_BF16);
}

static void mm_task(void *vctx, int task, int tid)
{
	const mm_ctx *c = vctx;
	int o0 = task * c->rows_per_task, o1 = o0 + c->rows_per_task;
	(void)tid;
	if (o1 > c->out)
		o1 = c->out;
	if (c->Wb)
		mm_rows_bf16(c, o0, o1);
	else
		mm_rows_f32(c, o0, o1);
}

static void matmul(cpu_model *cm, float *y, const float *x, cpu_mat W, const float *b, int n,
                   int in, int out)
{
	mm_ctx c = {y, x, W.f, b, W.bf, n, in, out, 0};
	/* Enough tasks to balance, each a few rows so a W row is reused across the tokens. */
	int tasks = cm->n_threads * 8;
	if (tasks > out)
		tasks = out;
	c.rows_per_task = (out + tasks - 1) / tasks;
	tasks = (out + c.rows_per_task - 1) / c.rows_per_task;
	/* about 64K multiply-adds per thread at least */
	double work = (double)n * in * out;
	int max_threads = work / 65536.0 > cm->n_threads ? cm->n_threads : 1 + (int)(work / 65536.0);
	tpool_run(&cm->pool, mm_task, &c, tasks, max_threads);
}

static void rmsnorm(float *y, const float *x, const float *w, int n, int dim, double eps)
{
	for (int t = 0; t < n; t++) {
		const float *xr = x + (size_t)t * dim;
		float *yr = y + (size_t)t * dim;
		double ss = 0;
		for (int i = 0; i < dim; i++)
			ss += (double)xr[i] * xr[i];
		float r = (float)(1.0 / sqrt(ss / dim + eps));
		for (int i = 0; i < dim; i++)
			yr[i] = w[i] * (xr[i] * r);
	}
}

/* Rotate-half RoPE on n_heads heads of one token, angle pos * inv_freq[i] in float32 as
 * transformers does. */
static void rope(float *v, int n_heads, int hd, const float *inv_freq, int32_t pos)
{
	int half = hd / 2;
	for (int i = 0; i < half; i++) {
		float ang = (float)pos * inv_freq[i], cs = cosf(ang), sn = sinf(ang);
		for (int h = 0; h < n_heads; h++) {
			float *r = v + (size_t)h * hd;
			float a = r[i], b = r[i + half];
			r[i] = a * cs - b * sn;
			r[i + half] = b * cs + a * sn;
		}
	}
}

static void store_row(void *dst, const float *src, int dtype, int n)
{
	if (dtype == CC_KV_F32) {
		memcpy(dst, src, (size_t)n * sizeof(float));
	} else {
		uint16_t *d = dst;
		for (int i = 0; i < n; i++)
			d[i] = dtype == CC_KV_BF16 ? cc_f32_to_bf16(src[i]) : cc_f32_to_f16(src[i]);
	}
}

/* ---- attention ---- */

typedef struct {
	cc_session *s;
	cpu_sess *cs;
	int layer;
	size_t n, len, q_from;
	const int32_t *pos;
	float **acc; /* obs accumulators of this layer, per kv head */
	/* quantized pools, one sequence: the layer's quantized rows dequantized once per
	 * forward, [K, V][kv_head][slot][head_dim] in the stored space (deq_layer); NULL:
	 * dequantized row by row */
	const float *deq;
} att_ctx;

/* One query row i, query head h: out = softmax(q.K / sqrt(d)) V over slots with position <=
 * pos[i]; when acc is not NULL the probabilities are added into acc[slot]. Walks the block
 * table: within a block the rows of one KV head are contiguous. */
static void attend_one(const att_ctx *a, size_t i, int h, int tid, float *acc)
{
	const cc_model_config *c = &a->s->model->cfg;
	const cc_kv_pool *pool = a->s->pref->pool;
	const cc_kv_config *kc = cc_kv_pool_config(pool);
	int hd = c->head_dim, group = c->n_heads / c->n_kv_heads, kvh = h / group;
	int dtype = kc->dtype;
	size_t bt = (size_t)kc->block_tokens, row = (size_t)hd * cc_kv_dtype_size(dtype), nb;
	const char *base = cc_kv_pool_base(pool);
	const int32_t *blocks = cc_kv_seq_blocks(a->s->seq, a->layer, &nb);
	const float *q = a->cs->q + (i * (size_t)c->n_heads + (size_t)h) * hd;
	float *out = a->cs->att + (i * (size_t)c->n_heads + (size_t)h) * hd;
	float *sc = a->cs->scores + (size_t)tid * a->cs->max_len;
	float *tmp = a->cs->kvrow + (size_t)tid * 4 * hd;
	const cc_kv_qlayout *ly = cc_kv_pool_qlayout(pool);
	int rot = ly && ly->rotate;
	float *qr = tmp + 2 * hd, *orot = tmp + 3 * hd; /* H q, and the sum over rotated V rows */
	const int32_t *kpos = cc_kv_seq_positions(a->s->seq, a->layer, kvh);
	const float scale = 1.0f / sqrtf((float)hd);
	float mx = -INFINITY, z = 0;
	int32_t qp = a->pos[i];
	/* a ragged layer (adakv) keeps its own number of slots per KV head */
	size_t len = cc_kv_seq_head_len(a->s->seq, a->layer, kvh);

	if (rot) {
		memcpy(qr, q, (size_t)hd * sizeof(float));
		cc_kv_hadamard(qr, hd);
		memset(orot, 0, (size_t)hd * sizeof(float));
	}
	for (size_t j0 = 0, b = 0; j0 < len; j0 += bt, b++) {
		size_t cnt = len - j0 < bt ? len - j0 : bt;
		if (ly && cc_kv_block_is_quant(pool, blocks[b])) {
			/* quantized block: rows dequantized one at a time, dotted with H q when rotated */
			const char *kp = base + cc_kv_block_offset(pool, blocks[b]) +
			                 (size_t)kvh * ly->k_head_bytes;
			for (size_t t = 0; t < cnt; t++) {
				size_t j = j0 + t;
				if (kpos[j] > qp) {
					sc[j] = -INFINITY;
					continue;
				}
				const float *kr = tmp;
				if (a->deq)
					kr = a->deq + ((size_t)kvh * a->len + j) * hd;
				else
					cc_kv_qrow_dequant(ly, 0, kp, (int)t, tmp);
				sc[j] = dot(rot ? qr : q, kr, hd) * scale;
				if (sc[j] > mx)
					mx = sc[j];
			}
			continue;
		}
		const char *kb = base + cc_kv_slot_offset(a->s->seq, a->layer, 0, kvh, j0);
		for (size_t t = 0; t < cnt; t++) {
			size_t j = j0 + t;
			const float *kr = (const float *)(kb + t * row);
			if (kpos[j] > qp) {
				sc[j] = -INFINITY;
				continue;
			}
			if (dtype != CC_KV_F32) {
				cc_tensor_to_f32(tmp, kb + t * row, dtype, (size_t)hd);
				kr = tmp;
			}
			sc[j] = dot(q, kr, hd) * scale;
			if (sc[j] > mx)
				mx = sc[j];
		}
	}
	for (size_t j = 0; j < len; j++) {
		float e = sc[j] == -INFINITY ? 0.0f : expf(sc[j] - mx);
		sc[j] = e;
		z += e;
	}
	memset(out, 0, (size_t)hd * sizeof(float));
	float inv = 1.0f / z;
	for (size_t j0 = 0, b = 0; j0 < len; j0 += bt, b++) {
		size_t cnt = len - j0 < bt ? len - j0 : bt;
		if (ly && cc_kv_block_is_quant(pool, blocks[b])) {
			const char *vp = base + cc_kv_block_offset(pool, blocks[b]) +
			                 (size_t)ly->n_kv_heads * ly->k_head_bytes +
			                 (size_t)kvh * ly->v_head_bytes;
			float *o = rot ? orot : out;
			for (size_t t = 0; t < cnt; t++) {
				size_t j = j0 + t;
				if (sc[j] == 0.0f)
					continue;
				float p = sc[j] * inv;
				const float *vr = tmp + hd;
				if (a->deq)
					vr = a->deq + (((size_t)c->n_kv_heads + kvh) * a->len + j) * hd;
				else
					cc_kv_qrow_dequant(ly, 1, vp, (int)t, tmp + hd);
				int d = 0;
				v4f pv = {p, p, p, p};
				for (; d + 4 <= hd; d += 4)
					*(v4f *)(o + d) += pv * *(const v4f *)(vr + d);
				for (; d < hd; d++)
					o[d] += p * vr[d];
				if (acc)
					acc[j] += p;
			}
			continue;
		}
		const char *vb = base + cc_kv_slot_offset(a->s->seq, a->layer, 1, kvh, j0);
		for (size_t t = 0; t < cnt; t++) {
			size_t j = j0 + t;
			if (sc[j] == 0.0f)
				continue;
			float p = sc[j] * inv;
			const float *vr = (const float *)(vb + t * row);
			if (dtype != CC_KV_F32) {
				cc_tensor_to_f32(tmp + hd, vb + t * row, dtype, (size_t)hd);
				vr = tmp + hd;
			}
			int d = 0;
			v4f pv = {p, p, p, p};
			for (; d + 4 <= hd; d += 4)
				*(v4f *)(out + d) += pv * *(const v4f *)(vr + d);
			for (; d < hd; d++)
				out[d] += p * vr[d];
			if (acc)
				acc[j] += p;
		}
	}
	if (rot) {
		cc_kv_hadamard(orot, hd);
		for (int d = 0; d < hd; d++)
			out[d] += orot[d];
	}
}

/* Dequantize the quantized blocks of one layer of a sequence into cs->deq (the rows of
 * full-precision blocks are left out: attention reads them in place). One task per (K/V,
 * KV head, block). */
typedef struct {
	const cc_session *s;
	float *deq;
	int layer;
	size_t len;
} deq_ctx;

static void deq_task(void *vctx, int task, int tid)
{
	const deq_ctx *d = vctx;
	const cc_kv_pool *pool = d->s->pref->pool;
	const cc_kv_qlayout *ly = cc_kv_pool_qlayout(pool);
	int nkv = ly->n_kv_heads, hd = ly->head_dim, bt = ly->block_tokens;
	size_t nb;
	const int32_t *blocks = cc_kv_seq_blocks(d->s->seq, d->layer, &nb);
	int b = task / (2 * nkv), v = (task / nkv) % 2, h = task % nkv;
	(void)tid;
	if (!cc_kv_block_is_quant(pool, blocks[b]))
		return;
	const char *part = (const char *)cc_kv_pool_base(pool) + cc_kv_block_offset(pool, blocks[b]) +
	                   (v ? (size_t)nkv * ly->k_head_bytes + (size_t)h * ly->v_head_bytes
	                      : (size_t)h * ly->k_head_bytes);
	for (int t = 0; t < bt; t++) {
		size_t j = (size_t)b * bt + (size_t)t;
		cc_kv_qrow_dequant(ly, v, part, t,
		                   d->deq + (((size_t)v * nkv + (size_t)h) * d->len + j) * hd);
	}
}

static int deq_layer(cpu_model *cm, cpu_sess *cs, const cc_session *s, int layer)
{
	const cc_kv_qlayout *ly = cc_kv_pool_qlayout(s->pref->pool);
	size_t len = cc_kv_seq_len(s->seq, layer), nb;
	size_t need = 2 * (size_t)ly->n_kv_heads * len * (size_t)ly->head_dim;
	cc_kv_seq_blocks(s->seq, layer, &nb);
	if (need > cs->deq_cap) {
		size_t cap = need + need / 2;
		float *p = realloc(cs->deq, cap * sizeof(float));
		if (!p)
			return cc_error_set(CC_ENOMEM,
			                    "cpu backend: out of memory for dequantized KV "
			                    "(%zu floats)",
			                    cap);
		cs->deq = p;
		cs->deq_cap = cap;
	}
	/* quantized blocks are always full and lead the table: nb - 1 at most */
	deq_ctx d = {s, cs->deq, layer, len};
	tpool_run(&cm->pool, deq_task, &d, (int)(nb * 2 * (size_t)ly->n_kv_heads), 0);
	return CC_OK;
}

/* Tasks for queries before q_from: one per (query, head). */
static void att_task(void *vctx, int task, int tid)
{
	const att_ctx *a = vctx;
	int nh = a->s->model->cfg.n_heads;
	attend_one(a, (size_t)(task / nh), task % nh, tid, NULL);
}

/* Tasks for the observation window: one per KV head, so its accumulator has one writer. */
static void att_obs_task(void *vctx, int kvh, int tid)
{
	const att_ctx *a = vctx;
	int group = a->s->model->cfg.n_heads / a->s->model->cfg.n_kv_heads;
	for (size_t i = a->q_from; i < a->n; i++)
		for (int g = 0; g < group; g++)
			attend_one(a, i, kvh * group + g, tid, a->acc[kvh]);
}

/* Per-thread score rows for layers of up to len slots (grown by half again when short). */
static int cpu_scores_reserve(cpu_sess *cs, int n_threads, size_t len)
{
	if (len <= cs->max_len && cs->scores)
		return CC_OK;
	size_t cap = len + len / 2 + 64;
	float *sc = realloc(cs->scores, (size_t)n_threads * cap * sizeof(float));
	if (!sc)
		return cc_error_set(CC_ENOMEM,
		                    "cpu backend: out of memory for attention scores (%zu slots)",
		                    cap);
	cs->scores = sc;
	cs->max_len = cap;
	return CC_OK;
}

/* Query statistics of the observation window (cc_session_query_stats): per query head, the
 * sums of the pre-RoPE queries of rows q_from..n-1 and of their outer products. */
static void qstat_add(float **qs, const float *q, size_t q_from, size_t n, int nh, int hd)
{
	for (int h = 0; h < nh; h++) {
		float *sum = qs[h], *outer = qs[h] + hd;
		for (size_t i = q_from; i < n; i++) {
			const float *x = q + (i * (size_t)nh + (size_t)h) * (size_t)hd;
			for (int a = 0; a < hd; a++) {
				sum[a] += x[a];
				for (int b = 0; b < hd; b++)
					outer[(size_t)a * hd + b] += x[a] * x[b];
			}
		}
	}
}

/* Batched decode: one task per (row, query head), each row attending over its own session's
 * cache (lengths differ per session and layer). */
typedef struct {
	cc_session *const *rs;
	cpu_sess *cs;
	int layer;
	const int32_t *pos;
} batt_ctx;

static void batt_task(void *vctx, int task, int tid)
{
	const batt_ctx *b = vctx;
	int nh = b->rs[0]->model->cfg.n_heads;
	size_t i = (size_t)(task / nh);
	att_ctx a = {b->rs[i], b->cs, b->layer, i + 1, cc_kv_seq_len(b->rs[i]->seq, b->layer),
	             i + 1, b->pos, NULL, NULL};
	attend_one(&a, i, task % nh, tid, NULL);
}

/* The forward pass over n rows. Row i belongs to session rs[i] and writes its K/V rows at
 * slot[i * n_layers + l] of layer l. single: every row is rs[0]'s (a chunk of one sequence,
 * attending causally within the chunk, with observation statistics); otherwise each row is a
 * different session's one decode token. Runs under cm->run_mu. */
static int cpu_run(cc_model *m, cpu_sess *cs, cc_session *const *rs, int single,
                   const int32_t *ids, size_t n, const int32_t *pos, const int32_t *slot,
                   int logits_mode, float *logits, const cc_obs_req *obs)
{
	const cc_model_config *c = &m->cfg;
	cpu_model *cm = m->backend_state;
	int H = c->hidden, hd = c->head_dim, nh = c->n_heads, nkv = c->n_kv_heads;
	int Q = nh * hd, KV = nkv * hd, I = c->intermediate, L = c->n_layers;
	int kv_dtype = cc_kv_pool_config(rs[0]->pref->pool)->dtype;
	char *base = cc_kv_pool_base(rs[0]->pref->pool);
	int nn = (int)n;

	for (size_t i = 0; i < n; i++)
		if (cm->embed.bf)
			cc_tensor_to_f32(cs->x + i * H, cm->embed.bf + (size_t)ids[i] * H, CC_KV_BF16,
			                 (size_t)H);
		else
			memcpy(cs->x + i * H, cm->embed.f + (size_t)ids[i] * H, (size_t)H * sizeof(float));
	for (int l = 0; l < L; l++) {
		const cpu_layer *W = &cm->L[l];
		rmsnorm(cs->xn, cs->x, W->attn_norm, nn, H, c->rms_eps);
		matmul(cm, cs->q, cs->xn, W->wq, W->bq, nn, H, Q);
		matmul(cm, cs->k, cs->xn, W->wk, W->bk, nn, H, KV);
		matmul(cm, cs->v, cs->xn, W->wv, W->bv, nn, H, KV);
		if (single && obs && obs->qstat)
			qstat_add(obs->qstat + (size_t)l * nh, cs->q, obs->q_from, n, nh, hd);
		for (size_t i = 0; i < n; i++) {
			const cc_kv_seq *seq = rs[single ? 0 : i]->seq;
			size_t sl = (size_t)slot[i * (size_t)L + (size_t)l];
			rope(cs->q + i * Q, nh, hd, cm->inv_freq, pos[i]);
			rope(cs->k + i * KV, nkv, hd, cm->inv_freq, pos[i]);
			for (int h = 0; h < nkv; h++) {
				size_t hs = cc_kv_seq_head_slot(seq, l, h, sl);
				store_row(base + cc_kv_slot_offset(seq, l, 0, h, hs),
				          cs->k + i * KV + (size_t)h * hd, kv_dtype, hd);
				store_row(base + cc_kv_slot_offset(seq, l, 1, h, hs),
				          cs->v + i * KV + (size_t)h * hd, kv_dtype, hd);
			}
		}
		if (single) {
			att_ctx a = {rs[0], cs, l, n, cc_kv_seq_len(rs[0]->seq, l), n, pos, NULL, NULL};
			if (cc_kv_pool_qlayout(rs[0]->pref->pool)) {
				int rc = deq_layer(cm, cs, rs[0], l);
				if (rc)
					return rc;
				a.deq = cs->deq;
			}
			if (obs && obs->q_from < n) {
				a.q_from = obs->q_from;
				a.acc = obs->acc + (size_t)l * nkv;
			}
			tpool_run(&cm->pool, att_task, &a, (int)a.q_from * nh, 0);
			if (a.q_from < n)
				tpool_run(&cm->pool, att_obs_task, &a, nkv, 0);
		} else {
			batt_ctx b = {rs, cs, l, pos};
			tpool_run(&cm->pool, batt_task, &b, nn * nh, 0);
		}
		matmul(cm, cs->xn, cs->att, W->wo, W->bo, nn, Q, H);
		for (size_t i = 0; i < n * (size_t)H; i++)
			cs->x[i] += cs->xn[i];
		rmsnorm(cs->xn, cs->x, W->ffn_norm, nn, H, c->rms_eps);
		matmul(cm, cs->g, cs->xn, W->wg, W->bg, nn, H, I);
		matmul(cm, cs->u, cs->xn, W->wu, W->bu, nn, H, I);
		for (size_t i = 0; i < n * (size_t)I; i++) {
			float gv = cs->g[i];
			cs->g[i] = gv / (1.0f + expf(-gv)) * cs->u[i];
		}
		matmul(cm, cs->xn, cs->g, W->wd, W->bd, nn, I, H);
		for (size_t i = 0; i < n * (size_t)H; i++)
			cs->x[i] += cs->xn[i];
	}
	if (logits_mode == CC_LOGITS_ALL) {
		rmsnorm(cs->xn, cs->x, cm->norm, nn, H, c->rms_eps);
		matmul(cm, logits, cs->xn, cm->lm_head, NULL, nn, H, c->vocab);
	} else if (logits_mode == CC_LOGITS_LAST) {
		rmsnorm(cs->xn, cs->x + (n - 1) * H, cm->norm, 1, H, c->rms_eps);
		matmul(cm, logits, cs->xn, cm->lm_head, NULL, 1, H, c->vocab);
	}
	return CC_OK;
}

static int cpu_forward(cc_session *s, const int32_t *ids, size_t n, const int32_t *pos,
                       const int32_t *first_slot, int logits_mode, float *logits,
                       const cc_obs_req *obs)
{
	cpu_model *cm = s->model->backend_state;
	cpu_sess *cs = s->backend_state;
	int L = s->model->cfg.n_layers, rc;
	int32_t *slot;

	if (n == 0 || n > (size_t)cs->cap)
		return cc_error_set(CC_EINVAL, "cpu forward: %zu tokens (chunk limit %d)", n, cs->cap);
	{
		size_t need = 0;
		for (int l = 0; l < L; l++)
			if ((size_t)first_slot[l] + n > need)
				need = (size_t)first_slot[l] + n;
		if ((rc = cpu_scores_reserve(cs, cm->n_threads, need)))
			return rc;
	}
	slot = malloc(n * (size_t)L * sizeof(int32_t));
	if (!slot)
		return cc_error_set(CC_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		for (int l = 0; l < L; l++)
			slot[i * (size_t)L + (size_t)l] = first_slot[l] + (int32_t)i;
	pthread_mutex_lock(&cm->run_mu);
	rc = cpu_run(s->model, cs, &s, 1, ids, n, pos, slot, logits_mode, logits, obs);
	pthread_mutex_unlock(&cm->run_mu);
	free(slot);
	return rc;
}

/* ---- batched decode ---- */

static void cpu_batch_free(cc_batch *b)
{
	cpu_sess_free(b->backend_state);
	b->backend_state = NULL;
}

static int cpu_batch_init(cc_batch *b)
{
	b->backend_state = calloc(1, sizeof(cpu_sess));
	if (!b->backend_state)
		return cc_error_set(CC_ENOMEM, "out of memory");
	return CC_OK;
}

/* Grow the batch scratch to n rows and the sessions' pool length. */
static int cpu_batch_reserve(cc_batch *b, size_t n, size_t max_len)
{
	const cc_model_config *c = &b->model->cfg;
	cpu_model *cm = b->model->backend_state;
	cpu_sess *cs = b->backend_state;
	size_t Q = (size_t)c->n_heads * c->head_dim, KV = (size_t)c->n_kv_heads * c->head_dim;
	if (n > (size_t)cs->cap) {
		size_t H = (size_t)c->hidden, I = (size_t)c->intermediate;
		float *p[8];
		size_t sz[8] = {H, H, Q, KV, KV, Q, I, I};
		float **dst[8] = {&cs->x, &cs->xn, &cs->q, &cs->k, &cs->v, &cs->att, &cs->g, &cs->u};
		for (int i = 0; i < 8; i++) {
			p[i] = realloc(*dst[i], n * sz[i] * sizeof(float));
			if (!p[i])
				return cc_error_set(CC_ENOMEM,
				                    "cpu backend: out of memory for a batch of %zu",
				                    n);
			*dst[i] = p[i];
		}
		cs->cap = (int)n;
	}
	if (!cs->kvrow &&
	    !(cs->kvrow = malloc((size_t)cm->n_threads * 4 * (size_t)c->head_dim * sizeof(float))))
		return cc_error_set(CC_ENOMEM, "out of memory");
	return cpu_scores_reserve(cs, cm->n_threads, max_len);
}

static int cpu_forward_batch(cc_batch *b, cc_session *const *ss, size_t n, const int32_t *ids,
                             const int32_t *pos, const int32_t *slot, float *logits)
{
	cpu_model *cm = b->model->backend_state;
	size_t max_len = 0;
	int rc;
	for (size_t i = 0; i < n; i++)
		for (int l = 0; l < b->model->cfg.n_layers; l++)
			if (cc_kv_seq_len(ss[i]->seq, l) > max_len)
				max_len = cc_kv_seq_len(ss[i]->seq, l);
	if ((rc = cpu_batch_reserve(b, n, max_len)))
		return rc;
	pthread_mutex_lock(&cm->run_mu);
	rc = cpu_run(b->model, b->backend_state, ss, 0, ids, n, pos, slot,
	             logits ? CC_LOGITS_ALL : CC_LOGITS_NONE, logits, NULL);
	pthread_mutex_unlock(&cm->run_mu);
	return rc;
}

const cc_backend_ops *cc_backend_cpu(void)
{
	static const cc_backend_ops ops = {"cpu", cpu_model_init, cpu_model_free,
	                                   cpu_kv_storage, cpu_session_init, cpu_session_free,
	                                   cpu_forward, cpu_batch_init, cpu_batch_free,
	                                   cpu_forward_batch, NULL, NULL, NULL, NULL,
	                                   NULL, NULL, NULL, NULL, NULL};
	return &ops;
}
