/*
 * repocache.c - the repository KV cache (cc_repocache.h): chunk objects, the in-memory LRU,
 * computing a chunk (prefill of one file on a fork, compression, rows copied out) and
 * assembling sessions from chunks with keys rotated by their position delta. The disk format
 * is in chunk_file.c.
 */
#include "cc_repocache.h"

#include "cc_compress.h"
#include "repocache_int.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cc_repocache {
	pthread_mutex_t mu;
	size_t limit, disk_limit;
	rc_chunk *head, *tail; /* most recently used first */
	size_t bytes, n;
	size_t dev_limit, dev_bytes, dev_n;
	rc_chunk *dhead, *dtail; /* chunks with a device copy, most recently used first */
	cc_repocache_stats st;
};

/* ---- chunks ------------------------------------------------------------------------------ */

void rc_chunk_layout(rc_chunk *ch)
{
	size_t es = cc_kv_dtype_size(ch->dtype), row = (size_t)ch->head_dim * es, at = 0;
	for (int l = 0; l < ch->n_layers; l++) {
		size_t r = (size_t)ch->n_kv_heads * ch->kept[l];
		ch->off[l] = at;
		at += r * sizeof(int32_t) + 2 * r * row;
	}
	ch->payload_bytes = at;
}

int rc_chunk_alloc(rc_chunk **out, const char *key, int n_layers, int n_kv_heads, int head_dim,
                   int dtype, size_t n_tokens, const size_t *kept)
{
	rc_chunk *ch = calloc(1, sizeof(*ch));
	if (!ch)
		return cc_error_set(CC_ENOMEM, "repo cache: out of memory");
	ch->refs = 1;
	ch->n_layers = n_layers;
	ch->n_kv_heads = n_kv_heads;
	ch->head_dim = head_dim;
	ch->dtype = dtype;
	ch->n_tokens = n_tokens;
	ch->key = strdup(key);
	ch->kept = calloc((size_t)n_layers, sizeof(size_t));
	ch->off = calloc((size_t)n_layers, sizeof(size_t));
	ch->ids = malloc((n_tokens ? n_tokens : 1) * sizeof(int32_t));
	if (!ch->key || !ch->kept || !ch->off || !ch->ids)
		goto nomem;
	memcpy(ch->kept, kept, (size_t)n_layers * sizeof(size_t));
	rc_chunk_layout(ch);
	if (!(ch->payload = malloc(ch->payload_bytes ? ch->payload_bytes : 1)))
		goto nomem;
	ch->bytes = ch->payload_bytes + n_tokens * sizeof(int32_t);
	*out = ch;
	return CC_OK;
nomem:
	rc_chunk_free(ch);
	return cc_error_set(CC_ENOMEM, "repo cache: out of memory for a chunk of %zu tokens",
	                    n_tokens);
}

void rc_chunk_free(rc_chunk *ch)
{
	if (!ch)
		return;
	free(ch->key);
	free(ch->kept);
	free(ch->off);
	free(ch->ids);
	free(ch->payload);
	free(ch);
}

void cc_repocache_chunk_release(cc_repocache_chunk *ch)
{
	if (ch && __atomic_sub_fetch(&ch->refs, 1, __ATOMIC_ACQ_REL) == 0)
		rc_chunk_free(ch);
}

static void chunk_ref(rc_chunk *ch)
{
	__atomic_add_fetch(&ch->refs, 1, __ATOMIC_ACQ_REL);
}

const int32_t *cc_repocache_chunk_ids(const cc_repocache_chunk *ch, size_t *n)
{
	*n = ch->n_tokens;
	return ch->ids;
}

size_t cc_repocache_chunk_kept(const cc_repocache_chunk *ch, int layer)
{
	return layer >= 0 && layer < ch->n_layers ? ch->kept[layer] : 0;
}

size_t cc_repocache_chunk_bytes(const cc_repocache_chunk *ch)
{
	return ch->bytes;
}

/* ---- keys -------------------------------------------------------------------------------- */

int rc_key_string(char **out, const cc_repocache_key *k)
{
	char buf[64];
	size_t len;
	*out = NULL;
	if (!k || !k->model || !*k->model || !k->blob || !*k->blob || !k->path || !*k->path)
		return cc_error_set(CC_EINVAL, "repo cache: a key needs a model, a blob id and a path");
	if (k->policy != CC_REPOCACHE_FULL && (k->policy < 0 || k->policy >= CC_POLICY_COUNT))
		return cc_error_set(CC_EINVAL, "repo cache: unknown policy %d", k->policy);
	if (k->policy == CC_POLICY_ADAKV)
		return cc_error_set(CC_EUNSUPPORTED,
		                    "repo cache: policy adakv keeps a different "
		                    "number of tokens per KV head, which cached chunks cannot be "
		                    "assembled from; use another policy");
	if (k->policy != CC_REPOCACHE_FULL && !(k->budget > 0 && k->budget <= 1))
		return cc_error_set(CC_EINVAL, "repo cache: budget %g is not a share in (0, 1]",
		                    k->budget);
	snprintf(buf, sizeof(buf), "%.17g", k->policy == CC_REPOCACHE_FULL ? 1.0 : k->budget);
	len = strlen(k->model) + strlen(k->blob) + strlen(k->path) + strlen(buf) + 64;
	if (!(*out = malloc(len)))
		return cc_error_set(CC_ENOMEM, "repo cache: out of memory");
	/* a compressed chunk's key names the selection version that chose it (a full chunk's
	 * key, which no selection decides, is as before) */
	if (k->policy == CC_REPOCACHE_FULL)
		snprintf(*out, len, "v%d\n%s\n%s\n%s\nfull\n%s\n%d", CC_REPOCACHE_FORMAT, k->model,
		         k->blob, k->path, buf, k->anchor ? 1 : 0);
	else
		snprintf(*out, len, "v%d\n%s\n%s\n%s\n%s\n%s\n%d\ns%d", CC_REPOCACHE_FORMAT,
		         k->model, k->blob, k->path, cc_policy_name(k->policy), buf, k->anchor ? 1 : 0,
		         CC_COMPRESS_SELECT_VERSION);
	return CC_OK;
}

uint64_t rc_fnv1a(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	/* 8 bytes a step then the tail: the same value as byte-wise FNV-1a is not needed, only a
	 * stable checksum that any changed byte alters. */
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	while (n--) {
		h = (h ^ *p++) * 0x100000001b3ULL;
	}
	return h;
}

/* ---- the memory cache -------------------------------------------------------------------- */

/* ---- the device tier (c->mu held for all of these) ---- */

static void dev_unlink(cc_repocache *c, rc_chunk *ch)
{
	if (ch->dprev)
		ch->dprev->dnext = ch->dnext;
	else
		c->dhead = ch->dnext;
	if (ch->dnext)
		ch->dnext->dprev = ch->dprev;
	else
		c->dtail = ch->dprev;
	ch->dprev = ch->dnext = NULL;
}

static void dev_push(cc_repocache *c, rc_chunk *ch)
{
	ch->dprev = NULL;
	ch->dnext = c->dhead;
	if (c->dhead)
		c->dhead->dprev = ch;
	c->dhead = ch;
	if (!c->dtail)
		c->dtail = ch;
}

/* Free ch's device copy and drop the reference the device list held. */
static void dev_drop(cc_repocache *c, rc_chunk *ch)
{
	dev_unlink(c, ch);
	c->dev_bytes -= cc_devbuf_bytes(ch->dev);
	c->dev_n--;
	cc_devbuf_free(ch->dev);
	ch->dev = NULL;
	cc_repocache_chunk_release(ch);
}

/* Room for `need` more device bytes: drop the least recently used copies nobody reads.
 * Returns 1 when it fits. */
static int dev_room(cc_repocache *c, size_t need)
{
	rc_chunk *t = c->dtail;
	while (t && c->dev_bytes + need > c->dev_limit) {
		rc_chunk *p = t->dprev;
		if (!t->dev_users) {
			dev_drop(c, t);
			c->st.dev_evicted++;
		}
		t = p;
	}
	return c->dev_bytes + need <= c->dev_limit;
}

/* ch's device copy for model m, made when missing and it fits; pinned (dev_users) until
 * dev_unpin. NULL: use the host rows. */
static const cc_devbuf *dev_pin(cc_repocache *c, rc_chunk *ch, const cc_model *m)
{
	cc_devbuf *b = NULL;
	if (ch->cache != c)
		return NULL;
	if (ch->dev) {
		if (cc_devbuf_model(ch->dev) != m)
			return NULL;
		dev_unlink(c, ch);
		dev_push(c, ch);
		ch->dev_users++;
		c->st.hits_dev++;
		return ch->dev;
	}
	if (ch->payload_bytes > c->dev_limit || !dev_room(c, ch->payload_bytes))
		return NULL;
	if (cc_devbuf_new(&b, m, ch->payload, ch->payload_bytes) != CC_OK) {
		c->st.dev_failed++;
		return NULL;
	}
	ch->dev = b;
	chunk_ref(ch);
	dev_push(c, ch);
	c->dev_bytes += ch->payload_bytes;
	c->dev_n++;
	c->st.dev_uploads++;
	ch->dev_users++;
	return b;
}

int cc_repocache_new(cc_repocache **out, const cc_repocache_opts *o)
{
	cc_repocache *c = calloc(1, sizeof(*c));
	*out = NULL;
	if (!c)
		return cc_error_set(CC_ENOMEM, "repo cache: out of memory");
	pthread_mutex_init(&c->mu, NULL);
	c->limit = o && o->mem_bytes ? o->mem_bytes : (size_t)256 << 20;
	c->disk_limit = o && o->disk_bytes ? o->disk_bytes : (size_t)4 << 30;
	c->dev_limit = o ? o->dev_bytes : 0;
	*out = c;
	return CC_OK;
}

void cc_repocache_free(cc_repocache *c)
{
	if (!c)
		return;
	while (c->dtail)
		dev_drop(c, c->dtail);
	for (rc_chunk *ch = c->head, *nx; ch; ch = nx) {
		nx = ch->next;
		ch->next = ch->prev = NULL;
		cc_repocache_chunk_release(ch);
	}
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static void lru_unlink(cc_repocache *c, rc_chunk *ch)
{
	if (ch->prev)
		ch->prev->next = ch->next;
	else
		c->head = ch->next;
	if (ch->next)
		ch->next->prev = ch->prev;
	else
		c->tail = ch->prev;
	ch->prev = ch->next = NULL;
	c->bytes -= ch->bytes;
	c->n--;
}

static void lru_push(cc_repocache *c, rc_chunk *ch)
{
	ch->prev = NULL;
	ch->next = c->head;
	if (c->head)
		c->head->prev = ch;
	c->head = ch;
	if (!c->tail)
		c->tail = ch;
	c->bytes += ch->bytes;
	c->n++;
}

static rc_chunk *lru_find(cc_repocache *c, const char *key)
{
	for (rc_chunk *ch = c->head; ch; ch = ch->next)
		if (!strcmp(ch->key, key))
			return ch;
	return NULL;
}

/* Keep ch in memory (one reference taken) when it fits, evicting the least recently used.
 * c->mu held. */
static void lru_insert(cc_repocache *c, rc_chunk *ch)
{
	rc_chunk *old = lru_find(c, ch->key);
	if (old) {
		lru_unlink(c, old);
		cc_repocache_chunk_release(old);
	}
	if (ch->bytes > c->limit)
		return;
	while (c->tail && c->bytes + ch->bytes > c->limit) {
		rc_chunk *t = c->tail;
		lru_unlink(c, t);
		cc_repocache_chunk_release(t);
		c->st.evicted++;
	}
	chunk_ref(ch);
	lru_push(c, ch);
}

int cc_repocache_get(cc_repocache_chunk **out, int *from_disk, cc_repocache *c,
                     const char *dir, const cc_repocache_key *key)
{
	char *ks = NULL, *path = NULL;
	rc_chunk *ch;
	int rc, damaged = 0;

	*out = NULL;
	if (from_disk)
		*from_disk = 0;
	if ((rc = rc_key_string(&ks, key)))
		return rc;
	if (dir && (rc = cc_repocache_file_path(&path, dir, key)))
		goto out;
	pthread_mutex_lock(&c->mu);
	if ((ch = lru_find(c, ks))) {
		lru_unlink(c, ch);
		lru_push(c, ch);
		chunk_ref(ch);
		c->st.hits_mem++;
		pthread_mutex_unlock(&c->mu);
		/* the file too is in use: the disk limit deletes the least recently used first */
		if (path)
			rc_file_touch(path);
		*out = ch;
		rc = CC_OK;
		goto out;
	}
	pthread_mutex_unlock(&c->mu);
	rc = CC_ENOTFOUND;
	if (path) {
		rc = rc_file_read(&ch, path, ks, &damaged);
		if (rc && rc != CC_ENOTFOUND)
			goto out;
		if (rc == CC_OK)
			rc_file_touch(path);
	}
	pthread_mutex_lock(&c->mu);
	if (rc == CC_OK) {
		ch->cache = c;
		c->st.hits_disk++;
		lru_insert(c, ch);
		*out = ch;
		if (from_disk)
			*from_disk = 1;
	} else {
		c->st.misses++;
		c->st.damaged += damaged != 0;
	}
	pthread_mutex_unlock(&c->mu);
	if (rc)
		rc = cc_error_set(CC_ENOTFOUND, "repo cache: no chunk for %.200s%s", key->path,
		                  damaged ? " (its file was damaged and is deleted)" : "");
out:
	free(path);
	free(ks);
	return rc;
}

void cc_repocache_stats_get(cc_repocache_stats *out, cc_repocache *c)
{
	pthread_mutex_lock(&c->mu);
	*out = c->st;
	out->mem_bytes = c->bytes;
	out->mem_chunks = c->n;
	out->mem_limit = c->limit;
	out->disk_limit = c->disk_limit;
	out->dev_bytes = c->dev_bytes;
	out->dev_chunks = c->dev_n;
	out->dev_limit = c->dev_limit;
	pthread_mutex_unlock(&c->mu);
}

/* ---- computing a chunk ------------------------------------------------------------------- */

int cc_repocache_compute(cc_repocache_chunk **out, cc_repocache *c, const char *dir,
                         const cc_repocache_key *key, cc_session *root, int32_t bos,
                         const int32_t *ids, size_t n, const float *prior,
                         const uint8_t *protect, size_t recon_chunk)
{
	char *ks = NULL;
	int32_t *all = NULL;
	float *pr = NULL, *recon = NULL;
	uint8_t *pt = NULL;
	cc_session *f = NULL;
	rc_chunk *ch = NULL;
	size_t *kept = NULL, N;
	int rc, policy, use_recon;
	const cc_kv_config *kc;

	*out = NULL;
	if ((rc = rc_key_string(&ks, key)))
		return rc;
	policy = key->policy;
	if (!ids || n == 0) {
		rc = cc_error_set(CC_EINVAL, "repo cache: %.200s has no tokens", key->path);
		goto out;
	}
	if (key->anchor && bos < 0) {
		rc = cc_error_set(CC_EINVAL,
		                  "repo cache: anchors need the model's BOS token, and "
		                  "its config.json names none");
		goto out;
	}
	if (!recon_chunk)
		recon_chunk = 256;
	use_recon = policy == CC_POLICY_CODECOMP || policy == CC_POLICY_KVZIP;
	N = n + (key->anchor ? 1 : 0);
	all = malloc(N * sizeof(*all));
	pr = malloc(N * sizeof(*pr));
	pt = malloc(N);
	if (!all || !pr || !pt) {
		rc = cc_error_set(CC_ENOMEM, "repo cache: out of memory");
		goto out;
	}
	{
		size_t a = 0;
		if (key->anchor) {
			all[0] = bos;
			pr[0] = 1;
			pt[0] = 1;
			a = 1;
		}
		memcpy(all + a, ids, n * sizeof(int32_t));
		for (size_t i = 0; i < n; i++) {
			pr[a + i] = prior ? prior[i] : 0.5f;
			pt[a + i] = protect ? protect[i] : 0;
		}
	}
	if (cc_kv_pool_qlayout(cc_session_pool(root))) {
		/* a quantized cache: the chunk is computed and stored in full precision (a session
		 * of its own, the root's element type and block size) and quantized once, when it
		 * is assembled (cc_session_kv_append seals it as a prefill would) */
		const cc_kv_config *rk = cc_kv_pool_config(cc_session_pool(root));
		cc_session_opts so = {0};
		so.max_tokens = N + recon_chunk;
		so.pool_tokens = N + 2 * recon_chunk + 4 * (size_t)rk->block_tokens;
		so.block_tokens = rk->block_tokens;
		so.kv_dtype = rk->dtype;
		so.kv_dtype_set = 1;
		/* the model is not changed: a session only reads its weights */
		if ((rc = cc_session_new(&f, (cc_model *)cc_session_model(root), &so)))
			goto out;
	} else if ((rc = cc_session_fork(&f, root))) {
		goto out;
	}
	cc_session_reset(f);
	int obs = policy == CC_POLICY_H2O ? (int)N : (use_recon ? (int)recon_chunk : 0);
	if ((rc = cc_session_set_obs_window(f, obs)))
		goto out;
	if ((rc = cc_session_prefill(f, all, N, NULL)))
		goto out;
	kc = cc_kv_pool_config(cc_session_pool(f));
	if (policy != CC_REPOCACHE_FULL) {
		cc_compress_opts co;
		if (use_recon) {
			recon = malloc((size_t)kc->n_layers * (size_t)kc->n_kv_heads * N * sizeof(float));
			if (!recon) {
				rc = cc_error_set(CC_ENOMEM, "repo cache: out of memory");
				goto out;
			}
			if ((rc = cc_compress_recon_attn(f, all, N, recon_chunk, recon)))
				goto out;
		}
		cc_compress_opts_default(&co, policy, key->budget);
		co.head_adapt = CC_HEAD_UNIFORM; /* a chunk stores one length per layer */
		/* and the same in every layer: chunks are concatenated, and the final pass over
		 * them (cache_final_budget) needs the layers' rows to line up */
		co.layer_adapt = CC_LAYER_UNIFORM;
		if ((rc = cc_compress_session(f, &co, N, prior ? pr : NULL, protect ? pt : NULL,
		                              recon, NULL)))
			goto out;
	}
	if (!(kept = malloc((size_t)kc->n_layers * sizeof(size_t)))) {
		rc = cc_error_set(CC_ENOMEM, "repo cache: out of memory");
		goto out;
	}
	for (int l = 0; l < kc->n_layers; l++)
		kept[l] = cc_kv_seq_len(cc_session_kv(f), l);
	if ((rc = rc_chunk_alloc(&ch, ks, kc->n_layers, kc->n_kv_heads, kc->head_dim, kc->dtype, N,
	                         kept)))
		goto out;
	memcpy(ch->ids, all, N * sizeof(int32_t));
	for (int l = 0; l < kc->n_layers; l++) {
		int32_t *pos;
		void *k, *v;
		rc_chunk_rows(ch, l, &pos, &k, &v);
		if ((rc = cc_session_kv_export(f, l, pos, k, v)))
			goto out;
	}
	{
		int werr = 0;
		size_t trimmed = 0;
		if (dir) {
			char *path = NULL;
			if ((rc = cc_repocache_file_path(&path, dir, key)))
				goto out;
			werr = rc_file_write(ch, dir, path) != CC_OK;
			/* the directory's disk limit, keeping the file just written */
			if (!werr)
				trimmed = rc_dir_trim(dir, c->disk_limit, strrchr(path, '/') + 1);
			free(path);
		}
		pthread_mutex_lock(&c->mu);
		ch->cache = c;
		c->st.computed++;
		c->st.write_errors += werr != 0;
		c->st.disk_evicted += trimmed;
		lru_insert(c, ch);
		pthread_mutex_unlock(&c->mu);
	}
	*out = ch;
	ch = NULL;
	rc = CC_OK;
out:
	cc_session_free(f);
	rc_chunk_free(ch);
	free(kept);
	free(recon);
	free(all);
	free(pr);
	free(pt);
	free(ks);
	return rc;
}

void rc_chunk_rows(const rc_chunk *ch, int layer, int32_t **pos, void **k, void **v)
{
	size_t es = cc_kv_dtype_size(ch->dtype), r = (size_t)ch->n_kv_heads * ch->kept[layer];
	char *base = (char *)ch->payload + ch->off[layer];
	*pos = (int32_t *)base;
	*k = base + r * sizeof(int32_t);
	*v = (char *)*k + r * (size_t)ch->head_dim * es;
}

/* ---- assembly ---------------------------------------------------------------------------- */

/* Rotate-half RoPE by `delta` positions on n rows of hd floats, with the engine's
 * frequencies (1 / theta^(2i / d) in float) and float angles. */
static void rotate_rows(float *rows, size_t n, int hd, const float *inv_freq, int32_t delta)
{
	int half = hd / 2;
	for (int i = 0; i < half; i++) {
		float ang = (float)delta * inv_freq[i], cs = cosf(ang), sn = sinf(ang);
		for (size_t j = 0; j < n; j++) {
			float *r = rows + j * (size_t)hd;
			float a = r[i], b = r[i + half];
			r[i] = a * cs - b * sn;
			r[i + half] = b * cs + a * sn;
		}
	}
}

/* Chunks chs[0..n) into s; dev[c] (may be NULL, or NULL entries) the device copy to read
 * chunk c's rows from. */
static int assemble(cc_session *s, const cc_model *m, cc_repocache_chunk *const *chs,
                    const cc_devbuf *const *dev, size_t n, size_t *n_positions)
{
	const cc_kv_config *kc = cc_kv_pool_config(cc_session_pool(s));
	cc_model_info mi;
	float *inv_freq = NULL;
	int32_t *pos = NULL;
	float *kbuf = NULL;
	size_t cap = 0, total = 0;
	int32_t off = cc_kv_seq_next_pos(cc_session_kv(s));
	int rc = CC_OK;

	if (n_positions)
		*n_positions = 0;
	cc_model_info_get(&mi, m);
	if (kc->dtype != CC_KV_F32 && kc->dtype != CC_KV_BF16)
		return cc_error_set(CC_EUNSUPPORTED,
		                    "repo cache: the session's KV cache is neither f32 nor bf16");
	for (size_t c = 0; c < n; c++) {
		const rc_chunk *ch = chs[c];
		if (ch->n_layers != kc->n_layers || ch->n_kv_heads != kc->n_kv_heads ||
		    ch->head_dim != kc->head_dim || ch->dtype != kc->dtype)
			return cc_error_set(CC_EINVAL,
			                    "repo cache: chunk %zu has %d layers x %d KV heads "
			                    "x %d (dtype %d), the session %d x %d x %d (dtype %d)",
			                    c, ch->n_layers, ch->n_kv_heads, ch->head_dim, ch->dtype,
			                    kc->n_layers, kc->n_kv_heads, kc->head_dim, kc->dtype);
	}
	if (!(inv_freq = malloc((size_t)kc->head_dim / 2 * sizeof(float))))
		return cc_error_set(CC_ENOMEM, "repo cache: out of memory");
	for (int i = 0; i < kc->head_dim / 2; i++)
		inv_freq[i] = 1.0f / powf(mi.rope_theta, (float)(2 * i) / (float)kc->head_dim);
	for (size_t c = 0; c < n; c++) {
		const rc_chunk *ch = chs[c];
		for (int l = 0; l < kc->n_layers; l++) {
			size_t r = (size_t)kc->n_kv_heads * ch->kept[l];
			int32_t *cpos;
			void *k, *v;
			if (!r)
				continue;
			rc_chunk_rows(ch, l, &cpos, &k, &v);
			if (r > cap) {
				free(pos);
				free(kbuf);
				pos = malloc(r * sizeof(int32_t));
				kbuf = malloc(r * (size_t)kc->head_dim * sizeof(float));
				cap = r;
				if (!pos || !kbuf) {
					rc = cc_error_set(CC_ENOMEM, "repo cache: out of memory");
					goto out;
				}
			}
			for (size_t j = 0; j < r; j++)
				pos[j] = cpos[j] + off;
			if (kc->dtype != CC_KV_F32) {
				/* bf16 (the CUDA engine's): the engine copies and rotates the rows,
				 * on the device for a CUDA session, from the chunk's device copy
				 * when it has one */
				if (dev && dev[c]) {
					k = (void *)cc_devbuf_at(dev[c], (size_t)((char *)k - (char *)ch->payload));
					v = (void *)cc_devbuf_at(dev[c], (size_t)((char *)v - (char *)ch->payload));
				}
				if ((rc = cc_session_kv_append_rot(s, l, ch->kept[l], pos, k, v, off)))
					goto out;
				continue;
			}
			memcpy(kbuf, k, r * (size_t)kc->head_dim * sizeof(float));
			if (off)
				rotate_rows(kbuf, r, kc->head_dim, inv_freq, off);
			if ((rc = cc_session_kv_append(s, l, ch->kept[l], pos, kbuf, v)))
				goto out;
		}
		off += (int32_t)ch->n_tokens;
		total += ch->n_tokens;
	}
	if (n_positions)
		*n_positions = total;
out:
	free(inv_freq);
	free(pos);
	free(kbuf);
	return rc;
}

int cc_repocache_assemble(cc_session *s, const cc_model *m, cc_repocache_chunk *const *chs,
                          size_t n, size_t *n_positions)
{
	return assemble(s, m, chs, NULL, n, n_positions);
}

int cc_repocache_assemble_in(cc_repocache *c, cc_session *s, const cc_model *m,
                             cc_repocache_chunk *const *chs, size_t n, size_t *n_positions)
{
	const cc_kv_config *kc = cc_kv_pool_config(cc_session_pool(s));
	const cc_devbuf **dev;
	int rc;

	if (!c || !c->dev_limit || cc_model_device(m) == CC_DEVICE_CPU || kc->dtype != CC_KV_BF16 ||
	    cc_kv_pool_qlayout(cc_session_pool(s)))
		return assemble(s, m, chs, NULL, n, n_positions);
	if (!(dev = calloc(n ? n : 1, sizeof(*dev))))
		return cc_error_set(CC_ENOMEM, "repo cache: out of memory");
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < n; i++)
		dev[i] = dev_pin(c, chs[i], m);
	pthread_mutex_unlock(&c->mu);
	rc = assemble(s, m, chs, dev, n, n_positions);
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < n; i++)
		if (dev[i])
			chs[i]->dev_users--;
	pthread_mutex_unlock(&c->mu);
	free(dev);
	return rc;
}
