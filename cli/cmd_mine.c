/*
 * cmd_mine.c - `codecomp mine` (real bugs from a repository's fix commits) and `codecomp
 * import` (SWE-bench style JSONL datasets): bug manifests in the format of cc_corpus.h, for
 * `codecomp batch`.
 */
#include "cli.h"
#include "cc_common.h"
#include "cc_corpus.h"
#include "cc_store.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Write records to path through a temporary file renamed into place. */
static int write_manifest(const char *path, const cc_bug *bugs, size_t n)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "codecomp: cannot write %s\n", tmp);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		char *line;
		if (cc_bug_to_json_line(&line, &bugs[i])) {
			fclose(f);
			fprintf(stderr, "codecomp: %s\n", cc_error_last());
			return 1;
		}
		fputs(line, f);
		fputc('\n', f);
		free(line);
	}
	if (fclose(f) || rename(tmp, path)) {
		fprintf(stderr, "codecomp: cannot write %s\n", path);
		return 1;
	}
	return 0;
}

int cmd_mine(int argc, char **argv)
{
	const char *repo = NULL, *outp = NULL, *db = NULL;
	long max = 0;
	cc_store *s = NULL;
	cc_bug *bugs = NULL;
	size_t n = 0, fixes = 0;
	int ret = 1;
	for (int i = 1; i < argc; i++) {
		int more = i + 1 < argc;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: codecomp mine --repo REPO --out MANIFEST.jsonl [--max-commits N] "
			       "[--db FILE]\n\n"
			       "Real bugs from history: commits whose message reads as a fix and that "
			       "change 1-3\nfunctions; ground truth = the changed lines at the parent "
			       "revision (indexed on the\nway); issue = the message, with the identifiers "
			       "that give the answer away in\n\"giveaway\".\n");
			return 0;
		} else if (!strcmp(argv[i], "--repo") && more) {
			repo = argv[++i];
		} else if (!strcmp(argv[i], "--out") && more) {
			outp = argv[++i];
		} else if (cli_store_opt(argc, argv, &i, &db, NULL)) {
			continue;
		} else if (!strcmp(argv[i], "--max-commits") && more) {
			long long v;
			if (cc_parse_long(&v, argv[++i], 0, LONG_MAX)) {
				fprintf(stderr, "codecomp: mine: bad --max-commits\n");
				return 2;
			}
			max = (long)v;
		} else {
			fprintf(stderr, "codecomp: mine: unknown or incomplete option '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!repo || !outp) {
		fprintf(stderr, "codecomp: mine: needs --repo and --out\n");
		return 2;
	}
	if (cli_store_open(&s, db, repo, 0, NULL)) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		goto out;
	}
	char abs[4096];
	if (!realpath(repo, abs))
		snprintf(abs, sizeof(abs), "%s", repo);
	if (cc_corpus_mine(&bugs, &n, &fixes, s, repo, (size_t)max, abs)) {
		fprintf(stderr, "codecomp: mine: %s\n", cc_error_last());
		goto out;
	}
	if (write_manifest(outp, bugs, n))
		goto out;
	fprintf(stderr, "mine: %zu bugs from %zu fix commits -> %s\n", n, fixes, outp);
	ret = 0;
out:
	cc_bugs_free(bugs, n);
	cc_store_free(s);
	return ret;
}

int cmd_import(int argc, char **argv)
{
	const char *format = NULL, *in = NULL, *repos = NULL, *outp = NULL;
	cc_bug *bugs = NULL;
	size_t n = 0, skipped = 0;
	char *why = NULL;
	for (int i = 1; i < argc; i++) {
		int more = i + 1 < argc;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: codecomp import --format swebench|bugsinpy|defects4j --in PATH "
			       "--repos DIR\n                       --out MANIFEST.jsonl\n\n"
			       "swebench: PATH is a JSONL file of {instance_id, repo, base_commit, "
			       "problem_statement,\n  patch}; DIR/owner/name (or DIR/name) is a local "
			       "clone.\n"
			       "bugsinpy: PATH is BugsInPy's projects/ folder (or one project's): "
			       "bugs/N/bug.info,\n  bug_patch.txt, run_test.sh; DIR/<project> is a "
			       "clone holding the buggy commits.\n"
			       "defects4j: PATH is Defects4J's framework/projects/ folder (or one "
			       "project's):\n  active-bugs.csv, patches/N.src.patch (fixed -> buggy), "
			       "trigger_tests/N;\n  DIR/<Project> (or DIR/<project>) is a clone.\n\n"
			       "The patch's changed lines at the buggy commit give the ground truth (1-3 "
			       "functions;\nother bugs, and bugs whose patch does not apply there, are "
			       "skipped and counted).\nBugsInPy and Defects4J records carry the failing "
			       "tests, Defects4J's the failure traces.\n");
			return 0;
		} else if (!strcmp(argv[i], "--format") && more) {
			format = argv[++i];
		} else if (!strcmp(argv[i], "--in") && more) {
			in = argv[++i];
		} else if (!strcmp(argv[i], "--repos") && more) {
			repos = argv[++i];
		} else if (!strcmp(argv[i], "--out") && more) {
			outp = argv[++i];
		} else {
			fprintf(stderr, "codecomp: import: unknown or incomplete option '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!format || !in || !repos || !outp) {
		fprintf(stderr, "codecomp: import: needs --format, --in, --repos and --out\n");
		return 2;
	}
	if (strcmp(format, "swebench") && strcmp(format, "bugsinpy") && strcmp(format, "defects4j")) {
		fprintf(stderr, "codecomp: import: unknown format '%s' (swebench, bugsinpy, defects4j)\n",
		        format);
		return 2;
	}
	if (!strcmp(format, "swebench") ? cc_corpus_import_swebench(&bugs, &n, &skipped, &why, in, repos)
	                                : cc_corpus_import_dataset(&bugs, &n, &skipped, &why, format, in,
	                                                           repos)) {
		fprintf(stderr, "codecomp: import: %s\n", cc_error_last());
		return 1;
	}
	int ret = write_manifest(outp, bugs, n);
	if (!ret)
		fprintf(stderr, "import: %zu records -> %s; %zu skipped%s%s\n", n, outp, skipped,
		        why ? " (first: " : "", why ? why : "");
	if (!ret && why)
		fputs(")\n", stderr);
	free(why);
	cc_bugs_free(bugs, n);
	return ret;
}
