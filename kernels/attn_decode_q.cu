/*
 * attn_decode_q.cu - attention over a quantized paged KV cache (kv/cc_kv.h's quantized pool:
 * bf16 blocks for the residual window, 8/4/2-bit blocks with f16 (scale, min) pairs for the
 * rest), dequantized inside the kernel. Decode: one query row per sequence; prefill: the rows
 * of one sequence's chunk, row i seeing slots 0 .. n_past + i (the same kernel, each row a
 * "sequence" of its own length over one block table).
 *
 * Split-K like attn_decode.cu: one block per (split of the keys, KV head, row) with 4 warps.
 * A warp takes 32 keys at a time: each lane loads one whole key row into registers and scores
 * it against every query head of the GQA group (q and, for rotated blocks, H q in shared
 * memory; the (scale, min) pairs staged in shared memory first: KIVI's per channel of the
 * step's blocks, or each row's per token), the warp updates an online softmax per head, then
 * walks the 32 keys' V rows with each lane owning head_dim / 32 channels. When all 32 keys
 * are quantized each lane first copies its own key's V row and pairs into shared memory, so
 * the 32 rows' loads are in flight at once and the walk reads shared memory only (a step
 * touching the bf16 residual window reads its rows from memory as it goes). Accumulators stay
 * in registers (no runtime-indexed arrays: the previous version's spilled to local memory);
 * the group size picks a kernel for at most 4 or 8 query heads per KV head. Rotated blocks accumulate into a second sum that
 * is rotated back (a Walsh-Hadamard transform in shared memory) once per split. A small
 * kernel merges the splits. CPU twin: kv/cc_kv_quant.c's formats through the test's
 * reference (tests/gpu/test_gpu_kvquant.c).
 */
#include "kernels_int.cuh"

#include <cuda_fp16.h>
#include <math.h>

#define QD_THREADS 128
#define QD_WARPS (QD_THREADS / 32)
#define QD_MAXG 8
#define QD_MAX_SPLITS 1024

static __device__ __forceinline__ float qd_h2f(unsigned short h)
{
	return __half2float(__ushort_as_half(h));
}

/* Keys per split: ~4 resident blocks per SM (132 SMs) over the grid, a multiple of 128. */
static int qd_chunk(int rows, int kvh, int max_len)
{
	int want = (4 * 132 + rows * kvh - 1) / (rows * kvh);
	if (want < 1)
		want = 1;
	int chunk = (max_len + want - 1) / want;
	chunk = (chunk + 127) / 128 * 128;
	if ((max_len + chunk - 1) / chunk > QD_MAX_SPLITS)
		chunk = ((max_len + QD_MAX_SPLITS - 1) / QD_MAX_SPLITS + 127) / 128 * 128;
	return chunk;
}

/* Where the K (v = 0) or V (v = 1) part of KV head h of block blk starts, and whether the
 * block is quantized. */
static __device__ __forceinline__ const uint8_t *qd_part(const cc_kernels_qkv &kv, int blk, int v,
                                                         int h, bool &quant)
{
	quant = blk >= kv.n_fp_blocks;
	if (quant) {
		const uint8_t *b = kv.base + kv.q_base + (size_t)(blk - kv.n_fp_blocks) * kv.q_block_bytes;
		return v ? b + (size_t)kv.kv_heads * kv.k_head_bytes + (size_t)h * kv.v_head_bytes
		         : b + (size_t)h * kv.k_head_bytes;
	}
	const uint8_t *b = kv.base + (size_t)blk * kv.fp_block_bytes;
	size_t half = kv.fp_block_bytes / 2;
	return b + (v ? half : 0) + (size_t)h * kv.block_size * kv.head_dim * 2;
}

/* A warp's view of the shared memory its step stages: WORDS words per quantized row; V rows
 * at a pitch of VP words (one more than a row: conflict-free writes); (scale, min) pairs at a
 * pitch of PP per row (group 16 at most); KP key pairs per warp (per channel of two blocks, or
 * per token of 32 rows). */
template <int HD, int BITS>
struct qd_stage {
	static constexpr int WORDS = HD * BITS / 32;
	static constexpr int VP = WORDS + 1;
	static constexpr int PP = HD / 16 + 1;
	static constexpr int KP = 2 * HD > 32 * PP ? 2 * HD : 32 * PP;
	static constexpr size_t BYTES =
		(sizeof(uint32_t) * 32 * VP + sizeof(float2) * 32 * PP + sizeof(float2) * KP) *
		QD_WARPS;
};

static __device__ __forceinline__ float2 qd_pair(uint32_t pp)
{
	return make_float2(qd_h2f((unsigned short)(pp & 0xffff)), qd_h2f((unsigned short)(pp >> 16)));
}

/* Accumulate p_g(k) v_k into acc for the nk keys whose V rows and (scale, min) pairs this
 * warp staged in shared memory (sv, svp). */
template <int HD, int BITS, int MAXG>
static __device__ __forceinline__ void qd_v_staged(float (&acc)[MAXG][HD / 32], const float (&p)[MAXG],
                                                   const uint32_t *sv, const float2 *svp,
                                                   int nk, int gq, int gs, int lane)
{
	constexpr int DPL = HD / 32;
	typedef qd_stage<HD, BITS> S;
	int d0 = lane * DPL, bit = d0 * BITS;
#pragma unroll 4
	for (int k = 0; k < nk; k++) {
		uint32_t word = sv[k * S::VP + bit / 32] >> (bit % 32);
		float2 sm = svp[k * S::PP + (d0 >> gs)];
		float v[DPL];
#pragma unroll
		for (int i = 0; i < DPL; i++)
			v[i] = (float)((word >> (i * BITS)) & ((1u << BITS) - 1)) * sm.x + sm.y;
#pragma unroll
		for (int g = 0; g < MAXG; g++) {
			if (g >= gq)
				continue;
			float pk = __shfl_sync(0xffffffffu, p[g], k);
#pragma unroll
			for (int i = 0; i < DPL; i++)
				acc[g][i] += pk * v[i];
		}
	}
}

template <int HD, int BITS, int MAXG>
__global__ void __launch_bounds__(QD_THREADS, MAXG <= 4 ? 4 : 2) attn_decode_q_kernel(
	float *part_o, float *part_ml, const uint16_t *q, cc_kernels_qkv kv,
	const int32_t *block_tables, int bt_stride, const int32_t *seq_lens, int len_base, int nh,
	int gq, int chunk, int splits, float scale_log2)
{
	typedef qd_stage<HD, BITS> S;
	constexpr int DPL = HD / 32;    /* V channels per lane */
	constexpr int CPW = 32 / BITS;  /* codes per 32-bit word */
	constexpr int WORDS = S::WORDS; /* words per quantized row */
	constexpr size_t OS_BYTES = sizeof(float) * QD_WARPS * 2 * MAXG * HD;
	constexpr size_t SU_BYTES = OS_BYTES > S::BYTES ? OS_BYTES : S::BYTES;
	__shared__ float qs[2][MAXG][HD]; /* q, and H q for rotated blocks */
	__shared__ float mls[QD_WARPS][MAXG][2];
	/* the warps' staging areas during the loop, their partial sums after it */
	__shared__ __align__(16) unsigned char su[SU_BYTES];

	int sp = blockIdx.x, kh = blockIdx.y, b = blockIdx.z;
	int warp = threadIdx.x / 32, lane = threadIdx.x & 31;
	int len = seq_lens ? seq_lens[b] : len_base + b + 1;
	int start = sp * chunk, end = min(start + chunk, len);
	const int32_t *table = block_tables + (size_t)b * bt_stride;
	int bs = kv.block_size;
	int gs = kv.group == 32 ? 5 : 4; /* log2 of the per-token group */
	int npr = HD >> gs;              /* (scale, min) pairs per row, per token */
	uint32_t *sv = (uint32_t *)su + (size_t)warp * 32 * S::VP;
	float2 *svp = (float2 *)(su + sizeof(uint32_t) * 32 * S::VP * QD_WARPS) + warp * 32 * S::PP;
	float2 *skp = (float2 *)(su + sizeof(uint32_t) * 32 * S::VP * QD_WARPS +
	                         sizeof(float2) * 32 * S::PP * QD_WARPS) +
	              warp * S::KP;

	for (int i = threadIdx.x; i < gq * HD; i += QD_THREADS) {
		int g = i / HD, d = i % HD;
		qs[0][g][d] = cc_bf2f(q[((size_t)b * nh + kh * gq + g) * HD + d]);
	}
	__syncthreads();
	if (kv.rotate) { /* H q: in-place Walsh-Hadamard butterflies, normalized at the end */
		for (int i = threadIdx.x; i < gq * HD; i += QD_THREADS)
			qs[1][i / HD][i % HD] = qs[0][i / HD][i % HD];
		__syncthreads();
		for (int hlen = 1; hlen < HD; hlen *= 2) {
			for (int i = threadIdx.x; i < gq * HD / 2; i += QD_THREADS) {
				int g = i / (HD / 2), k = i % (HD / 2);
				int j = (k / hlen) * 2 * hlen + (k % hlen);
				float a = qs[1][g][j], c = qs[1][g][j + hlen];
				qs[1][g][j] = a + c;
				qs[1][g][j + hlen] = a - c;
			}
			__syncthreads();
		}
		for (int i = threadIdx.x; i < gq * HD; i += QD_THREADS)
			qs[1][i / HD][i % HD] *= rsqrtf((float)HD);
		__syncthreads();
	}

	/* acc: plain sums (bf16 blocks, unrotated quantized ones); accr: rotated blocks' sums */
	float m[MAXG], l[MAXG], acc[MAXG][DPL], accr[MAXG][DPL];
#pragma unroll
	for (int g = 0; g < MAXG; g++) {
		m[g] = -INFINITY;
		l[g] = 0;
#pragma unroll
		for (int i = 0; i < DPL; i++)
			acc[g][i] = accr[g][i] = 0;
	}

	for (int t0 = start + warp * 32; t0 < end; t0 += QD_WARPS * 32) {
		int j = t0 + lane, blk = 0, off = 0;
		bool valid = j < end, quant = false;
		const uint8_t *kpart = NULL;
		if (valid) {
			blk = table[j / bs];
			off = j % bs;
			kpart = qd_part(kv, blk, 0, kh, quant);
		}
		/* every lane is done with the last step's staging before it is overwritten */
		__syncwarp();
		/* the step's key (scale, min) pairs in shared memory: KIVI's per channel of the (at
		 * most two) blocks the 32 keys lie in, else each lane's row's per token */
		int b0 = t0 / bs, nb = (min(t0 + 31, end - 1)) / bs - b0 + 1;
		bool kp_sh = !kv.k_per_channel || nb <= 2;
		if (kv.k_per_channel && kp_sh) {
			for (int i = lane; i < nb * HD; i += 32) {
				bool qq;
				const uint8_t *pp = qd_part(kv, table[b0 + i / HD], 0, kh, qq);
				skp[i] = qq ? qd_pair(((const uint32_t *)(pp + kv.params_off))[i % HD])
				            : make_float2(0.f, 0.f);
			}
		} else if (!kv.k_per_channel && valid && quant) {
			const uint32_t *pp = (const uint32_t *)(kpart + kv.params_off) + (size_t)off * npr;
			for (int i = 0; i < npr; i++)
				skp[lane * S::PP + i] = qd_pair(pp[i]);
		}
		__syncwarp();
		float s[MAXG];
#pragma unroll
		for (int g = 0; g < MAXG; g++)
			s[g] = -INFINITY;
		if (valid) {
			float dot[MAXG];
#pragma unroll
			for (int g = 0; g < MAXG; g++)
				dot[g] = 0;
			if (quant) {
				const uint32_t *row = (const uint32_t *)(kpart + (size_t)off * (HD * BITS / 8));
				const uint32_t *par = (const uint32_t *)(kpart + kv.params_off);
				const float2 *kp = kv.k_per_channel ? skp + (j / bs - b0) * HD
				                                    : skp + lane * S::PP;
				int qi = kv.rotate, pc = kv.k_per_channel;
				uint32_t kw[WORDS];
#pragma unroll
				for (int w = 0; w < WORDS; w++)
					kw[w] = row[w];
#pragma unroll
				for (int w = 0; w < WORDS; w++) {
#pragma unroll
					for (int c = 0; c < CPW; c++) {
						int d = w * CPW + c;
						float2 sm = pc ? (kp_sh ? kp[d] : qd_pair(par[d])) : kp[d >> gs];
						float x = (float)((kw[w] >> (c * BITS)) & ((1u << BITS) - 1)) * sm.x +
						          sm.y;
#pragma unroll
						for (int g = 0; g < MAXG; g++)
							if (g < gq)
								dot[g] += qs[qi][g][d] * x;
					}
				}
			} else {
				const uint4 *row = (const uint4 *)(kpart + (size_t)off * HD * 2);
#pragma unroll 4
				for (int w = 0; w < HD / 8; w++) {
					float f[8];
					cc_bf16x8_to_f32(row[w], f);
#pragma unroll
					for (int c = 0; c < 8; c++)
#pragma unroll
						for (int g = 0; g < MAXG; g++)
							if (g < gq)
								dot[g] += qs[0][g][w * 8 + c] * f[c];
				}
			}
#pragma unroll
			for (int g = 0; g < MAXG; g++)
				s[g] = dot[g] * scale_log2;
		}
		/* online softmax per head over the 32 keys of this step */
		float p[MAXG];
#pragma unroll
		for (int g = 0; g < MAXG; g++) {
			p[g] = 0;
			if (g >= gq)
				continue;
			float tm = s[g];
#pragma unroll
			for (int o = 16; o > 0; o /= 2)
				tm = fmaxf(tm, __shfl_xor_sync(0xffffffffu, tm, o));
			float mn = fmaxf(m[g], tm);
			float corr = m[g] == -INFINITY ? 0.f : exp2f(m[g] - mn);
			p[g] = s[g] == -INFINITY ? 0.f : exp2f(s[g] - mn);
			float ps = p[g];
#pragma unroll
			for (int o = 16; o > 0; o /= 2)
				ps += __shfl_xor_sync(0xffffffffu, ps, o);
			l[g] = l[g] * corr + ps;
			m[g] = mn;
#pragma unroll
			for (int i = 0; i < DPL; i++) {
				acc[g][i] *= corr;
				accr[g][i] *= corr;
			}
		}
		int nk = min(32, end - t0);
		if (__all_sync(0xffffffffu, !valid || quant)) {
			/* every key of the step quantized: each lane stages its own key's V row and
			 * pairs (loads of all 32 rows in flight at once), then the warp reads them from
			 * shared memory */
			if (valid) {
				bool qq;
				const uint8_t *vpart = qd_part(kv, blk, 1, kh, qq);
				const uint32_t *vrow =
					(const uint32_t *)(vpart + (size_t)off * (HD * BITS / 8));
				const uint32_t *vpar =
					(const uint32_t *)(vpart + kv.params_off) + (size_t)off * npr;
#pragma unroll
				for (int w = 0; w < WORDS; w++)
					sv[lane * S::VP + w] = vrow[w];
				for (int i = 0; i < npr; i++)
					svp[lane * S::PP + i] = qd_pair(vpar[i]);
			}
			__syncwarp();
			if (kv.rotate)
				qd_v_staged<HD, BITS, MAXG>(accr, p, sv, svp, nk, gq, gs, lane);
			else
				qd_v_staged<HD, BITS, MAXG>(acc, p, sv, svp, nk, gq, gs, lane);
			continue;
		}
		for (int k = 0; k < nk; k++) {
			int jk = t0 + k;
			bool kq;
			int kb = table[jk / bs], ko = jk % bs;
			const uint8_t *part = qd_part(kv, kb, 1, kh, kq);
			float v[DPL];
			if (kq) {
				const uint8_t *row = part + (size_t)ko * (HD * BITS / 8);
				int d0 = lane * DPL, bit = d0 * BITS;
				uint32_t word = ((const uint32_t *)row)[bit / 32] >> (bit % 32);
				float2 sm = qd_pair(
					((const uint32_t *)(part + kv.params_off))[(size_t)ko * npr + (d0 >> gs)]);
#pragma unroll
				for (int i = 0; i < DPL; i++)
					v[i] = (float)((word >> (i * BITS)) & ((1u << BITS) - 1)) * sm.x + sm.y;
			} else {
				const uint16_t *row = (const uint16_t *)(part + (size_t)ko * HD * 2);
#pragma unroll
				for (int i = 0; i < DPL; i++)
					v[i] = cc_bf2f(row[lane * DPL + i]);
			}
			bool rot = kq && kv.rotate;
#pragma unroll
			for (int g = 0; g < MAXG; g++) {
				if (g >= gq)
					continue;
				float pk = __shfl_sync(0xffffffffu, p[g], k);
#pragma unroll
				for (int i = 0; i < DPL; i++) {
					if (rot)
						accr[g][i] += pk * v[i];
					else
						acc[g][i] += pk * v[i];
				}
			}
		}
	}
	/* merge the warps, rotate the rotated sum back, write this split's partial result (the
	 * staging areas become the warps' sums: every warp is out of its loop first) */
	__syncthreads();
	float(*os)[2][MAXG][HD] = (float(*)[2][MAXG][HD])su;
#pragma unroll
	for (int g = 0; g < MAXG; g++) {
		if (g >= gq)
			continue;
#pragma unroll
		for (int i = 0; i < DPL; i++) {
			os[warp][0][g][lane * DPL + i] = acc[g][i];
			os[warp][1][g][lane * DPL + i] = accr[g][i];
		}
		if (lane == 0) {
			mls[warp][g][0] = m[g];
			mls[warp][g][1] = l[g];
		}
	}
	__syncthreads();
	/* warp 0's slot receives the merged sums */
	for (int i = threadIdx.x; i < gq * HD; i += QD_THREADS) {
		int g = i / HD, d = i % HD;
		float M = -INFINITY;
		for (int w = 0; w < QD_WARPS; w++)
			M = fmaxf(M, mls[w][g][0]);
		float o0 = 0, o1 = 0;
		for (int w = 0; w < QD_WARPS; w++) {
			float c = mls[w][g][0] == -INFINITY ? 0.f : exp2f(mls[w][g][0] - M);
			o0 += c * os[w][0][g][d];
			o1 += c * os[w][1][g][d];
		}
		qs[0][g][d] = o0; /* q is no longer needed: reuse its space */
		qs[1][g][d] = o1;
	}
	__syncthreads();
	if (kv.rotate) {
		for (int hlen = 1; hlen < HD; hlen *= 2) {
			for (int i = threadIdx.x; i < gq * HD / 2; i += QD_THREADS) {
				int g = i / (HD / 2), k = i % (HD / 2);
				int jj = (k / hlen) * 2 * hlen + (k % hlen);
				float a = qs[1][g][jj], c = qs[1][g][jj + hlen];
				qs[1][g][jj] = a + c;
				qs[1][g][jj + hlen] = a - c;
			}
			__syncthreads();
		}
	}
	float rn = kv.rotate ? rsqrtf((float)HD) : 1.f;
	for (int i = threadIdx.x; i < gq * HD; i += QD_THREADS) {
		int g = i / HD, d = i % HD;
		size_t row = ((size_t)b * nh + kh * gq + g) * splits + sp;
		part_o[row * HD + d] = qs[0][g][d] + rn * qs[1][g][d];
		if (d == 0) {
			float M = -INFINITY, L = 0;
			for (int w = 0; w < QD_WARPS; w++)
				M = fmaxf(M, mls[w][g][0]);
			for (int w = 0; w < QD_WARPS; w++)
				if (mls[w][g][0] != -INFINITY)
					L += exp2f(mls[w][g][0] - M) * mls[w][g][1];
			part_ml[row * 2] = M;
			part_ml[row * 2 + 1] = L;
		}
	}
}

/* out[b][h][:] = merge of the splits' partial sums. One block per (row, head). */
template <int HD>
__global__ void attn_decode_q_merge(uint16_t *out, const float *part_o, const float *part_ml,
                                    int splits)
{
	size_t row = (size_t)blockIdx.x; /* b * nh + h */
	int d = threadIdx.x;
	float M = -INFINITY;
	for (int s = 0; s < splits; s++)
		M = fmaxf(M, part_ml[(row * splits + s) * 2]);
	float L = 0, o = 0;
	for (int s = 0; s < splits; s++) {
		float m = part_ml[(row * splits + s) * 2];
		if (m == -INFINITY)
			continue;
		float c = exp2f(m - M);
		L += c * part_ml[(row * splits + s) * 2 + 1];
		o += c * part_o[(row * splits + s) * HD + d];
	}
	out[row * HD + d] = cc_f2bf(L > 0 ? o / L : 0.f);
}

extern "C" size_t cc_kernels_attn_q_workspace(int rows, int n_heads, int head_dim, int max_len)
{
	if (rows <= 0 || n_heads <= 0 || head_dim <= 0 || max_len <= 0)
		return 0;
	int splits = (max_len + 127) / 128;
	if (splits > QD_MAX_SPLITS)
		splits = QD_MAX_SPLITS;
	return (size_t)rows * n_heads * splits * ((size_t)head_dim + 2) * sizeof(float);
}

static int qd_launch(uint16_t *out, const uint16_t *q, const cc_kernels_qkv *kv,
                     const int32_t *block_tables, int bt_stride, const int32_t *seq_lens,
                     int len_base, int rows, int max_len, int n_heads, float scale,
                     void *workspace, cudaStream_t stream)
{
	CC_ARG_CHECK(out && q && kv && kv->base && block_tables && workspace);
	CC_ARG_CHECK(rows > 0 && max_len > 0 && kv->kv_heads > 0 && n_heads % kv->kv_heads == 0);
	CC_ARG_CHECK(n_heads / kv->kv_heads <= QD_MAXG);
	CC_ARG_CHECK(kv->head_dim == 32 || kv->head_dim == 64 || kv->head_dim == 128);
	CC_ARG_CHECK(kv->bits == 8 || kv->bits == 4 || kv->bits == 2);
	CC_ARG_CHECK(kv->group == 16 || kv->group == 32);
	CC_ARG_CHECK(kv->block_size > 0 && kv->n_fp_blocks >= 0);
	int hd = kv->head_dim, gq = n_heads / kv->kv_heads;
	int chunk = qd_chunk(rows, kv->kv_heads, max_len);
	int splits = (max_len + chunk - 1) / chunk;
	float *part_o = (float *)workspace;
	float *part_ml = part_o + (size_t)rows * n_heads * splits * hd;
	dim3 grid(splits, kv->kv_heads, rows);
	float sl2 = scale * 1.4426950408889634f;
#define QD_CASE(H, B)                                                                       \
	do {                                                                                \
		if (hd == H && kv->bits == B && gq <= 4)                                    \
			attn_decode_q_kernel<H, B, 4><<<grid, QD_THREADS, 0, stream>>>(     \
				part_o, part_ml, q, *kv, block_tables, bt_stride, seq_lens, \
				len_base, n_heads, gq, chunk, splits, sl2);                 \
		else if (hd == H && kv->bits == B)                                          \
			attn_decode_q_kernel<H, B, 8><<<grid, QD_THREADS, 0, stream>>>(     \
				part_o, part_ml, q, *kv, block_tables, bt_stride, seq_lens, \
				len_base, n_heads, gq, chunk, splits, sl2);                 \
	} while (0)
	QD_CASE(32, 8);
	QD_CASE(32, 4);
	QD_CASE(32, 2);
	QD_CASE(64, 8);
	QD_CASE(64, 4);
	QD_CASE(64, 2);
	QD_CASE(128, 8);
	QD_CASE(128, 4);
	QD_CASE(128, 2);
#undef QD_CASE
	CC_CUDA_LAUNCHED();
	if (hd == 32)
		attn_decode_q_merge<32><<<rows * n_heads, 32, 0, stream>>>(out, part_o, part_ml, splits);
	else if (hd == 64)
		attn_decode_q_merge<64><<<rows * n_heads, 64, 0, stream>>>(out, part_o, part_ml, splits);
	else
		attn_decode_q_merge<128><<<rows * n_heads, 128, 0, stream>>>(out, part_o, part_ml,
		                                                             splits);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}

extern "C" int cc_kernels_attn_decode_q(uint16_t *out, const uint16_t *q,
                                        const cc_kernels_qkv *kv, const int32_t *block_tables,
                                        int bt_stride, const int32_t *seq_lens, int n_seqs,
                                        int max_len, int n_heads, float scale, void *workspace,
                                        cudaStream_t stream)
{
	CC_ARG_CHECK(seq_lens);
	return qd_launch(out, q, kv, block_tables, bt_stride, seq_lens, 0, n_seqs, max_len,
	                 n_heads, scale, workspace, stream);
}

extern "C" int cc_kernels_attn_prefill_q(uint16_t *out, const uint16_t *q,
                                         const cc_kernels_qkv *kv, const int32_t *block_table,
                                         int n_past, int n, int n_heads, float scale,
                                         void *workspace, cudaStream_t stream)
{
	CC_ARG_CHECK(n_past >= 0 && n > 0);
	return qd_launch(out, q, kv, block_table, 0, NULL, n_past, n, n_past + n, n_heads, scale,
	                 workspace, stream);
}
