/*
 * test_repocache_quant.c - the repository KV cache with quantized sessions (INT8/INT4/INT2,
 * kivi and rotated) on the CPU engine, with the shared model: a chunk assembled at position 0
 * into a quantized session gives bit for bit the logits of a prefill of the same tokens in
 * that session (the chunk is stored full precision and quantized once, as a prefill
 * quantizes); a cached chunk (from memory, from disk, or computed again) assembles into the
 * same cache as a freshly computed one (identical logits, two chunks moved by their position
 * delta, one of them compressed); chunks longer than the quantized pool's full-precision area
 * are appended piece by piece; quantization really happens (the logits differ from the f32
 * session's, within a bound that shrinks with more bits); export from a quantized session is
 * refused by name.
 */
#include "cc_repocache.h"

#include "cc_common.h"
#include "cc_compress.h"
#include "cc_tokenizer.h"
#include "test.h"
#include "rc_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cc_model *model;
static cc_tokenizer *tok;
static cc_session *root; /* f32, not quantized */
static cc_model_info mi;

static int32_t *encode(const char *text, size_t *n)
{
	int32_t *ids = NULL;
	CHECK_EQ_INT(cc_tokenizer_encode_ex(tok, text, strlen(text), 0, &ids, NULL, n), CC_OK);
	return ids;
}


static cc_session *qroot_new(int method, int bits, int prefill_chunk)
{
	cc_session_opts so = {0};
	cc_session *s = NULL;
	so.max_tokens = 4096;
	so.pool_tokens = 3 * 4096;
	so.kv_quant = method;
	so.kv_bits = bits;
	so.prefill_chunk = prefill_chunk;
	CHECK_EQ_INT(cc_session_new(&s, model, &so), CC_OK);
	return s;
}

/* Assemble chunks ch[0..n) into a fork of r, prefill q on top: the last logits into out. */
static void assemble_query(float *out, cc_session *r, cc_repocache_chunk **ch, size_t n,
                           const int32_t *q, size_t nq)
{
	cc_session *s = NULL;
	CHECK_EQ_INT(cc_session_fork(&s, r), CC_OK);
	CHECK_EQ_INT(cc_repocache_assemble(s, model, ch, n, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(s, q, nq, out), CC_OK);
	cc_session_free(s);
}

/* Position 0, uncompressed: the same cache as a prefill of the chunk's tokens in one forward
 * pass, so the query's logits are identical; and not those of the f32 session. */
static void test_position0(int method, int bits, double bound)
{
	cc_session *q = qroot_new(method, bits, 4096), *d = NULL;
	char *text = synth_py("q", 8, bits + method);
	size_t n, nq;
	int32_t *ids = encode(text, &n), *qq = encode("def h(z):\n    return f1_2(z, 1)\n", &nq);
	int32_t *all = malloc((n + 1) * sizeof(int32_t));
	cc_repocache *c = NULL;
	cc_repocache_chunk *ch = NULL;
	cc_repocache_key k = {"pycode-16m|cpu|f32", "0000", "q.py", CC_REPOCACHE_FULL, 1, 1};
	float *la = malloc((size_t)mi.vocab * 4), *ld = malloc((size_t)mi.vocab * 4),
	      *lf = malloc((size_t)mi.vocab * 4);

	CHECK(n > 64);
	CHECK_EQ_INT(cc_repocache_new(&c, NULL), CC_OK);
	CHECK_EQ_INT(cc_repocache_compute(&ch, c, NULL, &k, q, mi.bos_id, ids, n, NULL, NULL, 0),
	             CC_OK);
	assemble_query(la, q, &ch, 1, qq, nq);
	all[0] = mi.bos_id;
	memcpy(all + 1, ids, n * sizeof(int32_t));
	CHECK_EQ_INT(cc_session_fork(&d, q), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(d, all, n + 1, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(d, qq, nq, ld), CC_OK);
	cc_session_free(d);
	assemble_query(lf, root, &ch, 1, qq, nq);
	{
		double dq = max_abs_diff(la, ld, (size_t)mi.vocab);
		double df = max_abs_diff(la, lf, (size_t)mi.vocab);
		fprintf(stderr, "%s INT%d, chunk at 0 (%zu tokens): |cached - prefill| %.3g, "
		                "|quantized - f32| %.3g\n",
		        cc_kv_quant_name(method), bits, n + 1, dq, df);
		CHECK(dq == 0);
		CHECK(df > 0 && df < bound);
	}
	cc_repocache_chunk_release(ch);
	cc_repocache_free(c);
	cc_session_free(q);
	free(la);
	free(ld);
	free(lf);
	free(all);
	free(ids);
	free(qq);
	free(text);
}

/* Two chunks (one compressed with codecomp at 20%, one longer than the pool's full-precision
 * area, moved by its position delta): from memory, from disk and computed again they give the
 * same logits; quantized and f32 logits differ within the bound. */
static void test_cached_equals_fresh(int method, int bits, double bound)
{
	char dir[] = "/tmp/cc-rcq-test.XXXXXX", cmd[128];
	cc_session *q = qroot_new(method, bits, 0);
	char *ta = synth_py("q", 10, 20 + bits), *tb = synth_py("q", 40, 30 + bits);
	size_t na, nb, nq;
	int32_t *a = encode(ta, &na), *b = encode(tb, &nb);
	int32_t *qq = encode("def h(z):\n    return f30_3(z, 1)\n", &nq);
	float *prior = malloc(na * sizeof(float)), *l[4];
	uint8_t *protect = calloc(na, 1);
	cc_repocache *c1 = NULL, *c2 = NULL, *c3 = NULL;
	cc_repocache_chunk *ch1[2], *ch2[2], *ch3[2];
	cc_repocache_key ka = {"pycode-16m|cpu|f32", "aaaa", "qa.py", CC_POLICY_CODECOMP, 0.2, 1};
	cc_repocache_key kb = {"pycode-16m|cpu|f32", "bbbb", "qb.py", CC_REPOCACHE_FULL, 1, 1};
	int disk = 0;

	CHECK(mkdtemp(dir) != NULL);
	/* the second chunk is longer than one forward chunk (256) plus the residual window */
	CHECK(nb > 600);
	for (size_t i = 0; i < na; i++)
		prior[i] = (float)((i * 7) % 10) / 10.0f;
	for (int i = 0; i < 4; i++)
		l[i] = malloc((size_t)mi.vocab * 4);
	CHECK_EQ_INT(cc_repocache_new(&c1, NULL), CC_OK);
	CHECK_EQ_INT(cc_repocache_new(&c2, NULL), CC_OK);
	CHECK_EQ_INT(cc_repocache_new(&c3, NULL), CC_OK);
	CHECK_EQ_INT(cc_repocache_compute(&ch1[0], c1, dir, &ka, q, mi.bos_id, a, na, prior,
	                                  protect, 0),
	             CC_OK);
	CHECK_EQ_INT(cc_repocache_compute(&ch1[1], c1, dir, &kb, q, mi.bos_id, b, nb, NULL, NULL,
	                                  0),
	             CC_OK);
	CHECK(cc_repocache_chunk_kept(ch1[0], 0) < (na + 1) / 2);
	assemble_query(l[0], q, ch1, 2, qq, nq);
	/* from memory: the same chunk objects */
	{
		cc_repocache_chunk *m[2];
		CHECK_EQ_INT(cc_repocache_get(&m[0], &disk, c1, dir, &ka), CC_OK);
		CHECK_EQ_INT(disk, 0);
		CHECK_EQ_INT(cc_repocache_get(&m[1], &disk, c1, dir, &kb), CC_OK);
		assemble_query(l[1], q, m, 2, qq, nq);
		CHECK(!memcmp(l[0], l[1], (size_t)mi.vocab * 4));
		cc_repocache_chunk_release(m[0]);
		cc_repocache_chunk_release(m[1]);
	}
	/* from disk, in a new cache */
	CHECK_EQ_INT(cc_repocache_get(&ch2[0], &disk, c2, dir, &ka), CC_OK);
	CHECK_EQ_INT(disk, 1);
	CHECK_EQ_INT(cc_repocache_get(&ch2[1], &disk, c2, dir, &kb), CC_OK);
	CHECK_EQ_INT(disk, 1);
	assemble_query(l[2], q, ch2, 2, qq, nq);
	CHECK(!memcmp(l[0], l[2], (size_t)mi.vocab * 4));
	/* computed again */
	CHECK_EQ_INT(cc_repocache_compute(&ch3[0], c3, NULL, &ka, q, mi.bos_id, a, na, prior,
	                                  protect, 0),
	             CC_OK);
	CHECK_EQ_INT(cc_repocache_compute(&ch3[1], c3, NULL, &kb, q, mi.bos_id, b, nb, NULL, NULL,
	                                  0),
	             CC_OK);
	assemble_query(l[3], q, ch3, 2, qq, nq);
	CHECK(!memcmp(l[0], l[3], (size_t)mi.vocab * 4));
	/* the f32 session over the same chunks: close, not equal */
	assemble_query(l[1], root, ch1, 2, qq, nq);
	{
		double df = max_abs_diff(l[0], l[1], (size_t)mi.vocab);
		fprintf(stderr, "%s INT%d, 2 chunks (%zu + %zu tokens, the first at 20%%): "
		                "cached == fresh, |quantized - f32| %.3g\n",
		        cc_kv_quant_name(method), bits,
		        na + 1, nb + 1, df);
		CHECK(df > 0 && df < bound);
	}
	/* export from a quantized session is refused, naming why */
	{
		cc_session *s = NULL;
		size_t r = (size_t)mi.n_kv_heads * 4096 * (size_t)mi.head_dim;
		float *kb2 = malloc(r * 4), *vb2 = malloc(r * 4);
		CHECK_EQ_INT(cc_session_fork(&s, q), CC_OK);
		CHECK_EQ_INT(cc_repocache_assemble(s, model, ch1, 2, NULL), CC_OK);
		CHECK_EQ_INT(cc_session_kv_export(s, 0, NULL, kb2, vb2), CC_EUNSUPPORTED);
		CHECK(strstr(cc_error_last(), "quantized") != NULL);
		cc_session_free(s);
		free(kb2);
		free(vb2);
	}
	for (int i = 0; i < 2; i++) {
		cc_repocache_chunk_release(ch1[i]);
		cc_repocache_chunk_release(ch2[i]);
		cc_repocache_chunk_release(ch3[i]);
	}
	cc_repocache_free(c1);
	cc_repocache_free(c2);
	cc_repocache_free(c3);
	cc_session_free(q);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ_INT(system(cmd), 0);
	for (int i = 0; i < 4; i++)
		free(l[i]);
	free(prior);
	free(protect);
	free(a);
	free(b);
	free(qq);
	free(ta);
	free(tb);
}

int main(void)
{
	cc_session_opts so = {0};
	rc_load_model(&model, &tok, &mi);
	so.max_tokens = 4096;
	so.pool_tokens = 16384;
	CHECK_EQ_INT(cc_session_new(&root, model, &so), CC_OK);
	test_position0(CC_KV_QUANT_KIVI, 8, 0.1);
	test_position0(CC_KV_QUANT_KIVI, 4, 1.0);
	test_position0(CC_KV_QUANT_ROTATED, 2, 10.0);
	test_cached_equals_fresh(CC_KV_QUANT_KIVI, 4, 1.0);
	test_cached_equals_fresh(CC_KV_QUANT_ROTATED, 8, 0.1);
	cc_session_free(root);
	cc_tokenizer_free(tok);
	cc_model_free(model);
	return test_result();
}
