/*
 * test_repocache.c - the repository KV cache (repocache/) against the engine with the shared
 * model: a single cached chunk at position 0 gives the logits of a direct prefill; keys moved
 * by the position delta equal the keys a joint prefill writes (layer 0, where keys depend on
 * the token and position only); a chunk read back from disk is byte-identical to one computed
 * afresh; damaged and truncated files are detected, deleted and recomputed; the memory limit
 * holds with many chunks; the disk limit keeps a directory's chunk files under it, deleting
 * the least recently used (a lookup refreshes a file) and never the file just written nor
 * anything that is not a chunk file (foreign files, links, directories); bad keys are refused
 * by name.
 */
#include "cc_repocache.h"

#include "cc_compress.h"
#include "cc_tokenizer.h"
#include "repocache_int.h"
#include "test.h"
#include "rc_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static cc_model *model;
static cc_tokenizer *tok;
static cc_session *root;
static cc_model_info mi;

static int32_t *encode(const char *text, size_t *n)
{
	int32_t *ids = NULL;
	CHECK_EQ_INT(cc_tokenizer_encode_ex(tok, text, strlen(text), 0, &ids, NULL, n), CC_OK);
	return ids;
}


static cc_repocache_key key_of(const char *blob, const char *path, int policy, double budget,
                               int anchor)
{
	cc_repocache_key k = {"pycode-16m|cpu|f32", blob, path, policy, budget, anchor};
	return k;
}

/* One chunk at position 0, uncompressed: the query after it sees exactly what it sees after a
 * direct prefill of the same tokens. */
static void test_single_chunk_logits(cc_repocache *c)
{
	char *text = synth_py("mod", 6, 1);
	size_t n, nq, npos;
	int32_t *ids = encode(text, &n), *q = encode("def h(z):\n    return f1_2(z, 1)\n", &nq);
	cc_repocache_chunk *ch = NULL;
	cc_session *a = NULL, *d = NULL;
	cc_repocache_key k = key_of("1111", "mod1.py", CC_REPOCACHE_FULL, 1, 1);
	float *la = malloc((size_t)mi.vocab * sizeof(float)), *ld = malloc((size_t)mi.vocab * 4);
	int32_t *all = malloc((n + 1 + nq) * sizeof(int32_t));

	CHECK_EQ_INT(cc_repocache_compute(&ch, c, NULL, &k, root, mi.bos_id, ids, n, NULL, NULL, 0),
	             CC_OK);
	CHECK_EQ_INT(cc_session_fork(&a, root), CC_OK);
	CHECK_EQ_INT(cc_repocache_assemble(a, model, &ch, 1, &npos), CC_OK);
	CHECK_EQ_INT(npos, n + 1);
	CHECK_EQ_INT(cc_kv_seq_next_pos(cc_session_kv(a)), (int)(n + 1));
	CHECK_EQ_INT(cc_session_prefill(a, q, nq, la), CC_OK);
	all[0] = mi.bos_id;
	memcpy(all + 1, ids, n * sizeof(int32_t));
	memcpy(all + 1 + n, q, nq * sizeof(int32_t));
	CHECK_EQ_INT(cc_session_fork(&d, root), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(d, all, n + 1 + nq, ld), CC_OK);
	double diff = max_abs_diff(la, ld, (size_t)mi.vocab);
	fprintf(stderr, "single chunk at 0: max |logit diff| %.3g\n", diff);
	CHECK(diff < 1e-4);
	cc_session_free(a);
	cc_session_free(d);
	cc_repocache_chunk_release(ch);
	free(la);
	free(ld);
	free(all);
	free(ids);
	free(q);
	free(text);
}

/* Keys rotated by the delta equal the keys of a joint prefill (layer 0: a key depends only on
 * its token and position there), and values are copied unchanged. */
static void test_rope_delta(cc_repocache *c)
{
	char *ta = synth_py("mod", 3, 2), *tb = synth_py("mod", 4, 3);
	size_t na, nb;
	int32_t *a = encode(ta, &na), *b = encode(tb, &nb);
	cc_repocache_chunk *ch[2] = {NULL, NULL};
	cc_repocache_key ka = key_of("2222", "mod2.py", CC_REPOCACHE_FULL, 1, 1);
	cc_repocache_key kb = key_of("3333", "mod3.py", CC_REPOCACHE_FULL, 1, 0);
	cc_session *s = NULL, *j = NULL;
	int32_t *all = malloc((na + nb + 1) * sizeof(int32_t));
	size_t N = na + nb + 1, rows = (size_t)mi.n_kv_heads * N * (size_t)mi.head_dim;
	float *ks = malloc(rows * 4), *vs = malloc(rows * 4), *kj = malloc(rows * 4),
	      *vj = malloc(rows * 4);
	int32_t *ps = malloc((size_t)mi.n_kv_heads * N * 4), *pj = malloc((size_t)mi.n_kv_heads * N * 4);

	CHECK_EQ_INT(cc_repocache_compute(&ch[0], c, NULL, &ka, root, mi.bos_id, a, na, NULL, NULL,
	                                  0),
	             CC_OK);
	CHECK_EQ_INT(cc_repocache_compute(&ch[1], c, NULL, &kb, root, mi.bos_id, b, nb, NULL, NULL,
	                                  0),
	             CC_OK);
	CHECK_EQ_INT(cc_session_fork(&s, root), CC_OK);
	CHECK_EQ_INT(cc_repocache_assemble(s, model, ch, 2, NULL), CC_OK);
	all[0] = mi.bos_id;
	memcpy(all + 1, a, na * 4);
	memcpy(all + 1 + na, b, nb * 4);
	CHECK_EQ_INT(cc_session_fork(&j, root), CC_OK);
	CHECK_EQ_INT(cc_session_prefill(j, all, N, NULL), CC_OK);
	CHECK_EQ_INT(cc_kv_seq_len(cc_session_kv(s), 0), N);
	CHECK_EQ_INT(cc_session_kv_export(s, 0, ps, ks, vs), CC_OK);
	CHECK_EQ_INT(cc_session_kv_export(j, 0, pj, kj, vj), CC_OK);
	CHECK(!memcmp(ps, pj, (size_t)mi.n_kv_heads * N * 4));
	CHECK(!memcmp(vs, vj, rows * 4));
	double dk = max_abs_diff(ks, kj, rows), mk = 0;
	for (size_t i = 0; i < rows; i++)
		mk = fmax(mk, fabs(kj[i]));
	fprintf(stderr, "layer-0 keys moved by %zu positions: max |diff| %.3g (max |key| %.3g)\n",
	        na + 1, dk, mk);
	CHECK(dk < 1e-4);
	/* the second chunk's first key (delta na + 1) must differ from the unrotated one */
	{
		int32_t *cp;
		void *ck, *cv;
		rc_chunk_rows(ch[1], 0, &cp, &ck, &cv);
		CHECK(max_abs_diff(ck, ks + (na + 1) * (size_t)mi.head_dim, (size_t)mi.head_dim) > 1e-3);
	}
	cc_session_free(s);
	cc_session_free(j);
	cc_repocache_chunk_release(ch[0]);
	cc_repocache_chunk_release(ch[1]);
	free(all);
	free(ks);
	free(vs);
	free(kj);
	free(vj);
	free(ps);
	free(pj);
	free(a);
	free(b);
	free(ta);
	free(tb);
}

static void flip_byte(const char *path, long at)
{
	FILE *f = fopen(path, "r+b");
	int ch;
	CHECK(f != NULL);
	if (!f)
		return;
	fseek(f, at, SEEK_SET);
	ch = fgetc(f);
	fseek(f, at, SEEK_SET);
	fputc(ch ^ 0x40, f);
	fclose(f);
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) ? -1 : (long)st.st_size;
}

/* Disk: a chunk read back is byte-identical to one computed afresh; damage is detected. */
static void test_disk(void)
{
	char dir[] = "/tmp/cc-repocache-test.XXXXXX", sub[128], *path = NULL, cmd[256];
	char *text = synth_py("mod", 12, 4);
	size_t n;
	int32_t *ids = encode(text, &n);
	float *prior = malloc(n * sizeof(float));
	uint8_t *protect = calloc(n, 1);
	cc_repocache *c1 = NULL, *c2 = NULL;
	cc_repocache_chunk *a = NULL, *b = NULL;
	cc_repocache_stats st;
	cc_repocache_key k = key_of("4444", "mod4.py", CC_POLICY_CODECOMP, 0.2, 1);
	int from_disk = -1;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(sub, sizeof(sub), "%s/kv/cache", dir);
	for (size_t i = 0; i < n; i++) {
		prior[i] = (float)((i * 7) % 10) / 10.0f;
		protect[i] = i % 13 == 0;
	}
	CHECK_EQ_INT(cc_repocache_new(&c1, NULL), CC_OK);
	CHECK_EQ_INT(cc_repocache_get(&a, NULL, c1, sub, &k), CC_ENOTFOUND);
	CHECK_EQ_INT(cc_repocache_compute(&a, c1, sub, &k, root, mi.bos_id, ids, n, prior, protect,
	                                  0),
	             CC_OK);
	/* compressed: about 20% of the tokens per head, never fewer than sinks + window */
	{
		cc_compress_opts co;
		cc_compress_opts_default(&co, CC_POLICY_CODECOMP, 0.2);
		CHECK_EQ_INT(cc_repocache_chunk_kept(a, 0), cc_compress_keep_count(&co, n + 1));
		CHECK(cc_repocache_chunk_kept(a, 0) < n / 2);
	}
	CHECK_EQ_INT(cc_repocache_file_path(&path, sub, &k), CC_OK);
	CHECK(file_size(path) > 0);
	{
		size_t bytes, files;
		cc_repocache_disk_usage(&bytes, &files, sub);
		CHECK_EQ_INT(files, 1);
		CHECK_EQ_INT(bytes, (size_t)file_size(path));
	}
	/* a fresh cache (nothing in memory) reads it back from disk, identical to a recompute */
	CHECK_EQ_INT(cc_repocache_new(&c2, NULL), CC_OK);
	CHECK_EQ_INT(cc_repocache_get(&b, &from_disk, c2, sub, &k), CC_OK);
	CHECK_EQ_INT(from_disk, 1);
	CHECK(b->payload_bytes == a->payload_bytes && b->n_tokens == a->n_tokens);
	CHECK(!memcmp(b->payload, a->payload, a->payload_bytes));
	CHECK(!memcmp(b->ids, a->ids, a->n_tokens * 4));
	cc_repocache_chunk_release(b);
	b = NULL;
	{
		cc_repocache *c3 = NULL;
		CHECK_EQ_INT(cc_repocache_new(&c3, NULL), CC_OK);
		CHECK_EQ_INT(cc_repocache_compute(&b, c3, NULL, &k, root, mi.bos_id, ids, n, prior,
		                                  protect, 0),
		             CC_OK);
		CHECK(!memcmp(b->payload, a->payload, a->payload_bytes));
		cc_repocache_chunk_release(b);
		b = NULL;
		cc_repocache_free(c3);
	}
	/* a flipped byte in the rows, in the key, and a truncated file: each a miss, deleted */
	long size = file_size(path);
	long spots[3] = {size - 100, 30, size / 2};
	for (int t = 0; t < 4; t++) {
		cc_repocache *c4 = NULL;
		cc_repocache_stats s4;
		if (t < 3) {
			flip_byte(path, spots[t]);
		} else {
			CHECK_EQ_INT(truncate(path, size - 4), 0);
		}
		CHECK_EQ_INT(cc_repocache_new(&c4, NULL), CC_OK);
		CHECK_EQ_INT(cc_repocache_get(&b, NULL, c4, sub, &k), CC_ENOTFOUND);
		CHECK(strstr(cc_error_last(), "damaged") != NULL);
		cc_repocache_stats_get(&s4, c4);
		CHECK_EQ_INT(s4.damaged, 1);
		CHECK_EQ_INT(file_size(path), -1);
		/* recomputed, and the new file is good */
		CHECK_EQ_INT(cc_repocache_compute(&b, c4, sub, &k, root, mi.bos_id, ids, n, prior,
		                                  protect, 0),
		             CC_OK);
		CHECK(!memcmp(b->payload, a->payload, a->payload_bytes));
		cc_repocache_chunk_release(b);
		b = NULL;
		cc_repocache_free(c4);
		CHECK_EQ_INT(file_size(path), size);
	}
	/* a file for another key at this key's name (a hash collision, or a copied file) */
	{
		cc_repocache_key k2 = key_of("5555", "mod4.py", CC_POLICY_CODECOMP, 0.2, 1);
		char *p2 = NULL;
		cc_repocache *c5 = NULL;
		CHECK_EQ_INT(cc_repocache_file_path(&p2, sub, &k2), CC_OK);
		snprintf(cmd, sizeof(cmd), "cp %s %s", path, p2);
		CHECK_EQ_INT(system(cmd), 0);
		CHECK_EQ_INT(cc_repocache_new(&c5, NULL), CC_OK);
		CHECK_EQ_INT(cc_repocache_get(&b, NULL, c5, sub, &k2), CC_ENOTFOUND);
		cc_repocache_free(c5);
		free(p2);
	}
	cc_repocache_stats_get(&st, c1);
	CHECK_EQ_INT(st.computed, 1);
	CHECK_EQ_INT(st.misses, 1);
	cc_repocache_chunk_release(a);
	cc_repocache_free(c1);
	cc_repocache_free(c2);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ_INT(system(cmd), 0);
	free(path);
	free(prior);
	free(protect);
	free(ids);
	free(text);
}

/* The memory limit holds with many chunks; evicted chunks stay valid for their holders. */
static void test_limits(void)
{
	cc_repocache *c = NULL;
	cc_repocache_opts o = {0};
	cc_repocache_chunk *held = NULL;
	cc_repocache_stats st;
	size_t one;
	char *text = synth_py("mod", 2, 5);
	size_t n;
	int32_t *ids = encode(text, &n);
	{
		cc_repocache *c0 = NULL;
		cc_repocache_key k = key_of("b0", "m.py", CC_REPOCACHE_FULL, 1, 1);
		CHECK_EQ_INT(cc_repocache_new(&c0, NULL), CC_OK);
		CHECK_EQ_INT(cc_repocache_compute(&held, c0, NULL, &k, root, mi.bos_id, ids, n, NULL,
		                                  NULL, 0),
		             CC_OK);
		one = cc_repocache_chunk_bytes(held);
		cc_repocache_free(c0); /* held stays valid */
		CHECK_EQ_INT(held->n_tokens, n + 1);
	}
	o.mem_bytes = one * 3 + one / 2;
	CHECK_EQ_INT(cc_repocache_new(&c, &o), CC_OK);
	for (int i = 0; i < 20; i++) {
		char blob[16];
		cc_repocache_chunk *ch = NULL;
		snprintf(blob, sizeof(blob), "b%d", i);
		cc_repocache_key k = key_of(blob, "m.py", CC_REPOCACHE_FULL, 1, 1);
		CHECK_EQ_INT(cc_repocache_compute(&ch, c, NULL, &k, root, mi.bos_id, ids, n, NULL, NULL,
		                                  0),
		             CC_OK);
		cc_repocache_chunk_release(ch);
		cc_repocache_stats_get(&st, c);
		CHECK(st.mem_bytes <= o.mem_bytes);
	}
	cc_repocache_stats_get(&st, c);
	CHECK_EQ_INT(st.mem_chunks, 3);
	CHECK_EQ_INT(st.evicted, 17);
	/* the most recent three are hits, the first a miss */
	{
		cc_repocache_chunk *ch = NULL;
		cc_repocache_key k = key_of("b19", "m.py", CC_REPOCACHE_FULL, 1, 1);
		CHECK_EQ_INT(cc_repocache_get(&ch, NULL, c, NULL, &k), CC_OK);
		cc_repocache_chunk_release(ch);
		k.blob = "b0";
		CHECK_EQ_INT(cc_repocache_get(&ch, NULL, c, NULL, &k), CC_ENOTFOUND);
	}
	cc_repocache_chunk_release(held);
	cc_repocache_free(c);
	free(ids);
	free(text);
}

/* key's chunk file in dir, made to look last used `age` seconds ago */
static void age_file(const char *dir, const char *blob, long age)
{
	cc_repocache_key k = key_of(blob, "m.py", CC_REPOCACHE_FULL, 1, 1);
	char *path = NULL;
	struct timespec ts[2];
	CHECK_EQ_INT(cc_repocache_file_path(&path, dir, &k), CC_OK);
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= age;
	ts[1] = ts[0];
	CHECK_EQ_INT(utimensat(AT_FDCWD, path, ts, 0), 0);
	free(path);
}

static int chunk_on_disk(const char *dir, const char *blob)
{
	cc_repocache_key k = key_of(blob, "m.py", CC_REPOCACHE_FULL, 1, 1);
	char *path = NULL;
	int there;
	CHECK_EQ_INT(cc_repocache_file_path(&path, dir, &k), CC_OK);
	there = path && file_size(path) > 0;
	free(path);
	return there;
}

static void compute_blob(cc_repocache *c, const char *dir, const char *blob, const int32_t *ids,
                         size_t n)
{
	cc_repocache_chunk *ch = NULL;
	cc_repocache_key k = key_of(blob, "m.py", CC_REPOCACHE_FULL, 1, 1);
	CHECK_EQ_INT(cc_repocache_compute(&ch, c, dir, &k, root, mi.bos_id, ids, n, NULL, NULL, 0),
	             CC_OK);
	cc_repocache_chunk_release(ch);
}

/* The disk limit: many chunks keep the directory under it, least recently used out first
 * (memory hits and disk reads both count as use); foreign files, links, directories and the
 * files links point to are never deleted; the file just written survives even alone over it. */
static void test_disk_limit(void)
{
	char dir[] = "/tmp/cc-repocache-disk.XXXXXX", out[] = "/tmp/cc-repocache-out.XXXXXX";
	char p[256], cmd[600];
	char *text = synth_py("mod", 3, 6);
	size_t n, bytes, files;
	int32_t *ids = encode(text, &n);
	cc_repocache *c = NULL, *c2 = NULL;
	cc_repocache_opts o = {0};
	cc_repocache_stats st;
	long one;
	int from_disk = 0;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	CHECK(mkdtemp(out) != NULL);
	/* things that are not the cache's: a note, a look-alike name, a directory and a link
	 * named as chunk files, the link to a file outside */
	snprintf(p, sizeof(p), "%s/notes.txt", dir);
	CHECK((f = fopen(p, "w")) != NULL);
	if (f) {
		for (int i = 0; i < 4096; i++)
			fputs("not a chunk\n", f);
		fclose(f);
	}
	snprintf(cmd, sizeof(cmd),
	         "cp %s/notes.txt %s/0123456789abcdef.kvc.bak && cp %s/notes.txt %s/victim.kvc && "
	         "mkdir %s/aaaaaaaaaaaaaaaa.kvc && ln -s %s/victim.kvc %s/fedcba9876543210.kvc && "
	         "touch -d '2000-01-01' %s/notes.txt %s/0123456789abcdef.kvc.bak",
	         dir, dir, dir, out, dir, out, dir, dir, dir);
	CHECK_EQ_INT(system(cmd), 0);

	/* defaults: 4 GiB */
	CHECK_EQ_INT(cc_repocache_new(&c, NULL), CC_OK);
	cc_repocache_stats_get(&st, c);
	CHECK_EQ_INT(st.disk_limit, (size_t)4 << 30);
	cc_repocache_free(c);
	c = NULL;

	/* one chunk's file, alone under a limit of a byte: written, kept */
	o.disk_bytes = 1;
	CHECK_EQ_INT(cc_repocache_new(&c, &o), CC_OK);
	compute_blob(c, dir, "b10", ids, n);
	CHECK(chunk_on_disk(dir, "b10"));
	cc_repocache_disk_usage(&bytes, &files, dir);
	CHECK_EQ_INT(files, 1); /* the link and the directory are not counted */
	one = (long)bytes;
	CHECK(one > 1000);
	compute_blob(c, dir, "b11", ids, n);
	CHECK(chunk_on_disk(dir, "b11") && !chunk_on_disk(dir, "b10"));
	cc_repocache_stats_get(&st, c);
	CHECK_EQ_INT(st.disk_evicted, 1);
	cc_repocache_free(c);
	c = NULL;

	/* three and a half chunks: never more than three files, whatever the count written */
	o.disk_bytes = (size_t)(one * 3 + one / 2);
	CHECK_EQ_INT(cc_repocache_new(&c, &o), CC_OK);
	for (int i = 12; i < 30; i++) {
		char blob[16];
		snprintf(blob, sizeof(blob), "b%d", i);
		compute_blob(c, dir, blob, ids, n);
		CHECK(chunk_on_disk(dir, blob));
		cc_repocache_disk_usage(&bytes, &files, dir);
		CHECK(bytes <= o.disk_bytes);
		CHECK(files <= 3);
	}
	cc_repocache_stats_get(&st, c);
	CHECK_EQ_INT(st.disk_evicted, 16); /* b11 and b12..b26 */
	CHECK(chunk_on_disk(dir, "b27") && chunk_on_disk(dir, "b28") && chunk_on_disk(dir, "b29"));

	/* recently used survives: b27 oldest on disk, then a memory hit on it (it is in memory:
	 * the memory limit is 256 MiB); the next chunk pushes out b28, now the oldest */
	age_file(dir, "b27", 300);
	age_file(dir, "b28", 200);
	age_file(dir, "b29", 100);
	{
		cc_repocache_chunk *ch = NULL;
		cc_repocache_key k = key_of("b27", "m.py", CC_REPOCACHE_FULL, 1, 1);
		CHECK_EQ_INT(cc_repocache_get(&ch, &from_disk, c, dir, &k), CC_OK);
		CHECK_EQ_INT(from_disk, 0);
		cc_repocache_chunk_release(ch);
	}
	compute_blob(c, dir, "b30", ids, n);
	CHECK(chunk_on_disk(dir, "b27") && !chunk_on_disk(dir, "b28"));
	CHECK(chunk_on_disk(dir, "b29") && chunk_on_disk(dir, "b30"));

	/* and a read from disk (a cache that holds nothing in memory) counts as use too */
	age_file(dir, "b27", 100);
	age_file(dir, "b29", 300);
	age_file(dir, "b30", 200);
	CHECK_EQ_INT(cc_repocache_new(&c2, &o), CC_OK);
	{
		cc_repocache_chunk *ch = NULL;
		cc_repocache_key k = key_of("b29", "m.py", CC_REPOCACHE_FULL, 1, 1);
		CHECK_EQ_INT(cc_repocache_get(&ch, &from_disk, c2, dir, &k), CC_OK);
		CHECK_EQ_INT(from_disk, 1);
		cc_repocache_chunk_release(ch);
	}
	compute_blob(c2, dir, "b31", ids, n);
	CHECK(chunk_on_disk(dir, "b29") && !chunk_on_disk(dir, "b30"));
	CHECK(chunk_on_disk(dir, "b27") && chunk_on_disk(dir, "b31"));

	/* nothing foreign was touched */
	snprintf(cmd, sizeof(cmd),
	         "test -f %s/notes.txt && test -f %s/0123456789abcdef.kvc.bak && "
	         "test -d %s/aaaaaaaaaaaaaaaa.kvc && test -L %s/fedcba9876543210.kvc && "
	         "test -s %s/victim.kvc",
	         dir, dir, dir, dir, out);
	CHECK_EQ_INT(system(cmd), 0);

	cc_repocache_free(c);
	cc_repocache_free(c2);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", dir, out);
	CHECK_EQ_INT(system(cmd), 0);
	free(ids);
	free(text);
}

static void test_bad_keys(cc_repocache *c)
{
	cc_repocache_chunk *ch = NULL;
	cc_repocache_key k = key_of("abcd", "x.py", CC_POLICY_CODECOMP, 1.5, 1);
	int32_t ids[3] = {5, 6, 7};
	CHECK_EQ_INT(cc_repocache_get(&ch, NULL, c, NULL, &k), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "1.5") != NULL);
	k.budget = 0.5;
	k.policy = 99;
	CHECK_EQ_INT(cc_repocache_get(&ch, NULL, c, NULL, &k), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "policy") != NULL);
	k.policy = CC_REPOCACHE_FULL;
	k.blob = NULL;
	CHECK_EQ_INT(cc_repocache_compute(&ch, c, NULL, &k, root, 0, ids, 3, NULL, NULL, 0),
	             CC_EINVAL);
	CHECK(strstr(cc_error_last(), "blob") != NULL);
	k.blob = "abcd";
	CHECK_EQ_INT(cc_repocache_compute(&ch, c, NULL, &k, root, -1, ids, 3, NULL, NULL, 0),
	             CC_EINVAL);
	CHECK(strstr(cc_error_last(), "BOS") != NULL);
	CHECK_EQ_INT(cc_repocache_compute(&ch, c, NULL, &k, root, 0, ids, 0, NULL, NULL, 0),
	             CC_EINVAL);
	CHECK(ch == NULL);
}

/* The fuzz target's seeds are valid chunk files of the current format (so the fuzzer starts
 * past the header checks), one with its rows deflated and one as they are, and each of their
 * bytes matters. */
static void test_fuzz_seed(const char *seed)
{
	cc_repocache_key key = {"fuzz", "blob", "p.py", CC_REPOCACHE_FULL, 1, 1};
	char *ks = NULL, *buf = NULL;
	size_t len = 0;
	rc_chunk *ch = NULL;
	CHECK_EQ_INT(rc_key_string(&ks, &key), CC_OK);
	CHECK_EQ_INT(cc_read_file(&buf, &len, seed, 0), CC_OK);
	CHECK_EQ_INT(rc_chunk_parse(&ch, (const uint8_t *)buf, len, ks), CC_OK);
	CHECK(ch && ch->n_tokens == 3 && ch->kept[1] == 2);
	rc_chunk_free(ch);
	for (size_t i = 0; buf && i < len; i++) {
		buf[i] ^= 1;
		ch = NULL;
		CHECK_EQ_INT(rc_chunk_parse(&ch, (const uint8_t *)buf, len, ks), CC_EPARSE);
		buf[i] ^= 1;
	}
	CHECK_EQ_INT(rc_chunk_parse(&ch, (const uint8_t *)buf, len - 1, ks), CC_EPARSE);
	free(buf);
	free(ks);
}

/* A compressed chunk is keyed by the selection version that chose it (so chunks compressed
 * under an older default are misses, not served as the current default's), a full chunk not:
 * the same key but for that version names another file; full chunks keep their names. */
static void test_select_version(void)
{
	cc_repocache_key k = {"m", "blob", "p.py", CC_POLICY_CODECOMP, 0.3, 1};
	char *ks = NULL, want[32];
	snprintf(want, sizeof(want), "\ns%d", CC_COMPRESS_SELECT_VERSION);
	CHECK_EQ_INT(rc_key_string(&ks, &k), CC_OK);
	CHECK(ks && strlen(ks) > strlen(want) && !strcmp(ks + strlen(ks) - strlen(want), want));
	free(ks);
	k.policy = CC_REPOCACHE_FULL;
	CHECK_EQ_INT(rc_key_string(&ks, &k), CC_OK);
	CHECK(ks && strstr(ks, "\nfull\n") && !strstr(ks, "\ns"));
	free(ks);
}

int main(void)
{
	cc_session_opts so = {0};
	cc_repocache *c = NULL;
	rc_load_model(&model, &tok, &mi);
	so.max_tokens = 4096;
	so.pool_tokens = 16384;
	CHECK_EQ_INT(cc_session_new(&root, model, &so), CC_OK);
	CHECK_EQ_INT(cc_repocache_new(&c, NULL), CC_OK);
	test_single_chunk_logits(c);
	test_rope_delta(c);
	test_disk();
	test_limits();
	test_disk_limit();
	test_bad_keys(c);
	test_select_version();
	test_fuzz_seed("tests/fuzz/corpus/repocache/seed.kvc");
	test_fuzz_seed("tests/fuzz/corpus/repocache/seed_raw.kvc");
	cc_repocache_free(c);
	cc_session_free(root);
	cc_tokenizer_free(tok);
	cc_model_free(model);
	return test_result();
}
