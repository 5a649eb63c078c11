/*
 * git.c - what the indexer reads from git: the files of a commit's tree, or of the working
 * tree (tracked files with their uncommitted content plus untracked, not ignored files), each
 * with its blob id, size, language and skip decision (vendored/generated/excluded paths,
 * size limit, symlinks, submodules). Content checks (binary, generated markers) happen later
 * in the parser threads, which read the bytes anyway; so does the final choice of language
 * (cc_lang_detect: a .h header of C++ content is C++), while the language by path
 * (cc_lang_from_path) only filters the paths here.
 */
#include "store_int.h"

#include <fnmatch.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static pthread_once_t git_once = PTHREAD_ONCE_INIT;
static void git_init_once(void) { git_libgit2_init(); }

static const char *const default_vendored[] = {"vendor/", "vendored/", "_vendor/",
                                               "third_party/", "third-party/", "thirdparty/",
                                               "node_modules/", "bower_components/", NULL};
static const char *const default_generated[] = {
	"*.min.js", "*_pb2.py", "*_pb2_grpc.py", "*.pb.go", "*.pb.cc", "*.pb.h", "*.pb.c",
	"*_generated.*", "*.generated.*", "*.g.dart", NULL};

static const char *git_msg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

int cc_git_open(git_repository **out, const char *path)
{
	struct stat st;
	pthread_once(&git_once, git_init_once);
	*out = NULL;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return cc_error_set(CC_EGIT, "%s: no such directory", path);
	if (git_repository_open_ext(out, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0) {
		*out = NULL;
		return cc_error_set(CC_EGIT, "%s is not a git repository", path);
	}
	return CC_OK;
}

int cc_git_resolve(char out[41], git_repository *repo, const char *rev)
{
	git_object *obj = NULL, *commit = NULL;
	int rc = CC_OK;
	if (!rev)
		rev = "HEAD";
	if (git_revparse_single(&obj, repo, rev) != 0) {
		if (!strcmp(rev, "HEAD") && git_repository_head_unborn(repo) == 1)
			return cc_error_set(CC_ENOTFOUND, "repository has no commits yet (HEAD is unborn)");
		return cc_error_set(CC_ENOTFOUND, "revision '%s' not found", rev);
	}
	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) != 0) {
		rc = cc_error_set(CC_ENOTFOUND, "revision '%s' does not name a commit", rev);
		goto out;
	}
	git_oid_tostr(out, 41, git_object_id(commit));
out:
	git_object_free(commit);
	git_object_free(obj);
	return rc;
}

int cc_git_repo_key(char **out, git_repository *repo)
{
	const char *p = git_repository_workdir(repo);
	char buf[PATH_MAX];
	if (!p)
		p = git_repository_path(repo);
	if (!realpath(p, buf))
		snprintf(buf, sizeof(buf), "%s", p);
	size_t n = strlen(buf);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = 0;
	if (!(*out = strdup(buf)))
		return cc_error_set(CC_ENOMEM, "out of memory");
	return CC_OK;
}

char *cc_git_relpath(git_repository *repo, const char *path)
{
	const char *wd = git_repository_workdir(repo);
	if (wd && path[0] == '/') {
		char buf[PATH_MAX], wbuf[PATH_MAX];
		size_t n;
		/* The file may not exist any more (a path of an old revision): compare as given
		 * and after resolving the work tree's symlinks. */
		if (realpath(wd, wbuf)) {
			n = strlen(wbuf);
			if (!strncmp(path, wbuf, n) && path[n] == '/')
				return strdup(path + n + 1);
		}
		if (realpath(path, buf)) {
			n = strlen(wbuf);
			if (!strncmp(buf, wbuf, n) && buf[n] == '/')
				return strdup(buf + n + 1);
		}
		n = strlen(wd);
		if (!strncmp(path, wd, n))
			return strdup(path + n);
	}
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return strdup(path);
}

size_t cc_git_max_bytes(const cc_index_opts *o)
{
	size_t max = o && o->max_file_bytes ? o->max_file_bytes : (size_t)1 << 20;
	return max > (size_t)1 << 30 ? (size_t)1 << 30 : max;
}

/* ---- exclusion ---- */

/* fnmatch(pat, str, 0) with shortcuts for the common shapes (no glob characters, or one
 * leading '*' then none), which are most patterns and would otherwise cost an fnmatch per
 * path component of every file. */
static int pat_match(const char *pat, const char *str)
{
	const char *glob = strpbrk(pat, "*?[\\");
	if (!glob)
		return !strcmp(pat, str);
	if (glob == pat && pat[0] == '*' && !strpbrk(pat + 1, "*?[\\")) {
		size_t pl = strlen(pat + 1), sl = strlen(str);
		return sl >= pl && !strcmp(str + sl - pl, pat + 1);
	}
	return fnmatch(pat, str, 0) == 0;
}

static int match_dir(const char *const *pats, const char *comp, size_t n)
{
	char name[NAME_MAX + 2];
	if (!pats || n > NAME_MAX)
		return 0;
	memcpy(name, comp, n);
	name[n] = '/';
	name[n + 1] = 0;
	for (; *pats; pats++) {
		size_t pl = strlen(*pats);
		if (pl && (*pats)[pl - 1] == '/' && !memchr(*pats, '/', pl - 1) &&
		    pat_match(*pats, name))
			return 1;
	}
	return 0;
}

static int match_file(const char *const *pats, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (!pats)
		return 0;
	for (; *pats; pats++) {
		size_t pl = strlen(*pats);
		if (!pl || (*pats)[pl - 1] == '/')
			continue;
		if (pat_match(*pats, strchr(*pats, '/') ? path : base))
			return 1;
	}
	return 0;
}

/* Decide whether path is excluded. For a directory match, *dirlen is the length of the
 * matching directory prefix (including its '/'), else 0. Returns the reason or NULL. */
static const char *excluded(const cc_index_opts *o, const char *path, size_t *dirlen)
{
	int defaults = !o || !o->no_default_excludes;
	const char *const *user = o ? o->exclude : NULL;
	const char *p = path, *slash;
	*dirlen = 0;
	while ((slash = strchr(p, '/'))) {
		size_t n = (size_t)(slash - p);
		if (match_dir(user, p, n)) {
			*dirlen = (size_t)(slash - path) + 1;
			return "excluded";
		}
		if (defaults && match_dir(default_vendored, p, n)) {
			*dirlen = (size_t)(slash - path) + 1;
			return "vendored";
		}
		p = slash + 1;
	}
	if (match_file(user, path))
		return "excluded";
	if (defaults && match_file(default_generated, path))
		return "generated";
	return NULL;
}

/* The new entry, or NULL with l->oom set when out of memory. */
static cc_git_file *add_file(cc_git_listing *l, const char *path)
{
	if (l->oom)
		return NULL;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		cc_git_file *v = realloc(l->files, cap * sizeof(cc_git_file));
		if (!v) {
			l->oom = 1;
			return NULL;
		}
		l->files = v;
		l->cap = cap;
	}
	cc_git_file *f = &l->files[l->n];
	memset(f, 0, sizeof(*f));
	if (!(f->path = strdup(path))) {
		l->oom = 1;
		return NULL;
	}
	l->n++;
	return f;
}

static void add_dir_skip(cc_git_listing *l, const char *path, size_t dirlen, const char *why)
{
	for (size_t i = l->n; i-- > 0;) {
		const cc_git_file *f = &l->files[i];
		if (f->skip && strlen(f->path) == dirlen && !strncmp(f->path, path, dirlen))
			return;
	}
	char *d = malloc(dirlen + 1);
	if (!d) {
		l->oom = 1;
		return;
	}
	memcpy(d, path, dirlen);
	d[dirlen] = 0;
	cc_git_file *f = add_file(l, d);
	free(d);
	if (f)
		f->skip = why;
}

/* Common checks of one listed file: record it, kept or skipped, or ignore it (a language
 * codecomp does not analyse). */
static void consider(cc_git_listing *l, const cc_index_opts *o, const char *path,
                     git_filemode_t mode, const git_oid *oid, uint64_t size, int workdir)
{
	size_t dirlen;
	size_t max = cc_git_max_bytes(o);
	const char *why = excluded(o, path, &dirlen);
	if (why && dirlen) {
		add_dir_skip(l, path, dirlen, why);
		return;
	}
	if (mode == GIT_FILEMODE_COMMIT) {
		cc_git_file *f = add_file(l, path);
		if (f)
			f->skip = "submodule";
		return;
	}
	cc_lang lang = cc_lang_from_path(path);
	if (lang == CC_LANG_UNKNOWN)
		return;
	cc_git_file *f = add_file(l, path);
	if (!f)
		return;
	f->lang = lang;
	f->size = size;
	f->from_workdir = workdir;
	if (oid)
		f->oid = *oid;
	if (why)
		f->skip = why;
	else if (mode == GIT_FILEMODE_LINK)
		f->skip = "symlink";
	else if (size > max)
		f->skip = "too-large";
}

/* One modified or untracked work tree file that lstat found not to be a symlink: hashed from
 * a descriptor opened without following symlinks nor blocking (cc_read_regular_file), so a
 * FIFO or device is skipped rather than waited on, and the indexer later reads that same
 * file (device and inode are kept) or skips it. */
static void worktree_file(cc_git_listing *l, const cc_index_opts *o, const char *wd,
                          const char *path, const struct stat *sb)
{
	char *buf = NULL;
	size_t len = 0, n = l->n;
	cc_file_id id = {(uint64_t)sb->st_dev, (uint64_t)sb->st_ino};

	consider(l, o, path, GIT_FILEMODE_BLOB, NULL, (uint64_t)sb->st_size, 1);
	if (l->n == n || l->files[l->n - 1].skip)
		return; /* not analysed, excluded or too large: not read */
	cc_git_file *f = &l->files[l->n - 1];
	if (!S_ISREG(sb->st_mode)) {
		f->skip = "not-regular-file";
		return;
	}
	int rc = cc_read_regular_file(&buf, &len, wd, path, cc_git_max_bytes(o), &id);
	if (rc == CC_OK && git_odb_hash(&f->oid, buf, len, GIT_OBJECT_BLOB) != 0)
		rc = CC_EGIT;
	free(buf);
	if (rc) {
		f->skip = rc == CC_EUNSUPPORTED ? "not-regular-file"
		          : rc == CC_ETOOBIG    ? "too-large"
		                                : "unreadable";
		return;
	}
	f->size = len;
	f->fid = id;
}

typedef struct {
	cc_git_listing *l;
	const cc_index_opts *o;
	int rc;
} walk_ctx;

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	walk_ctx *w = payload;
	char path[PATH_MAX];

	if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
		return 0;
	snprintf(path, sizeof(path), "%s%s", root, git_tree_entry_name(e));
	/* Sizes are not read here (that would inflate every object): the indexer checks the size
	 * limit on the blobs it has to read, and on stored ones from the database. */
	consider(w->l, w->o, path, git_tree_entry_filemode(e), git_tree_entry_id(e), 0, 0);
	return 0;
}

static int list_commit(cc_git_listing *l, git_repository *repo, const char *rev,
                       const cc_index_opts *o)
{
	git_oid oid;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	walk_ctx w = {l, o, CC_OK};
	int rc;

	if ((rc = cc_git_resolve(l->commit, repo, rev)))
		return rc;
	git_oid_fromstr(&oid, l->commit);
	if (git_commit_lookup(&commit, repo, &oid) != 0 || git_commit_tree(&tree, commit) != 0) {
		rc = cc_error_set(CC_EGIT, "cannot read the tree of %s: %s", l->commit, git_msg());
		goto out;
	}
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, &w) != 0)
		rc = w.rc ? w.rc : cc_error_set(CC_EGIT, "walking the tree: %s", git_msg());
out:
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

static int status_cmp(const void *a, const void *b)
{
	const git_status_entry *x = *(const git_status_entry *const *)a;
	const git_status_entry *y = *(const git_status_entry *const *)b;
	const char *px = x->index_to_workdir ? x->index_to_workdir->old_file.path : "";
	const char *py = y->index_to_workdir ? y->index_to_workdir->old_file.path : "";
	return strcmp(px, py);
}

static int list_worktree(cc_git_listing *l, git_repository *repo, const cc_index_opts *o)
{
	git_index *idx = NULL;
	git_status_list *sl = NULL;
	git_status_options so;
	const git_status_entry **st = NULL;
	size_t nst = 0;
	int rc = CC_OK;
	const char *wd = git_repository_workdir(repo);
	char full[PATH_MAX];

	snprintf(l->commit, sizeof(l->commit), "worktree");
	if (!wd)
		return cc_error_set(CC_EINVAL, "a bare repository has no working tree");
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
	           GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_repository_index(&idx, repo) != 0 || git_status_list_new(&sl, repo, &so) != 0) {
		rc = cc_error_set(CC_EGIT, "reading the working tree status: %s", git_msg());
		goto out;
	}
	nst = git_status_list_entrycount(sl);
	if (!(st = calloc(nst ? nst : 1, sizeof(*st)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nst; i++)
		st[i] = git_status_byindex(sl, i);
	qsort(st, nst, sizeof(*st), status_cmp);

	size_t n = git_index_entrycount(idx);
	for (size_t i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		if (git_index_entry_stage(e) != 0)
			continue;
		git_status_entry key_e;
		git_diff_delta key_d;
		const git_status_entry *kp = &key_e, **hit;
		memset(&key_d, 0, sizeof(key_d));
		key_d.old_file.path = e->path;
		key_e.index_to_workdir = &key_d;
		hit = bsearch(&kp, st, nst, sizeof(*st), status_cmp);
		unsigned flags = hit ? (*hit)->status : 0;
		if (flags & GIT_STATUS_WT_DELETED)
			continue;
		if (flags & (GIT_STATUS_WT_MODIFIED | GIT_STATUS_WT_TYPECHANGE)) {
			struct stat sb;
			snprintf(full, sizeof(full), "%s%s", wd, e->path);
			if (lstat(full, &sb) != 0)
				continue;
			if (S_ISLNK(sb.st_mode)) {
				consider(l, o, e->path, GIT_FILEMODE_LINK, NULL, 0, 1);
				continue;
			}
			worktree_file(l, o, wd, e->path, &sb);
		} else {
			consider(l, o, e->path, (git_filemode_t)e->mode, &e->id, e->file_size, 0);
		}
	}
	for (size_t i = 0; i < nst; i++) {
		if (!(st[i]->status & GIT_STATUS_WT_NEW) || !st[i]->index_to_workdir)
			continue;
		const char *p = st[i]->index_to_workdir->new_file.path;
		struct stat sb;
		snprintf(full, sizeof(full), "%s%s", wd, p);
		if (lstat(full, &sb) != 0)
			continue;
		if (S_ISLNK(sb.st_mode)) {
			consider(l, o, p, GIT_FILEMODE_LINK, NULL, 0, 1);
			continue;
		}
		worktree_file(l, o, wd, p, &sb);
	}
out:
	free(st);
	git_status_list_free(sl);
	git_index_free(idx);
	return rc;
}

int cc_git_list(cc_git_listing *out, git_repository *repo, const char *rev,
                const cc_index_opts *opts)
{
	int rc;
	const char *wd = git_repository_workdir(repo);
	memset(out, 0, sizeof(*out));
	if (wd && !(out->workdir = strdup(wd)))
		return cc_error_set(CC_ENOMEM, "out of memory");
	if (rev && !strcmp(rev, CC_STORE_WORKTREE))
		rc = list_worktree(out, repo, opts);
	else
		rc = list_commit(out, repo, rev, opts);
	if (!rc && out->oom)
		rc = cc_error_set(CC_ENOMEM, "out of memory while listing the files of %s", out->commit);
	if (rc)
		cc_git_listing_clear(out);
	return rc;
}

void cc_git_listing_clear(cc_git_listing *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->files[i].path);
	free(l->files);
	free(l->workdir);
	memset(l, 0, sizeof(*l));
}
