/*
 * test_engine_kvrot.c - cc_session_kv_append_rot on the CPU engine (the reference of the CUDA
 * backend's kv_write + rope_rows kernel, which tests/gpu/test_gpu_repocache.c holds to the
 * same bits): rows exported from one session and appended to another at a position delta keep
 * their values rows, their positions, and get keys rotated exactly as RoPE's rotate-half
 * formula by delta gives (computed here independently, bf16 and f32 caches); delta 0 is a plain
 * append; a rotation there and back again returns the keys within bf16 rounding; bad calls and
 * quantized caches are refused with clear errors. Tiny random checkpoints (no shared model).
 */
#include "cc_common.h"
#include "cc_engine.h"
#include "test.h"
#include "../num_util.h"

#include "tiny_ckpt.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>


static cc_session *sess(cc_model *m, int dtype)
{
	cc_session_opts so = {0};
	cc_session *s = NULL;
	so.max_tokens = 256;
	so.kv_dtype = dtype;
	so.kv_dtype_set = 1;
	CHECK_EQ_INT(cc_session_new(&s, m, &so), CC_OK);
	return s;
}

static void run(const char *root, size_t si, int dtype)
{
	const tiny_shape *sh = &tiny_shapes[si];
	tiny_model tm;
	char dir[600];
	cc_model *m = NULL;
	cc_session *a = NULL, *b = NULL;
	enum { NA = 40,
	       NB = 9 };
	int32_t ids[NA];
	int hd = sh->head_dim, kvh = sh->n_kv_heads, L = sh->n_layers;
	size_t es = dtype == CC_KV_F32 ? 4 : 2, rows = (size_t)kvh * NA;
	int32_t delta = 1000 + NB; /* far: large angles */
	void *k = malloc(rows * hd * es), *v = malloc(rows * hd * es);
	void *k2 = malloc(rows * hd * es), *v2 = malloc(rows * hd * es);
	int32_t *pos = malloc(rows * sizeof(int32_t)), *pos2 = malloc(rows * sizeof(int32_t));
	int bad_v = 0, bad_k = 0, bad_p = 0;

	tiny_model_make(&tm, sh, 7 + si);
	snprintf(dir, sizeof(dir), "%s/shape%zu", root, si);
	CHECK_EQ_INT(tiny_model_write(&tm, dir), 0);
	CHECK_EQ_INT(cc_model_load(&m, dir, NULL), CC_OK);
	if (!m)
		goto out;
	for (int i = 0; i < NA; i++)
		ids[i] = (int32_t)((i * 29 + 3) % sh->vocab);
	a = sess(m, dtype);
	b = sess(m, dtype);
	CHECK_EQ_INT(cc_session_prefill(a, ids, NA, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(b, ids, NB, NULL), CC_OK);
	float *inv = malloc((size_t)hd / 2 * sizeof(float));
	for (int i = 0; i < hd / 2; i++)
		inv[i] = 1.0f / powf((float)10000.0, (float)(2 * i) / (float)hd);
	for (int l = 0; l < L; l++) {
		CHECK_EQ_INT(cc_session_kv_export(a, l, pos, k, v), CC_OK);
		for (size_t j = 0; j < rows; j++)
			pos[j] += delta;
		CHECK_EQ_INT(cc_session_kv_append_rot(b, l, NA, pos, k, v, delta), CC_OK);
		size_t lenb = (size_t)NB + NA;
		void *kb = malloc((size_t)kvh * lenb * hd * es), *vb = malloc((size_t)kvh * lenb * hd * es);
		int32_t *pb = malloc((size_t)kvh * lenb * sizeof(int32_t));
		CHECK_EQ_INT(cc_session_kv_export(b, l, pb, kb, vb), CC_OK);
		for (int h = 0; h < kvh; h++)
			for (size_t j = 0; j < NA; j++) {
				size_t src = (size_t)h * NA + j, dst = (size_t)h * lenb + NB + j;
				bad_p += pb[dst] != pos[src];
				bad_v += memcmp((char *)vb + dst * hd * es, (char *)v + src * hd * es,
				                (size_t)hd * es) != 0;
				for (int i = 0; i < hd / 2; i++) {
					float ang = (float)delta * inv[i], c = cosf(ang), s = sinf(ang), x, y, gx, gy;
					if (dtype == CC_KV_F32) {
						const float *r = (const float *)k + src * hd;
						const float *g = (const float *)kb + dst * hd;
						x = r[i] * c - r[i + hd / 2] * s;
						y = r[i + hd / 2] * c + r[i] * s;
						gx = g[i];
						gy = g[i + hd / 2];
					} else {
						const uint16_t *r = (const uint16_t *)k + src * hd;
						const uint16_t *g = (const uint16_t *)kb + dst * hd;
						x = bf2f(f2bf(bf2f(r[i]) * c - bf2f(r[i + hd / 2]) * s));
						y = bf2f(f2bf(bf2f(r[i + hd / 2]) * c + bf2f(r[i]) * s));
						gx = bf2f(g[i]);
						gy = bf2f(g[i + hd / 2]);
					}
					bad_k += memcmp(&x, &gx, 4) != 0 || memcmp(&y, &gy, 4) != 0;
				}
			}
		free(kb);
		free(vb);
		free(pb);
	}
	free(inv);
	fprintf(stderr, "%s %s: positions %d, values %d, keys %d differing\n", sh->name,
	        dtype == CC_KV_F32 ? "f32" : "bf16", bad_p, bad_v, bad_k);
	CHECK_EQ_INT(bad_p, 0);
	CHECK_EQ_INT(bad_v, 0);
	CHECK_EQ_INT(bad_k, 0);
	/* there and back: +d then -d gives the keys back within rounding; delta 0 = a copy */
	{
		cc_session *c = sess(m, dtype), *d = sess(m, dtype);
		double md = 0, mx = 0;
		CHECK_EQ_INT(cc_session_kv_export(a, 0, pos, k, v), CC_OK);
		CHECK_EQ_INT(cc_session_kv_append_rot(c, 0, NA, pos, k, v, 0), CC_OK);
		CHECK_EQ_INT(cc_session_kv_export(c, 0, pos2, k2, v2), CC_OK);
		CHECK(memcmp(k, k2, rows * hd * es) == 0);
		for (size_t j = 0; j < rows; j++)
			pos2[j] = pos[j] + 500;
		CHECK_EQ_INT(cc_session_kv_append_rot(d, 0, NA, pos2, k, v, 500), CC_OK);
		CHECK_EQ_INT(cc_session_kv_export(d, 0, pos2, k2, v2), CC_OK);
		cc_session_free(d);
		d = sess(m, dtype);
		for (size_t j = 0; j < rows; j++)
			pos2[j] -= 500;
		CHECK_EQ_INT(cc_session_kv_append_rot(d, 0, NA, pos2, k2, v2, -500), CC_OK);
		CHECK_EQ_INT(cc_session_kv_export(d, 0, NULL, k2, v2), CC_OK);
		for (size_t j = 0; j < rows * hd; j++) {
			double x = dtype == CC_KV_F32 ? ((float *)k)[j] : bf2f(((uint16_t *)k)[j]);
			double y = dtype == CC_KV_F32 ? ((float *)k2)[j] : bf2f(((uint16_t *)k2)[j]);
			md = fabs(x - y) > md ? fabs(x - y) : md;
			mx = fabs(x) > mx ? fabs(x) : mx;
		}
		fprintf(stderr, "  there and back: max |diff| %.3g of max |k| %.3g\n", md, mx);
		CHECK(md <= (dtype == CC_KV_F32 ? 1e-5 : 2e-2) * mx);
		/* bad calls */
		CHECK_EQ_INT(cc_session_kv_append_rot(d, L, NA, pos2, k, v, 3), CC_EINVAL);
		CHECK(strstr(cc_error_last(), "layer") != NULL);
		CHECK_EQ_INT(cc_session_kv_append_rot(d, 0, 0, pos2, k, v, 3), CC_EINVAL);
		cc_session_free(c);
		cc_session_free(d);
	}
	/* a quantized cache: export refused by name, never a crash (appends into quantized
	 * caches of the CPU engine: tests/repocache/test_repocache_quant.c) */
	if (dtype == CC_KV_BF16 && hd % 16 == 0) {
		cc_session_opts so = {0};
		cc_session *q = NULL;
		so.max_tokens = 128;
		so.kv_quant = CC_KV_QUANT_KIVI;
		so.kv_bits = 4;
		CHECK_EQ_INT(cc_session_new(&q, m, &so), CC_OK);
		if (q) {
			CHECK_EQ_INT(cc_session_prefill(q, ids, NA, NULL), CC_OK);
			CHECK_EQ_INT(cc_session_kv_export(q, 0, pos, k, v), CC_EUNSUPPORTED);
			CHECK(strstr(cc_error_last(), "quantized") != NULL);
		}
		cc_session_free(q);
	}
out:
	cc_session_free(a);
	cc_session_free(b);
	cc_model_free(m);
	tiny_model_free(&tm);
	free(k);
	free(v);
	free(k2);
	free(v2);
	free(pos);
	free(pos2);
}

int main(void)
{
	char root[] = "/tmp/cc_kvrot_XXXXXX";
	if (!mkdtemp(root))
		TEST_SKIP("no temporary directory");
	for (size_t si = 0; si < TINY_N_SHAPES; si++) {
		if (tiny_shapes[si].llama3_rope) /* the reference above is plain RoPE */
			continue;
		if (si != 0 && si != 4 && si != 5)
			continue; /* hd 128 (qwen2 bias), hd 64, hd 80 */
		run(root, si, CC_KV_BF16);
		run(root, si, CC_KV_F32);
	}
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return test_result();
}
