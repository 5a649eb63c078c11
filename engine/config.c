/*
 * config.c - config.json of a Hugging Face Llama / Qwen2 checkpoint into cc_model_config.
 * Only what changes the computation is read; anything we would compute wrongly (another
 * architecture, activation, RoPE scaling, sliding window) is refused by name.
 */
#include "cc_common.h"
#include "engine_int.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

/* Integer field: *out = value, def when absent (def < 0: required). */
static int get_int(int *out, json_t *root, const char *key, int def, int lo, int hi,
                   const char *what)
{
	json_t *v = json_object_get(root, key);
	if (!v || json_is_null(v)) {
		if (def < 0)
			return cc_error_set(CC_EINVAL, "%s: missing field '%s'", what, key);
		*out = def;
		return CC_OK;
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return cc_error_set(CC_EINVAL, "%s: field '%s' must be an integer in %d..%d", what, key,
		                    lo, hi);
	*out = (int)json_integer_value(v);
	return CC_OK;
}

static int get_num(double *out, json_t *obj, const char *key, double def, const char *what)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v)) {
		*out = def;
		return CC_OK;
	}
	if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) <= 0)
		return cc_error_set(CC_EINVAL, "%s: field '%s' must be a positive number", what, key);
	*out = json_number_value(v);
	return CC_OK;
}

static int get_bool(int *out, json_t *root, const char *key, int def, const char *what)
{
	json_t *v = json_object_get(root, key);
	if (!v || json_is_null(v)) {
		*out = def;
		return CC_OK;
	}
	if (!json_is_boolean(v))
		return cc_error_set(CC_EINVAL, "%s: field '%s' must be true or false", what, key);
	*out = json_is_true(v);
	return CC_OK;
}

/* bos/eos: an integer, a list (first element) or null. */
static int32_t get_token(json_t *root, const char *key)
{
	json_t *v = json_object_get(root, key);
	if (json_is_array(v))
		v = json_array_get(v, 0);
	if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) < INT32_MAX)
		return (int32_t)json_integer_value(v);
	return -1;
}

/* RoPE: theta from rope_theta or rope_parameters.rope_theta; rope type "default", or
 * "llama3" with its four parameters (from rope_scaling or rope_parameters); any other rope
 * type (scaling) is refused. */
static int get_rope(cc_model_config *c, json_t *root, const char *what)
{
	json_t *rp = json_object_get(root, "rope_parameters");
	json_t *rs = json_object_get(root, "rope_scaling");
	int rc;

	rc = get_num(&c->rope_theta, root, "rope_theta", 10000.0, what);
	if (rc)
		return rc;
	if (json_is_object(rp) && json_object_get(rp, "rope_theta")) {
		rc = get_num(&c->rope_theta, rp, "rope_theta", 10000.0, what);
		if (rc)
			return rc;
	}
	for (int i = 0; i < 2; i++) {
		json_t *o = i ? rs : rp;
		if (!o || json_is_null(o))
			continue;
		if (!json_is_object(o))
			return cc_error_set(CC_EINVAL, "%s: field '%s' must be an object", what,
			                    i ? "rope_scaling" : "rope_parameters");
		json_t *t = json_object_get(o, "rope_type");
		if (!t)
			t = json_object_get(o, "type");
		if (t && json_is_string(t) && !strcmp(json_string_value(t), "llama3")) {
			const char *on = i ? "rope_scaling" : "rope_parameters";
			char key[256];
			json_t *om = json_object_get(o, "original_max_position_embeddings");
			c->rope_type = CC_ROPE_LLAMA3;
			snprintf(key, sizeof(key), "%s: %s", what, on);
			if (!json_object_get(o, "factor"))
				return cc_error_set(CC_EINVAL, "%s: missing field 'factor'", key);
			if ((rc = get_num(&c->rope_factor, o, "factor", 1.0, key)))
				return rc;
			snprintf(key, sizeof(key), "%s: %s", what, on);
			if ((rc = get_num(&c->rope_low_freq, o, "low_freq_factor", 1.0, key)))
				return rc;
			snprintf(key, sizeof(key), "%s: %s", what, on);
			if ((rc = get_num(&c->rope_high_freq, o, "high_freq_factor", 4.0, key)))
				return rc;
			if (!json_is_integer(om) || json_integer_value(om) < 1 ||
			    json_integer_value(om) > (1 << 24))
				return cc_error_set(CC_EINVAL,
				                    "%s: field '%s.original_max_position_"
				                    "embeddings' must be an integer in 1..%d",
				                    what, on,
				                    1 << 24);
			c->rope_orig_max = (int)json_integer_value(om);
			if (c->rope_high_freq <= c->rope_low_freq)
				return cc_error_set(CC_EINVAL,
				                    "%s: %s.high_freq_factor %g must exceed "
				                    "low_freq_factor %g",
				                    what, on, c->rope_high_freq,
				                    c->rope_low_freq);
			continue;
		}
		if (t && !(json_is_string(t) && !strcmp(json_string_value(t), "default")))
			return cc_error_set(CC_EUNSUPPORTED,
			                    "%s: unsupported rope type '%.40s' "
			                    "(default and llama3 are)",
			                    what,
			                    json_is_string(t) ? json_string_value(t) : "?");
	}
	return CC_OK;
}

void cc_rope_inv_freq(const cc_model_config *c, float *out)
{
	const float pi = 3.14159265358979323846f;
	for (int i = 0; i < c->head_dim / 2; i++) {
		float f = 1.0f / powf((float)c->rope_theta, (float)(2 * i) / (float)c->head_dim);
		if (c->rope_type == CC_ROPE_LLAMA3) {
			float factor = (float)c->rope_factor, lo = (float)c->rope_low_freq;
			float hi = (float)c->rope_high_freq, old = (float)c->rope_orig_max;
			float wavelen = 2 * pi / f;
			float scaled = wavelen > old / lo ? f / factor : f;
			if (!(wavelen < old / hi) && !(wavelen > old / lo)) {
				float smooth = (old / wavelen - lo) / (hi - lo);
				scaled = (1 - smooth) * scaled / factor + smooth * scaled;
			}
			f = scaled;
		}
		out[i] = f;
	}
}

int cc_model_config_parse(cc_model_config *out, const char *text, size_t len, const char *what)
{
	json_error_t jerr;
	json_t *root, *archs, *act;
	const char *arch;
	int rc = CC_OK, hd_def;

	memset(out, 0, sizeof(*out));
	root = json_loadb(text, len, 0, &jerr);
	if (!root)
		return cc_error_set(CC_EPARSE, "%s: not valid JSON (line %d: %s)", what, jerr.line,
		                    jerr.text);
	if (!json_is_object(root)) {
		rc = cc_error_set(CC_EPARSE, "%s: not a JSON object", what);
		goto out;
	}
	archs = json_object_get(root, "architectures");
	if (!json_is_array(archs) || !json_is_string(json_array_get(archs, 0))) {
		rc = cc_error_set(CC_EINVAL, "%s: missing field 'architectures'", what);
		goto out;
	}
	arch = json_string_value(json_array_get(archs, 0));
	if (!strcmp(arch, "LlamaForCausalLM"))
		out->arch = CC_ARCH_LLAMA;
	else if (!strcmp(arch, "Qwen2ForCausalLM"))
		out->arch = CC_ARCH_QWEN2;
	else {
		rc = cc_error_set(CC_EUNSUPPORTED,
		                  "%s: unsupported architecture '%.60s' (LlamaForCausalLM and "
		                  "Qwen2ForCausalLM are)",
		                  what, arch);
		goto out;
	}
	snprintf(out->arch_name, sizeof(out->arch_name), "%s", arch);
	act = json_object_get(root, "hidden_act");
	if (act && !(json_is_string(act) && !strcmp(json_string_value(act), "silu"))) {
		rc = cc_error_set(CC_EUNSUPPORTED, "%s: unsupported hidden_act '%.40s' (silu is)", what,
		                  json_is_string(act) ? json_string_value(act) : "?");
		goto out;
	}
	if ((rc = get_int(&out->n_layers, root, "num_hidden_layers", -1, 1, 1024, what)) ||
	    (rc = get_int(&out->hidden, root, "hidden_size", -1, 1, 1 << 16, what)) ||
	    (rc = get_int(&out->n_heads, root, "num_attention_heads", -1, 1, 1024, what)) ||
	    (rc = get_int(&out->n_kv_heads, root, "num_key_value_heads", out->n_heads, 1, 1024,
	                  what)) ||
	    (rc = get_int(&out->intermediate, root, "intermediate_size", -1, 1, 1 << 20, what)) ||
	    (rc = get_int(&out->vocab, root, "vocab_size", -1, 1, 1 << 24, what)) ||
	    (rc = get_int(&out->max_pos, root, "max_position_embeddings", 4096, 1, 1 << 24, what)))
		goto out;
	hd_def = out->hidden / out->n_heads;
	if ((rc = get_int(&out->head_dim, root, "head_dim", hd_def > 0 ? hd_def : 1, 1, 1024, what)))
		goto out;
	if (out->head_dim % 2) {
		rc = cc_error_set(CC_EINVAL, "%s: head_dim %d is odd (RoPE needs pairs)", what,
		                  out->head_dim);
		goto out;
	}
	if (out->n_heads % out->n_kv_heads) {
		rc = cc_error_set(CC_EINVAL,
		                  "%s: num_attention_heads %d is not a multiple of num_key_value_heads %d",
		                  what, out->n_heads, out->n_kv_heads);
		goto out;
	}
	if ((rc = get_num(&out->rms_eps, root, "rms_norm_eps", 1e-6, what)) ||
	    (rc = get_rope(out, root, what)) ||
	    (rc = get_bool(&out->tied, root, "tie_word_embeddings", 0, what)) ||
	    (rc = get_bool(&out->mlp_bias, root, "mlp_bias", 0, what)))
		goto out;
	if (out->arch == CC_ARCH_QWEN2) {
		int sw = 0;
		if ((rc = get_bool(&sw, root, "use_sliding_window", 0, what)))
			goto out;
		if (sw) {
			rc = cc_error_set(CC_EUNSUPPORTED, "%s: use_sliding_window is not supported", what);
			goto out;
		}
		out->qkv_bias = 1;
		out->mlp_bias = 0;
	} else {
		int ab = 0;
		if ((rc = get_bool(&ab, root, "attention_bias", 0, what)))
			goto out;
		out->qkv_bias = out->o_bias = ab;
	}
	out->bos_id = get_token(root, "bos_token_id");
	out->eos_id = get_token(root, "eos_token_id");
out:
	json_decref(root);
	return rc;
}
