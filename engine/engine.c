/*
 * engine.c - the engine core, independent of the backend: sessions and their KV pools,
 * chunked prefill with observation-window statistics, decode, teacher-forced log-
 * probabilities, sampling and generation, compaction and cache statistics. The backend
 * (CPU or CUDA) only runs forward passes over slots this file appended.
 */
#include "cc_common.h"
#include "engine_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void obs_free(cc_session *s)
{
	if (!s->obs)
		return;
	for (int i = 0; i < s->model->cfg.n_layers * s->model->cfg.n_kv_heads; i++)
		free(s->obs[i]);
	free(s->obs);
	s->obs = NULL;
	s->obs_len_cap = 0;
	s->obs_valid = 0;
	if (s->qstat) {
		int nq = s->model->cfg.n_layers * s->model->cfg.n_heads;
		for (int i = 0; i < nq; i++)
			free(s->qstat[i]);
		free(s->qstat);
		s->qstat = NULL;
	}
}

static void pref_unref(cc_pool_ref *pr)
{
	if (!pr || --pr->refs > 0)
		return;
	cc_kv_pool_free(pr->pool);
	free(pr);
}

static void pool_unref(cc_session *s)
{
	pref_unref(s->pref);
}

/* A pool of `tokens` slots per layer (rounded up to blocks) for model m. */
static int pref_create(cc_pool_ref **out, cc_model *m, size_t tokens, int block_tokens,
                       int dtype_set, int dtype, const cc_kv_qconfig *q)
{
	const cc_model_config *c = &m->cfg;
	const cc_kv_storage *st;
	void *st_ctx;
	cc_kv_config kc;
	int rc, def;
	memset(&kc, 0, sizeof(kc));
	cc_pool_ref *pr = calloc(1, sizeof(*pr));
	*out = NULL;
	if (!pr)
		return cc_error_set(CC_ENOMEM, "out of memory");
	pr->refs = 1;
	pr->model = m;
	if ((rc = m->backend->kv_storage(m, &st, &st_ctx, &def)))
		goto fail;
	kc.n_layers = c->n_layers;
	kc.n_kv_heads = c->n_kv_heads;
	kc.head_dim = c->head_dim;
	kc.block_tokens = block_tokens;
	kc.dtype = dtype_set ? dtype : def;
	kc.n_blocks = (size_t)c->n_layers * ((tokens + (size_t)block_tokens - 1) /
	                                     (size_t)block_tokens);
	pr->tokens = (tokens + (size_t)block_tokens - 1) / (size_t)block_tokens *
	             (size_t)block_tokens;
	if (q) {
		/* full-precision blocks: per layer, a residual window plus the rows of a forward
		 * chunk not yet sealed, for every sequence that may live in the pool at once
		 * (q->n_qblocks carries that count in here) */
		size_t fp_blocks = (size_t)c->n_layers * q->n_qblocks;
		cc_kv_qconfig qc = *q;
		qc.n_qblocks = kc.n_blocks;
		kc.n_blocks = fp_blocks;
		rc = cc_kv_pool_new_quant(&pr->pool, &kc, &qc, st, st_ctx);
		if (rc == CC_EUNSUPPORTED)
			cc_error_set(rc,
			             "quantized KV cache: the %s engine does not read quantized "
			             "blocks yet (CPU only)",
			             m->backend->name);
		if (rc)
			goto fail;
	} else if ((rc = cc_kv_pool_new(&pr->pool, &kc, st, st_ctx)))
		goto fail;
	*out = pr;
	return CC_OK;
fail:
	free(pr);
	return rc;
}

int cc_engine_pool_new(cc_engine_pool **out, cc_model *m, const cc_engine_pool_opts *opts)
{
	cc_engine_pool_opts o = {0};
	*out = NULL;
	if (opts)
		o = *opts;
	if (!o.block_tokens)
		o.block_tokens = 16;
	if (o.tokens == 0 || o.tokens > ((size_t)1 << 34) || o.block_tokens < 0 ||
	    o.block_tokens > 4096)
		return cc_error_set(CC_EINVAL, "engine pool: bad options (tokens %zu, block %d)",
		                    o.tokens, o.block_tokens);
	return pref_create(out, m, o.tokens, o.block_tokens, o.kv_dtype_set, o.kv_dtype, NULL);
}

void cc_engine_pool_free(cc_engine_pool *p)
{
	pref_unref(p);
}

void cc_engine_pool_stats(cc_kv_pool_stats *out, const cc_engine_pool *p)
{
	cc_kv_pool_stats_get(out, p->pool);
}

void cc_session_free(cc_session *s)
{
	if (!s)
		return;
	if (s->backend_state && s->model->backend->session_free)
		s->model->backend->session_free(s);
	cc_kv_seq_free(s->seq);
	pool_unref(s);
	obs_free(s);
	free(s->last);
	free(s);
}

int cc_session_new(cc_session **out, cc_model *m, const cc_session_opts *opts)
{
	const cc_model_config *c = &m->cfg;
	cc_session *s = NULL;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return cc_error_set(CC_ENOMEM, "out of memory");
	s->model = m;
	if (opts)
		s->opts = *opts;
	if (s->opts.pool) {
		const cc_kv_config *kc = cc_kv_pool_config(s->opts.pool->pool);
		if (s->opts.pool->model != m) {
			rc = cc_error_set(CC_EINVAL, "session: the shared pool belongs to another model");
			goto fail;
		}
		s->opts.block_tokens = kc->block_tokens;
		s->opts.pool_tokens = s->opts.pool->tokens;
		if (!s->opts.max_tokens || s->opts.max_tokens > s->opts.pool->tokens)
			s->opts.max_tokens = s->opts.pool->tokens;
	}
	if (!s->opts.max_tokens)
		s->opts.max_tokens = (size_t)c->max_pos;
	if (s->opts.kv_bits == 16)
		s->opts.kv_bits = 0;
	if ((s->opts.kv_quant || s->opts.kv_bits) &&
	    (s->opts.kv_quant != CC_KV_QUANT_KIVI && s->opts.kv_quant != CC_KV_QUANT_ROTATED)) {
		rc = cc_error_set(CC_EINVAL, "session: kv_quant %d (kivi or rotated) with kv_bits %d",
		                  s->opts.kv_quant, s->opts.kv_bits);
		goto fail;
	}
	if (s->opts.kv_quant && s->opts.kv_bits != 8 && s->opts.kv_bits != 4 &&
	    s->opts.kv_bits != 2) {
		rc = cc_error_set(CC_EINVAL, "session: kv_bits %d (8, 4, 2 or 16)", s->opts.kv_bits);
		goto fail;
	}
	if (s->opts.kv_quant && s->opts.pool) {
		rc = cc_error_set(CC_EUNSUPPORTED,
		                  "session: a quantized KV cache needs its own pool "
		                  "(not a shared cc_engine_pool)");
		goto fail;
	}
	if (!s->opts.block_tokens)
		s->opts.block_tokens = s->opts.kv_quant ? 32 : 16;
	/* The GPU is 4-7x faster on one 2K-4K chunk than on 256-token chunks (bench/results/
	 * gpu.md); the CPU reference keeps activations small instead. */
	if (!s->opts.prefill_chunk)
		s->opts.prefill_chunk = m->device == CC_DEVICE_CUDA ? 2048 : 256;
	if (!s->opts.obs_window)
		s->opts.obs_window = 64;
	if (s->opts.block_tokens < 0 || s->opts.prefill_chunk < 0 || s->opts.max_tokens > (1u << 30) ||
	    s->opts.pool_tokens > (1u << 30)) {
		rc = cc_error_set(CC_EINVAL, "session: bad options (block %d, chunk %d, max %zu)",
		                  s->opts.block_tokens, s->opts.prefill_chunk, s->opts.max_tokens);
		goto fail;
	}
	s->last = malloc((size_t)c->vocab * sizeof(float));
	if (!s->last) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail;
	}
	if (s->opts.pool) {
		s->pref = s->opts.pool;
		s->pref->refs++;
	} else {
		size_t pt = s->opts.pool_tokens > s->opts.max_tokens ? s->opts.pool_tokens
		                                                     : s->opts.max_tokens;
		cc_kv_qconfig q = {0}, *qp = NULL;
		if (s->opts.kv_quant) {
			size_t bt = (size_t)s->opts.block_tokens;
			size_t seqs = (pt + s->opts.max_tokens - 1) / s->opts.max_tokens;
			q.method = s->opts.kv_quant;
			q.bits = s->opts.kv_bits;
			q.residual_tokens = s->opts.block_tokens;
			/* per layer and sequence (pref_create reads it so) */
			q.n_qblocks = seqs * (((size_t)s->opts.prefill_chunk + bt - 1) / bt + 3);
			qp = &q;
		}
		if ((rc = pref_create(&s->pref, m, pt, s->opts.block_tokens, s->opts.kv_dtype_set,
		                      s->opts.kv_dtype, qp)))
			goto fail;
	}
	if ((rc = cc_kv_seq_new(&s->seq, s->pref->pool)))
		goto fail;
	if ((rc = m->backend->session_init(s)))
		goto fail;
	*out = s;
	return CC_OK;
fail:
	cc_session_free(s);
	return rc;
}

/* The logits after the last token in s->last when the backend kept them
 * (cc_session_decode_greedy): copied on first use. */
static int last_on_host(cc_session *s)
{
	int rc = CC_OK;
	if (s->have_last == 2) {
		rc = s->model->backend->last_logits(s, s->last);
		s->have_last = rc ? 0 : 1;
	}
	return rc;
}

int cc_session_fork(cc_session **out, cc_session *src)
{
	cc_session *s = calloc(1, sizeof(*s));
	int rc;
	*out = NULL;
	if (!s)
		return cc_error_set(CC_ENOMEM, "out of memory");
	s->model = src->model;
	s->opts = src->opts;
	s->last = malloc((size_t)src->model->cfg.vocab * sizeof(float));
	if (!s->last) {
		free(s);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	if ((rc = last_on_host(src))) {
		free(s->last);
		free(s);
		return rc;
	}
	memcpy(s->last, src->last, (size_t)src->model->cfg.vocab * sizeof(float));
	s->have_last = src->have_last;
	s->pref = src->pref;
	s->pref->refs++;
	if ((rc = cc_kv_seq_fork(&s->seq, src->seq)) || (rc = s->model->backend->session_init(s))) {
		cc_session_free(s);
		return rc;
	}
	*out = s;
	return CC_OK;
}

void cc_session_reset(cc_session *s)
{
	cc_kv_seq_clear(s->seq);
	s->obs_valid = 0;
	s->have_last = 0;
}

static int check_ids(const cc_session *s, const int32_t *ids, size_t n)
{
	if (n == 0 || !ids)
		return cc_error_set(CC_EINVAL, "no tokens");
	for (size_t i = 0; i < n; i++)
		if (ids[i] < 0 || ids[i] >= s->model->cfg.vocab)
			return cc_error_set(CC_EINVAL, "token %zu: id %d outside the vocabulary (%d)", i,
			                    (int)ids[i], s->model->cfg.vocab);
	return CC_OK;
}

/* Check the tokens fit the session's capacity (so a long input fails up front). */
static int check_room(const cc_session *s, size_t n)
{
	size_t have = cc_kv_seq_len(s->seq, 0);
	if (have + n > s->opts.max_tokens)
		return cc_error_set(CC_ENOMEM,
		                    "kv cache full: %zu tokens + %zu new exceed the session's %zu",
		                    have, n, s->opts.max_tokens);
	return CC_OK;
}

/* Append one chunk and run it. */
static int run_chunk(cc_session *s, const int32_t *ids, size_t n, int mode, float *logits,
                     const cc_obs_req *obs)
{
	int32_t *pos = NULL, *first = NULL;
	int32_t p0 = cc_kv_seq_next_pos(s->seq);
	int rc;

	pos = malloc(n * sizeof(int32_t));
	first = malloc((size_t)s->model->cfg.n_layers * sizeof(int32_t));
	if (!pos || !first) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		pos[i] = p0 + (int32_t)i;
	if ((rc = cc_kv_seq_append(s->seq, n, pos, first)))
		goto out;
	rc = s->model->backend->forward(s, ids, n, pos, first, mode, logits, obs);
	if (!rc)
		rc = cc_kv_seq_seal(s->seq);
out:
	free(pos);
	free(first);
	return rc;
}

/* Prepare the observation accumulators for a prefill of n tokens. */
static int obs_prepare(cc_session *s, size_t n)
{
	const cc_model_config *c = &s->model->cfg;
	size_t need = 0;
	int na = c->n_layers * c->n_kv_heads;
	for (int l = 0; l < c->n_layers; l++)
		if (cc_kv_seq_len(s->seq, l) + n > need)
			need = cc_kv_seq_len(s->seq, l) + n;
	if (!s->obs) {
		s->obs = calloc((size_t)na, sizeof(float *));
		if (!s->obs)
			return cc_error_set(CC_ENOMEM, "out of memory");
	}
	if (need > s->obs_len_cap) {
		for (int i = 0; i < na; i++) {
			float *p = realloc(s->obs[i], need * sizeof(float));
			if (!p)
				return cc_error_set(CC_ENOMEM, "out of memory for observation statistics");
			s->obs[i] = p;
		}
		s->obs_len_cap = need;
	}
	for (int i = 0; i < na; i++)
		memset(s->obs[i], 0, need * sizeof(float));
	/* the window's query statistics (cc_session_query_stats): the CPU backend fills them */
	if (s->model->device == CC_DEVICE_CPU) {
		int nq = c->n_layers * c->n_heads;
		size_t per = (size_t)c->head_dim * (size_t)(c->head_dim + 1);
		if (!s->qstat) {
			if (!(s->qstat = calloc((size_t)nq, sizeof(float *))))
				return cc_error_set(CC_ENOMEM, "out of memory");
		}
		for (int i = 0; i < nq; i++)
			if (!s->qstat[i] && !(s->qstat[i] = malloc(per * sizeof(float))))
				return cc_error_set(CC_ENOMEM, "out of memory for query statistics");
		for (int i = 0; i < nq; i++)
			memset(s->qstat[i], 0, per * sizeof(float));
	}
	return CC_OK;
}

int cc_session_prefill(cc_session *s, const int32_t *ids, size_t n, float *last_logits)
{
	size_t chunk = (size_t)s->opts.prefill_chunk, w, wstart;
	int rc;

	if ((rc = check_ids(s, ids, n)) || (rc = check_room(s, n)))
		return rc;
	s->obs_valid = 0;
	w = s->opts.obs_window < 0 ? 0 : (size_t)s->opts.obs_window;
	if (w > n)
		w = n;
	wstart = n - w;
	if (w && (rc = obs_prepare(s, n)))
		return rc;
	for (size_t c0 = 0; c0 < n; c0 += chunk) {
		size_t cn = n - c0 < chunk ? n - c0 : chunk;
		cc_obs_req req = {0, s->obs, s->qstat}, *reqp = NULL;
		if (w && c0 + cn > wstart) {
			req.q_from = wstart > c0 ? wstart - c0 : 0;
			reqp = &req;
		}
		s->have_last = 0;
		rc = run_chunk(s, ids + c0, cn, c0 + cn == n ? CC_LOGITS_LAST : CC_LOGITS_NONE,
		               s->last, reqp);
		if (rc)
			return rc;
	}
	s->have_last = 1;
	if (last_logits)
		memcpy(last_logits, s->last, (size_t)s->model->cfg.vocab * sizeof(float));
	if (w) {
		s->obs_valid = 1;
		s->obs_window = w;
	}
	return CC_OK;
}

int cc_session_forward_all(cc_session *s, const int32_t *ids, size_t n, float *logits)
{
	size_t chunk = (size_t)s->opts.prefill_chunk, V = (size_t)s->model->cfg.vocab;
	int rc;
	if ((rc = check_ids(s, ids, n)) || (rc = check_room(s, n)))
		return rc;
	if (!logits)
		return cc_error_set(CC_EINVAL, "forward_all: no logits buffer");
	s->obs_valid = 0;
	for (size_t c0 = 0; c0 < n; c0 += chunk) {
		size_t cn = n - c0 < chunk ? n - c0 : chunk;
		s->have_last = 0;
		if ((rc = run_chunk(s, ids + c0, cn, CC_LOGITS_ALL, logits + c0 * V, NULL)))
			return rc;
	}
	memcpy(s->last, logits + (n - 1) * V, V * sizeof(float));
	s->have_last = 1;
	return CC_OK;
}

int cc_session_decode(cc_session *s, int32_t id, float *logits)
{
	int rc;
	if ((rc = check_ids(s, &id, 1)) || (rc = check_room(s, 1)))
		return rc;
	s->obs_valid = 0;
	s->have_last = 0;
	if ((rc = run_chunk(s, &id, 1, CC_LOGITS_LAST, s->last, NULL)))
		return rc;
	s->have_last = 1;
	if (logits)
		memcpy(logits, s->last, (size_t)s->model->cfg.vocab * sizeof(float));
	return CC_OK;
}

int cc_session_decode_greedy(cc_session *s, int32_t id, int32_t *next)
{
	const cc_backend_ops *b = s->model->backend;
	int rc;
	if (!next)
		return cc_error_set(CC_EINVAL, "decode_greedy: NULL next");
	if (!b->last_argmax || !b->last_logits) {
		/* the logits are on the host anyway: the sampler's greedy branch */
		if ((rc = cc_session_decode(s, id, NULL)))
			return rc;
		cc_sampler g;
		cc_sampler_init(&g, 0, 0, 0);
		int32_t t = cc_sampler_sample(&g, s->last, s->model->cfg.vocab);
		if (t < 0)
			return t;
		*next = t;
		return CC_OK;
	}
	if ((rc = check_ids(s, &id, 1)) || (rc = check_room(s, 1)))
		return rc;
	s->obs_valid = 0;
	s->have_last = 0;
	if ((rc = run_chunk(s, &id, 1, CC_LOGITS_KEEP, NULL, NULL)))
		return rc;
	s->have_last = 2;
	return b->last_argmax(s, next);
}

/* ---- batched decode ---- */

int cc_batch_new(cc_batch **out, cc_model *m)
{
	cc_batch *b = calloc(1, sizeof(*b));
	int rc;
	*out = NULL;
	if (!b)
		return cc_error_set(CC_ENOMEM, "out of memory");
	b->model = m;
	if ((rc = m->backend->batch_init(b))) {
		free(b);
		return rc;
	}
	*out = b;
	return CC_OK;
}

void cc_batch_free(cc_batch *b)
{
	if (!b)
		return;
	if (b->model->backend->batch_free)
		b->model->backend->batch_free(b);
	free(b->pos);
	free(b->slot);
	free(b->logits);
	free(b);
}

static int batch_reserve(cc_batch *b, size_t n)
{
	size_t L = (size_t)b->model->cfg.n_layers, V = (size_t)b->model->cfg.vocab;
	if (n <= b->cap)
		return CC_OK;
	int32_t *pos = realloc(b->pos, n * sizeof(int32_t));
	if (pos)
		b->pos = pos;
	int32_t *slot = realloc(b->slot, n * L * sizeof(int32_t));
	if (slot)
		b->slot = slot;
	float *lg = realloc(b->logits, n * V * sizeof(float));
	if (lg)
		b->logits = lg;
	if (!pos || !slot || !lg)
		return cc_error_set(CC_ENOMEM, "out of memory for a batch of %zu", n);
	b->cap = n;
	return CC_OK;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)(*(void *const *)a), y = (uintptr_t)(*(void *const *)b);
	return x < y ? -1 : x > y;
}

/* cc_batch_decode's step: checks, one token appended to each session, the forward pass; the
 * rows' logits into b->logits and each session's last when want_logits (else they stay with
 * the backend) */
static int batch_step(cc_batch *b, cc_session *const *ss, const int32_t *ids, size_t n,
                      int want_logits)
{
	cc_model *m = b->model;
	size_t L = (size_t)m->cfg.n_layers, V = (size_t)m->cfg.vocab, need = 0;
	cc_session **sorted = NULL;
	int rc;

	if (n == 0 || !ss || !ids)
		return cc_error_set(CC_EINVAL, "batch decode: no sessions");
	for (size_t i = 0; i < n; i++) {
		if (!ss[i] || ss[i]->model != m)
			return cc_error_set(CC_EINVAL,
			                    "batch decode: session %zu is not of the batch's model",
			                    i);
		if (ss[i]->pref != ss[0]->pref)
			return cc_error_set(CC_EINVAL,
			                    "batch decode: sessions 0 and %zu use different KV "
			                    "pools (create them over one cc_engine_pool)",
			                    i);
		if (ids[i] < 0 || ids[i] >= m->cfg.vocab)
			return cc_error_set(CC_EINVAL,
			                    "batch decode: row %zu: id %d outside the "
			                    "vocabulary (%d)",
			                    i, (int)ids[i], m->cfg.vocab);
		if (cc_kv_seq_len(ss[i]->seq, 0) + 1 > ss[i]->opts.max_tokens)
			return cc_error_set(CC_ENOMEM,
			                    "kv cache full: batch row %zu is at its session's "
			                    "%zu tokens",
			                    i, ss[i]->opts.max_tokens);
		need += cc_kv_seq_append_need(ss[i]->seq, 1);
	}
	if (need > cc_kv_pool_free_blocks(ss[0]->pref->pool))
		return cc_error_set(CC_ENOMEM,
		                    "kv cache full: the batch's %zu tokens need %zu blocks, "
		                    "%zu are free",
		                    n, need, cc_kv_pool_free_blocks(ss[0]->pref->pool));
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return cc_error_set(CC_ENOMEM, "out of memory");
	memcpy(sorted, ss, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_ptr);
	for (size_t i = 1; i < n; i++)
		if (sorted[i] == sorted[i - 1]) {
			free(sorted);
			return cc_error_set(CC_EINVAL, "batch decode: a session appears twice");
		}
	free(sorted);
	if ((rc = batch_reserve(b, n)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		b->pos[i] = cc_kv_seq_next_pos(ss[i]->seq);
		/* cannot fail after the checks above (but for host memory) */
		if ((rc = cc_kv_seq_append(ss[i]->seq, 1, &b->pos[i], b->slot + i * L)))
			return rc;
		ss[i]->obs_valid = 0;
		ss[i]->have_last = 0;
	}
	if ((rc = m->backend->forward_batch(b, ss, n, ids, b->pos, b->slot,
	                                    want_logits ? b->logits : NULL)))
		return rc;
	for (size_t i = 0; i < n; i++)
		if ((rc = cc_kv_seq_seal(ss[i]->seq)))
			return rc;
	if (!want_logits)
		return CC_OK;
	for (size_t i = 0; i < n; i++) {
		memcpy(ss[i]->last, b->logits + i * V, V * sizeof(float));
		ss[i]->have_last = 1;
	}
	return CC_OK;
}

int cc_batch_decode(cc_batch *b, cc_session *const *ss, const int32_t *ids, size_t n,
                    float *logits)
{
	int rc = batch_step(b, ss, ids, n, logits != NULL);
	if (!rc && logits)
		memcpy(logits, b->logits, n * (size_t)b->model->cfg.vocab * sizeof(float));
	return rc;
}

int cc_batch_decode_greedy(cc_batch *b, cc_session *const *ss, const int32_t *ids, size_t n,
                           int n_choose, int32_t *next)
{
	const cc_backend_ops *be = b->model->backend;
	size_t V = (size_t)b->model->cfg.vocab;
	int rc;
	if (!next)
		return cc_error_set(CC_EINVAL, "batch decode greedy: NULL next");
	if (n_choose <= 0 || (size_t)n_choose > V)
		n_choose = (int)V;
	if (be->batch_argmax) {
		/* the logits stay on the device; n ids come back */
		if ((rc = batch_step(b, ss, ids, n, 0)))
			return rc;
		return be->batch_argmax(b, n, n_choose, next);
	}
	if ((rc = batch_step(b, ss, ids, n, 1)))
		return rc;
	cc_sampler g;
	cc_sampler_init(&g, 0, 0, 0);
	for (size_t i = 0; i < n; i++) {
		int32_t t = cc_sampler_sample(&g, b->logits + i * V, n_choose);
		if (t < 0)
			return cc_error_set(CC_EINVAL, "batch decode greedy: row %zu: %s", i,
			                    cc_error_last());
		next[i] = t;
	}
	return CC_OK;
}

void cc_session_trim(cc_session *s)
{
	if (s->model->backend->session_trim) {
		if (last_on_host(s)) /* the logits leave with the scratch: kept when they can be */
			cc_error_clear();
		s->model->backend->session_trim(s);
	}
}

/* log-softmax normaliser of one row: max + log(sum exp(x - max)), in double. */
static double log_norm(const float *x, int n)
{
	float mx = -INFINITY;
	double z = 0;
	for (int i = 0; i < n; i++)
		if (x[i] > mx)
			mx = x[i];
	for (int i = 0; i < n; i++)
		z += exp((double)x[i] - mx);
	return mx + log(z);
}

int32_t cc_log_softmax(float *x, int n)
{
	int32_t am = 0;
	for (int i = 1; i < n; i++)
		if (x[i] > x[am])
			am = i;
	float lz = (float)log_norm(x, n);
	for (int i = 0; i < n; i++)
		x[i] -= lz;
	return am;
}

static void topk_row(const float *x, int n, int k, double lz, int32_t *ids, float *lp)
{
	int got = 0;
	for (int i = 0; i < n; i++) {
		if (got == k && x[i] <= x[ids[k - 1]])
			continue;
		int j = got < k ? got++ : k - 1;
		while (j > 0 && x[ids[j - 1]] < x[i]) {
			ids[j] = ids[j - 1];
			j--;
		}
		ids[j] = i;
	}
	for (int j = 0; j < k; j++)
		lp[j] = j < got ? (float)((double)x[ids[j]] - lz) : -INFINITY;
}

int cc_session_logprobs(cc_session *s, const int32_t *ids, size_t n, float *logp, int topk,
                        int32_t *top_ids, float *top_logp)
{
	size_t chunk = (size_t)s->opts.prefill_chunk;
	int V = s->model->cfg.vocab, rc;
	float *buf = NULL;

	if ((rc = check_ids(s, ids, n)) || (rc = check_room(s, n)))
		return rc;
	if (topk < 0 || topk > V || (topk && (!top_ids || !top_logp)))
		return cc_error_set(CC_EINVAL, "logprobs: bad topk %d", topk);
	buf = malloc(chunk * (size_t)V * sizeof(float));
	if (!buf)
		return cc_error_set(CC_ENOMEM, "out of memory");
	if ((rc = last_on_host(s)))
		goto out;
	logp[0] = s->have_last ? (float)((double)s->last[ids[0]] - log_norm(s->last, V)) : NAN;
	s->obs_valid = 0;
	for (size_t c0 = 0; c0 < n; c0 += chunk) {
		size_t cn = n - c0 < chunk ? n - c0 : chunk;
		s->have_last = 0;
		if ((rc = run_chunk(s, ids + c0, cn, CC_LOGITS_ALL, buf, NULL)))
			goto out;
		for (size_t r = 0; r < cn; r++) {
			size_t i = c0 + r;
			const float *row = buf + r * (size_t)V;
			double lz = log_norm(row, V);
			if (i + 1 < n)
				logp[i + 1] = (float)((double)row[ids[i + 1]] - lz);
			if (topk)
				topk_row(row, V, topk, lz, top_ids + i * (size_t)topk,
				         top_logp + i * (size_t)topk);
		}
		memcpy(s->last, buf + (cn - 1) * (size_t)V, (size_t)V * sizeof(float));
	}
	s->have_last = 1;
out:
	free(buf);
	return rc;
}

/* ---- sampling ---- */

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void cc_sampler_init(cc_sampler *out, float temperature, float top_p, uint64_t seed)
{
	uint64_t x = seed;
	out->temperature = temperature;
	out->top_p = top_p;
	out->seed = seed;
	out->state[0] = splitmix(&x);
	out->state[1] = splitmix(&x);
}

/* xorshift128+, uniform in [0, 1). */
static double next_uniform(cc_sampler *smp)
{
	uint64_t a = smp->state[0], b = smp->state[1];
	smp->state[0] = b;
	a ^= a << 23;
	smp->state[1] = a ^ b ^ (a >> 17) ^ (b >> 26);
	return (double)((smp->state[1] + b) >> 11) * (1.0 / 9007199254740992.0);
}

typedef struct {
	float p;
	int32_t id;
} prob_id;

/* x comes before y: the more likely first, the lower id on ties (ids are distinct, so the
 * order is total) */
static int prob_before(prob_id x, prob_id y)
{
	return x.p > y.p || (x.p == y.p && x.id < y.id);
}

static int by_prob_desc(const void *a, const void *b)
{
	const prob_id *x = a, *y = b;
	return prob_before(*x, *y) ? -1 : prob_before(*y, *x);
}

/* Reorders pi[0..n) so that a prefix pi[0..k) holds the k first entries in prob_before's
 * order (unsorted among themselves) and their sum reaches need, with k as small as the
 * partitioning finds cheaply (the entries after the pivot that crossed need are left out);
 * returns k, or n when the whole sum stays below need. Expected O(n): a quickselect on the
 * running sum instead of sorting a vocabulary of 128K entries to find a nucleus of a few. */
static size_t nucleus_prefix(prob_id *pi, size_t n, double need)
{
	size_t lo = 0, hi = n;
	double acc = 0; /* the sum of pi[0..lo) */
	while (hi - lo > 32) {
		prob_id a = pi[lo], b = pi[lo + (hi - lo) / 2], c = pi[hi - 1], pv;
		if (prob_before(a, b))
			pv = prob_before(b, c) ? b : (prob_before(a, c) ? c : a);
		else
			pv = prob_before(a, c) ? a : (prob_before(b, c) ? c : b);
		size_t m = lo, at = lo;
		double front = 0;
		for (size_t i = lo; i < hi; i++) {
			if (pi[i].id == pv.id)
				at = i;
			if (prob_before(pi[i], pv)) {
				prob_id t = pi[i];
				pi[i] = pi[m];
				pi[m] = t;
				if (at == m)
					at = i; /* the pivot was just moved from m to i */
				front += t.p;
				m++;
			}
		}
		if (acc + front >= need) {
			hi = m; /* the nucleus ends before the pivot */
			continue;
		}
		prob_id t = pi[at]; /* the pivot right after the entries before it */
		pi[at] = pi[m];
		pi[m] = t;
		acc += front + t.p;
		lo = m + 1;
		if (acc >= need)
			return lo;
	}
	return hi;
}

int32_t cc_sampler_sample(cc_sampler *smp, const float *logits, int vocab)
{
	if (vocab <= 0 || !logits)
		return cc_error_set(CC_EINVAL, "sample: empty logits");
	/* the largest logit, its first index (the lowest id on ties) and any NaN, in one pass */
	int32_t best = 0;
	float mx = logits[0];
	int nan = 0;
	for (int i = 0; i < vocab; i++) {
		float x = logits[i];
		nan |= x != x;
		if (x > mx) {
			mx = x;
			best = i;
		}
	}
	if (nan)
		for (int i = 0; i < vocab; i++)
			if (isnan(logits[i]))
				return cc_error_set(CC_EINVAL, "sample: NaN logit at %d", i);
	if (smp->temperature <= 0)
		return best;
	prob_id *pi = malloc((size_t)vocab * sizeof(*pi));
	if (!pi)
		return cc_error_set(CC_ENOMEM, "out of memory");
	double z = 0, mass = 0, r;
	for (int i = 0; i < vocab; i++) {
		pi[i].p = (float)exp(((double)logits[i] - logits[best]) / smp->temperature);
		pi[i].id = i;
		z += pi[i].p;
	}
	int32_t pick = -1;
	if (!(smp->top_p > 0 && smp->top_p < 1)) {
		/* every token: drawn in id order from the sum already made, no sort */
		r = next_uniform(smp) * z;
		for (int i = 0; i < vocab; i++) {
			if (pi[i].p > 0)
				pick = i; /* the last possible one, should the sums' rounding leave r >= 0 */
			r -= pi[i].p;
			if (r < 0)
				break;
		}
		free(pi);
		return pick;
	}
	/* the nucleus: the smallest set of most likely tokens whose mass reaches top_p, found on
	 * the entries sorted by probability (ties by id) - sorting only a prefix that holds it
	 * (its sum reaches top_p with a margin far above the sums' rounding), and the rest only
	 * when the sums in sorted order fall short after all */
	size_t pre = nucleus_prefix(pi, (size_t)vocab, (double)smp->top_p * z * (1 + 1e-9));
	qsort(pi, pre, sizeof(*pi), by_prob_desc);
	int keep = vocab;
	for (size_t i = 0; i < (size_t)vocab; i++) {
		if (i == pre)
			qsort(pi + pre, (size_t)vocab - pre, sizeof(*pi), by_prob_desc);
		mass += pi[i].p / z;
		if (mass >= smp->top_p) {
			keep = (int)i + 1;
			break;
		}
	}
	double kz = 0;
	for (int i = 0; i < keep; i++)
		kz += pi[i].p;
	r = next_uniform(smp) * kz;
	pick = pi[keep - 1].id;
	for (int i = 0; i < keep; i++) {
		r -= pi[i].p;
		if (r < 0) {
			pick = pi[i].id;
			break;
		}
	}
	free(pi);
	return pick;
}

int cc_session_generate(cc_session *s, const int32_t *prompt, size_t n_prompt, size_t max_new,
                        cc_sampler *smp, int32_t stop_id, int32_t *out, size_t *n_out)
{
	int V = s->model->cfg.vocab, rc;
	*n_out = 0;
	if ((rc = cc_session_prefill(s, prompt, n_prompt, NULL)))
		return rc;
	/* greedy: the choice made where the logits are (on the device for CUDA: no copy of a
	 * vocabulary of logits per token) */
	int greedy = smp->temperature <= 0;
	int32_t id = cc_sampler_sample(smp, s->last, V);
	for (size_t i = 0; i < max_new; i++) {
		if (id < 0)
			return id;
		out[(*n_out)++] = id;
		if (id == stop_id || i + 1 == max_new)
			break;
		if (greedy) {
			if ((rc = cc_session_decode_greedy(s, id, &id)))
				return rc;
			continue;
		}
		if ((rc = cc_session_decode(s, id, NULL)))
			return rc;
		id = cc_sampler_sample(smp, s->last, V);
	}
	return CC_OK;
}

/* ---- statistics, compaction ---- */

int cc_session_obs(const cc_session *s, int layer, int kv_head, const float **scores,
                   const int32_t **positions, size_t *n)
{
	const cc_model_config *c = &s->model->cfg;
	if (!s->obs_valid)
		return cc_error_set(CC_ENOTFOUND, "no observation statistics (no prefill since the "
		                                  "last change, or obs_window < 0)");
	if (layer < 0 || layer >= c->n_layers || kv_head < 0 || kv_head >= c->n_kv_heads)
		return cc_error_set(CC_EINVAL, "observation statistics: no layer %d / KV head %d",
		                    layer, kv_head);
	*scores = s->obs[layer * c->n_kv_heads + kv_head];
	*positions = cc_kv_seq_positions(s->seq, layer, kv_head);
	*n = cc_kv_seq_head_len(s->seq, layer, kv_head);
	return CC_OK;
}

int cc_session_query_stats(const cc_session *s, int layer, int head, const float **sum,
                           const float **outer, size_t *n)
{
	const cc_model_config *c = &s->model->cfg;
	if (s->model->device != CC_DEVICE_CPU)
		return cc_error_set(CC_EUNSUPPORTED, "query statistics: collected by the CPU engine "
		                                     "only");
	if (!s->obs_valid || !s->qstat)
		return cc_error_set(CC_ENOTFOUND, "no query statistics (no prefill since the last "
		                                  "change, or obs_window < 0)");
	if (layer < 0 || layer >= c->n_layers || head < 0 || head >= c->n_heads)
		return cc_error_set(CC_EINVAL, "query statistics: no layer %d / query head %d", layer,
		                    head);
	*sum = s->qstat[layer * c->n_heads + head];
	*outer = *sum + c->head_dim;
	*n = s->obs_window;
	return CC_OK;
}

void cc_model_rope_inv_freq(const cc_model *m, float *out)
{
	cc_rope_inv_freq(&m->cfg, out);
}

const cc_model *cc_session_model(const cc_session *s)
{
	return s->model;
}

size_t cc_session_obs_window(const cc_session *s)
{
	return s->obs_valid ? s->obs_window : 0;
}

int cc_session_compact(cc_session *s, int layer, const int32_t *keep, size_t n_keep)
{
	int rc = cc_kv_seq_compact(s->seq, layer, keep, n_keep);
	if (rc == CC_OK)
		s->obs_valid = 0;
	return rc;
}

int cc_session_compact_heads(cc_session *s, int layer, const int32_t *keep,
                             const size_t *n_keep)
{
	if (!n_keep)
		return cc_error_set(CC_EINVAL, "compact: no per-head counts");
	/* refused whatever the counts, so that a policy compacting layer by layer fails at
	 * its first layer, before any change (the CPU and CUDA backends read ragged layers) */
	if (s->model->device != CC_DEVICE_CPU && s->model->device != CC_DEVICE_CUDA)
		return cc_error_set(CC_EUNSUPPORTED,
		                    "policy adakv keeps a different number of tokens "
		                    "per KV head, which the %s backend's attention does not support; "
		                    "use --device cpu",
		                    s->model->backend ? s->model->backend->name : "other");
	int rc = cc_kv_seq_compact_heads(s->seq, layer, keep, n_keep);
	if (rc == CC_OK)
		s->obs_valid = 0;
	return rc;
}

void cc_session_cache_stats(cc_cache_stats *out, const cc_session *s)
{
	cc_kv_pool_stats ps;
	cc_kv_pool_stats_get(&ps, s->pref->pool);
	memset(out, 0, sizeof(*out));
	out->next_pos = cc_kv_seq_next_pos(s->seq);
	for (int l = 0; l < s->model->cfg.n_layers; l++) {
		if (!cc_kv_seq_ragged(s->seq, l)) {
			out->kept_tokens += cc_kv_seq_len(s->seq, l);
			continue;
		}
		size_t sum = 0;
		for (int h = 0; h < s->model->cfg.n_kv_heads; h++)
			sum += cc_kv_seq_head_len(s->seq, l, h);
		out->kept_tokens += sum / (size_t)s->model->cfg.n_kv_heads;
	}
	out->blocks_used = ps.blocks_used;
	out->bytes_used = ps.bytes_used;
	out->bytes_capacity = ps.bytes_capacity;
	out->block_bytes = ps.block_bytes;
	out->seq_blocks = cc_kv_seq_blocks_held(s->seq);
	out->seq_bytes = cc_kv_seq_bytes(s->seq);
}

const cc_kv_seq *cc_session_kv(const cc_session *s)
{
	return s->seq;
}

int cc_session_kept_marks(uint8_t **out, const cc_session *s, size_t n_pos)
{
	const cc_kv_config *kc = cc_kv_pool_config(cc_session_pool(s));
	size_t n_layers = (size_t)kc->n_layers, n_heads = (size_t)kc->n_kv_heads;
	uint8_t *k = calloc(n_layers * n_heads * n_pos + 1, 1);
	const cc_kv_seq *seq = cc_session_kv(s);
	*out = NULL;
	if (!k)
		return cc_error_set(CC_ENOMEM, "out of memory");
	for (size_t l = 0; l < n_layers; l++) {
		for (size_t h = 0; h < n_heads; h++) {
			size_t n = cc_kv_seq_head_len(seq, (int)l, (int)h);
			const int32_t *pos = cc_kv_seq_positions(seq, (int)l, (int)h);
			for (size_t j = 0; pos && j < n; j++)
				if (pos[j] >= 0 && (size_t)pos[j] < n_pos)
					k[(l * n_heads + h) * n_pos + (size_t)pos[j]] = 1;
		}
	}
	*out = k;
	return CC_OK;
}

const cc_kv_pool *cc_session_pool(const cc_session *s)
{
	return s->pref->pool;
}

int cc_session_set_obs_window(cc_session *s, int w)
{
	if (!s)
		return cc_error_set(CC_EINVAL, "session: NULL");
	s->opts.obs_window = w == 0 ? 64 : w;
	s->obs_valid = 0;
	return CC_OK;
}
