/*
 * cmd_localize.c - `codecomp localize`: rank the functions and lines of an indexed repository
 * that a bug report points at (cc_localize.h), through a running daemon or in-process, with
 * the same JSON either way (cc_localize_reply.h); a short ranked list on a terminal.
 */
#include "cli.h"
#include "cc_client.h"
#include "cc_common.h"
#include "cc_localize.h"
#include "cc_localize_reply.h"
#include "cc_store.h"
#include "cc_tokenizer.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: codecomp localize --repo REPO [--rev R | --worktree] [--db FILE]\n"
	        "                         (--issue TEXT | --issue-file F) [--test-file F]\n"
	        "                         [--trace-file F] --model DIR [--budget B] [--policy P]\n"
	        "                         [--mode likelihood|generative|auto] [--top N] [--json]\n"
	        "                         [--context-tokens N] [--scored N] [--device cpu|cuda] [--viz]\n\n"
	        "Ranks the functions (and their most suspicious line) of the indexed revision that\n"
	        "the issue, the failing test and the stack trace point at: candidates from the\n"
	        "code graph (names, paths and frames seed a personalized PageRank over call and\n"
	        "def-use edges; call distance from the test), a context of the best candidates\n"
	        "compressed to the KV budget, and each top candidate's lines scored by surprisal\n"
	        "under it. The small shared model's surprisal is a weak signal: see README.\n"
	        "  --budget B    KV budget in (0, 1] (default 0.2); --policy full = no compression\n"
	        "  --policy P    codecomp (default), snapkv, h2o, structure, streaming, random, full\n"
	        "  --json        the full reply (also the daemon's `localize` method)\n"
	        "  --viz         add what the cache kept (for `codecomp viz --localize-json`)\n");
}

static int read_text(char **out, const char *path, const char *what)
{
	size_t len;
	if (cc_read_file(out, &len, path, 16u << 20)) {
		fprintf(stderr, "codecomp: cannot read %s %s: %s\n", what, path, cc_error_last());
		return 1;
	}
	return 0;
}

/* The test file's path relative to the repository when it lies inside it, else NULL. */
static char *rel_in_repo(const char *repo, const char *file)
{
	char rr[PATH_MAX], rf[PATH_MAX];
	if (!realpath(repo, rr) || !realpath(file, rf))
		return NULL;
	size_t n = strlen(rr);
	if (strncmp(rr, rf, n) || rf[n] != '/')
		return NULL;
	return strdup(rf + n + 1);
}

static void print_summary(const json_t *out)
{
	const json_t *res = json_object_get(out, "results"), *x;
	const char *notice = json_string_value(json_object_get(out, "notice"));
	size_t i;
	const json_t *kv = json_object_get(out, "kv_bytes");
	if (notice)
		printf("note: %s\n", notice);
	printf("%s mode, %s at budget %.2f: context %lld tokens (%lld functions), KV %.1f of %.1f KiB\n",
	       json_string_value(json_object_get(out, "mode")),
	       json_string_value(json_object_get(out, "policy")),
	       json_number_value(json_object_get(out, "budget")),
	       (long long)json_integer_value(json_object_get(json_object_get(out, "context"), "tokens")),
	       (long long)json_integer_value(json_object_get(json_object_get(out, "context"), "functions")),
	       json_integer_value(json_object_get(kv, "held")) / 1024.0,
	       json_integer_value(json_object_get(kv, "full")) / 1024.0);
	printf("%-4s %-7s %-40s %-9s %-6s %s\n", "rank", "score", "function", "lines", "line",
	       "suspicious line");
	json_array_foreach(res, i, x)
	{
		char where[64], fn[512];
		snprintf(where, sizeof(where), "%lld-%lld",
		         (long long)json_integer_value(json_object_get(x, "start_line")),
		         (long long)json_integer_value(json_object_get(x, "end_line")));
		const char *q = json_string_value(json_object_get(x, "qualified"));
		snprintf(fn, sizeof(fn), "%s:%s", json_string_value(json_object_get(x, "file")),
		         q && *q ? q : json_string_value(json_object_get(x, "function")));
		json_t *line = json_object_get(x, "line");
		char lbuf[32] = "-";
		if (json_is_integer(line))
			snprintf(lbuf, sizeof(lbuf), "%lld", (long long)json_integer_value(line));
		const char *lt = json_string_value(json_object_get(x, "line_text"));
		printf("%-4zu %-7.3f %-40.40s %-9s %-6s %.60s\n", i + 1,
		       json_number_value(json_object_get(x, "score")), fn, where, lbuf, lt ? lt : "");
	}
}

int cmd_localize(int argc, char **argv)
{
	const char *db = NULL, *rev = NULL, *model = NULL, *issue = NULL, *ifile = NULL;
	const char *tfile = NULL, *trfile = NULL, *repo = NULL, *policy = NULL, *mode = NULL;
	const char *device = "cpu", *url = NULL;
	double budget = -1;
	long top = -1, ctx = -1, scored = -1;
	int json = 0, ret = 1, viz = 0;
	char *ibuf = NULL, *tbuf = NULL, *trbuf = NULL, *test_rel = NULL;
	json_t *params = NULL, *out = NULL;
	cc_tokenizer *tok = NULL;
	cc_model *m = NULL;
	cc_store *s = NULL;
	cc_loc_result *res = NULL;

	if (cc_client_connect_arg(&url, &argc, argv))
		return 2;
	for (int i = 1; i < argc; i++) {
		const char *x = argv[i];
		int more = i + 1 < argc;
		if (!strcmp(x, "--help") || !strcmp(x, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(x, "--json")) {
			json = 1;
		} else if (!strcmp(x, "--viz")) {
			viz = 1;
		} else if (!strcmp(x, "--repo") && more) {
			repo = argv[++i];
		} else if (cli_store_opt(argc, argv, &i, &db, &rev)) {
			continue;
		} else if (!strcmp(x, "--model") && more) {
			model = argv[++i];
		} else if (!strcmp(x, "--device") && more) {
			device = argv[++i];
		} else if (!strcmp(x, "--issue") && more) {
			issue = argv[++i];
		} else if (!strcmp(x, "--issue-file") && more) {
			ifile = argv[++i];
		} else if (!strcmp(x, "--test-file") && more) {
			tfile = argv[++i];
		} else if (!strcmp(x, "--trace-file") && more) {
			trfile = argv[++i];
		} else if (!strcmp(x, "--policy") && more) {
			policy = argv[++i];
		} else if (!strcmp(x, "--mode") && more) {
			mode = argv[++i];
		} else if (more && (!strcmp(x, "--budget") || !strcmp(x, "--top") ||
		                    !strcmp(x, "--context-tokens") || !strcmp(x, "--scored"))) {
			double v;
			if (cc_parse_double(&v, argv[++i], 0, 1e7)) {
				fprintf(stderr, "codecomp: localize: bad number '%s' for %s\n", argv[i], x);
				return 2;
			}
			if (!strcmp(x, "--budget"))
				budget = v;
			else if (!strcmp(x, "--top"))
				top = (long)v;
			else if (!strcmp(x, "--scored"))
				scored = (long)v;
			else
				ctx = (long)v;
		} else {
			fprintf(stderr, "codecomp: localize: unknown or incomplete option '%s'\n", x);
			usage(stderr);
			return 2;
		}
	}
	if (!repo || !model || (!issue && !ifile) || (issue && ifile)) {
		fprintf(stderr, "codecomp: localize: needs --repo, --model and one of --issue / "
		                "--issue-file\n");
		usage(stderr);
		return 2;
	}
	if (cc_device_parse(device) < 0) {
		fprintf(stderr, "codecomp: localize: unknown device '%s' (cpu or cuda)\n", device);
		return 2;
	}
	if (ifile) {
		if (read_text(&ibuf, ifile, "issue file"))
			goto out;
		issue = ibuf;
	}
	if (tfile) {
		if (read_text(&tbuf, tfile, "test file"))
			goto out;
		test_rel = rel_in_repo(repo, tfile);
	}
	if (trfile && read_text(&trbuf, trfile, "trace file"))
		goto out;

	params = json_object();
	if (!params)
		goto out;
	json_object_set_new(params, "repo", json_string(repo));
	if (rev)
		json_object_set_new(params, "rev", json_string(rev));
	json_object_set_new(params, "issue", json_string(issue));
	if (tbuf)
		json_object_set_new(params, "test", json_string(tbuf));
	if (test_rel)
		json_object_set_new(params, "test_path", json_string(test_rel));
	if (trbuf)
		json_object_set_new(params, "trace", json_string(trbuf));
	if (policy)
		json_object_set_new(params, "policy", json_string(policy));
	if (mode)
		json_object_set_new(params, "mode", json_string(mode));
	if (budget >= 0)
		json_object_set_new(params, "budget", json_real(budget));
	if (top >= 0)
		json_object_set_new(params, "top", json_integer(top));
	if (ctx >= 0)
		json_object_set_new(params, "context_tokens", json_integer(ctx));
	if (scored >= 0)
		json_object_set_new(params, "scored", json_integer(scored));
	if (viz)
		json_object_set_new(params, "viz", json_true());
	if (json_object_size(params) < 2 || !json_object_get(params, "issue")) {
		fprintf(stderr, "codecomp: localize: the issue is not valid UTF-8 text\n");
		goto out;
	}

	/* a running daemon answers the same request (absolute paths: it has its own cwd) */
	if (!strcmp(device, "cpu")) {
		int drc = cli_try_daemon(&out, url, "localize", params, repo, model, db);
		if (drc != CC_OK && drc != CC_CLIENT_NO_DAEMON) {
			fprintf(stderr, "codecomp: %s\n", cc_error_last());
			goto out;
		}
		if (drc == CC_OK)
			goto print;
	}

	{
		cc_loc_query q;
		cc_loc_opts o;
		const char *prepo, *prev;
		if (cc_loc_request_parse(&q, &o, &prepo, &prev, params)) {
			fprintf(stderr, "codecomp: localize: %s\n", cc_error_last());
			goto out;
		}
		o.model_dir = model;
		if (cli_store_open(&s, db, repo, CC_STORE_READONLY, "localize")) {
			fprintf(stderr, "codecomp: %s\n", cc_error_last());
			goto out;
		}
		cc_model_opts mo = {0};
		mo.device = cc_device_parse(device);
		if (cc_tokenizer_load(&tok, model) || cc_model_load(&m, model, &mo)) {
			fprintf(stderr, "codecomp: %s\n", cc_error_last());
			goto out;
		}
		cc_model_info mi;
		cc_model_info_get(&mi, m);
		if (cc_tokenizer_check_model_vocab(tok, (size_t)mi.vocab)) {
			fprintf(stderr, "codecomp: model %s: %s\n", model, cc_error_last());
			goto out;
		}
		if (cc_localize_run(&res, s, prepo, prev, m, tok, &q, &o)) {
			fprintf(stderr, "codecomp: localize: %s\n", cc_error_last());
			goto out;
		}
		if (!(out = cc_loc_result_json(res)))
			goto out;
	}
print:
	if (json) {
		if (json_dumpf(out, stdout, JSON_COMPACT | JSON_REAL_PRECISION(6))) {
			fprintf(stderr, "codecomp: localize: cannot write JSON\n");
			goto out;
		}
		fputc('\n', stdout);
	} else {
		print_summary(out);
	}
	ret = fflush(stdout) ? 1 : 0;
out:
	cc_loc_result_free(res);
	cc_model_free(m);
	cc_tokenizer_free(tok);
	cc_store_free(s);
	json_decref(params);
	json_decref(out);
	free(ibuf);
	free(tbuf);
	free(trbuf);
	free(test_rel);
	return ret;
}
