/*
 * embedding.cu - token embedding lookup: bf16 table rows gathered into the f32 residual
 * stream. One block per token, 16-byte loads.
 */
#include "kernels_int.cuh"

#include <math.h>

__global__ void embedding_kernel(float *out, const uint16_t *table, const int32_t *ids, int dim,
                                 int vocab)
{
	int t = blockIdx.x;
	int id = ids[t];
	float *o = out + (size_t)t * dim;
	if (id < 0 || id >= vocab) {
		for (int i = threadIdx.x; i < dim; i += blockDim.x)
			o[i] = __int_as_float(0x7fc00000); /* NaN: never a silent wrong row */
		return;
	}
	const uint16_t *row = table + (size_t)id * dim;
	if (dim % 8 == 0) {
		for (int i = threadIdx.x * 8; i < dim; i += blockDim.x * 8) {
			uint4 u = *reinterpret_cast<const uint4 *>(row + i);
			float f[8];
			cc_bf16x8_to_f32(u, f);
			reinterpret_cast<float4 *>(o + i)[0] = make_float4(f[0], f[1], f[2], f[3]);
			reinterpret_cast<float4 *>(o + i)[1] = make_float4(f[4], f[5], f[6], f[7]);
		}
	} else {
		for (int i = threadIdx.x; i < dim; i += blockDim.x)
			o[i] = cc_bf2f(row[i]);
	}
}

extern "C" int cc_kernels_embedding(float *out, const uint16_t *table, const int32_t *ids, int n,
                                    int dim, int vocab, cudaStream_t stream)
{
	CC_ARG_CHECK(out && table && ids && n >= 0 && dim > 0 && vocab > 0);
	if (n == 0)
		return CC_OK;
	int threads = dim >= 1024 ? 128 : 64;
	embedding_kernel<<<n, threads, 0, stream>>>(out, table, ids, dim, vocab);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}
