/*
 * rc_test.h - helpers shared by the repository cache tests: loading the shared model, a
 * synthetic Python file of small functions (deterministic for a stem and seed) and the largest
 * absolute difference of two logit rows. Header-only.
 */
#ifndef CC_RC_TEST_H
#define CC_RC_TEST_H

#include "cc_repocache.h"
#include "cc_tokenizer.h"
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The shared model (2 threads) into *m, its tokenizer into *t and its info into *info; the
 * test is skipped when the model is absent, and fails when it does not load. */
static inline void rc_load_model(cc_model **m, cc_tokenizer **t, cc_model_info *info)
{
	const char *dir = test_model_dir();
	cc_model_opts mo = {0};
	if (!dir)
		TEST_SKIP("the shared model is absent (../shared/models/pycode-16m or CC_MODEL_DIR)");
	mo.n_threads = 2;
	CHECK_EQ_INT(cc_model_load(m, dir, &mo), CC_OK);
	CHECK_EQ_INT(cc_tokenizer_load(t, dir), CC_OK);
	cc_model_info_get(info, *m);
}

/* "# file: STEM<seed>.py" and about `funcs` small functions varied by seed; malloc'd. */
static inline char *synth_py(const char *stem, int funcs, int seed)
{
	size_t cap = (size_t)funcs * 200 + 64, at = 0;
	char *t = malloc(cap);
	if (!t)
		return NULL;
	at += (size_t)snprintf(t + at, cap - at, "# file: %s%d.py\n", stem, seed);
	for (int i = 0; i < funcs; i++)
		at += (size_t)snprintf(t + at, cap - at,
		                       "def f%d_%d(x, y):\n    if x > %d:\n        return g%d(y) + %d\n"
		                       "    return x * y\n\n",
		                       seed, i, i * 3 + seed, i, seed * 7 + i);
	return t;
}

static inline double max_abs_diff(const float *a, const float *b, size_t n)
{
	double m = 0;
	for (size_t i = 0; i < n; i++)
		if (fabs((double)a[i] - (double)b[i]) > m)
			m = fabs((double)a[i] - (double)b[i]);
	return m;
}

#endif
