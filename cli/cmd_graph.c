/*
 * cmd_graph.c - the two graph-reading verbs, which differ only in what they read and print:
 *   codecomp nodes [--connect URL] [--json] [--db FILE] [--rev REV | --worktree] REPO PATH
 *     the graph nodes of one file of an indexed revision (cc_store_nodes_json);
 *   codecomp edges [same options] REPO PATH
 *     the edges whose source is in that file (cc_store_edges_json); call edges may end in other
 *     files.
 * A running daemon (--connect URL, or the default one) answers with the same JSON.
 */
#include "cli.h"
#include "cc_client.h"
#include "cc_common.h"
#include "cc_store_reply.h"

#include <stdio.h>
#include <string.h>

struct graph_verb {
	const char *name; /* verb and daemon method */
	const char *help; /* what the verb lists, after the usage line */
	int (*read)(json_t **out, cc_store *s, const char *repo, const char *rev, const char *path);
	void (*print_table)(json_t *a);
};

static void print_nodes(json_t *a)
{
	size_t i;
	json_t *n;
	printf("%-10s %-11s %-30s %s\n", "lines", "kind", "name", "id");
	json_array_foreach(a, i, n)
	{
		char lines[32];
		const char *name = json_string_value(json_object_get(n, "name"));
		snprintf(lines, sizeof(lines), "%lld-%lld",
		         (long long)json_integer_value(json_object_get(n, "start_line")),
		         (long long)json_integer_value(json_object_get(n, "end_line")));
		printf("%-10s %-11s %-30s %lld\n", lines, json_string_value(json_object_get(n, "kind")),
		       name ? name : "", (long long)json_integer_value(json_object_get(n, "id")));
	}
}

static void print_edges(json_t *a)
{
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e)
	{
		const char *var = json_string_value(json_object_get(e, "var"));
		double c = json_real_value(json_object_get(e, "confidence"));
		printf("%-12s %lld -> %lld", json_string_value(json_object_get(e, "kind")),
		       (long long)json_integer_value(json_object_get(e, "src")),
		       (long long)json_integer_value(json_object_get(e, "dst")));
		if (var)
			printf("  var=%s", var);
		if (c != 1.0)
			printf("  confidence=%.2f", c);
		putchar('\n');
	}
}

static const struct graph_verb nodes_verb = {
	"nodes",
	"List the graph nodes of one file of an indexed revision (default HEAD):\n"
	"{id, kind, name, start_byte, end_byte, start_line, end_line} with --json.\n",
	cc_store_nodes_json, print_nodes};

static const struct graph_verb edges_verb = {
	"edges",
	"List the edges whose source is in one file of an indexed revision (default HEAD):\n"
	"{kind, src, dst, var, confidence} with --json; ids are the node ids of `codecomp nodes`.\n",
	cc_store_edges_json, print_edges};

static void usage(FILE *f, const struct graph_verb *v)
{
	fprintf(f, "usage: codecomp %s [--connect URL] [--json] [--db FILE] [--rev REV | --worktree] "
	           "REPO PATH\n",
	        v->name);
}

static int run_graph_verb(const struct graph_verb *v, int argc, char **argv)
{
	const char *db = NULL, *rev = NULL, *repo = NULL, *path = NULL, *url = NULL;
	int json = 0, rc = 1;
	cc_store *s = NULL;
	json_t *a = NULL;

	if (cc_client_connect_arg(&url, &argc, argv))
		return 2;
	for (int i = 1; i < argc; i++) {
		const char *x = argv[i];
		if (!strcmp(x, "--help") || !strcmp(x, "-h")) {
			usage(stdout, v);
			printf("\n%s", v->help);
			return 0;
		} else if (cli_store_opt(argc, argv, &i, &db, &rev)) {
			continue;
		} else if (!strcmp(x, "--json")) {
			json = 1;
		} else if (x[0] == '-' && x[1]) {
			fprintf(stderr, "codecomp: %s: unknown or incomplete option '%s'\n", v->name, x);
			return 2;
		} else if (!repo) {
			repo = x;
		} else if (!path) {
			path = x;
		} else {
			fprintf(stderr, "codecomp: %s: unexpected argument '%s'\n", v->name, x);
			return 2;
		}
	}
	if (!repo || !path) {
		usage(stderr, v);
		return 2;
	}
	int drc = cc_client_cli_graph(&a, url, v->name, repo, db, rev, path);
	if (drc != CC_OK && drc != CC_CLIENT_NO_DAEMON)
		goto fail;
	if (drc == CC_CLIENT_NO_DAEMON) {
		if (cli_store_open(&s, db, repo, CC_STORE_READONLY, NULL) ||
		    v->read(&a, s, repo, rev, path))
			goto fail;
	}
	if (json) {
		json_dumpf(a, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	} else {
		v->print_table(a);
	}
	rc = fflush(stdout) ? 1 : 0;
	goto out;
fail:
	fprintf(stderr, "codecomp: %s\n", cc_error_last());
out:
	json_decref(a);
	cc_store_free(s);
	return rc;
}

int cmd_nodes(int argc, char **argv) { return run_graph_verb(&nodes_verb, argc, argv); }
int cmd_edges(int argc, char **argv) { return run_graph_verb(&edges_verb, argc, argv); }
