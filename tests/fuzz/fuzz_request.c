/*
 * fuzz_request.c - the daemon's request path without sockets: any bytes go through
 * cc_proto_dispatch (size limit, UTF-8, JSON, request shape, token, method table, parameter
 * helpers, float32 array decoding) and must come back as one well-formed JSON-RPC reply; the
 * reply decoder and base64 decoder see the same bytes. A crash, an abort or a malformed reply
 * is a bug. Seeds: tests/fuzz/corpus/request.
 */
#include "cc_proto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int h_params(json_t **result, const cc_proto_call *call, json_t *params)
{
	static const char *const allowed[] = {"repo", "path", "db", "rev", "worktree", "job",
	                                      "client", "n", NULL};
	const char *s;
	long long n;
	int b, rc;
	(void)call;
	if ((rc = cc_proto_params_check(params, allowed)) ||
	    (rc = cc_proto_param_str(&s, params, "repo", 0, NULL)) ||
	    (rc = cc_proto_param_str(&s, params, "path", 0, "x")) ||
	    (rc = cc_proto_param_int(&n, params, "job", 0, 1, 1, (long long)1 << 53)) ||
	    (rc = cc_proto_param_bool(&b, params, "worktree", 0)))
		return rc;
	*result = json_pack("{s:I, s:b}", "job", (json_int_t)n, "worktree", b);
	return CC_OK;
}

static int h_array(json_t **result, const cc_proto_call *call, json_t *params)
{
	float *v = NULL;
	size_t n = 0;
	int rc;
	(void)call;
	json_t *ids = json_is_object(params) ? json_object_get(params, "ids") : NULL;
	if (ids) {
		int32_t *iv = NULL;
		rc = cc_proto_i32_decode(&iv, &n, ids);
		free(iv);
		if (rc)
			return rc;
	}
	rc = cc_proto_f32_decode(&v, &n, json_is_object(params) ? json_object_get(params, "scores") : NULL);
	if (rc)
		return rc;
	rc = cc_proto_f32_encode(result, v, n);
	free(v);
	return rc;
}

static void check_reply(const char *reply, size_t len)
{
	json_t *r = json_loadb(reply, len, 0, NULL);
	if (!r || !json_is_object(r) ||
	    !json_is_string(json_object_get(r, "jsonrpc")) ||
	    (!json_object_get(r, "result") == !json_object_get(r, "error")))
		abort();
	json_decref(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cc_proto_table *t;
	char *reply = NULL;
	size_t len = 0;
	int code = 0;
	char method[64];

	if (!t) {
		if (cc_proto_table_new(&t) || cc_proto_table_add(t, "hello", h_params, 0, "") ||
		    cc_proto_table_add(t, "index", h_params, 0, "") ||
		    cc_proto_table_add(t, "nodes", h_params, 0, "") ||
		    cc_proto_table_add(t, "job.status", h_params, 0, "") ||
		    cc_proto_table_add(t, "shutdown", h_params, CC_PROTO_LOCAL_ONLY, "") ||
		    cc_proto_table_add(t, "priors", h_array, 0, ""))
			abort();
	}
	/* Local, then as a tcp request that needs a token, then under a small size limit. */
	cc_proto_limits lims[3] = {{0, NULL, 1, 0, NULL},
	                           {1 << 20, "0123456789abcdef", 0, 0, NULL},
	                           {64, NULL, 1, 0, NULL}};
	for (int i = 0; i < 3; i++) {
		if (cc_proto_dispatch(&reply, &len, &code, t, data, size, &lims[i], method, sizeof(method)))
			abort();
		check_reply(reply, len);
		free(reply);
	}

	json_t *res = NULL;
	char msg[128];
	cc_proto_response_decode(&res, &code, msg, sizeof(msg), data, size);
	json_decref(res);

	unsigned char *bytes = NULL;
	size_t n = 0;
	if (cc_proto_b64_decode(&bytes, &n, (const char *)data, size) == CC_OK) {
		/* Round trip: what decodes must re-encode to the same text. */
		char *again = cc_proto_b64_encode(bytes, n);
		if (!again || strlen(again) != size || memcmp(again, data, size) != 0)
			abort();
		free(again);
	}
	free(bytes);
	return 0;
}
