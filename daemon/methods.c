/*
 * methods.c - the daemon's JSON-RPC methods on the proto dispatch table: hello, index,
 * job.status, job.cancel, status, nodes, edges, shutdown (and test.sleep for tests). nodes,
 * edges and index results come from the store's own JSON functions, so the daemon and the
 * in-process CLI print the same bytes. Later issues add methods with the same pattern.
 */
#include "cc_daemon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef CC_HAVE_STORE
#include "cc_store.h"
#endif

#ifndef CC_VERSION
#define CC_VERSION "0.0.0"
#endif

size_t cc_daemon_rss(size_t *anon)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size = 0, rss = 0, shared = 0;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (anon)
		*anon = 0;
	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu %lu", &size, &rss, &shared) != 3)
		rss = shared = 0;
	fclose(f);
	if (anon)
		*anon = (size_t)(rss - (shared < rss ? shared : rss)) * page;
	return (size_t)rss * page;
}

static int m_hello(json_t **result, const cc_proto_call *call, json_t *params)
{
	static const char *const allowed[] = {"client", NULL};
	cc_daemon *d = call->user;
	int rc = cc_proto_params_check(params, allowed);
	if (rc)
		return rc;
	*result = json_pack("{s:i, s:s, s:s, s:i, s:o, s:[s]}", "protocol", CC_PROTO_VERSION, "server",
	                    "codecompd", "version", d->version, "pid", (int)getpid(), "capabilities",
	                    cc_proto_table_names(d->table), "array_dtypes", "float32");
	return *result ? CC_OK : cc_error_set(CC_ENOMEM, "hello");
}

/* repo parameter: an absolute path that exists, canonicalised into *out (malloc'd). */
static int param_repo(char **out, json_t *params)
{
	const char *repo;
	int rc = cc_proto_param_str(&repo, params, "repo", 1, NULL);
	*out = NULL;
	if (rc)
		return rc;
	if (repo[0] != '/')
		return cc_error_set(CC_EINVAL,
		                    "parameter 'repo' must be an absolute path (the daemon does not share "
		                    "your working directory), got '%.200s'",
		                    repo);
	*out = realpath(repo, NULL);
	if (!*out)
		return cc_error_set(errno == ENOENT ? CC_ENOTFOUND : CC_EIO, "repository %.200s: %s",
		                    repo, strerror(errno));
	return CC_OK;
}

/* db parameter (absolute) or the store's default for repo; malloc'd into *out. */
static int param_db(char **out, json_t *params, const char *repo)
{
	const char *db;
	int rc = cc_proto_param_str(&db, params, "db", 0, NULL);
	*out = NULL;
	if (rc)
		return rc;
	if (db) {
		if (db[0] != '/')
			return cc_error_set(CC_EINVAL, "parameter 'db' must be an absolute path, got '%.200s'",
			                    db);
		*out = cc_xstrdup(db);
		return CC_OK;
	}
#ifdef CC_HAVE_STORE
	return cc_store_default_db_path(out, repo);
#else
	char buf[4200];
	snprintf(buf, sizeof(buf), "%s/.git/codecomp.db", repo);
	*out = cc_xstrdup(buf);
	return CC_OK;
#endif
}

static int m_index(json_t **result, const cc_proto_call *call, json_t *params)
{
	static const char *const allowed[] = {"repo", "db", "rev", "worktree", NULL};
	cc_daemon *d = call->user;
	char *repo = NULL, *db = NULL;
	const char *rev;
	int worktree, dedup, rc;
	long long id;

	if ((rc = cc_proto_params_check(params, allowed)) || (rc = param_repo(&repo, params)) ||
	    (rc = param_db(&db, params, repo)) ||
	    (rc = cc_proto_param_str(&rev, params, "rev", 0, NULL)) ||
	    (rc = cc_proto_param_bool(&worktree, params, "worktree", 0)))
		goto out;
	if (rev && worktree) {
		rc = cc_error_set(CC_EINVAL, "parameters 'rev' and 'worktree' exclude each other");
		goto out;
	}
	if (rev && !*rev) {
		rc = cc_error_set(CC_EINVAL, "parameter 'rev' is empty");
		goto out;
	}
	cc_job_spec spec = {repo, db, rev ? rev : "HEAD", worktree};
	if ((rc = cc_jobs_submit(&id, &dedup, d->jobs, &spec)) != CC_OK)
		goto out;
	*result = json_pack("{s:I, s:s, s:b}", "job", (json_int_t)id, "state", "queued",
	                    "deduplicated", dedup);
out:
	free(repo);
	free(db);
	return rc;
}

static int param_job(long long *id, json_t *params)
{
	static const char *const allowed[] = {"job", NULL};
	int rc = cc_proto_params_check(params, allowed);
	if (rc)
		return rc;
	return cc_proto_param_int(id, params, "job", 1, 0, 1, (long long)1 << 53);
}

static int m_job_status(json_t **result, const cc_proto_call *call, json_t *params)
{
	cc_daemon *d = call->user;
	long long id;
	int rc = param_job(&id, params);
	return rc ? rc : cc_jobs_status(result, d->jobs, id);
}

static int m_job_cancel(json_t **result, const cc_proto_call *call, json_t *params)
{
	cc_daemon *d = call->user;
	long long id;
	int rc = param_job(&id, params);
	return rc ? rc : cc_jobs_cancel(result, d->jobs, id);
}

#ifdef CC_HAVE_STORE
/* Read-only store handles cached per worker thread: opening a database per request would
 * dominate the cost of small requests. */
#define STORE_CACHE 8
static _Thread_local struct {
	char *db;
	cc_store *st;
} store_cache[STORE_CACHE];
static _Thread_local unsigned store_cache_next;

static int store_get(cc_store **out, const char *db)
{
	unsigned slot;
	int rc;
	for (unsigned i = 0; i < STORE_CACHE; i++)
		if (store_cache[i].db && !strcmp(store_cache[i].db, db)) {
			*out = store_cache[i].st;
			return CC_OK;
		}
	if ((rc = cc_store_open(out, db, CC_STORE_READONLY)) != CC_OK)
		return rc;
	slot = store_cache_next++ % STORE_CACHE;
	cc_store_free(store_cache[slot].st);
	free(store_cache[slot].db);
	store_cache[slot].db = cc_xstrdup(db);
	store_cache[slot].st = *out;
	return CC_OK;
}

/* A database that fails a read (e.g. replaced on disk) is dropped from the cache. */
static void store_drop(const char *db)
{
	for (unsigned i = 0; i < STORE_CACHE; i++)
		if (store_cache[i].db && !strcmp(store_cache[i].db, db)) {
			cc_store_free(store_cache[i].st);
			free(store_cache[i].db);
			store_cache[i].db = NULL;
			store_cache[i].st = NULL;
		}
}
#endif

static int graph_query(json_t **result, json_t *params, int edges)
{
	static const char *const allowed[] = {"repo", "path", "db", "rev", "worktree", NULL};
	char *repo = NULL, *db = NULL;
	const char *rev, *path;
	int worktree, rc;

	if ((rc = cc_proto_params_check(params, allowed)) || (rc = param_repo(&repo, params)) ||
	    (rc = cc_proto_param_str(&path, params, "path", 1, NULL)) ||
	    (rc = param_db(&db, params, repo)) ||
	    (rc = cc_proto_param_str(&rev, params, "rev", 0, NULL)) ||
	    (rc = cc_proto_param_bool(&worktree, params, "worktree", 0)))
		goto out;
	if (rev && worktree) {
		rc = cc_error_set(CC_EINVAL, "parameters 'rev' and 'worktree' exclude each other");
		goto out;
	}
#ifdef CC_HAVE_STORE
	{
		cc_store *st;
		if (worktree)
			rev = CC_STORE_WORKTREE;
		if ((rc = store_get(&st, db)) != CC_OK)
			goto out;
		rc = edges ? cc_store_edges_json(result, st, repo, rev, path)
		           : cc_store_nodes_json(result, st, repo, rev, path);
		if (rc == CC_EDB)
			store_drop(db);
	}
#else
	(void)edges;
	(void)result;
	rc = cc_error_set(CC_EUNSUPPORTED, "this codecompd was built without the store");
#endif
out:
	free(repo);
	free(db);
	return rc;
}

static int m_nodes(json_t **result, const cc_proto_call *call, json_t *params)
{
	(void)call;
	return graph_query(result, params, 0);
}

static int m_edges(json_t **result, const cc_proto_call *call, json_t *params)
{
	(void)call;
	return graph_query(result, params, 1);
}

static int m_status(json_t **result, const cc_proto_call *call, json_t *params)
{
	static const char *const allowed[] = {NULL};
	cc_daemon *d = call->user;
	json_t *repos, *out_repos, *r;
	size_t i;
	int rc = cc_proto_params_check(params, allowed);
	if (rc)
		return rc;
	repos = cc_jobs_repos_json(d->jobs);
	out_repos = json_array();
	json_array_foreach(repos, i, r)
	{
		const char *repo = json_string_value(json_object_get(r, "repo"));
		const char *db = json_string_value(json_object_get(r, "db"));
		json_t *e = json_pack("{s:s, s:s}", "repo", repo, "db", db);
#ifdef CC_HAVE_STORE
		cc_store *st = NULL;
		json_t *ss = NULL, *revs = json_array(), *sr;
		size_t k;
		if (access(db, F_OK) != 0) {
			json_object_set_new(e, "db_bytes", json_integer(0));
		} else if (cc_store_open(&st, db, CC_STORE_READONLY) != CC_OK ||
		           cc_store_status_json(&ss, st) != CC_OK) {
			json_object_set_new(e, "error", json_string(cc_error_last()));
		} else {
			json_object_set(e, "db_bytes", json_object_get(ss, "db_bytes"));
			json_array_foreach(json_object_get(ss, "repos"), k, sr)
			{
				const char *p = json_string_value(json_object_get(sr, "path"));
				if (p && !strcmp(p, repo))
					json_array_extend(revs, json_object_get(sr, "revisions"));
			}
		}
		json_object_set_new(e, "revisions", revs);
		json_decref(ss);
		cc_store_free(st);
#endif
		json_array_append_new(out_repos, e);
	}
	json_decref(repos);
	size_t anon = 0, rss = cc_daemon_rss(&anon);
	json_t *dm = json_pack("{s:s, s:i, s:f, s:I, s:I}", "version", d->version, "pid", (int)getpid(),
	                       "uptime_s", cc_now() - d->started, "rss_bytes", (json_int_t)rss,
	                       "rss_anon_bytes", (json_int_t)anon);
	if (d->server)
		json_object_set_new(dm, "requests", cc_server_stats_json(d->server));
	*result = json_pack("{s:o, s:o, s:o}", "daemon", dm, "repositories", out_repos, "queue",
	                    cc_jobs_queue_json(d->jobs));
	return *result ? CC_OK : cc_error_set(CC_ENOMEM, "status");
}

static int m_shutdown(json_t **result, const cc_proto_call *call, json_t *params)
{
	static const char *const allowed[] = {NULL};
	cc_daemon *d = call->user;
	int rc = cc_proto_params_check(params, allowed);
	if (rc)
		return rc;
	cc_log(CC_LOG_INFO, "shutdown requested by a client");
	if (d->shutdown)
		d->shutdown();
	*result = json_pack("{s:b}", "stopping", 1);
	return CC_OK;
}

static int m_test_sleep(json_t **result, const cc_proto_call *call, json_t *params)
{
	static const char *const allowed[] = {"ms", NULL};
	long long ms;
	int rc;
	(void)call;
	if ((rc = cc_proto_params_check(params, allowed)) ||
	    (rc = cc_proto_param_int(&ms, params, "ms", 1, 0, 0, 60000)))
		return rc;
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
	*result = json_pack("{s:I}", "slept_ms", (json_int_t)ms);
	return CC_OK;
}

int cc_daemon_methods_register(cc_daemon *d)
{
	int rc;
	if ((rc = cc_proto_table_add(d->table, "hello", m_hello, 0,
	                             "protocol and daemon versions, capabilities")) ||
	    (rc = cc_proto_table_add(d->table, "index", m_index, 0, "queue an index job")) ||
	    (rc = cc_proto_table_add(d->table, "job.status", m_job_status, 0, "state of a job")) ||
	    (rc = cc_proto_table_add(d->table, "job.cancel", m_job_cancel, 0, "cancel a job")) ||
	    (rc = cc_proto_table_add(d->table, "status", m_status, 0,
	                             "repositories, revisions, sizes, queue")) ||
	    (rc = cc_proto_table_add(d->table, "nodes", m_nodes, 0, "graph nodes of one file")) ||
	    (rc = cc_proto_table_add(d->table, "edges", m_edges, 0, "graph edges of one file")) ||
	    (rc = cc_proto_table_add(d->table, "shutdown", m_shutdown, CC_PROTO_LOCAL_ONLY,
	                             "stop the daemon")))
		return rc;
	if (d->test_methods)
		rc = cc_proto_table_add(d->table, "test.sleep", m_test_sleep, 0, "sleep (tests only)");
	return rc;
}

/* ---- Job functions ---------------------------------------------------------------------- */

#ifdef CC_HAVE_STORE
struct progress_bridge {
	cc_job_progress_fn fn;
	void *ud;
	int delay_ms;
};

static void index_progress(void *ud, const cc_index_progress *p)
{
	struct progress_bridge *b = ud;
	b->fn(b->ud, p->phase, p->blobs_done, p->blobs_total);
	if (b->delay_ms > 0) {
		struct timespec ts = {0, (long)b->delay_ms * 1000000L};
		nanosleep(&ts, NULL);
	}
}
#endif

int cc_daemon_index_job(json_t **result, const cc_job_spec *spec, volatile int *cancel,
                        cc_job_progress_fn progress, void *progress_ud, void *fn_ud)
{
	(void)fn_ud;
	*result = NULL;
#ifdef CC_HAVE_STORE
	cc_store *st = NULL;
	cc_index_result r;
	cc_index_opts o;
	const char *delay = getenv("CODECOMPD_TEST_PROGRESS_DELAY_MS");
	struct progress_bridge b = {progress, progress_ud, delay ? atoi(delay) : 0};
	int rc;

	memset(&r, 0, sizeof(r));
	memset(&o, 0, sizeof(o));
	o.rev = spec->worktree ? CC_STORE_WORKTREE : spec->rev;
	o.cancel = cancel;
	o.progress = index_progress;
	o.progress_ud = &b;
	if ((rc = cc_store_open(&st, spec->db, 0)) != CC_OK)
		return rc;
	rc = cc_store_index_run(&r, st, spec->repo, &o);
	if (rc == CC_OK) {
		*result = cc_index_result_json(&r);
		if (!*result)
			rc = cc_error_set(CC_ENOMEM, "index result");
		else
			json_object_set_new(*result, "commit", json_string(r.commit));
	}
	cc_index_result_clear(&r);
	cc_store_free(st);
	return rc;
#else
	(void)spec;
	(void)cancel;
	(void)progress;
	(void)progress_ud;
	return cc_error_set(CC_EUNSUPPORTED, "this codecompd was built without the store");
#endif
}

int cc_daemon_test_job(json_t **result, const cc_job_spec *spec, volatile int *cancel,
                       cc_job_progress_fn progress, void *progress_ud, void *fn_ud)
{
	const char *env = getenv("CODECOMPD_TEST_JOB_MS");
	int ms = env ? atoi(env) : 300;
	(void)fn_ud;
	*result = NULL;
	for (int t = 0; t < ms; t += 10) {
		if (__atomic_load_n(cancel, __ATOMIC_SEQ_CST))
			return cc_error_set(CC_ECANCELED, "job canceled");
		progress(progress_ud, "sleeping", (unsigned long long)t, (unsigned long long)ms);
		struct timespec ts = {0, 10000000L};
		nanosleep(&ts, NULL);
	}
	*result = json_pack("{s:s, s:s, s:b}", "repo", spec->repo, "rev", spec->rev, "worktree",
	                    spec->worktree);
	return CC_OK;
}
