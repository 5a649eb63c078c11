/*
 * cc_proto.h - the codecompd wire protocol: JSON-RPC 2.0, one request per nng REQ/REP
 * message, UTF-8 JSON. This header decodes requests, encodes replies, maps codecomp status
 * codes to JSON-RPC error codes, dispatches through a method table that later issues extend
 * (`priors`, `localize`, ...) and encodes large numeric arrays compactly. docs/protocol.md
 * is the user-facing description of everything here.
 *
 * Array encoding: a float array travels as {"dtype": "float32", "shape": [n], "data": B}
 * where B is standard base64 (RFC 4648, with padding) of the n values as little-endian
 * IEEE-754 binary32, i.e. 4n bytes ("int32": little-endian two's complement int32). That is 5.33 bytes per value against ~10 for decimal
 * text, and decodes exactly (no rounding through decimal).
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_PROTO_H
#define CC_PROTO_H

#include <jansson.h>
#include <stddef.h>

#include "cc_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CC_PROTO_VERSION 1

/* JSON-RPC 2.0 error codes; -32000..-32099 are ours (server errors). */
enum {
	CC_RPC_PARSE_ERROR = -32700,      /* not UTF-8 or not JSON */
	CC_RPC_INVALID_REQUEST = -32600,  /* JSON, but not a JSON-RPC 2.0 request object */
	CC_RPC_METHOD_NOT_FOUND = -32601, /* unknown method */
	CC_RPC_INVALID_PARAMS = -32602,   /* missing parameter, wrong type, bad value */
	CC_RPC_INTERNAL_ERROR = -32603,   /* bug or resource failure in the daemon */
	CC_RPC_FAILED = -32000,           /* the operation failed (data.status says how) */
	CC_RPC_TOO_BIG = -32001,          /* request over the size limit */
	CC_RPC_BUSY = -32002,             /* queue full: retry later */
	CC_RPC_TIMEOUT = -32003,          /* per-request time limit passed */
	CC_RPC_UNAUTHORIZED = -32004,     /* token missing or wrong (tcp listeners) */
	CC_RPC_FORBIDDEN = -32005,        /* method only allowed over local IPC */
	CC_RPC_NOT_FOUND = -32006,        /* repository, revision, path, job... does not exist */
	CC_RPC_SHUTTING_DOWN = -32007,    /* the daemon is stopping */
	CC_RPC_CANCELED = -32008,         /* the operation was cancelled */
};

/* The JSON-RPC code for a codecomp status (CC_EINVAL -> invalid params, ...). */
int cc_proto_code_from_status(int rc);

/* Short fixed name of a JSON-RPC error code ("parse error", ...); never NULL. */
const char *cc_proto_code_name(int code);

/* A decoded request. `root` owns the JSON; id/method/params/token point into it. */
typedef struct {
	json_t *root;
	json_t *id;         /* string, number or null; NULL when absent */
	const char *method; /* never NULL after a successful decode */
	json_t *params;     /* object or array, NULL when absent */
	const char *token;  /* top-level "token" member (tcp auth), NULL when absent */
} cc_proto_request;

/*
 * Decode one request message of len bytes (need not be NUL-terminated). On success fills
 * *out (release it with cc_proto_request_clear) and returns CC_OK. On failure returns
 * CC_EPROTO (or CC_ETOOBIG when len > max, max 0 = no limit), sets *err_code to the JSON-RPC
 * code, writes a message naming the problem into err (errlen bytes) and, when the request
 * got far enough to have one, a new reference to its id in *err_id (else NULL; the caller
 * decrefs). Never crashes on any input: this is the fuzzed entry point.
 */
int cc_proto_request_decode(cc_proto_request *out, int *err_code, json_t **err_id, char *err,
                            size_t errlen, const void *buf, size_t len, size_t max);

/* Release what a decode filled in; accepts a zeroed or already cleared request. */
void cc_proto_request_clear(cc_proto_request *r);

/*
 * Encode a success reply {"jsonrpc":"2.0","id":id,"result":result}. Takes the reference to
 * result (also on failure); id is borrowed (NULL = null). Returns a malloc'd string the
 * caller frees (length in *len), or NULL when out of memory.
 */
char *cc_proto_result_encode(size_t *len, json_t *id, json_t *result);

/* Compact JSON text of v (members in insertion order, like json_dumps with JSON_COMPACT) in a
 * malloc'd string the caller frees (length in *len), NULL when out of memory. Faster than
 * json_dumps for large replies. */
char *cc_proto_json_dump(size_t *len, const json_t *v);

/*
 * Encode an error reply {"jsonrpc":"2.0","id":id,"error":{"code","message"[,"data"]}}.
 * id is borrowed (NULL = null), data is taken (may be NULL). Returns malloc'd text or NULL.
 */
char *cc_proto_error_encode(size_t *len, json_t *id, int code, const char *message, json_t *data);

/*
 * Build a request {["token":token,]"jsonrpc":"2.0","id":id,"method":method,"params":params}
 * (the token first, where daemons look for it before parsing).
 * params is taken (may be NULL: no params member); token may be NULL. Returns malloc'd text.
 */
char *cc_proto_request_encode(size_t *len, long long id, const char *method, json_t *params,
                              const char *token);

/*
 * Decode a reply. On a result, *result receives a new reference and CC_OK is returned. On an
 * error reply returns CC_EPROTO with *code and the message copied into msg (msglen bytes);
 * *result is NULL. A malformed reply returns CC_EPARSE with a message in msg.
 */
int cc_proto_response_decode(json_t **result, int *code, char *msg, size_t msglen,
                             const void *buf, size_t len);

/* ---- Method table ------------------------------------------------------------------- */

/* What a handler knows about the request it serves. */
typedef struct {
	const char *method;
	int local;       /* 1: arrived over ipc:// (or in-process), 0: over tcp:// */
	double deadline; /* cc_now() value after which the reply is a timeout (0 = none) */
	void *user;      /* the table owner's state (the daemon) */
} cc_proto_call;

/*
 * A method. Returns CC_OK with *result set (a new reference, may be json_null()), or a
 * cc_status with detail through cc_error_set; the dispatcher turns that into the error reply
 * (CC_EINVAL -> invalid params with the detail as message, and so on).
 */
typedef int (*cc_proto_handler)(json_t **result, const cc_proto_call *call, json_t *params);

enum {
	CC_PROTO_LOCAL_ONLY = 1, /* refused over tcp:// (e.g. shutdown) */
	CC_PROTO_INLINE = 2,     /* cheap and never blocks: a server may run it on its I/O thread */
	CC_PROTO_PRIMARY = 4,    /* needs the daemon's primary process (its job queue, its life):
	                            a serving process relays it there */
};

typedef struct cc_proto_table cc_proto_table;

int cc_proto_table_new(cc_proto_table **out);
void cc_proto_table_free(cc_proto_table *t);

/* Register a method; name and summary are borrowed (string literals). CC_EINVAL when the
 * name is already taken. */
int cc_proto_table_add(cc_proto_table *t, const char *name, cc_proto_handler fn, unsigned flags,
                       const char *summary);

/* The flags of the method a request message names; -1 when the message is not a request
 * for a registered method (the dispatcher then produces the error). */
int cc_proto_table_flags(const cc_proto_table *t, const void *buf, size_t len);

/* The flags of the method called name; -1 when no such method is registered. */
int cc_proto_table_method_flags(const cc_proto_table *t, const char *name);

/* Names of the registered methods as a new JSON array (for hello's capabilities). */
json_t *cc_proto_table_names(const cc_proto_table *t);

/* Limits and transport facts the dispatcher enforces for one message. */
typedef struct {
	size_t max_request; /* bytes, 0 = no limit */
	const char *token;  /* required token (tcp listeners), NULL = none */
	int local;          /* see cc_proto_call */
	double deadline;    /* passed to the handler */
	void *user;
} cc_proto_limits;

/*
 * Serve one request message end to end: decode, authenticate, find the method, call it and
 * encode the reply. Always produces a reply (malloc'd, *reply / *reply_len; the caller frees)
 * unless out of memory (then returns CC_ENOMEM and *reply is NULL). *code receives 0 or the
 * JSON-RPC error code sent, for logging. method_out (optional, bytes) receives the method name.
 */
int cc_proto_dispatch(char **reply, size_t *reply_len, int *code, const cc_proto_table *t,
                      const void *buf, size_t len, const cc_proto_limits *lim, char *method_out,
                      size_t method_len);

/*
 * The same for a request already decoded by cc_proto_request_decode (a server that decodes
 * once to pick a thread, then serves from that thread): authenticate, find the method, call
 * it, encode the reply. req stays the caller's (cc_proto_request_clear it afterwards);
 * lim->max_request is not looked at (the decode applied it). Same reply and errors as
 * cc_proto_dispatch for the same message.
 */
int cc_proto_dispatch_request(char **reply, size_t *reply_len, int *code, const cc_proto_table *t,
                              const cc_proto_request *req, const cc_proto_limits *lim);

/* Constant-time equality of two NUL-terminated secrets (time depends on the lengths only). */
int cc_proto_token_equal(const char *a, const char *b);

/*
 * The cheap check a tcp listener makes before parsing anything: buf (n bytes, a raw request)
 * must start with {"token":"<token>", ... - the token as the object's first member,
 * whitespace allowed around the punctuation, no escapes inside the token. Returns NULL when
 * the token is there and right, else the message of the refusal (a static string: "wrong
 * token", or one saying the member must come first). Reads at most the first ~4 KiB + len.
 */
const char *cc_proto_token_first(const void *buf, size_t n, const char *token);

/* ---- Parameter helpers: errors name the parameter and what was wrong (CC_EINVAL) --------- */

/* *out = params.name as a string (borrowed), or def when absent (required: absent fails). */
int cc_proto_param_str(const char **out, json_t *params, const char *name, int required,
                       const char *def);
/* *out = params.name as an integer in [lo, hi], def when absent and not required. */
int cc_proto_param_int(long long *out, json_t *params, const char *name, int required,
                       long long def, long long lo, long long hi);
/* *out = params.name as a boolean, def when absent. */
int cc_proto_param_bool(int *out, json_t *params, const char *name, int def);
/* Fail with "unknown parameter 'x'" when params has a member not in the NULL-ended list, or
 * when params is present but not an object. */
int cc_proto_params_check(json_t *params, const char *const *allowed);

/* ---- Large numeric arrays ----------------------------------------------------------- */

/* *out = {"dtype":"float32","shape":[n],"data":base64}; new reference. CC_ENOMEM. */
int cc_proto_f32_encode(json_t **out, const float *v, size_t n);

/* *out = {"dtype":"int32","shape":[n],"data":base64 of little-endian int32}; new reference. */
int cc_proto_i32_encode(json_t **out, const int32_t *v, size_t n);

/* Decode an int32 array object (as cc_proto_f32_decode). */
int cc_proto_i32_decode(int32_t **out, size_t *n, json_t *obj);

/* Decode such an object into a malloc'd array (*out, *n; the caller frees). CC_EINVAL naming
 * the problem for a wrong dtype, shape or data (bad base64, length not 4n). */
int cc_proto_f32_decode(float **out, size_t *n, json_t *obj);

/* Base64 (RFC 4648 standard alphabet, padded). encode returns malloc'd NUL-terminated text;
 * decode is strict (no whitespace, correct padding) and returns CC_EINVAL otherwise. */
char *cc_proto_b64_encode(const void *data, size_t len);
int cc_proto_b64_decode(unsigned char **out, size_t *outlen, const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
