/*
 * confine.c - what the daemon may touch: repositories only under its allowed roots
 * (--allow-root, canonical paths with symlinks resolved before the check), databases only at
 * a repository's default place or under the state directory (--state-dir). Refusals never say
 * whether a path outside the roots exists: "does not exist" and "not allowed" read the same.
 */
#include "cc_daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cc_store.h"

static struct {
	int set;      /* cc_confine_init was called (otherwise nothing is confined: unit tests) */
	char **roots; /* canonical, no trailing slash except "/" itself */
	int nroots;
	char *state_dir; /* canonical or NULL */
} C;

/* Canonical form of dir (must exist and be a directory); malloc'd or NULL with a message. */
static char *canonical_dir(const char *dir, const char *what)
{
	struct stat st;
	char *r = realpath(dir, NULL);
	if (!r || stat(r, &st) != 0 || !S_ISDIR(st.st_mode)) {
		cc_error_set(CC_EINVAL, "%s '%s' is not an existing directory", what, dir);
		free(r);
		return NULL;
	}
	return r;
}

int cc_confine_init(const char *const *roots, int nroots, const char *state_dir)
{
	cc_confine_free();
	C.set = 1;
	C.roots = cc_xcalloc((size_t)(nroots > 0 ? nroots : 1), sizeof(char *));
	for (int i = 0; i < nroots; i++) {
		if (roots[i][0] != '/')
			return cc_error_set(CC_EINVAL, "--allow-root '%s' must be an absolute path", roots[i]);
		if (!(C.roots[C.nroots] = canonical_dir(roots[i], "--allow-root")))
			return CC_EINVAL;
		C.nroots++;
	}
	if (state_dir) {
		if (state_dir[0] != '/')
			return cc_error_set(CC_EINVAL, "--state-dir '%s' must be an absolute path", state_dir);
		if (!(C.state_dir = canonical_dir(state_dir, "--state-dir")))
			return CC_EINVAL;
	}
	return CC_OK;
}

void cc_confine_free(void)
{
	for (int i = 0; i < C.nroots; i++)
		free(C.roots[i]);
	free(C.roots);
	free(C.state_dir);
	memset(&C, 0, sizeof(C));
}

/* path (canonical) is dir or below it. */
static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (!strcmp(dir, "/"))
		return path[0] == '/';
	return !strncmp(path, dir, n) && (path[n] == 0 || path[n] == '/');
}

int cc_confine_repo(char **out, const char *repo)
{
	char *r;
	*out = NULL;
	if (repo[0] != '/')
		return cc_error_set(CC_EINVAL,
		                    "parameter 'repo' must be an absolute path (the daemon does not share "
		                    "your working directory), got '%.200s'",
		                    repo);
	r = realpath(repo, NULL);
	if (r && C.set) {
		int ok = 0;
		for (int i = 0; i < C.nroots && !ok; i++)
			ok = under(r, C.roots[i]);
		if (!ok) {
			free(r);
			r = NULL;
		}
	}
	if (!r)
		/* One answer for "missing" and "outside the roots": nothing to learn about paths
		 * the daemon does not serve. */
		return cc_error_set(CC_ENOTFOUND,
		                    "repository '%.200s' does not exist or is outside the daemon's "
		                    "allowed roots (codecompd --allow-root)",
		                    repo);
	*out = r;
	return CC_OK;
}

/* Canonical path of a database file that may not exist yet: its directory resolved, its name
 * kept (not ".", "..", empty). malloc'd or NULL. */
static char *canonical_file(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *cdir, *out;
	size_t n;
	if (!slash || !slash[1] || !strcmp(slash + 1, ".") || !strcmp(slash + 1, ".."))
		return NULL;
	n = (size_t)(slash - path);
	dir = cc_xmalloc(n + 2);
	memcpy(dir, path, n);
	dir[n ? n : 1] = 0;
	if (!n)
		dir[0] = '/';
	cdir = realpath(dir, NULL);
	free(dir);
	if (!cdir)
		return NULL;
	n = strlen(cdir) + strlen(slash) + 1;
	out = cc_xmalloc(n);
	snprintf(out, n, "%s%s", strcmp(cdir, "/") ? cdir : "", slash);
	free(cdir);
	return out;
}

int cc_confine_db(char **out, const char *repo, const char *db)
{
	char *def = NULL, *cdef = NULL, *cdb = NULL;
	struct stat st;
	int rc = CC_OK;
	*out = NULL;
	/* With an explicit db the repository need not be a git repository yet (the job says so). */
	if ((rc = cc_store_default_db_path(&def, repo)) != CC_OK) {
		if (!db)
			return rc;
		cc_error_clear();
		rc = CC_OK;
	}
	if (!db) {
		*out = def;
		return CC_OK;
	}
	if (db[0] != '/') {
		rc = cc_error_set(CC_EINVAL, "parameter 'db' must be an absolute path, got '%.200s'", db);
		goto out;
	}
	if (!C.set) {
		*out = cc_xstrdup(db);
		goto out;
	}
	cdb = canonical_file(db);
	cdef = def ? canonical_file(def) : NULL;
	if (cdb && cdef && !strcmp(cdb, cdef)) {
		*out = cdb;
		cdb = NULL;
		goto out;
	}
	if (cdb && C.state_dir && under(cdb, C.state_dir) && strcmp(cdb, C.state_dir) &&
	    (lstat(cdb, &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode))) {
		*out = cdb;
		cdb = NULL;
		goto out;
	}
	rc = cc_error_set(CC_EINVAL,
	                  "parameter 'db' ('%.200s') must be the repository's default database or a "
	                  "file under the daemon's state directory (codecompd --state-dir%s)",
	                  db, C.state_dir ? "" : ", not set");
out:
	free(def);
	free(cdef);
	free(cdb);
	return rc;
}

json_t *cc_confine_json(void)
{
	json_t *roots = json_array();
	for (int i = 0; i < C.nroots; i++)
		json_array_append_new(roots, json_string(C.roots[i]));
	return json_pack("{s:o, s:o}", "allow_roots", roots, "state_dir",
	                 C.state_dir ? json_string(C.state_dir) : json_null());
}
