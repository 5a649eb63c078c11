/*
 * cc_client.c - nng REQ client for codecompd: connect, call, wait for index jobs, and the
 * small helpers CLI verbs use to choose between the daemon and in-process work.
 */
#include "cc_client.h"
#include "cc_common.h"
#include "cc_proto.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>

struct cc_client {
	nng_socket sock;
	char *token;
	long long next_id;
	int last_code;
	int endpoints; /* connections dialled (cc_client_spread adds the daemon's others) */
	char url[512];
};

char *cc_client_state_dir(char *buf, size_t n, int create)
{
	const char *st = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (st && st[0] == '/')
		snprintf(buf, n, "%s/codecomp", st);
	else if (home && home[0] == '/')
		snprintf(buf, n, "%s/.local/state/codecomp", home);
	else
		return NULL;
	if (!create)
		return buf;
	for (char *p = buf + 1; *p; p++) /* mkdir -p, private */
		if (*p == '/') {
			*p = 0;
			mkdir(buf, 0700);
			*p = '/';
		}
	if (mkdir(buf, 0700) != 0 && errno != EEXIST)
		return NULL;
	return buf;
}

char *cc_client_default_url(char *buf, size_t n)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	if (rt && *rt)
		snprintf(buf, n, "ipc://%s/codecomp.sock", rt);
	else
		snprintf(buf, n, "ipc:///tmp/codecomp-%u/codecomp.sock", (unsigned)getuid());
	return buf;
}

int cc_client_dial(cc_client *c, const char *url)
{
	int rv = nng_dial(c->sock, url, NULL, 0);
	/* A full listen backlog (many clients dialling at once) answers "Try again": retry with
	 * exponential backoff and jitter, about 2 s in all, before giving up. */
	for (int attempt = 0; rv == NNG_EAGAIN && attempt < 12; attempt++) {
		long us = (1000L << (attempt < 8 ? attempt : 8)) / 2;
		us += (long)(((unsigned long)c ^ (unsigned long)attempt * 2654435761u) % (unsigned long)us);
		struct timespec ts = {us / 1000000L, (us % 1000000L) * 1000L};
		nanosleep(&ts, NULL);
		rv = nng_dial(c->sock, url, NULL, 0);
	}
	if (rv != 0) {
		int code = CC_EIO;
		if (rv == NNG_ECONNREFUSED || rv == NNG_ENOENT)
			code = CC_ENOTFOUND;
		else if (rv == NNG_EADDRINVAL || rv == NNG_ENOTSUP || rv == NNG_EINVAL)
			code = CC_EINVAL;
		if (code == CC_ENOTFOUND)
			return cc_error_set(code, "no daemon at %s (%s)", url, nng_strerror(rv));
		return cc_error_set(code, "cannot connect to %s: %s", url, nng_strerror(rv));
	}
	c->endpoints++;
	return CC_OK;
}

int cc_client_open(cc_client **out, const char *url, const char *token, int timeout_ms)
{
	cc_client *c;
	char def[512];
	int rv;

	*out = NULL;
	if (!url)
		url = cc_client_default_url(def, sizeof(def));
	if (timeout_ms <= 0)
		timeout_ms = 30000;
	c = calloc(1, sizeof(*c));
	if (!c)
		return cc_error_set(CC_ENOMEM, "client");
	snprintf(c->url, sizeof(c->url), "%s", url);
	c->next_id = 1;
	if ((rv = nng_req0_open(&c->sock)) != 0) {
		free(c);
		return cc_error_set(CC_EIO, "cannot open a request socket: %s", nng_strerror(rv));
	}
	nng_socket_set_ms(c->sock, NNG_OPT_RECVTIMEO, timeout_ms);
	nng_socket_set_ms(c->sock, NNG_OPT_SENDTIMEO, timeout_ms);
	/* Never resend: a request is answered or times out (index is not repeated). */
	nng_socket_set_ms(c->sock, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
	nng_socket_set_size(c->sock, NNG_OPT_RECVMAXSZ, 0);
	if (token && !(c->token = strdup(token))) {
		cc_client_free(c);
		return cc_error_set(CC_ENOMEM, "client");
	}
	if ((rv = cc_client_dial(c, url)) != CC_OK) {
		cc_client_free(c);
		return rv;
	}
	*out = c;
	return CC_OK;
}

int cc_client_spread(int *n, cc_client *c)
{
	json_t *h = NULL, *u;
	size_t i;
	int rc, dialled = 1;

	if (n)
		*n = 1;
	if (strncmp(c->url, "ipc://", 6) != 0)
		return CC_OK;
	if ((rc = cc_client_call(&h, c, "hello", NULL)) != CC_OK)
		return rc;
	json_array_foreach(json_object_get(h, "endpoints"), i, u)
	{
		const char *url = json_string_value(u);
		if (!url || !strcmp(url, c->url))
			continue;
		if (cc_client_dial(c, url) == CC_OK)
			dialled++;
	}
	json_decref(h);
	if (n)
		*n = dialled;
	return CC_OK;
}

void cc_client_free(cc_client *c)
{
	if (!c)
		return;
	nng_close(c->sock);
	free(c->token);
	free(c);
}

int cc_client_last_code(const cc_client *c) { return c->last_code; }

int cc_client_call_raw(char **reply, size_t *len, cc_client *c, const void *req, size_t reqlen)
{
	char *buf = NULL;
	size_t n = 0;
	int rv;

	*reply = NULL;
	*len = 0;
	for (int attempt = 0;; attempt++) {
		rv = nng_send(c->sock, (void *)req, reqlen, 0);
		if (rv != 0)
			return cc_error_set(rv == NNG_ETIMEDOUT ? CC_ETIMEDOUT : CC_EIO,
			                    "sending to %s: %s", c->url, nng_strerror(rv));
		rv = nng_recv(c->sock, &buf, &n, NNG_FLAG_ALLOC);
		/* The connection that carried the request died (a serving process was restarted):
		 * with other endpoints connected, send it once more through one of them. Methods
		 * are safe to repeat (an index request repeated while queued is deduplicated). */
		if ((rv == NNG_ECONNRESET || rv == NNG_ECONNSHUT) && c->endpoints > 1 && attempt == 0)
			continue;
		break;
	}
	if (rv != 0)
		return cc_error_set(rv == NNG_ETIMEDOUT ? CC_ETIMEDOUT : CC_EIO,
		                    "no reply from %s: %s", c->url, nng_strerror(rv));
	*reply = malloc(n + 1);
	if (!*reply) {
		nng_free(buf, n);
		return cc_error_set(CC_ENOMEM, "reply of %zu bytes", n);
	}
	memcpy(*reply, buf, n);
	(*reply)[n] = 0;
	*len = n;
	nng_free(buf, n);
	return CC_OK;
}

int cc_client_status_from_code(int code)
{
	switch (code) {
	case CC_RPC_PARSE_ERROR:
	case CC_RPC_INVALID_REQUEST: return CC_EPROTO;
	case CC_RPC_METHOD_NOT_FOUND: return CC_ENOTFOUND;
	case CC_RPC_INVALID_PARAMS: return CC_EINVAL;
	case CC_RPC_TOO_BIG: return CC_ETOOBIG;
	case CC_RPC_BUSY: return CC_EBUSY;
	case CC_RPC_TIMEOUT: return CC_ETIMEDOUT;
	case CC_RPC_UNAUTHORIZED: return CC_EAUTH;
	case CC_RPC_FORBIDDEN: return CC_EAUTH;
	case CC_RPC_NOT_FOUND: return CC_ENOTFOUND;
	case CC_RPC_SHUTTING_DOWN: return CC_EBUSY;
	case CC_RPC_CANCELED: return CC_ECANCELED;
	}
	return CC_ERR;
}

int cc_client_call(json_t **result, cc_client *c, const char *method, json_t *params)
{
	char *req = NULL, *reply = NULL;
	size_t reqlen = 0, replen = 0;
	char msg[1024];
	int rc, code = 0;

	*result = NULL;
	c->last_code = 0;
	req = cc_proto_request_encode(&reqlen, c->next_id++, method, params, c->token);
	if (!req)
		return cc_error_set(CC_ENOMEM, "encoding request '%s'", method);
	rc = cc_client_call_raw(&reply, &replen, c, req, reqlen);
	free(req);
	if (rc)
		return rc;
	rc = cc_proto_response_decode(result, &code, msg, sizeof(msg), reply, replen);
	free(reply);
	if (rc == CC_EPROTO) {
		c->last_code = code;
		return cc_error_set(cc_client_status_from_code(code), "%s", msg);
	}
	if (rc)
		return cc_error_set(rc, "%s: %s", c->url, msg);
	return CC_OK;
}

int cc_client_connect_arg(const char **url, int *argc, char **argv)
{
	const char *env = getenv(CC_CLIENT_ENV_URL);
	*url = NULL;
	for (int i = 1; i < *argc; i++) {
		int drop = 0;
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--no-daemon")) {
			*url = "";
			drop = 1;
		} else if (!strcmp(argv[i], "--connect")) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "codecomp: --connect needs a URL (e.g. ipc:///run/user/1000/codecomp.sock)\n");
				return 2;
			}
			*url = argv[i + 1];
			drop = 2;
		} else if (!strncmp(argv[i], "--connect=", 10)) {
			*url = argv[i] + 10;
			drop = 1;
		}
		if (drop) {
			memmove(&argv[i], &argv[i + drop], (size_t)(*argc - i - drop + 1) * sizeof(char *));
			*argc -= drop;
			i--;
		}
	}
	if (!*url && env && *env)
		*url = env;
	return 0;
}

static _Thread_local cc_client_progress_fn progress_fn;
static _Thread_local void *progress_ud;

void cc_client_set_progress(cc_client_progress_fn fn, void *ud)
{
	progress_fn = fn;
	progress_ud = ud;
}

static int wait_job(json_t **result, cc_client *c, json_t *job)
{
	json_t *id = json_object_get(job, "job");
	double delay = 0.005;
	if (!json_is_integer(id))
		return cc_error_set(CC_EPROTO, "index reply carries no job id");
	for (;;) {
		json_t *st = NULL;
		const char *state;
		int rc = cc_client_call(&st, c, "job.status", json_pack("{s:O}", "job", id));
		if (rc)
			return rc;
		state = json_string_value(json_object_get(st, "state"));
		json_t *pg = json_object_get(st, "progress");
		if (progress_fn && state && !strcmp(state, "running") && json_is_object(pg))
			progress_fn(progress_ud, json_string_value(json_object_get(pg, "phase")),
			            (unsigned long long)json_integer_value(json_object_get(pg, "done")),
			            (unsigned long long)json_integer_value(json_object_get(pg, "total")));
		if (state && !strcmp(state, "done")) {
			*result = json_incref(json_object_get(st, "result"));
			json_decref(st);
			return *result ? CC_OK : cc_error_set(CC_EPROTO, "finished job has no result");
		}
		if (state && (!strcmp(state, "failed") || !strcmp(state, "canceled"))) {
			json_t *e = json_object_get(st, "error");
			int code = (int)json_integer_value(json_object_get(e, "code"));
			json_t *msg = json_object_get(e, "message");
			rc = cc_error_set(!strcmp(state, "canceled") ? CC_ECANCELED
			                                             : cc_client_status_from_code(code),
			                  "%s", json_is_string(msg) ? json_string_value(msg) : state);
			json_decref(st);
			return rc;
		}
		json_decref(st);
		struct timespec ts = {0, (long)(delay * 1e9)};
		nanosleep(&ts, NULL);
		if (delay < 0.1)
			delay *= 2;
	}
}

int cc_client_try(json_t **result, const char *url, const char *method, json_t *params)
{
	cc_client *c = NULL;
	json_t *r = NULL;
	const char *token = getenv(CC_CLIENT_ENV_TOKEN);
	int rc;

	*result = NULL;
	if (url && !*url) { /* --no-daemon */
		json_decref(params);
		return CC_CLIENT_NO_DAEMON;
	}
	rc = cc_client_open(&c, url, token && *token ? token : NULL, 0);
	if (rc == CC_ENOTFOUND && !url) {
		json_decref(params);
		cc_error_clear();
		return CC_CLIENT_NO_DAEMON;
	}
	if (rc) {
		json_decref(params);
		return rc;
	}
	rc = cc_client_call(&r, c, method, params);
	if (rc == CC_OK && !strcmp(method, "index")) {
		json_t *job = r;
		r = NULL;
		rc = wait_job(&r, c, job);
		json_decref(job);
	}
	cc_client_free(c);
	if (rc == CC_OK)
		*result = r;
	return rc;
}

int cc_client_abspath(char **out, const char *path)
{
	char *p = realpath(path, NULL);
	*out = NULL;
	if (!p)
		return cc_error_set(errno == ENOENT ? CC_ENOTFOUND : CC_EIO, "%s: %s", path,
		                    strerror(errno));
	*out = p;
	return CC_OK;
}

/* Absolute form of a path that may not exist yet (a database to be created); NULL when out
 * of memory. */
static char *abs_maybe(const char *path)
{
	char *p = realpath(path, NULL), cwd[4096];
	size_t n;
	if (p || path[0] == '/')
		return p ? p : strdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		return strdup(path);
	n = strlen(cwd) + strlen(path) + 2;
	if ((p = malloc(n)))
		snprintf(p, n, "%s/%s", cwd, path);
	return p;
}

/* NULL when out of memory. */
static json_t *cli_params(const char *repo, const char *db, const char *rev)
{
	char *arepo = abs_maybe(repo), *adb = db ? abs_maybe(db) : NULL;
	json_t *p = arepo && (!db || adb) ? json_pack("{s:s}", "repo", arepo) : NULL;
	free(arepo);
	if (p && adb && json_object_set_new(p, "db", json_string(adb)))
		goto fail;
	if (p && rev && !strcmp(rev, ":worktree")) {
		if (json_object_set_new(p, "worktree", json_true()))
			goto fail;
	} else if (p && rev && json_object_set_new(p, "rev", json_string(rev))) {
		goto fail;
	}
	free(adb);
	return p;
fail:
	free(adb);
	json_decref(p);
	return NULL;
}

int cc_client_cli_index(json_t **result, const char *url, const char *repo, const char *db,
                        const char *rev)
{
	json_t *p = cli_params(repo, db, rev);
	*result = NULL;
	if (!p)
		return cc_error_set(CC_ENOMEM, "out of memory");
	return cc_client_try(result, url, "index", p);
}

int cc_client_cli_graph(json_t **result, const char *url, const char *method, const char *repo,
                        const char *db, const char *rev, const char *path)
{
	json_t *p = cli_params(repo, db, rev);
	*result = NULL;
	if (!p || json_object_set_new(p, "path", json_string(path))) {
		json_decref(p);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	return cc_client_try(result, url, method, p);
}
