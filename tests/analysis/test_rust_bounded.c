/*
 * test_rust_bounded.c - Rust parses are bounded in time again (issue 9). With Debian's
 * tree-sitter 0.20.7 a Rust parse (a grammar with non-terminal extras) could not be stopped
 * without crashing, so it ran to its end: unterminated raw strings (`r#"` repeated) took 10.7 s
 * for 60 KB, 43 s for 120 KB (quadratic), and a cancelled job waited for it. With the runtime built
 * from source (>= 0.20.8) 120 KB of them (40,000 words: under the nesting estimate's limit,
 * so that the parse itself is what stops; about 0.8 s for 15 KB here, so tens of seconds
 * uncut) is refused with CC_ETIMEDOUT ("parse timed out") once the parse's budget (4.4 s) is
 * spent, and a cancellation flag raised during the parse stops it with
 * CC_ECANCELED ("cancelled during the parse"). The analyzer then works on.
 */
#include "analysis.h"
#include "cc_common.h"
#include "test.h"

#include <pthread.h>
#include <time.h>

static volatile int stop;

static void *canceller(void *arg)
{
	(void)arg;
	struct timespec ts = {0, 100 * 1000 * 1000};
	nanosleep(&ts, NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	return NULL;
}

/* a well-formed Rust function, to check the analyzer after a stopped parse */
static int analyze_ok(cc_analyzer *a)
{
	const char *ok = "// add\npub fn add(x: u32) -> u32 { /* one */ x + 1 }\n";
	cc_file_graph *g = NULL;
	int rc = cc_analyze(&g, a, CC_LANG_RUST, ok, strlen(ok));
	int good = rc == CC_OK && g && g->n_nodes > 0 && g->n_errors == 0;
	cc_file_graph_free(g);
	return good;
}

int main(void)
{
	cc_analyzer *a = NULL;
	cc_file_graph *g = NULL;
	const char *unit = "r#\"";
	const size_t reps = 120000 / 3;
	size_t ul = strlen(unit), len = ul * reps;
	char *src = malloc(len);
	pthread_t th;

	CHECK(src != NULL);
	for (size_t i = 0; i < reps; i++)
		memcpy(src + ul * i, unit, ul);
	CHECK_EQ_INT(cc_analyzer_new(&a), CC_OK);
	cc_analyzer_set_cancel(a, &stop);
	CHECK(analyze_ok(a)); /* Rust's queries compiled before the timed parts */

	/* 1. the parse's time budget stops it: the file is refused, saying why */
	double budget_s = (CC_PARSE_BUDGET_US + (double)len * CC_PARSE_US_PER_BYTE) / 1e6;
	double t0 = cc_now();
	int rc = cc_analyze(&g, a, CC_LANG_RUST, src, len);
	fprintf(stderr, "%zu bytes of r#\": rc %d after %.2f s (budget %.1f s): %s\n", len, rc,
	        cc_now() - t0, budget_s, cc_error_last());
	CHECK_EQ_INT(rc, CC_ETIMEDOUT);
	CHECK(g == NULL);
	CHECK(strstr(cc_error_last(), "parse timed out") != NULL);
	CHECK(strstr(cc_error_last(), "rust") != NULL);
	CHECK(analyze_ok(a));

	/* 2. a cancellation flag raised 100 ms into the parse stops it (before, with 0.20.7,
	 * the flag was read only once the Rust parse had run to its end) */
	t0 = cc_now();
	CHECK_EQ_INT(pthread_create(&th, NULL, canceller, NULL), 0);
	rc = cc_analyze(&g, a, CC_LANG_RUST, src, len);
	pthread_join(th, NULL);
	fprintf(stderr, "cancelled: rc %d after %.2f s: %s\n", rc, cc_now() - t0, cc_error_last());
	CHECK_EQ_INT(rc, CC_ECANCELED);
	CHECK(g == NULL);
	CHECK(strstr(cc_error_last(), "cancelled during the parse") != NULL);
	stop = 0;
	CHECK(analyze_ok(a));

	cc_analyzer_free(a);
	free(src);
	return test_result();
}
