/*
 * cache.c - what a store handle keeps between reading calls, so that a daemon worker answering
 * `nodes` and `edges` requests does not redo per call what does not change: the opened git
 * repository (git_repository_open reads the configuration files, a large part of a small
 * answer), the prepared SQLite statements, and (rev.c) the loaded revision edges resolve call
 * edges from.
 *
 * Invalidation. The repository object is reused only for the same path string that still
 * names the same directory and git dir (device and inode of both, change time of the git
 * dir), so a repository removed and created again, or a relative path read from another
 * directory, is opened afresh. Nothing resolved from it is kept: a rev-spec such as HEAD or
 * a branch is resolved on every call, and libgit2 re-reads refs from disk on each lookup
 * (objects are immutable, so its object cache cannot go stale). Database-derived state is
 * keyed on the database's data version, which changes with every commit by any connection.
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const stmt_sql[CC_STMT_COUNT] = {
	[CC_STMT_FIND_REV] = "SELECT r.id FROM revs r JOIN repos p ON p.id = r.repo_id "
	                     "WHERE p.path = ? AND r.commit_hex = ?",
	[CC_STMT_FILE_GRAPH] = "SELECT f.blob_id, g.graph FROM repos p "
	                       "JOIN revs r ON r.repo_id = p.id "
	                       "JOIN rev_files f ON f.rev_id = r.id AND f.path = ? "
	                       "JOIN graphs g ON g.blob_id = f.blob_id "
	                       "WHERE p.path = ? AND r.commit_hex = ?",
	[CC_STMT_REV_BLOB] = "SELECT blob_id FROM rev_files WHERE rev_id=? AND path=?",
	[CC_STMT_GRAPH] = "SELECT graph FROM graphs WHERE blob_id=?",
	[CC_STMT_CONTENT] = "SELECT content FROM contents WHERE blob_id=?",
	[CC_STMT_BLOB_OID] = "SELECT oid FROM blobs WHERE id=?",
};

int cc_store_stmt(sqlite3_stmt **out, cc_store *s, cc_store_stmt_id id, const char *what)
{
	int sqlrc;
	*out = NULL;
	if (!s->stmt[id] &&
	    (sqlrc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
	                                &s->stmt[id], NULL)) != SQLITE_OK) {
		s->stmt[id] = NULL;
		return cc_store_sqlerr(s, sqlrc, what);
	}
	*out = s->stmt[id];
	return CC_OK;
}

unsigned cc_store_data_version(cc_store *s)
{
	unsigned v = 0;
	if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
		return 0;
	return v;
}

static void repo_clear(cc_store *s)
{
	git_repository_free(s->repo.repo);
	free(s->repo.arg);
	free(s->repo.key);
	memset(&s->repo, 0, sizeof(s->repo));
}

/* The git dir of repo, stat'ed; 0 on success. */
static int stat_gitdir(struct stat *st, git_repository *repo)
{
	return stat(git_repository_path(repo), st);
}

int cc_store_repo(git_repository **repo, const char **key, cc_store *s, const char *repo_path)
{
	struct stat st, gst;
	int rc;

	*repo = NULL;
	*key = NULL;
	if (s->repo.repo && s->repo.arg && !strcmp(s->repo.arg, repo_path) && stat(repo_path, &st) == 0 &&
	    st.st_dev == s->repo.dev && st.st_ino == s->repo.ino &&
	    stat_gitdir(&gst, s->repo.repo) == 0 && gst.st_dev == s->repo.gdev &&
	    gst.st_ino == s->repo.gino && gst.st_ctim.tv_sec == s->repo.gctime.tv_sec &&
	    gst.st_ctim.tv_nsec == s->repo.gctime.tv_nsec) {
		*repo = s->repo.repo;
		*key = s->repo.key;
		return CC_OK;
	}
	repo_clear(s);
	if ((rc = cc_git_open(&s->repo.repo, repo_path)))
		return rc;
	/* Stat after opening: a change between the two only costs a reopen on the next call. */
	if (stat(repo_path, &st) == 0 && stat_gitdir(&gst, s->repo.repo) == 0) {
		s->repo.arg = cc_xstrdup(repo_path);
		s->repo.dev = st.st_dev;
		s->repo.ino = st.st_ino;
		s->repo.gdev = gst.st_dev;
		s->repo.gino = gst.st_ino;
		s->repo.gctime = gst.st_ctim;
	} else {
		/* Cannot identify it later: use it for this call only (arg NULL never matches). */
		s->repo.arg = NULL;
	}
	cc_git_repo_key(&s->repo.key, s->repo.repo);
	*repo = s->repo.repo;
	*key = s->repo.key;
	return CC_OK;
}

void cc_store_cache_clear(cc_store *s)
{
	repo_clear(s);
	for (int i = 0; i < CC_STMT_COUNT; i++) {
		sqlite3_finalize(s->stmt[i]);
		s->stmt[i] = NULL;
	}
	cc_store_rev_free(s->rev);
	s->rev = NULL;
}
