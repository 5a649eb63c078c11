/*
 * localize_method.c - the daemon's `localize` method: the request `codecomp localize` sends,
 * answered with the same JSON (cc_localize_reply.h). Models are loaded on first use and kept
 * (a few per daemon, by path); one localization runs on a model at a time.
 */
#include "cc_daemon.h"
#include "cc_localize.h"
#include "cc_localize_reply.h"
#include "cc_store.h"
#include "cc_tokenizer.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOC_MODELS 4

static struct {
	pthread_mutex_t mu; /* guards the table */
	struct {
		char *dir;
		cc_model *m;
		cc_tokenizer *tok;
		pthread_mutex_t use; /* one run per model at a time */
	} e[LOC_MODELS];
	unsigned next;
} models = {.mu = PTHREAD_MUTEX_INITIALIZER};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init_locks(void)
{
	for (int i = 0; i < LOC_MODELS; i++)
		pthread_mutex_init(&models.e[i].use, NULL);
}

/* The model slot for dir, loading it when absent; returns with the slot's use lock held. */
static int model_get(int *slot, const char *dir)
{
	int rc = CC_OK;
	pthread_once(&once, init_locks);
	pthread_mutex_lock(&models.mu);
	for (int i = 0; i < LOC_MODELS; i++)
		if (models.e[i].dir && !strcmp(models.e[i].dir, dir)) {
			*slot = i;
			goto found;
		}
	cc_model *m = NULL;
	cc_tokenizer *tok = NULL;
	cc_model_opts mo = {0};
	if ((rc = cc_tokenizer_load(&tok, dir)) || (rc = cc_model_load(&m, dir, &mo))) {
		cc_tokenizer_free(tok);
		pthread_mutex_unlock(&models.mu);
		return rc;
	}
	cc_model_info mi;
	cc_model_info_get(&mi, m);
	if ((rc = cc_tokenizer_check_model_vocab(tok, (size_t)mi.vocab))) {
		cc_error_set(rc, "model %s: %s", dir, cc_error_last());
		cc_model_free(m);
		cc_tokenizer_free(tok);
		pthread_mutex_unlock(&models.mu);
		return rc;
	}
	int i = (int)(models.next++ % LOC_MODELS);
	pthread_mutex_lock(&models.e[i].use); /* wait for a run on the evicted model */
	free(models.e[i].dir);
	cc_model_free(models.e[i].m);
	cc_tokenizer_free(models.e[i].tok);
	models.e[i].dir = strdup(dir);
	models.e[i].m = m;
	models.e[i].tok = tok;
	pthread_mutex_unlock(&models.e[i].use);
	*slot = i;
found:
	pthread_mutex_lock(&models.e[*slot].use);
	pthread_mutex_unlock(&models.mu);
	return rc;
}

int cc_daemon_localize(json_t **result, json_t *params)
{
	const char *model = NULL, *db = NULL, *repo, *rev;
	char *repo_abs = NULL, *dbpath = NULL;
	cc_loc_query q;
	cc_loc_opts o;
	cc_store *s = NULL;
	cc_loc_result *res = NULL;
	json_t *p = NULL;
	int slot = -1, rc;
	*result = NULL;
	if ((rc = cc_proto_param_str(&model, params, "model", 1, NULL)) ||
	    (rc = cc_proto_param_str(&db, params, "db", 0, NULL)))
		goto out;
	if (model[0] != '/' || (db && db[0] != '/')) {
		rc = cc_error_set(CC_EINVAL, "parameters 'model' and 'db' must be absolute paths");
		goto out;
	}
	p = json_deep_copy(params);
	if (!p) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	json_object_del(p, "model");
	json_object_del(p, "db");
	if ((rc = cc_loc_request_parse(&q, &o, &repo, &rev, p)))
		goto out;
	/* the daemon's roots and database places, as for every method (docs/security.md) */
	if ((rc = cc_confine_repo(&repo_abs, repo)) || (rc = cc_confine_db(&dbpath, repo_abs, db)))
		goto out;
	db = dbpath;
	if (access(db, F_OK)) {
		rc = cc_error_set(CC_ENOTFOUND, "%s is not indexed (no %s); run `codecomp index %s` "
		                                "first",
		                  repo_abs, db, repo_abs);
		goto out;
	}
	if ((rc = cc_store_open(&s, db, CC_STORE_READONLY)) || (rc = model_get(&slot, model)))
		goto out;
	o.model_dir = model;
	rc = cc_localize_run(&res, s, repo_abs, rev, models.e[slot].m, models.e[slot].tok, &q, &o);
	pthread_mutex_unlock(&models.e[slot].use);
	if (rc)
		goto out;
	if (!(*result = cc_loc_result_json(res)))
		rc = cc_error_set(CC_ENOMEM, "out of memory");
out:
	cc_loc_result_free(res);
	cc_store_free(s);
	json_decref(p);
	free(repo_abs);
	free(dbpath);
	return rc;
}

static int m_localize(json_t **result, const cc_proto_call *call, json_t *params)
{
	(void)call;
	return cc_daemon_localize(result, params);
}

int cc_daemon_localize_register(cc_daemon *d)
{
	return cc_proto_table_add(d->table, "localize", m_localize, 0,
	                          "rank the functions and lines a bug report points at");
}
