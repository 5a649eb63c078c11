/*
 * test_analysis_cancel.c - cancellation reaches inside the parse (issue 9): a generated file
 * whose Java parse runs into tree-sitter's slow error recovery (20,000 unterminated string
 * literals, 60 KB: seconds of parsing, under the nesting and memory limits) is cancelled from
 * another thread 100 ms into cc_analyze. The call must return CC_ECANCELED, saying it stopped
 * during the parse, well before the parse's time budget; the analyzer then analyses the next
 * file normally. (Before, the flag was read only after the parse, which ran to its budget.)
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

int main(void)
{
	cc_analyzer *a = NULL;
	cc_file_graph *g = NULL;
	const char *unit = "\"a ", *ok = "class A { int f(int x) { return x + 1; } }\n";
	const int reps = 20000;
	size_t ul = strlen(unit), len = ul * (size_t)reps;
	char *src = malloc(len);
	pthread_t th;

	CHECK(src != NULL);
	for (int i = 0; i < reps; i++)
		memcpy(src + ul * (size_t)i, unit, ul);
	CHECK_EQ_INT(cc_analyzer_new(&a), CC_OK);
	cc_analyzer_set_cancel(a, &stop);
	/* Java's queries compiled first (slow in a sanitizer build), so that 100 ms in, the
	 * analysis is inside the parse */
	CHECK_EQ_INT(cc_analyze(&g, a, CC_LANG_JAVA, ok, strlen(ok)), CC_OK);
	cc_file_graph_free(g);
	g = NULL;

	double budget_s = (CC_PARSE_BUDGET_US + (double)len * CC_PARSE_US_PER_BYTE) / 1e6;
	double t0 = cc_now();
	CHECK_EQ_INT(pthread_create(&th, NULL, canceller, NULL), 0);
	int rc = cc_analyze(&g, a, CC_LANG_JAVA, src, len);
	double took = cc_now() - t0;
	pthread_join(th, NULL);
	fprintf(stderr, "cancelled parse: rc %d after %.3f s (budget %.1f s): %s\n", rc, took,
	        budget_s, cc_error_last());
	CHECK_EQ_INT(rc, CC_ECANCELED);
	CHECK(g == NULL);
	CHECK(strstr(cc_error_last(), "during the parse") != NULL);
	/* promptly: one parse slice after the flag, not the parse's budget */
	CHECK(took < budget_s / 2);

	/* The parser was reset: with the flag down the same analyzer works on. */
	stop = 0;
	CHECK_EQ_INT(cc_analyze(&g, a, CC_LANG_JAVA, ok, strlen(ok)), CC_OK);
	CHECK(g && g->n_nodes > 0 && g->n_errors == 0);
	cc_file_graph_free(g);

	cc_analyzer_free(a);
	free(src);
	return test_result();
}
