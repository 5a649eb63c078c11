/*
 * gpu_kvq_decode.c - decode speed of the CUDA engine with a quantized KV cache against the
 * bf16 cache, measured in the same run (issue 16's target: decode at 32K tokens with INT4
 * faster than with bf16). For each context length and cache format: one session, a prefill
 * of CTX tokens in the engine's default chunks (timed once, reported as a side figure), then
 * STEPS decode steps (teacher forced, logits copied to the host each step, as generation
 * does); the median step time and its 10-90% spread, tokens/s, the ratio to bf16 (bf16 step
 * time / this format's: above 1 = faster), and the KV bytes the session holds (scales and
 * the bf16 residual window included) against bf16's. Inputs: fixtures/engine/
 * hf_ref_pycode.json's first input tiled. Prints markdown; exit 77 without a CUDA device.
 *   usage: gpu_kvq_decode MODEL_DIR [--ctx 4096,32768] [--steps 64]
 *                         [--formats bf16,int8-kivi,int4-kivi,int4-rotated,int2-rotated]
 * bf16 is always measured first (the reference of the ratios).
 */
#include "cc_common.h"
#include "cc_engine.h"
#include "cc_kernels.h"
#include "cc_kv.h"

#include <cuda_runtime_api.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef struct {
	char name[32];
	int method, bits;
} fmt;

static int parse_fmt(fmt *f, const char *s)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", s);
	if (!strcmp(s, "bf16"))
		return 0;
	int bits = 0;
	char meth[16] = "";
	if (sscanf(s, "int%d-%15s", &bits, meth) != 2 || (bits != 8 && bits != 4 && bits != 2) ||
	    cc_kv_quant_parse(meth) <= 0)
		return -1;
	f->bits = bits;
	f->method = cc_kv_quant_parse(meth);
	return 0;
}

typedef struct {
	double step_med, step_p10, step_p90, prefill_s;
	size_t bytes;
} result;

static int measure(cc_model *m, const fmt *f, const int32_t *ids, size_t ctx, int steps,
                   float *logits, result *r)
{
	cc_session_opts so = {0};
	cc_session *s = NULL;
	double *t = malloc((size_t)steps * sizeof(double));
	int rc;
	so.max_tokens = ctx + (size_t)steps + 8;
	so.obs_window = -1;
	so.kv_quant = f->method;
	so.kv_bits = f->bits;
	if ((rc = cc_session_new(&s, m, &so)))
		goto out;
	double t0 = cc_now();
	if ((rc = cc_session_prefill(s, ids, ctx, logits)))
		goto out;
	r->prefill_s = cc_now() - t0;
	cc_cache_stats cs;
	cc_session_cache_stats(&cs, s);
	r->bytes = cs.seq_bytes;
	for (int i = 0; i < steps + 4; i++) {
		double a = cc_now();
		if ((rc = cc_session_decode(s, ids[(ctx + (size_t)i) % ctx], logits)))
			goto out;
		if (i >= 4) /* the first steps capture the decode graph */
			t[i - 4] = cc_now() - a;
	}
	qsort(t, (size_t)steps, sizeof(double), cmp_d);
	r->step_med = t[steps / 2];
	r->step_p10 = t[steps / 10];
	r->step_p90 = t[steps - 1 - steps / 10];
out:
	cc_session_free(s);
	free(t);
	return rc;
}

int main(int argc, char **argv)
{
	const char *ctxs = "4096,32768", *fmts = "bf16,int8-kivi,int4-kivi,int4-rotated,int2-rotated";
	int steps = 64;
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: gpu_kvq_decode MODEL_DIR [--ctx 4096,32768] [--steps 64] "
		                "[--formats %s]\n",
		        fmts);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--ctx"))
			ctxs = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--steps"))
			steps = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--formats"))
			fmts = argv[++i];
		else {
			fprintf(stderr, "gpu_kvq_decode: unknown argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (steps < 10 || steps > 100000) {
		fprintf(stderr, "gpu_kvq_decode: --steps %d (10 or more)\n", steps);
		return 2;
	}
	fmt F[16];
	int nf = 1;
	parse_fmt(&F[0], "bf16");
	{
		char buf[512], *save = NULL;
		snprintf(buf, sizeof(buf), "%s", fmts);
		for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (!strcmp(tok, "bf16"))
				continue;
			if (nf == 16 || parse_fmt(&F[nf], tok)) {
				fprintf(stderr, "gpu_kvq_decode: bad format '%s' (bf16, int8|int4|int2 "
				                "-kivi|-rotated)\n",
				        tok);
				return 2;
			}
			nf++;
		}
	}
	if (cc_kernels_device_count() == 0) {
		fprintf(stderr, "gpu_kvq_decode: no CUDA device\n");
		return 77;
	}
	json_error_t je;
	json_t *ref = json_load_file("fixtures/engine/hf_ref_pycode.json", 0, &je);
	if (!ref) {
		fprintf(stderr, "gpu_kvq_decode: fixtures/engine/hf_ref_pycode.json: %s\n", je.text);
		return 1;
	}
	json_t *src = json_object_get(json_array_get(json_object_get(ref, "inputs"), 0), "ids");
	size_t ns = json_array_size(src);
	cc_model *m = NULL;
	cc_model_opts mo = {CC_DEVICE_CUDA, 0};
	if (cc_model_load(&m, argv[1], &mo)) {
		fprintf(stderr, "gpu_kvq_decode: load %s: %s\n", argv[1], cc_error_last());
		return 1;
	}
	cc_model_info info;
	cc_model_info_get(&info, m);
	float *logits = malloc((size_t)info.vocab * sizeof(float));
	struct cudaDeviceProp prop;
	char when[64];
	time_t now = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess)
		snprintf(prop.name, sizeof(prop.name), "?");
	printf("Decode with a quantized KV cache vs bf16 (CUDA engine), %s, %s; model %s (%d "
	       "layers, %d/%d heads, head_dim %d); %d steps per row, median step time [10%%-90%%]; "
	       "ratio = bf16 step time / this step time (> 1: faster); bytes = KV the session "
	       "holds after the prefill, scales and bf16 residual window included.\n\n",
	       when, prop.name, argv[1], info.n_layers, info.n_heads, info.n_kv_heads,
	       info.head_dim, steps);
	printf("| context | cache | step ms [10-90%%] | tokens/s | ratio vs bf16 | KV bytes | bytes "
	       "vs bf16 | prefill s |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	char cbuf[256], *save = NULL;
	int rc_all = 0;
	snprintf(cbuf, sizeof(cbuf), "%s", ctxs);
	for (char *tok = strtok_r(cbuf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t ctx = (size_t)atol(tok);
		if (ctx < 64 || ctx > ((size_t)1 << 22)) {
			fprintf(stderr, "gpu_kvq_decode: bad context '%s'\n", tok);
			return 2;
		}
		int32_t *ids = malloc(ctx * sizeof(int32_t));
		for (size_t i = 0; i < ctx; i++)
			ids[i] = (int32_t)json_integer_value(json_array_get(src, i % ns));
		result base = {0};
		for (int k = 0; k < nf; k++) {
			result r = {0};
			if (measure(m, &F[k], ids, ctx, steps, logits, &r)) {
				printf("| %zu | %s | failed: %s | | | | | |\n", ctx, F[k].name, cc_error_last());
				rc_all = 1;
				continue;
			}
			if (k == 0)
				base = r;
			printf("| %zu | %s | %.3f [%.3f-%.3f] | %.0f | %.2f | %zu | %.3f | %.2f |\n", ctx,
			       F[k].name, r.step_med * 1e3, r.step_p10 * 1e3, r.step_p90 * 1e3,
			       1.0 / r.step_med, base.step_med > 0 ? base.step_med / r.step_med : 0,
			       r.bytes, base.bytes ? (double)r.bytes / (double)base.bytes : 0,
			       r.prefill_s);
			fflush(stdout);
		}
		free(ids);
	}
	cc_model_free(m);
	free(logits);
	json_decref(ref);
	return rc_all;
}
