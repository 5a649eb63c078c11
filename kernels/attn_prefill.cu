/*
 * attn_prefill.cu - causal flash attention of a prefill chunk over the paged KV cache.
 *
 * One block = 4 warps = 64 query rows of one query head (or 128: 32 rows per warp, see
 * cc_kernels_set_prefill_rows), or the same rows split over 2 or 4 heads of one GQA group (each
 * warp its head's 16 or 32 rows, cc_kernels_set_prefill_heads_per_block), which then share
 * each K/V tile the block loads. Key/value tiles of 64 slots are
 * gathered from the paged pools into shared memory with cp.async, double-buffered so the next
 * tile loads while this one is computed. Each warp owns 16 query rows: S = Q.K^T and O += P.V
 * run on the tensor cores with mma.sync m16n8k16 (bf16 in, f32 accumulate), operands fetched
 * with ldmatrix; S, P and O never leave registers (the accumulator layout of S is the operand
 * layout of P). Online softmax in f32 (running max and sum per row, base-2 exponentials).
 * No S x S matrix is stored. Heavy (late) query tiles are scheduled first, across all heads.
 *
 * Short chunks over a long cache (the engine's 256-token chunks) give too few blocks to fill the
 * GPU, so the key range is then split over gridDim.z blocks that write unnormalised partial
 * outputs with their row max and sum; a small kernel merges them (as in decode).
 *
 * Ragged layers (kv/cc_kv.h: a different number of tokens per KV head): the kernel
 * instantiated with RAG reads each KV head's own table of lane ids (block * kv_heads + lane)
 * and its own number of cached slots before the chunk; uniform layers run the code they
 * always ran.
 */
#include "kernels_int.cuh"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PF_BC 64
#define PF_WARPS 4

/* MT: 16-row m-tiles per warp (1: 64 query rows per block, Q kept in registers; 2: 128 rows
 * per block, each K/V fragment read from shared memory feeds two m-tiles, Q re-read from
 * shared memory per key tile to stay within the register budget) */
template <int HD, int MT>
struct pf_smem {
	static constexpr int BR = PF_WARPS * 16 * MT; /* query rows per block */
	static constexpr int LD = HD + 8;             /* bf16 per smem row: +16 bytes, conflict-free ldmatrix */
	static constexpr size_t tile = (size_t)PF_BC * LD * 2;
	static constexpr size_t q_off = 0;
	static constexpr size_t k_off = q_off + (size_t)BR * LD * 2; /* 2 buffers */
	static constexpr size_t v_off = k_off + 2 * tile;            /* 2 buffers */
	static constexpr size_t bytes = v_off + 2 * tile;
};

template <int HD, bool RAG>
static __device__ __forceinline__ void load_kv_tile(uint16_t *Ks, uint16_t *Vs,
                                                    const uint16_t *kpool, const uint16_t *vpool,
                                                    const int32_t *block_table, int k0,
                                                    int n_total, int kh, int kvh, int bs,
                                                    size_t bstride)
{
	typedef pf_smem<HD, 1> L; /* LD does not depend on MT */
	constexpr int CH = HD / 8;
	const int bsh = cc_pow2_shift(bs), kvsh = cc_pow2_shift(kvh);
	for (int c = threadIdx.x; c < PF_BC * CH; c += PF_WARPS * 32) {
		int r = c / CH, cc = c - r * CH;
		int j = k0 + r;
		bool ok = j < n_total;
		size_t off = 0;
		if (ok)
			off = cc_kv_slot<RAG>(block_table, j, bs, bsh, kh, kvh, kvsh, bstride, HD) +
			      cc * 8;
		cp_async16(Ks + r * L::LD + cc * 8, kpool + off, ok);
		cp_async16(Vs + r * L::LD + cc * 8, vpool + off, ok);
	}
}

/* RAG: KV head kh reads the lane table block_table + kh * lt_stride and has head_past[kh]
 * cached slots before the chunk (the n_past passed is then their maximum, replaced here) */
template <int HD, bool RAG, int MT, int hpb>
__global__ void __launch_bounds__(PF_WARPS * 32, HD >= 128 || MT > 1 ? 2 : 3) attn_prefill_kernel(
	uint16_t *out, float *lse, int lse_stride, float *part_o, float *part_ml, const uint16_t *q,
	const uint16_t *kpool, const uint16_t *vpool, const int32_t *block_table, int n_past, int n,
	int nh, int kvh, int bs, size_t bstride, float scale_log2, const int32_t *head_past,
	int lt_stride)
{
	typedef pf_smem<HD, MT> L;
	constexpr int BR = L::BR;
	extern __shared__ __align__(128) unsigned char smem[];
	uint16_t *Qs = reinterpret_cast<uint16_t *>(smem + L::q_off);
	uint16_t *Kb = reinterpret_cast<uint16_t *>(smem + L::k_off);
	uint16_t *Vb = reinterpret_cast<uint16_t *>(smem + L::v_off);
	const int warp = threadIdx.x / 32, lane = threadIdx.x & 31;
	/* heads vary fastest and late (heavy) query tiles come first across all heads: blocks are
	 * dispatched in index order, so the grid's longest blocks start first and the last wave
	 * holds the short ones (with tiles first per head, the heavy tiles of the last heads
	 * started last and ran alone: ~25% longer in a list-scheduling model at 4K tokens) */
	const int qt = gridDim.y - 1 - blockIdx.y;
	/* hpb heads per block (1, 2 or 4, dividing the GQA group): warp w computes head
	 * blockIdx.x * hpb + w % hpb on the block's query rows (w / hpb) * 16 * MT onwards, so
	 * the hpb heads that share a KV head share each K/V tile the block loads */
	const int kh = blockIdx.x * hpb / (nh / kvh);
	if (RAG) {
		n_past = head_past[kh];
		block_table += (size_t)kh * lt_stride;
	}
	const int brows = BR / hpb; /* query rows of the block (per head) */
	const int q0 = qt * brows;
	constexpr int CH = HD / 8;
	constexpr int NT = PF_BC / 8;         /* n-tiles of S */
	constexpr int DT = HD / 8;            /* n-tiles of O */
	constexpr int KQ = HD / 16;           /* k-steps of Q.K^T */
	const int sr0 = warp * 16 * MT;       /* this warp's first row of Q in shared memory */
	const int wr0 = warp / hpb * 16 * MT; /* its first query row in the block's tile */

	/* Q tiles of the block's warps (rows beyond n zero-filled) and the first K/V tile: one
	 * cp.async group */
	for (int c = threadIdx.x; c < BR * CH; c += PF_WARPS * 32) {
		int r = c / CH, cc = c - r * CH;
		int w = r / (16 * MT);
		int row = q0 + w / hpb * 16 * MT + (r - w * 16 * MT);
		bool ok = row < n;
		const uint16_t *src =
			q + (ok ? ((size_t)row * nh + blockIdx.x * hpb + w % hpb) * HD + cc * 8 : 0);
		cp_async16(Qs + r * L::LD + cc * 8, src, ok);
	}
	const int n_total = n_past + n;
	const int last_slot = min(n_past + q0 + brows - 1, n_total - 1);
	const int all_tiles = last_slot / PF_BC + 1;
	/* this block's share of the key tiles (all of them unless split) */
	const int per = (all_tiles + gridDim.z - 1) / gridDim.z;
	const int kt0 = blockIdx.z * per;
	const int n_tiles = min(all_tiles, kt0 + per);
	if (kt0 < n_tiles)
		load_kv_tile<HD, RAG>(Kb, Vb, kpool, vpool, block_table, kt0 * PF_BC, n_total, kh,
		                      kvh, bs, bstride);
	cp_async_commit();

	const int g = lane >> 2, t4 = lane & 3; /* mma fragment coordinates */
	const int wslot0 = n_past + q0 + wr0;   /* slot of the warp's first row */
	const int qslot0 = wslot0 + g;          /* slot of row g of m-tile 0; row g+8 is +8 */
	/* the last slot any of this warp's rows may see (its last row's diagonal, or the end) */
	const int warp_last = min(wslot0 + 16 * MT - 1, n_total - 1);
	float o[MT][DT][4];
	float m[MT][2], l[MT][2]; /* m: running row max, already scaled (log2 units) */
#pragma unroll
	for (int mt = 0; mt < MT; mt++) {
#pragma unroll
		for (int i = 0; i < DT; i++)
			o[mt][i][0] = o[mt][i][1] = o[mt][i][2] = o[mt][i][3] = 0.f;
		m[mt][0] = m[mt][1] = -INFINITY;
		l[mt][0] = l[mt][1] = 0.f;
	}
	unsigned qa[MT == 1 ? KQ : 1][4]; /* MT 1: the warp's Q fragments, loaded once */

	for (int kt = kt0; kt < n_tiles; kt++) {
		const int buf = (kt - kt0) & 1;
		if (kt + 1 < n_tiles) {
			load_kv_tile<HD, RAG>(Kb + (buf ^ 1) * (L::tile / 2),
			                      Vb + (buf ^ 1) * (L::tile / 2), kpool, vpool, block_table,
			                      (kt + 1) * PF_BC, n_total, kh, kvh, bs, bstride);
			cp_async_commit();
			cp_async_wait<1>();
		} else {
			cp_async_wait<0>();
		}
		__syncthreads();
		if (MT == 1 && kt == kt0) {
#pragma unroll
			for (int kk = 0; kk < KQ; kk++)
				ldsm_x4(qa[kk][0], qa[kk][1], qa[kk][2], qa[kk][3],
				        Qs + (sr0 + (lane & 15)) * L::LD + kk * 16 + (lane >> 4) * 8);
		}
		const int k0 = kt * PF_BC;
		/* a tile wholly past this warp's rows' diagonals adds nothing: the warp skips it
		 * (no barrier inside, so warps may diverge here) */
		if (k0 <= warp_last) {
			const uint16_t *Ks = Kb + buf * (L::tile / 2);
			const uint16_t *Vs = Vb + buf * (L::tile / 2);

			/* S = Q K^T: 16 x MT rows x 64 keys per warp, in registers */
			float s[MT][NT][4];
#pragma unroll
			for (int mt = 0; mt < MT; mt++)
#pragma unroll
				for (int nt = 0; nt < NT; nt++)
					s[mt][nt][0] = s[mt][nt][1] = s[mt][nt][2] = s[mt][nt][3] = 0.f;
#pragma unroll
			for (int kk = 0; kk < KQ; kk++) {
				unsigned a[MT][4];
#pragma unroll
				for (int mt = 0; mt < MT; mt++) {
					if (MT == 1) {
#pragma unroll
						for (int i = 0; i < 4; i++)
							a[mt][i] = qa[MT == 1 ? kk : 0][i];
					} else {
						ldsm_x4(a[mt][0], a[mt][1], a[mt][2], a[mt][3],
						        Qs + (sr0 + mt * 16 + (lane & 15)) * L::LD + kk * 16 +
						                (lane >> 4) * 8);
					}
				}
#pragma unroll
				for (int nt = 0; nt < NT; nt += 2) {
					unsigned b0, b1, b2, b3;
					ldsm_k_pair(b0, b1, b2, b3, Ks, L::LD, nt, kk, lane);
#pragma unroll
					for (int mt = 0; mt < MT; mt++) {
						mma16816(s[mt][nt], a[mt], b0, b1);
						mma16816(s[mt][nt + 1], a[mt], b2, b3);
					}
				}
			}

			/* mask (only steps that reach the warp's first row's diagonal or the end),
			 * online softmax per m-tile; the scale is folded into the exponent's FMA.
			 * (kernels_int.cuh's cc_pf_softmax_tile, which the wgmma kernel uses, is the
			 * same steps; here they stay written out: through the helper ptxas spills 8
			 * bytes in the 255-register variants, 2026-12-06, and this kernel is the
			 * default one, measured on a GPU as it is) */
			const bool need_mask =
				k0 + PF_BC - 1 > wslot0 || k0 + PF_BC > n_total;
			unsigned pa[MT][NT / 2][4]; /* P as the A operand of P.V, k-steps of 16 keys */
#pragma unroll
			for (int mt = 0; mt < MT; mt++) {
				float mx0 = -INFINITY, mx1 = -INFINITY;
#pragma unroll
				for (int nt = 0; nt < NT; nt++) {
					if (need_mask) {
#pragma unroll
						for (int e = 0; e < 4; e++) {
							int j = k0 + nt * 8 + t4 * 2 + (e & 1);
							int qs = qslot0 + mt * 16 + (e >> 1) * 8;
							if (j > qs || j >= n_total)
								s[mt][nt][e] = -INFINITY;
						}
					}
					mx0 = fmaxf(mx0, fmaxf(s[mt][nt][0], s[mt][nt][1]));
					mx1 = fmaxf(mx1, fmaxf(s[mt][nt][2], s[mt][nt][3]));
				}
				mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 1));
				mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 2));
				mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 1));
				mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 2));
				/* a row can have seen nothing yet (a split that starts past its
				 * diagonal): keep the exponent arguments finite so masked entries give
				 * 0, never NaN */
				const float mn0 = fmaxf(m[mt][0], mx0 * scale_log2);
				const float mn1 = fmaxf(m[mt][1], mx1 * scale_log2);
				const float a0 = mn0 == -INFINITY ? 1.f : cc_ex2(m[mt][0] - mn0);
				const float a1 = mn1 == -INFINITY ? 1.f : cc_ex2(m[mt][1] - mn1);
				m[mt][0] = mn0;
				m[mt][1] = mn1;
				const float e0 = mn0 == -INFINITY ? 0.f : mn0;
				const float e1 = mn1 == -INFINITY ? 0.f : mn1;
				float ps0 = 0.f, ps1 = 0.f;
#pragma unroll
				for (int nt = 0; nt < NT; nt++) {
					float p0 = cc_ex2(fmaf(s[mt][nt][0], scale_log2, -e0));
					float p1 = cc_ex2(fmaf(s[mt][nt][1], scale_log2, -e0));
					float p2 = cc_ex2(fmaf(s[mt][nt][2], scale_log2, -e1));
					float p3 = cc_ex2(fmaf(s[mt][nt][3], scale_log2, -e1));
					ps0 += p0 + p1;
					ps1 += p2 + p3;
					pa[mt][nt >> 1][(nt & 1) * 2 + 0] = cc_pack_bf16x2(p0, p1);
					pa[mt][nt >> 1][(nt & 1) * 2 + 1] = cc_pack_bf16x2(p2, p3);
				}
				/* per-lane partial sums; reduced across the quad at the end */
				l[mt][0] = l[mt][0] * a0 + ps0;
				l[mt][1] = l[mt][1] * a1 + ps1;
				/* once the row maxima settle (most steps after the first few) no row of
				 * the warp changes its max: the rescale of O is then skipped */
				if (__any_sync(0xffffffffu, a0 != 1.f || a1 != 1.f)) {
#pragma unroll
					for (int dt = 0; dt < DT; dt++) {
						o[mt][dt][0] *= a0;
						o[mt][dt][1] *= a0;
						o[mt][dt][2] *= a1;
						o[mt][dt][3] *= a1;
					}
				}
			}
			/* O += P V */
#pragma unroll
			for (int kk = 0; kk < PF_BC / 16; kk++) {
#pragma unroll
				for (int dt = 0; dt < DT; dt += 2) {
					unsigned b0, b1, b2, b3;
					ldsm_v_pair(b0, b1, b2, b3, Vs, L::LD, kk, dt, lane);
#pragma unroll
					for (int mt = 0; mt < MT; mt++) {
						mma16816(o[mt][dt], pa[mt][kk], b0, b1);
						mma16816(o[mt][dt + 1], pa[mt][kk], b2, b3);
					}
				}
			}
		}
		__syncthreads(); /* this buffer is refilled by the next iteration's prefetch */
	}

#pragma unroll
	for (int mt = 0; mt < MT; mt++)
		cc_pf_store_rows<HD>(out, lse, lse_stride, part_o, part_ml, gridDim.z, blockIdx.z, n,
		                     nh, blockIdx.x * hpb + warp % hpb, qslot0 - n_past + mt * 16,
		                     &o[mt][0][0], m[mt][0], m[mt][1], l[mt][0], l[mt][1], t4);
}

/* merge the key splits of each (row, head): grid n x nh, HD threads */
__global__ void attn_prefill_merge(uint16_t *out, float *lse, int lse_stride, const float *part_o,
                                   const float *part_ml, int n, int nh, int hd, int splits)
{
	int i = blockIdx.x, h = blockIdx.y;
	float M = -INFINITY;
	for (int z = 0; z < splits; z++)
		M = fmaxf(M, part_ml[(((size_t)z * n + i) * nh + h) * 2]);
	float L = 0.f;
	for (int z = 0; z < splits; z++) {
		float mz = part_ml[(((size_t)z * n + i) * nh + h) * 2];
		if (mz != -INFINITY)
			L += exp2f(mz - M) * part_ml[(((size_t)z * n + i) * nh + h) * 2 + 1];
	}
	for (int d = threadIdx.x; d < hd; d += blockDim.x) {
		float acc = 0.f;
		for (int z = 0; z < splits; z++) {
			float mz = part_ml[(((size_t)z * n + i) * nh + h) * 2];
			if (mz != -INFINITY)
				acc += exp2f(mz - M) * part_o[(((size_t)z * n + i) * nh + h) * hd + d];
		}
		out[((size_t)i * nh + h) * hd + d] = cc_f2bf(acc / L);
	}
	if (lse && threadIdx.x == 0)
		lse[(size_t)h * lse_stride + i] = (M + log2f(L)) * 0.69314718055994531f;
}

#define PF_MAX_SPLITS 16

/* Tuning knob for the benchmarks: 0 disables the key split. */
static int g_pf_split = 1;

extern "C" void cc_kernels_set_prefill_split(int on)
{
	g_pf_split = on != 0;
}

/* Query rows per warp (16 or 32, the kernel's MT = 1 or 2); 0 = the default, which the
 * environment variable CC_PF_ROWS (16 or 32) may set. */
static int g_pf_rows = 0;

extern "C" void cc_kernels_set_prefill_rows(int rows)
{
	g_pf_rows = rows == 16 || rows == 32 ? rows : 0;
}

/* the value of the environment variable name if it is one of the n allowed (decimal), else 0 */
static int env_choice(const char *name, const int *allowed, int n)
{
	const char *e = getenv(name);
	if (!e || !*e)
		return 0;
	char *end;
	long v = strtol(e, &end, 10);
	for (int i = 0; i < n && !*end; i++)
		if (v == allowed[i])
			return allowed[i];
	return 0;
}

/* The default: 32 rows per warp for chunks of 1024 queries or more, 16 below. Measured on an
 * H200 (bench/gpu_attn, 2026-12-05): 32 rows were 9-11% faster on 2K-4K-token chunks (hd 64
 * and 128, GQA 3, 4 and 7) and 1.5x slower on a 256-token chunk without the key split (half
 * the blocks on a GPU that 64-row blocks barely fill). */
static int pf_mt(int n)
{
	int r = g_pf_rows;
	if (!r) {
		static const int rows[] = {16, 32};
		static int env = -1;
		if (env < 0)
			env = env_choice("CC_PF_ROWS", rows, 2);
		r = env ? env : (n >= 1024 ? 32 : 16);
	}
	return r == 32 ? 2 : 1;
}

/* Heads per block (1, 2 or 4, the kernel's hpb): 0 = the default, the largest that divides
 * the GQA group; the environment variable CC_PF_HPB (1, 2 or 4) may set it, a value that does
 * not divide the group falls back to the default. */
static int g_pf_hpb = 0;

extern "C" void cc_kernels_set_prefill_heads_per_block(int hpb)
{
	g_pf_hpb = hpb == 1 || hpb == 2 || hpb == 4 ? hpb : 0;
}

static int pf_hpb(int group)
{
	int h = g_pf_hpb;
	if (!h) {
		static const int hpbs[] = {1, 2, 4};
		static int env = -1;
		if (env < 0)
			env = env_choice("CC_PF_HPB", hpbs, 3);
		h = env;
	}
	if (h && group % h == 0)
		return h;
	return group % 4 == 0 ? 4 : (group % 2 == 0 ? 2 : 1);
}

/* key splits for this shape: enough blocks for ~2 per SM, each split >= 4 key tiles; br: query
 * rows per block, head_blocks: blocks across the heads */
static int pf_splits(int n, int head_blocks, int n_total, int br)
{
	int blocks = (n + br - 1) / br * head_blocks;
	int tiles = (n_total + PF_BC - 1) / PF_BC;
	int s = (264 + blocks - 1) / blocks;
	if (s > tiles / 4)
		s = tiles / 4;
	if (s > PF_MAX_SPLITS)
		s = PF_MAX_SPLITS;
	return s < 1 ? 1 : s;
}

/* enough for either row setting (the setting may change after a caller sized its workspace) */
extern "C" size_t cc_kernels_attn_prefill_workspace(int n, int n_heads, int head_dim,
                                                    int n_total)
{
	if (n <= 0 || n_heads <= 0 || head_dim <= 0 || n_total < n)
		return 0;
	/* the most splits of any row and heads-per-block setting */
	int s = 1;
	for (int rows = 16; rows <= 32; rows += 16)
		for (int hpb = 1; hpb <= 4; hpb *= 2) {
			int si = pf_splits(n, (n_heads + hpb - 1) / hpb, n_total, PF_WARPS * rows / hpb);
			if (si > s)
				s = si;
		}
	if (s <= 1)
		return 0;
	return (size_t)s * n * n_heads * ((size_t)head_dim + 2) * sizeof(float);
}

/* head_past (device, NULL for a uniform layer): the per-head form (RAG), n_past the maximum */
template <int HD, int MT>
static int launch_prefill_mt(uint16_t *out, float *lse, int lse_stride, const uint16_t *q,
                             const cc_kernels_kv *kv, const int32_t *block_table, int n_past,
                             int n, int n_heads, float scale, void *ws, size_t ws_bytes,
                             const int32_t *head_past, int lt_stride, cudaStream_t stream)
{
	typedef pf_smem<HD, MT> L;
	size_t smem = L::bytes;
	const int hpb = pf_hpb(n_heads / kv->kv_heads), brows = L::BR / hpb;
	int splits = g_pf_split ? pf_splits(n, n_heads / hpb, n_past + n, brows) : 1;
	void (*kern)(uint16_t *, float *, int, float *, float *, const uint16_t *, const uint16_t *,
	             const uint16_t *, const int32_t *, int, int, int, int, int, size_t, float,
	             const int32_t *, int);
	if (hpb == 4)
		kern = head_past ? attn_prefill_kernel<HD, true, MT, 4>
		                 : attn_prefill_kernel<HD, false, MT, 4>;
	else if (hpb == 2)
		kern = head_past ? attn_prefill_kernel<HD, true, MT, 2>
		                 : attn_prefill_kernel<HD, false, MT, 2>;
	else
		kern = head_past ? attn_prefill_kernel<HD, true, MT, 1>
		                 : attn_prefill_kernel<HD, false, MT, 1>;
	CC_CUDA_CHECK(cudaFuncSetAttribute(kern, cudaFuncAttributeMaxDynamicSharedMemorySize,
	                                   (int)smem));
	size_t need = (size_t)splits * n * n_heads * ((size_t)HD + 2) * sizeof(float);
	if (splits > 1 && (!ws || ws_bytes < need))
		splits = 1; /* no room for partials: one block per query tile */
	float *po = (float *)ws;
	float *pml = splits > 1 ? po + (size_t)splits * n * n_heads * HD : NULL;
	dim3 grid(n_heads / hpb, (n + brows - 1) / brows, splits);
	kern<<<grid, PF_WARPS * 32, smem, stream>>>(out, lse, lse_stride, po, pml, q, kv->k, kv->v,
	                                            block_table, n_past, n, n_heads, kv->kv_heads,
	                                            kv->block_size, cc_kv_bstride(kv),
	                                            scale * 1.4426950408889634f, head_past,
	                                            lt_stride);
	CC_CUDA_LAUNCHED();
	if (splits > 1) {
		int threads = HD < 64 ? HD : 64;
		attn_prefill_merge<<<dim3(n, n_heads), threads, 0, stream>>>(
			out, lse, lse_stride, po, pml, n, n_heads, HD, splits);
		CC_CUDA_LAUNCHED();
	}
	return CC_OK;
}

/* the wgmma kernel (attn_prefill_wg.cu), with the key split and its merge as above */
static int launch_prefill_wg(uint16_t *out, float *lse, int lse_stride, const uint16_t *q,
                             const cc_kernels_kv *kv, const int32_t *block_table, int n_past,
                             int n, int n_heads, float scale, void *ws, size_t ws_bytes,
                             const int32_t *head_past, int lt_stride, cudaStream_t stream)
{
	const int hd = kv->head_dim, hpb = cc_kernels_prefill_wg_hpb(n_heads / kv->kv_heads);
	int splits = g_pf_split ? pf_splits(n, n_heads / hpb, n_past + n, 128 / hpb) : 1;
	size_t need = (size_t)splits * n * n_heads * ((size_t)hd + 2) * sizeof(float);
	if (splits > 1 && (!ws || ws_bytes < need))
		splits = 1;
	float *po = (float *)ws;
	float *pml = splits > 1 ? po + (size_t)splits * n * n_heads * hd : NULL;
	int rc = cc_kernels_attn_prefill_wg(out, lse, lse_stride, q, kv, block_table, n_past, n,
	                                    n_heads, scale, splits, po, pml, head_past, lt_stride,
	                                    stream);
	if (rc || splits == 1)
		return rc;
	attn_prefill_merge<<<dim3(n, n_heads), 64, 0, stream>>>(out, lse, lse_stride, po, pml, n,
	                                                        n_heads, hd, splits);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}

/* head_past (device, NULL for a uniform layer): the per-head form (RAG), n_past the maximum */
template <int HD>
static int launch_prefill(uint16_t *out, float *lse, int lse_stride, const uint16_t *q,
                          const cc_kernels_kv *kv, const int32_t *block_table, int n_past, int n,
                          int n_heads, float scale, void *ws, size_t ws_bytes,
                          const int32_t *head_past, int lt_stride, cudaStream_t stream)
{
	if (HD == 128 && cc_kernels_prefill_wgmma_on(HD))
		return launch_prefill_wg(out, lse, lse_stride, q, kv, block_table, n_past, n,
		                         n_heads, scale, ws, ws_bytes, head_past, lt_stride, stream);
	if (pf_mt(n) == 2)
		return launch_prefill_mt<HD, 2>(out, lse, lse_stride, q, kv, block_table, n_past,
		                                n, n_heads, scale, ws, ws_bytes, head_past,
		                                lt_stride, stream);
	return launch_prefill_mt<HD, 1>(out, lse, lse_stride, q, kv, block_table, n_past, n,
	                                n_heads, scale, ws, ws_bytes, head_past, lt_stride,
	                                stream);
}

static int prefill(uint16_t *out, float *lse, int lse_stride, const uint16_t *q,
                   const cc_kernels_kv *kv, const int32_t *block_table, int n_past, int n,
                   int n_heads, float scale, void *workspace, size_t ws_bytes,
                   const int32_t *head_past, int lt_stride, cudaStream_t stream)
{
	int rc = cc_kv_check(kv);
	if (rc)
		return rc;
	CC_ARG_CHECK(out && q && block_table && n_past >= 0 && n >= 0 && n_heads > 0 &&
	             n_heads % kv->kv_heads == 0 && scale > 0.f);
	CC_ARG_CHECK(!lse || lse_stride >= n);
	if (n == 0)
		return CC_OK;
	switch (kv->head_dim) {
	case 16:
		return launch_prefill<16>(out, lse, lse_stride, q, kv, block_table, n_past, n, n_heads,
		                          scale, workspace, ws_bytes, head_past, lt_stride, stream);
	case 32:
		return launch_prefill<32>(out, lse, lse_stride, q, kv, block_table, n_past, n, n_heads,
		                          scale, workspace, ws_bytes, head_past, lt_stride, stream);
	case 64:
		return launch_prefill<64>(out, lse, lse_stride, q, kv, block_table, n_past, n, n_heads,
		                          scale, workspace, ws_bytes, head_past, lt_stride, stream);
	case 80:
		return launch_prefill<80>(out, lse, lse_stride, q, kv, block_table, n_past, n, n_heads,
		                          scale, workspace, ws_bytes, head_past, lt_stride, stream);
	case 96:
		return launch_prefill<96>(out, lse, lse_stride, q, kv, block_table, n_past, n, n_heads,
		                          scale, workspace, ws_bytes, head_past, lt_stride, stream);
	default:
		return launch_prefill<128>(out, lse, lse_stride, q, kv, block_table, n_past, n, n_heads,
		                           scale, workspace, ws_bytes, head_past, lt_stride,
		                           stream);
	}
}

extern "C" int cc_kernels_attn_prefill(uint16_t *out, float *lse, int lse_stride,
                                       const uint16_t *q, const cc_kernels_kv *kv,
                                       const int32_t *block_table, int n_past, int n,
                                       int n_heads, float scale, void *workspace,
                                       size_t ws_bytes, cudaStream_t stream)
{
	return prefill(out, lse, lse_stride, q, kv, block_table, n_past, n, n_heads, scale,
	               workspace, ws_bytes, NULL, 0, stream);
}

extern "C" int cc_kernels_attn_prefill_heads(uint16_t *out, float *lse, int lse_stride,
                                             const uint16_t *q, const cc_kernels_kv *kv,
                                             const int32_t *lane_tables, int lt_stride,
                                             const int32_t *head_past, int max_past, int n,
                                             int n_heads, float scale, void *workspace,
                                             size_t ws_bytes, cudaStream_t stream)
{
	CC_ARG_CHECK(head_past && lt_stride > 0);
	return prefill(out, lse, lse_stride, q, kv, lane_tables, max_past, n, n_heads, scale,
	               workspace, ws_bytes, head_past, lt_stride, stream);
}
