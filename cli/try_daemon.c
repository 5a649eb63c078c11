/*
 * try_daemon.c - the first step of verbs that a running daemon can answer (priors, localize):
 * send it the request with the local paths made absolute (the daemon has its own working
 * directory), and let the verb compute in-process when none runs.
 */
#include "cli.h"

#include "cc_client.h"
#include "cc_common.h"

#include <jansson.h>
#include <stdlib.h>

/* params[key] = the absolute form of path; path NULL sets nothing. */
static int set_abspath(json_t *params, const char *key, const char *path)
{
	char *abs = NULL;
	int rc;
	if (!path)
		return 0;
	if ((rc = cc_client_abspath(&abs, path)) != CC_OK)
		return rc;
	rc = json_object_set_new(params, key, json_string(abs));
	free(abs);
	return rc ? cc_error_set(CC_ENOMEM, "out of memory") : 0;
}

int cli_try_daemon(json_t **out, const char *url, const char *method, const json_t *params,
                   const char *repo, const char *model, const char *db)
{
	json_t *dp = json_deep_copy(params);
	int rc;
	if (!dp)
		return cc_error_set(CC_ENOMEM, "out of memory");
	if ((rc = set_abspath(dp, "repo", repo)) || (rc = set_abspath(dp, "model", model)) ||
	    (rc = set_abspath(dp, "db", db))) {
		json_decref(dp);
		return rc;
	}
	return cc_client_try(out, url, method, dp);
}
