/*
 * fuzz_tokenizer.c - the tokenizer on arbitrary bytes. The first byte picks what runs:
 * encode with the shared model's tokenizer (GPT-2 style: then decode must give the input back
 * exactly, invalid UTF-8 included) or with the Qwen2-style one (NFC), both also with PCRE2
 * alone (the ASCII split matchers must agree), or load the rest as a
 * tokenizer.json (must fail cleanly or load and encode). Offsets must lie inside the input, in
 * order. Fixture tokenizers are read from the source root (CC_SOURCE_DIR or the cwd).
 */
#include "cc_common.h"
#include "cc_tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cc_tokenizer *load(const char *name)
{
	char p[4096];
	const char *root = getenv("CC_SOURCE_DIR");
	cc_tokenizer *t = NULL;
	snprintf(p, sizeof(p), "%s/fixtures/tokenizer/tokenizers/%s.json", root ? root : ".", name);
	if (cc_tokenizer_load(&t, p)) {
		fprintf(stderr, "fuzz_tokenizer: %s\n", cc_error_last());
		abort();
	}
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cc_tokenizer *gpt2, *qwen2;
	if (!gpt2) {
		gpt2 = load("pycode");
		qwen2 = load("qwen2");
	}
	if (size < 1)
		return 0;
	uint8_t mode = data[0] % 8;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	if (mode == 7) {
		cc_tokenizer *t = NULL;
		if (cc_tokenizer_load_json(&t, text, len) == CC_OK) {
			int32_t *ids = NULL;
			size_t n = 0;
			if (cc_tokenizer_encode(t, "def f(x): return x", 18, &ids, NULL, &n) == CC_OK) {
				char *s = NULL;
				size_t sl;
				cc_tokenizer_decode(t, ids, n, &s, &sl);
				free(s);
			}
			free(ids);
			cc_tokenizer_free(t);
		}
		return 0;
	}
	cc_tokenizer *t = mode < 4 ? gpt2 : qwen2;
	int32_t *ids = NULL;
	cc_token_span *off = NULL;
	size_t n = 0;
	if (cc_tokenizer_encode_ex(t, text, len, 0, &ids, &off, &n) != CC_OK)
		abort();
	uint32_t prev = 0;
	for (size_t i = 0; i < n; i++) {
		if (off[i].start > off[i].end || off[i].end > len || off[i].start < prev)
			abort();
		prev = off[i].start;
	}
	/* the ASCII split matchers agree with PCRE2 */
	int32_t *ids2 = NULL;
	cc_token_span *off2 = NULL;
	size_t n2 = 0;
	if (cc_tokenizer_encode_ex(t, text, len, CC_TOK_PCRE_ONLY, &ids2, &off2, &n2) != CC_OK ||
	    n2 != n || (n && (memcmp(ids, ids2, n * sizeof(*ids)) || memcmp(off, off2, n * sizeof(*off)))))
		abort();
	free(ids2);
	free(off2);
	char *dec = NULL;
	size_t dl = 0;
	if (cc_tokenizer_decode(t, ids, n, &dec, &dl) != CC_OK)
		abort();
	if (t == gpt2 && (dl != len || memcmp(dec, text, len) != 0))
		abort(); /* no normalizer: byte-exact round trip */
	free(dec);
	free(ids);
	free(off);
	return 0;
}
