/*
 * kv_seal.cu - moving rows between the two block classes of a quantized KV pool on the device
 * (kv/cc_kv.h): quantizing full-precision blocks into quantized ones (sealing, and the blocks a
 * compaction rebuilds) and reading blocks back in full precision (the prefill attention over a
 * quantized cache, and compaction). The arithmetic is kv/kv_qfmt.h's, the same source the CPU
 * reference (kv/cc_kv_quant.c) compiles, so a block quantized here is bit for bit the block
 * cc_kv_qhead_quant makes from the same f32 rows; tests/gpu/test_gpu_kvseal.c compares them.
 *
 * Both kernels take one thread block per (listed block, KV head, K or V half): the half's
 * block_size x head_dim rows are staged as f32 in shared memory (and rotated there, one row per
 * thread, when the method rotates), then written out, each output byte by one thread.
 */
#include "kernels_int.cuh"

#include "kv_qfmt.h"

#define KS_THREADS 128
#define KS_MAX_SMEM (48 * 1024)

static size_t ks_smem(const cc_kernels_qkv *kv)
{
	return ((size_t)kv->block_size * kv->head_dim + 2 * (size_t)kv->head_dim) * sizeof(float);
}

static int ks_check(const cc_kernels_qkv *kv)
{
	CC_ARG_CHECK(kv && kv->base && kv->block_size > 0 && kv->kv_heads > 0);
	CC_ARG_CHECK(kv->head_dim > 0 && kv->head_dim % 16 == 0);
	CC_ARG_CHECK(!kv->rotate || (kv->head_dim & (kv->head_dim - 1)) == 0);
	CC_ARG_CHECK(kv->bits == 8 || kv->bits == 4 || kv->bits == 2);
	CC_ARG_CHECK(kv->group == 16 || kv->group == 32);
	CC_ARG_CHECK(ks_smem(kv) <= KS_MAX_SMEM);
	return CC_OK;
}

/* Start of the K (v = 0) or V part of KV head h of quantized block qb. */
static __device__ __forceinline__ uint8_t *ks_qpart(const cc_kernels_qkv &kv, int qb, int v, int h)
{
	uint8_t *b = (uint8_t *)kv.base + kv.q_base + (size_t)(qb - kv.n_fp_blocks) * kv.q_block_bytes;
	return v ? b + (size_t)kv.kv_heads * kv.k_head_bytes + (size_t)h * kv.v_head_bytes
	         : b + (size_t)h * kv.k_head_bytes;
}

__global__ void __launch_bounds__(KS_THREADS)
	kv_quant_kernel(cc_kernels_qkv kv, const void *src, int src_f32, const int32_t *pairs)
{
	extern __shared__ float sm[]; /* rows [bs][hd], then per-channel params [hd][2] */
	int k = blockIdx.x, h = blockIdx.y, v = blockIdx.z, tid = threadIdx.x;
	int bs = kv.block_size, hd = kv.head_dim, bits = kv.bits, qmax = (1 << bits) - 1;
	size_t half = (size_t)kv.kv_heads * bs * hd;
	size_t off = (size_t)pairs[2 * k] * 2 * half + (v ? half : 0) + (size_t)h * bs * hd;
	int n = bs * hd;
	for (int i = tid; i < n; i += KS_THREADS)
		sm[i] = src_f32 ? ((const float *)src)[off + i]
		                : cc_bf2f(((const uint16_t *)src)[off + i]);
	__syncthreads();
	if (kv.rotate) {
		for (int t = tid; t < bs; t += KS_THREADS)
			kvq_hadamard(sm + (size_t)t * hd, hd);
		__syncthreads();
	}
	uint8_t *part = ks_qpart(kv, pairs[2 * k + 1], v, h);
	uint16_t *par = (uint16_t *)(part + kv.params_off);
	int row_bytes = hd * bits / 8, per_byte = 8 / bits;
	if (!v && kv.k_per_channel) {
		float *ps = sm + n;
		for (int d = tid; d < hd; d += KS_THREADS) {
			float lo = INFINITY, hi = -INFINITY;
			for (int t = 0; t < bs; t++) {
				float e = sm[t * hd + d];
				lo = e < lo ? e : lo;
				hi = e > hi ? e : hi;
			}
			uint16_t p2[2];
			kvq_group_params(p2, lo, hi, qmax);
			par[2 * d] = p2[0];
			par[2 * d + 1] = p2[1];
			ps[2 * d] = kvq_h2f(p2[0]);
			ps[2 * d + 1] = kvq_h2f(p2[1]);
		}
		__syncthreads();
		for (int i = tid; i < bs * row_bytes; i += KS_THREADS) {
			int t = i / row_bytes, byte = i % row_bytes;
			unsigned b = 0;
			for (int c = 0; c < per_byte; c++) {
				int d = byte * per_byte + c;
				b |= (unsigned)kvq_quant_one(sm[t * hd + d], ps[2 * d], ps[2 * d + 1], qmax)
				     << (c * bits);
			}
			part[(size_t)t * row_bytes + byte] = (uint8_t)b;
		}
		return;
	}
	int G = kv.group, ng = hd / G, gbytes = G * bits / 8;
	for (int i = tid; i < bs * ng; i += KS_THREADS) {
		int t = i / ng, g = i % ng;
		const float *r = sm + t * hd + g * G;
		float lo = INFINITY, hi = -INFINITY;
		for (int d = 0; d < G; d++) {
			lo = r[d] < lo ? r[d] : lo;
			hi = r[d] > hi ? r[d] : hi;
		}
		uint16_t p2[2];
		kvq_group_params(p2, lo, hi, qmax);
		par[2 * (t * ng + g)] = p2[0];
		par[2 * (t * ng + g) + 1] = p2[1];
		float s = kvq_h2f(p2[0]), mn = kvq_h2f(p2[1]);
		uint8_t *out = part + (size_t)t * row_bytes + g * gbytes;
		for (int byte = 0; byte < gbytes; byte++) {
			unsigned b = 0;
			for (int c = 0; c < per_byte; c++)
				b |= (unsigned)kvq_quant_one(r[byte * per_byte + c], s, mn, qmax) << (c * bits);
			out[byte] = (uint8_t)b;
		}
	}
}

__global__ void __launch_bounds__(KS_THREADS)
	kv_dequant_kernel(void *dst, int dst_f32, cc_kernels_qkv kv, const int32_t *table)
{
	extern __shared__ float sm[];
	int i = blockIdx.x, h = blockIdx.y, v = blockIdx.z, tid = threadIdx.x;
	int bs = kv.block_size, hd = kv.head_dim, n = bs * hd;
	size_t half = (size_t)kv.kv_heads * bs * hd;
	size_t doff = (size_t)i * 2 * half + (v ? half : 0) + (size_t)h * bs * hd;
	int blk = table[i];
	if (blk < kv.n_fp_blocks) {
		const uint16_t *s = (const uint16_t *)(kv.base + (size_t)blk * kv.fp_block_bytes) +
		                    (v ? half : 0) + (size_t)h * bs * hd;
		for (int j = tid; j < n; j += KS_THREADS) {
			if (dst_f32)
				((float *)dst)[doff + j] = cc_bf2f(s[j]);
			else
				((uint16_t *)dst)[doff + j] = s[j];
		}
		return;
	}
	const uint8_t *part = ks_qpart(kv, blk, v, h);
	const uint16_t *par = (const uint16_t *)(part + kv.params_off);
	int bits = kv.bits, row_bytes = hd * bits / 8, G = kv.group;
	for (int j = tid; j < n; j += KS_THREADS) {
		int t = j / hd, d = j % hd;
		int q = kvq_get_code(part + (size_t)t * row_bytes, d, bits);
		const uint16_t *p = !v && kv.k_per_channel ? par + 2 * d
		                                           : par + 2 * ((size_t)t * (hd / G) + d / G);
		sm[j] = kvq_dequant_one(q, kvq_h2f(p[0]), kvq_h2f(p[1]));
	}
	__syncthreads();
	if (kv.rotate) {
		for (int t = tid; t < bs; t += KS_THREADS)
			kvq_hadamard(sm + (size_t)t * hd, hd);
		__syncthreads();
	}
	for (int j = tid; j < n; j += KS_THREADS) {
		if (dst_f32)
			((float *)dst)[doff + j] = sm[j];
		else
			((uint16_t *)dst)[doff + j] = cc_f2bf(sm[j]);
	}
}

extern "C" int cc_kernels_kv_quant_blocks(const cc_kernels_qkv *kv, const void *src, int src_f32,
                                          const int32_t *pairs, int n, cudaStream_t stream)
{
	int rc;
	CC_ARG_CHECK(src && pairs && n >= 0);
	if ((rc = ks_check(kv)))
		return rc;
	if (n == 0)
		return CC_OK;
	dim3 grid(n, kv->kv_heads, 2);
	kv_quant_kernel<<<grid, KS_THREADS, ks_smem(kv), stream>>>(*kv, src, src_f32, pairs);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}

extern "C" int cc_kernels_kv_dequant_blocks(void *dst, int dst_f32, const cc_kernels_qkv *kv,
                                            const int32_t *table, int n, cudaStream_t stream)
{
	int rc;
	CC_ARG_CHECK(dst && table && n >= 0);
	if ((rc = ks_check(kv)))
		return rc;
	if (n == 0)
		return CC_OK;
	dim3 grid(n, kv->kv_heads, 2);
	kv_dequant_kernel<<<grid, KS_THREADS, ks_smem(kv), stream>>>(dst, dst_f32, *kv, table);
	CC_CUDA_LAUNCHED();
	return CC_OK;
}
