/*
 * cmd_generate.c - `codecomp generate`: continue a prompt file with a model. Greedy by
 * default; --temperature / --top-p / --seed sample (same seed, same output). Stops after
 * --max-new tokens or at the model's end-of-sequence token (config.json eos_token_id).
 */
#include "cli.h"
#include "cc_common.h"
#include "cc_engine.h"
#include "cc_tokenizer.h"
#include "model_input.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void gen_usage(FILE *f)
{
	fprintf(f, "usage: codecomp generate --model DIR --prompt-file F --max-new N\n"
	           "                         [--device cpu|cuda] [--temperature T] [--top-p P]\n"
	           "                         [--seed S] [--threads N] [--no-stop] [--json]\n\n"
	           "Print the continuation of the prompt (not the prompt itself).\n"
	           "  --temperature T  0 (default) = greedy; otherwise sample from softmax(logits/T)\n"
	           "  --top-p P        sample only from the most likely tokens holding mass P\n"
	           "  --seed S         generator seed (default 0)\n"
	           "  --no-stop        do not stop at the end-of-sequence token\n"
	           "  --json           print {prompt_ids, ids, text} as JSON\n");
}

int cmd_generate(int argc, char **argv)
{
	const char *model_dir = NULL, *prompt_file = NULL, *device = "cpu";
	double max_new = -1, temperature = 0, top_p = 1, seed = 0, threads = 0;
	int as_json = 0, no_stop = 0, rc = 1;
	cli_model_input in = {0};
	cc_model *m = NULL;
	cc_session *s = NULL;
	cc_tokenizer *tok = NULL;
	cc_model_info info;
	cc_sampler smp;
	char *gen_text = NULL;
	size_t n = 0, n_out = 0, gen_len = 0;
	int32_t *ids = NULL, *out_ids = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			gen_usage(stdout);
			return 0;
		} else if (!strcmp(a, "--model") && v) {
			model_dir = v;
		} else if (!strcmp(a, "--prompt-file") && v) {
			prompt_file = v;
		} else if (!strcmp(a, "--device") && v) {
			device = v;
		} else if (!strcmp(a, "--max-new") && v) {
			bad = cc_parse_double(&max_new, v, 0, 1 << 20) || max_new != (long)max_new;
		} else if (!strcmp(a, "--temperature") && v) {
			bad = cc_parse_double(&temperature, v, 0, 100);
		} else if (!strcmp(a, "--top-p") && v) {
			bad = cc_parse_double(&top_p, v, 0, 1);
		} else if (!strcmp(a, "--seed") && v) {
			bad = cc_parse_double(&seed, v, 0, 9007199254740992.0) || seed != (double)(uint64_t)seed;
		} else if (!strcmp(a, "--threads") && v) {
			bad = cc_parse_double(&threads, v, 1, 1024) || threads != (int)threads;
		} else if (!strcmp(a, "--json")) {
			as_json = 1;
			continue;
		} else if (!strcmp(a, "--no-stop")) {
			no_stop = 1;
			continue;
		} else {
			fprintf(stderr, "codecomp: generate: unknown or incomplete option '%s'\n", a);
			gen_usage(stderr);
			return 2;
		}
		if (bad) {
			fprintf(stderr, "codecomp: generate: bad value '%s' for %s\n", v, a);
			return 2;
		}
		i++;
	}
	if (!model_dir || !prompt_file || max_new < 0) {
		gen_usage(stderr);
		return 2;
	}
	if ((rc = cli_model_input_load(&in, model_dir, device, (long)threads, prompt_file)))
		goto out;
	rc = 1;
	m = in.model;
	tok = in.tok;
	ids = in.ids;
	n = in.n;
	if (n == 0) {
		fprintf(stderr, "codecomp: %s: empty prompt\n", prompt_file);
		goto out;
	}
	cc_model_info_get(&info, m);
	if (n + (size_t)max_new > (size_t)info.max_pos) {
		fprintf(stderr,
		        "codecomp: the prompt (%zu tokens) and --max-new %zu pass the model's "
		        "window of %d tokens\n",
		        n, (size_t)max_new, info.max_pos);
		goto out;
	}
	{
		cc_session_opts so = {0};
		so.max_tokens = n + (size_t)max_new;
		so.obs_window = -1;
		if (cc_session_new(&s, m, &so)) {
			fprintf(stderr, "codecomp: %s\n", cc_error_last());
			goto out;
		}
	}
	out_ids = malloc(((size_t)max_new + 1) * sizeof(int32_t));
	if (!out_ids) {
		fprintf(stderr, "codecomp: out of memory\n");
		goto out;
	}
	cc_sampler_init(&smp, (float)temperature, (float)top_p, (uint64_t)seed);
	if (max_new > 0 && cc_session_generate(s, ids, n, (size_t)max_new, &smp,
	                                       no_stop ? -1 : info.eos_id, out_ids, &n_out)) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		goto out;
	}
	if (cc_tokenizer_decode(tok, out_ids, n_out, &gen_text, &gen_len)) {
		fprintf(stderr, "codecomp: decoding: %s\n", cc_error_last());
		goto out;
	}
	if (as_json) {
		json_t *o = json_object(), *jp = json_array(), *jo = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(jp, json_integer(ids[i]));
		for (size_t i = 0; i < n_out; i++)
			json_array_append_new(jo, json_integer(out_ids[i]));
		json_object_set_new(o, "prompt_ids", jp);
		json_object_set_new(o, "ids", jo);
		/* a continuation can end inside a multi-byte character */
		json_t *text = cc_utf8_valid(gen_text, gen_len) ? json_stringn(gen_text, gen_len)
		                                                : json_string("(not valid UTF-8)");
		json_object_set_new(o, "text", text);
		json_dumpf(o, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(o);
	} else {
		fwrite(gen_text, 1, gen_len, stdout);
		if (gen_len && gen_text[gen_len - 1] != '\n')
			fputc('\n', stdout);
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "codecomp: write failed\n");
		goto out;
	}
	rc = 0;
out:
	free(gen_text);
	free(out_ids);
	cc_session_free(s);
	cli_model_input_free(&in);
	return rc;
}
