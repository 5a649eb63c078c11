/*
 * gemv.cu - decode-sized matrix products (1 to 4 activation rows): each bf16 weight row is
 * streamed once from device memory with 16-byte non-allocating loads, eight in flight per
 * lane, and dotted with every activation row; one warp per output row (two for the SwiGLU
 * epilogue: the gate row and its up row). Fused around it, so that a decode step is a few
 * launches per layer instead of nine: an RMSNorm prologue (each block normalises the f32
 * residual rows into bf16 in shared memory, rounded as cc_kernels_rmsnorm rounds them) and
 * three epilogues (store f32, add into f32, SwiGLU into bf16). The arithmetic of one output
 * does not depend on how many activation rows share the launch, so a batched step computes
 * the same numbers as each row alone. A fourth epilogue (cc_kernels_gemv_rope) takes the
 * fused q/k/v projection of a decode step: a warp computes the rotate-half row pair
 * (i, i + head_dim / 2) of one head, adds the bias, rotates q and k by RoPE and writes q to the
 * attention input and k, v into the paged cache, as kernels/rope.cu does after a plain product.
 */
#include "kernels_int.cuh"

#include <stdlib.h>

#define GEMV_WARPS 8
#define GEMV_LOADS 8 /* 16-byte weight loads in flight per lane */

/* launch with programmatic dependent launch (cc_kernels_set_gemv_pdl) */
static int g_gemv_pdl = 1;

/* Bytes of a launch's weights that its warps ask L2 to fetch before they wait for the previous
 * kernel (beyond the first sweep, which goes to registers): with PDL the weights of the
 * product after the decode attention are read while the attention still runs, when the
 * memory bus is otherwise idle. Capped well under L2 so that the prefetched lines survive
 * until they are read. CC_GEMV_L2PF_MB=N turns it on with a cap of N MiB (24 is the value
 * to measure first); off by default until measured on a GPU. -1: not read yet. */
static long long g_gemv_l2pf = -1;

static long long gemv_l2pf_bytes(void)
{
	if (g_gemv_l2pf < 0) {
		const char *e = getenv("CC_GEMV_L2PF_MB");
		long long mb = e && *e ? atoll(e) : 0;
		g_gemv_l2pf = (mb < 0 ? 0 : mb) << 20;
	}
	return g_gemv_l2pf;
}

/* 16 bytes of a weight row that is read once: keep it out of L1. */
static __device__ __forceinline__ uint4 ld_stream(const uint4 *p)
{
	uint4 v;
	asm volatile("ld.global.nc.L1::no_allocate.v4.u32 {%0, %1, %2, %3}, [%4];"
	             : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w)
	             : "l"(p));
	return v;
}

static __device__ __forceinline__ float dot8(const uint4 &w, const uint4 &x, float acc)
{
	acc = fmaf(__uint_as_float(w.x << 16), __uint_as_float(x.x << 16), acc);
	acc = fmaf(__uint_as_float(w.x & 0xffff0000u), __uint_as_float(x.x & 0xffff0000u), acc);
	acc = fmaf(__uint_as_float(w.y << 16), __uint_as_float(x.y << 16), acc);
	acc = fmaf(__uint_as_float(w.y & 0xffff0000u), __uint_as_float(x.y & 0xffff0000u), acc);
	acc = fmaf(__uint_as_float(w.z << 16), __uint_as_float(x.z << 16), acc);
	acc = fmaf(__uint_as_float(w.z & 0xffff0000u), __uint_as_float(x.z & 0xffff0000u), acc);
	acc = fmaf(__uint_as_float(w.w << 16), __uint_as_float(x.w << 16), acc);
	acc = fmaf(__uint_as_float(w.w & 0xffff0000u), __uint_as_float(x.w & 0xffff0000u), acc);
	return acc;
}

struct gemv_args {
	void *out;
	const uint16_t *a;      /* bf16 [M][K] input, or NULL: normalise x */
	const float *x;         /* f32 [M][K] residual rows (norm prologue) */
	const uint16_t *norm_w; /* bf16 [K] */
	float eps;
	const uint16_t *w; /* bf16 [N][K] */
	int n, k, epi;     /* epi: CC_GEMV_* */
	int pf;            /* 16-byte chunks of each weight row prefetched into L2 before the wait */
};

/* The RoPE / KV-store epilogue (cc_kernels_gemv_rope): rope_qkv_kernel's arguments. */
struct gemv_rope_args {
	uint16_t *q_out, *kc, *vc;
	const uint16_t *bias;
	const int32_t *positions, *dst_slot;
	const float *inv_freq;
	float theta;
	int nh, kvh, hd, bs;
	size_t bstride;
};

/* Output pair p of the RoPE epilogue -> its first weight row (the second is half a head on):
 * head p / (hd / 2), element p % (hd / 2). */
static __device__ __forceinline__ int rope_row(int p, int hd)
{
	int half = hd / 2, head = p / half;
	return head * hd + (p - head * half);
}

/* R rows per warp: 1 (store / add), 2 (SwiGLU: gate row i and up row n/2 + i; ROPE: rows
 * rope_row(i) and rope_row(i) + hd/2). Launched with programmatic dependent launch, the first
 * weight loads are issued before waiting for the previous kernel (weights depend on nothing),
 * so they overlap its tail. */
template <int M, int R, bool ROPE>
__global__ void __launch_bounds__(GEMV_WARPS * 32) gemv_kernel(gemv_args a, gemv_rope_args ra)
{
	extern __shared__ uint4 sm_in[]; /* [M][K/8] normalised input (norm prologue) */
	__shared__ float red[GEMV_WARPS][M];
	constexpr int U = GEMV_LOADS / R;
	const int K = a.k, chunks = K / 8, lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
	const int nout = R == 2 ? a.n / 2 : a.n;
	const int row = blockIdx.x * GEMV_WARPS + warp;
	const bool live = row < nout;
	const uint4 *in;
	const uint4 *wr[R];
	uint4 wv[R][U];
#pragma unroll
	for (int r = 0; r < R; r++) {
		int wrow = ROPE ? rope_row(row, ra.hd) + r * (ra.hd / 2) : row + r * nout;
		wr[r] = reinterpret_cast<const uint4 *>(a.w + (size_t)(live ? wrow : 0) * K);
	}
#pragma unroll
	for (int u = 0; u < U; u++)
#pragma unroll
		for (int r = 0; r < R; r++)
			wv[r][u] = live && lane + u * 32 < chunks ? ld_stream(wr[r] + lane + u * 32)
			                                          : make_uint4(0, 0, 0, 0);
	/* the next sweeps' weights into L2 (a.pf chunks per row, past the first sweep) */
	if (live)
		for (int c = lane + 32 * U; c < a.pf; c += 32)
#pragma unroll
			for (int r = 0; r < R; r++)
				asm volatile("prefetch.global.L2 [%0];" ::"l"(wr[r] + c));
	/* the inputs come from the previous kernel: wait for it (no-op without PDL) */
	asm volatile("griddepcontrol.wait;"
	             :
	             :
	             : "memory");

	if (a.a) {
		in = reinterpret_cast<const uint4 *>(a.a);
	} else {
		/* RMSNorm prologue: sum of squares of each row, then bf16(x * r * w) into smem */
		float ss[M];
#pragma unroll
		for (int m = 0; m < M; m++) {
			ss[m] = 0.f;
			const float4 *xr = reinterpret_cast<const float4 *>(a.x + (size_t)m * K);
			for (int i = threadIdx.x; i < K / 4; i += blockDim.x) {
				float4 v = xr[i];
				ss[m] += v.x * v.x + v.y * v.y + v.z * v.z + v.w * v.w;
			}
			for (int o = 16; o > 0; o >>= 1)
				ss[m] += __shfl_xor_sync(0xffffffffu, ss[m], o);
			if (lane == 0)
				red[warp][m] = ss[m];
		}
		__syncthreads();
#pragma unroll
		for (int m = 0; m < M; m++) {
			float s = 0.f;
			for (int j = 0; j < GEMV_WARPS; j++)
				s += red[j][m];
			float r = rsqrtf(s / (float)K + a.eps);
			const float4 *xr = reinterpret_cast<const float4 *>(a.x + (size_t)m * K);
			const uint2 *w2 = reinterpret_cast<const uint2 *>(a.norm_w);
			uint2 *dst = reinterpret_cast<uint2 *>(sm_in + (size_t)m * chunks);
			for (int i = threadIdx.x; i < K / 4; i += blockDim.x) {
				float4 v = xr[i];
				uint2 wu = w2[i];
				uint2 o;
				o.x = cc_pack_bf16x2(v.x * r * __uint_as_float(wu.x << 16),
				                     v.y * r * __uint_as_float(wu.x & 0xffff0000u));
				o.y = cc_pack_bf16x2(v.z * r * __uint_as_float(wu.y << 16),
				                     v.w * r * __uint_as_float(wu.y & 0xffff0000u));
				dst[i] = o;
			}
		}
		__syncthreads();
		in = sm_in;
	}

	if (!live)
		return;
	float acc[R][M];
#pragma unroll
	for (int r = 0; r < R; r++)
#pragma unroll
		for (int m = 0; m < M; m++)
			acc[r][m] = 0.f;
	for (int c0 = lane; c0 < chunks; c0 += 32 * U) {
		if (c0 != lane) /* the first sweep's weights were loaded before the wait */
#pragma unroll
			for (int u = 0; u < U; u++)
#pragma unroll
				for (int r = 0; r < R; r++)
					wv[r][u] = c0 + u * 32 < chunks ? ld_stream(wr[r] + c0 + u * 32)
					                                : make_uint4(0, 0, 0, 0);
#pragma unroll
		for (int u = 0; u < U; u++) {
			int c = c0 + u * 32;
			if (c < chunks) {
#pragma unroll
				for (int m = 0; m < M; m++) {
					uint4 xv = in[(size_t)m * chunks + c];
#pragma unroll
					for (int r = 0; r < R; r++)
						acc[r][m] = dot8(wv[r][u], xv, acc[r][m]);
				}
			}
		}
	}
	/* every weight is read: the next kernel may launch and start its own loads */
	asm volatile("griddepcontrol.launch_dependents;");
#pragma unroll
	for (int r = 0; r < R; r++)
#pragma unroll
		for (int m = 0; m < M; m++)
			for (int o = 16; o > 0; o >>= 1)
				acc[r][m] += __shfl_xor_sync(0xffffffffu, acc[r][m], o);
	if (lane != 0)
		return;
	if (ROPE) {
		/* rope_qkv_kernel's arithmetic on the same f32 sums: the same bits */
		int half = ra.hd / 2, head = row / half, i = row - head * half;
		int c0 = head * ra.hd + i, c1 = c0 + half;
		float inv = 0.f;
		if (head < ra.nh + ra.kvh)
			inv = ra.inv_freq ? ra.inv_freq[i]
			                  : 1.0f / powf(ra.theta, (float)(2 * i) / (float)ra.hd);
#pragma unroll
		for (int m = 0; m < M; m++) {
			float x0 = acc[0][m], x1 = acc[1][m];
			if (ra.bias) {
				x0 += cc_bf2f(ra.bias[c0]);
				x1 += cc_bf2f(ra.bias[c1]);
			}
			if (head < ra.nh + ra.kvh) {
				float s, c;
				sincosf((float)ra.positions[m] * inv, &s, &c);
				float y0 = x0 * c - x1 * s, y1 = x1 * c + x0 * s;
				x0 = y0;
				x1 = y1;
			}
			uint16_t *dst;
			if (head < ra.nh) {
				dst = ra.q_out + ((size_t)m * ra.nh + head) * ra.hd;
			} else {
				int kh = head < ra.nh + ra.kvh ? head - ra.nh : head - ra.nh - ra.kvh;
				int slot = ra.dst_slot[m];
				dst = (head < ra.nh + ra.kvh ? ra.kc : ra.vc) +
				      cc_kv_row(slot / ra.bs, slot % ra.bs, kh, ra.bstride, ra.bs, ra.hd);
			}
			dst[i] = cc_f2bf(x0);
			dst[i + half] = cc_f2bf(x1);
		}
	} else {
#pragma unroll
		for (int m = 0; m < M; m++) {
			if (R == 2) {
				float g = acc[0][m], u = acc[R - 1][m];
				reinterpret_cast<uint16_t *>(a.out)[(size_t)m * nout + row] =
					cc_f2bf(g / (1.f + __expf(-g)) * u);
			} else {
				float *o = reinterpret_cast<float *>(a.out) + (size_t)m * a.n + row;
				*o = a.epi == CC_GEMV_ADD ? *o + acc[0][m] : acc[0][m];
			}
		}
	}
}

template <int M, int R, bool ROPE = false>
static int launch(const gemv_args &a, size_t smem, cudaStream_t stream,
                  const gemv_rope_args &ra = gemv_rope_args())
{
	/* the prologue's shared memory can pass the 48 KiB default: raise the limit (on the
	 * current device; never needed for one row of a hidden size up to 24K) */
	if (smem > 48 * 1024)
		CC_CUDA_CHECK(cudaFuncSetAttribute(gemv_kernel<M, R, ROPE>,
		                                   cudaFuncAttributeMaxDynamicSharedMemorySize,
		                                   (int)CC_GEMV_MAX_SMEM));
	int nout = R == 2 ? a.n / 2 : a.n;
	/* L2 prefetch: whole 32-lane sweeps per row within the byte cap over all n rows */
	gemv_args g = a;
	long long per_row = gemv_l2pf_bytes() / ((long long)a.n * 16);
	int chunks = a.k / 8;
	g.pf = per_row >= chunks ? chunks : (int)(per_row / 32 * 32);
	unsigned blocks = (unsigned)((nout + GEMV_WARPS - 1) / GEMV_WARPS);
	cudaLaunchAttribute at[1];
	cudaLaunchConfig_t cfg =
		cc_launch_config(dim3(blocks), dim3(GEMV_WARPS * 32), smem, stream, g_gemv_pdl, at);
	CC_CUDA_CHECK(cudaLaunchKernelEx(&cfg, gemv_kernel<M, R, ROPE>, g, ra));
	return CC_OK;
}

extern "C" void cc_kernels_set_gemv_pdl(int on)
{
	g_gemv_pdl = on != 0;
}

extern "C" int cc_kernels_gemv_ok(int m, int k, int norm)
{
	if (m < 1 || m > CC_GEMV_MAX_ROWS || k <= 0 || k % 8)
		return 0;
	return !norm || (size_t)m * k * 2 <= CC_GEMV_MAX_SMEM;
}

extern "C" int cc_kernels_gemv(void *out, int epilogue, const uint16_t *a, const float *x,
                               const uint16_t *norm_w, float eps, const uint16_t *w, int m,
                               int n, int k, cudaStream_t stream)
{
	CC_ARG_CHECK(out && w && n > 0 && (a || (x && norm_w && eps >= 0.f)));
	CC_ARG_CHECK(epilogue == CC_GEMV_STORE || epilogue == CC_GEMV_ADD ||
	             (epilogue == CC_GEMV_SWIGLU && n % 2 == 0));
	if (!cc_kernels_gemv_ok(m, k, !a))
		return cc_error_set(CC_EINVAL,
		                    "cc_kernels_gemv: %d rows of %d (1 to %d rows, a "
		                    "multiple of 8 columns, normalised rows within %d bytes)",
		                    m, k,
		                    CC_GEMV_MAX_ROWS, CC_GEMV_MAX_SMEM);
	gemv_args g = {out, a, x, norm_w, eps, w, n, k, epilogue, 0};
	size_t smem = a ? 0 : (size_t)m * k * 2;
	int sw = epilogue == CC_GEMV_SWIGLU;
	switch (m * 2 + sw) {
	case 2: return launch<1, 1>(g, smem, stream);
	case 3: return launch<1, 2>(g, smem, stream);
	case 4: return launch<2, 1>(g, smem, stream);
	case 5: return launch<2, 2>(g, smem, stream);
	case 6: return launch<3, 1>(g, smem, stream);
	case 7: return launch<3, 2>(g, smem, stream);
	case 8: return launch<4, 1>(g, smem, stream);
	default: return launch<4, 2>(g, smem, stream);
	}
}

extern "C" int cc_kernels_gemv_rope(uint16_t *q_out, const cc_kernels_kv *kv,
                                    const uint16_t *bias, const int32_t *positions,
                                    const int32_t *dst_slot, int n_heads, float theta,
                                    const float *inv_freq, const uint16_t *a, const float *x,
                                    const uint16_t *norm_w, float eps, const uint16_t *w, int m,
                                    int k, cudaStream_t stream)
{
	int rc = cc_kv_check(kv);
	if (rc)
		return rc;
	CC_ARG_CHECK(q_out && positions && dst_slot && w && n_heads > 0 &&
	             n_heads % kv->kv_heads == 0 && (theta > 0.f || inv_freq) &&
	             (a || (x && norm_w && eps >= 0.f)));
	if (!cc_kernels_gemv_ok(m, k, !a))
		return cc_error_set(CC_EINVAL,
		                    "cc_kernels_gemv_rope: %d rows of %d (1 to %d rows, a "
		                    "multiple of 8 columns, normalised rows within %d bytes)",
		                    m, k, CC_GEMV_MAX_ROWS, CC_GEMV_MAX_SMEM);
	int hd = kv->head_dim, n = (n_heads + 2 * kv->kv_heads) * hd;
	gemv_args g = {NULL, a, x, norm_w, eps, w, n, k, CC_GEMV_STORE, 0};
	gemv_rope_args ra = {q_out, kv->k, kv->v, bias, positions,
	                     dst_slot, inv_freq, theta, n_heads, kv->kv_heads,
	                     hd, kv->block_size, cc_kv_bstride(kv)};
	size_t smem = a ? 0 : (size_t)m * k * 2;
	switch (m) {
	case 1: return launch<1, 2, true>(g, smem, stream, ra);
	case 2: return launch<2, 2, true>(g, smem, stream, ra);
	case 3: return launch<3, 2, true>(g, smem, stream, ra);
	default: return launch<4, 2, true>(g, smem, stream, ra);
	}
}
