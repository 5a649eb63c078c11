/*
 * repo_cache.c - agent sessions over the repository KV cache: the files of a session (named,
 * or chosen by the query through the graph as agent.c chooses them), each file's chunk looked
 * up by (model, blob, path, policy, budget, anchor) in memory and in the cache directory, and
 * the missing ones computed from the file's query-agnostic priors. agent.c assembles the
 * session from the chunks.
 */
#include "agent_cache.h"

#include "cc_priors.h"

#include <stdlib.h>
#include <string.h>

void agent_cache_ctx_clear(agent_cache_ctx *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_chunks; i++)
		cc_repocache_chunk_release(c->chunks[i]);
	free(c->chunks);
	for (size_t i = 0; i < c->n_files; i++)
		free(c->files[i]);
	free(c->files);
	free(c->ids);
	free(c->dir);
	memset(c, 0, sizeof(*c));
}

static int default_dir(char **out, const char *db)
{
	const char *slash = strrchr(db, '/');
	size_t n = slash ? (size_t)(slash - db) : 1;
	if (!(*out = malloc(n + 16)))
		return cc_error_set(CC_ENOMEM, "out of memory");
	if (slash)
		memcpy(*out, db, n);
	else
		(*out)[0] = '.';
	strcpy(*out + n, "/codecomp-kv");
	return CC_OK;
}

/* One file's chunk: from the cache, else computed from its priors. */
static int file_chunk(cc_repocache_chunk **out, int *how, const agent_cache_env *env,
                      agent_cache_ctx *c, cc_store *st, cc_store_rev *r,
                      const cc_agent_open_opts *o, const char *path)
{
	cc_store_file *f = NULL;
	cc_priors *pr = NULL;
	cc_priors_config cfg;
	cc_priors_opts po = {0};
	cc_prompt_item it = {0};
	int32_t *ids = NULL;
	float *prior = NULL;
	uint8_t *protect = NULL;
	int rc, disk = 0;
	double t0;
	cc_repocache_key k;

	if ((rc = cc_store_rev_file(&f, r, path)))
		return rc;
	k.model = env->model_id;
	k.blob = f->oid;
	k.path = path;
	k.policy = o->policy == CC_AGENT_POLICY_FULL ? CC_REPOCACHE_FULL : o->policy;
	k.budget = o->policy == CC_AGENT_POLICY_FULL ? 1 : o->budget;
	k.anchor = !o->cache_no_anchor || c->n_chunks == 0;
	rc = cc_repocache_get(out, &disk, env->cache, c->dir, &k);
	if (rc == CC_OK) {
		*how = disk ? 2 : 1;
		goto out;
	}
	if (rc != CC_ENOTFOUND)
		goto out;
	t0 = cc_now();
	cc_priors_config_default(&cfg);
	it.path = path;
	if ((rc = cc_priors_from_store(&pr, st, o->repo, o->rev, env->tok, &it, 1, &po, &cfg)))
		goto out;
	if (!pr->n_tokens) {
		rc = cc_error_set(CC_EINVAL, "%.200s has no tokens", path);
		goto out;
	}
	ids = malloc(pr->n_tokens * sizeof(*ids));
	prior = malloc(pr->n_tokens * sizeof(*prior));
	protect = malloc(pr->n_tokens);
	if (!ids || !prior || !protect) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < pr->n_tokens; i++) {
		ids[i] = pr->tokens[i].id;
		prior[i] = pr->tokens[i].prior;
		protect[i] = pr->tokens[i].protect;
	}
	rc = cc_repocache_compute(out, env->cache, c->dir, &k, env->root, env->bos, ids,
	                          pr->n_tokens, prior, protect, env->recon_chunk);
	c->t_chunks += cc_now() - t0;
	*how = 0;
out:
	cc_store_file_free(f);
	cc_priors_free(pr);
	free(ids);
	free(prior);
	free(protect);
	return rc;
}

int agent_cache_prepare(agent_cache_ctx *out, const agent_cache_env *env,
                        const cc_agent_open_opts *o)
{
	cc_store *st = NULL;
	cc_store_rev *r = NULL;
	char *db = NULL;
	const char **paths = NULL;
	size_t n_paths = 0, total = 0;
	double t0 = cc_now();
	int rc;

	memset(out, 0, sizeof(*out));
	if (o->text || o->n_functions)
		return cc_error_set(CC_EINVAL,
		                    "the repository cache works on whole files: give "
		                    "paths or a query, not functions or text");
	if (!o->repo || o->repo[0] != '/')
		return cc_error_set(CC_EINVAL,
		                    "the repository cache needs an absolute repository path");
	if (!o->n_paths && !(o->query && *o->query))
		return cc_error_set(CC_EINVAL,
		                    "no context: name paths, or give a query to choose files by");
	if (o->policy != CC_AGENT_POLICY_FULL && !(o->budget > 0 && o->budget <= 1))
		return cc_error_set(CC_EINVAL,
		                    "budget %g: the repository cache compresses each file "
		                    "alone, so its budget is a share in (0, 1], not a token count",
		                    o->budget);
	if (o->truncate)
		return cc_error_set(CC_EINVAL,
		                    "the repository cache does not cut contexts "
		                    "(truncate): name fewer files");
	if (o->cache_final_budget < 0 || o->cache_final_budget >= 1 ||
	    o->cache_final_budget != o->cache_final_budget)
		return cc_error_set(CC_EINVAL,
		                    "cache_final_budget %g: give a share in (0, 1), or 0 for none",
		                    o->cache_final_budget);
	if (o->cache_final_budget > 0 && !(o->query && *o->query))
		return cc_error_set(CC_EINVAL,
		                    "cache_final_budget needs a query (the final pass is "
		                    "query-aware)");
	if (o->db) {
		if (!(db = strdup(o->db)))
			return cc_error_set(CC_ENOMEM, "out of memory");
	} else if ((rc = cc_store_default_db_path(&db, o->repo))) {
		return rc;
	}
	if (env->dir) {
		if (!(out->dir = strdup(env->dir))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
	} else if ((rc = default_dir(&out->dir, db))) {
		goto out;
	}
	if ((rc = cc_store_open(&st, db, CC_STORE_READONLY)) ||
	    (rc = cc_store_rev_open(&r, st, o->repo, o->rev)))
		goto out;
	if (o->n_paths) {
		paths = malloc(o->n_paths * sizeof(*paths));
		if (!paths) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < o->n_paths; i++) {
			int dup = 0;
			for (size_t j = 0; j < n_paths; j++)
				dup |= !strcmp(paths[j], o->paths[i]);
			if (!dup)
				paths[n_paths++] = o->paths[i];
		}
	} else {
		if ((rc = agent_files_by_query(&paths, &n_paths, r, o->query, env->limit)))
			goto out;
		out->by_query = 1;
	}
	out->chunks = calloc(n_paths, sizeof(*out->chunks));
	out->files = calloc(n_paths, sizeof(*out->files));
	if (!out->chunks || !out->files) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n_paths; i++) {
		cc_repocache_chunk *ch = NULL;
		int how = 0;
		size_t n;
		if ((rc = file_chunk(&ch, &how, env, out, st, r, o, paths[i])))
			goto out;
		cc_repocache_chunk_ids(ch, &n);
		if (total + n > env->limit) {
			cc_repocache_chunk_release(ch);
			if (out->by_query && out->n_chunks)
				break; /* chosen by relevance: the least relevant files drop out */
			rc = cc_error_set(CC_ETOOBIG,
			                  "the context is at least %zu tokens, over the limit "
			                  "of %zu (the window less the reserve); name fewer files",
			                  total + n, env->limit);
			goto out;
		}
		total += n;
		out->chunks[out->n_chunks++] = ch;
		if (!(out->files[out->n_files] = strdup(paths[i]))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		out->n_files++;
		out->reused += how != 0;
		out->from_disk += how == 2;
		out->prefilled += how == 0;
	}
	if (!(out->ids = malloc((total ? total : 1) * sizeof(int32_t)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < out->n_chunks; i++) {
		size_t n;
		const int32_t *ids = cc_repocache_chunk_ids(out->chunks[i], &n);
		memcpy(out->ids + out->n_ids, ids, n * sizeof(int32_t));
		out->n_ids += n;
	}
	out->t_select = cc_now() - t0 - out->t_chunks;
	rc = CC_OK;
out:
	if (rc)
		agent_cache_ctx_clear(out);
	free(paths);
	cc_store_rev_free(r);
	cc_store_free(st);
	free(db);
	return rc;
}
