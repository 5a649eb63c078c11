/*
 * history.c - bugs from fixes: a unified diff against the buggy revision gives the changed
 * lines there; the indexed graph of that revision gives the functions holding them. Used by
 * `codecomp mine` (fix commits of a repository's history, libgit2) and by the SWE-bench style
 * importer (patch + base_commit). See cc_corpus.h.
 */
#include "cc_corpus.h"

#include <ctype.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	char path[1024];
	uint32_t *lines;
	size_t n, cap;
} dfile;

static int add_line(dfile *f, uint32_t l)
{
	if (f->n == f->cap) {
		size_t c = f->cap ? 2 * f->cap : 16;
		uint32_t *v = realloc(f->lines, c * sizeof(*v));
		if (!v)
			return cc_error_set(CC_ENOMEM, "out of memory");
		f->lines = v;
		f->cap = c;
	}
	f->lines[f->n++] = l;
	return CC_OK;
}

/* A changed line that carries no code: blank, or only a comment ('#' in Python, '//' or a
 * block comment's start in the C family). Such lines do not place a bug. */
static int noncode_line(const char *p, size_t l, const char *path)
{
	size_t i = 1; /* past the '-' or '+' */
	while (i < l && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
		i++;
	if (i == l)
		return 1;
	cc_lang lang = cc_lang_from_path(path);
	if (lang == CC_LANG_PYTHON)
		return p[i] == '#';
	return i + 1 < l && p[i] == '/' && (p[i + 1] == '/' || p[i + 1] == '*');
}

/* Parse a unified diff: per file (old path), the old-side lines removed or changed; a pure
 * insertion counts the old line it follows (or line 1). Blank and comment-only lines
 * (noncode_line) are not counted. */
static int parse_diff(dfile **out, size_t *nout, const char *patch)
{
	dfile *v = NULL;
	size_t n = 0;
	const char *p = patch;
	uint32_t old_line = 0;
	int in_hunk = 0, rc = CC_OK;
	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l >= 4 && !strncmp(p, "--- ", 4)) {
			in_hunk = 0;
			dfile *nv = realloc(v, (n + 1) * sizeof(*nv));
			if (!nv) {
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
			v = nv;
			memset(&v[n], 0, sizeof(v[n]));
			const char *s = p + 4;
			size_t sl = l - 4;
			if (sl >= 2 && s[0] == 'a' && s[1] == '/') {
				s += 2;
				sl -= 2;
			}
			while (sl && (s[sl - 1] == '\r' || s[sl - 1] == '\t' || s[sl - 1] == ' '))
				sl--;
			if (sl >= sizeof(v[n].path))
				sl = sizeof(v[n].path) - 1;
			memcpy(v[n].path, s, sl);
			v[n].path[sl] = 0;
			if (!strcmp(v[n].path, "/dev/null"))
				v[n].path[0] = 0; /* a new file: no old lines */
			n++;
		} else if (l >= 3 && !strncmp(p, "@@ ", 3) && n) {
			unsigned a = 0;
			if (sscanf(p, "@@ -%u", &a) == 1) {
				old_line = a;
				in_hunk = 1;
			}
		} else if (in_hunk && n && v[n - 1].path[0]) {
			if (p[0] == '-' && !(l >= 3 && !strncmp(p, "---", 3))) {
				if (!noncode_line(p, l, v[n - 1].path) && (rc = add_line(&v[n - 1], old_line)))
					goto out;
				old_line++;
			} else if (p[0] == '+' && noncode_line(p, l, v[n - 1].path)) {
				/* an inserted blank or comment line places nothing */
			} else if (p[0] == '+') {
				/* an insertion: the line before it (or the first line) */
				uint32_t at = old_line > 1 ? old_line - 1 : 1;
				if (!v[n - 1].n || v[n - 1].lines[v[n - 1].n - 1] != at)
					if ((rc = add_line(&v[n - 1], at)))
						goto out;
			} else if (p[0] == ' ') {
				old_line++;
			} else if (p[0] != '\\') {
				in_hunk = 0;
			}
		}
		p = e ? e + 1 : NULL;
	}
	*out = v;
	*nout = n;
	v = NULL;
	n = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(v[i].lines);
	free(v);
	return rc;
}

/* Identifiers of the text that name the answer (the function, its qualified name, the file's
 * base name without extension). */
static int giveaways(cc_bug *b, const char *text)
{
	const char *cands[3] = {b->function, b->qualified, NULL};
	char stem[256] = "";
	const char *bn = strrchr(b->file, '/');
	bn = bn ? bn + 1 : b->file;
	snprintf(stem, sizeof(stem), "%s", bn);
	char *dot = strrchr(stem, '.');
	if (dot)
		*dot = 0;
	cands[2] = stem;
	b->giveaway = calloc(3, sizeof(char *));
	if (!b->giveaway)
		return cc_error_set(CC_ENOMEM, "out of memory");
	for (int i = 0; i < 3; i++) {
		const char *c = cands[i];
		size_t cl = c ? strlen(c) : 0;
		if (cl < 3)
			continue;
		int dup = 0;
		for (size_t k = 0; k < b->n_giveaway; k++)
			dup |= !strcmp(b->giveaway[k], c);
		if (dup)
			continue;
		for (const char *p = text; (p = strstr(p, c)); p++) {
			int before = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
			int after = !(isalnum((unsigned char)p[cl]) || p[cl] == '_');
			if (before && after) {
				if (!(b->giveaway[b->n_giveaway] = strdup(c)))
					return cc_error_set(CC_ENOMEM, "out of memory");
				b->n_giveaway++;
				break;
			}
		}
	}
	return CC_OK;
}

/* A test file (a "test" or "tests" folder, test_*, *_test.*, conftest.py) or a Python type stub
 * (.pyi): the tests that come with a fix, and the stubs, are not where the bug was. */
static int is_test_path(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	const char *dot = strrchr(b, '.');
	if (dot && !strcmp(dot, ".pyi"))
		return 1;
	size_t stem = dot ? (size_t)(dot - b) : strlen(b);
	if (!strncmp(b, "test_", 5) || !strcmp(b, "conftest.py") ||
	    (stem >= 5 && !strncmp(b + stem - 5, "_test", 5)))
		return 1;
	for (const char *p = path; *p;) {
		const char *e = strchr(p, '/');
		if (!e)
			break;
		size_t n = (size_t)(e - p);
		if ((n == 4 && !strncmp(p, "test", 4)) || (n == 5 && !strncmp(p, "tests", 5)))
			return 1;
		p = e + 1;
	}
	return 0;
}

int cc_corpus_from_diff(cc_bug *out, int *found, cc_store *s, const char *repo_path,
                        const char *rev, const char *patch, const char *issue, const char *id,
                        const char *source, const char *repo_field)
{
	cc_store_rev *r = NULL;
	cc_store_file *file = NULL;
	dfile *df = NULL;
	size_t ndf = 0;
	int rc;
	memset(out, 0, sizeof(*out));
	*found = 0;
	if ((rc = parse_diff(&df, &ndf, patch)))
		return rc;
	if ((rc = cc_store_rev_open(&r, s, repo_path, rev)))
		goto out;
	/* functions holding changed lines, over every file of the diff */
	struct fn {
		char path[1024];
		uint32_t index, start, end;
		char *name, *qual;
		uint32_t lines[64];
		size_t nl;
	} fns[4];
	size_t nfn = 0;
	int outside = 0; /* changed lines outside any function */
	for (size_t i = 0; i < ndf; i++) {
		if (!df[i].path[0] || !df[i].n)
			continue;
		if (cc_lang_from_path(df[i].path) == CC_LANG_UNKNOWN || is_test_path(df[i].path))
			continue;
		cc_store_file_free(file);
		file = NULL;
		if (cc_store_rev_file(&file, r, df[i].path) != CC_OK) {
			outside = 1;
			continue;
		}
		const cc_file_graph *g = file->graph;
		for (size_t k = 0; k < df[i].n; k++) {
			uint32_t l = df[i].lines[k];
			int best = -1;
			for (uint32_t ni = 0; g && ni < g->n_nodes; ni++) {
				const cc_node *nd = &g->nodes[ni];
				if (nd->kind == CC_NODE_METHOD && nd->start_line <= l && l <= nd->end_line &&
				    (best < 0 || nd->start_line >= g->nodes[best].start_line))
					best = (int)ni;
			}
			if (best < 0) {
				outside = 1;
				continue;
			}
			size_t f;
			for (f = 0; f < nfn; f++)
				if (!strcmp(fns[f].path, df[i].path) && fns[f].index == (uint32_t)best)
					break;
			if (f == nfn) {
				if (nfn == 4) {
					nfn++; /* more than 3: not a localized bug */
					break;
				}
				memset(&fns[f], 0, sizeof(fns[f]));
				snprintf(fns[f].path, sizeof(fns[f].path), "%s", df[i].path);
				fns[f].index = (uint32_t)best;
				fns[f].start = g->nodes[best].start_line;
				fns[f].end = g->nodes[best].end_line;
				fns[f].name = strdup(g->names + g->nodes[best].name);
				fns[f].qual = strdup(g->nodes[best].qual ? g->names + g->nodes[best].qual : "");
				nfn++;
			}
			if (fns[f].nl < 64 && (!fns[f].nl || fns[f].lines[fns[f].nl - 1] != l))
				fns[f].lines[fns[f].nl++] = l;
		}
		if (nfn > 3)
			break;
	}
	if (nfn >= 1 && nfn <= 3 && !outside) {
		/* ground truth: the first function of the diff; the others listed in lines */
		out->id = strdup(id);
		out->source = strdup(source);
		out->repo = strdup(repo_field ? repo_field : repo_path);
		out->rev = strdup(rev);
		out->commit = strdup(cc_store_rev_commit(r));
		out->file = strdup(fns[0].path);
		out->function = strdup(fns[0].name ? fns[0].name : "");
		const char *qual = fns[0].qual && fns[0].qual[0] ? fns[0].qual : out->function;
		out->qualified = strdup(qual ? qual : "");
		out->start_line = fns[0].start;
		out->end_line = fns[0].end;
		out->lines = malloc(fns[0].nl * sizeof(uint32_t) + 1);
		out->issue = strdup(issue);
		if (!out->id || !out->source || !out->repo || !out->rev || !out->commit || !out->file ||
		    !out->function || !out->qualified || !out->lines || !out->issue) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			cc_bug_clear(out);
			goto fnfree;
		}
		memcpy(out->lines, fns[0].lines, fns[0].nl * sizeof(uint32_t));
		out->n_lines = fns[0].nl;
		if ((rc = giveaways(out, issue))) {
			cc_bug_clear(out);
			goto fnfree;
		}
		*found = 1;
	}
fnfree:
	for (size_t f = 0; f < nfn && f < 4; f++) {
		free(fns[f].name);
		free(fns[f].qual);
	}
out:
	cc_store_file_free(file);
	cc_store_rev_free(r);
	for (size_t i = 0; i < ndf; i++)
		free(df[i].lines);
	free(df);
	return rc;
}

typedef struct {
	char *ptr;
	size_t len, cap;
} sbuf;

static int sbuf_put(sbuf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t c = b->cap ? b->cap : 4096;
		while (c < b->len + n + 1)
			c *= 2;
		char *np = realloc(b->ptr, c);
		if (!np)
			return -1;
		b->ptr = np;
		b->cap = c;
	}
	memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = 0;
	return 0;
}

static int diff_cb(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l,
                   void *payload)
{
	(void)d;
	(void)h;
	sbuf *b = payload;
	char c = l->origin;
	if ((c == GIT_DIFF_LINE_CONTEXT || c == GIT_DIFF_LINE_ADDITION ||
	     c == GIT_DIFF_LINE_DELETION) &&
	    sbuf_put(b, &c, 1))
		return -1;
	return sbuf_put(b, l->content, l->content_len) ? -1 : 0;
}

/* Whether the word w starts a word of low (the word may go on: "fix" matches "fixes"). */
static int has_word(const char *low, const char *w, int whole)
{
	size_t wl = strlen(w);
	for (const char *p = strstr(low, w); p; p = strstr(p + 1, w))
		if ((p == low || !isalpha((unsigned char)p[-1])) && (!whole || !isalpha((unsigned char)p[wl])))
			return 1;
	return 0;
}

/* A commit message that reads as a fix of a bug: its first line has a fix word, and none of the
 * words of fixes that change no behaviour (typos, documentation, comments, linters, typing). */
static int is_fix(const char *msg)
{
	/* not "issue": "Issue 894: ilen beautification" names a ticket, not a fix */
	static const char *const words[] = {"fix", "bug", "crash", "wrong", "incorrect", "regression",
	                                    "error", "broken", NULL};
	/* word starts ("typo" also matches "typos", "doc" "documentation") and whole words */
	static const char *const not_bugs[] = {"typo", "doc", "comment", "grammar", "spelling",
	                                       "wording", "clarif", "note", "lint", "flake8",
	                                       "ruff", "mypy", "pep8", "pylint", "pyflakes", "isort",
	                                       "whitespace", "changelog", "readme", "typing",
	                                       "annotation", "hint", "long line", "formatting",
	                                       "beautif", "code block", "refactor", NULL};
	static const char *const not_bugs_whole[] = {"ci", "tox", "types", NULL};
	char low[512];
	size_t i;
	for (i = 0; msg[i] && i + 1 < sizeof(low) && msg[i] != '\n'; i++)
		low[i] = (char)tolower((unsigned char)msg[i]);
	low[i] = 0;
	for (const char *const *w = not_bugs; *w; w++)
		if (has_word(low, *w, 0))
			return 0;
	for (const char *const *w = not_bugs_whole; *w; w++)
		if (has_word(low, *w, 1))
			return 0;
	for (const char *const *w = words; *w; w++)
		if (has_word(low, *w, 0))
			return 1;
	return 0;
}

int cc_corpus_mine(cc_bug **bugs, size_t *n_bugs, size_t *n_fixes, cc_store *s,
                   const char *repo_path, size_t max_commits, const char *repo_field)
{
	git_repository *repo = NULL;
	git_revwalk *walk = NULL;
	cc_bug *v = NULL;
	size_t n = 0, cap = 0, fixes = 0, seen = 0;
	int rc = CC_OK;
	git_oid oid;
	*bugs = NULL;
	*n_bugs = 0;
	git_libgit2_init();
	if (git_repository_open(&repo, repo_path) < 0 || git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_push_head(walk) < 0) {
		const git_error *e = git_error_last();
		rc = cc_error_set(CC_EGIT, "%s: %s", repo_path, e && e->message ? e->message : "not a repository");
		goto out;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	while (!git_revwalk_next(&oid, walk) && (!max_commits || seen < max_commits)) {
		git_commit *c = NULL, *parent = NULL;
		git_tree *t = NULL, *pt = NULL;
		git_diff *diff = NULL;
		sbuf buf = {0};
		seen++;
		if (git_commit_lookup(&c, repo, &oid) < 0)
			continue;
		const char *msg = git_commit_message(c);
		if (git_commit_parentcount(c) != 1 || !msg || !is_fix(msg) ||
		    git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&t, c) < 0 ||
		    git_commit_tree(&pt, parent) < 0 ||
		    git_diff_tree_to_tree(&diff, repo, pt, t, NULL) < 0 ||
		    git_diff_print(diff, GIT_DIFF_FORMAT_PATCH, diff_cb, &buf) < 0) {
			goto next;
		}
		fixes++;
		{
			char phex[41], id[128];
			git_oid_tostr(phex, sizeof(phex), git_commit_id(parent));
			char chex[41];
			git_oid_tostr(chex, sizeof(chex), &oid);
			snprintf(id, sizeof(id), "fix-%.12s", chex);
			/* the buggy revision must be indexed: incremental, blobs are shared */
			cc_index_opts io = {0};
			cc_index_result ir;
			io.rev = phex;
			io.threads = 1;
			if ((rc = cc_store_index_run(&ir, s, repo_path, &io))) {
				free(buf.ptr);
				git_diff_free(diff);
				git_tree_free(t);
				git_tree_free(pt);
				git_commit_free(parent);
				git_commit_free(c);
				goto out;
			}
			cc_index_result_clear(&ir);
			cc_bug b;
			int found = 0;
			rc = cc_corpus_from_diff(&b, &found, s, repo_path, phex, buf.ptr ? buf.ptr : "", msg,
			                         id, "mine", repo_field);
			if (rc == CC_OK && found) {
				if (n == cap) {
					cap = cap ? 2 * cap : 32;
					cc_bug *nv = realloc(v, cap * sizeof(*nv));
					if (!nv) {
						cc_bug_clear(&b);
						rc = cc_error_set(CC_ENOMEM, "out of memory");
					} else {
						v = nv;
					}
				}
				if (rc == CC_OK) {
					free(b.base_commit);
					b.base_commit = strdup(chex); /* the fix */
					v[n++] = b;
				}
			}
		}
	next:
		free(buf.ptr);
		git_diff_free(diff);
		git_tree_free(t);
		git_tree_free(pt);
		git_commit_free(parent);
		git_commit_free(c);
		if (rc)
			goto out;
	}
	*bugs = v;
	*n_bugs = n;
	v = NULL;
	n = 0;
	if (n_fixes)
		*n_fixes = fixes;
out:
	cc_bugs_free(v, n);
	git_revwalk_free(walk);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
