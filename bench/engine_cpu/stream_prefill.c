/*
 * stream_prefill.c - compressing as the chunked prefill goes (issue 14, item 5) against
 * prefill-then-compress, on the CPU engine: peak KV bytes and quality.
 *
 * For each sample (a Python standard-library file: its first T tokens are the context, the
 * next M tokens the continuation scored), with SnapKV's selection (cc_compress_session,
 * policy snapkv: attention of the last 64 prefilled tokens) at budget b:
 *   full     prefill the T tokens, score the continuation (teacher forced);
 *   oneshot  prefill the T tokens, compress to ceil(b T) per layer and KV head, score;
 *   stream   prefill chunks of C tokens; after each chunk compress the cache to ceil(b t)
 *            tokens (t = context tokens so far), the chunk's own last 64 tokens being the
 *            observation window that decides what earlier chunks keep; score.
 * Figures: the peak of the pool's bytes in use during the prefill (exact, cc_cache_stats),
 * and the mean over samples of ΔNLL = mean NLL of the continuation (its tokens 2..M) minus
 * the full cache's, with its standard error over samples.
 *   usage: bench_stream_prefill MODEL_DIR [--T 3072] [--M 256] [--chunk 512]
 *          [--budgets 0.2,0.1] FILE...
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"
#include "cc_tokenizer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIE(...)                                                       \
	do {                                                           \
		fprintf(stderr, "bench_stream_prefill: " __VA_ARGS__); \
		fprintf(stderr, ": %s\n", cc_error_last());            \
		exit(1);                                               \
	} while (0)

enum {
	MODE_FULL,
	MODE_ONESHOT,
	MODE_STREAM
};

typedef struct {
	double nll;  /* mean NLL of the continuation's tokens 2..M */
	size_t peak; /* peak bytes in use during the prefill */
	size_t kept; /* context tokens kept per layer and KV head (layer 0) */
} run_out;

static size_t bytes_used(const cc_session *s)
{
	cc_cache_stats st;
	cc_session_cache_stats(&st, s);
	return st.bytes_used;
}

static void compress_to(cc_session *s, size_t target)
{
	size_t len = cc_kv_seq_len(cc_session_kv(s), 0);
	if (len <= target)
		return;
	cc_compress_opts o;
	/* the budget that keeps `target` of `len`; a hair below, so that the ceiling cannot
	 * round up past the target */
	cc_compress_opts_default(&o, CC_POLICY_SNAPKV, ((double)target - 0.5) / (double)len);
	if (cc_compress_session(s, &o, len, NULL, NULL, NULL, NULL))
		DIE("compress %zu -> %zu", len, target);
}

static run_out run(cc_model *m, const int32_t *ids, size_t T, size_t M, size_t chunk,
                   double b, int mode)
{
	cc_session *s = NULL;
	cc_session_opts so = {0};
	run_out r = {0, 0, 0};
	so.max_tokens = T + M + 16;
	if (cc_session_new(&s, m, &so))
		DIE("session");
	size_t step = mode == MODE_STREAM ? chunk : T;
	for (size_t c0 = 0; c0 < T; c0 += step) {
		size_t cn = T - c0 < step ? T - c0 : step;
		if (cc_session_prefill(s, ids + c0, cn, NULL))
			DIE("prefill");
		if (bytes_used(s) > r.peak)
			r.peak = bytes_used(s);
		if (mode != MODE_FULL)
			compress_to(s, (size_t)ceil(b * (double)(c0 + cn) - 1e-9));
	}
	r.kept = cc_kv_seq_len(cc_session_kv(s), 0);
	float *lp = malloc(M * sizeof(float));
	if (!lp || cc_session_logprobs(s, ids + T, M, lp, 0, NULL, NULL))
		DIE("logprobs");
	double sum = 0;
	for (size_t i = 1; i < M; i++)
		sum -= lp[i];
	r.nll = sum / (double)(M - 1);
	free(lp);
	cc_session_free(s);
	return r;
}

int main(int argc, char **argv)
{
	size_t T = 3072, M = 256, chunk = 512;
	double budgets[8] = {0.2, 0.1};
	int nb = 2, argi = 2;
	if (argc < 3) {
		fprintf(stderr, "usage: bench_stream_prefill MODEL_DIR [--T N] [--M N] [--chunk N] "
		                "[--budgets 0.2,0.1] FILE...\n");
		return 2;
	}
	for (; argi + 1 < argc && !strncmp(argv[argi], "--", 2); argi += 2) {
		if (!strcmp(argv[argi], "--T"))
			T = strtoul(argv[argi + 1], NULL, 10);
		else if (!strcmp(argv[argi], "--M"))
			M = strtoul(argv[argi + 1], NULL, 10);
		else if (!strcmp(argv[argi], "--chunk"))
			chunk = strtoul(argv[argi + 1], NULL, 10);
		else if (!strcmp(argv[argi], "--budgets")) {
			char *p = argv[argi + 1];
			nb = 0;
			while (*p && nb < 8) {
				budgets[nb++] = strtod(p, &p);
				if (*p == ',')
					p++;
			}
		} else {
			fprintf(stderr, "bench_stream_prefill: unknown option %s\n", argv[argi]);
			return 2;
		}
	}
	if (T < 256 || M < 2 || chunk < 128 || nb < 1)
		DIE("bad options");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tokenizer.json", argv[1]);
	cc_tokenizer *tok = NULL;
	cc_model *m = NULL;
	if (cc_tokenizer_load(&tok, path))
		DIE("tokenizer %s", path);
	if (cc_model_load(&m, argv[1], NULL))
		DIE("model %s", argv[1]);

	/* per (budget, mode) : sums of dNLL and its square, peaks */
	double d_sum[8][2] = {{0}}, d_sq[8][2] = {{0}};
	size_t peak[8][3] = {{0}}, kept[8][2] = {{0}}, full_peak = 0;
	int ns = 0;
	for (int fi = argi; fi < argc; fi++) {
		char *text = NULL;
		size_t len = 0, n = 0;
		int32_t *ids = NULL;
		if (cc_read_file(&text, &len, argv[fi], 0) ||
		    cc_tokenizer_encode(tok, text, len, &ids, NULL, &n))
			DIE("%s", argv[fi]);
		free(text);
		if (n < T + M) {
			fprintf(stderr, "%s: %zu tokens, fewer than T + M: skipped\n", argv[fi], n);
			free(ids);
			continue;
		}
		run_out full = run(m, ids, T, M, chunk, 1, MODE_FULL);
		full_peak = full.peak;
		for (int bi = 0; bi < nb; bi++)
			for (int md = 0; md < 2; md++) {
				run_out r = run(m, ids, T, M, chunk, budgets[bi],
				                md ? MODE_STREAM : MODE_ONESHOT);
				double d = r.nll - full.nll;
				d_sum[bi][md] += d;
				d_sq[bi][md] += d * d;
				if (r.peak > peak[bi][md])
					peak[bi][md] = r.peak;
				kept[bi][md] = r.kept;
			}
		ns++;
		fprintf(stderr, "%s: full NLL %.4f\n", argv[fi], full.nll);
		free(ids);
	}
	if (ns < 2)
		DIE("fewer than 2 usable files");
	printf("%d samples (Python files), context T = %d tokens, continuation M = %d tokens scored "
	       "(tokens 2..M), chunk %d, policy snapkv; full cache peak %.2f MiB\n\n",
	       ns, (int)T, (int)M, (int)chunk, full_peak / 1048576.0);
	printf("| budget | mode | kept per layer and KV head | peak KV bytes during prefill | "
	       "peak vs full | ΔNLL vs full (mean ± s.e.) |\n| --- | --- | --- | --- | --- | --- |\n");
	for (int bi = 0; bi < nb; bi++)
		for (int md = 0; md < 2; md++) {
			double mean = d_sum[bi][md] / ns;
			double var = d_sq[bi][md] / ns - mean * mean;
			double se = sqrt((var > 0 ? var : 0) / (ns - 1));
			printf("| %.0f%% | %s | %zu | %.2f MiB | %.2fx | %+.4f ± %.4f |\n", budgets[bi] * 100,
			       md ? "compress as the prefill goes" : "prefill, then compress",
			       kept[bi][md], peak[bi][md] / 1048576.0,
			       (double)peak[bi][md] / (double)full_peak, mean, se);
		}
	cc_model_free(m);
	cc_tokenizer_free(tok);
	return 0;
}
