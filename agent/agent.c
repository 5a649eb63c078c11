/*
 * agent.c - agent sessions: the model registry (one load per canonical directory and device,
 * a shared KV pool per model), context assembly from the index or raw text, prefill +
 * compression, and generate/score on copy-on-write forks. See cc_agent.h.
 *
 * Locking: a->mu guards the model list and the session table; each engine's lock (eng_lock: a
 * ticket lock, so a prefill waiting behind the decode loop gets the next turn) serialises the
 * engine calls on that device (its sessions are forks of one root session and share its
 * pool, which is not thread-safe); each engine's bmu guards its batch (the generate requests
 * in flight). Lock order: a->mu before an engine's lock before its bmu. A session in use is
 * pinned (refs) so close and the idle reaper free it only once the last user has let go.
 *
 * Batching: a generate call prefills its prompt on a fork under the engine lock, samples the
 * first token, and joins the engine's queue; the engine's decode loop (a thread started on
 * first use) runs cc_batch_decode over every queued request, samples each row with the
 * request's sampler (when every row is greedy, cc_batch_decode_greedy chooses them where the
 * logits are) and checks its stops, and wakes the callers; callers deliver the tokens
 * to their callbacks (streaming) outside every lock.
 */
#include "cc_agent.h"
#include "cc_compress.h"
#include "cc_priors.h"
#include "cc_store.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include "agent_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct agent_model;

/* One generate request in an engine's batch. The caller owns it; the decode loop writes it
 * (under the engine's bmu) until done. */
typedef struct gen_req {
	struct gen_req *next;
	cc_session *f; /* the fork: context + prompt + tokens so far */
	const cc_agent_gen_opts *o;
	const struct agent_model *am;
	cc_sampler smp;
	int32_t next_id; /* appended at the next step */
	int32_t *ids;    /* max_new entries */
	size_t n_ids, n_sampled;
	char *text; /* decoded so far (stop strings) */
	size_t len;
	const char *finish;
	int done, cancel, rc;
	char msg[512]; /* the loop's error message (rc != 0) */
} gen_req;

typedef struct agent_engine {
	struct agent_model *am;
	int index;
	int device, gpu;
	char id[24]; /* "cpu:0", "cuda:1" */
	cc_model *m;
	cc_session *root; /* empty; every session here is a fork of it (shared pool) */
	size_t n_sessions;
	/* the engine lock (ticket order) */
	pthread_mutex_t lk;
	pthread_cond_t lkcv;
	uint64_t ticket, serving;
	/* the batch */
	pthread_mutex_t bmu;
	pthread_cond_t wake, stepped;
	gen_req *queue;
	size_t n_queue;
	pthread_t thread;
	int thread_on, stop;
	cc_batch *batch; /* decode loop only */
	float *logits;
	cc_session **ss;
	int32_t *row_ids;
	int32_t *row_next; /* the batch's greedy choices, when every row is greedy */
	gen_req **rows;
	size_t rows_cap;
	uint64_t steps, step_rows;
	size_t max_rows;
	char *failed;   /* why it was taken out (set once, under bmu) */
	size_t pending; /* KV bytes of sessions being opened here (a->mu) */
	struct cc_agent *agent;
} agent_engine;

typedef struct agent_model {
	struct agent_model *next;
	char *dir;
	int device;
	dev_t st_dev;
	ino_t st_ino;
	cc_tokenizer *tok;
	cc_model_info info; /* of engines[0] */
	agent_engine **engines;
	size_t n_engines;
	size_t n_sessions;
	int has_chat;
	/* ids sampled from: those the tokenizer can decode (a model's vocabulary may be padded
	 * past them) */
	int n_sample;
} agent_model;

typedef struct agent_sess {
	struct agent_sess *next;
	char id[32];
	agent_model *am;
	agent_engine *eng; /* where it was placed */
	cc_session *s;     /* the compressed context */
	int32_t *ids;      /* context tokens, then the query window's */
	size_t n_ctx, n_query;
	float *prior;     /* n_ctx */
	uint8_t *protect; /* n_ctx */
	float *recon;     /* reconstruction attention of the last compression, or NULL */
	cc_agent_session_info info;
	double last_used;
	size_t recon_chunk;  /* chunk of the reconstruction pass (fits the admission's reserve) */
	size_t stream_chunk; /* > 0: compress as the chunked prefill goes (cc_agent_open_opts) */
	int stream_cum;      /* codecomp streamed with the carried attention */
	int refs;            /* users in flight */
	int closing;
} agent_sess;

struct cc_agent {
	cc_agent_opts o;
	pthread_mutex_t mu;
	agent_model *models;
	agent_sess *sessions;
	uint64_t counter;
	cc_repocache *rcache; /* the repository KV cache, made on first use */
	char *rcache_dir;     /* a copy of o.repo_cache_dir */
};

/* ---- small helpers ----------------------------------------------------------------------- */

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

int cc_agent_budget_check(double b)
{
	if (!(b > 0) || !isfinite(b))
		return cc_error_set(CC_EINVAL, "budget %g: give a share in (0, 1] or a token count > 1",
		                    b);
	if (b > 1 && b != floor(b))
		return cc_error_set(CC_EINVAL, "budget %g: a token count must be a whole number", b);
	if (b > 1e9)
		return cc_error_set(CC_EINVAL, "budget %g: too large", b);
	return CC_OK;
}

void cc_agent_session_info_clear(cc_agent_session_info *i)
{
	if (!i)
		return;
	free(i->model);
	free(i->policy);
	for (size_t k = 0; k < i->n_files; k++)
		free(i->files[k]);
	free(i->files);
	memset(i, 0, sizeof(*i));
}

static int info_copy(cc_agent_session_info *dst, const cc_agent_session_info *src)
{
	*dst = *src;
	dst->model = xstrdup(src->model);
	dst->policy = xstrdup(src->policy);
	dst->files = src->n_files ? calloc(src->n_files, sizeof(char *)) : NULL;
	if ((src->model && !dst->model) || (src->policy && !dst->policy) ||
	    (src->n_files && !dst->files))
		goto nomem;
	for (size_t k = 0; k < src->n_files; k++)
		if (!(dst->files[k] = strdup(src->files[k])))
			goto nomem;
	return CC_OK;
nomem:
	if (!dst->files)
		dst->n_files = 0;
	cc_agent_session_info_clear(dst); /* NULL entries of files are fine to free */
	return cc_error_set(CC_ENOMEM, "out of memory");
}

void cc_agent_gen_result_clear(cc_agent_gen_result *r)
{
	if (!r)
		return;
	free(r->text);
	free(r->ids);
	memset(r, 0, sizeof(*r));
}

void cc_agent_score_result_clear(cc_agent_score_result *r)
{
	if (!r)
		return;
	free(r->ids);
	free(r->nll);
	memset(r, 0, sizeof(*r));
}

/* ---- agent -------------------------------------------------------------------------------- */

int cc_agent_new(cc_agent **out, const cc_agent_opts *o)
{
	cc_agent *a;
	*out = NULL;
	if (!(a = calloc(1, sizeof(*a))))
		return cc_error_set(CC_ENOMEM, "out of memory");
	if (o)
		a->o = *o;
	if (!a->o.max_sessions)
		a->o.max_sessions = 32;
	if (a->o.idle_timeout_s == 0)
		a->o.idle_timeout_s = 900;
	if (!a->o.reserve)
		a->o.reserve = 512;
	if (a->o.n_threads < 0 || a->o.kv_tokens > (1u << 30)) {
		int rc = cc_error_set(CC_EINVAL, "agent: bad options (threads %d, kv tokens %zu)",
		                      a->o.n_threads, a->o.kv_tokens);
		free(a);
		return rc;
	}
	if (a->o.repo_cache_dir) {
		if (a->o.repo_cache_dir[0] != '/' || !(a->rcache_dir = strdup(a->o.repo_cache_dir))) {
			int rc = a->o.repo_cache_dir[0] != '/'
			                 ? cc_error_set(CC_EINVAL,
			                                "agent: the repository cache directory "
			                                "must be absolute, got '%.200s'",
			                                a->o.repo_cache_dir)
			                 : cc_error_set(CC_ENOMEM, "out of memory");
			free(a);
			return rc;
		}
		a->o.repo_cache_dir = a->rcache_dir;
	}
	pthread_mutex_init(&a->mu, NULL);
	*out = a;
	return CC_OK;
}

static void sess_free(agent_sess *s)
{
	if (!s)
		return;
	cc_session_free(s->s);
	free(s->ids);
	free(s->prior);
	free(s->protect);
	free(s->recon);
	cc_agent_session_info_clear(&s->info);
	free(s);
}

/* ---- engines ------------------------------------------------------------------------------ */

/* The engine lock, served in arrival order: the decode loop takes it once per step, and a
 * prefill that waits behind it runs before the loop's next step. Binds the calling thread to
 * the engine's GPU. */
static void eng_lock(agent_engine *e)
{
	uint64_t t;
	pthread_mutex_lock(&e->lk);
	t = e->ticket++;
	while (t != e->serving)
		pthread_cond_wait(&e->lkcv, &e->lk);
	pthread_mutex_unlock(&e->lk);
	(void)cc_model_bind(e->m); /* a failure shows in the engine call that follows */
}

static void eng_unlock(agent_engine *e)
{
	pthread_mutex_lock(&e->lk);
	e->serving++;
	pthread_cond_broadcast(&e->lkcv);
	pthread_mutex_unlock(&e->lk);
}

/* Take e out (the first reason stays). e->bmu held. */
static void eng_fail_locked(agent_engine *e, const char *why)
{
	if (!e->failed)
		e->failed = strdup(why && *why ? why : "failed");
	if (!e->failed)
		e->failed = (char *)"failed (and out of memory)";
	pthread_cond_broadcast(&e->wake);
}

/* CC_EIO naming the engine when it was taken out, else CC_OK. */
static int eng_check(agent_engine *e)
{
	int rc = CC_OK;
	pthread_mutex_lock(&e->bmu);
	if (e->failed)
		rc = cc_error_set(CC_EIO,
		                  "device %s of model %s was taken out (%s): the sessions "
		                  "placed on it are lost; open them again",
		                  e->id, e->am->dir,
		                  e->failed);
	pthread_mutex_unlock(&e->bmu);
	return rc;
}

/* After engine work that returned rc: a device error (CC_ECUDA) takes the engine out.
 * Returns rc, with the message naming the device. */
static int eng_result(agent_engine *e, int rc)
{
	if (rc == CC_ECUDA) {
		char why[512];
		snprintf(why, sizeof(why), "%s", cc_error_last());
		pthread_mutex_lock(&e->bmu);
		eng_fail_locked(e, why);
		pthread_mutex_unlock(&e->bmu);
		cc_error_set(CC_ECUDA, "device %s failed and was taken out: %s", e->id, why);
	}
	return rc;
}

/* Fault injection for tests: CC_AGENT_FAIL_DEVICE=<device id> makes engine work on that
 * device fail as a device error does; <device id>@decode only the batched decode steps. */
static int eng_injected(const agent_engine *e, int decode)
{
	const char *v = getenv("CC_AGENT_FAIL_DEVICE");
	size_t n = strlen(e->id);
	if (v && !strncmp(v, e->id, n) && (!v[n] || (decode && !strcmp(v + n, "@decode"))))
		return cc_error_set(CC_ECUDA, "%s: injected failure (CC_AGENT_FAIL_DEVICE)", e->id);
	return CC_OK;
}

static void eng_free(agent_engine *e)
{
	if (!e)
		return;
	pthread_mutex_lock(&e->bmu);
	e->stop = 1;
	pthread_cond_broadcast(&e->wake);
	pthread_mutex_unlock(&e->bmu);
	if (e->thread_on)
		pthread_join(e->thread, NULL);
	if (e->m)
		(void)cc_model_bind(e->m);
	cc_batch_free(e->batch);
	cc_session_free(e->root);
	cc_model_free(e->m);
	free(e->logits);
	free(e->ss);
	free(e->row_ids);
	free(e->row_next);
	free(e->rows);
	if (e->failed && strcmp(e->failed, "failed (and out of memory)"))
		free(e->failed);
	pthread_mutex_destroy(&e->lk);
	pthread_cond_destroy(&e->lkcv);
	pthread_mutex_destroy(&e->bmu);
	pthread_cond_destroy(&e->wake);
	pthread_cond_destroy(&e->stepped);
	free(e);
}

/* Load dir on one device with its own KV pool. */
static int eng_new(agent_engine **out, cc_agent *a, agent_model *am, const char *dir,
                   int device, int gpu, int index)
{
	cc_model_opts mo = {0};
	cc_session_opts so = {0};
	cc_model_info info;
	agent_engine *e;
	int rc;

	*out = NULL;
	if (!(e = calloc(1, sizeof(*e))))
		return cc_error_set(CC_ENOMEM, "out of memory");
	e->am = am;
	e->agent = a;
	e->index = index;
	e->device = device;
	e->gpu = gpu;
	snprintf(e->id, sizeof(e->id), "%s:%d", device == CC_DEVICE_CUDA ? "cuda" : "cpu", gpu);
	pthread_mutex_init(&e->lk, NULL);
	pthread_cond_init(&e->lkcv, NULL);
	pthread_mutex_init(&e->bmu, NULL);
	pthread_cond_init(&e->wake, NULL);
	pthread_cond_init(&e->stepped, NULL);
	mo.device = device;
	mo.n_threads = a->o.n_threads;
	if ((rc = cc_model_load_on(&e->m, dir, &mo, device == CC_DEVICE_CUDA ? gpu : 0)))
		goto fail;
	cc_model_info_get(&info, e->m);
	so.max_tokens = (size_t)info.max_pos;
	so.pool_tokens = a->o.kv_tokens ? a->o.kv_tokens : 4 * (size_t)info.max_pos;
	if (a->o.kv_bytes) {
		/* the cache's element size: f32 on the CPU, bf16 on CUDA (the backends' defaults) */
		size_t per = (size_t)info.n_layers * 2 * (size_t)info.n_kv_heads *
		             (size_t)info.head_dim * (device == CC_DEVICE_CUDA ? 2 : 4);
		so.pool_tokens = a->o.kv_bytes / per;
		if (so.pool_tokens < 2 * a->o.reserve) {
			rc = cc_error_set(CC_EINVAL,
			                  "model %s: %zu KV bytes hold %zu tokens (%zu bytes "
			                  "each), fewer than two sessions' reserve of %zu",
			                  dir,
			                  a->o.kv_bytes, so.pool_tokens, per, a->o.reserve);
			goto fail;
		}
	}
	if ((rc = cc_session_new(&e->root, e->m, &so)))
		goto fail;
	*out = e;
	return CC_OK;
fail:
	eng_free(e);
	return rc;
}

/* Room for n rows in the decode loop's arrays. e->bmu held. */
static int rows_reserve(agent_engine *e, size_t n)
{
	size_t vocab = (size_t)e->am->info.vocab;
	if (n <= e->rows_cap)
		return CC_OK;
	float *l = realloc(e->logits, n * vocab * sizeof(float));
	if (l)
		e->logits = l;
	cc_session **ss = realloc(e->ss, n * sizeof(*ss));
	if (ss)
		e->ss = ss;
	int32_t *ids = realloc(e->row_ids, n * sizeof(*ids));
	if (ids)
		e->row_ids = ids;
	int32_t *nx = realloc(e->row_next, n * sizeof(*nx));
	if (nx)
		e->row_next = nx;
	gen_req **rows = realloc(e->rows, n * sizeof(*rows));
	if (rows)
		e->rows = rows;
	if (!l || !ss || !ids || !nx || !rows)
		return cc_error_set(CC_ENOMEM, "out of memory (a batch of %zu rows)", n);
	e->rows_cap = n;
	return CC_OK;
}

static int ends_with_stop(const char *text, size_t len, const cc_agent_gen_opts *o, size_t *cut);

/* Sample r's next token from logits and check its stops: 1 when r goes on (r->next_id is to
 * be appended), 0 when it is done (r->finish says why, r->rc on an error). The caller has r
 * to itself or holds its engine's bmu. */
static int req_take_id(gen_req *r, int32_t id);

static int req_take(gen_req *r, const float *logits)
{
	return req_take_id(r, cc_sampler_sample(&r->smp, logits, r->am->n_sample));
}

/* As req_take, with the token already chosen (id < 0: the sampler's error). */
static int req_take_id(gen_req *r, int32_t id)
{
	const agent_model *am = r->am;
	const cc_agent_gen_opts *o = r->o;
	char *dec = NULL;
	size_t dl = 0, cut;
	int stop = 0;

	if (id < 0) {
		r->rc = id;
		snprintf(r->msg, sizeof(r->msg), "%s", cc_error_last());
		return 0;
	}
	r->n_sampled++;
	r->ids[r->n_ids++] = id;
	if (!o->no_eos && id == am->info.eos_id)
		stop = 1;
	for (size_t j = 0; j < o->n_stop_ids; j++)
		stop |= id == o->stop_ids[j];
	if (stop) {
		r->n_ids--; /* the end token is not part of the text */
		r->finish = "stop";
		return 0;
	}
	if (o->n_stop) {
		/* the text so far, for stop strings (the final text is decoded once at the end) */
		int rc = cc_tokenizer_decode(am->tok, &id, 1, &dec, &dl);
		char *nt = rc ? NULL : realloc(r->text, r->len + dl + 1);
		if (!nt) {
			free(dec);
			r->rc = rc ? rc : CC_ENOMEM;
			snprintf(r->msg, sizeof(r->msg), "%s", rc ? cc_error_last() : "out of memory");
			return 0;
		}
		r->text = nt;
		memcpy(r->text + r->len, dec, dl);
		r->len += dl;
		r->text[r->len] = 0;
		free(dec);
		if (ends_with_stop(r->text, r->len, o, &cut)) {
			r->finish = "stop";
			return 0;
		}
	}
	if (r->n_sampled >= o->max_new)
		return 0;
	r->next_id = id;
	return 1;
}

/* The decode loop of an engine: one batched step over every request in flight, until the
 * engine is freed. */
static void *eng_loop(void *arg)
{
	agent_engine *e = arg;
	size_t vocab = (size_t)e->am->info.vocab;
	int *row_rc = NULL;
	size_t row_rc_cap = 0;

	pthread_mutex_lock(&e->bmu);
	for (;;) {
		size_t n = 0;
		int rc;
		char msg[512];
		while (!e->stop && !e->queue)
			pthread_cond_wait(&e->wake, &e->bmu);
		if (!e->queue)
			break;
		/* leave: cancelled requests, and everyone on an engine taken out */
		for (gen_req **pp = &e->queue; *pp;) {
			gen_req *r = *pp;
			if (r->cancel || e->failed || e->stop) {
				if (!r->cancel) {
					r->rc = CC_EIO;
					snprintf(r->msg, sizeof(r->msg),
					         "device %s of model %s was taken out (%s)",
					         e->id, e->am->dir, e->failed ? e->failed : "shut down");
				}
				r->done = 1;
				*pp = r->next;
				e->n_queue--;
				continue;
			}
			pp = &r->next;
		}
		pthread_cond_broadcast(&e->stepped); /* those that left */
		if (!e->queue)
			continue;
		if (rows_reserve(e, e->n_queue) ||
		    (e->n_queue > row_rc_cap && !(row_rc = realloc(row_rc, e->n_queue * sizeof(int))))) {
			/* no memory for the step: everyone in flight fails with that */
			for (gen_req *r = e->queue; r; r = r->next) {
				r->rc = CC_ENOMEM;
				snprintf(r->msg, sizeof(r->msg), "out of memory (a batch of %zu rows)",
				         e->n_queue);
				r->done = 1;
			}
			e->queue = NULL;
			e->n_queue = 0;
			row_rc_cap = 0;
			pthread_cond_broadcast(&e->stepped);
			continue;
		}
		if (e->n_queue > row_rc_cap)
			row_rc_cap = e->n_queue;
		/* every row greedy: the batch chooses (on a GPU, no row of logits leaves it) */
		int greedy = 1, chosen = 0;
		for (gen_req *r = e->queue; r; r = r->next) {
			e->rows[n] = r;
			e->ss[n] = r->f;
			e->row_ids[n] = r->next_id;
			row_rc[n] = CC_OK;
			greedy &= r->o->temperature <= 0;
			n++;
		}
		pthread_mutex_unlock(&e->bmu);

		eng_lock(e);
		rc = eng_injected(e, 1);
		if (!rc && !e->batch)
			rc = cc_batch_new(&e->batch, e->m);
		if (!rc && greedy) {
			rc = cc_batch_decode_greedy(e->batch, e->ss, e->row_ids, n, e->am->n_sample,
			                            e->row_next);
			chosen = !rc;
		} else if (!rc) {
			rc = cc_batch_decode(e->batch, e->ss, e->row_ids, n, e->logits);
		}
		if (rc == CC_ENOMEM && n > 1) {
			/* the pool lacks a block for every row: each row alone, as far as it goes (the
			 * rows that fail are those that would have failed decoding alone) */
			rc = CC_OK;
			for (size_t i = 0; i < n; i++)
				if ((row_rc[i] = cc_session_decode(e->ss[i], e->row_ids[i],
				                                   e->logits + i * vocab)))
					snprintf(e->rows[i]->msg, sizeof(e->rows[i]->msg), "%s",
					         cc_error_last());
		}
		if (rc)
			snprintf(msg, sizeof(msg), "%s", cc_error_last());
		eng_unlock(e);

		pthread_mutex_lock(&e->bmu);
		if (rc == CC_ECUDA)
			eng_fail_locked(e, msg);
		for (size_t i = 0; i < n; i++) {
			gen_req *r = e->rows[i];
			if (rc) {
				r->rc = rc;
				if (rc == CC_ECUDA)
					snprintf(r->msg, sizeof(r->msg), "device %s failed and was taken out: %s",
					         e->id, e->failed);
				else
					snprintf(r->msg, sizeof(r->msg), "%s", msg);
				r->done = 1;
			} else if (row_rc[i]) {
				r->rc = row_rc[i];
				r->done = 1;
			} else if (!(chosen ? req_take_id(r, e->row_next[i])
			                    : req_take(r, e->logits + i * vocab))) {
				r->done = 1;
			}
		}
		for (gen_req **pp = &e->queue; *pp;) {
			if ((*pp)->done) {
				*pp = (*pp)->next;
				e->n_queue--;
			} else {
				pp = &(*pp)->next;
			}
		}
		e->steps++;
		e->step_rows += n;
		if (n > e->max_rows)
			e->max_rows = n;
		pthread_cond_broadcast(&e->stepped);
	}
	pthread_mutex_unlock(&e->bmu);
	free(row_rc);
	return NULL;
}

/* ---- agent teardown ----------------------------------------------------------------------- */

static void model_free(struct agent_model *m);

void cc_agent_free(cc_agent *a)
{
	if (!a)
		return;
	for (agent_sess *s = a->sessions, *n; s; s = n) {
		n = s->next;
		if (s->eng)
			(void)cc_model_bind(s->eng->m);
		sess_free(s);
	}
	/* the cache first: its device copies live on the models' GPUs */
	cc_repocache_free(a->rcache);
	a->rcache = NULL;
	for (agent_model *m = a->models, *n; m; m = n) {
		n = m->next;
		model_free(m);
	}
	free(a->rcache_dir);
	pthread_mutex_destroy(&a->mu);
	free(a);
}

/* ---- models ------------------------------------------------------------------------------ */

/* Whether the model directory's tokenizer_config.json has a chat_template (of any family:
 * whether it can be rendered is cc_chat_template_load's question). */
static int chat_template_present(const char *dir)
{
	char path[PATH_MAX + 32];
	json_t *root;
	int found;
	snprintf(path, sizeof(path), "%s/tokenizer_config.json", dir);
	if (!(root = json_load_file(path, JSON_DECODE_INT_AS_REAL, NULL)))
		return 0;
	found = json_object_get(root, "chat_template") != NULL;
	json_decref(root);
	return found;
}

/* Find a loaded model by identity (device kind + inode of the directory). a->mu held. */
static agent_model *model_find(cc_agent *a, const struct stat *st, int device)
{
	for (agent_model *m = a->models; m; m = m->next)
		if (m->device == device && m->st_dev == st->st_dev && m->st_ino == st->st_ino)
			return m;
	return NULL;
}

#define MAX_ENGINES 16

/* A device list ("cpu", "cpu,cpu", "cuda", "cuda:1", "cuda:0,cuda:1", "cuda:all"): its kind,
 * and the GPU numbers (CPU: 0, 1, ... by position); *all for "cuda:all". */
static int devices_parse(int *kind, int *gpus, size_t *n, int *all, const char *spec)
{
	const char *p = spec;
	*kind = -1;
	*n = 0;
	*all = 0;
	if (!spec || !*spec)
		return cc_error_set(CC_EINVAL, "devices: an empty list");
	while (*p) {
		char item[32];
		size_t len = strcspn(p, ",");
		int k, g;
		if (len == 0 || len >= sizeof(item))
			return cc_error_set(CC_EINVAL,
			                    "devices '%.100s': a bad entry at offset %zu "
			                    "(cpu, cuda, cuda:N or cuda:all)",
			                    spec, (size_t)(p - spec));
		memcpy(item, p, len);
		item[len] = 0;
		p += len + (p[len] == ',');
		char *colon = strchr(item, ':');
		if (colon)
			*colon = 0;
		if ((k = cc_device_parse(item)) < 0)
			return cc_error_set(CC_EINVAL,
			                    "devices '%.100s': unknown device '%s' (cpu or cuda)",
			                    spec, item);
		if (*kind >= 0 && k != *kind)
			return cc_error_set(CC_EINVAL, "devices '%.100s': a list mixes cpu and cuda", spec);
		*kind = k;
		g = k == CC_DEVICE_CPU ? (int)*n : 0;
		if (colon && k == CC_DEVICE_CUDA && !strcmp(colon + 1, "all")) {
			*all = 1;
		} else if (colon) {
			char *end;
			long v = strtol(colon + 1, &end, 10);
			if (!colon[1] || *end || v < 0 || v > 255)
				return cc_error_set(CC_EINVAL,
				                    "devices '%.100s': '%s:%s' is not "
				                    "a device number",
				                    spec, item, colon + 1);
			if (k == CC_DEVICE_CUDA)
				g = (int)v;
		}
		if (*n >= MAX_ENGINES)
			return cc_error_set(CC_EINVAL, "devices '%.100s': more than %d", spec,
			                    MAX_ENGINES);
		for (size_t i = 0; i < *n; i++)
			if (gpus[i] == g)
				return cc_error_set(CC_EINVAL, "devices '%.100s': cuda:%d is listed twice",
				                    spec, g);
		gpus[(*n)++] = g;
	}
	if (*all && *n != 1)
		return cc_error_set(CC_EINVAL, "devices '%.100s': cuda:all stands alone", spec);
	return CC_OK;
}

static void model_free(agent_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_engines; i++)
		eng_free(m->engines[i]);
	free(m->engines);
	cc_tokenizer_free(m->tok);
	free(m->dir);
	free(m);
}

/* The model of dir on device kind, loaded (on spec's devices, or one device of that kind when
 * spec is NULL) when it is not yet. */
static int model_get_spec(agent_model **out, cc_agent *a, const char *dir, int device,
                          const char *spec)
{
	char canon[PATH_MAX];
	struct stat st;
	agent_model *m = NULL;
	int gpus[MAX_ENGINES] = {0}, all = 0, kind = device;
	size_t n_dev = 1;
	int rc;

	*out = NULL;
	if (!dir || dir[0] != '/')
		return cc_error_set(CC_EINVAL, "model: an absolute directory is needed, got '%.200s'",
		                    dir ? dir : "(none)");
	if (spec && (rc = devices_parse(&kind, gpus, &n_dev, &all, spec)))
		return rc;
	if (kind != CC_DEVICE_CPU && kind != CC_DEVICE_CUDA)
		return cc_error_set(CC_EINVAL, "model: unknown device %d", kind);
	if (!realpath(dir, canon) || stat(canon, &st) || !S_ISDIR(st.st_mode))
		return cc_error_set(CC_ENOTFOUND, "model directory %.200s: %s", dir,
		                    errno ? strerror(errno) : "not a directory");
	pthread_mutex_lock(&a->mu);
	if ((m = model_find(a, &st, kind))) {
		pthread_mutex_unlock(&a->mu);
		*out = m;
		return CC_OK;
	}
	/* Loading holds the agent lock: two first uses of one model load it once. */
	if (!(m = calloc(1, sizeof(*m))) || !(m->dir = strdup(canon)) ||
	    !(m->engines = calloc(MAX_ENGINES, sizeof(*m->engines)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail;
	}
	m->device = kind;
	m->st_dev = st.st_dev;
	m->st_ino = st.st_ino;
	if ((rc = cc_tokenizer_load(&m->tok, canon)))
		goto fail;
	for (size_t i = 0; i < (all ? (size_t)MAX_ENGINES : n_dev); i++) {
		int g = all ? (int)i : gpus[i];
		if ((rc = eng_new(&m->engines[i], a, m, canon, kind, g, (int)i))) {
			if (all && i > 0 && rc == CC_ENOTFOUND) {
				rc = CC_OK; /* past the last GPU */
				break;
			}
			goto fail;
		}
		m->n_engines++;
		if (i == 0)
			cc_model_info_get(&m->info, m->engines[0]->m);
	}
	if ((rc = cc_tokenizer_check_model_vocab(m->tok, (size_t)m->info.vocab))) {
		cc_error_set(rc, "model %s: %s", canon, cc_error_last());
		goto fail;
	}
	m->has_chat = chat_template_present(canon);
	m->n_sample = (int)cc_tokenizer_vocab_size(m->tok);
	if (m->n_sample <= 0 || m->n_sample > m->info.vocab)
		m->n_sample = m->info.vocab;
	/* append: load order */
	{
		agent_model **pp = &a->models;
		while (*pp)
			pp = &(*pp)->next;
		*pp = m;
	}
	pthread_mutex_unlock(&a->mu);
	*out = m;
	return CC_OK;
fail:
	pthread_mutex_unlock(&a->mu);
	model_free(m);
	return rc;
}

static int model_get(agent_model **out, cc_agent *a, const char *dir, int device)
{
	return model_get_spec(out, a, dir, device, NULL);
}

int cc_agent_model_load(cc_agent *a, const char *dir, int device)
{
	agent_model *m;
	return model_get(&m, a, dir, device);
}

int cc_agent_model_load_devices(cc_agent *a, const char *dir, const char *devices)
{
	agent_model *m;
	return model_get_spec(&m, a, dir, CC_DEVICE_CPU, devices ? devices : "cpu");
}

int cc_agent_device_fail(cc_agent *a, const char *dir, int device, const char *device_id,
                         const char *why)
{
	char canon[PATH_MAX];
	struct stat st;
	agent_model *m;
	agent_engine *e = NULL;
	if (!dir || !device_id || !realpath(dir, canon) || stat(canon, &st))
		return cc_error_set(CC_ENOTFOUND, "no model '%.200s'", dir ? dir : "(none)");
	pthread_mutex_lock(&a->mu);
	m = model_find(a, &st, device);
	for (size_t i = 0; m && i < m->n_engines; i++)
		if (!strcmp(m->engines[i]->id, device_id))
			e = m->engines[i];
	pthread_mutex_unlock(&a->mu);
	if (!e)
		return cc_error_set(CC_ENOTFOUND, "model %.200s has no device '%.40s'", canon,
		                    device_id);
	pthread_mutex_lock(&e->bmu);
	eng_fail_locked(e, why ? why : "taken out");
	pthread_mutex_unlock(&e->bmu);
	return CC_OK;
}

const cc_tokenizer *cc_agent_model_tokenizer(cc_agent *a, const char *dir, int device)
{
	char canon[PATH_MAX];
	struct stat st;
	agent_model *m;
	if (!dir || !realpath(dir, canon) || stat(canon, &st))
		return NULL;
	pthread_mutex_lock(&a->mu);
	m = model_find(a, &st, device);
	pthread_mutex_unlock(&a->mu);
	return m ? m->tok : NULL;
}

static size_t token_bytes(const agent_engine *e)
{
	const cc_kv_config *c = cc_kv_pool_config(cc_session_pool(e->root));
	return (size_t)c->n_layers * 2 * (size_t)c->n_kv_heads * (size_t)c->head_dim *
	       cc_kv_dtype_size(c->dtype);
}

static void models_free_one(cc_agent_model_info *i)
{
	free(i->dir);
	free(i->arch);
	for (size_t k = 0; k < i->n_devices; k++)
		free(i->devices[k].failed);
	free(i->devices);
}

int cc_agent_models(cc_agent_model_info **out, size_t *n, cc_agent *a)
{
	size_t k = 0, cnt = 0;
	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&a->mu);
	for (agent_model *m = a->models; m; m = m->next)
		cnt++;
	if (cnt && !(*out = calloc(cnt, sizeof(**out)))) {
		pthread_mutex_unlock(&a->mu);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	for (agent_model *m = a->models; m; m = m->next, k++) {
		cc_agent_model_info *i = &(*out)[k];
		int bad = 0;
		i->dir = strdup(m->dir);
		i->arch = strdup(m->info.arch);
		i->device = m->device;
		i->window = (size_t)m->info.max_pos;
		i->vocab = (size_t)m->info.vocab;
		i->n_layers = (size_t)m->info.n_layers;
		i->n_params = m->info.n_params;
		i->kv_bytes_per_token = token_bytes(m->engines[0]);
		i->n_sessions = m->n_sessions;
		i->has_chat_template = m->has_chat;
		if (!(i->devices = calloc(m->n_engines, sizeof(*i->devices))))
			bad = 1;
		for (size_t d = 0; !bad && d < m->n_engines; d++) {
			agent_engine *e = m->engines[d];
			cc_agent_device_info *di = &i->devices[d];
			cc_cache_stats cs;
			eng_lock(e);
			cc_session_cache_stats(&cs, e->root);
			eng_unlock(e);
			memcpy(di->id, e->id, sizeof(di->id));
			di->kv_bytes_capacity = cs.bytes_capacity;
			di->kv_bytes_used = cs.bytes_used;
			di->n_sessions = e->n_sessions;
			pthread_mutex_lock(&e->bmu);
			di->generating = e->n_queue;
			di->steps = e->steps;
			di->step_rows = e->step_rows;
			di->max_rows = e->max_rows;
			if (e->failed && !(di->failed = strdup(e->failed)))
				bad = 1;
			pthread_mutex_unlock(&e->bmu);
			i->n_devices++;
			i->kv_bytes_capacity += di->kv_bytes_capacity;
			i->kv_bytes_used += di->kv_bytes_used;
		}
		if (bad || !i->dir || !i->arch) {
			pthread_mutex_unlock(&a->mu);
			cc_agent_models_free(*out, cnt);
			*out = NULL;
			return cc_error_set(CC_ENOMEM, "out of memory");
		}
	}
	pthread_mutex_unlock(&a->mu);
	*n = cnt;
	return CC_OK;
}

void cc_agent_models_free(cc_agent_model_info *m, size_t n)
{
	if (!m)
		return;
	for (size_t i = 0; i < n; i++)
		models_free_one(&m[i]);
	free(m);
}

/* ---- context assembly --------------------------------------------------------------------- */

typedef struct {
	cc_priors *pr;
	char **files;
	size_t n_files;
	int by_query;
	double t_assemble;
} context;

static void context_clear(context *c)
{
	cc_priors_free(c->pr);
	for (size_t i = 0; i < c->n_files; i++)
		free(c->files[i]);
	free(c->files);
	memset(c, 0, sizeof(*c));
}

static int add_file(context *c, const char *path)
{
	for (size_t i = 0; i < c->n_files; i++)
		if (!strcmp(c->files[i], path))
			return CC_OK;
	char **f = realloc(c->files, (c->n_files + 1) * sizeof(*f));
	if (!f)
		return cc_error_set(CC_ENOMEM, "out of memory");
	c->files = f;
	if (!(f[c->n_files] = strdup(path)))
		return cc_error_set(CC_ENOMEM, "out of memory");
	c->n_files++;
	return CC_OK;
}

/* Files ranked by how much of the query they define or are named by: a file defining an
 * identifier of the query scores 1 per definition (a qualified match 2), a path containing a
 * query word 3. Ties: path order. */
typedef struct {
	size_t file;
	double score;
} ranked;

static int cmp_ranked(const void *x, const void *y)
{
	const ranked *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->file < b->file ? -1 : a->file > b->file;
}

static int rank_by_query(ranked **out, size_t *n_out, cc_store_rev *r, const char *query)
{
	size_t nf = cc_store_rev_n_files(r), n = 0;
	ranked *rk = calloc(nf ? nf : 1, sizeof(*rk));
	const char *p = query;
	if (!rk)
		return cc_error_set(CC_ENOMEM, "out of memory");
	for (size_t i = 0; i < nf; i++)
		rk[i].file = i;
	while (*p) {
		char word[128];
		size_t len = 0;
		while (*p && !(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		               (*p >= '0' && *p <= '9')))
			p++;
		while (*p && (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		              (*p >= '0' && *p <= '9'))) {
			if (len < sizeof(word) - 1)
				word[len++] = *p;
			p++;
		}
		word[len] = 0;
		if (len < 3)
			continue;
		const cc_store_def *defs;
		size_t nd;
		cc_store_rev_lookup(&defs, &nd, r, word);
		for (size_t d = 0; d < nd; d++)
			for (size_t i = 0; i < nf; i++)
				if (!strcmp(cc_store_rev_path(r, i), defs[d].path)) {
					rk[i].score += 1.0 / (double)nd; /* a rare name says more */
					break;
				}
		for (size_t i = 0; i < nf; i++) {
			const char *path = cc_store_rev_path(r, i), *base = strrchr(path, '/');
			if (strstr(base ? base + 1 : path, word))
				rk[i].score += 3;
		}
	}
	qsort(rk, nf, sizeof(*rk), cmp_ranked);
	while (n < nf && rk[n].score > 0)
		n++;
	*out = rk;
	*n_out = n;
	return CC_OK;
}

int agent_files_by_query(const char ***paths, size_t *n, cc_store_rev *r, const char *query,
                         size_t limit)
{
	ranked *rk = NULL;
	size_t n_rk = 0, bytes = 0;
	int rc;
	*paths = NULL;
	*n = 0;
	if ((rc = rank_by_query(&rk, &n_rk, r, query)))
		return rc;
	if (!n_rk) {
		free(rk);
		return cc_error_set(CC_ENOTFOUND,
		                    "the query names nothing defined in the repository "
		                    "(no file defines or is named by its identifiers): name paths "
		                    "instead");
	}
	if (!(*paths = malloc((n_rk < 64 ? n_rk : 64) * sizeof(**paths)))) {
		free(rk);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	for (size_t k = 0; k < n_rk && k < 64; k++) {
		cc_store_file *f = NULL;
		const char *path = cc_store_rev_path(r, rk[k].file);
		if (cc_store_rev_file(&f, r, path))
			continue;
		size_t len = f->len;
		cc_store_file_free(f);
		if (*n && (bytes + len) / 3 > limit)
			break;
		bytes += len;
		(*paths)[(*n)++] = path;
	}
	free(rk);
	return CC_OK;
}

/* Resolve "name" / "Class.name" to byte ranges of the revision's files. */
static int function_items(cc_prompt_item **items, size_t *n_items, context *c, cc_store_rev *r,
                          const char *const *fns, size_t n_fns)
{
	for (size_t k = 0; k < n_fns; k++) {
		const char *q = fns[k], *dot = strrchr(q, '.'), *simple = dot ? dot + 1 : q;
		const cc_store_def *defs;
		size_t nd, found = 0;
		cc_store_rev_lookup(&defs, &nd, r, simple);
		for (size_t d = 0; d < nd; d++) {
			cc_store_file *f = NULL;
			int rc;
			if (dot && strcmp(defs[d].qual, q))
				continue;
			if ((rc = cc_store_rev_file(&f, r, defs[d].path)))
				return rc;
			if (defs[d].index >= f->graph->n_nodes) {
				cc_store_file_free(f);
				continue;
			}
			const cc_node *nd0 = &f->graph->nodes[defs[d].index];
			cc_prompt_item *it = realloc(*items, (*n_items + 1) * sizeof(*it));
			if (!it) {
				cc_store_file_free(f);
				return cc_error_set(CC_ENOMEM, "out of memory");
			}
			*items = it;
			it[*n_items].path = defs[d].path;
			it[*n_items].text = NULL;
			it[*n_items].start = nd0->start_byte;
			it[*n_items].end = nd0->end_byte > nd0->start_byte ? nd0->end_byte
			                                                   : nd0->start_byte + 1;
			(*n_items)++;
			found++;
			cc_store_file_free(f);
			if ((rc = add_file(c, defs[d].path)))
				return rc;
		}
		if (!found)
			return cc_error_set(CC_EINVAL,
			                    "function '%.200s' is not defined in "
			                    "the indexed revision",
			                    q);
	}
	return CC_OK;
}

/* A context given exactly: a raw text (tokenized as a prompt is, nothing added) or token ids
 * (the text is their bytes, for the priors' offsets). The priors are computed on exactly
 * those tokens, as one raw text segment. */
static int assemble_exact(context *c, agent_model *am, const cc_agent_open_opts *o,
                          const cc_priors_opts *po, const cc_priors_config *cfg)
{
	int32_t *ids = NULL;
	cc_token_span *off = NULL;
	char *text = NULL;
	size_t n = 0, len = 0;
	int rc;

	if (o->text) {
		if ((rc = cc_tokenizer_encode(am->tok, o->text, o->text_len, &ids, &off, &n)))
			goto out;
		len = o->text_len;
		/* the post-processor's tokens (a BOS) have empty ranges; the text is as given */
	} else {
		size_t vocab = (size_t)am->info.vocab;
		if (!(ids = malloc(o->n_ids * sizeof(int32_t))) ||
		    !(off = malloc(o->n_ids * sizeof(cc_token_span)))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < o->n_ids; i++) {
			size_t pl = 0;
			if (o->ids[i] < 0 || (size_t)o->ids[i] >= vocab) {
				rc = cc_error_set(CC_EINVAL,
				                  "context token %zu: id %d is outside the model's "
				                  "vocabulary (0..%zu)",
				                  i, (int)o->ids[i], vocab - 1);
				goto out;
			}
			cc_tokenizer_token_bytes(am->tok, o->ids[i], &pl);
			len += pl;
		}
		if (len >= UINT32_MAX || !(text = malloc(len + 1))) {
			rc = cc_error_set(len >= UINT32_MAX ? CC_ETOOBIG : CC_ENOMEM,
			                  "the context's text is too large");
			goto out;
		}
		len = 0;
		for (size_t i = 0; i < o->n_ids; i++) {
			size_t pl = 0;
			const char *b = cc_tokenizer_token_bytes(am->tok, o->ids[i], &pl);
			ids[i] = o->ids[i];
			off[i].start = (uint32_t)len;
			if (pl)
				memcpy(text + len, b, pl);
			len += pl;
			off[i].end = (uint32_t)len;
		}
		text[len] = 0;
		n = o->n_ids;
	}
	rc = cc_priors_compute_text_tokens(&c->pr, text ? text : o->text, len, ids, off, n, po, cfg);
out:
	free(ids);
	free(off);
	free(text);
	return rc;
}

static int assemble(context *c, cc_agent *a, agent_model *am, const cc_agent_open_opts *o,
                    size_t limit)
{
	cc_priors_opts po = {0};
	cc_priors_config cfg;
	cc_store *st = NULL;
	cc_store_rev *r = NULL;
	cc_prompt_item *items = NULL;
	size_t n_items = 0;
	ranked *rk = NULL;
	size_t n_rk = 0;
	char *db = NULL;
	double t0 = cc_now();
	int rc = CC_OK;
	(void)a;

	cc_priors_config_default(&cfg);
	po.query = o->query;
	po.query_len = o->query ? strlen(o->query) : 0;
	if ((o->text && o->text_raw) || o->n_ids) {
		if (o->repo || o->n_paths || o->n_functions || (o->text && o->n_ids))
			return cc_error_set(CC_EINVAL,
			                    "give one context: text, token ids or repository "
			                    "paths/functions");
		c->t_assemble = cc_now() - t0;
		return assemble_exact(c, am, o, &po, &cfg);
	}
	if (o->text) {
		cc_prompt_segment seg = {0};
		if (o->repo || o->n_paths || o->n_functions)
			return cc_error_set(CC_EINVAL,
			                    "give either text or repository paths/functions, "
			                    "not both");
		seg.content = o->text;
		seg.len = o->text_len;
		c->t_assemble = cc_now() - t0;
		return cc_priors_compute(&c->pr, am->tok, &seg, 1, &po, &cfg);
	}
	if (!o->repo)
		return cc_error_set(CC_EINVAL,
		                    "no context: give text, or a repository with paths, "
		                    "functions or a query");
	if (o->repo[0] != '/')
		return cc_error_set(CC_EINVAL, "repository path must be absolute, got '%.200s'",
		                    o->repo);
	if (!o->n_paths && !o->n_functions && !(o->query && *o->query))
		return cc_error_set(CC_EINVAL,
		                    "no context: name paths or functions, or give a query "
		                    "to choose files by");
	if (o->db) {
		if (!(db = strdup(o->db)))
			return cc_error_set(CC_ENOMEM, "out of memory");
	} else if ((rc = cc_store_default_db_path(&db, o->repo))) {
		return rc;
	}
	if ((rc = cc_store_open(&st, db, CC_STORE_READONLY)) ||
	    (rc = cc_store_rev_open(&r, st, o->repo, o->rev)))
		goto out;
	for (size_t k = 0; k < o->n_paths; k++) {
		cc_prompt_item *it = realloc(items, (n_items + 1) * sizeof(*it));
		if (!it) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		items = it;
		memset(&it[n_items], 0, sizeof(*it));
		it[n_items++].path = o->paths[k];
		if ((rc = add_file(c, o->paths[k])))
			goto out;
	}
	if ((rc = function_items(&items, &n_items, c, r, o->functions, o->n_functions)))
		goto out;
	if (!n_items) {
		/* Query alone: the most relevant files, as many as the limit takes (bytes / 3 is
		 * a generous token estimate for code; a context still over the limit drops its
		 * last file). */
		size_t bytes = 0;
		if ((rc = rank_by_query(&rk, &n_rk, r, o->query)))
			goto out;
		if (!n_rk) {
			rc = cc_error_set(CC_ENOTFOUND,
			                  "the query names nothing defined in %.200s "
			                  "(no file defines or is named by its identifiers): name paths "
			                  "or functions instead",
			                  o->repo);
			goto out;
		}
		c->by_query = 1;
		for (size_t k = 0; k < n_rk && k < 64; k++) {
			cc_store_file *f = NULL;
			const char *path = cc_store_rev_path(r, rk[k].file);
			if (cc_store_rev_file(&f, r, path))
				continue;
			size_t len = f->len;
			cc_store_file_free(f);
			if (n_items && (bytes + len) / 3 > limit)
				break;
			bytes += len;
			cc_prompt_item *it = realloc(items, (n_items + 1) * sizeof(*it));
			if (!it) {
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
			items = it;
			memset(&it[n_items], 0, sizeof(*it));
			it[n_items++].path = path;
			if ((rc = add_file(c, path)))
				goto out;
		}
	}
	c->t_assemble = cc_now() - t0;
	for (;;) {
		rc = cc_priors_from_store(&c->pr, st, o->repo, o->rev, am->tok, items, n_items, &po,
		                          &cfg);
		if (rc || !c->by_query || c->pr->n_tokens <= limit || n_items == 1)
			break;
		cc_priors_free(c->pr);
		c->pr = NULL;
		n_items--;
		free(c->files[--c->n_files]);
	}
out:
	free(items);
	free(rk);
	cc_store_rev_free(r);
	cc_store_free(st);
	free(db);
	return rc;
}

/* ---- sessions ----------------------------------------------------------------------------- */

static agent_sess *sess_find(cc_agent *a, const char *id)
{
	for (agent_sess *s = a->sessions; s; s = s->next)
		if (!s->closing && !strcmp(s->id, id))
			return s;
	return NULL;
}

/* Unlink s (a->mu held); freed now or by its last user. */
static void sess_unlink(cc_agent *a, agent_sess *s)
{
	for (agent_sess **pp = &a->sessions; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	s->closing = 1;
}

static void sess_destroy(agent_sess *s)
{
	agent_engine *e = s->eng;
	eng_lock(e);
	cc_session_free(s->s);
	s->s = NULL;
	eng_unlock(e);
	pthread_mutex_lock(&e->agent->mu);
	e->n_sessions--;
	s->am->n_sessions--;
	pthread_mutex_unlock(&e->agent->mu);
	sess_free(s);
}

size_t cc_agent_reap(cc_agent *a)
{
	agent_sess *dead = NULL;
	size_t n = 0;
	double now = cc_now();
	if (a->o.idle_timeout_s < 0)
		return 0;
	pthread_mutex_lock(&a->mu);
	for (agent_sess **pp = &a->sessions; *pp;) {
		agent_sess *s = *pp;
		if (s->refs == 0 && now - s->last_used > a->o.idle_timeout_s) {
			*pp = s->next;
			s->next = dead;
			dead = s;
			n++;
		} else {
			pp = &s->next;
		}
	}
	pthread_mutex_unlock(&a->mu);
	while (dead) {
		agent_sess *nx = dead->next;
		sess_destroy(dead);
		dead = nx;
	}
	return n;
}

/* Pin session id for use: a->mu taken and released. */
static int sess_acquire(agent_sess **out, cc_agent *a, const char *id)
{
	agent_sess *s;
	cc_agent_reap(a);
	pthread_mutex_lock(&a->mu);
	s = id ? sess_find(a, id) : NULL;
	if (s)
		s->refs++;
	pthread_mutex_unlock(&a->mu);
	if (!s)
		return cc_error_set(CC_ENOTFOUND,
		                    "no session '%.64s' (closed, timed out or never opened)",
		                    id ? id : "(none)");
	*out = s;
	return CC_OK;
}

static void sess_release(cc_agent *a, agent_sess *s)
{
	int destroy;
	pthread_mutex_lock(&a->mu);
	s->last_used = cc_now();
	destroy = --s->refs == 0 && s->closing;
	pthread_mutex_unlock(&a->mu);
	if (destroy)
		sess_destroy(s);
}

static void fill_cache_info(agent_sess *s)
{
	cc_cache_stats cs;
	cc_session_cache_stats(&cs, s->s);
	s->info.kv_bytes_held = cs.seq_blocks * cs.block_bytes;
	s->info.next_pos = (size_t)cs.next_pos;
}

/* The context prefilled in chunks of s->stream_chunk, compressed after each to the budget of
 * the tokens so far (cc_compress_stream_prefill), then the query window. The engine lock
 * held. */
static int stream_prefill_compress(agent_sess *s, int policy, double budget)
{
	cc_compress_opts co;
	cc_compress_stream_opts so = {s->stream_chunk, NULL, NULL, 0};
	int cum = s->stream_cum && policy == CC_POLICY_CODECOMP;
	cc_compress_stream_stats st;
	cc_cache_stats cs;
	const cc_kv_config *kc = cc_kv_pool_config(cc_session_pool(s->s));
	size_t n_all = s->n_ctx + s->n_query, bt = (size_t)kc->block_tokens;
	double share = budget <= 1 ? budget : budget / (double)s->n_ctx, t0;
	int rc;

	if (share > 1)
		share = 1;
	cc_compress_opts_default(&co, policy, share);
	so.cum = cum;
	cc_session_reset(s->s);
	free(s->recon);
	s->recon = NULL;
	rc = cc_compress_stream_prefill(s->s, s->ids, s->n_ctx, &co, s->prior, s->protect, &so, &st);
	s->info.t_prefill = st.t_prefill;
	s->info.t_compress = st.t_compress;
	if (rc)
		return rc;
	t0 = cc_now();
	if (s->n_query && (rc = cc_session_prefill(s->s, s->ids + s->n_ctx, s->n_query, NULL)))
		return rc;
	s->info.t_prefill += cc_now() - t0;
	cc_session_cache_stats(&cs, s->s);
	s->info.kv_bytes_full = (size_t)kc->n_layers * ((n_all + bt - 1) / bt) * cs.block_bytes;
	s->info.kv_bytes_peak = st.peak_seq_bytes > cs.seq_bytes ? st.peak_seq_bytes : cs.seq_bytes;
	s->info.stream_chunk = s->stream_chunk;
	s->info.stream_cum = cum;
	s->info.stream_steps = st.steps;
	s->info.kept_per_head = st.kept_per_head;
	s->info.keep_share = s->n_ctx ? (double)st.kept_per_head / (double)s->n_ctx : 1;
	fill_cache_info(s);
	return CC_OK;
}

/* Prefill the context (and the query window) into s->s, then compress. The engine lock held. */
static int prefill_compress(agent_sess *s, int policy, double budget)
{
	cc_compress_opts co;
	cc_compress_stats cst;
	cc_cache_stats cs;
	size_t n_all = s->n_ctx + s->n_query;
	double t0 = cc_now(), t_recon = 0;
	/* codecomp and kvzip read the attention a teacher-forced repeat of the context pays to it
	 * (cc_compress_recon_attn): codecomp measured best with it in both modes
	 * (bench/results/fidelity.md), kvzip needs it. */
	int use_recon = policy == CC_POLICY_CODECOMP || policy == CC_POLICY_KVZIP;
	size_t chunk = s->recon_chunk ? s->recon_chunk : 256;
	int rc;

	if (s->stream_chunk && policy != CC_AGENT_POLICY_FULL)
		return stream_prefill_compress(s, policy, budget);
	cc_session_reset(s->s);
	/* h2o needs the attention of every query of the prefill; the repeat pass's forks need a
	 * window of a chunk. */
	int obs_w = policy == CC_POLICY_H2O ? (int)n_all : (use_recon ? (int)chunk : 0);
	if ((rc = cc_session_set_obs_window(s->s, obs_w)))
		return rc;
	if ((rc = cc_session_prefill(s->s, s->ids, s->n_ctx, NULL)))
		return rc;
	s->info.t_prefill = cc_now() - t0;
	free(s->recon);
	s->recon = NULL;
	if (use_recon) {
		const cc_kv_config *kc = cc_kv_pool_config(cc_session_pool(s->s));
		double t1 = cc_now();
		if (!(s->recon = malloc((size_t)kc->n_layers * (size_t)kc->n_kv_heads * s->n_ctx *
		                        sizeof(float))))
			return cc_error_set(CC_ENOMEM, "out of memory");
		if ((rc = cc_compress_recon_attn(s->s, s->ids, s->n_ctx, chunk, s->recon)))
			return rc;
		t_recon = cc_now() - t1;
		if (s->n_query && (rc = cc_session_set_obs_window(s->s, 0)))
			return rc;
	}
	t0 = cc_now();
	if (s->n_query && (rc = cc_session_prefill(s->s, s->ids + s->n_ctx, s->n_query, NULL)))
		return rc;
	s->info.t_prefill += cc_now() - t0;
	cc_session_cache_stats(&cs, s->s);
	s->info.kv_bytes_full = cs.seq_blocks * cs.block_bytes;
	s->info.t_compress = 0;
	s->info.kept_per_head = s->n_ctx;
	s->info.keep_share = 1;
	if (policy != CC_AGENT_POLICY_FULL) {
		double share = budget <= 1 ? budget : budget / (double)s->n_ctx;
		if (share > 1)
			share = 1;
		cc_compress_opts_default(&co, policy, share);
		t0 = cc_now() - t_recon; /* the repeat pass counts as the selection's cost */
		/* h2o: the whole prefill was one window of n_all queries only when it was one call */
		if (policy == CC_POLICY_H2O && s->n_query) {
			if ((rc = cc_session_set_obs_window(s->s, (int)n_all)))
				return rc;
			cc_session_reset(s->s);
			if ((rc = cc_session_prefill(s->s, s->ids, n_all, NULL)))
				return rc;
		}
		if ((rc = cc_compress_session(s->s, &co, s->n_ctx, s->prior, s->protect, s->recon,
		                              &cst)))
			return rc;
		s->info.t_compress = cc_now() - t0;
		s->info.kept_per_head = cst.kept_per_head;
		s->info.keep_share = s->n_ctx ? (double)cst.kept_per_head / (double)s->n_ctx : 1;
	}
	fill_cache_info(s);
	return CC_OK;
}

static int policy_check(int policy)
{
	if (policy != CC_AGENT_POLICY_FULL && (policy < 0 || policy >= CC_POLICY_COUNT))
		return cc_error_set(CC_EINVAL, "unknown policy %d", policy);
	return CC_OK;
}

/* ---- sessions over the repository KV cache ------------------------------------------------ */

/* The model's window and the most context tokens a session may have: the window less the
 * reserve for prompts, or o->max_context_tokens when smaller. CC_EINVAL, CC_ETOOBIG. */
static int context_limit(size_t *window, size_t *limit, const cc_agent *a, const agent_model *m,
                         const cc_agent_open_opts *o)
{
	*window = (size_t)m->info.max_pos;
	if (*window <= a->o.reserve + 16)
		return cc_error_set(CC_EINVAL,
		                    "model window %zu is too small for the %zu tokens "
		                    "reserved for prompts",
		                    *window, a->o.reserve);
	*limit = *window - a->o.reserve;
	if (o->max_context_tokens) {
		if (o->max_context_tokens > *limit)
			return cc_error_set(CC_ETOOBIG,
			                    "max_context_tokens %zu is over the model's "
			                    "window %zu less %zu tokens reserved for prompts (%zu)",
			                    o->max_context_tokens, *window, a->o.reserve, *limit);
		*limit = o->max_context_tokens;
	}
	return CC_OK;
}

/* ---- what both ways of opening a session share ---- */

/* The query window after the context ("\n# query: Q\n"), tokenized into *ids (malloc'd). */
static int query_encode(int32_t **ids, size_t *n, const agent_model *m, const char *query)
{
	size_t ql = strlen(query);
	char *qt = malloc(ql + 16);
	int rc;
	if (!qt)
		return cc_error_set(CC_ENOMEM, "out of memory");
	ql = (size_t)snprintf(qt, ql + 16, "\n# query: %s\n", query);
	rc = cc_tokenizer_encode(m->tok, qt, ql, ids, NULL, n);
	free(qt);
	return rc;
}

/* Count the new session s on eng (and its model) and name it; a->mu held. */
static void sess_count_locked(cc_agent *a, agent_sess *s, agent_engine *eng)
{
	eng->n_sessions++;
	s->am->n_sessions++;
	s->eng = eng;
	snprintf(s->id, sizeof(s->id), "s%llu-%04x", (unsigned long long)++a->counter,
	         (unsigned)((uint64_t)(cc_now() * 1e6) & 0xffff));
	memcpy(s->info.id, s->id, sizeof(s->id));
	memcpy(s->info.device_id, eng->id, sizeof(eng->id));
}

/* Undo sess_count_locked for a session that failed to open: free its KV under the engine's
 * lock (taken here unless locked), release the pending bytes it had reserved there. */
static void sess_uncount(cc_agent *a, agent_sess *s, int locked, size_t pending)
{
	agent_engine *eng = s->eng;
	if (!locked)
		eng_lock(eng);
	cc_session_free(s->s);
	s->s = NULL;
	eng_unlock(eng);
	pthread_mutex_lock(&a->mu);
	eng->pending -= pending;
	eng->n_sessions--;
	s->am->n_sessions--;
	pthread_mutex_unlock(&a->mu);
}

/* The info's model directory and policy name (malloc'd copies). */
static int info_names(agent_sess *s, int policy)
{
	if (!(s->info.model = strdup(s->am->dir)) ||
	    !(s->info.policy =
	              strdup(policy == CC_AGENT_POLICY_FULL ? "full" : cc_policy_name(policy))))
		return cc_error_set(CC_ENOMEM, "out of memory");
	return CC_OK;
}

/* Copy the open session's info into *out and make it findable. */
static int sess_publish(cc_agent_session_info *out, cc_agent *a, agent_sess *s)
{
	int rc;
	s->last_used = cc_now();
	if ((rc = info_copy(out, &s->info)))
		return rc;
	pthread_mutex_lock(&a->mu);
	s->next = a->sessions;
	a->sessions = s;
	pthread_mutex_unlock(&a->mu);
	return CC_OK;
}

/* cc_agent_session_open with o->repo_cache: the context assembled from per-file chunks
 * (agent/repo_cache.c, repocache/), the query prefilled on top, an optional final query-aware
 * pass. */
static int cache_session_open(cc_agent_session_info *out, cc_agent *a,
                              const cc_agent_open_opts *o)
{
	agent_model *m = NULL;
	agent_engine *eng = NULL;
	agent_sess *s = NULL;
	agent_cache_ctx cc = {0};
	agent_cache_env env = {0};
	char *model_id = NULL;
	int32_t *qids = NULL;
	size_t window = 0, limit = 0, n_q = 0, npos = 0;
	int rc, counted = 0, locked = 0;
	double t0;

	if ((rc = policy_check(o->policy)))
		return rc;
	cc_agent_reap(a);
	if ((rc = model_get(&m, a, o->model, o->device)))
		return rc;
	if ((rc = context_limit(&window, &limit, a, m, o)))
		return rc;
	pthread_mutex_lock(&a->mu);
	if (!a->rcache) {
		cc_repocache_opts ro = {0};
		ro.mem_bytes = a->o.repo_cache_bytes;
		ro.disk_bytes = a->o.repo_cache_disk_bytes;
		ro.dev_bytes = a->o.repo_cache_device_bytes;
		rc = cc_repocache_new(&a->rcache, &ro);
	}
	pthread_mutex_unlock(&a->mu);
	if (rc)
		return rc;
	if (o->query && *o->query && (rc = query_encode(&qids, &n_q, m, o->query)))
		return rc;
	if (!(s = calloc(1, sizeof(*s))) ||
	    !(model_id = malloc(strlen(m->dir) + 128))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail;
	}
	{
		/* the checkpoint's identity: a model replaced in place must not meet its old
		 * chunks (config.json and the weights' sizes and modification times) */
		static const char *const names[] = {"config.json", "model.safetensors",
		                                    "model.safetensors.index.json"};
		unsigned long long h = 1469598103934665603ULL;
		for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
			char p[4200];
			struct stat st;
			snprintf(p, sizeof(p), "%s/%s", m->dir, names[i]);
			if (stat(p, &st))
				continue;
			h = (h ^ (unsigned long long)st.st_size) * 1099511628211ULL;
			h = (h ^ (unsigned long long)st.st_mtime) * 1099511628211ULL;
			h = (h ^ (unsigned long long)st.st_mtim.tv_nsec) * 1099511628211ULL;
		}
		/* the device kind and the cache's element type (f32 on the CPU, bf16 on CUDA):
		 * chunks of one engine are not rows of the other */
		sprintf(model_id, "%s|%s|%016llx", m->dir,
		        m->device == CC_DEVICE_CUDA ? "cuda|bf16" : "cpu|f32", h);
	}
	s->am = m;
	pthread_mutex_lock(&a->mu);
	/* placement: the engine (device) holding the fewest sessions, not taken out */
	for (size_t i = 0; i < m->n_engines; i++) {
		agent_engine *e = m->engines[i];
		int failed;
		pthread_mutex_lock(&e->bmu);
		failed = e->failed != NULL;
		pthread_mutex_unlock(&e->bmu);
		if (!failed && e->n_sessions < a->o.max_sessions &&
		    (!eng || e->n_sessions < eng->n_sessions))
			eng = e;
	}
	if (!eng) {
		pthread_mutex_unlock(&a->mu);
		rc = cc_error_set(CC_EBUSY,
		                  "model %s already holds %zu sessions on each device (the "
		                  "limit), or its devices were taken out: close one first",
		                  m->dir,
		                  a->o.max_sessions);
		goto fail;
	}
	sess_count_locked(a, s, eng);
	counted = 1;
	pthread_mutex_unlock(&a->mu);

	eng_lock(eng);
	locked = 1;
	env.cache = a->rcache;
	env.dir = a->o.repo_cache_dir;
	env.root = eng->root;
	env.tok = m->tok;
	env.model_id = model_id;
	env.bos = m->info.bos_id;
	env.limit = limit;
	env.recon_chunk = a->o.reserve < 256 ? a->o.reserve : 256;
	if ((rc = agent_cache_prepare(&cc, &env, o)))
		goto fail;
	if (cc.n_ids + n_q > window - a->o.reserve / 2) {
		rc = cc_error_set(CC_ETOOBIG,
		                  "the query is %zu tokens; with the %zu-token context it "
		                  "leaves too little of the window %zu",
		                  n_q, cc.n_ids, window);
		goto fail;
	}
	{
		/* admission: the assembled rows (the most any layer keeps), the query, the reserve */
		cc_cache_stats cs;
		const cc_kv_config *kc = cc_kv_pool_config(cc_session_pool(eng->root));
		size_t rows = 0;
		for (size_t i = 0; i < cc.n_chunks; i++) {
			size_t mx = 0;
			for (int l = 0; l < kc->n_layers; l++)
				if (cc_repocache_chunk_kept(cc.chunks[i], l) > mx)
					mx = cc_repocache_chunk_kept(cc.chunks[i], l);
			rows += mx;
		}
		size_t bt = (size_t)kc->block_tokens, need;
		cc_session_cache_stats(&cs, eng->root);
		need = (rows + n_q + a->o.reserve + bt - 1) / bt * cs.block_bytes * (size_t)kc->n_layers;
		if (need > cs.bytes_capacity - cs.bytes_used) {
			rc = cc_error_set(CC_EBUSY,
			                  "the session needs %zu KV bytes (%zu rows); model %s "
			                  "has %zu of %zu free: close or compress other sessions",
			                  need,
			                  rows + n_q + a->o.reserve, m->dir,
			                  cs.bytes_capacity - cs.bytes_used, cs.bytes_capacity);
			goto fail;
		}
		s->info.kv_bytes_full =
			(cc.n_ids + n_q + bt - 1) / bt * cs.block_bytes * (size_t)kc->n_layers;
	}
	t0 = cc_now();
	if ((rc = cc_session_fork(&s->s, eng->root)) ||
	    (rc = cc_repocache_assemble_in(a->rcache, s->s, eng->m, cc.chunks, cc.n_chunks,
	                                   &npos)))
		goto fail;
	s->info.t_assemble = cc.t_select + cc_now() - t0;
	s->info.t_prefill = cc.t_chunks;
	t0 = cc_now();
	if (n_q && (rc = cc_session_prefill(s->s, qids, n_q, NULL)))
		goto fail;
	s->info.t_prefill += cc_now() - t0;
	{
		const cc_kv_seq *q = cc_session_kv(s->s);
		size_t rows0 = cc_kv_seq_len(q, 0) - n_q;
		if (o->cache_final_budget > 0) {
			cc_compress_opts co;
			cc_compress_stats cst;
			for (int l = 1; l < m->info.n_layers; l++)
				if (cc_kv_seq_len(q, l) != cc_kv_seq_len(q, 0)) {
					rc = cc_error_set(CC_EINVAL,
					                  "cache_final_budget: the chunks keep "
					                  "different counts per layer (policy %s); "
					                  "use another policy",
					                  cc_policy_name(o->policy));
					goto fail;
				}
			t0 = cc_now();
			cc_compress_opts_default(&co, CC_POLICY_SNAPKV, o->cache_final_budget);
			if ((rc = cc_compress_session(s->s, &co, rows0, NULL, NULL, NULL, &cst)))
				goto fail;
			s->info.t_compress = cc_now() - t0;
			rows0 = cst.kept_per_head;
		}
		s->info.kept_per_head = rows0;
		s->info.keep_share = npos ? (double)rows0 / (double)npos : 1;
	}
	cc_session_trim(s->s);
	eng_unlock(eng);
	locked = 0;

	s->n_ctx = cc.n_ids;
	s->n_query = n_q;
	if (!(s->ids = malloc((cc.n_ids + n_q + 1) * sizeof(int32_t)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail;
	}
	memcpy(s->ids, cc.ids, cc.n_ids * sizeof(int32_t));
	if (n_q)
		memcpy(s->ids + cc.n_ids, qids, n_q * sizeof(int32_t));
	s->info.context_tokens = npos;
	s->info.query_tokens = n_q;
	s->info.window = window;
	s->info.by_query = cc.by_query;
	s->info.files = cc.files;
	s->info.n_files = cc.n_files;
	cc.files = NULL;
	cc.n_files = 0;
	s->info.budget = o->policy == CC_AGENT_POLICY_FULL ? 1 : o->budget;
	s->info.device = m->device;
	s->info.repo_cache = 1;
	s->info.cache_anchor = !o->cache_no_anchor;
	s->info.cache_final_budget = o->cache_final_budget;
	s->info.chunks_reused = cc.reused;
	s->info.chunks_from_disk = cc.from_disk;
	s->info.chunks_prefilled = cc.prefilled;
	{
		cc_repocache_stats rs;
		size_t files;
		cc_repocache_stats_get(&rs, a->rcache);
		s->info.cache_bytes_memory = rs.mem_bytes;
		s->info.cache_bytes_device = rs.dev_bytes;
		cc_repocache_disk_usage(&s->info.cache_bytes_disk, &files, cc.dir);
	}
	if ((rc = info_names(s, o->policy)))
		goto fail;
	fill_cache_info(s);
	if ((rc = sess_publish(out, a, s)))
		goto fail;
	agent_cache_ctx_clear(&cc);
	free(qids);
	free(model_id);
	return CC_OK;

fail:
	if (counted)
		sess_uncount(a, s, locked, 0);
	else if (locked)
		eng_unlock(eng);
	sess_free(s);
	agent_cache_ctx_clear(&cc);
	free(qids);
	free(model_id);
	return rc;
}

int cc_agent_session_open(cc_agent_session_info *out, cc_agent *a, const cc_agent_open_opts *o)
{
	agent_model *m = NULL;
	agent_sess *s = NULL;
	context c = {0};
	agent_engine *eng = NULL;
	size_t window = 0, limit = 0, need_tokens, need_bytes = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!o)
		return cc_error_set(CC_EINVAL, "session.open: no options");
	if (o->stream_chunk && (o->repo_cache || o->policy == CC_AGENT_POLICY_FULL))
		return cc_error_set(CC_EINVAL, "session.open: stream_chunk compresses as the prefill "
		                               "goes: not with %s",
		                    o->repo_cache ? "the repository cache" : "the full policy");
	if (o->stream_chunk && o->stream_chunk < 16)
		return cc_error_set(CC_EINVAL, "session.open: stream_chunk %zu is under 16 tokens",
		                    o->stream_chunk);
	if (o->repo_cache)
		return cache_session_open(out, a, o);
	if ((rc = policy_check(o->policy)) ||
	    (o->policy != CC_AGENT_POLICY_FULL && (rc = cc_agent_budget_check(o->budget))))
		return rc;
	cc_agent_reap(a);
	if ((rc = model_get(&m, a, o->model, o->device)))
		return rc;
	if ((rc = context_limit(&window, &limit, a, m, o)))
		return rc;
	double t0 = cc_now();
	if ((rc = assemble(&c, a, m, o, limit)))
		goto fail;
	if (!(s = calloc(1, sizeof(*s)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail;
	}
	s->am = m;
	s->recon_chunk = a->o.reserve < 256 ? a->o.reserve : 256;
	s->stream_chunk = o->stream_chunk;
	s->stream_cum = o->stream_cum != 0;
	size_t n = c.pr->n_tokens, n_q = 0;
	int32_t *qids = NULL;
	if (n == 0) {
		rc = cc_error_set(CC_EINVAL, "the context is empty");
		goto fail;
	}
	if (n > limit) {
		if (!o->truncate) {
			rc = cc_error_set(CC_ETOOBIG,
			                  "the context is %zu tokens, over the limit of %zu "
			                  "(window %zu less %zu reserved%s); name fewer files or ask "
			                  "for truncation",
			                  n, limit, window, a->o.reserve,
			                  o->max_context_tokens ? ", or max_context_tokens" : "");
			goto fail;
		}
		s->info.truncated = 1;
		s->info.dropped_tokens = n - limit;
		n = limit;
	}
	if (o->query && *o->query) {
		/* the query window after the context: what query-aware compression looks from */
		if ((rc = query_encode(&qids, &n_q, m, o->query)))
			goto fail;
		if (n + n_q > window - a->o.reserve / 2) {
			free(qids);
			rc = cc_error_set(CC_ETOOBIG,
			                  "the query is %zu tokens; with the %zu-token "
			                  "context it leaves too little of the window %zu",
			                  n_q, n, window);
			goto fail;
		}
	}
	s->n_ctx = n;
	s->n_query = n_q;
	s->ids = malloc((n + n_q) * sizeof(int32_t));
	s->prior = malloc(n * sizeof(float));
	s->protect = malloc(n);
	if (!s->ids || !s->prior || !s->protect) {
		free(qids);
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		s->ids[i] = c.pr->tokens[i].id;
		s->prior[i] = c.pr->tokens[i].prior;
		s->protect[i] = c.pr->tokens[i].protect;
	}
	if (n_q)
		memcpy(s->ids + n, qids, n_q * sizeof(int32_t));
	free(qids);
	s->info.t_assemble = c.t_assemble + c.pr->seconds_tokenize;
	s->info.t_priors = cc_now() - t0 - s->info.t_assemble;
	if (s->info.t_priors < 0)
		s->info.t_priors = c.pr->seconds_priors;
	s->info.context_tokens = n;
	s->info.query_tokens = n_q;
	s->info.window = window;
	s->info.by_query = c.by_query;
	s->info.files = c.files;
	s->info.n_files = c.n_files;
	c.files = NULL;
	c.n_files = 0;
	s->info.budget = o->policy == CC_AGENT_POLICY_FULL ? 1 : o->budget;
	s->info.device = m->device;
	if ((rc = info_names(s, o->policy)))
		goto fail;

	/* Placement: the engine with the most free KV memory (less what sessions being opened
	 * there will take), among those not taken out and under the session limit. */
	need_tokens = n + n_q + a->o.reserve;
	if (s->stream_chunk) {
		/* streamed: at most the kept tokens and one chunk at a time */
		cc_compress_opts ko;
		double share = o->budget <= 1 ? o->budget : o->budget / (double)n;
		cc_compress_opts_default(&ko, o->policy, share > 1 ? 1 : share);
		size_t peak = cc_compress_keep_count(&ko, n) + s->stream_chunk;
		need_tokens = (peak < n ? peak : n) + n_q + a->o.reserve;
	}
	{
		size_t free_b[MAX_ENGINES], cap_b[MAX_ENGINES], best_free = 0;
		for (size_t i = 0; i < m->n_engines; i++) {
			cc_cache_stats cs;
			agent_engine *e = m->engines[i];
			eng_lock(e);
			cc_session_cache_stats(&cs, e->root);
			eng_unlock(e);
			free_b[i] = cs.bytes_capacity - cs.bytes_used;
			cap_b[i] = cs.bytes_capacity;
			if (i == 0) {
				const cc_kv_config *kc = cc_kv_pool_config(cc_session_pool(e->root));
				size_t bt = (size_t)kc->block_tokens;
				need_bytes = (need_tokens + bt - 1) / bt * cs.block_bytes * (size_t)kc->n_layers;
			}
		}
		pthread_mutex_lock(&a->mu);
		size_t n_failed = 0;
		for (size_t i = 0; i < m->n_engines; i++) {
			agent_engine *e = m->engines[i];
			size_t fb = free_b[i] > e->pending ? free_b[i] - e->pending : 0;
			int failed;
			pthread_mutex_lock(&e->bmu);
			failed = e->failed != NULL;
			pthread_mutex_unlock(&e->bmu);
			if (failed) {
				n_failed++;
				continue;
			}
			if (e->n_sessions >= a->o.max_sessions)
				continue;
			if (!eng || fb > best_free) {
				eng = e;
				best_free = fb;
			}
		}
		if (!eng) {
			pthread_mutex_unlock(&a->mu);
			if (n_failed == m->n_engines)
				rc = cc_error_set(CC_EIO,
				                  "model %s: every device it was loaded on "
				                  "was taken out",
				                  m->dir);
			else
				rc = cc_error_set(CC_EBUSY,
				                  "model %s already holds %zu sessions on each "
				                  "device (the limit): close one first",
				                  m->dir,
				                  a->o.max_sessions);
			goto fail;
		}
		if (need_bytes > best_free) {
			pthread_mutex_unlock(&a->mu);
			rc = cc_error_set(CC_EBUSY,
			                  "the session needs %zu KV bytes (%zu tokens) to "
			                  "prefill; model %s has %zu of %zu free on device %s (the most "
			                  "free): close or compress other sessions",
			                  need_bytes,
			                  need_tokens, m->dir, best_free, cap_b[eng->index], eng->id);
			goto fail;
		}
		eng->pending += need_bytes;
		sess_count_locked(a, s, eng);
		pthread_mutex_unlock(&a->mu);
	}
	eng_lock(eng);
	{
		/* admission on the chosen engine: the room for the full prefill */
		cc_cache_stats cs;
		cc_session_cache_stats(&cs, eng->root);
		size_t free_bytes = cs.bytes_capacity - cs.bytes_used;
		if (need_bytes > free_bytes) {
			eng_unlock(eng);
			rc = cc_error_set(CC_EBUSY,
			                  "the session needs %zu KV bytes (%zu tokens) to "
			                  "prefill; model %s has %zu of %zu free on device %s: close or "
			                  "compress other sessions",
			                  need_bytes, need_tokens, m->dir,
			                  free_bytes, cs.bytes_capacity, eng->id);
			goto fail_counted;
		}
	}
	if ((rc = eng_injected(eng, 0)) || (rc = cc_session_fork(&s->s, eng->root)) ||
	    (rc = prefill_compress(s, o->policy, o->budget))) {
		rc = eng_result(eng, rc);
		goto fail_counted_locked;
	}
	cc_session_trim(s->s); /* only forks of it run: its scratch (CUDA) is not needed */
	eng_unlock(eng);
	pthread_mutex_lock(&a->mu);
	eng->pending -= need_bytes;
	pthread_mutex_unlock(&a->mu);
	if ((rc = sess_publish(out, a, s))) {
		sess_uncount(a, s, 0, 0); /* the pending bytes were released above */
		goto fail;
	}
	context_clear(&c);
	return CC_OK;

fail_counted:
	sess_uncount(a, s, 0, need_bytes);
	goto fail;
fail_counted_locked:
	sess_uncount(a, s, 1, need_bytes);
fail:
	sess_free(s);
	context_clear(&c);
	return rc;
}

int cc_agent_session_info_get(cc_agent_session_info *out, cc_agent *a, const char *id)
{
	agent_sess *s;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = sess_acquire(&s, a, id)))
		return rc;
	pthread_mutex_lock(&a->mu);
	s->info.idle_s = s->refs > 1 ? 0 : cc_now() - s->last_used;
	rc = info_copy(out, &s->info);
	pthread_mutex_unlock(&a->mu);
	/* release without touching last_used: asking about a session is not using it */
	pthread_mutex_lock(&a->mu);
	int destroy = --s->refs == 0 && s->closing;
	pthread_mutex_unlock(&a->mu);
	if (destroy)
		sess_destroy(s);
	return rc;
}

int cc_agent_session_list(cc_agent_session_info **out, size_t *n, cc_agent *a)
{
	size_t cnt = 0, k = 0;
	double now = cc_now();
	int rc = CC_OK;
	cc_agent_reap(a);
	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&a->mu);
	for (agent_sess *s = a->sessions; s; s = s->next)
		cnt++;
	if (cnt && !(*out = calloc(cnt, sizeof(**out)))) {
		pthread_mutex_unlock(&a->mu);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	/* newest first in the table; list oldest first */
	for (agent_sess *s = a->sessions; s && rc == CC_OK; s = s->next, k++) {
		s->info.idle_s = s->refs ? 0 : now - s->last_used;
		rc = info_copy(&(*out)[cnt - 1 - k], &s->info);
	}
	pthread_mutex_unlock(&a->mu);
	if (rc) {
		cc_agent_session_list_free(*out, cnt);
		*out = NULL;
		return rc;
	}
	*n = cnt;
	return CC_OK;
}

void cc_agent_session_list_free(cc_agent_session_info *l, size_t n)
{
	if (!l)
		return;
	for (size_t i = 0; i < n; i++)
		cc_agent_session_info_clear(&l[i]);
	free(l);
}

int cc_agent_session_close(cc_agent *a, const char *id)
{
	agent_sess *s;
	int destroy;
	pthread_mutex_lock(&a->mu);
	s = id ? sess_find(a, id) : NULL;
	if (!s) {
		pthread_mutex_unlock(&a->mu);
		return cc_error_set(CC_ENOTFOUND,
		                    "no session '%.64s' (closed, timed out or never opened)",
		                    id ? id : "(none)");
	}
	sess_unlink(a, s);
	destroy = s->refs == 0;
	pthread_mutex_unlock(&a->mu);
	if (destroy)
		sess_destroy(s);
	return CC_OK;
}

int cc_agent_session_compress(cc_agent_session_info *out, cc_agent *a, const char *id,
                              int policy, double budget)
{
	agent_sess *s;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = policy_check(policy)) ||
	    (policy != CC_AGENT_POLICY_FULL && (rc = cc_agent_budget_check(budget))))
		return rc;
	if ((rc = sess_acquire(&s, a, id)))
		return rc;
	if (s->info.repo_cache) {
		sess_release(a, s);
		return cc_error_set(CC_EUNSUPPORTED,
		                    "session %s was assembled from the repository "
		                    "cache, whose chunks are compressed file by file: open a new "
		                    "session with another policy or budget",
		                    id);
	}
	if ((rc = eng_check(s->eng))) {
		sess_release(a, s);
		return rc;
	}
	eng_lock(s->eng);
	if (!(rc = eng_injected(s->eng, 0)))
		rc = prefill_compress(s, policy, budget);
	cc_session_trim(s->s);
	rc = eng_result(s->eng, rc);
	eng_unlock(s->eng);
	pthread_mutex_lock(&a->mu);
	if (rc == CC_OK) {
		char *p = strdup(policy == CC_AGENT_POLICY_FULL ? "full" : cc_policy_name(policy));
		if (p) {
			free(s->info.policy);
			s->info.policy = p;
		}
		s->info.budget = policy == CC_AGENT_POLICY_FULL ? 1 : budget;
		rc = info_copy(out, &s->info);
	}
	pthread_mutex_unlock(&a->mu);
	sess_release(a, s);
	return rc;
}

/* The window rule for a prompt: positions from next_pos; n_new more tokens must fit. */
static int window_check(const agent_sess *s, size_t n_prompt, size_t n_new)
{
	size_t pos = s->info.next_pos, window = s->info.window;
	if (pos + n_prompt + n_new > window)
		return cc_error_set(CC_ETOOBIG,
		                    "the prompt (%zu tokens) and max_new (%zu) after the "
		                    "%zu-position context pass the model's window of %zu",
		                    n_prompt,
		                    n_new, pos, window);
	return CC_OK;
}

static int ends_with_stop(const char *text, size_t len, const cc_agent_gen_opts *o, size_t *cut)
{
	for (size_t k = 0; k < o->n_stop; k++) {
		const char *st = o->stop[k];
		size_t sl = st ? strlen(st) : 0;
		if (!sl || sl > len)
			continue;
		/* the stop string may end anywhere in the newest piece: search the tail */
		const char *hit = NULL;
		for (size_t i = len >= sl + 64 ? len - sl - 64 : 0; i + sl <= len; i++)
			if (!memcmp(text + i, st, sl)) {
				hit = text + i;
				break;
			}
		if (hit) {
			*cut = (size_t)(hit - text);
			return 1;
		}
	}
	return 0;
}

/* Hand the tokens r holds beyond *delivered to the caller's callback; 1 when the callback
 * asked to stop (r->n_ids is then cut after that token). e->bmu held when e is not NULL (it
 * is released around each call). */
static int req_deliver(gen_req *r, size_t *delivered, agent_engine *e)
{
	const cc_agent_gen_opts *o = r->o;
	while (*delivered < r->n_ids) {
		int32_t id = r->ids[(*delivered)++];
		char *dec = NULL;
		size_t dl = 0;
		int stop = 0;
		if (!o->on_token)
			continue;
		if (e)
			pthread_mutex_unlock(&e->bmu);
		if (cc_tokenizer_decode(r->am->tok, &id, 1, &dec, &dl) == CC_OK)
			stop = o->on_token(o->ud, id, dec, dl);
		free(dec);
		if (e)
			pthread_mutex_lock(&e->bmu);
		if (stop)
			return 1;
	}
	return 0;
}

int cc_agent_session_generate(cc_agent_gen_result *out, cc_agent *a, const char *id,
                              const cc_agent_gen_opts *o)
{
	agent_sess *s;
	agent_engine *e;
	gen_req r;
	int32_t *pids = NULL;
	size_t np = 0, delivered = 0, cb_stop = 0;
	float *logits = NULL;
	int rc, more, cb = 0;
	double t0;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	if (!o)
		return cc_error_set(CC_EINVAL, "generate: no options");
	if (o->max_new > (1u << 20))
		return cc_error_set(CC_EINVAL, "max_new %zu is too large", o->max_new);
	if (!(o->temperature >= 0) || !(o->top_p >= 0 && o->top_p <= 1))
		return cc_error_set(CC_EINVAL, "temperature must be >= 0 and top_p in [0, 1]");
	if ((rc = sess_acquire(&s, a, id)))
		return rc;
	agent_model *m = s->am;
	e = s->eng;
	if (o->prompt) {
		if (o->prompt_len && (rc = cc_tokenizer_encode(m->tok, o->prompt, o->prompt_len, &pids,
		                                               NULL, &np)))
			goto out;
	} else if (o->n_prompt_ids) {
		if (!(pids = malloc(o->n_prompt_ids * sizeof(int32_t)))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		memcpy(pids, o->prompt_ids, o->n_prompt_ids * sizeof(int32_t));
		np = o->n_prompt_ids;
	}
	out->prompt_tokens = np;
	if (!np) {
		rc = cc_error_set(CC_EINVAL, "generate: the prompt is empty (it has no tokens)");
		goto out;
	}
	if ((rc = window_check(s, np, o->max_new)) || (rc = eng_check(e)))
		goto out;
	if (!(logits = malloc((size_t)m->info.vocab * sizeof(float))) ||
	    !(out->ids = malloc((o->max_new ? o->max_new : 1) * sizeof(int32_t)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	r.o = o;
	r.am = m;
	r.ids = out->ids;
	r.finish = "length";
	cc_sampler_init(&r.smp, o->temperature, o->top_p, o->seed);

	/* the prompt, alone on a fork; then the first token */
	eng_lock(e);
	t0 = cc_now();
	if (!(rc = eng_injected(e, 0)) && !(rc = cc_session_fork(&r.f, s->s)))
		rc = cc_session_prefill(r.f, pids, np, logits);
	if (rc) {
		rc = eng_result(e, rc);
		cc_session_free(r.f);
		eng_unlock(e);
		goto out;
	}
	out->t_prefill = cc_now() - t0;
	t0 = cc_now();
	more = o->max_new ? req_take(&r, logits) : 0;
	if (a->o.no_batch) {
		/* alone, holding the engine for the whole generation */
		for (;;) {
			if ((cb = req_deliver(&r, &delivered, NULL))) {
				cb_stop = delivered;
				break;
			}
			if (!more || r.rc)
				break;
			if ((rc = eng_injected(e, 1)) || (rc = cc_session_decode(r.f, r.next_id, logits))) {
				rc = eng_result(e, rc);
				break;
			}
			more = req_take(&r, logits);
		}
		cc_session_free(r.f);
		eng_unlock(e);
	} else {
		if (more && !r.rc)
			cc_session_trim(r.f); /* it advances in the batch, whose scratch is shared */
		eng_unlock(e);
		pthread_mutex_lock(&e->bmu);
		if (more && !r.rc) {
			/* join the engine's batch (its decode loop starts on first use) */
			if (e->failed) {
				r.rc = CC_EIO;
				snprintf(r.msg, sizeof(r.msg), "device %s of model %s was taken out (%s)",
				         e->id, m->dir, e->failed);
				r.done = 1;
			} else if (!e->thread_on && pthread_create(&e->thread, NULL, eng_loop, e)) {
				r.rc = CC_ENOMEM;
				snprintf(r.msg, sizeof(r.msg), "cannot start the decode loop of %s", e->id);
				r.done = 1;
			} else {
				gen_req **pp = &e->queue;
				e->thread_on = 1;
				while (*pp)
					pp = &(*pp)->next;
				*pp = &r;
				e->n_queue++;
				pthread_cond_signal(&e->wake);
			}
		} else {
			r.done = 1;
		}
		for (;;) {
			if (!cb && req_deliver(&r, &delivered, e)) {
				cb = 1;
				cb_stop = delivered;
				r.cancel = 1; /* the loop lets go of it before its next step */
			}
			if (r.done)
				break;
			pthread_cond_wait(&e->stepped, &e->bmu);
		}
		pthread_mutex_unlock(&e->bmu);
		eng_lock(e);
		cc_session_free(r.f);
		eng_unlock(e);
	}
	r.f = NULL;
	if (cb) {
		r.n_ids = cb_stop;
		r.finish = "callback";
	} else if (r.rc && !rc) {
		rc = cc_error_set(r.rc, "%s", r.msg);
	}
	out->n_ids = r.n_ids;
	out->finish = r.finish;
	out->t_decode = cc_now() - t0;
	if (rc == CC_OK) {
		size_t cut = 0;
		if ((rc = cc_tokenizer_decode(m->tok, out->ids, out->n_ids, &out->text, &out->len)))
			goto out;
		if (ends_with_stop(out->text, out->len, o, &cut)) {
			out->len = cut;
			out->text[cut] = 0;
		}
	}
out:
	pthread_mutex_lock(&a->mu);
	if (rc == CC_OK)
		s->info.n_requests++;
	pthread_mutex_unlock(&a->mu);
	sess_release(a, s);
	free(r.text);
	free(pids);
	free(logits);
	if (rc)
		cc_agent_gen_result_clear(out);
	return rc;
}

int cc_agent_session_score(cc_agent_score_result *out, cc_agent *a, const char *id,
                           const char *text, size_t len)
{
	agent_sess *s;
	cc_session *f = NULL;
	float *logp = NULL;
	double t0 = cc_now(), sum = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!text || !len)
		return cc_error_set(CC_EINVAL, "score: empty text");
	if ((rc = sess_acquire(&s, a, id)))
		return rc;
	agent_model *m = s->am;
	if ((rc = cc_tokenizer_encode(m->tok, text, len, &out->ids, NULL, &out->n)))
		goto out;
	if (!out->n) {
		rc = cc_error_set(CC_EINVAL, "score: the text has no tokens");
		goto out;
	}
	if ((rc = window_check(s, out->n, 0)))
		goto out;
	if (!(logp = malloc(out->n * sizeof(float))) || !(out->nll = malloc(out->n * sizeof(float)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = eng_check(s->eng)))
		goto out;
	eng_lock(s->eng);
	if (!(rc = eng_injected(s->eng, 0)) && (rc = cc_session_fork(&f, s->s)) == CC_OK)
		rc = cc_session_logprobs(f, out->ids, out->n, logp, 0, NULL, NULL);
	cc_session_free(f);
	rc = eng_result(s->eng, rc);
	eng_unlock(s->eng);
	if (rc)
		goto out;
	for (size_t i = 0; i < out->n; i++) {
		out->nll[i] = -logp[i];
		sum += out->nll[i];
	}
	out->mean_nll = sum / (double)out->n;
	out->seconds = cc_now() - t0;
out:
	pthread_mutex_lock(&a->mu);
	if (rc == CC_OK)
		s->info.n_requests++;
	pthread_mutex_unlock(&a->mu);
	sess_release(a, s);
	free(logp);
	if (rc)
		cc_agent_score_result_clear(out);
	return rc;
}

/* ---- what the cache kept (codecomp viz --session) ----------------------------------------- */

int cc_agent_session_viz(cc_agent_viz *out, cc_agent *a, const char *id)
{
	agent_sess *s;
	agent_model *m;
	agent_sess tmp;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = sess_acquire(&s, a, id)))
		return rc;
	m = s->am;
	out->n_tokens = s->n_ctx;
	out->n_layers = m->info.n_layers;
	out->n_kv_heads = m->info.n_kv_heads;
	out->start = malloc((s->n_ctx + 1) * sizeof(uint32_t));
	out->prior = malloc((s->n_ctx + 1) * sizeof(float));
	if (!out->start || !out->prior) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	/* the context's text: its tokens' bytes, in order (exactly what the model read) */
	for (size_t i = 0; i < s->n_ctx; i++) {
		size_t pl = 0;
		cc_tokenizer_token_bytes(m->tok, s->ids[i], &pl);
		out->len += pl;
	}
	if (out->len >= UINT32_MAX || !(out->text = malloc(out->len + 1))) {
		rc = cc_error_set(out->len >= UINT32_MAX ? CC_ETOOBIG : CC_ENOMEM,
		                  "the context's text is too large");
		goto out;
	}
	out->len = 0;
	for (size_t i = 0; i < s->n_ctx; i++) {
		size_t pl = 0;
		const char *b = cc_tokenizer_token_bytes(m->tok, s->ids[i], &pl);
		out->start[i] = (uint32_t)out->len;
		out->prior[i] = s->prior[i];
		if (pl)
			memcpy(out->text + out->len, b, pl);
		out->len += pl;
	}
	out->text[out->len] = 0;

	pthread_mutex_lock(&a->mu);
	rc = info_copy(&out->info, &s->info);
	pthread_mutex_unlock(&a->mu);
	if (rc)
		goto out;
	out->policy[0] = out->info.policy;
	out->n_policies = 1;
	if ((rc = eng_check(s->eng)))
		goto out;
	eng_lock(s->eng);
	rc = cc_session_kept_marks(&out->kept[0], s->s, s->n_ctx);
	if (!rc && strcmp(out->info.policy, "snapkv") && out->info.budget > 0 &&
	    !(out->info.budget == 1 && !strcmp(out->info.policy, "full"))) {
		/* SnapKV at the session's budget, on a session of its own (the same context and
		 * query window, prefilled again, then dropped) */
		memset(&tmp, 0, sizeof(tmp));
		tmp.am = m;
		tmp.eng = s->eng;
		tmp.ids = s->ids;
		tmp.n_ctx = s->n_ctx;
		tmp.n_query = s->n_query;
		tmp.prior = s->prior;
		tmp.protect = s->protect;
		tmp.recon_chunk = s->recon_chunk;
		if ((rc = cc_session_fork(&tmp.s, s->eng->root)) == CC_OK &&
		    (rc = prefill_compress(&tmp, CC_POLICY_SNAPKV, out->info.budget)) == CC_OK &&
		    (rc = cc_session_kept_marks(&out->kept[1], tmp.s, s->n_ctx)) == CC_OK) {
			out->policy[1] = "snapkv";
			out->n_policies = 2;
		}
		cc_session_free(tmp.s);
		free(tmp.recon);
	}
	cc_session_trim(s->s);
	rc = eng_result(s->eng, rc);
	eng_unlock(s->eng);
out:
	sess_release(a, s);
	if (rc)
		cc_agent_viz_clear(out);
	return rc;
}

void cc_agent_viz_clear(cc_agent_viz *v)
{
	if (!v)
		return;
	free(v->text);
	free(v->start);
	free(v->prior);
	free(v->kept[0]);
	free(v->kept[1]);
	cc_agent_session_info_clear(&v->info);
	memset(v, 0, sizeof(*v));
}
