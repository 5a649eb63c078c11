/*
 * kernels_int.cuh - helpers shared by the .cu files of kernels/: the CC_CUDA_CHECK macro that
 * turns a CUDA runtime error into a cc_status with file and line, the launch check, and bf16
 * load/store helpers. Device code only; never included from C.
 */
#ifndef CC_KERNELS_INT_CUH
#define CC_KERNELS_INT_CUH

#include "cc_common.h"
#include "cc_kernels.h"

#include <cuda_bf16.h>
#include <cuda_runtime.h>

/* Evaluate a CUDA runtime call; on failure record "file:line: call: message" and return
 * CC_ECUDA from the enclosing function. */
#define CC_CUDA_CHECK(call)                                                                       \
	do {                                                                                      \
		cudaError_t e_ = (call);                                                          \
		if (e_ != cudaSuccess)                                                            \
			return cc_error_set(CC_ECUDA, "%s:%d: %s: %s", __FILE__, __LINE__, #call, \
			                    cudaGetErrorString(e_));                              \
	} while (0)

/* After a kernel launch: report a launch failure (bad configuration, no device). */
#define CC_CUDA_LAUNCHED() CC_CUDA_CHECK(cudaGetLastError())

#define CC_ARG_CHECK(cond)                                                                           \
	do {                                                                                         \
		if (!(cond))                                                                         \
			return cc_error_set(CC_EINVAL, "%s: invalid argument: %s", __func__, #cond); \
	} while (0)

static __device__ __forceinline__ float cc_bf2f(uint16_t v)
{
	return __uint_as_float((unsigned)v << 16);
}

static __device__ __forceinline__ uint16_t cc_f2bf(float f)
{
	__nv_bfloat16 b = __float2bfloat16_rn(f);
	return *reinterpret_cast<uint16_t *>(&b);
}

/* 8 bf16 packed in a uint4 (16 bytes) -> 8 floats. */
static __device__ __forceinline__ void cc_bf16x8_to_f32(const uint4 &u, float *f)
{
	f[0] = __uint_as_float(u.x << 16);
	f[1] = __uint_as_float(u.x & 0xffff0000u);
	f[2] = __uint_as_float(u.y << 16);
	f[3] = __uint_as_float(u.y & 0xffff0000u);
	f[4] = __uint_as_float(u.z << 16);
	f[5] = __uint_as_float(u.z & 0xffff0000u);
	f[6] = __uint_as_float(u.w << 16);
	f[7] = __uint_as_float(u.w & 0xffff0000u);
}

static __device__ __forceinline__ unsigned cc_pack_bf16x2(float lo, float hi)
{
	return (unsigned)cc_f2bf(lo) | ((unsigned)cc_f2bf(hi) << 16);
}

/* Element offset of the row of (block, offset in block, kv head) from the pool's k or v. */
static __device__ __forceinline__ size_t cc_kv_row(int blk, int off, int h, size_t bstride,
                                                   int bs, int hd)
{
	return (size_t)blk * bstride + ((size_t)h * bs + off) * hd;
}

/* Element offset of row `off` of lane id `lane` (block * kvh + the KV head area that holds it:
 * kv/cc_kv.h's lanes, cc_kv_seq_head_lanes) from the pool's k or v. */
static __device__ __forceinline__ size_t cc_kv_lane_row(int lane, int off, int kvh, size_t bstride,
                                                        int bs, int hd)
{
	int blk = lane / kvh;
	return cc_kv_row(blk, off, lane - blk * kvh, bstride, bs, hd);
}

static inline size_t cc_kv_bstride(const cc_kernels_kv *kv)
{
	return kv->block_stride ? kv->block_stride
	                        : (size_t)kv->kv_heads * kv->block_size * kv->head_dim;
}

static inline int cc_kv_check(const cc_kernels_kv *kv)
{
	if (!kv || !kv->k || !kv->v || kv->block_size <= 0 ||
	    kv->kv_heads <= 0 || !cc_kernels_head_dim_ok(kv->head_dim))
		return cc_error_set(CC_EINVAL,
		                    "paged KV description invalid (block_size %d, "
		                    "kv_heads %d, head_dim %d)",
		                    kv ? kv->block_size : 0,
		                    kv ? kv->kv_heads : 0, kv ? kv->head_dim : 0);
	return CC_OK;
}

#endif
