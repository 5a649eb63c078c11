/*
 * kv_int.h - internals shared by the files of kv/ (not for other modules): half-precision
 * conversions of the quantized formats.
 */
#ifndef CC_KV_INT_H
#define CC_KV_INT_H

#include <stdint.h>

/* IEEE f16 <-> f32 (nearest, |x| clamped to 65504). */
float cc_kvq_h2f(uint16_t h);
uint16_t cc_kvq_f2h(float x);

#endif
