/*
 * cmd_score.c - `codecomp score`: per-token negative log-likelihood of a file under a model.
 * The file is tokenized exactly as the model's tokenizer.json does (special tokens only where
 * its post-processor adds them), cut to --max-tokens, and run teacher-forced through the
 * engine; nll[i] = -log p(ids[i+1] | ids[0..i]).
 */
#include "cli.h"
#include "cc_common.h"
#include "cc_engine.h"
#include "model_input.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void score_usage(FILE *f)
{
	fprintf(f, "usage: codecomp score --model DIR [--device cpu|cuda] [--max-tokens N]\n"
	           "                      [--threads N] [--json] [-o OUT] FILE\n\n"
	           "Per-token negative log-likelihood (nats) of FILE under the model in DIR.\n"
	           "  --json        write {model, file, n_tokens, ids, nll, mean_nll} as JSON\n"
	           "                (nll[i] = -log p(ids[i+1] | ids[0..i]))\n"
	           "  -o OUT        write the output to OUT instead of stdout\n"
	           "  --max-tokens  score only the first N tokens (at most the model's window)\n"
	           "  --truncate    score the first window's worth of a file longer than the\n"
	           "                model's window (refused otherwise); said on stderr and in\n"
	           "                the JSON (truncated_from)\n");
}

int cmd_score(int argc, char **argv)
{
	const char *model_dir = NULL, *file = NULL, *out_path = NULL, *device = "cpu";
	long long max_tokens = 0, threads = 0;
	int as_json = 0, rc = 1, truncate = 0;
	size_t n_file = 0;
	cli_model_input in = {0};
	cc_model *m = NULL;
	cc_session *s = NULL;
	cc_model_info info;
	size_t n = 0;
	int32_t *ids = NULL;
	float *lp = NULL;
	FILE *out = stdout;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			score_usage(stdout);
			return 0;
		} else if (!strcmp(a, "--model") && v) {
			model_dir = v;
			i++;
		} else if (!strcmp(a, "--device") && v) {
			device = v;
			i++;
		} else if (!strcmp(a, "--truncate")) {
			truncate = 1;
			continue;
		} else if (!strcmp(a, "--max-tokens") && v) {
			if (cc_parse_long(&max_tokens, v, 2, 1L << 30)) {
				fprintf(stderr, "codecomp: --max-tokens needs an integer >= 2\n");
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--threads") && v) {
			if (cc_parse_long(&threads, v, 1, 1024)) {
				fprintf(stderr, "codecomp: --threads needs an integer in 1..1024\n");
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--json")) {
			as_json = 1;
		} else if (!strcmp(a, "-o") && v) {
			out_path = v;
			i++;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "codecomp: score: unknown or incomplete option '%s'\n", a);
			score_usage(stderr);
			return 2;
		} else if (!file) {
			file = a;
		} else {
			fprintf(stderr, "codecomp: score: one FILE only\n");
			return 2;
		}
	}
	if (!model_dir || !file) {
		score_usage(stderr);
		return 2;
	}
	if ((rc = cli_model_input_load(&in, model_dir, device, threads, file)))
		goto out;
	rc = 1;
	m = in.model;
	ids = in.ids;
	n = in.n;
	cc_model_info_get(&info, m);
	/* The window rule of every verb: over the window is refused unless cutting is asked for
	 * (--truncate, or --max-tokens), and a cut is said. */
	n_file = n;
	if (max_tokens > info.max_pos) {
		fprintf(stderr, "codecomp: --max-tokens %lld is over the model's window of %d tokens\n",
		        max_tokens, info.max_pos);
		rc = 2;
		goto out;
	}
	if (max_tokens == 0) {
		if (n > (size_t)info.max_pos && !truncate) {
			fprintf(stderr, "codecomp: %s is %zu tokens, over the model's window of %d: pass "
			                "--truncate (or --max-tokens N) to score its first tokens\n",
			        file, n, info.max_pos);
			goto out;
		}
		max_tokens = info.max_pos;
	}
	if (n > (size_t)max_tokens) {
		n = (size_t)max_tokens;
		fprintf(stderr, "codecomp: note: scored the first %zu of %zu tokens\n", n, n_file);
	}
	if (n < 2) {
		fprintf(stderr, "codecomp: %s has %zu token(s); scoring needs at least 2\n", file, n);
		goto out;
	}
	{
		cc_session_opts so = {0};
		so.max_tokens = n;
		so.obs_window = -1;
		if (cc_session_new(&s, m, &so)) {
			fprintf(stderr, "codecomp: %s\n", cc_error_last());
			goto out;
		}
	}
	lp = malloc(n * sizeof(float));
	if (!lp || cc_session_logprobs(s, ids, n, lp, 0, NULL, NULL)) {
		fprintf(stderr, "codecomp: %s\n", lp ? cc_error_last() : "out of memory");
		goto out;
	}
	if (out_path && !(out = fopen(out_path, "w"))) {
		out = stdout;
		fprintf(stderr, "codecomp: cannot write %s\n", out_path);
		goto out;
	}
	{
		double sum = 0;
		for (size_t i = 1; i < n; i++)
			sum -= lp[i];
		double mean = sum / (double)(n - 1);
		if (as_json) {
			json_t *o = json_object(), *ja = json_array(), *jn = json_array();
			for (size_t i = 0; i < n; i++)
				json_array_append_new(ja, json_integer(ids[i]));
			for (size_t i = 1; i < n; i++)
				json_array_append_new(jn, json_real(-(double)lp[i]));
			json_object_set_new(o, "model", json_string(model_dir));
			json_object_set_new(o, "file", json_string(file));
			json_object_set_new(o, "device", json_string(device));
			json_object_set_new(o, "n_tokens", json_integer((json_int_t)n));
			json_object_set_new(o, "ids", ja);
			json_object_set_new(o, "nll", jn);
			json_object_set_new(o, "mean_nll", json_real(mean));
			if (n < n_file)
				json_object_set_new(o, "truncated_from", json_integer((json_int_t)n_file));
			if (json_dumpf(o, out, JSON_COMPACT | JSON_REAL_PRECISION(7)) || fputc('\n', out) == EOF) {
				json_decref(o);
				fprintf(stderr, "codecomp: write failed\n");
				goto out;
			}
			json_decref(o);
		} else {
			fprintf(out, "%s: %zu tokens, mean NLL %.4f nats/token (perplexity %.2f)\n", file,
			        n, mean, exp(mean));
		}
	}
	if (fflush(out) != 0) {
		fprintf(stderr, "codecomp: write failed\n");
		goto out;
	}
	rc = 0;
out:
	if (out != stdout && fclose(out) != 0 && rc == 0) {
		fprintf(stderr, "codecomp: cannot write %s\n", out_path);
		rc = 1;
	}
	free(lp);
	cc_session_free(s);
	cli_model_input_free(&in);
	return rc;
}
