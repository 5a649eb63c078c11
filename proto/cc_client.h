/*
 * cc_client.h - the client side of the codecompd protocol (target cc_client): connect to a
 * daemon over nng REQ, call a method, get its result as JSON. The CLI uses it for
 * `--connect URL` and to prefer a running daemon over in-process work.
 *
 * A cc_client is one REQ socket and is used by one thread at a time; open one per thread.
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_CLIENT_H
#define CC_CLIENT_H

#include <jansson.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cc_client cc_client;

/* Environment variable naming the daemon URL for clients (overrides the default). */
#define CC_CLIENT_ENV_URL "CODECOMP_CONNECT"
/* Environment variable holding the token for tcp:// daemons. */
#define CC_CLIENT_ENV_TOKEN "CODECOMP_TOKEN"

/*
 * The default daemon URL in buf: ipc://$XDG_RUNTIME_DIR/codecomp.sock when XDG_RUNTIME_DIR is
 * set, else ipc:///tmp/codecomp-<uid>/codecomp.sock. Returns buf.
 */
char *cc_client_default_url(char *buf, size_t n);

/* The per-user state directory shared by the daemon and the CLI (the detached daemon's log,
 * the hooks' queue of commits made while no daemon ran): $XDG_STATE_HOME/codecomp, else
 * $HOME/.local/state/codecomp, written into buf (n bytes). With create, missing directories
 * are made (mode 0700). Returns buf, or NULL when neither variable holds an absolute path or
 * the directory cannot be made. */
char *cc_client_state_dir(char *buf, size_t n, int create);

/*
 * Connect to url (NULL = default URL). token (may be NULL) is sent with every request (tcp
 * listeners require it). timeout_ms bounds each call (send + reply; <= 0 = 30000). Fails with
 * CC_ENOTFOUND when nothing listens there ("no daemon at URL"), CC_EINVAL for a bad URL,
 * CC_EIO otherwise; the caller frees *out with cc_client_free.
 */
int cc_client_open(cc_client **out, const char *url, const char *token, int timeout_ms);
void cc_client_free(cc_client *c); /* NULL ok */

/*
 * Also connect c to url, another endpoint of the same daemon (one of hello's "endpoints"):
 * requests then go to whichever connected endpoint is ready next (nng REQ round robin). Errors
 * as cc_client_open; c stays usable on failure.
 */
int cc_client_dial(cc_client *c, const char *url);

/*
 * For clients that keep many requests in flight (benchmarks, batch runs): ask the daemon
 * (hello) for its endpoints and dial every one c is not connected to yet, so that requests
 * spread over all of the daemon's serving processes (codecompd --serve-procs). Only for
 * ipc:// daemons (the endpoints are local sockets); a no-op for tcp://. *n (may be NULL)
 * receives the number of endpoints c is now connected to. Errors as cc_client_call; an
 * endpoint that cannot be dialled is skipped (its process may be restarting). With several
 * endpoints, a request whose connection breaks before the reply is sent once more through
 * another one.
 */
int cc_client_spread(int *n, cc_client *c);

/*
 * Call method with params (taken, may be NULL). On success *result is a new reference. On a
 * JSON-RPC error reply returns the matching cc_status (CC_EINVAL for invalid params,
 * CC_ENOTFOUND, CC_EBUSY, ...) with the daemon's message as cc_error_last(), and the JSON-RPC
 * code in cc_client_last_code(). CC_ETIMEDOUT when no reply came in time, CC_EIO when the
 * connection failed.
 */
int cc_client_call(json_t **result, cc_client *c, const char *method, json_t *params);

/* JSON-RPC error code of the last failed call on c (0 when the last call succeeded or failed
 * in transport). */
int cc_client_last_code(const cc_client *c);

/* Send raw bytes as one request and receive the raw reply (malloc'd, *reply and *len; the caller
 * frees). For tests and tools. CC_ETIMEDOUT / CC_EIO as cc_client_call. */
int cc_client_call_raw(char **reply, size_t *len, cc_client *c, const void *req, size_t reqlen);

/* The cc_status matching a JSON-RPC error code (inverse of cc_proto_code_from_status). */
int cc_client_status_from_code(int code);

/* ---- CLI helpers ------------------------------------------------------------------------- */

/* cc_client_try returns this (not an error) when no URL was given and no daemon runs at the
 * default URL: the caller then works in-process. */
#define CC_CLIENT_NO_DAEMON 1

/*
 * Remove `--connect URL` / `--connect=URL` from argv (shifting the rest; *argc updated) and
 * store URL (borrowed from argv) in *url, or NULL when absent. Also honours the environment
 * variable CODECOMP_CONNECT when the option is absent. `--no-daemon` (also removed) sets *url
 * to "": cc_client_try then always answers CC_CLIENT_NO_DAEMON (work in-process). Returns 0, or 2 (usage) when --connect
 * lacks its URL (a message is printed).
 */
int cc_client_connect_arg(const char **url, int *argc, char **argv);

/*
 * One-call helper for CLI verbs: call method on the daemon at url. When url is NULL, the
 * default daemon is used if one runs, else CC_CLIENT_NO_DAEMON is returned. When url is given
 * and nothing listens there, that is an error (CC_ENOTFOUND). params is taken. The token comes
 * from CODECOMP_TOKEN. For "index" the helper waits for the job and returns the job's result
 * (the same object as `codecomp index --json`). Errors as cc_client_call.
 */
int cc_client_try(json_t **result, const char *url, const char *method, json_t *params);

/*
 * The daemon path of `codecomp index`: queue an index job for repo (db may be NULL: the
 * default; rev NULL = HEAD, ":worktree" = the working tree), wait for it and set *result to
 * the job's result (the `codecomp index --json` object plus "commit"). Relative repo and db
 * paths are made absolute first. Returns CC_CLIENT_NO_DAEMON when url is NULL and no daemon
 * runs, else as cc_client_try.
 */
int cc_client_cli_index(json_t **result, const char *url, const char *repo, const char *db,
                        const char *rev);

/* Progress of a running index job (phase may be NULL or empty; done/total in blobs). */
typedef void (*cc_client_progress_fn)(void *ud, const char *phase, unsigned long long done,
                                      unsigned long long total);

/* While this thread waits for an index job (cc_client_try / cc_client_cli_index), call fn
 * with the job's progress at each poll; fn NULL stops. Per thread; nothing is owned. */
void cc_client_set_progress(cc_client_progress_fn fn, void *ud);

/* The daemon path of `codecomp nodes` / `codecomp edges` (method "nodes" or "edges"): *result
 * is the same array the in-process verb prints. Returns as cc_client_cli_index. */
int cc_client_cli_graph(json_t **result, const char *url, const char *method, const char *repo,
                        const char *db, const char *rev, const char *path);

/* Absolute, canonical form of a local path in a malloc'd string (the daemon does not share
 * the client's working directory). CC_ENOTFOUND when it does not exist. */
int cc_client_abspath(char **out, const char *path);

#ifdef __cplusplus
}
#endif
#endif
