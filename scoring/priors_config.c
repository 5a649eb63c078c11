/*
 * priors_config.c - the weights of the priors: defaults, names, validation (the JSON form is
 * in reply.c).
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

#include <string.h>

static const char *class_names[CC_PCLS_COUNT] = {
	"text", "header", "whitespace", "comment", "code", "literal", "identifier", "import",
	"type_decl", "param", "signature", "assignment", "return", "predicate", "call"};
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
		[CC_PCLS_TEXT] = 0.70f,
		[CC_PCLS_HEADER] = 1.00f,
		[CC_PCLS_WHITESPACE] = 0.10f,
		[CC_PCLS_COMMENT] = 0.15f,
		[CC_PCLS_CODE] = 0.45f,
		[CC_PCLS_LITERAL] = 0.50f,
		[CC_PCLS_IDENTIFIER] = 0.60f,
		[CC_PCLS_IMPORT] = 0.75f,
		[CC_PCLS_TYPE_DECL] = 0.90f,
		[CC_PCLS_PARAM] = 0.85f,
		[CC_PCLS_SIGNATURE] = 1.00f,
		[CC_PCLS_ASSIGNMENT] = 0.85f,
		[CC_PCLS_RETURN] = 0.90f,
		[CC_PCLS_PREDICATE] = 0.95f,
		[CC_PCLS_CALL] = 0.90f,
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

int cc_priors_config_validate(const cc_priors_config *c)
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

const char *cc_prior_edge_name(int e)
{
	return e >= 0 && e < CC_PEDGE_COUNT ? edge_names[e] : "?";
}
