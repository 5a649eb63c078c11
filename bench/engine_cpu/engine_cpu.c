/*
 * engine_cpu.c - CPU engine speed on pycode-16m: prefill tokens/s at a few prompt lengths and
 * decode tokens/s after a prompt, each the median of several runs, with 1 thread and with N
 * threads in the same run (the ratio is the parallel speed-up). Input: real code tokens
 * (the HF-tokenized stdlib inputs of fixtures/engine/hf_ref_pycode.json, repeated as needed).
 *
 * usage: bench_engine_cpu [MODEL_DIR] [THREADS] [REPS]
 */
#include "cc_common.h"
#include "cc_engine.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_d);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static int load_ids(int32_t *ids, size_t want)
{
	json_error_t je;
	json_t *r = json_load_file("fixtures/engine/hf_ref_pycode.json", 0, &je), *in;
	size_t k, n = 0;
	if (!r)
		return -1;
	while (n < want) {
		json_array_foreach(json_object_get(r, "inputs"), k, in)
		{
			json_t *a = json_object_get(in, "ids");
			for (size_t i = 0; i < json_array_size(a) && n < want; i++)
				ids[n++] = (int32_t)json_integer_value(json_array_get(a, i));
		}
	}
	json_decref(r);
	return 0;
}

/* Prefill tokens/s and decode tokens/s (median of reps) for one thread count. */
static int run(const char *dir, int threads, int reps, const int32_t *ids, const size_t *lens,
               int nlens, double *prefill_tps, double *decode_tps)
{
	cc_model *m = NULL;
	cc_model_opts mo = {CC_DEVICE_CPU, threads};
	double t[16];
	if (cc_model_load(&m, dir, &mo))
		return -1;
	for (int li = 0; li < nlens; li++) {
		cc_session_opts so = {0};
		cc_session *s = NULL;
		so.max_tokens = lens[li] + 128;
		so.obs_window = -1;
		if (cc_session_new(&s, m, &so))
			return -1;
		for (int r = 0; r < reps; r++) {
			cc_session_reset(s);
			double t0 = cc_now();
			if (cc_session_prefill(s, ids, lens[li], NULL))
				return -1;
			t[r] = (double)lens[li] / (cc_now() - t0);
		}
		prefill_tps[li] = median(t, reps);
		cc_session_free(s);
	}
	{
		cc_session_opts so = {0};
		cc_session *s = NULL;
		so.max_tokens = 512 + 64;
		so.obs_window = -1;
		if (cc_session_new(&s, m, &so))
			return -1;
		for (int r = 0; r < reps; r++) {
			cc_session_reset(s);
			if (cc_session_prefill(s, ids, 512, NULL))
				return -1;
			double t0 = cc_now();
			for (int i = 0; i < 64; i++)
				if (cc_session_decode(s, ids[512 + i], NULL))
					return -1;
			t[r] = 64.0 / (cc_now() - t0);
		}
		*decode_tps = median(t, reps);
		cc_session_free(s);
	}
	cc_model_free(m);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../shared/models/pycode-16m";
	long np = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = argc > 2 ? atoi(argv[2]) : (int)(np > 0 ? np : 1);
	int reps = argc > 3 ? atoi(argv[3]) : 3;
	size_t lens[] = {128, 512, 1024};
	int nl = 3;
	double p1[3], pn[3], d1, dn;
	static int32_t ids[2048];

	if (reps < 1 || reps > 15 || threads < 1) {
		fprintf(stderr, "usage: bench_engine_cpu [MODEL_DIR] [THREADS] [REPS 1..15]\n");
		return 2;
	}
	if (load_ids(ids, 2048)) {
		fprintf(stderr, "bench: run from the source root (fixtures/engine/hf_ref_pycode.json)\n");
		return 1;
	}
	if (run(dir, 1, reps, ids, lens, nl, p1, &d1) ||
	    run(dir, threads, reps, ids, lens, nl, pn, &dn)) {
		fprintf(stderr, "bench: %s\n", cc_error_last());
		return 1;
	}
	printf("engine_cpu: %s, f32 CPU reference, median of %d runs\n", dir, reps);
	printf("%-22s %12s %12s %8s\n", "", "1 thread", "threads", "ratio");
	for (int i = 0; i < nl; i++)
		printf("prefill %4zu tok/s      %12.1f %12.1f %8.2f\n", lens[i], p1[i], pn[i],
		       pn[i] / p1[i]);
	printf("decode (ctx 512) tok/s %12.1f %12.1f %8.2f\n", d1, dn, dn / d1);
	printf("threads = %d\n", threads);
	return 0;
}
