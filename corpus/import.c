/*
 * import.c - SWE-bench style datasets (JSONL of instance_id, repo, base_commit,
 * problem_statement, patch) turned into bug records: each repository's local clone indexed at
 * the base commit, the patch's changed lines mapped to functions there (cc_corpus_from_diff).
 */
#include "cc_corpus.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int dir_exists(const char *p)
{
	struct stat sb;
	return !stat(p, &sb) && S_ISDIR(sb.st_mode);
}

int cc_corpus_import_swebench(cc_bug **bugs, size_t *n_bugs, size_t *skipped, char **why_first,
                              const char *jsonl, const char *repos_dir)
{
	FILE *f = fopen(jsonl, "r");
	char *line = NULL, *dbpath = NULL, cur_db[4096] = "";
	size_t cap = 0, lineno = 0, n = 0, bcap = 0, skip = 0;
	cc_bug *v = NULL;
	cc_store *s = NULL;
	int rc = CC_OK;
	ssize_t len;
	*bugs = NULL;
	*n_bugs = 0;
	if (why_first)
		*why_first = NULL;
	if (!f)
		return cc_error_set(CC_ENOTFOUND, "cannot open %s", jsonl);
#define SKIP(...)                                                                                \
	do {                                                                                     \
		skip++;                                                                          \
		if (why_first && !*why_first) {                                                  \
			char wb[8192];                                                           \
			snprintf(wb, sizeof(wb), __VA_ARGS__);                                   \
			*why_first = strdup(wb);                                                 \
		}                                                                                \
	} while (0)
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (!len)
			continue;
		json_t *o = json_loadb(line, (size_t)len, 0, NULL);
		const char *iid = json_string_value(json_object_get(o, "instance_id")),
		           *repo = json_string_value(json_object_get(o, "repo")),
		           *base = json_string_value(json_object_get(o, "base_commit")),
		           *ps = json_string_value(json_object_get(o, "problem_statement")),
		           *patch = json_string_value(json_object_get(o, "patch"));
		if (!iid || !repo || !base || !ps || !patch) {
			json_decref(o);
			rc = cc_error_set(CC_EPARSE, "%s:%zu: not a SWE-bench record (needs string fields "
			                             "instance_id, repo, base_commit, problem_statement, "
			                             "patch)",
			                  jsonl, lineno);
			goto out;
		}
		char path[4096];
		const char *slash = strchr(repo, '/');
		snprintf(path, sizeof(path), "%s/%s", repos_dir, repo);
		if (!dir_exists(path) && slash)
			snprintf(path, sizeof(path), "%s/%s", repos_dir, slash + 1);
		if (!dir_exists(path) || strstr(repo, "..")) {
			SKIP("%s: no local clone of %s under %s", iid, repo, repos_dir);
			json_decref(o);
			continue;
		}
		free(dbpath);
		dbpath = NULL;
		if (cc_store_default_db_path(&dbpath, path)) {
			SKIP("%s: %s is not a git repository", iid, path);
			json_decref(o);
			continue;
		}
		if (strcmp(dbpath, cur_db)) {
			cc_store_free(s);
			s = NULL;
			if ((rc = cc_store_open(&s, dbpath, 0))) {
				json_decref(o);
				goto out;
			}
			snprintf(cur_db, sizeof(cur_db), "%s", dbpath);
		}
		cc_index_opts io = {0};
		cc_index_result ir;
		io.rev = base;
		io.threads = 1;
		if (cc_store_index_run(&ir, s, path, &io)) {
			SKIP("%s: cannot index %s at %s: %s", iid, path, base, cc_error_last());
			json_decref(o);
			continue;
		}
		cc_index_result_clear(&ir);
		cc_bug b;
		int found = 0;
		if ((rc = cc_corpus_from_diff(&b, &found, s, path, base, patch, ps, iid, "swebench",
		                              path))) {
			json_decref(o);
			goto out;
		}
		if (!found) {
			SKIP("%s: the patch does not change 1-3 functions only", iid);
			json_decref(o);
			continue;
		}
		json_decref(o);
		if (n == bcap) {
			bcap = bcap ? 2 * bcap : 32;
			cc_bug *nv = realloc(v, bcap * sizeof(*nv));
			if (!nv) {
				cc_bug_clear(&b);
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
			v = nv;
		}
		v[n++] = b;
	}
#undef SKIP
	*bugs = v;
	*n_bugs = n;
	v = NULL;
	n = 0;
	if (skipped)
		*skipped = skip;
out:
	cc_bugs_free(v, n);
	cc_store_free(s);
	free(dbpath);
	free(line);
	fclose(f);
	return rc;
}
