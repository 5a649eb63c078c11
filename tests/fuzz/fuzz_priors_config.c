/*
 * fuzz_priors_config.c - the priors configuration loader (cc_priors_config_load_json) on
 * arbitrary JSON: it must accept or refuse cleanly, leave the configuration unchanged when it
 * refuses, and never accept one that breaks the ordering guarantee (comments/whitespace at
 * full relevance below call/predicate/return/assignment at none).
 */
#include "cc_common.h"
#include "cc_priors_reply.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	cc_priors_config c, before;
	if (!j)
		return 0;
	cc_priors_config_default(&c);
	before = c;
	if (cc_priors_config_load_json(&c, j) != CC_OK) {
		if (memcmp(&c, &before, sizeof(c)) != 0)
			abort();
	} else {
		float lo = c.class_weight[CC_PCLS_COMMENT] > c.class_weight[CC_PCLS_WHITESPACE]
		                   ? c.class_weight[CC_PCLS_COMMENT]
		                   : c.class_weight[CC_PCLS_WHITESPACE];
		if (!(lo < c.rel_floor * c.class_weight[CC_PCLS_CALL]) || c.chunk_min > c.chunk_max)
			abort();
		json_t *back = cc_priors_config_json(&c);
		cc_priors_config c2;
		cc_priors_config_default(&c2);
		if (!back || cc_priors_config_load_json(&c2, back) != CC_OK)
			abort();
		json_decref(back);
	}
	json_decref(j);
	return 0;
}
