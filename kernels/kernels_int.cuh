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
#include <math.h>

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

/* two floats -> two bf16 (round to nearest even, as cc_f2bf) in one cvt.rn.bf16x2.f32
 * instruction; lo in the low half */
static __device__ __forceinline__ unsigned cc_pack_bf16x2(float lo, float hi)
{
	__nv_bfloat162 b = __floats2bfloat162_rn(lo, hi);
	return *reinterpret_cast<unsigned *>(&b);
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

/* log2(n) when n is a power of two (block sizes of 16, KV head counts of 2, 4, 8: the usual
 * ones), else -1. With it a slot's block and row are a shift and a mask instead of an
 * integer division by a run-time value (about 20 instructions), which the decode and prefill
 * kernels did for every row they loaded. */
static __device__ __forceinline__ int cc_pow2_shift(int n)
{
	return n > 0 && (n & (n - 1)) == 0 ? __ffs(n) - 1 : -1;
}

static __device__ __forceinline__ int cc_div_shift(int j, int n, int sh)
{
	return sh >= 0 ? j >> sh : j / n;
}

/* Element offset of slot j (>= 0) of a sequence from the pool's k or v: bt is its block table
 * (kv head kh), or with RAG the KV head's own lane table (lane ids block * kvh + area).
 * bsh = cc_pow2_shift(bs), kvsh = cc_pow2_shift(kvh). */
template <bool RAG>
static __device__ __forceinline__ size_t cc_kv_slot(const int32_t *bt, int j, int bs, int bsh,
                                                    int kh, int kvh, int kvsh, size_t bstride,
                                                    int hd)
{
	int bi = cc_div_shift(j, bs, bsh);
	int off = j - bi * bs;
	if (RAG) {
		int lane = bt[bi];
		int blk = cc_div_shift(lane, kvh, kvsh);
		return cc_kv_row(blk, off, lane - blk * kvh, bstride, bs, hd);
	}
	return cc_kv_row(bt[bi], off, kh, bstride, bs, hd);
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

/* A launch configuration for cudaLaunchKernelEx, with programmatic dependent launch when pdl
 * (the kernel's blocks are placed while the previous kernel finishes; it must wait for it with
 * griddepcontrol.wait before reading its results). at: one attribute's room, owned by the
 * caller for as long as cfg is used. */
static inline cudaLaunchConfig_t cc_launch_config(dim3 grid, dim3 block, size_t smem,
                                                  cudaStream_t stream, int pdl,
                                                  cudaLaunchAttribute *at)
{
	cudaLaunchConfig_t cfg = {};
	cfg.gridDim = grid;
	cfg.blockDim = block;
	cfg.dynamicSmemBytes = smem;
	cfg.stream = stream;
	if (pdl) {
		at[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
		at[0].val.programmaticStreamSerializationAllowed = 1;
		cfg.attrs = at;
		cfg.numAttrs = 1;
	}
	return cfg;
}

/* Tensor-core building blocks shared by the attention kernels (Ampere+ PTX; sm_90 here):
 * asynchronous 16-byte copies global -> shared, ldmatrix, and mma m16n8k16 bf16 -> f32. */
static __device__ __forceinline__ void cp_async16(void *smem, const void *gmem, bool valid)
{
	unsigned s = (unsigned)__cvta_generic_to_shared(smem);
	int n = valid ? 16 : 0; /* 0: zero-fill, nothing read */
	asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(gmem), "r"(n));
}

static __device__ __forceinline__ void cp_async_commit()
{
	asm volatile("cp.async.commit_group;\n" ::);
}

template <int N>
static __device__ __forceinline__ void cp_async_wait()
{
	asm volatile("cp.async.wait_group %0;\n" ::"n"(N));
}

static __device__ __forceinline__ void ldsm_x4(unsigned &r0, unsigned &r1, unsigned &r2,
                                               unsigned &r3, const void *p)
{
	unsigned s = (unsigned)__cvta_generic_to_shared(p);
	asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
	             : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3)
	             : "r"(s));
}

static __device__ __forceinline__ void ldsm_x4_t(unsigned &r0, unsigned &r1, unsigned &r2,
                                                 unsigned &r3, const void *p)
{
	unsigned s = (unsigned)__cvta_generic_to_shared(p);
	asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\n"
	             : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3)
	             : "r"(s));
}

/* The B operands of two m16n8k16 products from row-major tiles in shared memory (ld bf16 per
 * row), as the flash-attention kernels use them: K^T for n-tiles nt and nt + 1 (keys nt * 8 ..
 * nt * 8 + 15) at k-step kk (dims kk * 16 ..), b0/b1 feeding n-tile nt and b2/b3 nt + 1; and V
 * for k-step kk (keys kk * 16 ..) at output n-tiles dt and dt + 1 (dims dt * 8 ..). */
static __device__ __forceinline__ void ldsm_k_pair(unsigned &b0, unsigned &b1, unsigned &b2,
                                                   unsigned &b3, const uint16_t *Ks, int ld, int nt,
                                                   int kk, int lane)
{
	int mi = lane >> 3;
	ldsm_x4(b0, b1, b2, b3, Ks + (nt * 8 + (mi >> 1) * 8 + (lane & 7)) * ld + kk * 16 + (mi & 1) * 8);
}

static __device__ __forceinline__ void ldsm_v_pair(unsigned &b0, unsigned &b1, unsigned &b2,
                                                   unsigned &b3, const uint16_t *Vs, int ld, int kk,
                                                   int dt, int lane)
{
	int mi = lane >> 3;
	ldsm_x4_t(b0, b1, b2, b3,
	          Vs + (kk * 16 + (mi & 1) * 8 + (lane & 7)) * ld + dt * 8 + (mi >> 1) * 8);
}

/* 2^x in one MUFU instruction (ex2.approx.ftz: results below 2^-126 flush to 0, which the
 * softmax's weights may; 2^-inf = 0). exp2f compiles to ex2.approx without ftz, which adds a
 * compare and two multiplies around it for subnormal inputs. */
static __device__ __forceinline__ float cc_ex2(float x)
{
	float y;
	asm("ex2.approx.ftz.f32 %0, %1;\n"
	    : "=f"(y)
	    : "f"(x));
	return y;
}

/* d += a (16x16 bf16, row) * b (16x8 bf16, col), f32 accumulators */
static __device__ __forceinline__ void mma16816(float *d, const unsigned *a, unsigned b0,
                                                unsigned b1)
{
	asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, "
	             "{%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
	             : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
	             : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

/* The online softmax of one 16-row m-tile of a flash-attention key tile (attn_prefill_wg.cu;
 * attn_prefill.cu writes the same steps out, see there), in the layout both prefill kernels
 * hold it in: s[4 nt + e] is row
 * g (e < 2) or g + 8 of key k0 + nt * 8 + 2 t4 + (e & 1) (the accumulator layout of both
 * instructions), NT key n-tiles; o[4 dt + e] the output rows likewise over DT n-tiles of head
 * dims; m (running max, log2 units, already scaled) and l (per-lane partial sums) of rows g
 * and g + 8. Masks keys past each row's diagonal (query slots qslot0 and qslot0 + 8) and at or
 * past n_total when need_mask, writes P as the A operand of P.V (pa: k-steps of 16 keys) and
 * rescales o when a row's max moved. */
template <int NT, int DT>
static __device__ __forceinline__ void cc_pf_softmax_tile(float *s, float *o, unsigned (*pa)[4],
                                                          float &m0, float &m1, float &l0,
                                                          float &l1, bool need_mask, int k0,
                                                          int qslot0, int n_total,
                                                          float scale_log2, int t4)
{
	float mx0 = -INFINITY, mx1 = -INFINITY;
#pragma unroll
	for (int nt = 0; nt < NT; nt++) {
		if (need_mask) {
#pragma unroll
			for (int e = 0; e < 4; e++) {
				int j = k0 + nt * 8 + t4 * 2 + (e & 1);
				int qs = qslot0 + (e >> 1) * 8;
				if (j > qs || j >= n_total)
					s[4 * nt + e] = -INFINITY;
			}
		}
		mx0 = fmaxf(mx0, fmaxf(s[4 * nt], s[4 * nt + 1]));
		mx1 = fmaxf(mx1, fmaxf(s[4 * nt + 2], s[4 * nt + 3]));
	}
	mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 1));
	mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 2));
	mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 1));
	mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 2));
	/* a row can have seen nothing yet (a split that starts past its diagonal): keep the
	 * exponent arguments finite so masked entries give 0, never NaN */
	const float mn0 = fmaxf(m0, mx0 * scale_log2);
	const float mn1 = fmaxf(m1, mx1 * scale_log2);
	const float a0 = mn0 == -INFINITY ? 1.f : cc_ex2(m0 - mn0);
	const float a1 = mn1 == -INFINITY ? 1.f : cc_ex2(m1 - mn1);
	m0 = mn0;
	m1 = mn1;
	const float e0 = mn0 == -INFINITY ? 0.f : mn0;
	const float e1 = mn1 == -INFINITY ? 0.f : mn1;
	float ps0 = 0.f, ps1 = 0.f;
#pragma unroll
	for (int nt = 0; nt < NT; nt++) {
		/* the scale is folded into the exponent's FMA */
		float p0 = cc_ex2(fmaf(s[4 * nt], scale_log2, -e0));
		float p1 = cc_ex2(fmaf(s[4 * nt + 1], scale_log2, -e0));
		float p2 = cc_ex2(fmaf(s[4 * nt + 2], scale_log2, -e1));
		float p3 = cc_ex2(fmaf(s[4 * nt + 3], scale_log2, -e1));
		ps0 += p0 + p1;
		ps1 += p2 + p3;
		pa[nt >> 1][(nt & 1) * 2 + 0] = cc_pack_bf16x2(p0, p1);
		pa[nt >> 1][(nt & 1) * 2 + 1] = cc_pack_bf16x2(p2, p3);
	}
	/* per-lane partial sums; reduced across the quad at the end */
	l0 = l0 * a0 + ps0;
	l1 = l1 * a1 + ps1;
	/* once the row maxima settle (most steps after the first few) no row of the warp changes
	 * its max: the rescale of O is then skipped */
	if (__any_sync(0xffffffffu, a0 != 1.f || a1 != 1.f)) {
#pragma unroll
		for (int dt = 0; dt < DT; dt++) {
			o[4 * dt] *= a0;
			o[4 * dt + 1] *= a0;
			o[4 * dt + 2] *= a1;
			o[4 * dt + 3] *= a1;
		}
	}
}

/* The end of one 16-row m-tile of both prefill kernels: rows r0 and r0 + 8 of the chunk (n
 * rows), head `head` of nh, o in the layout above, m and l as above (l still per lane). With
 * key splits (splits > 1) the unnormalised o and the row's (max, sum) go to split z's
 * partials; otherwise the normalised rows to out (bf16) and the log-sum-exp (nats) to lse. */
template <int HD>
static __device__ __forceinline__ void cc_pf_store_rows(uint16_t *out, float *lse, int lse_stride,
                                                        float *part_o, float *part_ml, int splits,
                                                        int z, int n, int nh, int head, int r0,
                                                        const float *o, float m0, float m1,
                                                        float l0, float l1, int t4)
{
	const int r1 = r0 + 8;
	l0 += __shfl_xor_sync(0xffffffffu, l0, 1);
	l0 += __shfl_xor_sync(0xffffffffu, l0, 2);
	l1 += __shfl_xor_sync(0xffffffffu, l1, 1);
	l1 += __shfl_xor_sync(0xffffffffu, l1, 2);
	if (splits > 1) {
		size_t zb = (size_t)z * n;
#pragma unroll
		for (int dt = 0; dt < HD / 8; dt++) {
			int d = dt * 8 + t4 * 2;
			if (r0 < n)
				*reinterpret_cast<float2 *>(part_o + ((zb + r0) * nh + head) * HD + d) =
					make_float2(o[4 * dt], o[4 * dt + 1]);
			if (r1 < n)
				*reinterpret_cast<float2 *>(part_o + ((zb + r1) * nh + head) * HD + d) =
					make_float2(o[4 * dt + 2], o[4 * dt + 3]);
		}
		if (t4 == 0) {
			if (r0 < n)
				*reinterpret_cast<float2 *>(part_ml + ((zb + r0) * nh + head) * 2) =
					make_float2(m0, l0);
			if (r1 < n)
				*reinterpret_cast<float2 *>(part_ml + ((zb + r1) * nh + head) * 2) =
					make_float2(m1, l1);
		}
		return;
	}
	const float i0 = 1.f / l0, i1 = 1.f / l1;
#pragma unroll
	for (int dt = 0; dt < HD / 8; dt++) {
		int d = dt * 8 + t4 * 2;
		if (r0 < n)
			*reinterpret_cast<unsigned *>(out + ((size_t)r0 * nh + head) * HD + d) =
				cc_pack_bf16x2(o[4 * dt] * i0, o[4 * dt + 1] * i0);
		if (r1 < n)
			*reinterpret_cast<unsigned *>(out + ((size_t)r1 * nh + head) * HD + d) =
				cc_pack_bf16x2(o[4 * dt + 2] * i1, o[4 * dt + 3] * i1);
	}
	if (lse && t4 == 0) {
		if (r0 < n)
			lse[(size_t)head * lse_stride + r0] = (m0 + log2f(l0)) * 0.69314718055994531f;
		if (r1 < n)
			lse[(size_t)head * lse_stride + r1] = (m1 + log2f(l1)) * 0.69314718055994531f;
	}
}

/* attn_prefill_wg.cu: the wgmma prefill kernel (head dim 128, sm_90a; whether prefill chunks
 * take it: cc_kernels_prefill_wgmma_on, cc_kernels.h). _hpb: its heads per block for a GQA
 * group (2 for even groups, else 1: 128 / hpb query rows per head and block); the launch
 * writes partials to part_o / part_ml when splits > 1 (the caller merges them). */
static inline int cc_kernels_prefill_wg_hpb(int group)
{
	return group % 2 == 0 ? 2 : 1;
}
int cc_kernels_attn_prefill_wg(uint16_t *out, float *lse, int lse_stride, const uint16_t *q,
                               const cc_kernels_kv *kv, const int32_t *block_table, int n_past,
                               int n, int n_heads, float scale, int splits, float *part_o,
                               float *part_ml, const int32_t *head_past, int lt_stride,
                               cudaStream_t stream);

#endif
