/*
 * test_engine_kvquant.c - the engine over a quantized KV cache (pycode-16m on the CPU; skips
 * when the shared model is absent): with INT8 keys and values (KIVI and rotated) the logits
 * of real code stay close to those of the f32 cache (KL and top-1 agreement bounded), fewer
 * bits cost more, dequantize(quantize(x)) stays within each format's bound on the model's real
 * keys and values, compaction and forks work on a quantized session, and bad options fail
 * with clear errors.
 */
#include "cc_common.h"
#include "cc_engine.h"
#include "cc_kv.h"
#include "cc_tokenizer.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

#define N_CTX 320
#define N_TGT 64

static int32_t *load_ids(const char *model_dir, size_t *n)
{
	const char *src = getenv("CC_SOURCE_DIR");
	static const char *files[] = {"bench/callgraph/callgraph_eval.py", "bench/gpu_hf_baseline.py",
	                              "bench/make_shape_ckpt.py"};
	char path[4096], *text = NULL;
	size_t len = 0;
	cc_tokenizer *tok = NULL;
	int32_t *ids = NULL;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", src ? src : ".", files[i]);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		text = cc_xrealloc(text, len + 65536);
		len += fread(text + len, 1, 65536 - 1, f);
		fclose(f);
	}
	*n = 0;
	if (!text)
		return NULL;
	if (cc_tokenizer_load(&tok, model_dir) == CC_OK)
		cc_tokenizer_encode(tok, text, len, &ids, NULL, n);
	cc_tokenizer_free(tok);
	free(text);
	return ids;
}

/* Mean KL(ref || x) over rows and the share of rows with the same argmax. */
static void compare(const float *ref, const float *x, size_t rows, int V, double *kl,
                    double *agree)
{
	*kl = 0;
	*agree = 0;
	for (size_t r = 0; r < rows; r++) {
		const float *a = ref + r * V, *b = x + r * V;
		double ma = -INFINITY, mb = -INFINITY, za = 0, zb = 0, k = 0;
		int ia = 0, ib = 0;
		for (int i = 0; i < V; i++) {
			if (a[i] > ma) {
				ma = a[i];
				ia = i;
			}
			if (b[i] > mb) {
				mb = b[i];
				ib = i;
			}
		}
		for (int i = 0; i < V; i++) {
			za += exp(a[i] - ma);
			zb += exp(b[i] - mb);
		}
		for (int i = 0; i < V; i++) {
			double la = a[i] - ma - log(za), lb = b[i] - mb - log(zb);
			k += exp(la) * (la - lb);
		}
		*kl += k;
		*agree += ia == ib;
	}
	*kl /= (double)rows;
	*agree /= (double)rows;
}

/* Logits of the targets after the context, with the given cache. */
static int run(cc_model *m, const cc_session_opts *o, const int32_t *ids, float *logits,
               cc_cache_stats *st)
{
	cc_session *s = NULL;
	int rc = cc_session_new(&s, m, o);
	if (!rc)
		rc = cc_session_prefill(s, ids, N_CTX, NULL);
	if (!rc)
		cc_session_cache_stats(st, s);
	if (!rc)
		rc = cc_session_forward_all(s, ids + N_CTX, N_TGT, logits);
	cc_session_free(s);
	return rc;
}

/* The model's own keys and values (f32 cache) through every format: each value within its
 * group's step / 2 (in the stored space). */
static void check_real_kv(cc_model *m, const int32_t *ids)
{
	cc_session_opts o = {0};
	cc_session *s = NULL;
	cc_model_info mi;
	cc_model_info_get(&mi, m);
	int hd = mi.head_dim, BT = 32;
	float *rows = cc_xmalloc((size_t)BT * hd * sizeof(float));
	float *rot = cc_xmalloc((size_t)BT * hd * sizeof(float));
	float *scratch = cc_xmalloc((size_t)BT * hd * sizeof(float));
	float *y = cc_xmalloc((size_t)hd * sizeof(float));
	unsigned char *part = cc_xmalloc((size_t)BT * hd * 2 + 4096);
	o.max_tokens = N_CTX;
	CHECK_EQ_INT(cc_session_new(&s, m, &o), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(s, ids, N_CTX, NULL), CC_OK);
	const cc_kv_pool *p = cc_session_pool(s);
	const char *base = cc_kv_pool_base(p);
	int bad = 0, checked = 0;
	for (int method = CC_KV_QUANT_KIVI; method <= CC_KV_QUANT_ROTATED; method++)
		for (int bits = 8; bits >= 2; bits /= 2)
			for (int l = 0; l < mi.n_layers; l += 3)
				for (int v = 0; v < 2; v++) {
					cc_kv_config cfg = {mi.n_layers, mi.n_kv_heads, hd, BT, CC_KV_BF16, 1};
					cc_kv_qconfig q = {method, bits, BT, 1};
					cc_kv_qlayout ly;
					CHECK_EQ_INT(cc_kv_qlayout_get(&ly, &cfg, &q), CC_OK);
					for (int t = 0; t < BT; t++) /* tokens 200 .. 231 of KV head 0 */
						memcpy(rows + (size_t)t * hd,
						       base + cc_kv_slot_offset(cc_session_kv(s), l, v, 0,
						                                200 + (size_t)t),
						       (size_t)hd * sizeof(float));
					memcpy(rot, rows, (size_t)BT * hd * sizeof(float));
					if (ly.rotate)
						for (int t = 0; t < BT; t++)
							cc_kv_hadamard(rot + (size_t)t * hd, hd);
					cc_kv_qhead_quant(&ly, v, part, rows, scratch);
					/* bound from the group's own range (step / 2, f16 rounding slack) */
					for (int t = 0; t < BT; t++) {
						cc_kv_qrow_dequant(&ly, v, part, t, y);
						for (int d = 0; d < hd; d++) {
							float lo = INFINITY, hi = -INFINITY;
							int pc = !v && ly.k_per_channel;
							for (int k = 0; k < (pc ? BT : ly.group); k++) {
								float z = pc ? rot[(size_t)k * hd + d]
								             : rot[(size_t)t * hd + d / ly.group * ly.group + k];
								lo = fminf(lo, z);
								hi = fmaxf(hi, z);
							}
							float step = (hi - lo + fabsf(lo) * 2e-3f) * 1.002f /
							             (float)((1 << bits) - 1);
							checked++;
							if (fabsf(y[d] - rot[(size_t)t * hd + d]) > step / 2 + 1e-5f)
								bad++;
						}
					}
				}
	fprintf(stderr, "real KV: %d values checked, %d over the bound\n", checked, bad);
	CHECK(checked > 0);
	CHECK_EQ_INT(bad, 0);
	cc_session_free(s);
	free(rows);
	free(rot);
	free(scratch);
	free(y);
	free(part);
}

int main(void)
{
	const char *dir = test_model_dir();
	cc_model *m = NULL;
	cc_model_info mi;
	size_t n = 0;
	int32_t *ids;
	float *ref, *x;
	cc_cache_stats st_ref, st;

	if (!dir)
		TEST_SKIP("pycode-16m absent (../shared/models or CC_MODEL_DIR)");
	ids = load_ids(dir, &n);
	if (n < N_CTX + N_TGT)
		TEST_SKIP("not enough source text for %d tokens (CC_SOURCE_DIR)", N_CTX + N_TGT);
	CHECK_EQ_INT(cc_model_load(&m, dir, NULL), CC_OK);
	if (!m)
		return test_result();
	cc_model_info_get(&mi, m);
	ref = cc_xmalloc((size_t)N_TGT * mi.vocab * sizeof(float));
	x = cc_xmalloc((size_t)N_TGT * mi.vocab * sizeof(float));

	cc_session_opts o = {0};
	o.max_tokens = N_CTX + N_TGT;
	CHECK_EQ_INT(run(m, &o, ids, ref, &st_ref), CC_OK);
	for (int method = CC_KV_QUANT_KIVI; method <= CC_KV_QUANT_ROTATED; method++) {
		double prev_kl = -1;
		for (int bits = 8; bits >= 2; bits /= 2) {
			double kl, agree;
			o.kv_quant = method;
			o.kv_bits = bits;
			o.kv_dtype = CC_KV_BF16;
			o.kv_dtype_set = 1;
			CHECK_EQ_INT(run(m, &o, ids, x, &st), CC_OK);
			compare(ref, x, N_TGT, mi.vocab, &kl, &agree);
			fprintf(stderr,
			        "%s int%d: KL %.5f nats, top-1 agreement %.3f, KV bytes %zu "
			        "(f32 %zu)\n",
			        cc_kv_quant_name(method), bits, kl, agree, st.seq_bytes,
			        st_ref.seq_bytes);
			if (bits == 8) {
				CHECK(kl < 0.005);
				CHECK(agree >= 0.95);
			}
			CHECK(kl > prev_kl); /* fewer bits, further from the f32 cache */
			CHECK(st.seq_bytes * (bits == 8 ? 3 : 5) < st_ref.seq_bytes);
			prev_kl = kl;
		}
	}
	check_real_kv(m, ids);

	/* compaction and forks on a quantized session */
	{
		cc_session *s = NULL, *f = NULL;
		float *l1 = cc_xmalloc((size_t)mi.vocab * sizeof(float));
		float *l2 = cc_xmalloc((size_t)mi.vocab * sizeof(float));
		o.kv_quant = CC_KV_QUANT_ROTATED;
		o.kv_bits = 4;
		CHECK_EQ_INT(cc_session_new(&s, m, &o), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(s, ids, N_CTX, NULL), CC_OK);
		size_t k = N_CTX / 2;
		int32_t *keep = cc_xmalloc((size_t)mi.n_kv_heads * k * sizeof(int32_t));
		for (int h = 0; h < mi.n_kv_heads; h++)
			for (size_t i = 0; i < k; i++)
				keep[(size_t)h * k + i] = (int32_t)(h ? 2 * i : i + N_CTX - k);
		cc_cache_stats before, after;
		cc_session_cache_stats(&before, s);
		for (int l = 0; l < mi.n_layers; l++)
			CHECK_EQ_INT(cc_session_compact(s, l, keep, k), CC_OK);
		cc_session_cache_stats(&after, s);
		CHECK(after.seq_bytes < before.seq_bytes * 6 / 10);
		CHECK_EQ_INT(cc_session_fork(&f, s), CC_OK);
		CHECK_EQ_INT(cc_session_decode(s, ids[N_CTX], l1), CC_OK);
		CHECK_EQ_INT(cc_session_decode(f, ids[N_CTX], l2), CC_OK);
		double d = 0;
		int finite = 1;
		for (int i = 0; i < mi.vocab; i++) {
			d = fmax(d, fabs(l1[i] - l2[i]));
			finite &= isfinite(l1[i]);
		}
		CHECK(finite);
		CHECK(d == 0); /* a fork reads the same blocks */
		/* batched decode over quantized sessions of one pool (forks) gives each one's own
		 * decode (the batch dequantizes row by row, the single path per layer) */
		{
			cc_session *f2 = NULL, *f3 = NULL;
			cc_batch *bt = NULL;
			float *lb = cc_xmalloc(2 * (size_t)mi.vocab * sizeof(float));
			int32_t tk[2] = {ids[N_CTX + 1], ids[N_CTX + 1]};
			CHECK_EQ_INT(cc_session_fork(&f2, s), CC_OK);
			CHECK_EQ_INT(cc_session_fork(&f3, f), CC_OK);
			CHECK_EQ_INT(cc_session_decode(s, tk[0], l1), CC_OK);
			CHECK_EQ_INT(cc_batch_new(&bt, m), CC_OK);
			cc_session *pair[2] = {f2, f3};
			CHECK_EQ_INT(cc_batch_decode(bt, pair, tk, 2, lb), CC_OK);
			double db = 0;
			for (int i = 0; i < mi.vocab; i++)
				db = fmax(db, fmax(fabs(lb[i] - l1[i]), fabs(lb[mi.vocab + i] - l1[i])));
			fprintf(stderr, "batched vs single decode, quantized: max |d logit| %.2e\n", db);
			CHECK(db < 1e-3);
			cc_batch_free(bt);
			cc_session_free(f2);
			cc_session_free(f3);
			free(lb);
		}
		cc_session_free(f);
		cc_session_free(s);
		free(keep);
		free(l1);
		free(l2);
	}
	/* bad options */
	{
		cc_session *s = NULL;
		cc_session_opts b = {0};
		b.kv_quant = CC_KV_QUANT_KIVI;
		b.kv_bits = 3;
		CHECK_EQ_INT(cc_session_new(&s, m, &b), CC_EINVAL);
		CHECK(strstr(cc_error_last(), "kv_bits 3") != NULL);
		b.kv_quant = 9;
		b.kv_bits = 4;
		CHECK_EQ_INT(cc_session_new(&s, m, &b), CC_EINVAL);
		cc_engine_pool *pool = NULL;
		cc_engine_pool_opts po = {0};
		po.tokens = 256;
		CHECK_EQ_INT(cc_engine_pool_new(&pool, m, &po), CC_OK);
		b.kv_quant = CC_KV_QUANT_KIVI;
		b.pool = pool;
		CHECK_EQ_INT(cc_session_new(&s, m, &b), CC_EUNSUPPORTED);
		cc_engine_pool_free(pool);
	}
	free(ref);
	free(x);
	free(ids);
	cc_model_free(m);
	return test_result();
}
