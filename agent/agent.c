/*
 * agent.c - agent sessions: the model registry (one load per canonical directory and device,
 * a shared KV pool per model), context assembly from the index or raw text, prefill +
 * compression, and generate/score on copy-on-write forks. See cc_agent.h.
 *
 * Locking: a->mu guards the model list and the session table; each model's mu serialises the
 * engine calls on that model (its sessions are forks of one root session and share its pool,
 * which is not thread-safe). A session in use is pinned (refs) so close and the idle reaper
 * free it only once the last user has let go.
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

typedef struct agent_model {
	struct agent_model *next;
	char *dir;
	int device;
	dev_t st_dev;
	ino_t st_ino;
	cc_model *m;
	cc_tokenizer *tok;
	cc_model_info info;
	cc_session *root;   /* empty; every session of the model is a fork of it (shared pool) */
	size_t n_sessions;
	int has_chat;
	pthread_mutex_t mu;
} agent_model;

typedef struct agent_sess {
	struct agent_sess *next;
	char id[32];
	agent_model *am;
	cc_session *s;      /* the compressed context */
	int32_t *ids;       /* context tokens, then the query window's */
	size_t n_ctx, n_query;
	float *prior;       /* n_ctx */
	uint8_t *protect;   /* n_ctx */
	float *recon;       /* reconstruction attention of the last compression, or NULL */
	cc_agent_session_info info;
	double last_used;
	size_t recon_chunk; /* chunk of the reconstruction pass (fits the admission's reserve) */
	int refs;           /* users in flight */
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
			                 ? cc_error_set(CC_EINVAL, "agent: the repository cache directory "
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

void cc_agent_free(cc_agent *a)
{
	if (!a)
		return;
	for (agent_sess *s = a->sessions, *n; s; s = n) {
		n = s->next;
		sess_free(s);
	}
	for (agent_model *m = a->models, *n; m; m = n) {
		n = m->next;
		cc_session_free(m->root);
		cc_model_free(m->m);
		cc_tokenizer_free(m->tok);
		pthread_mutex_destroy(&m->mu);
		free(m->dir);
		free(m);
	}
	cc_repocache_free(a->rcache);
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

/* Find a loaded model by identity (device + inode of the directory). a->mu held. */
static agent_model *model_find(cc_agent *a, const struct stat *st, int device)
{
	for (agent_model *m = a->models; m; m = m->next)
		if (m->device == device && m->st_dev == st->st_dev && m->st_ino == st->st_ino)
			return m;
	return NULL;
}

static int model_get(agent_model **out, cc_agent *a, const char *dir, int device)
{
	char canon[PATH_MAX];
	struct stat st;
	agent_model *m = NULL;
	cc_model_opts mo = {0};
	cc_session_opts so = {0};
	int rc;

	*out = NULL;
	if (!dir || dir[0] != '/')
		return cc_error_set(CC_EINVAL, "model: an absolute directory is needed, got '%.200s'",
		                    dir ? dir : "(none)");
	if (device != CC_DEVICE_CPU && device != CC_DEVICE_CUDA)
		return cc_error_set(CC_EINVAL, "model: unknown device %d", device);
	if (!realpath(dir, canon) || stat(canon, &st) || !S_ISDIR(st.st_mode))
		return cc_error_set(CC_ENOTFOUND, "model directory %.200s: %s", dir,
		                    errno ? strerror(errno) : "not a directory");
	pthread_mutex_lock(&a->mu);
	if ((m = model_find(a, &st, device))) {
		pthread_mutex_unlock(&a->mu);
		*out = m;
		return CC_OK;
	}
	/* Loading holds the agent lock: two first uses of one model load it once. */
	if (!(m = calloc(1, sizeof(*m))) || !(m->dir = strdup(canon))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail;
	}
	m->device = device;
	m->st_dev = st.st_dev;
	m->st_ino = st.st_ino;
	mo.device = device;
	mo.n_threads = a->o.n_threads;
	if ((rc = cc_model_load(&m->m, canon, &mo)) || (rc = cc_tokenizer_load(&m->tok, canon)))
		goto fail;
	cc_model_info_get(&m->info, m->m);
	if (cc_tokenizer_vocab_size(m->tok) > (size_t)m->info.vocab) {
		rc = cc_error_set(CC_EINVAL, "model %s: the tokenizer has %zu tokens, the model %d",
		                  canon, cc_tokenizer_vocab_size(m->tok), m->info.vocab);
		goto fail;
	}
	so.max_tokens = (size_t)m->info.max_pos;
	so.pool_tokens = a->o.kv_tokens ? a->o.kv_tokens : 4 * (size_t)m->info.max_pos;
	if (a->o.kv_bytes) {
		/* the cache's element size: f32 on the CPU, bf16 on CUDA (the backends' defaults) */
		size_t per = (size_t)m->info.n_layers * 2 * (size_t)m->info.n_kv_heads *
		             (size_t)m->info.head_dim * (device == CC_DEVICE_CUDA ? 2 : 4);
		so.pool_tokens = a->o.kv_bytes / per;
		if (so.pool_tokens < 2 * a->o.reserve) {
			rc = cc_error_set(CC_EINVAL, "model %s: %zu KV bytes hold %zu tokens (%zu bytes "
			                  "each), fewer than two sessions' reserve of %zu", canon,
			                  a->o.kv_bytes, so.pool_tokens, per, a->o.reserve);
			goto fail;
		}
	}
	if ((rc = cc_session_new(&m->root, m->m, &so)))
		goto fail;
	m->has_chat = chat_template_present(canon);
	pthread_mutex_init(&m->mu, NULL);
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
	if (m) {
		cc_session_free(m->root);
		cc_model_free(m->m);
		cc_tokenizer_free(m->tok);
		free(m->dir);
		free(m);
	}
	return rc;
}

int cc_agent_model_load(cc_agent *a, const char *dir, int device)
{
	agent_model *m;
	return model_get(&m, a, dir, device);
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

static size_t token_bytes(const agent_model *m)
{
	const cc_kv_config *c = cc_kv_pool_config(cc_session_pool(m->root));
	return (size_t)c->n_layers * 2 * (size_t)c->n_kv_heads * (size_t)c->head_dim *
	       cc_kv_dtype_size(c->dtype);
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
		cc_cache_stats cs;
		pthread_mutex_lock(&m->mu);
		cc_session_cache_stats(&cs, m->root);
		pthread_mutex_unlock(&m->mu);
		i->dir = strdup(m->dir);
		i->arch = strdup(m->info.arch);
		i->device = m->device;
		i->window = (size_t)m->info.max_pos;
		i->vocab = (size_t)m->info.vocab;
		i->n_layers = (size_t)m->info.n_layers;
		i->n_params = m->info.n_params;
		i->kv_bytes_capacity = cs.bytes_capacity;
		i->kv_bytes_used = cs.bytes_used;
		i->kv_bytes_per_token = token_bytes(m);
		i->n_sessions = m->n_sessions;
		i->has_chat_template = m->has_chat;
		if (!i->dir || !i->arch) {
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
	for (size_t i = 0; i < n; i++) {
		free(m[i].dir);
		free(m[i].arch);
	}
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
		return cc_error_set(CC_ENOTFOUND, "the query names nothing defined in the repository "
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
			return cc_error_set(CC_EINVAL, "function '%.200s' is not defined in the indexed "
			                    "revision", q);
	}
	return CC_OK;
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
	if (o->text) {
		cc_prompt_segment seg = {0};
		if (o->repo || o->n_paths || o->n_functions)
			return cc_error_set(CC_EINVAL, "give either text or repository paths/functions, "
			                    "not both");
		seg.content = o->text;
		seg.len = o->text_len;
		c->t_assemble = cc_now() - t0;
		return cc_priors_compute(&c->pr, am->tok, &seg, 1, &po, &cfg);
	}
	if (!o->repo)
		return cc_error_set(CC_EINVAL, "no context: give text, or a repository with paths, "
		                    "functions or a query");
	if (o->repo[0] != '/')
		return cc_error_set(CC_EINVAL, "repository path must be absolute, got '%.200s'",
		                    o->repo);
	if (!o->n_paths && !o->n_functions && !(o->query && *o->query))
		return cc_error_set(CC_EINVAL, "no context: name paths or functions, or give a query "
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
			rc = cc_error_set(CC_ENOTFOUND, "the query names nothing defined in %.200s "
			                  "(no file defines or is named by its identifiers): name paths "
			                  "or functions instead", o->repo);
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
	agent_model *m = s->am;
	pthread_mutex_lock(&m->mu);
	cc_session_free(s->s);
	s->s = NULL;
	m->n_sessions--;
	pthread_mutex_unlock(&m->mu);
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
		return cc_error_set(CC_ENOTFOUND, "no session '%.64s' (closed, timed out or never "
		                    "opened)", id ? id : "(none)");
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

/* Prefill the context (and the query window) into s->s, then compress. m->mu held. */
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

	cc_session_reset(s->s);
	/* h2o needs the attention of every query of the prefill; the repeat pass's forks need a
	 * window of a chunk. */
	if ((rc = cc_session_set_obs_window(s->s, policy == CC_POLICY_H2O ? (int)n_all
	                                          : use_recon                ? (int)chunk
	                                                                     : 0)))
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

/* cc_agent_session_open with o->repo_cache: the context assembled from per-file chunks
 * (agent/repo_cache.c, repocache/), the query prefilled on top, an optional final query-aware
 * pass. */
static int cache_session_open(cc_agent_session_info *out, cc_agent *a,
                              const cc_agent_open_opts *o)
{
	agent_model *m = NULL;
	agent_sess *s = NULL;
	agent_cache_ctx cc = {0};
	agent_cache_env env = {0};
	char *model_id = NULL;
	int32_t *qids = NULL;
	size_t window, limit, n_q = 0, npos = 0;
	int rc, counted = 0, locked = 0;
	double t0;

	if ((rc = policy_check(o->policy)))
		return rc;
	if (o->device != CC_DEVICE_CPU)
		return cc_error_set(CC_EUNSUPPORTED, "the repository cache works with CPU models for "
		                    "now (its chunks pass through host memory)");
	cc_agent_reap(a);
	if ((rc = model_get(&m, a, o->model, o->device)))
		return rc;
	window = (size_t)m->info.max_pos;
	if (window <= a->o.reserve + 16)
		return cc_error_set(CC_EINVAL, "model window %zu is too small for the %zu tokens "
		                    "reserved for prompts", window, a->o.reserve);
	limit = window - a->o.reserve;
	if (o->max_context_tokens) {
		if (o->max_context_tokens > limit)
			return cc_error_set(CC_ETOOBIG, "max_context_tokens %zu is over the model's "
			                    "window %zu less %zu tokens reserved for prompts (%zu)",
			                    o->max_context_tokens, window, a->o.reserve, limit);
		limit = o->max_context_tokens;
	}
	pthread_mutex_lock(&a->mu);
	if (!a->rcache) {
		cc_repocache_opts ro = {0};
		ro.mem_bytes = a->o.repo_cache_bytes;
		rc = cc_repocache_new(&a->rcache, &ro);
	}
	pthread_mutex_unlock(&a->mu);
	if (rc)
		return rc;
	if (o->query && *o->query) {
		size_t ql = strlen(o->query);
		char *qt = malloc(ql + 16);
		if (!qt)
			return cc_error_set(CC_ENOMEM, "out of memory");
		ql = (size_t)snprintf(qt, ql + 16, "\n# query: %s\n", o->query);
		rc = cc_tokenizer_encode(m->tok, qt, ql, &qids, NULL, &n_q);
		free(qt);
		if (rc)
			return rc;
	}
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
		sprintf(model_id, "%s|cpu|f32|%016llx", m->dir, h);
	}
	s->am = m;
	pthread_mutex_lock(&a->mu);
	if (m->n_sessions >= a->o.max_sessions) {
		pthread_mutex_unlock(&a->mu);
		rc = cc_error_set(CC_EBUSY, "model %s already holds %zu sessions (the limit): close "
		                  "one first", m->dir, m->n_sessions);
		goto fail;
	}
	m->n_sessions++;
	counted = 1;
	snprintf(s->id, sizeof(s->id), "s%llu-%04x", (unsigned long long)++a->counter,
	         (unsigned)((uint64_t)(cc_now() * 1e6) & 0xffff));
	pthread_mutex_unlock(&a->mu);
	memcpy(s->info.id, s->id, sizeof(s->id));

	pthread_mutex_lock(&m->mu);
	locked = 1;
	env.cache = a->rcache;
	env.dir = a->o.repo_cache_dir;
	env.root = m->root;
	env.tok = m->tok;
	env.model_id = model_id;
	env.bos = m->info.bos_id;
	env.limit = limit;
	env.recon_chunk = a->o.reserve < 256 ? a->o.reserve : 256;
	if ((rc = agent_cache_prepare(&cc, &env, o)))
		goto fail;
	if (cc.n_ids + n_q > window - a->o.reserve / 2) {
		rc = cc_error_set(CC_ETOOBIG, "the query is %zu tokens; with the %zu-token context it "
		                  "leaves too little of the window %zu", n_q, cc.n_ids, window);
		goto fail;
	}
	{
		/* admission: the assembled rows (the most any layer keeps), the query, the reserve */
		cc_cache_stats cs;
		const cc_kv_config *kc = cc_kv_pool_config(cc_session_pool(m->root));
		size_t rows = 0;
		for (size_t i = 0; i < cc.n_chunks; i++) {
			size_t mx = 0;
			for (int l = 0; l < kc->n_layers; l++)
				if (cc_repocache_chunk_kept(cc.chunks[i], l) > mx)
					mx = cc_repocache_chunk_kept(cc.chunks[i], l);
			rows += mx;
		}
		size_t need;
		cc_session_cache_stats(&cs, m->root);
		need = ((rows + n_q + a->o.reserve + (size_t)kc->block_tokens - 1) /
		        (size_t)kc->block_tokens) * cs.block_bytes * (size_t)kc->n_layers;
		if (need > cs.bytes_capacity - cs.bytes_used) {
			rc = cc_error_set(CC_EBUSY, "the session needs %zu KV bytes (%zu rows); model %s "
			                  "has %zu of %zu free: close or compress other sessions", need,
			                  rows + n_q + a->o.reserve, m->dir,
			                  cs.bytes_capacity - cs.bytes_used, cs.bytes_capacity);
			goto fail;
		}
		s->info.kv_bytes_full = ((cc.n_ids + n_q + (size_t)kc->block_tokens - 1) /
		                         (size_t)kc->block_tokens) * cs.block_bytes *
		                        (size_t)kc->n_layers;
	}
	t0 = cc_now();
	if ((rc = cc_session_fork(&s->s, m->root)) ||
	    (rc = cc_repocache_assemble(s->s, m->m, cc.chunks, cc.n_chunks, &npos)))
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
					rc = cc_error_set(CC_EINVAL, "cache_final_budget: the chunks keep "
					                  "different counts per layer (policy %s); use another "
					                  "policy", cc_policy_name(o->policy));
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
	pthread_mutex_unlock(&m->mu);
	locked = 0;

	s->n_ctx = cc.n_ids;
	s->n_query = n_q;
	if (!(s->ids = malloc((cc.n_ids + n_q + 1) * sizeof(int32_t)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail_counted;
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
		cc_repocache_disk_usage(&s->info.cache_bytes_disk, &files, cc.dir);
	}
	if (!(s->info.model = strdup(m->dir)) ||
	    !(s->info.policy = strdup(o->policy == CC_AGENT_POLICY_FULL ? "full"
	                                                                : cc_policy_name(o->policy)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail_counted;
	}
	fill_cache_info(s);
	s->last_used = cc_now();
	if ((rc = info_copy(out, &s->info)))
		goto fail_counted;
	pthread_mutex_lock(&a->mu);
	s->next = a->sessions;
	a->sessions = s;
	pthread_mutex_unlock(&a->mu);
	agent_cache_ctx_clear(&cc);
	free(qids);
	free(model_id);
	return CC_OK;

fail:
	if (!counted)
		goto fail_free;
fail_counted:
	if (!locked)
		pthread_mutex_lock(&m->mu);
	cc_session_free(s->s);
	s->s = NULL;
	pthread_mutex_unlock(&m->mu);
	pthread_mutex_lock(&a->mu);
	m->n_sessions--;
	pthread_mutex_unlock(&a->mu);
	locked = 0;
fail_free:
	if (locked)
		pthread_mutex_unlock(&m->mu);
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
	size_t window, limit, need_tokens;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!o)
		return cc_error_set(CC_EINVAL, "session.open: no options");
	if (o->repo_cache)
		return cache_session_open(out, a, o);
	if ((rc = policy_check(o->policy)) ||
	    (o->policy != CC_AGENT_POLICY_FULL && (rc = cc_agent_budget_check(o->budget))))
		return rc;
	cc_agent_reap(a);
	if ((rc = model_get(&m, a, o->model, o->device)))
		return rc;
	window = (size_t)m->info.max_pos;
	if (window <= a->o.reserve + 16)
		return cc_error_set(CC_EINVAL, "model window %zu is too small for the %zu tokens "
		                    "reserved for prompts", window, a->o.reserve);
	limit = window - a->o.reserve;
	if (o->max_context_tokens) {
		if (o->max_context_tokens > limit)
			return cc_error_set(CC_ETOOBIG, "max_context_tokens %zu is over the model's "
			                    "window %zu less %zu tokens reserved for prompts (%zu)",
			                    o->max_context_tokens, window, a->o.reserve, limit);
		limit = o->max_context_tokens;
	}
	double t0 = cc_now();
	if ((rc = assemble(&c, a, m, o, limit)))
		goto fail;
	if (!(s = calloc(1, sizeof(*s)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail;
	}
	s->am = m;
	s->recon_chunk = a->o.reserve < 256 ? a->o.reserve : 256;
	size_t n = c.pr->n_tokens, n_q = 0;
	int32_t *qids = NULL;
	if (n == 0) {
		rc = cc_error_set(CC_EINVAL, "the context is empty");
		goto fail;
	}
	if (n > limit) {
		if (!o->truncate) {
			rc = cc_error_set(CC_ETOOBIG, "the context is %zu tokens, over the limit of %zu "
			                  "(window %zu less %zu reserved%s); name fewer files or ask "
			                  "for truncation", n, limit, window, a->o.reserve,
			                  o->max_context_tokens ? ", or max_context_tokens" : "");
			goto fail;
		}
		s->info.truncated = 1;
		s->info.dropped_tokens = n - limit;
		n = limit;
	}
	if (o->query && *o->query) {
		/* the query window after the context: what query-aware compression looks from */
		char *qt = NULL;
		size_t ql = strlen(o->query);
		if (!(qt = malloc(ql + 16))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto fail;
		}
		ql = (size_t)snprintf(qt, ql + 16, "\n# query: %s\n", o->query);
		rc = cc_tokenizer_encode(m->tok, qt, ql, &qids, NULL, &n_q);
		free(qt);
		if (rc)
			goto fail;
		if (n + n_q > window - a->o.reserve / 2) {
			free(qids);
			rc = cc_error_set(CC_ETOOBIG, "the query is %zu tokens; with the %zu-token "
			                  "context it leaves too little of the window %zu", n_q, n, window);
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
	if (!(s->info.model = strdup(m->dir)) ||
	    !(s->info.policy = strdup(o->policy == CC_AGENT_POLICY_FULL ? "full"
	                                                                : cc_policy_name(o->policy)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto fail;
	}

	/* Admission: the session count, then the shared pool's room for the full prefill. */
	pthread_mutex_lock(&a->mu);
	if (m->n_sessions >= a->o.max_sessions) {
		pthread_mutex_unlock(&a->mu);
		rc = cc_error_set(CC_EBUSY, "model %s already holds %zu sessions (the limit): close "
		                  "one first", m->dir, m->n_sessions);
		goto fail;
	}
	m->n_sessions++;
	snprintf(s->id, sizeof(s->id), "s%llu-%04x", (unsigned long long)++a->counter,
	         (unsigned)((uint64_t)(cc_now() * 1e6) & 0xffff));
	pthread_mutex_unlock(&a->mu);
	memcpy(s->info.id, s->id, sizeof(s->id));
	need_tokens = n + n_q + a->o.reserve;
	pthread_mutex_lock(&m->mu);
	{
		cc_cache_stats cs;
		cc_session_cache_stats(&cs, m->root);
		size_t free_bytes = cs.bytes_capacity - cs.bytes_used;
		const cc_kv_config *kc = cc_kv_pool_config(cc_session_pool(m->root));
		size_t need_bytes = ((need_tokens + (size_t)kc->block_tokens - 1) /
		                     (size_t)kc->block_tokens) * cs.block_bytes * (size_t)kc->n_layers;
		if (need_bytes > free_bytes) {
			pthread_mutex_unlock(&m->mu);
			rc = cc_error_set(CC_EBUSY, "the session needs %zu KV bytes (%zu tokens) to "
			                  "prefill; model %s has %zu of %zu free: close or compress "
			                  "other sessions", need_bytes, need_tokens, m->dir, free_bytes,
			                  cs.bytes_capacity);
			goto fail_counted;
		}
	}
	if ((rc = cc_session_fork(&s->s, m->root)) ||
	    (rc = prefill_compress(s, o->policy, o->budget))) {
		pthread_mutex_unlock(&m->mu);
		goto fail_counted;
	}
	pthread_mutex_unlock(&m->mu);
	s->last_used = cc_now();
	if ((rc = info_copy(out, &s->info))) {
		pthread_mutex_lock(&m->mu);
		goto fail_counted_locked;
	}
	pthread_mutex_lock(&a->mu);
	s->next = a->sessions;
	a->sessions = s;
	pthread_mutex_unlock(&a->mu);
	context_clear(&c);
	return CC_OK;

fail_counted:
	pthread_mutex_lock(&m->mu);
fail_counted_locked:
	cc_session_free(s->s);
	s->s = NULL;
	pthread_mutex_unlock(&m->mu);
	pthread_mutex_lock(&a->mu);
	m->n_sessions--;
	pthread_mutex_unlock(&a->mu);
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
		return cc_error_set(CC_ENOTFOUND, "no session '%.64s' (closed, timed out or never "
		                    "opened)", id ? id : "(none)");
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
		return cc_error_set(CC_EUNSUPPORTED, "session %s was assembled from the repository "
		                    "cache, whose chunks are compressed file by file: open a new "
		                    "session with another policy or budget", id);
	}
	pthread_mutex_lock(&s->am->mu);
	rc = prefill_compress(s, policy, budget);
	pthread_mutex_unlock(&s->am->mu);
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
		return cc_error_set(CC_ETOOBIG, "the prompt (%zu tokens) and max_new (%zu) after the "
		                    "%zu-position context pass the model's window of %zu", n_prompt,
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

int cc_agent_session_generate(cc_agent_gen_result *out, cc_agent *a, const char *id,
                              const cc_agent_gen_opts *o)
{
	agent_sess *s;
	cc_session *f = NULL;
	int32_t *pids = NULL;
	size_t np = 0;
	float *logits = NULL;
	cc_sampler smp;
	char *text = NULL;
	size_t len = 0;
	int rc;
	double t0;

	memset(out, 0, sizeof(*out));
	if (!o)
		return cc_error_set(CC_EINVAL, "generate: no options");
	if (o->max_new > (1u << 20))
		return cc_error_set(CC_EINVAL, "max_new %zu is too large", o->max_new);
	if (!(o->temperature >= 0) || !(o->top_p >= 0 && o->top_p <= 1))
		return cc_error_set(CC_EINVAL, "temperature must be >= 0 and top_p in [0, 1]");
	if ((rc = sess_acquire(&s, a, id)))
		return rc;
	agent_model *m = s->am;
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
	if ((rc = window_check(s, np, o->max_new)))
		goto out;
	if (!(logits = malloc((size_t)m->info.vocab * sizeof(float))) ||
	    !(out->ids = malloc((o->max_new ? o->max_new : 1) * sizeof(int32_t)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	cc_sampler_init(&smp, o->temperature, o->top_p, o->seed);
	out->finish = "length";
	pthread_mutex_lock(&m->mu);
	t0 = cc_now();
	if ((rc = cc_session_fork(&f, s->s)))
		goto unlock;
	if ((rc = cc_session_prefill(f, pids, np, logits)))
		goto unlock;
	out->t_prefill = cc_now() - t0;
	t0 = cc_now();
	for (size_t k = 0; k < o->max_new; k++) {
		int32_t id2 = cc_sampler_sample(&smp, logits, m->info.vocab);
		int stop = 0;
		if (id2 < 0) {
			rc = id2;
			goto unlock;
		}
		out->ids[out->n_ids++] = id2;
		if (!o->no_eos && id2 == m->info.eos_id)
			stop = 1;
		for (size_t j = 0; j < o->n_stop_ids; j++)
			stop |= id2 == o->stop_ids[j];
		if (stop) {
			out->n_ids--; /* the end token is not part of the text */
			out->finish = "stop";
			break;
		}
		{
			size_t pl = 0;
			const char *piece = cc_tokenizer_token_bytes(m->tok, id2, &pl);
			char *nt = realloc(text, len + pl + 1);
			size_t cut;
			if (!nt) {
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto unlock;
			}
			text = nt;
			/* byte-level pieces decode exactly through the tokenizer; the piece bytes here
			 * are only for stop matching and streaming, the final text is decoded below */
			{
				char *dec = NULL;
				size_t dl = 0;
				if (cc_tokenizer_decode(m->tok, &id2, 1, &dec, &dl) == CC_OK) {
					nt = realloc(text, len + dl + 1);
					if (nt) {
						text = nt;
						memcpy(text + len, dec, dl);
						len += dl;
						text[len] = 0;
					}
					if (o->on_token && o->on_token(o->ud, id2, dec, dl)) {
						free(dec);
						out->finish = "callback";
						break;
					}
					free(dec);
				}
			}
			(void)piece;
			if (ends_with_stop(text, len, o, &cut)) {
				out->finish = "stop";
				break;
			}
		}
		if (k + 1 < o->max_new && (rc = cc_session_decode(f, id2, logits)))
			goto unlock;
	}
	out->t_decode = cc_now() - t0;
unlock:
	cc_session_free(f);
	pthread_mutex_unlock(&m->mu);
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
	free(text);
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
	pthread_mutex_lock(&m->mu);
	if ((rc = cc_session_fork(&f, s->s)) == CC_OK)
		rc = cc_session_logprobs(f, out->ids, out->n, logp, 0, NULL, NULL);
	cc_session_free(f);
	pthread_mutex_unlock(&m->mu);
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
