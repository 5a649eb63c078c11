/*
 * fuzz_safetensors.c - libFuzzer entry for the safetensors header parser: any byte string is
 * either refused with a status or yields entries whose data ranges lie inside the input and
 * whose sizes equal shape x element size.
 */
#include "cc_common.h"
#include "cc_kv.h"
#include "safetensors.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cc_st_header h;
	if (cc_st_header_parse(&h, data, size, size, "fuzz") != CC_OK)
		return 0;
	for (size_t i = 0; i < h.n; i++) {
		const cc_st_tensor *t = &h.t[i];
		size_t nel = 1;
		CC_ASSERT(t->name != NULL);
		CC_ASSERT(t->begin <= t->end && t->end <= size);
		CC_ASSERT(t->ndim >= 0 && t->ndim <= CC_ST_MAX_DIMS);
		for (int d = 0; d < t->ndim; d++)
			nel *= (size_t)t->shape[d];
		if (t->dtype >= 0)
			CC_ASSERT(t->end - t->begin == nel * cc_kv_dtype_size(t->dtype));
	}
	cc_st_header_free(&h);
	return 0;
}
