/*
 * rmsnorm.cu - RMSNorm of the f32 residual stream into bf16 (the input of the next matrix
 * product).
 *
 * Rows of up to RN_MAXV * 4 * 256 values (8192: every Llama / Qwen2 hidden size up to 70B):
 * one block per row, the row held in registers (each thread up to RN_MAXV float4), so it is
 * read from memory once; the sum of squares is reduced across the block. Measured on an H100
 * (bench/gpu_attn, one 8B prefill layer at 4K tokens) the earlier form, one warp per row
 * reading it twice, moved 1.45 TB/s, half the copy bandwidth. Longer rows keep that form.
 */
#include "kernels_int.cuh"

#define RN_MAXV 8
#define RN_THREADS_MAX 256

template <int V>
__global__ void __launch_bounds__(RN_THREADS_MAX) rmsnorm_row_kernel(uint16_t *out, const float *x,
                                                                     const uint16_t *w, int dim,
                                                                     float eps)
{
	__shared__ float part[RN_THREADS_MAX / 32];
	const int row = blockIdx.x, d4 = dim / 4;
	const float4 *xr = reinterpret_cast<const float4 *>(x + (size_t)row * dim);
	float4 v[V];
	float ss = 0.f;
#pragma unroll
	for (int k = 0; k < V; k++) {
		int i = threadIdx.x + k * blockDim.x;
		v[k] = i < d4 ? xr[i] : make_float4(0.f, 0.f, 0.f, 0.f);
		ss += v[k].x * v[k].x + v[k].y * v[k].y + v[k].z * v[k].z + v[k].w * v[k].w;
	}
	for (int o = 16; o > 0; o >>= 1)
		ss += __shfl_xor_sync(0xffffffffu, ss, o);
	const int warp = threadIdx.x / 32, nw = blockDim.x / 32;
	if ((threadIdx.x & 31) == 0)
		part[warp] = ss;
	__syncthreads();
	ss = 0.f;
	for (int i = 0; i < nw; i++) /* the same order in every thread: one value per row */
		ss += part[i];
	const float r = rsqrtf(ss / (float)dim + eps);
	uint2 *orow = reinterpret_cast<uint2 *>(out + (size_t)row * dim);
	const uint2 *w2 = reinterpret_cast<const uint2 *>(w);
#pragma unroll
	for (int k = 0; k < V; k++) {
		int i = threadIdx.x + k * blockDim.x;
		if (i < d4) {
			uint2 wu = w2[i];
			float w0 = __uint_as_float(wu.x << 16), w1 = __uint_as_float(wu.x & 0xffff0000u);
			float w2f = __uint_as_float(wu.y << 16), w3 = __uint_as_float(wu.y & 0xffff0000u);
			uint2 o;
			o.x = cc_pack_bf16x2(v[k].x * r * w0, v[k].y * r * w1);
			o.y = cc_pack_bf16x2(v[k].z * r * w2f, v[k].w * r * w3);
			orow[i] = o;
		}
	}
}

/* rows longer than RN_MAXV * 4 * RN_THREADS_MAX: one warp per row, read twice (the second
 * read from L1/L2) */
__global__ void rmsnorm_warp_kernel(uint16_t *out, const float *x, const uint16_t *w, int n,
                                    int dim, float eps)
{
	int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
	int lane = threadIdx.x & 31;
	if (row >= n)
		return;
	const float4 *xr = reinterpret_cast<const float4 *>(x + (size_t)row * dim);
	int d4 = dim / 4;
	float ss = 0.f;
	for (int i = lane; i < d4; i += 32) {
		float4 v = xr[i];
		ss += v.x * v.x + v.y * v.y + v.z * v.z + v.w * v.w;
	}
	for (int o = 16; o > 0; o >>= 1)
		ss += __shfl_xor_sync(0xffffffffu, ss, o);
	float r = rsqrtf(ss / (float)dim + eps);
	uint2 *orow = reinterpret_cast<uint2 *>(out + (size_t)row * dim);
	const uint2 *w2 = reinterpret_cast<const uint2 *>(w);
	for (int i = lane; i < d4; i += 32) {
		float4 v = xr[i];
		uint2 wu = w2[i];
		float w0 = __uint_as_float(wu.x << 16), w1 = __uint_as_float(wu.x & 0xffff0000u);
		float w2f = __uint_as_float(wu.y << 16), w3 = __uint_as_float(wu.y & 0xffff0000u);
		uint2 o;
		o.x = cc_pack_bf16x2(v.x * r * w0, v.y * r * w1);
		o.y = cc_pack_bf16x2(v.z * r * w2f, v.w * r * w3);
		orow[i] = o;
	}
}

extern "C" int cc_kernels_rmsnorm(uint16_t *out, const float *x, const uint16_t *w, int n, int dim,
                                  float eps, cudaStream_t stream)
{
	CC_ARG_CHECK(out && x && w && n >= 0 && dim > 0 && dim % 4 == 0 && eps >= 0.f);
	if (n == 0)
		return CC_OK;
	int d4 = dim / 4;
	if (d4 <= RN_MAXV * RN_THREADS_MAX) {
		/* about 4 float4 per thread, 32 to 256 threads */
		int th = (d4 + 3) / 4;
		th = (th + 31) / 32 * 32;
		th = th < 32 ? 32 : (th > RN_THREADS_MAX ? RN_THREADS_MAX : th);
		int v = (d4 + th - 1) / th; /* 1..8 */
		if (v <= 2)
			rmsnorm_row_kernel<2><<<n, th, 0, stream>>>(out, x, w, dim, eps);
		else if (v <= 4)
			rmsnorm_row_kernel<4><<<n, th, 0, stream>>>(out, x, w, dim, eps);
		else
			rmsnorm_row_kernel<8><<<n, th, 0, stream>>>(out, x, w, dim, eps);
	} else {
		int warps = 4;
		rmsnorm_warp_kernel<<<(n + warps - 1) / warps, warps * 32, 0, stream>>>(out, x, w, n,
		                                                                        dim, eps);
	}
	CC_CUDA_LAUNCHED();
	return CC_OK;
}
