/*
 * gpu_attn.c - attention kernel benchmark on the GPU: decode attention over a synthetic
 * 32K-token paged cache (batch >= 8), reported as achieved HBM bandwidth next to the
 * device-to-device copy bandwidth measured in the same run, and the prefill (flash) kernel's
 * TFLOP/s at 2K/4K tokens. Medians of CUDA-event timings after warm-up; the block table is
 * shuffled so the pages are scattered as in real use; inputs random, never zero. Ragged
 * layers' decode (per-KV-head lane tables, cc_kernels_attn_decode_heads) next to the uniform
 * kernel on the same cache, in the same run.
 * Prints a markdown table. Exit 77 when no CUDA device.
 */
#include "cc_common.h"
#include "cc_kernels.h"
#include "../tests/gpu/gpu_util.h"

#include <cuda_profiler_api.h>
#include <cuda_runtime_api.h>

static int cmp_f(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

static float median(float *v, int n)
{
	qsort(v, n, sizeof(float), cmp_f);
	return v[n / 2];
}

/* median ms of a D2D copy of `bytes` */
static float copy_ms(size_t bytes)
{
	void *a = dev_alloc(bytes), *b = dev_alloc(bytes);
	GPU_OK(cudaMemset(a, 0x3c, bytes));
	cudaEvent_t e0, e1;
	GPU_OK(cudaEventCreate(&e0));
	GPU_OK(cudaEventCreate(&e1));
	float t[20];
	for (int i = 0; i < 23; i++) {
		GPU_OK(cudaEventRecord(e0, 0));
		GPU_OK(cudaMemcpyAsync(b, a, bytes, cudaMemcpyDeviceToDevice, 0));
		GPU_OK(cudaEventRecord(e1, 0));
		GPU_OK(cudaEventSynchronize(e1));
		if (i >= 3)
			GPU_OK(cudaEventElapsedTime(&t[i - 3], e0, e1));
	}
	cudaFree(a);
	cudaFree(b);
	cudaEventDestroy(e0);
	cudaEventDestroy(e1);
	return median(t, 20);
}

typedef struct {
	cc_kernels_kv kv;
	uint16_t *pool;
	int32_t *table_d;
	int32_t *table_h; /* host copy of the shuffled table */
	int bt_stride;
} bcache;

static void bcache_make(bcache *c, int n_seqs, int len, int kvh, int hd, int bs)
{
	c->bt_stride = (len + bs - 1) / bs;
	size_t n_blocks = (size_t)c->bt_stride * n_seqs;
	size_t half = (size_t)kvh * bs * hd;
	size_t elems = n_blocks * 2 * half;
	uint16_t *h = malloc(elems * 2);
	fill_bf16(h, elems, 1.0f);
	c->pool = dev_from(h, elems * 2);
	free(h);
	int32_t *t = malloc(sizeof(int32_t) * n_blocks);
	for (size_t i = 0; i < n_blocks; i++)
		t[i] = (int32_t)i;
	for (size_t i = n_blocks - 1; i > 0; i--) {
		size_t j = rng_next() % (i + 1);
		int32_t x = t[i];
		t[i] = t[j];
		t[j] = x;
	}
	c->table_d = dev_from(t, sizeof(int32_t) * n_blocks);
	c->table_h = t;
	c->kv.k = c->pool;
	c->kv.v = c->pool + half;
	c->kv.block_stride = 2 * half;
	c->kv.block_size = bs;
	c->kv.kv_heads = kvh;
	c->kv.head_dim = hd;
}

static void bcache_free(bcache *c)
{
	cudaFree(c->pool);
	cudaFree(c->table_d);
	free(c->table_h);
}

/* Decode over the same cache three ways: mode 0 the uniform kernel, 1 the per-head kernel
 * reading it through lane tables (block * kvh + h, every head len tokens: what a uniform
 * session in a batch with ragged ones costs), 2 the per-head kernel with ragged lengths (head
 * h keeps len * (h + 1) / kvh tokens, as after adakv; bytes count what is read). */
static void bench_decode_heads(int n_seqs, int len, int nh, int kvh, int hd, double copy_bw,
                               int mode)
{
	bcache c;
	bcache_make(&c, n_seqs, len, kvh, hd, 16);
	size_t nq = (size_t)n_seqs * nh * hd, nt = (size_t)n_seqs * kvh * c.bt_stride;
	uint16_t *q = malloc(nq * 2);
	fill_bf16(q, nq, 1.0f);
	uint16_t *dq = dev_from(q, nq * 2), *dout = dev_alloc(nq * 2);
	int32_t *lens = malloc(sizeof(int32_t) * n_seqs * kvh), *lt = malloc(sizeof(int32_t) * nt);
	double toks = 0;
	for (int s = 0; s < n_seqs; s++)
		for (int h = 0; h < kvh; h++) {
			lens[s * kvh + h] = mode == 2 ? (int)((long long)len * (h + 1) / kvh) : len;
			toks += lens[s * kvh + h];
			for (int k = 0; k < c.bt_stride; k++)
				lt[((size_t)s * kvh + h) * c.bt_stride + k] =
					c.table_h[(size_t)s * c.bt_stride + k] * kvh + h;
		}
	int32_t *dlens = dev_from(lens, sizeof(int32_t) * (mode ? n_seqs * kvh : n_seqs));
	int32_t *dlt = dev_from(lt, sizeof(int32_t) * nt);
	size_t ws = cc_kernels_attn_decode_workspace(n_seqs, nh, hd, len);
	void *dws = dev_alloc(ws);
	cudaEvent_t e0, e1;
	GPU_OK(cudaEventCreate(&e0));
	GPU_OK(cudaEventCreate(&e1));
	float t[50], sc = 1.0f / sqrtf((float)hd);
	for (int i = 0; i < 55; i++) {
		GPU_OK(cudaEventRecord(e0, 0));
		if (mode)
			CC_OK_OR_DIE(cc_kernels_attn_decode_heads(dout, dq, &c.kv, dlt, c.bt_stride,
			                                          dlens, n_seqs, len, nh, sc, dws, 0));
		else
			CC_OK_OR_DIE(cc_kernels_attn_decode(dout, dq, &c.kv, c.table_d, c.bt_stride,
			                                    dlens, n_seqs, len, nh, sc, dws, 0));
		GPU_OK(cudaEventRecord(e1, 0));
		GPU_OK(cudaEventSynchronize(e1));
		if (i >= 5)
			GPU_OK(cudaEventElapsedTime(&t[i - 5], e0, e1));
	}
	float ms = median(t, 50);
	qsort(t, 50, sizeof(float), cmp_f);
	double bytes = (mode == 2 ? toks : (double)n_seqs * len * kvh) * hd * 2 * 2;
	double bw = bytes / (ms * 1e-3) / 1e9;
	const char *what[] = {"uniform kernel", "per-head kernel, uniform lengths",
	                      "per-head kernel, ragged lengths"};
	printf("| decode attention, %s | batch %d x %d tokens, %d q / %d kv heads, hd %d | %.1f MB "
	       "| %.3f ms (p10 %.3f, p90 %.3f) | %.0f GB/s | %.0f%% of copy |\n",
	       what[mode], n_seqs, len, nh, kvh, hd, bytes / 1e6, ms, t[5], t[44], bw,
	       100.0 * bw / copy_bw);
	free(q);
	free(lens);
	free(lt);
	cudaFree(dq);
	cudaFree(dout);
	cudaFree(dlens);
	cudaFree(dlt);
	cudaFree(dws);
	cudaEventDestroy(e0);
	cudaEventDestroy(e1);
	bcache_free(&c);
}

/* 1 while the tensor-core decode kernel is selected (cc_kernels_set_decode_tc): the label */
static int g_tc;
/* keys per warp tile of the tensor-core kernel (cc_kernels_set_decode_tc_tile), for the rows */
static int g_tile = 16;

static void bench_decode(int n_seqs, int len, int nh, int kvh, int hd, double copy_bw,
                         int unroll, int bps)
{
	cc_kernels_set_decode_unroll(unroll);
	cc_kernels_set_decode_blocks_per_sm(bps);
	bcache c;
	bcache_make(&c, n_seqs, len, kvh, hd, 16);
	uint16_t *q = malloc((size_t)n_seqs * nh * hd * 2);
	fill_bf16(q, (size_t)n_seqs * nh * hd, 1.0f);
	uint16_t *dq = dev_from(q, (size_t)n_seqs * nh * hd * 2);
	int32_t *lens = malloc(sizeof(int32_t) * n_seqs);
	for (int s = 0; s < n_seqs; s++)
		lens[s] = len;
	int32_t *dlens = dev_from(lens, sizeof(int32_t) * n_seqs);
	size_t ws = cc_kernels_attn_decode_workspace(n_seqs, nh, hd, len);
	void *dws = dev_alloc(ws);
	uint16_t *dout = dev_alloc((size_t)n_seqs * nh * hd * 2);
	cudaEvent_t e0, e1;
	GPU_OK(cudaEventCreate(&e0));
	GPU_OK(cudaEventCreate(&e1));
	float t[50];
	for (int i = 0; i < 55; i++) {
		GPU_OK(cudaEventRecord(e0, 0));
		CC_OK_OR_DIE(cc_kernels_attn_decode(dout, dq, &c.kv, c.table_d, c.bt_stride, dlens,
		                                    n_seqs, len, nh, 1.0f / sqrtf((float)hd), dws, 0));
		GPU_OK(cudaEventRecord(e1, 0));
		GPU_OK(cudaEventSynchronize(e1));
		if (i >= 5)
			GPU_OK(cudaEventElapsedTime(&t[i - 5], e0, e1));
	}
	float ms = median(t, 50);
	double bytes = (double)n_seqs * len * kvh * hd * 2 /* bf16 */ * 2 /* K and V */;
	double bw = bytes / (ms * 1e-3) / 1e9;
	char un[32];
	if (g_tc)
		snprintf(un, sizeof(un), "tensor cores, %d-key tiles", g_tile);
	else
		snprintf(un, sizeof(un), unroll ? "unroll %d" : "unroll auto", unroll);
	/* the tensor-core kernel's splits aim at whole waves: 2 unless CC_DEC_WAVES=N says N (0:
	 * blocks per SM) */
	const char *wv = getenv("CC_DEC_WAVES");
	int waves = wv && *wv ? atoi(wv) : 2;
	char sp[48];
	if (g_tc && waves > 0 && waves <= 64)
		snprintf(sp, sizeof(sp), "splits for %d whole waves", waves);
	else
		snprintf(sp, sizeof(sp), "%d blocks/SM", bps);
	printf("| decode attention (%s, %s) | batch %d x %d tokens, %d q / %d kv "
	       "heads, hd %d | %.1f MB | %.3f ms | %.0f GB/s | %.0f%% of copy |\n",
	       un, sp, n_seqs, len, nh, kvh, hd, bytes / 1e6, ms, bw, 100.0 * bw / copy_bw);
	free(q);
	free(lens);
	cudaFree(dq);
	cudaFree(dlens);
	cudaFree(dws);
	cudaFree(dout);
	cudaEventDestroy(e0);
	cudaEventDestroy(e1);
	bcache_free(&c);
}

/* the decode-sized matrix product (cc_kernels_gemv) on a real model's matrix: weight bytes
 * read per call against the copy bandwidth; m activation rows, norm prologue or not. Timed
 * over bursts of 8 back-to-back launches (per launch); four weight copies rotate so that the
 * 50 MB L2 never holds the next call's matrix. */
static void bench_gemv(const char *what, int m, int n, int k, int epi, int norm, double copy_bw)
{
	size_t wn = (size_t)n * k;
	uint16_t *hw = malloc(wn * 2);
	fill_bf16(hw, wn, 0.05f);
	uint16_t *dw[4];
	for (int i = 0; i < 4; i++)
		dw[i] = dev_from(hw, wn * 2);
	uint16_t *a = malloc((size_t)m * k * 2), nw[16384];
	fill_bf16(a, (size_t)m * k, 1.0f);
	fill_bf16(nw, (size_t)k, 1.0f);
	float *x = malloc((size_t)m * k * 4);
	for (size_t i = 0; i < (size_t)m * k; i++)
		x[i] = rng_val(1.0f);
	uint16_t *da = dev_from(a, (size_t)m * k * 2), *dnw = dev_from(nw, (size_t)k * 2);
	float *dx = dev_from(x, (size_t)m * k * 4);
	float *dout = dev_alloc((size_t)m * n * 4);
	cudaEvent_t e0, e1;
	GPU_OK(cudaEventCreate(&e0));
	GPU_OK(cudaEventCreate(&e1));
	/* bursts of 8 back-to-back launches (as in a decode step, where launches overlap) */
	float t[40];
	for (int i = 0; i < 44; i++) {
		GPU_OK(cudaEventRecord(e0, 0));
		for (int j = 0; j < 8; j++)
			CC_OK_OR_DIE(cc_kernels_gemv(dout, epi, norm ? NULL : da, dx, dnw, 1e-5f,
			                             dw[j % 4], m, n, k, 0));
		GPU_OK(cudaEventRecord(e1, 0));
		GPU_OK(cudaEventSynchronize(e1));
		if (i >= 4) {
			GPU_OK(cudaEventElapsedTime(&t[i - 4], e0, e1));
			t[i - 4] /= 8;
		}
	}
	float ms = median(t, 40);
	qsort(t, 40, sizeof(float), cmp_f);
	double bytes = (double)wn * 2, bw = bytes / (ms * 1e-3) / 1e9;
	printf("| gemv %s (m %d%s) | %d x %d | %.1f MB | %.4f ms (p10 %.4f, p90 %.4f) | %.0f GB/s | "
	       "%.0f%% of copy |\n",
	       what, m, norm ? ", norm prologue" : "", n, k, bytes / 1e6, ms, t[4], t[35], bw,
	       100.0 * bw / copy_bw);
	for (int i = 0; i < 4; i++)
		cudaFree(dw[i]);
	free(hw);
	free(a);
	free(x);
	cudaFree(da);
	cudaFree(dnw);
	cudaFree(dx);
	cudaFree(dout);
	cudaEventDestroy(e0);
	cudaEventDestroy(e1);
}

/* Issue 14 item 4, the decode step's launch fusions at batch 1 on the Llama-3.1-8B shape
 * (32 q / 8 kv heads of 128, hidden 4096), in bursts of 8 steps' worth of launches (per
 * step): the q/k/v product with RoPE and the K/V store in its epilogue (cc_kernels_gemv_rope)
 * against cc_kernels_gemv + cc_kernels_rope_qkv_freq, and the decode attention over `len`
 * tokens with its merge in the launch (counters) against the separate merge kernel. Four
 * weight copies rotate as in bench_gemv. */
static void bench_fusions(int len, double copy_bw)
{
	int nh = 32, kvh = 8, hd = 128, H = 4096, n = (nh + 2 * kvh) * hd;
	size_t wn = (size_t)n * H;
	uint16_t *hw = malloc(wn * 2), nw[4096];
	fill_bf16(hw, wn, 0.05f);
	fill_bf16(nw, H, 1.0f);
	uint16_t *dw[4];
	for (int i = 0; i < 4; i++)
		dw[i] = dev_from(hw, wn * 2);
	float *x = malloc((size_t)H * 4), freq[64];
	for (int i = 0; i < H; i++)
		x[i] = rng_val(1.0f);
	for (int i = 0; i < hd / 2; i++)
		freq[i] = powf(500000.f, -2.f * i / hd);
	bcache c;
	bcache_make(&c, 1, len, kvh, hd, 16);
	int32_t pos = len - 1, slot = c.table_h[(len - 1) / 16] * 16 + (len - 1) % 16;
	float *dx = dev_from(x, (size_t)H * 4), *dfreq = dev_from(freq, sizeof(freq));
	float *dqkv = dev_alloc((size_t)n * 4);
	uint16_t *dnw = dev_from(nw, (size_t)H * 2), *dq = dev_alloc((size_t)nh * hd * 2);
	uint16_t *dout = dev_alloc((size_t)nh * hd * 2);
	int32_t *dpos = dev_from(&pos, 4), *dslot = dev_from(&slot, 4), *dlen = dev_from(&len, 4);
	size_t ws = cc_kernels_attn_decode_workspace(1, nh, hd, len);
	void *dws = dev_alloc(ws);
	int32_t *dctr = dev_alloc(sizeof(int32_t) * nh);
	GPU_OK(cudaMemset(dctr, 0, sizeof(int32_t) * nh));
	GPU_OK(cudaMemset(dq, 0, (size_t)nh * hd * 2));
	cudaEvent_t e0, e1;
	GPU_OK(cudaEventCreate(&e0));
	GPU_OK(cudaEventCreate(&e1));
	const char *what[4] = {"q/k/v gemv + RoPE-store kernel (2 launches)",
	                       "q/k/v gemv with RoPE-store epilogue (1 launch)",
	                       "decode attention + merge kernel (2 launches)",
	                       "decode attention, merged by its last block (1 launch)"};
	float med[4];
	float sc = 1.0f / sqrtf((float)hd);
	for (int v = 0; v < 4; v++) {
		float t[40];
		for (int i = 0; i < 44; i++) {
			GPU_OK(cudaEventRecord(e0, 0));
			for (int j = 0; j < 8; j++) {
				if (v == 0) {
					CC_OK_OR_DIE(cc_kernels_gemv(dqkv, CC_GEMV_STORE, NULL, dx, dnw, 1e-5f,
					                             dw[j % 4], 1, n, H, 0));
					CC_OK_OR_DIE(cc_kernels_rope_qkv_freq(dq, &c.kv, dqkv, NULL, dpos, dslot,
					                                      1, nh, 0.f, dfreq, 0));
				} else if (v == 1) {
					CC_OK_OR_DIE(cc_kernels_gemv_rope(dq, &c.kv, NULL, dpos, dslot, nh, 0.f,
					                                  dfreq, NULL, dx, dnw, 1e-5f, dw[j % 4],
					                                  1, H, 0));
				} else {
					cc_kernels_set_decode_direct(v == 3);
					CC_OK_OR_DIE(cc_kernels_attn_decode_merged(dout, dq, &c.kv, c.table_d,
					                                           c.bt_stride, dlen, 1, len, nh,
					                                           sc, dws, dctr, 0));
				}
			}
			GPU_OK(cudaEventRecord(e1, 0));
			GPU_OK(cudaEventSynchronize(e1));
			if (i >= 4) {
				GPU_OK(cudaEventElapsedTime(&t[i - 4], e0, e1));
				t[i - 4] /= 8;
			}
		}
		cc_kernels_set_decode_direct(1);
		med[v] = median(t, 40);
		double bytes = v < 2 ? (double)wn * 2 : (double)len * kvh * hd * 2 * 2;
		double bw = bytes / (med[v] * 1e-3) / 1e9;
		printf("| %s | 8B shape, %d tokens | %.1f MB | %.4f ms (p10 %.4f, p90 %.4f) | %.0f "
		       "GB/s | %.0f%% of copy |\n",
		       what[v], len, bytes / 1e6, med[v], t[4], t[35], bw, 100.0 * bw / copy_bw);
	}
	printf("| fusion saving per layer (8B shape, %d tokens) | q/k/v + RoPE %.4f ms, attention "
	       "%.4f ms | | %.2fx, %.2fx | | |\n",
	       len, med[0] - med[1], med[2] - med[3], med[0] / med[1], med[2] / med[3]);
	for (int i = 0; i < 4; i++)
		cudaFree(dw[i]);
	free(hw);
	free(x);
	cudaFree(dx);
	cudaFree(dfreq);
	cudaFree(dqkv);
	cudaFree(dnw);
	cudaFree(dq);
	cudaFree(dout);
	cudaFree(dpos);
	cudaFree(dslot);
	cudaFree(dlen);
	cudaFree(dws);
	cudaFree(dctr);
	cudaEventDestroy(e0);
	cudaEventDestroy(e1);
	bcache_free(&c);
}

/* a chunk of n queries after `past` cached tokens; split: give the key-split workspace */
static int g_rows = 16; /* the prefill kernel's query rows per warp (label; 0: wgmma) */
static int g_hpb1 = 0;  /* one head per block forced (label) */

static void bench_prefill_chunk_rows(int past, int n, int nh, int kvh, int hd, int split)
{
	bcache c;
	bcache_make(&c, 1, past + n, kvh, hd, 16);
	uint16_t *q = malloc((size_t)n * nh * hd * 2);
	fill_bf16(q, (size_t)n * nh * hd, 1.0f);
	uint16_t *dq = dev_from(q, (size_t)n * nh * hd * 2);
	uint16_t *dout = dev_alloc((size_t)n * nh * hd * 2);
	float *dlse = dev_alloc((size_t)nh * n * 4);
	size_t wsb = split ? cc_kernels_attn_prefill_workspace(n, nh, hd, past + n) : 0;
	void *ws = wsb ? dev_alloc(wsb) : NULL;
	cudaEvent_t e0, e1;
	GPU_OK(cudaEventCreate(&e0));
	GPU_OK(cudaEventCreate(&e1));
	float t[30];
	for (int i = 0; i < 33; i++) {
		GPU_OK(cudaEventRecord(e0, 0));
		CC_OK_OR_DIE(cc_kernels_attn_prefill(dout, dlse, n, dq, &c.kv, c.table_d, past, n, nh,
		                                     1.0f / sqrtf((float)hd), ws, wsb, 0));
		GPU_OK(cudaEventRecord(e1, 0));
		GPU_OK(cudaEventSynchronize(e1));
		if (i >= 3)
			GPU_OK(cudaEventElapsedTime(&t[i - 3], e0, e1));
	}
	float ms = median(t, 30);
	/* causal QK^T and PV: query i sees past + i + 1 keys */
	double flops = 4.0 * nh * hd * ((double)n * past + (double)n * (n + 1) / 2);
	char kern[32];
	if (g_rows)
		snprintf(kern, sizeof kern, "%d rows/warp", g_rows);
	else
		snprintf(kern, sizeof kern, "wgmma");
	printf("| prefill attention%s, %s%s | %d tokens after %d cached, %d q / %d kv heads, "
	       "hd %d | %.2f GFLOP | %.3f ms | %.1f TFLOP/s | |\n",
	       wsb ? " (key split)" : "", kern, g_hpb1 ? ", 1 head/block" : "", n, past, nh, kvh, hd,
	       flops / 1e9, ms, flops / (ms * 1e-3) / 1e12);
	cudaFree(ws);
	free(q);
	cudaFree(dq);
	cudaFree(dout);
	cudaFree(dlse);
	cudaEventDestroy(e0);
	cudaEventDestroy(e1);
	bcache_free(&c);
}

/* one prefill layer of the Llama-3.1-8B shape (hidden 4096, 32 / 8 heads, hd 128, inter
 * 14336) at n tokens, in the engine's order (engine/engine_cuda.c, uniform bf16 layer), each
 * launch timed alone (median of 20) and the whole layer in sequence: where a prefill's time
 * goes, without a profiler on the device machine. Random weights and inputs. */
/* one 8B prefill layer's buffers, weights and cache (bench_prefill_layer) */
typedef struct {
	uint16_t *xn, *q, *att, *gu, *act;      /* bf16 activations */
	float *x, *qkv;                         /* f32 residual stream, q/k/v product */
	uint16_t *nw, *wqkv, *wo, *wgu, *wdown; /* norm weight, projections */
	const cc_kernels_kv *kv;
	int32_t *pos, *dst, *table; /* positions, destination slots, block table (device) */
	void *ws, *blas;
	size_t ws_bytes;
	int n;
	cudaStream_t st; /* 0, or the stream a graph is captured on */
} layer_bufs;

/* launch step k (0-8) of the layer, in the engine's order */
static void layer_step(const layer_bufs *b, int k)
{
	int n = b->n;
	switch (k) {
	case 0: CC_OK_OR_DIE(cc_kernels_rmsnorm(b->xn, b->x, b->nw, n, 4096, 1e-5f, b->st)); break;
	case 1:
		CC_OK_OR_DIE(cc_kernels_gemm_bf16out(b->blas, (uint16_t *)b->qkv, b->xn, b->wqkv, n,
		                                     6144, 4096, b->st));
		break;
	case 2:
		CC_OK_OR_DIE(cc_kernels_rope_qkv16(b->q, b->kv, (const uint16_t *)b->qkv, NULL, b->pos,
		                                   b->dst, n, 32, 500000.f, NULL, 0, b->st));
		break;
	case 3:
		CC_OK_OR_DIE(cc_kernels_attn_prefill(b->att, NULL, n, b->q, b->kv, b->table, 0, n, 32,
		                                     0.08838834764f, b->ws, b->ws_bytes, b->st));
		break;
	case 4: CC_OK_OR_DIE(cc_kernels_gemm(b->blas, b->x, b->att, b->wo, n, 4096, 4096, 1, b->st)); break;
	case 5: CC_OK_OR_DIE(cc_kernels_rmsnorm(b->xn, b->x, b->nw, n, 4096, 1e-5f, b->st)); break;
	case 6:
		CC_OK_OR_DIE(cc_kernels_gemm_bf16out(b->blas, b->gu, b->xn, b->wgu, n, 28672, 4096, b->st));
		break;
	case 7: CC_OK_OR_DIE(cc_kernels_swiglu_bf16(b->act, b->gu, n, 14336, b->st)); break;
	default:
		CC_OK_OR_DIE(cc_kernels_gemm(b->blas, b->x, b->act, b->wdown, n, 4096, 14336, 1, b->st));
		break;
	}
}

/* median ms of step k of the layer (-1: all nine in sequence) over 20 runs after 3 */
static float time_ms(cudaEvent_t e0, cudaEvent_t e1, int step, const layer_bufs *b)
{
	float t[20];
	for (int i = 0; i < 23; i++) {
		GPU_OK(cudaEventRecord(e0, 0));
		int s0 = step < 0 ? 0 : step, s1 = step < 0 ? 8 : step;
		for (int k = s0; k <= s1; k++)
			layer_step(b, k);
		GPU_OK(cudaEventRecord(e1, 0));
		GPU_OK(cudaEventSynchronize(e1));
		if (i >= 3)
			GPU_OK(cudaEventElapsedTime(&t[i - 3], e0, e1));
	}
	return median(t, 20);
}

static void bench_prefill_layer(int n)
{
	const int H = 4096, QKV = 6144, I = 14336;
	bcache c;
	bcache_make(&c, 1, n, 8, 128, 16);
	size_t wn[4] = {(size_t)QKV * H, (size_t)H * H, (size_t)2 * I * H, (size_t)H * I};
	uint16_t *w[4];
	size_t most = wn[2];
	uint16_t *h = malloc(most * 2);
	for (int i = 0; i < 4; i++) {
		fill_bf16(h, wn[i], 0.02f);
		w[i] = dev_from(h, wn[i] * 2);
	}
	fill_bf16(h, H, 1.0f);
	uint16_t *nw = dev_from(h, H * 2);
	float *xh = malloc((size_t)n * H * 4);
	for (size_t i = 0; i < (size_t)n * H; i++)
		xh[i] = (float)((int)(rng_next() % 2001) - 1000) / 1000.f;
	float *x = dev_from(xh, (size_t)n * H * 4);
	free(xh);
	free(h);
	int32_t *ph = malloc(sizeof(int32_t) * 2 * n);
	for (int t = 0; t < n; t++) {
		ph[t] = t;
		ph[n + t] = c.table_h[t / 16] * 16 + t % 16;
	}
	int32_t *pos = dev_from(ph, sizeof(int32_t) * 2 * n);
	free(ph);
	uint16_t *xn = dev_alloc((size_t)n * H * 2), *q = dev_alloc((size_t)n * H * 2);
	uint16_t *att = dev_alloc((size_t)n * H * 2), *gu = dev_alloc((size_t)n * 2 * I * 2);
	uint16_t *act = dev_alloc((size_t)n * I * 2);
	float *qkv = dev_alloc((size_t)n * QKV * 4);
	size_t wsb = cc_kernels_attn_prefill_workspace(n, 32, 128, n);
	void *ws = wsb ? dev_alloc(wsb) : NULL;
	void *blas;
	CC_OK_OR_DIE(cc_kernels_blas_new(&blas));
	layer_bufs lb = {xn, q, att, gu, act, x, qkv, nw, w[0], w[1], w[2], w[3], &c.kv,
	                 pos, pos + n, c.table_d, ws, blas, wsb, n, 0};
	cudaEvent_t e0, e1;
	GPU_OK(cudaEventCreate(&e0));
	GPU_OK(cudaEventCreate(&e1));
	static const char *name[9] = {"RMSNorm", "q/k/v product (bf16 out)", "RoPE + K/V store",
	                              "attention", "o product (+= residual)", "RMSNorm",
	                              "gate/up product (bf16 out)", "SwiGLU",
	                              "down product (+= residual)"};
	double n_ = n;
	double fl[9] = {0, 2 * n_ * H * QKV, 0, 4.0 * 32 * 128 * (n_ * (n_ + 1) / 2), 2 * n_ * H * H,
	                0, 2 * n_ * H * 2 * I, 0, 2 * n_ * I * H};
	float ms[9], sum = 0.f;
	for (int k = 0; k < 9; k++) {
		ms[k] = time_ms(e0, e1, k, &lb);
		sum += ms[k];
	}
	/* the layer in sequence is what `ncu --profile-from-start off` sees of this program:
	 * each launch's time in sequence, against the launches alone above */
	cudaProfilerStart();
	float all = time_ms(e0, e1, -1, &lb);
	cudaProfilerStop();
	/* 8 layers back to back (no wait between them): what a prefill's layers do */
	float b2b[5];
	for (int r = 0; r < 5; r++) {
		GPU_OK(cudaEventRecord(e0, 0));
		for (int l = 0; l < 8; l++)
			for (int k = 0; k < 9; k++)
				layer_step(&lb, k);
		GPU_OK(cudaEventRecord(e1, 0));
		GPU_OK(cudaEventSynchronize(e1));
		GPU_OK(cudaEventElapsedTime(&b2b[r], e0, e1));
		b2b[r] /= 8.f;
	}
	float back = median(b2b, 5);
	/* the same 8 layers captured as one CUDA graph and replayed: what launching costs */
	float gms = -1.f;
	{
		cudaStream_t gs;
		cudaGraph_t g = NULL;
		cudaGraphExec_t ge = NULL;
		GPU_OK(cudaStreamCreateWithFlags(&gs, cudaStreamNonBlocking));
		layer_bufs lg = lb;
		lg.st = gs;
		layer_step(&lg, 1); /* cuBLAS's first call on this stream outside the capture */
		GPU_OK(cudaStreamSynchronize(gs));
		if (cudaStreamBeginCapture(gs, cudaStreamCaptureModeThreadLocal) == cudaSuccess) {
			for (int l = 0; l < 8; l++)
				for (int k = 0; k < 9; k++)
					layer_step(&lg, k);
			if (cudaStreamEndCapture(gs, &g) != cudaSuccess ||
			    cudaGraphInstantiate(&ge, g, 0) != cudaSuccess)
				ge = NULL;
		}
		cudaGetLastError();
		if (ge) {
			float gt[5];
			GPU_OK(cudaGraphLaunch(ge, gs));
			for (int r = 0; r < 5; r++) {
				GPU_OK(cudaEventRecord(e0, gs));
				GPU_OK(cudaGraphLaunch(ge, gs));
				GPU_OK(cudaEventRecord(e1, gs));
				GPU_OK(cudaEventSynchronize(e1));
				GPU_OK(cudaEventElapsedTime(&gt[r], e0, e1));
				gt[r] /= 8.f;
			}
			gms = median(gt, 5);
			cudaGraphExecDestroy(ge);
		}
		if (g)
			cudaGraphDestroy(g);
		cudaStreamDestroy(gs);
	}
	double gemm_fl = fl[1] + fl[4] + fl[6] + fl[8];
	float gemm_ms = ms[1] + ms[4] + ms[6] + ms[8];
	printf("\n| one prefill layer, Llama-3.1-8B shape, %d tokens | median | share | TFLOP/s |\n"
	       "| --- | --- | --- | --- |\n",
	       n);
	for (int k = 0; k < 9; k++) {
		char r[32] = "";
		if (fl[k] > 0)
			snprintf(r, sizeof r, "%.1f", fl[k] / (ms[k] * 1e-3) / 1e12);
		printf("| %s | %.3f ms | %.1f%% | %s |\n", name[k], ms[k], 100.f * ms[k] / sum, r);
	}
	printf("| the four products | %.3f ms | %.1f%% | %.1f |\n", gemm_ms, 100.f * gemm_ms / sum,
	       gemm_fl / (gemm_ms * 1e-3) / 1e12);
	printf("| sum of the launches alone | %.3f ms | | |\n", sum);
	printf("| the layer in sequence | %.3f ms (x 32 layers = %.1f ms) | | %.1f |\n", all,
	       32 * all, (gemm_fl + fl[3]) / (all * 1e-3) / 1e12);
	printf("| 8 layers back to back, per layer (median of 5) | %.3f ms (x 32 = %.1f ms) | | %.1f "
	       "|\n",
	       back, 32 * back, (gemm_fl + fl[3]) / (back * 1e-3) / 1e12);
	if (gms > 0.f)
		printf("| 8 layers as one CUDA graph, per layer (median of 5) | %.3f ms (x 32 = %.1f ms) "
		       "| | %.1f |\n\n",
		       gms, 32 * gms, (gemm_fl + fl[3]) / (gms * 1e-3) / 1e12);
	else
		printf("| 8 layers as one CUDA graph | capture failed | | |\n\n");
	cc_kernels_blas_free(blas);
	cudaEventDestroy(e0);
	cudaEventDestroy(e1);
	void *fr[] = {w[0], w[1], w[2], w[3], nw, x, pos, xn, q, att, gu, act, qkv, ws};
	for (size_t i = 0; i < sizeof fr / sizeof fr[0]; i++)
		cudaFree(fr[i]);
	bcache_free(&c);
}

/* both prefill kernels (cc_kernels_set_prefill_rows), 16 rows per warp first, with the
 * default heads per block; then 32 rows with one head per block where the default differs */
static void bench_prefill_chunk(int past, int n, int nh, int kvh, int hd, int split)
{
	cc_kernels_set_prefill_wgmma(0);
	for (g_rows = 16; g_rows <= 32; g_rows += 16) {
		cc_kernels_set_prefill_rows(g_rows);
		bench_prefill_chunk_rows(past, n, nh, kvh, hd, split);
	}
	if (hd == 128) {
		g_rows = 0; /* label: the wgmma kernel */
		cc_kernels_set_prefill_wgmma(1);
		bench_prefill_chunk_rows(past, n, nh, kvh, hd, split);
	}
	cc_kernels_set_prefill_wgmma(0);
	if ((nh / kvh) % 2 == 0) {
		g_rows = 32; /* (the loop left it past 32) */
		g_hpb1 = 1;
		cc_kernels_set_prefill_heads_per_block(1);
		bench_prefill_chunk_rows(past, n, nh, kvh, hd, split);
		cc_kernels_set_prefill_heads_per_block(0);
		g_hpb1 = 0;
	}
	cc_kernels_set_prefill_wgmma(-1);
	cc_kernels_set_prefill_rows(0);
}

int main(void)
{
	if (cc_kernels_device_count() == 0) {
		fprintf(stderr, "gpu_attn: no CUDA device\n");
		return 77;
	}
	rng_seed(seed_from_env());
	struct cudaDeviceProp p;
	GPU_OK(cudaGetDeviceProperties(&p, 0));
	size_t cb = (size_t)1 << 30;
	float cms = copy_ms(cb);
	double copy_bw = 2.0 * cb / (cms * 1e-3) / 1e9;
	printf("device: %s, %d SMs\n\n", p.name, p.multiProcessorCount);
	printf("| kernel | shape | bytes / work | median | rate | vs copy |\n");
	printf("| --- | --- | --- | --- | --- | --- |\n");
	printf("| device copy (D2D, read+write) | 1 GiB | %.0f MB | %.3f ms | %.0f GB/s | 100%% |\n",
	       2.0 * cb / 1e6, cms, copy_bw);
	/* GPU_ATTN_PREFILL_ONLY=1: the copy and the prefill rows alone (a short call) */
	const char *po = getenv("GPU_ATTN_PREFILL_ONLY");
	if (po && !strcmp(po, "1"))
		goto prefill;
	/* GPU_ATTN_GEMV_ONLY=1: the copy and the matrix-vector figures alone (a short call) */
	const char *go = getenv("GPU_ATTN_GEMV_ONLY");
	if (go && !strcmp(go, "1")) {
		for (int pdl = 1; pdl >= 0; pdl--) {
			cc_kernels_set_gemv_pdl(pdl);
			bench_gemv(pdl ? "QKV" : "QKV (no PDL)", 1, 6144, 4096, CC_GEMV_STORE, 1, copy_bw);
			bench_gemv(pdl ? "O" : "O (no PDL)", 1, 4096, 4096, CC_GEMV_ADD, 0, copy_bw);
		}
		cc_kernels_set_gemv_pdl(1);
		bench_gemv("gate/up + SwiGLU", 1, 28672, 4096, CC_GEMV_SWIGLU, 1, copy_bw);
		bench_gemv("down", 1, 4096, 14336, CC_GEMV_ADD, 0, copy_bw);
		bench_gemv("lm_head", 1, 128256, 4096, CC_GEMV_STORE, 1, copy_bw);
		bench_gemv("down", 4, 4096, 14336, CC_GEMV_ADD, 0, copy_bw);
		bench_fusions(768, copy_bw); /* gpu_engine's decode: 512 + 256 tokens */
		bench_fusions(64, copy_bw);  /* one split */
		return 0;
	}
	/* GPU_ATTN_TC_ONE=1: the copy and the tensor-core decode kernel at batch 8 x 32K, 32 q / 8
	 * kv heads, hd 128, twice (a profiler's target: a few launches, nothing else) */
	const char *t1 = getenv("GPU_ATTN_TC_ONE");
	if (t1 && !strcmp(t1, "1")) {
		cc_kernels_set_decode_tc(1);
		g_tc = 1;
		/* GPU_ATTN_TC_TILE=16|32: that tile size alone */
		const char *tt = getenv("GPU_ATTN_TC_TILE");
		for (int tile = 16; tile <= 32; tile += 16) {
			if (tt && *tt && atoi(tt) != tile)
				continue;
			cc_kernels_set_decode_tc_tile(tile);
			g_tile = tile;
			for (int rep = 0; rep < 2; rep++)
				bench_decode(8, 32768, 32, 8, 128, copy_bw, 0, 4);
		}
		cc_kernels_set_decode_tc_tile(16);
		g_tile = 16;
		return 0;
	}
	/* the scalar kernel first (the default picks by GQA group), each twice (fresh random page
	 * layout each time: the spread) */
	cc_kernels_set_decode_tc(0);
	for (int rep = 0; rep < 2; rep++) {
		bench_decode(8, 32768, 6, 2, 64, copy_bw, 0, 4); /* pycode-16m shape */
		bench_decode(16, 32768, 6, 2, 64, copy_bw, 0, 4);
		bench_decode(8, 32768, 32, 8, 128, copy_bw, 0, 4); /* Llama-3-8B-like shape */
	}
	/* one sequence (decode at batch 1) over 32K and 128K tokens, Llama-3.1-8B heads */
	bench_decode(1, 32768, 32, 8, 128, copy_bw, 0, 4);
	bench_decode(1, 131072, 32, 8, 128, copy_bw, 0, 4);
	bench_decode(8, 32768, 28, 4, 128, copy_bw, 0, 4); /* Qwen2.5-Coder-7B heads */
	bench_decode(8, 32768, 40, 8, 128, copy_bw, 0, 4); /* 14B / 32B: group 5 */
	bench_decode(8, 32768, 12, 2, 128, copy_bw, 0, 4); /* 1.5B: group 6 */
	for (int bps = 2; bps <= 8; bps *= 2)
		if (bps != 4) {
			bench_decode(8, 32768, 28, 4, 128, copy_bw, 0, bps);
			bench_decode(8, 32768, 40, 8, 128, copy_bw, 0, bps);
			bench_decode(1, 131072, 32, 8, 128, copy_bw, 0, bps);
		}
	/* the tensor-core kernel on the same shapes, then its split count */
	cc_kernels_set_decode_tc(1);
	g_tc = 1;
	for (int rep = 0; rep < 2; rep++) {
		bench_decode(8, 32768, 6, 2, 64, copy_bw, 0, 4);
		bench_decode(16, 32768, 6, 2, 64, copy_bw, 0, 4);
		bench_decode(8, 32768, 32, 8, 128, copy_bw, 0, 4);
	}
	bench_decode(1, 32768, 32, 8, 128, copy_bw, 0, 4);
	bench_decode(1, 131072, 32, 8, 128, copy_bw, 0, 4);
	bench_decode(8, 32768, 28, 4, 128, copy_bw, 0, 4);
	bench_decode(8, 32768, 40, 8, 128, copy_bw, 0, 4);
	bench_decode(8, 32768, 12, 2, 128, copy_bw, 0, 4);
	for (int bps = 1; bps <= 8; bps *= 2) {
		bench_decode(8, 32768, 32, 8, 128, copy_bw, 0, bps);
		bench_decode(1, 131072, 32, 8, 128, copy_bw, 0, bps);
		if (bps != 4) {
			bench_decode(8, 32768, 28, 4, 128, copy_bw, 0, bps);
			bench_decode(8, 32768, 40, 8, 128, copy_bw, 0, bps);
		}
	}
	/* 32-key warp tiles (the default is 16): one block per SM at head_dim 128 */
	cc_kernels_set_decode_tc_tile(32);
	g_tile = 32;
	for (int bps = 2; bps <= 8; bps *= 2) {
		bench_decode(8, 32768, 32, 8, 128, copy_bw, 0, bps);
		bench_decode(1, 131072, 32, 8, 128, copy_bw, 0, bps);
		bench_decode(8, 32768, 28, 4, 128, copy_bw, 0, bps);
		bench_decode(8, 32768, 40, 8, 128, copy_bw, 0, bps);
	}
	bench_decode(8, 32768, 6, 2, 64, copy_bw, 0, 4);
	bench_decode(1, 32768, 32, 8, 128, copy_bw, 0, 4);
	cc_kernels_set_decode_tc_tile(16);
	g_tile = 16;
	cc_kernels_set_decode_tc(0);
	g_tc = 0;
	cc_kernels_set_decode_blocks_per_sm(0);
	/* GPU_ATTN_DECODE_ONLY=1: the copy and the decode attention rows above alone (a short call) */
	const char *dco = getenv("GPU_ATTN_DECODE_ONLY");
	if (dco && !strcmp(dco, "1"))
		return 0;
	/* GPU_ATTN_DECODE_ONLY=prefill: those rows and the prefill rows below */
	int prefill_too = dco && !strcmp(dco, "prefill");
	if (prefill_too)
		goto prefill;
	/* the decode step's matrix products on the Llama-3.1-8B shape */
	bench_gemv("QKV", 1, 6144, 4096, CC_GEMV_STORE, 1, copy_bw);
	bench_gemv("O", 1, 4096, 4096, CC_GEMV_ADD, 0, copy_bw);
	bench_gemv("gate/up + SwiGLU", 1, 28672, 4096, CC_GEMV_SWIGLU, 1, copy_bw);
	bench_gemv("down", 1, 4096, 14336, CC_GEMV_ADD, 0, copy_bw);
	bench_gemv("lm_head", 1, 128256, 4096, CC_GEMV_STORE, 1, copy_bw);
	bench_gemv("down", 4, 4096, 14336, CC_GEMV_ADD, 0, copy_bw);
	/* the decode step's launch fusions (issue 14 item 4) */
	bench_fusions(768, copy_bw);
	bench_fusions(64, copy_bw);
	bench_fusions(32768, copy_bw);
	/* variants: loads in flight (unroll) and split count (blocks per SM) */
	int var[][2] = {{4, 2}, {4, 8}, {8, 4}, {8, 8}};
	for (int v = 0; v < 4; v++) {
		bench_decode(8, 32768, 6, 2, 64, copy_bw, var[v][0], var[v][1]);
		bench_decode(8, 32768, 32, 8, 128, copy_bw, var[v][0], var[v][1]);
	}
	cc_kernels_set_decode_unroll(0);
	cc_kernels_set_decode_blocks_per_sm(0);
	/* ragged layers: the per-head kernel against the uniform one on the same cache, twice */
	for (int rep = 0; rep < 2; rep++)
		for (int mode = 0; mode < 3; mode++) {
			bench_decode_heads(8, 32768, 6, 2, 64, copy_bw, mode);
			bench_decode_heads(8, 32768, 32, 8, 128, copy_bw, mode);
		}
prefill:
	bench_prefill_layer(4096);
	bench_prefill_chunk(0, 2048, 6, 2, 64, 1);
	bench_prefill_chunk(0, 4096, 6, 2, 64, 1);
	bench_prefill_chunk(0, 4096, 32, 8, 128, 1);
	bench_prefill_chunk(2048, 2048, 32, 8, 128, 1); /* the second chunk of a 4K prefill */
	bench_prefill_chunk(0, 4096, 28, 4, 128, 1);    /* Qwen2.5-Coder-7B heads */
	/* the engine's default 256-token chunks, late in a 4K context: with and without split */
	bench_prefill_chunk(3840, 256, 6, 2, 64, 0);
	bench_prefill_chunk(3840, 256, 6, 2, 64, 1);
	return 0;
}
