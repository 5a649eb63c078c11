/*
 * cmd_edges.c - `codecomp edges [--connect URL] [--json] [--db FILE] [--rev REV | --worktree] REPO
 * PATH`: the edges leaving one file of an indexed revision (cc_store_edges_json); call edges may
 * end in other files.
 */
#include "cc_client.h"
#include "cc_common.h"
#include "cc_store.h"

#include <stdio.h>
#include <string.h>

int cmd_edges(int argc, char **argv)
{
	const char *db = NULL, *rev = NULL, *repo = NULL, *path = NULL;
	int json = 0, rc = 1;
	char *dbpath = NULL;
	cc_store *s = NULL;
	json_t *a = NULL;

	const char *url = NULL;
	if (cc_client_connect_arg(&url, &argc, argv))
		return 2;
	for (int i = 1; i < argc; i++) {
		const char *x = argv[i];
		int more = i + 1 < argc;
		if (!strcmp(x, "--help") || !strcmp(x, "-h")) {
			printf("usage: codecomp edges [--connect URL] [--json] [--db FILE] [--rev REV | "
			       "--worktree] REPO "
			       "PATH\n\nList the edges whose source is in one file of an indexed revision "
			       "(default HEAD):\n{kind, src, dst, var, confidence} with --json; ids are "
			       "the node ids of `codecomp nodes`.\n");
			return 0;
		} else if (!strcmp(x, "--db") && more) {
			db = argv[++i];
		} else if (!strcmp(x, "--rev") && more) {
			rev = argv[++i];
		} else if (!strcmp(x, "--worktree")) {
			rev = CC_STORE_WORKTREE;
		} else if (!strcmp(x, "--json")) {
			json = 1;
		} else if (x[0] == '-' && x[1]) {
			fprintf(stderr, "codecomp: edges: unknown or incomplete option '%s'\n", x);
			return 2;
		} else if (!repo) {
			repo = x;
		} else if (!path) {
			path = x;
		} else {
			fprintf(stderr, "codecomp: edges: unexpected argument '%s'\n", x);
			return 2;
		}
	}
	if (!repo || !path) {
		fprintf(stderr, "usage: codecomp edges [--connect URL] [--json] [--db FILE] [--rev REV | "
		                "--worktree] "
		                "REPO PATH\n");
		return 2;
	}
	/* A running daemon (--connect URL, or the default one) answers with the same JSON. */
	int drc = cc_client_cli_graph(&a, url, "edges", repo, db, rev, path);
	if (drc != CC_OK && drc != CC_CLIENT_NO_DAEMON)
		goto fail;
	if (drc == CC_CLIENT_NO_DAEMON) {
		if (!db) {
			if (cc_store_default_db_path(&dbpath, repo))
				goto fail;
			db = dbpath;
		}
		if (cc_store_open(&s, db, CC_STORE_READONLY) || cc_store_edges_json(&a, s, repo, rev, path))
			goto fail;
	}
	if (json) {
		json_dumpf(a, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	} else {
		size_t i;
		json_t *e;
		json_array_foreach(a, i, e)
		{
			const char *var = json_string_value(json_object_get(e, "var"));
			printf("%-12s %lld -> %lld", json_string_value(json_object_get(e, "kind")),
			       (long long)json_integer_value(json_object_get(e, "src")),
			       (long long)json_integer_value(json_object_get(e, "dst")));
			if (var)
				printf("  var=%s", var);
			double c = json_real_value(json_object_get(e, "confidence"));
			if (c != 1.0)
				printf("  confidence=%.2f", c);
			putchar('\n');
		}
	}
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "codecomp: %s\n", cc_error_last());
out:
	json_decref(a);
	cc_store_free(s);
	free(dbpath);
	return rc;
}
