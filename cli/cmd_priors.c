/*
 * cmd_priors.c - `codecomp priors`: per-token retention priors for a prompt made of the query
 * text and files of an indexed revision, printed as JSON (tokens and chunk table) or as a
 * chunk summary.
 */
#include "cli.h"
#include "cc_client.h"
#include "cc_common.h"
#include "cc_priors_reply.h"
#include "cc_store.h"
#include "cc_tokenizer.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: codecomp priors [--connect URL] [--json] [--db FILE] [--rev REV | --worktree]\n"
	        "                       --model DIR\n"
	        "                       [--query TEXT | --query-file F] [--budget N] [--config F]\n"
	        "                       REPO PATH[:START-END]...\n\n"
	        "The prompt is the query text (when given) followed by each PATH of the indexed\n"
	        "revision (default HEAD) after a line \"# file: PATH\"; START-END selects a byte range.\n"
	        "  --json          print {n_tokens, budget, tokens: [{id, start, end, file, class, span,\n"
	        "                  chunk, prior, protected}], chunks: [...]} (start/end: bytes of the\n"
	        "                  file for code tokens, of the prompt otherwise)\n"
	        "  --model DIR     model directory (tokenizer.json; config.json gives the context)\n"
	        "  --budget N      total tokens to keep: per-chunk budgets\n"
	        "  --config F      JSON overriding the weights (see scoring/priors_config.c)\n"
	        "  --print-config  print the effective configuration as JSON and exit\n");
}

/* PATH or PATH:START-END */
static int parse_item(cc_prompt_item *it, char *arg)
{
	char *colon = strrchr(arg, ':');
	it->path = arg;
	it->text = NULL;
	it->start = it->end = 0;
	if (colon && colon[1]) {
		char *dash, *end;
		unsigned long a = strtoul(colon + 1, &dash, 10);
		if (dash != colon + 1 && *dash == '-') {
			unsigned long b = strtoul(dash + 1, &end, 10);
			if (end != dash + 1 && !*end) {
				if (b <= a || b > UINT32_MAX)
					return -1;
				*colon = 0;
				it->start = (uint32_t)a;
				it->end = (uint32_t)b;
			}
		}
	}
	return 0;
}

int cmd_priors(int argc, char **argv)
{
	const char *db = NULL, *rev = NULL, *model = NULL, *query = NULL, *qfile = NULL;
	const char *cfgfile = NULL, *repo = NULL;
	int json = 0, print_cfg = 0, ret = 1;
	size_t budget = 0, n_items = 0;
	char *qbuf = NULL;
	cc_prompt_item *items = calloc((size_t)argc + 1, sizeof(*items));
	cc_priors_config cfg;
	cc_tokenizer *tok = NULL;
	cc_store *s = NULL;
	json_t *out = NULL, *params = NULL, *cfgjson = NULL;

	const char *url = NULL;

	if (!items)
		return 1;
	if (cc_client_connect_arg(&url, &argc, argv)) {
		free(items);
		return 2;
	}
	cc_priors_config_default(&cfg);
	for (int i = 1; i < argc; i++) {
		const char *x = argv[i];
		int more = i + 1 < argc;
		if (!strcmp(x, "--help") || !strcmp(x, "-h")) {
			usage(stdout);
			free(items);
			return 0;
		} else if (!strcmp(x, "--json")) {
			json = 1;
		} else if (!strcmp(x, "--print-config")) {
			print_cfg = 1;
		} else if (cli_store_opt(argc, argv, &i, &db, &rev)) {
			continue;
		} else if (!strcmp(x, "--model") && more) {
			model = argv[++i];
		} else if (!strcmp(x, "--query") && more) {
			query = argv[++i];
		} else if (!strcmp(x, "--query-file") && more) {
			qfile = argv[++i];
		} else if (!strcmp(x, "--config") && more) {
			cfgfile = argv[++i];
		} else if (!strcmp(x, "--budget") && more) {
			long long b;
			if (cc_parse_long(&b, argv[++i], 0, LLONG_MAX)) {
				fprintf(stderr, "codecomp: priors: --budget needs a token count\n");
				free(items);
				return 2;
			}
			budget = (size_t)b;
		} else if (x[0] == '-' && x[1]) {
			fprintf(stderr, "codecomp: priors: unknown option '%s'\n", x);
			usage(stderr);
			free(items);
			return 2;
		} else if (!repo) {
			repo = x;
		} else if (parse_item(&items[n_items++], argv[i])) {
			fprintf(stderr, "codecomp: priors: bad byte range in '%s'\n", x);
			free(items);
			return 2;
		}
	}
	if (cfgfile) {
		json_error_t jerr;
		if (cc_priors_config_load_file(&cfg, cfgfile)) {
			fprintf(stderr, "codecomp: %s\n", cc_error_last());
			goto out;
		}
		cfgjson = json_load_file(cfgfile, 0, &jerr);
	}
	if (print_cfg) {
		json_t *c = cc_priors_config_json(&cfg);
		json_dumpf(c, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
		fputc('\n', stdout);
		json_decref(c);
		ret = 0;
		goto out;
	}
	if (!model || !repo || !n_items || (query && qfile)) {
		usage(stderr);
		ret = 2;
		goto out;
	}
	if (qfile) {
		size_t ql;
		if (cc_read_file(&qbuf, &ql, qfile, 0)) {
			fprintf(stderr, "codecomp: cannot read query file %s: %s\n", qfile, cc_error_last());
			goto out;
		}
		query = qbuf;
	}
	/* the same request the daemon's `priors` method serves */
	params = json_object();
	json_t *jpaths = json_array();
	if (!params || !jpaths) {
		json_decref(jpaths);
		goto out;
	}
	json_object_set_new(params, "repo", json_string(repo));
	json_object_set_new(params, "rev", rev ? json_string(rev) : json_null());
	json_object_set_new(params, "query", query ? json_string(query) : json_null());
	json_object_set_new(params, "budget", json_integer((json_int_t)budget));
	for (size_t i = 0; i < n_items; i++)
		json_array_append_new(jpaths, items[i].end ? json_pack("{s:s, s:I, s:I}", "path",
		                                                       items[i].path, "start",
		                                                       (json_int_t)items[i].start, "end",
		                                                       (json_int_t)items[i].end)
		                                           : json_string(items[i].path));
	json_object_set_new(params, "paths", jpaths);
	if (cfgjson)
		json_object_set(params, "config", cfgjson);

	/* A running daemon (--connect URL, or the default one) answers the same request; it
	 * does not share our working directory, so paths go absolute. */
	{
		int drc = cli_try_daemon(&out, url, "priors", params, repo, model, db);
		if (drc != CC_OK && drc != CC_CLIENT_NO_DAEMON) {
			fprintf(stderr, "codecomp: %s\n", cc_error_last());
			goto out;
		}
		if (drc == CC_OK)
			goto print;
	}

	if (cc_tokenizer_load(&tok, model)) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		goto out;
	}
	if (cli_store_open(&s, db, repo, CC_STORE_READONLY, NULL)) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		goto out;
	}
	if (cc_priors_request(&out, s, tok, params, cc_priors_model_context(model))) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		goto out;
	}
print:
	if (json) {
		if (json_dumpf(out, stdout, JSON_COMPACT | JSON_REAL_PRECISION(6))) {
			fprintf(stderr, "codecomp: priors: cannot write JSON\n");
			goto out;
		}
		fputc('\n', stdout);
	} else {
		json_t *chunks = json_object_get(out, "chunks"), *c;
		size_t i;
		printf("%lld tokens, %zu chunks, %lld query seeds, budget %lld\n",
		       (long long)json_integer_value(json_object_get(out, "n_tokens")),
		       json_array_size(chunks),
		       (long long)json_integer_value(json_object_get(out, "n_seeds")),
		       (long long)json_integer_value(json_object_get(out, "budget")));
		printf("%-5s %-28s %-11s %6s %6s %5s %5s %6s\n", "chunk", "name", "lines", "tokens",
		       "prot", "imp", "rel", "budget");
		json_array_foreach(chunks, i, c)
		{
			char lines[32] = "-";
			long long sl = json_integer_value(json_object_get(c, "start_line"));
			if (sl)
				snprintf(lines, sizeof(lines), "%lld-%lld", sl,
				         (long long)json_integer_value(json_object_get(c, "end_line")));
			printf("%-5zu %-28.28s %-11s %6lld %6lld %5.2f %5.2f %6lld\n", i,
			       json_string_value(json_object_get(c, "name")), lines,
			       (long long)json_integer_value(json_object_get(c, "count")),
			       (long long)json_integer_value(json_object_get(c, "protected")),
			       json_number_value(json_object_get(c, "importance")),
			       json_number_value(json_object_get(c, "relevance")),
			       (long long)json_integer_value(json_object_get(c, "budget")));
		}
	}
	ret = fflush(stdout) ? 1 : 0;
out:
	json_decref(out);
	json_decref(params);
	json_decref(cfgjson);
	cc_store_free(s);
	cc_tokenizer_free(tok);
	free(qbuf);
	free(items);
	return ret;
}
