/*
 * stream_prefill.c - compressing as the chunked prefill goes (issue 14, item 5) against
 * prefill-then-compress: peak KV bytes, time and quality, on the CPU or CUDA engine.
 *
 * For each sample (T context tokens, then M continuation tokens scored), with a policy that
 * needs no structural priors (snapkv by default; codecomp's priors come from the analysis
 * graph: its streamed quality is bench_fidelity --stream-chunk's) at budget b:
 *   full     prefill the T tokens, score the continuation (teacher forced);
 *   oneshot  prefill the T tokens, compress to ceil(b T) per layer and KV head
 *            (cc_compress_session), score;
 *   stream   cc_compress_stream_prefill: chunks of C tokens, after each the cache compressed
 *            to ceil(b t) (t = tokens so far), the chunk's last 64 tokens observing; score.
 * Samples: each FILE's first T + M tokens, or with --concat the files' tokens concatenated
 * (each after a "# file: NAME" line) and cut into consecutive T + M windows (for contexts longer
 * than one file: 32K-128K tokens on a GPU; random-weight checkpoints of bench/make_long_ckpt.py
 * or make_shape_ckpt.py then give exact peak bytes and times, and meaningless ΔNLL).
 * Figures: the peak of the session's KV bytes during prefill and compression (exact, block
 * accounting: cc_cache_stats.seq_bytes after each prefill call), the mean seconds of prefill +
 * compression, and the mean over samples of ΔNLL = mean NLL of the continuation (its tokens
 * 2..M) minus the full cache's, with its standard error, and the paired streamed - oneshot
 * difference with its standard error.
 *   usage: bench_stream_prefill MODEL_DIR [--T 3072] [--M 256] [--chunk 512]
 *          [--budgets 0.2,0.1] [--policy snapkv] [--device cpu|cuda] [--concat N]
 *          [--tokenizer DIR (a checkpoint without one: bench/make_shape_ckpt.py's)] FILE...
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"
#include "cc_tokenizer.h"

#include <errno.h>
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
	double nll;     /* mean NLL of the continuation's tokens 2..M */
	size_t peak;    /* peak bytes the session held */
	size_t kept;    /* context tokens kept per layer and KV head (mean) */
	double seconds; /* prefill + compression */
} run_out;

static size_t seq_bytes(const cc_session *s)
{
	cc_cache_stats st;
	cc_session_cache_stats(&st, s);
	return st.seq_bytes;
}

static run_out run(cc_model *m, const int32_t *ids, size_t T, size_t M, size_t chunk, double b,
                   int policy, int mode)
{
	cc_session *s = NULL;
	cc_session_opts so = {0};
	cc_compress_opts o;
	run_out r = {0, 0, 0, 0};
	double t0;
	so.max_tokens = T + M + 16;
	if (cc_session_new(&s, m, &so))
		DIE("session");
	cc_compress_opts_default(&o, policy, b);
	o.head_adapt = CC_HEAD_UNIFORM; /* the same counts in both modes */
	t0 = cc_now();
	if (mode == MODE_STREAM) {
		cc_compress_stream_opts sopt = {chunk, NULL, NULL, 0};
		cc_compress_stream_stats st;
		if (cc_compress_stream_prefill(s, ids, T, &o, NULL, NULL, &sopt, &st))
			DIE("stream prefill");
		r.peak = st.peak_seq_bytes;
		r.kept = st.kept_per_head;
	} else {
		cc_compress_stats st;
		if (cc_session_prefill(s, ids, T, NULL))
			DIE("prefill");
		r.peak = seq_bytes(s);
		r.kept = T;
		if (mode == MODE_ONESHOT) {
			if (cc_compress_session(s, &o, T, NULL, NULL, NULL, &st))
				DIE("compress");
			r.kept = st.kept_per_head;
		}
	}
	r.seconds = cc_now() - t0;
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

/* Append the tokens of "# file: NAME\n" + the file to *ids. */
static void append_file(int32_t **ids, size_t *n, size_t *cap, cc_tokenizer *tok,
                        const char *path, int header)
{
	char *text = NULL, *buf;
	size_t len = 0, k = 0;
	int32_t *t = NULL;
	if (cc_read_file(&text, &len, path, 0))
		DIE("%s", path);
	buf = malloc(len + strlen(path) + 16);
	if (!buf)
		DIE("out of memory");
	size_t off = header ? (size_t)sprintf(buf, "# file: %s\n", path) : 0;
	memcpy(buf + off, text, len);
	if (cc_tokenizer_encode(tok, buf, off + len, &t, NULL, &k))
		DIE("%s", path);
	if (*n + k > *cap) {
		*cap = (*n + k) * 2;
		if (!(*ids = realloc(*ids, *cap * sizeof(int32_t))))
			DIE("out of memory");
	}
	memcpy(*ids + *n, t, k * sizeof(int32_t));
	*n += k;
	free(t);
	free(buf);
	free(text);
}

int main(int argc, char **argv)
{
	size_t T = 3072, M = 256, chunk = 512, concat = 0;
	const char *tok_dir = NULL, *rows_path = NULL;
	double budgets[8] = {0.2, 0.1};
	int nb = 2, argi = 2, policy = CC_POLICY_SNAPKV;
	cc_model_opts mo = {0};
	if (argc < 3) {
		fprintf(stderr, "usage: bench_stream_prefill MODEL_DIR [--T N] [--M N] [--chunk N] "
		                "[--budgets 0.2,0.1] [--policy snapkv] [--device cpu|cuda] "
		                "[--concat SAMPLES] [--tokenizer DIR] [--rows FILE] FILE...\n"
		                "--rows FILE: each run's figures appended to FILE as soon as it "
		                "finishes, so an interrupted run keeps what it measured\n");
		return 2;
	}
	for (; argi + 1 < argc && !strncmp(argv[argi], "--", 2); argi += 2) {
		const char *v = argv[argi + 1];
		if (!strcmp(argv[argi], "--T"))
			T = strtoul(v, NULL, 10);
		else if (!strcmp(argv[argi], "--M"))
			M = strtoul(v, NULL, 10);
		else if (!strcmp(argv[argi], "--chunk"))
			chunk = strtoul(v, NULL, 10);
		else if (!strcmp(argv[argi], "--concat"))
			concat = strtoul(v, NULL, 10);
		else if (!strcmp(argv[argi], "--tokenizer"))
			tok_dir = v;
		else if (!strcmp(argv[argi], "--rows"))
			rows_path = v;
		else if (!strcmp(argv[argi], "--policy")) {
			if ((policy = cc_policy_parse(v)) < 0 || policy == CC_POLICY_CODECOMP ||
			    policy == CC_POLICY_STRUCTURE) {
				fprintf(stderr, "bench_stream_prefill: policy '%s': unknown, or it needs "
				                "structural priors (bench_fidelity --stream-chunk measures "
				                "those)\n",
				        v);
				return 2;
			}
		} else if (!strcmp(argv[argi], "--device")) {
			if ((mo.device = cc_device_parse(v)) < 0) {
				fprintf(stderr, "bench_stream_prefill: unknown device '%s'\n", v);
				return 2;
			}
		} else if (!strcmp(argv[argi], "--budgets")) {
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
	if (T < 256 || M < 2 || chunk < 16 || nb < 1 || argi >= argc)
		DIE("bad options");
	if (concat == 1) {
		fprintf(stderr, "bench_stream_prefill: --concat 1: at least 2 samples are needed (the "
		                "paired differences' standard errors)\n");
		return 2;
	}
	FILE *rows = NULL;
	if (rows_path && !(rows = fopen(rows_path, "a"))) {
		fprintf(stderr, "bench_stream_prefill: --rows %s: %s\n", rows_path, strerror(errno));
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/tokenizer.json", tok_dir ? tok_dir : argv[1]);
	cc_tokenizer *tok = NULL;
	cc_model *m = NULL;
	if (cc_tokenizer_load(&tok, path))
		DIE("tokenizer %s", path);
	if (cc_model_load(&m, argv[1], &mo))
		DIE("model %s", argv[1]);

	/* the samples: windows of T + M tokens */
	int32_t *all = NULL, **samples = NULL;
	size_t n_all = 0, cap = 0, n_samples = 0;
	if (concat) {
		for (int fi = argi; fi < argc && n_all < concat * (T + M); fi++)
			append_file(&all, &n_all, &cap, tok, argv[fi], 1);
		n_samples = n_all / (T + M) < concat ? n_all / (T + M) : concat;
		samples = calloc(n_samples + 1, sizeof(*samples));
		for (size_t i = 0; samples && i < n_samples; i++)
			samples[i] = all + i * (T + M);
	} else {
		samples = calloc((size_t)(argc - argi) + 1, sizeof(*samples));
		for (int fi = argi; samples && fi < argc; fi++) {
			int32_t *ids = NULL;
			size_t n = 0, c = 0;
			append_file(&ids, &n, &c, tok, argv[fi], 0);
			if (n < T + M) {
				fprintf(stderr, "%s: %zu tokens, fewer than T + M: skipped\n", argv[fi], n);
				free(ids);
				continue;
			}
			samples[n_samples++] = ids;
		}
	}
	if (!samples)
		DIE("out of memory");
	if (n_samples < 2)
		DIE("fewer than 2 samples of T + M = %zu tokens", T + M);

	/* per (budget, mode): sums of ΔNLL and its square, the paired stream - oneshot
	 * difference, peaks, seconds */
	double d_sum[8][2] = {{0}}, d_sq[8][2] = {{0}}, p_sum[8] = {0}, p_sq[8] = {0};
	double secs[8][2] = {{0}}, full_secs = 0;
	size_t peak[8][2] = {{0}}, kept[8][2] = {{0}}, full_peak = 0;
	cc_progress pg;
	cc_progress_init(&pg, "stream_prefill");
	for (size_t si = 0; si < n_samples; si++) {
		const int32_t *ids = samples[si];
		cc_progress_update(&pg, "sample %zu/%zu", si + 1, n_samples);
		run_out full = run(m, ids, T, M, chunk, 1, policy, MODE_FULL);
		if (rows) {
			fprintf(rows, "sample %zu/%zu T %zu full: nll %.5f peak %.2f MiB %.3f s\n", si + 1,
			        n_samples, T, full.nll, full.peak / 1048576.0, full.seconds);
			fflush(rows);
		}
		full_peak = full.peak > full_peak ? full.peak : full_peak;
		full_secs += full.seconds;
		for (int bi = 0; bi < nb; bi++) {
			double d[2];
			for (int md = 0; md < 2; md++) {
				run_out r = run(m, ids, T, M, chunk, budgets[bi], policy,
				                md ? MODE_STREAM : MODE_ONESHOT);
				d[md] = r.nll - full.nll;
				if (rows) {
					fprintf(rows,
					        "sample %zu/%zu T %zu budget %g %s: kept %zu nll %.5f "
					        "peak %.2f MiB %.3f s\n",
					        si + 1, n_samples, T, budgets[bi], md ? "streamed" : "oneshot",
					        r.kept, r.nll, r.peak / 1048576.0, r.seconds);
					fflush(rows);
				}
				d_sum[bi][md] += d[md];
				d_sq[bi][md] += d[md] * d[md];
				secs[bi][md] += r.seconds;
				if (r.peak > peak[bi][md])
					peak[bi][md] = r.peak;
				kept[bi][md] = r.kept;
			}
			p_sum[bi] += d[1] - d[0];
			p_sq[bi] += (d[1] - d[0]) * (d[1] - d[0]);
		}
	}
	cc_progress_done(&pg);
	int ns = (int)n_samples;
	printf("%d samples, context T = %zu tokens, continuation M = %zu tokens scored "
	       "(tokens 2..M), chunk %zu, policy %s, device %s; full cache peak %.2f MiB, "
	       "prefill %.3f s\n\n",
	       ns, T, M, chunk, cc_policy_name(policy), mo.device == CC_DEVICE_CUDA ? "cuda" : "cpu",
	       full_peak / 1048576.0, full_secs / ns);
	printf("| budget | mode | kept per layer and KV head | peak KV bytes | peak vs full | "
	       "prefill + compress (s) | ΔNLL vs full (mean ± s.e.) | streamed − oneshot "
	       "(paired, mean ± s.e.) |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
	for (int bi = 0; bi < nb; bi++)
		for (int md = 0; md < 2; md++) {
			double mean = d_sum[bi][md] / ns;
			double var = d_sq[bi][md] / ns - mean * mean;
			double se = sqrt((var > 0 ? var : 0) / (ns - 1));
			double pm = p_sum[bi] / ns, pv = p_sq[bi] / ns - pm * pm;
			char pair[64] = "";
			if (md)
				snprintf(pair, sizeof(pair), "%+.4f ± %.4f", pm,
				         sqrt((pv > 0 ? pv : 0) / (ns - 1)));
			printf("| %.0f%% | %s | %zu | %.2f MiB | %.2fx | %.3f | %+.4f ± %.4f | %s |\n",
			       budgets[bi] * 100,
			       md ? "compress as the prefill goes" : "prefill, then compress",
			       kept[bi][md], peak[bi][md] / 1048576.0,
			       (double)peak[bi][md] / (double)full_peak, secs[bi][md] / ns, mean, se, pair);
		}
	if (!concat)
		for (size_t i = 0; i < n_samples; i++)
			free(samples[i]);
	free(samples);
	free(all);
	if (rows)
		fclose(rows);
	cc_model_free(m);
	cc_tokenizer_free(tok);
	return 0;
}
