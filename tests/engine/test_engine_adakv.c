/*
 * test_engine_adakv.c - the CPU engine over ragged layers (a different number of kept tokens
 * per KV head, cc_session_compact_heads, what the adakv policy does): after a prefill of the
 * context and a per-head compaction, a chunked prefill continuation and token-by-token decode
 * give the logits of a brute-force reference that runs the whole sequence with the dropped
 * (layer, KV head, token) keys masked for the later queries (tiny_reference_masked, double
 * precision, independent of the engine); two forks decoding together in a cc_batch (sharing
 * blocks copy-on-write) give the same; the session's blocks after the compaction are exactly
 * the lane-packed count.
 */
#include "cc_common.h"
#include "cc_engine.h"
#include "cc_kv.h"
#include "test.h"
#include "tiny_ckpt.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

enum { N_CTX = 70,
       N_CONT = 7,
       N_DEC = 9,
       N_TOK = N_CTX + N_CONT + N_DEC };

static double rel_diff(const float *a, const double *b, size_t n)
{
	double num = 0, den = 0;
	for (size_t i = 0; i < n; i++) {
		num += (a[i] - b[i]) * (a[i] - b[i]);
		den += b[i] * b[i];
	}
	return sqrt(num / (den > 0 ? den : 1));
}

int main(void)
{
	/* qwen2.5-coder-7b's heads: 28 query heads over 4 KV heads */
	const tiny_shape *sh = &tiny_shapes[1];
	tiny_model tm;
	char root[] = "/tmp/cc_adakv_XXXXXX";
	char dir[600];
	int32_t ids[N_TOK];
	cc_model *m = NULL;
	cc_session *s = NULL, *f = NULL;
	cc_session_opts so = {0};
	int V = sh->vocab, L = sh->n_layers, NKV = sh->n_kv_heads;
	double *ref = malloc((size_t)N_TOK * V * sizeof(double));
	float *lg = malloc((size_t)V * sizeof(float));
	unsigned char *keepm = calloc((size_t)L * NKV * N_CTX, 1);
	int32_t *keep = malloc((size_t)NKV * N_CTX * sizeof(int32_t));
	size_t cnt[16];
	double worst = 0, worst_fork = 0;

	CHECK(mkdtemp(root) != NULL);
	snprintf(dir, sizeof(dir), "%s/m", root);
	tiny_model_make(&tm, sh, 4242);
	CHECK_EQ_INT(tiny_model_write(&tm, dir), 0);
	for (int i = 0; i < N_TOK; i++)
		ids[i] = (int32_t)((i * 53 + 7) % V);
	CHECK_EQ_INT(cc_model_load(&m, dir, NULL), CC_OK);
	if (!m) {
		fprintf(stderr, "load: %s\n", cc_error_last());
		return 1;
	}
	so.prefill_chunk = 32;
	CHECK_EQ_INT(cc_session_new(&s, m, &so), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(s, ids, N_CTX, lg), CC_OK);

	/* per layer and KV head a different count: head h keeps every (h + 2)-th token of the
	 * middle plus the 4 first and 8 last (layer 1 shifts the pattern), so heads keep from
	 * 4 + 8 + 29 down to 4 + 8 + 12 tokens */
	cc_cache_stats before, after;
	cc_session_cache_stats(&before, s);
	size_t bt = (size_t)cc_kv_pool_config(cc_session_pool(s))->block_tokens, packed = 0;
	for (int l = 0; l < L; l++) {
		size_t o = 0, lanes = 0;
		for (int h = 0; h < NKV; h++) {
			int step = (h + l) % NKV + 2;
			cnt[h] = 0;
			for (int j = 0; j < N_CTX; j++)
				if (j < 4 || j >= N_CTX - 8 || j % step == 0) {
					keep[o + cnt[h]++] = j;
					keepm[((size_t)l * NKV + h) * N_CTX + j] = 1;
				}
			o += cnt[h];
			lanes += (cnt[h] + bt - 1) / bt;
		}
		CHECK(cnt[0] != cnt[1]);
		CHECK_EQ_INT(cc_session_compact_heads(s, l, keep, cnt), CC_OK);
		CHECK_EQ_INT(cc_kv_seq_ragged(cc_session_kv(s), l), 1);
		packed += (lanes + (size_t)NKV - 1) / (size_t)NKV;
	}
	cc_session_cache_stats(&after, s);
	CHECK_EQ_INT(after.seq_blocks, packed);
	CHECK(after.seq_bytes < before.seq_bytes);
	CHECK_EQ_INT(after.seq_bytes, packed * after.block_bytes);
	fprintf(stderr, "blocks %zu -> %zu (lane-packed)\n", before.seq_blocks, after.seq_blocks);

	tiny_reference_masked(&tm, ids, N_TOK, keepm, N_CTX, ref);
	/* prefill continuation over the ragged layers, then a fork, then decode both */
	CHECK_EQ_INT(cc_session_prefill(s, ids + N_CTX, N_CONT, lg), CC_OK);
	worst = rel_diff(lg, ref + (size_t)(N_CTX + N_CONT - 1) * V, (size_t)V);
	/* two forks advance together through a batched decode (sharing their blocks
	 * copy-on-write), the session alone through cc_session_decode */
	cc_session *f2 = NULL;
	cc_batch *bat = NULL;
	float *lb = malloc(2 * (size_t)V * sizeof(float));
	CHECK_EQ_INT(cc_session_fork(&f, s), CC_OK);
	CHECK_EQ_INT(cc_session_fork(&f2, s), CC_OK);
	CHECK_EQ_INT(cc_batch_new(&bat, m), CC_OK);
	for (int i = N_CTX + N_CONT; i < N_TOK; i++) {
		cc_session *const both[2] = {f, f2};
		int32_t two[2] = {ids[i], ids[i]};
		CHECK_EQ_INT(cc_session_decode(s, ids[i], lg), CC_OK);
		CHECK_EQ_INT(cc_batch_decode(bat, both, two, 2, lb), CC_OK);
		double e = rel_diff(lg, ref + (size_t)i * V, (size_t)V);
		double ef = fmax(rel_diff(lb, ref + (size_t)i * V, (size_t)V),
		                 rel_diff(lb + V, ref + (size_t)i * V, (size_t)V));
		if (e > worst)
			worst = e;
		if (ef > worst_fork)
			worst_fork = ef;
	}
	cc_batch_free(bat);
	cc_session_free(f2);
	free(lb);
	/* the unmasked reference is far: the mask matters */
	double *full = malloc((size_t)N_TOK * V * sizeof(double));
	tiny_reference(&tm, ids, N_TOK, full);
	double far = rel_diff(lg, full + (size_t)(N_TOK - 1) * V, (size_t)V);
	fprintf(stderr, "rel err vs masked reference %.2g (batched forks %.2g), vs unmasked %.2g\n", worst,
	        worst_fork, far);
	CHECK(worst < 1e-4);
	CHECK(worst_fork < 1e-4);
	CHECK(far > 1e-3);
	free(full);

	cc_session_free(f);
	cc_session_free(s);
	cc_model_free(m);
	tiny_model_free(&tm);
	free(ref);
	free(lg);
	free(keepm);
	free(keep);
	{
		char cmd[700];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		CHECK_EQ_INT(system(cmd), 0);
	}
	return test_result();
}
