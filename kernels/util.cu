/*
 * util.cu - small device helpers of the engine: f32 -> bf16 conversion, row copies for the
 * paged cache (compaction, copy-on-write), bias addition, and the device count.
 */
#include "kernels_int.cuh"

__global__ void f32_to_bf16_kernel(uint16_t *out, const float *in, size_t n)
{
	for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n;
	     i += (size_t)gridDim.x * blockDim.x)
		out[i] = cc_f2bf(in[i]);
}

extern "C" int cc_kernels_f32_to_bf16(uint16_t *out, const float *in, size_t n,
                                      cudaStream_t stream)
{
	CC_ARG_CHECK(out && in);
	if (n == 0)
		return CC_OK;
	size_t blocks = (n + 255) / 256;
	if (blocks > 65535)
		blocks = 65535;
	f32_to_bf16_kernel<<<(unsigned)blocks, 256, 0, stream>>>(out, in, n);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}

extern "C" int cc_kernels_device_count(void)
{
	int n = 0;
	if (cudaGetDeviceCount(&n) != cudaSuccess) {
		(void)cudaGetLastError();
		return 0;
	}
	return n;
}

extern "C" int cc_kernels_set_device(int gpu)
{
	cudaError_t e = cudaSetDevice(gpu);
	if (e != cudaSuccess) {
		(void)cudaGetLastError();
		return cc_error_set(CC_ECUDA, "cuda:%d: cudaSetDevice: %s", gpu, cudaGetErrorString(e));
	}
	return CC_OK;
}

__global__ void copy_rows_kernel(unsigned char *dst, const uint64_t *dst_off,
                                 const unsigned char *src, const uint64_t *src_off, size_t n,
                                 size_t row16)
{
	size_t total = n * row16;
	for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < total;
	     i += (size_t)gridDim.x * blockDim.x) {
		size_t r = i / row16, c = i - r * row16;
		reinterpret_cast<uint4 *>(dst + dst_off[r])[c] =
			reinterpret_cast<const uint4 *>(src + src_off[r])[c];
	}
}

__global__ void add_bias_kernel(float *x, const uint16_t *b, int n, int dim)
{
	size_t total = (size_t)n * dim;
	for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < total;
	     i += (size_t)gridDim.x * blockDim.x)
		x[i] += cc_bf2f(b[i % dim]);
}

extern "C" int cc_kernels_copy_rows(void *dst, const uint64_t *dst_off, const void *src,
                                    const uint64_t *src_off, size_t n, size_t row_bytes,
                                    cudaStream_t stream)
{
	CC_ARG_CHECK(dst && dst_off && src && src_off && row_bytes > 0 && row_bytes % 16 == 0);
	if (n == 0)
		return CC_OK;
	size_t total = n * (row_bytes / 16);
	size_t blocks = (total + 255) / 256;
	if (blocks > 65535)
		blocks = 65535;
	copy_rows_kernel<<<(unsigned)blocks, 256, 0, stream>>>(
		(unsigned char *)dst, dst_off, (const unsigned char *)src, src_off, n, row_bytes / 16);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}

extern "C" int cc_kernels_add_bias(float *x, const uint16_t *b, int n, int dim,
                                   cudaStream_t stream)
{
	CC_ARG_CHECK(x && b && n >= 0 && dim > 0);
	if (n == 0)
		return CC_OK;
	size_t total = (size_t)n * dim;
	size_t blocks = (total + 255) / 256;
	if (blocks > 65535)
		blocks = 65535;
	add_bias_kernel<<<(unsigned)blocks, 256, 0, stream>>>(x, b, n, dim);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}
