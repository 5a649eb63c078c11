/*
 * bench_priors.c - time of the priors for a ~32K-token prompt after tokenization, on one core.
 * The prompt is a query plus the real Python files of fixtures/tokenizer/inputs (stdlib) in
 * name order until the token target is reached, each analysed in-process (the graphs the
 * store keeps), calls resolved by name. Prints the median over repetitions of the priors
 * alone (cc_priors_compute_tokens) next to the tokenization of the same prompt.
 *   build/bin/bench_priors [TARGET_TOKENS] [REPS]      (run from the source root)
 */
#include "analysis.h"
#include "cc_common.h"
#include "cc_priors.h"
#include "cc_tokenizer.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int cmps(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	size_t target = argc > 1 ? (size_t)atol(argv[1]) : 32768;
	int reps = argc > 2 ? atoi(argv[2]) : 21;
	const char *dir = "fixtures/tokenizer/inputs";
	const char *query = "Traceback (most recent call last):\n  File \"heapq.py\", line 140, in heappop\n"
			    "TypeError in TextWrapper._wrap_chunks when calling dedent and shlex.split\n";
	cc_tokenizer *tok;
	cc_analyzer *an;
	cc_prompt_segment segs[128];
	cc_file_graph *graphs[128];
	char *names[256], *bufs[128];
	size_t nn = 0, ns = 0, tokens = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d || cc_tokenizer_load(&tok, "fixtures/tokenizer/tokenizers/pycode.json") ||
	    cc_analyzer_new(&an)) {
		fprintf(stderr, "run from the source root (%s)\n", cc_error_last());
		return 1;
	}
	while ((e = readdir(d)) && nn < 256)
		if (strlen(e->d_name) > 3 && !strcmp(e->d_name + strlen(e->d_name) - 3, ".py"))
			names[nn++] = cc_xstrdup(e->d_name);
	closedir(d);
	qsort(names, nn, sizeof(char *), cmps);
	segs[ns++] = (cc_prompt_segment){NULL, query, strlen(query), 0, 0, NULL, NULL, 0};
	size_t nodes = 0;
	for (size_t i = 0; i < nn && tokens < target && ns < 128; i++) {
		char p[512];
		size_t len;
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if (cc_read_file(&bufs[ns], &len, p, 0) ||
		    cc_analyze(&graphs[ns], an, CC_LANG_PYTHON, bufs[ns], len))
			return 1;
		nodes += graphs[ns]->n_nodes;
		/* '__' in fixture names stands for '/' */
		segs[ns] = (cc_prompt_segment){names[i], bufs[ns], len, 0, 0, graphs[ns], NULL, 0};
		int32_t *ids;
		size_t n;
		if (cc_tokenizer_encode(tok, bufs[ns], len, &ids, NULL, &n))
			return 1;
		free(ids);
		uint32_t cut = 0;
		if (tokens + n > target) { /* a byte range of the last file, to land near the target */
			cut = (uint32_t)((double)len * (target - tokens) / n);
			segs[ns].end = cut ? cut : 1;
		}
		tokens += cut ? target - tokens : n;
		ns++;
	}
	char *text;
	size_t len, n;
	int32_t *ids;
	cc_token_span *off;
	if (cc_prompt_assemble(&text, &len, NULL, segs, ns))
		return 1;
	double *tt = calloc((size_t)reps, sizeof(double)), *tp = calloc((size_t)reps, sizeof(double));
	cc_priors_opts o = {query, strlen(query), 8192, 0, 0};
	cc_priors *pr = NULL;
	for (int r = 0; r < reps; r++) {
		double t0 = cpu_now();
		if (cc_tokenizer_encode(tok, text, len, &ids, &off, &n))
			return 1;
		double t1 = cpu_now();
		if (cc_priors_compute_tokens(&pr, text, len, ids, off, n, segs, ns, &o, NULL)) {
			fprintf(stderr, "%s\n", cc_error_last());
			return 1;
		}
		double t2 = cpu_now();
		tt[r] = t1 - t0;
		tp[r] = t2 - t1;
		if (r + 1 < reps)
			cc_priors_free(pr);
		free(ids);
		free(off);
	}
	qsort(tt, (size_t)reps, sizeof(double), cmpd);
	qsort(tp, (size_t)reps, sizeof(double), cmpd);
	printf("prompt: %zu files, %zu bytes, %zu tokens, %zu graph nodes, %zu seeds, %zu chunks\n",
	       ns - 1, len, pr->n_tokens, nodes, pr->n_seeds, pr->n_chunks);
	printf("median of %d (thread CPU time): priors %.2f ms, tokenization %.2f ms (priors/tokenize %.2f)\n",
	       reps, tp[reps / 2] * 1e3, tt[reps / 2] * 1e3, tp[reps / 2] / tt[reps / 2]);
	cc_priors_free(pr);
	free(text);
	return 0;
}
