/*
 * gpu_throughput.c - what compression buys on one GPU (issue 14, bench/results/
 * throughput.md): for a checkpoint (the Llama-3.1-8B shape with random weights, made by
 * bench/make_shape_ckpt.py), contexts of CTX tokens, the full cache against codecomp at
 * budgets 20% and 10%:
 *   - prefill + compress time of one CTX-token context (cc_session_prefill, then
 *     cc_compress_session with codecomp; median of 2, plus a warm-up),
 *   - how many such sequences fit in the device memory left after the weights (one shared
 *     cc_engine_pool over all of it but a reserve for activations), keeping room for one more
 *     full CTX-token prefill (a compressed sequence is prefilled whole before it is
 *     compressed) and for every sequence to decode STEPS tokens,
 *   - decode of all of them in one batch (cc_batch_decode): ms per step and aggregate
 *     tokens/s, median and range over STEPS steps, with the logits left on the device, the
 *     same with every row's logits copied to the host (what a sampler on the host needs),
 *     and with the rows' greedy choices made on the device (cc_batch_decode_greedy: what
 *     the agent's decode loop runs when every request in flight is greedy).
 * All measured in one run. The sequences of the decode measurement after the first two are
 * prefilled with exactly the tokens a compressed sequence keeps per layer and KV head
 * (ceil(b x CTX)): the same cache shape, so the same decode cost, without spending minutes
 * on hundreds of long prefills; the first two are real CTX-token prefills compressed by
 * codecomp. Random weights and random ids: the figures are about memory and speed, never
 * about which tokens are kept (the prior handed to codecomp is a fixed pseudo-random one).
 *   usage: gpu_throughput MODEL_DIR [--ctx N] [--steps N] [--budgets 1,0.2,0.1]
 *                         [--reserve-gib G] [--max-seqs N]
 * Prints a markdown table.
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"

#include <cuda_runtime_api.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

#define DIE(...)                                                 \
	do {                                                     \
		fprintf(stderr, "gpu_throughput: " __VA_ARGS__); \
		fprintf(stderr, ": %s\n", cc_error_last());      \
		exit(1);                                         \
	} while (0)

static uint64_t rng = 0x1234567;

static uint32_t next_u32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

int main(int argc, char **argv)
{
	size_t ctx = 32768, steps = 16, max_seqs = 2048;
	double reserve_gib = 6, budgets[8] = {1, 0.2, 0.1};
	int nb = 3;
	if (argc < 2) {
		fprintf(stderr, "usage: gpu_throughput MODEL_DIR [--ctx N] [--steps N] [--budgets "
		                "1,0.2,0.1] [--reserve-gib G] [--max-seqs N]\n");
		return 2;
	}
	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--ctx"))
			ctx = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--steps"))
			steps = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--reserve-gib"))
			reserve_gib = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--max-seqs"))
			max_seqs = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--budgets")) {
			char *p = argv[i + 1];
			nb = 0;
			while (*p && nb < 8) {
				budgets[nb++] = strtod(p, &p);
				if (*p == ',')
					p++;
			}
		} else {
			fprintf(stderr, "gpu_throughput: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (ctx < 256 || steps < 2 || nb < 1)
		DIE("bad options");

	cc_model *m = NULL;
	cc_model_opts mo = {CC_DEVICE_CUDA, 0};
	double t0 = cc_now();
	if (cc_model_load(&m, argv[1], &mo))
		DIE("load %s", argv[1]);
	cc_model_info info;
	cc_model_info_get(&info, m);
	fprintf(stderr,
	        "loaded in %.1f s: %d layers, hidden %d, %d/%d heads, head_dim %d, vocab %d, "
	        "%.2f B parameters\n",
	        cc_now() - t0, info.n_layers, info.hidden, info.n_heads,
	        info.n_kv_heads, info.head_dim, info.vocab, info.n_params / 1e9);

	/* one pool over the free device memory but the reserve */
	size_t free_b = 0, total_b = 0;
	cudaMemGetInfo(&free_b, &total_b);
	size_t tok_bytes = (size_t)info.n_layers * 2 * info.n_kv_heads * info.head_dim * 2;
	double reserve = reserve_gib * 1073741824.0;
	if ((double)free_b < reserve + (double)tok_bytes * ctx)
		DIE("not enough device memory (%zu free)", free_b);
	size_t pool_tokens = (size_t)(((double)free_b - reserve) / (double)tok_bytes) / 16 * 16;
	cc_engine_pool *pool = NULL;
	cc_engine_pool_opts po = {pool_tokens, 16, 0, 0};
	if (cc_engine_pool_new(&pool, m, &po))
		DIE("pool of %zu tokens", pool_tokens);
	printf("model %s: %d layers, %d/%d heads, head_dim %d; KV %zu bytes per token; device %.1f "
	       "GiB, %.1f GiB free after the weights, pool %zu tokens (%.1f GiB), reserve %.1f GiB; "
	       "contexts of %zu tokens\n\n",
	       argv[1], info.n_layers, info.n_heads, info.n_kv_heads, info.head_dim, tok_bytes,
	       total_b / 1073741824.0, free_b / 1073741824.0, pool_tokens,
	       pool_tokens * (double)tok_bytes / 1073741824.0, reserve_gib, ctx);
	printf("| cache | kept tokens per sequence | sequences that fit | prefill + compress of "
	       "one context | decode ms/step (median, range) | aggregate decode tokens/s | with "
	       "host logits: ms/step, tokens/s | greedy on the device: ms/step, tokens/s |\n| --- | "
	       "--- | --- | --- | --- | --- | --- | --- |\n");
	fflush(stdout);

	int32_t *ids = malloc(ctx * sizeof(int32_t));
	float *prior = malloc(ctx * sizeof(float));
	cc_session **ss = calloc(max_seqs, sizeof(cc_session *));
	int32_t *tok = malloc(max_seqs * sizeof(int32_t));
	float *host_logits = NULL;
	int32_t *next_ids = NULL;
	double *ts = malloc((steps + 8) * sizeof(double));
	if (!ids || !prior || !ss || !tok || !ts)
		DIE("out of memory");
	for (size_t i = 0; i < ctx; i++) {
		ids[i] = (int32_t)(next_u32() % (uint32_t)info.vocab);
		prior[i] = (float)(next_u32() % 1000) / 1000.0f;
	}
	cc_batch *bt = NULL;
	if (cc_batch_new(&bt, m))
		DIE("batch");

	for (int bi = 0; bi < nb; bi++) {
		double b = budgets[bi];
		cc_compress_opts co;
		cc_compress_opts_default(&co, CC_POLICY_CODECOMP, b < 1 ? b : 1);
		size_t kept = b < 1 ? cc_compress_keep_count(&co, ctx) : ctx;
		cc_session_opts so = {0};
		so.pool = pool;
		size_t n = 0;
		double pc[3] = {0, 0, 0};
		/* real contexts: warm-up + 2 timed, each prefilled whole then compressed */
		for (int r = 0; r < 3 && n < max_seqs; r++) {
			cc_session *s = NULL;
			if (cc_session_new(&s, m, &so))
				DIE("session");
			double t1 = cc_now();
			if (cc_session_prefill(s, ids, ctx, NULL))
				DIE("prefill %zu", ctx);
			if (b < 1) {
				cc_compress_stats st;
				if (cc_compress_session(s, &co, ctx, prior, NULL, NULL, &st))
					DIE("compress");
			}
			pc[r] = cc_now() - t1;
			cc_session_trim(s);
			if (r == 0) {
				cc_session_free(s); /* the warm-up */
				continue;
			}
			ss[n++] = s;
		}
		double pc_med = (pc[1] + pc[2]) / 2;
		/* fill: sequences of `kept` tokens while one more full prefill and every
		 * sequence's STEPS decode tokens still fit */
		for (;;) {
			cc_kv_pool_stats ps;
			cc_engine_pool_stats(&ps, pool);
			size_t free_tok = (ps.n_blocks - ps.blocks_used) / (size_t)info.n_layers * 16;
			size_t dec_room = (n + 1) * ((steps + 4 + 15) / 16 + 1) * 16;
			size_t transient = ctx > kept ? ctx - kept : 0;
			if (n >= max_seqs || free_tok < kept + 16 + transient + dec_room)
				break;
			cc_session *s = NULL;
			if (cc_session_new(&s, m, &so))
				DIE("session %zu", n);
			if (cc_session_prefill(s, ids + (ctx - kept), kept, NULL))
				DIE("prefill of sequence %zu (%zu tokens)", n, kept);
			cc_session_trim(s);
			ss[n++] = s;
			if (isatty(2) && n % 16 == 0)
				fprintf(stderr, "\r%.0f%%: %zu sequences", b * 100, n);
		}
		if (isatty(2))
			fprintf(stderr, "\n");
		for (size_t i = 0; i < n; i++)
			tok[i] = (int32_t)(next_u32() % (uint32_t)info.vocab);
		/* decode: 2 warm-up steps, then STEPS timed, logits on the device */
		for (size_t st = 0; st < steps + 2; st++) {
			double t1 = cc_now();
			if (cc_batch_decode(bt, ss, tok, n, NULL))
				DIE("batch decode of %zu", n);
			if (st >= 2)
				ts[st - 2] = cc_now() - t1;
		}
		qsort(ts, steps, sizeof(double), cmp_d);
		double med = ts[steps / 2], lo = ts[0], hi = ts[steps - 1];
		/* and with every row's logits copied to the host (what a sampler on the host needs) */
		host_logits = realloc(host_logits, n * (size_t)info.vocab * sizeof(float));
		double th[4];
		for (int st = 0; st < 4; st++) {
			double t1 = cc_now();
			if (cc_batch_decode(bt, ss, tok, n, host_logits))
				DIE("batch decode with logits");
			th[st] = cc_now() - t1;
		}
		qsort(th, 4, sizeof(double), cmp_d);
		double hmed = (th[1] + th[2]) / 2;
		/* and with the greedy choices made on the device (n ids back) */
		next_ids = realloc(next_ids, n * sizeof(int32_t));
		for (int st = 0; st < 4; st++) {
			double t1 = cc_now();
			if (cc_batch_decode_greedy(bt, ss, tok, n, 0, next_ids))
				DIE("batch decode greedy");
			th[st] = cc_now() - t1;
		}
		qsort(th, 4, sizeof(double), cmp_d);
		double gmed = (th[1] + th[2]) / 2;
		cc_kv_pool_stats ps;
		cc_engine_pool_stats(&ps, pool);
		char label[64];
		if (b < 1)
			snprintf(label, sizeof(label), "codecomp %.0f%%", b * 100);
		else
			snprintf(label, sizeof(label), "full");
		printf("| %s | %zu | %zu (%.1f GiB of KV in use) | %.2f s | %.2f (%.2f-%.2f) | %.0f | "
		       "%.2f, %.0f | %.2f, %.0f |\n",
		       label, kept, n, ps.bytes_used / 1073741824.0, pc_med, med * 1e3, lo * 1e3,
		       hi * 1e3, n / med, hmed * 1e3, n / hmed, gmed * 1e3, n / gmed);
		fflush(stdout);
		for (size_t i = 0; i < n; i++) {
			cc_session_free(ss[i]);
			ss[i] = NULL;
		}
	}
	cc_batch_free(bt);
	cc_engine_pool_free(pool);
	cc_model_free(m);
	free(ids);
	free(prior);
	free(ss);
	free(tok);
	free(ts);
	free(host_logits);
	free(next_ids);
	return 0;
}
