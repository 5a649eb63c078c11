/*
 * test_compress_expected.c - the `expected` policy (Expected Attention) on the shared model
 * (skips when absent), CPU, f32 KV, 400 tokens of real Python:
 *   - the engine's query statistics over a window crossing a prefill chunk equal the sums of
 *     one-query windows taken token by token;
 *   - with a window of one query and the rotation of that query's own position, the expected
 *     attention divided by each value's norm is the attention the engine observed
 *     (cc_session_obs), averaged over the group: the statistics are the real queries;
 *   - against a brute-force reference (every future position's full rotation matrix
 *     averaged, mean and covariance rotated by matrix products, softmax over the keys);
 *   - cc_compress_session with `expected` keeps per layer and head what cc_compress_select
 *     keeps from those scores, and clear errors without statistics or with a short cache.
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"
#include "cc_tokenizer.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { NCTX = 400,
       W = 150 };

static cc_model *g_m;
static cc_model_info g_info;
static int32_t *g_ids;

static cc_session *new_session(int obs_window)
{
	cc_session_opts so = {0};
	cc_session *s = NULL;
	so.max_tokens = 1024;
	so.pool_tokens = 4096;
	so.obs_window = obs_window;
	so.kv_dtype = CC_KV_F32;
	so.kv_dtype_set = 1;
	CHECK_EQ_INT(cc_session_new(&s, g_m, &so), CC_OK);
	return s;
}

/* Window statistics = the sums of one-token windows (the last W tokens one by one). */
static void test_query_stats(void)
{
	int L = g_info.n_layers, NH = g_info.n_heads, hd = g_info.head_dim;
	size_t per = (size_t)hd * (size_t)(hd + 1);
	float *sum1 = calloc((size_t)L * NH * per, sizeof(float));
	cc_session *a = new_session(W), *b = new_session(1);
	double worst = 0, scale = 0;

	CHECK_EQ_INT(cc_session_prefill(a, g_ids, NCTX, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(b, g_ids, NCTX - W, NULL), CC_OK);
	for (size_t i = NCTX - W; i < NCTX; i++) {
		CHECK_EQ_INT(cc_session_prefill(b, g_ids + i, 1, NULL), CC_OK);
		for (int l = 0; l < L; l++)
			for (int h = 0; h < NH; h++) {
				const float *s, *o;
				size_t n = 0;
				CHECK_EQ_INT(cc_session_query_stats(b, l, h, &s, &o, &n), CC_OK);
				CHECK_EQ_INT(n, 1);
				CHECK(o == s + hd);
				float *d = sum1 + ((size_t)l * NH + h) * per;
				for (size_t k = 0; k < per; k++)
					d[k] += s[k];
			}
	}
	for (int l = 0; l < L; l++)
		for (int h = 0; h < NH; h++) {
			const float *s, *o;
			size_t n = 0;
			CHECK_EQ_INT(cc_session_query_stats(a, l, h, &s, &o, &n), CC_OK);
			CHECK_EQ_INT(n, W);
			const float *d = sum1 + ((size_t)l * NH + h) * per;
			for (size_t k = 0; k < per; k++) {
				worst = fmax(worst, fabs((double)s[k] - d[k]));
				scale = fmax(scale, fabs((double)d[k]));
			}
			/* outer products: symmetric with a non-negative diagonal */
			for (int x = 0; x < hd; x++) {
				CHECK(o[(size_t)x * hd + x] >= 0);
				CHECK(o[(size_t)x * hd + (x + 1) % hd] == o[(size_t)((x + 1) % hd) * hd + x]);
			}
		}
	CHECK(scale > 0);
	CHECK(worst <= 1e-4 * scale);
	/* errors: bad head, and no statistics after a change */
	{
		const float *s, *o;
		size_t n;
		CHECK_EQ_INT(cc_session_query_stats(a, 0, NH, &s, &o, &n), CC_EINVAL);
		CHECK_EQ_INT(cc_session_query_stats(a, L, 0, &s, &o, &n), CC_EINVAL);
		CHECK_EQ_INT(cc_session_decode(a, g_ids[NCTX], NULL), CC_OK);
		CHECK_EQ_INT(cc_session_query_stats(a, 0, 0, &s, &o, &n), CC_ENOTFOUND);
	}
	cc_session_free(a);
	cc_session_free(b);
	free(sum1);
}

/* One query, rotated to its own position, no covariance: expected / ||v|| x group is the
 * attention the engine computed for that query (summed over the group). */
static void test_one_query(void)
{
	int L = g_info.n_layers, H = g_info.n_kv_heads, hd = g_info.head_dim;
	int group = g_info.n_heads / H;
	size_t nn = (size_t)L * H * NCTX;
	float *out = malloc(nn * sizeof(float)), *k = malloc((size_t)H * NCTX * hd * sizeof(float)),
	      *v = malloc((size_t)H * NCTX * hd * sizeof(float));
	cc_session *s = new_session(1);
	double worst = 0;

	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	CHECK_EQ_INT(cc_compress_expected_attn(s, NCTX, NCTX - 1, 1, out), CC_OK);
	for (int l = 0; l < L; l++) {
		CHECK_EQ_INT(cc_session_kv_export(s, l, NULL, k, v), CC_OK);
		for (int h = 0; h < H; h++) {
			const float *sc;
			const int32_t *pos;
			size_t on;
			CHECK_EQ_INT(cc_session_obs(s, l, h, &sc, &pos, &on), CC_OK);
			CHECK_EQ_INT(on, NCTX);
			for (size_t j = 0; j < NCTX; j++) {
				double vn = 0;
				for (int a = 0; a < hd; a++)
					vn += (double)v[((size_t)h * NCTX + j) * hd + a] *
					      v[((size_t)h * NCTX + j) * hd + a];
				double e = out[((size_t)l * H + h) * NCTX + j] / sqrt(vn) * group;
				worst = fmax(worst, fabs(e - (double)sc[j]));
			}
		}
	}
	CHECK(worst < 1e-4);
	cc_session_free(s);
	free(out);
	free(k);
	free(v);
}

/* The formula computed the slow way: full rotation matrices averaged over the future
 * positions, mean and covariance rotated by matrix products, softmax over the keys. */
static void test_brute_force(void)
{
	int L = g_info.n_layers, H = g_info.n_kv_heads, hd = g_info.head_dim, NH = g_info.n_heads;
	int group = NH / H, half = hd / 2;
	size_t nn = (size_t)L * H * NCTX, nf = 7;
	float *out = malloc(nn * sizeof(float)), *k = malloc((size_t)H * NCTX * hd * sizeof(float)),
	      *v = malloc((size_t)H * NCTX * hd * sizeof(float)), *inv = malloc(half * sizeof(float));
	double *R = calloc((size_t)hd * hd, sizeof(double)), *S = malloc((size_t)hd * hd * 8),
	       *T = malloc((size_t)hd * hd * 8), *Sr = malloc((size_t)hd * hd * 8),
	       *mu0 = malloc(hd * 8), *mu = malloc(hd * 8), *z = malloc(NCTX * 8),
	       *ref = malloc(NCTX * 8);
	cc_session *s = new_session(W);
	double worst = 0, top = 0;

	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	CHECK_EQ_INT(cc_compress_expected_attn(s, NCTX, -1, nf, out), CC_OK);
	cc_model_rope_inv_freq(g_m, inv);
	for (size_t t = 0; t < nf; t++) /* positions NCTX .. NCTX + nf - 1 */
		for (int i = 0; i < half; i++) {
			double ang = (double)(NCTX + t) * inv[i], c = cos(ang), sn = sin(ang);
			R[(size_t)i * hd + i] += c / nf;
			R[(size_t)i * hd + i + half] += -sn / nf;
			R[(size_t)(i + half) * hd + i] += sn / nf;
			R[(size_t)(i + half) * hd + i + half] += c / nf;
		}
	for (int l = 0; l < L; l++) {
		CHECK_EQ_INT(cc_session_kv_export(s, l, NULL, k, v), CC_OK);
		for (int h = 0; h < H; h++) {
			for (size_t j = 0; j < NCTX; j++)
				ref[j] = 0;
			for (int g = 0; g < group; g++) {
				const float *sum, *outer;
				size_t n;
				double mx = -INFINITY, zs = 0;
				CHECK_EQ_INT(cc_session_query_stats(s, l, h * group + g, &sum, &outer, &n),
				             CC_OK);
				for (int a = 0; a < hd; a++)
					mu0[a] = sum[a] / (double)n;
				for (int a = 0; a < hd; a++)
					for (int b = 0; b < hd; b++)
						S[a * hd + b] = outer[a * hd + b] / (double)n - mu0[a] * mu0[b];
				for (int a = 0; a < hd; a++) {
					mu[a] = 0;
					for (int b = 0; b < hd; b++)
						mu[a] += R[a * hd + b] * mu0[b];
				}
				for (int a = 0; a < hd; a++) /* T = R S */
					for (int b = 0; b < hd; b++) {
						double x = 0;
						for (int c = 0; c < hd; c++)
							x += R[a * hd + c] * S[c * hd + b];
						T[a * hd + b] = x;
					}
				for (int a = 0; a < hd; a++) /* Sr = T R^T */
					for (int b = 0; b < hd; b++) {
						double x = 0;
						for (int c = 0; c < hd; c++)
							x += T[a * hd + c] * R[b * hd + c];
						Sr[a * hd + b] = x;
					}
				for (size_t j = 0; j < NCTX; j++) {
					const float *kj = k + ((size_t)h * NCTX + j) * hd;
					double lin = 0, quad = 0;
					for (int a = 0; a < hd; a++) {
						lin += mu[a] * kj[a];
						for (int b = 0; b < hd; b++)
							quad += kj[a] * Sr[a * hd + b] * kj[b];
					}
					z[j] = lin / sqrt(hd) + quad / (2.0 * hd);
					mx = fmax(mx, z[j]);
				}
				for (size_t j = 0; j < NCTX; j++)
					zs += exp(z[j] - mx);
				for (size_t j = 0; j < NCTX; j++)
					ref[j] += exp(z[j] - mx) / zs / group;
			}
			for (size_t j = 0; j < NCTX; j++) {
				const float *vj = v + ((size_t)h * NCTX + j) * hd;
				double vn = 0;
				for (int a = 0; a < hd; a++)
					vn += (double)vj[a] * vj[a];
				double r = ref[j] * sqrt(vn), e = out[((size_t)l * H + h) * NCTX + j];
				worst = fmax(worst, fabs(e - r) / fmax(r, 1e-6));
				top = fmax(top, r);
			}
		}
	}
	CHECK(top > 0);
	CHECK(worst < 1e-3);
	cc_session_free(s);
	free(out);
	free(k);
	free(v);
	free(inv);
	free(R);
	free(S);
	free(T);
	free(Sr);
	free(mu0);
	free(mu);
	free(z);
	free(ref);
}

/* cc_compress_session with `expected`: per layer and head, cc_compress_select over the
 * scores; clear errors. */
static void test_session(void)
{
	int L = g_info.n_layers, H = g_info.n_kv_heads;
	size_t nn = (size_t)L * H * NCTX;
	float *sc = malloc(nn * sizeof(float));
	int32_t *sel = malloc(NCTX * sizeof(int32_t));
	cc_session *s = new_session(64), *f = NULL;
	cc_compress_opts o;
	cc_compress_stats st;

	CHECK_EQ_INT(cc_session_prefill(s, g_ids, NCTX, NULL), CC_OK);
	CHECK_EQ_INT(cc_compress_expected_attn(s, NCTX, -1, 0, sc), CC_OK);
	CHECK_EQ_INT(cc_session_fork(&f, s), CC_OK);
	/* a fork has no statistics of its own */
	cc_compress_opts_default(&o, CC_POLICY_EXPECTED, 0.3);
	CHECK_EQ_INT(cc_compress_session(f, &o, NCTX, NULL, NULL, NULL, NULL), CC_ENOTFOUND);
	CHECK_EQ_INT(cc_compress_expected_attn(s, NCTX + 1, -1, 0, sc), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "context") != NULL);
	CHECK_EQ_INT(cc_compress_expected_attn(NULL, NCTX, -1, 0, sc), CC_EINVAL);
	CHECK_EQ_INT(cc_compress_expected_attn(s, NCTX, -1, 0, sc), CC_OK);
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, NULL, NULL, NULL, &st), CC_OK);
	CHECK_EQ_INT(st.kept_per_head, cc_compress_keep_count(&o, NCTX));
	for (int l = 0; l < L; l++)
		for (int h = 0; h < H; h++) {
			cc_compress_input in = {NCTX, NULL, NULL, NULL, l, h,
			                        sc + ((size_t)l * H + h) * NCTX, 0, L, NULL, NULL};
			size_t got = 0;
			CHECK_EQ_INT(cc_compress_select(sel, &got, &o, &in), CC_OK);
			CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(s), l), got);
			CHECK(memcmp(cc_kv_seq_positions(cc_session_kv(s), l, h), sel,
			             got * sizeof(int32_t)) == 0);
		}
	/* compacted: no statistics any more */
	CHECK_EQ_INT(cc_compress_session(s, &o, cc_kv_seq_len(cc_session_kv(s), 0), NULL, NULL,
	                                 NULL, NULL),
	             CC_ENOTFOUND);
	cc_session_free(f);
	cc_session_free(s);
	free(sc);
	free(sel);
}

int main(void)
{
	const char *dir = test_model_dir();
	cc_model_opts mo = {CC_DEVICE_CPU, 2};
	cc_tokenizer *tok = NULL;
	char *text = NULL;
	size_t len = 0, n = 0;

	if (!dir)
		TEST_SKIP("shared model absent (set CC_MODEL_DIR)");
	if (cc_model_load(&g_m, dir, &mo) || cc_tokenizer_load(&tok, dir) ||
	    cc_read_file(&text, &len, "fixtures/engine/inputs/heapq.py", 0) ||
	    cc_tokenizer_encode(tok, text, len, &g_ids, NULL, &n)) {
		fprintf(stderr, "setup: %s\n", cc_error_last());
		return 1;
	}
	CHECK(n >= NCTX + 1);
	if (n < NCTX + 1)
		return test_result();
	cc_model_info_get(&g_info, g_m);
	test_query_stats();
	test_one_query();
	test_brute_force();
	test_session();
	free(g_ids);
	free(text);
	cc_tokenizer_free(tok);
	cc_model_free(g_m);
	return test_result();
}
