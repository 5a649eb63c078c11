/*
 * test_repocache_dev.c - the repository KV cache's device tier where there is no device: on
 * CPU sessions cc_repocache_assemble_in with opts.dev_bytes set assembles exactly what
 * cc_repocache_assemble does (same positions and rows, bf16 and f32 caches) and makes no
 * device copies; cc_devbuf_new refuses CPU models and empty requests by name. The device
 * path itself is tests/gpu/test_gpu_repocache.c. A tiny random checkpoint, no shared model.
 */
#include "cc_repocache.h"

#include "cc_common.h"
#include "cc_engine.h"
#include "test.h"

#include "../engine/tiny_ckpt.h"

#include <stdlib.h>
#include <string.h>

enum { NT = 40 };

static void check_dtype(cc_model *m, int dtype)
{
	cc_session_opts so = {0};
	cc_session *root = NULL, *a = NULL, *b = NULL;
	cc_repocache *c = NULL;
	cc_repocache_opts o = {0};
	cc_repocache_chunk *ch[2] = {0};
	cc_repocache_stats st;
	cc_model_info mi;
	int32_t ids[NT];
	cc_model_info_get(&mi, m);
	so.max_tokens = 256;
	so.pool_tokens = 1024;
	so.kv_dtype = dtype;
	so.kv_dtype_set = 1;
	o.dev_bytes = (size_t)64 << 20;
	CHECK_EQ_INT(cc_session_new(&root, m, &so), CC_OK);
	CHECK_EQ_INT(cc_repocache_new(&c, &o), CC_OK);
	if (!root || !c)
		goto out;
	for (int f = 0; f < 2; f++) {
		cc_repocache_key k = {"tiny|cpu", f ? "2222" : "1111", f ? "b.py" : "a.py",
		                      CC_REPOCACHE_FULL, 1, 1};
		for (int i = 0; i < NT; i++)
			ids[i] = (int32_t)((i * 7 + f * 13 + 3) % mi.vocab);
		CHECK_EQ_INT(cc_repocache_compute(&ch[f], c, NULL, &k, root, 1, ids, NT, NULL, NULL, 0),
		             CC_OK);
	}
	CHECK_EQ_INT(cc_session_fork(&a, root), CC_OK);
	CHECK_EQ_INT(cc_session_fork(&b, root), CC_OK);
	size_t na = 0, nb = 0;
	CHECK_EQ_INT(cc_repocache_assemble(a, m, ch, 2, &na), CC_OK);
	CHECK_EQ_INT(cc_repocache_assemble_in(c, b, m, ch, 2, &nb), CC_OK);
	CHECK_EQ_INT((int)na, 2 * (NT + 1));
	CHECK_EQ_INT((int)nb, (int)na);
	const cc_kv_config *kc = cc_kv_pool_config(cc_session_pool(a));
	size_t rows = (size_t)kc->n_kv_heads * na, es = cc_kv_dtype_size(kc->dtype);
	size_t rb = rows * (size_t)kc->head_dim * es;
	int32_t *pa = malloc(rows * 4), *pb = malloc(rows * 4);
	char *ka = malloc(rb), *kb = malloc(rb), *va = malloc(rb), *vb = malloc(rb);
	int same = 1;
	for (int l = 0; l < kc->n_layers; l++) {
		CHECK_EQ_INT(cc_session_kv_export(a, l, pa, ka, va), CC_OK);
		CHECK_EQ_INT(cc_session_kv_export(b, l, pb, kb, vb), CC_OK);
		same &= !memcmp(pa, pb, rows * 4) && !memcmp(ka, kb, rb) && !memcmp(va, vb, rb);
	}
	CHECK(same);
	cc_repocache_stats_get(&st, c);
	CHECK_EQ_INT((int)st.dev_uploads, 0);
	CHECK_EQ_INT((int)st.dev_chunks, 0);
	CHECK_EQ_INT((int)st.dev_bytes, 0);
	CHECK_EQ_INT((int)st.dev_limit, 64 << 20);
	/* a NULL cache: the plain assembly */
	cc_session_free(b);
	b = NULL;
	CHECK_EQ_INT(cc_session_fork(&b, root), CC_OK);
	CHECK_EQ_INT(cc_repocache_assemble_in(NULL, b, m, ch, 2, NULL), CC_OK);
	CHECK_EQ_INT(cc_session_kv_export(b, 0, pb, kb, vb), CC_OK);
	CHECK_EQ_INT(cc_session_kv_export(a, 0, pa, ka, va), CC_OK);
	CHECK(!memcmp(ka, kb, rb));
	free(pa);
	free(pb);
	free(ka);
	free(kb);
	free(va);
	free(vb);
out:
	for (int f = 0; f < 2; f++)
		cc_repocache_chunk_release(ch[f]);
	cc_repocache_free(c);
	cc_session_free(a);
	cc_session_free(b);
	cc_session_free(root);
}

int main(void)
{
	char dir[] = "/tmp/cc_rc_dev_XXXXXX";
	tiny_model tm;
	cc_model *m = NULL;
	cc_devbuf *db = NULL;
	float x[4] = {1, 2, 3, 4};
	if (!mkdtemp(dir))
		TEST_SKIP("no temporary directory");
	tiny_model_make(&tm, &tiny_shapes[4], 15);
	CHECK_EQ_INT(tiny_model_write(&tm, dir), 0);
	CHECK_EQ_INT(cc_model_load(&m, dir, NULL), CC_OK);
	if (m) {
		CHECK_EQ_INT(cc_model_device(m), CC_DEVICE_CPU);
		CHECK_EQ_INT(cc_devbuf_new(&db, m, x, sizeof(x)), CC_EUNSUPPORTED);
		CHECK(db == NULL);
		CHECK(strstr(cc_error_last(), "CPU") != NULL);
		CHECK_EQ_INT(cc_devbuf_new(&db, m, x, 0), CC_EINVAL);
		CHECK_EQ_INT(cc_devbuf_new(&db, NULL, x, sizeof(x)), CC_EINVAL);
		cc_devbuf_free(NULL);
		check_dtype(m, CC_KV_F32);
		check_dtype(m, CC_KV_BF16);
	}
	cc_model_free(m);
	tiny_model_free(&tm);
	test_remove_tree(dir);
	return test_result();
}
