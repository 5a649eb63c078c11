/*
 * store_query_bench.c - what one `nodes` / `edges` answer costs the store: loops
 * cc_store_nodes_json and cc_store_edges_json on one file of an indexed revision through one
 * read-only handle, as a daemon worker does, and prints calls/s (median of the rounds).
 *
 *   store_query_bench [--db FILE] [--rev REV] [--iters N] [--rounds K] [--verb nodes|edges|both]
 *                     REPO PATH
 *
 * The JSON tree is built and freed in every call (the daemon frees it after encoding), not
 * encoded. For each verb it also prints the number of array elements and an FNV-1a digest of
 * json_dumps(JSON_COMPACT) of the answer, so two builds can be compared byte for byte. At
 * the end it prints the heap the handle holds between calls (what cc_store_free releases:
 * its caches and SQLite's page cache).
 * Instructions per call are measured by running it under callgrind with
 * --toggle-collect=cc_store_nodes_json (or _edges_json): total Ir / (iters * rounds + 1) is
 * the cost of building one answer; with --toggle-collect=bench_query_once, total Ir /
 * (iters * rounds) is building and freeing it (the first, unmeasured call opens the caches).
 */
#include "cc_common.h"
#include "cc_store_reply.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

typedef int (*query_fn)(json_t **out, cc_store *s, const char *repo, const char *rev,
                        const char *path);

/* One answer built and freed: what a daemon worker pays per request besides encoding
 * (callgrind: --toggle-collect=bench_query_once). */
__attribute__((noinline)) int bench_query_once(query_fn fn, cc_store *s, const char *repo,
                                               const char *rev, const char *path);
__attribute__((noinline)) int bench_query_once(query_fn fn, cc_store *s, const char *repo,
                                               const char *rev, const char *path)
{
	json_t *j = NULL;
	int rc = fn(&j, s, repo, rev, path);
	json_decref(j);
	return rc;
}

static int run(const char *verb, query_fn fn, cc_store *s, const char *repo, const char *rev,
               const char *path, int iters, int rounds)
{
	json_t *j = NULL;
	double *rate = cc_xcalloc((size_t)rounds, sizeof(double));
	if (fn(&j, s, repo, rev, path) != CC_OK) {
		fprintf(stderr, "store_query_bench: %s: %s\n", verb, cc_error_last());
		free(rate);
		return 1;
	}
	char *text = json_dumps(j, JSON_COMPACT);
	printf("%s: %zu elements, %zu bytes (json_dumps), digest %016llx\n", verb,
	       json_array_size(j), text ? strlen(text) : 0,
	       (unsigned long long)(text ? fnv1a(text) : 0));
	free(text);
	json_decref(j);
	for (int r = 0; r < rounds; r++) {
		double t0 = cc_now();
		for (int i = 0; i < iters; i++) {
			if (bench_query_once(fn, s, repo, rev, path) != CC_OK) {
				fprintf(stderr, "store_query_bench: %s: %s\n", verb, cc_error_last());
				free(rate);
				return 1;
			}
		}
		rate[r] = iters / (cc_now() - t0);
	}
	qsort(rate, (size_t)rounds, sizeof(double), dbl_cmp);
	printf("%s: %.0f calls/s (median of %d rounds of %d; min %.0f, max %.0f), %.1f us/call\n",
	       verb, rate[rounds / 2], rounds, iters, rate[0], rate[rounds - 1],
	       1e6 / rate[rounds / 2]);
	free(rate);
	return 0;
}

int main(int argc, char **argv)
{
	const char *db = NULL, *rev = NULL, *verb = "both", *repo = NULL, *path = NULL;
	char *dbbuf = NULL;
	int iters = 200, rounds = 5, rc = 0;
	cc_store *s = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else if (!strcmp(argv[i], "--rev") && i + 1 < argc)
			rev = argv[++i];
		else if (!strcmp(argv[i], "--iters") && i + 1 < argc)
			iters = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--verb") && i + 1 < argc)
			verb = argv[++i];
		else if (argv[i][0] != '-' && !repo)
			repo = argv[i];
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else {
			repo = NULL;
			break;
		}
	}
	if (!repo || !path || iters < 1 || rounds < 1 ||
	    (strcmp(verb, "nodes") && strcmp(verb, "edges") && strcmp(verb, "both"))) {
		fprintf(stderr, "usage: store_query_bench [--db FILE] [--rev REV] [--iters N] "
		                "[--rounds K] [--verb nodes|edges|both] REPO PATH\n");
		return 2;
	}
	if (!db) {
		if (cc_store_default_db_path(&dbbuf, repo) != CC_OK) {
			fprintf(stderr, "store_query_bench: %s\n", cc_error_last());
			return 1;
		}
		db = dbbuf;
	}
	if (cc_store_open(&s, db, CC_STORE_READONLY) != CC_OK) {
		fprintf(stderr, "store_query_bench: %s\n", cc_error_last());
		free(dbbuf);
		return 1;
	}
	if (strcmp(verb, "edges"))
		rc |= run("nodes", cc_store_nodes_json, s, repo, rev, path, iters, rounds);
	if (strcmp(verb, "nodes"))
		rc |= run("edges", cc_store_edges_json, s, repo, rev, path, iters, rounds);
	/* What the handle keeps between calls (caches: repository, statements, revision). */
	size_t held = mallinfo2().uordblks;
	cc_store_free(s);
	s = NULL;
	held -= mallinfo2().uordblks;
	printf("heap held by the handle between calls: %.1f KiB\n", held / 1024.0);
	free(dbbuf);
	return rc;
}
