/*
 * parse_bench.c - analysis speed on real trees, one thread (= per core):
 *   parse_bench [--rounds N] [--lang NAME] PATH...
 * Reads every supported source file under the paths (or only those of one language) into
 * memory, then per round times (a) the raw tree-sitter parse, (b) parse plus running the
 * language's query (no graph) and (c) cc_analyze (parse, query, nodes,
 * ast/contains/cfg/cdg/reaching_def edges). Times are this thread's CPU time, so MB/s is
 * per core even on a loaded machine. Prints medians over the rounds in MB/s and files/s and
 * the ratio analysis/raw. Figures go to bench/results/analysis.md.
 */
#include "analysis.h"
#include "analysis_int.h"
#include "cc_common.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct {
	char *src;
	size_t len;
	cc_lang lang;
} file;

static file *files;
static size_t n_files, cap_files, total_bytes;
static cc_lang only = CC_LANG_UNKNOWN;

static void add_path(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		struct dirent **ents = NULL;
		int n = scandir(path, &ents, NULL, alphasort);
		for (int i = 0; i < n; i++) {
			if (ents[i]->d_name[0] != '.') {
				char sub[4096];
				snprintf(sub, sizeof(sub), "%s/%s", path, ents[i]->d_name);
				add_path(sub);
			}
			free(ents[i]);
		}
		free(ents);
		return;
	}
	if (!S_ISREG(st.st_mode))
		return;
	if (!cc_lang_from_path(path))
		return;
	file f = {0};
	if (cc_read_file(&f.src, &f.len, path, 16u << 20) != CC_OK)
		return;
	cc_lang l = cc_lang_detect(path, f.src, f.len);
	if (only && l != only) {
		free(f.src);
		return;
	}
	f.lang = l;
	if (n_files == cap_files) {
		cap_files = cap_files ? cap_files * 2 : 1024;
		files = realloc(files, cap_files * sizeof(file));
		if (!files)
			exit(1);
	}
	files[n_files++] = f;
	total_bytes += f.len;
}

/* CPU time of this thread: per-core throughput even on a shared, loaded machine. */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int rounds = 3;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
			i++;
			for (int l = 1; l < CC_LANG_COUNT; l++)
				if (!strcmp(cc_lang_name((cc_lang)l), argv[i]))
					only = (cc_lang)l;
		} else {
			add_path(argv[i]);
		}
	}
	if (!n_files) {
		fprintf(stderr, "usage: parse_bench [--rounds N] [--lang NAME] PATH...\n");
		return 2;
	}
	if (rounds < 1 || rounds > 50)
		rounds = 3;
	cc_analyzer *a = NULL;
	if (cc_analyzer_new(&a) != CC_OK) {
		fprintf(stderr, "parse_bench: %s\n", cc_error_last());
		return 1;
	}
	TSParser *p = ts_parser_new();
	double *raw = calloc(rounds, sizeof(double)), *full = calloc(rounds, sizeof(double));
	double *qry = calloc(rounds, sizeof(double));
	size_t nodes = 0, edges = 0, errors = 0, failed = 0;
	for (int r = 0; r < rounds; r++) {
		double t0 = cpu_now();
		for (size_t i = 0; i < n_files; i++) {
			ts_parser_set_language(p, cc_lang_desc_get(files[i].lang)->grammar());
			TSTree *t = ts_parser_parse_string(p, NULL, files[i].src, (uint32_t)files[i].len);
			ts_tree_delete(t);
		}
		double t1 = cpu_now();
		TSQueryCursor *qc = ts_query_cursor_new();
		for (size_t i = 0; i < n_files; i++) {
			TSQuery *q = NULL;
			TSQueryMatch m;
			cc_analyzer_query(&q, a, files[i].lang);
			ts_parser_set_language(p, cc_lang_desc_get(files[i].lang)->grammar());
			TSTree *t = ts_parser_parse_string(p, NULL, files[i].src, (uint32_t)files[i].len);
			ts_query_cursor_exec(qc, q, ts_tree_root_node(t));
			while (ts_query_cursor_next_match(qc, &m))
				;
			ts_tree_delete(t);
		}
		ts_query_cursor_delete(qc);
		double tq = cpu_now();
		nodes = edges = errors = failed = 0;
		for (size_t i = 0; i < n_files; i++) {
			cc_file_graph *g = NULL;
			if (cc_analyze(&g, a, files[i].lang, files[i].src, files[i].len) != CC_OK) {
				failed++;
				continue;
			}
			nodes += g->n_nodes;
			edges += g->n_edges;
			errors += g->n_errors;
			cc_file_graph_free(g);
		}
		double t2 = cpu_now();
		raw[r] = t1 - t0;
		qry[r] = tq - t1;
		full[r] = t2 - tq;
	}
	qsort(raw, rounds, sizeof(double), dbl_cmp);
	qsort(full, rounds, sizeof(double), dbl_cmp);
	qsort(qry, rounds, sizeof(double), dbl_cmp);
	double mb = total_bytes / 1e6, tr = raw[rounds / 2], tf = full[rounds / 2];
	printf("files %zu  bytes %.2f MB  rounds %d (medians of thread CPU time)\n", n_files, mb,
	       rounds);
	printf("raw parse      %7.2f MB/s  %8.0f files/s  %.3f s\n", mb / tr, n_files / tr, tr);
	printf("parse + query  %7.2f MB/s  %8.0f files/s  %.3f s\n", mb / qry[rounds / 2],
	       n_files / qry[rounds / 2], qry[rounds / 2]);
	printf("full analysis  %7.2f MB/s  %8.0f files/s  %.3f s\n", mb / tf, n_files / tf, tf);
	printf("analysis/raw time ratio %.2f\n", tf / tr);
	printf("nodes %zu  edges %zu  syntax errors %zu  failed files %zu\n", nodes, edges, errors,
	       failed);
	ts_parser_delete(p);
	cc_analyzer_free(a);
	for (size_t i = 0; i < n_files; i++)
		free(files[i].src);
	free(files);
	free(raw);
	free(full);
	free(qry);
	return failed ? 1 : 0;
}
