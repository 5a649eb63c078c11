/*
 * gpu_util.h - helpers for the GPU tests and benchmarks: bf16 conversion on the host, a seeded
 * random generator that never yields zero, device buffers with error checks, and relative
 * error of a result against a double-precision reference.
 */
#ifndef CC_GPU_UTIL_H
#define CC_GPU_UTIL_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cuda_runtime_api.h>

#define GPU_OK(call)                                                                  \
	do {                                                                          \
		cudaError_t e_ = (call);                                              \
		if (e_ != cudaSuccess) {                                              \
			fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, \
			        cudaGetErrorString(e_));                              \
			exit(1);                                                      \
		}                                                                     \
	} while (0)

#define CC_OK_OR_DIE(call)                                                                 \
	do {                                                                               \
		int rc_ = (call);                                                          \
		if (rc_ != 0) {                                                            \
			fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, #call, \
			        cc_strerror(rc_), cc_error_last());                        \
			exit(1);                                                           \
		}                                                                          \
	} while (0)

static inline uint16_t h_f2bf(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	if ((u & 0x7fffffffu) > 0x7f800000u)
		return 0x7fc0;
	u += 0x7fffu + ((u >> 16) & 1u);
	return (uint16_t)(u >> 16);
}

static inline float h_bf2f(uint16_t b)
{
	uint32_t u = (uint32_t)b << 16;
	float f;
	memcpy(&f, &u, 4);
	return f;
}

static uint64_t g_rng = 88172645463325252ull;

static inline void rng_seed(uint64_t s)
{
	g_rng = s ? s : 88172645463325252ull;
}

static inline uint64_t rng_next(void)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return g_rng;
}

/* uniform in [-a, -a/64] U [a/64, a]: never zero, never tiny */
static inline float rng_val(float a)
{
	double u = (double)(rng_next() >> 11) / 9007199254740992.0;
	float mag = a * (float)(1.0 / 64 + u * (1.0 - 1.0 / 64));
	return (rng_next() & 1) ? mag : -mag;
}

static inline void fill_bf16(uint16_t *h, size_t n, float a)
{
	for (size_t i = 0; i < n; i++)
		h[i] = h_f2bf(rng_val(a));
}

static inline void *dev_alloc(size_t bytes)
{
	void *p = NULL;
	GPU_OK(cudaMalloc(&p, bytes ? bytes : 1));
	return p;
}

static inline void *dev_from(const void *h, size_t bytes)
{
	void *p = dev_alloc(bytes);
	GPU_OK(cudaMemcpy(p, h, bytes, cudaMemcpyHostToDevice));
	return p;
}

static inline void to_host(void *h, const void *d, size_t bytes)
{
	GPU_OK(cudaDeviceSynchronize());
	GPU_OK(cudaMemcpy(h, d, bytes, cudaMemcpyDeviceToHost));
}

/* Poison: 0xFF bytes are NaN as f32 and bf16 alike. */
static inline void dev_poison(void *d, size_t bytes)
{
	GPU_OK(cudaMemset(d, 0xff, bytes));
}

/* ||got - ref|| / ||ref||; a NaN anywhere gives +inf. */
static inline double rel_err(const float *got, const double *ref, size_t n)
{
	double num = 0, den = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(got[i]) || isinf(got[i]))
			return INFINITY;
		double d = got[i] - ref[i];
		num += d * d;
		den += ref[i] * ref[i];
	}
	return den > 0 ? sqrt(num / den) : sqrt(num);
}

static inline uint64_t seed_from_env(void)
{
	const char *s = getenv("CC_TEST_SEED");
	if (s && *s)
		return strtoull(s, NULL, 0);
	return 0x5eed0000ull ^ (uint64_t)time(NULL);
}

#endif
