/*
 * argmax.cu - greedy decoding's choice on the device: per row of f32 logits, the index of the
 * largest value (the lowest index among equal ones), or -1 when the row holds a NaN. The CPU
 * twin is the greedy branch of cc_sampler_sample (engine/engine.c): same order, same ties,
 * NaN refused. One block per row; each thread scans a strided slice, then a shared-memory
 * reduction of (value, index) pairs.
 */
#include "kernels_int.cuh"

#define ARGMAX_THREADS 1024

/* a before b: larger value, or equal values and a lower index */
__device__ static inline bool am_better(float va, int ia, float vb, int ib)
{
	return va > vb || (va == vb && ia < ib);
}

__global__ void __launch_bounds__(ARGMAX_THREADS)
	argmax_kernel(int32_t *out, const float *x, int n, int ld)
{
	__shared__ float sv[ARGMAX_THREADS];
	__shared__ int si[ARGMAX_THREADS];
	__shared__ int nan_seen;
	const float *row = x + (size_t)blockIdx.x * (size_t)ld;
	float bv = -INFINITY;
	int bi = n; /* no index yet: any real index wins a tie against it */
	int nan = 0;
	if (threadIdx.x == 0)
		nan_seen = 0;
	for (int i = threadIdx.x; i < n; i += blockDim.x) {
		float v = row[i];
		if (v != v)
			nan = 1;
		else if (am_better(v, i, bv, bi))
			bv = v, bi = i;
	}
	__syncthreads();
	if (nan)
		nan_seen = 1;
	sv[threadIdx.x] = bv;
	si[threadIdx.x] = bi;
	__syncthreads();
	for (int s = blockDim.x / 2; s > 0; s >>= 1) {
		if (threadIdx.x < s) {
			float ov = sv[threadIdx.x + s];
			int oi = si[threadIdx.x + s];
			if (am_better(ov, oi, sv[threadIdx.x], si[threadIdx.x])) {
				sv[threadIdx.x] = ov;
				si[threadIdx.x] = oi;
			}
		}
		__syncthreads();
	}
	if (threadIdx.x == 0)
		out[blockIdx.x] = nan_seen ? -1 : (si[0] < n ? si[0] : 0);
}

extern "C" int cc_kernels_argmax(int32_t *out, const float *x, int rows, int n, int ld,
                                 cudaStream_t stream)
{
	CC_ARG_CHECK(out && x && rows >= 0 && rows <= 65535 && n > 0 && ld >= n);
	if (rows == 0)
		return CC_OK;
	argmax_kernel<<<rows, ARGMAX_THREADS, 0, stream>>>(out, x, n, ld);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}
