/*
 * fuzz_token_first.c - cc_proto_token_first, the check a tcp listener makes on a request's
 * raw bytes before parsing it: any bytes must give an answer without reading past them, and
 * the answer must agree with a parse: accepted only when the bytes start with the object whose
 * first member is "token" with exactly the listener's token. Seeds: tests/fuzz/corpus/request.
 */
#include "cc_proto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char token[] = "fuzz-token-0123456789";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that a read past the end is caught by the sanitizers. */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	const char *why = cc_proto_token_first(buf, size, token);
	if (!why) {
		/* Accepted: the token's bytes are in the input, right after "token": */
		const uint8_t *p = memmem(buf, size, "\"token\"", 7);
		if (!p || !memmem(p, size - (size_t)(p - buf), token, sizeof(token) - 1))
			abort();
	}
	/* Prefixed with the right token, any rest of the input is accepted. */
	size_t n = size + 64;
	char *good = malloc(n);
	if (good) {
		int k = snprintf(good, n, "{\"token\":\"%s\",", token);
		memcpy(good + k, buf, size);
		if (cc_proto_token_first(good, (size_t)k + size, token) != NULL)
			abort();
		/* One byte of the token changed: refused. */
		good[10] ^= 1;
		if (cc_proto_token_first(good, (size_t)k + size, token) == NULL)
			abort();
		free(good);
	}
	free(buf);
	return 0;
}
