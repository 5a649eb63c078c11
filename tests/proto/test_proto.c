/*
 * test_proto.c - the JSON-RPC layer without a daemon: request validation (each malformed
 * input gets the right JSON-RPC code and a message naming the problem), the dispatcher
 * (auth token, local-only methods, handler errors; decode-then-dispatch gives the same
 * bytes as the one-call dispatcher), base64 against RFC 4648 vectors and the
 * float32 array encoding (little-endian bytes, exact round trip).
 */
#include "cc_proto.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int decode_code(const char *s, size_t max, char *msg, size_t msglen)
{
	cc_proto_request r;
	json_t *id = NULL;
	int code = 0;
	int rc = cc_proto_request_decode(&r, &code, &id, msg, msglen, s, strlen(s), max);
	json_decref(id);
	cc_proto_request_clear(&r);
	return rc == CC_OK ? 0 : code;
}

static void test_decode(void)
{
	char msg[512];
	cc_proto_request r;
	json_t *id = NULL;
	int code;
	const char *ok = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"hello\",\"params\":{\"a\":1}}";

	CHECK_EQ_INT(cc_proto_request_decode(&r, &code, &id, msg, sizeof(msg), ok, strlen(ok), 0), CC_OK);
	CHECK_EQ_STR(r.method, "hello");
	CHECK_EQ_INT(json_integer_value(r.id), 7);
	CHECK(json_is_object(r.params));
	CHECK(r.token == NULL);
	cc_proto_request_clear(&r);
	cc_proto_request_clear(&r); /* twice is harmless */

	CHECK_EQ_INT(decode_code("{\"jsonrpc\":\"2.0\",\"id\":1,", 0, msg, sizeof(msg)), CC_RPC_PARSE_ERROR);
	CHECK(strstr(msg, "invalid JSON") != NULL);
	CHECK_EQ_INT(decode_code("", 0, msg, sizeof(msg)), CC_RPC_PARSE_ERROR);
	CHECK(strstr(msg, "empty") != NULL);
	CHECK_EQ_INT(decode_code("{\"jsonrpc\":\"2.0\",\"method\":\"h\xff\"}", 0, msg, sizeof(msg)),
	             CC_RPC_PARSE_ERROR);
	CHECK(strstr(msg, "UTF-8") != NULL && strstr(msg, "offset 28") != NULL);
	CHECK_EQ_INT(decode_code("[1,2]", 0, msg, sizeof(msg)), CC_RPC_INVALID_REQUEST);
	CHECK(strstr(msg, "batch") != NULL);
	CHECK_EQ_INT(decode_code("42", 0, msg, sizeof(msg)), CC_RPC_INVALID_REQUEST);
	CHECK(strstr(msg, "JSON object") != NULL);
	CHECK_EQ_INT(decode_code("{\"id\":1,\"method\":\"hello\"}", 0, msg, sizeof(msg)),
	             CC_RPC_INVALID_REQUEST);
	CHECK(strstr(msg, "jsonrpc") != NULL);
	CHECK_EQ_INT(decode_code("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"hello\"}", 0, msg, sizeof(msg)),
	             CC_RPC_INVALID_REQUEST);
	CHECK_EQ_INT(decode_code("{\"jsonrpc\":\"2.0\",\"id\":1}", 0, msg, sizeof(msg)),
	             CC_RPC_INVALID_REQUEST);
	CHECK(strstr(msg, "\"method\" is missing") != NULL);
	CHECK_EQ_INT(decode_code("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":3}", 0, msg, sizeof(msg)),
	             CC_RPC_INVALID_REQUEST);
	CHECK(strstr(msg, "must be a string, got an integer") != NULL);
	CHECK_EQ_INT(decode_code("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":\"s\"}", 0, msg,
	                         sizeof(msg)),
	             CC_RPC_INVALID_REQUEST);
	CHECK(strstr(msg, "\"params\"") != NULL);
	CHECK_EQ_INT(decode_code("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}", 0, msg, sizeof(msg)),
	             CC_RPC_INVALID_REQUEST);
	CHECK(strstr(msg, "\"id\"") != NULL);
	CHECK_EQ_INT(decode_code("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"extra\":1}", 0, msg,
	                         sizeof(msg)),
	             CC_RPC_INVALID_REQUEST);
	CHECK(strstr(msg, "extra") != NULL);
	CHECK_EQ_INT(decode_code("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"method\":\"y\"}", 0, msg,
	                         sizeof(msg)),
	             CC_RPC_PARSE_ERROR); /* duplicate keys are rejected, not silently resolved */
	CHECK_EQ_INT(decode_code(ok, 10, msg, sizeof(msg)), CC_RPC_TOO_BIG);
	CHECK(strstr(msg, "limit of 10 bytes") != NULL);

	/* The id survives a request that fails after it was read, so the error can carry it. */
	const char *bad = "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":5}";
	CHECK(cc_proto_request_decode(&r, &code, &id, msg, sizeof(msg), bad, strlen(bad), 0) != CC_OK);
	CHECK_EQ_STR(json_string_value(id), "abc");
	json_decref(id);
}

static int h_echo(json_t **result, const cc_proto_call *call, json_t *params)
{
	const char *s;
	int rc = cc_proto_param_str(&s, params, "s", 1, NULL);
	(void)call;
	if (rc)
		return rc;
	*result = json_string(s);
	return CC_OK;
}

static int h_fail(json_t **result, const cc_proto_call *call, json_t *params)
{
	(void)result;
	(void)call;
	(void)params;
	return cc_error_set(CC_EDB, "database x.db is corrupt");
}

static json_t *dispatch(const cc_proto_table *t, const char *req, const cc_proto_limits *lim, int *code)
{
	char *reply = NULL;
	size_t len = 0;
	json_t *j;
	CHECK_EQ_INT(cc_proto_dispatch(&reply, &len, code, t, req, strlen(req), lim, NULL, 0), CC_OK);
	j = json_loadb(reply, len, 0, NULL);
	CHECK(j != NULL);

	/* A server that decodes first (to choose a thread) and then dispatches the decoded
	 * request must send the very same bytes. */
	{
		cc_proto_request r;
		json_t *err_id = NULL;
		char msg[256], *reply2 = NULL;
		size_t len2 = 0;
		int dcode = 0, code2 = -1;
		CHECK_EQ_INT(cc_proto_request_decode(&r, &dcode, &err_id, msg, sizeof(msg), req,
		                                     strlen(req), lim->max_request),
		             CC_OK);
		CHECK_EQ_INT(cc_proto_dispatch_request(&reply2, &len2, &code2, t, &r, lim), CC_OK);
		CHECK_EQ_INT(code2, *code);
		CHECK(reply2 && len2 == len && memcmp(reply2, reply, len) == 0);
		free(reply2);
		cc_proto_request_clear(&r);
	}
	free(reply);
	return j;
}

static void test_dispatch(void)
{
	cc_proto_table *t;
	cc_proto_limits local = {1024, NULL, 1, 0, NULL};
	cc_proto_limits tcp = {1024, "s3cret-token-0123", 0, 0, NULL};
	json_t *r;
	int code;

	CHECK_EQ_INT(cc_proto_table_new(&t), CC_OK);
	CHECK_EQ_INT(cc_proto_table_add(t, "echo", h_echo, 0, "echo"), CC_OK);
	CHECK_EQ_INT(cc_proto_table_add(t, "fail", h_fail, 0, "fail"), CC_OK);
	CHECK_EQ_INT(cc_proto_table_add(t, "stop", h_echo, CC_PROTO_LOCAL_ONLY, "local"), CC_OK);
	CHECK_EQ_INT(cc_proto_table_add(t, "echo", h_echo, 0, "dup"), CC_EINVAL);

	r = dispatch(t, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"echo\",\"params\":{\"s\":\"hi\"}}", &local, &code);
	CHECK_EQ_INT(code, 0);
	CHECK_EQ_STR(json_string_value(json_object_get(r, "result")), "hi");
	CHECK_EQ_INT(json_integer_value(json_object_get(r, "id")), 3);
	CHECK_EQ_STR(json_string_value(json_object_get(r, "jsonrpc")), "2.0");
	json_decref(r);

	r = dispatch(t, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"echo\",\"params\":{\"s\":1}}", &local, &code);
	CHECK_EQ_INT(code, CC_RPC_INVALID_PARAMS);
	CHECK(strstr(json_string_value(json_object_get(json_object_get(r, "error"), "message")),
	             "'s' must be a string") != NULL);
	CHECK_EQ_INT(json_integer_value(json_object_get(r, "id")), 4);
	json_decref(r);

	r = dispatch(t, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"fail\"}", &local, &code);
	CHECK_EQ_INT(code, CC_RPC_FAILED);
	CHECK_EQ_STR(json_string_value(json_object_get(json_object_get(r, "error"), "message")),
	             "database x.db is corrupt");
	json_t *data = json_object_get(json_object_get(r, "error"), "data");
	CHECK_EQ_STR(json_string_value(json_object_get(data, "status")), "database error");
	json_decref(r);

	r = dispatch(t, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"nope\"}", &local, &code);
	CHECK_EQ_INT(code, CC_RPC_METHOD_NOT_FOUND);
	CHECK(strstr(json_string_value(json_object_get(json_object_get(r, "error"), "message")), "nope") != NULL);
	json_decref(r);

	/* tcp: token required, compared exactly; local-only methods refused. */
	r = dispatch(t, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":{\"s\":\"x\"}}", &tcp, &code);
	CHECK_EQ_INT(code, CC_RPC_UNAUTHORIZED);
	json_decref(r);
	r = dispatch(t, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"echo\",\"params\":{\"s\":\"x\"},\"token\":\"s3cret-token-012\"}", &tcp, &code);
	CHECK_EQ_INT(code, CC_RPC_UNAUTHORIZED);
	json_decref(r);
	r = dispatch(t, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"echo\",\"params\":{\"s\":\"x\"},\"token\":\"s3cret-token-0123\"}", &tcp, &code);
	CHECK_EQ_INT(code, 0);
	json_decref(r);
	r = dispatch(t, "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"stop\",\"params\":{\"s\":\"x\"},\"token\":\"s3cret-token-0123\"}", &tcp, &code);
	CHECK_EQ_INT(code, CC_RPC_FORBIDDEN);
	json_decref(r);
	r = dispatch(t, "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"stop\",\"params\":{\"s\":\"x\"}}", &local, &code);
	CHECK_EQ_INT(code, 0);
	json_decref(r);

	CHECK_EQ_INT(cc_proto_table_method_flags(t, "stop"), CC_PROTO_LOCAL_ONLY);
	CHECK_EQ_INT(cc_proto_table_method_flags(t, "echo"), 0);
	CHECK_EQ_INT(cc_proto_table_method_flags(t, "nope"), -1);
	CHECK_EQ_INT(cc_proto_table_method_flags(t, NULL), -1);

	json_t *names = cc_proto_table_names(t);
	CHECK_EQ_INT(json_array_size(names), 3);
	json_decref(names);
	cc_proto_table_free(t);
	cc_proto_table_free(NULL);

	CHECK(cc_proto_token_equal("abc", "abc"));
	CHECK(!cc_proto_token_equal("abc", "abd"));
	CHECK(!cc_proto_token_equal("abc", "abcd"));
	CHECK(!cc_proto_token_equal("", "a"));
}

static void test_base64(void)
{
	/* RFC 4648 section 10 test vectors. */
	static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	for (int i = 0; i < 7; i++) {
		char *e = cc_proto_b64_encode(plain[i], strlen(plain[i]));
		unsigned char *d = NULL;
		size_t n = 0;
		CHECK_EQ_STR(e, enc[i]);
		CHECK_EQ_INT(cc_proto_b64_decode(&d, &n, enc[i], strlen(enc[i])), CC_OK);
		CHECK_EQ_INT(n, strlen(plain[i]));
		CHECK(d && memcmp(d, plain[i], n) == 0);
		free(e);
		free(d);
	}
	unsigned char *d;
	size_t n;
	CHECK_EQ_INT(cc_proto_b64_decode(&d, &n, "Zg=", 3), CC_EINVAL);      /* length */
	CHECK_EQ_INT(cc_proto_b64_decode(&d, &n, "Z!==", 4), CC_EINVAL);     /* alphabet */
	CHECK_EQ_INT(cc_proto_b64_decode(&d, &n, "Zh==", 4), CC_EINVAL);     /* bits under padding */
	CHECK_EQ_INT(cc_proto_b64_decode(&d, &n, "Zg==Zg==", 8), CC_EINVAL); /* padding inside */
	CHECK_EQ_INT(cc_proto_b64_decode(&d, &n, "=AAA", 4), CC_EINVAL);
}

static void test_f32(void)
{
	float v[6] = {1.0f, -0.0f, 3.14159274f, INFINITY, NAN, 1e-40f /* subnormal */};
	json_t *o;
	float *back = NULL;
	size_t n = 0;

	/* 1.0f is 0x3F800000, little-endian bytes 00 00 80 3F = base64 "AACAPw==". */
	CHECK_EQ_INT(cc_proto_f32_encode(&o, v, 1), CC_OK);
	CHECK_EQ_STR(json_string_value(json_object_get(o, "data")), "AACAPw==");
	CHECK_EQ_STR(json_string_value(json_object_get(o, "dtype")), "float32");
	CHECK_EQ_INT(json_integer_value(json_array_get(json_object_get(o, "shape"), 0)), 1);
	json_decref(o);

	CHECK_EQ_INT(cc_proto_f32_encode(&o, v, 6), CC_OK);
	CHECK_EQ_INT(cc_proto_f32_decode(&back, &n, o), CC_OK);
	CHECK_EQ_INT(n, 6);
	CHECK(back && memcmp(back, v, sizeof(v)) == 0); /* bit-exact, NaN and -0 included */
	free(back);

	/* Shape and data must agree. */
	json_object_set_new(o, "shape", json_pack("[i]", 5));
	CHECK_EQ_INT(cc_proto_f32_decode(&back, &n, o), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "shape [5] needs 20") != NULL);
	json_object_set_new(o, "dtype", json_string("float16"));
	CHECK_EQ_INT(cc_proto_f32_decode(&back, &n, o), CC_EINVAL);
	json_decref(o);
	CHECK_EQ_INT(cc_proto_f32_encode(&o, v, 0), CC_OK);
	CHECK_EQ_INT(cc_proto_f32_decode(&back, &n, o), CC_OK);
	CHECK_EQ_INT(n, 0);
	free(back);
	json_decref(o);
}

static void test_i32(void)
{
	int32_t v[2] = {-1, 258}, *back = NULL;
	size_t n = 0;
	json_t *o;
	/* -1 = FF FF FF FF, 258 = 02 01 00 00 little-endian: base64 "/////wIBAAA=". */
	CHECK_EQ_INT(cc_proto_i32_encode(&o, v, 2), CC_OK);
	CHECK_EQ_STR(json_string_value(json_object_get(o, "data")), "/////wIBAAA=");
	CHECK_EQ_STR(json_string_value(json_object_get(o, "dtype")), "int32");
	CHECK_EQ_INT(cc_proto_i32_decode(&back, &n, o), CC_OK);
	CHECK_EQ_INT(n, 2);
	CHECK(back && back[0] == -1 && back[1] == 258);
	free(back);
	float *f = NULL;
	CHECK_EQ_INT(cc_proto_f32_decode(&f, &n, o), CC_EINVAL); /* dtype is checked */
	json_decref(o);
}

static void test_response(void)
{
	json_t *res;
	int code;
	char msg[256];
	const char *ok = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"x\":1}}";
	const char *err = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"unknown method 'q'\"}}";
	CHECK_EQ_INT(cc_proto_response_decode(&res, &code, msg, sizeof(msg), ok, strlen(ok)), CC_OK);
	CHECK_EQ_INT(json_integer_value(json_object_get(res, "x")), 1);
	json_decref(res);
	CHECK_EQ_INT(cc_proto_response_decode(&res, &code, msg, sizeof(msg), err, strlen(err)), CC_EPROTO);
	CHECK_EQ_INT(code, CC_RPC_METHOD_NOT_FOUND);
	CHECK_EQ_STR(msg, "unknown method 'q'");
	CHECK_EQ_INT(cc_proto_response_decode(&res, &code, msg, sizeof(msg), "nope", 4), CC_EPARSE);

	size_t len;
	char *s = cc_proto_request_encode(&len, 12, "nodes", json_pack("{s:s}", "repo", "/r"), "tok");
	cc_proto_request r;
	json_t *id;
	CHECK_EQ_INT(cc_proto_request_decode(&r, &code, &id, msg, sizeof(msg), s, len, 0), CC_OK);
	CHECK_EQ_STR(r.method, "nodes");
	CHECK_EQ_STR(r.token, "tok");
	CHECK_EQ_INT(json_integer_value(r.id), 12);
	cc_proto_request_clear(&r);
	free(s);
}

/* The reply writer prints exactly what json_dumps(JSON_COMPACT) prints. */
static void test_json_dump(void)
{
	static const char *docs[] = {
		"{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"x\"}}",
		"[0,-1,9007199254740993,-9223372036854775808,9223372036854775807]",
		"[10,100,-10,7,-1000000,1234567890]",
		"[1.0,0.1,-0.0,1e300,-2.5e-300,123456789.125,3.14159274,1e21,5e-324]",
		"[\"\\u0000\\u0001\\u001f\\\"\\\\/\\b\\f\\n\\r\\t\\u007f\", \"\\u00e9\\u20ac\\ud83d\\ude00\"]",
		"{\"z\":1,\"a\":2,\"m\":{\"y\":[],\"b\":{}}}",
		"\"\"",
		"[]",
		/* plain runs between, before and after escapes (copied in bulk by the writer) */
		"[\"ab\\\"cd\\\\ef\\ngh\", \"\\tlead\", \"trail\\u0002\", \"x\\u0000y\", \"plain text only\"]",
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		json_t *v = json_loads(docs[i], JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		char *a, *b;
		size_t n = 0;
		CHECK(v != NULL);
		if (!v)
			continue;
		a = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		b = cc_proto_json_dump(&n, v);
		CHECK_EQ_STR(b, a);
		CHECK_EQ_INT(n, a ? strlen(a) : 0);
		free(a);
		free(b);
		json_decref(v);
	}
	/* And a result reply parses back to the same value with the id. */
	size_t len;
	json_t *v = json_loads(docs[0], 0, NULL), *id = json_string("q");
	char *r = cc_proto_result_encode(&len, id, json_incref(v));
	json_t *back = json_loads(r, 0, NULL);
	CHECK(json_equal(json_object_get(back, "result"), v));
	CHECK_EQ_STR(json_string_value(json_object_get(back, "id")), "q");
	CHECK_EQ_INT(len, strlen(r));
	free(r);
	json_decref(back);
	json_decref(v);
	json_decref(id);
}

int main(void)
{
	test_json_dump();
	test_decode();
	test_dispatch();
	test_base64();
	test_f32();
	test_i32();
	test_response();
	return test_result();
}
