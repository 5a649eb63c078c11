/*
 * index_bench.c - how fast the indexer is on real trees, end to end: git listing, parsing on
 * all cores, SQLite writes, call resolution.
 *
 *   index_bench [--work DIR] [--runs K] [--threads N] [--cli PATH] TREE...
 *
 * For each TREE (default: the Python standard library and /usr/include) it copies the files
 * codecomp analyses into a fresh git repository under DIR, then prints:
 *   reference  cc_analyze alone on one core over the same files (MB/s; the language as
 *              the indexer picks it, cc_lang_detect): the ceiling the indexer's per-core
 *              figure is compared with;
 *   cold       a full index into an empty database (median of K runs, each in a fresh
 *              process): wall seconds, MB/s, files/s; CPU seconds of all threads and MB per
 *              CPU second (the per-core figure, robust to a shared machine) with its ratio to
 *              the reference; peak RSS; database bytes per source byte;
 *   incr       after a commit changing one file: re-index time in-process (median of K), and
 *              with --cli the wall time of `codecomp index` for the same (process start
 *              included).
 */
#include "cc_common.h"
#include "cc_store.h"

#include <errno.h>
#include <stdarg.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *g_src, *g_dst;
static size_t g_src_len;
static char **g_files;
static size_t g_nfiles, g_capfiles;

static int copy_cb(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D && (strstr(path, "/site-packages") || strstr(path, "/dist-packages") ||
	                      strstr(path, "/__pycache__")))
		return FTW_SKIP_SUBTREE;
	if (type != FTW_F || !S_ISREG(sb->st_mode) || cc_lang_from_path(path) == CC_LANG_UNKNOWN)
		return FTW_CONTINUE;
	char dst[8192], *buf = NULL;
	size_t len = 0;
	snprintf(dst, sizeof(dst), "%s/%s", g_dst, path + g_src_len + 1);
	for (char *p = dst + strlen(g_dst) + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		mkdir(dst, 0755);
		*p = '/';
	}
	if (cc_read_file(&buf, &len, path, 0) != CC_OK)
		return FTW_CONTINUE;
	FILE *f = fopen(dst, "wb");
	if (f) {
		fwrite(buf, 1, len, f);
		fclose(f);
		if (g_nfiles == g_capfiles) {
			g_capfiles = g_capfiles ? 2 * g_capfiles : 1024;
			g_files = cc_xrealloc(g_files, g_capfiles * sizeof(char *));
		}
		g_files[g_nfiles++] = cc_xstrdup(dst);
	}
	free(buf);
	return FTW_CONTINUE;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct {
	double seconds;
	double cpu; /* user + system seconds of all threads */
	long maxrss_kb;
	cc_index_result r; /* counts only (skipped list not transferred) */
	int rc;
} child_out;

/* Run one index in a fresh process, so that peak RSS is this run's. */
static child_out index_in_child(const char *db, const char *repo, int threads)
{
	child_out co;
	int fd[2];
	memset(&co, 0, sizeof(co));
	if (pipe(fd) != 0) {
		co.rc = -1;
		return co;
	}
	pid_t pid = fork();
	if (pid == 0) {
		cc_store *s = NULL;
		cc_index_opts o = {.threads = threads};
		child_out c;
		struct rusage ru;
		memset(&c, 0, sizeof(c));
		double t0 = cc_now();
		c.rc = cc_store_open(&s, db, 0);
		if (!c.rc)
			c.rc = cc_store_index_run(&c.r, s, repo, &o);
		c.seconds = cc_now() - t0;
		if (c.rc)
			fprintf(stderr, "index_bench: %s\n", cc_error_last());
		cc_store_free(s);
		getrusage(RUSAGE_SELF, &ru);
		c.maxrss_kb = ru.ru_maxrss;
		c.cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
		        ru.ru_stime.tv_usec / 1e6;
		c.r.skipped = NULL;
		if (write(fd[1], &c, sizeof(c)) != (ssize_t)sizeof(c))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (read(fd[0], &co, sizeof(co)) != (ssize_t)sizeof(co))
		co.rc = -1;
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return co;
}

static long file_size(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? (long)st.st_size : 0;
}

static void bench_tree(const char *tree, const char *work, int runs, int threads,
                       const char *cli)
{
	char repo[4096], db[4200], name[256];
	const char *base = strrchr(tree, '/');
	snprintf(name, sizeof(name), "%s", base && base[1] ? base + 1 : tree);
	snprintf(repo, sizeof(repo), "%s/%s", work, name);
	sh("rm -rf '%s' && mkdir -p '%s'", repo, repo);
	g_src = tree;
	g_src_len = strlen(tree);
	g_dst = repo;
	g_nfiles = 0;
	nftw(tree, copy_cb, 64, FTW_PHYS | FTW_ACTIONRETVAL);
	if (sh("cd '%s' && git init -q && git add -A && git -c user.name=b -c user.email=b@b "
	       "commit -qm tree",
	       repo)) {
		fprintf(stderr, "index_bench: cannot create the git copy of %s\n", tree);
		return;
	}

	/* Reference: analysis alone, one core, same files (read into memory first). */
	cc_analyzer *an = NULL;
	double bytes = 0, t_an = 0;
	if (cc_analyzer_new(&an) == CC_OK) {
		for (size_t i = 0; i < g_nfiles; i++) {
			char *buf;
			size_t len;
			cc_file_graph *g = NULL;
			if (cc_read_file(&buf, &len, g_files[i], 1 << 20) != CC_OK)
				continue;
			double t0 = cpu_now();
			/* the language the indexer picks: by content for a shared header extension */
			cc_lang lang = cc_lang_detect(g_files[i], buf, len);
			if (cc_analyze(&g, an, lang, buf, len) == CC_OK)
				bytes += (double)len;
			t_an += cpu_now() - t0;
			cc_file_graph_free(g);
			free(buf);
		}
		cc_analyzer_free(an);
	}
	double ref = bytes / 1e6 / t_an;
	printf("\n== %s: %zu files copied into %s\n", tree, g_nfiles, repo);
	printf("reference  cc_analyze alone, one thread: %.1f MB in %.2f CPU s = %.2f MB per CPU "
	       "second\n",
	       bytes / 1e6, t_an, ref);

	double *secs = cc_xcalloc((size_t)runs, sizeof(double));
	double *cpus = cc_xcalloc((size_t)runs, sizeof(double));
	child_out last;
	long rss_max = 0, dbb = 0;
	memset(&last, 0, sizeof(last));
	for (int k = 0; k < runs; k++) {
		snprintf(db, sizeof(db), "%s/%s-cold.db", work, name);
		sh("rm -f '%s' '%s-wal' '%s-shm'", db, db, db);
		last = index_in_child(db, repo, threads);
		if (last.rc)
			return;
		secs[k] = last.seconds;
		cpus[k] = last.cpu;
		if (last.maxrss_kb > rss_max)
			rss_max = last.maxrss_kb;
		dbb = file_size(db);
	}
	double s = median(secs, runs), cpu = median(cpus, runs);
	double mb = (double)last.r.bytes / 1e6;
	printf("cold       %d threads, median of %d: %.2f s; %llu files, %.1f MB, %llu nodes, "
	       "%llu edges, %llu skipped-or-errors\n",
	       threads, runs, s, (unsigned long long)last.r.files, mb,
	       (unsigned long long)last.r.nodes, (unsigned long long)last.r.edges,
	       (unsigned long long)last.r.errors);
	printf("cold       wall: %.2f MB/s, %.2f MB/s per thread, %.0f files/s\n", mb / s,
	       mb / s / threads, (double)last.r.files / s);
	printf("cold       CPU: %.2f CPU s (process total, start-up included) = %.2f MB per CPU "
	       "second = %.0f%% of the reference\n",
	       cpu, mb / cpu, 100.0 * (mb / cpu) / ref);
	printf("cold       peak RSS %.0f MB (%.0f MB per 100 MB of source); database %.1f MB = "
	       "%.2f bytes per source byte\n",
	       rss_max / 1024.0, rss_max / 1024.0 / mb * 100.0, dbb / 1e6, (double)dbb / (mb * 1e6));

	/* Incremental: one file changes per commit. */
	const char *victim = NULL;
	for (size_t i = 0; i < g_nfiles && !victim; i++)
		if (cc_lang_from_path(g_files[i]) == CC_LANG_PYTHON ||
		    cc_lang_from_path(g_files[i]) == CC_LANG_C)
			victim = g_files[i];
	if (!victim)
		return;
	for (int k = 0; k < runs; k++) {
		FILE *f = fopen(victim, "a");
		if (!f)
			return;
		if (cc_lang_from_path(victim) == CC_LANG_PYTHON)
			fprintf(f, "\n\ndef bench_added_%d(x):\n    return x + %d\n", k, k);
		else
			fprintf(f, "\nstatic int bench_added_%d(int x) { return x + %d; }\n", k, k);
		fclose(f);
		sh("cd '%s' && git -c user.name=b -c user.email=b@b commit -qam 'one file %d'", repo, k);
		last = index_in_child(db, repo, threads);
		if (last.rc)
			return;
		secs[k] = last.seconds;
		cpus[k] = last.cpu;
	}
	printf("incr       one-file commit, median of %d: %.0f ms wall in-process, %.0f ms CPU "
	       "(parsed %llu, reused %llu blobs)\n",
	       runs, median(secs, runs) * 1e3, median(cpus, runs) * 1e3,
	       (unsigned long long)last.r.parsed_blobs, (unsigned long long)last.r.reused_blobs);
	if (cli) {
		for (int k = 0; k < runs; k++) {
			FILE *f = fopen(victim, "a");
			if (!f)
				return;
			if (cc_lang_from_path(victim) == CC_LANG_PYTHON)
				fprintf(f, "\n# cli %d\n", k);
			else
				fprintf(f, "\n/* cli %d */\n", k);
			fclose(f);
			sh("cd '%s' && git -c user.name=b -c user.email=b@b commit -qam 'cli %d'", repo, k);
			double t0 = cc_now();
			sh("'%s' index --no-daemon --db '%s' '%s' > /dev/null", cli, db, repo);
			secs[k] = cc_now() - t0;
		}
		printf("incr       `codecomp index` wall time, median of %d: %.0f ms\n", runs,
		       median(secs, runs) * 1e3);
	}
	free(secs);
	free(cpus);
}

int main(int argc, char **argv)
{
	const char *work = "/tmp/codecomp-index-bench", *cli = NULL;
	int runs = 3, threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
	const char *trees[64];
	int ntrees = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--work") && i + 1 < argc)
			work = argv[++i];
		else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			threads = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--cli") && i + 1 < argc)
			cli = argv[++i];
		else if (argv[i][0] != '-' && ntrees < 64)
			trees[ntrees++] = argv[i];
		else {
			fprintf(stderr, "usage: index_bench [--work DIR] [--runs K] [--threads N] "
			                "[--cli PATH] TREE...\n");
			return 2;
		}
	}
	if (runs < 1 || threads < 1)
		return 2;
	if (!ntrees) {
		trees[ntrees++] = "/usr/lib/python3.11";
		trees[ntrees++] = "/usr/include";
	}
	sh("mkdir -p '%s'", work);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("index_bench: %d threads, %d runs per figure\n", threads, runs);
	for (int i = 0; i < ntrees; i++)
		bench_tree(trees[i], work, runs, threads, cli);
	return 0;
}
