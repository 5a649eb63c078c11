/*
 * test_kv_quant.c - the quantized KV formats (kv/cc_kv_quant.c) and quantized pools:
 * dequantize(quantize(x)) within each format's bound on random rows with outlier channels,
 * the Hadamard rotation being its own inverse, sealing (leading full blocks quantized, the
 * residual window full precision, byte accounting with the scales), compaction of quantized
 * blocks keeping the right rows, forks unaffected by each other's sealing, and bad options.
 */
#include "cc_common.h"
#include "cc_kv.h"
#include "test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NH 2
#define HD 64
#define BT 32

static uint64_t rng = 88172645463325252ull;

static double urand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static float nrand(void)
{
	double u = urand() + 1e-12, v = urand();
	return (float)(sqrt(-2 * log(u)) * cos(6.283185307179586 * v));
}

/* Rows like real keys: a few channels carry large outliers, scales vary per token. */
static void fill_rows(float *x, int n, int hd)
{
	for (int t = 0; t < n; t++) {
		float tok = 0.5f + 2.0f * (float)urand();
		for (int d = 0; d < hd; d++) {
			float v = nrand() * tok;
			if (d % 16 == 3)
				v = v * 8 + 12;
			x[(size_t)t * hd + d] = v;
		}
	}
}

static float h2f(uint16_t h)
{
	uint32_t e = (h >> 10) & 31, m = h & 1023;
	float f = e ? ldexpf((float)(m | 1024), (int)e - 25) : ldexpf((float)m, -24);
	return (h & 0x8000) ? -f : f;
}

/* The stored (scale, min) of value d of row t (v: K or V) in one head's part. */
static void params_of(const cc_kv_qlayout *ly, int v, const void *part, int t, int d,
                      float *s, float *mn)
{
	const uint16_t *p = (const uint16_t *)((const char *)part +
	                                       (v ? ly->v_params_off : ly->k_params_off));
	size_t i = !v && ly->k_per_channel
	                   ? (size_t)d
	                   : (size_t)t * (size_t)(ly->head_dim / ly->group) + (size_t)(d / ly->group);
	*s = h2f(p[2 * i]);
	*mn = h2f(p[2 * i + 1]);
}

/* Quantize BT random rows with every method and width, check each value against its
 * group's bound (scale / 2, in the stored space), the scale against the group's range, the
 * L2 error in the original space (rotation preserves it), and that more bits mean less
 * error. */
static void test_roundtrip(void)
{
	static const int bits[3] = {8, 4, 2};
	float x[BT * HD], rot[BT * HD], y[HD], scratch[BT * HD];
	unsigned char part[BT * HD * 2 + 4096];
	fill_rows(x, BT, HD);
	for (int method = CC_KV_QUANT_KIVI; method <= CC_KV_QUANT_ROTATED; method++)
		for (int v = 0; v < 2; v++) {
			double prev = 0;
			for (int bi = 0; bi < 3; bi++) {
				cc_kv_config cfg = {1, NH, HD, BT, CC_KV_BF16, 4};
				cc_kv_qconfig q = {method, bits[bi], BT, 4};
				cc_kv_qlayout ly;
				int qmax = (1 << bits[bi]) - 1, bad = 0, bad_scale = 0;
				double err2 = 0, ref2 = 0;
				CHECK_EQ_INT(cc_kv_qlayout_get(&ly, &cfg, &q), CC_OK);
				CHECK(ly.row_bytes == (size_t)HD * bits[bi] / 8);
				CHECK((v ? ly.v_head_bytes : ly.k_head_bytes) <= sizeof(part));
				memcpy(rot, x, sizeof(x));
				if (ly.rotate)
					for (int t = 0; t < BT; t++)
						cc_kv_hadamard(rot + t * HD, HD);
				memset(part, 0xA5, sizeof(part));
				cc_kv_qhead_quant(&ly, v, part, x, scratch);
				for (int t = 0; t < BT; t++) {
					cc_kv_qrow_dequant(&ly, v, part, t, y);
					for (int d = 0; d < HD; d++) {
						float s, mn, e = fabsf(y[d] - rot[t * HD + d]);
						params_of(&ly, v, part, t, d, &s, &mn);
						if (e > s * 0.5f * 1.0001f + 1e-5f)
							bad++;
						/* the scale covers the group's range with little slack */
						float lo = INFINITY, hi = -INFINITY;
						int per_ch = !v && ly.k_per_channel;
						for (int k = 0; k < (per_ch ? BT : ly.group); k++) {
							float z = per_ch ? rot[k * HD + d]
							                 : rot[t * HD + d / ly.group * ly.group + k];
							lo = z < lo ? z : lo;
							hi = z > hi ? z : hi;
						}
						if (s * qmax < hi - lo - 1e-4f ||
						    s * qmax > (hi - lo + fabsf(lo) * 2e-3f) * 1.002f + 1e-6f)
							bad_scale++;
					}
					if (ly.rotate)
						cc_kv_hadamard(y, HD);
					for (int d = 0; d < HD; d++) {
						double e = y[d] - x[t * HD + d];
						err2 += e * e;
						ref2 += (double)x[t * HD + d] * x[t * HD + d];
					}
				}
				double rel = sqrt(err2 / ref2);
				fprintf(stderr, "%s %s int%d: relative RMS error %.5f\n",
				        cc_kv_quant_name(method), v ? "V" : "K", bits[bi], rel);
				CHECK_EQ_INT(bad, 0);
				CHECK_EQ_INT(bad_scale, 0);
				CHECK(bi == 0 || rel > prev);
				CHECK(rel < (bits[bi] == 8 ? 0.02 : (bits[bi] == 4 ? 0.2 : 0.8)));
				prev = rel;
			}
		}
	/* the rotation is orthonormal and its own inverse */
	float a[HD], b[HD];
	double na = 0, nb = 0, diff = 0;
	for (int d = 0; d < HD; d++)
		a[d] = b[d] = nrand();
	cc_kv_hadamard(b, HD);
	for (int d = 0; d < HD; d++) {
		na += (double)a[d] * a[d];
		nb += (double)b[d] * b[d];
	}
	cc_kv_hadamard(b, HD);
	for (int d = 0; d < HD; d++)
		diff = fmax(diff, fabs(a[d] - b[d]));
	CHECK_NEAR(na, nb, 1e-4 * na);
	CHECK(diff < 1e-5);
	/* a constant group (zero range) comes back exactly */
	{
		cc_kv_config cfg = {1, NH, HD, BT, CC_KV_BF16, 4};
		cc_kv_qconfig q = {CC_KV_QUANT_KIVI, 2, BT, 4};
		cc_kv_qlayout ly;
		for (int i = 0; i < BT * HD; i++)
			x[i] = 0.75f;
		CHECK_EQ_INT(cc_kv_qlayout_get(&ly, &cfg, &q), CC_OK);
		cc_kv_qhead_quant(&ly, 1, part, x, scratch);
		cc_kv_qrow_dequant(&ly, 1, part, 5, y);
		CHECK_NEAR(y[7], 0.75, 1e-6);
	}
}

/* Write token t's rows (values depend on layer, head, token) at the slots just appended. */
static float val(int l, int h, int v, int t, int d)
{
	return sinf(0.37f * (float)(t + 1) + 0.11f * (float)d + (float)(l * 7 + h * 3 + v)) *
	       (1.0f + 0.1f * (float)(d % 5));
}

static void write_tokens(cc_kv_seq *s, cc_kv_pool *p, int nl, const int32_t *first, int n,
                         int t0)
{
	char *base = cc_kv_pool_base(p);
	for (int l = 0; l < nl; l++)
		for (int h = 0; h < NH; h++)
			for (int i = 0; i < n; i++)
				for (int v = 0; v < 2; v++) {
					float *r = (float *)(base + cc_kv_slot_offset(s, l, v, h,
					                                              (size_t)first[l] + i));
					for (int d = 0; d < HD; d++)
						r[d] = val(l, h, v, t0 + i, d);
				}
}

/* The row of slot j of (layer, head) as the cache holds it, in the original space. */
static void read_slot(const cc_kv_seq *s, const cc_kv_pool *p, int l, int h, int v, size_t j,
                      float *out)
{
	size_t nb;
	const int32_t *blocks = cc_kv_seq_blocks(s, l, &nb);
	const cc_kv_qlayout *ly = cc_kv_pool_qlayout(p);
	const char *base = cc_kv_pool_base(p);
	int32_t b = blocks[j / BT];
	if (cc_kv_block_is_quant(p, b)) {
		const char *part = base + cc_kv_block_offset(p, b) +
		                   (v ? (size_t)NH * ly->k_head_bytes + (size_t)h * ly->v_head_bytes
		                      : (size_t)h * ly->k_head_bytes);
		cc_kv_qrow_dequant(ly, v, part, (int)(j % BT), out);
		if (ly->rotate)
			cc_kv_hadamard(out, HD);
	} else {
		memcpy(out, base + cc_kv_slot_offset(s, l, v, h, j), HD * sizeof(float));
	}
}

/* Largest |cached - written| over a layer, for the tokens at the positions the cache
 * records. */
static double max_err(const cc_kv_seq *s, const cc_kv_pool *p, int l)
{
	double m = 0;
	float y[HD];
	for (int h = 0; h < NH; h++) {
		const int32_t *pos = cc_kv_seq_positions(s, l, h);
		for (size_t j = 0; j < cc_kv_seq_len(s, l); j++)
			for (int v = 0; v < 2; v++) {
				read_slot(s, p, l, h, v, j, y);
				for (int d = 0; d < HD; d++)
					m = fmax(m, fabs(y[d] - val(l, h, v, pos[j], d)));
			}
	}
	return m;
}

static void test_pool(int method)
{
	const int NLY = 2;
	cc_kv_config cfg = {NLY, NH, HD, BT, CC_KV_F32, 2 * 6};
	cc_kv_qconfig q = {method, 4, BT, 2 * 8};
	cc_kv_pool *p = NULL;
	cc_kv_seq *a = NULL, *b = NULL;
	cc_kv_pool_stats st;
	int32_t pos[200], first[2];
	const cc_kv_qlayout *ly;

	for (int i = 0; i < 200; i++)
		pos[i] = i;
	CHECK_EQ_INT(cc_kv_pool_new_quant(&p, &cfg, &q, NULL, NULL), CC_OK);
	if (!p)
		return;
	ly = cc_kv_pool_qlayout(p);
	CHECK(ly != NULL);
	CHECK_EQ_INT(cc_kv_pool_residual(p), BT);
	/* 4-bit K and V, 64 channels, f16 pairs per 32 values: 64*32/2 bytes of data plus
	 * 2*32*4 (V) or 64*4 (KIVI K) of params per head and half */
	CHECK_EQ_INT(ly->block_bytes, (size_t)NH * 2 * (HD * BT / 2 + 256));
	CHECK_EQ_INT(cc_kv_seq_new(&a, p), CC_OK);
	/* 100 tokens in two forwards: 70 then 30 */
	CHECK_EQ_INT(cc_kv_seq_append(a, 70, pos, first), CC_OK);
	write_tokens(a, p, NLY, first, 70, 0);
	CHECK_EQ_INT(cc_kv_seq_seal(a), CC_OK);
	/* 70 tokens: block 0 (0..31) lies before the window (last 32): sealed; 1 and 2 stay */
	{
		size_t nb;
		const int32_t *bl = cc_kv_seq_blocks(a, 0, &nb);
		CHECK_EQ_INT(nb, 3);
		CHECK(cc_kv_block_is_quant(p, bl[0]) && !cc_kv_block_is_quant(p, bl[1]) &&
		      !cc_kv_block_is_quant(p, bl[2]));
	}
	CHECK_EQ_INT(cc_kv_seq_append(a, 30, pos + 70, first), CC_OK);
	write_tokens(a, p, NLY, first, 30, 70);
	CHECK_EQ_INT(cc_kv_seq_seal(a), CC_OK);
	{
		size_t nb;
		const int32_t *bl = cc_kv_seq_blocks(a, 1, &nb);
		CHECK_EQ_INT(nb, 4); /* 100 tokens: blocks 0, 1 sealed (64 <= 100 - 32) */
		CHECK(cc_kv_block_is_quant(p, bl[0]) && cc_kv_block_is_quant(p, bl[1]) &&
		      !cc_kv_block_is_quant(p, bl[2]));
	}
	double e0 = max_err(a, p, 0);
	fprintf(stderr, "%s int4: max abs error after sealing %.4f\n", cc_kv_quant_name(method),
	        e0);
	/* values in [-1.5, 1.5]: a 4-bit step is <= 0.2 per channel or token group; rotated
	 * rows of these smooth values have a wider range (energy in few coefficients), and the
	 * rotation back spreads each coefficient's error over the row */
	double bound = method == CC_KV_QUANT_KIVI ? 0.15 : 0.5;
	CHECK(e0 > 0 && e0 < bound);
	CHECK_EQ_INT(cc_kv_seq_bytes(a), (size_t)NLY * (2 * ly->block_bytes +
	                                                2 * cc_kv_block_bytes(p)));
	cc_kv_pool_stats_get(&st, p);
	CHECK_EQ_INT(st.bytes_used, cc_kv_seq_bytes(a));
	CHECK_EQ_INT(st.qblocks_used, 2 * NLY);
	CHECK(ly->block_bytes * 3 < cc_kv_block_bytes(p)); /* f32 -> 4 bits plus scales */

	/* a fork shares every block; sealing and compaction of one leave the other intact */
	CHECK_EQ_INT(cc_kv_seq_fork(&b, a), CC_OK);
	{
		int32_t keep[NH * 50];
		for (int h = 0; h < NH; h++)
			for (int i = 0; i < 50; i++)
				keep[h * 50 + i] = h ? 2 * i : 50 + i; /* head 1: every other token */
		CHECK_EQ_INT(cc_kv_seq_compact(b, 0, keep, 50), CC_OK);
		CHECK_EQ_INT(cc_kv_seq_len(b, 0), 50);
		CHECK_EQ_INT(cc_kv_seq_positions(b, 0, 1)[10], 20);
		CHECK_EQ_INT(cc_kv_seq_positions(b, 0, 0)[10], 60);
		size_t nb;
		const int32_t *bl = cc_kv_seq_blocks(b, 0, &nb);
		CHECK_EQ_INT(nb, 2); /* 50 tokens: none sealed (32 > 50 - 32), 2 full-precision */
		CHECK(!cc_kv_block_is_quant(p, bl[0]));
		double e1 = max_err(b, p, 0);
		CHECK(e1 <= e0 + 1e-6); /* dequantized once, then kept full precision */
		CHECK_NEAR(max_err(a, p, 0), e0, 1e-9);
	}
	/* compaction that keeps sealed blocks: requantized (error stays within two steps) */
	{
		int32_t keep[NH * 90];
		for (int h = 0; h < NH; h++)
			for (int i = 0; i < 90; i++)
				keep[h * 90 + i] = i + (i >= 40) * 10 * (h + 0) / 1;
		CHECK_EQ_INT(cc_kv_seq_compact(a, 1, keep, 90), CC_OK);
		size_t nb;
		const int32_t *bl = cc_kv_seq_blocks(a, 1, &nb);
		CHECK_EQ_INT(nb, 3);
		CHECK(cc_kv_block_is_quant(p, bl[0]) && !cc_kv_block_is_quant(p, bl[1]));
		double e2 = max_err(a, p, 1);
		CHECK(e2 < 2 * bound);
		CHECK_EQ_INT(cc_kv_seq_positions(a, 1, 0)[45], 45);
		CHECK_EQ_INT(cc_kv_seq_positions(a, 1, 1)[45], 55);
	}
	/* bad keep lists are refused as on full-precision pools */
	{
		int32_t keep[NH * 2] = {3, 2, 0, 1};
		CHECK_EQ_INT(cc_kv_seq_compact(a, 0, keep, 2), CC_EINVAL);
	}
	cc_kv_seq_free(a);
	cc_kv_seq_free(b);
	cc_kv_pool_stats_get(&st, p);
	CHECK_EQ_INT(st.blocks_used, 0);
	CHECK_EQ_INT(st.qblocks_used, 0);
	cc_kv_pool_free(p);
}

static int dummy_alloc(void *ctx, void **out, size_t bytes)
{
	(void)ctx;
	(void)bytes;
	*out = NULL;
	return CC_OK;
}

static void test_errors(void)
{
	cc_kv_config cfg = {1, NH, HD, BT, CC_KV_F32, 4};
	cc_kv_qconfig q = {CC_KV_QUANT_KIVI, 3, BT, 4};
	cc_kv_pool *p = NULL;
	cc_kv_qlayout ly;
	CHECK_EQ_INT(cc_kv_pool_new_quant(&p, &cfg, &q, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "3 bits") != NULL);
	q.bits = 2;
	q.method = 7;
	CHECK_EQ_INT(cc_kv_qlayout_get(&ly, &cfg, &q), CC_EINVAL);
	q.method = CC_KV_QUANT_ROTATED;
	cfg.head_dim = 80;
	CHECK_EQ_INT(cc_kv_qlayout_get(&ly, &cfg, &q), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "power-of-two") != NULL);
	q.method = CC_KV_QUANT_KIVI;
	CHECK_EQ_INT(cc_kv_qlayout_get(&ly, &cfg, &q), CC_OK);
	CHECK_EQ_INT(ly.group, 16);
	cfg.head_dim = HD;
	{
		static const cc_kv_storage dev = {"dev", dummy_alloc, NULL, NULL, NULL,
		                                  NULL, NULL};
		CHECK_EQ_INT(cc_kv_pool_new_quant(&p, &cfg, &q, &dev, NULL), CC_EUNSUPPORTED);
	}
	CHECK_EQ_INT(cc_kv_quant_parse("rotated"), CC_KV_QUANT_ROTATED);
	CHECK_EQ_INT(cc_kv_quant_parse("kivi"), CC_KV_QUANT_KIVI);
	CHECK_EQ_INT(cc_kv_quant_parse("int4"), -1);
	/* the quantized area full: sealing fails with a clear error, the cache stays readable */
	{
		cc_kv_seq *s = NULL;
		int32_t pos[96], first[1];
		for (int i = 0; i < 96; i++)
			pos[i] = i;
		q.bits = 4;
		q.n_qblocks = 1;
		q.residual_tokens = 0;
		CHECK_EQ_INT(cc_kv_pool_new_quant(&p, &cfg, &q, NULL, NULL), CC_OK);
		CHECK_EQ_INT(cc_kv_seq_new(&s, p), CC_OK);
		CHECK_EQ_INT(cc_kv_seq_append(s, 96, pos, first), CC_OK);
		write_tokens(s, p, 1, first, 96, 0);
		CHECK_EQ_INT(cc_kv_seq_seal(s), CC_ENOMEM);
		CHECK(strstr(cc_error_last(), "kv cache full") != NULL);
		CHECK(max_err(s, p, 0) < 0.15);
		cc_kv_seq_free(s);
		cc_kv_pool_free(p);
	}
}

int main(void)
{
	test_roundtrip();
	test_pool(CC_KV_QUANT_KIVI);
	test_pool(CC_KV_QUANT_ROTATED);
	test_errors();
	return test_result();
}
