/*
 * test_gpu_repocache.c - the repository KV cache on the CUDA engine (issue 15):
 *   - rows appended with a position delta (cc_session_kv_append_rot: one upload, a scatter and
 *     the rope_rows kernel) are the bits the CPU engine's reference gives for the same rows in
 *     a bf16 cache, and exported rows (a gather and one download) are the rows appended;
 *   - pycode-16m: a chunk computed on CUDA and assembled into a fresh session gives the logits
 *     of a session that prefilled the same tokens itself (cached vs fresh), the same after a
 *     round trip through its chunk file; three chunks assembled at their positions (keys
 *     rotated on the device), full and compressed (snapkv 40%), then a query, give on CUDA the
 *     query's next-token log-probabilities of the CPU engine's assembled cache (mean |dNLL|
 *     within the bf16 bound, top-1 agreement);
 *   - the device tier (opts.dev_bytes): chunks assembled from their GPU copies give the host
 *     path's logits bit for bit; copies are made once and reused, the least recently used
 *     one not being read is dropped for room, and chunks over the limit stay on the host.
 * Skips (77) without a CUDA device; the pycode parts skip without the shared model.
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"
#include "cc_kernels.h"
#include "cc_repocache.h"
#include "test.h"

#include "../engine/tiny_ckpt.h"
#include "../num_util.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static cc_session *sess(cc_model *m, int dtype, size_t max_tokens)
{
	cc_session_opts so = {0};
	cc_session *s = NULL;
	so.max_tokens = max_tokens;
	so.pool_tokens = 4 * max_tokens;
	so.kv_dtype = dtype;
	so.kv_dtype_set = 1;
	if (cc_session_new(&s, m, &so))
		fprintf(stderr, "session: %s\n", cc_error_last());
	return s;
}

/* CPU (bf16 cache) and CUDA sessions take the same exported rows at a delta: same bits. */
static void test_rows(const char *root, size_t si)
{
	const tiny_shape *sh = &tiny_shapes[si];
	tiny_model tm;
	char dir[600];
	cc_model *mg = NULL, *mc = NULL;
	cc_model_opts mo = {CC_DEVICE_CUDA, 0};
	enum { NA = 48,
	       NP = 7 };
	int32_t ids[NA], delta = 777;
	int hd = sh->head_dim, kvh = sh->n_kv_heads;
	size_t rows = (size_t)kvh * NA, lenb = NA + NP;
	uint16_t *k = malloc(rows * hd * 2), *v = malloc(rows * hd * 2);
	uint16_t *kg = malloc((size_t)kvh * lenb * hd * 2), *vg = malloc((size_t)kvh * lenb * hd * 2);
	uint16_t *kc = malloc((size_t)kvh * lenb * hd * 2), *vc = malloc((size_t)kvh * lenb * hd * 2);
	int32_t *pos = malloc(rows * 4), *pg = malloc((size_t)kvh * lenb * 4);
	int32_t *pc = malloc((size_t)kvh * lenb * 4);
	int bad = 0, bad_exp = 0;
	tiny_model_make(&tm, sh, 900 + si);
	snprintf(dir, sizeof(dir), "%s/shape%zu", root, si);
	CHECK_EQ_INT(tiny_model_write(&tm, dir), 0);
	CHECK_EQ_INT(cc_model_load(&mg, dir, &mo), CC_OK);
	CHECK_EQ_INT(cc_model_load(&mc, dir, NULL), CC_OK);
	if (!mg || !mc)
		goto out;
	for (int i = 0; i < NA; i++)
		ids[i] = (int32_t)((i * 31 + 11) % sh->vocab);
	cc_session *a = sess(mc, CC_KV_BF16, 256), *g = sess(mg, CC_KV_BF16, 256);
	cc_session *c = sess(mc, CC_KV_BF16, 256), *ga = sess(mg, CC_KV_BF16, 256);
	CHECK_EQ_INT(cc_session_prefill(a, ids, NA, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(g, ids, NP, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(c, ids, NP, NULL), CC_OK);
	for (int l = 0; l < sh->n_layers; l++) {
		CHECK_EQ_INT(cc_session_kv_export(a, l, pos, k, v), CC_OK);
		/* the rows the CPU computed, into an empty CUDA session and back out: unchanged */
		CHECK_EQ_INT(cc_session_kv_append(ga, l, NA, pos, k, v), CC_OK);
		CHECK_EQ_INT(cc_session_kv_export(ga, l, pg, kg, vg), CC_OK);
		bad_exp += memcmp(k, kg, rows * hd * 2) != 0 || memcmp(v, vg, rows * hd * 2) != 0 ||
		           memcmp(pos, pg, rows * 4) != 0;
		for (size_t j = 0; j < rows; j++)
			pos[j] += delta;
		CHECK_EQ_INT(cc_session_kv_append_rot(g, l, NA, pos, k, v, delta), CC_OK);
		CHECK_EQ_INT(cc_session_kv_append_rot(c, l, NA, pos, k, v, delta), CC_OK);
		CHECK_EQ_INT(cc_session_kv_export(g, l, pg, kg, vg), CC_OK);
		CHECK_EQ_INT(cc_session_kv_export(c, l, pc, kc, vc), CC_OK);
		for (int h = 0; h < kvh; h++) {
			size_t at = ((size_t)h * lenb + NP) * hd;
			bad += memcmp(kg + at, kc + at, (size_t)NA * hd * 2) != 0;
			bad += memcmp(vg + at, vc + at, (size_t)NA * hd * 2) != 0;
			bad += memcmp(pg + (size_t)h * lenb + NP, pc + (size_t)h * lenb + NP, NA * 4) != 0;
		}
	}
	fprintf(stderr, "rows %s: cuda vs cpu rotated appends differing %d, round trips %d\n",
	        sh->name, bad, bad_exp);
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(bad_exp, 0);
	cc_session_free(a);
	cc_session_free(g);
	cc_session_free(c);
	cc_session_free(ga);
out:
	cc_model_free(mg);
	cc_model_free(mc);
	tiny_model_free(&tm);
	free(k);
	free(v);
	free(kg);
	free(vg);
	free(kc);
	free(vc);
	free(pos);
	free(pg);
	free(pc);
}


enum { NF = 3,
       FLEN = 300,
       NQ = 40 };

/* Assemble chunks ch[0..n) into a fork of root, then forward_all the query: logits NQ x V. */
static int assembled_logits(cc_session *root, const cc_model *m, cc_repocache_chunk **ch,
                            size_t n, const int32_t *q, float *logits)
{
	cc_session *s = NULL;
	int rc = cc_session_fork(&s, root);
	if (!rc)
		rc = cc_repocache_assemble(s, m, ch, n, NULL);
	if (!rc)
		rc = cc_session_forward_all(s, q, NQ, logits);
	if (rc)
		fprintf(stderr, "assembled: %s\n", cc_error_last());
	cc_session_free(s);
	return rc;
}

/* assembled_logits through cache c's device tier */
static int dev_logits(cc_repocache *c, cc_session *root, const cc_model *m,
                      cc_repocache_chunk **ch, size_t n, const int32_t *q, float *logits)
{
	cc_session *s = NULL;
	int rc = cc_session_fork(&s, root);
	if (!rc)
		rc = cc_repocache_assemble_in(c, s, m, ch, n, NULL);
	if (!rc)
		rc = cc_session_forward_all(s, q, NQ, logits);
	if (rc)
		fprintf(stderr, "assembled from the device tier: %s\n", cc_error_last());
	cc_session_free(s);
	return rc;
}

/* NF full chunks of ids computed by a new cache with a device tier of dev_bytes. */
static cc_repocache *dev_cache(cc_repocache_chunk **ch, size_t dev_bytes, cc_session *root,
                               const cc_model_info *info, const int32_t *ids)
{
	cc_repocache *dc = NULL;
	cc_repocache_opts o = {0};
	o.dev_bytes = dev_bytes;
	CHECK_EQ_INT(cc_repocache_new(&dc, &o), CC_OK);
	for (int f = 0; dc && f < NF; f++) {
		char blob[48], path[32];
		snprintf(blob, sizeof(blob), "%040d", f + 1);
		snprintf(path, sizeof(path), "pkg/file%d.py", f);
		cc_repocache_key k = {"pycode-16m|cuda|bf16", blob, path, CC_REPOCACHE_FULL, 1, 1};
		CHECK_EQ_INT(cc_repocache_compute(&ch[f], dc, NULL, &k, root, info->bos_id,
		                                  ids + f * FLEN, FLEN, NULL, NULL, 0),
		             CC_OK);
	}
	return dc;
}

/* The device tier: chunks of a cache with opts.dev_bytes, assembled from their device
 * copies, give bit for bit the logits of the host path; copies are made once, reused, dropped
 * least recently used first (never one being read), and chunks that do not fit stay on the
 * host. */
static void test_dev_tier(cc_session *root, const cc_model *m, const cc_model_info *info,
                          const int32_t *ids, float *l1, float *l2)
{
	const int32_t *q = ids + NF * FLEN;
	size_t lb = (size_t)NQ * (size_t)info->vocab * sizeof(float), one;
	cc_repocache_chunk *ch[NF] = {0};
	cc_repocache *dc = dev_cache(ch, 1, root, info, ids);
	cc_repocache_stats st;
	if (!dc || !ch[0])
		return;
	one = cc_repocache_chunk_bytes(ch[0]); /* rows, positions and ids: above the rows alone */
	/* limits: every chunk fits, about one fits, none fits */
	size_t limits[3] = {(size_t)64 << 20, one, 1};
	for (int t = 0; t < 3; t++) {
		for (int f = 0; f < NF; f++)
			cc_repocache_chunk_release(ch[f]);
		cc_repocache_free(dc);
		memset(ch, 0, sizeof(ch));
		if (!(dc = dev_cache(ch, limits[t], root, info, ids)) || !ch[NF - 1])
			break;
		CHECK_EQ_INT(assembled_logits(root, m, ch, NF, q, l1), CC_OK);
		for (int r = 0; r < 2; r++) {
			CHECK_EQ_INT(dev_logits(dc, root, m, ch, NF, q, l2), CC_OK);
			CHECK(memcmp(l1, l2, lb) == 0);
		}
		cc_repocache_stats_get(&st, dc);
		fprintf(stderr, "device tier limit %zu: uploads %zu, hits %zu, copies %zu (%zu bytes), "
		                "evicted %zu, failed %zu\n",
		        limits[t], st.dev_uploads, st.hits_dev, st.dev_chunks, st.dev_bytes,
		        st.dev_evicted, st.dev_failed);
		CHECK_EQ_INT((int)st.dev_failed, 0);
		if (t == 0) { /* all fit: uploaded once, then read from the device */
			CHECK_EQ_INT((int)st.dev_uploads, NF);
			CHECK_EQ_INT((int)st.hits_dev, NF);
			CHECK_EQ_INT((int)st.dev_chunks, NF);
			CHECK(st.dev_bytes > 0 && st.dev_bytes <= limits[t]);
		} else if (t == 1) {
			/* one copy fits; while chunk 0 is read the others find no room (it is pinned) */
			CHECK_EQ_INT((int)st.dev_uploads, 1);
			CHECK_EQ_INT((int)st.hits_dev, 1);
			CHECK_EQ_INT((int)st.dev_evicted, 0);
			/* chunk 1 alone: chunk 0's copy, not being read, makes room */
			CHECK_EQ_INT(dev_logits(dc, root, m, ch + 1, 1, q, l2), CC_OK);
			CHECK_EQ_INT(assembled_logits(root, m, ch + 1, 1, q, l1), CC_OK);
			CHECK(memcmp(l1, l2, lb) == 0);
			cc_repocache_stats_get(&st, dc);
			CHECK_EQ_INT((int)st.dev_evicted, 1);
			CHECK_EQ_INT((int)st.dev_uploads, 2);
			CHECK_EQ_INT((int)st.dev_chunks, 1);
			CHECK(st.dev_bytes <= limits[t]);
		} else { /* nothing fits: the host path */
			CHECK_EQ_INT((int)st.dev_uploads, 0);
			CHECK_EQ_INT((int)st.dev_chunks, 0);
		}
	}
	for (int f = 0; f < NF; f++)
		cc_repocache_chunk_release(ch[f]);
	cc_repocache_free(dc);
}

static void test_pycode(const char *mdir)
{
	json_error_t je;
	json_t *ref = json_load_file("fixtures/engine/hf_ref_pycode.json", 0, &je);
	json_t *arr = ref ? json_object_get(json_array_get(json_object_get(ref, "inputs"), 0), "ids")
	                  : NULL;
	size_t nid = json_array_size(arr);
	cc_model *gm = NULL, *cm = NULL;
	cc_model_opts go = {CC_DEVICE_CUDA, 0};
	cc_session *groot = NULL, *croot = NULL;
	cc_repocache *gc = NULL, *cc = NULL, *gc2 = NULL;
	cc_repocache_chunk *gch[2][NF] = {{0}}, *cch[2][NF] = {{0}}, *disk = NULL;
	char tmp[] = "/tmp/cc_gpu_rcache_XXXXXX";
	int32_t ids[NF * FLEN + NQ];
	float *l1 = NULL, *l2 = NULL;
	int V;
	CHECK(nid >= NF * FLEN + NQ);
	if (nid < NF * FLEN + NQ || !mkdtemp(tmp))
		goto out;
	for (size_t i = 0; i < NF * FLEN + NQ; i++)
		ids[i] = (int32_t)json_integer_value(json_array_get(arr, i));
	CHECK_EQ_INT(cc_model_load(&gm, mdir, &go), CC_OK);
	CHECK_EQ_INT(cc_model_load(&cm, mdir, NULL), CC_OK);
	if (!gm || !cm)
		goto out;
	cc_model_info info;
	cc_model_info_get(&info, gm);
	V = info.vocab;
	l1 = malloc((size_t)NQ * V * sizeof(float));
	l2 = malloc((size_t)NQ * V * sizeof(float));
	groot = sess(gm, CC_KV_BF16, 2048);
	croot = sess(cm, CC_KV_F32, 2048);
	CHECK_EQ_INT(cc_repocache_new(&gc, NULL), CC_OK);
	CHECK_EQ_INT(cc_repocache_new(&cc, NULL), CC_OK);
	CHECK_EQ_INT(cc_repocache_new(&gc2, NULL), CC_OK);
	if (!groot || !croot || !gc || !cc || !gc2)
		goto out;
	const int32_t *q = ids + NF * FLEN;
	for (int p = 0; p < 2; p++)
		for (int f = 0; f < NF; f++) {
			char blob[48], path[32];
			snprintf(blob, sizeof(blob), "%040d", f + 1);
			snprintf(path, sizeof(path), "pkg/file%d.py", f);
			cc_repocache_key kg = {"pycode-16m|cuda|bf16", blob, path,
			                       p ? CC_POLICY_SNAPKV : CC_REPOCACHE_FULL, 0.4, 1};
			cc_repocache_key kc = kg;
			kc.model = "pycode-16m|cpu|f32";
			CHECK_EQ_INT(cc_repocache_compute(&gch[p][f], gc, tmp, &kg, groot, info.bos_id,
			                                  ids + f * FLEN, FLEN, NULL, NULL, 0),
			             CC_OK);
			CHECK_EQ_INT(cc_repocache_compute(&cch[p][f], cc, NULL, &kc, croot, info.bos_id,
			                                  ids + f * FLEN, FLEN, NULL, NULL, 0),
			             CC_OK);
			if (!gch[p][f] || !cch[p][f]) {
				fprintf(stderr, "compute: %s\n", cc_error_last());
				goto out;
			}
		}
	/* cached vs fresh: chunk 0 at position 0 against a session prefilling BOS + its tokens
	 * (one call, as the chunk was computed) then the query */
	{
		cc_session *f = NULL;
		int32_t first[FLEN + 1];
		first[0] = info.bos_id;
		memcpy(first + 1, ids, FLEN * sizeof(int32_t));
		CHECK_EQ_INT(assembled_logits(groot, gm, &gch[0][0], 1, q, l1), CC_OK);
		CHECK_EQ_INT(cc_session_fork(&f, groot), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(f, first, FLEN + 1, NULL), CC_OK);
		CHECK_EQ_INT(cc_session_forward_all(f, q, NQ, l2), CC_OK);
		cc_session_free(f);
		double md = 0;
		for (size_t i = 0; i < (size_t)NQ * V; i++)
			md = fabs(l1[i] - l2[i]) > md ? fabs(l1[i] - l2[i]) : md;
		fprintf(stderr, "cuda cached vs fresh chunk: max |logit diff| %.3g\n", md);
		CHECK(md == 0);
		/* the same chunk read back from its file */
		cc_repocache_key kg = {"pycode-16m|cuda|bf16", "0000000000000000000000000000000000000001",
		                       "pkg/file0.py", CC_REPOCACHE_FULL, 0.4, 1};
		int from_disk = 0;
		CHECK_EQ_INT(cc_repocache_get(&disk, &from_disk, gc2, tmp, &kg), CC_OK);
		CHECK_EQ_INT(from_disk, 1);
		if (disk) {
			CHECK_EQ_INT(assembled_logits(groot, gm, &disk, 1, q, l2), CC_OK);
			CHECK(memcmp(l1, l2, (size_t)NQ * V * sizeof(float)) == 0);
		}
	}
	/* three chunks at their positions: CUDA against the CPU engine's assembly */
	for (int p = 0; p < 2; p++) {
		CHECK_EQ_INT(assembled_logits(groot, gm, gch[p], NF, q, l1), CC_OK);
		CHECK_EQ_INT(assembled_logits(croot, cm, cch[p], NF, q, l2), CC_OK);
		double sum = 0;
		int agree = 0;
		for (int i = 0; i + 1 < NQ; i++) {
			double d = fabs(logp_at(l1 + (size_t)i * V, V, q[i + 1]) -
			                logp_at(l2 + (size_t)i * V, V, q[i + 1]));
			sum += isnan(d) ? INFINITY : d;
			agree += argmax(l1 + (size_t)i * V, V) == argmax(l2 + (size_t)i * V, V);
		}
		fprintf(stderr, "assembled %s: cuda vs cpu mean |dNLL| %.3g, top-1 %d/%d; kept %zu / %zu "
		                "rows of chunk 0 layer 0\n",
		        p ? "snapkv 40%" : "full", sum / (NQ - 1), agree,
		        NQ - 1, cc_repocache_chunk_kept(gch[p][0], 0),
		        cc_repocache_chunk_kept(cch[p][0], 0));
		CHECK(sum / (NQ - 1) <= 3e-2);
		CHECK(agree >= (NQ - 1) * 85 / 100);
	}
	test_dev_tier(groot, gm, &info, ids, l1, l2);
out:
	for (int p = 0; p < 2; p++)
		for (int f = 0; f < NF; f++) {
			cc_repocache_chunk_release(gch[p][f]);
			cc_repocache_chunk_release(cch[p][f]);
		}
	cc_repocache_chunk_release(disk);
	cc_repocache_free(gc);
	cc_repocache_free(gc2);
	cc_repocache_free(cc);
	cc_session_free(groot);
	cc_session_free(croot);
	cc_model_free(gm);
	cc_model_free(cm);
	json_decref(ref);
	free(l1);
	free(l2);
	if (tmp[strlen(tmp) - 1] != 'X') {
		char cmd[200];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmp);
	}
}

int main(void)
{
	if (cc_kernels_device_count() == 0)
		TEST_SKIP("no CUDA device");
	{
		char root[] = "/tmp/cc_gpu_rows_XXXXXX";
		if (mkdtemp(root)) {
			test_rows(root, 0); /* hd 128, q/k/v bias */
			test_rows(root, 4); /* hd 64 */
			test_rows(root, 8); /* llama3 RoPE scaling */
			test_remove_tree(root);
		}
	}
	const char *dir = test_model_dir();
	if (dir)
		test_pycode(dir);
	else
		fprintf(stderr, "pycode-16m absent: its checks skipped\n");
	return test_result();
}
