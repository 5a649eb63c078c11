/*
 * test_engine.c - engine behaviour on the tiny Qwen2 fixture (no shared model needed):
 * chunked prefill, forward_all, decode and logprobs agree with each other; forks continue
 * independently and equal fresh sessions; cache accounting matches the KV formula; compaction
 * frees memory, keeps positions and an identity compaction changes nothing; observation
 * statistics sum to window x GQA group; sampling (greedy, temperature, top-p, seeds); runtime
 * errors (ids outside the vocabulary, a full cache).
 */
#include "cc_common.h"
#include "cc_engine.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DIR "fixtures/engine/qwen2-tiny"
enum {
	V = 512,
	N = 50
};

static cc_model *g_m;

static cc_session *new_session(int chunk, size_t max_tokens, int obs_window)
{
	cc_session_opts so = {0};
	cc_session *s = NULL;
	so.prefill_chunk = chunk;
	so.max_tokens = max_tokens;
	so.obs_window = obs_window;
	CHECK_EQ_INT(cc_session_new(&s, g_m, &so), CC_OK);
	return s;
}

static double max_diff(const float *a, const float *b, size_t n)
{
	double d = 0;
	for (size_t i = 0; i < n; i++)
		if (fabs((double)a[i] - b[i]) > d)
			d = fabs((double)a[i] - b[i]);
	return d;
}

static void test_consistency(const int32_t *ids)
{
	float *all = malloc((size_t)N * V * sizeof(float)), *last = malloc(V * sizeof(float)),
	      *dec = malloc(V * sizeof(float)), lp[N], lp2[N];
	cc_session *a = new_session(7, 256, 0), *b = new_session(64, 256, 0), *c = new_session(1, 256, 0);

	CHECK_EQ_INT(cc_session_forward_all(a, ids, N, all), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(b, ids, N, last), CC_OK);
	CHECK(max_diff(all + (size_t)(N - 1) * V, last, V) < 1e-4);
	/* token by token through decode */
	double md = 0;
	for (int i = 0; i < N; i++) {
		CHECK_EQ_INT(cc_session_decode(c, ids[i], dec), CC_OK);
		double d = max_diff(all + (size_t)i * V, dec, V);
		if (d > md)
			md = d;
	}
	CHECK(md < 1e-4);
	/* logprobs: fresh (first NAN), and continuing a session with context */
	cc_session_reset(c);
	CHECK_EQ_INT(cc_session_logprobs(c, ids, N, lp, 0, NULL, NULL), CC_OK);
	CHECK(isnan(lp[0]));
	/* cc_log_softmax over the logits rows gives the log-probabilities logprobs reports */
	double lsd = 0;
	for (int i = 1; i < N; i++) {
		memcpy(dec, all + (size_t)(i - 1) * V, V * sizeof(float));
		int32_t am = cc_log_softmax(dec, V);
		CHECK(am >= 0 && am < V && dec[am] <= 0);
		if (fabs((double)dec[ids[i]] - lp[i]) > lsd)
			lsd = fabs((double)dec[ids[i]] - lp[i]);
	}
	CHECK(lsd < 1e-4);
	float tie[3] = {1.0f, 5.0f, 5.0f};
	CHECK_EQ_INT(cc_log_softmax(tie, 3), 1); /* the lowest index on ties */
	CHECK(fabs(exp(tie[0]) + exp(tie[1]) + exp(tie[2]) - 1.0) < 1e-6);
	cc_session_reset(c);
	CHECK_EQ_INT(cc_session_prefill(c, ids, 10, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_logprobs(c, ids + 10, N - 10, lp2, 0, NULL, NULL), CC_OK);
	for (int i = 10; i < N; i++)
		CHECK_NEAR(lp2[i - 10], lp[i], 1e-4);
	/* lp[i] agrees with a log-softmax of forward_all row i-1 */
	{
		const float *row = all + (size_t)19 * V;
		double mx = -1e30, z = 0;
		for (int j = 0; j < V; j++)
			mx = fmax(mx, row[j]);
		for (int j = 0; j < V; j++)
			z += exp(row[j] - mx);
		CHECK_NEAR(lp[20], row[ids[20]] - mx - log(z), 1e-4);
	}
	cc_session_free(a);
	cc_session_free(b);
	cc_session_free(c);
	free(all);
	free(last);
	free(dec);
}

static void test_fork(const int32_t *ids)
{
	float l1[V], l2[V], r1[V], r2[V];
	cc_session *s = new_session(16, 128, 0), *f = NULL, *ref = new_session(16, 128, 0);
	cc_cache_stats st, st2;
	int32_t x = 5, y = 77;

	CHECK_EQ_INT(cc_session_prefill(s, ids, 21, NULL), CC_OK);
	cc_session_cache_stats(&st, s);
	CHECK_EQ_INT(cc_session_fork(&f, s), CC_OK);
	cc_session_cache_stats(&st2, f);
	CHECK_EQ_INT(st2.blocks_used, st.blocks_used); /* shared, nothing copied */
	CHECK_EQ_INT(st2.seq_blocks, st.seq_blocks);
	CHECK_EQ_INT(cc_session_decode(s, x, l1), CC_OK);
	CHECK_EQ_INT(cc_session_decode(f, y, l2), CC_OK);
	/* the fork's first write went into a shared partial block: one copy per layer */
	cc_session_cache_stats(&st2, f);
	CHECK_EQ_INT(st2.blocks_used, st.blocks_used + 2 * 1);
	int32_t a[22], b[22];
	for (int i = 0; i < 21; i++)
		a[i] = b[i] = ids[i];
	a[21] = x;
	b[21] = y;
	CHECK_EQ_INT(cc_session_prefill(ref, a, 22, r1), CC_OK);
	cc_session_reset(ref);
	CHECK_EQ_INT(cc_session_prefill(ref, b, 22, r2), CC_OK);
	CHECK(max_diff(l1, r1, V) < 1e-4);
	CHECK(max_diff(l2, r2, V) < 1e-4);
	/* free the parent first; the fork keeps working */
	cc_session_free(s);
	CHECK_EQ_INT(cc_session_decode(f, x, l2), CC_OK);
	cc_session_free(f);
	cc_session_free(ref);
}

/* Forks share one pool: without room beyond max_tokens the fork's copy-on-write fails with
 * a clear "kv cache full"; with pool_tokens it succeeds. */
static void test_pool_sharing(const int32_t *ids)
{
	for (int roomy = 0; roomy < 2; roomy++) {
		cc_session_opts so = {0};
		cc_session *s = NULL, *f = NULL;
		so.max_tokens = 32;
		so.pool_tokens = roomy ? 64 : 0;
		CHECK_EQ_INT(cc_session_new(&s, g_m, &so), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(s, ids, 30, NULL), CC_OK);
		CHECK_EQ_INT(cc_session_fork(&f, s), CC_OK);
		/* the first to write into the shared, partly filled second block copies it */
		int rc = cc_session_decode(s, ids[30], NULL);
		if (roomy) {
			CHECK_EQ_INT(rc, CC_OK);
			CHECK_EQ_INT(cc_session_decode(f, ids[31], NULL), CC_OK);
		} else {
			CHECK_EQ_INT(rc, CC_ENOMEM);
			CHECK(strstr(cc_error_last(), "kv cache full") != NULL);
		}
		cc_session_free(f);
		cc_session_free(s);
	}
}

static void test_cache_and_compaction(const int32_t *ids)
{
	cc_session *s = new_session(16, 128, 0), *t = new_session(16, 128, 0);
	cc_cache_stats st;
	cc_model_info mi;
	float l1[V], l2[V];

	cc_model_info_get(&mi, g_m);
	CHECK_EQ_INT(cc_session_prefill(s, ids, 37, NULL), CC_OK);
	cc_session_cache_stats(&st, s);
	/* layers x 2 (K,V) x kv_heads x head_dim x 4 bytes (f32 cache) x tokens rounded to 16 */
	CHECK_EQ_INT(st.bytes_used, (size_t)mi.n_layers * 2 * mi.n_kv_heads * mi.head_dim * 4 * 48);
	CHECK_EQ_INT(st.kept_tokens, (size_t)mi.n_layers * 37);
	CHECK_EQ_INT(st.next_pos, 37);

	/* identity compaction: nothing changes */
	CHECK_EQ_INT(cc_session_prefill(t, ids, 37, NULL), CC_OK);
	int32_t keep_all[2 * 37];
	for (int h = 0; h < 2; h++)
		for (int i = 0; i < 37; i++)
			keep_all[h * 37 + i] = i;
	for (int l = 0; l < mi.n_layers; l++)
		CHECK_EQ_INT(cc_session_compact(t, l, keep_all, 37), CC_OK);
	CHECK_EQ_INT(cc_session_decode(s, ids[37], l1), CC_OK);
	CHECK_EQ_INT(cc_session_decode(t, ids[37], l2), CC_OK);
	CHECK(max_diff(l1, l2, V) == 0);

	/* keep 10 tokens per head (different per head) in every layer: 1 block per layer */
	int32_t keep[2 * 10];
	for (int i = 0; i < 10; i++) {
		keep[i] = 3 * i;       /* head 0: 0, 3, ..., 27 */
		keep[10 + i] = 28 + i; /* head 1: 28 .. 37 (37 = the decoded token) */
	}
	for (int l = 0; l < mi.n_layers; l++)
		CHECK_EQ_INT(cc_session_compact(t, l, keep, 10), CC_OK);
	cc_session_cache_stats(&st, t);
	CHECK_EQ_INT(st.bytes_used, (size_t)mi.n_layers * 2 * mi.n_kv_heads * mi.head_dim * 4 * 16);
	CHECK_EQ_INT(st.next_pos, 38);
	CHECK_EQ_INT(st.kept_tokens, (size_t)mi.n_layers * 10);
	CHECK_EQ_INT(cc_kv_seq_positions(cc_session_kv(t), 1, 0)[4], 12);
	CHECK_EQ_INT(cc_kv_seq_positions(cc_session_kv(t), 1, 1)[9], 37);
	/* decoding continues at the original next position */
	CHECK_EQ_INT(cc_session_decode(t, ids[38], l2), CC_OK);
	cc_session_cache_stats(&st, t);
	CHECK_EQ_INT(st.next_pos, 39);
	CHECK_EQ_INT(cc_kv_seq_positions(cc_session_kv(t), 0, 0)[10], 38);
	for (int i = 0; i < V; i++)
		CHECK(isfinite(l2[i]));
	cc_session_free(s);
	cc_session_free(t);
}

static void test_obs(const int32_t *ids)
{
	cc_session *s = new_session(16, 128, 8);
	const float *sc;
	const int32_t *pos;
	size_t n;
	float l[V];

	CHECK_EQ_INT(cc_session_prefill(s, ids, 40, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_obs_window(s), 8);
	for (int layer = 0; layer < 2; layer++)
		for (int h = 0; h < 2; h++) {
			CHECK_EQ_INT(cc_session_obs(s, layer, h, &sc, &pos, &n), CC_OK);
			CHECK_EQ_INT(n, 40);
			double sum = 0;
			for (size_t j = 0; j < n; j++) {
				CHECK(sc[j] >= 0);
				sum += sc[j];
			}
			/* each of the 8 queries of each of the 2 query heads of the group sums to 1 */
			CHECK_NEAR(sum, 8 * 2, 1e-3);
			/* the last key is seen only by the last query */
			CHECK(sc[39] > 0 && sc[39] <= 2.0f + 1e-5f);
		}
	CHECK_EQ_INT(cc_session_obs(s, 2, 0, &sc, &pos, &n), CC_EINVAL);
	/* a second prefill: the window is its own last tokens, keys include the earlier ones */
	CHECK_EQ_INT(cc_session_prefill(s, ids + 40, 4, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_obs_window(s), 4);
	CHECK_EQ_INT(cc_session_obs(s, 1, 1, &sc, &pos, &n), CC_OK);
	CHECK_EQ_INT(n, 44);
	double sum = 0;
	for (size_t j = 0; j < n; j++)
		sum += sc[j];
	CHECK_NEAR(sum, 4 * 2, 1e-3);
	CHECK_EQ_INT(cc_session_decode(s, 3, l), CC_OK);
	CHECK_EQ_INT(cc_session_obs(s, 0, 0, &sc, &pos, &n), CC_ENOTFOUND);
	cc_session_free(s);
}

static void test_sampling(void)
{
	float logits[4] = {0.0f, (float)log(3.0), -INFINITY, 1.0f};
	cc_sampler g, a, b;
	int count[4] = {0};

	cc_sampler_init(&g, 0, 0, 0);
	CHECK_EQ_INT(cc_sampler_sample(&g, logits, 4), 1);
	float tie[3] = {2, 5, 5};
	CHECK_EQ_INT(cc_sampler_sample(&g, tie, 3), 1);
	float two[2] = {0.0f, (float)log(3.0)};
	cc_sampler_init(&a, 1.0f, 0, 42);
	for (int i = 0; i < 4000; i++)
		count[cc_sampler_sample(&a, two, 2)]++;
	/* p = 1/4, 3/4: 4000 draws, sd ~27; a fixed seed makes this deterministic */
	CHECK(count[0] > 850 && count[0] < 1150);
	/* top-p 0.5 keeps only the 3/4 token */
	cc_sampler_init(&a, 1.0f, 0.5f, 1);
	int other = 0;
	for (int i = 0; i < 500; i++)
		other += cc_sampler_sample(&a, two, 2) != 1;
	CHECK_EQ_INT(other, 0);
	/* -inf logits are never drawn; same seed, same draws */
	cc_sampler_init(&a, 2.0f, 0.95f, 9);
	cc_sampler_init(&b, 2.0f, 0.95f, 9);
	int same = 1, drawn2 = 0;
	for (int i = 0; i < 300; i++) {
		int32_t x = cc_sampler_sample(&a, logits, 4), y = cc_sampler_sample(&b, logits, 4);
		same &= x == y;
		drawn2 += x == 2;
	}
	CHECK(same);
	CHECK_EQ_INT(drawn2, 0);
	float bad[2] = {0, NAN};
	CHECK_EQ_INT(cc_sampler_sample(&a, bad, 2), CC_EINVAL);
}

/* The reference nucleus, written plainly: every token sorted by probability (ties: the lower
 * id first), the shortest prefix whose mass reaches top_p. in[id] = 1 for its members;
 * returns its mass over the whole. */
typedef struct {
	double p;
	int id;
} ref_pid;

static int ref_desc(const void *a, const void *b)
{
	const ref_pid *x = a, *y = b;
	if (x->p != y->p)
		return x->p > y->p ? -1 : 1;
	return x->id - y->id;
}

static double ref_nucleus(const float *logits, int nv, double temp, double top_p, char *in)
{
	ref_pid *r = malloc((size_t)nv * sizeof(*r));
	double mx = -INFINITY, z = 0, mass = 0;
	for (int i = 0; i < nv; i++)
		mx = logits[i] > mx ? logits[i] : mx;
	for (int i = 0; i < nv; i++) {
		r[i].p = exp(((double)logits[i] - mx) / temp);
		r[i].id = i;
		z += r[i].p;
	}
	qsort(r, (size_t)nv, sizeof(*r), ref_desc);
	memset(in, 0, (size_t)nv);
	for (int i = 0; i < nv; i++) {
		in[r[i].id] = 1;
		mass += r[i].p / z;
		if (mass >= top_p)
			break;
	}
	free(r);
	return mass;
}

/* Large vocabularies (a real tokenizer's 128K): the nucleus found without sorting every
 * token is the plainly sorted one's, ties included; draws follow the probabilities. */
static void test_sampling_vocab(void)
{
	const int nv = 20000;
	float *l = malloc((size_t)nv * sizeof(float));
	char *in = malloc((size_t)nv);
	int *count = calloc((size_t)nv, sizeof(int));
	uint64_t x = 12345;
	for (int i = 0; i < nv; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		l[i] = (float)((double)(x >> 11) / 9007199254740992.0 * 12.0 - 6.0);
	}
	const float temps[3] = {0.7f, 1.0f, 2.5f}, tops[3] = {0.5f, 0.9f, 0.999f};
	for (int t = 0; t < 3; t++)
		for (int k = 0; k < 3; k++) {
			ref_nucleus(l, nv, temps[t], tops[k], in);
			cc_sampler a;
			cc_sampler_init(&a, temps[t], tops[k], 100 + t * 3 + k);
			int outside = 0;
			for (int d = 0; d < 400; d++) {
				int32_t id = cc_sampler_sample(&a, l, nv);
				outside += id < 0 || id >= nv || !in[id];
			}
			CHECK_EQ_INT(outside, 0);
		}
	/* ties at the nucleus' edge: ten equal tokens (mass 0.1 each, the rest never drawn),
	 * top_p 0.25 keeps three - the three lowest ids, wherever they sit */
	const int tied[10] = {901, 13, 517, 24, 733, 4, 650, 300, 999, 88};
	for (int i = 0; i < nv; i++)
		l[i] = -INFINITY;
	for (int i = 0; i < 10; i++)
		l[tied[i]] = 1.5f;
	cc_sampler b;
	cc_sampler_init(&b, 1.0f, 0.25f, 5);
	int seen[3] = {0};
	int bad = 0;
	for (int d = 0; d < 600; d++) {
		int32_t id = cc_sampler_sample(&b, l, nv);
		if (id == 4)
			seen[0]++;
		else if (id == 13)
			seen[1]++;
		else if (id == 24)
			seen[2]++;
		else
			bad++;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK(seen[0] > 120 && seen[1] > 120 && seen[2] > 120); /* ~200 each */
	/* no top_p: every token may come, in proportion; -inf never */
	for (int i = 0; i < nv; i++)
		l[i] = i % 3 == 0 ? -INFINITY : (float)(i % 7) * 0.25f;
	double z = 0, w[7] = {0};
	for (int i = 0; i < nv; i++)
		if (i % 3) {
			z += exp(l[i]);
			w[i % 7] += exp(l[i]);
		}
	cc_sampler c;
	cc_sampler_init(&c, 1.0f, 0, 77);
	int by7[7] = {0}, neg = 0;
	const int ndraw = 20000;
	for (int d = 0; d < ndraw; d++) {
		int32_t id = cc_sampler_sample(&c, l, nv);
		if (id < 0 || id % 3 == 0) {
			neg++;
			continue;
		}
		by7[id % 7]++;
	}
	CHECK_EQ_INT(neg, 0);
	for (int j = 0; j < 7; j++) {
		double e = ndraw * w[j] / z, sd = sqrt(e);
		CHECK(fabs(by7[j] - e) < 5 * sd + 1);
	}
	free(l);
	free(in);
	free(count);
}

static void test_errors(const int32_t *ids)
{
	cc_session *s = new_session(16, 32, 0);
	int32_t badid[2] = {1, V};
	cc_cache_stats st;
	CHECK_EQ_INT(cc_session_prefill(s, badid, 2, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "outside the vocabulary") != NULL);
	CHECK_EQ_INT(cc_session_prefill(s, ids, 0, NULL), CC_EINVAL);
	CHECK_EQ_INT(cc_session_prefill(s, ids, 33, NULL), CC_ENOMEM);
	CHECK(strstr(cc_error_last(), "kv cache full") != NULL);
	cc_session_cache_stats(&st, s);
	CHECK_EQ_INT(st.next_pos, 0);
	CHECK_EQ_INT(cc_session_prefill(s, ids, 32, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_decode(s, 1, NULL), CC_ENOMEM);
	cc_session_free(s);
}

static void test_bf16_cache(const int32_t *ids)
{
	cc_session_opts so = {0};
	cc_session *a = new_session(16, 128, 0), *b = NULL;
	float la[N], lb[N];
	so.kv_dtype = CC_KV_BF16;
	so.kv_dtype_set = 1;
	CHECK_EQ_INT(cc_session_new(&b, g_m, &so), CC_OK);
	CHECK_EQ_INT(cc_session_logprobs(a, ids, N, la, 0, NULL, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_logprobs(b, ids, N, lb, 0, NULL, NULL), CC_OK);
	double mean = 0;
	for (int i = 1; i < N; i++)
		mean += fabs((double)la[i] - lb[i]) / (N - 1);
	fprintf(stderr, "bf16 KV cache: mean |dlogp| %.2e\n", mean);
	CHECK(mean < 2e-2);
	CHECK(mean > 0); /* the cache really is bf16 */
	cc_cache_stats st;
	cc_session_cache_stats(&st, b);
	CHECK_EQ_INT(st.block_bytes, 2 * 2 * 16 * 16 * 2);
	cc_session_free(a);
	cc_session_free(b);
}

int main(void)
{
	cc_model_opts mo = {CC_DEVICE_CPU, 2};
	int32_t ids[64];
	uint64_t x = 12345;
	if (cc_model_load(&g_m, DIR, &mo) != CC_OK) {
		fprintf(stderr, "load %s: %s\n", DIR, cc_error_last());
		return 1;
	}
	for (int i = 0; i < 64; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		ids[i] = (int32_t)((x >> 33) % V);
	}
	test_consistency(ids);
	test_fork(ids);
	test_pool_sharing(ids);
	test_cache_and_compaction(ids);
	test_obs(ids);
	test_sampling();
	test_sampling_vocab();
	test_errors(ids);
	test_bf16_cache(ids);
	cc_model_free(g_m);
	return test_result();
}
