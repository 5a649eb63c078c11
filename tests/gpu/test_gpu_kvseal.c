/*
 * test_gpu_kvseal.c - the device's row work for quantized KV pools (kernels/kv_seal.cu)
 * against its CPU twins in kv/: cc_kernels_kv_quant_blocks must produce the bytes
 * cc_kv_qhead_quant produces from the same rows (codes and f16 params, bit for bit, from bf16
 * and from f32 sources), and cc_kernels_kv_dequant_blocks the rows cc_kv_qrow_dequant +
 * cc_kv_hadamard give (exactly in f32, rounded to nearest even in bf16; bf16 blocks copied).
 * Every method (kivi, rotated) and width (8, 4, 2) at head_dim 32, 64 and 128, 2 KV heads,
 * blocks of 32 and 16 tokens. Skips (77) without a CUDA device.
 */
#include "cc_common.h"
#include "cc_kernels.h"
#include "cc_kv.h"
#include "test.h"
#include "../num_util.h"

#include <cuda_runtime_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NKV 2
#define NB 3 /* blocks of each class */

static uint64_t rng = 0x2545f4914f6cdd1dull;

static float frand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (float)(rng >> 40) / 16777216.0f * 2.0f - 1.0f;
}


static void run(int method, int bits, int hd, int bs)
{
	cc_kv_config cfg = {1, NKV, hd, bs, CC_KV_BF16, NB};
	cc_kv_qconfig qc = {method, bits, bs, NB};
	cc_kv_qlayout ly;
	size_t half = (size_t)NKV * bs * hd, fpb = 2 * half * 2; /* fp block bytes */
	size_t total;
	uint16_t *fp = NULL;
	float *f32 = NULL, *rows = NULL, *scratch = NULL, *back = NULL, *want = NULL;
	uint8_t *cpu = NULL, *gpu = NULL, *dev = NULL;
	float *dsrc = NULL, *dback = NULL;
	uint16_t *dback16 = NULL, *back16 = NULL;
	int32_t *dpairs = NULL;
	int bad_q = 0, bad_f = 0, bad_d = 0, bad_b = 0;
	char what[96];

	snprintf(what, sizeof(what), "%s int%d hd %d block %d", cc_kv_quant_name(method), bits, hd,
	         bs);
	CHECK_EQ_INT(cc_kv_qlayout_get(&ly, &cfg, &qc), CC_OK);
	total = NB * fpb + NB * ly.block_bytes;
	fp = malloc(NB * fpb);
	f32 = malloc(NB * 2 * half * sizeof(float));
	rows = malloc((size_t)bs * hd * sizeof(float));
	scratch = malloc((size_t)bs * hd * sizeof(float));
	cpu = calloc(1, NB * ly.block_bytes);
	gpu = malloc(total);
	back = malloc(2 * NB * 2 * half * sizeof(float));
	back16 = malloc(2 * NB * 2 * half * sizeof(uint16_t));
	want = malloc(2 * NB * 2 * half * sizeof(float));
	/* rows with outlier channels and per-token scales, stored bf16 (and as f32 of the same
	 * values, for the f32-source path) */
	for (size_t i = 0; i < NB * 2 * half; i++) {
		size_t d = i % (size_t)hd, t = i / (size_t)hd;
		float v = frand() * (1.0f + (float)(t % 5)) * (d % 16 == 3 ? 9.0f : 1.0f);
		fp[i] = f2bf(v);
		f32[i] = bf2f(fp[i]);
	}
	/* the CPU twin: block k's heads quantized from its rows as f32 */
	for (int k = 0; k < NB; k++)
		for (int v = 0; v < 2; v++)
			for (int h = 0; h < NKV; h++) {
				const float *r = f32 + (size_t)k * 2 * half + (v ? half : 0) +
				                 (size_t)h * bs * hd;
				memcpy(rows, r, (size_t)bs * hd * sizeof(float));
				uint8_t *part = cpu + (size_t)k * ly.block_bytes +
				                (v ? (size_t)NKV * ly.k_head_bytes + (size_t)h * ly.v_head_bytes
				                   : (size_t)h * ly.k_head_bytes);
				cc_kv_qhead_quant(&ly, v, part, rows, scratch);
			}
	/* the device: a pool of NB bf16 blocks then NB quantized ones */
	cc_kernels_qkv q = {0};
	if (cudaMalloc((void **)&dev, total) != cudaSuccess ||
	    cudaMalloc((void **)&dsrc, NB * 2 * half * sizeof(float)) != cudaSuccess ||
	    cudaMalloc((void **)&dback, 2 * NB * 2 * half * sizeof(float)) != cudaSuccess ||
	    cudaMalloc((void **)&dback16, 2 * NB * 2 * half * 2) != cudaSuccess ||
	    cudaMalloc((void **)&dpairs, 4 * NB * sizeof(int32_t)) != cudaSuccess) {
		CHECK(!"cudaMalloc");
		goto out;
	}
	q.base = dev;
	q.n_fp_blocks = NB;
	q.fp_block_bytes = fpb;
	q.q_base = NB * fpb;
	q.q_block_bytes = ly.block_bytes;
	q.k_head_bytes = ly.k_head_bytes;
	q.v_head_bytes = ly.v_head_bytes;
	q.params_off = ly.k_params_off;
	q.bits = bits;
	q.group = ly.group;
	q.k_per_channel = ly.k_per_channel;
	q.rotate = ly.rotate;
	q.block_size = bs;
	q.kv_heads = NKV;
	q.head_dim = hd;
	{
		/* fp block k -> quantized block NB + (NB - 1 - k): the pairing is honoured */
		int32_t pairs[2 * NB], table[2 * NB];
		for (int k = 0; k < NB; k++) {
			pairs[2 * k] = k;
			pairs[2 * k + 1] = NB + (NB - 1 - k);
			table[k] = NB + (NB - 1 - k); /* read back: the quantized blocks, then the bf16 */
			table[NB + k] = k;
		}
		CHECK(cudaMemcpy(dev, fp, NB * fpb, cudaMemcpyHostToDevice) == cudaSuccess);
		CHECK(cudaMemset(dev + q.q_base, 0xa5, NB * ly.block_bytes) == cudaSuccess);
		CHECK(cudaMemcpy(dpairs, pairs, sizeof(pairs), cudaMemcpyHostToDevice) == cudaSuccess);
		CHECK_EQ_INT(cc_kernels_kv_quant_blocks(&q, dev, 0, dpairs, NB, 0), CC_OK);
		CHECK(cudaMemcpy(gpu, dev, total, cudaMemcpyDeviceToHost) == cudaSuccess);
		/* compare codes and params of every head part (not the alignment padding) */
		for (int k = 0; k < NB; k++)
			for (int v = 0; v < 2; v++)
				for (int h = 0; h < NKV; h++) {
					size_t off = (v ? (size_t)NKV * ly.k_head_bytes + (size_t)h * ly.v_head_bytes
					                : (size_t)h * ly.k_head_bytes);
					size_t len = ly.k_params_off + ((!v && ly.k_per_channel)
					                                        ? (size_t)hd * 4
					                                        : (size_t)bs * (hd / ly.group) * 4);
					const uint8_t *c = cpu + (size_t)k * ly.block_bytes + off;
					const uint8_t *g = gpu + q.q_base +
					                   (size_t)(NB - 1 - k) * ly.block_bytes + off;
					bad_q += memcmp(c, g, len) != 0;
				}
		/* the same from f32 rows (compaction's source) */
		CHECK(cudaMemcpy(dsrc, f32, NB * 2 * half * sizeof(float), cudaMemcpyHostToDevice) ==
		      cudaSuccess);
		CHECK(cudaMemset(dev + q.q_base, 0x5a, NB * ly.block_bytes) == cudaSuccess);
		CHECK_EQ_INT(cc_kernels_kv_quant_blocks(&q, dsrc, 1, dpairs, NB, 0), CC_OK);
		uint8_t *g2 = malloc(total);
		CHECK(cudaMemcpy(g2, dev, total, cudaMemcpyDeviceToHost) == cudaSuccess);
		for (int k = 0; k < NB; k++)
			for (int v = 0; v < 2; v++)
				for (int h = 0; h < NKV; h++) {
					size_t off = (v ? (size_t)NKV * ly.k_head_bytes + (size_t)h * ly.v_head_bytes
					                : (size_t)h * ly.k_head_bytes);
					size_t len = ly.k_params_off + ((!v && ly.k_per_channel)
					                                        ? (size_t)hd * 4
					                                        : (size_t)bs * (hd / ly.group) * 4);
					bad_f += memcmp(gpu + q.q_base + (size_t)k * ly.block_bytes + off,
					                g2 + q.q_base + (size_t)k * ly.block_bytes + off, len) != 0;
				}
		free(g2);
		/* read back: quantized blocks dequantized (and rotated back), bf16 ones copied */
		CHECK(cudaMemcpy(dpairs, table, sizeof(table), cudaMemcpyHostToDevice) == cudaSuccess);
		CHECK_EQ_INT(cc_kernels_kv_dequant_blocks(dback, 1, &q, dpairs, 2 * NB, 0), CC_OK);
		CHECK_EQ_INT(cc_kernels_kv_dequant_blocks(dback16, 0, &q, dpairs, 2 * NB, 0), CC_OK);
		CHECK(cudaDeviceSynchronize() == cudaSuccess);
		CHECK(cudaMemcpy(back, dback, 2 * NB * 2 * half * sizeof(float),
		                 cudaMemcpyDeviceToHost) == cudaSuccess);
		CHECK(cudaMemcpy(back16, dback16, 2 * NB * 2 * half * 2, cudaMemcpyDeviceToHost) ==
		      cudaSuccess);
		for (int i = 0; i < 2 * NB; i++)
			for (int v = 0; v < 2; v++)
				for (int h = 0; h < NKV; h++)
					for (int t = 0; t < bs; t++) {
						float *w = want + (size_t)i * 2 * half + (v ? half : 0) +
						           ((size_t)h * bs + t) * hd;
						if (i < NB) { /* quantized block NB - 1 - i holds fp block i's rows */
							const uint8_t *part =
								gpu + q.q_base + (size_t)(NB - 1 - i) * ly.block_bytes +
								(v ? (size_t)NKV * ly.k_head_bytes +
							                         (size_t)h * ly.v_head_bytes
							           : (size_t)h * ly.k_head_bytes);
							cc_kv_qrow_dequant(&ly, v, part, t, w);
							if (ly.rotate)
								cc_kv_hadamard(w, hd);
						} else {
							memcpy(w, f32 + (size_t)(i - NB) * 2 * half + (v ? half : 0) + ((size_t)h * bs + t) * hd,
							       (size_t)hd * sizeof(float));
						}
					}
		for (size_t i = 0; i < 2 * NB * 2 * half; i++) {
			bad_d += memcmp(&back[i], &want[i], sizeof(float)) != 0;
			bad_b += back16[i] != f2bf(want[i]);
		}
	}
	fprintf(stderr, "%s: quantized parts differing %d (f32 source %d), dequantized values "
	                "differing %d (bf16 %d)\n",
	        what, bad_q, bad_f, bad_d, bad_b);
	CHECK_EQ_INT(bad_q, 0);
	CHECK_EQ_INT(bad_f, 0);
	CHECK_EQ_INT(bad_d, 0);
	CHECK_EQ_INT(bad_b, 0);
out:
	cudaFree(dev);
	cudaFree(dsrc);
	cudaFree(dback);
	cudaFree(dback16);
	cudaFree(dpairs);
	free(fp);
	free(f32);
	free(rows);
	free(scratch);
	free(cpu);
	free(gpu);
	free(back);
	free(back16);
	free(want);
}

int main(void)
{
	static const int bits[3] = {8, 4, 2}, hds[3] = {32, 64, 128};
	if (cc_kernels_device_count() == 0)
		TEST_SKIP("no CUDA device");
	for (int method = CC_KV_QUANT_KIVI; method <= CC_KV_QUANT_ROTATED; method++)
		for (int b = 0; b < 3; b++)
			for (int h = 0; h < 3; h++)
				run(method, bits[b], hds[h], h == 1 ? 16 : 32);
	/* bad arguments are refused before any launch */
	{
		cc_kernels_qkv q = {0};
		q.base = (const uint8_t *)&q;
		q.block_size = 32;
		q.kv_heads = 1;
		q.head_dim = 64;
		q.bits = 3;
		q.group = 32;
		CHECK_EQ_INT(cc_kernels_kv_quant_blocks(&q, &q, 0, (const int32_t *)&q, 1, 0), CC_EINVAL);
		q.bits = 4;
		q.block_size = 1000;
		CHECK_EQ_INT(cc_kernels_kv_dequant_blocks(&q, 0, &q, (const int32_t *)&q, 1, 0),
		             CC_EINVAL);
	}
	return test_result();
}
