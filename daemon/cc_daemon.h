/*
 * cc_daemon.h - the parts of codecompd (target cc_daemon), linked by the codecompd executable
 * and by tests: the index job queue (jobs.c), the nng server with its worker pool (server.c)
 * and the method table (methods.c). main.c adds options, the lock file, detaching and signals.
 *
 * Allocation policy: this is the program's own code, not a library for others, so small
 * bookkeeping (job records, paths, option lists) uses the aborting allocators of common/
 * (cc_xmalloc & co.: a daemon that cannot allocate a few bytes cannot go on). Anything sized
 * by a request (replies, packed arrays, loaded data) is allocated with checks and fails the
 * request with CC_ENOMEM instead, as the libraries do.
 */
#ifndef CC_DAEMON_H
#define CC_DAEMON_H

#include <jansson.h>
#include <stddef.h>

#include "cc_common.h"
#include "cc_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Index jobs ---------------------------------------------------------------------- */

/* What to index: a repository (absolute path), its database, a revision or the worktree. */
typedef struct {
	const char *repo; /* absolute path */
	const char *db;   /* absolute path of the database */
	const char *rev;  /* rev-spec ("HEAD" when NULL) */
	int worktree;     /* index the working tree instead of rev */
	int force;        /* cc_jobs_submit: lift a quarantine of the same job instead of failing */
} cc_job_spec;

/* Progress a job reports (any fields it knows; phase may be NULL). */
typedef void (*cc_job_progress_fn)(void *ud, const char *phase, unsigned long long done,
                                   unsigned long long total);

/*
 * The function that runs one job (pluggable: the daemon runs the store's indexer, tests run a
 * stand-in). Returns CC_OK with *result (a new reference: the job's result object), or a
 * cc_status with detail through cc_error_set; CC_ECANCELED when *cancel became non-zero.
 */
typedef int (*cc_job_fn)(json_t **result, const cc_job_spec *spec, volatile int *cancel,
                         cc_job_progress_fn progress, void *progress_ud, void *fn_ud);

typedef struct cc_jobs cc_jobs;

typedef struct {
	int workers;         /* jobs running at once over different repositories (>= 1) */
	int max_queued;      /* queued (not running) jobs before submit fails with CC_EBUSY */
	const char *journal; /* file that keeps pending jobs across restarts; NULL = none */
	cc_job_fn fn;
	void *fn_ud;
	int keep_finished; /* finished jobs remembered for job.status (default 1024) */
} cc_jobs_opts;

/* Create the queue and start its workers. Jobs found pending in the journal (queued, or
 * running when the previous daemon died) are queued again under their ids, except a job the
 * daemon died in twice (its first run and one retry): that one is quarantined, kept and
 * reported but never run again unless cc_jobs_retry or a forced cc_jobs_submit asks. The
 * journal's finished jobs are remembered again. The journal must be a regular file of this
 * user, not a symlink. The caller frees
 * with cc_jobs_free. Fails with CC_EIO / CC_EPARSE for an unreadable journal. */
int cc_jobs_new(cc_jobs **out, const cc_jobs_opts *opts);

/*
 * Queue a job. Jobs for one (repo, db) run one at a time; a job identical to one already
 * queued (not yet running) is not added again: *id is the queued job's id and *dedup = 1.
 * So any number of requests while a job runs leave one follow-up job. Fails with CC_EBUSY
 * when max_queued jobs wait, or after cc_jobs_stop.
 */
int cc_jobs_submit(long long *id, int *dedup, cc_jobs *q, const cc_job_spec *spec);

/* Queue a quarantined job again (same id, attempts reset); *out = its status. CC_ENOTFOUND for
 * an unknown id, CC_EINVAL for a job that is not quarantined. (Submitting the same job with
 * spec->force also lifts the quarantine; otherwise that submission fails with CC_ERR.) */
int cc_jobs_retry(json_t **out, cc_jobs *q, long long id);

/* The job as JSON: {job, state, repo, db, rev, worktree, progress, result|error, times}.
 * state is "queued", "running", "done", "failed", "canceled" or "quarantined" (with attempts,
 * and error saying why). CC_ENOTFOUND for an unknown
 * (or long forgotten) id. */
int cc_jobs_status(json_t **out, cc_jobs *q, long long id);

/* Cancel a job: a queued job is dropped, a running one is asked to stop (its state becomes
 * "canceled" when it does). *out = the job status afterwards. CC_ENOTFOUND as above; a
 * finished job is returned unchanged. */
int cc_jobs_cancel(json_t **out, cc_jobs *q, long long id);

/* {running:[jobs], queued:[jobs], finished: n, quarantined:[jobs]} for the status method. */
json_t *cc_jobs_queue_json(cc_jobs *q);

/* Every (repo, db) pair ever submitted (persisted in the journal): [{repo, db}]. */
json_t *cc_jobs_repos_json(cc_jobs *q);

/* Wait until no job is queued or running, up to timeout seconds; CC_ETIMEDOUT otherwise. */
int cc_jobs_wait_idle(cc_jobs *q, double timeout);

/*
 * Stop for shutdown: refuse new jobs, ask running jobs to stop (a checkpoint: the indexer
 * commits in batches, and an interrupted job stays pending in the journal so the next daemon
 * finishes it) unless it finishes within grace seconds, and join the workers. hard > 0 bounds
 * the wait after the cancellation: a job still running then is left pending in the journal
 * (its attempt counted) and CC_ETIMEDOUT is returned - the caller must then exit without
 * cc_jobs_free. hard <= 0 waits as long as it takes.
 */
int cc_jobs_stop(cc_jobs *q, double grace, double hard);
void cc_jobs_free(cc_jobs *q); /* stops first when needed; NULL ok */

/* ---- Server -------------------------------------------------------------------------- */

typedef struct cc_server cc_server;

typedef struct {
	const char *const *listen; /* URLs (ipc://, tcp://), NULL-terminated, at least one */
	const char *token;         /* required on tcp:// listeners (tcp refused without one) */
	size_t max_request;        /* bytes; larger requests get a "too big" error */
	double request_timeout;    /* seconds per request (queue wait included) */
	int workers;               /* request worker threads */
	int max_pending;           /* requests waiting for a worker before "busy" errors */
	int contexts;              /* concurrent requests in flight (nng contexts) */
	void (*thread_exit)(void); /* called by each worker thread as it ends (may be NULL) */
	const char *forward_url;   /* serving process: methods flagged CC_PROTO_PRIMARY are relayed,
	                              byte for byte, to the primary process at this URL */
} cc_server_opts;

/*
 * Listen on every URL (ipc sockets created 0600) and serve requests through table with user
 * as cc_proto_call.user. Fails with CC_EINVAL (bad URL, tcp without token), CC_EBUSY (address
 * in use), CC_EIO; the message names the URL. The caller frees with cc_server_free.
 */
int cc_server_start(cc_server **out, const cc_server_opts *opts, const cc_proto_table *table,
                    void *user);

/* Start stopping: new requests are answered with a "shutting down" error; requests already
 * received are still served. cc_server_free then closes the listeners. */
void cc_server_stop_accepting(cc_server *s);

/* Wait for requests in flight (up to timeout seconds), close the socket, join the workers. */
void cc_server_free(cc_server *s, double timeout);

/* Counters for status: {requests, errors, timeouts, busy, in_flight, forwarded}. */
json_t *cc_server_stats_json(cc_server *s);

/* ---- Confinement (confine.c) ------------------------------------------------------------ */

/*
 * Set what the daemon serves: repositories under roots (each made canonical: symlinks
 * resolved; none = every repository refused) and databases at a repository's default place
 * or under state_dir (may be NULL). Process-wide; until it is called nothing is confined
 * (in-process tests). CC_EINVAL names a root or state directory that is not an existing
 * directory given as an absolute path.
 */
int cc_confine_init(const char *const *roots, int nroots, const char *state_dir);
void cc_confine_free(void);

/* The canonical path of repo (malloc'd into *out) when it exists under an allowed root;
 * CC_EINVAL for a relative path, otherwise CC_ENOTFOUND with the same message whether the
 * path is missing or outside the roots. */
int cc_confine_repo(char **out, const char *repo);

/* The database for canonical repo (malloc'd into *out): db == NULL gives the default place;
 * otherwise db must be that place or a regular (or not yet existing) file under the state
 * directory, its directory existing: CC_EINVAL otherwise. */
int cc_confine_db(char **out, const char *repo, const char *db);

/* The `localize` method's work (localize_method.c), shared by JSON-RPC and HTTP
 * (POST /v1/codecomp/localize): params as the method's (repo, model, issue, ...; repo and db
 * confined as for every method), *result the cc_loc_result_json answer (the caller's).
 * Errors: CC_EINVAL (bad params), CC_ENOTFOUND (repository missing or outside the roots, not
 * indexed), the model's load errors, cc_localize_run's. */
int cc_daemon_localize(json_t **result, json_t *params);

/* {allow_roots: [...], state_dir} for status. */
json_t *cc_confine_json(void);

/* ---- Methods ------------------------------------------------------------------------- */

/* The daemon's state that methods see. */
typedef struct {
	cc_jobs *jobs;
	cc_server *server;
	double started;
	const char *version;
	int test_methods;       /* register test.sleep (tests only) */
	void (*shutdown)(void); /* asks the main loop to stop */
	cc_proto_table *table;
	/* hello's result, built by the first hello (it never changes); the owner json_decrefs it
	 * after the server is freed */
	json_t *hello;
	int pid; /* the daemon's pid in hello and status (0: this process's) */
	/* hello's "endpoints": every ipc:// URL of the daemon's processes, NULL-terminated
	 * (NULL: none) */
	const char *const *endpoints;
	json_t *(*serving)(void); /* status's "serving" list (primary with serving processes) */
	/* agent sessions (models, session.*): the primary's; NULL in a serving process, which
	 * relays those methods */
	struct cc_agent *agent;
} cc_daemon;

/* Register the daemon's methods (hello, index, job.status, job.cancel, status, nodes, edges,
 * shutdown; test.sleep when d->test_methods) in d->table. */
int cc_daemon_methods_register(cc_daemon *d);

/* Register the agent-session methods (models, session.open, ... session.close) answered
 * through d->agent (agent_methods.c). */
int cc_daemon_agent_register(cc_daemon *d);
/* The models of d's agent with their memory per device (the "models" of the status
 * reply), or NULL when d has no agent. New reference. */
json_t *cc_daemon_agent_models_json(cc_daemon *d);

/* Release what methods cache per worker thread (read-only store handles); the server calls
 * it as each worker ends. */
void cc_daemon_thread_cleanup(void);

/* Release what methods cache for the whole process (tokenizers); after the server is freed. */
void cc_daemon_methods_cleanup(void);

/* The job function that runs the store's indexer (fn_ud unused). */
int cc_daemon_index_job(json_t **result, const cc_job_spec *spec, volatile int *cancel,
                        cc_job_progress_fn progress, void *progress_ud, void *fn_ud);

/* A stand-in job for tests: sleeps CODECOMPD_TEST_JOB_MS (default 300) in 10 ms steps,
 * honouring cancel, then returns {"repo": ..., "rev": ...}; with CODECOMPD_TEST_JOB_ABORT=1 it
 * calls abort() instead (fault injection: a job that kills the daemon). */
int cc_daemon_test_job(json_t **result, const cc_job_spec *spec, volatile int *cancel,
                       cc_job_progress_fn progress, void *progress_ud, void *fn_ud);

/* Resident set size of process pid (0: this process) in bytes (0 when unknown); *anon (may be
 * NULL) receives the part not backed by files (heap, stacks), i.e. without the executable. */
size_t cc_daemon_rss(int pid, size_t *anon);

/* ---- OpenAI-compatible HTTP (http.c; built with agent sessions) -------------------------- */

typedef struct cc_http cc_http;

typedef struct {
	const char *addr;       /* HOST:PORT (port 0: any free port, see cc_http_port) */
	const char *token;      /* bearer token; required (and then checked) unless HOST is
	                           loopback (127.x, ::1, localhost), where none is asked */
	size_t max_request;     /* largest request body (413 over it); 0 = 16 MiB */
	double request_timeout; /* body read, each write, and generation time; 0 = 30 s */
	int max_active;         /* requests served at once (503 over it); 0 = 16 */
} cc_http_opts;

/* Serve GET /v1/models, POST /v1/completions and /v1/chat/completions through d->agent
 * (docs/protocol.md, "OpenAI-compatible HTTP"). *out is freed with cc_http_free. Errors:
 * CC_EINVAL (bad address, non-loopback without a token), CC_EBUSY (address in use), CC_ERR,
 * CC_ENOMEM. */
int cc_http_start(cc_http **out, const cc_http_opts *o, cc_daemon *d);

/* The port the server listens on. */
int cc_http_port(const cc_http *h);

/* Stop accepting, wait up to wait_s for requests in flight, free. NULL is a no-op. */
void cc_http_free(cc_http *h, double wait_s);

#ifdef __cplusplus
}
#endif
#endif
