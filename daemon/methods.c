/*
 * methods.c - the daemon's JSON-RPC methods on the proto dispatch table: hello, index,
 * job.status, job.cancel, status, nodes, edges, shutdown (and test.sleep for tests). nodes,
 * edges and index results come from the store's own JSON functions, so the daemon and the
 * in-process CLI print the same bytes. Later issues add methods with the same pattern.
 */
#include "cc_daemon.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cc_store_reply.h"
#include "cc_priors_reply.h"
#include "cc_tokenizer.h"
#include <pthread.h>
#include <sys/stat.h>

#ifndef CC_VERSION
#define CC_VERSION "0.0.0"
#endif

int cc_daemon_localize_register(cc_daemon *d); /* localize_method.c */

size_t cc_daemon_rss(int pid, size_t *anon)
{
	char path[64];
	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/statm");
	FILE *f = fopen(path, "r");
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
	json_t *h;
	int rc = cc_proto_params_check(params, allowed);
	if (rc)
		return rc;
	/* The result is the same for the daemon's life: built once (the first callers may race;
	 * one copy wins) and shared read-only, jansson's reference counts being atomic. */
	h = __atomic_load_n(&d->hello, __ATOMIC_ACQUIRE);
	if (!h) {
		json_t *expected = NULL;
		json_t *ep = json_array();
		for (int i = 0; d->endpoints && d->endpoints[i]; i++)
			json_array_append_new(ep, json_string(d->endpoints[i]));
		h = json_pack("{s:i, s:s, s:s, s:i, s:i, s:o, s:[s], s:o}", "protocol", CC_PROTO_VERSION,
		              "server", "codecompd", "version", d->version, "pid",
		              d->pid ? d->pid : (int)getpid(), "process", (int)getpid(), "capabilities",
		              cc_proto_table_names(d->table), "array_dtypes", "float32", "endpoints", ep);
		if (!h)
			return cc_error_set(CC_ENOMEM, "hello");
		if (!__atomic_compare_exchange_n(&d->hello, &expected, h, 0, __ATOMIC_ACQ_REL,
		                                 __ATOMIC_ACQUIRE)) {
			json_decref(h);
			h = expected;
		}
	}
	*result = json_incref(h);
	return CC_OK;
}

/* repo parameter: an absolute path of an existing repository under the daemon's allowed
 * roots, canonicalised into *out (malloc'd) - confine.c. */
static int param_repo(char **out, json_t *params)
{
	const char *repo;
	int rc = cc_proto_param_str(&repo, params, "repo", 1, NULL);
	*out = NULL;
	return rc ? rc : cc_confine_repo(out, repo);
}

/* db parameter (the repository's default place or under --state-dir) or the default for
 * repo; malloc'd into *out - confine.c. */
static int param_db(char **out, json_t *params, const char *repo)
{
	const char *db;
	int rc = cc_proto_param_str(&db, params, "db", 0, NULL);
	*out = NULL;
	return rc ? rc : cc_confine_db(out, repo, db);
}

static int m_index(json_t **result, const cc_proto_call *call, json_t *params)
{
	static const char *const allowed[] = {"repo", "db", "rev", "worktree", "force", NULL};
	cc_daemon *d = call->user;
	char *repo = NULL, *db = NULL;
	const char *rev;
	int worktree, force, dedup, rc;
	long long id;

	if ((rc = cc_proto_params_check(params, allowed)) || (rc = param_repo(&repo, params)) ||
	    (rc = param_db(&db, params, repo)) ||
	    (rc = cc_proto_param_str(&rev, params, "rev", 0, NULL)) ||
	    (rc = cc_proto_param_bool(&worktree, params, "worktree", 0)) ||
	    (rc = cc_proto_param_bool(&force, params, "force", 0)))
		goto out;
	if (rev && worktree) {
		rc = cc_error_set(CC_EINVAL, "parameters 'rev' and 'worktree' exclude each other");
		goto out;
	}
	if (rev && !*rev) {
		rc = cc_error_set(CC_EINVAL, "parameter 'rev' is empty");
		goto out;
	}
	cc_job_spec spec = {repo, db, rev ? rev : "HEAD", worktree, force};
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

static int m_job_retry(json_t **result, const cc_proto_call *call, json_t *params)
{
	cc_daemon *d = call->user;
	long long id;
	int rc = param_job(&id, params);
	return rc ? rc : cc_jobs_retry(result, d->jobs, id);
}

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
	if (!d->jobs)
		return cc_error_set(CC_ERR, "status is answered by the primary process");
	repos = cc_jobs_repos_json(d->jobs);
	out_repos = json_array();
	json_array_foreach(repos, i, r)
	{
		const char *repo = json_string_value(json_object_get(r, "repo"));
		const char *db = json_string_value(json_object_get(r, "db"));
		json_t *e = json_pack("{s:s, s:s}", "repo", repo, "db", db);
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
		json_array_append_new(out_repos, e);
	}
	json_decref(repos);
	size_t anon = 0, rss = cc_daemon_rss(0, &anon);
	json_t *dm = json_pack("{s:s, s:i, s:f, s:I, s:I}", "version", d->version, "pid",
	                       d->pid ? d->pid : (int)getpid(),
	                       "uptime_s", cc_now() - d->started, "rss_bytes", (json_int_t)rss,
	                       "rss_anon_bytes", (json_int_t)anon);
	if (d->server)
		json_object_set_new(dm, "requests", cc_server_stats_json(d->server));
	if (d->serving)
		json_object_set_new(dm, "serving", d->serving());
	json_object_set_new(dm, "confinement", cc_confine_json());
	*result = json_pack("{s:o, s:o, s:o}", "daemon", dm, "repositories", out_repos, "queue",
	                    cc_jobs_queue_json(d->jobs));
	if (*result && d->agent) /* models with KV memory per device */
		json_object_set_new(*result, "models", cc_daemon_agent_models_json(d));
	return *result ? CC_OK : cc_error_set(CC_ENOMEM, "status");
}

/*
 * Tokenizers, loaded once and shared by all workers (they are thread-safe), keyed by what the
 * model path names rather than how it is spelt: the tokenizer file's device, inode, size and
 * modification time (M, M/., M/./tokenizer.json and a symlink to M are one entry; a file
 * replaced on disk is loaded again). At most TOK_CACHE entries, least recently used evicted; an
 * entry in use by a request is freed when its last user releases it.
 */
#define TOK_CACHE 4
struct tok_entry {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	cc_tokenizer *tok;
	size_t context;
	unsigned refs;           /* requests using it, plus one while cached */
	unsigned long long used; /* LRU clock */
};
static struct {
	pthread_mutex_t mu;
	struct tok_entry *e[TOK_CACHE];
	unsigned long long clock, loads;
} toks = {PTHREAD_MUTEX_INITIALIZER, {0}, 0, 0};

static void tok_unref(struct tok_entry *t) /* with toks.mu held */
{
	if (t && --t->refs == 0) {
		cc_tokenizer_free(t->tok);
		free(t);
	}
}

/* The identity of model's tokenizer file (model: a directory holding tokenizer.json, or the
 * file). CC_ENOTFOUND like the loader when there is none. */
static int tok_identity(struct stat *st, const char *model)
{
	char path[4200];
	if (stat(model, st) != 0)
		return cc_error_set(CC_ENOTFOUND, "model %.200s: %s", model, strerror(errno));
	if (S_ISDIR(st->st_mode)) {
		snprintf(path, sizeof(path), "%s/tokenizer.json", model);
		if (stat(path, st) != 0)
			return cc_error_set(CC_ENOTFOUND, "model %.200s has no tokenizer.json", model);
	}
	if (!S_ISREG(st->st_mode))
		return cc_error_set(CC_EINVAL, "model %.200s: the tokenizer is not a regular file", model);
	return CC_OK;
}

static int same_file(const struct tok_entry *t, const struct stat *st)
{
	return t->dev == st->st_dev && t->ino == st->st_ino && t->size == st->st_size &&
	       t->mtime.tv_sec == st->st_mtim.tv_sec && t->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* A tokenizer for model (*out, released with tokenizer_put) and the model's context. */
static int tokenizer_get(struct tok_entry **out, const char *model)
{
	struct stat st;
	struct tok_entry *t = NULL;
	cc_tokenizer *tok = NULL;
	unsigned slot = 0;
	int rc;
	*out = NULL;
	if ((rc = tok_identity(&st, model)) != CC_OK)
		return rc;
	pthread_mutex_lock(&toks.mu);
	for (unsigned i = 0; i < TOK_CACHE; i++)
		if (toks.e[i] && same_file(toks.e[i], &st)) {
			t = toks.e[i];
			t->refs++;
			t->used = ++toks.clock;
			pthread_mutex_unlock(&toks.mu);
			*out = t;
			return CC_OK;
		}
	pthread_mutex_unlock(&toks.mu);
	/* Loaded outside the lock (it takes a while); two first requests may both load, and the
	 * second one's copy is simply dropped. */
	if ((rc = cc_tokenizer_load(&tok, model)) != CC_OK)
		return rc;
	t = cc_xcalloc(1, sizeof(*t));
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	t->size = st.st_size;
	t->mtime = st.st_mtim;
	t->tok = tok;
	t->context = cc_priors_model_context(model);
	t->refs = 2; /* the cache's and the caller's */
	pthread_mutex_lock(&toks.mu);
	toks.loads++;
	cc_log(CC_LOG_INFO, "tokenizer %.300s loaded (%llu loads so far)", model, toks.loads);
	for (unsigned i = 0; i < TOK_CACHE; i++) {
		if (toks.e[i] && same_file(toks.e[i], &st)) { /* another request loaded it meanwhile */
			toks.e[i]->refs++;
			toks.e[i]->used = ++toks.clock;
			*out = toks.e[i];
			t->refs = 1;
			tok_unref(t);
			pthread_mutex_unlock(&toks.mu);
			return CC_OK;
		}
		if (!toks.e[i] || (toks.e[slot] && toks.e[i]->used < toks.e[slot]->used))
			slot = i;
		if (!toks.e[i])
			break;
	}
	tok_unref(toks.e[slot]); /* the least recently used leaves the cache */
	toks.e[slot] = t;
	t->used = ++toks.clock;
	pthread_mutex_unlock(&toks.mu);
	*out = t;
	return CC_OK;
}

static void tokenizer_put(struct tok_entry *t)
{
	pthread_mutex_lock(&toks.mu);
	tok_unref(t);
	pthread_mutex_unlock(&toks.mu);
}

static int m_priors(json_t **result, const cc_proto_call *call, json_t *params)
{
	static const char *const allowed[] = {"repo", "rev", "query", "paths", "budget", "config",
	                                      "model", "db", "packed", NULL};
	char *repo = NULL, *db = NULL;
	const char *model;
	struct tok_entry *tok = NULL;
	cc_store *st;
	json_t *p = NULL;
	int packed, rc;
	*result = NULL;
	if ((rc = cc_proto_params_check(params, allowed)) || (rc = param_repo(&repo, params)) ||
	    (rc = param_db(&db, params, repo)) ||
	    (rc = cc_proto_param_str(&model, params, "model", 1, NULL)) ||
	    (rc = cc_proto_param_bool(&packed, params, "packed", 0)))
		goto out;
	if (model[0] != '/') {
		rc = cc_error_set(CC_EINVAL, "parameter 'model' must be an absolute path, got '%.200s'",
		                  model);
		goto out;
	}
	if ((rc = tokenizer_get(&tok, model)) != CC_OK && !call->local) {
		/* Over tcp, one answer whatever went wrong: model paths are not confined to the
		 * roots, and distinct errors would tell a token holder which paths exist. */
		cc_log(CC_LOG_INFO, "priors over tcp: %s", cc_error_last());
		rc = cc_error_set(CC_ENOTFOUND,
		                  "model '%.200s' is not a readable tokenizer (a directory holding "
		                  "tokenizer.json, or a tokenizer.json file)",
		                  model);
		goto out;
	}
	if (rc != CC_OK || (rc = store_get(&st, db)) != CC_OK)
		goto out;
	/* The request object the CLI builds, with the canonical repository path. */
	p = json_deep_copy(params);
	json_object_set_new(p, "repo", json_string(repo));
	json_object_del(p, "model");
	json_object_del(p, "db");
	/* "packed": the per-token list as columns of int32/float32 arrays (docs/protocol.md) */
	json_object_set_new(p, "packed", json_boolean(packed));
	rc = cc_priors_request(result, st, tok->tok, p, tok->context);
	/* A prompt over the model's context is a bad parameter value (-32602, as documented), not
	 * a request over --max-request (-32001). */
	if (rc == CC_ETOOBIG)
		rc = cc_error_set(CC_EINVAL, "%s", cc_error_last());
	if (rc == CC_EDB)
		store_drop(db);
out:
	if (tok)
		tokenizer_put(tok);
	json_decref(p);
	free(repo);
	free(db);
	return rc;
}

void cc_daemon_thread_cleanup(void)
{
	for (unsigned i = 0; i < STORE_CACHE; i++) {
		cc_store_free(store_cache[i].st);
		free(store_cache[i].db);
		store_cache[i].st = NULL;
		store_cache[i].db = NULL;
	}
}

void cc_daemon_methods_cleanup(void)
{
	pthread_mutex_lock(&toks.mu);
	for (unsigned i = 0; i < TOK_CACHE; i++) {
		tok_unref(toks.e[i]);
		toks.e[i] = NULL;
	}
	pthread_mutex_unlock(&toks.mu);
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
	/* CC_PROTO_PRIMARY: the job queue and the daemon's life are the primary process's; a
	 * serving process (--serve-procs) relays these there and answers the rest itself. */
	if ((rc = cc_proto_table_add(d->table, "hello", m_hello, CC_PROTO_INLINE,
	                             "protocol and daemon versions, capabilities, endpoints")) ||
	    (rc = cc_proto_table_add(d->table, "index", m_index, CC_PROTO_PRIMARY,
	                             "queue an index job")) ||
	    (rc = cc_proto_table_add(d->table, "job.status", m_job_status,
	                             CC_PROTO_INLINE | CC_PROTO_PRIMARY, "state of a job")) ||
	    (rc = cc_proto_table_add(d->table, "job.cancel", m_job_cancel, CC_PROTO_PRIMARY,
	                             "cancel a job")) ||
	    (rc = cc_proto_table_add(d->table, "status", m_status, CC_PROTO_PRIMARY,
	                             "repositories, revisions, sizes, queue")) ||
	    (rc = cc_proto_table_add(d->table, "nodes", m_nodes, 0, "graph nodes of one file")) ||
	    (rc = cc_proto_table_add(d->table, "edges", m_edges, 0, "graph edges of one file")) ||
	    (rc = cc_proto_table_add(d->table, "shutdown", m_shutdown,
	                             CC_PROTO_LOCAL_ONLY | CC_PROTO_PRIMARY, "stop the daemon")) ||
	    (rc = cc_proto_table_add(d->table, "job.retry", m_job_retry, CC_PROTO_PRIMARY,
	                             "run a quarantined job again")))
		return rc;
	if ((rc = cc_proto_table_add(d->table, "priors", m_priors, 0,
	                             "per-token retention priors of a prompt")))
		return rc;
	/* Registered in serving processes too (no agent there): they relay these to the primary. */
	if ((rc = cc_daemon_agent_register(d)))
		return rc;
	if ((rc = cc_daemon_localize_register(d)))
		return rc;
	if (d->test_methods)
		rc = cc_proto_table_add(d->table, "test.sleep", m_test_sleep, 0, "sleep (tests only)");
	return rc;
}

/* ---- Job functions ---------------------------------------------------------------------- */

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

int cc_daemon_index_job(json_t **result, const cc_job_spec *spec, volatile int *cancel,
                        cc_job_progress_fn progress, void *progress_ud, void *fn_ud)
{
	(void)fn_ud;
	*result = NULL;
	cc_store *st = NULL;
	cc_index_result r;
	cc_index_opts o;
	const char *delay = getenv("CODECOMPD_TEST_PROGRESS_DELAY_MS");
	struct progress_bridge b = {progress, progress_ud, delay ? atoi(delay) : 0};
	int rc;

	char *crepo = NULL, *cdb = NULL;
	/* A job from the journal may predate the current --allow-root/--state-dir: checked again. */
	if ((rc = cc_confine_repo(&crepo, spec->repo)) != CC_OK ||
	    (rc = cc_confine_db(&cdb, crepo, spec->db)) != CC_OK) {
		free(crepo);
		return rc;
	}
	free(crepo);
	free(cdb);
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
}

int cc_daemon_test_job(json_t **result, const cc_job_spec *spec, volatile int *cancel,
                       cc_job_progress_fn progress, void *progress_ud, void *fn_ud)
{
	const char *env = getenv("CODECOMPD_TEST_JOB_MS");
	int ms = env ? atoi(env) : 300;
	(void)fn_ud;
	*result = NULL;
	/* Fault injection: a job deaf to cancellation (a long analysis phase). */
	int deaf = getenv("CODECOMPD_TEST_JOB_DEAF") && !strcmp(getenv("CODECOMPD_TEST_JOB_DEAF"), "1");
	for (int t = 0; t < ms; t += 10) {
		if (!deaf && __atomic_load_n(cancel, __ATOMIC_SEQ_CST))
			return cc_error_set(CC_ECANCELED, "job canceled");
		progress(progress_ud, "sleeping", (unsigned long long)t, (unsigned long long)ms);
		struct timespec ts = {0, 10000000L};
		nanosleep(&ts, NULL);
	}
	/* Fault injection: a job that kills the daemon (quarantine tests). */
	if (getenv("CODECOMPD_TEST_JOB_ABORT") && !strcmp(getenv("CODECOMPD_TEST_JOB_ABORT"), "1"))
		abort();
	*result = json_pack("{s:s, s:s, s:b}", "repo", spec->repo, "rev", spec->rev, "worktree",
	                    spec->worktree);
	return CC_OK;
}
