/*
 * kv_io.c - copying a session's KV rows out to host memory and appending rows computed
 * elsewhere (the repository cache of repocache/ stores per-file chunks and assembles sessions
 * from them), optionally rotating the appended keys to new positions. Host pools are read and
 * written through the pool's base; pools the host cannot address (CUDA) through the backend's
 * kv_read / kv_write, one batch of rows per call. Quantized pools of the CPU engine take
 * appended rows in full precision, in pieces of at most one forward chunk, each piece sealed
 * (quantized where it lies before the residual window) as a forward pass leaves it; export
 * from quantized pools, and quantized pools on other backends, are refused.
 */
#include "engine_int.h"

#include "cc_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int io_check(const cc_session *s, int layer, const char *what)
{
	const cc_kv_pool *p = s->pref->pool;
	const cc_kv_config *kc = cc_kv_pool_config(p);
	const cc_backend_ops *b = s->model->backend;
	if (layer < 0 || layer >= kc->n_layers)
		return cc_error_set(CC_EINVAL, "kv %s: layer %d out of range", what, layer);
	if (cc_kv_pool_qlayout(p) && (!strcmp(what, "export") || s->model->device != CC_DEVICE_CPU))
		return cc_error_set(CC_EUNSUPPORTED,
		                    "kv %s: the session's KV cache is quantized (rows are copied out "
		                    "of full-precision caches only, and into quantized ones on the "
		                    "CPU engine only)",
		                    what);
	if (s->model->device != CC_DEVICE_CPU && (!b || !b->kv_read || !b->kv_write))
		return cc_error_set(CC_EUNSUPPORTED, "kv %s: the %s backend cannot copy KV rows", what,
		                    b ? b->name : "other");
	return CC_OK;
}

/* Byte offsets of the K rows (v = 0) or V rows of slots first .. first + n - 1 of every KV
 * head of `layer`, head-major (as export lays them out). */
static size_t *row_offsets(const cc_session *s, int layer, int v, size_t first, size_t n)
{
	int nh = cc_kv_pool_config(s->pref->pool)->n_kv_heads;
	size_t *off = malloc(((size_t)nh * n + 1) * sizeof(*off));
	if (!off)
		return NULL;
	for (int h = 0; h < nh; h++)
		for (size_t j = 0; j < n; j++)
			off[(size_t)h * n + j] = cc_kv_slot_offset(s->seq, layer, v, h, first + j);
	return off;
}

int cc_session_kv_export(const cc_session *s, int layer, int32_t *pos, void *k, void *v)
{
	const cc_kv_pool *p = s->pref->pool;
	const cc_kv_config *kc = cc_kv_pool_config(p);
	size_t len, row, *off = NULL;
	const char *base = cc_kv_pool_base(p);
	int rc;

	if ((rc = io_check(s, layer, "export")))
		return rc;
	if (cc_kv_seq_ragged(s->seq, layer))
		return cc_error_set(CC_EUNSUPPORTED,
		                    "kv export: layer %d keeps a different number "
		                    "of tokens per KV head (adakv); export needs the same count",
		                    layer);
	len = cc_kv_seq_len(s->seq, layer);
	row = (size_t)kc->head_dim * cc_kv_dtype_size(kc->dtype);
	for (int h = 0; pos && h < kc->n_kv_heads; h++)
		memcpy(pos + (size_t)h * len, cc_kv_seq_positions(s->seq, layer, h),
		       len * sizeof(int32_t));
	if (!len)
		return CC_OK;
	if (s->model->device != CC_DEVICE_CPU) {
		for (int vv = 0; vv < 2 && !rc; vv++) {
			if (!(vv ? v : k))
				continue;
			if (!(off = row_offsets(s, layer, vv, 0, len)))
				return cc_error_set(CC_ENOMEM, "kv export: out of memory");
			rc = s->model->backend->kv_read(s, off, (size_t)kc->n_kv_heads * len, row,
			                                vv ? v : k);
			free(off);
		}
		return rc;
	}
	for (int h = 0; h < kc->n_kv_heads; h++) {
		size_t at = (size_t)h * len;
		for (size_t j = 0; j < len; j++) {
			if (k)
				memcpy((char *)k + (at + j) * row,
				       base + cc_kv_slot_offset(s->seq, layer, 0, h, j), row);
			if (v)
				memcpy((char *)v + (at + j) * row,
				       base + cc_kv_slot_offset(s->seq, layer, 1, h, j), row);
		}
	}
	return CC_OK;
}


/* Rotate one row in place by the angles of cs_sn (see cc_backend_ops.kv_write). */
static void rot_row(void *row, int dtype, int hd, const float *cs_sn)
{
	int half = hd / 2;
	for (int i = 0; i < half; i++) {
		float c = cs_sn[2 * i], sn = cs_sn[2 * i + 1], a, b;
		if (dtype == CC_KV_F32) {
			float *r = row;
			a = r[i];
			b = r[i + half];
			r[i] = a * c - b * sn;
			r[i + half] = b * c + a * sn;
		} else {
			uint16_t *r = row;
			a = cc_bf16_to_f32(r[i]);
			b = cc_bf16_to_f32(r[i + half]);
			r[i] = cc_f32_to_bf16(a * c - b * sn);
			r[i + half] = cc_f32_to_bf16(b * c + a * sn);
		}
	}
}

static int append(cc_session *s, int layer, size_t n, const int32_t *pos, const void *k,
                  const void *v, const float *cs_sn)
{
	cc_kv_pool *p = s->pref->pool;
	const cc_kv_config *kc = cc_kv_pool_config(p);
	char *base = cc_kv_pool_base(p);
	size_t row, *off = NULL;
	int32_t first;
	int rc;

	if ((rc = io_check(s, layer, "append")))
		return rc;
	if (cs_sn && kc->dtype != CC_KV_F32 && kc->dtype != CC_KV_BF16)
		return cc_error_set(CC_EUNSUPPORTED,
		                    "kv append: keys of dtype %d are not rotated (f32 or bf16)",
		                    kc->dtype);
	if (n == 0 || !pos || !k || !v)
		return cc_error_set(CC_EINVAL, "kv append: no rows");
	if (cc_kv_seq_len(s->seq, layer) + n > s->opts.max_tokens)
		return cc_error_set(CC_ENOMEM,
		                    "kv cache full: %zu tokens + %zu new exceed the session's %zu",
		                    cc_kv_seq_len(s->seq, layer), n,
		                    s->opts.max_tokens);
	if ((rc = cc_kv_seq_append_layer(s->seq, layer, n, pos, &first)))
		return rc;
	s->obs_valid = 0;
	s->have_last = 0;
	row = (size_t)kc->head_dim * cc_kv_dtype_size(kc->dtype);
	if (s->model->device != CC_DEVICE_CPU) {
		for (int vv = 0; vv < 2 && !rc; vv++) {
			if (!(off = row_offsets(s, layer, vv, (size_t)first, n)))
				return cc_error_set(CC_ENOMEM, "kv append: out of memory");
			rc = s->model->backend->kv_write(s, off, (size_t)kc->n_kv_heads * n, row,
			                                 vv ? v : k, vv ? NULL : cs_sn);
			free(off);
		}
		return rc;
	}
	for (int h = 0; h < kc->n_kv_heads; h++)
		for (size_t j = 0; j < n; j++) {
			size_t at = (size_t)h * n + j;
			char *kr = base + cc_kv_slot_offset(s->seq, layer, 0, h, (size_t)first + j);
			memcpy(kr, (const char *)k + at * row, row);
			if (cs_sn)
				rot_row(kr, kc->dtype, kc->head_dim, cs_sn);
			memcpy(base + cc_kv_slot_offset(s->seq, layer, 1, h, (size_t)first + j),
			       (const char *)v + at * row, row);
		}
	return CC_OK;
}

/* A quantized pool (CPU engine): the rows in pieces of at most one forward chunk per KV head,
 * each piece written full precision and then sealed, as a forward pass leaves its rows (the
 * pool's full-precision area holds a residual window and one forward chunk per layer). */
static int append_quant(cc_session *s, int layer, size_t n, const int32_t *pos, const void *k,
                        const void *v, const float *cs_sn)
{
	const cc_kv_config *kc = cc_kv_pool_config(s->pref->pool);
	size_t piece = s->opts.prefill_chunk > 0 ? (size_t)s->opts.prefill_chunk : 256;
	size_t nh = (size_t)kc->n_kv_heads, row = (size_t)kc->head_dim * cc_kv_dtype_size(kc->dtype);
	int32_t *pp = NULL;
	char *pk = NULL, *pv = NULL;
	int rc;

	if ((rc = io_check(s, layer, "append")))
		return rc;
	if (n == 0 || !pos || !k || !v)
		return cc_error_set(CC_EINVAL, "kv append: no rows");
	if (cc_kv_seq_len(s->seq, layer) + n > s->opts.max_tokens)
		return cc_error_set(CC_ENOMEM, "kv cache full: %zu tokens + %zu new exceed the "
		                               "session's %zu",
		                    cc_kv_seq_len(s->seq, layer), n,
		                    s->opts.max_tokens);
	if (n <= piece) {
		if (!(rc = append(s, layer, n, pos, k, v, cs_sn)))
			rc = cc_kv_seq_seal(s->seq);
		return rc;
	}
	pp = malloc(nh * piece * sizeof(*pp));
	pk = malloc(nh * piece * row);
	pv = malloc(nh * piece * row);
	if (!pp || !pk || !pv) {
		rc = cc_error_set(CC_ENOMEM, "kv append: out of memory");
		goto out;
	}
	for (size_t at = 0; at < n && !rc; at += piece) {
		size_t m = n - at < piece ? n - at : piece;
		for (size_t h = 0; h < nh; h++) {
			memcpy(pp + h * m, pos + h * n + at, m * sizeof(*pp));
			memcpy(pk + h * m * row, (const char *)k + (h * n + at) * row, m * row);
			memcpy(pv + h * m * row, (const char *)v + (h * n + at) * row, m * row);
		}
		if (!(rc = append(s, layer, m, pp, pk, pv, cs_sn)))
			rc = cc_kv_seq_seal(s->seq);
	}
out:
	free(pp);
	free(pk);
	free(pv);
	return rc;
}

int cc_session_kv_append(cc_session *s, int layer, size_t n, const int32_t *pos, const void *k,
                         const void *v)
{
	if (cc_kv_pool_qlayout(s->pref->pool))
		return append_quant(s, layer, n, pos, k, v, NULL);
	return append(s, layer, n, pos, k, v, NULL);
}

int cc_session_kv_append_rot(cc_session *s, int layer, size_t n, const int32_t *pos,
                             const void *k, const void *v, int32_t delta)
{
	int hd = s->model->cfg.head_dim, rc;
	float *inv = NULL, *cs_sn = NULL;
	if (!delta)
		return cc_session_kv_append(s, layer, n, pos, k, v);
	inv = malloc((size_t)hd / 2 * sizeof(float) + 1);
	cs_sn = malloc((size_t)hd * sizeof(float) + 1);
	if (!inv || !cs_sn) {
		rc = cc_error_set(CC_ENOMEM, "kv append: out of memory");
		goto out;
	}
	cc_rope_inv_freq(&s->model->cfg, inv);
	for (int i = 0; i < hd / 2; i++) {
		float ang = (float)delta * inv[i];
		cs_sn[2 * i] = cosf(ang);
		cs_sn[2 * i + 1] = sinf(ang);
	}
	rc = cc_kv_pool_qlayout(s->pref->pool) ? append_quant(s, layer, n, pos, k, v, cs_sn)
	                                       : append(s, layer, n, pos, k, v, cs_sn);
out:
	free(inv);
	free(cs_sn);
	return rc;
}
