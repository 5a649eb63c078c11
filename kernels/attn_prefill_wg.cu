/*
 * attn_prefill_wg.cu - the prefill (flash) attention of attn_prefill.cu on Hopper's
 * warpgroup tensor-core instructions (wgmma), for head dim 128.
 *
 * One block = 2 warpgroups (8 warps). Each warpgroup computes 64 query rows of one head: the
 * block's 128 rows of one head, or (GQA groups of even size) the same 64 rows of two heads of
 * one group, which then share every K/V tile the block loads. Key/value tiles of 64 slots are
 * gathered from the paged pools into shared memory with cp.async, double-buffered as in
 * attn_prefill.cu, but stored as the "core matrices" wgmma reads (8 rows x 16 bytes, 128
 * contiguous bytes each) instead of padded rows:
 *   S = Q K^T   wgmma m64n64k16, Q and K both from shared memory (K-major: head dim innermost),
 *   O += P V    wgmma m64n128k16, P from registers (S's accumulator layout is the A operand
 *               layout, as with mma.sync), V from shared memory read transposed (MN-major).
 * A warpgroup's matrix products are issued together and waited for once per product; the two
 * warpgroups of a block (and the softmax of one against the products of the other) overlap
 * only through the warp schedulers: no producer warps, no pipelining of one tile's softmax
 * against the next tile's products. As it stands it is correct (tests/gpu) but not faster
 * than the mma.sync kernel on an H100 (253 against 270 TFLOP/s at 4K tokens, 8B heads), so it
 * is off by default; it is the base for those steps. Online softmax, masking, key splits, ragged layers, the
 * outputs and the log-sum-exp are those of attn_prefill.cu's kernel (same results up to f32
 * summation order).
 *
 * wgmma exists on sm_90a only: the kernel body is compiled for that target (the library is
 * built for it, kernels/CMakeLists.txt); elsewhere cc_kernels_attn_prefill_wg answers
 * CC_EUNSUPPORTED and the caller runs the mma.sync kernel.
 */
#include "kernels_int.cuh"

#include <math.h>
#include <stdlib.h>

/* keys per tile: 64. 128 (-DWG_BC=128: 184 registers, one block per SM, 160 KB of shared
 * memory) compiles but has not run on a GPU yet. */
#ifndef WG_BC
#define WG_BC 64
#endif
#define WG_HD 128 /* head dim */
#define WG_CH (WG_HD / 8)
#define WG_THREADS 256
/* bytes: Q (2 warpgroups x 64 rows), then 2 K buffers, then 2 V buffers */
#define WG_QB (64 * WG_HD * 2)
#define WG_TB (WG_BC * WG_HD * 2)
#define WG_SMEM (2 * WG_QB + 4 * WG_TB)

/* Byte offset of 16-byte chunk c (head dims 8c..8c+7) of row r in a tile of R rows stored as
 * core matrices: core (r / 8, c) at (r / 8) * WG_CH + c, row r % 8 inside it. Neighbouring
 * cores: along the head dim 128 bytes apart, along the rows WG_CH * 128. */
static __device__ __forceinline__ int wg_off(int r, int c)
{
	return ((r >> 3) * WG_CH + c) * 128 + (r & 7) * 16;
}

#if defined(__CUDA_ARCH__) && defined(__CUDA_ARCH_FEAT_SM90_ALL)
#define WG_HAVE 1
#else
#define WG_HAVE 0
#endif

/* WG_HAVE of the device pass, for the host to read (1: the kernel below is real) */
__device__ const int wg_built = WG_HAVE;

#if WG_HAVE
/* shared memory matrix descriptor (no swizzle): start address, leading and stride byte
 * offsets, each in 16-byte units */
static __device__ __forceinline__ uint64_t wg_desc(const void *p, unsigned lbo, unsigned sbo)
{
	uint32_t a = (uint32_t)__cvta_generic_to_shared(p);
	return (uint64_t)((a & 0x3FFFF) >> 4) | ((uint64_t)((lbo >> 4) & 0x3FFF) << 16) |
	       ((uint64_t)((sbo >> 4) & 0x3FFF) << 32);
}

/* Leading byte offset: between neighbouring cores along the product's K dimension; stride
 * byte offset: along M or N. So it is for the K-major operands (Q, K: K is the head dim) and,
 * measured on an H100 (a probe of every assignment, 2026-12-06), for the MN-major one (V, read
 * transposed: K is the keys) too. */
#define WG_K_LBO 128           /* Q, K: next 8 head dims */
#define WG_K_SBO (WG_CH * 128) /* next 8 rows */
#define WG_V_LBO (WG_CH * 128) /* V: next 8 keys */
#define WG_V_SBO 128           /* next 8 head dims */

static __device__ __forceinline__ void wg_fence_proxy()
{
	asm volatile("fence.proxy.async.shared::cta;\n" ::
	                     : "memory");
}
static __device__ __forceinline__ void wg_fence()
{
	asm volatile("wgmma.fence.sync.aligned;\n" ::
	                     : "memory");
}
static __device__ __forceinline__ void wg_commit()
{
	asm volatile("wgmma.commit_group.sync.aligned;\n" ::
	                     : "memory");
}
static __device__ __forceinline__ void wg_wait0()
{
	asm volatile("wgmma.wait_group.sync.aligned 0;\n" ::
	                     : "memory");
}

#define WG_R8(x, o)                                                                     \
	"+f"(x[o + 0]), "+f"(x[o + 1]), "+f"(x[o + 2]), "+f"(x[o + 3]), "+f"(x[o + 4]), \
		"+f"(x[o + 5]), "+f"(x[o + 6]), "+f"(x[o + 7])

/* d (64 x WG_BC f32, WG_BC / 2 per thread) (+)= A (64 x 16, shared) . B (16 x WG_BC, shared,
 * K-major) */
#if WG_BC == 64
static __device__ __forceinline__ void wg_qk(float *d, uint64_t da, uint64_t db, int acc)
{
	asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %34, 0;\n"
	             "wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 "
	             "{%0,%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15,%16,%17,%18,%19,"
	             "%20,%21,%22,%23,%24,%25,%26,%27,%28,%29,%30,%31}, %32, %33, p, 1, 1, 0, 0;\n}\n"
	             : WG_R8(d, 0), WG_R8(d, 8), WG_R8(d, 16), WG_R8(d, 24)
	             : "l"(da), "l"(db), "r"(acc));
}
#else
static __device__ __forceinline__ void wg_qk(float *d, uint64_t da, uint64_t db, int acc)
{
	asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %66, 0;\n"
	             "wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16 "
	             "{%0,%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15,%16,%17,%18,%19,"
	             "%20,%21,%22,%23,%24,%25,%26,%27,%28,%29,%30,%31,%32,%33,%34,%35,%36,%37,%38,"
	             "%39,%40,%41,%42,%43,%44,%45,%46,%47,%48,%49,%50,%51,%52,%53,%54,%55,%56,%57,"
	             "%58,%59,%60,%61,%62,%63}, %64, %65, p, 1, 1, 0, 0;\n}\n"
	             : WG_R8(d, 0), WG_R8(d, 8), WG_R8(d, 16), WG_R8(d, 24), WG_R8(d, 32),
	               WG_R8(d, 40), WG_R8(d, 48), WG_R8(d, 56)
	             : "l"(da), "l"(db), "r"(acc));
}
#endif

/* d (64 x 128 f32, 64 per thread) += A (64 x 16, registers) . B (16 x 128, shared, MN-major) */
static __device__ __forceinline__ void wg_pv(float *d, const unsigned *a, uint64_t db)
{
	asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, 1, 0;\n"
	             "wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16 "
	             "{%0,%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15,%16,%17,%18,%19,"
	             "%20,%21,%22,%23,%24,%25,%26,%27,%28,%29,%30,%31,%32,%33,%34,%35,%36,%37,%38,"
	             "%39,%40,%41,%42,%43,%44,%45,%46,%47,%48,%49,%50,%51,%52,%53,%54,%55,%56,%57,"
	             "%58,%59,%60,%61,%62,%63}, {%64,%65,%66,%67}, %68, p, 1, 1, 1;\n}\n"
	             : WG_R8(d, 0), WG_R8(d, 8), WG_R8(d, 16), WG_R8(d, 24), WG_R8(d, 32),
	               WG_R8(d, 40), WG_R8(d, 48), WG_R8(d, 56)
	             : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(db));
}
#endif

/* one K/V tile of 64 slots from k0 into core-matrix order: 8 consecutive threads fill one
 * core (128 contiguous bytes of shared memory), each row's chunks come from 16-byte pieces
 * of its 256-byte row in the pool */
template <bool RAG>
static __device__ __forceinline__ void wg_load_kv(unsigned char *Ks, unsigned char *Vs,
                                                  const uint16_t *kpool, const uint16_t *vpool,
                                                  const int32_t *bt, int k0, int n_total, int kh,
                                                  int kvh, int bs, size_t bstride)
{
	const int bsh = cc_pow2_shift(bs), kvsh = cc_pow2_shift(kvh);
	for (int i = threadIdx.x; i < WG_BC * WG_CH; i += WG_THREADS) {
		int r = (i >> 7) * 8 + (i & 7), c = (i >> 3) & 15;
		int j = k0 + r;
		bool ok = j < n_total;
		size_t off = 0;
		if (ok)
			off = cc_kv_slot<RAG>(bt, j, bs, bsh, kh, kvh, kvsh, bstride, WG_HD) + c * 8;
		cp_async16(Ks + wg_off(r, c), kpool + off, ok);
		cp_async16(Vs + wg_off(r, c), vpool + off, ok);
	}
}

/* Parameters and outputs as attn_prefill_kernel (attn_prefill.cu); hpb 1 or 2 */
template <bool RAG, int hpb>
__global__ void __launch_bounds__(WG_THREADS, WG_BC == 64 ? 2 : 1)
	attn_prefill_wg_kernel(uint16_t *out, float *lse, int lse_stride, float *part_o,
                               float *part_ml, const uint16_t *q, const uint16_t *kpool,
                               const uint16_t *vpool, const int32_t *block_table, int n_past, int n,
                               int nh, int kvh, int bs, size_t bstride, float scale_log2,
                               const int32_t *head_past, int lt_stride)
{
#if WG_HAVE
	extern __shared__ __align__(128) unsigned char smem[];
	const int wg = threadIdx.x >> 7, warp = (threadIdx.x >> 5) & 3, lane = threadIdx.x & 31;
	unsigned char *Qs = smem + wg * WG_QB;
	unsigned char *Kb = smem + 2 * WG_QB, *Vb = Kb + 2 * WG_TB;
	/* heavy (late) query tiles first, heads fastest: as attn_prefill_kernel */
	const int qt = gridDim.y - 1 - blockIdx.y;
	const int kh = blockIdx.x * hpb / (nh / kvh);
	if (RAG) {
		n_past = head_past[kh];
		block_table += (size_t)kh * lt_stride;
	}
	const int brows = 128 / hpb; /* query rows of the block per head */
	const int q0 = qt * brows;
	const int head = blockIdx.x * hpb + wg % hpb;
	const int wr0 = (wg / hpb) * 64; /* this warpgroup's first row in the block's tile */

	/* both warpgroups' Q (rows beyond n zero-filled) and the first K/V tile: one group */
	for (int i = threadIdx.x; i < 2 * 64 * WG_CH; i += WG_THREADS) {
		int w = i >> 10, ii = i & 1023;
		int r = (ii >> 7) * 8 + (ii & 7), c = (ii >> 3) & 15;
		int row = q0 + (w / hpb) * 64 + r;
		bool ok = row < n;
		const uint16_t *src =
			q + (ok ? ((size_t)row * nh + blockIdx.x * hpb + w % hpb) * WG_HD + c * 8 : 0);
		cp_async16(smem + w * WG_QB + wg_off(r, c), src, ok);
	}
	const int n_total = n_past + n;
	const int last_slot = min(n_past + q0 + brows - 1, n_total - 1);
	const int all_tiles = last_slot / WG_BC + 1;
	const int per = (all_tiles + gridDim.z - 1) / gridDim.z;
	const int kt0 = blockIdx.z * per;
	const int n_tiles = min(all_tiles, kt0 + per);
	if (kt0 < n_tiles)
		wg_load_kv<RAG>(Kb, Vb, kpool, vpool, block_table, kt0 * WG_BC, n_total, kh, kvh, bs,
		                bstride);
	cp_async_commit();

	const int g = lane >> 2, t4 = lane & 3;
	const int gslot0 = n_past + q0 + wr0;  /* slot of the warpgroup's first row */
	const int wslot0 = gslot0 + warp * 16; /* this warp's first row */
	const int qslot0 = wslot0 + g;         /* row g; row g + 8 is +8 */
	const int wg_last = min(gslot0 + 63, n_total - 1);
	float o[64];
#pragma unroll
	for (int i = 0; i < 64; i++)
		o[i] = 0.f;
	float m0 = -INFINITY, m1 = -INFINITY, l0 = 0.f, l1 = 0.f;

	for (int kt = kt0; kt < n_tiles; kt++) {
		const int buf = (kt - kt0) & 1;
		if (kt + 1 < n_tiles) {
			wg_load_kv<RAG>(Kb + (buf ^ 1) * WG_TB, Vb + (buf ^ 1) * WG_TB, kpool, vpool,
			                block_table, (kt + 1) * WG_BC, n_total, kh, kvh, bs, bstride);
			cp_async_commit();
			cp_async_wait<1>();
		} else {
			cp_async_wait<0>();
		}
		/* the tiles were written through the generic proxy; wgmma reads through the async
		 * one */
		wg_fence_proxy();
		__syncthreads();
		const int k0 = kt * WG_BC;
		/* a tile wholly past the warpgroup's rows adds nothing (warpgroup-uniform) */
		if (k0 <= wg_last) {
			const unsigned char *Ks = Kb + buf * WG_TB, *Vs = Vb + buf * WG_TB;
			float s[WG_BC / 2];
			wg_fence();
#pragma unroll
			for (int kk = 0; kk < WG_HD / 16; kk++)
				wg_qk(s, wg_desc(Qs + kk * 256, WG_K_LBO, WG_K_SBO),
				      wg_desc(Ks + kk * 256, WG_K_LBO, WG_K_SBO), kk);
			wg_commit();
			wg_wait0();

			const bool need_mask = k0 + WG_BC - 1 > wslot0 || k0 + WG_BC > n_total;
			unsigned pa[WG_BC / 16][4];
			cc_pf_softmax_tile<WG_BC / 8, WG_HD / 8>(s, o, pa, m0, m1, l0, l1, need_mask,
			                                         k0, qslot0, n_total, scale_log2, t4);
			/* O += P V: k-step kk covers keys 16 kk .. 16 kk + 15, two core rows */
			wg_fence();
#pragma unroll
			for (int kk = 0; kk < WG_BC / 16; kk++)
				wg_pv(o, pa[kk], wg_desc(Vs + kk * 2 * WG_V_LBO, WG_V_LBO, WG_V_SBO));
			wg_commit();
			wg_wait0();
		}
		__syncthreads(); /* this buffer is refilled by the next iteration's prefetch */
	}

	cc_pf_store_rows<WG_HD>(out, lse, lse_stride, part_o, part_ml, gridDim.z, blockIdx.z, n, nh,
	                        head, qslot0 - n_past, o, m0, m1, l0, l1, t4);
#else
	__trap(); /* never launched: the host checks wg_built (wg_supported) first */
#endif
}

/* whether this build has the wgmma kernel and the current device runs it (compute 9.0) */
static int wg_supported(void)
{
	static int ok = -1;
	if (ok < 0) {
		int dev = 0, major = 0, minor = 0, built = 0;
		ok = 0;
		if (cudaGetDevice(&dev) == cudaSuccess &&
		    cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev) ==
		            cudaSuccess &&
		    cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, dev) ==
		            cudaSuccess &&
		    major == 9 && minor == 0 &&
		    cudaMemcpyFromSymbol(&built, wg_built, sizeof built) == cudaSuccess)
			ok = built == 1;
		cudaGetLastError();
	}
	return ok;
}

/* 1 on, 0 off, -1 the default (CC_PF_WG=0|1 from the environment, else off: measured on an
 * H100, 2026-12-06, this kernel ran the 8B shape's 4K prefill attention at 253 TFLOP/s against
 * the mma.sync kernel's 270; bench/results/gpu.md) */
static int g_pf_wg = -1;

extern "C" void cc_kernels_set_prefill_wgmma(int mode)
{
	g_pf_wg = mode == 0 || mode == 1 ? mode : -1;
}

extern "C" int cc_kernels_prefill_wgmma_on(int head_dim)
{
	int m = g_pf_wg;
	if (m < 0) {
		static int env = -2;
		if (env == -2) {
			const char *e = getenv("CC_PF_WG");
			env = e && (e[0] == '0' || e[0] == '1') && !e[1] ? e[0] - '0' : -1;
		}
		m = env < 0 ? 0 : env;
	}
	return m == 1 && head_dim == WG_HD && wg_supported();
}

int cc_kernels_attn_prefill_wg(uint16_t *out, float *lse, int lse_stride,
                               const uint16_t *q, const cc_kernels_kv *kv,
                               const int32_t *block_table, int n_past, int n,
                               int n_heads, float scale, int splits, float *part_o,
                               float *part_ml, const int32_t *head_past,
                               int lt_stride, cudaStream_t stream)
{
	const int hpb = cc_kernels_prefill_wg_hpb(n_heads / kv->kv_heads);
	if (!wg_supported() || kv->head_dim != WG_HD)
		return cc_error_set(CC_EUNSUPPORTED,
		                    "prefill attention on wgmma: needs an sm_90a build on a compute "
		                    "9.0 device and head dim %d (got %d)",
		                    WG_HD, kv->head_dim);
	void (*kern)(uint16_t *, float *, int, float *, float *, const uint16_t *, const uint16_t *,
	             const uint16_t *, const int32_t *, int, int, int, int, int, size_t, float,
	             const int32_t *, int);
	if (hpb == 2)
		kern = head_past ? attn_prefill_wg_kernel<true, 2> : attn_prefill_wg_kernel<false, 2>;
	else
		kern = head_past ? attn_prefill_wg_kernel<true, 1> : attn_prefill_wg_kernel<false, 1>;
	CC_CUDA_CHECK(
		cudaFuncSetAttribute(kern, cudaFuncAttributeMaxDynamicSharedMemorySize, WG_SMEM));
	const int brows = 128 / hpb;
	dim3 grid(n_heads / hpb, (n + brows - 1) / brows, splits);
	kern<<<grid, WG_THREADS, WG_SMEM, stream>>>(out, lse, lse_stride, part_o, part_ml, q, kv->k,
	                                            kv->v, block_table, n_past, n, n_heads,
	                                            kv->kv_heads, kv->block_size, cc_kv_bstride(kv),
	                                            scale * 1.4426950408889634f, head_past,
	                                            lt_stride);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}
