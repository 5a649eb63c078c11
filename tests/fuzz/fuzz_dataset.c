/*
 * fuzz_dataset.c - libFuzzer entry for the BugsInPy and Defects4J metadata parsers
 * (dataset.c): the first byte picks bug.info, run_test.sh, active-bugs.csv, trigger_tests or a
 * unified diff; every parser fails with a status or returns well-formed values (commit ids of
 * hex digits, non-empty test lists), and reversing a diff three times equals reversing it
 * once.
 */
#include "cc_common.h"
#include "cc_corpus.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hex(const char *s)
{
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	const char *t = (const char *)data + 1;
	size_t n = size - 1;
	switch (data[0] % 5) {
	case 0: {
		cc_bugsinpy_info in;
		if (cc_bugsinpy_info_parse(&in, t, n) == CC_OK) {
			CC_ASSERT(in.buggy && in.fixed && hex(in.buggy) && hex(in.fixed));
			for (size_t i = 0; i < in.n_test_files; i++)
				CC_ASSERT(in.test_files[i][0]);
			cc_bugsinpy_info_clear(&in);
		}
		break;
	}
	case 1: {
		char **v;
		size_t k;
		if (cc_bugsinpy_tests_parse(&v, &k, t, n) == CC_OK) {
			CC_ASSERT(k > 0);
			for (size_t i = 0; i < k; i++)
				CC_ASSERT(v[i][0] && v[i][0] != '-');
			cc_strv_free(v, k);
		}
		break;
	}
	case 2: {
		cc_d4j_bug *b;
		size_t k;
		if (cc_d4j_active_bugs_parse(&b, &k, t, n) == CC_OK) {
			for (size_t i = 0; i < k; i++)
				CC_ASSERT(b[i].id > 0 && hex(b[i].buggy) && hex(b[i].fixed) &&
				          strlen(b[i].buggy) >= 7);
			cc_d4j_bugs_free(b, k);
		}
		break;
	}
	case 3: {
		char **v, *first;
		size_t k;
		if (cc_d4j_trigger_parse(&v, &k, &first, t, n) == CC_OK) {
			CC_ASSERT(k > 0);
			cc_strv_free(v, k);
			free(first);
		}
		break;
	}
	default: {
		char *r1 = NULL, *r2 = NULL, *r3 = NULL;
		if (cc_diff_reverse(&r1, t, n) == CC_OK && cc_diff_reverse(&r2, r1, strlen(r1)) == CC_OK &&
		    cc_diff_reverse(&r3, r2, strlen(r2)) == CC_OK)
			CC_ASSERT(!strcmp(r1, r3));
		free(r1);
		free(r2);
		free(r3);
		break;
	}
	}
	return 0;
}
