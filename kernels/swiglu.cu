/*
 * swiglu.cu - the SwiGLU gate: silu(gate) * up from the fused gate/up projection (f32, or
 * bf16 as the prefill's matrix product writes it) into bf16, the input of the down
 * projection. Elementwise, 16-byte loads (8-byte for bf16 input).
 */
#include "kernels_int.cuh"

__global__ void swiglu_kernel(uint16_t *out, const float *gu, int n, int inter)
{
	int i4 = inter / 4;
	size_t total = (size_t)n * i4;
	for (size_t idx = blockIdx.x * (size_t)blockDim.x + threadIdx.x; idx < total;
	     idx += (size_t)gridDim.x * blockDim.x) {
		size_t t = idx / i4, c = idx - t * i4;
		const float4 g = reinterpret_cast<const float4 *>(gu + t * 2 * inter)[c];
		const float4 u = reinterpret_cast<const float4 *>(gu + t * 2 * inter + inter)[c];
		float r0 = g.x / (1.f + __expf(-g.x)) * u.x;
		float r1 = g.y / (1.f + __expf(-g.y)) * u.y;
		float r2 = g.z / (1.f + __expf(-g.z)) * u.z;
		float r3 = g.w / (1.f + __expf(-g.w)) * u.w;
		uint2 o;
		o.x = cc_pack_bf16x2(r0, r1);
		o.y = cc_pack_bf16x2(r2, r3);
		reinterpret_cast<uint2 *>(out + t * inter)[c] = o;
	}
}

/* grid of 256-thread blocks for n x inter/4 elements (grid-stride loops past 65535 blocks) */
static unsigned swiglu_blocks(int n, int inter)
{
	size_t blocks = ((size_t)n * (inter / 4) + 255) / 256;
	return (unsigned)(blocks > 65535 ? 65535 : blocks);
}

/* bf16 input: the product's output without an f32 round trip (half the bytes written by the
 * gate/up product and read here) */
__global__ void swiglu_bf16_kernel(uint16_t *out, const uint16_t *gu, int n, int inter)
{
	const unsigned i4 = (unsigned)inter / 4;
	const size_t total = (size_t)n * i4;
	for (size_t idx = blockIdx.x * (size_t)blockDim.x + threadIdx.x; idx < total;
	     idx += (size_t)gridDim.x * blockDim.x) {
		/* 32-bit division: n * inter / 4 < 2^32 is checked by the launcher */
		unsigned t = (unsigned)idx / i4, c = (unsigned)idx - t * i4;
		const uint2 gb = reinterpret_cast<const uint2 *>(gu + (size_t)t * 2 * inter)[c];
		const uint2 ub = reinterpret_cast<const uint2 *>(gu + (size_t)t * 2 * inter + inter)[c];
		float g[4] = {__uint_as_float(gb.x << 16), __uint_as_float(gb.x & 0xffff0000u),
		              __uint_as_float(gb.y << 16), __uint_as_float(gb.y & 0xffff0000u)};
		float u[4] = {__uint_as_float(ub.x << 16), __uint_as_float(ub.x & 0xffff0000u),
		              __uint_as_float(ub.y << 16), __uint_as_float(ub.y & 0xffff0000u)};
		float r[4];
#pragma unroll
		for (int e = 0; e < 4; e++)
			r[e] = g[e] / (1.f + __expf(-g[e])) * u[e];
		uint2 o;
		o.x = cc_pack_bf16x2(r[0], r[1]);
		o.y = cc_pack_bf16x2(r[2], r[3]);
		reinterpret_cast<uint2 *>(out + (size_t)t * inter)[c] = o;
	}
}

extern "C" int cc_kernels_swiglu_bf16(uint16_t *out, const uint16_t *gu, int n, int inter,
                                      cudaStream_t stream)
{
	CC_ARG_CHECK(out && gu && n >= 0 && inter > 0 && inter % 4 == 0 &&
	             (uint64_t)n * (uint64_t)(inter / 4) < (1ull << 32));
	if (n == 0)
		return CC_OK;
	swiglu_bf16_kernel<<<swiglu_blocks(n, inter), 256, 0, stream>>>(out, gu, n, inter);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}

extern "C" int cc_kernels_swiglu(uint16_t *out, const float *gu, int n, int inter,
                                 cudaStream_t stream)
{
	CC_ARG_CHECK(out && gu && n >= 0 && inter > 0 && inter % 4 == 0);
	if (n == 0)
		return CC_OK;
	swiglu_kernel<<<swiglu_blocks(n, inter), 256, 0, stream>>>(out, gu, n, inter);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}
