/*
 * attn_prefill.cu - causal flash attention of a prefill chunk over the paged KV cache.
 *
 * One block = 4 warps = 64 query rows of one query head; key/value tiles of 64 slots are
 * gathered from the paged pools into shared memory. Q.K^T and P.V run on the tensor cores
 * (WMMA, bf16 in, f32 accumulate); the online softmax (running max and sum per row) is f32 in
 * registers, two lanes per row. No S x S matrix is ever stored. Heavy (late) query tiles are
 * scheduled first to even out the causal triangle.
 */
#include "kernels_int.cuh"

#include <math.h>
#include <mma.h>

using namespace nvcuda;

#define PF_BR 64
#define PF_BC 64
#define PF_WARPS 4

template <int HD> struct pf_smem {
	static constexpr int LDQ = HD + 8;    /* bf16 elements per row of Q, K, V tiles */
	static constexpr int LDS = (HD > PF_BC ? HD : PF_BC) + 4; /* f32 per row of a warp's S/PV tile */
	static constexpr int LDP = PF_BC + 8; /* bf16 elements per row of a warp's P tile */
	static constexpr size_t q_off = 0;
	static constexpr size_t k_off = q_off + (size_t)PF_BR * LDQ * 2;
	static constexpr size_t v_off = k_off + (size_t)PF_BC * LDQ * 2;
	static constexpr size_t s_off = v_off + (size_t)PF_BC * LDQ * 2;
	static constexpr size_t p_off = s_off + (size_t)PF_WARPS * 16 * LDS * 4;
	static constexpr size_t bytes = p_off + (size_t)PF_WARPS * 16 * LDP * 2;
};

template <int HD>
__global__ void __launch_bounds__(128) attn_prefill_kernel(uint16_t *out, float *lse,
                                                          int lse_stride, const uint16_t *q,
                                                          const uint16_t *kpool,
                                                          const uint16_t *vpool,
                                                          const int32_t *block_table, int n_past,
                                                          int n, int nh, int kvh, int bs,
                                                          size_t bstride, float scale_log2)
{
	typedef pf_smem<HD> L;
	extern __shared__ __align__(128) unsigned char smem[];
	__nv_bfloat16 *Qs = reinterpret_cast<__nv_bfloat16 *>(smem + L::q_off);
	__nv_bfloat16 *Ks = reinterpret_cast<__nv_bfloat16 *>(smem + L::k_off);
	__nv_bfloat16 *Vs = reinterpret_cast<__nv_bfloat16 *>(smem + L::v_off);
	int warp = threadIdx.x / 32, lane = threadIdx.x & 31;
	float *Ss = reinterpret_cast<float *>(smem + L::s_off) + warp * 16 * L::LDS;
	__nv_bfloat16 *Ps = reinterpret_cast<__nv_bfloat16 *>(smem + L::p_off) + warp * 16 * L::LDP;

	int qt = gridDim.x - 1 - blockIdx.x; /* late tiles first */
	int head = blockIdx.y;
	int kh = head / (nh / kvh);
	int q0 = qt * PF_BR;
	constexpr int CH = HD / 8; /* 16-byte chunks per row */

	/* Q tile: rows beyond n are zero (their results are discarded). */
	for (int c = threadIdx.x; c < PF_BR * CH; c += blockDim.x) {
		int r = c / CH, cc = c - r * CH;
		uint4 v = make_uint4(0, 0, 0, 0);
		if (q0 + r < n)
			v = *reinterpret_cast<const uint4 *>(q + ((size_t)(q0 + r) * nh + head) * HD +
			                                     cc * 8);
		*reinterpret_cast<uint4 *>(Qs + r * L::LDQ + cc * 8) = v;
	}
	__syncthreads();
	wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, wmma::row_major> qf[HD / 16];
#pragma unroll
	for (int kk = 0; kk < HD / 16; kk++)
		wmma::load_matrix_sync(qf[kk], Qs + warp * 16 * L::LDQ + kk * 16, L::LDQ);

	int row = lane >> 1, half = lane & 1;
	int qslot = n_past + q0 + warp * 16 + row; /* this lane's query slot */
	float o[HD / 2];
#pragma unroll
	for (int i = 0; i < HD / 2; i++)
		o[i] = 0.f;
	float m = -INFINITY, l = 0.f;

	int n_total = n_past + n;
	int last_slot = min(n_past + q0 + PF_BR - 1, n_total - 1);
	int n_tiles = last_slot / PF_BC + 1;
	for (int kt = 0; kt < n_tiles; kt++) {
		int k0 = kt * PF_BC;
		__syncthreads(); /* previous tile fully consumed */
		for (int c = threadIdx.x; c < PF_BC * CH; c += blockDim.x) {
			int r = c / CH, cc = c - r * CH;
			int j = k0 + r;
			uint4 kv4 = make_uint4(0, 0, 0, 0), vv4 = make_uint4(0, 0, 0, 0);
			if (j < n_total) {
				int blk = block_table[j / bs];
				size_t off = cc_kv_row(blk, j % bs, kh, bstride, bs, HD) + cc * 8;
				kv4 = *reinterpret_cast<const uint4 *>(kpool + off);
				vv4 = *reinterpret_cast<const uint4 *>(vpool + off);
			}
			*reinterpret_cast<uint4 *>(Ks + r * L::LDQ + cc * 8) = kv4;
			*reinterpret_cast<uint4 *>(Vs + r * L::LDQ + cc * 8) = vv4;
		}
		__syncthreads();

		/* S = Q K^T for this warp's 16 rows x 64 keys */
#pragma unroll
		for (int nt = 0; nt < PF_BC / 16; nt++) {
			wmma::fragment<wmma::accumulator, 16, 16, 16, float> sf;
			wmma::fill_fragment(sf, 0.f);
#pragma unroll
			for (int kk = 0; kk < HD / 16; kk++) {
				wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, wmma::col_major>
				    kf;
				wmma::load_matrix_sync(kf, Ks + nt * 16 * L::LDQ + kk * 16, L::LDQ);
				wmma::mma_sync(sf, qf[kk], kf, sf);
			}
			wmma::store_matrix_sync(Ss + nt * 16, sf, L::LDS, wmma::mem_row_major);
		}
		__syncwarp();

		/* online softmax: this lane owns row `row`, keys half*32 .. half*32+31 */
		float s[32];
		float mx = -INFINITY;
#pragma unroll
		for (int c = 0; c < 32; c++) {
			int j = k0 + half * 32 + c;
			float v = Ss[row * L::LDS + half * 32 + c] * scale_log2;
			v = (j <= qslot && j < n_total) ? v : -INFINITY;
			s[c] = v;
			mx = fmaxf(mx, v);
		}
		mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
		float m_new = fmaxf(m, mx);
		float alpha = (m_new == -INFINITY) ? 1.f : exp2f(m - m_new);
		float sum = 0.f;
#pragma unroll
		for (int c = 0; c < 32; c += 2) {
			float p0 = (s[c] == -INFINITY) ? 0.f : exp2f(s[c] - m_new);
			float p1 = (s[c + 1] == -INFINITY) ? 0.f : exp2f(s[c + 1] - m_new);
			sum += p0 + p1;
			*reinterpret_cast<unsigned *>(Ps + row * L::LDP + half * 32 + c) =
			    cc_pack_bf16x2(p0, p1);
		}
		sum += __shfl_xor_sync(0xffffffffu, sum, 1);
		l = l * alpha + sum;
		m = m_new;
		__syncwarp();

		/* PV = P V (16 x HD), then o = o * alpha + PV */
#pragma unroll
		for (int nt = 0; nt < HD / 16; nt++) {
			wmma::fragment<wmma::accumulator, 16, 16, 16, float> of;
			wmma::fill_fragment(of, 0.f);
#pragma unroll
			for (int kk = 0; kk < PF_BC / 16; kk++) {
				wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, wmma::row_major>
				    pf;
				wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, wmma::row_major>
				    vf;
				wmma::load_matrix_sync(pf, Ps + kk * 16, L::LDP);
				wmma::load_matrix_sync(vf, Vs + kk * 16 * L::LDQ + nt * 16, L::LDQ);
				wmma::mma_sync(of, pf, vf, of);
			}
			wmma::store_matrix_sync(Ss + nt * 16, of, L::LDS, wmma::mem_row_major);
		}
		__syncwarp();
#pragma unroll
		for (int c = 0; c < HD / 2; c += 4) {
			float4 pv = *reinterpret_cast<const float4 *>(Ss + row * L::LDS + half * (HD / 2) + c);
			o[c] = o[c] * alpha + pv.x;
			o[c + 1] = o[c + 1] * alpha + pv.y;
			o[c + 2] = o[c + 2] * alpha + pv.z;
			o[c + 3] = o[c + 3] * alpha + pv.w;
		}
		__syncwarp();
	}

	int qi = q0 + warp * 16 + row;
	if (qi < n) {
		float inv = 1.f / l;
		uint16_t *dst = out + ((size_t)qi * nh + head) * HD + half * (HD / 2);
#pragma unroll
		for (int c = 0; c < HD / 2; c += 8) {
			uint4 u;
			u.x = cc_pack_bf16x2(o[c] * inv, o[c + 1] * inv);
			u.y = cc_pack_bf16x2(o[c + 2] * inv, o[c + 3] * inv);
			u.z = cc_pack_bf16x2(o[c + 4] * inv, o[c + 5] * inv);
			u.w = cc_pack_bf16x2(o[c + 6] * inv, o[c + 7] * inv);
			*reinterpret_cast<uint4 *>(dst + c) = u;
		}
		if (lse && half == 0)
			lse[(size_t)head * lse_stride + qi] = (m + log2f(l)) * 0.69314718055994531f;
	}
}

template <int HD> static int launch_prefill(uint16_t *out, float *lse, int lse_stride,
                                            const uint16_t *q, const cc_kernels_kv *kv,
                                            const int32_t *block_table, int n_past, int n,
                                            int n_heads, float scale, cudaStream_t stream)
{
	size_t smem = pf_smem<HD>::bytes;
	CC_CUDA_CHECK(cudaFuncSetAttribute(attn_prefill_kernel<HD>,
	                                   cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem));
	dim3 grid((n + PF_BR - 1) / PF_BR, n_heads);
	attn_prefill_kernel<HD><<<grid, PF_WARPS * 32, smem, stream>>>(
	    out, lse, lse_stride, q, kv->k, kv->v, block_table, n_past, n, n_heads, kv->kv_heads,
	    kv->block_size, cc_kv_bstride(kv), scale * 1.4426950408889634f);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}

extern "C" int cc_kernels_attn_prefill(uint16_t *out, float *lse, int lse_stride,
                                       const uint16_t *q, const cc_kernels_kv *kv,
                                       const int32_t *block_table, int n_past, int n,
                                       int n_heads, float scale, cudaStream_t stream)
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
		                          scale, stream);
	case 32:
		return launch_prefill<32>(out, lse, lse_stride, q, kv, block_table, n_past, n, n_heads,
		                          scale, stream);
	case 64:
		return launch_prefill<64>(out, lse, lse_stride, q, kv, block_table, n_past, n, n_heads,
		                          scale, stream);
	default:
		return launch_prefill<128>(out, lse, lse_stride, q, kv, block_table, n_past, n, n_heads,
		                           scale, stream);
	}
}
