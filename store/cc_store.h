/*
 * cc_store.h - the code property graph store: SQLite, content-addressed by git blob id, fed by
 * a parallel indexer that reads revisions (or the working tree) through libgit2.
 *
 * A blob is analysed once, whatever commits, branches or paths share it; its graph (nodes and
 * intra-file edges, see analysis.h) is stored with the blob. An indexed revision is the list of
 * (path, blob) of its files plus the skipped paths; call edges are resolved per revision from
 * the definitions, calls and imports recorded for each blob (resolution is cheap and
 * deterministic, so it runs when a revision is opened for reading, and when a revision is
 * indexed, to count the edges: there only for the files a commit can have changed the edges
 * of, the previous revision's per-file counts are carried forward for the others).
 *
 * Node ids are global in one database: id = (blob row id << 24) | node index. They are stable
 * for the life of the database (re-indexing never renumbers) and identical between two
 * databases built from the same revisions in the same order.
 *
 * Threads: a cc_store handle (one SQLite connection) is used by one thread at a time; open one
 * handle per thread. Readers proceed while another process or handle indexes (WAL, busy
 * timeout). cc_store_index_run starts its own parser threads internally.
 *
 * A handle keeps what repeated reads need between calls: the git repository it last read
 * (rev-specs such as HEAD are still resolved on every call), its prepared statements, and the
 * revision it last loaded for call edges (cc_store_file_edges, cc_store_rev_open: the
 * definitions, calls and imports of every file, ~2 MiB for the 665 files of the Python
 * standard library), dropped as soon as anything writes to the database. So keep a handle open for a series of reads;
 * cc_store_free releases it all.
 *
 * Default database location: REPO/.git/codecomp.db (the git directory of REPO; for a bare
 * repository, REPO/codecomp.db) - see cc_store_default_db_path.
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_STORE_H
#define CC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "cc_common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cc_store cc_store;

/* Open flags. */
#define CC_STORE_READONLY 0x1 /* never create or write (nodes/edges/status readers) */

/* The rev-spec that names the working tree (tracked files with uncommitted changes plus
 * untracked, not ignored files) instead of a commit. */
#define CC_STORE_WORKTREE ":worktree"

/* Open (creating unless CC_STORE_READONLY) the database at db_path, set WAL mode and the busy
 * timeout, and migrate its schema to the current version. Fails with CC_ENOTFOUND (read-only
 * and absent), CC_EDB (not a SQLite database, corrupt, written by a newer codecomp, or a
 * SQLite database that is not codecomp's), CC_EBUSY (locked by another writer past the busy
 * timeout). The message names the file. The caller frees *out with cc_store_free. */
int cc_store_open(cc_store **out, const char *db_path, int flags);
void cc_store_free(cc_store *s); /* NULL ok */

/* Busy timeout in milliseconds for this handle (default 5000, or the environment variable
 * CODECOMP_BUSY_TIMEOUT_MS). */
void cc_store_set_busy_timeout(cc_store *s, int ms);

/* The default database path of a repository (see the top of this file) in a malloc'd string
 * the caller frees. Fails with CC_EGIT when repo_path is not a git repository. Answers are
 * remembered per process (thread-safe) while the path names the same directory and git dir,
 * so asking once per request costs two stat calls rather than opening the repository. */
int cc_store_default_db_path(char **out, const char *repo_path);

/* ---- indexing ---------------------------------------------------------------------------- */

typedef struct {
	const char *phase;    /* "listing", "parsing", "linking" */
	uint64_t files_total; /* files considered in the revision */
	uint64_t blobs_total; /* blobs that need parsing */
	uint64_t blobs_done;  /* blobs parsed and stored so far */
	/* bytes of the blobs that need parsing, when known (work tree); 0 for a commit, whose
	 * blob sizes are read while parsing */
	uint64_t bytes_total;
	uint64_t bytes_done;
} cc_index_progress;

typedef struct {
	const char *rev;       /* rev-spec; NULL = "HEAD"; CC_STORE_WORKTREE = the working tree */
	size_t max_file_bytes; /* files larger are skipped ("too-large"); 0 = 1 MiB; at most 1 GiB */
	/* extra fnmatch(3) patterns on repo-relative paths (and on each directory, as "dir/"),
	 * NULL-terminated; may be NULL */
	const char *const *exclude;
	/* do not apply the built-in vendored/generated patterns nor the "@generated" / "DO NOT
	 * EDIT" markers of file heads */
	int no_default_excludes;
	int threads;          /* parser threads; 0 = all cores */
	volatile int *cancel; /* polled; non-zero stops the run with CC_ECANCELED */
	/* called from the calling thread */
	void (*progress)(void *ud, const cc_index_progress *p);
	void *progress_ud;
} cc_index_opts;

typedef struct {
	char *path;
	/* "binary", "too-large", "vendored", "generated", "excluded" (a pattern of
	 * cc_index_opts.exclude), "symlink", "submodule", "unreadable", "not-regular-file"
	 * (FIFO, device, ...), "changed-while-indexing" (the work tree file was replaced
	 * between listing and reading), "git-lfs pointer", "too-many-nodes", or what analysis
	 * refused: "nesting too deep (...)", "parse timed out (...)", "analysis-failed:
	 * <message>". A skipped directory is listed once, as "dir/". */
	char *reason;
} cc_index_skip;

/* A file indexed with syntax errors (its graph covers what parsed). */
typedef struct {
	char *path;
	uint64_t errors; /* ERROR/MISSING nodes */
} cc_index_error_file;
#define CC_INDEX_MAX_ERROR_FILES 1000

/* Summary of one run: totals for the indexed revision (all its files, whether parsed now or
 * reused). Files in languages codecomp does not analyse are not counted nor listed. */
typedef struct {
	uint64_t files; /* files indexed in the revision */
	uint64_t bytes; /* their bytes */
	uint64_t nodes; /* graph nodes of those files */
	uint64_t edges; /* intra-file edges plus resolved call edges */
	/* blobs analysed by this run (not those read, then skipped as binary, generated, too
	 * large, ...) */
	uint64_t parsed_blobs;
	/* blobs found in the store already (stored, or known to be skipped for their content:
	 * binary, generated, ...) */
	uint64_t reused_blobs;
	uint64_t errors; /* syntax errors (ERROR/MISSING nodes) over the files */
	/* the files with syntax errors, in path order (the first CC_INDEX_MAX_ERROR_FILES;
	 * errors counts them all) */
	cc_index_error_file *error_files;
	size_t n_error_files;
	cc_index_skip *skipped;
	size_t n_skipped;
	double seconds;
	char commit[41]; /* the commit indexed (hex), or "worktree" */
} cc_index_result;

/* Index a revision of the git repository at repo_path into s (see cc_index_opts). Blobs
 * already stored are reused; new blobs are parsed on all cores and written by the calling
 * thread, one transaction per batch, so an interrupted run leaves a consistent database and
 * the next run continues. The revision becomes visible to readers at the end, atomically.
 * On success *out is filled (release with cc_index_result_clear). Fails with CC_EGIT (not a
 * repository), CC_ENOTFOUND (revision), CC_EDB / CC_EBUSY (database), CC_ECANCELED, CC_ENOMEM;
 * on failure *out holds nothing to release. Environment: CODECOMP_TIMING=1 prints the time of
 * each phase on stderr; CODECOMP_BATCH_BLOBS=N ends a transaction every N blobs (default 1024,
 * or 8 MB, or 0.5 s, whichever comes first). */
int cc_store_index_run(cc_index_result *out, cc_store *s, const char *repo_path,
                       const cc_index_opts *opts);
void cc_index_result_clear(cc_index_result *r); /* NULL ok; zeroes *r */

/* ---- reading API (priors, daemon) -------------------------------------------------------- */

typedef struct cc_store_rev cc_store_rev;

/* Open an indexed revision for reading: loads its file list and the definitions/calls needed
 * for call edges, or takes them from s when it holds that revision unchanged (see the top of
 * this file). rev as in cc_index_opts.rev. Fails like cc_store_file_nodes. The caller frees
 * *out with cc_store_rev_free (the handle keeps its own reference); it must not outlive s. Like s, a revision is used by one
 * thread at a time (cc_store_rev_file caches each caller file's normalized imports in it). */
int cc_store_rev_open(cc_store_rev **out, cc_store *s, const char *repo_path, const char *rev);
void cc_store_rev_free(cc_store_rev *r); /* NULL ok */

/* The commit (hex) of the revision, or "worktree". Owned by r. */
const char *cc_store_rev_commit(const cc_store_rev *r);
/* Files of the revision, sorted by path; paths owned by r. */
size_t cc_store_rev_n_files(const cc_store_rev *r);
const char *cc_store_rev_path(const cc_store_rev *r, size_t i);

/* A resolved call edge: call node (global id) -> candidate method definition. */
typedef struct {
	int64_t src;          /* global id of the call node (in this file) */
	int64_t dst;          /* global id of the method definition */
	const char *dst_path; /* file of the definition, owned by the revision */
	uint32_t dst_index;   /* node index of the definition in that file */
	float confidence;     /* (0, 1]; several candidates share the mass */
} cc_store_call;

/* One file of a revision, plain data owned by the caller (free with cc_store_file_free). */
typedef struct {
	char *path;
	char oid[41];  /* git blob id (hex) */
	char *content; /* the blob's bytes, NUL-terminated for convenience */
	size_t len;
	cc_file_graph *graph; /* nodes and intra-file edges as produced by analysis */
	int64_t base_id;      /* global id of graph->nodes[i] is base_id + i */
	cc_store_call *calls; /* call edges leaving this file, ordered by src */
	size_t n_calls;
} cc_store_file;

/* Load one file (content, graph, call edges) of the revision. Fails with CC_ENOTFOUND (path
 * not in the revision; the message says when it was skipped and why), CC_EDB, CC_ENOMEM. */
int cc_store_rev_file(cc_store_file **out, cc_store_rev *r, const char *path);
void cc_store_file_free(cc_store_file *f); /* NULL ok */

/* ---- what the CLI and the daemon print (their JSON: cc_store_reply.h) -------------------- */

/* The nodes of one file of an indexed revision (rev as in cc_index_opts.rev): *out holds
 * graph (nodes and names only, n_edges 0) and base_id; path, content and calls are empty.
 * path is relative to the repository root ("./" prefix or an absolute path inside the work
 * tree accepted). One statement on the usual path. Free with cc_store_file_free. Fails with
 * CC_EGIT, CC_ENOTFOUND (revision missing or not indexed, path not in the revision or skipped:
 * the message says which), CC_EDB, CC_ENOMEM. */
int cc_store_file_nodes(cc_store_file **out, cc_store *s, const char *repo_path,
                        const char *rev, const char *path);
/* The same file with its intra-file edges (graph) and its call edges (calls, ordered by src
 * then descending confidence); content is not loaded. The calls' dst_path strings belong to
 * the revision s keeps: valid until the next call on s. Errors as cc_store_file_nodes. */
int cc_store_file_edges(cc_store_file **out, cc_store *s, const char *repo_path,
                        const char *rev, const char *path);

/* At most this many error files are listed per revision in cc_store_status. */
#define CC_STORE_STATUS_MAX_ERROR_FILES 100

/* A file of a revision that did not give a clean graph: syntax errors (blob: its git object
 * id in hex, reason "N syntax errors") or skipped by the index run (blob "", reason as the run
 * gave it: binary, too-large, generated, analysis failure, ...). */
typedef struct {
	char *path;
	char blob[41];
	char *reason;
} cc_store_error_file;

/* What the store holds (cc_store_status_read). */
typedef struct {
	char commit[41]; /* hex, or "worktree" */
	int64_t files, bytes, nodes, edges, errors;
	int64_t indexed_at; /* Unix time */
	/* syntax errors first, then by path; at most CC_STORE_STATUS_MAX_ERROR_FILES */
	cc_store_error_file *error_files;
	size_t n_error_files;
	int64_t error_files_total; /* how many there are */
} cc_store_status_rev;
typedef struct {
	char *path;                /* repository key (absolute path) */
	cc_store_status_rev *revs; /* in indexing order */
	size_t n_revs;
} cc_store_status_repo;
typedef struct {
	char *db;         /* database path */
	int64_t db_bytes; /* database file plus its WAL */
	int schema_version;
	int64_t blobs, blob_bytes;
	cc_store_status_repo *repos; /* ordered by path */
	size_t n_repos;
} cc_store_status;

/* Fill *out (release with cc_store_status_clear; on failure it holds nothing). CC_EDB,
 * CC_ENOMEM. */
int cc_store_status_read(cc_store_status *out, cc_store *s);
void cc_store_status_clear(cc_store_status *st); /* NULL ok; zeroes *st */

/* A definition (method or type_decl) visible in the revision. */
typedef struct {
	int64_t id;       /* global node id */
	const char *path; /* owned by the revision */
	uint32_t index;   /* node index in that file */
	uint8_t kind;     /* CC_NODE_METHOD or CC_NODE_TYPE_DECL */
	const char *name; /* simple name, owned by the revision */
	const char *qual; /* qualified name ("Class.method") or "" */
} cc_store_def;

/* All definitions named `name` (simple name) in the revision, ordered by path then index.
 * *out points into r (valid until cc_store_rev_free); *n = 0 when none. Never fails. */
void cc_store_rev_lookup(const cc_store_def **out, size_t *n, const cc_store_rev *r,
                         const char *name);

/* The file path and node index of a global node id in the revision; CC_ENOTFOUND if the id is
 * not a node of a file of this revision. *path is owned by r. */
int cc_store_rev_locate(const char **path, uint32_t *index, const cc_store_rev *r, int64_t id);

#ifdef __cplusplus
}
#endif
#endif
