/*
 * swiglu.cu - the SwiGLU gate: silu(gate) * up from the fused gate/up projection (f32) into
 * bf16, the input of the down projection. Elementwise, 16-byte loads.
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

extern "C" int cc_kernels_swiglu(uint16_t *out, const float *gu, int n, int inter,
                                 cudaStream_t stream)
{
	CC_ARG_CHECK(out && gu && n >= 0 && inter > 0 && inter % 4 == 0);
	if (n == 0)
		return CC_OK;
	size_t total = (size_t)n * (inter / 4);
	size_t blocks = (total + 255) / 256;
	if (blocks > 65535)
		blocks = 65535;
	swiglu_kernel<<<(unsigned)blocks, 256, 0, stream>>>(out, gu, n, inter);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}
