/*
 * kv_io.c - copying a session's KV rows out to host memory and appending rows computed
 * elsewhere (the repository cache of repocache/ stores per-file chunks and assembles sessions
 * from them). Host pools only: the CPU engine's. A device pool would need transfers through
 * the storage provider, which it does not offer yet.
 */
#include "engine_int.h"

#include "cc_common.h"

#include <string.h>

static int host_only(const cc_session *s)
{
	if (s->model->device != CC_DEVICE_CPU)
		return cc_error_set(CC_EUNSUPPORTED, "KV rows can be copied in and out of CPU "
		                    "sessions only (this session's cache is on the %s device)",
		                    s->model->backend ? s->model->backend->name : "other");
	return CC_OK;
}

int cc_session_kv_export(const cc_session *s, int layer, int32_t *pos, void *k, void *v)
{
	const cc_kv_pool *p = s->pref->pool;
	const cc_kv_config *kc = cc_kv_pool_config(p);
	size_t len, row;
	const char *base = cc_kv_pool_base(p);
	int rc;

	if ((rc = host_only(s)))
		return rc;
	if (layer < 0 || layer >= kc->n_layers)
		return cc_error_set(CC_EINVAL, "kv export: layer %d out of range", layer);
	if (cc_kv_seq_ragged(s->seq, layer))
		return cc_error_set(CC_EUNSUPPORTED, "kv export: layer %d keeps a different number "
		                    "of tokens per KV head (adakv); export needs the same count", layer);
	len = cc_kv_seq_len(s->seq, layer);
	row = (size_t)kc->head_dim * cc_kv_dtype_size(kc->dtype);
	for (int h = 0; h < kc->n_kv_heads; h++) {
		const int32_t *hp = cc_kv_seq_positions(s->seq, layer, h);
		size_t at = (size_t)h * len;
		if (pos)
			memcpy(pos + at, hp, len * sizeof(int32_t));
		for (size_t j = 0; j < len; j++) {
			memcpy((char *)k + (at + j) * row,
			       base + cc_kv_slot_offset(s->seq, layer, 0, h, j), row);
			memcpy((char *)v + (at + j) * row,
			       base + cc_kv_slot_offset(s->seq, layer, 1, h, j), row);
		}
	}
	return CC_OK;
}

int cc_session_kv_append(cc_session *s, int layer, size_t n, const int32_t *pos, const void *k,
                         const void *v)
{
	cc_kv_pool *p = s->pref->pool;
	const cc_kv_config *kc = cc_kv_pool_config(p);
	char *base = cc_kv_pool_base(p);
	size_t row;
	int32_t first;
	int rc;

	if ((rc = host_only(s)))
		return rc;
	if (layer < 0 || layer >= kc->n_layers)
		return cc_error_set(CC_EINVAL, "kv append: layer %d out of range", layer);
	if (n == 0 || !pos || !k || !v)
		return cc_error_set(CC_EINVAL, "kv append: no rows");
	if (cc_kv_seq_len(s->seq, layer) + n > s->opts.max_tokens)
		return cc_error_set(CC_ENOMEM, "kv cache full: %zu tokens + %zu new exceed the "
		                    "session's %zu", cc_kv_seq_len(s->seq, layer), n,
		                    s->opts.max_tokens);
	if ((rc = cc_kv_seq_append_layer(s->seq, layer, n, pos, &first)))
		return rc;
	row = (size_t)kc->head_dim * cc_kv_dtype_size(kc->dtype);
	for (int h = 0; h < kc->n_kv_heads; h++)
		for (size_t j = 0; j < n; j++) {
			size_t at = (size_t)h * n + j;
			memcpy(base + cc_kv_slot_offset(s->seq, layer, 0, h, (size_t)first + j),
			       (const char *)k + at * row, row);
			memcpy(base + cc_kv_slot_offset(s->seq, layer, 1, h, (size_t)first + j),
			       (const char *)v + at * row, row);
		}
	s->obs_valid = 0;
	s->have_last = 0;
	return CC_OK;
}
