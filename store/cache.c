/*
 * cache.c - what a store handle keeps between reading calls, so that a daemon worker answering
 * `nodes` and `edges` requests does not redo per call what does not change: the opened git
 * repository (git_repository_open reads the configuration files, a large part of a small
 * answer), the prepared SQLite statements, and (rev.c) the loaded revision edges resolve call
 * edges from.
 *
 * The default database path of a repository (cc_store_default_db_path) is remembered per
 * process, since a daemon asks for it on every request that names no database: a few entries
 * under a mutex, checked like the handle's repository below before each reuse.
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

#include <pthread.h>
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

static int stamp_take(cc_repo_stamp *out, const char *repo_path, const char *gitdir)
{
	struct stat st, gst;
	if (stat(repo_path, &st) != 0 || stat(gitdir, &gst) != 0)
		return -1;
	out->dev = st.st_dev;
	out->ino = st.st_ino;
	out->gdev = gst.st_dev;
	out->gino = gst.st_ino;
	out->gctime = gst.st_ctim;
	return 0;
}

static int stamp_eq(const cc_repo_stamp *a, const cc_repo_stamp *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->gdev == b->gdev && a->gino == b->gino &&
	       a->gctime.tv_sec == b->gctime.tv_sec && a->gctime.tv_nsec == b->gctime.tv_nsec;
}

static void repo_clear(cc_store *s)
{
	git_repository_free(s->repo.repo);
	free(s->repo.arg);
	free(s->repo.key);
	memset(&s->repo, 0, sizeof(s->repo));
}

int cc_store_repo(git_repository **repo, const char **key, cc_store *s, const char *repo_path)
{
	cc_repo_stamp now;
	int rc;

	*repo = NULL;
	*key = NULL;
	if (s->repo.repo && s->repo.arg && !strcmp(s->repo.arg, repo_path) &&
	    stamp_take(&now, repo_path, git_repository_path(s->repo.repo)) == 0 &&
	    stamp_eq(&now, &s->repo.stamp)) {
		*repo = s->repo.repo;
		*key = s->repo.key;
		return CC_OK;
	}
	repo_clear(s);
	if ((rc = cc_git_open(&s->repo.repo, repo_path)))
		return rc;
	/* Stamped after opening: a change between the two only costs a reopen next time. One
	 * that cannot be stamped is used for this call only (arg NULL never matches). */
	if (stamp_take(&s->repo.stamp, repo_path, git_repository_path(s->repo.repo)) == 0 &&
	    !(s->repo.arg = strdup(repo_path))) {
		repo_clear(s);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	if ((rc = cc_git_repo_key(&s->repo.key, s->repo.repo))) {
		repo_clear(s);
		return rc;
	}
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
	if (s->rev)
		s->rev_release(s->rev);
	s->rev = NULL;
}

void cc_store_free(cc_store *s)
{
	if (!s)
		return;
	cc_store_cache_clear(s);
	sqlite3_close_v2(s->db);
	free(s->path);
	free(s);
}

/* ---- default database paths ---- */

#define DB_PATHS 16

static struct {
	pthread_mutex_t lock;
	struct {
		char *arg, *gitdir, *db;
		cc_repo_stamp stamp;
	} e[DB_PATHS];
	unsigned next;
} db_paths = {.lock = PTHREAD_MUTEX_INITIALIZER};

int cc_store_default_db_path(char **out, const char *repo_path)
{
	git_repository *repo = NULL;
	cc_repo_stamp now;
	int rc;

	*out = NULL;
	pthread_mutex_lock(&db_paths.lock);
	for (unsigned i = 0; i < DB_PATHS && !*out; i++)
		if (db_paths.e[i].arg && !strcmp(db_paths.e[i].arg, repo_path) &&
		    stamp_take(&now, repo_path, db_paths.e[i].gitdir) == 0 &&
		    stamp_eq(&now, &db_paths.e[i].stamp))
			if (!(*out = strdup(db_paths.e[i].db)))
				break;
	pthread_mutex_unlock(&db_paths.lock);
	if (*out)
		return CC_OK;

	if ((rc = cc_git_open(&repo, repo_path)))
		return rc;
	const char *gd = git_repository_path(repo); /* ends with '/' */
	size_t n = strlen(gd);
	if (!(*out = malloc(n + 16))) {
		git_repository_free(repo);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	snprintf(*out, n + 16, "%s%scodecomp.db", gd, n && gd[n - 1] == '/' ? "" : "/");
	if (stamp_take(&now, repo_path, gd) == 0) {
		pthread_mutex_lock(&db_paths.lock);
		unsigned i = db_paths.next++ % DB_PATHS;
		free(db_paths.e[i].arg);
		free(db_paths.e[i].gitdir);
		free(db_paths.e[i].db);
		/* A remembered path is only a shortcut: one that cannot be copied is not kept. */
		db_paths.e[i].arg = strdup(repo_path);
		db_paths.e[i].gitdir = strdup(gd);
		db_paths.e[i].db = strdup(*out);
		if (!db_paths.e[i].arg || !db_paths.e[i].gitdir || !db_paths.e[i].db) {
			free(db_paths.e[i].arg);
			free(db_paths.e[i].gitdir);
			free(db_paths.e[i].db);
			db_paths.e[i].arg = db_paths.e[i].gitdir = db_paths.e[i].db = NULL;
		}
		db_paths.e[i].stamp = now;
		pthread_mutex_unlock(&db_paths.lock);
	}
	git_repository_free(repo);
	return CC_OK;
}
