/*
 * cmd_status.c - `codecomp status [--connect URL] [--json] [--db FILE] [REPO]`: what a running
 * daemon holds (repositories, indexed revisions, sizes, job queue), or, with no daemon, what
 * the local database of REPO holds (read in-process).
 */
#include "cli.h"
#include "cc_client.h"
#include "cc_common.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#if __has_include("cc_store.h")
#include "cc_store_reply.h"
#define HAVE_STORE 1
#endif

static void usage(FILE *f)
{
	fprintf(f, "usage: codecomp status [--connect URL] [--json] [--db FILE] [REPO]\n\n"
	           "With a daemon running: its repositories, indexed revisions, sizes and job queue.\n"
	           "Without one: the revisions indexed in REPO's database (default\n"
	           "REPO/.git/codecomp.db, or --db).\n");
}

/* The files of one revision with syntax errors or skipped by its index run, the first few
 * (--json lists up to 100). */
static void print_error_files(json_t *rev, const char *indent)
{
	json_int_t total = json_integer_value(json_object_get(rev, "error_files_total"));
	json_t *f;
	size_t i;
	if (total <= 0)
		return;
	printf("%s  %lld file%s with errors or skipped:\n", indent, (long long)total,
	       total == 1 ? "" : "s");
	json_array_foreach(json_object_get(rev, "error_files"), i, f)
	{
		const char *blob = json_string_value(json_object_get(f, "blob"));
		if (i == 10)
			break;
		printf("%s    %s%s%.12s%s: %s\n", indent, json_string_value(json_object_get(f, "path")),
		       blob ? " (blob " : "", blob ? blob : "", blob ? ")" : "",
		       json_string_value(json_object_get(f, "reason")));
	}
	if (total > 10)
		printf("%s    ... %lld more (codecomp status --json lists up to 100)\n", indent,
		       (long long)(total - 10));
}

static void print_revisions(json_t *revs, const char *indent)
{
	size_t i;
	json_t *r;
	json_array_foreach(revs, i, r)
	{
		const char *commit = json_string_value(json_object_get(r, "commit"));
		printf("%s%-12s %.12s  files %lld  nodes %lld  edges %lld\n", indent,
		       json_string_value(json_object_get(r, "rev")) ? json_string_value(json_object_get(r, "rev")) : "?",
		       commit ? commit : "?", (long long)json_integer_value(json_object_get(r, "files")),
		       (long long)json_integer_value(json_object_get(r, "nodes")),
		       (long long)json_integer_value(json_object_get(r, "edges")));
		print_error_files(r, indent);
	}
}

static void print_daemon(json_t *st)
{
	json_t *d = json_object_get(st, "daemon"), *q = json_object_get(st, "queue"), *r;
	size_t i;
	printf("codecompd %s, pid %lld, up %.0f s, %.1f MiB resident, %lld requests served\n",
	       json_string_value(json_object_get(d, "version")),
	       (long long)json_integer_value(json_object_get(d, "pid")),
	       json_number_value(json_object_get(d, "uptime_s")),
	       (double)json_integer_value(json_object_get(d, "rss_bytes")) / (1 << 20),
	       (long long)json_integer_value(json_object_get(json_object_get(d, "requests"), "requests")));
	printf("repositories: %zu\n", json_array_size(json_object_get(st, "repositories")));
	json_array_foreach(json_object_get(st, "repositories"), i, r)
	{
		printf("  %s (db %s, %.1f MiB)\n", json_string_value(json_object_get(r, "repo")),
		       json_string_value(json_object_get(r, "db")),
		       (double)json_integer_value(json_object_get(r, "db_bytes")) / (1 << 20));
		if (json_object_get(r, "error"))
			printf("    error: %s\n", json_string_value(json_object_get(r, "error")));
		print_revisions(json_object_get(r, "revisions"), "    ");
	}
	printf("jobs: %zu running, %zu queued\n", json_array_size(json_object_get(q, "running")),
	       json_array_size(json_object_get(q, "queued")));
	json_array_foreach(json_object_get(q, "running"), i, r)
	{
		json_t *p = json_object_get(r, "progress");
		printf("  job %lld running: %s (%s) %s %lld/%lld\n",
		       (long long)json_integer_value(json_object_get(r, "job")),
		       json_string_value(json_object_get(r, "repo")),
		       json_string_value(json_object_get(r, "rev")),
		       json_string_value(json_object_get(p, "phase")),
		       (long long)json_integer_value(json_object_get(p, "done")),
		       (long long)json_integer_value(json_object_get(p, "total")));
	}
	json_array_foreach(json_object_get(q, "quarantined"), i, r)
	{
		printf("  job %lld QUARANTINED: %s (%s): %s\n",
		       (long long)json_integer_value(json_object_get(r, "job")),
		       json_string_value(json_object_get(r, "repo")),
		       json_string_value(json_object_get(r, "rev")),
		       json_string_value(json_object_get(json_object_get(r, "error"), "message")));
	}
}

int cmd_status(int argc, char **argv)
{
	const char *url = NULL, *db = NULL, *repo = NULL;
	json_t *st = NULL;
	int json = 0, rc;

	if (cc_client_connect_arg(&url, &argc, argv))
		return 2;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (cli_store_opt(argc, argv, &i, &db, NULL))
			continue;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' || repo) {
			usage(stderr);
			return 2;
		} else
			repo = argv[i];
	}
	/* A daemon is asked first unless a specific local database was named. */
	if (!db && !repo) {
		rc = cc_client_try(&st, url, "status", NULL);
		if (rc == CC_OK) {
			if (json) {
				json_dumpf(st, stdout, JSON_INDENT(2));
				putchar('\n');
			} else {
				print_daemon(st);
			}
			json_decref(st);
			return 0;
		}
		if (rc != CC_CLIENT_NO_DAEMON) {
			fprintf(stderr, "codecomp: status: %s\n", cc_error_last());
			return 1;
		}
		repo = ".";
	}
#ifdef HAVE_STORE
	{
		cc_store *s = NULL;
		if ((rc = cli_store_open(&s, db, repo, CC_STORE_READONLY, NULL)) != CC_OK ||
		    (rc = cc_store_status_json(&st, s)) != CC_OK) {
			cc_store_free(s);
			goto fail;
		}
		cc_store_free(s);
		if (json) {
			json_dumpf(st, stdout, JSON_INDENT(2));
			putchar('\n');
		} else {
			size_t i;
			json_t *r;
			printf("no daemon running; database %s (%.1f MiB)\n",
			       json_string_value(json_object_get(st, "db")),
			       (double)json_integer_value(json_object_get(st, "db_bytes")) / (1 << 20));
			json_array_foreach(json_object_get(st, "repos"), i, r)
			{
				printf("  %s\n", json_string_value(json_object_get(r, "path")));
				print_revisions(json_object_get(r, "revisions"), "    ");
			}
		}
		json_decref(st);
		return 0;
	}
fail:
	fprintf(stderr, "codecomp: status: %s\n", cc_error_last());
	return 1;
#else
	(void)rc;
	fprintf(stderr, "codecomp: status: no daemon running and this build has no store\n");
	return 1;
#endif
}
