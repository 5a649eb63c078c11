/*
 * cc_kernels.h - the CUDA kernels of the inference engine behind a plain C interface.
 *
 * Every launcher takes device pointers and a cudaStream_t, enqueues its work and returns a
 * cc_status: CC_OK, CC_EINVAL for a bad argument (checked on the host, before any launch) or
 * CC_ECUDA when the CUDA runtime or cuBLAS reports an error (detail via cc_error_last(), with
 * the file and line of the failing call). Nothing here aborts the process.
 *
 * Conventions shared by all kernels:
 * - bf16 values are passed as uint16_t (the upper half of an IEEE float32); arithmetic is f32.
 * - Activations are row-major [tokens][features]. Attention heads are laid out
 *   [tokens][heads][head_dim]. head_dim must be 16, 32, 64, 80, 96 or 128
 *   (cc_kernels_head_dim_ok); any GQA group (query heads a multiple of KV heads).
 * - The paged KV cache of one layer: bf16 blocks; within a block the K rows are laid out
 *   [kv_head][block_size][head_dim] from k + block * block_stride, the V rows likewise from
 *   v + block * block_stride (kv/cc_kv.h's pool: one allocation, each block the K half then
 *   the V half, so v = k + kv_heads * block_size * head_dim and block_stride is twice that).
 *   A sequence's logical slot s (0-based, in cache order) lives in block
 *   block_table[s / block_size] at offset s % block_size; a "physical slot" is
 *   block * block_size + offset. Keys are stored after RoPE, so attention needs only slot
 *   order (slots are in increasing position order); each KV head may hold a different token
 *   in the same slot (compaction).
 * - Ragged layers (kv/cc_kv.h: a different number of tokens per KV head, stored by lanes) are
 *   read through the *_heads / *_lanes launchers: each KV head has its own table of lane ids
 *   (cc_kv_seq_head_lanes: id = block * kv_heads + the KV head area of that block that holds
 *   the lane; a uniform layer's head h is block * kv_heads + h) and its own length. Slot s of
 *   the head is row s % block_size of lane table[s / block_size]. A "lane slot" is
 *   id * block_size + row.
 */
#ifndef CC_KERNELS_H
#define CC_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include <cuda_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One layer's paged KV storage (device pointers; the caller owns them). */
typedef struct {
	uint16_t *k;         /* K rows of block 0: [kv_heads][block_size][head_dim] bf16 */
	uint16_t *v;         /* V rows of block 0, same layout */
	size_t block_stride; /* elements from one block to the next; 0 = kv_heads*block_size*hd */
	int block_size;      /* tokens per block, >= 1 */
	int kv_heads;
	int head_dim; /* 16, 32, 64, 80, 96 or 128 */
} cc_kernels_kv;

/* 1 when the attention kernels support head_dim hd (16, 32, 64, 80, 96, 128), else 0. */
static inline int cc_kernels_head_dim_ok(int hd)
{
	return hd == 16 || hd == 32 || hd == 64 || hd == 80 || hd == 96 || hd == 128;
}

/* out[t][:] = f32(table[ids[t]][:]) for t < n. ids must lie in [0, vocab): they are checked
 * on the device and an out-of-range id writes NaN into its row (the engine validates ids on
 * the host first). table is bf16 [vocab][dim]. */
int cc_kernels_embedding(float *out, const uint16_t *table, const int32_t *ids, int n, int dim,
                         int vocab, cudaStream_t stream);

/* RMSNorm: out[t][i] = bf16(x[t][i] / sqrt(mean(x[t]^2) + eps) * w[i]); x f32 [n][dim],
 * w bf16 [dim]. dim must be a multiple of 4. */
int cc_kernels_rmsnorm(uint16_t *out, const float *x, const uint16_t *w, int n, int dim,
                       float eps, cudaStream_t stream);

/* Split a fused projection qkv f32 [n][(nh + 2*kvh) * hd] (q heads first, then k, then v),
 * add the optional bias (bf16, same width, may be NULL), rotate q and k by RoPE at
 * positions[t] ("rotate half", HF Llama default: inv_freq[i] = theta^(-2i/hd)), write q as
 * bf16 [n][nh][hd] to q_out and k, v as bf16 into the paged cache at physical slot
 * dst_slot[t] (see the header comment). positions and dst_slot are device int32 [n]. */
int cc_kernels_rope_qkv(uint16_t *q_out, const cc_kernels_kv *kv, const float *qkv,
                        const uint16_t *bias, const int32_t *positions, const int32_t *dst_slot,
                        int n, int n_heads, float theta, cudaStream_t stream);

/* cc_kernels_rope_qkv with the rotation frequencies taken from inv_freq (device f32
 * [head_dim / 2]: angle = positions[t] * inv_freq[i]) instead of theta, for scaled RoPE
 * (Llama 3's); inv_freq NULL = theta's frequencies. */
int cc_kernels_rope_qkv_freq(uint16_t *q_out, const cc_kernels_kv *kv, const float *qkv,
                             const uint16_t *bias, const int32_t *positions,
                             const int32_t *dst_slot, int n, int n_heads, float theta,
                             const float *inv_freq, cudaStream_t stream);

/* cc_kernels_rope_qkv_freq for ragged layers: token t's K and V rows of KV head h go to lane
 * slot dst_lane_slot[t * kv_heads + h] (device int32 [n][kv_heads]; see the header comment),
 * each head to its own place. */
int cc_kernels_rope_qkv_lanes(uint16_t *q_out, const cc_kernels_kv *kv, const float *qkv,
                              const uint16_t *bias, const int32_t *positions,
                              const int32_t *dst_lane_slot, int n, int n_heads, float theta,
                              const float *inv_freq, cudaStream_t stream);

/* cc_kernels_rope_qkv_freq (lanes 0) or cc_kernels_rope_qkv_lanes (lanes 1) from a bf16
 * projection (the prefill's q/k/v product written in bf16 by cc_kernels_gemm_bf16out: half the
 * bytes written and read; the bias is still added in f32). */
int cc_kernels_rope_qkv16(uint16_t *q_out, const cc_kernels_kv *kv, const uint16_t *qkv,
                          const uint16_t *bias, const int32_t *positions, const int32_t *dst_slot,
                          int n, int n_heads, float theta, const float *inv_freq, int lanes,
                          cudaStream_t stream);

/* SwiGLU: out[t][i] = bf16(silu(gu[t][i]) * gu[t][inter + i]); gu f32 [n][2*inter] holds
 * the gate projection then the up projection of each token. inter must be a multiple of 4. */
int cc_kernels_swiglu(uint16_t *out, const float *gu, int n, int inter, cudaStream_t stream);
/* The same from a bf16 gu (the prefill's gate/up product written in bf16, as
 * cc_kernels_gemm_bf16out does); n * inter / 4 must be below 2^32. */
int cc_kernels_swiglu_bf16(uint16_t *out, const uint16_t *gu, int n, int inter,
                           cudaStream_t stream);

/* Greedy decoding's choice (kernels/argmax.cu): out[r] (device int32) = the index of the
 * largest of the n f32 values of row r of x (rows ld floats apart), the lowest index among
 * equal values, or -1 when the row holds a NaN (the greedy branch of cc_sampler_sample, its
 * CPU twin, refuses NaN logits). rows <= 65535. */
int cc_kernels_argmax(int32_t *out, const float *x, int rows, int n, int ld, cudaStream_t stream);

/* Bytes of device workspace that lets cc_kernels_attn_prefill split a short chunk's keys
 * over more blocks (0 when this shape is not split); n_total = n_past + n. */
size_t cc_kernels_attn_prefill_workspace(int n, int n_heads, int head_dim, int n_total);

/* Causal attention of one sequence's prefill chunk over the paged cache (flash attention on
 * tensor cores, bf16 inputs, f32 softmax and accumulation). q bf16 [n][n_heads][hd]; the
 * chunk's keys and values are already in the cache at logical slots n_past .. n_past+n-1, and
 * query i sees slots 0 .. n_past+i. block_table (device) maps logical blocks of this
 * sequence. out bf16 [n][n_heads][hd]. lse (may be NULL): f32 [n_heads][lse_stride], the
 * log-sum-exp of each query row's scaled scores (used by cc_kernels_obs_stats). workspace
 * (may be NULL) of ws_bytes >= cc_kernels_attn_prefill_workspace() enables the key split
 * for short chunks over a long cache; without it the result is the same, only slower. */
int cc_kernels_attn_prefill(uint16_t *out, float *lse, int lse_stride, const uint16_t *q,
                            const cc_kernels_kv *kv, const int32_t *block_table, int n_past,
                            int n, int n_heads, float scale, void *workspace, size_t ws_bytes,
                            cudaStream_t stream);

/* cc_kernels_attn_prefill over a ragged layer: KV head h reads the lane table
 * lane_tables + h * lt_stride (device int32 [kv_heads][lt_stride]) and has head_past[h]
 * (device int32 [kv_heads], each in [0, max_past]) cached slots before the chunk, whose keys
 * are at its slots head_past[h] .. head_past[h] + n - 1: query i sees that head's slots
 * 0 .. head_past[h] + i. Workspace as cc_kernels_attn_prefill_workspace(n, n_heads, hd,
 * max_past + n). */
int cc_kernels_attn_prefill_heads(uint16_t *out, float *lse, int lse_stride, const uint16_t *q,
                                  const cc_kernels_kv *kv, const int32_t *lane_tables,
                                  int lt_stride, const int32_t *head_past, int max_past, int n,
                                  int n_heads, float scale, void *workspace, size_t ws_bytes,
                                  cudaStream_t stream);

/* Bytes of device workspace cc_kernels_attn_decode needs for this shape. */
size_t cc_kernels_attn_decode_workspace(int n_seqs, int n_heads, int head_dim, int max_len);

/* One decode step for n_seqs sequences (split-K "flash decoding"): q bf16
 * [n_seqs][n_heads][hd], each sequence attends to all its slots 0 .. seq_lens[s]-1
 * (seq_lens device int32 [n_seqs], each in [1, max_len]); block_tables device int32
 * [n_seqs][bt_stride]. max_len (host) bounds every seq_lens[s] and sizes the split.
 * workspace: device memory of cc_kernels_attn_decode_workspace() bytes.
 * out bf16 [n_seqs][n_heads][hd]. */
int cc_kernels_attn_decode(uint16_t *out, const uint16_t *q, const cc_kernels_kv *kv,
                           const int32_t *block_tables, int bt_stride, const int32_t *seq_lens,
                           int n_seqs, int max_len, int n_heads, float scale, void *workspace,
                           cudaStream_t stream);

/* cc_kernels_attn_decode over per-KV-head tables (ragged layers; a batch may mix them with
 * uniform ones written as lane tables): KV head h of sequence s attends to its slots
 * 0 .. head_lens[s * kv_heads + h] - 1 (device int32 [n_seqs][kv_heads], each in
 * [1, max_len]) through the lane table lane_tables + (s * kv_heads + h) * lt_stride (device
 * int32 [n_seqs][kv_heads][lt_stride]). Workspace, q and out as cc_kernels_attn_decode. */
int cc_kernels_attn_decode_heads(uint16_t *out, const uint16_t *q, const cc_kernels_kv *kv,
                                 const int32_t *lane_tables, int lt_stride,
                                 const int32_t *head_lens, int n_seqs, int max_len, int n_heads,
                                 float scale, void *workspace, cudaStream_t stream);

/* cc_kernels_attn_decode / cc_kernels_attn_decode_heads in one launch: the last split block
 * of each (sequence, group of query heads) to finish merges the group's splits (the same
 * arithmetic as the separate merge kernel, so the same output bits). counters: device int32
 * [n_seqs * n_heads], all zero before the first call (cudaMemset once when allocated); every
 * call leaves them zero again, so they can be reused by later calls and CUDA graph replays on
 * the same stream, never by two launches in flight at once. Other arguments and errors as the
 * launchers without counters (which, like these, write the output directly when a sequence's
 * keys fit in one split). */
int cc_kernels_attn_decode_merged(uint16_t *out, const uint16_t *q, const cc_kernels_kv *kv,
                                  const int32_t *block_tables, int bt_stride,
                                  const int32_t *seq_lens, int n_seqs, int max_len, int n_heads,
                                  float scale, void *workspace, int32_t *counters,
                                  cudaStream_t stream);
int cc_kernels_attn_decode_heads_merged(uint16_t *out, const uint16_t *q,
                                        const cc_kernels_kv *kv, const int32_t *lane_tables,
                                        int lt_stride, const int32_t *head_lens, int n_seqs,
                                        int max_len, int n_heads, float scale, void *workspace,
                                        int32_t *counters, cudaStream_t stream);

/* Benchmark knob: 0 makes every decode attention launch its separate merge kernel (one split
 * and counters included: the state before); default 1. Process-wide, not thread-safe: for
 * tests and bench/gpu_attn. */
void cc_kernels_set_decode_direct(int on);

/* Benchmark knob: 0 launches the decode attention kernel plainly instead of with
 * programmatic dependent launch (default on: its blocks are placed while the previous kernel
 * finishes, then wait for it). Process-wide, not thread-safe: for tests and benchmarks. */
void cc_kernels_set_decode_pdl(int on);

/* Benchmark knob: K and V rows in flight per lane group in the decode kernel (4 or 8; 0, the
 * default, picks by head size). Process-wide, not thread-safe: for bench/gpu_attn. */
void cc_kernels_set_decode_unroll(int unroll);

/* Decode attention on the tensor cores (1), the scalar kernel (0) or by shape (< 0, the
 * default: the tensor cores from GQA group 4 on, where they measured faster). The tensor-core
 * kernel makes the G <= 16 query heads of a KV head the rows of m16n8k16 tiles (head_dim 64,
 * 80, 96, 128; other shapes keep the scalar kernel); its splits are always merged by a second
 * launch. The environment's CC_DEC_TC=0|1|auto sets it at the first decode unless this was
 * called. Process-wide, not thread-safe: for tests and benchmarks. */
void cc_kernels_set_decode_tc(int mode);

/* Keys per warp tile of the tensor-core decode kernel: 16 (the default: two blocks fit an SM
 * at head_dim 128, more warps to hide latency) or 32 (twice the shared memory, one block per
 * SM at head_dim 128; the kernel before 2026-12-06). The environment's CC_DEC_TC_TILE=32 sets
 * it at the first decode unless this was called. Process-wide, not thread-safe: for tests and
 * benchmarks. */
void cc_kernels_set_decode_tc_tile(int keys);

/* Benchmark knob: resident blocks per SM the decode kernel's split count aims at (default 4;
 * < 1 restores it). Process-wide, not thread-safe: for bench/gpu_attn. */
void cc_kernels_set_decode_blocks_per_sm(int bps);

/* Benchmark knob: 0 turns the prefill key split off (default on). Process-wide, not
 * thread-safe: for bench/gpu_engine's comparison. */
void cc_kernels_set_prefill_split(int on);

/* Query rows per warp of the prefill (flash) kernel: 16 (64 rows per block, Q in registers)
 * or 32 (128 rows per block: each K/V fragment read from shared memory feeds two 16-row
 * tiles); anything else restores the default (CC_PF_ROWS=16|32 from the environment, else 32
 * for chunks of 1024 queries or more and 16 for shorter ones).
 * Both give the same results up to f32 summation order. Process-wide, not thread-safe: for
 * tests and benchmarks. */
void cc_kernels_set_prefill_rows(int rows);

/* Query heads per block of the prefill kernel: 1, 2 or 4 heads of one GQA group computed by
 * the block's warps on the same query rows, so each K/V tile loaded into shared memory serves
 * that many heads (4 heads: a block's 4 warps take 4 heads x 16 or 32 rows); anything else
 * restores the default (CC_PF_HPB=1|2|4 from the environment, else the largest of 4, 2, 1 that
 * divides the GQA group). A setting that does not divide the group gives the default. Same
 * results as one head per block. Process-wide, not thread-safe: for tests and benchmarks. */
void cc_kernels_set_prefill_heads_per_block(int hpb);

/* The prefill kernel on Hopper's warpgroup instructions (wgmma; head dim 128, an sm_90a build
 * on a compute 9.0 device; elsewhere the mma.sync kernel runs whatever the setting): 1 for
 * every chunk, 0 never, anything else the default (CC_PF_WG=0|1 from the environment, else
 * never: not faster than the mma.sync kernel yet, bench/results/gpu.md). Same results up to
 * f32 summation order. Process-wide, not thread-safe: for tests and benchmarks. */
void cc_kernels_set_prefill_wgmma(int mode);
/* Whether prefill chunks of this head dim run the wgmma kernel now. The first call reads the
 * environment and asks the device (a synchronous copy): make it before a stream capture. */
int cc_kernels_prefill_wgmma_on(int head_dim);

/* Observation-window attention statistics of one sequence. For the w window queries
 * q bf16 [w][n_heads][hd] at logical slots q_slot0 .. q_slot0+w-1 (their keys already
 * cached), with lse f32 [n_heads][lse_stride] from cc_kernels_attn_prefill (row i of the
 * window at column lse_col0 + i), writes out f32 [kv_heads][q_slot0 + w]:
 * out[h][j] = sum over query heads g of group h and window queries i with j <= q_slot0+i of
 * softmax probability p(i, g, j). Nothing S x S is materialised. */
int cc_kernels_obs_stats(float *out, const uint16_t *q, const float *lse, int lse_stride,
                         int lse_col0, const cc_kernels_kv *kv, const int32_t *block_table,
                         int q_slot0, int w, int n_heads, float scale, cudaStream_t stream);

/* cc_kernels_obs_stats over a ragged layer: KV head h reads the lane table
 * lane_tables + h * lt_stride, its window queries sit at its slots head_q0[h] ..
 * head_q0[h] + w - 1 (device int32 [kv_heads], each <= max_q0), and it writes
 * out[h * out_stride + j] for j < head_q0[h] + w (out_stride >= max_q0 + w). */
int cc_kernels_obs_stats_heads(float *out, int out_stride, const uint16_t *q, const float *lse,
                               int lse_stride, int lse_col0, const cc_kernels_kv *kv,
                               const int32_t *lane_tables, int lt_stride, const int32_t *head_q0,
                               int max_q0, int w, int n_heads, float scale, cudaStream_t stream);

/* cuBLAS matrix product with bf16 operands and f32 accumulation:
 * c[m][n] = a[m][k] . w[n][k]^T + (accumulate ? c[m][n] : 0); a, w bf16 row-major, c f32
 * row-major. handle comes from cc_kernels_blas_new (void * keeps cuBLAS out of this header).
 */
int cc_kernels_gemm(void *handle, float *c, const uint16_t *a, const uint16_t *w, int m, int n,
                    int k, int accumulate, cudaStream_t stream);

/* Same product, bf16 output (no accumulate). */
int cc_kernels_gemm_bf16out(void *handle, uint16_t *c, const uint16_t *a, const uint16_t *w,
                            int m, int n, int k, cudaStream_t stream);

/* With tuning on (CC_GEMM_TUNE=1 or cc_kernels_gemm_set_tune(1); off by default until it is
 * measured on a GPU), the products above are tuned per shape, once per process: the first
 * product of 8 rows or more of a shape (rows rounded up to a power of two, n, k, output type,
 * accumulate, device) that runs outside a stream capture times cuBLAS's default against
 * cublasLt's heuristic algorithms on scratch memory (synchronising `stream`; the output is
 * not touched) and keeps the fastest for every later product of that shape, captured ones
 * included; a cublasLt algorithm must be 1% faster to replace the default. A shape first met
 * inside a capture runs the default. (CC_GEMM_TUNE=2: see below.)
 *
 * cc_kernels_gemm_prepare tunes a shape ahead of a capture (a and w: operands of that shape,
 * only read; bf16_out as cc_kernels_gemm_bf16out). CC_EINVAL while `stream` is capturing. */
int cc_kernels_gemm_prepare(void *handle, const uint16_t *a, const uint16_t *w, int m, int n,
                            int k, int bf16_out, int accumulate, cudaStream_t stream);

/* What runs a product of this shape: 0 not tuned (or tuning off, or under 8 rows), 1 cuBLAS's
 * default (tuned: nothing measured faster), 2 a cublasLt algorithm (timed, or forced by mode
 * 2). */
int cc_kernels_gemm_tuned(int m, int n, int k, int bf16_out, int accumulate);

/* Tests and benchmarks, between products: forget every tuned shape and tune from now on by
 * `mode`: 0 off (the default), 1 by timing, 2 cublasLt's first heuristic algorithm without
 * timing (so that its path is exercised), -1 as CC_GEMM_TUNE says (1, 2, else 0). */
void cc_kernels_gemm_set_tune(int mode);

/* How many products have been enqueued through a tuned cublasLt algorithm in this process
 * (tests: which path ran). */
unsigned long cc_kernels_gemm_lt_runs(void);

/* Decode-sized matrix products (cc_kernels_gemv): what is done with each output. */
enum {
	CC_GEMV_STORE = 0,  /* out f32 [m][n] = a . w^T */
	CC_GEMV_ADD = 1,    /* out f32 [m][n] += a . w^T (the residual stream) */
	CC_GEMV_SWIGLU = 2, /* w holds the gate rows then the up rows (n = 2 * inter):
	                     * out bf16 [m][inter] = silu(gate) * up */
};
#define CC_GEMV_MAX_ROWS 4
#define CC_GEMV_MAX_SMEM (96 * 1024)

/* 1 when cc_kernels_gemv takes m rows of k columns (norm: the RMSNorm prologue, whose
 * normalised rows must fit in CC_GEMV_MAX_SMEM bytes of shared memory), else 0. */
int cc_kernels_gemv_ok(int m, int k, int norm);

/* Matrix product for 1 to CC_GEMV_MAX_ROWS activation rows, bound by reading w once:
 * a . w^T with a bf16 [m][k] and w bf16 [n][k] row-major, f32 accumulation, then `epilogue`
 * (CC_GEMV_*) into out. With a NULL, the input is RMSNorm(x) instead: x f32 [m][k],
 * bf16(x * rsqrt(mean(x^2) + eps) * norm_w) as cc_kernels_rmsnorm computes it (norm_w bf16
 * [k]), normalised inside the kernel. k must be a multiple of 8 and the shape pass
 * cc_kernels_gemv_ok (else CC_EINVAL). Each output's arithmetic is the same for any m. */
/* Benchmark knob: 0 launches cc_kernels_gemv plainly instead of with programmatic dependent
 * launch (default on: its first weight loads overlap the previous kernel's tail).
 * Process-wide, not thread-safe: for bench/gpu_attn and bench/gpu_engine. */
void cc_kernels_set_gemv_pdl(int on);

int cc_kernels_gemv(void *out, int epilogue, const uint16_t *a, const float *x,
                    const uint16_t *norm_w, float eps, const uint16_t *w, int m, int n, int k,
                    cudaStream_t stream);

/* cc_kernels_gemv (same a / x / norm_w / eps / m / k rules) of the fused q/k/v projection,
 * w bf16 [(n_heads + 2 * kv_heads) * head_dim][k], with cc_kernels_rope_qkv_freq's work as its
 * epilogue: for each of the m rows t, the bias (bf16, may be NULL) added, q and k rotated by
 * RoPE at positions[t] (inv_freq's frequencies, or theta's when it is NULL), q written as bf16
 * [m][n_heads][head_dim] to q_out and k, v into the paged cache kv at physical slot
 * dst_slot[t] (positions, dst_slot: device int32 [m]). No f32 projection is written. Each
 * warp computes the rotate-half row pair (i, i + head_dim / 2) of one head, so the result is
 * that of cc_kernels_gemv then cc_kernels_rope_qkv_freq, one launch instead of two.
 * Errors: CC_EINVAL (bad argument or shape), CC_ECUDA. */
int cc_kernels_gemv_rope(uint16_t *q_out, const cc_kernels_kv *kv, const uint16_t *bias,
                         const int32_t *positions, const int32_t *dst_slot, int n_heads,
                         float theta, const float *inv_freq, const uint16_t *a, const float *x,
                         const uint16_t *norm_w, float eps, const uint16_t *w, int m, int k,
                         cudaStream_t stream);

/* Create / destroy a cuBLAS handle (out-parameter first). destroy accepts NULL. */
int cc_kernels_blas_new(void **out);
void cc_kernels_blas_free(void *handle);

/* Row copies: for k < n, copy row_bytes (a multiple of 16) from src + src_off[k] to
 * dst + dst_off[k] (offsets in bytes, device uint64 arrays, 16-byte aligned). Rows are copied
 * in parallel: no destination may overlap a source or another destination. */
int cc_kernels_copy_rows(void *dst, const uint64_t *dst_off, const void *src,
                         const uint64_t *src_off, size_t n, size_t row_bytes,
                         cudaStream_t stream);

/* x[t][i] += f32(b[i]) for a bf16 bias b [dim], x f32 [n][dim]. */
int cc_kernels_add_bias(float *x, const uint16_t *b, int n, int dim, cudaStream_t stream);

/* Convert f32 -> bf16 (round to nearest even) on the device, n elements. */
int cc_kernels_f32_to_bf16(uint16_t *out, const float *in, size_t n, cudaStream_t stream);

/* Number of usable CUDA devices (0 when none or no driver; never fails). */
int cc_kernels_device_count(void);

/* ---- quantized KV cache (kernels/attn_decode_q.cu) ----
 * A quantized pool of kv/cc_kv.h on the device: block ids below n_fp_blocks are bf16 blocks
 * of fp_block_bytes (K half then V half, each [kv_head][block_size][head_dim]); the others are
 * quantized blocks of q_block_bytes from base + q_base (id - n_fp_blocks), each half holding
 * per KV head [block_size rows of head_dim codes at `bits` bits][params: f16 (scale, min)
 * pairs: per token and `group` channels, or for K with k_per_channel one per channel], the
 * head parts k_head_bytes / v_head_bytes apart, params at params_off within a part. rotate:
 * rows were multiplied by the normalized Hadamard matrix before quantization (q is rotated
 * the same way for quantized blocks and the rotated sum rotated back). Fill it from
 * cc_kv_pool_qlayout() and cc_kv_pool_config(). */
typedef struct {
	const uint8_t *base;
	int n_fp_blocks;
	size_t fp_block_bytes;
	size_t q_base, q_block_bytes;
	size_t k_head_bytes, v_head_bytes, params_off;
	int bits;          /* 8, 4 or 2 */
	int group;         /* 16 or 32 */
	int k_per_channel; /* KIVI keys */
	int rotate;
	int block_size, kv_heads;
	int head_dim; /* 32, 64 or 128 */
} cc_kernels_qkv;

/* Bytes of device workspace cc_kernels_attn_decode_q / _prefill_q need (rows = n_seqs or the
 * chunk's n). */
size_t cc_kernels_attn_q_workspace(int rows, int n_heads, int head_dim, int max_len);

/* cc_kernels_attn_decode over a quantized pool: q bf16 [n_seqs][n_heads][hd]; sequence s
 * attends to its slots 0 .. seq_lens[s]-1 (device int32) through block_tables (device int32
 * [n_seqs][bt_stride]); out bf16 [n_seqs][n_heads][hd]. At most 8 query heads per KV head. */
int cc_kernels_attn_decode_q(uint16_t *out, const uint16_t *q, const cc_kernels_qkv *kv,
                             const int32_t *block_tables, int bt_stride, const int32_t *seq_lens,
                             int n_seqs, int max_len, int n_heads, float scale, void *workspace,
                             cudaStream_t stream);

/* Causal attention of one sequence's chunk of n queries over a quantized pool: query i
 * (q bf16 [n][n_heads][hd]) sees slots 0 .. n_past + i of block_table; out as q. */
int cc_kernels_attn_prefill_q(uint16_t *out, const uint16_t *q, const cc_kernels_qkv *kv,
                              const int32_t *block_table, int n_past, int n, int n_heads,
                              float scale, void *workspace, cudaStream_t stream);

/* Quantize n blocks of rows into quantized blocks of the pool kv describes (kernels/kv_seal.cu;
 * written through kv->base). Block k's rows are source block pairs[2k] of src, in the
 * full-precision block layout (the K half [kv_heads][block_size][head_dim], then the V half;
 * f32 elements when src_f32, else bf16; src may be the pool's base, whose full-precision
 * blocks are numbered from 0); they go to quantized block id pairs[2k + 1] (>= n_fp_blocks).
 * pairs: device int32 [n][2]. The result is bit for bit cc_kv_qhead_quant's on the rows read
 * as f32 (its CPU twin). head_dim a multiple of 16 (a power of two when rotating), and
 * (block_size + 2) x head_dim floats within 48 KiB. Errors: CC_EINVAL, CC_ECUDA. */
int cc_kernels_kv_quant_blocks(const cc_kernels_qkv *kv, const void *src, int src_f32,
                               const int32_t *pairs, int n, cudaStream_t stream);

/* Read n blocks of the pool kv describes back in full precision: dst block i (the layout of
 * cc_kernels_kv_quant_blocks' source, f32 when dst_f32, else bf16) receives the pool's block
 * table[i] (device int32 [n]): a bf16 block copied, a quantized one dequantized and, when
 * rotated, rotated back (CPU twin: cc_kv_qrow_dequant then cc_kv_hadamard, bf16 rounded to
 * nearest even). Shape limits and errors as cc_kernels_kv_quant_blocks. */
int cc_kernels_kv_dequant_blocks(void *dst, int dst_f32, const cc_kernels_qkv *kv,
                                 const int32_t *table, int n, cudaStream_t stream);

/* Rotate n bf16 key rows in place (kernels/kv_rows.cu): the row at byte offset off[r] of base
 * (device uint64 [n]) has its rotate-half pairs (i, i + head_dim / 2) turned by the angle whose
 * cos and sin are cs_sn[2i], cs_sn[2i + 1] (device f32 [head_dim]): x' = x cos - y sin,
 * y' = y cos + x sin in f32 without fused products, rounded to nearest even (CPU twin:
 * engine/kv_io.c, cc_session_kv_append_rot). Errors: CC_EINVAL, CC_ECUDA. */
int cc_kernels_rope_rows(void *base, const uint64_t *off, size_t n, int head_dim,
                         const float *cs_sn, cudaStream_t stream);

/* Make device `gpu` current for the calling thread. Errors: CC_ECUDA naming it. */
int cc_kernels_set_device(int gpu);

#ifdef __cplusplus
}
#endif
#endif
