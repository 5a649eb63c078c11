/*
 * fuzz_localize_text.c - libFuzzer entry for what localize reads from users and models: seed
 * extraction from issue texts and stack traces, and the reading of a generative answer
 * against a candidate list. Any bytes: no crash, every seed a non-empty bounded string, an
 * answer either valid (a real candidate, a line inside it) or invalid with a reason.
 */
#include "cc_common.h"
#include "cc_localize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cc_loc_seed *s = NULL;
	size_t n = 0;
	if (cc_loc_seeds_extract(&s, &n, (const char *)data, size) == CC_OK) {
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(s[i].text);
			CC_ASSERT(l > 0 && l <= 400);
			CC_ASSERT(s[i].kind <= CC_LOC_SEED_FRAME && s[i].weight > 0);
		}
		cc_loc_seeds_free(s, n);
	}
	static cc_loc_func funcs[3] = {
		{"pkg/store.py", "remove", "Stock.remove", 0, 17, 27, 0, 0, 0, 0, -1, 0, 0},
		{"pkg/models.py", "validate", "validate", 0, 8, 13, 0, 0, 0, 0, -1, 0, 0},
		{"src/main.c", "main", "main", 0, 1, 40, 0, 0, 0, 0, -1, 0, 0}};
	cc_loc_candidates c = {funcs, 3, 0, 0, 0, 0};
	char *z = malloc(size + 1);
	if (!z)
		return 0;
	memcpy(z, data, size);
	z[size] = 0;
	cc_loc_answer a;
	if (cc_loc_answer_parse(&a, z, &c) == CC_OK) {
		if (a.valid) {
			CC_ASSERT(a.func < 3);
			CC_ASSERT(!a.line || (a.line >= funcs[a.func].start_line && a.line <= funcs[a.func].end_line));
		} else {
			CC_ASSERT(a.why && *a.why);
		}
		cc_loc_answer_clear(&a);
	}
	free(z);
	return 0;
}
