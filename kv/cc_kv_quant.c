/*
 * cc_kv_quant.c - the quantized block formats of the KV cache (layout in cc_kv.h): packing
 * rows at 8, 4 or 2 bits with f16 (scale, min) pairs per group of channels of a token or per
 * channel over a block's tokens, the normalized Hadamard rotation, and the layout arithmetic.
 * These are the CPU reference of the formats: the CPU engine's attention, sealing and
 * compaction use them, and the CUDA kernels are tested against them. The scalar arithmetic
 * lives in kv_qfmt.h, shared with the device's sealing kernel (kernels/kv_seal.cu).
 */
#include "cc_kv.h"

#include "cc_common.h"
#include "kv_int.h"
#include "kv_qfmt.h"

#include <math.h>
#include <string.h>

int cc_kv_quant_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "none"))
		return CC_KV_QUANT_NONE;
	if (!strcmp(s, "kivi"))
		return CC_KV_QUANT_KIVI;
	if (!strcmp(s, "rotated"))
		return CC_KV_QUANT_ROTATED;
	return -1;
}

const char *cc_kv_quant_name(int method)
{
	switch (method) {
	case CC_KV_QUANT_NONE:
		return "none";
	case CC_KV_QUANT_KIVI:
		return "kivi";
	case CC_KV_QUANT_ROTATED:
		return "rotated";
	default:
		return "?";
	}
}

int cc_kv_qlayout_get(cc_kv_qlayout *out, const cc_kv_config *cfg, const cc_kv_qconfig *q)
{
	int hd = cfg->head_dim, bt = cfg->block_tokens;
	memset(out, 0, sizeof(*out));
	if (q->method != CC_KV_QUANT_KIVI && q->method != CC_KV_QUANT_ROTATED)
		return cc_error_set(CC_EINVAL, "kv quantization: unknown method %d", q->method);
	if (q->bits != 8 && q->bits != 4 && q->bits != 2)
		return cc_error_set(CC_EINVAL, "kv quantization: %d bits (8, 4 or 2)", q->bits);
	if (hd <= 0 || hd % 16)
		return cc_error_set(CC_EINVAL, "kv quantization: head_dim %d is not a multiple of 16",
		                    hd);
	if (q->method == CC_KV_QUANT_ROTATED && (hd & (hd - 1)))
		return cc_error_set(CC_EINVAL,
		                    "kv quantization: rotated needs a power-of-two "
		                    "head_dim, not %d",
		                    hd);
	if (bt <= 0 || q->residual_tokens < 0)
		return cc_error_set(CC_EINVAL, "kv quantization: block_tokens %d, residual %d", bt,
		                    q->residual_tokens);
	out->method = q->method;
	out->bits = q->bits;
	out->group = hd % 32 ? 16 : 32;
	out->k_per_channel = q->method == CC_KV_QUANT_KIVI;
	out->rotate = q->method == CC_KV_QUANT_ROTATED;
	out->head_dim = hd;
	out->block_tokens = bt;
	out->n_kv_heads = cfg->n_kv_heads;
	out->row_bytes = (size_t)hd * (size_t)q->bits / 8;
	size_t tok_params = (size_t)bt * (size_t)(hd / out->group) * 4;
	size_t ch_params = (size_t)hd * 4;
	out->k_params_off = out->v_params_off = (size_t)bt * out->row_bytes;
	out->k_head_bytes = out->k_params_off + (out->k_per_channel ? ch_params : tok_params);
	out->v_head_bytes = out->v_params_off + tok_params;
	/* keep every head's part 4-byte aligned (params are f16 pairs) */
	out->k_head_bytes = (out->k_head_bytes + 3) & ~(size_t)3;
	out->v_head_bytes = (out->v_head_bytes + 3) & ~(size_t)3;
	out->block_bytes = (size_t)cfg->n_kv_heads * (out->k_head_bytes + out->v_head_bytes);
	return CC_OK;
}

void cc_kv_hadamard(float *x, int n)
{
	kvq_hadamard(x, n);
}

float cc_kvq_h2f(uint16_t h)
{
	return kvq_h2f(h);
}

uint16_t cc_kvq_f2h(float x)
{
	return kvq_f2h(x);
}

void cc_kv_qhead_quant(const cc_kv_qlayout *ly, int v, void *dst, const float *rows,
                       float *scratch)
{
	int hd = ly->head_dim, bt = ly->block_tokens, bits = ly->bits, qmax = (1 << bits) - 1;
	int G = ly->group;
	uint8_t *data = dst;
	uint16_t *par = (uint16_t *)(data + (v ? ly->v_params_off : ly->k_params_off));
	const float *x = rows;

	if (ly->rotate) {
		memcpy(scratch, rows, (size_t)bt * (size_t)hd * sizeof(float));
		for (int t = 0; t < bt; t++)
			cc_kv_hadamard(scratch + (size_t)t * hd, hd);
		x = scratch;
	}
	memset(data, 0, (size_t)bt * ly->row_bytes);
	if (!v && ly->k_per_channel) {
		for (int d = 0; d < hd; d++) {
			float lo = INFINITY, hi = -INFINITY;
			for (int t = 0; t < bt; t++) {
				float e = x[(size_t)t * hd + d];
				lo = e < lo ? e : lo;
				hi = e > hi ? e : hi;
			}
			kvq_group_params(par + 2 * d, lo, hi, qmax);
			float s = kvq_h2f(par[2 * d]), mn = kvq_h2f(par[2 * d + 1]);
			for (int t = 0; t < bt; t++)
				kvq_put_code(data + (size_t)t * ly->row_bytes, d, bits,
				             kvq_quant_one(x[(size_t)t * hd + d], s, mn, qmax));
		}
		return;
	}
	for (int t = 0; t < bt; t++) {
		const float *r = x + (size_t)t * hd;
		uint8_t *row = data + (size_t)t * ly->row_bytes;
		for (int g0 = 0; g0 < hd; g0 += G) {
			uint16_t *p = par + 2 * ((size_t)t * (size_t)(hd / G) + (size_t)(g0 / G));
			float lo = INFINITY, hi = -INFINITY;
			for (int d = g0; d < g0 + G; d++) {
				lo = r[d] < lo ? r[d] : lo;
				hi = r[d] > hi ? r[d] : hi;
			}
			kvq_group_params(p, lo, hi, qmax);
			float s = kvq_h2f(p[0]), mn = kvq_h2f(p[1]);
			for (int d = g0; d < g0 + G; d++)
				kvq_put_code(row, d, bits, kvq_quant_one(r[d], s, mn, qmax));
		}
	}
}

void cc_kv_qrow_dequant(const cc_kv_qlayout *ly, int v, const void *src, int slot, float *out)
{
	int hd = ly->head_dim, bits = ly->bits, G = ly->group;
	const uint8_t *row = (const uint8_t *)src + (size_t)slot * ly->row_bytes;
	const uint16_t *par =
		(const uint16_t *)((const uint8_t *)src + (v ? ly->v_params_off : ly->k_params_off));
	if (!v && ly->k_per_channel) {
		for (int d = 0; d < hd; d++)
			out[d] = kvq_dequant_one(kvq_get_code(row, d, bits), kvq_h2f(par[2 * d]),
			                         kvq_h2f(par[2 * d + 1]));
		return;
	}
	par += 2 * (size_t)slot * (size_t)(hd / G);
	for (int g0 = 0; g0 < hd; g0 += G) {
		float s = kvq_h2f(par[2 * (g0 / G)]), mn = kvq_h2f(par[2 * (g0 / G) + 1]);
		for (int d = g0; d < g0 + G; d++)
			out[d] = kvq_dequant_one(kvq_get_code(row, d, bits), s, mn);
	}
}
