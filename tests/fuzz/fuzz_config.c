/*
 * fuzz_config.c - libFuzzer entry for config.json parsing of model checkpoints: any input is
 * refused with a status or gives a configuration the engine can size buffers from (positive
 * dimensions, heads divisible by KV heads, even head_dim, finite RoPE theta and epsilon, the
 * llama3 scaling's parameters in range and finite, non-negative rotation frequencies).
 */
#include "cc_common.h"
#include "engine_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cc_model_config c;
	if (cc_model_config_parse(&c, (const char *)data, size, "fuzz") != CC_OK)
		return 0;
	CC_ASSERT(c.arch == CC_ARCH_LLAMA || c.arch == CC_ARCH_QWEN2);
	CC_ASSERT(c.n_layers > 0 && c.hidden > 0 && c.n_heads > 0 && c.n_kv_heads > 0);
	CC_ASSERT(c.n_heads % c.n_kv_heads == 0);
	CC_ASSERT(c.head_dim > 0 && c.head_dim % 2 == 0);
	CC_ASSERT(c.vocab > 0 && c.intermediate > 0 && c.max_pos > 0);
	CC_ASSERT(isfinite(c.rope_theta) && c.rope_theta > 0);
	CC_ASSERT(isfinite(c.rms_eps) && c.rms_eps > 0);
	if (c.rope_type == CC_ROPE_LLAMA3)
		CC_ASSERT(isfinite(c.rope_factor) && c.rope_factor > 0 && c.rope_low_freq > 0 &&
		          isfinite(c.rope_high_freq) && c.rope_high_freq > c.rope_low_freq &&
		          c.rope_orig_max >= 1);
	else
		CC_ASSERT(c.rope_type == CC_ROPE_DEFAULT);
	/* the rotation frequencies of any accepted config are numbers, never NaN or negative */
	float *f = malloc((size_t)c.head_dim / 2 * sizeof(float));
	if (!f)
		return 0;
	cc_rope_inv_freq(&c, f);
	for (int i = 0; i < c.head_dim / 2; i++)
		CC_ASSERT(isfinite(f[i]) && f[i] >= 0);
	free(f);
	return 0;
}
