/*
 * cmd_session.c - `codecomp ask` (one question over a compressed repository context, through
 * a running daemon or in-process with the same output) and `codecomp session
 * open|generate|score|compress|info|list|close` (sessions that live in codecompd and are
 * asked many times). The requests are the daemon's session.* methods; in-process they are
 * answered by the same cc_agent_call, so the JSON is the same either way.
 */
#include "cc_agent_reply.h"
#include "cc_client.h"
#include "cc_common.h"

#include <float.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void ask_usage(FILE *f)
{
	fprintf(f,
	        "usage: codecomp ask --model DIR [--device cpu|cuda]\n"
	        "                    [--repo R [--rev REV] (--path P | --function F)... | --query Q |\n"
	        "                     --text-file F] [--policy P --budget B] [--max-context N]\n"
	        "                    [--truncate] [--max-new N] [--temperature T] [--top-p P]\n"
	        "                    [--seed S] [--stop S]... [--json]\n"
	        "                    [--repo-cache [--no-anchor] [--cache-final-budget B]]\n"
	        "                    [--stream-chunk N [--stream-cum]] PROMPT\n"
	        "       codecomp session open  (the context options of ask) [--json]\n"
	        "       codecomp session generate ID [--max-new N ...] [--json] PROMPT\n"
	        "       codecomp session score ID [--json] TEXT\n"
	        "       codecomp session compress ID --policy P --budget B [--json]\n"
	        "       codecomp session info|close ID [--json]     codecomp session list [--json]\n\n"
	        "Assemble a context (files or functions of an indexed repository, each after a\n"
	        "'# file:' line; the files a query names; or a text file), prefill it, compress the\n"
	        "KV cache with a policy (codecomp, h2o, snapkv, structure, streaming, random,\n"
	        "expected (CPU), full)\n"
	        "to a budget (a share in (0, 1] or a token count), then generate after it.\n"
	        "`ask` uses a running daemon when there is one, else works in-process; `session`\n"
	        "needs the daemon (sessions live there). Generated text streams to a terminal.\n"
	        "--repo-cache assembles the context from per-file KV chunks (each file prefilled\n"
	        "alone and compressed with the policy and budget, a share) cached in memory and\n"
	        "beside the index, so only files whose blobs changed are prefilled again;\n"
	        "--no-anchor drops each chunk's own BOS; --cache-final-budget B keeps a share B\n"
	        "of the assembled rows by the query's attention (needs --query).\n"
	        "--stream-chunk N prefills the context in chunks of N tokens and compresses after\n"
	        "each to the budget of the tokens so far, so the full cache is never held (the\n"
	        "reply's stream.kv_bytes_peak; not kvzip or adakv; codecomp then ranks by the\n"
	        "chunks' window attention x prior, h2o by the attention carried across chunks);\n"
	        "--stream-cum has codecomp rank by the attention carried across chunks too.\n");
}

/* Options shared by ask and session: parsed into open (session.open) and gen
 * (session.generate) params; the rest (positional) into *pos. Returns 0, or 2 for usage. */
static int parse_opts(json_t *open, json_t *gen, int *as_json, const char **pos, int *npos,
                      int argc, char **argv)
{
	json_t *paths = json_array(), *fns = json_array(), *stops = json_array();
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;
		if (!strcmp(a, "--json")) {
			*as_json = 1;
			continue;
		} else if (!strcmp(a, "--truncate")) {
			json_object_set_new(open, "truncate", json_true());
			continue;
		} else if (!strcmp(a, "--repo-cache")) {
			json_object_set_new(open, "cache", json_true());
			continue;
		} else if (!strcmp(a, "--stream-cum")) {
			json_object_set_new(open, "stream_cum", json_true());
			continue;
		} else if (!strcmp(a, "--no-anchor")) {
			json_object_set_new(open, "cache_anchor", json_false());
			continue;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			ask_usage(stdout);
			exit(0);
		} else if (a[0] != '-' || !strcmp(a, "-")) {
			pos[(*npos)++] = a;
			continue;
		} else if (!v) {
			fprintf(stderr, "codecomp: option %s needs a value\n", a);
			return 2;
		} else if (!strcmp(a, "--model") || !strcmp(a, "--repo")) {
			/* absolute: the daemon has its own working directory */
			char *abs = NULL;
			if (cc_client_abspath(&abs, v)) {
				fprintf(stderr, "codecomp: %s\n", cc_error_last());
				return 2;
			}
			json_object_set_new(open, a + 2, json_string(abs));
			free(abs);
		} else if (!strcmp(a, "--device") || !strcmp(a, "--rev") || !strcmp(a, "--query") ||
		           !strcmp(a, "--policy")) {
			json_object_set_new(open, a + 2, json_string(v));
		} else if (!strcmp(a, "--path") || !strcmp(a, "--paths")) {
			json_array_append_new(paths, json_string(v));
		} else if (!strcmp(a, "--function")) {
			json_array_append_new(fns, json_string(v));
		} else if (!strcmp(a, "--text-file")) {
			char *buf = NULL;
			size_t len = 0;
			if (cc_read_file(&buf, &len, v, (size_t)64 << 20)) {
				fprintf(stderr, "codecomp: %s\n", cc_error_last());
				return 2;
			}
			json_object_set_new(open, "text", json_stringn(buf, len));
			free(buf);
			if (!json_object_get(open, "text")) {
				fprintf(stderr, "codecomp: %s is not valid UTF-8 text\n", v);
				return 2;
			}
		} else if (!strcmp(a, "--budget")) {
			/* the daemon checks the value (a share, or a whole token count) */
			double b = 0;
			bad = cc_parse_double(&b, v, -DBL_MAX, DBL_MAX);
			json_object_set_new(open, "budget", json_real(b));
		} else if (!strcmp(a, "--cache-final-budget")) {
			double b = 0;
			bad = cc_parse_double(&b, v, -DBL_MAX, DBL_MAX);
			json_object_set_new(open, "cache_final_budget", json_real(b));
		} else if (!strcmp(a, "--max-context")) {
			long long n = 0;
			bad = cc_parse_long(&n, v, 0, LLONG_MAX);
			json_object_set_new(open, "max_context_tokens", json_integer(n));
		} else if (!strcmp(a, "--stream-chunk")) {
			long long n = 0;
			bad = cc_parse_long(&n, v, 1, LLONG_MAX);
			json_object_set_new(open, "stream_chunk", json_integer(n));
		} else if (!strcmp(a, "--max-new") || !strcmp(a, "--seed")) {
			long long n = 0;
			bad = cc_parse_long(&n, v, 0, LLONG_MAX);
			json_object_set_new(gen, !strcmp(a, "--seed") ? "seed" : "max_new", json_integer(n));
		} else if (!strcmp(a, "--temperature") || !strcmp(a, "--top-p")) {
			double x = 0;
			bad = cc_parse_double(&x, v, -DBL_MAX, DBL_MAX);
			json_object_set_new(gen, !strcmp(a, "--top-p") ? "top_p" : "temperature",
			                    json_real(x));
		} else if (!strcmp(a, "--stop")) {
			json_array_append_new(stops, json_string(v));
		} else {
			fprintf(stderr, "codecomp: unknown option '%s'\n", a);
			return 2;
		}
		if (bad) {
			fprintf(stderr, "codecomp: bad value '%s' for %s\n", v, a);
			return 2;
		}
		i++;
	}
	if (json_array_size(paths))
		json_object_set(open, "paths", paths);
	if (json_array_size(fns))
		json_object_set(open, "functions", fns);
	if (json_array_size(stops))
		json_object_set(gen, "stop", stops);
	json_decref(paths);
	json_decref(fns);
	json_decref(stops);
	return 0;
}

static void print_json(json_t *o)
{
	json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(6));
	fputc('\n', stdout);
}

static int stream_piece(void *ud, int32_t id, const char *piece, size_t len)
{
	(void)ud;
	(void)id;
	fwrite(piece, 1, len, stdout);
	fflush(stdout);
	return 0;
}

static void print_session(json_t *s)
{
	json_t *t = json_object_get(s, "timings");
	printf("session %s: %lld context tokens, %s at %g: %lld kept per head, KV %lld -> %lld bytes"
	       "%s (assemble %.3fs, priors %.3fs, prefill %.3fs, compress %.3fs)\n",
	       json_string_value(json_object_get(s, "id")),
	       (long long)json_integer_value(json_object_get(s, "context_tokens")),
	       json_string_value(json_object_get(s, "policy")),
	       json_number_value(json_object_get(s, "budget")),
	       (long long)json_integer_value(json_object_get(s, "kept_per_head")),
	       (long long)json_integer_value(json_object_get(s, "kv_bytes_full")),
	       (long long)json_integer_value(json_object_get(s, "kv_bytes_held")),
	       json_is_true(json_object_get(s, "truncated")) ? " (context truncated)" : "",
	       json_number_value(json_object_get(t, "assemble_s")),
	       json_number_value(json_object_get(t, "priors_s")),
	       json_number_value(json_object_get(t, "prefill_s")),
	       json_number_value(json_object_get(t, "compress_s")));
	json_t *st = json_object_get(s, "stream");
	if (st)
		printf("compressed as the prefill went: %lld chunks of %lld tokens, peak KV %lld "
		       "bytes\n",
		       (long long)json_integer_value(json_object_get(st, "steps")),
		       (long long)json_integer_value(json_object_get(st, "chunk")),
		       (long long)json_integer_value(json_object_get(st, "kv_bytes_peak")));
	json_t *rc = json_object_get(s, "repo_cache");
	if (rc)
		printf("repository cache: %lld chunks reused (%lld from disk), %lld prefilled; "
		       "%lld bytes in memory, %lld on disk\n",
		       (long long)json_integer_value(json_object_get(rc, "chunks_reused")),
		       (long long)json_integer_value(json_object_get(rc, "chunks_from_disk")),
		       (long long)json_integer_value(json_object_get(rc, "chunks_prefilled")),
		       (long long)json_integer_value(json_object_get(rc, "bytes_memory")),
		       (long long)json_integer_value(json_object_get(rc, "bytes_disk")));
}

int cmd_ask(int argc, char **argv)
{
	json_t *open = json_object(), *gen = json_object(), *so = NULL, *go = NULL, *out = NULL;
	const char *url = NULL, *pos[64];
	int npos = 0, as_json = 0, rc = 1, drc, tty = isatty(STDOUT_FILENO);
	cc_agent *a = NULL;

	if (cc_client_connect_arg(&url, &argc, argv))
		return 2;
	if (argc > 66 || (rc = parse_opts(open, gen, &as_json, pos, &npos, argc - 1, argv + 1))) {
		if (argc > 66)
			fprintf(stderr, "codecomp: ask: too many arguments\n");
		rc = 2;
		goto out;
	}
	rc = 1;
	if (npos != 1 || !json_object_get(open, "model")) {
		ask_usage(stderr);
		rc = 2;
		goto out;
	}
	if (!json_object_get(open, "policy"))
		json_object_set_new(open, "policy", json_string("full"));
	json_object_set_new(gen, "prompt", json_string(pos[0]));
	if (!json_object_get(gen, "prompt")) {
		fprintf(stderr, "codecomp: ask: the prompt is not valid UTF-8\n");
		goto out;
	}
	drc = cc_client_try(&so, url, "session.open", json_incref(open));
	if (drc == CC_OK) {
		json_object_set(gen, "id", json_object_get(so, "id"));
		drc = cc_client_try(&go, url, "session.generate", json_incref(gen));
		/* close whatever generate did; a failed close leaves the session to the idle timeout */
		if (cc_client_try(&out, url, "session.close",
		                  json_pack("{s:O}", "id", json_object_get(so, "id"))) == CC_OK)
			json_decref(out);
		out = NULL;
		if (drc != CC_OK)
			goto fail;
		if (!as_json) {
			if (tty)
				print_session(so);
			fwrite(json_string_value(json_object_get(go, "text")), 1,
			       json_string_length(json_object_get(go, "text")), stdout);
			fputc('\n', stdout);
		}
	} else if (drc == CC_CLIENT_NO_DAEMON) {
		if (cc_agent_new(&a, NULL) || cc_agent_call(&so, a, "session.open", open, NULL, NULL))
			goto fail;
		json_object_set(gen, "id", json_object_get(so, "id"));
		if (!as_json && tty)
			print_session(so);
		if (cc_agent_call(&go, a, "session.generate", gen, !as_json && tty ? stream_piece : NULL,
		                  NULL))
			goto fail;
		if (!as_json && !tty)
			fwrite(json_string_value(json_object_get(go, "text")), 1,
			       json_string_length(json_object_get(go, "text")), stdout);
		if (!as_json)
			fputc('\n', stdout);
	} else {
		goto fail;
	}
	if (as_json) {
		json_t *o = json_pack("{s:O, s:O}", "session", so, "generate", go);
		print_json(o);
		json_decref(o);
	}
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "codecomp: %s\n", cc_error_last());
out:
	cc_agent_free(a);
	json_decref(open);
	json_decref(gen);
	json_decref(so);
	json_decref(go);
	return rc;
}

int cmd_session(int argc, char **argv)
{
	json_t *open = json_object(), *gen = json_object(), *res = NULL, *p = NULL;
	const char *url = NULL, *pos[64], *verb, *method;
	int npos = 0, as_json = 0, rc = 2, drc;

	if (cc_client_connect_arg(&url, &argc, argv))
		return 2;
	if (argc < 2 || argc > 66) {
		ask_usage(stderr);
		goto out;
	}
	verb = argv[1];
	if (parse_opts(open, gen, &as_json, pos, &npos, argc - 2, argv + 2))
		goto out;
	if (!strcmp(verb, "open") && npos == 0) {
		method = "session.open";
		p = json_incref(open);
	} else if (!strcmp(verb, "generate") && npos == 2) {
		method = "session.generate";
		json_object_set_new(gen, "id", json_string(pos[0]));
		json_object_set_new(gen, "prompt", json_string(pos[1]));
		p = json_incref(gen);
	} else if (!strcmp(verb, "score") && npos == 2) {
		method = "session.score";
		p = json_pack("{s:s, s:s}", "id", pos[0], "text", pos[1]);
	} else if (!strcmp(verb, "compress") && npos == 1) {
		method = "session.compress";
		p = json_pack("{s:s, s:O*, s:O*}", "id", pos[0], "policy",
		              json_object_get(open, "policy"), "budget", json_object_get(open, "budget"));
	} else if ((!strcmp(verb, "info") || !strcmp(verb, "close")) && npos == 1) {
		method = !strcmp(verb, "info") ? "session.info" : "session.close";
		p = json_pack("{s:s}", "id", pos[0]);
	} else if (!strcmp(verb, "list") && npos == 0) {
		method = "session.list";
		p = json_object();
	} else {
		ask_usage(stderr);
		goto out;
	}
	rc = 1;
	drc = cc_client_try(&res, url, method, p);
	p = NULL;
	if (drc == CC_CLIENT_NO_DAEMON) {
		fprintf(stderr, "codecomp: session: no codecompd is running (sessions live in the "
		                "daemon: start one with `codecomp daemon start`, or use `codecomp ask`)\n");
		goto out;
	}
	if (drc != CC_OK) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		goto out;
	}
	if (as_json) {
		print_json(res);
	} else if (!strcmp(method, "session.open") || !strcmp(method, "session.compress") ||
	           !strcmp(method, "session.info")) {
		print_session(res);
	} else if (!strcmp(method, "session.generate")) {
		json_t *t = json_object_get(res, "text");
		fwrite(json_string_value(t), 1, json_string_length(t), stdout);
		fputc('\n', stdout);
	} else if (!strcmp(method, "session.score")) {
		printf("%lld tokens, mean NLL %.4f nats\n",
		       (long long)json_integer_value(json_object_get(res, "n_tokens")),
		       json_number_value(json_object_get(res, "mean_nll")));
	} else if (!strcmp(method, "session.list")) {
		json_t *s;
		size_t i;
		json_array_foreach(json_object_get(res, "sessions"), i, s) print_session(s);
	} else {
		printf("closed %s\n", pos[0]);
	}
	rc = 0;
out:
	json_decref(open);
	json_decref(gen);
	json_decref(res);
	json_decref(p);
	return rc;
}
