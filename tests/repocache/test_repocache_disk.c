/*
 * test_repocache_disk.c - the repository cache's on-disk encoding (format 2), with the shared
 * model: chunk files of f32 caches are smaller than their rows (byte planes + deflate,
 * lossless) and read back bit for bit; a bf16 cache writes bf16 rows (about half the f32
 * file), read back bit for bit, and a bf16 chunk at position 0 gives the logits of a direct
 * bf16 prefill; a file of the previous format version at the key's name is a miss (never an
 * error) and is replaced by the recomputed chunk.
 */
#include "cc_repocache.h"

#include "cc_common.h"
#include "cc_tokenizer.h"
#include "repocache_int.h"
#include "test.h"
#include "rc_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static cc_model *model;
static cc_tokenizer *tok;
static cc_model_info mi;

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) ? -1 : (long)st.st_size;
}

/* A chunk of `text` from a session of dtype (FULL, anchored) written to dir; its file's size
 * into *fsize and a copy read back by a new cache compared bit for bit. */
static cc_repocache_chunk *chunk_via_disk(cc_session *root, const char *dir, const char *text,
                                          const char *model_id, long *fsize)
{
	cc_repocache *c1 = NULL, *c2 = NULL;
	cc_repocache_chunk *a = NULL, *b = NULL;
	cc_repocache_key k = {model_id, "d15c", "disk.py", CC_REPOCACHE_FULL, 1, 1};
	int32_t *ids = NULL;
	size_t n;
	char *path = NULL;
	int disk = 0;
	CHECK_EQ_INT(cc_tokenizer_encode_ex(tok, text, strlen(text), 0, &ids, NULL, &n), CC_OK);
	CHECK_EQ_INT(cc_repocache_new(&c1, NULL), CC_OK);
	CHECK_EQ_INT(cc_repocache_new(&c2, NULL), CC_OK);
	CHECK_EQ_INT(cc_repocache_compute(&a, c1, dir, &k, root, mi.bos_id, ids, n, NULL, NULL, 0),
	             CC_OK);
	CHECK_EQ_INT(cc_repocache_file_path(&path, dir, &k), CC_OK);
	*fsize = file_size(path);
	CHECK_EQ_INT(cc_repocache_get(&b, &disk, c2, dir, &k), CC_OK);
	CHECK_EQ_INT(disk, 1);
	CHECK(a && b && a->payload_bytes == b->payload_bytes && a->dtype == b->dtype);
	if (a && b && a->payload_bytes == b->payload_bytes)
		CHECK(!memcmp(a->payload, b->payload, a->payload_bytes));
	cc_repocache_chunk_release(b);
	cc_repocache_free(c1);
	cc_repocache_free(c2);
	free(path);
	free(ids);
	return a;
}

int main(void)
{
	cc_session_opts so = {0};
	cc_session *r32 = NULL, *r16 = NULL;
	char dir[] = "/tmp/cc-rcd-test.XXXXXX", cmd[128], text[8192];
	size_t at = 0;
	long f32_size, bf16_size;
	cc_repocache_chunk *c32, *c16;

	rc_load_model(&model, &tok, &mi);
	so.max_tokens = 4096;
	so.pool_tokens = 16384;
	CHECK_EQ_INT(cc_session_new(&r32, model, &so), CC_OK);
	so.kv_dtype = CC_KV_BF16;
	so.kv_dtype_set = 1;
	CHECK_EQ_INT(cc_session_new(&r16, model, &so), CC_OK);
	CHECK(mkdtemp(dir) != NULL);
	at += (size_t)snprintf(text + at, sizeof(text) - at, "# file: disk.py\nimport os\n\n");
	for (int i = 0; i < 12; i++)
		at += (size_t)snprintf(text + at, sizeof(text) - at,
		                       "def load_%d(path, mode='r'):\n    with open(path, mode) as f:\n"
		                       "        return f.read()[%d:]\n\n",
		                       i, i * 3);

	/* f32: lossless and smaller than the rows */
	c32 = chunk_via_disk(r32, dir, text, "m|cpu|f32", &f32_size);
	CHECK(c32 && c32->dtype == CC_KV_F32);
	if (c32) {
		fprintf(stderr, "f32 chunk: %zu bytes of rows and positions, file %ld (%.3f)\n",
		        c32->payload_bytes, f32_size, (double)f32_size / (double)c32->payload_bytes);
		CHECK(f32_size > 0 && (double)f32_size < 0.95 * (double)c32->payload_bytes);
	}

	/* bf16: bf16 rows on disk, about half the f32 file */
	c16 = chunk_via_disk(r16, dir, text, "m|cpu|bf16", &bf16_size);
	CHECK(c16 && c16->dtype == CC_KV_BF16);
	if (c16 && c32) {
		fprintf(stderr, "bf16 chunk: %zu bytes of rows and positions, file %ld (%.3f of f32's "
		                "file)\n",
		        c16->payload_bytes, bf16_size, (double)bf16_size / (double)f32_size);
		CHECK(c16->payload_bytes < c32->payload_bytes * 6 / 10);
		CHECK(bf16_size > 0 && (double)bf16_size < 0.6 * (double)f32_size);
	}
	/* a bf16 chunk at position 0: the logits of a direct bf16 prefill */
	if (c16) {
		cc_session *a = NULL, *d = NULL;
		size_t n, nq;
		const int32_t *ids = cc_repocache_chunk_ids(c16, &n);
		int32_t *q = NULL;
		float *la = malloc((size_t)mi.vocab * 4), *ld = malloc((size_t)mi.vocab * 4);
		const char *qt = "def main():\n    return load_3(";
		CHECK_EQ_INT(cc_tokenizer_encode_ex(tok, qt, strlen(qt), 0, &q, NULL, &nq), CC_OK);
		CHECK_EQ_INT(cc_session_fork(&a, r16), CC_OK);
		CHECK_EQ_INT(cc_repocache_assemble(a, model, &c16, 1, NULL), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(a, q, nq, la), CC_OK);
		CHECK_EQ_INT(cc_session_fork(&d, r16), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(d, ids, n, NULL), CC_OK);
		CHECK_EQ_INT(cc_session_prefill(d, q, nq, ld), CC_OK);
		CHECK(max_abs_diff(la, ld, (size_t)mi.vocab) == 0);
		cc_session_free(a);
		cc_session_free(d);
		free(la);
		free(ld);
		free(q);
	}

	/* a file of format 1 at this key's name: a miss (counted as refused), then replaced */
	{
		cc_repocache_key k = {"m|cpu|f32", "d15c", "disk.py", CC_REPOCACHE_FULL, 1, 1};
		cc_repocache *c = NULL;
		cc_repocache_chunk *ch = NULL;
		cc_repocache_stats st;
		char *path = NULL;
		FILE *f;
		uint32_t v1 = 1;
		CHECK_EQ_INT(cc_repocache_file_path(&path, dir, &k), CC_OK);
		f = fopen(path, "r+b");
		CHECK(f != NULL);
		if (f) {
			fseek(f, 8, SEEK_SET);
			fwrite(&v1, 4, 1, f);
			fclose(f);
		}
		CHECK_EQ_INT(cc_repocache_new(&c, NULL), CC_OK);
		CHECK_EQ_INT(cc_repocache_get(&ch, NULL, c, dir, &k), CC_ENOTFOUND);
		CHECK(ch == NULL);
		CHECK_EQ_INT(file_size(path), -1);
		cc_repocache_stats_get(&st, c);
		CHECK_EQ_INT(st.misses, 1);
		cc_repocache_free(c);
		cc_repocache_chunk_release(chunk_via_disk(r32, dir, text, "m|cpu|f32", &f32_size));
		CHECK(file_size(path) == f32_size);
		free(path);
	}
	cc_repocache_chunk_release(c32);
	cc_repocache_chunk_release(c16);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ_INT(system(cmd), 0);
	cc_session_free(r32);
	cc_session_free(r16);
	cc_tokenizer_free(tok);
	cc_model_free(model);
	return test_result();
}
