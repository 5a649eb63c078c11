/*
 * bench_sessions.c - what an agent session costs: time to open one (assemble, priors,
 * prefill, compress) over 2K- and 4K-token contexts of real Python (the stdlib by default),
 * and generate tokens/s after compression against the uncompressed cache in the same run.
 * Prints medians with min-max over --reps runs, as markdown.
 *
 *   bench_sessions --model DIR [--device cpu|cuda] [--corpus DIR] [--reps N] [--max-new N]
 *                  [--sizes 2048,4096] [--policy codecomp] [--budgets 0.2,0.1]
 */
#include "cc_agent.h"
#include "cc_compress.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The corpus's .py files (sorted names), concatenated after "# file:" lines, ~max bytes. */
static char *corpus_text(const char *dir, size_t max, size_t *len)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	char *t = malloc(max + 4096);
	size_t o = 0;
	if (n < 0 || !t) {
		free(t);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		size_t l = strlen(nm);
		if (o < max && l > 3 && !strcmp(nm + l - 3, ".py")) {
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

int main(int argc, char **argv)
{
	const char *model = NULL, *corpus = "/usr/lib/python3.11", *policy_name = "codecomp";
	const char *sizes_s = "2048,4096", *budgets_s = "0.2,0.1";
	int device = CC_DEVICE_CPU, reps = 3, max_new = 32;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--model"))
			model = argv[i + 1];
		else if (!strcmp(argv[i], "--device"))
			device = cc_device_parse(argv[i + 1]);
		else if (!strcmp(argv[i], "--corpus"))
			corpus = argv[i + 1];
		else if (!strcmp(argv[i], "--reps"))
			reps = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--max-new"))
			max_new = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--sizes"))
			sizes_s = argv[i + 1];
		else if (!strcmp(argv[i], "--budgets"))
			budgets_s = argv[i + 1];
		else if (!strcmp(argv[i], "--policy"))
			policy_name = argv[i + 1];
		else {
			fprintf(stderr, "bench_sessions: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	int policy = cc_policy_parse(policy_name);
	if (!model || device < 0 || reps < 1 || reps > 50 || max_new < 1 || policy < 0) {
		fprintf(stderr, "usage: bench_sessions --model DIR [--device cpu|cuda] [--corpus DIR] "
		                "[--reps N] [--max-new N] [--sizes 2048,4096] [--budgets 0.2,0.1] "
		                "[--policy P]\n");
		return 2;
	}
	size_t len;
	char *text = corpus_text(corpus, 64 << 10, &len);
	if (!text || len < 1000) {
		fprintf(stderr, "bench_sessions: no Python files in %s\n", corpus);
		return 1;
	}
	cc_agent *a = NULL;
	cc_agent_opts ao = {0};
	ao.kv_tokens = 4 * 8192;
	ao.reserve = (size_t)max_new + 64; /* room for the prompt and the generated tokens */
	if (cc_agent_new(&a, &ao) || cc_agent_model_load(a, model, device)) {
		fprintf(stderr, "bench_sessions: %s\n", cc_error_last());
		return 1;
	}
	printf("| context | cache | open s (assemble / priors / prefill / compress) | KV held | "
	       "generate tok/s | vs full |\n| --- | --- | --- | --- | --- | --- |\n");
	char sbuf[256];
	snprintf(sbuf, sizeof(sbuf), "%s", sizes_s);
	for (char *ss = strtok(sbuf, ","); ss; ss = strtok(NULL, ",")) {
		size_t T = (size_t)atol(ss);
		cc_agent_model_info *mi;
		size_t nm;
		if (cc_agent_models(&mi, &nm, a) == CC_OK && nm && T > mi[0].window - ao.reserve)
			T = mi[0].window - ao.reserve; /* the model's window, less the generation's room */
		cc_agent_models_free(mi, nm);
		double full_tps = 0;
		char bbuf[256];
		snprintf(bbuf, sizeof(bbuf), "full,%s", budgets_s);
		char *save = NULL;
		for (char *bs = strtok_r(bbuf, ",", &save); bs; bs = strtok_r(NULL, ",", &save)) {
			int full = !strcmp(bs, "full");
			double b = full ? 1 : atof(bs);
			double op[50], asm_[50], pri[50], pre[50], com[50], tps[50];
			size_t held = 0;
			for (int r = 0; r < reps; r++) {
				cc_agent_open_opts o = {0};
				cc_agent_session_info info;
				cc_agent_gen_opts g = {0};
				cc_agent_gen_result gr;
				o.model = model;
				o.device = device;
				o.text = text;
				o.text_len = len;
				o.max_context_tokens = T;
				o.truncate = 1;
				o.policy = full ? CC_AGENT_POLICY_FULL : policy;
				o.budget = b;
				if (cc_agent_session_open(&info, a, &o)) {
					fprintf(stderr, "bench_sessions: %s\n", cc_error_last());
					return 1;
				}
				asm_[r] = info.t_assemble;
				pri[r] = info.t_priors;
				pre[r] = info.t_prefill;
				com[r] = info.t_compress;
				op[r] = asm_[r] + pri[r] + pre[r] + com[r];
				held = info.kv_bytes_held;
				g.prompt = "\ndef solve(problem):\n";
				g.prompt_len = strlen(g.prompt);
				g.max_new = (size_t)max_new;
				g.no_eos = 1;
				if (cc_agent_session_generate(&gr, a, info.id, &g)) {
					fprintf(stderr, "bench_sessions: %s\n", cc_error_last());
					return 1;
				}
				tps[r] = gr.t_decode > 0 ? (double)gr.n_ids / gr.t_decode : 0;
				cc_agent_gen_result_clear(&gr);
				cc_agent_session_close(a, info.id);
				cc_agent_session_info_clear(&info);
			}
			double m[6], lo[6], hi[6];
			stat3(op, reps, &m[0], &lo[0], &hi[0]);
			stat3(asm_, reps, &m[1], &lo[1], &hi[1]);
			stat3(pri, reps, &m[2], &lo[2], &hi[2]);
			stat3(pre, reps, &m[3], &lo[3], &hi[3]);
			stat3(com, reps, &m[4], &lo[4], &hi[4]);
			stat3(tps, reps, &m[5], &lo[5], &hi[5]);
			if (full)
				full_tps = m[5];
			printf("| %zu | %s | %.3f [%.3f-%.3f] (%.4f / %.4f / %.3f / %.4f) | %.2f MB | "
			       "%.1f [%.1f-%.1f] | %.2fx |\n",
			       T, full ? "full" : bs, m[0], lo[0], hi[0],
			       m[1], m[2], m[3], m[4], (double)held / 1e6, m[5], lo[5], hi[5],
			       full_tps > 0 ? m[5] / full_tps : 0);
			fflush(stdout);
		}
	}
	cc_agent_free(a);
	free(text);
	return 0;
}
