/*
 * sampler.c - the host's token sampler (cc_sampler_sample: greedy, temperature, top-p) on a
 * vocabulary of a real code model's size, against the plain method measured in the same run:
 * a softmax over every token and a sort of all of them by probability (what the engine did
 * before 2026-12-07, and what a nucleus is defined by). Both run on the same logits; the
 * figures are the median time per sample over REPS rounds of 50 samples, with the spread.
 *
 * Logits: the last-position logits of pycode-16m on a real stdlib prompt (its own vocabulary)
 * when MODEL_DIR is given, and always a 128,256-token vocabulary (Llama 3's) made from a
 * seeded heavy-tailed draw with a few dominant tokens, as a trained model's next-token
 * distribution has.
 *
 * usage: bench_sampler [MODEL_DIR] [REPS]
 */
#include "cc_common.h"
#include "cc_engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef struct {
	float p;
	int32_t id;
} ref_pid;

static int ref_desc(const void *a, const void *b)
{
	const ref_pid *x = a, *y = b;
	if (x->p != y->p)
		return x->p > y->p ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* the plain method, as the engine had it: NaN refused, softmax, sort every token, nucleus,
 * draw (u from the caller) */
static int32_t ref_sample(const float *l, int nv, double temp, double top_p, double u)
{
	int best = 0;
	for (int i = 0; i < nv; i++) {
		if (isnan(l[i]))
			return -1;
		if (l[i] > l[best])
			best = i;
	}
	if (temp <= 0)
		return best;
	ref_pid *pi = malloc((size_t)nv * sizeof(*pi));
	double z = 0, mass = 0, kz = 0;
	for (int i = 0; i < nv; i++) {
		pi[i].p = (float)exp(((double)l[i] - l[best]) / temp);
		pi[i].id = i;
		z += pi[i].p;
	}
	qsort(pi, (size_t)nv, sizeof(*pi), ref_desc);
	int keep = nv;
	if (top_p > 0 && top_p < 1)
		for (int i = 0; i < nv; i++) {
			mass += pi[i].p / z;
			if (mass >= top_p) {
				keep = i + 1;
				break;
			}
		}
	for (int i = 0; i < keep; i++)
		kz += pi[i].p;
	double r = u * kz;
	int32_t pick = pi[keep - 1].id;
	for (int i = 0; i < keep; i++) {
		r -= pi[i].p;
		if (r < 0) {
			pick = pi[i].id;
			break;
		}
	}
	free(pi);
	return pick;
}

static void run(const char *what, const float *l, int nv, int reps)
{
	const float temps[3] = {0, 0.8f, 1.0f}, tops[3] = {0, 0.95f, 0};
	const char *names[3] = {"greedy", "temperature 0.8, top-p 0.95", "temperature 1.0, every token"};
	const int per = 50;
	double *ta = malloc((size_t)reps * sizeof(double)), *tb = malloc((size_t)reps * sizeof(double));
	for (int c = 0; c < 3; c++) {
		cc_sampler s;
		cc_sampler_init(&s, temps[c], tops[c], 7);
		volatile long sink = 0;
		for (int r = 0; r < reps; r++) {
			double t0 = cc_now();
			for (int i = 0; i < per; i++)
				sink += cc_sampler_sample(&s, l, nv);
			ta[r] = (cc_now() - t0) / per * 1e3;
			t0 = cc_now();
			for (int i = 0; i < per; i++)
				sink += ref_sample(l, nv, temps[c], tops[c], (i + 0.5) / per);
			tb[r] = (cc_now() - t0) / per * 1e3;
		}
		qsort(ta, (size_t)reps, sizeof(double), cmp_d);
		qsort(tb, (size_t)reps, sizeof(double), cmp_d);
		double ma = ta[reps / 2], mb = tb[reps / 2];
		printf("| %s | %d | %s | %.3f ms (%.3f-%.3f) | %.3f ms (%.3f-%.3f) | %.1fx |\n", what, nv,
		       names[c], ma, ta[0], ta[reps - 1], mb, tb[0], tb[reps - 1], mb / ma);
		(void)sink;
	}
	free(ta);
	free(tb);
}

int main(int argc, char **argv)
{
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	if (reps < 1)
		reps = 1;
	printf("| logits | vocabulary | sampler | cc_sampler_sample, median (range) | sort every token | "
	       "speed-up |\n| --- | ---: | --- | ---: | ---: | ---: |\n");
	if (argc > 1 && strcmp(argv[1], "-")) {
		cc_model *m = NULL;
		cc_model_info info;
		cc_session *s = NULL;
		cc_model_opts mo = {CC_DEVICE_CPU, 1};
		cc_session_opts so = {0};
		so.max_tokens = 64;
		const int32_t ids[] = {1, 29871, 1753, 903, 2344, 1649, 1311, 29898, 1311, 29892};
		if (cc_model_load(&m, argv[1], &mo))
			s = NULL;
		else
			cc_model_info_get(&info, m);
		if (!m || cc_session_new(&s, m, &so)) {
			fprintf(stderr, "bench_sampler: %s\n", cc_error_last());
			return 1;
		}
		float *l = malloc((size_t)info.vocab * sizeof(float));
		int32_t p[10];
		for (int i = 0; i < 10; i++)
			p[i] = ids[i] % info.vocab;
		if (cc_session_prefill(s, p, 10, l)) {
			fprintf(stderr, "bench_sampler: %s\n", cc_error_last());
			return 1;
		}
		run("pycode-16m, a prompt's next token", l, info.vocab, reps);
		free(l);
		cc_session_free(s);
		cc_model_free(m);
	}
	const int nv = 128256;
	float *l = malloc((size_t)nv * sizeof(float));
	uint64_t x = 42;
	for (int i = 0; i < nv; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		double u = ((double)(x >> 11) + 0.5) / 9007199254740992.0;
		l[i] = (float)(-log(-log(u)) * 1.5 - 4.0); /* Gumbel: a long upper tail */
	}
	for (int i = 0; i < 8; i++)
		l[(i * 7919 + 13) % nv] = 18.0f - (float)i; /* a few dominant tokens */
	run("seeded heavy-tailed, 8 dominant tokens", l, nv, reps);
	free(l);
	return 0;
}
