/*
 * test.h - minimal assertions for CTest executables. A failed CHECK prints file, line and
 * the expression and counts a failure; main returns test_result(). Exit 77 = skipped.
 */
#ifndef CC_TEST_H
#define CC_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures;
static int test_checks;

#define CHECK(x)                                                                              \
	do {                                                                                  \
		test_checks++;                                                                \
		if (!(x)) {                                                                   \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #x); \
			test_failures++;                                                      \
		}                                                                             \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                                       \
	do {                                                                                     \
		long long va_ = (long long)(a), vb_ = (long long)(b);                            \
		test_checks++;                                                                   \
		if (va_ != vb_) {                                                                \
			fprintf(stderr, "%s:%d: CHECK_EQ_INT failed: %s == %s (%lld vs %lld)\n", \
			        __FILE__, __LINE__, #a, #b, va_, vb_);                           \
			test_failures++;                                                         \
		}                                                                                \
	} while (0)

#define CHECK_EQ_STR(a, b)                                                                           \
	do {                                                                                         \
		const char *sa_ = (a), *sb_ = (b);                                                   \
		test_checks++;                                                                       \
		if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0) {                                         \
			fprintf(stderr, "%s:%d: CHECK_EQ_STR failed: %s == %s (\"%s\" vs \"%s\")\n", \
			        __FILE__, __LINE__, #a, #b, sa_ ? sa_ : "(null)",                    \
			        sb_ ? sb_ : "(null)");                                               \
			test_failures++;                                                             \
		}                                                                                    \
	} while (0)

#define CHECK_NEAR(a, b, tol)                                                                     \
	do {                                                                                      \
		double da_ = (double)(a), db_ = (double)(b);                                      \
		test_checks++;                                                                    \
		if (!(fabs(da_ - db_) <= (tol))) {                                                \
			fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s ~ %s (%g vs %g, tol %g)\n", \
			        __FILE__, __LINE__, #a, #b, da_, db_, (double)(tol));             \
			test_failures++;                                                          \
		}                                                                                 \
	} while (0)

#define TEST_SKIP(...)                                 \
	do {                                           \
		fprintf(stderr, "SKIP: " __VA_ARGS__); \
		fputc('\n', stderr);                   \
		exit(77);                              \
	} while (0)

static inline int test_result(void)
{
	if (test_checks == 0) {
		fprintf(stderr, "no checks ran\n");
		return 1;
	}
	fprintf(stderr, "%d checks, %d failed\n", test_checks, test_failures);
	return test_failures ? 1 : 0;
}

/* Path of the shared model, or NULL when absent (tests then skip with a message). */
static inline const char *test_model_dir(void)
{
	static char buf[4096];
	const char *env = getenv("CC_MODEL_DIR");
	const char *src = getenv("CC_SOURCE_DIR");
	FILE *f;
	if (env && *env)
		snprintf(buf, sizeof(buf), "%s", env);
	else
		snprintf(buf, sizeof(buf), "%s/../shared/models/pycode-16m", src ? src : ".");
	char cfg[4200];
	snprintf(cfg, sizeof(cfg), "%s/config.json", buf);
	f = fopen(cfg, "r");
	if (!f)
		return NULL;
	fclose(f);
	return buf;
}

/* Remove a test's scratch directory tree (made by mkdtemp under /tmp), saying so when it
 * cannot: a leftover directory is reported, never a failed check. */
static inline void test_remove_tree(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

#endif
