/*
 * manifest.c - bug manifests as JSONL: one record per line, written and read here so that
 * `codecomp mutate` (and later mine and the importers) and `codecomp batch` agree on the
 * format documented in cc_corpus.h.
 */
#include "cc_corpus.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int cc_bug_to_json_line(char **out, const cc_bug *b)
{
	json_t *o = json_object(), *lines = json_array(), *gv = json_array();
	*out = NULL;
	if (!o || !lines || !gv)
		goto fail;
	for (size_t i = 0; i < b->n_lines; i++)
		json_array_append_new(lines, json_integer(b->lines[i]));
	for (size_t i = 0; i < b->n_giveaway; i++)
		json_array_append_new(gv, json_string(b->giveaway[i]));
	json_object_set_new(o, "id", str_or_null(b->id));
	json_object_set_new(o, "source", str_or_null(b->source));
	json_object_set_new(o, "repo", str_or_null(b->repo));
	json_object_set_new(o, "rev", str_or_null(b->rev));
	json_object_set_new(o, "commit", str_or_null(b->commit));
	json_object_set_new(o, "base_commit", str_or_null(b->base_commit));
	json_object_set_new(o, "kind", str_or_null(b->kind));
	json_object_set_new(o, "file", str_or_null(b->file));
	json_object_set_new(o, "function", str_or_null(b->function));
	json_object_set_new(o, "qualified", str_or_null(b->qualified));
	json_object_set_new(o, "start_line", json_integer(b->start_line));
	json_object_set_new(o, "end_line", json_integer(b->end_line));
	json_object_set_new(o, "lines", lines);
	lines = NULL;
	json_object_set_new(o, "original", str_or_null(b->original));
	json_object_set_new(o, "mutated", str_or_null(b->mutated));
	json_object_set_new(o, "issue", str_or_null(b->issue));
	json_object_set_new(o, "issue_indirect", str_or_null(b->issue_indirect));
	json_object_set_new(o, "giveaway", gv);
	gv = NULL;
	json_object_set_new(o, "seed", json_integer((json_int_t)b->seed));
	json_object_set_new(o, "trace", str_or_null(b->trace));
	json_t *ts = json_array();
	for (size_t i = 0; ts && i < b->n_tests; i++)
		json_array_append_new(ts, json_string(b->tests[i]));
	json_object_set_new(o, "tests", ts);
	*out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!*out)
		return cc_error_set(CC_ENOMEM, "out of memory");
	return CC_OK;
fail:
	json_decref(o);
	json_decref(lines);
	json_decref(gv);
	return cc_error_set(CC_ENOMEM, "out of memory");
}

static int take_str(char **dst, json_t *o, const char *key, int required, size_t lineno,
                    const char *path)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		if (required)
			return cc_error_set(CC_EPARSE, "%s:%zu: record lacks \"%s\"", path, lineno, key);
		return CC_OK;
	}
	if (!json_is_string(v))
		return cc_error_set(CC_EPARSE, "%s:%zu: \"%s\" must be a string", path, lineno, key);
	if (!(*dst = strdup(json_string_value(v))))
		return cc_error_set(CC_ENOMEM, "out of memory");
	return CC_OK;
}

static int take_uint(uint32_t *dst, json_t *o, const char *key, size_t lineno, const char *path)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > UINT32_MAX)
		return cc_error_set(CC_EPARSE, "%s:%zu: \"%s\" must be a line number", path, lineno, key);
	*dst = (uint32_t)json_integer_value(v);
	return CC_OK;
}

int cc_manifest_read(cc_bug **bugs, size_t *n_bugs, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, n = 0, bcap = 0, lineno = 0;
	cc_bug *v = NULL;
	int rc = CC_OK;
	*bugs = NULL;
	*n_bugs = 0;
	if (!f)
		return cc_error_set(CC_ENOTFOUND, "cannot open manifest %s", path);
	ssize_t len;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
			line[--len] = 0;
		if (!len)
			continue;
		json_error_t err;
		json_t *o = json_loadb(line, (size_t)len, 0, &err);
		if (!json_is_object(o)) {
			json_decref(o);
			rc = cc_error_set(CC_EPARSE, "%s:%zu: not a JSON object (%s)", path, lineno,
			                  o ? "another JSON value" : err.text);
			goto out;
		}
		if (n == bcap) {
			size_t c2 = bcap ? 2 * bcap : 64;
			cc_bug *nv = realloc(v, c2 * sizeof(*nv));
			if (!nv) {
				json_decref(o);
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
			v = nv;
			bcap = c2;
		}
		cc_bug *b = &v[n++];
		memset(b, 0, sizeof(*b));
		json_t *ls = json_object_get(o, "lines"), *gv = json_object_get(o, "giveaway"), *x;
		size_t i;
		if ((rc = take_str(&b->id, o, "id", 1, lineno, path)) ||
		    (rc = take_str(&b->source, o, "source", 0, lineno, path)) ||
		    (rc = take_str(&b->repo, o, "repo", 1, lineno, path)) ||
		    (rc = take_str(&b->rev, o, "rev", 1, lineno, path)) ||
		    (rc = take_str(&b->commit, o, "commit", 0, lineno, path)) ||
		    (rc = take_str(&b->base_commit, o, "base_commit", 0, lineno, path)) ||
		    (rc = take_str(&b->kind, o, "kind", 0, lineno, path)) ||
		    (rc = take_str(&b->file, o, "file", 1, lineno, path)) ||
		    (rc = take_str(&b->function, o, "function", 1, lineno, path)) ||
		    (rc = take_str(&b->qualified, o, "qualified", 0, lineno, path)) ||
		    (rc = take_str(&b->original, o, "original", 0, lineno, path)) ||
		    (rc = take_str(&b->mutated, o, "mutated", 0, lineno, path)) ||
		    (rc = take_str(&b->issue, o, "issue", 1, lineno, path)) ||
		    (rc = take_str(&b->issue_indirect, o, "issue_indirect", 0, lineno, path)) ||
		    (rc = take_str(&b->trace, o, "trace", 0, lineno, path)) ||
		    (rc = take_uint(&b->start_line, o, "start_line", lineno, path)) ||
		    (rc = take_uint(&b->end_line, o, "end_line", lineno, path))) {
			json_decref(o);
			goto out;
		}
		if (json_is_array(ls) && json_array_size(ls) &&
		    (b->lines = calloc(json_array_size(ls), sizeof(*b->lines))))
			json_array_foreach(ls, i, x) if (json_is_integer(x) && json_integer_value(x) > 0)
				b->lines[b->n_lines++] = (uint32_t)json_integer_value(x);
		if (json_is_array(gv) && json_array_size(gv) &&
		    (b->giveaway = calloc(json_array_size(gv), sizeof(char *))))
			json_array_foreach(gv, i, x) if (json_is_string(x))
				b->giveaway[b->n_giveaway++] = strdup(json_string_value(x));
		json_t *ts = json_object_get(o, "tests");
		if (json_is_array(ts) && json_array_size(ts) &&
		    (b->tests = calloc(json_array_size(ts), sizeof(char *))))
			json_array_foreach(ts, i, x) if (json_is_string(x) &&
			                                 (b->tests[b->n_tests] = strdup(json_string_value(x))))
				b->n_tests++;
		json_t *sd = json_object_get(o, "seed");
		b->seed = json_is_integer(sd) ? (uint64_t)json_integer_value(sd) : 0;
		json_decref(o);
	}
	if (ferror(f)) {
		rc = cc_error_set(CC_EIO, "reading manifest %s failed", path);
		goto out;
	}
	*bugs = v;
	*n_bugs = n;
	v = NULL;
	n = 0;
out:
	cc_bugs_free(v, n);
	free(line);
	fclose(f);
	return rc;
}
