/*
 * rmsnorm.cu - RMSNorm of the f32 residual stream into bf16 (the input of the next matrix
 * product). One warp per token row; the row is read twice (sum of squares, then scale),
 * the second read comes from L1/L2.
 */
#include "kernels_int.cuh"

__global__ void rmsnorm_kernel(uint16_t *out, const float *x, const uint16_t *w, int n, int dim,
                               float eps)
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
	int warps = 4;
	rmsnorm_kernel<<<(n + warps - 1) / warps, warps * 32, 0, stream>>>(out, x, w, n, dim, eps);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}
