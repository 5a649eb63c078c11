/*
 * engine_cuda.c - the CUDA backend of the engine (cc_backend_cuda): bf16 weights on the
 * device (q/k/v and gate/up fused into one matrix each), an f32 residual stream, cuBLAS
 * matrix products with f32 accumulation, and the kernels of kernels/ for everything else.
 * KV pools live in device memory through a cc_kv_storage provider; the block bookkeeping
 * stays in kv/ on the host and is uploaded, with the chunk's ids, positions and slots, in one
 * copy per forward call.
 *
 * One forward call per chunk: embedding, then per layer RMSNorm -> QKV GEMM -> RoPE + cache
 * store -> attention (flash prefill kernel, or the split-K decode kernel for a single token)
 * -> O GEMM accumulated into the residual -> RMSNorm -> gate/up GEMM -> SwiGLU -> down GEMM
 * accumulated into the residual; finally the norm and lm_head for the rows asked for.
 * Single-token chunks (decode steps) use the matrix-vector kernels instead of cuBLAS, with
 * the RMSNorms and SwiGLU fused in (seven launches per layer with RoPE and attention), launched
 * with programmatic dependent launch so that each one's first weight loads overlap the
 * previous kernel's tail. Decode steps replay a CUDA graph of that sequence (captured once
 * per 512-slot context bucket), since a small model's step is otherwise bound by ~85 kernel
 * launches.
 * Each session has its own stream and cuBLAS handle (sessions may run on different threads).
 *
 * Quantized KV caches (kv/cc_kv.h's quantized pools, in device memory through this file's
 * storage provider): new rows are written bf16 as ever; decode steps read the pool directly
 * with the dequantizing decode kernel (cc_kernels_attn_decode_q); a prefill chunk first reads
 * each layer's blocks back into a bf16 scratch (cc_kernels_kv_dequant_blocks) and runs the
 * flash prefill and observation kernels over it. Sealing and compaction quantize on the
 * device (cc_kernels_kv_quant_blocks, bit for bit the CPU's formats).
 *
 * Ragged layers (kv/cc_kv.h: a different number of tokens per KV head, what adakv and
 * codecomp's head budgets make): a forward call over a session (or a batch) with any ragged
 * layer stages, for every layer, a table of lane ids and a length per KV head
 * (cc_kv_seq_head_lanes; a uniform layer's tables are written the same way) and each head's
 * own destination for the new rows, and runs the kernels' per-head forms (*_heads, *_lanes).
 * Calls without ragged layers stage and run exactly what they did before. Decode graphs are
 * captured per (context bucket, ragged or not).
 */
#include "cc_common.h"
#include "cc_kernels.h"
#include "engine_int.h"

#include <cuda_runtime_api.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CU_CHECK(call)                                                                          \
	do {                                                                                    \
		cudaError_t e_ = (call);                                                        \
		if (e_ != cudaSuccess) {                                                        \
			rc = cc_error_set(CC_ECUDA, "%s:%d: %s: %s", __FILE__, __LINE__, #call, \
			                  cudaGetErrorString(e_));                              \
			goto out;                                                               \
		}                                                                               \
	} while (0)

#define KC_CHECK(call)                      \
	do {                                \
		if ((rc = (call)) != CC_OK) \
			goto out;           \
	} while (0)

/* Chunks of at most this many tokens use cc_kernels_gemv (see enqueue_body). */
#define ENGINE_GEMV_ROWS 1
/* Prefill chunks of at least this many tokens launch each layer as a CUDA graph (pf_exec):
 * below it a layer's kernels are short enough that capturing and updating the graph (tens
 * of microseconds on the host) would cost more than the launch gaps it removes. */
#define ENGINE_PF_GRAPH_ROWS 256

typedef struct {
	uint16_t *attn_norm, *wqkv, *bqkv, *wo, *bo, *ffn_norm, *wgu, *bgu, *wdown, *bdown;
} cuda_layer;

typedef struct {
	void *wmem; /* one device allocation holding every weight */
	uint16_t *embed, *lm_head, *norm;
	float *inv_freq; /* scaled RoPE's frequencies (device), NULL for the default */
	cuda_layer *L;
	int QKV; /* (n_heads + 2 * n_kv_heads) * head_dim */
} cuda_model;

typedef struct {
	cudaStream_t stream;
	void *blas;
	size_t cap; /* tokens the activation buffers hold */
	float *x, *qkv, *gu, *logits, *lse;
	uint16_t *xn, *q, *att, *act;
	size_t logits_rows;
	int32_t *stage_d; /* ids, pos, dst slots, layer lengths, block tables */
	int32_t *stage_h; /* pinned */
	size_t stage_cap; /* int32 entries */
	void *dec_ws;
	size_t dec_ws_bytes;
	int32_t *dec_ctr; /* [cap][n_heads] merge counters of the decode attention, kept zero */
	void *pf_ws;      /* key-split partials of the prefill attention */
	size_t pf_ws_bytes;
	float *obs_d, *obs_h; /* [L][kvh][obs_cap] */
	size_t obs_cap;
	/* decode steps replay a captured CUDA graph (one per context bucket): ~85 launches
	 * become one. buf_gen changes whenever a buffer the graph uses is reallocated. */
	unsigned buf_gen;
	cudaGraphExec_t gexec;
	unsigned g_gen;
	int g_cap;
	int g_rag;     /* the graph reads per-head tables */
	int graph_off; /* capture failed once: run decode steps eagerly */
	/* prefill chunks of at least pf_graph_rows tokens launch each layer as a graph captured
	 * as it is enqueued (pf_exec[l], updated in place from the next capture): the layer's
	 * ~10 kernels start back to back without a launch gap between them, while the host
	 * captures the next layer. pf_graph_off: CC_PF_GRAPH=0, or a capture failed once. */
	cudaGraphExec_t *pf_exec;
	int pf_exec_n;
	int pf_graph_off;
	int pf_graph_rows;
	int pf_strict;  /* CC_PF_GRAPH_STRICT=1 (tests): an error instead of the eager fallback */
	int gemv_off;   /* CC_GEMV=0: cuBLAS for every product (benchmarks compare) */
	int rope_sep;   /* CC_GEMV_ROPE=0: RoPE and the K/V store in their own launch */
	int merge_sep;  /* CC_ATTN_MERGE=0: decode attention's merge in its own launch */
	int gu_f32;     /* CC_GU_F32=1: the prefill's gate/up product in f32 (the state before) */
	int qkv_f32;    /* CC_QKV_F32=1: the prefill's q/k/v product in f32 (the state before) */
	float *logit_h; /* pinned, vocab floats: the decode step's logits destination */
	/* greedy's choice of the last forward with CC_LOGITS_KEEP (device, pinned host), and
	 * whether logits[0 .. vocab) still hold that forward's row */
	int32_t *argmax_d, *argmax_h;
	size_t argmax_rows; /* rows argmax_d / argmax_h hold (a batch's, or 1) */
	int logits_kept;
	/* quantized pools: a layer's blocks read back as bf16 for the prefill attention, and
	 * the identity block table over them */
	uint16_t *qscr;
	int32_t *iota_d;
	size_t qscr_blocks;
	/* KV rows in and out (kv_io): staging rows, their offsets and the rotation's angles,
	 * kept between calls (an assembly makes two per layer and chunk) */
	void *io_stage;
	uint64_t *io_off;
	float *io_rot;
	size_t io_rows, io_bytes;
} cuda_sess;

/* ---- weights ---- */

static size_t align256(size_t x)
{
	return (x + 255) & ~(size_t)255;
}

static size_t tensor_elems(const cc_tensor *t)
{
	return t->data ? (size_t)t->shape[0] * (size_t)(t->ndim == 2 ? t->shape[1] : 1) : 0;
}

/* Convert tensors to bf16 into host buffer `dst` (n elements each, concatenated). */
static void to_bf16(uint16_t *dst, const cc_tensor *t, float *tmp)
{
	size_t n = tensor_elems(t);
	if (t->dtype == CC_KV_BF16) {
		memcpy(dst, t->data, n * 2);
		return;
	}
	cc_tensor_to_f32(tmp, t->data, t->dtype, n);
	for (size_t i = 0; i < n; i++)
		dst[i] = cc_f32_to_bf16(tmp[i]);
}

/* A device slot for a group of tensors concatenated along rows (all present or all absent). */
typedef struct {
	uint16_t **dst;
	const cc_tensor *t[3];
	int nt;
} wgroup;

static void cuda_model_free(cc_model *m)
{
	cuda_model *cm = m->backend_state;
	if (!cm)
		return;
	cudaFree(cm->wmem);
	cudaFree(cm->inv_freq);
	free(cm->L);
	free(cm);
	m->backend_state = NULL;
}

static int check_shape(const cc_model_config *c)
{
	if (!cc_kernels_head_dim_ok(c->head_dim))
		return cc_error_set(CC_EUNSUPPORTED,
		                    "cuda backend: head_dim %d (supported: 16, 32, "
		                    "64, 80, 96, 128)",
		                    c->head_dim);
	if (c->n_kv_heads < 1 || c->n_heads % c->n_kv_heads)
		return cc_error_set(CC_EUNSUPPORTED,
		                    "cuda backend: %d query heads are not a multiple "
		                    "of %d KV heads",
		                    c->n_heads, c->n_kv_heads);
	if (c->hidden % 8 || c->intermediate % 4)
		return cc_error_set(CC_EUNSUPPORTED,
		                    "cuda backend: hidden %d must be a multiple of 8 "
		                    "and intermediate %d of 4",
		                    c->hidden, c->intermediate);
	return CC_OK;
}

static int cuda_model_init(cc_model *m)
{
	const cc_model_config *c = &m->cfg;
	cuda_model *cm = NULL;
	wgroup *g = NULL;
	uint16_t *hbuf = NULL;
	float *tmp = NULL;
	size_t ng = 0, total = 0, maxn = 0;
	int rc = CC_OK;

	if ((rc = check_shape(c)))
		return rc;
	if (cc_kernels_device_count() == 0)
		return cc_error_set(CC_EUNSUPPORTED, "device cuda: no CUDA device is available");
	if (m->gpu >= cc_kernels_device_count())
		return cc_error_set(CC_ENOTFOUND, "device cuda:%d: there are %d CUDA devices", m->gpu,
		                    cc_kernels_device_count());
	if ((rc = cc_kernels_set_device(m->gpu)))
		return rc;
	cm = calloc(1, sizeof(*cm));
	if (!cm)
		return cc_error_set(CC_ENOMEM, "out of memory");
	m->backend_state = cm;
	cm->L = calloc((size_t)c->n_layers, sizeof(*cm->L));
	g = calloc(3 + 10 * (size_t)c->n_layers, sizeof(*g));
	if (!cm->L || !g) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	cm->QKV = (c->n_heads + 2 * c->n_kv_heads) * c->head_dim;
#define G1(d, a) (g[ng++] = (wgroup){&(d), {(a)}, 1})
#define G3(d, a, b, e) (g[ng++] = (wgroup){&(d), {(a), (b), (e)}, 3})
	G1(cm->embed, &m->w.embed);
	G1(cm->norm, &m->w.norm);
	if (!c->tied)
		G1(cm->lm_head, &m->w.lm_head);
	for (int l = 0; l < c->n_layers; l++) {
		const cc_layer_weights *W = &m->w.layers[l];
		cuda_layer *L = &cm->L[l];
		G1(L->attn_norm, &W->attn_norm);
		G3(L->wqkv, &W->wq, &W->wk, &W->wv);
		if (W->bq.data && W->bk.data && W->bv.data)
			G3(L->bqkv, &W->bq, &W->bk, &W->bv);
		G1(L->wo, &W->wo);
		if (W->bo.data)
			G1(L->bo, &W->bo);
		G1(L->ffn_norm, &W->ffn_norm);
		g[ng++] = (wgroup){&L->wgu, {&W->w_gate, &W->w_up}, 2};
		if (W->b_gate.data && W->b_up.data)
			g[ng++] = (wgroup){&L->bgu, {&W->b_gate, &W->b_up}, 2};
		G1(L->wdown, &W->w_down);
		if (W->b_down.data)
			G1(L->bdown, &W->b_down);
	}
#undef G1
#undef G3
	for (size_t i = 0; i < ng; i++) {
		size_t n = 0;
		for (int j = 0; j < g[i].nt; j++) {
			n += tensor_elems(g[i].t[j]);
			if (tensor_elems(g[i].t[j]) > maxn)
				maxn = tensor_elems(g[i].t[j]);
		}
		total += align256(n * 2);
	}
	{
		/* a model larger than the device: say so before trying (cudaMalloc's "out of
		 * memory" would not name the sizes) */
		size_t free_b = 0, total_b = 0;
		if (cudaMemGetInfo(&free_b, &total_b) == cudaSuccess && total > free_b) {
			rc = cc_error_set(CC_ENOMEM,
			                  "cuda backend: the model's weights need %.2f GiB "
			                  "of device memory (bf16), %.2f GiB of %.2f GiB are free",
			                  total / 1073741824.0, free_b / 1073741824.0,
			                  total_b / 1073741824.0);
			goto out;
		}
		(void)cudaGetLastError();
	}
	hbuf = malloc(maxn * 3 * 2);
	tmp = malloc(maxn * sizeof(float));
	if (!hbuf || !tmp) {
		rc = cc_error_set(CC_ENOMEM, "out of memory converting weights");
		goto out;
	}
	CU_CHECK(cudaMalloc(&cm->wmem, total));
	size_t off = 0;
	for (size_t i = 0; i < ng; i++) {
		size_t n = 0;
		for (int j = 0; j < g[i].nt; j++) {
			to_bf16(hbuf + n, g[i].t[j], tmp);
			n += tensor_elems(g[i].t[j]);
		}
		*g[i].dst = (uint16_t *)((char *)cm->wmem + off);
		CU_CHECK(cudaMemcpy(*g[i].dst, hbuf, n * 2, cudaMemcpyHostToDevice));
		off += align256(n * 2);
	}
	if (c->tied)
		cm->lm_head = cm->embed;
	if (c->rope_type != CC_ROPE_DEFAULT) {
		size_t nf = (size_t)c->head_dim / 2;
		cc_rope_inv_freq(c, tmp); /* tmp holds maxn >= head_dim / 2 floats */
		CU_CHECK(cudaMalloc((void **)&cm->inv_freq, nf * sizeof(float)));
		CU_CHECK(cudaMemcpy(cm->inv_freq, tmp, nf * sizeof(float), cudaMemcpyHostToDevice));
	}
out:
	free(g);
	free(hbuf);
	free(tmp);
	if (rc)
		cuda_model_free(m);
	return rc;
}

/* ---- KV storage in device memory ---- */

static int dev_alloc(void *ctx, void **out, size_t bytes)
{
	(void)ctx;
	cudaError_t e = cudaMalloc(out, bytes);
	if (e != cudaSuccess) {
		*out = NULL;
		(void)cudaGetLastError();
		return cc_error_set(CC_ENOMEM, "cuda kv pool: cannot allocate %zu bytes: %s", bytes,
		                    cudaGetErrorString(e));
	}
	return CC_OK;
}

static void dev_release(void *ctx, void *base)
{
	(void)ctx;
	if (base)
		cudaFree(base);
}

static int dev_copy(void *ctx, void *base, size_t dst, size_t src, size_t bytes)
{
	int rc = CC_OK;
	(void)ctx;
	CU_CHECK(cudaMemcpy((char *)base + dst, (char *)base + src, bytes, cudaMemcpyDeviceToDevice));
out:
	return rc;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Moves run in order. When no move reads a row an earlier move wrote (no chain) and no row is
 * written twice, gathering every source into a temporary buffer and then scattering it is the
 * same as running them in order, in two parallel launches; otherwise fall back to one copy
 * per move. */
static int dev_move_rows(void *ctx, void *base, const cc_kv_move *moves, size_t n,
                         size_t row_bytes)
{
	uint64_t *offs_h = NULL, *offs_d = NULL;
	void *tmp = NULL;
	int chain = 0, rc = CC_OK;
	(void)ctx;
	if (n == 0)
		return CC_OK;
	offs_h = malloc(3 * n * sizeof(uint64_t));
	if (!offs_h) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	/* a chain: some move k reads the destination of a move j < k. Rows never partially
	 * overlap (whole rows of one pool), so comparing start offsets suffices. */
	{
		/* sort destinations with their index to find, for each source, an earlier writer */
		size_t *idx = malloc(2 * n * sizeof(size_t));
		if (!idx) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t k = 0; k < n; k++) {
			idx[2 * k] = moves[k].dst;
			idx[2 * k + 1] = k;
		}
		qsort(idx, n, 2 * sizeof(size_t), cmp_size);
		for (size_t k = 1; k < n && !chain; k++) /* one row written twice: order matters */
			chain = idx[2 * k] == idx[2 * (k - 1)];
		for (size_t k = 0; k < n && !chain; k++) {
			size_t lo = 0, hi = n;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (idx[2 * mid] < moves[k].src)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < n && idx[2 * lo] == moves[k].src; lo++)
				if (idx[2 * lo + 1] < k)
					chain = 1;
		}
		free(idx);
	}
	if (chain || row_bytes % 16 != 0) {
		for (size_t k = 0; k < n; k++)
			CU_CHECK(cudaMemcpy((char *)base + moves[k].dst, (char *)base + moves[k].src,
			                    row_bytes, cudaMemcpyDeviceToDevice));
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		offs_h[k] = moves[k].src; /* gather: src rows -> tmp[k] */
		offs_h[n + k] = k * row_bytes;
		offs_h[2 * n + k] = moves[k].dst; /* scatter: tmp[k] -> dst rows */
	}
	CU_CHECK(cudaMalloc((void **)&offs_d, 3 * n * sizeof(uint64_t)));
	CU_CHECK(cudaMalloc(&tmp, n * row_bytes));
	CU_CHECK(cudaMemcpy(offs_d, offs_h, 3 * n * sizeof(uint64_t), cudaMemcpyHostToDevice));
	KC_CHECK(cc_kernels_copy_rows(tmp, offs_d + n, base, offs_d, n, row_bytes, 0));
	KC_CHECK(cc_kernels_copy_rows(base, offs_d + 2 * n, tmp, offs_d + n, n, row_bytes, 0));
	CU_CHECK(cudaDeviceSynchronize());
out:
	cudaFree(offs_d);
	cudaFree(tmp);
	free(offs_h);
	return rc;
}

/* The quantized kernels' view of pool: 1 and *q filled for a quantized pool, else 0. */
static int pool_qkv(cc_kernels_qkv *q, const cc_kv_pool *pool)
{
	const cc_kv_qlayout *ly = cc_kv_pool_qlayout(pool);
	const cc_kv_config *kc = cc_kv_pool_config(pool);
	memset(q, 0, sizeof(*q));
	if (!ly)
		return 0;
	q->base = cc_kv_pool_base(pool);
	q->n_fp_blocks = (int)kc->n_blocks;
	q->fp_block_bytes = cc_kv_block_bytes(pool);
	q->q_base = cc_kv_block_offset(pool, (int32_t)kc->n_blocks);
	q->q_block_bytes = ly->block_bytes;
	q->k_head_bytes = ly->k_head_bytes;
	q->v_head_bytes = ly->v_head_bytes;
	q->params_off = ly->k_params_off;
	q->bits = ly->bits;
	q->group = ly->group;
	q->k_per_channel = ly->k_per_channel;
	q->rotate = ly->rotate;
	q->block_size = kc->block_tokens;
	q->kv_heads = kc->n_kv_heads;
	q->head_dim = kc->head_dim;
	return 1;
}

/* cc_kv_storage.quant_blocks: seal on the device (default stream, waited for: the sessions'
 * streams are idle between forward calls). */
static int dev_quant_blocks(void *ctx, const cc_kv_pool *pool, const int32_t *pairs, size_t n)
{
	cc_kernels_qkv q;
	int32_t *d = NULL;
	int rc = CC_OK;
	(void)ctx;
	if (n > (size_t)1 << 30)
		return cc_error_set(CC_EINVAL, "cuda kv seal: %zu blocks at once", n);
	pool_qkv(&q, pool);
	CU_CHECK(cudaMalloc((void **)&d, 2 * n * sizeof(int32_t)));
	CU_CHECK(cudaMemcpy(d, pairs, 2 * n * sizeof(int32_t), cudaMemcpyHostToDevice));
	KC_CHECK(cc_kernels_kv_quant_blocks(&q, q.base, 0, d, (int)n, 0));
	CU_CHECK(cudaStreamSynchronize(0));
out:
	cudaFree(d);
	return rc;
}

/* cc_kv_storage.regroup: compaction of a quantized layer on the device. The old blocks are
 * read back as f32 (A), the kept rows gathered into the new layout (B), whose leading blocks
 * are quantized into the new quantized blocks and the rest rounded to bf16 into the new
 * full-precision ones: the CPU path's arithmetic (kv/cc_kv.c compact_quant), all of A read
 * before anything is written. */
static int dev_regroup(void *ctx, const cc_kv_pool *pool, const int32_t *src, size_t n_src,
                       const int32_t *keep, size_t n_keep, const int32_t *dst, size_t n_dst)
{
	const cc_kv_config *kc = cc_kv_pool_config(pool);
	size_t kvh = (size_t)kc->n_kv_heads, hd = (size_t)kc->head_dim, bs = (size_t)kc->block_tokens;
	size_t E = kvh * bs * hd, nrows = 2 * kvh * n_keep, nq = 0;
	cc_kernels_qkv q;
	int32_t *tab_h = NULL, *tab_d = NULL;
	uint64_t *off_h = NULL, *off_d = NULL;
	float *a = NULL, *b = NULL;
	int rc = CC_OK;
	(void)ctx;

	if (n_src > (size_t)1 << 30 || n_dst > n_src)
		return cc_error_set(CC_EINVAL, "cuda kv regroup: %zu blocks into %zu", n_src, n_dst);
	pool_qkv(&q, pool);
	while (nq < n_dst && cc_kv_block_is_quant(pool, dst[nq]))
		nq++;
	tab_h = malloc((n_src + 2 * nq + 1) * sizeof(*tab_h));
	off_h = malloc((2 * nrows + 1) * sizeof(*off_h));
	if (!tab_h || !off_h) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(tab_h, src, n_src * sizeof(*tab_h));
	for (size_t i = 0; i < nq; i++) {
		tab_h[n_src + 2 * i] = (int32_t)i;
		tab_h[n_src + 2 * i + 1] = dst[i];
	}
	for (size_t h = 0, k = 0; h < kvh; h++)
		for (size_t i = 0; i < n_keep; i++)
			for (size_t v = 0; v < 2; v++, k++) {
				size_t sl = (size_t)keep[h * n_keep + i];
				off_h[k] = ((sl / bs) * 2 * E + v * E + (h * bs + sl % bs) * hd) * 4;
				off_h[nrows + k] = ((i / bs) * 2 * E + v * E + (h * bs + i % bs) * hd) * 4;
			}
	CU_CHECK(cudaMalloc((void **)&tab_d, (n_src + 2 * nq + 1) * sizeof(*tab_d)));
	CU_CHECK(cudaMalloc((void **)&off_d, (2 * nrows + 1) * sizeof(*off_d)));
	CU_CHECK(cudaMalloc((void **)&a, (n_src ? n_src : 1) * 2 * E * sizeof(float)));
	CU_CHECK(cudaMalloc((void **)&b, (n_dst ? n_dst : 1) * 2 * E * sizeof(float)));
	CU_CHECK(cudaMemcpy(tab_d, tab_h, (n_src + 2 * nq) * sizeof(*tab_d),
	                    cudaMemcpyHostToDevice));
	CU_CHECK(cudaMemcpy(off_d, off_h, 2 * nrows * sizeof(*off_d), cudaMemcpyHostToDevice));
	CU_CHECK(cudaMemset(b, 0, (n_dst ? n_dst : 1) * 2 * E * sizeof(float)));
	KC_CHECK(cc_kernels_kv_dequant_blocks(a, 1, &q, tab_d, (int)n_src, 0));
	if (nrows)
		KC_CHECK(cc_kernels_copy_rows(b, off_d + nrows, a, off_d, nrows, hd * 4, 0));
	KC_CHECK(cc_kernels_kv_quant_blocks(&q, b, 1, tab_d + n_src, (int)nq, 0));
	for (size_t i = nq; i < n_dst; i++)
		KC_CHECK(cc_kernels_f32_to_bf16((uint16_t *)((char *)cc_kv_pool_base(pool) +
		                                             cc_kv_block_offset(pool, dst[i])),
		                                b + i * 2 * E, 2 * E, 0));
	CU_CHECK(cudaStreamSynchronize(0));
out:
	cudaFree(tab_d);
	cudaFree(off_d);
	cudaFree(a);
	cudaFree(b);
	free(tab_h);
	free(off_h);
	return rc;
}

static const cc_kv_storage cuda_storage = {"cuda", dev_alloc, dev_release,
                                           dev_copy, dev_move_rows, dev_quant_blocks,
                                           dev_regroup};

static int cuda_kv_storage(cc_model *m, const cc_kv_storage **storage, void **ctx, int *dtype)
{
	(void)m;
	*storage = &cuda_storage;
	*ctx = NULL;
	*dtype = CC_KV_BF16;
	return CC_OK;
}

/* ---- sessions ---- */

static void free_acts(cuda_sess *cs)
{
	cudaFree(cs->x);
	cudaFree(cs->qkv);
	cudaFree(cs->gu);
	cudaFree(cs->lse);
	cudaFree(cs->xn);
	cudaFree(cs->q);
	cudaFree(cs->att);
	cudaFree(cs->act);
	cudaFree(cs->dec_ctr);
	cs->dec_ctr = NULL;
	cs->x = cs->qkv = cs->gu = cs->lse = NULL;
	cs->xn = cs->q = cs->att = cs->act = NULL;
	cs->cap = 0;
}

/* Release a session's activations, staging, workspaces, decode graph and cuBLAS handle (its
 * workspace is device memory), leaving the fields empty; the stream stays. */
static void release_buffers(cuda_sess *cs)
{
	free_acts(cs);
	cudaFree(cs->logits);
	cudaFree(cs->stage_d);
	cudaFreeHost(cs->stage_h);
	cudaFree(cs->dec_ws);
	cudaFree(cs->pf_ws);
	cudaFree(cs->obs_d);
	cudaFreeHost(cs->obs_h);
	cudaFreeHost(cs->logit_h);
	cudaFree(cs->argmax_d);
	cudaFreeHost(cs->argmax_h);
	cudaFree(cs->qscr);
	cudaFree(cs->iota_d);
	cs->qscr = NULL;
	cs->iota_d = NULL;
	cs->qscr_blocks = 0;
	cudaFree(cs->io_stage);
	cudaFree(cs->io_off);
	cudaFree(cs->io_rot);
	cs->io_stage = NULL;
	cs->io_off = NULL;
	cs->io_rot = NULL;
	cs->io_rows = cs->io_bytes = 0;
	cs->logits = NULL;
	cs->logits_rows = 0;
	cs->stage_d = cs->stage_h = NULL;
	cs->stage_cap = 0;
	cs->dec_ws = cs->pf_ws = NULL;
	cs->dec_ws_bytes = cs->pf_ws_bytes = 0;
	cs->obs_d = cs->obs_h = NULL;
	cs->obs_cap = 0;
	cs->logit_h = NULL;
	cs->argmax_d = NULL;
	cs->argmax_h = NULL;
	cs->argmax_rows = 0;
	cs->logits_kept = 0;
	if (cs->gexec)
		cudaGraphExecDestroy(cs->gexec);
	cs->gexec = NULL;
	for (int l = 0; l < cs->pf_exec_n; l++)
		if (cs->pf_exec[l])
			cudaGraphExecDestroy(cs->pf_exec[l]);
	free(cs->pf_exec);
	cs->pf_exec = NULL;
	cs->pf_exec_n = 0;
	cc_kernels_blas_free(cs->blas);
	cs->blas = NULL;
}

/* The state of a session or of a batch (both are a cuda_sess), stream included. */
static void cuda_sess_free(cuda_sess *cs)
{
	if (!cs)
		return;
	if (cs->stream)
		cudaStreamSynchronize(cs->stream);
	release_buffers(cs);
	if (cs->stream)
		cudaStreamDestroy(cs->stream);
	free(cs);
}

static void cuda_session_free(cc_session *s)
{
	cuda_sess_free(s->backend_state);
	s->backend_state = NULL;
}

/* Release everything but the stream; the next forward reallocates. */
static void cuda_session_trim(cc_session *s)
{
	cuda_sess *cs = s->backend_state;
	if (!cs)
		return;
	cudaStreamSynchronize(cs->stream);
	cs->buf_gen++;
	release_buffers(cs);
}

/* The environment switches a session or batch reads when it is made (benchmarks compare the
 * paths in one process): CC_GEMV=0 runs every product through cuBLAS, CC_GEMV_ROPE=0 keeps
 * RoPE and the K/V store out of the q/k/v matrix-vector product (their own launch),
 * CC_ATTN_MERGE=0 merges the decode attention's splits in a second launch, CC_GU_F32=1 and
 * CC_QKV_F32=1 write the prefill's gate/up and q/k/v products in f32 instead of bf16,
 * CC_PF_GRAPH=0 launches prefill layers kernel by kernel and CC_PF_GRAPH=N (N > 1) sets the
 * chunk size (tokens) from which layers are launched as graphs (default 256);
 * CC_PF_GRAPH_STRICT=1 (tests) makes a layer that cannot run as a graph an error. */
static void sess_switches(cuda_sess *cs)
{
	const char *gm = getenv("CC_GEMV"), *gr = getenv("CC_GEMV_ROPE");
	const char *am = getenv("CC_ATTN_MERGE"), *gf = getenv("CC_GU_F32");
	const char *qf = getenv("CC_QKV_F32"), *pg = getenv("CC_PF_GRAPH");
	cs->gemv_off = gm && !strcmp(gm, "0");
	cs->rope_sep = gr && !strcmp(gr, "0");
	cs->merge_sep = am && !strcmp(am, "0");
	cs->gu_f32 = gf && !strcmp(gf, "1");
	cs->qkv_f32 = qf && !strcmp(qf, "1");
	cs->pf_graph_off = pg && !strcmp(pg, "0");
	cs->pf_graph_rows = pg && atoi(pg) > 1 ? atoi(pg) : ENGINE_PF_GRAPH_ROWS;
	const char *ps = getenv("CC_PF_GRAPH_STRICT");
	cs->pf_strict = ps && !strcmp(ps, "1");
}

static int cuda_session_init(cc_session *s)
{
	cuda_sess *cs;
	int rc = CC_OK;
	int dtype = cc_kv_pool_config(s->pref->pool)->dtype;
	const cc_model_config *c = &s->model->cfg;
	cc_kernels_qkv qk;
	if (dtype != CC_KV_BF16)
		return cc_error_set(CC_EUNSUPPORTED, "cuda backend: KV cache dtype must be bf16");
	if (pool_qkv(&qk, s->pref->pool)) {
		/* what the quantized decode kernel and the sealing kernel take */
		if (qk.head_dim != 32 && qk.head_dim != 64 && qk.head_dim != 128)
			return cc_error_set(CC_EUNSUPPORTED,
			                    "cuda backend: a quantized KV cache needs "
			                    "head_dim 32, 64 or 128, not %d; use --device cpu",
			                    qk.head_dim);
		if (c->n_heads / c->n_kv_heads > 8)
			return cc_error_set(CC_EUNSUPPORTED,
			                    "cuda backend: a quantized KV cache takes "
			                    "at most 8 query heads per KV head, not %d; use --device cpu",
			                    c->n_heads / c->n_kv_heads);
		if ((size_t)(qk.block_size + 2) * (size_t)qk.head_dim * 4 > 48 * 1024)
			return cc_error_set(CC_EUNSUPPORTED,
			                    "cuda backend: quantized blocks of %d "
			                    "tokens are too large (at most %d)",
			                    qk.block_size,
			                    48 * 1024 / 4 / qk.head_dim - 2);
	}
	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return cc_error_set(CC_ENOMEM, "out of memory");
	s->backend_state = cs;
	/* CC_CUDA_GRAPHS=0 runs decode steps eagerly (benchmarks compare; debugging) */
	const char *ge = getenv("CC_CUDA_GRAPHS");
	cs->graph_off = ge && !strcmp(ge, "0");
	sess_switches(cs);
	CU_CHECK(cudaStreamCreateWithFlags(&cs->stream, cudaStreamNonBlocking));
	KC_CHECK(cc_kernels_blas_new(&cs->blas));
out:
	if (rc)
		cuda_session_free(s);
	return rc;
}

#define GROW(ptr, bytes) CU_CHECK(cudaMalloc((void **)&(ptr), (bytes)))

static int ensure_acts(cuda_sess *cs, const cc_model_config *c, int QKV, size_t n)
{
	int rc = CC_OK;
	if (n <= cs->cap)
		return CC_OK;
	cudaStreamSynchronize(cs->stream);
	cs->buf_gen++;
	free_acts(cs);
	size_t H = (size_t)c->hidden, Q = (size_t)c->n_heads * c->head_dim;
	size_t I = (size_t)c->intermediate;
	GROW(cs->x, n * H * 4);
	GROW(cs->xn, n * H * 2);
	GROW(cs->qkv, n * (size_t)QKV * 4);
	GROW(cs->q, n * Q * 2);
	GROW(cs->att, n * Q * 2);
	GROW(cs->gu, n * 2 * I * 4);
	GROW(cs->act, n * I * 2);
	GROW(cs->lse, n * (size_t)c->n_heads * 4);
	/* the decode attention's merge counters: zero once, every launch leaves them zero */
	GROW(cs->dec_ctr, n * (size_t)c->n_heads * 4);
	CU_CHECK(cudaMemset(cs->dec_ctr, 0, n * (size_t)c->n_heads * 4));
	cs->cap = n;
out:
	if (rc)
		free_acts(cs);
	return rc;
}

/* the greedy choices of `rows` rows, on the device and in pinned host memory */
static int ensure_argmax_rows(cuda_sess *cs, size_t rows)
{
	int rc = CC_OK;
	if (rows > cs->argmax_rows) {
		cudaFree(cs->argmax_d);
		cudaFreeHost(cs->argmax_h);
		cs->argmax_d = NULL;
		cs->argmax_h = NULL;
		cs->argmax_rows = 0;
	}
	if (!cs->argmax_d)
		CU_CHECK(cudaMalloc((void **)&cs->argmax_d, rows * sizeof(int32_t)));
	if (!cs->argmax_h)
		CU_CHECK(cudaMallocHost((void **)&cs->argmax_h, rows * sizeof(int32_t)));
	cs->argmax_rows = rows;
out:
	return rc;
}

static int ensure_argmax(cuda_sess *cs)
{
	return ensure_argmax_rows(cs, cs->argmax_rows ? cs->argmax_rows : 1);
}

static int ensure_logits(cuda_sess *cs, size_t rows, int vocab)
{
	int rc = CC_OK;
	if (rows <= cs->logits_rows)
		return CC_OK;
	cudaStreamSynchronize(cs->stream);
	cs->buf_gen++;
	cudaFree(cs->logits);
	cs->logits = NULL;
	cs->logits_rows = 0;
	GROW(cs->logits, rows * (size_t)vocab * 4);
	cs->logits_rows = rows;
out:
	return rc;
}

static int ensure_stage(cuda_sess *cs, size_t n)
{
	int rc = CC_OK;
	if (n <= cs->stage_cap)
		return CC_OK;
	cudaStreamSynchronize(cs->stream);
	cs->buf_gen++;
	cudaFree(cs->stage_d);
	cudaFreeHost(cs->stage_h);
	cs->stage_d = NULL;
	cs->stage_h = NULL;
	cs->stage_cap = 0;
	n = n * 3 / 2 + 1024;
	GROW(cs->stage_d, n * 4);
	CU_CHECK(cudaMallocHost((void **)&cs->stage_h, n * 4));
	cs->stage_cap = n;
out:
	return rc;
}

static int ensure_obs(cuda_sess *cs, const cc_model_config *c, size_t len)
{
	int rc = CC_OK;
	if (len <= cs->obs_cap)
		return CC_OK;
	cudaStreamSynchronize(cs->stream);
	cs->buf_gen++;
	cudaFree(cs->obs_d);
	cudaFreeHost(cs->obs_h);
	cs->obs_d = cs->obs_h = NULL;
	cs->obs_cap = 0;
	size_t bytes = (size_t)c->n_layers * c->n_kv_heads * len * 4;
	GROW(cs->obs_d, bytes);
	CU_CHECK(cudaMallocHost((void **)&cs->obs_h, bytes));
	cs->obs_cap = len;
out:
	return rc;
}

static int ensure_dec_ws(cuda_sess *cs, const cc_model_config *c, size_t n_seqs, size_t len,
                         int quant)
{
	int rc = CC_OK;
	size_t need = quant ? cc_kernels_attn_q_workspace((int)n_seqs, c->n_heads, c->head_dim,
	                                                  (int)len)
	                    : cc_kernels_attn_decode_workspace((int)n_seqs, c->n_heads,
	                                                       c->head_dim, (int)len);
	if (need <= cs->dec_ws_bytes)
		return CC_OK;
	cudaStreamSynchronize(cs->stream);
	cs->buf_gen++;
	cudaFree(cs->dec_ws);
	cs->dec_ws = NULL;
	cs->dec_ws_bytes = 0;
	need *= 2; /* room to grow */
	GROW(cs->dec_ws, need);
	cs->dec_ws_bytes = need;
out:
	return rc;
}

static int ensure_pf_ws(cuda_sess *cs, const cc_model_config *c, size_t n, size_t len)
{
	int rc = CC_OK;
	size_t need = cc_kernels_attn_prefill_workspace((int)n, c->n_heads, c->head_dim, (int)len);
	if (need <= cs->pf_ws_bytes)
		return CC_OK;
	cudaStreamSynchronize(cs->stream);
	cs->buf_gen++;
	cudaFree(cs->pf_ws);
	cs->pf_ws = NULL;
	cs->pf_ws_bytes = 0;
	GROW(cs->pf_ws, need);
	cs->pf_ws_bytes = need;
out:
	return rc;
}

/* Scratch for a quantized pool's prefill: `blocks` bf16 blocks of block_elems elements and
 * the identity table 0 .. blocks-1. */
static int ensure_qscr(cuda_sess *cs, size_t blocks, size_t block_elems)
{
	int32_t *iota = NULL;
	int rc = CC_OK;
	if (blocks <= cs->qscr_blocks)
		return CC_OK;
	cudaStreamSynchronize(cs->stream);
	cs->buf_gen++;
	cudaFree(cs->qscr);
	cudaFree(cs->iota_d);
	cs->qscr = NULL;
	cs->iota_d = NULL;
	cs->qscr_blocks = 0;
	blocks = blocks + blocks / 4 + 8; /* room to grow */
	iota = malloc(blocks * sizeof(*iota));
	if (!iota) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < blocks; i++)
		iota[i] = (int32_t)i;
	GROW(cs->qscr, blocks * block_elems * 2);
	GROW(cs->iota_d, blocks * sizeof(int32_t));
	CU_CHECK(cudaMemcpy(cs->iota_d, iota, blocks * sizeof(int32_t), cudaMemcpyHostToDevice));
	cs->qscr_blocks = blocks;
out:
	free(iota);
	return rc;
}

/* Everything one forward call enqueues after the staging upload: embedding, the layers, and
 * the logits of the last `rows` tokens into logits_dst (host; NULL or rows 0: none). The
 * decode attention is sized for dec_max_len (>= every layer's length). n_seqs: 1 for a chunk
 * of one session; the number of rows for a batched decode step (row i is session i's token;
 * use_decode set, first_slot NULL). Staging layout (int32): ids[n] pos[n] lens[L][n_seqs]
 * dst[L][n] block tables[L][n_seqs][bt_stride]. With rag (per-KV-head tables, K = n_kv_heads):
 * ids[n] pos[n] lens[L][n_seqs][K] (decode: each head's length; prefill: each head's slots
 * before the chunk) dst[L][n][K] (lane slots) q0[L][K] (each head's first observation-window
 * slot) lane tables[L][n_seqs][K][bt_stride]. */
typedef struct {
	size_t n, bt_stride, rows, n_seqs;
	const int32_t *first_slot;
	int use_decode, dec_max_len;
	float *logits_dst;
	const cc_obs_req *obs;
	int rag;
	int pf_graph; /* launch each layer as a graph (cuda_sess pf_exec; prefill chunks) */
} fwd_args;

/* int32 entries of the staging layout above. */
static size_t stage_entries(const fwd_args *a, int L, int kvh)
{
	size_t K = a->rag ? (size_t)kvh : 1, ns = a->n_seqs;
	return 2 * a->n + (size_t)L * (ns * K + a->n * K + (a->rag ? K : 0) + ns * K * a->bt_stride);
}

/* Begin capturing one prefill layer (pf_exec) on the session's stream; 0 when capture is
 * refused (graphs are then off for the session: the layer runs eagerly). */
static int pf_layer_begin(cuda_sess *cs)
{
	if (cudaStreamBeginCapture(cs->stream, cudaStreamCaptureModeThreadLocal) == cudaSuccess)
		return 1;
	(void)cudaGetLastError();
	cs->pf_graph_off = 1;
	return 0;
}

/* End layer l's capture and launch it. Its exec is updated in place from the new capture
 * (the same kernels with this chunk's arguments), or instantiated when there is none or the
 * update is refused (another topology: cuBLAS chose another algorithm for this size).
 * ok 0 (a launch failed while capturing) or any failure here: nothing of the layer ran;
 * graphs are turned off for the session and -1 tells the caller to enqueue the layer again
 * eagerly (a real error then shows there). */
static int pf_layer_end(cuda_sess *cs, int L, int l, int ok)
{
	cudaGraph_t g = NULL;
	cudaError_t e = cudaStreamEndCapture(cs->stream, &g);
	if (!ok || e != cudaSuccess || !g)
		goto fail;
	if (!cs->pf_exec) { /* (a session's layer count never changes) */
		if (!(cs->pf_exec = calloc((size_t)L, sizeof(*cs->pf_exec))))
			goto fail;
		cs->pf_exec_n = L;
	}
	if (cs->pf_exec[l]) {
#if CUDART_VERSION >= 12000
		cudaGraphExecUpdateResultInfo info;
		e = cudaGraphExecUpdate(cs->pf_exec[l], g, &info);
#else
		cudaGraphNode_t bad;
		cudaGraphExecUpdateResult res;
		e = cudaGraphExecUpdate(cs->pf_exec[l], g, &bad, &res);
#endif
		if (e != cudaSuccess) {
			(void)cudaGetLastError();
			cudaGraphExecDestroy(cs->pf_exec[l]);
			cs->pf_exec[l] = NULL;
		}
	}
	if (!cs->pf_exec[l] && cudaGraphInstantiate(&cs->pf_exec[l], g, 0) != cudaSuccess) {
		cs->pf_exec[l] = NULL;
		goto fail;
	}
	cudaGraphDestroy(g);
	g = NULL;
	if (cudaGraphLaunch(cs->pf_exec[l], cs->stream) != cudaSuccess)
		goto fail;
	return 0;
fail:
	if (g)
		cudaGraphDestroy(g);
	(void)cudaGetLastError();
	cc_error_clear();
	cs->pf_graph_off = 1;
	return -1;
}

static int enqueue_body(const cc_model *m, cuda_sess *cs, const cc_kv_pool *pool,
                        const fwd_args *a)
{
	const cc_model_config *c = &m->cfg;
	const cuda_model *cm = m->backend_state;
	int L = c->n_layers, H = c->hidden, nh = c->n_heads, kvh = c->n_kv_heads, hd = c->head_dim;
	int I = c->intermediate, V = c->vocab, QKV = cm->QKV;
	int bs = cc_kv_pool_config(pool)->block_tokens;
	size_t n = a->n, Q = (size_t)nh * hd;
	float scale = 1.0f / sqrtf((float)hd), theta = (float)c->rope_theta;
	float eps = (float)c->rms_eps;
	cudaStream_t st = cs->stream;
	const cc_obs_req *obs = a->obs;
	int rc = CC_OK;

	int32_t *d = cs->stage_d;
	size_t ns = a->n_seqs, K = a->rag ? (size_t)kvh : 1;
	int32_t *d_ids = d, *d_pos = d + n, *d_len = d + 2 * n, *d_dst = d_len + (size_t)L * ns * K;
	int32_t *d_q0 = d_dst + (size_t)L * n * K;
	int32_t *d_bt = d_q0 + (a->rag ? (size_t)L * K : 0);
	uint16_t *pool_base = cc_kv_pool_base(pool);
	size_t half = (size_t)kvh * bs * hd;
	cc_kernels_kv kv = {pool_base, pool_base + half, cc_kv_block_bytes(pool) / 2, bs, kvh, hd};
	cc_kernels_qkv qkv;
	int quant = pool_qkv(&qkv, pool);
	/* a quantized pool's prefill attends over its blocks read back into cs->qscr */
	cc_kernels_kv skv = {cs->qscr, cs->qscr + half, 2 * half, bs, kvh, hd};

	/* one row (a decode step): the matrix-vector kernels, which read each weight once at
	 * close to the memory's bandwidth, with the norms and SwiGLU fused in. Not for 2-4 rows
	 * although the kernels take them: on an H200 the down projection with 4 rows reached 47%
	 * of the copy bandwidth against 80% with one (bench/results/gpu.md), likely no better
	 * than cuBLAS, and 2-3 rows were not measured. */
	int gv = !cs->gemv_off && n <= ENGINE_GEMV_ROWS;
	int gv_h = gv && cc_kernels_gemv_ok((int)n, H, 1);
	int gv_q = gv && cc_kernels_gemv_ok((int)n, (int)Q, 0);
	int gv_i = gv && cc_kernels_gemv_ok((int)n, I, 0);
	/* RoPE and the K/V store as the q/k/v product's epilogue: uniform layers of a bf16 pool
	 * (ragged layers store by lanes, quantized pools keep the separate kernel) */
	int gv_rope = gv_h && !a->rag && !quant && !cs->rope_sep;
	/* the cuBLAS q/k/v product in bf16 (as transformers' bf16 models compute it): half the
	 * bytes of f32 written and read again by RoPE; its bias is still added in f32 */
	int qkv16 = !gv_h && !cs->qkv_f32;
	uint16_t *qkv_h = (uint16_t *)cs->qkv;

	/* the layer being captured (a->pf_graph), -1 none; the first layer to enqueue */
	int capl = -1, l0 = 0;

	/* the cuBLAS products' shapes are tuned once per process (cc_kernels_gemm_prepare),
	 * here, before any capture of a layer would need them; later chunks only look up.
	 * (Products of fewer than 8 rows are not tuned; a decode step's capture has one row.) */
	if (L > 0 && n >= 8) {
		const cuda_layer *W0 = &cm->L[0];
		int gu16 = !W0->bgu && !cs->gu_f32;
		if (!gv_h)
			KC_CHECK(cc_kernels_gemm_prepare(cs->blas, cs->xn, W0->wqkv, (int)n, QKV, H,
			                                 qkv16, 0, st));
		if (!gv_q)
			KC_CHECK(cc_kernels_gemm_prepare(cs->blas, cs->att, W0->wo, (int)n, H, (int)Q,
			                                 0, 1, st));
		if (!gv_h || W0->bgu)
			KC_CHECK(cc_kernels_gemm_prepare(cs->blas, cs->xn, W0->wgu, (int)n, 2 * I, H,
			                                 gu16, 0, st));
		if (!gv_i)
			KC_CHECK(cc_kernels_gemm_prepare(cs->blas, cs->act, W0->wdown, (int)n, H, I, 0,
			                                 1, st));
	}

	KC_CHECK(cc_kernels_embedding(cs->x, cm->embed, d_ids, (int)n, H, V, st));
layers:
	for (int l = l0; l < L; l++) {
		if (a->pf_graph && !cs->pf_graph_off && pf_layer_begin(cs))
			capl = l;
		const cuda_layer *W = &cm->L[l];
		const int32_t *bt = d_bt + (size_t)l * ns * K * a->bt_stride;
		const int32_t *lens = d_len + (size_t)l * ns * K;
		int past = a->first_slot ? a->first_slot[l] : 0;
		if (gv_rope) /* RMSNorm, q/k/v, RoPE and the K/V store in one launch */
			KC_CHECK(cc_kernels_gemv_rope(cs->q, &kv, W->bqkv, d_pos, d_dst + (size_t)l * n,
			                              nh, theta, cm->inv_freq, NULL, cs->x,
			                              W->attn_norm, eps, W->wqkv, (int)n, H, st));
		else if (gv_h) /* RMSNorm fused into the matrix-vector product */
			KC_CHECK(cc_kernels_gemv(cs->qkv, CC_GEMV_STORE, NULL, cs->x, W->attn_norm, eps,
			                         W->wqkv, (int)n, QKV, H, st));
		else {
			KC_CHECK(cc_kernels_rmsnorm(cs->xn, cs->x, W->attn_norm, (int)n, H, eps, st));
			if (qkv16)
				KC_CHECK(cc_kernels_gemm_bf16out(cs->blas, qkv_h, cs->xn, W->wqkv, (int)n,
				                                 QKV, H, st));
			else
				KC_CHECK(cc_kernels_gemm(cs->blas, cs->qkv, cs->xn, W->wqkv, (int)n, QKV,
				                         H, 0, st));
		}
		if (qkv16) /* (uniform or ragged destinations) */
			KC_CHECK(cc_kernels_rope_qkv16(cs->q, &kv, qkv_h, W->bqkv, d_pos,
			                               d_dst + (size_t)l * n * K, (int)n,
			                               nh, theta, cm->inv_freq, a->rag, st));
		else if (a->rag) /* (gv_rope did this in the product's epilogue) */
			KC_CHECK(cc_kernels_rope_qkv_lanes(cs->q, &kv, cs->qkv, W->bqkv, d_pos,
			                                   d_dst + (size_t)l * n * K, (int)n, nh, theta,
			                                   cm->inv_freq, st));
		else if (!gv_rope)
			KC_CHECK(cc_kernels_rope_qkv_freq(cs->q, &kv, cs->qkv, W->bqkv, d_pos,
			                                  d_dst + (size_t)l * n, (int)n, nh, theta,
			                                  cm->inv_freq, st));
		const cc_kernels_kv *akv = &kv; /* what the prefill attention reads */
		const int32_t *abt = bt;
		if (a->rag && a->use_decode && !cs->merge_sep)
			KC_CHECK(cc_kernels_attn_decode_heads_merged(
				cs->att, cs->q, &kv, bt, (int)a->bt_stride, lens, (int)ns, a->dec_max_len,
				nh, scale, cs->dec_ws, cs->dec_ctr, st));
		else if (a->rag && a->use_decode)
			KC_CHECK(cc_kernels_attn_decode_heads(cs->att, cs->q, &kv, bt, (int)a->bt_stride,
			                                      lens, (int)ns, a->dec_max_len, nh, scale,
			                                      cs->dec_ws, st));
		else if (a->rag) /* past: the longest head's slots before the chunk */
			KC_CHECK(cc_kernels_attn_prefill_heads(cs->att, cs->lse, (int)n, cs->q, &kv, bt,
			                                       (int)a->bt_stride, lens, past, (int)n, nh,
			                                       scale, cs->pf_ws, cs->pf_ws_bytes, st));
		else if (a->use_decode && quant)
			KC_CHECK(cc_kernels_attn_decode_q(cs->att, cs->q, &qkv, bt, (int)a->bt_stride,
			                                  d_len + (size_t)l * ns, (int)ns, a->dec_max_len,
			                                  nh, scale, cs->dec_ws, st));
		else if (a->use_decode && !cs->merge_sep)
			KC_CHECK(cc_kernels_attn_decode_merged(cs->att, cs->q, &kv, bt, (int)a->bt_stride,
			                                       d_len + (size_t)l * ns, (int)ns,
			                                       a->dec_max_len, nh, scale, cs->dec_ws,
			                                       cs->dec_ctr, st));
		else if (a->use_decode)
			KC_CHECK(cc_kernels_attn_decode(cs->att, cs->q, &kv, bt, (int)a->bt_stride,
			                                d_len + (size_t)l * ns, (int)ns, a->dec_max_len,
			                                nh, scale, cs->dec_ws, st));
		else {
			if (quant) {
				int nbl = (past + (int)n + bs - 1) / bs;
				KC_CHECK(cc_kernels_kv_dequant_blocks(cs->qscr, 0, &qkv, bt, nbl, st));
				akv = &skv;
				abt = cs->iota_d;
			}
			KC_CHECK(cc_kernels_attn_prefill(cs->att, cs->lse, (int)n, cs->q, akv, abt, past,
			                                 (int)n, nh, scale, cs->pf_ws, cs->pf_ws_bytes, st));
		}
		if (obs && obs->q_from < n && a->rag) {
			/* head h's row of the layer's area: its own length, at stride past + n */
			int qf = (int)obs->q_from;
			KC_CHECK(cc_kernels_obs_stats_heads(
				cs->obs_d + (size_t)l * kvh * cs->obs_cap, past + (int)n,
				cs->q + (size_t)qf * Q, cs->lse, (int)n, qf, &kv, bt, (int)a->bt_stride,
				d_q0 + (size_t)l * K, past + qf, (int)n - qf, nh, scale, st));
		} else if (obs && obs->q_from < n) {
			int qf = (int)obs->q_from;
			KC_CHECK(cc_kernels_obs_stats(cs->obs_d + (size_t)l * kvh * cs->obs_cap,
			                              cs->q + (size_t)qf * Q, cs->lse, (int)n, qf, akv, abt,
			                              past + qf, (int)n - qf, nh, scale, st));
		}
		if (gv_q)
			KC_CHECK(cc_kernels_gemv(cs->x, CC_GEMV_ADD, cs->att, NULL, NULL, 0.f, W->wo,
			                         (int)n, H, (int)Q, st));
		else
			KC_CHECK(cc_kernels_gemm(cs->blas, cs->x, cs->att, W->wo, (int)n, H, (int)Q, 1,
			                         st));
		if (W->bo)
			KC_CHECK(cc_kernels_add_bias(cs->x, W->bo, (int)n, H, st));
		if (gv_h && !W->bgu) { /* RMSNorm, gate/up and SwiGLU in one launch */
			KC_CHECK(cc_kernels_gemv(cs->act, CC_GEMV_SWIGLU, NULL, cs->x, W->ffn_norm, eps,
			                         W->wgu, (int)n, 2 * I, H, st));
		} else {
			KC_CHECK(cc_kernels_rmsnorm(cs->xn, cs->x, W->ffn_norm, (int)n, H, eps, st));
			if (W->bgu || cs->gu_f32) { /* f32 product, the bias added in f32 */
				KC_CHECK(cc_kernels_gemm(cs->blas, cs->gu, cs->xn, W->wgu, (int)n, 2 * I,
				                         H, 0, st));
				if (W->bgu)
					KC_CHECK(cc_kernels_add_bias(cs->gu, W->bgu, (int)n, 2 * I, st));
				KC_CHECK(cc_kernels_swiglu(cs->act, cs->gu, (int)n, I, st));
			} else { /* bf16 product (as transformers' bf16 models): half the bytes */
				uint16_t *gu16 = (uint16_t *)cs->gu;
				KC_CHECK(cc_kernels_gemm_bf16out(cs->blas, gu16, cs->xn, W->wgu, (int)n,
				                                 2 * I, H, st));
				KC_CHECK(cc_kernels_swiglu_bf16(cs->act, gu16, (int)n, I, st));
			}
		}
		if (gv_i)
			KC_CHECK(cc_kernels_gemv(cs->x, CC_GEMV_ADD, cs->act, NULL, NULL, 0.f, W->wdown,
			                         (int)n, H, I, st));
		else
			KC_CHECK(cc_kernels_gemm(cs->blas, cs->x, cs->act, W->wdown, (int)n, H, I, 1,
			                         st));
		if (W->bdown)
			KC_CHECK(cc_kernels_add_bias(cs->x, W->bdown, (int)n, H, st));
		if (capl == l) {
			capl = -1;
			int launched = pf_layer_end(cs, L, l, 1) == 0;
			if (!launched && cs->pf_strict) {
				rc = cc_error_set(CC_ECUDA, "cuda prefill: layer %d could not run as a "
				                            "CUDA graph (CC_PF_GRAPH_STRICT=1)",
				                  l);
				goto out;
			}
			if (!launched)
				l--; /* enqueue it again, eagerly */
		}
	}
	if (a->rows) {
		const float *xr = cs->x + (n - a->rows) * (size_t)H;
		if (!cs->gemv_off && a->rows <= ENGINE_GEMV_ROWS &&
		    cc_kernels_gemv_ok((int)a->rows, H, 1))
			KC_CHECK(cc_kernels_gemv(cs->logits, CC_GEMV_STORE, NULL, xr, cm->norm, eps,
			                         cm->lm_head, (int)a->rows, V, H, st));
		else {
			KC_CHECK(cc_kernels_rmsnorm(cs->xn, xr, cm->norm, (int)a->rows, H, eps, st));
			KC_CHECK(cc_kernels_gemm(cs->blas, cs->logits, cs->xn, cm->lm_head, (int)a->rows,
			                         V, H, 0, st));
		}
		if (a->logits_dst)
			CU_CHECK(cudaMemcpyAsync(a->logits_dst, cs->logits, a->rows * (size_t)V * 4,
			                         cudaMemcpyDeviceToHost, st));
	}
	if (obs && obs->q_from < n)
		CU_CHECK(cudaMemcpyAsync(cs->obs_h, cs->obs_d, (size_t)L * kvh * cs->obs_cap * 4,
		                         cudaMemcpyDeviceToHost, st));
out:
	if (capl >= 0) {
		/* a launch failed while layer capl was captured: nothing of it ran; drop the
		 * capture and enqueue it (and the rest) eagerly, where a real error shows */
		l0 = capl;
		capl = -1;
		(void)pf_layer_end(cs, L, l0, 0);
		if (!cs->pf_strict) {
			rc = CC_OK;
			goto layers;
		}
		cc_error_set(rc, "cuda prefill: a launch failed while layer %d was captured "
		                 "(CC_PF_GRAPH_STRICT=1)",
		             l0);
	}
	return rc;
}

/* Replay (capturing first when needed) the decode graph for context bucket `cap`. Returns
 * CC_OK when the step ran through the graph, 1 when the caller must run it eagerly. */
static int decode_graph(cc_session *s, const fwd_args *a, int cap)
{
	cuda_sess *cs = s->backend_state;
	const cc_kv_pool *pool = s->pref->pool;
	cudaStream_t st = cs->stream;
	cudaGraph_t graph = NULL;
	int rc = CC_OK;
	if (cs->graph_off)
		return 1;
	if (!cs->gexec || cs->g_cap != cap || cs->g_gen != cs->buf_gen || cs->g_rag != a->rag) {
		if (cs->gexec) {
			cudaGraphExecDestroy(cs->gexec);
			cs->gexec = NULL;
		}
		if (cudaStreamBeginCapture(st, cudaStreamCaptureModeThreadLocal) != cudaSuccess) {
			(void)cudaGetLastError();
			cs->graph_off = 1;
			return 1;
		}
		rc = enqueue_body(s->model, cs, pool, a);
		cudaError_t e = cudaStreamEndCapture(st, &graph);
		if (rc == CC_OK && e == cudaSuccess && graph)
			e = cudaGraphInstantiate(&cs->gexec, graph, 0);
		if (graph)
			cudaGraphDestroy(graph);
		if (rc != CC_OK || e != cudaSuccess || !cs->gexec) {
			/* not capturable here: remember, and run this and later steps eagerly */
			(void)cudaGetLastError();
			cs->gexec = NULL;
			cs->graph_off = 1;
			cc_error_clear();
			return 1;
		}
		cs->g_cap = cap;
		cs->g_gen = cs->buf_gen;
		cs->g_rag = a->rag;
	}
	CU_CHECK(cudaGraphLaunch(cs->gexec, st));
out:
	return rc;
}

/* Per-head tables address lane slots id * block_tokens + row in int32: refuse pools too large
 * for that (CC_EUNSUPPORTED) and quantized ones (never ragged; checked for safety). */
static int rag_check(const cc_kv_pool *pool)
{
	const cc_kv_config *kc = cc_kv_pool_config(pool);
	if (cc_kv_pool_qlayout(pool))
		return cc_error_set(CC_EUNSUPPORTED,
		                    "cuda forward: a quantized KV cache with a ragged layer");
	if ((double)kc->n_blocks * kc->n_kv_heads * kc->block_tokens > 2147483647.0)
		return cc_error_set(CC_EUNSUPPORTED,
		                    "cuda forward: a KV pool of %zu blocks x %d KV heads x %d "
		                    "tokens is too large for per-head tables (ragged layers, adakv); "
		                    "make it smaller",
		                    kc->n_blocks, kc->n_kv_heads, kc->block_tokens);
	return CC_OK;
}

/* Stage one sequence's per-head view of `layer` (rag layout of fwd_args): for each KV head h,
 * its lane table at tab + h * bt_stride, in len[h] its length (whole, or the slots before the
 * new tokens when `before`), and for its new tokens i < n (at layer slot first + i, as
 * cc_kv_seq_append gave) the lane slot dst[i * dst_stride + h]; q0[h] (q0 may be NULL) its
 * slot of new token q_from. */
static void stage_heads(const cc_kv_seq *seq, int layer, int kvh, int bs, size_t first, size_t n,
                        int before, size_t bt_stride, int32_t *tab, int32_t *len, int32_t *dst,
                        size_t dst_stride, int32_t *q0, size_t q_from)
{
	for (int h = 0; h < kvh; h++) {
		int32_t *t = tab + (size_t)h * bt_stride;
		size_t hs = cc_kv_seq_head_slot(seq, layer, h, first);
		cc_kv_seq_head_lanes(seq, layer, h, t); /* ceil(len / bs) <= bt_stride lanes */
		len[h] = (int32_t)(before ? hs : hs + n);
		for (size_t i = 0; i < n; i++) {
			size_t sl = hs + i;
			dst[i * dst_stride + (size_t)h] =
				t[sl / (size_t)bs] * bs + (int32_t)(sl % (size_t)bs);
		}
		if (q0)
			q0[h] = (int32_t)(hs + q_from);
	}
}

static int cuda_forward(cc_session *s, const int32_t *ids, size_t n, const int32_t *pos,
                        const int32_t *first_slot, int logits_mode, float *logits,
                        const cc_obs_req *obs)
{
	const cc_model *m = s->model;
	const cc_model_config *c = &m->cfg;
	const cuda_model *cm = m->backend_state;
	cuda_sess *cs = s->backend_state;
	const cc_kv_pool *pool = s->pref->pool;
	int L = c->n_layers, kvh = c->n_kv_heads, V = c->vocab;
	int bs = cc_kv_pool_config(pool)->block_tokens;
	size_t bt_stride = 1, max_len = 0;
	cudaStream_t st;
	int rc = CC_OK, rag = 0;

	if (n == 0 || n > (size_t)1 << 30)
		return cc_error_set(CC_EINVAL, "cuda forward: bad token count %zu", n);
	st = cs->stream;
	for (int l = 0; l < L; l++) {
		size_t nb;
		rag |= cc_kv_seq_ragged(s->seq, l);
		cc_kv_seq_blocks(s->seq, l, &nb);
		if (nb > bt_stride)
			bt_stride = nb;
		size_t len = (size_t)first_slot[l] + n;
		if (len > max_len)
			max_len = len;
		/* a ragged layer's longest head can hold more lanes than the layer has blocks */
		if ((len + (size_t)bs - 1) / (size_t)bs > bt_stride)
			bt_stride = (len + (size_t)bs - 1) / (size_t)bs;
	}
	if (rag && (rc = rag_check(pool)))
		return rc;
	int keep = logits_mode == CC_LOGITS_KEEP; /* the last row stays on the device */
	fwd_args a = {n, bt_stride, 0, 1, first_slot, n == 1 && !obs, (int)max_len,
	              keep ? NULL : logits, obs, rag, 0};
	if ((logits || keep) && logits_mode != CC_LOGITS_NONE)
		a.rows = logits_mode == CC_LOGITS_ALL ? n : 1;
	if (!cs->blas) /* released by cc_session_trim */
		KC_CHECK(cc_kernels_blas_new(&cs->blas));
	/* decode steps of one context bucket (512 slots) share a graph: the block-table stride
	 * and the decode split are sized for the bucket, lengths are read on the device */
	int cap = 0;
	if (a.use_decode && a.rows == 1) {
		cap = (int)((max_len + 511) / 512 * 512);
		a.dec_max_len = cap;
		a.bt_stride = ((size_t)cap + (size_t)bs - 1) / (size_t)bs;
		if (a.bt_stride < bt_stride) /* (cannot happen: a layer's blocks cover its slots) */
			a.bt_stride = bt_stride;
	}
	KC_CHECK(ensure_acts(cs, c, cm->QKV, n));
	KC_CHECK(ensure_stage(cs, stage_entries(&a, L, kvh)));
	cc_kernels_qkv qk;
	int quant = pool_qkv(&qk, pool);
	if (a.use_decode)
		KC_CHECK(ensure_dec_ws(cs, c, 1, (size_t)a.dec_max_len, quant));
	else
		KC_CHECK(ensure_pf_ws(cs, c, n, max_len));
	if (quant && !a.use_decode)
		KC_CHECK(ensure_qscr(cs, a.bt_stride, 2 * (size_t)kvh * (size_t)bs * (size_t)c->head_dim));
	if (obs)
		KC_CHECK(ensure_obs(cs, c, max_len));
	if (a.rows)
		KC_CHECK(ensure_logits(cs, a.rows, V));
	if (cap && !cs->logit_h)
		CU_CHECK(cudaMallocHost((void **)&cs->logit_h, (size_t)V * sizeof(float)));
	cs->logits_kept = 0;

	/* staging: ids[n] pos[n] lens[L] dst[L][n] bt[L][bt_stride] (rag: per head, see
	 * fwd_args), one upload */
	size_t K = rag ? (size_t)kvh : 1;
	int32_t *h = cs->stage_h;
	int32_t *h_ids = h, *h_pos = h + n, *h_len = h + 2 * n, *h_dst = h_len + (size_t)L * K;
	int32_t *h_q0 = h_dst + (size_t)L * n * K;
	int32_t *h_bt = h_q0 + (rag ? (size_t)L * K : 0);
	memcpy(h_ids, ids, n * 4);
	memcpy(h_pos, pos, n * 4);
	for (int l = 0; l < L && rag; l++)
		stage_heads(s->seq, l, kvh, bs, (size_t)first_slot[l], n, !a.use_decode, a.bt_stride,
		            h_bt + (size_t)l * K * a.bt_stride, h_len + (size_t)l * K,
		            h_dst + (size_t)l * n * K, K, h_q0 + (size_t)l * K,
		            obs ? obs->q_from : 0);
	for (int l = 0; l < L && !rag; l++) {
		size_t nb;
		const int32_t *bt = cc_kv_seq_blocks(s->seq, l, &nb);
		h_len[l] = first_slot[l] + (int32_t)n;
		memcpy(h_bt + (size_t)l * a.bt_stride, bt, nb * 4);
		for (size_t i = 0; i < n; i++) {
			size_t slot = (size_t)first_slot[l] + i;
			h_dst[(size_t)l * n + i] = bt[slot / (size_t)bs] * bs + (int32_t)(slot % (size_t)bs);
		}
	}
	size_t stage_n = stage_entries(&a, L, kvh);
	CU_CHECK(cudaMemcpyAsync(cs->stage_d, h, stage_n * 4, cudaMemcpyHostToDevice, st));

	int ran = 1;
	if (cap) {
		/* the graph leaves the logits on the device; the copy, when wanted, follows it */
		fwd_args g = a;
		g.logits_dst = NULL;
		if ((ran = decode_graph(s, &g, cap)) < 0)
			return ran;
		if (ran == CC_OK && !keep)
			CU_CHECK(cudaMemcpyAsync(cs->logit_h, cs->logits, (size_t)V * sizeof(float),
			                         cudaMemcpyDeviceToHost, st));
	}
	if (ran == 1 && !a.use_decode && !cs->pf_graph_off && n >= (size_t)cs->pf_graph_rows) {
		/* (reads its environment switch once, outside a capture) */
		(void)cc_kernels_prefill_wgmma_on(c->head_dim);
		a.pf_graph = 1;
	}
	if (ran == 1)
		KC_CHECK(enqueue_body(m, cs, pool, &a));
	if (keep) {
		/* greedy's choice, made here so that it rides the same synchronisation */
		KC_CHECK(ensure_argmax(cs));
		KC_CHECK(cc_kernels_argmax(cs->argmax_d, cs->logits, 1, V, V, st));
		CU_CHECK(cudaMemcpyAsync(cs->argmax_h, cs->argmax_d, sizeof(int32_t),
		                         cudaMemcpyDeviceToHost, st));
	}
	CU_CHECK(cudaStreamSynchronize(st));
	cs->logits_kept = keep;
	if (ran == CC_OK && !keep)
		memcpy(logits, cs->logit_h, (size_t)V * sizeof(float));
	if (obs && obs->q_from < n) {
		for (int l = 0; l < L; l++)
			for (int hh = 0; hh < kvh; hh++) {
				float *acc = obs->acc[l * kvh + hh];
				size_t len = (size_t)first_slot[l] + n;
				/* the kernel wrote [kvh][len] at the layer's offset, each head's first
				 * cc_kv_seq_head_len (all len of them in a uniform layer) */
				const float *src = cs->obs_h + (size_t)l * kvh * cs->obs_cap + hh * len;
				size_t hl = cc_kv_seq_head_len(s->seq, l, hh);
				for (size_t j = 0; j < hl; j++)
					acc[j] += src[j];
			}
	}
out:
	return rc;
}

/* ---- batched decode: the batch's scratch is a cuda_sess of its own ---- */

static void cuda_batch_free(cc_batch *b)
{
	cuda_sess_free(b->backend_state);
	b->backend_state = NULL;
}

static int cuda_batch_init(cc_batch *b)
{
	cuda_sess *cs = calloc(1, sizeof(*cs));
	int rc = CC_OK;
	if (!cs)
		return cc_error_set(CC_ENOMEM, "out of memory");
	b->backend_state = cs;
	cs->graph_off = 1; /* batched steps run eagerly */
	sess_switches(cs);
	CU_CHECK(cudaStreamCreateWithFlags(&cs->stream, cudaStreamNonBlocking));
	KC_CHECK(cc_kernels_blas_new(&cs->blas));
out:
	if (rc)
		cuda_batch_free(b);
	return rc;
}

static int cuda_forward_batch(cc_batch *b, cc_session *const *ss, size_t n, const int32_t *ids,
                              const int32_t *pos, const int32_t *slot, float *logits)
{
	const cc_model *m = b->model;
	const cc_model_config *c = &m->cfg;
	const cuda_model *cm = m->backend_state;
	cuda_sess *cs = b->backend_state;
	const cc_kv_pool *pool = ss[0]->pref->pool;
	int L = c->n_layers, bs = cc_kv_pool_config(pool)->block_tokens;
	int kvh = c->n_kv_heads;
	size_t bt_stride = 1, max_len = 1;
	int rc = CC_OK, rag = 0;

	if (n == 0 || n > 65535)
		return cc_error_set(CC_EINVAL, "cuda batch: %zu sessions (1 to 65535)", n);
	for (size_t i = 0; i < n; i++)
		for (int l = 0; l < L; l++) {
			size_t nb, len = cc_kv_seq_len(ss[i]->seq, l);
			rag |= cc_kv_seq_ragged(ss[i]->seq, l);
			cc_kv_seq_blocks(ss[i]->seq, l, &nb);
			if (nb > bt_stride)
				bt_stride = nb;
			if ((len + (size_t)bs - 1) / (size_t)bs > bt_stride) /* a ragged head's lanes */
				bt_stride = (len + (size_t)bs - 1) / (size_t)bs;
			if (len > max_len)
				max_len = len;
		}
	if (rag && (rc = rag_check(pool)))
		return rc;
	fwd_args a = {n, bt_stride, n, n, NULL, 1, (int)max_len, logits, NULL, rag, 0};
	KC_CHECK(ensure_acts(cs, c, cm->QKV, n));
	KC_CHECK(ensure_stage(cs, stage_entries(&a, L, kvh)));
	cc_kernels_qkv qk;
	KC_CHECK(ensure_dec_ws(cs, c, n, max_len, pool_qkv(&qk, pool)));
	KC_CHECK(ensure_logits(cs, n, c->vocab));

	size_t K = rag ? (size_t)kvh : 1;
	int32_t *h = cs->stage_h;
	int32_t *h_ids = h, *h_pos = h + n, *h_len = h + 2 * n, *h_dst = h_len + (size_t)L * n * K;
	int32_t *h_q0 = h_dst + (size_t)L * n * K;
	int32_t *h_bt = h_q0 + (rag ? (size_t)L * K : 0);
	memcpy(h_ids, ids, n * 4);
	memcpy(h_pos, pos, n * 4);
	for (int l = 0; l < L && rag; l++)
		for (size_t i = 0; i < n; i++) /* row i's token is its session's one new token */
			stage_heads(ss[i]->seq, l, kvh, bs, (size_t)slot[i * (size_t)L + (size_t)l], 1, 0,
			            bt_stride, h_bt + ((size_t)l * n + i) * K * bt_stride,
			            h_len + ((size_t)l * n + i) * K, h_dst + ((size_t)l * n + i) * K, K,
			            NULL, 0);
	for (int l = 0; l < L && !rag; l++)
		for (size_t i = 0; i < n; i++) {
			size_t nb, sl = (size_t)slot[i * (size_t)L + (size_t)l];
			const int32_t *bt = cc_kv_seq_blocks(ss[i]->seq, l, &nb);
			h_len[(size_t)l * n + i] = (int32_t)cc_kv_seq_len(ss[i]->seq, l);
			h_dst[(size_t)l * n + i] = bt[sl / (size_t)bs] * bs + (int32_t)(sl % (size_t)bs);
			memcpy(h_bt + ((size_t)l * n + i) * bt_stride, bt, nb * 4);
		}
	size_t stage_n = stage_entries(&a, L, kvh);
	CU_CHECK(cudaMemcpyAsync(cs->stage_d, h, stage_n * 4, cudaMemcpyHostToDevice, cs->stream));
	KC_CHECK(enqueue_body(m, cs, pool, &a));
	CU_CHECK(cudaStreamSynchronize(cs->stream));
out:
	return rc;
}

/* ---- KV rows in and out (engine/kv_io.c): one staging buffer, one scatter or gather ---- */

static int kv_io(cuda_sess *cs, void *pool_base, const size_t *off, size_t n, size_t row_bytes,
                 void *host, int write, const float *cs_sn, int hd)
{
	uint64_t *off_h = NULL, *off_d;
	void *stage;
	float *rot_d;
	cudaStream_t st = cs->stream;
	int rc = CC_OK;
	if (n == 0)
		return CC_OK;
	if (row_bytes % 16)
		return cc_error_set(CC_EUNSUPPORTED, "cuda kv rows: %zu-byte rows (a multiple of 16)",
		                    row_bytes);
	if (cs_sn && hd > 4096)
		return cc_error_set(CC_EUNSUPPORTED, "cuda kv rows: head_dim %d", hd);
	if (!(off_h = malloc(2 * n * sizeof(*off_h)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		off_h[i] = off[i];
		off_h[n + i] = i * row_bytes;
	}
	if (n > cs->io_rows || n * row_bytes > cs->io_bytes || !cs->io_rot) {
		size_t rows = n + n / 2, bytes = rows * row_bytes;
		cudaStreamSynchronize(st);
		cudaFree(cs->io_stage);
		cudaFree(cs->io_off);
		cudaFree(cs->io_rot);
		cs->io_stage = NULL;
		cs->io_off = NULL;
		cs->io_rot = NULL;
		cs->io_rows = cs->io_bytes = 0;
		CU_CHECK(cudaMalloc((void **)&cs->io_off, 2 * rows * sizeof(*cs->io_off)));
		CU_CHECK(cudaMalloc(&cs->io_stage, bytes));
		CU_CHECK(cudaMalloc((void **)&cs->io_rot, 4096 * sizeof(float)));
		cs->io_rows = rows;
		cs->io_bytes = bytes;
	}
	off_d = cs->io_off;
	stage = cs->io_stage;
	rot_d = cs->io_rot;
	CU_CHECK(cudaMemcpyAsync(off_d, off_h, 2 * n * sizeof(*off_d), cudaMemcpyHostToDevice, st));
	if (write) {
		/* host memory, or device memory of a cc_devbuf: the copy's kind from the address */
		CU_CHECK(cudaMemcpyAsync(stage, host, n * row_bytes, cudaMemcpyDefault, st));
		KC_CHECK(cc_kernels_copy_rows(pool_base, off_d, stage, off_d + n, n, row_bytes, st));
		if (cs_sn) {
			CU_CHECK(cudaMemcpyAsync(rot_d, cs_sn, (size_t)hd * sizeof(float),
			                         cudaMemcpyHostToDevice, st));
			KC_CHECK(cc_kernels_rope_rows(pool_base, off_d, n, hd, rot_d, st));
		}
	} else {
		KC_CHECK(cc_kernels_copy_rows(stage, off_d + n, pool_base, off_d, n, row_bytes, st));
		CU_CHECK(cudaMemcpyAsync(host, stage, n * row_bytes, cudaMemcpyDeviceToHost, st));
	}
	CU_CHECK(cudaStreamSynchronize(st));
out:
	if (rc)
		cudaStreamSynchronize(st);
	free(off_h);
	return rc;
}

static int cuda_kv_read(const cc_session *s, const size_t *off, size_t n, size_t row_bytes,
                        void *dst)
{
	return kv_io(s->backend_state, cc_kv_pool_base(s->pref->pool), off, n, row_bytes, dst, 0,
	             NULL, 0);
}

static int cuda_kv_write(cc_session *s, const size_t *off, size_t n, size_t row_bytes,
                         const void *src, const float *cs_sn)
{
	if (cs_sn && cc_kv_pool_config(s->pref->pool)->dtype != CC_KV_BF16)
		return cc_error_set(CC_EUNSUPPORTED, "cuda kv rows: keys are rotated in bf16 pools");
	return kv_io(s->backend_state, cc_kv_pool_base(s->pref->pool), off, n, row_bytes,
	             (void *)src, 1, cs_sn, s->model->cfg.head_dim);
}

/* cc_devbuf on the model's device (the calling thread's current device kept). */
static int cuda_buf_new(const cc_model *m, void **out, const void *src, size_t bytes)
{
	int prev = -1, rc = CC_OK;
	cudaError_t e;
	*out = NULL;
	(void)cudaGetDevice(&prev);
	if ((rc = cc_kernels_set_device(m->gpu)))
		return rc;
	if ((e = cudaMalloc(out, bytes)) != cudaSuccess) {
		*out = NULL;
		(void)cudaGetLastError();
		rc = cc_error_set(CC_ENOMEM, "cuda: cannot allocate %zu bytes on device %d: %s", bytes,
		                  m->gpu, cudaGetErrorString(e));
	} else if ((e = cudaMemcpy(*out, src, bytes, cudaMemcpyHostToDevice)) != cudaSuccess) {
		(void)cudaFree(*out);
		*out = NULL;
		rc = cc_error_set(CC_ECUDA, "cuda: copy of %zu bytes to device %d: %s", bytes, m->gpu,
		                  cudaGetErrorString(e));
	}
	if (prev >= 0 && prev != m->gpu)
		(void)cudaSetDevice(prev);
	return rc;
}

static void cuda_buf_free(const cc_model *m, void *p)
{
	int prev = -1;
	(void)cudaGetDevice(&prev);
	if (cudaSetDevice(m->gpu) == cudaSuccess)
		(void)cudaFree(p);
	if (prev >= 0 && prev != m->gpu)
		(void)cudaSetDevice(prev);
}

static int cuda_bind(const cc_model *m)
{
	return cc_kernels_set_device(m->gpu);
}

static int cuda_last_argmax(cc_session *s, int32_t *out)
{
	cuda_sess *cs = s->backend_state;
	if (!cs || !cs->logits_kept || !cs->argmax_h)
		return cc_error_set(CC_EINVAL, "cuda: no kept logits (no greedy decode step)");
	if (*cs->argmax_h < 0)
		return cc_error_set(CC_EINVAL, "sample: NaN logit");
	*out = *cs->argmax_h;
	return CC_OK;
}

static int cuda_batch_argmax(cc_batch *b, size_t n, int n_choose, int32_t *out)
{
	cuda_sess *cs = b->backend_state;
	int V = b->model->cfg.vocab, rc = CC_OK;
	if (!cs || !cs->logits || cs->logits_rows < n)
		return cc_error_set(CC_EINVAL, "cuda batch: no logits of %zu rows to choose from", n);
	KC_CHECK(cc_kernels_set_device(b->model->gpu));
	KC_CHECK(ensure_argmax_rows(cs, n));
	KC_CHECK(cc_kernels_argmax(cs->argmax_d, cs->logits, (int)n, n_choose, V, cs->stream));
	CU_CHECK(cudaMemcpyAsync(cs->argmax_h, cs->argmax_d, n * sizeof(int32_t),
	                         cudaMemcpyDeviceToHost, cs->stream));
	CU_CHECK(cudaStreamSynchronize(cs->stream));
	for (size_t i = 0; i < n; i++) {
		if (cs->argmax_h[i] < 0)
			return cc_error_set(CC_EINVAL, "batch decode greedy: row %zu: NaN logit", i);
		out[i] = cs->argmax_h[i];
	}
out:
	return rc;
}

static int cuda_last_logits(cc_session *s, float *dst)
{
	cuda_sess *cs = s->backend_state;
	int rc = CC_OK;
	if (!cs || !cs->logits_kept || !cs->logits)
		return cc_error_set(CC_EINVAL, "cuda: no kept logits (no greedy decode step)");
	KC_CHECK(cc_kernels_set_device(s->model->gpu));
	CU_CHECK(cudaMemcpy(dst, cs->logits, (size_t)s->model->cfg.vocab * sizeof(float),
	                    cudaMemcpyDeviceToHost));
out:
	return rc;
}

const cc_backend_ops *cc_backend_cuda(void)
{
	static const cc_backend_ops ops = {"cuda", cuda_model_init, cuda_model_free,
	                                   cuda_kv_storage, cuda_session_init, cuda_session_free,
	                                   cuda_forward, cuda_batch_init, cuda_batch_free,
	                                   cuda_forward_batch, cuda_session_trim,
	                                   cuda_bind, cuda_kv_read, cuda_kv_write,
	                                   cuda_buf_new, cuda_buf_free, cuda_last_argmax,
	                                   cuda_last_logits, cuda_batch_argmax};
	return &ops;
}
