/*
 * kv_rows.cu - RoPE by a position delta on KV rows already in a paged cache: keys stored after
 * RoPE at position p become keys at p + delta by one more rotation (the repository cache
 * assembles sessions from chunks computed at position 0). The (cos, sin) of each pair's angle
 * come from the host, so the arithmetic is engine/kv_io.c's host path step for step (unfused
 * products, rounding to nearest even): the same bits (tests/gpu/test_gpu_repocache.c).
 */
#include "kernels_int.cuh"

#define KR_THREADS 256

__global__ void rope_rows_kernel(uint8_t *base, const uint64_t *off, size_t n, int hd,
                                 const float *cs_sn)
{
	int half = hd / 2;
	size_t t = (size_t)blockIdx.x * KR_THREADS + threadIdx.x;
	if (t >= n * (size_t)half)
		return;
	size_t r = t / (size_t)half;
	int i = (int)(t % (size_t)half);
	uint16_t *row = (uint16_t *)(base + off[r]);
	float a = cc_bf2f(row[i]), b = cc_bf2f(row[i + half]);
	float c = cs_sn[2 * i], s = cs_sn[2 * i + 1];
	row[i] = cc_f2bf(__fsub_rn(__fmul_rn(a, c), __fmul_rn(b, s)));
	row[i + half] = cc_f2bf(__fadd_rn(__fmul_rn(b, c), __fmul_rn(a, s)));
}

extern "C" int cc_kernels_rope_rows(void *base, const uint64_t *off, size_t n, int head_dim,
                                    const float *cs_sn, cudaStream_t stream)
{
	CC_ARG_CHECK(base && off && cs_sn && head_dim > 0 && head_dim % 2 == 0);
	if (n == 0)
		return CC_OK;
	size_t total = n * (size_t)(head_dim / 2);
	CC_ARG_CHECK(total / KR_THREADS < 0x7fffffffu);
	rope_rows_kernel<<<(unsigned)((total + KR_THREADS - 1) / KR_THREADS), KR_THREADS, 0,
	                   stream>>>((uint8_t *)base, off, n, head_dim, cs_sn);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}
