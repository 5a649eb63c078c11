/*
 * dtype.c - conversions between f32 and the 16-bit float formats of checkpoints and caches
 * (IEEE half and bfloat16), round to nearest even, NaN and infinity preserved.
 */
#include "cc_common.h"
#include "engine_int.h"

#include <string.h>

float cc_f16_to_f32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff, u;
	float f;
	if (exp == 0x1f) {
		u = sign | 0x7f800000u | (man << 13);
	} else if (exp == 0) {
		if (man == 0) {
			u = sign;
		} else {
			/* subnormal: value = man * 2^-24 */
			f = (float)man * 5.9604644775390625e-8f;
			memcpy(&u, &f, 4);
			u |= sign;
		}
	} else {
		u = sign | ((exp + 112) << 23) | (man << 13);
	}
	memcpy(&f, &u, 4);
	return f;
}

uint16_t cc_f32_to_bf16(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	if ((u & 0x7fffffffu) > 0x7f800000u)
		return (uint16_t)((u >> 16) | 0x40); /* quiet NaN */
	u += 0x7fffu + ((u >> 16) & 1);
	return (uint16_t)(u >> 16);
}

uint16_t cc_f32_to_f16(float f)
{
	uint32_t u, sign, exp, man;
	memcpy(&u, &f, 4);
	sign = (u >> 16) & 0x8000;
	exp = (u >> 23) & 0xff;
	man = u & 0x7fffff;
	if (exp == 0xff)
		return (uint16_t)(sign | 0x7c00 | (man ? 0x200 : 0));
	int e = (int)exp - 127 + 15;
	if (e >= 0x1f)
		return (uint16_t)(sign | 0x7c00);
	if (e <= 0) {
		if (e < -10)
			return (uint16_t)sign;
		man |= 0x800000;
		int shift = 14 - e;
		uint32_t half = man >> shift, rem = man & ((1u << shift) - 1), mid = 1u << (shift - 1);
		if (rem > mid || (rem == mid && (half & 1)))
			half++;
		return (uint16_t)(sign | half);
	}
	uint32_t half = sign | ((uint32_t)e << 10) | (man >> 13), rem = man & 0x1fff;
	if (rem > 0x1000 || (rem == 0x1000 && (half & 1)))
		half++; /* may carry into the exponent: correct rounding up to infinity */
	return (uint16_t)half;
}

void cc_tensor_to_f32(float *dst, const void *src, int dtype, size_t n)
{
	const unsigned char *b = src;
	switch (dtype) {
	case CC_KV_F32:
		memcpy(dst, src, n * 4);
		break;
	case CC_KV_BF16:
		for (size_t i = 0; i < n; i++) {
			uint16_t h;
			memcpy(&h, b + 2 * i, 2);
			dst[i] = cc_bf16_to_f32(h);
		}
		break;
	case CC_KV_F16:
		for (size_t i = 0; i < n; i++) {
			uint16_t h;
			memcpy(&h, b + 2 * i, 2);
			dst[i] = cc_f16_to_f32(h);
		}
		break;
	default:
		CC_ASSERT(0 && "unknown dtype");
	}
}
