/*
 * test_gpu_kvquant.c - the quantized-KV attention kernels (kernels/attn_decode_q.cu) against
 * their CPU twin: a host pool of kv/ (cc_kv_pool_new_quant) is filled, sealed and compacted
 * by the kv module's CPU code, copied byte for byte to the device, and attention is computed
 * on both sides, the CPU one in double from cc_kv_qrow_dequant (+ cc_kv_hadamard for rotated
 * blocks) and the bf16 rows. Every method and width, head dims 64 and 128, GQA groups 1-8,
 * decode over several sequences and a causal prefill chunk. Exit 77 without a CUDA device.
 */
#include "cc_common.h"
#include "cc_kernels.h"
#include "cc_kv.h"
#include "gpu_util.h"
#include "test.h"

/* tokens per block (the engine's default is 16; the kernel stages the key parameters of the
 * one or two blocks a warp's 32 keys lie in, and reads them from memory for smaller blocks) */
static int BT = 32;

typedef struct {
	cc_kv_pool *pool;
	cc_kv_seq **seqs;
	int n_seqs, hd, kvh;
	void *dev;
	cc_kernels_qkv qkv;
} qpool;

/* A layer-0 view of pool p on the device. */
static void qkv_fill(cc_kernels_qkv *o, const cc_kv_pool *p, const void *dev)
{
	const cc_kv_config *c = cc_kv_pool_config(p);
	const cc_kv_qlayout *ly = cc_kv_pool_qlayout(p);
	memset(o, 0, sizeof(*o));
	o->base = dev;
	o->n_fp_blocks = (int)c->n_blocks;
	o->fp_block_bytes = cc_kv_block_bytes(p);
	o->q_base = cc_kv_block_offset(p, (int32_t)c->n_blocks);
	o->q_block_bytes = ly->block_bytes;
	o->k_head_bytes = ly->k_head_bytes;
	o->v_head_bytes = ly->v_head_bytes;
	o->params_off = ly->k_params_off;
	o->bits = ly->bits;
	o->group = ly->group;
	o->k_per_channel = ly->k_per_channel;
	o->rotate = ly->rotate;
	o->block_size = c->block_tokens;
	o->kv_heads = c->n_kv_heads;
	o->head_dim = c->head_dim;
}

/* Sequences of the given lengths, rows random bf16, sealed after each of two appends;
 * sequence 1 (when there are 2+) is compacted to every other token (a quantized rebuild). */
static void qpool_init(qpool *qp, int method, int bits, int hd, int kvh, int n_seqs,
                       const int *lens)
{
	size_t tot = 0;
	for (int s = 0; s < n_seqs; s++)
		tot += (size_t)lens[s] / BT + 3;
	/* full-precision blocks: an unsealed append of up to 200 rows plus the residual window per
	 * sequence, and room for the compaction's rebuild of sequence 1 (any block size) */
	size_t n_fp = (size_t)n_seqs * (256 / (size_t)BT + 4) + 8;
	if (n_seqs > 1)
		n_fp += (size_t)lens[1] / 2 / (size_t)BT + 2;
	cc_kv_config cfg = {1, kvh, hd, BT, CC_KV_BF16, n_fp};
	cc_kv_qconfig q = {method, bits, BT, tot + 8};
	memset(qp, 0, sizeof(*qp));
	qp->n_seqs = n_seqs;
	qp->hd = hd;
	qp->kvh = kvh;
	CC_OK_OR_DIE(cc_kv_pool_new_quant(&qp->pool, &cfg, &q, NULL, NULL));
	qp->seqs = calloc((size_t)n_seqs, sizeof(*qp->seqs));
	char *base = cc_kv_pool_base(qp->pool);
	for (int s = 0; s < n_seqs; s++) {
		CC_OK_OR_DIE(cc_kv_seq_new(&qp->seqs[s], qp->pool));
		int done = 0;
		while (done < lens[s]) {
			int n = lens[s] - done > 200 ? 200 : lens[s] - done;
			int32_t *pos = malloc(sizeof(int32_t) * (size_t)n), first;
			for (int i = 0; i < n; i++)
				pos[i] = done + i;
			CC_OK_OR_DIE(cc_kv_seq_append(qp->seqs[s], (size_t)n, pos, &first));
			for (int h = 0; h < kvh; h++)
				for (int i = 0; i < n; i++)
					for (int v = 0; v < 2; v++) {
						uint16_t *r = (uint16_t *)(base + cc_kv_slot_offset(qp->seqs[s], 0, v, h,
						                                                    (size_t)first + i));
						for (int d = 0; d < hd; d++) /* an outlier channel, as real keys */
							r[d] = h_f2bf(rng_val(1.0f) * (d == 5 && !v ? 8.0f : 1.0f));
					}
			CC_OK_OR_DIE(cc_kv_seq_seal(qp->seqs[s]));
			free(pos);
			done += n;
		}
	}
	if (n_seqs > 1 && lens[1] >= 2) {
		size_t k = (size_t)lens[1] / 2;
		int32_t *keep = malloc(sizeof(int32_t) * k * (size_t)kvh);
		for (int h = 0; h < kvh; h++)
			for (size_t i = 0; i < k; i++)
				keep[(size_t)h * k + i] = (int32_t)(2 * i + (size_t)(h & 1));
		CC_OK_OR_DIE(cc_kv_seq_compact(qp->seqs[1], 0, keep, k));
		free(keep);
	}
	cc_kv_pool_stats st;
	cc_kv_pool_stats_get(&st, qp->pool);
	qp->dev = dev_from(base, st.bytes_capacity);
	qkv_fill(&qp->qkv, qp->pool, qp->dev);
}

static void qpool_free(qpool *qp)
{
	for (int s = 0; s < qp->n_seqs; s++)
		cc_kv_seq_free(qp->seqs[s]);
	free(qp->seqs);
	cc_kv_pool_free(qp->pool);
	cudaFree(qp->dev);
}

/* The row of slot j of head h of a sequence, in the original space (the CPU twin of the
 * kernel's loads). */
static void ref_row(const qpool *qp, const cc_kv_seq *s, int v, int h, size_t j, double *out)
{
	size_t nb;
	const int32_t *bl = cc_kv_seq_blocks(s, 0, &nb);
	const cc_kv_qlayout *ly = cc_kv_pool_qlayout(qp->pool);
	const char *base = cc_kv_pool_base(qp->pool);
	float tmp[128];
	int32_t b = bl[j / BT];
	if (cc_kv_block_is_quant(qp->pool, b)) {
		const char *part = base + cc_kv_block_offset(qp->pool, b) +
		                   (v ? (size_t)qp->kvh * ly->k_head_bytes + (size_t)h * ly->v_head_bytes
		                      : (size_t)h * ly->k_head_bytes);
		cc_kv_qrow_dequant(ly, v, part, (int)(j % BT), tmp);
		if (ly->rotate)
			cc_kv_hadamard(tmp, qp->hd);
		for (int d = 0; d < qp->hd; d++)
			out[d] = tmp[d];
	} else {
		const uint16_t *r = (const uint16_t *)(base + cc_kv_slot_offset(s, 0, v, h, j));
		for (int d = 0; d < qp->hd; d++)
			out[d] = h_bf2f(r[d]);
	}
}

/* softmax(q . K[0..len) * scale) V in double */
static void ref_attn(const qpool *qp, const cc_kv_seq *s, int kh, const uint16_t *q, int len,
                     double scale, double *out)
{
	int hd = qp->hd;
	double *sc = malloc(sizeof(double) * (size_t)len), mx = -INFINITY, z = 0, row[128];
	for (int j = 0; j < len; j++) {
		ref_row(qp, s, 0, kh, (size_t)j, row);
		double d = 0;
		for (int i = 0; i < hd; i++)
			d += h_bf2f(q[i]) * row[i];
		sc[j] = d * scale;
		mx = fmax(mx, sc[j]);
	}
	for (int i = 0; i < hd; i++)
		out[i] = 0;
	for (int j = 0; j < len; j++) {
		double p = exp(sc[j] - mx);
		z += p;
		ref_row(qp, s, 1, kh, (size_t)j, row);
		for (int i = 0; i < hd; i++)
			out[i] += p * row[i];
	}
	for (int i = 0; i < hd; i++)
		out[i] /= z;
	free(sc);
}

static void test_decode_q(int method, int bits, int hd, int nh, int kvh, int n_seqs,
                          const int *lens)
{
	qpool qp;
	qpool_init(&qp, method, bits, hd, kvh, n_seqs, lens);
	int max_len = 0, stride = 0;
	int *klen = malloc(sizeof(int) * (size_t)n_seqs);
	for (int s = 0; s < n_seqs; s++) {
		size_t nb;
		klen[s] = (int)cc_kv_seq_len(qp.seqs[s], 0);
		cc_kv_seq_blocks(qp.seqs[s], 0, &nb);
		max_len = klen[s] > max_len ? klen[s] : max_len;
		stride = (int)nb > stride ? (int)nb : stride;
	}
	int32_t *tab = calloc((size_t)n_seqs * stride, sizeof(int32_t));
	for (int s = 0; s < n_seqs; s++) {
		size_t nb;
		const int32_t *bl = cc_kv_seq_blocks(qp.seqs[s], 0, &nb);
		memcpy(tab + (size_t)s * stride, bl, nb * sizeof(int32_t));
	}
	size_t no = (size_t)n_seqs * nh * hd;
	uint16_t *q = malloc(no * 2), *out = malloc(no * 2);
	fill_bf16(q, no, 1.0f);
	uint16_t *dq = dev_from(q, no * 2), *dout = dev_alloc(no * 2);
	int32_t *dtab = dev_from(tab, sizeof(int32_t) * (size_t)n_seqs * stride);
	int32_t *dlens = dev_from(klen, sizeof(int32_t) * (size_t)n_seqs);
	size_t ws = cc_kernels_attn_q_workspace(n_seqs, nh, hd, max_len);
	void *dws = dev_alloc(ws);
	dev_poison(dout, no * 2);
	double scale = 1.0 / sqrt(hd);
	CHECK_EQ_INT(cc_kernels_attn_decode_q(dout, dq, &qp.qkv, dtab, stride, dlens, n_seqs, max_len,
	                                      nh, (float)scale, dws, 0),
	             CC_OK);
	to_host(out, dout, no * 2);
	double *ref = malloc(sizeof(double) * no);
	float *got = malloc(sizeof(float) * no);
	for (int s = 0; s < n_seqs; s++)
		for (int h = 0; h < nh; h++)
			ref_attn(&qp, qp.seqs[s], h / (nh / kvh), q + ((size_t)s * nh + h) * hd, klen[s],
			         scale, ref + ((size_t)s * nh + h) * hd);
	for (size_t i = 0; i < no; i++)
		got[i] = h_bf2f(out[i]);
	double err = rel_err(got, ref, no);
	fprintf(stderr, "decode_q %s int%d hd=%d nh=%d kvh=%d seqs=%d max_len=%d bt=%d: rel err %.3g\n",
	        cc_kv_quant_name(method), bits, hd, nh, kvh, n_seqs, max_len, BT, err);
	CHECK(err <= 1e-2);
	free(q);
	free(out);
	free(ref);
	free(got);
	free(tab);
	free(klen);
	cudaFree(dq);
	cudaFree(dout);
	cudaFree(dtab);
	cudaFree(dlens);
	cudaFree(dws);
	qpool_free(&qp);
}

static void test_prefill_q(int method, int bits, int hd, int nh, int kvh, int len, int n)
{
	qpool qp;
	qpool_init(&qp, method, bits, hd, kvh, 1, &len);
	size_t nb;
	const int32_t *bl = cc_kv_seq_blocks(qp.seqs[0], 0, &nb);
	int32_t *dtab = dev_from(bl, sizeof(int32_t) * nb);
	size_t no = (size_t)n * nh * hd;
	uint16_t *q = malloc(no * 2), *out = malloc(no * 2);
	fill_bf16(q, no, 1.0f);
	uint16_t *dq = dev_from(q, no * 2), *dout = dev_alloc(no * 2);
	size_t ws = cc_kernels_attn_q_workspace(n, nh, hd, len);
	void *dws = dev_alloc(ws);
	double scale = 1.0 / sqrt(hd);
	dev_poison(dout, no * 2);
	CHECK_EQ_INT(cc_kernels_attn_prefill_q(dout, dq, &qp.qkv, dtab, len - n, n, nh,
	                                       (float)scale, dws, 0),
	             CC_OK);
	to_host(out, dout, no * 2);
	double *ref = malloc(sizeof(double) * no);
	float *got = malloc(sizeof(float) * no);
	for (int i = 0; i < n; i++)
		for (int h = 0; h < nh; h++)
			ref_attn(&qp, qp.seqs[0], h / (nh / kvh), q + ((size_t)i * nh + h) * hd,
			         len - n + i + 1, scale, ref + ((size_t)i * nh + h) * hd);
	for (size_t i = 0; i < no; i++)
		got[i] = h_bf2f(out[i]);
	double err = rel_err(got, ref, no);
	fprintf(stderr, "prefill_q %s int%d hd=%d nh=%d kvh=%d len=%d n=%d: rel err %.3g\n",
	        cc_kv_quant_name(method), bits, hd, nh, kvh, len, n, err);
	CHECK(err <= 1e-2);
	free(q);
	free(out);
	free(ref);
	free(got);
	cudaFree(dq);
	cudaFree(dout);
	cudaFree(dtab);
	cudaFree(dws);
	qpool_free(&qp);
}

int main(void)
{
	if (cc_kernels_device_count() == 0)
		TEST_SKIP("no CUDA device");
	rng_seed(16);
	int l1[] = {1, 300, 1029, 70};
	int l2[] = {4000, 33};
	for (int method = CC_KV_QUANT_KIVI; method <= CC_KV_QUANT_ROTATED; method++)
		for (int bits = 8; bits >= 2; bits /= 2) {
			test_decode_q(method, bits, 64, 6, 2, 4, l1);
			test_decode_q(method, bits, 128, 32, 8, 2, l2);
		}
	test_decode_q(CC_KV_QUANT_KIVI, 4, 64, 4, 4, 4, l1);      /* MHA */
	test_decode_q(CC_KV_QUANT_ROTATED, 4, 128, 28, 4, 2, l2); /* group 7 */
	test_decode_q(CC_KV_QUANT_ROTATED, 2, 32, 8, 1, 4, l1);   /* hd 32, group 8 */
	test_prefill_q(CC_KV_QUANT_KIVI, 4, 64, 6, 2, 700, 200);
	test_prefill_q(CC_KV_QUANT_ROTATED, 2, 128, 8, 2, 2100, 64);
	test_prefill_q(CC_KV_QUANT_ROTATED, 8, 64, 6, 2, 40, 40); /* a first chunk */
	for (int bt = 16; bt >= 8; bt /= 2) {
		BT = bt;
		test_decode_q(CC_KV_QUANT_KIVI, 4, 128, 32, 8, 2, l2);
		test_decode_q(CC_KV_QUANT_KIVI, 2, 64, 28, 4, 4, l1); /* group 7 */
		test_decode_q(CC_KV_QUANT_ROTATED, 8, 128, 12, 2, 2, l2);
		test_prefill_q(CC_KV_QUANT_KIVI, 8, 128, 8, 2, 1000, 100);
	}
	BT = 32;
	/* bad arguments are refused before any launch */
	{
		cc_kernels_qkv bad = {0};
		bad.head_dim = 80;
		CHECK_EQ_INT(cc_kernels_attn_decode_q((uint16_t *)8, (uint16_t *)8, &bad, (int32_t *)8, 1,
		                                      (int32_t *)8, 1, 1, 2, 1.0f, (void *)8, 0),
		             CC_EINVAL);
	}
	return test_result();
}
