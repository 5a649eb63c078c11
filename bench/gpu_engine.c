/*
 * gpu_engine.c - end-to-end speed of the CUDA engine on a checkpoint (pycode-16m): prefill
 * tokens/s at 2K and 4K tokens (one chunk, last-token logits, as a generation prefill), decode
 * tokens/s (greedy, 256 steps after a 512-token prompt, logits copied to the host each step;
 * variants with each switch of the decode path off, and the launch fusions' speed-up),
 * prefill of 4096 tokens in the engine's default chunks (2048 tokens on CUDA),
 * and the KV bytes held after the 4K prefill against layers x 2 x kv_heads x head_dim x 2 B x
 * tokens. Inputs: the ids of fixtures/engine/hf_ref_pycode.json's first input, tiled (the
 * same ids bench/gpu_hf_baseline.py feeds transformers). Medians after warm-up.
 *   usage: gpu_engine MODEL_DIR [JSON_OUT]
 * Prints a markdown table; JSON_OUT receives the figures for gpu_hf_baseline.py's ratios.
 */
#include "cc_common.h"
#include "cc_engine.h"
#include "cc_kernels.h"

#include <cuda_runtime_api.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(double), cmp_d);
	return v[n / 2];
}

#define DIE(...)                                             \
	do {                                                 \
		fprintf(stderr, "gpu_engine: " __VA_ARGS__); \
		fprintf(stderr, ": %s\n", cc_error_last());  \
		return 1;                                    \
	} while (0)

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gpu_engine MODEL_DIR [JSON_OUT]\n");
		return 2;
	}
	if (cc_kernels_device_count() == 0) {
		fprintf(stderr, "gpu_engine: no CUDA device\n");
		return 77;
	}
	json_error_t je;
	json_t *ref = json_load_file("fixtures/engine/hf_ref_pycode.json", 0, &je);
	if (!ref) {
		fprintf(stderr, "gpu_engine: fixtures/engine/hf_ref_pycode.json: %s\n", je.text);
		return 1;
	}
	json_t *src = json_object_get(json_array_get(json_object_get(ref, "inputs"), 0), "ids");
	size_t ns = json_array_size(src), N = 4096;
	int32_t *ids = malloc(N * sizeof(int32_t));
	for (size_t i = 0; i < N; i++)
		ids[i] = (int32_t)json_integer_value(json_array_get(src, i % ns));

	cc_model *m = NULL;
	cc_model_opts mo = {CC_DEVICE_CUDA, 0};
	if (cc_model_load(&m, argv[1], &mo))
		DIE("load %s", argv[1]);
	cc_model_info info;
	cc_model_info_get(&info, m);
	float *logits = malloc((size_t)info.vocab * sizeof(float));
	json_t *res = json_object();
	printf("| engine (codecomp, CUDA bf16) | figure |\n| --- | --- |\n");

	/* GPU_ENGINE_DECODE_ONLY=1: the decode figures alone (a short device call) */
	const char *dos = getenv("GPU_ENGINE_DECODE_ONLY");
	int decode_only = dos && !strcmp(dos, "1");
	/* GPU_ENGINE_PREFILL_ONLY=1: the prefill rows alone (2K and 4K with the defaults, layers
	 * kernel by kernel and the wgmma attention; 4K in the default chunks), no decode (a short
	 * device call) */
	const char *pos = getenv("GPU_ENGINE_PREFILL_ONLY");
	int prefill_only = pos && !strcmp(pos, "1");
	int lens[2] = {2048, 4096};
	/* v: 0 the defaults, 1 the cuBLAS products tuned (cc_kernels_gemm_set_tune(1); off by
	 * default), 2 each layer launched kernel by kernel (CC_PF_GRAPH=0), 3 the wgmma
	 * attention kernel instead of the mma.sync one (the same on builds or devices without
	 * wgmma), 4 the q/k/v product in f32 (CC_QKV_F32=1), 5 key split off, 6 the gate/up
	 * product in f32 (CC_GU_F32=1) */
	static const char *vname[] = {"",
	                              " (products tuned: CC_GEMM_TUNE=1)",
	                              " (layers kernel by kernel: CC_PF_GRAPH=0)",
	                              " (wgmma attention: CC_PF_WG=1)",
	                              " (q/k/v product in f32: CC_QKV_F32=1)",
	                              " (key split off)",
	                              " (gate/up product in f32: CC_GU_F32=1)"};
	for (int v = decode_only ? 7 : 0; v < (prefill_only ? 4 : 7); v++)
		for (int li = 0; li < 2; li++) {
			size_t T = (size_t)lens[li];
			int sp = v != 5;
			cc_kernels_set_prefill_split(sp);
			cc_kernels_set_prefill_wgmma(v == 3 ? 1 : -1);
			cc_kernels_gemm_set_tune(v == 1 ? 1 : -1);
			if (v == 2) /* read when the session is made */
				setenv("CC_PF_GRAPH", "0", 1);
			if (v == 4)
				setenv("CC_QKV_F32", "1", 1);
			if (v == 6)
				setenv("CC_GU_F32", "1", 1);
			cc_session_opts so = {0};
			cc_session *s = NULL;
			so.max_tokens = T;
			so.prefill_chunk = (int)T;
			so.obs_window = -1;
			if (cc_session_new(&s, m, &so))
				DIE("session");
			double t[12];
			for (int r = 0; r < 15; r++) {
				cc_session_reset(s);
				double t0 = cc_now();
				if (cc_session_prefill(s, ids, T, logits))
					DIE("prefill");
				if (r >= 3)
					t[r - 3] = cc_now() - t0;
			}
			double med = median(t, 12);
			printf("| prefill %zu tokens%s | %.3f ms, %.0f tokens/s |\n", T, vname[v],
			       med * 1e3, T / med);
			char key[64];
			snprintf(key, sizeof(key),
			         v == 1   ? "prefill_%zu_tuned_tok_s"
			         : v == 2 ? "prefill_%zu_eager_tok_s"
			         : v == 3 ? "prefill_%zu_wgmma_tok_s"
			         : v == 4 ? "prefill_%zu_qkv_f32_tok_s"
			                  : "prefill_%zu_tok_s",
			         T);
			if (v < 5)
				json_object_set_new(res, key, json_real(T / med));
			if (T == 4096 && v == 0) {
				cc_cache_stats cs;
				cc_session_cache_stats(&cs, s);
				size_t formula = (size_t)info.n_layers * 2 * info.n_kv_heads * info.head_dim * 2 * T;
				printf("| KV bytes after %zu tokens | %zu (formula %zu, block rounding %zu) |\n", T,
				       cs.bytes_used, formula, cs.bytes_used - formula);
				json_object_set_new(res, "kv_bytes_4096", json_integer((json_int_t)cs.bytes_used));
				json_object_set_new(res, "kv_formula_4096", json_integer((json_int_t)formula));
			}
			cc_session_free(s);
			unsetenv("CC_GU_F32");
			unsetenv("CC_QKV_F32");
			unsetenv("CC_PF_GRAPH");
		}

	cc_kernels_set_prefill_wgmma(-1);
	cc_kernels_gemm_set_tune(-1);
	/* the engine's default chunking (2048-token chunks on CUDA: engine.c) on the same 4096
	 * tokens */
	for (int sp = decode_only ? -1 : 1; sp >= (prefill_only ? 1 : 0); sp--) {
		cc_kernels_set_prefill_split(sp);
		cc_session_opts so = {0};
		cc_session *s = NULL;
		so.max_tokens = N;
		so.obs_window = -1;
		if (cc_session_new(&s, m, &so))
			DIE("session");
		double t[7];
		for (int r = 0; r < 9; r++) {
			cc_session_reset(s);
			double t0 = cc_now();
			if (cc_session_prefill(s, ids, N, logits))
				DIE("prefill");
			if (r >= 2)
				t[r - 2] = cc_now() - t0;
		}
		double med = median(t, 7);
		printf("| prefill %zu tokens in the default chunks (2048)%s | %.3f ms, %.0f tokens/s |\n", N,
		       sp ? "" : " (key split off)", med * 1e3, N / med);
		if (sp)
			json_object_set_new(res, "prefill_4096_default_chunks_tok_s", json_real(N / med));
		cc_session_free(s);
	}

	cc_kernels_set_prefill_split(1);
	if (prefill_only)
		goto done;
	/* the weight-read limit of a decode step: every bf16 weight but the input embedding
	 * (one row of it is read) at the device's copy bandwidth, measured here */
	double copy_bw = 0;
	{
		size_t cb = (size_t)1 << 30;
		void *d0 = NULL, *d1 = NULL;
		double t[9];
		if (cudaMalloc(&d0, cb) == cudaSuccess && cudaMalloc(&d1, cb) == cudaSuccess) {
			for (int r = 0; r < 11; r++) {
				cudaDeviceSynchronize();
				double t0 = cc_now();
				cudaMemcpy(d1, d0, cb, cudaMemcpyDeviceToDevice);
				cudaDeviceSynchronize();
				if (r >= 2)
					t[r - 2] = cc_now() - t0;
			}
			copy_bw = 2.0 * cb / median(t, 9);
		}
		cudaFree(d0);
		cudaFree(d1);
	}
	double wbytes = ((double)info.n_params - (double)info.vocab * info.hidden) * 2;
	double limit_ms = copy_bw > 0 ? wbytes / copy_bw * 1e3 : 0;
	printf("| device copy (D2D 1 GiB, read + write) | %.0f GB/s |\n", copy_bw / 1e9);
	printf("| decode weight-read limit | %.2f GB / copy bandwidth = %.3f ms/token |\n",
	       wbytes / 1e9, limit_ms);
	/* decode: 512-token prompt, 256 greedy steps. Variants, each a switch against the
	 * default (CUDA graph, matrix-vector kernels with PDL, RoPE and the K/V store in the q/k/v
	 * product, the attention's merge in its own launch removed, the attention launched with
	 * PDL; logits to the host and the argmax there): without PDL, cuBLAS (CC_GEMV=0), eager
	 * launches, the greedy choice on the device, and the three changes of issue 14 item 4
	 * turned off one at a time and together (CC_GEMV_ROPE=0, CC_ATTN_MERGE=0,
	 * cc_kernels_set_decode_pdl(0)), with the host argmax and on the device. */
	static const struct {
		const char *name;
		int graphs, gemv, pdl, greedy, rope, merge, apdl;
	} vars[] = {
		{"", 1, 1, 1, 0, 1, 1, 1},
		{" without PDL (matrix-vector and attention kernels)", 1, 1, 0, 0, 1, 1, 0},
		{" with cuBLAS (CC_GEMV=0)", 1, 0, 1, 0, 1, 1, 1},
		{" without CUDA graph", 0, 1, 1, 0, 1, 1, 1},
		{", greedy choice on the device (cc_session_decode_greedy)", 1, 1, 1, 1, 1, 1, 1},
		{", RoPE in its own launch (CC_GEMV_ROPE=0)", 1, 1, 1, 0, 0, 1, 1},
		{", attention merge in its own launch (CC_ATTN_MERGE=0)", 1, 1, 1, 0, 1, 0, 1},
		{", attention launched without PDL", 1, 1, 1, 0, 1, 1, 0},
		{", all three off (CC_GEMV_ROPE=0 CC_ATTN_MERGE=0, attention without PDL: the state "
	         "before)",
	         1, 1, 1, 0, 0, 0, 0},
		{", greedy on the device, all three off", 1, 1, 1, 1, 0, 0, 0},
	};
	enum { NVARS = sizeof(vars) / sizeof(vars[0]) };
	double ms_tok[NVARS] = {0};
	/* GPU_ENGINE_DECODE_VARS=0,4: only these variants (indices into vars; a short call that
	 * compares kernel switches read from the environment across processes) */
	const char *dvs = getenv("GPU_ENGINE_DECODE_VARS");
	for (int var = 0; var < NVARS; var++) {
		if (dvs && *dvs) {
			int want = 0;
			for (const char *c = dvs; *c;) {
				char *end;
				long v = strtol(c, &end, 10);
				if (end == c)
					break;
				want |= v == var;
				c = *end == ',' ? end + 1 : end;
			}
			if (!want)
				continue;
		}
		int greedy = vars[var].greedy;
		setenv("CC_CUDA_GRAPHS", vars[var].graphs ? "1" : "0", 1);
		setenv("CC_GEMV", vars[var].gemv ? "1" : "0", 1);
		setenv("CC_GEMV_ROPE", vars[var].rope ? "1" : "0", 1);
		setenv("CC_ATTN_MERGE", vars[var].merge ? "1" : "0", 1);
		cc_kernels_set_gemv_pdl(vars[var].pdl);
		cc_kernels_set_decode_pdl(vars[var].apdl);
		cc_session_opts so = {0};
		cc_session *s = NULL;
		size_t P = 512, steps = 256;
		so.max_tokens = P + steps + 8;
		so.obs_window = -1;
		if (cc_session_new(&s, m, &so))
			DIE("session");
		double t[5], t_arg = 0;
		int reps = decode_only ? 4 : 6; /* the first is warm-up */
		for (int r = 0; r < reps; r++) {
			cc_session_reset(s);
			if (cc_session_prefill(s, ids, P, logits))
				DIE("prefill");
			double t0 = cc_now();
			int32_t gnext = 0;
			for (size_t v = 1; greedy && v < (size_t)info.vocab; v++)
				if (logits[v] > logits[gnext])
					gnext = (int32_t)v;
			for (size_t i = 0; i < steps && greedy; i++)
				if (cc_session_decode_greedy(s, gnext, &gnext))
					DIE("decode_greedy");
			for (size_t i = 0; i < steps && !greedy; i++) {
				double ta = cc_now();
				int32_t next = 0;
				for (int v = 1; v < info.vocab; v++)
					if (logits[v] > logits[next])
						next = v;
				if (r >= 1)
					t_arg += cc_now() - ta;
				if (cc_session_decode(s, next, logits))
					DIE("decode");
			}
			if (r >= 1)
				t[r - 1] = cc_now() - t0;
		}
		double med = median(t, reps - 1);
		printf("| decode (batch 1, %zu steps after %zu tokens)%s | %.3f ms/token (runs %.3f to "
		       "%.3f), %.0f tokens/s, %.0f%% of the weight-read limit |\n",
		       steps, P, vars[var].name,
		       med / steps * 1e3, t[0] / steps * 1e3, t[reps - 2] / steps * 1e3, steps / med,
		       limit_ms > 0 ? 100.0 * limit_ms / (med / steps * 1e3) : 0.0);
		ms_tok[var] = med / steps * 1e3;
		if (var == 0)
			printf("| of which the host's greedy argmax over the logits | %.3f ms/token |\n",
			       t_arg / (reps - 1) / steps * 1e3);
		if (var == 0)
			json_object_set_new(res, "decode_tok_s", json_real(steps / med));
		cc_session_free(s);
	}
	/* the launch fusions against the state before, same run */
	if (ms_tok[8] > 0 && ms_tok[0] > 0)
		printf("| decode speed-up of the fusions (host argmax: all three off -> default) | %.3f -> %.3f "
		       "ms/token, %.3fx |\n",
		       ms_tok[8], ms_tok[0], ms_tok[8] / ms_tok[0]);
	if (ms_tok[9] > 0 && ms_tok[4] > 0)
		printf("| decode speed-up of the fusions (greedy on the device: all three off -> default) | %.3f -> "
		       "%.3f ms/token, %.3fx |\n",
		       ms_tok[9], ms_tok[4], ms_tok[9] / ms_tok[4]);
	cc_kernels_set_gemv_pdl(1);
	cc_kernels_set_decode_pdl(1);
	unsetenv("CC_GEMV_ROPE");
	unsetenv("CC_ATTN_MERGE");
done:
	if (argc > 2 && json_dump_file(res, argv[2], JSON_INDENT(1)))
		fprintf(stderr, "gpu_engine: cannot write %s\n", argv[2]);
	json_decref(res);
	json_decref(ref);
	free(ids);
	free(logits);
	cc_model_free(m);
	return 0;
}
