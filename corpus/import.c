/*
 * import.c - datasets turned into bug records: SWE-bench style JSONL (instance_id, repo,
 * base_commit, problem_statement, patch), BugsInPy and Defects4J metadata folders (parsed in
 * dataset.c). Each repository's local clone is indexed at the buggy commit, the patch's
 * changed lines mapped to functions there (cc_corpus_from_diff).
 */
#include "cc_corpus.h"

#include <ctype.h>
#include <dirent.h>
#include <git2.h>
#include <jansson.h>
#include <stdarg.h>
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
#define SKIP(...)                                              \
	do {                                                   \
		skip++;                                        \
		if (why_first && !*why_first) {                \
			char wb[8192];                         \
			snprintf(wb, sizeof(wb), __VA_ARGS__); \
			*why_first = strdup(wb);               \
		}                                              \
	} while (0)
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (!len)
			continue;
		json_t *o = json_loadb(line, (size_t)len, 0, NULL);
		const char *iid = json_string_value(json_object_get(o, "instance_id"));
		const char *repo = json_string_value(json_object_get(o, "repo"));
		const char *base = json_string_value(json_object_get(o, "base_commit"));
		const char *ps = json_string_value(json_object_get(o, "problem_statement"));
		const char *patch = json_string_value(json_object_get(o, "patch"));
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

/* ---- BugsInPy and Defects4J ------------------------------------------------------------- */

#define MAX_META (16u << 20) /* a metadata file larger than this is not one */

typedef struct {
	cc_bug *v;
	size_t n, cap, skipped;
	char **why_first;
	cc_store *s;
	char cur_db[4096];
	char *cur_repo;      /* the repository the store belongs to */
	git_repository *git; /* the same repository opened for patch checks */
} importer;

static void skipf(importer *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void skipf(importer *im, const char *fmt, ...)
{
	im->skipped++;
	if (im->why_first && !*im->why_first) {
		char wb[1024];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(wb, sizeof(wb), fmt, ap);
		va_end(ap);
		*im->why_first = strdup(wb);
	}
}

/* Open the store and git repository of path (kept while bugs of one project follow). */
static int use_repo(importer *im, const char *path)
{
	char *dbpath = NULL;
	int rc;
	if (im->cur_repo && !strcmp(im->cur_repo, path))
		return CC_OK;
	cc_store_free(im->s);
	im->s = NULL;
	git_repository_free(im->git);
	im->git = NULL;
	free(im->cur_repo);
	im->cur_repo = NULL;
	if ((rc = cc_store_default_db_path(&dbpath, path)))
		return rc;
	if ((rc = cc_store_open(&im->s, dbpath, 0)))
		goto out;
	if (git_repository_open(&im->git, path)) {
		rc = cc_error_set(CC_EGIT, "%s: %s", path,
		                  git_error_last() ? git_error_last()->message : "not a repository");
		goto out;
	}
	if (!(im->cur_repo = strdup(path)))
		rc = cc_error_set(CC_ENOMEM, "out of memory");
out:
	free(dbpath);
	return rc;
}

/* Does every hunk of patch find its old-side lines (context and '-') at rev, line for line?
 * On a mismatch, why says where. */
static int patch_applies(git_repository *g, const char *rev, const char *patch, char *why,
                         size_t wcap)
{
	char path[1024] = "", spec[1200];
	git_object *obj = NULL;
	const char *content = NULL;
	size_t clen = 0;
	uint32_t at = 0;       /* the next old-side line of the current hunk */
	const char *lp = NULL; /* that line in content */
	int ok = 1, in_hunk = 0;
	for (const char *p = patch; p && *p && ok;) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l >= 4 && !strncmp(p, "--- ", 4)) {
			in_hunk = 0;
			git_object_free(obj);
			obj = NULL;
			content = NULL;
			const char *s = p + 4;
			size_t sl = l - 4;
			if (sl >= 2 && !strncmp(s, "a/", 2))
				s += 2, sl -= 2;
			while (sl && (s[sl - 1] == '\r' || s[sl - 1] == '\t' || s[sl - 1] == ' '))
				sl--;
			snprintf(path, sizeof(path), "%.*s", (int)sl, s);
			if (strcmp(path, "/dev/null")) {
				snprintf(spec, sizeof(spec), "%s:%s", rev, path);
				if (git_revparse_single(&obj, g, spec) || git_object_type(obj) != GIT_OBJECT_BLOB) {
					snprintf(why, wcap, "%s is not in revision %s", path, rev);
					ok = 0;
					break;
				}
				content = git_blob_rawcontent((git_blob *)obj);
				clen = (size_t)git_blob_rawsize((git_blob *)obj);
			}
		} else if (l >= 4 && !strncmp(p, "@@ -", 4)) {
			unsigned a = 0;
			in_hunk = content && sscanf(p, "@@ -%u", &a) == 1;
			at = a ? a : 1;
			lp = content;
			for (uint32_t k = 1; lp && k < at; k++) {
				const char *nl = memchr(lp, '\n', clen - (size_t)(lp - content));
				lp = nl ? nl + 1 : NULL;
			}
		} else if (in_hunk && l && (p[0] == ' ' || (p[0] == '-' && strncmp(p, "---", 3)))) {
			size_t rest = lp ? clen - (size_t)(lp - content) : 0;
			const char *nl = lp ? memchr(lp, '\n', rest) : NULL;
			size_t fl = lp ? (nl ? (size_t)(nl - lp) : rest) : 0;
			size_t pl = l - 1;
			if (fl && lp[fl - 1] == '\r')
				fl--;
			if (pl && p[pl] == '\r')
				pl--;
			if (!lp || fl != pl || memcmp(lp, p + 1, pl)) {
				snprintf(why, wcap, "%s line %u differs from the patch at %s", path, at, rev);
				ok = 0;
				break;
			}
			lp = nl ? nl + 1 : content + clen;
			if (lp == content + clen && !nl)
				lp = NULL;
			at++;
		} else if (in_hunk && l && p[0] != '+' && p[0] != '\\' && p[0] != '-') {
			in_hunk = 0;
		}
		p = e ? e + 1 : NULL;
	}
	git_object_free(obj);
	return ok;
}

/* Index path at rev, check that patch (buggy -> fixed) applies there and map it to a record;
 * on success the record (taking tests and trace) is appended. */
static int import_one(importer *im, const char *path, const char *rev, const char *patch,
                      const char *issue, const char *id, const char *source, char ***tests,
                      size_t *n_tests, char **trace)
{
	int rc;
	char why[1200];
	if ((rc = use_repo(im, path))) {
		skipf(im, "%s: %s", id, cc_error_last());
		return CC_OK;
	}
	if (!patch_applies(im->git, rev, patch, why, sizeof(why))) {
		skipf(im, "%s: the patch does not apply at the buggy commit: %s", id, why);
		return CC_OK;
	}
	cc_index_opts io = {0};
	cc_index_result ir;
	io.rev = rev;
	io.threads = 1;
	if (cc_store_index_run(&ir, im->s, path, &io)) {
		skipf(im, "%s: cannot index %s at %s: %s", id, path, rev, cc_error_last());
		return CC_OK;
	}
	cc_index_result_clear(&ir);
	cc_bug b;
	int found = 0;
	if ((rc = cc_corpus_from_diff(&b, &found, im->s, path, rev, patch, issue, id, source, path)))
		return rc;
	if (!found) {
		skipf(im, "%s: the patch does not change 1-3 functions only", id);
		return CC_OK;
	}
	if (im->n == im->cap) {
		size_t c = im->cap ? 2 * im->cap : 32;
		cc_bug *nv = realloc(im->v, c * sizeof(*nv));
		if (!nv) {
			cc_bug_clear(&b);
			return cc_error_set(CC_ENOMEM, "out of memory");
		}
		im->v = nv;
		im->cap = c;
	}
	b.tests = *tests;
	b.n_tests = *n_tests;
	b.trace = trace ? *trace : NULL;
	*tests = NULL;
	*n_tests = 0;
	if (trace)
		*trace = NULL;
	im->v[im->n++] = b;
	return CC_OK;
}

/* repos_dir/name, else repos_dir/<name in lower case>; NULL when neither is a directory. */
static char *clone_of(const char *repos_dir, const char *name)
{
	char p[4096], low[256];
	snprintf(p, sizeof(p), "%s/%s", repos_dir, name);
	if (dir_exists(p))
		return strdup(p);
	size_t i = 0;
	for (; name[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = 0;
	snprintf(p, sizeof(p), "%s/%s", repos_dir, low);
	return dir_exists(p) ? strdup(p) : NULL;
}

static int name_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	/* numbers in numeric order (bugs 1, 2, ..., 10), names alphabetically */
	char *ex, *ey;
	long nx = strtol(x, &ex, 10), ny = strtol(y, &ey, 10);
	if (!*ex && !*ey && ex != x && ey != y)
		return nx < ny ? -1 : nx > ny;
	return strcmp(x, y);
}

/* The subdirectories of dir, sorted (numbers numerically). */
static int list_dirs(char ***out, size_t *n, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!d)
		return cc_error_set(CC_ENOTFOUND, "cannot open directory %s", dir);
	while ((de = readdir(d))) {
		char p[4096];
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (!dir_exists(p))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			char **nv = realloc(*out, cap * sizeof(*nv));
			if (!nv)
				goto oom;
			*out = nv;
		}
		if (!((*out)[*n] = strdup(de->d_name)))
			goto oom;
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(*out, *n, sizeof(char *), name_cmp);
	return CC_OK;
oom:
	closedir(d);
	cc_strv_free(*out, *n);
	*out = NULL;
	*n = 0;
	return cc_error_set(CC_ENOMEM, "out of memory");
}

static int file_exists(const char *p)
{
	struct stat sb;
	return !stat(p, &sb) && S_ISREG(sb.st_mode);
}

/* "Failing tests: a, b" (+ "\n" + extra when given). */
static char *tests_issue(char **tests, size_t n, const char *extra)
{
	size_t cap = 64 + (extra ? strlen(extra) : 0);
	for (size_t i = 0; i < n && i < 8; i++)
		cap += strlen(tests[i]) + 2;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	size_t o = (size_t)snprintf(s, cap, "Failing test%s: ", n == 1 ? "" : "s");
	for (size_t i = 0; i < n && i < 8; i++)
		o += (size_t)snprintf(s + o, cap - o, "%s%s", i ? ", " : "", tests[i]);
	if (extra)
		snprintf(s + o, cap - o, "\n%s", extra);
	return s;
}

static int import_bugsinpy_project(importer *im, const char *pdir, const char *project,
                                   const char *repos_dir)
{
	char bdir[4096], *repo = clone_of(repos_dir, project);
	char **ids = NULL;
	size_t nids = 0;
	int rc;
	snprintf(bdir, sizeof(bdir), "%s/bugs", pdir);
	if ((rc = list_dirs(&ids, &nids, bdir)))
		goto out;
	for (size_t i = 0; i < nids && rc == CC_OK; i++) {
		char p[4200], id[512], *info_t = NULL, *patch = NULL, *run = NULL, *issue = NULL;
		size_t il = 0, pl = 0, rl = 0, nt = 0;
		char **tests = NULL;
		cc_bugsinpy_info info = {0};
		snprintf(id, sizeof(id), "%s-%s", project, ids[i]);
		if (!repo) {
			skipf(im, "%s: no local clone %s/%s", id, repos_dir, project);
			continue;
		}
		snprintf(p, sizeof(p), "%s/%s/bug.info", bdir, ids[i]);
		if (cc_read_file(&info_t, &il, p, MAX_META)) {
			skipf(im, "%s: %s", id, cc_error_last());
			goto next;
		}
		if (cc_bugsinpy_info_parse(&info, info_t, il)) {
			skipf(im, "%s: %s: %s", id, p, cc_error_last());
			goto next;
		}
		snprintf(p, sizeof(p), "%s/%s/bug_patch.txt", bdir, ids[i]);
		if (cc_read_file(&patch, &pl, p, MAX_META) || memchr(patch, 0, pl)) {
			skipf(im, "%s: cannot read %s as text", id, p);
			goto next;
		}
		snprintf(p, sizeof(p), "%s/%s/run_test.sh", bdir, ids[i]);
		if (cc_read_file(&run, &rl, p, MAX_META) || cc_bugsinpy_tests_parse(&tests, &nt, run, rl)) {
			skipf(im, "%s: %s: %s", id, p, cc_error_last());
			goto next;
		}
		if (!(issue = tests_issue(tests, nt, NULL))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto next;
		}
		rc = import_one(im, repo, info.buggy, patch, issue, id, "bugsinpy", &tests, &nt, NULL);
		if (rc == CC_OK && im->n && !strcmp(im->v[im->n - 1].id, id)) {
			free(im->v[im->n - 1].base_commit);
			im->v[im->n - 1].base_commit = strdup(info.fixed);
		}
	next:
		cc_bugsinpy_info_clear(&info);
		cc_strv_free(tests, nt);
		free(info_t);
		free(patch);
		free(run);
		free(issue);
	}
out:
	cc_strv_free(ids, nids);
	free(repo);
	return rc;
}

static int import_d4j_project(importer *im, const char *pdir, const char *project,
                              const char *repos_dir)
{
	char p[4200], *csv = NULL, *repo = clone_of(repos_dir, project);
	size_t cl = 0, nb = 0;
	cc_d4j_bug *bugs = NULL;
	int rc;
	snprintf(p, sizeof(p), "%s/active-bugs.csv", pdir);
	if ((rc = cc_read_file(&csv, &cl, p, MAX_META)))
		goto out;
	if ((rc = cc_d4j_active_bugs_parse(&bugs, &nb, csv, cl))) {
		rc = cc_error_set(rc, "%s: %s", p, cc_error_last());
		goto out;
	}
	for (size_t i = 0; i < nb && rc == CC_OK; i++) {
		char id[300], *patch = NULL, *rev = NULL, *trig = NULL, *first = NULL, *issue = NULL;
		char **tests = NULL;
		size_t pl = 0, tl = 0, nt = 0;
		snprintf(id, sizeof(id), "%s-%d", project, bugs[i].id);
		if (!repo) {
			skipf(im, "%s: no local clone %s/%s", id, repos_dir, project);
			continue;
		}
		snprintf(p, sizeof(p), "%s/patches/%d.src.patch", pdir, bugs[i].id);
		if (cc_read_file(&patch, &pl, p, MAX_META) || memchr(patch, 0, pl)) {
			skipf(im, "%s: cannot read %s as text", id, p);
			goto next;
		}
		if (cc_diff_reverse(&rev, patch, pl)) {
			skipf(im, "%s: %s: %s", id, p, cc_error_last());
			goto next;
		}
		snprintf(p, sizeof(p), "%s/trigger_tests/%d", pdir, bugs[i].id);
		if (cc_read_file(&trig, &tl, p, MAX_META) || memchr(trig, 0, tl) ||
		    cc_d4j_trigger_parse(&tests, &nt, &first, trig, tl)) {
			skipf(im, "%s: %s: %s", id, p, cc_error_last());
			goto next;
		}
		if (!(issue = tests_issue(tests, nt, first))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto next;
		}
		rc = import_one(im, repo, bugs[i].buggy, rev, issue, id, "defects4j", &tests, &nt, &trig);
		if (rc == CC_OK && im->n && !strcmp(im->v[im->n - 1].id, id)) {
			free(im->v[im->n - 1].base_commit);
			im->v[im->n - 1].base_commit = strdup(bugs[i].fixed);
		}
	next:
		cc_strv_free(tests, nt);
		free(patch);
		free(rev);
		free(trig);
		free(first);
		free(issue);
	}
out:
	cc_d4j_bugs_free(bugs, nb);
	free(csv);
	free(repo);
	return rc;
}

int cc_corpus_import_dataset(cc_bug **bugs, size_t *n_bugs, size_t *skipped, char **why_first,
                             const char *format, const char *projects_dir,
                             const char *repos_dir)
{
	importer im;
	char **names = NULL;
	size_t nn = 0, projects = 0;
	int rc = CC_OK, d4j;
	memset(&im, 0, sizeof(im));
	*bugs = NULL;
	*n_bugs = 0;
	if (skipped)
		*skipped = 0;
	if (why_first)
		*why_first = NULL;
	im.why_first = why_first;
	if (!strcmp(format, "defects4j"))
		d4j = 1;
	else if (!strcmp(format, "bugsinpy"))
		d4j = 0;
	else
		return cc_error_set(CC_EINVAL, "unknown dataset format '%s' (bugsinpy, defects4j)", format);
	git_libgit2_init();
	char marker[4200];
	snprintf(marker, sizeof(marker), "%s/%s", projects_dir, d4j ? "active-bugs.csv" : "bugs");
	if (d4j ? file_exists(marker) : dir_exists(marker)) {
		/* one project's folder */
		char tmp[4096], *slash;
		snprintf(tmp, sizeof(tmp), "%s", projects_dir);
		size_t tlen = strlen(tmp);
		while (tlen > 1 && tmp[tlen - 1] == '/')
			tmp[--tlen] = 0;
		slash = strrchr(tmp, '/');
		projects = 1;
		rc = d4j ? import_d4j_project(&im, projects_dir, slash ? slash + 1 : tmp, repos_dir)
		         : import_bugsinpy_project(&im, projects_dir, slash ? slash + 1 : tmp, repos_dir);
		goto done;
	}
	if ((rc = list_dirs(&names, &nn, projects_dir)))
		goto out;
	for (size_t i = 0; i < nn && rc == CC_OK; i++) {
		char pd[4200];
		snprintf(pd, sizeof(pd), "%s/%s", projects_dir, names[i]);
		if (snprintf(marker, sizeof(marker), "%s/%s", pd, d4j ? "active-bugs.csv" : "bugs") >=
		    (int)sizeof(marker))
			continue;
		if (!(d4j ? file_exists(marker) : dir_exists(marker)))
			continue;
		projects++;
		rc = d4j ? import_d4j_project(&im, pd, names[i], repos_dir)
		         : import_bugsinpy_project(&im, pd, names[i], repos_dir);
	}
done:
	if (rc)
		goto out;
	if (!projects) {
		rc = cc_error_set(CC_ENOTFOUND, "%s holds no %s project (a folder with %s)", projects_dir,
		                  format, d4j ? "active-bugs.csv" : "bugs/<n>/bug.info");
		goto out;
	}
	*bugs = im.v;
	*n_bugs = im.n;
	im.v = NULL;
	im.n = 0;
	if (skipped)
		*skipped = im.skipped;
out:
	cc_bugs_free(im.v, im.n);
	cc_store_free(im.s);
	git_repository_free(im.git);
	free(im.cur_repo);
	cc_strv_free(names, nn);
	git_libgit2_shutdown();
	return rc;
}
