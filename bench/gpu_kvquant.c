/*
 * gpu_kvquant.c - decode attention at long context over a quantized KV cache against the
 * bf16 cache, on the GPU: for each shape and batch, the bf16 decode kernel
 * (cc_kernels_attn_decode, blocks of 16) and the quantized one (cc_kernels_attn_decode_q,
 * blocks of 32: all blocks quantized but the last, the residual window, in bf16) over caches
 * of the same tokens, in the same run. Medians of CUDA-event timings (7 trials of 20 calls
 * after warm-up) and their min-max spread; the block tables are shuffled so pages are
 * scattered; the cache bytes are a fixed pattern (finite values: speed does not depend on
 * them; correctness is tests/gpu/test_gpu_kvquant.c's). Prints a markdown table; exit 77
 * without a CUDA device.
 *   usage: gpu_kvquant [LEN]   (default 32768)
 */
#include "cc_common.h"
#include "cc_kernels.h"
#include "../tests/gpu/gpu_util.h"

#include <cuda_runtime_api.h>

static int cmp_f(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

/* ms per call of fn over `trials` trials of `reps` calls: median, min, max */
typedef int (*call_fn)(void *ctx);

static void time_it(call_fn fn, void *ctx, float *med, float *lo, float *hi)
{
	cudaEvent_t e0, e1;
	float t[7];
	GPU_OK(cudaEventCreate(&e0));
	GPU_OK(cudaEventCreate(&e1));
	for (int i = 0; i < 5; i++)
		CC_OK_OR_DIE(fn(ctx));
	for (int tr = 0; tr < 7; tr++) {
		GPU_OK(cudaEventRecord(e0, 0));
		for (int i = 0; i < 20; i++)
			CC_OK_OR_DIE(fn(ctx));
		GPU_OK(cudaEventRecord(e1, 0));
		GPU_OK(cudaEventSynchronize(e1));
		GPU_OK(cudaEventElapsedTime(&t[tr], e0, e1));
		t[tr] /= 20;
	}
	qsort(t, 7, sizeof(float), cmp_f);
	*med = t[3];
	*lo = t[0];
	*hi = t[6];
	cudaEventDestroy(e0);
	cudaEventDestroy(e1);
}

typedef struct {
	int n_seqs, len, nh, kvh, hd;
	uint16_t *q, *out;
	int32_t *lens;
	/* bf16 */
	cc_kernels_kv kv;
	int32_t *tab;
	int stride;
	void *ws;
	/* quantized */
	cc_kernels_qkv qkv;
	int32_t *qtab;
	int qstride;
	void *qws;
} bctx;

static int run_bf16(void *p)
{
	bctx *c = p;
	return cc_kernels_attn_decode(c->out, c->q, &c->kv, c->tab, c->stride, c->lens, c->n_seqs,
	                              c->len, c->nh, 0.125f, c->ws, 0);
}

static int run_q(void *p)
{
	bctx *c = p;
	return cc_kernels_attn_decode_q(c->out, c->q, &c->qkv, c->qtab, c->qstride, c->lens,
	                                c->n_seqs, c->len, c->nh, 0.125f, c->qws, 0);
}

static void shuffle(int32_t *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(rng_next() % i);
		int32_t t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* bytes of one quantized block (kv/cc_kv.h's layout: per head data + f16 pairs, 4-aligned) */
static void qlayout(cc_kernels_qkv *o, int kvh, int hd, int bs, int bits, int method_rot)
{
	size_t row = (size_t)hd * bits / 8, group = hd % 32 ? 16 : 32;
	size_t tok = (size_t)bs * (hd / group) * 4, ch = (size_t)hd * 4;
	memset(o, 0, sizeof(*o));
	o->bits = bits;
	o->group = (int)group;
	o->k_per_channel = !method_rot;
	o->rotate = method_rot;
	o->params_off = (size_t)bs * row;
	o->k_head_bytes = (o->params_off + (method_rot ? tok : ch) + 3) & ~(size_t)3;
	o->v_head_bytes = (o->params_off + tok + 3) & ~(size_t)3;
	o->q_block_bytes = (size_t)kvh * (o->k_head_bytes + o->v_head_bytes);
	o->block_size = bs;
	o->kv_heads = kvh;
	o->head_dim = hd;
}

static void bench_shape(int nh, int kvh, int hd, int n_seqs, int len)
{
	bctx c = {0};
	size_t nq = (size_t)n_seqs * nh * hd;
	uint16_t *hq = malloc(nq * 2);
	int32_t *hl = malloc(sizeof(int32_t) * (size_t)n_seqs);
	c.n_seqs = n_seqs;
	c.len = len;
	c.nh = nh;
	c.kvh = kvh;
	c.hd = hd;
	fill_bf16(hq, nq, 1.0f);
	for (int s = 0; s < n_seqs; s++)
		hl[s] = len;
	c.q = dev_from(hq, nq * 2);
	c.out = dev_alloc(nq * 2);
	c.lens = dev_from(hl, sizeof(int32_t) * (size_t)n_seqs);
	/* bf16 pool, blocks of 16 */
	{
		int bs = 16;
		c.stride = (len + bs - 1) / bs;
		size_t nb = (size_t)c.stride * n_seqs, bstride = (size_t)kvh * bs * hd;
		uint16_t *pool = dev_alloc(nb * 2 * bstride * 2);
		GPU_OK(cudaMemset(pool, 0x3c, nb * 2 * bstride * 2));
		int32_t *t = malloc(sizeof(int32_t) * nb);
		for (size_t i = 0; i < nb; i++)
			t[i] = (int32_t)i;
		shuffle(t, nb);
		c.tab = dev_from(t, sizeof(int32_t) * nb);
		free(t);
		c.kv.k = pool;
		c.kv.v = pool + bstride;
		c.kv.block_stride = 2 * bstride;
		c.kv.block_size = bs;
		c.kv.kv_heads = kvh;
		c.kv.head_dim = hd;
		c.ws = dev_alloc(cc_kernels_attn_decode_workspace(n_seqs, nh, hd, len));
	}
	float bm, blo, bhi;
	time_it(run_bf16, &c, &bm, &blo, &bhi);
	double bf_bytes = 2.0 * n_seqs * (double)len * kvh * hd * 2;
	printf("| %d/%d/%d | %d | %d | bf16 | %.1f | %.4f (%.4f-%.4f) | %.0f | 1.00 |\n", nh, kvh,
	       hd, n_seqs, len, bf_bytes / 1048576.0, bm, blo, bhi, bf_bytes / (bm * 1e6));
	cudaFree((void *)c.kv.k);
	cudaFree(c.tab);
	cudaFree(c.ws);
	static const int bits[3] = {8, 4, 2};
	for (int rot = 0; rot < 2; rot++)
		for (int bi = 0; bi < 3; bi++) {
			int bs = 32;
			qlayout(&c.qkv, kvh, hd, bs, bits[bi], rot);
			c.qstride = (len + bs - 1) / bs;
			size_t nqb = (size_t)(c.qstride - 1) * n_seqs, nfp = (size_t)n_seqs;
			size_t fpb = (size_t)2 * kvh * bs * hd * 2;
			c.qkv.n_fp_blocks = (int)nfp;
			c.qkv.fp_block_bytes = fpb;
			c.qkv.q_base = nfp * fpb;
			size_t total = c.qkv.q_base + nqb * c.qkv.q_block_bytes;
			uint8_t *pool = dev_alloc(total);
			GPU_OK(cudaMemset(pool, 0x11, total));
			c.qkv.base = pool;
			int32_t *t = malloc(sizeof(int32_t) * (size_t)c.qstride * n_seqs);
			int32_t *ids = malloc(sizeof(int32_t) * nqb);
			for (size_t i = 0; i < nqb; i++)
				ids[i] = (int32_t)(nfp + i);
			shuffle(ids, nqb);
			for (int s = 0; s < n_seqs; s++) {
				for (int b = 0; b < c.qstride - 1; b++)
					t[(size_t)s * c.qstride + b] = ids[(size_t)s * (c.qstride - 1) + b];
				t[(size_t)s * c.qstride + c.qstride - 1] = s; /* the residual block */
			}
			c.qtab = dev_from(t, sizeof(int32_t) * (size_t)c.qstride * n_seqs);
			c.qws = dev_alloc(cc_kernels_attn_q_workspace(n_seqs, nh, hd, len));
			float m, lo, hi;
			time_it(run_q, &c, &m, &lo, &hi);
			double bytes = (double)n_seqs * ((double)(c.qstride - 1) * c.qkv.q_block_bytes + fpb);
			printf("| %d/%d/%d | %d | %d | int%d %s | %.1f | %.4f (%.4f-%.4f) | %.0f | %.2f |\n",
			       nh, kvh, hd, n_seqs, len, bits[bi], rot ? "rotated" : "kivi",
			       bytes / 1048576.0, m, lo, hi, bytes / (m * 1e6), bm / m);
			cudaFree(pool);
			cudaFree(c.qtab);
			cudaFree(c.qws);
			free(t);
			free(ids);
		}
	cudaFree(c.q);
	cudaFree(c.out);
	cudaFree(c.lens);
	free(hq);
	free(hl);
}

int main(int argc, char **argv)
{
	int len = argc > 1 ? atoi(argv[1]) : 32768;
	if (cc_kernels_device_count() == 0) {
		fprintf(stderr, "gpu_kvquant: no CUDA device\n");
		return 77;
	}
	if (len < 64 || len > (1 << 22)) {
		fprintf(stderr, "gpu_kvquant: bad LEN %d\n", len);
		return 2;
	}
	rng_seed(7);
	printf("Decode attention over a %d-token cache: bf16 vs quantized (speedup = bf16 time / "
	       "this time, same run)\n\n",
	       len);
	printf("| heads q/kv/dim | batch | tokens | cache | KV MiB | ms per step, median (min-max) "
	       "| GB/s | speedup |\n| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n");
	bench_shape(32, 8, 128, 1, len);
	bench_shape(32, 8, 128, 8, len);
	bench_shape(6, 2, 64, 1, len);
	bench_shape(6, 2, 64, 8, len);
	return 0;
}
