/*
 * reply.c - the `localize` reply as JSON and its request's params (see cc_localize_reply.h).
 */
#include "cc_compress.h"
#include "cc_localize_reply.h"

#include <math.h>
#include <string.h>

static json_t *num(double v)
{
	if (!isfinite(v))
		return json_null();
	return json_real(round(v * 1e6) / 1e6);
}

json_t *cc_loc_result_json(const cc_loc_result *r)
{
	json_t *o = json_object(), *res = json_array();
	if (!o || !res)
		goto fail;
	json_object_set_new(o, "commit", json_string(r->commit));
	json_object_set_new(o, "mode", json_string(cc_loc_mode_name(r->mode)));
	json_object_set_new(o, "policy", json_string(r->budget < 1 ? cc_policy_name(r->policy) : "full"));
	json_object_set_new(o, "budget", num(r->budget));
	json_object_set_new(o, "fallback", json_boolean(r->fallback));
	json_object_set_new(o, "notice", r->notice ? json_string(r->notice) : json_null());
	json_object_set_new(o, "seeds",
	                    json_pack("{s:I, s:I}", "extracted", (json_int_t)r->n_seeds, "matched",
	                              (json_int_t)r->n_matched));
	json_object_set_new(o, "functions", json_integer((json_int_t)r->n_functions));
	json_object_set_new(o, "context",
	                    json_pack("{s:I, s:I}", "tokens", (json_int_t)r->context_tokens,
	                              "functions", (json_int_t)r->context_functions));
	json_object_set_new(o, "kv_bytes",
	                    json_pack("{s:I, s:I}", "full", (json_int_t)r->kv_bytes_full, "held",
	                              (json_int_t)r->kv_bytes_held));
	for (size_t i = 0; i < r->n_hits; i++) {
		const cc_loc_hit *h = &r->hits[i];
		json_t *ev = json_object(), *x = json_object();
		if (!ev || !x) {
			json_decref(ev);
			json_decref(x);
			goto fail;
		}
		json_object_set_new(ev, "structural", num(h->structural));
		json_object_set_new(ev, "pagerank", num(h->ppr));
		json_object_set_new(ev, "seed", num(h->seed));
		json_object_set_new(ev, "test_distance",
		                    h->test_dist >= 0 ? json_integer(h->test_dist) : json_null());
		json_object_set_new(ev, "scored", json_boolean(h->scored));
		json_object_set_new(ev, "answered", json_boolean(h->answered));
		json_object_set_new(ev, "mean_nll", h->scored ? num(h->mean_nll) : json_null());
		json_object_set_new(ev, "line_nll", h->scored ? num(h->line_nll) : json_null());
		json_object_set_new(ev, "surprisal_z", h->scored ? num(h->surprisal_z) : json_null());
		json_object_set_new(ev, "surprisal", h->scored ? num(h->surprisal_part) : json_null());
		json_object_set_new(x, "rank", json_integer((json_int_t)i + 1));
		json_object_set_new(x, "file", json_string(h->path));
		json_object_set_new(x, "function", json_string(h->name));
		json_object_set_new(x, "qualified", json_string(h->qual));
		json_object_set_new(x, "start_line", json_integer(h->start_line));
		json_object_set_new(x, "end_line", json_integer(h->end_line));
		json_object_set_new(x, "line", h->line ? json_integer(h->line) : json_null());
		json_t *lt = h->line_text ? json_string(h->line_text) : NULL; /* NULL: not UTF-8 */
		json_object_set_new(x, "line_text", lt ? lt : json_null());
		json_object_set_new(x, "score", num(h->score));
		json_object_set_new(x, "evidence", ev);
		if (json_array_append_new(res, x))
			goto fail;
	}
	json_object_set_new(o, "results", res);
	res = NULL;
	json_t *answer = json_null();
	if (r->answer)
		answer = json_pack("{s:s%, s:b, s:s?}", "text", r->answer, strlen(r->answer), "valid",
		                   r->answer_valid, "why", r->answer_why);
	json_object_set_new(o, "answer", answer);
	if (r->viz) {
		const cc_loc_viz *v = r->viz;
		json_t *vz = json_object(), *st = json_array(), *pri = json_array(), *kept = json_object();
		if (!vz || !st || !pri || !kept) {
			json_decref(vz);
			json_decref(st);
			json_decref(pri);
			json_decref(kept);
			goto fail;
		}
		for (size_t i = 0; i < v->n_tokens; i++) {
			json_array_append_new(st, json_integer(v->start[i]));
			json_array_append_new(pri, json_real(round(v->prior[i] * 1e3) / 1e3));
		}
		size_t nh = (size_t)v->n_layers * (size_t)v->n_kv_heads;
		char *bits = malloc(v->n_tokens + 1);
		for (int p = 0; bits && p < v->n_policies; p++) {
			json_t *arr = json_array();
			for (size_t h = 0; arr && h < nh; h++) {
				for (size_t i = 0; i < v->n_tokens; i++)
					bits[i] = v->kept[p][h * v->n_tokens + i] ? '1' : '0';
				bits[v->n_tokens] = 0;
				json_array_append_new(arr, json_string(bits));
			}
			json_object_set_new(kept, v->policies[p] < 0 ? "full" : cc_policy_name(v->policies[p]), arr);
		}
		free(bits);
		json_object_set_new(vz, "text", json_stringn(v->text, v->len));
		json_object_set_new(vz, "starts", st);
		json_object_set_new(vz, "priors", pri);
		json_object_set_new(vz, "layers", json_integer(v->n_layers));
		json_object_set_new(vz, "kv_heads", json_integer(v->n_kv_heads));
		json_object_set_new(vz, "kept", kept);
		json_object_set_new(o, "viz", vz);
	}
	json_object_set_new(o, "timings",
	                    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "candidates",
	                              num(r->t.candidates), "priors", num(r->t.priors), "prefill",
	                              num(r->t.prefill), "compress", num(r->t.compress), "score",
	                              num(r->t.score), "total", num(r->t.total)));
	return o;
fail:
	json_decref(o);
	json_decref(res);
	return NULL;
}

static int opt_str(const char **out, const json_t *p, const char *key)
{
	json_t *v = json_object_get(p, key);
	if (!v || json_is_null(v))
		return CC_OK;
	if (!json_is_string(v))
		return cc_error_set(CC_EINVAL, "parameter '%s' must be a string", key);
	*out = json_string_value(v);
	return CC_OK;
}

static int opt_uint(size_t *out, const json_t *p, const char *key, json_int_t max)
{
	json_t *v = json_object_get(p, key);
	if (!v || json_is_null(v))
		return CC_OK;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
		return cc_error_set(CC_EINVAL, "parameter '%s' must be an integer in [0, %lld]", key,
		                    (long long)max);
	*out = (size_t)json_integer_value(v);
	return CC_OK;
}

int cc_loc_request_parse(cc_loc_query *q, cc_loc_opts *o, const char **repo, const char **rev,
                         const json_t *p)
{
	static const char *const allowed[] = {"repo", "rev", "issue", "test", "test_path", "trace",
	                                      "policy", "budget", "mode", "top", "context_tokens",
	                                      "scored", "viz", NULL};
	const char *key, *policy = NULL, *mode = NULL;
	json_t *v;
	int rc;
	memset(q, 0, sizeof(*q));
	cc_loc_opts_default(o);
	*repo = *rev = NULL;
	if (!json_is_object(p))
		return cc_error_set(CC_EINVAL, "params must be an object");
	json_object_foreach((json_t *)p, key, v)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			ok |= !strcmp(*a, key);
		if (!ok)
			return cc_error_set(CC_EINVAL, "unknown parameter '%s'", key);
	}
	if ((rc = opt_str(repo, p, "repo")) || (rc = opt_str(rev, p, "rev")) ||
	    (rc = opt_str(&q->issue, p, "issue")) || (rc = opt_str(&q->test, p, "test")) ||
	    (rc = opt_str(&q->test_path, p, "test_path")) || (rc = opt_str(&q->trace, p, "trace")) ||
	    (rc = opt_str(&policy, p, "policy")) || (rc = opt_str(&mode, p, "mode")) ||
	    (rc = opt_uint(&o->top, p, "top", 1000)) ||
	    (rc = opt_uint(&o->context_tokens, p, "context_tokens", 1 << 20)) ||
	    (rc = opt_uint(&o->n_scored, p, "scored", 256)))
		return rc;
	if (!*repo)
		return cc_error_set(CC_EINVAL, "parameter 'repo' is required");
	if (!q->issue || !*q->issue)
		return cc_error_set(CC_EINVAL, "the issue text is empty: say what goes wrong "
		                               "(parameter 'issue')");
	q->issue_len = strlen(q->issue);
	q->test_len = q->test ? strlen(q->test) : 0;
	q->trace_len = q->trace ? strlen(q->trace) : 0;
	if (policy) {
		if (!strcmp(policy, "full")) {
			o->budget = 1;
		} else if ((o->policy = cc_policy_parse(policy)) < 0) {
			return cc_error_set(CC_EINVAL, "unknown policy '%s' (random, streaming, snapkv, "
			                               "h2o, structure, codecomp, full)",
			                    policy);
		}
	}
	if ((v = json_object_get(p, "budget")) && !json_is_null(v)) {
		if (!json_is_number(v) || !(json_number_value(v) > 0 && json_number_value(v) <= 1))
			return cc_error_set(CC_EINVAL, "parameter 'budget' must be a number in (0, 1]");
		if (!policy || strcmp(policy, "full"))
			o->budget = json_number_value(v);
	}
	if ((v = json_object_get(p, "viz")) && !json_is_null(v)) {
		if (!json_is_boolean(v))
			return cc_error_set(CC_EINVAL, "parameter 'viz' must be true or false");
		o->viz = json_is_true(v);
	}
	if (mode && (o->mode = cc_loc_mode_parse(mode)) < 0)
		return cc_error_set(CC_EINVAL, "unknown mode '%s' (likelihood, generative, auto)", mode);
	return CC_OK;
}
