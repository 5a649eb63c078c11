/*
 * bench_repo_cache.c - the repository KV cache (repocache/) measured on the CPU engine:
 *
 * 1. Fidelity (the bench_fidelity protocol, ../shared/docs/EVAL.md): each sample's context C
 *    (stdlib files in shuffled order, each after "# file:", targets removed) is split at its
 *    file boundaries; every file is prefilled alone (with or without its own BOS anchor),
 *    compressed with codecomp at 10/20/40% (or kept whole), and the chunks assembled with keys
 *    rotated to their positions. Targets are scored after that cache and after one joint
 *    prefill of C (the reference): ΔNLL, ΔNLL on context-dependent tokens, top-1 agreement.
 *    The joint prefill compressed with codecomp at the same budgets is the comparison row
 *    (what a session without the cache does).
 * 2. Time to first token of a new query (the first target's "# file:" and def lines) on
 *    contexts of 1K, 2K and 3.5K tokens (or --ttft-tokens): one full prefill of C + query,
 *    against chunks from memory, from disk, after a one-file commit (one chunk computed
 *    again), and the first, cold run (every chunk computed); medians and ranges over
 *    repetitions.
 * 3. Chunk file bytes per MB of source.
 *
 * The window of pycode-16m is 4096 tokens, so contexts stop at 3.5K with it; 32K-token
 * contexts are timed on a random-weight checkpoint of its shape with a 32K window
 * (bench/make_long_ckpt.py: timings only).
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"
#include "cc_repocache.h"
#include "cc_tokenizer.h"
#include "fidelity.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NB 4 /* budgets: full (1.0), 0.4, 0.2, 0.1 */
static const double budgets[NB] = {1.0, 0.4, 0.2, 0.1};

typedef struct {
	double dnll, dnll_ctx, agree;
	size_t n, n_ctx;
} acc;

static struct {
	const char *model, *corpus, *md_out;
	size_t samples, T;
	uint64_t seed;
	int reps, threads;
	size_t ttft_T[8], n_ttft; /* --ttft-tokens: context sizes of the TTFT rows */
	int ttft_full_only;       /* --ttft-full-only: no codecomp 20% rows */
	cc_model *m;
	cc_tokenizer *tok;
	cc_model_info info;
	cc_session *root;
	int V;
	/* [sample][variant][budget]: variant 0 anchored chunks, 1 unanchored, 2 joint */
	acc *accs;
	size_t n_targets;
	double ctx_share;
} g;

static void die(const char *what)
{
	fprintf(stderr, "bench_repo_cache: %s: %s\n", what, cc_error_last());
	exit(1);
}

/* File boundaries of C: token indices where a "# file: " line starts. */
static size_t boundaries(size_t *at, size_t cap, const int32_t *ids, size_t n)
{
	size_t nb = 0;
	int line_start = 1;
	for (size_t i = 0; i < n && nb < cap; i++) {
		size_t len = 0, got = 0;
		const char *b = cc_tokenizer_token_bytes(g.tok, ids[i], &len);
		if (line_start && len && b[0] == '#') {
			char buf[16];
			for (size_t j = i; j < n && got < 8; j++) {
				size_t l2;
				const char *b2 = cc_tokenizer_token_bytes(g.tok, ids[j], &l2);
				for (size_t k = 0; k < l2 && got < 8; k++)
					buf[got++] = b2[k];
			}
			if (got == 8 && !memcmp(buf, "# file: ", 8))
				at[nb++] = i;
		}
		if (len)
			line_start = b[len - 1] == '\n';
	}
	return nb;
}

static size_t source_bytes(const int32_t *ids, size_t n)
{
	size_t t = 0, len;
	for (size_t i = 0; i < n; i++) {
		cc_tokenizer_token_bytes(g.tok, ids[i], &len);
		t += len;
	}
	return t;
}

/* Build chunks of C (split at bounds) with policy/budget/anchor into cache c (dir may be
 * NULL); tag distinguishes keys. */
static void make_chunks(cc_repocache_chunk **ch, cc_repocache *c, const char *dir,
                        const fid_sample *s, const size_t *bd, size_t nbd, double budget,
                        int anchor, const char *tag, size_t changed)
{
	for (size_t f = 0; f < nbd; f++) {
		size_t a = bd[f], b = f + 1 < nbd ? bd[f + 1] : s->T;
		char blob[96], path[32];
		snprintf(blob, sizeof(blob), "%s-%zu-%s", tag, f, f == changed ? "new" : "old");
		snprintf(path, sizeof(path), "f%zu.py", f);
		cc_repocache_key k = {"bench", blob, path,
		                      budget >= 1 ? CC_REPOCACHE_FULL : CC_POLICY_CODECOMP, budget,
		                      anchor};
		if (cc_repocache_get(&ch[f], NULL, c, dir, &k) == CC_OK)
			continue;
		if (cc_repocache_compute(&ch[f], c, dir, &k, g.root, g.info.bos_id, s->ids + a, b - a,
		                         s->prior + a, s->protect + a, 256))
			die("chunk");
	}
}

/* Score every target after session base; compare with the reference rows. */
static void score(acc *ac, cc_session *base, const fid_sample *s, float **ref_lsm,
                  int32_t **ref_arg, float *logits)
{
	for (size_t t = 0; t < s->n_targets; t++) {
		const fid_target *tg = &s->targets[t];
		cc_session *f = NULL;
		if (cc_session_fork(&f, base) || cc_session_forward_all(f, tg->ids, tg->n, logits))
			die("score");
		for (size_t i = 0; i + 1 < tg->n; i++) {
			float *c = logits + i * (size_t)g.V;
			const float *r = ref_lsm[t] + i * (size_t)g.V;
			int32_t am = cc_log_softmax(c, g.V), nx = tg->ids[i + 1];
			double d = (double)r[nx] - (double)c[nx];
			ac->dnll += d;
			ac->n++;
			ac->agree += am == ref_arg[t][i];
			if (tg->ctxdep[i + 1]) {
				ac->dnll_ctx += d;
				ac->n_ctx++;
			}
		}
		cc_session_free(f);
	}
}

static void run_fidelity(size_t si, const fid_sample *s)
{
	size_t bd[256], nbd = boundaries(bd, 256, s->ids, s->T);
	float **ref = calloc(s->n_targets, sizeof(float *)), *logits;
	int32_t **arg = calloc(s->n_targets, sizeof(int32_t *));
	size_t maxn = 0;
	cc_session *joint = NULL;
	if (!nbd || bd[0] != 0) {
		fprintf(stderr, "sample %zu: C does not start with a file line, skipped\n", si);
		return;
	}
	for (size_t t = 0; t < s->n_targets; t++)
		if (s->targets[t].n > maxn)
			maxn = s->targets[t].n;
	logits = malloc(maxn * (size_t)g.V * sizeof(float));
	/* the reference: one joint prefill of C */
	if (cc_session_fork(&joint, g.root) || cc_session_prefill(joint, s->ids, s->T, NULL))
		die("reference prefill");
	for (size_t t = 0; t < s->n_targets; t++) {
		const fid_target *tg = &s->targets[t];
		cc_session *f = NULL;
		ref[t] = malloc(tg->n * (size_t)g.V * sizeof(float));
		arg[t] = malloc(tg->n * sizeof(int32_t));
		if (cc_session_fork(&f, joint) || cc_session_forward_all(f, tg->ids, tg->n, ref[t]))
			die("reference");
		for (size_t i = 0; i + 1 < tg->n; i++)
			arg[t][i] = cc_log_softmax(ref[t] + i * (size_t)g.V, g.V);
		cc_session_free(f);
		g.n_targets++;
	}
	cc_session_free(joint);
	for (int b = 0; b < NB; b++) {
		/* assembled chunks, with and without anchors */
		for (int v = 0; v < 2; v++) {
			cc_repocache *c = NULL;
			cc_repocache_chunk *ch[256];
			cc_session *as = NULL;
			if (cc_repocache_new(&c, NULL))
				die("cache");
			make_chunks(ch, c, NULL, s, bd, nbd, budgets[b], v == 0, "fid", (size_t)-1);
			if (cc_session_fork(&as, g.root) || cc_repocache_assemble(as, g.m, ch, nbd, NULL))
				die("assemble");
			score(&g.accs[(si * 3 + (size_t)v) * NB + (size_t)b], as, s, ref, arg, logits);
			cc_session_free(as);
			for (size_t f = 0; f < nbd; f++)
				cc_repocache_chunk_release(ch[f]);
			cc_repocache_free(c);
		}
		/* the joint prefill compressed the way sessions do (query-agnostic codecomp) */
		if (budgets[b] < 1) {
			cc_session *j = NULL;
			cc_compress_opts co;
			float *recon = malloc((size_t)g.info.n_layers * (size_t)g.info.n_kv_heads * s->T *
			                      sizeof(float));
			if (cc_session_fork(&j, g.root) || cc_session_set_obs_window(j, 256) ||
			    cc_session_prefill(j, s->ids, s->T, NULL) ||
			    cc_compress_recon_attn(j, s->ids, s->T, 256, recon))
				die("joint compressed");
			cc_compress_opts_default(&co, CC_POLICY_CODECOMP, budgets[b]);
			if (cc_compress_session(j, &co, s->T, s->prior, s->protect, recon, NULL))
				die("joint compress");
			score(&g.accs[(si * 3 + 2) * NB + (size_t)b], j, s, ref, arg, logits);
			cc_session_free(j);
			free(recon);
		}
		fprintf(stderr, "\rsample %zu: budget %.2f done   ", si + 1, budgets[b]);
	}
	for (size_t t = 0; t < s->n_targets; t++) {
		free(ref[t]);
		free(arg[t]);
	}
	free(ref);
	free(arg);
	free(logits);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef struct {
	double med, lo, hi;
} timing;

static timing summarize(double *v, int n)
{
	timing t;
	qsort(v, (size_t)n, sizeof(double), cmp_d);
	t.med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	t.lo = v[0];
	t.hi = v[n - 1];
	return t;
}

/* Time to first token: [0] full prefill, [1] cold, [2] memory, [3] disk, [4] after commit. */
static void run_ttft(FILE *md, size_t T, uint64_t seed, char *const *dirs, size_t n_dirs,
                     cc_analyzer *an)
{
	fid_sample s;
	fid_sample_opts so = {g.corpus, T, 1, seed};
	size_t bd[256], nbd;
	float *logits = malloc((size_t)g.V * sizeof(float));
	int32_t *all;
	size_t nq, src;
	const double tb[2] = {1.0, 0.2};
	if (fid_sample_build(&s, &so, dirs, n_dirs, NULL, 0, g.tok, an))
		die("sample");
	nbd = boundaries(bd, 256, s.ids, s.T);
	nq = s.targets[0].n_query;
	src = source_bytes(s.ids, s.T);
	all = malloc((s.T + nq) * sizeof(int32_t));
	memcpy(all, s.ids, s.T * sizeof(int32_t));
	memcpy(all + s.T, s.targets[0].ids, nq * sizeof(int32_t));
	for (int bi = 0; bi < (g.ttft_full_only ? 1 : 2); bi++) {
		double v[5][32];
		char dir[] = "/tmp/bench-repo-cache.XXXXXX", tag[64];
		size_t disk = 0, files = 0;
		if (!mkdtemp(dir))
			die("mkdtemp");
		for (int r = 0; r < g.reps; r++) {
			cc_session *x = NULL;
			cc_repocache *c = NULL, *c2 = NULL;
			cc_repocache_chunk *ch[256];
			double t0;
			snprintf(tag, sizeof(tag), "t%zu-r%d", T, r);
			/* full prefill of C + query */
			t0 = cc_now();
			if (cc_session_fork(&x, g.root) || cc_session_prefill(x, all, s.T + nq, logits))
				die("full prefill");
			v[0][r] = cc_now() - t0;
			cc_session_free(x);
			/* cold: every chunk computed (and written) */
			if (cc_repocache_new(&c, NULL))
				die("cache");
			t0 = cc_now();
			make_chunks(ch, c, dir, &s, bd, nbd, tb[bi], 1, tag, (size_t)-1);
			if (cc_session_fork(&x, g.root) || cc_repocache_assemble(x, g.m, ch, nbd, NULL) ||
			    cc_session_prefill(x, all + s.T, nq, logits))
				die("cold");
			v[1][r] = cc_now() - t0;
			cc_session_free(x);
			for (size_t f = 0; f < nbd; f++)
				cc_repocache_chunk_release(ch[f]);
			/* warm, from memory */
			t0 = cc_now();
			make_chunks(ch, c, dir, &s, bd, nbd, tb[bi], 1, tag, (size_t)-1);
			if (cc_session_fork(&x, g.root) || cc_repocache_assemble(x, g.m, ch, nbd, NULL) ||
			    cc_session_prefill(x, all + s.T, nq, logits))
				die("memory");
			v[2][r] = cc_now() - t0;
			cc_session_free(x);
			for (size_t f = 0; f < nbd; f++)
				cc_repocache_chunk_release(ch[f]);
			/* from disk: a new process's cache (nothing in memory) */
			if (cc_repocache_new(&c2, NULL))
				die("cache");
			t0 = cc_now();
			make_chunks(ch, c2, dir, &s, bd, nbd, tb[bi], 1, tag, (size_t)-1);
			if (cc_session_fork(&x, g.root) || cc_repocache_assemble(x, g.m, ch, nbd, NULL) ||
			    cc_session_prefill(x, all + s.T, nq, logits))
				die("disk");
			v[3][r] = cc_now() - t0;
			cc_session_free(x);
			for (size_t f = 0; f < nbd; f++)
				cc_repocache_chunk_release(ch[f]);
			cc_repocache_free(c2);
			/* after a one-file commit: the middle file's blob changed */
			t0 = cc_now();
			make_chunks(ch, c, NULL, &s, bd, nbd, tb[bi], 1, tag, nbd / 2);
			if (cc_session_fork(&x, g.root) || cc_repocache_assemble(x, g.m, ch, nbd, NULL) ||
			    cc_session_prefill(x, all + s.T, nq, logits))
				die("commit");
			v[4][r] = cc_now() - t0;
			cc_session_free(x);
			for (size_t f = 0; f < nbd; f++)
				cc_repocache_chunk_release(ch[f]);
			cc_repocache_free(c);
			if (r == 0)
				cc_repocache_disk_usage(&disk, &files, dir);
		}
		timing t[5];
		for (int k = 0; k < 5; k++)
			t[k] = summarize(v[k], g.reps);
		fprintf(md,
		        "| %zu | %zu | %s | %.0f (%.0f-%.0f) | %.0f (%.0f-%.0f) | "
		        "%.1f (%.1f-%.1f) | %.1f (%.1f-%.1f) | %.0f (%.0f-%.0f) | %.1fx | %.0fx | %.1f |\n",
		        s.T + nq, nbd, bi ? "codecomp 20%" : "full", t[0].med * 1e3, t[0].lo * 1e3,
		        t[0].hi * 1e3, t[1].med * 1e3, t[1].lo * 1e3, t[1].hi * 1e3, t[2].med * 1e3,
		        t[2].lo * 1e3, t[2].hi * 1e3, t[3].med * 1e3, t[3].lo * 1e3, t[3].hi * 1e3,
		        t[4].med * 1e3, t[4].lo * 1e3, t[4].hi * 1e3, t[0].med / t[3].med,
		        t[0].med / t[2].med, (double)disk / ((double)src / 1048576.0) / 1048576.0);
		fflush(md);
		fprintf(stderr, "ttft T=%zu %s done\n", T, bi ? "20%" : "full");
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", dir);
	}
	free(all);
	free(logits);
	fid_sample_free(&s);
}

static void fig(FILE *md, size_t ns, int v, int b, int what)
{
	double num = 0, per[256];
	size_t den = 0, np = 0;
	for (size_t s = 0; s < ns; s++) {
		const acc *a = &g.accs[(s * 3 + (size_t)v) * NB + (size_t)b];
		double x = what == 0 ? a->dnll : (what == 1 ? a->dnll_ctx : a->agree);
		size_t n = what == 1 ? a->n_ctx : a->n;
		num += x;
		den += n;
		if (n && np < 256)
			per[np++] = x / (double)n;
	}
	double mean = den ? num / (double)den : NAN, m = 0, sd = 0;
	for (size_t i = 0; i < np; i++)
		m += per[i] / (double)np;
	for (size_t i = 0; i < np; i++)
		sd += (per[i] - m) * (per[i] - m);
	sd = np > 1 ? sqrt(sd / (double)(np - 1)) / sqrt((double)np) : 0;
	fprintf(md, " %.3f ± %.3f |", mean, sd);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"model", 1, 0, 'm'},
		{"corpus", 1, 0, 'c'},
		{"samples", 1, 0, 'n'},
		{"tokens", 1, 0, 'T'},
		{"seed", 1, 0, 's'},
		{"reps", 1, 0, 'r'},
		{"markdown", 1, 0, 'o'},
		{"threads", 1, 0, 't'},
		{"skip-fidelity", 0, 0, 'F'},
		{"kept-only", 0, 0, 'K'},
		{"ttft-tokens", 1, 0, 'L'},
		{"ttft-full-only", 0, 0, 'U'},
		{0, 0, 0, 0},
	};
	char **dirs = NULL;
	size_t n_dirs = 0, ns = 0;
	cc_analyzer *an = NULL;
	cc_model_opts mo = {0};
	cc_session_opts so = {0};
	FILE *md = stdout;
	int opt, skip_fid = 0, kept_only = 0;
	double t_start = cc_now();

	g.corpus = "/usr/lib/python3.11";
	g.samples = 6;
	g.T = 2048;
	g.seed = 1;
	g.reps = 5;
	while ((opt = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (opt) {
		case 'm': g.model = optarg; break;
		case 'c': g.corpus = optarg; break;
		case 'n': g.samples = strtoul(optarg, NULL, 10); break;
		case 'T': g.T = strtoul(optarg, NULL, 10); break;
		case 's': g.seed = strtoull(optarg, NULL, 10); break;
		case 'r': g.reps = atoi(optarg); break;
		case 'o': g.md_out = optarg; break;
		case 't': g.threads = atoi(optarg); break;
		case 'F': skip_fid = 1; break;
		case 'K': kept_only = 1; break;
		case 'L':
			g.n_ttft = 0;
			for (char *t = strtok(optarg, ","); t && g.n_ttft < 8; t = strtok(NULL, ","))
				g.ttft_T[g.n_ttft++] = strtoul(t, NULL, 10);
			break;
		case 'U': g.ttft_full_only = 1; break;
		default:
			fprintf(stderr,
			        "usage: bench_repo_cache --model DIR [--corpus DIR] [--samples N] "
			        "[--tokens T] [--seed S] [--reps R] [--threads N] [--skip-fidelity] "
			        "[--ttft-tokens T1,T2,..] [--ttft-full-only] [--markdown OUT.md]\n");
			return 2;
		}
	}
	if (!g.model || g.samples == 0 || g.samples > 256 || g.reps < 1 || g.reps > 32) {
		fprintf(stderr,
		        "bench_repo_cache: --model DIR is required (samples 1..256, reps 1..32)\n");
		return 2;
	}
	mo.n_threads = g.threads;
	if (cc_model_load(&g.m, g.model, &mo) || cc_tokenizer_load(&g.tok, g.model))
		die("model");
	cc_model_info_get(&g.info, g.m);
	g.V = g.info.vocab;
	so.max_tokens = (size_t)g.info.max_pos;
	/* room for the chunk forks beside a session; a long window needs less headroom */
	so.pool_tokens = (g.info.max_pos > 8192 ? 3 : 8) * (size_t)g.info.max_pos;
	if (cc_session_new(&g.root, g.m, &so) || cc_analyzer_new(&an) ||
	    fid_corpus_dirs(&dirs, &n_dirs, g.corpus))
		die("setup");
	if (g.md_out && !(md = fopen(g.md_out, "w")))
		die("markdown output");
	fprintf(md,
	        "<!-- bench_repo_cache --model %s --corpus %s --samples %zu --tokens %zu "
	        "--seed %llu --reps %d -->\n\n",
	        g.model, g.corpus, g.samples, g.T,
	        (unsigned long long)g.seed, g.reps);
	if (kept_only) {
		/* rows kept per layer and KV head: chunks (each keeps at least its sinks and window)
		 * against the joint prefill, for the fidelity samples (no model run) */
		uint8_t *used = calloc(n_dirs, 1);
		double sum_c[NB][2] = {{0}}, sum_j[NB] = {0};
		for (ns = 0; ns < g.samples; ns++) {
			fid_sample s;
			fid_sample_opts fo = {g.corpus, g.T, 3, g.seed};
			size_t bd[256], nbd;
			if (fid_sample_build(&s, &fo, dirs, n_dirs, used, ns, g.tok, an))
				die("sample");
			nbd = boundaries(bd, 256, s.ids, s.T);
			for (int b = 1; b < NB; b++) {
				cc_compress_opts co;
				cc_compress_opts_default(&co, CC_POLICY_CODECOMP, budgets[b]);
				sum_j[b] += (double)cc_compress_keep_count(&co, s.T);
				for (size_t f = 0; f < nbd; f++) {
					size_t n = (f + 1 < nbd ? bd[f + 1] : s.T) - bd[f];
					sum_c[b][0] += (double)cc_compress_keep_count(&co, n + 1);
					sum_c[b][1] += (double)cc_compress_keep_count(&co, n);
				}
			}
			fprintf(md, "sample %zu: %zu files\n", ns + 1, nbd);
			fid_sample_free(&s);
		}
		fprintf(md,
		        "\n| budget | joint prefill | chunks, anchored | chunks, no anchor |\n"
		        "| --- | --- | --- | --- |\n");
		for (int b = 1; b < NB; b++)
			fprintf(md, "| %.0f%% | %.0f | %.0f | %.0f |\n", budgets[b] * 100,
			        sum_j[b] / (double)ns, sum_c[b][0] / (double)ns, sum_c[b][1] / (double)ns);
		free(used);
		skip_fid = 2;
	}
	if (!skip_fid) {
		uint8_t *used = calloc(n_dirs, 1);
		g.accs = calloc(g.samples * 3 * NB, sizeof(acc));
		for (; ns < g.samples; ns++) {
			fid_sample s;
			fid_sample_opts fo = {g.corpus, g.T, 3, g.seed};
			if (fid_sample_build(&s, &fo, dirs, n_dirs, used, ns, g.tok, an))
				die("sample");
			g.ctx_share += s.ctx_share;
			run_fidelity(ns, &s);
			fid_sample_free(&s);
		}
		free(used);
		fprintf(stderr, "\n");
		fprintf(md,
		        "### Fidelity against one joint prefill (T = %zu, %zu samples, %zu "
		        "targets; mean over target tokens ± standard error across samples)\n\n",
		        g.T, ns, g.n_targets);
		fprintf(md,
		        "| context | budget | ΔNLL | ΔNLL context-dependent | top-1 agreement |\n"
		        "| --- | --- | --- | --- | --- |\n");
		static const char *const vn[3] = {"chunks, anchored", "chunks, no anchor",
		                                  "joint prefill, compressed"};
		for (int v = 0; v < 3; v++)
			for (int b = 0; b < NB; b++) {
				if (v == 2 && b == 0)
					continue;
				fprintf(md, "| %s | %s |", vn[v],
				        b == 0 ? "full" : (b == 1 ? "40%" : (b == 2 ? "20%" : "10%")));
				fig(md, ns, v, b, 0);
				fig(md, ns, v, b, 1);
				fig(md, ns, v, b, 2);
				fprintf(md, "\n");
			}
		fprintf(md, "\n");
	}
	if (skip_fid == 2)
		goto done;
	fprintf(md,
	        "### Time to first token of a new query, ms (median, range over %d runs)\n\n"
	        "| positions | files | chunks kept | full prefill | cold (all chunks computed) | "
	        "cached, memory | cached, disk | after a one-file commit | full / disk | "
	        "full / memory | chunk file MB per MB of source |\n"
	        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
	        g.reps);
	if (!g.n_ttft) {
		const size_t Ts[3] = {1024, 2048, 3584};
		memcpy(g.ttft_T, Ts, sizeof(Ts));
		g.n_ttft = 3;
	}
	for (size_t k = 0; k < g.n_ttft; k++) {
		if (g.ttft_T[k] < 64 || g.ttft_T[k] + 64 > (size_t)g.info.max_pos) {
			fprintf(stderr, "bench_repo_cache: --ttft-tokens %zu does not fit the model's "
			                "window of %d with a query\n",
			        g.ttft_T[k], g.info.max_pos);
			return 2;
		}
		run_ttft(md, g.ttft_T[k], g.seed + 100 + (uint64_t)k, dirs, n_dirs, an);
	}
	fprintf(md, "\n(%.0f s in all)\n", cc_now() - t_start);
done:
	if (md != stdout)
		fclose(md);
	for (size_t i = 0; i < n_dirs; i++)
		free(dirs[i]);
	free(dirs);
	free(g.accs);
	cc_analyzer_free(an);
	cc_session_free(g.root);
	cc_tokenizer_free(g.tok);
	cc_model_free(g.m);
	return 0;
}
