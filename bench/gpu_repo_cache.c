/*
 * gpu_repo_cache.c - time to first token with the repository KV cache (repocache/) against a
 * full prefill, on the CUDA engine (or the CPU one), at long contexts: issue 15's TTFT figure
 * where bench_repo_cache (CPU, real files through the tokenizer and the indexer's libraries)
 * cannot run. A context of CTX tokens is cut into "files" of FILE tokens (the ids of
 * fixtures/engine/hf_ref_pycode.json's inputs, tiled, each file from another offset), each a
 * chunk with its BOS anchor; a 64-token query follows. Measured in the same run, medians
 * [min-max] over REPS repetitions:
 *   full       one prefill of every file's tokens (with their BOS) and the query;
 *   cold       every chunk computed (prefilled alone, compressed), assembled, query (once);
 *   memory     every chunk from memory: assembly (rows uploaded, keys rotated) + query;
 *   disk       every chunk read from its file (a fresh cache object): read + assembly + query;
 *   commit     one file changed (a new blob): that chunk computed, the rest from memory.
 * ratio = full / this (> 1: the cache is faster). Also the chunk files' bytes per 1K context
 * tokens. Positions beyond the model's window (pycode-16m: 4096) are run all the same: the
 * timing does not depend on them. Prints markdown; exit 77 on --device cuda without a device.
 *   usage: gpu_repo_cache MODEL_DIR [--device cuda|cpu] [--ctx 4096,32768] [--file 1024]
 *                         [--reps 5] [--policy full|snapkv] [--budget 0.2] [--dir DIR]
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"
#include "cc_repocache.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NQ 64

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef struct {
	cc_model *m;
	cc_session *root;
	int policy;
	double budget;
	int32_t bos;
	const char *dir;
	const int32_t *ids; /* files * file tokens */
	size_t files, flen;
	const int32_t *q;
} ctx_t;

static void key_of(cc_repocache_key *k, const ctx_t *c, size_t f, char *blob, size_t bsz,
                   char *path, size_t psz, int changed)
{
	snprintf(blob, bsz, "%038zx%02x", f, changed);
	snprintf(path, psz, "pkg/mod%zu.py", f);
	k->model = "bench";
	k->blob = blob;
	k->path = path;
	k->policy = c->policy;
	k->budget = c->budget;
	k->anchor = 1;
}

/* Assemble chunks (through dev's device tier when dev is not NULL) and prefill the query in
 * a fork of root: the seconds it took. */
static int assemble_query(const ctx_t *c, cc_repocache *dev, cc_repocache_chunk **ch,
                          float *logits, double *t)
{
	cc_session *s = NULL;
	double t0 = cc_now();
	int rc = cc_session_fork(&s, c->root);
	if (!rc)
		rc = cc_repocache_assemble_in(dev, s, c->m, ch, c->files, NULL);
	if (!rc)
		rc = cc_session_prefill(s, c->q, NQ, logits);
	*t = cc_now() - t0;
	cc_session_free(s);
	return rc;
}

/* Chunks for every file (from cache rc_ when there, else computed); one changed file when
 * changed >= 0. */
static int chunks(const ctx_t *c, cc_repocache *rc_, cc_repocache_chunk **ch, long changed)
{
	for (size_t f = 0; f < c->files; f++) {
		cc_repocache_key k;
		char blob[48], path[48];
		key_of(&k, c, f, blob, sizeof(blob), path, sizeof(path), (long)f == changed);
		int rc = cc_repocache_get(&ch[f], NULL, rc_, c->dir, &k);
		if (rc == CC_ENOTFOUND)
			rc = cc_repocache_compute(&ch[f], rc_, c->dir, &k, c->root, c->bos,
			                          c->ids + f * c->flen, c->flen, NULL, NULL, 0);
		if (rc)
			return rc;
	}
	return CC_OK;
}

static void release(cc_repocache_chunk **ch, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cc_repocache_chunk_release(ch[i]);
		ch[i] = NULL;
	}
}

static void row(const char *what, double *t, int n, double full)
{
	qsort(t, (size_t)n, sizeof(double), cmp_d);
	printf("| %s | %.1f [%.1f-%.1f] | %.2f |\n", what, t[n / 2] * 1e3, t[0] * 1e3,
	       t[n - 1] * 1e3, full > 0 ? full / t[n / 2] : 1.0);
}

#define FAIL(...)                                                \
	do {                                                     \
		fprintf(stderr, "gpu_repo_cache: " __VA_ARGS__); \
		fprintf(stderr, ": %s\n", cc_error_last());      \
		return 1;                                        \
	} while (0)

static int bench_ctx(ctx_t *c, size_t ctxlen, int reps, float *logits)
{
	double *t = malloc((size_t)reps * sizeof(double)), full, tmp;
	cc_repocache *cache = NULL;
	cc_repocache_chunk **ch = calloc(c->files, sizeof(*ch));
	char dir[] = "/tmp/cc_rcbench_XXXXXX";
	size_t N = c->files * (c->flen + 1) + NQ;
	int32_t *joint = malloc(N * sizeof(int32_t));
	if (!t || !ch || !joint || !mkdtemp(dir))
		FAIL("setup");
	c->dir = dir;
	for (size_t f = 0, at = 0; f < c->files; f++) {
		joint[at++] = c->bos;
		memcpy(joint + at, c->ids + f * c->flen, c->flen * sizeof(int32_t));
		at += c->flen;
	}
	memcpy(joint + N - NQ, c->q, NQ * sizeof(int32_t));
	printf("\n### context %zu tokens: %zu files of %zu tokens + %d query tokens\n\n", ctxlen,
	       c->files, c->flen, NQ);
	printf("| time to first token | ms, median [min-max] | ratio full / this |\n| --- | ---: | "
	       "---: |\n");
	for (int r = 0; r < reps + 1; r++) { /* the first run warms up */
		cc_session *s = NULL;
		double t0 = cc_now();
		if (cc_session_fork(&s, c->root) || cc_session_prefill(s, joint, N, logits))
			FAIL("full prefill");
		if (r)
			t[r - 1] = cc_now() - t0;
		cc_session_free(s);
	}
	qsort(t, (size_t)reps, sizeof(double), cmp_d);
	full = t[reps / 2];
	row("full prefill", t, reps, full);
	if (cc_repocache_new(&cache, NULL))
		FAIL("cache");
	{
		double t0 = cc_now();
		if (chunks(c, cache, ch, -1) || assemble_query(c, NULL, ch, logits, &tmp))
			FAIL("cold");
		t[0] = cc_now() - t0;
		row("cold (every chunk computed)", t, 1, full);
		release(ch, c->files);
	}
	for (int r = 0; r < reps; r++) {
		double t0 = cc_now();
		if (chunks(c, cache, ch, -1) || assemble_query(c, NULL, ch, logits, &tmp))
			FAIL("memory");
		t[r] = cc_now() - t0;
		release(ch, c->files);
	}
	row("chunks in memory", t, reps, full);
	{
		/* the device tier: the same chunks with copies in GPU memory (made by a first,
		 * untimed assembly) */
		cc_repocache *dc = NULL;
		cc_repocache_opts o = {0};
		cc_repocache_stats st;
		o.dev_bytes = (size_t)16 << 30;
		if (cc_repocache_new(&dc, &o) || chunks(c, dc, ch, -1) ||
		    assemble_query(c, dc, ch, logits, &tmp))
			FAIL("device tier");
		release(ch, c->files);
		for (int r = 0; r < reps; r++) {
			double t0 = cc_now();
			if (chunks(c, dc, ch, -1) || assemble_query(c, dc, ch, logits, &tmp))
				FAIL("device tier");
			t[r] = cc_now() - t0;
			release(ch, c->files);
		}
		cc_repocache_stats_get(&st, dc);
		row(st.dev_chunks ? "chunks in device memory" : "chunks in device memory (none fit)", t,
		    reps, full);
		cc_repocache_free(dc);
	}
	for (int r = 0; r < reps; r++) {
		cc_repocache *fresh = NULL;
		if (cc_repocache_new(&fresh, NULL))
			FAIL("cache");
		double t0 = cc_now();
		if (chunks(c, fresh, ch, -1) || assemble_query(c, NULL, ch, logits, &tmp))
			FAIL("disk");
		t[r] = cc_now() - t0;
		release(ch, c->files);
		cc_repocache_free(fresh);
	}
	row("chunks from disk", t, reps, full);
	size_t dbytes = 0, dfiles = 0;
	cc_repocache_disk_usage(&dbytes, &dfiles, dir);
	for (int r = 0; r < reps; r++) {
		/* each repetition changes another file, the others from a warm cache */
		long f = (long)((size_t)r % c->files);
		char blob[48], path[48];
		cc_repocache_key k;
		key_of(&k, c, (size_t)f, blob, sizeof(blob), path, sizeof(path), 1);
		char *fp = NULL;
		if (!cc_repocache_file_path(&fp, dir, &k)) { /* computed, not read back */
			unlink(fp);
			free(fp);
		}
		cc_repocache_free(cache);
		cache = NULL;
		if (cc_repocache_new(&cache, NULL) || chunks(c, cache, ch, -1))
			FAIL("warm");
		release(ch, c->files);
		double t0 = cc_now();
		if (chunks(c, cache, ch, f) || assemble_query(c, NULL, ch, logits, &tmp))
			FAIL("commit");
		t[r] = cc_now() - t0;
		release(ch, c->files);
	}
	row("one file changed", t, reps, full);
	printf("\nchunk files: %zu, %zu bytes, %.0f bytes per 1K context tokens\n", dfiles, dbytes,
	       (double)dbytes / ((double)c->files * (double)c->flen / 1000.0));
	cc_repocache_free(cache);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "gpu_repo_cache: could not remove %s\n", dir);
	}
	free(t);
	free(ch);
	free(joint);
	return 0;
}

int main(int argc, char **argv)
{
	const char *ctxs = "4096,32768", *dev = "cuda", *pol = "full";
	size_t flen = 1024;
	int reps = 5;
	double budget = 0.2;
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: gpu_repo_cache MODEL_DIR [--device cuda|cpu] [--ctx 4096,32768] "
		                "[--file 1024] [--reps 5] [--policy full|snapkv] [--budget 0.2]\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			fprintf(stderr, "gpu_repo_cache: '%s' needs a value\n", a);
			return 2;
		}
		i++;
		if (!strcmp(a, "--device"))
			dev = v;
		else if (!strcmp(a, "--ctx"))
			ctxs = v;
		else if (!strcmp(a, "--file"))
			flen = (size_t)atol(v);
		else if (!strcmp(a, "--reps"))
			reps = atoi(v);
		else if (!strcmp(a, "--policy"))
			pol = v;
		else if (!strcmp(a, "--budget"))
			budget = atof(v);
		else {
			fprintf(stderr, "gpu_repo_cache: unknown argument '%s'\n", a);
			return 2;
		}
	}
	int device = cc_device_parse(dev);
	if (device < 0 || flen < 16 || flen > 65536 || reps < 1 || reps > 100 ||
	    (strcmp(pol, "full") && strcmp(pol, "snapkv")) || !(budget > 0 && budget <= 1)) {
		fprintf(stderr, "gpu_repo_cache: bad option (device %s, file %zu, reps %d, policy %s, "
		                "budget %g)\n",
		        dev, flen, reps, pol, budget);
		return 2;
	}
	json_error_t je;
	json_t *ref = json_load_file("fixtures/engine/hf_ref_pycode.json", 0, &je);
	if (!ref) {
		fprintf(stderr, "gpu_repo_cache: fixtures/engine/hf_ref_pycode.json: %s\n", je.text);
		return 1;
	}
	int32_t pool_ids[4096];
	size_t np = 0, k;
	json_t *in;
	json_array_foreach(json_object_get(ref, "inputs"), k, in)
	{
		json_t *a = json_object_get(in, "ids");
		for (size_t i = 0; i < json_array_size(a) && np < 4096; i++)
			pool_ids[np++] = (int32_t)json_integer_value(json_array_get(a, i));
	}
	json_decref(ref);
	cc_model *m = NULL;
	cc_model_opts mo = {device, 0};
	int lrc = cc_model_load(&m, argv[1], &mo);
	if (lrc) {
		fprintf(stderr, "gpu_repo_cache: load %s: %s\n", argv[1], cc_error_last());
		return lrc == CC_EUNSUPPORTED && device != CC_DEVICE_CPU ? 77 : 1;
	}
	cc_model_info info;
	cc_model_info_get(&info, m);
	float *logits = malloc((size_t)info.vocab * sizeof(float));
	char when[64];
	time_t now = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	printf("Repository KV cache, time to first token vs a full prefill: %s, device %s, model %s "
	       "(%d layers, %d/%d heads, head_dim %d), chunks: %s",
	       when, dev, argv[1],
	       info.n_layers, info.n_heads, info.n_kv_heads, info.head_dim, pol);
	if (strcmp(pol, "full"))
		printf(" at %.2f", budget);
	printf(", %d repetitions.\n", reps);
	char cbuf[256], *save = NULL;
	snprintf(cbuf, sizeof(cbuf), "%s", ctxs);
	int rc = 0;
	for (char *tok = strtok_r(cbuf, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		size_t ctxlen = (size_t)atol(tok), files = ctxlen / flen;
		if (files < 2 || files > 4096) {
			fprintf(stderr, "gpu_repo_cache: context %s: 2 to 4096 files of %zu tokens\n", tok,
			        flen);
			return 2;
		}
		int32_t *ids = malloc(files * flen * sizeof(int32_t));
		for (size_t f = 0; f < files; f++)
			for (size_t i = 0; i < flen; i++)
				ids[f * flen + i] = pool_ids[(f * 397 + i) % np];
		ctx_t c = {m, NULL, strcmp(pol, "full") ? CC_POLICY_SNAPKV : CC_REPOCACHE_FULL,
		           budget, info.bos_id, NULL, ids, files, flen, pool_ids + 100};
		cc_session_opts so = {0};
		so.max_tokens = files * (flen + 1) + NQ + 64;
		so.pool_tokens = 2 * so.max_tokens + flen + 512;
		so.obs_window = -1;
		if (cc_session_new(&c.root, m, &so)) {
			fprintf(stderr, "gpu_repo_cache: root session: %s\n", cc_error_last());
			rc = 1;
		} else
			rc = bench_ctx(&c, ctxlen, reps, logits);
		cc_session_free(c.root);
		free(ids);
		fflush(stdout);
	}
	cc_model_free(m);
	free(logits);
	return rc;
}
