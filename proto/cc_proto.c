/*
 * cc_proto.c - JSON-RPC 2.0 request decoding, reply encoding, the method table and the
 * dispatcher. Every message that reaches the daemon passes through cc_proto_request_decode,
 * so it validates everything (size, UTF-8, JSON, request shape) and names what was wrong.
 */
#include "cc_proto.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cc_proto_code_from_status(int rc)
{
	switch (rc) {
	case CC_OK: return 0;
	case CC_EINVAL: return CC_RPC_INVALID_PARAMS;
	case CC_ENOTFOUND: return CC_RPC_NOT_FOUND;
	case CC_EBUSY: return CC_RPC_BUSY;
	case CC_ETOOBIG: return CC_RPC_TOO_BIG;
	case CC_ETIMEDOUT: return CC_RPC_TIMEOUT;
	case CC_EAUTH: return CC_RPC_UNAUTHORIZED;
	case CC_ECANCELED: return CC_RPC_CANCELED;
	case CC_EPROTO: return CC_RPC_INVALID_REQUEST;
	case CC_EPARSE: return CC_RPC_PARSE_ERROR;
	case CC_ENOMEM: return CC_RPC_INTERNAL_ERROR;
	default: return CC_RPC_FAILED;
	}
}

const char *cc_proto_code_name(int code)
{
	switch (code) {
	case CC_RPC_PARSE_ERROR: return "parse error";
	case CC_RPC_INVALID_REQUEST: return "invalid request";
	case CC_RPC_METHOD_NOT_FOUND: return "method not found";
	case CC_RPC_INVALID_PARAMS: return "invalid params";
	case CC_RPC_INTERNAL_ERROR: return "internal error";
	case CC_RPC_FAILED: return "failed";
	case CC_RPC_TOO_BIG: return "too big";
	case CC_RPC_BUSY: return "busy";
	case CC_RPC_TIMEOUT: return "timeout";
	case CC_RPC_UNAUTHORIZED: return "unauthorized";
	case CC_RPC_FORBIDDEN: return "forbidden";
	case CC_RPC_NOT_FOUND: return "not found";
	case CC_RPC_SHUTTING_DOWN: return "shutting down";
	case CC_RPC_CANCELED: return "canceled";
	}
	return "error";
}

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a value";
}

static int fail(int *code, char *err, size_t errlen, int c, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int fail(int *code, char *err, size_t errlen, int c, const char *fmt, ...)
{
	va_list ap;
	*code = c;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return c == CC_RPC_TOO_BIG ? CC_ETOOBIG : CC_EPROTO;
}

/* Offset of the first byte that makes s invalid UTF-8 (len when valid). */
static size_t utf8_bad_offset(const char *s, size_t len)
{
	size_t lo = 0, hi = len;
	if (cc_utf8_valid(s, len))
		return len;
	/* Binary search on prefixes: the shortest invalid prefix ends at or after the bad byte.
	 * A prefix can be invalid only because it cuts a sequence, so step back to a lead byte. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cc_utf8_valid(s, mid))
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0 && ((unsigned char)s[lo - 1] & 0xC0) == 0x80)
		lo--;
	return lo > 0 ? lo - 1 : 0;
}

int cc_proto_request_decode(cc_proto_request *out, int *err_code, json_t **err_id, char *err,
                            size_t errlen, const void *buf, size_t len, size_t max)
{
	json_error_t jerr;
	json_t *root = NULL, *v;
	const char *key;
	int rc;

	memset(out, 0, sizeof(*out));
	*err_id = NULL;
	*err_code = 0;
	if (errlen)
		err[0] = 0;
	if (max && len > max)
		return fail(err_code, err, errlen, CC_RPC_TOO_BIG,
		            "request of %zu bytes is over the limit of %zu bytes", len, max);
	if (len == 0)
		return fail(err_code, err, errlen, CC_RPC_PARSE_ERROR, "empty message: expected a JSON-RPC request");
	if (!cc_utf8_valid(buf, len))
		return fail(err_code, err, errlen, CC_RPC_PARSE_ERROR,
		            "request is not valid UTF-8 (bad byte at offset %zu)",
		            utf8_bad_offset(buf, len));
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!root)
		return fail(err_code, err, errlen, CC_RPC_PARSE_ERROR,
		            "invalid JSON at line %d column %d: %s", jerr.line, jerr.column, jerr.text);
	if (json_is_array(root)) {
		rc = fail(err_code, err, errlen, CC_RPC_INVALID_REQUEST,
		          "batch requests (JSON arrays) are not supported: send one request per message");
		goto bad;
	}
	if (!json_is_object(root)) {
		rc = fail(err_code, err, errlen, CC_RPC_INVALID_REQUEST,
		          "request must be a JSON object, got %s", json_type_name(root));
		goto bad;
	}
	v = json_object_get(root, "id");
	if (v) {
		if (!json_is_string(v) && !json_is_integer(v) && !json_is_real(v) && !json_is_null(v)) {
			rc = fail(err_code, err, errlen, CC_RPC_INVALID_REQUEST,
			          "\"id\" must be a string, a number or null, got %s", json_type_name(v));
			goto bad;
		}
		out->id = v;
		*err_id = json_incref(v);
	}
	v = json_object_get(root, "jsonrpc");
	if (!v || !json_is_string(v) || strcmp(json_string_value(v), "2.0") != 0) {
		rc = fail(err_code, err, errlen, CC_RPC_INVALID_REQUEST,
		          "\"jsonrpc\" must be the string \"2.0\"%s", v ? "" : " (member missing)");
		goto bad;
	}
	v = json_object_get(root, "method");
	if (!v) {
		rc = fail(err_code, err, errlen, CC_RPC_INVALID_REQUEST, "\"method\" is missing");
		goto bad;
	}
	if (!json_is_string(v)) {
		rc = fail(err_code, err, errlen, CC_RPC_INVALID_REQUEST,
		          "\"method\" must be a string, got %s", json_type_name(v));
		goto bad;
	}
	out->method = json_string_value(v);
	v = json_object_get(root, "params");
	if (v) {
		if (!json_is_object(v) && !json_is_array(v)) {
			rc = fail(err_code, err, errlen, CC_RPC_INVALID_REQUEST,
			          "\"params\" must be an object or an array, got %s", json_type_name(v));
			goto bad;
		}
		out->params = v;
	}
	v = json_object_get(root, "token");
	if (v) {
		if (!json_is_string(v)) {
			rc = fail(err_code, err, errlen, CC_RPC_INVALID_REQUEST,
			          "\"token\" must be a string, got %s", json_type_name(v));
			goto bad;
		}
		out->token = json_string_value(v);
	}
	json_object_foreach(root, key, v)
	{
		if (strcmp(key, "jsonrpc") && strcmp(key, "id") && strcmp(key, "method") &&
		    strcmp(key, "params") && strcmp(key, "token")) {
			rc = fail(err_code, err, errlen, CC_RPC_INVALID_REQUEST,
			          "unknown request member \"%.64s\"", key);
			goto bad;
		}
	}
	out->root = root;
	json_decref(*err_id);
	*err_id = NULL;
	return CC_OK;
bad:
	memset(out, 0, sizeof(*out));
	json_decref(root);
	return rc;
}

void cc_proto_request_clear(cc_proto_request *r)
{
	if (!r)
		return;
	json_decref(r->root);
	memset(r, 0, sizeof(*r));
}

static char *dump(size_t *len, json_t *obj)
{
	char *s = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	if (len)
		*len = s ? strlen(s) : 0;
	return s;
}

/* ---- A compact JSON writer for replies -------------------------------------------------
 * Large replies (nodes, edges) dominate the daemon's time in json_dumps; this writer emits the
 * same compact text (members in insertion order, reals as %.17g with ".0" when integral) in
 * one growing buffer. */

struct wbuf {
	char *p;
	size_t n, cap;
	int oom;
};

static void w_reserve(struct wbuf *b, size_t more)
{
	char *q;
	size_t cap;
	if (b->oom || b->n + more <= b->cap)
		return;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->n + more)
		cap *= 2;
	q = realloc(b->p, cap);
	if (!q) {
		b->oom = 1;
		return;
	}
	b->p = q;
	b->cap = cap;
}

static void w_put(struct wbuf *b, const char *s, size_t n)
{
	w_reserve(b, n);
	if (b->oom)
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void w_str(struct wbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF"; /* jansson writes \\u001F */
	size_t i = 0;
	w_put(b, "\"", 1);
	while (i < n && !b->oom) {
		size_t j = i;
		/* Runs of characters that need no escape are copied in one go. */
		while (j < n && (unsigned char)s[j] >= 0x20 && s[j] != '"' && s[j] != '\\')
			j++;
		if (j > i)
			w_put(b, s + i, j - i);
		if (j == n)
			break;
		unsigned char c = (unsigned char)s[j];
		char e[6] = {'\\', 0, 0, 0, 0, 0};
		size_t k = 2;
		switch (c) {
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		default:
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			k = 6;
		}
		w_put(b, e, k);
		i = j + 1;
	}
	w_put(b, "\"", 1);
}

static void w_value(struct wbuf *b, const json_t *v, int depth)
{
	char num[64];
	int n;
	if (depth > 2048) { /* jansson's own parse depth limit is lower; never reached */
		b->oom = 1;
		return;
	}
	switch (json_typeof(v)) {
	case JSON_NULL: w_put(b, "null", 4); break;
	case JSON_TRUE: w_put(b, "true", 4); break;
	case JSON_FALSE: w_put(b, "false", 5); break;
	case JSON_INTEGER: {
		/* Decimal digits by hand: snprintf took a third of the encoding of a nodes reply. */
		json_int_t x = json_integer_value(v);
		unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
		n = (int)sizeof(num);
		do {
			num[--n] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (x < 0)
			num[--n] = '-';
		w_put(b, num + n, sizeof(num) - (size_t)n);
		break;
	}
	case JSON_REAL:
		n = snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		if (!strpbrk(num, ".eE") && n + 2 < (int)sizeof(num)) {
			memcpy(num + n, ".0", 3);
			n += 2;
		} else {
			/* Like jansson: no '+' and no leading zeros in the exponent. */
			char *e = strchr(num, 'e'), *d;
			if (e) {
				d = e + 1;
				if (*d == '-')
					d++;
				char *src = e + 1;
				if (*src == '+')
					src++;
				else if (*src == '-')
					src++;
				while (*src == '0' && src[1])
					src++;
				memmove(d, src, strlen(src) + 1);
				n = (int)strlen(num);
			}
		}
		w_put(b, num, (size_t)n);
		break;
	case JSON_STRING: w_str(b, json_string_value(v), json_string_length(v)); break;
	case JSON_ARRAY: {
		size_t i;
		json_t *x;
		w_put(b, "[", 1);
		json_array_foreach((json_t *)v, i, x)
		{
			if (i)
				w_put(b, ",", 1);
			w_value(b, x, depth + 1);
		}
		w_put(b, "]", 1);
		break;
	}
	case JSON_OBJECT: {
		const char *key;
		json_t *x;
		int first = 1;
		w_put(b, "{", 1);
		json_object_foreach((json_t *)v, key, x)
		{
			if (!first)
				w_put(b, ",", 1);
			first = 0;
			w_str(b, key, strlen(key));
			w_put(b, ":", 1);
			w_value(b, x, depth + 1);
		}
		w_put(b, "}", 1);
		break;
	}
	}
}

char *cc_proto_json_dump(size_t *len, const json_t *v)
{
	struct wbuf b = {0};
	w_value(&b, v, 0);
	w_put(&b, "", 1);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	if (len)
		*len = b.n - 1;
	return b.p;
}

char *cc_proto_result_encode(size_t *len, json_t *id, json_t *result)
{
	struct wbuf b = {0};
	w_put(&b, "{\"jsonrpc\":\"2.0\",\"id\":", 22);
	w_value(&b, id ? id : json_null(), 0);
	w_put(&b, ",\"result\":", 10);
	w_value(&b, result ? result : json_null(), 0);
	w_put(&b, "}", 2); /* with the NUL */
	json_decref(result);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	if (len)
		*len = b.n - 1;
	return b.p;
}

char *cc_proto_error_encode(size_t *len, json_t *id, int code, const char *message, json_t *data)
{
	json_t *o = json_object(), *e = json_object();
	char *s = NULL;
	if (!o || !e)
		goto out;
	/* json_string rejects invalid UTF-8; messages may quote client bytes, so sanitise. */
	json_t *m = json_string(message ? message : cc_proto_code_name(code));
	if (!m)
		m = json_string(cc_proto_code_name(code));
	json_object_set_new(e, "code", json_integer(code));
	json_object_set_new(e, "message", m);
	if (data) {
		json_object_set_new(e, "data", data);
		data = NULL;
	}
	json_object_set_new(o, "jsonrpc", json_string("2.0"));
	json_object_set(o, "id", id ? id : json_null());
	json_object_set_new(o, "error", e);
	e = NULL;
	s = dump(len, o);
out:
	json_decref(data);
	json_decref(e);
	json_decref(o);
	return s;
}

char *cc_proto_request_encode(size_t *len, long long id, const char *method, json_t *params,
                              const char *token)
{
	json_t *o = json_object();
	char *s;
	if (!o) {
		json_decref(params);
		return NULL;
	}
	/* The token first: a daemon checks it before parsing anything (docs/protocol.md). */
	if (token)
		json_object_set_new(o, "token", json_string(token));
	json_object_set_new(o, "jsonrpc", json_string("2.0"));
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "method", json_string(method));
	if (params)
		json_object_set_new(o, "params", params);
	s = dump(len, o);
	json_decref(o);
	return s;
}

int cc_proto_response_decode(json_t **result, int *code, char *msg, size_t msglen,
                             const void *buf, size_t len)
{
	json_error_t jerr;
	json_t *root, *v, *e;
	int rc = CC_OK;

	*result = NULL;
	*code = 0;
	if (msglen)
		msg[0] = 0;
	root = json_loadb(buf, len, 0, &jerr);
	if (!root) {
		snprintf(msg, msglen, "reply is not JSON: %s", jerr.text);
		return CC_EPARSE;
	}
	if (!json_is_object(root)) {
		snprintf(msg, msglen, "reply is not a JSON object");
		rc = CC_EPARSE;
		goto out;
	}
	if ((v = json_object_get(root, "result")) != NULL) {
		*result = json_incref(v);
		goto out;
	}
	e = json_object_get(root, "error");
	if (!json_is_object(e) || !json_is_integer(json_object_get(e, "code"))) {
		snprintf(msg, msglen, "reply has neither a result nor a well-formed error");
		rc = CC_EPARSE;
		goto out;
	}
	*code = (int)json_integer_value(json_object_get(e, "code"));
	v = json_object_get(e, "message");
	snprintf(msg, msglen, "%s", json_is_string(v) ? json_string_value(v) : cc_proto_code_name(*code));
	rc = CC_EPROTO;
out:
	json_decref(root);
	return rc;
}

/* ---- Method table ------------------------------------------------------------------- */

struct method {
	const char *name;
	cc_proto_handler fn;
	unsigned flags;
	const char *summary;
};

struct cc_proto_table {
	struct method *m;
	size_t n, cap;
};

int cc_proto_table_new(cc_proto_table **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? CC_OK : cc_error_set(CC_ENOMEM, "method table");
}

void cc_proto_table_free(cc_proto_table *t)
{
	if (!t)
		return;
	free(t->m);
	free(t);
}

static const struct method *table_find(const cc_proto_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->m[i].name, name) == 0)
			return &t->m[i];
	return NULL;
}

int cc_proto_table_add(cc_proto_table *t, const char *name, cc_proto_handler fn, unsigned flags,
                       const char *summary)
{
	if (!name || !fn)
		return cc_error_set(CC_EINVAL, "method needs a name and a handler");
	if (table_find(t, name))
		return cc_error_set(CC_EINVAL, "method '%s' is already registered", name);
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct method *m = realloc(t->m, cap * sizeof(*m));
		if (!m)
			return cc_error_set(CC_ENOMEM, "method table");
		t->m = m;
		t->cap = cap;
	}
	t->m[t->n++] = (struct method){name, fn, flags, summary};
	return CC_OK;
}

int cc_proto_table_flags(const cc_proto_table *t, const void *buf, size_t len)
{
	cc_proto_request r;
	json_t *id = NULL;
	const struct method *m;
	char err[8];
	int code, flags = -1;
	if (cc_proto_request_decode(&r, &code, &id, err, sizeof(err), buf, len, 0) != CC_OK) {
		json_decref(id);
		return -1;
	}
	if ((m = table_find(t, r.method)) != NULL)
		flags = (int)m->flags;
	cc_proto_request_clear(&r);
	return flags;
}

json_t *cc_proto_table_names(const cc_proto_table *t)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < t->n; i++)
		json_array_append_new(a, json_string(t->m[i].name));
	return a;
}

int cc_proto_token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t n = la > lb ? la : lb;
	unsigned char diff = (unsigned char)(la != lb);
	for (size_t i = 0; i < n; i++) {
		unsigned char ca = i < la ? (unsigned char)a[i] : 0;
		unsigned char cb = i < lb ? (unsigned char)b[i] : 0;
		diff |= (unsigned char)(ca ^ cb);
	}
	return diff == 0;
}

int cc_proto_table_method_flags(const cc_proto_table *t, const char *name)
{
	const struct method *m = name ? table_find(t, name) : NULL;
	return m ? (int)m->flags : -1;
}

int cc_proto_dispatch_request(char **reply, size_t *reply_len, int *code, const cc_proto_table *t,
                              const cc_proto_request *req, const cc_proto_limits *lim)
{
	json_t *result = NULL;
	char msg[512];
	const struct method *m;
	int rc;

	*reply = NULL;
	*code = 0;
	if (lim->token && (!req->token || !cc_proto_token_equal(req->token, lim->token))) {
		*code = CC_RPC_UNAUTHORIZED;
		*reply = cc_proto_error_encode(reply_len, req->id, *code,
		                               req->token ? "wrong token" : "this listener requires a \"token\" member",
		                               NULL);
		goto out;
	}
	m = table_find(t, req->method);
	if (!m) {
		snprintf(msg, sizeof(msg), "unknown method '%.200s'", req->method);
		*code = CC_RPC_METHOD_NOT_FOUND;
		*reply = cc_proto_error_encode(reply_len, req->id, *code, msg, NULL);
		goto out;
	}
	if ((m->flags & CC_PROTO_LOCAL_ONLY) && !lim->local) {
		snprintf(msg, sizeof(msg), "method '%s' is only allowed over local IPC", m->name);
		*code = CC_RPC_FORBIDDEN;
		*reply = cc_proto_error_encode(reply_len, req->id, *code, msg, NULL);
		goto out;
	}
	{
		cc_proto_call call = {m->name, lim->local, lim->deadline, lim->user};
		cc_error_clear();
		rc = m->fn(&result, &call, req->params);
	}
	if (rc == CC_OK) {
		*reply = cc_proto_result_encode(reply_len, req->id, result);
	} else {
		json_t *data = NULL;
		*code = cc_proto_code_from_status(rc);
		if (*code == CC_RPC_FAILED)
			data = json_pack("{s:s}", "status", cc_strerror(rc));
		json_decref(result);
		*reply = cc_proto_error_encode(reply_len, req->id, *code,
		                               cc_error_last()[0] ? cc_error_last() : cc_strerror(rc), data);
	}
out:
	return *reply ? CC_OK : CC_ENOMEM;
}

int cc_proto_dispatch(char **reply, size_t *reply_len, int *code, const cc_proto_table *t,
                      const void *buf, size_t len, const cc_proto_limits *lim, char *method_out,
                      size_t method_len)
{
	cc_proto_request req;
	json_t *err_id = NULL;
	char msg[512];
	int rc;

	*reply = NULL;
	*code = 0;
	if (method_len)
		method_out[0] = 0;
	rc = cc_proto_request_decode(&req, code, &err_id, msg, sizeof(msg), buf, len,
	                             lim->max_request);
	if (rc != CC_OK) {
		*reply = cc_proto_error_encode(reply_len, err_id, *code, msg, NULL);
		json_decref(err_id);
		return *reply ? CC_OK : CC_ENOMEM;
	}
	if (method_len)
		snprintf(method_out, method_len, "%s", req.method);
	rc = cc_proto_dispatch_request(reply, reply_len, code, t, &req, lim);
	cc_proto_request_clear(&req);
	return rc;
}

/* ---- Parameters ---------------------------------------------------------------------- */

static json_t *param_get(json_t *params, const char *name)
{
	return json_is_object(params) ? json_object_get(params, name) : NULL;
}

int cc_proto_params_check(json_t *params, const char *const *allowed)
{
	const char *key;
	json_t *v;
	if (!params)
		return CC_OK;
	if (!json_is_object(params))
		return cc_error_set(CC_EINVAL, "params must be an object with named members");
	json_object_foreach(params, key, v)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				ok = 1;
		if (!ok)
			return cc_error_set(CC_EINVAL, "unknown parameter '%.64s'", key);
	}
	return CC_OK;
}

int cc_proto_param_str(const char **out, json_t *params, const char *name, int required,
                       const char *def)
{
	json_t *v = param_get(params, name);
	*out = def;
	if (!v) {
		if (required)
			return cc_error_set(CC_EINVAL, "missing parameter '%s'", name);
		return CC_OK;
	}
	if (!json_is_string(v))
		return cc_error_set(CC_EINVAL, "parameter '%s' must be a string, got %s", name,
		                    json_type_name(v));
	*out = json_string_value(v);
	return CC_OK;
}

int cc_proto_param_int(long long *out, json_t *params, const char *name, int required,
                       long long def, long long lo, long long hi)
{
	json_t *v = param_get(params, name);
	*out = def;
	if (!v) {
		if (required)
			return cc_error_set(CC_EINVAL, "missing parameter '%s'", name);
		return CC_OK;
	}
	if (!json_is_integer(v))
		return cc_error_set(CC_EINVAL, "parameter '%s' must be an integer, got %s", name,
		                    json_type_name(v));
	if (json_integer_value(v) < lo || json_integer_value(v) > hi)
		return cc_error_set(CC_EINVAL, "parameter '%s' = %lld is outside [%lld, %lld]", name,
		                    (long long)json_integer_value(v), lo, hi);
	*out = json_integer_value(v);
	return CC_OK;
}

int cc_proto_param_bool(int *out, json_t *params, const char *name, int def)
{
	json_t *v = param_get(params, name);
	*out = def;
	if (!v)
		return CC_OK;
	if (!json_is_boolean(v))
		return cc_error_set(CC_EINVAL, "parameter '%s' must be a boolean, got %s", name,
		                    json_type_name(v));
	*out = json_is_true(v);
	return CC_OK;
}

/* ---- Arrays and base64 ---------------------------------------------------------------- */

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *cc_proto_b64_encode(const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t olen = 4 * ((len + 2) / 3);
	char *s = malloc(olen + 1), *o = s;
	size_t i;
	if (!s)
		return NULL;
	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		*o++ = b64chars[v >> 18 & 63];
		*o++ = b64chars[v >> 12 & 63];
		*o++ = b64chars[v >> 6 & 63];
		*o++ = b64chars[v & 63];
	}
	if (i < len) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0);
		*o++ = b64chars[v >> 18 & 63];
		*o++ = b64chars[v >> 12 & 63];
		*o++ = i + 1 < len ? b64chars[v >> 6 & 63] : '=';
		*o++ = '=';
	}
	*o = 0;
	return s;
}

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int cc_proto_b64_decode(unsigned char **out, size_t *outlen, const char *s, size_t len)
{
	unsigned char *buf, *o;
	size_t pad = 0;
	*out = NULL;
	*outlen = 0;
	if (len % 4)
		return cc_error_set(CC_EINVAL, "base64 length %zu is not a multiple of 4", len);
	if (len && s[len - 1] == '=')
		pad++;
	if (len > 1 && s[len - 2] == '=')
		pad++;
	buf = malloc(len / 4 * 3 + 1);
	if (!buf)
		return cc_error_set(CC_ENOMEM, "base64 decode of %zu bytes", len);
	o = buf;
	for (size_t i = 0; i < len; i += 4) {
		int v[4];
		for (int k = 0; k < 4; k++) {
			unsigned char c = (unsigned char)s[i + k];
			if (c == '=' && i + 4 == len && k >= 4 - (int)pad) {
				v[k] = 0;
				continue;
			}
			v[k] = b64val(c);
			if (v[k] < 0) {
				free(buf);
				return cc_error_set(CC_EINVAL, "invalid base64 character at offset %zu", i + k);
			}
		}
		unsigned x = (unsigned)v[0] << 18 | (unsigned)v[1] << 12 | (unsigned)v[2] << 6 | (unsigned)v[3];
		*o++ = (unsigned char)(x >> 16);
		if (!(i + 4 == len && pad >= 2))
			*o++ = (unsigned char)(x >> 8);
		if (!(i + 4 == len && pad >= 1))
			*o++ = (unsigned char)x;
		/* Non-canonical encodings (stray bits under the padding) are rejected. */
		if (i + 4 == len && ((pad == 1 && (x & 0xFF)) || (pad == 2 && (x & 0xFFFF)))) {
			free(buf);
			return cc_error_set(CC_EINVAL, "base64 has non-zero bits under its padding");
		}
	}
	*out = buf;
	*outlen = (size_t)(o - buf);
	return CC_OK;
}

/* n 32-bit words as little-endian bytes, base64, in an array object of dtype. */
static int words_encode(json_t **out, const void *v, size_t n, const char *dtype)
{
	unsigned char *le = malloc(n * 4 + 1);
	char *b64;
	*out = NULL;
	if (!le)
		return cc_error_set(CC_ENOMEM, "%s array of %zu values", dtype, n);
	for (size_t i = 0; i < n; i++) {
		uint32_t u;
		memcpy(&u, (const char *)v + 4 * i, 4);
		le[4 * i] = (unsigned char)u;
		le[4 * i + 1] = (unsigned char)(u >> 8);
		le[4 * i + 2] = (unsigned char)(u >> 16);
		le[4 * i + 3] = (unsigned char)(u >> 24);
	}
	b64 = cc_proto_b64_encode(le, n * 4);
	free(le);
	if (!b64)
		return cc_error_set(CC_ENOMEM, "%s array of %zu values", dtype, n);
	*out = json_pack("{s:s, s:[I], s:s}", "dtype", dtype, "shape", (json_int_t)n, "data", b64);
	free(b64);
	return *out ? CC_OK : cc_error_set(CC_ENOMEM, "%s array of %zu values", dtype, n);
}

static int words_decode(void **out, size_t *n, json_t *obj, const char *dtype)
{
	json_t *dt, *shape, *data;
	unsigned char *bytes = NULL;
	size_t nbytes, count;
	uint32_t *v;
	int rc;

	*out = NULL;
	*n = 0;
	if (!json_is_object(obj))
		return cc_error_set(CC_EINVAL, "array must be an object {dtype, shape, data}");
	dt = json_object_get(obj, "dtype");
	shape = json_object_get(obj, "shape");
	data = json_object_get(obj, "data");
	if (!json_is_string(dt) || strcmp(json_string_value(dt), dtype) != 0)
		return cc_error_set(CC_EINVAL, "array dtype must be \"%s\"", dtype);
	if (!json_is_array(shape) || json_array_size(shape) != 1 ||
	    !json_is_integer(json_array_get(shape, 0)) || json_integer_value(json_array_get(shape, 0)) < 0)
		return cc_error_set(CC_EINVAL, "array shape must be [n] with n >= 0");
	if (!json_is_string(data))
		return cc_error_set(CC_EINVAL, "array data must be a base64 string");
	count = (size_t)json_integer_value(json_array_get(shape, 0));
	rc = cc_proto_b64_decode(&bytes, &nbytes, json_string_value(data), json_string_length(data));
	if (rc)
		return rc;
	if (count > SIZE_MAX / 4 || nbytes != count * 4) {
		free(bytes);
		return cc_error_set(CC_EINVAL, "array data has %zu bytes, shape [%zu] needs %zu", nbytes,
		                    count, count * 4);
	}
	v = malloc(count * 4 + 4);
	if (!v) {
		free(bytes);
		return cc_error_set(CC_ENOMEM, "%s array of %zu values", dtype, count);
	}
	for (size_t i = 0; i < count; i++)
		v[i] = (uint32_t)bytes[4 * i] | (uint32_t)bytes[4 * i + 1] << 8 |
		       (uint32_t)bytes[4 * i + 2] << 16 | (uint32_t)bytes[4 * i + 3] << 24;
	free(bytes);
	*out = v;
	*n = count;
	return CC_OK;
}

int cc_proto_i32_encode(json_t **out, const int32_t *v, size_t n)
{
	return words_encode(out, v, n, "int32");
}

int cc_proto_i32_decode(int32_t **out, size_t *n, json_t *obj)
{
	void *v = NULL;
	int rc = words_decode(&v, n, obj, "int32");
	*out = v;
	return rc;
}

int cc_proto_f32_decode(float **out, size_t *n, json_t *obj)
{
	void *v = NULL;
	int rc = words_decode(&v, n, obj, "float32");
	*out = v;
	return rc;
}

int cc_proto_f32_encode(json_t **out, const float *v, size_t n)
{
	return words_encode(out, v, n, "float32");
}

/*
 * Authentication before the body costs anything (tcp listeners): see cc_proto.h. No JSON
 * parse, no allocation; the token's bytes are compared in constant time.
 */
const char *cc_proto_token_first(const void *buf, size_t n, const char *token)
{
	const unsigned char *b = buf;
	static const char key[] = "\"token\"";
	size_t i = 0, tl = strlen(token), start;
	unsigned diff;
#define WS()                                                                                   \
	do {                                                                                   \
		while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) \
			i++;                                                                   \
	} while (0)
	WS();
	if (i >= n || b[i++] != '{')
		goto missing;
	WS();
	if (n - i < sizeof(key) - 1 || memcmp(b + i, key, sizeof(key) - 1) != 0)
		goto missing;
	i += sizeof(key) - 1;
	WS();
	if (i >= n || b[i++] != ':')
		goto missing;
	WS();
	if (i >= n || b[i++] != '"')
		goto missing;
	start = i;
	while (i < n && i - start <= 4096 && b[i] != '"' && b[i] != '\\')
		i++;
	if (i >= n || b[i] != '"' || i - start != tl)
		return "wrong token";
	diff = 0;
	for (size_t k = 0; k < tl; k++)
		diff |= (unsigned)(b[start + k] ^ (unsigned char)token[k]);
	return diff ? "wrong token" : NULL;
#undef WS
missing:
	return "this listener requires the \"token\" member, first in the request object";
}
