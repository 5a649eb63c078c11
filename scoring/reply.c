/*
 * reply.c - the JSON of the priors (cc_priors_reply.h): the configuration's JSON form, the
 * reply object per token or packed in columns straight from the structs, and the `priors`
 * request shared by the CLI and the daemon.
 */
#include "cc_common.h"
#include "cc_priors_reply.h"
#include "cc_proto.h"
#include "cc_store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- configuration ---- */

static int get_num(float *dst, json_t *v, const char *key)
{
	if (!json_is_number(v))
		return cc_error_set(CC_EINVAL, "priors config: %s must be a number", key);
	double d = json_number_value(v);
	if (!isfinite(d))
		return cc_error_set(CC_EINVAL, "priors config: %s must be finite", key);
	*dst = (float)d;
	return CC_OK;
}

static int get_int(int *dst, json_t *v, const char *key)
{
	if (!json_is_integer(v) || json_integer_value(v) < -1000000000 ||
	    json_integer_value(v) > 1000000000)
		return cc_error_set(CC_EINVAL, "priors config: %s must be an integer", key);
	*dst = (int)json_integer_value(v);
	return CC_OK;
}

int cc_priors_config_load_json(cc_priors_config *cfg, const json_t *obj)
{
	cc_priors_config c = *cfg;
	const char *key;
	json_t *v;
	int rc = CC_OK;

	if (!json_is_object(obj))
		return cc_error_set(CC_EINVAL, "priors config: not a JSON object");
	json_object_foreach((json_t *)obj, key, v)
	{
		if (!strcmp(key, "class_weight") || !strcmp(key, "edge_weight")) {
			int is_class = key[0] == 'c';
			const char *k2;
			json_t *v2;
			if (!json_is_object(v))
				return cc_error_set(CC_EINVAL, "priors config: %s must be an object", key);
			json_object_foreach(v, k2, v2)
			{
				int idx = -1;
				if (is_class)
					idx = cc_prior_class_parse(k2);
				else
					for (int i = 0; i < CC_PEDGE_COUNT; i++)
						if (!strcmp(cc_prior_edge_name(i), k2))
							idx = i;
				if (idx < 0)
					return cc_error_set(CC_EINVAL, "priors config: unknown %s key '%s'", key, k2);
				if ((rc = get_num(is_class ? &c.class_weight[idx] : &c.edge_weight[idx], v2, k2)))
					return rc;
			}
		} else if (!strcmp(key, "protect_class")) {
			size_t i;
			json_t *e;
			if (!json_is_array(v))
				return cc_error_set(CC_EINVAL, "priors config: protect_class must be an array");
			memset(c.protect_class, 0, sizeof(c.protect_class));
			json_array_foreach(v, i, e)
			{
				int idx = cc_prior_class_parse(json_string_value(e));
				if (idx < 0)
					return cc_error_set(CC_EINVAL, "priors config: protect_class[%zu] is not a class", i);
				c.protect_class[idx] = 1;
			}
		} else if (!strcmp(key, "rel_floor")) {
			rc = get_num(&c.rel_floor, v, key);
		} else if (!strcmp(key, "text_relevance")) {
			rc = get_num(&c.text_relevance, v, key);
		} else if (!strcmp(key, "reverse_weight")) {
			rc = get_num(&c.reverse_weight, v, key);
		} else if (!strcmp(key, "damping")) {
			rc = get_num(&c.damping, v, key);
		} else if (!strcmp(key, "iterations")) {
			rc = get_int(&c.iterations, v, key);
		} else if (!strcmp(key, "seed_name")) {
			rc = get_num(&c.seed_name, v, key);
		} else if (!strcmp(key, "seed_path")) {
			rc = get_num(&c.seed_path, v, key);
		} else if (!strcmp(key, "seed_line")) {
			rc = get_num(&c.seed_line, v, key);
		} else if (!strcmp(key, "min_name_len")) {
			rc = get_int(&c.min_name_len, v, key);
		} else if (!strcmp(key, "relevance_gamma")) {
			rc = get_num(&c.relevance_gamma, v, key);
		} else if (!strcmp(key, "protect_relevance")) {
			rc = get_num(&c.protect_relevance, v, key);
		} else if (!strcmp(key, "chunk_min")) {
			rc = get_int(&c.chunk_min, v, key);
		} else if (!strcmp(key, "chunk_max")) {
			rc = get_int(&c.chunk_max, v, key);
		} else {
			return cc_error_set(CC_EINVAL, "priors config: unknown key '%s'", key);
		}
		if (rc)
			return rc;
	}
	if ((rc = cc_priors_config_validate(&c)))
		return rc;
	*cfg = c;
	return CC_OK;
}

int cc_priors_config_load_file(cc_priors_config *cfg, const char *path)
{
	json_error_t err;
	json_t *j = json_load_file(path, 0, &err);
	if (!j) {
		FILE *f = fopen(path, "r");
		if (!f)
			return cc_error_set(CC_ENOTFOUND, "priors config %s not found", path);
		fclose(f);
		return cc_error_set(CC_EPARSE, "priors config %s: line %d: %s", path, err.line, err.text);
	}
	int rc = cc_priors_config_load_json(cfg, j);
	json_decref(j);
	if (rc) {
		char msg[600];
		snprintf(msg, sizeof(msg), "%s", cc_error_last());
		cc_error_set(rc, "%s: %s", path, msg);
	}
	return rc;
}

json_t *cc_priors_config_json(const cc_priors_config *c)
{
	json_t *o = json_object(), *cw = json_object(), *ew = json_object(), *pc = json_array();
	if (!o || !cw || !ew || !pc) {
		json_decref(o);
		json_decref(cw);
		json_decref(ew);
		json_decref(pc);
		return NULL;
	}
	for (int i = 0; i < CC_PCLS_COUNT; i++) {
		json_object_set_new(cw, cc_prior_class_name(i), json_real(c->class_weight[i]));
		if (c->protect_class[i])
			json_array_append_new(pc, json_string(cc_prior_class_name(i)));
	}
	for (int i = 0; i < CC_PEDGE_COUNT; i++)
		json_object_set_new(ew, cc_prior_edge_name(i), json_real(c->edge_weight[i]));
	json_object_set_new(o, "class_weight", cw);
	json_object_set_new(o, "rel_floor", json_real(c->rel_floor));
	json_object_set_new(o, "text_relevance", json_real(c->text_relevance));
	json_object_set_new(o, "edge_weight", ew);
	json_object_set_new(o, "reverse_weight", json_real(c->reverse_weight));
	json_object_set_new(o, "damping", json_real(c->damping));
	json_object_set_new(o, "iterations", json_integer(c->iterations));
	json_object_set_new(o, "seed_name", json_real(c->seed_name));
	json_object_set_new(o, "seed_path", json_real(c->seed_path));
	json_object_set_new(o, "seed_line", json_real(c->seed_line));
	json_object_set_new(o, "min_name_len", json_integer(c->min_name_len));
	json_object_set_new(o, "relevance_gamma", json_real(c->relevance_gamma));
	json_object_set_new(o, "protect_class", pc);
	json_object_set_new(o, "protect_relevance", json_real(c->protect_relevance));
	json_object_set_new(o, "chunk_min", json_integer(c->chunk_min));
	json_object_set_new(o, "chunk_max", json_integer(c->chunk_max));
	return o;
}

/* ---- the reply object ---- */

static json_t *r6(double v)
{
	return json_real(round(v * 1e6) / 1e6);
}

/* tokens: one object per token. */
static json_t *tokens_list(const cc_priors *p)
{
	json_t *toks = json_array();
	if (!toks)
		return NULL;
	for (size_t i = 0; i < p->n_tokens; i++) {
		const cc_token_prior *t = &p->tokens[i];
		const char *file = t->segment >= 0 ? p->paths[t->segment] : NULL;
		json_t *e = json_pack("{s:i, s:I, s:I, s:o, s:s, s:i, s:i, s:o, s:b}", "id", (int)t->id,
		                      "start", (json_int_t)t->start, "end", (json_int_t)t->end, "file",
		                      file ? json_string(file) : json_null(), "class",
		                      cc_prior_class_name(t->cls), "span", (int)t->span, "chunk",
		                      (int)t->chunk, "prior", r6(t->prior), "protected", (int)t->protect);
		if (!e || json_array_append_new(toks, e))
			goto fail;
	}
	return toks;
fail:
	json_decref(toks);
	return NULL;
}

/* tokens packed in columns, straight from the structs: the same values as tokens_list (prior
 * rounded to 6 decimals, then to float32). */
static json_t *tokens_packed(const cc_priors *p)
{
	static const char *const names[7] = {"id", "start", "end", "file", "class", "span", "chunk"};
	size_t n = p->n_tokens;
	int32_t *col[8] = {0}, cls_of[CC_PCLS_COUNT + 1], *seg_of = NULL;
	float *prior = malloc(n * sizeof(float) + 4);
	json_t *cols = json_object(), *files = json_array(), *classes = json_array(), *a;
	int ok = prior && cols && files && classes;

	for (int k = 0; k < 8; k++)
		ok &= (col[k] = malloc(n * sizeof(int32_t) + 4)) != NULL;
	ok = ok && (seg_of = malloc((p->n_segments + 1) * sizeof(int32_t))) != NULL;
	if (!ok)
		goto fail;
	for (int c = 0; c <= CC_PCLS_COUNT; c++)
		cls_of[c] = -2; /* not seen yet */
	for (size_t s = 0; s < p->n_segments; s++)
		seg_of[s] = -2;
	for (size_t i = 0; i < n; i++) {
		const cc_token_prior *t = &p->tokens[i];
		int32_t fi = -1, ci;
		if (t->segment >= 0 && p->paths[t->segment]) {
			if (seg_of[t->segment] == -2) { /* a path first met: the same text, same index */
				const char *f = p->paths[t->segment];
				size_t k;
				json_t *x;
				seg_of[t->segment] = -1;
				json_array_foreach(files, k, x)
				{
					if (!strcmp(json_string_value(x), f))
						seg_of[t->segment] = (int32_t)k;
				}
				if (seg_of[t->segment] < 0) {
					seg_of[t->segment] = (int32_t)json_array_size(files);
					if (json_array_append_new(files, json_string(f)))
						goto fail;
				}
			}
			fi = seg_of[t->segment];
		}
		int cl = t->cls < CC_PCLS_COUNT ? t->cls : CC_PCLS_COUNT; /* "?" */
		if (cls_of[cl] == -2) {
			cls_of[cl] = (int32_t)json_array_size(classes);
			if (json_array_append_new(classes, json_string(cc_prior_class_name(t->cls))))
				goto fail;
		}
		ci = cls_of[cl];
		col[0][i] = (int32_t)t->id;
		col[1][i] = (int32_t)t->start;
		col[2][i] = (int32_t)t->end;
		col[3][i] = fi;
		col[4][i] = ci;
		col[5][i] = (int32_t)t->span;
		col[6][i] = (int32_t)t->chunk;
		col[7][i] = t->protect != 0;
		prior[i] = (float)(round(t->prior * 1e6) / 1e6);
	}
	for (int k = 0; k < 7; k++)
		if (cc_proto_i32_encode(&a, col[k], n) != CC_OK || json_object_set_new(cols, names[k], a))
			goto fail;
	if (cc_proto_f32_encode(&a, prior, n) != CC_OK || json_object_set_new(cols, "prior", a) ||
	    cc_proto_i32_encode(&a, col[7], n) != CC_OK || json_object_set_new(cols, "protected", a))
		goto fail;
	if (json_object_set_new(cols, "files", files) || json_object_set_new(cols, "classes", classes)) {
		files = classes = NULL;
		goto fail;
	}
	files = classes = NULL;
	goto out;
fail:
	json_decref(cols);
	cols = NULL;
out:
	for (int k = 0; k < 8; k++)
		free(col[k]);
	free(prior);
	free(seg_of);
	json_decref(files);
	json_decref(classes);
	return cols;
}

json_t *cc_priors_json(const cc_priors *p)
{
	return cc_priors_json_packed(p, 0);
}

json_t *cc_priors_json_packed(const cc_priors *p, int packed)
{
	json_t *o = json_object(), *chunks = json_array();
	json_t *toks = packed ? tokens_packed(p) : tokens_list(p);
	if (!o || !toks || !chunks)
		goto fail;
	json_object_set_new(o, "n_tokens", json_integer((json_int_t)p->n_tokens));
	json_object_set_new(o, "budget", json_integer((json_int_t)p->budget));
	json_object_set_new(o, "n_seeds", json_integer((json_int_t)p->n_seeds));
	for (size_t i = 0; i < p->n_chunks; i++) {
		const cc_prior_chunk *c = &p->chunks[i];
		const char *file = c->segment >= 0 ? p->paths[c->segment] : NULL;
		json_t *e = json_pack("{s:i, s:o, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:I}", "id", (int)i,
		                      "file", file ? json_string(file) : json_null(), "name", c->name,
		                      "first", (json_int_t)c->first, "count", (json_int_t)c->count,
		                      "start_line", (json_int_t)c->start_line, "end_line",
		                      (json_int_t)c->end_line, "importance", r6(c->importance),
		                      "relevance", r6(c->relevance), "protected",
		                      (json_int_t)c->n_protected, "budget", (json_int_t)c->budget);
		if (!e || json_array_append_new(chunks, e))
			goto fail;
	}
	json_object_set_new(o, "tokens", toks);
	json_object_set_new(o, "chunks", chunks);
	return o;
fail:
	json_decref(o);
	json_decref(toks);
	json_decref(chunks);
	return NULL;
}

/* ---- the request ---- */

int cc_priors_request(json_t **out, struct cc_store *s, const cc_tokenizer *tok,
                      const json_t *params, size_t max_tokens)
{
	cc_priors_config cfg;
	cc_prompt_item *items = NULL;
	cc_priors *p = NULL;
	size_t n = 0, i;
	json_t *v, *paths;
	int rc;

	*out = NULL;
	if (!json_is_object(params))
		return cc_error_set(CC_EINVAL, "priors: params must be an object");
	const char *repo = json_string_value(json_object_get(params, "repo"));
	json_t *jrev = json_object_get(params, "rev"), *jq = json_object_get(params, "query");
	json_t *jb = json_object_get(params, "budget"), *jc = json_object_get(params, "config");
	json_t *jpk = json_object_get(params, "packed");
	paths = json_object_get(params, "paths");
	if (!repo)
		return cc_error_set(CC_EINVAL, "priors: params.repo must be a string");
	if (jrev && !json_is_null(jrev) && !json_is_string(jrev))
		return cc_error_set(CC_EINVAL, "priors: params.rev must be a string");
	if (jq && !json_is_null(jq) && !json_is_string(jq))
		return cc_error_set(CC_EINVAL, "priors: params.query must be a string");
	if (jb && !json_is_null(jb) && (!json_is_integer(jb) || json_integer_value(jb) < 0))
		return cc_error_set(CC_EINVAL, "priors: params.budget must be a token count");
	if (jpk && !json_is_boolean(jpk))
		return cc_error_set(CC_EINVAL, "priors: params.packed must be a boolean");
	int packed = json_is_true(jpk);
	if (!json_is_array(paths) || json_array_size(paths) == 0)
		return cc_error_set(CC_EINVAL, "priors: params.paths must be a non-empty array");
	cc_priors_config_default(&cfg);
	if (jc && !json_is_null(jc) && (rc = cc_priors_config_load_json(&cfg, jc)))
		return rc;
	const char *query = json_string_value(jq);
	items = calloc(json_array_size(paths) + 1, sizeof(*items));
	if (!items)
		return cc_error_set(CC_ENOMEM, "priors: out of memory");
	if (query)
		items[n++] = (cc_prompt_item){NULL, query, 0, 0};
	json_array_foreach(paths, i, v)
	{
		cc_prompt_item *it = &items[n++];
		if (json_is_string(v)) {
			it->path = json_string_value(v);
			continue;
		}
		json_t *jp = json_object_get(v, "path"), *js = json_object_get(v, "start"),
		       *je = json_object_get(v, "end");
		if (!json_is_string(jp) || !json_is_integer(js) || !json_is_integer(je) ||
		    json_integer_value(js) < 0 || json_integer_value(je) <= json_integer_value(js) ||
		    json_integer_value(je) > UINT32_MAX) {
			free(items);
			return cc_error_set(CC_EINVAL,
			                    "priors: params.paths[%zu] must be a path or {path, start, end} "
			                    "with 0 <= start < end",
			                    i);
		}
		it->path = json_string_value(jp);
		it->start = (uint32_t)json_integer_value(js);
		it->end = (uint32_t)json_integer_value(je);
	}
	cc_priors_opts opts = {query, query ? strlen(query) : 0,
	                       jb && json_is_integer(jb) ? (size_t)json_integer_value(jb) : 0,
	                       max_tokens, 0};
	rc = cc_priors_from_store(&p, s, repo, json_string_value(jrev), tok, items, n, &opts, &cfg);
	free(items);
	if (rc)
		return rc;
	*out = cc_priors_json_packed(p, packed);
	cc_priors_free(p);
	return *out ? CC_OK : cc_error_set(CC_ENOMEM, "priors: out of memory");
}

size_t cc_priors_model_context(const char *model)
{
	char path[4200];
	size_t n = 0;
	json_t *j, *v;
	snprintf(path, sizeof(path), "%s/config.json", model);
	j = json_load_file(path, 0, NULL);
	v = json_object_get(j, "max_position_embeddings");
	if (json_is_integer(v) && json_integer_value(v) > 0)
		n = (size_t)json_integer_value(v);
	json_decref(j);
	return n;
}
