/*
 * num_util.h - number helpers shared by the engine, KV and GPU tests: bf16 <-> f32 on the host
 * (round to nearest even, as the engine and kernels store), the log-probability of one id in a
 * row of logits, and a row's argmax. Header-only (static inline), no dependencies.
 */
#ifndef CC_TEST_NUM_UTIL_H
#define CC_TEST_NUM_UTIL_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline float bf2f(uint16_t h)
{
	uint32_t u = (uint32_t)h << 16;
	float f;
	memcpy(&f, &u, 4);
	return f;
}

static inline uint16_t f2bf(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	if ((u & 0x7fffffffu) > 0x7f800000u)
		return 0x7fc0; /* NaN stays NaN */
	return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

/* log softmax(x)[id] over n logits, in double */
static inline double logp_at(const float *x, int n, int id)
{
	double mx = -INFINITY, s = 0;
	for (int i = 0; i < n; i++)
		mx = x[i] > mx ? x[i] : mx;
	for (int i = 0; i < n; i++)
		s += exp(x[i] - mx);
	return x[id] - mx - log(s);
}

/* index of the largest of n logits (the first on ties) */
static inline int argmax(const float *x, int n)
{
	int b = 0;
	for (int i = 1; i < n; i++)
		if (x[i] > x[b])
			b = i;
	return b;
}

#endif
