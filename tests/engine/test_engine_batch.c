/*
 * test_engine_batch.c - batched decode across sessions on the CPU engine (cc_batch_decode;
 * the checks are in tests/engine/batch_check.h and also run on CUDA in tests/gpu): the
 * Qwen2.5-Coder-7B attention shape as a tiny random checkpoint, and pycode-16m when the shared
 * model is present. Also the shared pool's option errors.
 */
#include "cc_common.h"
#include "cc_engine.h"
#include "test.h"
#include "batch_check.h"
#include "tiny_ckpt.h"

#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	char root[] = "/tmp/cc_batch_XXXXXX", dir[600];
	tiny_model tm;
	cc_model *m = NULL;
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s/qwen7b-heads", root);
	tiny_model_make(&tm, &tiny_shapes[1], 7);
	CHECK_EQ_INT(tiny_model_write(&tm, dir), 0);
	tiny_model_free(&tm);
	CHECK_EQ_INT(cc_model_load(&m, dir, NULL), CC_OK);
	if (m) {
		batch_check(m, 1e-5, 1.0, "cpu tiny qwen2.5-coder-7b heads");
		/* pool options */
		cc_engine_pool *p = NULL;
		cc_engine_pool_opts po = {0};
		CHECK_EQ_INT(cc_engine_pool_new(&p, m, &po), CC_EINVAL); /* no tokens */
		CHECK(strstr(cc_error_last(), "tokens") != NULL);
		po.tokens = 64;
		po.block_tokens = -1;
		CHECK_EQ_INT(cc_engine_pool_new(&p, m, &po), CC_EINVAL);
		cc_model_free(m);
	}
	const char *md = test_model_dir();
	if (md) {
		cc_model *pm = NULL;
		CHECK_EQ_INT(cc_model_load(&pm, md, NULL), CC_OK);
		if (pm)
			batch_check(pm, 1e-5, 1.0, "cpu pycode-16m");
		cc_model_free(pm);
	} else {
		fprintf(stderr, "pycode-16m absent: its batch checks skipped\n");
	}
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return test_result();
}
