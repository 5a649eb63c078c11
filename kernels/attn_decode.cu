/*
 * attn_decode.cu - one decode step of attention over the paged KV cache for a batch of
 * sequences ("flash decoding"). The keys of each (sequence, KV head) are cut into splits; one
 * block per split computes the scores of all query heads of the GQA group (so K and V are read
 * once per group; a group over 8 heads is cut into equal parts of at most 8, any group size
 * works), a softmax within the split, and an unnormalised partial output with its
 * max and sum. A second small kernel merges the splits. Memory bound: every K and V byte is
 * read once, 16 bytes per lane, several loads in flight per lane. Two ways without the second
 * launch: with one split the block writes the output itself, and with counters
 * (cc_kernels_attn_decode_merged) the last split block of each (sequence, head group) to
 * finish merges the group's splits, in the merge kernel's arithmetic.
 *
 * Ragged layers (kv/cc_kv.h: a different number of tokens per KV head) use the same kernel
 * instantiated with RAG: each (sequence, KV head) has its own length and its own table of
 * lane ids (block * kv_heads + lane); only the row address and the two look-ups at the start
 * differ, so uniform layers run the code they always ran.
 */
#include "kernels_int.cuh"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEC_THREADS 128
#define DEC_WARPS (DEC_THREADS / 32)
#define DEC_MAX_SPLITS 4096

/* Blocks per SM the split count aims at (tuning knob for bench/gpu_attn). */
static int g_dec_bps = 4;

/* Keys per split: enough splits for ~g_dec_bps resident blocks per SM (132 SMs) over the
 * whole batch (ybl blocks per split and sequence), never under 64 keys. */
/* Keys per split for `want` splits of max_len keys: a multiple of 64, never under 64. */
static int dec_chunk_for(int max_len, long long want)
{
	if (want < 1)
		want = 1;
	long long chunk = (max_len + want - 1) / want;
	chunk = (chunk + 63) / 64 * 64;
	return chunk < 64 ? 64 : (int)chunk;
}

static int dec_chunk(int n_seqs, int ybl, int max_len)
{
	return dec_chunk_for(max_len, (g_dec_bps * 132 + n_seqs * ybl - 1) / (n_seqs * ybl));
}

/* A switch read from the environment once (*cache < 0: not yet read): an integer in [lo, hi],
 * else dflt. */
static int dec_env_int(int *cache, const char *name, int lo, int hi, int dflt)
{
	if (*cache < 0) {
		const char *e = getenv(name);
		int v = e && *e ? atoi(e) : dflt;
		*cache = v >= lo && v <= hi ? v : dflt;
	}
	return *cache;
}

/* The tensor-core kernel's split count aimed at whole waves of resident blocks (occupancy x
 * SMs, asked of the device once per kernel): 2 waves by default, CC_DEC_WAVES=N aims at N,
 * CC_DEC_WAVES=0 keeps dec_chunk's rule (g_dec_bps blocks per SM, 132 SMs); -1 = not yet
 * read. Two waves measured 0.382 ms against dec_chunk's 0.425 ms (93% / 84% of copy) for batch
 * 8 x 32K tokens on an H100, batch 1 decode of the 8B shape unchanged (bench/results/gpu.md,
 * 2026-12-07). */
static int g_dec_waves = -1;

static int dec_waves(void)
{
	return dec_env_int(&g_dec_waves, "CC_DEC_WAVES", 0, 64, 2);
}

/* Keys per split for `slots` resident blocks per wave: waves x slots blocks over the
 * n_seqs x ybl (sequence, block row) pairs, never under 64 keys. */
static int dec_chunk_waves(int n_seqs, int ybl, int max_len, int slots, int waves)
{
	return dec_chunk_for(max_len, (long long)waves * slots / ((long long)n_seqs * ybl));
}

/* The PDL chain through the decode attention (CC_DEC_PDL_CHAIN=1; off by default until
 * measured on a GPU): the attention kernels let their dependent launch be placed as soon as
 * they start, and the merge is launched with PDL and does the same, so that the output
 * product after them is placed while the attention runs and fetches its weights meanwhile
 * (kernels/gemv.cu). Every dependent waits for its primary's completion before it reads
 * (griddepcontrol.wait), so only the timing changes. -1 = not yet read. */
static int g_dec_chain = -1;

static int dec_chain(void)
{
	return dec_env_int(&g_dec_chain, "CC_DEC_PDL_CHAIN", 0, 1, 0);
}

__global__ void attn_decode_merge(uint16_t *out, const float *part_o, const float *part_ml,
                                  int splits, int hd, int trig);

/* The merge launch: with PDL in the chain (pdl: the attention's own PDL switch). */
static void dec_merge_launch(int n_bh, uint16_t *out, const float *po, const float *pml,
                             int splits, int hd, int pdl, cudaStream_t stream)
{
	int chain = dec_chain();
	cudaLaunchAttribute at[1];
	cudaLaunchConfig_t cfg =
		cc_launch_config(dim3(n_bh), dim3(64), 0, stream, pdl && chain, at);
	(void)cudaLaunchKernelEx(&cfg, attn_decode_merge, out, po, pml, splits, hd, chain);
}

/* 0: always the separate merge launch (cc_kernels_set_decode_direct; benchmarks compare). */
static int g_dec_direct = 1;

/* The tensor-core kernel merges its splits in the launch when given counters (the last block
 * of each group, as the scalar kernel does) under CC_DEC_TC_DIRECT=1; by default (until it is
 * measured on a GPU) it keeps the merge launch; -1 = not yet read. */
static int g_dec_tc_direct = -1;

static int dec_tc_direct(void)
{
	return dec_env_int(&g_dec_tc_direct, "CC_DEC_TC_DIRECT", 0, 1, 0);
}

/* Launch the decode kernel with programmatic dependent launch (cc_kernels_set_decode_pdl):
 * its blocks are placed while the previous kernel finishes and wait for it before reading. */
static int g_dec_pdl = 1;

/* K and V rows in flight per lane group per step; 0 = by head size (measured on an H100:
 * 4 for head_dim <= 64, 8 for 128). Tuning knob for bench/gpu_attn. */
static int g_dec_unroll = 0;

/* merge (m2, l2) into (m, l) in the base-2 domain; returns the scale of each side */
static __device__ __forceinline__ void dec_merge_scales(float m, float m2, float &M, float &c1,
                                                        float &c2)
{
	M = fmaxf(m, m2);
	c1 = m == -INFINITY ? 0.f : exp2f(m - M);
	c2 = m2 == -INFINITY ? 0.f : exp2f(m2 - M);
}

/* Lanes per key row: HD / 8 lanes of 16 bytes, rounded up to a power of two (80 and 96 use 16
 * lanes, the last ones idle) so that lane groups tile the warp and reduce with xor shuffles. */
template <int HD>
struct dec_lanes {
	static constexpr int used = HD / 8;
	static constexpr int lpk = used <= 2 ? 2 : (used <= 4 ? 4 : (used <= 8 ? 8 : 16));
};

/* The merge of attn_decode_merge for the G query heads of one block, done by the block that
 * finished last among the splits of its (sequence, head group): counter ctr counts the blocks
 * done (the last one sets it back to 0, so the counters stay zero between launches). pidx:
 * the partial index of split 0 of the group's first head. Every thread of the block calls it. */
template <int HD, int G>
static __device__ __forceinline__ void dec_last_merge(uint16_t *out, const float *part_o,
                                                      const float *part_ml, int *ctr,
                                                      size_t pidx, size_t obase, int splits,
                                                      int heads = G)
{
	__shared__ int last;
	__threadfence(); /* this block's partials are visible before it is counted */
	__syncthreads();
	if (threadIdx.x == 0) {
		last = atomicAdd(ctr, 1) == splits - 1;
		if (last)
			*ctr = 0;
	}
	__syncthreads();
	if (!last)
		return;
	__threadfence();
	for (int i = threadIdx.x; i < heads * HD; i += DEC_THREADS) {
		int g = i / HD, d = i - g * HD;
		const float *ml = part_ml + (pidx + (size_t)g * splits) * 2;
		float M = -INFINITY;
		for (int sp = 0; sp < splits; sp++)
			M = fmaxf(M, __ldcg(ml + sp * 2));
		float num = 0.f, den = 0.f;
		for (int sp = 0; sp < splits; sp++) {
			float ms = __ldcg(ml + sp * 2);
			if (ms == -INFINITY)
				continue;
			float w = exp2f(ms - M);
			num += w * __ldcg(part_o + (pidx + (size_t)g * splits + sp) * HD + d);
			den += w * __ldcg(ml + sp * 2 + 1);
		}
		out[obase + (size_t)g * HD + d] = cc_f2bf(num / den);
	}
}

/* One block = one (split, G query heads of a KV head, sequence), one pass: every lane group
 * (LPK lanes = one key row) streams K and V rows of its keys together, DEC_UNROLL keys of each
 * in flight, keeps an online softmax (max, sum, weighted V) for each of its G query heads, and
 * the lane groups and warps are merged at the end. The KV head's group of gq query heads is
 * covered by gq / G blocks (gridDim.y = kvh * gq / G); G = gq whenever gq <= 8, so K and V are
 * then read once per group. */
template <int HD, int G, int DEC_UNROLL, bool RAG>
__global__ void __launch_bounds__(DEC_THREADS) attn_decode_kernel(
	float *part_o, float *part_ml, const uint16_t *q, const uint16_t *kpool, const uint16_t *vpool,
	const int32_t *block_tables, int bt_stride, const int32_t *seq_lens, int nh, int gq, int bs,
	size_t bstride, int chunk, int splits, float scale_log2, uint16_t *out, int *counters,
	int trig)
{
	/* out: with one split (counters NULL) the output itself, not partials; with counters
	 * the merge is done by the last block (dec_last_merge) */
	/* q, the cache and the lengths come from earlier work: wait for the previous kernel
	 * (a no-op without programmatic dependent launch). trig (the PDL chain, dec_chain): the
	 * next launch (the merge, or the output product) may be placed now: it waits for this
	 * grid's completion before it reads anything of ours, and fetches its weights meanwhile. */
	asm volatile("griddepcontrol.wait;"
	             :
	             :
	             : "memory");
	if (trig)
		asm volatile("griddepcontrol.launch_dependents;");
	constexpr int LPK = dec_lanes<HD>::lpk; /* lanes per key row (16 bytes each) */
	constexpr int USED = dec_lanes<HD>::used;
	constexpr int KPW = 32 / LPK; /* keys per warp step */
	__shared__ float wacc[DEC_WARPS][G][HD];
	__shared__ float wml[DEC_WARPS][G][2];

	int sp = blockIdx.x, b = blockIdx.z;
	int per_kv = gq / G; /* blocks per KV head */
	int kh = blockIdx.y / per_kv;
	int h0 = kh * gq + (blockIdx.y - kh * per_kv) * G; /* first query head of this block */
	int warp = threadIdx.x / 32, lane = threadIdx.x & 31;
	int sub = lane % LPK, kin = lane / LPK;
	bool act = sub < USED; /* lanes past the row (head_dim 80, 96) load nothing */
	/* RAG: a length and a lane table per (sequence, KV head) */
	int kvh = gridDim.y / per_kv;
	size_t row_id = RAG ? (size_t)b * kvh + kh : (size_t)b;
	int len = seq_lens[row_id];
	int start = sp * chunk;
	int end = min(start + chunk, len);
	int cnt = end - start;
	size_t pidx = ((size_t)b * nh + h0) * splits + sp; /* partial of query head h0+g */
	size_t obase = ((size_t)b * nh + h0) * HD;         /* output of query head h0 */
	int *ctr = counters ? counters + (size_t)b * gridDim.y + blockIdx.y : NULL;
	if (cnt <= 0) {
		if (threadIdx.x < G) {
			size_t pi = pidx + (size_t)threadIdx.x * splits;
			part_ml[pi * 2] = -INFINITY;
			part_ml[pi * 2 + 1] = 0.f;
		}
		if (ctr)
			dec_last_merge<HD, G>(out, part_o, part_ml, ctr, pidx - sp, obase, splits);
		return;
	}
	const int32_t *bt = block_tables + row_id * bt_stride;
	const int bsh = cc_pow2_shift(bs), kvsh = cc_pow2_shift(kvh);

	float qf[G][8];
#pragma unroll
	for (int g = 0; g < G; g++) {
		uint4 u = make_uint4(0, 0, 0, 0);
		if (act)
			u = *reinterpret_cast<const uint4 *>(q + ((size_t)b * nh + h0 + g) * HD + sub * 8);
		cc_bf16x8_to_f32(u, qf[g]);
#pragma unroll
		for (int e = 0; e < 8; e++)
			qf[g][e] *= scale_log2;
	}
	float m[G], l[G], acc[G][8];
#pragma unroll
	for (int g = 0; g < G; g++) {
		m[g] = -INFINITY;
		l[g] = 0.f;
#pragma unroll
		for (int e = 0; e < 8; e++)
			acc[g][e] = 0.f;
	}

	constexpr int STEP = DEC_WARPS * KPW;
	for (int base = 0; base < cnt; base += STEP * DEC_UNROLL) {
		uint4 ku[DEC_UNROLL], vu[DEC_UNROLL];
#pragma unroll
		for (int u = 0; u < DEC_UNROLL; u++) {
			int jj = base + u * STEP + warp * KPW + kin;
			ku[u] = vu[u] = make_uint4(0, 0, 0, 0);
			if (jj < cnt && act) {
				int j = start + jj;
				size_t off = cc_kv_slot<RAG>(bt, j, bs, bsh, kh, kvh, kvsh, bstride, HD) +
				             sub * 8;
				ku[u] = __ldg(reinterpret_cast<const uint4 *>(kpool + off));
				vu[u] = __ldg(reinterpret_cast<const uint4 *>(vpool + off));
			}
		}
		float s[DEC_UNROLL][G];
#pragma unroll
		for (int u = 0; u < DEC_UNROLL; u++) {
			float kf[8];
			cc_bf16x8_to_f32(ku[u], kf);
			bool ok = base + u * STEP + warp * KPW + kin < cnt;
#pragma unroll
			for (int g = 0; g < G; g++) {
				float d = 0.f;
#pragma unroll
				for (int e = 0; e < 8; e++)
					d = fmaf(qf[g][e], kf[e], d);
#pragma unroll
				for (int o = LPK / 2; o > 0; o >>= 1)
					d += __shfl_xor_sync(0xffffffffu, d, o);
				s[u][g] = ok ? d : -INFINITY;
			}
		}
#pragma unroll
		for (int g = 0; g < G; g++) {
			float mx = m[g];
#pragma unroll
			for (int u = 0; u < DEC_UNROLL; u++)
				mx = fmaxf(mx, s[u][g]);
			/* nothing valid yet for this lane group */
			if (mx == -INFINITY)
				continue;
			float c = exp2f(m[g] - mx); /* 0 when m was -inf */
			m[g] = mx;
			l[g] *= c;
#pragma unroll
			for (int e = 0; e < 8; e++)
				acc[g][e] *= c;
#pragma unroll
			for (int u = 0; u < DEC_UNROLL; u++) {
				float p = exp2f(s[u][g] - mx);
				float vf[8];
				cc_bf16x8_to_f32(vu[u], vf);
				l[g] += p;
#pragma unroll
				for (int e = 0; e < 8; e++)
					acc[g][e] = fmaf(p, vf[e], acc[g][e]);
			}
		}
	}
	/* merge the KPW lane groups of the warp (lanes with equal `sub`) */
#pragma unroll
	for (int o = LPK; o < 32; o <<= 1) {
#pragma unroll
		for (int g = 0; g < G; g++) {
			float m2 = __shfl_xor_sync(0xffffffffu, m[g], o);
			float l2 = __shfl_xor_sync(0xffffffffu, l[g], o);
			float M, c1, c2;
			dec_merge_scales(m[g], m2, M, c1, c2);
			m[g] = M;
			l[g] = l[g] * c1 + l2 * c2;
#pragma unroll
			for (int e = 0; e < 8; e++) {
				float a2 = __shfl_xor_sync(0xffffffffu, acc[g][e], o);
				acc[g][e] = acc[g][e] * c1 + a2 * c2;
			}
		}
	}
	if (kin == 0) {
#pragma unroll
		for (int g = 0; g < G; g++) {
			if (act) {
#pragma unroll
				for (int e = 0; e < 8; e++)
					wacc[warp][g][sub * 8 + e] = acc[g][e];
			}
			if (sub == 0) {
				wml[warp][g][0] = m[g];
				wml[warp][g][1] = l[g];
			}
		}
	}
	__syncthreads();
	/* merge the warps */
	for (int i = threadIdx.x; i < G * HD; i += DEC_THREADS) {
		int g = i / HD, d = i - g * HD;
		float M = -INFINITY;
#pragma unroll
		for (int w = 0; w < DEC_WARPS; w++)
			M = fmaxf(M, wml[w][g][0]);
		float o = 0.f, ls = 0.f;
#pragma unroll
		for (int w = 0; w < DEC_WARPS; w++) {
			float mw = wml[w][g][0];
			float c = mw == -INFINITY ? 0.f : exp2f(mw - M);
			o += c * wacc[w][g][d];
			ls += c * wml[w][g][1];
		}
		size_t pi = pidx + (size_t)g * splits;
		if (out && !ctr) { /* one split: attn_decode_merge's w = 1, num / den */
			out[obase + (size_t)g * HD + d] = cc_f2bf(o / ls);
			continue;
		}
		part_o[pi * HD + d] = o;
		if (d == 0) {
			part_ml[pi * 2] = M;
			part_ml[pi * 2 + 1] = ls;
		}
	}
	if (ctr)
		dec_last_merge<HD, G>(out, part_o, part_ml, ctr, pidx - sp, obase, splits);
}

/* out[b][h][:] = sum_s 2^(m_s - M) o_s / sum_s 2^(m_s - M) l_s */
__global__ void attn_decode_merge(uint16_t *out, const float *part_o, const float *part_ml,
                                  int splits, int hd, int trig)
{
	/* launched with PDL in the chain (dec_merge_launch): wait for the partials; trig: let
	 * the output product be placed and fetch its weights meanwhile */
	asm volatile("griddepcontrol.wait;"
	             :
	             :
	             : "memory");
	if (trig)
		asm volatile("griddepcontrol.launch_dependents;");
	int bh = blockIdx.x; /* b * nh + h */
	const float *ml = part_ml + (size_t)bh * splits * 2;
	float M = -INFINITY;
	for (int s = 0; s < splits; s++)
		M = fmaxf(M, ml[s * 2]);
	for (int d = threadIdx.x; d < hd; d += blockDim.x) {
		float num = 0.f, den = 0.f;
		for (int s = 0; s < splits; s++) {
			float ms = ml[s * 2];
			if (ms == -INFINITY)
				continue;
			float w = exp2f(ms - M);
			num += w * part_o[((size_t)bh * splits + s) * hd + d];
			den += w * ml[s * 2 + 1];
		}
		out[(size_t)bh * hd + d] = cc_f2bf(num / den);
	}
}

/* ---- Tensor-core decode (cc_kernels_set_decode_tc) ----
 * The G query heads of a KV head (G <= 16) are the rows of one m16n8k16 tile: S = Q.K^T and
 * O += P.V run on the tensor cores (rows past G are zero queries, never written) instead of
 * ~50 scalar instructions per cached key per lane group. One block = (split, KV head,
 * sequence), 4 warps; each warp streams its own key tiles of DT_TK keys (tile t of the split
 * goes to warp t % 4) through DT_STAGES shared-memory stages with cp.async, keeps an online
 * softmax per row in registers, and the warps are merged through shared memory at the end;
 * the splits are merged as for the scalar kernel (partials, then attn_decode_merge, or the
 * output itself with one split). */
#define DT_TK 16 /* the default warp tile (cc_kernels_set_decode_tc_tile) */
#define DT_STAGES 3

template <int HD, int TK, int ST>
struct dt_smem {
	static constexpr int LD = HD + 8;                   /* +16 bytes per row: conflict-free ldmatrix */
	static constexpr size_t tile = (size_t)TK * LD * 2; /* K or V of one stage */
	static constexpr size_t warp = 2 * tile * ST;
	static constexpr size_t q_bytes = (size_t)16 * LD * 2;
	static constexpr size_t bytes = q_bytes + DEC_WARPS * warp;
	/* the merge reuses the stages: DEC_WARPS x 16 rows x HD floats + max/sum */
	static_assert((size_t)DEC_WARPS * 16 * (HD + 2) * 4 <= DEC_WARPS * warp, "merge space");
};

template <int HD, bool RAG, int TK, int ST>
__global__ void __launch_bounds__(DEC_THREADS) attn_decode_tc_kernel(
	float *part_o, float *part_ml, const uint16_t *q, const uint16_t *kpool, const uint16_t *vpool,
	const int32_t *block_tables, int bt_stride, const int32_t *seq_lens, int nh, int gq, int bs,
	size_t bstride, int chunk, int splits, float scale_log2, uint16_t *out, uint16_t *mout,
	int *counters, int flags)
{
	/* out: with one split the output itself; else partials, and with counters the block that
	 * finishes last among its group's splits merges them into mout (dec_last_merge, the
	 * merge kernel's arithmetic) */
	asm volatile("griddepcontrol.wait;"
	             :
	             :
	             : "memory");
	if (flags & 2) /* the PDL chain, as in attn_decode_kernel */
		asm volatile("griddepcontrol.launch_dependents;");
	const int early = flags & 1;
	typedef dt_smem<HD, TK, ST> L;
	constexpr int CH = HD / 8;  /* 16-byte chunks per row */
	constexpr int KQ = HD / 16; /* k-steps of Q.K^T */
	constexpr int NT = TK / 8;  /* n-tiles of S */
	constexpr int DTN = HD / 8; /* n-tiles of O */
	extern __shared__ __align__(128) unsigned char dsm[];
	uint16_t *Qs = reinterpret_cast<uint16_t *>(dsm);
	const int warp = threadIdx.x / 32, lane = threadIdx.x & 31;
	uint16_t *Ws = reinterpret_cast<uint16_t *>(dsm + L::q_bytes + (size_t)warp * L::warp);
	const int sp = blockIdx.x, kh = blockIdx.y, b = blockIdx.z;
	const int kvh = gridDim.y;
	const size_t row_id = RAG ? (size_t)b * kvh + kh : (size_t)b;
	const int len = seq_lens[row_id];
	const int start = sp * chunk;
	const int cnt = min(start + chunk, len) - start;
	const int h0 = kh * gq;
	const size_t pidx = ((size_t)b * nh + h0) * splits + sp; /* + g * splits: head h0 + g */
	if (cnt <= 0) {
		if (threadIdx.x < gq) {
			size_t pi = pidx + (size_t)threadIdx.x * splits;
			part_ml[pi * 2] = -INFINITY;
			part_ml[pi * 2 + 1] = 0.f;
		}
		if (counters) /* block-uniform: every thread gets here */
			dec_last_merge<HD, 16>(mout, part_o, part_ml, counters + (size_t)b * kvh + kh,
			                       pidx - sp, ((size_t)b * nh + h0) * HD, splits, gq);
		return;
	}
	const int32_t *bt = block_tables + row_id * bt_stride;
	const int bsh = cc_pow2_shift(bs), kvsh = cc_pow2_shift(kvh);

	/* the group's queries as 16 rows (rows >= gq zero) */
	for (int c = threadIdx.x; c < 16 * CH; c += DEC_THREADS) {
		int r = c / CH, cc = c - r * CH;
		uint4 u = make_uint4(0, 0, 0, 0);
		if (r < gq)
			u = *reinterpret_cast<const uint4 *>(q + ((size_t)b * nh + h0 + r) * HD + cc * 8);
		*reinterpret_cast<uint4 *>(Qs + r * L::LD + cc * 8) = u;
	}
	__syncthreads();
	unsigned qa[KQ][4];
#pragma unroll
	for (int kk = 0; kk < KQ; kk++)
		ldsm_x4(qa[kk][0], qa[kk][1], qa[kk][2], qa[kk][3],
		        Qs + (lane & 15) * L::LD + kk * 16 + (lane >> 4) * 8);

	const int n_tiles = (cnt + TK - 1) / TK;
	const int mine = n_tiles > warp ? (n_tiles - warp + DEC_WARPS - 1) / DEC_WARPS : 0;
	/* the warp's i-th tile into stage st (keys past the split zero-filled, masked below) */
	auto load = [&](int i, int st) {
		int k0 = (warp + i * DEC_WARPS) * TK;
		uint16_t *Ks = Ws + (size_t)st * 2 * (L::tile / 2);
		uint16_t *Vs = Ks + L::tile / 2;
#pragma unroll
		for (int c = lane; c < TK * CH; c += 32) {
			int r = c / CH, cc = c - r * CH;
			int jj = k0 + r;
			bool ok = jj < cnt;
			size_t off = 0;
			if (ok) {
				int j = start + jj;
				off = cc_kv_slot<RAG>(bt, j, bs, bsh, kh, kvh, kvsh, bstride, HD) + cc * 8;
			}
			cp_async16(Ks + r * L::LD + cc * 8, kpool + off, ok);
			cp_async16(Vs + r * L::LD + cc * 8, vpool + off, ok);
		}
	};
#pragma unroll
	for (int st = 0; st < ST - 1; st++) {
		if (st < mine)
			load(st, st);
		cp_async_commit();
	}

	const int g = lane >> 2, t4 = lane & 3;
	float o[DTN][4];
#pragma unroll
	for (int i = 0; i < DTN; i++)
		o[i][0] = o[i][1] = o[i][2] = o[i][3] = 0.f;
	float m0 = -INFINITY, m1 = -INFINITY, l0 = 0.f, l1 = 0.f;
	for (int i = 0; i < mine; i++) {
		cp_async_wait<ST - 2>();
		__syncwarp();
		/* early: the tile ST - 1 ahead goes into the previous tile's stage (every lane was
		 * done with it at the syncs above) before this tile is computed, so ST - 1 tiles are
		 * in flight during the products instead of ST - 2 */
		if (early) {
			if (i + ST - 1 < mine)
				load(i + ST - 1, (i + ST - 1) % ST);
			cp_async_commit();
		}
		const int st = i % ST;
		const uint16_t *Ks = Ws + (size_t)st * 2 * (L::tile / 2);
		const uint16_t *Vs = Ks + L::tile / 2;
		const int k0 = (warp + i * DEC_WARPS) * TK;

		float s[NT][4];
#pragma unroll
		for (int nt = 0; nt < NT; nt++)
			s[nt][0] = s[nt][1] = s[nt][2] = s[nt][3] = 0.f;
#pragma unroll
		for (int kk = 0; kk < KQ; kk++) {
#pragma unroll
			for (int nt = 0; nt < NT; nt += 2) {
				unsigned b0, b1, b2, b3;
				ldsm_k_pair(b0, b1, b2, b3, Ks, L::LD, nt, kk, lane);
				mma16816(s[nt], qa[kk], b0, b1);
				mma16816(s[nt + 1], qa[kk], b2, b3);
			}
		}
		const bool tail = k0 + TK > cnt;
		float mx0 = -INFINITY, mx1 = -INFINITY;
#pragma unroll
		for (int nt = 0; nt < NT; nt++) {
#pragma unroll
			for (int e = 0; e < 4; e++) {
				float v = s[nt][e] * scale_log2;
				if (tail && k0 + nt * 8 + t4 * 2 + (e & 1) >= cnt)
					v = -INFINITY;
				s[nt][e] = v;
			}
			mx0 = fmaxf(mx0, fmaxf(s[nt][0], s[nt][1]));
			mx1 = fmaxf(mx1, fmaxf(s[nt][2], s[nt][3]));
		}
		mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 1));
		mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 2));
		mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 1));
		mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 2));
		/* every tile has at least one valid key, so the new maxima are finite */
		const float mn0 = fmaxf(m0, mx0), mn1 = fmaxf(m1, mx1);
		const float a0 = exp2f(m0 - mn0), a1 = exp2f(m1 - mn1); /* 0 when m was -inf */
		m0 = mn0;
		m1 = mn1;
		float ps0 = 0.f, ps1 = 0.f;
		unsigned pa[NT / 2][4];
#pragma unroll
		for (int nt = 0; nt < NT; nt++) {
			float p0 = exp2f(s[nt][0] - mn0), p1 = exp2f(s[nt][1] - mn0);
			float p2 = exp2f(s[nt][2] - mn1), p3 = exp2f(s[nt][3] - mn1);
			ps0 += p0 + p1;
			ps1 += p2 + p3;
			pa[nt >> 1][(nt & 1) * 2 + 0] = cc_pack_bf16x2(p0, p1);
			pa[nt >> 1][(nt & 1) * 2 + 1] = cc_pack_bf16x2(p2, p3);
		}
		l0 = l0 * a0 + ps0;
		l1 = l1 * a1 + ps1;
#pragma unroll
		for (int dt = 0; dt < DTN; dt++) {
			o[dt][0] *= a0;
			o[dt][1] *= a0;
			o[dt][2] *= a1;
			o[dt][3] *= a1;
		}
#pragma unroll
		for (int kk = 0; kk < TK / 16; kk++) {
#pragma unroll
			for (int dt = 0; dt < DTN; dt += 2) {
				unsigned b0, b1, b2, b3;
				ldsm_v_pair(b0, b1, b2, b3, Vs, L::LD, kk, dt, lane);
				mma16816(o[dt], pa[kk], b0, b1);
				mma16816(o[dt + 1], pa[kk], b2, b3);
			}
		}
		__syncwarp(); /* every lane is done with this stage before it is refilled */
		if (!early) {
			if (i + ST - 1 < mine)
				load(i + ST - 1, (i + ST - 1) % ST);
			cp_async_commit();
		}
	}
	cp_async_wait<0>();
	l0 += __shfl_xor_sync(0xffffffffu, l0, 1);
	l0 += __shfl_xor_sync(0xffffffffu, l0, 2);
	l1 += __shfl_xor_sync(0xffffffffu, l1, 1);
	l1 += __shfl_xor_sync(0xffffffffu, l1, 2);

	/* merge the warps through shared memory (the stages are free now) */
	__syncthreads();
	float *wacc = reinterpret_cast<float *>(dsm + L::q_bytes); /* [warp][16][HD] */
	float *wml = wacc + (size_t)DEC_WARPS * 16 * HD;           /* [warp][16][2] */
#pragma unroll
	for (int dt = 0; dt < DTN; dt++) {
		int d = dt * 8 + t4 * 2;
		float *r0 = wacc + ((size_t)warp * 16 + g) * HD + d;
		float *r1 = r0 + 8 * HD;
		r0[0] = o[dt][0];
		r0[1] = o[dt][1];
		r1[0] = o[dt][2];
		r1[1] = o[dt][3];
	}
	if (t4 == 0) {
		wml[((size_t)warp * 16 + g) * 2] = m0;
		wml[((size_t)warp * 16 + g) * 2 + 1] = l0;
		wml[((size_t)warp * 16 + g + 8) * 2] = m1;
		wml[((size_t)warp * 16 + g + 8) * 2 + 1] = l1;
	}
	__syncthreads();
	for (int i = threadIdx.x; i < gq * HD; i += DEC_THREADS) {
		int r = i / HD, d = i - r * HD;
		float M = -INFINITY;
#pragma unroll
		for (int w = 0; w < DEC_WARPS; w++)
			M = fmaxf(M, wml[((size_t)w * 16 + r) * 2]);
		float acc = 0.f, ls = 0.f;
#pragma unroll
		for (int w = 0; w < DEC_WARPS; w++) {
			float mw = wml[((size_t)w * 16 + r) * 2];
			float c = mw == -INFINITY ? 0.f : exp2f(mw - M);
			acc += c * wacc[((size_t)w * 16 + r) * HD + d];
			ls += c * wml[((size_t)w * 16 + r) * 2 + 1];
		}
		if (out) { /* one split: the output itself */
			out[((size_t)b * nh + h0 + r) * HD + d] = cc_f2bf(acc / ls);
			continue;
		}
		size_t pi = pidx + (size_t)r * splits;
		part_o[pi * HD + d] = acc;
		if (d == 0) {
			part_ml[pi * 2] = M;
			part_ml[pi * 2 + 1] = ls;
		}
	}
	if (counters)
		dec_last_merge<HD, 16>(mout, part_o, part_ml, counters + (size_t)b * kvh + kh,
		                       pidx - sp, ((size_t)b * nh + h0) * HD, splits, gq);
}

/* The tensor-core kernel reads a KV head's keys once for its whole query group (the group is
 * the rows of the m16n8k16 tiles), the scalar kernel once per lane group of heads; measured on
 * an H100 (bench/results/gpu.md, 2026-12-06), batch 8 x 32K, % of copy, since slots are found
 * by shift: group 4 (Llama-3.1-8B) 82% vs 75%, group 5 81% vs 57%, group 7 73% vs 46%; at
 * group 3 (hd 64) the scalar kernel wins at batch 8 (67% vs 60%), so "auto" takes the tensor
 * cores from this group size on. */
#define DEC_TC_MIN_GROUP 4

/* 1: tensor-core decode where it applies, 0: the scalar kernel always, -1: auto (by GQA
 * group, the default), -2: not yet read from the environment (CC_DEC_TC=0|1|auto) */
static int g_dec_tc = -2;

extern "C" void cc_kernels_set_decode_tc(int mode)
{
	g_dec_tc = mode > 0 ? 1 : (mode == 0 ? 0 : -1);
}

static int dec_tc_on(int gq)
{
	if (g_dec_tc == -2) {
		const char *e = getenv("CC_DEC_TC");
		g_dec_tc = -1; /* unset or "auto" */
		if (e && !strcmp(e, "1"))
			g_dec_tc = 1;
		else if (e && !strcmp(e, "0"))
			g_dec_tc = 0;
	}
	return g_dec_tc == 1 || (g_dec_tc == -1 && gq >= DEC_TC_MIN_GROUP);
}

/* keys per warp tile of the tensor-core kernel: 16 (the default: half the shared memory of
 * 32, so two blocks of four warps share an SM at head_dim 128 instead of one; measured on an
 * H100, batch 8 x 32K, 32 q / 8 kv heads: 81-82% -> 88% of copy, ncu: one warp per scheduler
 * -> two, DRAM 66% -> 77% of peak) or 32; 0 = not yet read from CC_DEC_TC_TILE */
static int g_dec_tc_tile = 0;

extern "C" void cc_kernels_set_decode_tc_tile(int keys)
{
	g_dec_tc_tile = keys == 32 ? 32 : 16;
}

static int dec_tc_tile(void)
{
	if (!g_dec_tc_tile) {
		const char *e = getenv("CC_DEC_TC_TILE");
		g_dec_tc_tile = e && !strcmp(e, "32") ? 32 : 16;
	}
	return g_dec_tc_tile;
}

/* cp.async stages of the 16-key tensor-core kernel: 3 (the default) or 2 (CC_DEC_TC_STAGES=2:
 * 74,000 instead of 108,800 bytes of shared memory at head_dim 128, so three blocks per SM
 * instead of two, with one tile less in flight per warp; benchmarks compare); -1 = not read */
static int g_dec_tc_stages = -1;

static int dec_tc_stages(void)
{
	return dec_env_int(&g_dec_tc_stages, "CC_DEC_TC_STAGES", 2, 3, DT_STAGES);
}

/* The tensor-core kernel issues each tile's loads before the products of the tile before it
 * under CC_DEC_TC_EARLY=1 (one tile more in flight per warp), after them by default (the
 * kernel as measured on 2026-12-06; the other is off until measured on a GPU); -1 = not read. */
static int g_dec_tc_early = -1;

static int dec_tc_early(void)
{
	return dec_env_int(&g_dec_tc_early, "CC_DEC_TC_EARLY", 0, 1, 0);
}

/* The tensor-core kernel of a head size, tile, stage count and table form. */
typedef void (*dec_tc_fn)(float *, float *, const uint16_t *, const uint16_t *, const uint16_t *,
                          const int32_t *, int, const int32_t *, int, int, int, size_t, int, int,
                          float, uint16_t *, uint16_t *, int *, int);

template <int HD, int TK, int ST>
static dec_tc_fn dec_tc_kernel(int rag)
{
	return rag ? attn_decode_tc_kernel<HD, true, TK, ST> : attn_decode_tc_kernel<HD, false, TK, ST>;
}

/* The tensor-core kernel's shared-memory attribute, set once per kernel (not a stream
 * operation, but kept out of the steps a CUDA graph captures), and, when slots is not NULL,
 * its resident blocks per wave on the current device (occupancy x SMs, asked once). */
template <int HD, int TK, int ST>
static int dec_tc_slots(int rag, int *slots)
{
	typedef dt_smem<HD, TK, ST> L;
	dec_tc_fn kern = dec_tc_kernel<HD, TK, ST>(rag);
	enum { NDEV = 16 };
	static int attr_set[2][NDEV], occ[2][NDEV];
	int dev = 0;
	CC_CUDA_CHECK(cudaGetDevice(&dev));
	int di = dev >= 0 && dev < NDEV ? dev : 0;
	if (!attr_set[rag != 0][di]) {
		CC_CUDA_CHECK(cudaFuncSetAttribute(kern, cudaFuncAttributeMaxDynamicSharedMemorySize,
		                                   (int)L::bytes));
		attr_set[rag != 0][di] = 1;
	}
	if (!slots)
		return CC_OK;
	if (!occ[rag != 0][di]) {
		int per_sm = 0, sms = 0;
		CC_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kern, DEC_THREADS,
		                                                            L::bytes));
		CC_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
		occ[rag != 0][di] = per_sm > 0 && sms > 0 ? per_sm * sms : 132;
	}
	*slots = occ[rag != 0][di];
	return CC_OK;
}

/* dec_tc_slots for the kernel that launch_decode_tc would run */
static int dec_tc_slots_hd(int hd, int rag, int *slots)
{
	int t32 = dec_tc_tile() == 32, st2 = dec_tc_stages() == 2;
#define DEC_SLOTS(h)                                                      \
	case h:                                                           \
		return t32   ? dec_tc_slots<h, 32, DT_STAGES>(rag, slots) \
		       : st2 ? dec_tc_slots<h, DT_TK, 2>(rag, slots)      \
		             : dec_tc_slots<h, DT_TK, DT_STAGES>(rag, slots)
	switch (hd) {
		DEC_SLOTS(64);
		DEC_SLOTS(80);
		DEC_SLOTS(96);
	default:
		DEC_SLOTS(128);
	}
#undef DEC_SLOTS
}

template <int HD, int TK, int ST>
static int launch_decode_tc_t(int splits, int chunk, int n_seqs, float *po, float *pml,
                              const uint16_t *q, const cc_kernels_kv *kv, const int32_t *bt,
                              int bt_stride, const int32_t *lens, int nh, int gq, float sl2,
                              int rag, uint16_t *out, uint16_t *mout, int *ctr,
                              cudaStream_t stream)
{
	typedef dt_smem<HD, TK, ST> L;
	dec_tc_fn kern = dec_tc_kernel<HD, TK, ST>(rag);
	int rc = dec_tc_slots<HD, TK, ST>(rag, NULL);
	if (rc)
		return rc;
	cudaLaunchAttribute at[1];
	cudaLaunchConfig_t cfg = cc_launch_config(dim3(splits, kv->kv_heads, n_seqs),
	                                          dim3(DEC_THREADS), L::bytes, stream, g_dec_pdl, at);
	(void)cudaLaunchKernelEx(&cfg, kern, po, pml, q, (const uint16_t *)kv->k,
	                         (const uint16_t *)kv->v, bt, bt_stride, lens, nh, gq,
	                         kv->block_size, cc_kv_bstride(kv), chunk, splits, sl2, out, mout,
	                         ctr, dec_tc_early() | (dec_chain() ? 2 : 0));
	CC_CUDA_LAUNCHED();
	return CC_OK;
}

template <int HD>
static int launch_decode_tc(int splits, int chunk, int n_seqs, float *po, float *pml,
                            const uint16_t *q, const cc_kernels_kv *kv, const int32_t *bt,
                            int bt_stride, const int32_t *lens, int nh, int gq, float sl2,
                            int rag, uint16_t *out, uint16_t *mout, int *ctr, cudaStream_t stream)
{
	if (dec_tc_tile() == 32)
		return launch_decode_tc_t<HD, 32, DT_STAGES>(splits, chunk, n_seqs, po, pml, q, kv,
		                                             bt, bt_stride, lens, nh, gq, sl2, rag,
		                                             out, mout, ctr, stream);
	if (dec_tc_stages() == 2)
		return launch_decode_tc_t<HD, DT_TK, 2>(splits, chunk, n_seqs, po, pml, q, kv, bt,
		                                        bt_stride, lens, nh, gq, sl2, rag, out, mout,
		                                        ctr, stream);
	return launch_decode_tc_t<HD, DT_TK, DT_STAGES>(splits, chunk, n_seqs, po, pml, q, kv, bt, bt_stride,
	                                                lens, nh, gq, sl2, rag, out, mout, ctr, stream);
}

extern "C" size_t cc_kernels_attn_decode_workspace(int n_seqs, int n_heads, int head_dim,
                                                   int max_len)
{
	if (n_seqs <= 0 || n_heads <= 0 || head_dim <= 0 || max_len <= 0)
		return 0;
	/* the chunk is never under 64 slots, so this bounds the number of splits */
	size_t splits = ((size_t)max_len + 63) / 64;
	return (size_t)n_seqs * n_heads * splits * ((size_t)head_dim + 2) * sizeof(float);
}

template <int HD, int G, bool RAG>
static void launch_decode_u(dim3 grid, float *po, float *pml, const uint16_t *q,
                            const cc_kernels_kv *kv, const int32_t *bt, int bt_stride,
                            const int32_t *lens, int nh, int gq, int chunk, int splits,
                            float sl2, uint16_t *out, int *ctr, cudaStream_t stream)
{
	int unroll = g_dec_unroll ? g_dec_unroll : (HD >= 80 ? 8 : 4);
	cudaLaunchAttribute at[1];
	cudaLaunchConfig_t cfg = cc_launch_config(grid, dim3(DEC_THREADS), 0, stream, g_dec_pdl, at);
	const uint16_t *kc = kv->k, *vc = kv->v;
	int bs = kv->block_size;
	size_t bst = cc_kv_bstride(kv);
	/* a launch error is picked up by the caller's CC_CUDA_LAUNCHED */
	if (unroll <= 4)
		(void)cudaLaunchKernelEx(&cfg, attn_decode_kernel<HD, G, 4, RAG>, po, pml, q, kc, vc,
		                         bt, bt_stride, lens, nh, gq, bs, bst, chunk, splits, sl2, out,
		                         ctr, dec_chain());
	else
		(void)cudaLaunchKernelEx(&cfg, attn_decode_kernel<HD, G, 8, RAG>, po, pml, q, kc, vc,
		                         bt, bt_stride, lens, nh, gq, bs, bst, chunk, splits, sl2, out,
		                         ctr, dec_chain());
}

template <int HD, int G>
static void launch_decode_g(dim3 grid, float *po, float *pml, const uint16_t *q,
                            const cc_kernels_kv *kv, const int32_t *bt, int bt_stride,
                            const int32_t *lens, int nh, int gq, int chunk, int splits,
                            float sl2, int rag, uint16_t *out, int *ctr, cudaStream_t stream)
{
	if (rag)
		launch_decode_u<HD, G, true>(grid, po, pml, q, kv, bt, bt_stride, lens, nh, gq, chunk,
		                             splits, sl2, out, ctr, stream);
	else
		launch_decode_u<HD, G, false>(grid, po, pml, q, kv, bt, bt_stride, lens, nh, gq, chunk,
		                              splits, sl2, out, ctr, stream);
}

extern "C" void cc_kernels_set_decode_blocks_per_sm(int bps)
{
	g_dec_bps = bps < 1 ? 4 : bps;
}

extern "C" void cc_kernels_set_decode_unroll(int unroll)
{
	g_dec_unroll = unroll <= 0 ? 0 : (unroll <= 4 ? 4 : 8);
}

/* Query heads per block for a GQA group of gq: the whole group up to 8, else its largest
 * divisor <= 8 (more registers per head would spill). */
static int dec_heads_per_block(int gq)
{
	if (gq <= 8)
		return gq;
	for (int d = 8; d > 1; d--)
		if (gq % d == 0)
			return d;
	return 1;
}

template <int HD>
static int launch_decode(dim3 grid, int G, int gq, float *po, float *pml, const uint16_t *q,
                         const cc_kernels_kv *kv, const int32_t *bt, int bt_stride,
                         const int32_t *lens, int nh, int chunk, int splits, float sl2,
                         int rag, uint16_t *out, int *ctr, cudaStream_t stream)
{
#define DEC_CASE(g)                                                                              \
	case g:                                                                                  \
		launch_decode_g<HD, g>(grid, po, pml, q, kv, bt, bt_stride, lens, nh, gq, chunk, \
		                       splits, sl2, rag, out, ctr, stream);                      \
		break
	switch (G) {
		DEC_CASE(1);
		DEC_CASE(2);
		DEC_CASE(3);
		DEC_CASE(4);
		DEC_CASE(5);
		DEC_CASE(6);
		DEC_CASE(7);
		DEC_CASE(8);
	default:
		return cc_error_set(CC_EINVAL, "decode attention: %d query heads per block", G);
	}
#undef DEC_CASE
	CC_CUDA_LAUNCHED();
	return CC_OK;
}

/* rag: block_tables and seq_lens per (sequence, KV head), the tables of lane ids */
static int decode(uint16_t *out, const uint16_t *q, const cc_kernels_kv *kv,
                  const int32_t *block_tables, int bt_stride, const int32_t *seq_lens, int n_seqs,
                  int max_len, int n_heads, float scale, void *workspace, int rag, int *counters,
                  cudaStream_t stream)
{
	int rc = cc_kv_check(kv);
	if (rc)
		return rc;
	CC_ARG_CHECK(out && q && block_tables && seq_lens && workspace && n_seqs > 0 &&
	             max_len > 0 && n_heads > 0 && n_heads % kv->kv_heads == 0 && scale > 0.f);
	CC_ARG_CHECK((long long)bt_stride * kv->block_size >= max_len);
	int gq = n_heads / kv->kv_heads, G = dec_heads_per_block(gq);
	int ybl = kv->kv_heads * (gq / G); /* blocks per (split, sequence) */
	CC_ARG_CHECK(n_seqs <= 65535 && ybl <= 65535);
	int chunk = dec_chunk(n_seqs, ybl, max_len);
	int splits = (max_len + chunk - 1) / chunk;
	if (splits > DEC_MAX_SPLITS)
		return cc_error_set(CC_ETOOBIG,
		                    "decode attention: context of %d tokens is over the limit",
		                    max_len);
	float *po = (float *)workspace;
	float *pml = po + (size_t)n_seqs * n_heads * splits * kv->head_dim;
	float sl2 = scale * 1.4426950408889634f;
	/* the tensor-core kernel: the whole group in one block; splits merged in the launch with
	 * counters (they are zero again after it), else by a second launch */
	int hd = kv->head_dim;
	if (dec_tc_on(gq) && gq <= 16 && (hd == 64 || hd == 80 || hd == 96 || hd == 128)) {
		int waves = dec_waves(), slots = 0;
		if (waves && (rc = dec_tc_slots_hd(hd, rag, &slots)))
			return rc;
		chunk = waves ? dec_chunk_waves(n_seqs, kv->kv_heads, max_len, slots, waves)
		              : dec_chunk(n_seqs, kv->kv_heads, max_len);
		splits = (max_len + chunk - 1) / chunk;
		if (splits > DEC_MAX_SPLITS)
			return cc_error_set(CC_ETOOBIG,
			                    "decode attention: context of %d tokens is over the limit",
			                    max_len);
		pml = po + (size_t)n_seqs * n_heads * splits * hd;
		uint16_t *tout = splits == 1 ? out : NULL;
		/* several splits and counters: the last block of each group merges (no merge
		 * launch) under CC_DEC_TC_DIRECT=1, unless cc_kernels_set_decode_direct(0) */
		int *tctr = splits > 1 && counters && g_dec_direct && dec_tc_direct() ? counters : NULL;
		switch (hd) {
		case 64:
			rc = launch_decode_tc<64>(splits, chunk, n_seqs, po, pml, q, kv, block_tables,
			                          bt_stride, seq_lens, n_heads, gq, sl2, rag, tout, out, tctr,
			                          stream);
			break;
		case 80:
			rc = launch_decode_tc<80>(splits, chunk, n_seqs, po, pml, q, kv, block_tables,
			                          bt_stride, seq_lens, n_heads, gq, sl2, rag, tout, out, tctr,
			                          stream);
			break;
		case 96:
			rc = launch_decode_tc<96>(splits, chunk, n_seqs, po, pml, q, kv, block_tables,
			                          bt_stride, seq_lens, n_heads, gq, sl2, rag, tout, out, tctr,
			                          stream);
			break;
		default:
			rc = launch_decode_tc<128>(splits, chunk, n_seqs, po, pml, q, kv, block_tables,
			                           bt_stride, seq_lens, n_heads, gq, sl2, rag, tout, out,
			                           tctr, stream);
		}
		if (rc || splits == 1 || tctr)
			return rc;
		dec_merge_launch(n_seqs * n_heads, out, po, pml, splits, hd, g_dec_pdl, stream);
		CC_CUDA_LAUNCHED();
		return CC_OK;
	}
	dim3 grid(splits, ybl, n_seqs);
	/* no merge launch: one split writes the output, or the last block merges (counters) */
	int direct = g_dec_direct && (splits == 1 || counters);
	uint16_t *dout = direct ? out : NULL;
	int *ctr = direct && splits > 1 ? counters : NULL;
#define DEC_HD(hd)                                                                                     \
	case hd:                                                                                       \
		rc = launch_decode<hd>(grid, G, gq, po, pml, q, kv, block_tables, bt_stride,           \
		                       seq_lens, n_heads, chunk, splits, sl2, rag, dout, ctr, stream); \
		break
	switch (kv->head_dim) {
		DEC_HD(16);
		DEC_HD(32);
		DEC_HD(64);
		DEC_HD(80);
		DEC_HD(96);
		DEC_HD(128);
	}
#undef DEC_HD
	if (rc || direct)
		return rc;
	dec_merge_launch(n_seqs * n_heads, out, po, pml, splits, kv->head_dim, g_dec_pdl, stream);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}

extern "C" int cc_kernels_attn_decode(uint16_t *out, const uint16_t *q, const cc_kernels_kv *kv,
                                      const int32_t *block_tables, int bt_stride,
                                      const int32_t *seq_lens, int n_seqs, int max_len,
                                      int n_heads, float scale, void *workspace,
                                      cudaStream_t stream)
{
	return decode(out, q, kv, block_tables, bt_stride, seq_lens, n_seqs, max_len, n_heads, scale,
	              workspace, 0, NULL, stream);
}

extern "C" int cc_kernels_attn_decode_heads(uint16_t *out, const uint16_t *q,
                                            const cc_kernels_kv *kv, const int32_t *lane_tables,
                                            int lt_stride, const int32_t *head_lens, int n_seqs,
                                            int max_len, int n_heads, float scale,
                                            void *workspace, cudaStream_t stream)
{
	if (kv && (long long)n_seqs * kv->kv_heads > 0x7fffffffLL)
		return cc_error_set(CC_EINVAL, "decode attention: %d sequences x %d KV heads", n_seqs,
		                    kv->kv_heads);
	return decode(out, q, kv, lane_tables, lt_stride, head_lens, n_seqs, max_len, n_heads,
	              scale, workspace, 1, NULL, stream);
}

extern "C" int cc_kernels_attn_decode_merged(uint16_t *out, const uint16_t *q,
                                             const cc_kernels_kv *kv, const int32_t *block_tables,
                                             int bt_stride, const int32_t *seq_lens, int n_seqs,
                                             int max_len, int n_heads, float scale,
                                             void *workspace, int32_t *counters,
                                             cudaStream_t stream)
{
	CC_ARG_CHECK(counters);
	return decode(out, q, kv, block_tables, bt_stride, seq_lens, n_seqs, max_len, n_heads, scale,
	              workspace, 0, (int *)counters, stream);
}

extern "C" int cc_kernels_attn_decode_heads_merged(uint16_t *out, const uint16_t *q,
                                                   const cc_kernels_kv *kv,
                                                   const int32_t *lane_tables, int lt_stride,
                                                   const int32_t *head_lens, int n_seqs,
                                                   int max_len, int n_heads, float scale,
                                                   void *workspace, int32_t *counters,
                                                   cudaStream_t stream)
{
	CC_ARG_CHECK(counters);
	if (kv && (long long)n_seqs * kv->kv_heads > 0x7fffffffLL)
		return cc_error_set(CC_EINVAL, "decode attention: %d sequences x %d KV heads", n_seqs,
		                    kv->kv_heads);
	return decode(out, q, kv, lane_tables, lt_stride, head_lens, n_seqs, max_len, n_heads,
	              scale, workspace, 1, (int *)counters, stream);
}

extern "C" void cc_kernels_set_decode_pdl(int on)
{
	g_dec_pdl = on != 0;
}

extern "C" void cc_kernels_set_decode_direct(int on)
{
	g_dec_direct = on != 0;
}
