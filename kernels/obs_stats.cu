/*
 * obs_stats.cu - observation-window attention statistics (what SnapKV-style compression
 * scores keys by): for the last w prompt queries, the attention probability each earlier key
 * receives, summed over the window and over the query heads of each GQA group. Uses the
 * per-row log-sum-exp saved by the prefill kernel, so one pass over the keys suffices: one
 * block per (64-key tile, KV head); the keys sit in shared memory, each thread owns one key
 * and walks a share of the window queries. Nothing S x S is stored. Ragged layers (RAG): each
 * KV head reads its own table of lane ids and has its own window start.
 */
#include "kernels_int.cuh"

#include <math.h>

#define OBS_KEYS 64
#define OBS_THREADS 256
#define OBS_QSPLIT (OBS_THREADS / OBS_KEYS)

/* RAG: KV head kh reads the lane table block_table + kh * lt_stride, its window starts at
 * slot head_q0[kh] (q_slot0 is then unused) and its row of out is out + kh * out_stride */
template <int HD, bool RAG>
__global__ void __launch_bounds__(OBS_THREADS) obs_stats_kernel(
	float *out, const uint16_t *q, const float *lse, int lse_stride, int lse_col0,
	const uint16_t *kpool, const int32_t *block_table, int q_slot0, int w, int nh, int kvh,
	int bs, size_t bstride, float scale, const int32_t *head_q0, int lt_stride, int out_stride)
{
	__shared__ float ks[OBS_KEYS][HD + 1];
	__shared__ float part[OBS_QSPLIT][OBS_KEYS];
	int kh = blockIdx.y, G = nh / kvh;
	int k0 = blockIdx.x * OBS_KEYS;
	if (RAG) {
		q_slot0 = head_q0[kh];
		block_table += (size_t)kh * lt_stride;
	}
	int n_keys = q_slot0 + w;
	const int bsh = cc_pow2_shift(bs), kvsh = cc_pow2_shift(kvh);
	for (int i = threadIdx.x; i < OBS_KEYS * HD; i += OBS_THREADS) {
		int r = i / HD, d = i - r * HD;
		int j = k0 + r;
		float v = 0.f;
		if (j < n_keys) {
			size_t row = cc_kv_slot<RAG>(block_table, j, bs, bsh, kh, kvh, kvsh, bstride, HD);
			v = cc_bf2f(kpool[row + d]);
		}
		ks[r][d] = v;
	}
	__syncthreads();
	int kj = threadIdx.x % OBS_KEYS, qs = threadIdx.x / OBS_KEYS;
	int j = k0 + kj;
	float total = 0.f;
	if (j < n_keys) {
		/* queries i with j <= q_slot0 + i see key j */
		int i_first = j - q_slot0;
		if (i_first < 0)
			i_first = 0;
		for (int gi = qs; gi < G * w; gi += OBS_QSPLIT) {
			int g = gi / w, i = gi - g * w;
			if (i < i_first)
				continue;
			int head = kh * G + g;
			const uint16_t *qr = q + ((size_t)i * nh + head) * HD;
			float d = 0.f;
#pragma unroll 8
			for (int e = 0; e < HD; e++)
				d = fmaf(cc_bf2f(qr[e]), ks[kj][e], d);
			total += __expf(d * scale - lse[(size_t)head * lse_stride + lse_col0 + i]);
		}
	}
	part[qs][kj] = total;
	__syncthreads();
	if (threadIdx.x < OBS_KEYS && k0 + threadIdx.x < n_keys) {
		float s = 0.f;
#pragma unroll
		for (int p = 0; p < OBS_QSPLIT; p++)
			s += part[p][threadIdx.x];
		out[(size_t)kh * (RAG ? out_stride : n_keys) + k0 + threadIdx.x] = s;
	}
}

/* head_q0 (device) NULL: uniform; else the per-head form, q_slot0 the maximum */
static int obs_stats(float *out, const uint16_t *q, const float *lse, int lse_stride,
                     int lse_col0, const cc_kernels_kv *kv, const int32_t *block_table,
                     int q_slot0, int w, int n_heads, float scale, const int32_t *head_q0,
                     int lt_stride, int out_stride, cudaStream_t stream)
{
	int rc = cc_kv_check(kv);
	if (rc)
		return rc;
	CC_ARG_CHECK(out && q && lse && block_table && q_slot0 >= 0 && w > 0 && lse_col0 >= 0 &&
	             lse_stride >= lse_col0 + w && n_heads > 0 && n_heads % kv->kv_heads == 0 &&
	             scale > 0.f);
	int n_keys = q_slot0 + w;
	dim3 grid((n_keys + OBS_KEYS - 1) / OBS_KEYS, kv->kv_heads);
#define OBS_HD(hd)                                                                                 \
	case hd:                                                                                   \
		if (head_q0)                                                                       \
			obs_stats_kernel<hd, true><<<grid, OBS_THREADS, 0, stream>>>(              \
				out, q, lse, lse_stride, lse_col0, kv->k, block_table, q_slot0, w, \
				n_heads, kv->kv_heads, kv->block_size, cc_kv_bstride(kv), scale,   \
				head_q0, lt_stride, out_stride);                                   \
		else                                                                               \
			obs_stats_kernel<hd, false><<<grid, OBS_THREADS, 0, stream>>>(             \
				out, q, lse, lse_stride, lse_col0, kv->k, block_table, q_slot0, w, \
				n_heads, kv->kv_heads, kv->block_size, cc_kv_bstride(kv), scale,   \
				NULL, 0, 0);                                                       \
		break
	switch (kv->head_dim) {
		OBS_HD(16);
		OBS_HD(32);
		OBS_HD(64);
		OBS_HD(80);
		OBS_HD(96);
		OBS_HD(128);
	}
#undef OBS_HD
	CC_CUDA_LAUNCHED();
	return CC_OK;
}

extern "C" int cc_kernels_obs_stats(float *out, const uint16_t *q, const float *lse,
                                    int lse_stride, int lse_col0, const cc_kernels_kv *kv,
                                    const int32_t *block_table, int q_slot0, int w, int n_heads,
                                    float scale, cudaStream_t stream)
{
	return obs_stats(out, q, lse, lse_stride, lse_col0, kv, block_table, q_slot0, w, n_heads,
	                 scale, NULL, 0, 0, stream);
}

extern "C" int cc_kernels_obs_stats_heads(float *out, int out_stride, const uint16_t *q,
                                          const float *lse, int lse_stride, int lse_col0,
                                          const cc_kernels_kv *kv, const int32_t *lane_tables,
                                          int lt_stride, const int32_t *head_q0, int max_q0,
                                          int w, int n_heads, float scale, cudaStream_t stream)
{
	CC_ARG_CHECK(head_q0 && lt_stride > 0 && out_stride >= max_q0 + w);
	return obs_stats(out, q, lse, lse_stride, lse_col0, kv, lane_tables, max_q0, w, n_heads,
	                 scale, head_q0, lt_stride, out_stride, stream);
}
