/*
 * batch_check.h - the batched-decode checks shared by the CPU test (tests/engine/
 * test_engine_batch.c) and the CUDA test (tests/gpu/test_gpu_engine.c), run on a loaded model:
 *   - sessions of one shared pool, with different prompt lengths, one compacted to different
 *     kept lengths per layer, joining and leaving between steps (continuous batching), decode
 *     greedily in batches and give the same tokens (and logits within tol) as twins of the
 *     same sessions decoded one at a time, also when the batch itself chooses the tokens
 *     (cc_batch_decode_greedy, among all logits or only the first few);
 *   - memory accounting: the pool's blocks in use are the sum of the sessions' blocks, a
 *     batch the pool cannot hold is refused whole ("kv cache full", nothing appended), and
 *     blocks freed by compacting one session let the same batch run;
 *   - bad batches (sessions of different pools, a session twice, a bad id) are refused.
 * Header-only, for tests; needs test.h and cc_engine.h first.
 */
#ifndef CC_BATCH_CHECK_H
#define CC_BATCH_CHECK_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BC_SESS 5
#define BC_STEPS 8

static inline int bc_argmax(const float *x, int n)
{
	int b = 0;
	for (int i = 1; i < n; i++)
		if (x[i] > x[b])
			b = i;
	return b;
}

/* Keep every other slot of `layer` (per KV head the same pattern shifted by the head, so
 * heads keep different tokens), n_keep of them. */
static inline int bc_compact_layer(cc_session *s, int layer, int kvh, size_t len, size_t n_keep)
{
	int32_t *keep = malloc((size_t)kvh * n_keep * sizeof(int32_t));
	int rc;
	if (!keep)
		return -1;
	for (int h = 0; h < kvh; h++) {
		/* the last slot always stays; the others by a stride that depends on the head */
		size_t k = 0;
		for (size_t j = (size_t)h % 2; j + 1 < len && k + 1 < n_keep; j += 2)
			keep[(size_t)h * n_keep + k++] = (int32_t)j;
		for (size_t j = 0; k + 1 < n_keep; j++) { /* top up with unused leading slots */
			int used = 0;
			for (size_t t = 0; t < k; t++)
				used |= keep[(size_t)h * n_keep + t] == (int32_t)j;
			if (!used)
				keep[(size_t)h * n_keep + k++] = (int32_t)j;
		}
		keep[(size_t)h * n_keep + k] = (int32_t)(len - 1);
		/* sort (the top-up may be out of order) */
		int32_t *r = keep + (size_t)h * n_keep;
		for (size_t a = 1; a < n_keep; a++)
			for (size_t b = a; b > 0 && r[b - 1] > r[b]; b--) {
				int32_t t = r[b];
				r[b] = r[b - 1];
				r[b - 1] = t;
			}
	}
	rc = cc_session_compact(s, layer, keep, n_keep);
	free(keep);
	return rc;
}

/* Prefill the BC_SESS sessions of *set with their prompts (lengths differ), compact session 2
 * in every layer to a different length per layer. Returns 0 or a cc_status. */
static inline int bc_prepare(cc_session **set, const cc_model_info *info)
{
	static const size_t plen[BC_SESS] = {5, 23, 40, 1, 17};
	int rc;
	for (int i = 0; i < BC_SESS; i++) {
		int32_t ids[64];
		for (size_t j = 0; j < plen[i]; j++)
			ids[j] = (int32_t)((j * 31 + (size_t)i * 7 + 3) % (size_t)info->vocab);
		if ((rc = cc_session_prefill(set[i], ids, plen[i], NULL)))
			return rc;
	}
	for (int l = 0; l < info->n_layers; l++)
		if ((rc = bc_compact_layer(set[2], l, info->n_kv_heads, plen[2], 12 + (size_t)(l % 4) * 5)))
			return rc;
	return CC_OK;
}

/* The checks above on model m (any backend). tol: max |logit difference| allowed between a
 * batched row and the same session decoded alone, relative to the row's max |logit|;
 * min_agree: the fraction of rows whose greedy token must agree (1 on the CPU, where rows are
 * computed identically; bf16 matrix products of different batch sizes may round apart and
 * flip a near tie on CUDA). */
static inline void batch_check(cc_model *m, double tol, double min_agree, const char *what)
{
	cc_model_info info;
	cc_engine_pool *pool = NULL, *other = NULL;
	cc_session *A[BC_SESS] = {0}, *B[BC_SESS] = {0}, *lone = NULL;
	cc_batch *bt = NULL;
	cc_engine_pool_opts po = {0};
	cc_session_opts so = {0};
	float *la = NULL, *lb = NULL;
	int32_t tok[BC_SESS];
	double worst = 0;
	int agree = 0, total = 0, gagree = 0, gtotal = 0;

	cc_model_info_get(&info, m);
	size_t V = (size_t)info.vocab;
	la = malloc(V * sizeof(float));
	lb = malloc(BC_SESS * V * sizeof(float));
	CHECK(la && lb);
	po.tokens = 1024;
	po.block_tokens = 8;
	CHECK_EQ_INT(cc_engine_pool_new(&pool, m, &po), CC_OK);
	if (!pool) {
		fprintf(stderr, "%s: %s\n", what, cc_error_last());
		goto out;
	}
	so.pool = pool;
	for (int i = 0; i < BC_SESS; i++) {
		CHECK_EQ_INT(cc_session_new(&A[i], m, &so), CC_OK);
		CHECK_EQ_INT(cc_session_new(&B[i], m, &so), CC_OK);
	}
	CHECK_EQ_INT(cc_batch_new(&bt, m), CC_OK);
	if (!A[BC_SESS - 1] || !B[BC_SESS - 1] || !bt)
		goto out;
	CHECK_EQ_INT(bc_prepare(A, &info), CC_OK);
	CHECK_EQ_INT(bc_prepare(B, &info), CC_OK);
	/* the batched twins give their own scratch back (they run through the batch's; the
	 * alignment below decodes them alone again, which reallocates it) */
	for (int i = 0; i < BC_SESS; i++)
		cc_session_trim(B[i]);
	/* the compacted session keeps a different number of tokens per layer */
	CHECK(cc_kv_seq_len(cc_session_kv(B[2]), 0) != cc_kv_seq_len(cc_session_kv(B[2]), 1));

	/* accounting: the pool's blocks are exactly the sessions' blocks */
	{
		cc_kv_pool_stats ps;
		cc_cache_stats cs;
		size_t sum = 0;
		cc_engine_pool_stats(&ps, pool);
		for (int i = 0; i < BC_SESS; i++) {
			cc_session_cache_stats(&cs, A[i]);
			sum += cs.seq_blocks;
			cc_session_cache_stats(&cs, B[i]);
			sum += cs.seq_blocks;
		}
		CHECK_EQ_INT(ps.blocks_used, sum);
		CHECK_EQ_INT(ps.bytes_used, sum * ps.block_bytes);
	}

	/* first tokens: each session's argmax after its prompt */
	for (int i = 0; i < BC_SESS; i++) {
		CHECK_EQ_INT(cc_session_decode(A[i], 0, NULL), CC_OK); /* same extra token for both */
		CHECK_EQ_INT(cc_session_decode(B[i], 0, NULL), CC_OK);
	}
	memset(tok, 0, sizeof(tok));
	for (int step = 0; step < BC_STEPS; step++) {
		/* continuous batching: session 4 joins at step 2, session 1 leaves after step 5 */
		cc_session *rows[BC_SESS];
		int32_t ids[BC_SESS];
		int map[BC_SESS], nr = 0;
		for (int i = 0; i < BC_SESS; i++) {
			if ((i == 4 && step < 2) || (i == 1 && step > 5))
				continue;
			map[nr] = i;
			rows[nr] = B[i];
			ids[nr] = tok[i];
			nr++;
		}
		/* steps 2 and 5 choose greedily in the batch (on CUDA, on the device): among all
		 * logits, then among the first nch only, nch = the lowest of the rows' alone-decoded
		 * choices (so at least one row's best token is out of reach; the alone twins step
		 * first here) */
		int greedy = step == 2 || step == 5;
		int nch = 0;
		int32_t nx[BC_SESS];
		if (greedy)
			for (int r = 0; r < nr; r++) {
				int i = map[r];
				CHECK_EQ_INT(cc_session_decode(A[i], tok[i], lb + (size_t)r * V), CC_OK);
				int t = bc_argmax(lb + (size_t)r * V, (int)V);
				if (step == 5 && t > 0 && (!nch || t < nch))
					nch = t;
			}
		int rc = greedy ? cc_batch_decode_greedy(bt, rows, ids, (size_t)nr, nch, nx)
		                : cc_batch_decode(bt, rows, ids, (size_t)nr, lb);
		CHECK_EQ_INT(rc, CC_OK);
		if (rc) {
			fprintf(stderr, "%s: batch step %d: %s\n", what, step, cc_error_last());
			break;
		}
		for (int r = 0; r < nr; r++) {
			int i = map[r];
			if (greedy) {
				int ta = bc_argmax(lb + (size_t)r * V, nch ? nch : (int)V);
				CHECK(nx[r] >= 0 && (!nch || nx[r] < nch));
				gagree += nx[r] == ta;
				gtotal++;
				tok[i] = ta;
				continue;
			}
			CHECK_EQ_INT(cc_session_decode(A[i], tok[i], la), CC_OK);
			const float *row = lb + (size_t)r * V;
			double md = 0, mx = 1e-9;
			for (size_t v = 0; v < V; v++) {
				double d = fabs((double)row[v] - la[v]);
				if (d > md)
					md = d;
				if (fabs(la[v]) > mx)
					mx = fabs(la[v]);
			}
			if (md / mx > worst)
				worst = md / mx;
			int ta = bc_argmax(la, (int)V), tb = bc_argmax(row, (int)V);
			agree += ta == tb;
			total++;
			tok[i] = ta; /* both continue with the alone-decoded token */
		}
	}
	fprintf(stderr,
	        "%s: batched vs alone: %d/%d greedy tokens agree, max rel logit diff %.3g; chosen "
	        "in the batch (cc_batch_decode_greedy): %d/%d agree\n",
	        what, agree, total, worst, gagree, gtotal);
	CHECK(total > 0 && agree >= min_agree * total);
	CHECK(gtotal > 0 && gagree >= min_agree * gtotal);
	CHECK(worst <= tol);
	/* the compacted session's per-layer lengths moved together with its tokens */
	CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(A[2]), 1), cc_kv_seq_len(cc_session_kv(B[2]), 1));

	/* a session of another pool, a session twice, a bad id */
	{
		cc_engine_pool_opts o2 = {64, 8, 0, 0};
		cc_session_opts s2 = {0};
		CHECK_EQ_INT(cc_engine_pool_new(&other, m, &o2), CC_OK);
		s2.pool = other;
		if (other && cc_session_new(&lone, m, &s2) == CC_OK) {
			int32_t one = 1;
			CHECK_EQ_INT(cc_session_prefill(lone, &one, 1, NULL), CC_OK);
			cc_session *mix[2] = {B[0], lone};
			int32_t ids2[2] = {1, 1};
			CHECK_EQ_INT(cc_batch_decode(bt, mix, ids2, 2, NULL), CC_EINVAL);
			CHECK(strstr(cc_error_last(), "pools") != NULL);
		}
		cc_session *twice[2] = {B[0], B[0]};
		int32_t ids2[2] = {1, 1};
		CHECK_EQ_INT(cc_batch_decode(bt, twice, ids2, 2, NULL), CC_EINVAL);
		int32_t badid[2] = {1, (int32_t)V};
		cc_session *two[2] = {B[0], B[1]};
		int32_t p0 = cc_kv_seq_next_pos(cc_session_kv(B[0]));
		CHECK_EQ_INT(cc_batch_decode(bt, two, badid, 2, NULL), CC_EINVAL);
		CHECK(strstr(cc_error_last(), "row 1") != NULL);
		CHECK_EQ_INT(cc_kv_seq_next_pos(cc_session_kv(B[0])), p0); /* nothing appended */
	}

	/* a full pool: free the A twins, then fill the pool with a filler session until fewer
	 * free blocks remain than one batch step needs (each layer of a session whose length is
	 * a multiple of the block size takes a new block) */
	for (int i = 0; i < BC_SESS; i++) {
		cc_session_free(A[i]);
		A[i] = NULL;
	}
	{
		cc_session *filler = NULL;
		CHECK_EQ_INT(cc_session_new(&filler, m, &so), CC_OK);
		/* align every B session to a block boundary in every layer by decoding */
		int aligned = 0;
		for (int t = 0; t < 64 && !aligned; t++) {
			aligned = 1;
			for (int i = 0; i < BC_SESS; i++)
				for (int l = 0; l < info.n_layers; l++)
					if (cc_kv_seq_len(cc_session_kv(B[i]), l) % 8)
						aligned = 0;
			if (aligned)
				break;
			/* decode only the sessions whose layer 0 is not aligned (layers of the
			 * compacted session may differ: then give up alignment on it) */
			for (int i = 0; i < BC_SESS; i++)
				if (cc_kv_seq_len(cc_session_kv(B[i]), 0) % 8)
					CHECK_EQ_INT(cc_session_decode(B[i], 1, NULL), CC_OK);
			if (t > 20)
				break;
		}
		cc_kv_pool_stats ps;
		cc_engine_pool_stats(&ps, pool);
		size_t free_b = ps.n_blocks - ps.blocks_used;
		size_t fill_tokens = (free_b / (size_t)info.n_layers - 1) * 8;
		if (filler && fill_tokens > 0) {
			int32_t *fids = calloc(fill_tokens, sizeof(int32_t));
			CHECK_EQ_INT(cc_session_prefill(filler, fids, fill_tokens, NULL), CC_OK);
			free(fids);
		}
		cc_engine_pool_stats(&ps, pool);
		free_b = ps.n_blocks - ps.blocks_used;
		size_t need = 0;
		for (int i = 0; i < BC_SESS; i++)
			for (int l = 0; l < info.n_layers; l++)
				need += cc_kv_seq_len(cc_session_kv(B[i]), l) % 8 == 0;
		int32_t ids5[BC_SESS] = {1, 2, 3, 4, 5};
		int32_t before[BC_SESS];
		for (int i = 0; i < BC_SESS; i++)
			before[i] = cc_kv_seq_next_pos(cc_session_kv(B[i]));
		if (need > free_b) {
			CHECK_EQ_INT(cc_batch_decode(bt, B, ids5, BC_SESS, NULL), CC_ENOMEM);
			CHECK(strstr(cc_error_last(), "kv cache full") != NULL);
			for (int i = 0; i < BC_SESS; i++) /* all or nothing */
				CHECK_EQ_INT(cc_kv_seq_next_pos(cc_session_kv(B[i])), before[i]);
			cc_kv_pool_stats ps2;
			cc_engine_pool_stats(&ps2, pool);
			CHECK_EQ_INT(ps2.blocks_used, ps.blocks_used);
			/* compaction of the filler frees blocks: now the step fits */
			size_t flen = cc_kv_seq_len(cc_session_kv(filler), 0);
			for (int l = 0; l < info.n_layers; l++)
				CHECK_EQ_INT(bc_compact_layer(filler, l, info.n_kv_heads, flen, flen / 4),
				             CC_OK);
			CHECK_EQ_INT(cc_batch_decode(bt, B, ids5, BC_SESS, NULL), CC_OK);
			for (int i = 0; i < BC_SESS; i++)
				CHECK_EQ_INT(cc_kv_seq_next_pos(cc_session_kv(B[i])), before[i] + 1);
		} else {
			fprintf(stderr, "%s: could not set up a full pool (need %zu, free %zu)\n", what,
			        need, free_b);
			CHECK(need > free_b);
		}
		cc_session_free(filler);
	}
out:
	for (int i = 0; i < BC_SESS; i++) {
		cc_session_free(A[i]);
		cc_session_free(B[i]);
	}
	cc_session_free(lone);
	cc_batch_free(bt);
	cc_engine_pool_free(pool);
	cc_engine_pool_free(other);
	free(la);
	free(lb);
}

#endif
