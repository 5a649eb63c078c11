/*
 * reply.c - the JSON of the agent-session methods (cc_agent_reply.h): parameter parsing with
 * errors naming the field, and one writer per reply object.
 */
#include "cc_agent_reply.h"
#include "cc_compress.h"
#include "cc_proto.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const cc_agent_methods[] = {"models", "session.open", "session.generate",
                                        "session.score", "session.compress", "session.info",
                                        "session.list", "session.close", "session.viz", NULL};

static double r6(double x)
{
	return round(x * 1e6) / 1e6;
}

int cc_agent_policy_parse(const char *name)
{
	if (!name)
		return -2;
	if (!strcmp(name, "full"))
		return CC_AGENT_POLICY_FULL;
	int p = cc_policy_parse(name);
	return p < 0 ? -2 : p;
}

static json_t *str_or_invalid(const char *s, size_t len)
{
	/* a text cut inside a multi-byte character is still shown, with U+FFFD for the rest */
	if (cc_utf8_valid(s, len))
		return json_stringn(s, len);
	char *c = malloc(len * 3 + 1);
	size_t o = 0;
	if (!c)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		size_t k = cc_utf8_char(s + i, len - i, NULL);
		if (k) {
			memcpy(c + o, s + i, k);
			o += k;
			i += k - 1;
		} else {
			memcpy(c + o, "\xef\xbf\xbd", 3);
			o += 3;
		}
	}
	json_t *j = json_stringn(c, o);
	free(c);
	return j;
}

json_t *cc_agent_session_json(const cc_agent_session_info *i)
{
	json_t *files = json_array(), *o;
	for (size_t k = 0; files && k < i->n_files; k++)
		json_array_append_new(files, json_string(i->files[k]));
	o = json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:I, s:I, s:I, s:b, s:I, s:I, s:I, s:I, s:I,"
	              " s:o, s:b, s:{s:f, s:f, s:f, s:f}, s:f, s:I}",
	              "id", i->id, "model", i->model ? i->model : "",
	              "device", i->device == CC_DEVICE_CUDA ? "cuda" : "cpu",
	              "policy", i->policy ? i->policy : "", "budget", r6(i->budget),
	              "keep_share", r6(i->keep_share),
	              "context_tokens", (json_int_t)i->context_tokens,
	              "query_tokens", (json_int_t)i->query_tokens,
	              "kept_per_head", (json_int_t)i->kept_per_head,
	              "truncated", i->truncated, "dropped_tokens", (json_int_t)i->dropped_tokens,
	              "kv_bytes_full", (json_int_t)i->kv_bytes_full,
	              "kv_bytes_held", (json_int_t)i->kv_bytes_held,
	              "next_pos", (json_int_t)i->next_pos, "window", (json_int_t)i->window,
	              "files", files ? files : json_array(), "files_by_query", i->by_query,
	              "timings", "assemble_s", r6(i->t_assemble), "priors_s", r6(i->t_priors),
	              "prefill_s", r6(i->t_prefill), "compress_s", r6(i->t_compress),
	              "idle_s", r6(i->idle_s), "requests", (json_int_t)i->n_requests);
	if (o && i->device_id[0])
		json_object_set_new(o, "device_id", json_string(i->device_id));
	if (o && i->repo_cache) {
		json_t *cache = json_pack("{s:I, s:I, s:I, s:b, s:f, s:I, s:I, s:I}",
		                          "chunks_reused", (json_int_t)i->chunks_reused,
		                          "chunks_from_disk", (json_int_t)i->chunks_from_disk,
		                          "chunks_prefilled", (json_int_t)i->chunks_prefilled,
		                          "anchor", i->cache_anchor, "final_budget", r6(i->cache_final_budget),
		                          "bytes_memory", (json_int_t)i->cache_bytes_memory,
		                          "bytes_disk", (json_int_t)i->cache_bytes_disk,
		                          "bytes_device", (json_int_t)i->cache_bytes_device);
		json_object_set_new(o, "repo_cache", cache);
	}
	if (o && i->stream_chunk)
		json_object_set_new(o, "stream",
		                    json_pack("{s:I, s:I, s:I, s:b}", "chunk", (json_int_t)i->stream_chunk,
		                              "steps", (json_int_t)i->stream_steps, "kv_bytes_peak",
		                              (json_int_t)i->kv_bytes_peak, "cum", i->stream_cum));
	return o;
}

/* The engines of a model: memory and batching per device. */
static json_t *devices_json(const cc_agent_model_info *m)
{
	json_t *arr = json_array();
	for (size_t d = 0; arr && d < m->n_devices; d++) {
		const cc_agent_device_info *di = &m->devices[d];
		json_t *row = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
		                        "device_id", di->id,
		                        "kv_bytes_capacity", (json_int_t)di->kv_bytes_capacity,
		                        "kv_bytes_used", (json_int_t)di->kv_bytes_used,
		                        "sessions", (json_int_t)di->n_sessions, "generating", (json_int_t)di->generating,
		                        "batch_steps", (json_int_t)di->steps, "batch_rows", (json_int_t)di->step_rows,
		                        "batch_max_rows", (json_int_t)di->max_rows,
		                        "failed", di->failed ? json_string(di->failed) : json_null());
		json_array_append_new(arr, row);
	}
	return arr;
}

json_t *cc_agent_models_json(const cc_agent_model_info *m, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		json_t *row = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:o}",
		                        "model", m[i].dir,
		                        "device", m[i].device == CC_DEVICE_CUDA ? "cuda" : "cpu", "arch", m[i].arch,
		                        "window", (json_int_t)m[i].window, "vocab", (json_int_t)m[i].vocab,
		                        "layers", (json_int_t)m[i].n_layers, "params", (json_int_t)m[i].n_params,
		                        "kv_bytes_capacity", (json_int_t)m[i].kv_bytes_capacity,
		                        "kv_bytes_used", (json_int_t)m[i].kv_bytes_used,
		                        "kv_bytes_per_token", (json_int_t)m[i].kv_bytes_per_token,
		                        "sessions", (json_int_t)m[i].n_sessions,
		                        "chat_template", m[i].has_chat_template,
		                        "devices", devices_json(&m[i]));
		json_array_append_new(arr, row);
	}
	return arr ? json_pack("{s:o}", "models", arr) : NULL;
}

json_t *cc_agent_gen_json(const char *id, const cc_agent_gen_result *r)
{
	json_t *ids = json_array();
	for (size_t i = 0; ids && i < r->n_ids; i++)
		json_array_append_new(ids, json_integer(r->ids[i]));
	double tps = r->t_decode > 0 ? (double)r->n_ids / r->t_decode : 0;
	return json_pack("{s:s, s:o, s:o, s:I, s:I, s:s, s:{s:f, s:f, s:f}}", "id", id ? id : "",
	                 "text", str_or_invalid(r->text ? r->text : "", r->len),
	                 "ids", ids ? ids : json_array(), "prompt_tokens",
	                 (json_int_t)r->prompt_tokens, "completion_tokens", (json_int_t)r->n_ids,
	                 "finish", r->finish ? r->finish : "length", "timings", "prefill_s",
	                 r6(r->t_prefill), "decode_s", r6(r->t_decode), "tokens_per_s", r6(tps));
}

json_t *cc_agent_score_json(const char *id, const cc_agent_score_result *r)
{
	json_t *ids = json_array(), *nll = json_array();
	for (size_t i = 0; ids && nll && i < r->n; i++) {
		json_array_append_new(ids, json_integer(r->ids[i]));
		json_array_append_new(nll, json_real(r6(r->nll[i])));
	}
	return json_pack("{s:s, s:o, s:o, s:I, s:f, s:f}", "id", id ? id : "", "ids",
	                 ids ? ids : json_array(), "nll", nll ? nll : json_array(), "n_tokens",
	                 (json_int_t)r->n, "mean_nll", r6(r->mean_nll), "seconds", r6(r->seconds));
}

/* ---- parameters --------------------------------------------------------------------------- */

json_t *cc_agent_viz_json(const cc_agent_viz *v)
{
	json_t *o = json_object(), *vz = json_object(), *st = json_array(), *pri = json_array(),
	       *kept = json_object(), *sess = cc_agent_session_json(&v->info);
	size_t nh = (size_t)v->n_layers * (size_t)v->n_kv_heads;
	char *bits = malloc(v->n_tokens + 1);
	int bad = !o || !vz || !st || !pri || !kept || !sess || !bits;
	for (size_t i = 0; !bad && i < v->n_tokens; i++)
		bad |= json_array_append_new(st, json_integer(v->start[i])) ||
		       json_array_append_new(pri, json_real(round(v->prior[i] * 1e3) / 1e3));
	for (int p = 0; !bad && p < v->n_policies; p++) {
		json_t *arr = json_array();
		bad |= !arr;
		for (size_t h = 0; !bad && h < nh; h++) {
			for (size_t i = 0; i < v->n_tokens; i++)
				bits[i] = v->kept[p][h * v->n_tokens + i] ? '1' : '0';
			bits[v->n_tokens] = 0;
			bad |= json_array_append_new(arr, json_string(bits));
		}
		bad |= json_object_set_new(kept, v->policy[p], arr);
	}
	free(bits);
	if (bad) {
		json_decref(o);
		json_decref(vz);
		json_decref(st);
		json_decref(pri);
		json_decref(kept);
		json_decref(sess);
		return NULL;
	}
	json_object_set_new(vz, "text", str_or_invalid(v->text, v->len));
	json_object_set_new(vz, "starts", st);
	json_object_set_new(vz, "priors", pri);
	json_object_set_new(vz, "layers", json_integer(v->n_layers));
	json_object_set_new(vz, "kv_heads", json_integer(v->n_kv_heads));
	json_object_set_new(vz, "kept", kept);
	json_object_set_new(o, "mode", json_string("session"));
	json_object_set_new(o, "policy", json_string(v->info.policy ? v->info.policy : "full"));
	json_object_set_new(o, "budget", json_real(r6(v->info.budget)));
	json_object_set_new(o, "kv_bytes",
	                    json_pack("{s:I, s:I}", "full", (json_int_t)v->info.kv_bytes_full,
	                              "held", (json_int_t)v->info.kv_bytes_held));
	json_object_set_new(o, "session", sess);
	json_object_set_new(o, "viz", vz);
	return o;
}

static int param_device(int *out, json_t *params)
{
	const char *d;
	int rc;
	if ((rc = cc_proto_param_str(&d, params, "device", 0, "cpu")))
		return rc;
	if ((*out = cc_device_parse(d)) < 0)
		return cc_error_set(CC_EINVAL,
		                    "parameter 'device' must be \"cpu\" or \"cuda\", got '%.40s'",
		                    d);
	return CC_OK;
}

static int param_budget(double *out, json_t *params, int required)
{
	json_t *b = json_object_get(params, "budget");
	if (!b) {
		if (required)
			return cc_error_set(CC_EINVAL,
			                    "missing parameter 'budget' (a share in (0, 1] "
			                    "or a token count > 1)");
		*out = 1;
		return CC_OK;
	}
	if (!json_is_number(b))
		return cc_error_set(CC_EINVAL, "parameter 'budget' must be a number");
	*out = json_number_value(b);
	if (cc_agent_budget_check(*out))
		return cc_error_set(CC_EINVAL, "parameter 'budget': %s", cc_error_last());
	return CC_OK;
}

static int param_policy(int *out, json_t *params)
{
	const char *p;
	int rc;
	if ((rc = cc_proto_param_str(&p, params, "policy", 0, "codecomp")))
		return rc;
	if ((*out = cc_agent_policy_parse(p)) == -2)
		return cc_error_set(CC_EINVAL,
		                    "parameter 'policy': unknown policy '%.40s' (full, "
		                    "random, streaming, snapkv, pyramid, h2o, kvzip, adakv, "
		                    "structure, codecomp)",
		                    p);
	return CC_OK;
}

/* A string array parameter: *out malloc'd (strings borrowed from params). */
static int param_strs(const char ***out, size_t *n, json_t *params, const char *name)
{
	json_t *a = json_object_get(params, name), *v;
	size_t i;
	*out = NULL;
	*n = 0;
	if (!a)
		return CC_OK;
	if (!json_is_array(a))
		return cc_error_set(CC_EINVAL, "parameter '%s' must be an array of strings", name);
	if (!json_array_size(a))
		return CC_OK;
	if (!(*out = calloc(json_array_size(a), sizeof(char *))))
		return cc_error_set(CC_ENOMEM, "out of memory");
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v) || !json_string_length(v)) {
			free(*out);
			*out = NULL;
			return cc_error_set(CC_EINVAL,
			                    "parameter '%s': item %zu is not a non-empty string",
			                    name, i);
		}
		(*out)[i] = json_string_value(v);
	}
	*n = json_array_size(a);
	return CC_OK;
}

static int m_open(json_t **result, cc_agent *a, json_t *params)
{
	static const char *const allowed[] = {"model", "device", "repo", "rev", "db", "paths",
	                                      "functions", "text", "raw", "ids", "query",
	                                      "max_context_tokens", "truncate", "policy", "budget",
	                                      "cache", "cache_anchor", "cache_final_budget",
	                                      "stream_chunk", "stream_cum", NULL};
	cc_agent_open_opts o = {0};
	int anchor = 1;
	json_t *fb;
	cc_agent_session_info info;
	const char **paths = NULL, **fns = NULL;
	int32_t *ids = NULL;
	json_t *jids;
	long long mct, sc;
	int rc;
	json_t *text;

	if ((rc = cc_proto_params_check(params, allowed)) ||
	    (rc = cc_proto_param_str(&o.model, params, "model", 1, NULL)) ||
	    (rc = param_device(&o.device, params)) ||
	    (rc = cc_proto_param_str(&o.repo, params, "repo", 0, NULL)) ||
	    (rc = cc_proto_param_str(&o.rev, params, "rev", 0, NULL)) ||
	    (rc = cc_proto_param_str(&o.db, params, "db", 0, NULL)) ||
	    (rc = cc_proto_param_str(&o.query, params, "query", 0, NULL)) ||
	    (rc = cc_proto_param_int(&mct, params, "max_context_tokens", 0, 0, 0, 1 << 30)) ||
	    (rc = cc_proto_param_bool(&o.truncate, params, "truncate", 0)) ||
	    (rc = cc_proto_param_bool(&o.text_raw, params, "raw", 0)) ||
	    (rc = param_policy(&o.policy, params)) ||
	    (rc = param_budget(&o.budget, params, o.policy != CC_AGENT_POLICY_FULL)) ||
	    (rc = param_strs(&paths, &o.n_paths, params, "paths")) ||
	    (rc = param_strs(&fns, &o.n_functions, params, "functions")) ||
	    (rc = cc_proto_param_bool(&o.repo_cache, params, "cache", 0)) ||
	    (rc = cc_proto_param_bool(&anchor, params, "cache_anchor", 1)) ||
	    (rc = cc_proto_param_int(&sc, params, "stream_chunk", 0, 0, 0, 1 << 30)) ||
	    (rc = cc_proto_param_bool(&o.stream_cum, params, "stream_cum", 0)))
		goto out;
	o.stream_chunk = (size_t)sc;
	o.cache_no_anchor = !anchor;
	if ((fb = json_object_get(params, "cache_final_budget"))) {
		if (!json_is_number(fb)) {
			rc = cc_error_set(CC_EINVAL, "parameter 'cache_final_budget' must be a number");
			goto out;
		}
		o.cache_final_budget = json_number_value(fb);
	}
	if (!o.repo_cache && (json_object_get(params, "cache_anchor") || fb)) {
		rc = cc_error_set(CC_EINVAL,
		                  "parameters 'cache_anchor' and 'cache_final_budget' need "
		                  "\"cache\": true");
		goto out;
	}
	if ((text = json_object_get(params, "text"))) {
		if (!json_is_string(text)) {
			rc = cc_error_set(CC_EINVAL, "parameter 'text' must be a string");
			goto out;
		}
		o.text = json_string_value(text);
		o.text_len = json_string_length(text);
	}
	if ((jids = json_object_get(params, "ids"))) {
		size_t k;
		json_t *v;
		if (!json_is_array(jids) || !json_array_size(jids) ||
		    !(ids = malloc(json_array_size(jids) * sizeof(int32_t)))) {
			rc = json_is_array(jids) && json_array_size(jids)
			             ? cc_error_set(CC_ENOMEM, "out of memory")
			             : cc_error_set(CC_EINVAL,
			                            "parameter 'ids' must be a non-empty array "
			                            "of token ids");
			goto out;
		}
		json_array_foreach(jids, k, v)
		{
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > INT32_MAX) {
				rc = cc_error_set(CC_EINVAL, "parameter 'ids': item %zu is not a token id", k);
				goto out;
			}
			ids[k] = (int32_t)json_integer_value(v);
		}
		o.ids = ids;
		o.n_ids = json_array_size(jids);
	}
	o.paths = paths;
	o.functions = fns;
	o.max_context_tokens = (size_t)mct;
	if ((rc = cc_agent_session_open(&info, a, &o)))
		goto out;
	*result = cc_agent_session_json(&info);
	cc_agent_session_info_clear(&info);
	if (!*result)
		rc = cc_error_set(CC_ENOMEM, "out of memory");
out:
	free(paths);
	free(fns);
	free(ids);
	return rc;
}

static int m_generate(json_t **result, cc_agent *a, json_t *params, cc_agent_token_fn fn,
                      void *ud)
{
	static const char *const allowed[] = {"id", "prompt", "max_new", "temperature", "top_p",
	                                      "seed", "stop", NULL};
	cc_agent_gen_opts o = {0};
	cc_agent_gen_result r;
	const char *id, **stop = NULL;
	long long max_new, seed;
	json_t *prompt, *t, *p;
	int rc;

	if ((rc = cc_proto_params_check(params, allowed)) ||
	    (rc = cc_proto_param_str(&id, params, "id", 1, NULL)) ||
	    (rc = cc_proto_param_int(&max_new, params, "max_new", 0, 64, 0, 1 << 20)) ||
	    (rc = cc_proto_param_int(&seed, params, "seed", 0, 0, 0, (1LL << 53))))
		return rc;
	if (!(prompt = json_object_get(params, "prompt")) || !json_is_string(prompt))
		return cc_error_set(CC_EINVAL, "missing parameter 'prompt' (a string)");
	o.prompt = json_string_value(prompt);
	o.prompt_len = json_string_length(prompt);
	o.max_new = (size_t)max_new;
	o.seed = (uint64_t)seed;
	o.temperature = 0;
	o.top_p = 1;
	if ((t = json_object_get(params, "temperature"))) {
		if (!json_is_number(t) || !(json_number_value(t) >= 0 && json_number_value(t) <= 100))
			return cc_error_set(CC_EINVAL,
			                    "parameter 'temperature' must be a number in [0, 100]");
		o.temperature = (float)json_number_value(t);
	}
	if ((p = json_object_get(params, "top_p"))) {
		if (!json_is_number(p) || !(json_number_value(p) > 0 && json_number_value(p) <= 1))
			return cc_error_set(CC_EINVAL, "parameter 'top_p' must be a number in (0, 1]");
		o.top_p = (float)json_number_value(p);
	}
	{
		json_t *s = json_object_get(params, "stop");
		if (s && json_is_string(s)) {
			if (!(stop = malloc(sizeof(char *))))
				return cc_error_set(CC_ENOMEM, "out of memory");
			stop[0] = json_string_value(s);
			o.n_stop = 1;
		} else if ((rc = param_strs(&stop, &o.n_stop, params, "stop"))) {
			return rc;
		}
		if (o.n_stop > 16) {
			free(stop);
			return cc_error_set(CC_EINVAL, "parameter 'stop': at most 16 strings");
		}
	}
	o.stop = stop;
	o.on_token = fn;
	o.ud = ud;
	rc = cc_agent_session_generate(&r, a, id, &o);
	free(stop);
	if (rc)
		return rc;
	*result = cc_agent_gen_json(id, &r);
	cc_agent_gen_result_clear(&r);
	return *result ? CC_OK : cc_error_set(CC_ENOMEM, "out of memory");
}

static int m_score(json_t **result, cc_agent *a, json_t *params)
{
	static const char *const allowed[] = {"id", "text", NULL};
	cc_agent_score_result r;
	const char *id;
	json_t *text;
	int rc;
	if ((rc = cc_proto_params_check(params, allowed)) ||
	    (rc = cc_proto_param_str(&id, params, "id", 1, NULL)))
		return rc;
	if (!(text = json_object_get(params, "text")) || !json_is_string(text))
		return cc_error_set(CC_EINVAL, "missing parameter 'text' (a string)");
	if ((rc = cc_agent_session_score(&r, a, id, json_string_value(text),
	                                 json_string_length(text))))
		return rc;
	*result = cc_agent_score_json(id, &r);
	cc_agent_score_result_clear(&r);
	return *result ? CC_OK : cc_error_set(CC_ENOMEM, "out of memory");
}

int cc_agent_call(json_t **result, cc_agent *a, const char *method, json_t *params,
                  cc_agent_token_fn on_token, void *ud)
{
	static const char *const id_only[] = {"id", NULL};
	static const char *const none[] = {NULL};
	cc_agent_session_info info;
	const char *id;
	int rc;

	*result = NULL;
	if (!strcmp(method, "session.open"))
		return m_open(result, a, params);
	if (!strcmp(method, "session.generate"))
		return m_generate(result, a, params, on_token, ud);
	if (!strcmp(method, "session.score"))
		return m_score(result, a, params);
	if (!strcmp(method, "session.compress")) {
		static const char *const allowed[] = {"id", "policy", "budget", NULL};
		int policy;
		double budget;
		if ((rc = cc_proto_params_check(params, allowed)) ||
		    (rc = cc_proto_param_str(&id, params, "id", 1, NULL)) ||
		    (rc = param_policy(&policy, params)) ||
		    (rc = param_budget(&budget, params, policy != CC_AGENT_POLICY_FULL)) ||
		    (rc = cc_agent_session_compress(&info, a, id, policy, budget)))
			return rc;
		*result = cc_agent_session_json(&info);
		cc_agent_session_info_clear(&info);
	} else if (!strcmp(method, "session.viz")) {
		cc_agent_viz v;
		if ((rc = cc_proto_params_check(params, id_only)) ||
		    (rc = cc_proto_param_str(&id, params, "id", 1, NULL)) ||
		    (rc = cc_agent_session_viz(&v, a, id)))
			return rc;
		*result = cc_agent_viz_json(&v);
		cc_agent_viz_clear(&v);
	} else if (!strcmp(method, "session.info")) {
		if ((rc = cc_proto_params_check(params, id_only)) ||
		    (rc = cc_proto_param_str(&id, params, "id", 1, NULL)) ||
		    (rc = cc_agent_session_info_get(&info, a, id)))
			return rc;
		*result = cc_agent_session_json(&info);
		cc_agent_session_info_clear(&info);
	} else if (!strcmp(method, "session.close")) {
		if ((rc = cc_proto_params_check(params, id_only)) ||
		    (rc = cc_proto_param_str(&id, params, "id", 1, NULL)) ||
		    (rc = cc_agent_session_close(a, id)))
			return rc;
		*result = json_pack("{s:s}", "closed", id);
	} else if (!strcmp(method, "session.list")) {
		cc_agent_session_info *l;
		size_t n;
		json_t *arr;
		if ((rc = cc_proto_params_check(params, none)) ||
		    (rc = cc_agent_session_list(&l, &n, a)))
			return rc;
		arr = json_array();
		for (size_t i = 0; arr && i < n; i++)
			json_array_append_new(arr, cc_agent_session_json(&l[i]));
		cc_agent_session_list_free(l, n);
		*result = arr ? json_pack("{s:o}", "sessions", arr) : NULL;
	} else if (!strcmp(method, "models")) {
		cc_agent_model_info *m;
		size_t n;
		if ((rc = cc_proto_params_check(params, none)) || (rc = cc_agent_models(&m, &n, a)))
			return rc;
		*result = cc_agent_models_json(m, n);
		cc_agent_models_free(m, n);
	} else {
		return cc_error_set(CC_EINVAL, "unknown agent method '%.64s'", method);
	}
	return *result ? CC_OK : cc_error_set(CC_ENOMEM, "out of memory");
}
