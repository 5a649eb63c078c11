/*
 * test_engine_errors.c - broken and variant checkpoints, made from copies of the tiny Qwen2
 * fixture in a temporary directory: a truncated file, an unsupported dtype, a missing tensor,
 * a mis-shaped tensor, a bad header, an unknown architecture, bad config JSON, RoPE scaling,
 * a shard named by the index that is absent, no weights at all, no config; each must fail
 * with the right status and a message naming the culprit. Positive variants: the same
 * weights stored as F32 (identical logits) and F16 (close), and split into two shards with an
 * index (identical logits).
 */
#include "cc_common.h"
#include "cc_engine.h"
#include "test.h"
#include "tiny_ckpt.h"

#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define SRC "fixtures/engine/qwen2-tiny"

static char g_tmp[256];
static char *g_cfg, *g_st;
static size_t g_cfg_len, g_st_len;

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(fwrite(data, 1, len, f) == len);
	fclose(f);
}

/* A fresh directory under the temp root. */
static const char *case_dir(const char *name)
{
	static char d[512];
	snprintf(d, sizeof(d), "%s/%s", g_tmp, name);
	mkdir(d, 0700);
	return d;
}

static json_t *header_of(const char *st, size_t *hlen)
{
	uint64_t h = 0;
	for (int k = 7; k >= 0; k--)
		h = (h << 8) | (unsigned char)st[k];
	*hlen = (size_t)h;
	return json_loadb(st + 8, (size_t)h, 0, NULL);
}

/* Write `hdr` + data bytes as a safetensors file. */
static void write_st(const char *dir, const char *name, json_t *hdr, const void *data,
                     size_t dlen)
{
	char *js = json_dumps(hdr, JSON_COMPACT | JSON_SORT_KEYS);
	size_t jl = strlen(js), pad = (8 - jl % 8) % 8, tot = 8 + jl + pad + dlen;
	unsigned char *buf = malloc(tot);
	uint64_t h = jl + pad;
	for (int k = 0; k < 8; k++)
		buf[k] = (unsigned char)(h >> (8 * k));
	memcpy(buf + 8, js, jl);
	memset(buf + 8 + jl, ' ', pad);
	memcpy(buf + 8 + jl + pad, data, dlen);
	write_file(dir, name, buf, tot);
	free(buf);
	free(js);
}

/* Copy of the fixture with a header edit (data unchanged). */
static const char *with_header(const char *name, void (*edit)(json_t *))
{
	const char *d = case_dir(name);
	size_t hl;
	json_t *h = header_of(g_st, &hl);
	edit(h);
	write_st(d, "model.safetensors", h, g_st + 8 + hl, g_st_len - 8 - hl);
	json_decref(h);
	write_file(d, "config.json", g_cfg, g_cfg_len);
	return d;
}

static const char *with_config(const char *name, const char *from, const char *to)
{
	const char *d = case_dir(name);
	char *c = malloc(g_cfg_len + strlen(to) + 1), *p = strstr(g_cfg, from);
	CHECK(p != NULL);
	size_t pre = (size_t)(p - g_cfg);
	memcpy(c, g_cfg, pre);
	strcpy(c + pre, to);
	strcat(c, p + strlen(from));
	write_file(d, "config.json", c, strlen(c));
	write_file(d, "model.safetensors", g_st, g_st_len);
	free(c);
	return d;
}

static void expect_fail(const char *dir, int rc, const char *needle1, const char *needle2)
{
	cc_model *m = NULL;
	int got = cc_model_load(&m, dir, NULL);
	const char *msg = cc_error_last();
	CHECK_EQ_INT(got, rc);
	CHECK(m == NULL);
	if (needle1 && !strstr(msg, needle1)) {
		fprintf(stderr, "message lacks '%s': %s\n", needle1, msg);
		CHECK(0);
	}
	if (needle2 && !strstr(msg, needle2)) {
		fprintf(stderr, "message lacks '%s': %s\n", needle2, msg);
		CHECK(0);
	}
	cc_model_free(m);
}

static void edit_dtype(json_t *h)
{
	json_object_set_new(json_object_get(h, "model.norm.weight"), "dtype", json_string("I16"));
}

static void edit_missing(json_t *h)
{
	json_object_del(h, "model.layers.1.self_attn.k_proj.bias");
}

static void edit_shape(json_t *h)
{
	json_object_set_new(json_object_get(h, "model.layers.0.self_attn.q_proj.weight"), "shape",
	                    json_pack("[ii]", 32, 128));
}

static void edit_size(json_t *h)
{
	json_object_set_new(json_object_get(h, "model.layers.0.self_attn.q_proj.weight"), "shape",
	                    json_pack("[ii]", 64, 65));
}

/* Logits for fixed ids from a checkpoint directory. */
static int run_logits(const char *dir, float *out)
{
	cc_model *m = NULL;
	cc_session *s = NULL;
	int32_t ids[24];
	int rc;
	for (int i = 0; i < 24; i++)
		ids[i] = (i * 37 + 11) % 512;
	if ((rc = cc_model_load(&m, dir, NULL)))
		return rc;
	if (!(rc = cc_session_new(&s, m, NULL)))
		rc = cc_session_prefill(s, ids, 24, out);
	cc_session_free(s);
	cc_model_free(m);
	return rc;
}

/* Rewrite every tensor into dtype F32 or F16 (converting from BF16). */
static const char *convert_to(const char *name, const char *dt)
{
	const char *d = case_dir(name);
	size_t hl, total = 0, off = 0;
	json_t *h = header_of(g_st, &hl), *v, *out = json_object();
	const char *key;
	int f32 = !strcmp(dt, "F32");
	json_object_foreach(h, key, v)
	{
		json_t *o = json_object_get(v, "data_offsets");
		if (!o)
			continue;
		json_int_t span = json_integer_value(json_array_get(o, 1)) -
		                  json_integer_value(json_array_get(o, 0));
		total += (size_t)span / 2 * (f32 ? 4 : 2);
	}
	unsigned char *data = malloc(total);
	json_object_foreach(h, key, v)
	{
		json_t *o = json_object_get(v, "data_offsets");
		if (!o)
			continue;
		size_t b = (size_t)json_integer_value(json_array_get(o, 0)),
		       e = (size_t)json_integer_value(json_array_get(o, 1)), n = (e - b) / 2;
		const unsigned char *src = (const unsigned char *)g_st + 8 + hl + b;
		for (size_t i = 0; i < n; i++) {
			uint32_t u = (uint32_t)(src[2 * i] | (src[2 * i + 1] << 8)) << 16;
			float f;
			memcpy(&f, &u, 4);
			if (f32) {
				memcpy(data + off + 4 * i, &f, 4);
			} else {
				/* f32 -> f16 by the C compiler's own conversion (_Float16) is not
				 * portable; these weights are normal-range values: truncate exactly */
				uint32_t x = u, sgn = (x >> 16) & 0x8000;
				int ex = (int)((x >> 23) & 0xff) - 127 + 15;
				uint16_t hv;
				if (ex <= 0)
					hv = (uint16_t)sgn; /* flush tiny values to zero */
				else
					hv = (uint16_t)(sgn | ((uint32_t)ex << 10) | ((x >> 13) & 0x3ff));
				memcpy(data + off + 2 * i, &hv, 2);
			}
		}
		size_t nb = n * (f32 ? 4 : 2);
		json_t *nv = json_deep_copy(v);
		json_object_set_new(nv, "dtype", json_string(dt));
		json_object_set_new(nv, "data_offsets",
		                    json_pack("[II]", (json_int_t)off, (json_int_t)(off + nb)));
		json_object_set_new(out, key, nv);
		off += nb;
	}
	write_st(d, "model.safetensors", out, data, total);
	write_file(d, "config.json", g_cfg, g_cfg_len);
	free(data);
	json_decref(h);
	json_decref(out);
	return d;
}

/* Split into two shards with an index. */
static const char *sharded(const char *name, int drop_second)
{
	const char *d = case_dir(name);
	size_t hl;
	json_t *h = header_of(g_st, &hl), *v, *a = json_object(), *b = json_object(),
	       *idx = json_object(), *map = json_object();
	const char *key;
	int i = 0;
	json_object_foreach(h, key, v)
	{
		if (!json_object_get(v, "data_offsets"))
			continue;
		json_object_set(i % 2 ? b : a, key, v);
		const char *part = i % 2 ? "part-2.safetensors" : "part-1.safetensors";
		json_object_set_new(map, key, json_string(part));
		i++;
	}
	/* each shard keeps the whole data area; offsets stay valid */
	write_st(d, "part-1.safetensors", a, g_st + 8 + hl, g_st_len - 8 - hl);
	if (!drop_second)
		write_st(d, "part-2.safetensors", b, g_st + 8 + hl, g_st_len - 8 - hl);
	json_object_set_new(idx, "weight_map", map);
	char *js = json_dumps(idx, 0);
	write_file(d, "model.safetensors.index.json", js, strlen(js));
	write_file(d, "config.json", g_cfg, g_cfg_len);
	free(js);
	json_decref(h);
	json_decref(a);
	json_decref(b);
	json_decref(idx);
	return d;
}

int main(void)
{
	float ref[512], got[512];
	const char *d;

	snprintf(g_tmp, sizeof(g_tmp), "/tmp/cc_engine_errXXXXXX");
	if (!mkdtemp(g_tmp))
		return 1;
	if (cc_read_file(&g_cfg, &g_cfg_len, SRC "/config.json", 0) ||
	    cc_read_file(&g_st, &g_st_len, SRC "/model.safetensors", 0)) {
		fprintf(stderr, "fixture: %s\n", cc_error_last());
		return 1;
	}

	/* truncated: the last tensor's data is cut off */
	d = case_dir("truncated");
	write_file(d, "config.json", g_cfg, g_cfg_len);
	write_file(d, "model.safetensors", g_st, g_st_len - 1000);
	expect_fail(d, CC_EINVAL, "truncated", "model.safetensors");
	/* shorter than the header */
	write_file(d, "model.safetensors", g_st, 100);
	expect_fail(d, CC_EINVAL, "truncated", NULL);
	write_file(d, "model.safetensors", g_st, 3);
	expect_fail(d, CC_EINVAL, "truncated", NULL);

	expect_fail(with_header("dtype", edit_dtype), CC_EUNSUPPORTED, "model.norm.weight", "I16");
	expect_fail(with_header("missing", edit_missing), CC_ENOTFOUND,
	            "model.layers.1.self_attn.k_proj.bias", NULL);
	expect_fail(with_header("shape", edit_shape), CC_EINVAL,
	            "model.layers.0.self_attn.q_proj.weight", "[32, 128], expected [64, 64]");
	expect_fail(with_header("size", edit_size), CC_EINVAL, "q_proj.weight", "needs");

	d = case_dir("badheader");
	{
		char bad[64] = {0};
		bad[0] = 20;
		memcpy(bad + 8, "{\"a\": not json}     ", 20);
		write_file(d, "model.safetensors", bad, 28);
		write_file(d, "config.json", g_cfg, g_cfg_len);
		expect_fail(d, CC_EPARSE, "not valid JSON", NULL);
		bad[0] = 0;
		bad[5] = 1; /* absurd header length */
		write_file(d, "model.safetensors", bad, 28);
		expect_fail(d, CC_EPARSE, "header length", NULL);
	}

	expect_fail(with_config("arch", "Qwen2ForCausalLM", "MistralForCausalLM"), CC_EUNSUPPORTED,
	            "MistralForCausalLM", NULL);
	expect_fail(with_config("act", "\"silu\"", "\"gelu\""), CC_EUNSUPPORTED, "gelu", NULL);
	expect_fail(with_config("rope", "\"rope_type\": \"default\"", "\"rope_type\": \"yarn\""),
	            CC_EUNSUPPORTED, "yarn", NULL);
	/* llama3 scaling without its parameters: the missing field is named */
	expect_fail(with_config("rope_l3", "\"rope_type\": \"default\"", "\"rope_type\": \"llama3\""),
	            CC_EINVAL, "factor", NULL);
	expect_fail(with_config("json", "{", "{{"), CC_EPARSE, "config.json", NULL);
	expect_fail(with_config("heads", "\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"),
	            CC_EINVAL, "num_key_value_heads", NULL);
	expect_fail(with_config("layers", "\"num_hidden_layers\": 2", "\"num_hidden_layers\": \"2\""),
	            CC_EINVAL, "num_hidden_layers", NULL);
	/* fewer layers than the checkpoint holds: refused, not a silently truncated model */
	expect_fail(with_config("fewer_layers", "\"num_hidden_layers\": 2", "\"num_hidden_layers\": 1"),
	            CC_EINVAL, "num_hidden_layers = 1", "model.layers.1.");

	d = case_dir("noweights");
	write_file(d, "config.json", g_cfg, g_cfg_len);
	expect_fail(d, CC_ENOTFOUND, "model.safetensors", NULL);
	expect_fail(case_dir("empty"), CC_ENOTFOUND, "config.json", NULL);
	expect_fail(sharded("shard_missing", 1), CC_ENOTFOUND, "part-2.safetensors", NULL);

	/* positive variants give the same model */
	CHECK_EQ_INT(run_logits(SRC, ref), CC_OK);
	CHECK_EQ_INT(run_logits(convert_to("f32", "F32"), got), CC_OK);
	for (int i = 0; i < 512; i++)
		CHECK(got[i] == ref[i]);
	CHECK_EQ_INT(run_logits(sharded("shards", 0), got), CC_OK);
	for (int i = 0; i < 512; i++)
		CHECK(got[i] == ref[i]);
	CHECK_EQ_INT(run_logits(convert_to("f16", "F16"), got), CC_OK);
	double md = 0;
	for (int i = 0; i < 512; i++)
		md = fmax(md, fabs((double)got[i] - ref[i]));
	fprintf(stderr, "f16 copy: max |dlogit| %.2e\n", md);
	CHECK(md < 1e-2);
	{
		cc_model *m = NULL;
		cc_model_opts mo = {CC_DEVICE_CUDA, 1};
		int rc = cc_model_load(&m, SRC, &mo);
		/* without a CUDA backend or device: a clear refusal, never a crash */
		if (rc != CC_OK)
			CHECK(rc == CC_EUNSUPPORTED || rc == CC_ECUDA);
		cc_model_free(m);
	}

	/* A model larger than the machine (a Llama-70B-wide shape with layers enough for twice
	 * this machine's memory in bf16; sparse files, no disk): refused at load with the sizes
	 * named - f32 weights before they are converted (the copies would be touched into an
	 * out-of-memory kill), bf16 weights read in place before every forward pass has to
	 * page them from disk. */
	{
		long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
		double ram = pages > 0 && psz > 0 ? (double)pages * (double)psz : 64e9;
		tiny_shape big = {"larger than memory", 0, 0, 8192, 64, 8, 128, 28672, 128256, 0};
		double layer = 2.0 * (2.0 * 8192 * 8192 + 2.0 * 1024 * 8192 + 3.0 * 28672 * 8192);
		big.n_layers = (int)(2 * ram / layer) + 1;
		for (int bf16 = 0; bf16 < 2; bf16++) {
			tiny_model tm;
			d = case_dir(bf16 ? "huge_bf16" : "huge_f32");
			tiny_model_make_sparse(&tm, &big, bf16);
			CHECK(tiny_model_write(&tm, d) == 0);
			tiny_model_free(&tm);
			expect_fail(d, CC_ENOMEM, "the model's weights need", "available");
			fprintf(stderr, "%d layers, %s: %s\n", big.n_layers, bf16 ? "bf16" : "f32",
			        cc_error_last());
		}
	}

	free(g_cfg);
	free(g_st);
	{
		char cmd[512];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_tmp);
		CHECK(system(cmd) == 0);
	}
	return test_result();
}
