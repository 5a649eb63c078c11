/*
 * model.c - loading a checkpoint directory: config.json, then model.safetensors or the shards
 * named by model.safetensors.index.json (memory-mapped), then every tensor the architecture
 * needs bound by name with its shape checked, then the backend's model_init.
 */
#include "cc_common.h"
#include "engine_int.h"
#include "safetensors.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cc_device_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "cpu"))
		return CC_DEVICE_CPU;
	if (!strcmp(s, "cuda"))
		return CC_DEVICE_CUDA;
	return -1;
}

/* Names of the weight files: one, or the index's distinct shard names. */
static int weight_files(char ***names, size_t *n, const char *dir)
{
	char path[4096];
	char *text = NULL;
	size_t len;
	json_t *root = NULL, *map, *v;
	json_error_t jerr;
	const char *key;
	int rc;

	*names = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "%s/model.safetensors.index.json", dir);
	rc = cc_read_file(&text, &len, path, 64u << 20);
	if (rc == CC_ENOTFOUND) {
		cc_error_clear();
		snprintf(path, sizeof(path), "%s/model.safetensors", dir);
		if (access(path, F_OK) != 0)
			return cc_error_set(CC_ENOTFOUND,
			                    "%s: no model.safetensors or model.safetensors.index.json", dir);
		*names = malloc(sizeof(char *));
		if (!*names || !((*names)[0] = strdup("model.safetensors"))) {
			free(*names);
			*names = NULL;
			return cc_error_set(CC_ENOMEM, "out of memory");
		}
		*n = 1;
		return CC_OK;
	}
	if (rc)
		return rc;
	root = json_loadb(text, len, 0, &jerr);
	map = json_object_get(root, "weight_map");
	if (!root || !json_is_object(map)) {
		rc = cc_error_set(CC_EPARSE, "%s: not JSON with a 'weight_map' object", path);
		goto out;
	}
	*names = calloc(json_object_size(map) + 1, sizeof(char *));
	if (!*names) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	json_object_foreach(map, key, v)
	{
		const char *f = json_string_value(v);
		size_t i;
		if (!f || !*f || strchr(f, '/') || f[0] == '.') {
			rc = cc_error_set(CC_EPARSE, "%s: tensor '%s': bad shard file name", path, key);
			goto out;
		}
		for (i = 0; i < *n; i++)
			if (!strcmp((*names)[i], f))
				break;
		if (i == *n && !((*names)[(*n)++] = strdup(f))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (*n == 0)
		rc = cc_error_set(CC_EPARSE, "%s: empty weight_map", path);
out:
	if (rc) {
		for (size_t i = 0; *names && i < *n; i++)
			free((*names)[i]);
		free(*names);
		*names = NULL;
		*n = 0;
	}
	json_decref(root);
	free(text);
	return rc;
}

/* Bind tensor `name` with the expected shape (d1 = 0: 1-D). Optional tensors may be absent
 * (data stays NULL). */
static int bind(cc_model *m, cc_tensor *t, const char *name, int64_t d0, int64_t d1, int optional)
{
	const cc_st_tensor *st = NULL;
	const cc_mapped_file *f = NULL;
	int ndim = d1 ? 2 : 1;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	for (size_t i = 0; i < m->n_files && !st; i++)
		if ((st = cc_mapped_file_find(m->files[i], name)))
			f = m->files[i];
	if (!st) {
		if (optional)
			return CC_OK;
		return cc_error_set(CC_ENOTFOUND, "checkpoint: missing tensor '%s'", name);
	}
	if (st->dtype < 0)
		return cc_error_set(CC_EUNSUPPORTED,
		                    "%s: tensor '%s': unsupported dtype %s (F32, F16, BF16 are)", f->path,
		                    name, st->dtype_name);
	if (st->ndim != ndim || st->shape[0] != d0 || (d1 && st->shape[1] != d1)) {
		char got[64] = "", want[48];
		for (int i = 0; i < st->ndim; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%lld", i ? ", " : "",
			         (long long)st->shape[i]);
		if (d1)
			snprintf(want, sizeof(want), "%lld, %lld", (long long)d0, (long long)d1);
		else
			snprintf(want, sizeof(want), "%lld", (long long)d0);
		return cc_error_set(CC_EINVAL, "%s: tensor '%s' has shape [%s], expected [%s]", f->path,
		                    name, got, want);
	}
	t->data = f->map + st->begin;
	t->dtype = st->dtype;
	t->ndim = ndim;
	t->shape[0] = d0;
	t->shape[1] = d1;
	t->nbytes = st->end - st->begin;
	return CC_OK;
}

static int bind_all(cc_model *m)
{
	const cc_model_config *c = &m->cfg;
	cc_model_weights *w = &m->w;
	int64_t H = c->hidden, Q = (int64_t)c->n_heads * c->head_dim;
	int64_t KV = (int64_t)c->n_kv_heads * c->head_dim, I = c->intermediate;
	char nm[96];
	int rc;

	if ((rc = bind(m, &w->embed, "model.embed_tokens.weight", c->vocab, H, 0)) ||
	    (rc = bind(m, &w->norm, "model.norm.weight", H, 0, 0)))
		return rc;
	if (c->tied)
		w->lm_head = w->embed;
	else if ((rc = bind(m, &w->lm_head, "lm_head.weight", c->vocab, H, 0)))
		return rc;
	w->layers = calloc((size_t)c->n_layers, sizeof(*w->layers));
	if (!w->layers)
		return cc_error_set(CC_ENOMEM, "out of memory");
	for (int l = 0; l < c->n_layers; l++) {
		cc_layer_weights *L = &w->layers[l];
#define B(field, suffix, d0, d1, opt)                                      \
	do {                                                               \
		snprintf(nm, sizeof(nm), "model.layers.%d.%s", l, suffix); \
		if ((rc = bind(m, &L->field, nm, d0, d1, opt)))            \
			return rc;                                         \
	} while (0)
		B(attn_norm, "input_layernorm.weight", H, 0, 0);
		B(wq, "self_attn.q_proj.weight", Q, H, 0);
		B(wk, "self_attn.k_proj.weight", KV, H, 0);
		B(wv, "self_attn.v_proj.weight", KV, H, 0);
		B(wo, "self_attn.o_proj.weight", H, Q, 0);
		if (c->qkv_bias) {
			B(bq, "self_attn.q_proj.bias", Q, 0, 0);
			B(bk, "self_attn.k_proj.bias", KV, 0, 0);
			B(bv, "self_attn.v_proj.bias", KV, 0, 0);
		}
		if (c->o_bias)
			B(bo, "self_attn.o_proj.bias", H, 0, 0);
		B(ffn_norm, "post_attention_layernorm.weight", H, 0, 0);
		B(w_gate, "mlp.gate_proj.weight", I, H, 0);
		B(w_up, "mlp.up_proj.weight", I, H, 0);
		B(w_down, "mlp.down_proj.weight", H, I, 0);
		if (c->mlp_bias) {
			B(b_gate, "mlp.gate_proj.bias", I, 0, 0);
			B(b_up, "mlp.up_proj.bias", I, 0, 0);
			B(b_down, "mlp.down_proj.bias", H, 0, 0);
		}
#undef B
	}
	/* a config with fewer layers than the checkpoint would run a truncated model */
	for (size_t f = 0; f < m->n_files; f++)
		for (size_t k = 0; k < m->files[f]->hdr.n; k++) {
			const char *name = m->files[f]->hdr.t[k].name;
			char *end;
			if (strncmp(name, "model.layers.", 13) != 0)
				continue;
			long l = strtol(name + 13, &end, 10);
			if (end != name + 13 && *end == '.' && l >= c->n_layers)
				return cc_error_set(CC_EINVAL,
				                    "%s: tensor '%s' is of layer %ld, but config.json has "
				                    "num_hidden_layers = %d: the config does not match the "
				                    "checkpoint",
				                    m->files[f]->path, name, l, c->n_layers);
		}
	return CC_OK;
}

static void fill_info(cc_model *m)
{
	const cc_model_config *c = &m->cfg;
	cc_model_info *i = &m->info;
	size_t np = 0;
	i->arch = c->arch_name;
	i->n_layers = c->n_layers;
	i->hidden = c->hidden;
	i->n_heads = c->n_heads;
	i->n_kv_heads = c->n_kv_heads;
	i->head_dim = c->head_dim;
	i->intermediate = c->intermediate;
	i->vocab = c->vocab;
	i->max_pos = c->max_pos;
	i->rope_theta = (float)c->rope_theta;
	i->rms_eps = (float)c->rms_eps;
	i->tied_embeddings = c->tied;
	i->qkv_bias = c->qkv_bias;
	i->weight_dtype = m->w.embed.dtype;
	i->bos_id = c->bos_id;
	i->eos_id = c->eos_id;
	for (size_t f = 0; f < m->n_files; f++)
		for (size_t k = 0; k < m->files[f]->hdr.n; k++) {
			const cc_st_tensor *t = &m->files[f]->hdr.t[k];
			size_t e = 1;
			for (int d = 0; d < t->ndim; d++)
				e *= (size_t)t->shape[d];
			np += e;
		}
	i->n_params = np;
}

int cc_model_load(cc_model **out, const char *dir, const cc_model_opts *opts)
{
	return cc_model_load_on(out, dir, opts, 0);
}

int cc_model_load_on(cc_model **out, const char *dir, const cc_model_opts *opts, int gpu)
{
	cc_model *m = NULL;
	char path[4096];
	char *text = NULL, **names = NULL;
	size_t len, n_names = 0;
	int rc;

	*out = NULL;
	if (!dir || !*dir)
		return cc_error_set(CC_EINVAL, "no model directory given");
	m = calloc(1, sizeof(*m));
	if (!m)
		return cc_error_set(CC_ENOMEM, "out of memory");
	m->device = opts ? opts->device : CC_DEVICE_CPU;
	m->n_threads = opts ? opts->n_threads : 0;
	m->gpu = gpu;
	if (m->gpu < 0) {
		rc = cc_error_set(CC_EINVAL, "gpu %d: a CUDA device number is >= 0", m->gpu);
		goto fail;
	}
	if (m->n_threads <= 0) {
		long np = sysconf(_SC_NPROCESSORS_ONLN);
		m->n_threads = np > 0 ? (int)(np > 64 ? 64 : np) : 1;
	}
	snprintf(path, sizeof(path), "%s/config.json", dir);
	rc = cc_read_file(&text, &len, path, 1u << 20);
	if (rc == CC_ENOTFOUND) {
		rc = cc_error_set(CC_ENOTFOUND, "%s: no config.json (not a model directory)", dir);
		goto fail;
	}
	if (rc || (rc = cc_model_config_parse(&m->cfg, text, len, path)))
		goto fail;
	if ((rc = weight_files(&names, &n_names, dir)))
		goto fail;
	m->files = calloc(n_names, sizeof(*m->files));
	if (!m->files) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < n_names; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((rc = cc_mapped_file_open(&m->files[i], path)))
			goto fail;
		m->n_files++;
	}
	if ((rc = bind_all(m)))
		goto fail;
	fill_info(m);
	if (m->device == CC_DEVICE_CPU) {
		m->backend = cc_backend_cpu();
	} else if (m->device == CC_DEVICE_CUDA) {
		m->backend = cc_backend_cuda_get();
		if (!m->backend) {
			rc = CC_EUNSUPPORTED; /* the message names what was missing */
			goto fail;
		}
	} else {
		rc = cc_error_set(CC_EINVAL, "unknown device %d", m->device);
		goto fail;
	}
	if ((rc = m->backend->model_init(m))) {
		m->backend = NULL;
		goto fail;
	}
	*out = m;
	m = NULL;
fail:
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	free(text);
	cc_model_free(m);
	return rc;
}

void cc_model_free(cc_model *m)
{
	if (!m)
		return;
	if (m->backend && m->backend->model_free)
		m->backend->model_free(m);
	for (size_t i = 0; i < m->n_files; i++)
		cc_mapped_file_close(m->files[i]);
	free(m->files);
	free(m->w.layers);
	free(m);
}

int cc_model_bind(const cc_model *m)
{
	return m && m->backend && m->backend->bind ? m->backend->bind(m) : CC_OK;
}

int cc_model_device(const cc_model *m)
{
	return m->device;
}

struct cc_devbuf {
	const cc_model *m;
	void *p;
	size_t bytes;
};

int cc_devbuf_new(cc_devbuf **out, const cc_model *m, const void *src, size_t bytes)
{
	cc_devbuf *b;
	int rc;
	*out = NULL;
	if (!m || !src || !bytes)
		return cc_error_set(CC_EINVAL, "device buffer: no model or no bytes");
	if (m->device == CC_DEVICE_CPU || !m->backend || !m->backend->buf_new)
		return cc_error_set(CC_EUNSUPPORTED, "device buffer: the model runs on the CPU");
	if (!(b = calloc(1, sizeof(*b))))
		return cc_error_set(CC_ENOMEM, "device buffer: out of memory");
	if ((rc = m->backend->buf_new(m, &b->p, src, bytes))) {
		free(b);
		return rc;
	}
	b->m = m;
	b->bytes = bytes;
	*out = b;
	return CC_OK;
}

void cc_devbuf_free(cc_devbuf *b)
{
	if (!b)
		return;
	b->m->backend->buf_free(b->m, b->p);
	free(b);
}

const void *cc_devbuf_at(const cc_devbuf *b, size_t off)
{
	return (const char *)b->p + off;
}

size_t cc_devbuf_bytes(const cc_devbuf *b)
{
	return b->bytes;
}

const cc_model *cc_devbuf_model(const cc_devbuf *b)
{
	return b->m;
}

void cc_model_info_get(cc_model_info *out, const cc_model *m)
{
	*out = m->info;
}
