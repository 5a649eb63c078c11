/*
 * test_gpu_engine_kvq.c - quantized KV caches on the CUDA engine (issue 16) against the CPU
 * engine with the same cache format (bf16 residual window, kv_dtype set on both):
 *   - tiny random checkpoints of real code-model attention shapes (tests/engine/tiny_ckpt.h):
 *     every method (kivi, rotated) and width (8, 4, 2), a prefill in 32-token chunks (so
 *     later chunks attend over sealed, quantized blocks) then decode steps; the largest logit
 *     difference relative to the largest logit within a bound per width; shapes the quantized
 *     kernels do not take (head_dim 80/96, 16 query heads per KV head) refused by name;
 *   - pycode-16m on a real stdlib file: forward_all in 128-token chunks and teacher-forced
 *     decode steps, mean |dNLL| of the next token within a bound per width, top-1 agreement for
 *     INT8, and for INT2 the CUDA engine closer to the CPU's INT2 than the CPU's INT2 is to
 *     its bf16 cache (the device really reproduces the quantization);
 *   - observation statistics over a quantized cache, a fork compacted on the device (sealing
 *     and compaction kernels) and the original it shares blocks with: the same logits as the
 *     CPU engine doing the same; byte accounting (scales included) equal on both engines.
 * Skips (77) without a CUDA device; the pycode parts skip without the shared model.
 */
#include "cc_common.h"
#include "cc_engine.h"
#include "cc_kernels.h"
#include "cc_kv.h"
#include "test.h"

#include "../engine/tiny_ckpt.h"
#include "../num_util.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static const int kbits[3] = {8, 4, 2};

/* Allowed mean |dNLL| (pycode) and relative logit error (tiny) per width, CUDA vs CPU.
 * bf16 alone: 2e-2 and 5e-2 (test_gpu_engine); each step down in bits lets rows that differ
 * in their last bf16 bit land on different codes more often. */
/* Tolerances of CUDA against the CPU engine on the same quantized format. The two engines'
 * K/V rows differ by bf16 rounding before they are quantized; a row near a level boundary
 * then lands on the neighbouring level, an error of up to one quantization step, so the
 * difference grows with the step (2^-(bits-1) of a group's range) while the kernels
 * themselves agree to float rounding on identical codes (test_gpu_kvquant, test_gpu_kvseal).
 * Observed on an H100 (2026-12-05): attention output rel err at most 0.022 / 0.085 / 0.234
 * (int8 / int4 / int2) over the Llama and Qwen shapes, mean |dNLL| on pycode-16m at most
 * 0.0084 / 0.033 / 0.046 (int2 itself moves the NLL by 0.28-0.32 from bf16). With the
 * prefill's q/k/v product written in bf16 (2026-12-06, H100) the rows differ by one more
 * rounding: rel err at most 0.022 / 0.115 / 0.173, mean |dNLL| 0.0096 / 0.021 / 0.047. */
static double step(int bits)
{
	return ldexp(1.0, -(bits - 1));
}

static double nll_tol(int bits)
{
	return 0.015 + 0.25 * step(bits);
}

static double rel_tol(int bits)
{
	return 0.05 + 0.7 * step(bits);
}

static int new_sess(cc_session **s, cc_model *m, int method, int bits, int chunk,
                    size_t max_tokens)
{
	cc_session_opts so = {0};
	so.max_tokens = max_tokens;
	so.pool_tokens = 2 * max_tokens; /* room for a fork's copies */
	so.prefill_chunk = chunk;
	so.kv_dtype = CC_KV_BF16;
	so.kv_dtype_set = 1;
	so.kv_quant = method;
	so.kv_bits = method ? bits : 0;
	int rc = cc_session_new(s, m, &so);
	if (rc)
		fprintf(stderr, "session: %s\n", cc_error_last());
	return rc;
}

static double rel_err(const float *a, const float *b, size_t n)
{
	double md = 0, mb = 1e-9;
	for (size_t i = 0; i < n; i++) {
		double d = fabs((double)a[i] - b[i]);
		if (isnan(d))
			return INFINITY;
		md = d > md ? d : md;
		mb = fabs(b[i]) > mb ? fabs(b[i]) : mb;
	}
	return md / mb;
}


/* Logits of a session of m over ids: rows 0..np-1 by forward_all in `chunk`-token chunks,
 * rows np..n-1 by decode steps (teacher forced). out: n x V. Returns cc_status. */
static int run_logits(cc_model *m, int method, int bits, int chunk, const int32_t *ids,
                      size_t np, size_t n, int V, float *out, cc_cache_stats *st)
{
	cc_session *s = NULL;
	int rc = new_sess(&s, m, method, bits, chunk, n + 8);
	if (!rc)
		rc = cc_session_forward_all(s, ids, np, out);
	for (size_t i = np; !rc && i < n; i++)
		rc = cc_session_decode(s, ids[i], out + i * (size_t)V);
	if (!rc && st)
		cc_session_cache_stats(st, s);
	if (rc)
		fprintf(stderr, "run_logits: %s\n", cc_error_last());
	cc_session_free(s);
	return rc;
}

/* mean |log p_a(next) - log p_b(next)| over rows 0..n-2, and top-1 agreement */
static double mean_dnll(const float *a, const float *b, const int32_t *ids, size_t n, int V,
                        int *agree)
{
	double sum = 0;
	*agree = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		double d = fabs(logp_at(a + i * (size_t)V, V, ids[i + 1]) -
		                logp_at(b + i * (size_t)V, V, ids[i + 1]));
		sum += isnan(d) ? INFINITY : d;
		*agree += argmax(a + i * (size_t)V, V) == argmax(b + i * (size_t)V, V);
	}
	return sum / (double)(n - 1);
}

static void test_shapes(const char *root)
{
	enum { NT = 120,
	       NP = 100 };
	for (size_t si = 0; si < TINY_N_SHAPES; si++) {
		const tiny_shape *sh = &tiny_shapes[si];
		tiny_model tm;
		char dir[600];
		int32_t ids[NT];
		int V = sh->vocab, hd = sh->head_dim;
		int ok = (hd == 32 || hd == 64 || hd == 128) && sh->n_heads / sh->n_kv_heads <= 8;
		cc_model *mg = NULL, *mc = NULL;
		cc_model_opts mo = {CC_DEVICE_CUDA, 0};
		float *lg = malloc((size_t)NT * V * sizeof(float));
		float *lc = malloc((size_t)NT * V * sizeof(float));
		tiny_model_make(&tm, sh, 300 + si);
		snprintf(dir, sizeof(dir), "%s/shape%zu", root, si);
		CHECK_EQ_INT(tiny_model_write(&tm, dir), 0);
		for (int i = 0; i < NT; i++)
			ids[i] = (int32_t)((i * 53 + (int)si * 7 + 3) % V);
		CHECK_EQ_INT(cc_model_load(&mg, dir, &mo), CC_OK);
		CHECK_EQ_INT(cc_model_load(&mc, dir, NULL), CC_OK);
		if (!mg || !mc)
			goto next;
		if (!ok) {
			cc_session *s = NULL;
			cc_session_opts so = {0};
			so.kv_quant = CC_KV_QUANT_KIVI;
			so.kv_bits = 4;
			so.max_tokens = 64;
			CHECK_EQ_INT(cc_session_new(&s, mg, &so), CC_EUNSUPPORTED);
			fprintf(stderr, "shape %s quantized on cuda: %s\n", sh->name, cc_error_last());
			CHECK(strstr(cc_error_last(), "--device cpu") != NULL);
			goto next;
		}
		for (int method = CC_KV_QUANT_KIVI; method <= CC_KV_QUANT_ROTATED; method++)
			for (int b = 0; b < 3; b++) {
				cc_cache_stats sg, sc;
				CHECK_EQ_INT(run_logits(mg, method, kbits[b], 32, ids, NP, NT, V, lg, &sg),
				             CC_OK);
				CHECK_EQ_INT(run_logits(mc, method, kbits[b], 32, ids, NP, NT, V, lc, &sc),
				             CC_OK);
				double e_pf = rel_err(lg, lc, (size_t)NP * V);
				double e_dec = rel_err(lg + (size_t)NP * V, lc + (size_t)NP * V,
				                       (size_t)(NT - NP) * V);
				fprintf(stderr, "shape %s %s int%d: cuda vs cpu rel err prefill %.3g, decode "
				                "%.3g; bytes %zu / %zu\n",
				        sh->name, cc_kv_quant_name(method),
				        kbits[b], e_pf, e_dec, sg.seq_bytes, sc.seq_bytes);
				CHECK(e_pf <= rel_tol(kbits[b]));
				CHECK(e_dec <= rel_tol(kbits[b]));
				CHECK_EQ_INT(sg.seq_bytes, sc.seq_bytes);
			}
	next:
		cc_model_free(mg);
		cc_model_free(mc);
		tiny_model_free(&tm);
		free(lg);
		free(lc);
	}
}

static int32_t *load_ids(size_t *n)
{
	json_error_t je;
	json_t *ref = json_load_file("fixtures/engine/hf_ref_pycode.json", 0, &je);
	json_t *arr = ref ? json_object_get(json_array_get(json_object_get(ref, "inputs"), 0), "ids")
	                  : NULL;
	int32_t *ids = NULL;
	*n = json_array_size(arr);
	if (*n) {
		ids = malloc(*n * sizeof(int32_t));
		for (size_t i = 0; i < *n; i++)
			ids[i] = (int32_t)json_integer_value(json_array_get(arr, i));
	}
	json_decref(ref);
	return ids;
}

static void test_pycode(const char *dir)
{
	cc_model *gm = NULL, *cm = NULL;
	cc_model_opts go = {CC_DEVICE_CUDA, 0}, co = {CC_DEVICE_CPU, 0};
	size_t nid = 0, n = 600, np = 500;
	int32_t *ids = load_ids(&nid);
	float *lg = NULL, *lc = NULL, *lb = NULL;
	int V;
	CHECK(ids != NULL && nid >= 64);
	CHECK_EQ_INT(cc_model_load(&gm, dir, &go), CC_OK);
	CHECK_EQ_INT(cc_model_load(&cm, dir, &co), CC_OK);
	if (!ids || !gm || !cm)
		goto out;
	if (n > nid)
		n = nid;
	if (np > n - 32)
		np = n - 32;
	np -= np % 2; /* the compaction below keeps as many tokens in every head */
	cc_model_info info;
	cc_model_info_get(&info, gm);
	V = info.vocab;
	lg = malloc(n * (size_t)V * sizeof(float));
	lc = malloc(n * (size_t)V * sizeof(float));
	lb = malloc(n * (size_t)V * sizeof(float));
	for (int method = CC_KV_QUANT_KIVI; method <= CC_KV_QUANT_ROTATED; method++)
		for (int b = 0; b < 3; b++) {
			int bits = kbits[b], agree = 0, agree_q = 0;
			cc_cache_stats sg, sc;
			CHECK_EQ_INT(run_logits(gm, method, bits, 128, ids, np, n, V, lg, &sg), CC_OK);
			CHECK_EQ_INT(run_logits(cm, method, bits, 128, ids, np, n, V, lc, &sc), CC_OK);
			double d = mean_dnll(lg, lc, ids, n, V, &agree);
			fprintf(stderr, "pycode %s int%d: cuda vs cpu mean |dNLL| %.3g, top-1 %d/%zu, "
			                "bytes %zu / %zu\n",
			        cc_kv_quant_name(method), bits, d, agree, n - 1,
			        sg.seq_bytes, sc.seq_bytes);
			CHECK(d <= nll_tol(bits));
			CHECK_EQ_INT(sg.seq_bytes, sc.seq_bytes);
			if (bits == 8)
				CHECK(agree >= (int)((n - 1) * 95 / 100));
			if (bits == 2) {
				CHECK_EQ_INT(run_logits(cm, 0, 16, 128, ids, np, n, V, lb, NULL), CC_OK);
				double dq = mean_dnll(lc, lb, ids, n, V, &agree_q);
				fprintf(stderr, "pycode %s int2: cpu int2 vs cpu bf16 mean |dNLL| %.3g\n",
				        cc_kv_quant_name(method), dq);
				CHECK(d < dq);
			}
		}
	/* observation statistics, a fork compacted on the device, the original left alone */
	{
		cc_session *g = NULL, *c = NULL, *gf = NULL, *cf = NULL;
		const cc_model_info *mi = &info;
		int bits = 4, method = CC_KV_QUANT_ROTATED;
		CHECK_EQ_INT(new_sess(&g, gm, method, bits, 128, n + 8), CC_OK);
		CHECK_EQ_INT(new_sess(&c, cm, method, bits, 128, n + 8), CC_OK);
		if (!g || !c)
			goto done;
		CHECK_EQ_INT(cc_session_prefill(g, ids, np, lg), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(c, ids, np, lc), CC_OK);
		for (int l = 0; l<mi->n_layers; l += mi->n_layers> 1 ? mi->n_layers - 1 : 1)
			for (int h = 0; h < mi->n_kv_heads; h++) {
				const float *og = NULL, *oc = NULL;
				const int32_t *pg = NULL, *pc = NULL;
				size_t ng = 0, nc = 0;
				CHECK_EQ_INT(cc_session_obs(g, l, h, &og, &pg, &ng), CC_OK);
				CHECK_EQ_INT(cc_session_obs(c, l, h, &oc, &pc, &nc), CC_OK);
				CHECK_EQ_INT(ng, nc);
				if (og && oc && ng == nc) {
					double e = rel_err(og, oc, ng);
					fprintf(stderr, "obs layer %d head %d: rel err %.3g\n", l, h, e);
					CHECK(e <= 5e-2);
				}
			}
		CHECK_EQ_INT(cc_session_fork(&gf, g), CC_OK);
		CHECK_EQ_INT(cc_session_fork(&cf, c), CC_OK);
		/* keep per layer: the first 4, every other token, the last 48; heads differ */
		for (int l = 0; l < mi->n_layers; l++) {
			size_t len = np, nk = 0;
			int32_t *keep = malloc((size_t)mi->n_kv_heads * len * sizeof(int32_t));
			for (int h = 0; h < mi->n_kv_heads; h++) {
				size_t k = 0;
				for (size_t j = 0; j < len; j++)
					if (j < 4 || j + 48 >= len || (j + (size_t)h + (size_t)l) % 2 == 0)
						keep[(size_t)h * len + k++] = (int32_t)j;
				if (h == 0)
					nk = k;
				CHECK_EQ_INT(k, nk); /* same count per head: (len - 52) even */
			}
			for (int h = 1; h < mi->n_kv_heads; h++)
				memmove(keep + (size_t)h * nk, keep + (size_t)h * len, nk * sizeof(int32_t));
			CHECK_EQ_INT(cc_session_compact(gf, l, keep, nk), CC_OK);
			CHECK_EQ_INT(cc_session_compact(cf, l, keep, nk), CC_OK);
			free(keep);
		}
		cc_cache_stats a, b;
		cc_session_cache_stats(&a, gf);
		cc_session_cache_stats(&b, cf);
		fprintf(stderr, "compacted fork: %zu / %zu bytes (cuda / cpu)\n", a.seq_bytes,
		        b.seq_bytes);
		CHECK_EQ_INT(a.seq_bytes, b.seq_bytes);
		/* decode the rest on the fork and the original, on both engines */
		cc_session *pairs[2][2] = {{gf, cf}, {g, c}};
		for (int w = 0; w < 2; w++) {
			for (size_t i = np; i < n; i++) {
				CHECK_EQ_INT(cc_session_decode(pairs[w][0], ids[i], lg + i * (size_t)V), CC_OK);
				CHECK_EQ_INT(cc_session_decode(pairs[w][1], ids[i], lc + i * (size_t)V), CC_OK);
			}
			int ag = 0;
			double d = mean_dnll(lg + np * (size_t)V, lc + np * (size_t)V, ids + np, n - np, V,
			                     &ag);
			fprintf(stderr, "%s rotated int4: cuda vs cpu mean |dNLL| %.3g, top-1 %d/%zu\n",
			        w ? "original" : "compacted fork", d, ag, n - np - 1);
			CHECK(d <= nll_tol(bits));
		}
	done:
		cc_session_free(gf);
		cc_session_free(cf);
		cc_session_free(g);
		cc_session_free(c);
	}
out:
	cc_model_free(gm);
	cc_model_free(cm);
	free(ids);
	free(lg);
	free(lc);
	free(lb);
}

int main(void)
{
	if (cc_kernels_device_count() == 0)
		TEST_SKIP("no CUDA device");
	{
		char root[] = "/tmp/cc_gpu_kvq_XXXXXX";
		if (mkdtemp(root)) {
			test_shapes(root);
			test_remove_tree(root);
		}
	}
	const char *dir = test_model_dir();
	if (dir)
		test_pycode(dir);
	else
		fprintf(stderr, "pycode-16m absent: its checks skipped\n");
	return test_result();
}
