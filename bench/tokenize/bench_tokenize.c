/*
 * bench_tokenize.c - tokenizer throughput on one core: every file of
 * fixtures/tokenizer/inputs (real Python stdlib sources and data, ~0.5 MB) encoded as one
 * text per tokenizer, repeated; prints the median MB/s of the repetitions, first (cold word
 * cache) and warm (thread CPU time), and ids per byte. Reference in the same run: GPT-2's
 * split regex alone over the same text (PCRE2 JIT, what pre-tokenization costs at least). Run from the source root:
 *   build/bin/bench_tokenize [REPS]
 */
#include "cc_common.h"
#include "cc_tokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU time of this thread: the machine is shared, wall time would count other processes. */
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
	int reps = argc > 1 ? atoi(argv[1]) : 9;
	const char *dir = "fixtures/tokenizer/inputs";
	const char *toks[] = {"pycode", "qwen2", "llama3", "prefix"};
	char *names[256], *all = NULL;
	size_t nn = 0, total = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d || reps < 1) {
		fprintf(stderr, "run from the source root: %s not found\n", dir);
		return 1;
	}
	while ((e = readdir(d)) && nn < 256)
		if (e->d_name[0] != '.')
			names[nn++] = cc_xstrdup(e->d_name);
	closedir(d);
	qsort(names, nn, sizeof(char *), cmps);
	for (size_t i = 0; i < nn; i++) {
		char p[512], *buf;
		size_t len;
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if (cc_read_file(&buf, &len, p, 0))
			return 1;
		all = cc_xrealloc(all, total + len + 1);
		memcpy(all + total, buf, len);
		total += len;
		free(buf);
		free(names[i]);
	}
	printf("input: %zu files, %zu bytes; %d repetitions, median\n", nn, total, reps);
	printf("%-8s %12s %12s %10s\n", "tokenizer", "cold MB/s", "warm MB/s", "ids/byte");
	for (size_t k = 0; k < sizeof(toks) / sizeof(toks[0]); k++) {
		char p[256];
		cc_tokenizer *t;
		snprintf(p, sizeof(p), "fixtures/tokenizer/tokenizers/%s.json", toks[k]);
		if (cc_tokenizer_load(&t, p)) {
			fprintf(stderr, "%s\n", cc_error_last());
			return 1;
		}
		double *mbs = calloc((size_t)reps, sizeof(double)), cold = 0;
		size_t n = 0;
		for (int r = 0; r < reps + 1; r++) {
			int32_t *ids;
			cc_token_span *off;
			double t0 = cpu_now();
			if (cc_tokenizer_encode(t, all, total, &ids, &off, &n))
				return 1;
			double dt = cpu_now() - t0;
			free(ids);
			free(off);
			if (r == 0)
				cold = total / dt / 1e6;
			else
				mbs[r - 1] = total / dt / 1e6;
		}
		qsort(mbs, (size_t)reps, sizeof(double), cmpd);
		printf("%-8s %12.1f %12.1f %10.3f\n", toks[k], cold, mbs[reps / 2], (double)n / total);
		free(mbs);
		cc_tokenizer_free(t);
	}
	/* reference: the GPT-2 split regex alone, match after match */
	{
		static const char pat[] =
			"'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
		int err;
		PCRE2_SIZE eoff;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
		                               &err, &eoff, NULL);
		pcre2_match_data *md = pcre2_match_data_create(1, NULL);
		double *mbs = calloc((size_t)reps, sizeof(double));
		size_t matches = 0;
		if (!re || !md || !mbs || pcre2_jit_compile(re, PCRE2_JIT_COMPLETE))
			return 1;
		for (int r = 0; r < reps; r++) {
			double t0 = cpu_now();
			size_t pos = 0;
			matches = 0;
			/* the fixture text is valid UTF-8 (the parity inputs) */
			while (pos < total && pcre2_jit_match(re, (PCRE2_SPTR)all, total, pos, 0, md, NULL) > 0) {
				PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
				pos = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
				matches++;
			}
			mbs[r] = total / (cpu_now() - t0) / 1e6;
		}
		qsort(mbs, (size_t)reps, sizeof(double), cmpd);
		printf("reference: GPT-2 split regex alone %.1f MB/s (%zu pieces)\n", mbs[reps / 2], matches);
		free(mbs);
		pcre2_match_data_free(md);
		pcre2_code_free(re);
	}
	free(all);
	return 0;
}
