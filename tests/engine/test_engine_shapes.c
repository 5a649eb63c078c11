/*
 * test_engine_shapes.c - the CPU engine on the attention shapes of real code models (issue
 * 14): tiny random checkpoints (tests/engine/tiny_ckpt.h) with Qwen2.5-Coder 1.5B / 7B /
 * 14B-32B and Llama-3.1-8B head counts (GQA groups 6, 7, 5, 4), head dims 64, 80, 96, 128,
 * a group of 16 and Llama 3's RoPE scaling, written by the test itself. For each: the logits of a teacher-forced pass and
 * of prefill + decode steps agree with an independent double-precision reference of the
 * Hugging Face forward pass. The CUDA half (tests/gpu/test_gpu_engine.c) compares the CUDA
 * engine against this CPU engine on the same checkpoints.
 */
#include "cc_common.h"
#include "cc_engine.h"
#include "test.h"
#include "tiny_ckpt.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#define N_TOK 14
#define N_PREFILL 9

/* max |a - b| over n logits, relative to the largest |b| */
static double rel_diff(const float *a, const double *b, size_t n)
{
	double md = 0, mb = 1e-9;
	for (size_t i = 0; i < n; i++) {
		double d = fabs((double)a[i] - b[i]);
		if (d > md)
			md = d;
		if (fabs(b[i]) > mb)
			mb = fabs(b[i]);
	}
	return md / mb;
}

static void test_shape(const tiny_shape *sh, int idx, const char *root)
{
	tiny_model tm;
	char dir[512];
	int32_t ids[N_TOK];
	cc_model *m = NULL;
	cc_session *s = NULL;
	int V = sh->vocab;
	double *ref = malloc((size_t)N_TOK * V * sizeof(double));
	float *lg = malloc((size_t)N_TOK * V * sizeof(float));
	CHECK(ref && lg);
	tiny_model_make(&tm, sh, 100 + (uint64_t)idx);
	snprintf(dir, sizeof(dir), "%s/shape%d", root, idx);
	CHECK_EQ_INT(tiny_model_write(&tm, dir), 0);
	for (int i = 0; i < N_TOK; i++)
		ids[i] = (int32_t)((i * 37 + idx * 11 + 5) % V);
	tiny_reference(&tm, ids, N_TOK, ref);

	CHECK_EQ_INT(cc_model_load(&m, dir, NULL), CC_OK);
	if (!m) {
		fprintf(stderr, "%s: %s\n", sh->name, cc_error_last());
		goto out;
	}
	cc_model_info info;
	cc_model_info_get(&info, m);
	CHECK_EQ_INT(info.n_heads, sh->n_heads);
	CHECK_EQ_INT(info.n_kv_heads, sh->n_kv_heads);
	CHECK_EQ_INT(info.head_dim, sh->head_dim);

	/* teacher-forced: every row */
	CHECK_EQ_INT(cc_session_new(&s, m, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_forward_all(s, ids, N_TOK, lg), CC_OK);
	double e_all = rel_diff(lg, ref, (size_t)N_TOK * V);
	CHECK(e_all < 1e-4);
	cc_session_free(s);
	s = NULL;

	/* prefill then decode one token at a time: each step's logits */
	double e_dec = 0;
	CHECK_EQ_INT(cc_session_new(&s, m, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(s, ids, N_PREFILL, lg), CC_OK);
	e_dec = rel_diff(lg, ref + (size_t)(N_PREFILL - 1) * V, (size_t)V);
	for (int i = N_PREFILL; i < N_TOK; i++) {
		CHECK_EQ_INT(cc_session_decode(s, ids[i], lg), CC_OK);
		double e = rel_diff(lg, ref + (size_t)i * V, (size_t)V);
		if (e > e_dec)
			e_dec = e;
	}
	CHECK(e_dec < 1e-4);
	fprintf(stderr, "%s: forward rel err %.2g, prefill+decode rel err %.2g\n", sh->name, e_all,
	        e_dec);
	if (sh->llama3_rope) {
		/* the scaling is applied: plain RoPE's logits are far from the engine's */
		tiny_shape plain = *sh;
		tiny_model tp = tm;
		plain.llama3_rope = 0;
		tp.s = plain;
		tiny_reference(&tp, ids, N_TOK, ref);
		double e_plain = rel_diff(lg, ref + (size_t)(N_TOK - 1) * V, (size_t)V);
		fprintf(stderr, "%s: vs plain RoPE %.2g\n", sh->name, e_plain);
		CHECK(e_plain > 1e-2);
	}
out:
	cc_session_free(s);
	cc_model_free(m);
	tiny_model_free(&tm);
	free(ref);
	free(lg);
}

int main(void)
{
	char root[] = "/tmp/cc_shapes_XXXXXX";
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	for (size_t i = 0; i < TINY_N_SHAPES; i++)
		test_shape(&tiny_shapes[i], (int)i, root);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return test_result();
}
