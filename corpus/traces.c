/*
 * traces.c - stack traces for Python mutants: the repository's test files that pass at the
 * mutated commit's parent are found once; for each mutant, those that mention its function or
 * module are run on a scratch checkout of the mutant commit (testrun.c's sandbox, a timeout),
 * and when they fail the output (temp paths made repository-relative) becomes the record's
 * trace and the failing test ids its tests. Scratch checkouts live under one mkdtemp
 * directory, removed at the end.
 */
#include "cc_corpus.h"

#include <ftw.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TRACE (16u << 10) /* bytes of output kept as a record's trace (the end) */

typedef struct {
	char *path;    /* repository-relative */
	char *content; /* NUL-terminated */
} test_file;

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	chmod(p, 0700); /* a test may have left a read-only directory */
	return remove(p);
}

static void rm_tree(const char *dir) { nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();
	return cc_error_set(CC_EGIT, "%s: %s", what, e ? e->message : "libgit2 error");
}

/* Write the tree of commit hex into dir (created). */
static int checkout_to(git_repository *g, const char *hex, const char *dir)
{
	git_oid oid;
	git_commit *c = NULL;
	git_tree *t = NULL;
	int rc = CC_OK;
	if (git_oid_fromstr(&oid, hex) < 0 || git_commit_lookup(&c, g, &oid) < 0 ||
	    git_commit_tree(&t, c) < 0) {
		rc = git_fail("commit of a mutant");
		goto out;
	}
	git_checkout_options co;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX;
	co.target_directory = dir;
	if (git_checkout_tree(g, (git_object *)t, &co) < 0)
		rc = git_fail("checkout into a scratch directory");
out:
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

static int is_test_path(const char *p)
{
	size_t n = strlen(p);
	if (n < 4 || strcmp(p + n - 3, ".py"))
		return 0;
	const char *bn = strrchr(p, '/');
	bn = bn ? bn + 1 : p;
	if (!strncmp(bn, "test_", 5) || (strlen(bn) > 8 && !strcmp(bn + strlen(bn) - 8, "_test.py")))
		return 1;
	return 0;
}

typedef struct {
	git_repository *g;
	test_file *v;
	size_t n, cap, max;
	int rc;
} walk_ctx;

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	walk_ctx *w = payload;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || w->n >= w->max)
		return 0;
	char path[4096];
	snprintf(path, sizeof(path), "%s%s", root, git_tree_entry_name(e));
	if (!is_test_path(path))
		return 0;
	git_blob *b = NULL;
	if (git_blob_lookup(&b, w->g, git_tree_entry_id(e)) < 0)
		return 0;
	size_t len = (size_t)git_blob_rawsize(b);
	if (w->n == w->cap) {
		size_t c = w->cap ? 2 * w->cap : 16;
		test_file *nv = realloc(w->v, c * sizeof(*nv));
		if (!nv)
			goto oom;
		w->v = nv;
		w->cap = c;
	}
	test_file *f = &w->v[w->n];
	f->path = strdup(path);
	f->content = malloc(len + 1);
	if (!f->path || !f->content) {
		free(f->path);
		free(f->content);
		goto oom;
	}
	memcpy(f->content, git_blob_rawcontent(b), len);
	f->content[len] = 0;
	w->n++;
	git_blob_free(b);
	return 0;
oom:
	git_blob_free(b);
	w->rc = cc_error_set(CC_ENOMEM, "out of memory");
	return -1;
}

/* Does text contain word as a whole identifier? */
static int has_word(const char *text, const char *word)
{
	size_t wl = strlen(word);
	if (wl < 2)
		return 0;
	for (const char *p = text; (p = strstr(p, word)); p++) {
		int b = p == text || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
		                       (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9'));
		char c = p[wl];
		int a = !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9'));
		if (a && b)
			return 1;
	}
	return 0;
}

/* argv of cmd (split on spaces) followed by files; malloc'd, strings point into *buf. */
static char **make_argv(char **buf, const char *cmd, char **files, size_t nf)
{
	*buf = strdup(cmd);
	char **av = calloc(strlen(cmd) + nf + 2, sizeof(char *));
	size_t k = 0;
	if (!*buf || !av) {
		free(*buf);
		*buf = NULL;
		free(av);
		return NULL;
	}
	char *save = NULL;
	for (char *t = strtok_r(*buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
		av[k++] = t;
	for (size_t i = 0; i < nf; i++)
		av[k++] = files[i];
	av[k] = NULL;
	return av;
}

/* Output made repository-relative (dir + "/" removed) and valid UTF-8 ('?' for bad bytes),
 * its last MAX_TRACE bytes. */
static char *clean_output(const char *out, size_t len, const char *dir)
{
	size_t dl = strlen(dir);
	char *r = malloc(len + 1);
	size_t o = 0;
	if (!r)
		return NULL;
	for (size_t i = 0; i < len;) {
		if (len - i > dl && !memcmp(out + i, dir, dl) && out[i + dl] == '/') {
			i += dl + 1;
			continue;
		}
		unsigned char c = (unsigned char)out[i];
		size_t cl = 0;
		if (c < 0x80)
			cl = 1;
		else if ((c >> 5) == 6)
			cl = 2;
		else if ((c >> 4) == 14)
			cl = 3;
		else if ((c >> 3) == 30)
			cl = 4;
		int ok = cl && i + cl <= len && c != 0;
		for (size_t k = 1; ok && k < cl; k++)
			ok = ((unsigned char)out[i + k] >> 6) == 2;
		if (!ok) {
			r[o++] = '?';
			i++;
			continue;
		}
		memcpy(r + o, out + i, cl);
		o += cl;
		i += cl;
	}
	r[o] = 0;
	if (o > MAX_TRACE) {
		size_t s = o - MAX_TRACE;
		while (s < o && ((unsigned char)r[s] >> 6) == 2)
			s++; /* not in the middle of a character */
		memmove(r, r + s, o - s + 1);
	}
	return r;
}

/* Failing test ids of unittest ("FAIL: name (id)", "ERROR: name (id)") or pytest ("FAILED
 * path::test ...", "ERROR path::test") output. */
static int failing_tests(char ***tests, size_t *n, const char *out)
{
	size_t cap = 0;
	*tests = NULL;
	*n = 0;
	for (const char *p = out; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		const char *id = NULL;
		size_t il = 0;
		if ((l > 6 && !strncmp(p, "FAIL: ", 6)) || (l > 7 && !strncmp(p, "ERROR: ", 7))) {
			const char *lp = memchr(p, '(', l), *rp = lp ? memchr(lp, ')', l - (size_t)(lp - p)) : NULL;
			if (lp && rp) {
				id = lp + 1;
				il = (size_t)(rp - id);
			}
		} else if ((l > 7 && !strncmp(p, "FAILED ", 7)) || (l > 6 && !strncmp(p, "ERROR ", 6))) {
			id = p + (p[1] == 'A' ? 7 : 6);
			il = strcspn(id, " \n");
			if (!memmem(id, il, "::", 2))
				id = NULL; /* "FAILED (errors=3)": unittest's summary */
		}
		if (id && il && *n < 64) {
			int dup = 0;
			for (size_t k = 0; k < *n; k++)
				dup |= strlen((*tests)[k]) == il && !memcmp((*tests)[k], id, il);
			if (!dup) {
				if (*n == cap) {
					cap = cap ? 2 * cap : 8;
					char **nv = realloc(*tests, cap * sizeof(*nv));
					if (!nv)
						return cc_error_set(CC_ENOMEM, "out of memory");
					*tests = nv;
				}
				if (!((*tests)[*n] = strndup(id, il)))
					return cc_error_set(CC_ENOMEM, "out of memory");
				(*n)++;
			}
		}
		p = e ? e + 1 : NULL;
	}
	return CC_OK;
}

int cc_corpus_mutant_traces(cc_bug *bugs, size_t n_bugs, cc_trace_stats *st,
                            const char *copy_path, const cc_trace_opts *o)
{
	const char *cmd = o && o->test_cmd ? o->test_cmd : "python3 -m unittest";
	unsigned timeout = o && o->timeout_s ? o->timeout_s : 60;
	git_repository *g = NULL;
	walk_ctx w = {0};
	char root[4096] = "", *abuf = NULL;
	char **av = NULL, **files = NULL;
	int *pass = NULL, rc = CC_OK;
	memset(st, 0, sizeof(*st));
	w.max = o && o->max_test_files ? o->max_test_files : 64;
	git_libgit2_init();
	if (git_repository_open(&g, copy_path) < 0) {
		rc = git_fail("open the mutants' copy");
		goto out;
	}
	const char *tdir = getenv("TMPDIR");
	snprintf(root, sizeof(root), "%s/codecomp-traces-XXXXXX", tdir && *tdir ? tdir : "/tmp");
	if (!mkdtemp(root)) {
		root[0] = 0;
		rc = cc_error_set(CC_EIO, "cannot make a scratch directory under %s", tdir ? tdir : "/tmp");
		goto out;
	}
	/* the test files at the base commit, and which of them pass there */
	const char *base = NULL;
	for (size_t i = 0; i < n_bugs && !base; i++)
		if (bugs[i].base_commit && bugs[i].file && strstr(bugs[i].file, ".py"))
			base = bugs[i].base_commit;
	if (!base)
		goto done;
	{
		git_oid oid;
		git_commit *c = NULL;
		git_tree *t = NULL;
		if (git_oid_fromstr(&oid, base) < 0 || git_commit_lookup(&c, g, &oid) < 0 ||
		    git_commit_tree(&t, c) < 0) {
			git_commit_free(c);
			rc = git_fail("the mutated commit");
			goto out;
		}
		w.g = g;
		git_tree_walk(t, GIT_TREEWALK_PRE, walk_cb, &w);
		git_tree_free(t);
		git_commit_free(c);
		if (w.rc) {
			rc = w.rc;
			goto out;
		}
	}
	if (!w.n)
		goto done;
	if (!(pass = calloc(w.n, sizeof(int))) || !(files = calloc(w.n + 1, sizeof(char *)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s/base", root);
	if ((rc = checkout_to(g, base, dir)))
		goto out;
	for (size_t i = 0; i < w.n; i++) {
		cc_test_run tr;
		free(av);
		free(abuf);
		if (!(av = make_argv(&abuf, cmd, &w.v[i].path, 1))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = cc_corpus_run_sandboxed(&tr, dir, av, timeout, 1 << 16)))
			goto out;
		pass[i] = !tr.status && !tr.timed_out;
		st->sandboxed = tr.sandboxed;
		st->test_files += pass[i];
		cc_test_run_clear(&tr);
	}
	rm_tree(dir);
	if (!st->test_files)
		goto done;
	for (size_t b = 0; b < n_bugs; b++) {
		cc_bug *bug = &bugs[b];
		if (o && o->progress)
			o->progress(o->progress_ud, b, n_bugs);
		size_t fl = bug->file ? strlen(bug->file) : 0;
		if (fl < 4 || strcmp(bug->file + fl - 3, ".py") || !bug->commit || !bug->function)
			continue;
		st->python++;
		/* the module's stem: "models" of inventory/models.py, the package of __init__.py */
		char stem[256];
		const char *bn = strrchr(bug->file, '/');
		snprintf(stem, sizeof(stem), "%s", bn ? bn + 1 : bug->file);
		stem[strlen(stem) - 3] = 0;
		if (!strcmp(stem, "__init__") && bn) {
			size_t pl = (size_t)(bn - bug->file);
			const char *pb = bug->file + pl;
			while (pb > bug->file && pb[-1] != '/')
				pb--;
			snprintf(stem, sizeof(stem), "%.*s", (int)(bug->file + pl - pb), pb);
		}
		size_t nf = 0;
		for (size_t i = 0; i < w.n; i++)
			if (pass[i] && (has_word(w.v[i].content, bug->function) || has_word(w.v[i].content, stem)))
				files[nf++] = w.v[i].path;
		if (!nf)
			continue;
		snprintf(dir, sizeof(dir), "%s/m", root);
		if ((rc = checkout_to(g, bug->commit, dir)))
			goto out;
		free(av);
		free(abuf);
		if (!(av = make_argv(&abuf, cmd, files, nf))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		cc_test_run tr;
		if ((rc = cc_corpus_run_sandboxed(&tr, dir, av, timeout, 1 << 20)))
			goto out;
		st->ran++;
		if (tr.timed_out) {
			st->timed_out++;
		} else if (tr.status) {
			char *trace = clean_output(tr.output, tr.output_len, dir), **tests = NULL;
			size_t nt = 0;
			if (!trace || failing_tests(&tests, &nt, trace)) {
				free(trace);
				cc_strv_free(tests, nt);
				cc_test_run_clear(&tr);
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
			free(bug->trace);
			cc_strv_free(bug->tests, bug->n_tests);
			bug->trace = trace;
			bug->tests = tests;
			bug->n_tests = nt;
			st->failed++;
		}
		cc_test_run_clear(&tr);
		rm_tree(dir);
	}
	if (o && o->progress)
		o->progress(o->progress_ud, n_bugs, n_bugs);
done:
out:
	if (root[0])
		rm_tree(root);
	for (size_t i = 0; i < w.n; i++) {
		free(w.v[i].path);
		free(w.v[i].content);
	}
	free(w.v);
	free(pass);
	free(files);
	free(av);
	free(abuf);
	git_repository_free(g);
	git_libgit2_shutdown();
	return rc;
}
