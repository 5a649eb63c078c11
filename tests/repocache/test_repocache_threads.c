/*
 * test_repocache_threads.c - the repository KV cache's limits under many concurrent sessions:
 * 8 threads on one model and one cache, each opening 4 cached contexts (3 of 6 files, some
 * chunks compressed, in an order of its own) under a memory limit of about two chunks and a
 * disk limit of two thirds of the chunk files' bytes, so chunks are evicted from memory and
 * their files deleted while other threads look them up, read them back and recompute them.
 * Engine work (computing a chunk, assembling, the query's prefill) is serialised by one lock,
 * as the agent's engine lock does (one model's thread pool and KV pool are not thread-safe);
 * lookups, disk reads, releases and the counters run concurrently. Checks: the memory limit
 * holds at every lookup, the disk limit after every chunk written, both limits bind
 * (evictions happen), every session's logits are bit for bit those of the same context
 * assembled from freshly computed chunks, single-threaded, before the threads start, and a
 * new cache over the same folder reads the chunk files the limits left back (same logits).
 */
#include "cc_repocache.h"

#include "cc_common.h"
#include "cc_compress.h"
#include "cc_tokenizer.h"
#include "test.h"
#include "rc_test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NF 6     /* files */
#define NT 8     /* threads */
#define ROUNDS 4 /* contexts each thread opens */
#define PER 3    /* files per context */
#define NCTX 6   /* distinct contexts */

static cc_model *model;
static cc_tokenizer *tok;
static cc_session *root;
static cc_model_info mi;
static pthread_mutex_t engine_mu = PTHREAD_MUTEX_INITIALIZER;
static cc_repocache *cache;
static char dir[] = "/tmp/cc-rct-test.XXXXXX";
static size_t mem_limit, disk_limit;

static int32_t *ids[NF], *q;
static float *prior[NF];
static size_t n_ids[NF], nq;
static char blob[NF][8], path[NF][16];
static float *ref[NCTX];
static int ctx_files[NCTX][PER];
static int bad_mem, bad_disk, bad_logits, errors;

static cc_repocache_key key_of(int f)
{
	/* even files compressed with codecomp at 30%, odd ones whole */
	cc_repocache_key k = {"pycode-16m|cpu|f32", blob[f], path[f],
	                      f % 2 ? CC_REPOCACHE_FULL : CC_POLICY_CODECOMP, f % 2 ? 1 : 0.3, 1};
	return k;
}

/* A file's chunk: from the cache (no lock), else computed (under the engine lock). */
static int chunk_get(cc_repocache_chunk **out, cc_repocache *c, const char *d, int f)
{
	cc_repocache_key k = key_of(f);
	cc_repocache_stats st;
	int rc = cc_repocache_get(out, NULL, c, d, &k);
	cc_repocache_stats_get(&st, c);
	if (st.mem_bytes > st.mem_limit)
		__atomic_add_fetch(&bad_mem, 1, __ATOMIC_RELAXED);
	if (rc != CC_ENOTFOUND)
		return rc;
	pthread_mutex_lock(&engine_mu);
	rc = cc_repocache_compute(out, c, d, &k, root, mi.bos_id, ids[f], n_ids[f], prior[f], NULL,
	                          0);
	if (d && disk_limit) {
		size_t bytes, files;
		/* writes are serialised here, so the folder is within the limit after each */
		cc_repocache_disk_usage(&bytes, &files, d);
		if (bytes > disk_limit) {
			fprintf(stderr, "disk %zu bytes in %zu files over the limit %zu after %s\n",
			        bytes, files, disk_limit, path[f]);
			__atomic_add_fetch(&bad_disk, 1, __ATOMIC_RELAXED);
		}
	}
	pthread_mutex_unlock(&engine_mu);
	return rc;
}

/* Context x's query logits from chunks of cache c (dir d) into out. */
static int open_ctx(float *out, cc_repocache *c, const char *d, int x)
{
	cc_repocache_chunk *ch[PER] = {NULL};
	cc_session *s = NULL;
	int rc = CC_OK;
	for (int i = 0; i < PER && !rc; i++)
		rc = chunk_get(&ch[i], c, d, ctx_files[x][i]);
	if (!rc) {
		pthread_mutex_lock(&engine_mu);
		if (!(rc = cc_session_fork(&s, root)) &&
		    !(rc = cc_repocache_assemble(s, model, ch, PER, NULL)))
			rc = cc_session_prefill(s, q, nq, out);
		cc_session_free(s);
		pthread_mutex_unlock(&engine_mu);
	}
	for (int i = 0; i < PER; i++)
		cc_repocache_chunk_release(ch[i]);
	return rc;
}

static void *worker(void *arg)
{
	int t = (int)(intptr_t)arg;
	float *l = malloc((size_t)mi.vocab * sizeof(float));
	for (int r = 0; r < ROUNDS && l; r++) {
		int x = (t * 5 + r * 3) % NCTX;
		if (open_ctx(l, cache, dir, x)) {
			fprintf(stderr, "thread %d: %s\n", t, cc_error_last());
			__atomic_add_fetch(&errors, 1, __ATOMIC_RELAXED);
		} else if (memcmp(l, ref[x], (size_t)mi.vocab * sizeof(float))) {
			__atomic_add_fetch(&bad_logits, 1, __ATOMIC_RELAXED);
		}
	}
	free(l);
	return NULL;
}

int main(void)
{
	cc_session_opts so = {0};
	cc_repocache_opts ro = {0};
	cc_repocache_stats st;
	pthread_t th[NT];
	size_t biggest = 0, total = 0, bytes, files;
	char cmd[128];

	rc_load_model(&model, &tok, &mi);
	so.max_tokens = 4096;
	so.pool_tokens = 16384;
	CHECK_EQ_INT(cc_session_new(&root, model, &so), CC_OK);
	CHECK(mkdtemp(dir) != NULL);
	for (int f = 0; f < NF; f++) {
		char text[4096];
		size_t at = (size_t)snprintf(text, sizeof(text), "# file: t%d.py\n", f);
		for (int i = 0; i < 3 + f; i++)
			at += (size_t)snprintf(text + at, sizeof(text) - at,
			                       "def t%d_%d(a, b):\n    return h%d(a) * %d + b\n\n", f, i,
			                       i, f + i);
		snprintf(blob[f], sizeof(blob[f]), "b%03d", f);
		snprintf(path[f], sizeof(path[f]), "t%d.py", f);
		CHECK_EQ_INT(cc_tokenizer_encode_ex(tok, text, at, 0, &ids[f], NULL, &n_ids[f]),
		             CC_OK);
		prior[f] = malloc(n_ids[f] * sizeof(float));
		for (size_t i = 0; i < n_ids[f]; i++)
			prior[f][i] = (float)((i * 7 + (size_t)f) % 10) / 10.0f;
	}
	{
		const char *qt = "def main():\n    return t1_2(";
		CHECK_EQ_INT(cc_tokenizer_encode_ex(tok, qt, strlen(qt), 0, &q, NULL, &nq), CC_OK);
	}
	for (int x = 0; x < NCTX; x++)
		for (int i = 0; i < PER; i++)
			ctx_files[x][i] = (x + i * (x % 2 ? 1 : 5)) % NF;
	/* references: every context from freshly computed chunks, one thread, no disk; and the
	 * size of the largest chunk in memory and on disk */
	for (int x = 0; x < NCTX; x++) {
		cc_repocache *fresh = NULL;
		ref[x] = malloc((size_t)mi.vocab * sizeof(float));
		CHECK_EQ_INT(cc_repocache_new(&fresh, NULL), CC_OK);
		CHECK_EQ_INT(open_ctx(ref[x], fresh, NULL, x), CC_OK);
		cc_repocache_stats_get(&st, fresh);
		CHECK_EQ_INT(st.computed, PER);
		cc_repocache_free(fresh);
	}
	{
		char sub[128];
		cc_repocache *sizer = NULL;
		snprintf(sub, sizeof(sub), "%s/sizes", dir);
		CHECK_EQ_INT(cc_repocache_new(&sizer, NULL), CC_OK);
		for (int f = 0; f < NF; f++) {
			cc_repocache_chunk *ch = NULL;
			size_t b0, b1;
			cc_repocache_disk_usage(&b0, &files, sub);
			CHECK_EQ_INT(chunk_get(&ch, sizer, sub, f), CC_OK);
			cc_repocache_disk_usage(&b1, &files, sub);
			if (cc_repocache_chunk_bytes(ch) > mem_limit)
				mem_limit = cc_repocache_chunk_bytes(ch);
			if (b1 - b0 > biggest)
				biggest = b1 - b0;
			total += b1 - b0;
			cc_repocache_chunk_release(ch);
		}
		cc_repocache_free(sizer);
	}
	/* room for about two chunks in memory and two thirds of the files on disk */
	mem_limit *= 2;
	disk_limit = total * 2 / 3 > biggest ? total * 2 / 3 : biggest;
	ro.mem_bytes = mem_limit;
	ro.disk_bytes = disk_limit;
	CHECK_EQ_INT(cc_repocache_new(&cache, &ro), CC_OK);
	for (int t = 0; t < NT; t++)
		CHECK_EQ_INT(pthread_create(&th[t], NULL, worker, (void *)(intptr_t)t), 0);
	for (int t = 0; t < NT; t++)
		pthread_join(th[t], NULL);
	cc_repocache_stats_get(&st, cache);
	cc_repocache_disk_usage(&bytes, &files, dir);
	fprintf(stderr,
	        "%d sessions: %zu chunks computed, %zu memory hits, %zu disk hits, %zu misses, %zu "
	        "evicted, %zu files deleted; memory %zu of %zu, disk %zu of %zu bytes\n",
	        NT * ROUNDS, st.computed, st.hits_mem, st.hits_disk, st.misses, st.evicted,
	        st.disk_evicted, st.mem_bytes, st.mem_limit, bytes, disk_limit);
	CHECK_EQ_INT(errors, 0);
	CHECK_EQ_INT(bad_logits, 0);
	CHECK_EQ_INT(bad_mem, 0);
	CHECK_EQ_INT(bad_disk, 0);
	CHECK(st.mem_bytes <= mem_limit && bytes <= disk_limit);
	/* the limits bound: chunks left memory and files left the folder */
	CHECK(st.evicted > 0);
	CHECK(st.disk_evicted > 0);
	CHECK_EQ_INT(st.hits_mem + st.hits_disk + st.misses, (size_t)NT * ROUNDS * PER);
	CHECK_EQ_INT(st.damaged, 0);
	cc_repocache_free(cache);
	/* whether the threads above read a chunk back from disk depends on their timing (every
	 * reused chunk may still be in memory), so reading back is checked here, deterministically:
	 * a new cache over the same folder (as after a restart) opens every context; the files the
	 * limits left come back from disk, the others are computed again, and the logits are
	 * still the references' */
	{
		size_t on_disk = 0, read_back = 0;
		float *l = malloc((size_t)mi.vocab * sizeof(float));
		CHECK(l != NULL);
		cache = NULL;
		for (int x = 0; x < NCTX && l; x++) {
			cc_repocache_chunk *held[PER] = {NULL};
			/* a new cache's memory is empty: each context starts from the folder alone */
			cc_repocache_free(cache);
			CHECK_EQ_INT(cc_repocache_new(&cache, &ro), CC_OK);
			for (int i = 0; i < PER; i++) {
				cc_repocache_key k = key_of(ctx_files[x][i]);
				char *fp = NULL;
				int from_disk = 0;
				CHECK_EQ_INT(cc_repocache_file_path(&fp, dir, &k), CC_OK);
				if (fp && access(fp, F_OK) == 0) {
					/* a file the limits left: read back (and held, so the chunks this
					 * context computes next cannot push it out before it is used) */
					on_disk++;
					CHECK_EQ_INT(cc_repocache_get(&held[i], &from_disk, cache, dir, &k),
					             CC_OK);
					CHECK_EQ_INT(from_disk, 1);
					read_back += from_disk == 1;
				}
				free(fp);
			}
			CHECK_EQ_INT(open_ctx(l, cache, dir, x), CC_OK);
			CHECK(memcmp(l, ref[x], (size_t)mi.vocab * sizeof(float)) == 0);
			for (int i = 0; i < PER; i++)
				cc_repocache_chunk_release(held[i]);
		}
		fprintf(stderr, "after a restart: %zu chunks read back from disk of %zu present\n",
		        read_back, on_disk);
		CHECK(read_back > 0);
		free(l);
		cc_repocache_free(cache);
	}
	for (int x = 0; x < NCTX; x++)
		free(ref[x]);
	for (int f = 0; f < NF; f++) {
		free(ids[f]);
		free(prior[f]);
	}
	free(q);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ_INT(system(cmd), 0);
	cc_session_free(root);
	cc_tokenizer_free(tok);
	cc_model_free(model);
	return test_result();
}
