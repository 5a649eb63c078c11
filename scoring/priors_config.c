/*
 * priors_config.c - the weights of the priors: defaults, JSON overrides, validation.
 *
 * Fields (JSON keys are the same names):
 *   class_weight       {class name: weight in [0,1]} per token class (cc_prior_class_name)
 *   rel_floor          prior = class_weight * (rel_floor + (1 - rel_floor) * relevance)
 *   text_relevance     relevance of text and header tokens
 *   edge_weight        {call, reaching_def, cdg, contains}: PageRank transition weights
 *   reverse_weight     factor on the reverse direction of every edge (callers, definitions)
 *   damping            PageRank continuation probability; iterations: max power iterations
 *   seed_name, seed_path, seed_line: seed mass per query match kind; min_name_len
 *   relevance_gamma    token relevance = (rank / max rank) ^ gamma
 *   protect_class      [class names] always protected; protect_relevance: structural tokens
 *                      of nodes at least this relevant are protected too
 *   chunk_min, chunk_max  chunk sizes in tokens
 * Validation keeps the ordering guarantee: max(comment, whitespace) weight must be below
 * rel_floor * min(call, predicate, return, assignment) weight.
 */
#include "cc_common.h"
#include "cc_priors.h"

#include <math.h>
#include <string.h>

static const char *class_names[CC_PCLS_COUNT] = {
	"text", "header", "whitespace", "comment", "code", "literal", "identifier", "import",
	"type_decl", "param", "signature", "assignment", "return", "predicate", "call",
};
static const char *edge_names[CC_PEDGE_COUNT] = {"call", "reaching_def", "cdg", "contains"};

const char *cc_prior_class_name(int cls)
{
	return cls >= 0 && cls < CC_PCLS_COUNT ? class_names[cls] : "?";
}

int cc_prior_class_parse(const char *name)
{
	for (int i = 0; name && i < CC_PCLS_COUNT; i++)
		if (!strcmp(class_names[i], name))
			return i;
	return -1;
}

void cc_priors_config_default(cc_priors_config *c)
{
	static const float w[CC_PCLS_COUNT] = {
		[CC_PCLS_TEXT] = 0.70f,      [CC_PCLS_HEADER] = 1.00f,    [CC_PCLS_WHITESPACE] = 0.10f,
		[CC_PCLS_COMMENT] = 0.15f,   [CC_PCLS_CODE] = 0.45f,      [CC_PCLS_LITERAL] = 0.50f,
		[CC_PCLS_IDENTIFIER] = 0.60f, [CC_PCLS_IMPORT] = 0.75f,   [CC_PCLS_TYPE_DECL] = 0.90f,
		[CC_PCLS_PARAM] = 0.85f,     [CC_PCLS_SIGNATURE] = 1.00f, [CC_PCLS_ASSIGNMENT] = 0.85f,
		[CC_PCLS_RETURN] = 0.90f,    [CC_PCLS_PREDICATE] = 0.95f, [CC_PCLS_CALL] = 0.90f,
	};
	memset(c, 0, sizeof(*c));
	memcpy(c->class_weight, w, sizeof(w));
	c->rel_floor = 0.5f;
	c->text_relevance = 1.0f;
	c->edge_weight[CC_PEDGE_CALL] = 1.0f;
	c->edge_weight[CC_PEDGE_REACHING_DEF] = 0.5f;
	c->edge_weight[CC_PEDGE_CDG] = 0.5f;
	c->edge_weight[CC_PEDGE_CONTAINS] = 1.0f;
	c->reverse_weight = 0.3f;
	c->damping = 0.85f;
	c->iterations = 40;
	c->seed_name = 1.0f;
	c->seed_path = 0.3f;
	c->seed_line = 1.0f;
	c->min_name_len = 3;
	c->relevance_gamma = 0.5f;
	c->protect_class[CC_PCLS_TEXT] = 1; /* the instructions / issue text */
	c->protect_class[CC_PCLS_HEADER] = 1;
	c->protect_class[CC_PCLS_SIGNATURE] = 1;
	c->protect_class[CC_PCLS_PREDICATE] = 1;
	c->protect_class[CC_PCLS_RETURN] = 1;
	c->protect_relevance = 0.6f;
	c->chunk_min = 128;
	c->chunk_max = 4096;
}

static int validate(const cc_priors_config *c)
{
	for (int i = 0; i < CC_PCLS_COUNT; i++)
		if (!(c->class_weight[i] >= 0 && c->class_weight[i] <= 1))
			return cc_error_set(CC_EINVAL, "priors config: class_weight.%s must be in [0, 1]",
			                    class_names[i]);
	if (!(c->rel_floor > 0 && c->rel_floor <= 1))
		return cc_error_set(CC_EINVAL, "priors config: rel_floor must be in (0, 1]");
	if (!(c->text_relevance >= 0 && c->text_relevance <= 1))
		return cc_error_set(CC_EINVAL, "priors config: text_relevance must be in [0, 1]");
	for (int i = 0; i < CC_PEDGE_COUNT; i++)
		if (!(c->edge_weight[i] >= 0 && c->edge_weight[i] <= 100))
			return cc_error_set(CC_EINVAL, "priors config: edge_weight.%s must be in [0, 100]",
			                    edge_names[i]);
	if (!(c->reverse_weight >= 0 && c->reverse_weight <= 100))
		return cc_error_set(CC_EINVAL, "priors config: reverse_weight must be in [0, 100]");
	if (!(c->damping >= 0 && c->damping < 1))
		return cc_error_set(CC_EINVAL, "priors config: damping must be in [0, 1)");
	if (c->iterations < 1 || c->iterations > 1000)
		return cc_error_set(CC_EINVAL, "priors config: iterations must be in [1, 1000]");
	if (!(c->seed_name >= 0 && c->seed_path >= 0 && c->seed_line >= 0))
		return cc_error_set(CC_EINVAL, "priors config: seed weights must be >= 0");
	if (c->min_name_len < 1 || c->min_name_len > 64)
		return cc_error_set(CC_EINVAL, "priors config: min_name_len must be in [1, 64]");
	if (!(c->relevance_gamma > 0 && c->relevance_gamma <= 4))
		return cc_error_set(CC_EINVAL, "priors config: relevance_gamma must be in (0, 4]");
	if (!(c->protect_relevance >= 0 && c->protect_relevance <= 1.0001f))
		return cc_error_set(CC_EINVAL, "priors config: protect_relevance must be in [0, 1]");
	if (c->chunk_min < 1 || c->chunk_max < c->chunk_min || c->chunk_max > (1 << 24))
		return cc_error_set(CC_EINVAL, "priors config: need 1 <= chunk_min <= chunk_max");
	/* the ordering guarantee: low classes at full relevance stay under structure at none */
	float lo = c->class_weight[CC_PCLS_COMMENT] > c->class_weight[CC_PCLS_WHITESPACE]
	               ? c->class_weight[CC_PCLS_COMMENT]
	               : c->class_weight[CC_PCLS_WHITESPACE];
	static const int structural[] = {CC_PCLS_CALL, CC_PCLS_PREDICATE, CC_PCLS_RETURN,
	                                 CC_PCLS_ASSIGNMENT};
	for (size_t i = 0; i < sizeof(structural) / sizeof(structural[0]); i++)
		if (!(lo < c->rel_floor * c->class_weight[structural[i]]))
			return cc_error_set(CC_EINVAL,
			                    "priors config: comment/whitespace weight %.3g could outrank %s "
			                    "(needs < rel_floor x %.3g = %.3g)",
			                    lo, class_names[structural[i]], c->class_weight[structural[i]],
			                    c->rel_floor * c->class_weight[structural[i]]);
	return CC_OK;
}

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
						if (!strcmp(edge_names[i], k2))
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
	if ((rc = validate(&c)))
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
		json_object_set_new(cw, class_names[i], json_real(c->class_weight[i]));
		if (c->protect_class[i])
			json_array_append_new(pc, json_string(class_names[i]));
	}
	for (int i = 0; i < CC_PEDGE_COUNT; i++)
		json_object_set_new(ew, edge_names[i], json_real(c->edge_weight[i]));
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
