/*
 * rope.cu - rotary position embedding, fused with the split of the q/k/v projection and the
 * store of k and v into the paged cache: one pass over the projection output instead of three.
 * HF Llama "rotate half" convention: for i < hd/2, x'[i] = x[i] cos - x[i+hd/2] sin and
 * x'[i+hd/2] = x[i+hd/2] cos + x[i] sin, angle = pos * theta^(-2i/hd) (f32, as HF computes it),
 * or pos * inv_freq[i] from a table (scaled RoPE such as Llama 3's, computed on the host).
 * Ragged layers (kv/cc_kv.h's lanes) give each KV head of a token its own destination.
 */
#include "kernels_int.cuh"

#include <math.h>

/* two adjacent values of a projection row, f32 or bf16 */
static __device__ __forceinline__ float2 rope_pair(const float *p)
{
	return *reinterpret_cast<const float2 *>(p);
}
static __device__ __forceinline__ float2 rope_pair(const uint16_t *p)
{
	unsigned u = *reinterpret_cast<const unsigned *>(p);
	return make_float2(__uint_as_float(u << 16), __uint_as_float(u & 0xFFFF0000u));
}

/* one block per token; the token's hd / 2 rotation angles are computed once into shared
 * memory (the same for every head) rather than once per head. T: the projection's type (f32,
 * or bf16 as the prefill's product writes it) */
template <typename T>
__global__ void rope_qkv_kernel(uint16_t *q_out, uint16_t *kc, uint16_t *vc, const T *qkv,
                                const uint16_t *bias, const int32_t *positions,
                                const int32_t *dst_slot, int nh, int kvh, int hd, int bs,
                                size_t bstride, float theta, const float *inv_freq, int lanes)
{
	extern __shared__ float rope_cs[]; /* cos [hd / 2], then sin [hd / 2] */
	int t = blockIdx.x;
	int half = hd / 2;
	int width = (nh + 2 * kvh) * hd;
	const T *row = qkv + (size_t)t * width;
	float pos = (float)positions[t];
	for (int i = threadIdx.x; i < half; i += blockDim.x) {
		float inv = inv_freq ? inv_freq[i] : 1.0f / powf(theta, (float)(2 * i) / (float)hd);
		sincosf(pos * inv, &rope_cs[half + i], &rope_cs[i]);
	}
	__syncthreads();
	/* lanes: dst_slot [n][kvh] of lane slots (lane id * bs + row), else [n] physical slots */
	int slot = lanes ? 0 : dst_slot[t];
	/* each thread rotates two adjacent pairs (i, i + 1), i even: 8-byte loads and 4-byte
	 * stores (half = hd / 2 is even for every supported head dim) */
	int hq = half / 2;
	int quads = (nh + 2 * kvh) * hq;
	for (int p = threadIdx.x; p < quads; p += blockDim.x) {
		int head = p / hq, i = 2 * (p - head * hq);
		int c0 = head * hd + i, c1 = c0 + half;
		float2 x0 = rope_pair(row + c0);
		float2 x1 = rope_pair(row + c1);
		if (bias) {
			x0.x += cc_bf2f(bias[c0]);
			x0.y += cc_bf2f(bias[c0 + 1]);
			x1.x += cc_bf2f(bias[c1]);
			x1.y += cc_bf2f(bias[c1 + 1]);
		}
		if (head < nh + kvh) {
			float ca = rope_cs[i], sa = rope_cs[half + i];
			float cb = rope_cs[i + 1], sb = rope_cs[half + i + 1];
			float2 y0 = make_float2(x0.x * ca - x1.x * sa, x0.y * cb - x1.y * sb);
			float2 y1 = make_float2(x1.x * ca + x0.x * sa, x1.y * cb + x0.y * sb);
			x0 = y0;
			x1 = y1;
		}
		uint16_t *dst;
		if (head < nh) {
			dst = q_out + ((size_t)t * nh + head) * hd;
		} else {
			int kh = head < nh + kvh ? head - nh : head - nh - kvh;
			size_t off;
			if (lanes) {
				int ls = dst_slot[(size_t)t * kvh + kh];
				off = cc_kv_lane_row(ls / bs, ls % bs, kvh, bstride, bs, hd);
			} else {
				off = cc_kv_row(slot / bs, slot % bs, kh, bstride, bs, hd);
			}
			dst = (head < nh + kvh ? kc : vc) + off;
		}
		*reinterpret_cast<unsigned *>(dst + i) = cc_pack_bf16x2(x0.x, x0.y);
		*reinterpret_cast<unsigned *>(dst + i + half) = cc_pack_bf16x2(x1.x, x1.y);
	}
}

template <typename T>
static int rope_qkv(uint16_t *q_out, const cc_kernels_kv *kv, const T *qkv, const uint16_t *bias,
                    const int32_t *positions, const int32_t *dst_slot, int n, int n_heads,
                    float theta, const float *inv_freq, int lanes, cudaStream_t stream)
{
	int rc = cc_kv_check(kv);
	if (rc)
		return rc;
	CC_ARG_CHECK(q_out && qkv && positions && dst_slot && n >= 0 && n_heads > 0 &&
	             n_heads % kv->kv_heads == 0 && (theta > 0.f || inv_freq));
	CC_ARG_CHECK(kv->head_dim % 4 == 0); /* pairs of rotations per thread */
	if (n == 0)
		return CC_OK;
	size_t smem = (size_t)kv->head_dim * sizeof(float);
	rope_qkv_kernel<T><<<n, 256, smem, stream>>>(q_out, kv->k, kv->v, qkv, bias, positions,
	                                             dst_slot, n_heads, kv->kv_heads, kv->head_dim,
	                                             kv->block_size, cc_kv_bstride(kv), theta,
	                                             inv_freq, lanes);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}

extern "C" int cc_kernels_rope_qkv(uint16_t *q_out, const cc_kernels_kv *kv, const float *qkv,
                                   const uint16_t *bias, const int32_t *positions,
                                   const int32_t *dst_slot, int n, int n_heads, float theta,
                                   cudaStream_t stream)
{
	return cc_kernels_rope_qkv_freq(q_out, kv, qkv, bias, positions, dst_slot, n, n_heads, theta,
	                                NULL, stream);
}

extern "C" int cc_kernels_rope_qkv_freq(uint16_t *q_out, const cc_kernels_kv *kv,
                                        const float *qkv, const uint16_t *bias,
                                        const int32_t *positions, const int32_t *dst_slot, int n,
                                        int n_heads, float theta, const float *inv_freq,
                                        cudaStream_t stream)
{
	return rope_qkv(q_out, kv, qkv, bias, positions, dst_slot, n, n_heads, theta, inv_freq, 0,
	                stream);
}

extern "C" int cc_kernels_rope_qkv_lanes(uint16_t *q_out, const cc_kernels_kv *kv,
                                         const float *qkv, const uint16_t *bias,
                                         const int32_t *positions, const int32_t *dst_lane_slot,
                                         int n, int n_heads, float theta, const float *inv_freq,
                                         cudaStream_t stream)
{
	return rope_qkv(q_out, kv, qkv, bias, positions, dst_lane_slot, n, n_heads, theta, inv_freq,
	                1, stream);
}

extern "C" int cc_kernels_rope_qkv16(uint16_t *q_out, const cc_kernels_kv *kv,
                                     const uint16_t *qkv, const uint16_t *bias,
                                     const int32_t *positions, const int32_t *dst_slot, int n,
                                     int n_heads, float theta, const float *inv_freq, int lanes,
                                     cudaStream_t stream)
{
	return rope_qkv(q_out, kv, qkv, bias, positions, dst_slot, n, n_heads, theta, inv_freq,
	                lanes ? 1 : 0, stream);
}
