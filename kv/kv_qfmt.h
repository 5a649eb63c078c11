/*
 * kv_qfmt.h - the scalar arithmetic of the quantized KV formats (cc_kv.h), written once for
 * the host and the device: IEEE f16 conversions, the directed rounding of a group's
 * (scale, min) pair, code packing and the normalized Walsh-Hadamard transform. kv/cc_kv_quant.c
 * (the CPU reference) and kernels/kv_seal.cu (its CUDA twin) both include it, so the device
 * quantizes bit for bit as the host does. Products that nvcc would fuse with an addition into
 * an FMA (a different rounding) go through KVQ_MUL, an unfused multiply on the device.
 * Internal to kv/ and kernels/kv_seal.cu; no allocation, nothing here can fail.
 */
#ifndef CC_KV_QFMT_H
#define CC_KV_QFMT_H

#include <math.h>
#include <stdint.h>

#if defined(__CUDACC__)
#define KVQ_FN static __host__ __device__ inline
#else
#define KVQ_FN static inline
#endif

#if defined(__CUDA_ARCH__)
#define KVQ_MUL(a, b) __fmul_rn((a), (b))
#else
#define KVQ_MUL(a, b) ((a) * (b))
#endif

/* f16 bits -> f32 (exact). */
KVQ_FN float kvq_h2f(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000) << 16, e = (h >> 10) & 31, m = h & 1023;
	union {
		uint32_t u;
		float f;
	} v;
	if (e == 0) {
		float f = ldexpf((float)m, -24);
		return sign ? -f : f;
	}
	if (e == 31)
		v.u = sign | 0x7f800000u | (m << 13);
	else
		v.u = sign | ((e + 112) << 23) | (m << 13);
	return v.f;
}

/* The nearest f16 of a finite x, |x| clamped to 65504. */
KVQ_FN uint16_t kvq_f2h(float x)
{
	uint16_t sign = x < 0 ? 0x8000 : 0;
	float a = fabsf(x);
	if (a > 65504.0f)
		a = 65504.0f;
	if (a < ldexpf(1.0f, -14)) /* subnormal: multiples of 2^-24 */
		return (uint16_t)(sign | (uint16_t)lrintf(ldexpf(a, 24)));
	int e;
	float fr = frexpf(a, &e);        /* a = fr * 2^e, fr in [0.5, 1) */
	long m = lrintf(ldexpf(fr, 11)); /* 1024 .. 2048 */
	if (m == 2048) {
		m = 1024;
		e++;
	}
	if (e - 1 + 15 >= 31)
		return (uint16_t)(sign | 0x7bff);
	return (uint16_t)(sign | (uint16_t)((e - 1 + 15) << 10) | (uint16_t)(m - 1024));
}

/* The next f16 towards -inf / +inf (finite inputs). */
KVQ_FN uint16_t kvq_h_down(uint16_t h)
{
	if (h == 0x0000)
		return 0x8001;
	if (h & 0x8000)
		return (h & 0x7fff) >= 0x7bff ? h : (uint16_t)(h + 1);
	return (uint16_t)(h - 1);
}

KVQ_FN uint16_t kvq_h_up(uint16_t h)
{
	if (h == 0x8000 || h == 0x0000)
		return 0x0001;
	if (h & 0x8000)
		return (uint16_t)(h - 1);
	return h >= 0x7bff ? h : (uint16_t)(h + 1);
}

/* Params of a group with values in [lo, hi]: min rounded down, scale rounded up so that
 * min + qmax * scale >= hi. p[0] = scale, p[1] = min (f16 bits). */
KVQ_FN void kvq_group_params(uint16_t *p, float lo, float hi, int qmax)
{
	if (lo < -65504.0f)
		lo = -65504.0f;
	if (hi > 65504.0f)
		hi = 65504.0f;
	uint16_t m = kvq_f2h(lo);
	while (kvq_h2f(m) > lo)
		m = kvq_h_down(m);
	float mf = kvq_h2f(m);
	uint16_t s = kvq_f2h((hi - mf) / (float)qmax);
	while (kvq_h2f(s) < 0 || mf + KVQ_MUL((float)qmax, kvq_h2f(s)) < hi) {
		uint16_t s2 = kvq_h_up(s);
		if (s2 == s)
			break;
		s = s2;
	}
	p[0] = s;
	p[1] = m;
}

/* The code of x in a group (scale, mn). */
KVQ_FN int kvq_quant_one(float x, float scale, float mn, int qmax)
{
	if (!(scale > 0))
		return 0;
	long q = lrintf((x - mn) / scale);
	return q < 0 ? 0 : q > qmax ? qmax
	                            : (int)q;
}

/* The value of code q in a group (scale, mn). */
KVQ_FN float kvq_dequant_one(int q, float scale, float mn)
{
	return KVQ_MUL((float)q, scale) + mn;
}

KVQ_FN void kvq_put_code(uint8_t *row, int d, int bits, int q)
{
	int bit = d * bits;
	row[bit >> 3] |= (uint8_t)(q << (bit & 7));
}

KVQ_FN int kvq_get_code(const uint8_t *row, int d, int bits)
{
	int bit = d * bits;
	return (row[bit >> 3] >> (bit & 7)) & ((1 << bits) - 1);
}

/* In place x <- H x, H the normalized Walsh-Hadamard matrix of order n (a power of two). */
KVQ_FN void kvq_hadamard(float *x, int n)
{
	for (int h = 1; h < n; h *= 2)
		for (int i = 0; i < n; i += 2 * h)
			for (int j = i; j < i + h; j++) {
				float a = x[j], b = x[j + h];
				x[j] = a + b;
				x[j + h] = a - b;
			}
	float s = 1.0f / sqrtf((float)n);
	for (int i = 0; i < n; i++)
		x[i] = KVQ_MUL(x[i], s);
}

#endif
