/*
 * jobs.c - the daemon's index job queue: jobs run on a few worker threads, one at a time per
 * (repository, database), identical queued jobs merge (so a burst of git hooks yields one
 * follow-up job), and pending jobs live in a small JSON journal so that a daemon killed
 * mid-job re-runs them when it starts again - once: the journal counts a job's attempts
 * before it runs, and a job that was running when the daemon died twice is quarantined
 * (kept, reported, never run again until a client asks: cc_jobs_retry). The journal also
 * keeps the latest finished jobs, so job.status survives a restart. Journal files are opened
 * without following symlinks.
 */
#include "cc_daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
	J_QUEUED,
	J_RUNNING,
	J_DONE,
	J_FAILED,
	J_CANCELED,
	J_QUARANTINED
};
static const char *state_names[] = {"queued", "running", "done", "failed", "canceled",
                                    "quarantined"};

/* Runs of a job the daemon may die in before the job is quarantined: the first and one retry. */
#define MAX_ATTEMPTS 2
/* Finished jobs kept in the journal (the newest). */
#define JOURNAL_FINISHED 64

struct job {
	long long id;
	char *repo, *db, *rev;
	int worktree;
	int state;
	volatile int cancel;
	int interrupted; /* stopped by shutdown: stays pending */
	int attempts;    /* runs started (journaled before each run) */
	json_t *result;
	int err_code;
	char *err_msg;
	char phase[32];
	unsigned long long done, total;
	double queued_at, started_at, finished_at; /* seconds since the epoch */
	struct cc_jobs *q;
	struct job *next;
};

struct cc_jobs {
	pthread_mutex_t mu;
	pthread_cond_t work, idle;
	struct job *active; /* queued and running, in submission order */
	struct job **fin;   /* ring of finished jobs */
	size_t nfin, fin_head, fin_cap;
	json_t *repos;
	struct job *quarantined; /* jobs that killed the daemon, newest first */
	long long next_id;
	int stopping;
	int nqueued, nrunning;
	pthread_t *threads;
	int nthreads;
	cc_jobs_opts o;
	char *journal;
};

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void job_free(struct job *j)
{
	if (!j)
		return;
	free(j->repo);
	free(j->db);
	free(j->rev);
	free(j->err_msg);
	json_decref(j->result);
	free(j);
}

static int same_key(const struct job *j, const cc_job_spec *s)
{
	return !strcmp(j->repo, s->repo) && !strcmp(j->db, s->db);
}

static int same_spec(const struct job *j, const cc_job_spec *s)
{
	const char *rev = s->rev ? s->rev : "HEAD";
	return same_key(j, s) && j->worktree == !!s->worktree &&
	       (s->worktree || !strcmp(j->rev, rev));
}

static json_t *job_json(const struct job *j);

/* Write the journal atomically (temp file + rename); called with the lock held. The temporary
 * file is created anew (O_EXCL, never through a symlink planted in its place); rename replaces
 * whatever sits at the journal's own name without following it. */
static void journal_write(cc_jobs *q)
{
	json_t *root, *pend, *quar, *fin;
	char tmp[4200];
	int fd;
	if (!q->journal)
		return;
	pend = json_array();
	for (struct job *j = q->active; j; j = j->next)
		json_array_append_new(pend, json_pack("{s:I, s:s, s:s, s:s, s:b, s:i}", "job",
		                                      (json_int_t)j->id, "repo", j->repo, "db", j->db,
		                                      "rev", j->rev, "worktree", j->worktree,
		                                      "attempts", j->attempts));
	quar = json_array();
	for (struct job *j = q->quarantined; j; j = j->next)
		json_array_append_new(quar, job_json(j));
	fin = json_array();
	for (size_t i = q->nfin > JOURNAL_FINISHED ? q->nfin - JOURNAL_FINISHED : 0; i < q->nfin; i++)
		json_array_append_new(fin, job_json(q->fin[(q->fin_head + i) % q->fin_cap]));
	root = json_pack("{s:i, s:I, s:o, s:O, s:o, s:o}", "version", 2, "next_id",
	                 (json_int_t)q->next_id, "pending", pend, "repos", q->repos, "quarantined",
	                 quar, "finished", fin);
	snprintf(tmp, sizeof(tmp), "%s.tmp", q->journal);
	if (unlink(tmp) != 0 && errno != ENOENT)
		cc_log(CC_LOG_WARN, "cannot remove %s: %s", tmp, strerror(errno));
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || json_dumpfd(root, fd, JSON_INDENT(1)) != 0 || fsync(fd) != 0) {
		cc_log(CC_LOG_ERROR, "cannot write job journal %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		json_decref(root);
		return;
	}
	close(fd);
	if (rename(tmp, q->journal) != 0)
		cc_log(CC_LOG_ERROR, "cannot rename %s to %s: %s", tmp, q->journal, strerror(errno));
	json_decref(root);
}

static void remember_repo(cc_jobs *q, const char *repo, const char *db)
{
	size_t i;
	json_t *r;
	json_array_foreach(q->repos, i, r)
	{
		if (!strcmp(json_string_value(json_object_get(r, "repo")), repo) &&
		    !strcmp(json_string_value(json_object_get(r, "db")), db))
			return;
	}
	json_array_append_new(q->repos, json_pack("{s:s, s:s}", "repo", repo, "db", db));
}

static struct job *job_new(cc_jobs *q, long long id, const cc_job_spec *s)
{
	struct job *j = cc_xcalloc(1, sizeof(*j));
	j->id = id;
	j->repo = cc_xstrdup(s->repo);
	j->db = cc_xstrdup(s->db);
	j->rev = cc_xstrdup(s->worktree ? "worktree" : (s->rev ? s->rev : "HEAD"));
	j->worktree = !!s->worktree;
	j->state = J_QUEUED;
	j->q = q;
	j->queued_at = wall_now();
	struct job **tail = &q->active;
	while (*tail)
		tail = &(*tail)->next;
	*tail = j;
	q->nqueued++;
	remember_repo(q, j->repo, j->db);
	return j;
}

static void unlink_active(cc_jobs *q, struct job *j)
{
	for (struct job **p = &q->active; *p; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			j->next = NULL;
			return;
		}
}

static void finish(cc_jobs *q, struct job *j)
{
	unlink_active(q, j);
	j->finished_at = wall_now();
	if (q->nfin == q->fin_cap) {
		job_free(q->fin[q->fin_head]);
		q->fin[q->fin_head] = j;
		q->fin_head = (q->fin_head + 1) % q->fin_cap;
	} else {
		q->fin[(q->fin_head + q->nfin) % q->fin_cap] = j;
		q->nfin++;
	}
}

static int key_running(cc_jobs *q, const struct job *k)
{
	for (struct job *j = q->active; j; j = j->next)
		if (j->state == J_RUNNING && !strcmp(j->repo, k->repo) && !strcmp(j->db, k->db))
			return 1;
	return 0;
}

static void progress_cb(void *ud, const char *phase, unsigned long long done,
                        unsigned long long total)
{
	struct job *j = ud;
	pthread_mutex_lock(&j->q->mu);
	if (phase)
		snprintf(j->phase, sizeof(j->phase), "%s", phase);
	j->done = done;
	j->total = total;
	pthread_mutex_unlock(&j->q->mu);
}

static void *worker(void *arg)
{
	cc_jobs *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		struct job *j = NULL;
		while (!q->stopping) {
			for (j = q->active; j; j = j->next)
				if (j->state == J_QUEUED && !key_running(q, j))
					break;
			if (j)
				break;
			pthread_cond_wait(&q->work, &q->mu);
		}
		if (q->stopping)
			break;
		j->state = J_RUNNING;
		j->started_at = wall_now();
		q->nqueued--;
		q->nrunning++;
		/* Counted in the journal before the run: a job the daemon dies in is known at the
		 * next start (cc_jobs_new quarantines it after MAX_ATTEMPTS). */
		j->attempts++;
		journal_write(q);
		cc_job_spec spec = {j->repo, j->db, j->rev, j->worktree, 0};
		cc_log(CC_LOG_INFO, "job %lld: indexing %s (%s) into %s", j->id, j->repo, j->rev, j->db);
		pthread_mutex_unlock(&q->mu);

		json_t *result = NULL;
		cc_error_clear();
		int rc = q->o.fn(&result, &spec, &j->cancel, progress_cb, j, q->o.fn_ud);
		const char *msg = cc_error_last()[0] ? cc_error_last() : cc_strerror(rc);
		/* An index job frees its parser memory at the end; give it back to the system now
		 * (the daemon keeps small freed blocks otherwise, see main.c). */
		malloc_trim(0);

		pthread_mutex_lock(&q->mu);
		q->nrunning--;
		if (rc == CC_ECANCELED && j->interrupted) {
			/* Shutdown checkpoint: back to queued, kept in the journal. */
			j->state = J_QUEUED;
			j->attempts--; /* a checkpoint, not a crash */
			q->nqueued++;
			json_decref(result);
			cc_log(CC_LOG_INFO, "job %lld: interrupted by shutdown, will resume", j->id);
		} else {
			if (rc == CC_OK) {
				j->state = J_DONE;
				j->result = result;
				cc_log(CC_LOG_INFO, "job %lld: done", j->id);
			} else {
				json_decref(result);
				j->state = rc == CC_ECANCELED ? J_CANCELED : J_FAILED;
				j->err_code = cc_proto_code_from_status(rc);
				j->err_msg = cc_xstrdup(msg);
				cc_log(rc == CC_ECANCELED ? CC_LOG_INFO : CC_LOG_WARN, "job %lld: %s: %s",
				       j->id, state_names[j->state], msg);
			}
			finish(q, j);
			journal_write(q);
		}
		pthread_cond_broadcast(&q->work);
		pthread_cond_broadcast(&q->idle);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* A job as job_json wrote it (journal's quarantined and finished lists); NULL if malformed. */
static struct job *job_from_json(cc_jobs *q, json_t *v)
{
	const char *repo = json_string_value(json_object_get(v, "repo"));
	const char *db = json_string_value(json_object_get(v, "db"));
	const char *rev = json_string_value(json_object_get(v, "rev"));
	const char *state = json_string_value(json_object_get(v, "state"));
	json_t *id = json_object_get(v, "job"), *err = json_object_get(v, "error");
	struct job *j;
	int st = -1;
	for (int i = 0; state && i <= J_QUARANTINED; i++)
		if (!strcmp(state, state_names[i]))
			st = i;
	if (!repo || !db || !rev || !json_is_integer(id) || st < J_DONE)
		return NULL;
	j = cc_xcalloc(1, sizeof(*j));
	j->id = json_integer_value(id);
	j->repo = cc_xstrdup(repo);
	j->db = cc_xstrdup(db);
	j->rev = cc_xstrdup(rev);
	j->worktree = json_is_true(json_object_get(v, "worktree"));
	j->state = st;
	j->q = q;
	j->attempts = (int)json_integer_value(json_object_get(v, "attempts"));
	j->queued_at = json_number_value(json_object_get(v, "queued_at"));
	j->started_at = json_number_value(json_object_get(v, "started_at"));
	j->finished_at = json_number_value(json_object_get(v, "finished_at"));
	if (st == J_DONE)
		j->result = json_incref(json_object_get(v, "result"));
	if (json_is_object(err)) {
		j->err_code = (int)json_integer_value(json_object_get(err, "code"));
		const char *msg = json_string_value(json_object_get(err, "message"));
		j->err_msg = cc_xstrdup(msg ? msg : "");
	}
	return j;
}

static void quarantine_push(cc_jobs *q, struct job *j)
{
	j->next = q->quarantined;
	q->quarantined = j;
}

/* The journal: opened without following a symlink and only when it is a regular file of this
 * user (a journal planted by someone else would make the daemon run their jobs). */
static int journal_load(cc_jobs *q)
{
	json_error_t jerr;
	json_t *root, *pend, *v;
	struct stat st;
	size_t i;
	int fd;

	fd = open(q->journal, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT)
		return CC_OK;
	if (fd < 0)
		return cc_error_set(CC_EIO, "job journal %s: %s%s", q->journal, strerror(errno),
		                    errno == ELOOP ? " (a symlink: refused)" : "");
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid()) {
		close(fd);
		return cc_error_set(CC_EIO, "job journal %s is not a regular file owned by this user",
		                    q->journal);
	}
	root = json_loadfd(fd, 0, &jerr);
	close(fd);
	if (!root)
		return cc_error_set(CC_EPARSE, "job journal %s: %s", q->journal, jerr.text);
	v = json_object_get(root, "next_id");
	if (json_is_integer(v) && json_integer_value(v) > q->next_id)
		q->next_id = json_integer_value(v);
	v = json_object_get(root, "repos");
	json_array_foreach(v, i, pend)
	{
		const char *r = json_string_value(json_object_get(pend, "repo"));
		const char *d = json_string_value(json_object_get(pend, "db"));
		if (r && d)
			remember_repo(q, r, d);
	}
	/* History first (oldest first), so job.status answers for jobs of the previous daemon. */
	json_array_foreach(json_object_get(root, "finished"), i, v)
	{
		struct job *j = job_from_json(q, v);
		if (j)
			finish(q, j);
	}
	json_array_foreach(json_object_get(root, "quarantined"), i, v)
	{
		struct job *j = job_from_json(q, v);
		if (j && j->state == J_QUARANTINED)
			quarantine_push(q, j);
		else
			job_free(j);
	}
	pend = json_object_get(root, "pending");
	json_array_foreach(pend, i, v)
	{
		json_t *id = json_object_get(v, "job");
		int attempts = (int)json_integer_value(json_object_get(v, "attempts"));
		cc_job_spec s = {json_string_value(json_object_get(v, "repo")),
		                 json_string_value(json_object_get(v, "db")),
		                 json_string_value(json_object_get(v, "rev")),
		                 json_is_true(json_object_get(v, "worktree")), 0};
		if (!json_is_integer(id) || !s.repo || !s.db || !s.rev) {
			cc_log(CC_LOG_WARN, "job journal %s: skipping malformed entry %zu", q->journal, i);
			continue;
		}
		struct job *j = job_new(q, json_integer_value(id), &s);
		j->attempts = attempts;
		if (json_integer_value(id) >= q->next_id)
			q->next_id = json_integer_value(id) + 1;
		if (attempts >= MAX_ATTEMPTS) {
			/* It was running when the daemon died, every time it ran: do not run it again. */
			unlink_active(q, j);
			q->nqueued--;
			j->state = J_QUARANTINED;
			j->finished_at = wall_now();
			j->err_code = CC_RPC_FAILED;
			char why[600];
			snprintf(why, sizeof(why),
			         "quarantined: the daemon stopped without finishing this job %d times (a "
			         "crash while indexing %.200s at %.100s?); it is not run again until a client "
			         "asks (job.retry, or index with force: true)",
			         attempts, j->repo, j->rev);
			j->err_msg = cc_xstrdup(why);
			quarantine_push(q, j);
			cc_log(CC_LOG_ERROR, "job %lld: %s", j->id, j->err_msg);
			continue;
		}
		cc_log(CC_LOG_INFO, "job %lld: resumed from the journal (%s%s)", j->id, s.repo,
		       attempts ? ", after the daemon stopped during it" : "");
	}
	json_decref(root);
	return CC_OK;
}

int cc_jobs_new(cc_jobs **out, const cc_jobs_opts *opts)
{
	cc_jobs *q = cc_xcalloc(1, sizeof(*q));
	int rc;
	*out = NULL;
	q->o = *opts;
	if (q->o.workers < 1)
		q->o.workers = 1;
	if (q->o.max_queued < 1)
		q->o.max_queued = 64;
	q->fin_cap = q->o.keep_finished > 0 ? (size_t)q->o.keep_finished : 1024;
	q->fin = cc_xcalloc(q->fin_cap, sizeof(*q->fin));
	q->repos = json_array();
	q->next_id = 1;
	q->journal = opts->journal ? cc_xstrdup(opts->journal) : NULL;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->work, NULL);
	pthread_cond_init(&q->idle, NULL);
	if (q->journal && (rc = journal_load(q)) != CC_OK) {
		cc_jobs_free(q);
		return rc;
	}
	q->threads = cc_xcalloc((size_t)q->o.workers, sizeof(pthread_t));
	for (int i = 0; i < q->o.workers; i++) {
		if (pthread_create(&q->threads[i], NULL, worker, q) != 0) {
			cc_jobs_free(q);
			return cc_error_set(CC_ENOMEM, "cannot start job worker threads");
		}
		q->nthreads++;
	}
	*out = q;
	return CC_OK;
}

int cc_jobs_submit(long long *id, int *dedup, cc_jobs *q, const cc_job_spec *spec)
{
	int rc = CC_OK;
	*id = 0;
	*dedup = 0;
	pthread_mutex_lock(&q->mu);
	if (q->stopping) {
		rc = cc_error_set(CC_EBUSY, "the daemon is shutting down");
		goto out;
	}
	for (struct job **p = &q->quarantined; *p; p = &(*p)->next)
		if (same_spec(*p, spec)) {
			struct job *j = *p;
			if (!spec->force) {
				rc = cc_error_set(CC_ERR, "job %lld (%s at %s) is %s", j->id, j->repo, j->rev,
				                  j->err_msg ? j->err_msg : "quarantined");
				goto out;
			}
			*p = j->next; /* force: forget the quarantine, queue a new job */
			cc_log(CC_LOG_WARN, "job %lld: quarantine lifted by a forced index request", j->id);
			job_free(j);
			break;
		}
	for (struct job *j = q->active; j; j = j->next)
		if (j->state == J_QUEUED && same_spec(j, spec)) {
			*id = j->id;
			*dedup = 1;
			goto out;
		}
	if (q->nqueued >= q->o.max_queued) {
		rc = cc_error_set(CC_EBUSY, "job queue is full (%d queued jobs): retry later",
		                  q->nqueued);
		goto out;
	}
	*id = job_new(q, q->next_id++, spec)->id;
	journal_write(q);
	pthread_cond_broadcast(&q->work);
out:
	pthread_mutex_unlock(&q->mu);
	return rc;
}

static struct job *find(cc_jobs *q, long long id)
{
	for (struct job *j = q->active; j; j = j->next)
		if (j->id == id)
			return j;
	for (struct job *j = q->quarantined; j; j = j->next)
		if (j->id == id)
			return j;
	for (size_t i = 0; i < q->nfin; i++) {
		struct job *j = q->fin[(q->fin_head + i) % q->fin_cap];
		if (j->id == id)
			return j;
	}
	return NULL;
}

static json_t *job_json(const struct job *j)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:f}", "job", (json_int_t)j->id, "state",
	                      state_names[j->state], "repo", j->repo, "db", j->db, "rev", j->rev,
	                      "worktree", j->worktree, "queued_at", j->queued_at);
	if (j->state != J_QUEUED && j->started_at > 0)
		json_object_set_new(o, "started_at", json_real(j->started_at));
	if (j->state >= J_DONE)
		json_object_set_new(o, "finished_at", json_real(j->finished_at));
	if (j->state == J_RUNNING)
		json_object_set_new(o, "progress",
		                    json_pack("{s:s, s:I, s:I}", "phase", j->phase, "done",
		                              (json_int_t)j->done, "total", (json_int_t)j->total));
	if (j->state == J_DONE && j->result)
		json_object_set(o, "result", j->result);
	if (j->state == J_QUARANTINED)
		json_object_set_new(o, "attempts", json_integer(j->attempts));
	if (j->state == J_FAILED || j->state == J_CANCELED || j->state == J_QUARANTINED)
		json_object_set_new(o, "error",
		                    json_pack("{s:i, s:s}", "code", j->err_code, "message",
		                              j->err_msg ? j->err_msg : ""));
	return o;
}

int cc_jobs_status(json_t **out, cc_jobs *q, long long id)
{
	struct job *j;
	int rc = CC_OK;
	pthread_mutex_lock(&q->mu);
	j = find(q, id);
	if (j)
		*out = job_json(j);
	else
		rc = cc_error_set(CC_ENOTFOUND, "no job %lld", id);
	pthread_mutex_unlock(&q->mu);
	return rc;
}

int cc_jobs_cancel(json_t **out, cc_jobs *q, long long id)
{
	struct job *j;
	int rc = CC_OK;
	*out = NULL;
	pthread_mutex_lock(&q->mu);
	j = find(q, id);
	if (!j) {
		rc = cc_error_set(CC_ENOTFOUND, "no job %lld", id);
		goto out;
	}
	if (j->state == J_QUEUED) {
		j->state = J_CANCELED;
		j->err_code = CC_RPC_CANCELED;
		j->err_msg = cc_xstrdup("canceled before it started");
		q->nqueued--;
		finish(q, j);
		journal_write(q);
		pthread_cond_broadcast(&q->idle);
	} else if (j->state == J_RUNNING) {
		__atomic_store_n(&j->cancel, 1, __ATOMIC_SEQ_CST);
	}
	*out = job_json(j);
out:
	pthread_mutex_unlock(&q->mu);
	return rc;
}

int cc_jobs_retry(json_t **out, cc_jobs *q, long long id)
{
	int rc = CC_OK;
	*out = NULL;
	pthread_mutex_lock(&q->mu);
	struct job **p = &q->quarantined;
	while (*p && (*p)->id != id)
		p = &(*p)->next;
	if (!*p) {
		rc = find(q, id) ? cc_error_set(CC_EINVAL, "job %lld is not quarantined", id)
		                 : cc_error_set(CC_ENOTFOUND, "no job %lld", id);
		goto out;
	}
	if (q->stopping) {
		rc = cc_error_set(CC_EBUSY, "the daemon is shutting down");
		goto out;
	}
	struct job *j = *p;
	*p = j->next;
	j->next = NULL;
	j->state = J_QUEUED;
	j->attempts = 0;
	j->started_at = j->finished_at = 0;
	j->queued_at = wall_now();
	free(j->err_msg);
	j->err_msg = NULL;
	j->err_code = 0;
	struct job **tail = &q->active;
	while (*tail)
		tail = &(*tail)->next;
	*tail = j;
	q->nqueued++;
	cc_log(CC_LOG_WARN, "job %lld: quarantine lifted by job.retry", j->id);
	journal_write(q);
	pthread_cond_broadcast(&q->work);
	*out = job_json(j);
out:
	pthread_mutex_unlock(&q->mu);
	return rc;
}

json_t *cc_jobs_queue_json(cc_jobs *q)
{
	json_t *run = json_array(), *queued = json_array(), *quar = json_array();
	pthread_mutex_lock(&q->mu);
	for (struct job *j = q->active; j; j = j->next)
		json_array_append_new(j->state == J_RUNNING ? run : queued, job_json(j));
	for (struct job *j = q->quarantined; j; j = j->next)
		json_array_append_new(quar, job_json(j));
	json_t *o = json_pack("{s:o, s:o, s:I, s:o}", "running", run, "queued", queued, "finished",
	                      (json_int_t)q->nfin, "quarantined", quar);
	pthread_mutex_unlock(&q->mu);
	return o;
}

json_t *cc_jobs_repos_json(cc_jobs *q)
{
	pthread_mutex_lock(&q->mu);
	json_t *r = json_deep_copy(q->repos);
	pthread_mutex_unlock(&q->mu);
	return r;
}

int cc_jobs_wait_idle(cc_jobs *q, double timeout)
{
	int rc = CC_OK;
	double end = cc_now() + timeout;
	pthread_mutex_lock(&q->mu);
	while (q->nqueued + q->nrunning > 0) {
		struct timespec ts;
		double left = end - cc_now();
		if (left <= 0) {
			rc = cc_error_set(CC_ETIMEDOUT, "jobs still pending after %.1f s", timeout);
			break;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		double t = ts.tv_sec + ts.tv_nsec * 1e-9 + (left < 0.05 ? left : 0.05);
		ts.tv_sec = (time_t)t;
		ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
		pthread_cond_timedwait(&q->idle, &q->mu, &ts);
	}
	pthread_mutex_unlock(&q->mu);
	return rc;
}

int cc_jobs_stop(cc_jobs *q, double grace, double hard)
{
	double end = cc_now() + grace;
	int rc = CC_OK;
	pthread_mutex_lock(&q->mu);
	if (q->nthreads == 0) {
		pthread_mutex_unlock(&q->mu);
		return CC_OK;
	}
	q->stopping = 1; /* workers finish their current job, then exit */
	while (q->nrunning > 0 && cc_now() < end) {
		pthread_mutex_unlock(&q->mu);
		usleep(10000);
		pthread_mutex_lock(&q->mu);
	}
	for (struct job *j = q->active; j; j = j->next)
		if (j->state == J_RUNNING) {
			j->interrupted = 1;
			__atomic_store_n(&j->cancel, 1, __ATOMIC_SEQ_CST);
		}
	pthread_cond_broadcast(&q->work);
	pthread_mutex_unlock(&q->mu);
	/* A job deaf to its cancel flag (a long phase of one file's analysis) must not keep the
	 * daemon from stopping: after hard more seconds it is left behind, still pending in the
	 * journal with its attempt counted. */
	double hard_end = cc_now() + (hard > 0 ? hard : 0);
	for (int i = 0; i < q->nthreads; i++) {
		if (hard <= 0) {
			pthread_join(q->threads[i], NULL);
			continue;
		}
		struct timespec ts;
		double t;
		clock_gettime(CLOCK_REALTIME, &ts);
		t = ts.tv_sec + ts.tv_nsec * 1e-9 + (hard_end - cc_now());
		ts.tv_sec = (time_t)t;
		ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
		if (pthread_timedjoin_np(q->threads[i], NULL, &ts) != 0) {
			rc = cc_error_set(CC_ETIMEDOUT,
			                  "a running job did not stop within %.1f s of its "
			                  "cancellation",
			                  hard);
			break;
		}
	}
	pthread_mutex_lock(&q->mu);
	if (rc == CC_OK)
		q->nthreads = 0;
	else
		for (struct job *j = q->active; j; j = j->next)
			if (j->state == J_RUNNING)
				cc_log(CC_LOG_ERROR,
				       "job %lld (%s) ignored its cancellation for %.1f s: leaving "
				       "it pending in the journal",
				       j->id, j->repo, hard);
	journal_write(q); /* pending = queued + interrupted (+ a job left behind) */
	pthread_mutex_unlock(&q->mu);
	return rc;
}

void cc_jobs_free(cc_jobs *q)
{
	if (!q)
		return;
	cc_jobs_stop(q, 0, 0);
	while (q->active) {
		struct job *j = q->active;
		q->active = j->next;
		job_free(j);
	}
	while (q->quarantined) {
		struct job *j = q->quarantined;
		q->quarantined = j->next;
		job_free(j);
	}
	for (size_t i = 0; i < q->nfin; i++)
		job_free(q->fin[(q->fin_head + i) % q->fin_cap]);
	free(q->fin);
	free(q->threads);
	json_decref(q->repos);
	free(q->journal);
	pthread_cond_destroy(&q->work);
	pthread_cond_destroy(&q->idle);
	pthread_mutex_destroy(&q->mu);
	free(q);
}
