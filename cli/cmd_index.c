/*
 * cmd_index.c - `codecomp index [--db FILE] [--rev REV | --worktree] [--json] REPO`: index a
 * revision (HEAD by default) or the working tree of a git repository into the store. The work
 * is cc_store_index_run; this file parses options, shows progress on a terminal, turns Ctrl-C
 * into a clean stop and prints the summary.
 */
#include "cli.h"
#include "cc_client.h"
#include "cc_common.h"
#include "cc_store_reply.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: codecomp index [--connect URL] [--db FILE] [--rev REV | --worktree] [--json]\n"
	        "                      [options] REPO\n"
	        "\n"
	        "Index a git repository into the code property graph store. Blobs already in the\n"
	        "store are reused; an interrupted run keeps its work and the next one finishes it.\n"
	        "\n"
	        "  --connect URL          run the job in the codecompd at URL (default: the running\n"
	        "                         daemon at the default socket, if any; else in-process)\n"
	        "  --db FILE              database (default: REPO/.git/codecomp.db)\n"
	        "  --rev REV              revision to index (any git rev-spec; default HEAD)\n"
	        "  --worktree             index the working tree, uncommitted changes included\n"
	        "  --json                 print the summary as one JSON object\n"
	        "  --exclude PATTERN      skip matching paths (fnmatch; 'dir/' matches a directory,\n"
	        "                         a pattern without '/' matches file names); repeatable\n"
	        "  --no-default-excludes  do not skip vendored (vendor/, third_party/,\n"
	        "                         node_modules/...) and generated paths (*_pb2.py, *.min.js...,\n"
	        "                         files marked @generated or DO NOT EDIT)\n"
	        "  --max-size BYTES       skip larger files (default 1048576)\n"
	        "  --threads N            parser threads (default: all cores)\n");
}

static void on_progress(void *ud, const cc_index_progress *p)
{
	cc_progress *pr = ud;
	if (p->blobs_total)
		cc_progress_update(pr, "%s %llu/%llu blobs, %.1f MB", p->phase,
		                   (unsigned long long)p->blobs_done,
		                   (unsigned long long)p->blobs_total, p->bytes_done / 1e6);
	else
		cc_progress_update(pr, "%s", p->phase);
}

static void on_daemon_progress(void *ud, const char *phase, unsigned long long done,
                               unsigned long long total)
{
	cc_progress *pr = ud;
	if (total)
		cc_progress_update(pr, "%s %llu/%llu blobs (daemon)", phase ? phase : "", done, total);
	else
		cc_progress_update(pr, "%s (daemon)", phase ? phase : "");
}

/* The daemon path: a running daemon (--connect URL, or the default one) runs the job; the
 * output is the in-process one. Returns the exit code, or CC_CLIENT_NO_DAEMON. */
static int daemon_index(const char *url, const char *repo, const char *db, const char *rev,
                        int json)
{
	json_t *r = NULL, *sk;
	size_t i;
	cc_progress pr;
	cc_progress_init(&pr, "index");
	cc_client_set_progress(on_daemon_progress, &pr);
	int rc = cc_client_cli_index(&r, url, repo, db, rev);
	cc_client_set_progress(NULL, NULL);
	cc_progress_done(&pr);
	if (rc == CC_CLIENT_NO_DAEMON)
		return rc;
	if (rc) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		return 1;
	}
	if (json) {
		json_object_del(r, "commit"); /* not part of `index --json` */
		json_dumpf(r, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	} else {
		printf("indexed %s at %.12s: %llu files, %.1f MB, %llu nodes, %llu edges\n", repo,
		       json_string_value(json_object_get(r, "commit")),
		       (unsigned long long)json_integer_value(json_object_get(r, "files")),
		       (double)json_integer_value(json_object_get(r, "bytes")) / 1e6,
		       (unsigned long long)json_integer_value(json_object_get(r, "nodes")),
		       (unsigned long long)json_integer_value(json_object_get(r, "edges")));
		printf("parsed %llu blobs, reused %llu, %llu syntax errors, %zu skipped, %.2f s\n",
		       (unsigned long long)json_integer_value(json_object_get(r, "parsed_blobs")),
		       (unsigned long long)json_integer_value(json_object_get(r, "reused_blobs")),
		       (unsigned long long)json_integer_value(json_object_get(r, "errors")),
		       json_array_size(json_object_get(r, "skipped")),
		       json_number_value(json_object_get(r, "seconds")));
		json_array_foreach(json_object_get(r, "skipped"), i, sk)
		{
			printf("  skipped %s (%s)\n", json_string_value(json_object_get(sk, "path")),
			       json_string_value(json_object_get(sk, "reason")));
		}
		json_array_foreach(json_object_get(r, "error_files"), i, sk)
		{
			printf("  syntax errors in %s (%llu)\n",
			       json_string_value(json_object_get(sk, "path")),
			       (unsigned long long)json_integer_value(json_object_get(sk, "errors")));
		}
	}
	json_decref(r);
	return 0;
}

int cmd_index(int argc, char **argv)
{
	const char *db = NULL, *repo = NULL;
	const char **excl = cc_xcalloc((size_t)argc + 1, sizeof(char *));
	size_t nexcl = 0;
	int json = 0, rc = 1, src;
	cc_store *s = NULL;
	cc_index_opts o;
	cc_index_result r;
	cc_progress pr;
	struct sigaction sa, old_int, old_term;
	const char *url = NULL;
	int local_only = 0; /* options the daemon's index method does not take */

	if (cc_client_connect_arg(&url, &argc, argv)) {
		free(excl);
		return 2;
	}
	memset(&o, 0, sizeof(o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int more = i + 1 < argc;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			free(excl);
			return 0;
		} else if (cli_store_opt(argc, argv, &i, &db, &o.rev)) {
			continue;
		} else if (!strcmp(a, "--json")) {
			json = 1;
		} else if (!strcmp(a, "--exclude") && more) {
			excl[nexcl++] = argv[++i];
			local_only = 1;
		} else if (!strcmp(a, "--no-default-excludes")) {
			o.no_default_excludes = 1;
			local_only = 1;
		} else if (!strcmp(a, "--max-size") && more) {
			long long v;
			if (cc_parse_long(&v, argv[++i], 1, 1ll << 30)) {
				fprintf(stderr, "codecomp: --max-size wants a byte count from 1 to 1073741824\n");
				goto usage_err;
			}
			o.max_file_bytes = (size_t)v;
			local_only = 1;
		} else if (!strcmp(a, "--threads") && more) {
			long long v;
			if (cc_parse_long(&v, argv[++i], 1, INT_MAX)) {
				fprintf(stderr, "codecomp: --threads wants a positive number\n");
				goto usage_err;
			}
			o.threads = (int)v;
			local_only = 1;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "codecomp: index: unknown or incomplete option '%s'\n", a);
			goto usage_err;
		} else if (!repo) {
			repo = a;
		} else {
			fprintf(stderr, "codecomp: index: unexpected argument '%s'\n", a);
			goto usage_err;
		}
	}
	if (!repo) {
		fprintf(stderr, "codecomp: index: no repository given\n");
		goto usage_err;
	}
	o.exclude = nexcl ? excl : NULL;
	if (url && *url && local_only) {
		fprintf(stderr, "codecomp: index: --exclude, --no-default-excludes, --max-size and "
		                "--threads are not supported through the daemon\n");
		goto usage_err;
	}
	if (!local_only && (rc = daemon_index(url, repo, db, o.rev, json)) != CC_CLIENT_NO_DAEMON)
		goto out;
	rc = 1;
	if (cli_store_open(&s, db, repo, 0, NULL)) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	o.cancel = &interrupted;
	cc_progress_init(&pr, "index");
	o.progress = on_progress;
	o.progress_ud = &pr;
	src = cc_store_index_run(&r, s, repo, &o);
	cc_progress_done(&pr);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (src == CC_ECANCELED) {
		fprintf(stderr, "codecomp: interrupted; the blobs parsed so far are kept, run the same "
		                "command again to finish\n");
		rc = 130;
		goto out;
	}
	if (src) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		goto out;
	}
	if (json) {
		json_t *j = cc_index_result_json(&r);
		json_dumpf(j, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(j);
	} else {
		printf("indexed %s at %.12s: %llu files, %.1f MB, %llu nodes, %llu edges\n", repo,
		       r.commit, (unsigned long long)r.files, r.bytes / 1e6,
		       (unsigned long long)r.nodes, (unsigned long long)r.edges);
		printf("parsed %llu blobs, reused %llu, %llu syntax errors, %zu skipped, %.2f s\n",
		       (unsigned long long)r.parsed_blobs, (unsigned long long)r.reused_blobs,
		       (unsigned long long)r.errors, r.n_skipped, r.seconds);
		for (size_t i = 0; i < r.n_skipped; i++)
			printf("  skipped %s (%s)\n", r.skipped[i].path, r.skipped[i].reason);
		for (size_t i = 0; i < r.n_error_files; i++)
			printf("  syntax errors in %s (%llu)\n", r.error_files[i].path,
			       (unsigned long long)r.error_files[i].errors);
	}
	cc_index_result_clear(&r);
	rc = 0;
	goto out;
usage_err:
	rc = 2;
out:
	cc_store_free(s);
	free(excl);
	return rc;
}
