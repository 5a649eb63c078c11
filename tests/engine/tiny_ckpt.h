/*
 * tiny_ckpt.h - tiny random Llama / Qwen2 checkpoints with the attention shapes of real code
 * models (head counts, GQA group, head_dim) but a small hidden size, few layers and a small
 * vocabulary, written by the tests themselves (no network, no Python): config.json plus one
 * model.safetensors in f32. Also a plain double-precision reference forward pass over a whole
 * token sequence, written from the Hugging Face modelling code and independent of the engine,
 * for checking the engine on those shapes. Header-only, for tests (tests/engine,
 * tests/gpu).
 */
#ifndef CC_TINY_CKPT_H
#define CC_TINY_CKPT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
	const char *name; /* what the shape stands for, in messages */
	int qwen2;        /* Qwen2ForCausalLM (q/k/v bias) or LlamaForCausalLM */
	int n_layers, hidden, n_heads, n_kv_heads, head_dim, intermediate, vocab;
	/* Llama 3 RoPE scaling (config.json rope_scaling, rope_type "llama3") with factor 8,
	 * low_freq_factor 1, high_freq_factor 4 and original_max_position_embeddings 16, so
	 * that short sequences cross all three bands; 0 = plain RoPE */
	int llama3_rope;
} tiny_shape;

/* The attention shapes of the models code agents use, small elsewhere. */
static const tiny_shape tiny_shapes[] = {
	{"qwen2.5-coder-1.5b heads (12/2, group 6, hd 128)", 1, 2, 64, 12, 2, 128, 96, 160, 0},
	{"qwen2.5-coder-7b heads (28/4, group 7, hd 128)", 1, 2, 64, 28, 4, 128, 96, 160, 0},
	{"qwen2.5-coder-14b/32b heads (40/8, group 5, hd 128)", 1, 2, 64, 40, 8, 128, 96, 160, 0},
	{"llama-3.1-8b heads (32/8, group 4, hd 128)", 0, 2, 64, 32, 8, 128, 96, 160, 0},
	{"llama-3.2-1b heads (32/8, hd 64)", 0, 2, 64, 32, 8, 64, 96, 160, 0},
	{"hd 80 (20/4, group 5)", 0, 2, 64, 20, 4, 80, 96, 160, 0},
	{"hd 96 (24/8, group 3)", 1, 2, 64, 24, 8, 96, 96, 160, 0},
	{"group 16 (32/2, hd 64)", 0, 2, 64, 32, 2, 64, 96, 160, 0},
	{"llama-3.1-8b heads with llama3 rope scaling (32/8, hd 128)", 0, 2, 64, 32, 8, 128, 96, 160, 1},
};
#define TINY_N_SHAPES (sizeof(tiny_shapes) / sizeof(tiny_shapes[0]))

typedef struct {
	char name[96];
	int64_t d0, d1; /* d1 = 0: a vector */
	float *data;
} tiny_tensor;

typedef struct {
	tiny_shape s;
	tiny_tensor *t;
	size_t n;
	/* tiny_model_make_sparse: tensors without data, written as holes of a sparse file in
	 * the dtype below (a checkpoint of a real model's size that takes no disk) */
	int sparse;
	int bf16; /* tiny_model_write's dtype: BF16, else F32 */
} tiny_model;

static uint64_t tiny_rng;

static inline double tiny_uniform(void)
{
	tiny_rng ^= tiny_rng << 13;
	tiny_rng ^= tiny_rng >> 7;
	tiny_rng ^= tiny_rng << 17;
	return (double)(tiny_rng >> 11) * (1.0 / 9007199254740992.0);
}

static inline float *tiny_add(tiny_model *m, const char *name, int64_t d0, int64_t d1, double scale,
                              double offset)
{
	tiny_tensor *t = &m->t[m->n++];
	size_t n = (size_t)d0 * (size_t)(d1 ? d1 : 1);
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->d0 = d0;
	t->d1 = d1;
	t->data = NULL;
	if (m->sparse)
		return NULL;
	t->data = malloc(n * sizeof(float));
	if (!t->data)
		abort();
	for (size_t i = 0; i < n; i++)
		t->data[i] = (float)(offset + scale * (2 * tiny_uniform() - 1));
	return t->data;
}

/* Fill m with random weights for shape s (seeded; same seed, same weights). */
static inline void tiny_model_fill(tiny_model *m, const tiny_shape *s, uint64_t seed)
{
	int H = s->hidden, Q = s->n_heads * s->head_dim, KV = s->n_kv_heads * s->head_dim;
	int I = s->intermediate;
	char nm[96];
	m->s = *s;
	m->t = calloc(4 + 16 * (size_t)s->n_layers, sizeof(tiny_tensor));
	if (!m->t)
		abort();
	tiny_rng = seed * 0x9e3779b97f4a7c15ull + 1;
	tiny_add(m, "model.embed_tokens.weight", s->vocab, H, 1.0, 0);
	/* projections scaled so that activations stay O(1) and attention is not uniform */
	double sa = 1.5 / sqrt((double)H), so = 1.0 / sqrt((double)Q), sd = 1.0 / sqrt((double)I);
	for (int l = 0; l < s->n_layers; l++) {
#define T(suffix, d0, d1, sc, off)                                 \
	snprintf(nm, sizeof(nm), "model.layers.%d.%s", l, suffix); \
	tiny_add(m, nm, d0, d1, sc, off)
		T("input_layernorm.weight", H, 0, 0.2, 1.0);
		T("self_attn.q_proj.weight", Q, H, 2 * sa, 0);
		T("self_attn.k_proj.weight", KV, H, 2 * sa, 0);
		T("self_attn.v_proj.weight", KV, H, sa, 0);
		if (s->qwen2) {
			T("self_attn.q_proj.bias", Q, 0, 0.3, 0);
			T("self_attn.k_proj.bias", KV, 0, 0.3, 0);
			T("self_attn.v_proj.bias", KV, 0, 0.3, 0);
		}
		T("self_attn.o_proj.weight", H, Q, so, 0);
		T("post_attention_layernorm.weight", H, 0, 0.2, 1.0);
		T("mlp.gate_proj.weight", I, H, 2 * sa, 0);
		T("mlp.up_proj.weight", I, H, 2 * sa, 0);
		T("mlp.down_proj.weight", H, I, sd, 0);
#undef T
	}
	tiny_add(m, "model.norm.weight", H, 0, 0.2, 1.0);
	tiny_add(m, "lm_head.weight", s->vocab, H, 4.0 / sqrt((double)H), 0);
}

static inline void tiny_model_make(tiny_model *m, const tiny_shape *s, uint64_t seed)
{
	memset(m, 0, sizeof(*m));
	tiny_model_fill(m, s, seed);
}

/* Shape s with no data: tiny_model_write makes a sparse file of the checkpoint's full size in
 * BF16 (bf16 = 1) or F32, for refusals of models larger than the machine. */
static inline void tiny_model_make_sparse(tiny_model *m, const tiny_shape *s, int bf16)
{
	memset(m, 0, sizeof(*m));
	m->sparse = 1;
	m->bf16 = bf16;
	tiny_model_fill(m, s, 1);
}

static inline void tiny_model_free(tiny_model *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->t[i].data);
	free(m->t);
	memset(m, 0, sizeof(*m));
}

static inline const float *tiny_get(const tiny_model *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->t[i].name, name))
			return m->t[i].data;
	return NULL;
}

/* Write dir/config.json and dir/model.safetensors (dir is created). Returns 0 or -1. */
static inline int tiny_model_write(const tiny_model *m, const char *dir)
{
	const tiny_shape *s = &m->s;
	char path[1024], *hdr = NULL;
	size_t cap = 256 + m->n * 200, len, off = 0;
	FILE *f;
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	if (!(f = fopen(path, "w")))
		return -1;
	fprintf(f,
	        "{\"architectures\": [\"%s\"], \"model_type\": \"%s\", \"hidden_act\": \"silu\",\n"
	        " \"num_hidden_layers\": %d, \"hidden_size\": %d, \"num_attention_heads\": %d,\n"
	        " \"num_key_value_heads\": %d, \"head_dim\": %d, \"intermediate_size\": %d,\n"
	        " \"vocab_size\": %d, \"max_position_embeddings\": 4096, \"rope_theta\": 10000.0,\n"
	        " \"rms_norm_eps\": 1e-06, \"tie_word_embeddings\": false, \"torch_dtype\": "
	        "\"float32\"%s}\n",
	        s->qwen2 ? "Qwen2ForCausalLM" : "LlamaForCausalLM", s->qwen2 ? "qwen2" : "llama",
	        s->n_layers, s->hidden, s->n_heads, s->n_kv_heads, s->head_dim, s->intermediate,
	        s->vocab,
	        s->llama3_rope ? ",\n \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0, "
	                         "\"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, "
	                         "\"original_max_position_embeddings\": 16}"
	                       : "");
	if (fclose(f))
		return -1;
	if (!(hdr = malloc(cap)))
		return -1;
	len = (size_t)snprintf(hdr, cap, "{");
	for (size_t i = 0; i < m->n; i++) {
		const tiny_tensor *t = &m->t[i];
		size_t nb = (size_t)t->d0 * (size_t)(t->d1 ? t->d1 : 1) * (m->bf16 ? 2 : 4);
		const char *dt = m->bf16 ? "BF16" : "F32";
		if (t->d1)
			len += (size_t)snprintf(hdr + len, cap - len,
			                        "%s\"%s\":{\"dtype\":\"%s\",\"shape\":[%lld,%lld],"
			                        "\"data_offsets\":[%zu,%zu]}",
			                        i ? "," : "", t->name, dt, (long long)t->d0,
			                        (long long)t->d1, off, off + nb);
		else
			len += (size_t)snprintf(hdr + len, cap - len,
			                        "%s\"%s\":{\"dtype\":\"%s\",\"shape\":[%lld],"
			                        "\"data_offsets\":[%zu,%zu]}",
			                        i ? "," : "", t->name, dt, (long long)t->d0, off, off + nb);
		off += nb;
	}
	len += (size_t)snprintf(hdr + len, cap - len, "}");
	while (len % 8)
		hdr[len++] = ' ';
	snprintf(path, sizeof(path), "%s/model.safetensors", dir);
	if (!(f = fopen(path, "wb"))) {
		free(hdr);
		return -1;
	}
	uint64_t hl = len;
	int bad = fwrite(&hl, 8, 1, f) != 1 || fwrite(hdr, 1, len, f) != len;
	if (m->sparse) /* the data: one hole */
		bad = bad || fflush(f) || ftruncate(fileno(f), (off_t)(8 + len + off));
	for (size_t i = 0; i < m->n && !bad && !m->sparse; i++) {
		const tiny_tensor *t = &m->t[i];
		size_t ne = (size_t)t->d0 * (size_t)(t->d1 ? t->d1 : 1);
		bad = fwrite(t->data, 4, ne, f) != ne;
	}
	free(hdr);
	if (fclose(f) || bad)
		return -1;
	return 0;
}

/* y[o] = sum_i W[o][i] x[i] (+ b[o]) for a [out][in] weight. */
static inline void tiny_linear(double *y, const double *x, const float *W, const float *b, int out,
                               int in)
{
	for (int o = 0; o < out; o++) {
		double a = b ? b[o] : 0;
		for (int i = 0; i < in; i++)
			a += (double)W[(size_t)o * in + i] * x[i];
		y[o] = a;
	}
}

static inline void tiny_rmsnorm(double *y, const double *x, const float *w, int n)
{
	double ss = 0;
	for (int i = 0; i < n; i++)
		ss += x[i] * x[i];
	double r = 1.0 / sqrt(ss / n + 1e-6);
	for (int i = 0; i < n; i++)
		y[i] = x[i] * r * w[i];
}

/* The rotation frequency of pair i: theta^(-2i/hd), with Llama 3 scaling (Meta's reference
 * apply_scaling: wavelengths over 16 / 1 divided by 8, under 16 / 4 kept, smooth between). */
static inline double tiny_freq(int i, int hd, int llama3)
{
	double f = pow(10000.0, -2.0 * i / hd);
	if (llama3) {
		double wl = 2 * M_PI / f;
		if (wl > 16.0)
			f /= 8.0;
		else if (wl >= 4.0) {
			double sm = (16.0 / wl - 1.0) / (4.0 - 1.0);
			f = (1 - sm) * f / 8.0 + sm * f;
		}
	}
	return f;
}

static inline void tiny_rope(double *v, int heads, int hd, int pos, int llama3)
{
	int half = hd / 2;
	for (int h = 0; h < heads; h++)
		for (int i = 0; i < half; i++) {
			double ang = pos * tiny_freq(i, hd, llama3);
			double c = cos(ang), s = sin(ang);
			double *x = v + (size_t)h * hd;
			double x0 = x[i], x1 = x[i + half];
			x[i] = x0 * c - x1 * s;
			x[i + half] = x1 * c + x0 * s;
		}
}

/* Reference forward of ids[0..n) at positions 0..n-1: logits[i * vocab ..] after token i.
 * Query head h uses KV head h / (n_heads / n_kv_heads), as in Hugging Face's repeat_kv.
 * keep (NULL = none) masks keys for the queries at positions >= n_ctx: query i >= n_ctx of
 * layer l attends to key j < n_ctx of KV head kh only when keep[(l * n_kv_heads + kh) * n_ctx
 * + j] (the brute-force reference of a cache compacted after a prefill of n_ctx tokens). */
static inline void tiny_reference_masked(const tiny_model *m, const int32_t *ids, int n,
                                         const unsigned char *keep, int n_ctx, double *logits)
{
	const tiny_shape *s = &m->s;
	int H = s->hidden, nh = s->n_heads, kvh = s->n_kv_heads, hd = s->head_dim;
	int Q = nh * hd, KV = kvh * hd, I = s->intermediate, G = nh / kvh;
	double *x = calloc((size_t)n * H, sizeof(double)), *xn = malloc((size_t)H * sizeof(double));
	double *q = malloc((size_t)n * Q * sizeof(double)), *k = malloc((size_t)n * KV * sizeof(double));
	double *v = malloc((size_t)n * KV * sizeof(double)), *att = malloc((size_t)Q * sizeof(double));
	double *o = malloc((size_t)H * sizeof(double)), *g = malloc((size_t)I * sizeof(double));
	double *u = malloc((size_t)I * sizeof(double)), *p = malloc((size_t)n * sizeof(double));
	char nm[96];
	if (!x || !xn || !q || !k || !v || !att || !o || !g || !u || !p)
		abort();
	const float *emb = tiny_get(m, "model.embed_tokens.weight");
	for (int i = 0; i < n; i++)
		for (int j = 0; j < H; j++)
			x[(size_t)i * H + j] = emb[(size_t)ids[i] * H + j];
#define W(suffix) (snprintf(nm, sizeof(nm), "model.layers.%d.%s", l, suffix), tiny_get(m, nm))
	for (int l = 0; l < s->n_layers; l++) {
		for (int i = 0; i < n; i++) {
			tiny_rmsnorm(xn, x + (size_t)i * H, W("input_layernorm.weight"), H);
			tiny_linear(q + (size_t)i * Q, xn, W("self_attn.q_proj.weight"),
			            W("self_attn.q_proj.bias"), Q, H);
			tiny_linear(k + (size_t)i * KV, xn, W("self_attn.k_proj.weight"),
			            W("self_attn.k_proj.bias"), KV, H);
			tiny_linear(v + (size_t)i * KV, xn, W("self_attn.v_proj.weight"),
			            W("self_attn.v_proj.bias"), KV, H);
			tiny_rope(q + (size_t)i * Q, nh, hd, i, s->llama3_rope);
			tiny_rope(k + (size_t)i * KV, kvh, hd, i, s->llama3_rope);
		}
		for (int i = 0; i < n; i++) {
			for (int h = 0; h < nh; h++) {
				int kh = h / G;
				double mx = -INFINITY, z = 0;
				for (int j = 0; j <= i; j++) {
					if (keep && i >= n_ctx && j < n_ctx &&
					    !keep[((size_t)l * kvh + kh) * n_ctx + j]) {
						p[j] = -INFINITY;
						continue;
					}
					double d = 0;
					for (int e = 0; e < hd; e++)
						d += q[((size_t)i * nh + h) * hd + e] *
						     k[((size_t)j * kvh + kh) * hd + e];
					p[j] = d / sqrt((double)hd);
					if (p[j] > mx)
						mx = p[j];
				}
				for (int j = 0; j <= i; j++)
					z += p[j] = exp(p[j] - mx);
				for (int e = 0; e < hd; e++) {
					double a = 0;
					for (int j = 0; j <= i; j++)
						a += p[j] / z * v[((size_t)j * kvh + kh) * hd + e];
					att[(size_t)h * hd + e] = a;
				}
			}
			tiny_linear(o, att, W("self_attn.o_proj.weight"), NULL, H, Q);
			for (int j = 0; j < H; j++)
				x[(size_t)i * H + j] += o[j];
		}
		for (int i = 0; i < n; i++) {
			double *xi = x + (size_t)i * H;
			tiny_rmsnorm(xn, xi, W("post_attention_layernorm.weight"), H);
			tiny_linear(g, xn, W("mlp.gate_proj.weight"), NULL, I, H);
			tiny_linear(u, xn, W("mlp.up_proj.weight"), NULL, I, H);
			for (int j = 0; j < I; j++)
				g[j] = g[j] / (1 + exp(-g[j])) * u[j];
			tiny_linear(o, g, W("mlp.down_proj.weight"), NULL, H, I);
			for (int j = 0; j < H; j++)
				xi[j] += o[j];
		}
	}
#undef W
	for (int i = 0; i < n; i++) {
		tiny_rmsnorm(xn, x + (size_t)i * H, tiny_get(m, "model.norm.weight"), H);
		tiny_linear(logits + (size_t)i * s->vocab, xn, tiny_get(m, "lm_head.weight"), NULL,
		            s->vocab, H);
	}
	free(x);
	free(xn);
	free(q);
	free(k);
	free(v);
	free(att);
	free(o);
	free(g);
	free(u);
	free(p);
}

static inline void tiny_reference(const tiny_model *m, const int32_t *ids, int n, double *logits)
{
	tiny_reference_masked(m, ids, n, NULL, 0, logits);
}

#endif
