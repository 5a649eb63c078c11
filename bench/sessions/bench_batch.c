/*
 * bench_batch.c - what continuous batching buys agent sessions: aggregate decode tokens/s of
 * K sessions generating at the same time (batched: one forward pass per step for all of
 * them) against the same K generate calls one at a time through an agent without batching
 * (the path before it), in the same run, on the same contexts. Also checks that greedy
 * tokens are the same both ways. Prints markdown: medians with min-max over --reps runs.
 *
 *   bench_batch --model DIR [--devices cpu|cuda|cuda:0,cuda:1|cpu,cpu] [--sessions 1,2,4,8]
 *               [--context 1024] [--max-new 64] [--policy snapkv] [--budget 0.2]
 *               [--reps 3] [--kv-tokens N] [--corpus DIR] [--threads N] [--no-sequential]
 */
#include "cc_agent.h"
#include "cc_agent_reply.h"
#include "cc_compress.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void stat3(double *v, int n, double *med, double *lo, double *hi)
{
	qsort(v, (size_t)n, sizeof(double), cmp_d);
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	*lo = v[0];
	*hi = v[n - 1];
}

static int is_py(const struct dirent *d)
{
	size_t l = strlen(d->d_name);
	return l > 3 && !strcmp(d->d_name + l - 3, ".py");
}

/* The corpus's .py files (sorted names) concatenated after "# file:" lines, ~max bytes,
 * starting at the skip-th file (modulo their count: sessions get different contexts). */
static char *corpus_text(const char *dir, int skip, size_t max, size_t *len)
{
	struct dirent **names;
	int n = scandir(dir, &names, is_py, alphasort), seen = 0;
	char *t = malloc(max + 4096);
	size_t o = 0;
	if (n <= 0 || !t) {
		free(t);
		return NULL;
	}
	skip %= n;
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		size_t l = strlen(nm);
		if (o < max && l > 3 && !strcmp(nm + l - 3, ".py") && seen++ >= skip) {
			char path[4096], *buf = NULL;
			size_t bl = 0;
			snprintf(path, sizeof(path), "%s/%s", dir, nm);
			if (cc_read_file(&buf, &bl, path, 1 << 20) == CC_OK && cc_utf8_valid(buf, bl)) {
				o += (size_t)snprintf(t + o, max + 4096 - o, "# file: %s\n", nm);
				if (bl > max + 4096 - o - 1)
					bl = max + 4096 - o - 1;
				memcpy(t + o, buf, bl);
				o += bl;
			}
			free(buf);
		}
		free(names[i]);
	}
	free(names);
	t[o] = 0;
	*len = o;
	return t;
}

typedef struct {
	cc_agent *a;
	const char *id;
	size_t max_new;
	int rc;
	cc_agent_gen_result r;
} job;

static const char *prompt = "\n\ndef main(argv=None):\n    ";

static void *job_run(void *p)
{
	job *j = p;
	cc_agent_gen_opts g = {0};
	g.prompt = prompt;
	g.prompt_len = strlen(prompt);
	g.max_new = j->max_new;
	g.no_eos = 1;
	j->rc = cc_agent_session_generate(&j->r, j->a, j->id, &g);
	if (j->rc)
		fprintf(stderr, "bench_batch: generate: %s\n", cc_error_last());
	return NULL;
}

/* K generate calls, concurrently or one after another: aggregate tokens/s. ids_out (K rows
 * of max_new) receives the tokens. */
static double run(cc_agent *a, char ids[][32], int k, size_t max_new, int concurrent,
                  int32_t *ids_out, size_t *n_out)
{
	job *jobs = calloc((size_t)k, sizeof(*jobs));
	pthread_t *th = calloc((size_t)k, sizeof(*th));
	size_t total = 0;
	double t0 = cc_now(), dt;
	for (int i = 0; i < k; i++) {
		jobs[i].a = a;
		jobs[i].id = ids[i];
		jobs[i].max_new = max_new;
		if (concurrent)
			pthread_create(&th[i], NULL, job_run, &jobs[i]);
		else
			job_run(&jobs[i]);
	}
	if (concurrent)
		for (int i = 0; i < k; i++)
			pthread_join(th[i], NULL);
	dt = cc_now() - t0;
	for (int i = 0; i < k; i++) {
		total += jobs[i].rc ? 0 : jobs[i].r.n_ids;
		n_out[i] = jobs[i].rc ? 0 : jobs[i].r.n_ids;
		if (!jobs[i].rc)
			memcpy(ids_out + (size_t)i * max_new, jobs[i].r.ids, jobs[i].r.n_ids * 4);
		cc_agent_gen_result_clear(&jobs[i].r);
	}
	free(jobs);
	free(th);
	return dt > 0 ? (double)total / dt : 0;
}

static int parse_list(int *out, int cap, const char *s)
{
	int n = 0;
	while (*s && n < cap) {
		out[n++] = atoi(s);
		s = strchr(s, ',');
		if (!s)
			break;
		s++;
	}
	return n;
}

int main(int argc, char **argv)
{
	const char *model = NULL, *corpus = "/usr/lib/python3.11", *devices = "cpu";
	const char *policy_name = "snapkv";
	int ks[16], nk, reps = 3, kmax = 0, threads = 0, sequential = 1;
	size_t context = 1024, max_new = 64, kv_tokens = 0;
	double budget = 0.2;
	nk = parse_list(ks, 16, "1,2,4,8");
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : "";
		if (!strcmp(argv[i], "--no-sequential")) {
			sequential = 0;
			continue;
		}
		if (!strcmp(argv[i], "--model"))
			model = v;
		else if (!strcmp(argv[i], "--devices"))
			devices = v;
		else if (!strcmp(argv[i], "--corpus"))
			corpus = v;
		else if (!strcmp(argv[i], "--sessions"))
			nk = parse_list(ks, 16, v);
		else if (!strcmp(argv[i], "--context"))
			context = (size_t)atol(v);
		else if (!strcmp(argv[i], "--max-new"))
			max_new = (size_t)atol(v);
		else if (!strcmp(argv[i], "--policy"))
			policy_name = v;
		else if (!strcmp(argv[i], "--budget"))
			budget = atof(v);
		else if (!strcmp(argv[i], "--reps"))
			reps = atoi(v);
		else if (!strcmp(argv[i], "--kv-tokens"))
			kv_tokens = (size_t)atol(v);
		else if (!strcmp(argv[i], "--threads"))
			threads = atoi(v);
		else {
			fprintf(stderr, "bench_batch: unknown option %s\n", argv[i]);
			return 2;
		}
		i++;
	}
	int policy = cc_agent_policy_parse(policy_name);
	if (!model || model[0] != '/' || policy == -2 || reps < 1 || nk < 1 || !max_new) {
		fprintf(stderr, "usage: bench_batch --model /ABS/DIR [--devices cpu|cuda|LIST] "
		                "[--sessions 1,2,4,8] [--context N] [--max-new N] [--policy P] "
		                "[--budget B] [--reps N] [--kv-tokens N] [--corpus DIR] "
		                "[--threads N] [--no-sequential]\n");
		return 2;
	}
	for (int i = 0; i < nk; i++)
		if (ks[i] > kmax)
			kmax = ks[i];

	cc_agent *ab = NULL, *as = NULL;
	cc_agent_opts ao = {0};
	ao.kv_tokens = kv_tokens;
	ao.n_threads = threads;
	ao.max_sessions = (size_t)kmax + 1;
	ao.idle_timeout_s = -1;
	ao.reserve = max_new + 64 > 512 ? max_new + 64 : 512;
	if (cc_agent_new(&ab, &ao) || cc_agent_model_load_devices(ab, model, devices)) {
		fprintf(stderr, "bench_batch: %s\n", cc_error_last());
		return 1;
	}
	ao.no_batch = 1;
	if (sequential && (cc_agent_new(&as, &ao) || cc_agent_model_load_devices(as, model,
	                                                                         devices))) {
		fprintf(stderr, "bench_batch: %s\n", cc_error_last());
		return 1;
	}
	char(*idb)[32] = calloc((size_t)kmax, 32), (*ids)[32] = calloc((size_t)kmax, 32);
	size_t ctx_tokens = 0, held = 0;
	double t_open = cc_now();
	for (int i = 0; i < kmax; i++) {
		size_t len;
		char *text = corpus_text(corpus, i * 3, context * 4, &len);
		cc_agent_open_opts o = {0};
		cc_agent_session_info info;
		if (!text || !len) {
			fprintf(stderr, "bench_batch: no .py files in %s\n", corpus);
			return 1;
		}
		o.model = model;
		o.device = cc_device_parse(devices);
		if (o.device < 0)
			o.device = strncmp(devices, "cuda", 4) ? CC_DEVICE_CPU : CC_DEVICE_CUDA;
		o.text = text;
		o.text_len = len;
		o.truncate = 1;
		o.max_context_tokens = context;
		o.policy = policy;
		o.budget = budget;
		if (cc_agent_session_open(&info, ab, &o)) {
			fprintf(stderr, "bench_batch: open %d: %s\n", i, cc_error_last());
			return 1;
		}
		memcpy(idb[i], info.id, 32);
		ctx_tokens = info.context_tokens;
		held = info.kv_bytes_held;
		if (isatty(2))
			fprintf(stderr, "\ropened %d/%d sessions (%s)", i + 1, kmax, info.device_id);
		cc_agent_session_info_clear(&info);
		if (sequential) {
			if (cc_agent_session_open(&info, as, &o)) {
				fprintf(stderr, "bench_batch: open %d: %s\n", i, cc_error_last());
				return 1;
			}
			memcpy(ids[i], info.id, 32);
			cc_agent_session_info_clear(&info);
		}
		free(text);
	}
	if (isatty(2))
		fprintf(stderr, "\n");
	t_open = cc_now() - t_open;

	printf("model %s, devices %s, %zu-token contexts (%s %g: %.2f MB KV held each), "
	       "%zu new tokens greedy per request, %d reps; sessions opened in %.1f s\n\n",
	       model, devices, ctx_tokens, policy_name, budget, (double)held / 1e6, max_new, reps, t_open);
	printf("| sessions K | one at a time tok/s | batched tok/s | batched / one at a time | "
	       "requests with the same tokens |\n| --- | --- | --- | --- | --- |\n");
	int32_t *tb = malloc((size_t)kmax * max_new * 4), *ts = malloc((size_t)kmax * max_new * 4);
	size_t *nb = calloc((size_t)kmax, sizeof(size_t)), *ns = calloc((size_t)kmax, sizeof(size_t));
	for (int ki = 0; ki < nk; ki++) {
		int k = ks[ki];
		double vb[64], vs[64], ratio[64], mb, lb, hb;
		double ms = 0, ls = 0, hs = 0, mr = 0, lr = 0, hr = 0;
		int same = 0;
		for (int r = 0; r < reps && r < 64; r++) {
			if (sequential)
				vs[r] = run(as, ids, k, max_new, 0, ts, ns);
			vb[r] = run(ab, idb, k, max_new, 1, tb, nb);
			ratio[r] = sequential && vs[r] > 0 ? vb[r] / vs[r] : 0;
			for (int i = 0; sequential && r == 0 && i < k; i++)
				if (nb[i] == ns[i] && !memcmp(tb + (size_t)i * max_new,
				                              ts + (size_t)i * max_new, nb[i] * 4))
					same++;
			if (isatty(2))
				fprintf(stderr, "\rK=%d rep %d/%d", k, r + 1, reps);
		}
		if (isatty(2))
			fprintf(stderr, "\r                 \r");
		stat3(vb, reps, &mb, &lb, &hb);
		if (sequential) {
			stat3(vs, reps, &ms, &ls, &hs);
			stat3(ratio, reps, &mr, &lr, &hr);
			printf("| %d | %.1f [%.1f-%.1f] | %.1f [%.1f-%.1f] | %.2fx [%.2f-%.2f] | %d of %d |\n",
			       k, ms, ls, hs, mb, lb, hb, mr, lr, hr, same, k);
		} else {
			printf("| %d | - | %.1f [%.1f-%.1f] | - | - |\n", k, mb, lb, hb);
		}
		fflush(stdout);
	}
	{
		cc_agent_model_info *mi;
		size_t nm;
		if (cc_agent_models(&mi, &nm, ab) == CC_OK) {
			for (size_t d = 0; nm && d < mi[0].n_devices; d++) {
				double rows = 0;
				if (mi[0].devices[d].steps)
					rows = (double)mi[0].devices[d].step_rows / (double)mi[0].devices[d].steps;
				printf("\n%s: %llu batched steps, %.2f rows per step on average, %zu at most, "
				       "%zu sessions, %.1f MB KV in use of %.1f MB",
				       mi[0].devices[d].id, (unsigned long long)mi[0].devices[d].steps, rows,
				       mi[0].devices[d].max_rows, mi[0].devices[d].n_sessions,
				       (double)mi[0].devices[d].kv_bytes_used / 1e6,
				       (double)mi[0].devices[d].kv_bytes_capacity / 1e6);
			}
			printf("\n");
			cc_agent_models_free(mi, nm);
		}
	}
	free(tb);
	free(ts);
	free(nb);
	free(ns);
	free(idb);
	free(ids);
	cc_agent_free(ab);
	cc_agent_free(as);
	return 0;
}
