/*
 * agent_cache.h - internals of agent sessions over the repository KV cache (agent/repo_cache.c,
 * used by agent.c): choosing the files, looking their chunks up and computing the missing
 * ones. Not installed.
 */
#ifndef CC_AGENT_CACHE_H
#define CC_AGENT_CACHE_H

#include "cc_agent.h"
#include "cc_repocache.h"
#include "cc_store.h"

typedef struct {
	cc_repocache *cache;
	const char *dir;  /* chunk files; NULL = <database's folder>/codecomp-kv */
	cc_session *root; /* an empty session of the model (its lock held) */
	const cc_tokenizer *tok;
	const char *model_id;
	int32_t bos;
	size_t limit; /* positions the context may span */
	size_t recon_chunk;
} agent_cache_env;

typedef struct {
	cc_repocache_chunk **chunks;
	size_t n_chunks;
	char **files;
	size_t n_files;
	int by_query;
	int32_t *ids; /* every chunk's tokens, in order (anchors included) */
	size_t n_ids;
	size_t reused, from_disk, prefilled;
	char *dir;                 /* the cache directory used */
	double t_select, t_chunks; /* seconds: choosing files and lookups; computing chunks */
} agent_cache_ctx;

/* Choose the files (o->paths, else by o->query within env->limit), get or compute their
 * chunks. Errors: CC_EINVAL (functions or text given, a budget that is not a share, no
 * files), CC_ETOOBIG (named files over the limit), those of the store, the priors and
 * cc_repocache_compute. */
int agent_cache_prepare(agent_cache_ctx *out, const agent_cache_env *env,
                        const cc_agent_open_opts *o);
void agent_cache_ctx_clear(agent_cache_ctx *c);

/* agent.c: files of revision r most relevant to query (as sessions choose them), at most
 * about limit tokens by a bytes / 3 estimate, at least one. *paths is malloc'd (strings owned
 * by r). Errors: CC_ENOTFOUND (the query names nothing), CC_ENOMEM. */
int agent_files_by_query(const char ***paths, size_t *n, cc_store_rev *r, const char *query,
                         size_t limit);

#endif
