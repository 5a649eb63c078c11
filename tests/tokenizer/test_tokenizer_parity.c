/*
 * test_tokenizer_parity.c - exact parity with Python `tokenizers` 0.23 on real files.
 *
 * fixtures/tokenizer/tokenizers/NAME.json are the shared model's tokenizer and three variants
 * (Qwen2-style NFC + split regex + "a b" merges, Llama-3-style template + ignore_merges,
 * GPT-2 add_prefix_space + lstrip/rstrip added token); fixtures/tokenizer/refs/NAME.ids hold
 * the ids Python produced for every file of fixtures/tokenizer/inputs (sorted by name), made
 * by tests/ref/make_tokenizer_refs.py on the GPU machine. Every id must match. Offsets are
 * checked against the text where the tokenizer keeps bytes as they are.
 */
#include "cc_common.h"
#include "cc_tokenizer.h"
#include "test.h"

#include <dirent.h>
#include <stdint.h>

#define INDIR "fixtures/tokenizer/inputs"

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void check_tokenizer(const char *name, char **inputs, size_t n_inputs, int bytes_exact)
{
	char path[512], *refs = NULL;
	size_t refs_len = 0, pos = 0, total = 0;
	cc_tokenizer *tok = NULL;

	snprintf(path, sizeof(path), "fixtures/tokenizer/tokenizers/%s.json", name);
	CHECK_EQ_INT(cc_tokenizer_load(&tok, path), CC_OK);
	if (!tok) {
		fprintf(stderr, "%s: %s\n", name, cc_error_last());
		return;
	}
	snprintf(path, sizeof(path), "fixtures/tokenizer/refs/%s.ids", name);
	CHECK_EQ_INT(cc_read_file(&refs, &refs_len, path, 0), CC_OK);
	for (size_t f = 0; f < n_inputs && refs; f++) {
		char ipath[512], *text = NULL;
		size_t len = 0, n = 0;
		int32_t *ids = NULL;
		cc_token_span *off = NULL;
		snprintf(ipath, sizeof(ipath), "%s/%s", INDIR, inputs[f]);
		CHECK_EQ_INT(cc_read_file(&text, &len, ipath, 0), CC_OK);
		CHECK(pos + 4 <= refs_len);
		if (!text || pos + 4 > refs_len) {
			free(text);
			break;
		}
		uint32_t rn = rd32((unsigned char *)refs + pos);
		pos += 4;
		CHECK(pos + 4ull * rn <= refs_len);
		CHECK_EQ_INT(cc_tokenizer_encode(tok, text, len, &ids, &off, &n), CC_OK);
		size_t bad = SIZE_MAX;
		for (size_t i = 0; i < n && i < rn; i++)
			if ((uint32_t)ids[i] != rd32((unsigned char *)refs + pos + 4 * i)) {
				bad = i;
				break;
			}
		if (n != rn || bad != SIZE_MAX) {
			fprintf(stderr, "%s on %s: %zu ids vs %u reference ids, first difference at %zu\n",
			        name, inputs[f], n, rn, bad == SIZE_MAX ? (n < rn ? n : (size_t)rn) : bad);
			test_failures++;
		}
		test_checks++;
		/* offsets: inside the text, in order; the bytes there are the token's own bytes */
		uint32_t prev = 0;
		for (size_t i = 0; i < n; i++) {
			CHECK(off[i].start <= off[i].end && off[i].end <= len && off[i].start >= prev);
			if (off[i].start < prev || off[i].end > len)
				break;
			prev = off[i].start;
			if (bytes_exact && !cc_tokenizer_is_special(tok, ids[i])) {
				size_t tl;
				const char *tb = cc_tokenizer_token_bytes(tok, ids[i], &tl);
				if (tl != off[i].end - off[i].start || memcmp(tb, text + off[i].start, tl)) {
					fprintf(stderr, "%s on %s: token %zu offsets [%u,%u) do not hold its bytes\n",
					        name, inputs[f], i, off[i].start, off[i].end);
					test_failures++;
					break;
				}
			}
		}
		/* decode(encode(x)) == x without special tokens' additions */
		if (bytes_exact) {
			char *dec = NULL;
			size_t dl = 0;
			int32_t *ids2 = NULL;
			size_t n2 = 0;
			CHECK_EQ_INT(cc_tokenizer_encode_ex(tok, text, len, 0, &ids2, NULL, &n2), CC_OK);
			CHECK_EQ_INT(cc_tokenizer_decode(tok, ids2, n2, &dec, &dl), CC_OK);
			CHECK(dl == len && dec && memcmp(dec, text, len) == 0);
			free(dec);
			free(ids2);
		}
		pos += 4ull * rn;
		total += n;
		free(text);
		free(ids);
		free(off);
	}
	CHECK_EQ_INT(pos, refs_len); /* every reference consumed */
	fprintf(stderr, "%s: %zu files, %zu ids\n", name, n_inputs, total);
	free(refs);
	cc_tokenizer_free(tok);
}

int main(void)
{
	char *inputs[256];
	size_t n_inputs = 0;
	DIR *d = opendir(INDIR);
	struct dirent *e;
	CHECK(d != NULL);
	while (d && (e = readdir(d)) && n_inputs < 256)
		if (e->d_name[0] != '.')
			inputs[n_inputs++] = cc_xstrdup(e->d_name);
	if (d)
		closedir(d);
	qsort(inputs, n_inputs, sizeof(char *), cmpstr);
	CHECK(n_inputs >= 30);

	check_tokenizer("pycode", inputs, n_inputs, 1);
	check_tokenizer("qwen2", inputs, n_inputs, 0);
	check_tokenizer("llama3", inputs, n_inputs, 1);
	check_tokenizer("prefix", inputs, n_inputs, 0);
	for (size_t i = 0; i < n_inputs; i++)
		free(inputs[i]);
	return test_result();
}
