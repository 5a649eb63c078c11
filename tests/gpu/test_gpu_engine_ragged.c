/*
 * test_gpu_engine_ragged.c - the CUDA engine over ragged layers (a different number of kept
 * tokens per KV head: the adakv policy, codecomp's head budgets) against the CPU engine, which
 * test_engine_adakv checks against a brute-force reference in CI:
 *   - a CUDA session in a shared pool prefills a context and is compressed with adakv
 *     (cc_compress_session: observation statistics from the CUDA prefill, per-head compaction
 *     by device row moves); at least one layer must come out ragged; a CPU session keeps the
 *     same tokens per (layer, KV head) (cc_session_compact_heads with the CUDA session's kept
 *     positions);
 *   - a query on top: teacher-forced logits of every token (per-head prefill kernel), then a
 *     prefill with observation statistics (per-head statistics kernel) whose last logits and
 *     statistics per (layer, KV head) must match the CPU's;
 *   - decode steps (per-head decode kernel, CUDA graph), and a fork decoding eagerly
 *     (copy-on-write of ragged lanes in device memory) giving the graph's logits;
 *   - batched decode of the ragged session with a uniform one of the same pool (the uniform
 *     one read through lane tables) against each CPU twin decoded alone;
 *   - codecomp's head budgets on CUDA really make ragged layers (no uniform fallback).
 * On the tiny random Qwen2.5-Coder-7B-shaped checkpoint (tests/engine/tiny_ckpt.h, always) and
 * on pycode-16m with a real stdlib file (skipped without the shared model). Skips (77) without
 * a CUDA device.
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"
#include "cc_kernels.h"
#include "cc_kv.h"
#include "test.h"

#include "../engine/tiny_ckpt.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

enum { N_CTX = 400,
       N_Q = 40,
       N_Q2 = 24,
       N_DEC = 12,
       N_OTHER = 150,
       N_ALL = N_CTX + N_Q + N_Q2 + N_DEC + 1 };

#define DNLL_TOL 3e-2 /* bf16 cache and activations against the CPU's f32 */

static void log_softmax(double *out, const float *x, int n)
{
	double mx = -INFINITY, s = 0;
	for (int i = 0; i < n; i++)
		mx = x[i] > mx ? x[i] : mx;
	for (int i = 0; i < n; i++)
		s += exp(x[i] - mx);
	for (int i = 0; i < n; i++)
		out[i] = x[i] - mx - log(s);
}

static int argmax(const float *x, int n)
{
	int b = 0;
	for (int i = 1; i < n; i++)
		b = x[i] > x[b] ? i : b;
	return b;
}

/* Running comparison of logit rows: |d logp| of the token that follows (or the CPU's top
 * token when none is given), and top-1 agreement. */
typedef struct {
	double sum, max;
	int rows, agree;
} cmp_acc;

static void cmp_row(cmp_acc *c, const float *gpu, const float *cpu, int V, int next)
{
	double *a = malloc(sizeof(double) * V), *b = malloc(sizeof(double) * V);
	log_softmax(a, gpu, V);
	log_softmax(b, cpu, V);
	int t = next >= 0 ? next : argmax(cpu, V);
	double d = fabs(a[t] - b[t]);
	d = isnan(d) ? INFINITY : d;
	c->sum += d;
	c->max = d > c->max ? d : c->max;
	c->rows++;
	c->agree += argmax(gpu, V) == argmax(cpu, V);
	free(a);
	free(b);
}

static void cmp_check(const cmp_acc *c, const char *what, const char *model)
{
	double mean = c->rows ? c->sum / c->rows : INFINITY;
	fprintf(stderr, "%s, %s: %d rows, mean |dlogp| %.2e (max %.2e), top-1 agreement %d/%d\n",
	        model, what, c->rows, mean, c->max, c->agree, c->rows);
	CHECK(mean <= DNLL_TOL);
	CHECK(c->agree * 10 >= c->rows * 9);
}

/* Make the CPU session's layers keep, per KV head, the positions the CUDA session kept (both
 * prefilled the same n_ctx tokens at positions 0 .. n_ctx-1 = slots 0 .. n_ctx-1). */
static int mirror_kept(cc_session *cpu, const cc_session *gpu, int L, int kvh)
{
	const cc_kv_seq *gs = cc_session_kv(gpu);
	int rc = CC_OK;
	for (int l = 0; l < L && !rc; l++) {
		size_t cnt[64], tot = 0;
		for (int h = 0; h < kvh; h++)
			tot += cnt[h] = cc_kv_seq_head_len(gs, l, h);
		int32_t *keep = malloc(sizeof(int32_t) * (tot ? tot : 1));
		for (int h = 0, at = 0; h < kvh; h++) {
			memcpy(keep + at, cc_kv_seq_positions(gs, l, h), cnt[h] * sizeof(int32_t));
			at += (int)cnt[h];
		}
		rc = cc_session_compact_heads(cpu, l, keep, cnt);
		free(keep);
	}
	return rc;
}

static void run_model(const char *dir, const int32_t *ids, const int32_t *other, int V,
                      const char *name)
{
	cc_model *gm = NULL, *cm = NULL;
	cc_model_opts go = {CC_DEVICE_CUDA, 0}, co = {CC_DEVICE_CPU, 0};
	cc_engine_pool *pool = NULL;
	cc_engine_pool_opts po = {0};
	cc_session_opts so = {0};
	cc_session *ga = NULL, *gb = NULL, *gf = NULL, *ca = NULL, *cb = NULL;
	cc_batch *batch = NULL;
	cc_compress_opts o;
	cc_compress_stats st;
	size_t NQT = N_Q * (size_t)V;
	float *lg = malloc(sizeof(float) * NQT), *lc = malloc(sizeof(float) * NQT);
	float *rg = malloc(sizeof(float) * 2 * V), *rc = malloc(sizeof(float) * 2 * V);
	float *rf = malloc(sizeof(float) * V), *rb = malloc(sizeof(float) * V);

	CHECK_EQ_INT(cc_model_load(&gm, dir, &go), CC_OK);
	CHECK_EQ_INT(cc_model_load(&cm, dir, &co), CC_OK);
	if (!gm || !cm) {
		fprintf(stderr, "%s: %s\n", name, cc_error_last());
		goto out;
	}
	cc_model_info info;
	cc_model_info_get(&info, gm);
	int L = info.n_layers, kvh = info.n_kv_heads;

	/* the CUDA sessions share a pool (batched decode needs one); the CPU ones have their own */
	po.tokens = 2 * N_ALL + N_OTHER + 256;
	CHECK_EQ_INT(cc_engine_pool_new(&pool, gm, &po), CC_OK);
	so.pool = pool;
	CHECK_EQ_INT(cc_session_new(&ga, gm, &so), CC_OK);
	CHECK_EQ_INT(cc_session_new(&gb, gm, &so), CC_OK);
	CHECK_EQ_INT(cc_session_new(&ca, cm, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_new(&cb, cm, NULL), CC_OK);
	if (!ga || !gb || !ca || !cb)
		goto out;

	/* 1. context, adakv on CUDA, the same kept tokens on the CPU */
	CHECK_EQ_INT(cc_session_prefill(ga, ids, N_CTX, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(ca, ids, N_CTX, NULL), CC_OK);
	cc_compress_opts_default(&o, CC_POLICY_ADAKV, 0.2);
	CHECK_EQ_INT(cc_compress_session(ga, &o, N_CTX, NULL, NULL, NULL, &st), CC_OK);
	int ragged = 0;
	for (int l = 0; l < L; l++)
		ragged += cc_kv_seq_ragged(cc_session_kv(ga), l);
	fprintf(stderr, "%s: adakv on cuda: %d of %d layers ragged, kept %zu per head (mean)\n",
	        name, ragged, L, st.kept_per_head);
	CHECK(ragged > 0);
	CHECK_EQ_INT(mirror_kept(ca, ga, L, kvh), CC_OK);
	for (int l = 0; l < L; l++)
		for (int h = 0; h < kvh; h++)
			CHECK_EQ_INT(cc_kv_seq_head_len(cc_session_kv(ca), l, h),
			             cc_kv_seq_head_len(cc_session_kv(ga), l, h));

	/* 2. the query, teacher forced: every row's logits */
	{
		cmp_acc c = {0};
		for (size_t i = 0; i < NQT; i++)
			lg[i] = NAN;
		CHECK_EQ_INT(cc_session_forward_all(ga, ids + N_CTX, N_Q, lg), CC_OK);
		CHECK_EQ_INT(cc_session_forward_all(ca, ids + N_CTX, N_Q, lc), CC_OK);
		for (int i = 0; i < N_Q; i++)
			cmp_row(&c, lg + (size_t)i * V, lc + (size_t)i * V, V, ids[N_CTX + i + 1]);
		cmp_check(&c, "ragged prefill (forward_all)", name);
	}
	/* 3. a prefill with observation statistics over the ragged layers */
	{
		cmp_acc c = {0};
		const int32_t *q2 = ids + N_CTX + N_Q;
		CHECK_EQ_INT(cc_session_prefill(ga, q2, N_Q2, rg), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(ca, q2, N_Q2, rc), CC_OK);
		cmp_row(&c, rg, rc, V, q2[N_Q2]);
		cmp_check(&c, "ragged prefill (last logits)", name);
		double num = 0, den = 0;
		int same_len = 1;
		for (int l = 0; l < L; l++)
			for (int h = 0; h < kvh; h++) {
				const float *sg = NULL, *sc = NULL;
				const int32_t *pg, *pc;
				size_t ng = 0, nc = 0;
				CHECK_EQ_INT(cc_session_obs(ga, l, h, &sg, &pg, &ng), CC_OK);
				CHECK_EQ_INT(cc_session_obs(ca, l, h, &sc, &pc, &nc), CC_OK);
				if (!sg || !sc || ng != nc) {
					same_len = 0;
					continue;
				}
				for (size_t j = 0; j < ng; j++) {
					double d = (double)sg[j] - sc[j];
					num += isnan(d) ? INFINITY : d * d;
					den += (double)sc[j] * sc[j];
				}
			}
		double rel = sqrt(num / (den > 0 ? den : 1));
		fprintf(stderr, "%s, observation statistics over ragged layers: rel err %.2e\n", name,
		        rel);
		CHECK(same_len);
		CHECK(rel <= 3e-2);
	}
	/* 4. decode steps (graph), and a fork decoding eagerly: the graph's logits */
	{
		cmp_acc c = {0};
		double gd = 0;
		setenv("CC_CUDA_GRAPHS", "0", 1);
		CHECK_EQ_INT(cc_session_fork(&gf, ga), CC_OK);
		unsetenv("CC_CUDA_GRAPHS");
		const int32_t *d = ids + N_CTX + N_Q + N_Q2;
		for (int i = 0; i < N_DEC && gf; i++) {
			CHECK_EQ_INT(cc_session_decode(ga, d[i], rg), CC_OK);
			CHECK_EQ_INT(cc_session_decode(ca, d[i], rc), CC_OK);
			CHECK_EQ_INT(cc_session_decode(gf, d[i], rf), CC_OK);
			cmp_row(&c, rg, rc, V, d[i + 1]);
			for (int v = 0; v < V; v++)
				gd = fmax(gd, isnan(rf[v]) ? INFINITY : fabs(rf[v] - rg[v]));
		}
		cmp_check(&c, "ragged decode", name);
		fprintf(stderr, "%s, ragged decode graph vs eager fork: max |d logit| %.2e\n", name, gd);
		CHECK(gd <= 1e-5);
	}
	/* 5. batched decode: the ragged session with a uniform one */
	{
		cmp_acc c = {0};
		CHECK_EQ_INT(cc_session_prefill(gb, other, N_OTHER, NULL), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(cb, other, N_OTHER, NULL), CC_OK);
		CHECK_EQ_INT(cc_batch_new(&batch, gm), CC_OK);
		cc_session *pair[2] = {ga, gb};
		for (int i = 0; i < N_DEC && batch; i++) {
			int32_t step[2] = {(int32_t)((i * 31 + 5) % V), other[(N_OTHER + i) % N_OTHER]};
			CHECK_EQ_INT(cc_batch_decode(batch, pair, step, 2, rg), CC_OK);
			CHECK_EQ_INT(cc_session_decode(ca, step[0], rc), CC_OK);
			CHECK_EQ_INT(cc_session_decode(cb, step[1], rc + V), CC_OK);
			cmp_row(&c, rg, rc, V, -1);
			cmp_row(&c, rg + V, rc + V, V, -1);
		}
		cmp_check(&c, "batched decode, ragged + uniform session", name);
	}
	/* 6. codecomp's head budgets on CUDA: ragged, no uniform fallback */
	{
		cc_session *gc = NULL;
		float prior[N_CTX]; /* a structural prior of some shape: the agreement needs one */
		for (int j = 0; j < N_CTX; j++)
			prior[j] = 0.1f + 0.9f * (float)((j * 37) % 100) / 100.f;
		CHECK_EQ_INT(cc_session_new(&gc, gm, NULL), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(gc, ids, N_CTX, NULL), CC_OK);
		cc_compress_opts_default(&o, CC_POLICY_CODECOMP, 0.2);
		CHECK(o.head_adapt != 0);
		CHECK_EQ_INT(cc_compress_session(gc, &o, N_CTX, prior, NULL, NULL, &st), CC_OK);
		ragged = 0;
		for (int l = 0; gc && l < L; l++)
			ragged += cc_kv_seq_ragged(cc_session_kv(gc), l);
		fprintf(stderr, "%s: codecomp on cuda: head_uniform %d, %d of %d layers ragged\n", name,
		        st.head_uniform, ragged, L);
		CHECK_EQ_INT(st.head_uniform, 0);
		CHECK_EQ_INT(cc_session_decode(gc, ids[N_CTX], rb), CC_OK);
		cc_session_free(gc);
	}
out:
	cc_batch_free(batch);
	cc_session_free(gf);
	cc_session_free(ga);
	cc_session_free(gb);
	cc_session_free(ca);
	cc_session_free(cb);
	cc_engine_pool_free(pool);
	cc_model_free(gm);
	cc_model_free(cm);
	free(lg);
	free(lc);
	free(rg);
	free(rc);
	free(rf);
	free(rb);
}

int main(void)
{
	int32_t ids[N_ALL], other[N_OTHER];
	if (cc_kernels_device_count() == 0)
		TEST_SKIP("no CUDA device");
	{
		/* Qwen2.5-Coder-7B's heads: 28 query heads over 4 KV heads, head_dim 128 */
		const tiny_shape *sh = &tiny_shapes[1];
		tiny_model tm;
		char root[] = "/tmp/cc_gpu_ragged_XXXXXX", dir[600];
		CHECK(mkdtemp(root) != NULL);
		snprintf(dir, sizeof(dir), "%s/m", root);
		tiny_model_make(&tm, sh, 777);
		CHECK_EQ_INT(tiny_model_write(&tm, dir), 0);
		for (int i = 0; i < N_ALL; i++)
			ids[i] = (int32_t)((i * 53 + 7 + i / 9) % sh->vocab);
		for (int i = 0; i < N_OTHER; i++)
			other[i] = (int32_t)((i * 17 + 3) % sh->vocab);
		run_model(dir, ids, other, sh->vocab, "tiny qwen2.5-coder-7b heads");
		tiny_model_free(&tm);
		test_remove_tree(root);
	}
	const char *dir = test_model_dir();
	if (!dir) {
		fprintf(stderr, "pycode-16m absent: its checks skipped\n");
		return test_result();
	}
	/* real code: the stdlib files of the HF reference fixture */
	json_error_t je;
	json_t *ref = json_load_file("fixtures/engine/hf_ref_pycode.json", 0, &je);
	CHECK(ref != NULL);
	if (!ref)
		return test_result();
	json_t *in = json_object_get(ref, "inputs");
	json_t *a = json_object_get(json_array_get(in, 0), "ids");
	json_t *b = json_object_get(json_array_get(in, 1), "ids");
	CHECK(json_array_size(a) >= N_ALL && json_array_size(b) >= N_OTHER);
	if (json_array_size(a) >= N_ALL && json_array_size(b) >= N_OTHER) {
		for (int i = 0; i < N_ALL; i++)
			ids[i] = (int32_t)json_integer_value(json_array_get(a, i));
		for (int i = 0; i < N_OTHER; i++)
			other[i] = (int32_t)json_integer_value(json_array_get(b, i));
		cc_model *m = NULL;
		cc_model_opts mo = {CC_DEVICE_CPU, 0};
		CHECK_EQ_INT(cc_model_load(&m, dir, &mo), CC_OK);
		cc_model_info info;
		cc_model_info_get(&info, m);
		cc_model_free(m);
		run_model(dir, ids, other, info.vocab, "pycode-16m");
	}
	json_decref(ref);
	return test_result();
}
