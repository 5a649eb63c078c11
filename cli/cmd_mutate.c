/*
 * cmd_mutate.c - `codecomp mutate`: a corpus of single-line bugs injected into an indexed
 * repository through its code graph, each a commit on a branch of a scratch copy, written as
 * a JSONL manifest (cc_corpus.h documents the record).
 */
#include "cli.h"
#include "cc_common.h"
#include "cc_corpus.h"
#include "cc_store.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: codecomp mutate --repo REPO --count N --seed S --out MANIFEST.jsonl\n"
	        "                       [--copy DIR] [--db FILE]\n"
	        "                       [--traces [--test-cmd CMD] [--test-timeout S]]\n\n"
	        "Injects N single-line bugs (operator, off_by_one, negated_condition,\n"
	        "wrong_identifier, swapped_arguments, removed_call) into HEAD of the indexed REPO,\n"
	        "each a commit on branch mutant/NNNN of a copy (default: MANIFEST's directory /\n"
	        "<repo name>-mutants), and writes one JSON record per bug: ground truth (file,\n"
	        "function, lines) and an issue text derived from the graph. Mutants that do not\n"
	        "parse are dropped and counted. The same repository and seed give the same\n"
	        "manifest. With --traces, the repository's Python test files that pass unmutated\n"
	        "and name a mutant's function or module run on a sandboxed scratch checkout of\n"
	        "the mutant (CMD, default 'python3 -m unittest', the files appended; S seconds,\n"
	        "default 60); a failure's output becomes the record's \"trace\" and its failing\n"
	        "tests \"tests\" (use with `codecomp localize --trace-file`, `codecomp batch`).\n");
}

struct prog {
	cc_progress p;
};

static void on_progress(void *ud, size_t done, size_t total)
{
	struct prog *pr = ud;
	cc_progress_update(&pr->p, "%zu/%zu mutants", done, total);
}

int cmd_mutate(int argc, char **argv)
{
	const char *repo = NULL, *outp = NULL, *copy = NULL, *db = NULL, *test_cmd = NULL;
	int traces = 0;
	long test_timeout = 60;
	long long count = -1, seed = -1;
	char *copy_buf = NULL, *repo_field = NULL, *tmp = NULL;
	cc_store *s = NULL;
	cc_bug *bugs = NULL;
	size_t n = 0;
	cc_mutate_stats st;
	FILE *f = NULL;
	int ret = 1;
	for (int i = 1; i < argc; i++) {
		const char *x = argv[i];
		int more = i + 1 < argc;
		if (!strcmp(x, "--help") || !strcmp(x, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(x, "--repo") && more) {
			repo = argv[++i];
		} else if (!strcmp(x, "--out") && more) {
			outp = argv[++i];
		} else if (!strcmp(x, "--copy") && more) {
			copy = argv[++i];
		} else if (cli_store_opt(argc, argv, &i, &db, NULL)) {
			continue;
		} else if (!strcmp(x, "--traces")) {
			traces = 1;
		} else if (!strcmp(x, "--test-cmd") && more) {
			test_cmd = argv[++i];
		} else if (!strcmp(x, "--test-timeout") && more) {
			long long v;
			if (cc_parse_long(&v, argv[++i], 1, 86400)) {
				fprintf(stderr, "codecomp: mutate: bad --test-timeout '%s' (1-86400 s)\n", argv[i]);
				return 2;
			}
			test_timeout = (long)v;
		} else if ((!strcmp(x, "--count") || !strcmp(x, "--seed")) && more) {
			long long v;
			if (cc_parse_long(&v, argv[++i], 0, LLONG_MAX) ||
			    (!strcmp(x, "--count") && (v < 1 || v > 1000000))) {
				fprintf(stderr, "codecomp: mutate: bad %s '%s'\n", x, argv[i]);
				return 2;
			}
			if (!strcmp(x, "--count"))
				count = v;
			else
				seed = v;
		} else {
			fprintf(stderr, "codecomp: mutate: unknown or incomplete option '%s'\n", x);
			usage(stderr);
			return 2;
		}
	}
	if (!repo || !outp || count < 0 || seed < 0) {
		fprintf(stderr, "codecomp: mutate: needs --repo, --count, --seed and --out\n");
		usage(stderr);
		return 2;
	}
	/* the copy beside the manifest, named in records relative to it */
	{
		char *od = strdup(outp);
		if (!od)
			goto out;
		char *slash = strrchr(od, '/');
		const char *dir = slash ? (slash == od ? "/" : (*slash = 0, od)) : ".";
		size_t rl = strlen(repo);
		while (rl > 1 && repo[rl - 1] == '/')
			rl--;
		const char *bn = repo;
		for (size_t k = 0; k < rl; k++)
			if (repo[k] == '/')
				bn = repo + k + 1;
		int bl = (int)(rl - (size_t)(bn - repo));
		if (!copy) {
			size_t cl = strlen(dir) + (size_t)bl + 16;
			copy_buf = malloc(cl);
			repo_field = malloc((size_t)bl + 16);
			if (!copy_buf || !repo_field) {
				free(od);
				goto out;
			}
			snprintf(copy_buf, cl, "%s/%.*s-mutants", dir, bl, bn);
			snprintf(repo_field, (size_t)bl + 16, "%.*s-mutants", bl, bn);
			copy = copy_buf;
		} else {
			char rp[PATH_MAX];
			repo_field = strdup(copy[0] == '/' ? copy : (realpath(".", rp) ? rp : copy));
			if (copy[0] != '/' && repo_field) {
				size_t cl = strlen(repo_field) + strlen(copy) + 2;
				char *abs = malloc(cl);
				if (abs)
					snprintf(abs, cl, "%s/%s", repo_field, copy);
				free(repo_field);
				repo_field = abs;
			}
		}
		free(od);
	}
	if (cli_store_open(&s, db, repo, CC_STORE_READONLY, "mutate")) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		goto out;
	}
	struct prog pr;
	cc_progress_init(&pr.p, "mutate");
	cc_mutate_opts o = {(size_t)count, (uint64_t)seed, copy, repo_field, NULL, on_progress, &pr};
	int rc = cc_corpus_mutate(&bugs, &n, &st, s, repo, &o);
	cc_progress_done(&pr.p);
	if (rc) {
		fprintf(stderr, "codecomp: mutate: %s\n", cc_error_last());
		goto out;
	}
	if (traces) {
		cc_trace_stats ts;
		cc_progress_init(&pr.p, "traces");
		cc_trace_opts to = {test_cmd, (unsigned)test_timeout, 0, on_progress, &pr};
		rc = cc_corpus_mutant_traces(bugs, n, &ts, copy, &to);
		cc_progress_done(&pr.p);
		if (rc) {
			fprintf(stderr, "codecomp: mutate: traces: %s\n", cc_error_last());
			goto out;
		}
		fprintf(stderr, "mutate: traces: %zu test files pass unmutated; %zu of %zu Python mutants "
		                "ran tests, %zu failed (trace recorded), %zu timed out; %s\n",
		        ts.test_files, ts.ran, ts.python, ts.failed, ts.timed_out,
		        ts.sandboxed ? "sandboxed (read-only mounts, no network)"
		                     : "NOT sandboxed: user namespaces unavailable, only HOME/TMPDIR confined");
	}
	size_t tl = strlen(outp) + 8;
	if (!(tmp = malloc(tl)))
		goto out;
	snprintf(tmp, tl, "%s.tmp", outp);
	if (!(f = fopen(tmp, "w"))) {
		fprintf(stderr, "codecomp: mutate: cannot write %s\n", tmp);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char *line;
		if (cc_bug_to_json_line(&line, &bugs[i])) {
			fprintf(stderr, "codecomp: mutate: %s\n", cc_error_last());
			goto out;
		}
		fputs(line, f);
		fputc('\n', f);
		free(line);
	}
	if (fclose(f)) {
		f = NULL;
		fprintf(stderr, "codecomp: mutate: cannot write %s\n", tmp);
		goto out;
	}
	f = NULL;
	if (rename(tmp, outp)) {
		fprintf(stderr, "codecomp: mutate: cannot rename %s to %s\n", tmp, outp);
		goto out;
	}
	fprintf(stderr, "mutate: %zu mutants in %s (copy %s): %zu sites, %zu tried, %zu dropped "
	                "(do not parse);",
	        n, outp, copy, st.sites, st.tried, st.dropped_parse);
	for (int k = 0; k < CC_MUT_COUNT; k++)
		fprintf(stderr, " %s %zu", cc_mut_kind_name(k), st.per_kind[k]);
	fputc('\n', stderr);
	if (n < (size_t)count)
		fprintf(stderr, "mutate: only %zu of the %lld mutants asked for: the code offers no "
		                "more sites that parse\n",
		        n, count);
	ret = 0;
out:
	if (f)
		fclose(f);
	cc_bugs_free(bugs, n);
	cc_store_free(s);
	free(copy_buf);
	free(repo_field);
	free(tmp);
	return ret;
}
