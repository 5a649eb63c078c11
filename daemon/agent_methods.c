/*
 * agent_methods.c - the agent-session methods of codecompd (models, session.open, ...): the
 * daemon's front end over agent/ (cc_agent_call writes every reply). Repositories and their
 * databases go through the daemon's confinement; over tcp a model not loaded at start is
 * refused with one message whatever the path (paths outside the roots are not probed).
 */
#include "cc_agent_reply.h"
#include "cc_daemon.h"

#include <stdlib.h>
#include <string.h>

static int m_agent(json_t **result, const cc_proto_call *call, json_t *params)
{
	cc_daemon *d = call->user;
	json_t *p = NULL;
	char *repo = NULL, *db = NULL;
	int rc;

	*result = NULL;
	if (!d->agent)
		return cc_error_set(CC_EUNSUPPORTED, "this codecompd has no agent sessions");
	if (!strcmp(call->method, "session.open") && json_is_object(params)) {
		json_t *jr = json_object_get(params, "repo"), *jm = json_object_get(params, "model");
		p = json_deep_copy(params);
		if (!p)
			return cc_error_set(CC_ENOMEM, "out of memory");
		if (jr) {
			if (!json_is_string(jr)) {
				rc = cc_error_set(CC_EINVAL, "parameter 'repo' must be a string");
				goto out;
			}
			if ((rc = cc_confine_repo(&repo, json_string_value(jr))) ||
			    (rc = cc_confine_db(&db, repo,
			                        json_string_value(json_object_get(params, "db")))))
				goto out;
			json_object_set_new(p, "repo", json_string(repo));
			json_object_set_new(p, "db", json_string(db));
		}
		if (!call->local && json_is_string(jm)) {
			const char *dev = json_string_value(json_object_get(params, "device"));
			int device = cc_device_parse(dev ? dev : "cpu");
			if (device < 0 || !cc_agent_model_tokenizer(d->agent, json_string_value(jm),
			                                            device)) {
				rc = cc_error_set(CC_EINVAL,
				                  "model not available: over tcp only the models "
				                  "codecompd loaded at start (--model) are served");
				goto out;
			}
		}
		params = p;
	}
	rc = cc_agent_call(result, d->agent, call->method, params, NULL, NULL);
out:
	json_decref(p);
	free(repo);
	free(db);
	return rc;
}

json_t *cc_daemon_agent_models_json(cc_daemon *d)
{
	cc_agent_model_info *m;
	size_t n;
	json_t *r, *models;
	if (!d->agent || cc_agent_models(&m, &n, d->agent))
		return NULL;
	r = cc_agent_models_json(m, n);
	cc_agent_models_free(m, n);
	models = json_incref(json_object_get(r, "models"));
	json_decref(r);
	return models;
}

int cc_daemon_agent_register(cc_daemon *d)
{
	static const char *const summaries[] = {
		"loaded models with their KV memory", "open an agent session over a compressed context",
		"generate after a session's context", "per-token NLL of a text after the context",
		"compress a session's context again", "describe a session", "list the open sessions",
		"close a session", "what a session's cache kept, per layer and KV head (codecomp viz)"};
	int rc;
	/* CC_PROTO_PRIMARY: sessions live in the primary process; serving processes relay. */
	for (int i = 0; cc_agent_methods[i]; i++)
		if ((rc = cc_proto_table_add(d->table, cc_agent_methods[i], m_agent, CC_PROTO_PRIMARY,
		                             summaries[i])))
			return rc;
	return CC_OK;
}
