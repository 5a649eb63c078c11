/*
 * gpu_logits.c - every position's logits of a token sequence from the CPU and the CUDA engine,
 * for checks against transformers on the GPU machine (bench/gpu_rope_check.py): reads the ids
 * (raw little-endian int32) and writes OUT.cpu.f32 and OUT.cuda.f32 ([n][vocab] float32) from
 * one teacher-forced pass each (cc_session_forward_all).
 *   usage: gpu_logits MODEL_DIR IDS.i32 OUT
 */
#include "cc_common.h"
#include "cc_engine.h"

#include <stdio.h>
#include <stdlib.h>

static int run(const char *dir, int device, const int32_t *ids, size_t n, const char *path)
{
	cc_model *m = NULL;
	cc_session *s = NULL;
	cc_model_opts mo = {device, 0};
	cc_model_info info;
	float *lg = NULL;
	FILE *f = NULL;
	int rc;
	if ((rc = cc_model_load(&m, dir, &mo)))
		goto out;
	cc_model_info_get(&info, m);
	cc_session_opts so = {0};
	so.max_tokens = n + 8;
	if ((rc = cc_session_new(&s, m, &so)))
		goto out;
	lg = malloc(n * (size_t)info.vocab * sizeof(float));
	if (!lg) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = cc_session_forward_all(s, ids, n, lg)))
		goto out;
	f = fopen(path, "wb");
	if (!f || fwrite(lg, sizeof(float) * info.vocab, n, f) != n)
		rc = cc_error_set(CC_EIO, "cannot write %s", path);
out:
	if (f)
		fclose(f);
	free(lg);
	cc_session_free(s);
	cc_model_free(m);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: gpu_logits MODEL_DIR IDS.i32 OUT\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "rb");
	int32_t ids[8192];
	size_t n = f ? fread(ids, sizeof(int32_t), 8192, f) : 0;
	if (f)
		fclose(f);
	if (n == 0) {
		fprintf(stderr, "gpu_logits: no ids in %s\n", argv[2]);
		return 1;
	}
	char path[1024];
	static const int dev[2] = {CC_DEVICE_CPU, CC_DEVICE_CUDA};
	static const char *name[2] = {"cpu", "cuda"};
	for (int d = 0; d < 2; d++) {
		snprintf(path, sizeof(path), "%s.%s.f32", argv[3], name[d]);
		if (run(argv[1], dev[d], ids, n, path)) {
			fprintf(stderr, "gpu_logits: %s: %s\n", name[d], cc_error_last());
			return 1;
		}
	}
	return 0;
}
