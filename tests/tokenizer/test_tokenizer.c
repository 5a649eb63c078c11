/*
 * test_tokenizer.c - behaviour the parity fixtures cannot show: invalid UTF-8, both merge
 * forms, the BPE tie rule, added-token stripping, NFC offsets, lookups and load errors.
 * Small tokenizers are written inline so each expectation follows from the definition.
 */
#include "cc_common.h"
#include "cc_tokenizer.h"
#include "test.h"

#include <pthread.h>

/* vocab: the 256 byte-level characters would be long; these tests use only a-e and space
 * (Ġ), so the byte tokens for other bytes are absent and dropped like the crate does. */
static const char *tiny(const char *merges, const char *extra_model, const char *added)
{
	static char buf[4096];
	snprintf(buf, sizeof(buf),
	         "{\"added_tokens\": [%s], \"normalizer\": null,"
	         " \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": true},"
	         " \"post_processor\": null, \"decoder\": {\"type\": \"ByteLevel\"},"
	         " \"model\": {\"type\": \"BPE\", %s \"vocab\": {\"a\": 0, \"b\": 1, \"c\": 2, \"d\": 3,"
	         " \"\\u0120\": 4, \"ab\": 5, \"bc\": 6, \"abc\": 7, \"aa\": 8, \"\\u0120a\": 9, \"X\": 10,"
	         " \"\\u00c3\": 11, \"\\u00a9\": 12, \"\\u00c3\\u00a9\": 13},"
	         " \"merges\": %s}}",
	         added, extra_model, merges);
	return buf;
}

static int enc(cc_tokenizer *t, const char *s, int32_t *out, int max)
{
	int32_t *ids = NULL;
	size_t n = 0;
	if (cc_tokenizer_encode(t, s, strlen(s), &ids, NULL, &n))
		return -1;
	for (size_t i = 0; i < n && (int)i < max; i++)
		out[i] = ids[i];
	free(ids);
	return (int)n;
}

static void test_merge_forms(void)
{
	cc_tokenizer *a = NULL, *b = NULL;
	const char *ja = tiny("[\"a b\", \"b c\", \"a bc\", \"a a\", \"\\u0120 a\"]", "", "");
	CHECK_EQ_INT(cc_tokenizer_load_json(&a, ja, strlen(ja)), CC_OK);
	const char *jb = tiny("[[\"a\",\"b\"], [\"b\",\"c\"], [\"a\",\"bc\"], [\"a\",\"a\"], [\"\\u0120\",\"a\"]]", "", "");
	CHECK_EQ_INT(cc_tokenizer_load_json(&b, jb, strlen(jb)), CC_OK);
	if (!a || !b)
		goto out;
	int32_t x[16], y[16];
	/* "abc": a+b (rank 0) wins over b+c (rank 1) -> ab c; "ab"+"c" has no merge */
	CHECK_EQ_INT(enc(a, "abc", x, 16), 2);
	CHECK_EQ_INT(x[0], 5);
	CHECK_EQ_INT(x[1], 2);
	CHECK_EQ_INT(enc(b, "abc", y, 16), 2);
	CHECK(x[0] == y[0] && x[1] == y[1]);
	/* "aaa": equal ranks resolve leftmost first -> aa a */
	CHECK_EQ_INT(enc(a, "aaa", x, 16), 2);
	CHECK_EQ_INT(x[0], 8);
	CHECK_EQ_INT(x[1], 0);
	/* " a" is one piece of the GPT-2 regex and merges with the byte-level space */
	CHECK_EQ_INT(enc(a, "b a", x, 16), 2);
	CHECK_EQ_INT(x[1], 9);
	CHECK_EQ_INT(cc_tokenizer_vocab_size(a), 14);
	const char space_a[] = "\xc4\xa0" /* U+0120, the byte-level space */
			       "a";
	CHECK_EQ_INT(cc_tokenizer_token_id(a, space_a), 9);
	CHECK_EQ_INT(cc_tokenizer_token_id(a, "zz"), -1);
	size_t bl;
	const char *bytes = cc_tokenizer_token_bytes(a, 9, &bl);
	CHECK(bl == 2 && bytes && memcmp(bytes, " a", 2) == 0);
	CHECK(cc_tokenizer_token_bytes(a, 99, &bl) == NULL && bl == 0);
out:
	cc_tokenizer_free(a);
	cc_tokenizer_free(b);
}

static void test_invalid_utf8(void)
{
	cc_tokenizer *t = NULL;
	const char *j = tiny("[\"a b\", \"\\u00c3 \\u00a9\"]", "", "");
	CHECK_EQ_INT(cc_tokenizer_load_json(&t, j, strlen(j)), CC_OK);
	if (!t)
		return;
	/* "ab" 0xC3 (truncated sequence) 0xFF "a" 0xC3 0xA9 (valid é): the lone 0xC3 is its own
	 * piece; 0xFF has no token in this vocab and is dropped; é merges to one token */
	const char in[] = "ab\xc3\xff"
			  "a\xc3\xa9";
	int32_t *ids = NULL;
	cc_token_span *off = NULL;
	size_t n = 0;
	CHECK_EQ_INT(cc_tokenizer_encode(t, in, sizeof(in) - 1, &ids, &off, &n), CC_OK);
	CHECK_EQ_INT(n, 4);
	if (n == 4) {
		CHECK_EQ_INT(ids[0], 5);
		CHECK_EQ_INT(ids[1], 11);
		CHECK(off[1].start == 2 && off[1].end == 3);
		CHECK_EQ_INT(ids[2], 0);
		CHECK(off[2].start == 4 && off[2].end == 5);
		CHECK_EQ_INT(ids[3], 13);
		CHECK(off[3].start == 5 && off[3].end == 7);
	}
	char *dec = NULL;
	size_t dl = 0;
	CHECK_EQ_INT(cc_tokenizer_decode(t, ids, n, &dec, &dl), CC_OK);
	const char want[] = "ab\xc3"
			    "a\xc3\xa9";
	CHECK(dl == 6 && dec && memcmp(dec, want, 6) == 0);
	free(dec);
	free(ids);
	free(off);
	/* empty input */
	CHECK_EQ_INT(cc_tokenizer_encode(t, "", 0, &ids, &off, &n), CC_OK);
	CHECK_EQ_INT(n, 0);
	free(ids);
	free(off);
	/* bad ids are refused with a message naming the id */
	int32_t bad[] = {0, 77};
	CHECK_EQ_INT(cc_tokenizer_decode(t, bad, 2, &dec, &dl), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "77") != NULL);
	cc_tokenizer_free(t);
}

/* A pre-tokenizer regex that fails to match (here: catastrophic backtracking passes PCRE2's
 * match limit) is an error naming the regex failure, not a silently shortened split. */
static void test_regex_error(void)
{
	static const char j[] =
		"{\"added_tokens\": [], \"normalizer\": null,"
		" \"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"(a|aa)+(a|aa)+[bc]$\"},"
		" \"behavior\": \"Isolated\", \"invert\": false},"
		" \"post_processor\": null, \"decoder\": null,"
		" \"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1}, \"merges\": []}}";
	cc_tokenizer *t = NULL;
	CHECK_EQ_INT(cc_tokenizer_load_json(&t, j, strlen(j)), CC_OK);
	if (!t)
		return;
	static char in[4002];
	memset(in, 'a', 4000);
	in[4000] = 'b';
	in[4001] = 'z';
	int32_t *ids = NULL;
	size_t n = 0;
	CHECK_EQ_INT(cc_tokenizer_encode(t, in, sizeof(in), &ids, NULL, &n), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "regex") != NULL);
	free(ids);
	cc_tokenizer_free(t);
}

static void test_added_tokens(void)
{
	cc_tokenizer *t = NULL;
	const char *j = tiny("[\"a b\"]", "",
	                     "{\"id\": 14, \"content\": \"<s>\", \"special\": true},"
	                     "{\"id\": 15, \"content\": \"<m>\", \"special\": false, \"lstrip\": true, \"rstrip\": true},"
	                     "{\"id\": 16, \"content\": \"<ss>\", \"special\": true}");
	CHECK_EQ_INT(cc_tokenizer_load_json(&t, j, strlen(j)), CC_OK);
	if (!t)
		return;
	const char *in = "ab<s>a  <m>  b<ss>";
	int32_t *ids = NULL;
	cc_token_span *off = NULL;
	size_t n = 0;
	CHECK_EQ_INT(cc_tokenizer_encode(t, in, strlen(in), &ids, &off, &n), CC_OK);
	/* ab, <s>, a, <m> (absorbs the spaces on both sides), b, <ss> (longest match) */
	CHECK_EQ_INT(n, 6);
	if (n == 6) {
		CHECK_EQ_INT(ids[0], 5);
		CHECK_EQ_INT(ids[1], 14);
		CHECK(off[1].start == 2 && off[1].end == 5);
		CHECK_EQ_INT(ids[2], 0);
		CHECK_EQ_INT(ids[3], 15);
		CHECK(off[3].start == 6 && off[3].end == 13);
		CHECK_EQ_INT(ids[4], 1);
		CHECK_EQ_INT(ids[5], 16);
	}
	CHECK_EQ_INT(cc_tokenizer_is_special(t, 14), 1);
	CHECK_EQ_INT(cc_tokenizer_is_special(t, 15), 0);
	CHECK_EQ_INT(cc_tokenizer_special_id(t, "bos"), 14);
	CHECK_EQ_INT(cc_tokenizer_special_id(t, "nope"), -1);
	char *dec = NULL;
	size_t dl;
	CHECK_EQ_INT(cc_tokenizer_decode_ex(t, ids, n, CC_TOK_SKIP_SPECIAL, &dec, &dl), CC_OK);
	CHECK_EQ_STR(dec, "aba<m>b");
	free(dec);
	free(ids);
	free(off);
	/* with added-token splitting off, "<s>" is plain text, and its bytes have no tokens here */
	CHECK_EQ_INT(cc_tokenizer_encode_ex(t, "a<s>", 4, CC_TOK_NO_ADDED_SPLIT, &ids, NULL, &n), CC_OK);
	CHECK(n == 1 && ids[0] == 0);
	free(ids);
	cc_tokenizer_free(t);
}

static void test_nfc_offsets(void)
{
	cc_tokenizer *t = NULL;
	CHECK_EQ_INT(cc_tokenizer_load(&t, "fixtures/tokenizer/tokenizers/qwen2.json"), CC_OK);
	if (!t)
		return;
	/* "e" + U+0301 normalizes to U+00E9: the same ids as the precomposed text, and the
	 * token holding é covers both input characters (bytes 3..6) */
	const char *dec_in = "cafe\xcc\x81", *pre = "caf\xc3\xa9";
	int32_t *a = NULL, *b = NULL;
	cc_token_span *off = NULL;
	size_t na = 0, nb = 0;
	CHECK_EQ_INT(cc_tokenizer_encode(t, dec_in, strlen(dec_in), &a, &off, &na), CC_OK);
	CHECK_EQ_INT(cc_tokenizer_encode(t, pre, strlen(pre), &b, NULL, &nb), CC_OK);
	CHECK(na == nb && na > 0 && memcmp(a, b, na * sizeof(int32_t)) == 0);
	if (na)
		CHECK_EQ_INT(off[na - 1].end, 6);
	free(a);
	free(b);
	free(off);
	cc_tokenizer_free(t);
}

static void test_load_errors(void)
{
	cc_tokenizer *t = NULL;
	CHECK_EQ_INT(cc_tokenizer_load(&t, "/nonexistent/model"), CC_ENOTFOUND);
	CHECK(t == NULL);
	CHECK_EQ_INT(cc_tokenizer_load_json(&t, "{", 1), CC_EPARSE);
	const char *wp = "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}";
	CHECK_EQ_INT(cc_tokenizer_load_json(&t, wp, strlen(wp)), CC_EUNSUPPORTED);
	CHECK(strstr(cc_error_last(), "WordPiece") != NULL);
	const char *j = tiny("[\"a zz\"]", "", "");
	CHECK_EQ_INT(cc_tokenizer_load_json(&t, j, strlen(j)), CC_EPARSE);
	CHECK(strstr(cc_error_last(), "merges[0]") != NULL);
	const char *huge = "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 2000000000}, \"merges\": []}}";
	CHECK_EQ_INT(cc_tokenizer_load_json(&t, huge, strlen(huge)), CC_EPARSE);
	CHECK(strstr(cc_error_last(), "2000000000") != NULL);
	j = tiny("[\"a b\"]", "\"byte_fallback\": true,", "");
	CHECK_EQ_INT(cc_tokenizer_load_json(&t, j, strlen(j)), CC_EUNSUPPORTED);
	CHECK(t == NULL);
}

/* The ASCII matchers of the GPT-2 / Qwen2 / Llama-3 split patterns against PCRE2 itself, on
 * random strings built from the pieces where the patterns differ (contractions in any case,
 * runs of spaces before words, CR/LF mixes, digits, non-ASCII letters, digits and spaces). */
static void test_fast_split_vs_pcre(void)
{
	static const char *parts[] = {
		"a", "Z", "word", "0", "12345", " ", "  ", "\t", "\n", "\r\n", "\r", "\v", "\f", "'", "'s",
		"'S", "'re", "'RE", "'Ll", "'ve", "'d", "'m", "'x", ".", "_", "-", "(", ")", "::", "#",
		"\xc3\xa9", "\xc2\xa0", "\xe2\x80\xa8", "\xc5\xbf", "\xd9\xa3", "\xe4\xb8\xad",
		"\xf0\x9f\x99\x82", "\xe2\x84\xaa", "\xc2\xbd", "\x85", "\xff", "<|endoftext|>"};
	const char *names[] = {"pycode", "qwen2", "llama3", "prefix"};
	uint64_t rng = 0x12345678;
	for (size_t k = 0; k < 4; k++) {
		char path[256];
		cc_tokenizer *t = NULL;
		snprintf(path, sizeof(path), "fixtures/tokenizer/tokenizers/%s.json", names[k]);
		CHECK_EQ_INT(cc_tokenizer_load(&t, path), CC_OK);
		if (!t)
			continue;
		int bad = 0;
		for (int it = 0; it < 3000 && !bad; it++) {
			char buf[1024];
			size_t len = 0;
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			int np = 1 + (int)((rng >> 33) % 40);
			for (int q = 0; q < np; q++) {
				rng = rng * 6364136223846793005ull + 1442695040888963407ull;
				const char *pc = parts[(rng >> 33) % (sizeof(parts) / sizeof(parts[0]))];
				size_t pl = strlen(pc);
				memcpy(buf + len, pc, pl);
				len += pl;
			}
			int32_t *a = NULL, *b = NULL;
			cc_token_span *oa = NULL, *ob = NULL;
			size_t na = 0, nb = 0;
			CHECK_EQ_INT(cc_tokenizer_encode_ex(t, buf, len, 0, &a, &oa, &na), CC_OK);
			CHECK_EQ_INT(cc_tokenizer_encode_ex(t, buf, len, CC_TOK_PCRE_ONLY, &b, &ob, &nb), CC_OK);
			if (na != nb || (na && (memcmp(a, b, na * sizeof(*a)) || memcmp(oa, ob, na * sizeof(*oa))))) {
				fprintf(stderr, "%s: ASCII matcher differs from PCRE2 on \"%.*s\"\n", names[k], (int)len, buf);
				bad = 1;
			}
			CHECK(!bad);
			free(a);
			free(b);
			free(oa);
			free(ob);
		}
		cc_tokenizer_free(t);
	}
}

/* One tokenizer shared by threads (the daemon's workers): same ids as alone. */
typedef struct {
	cc_tokenizer *t;
	const char *text;
	size_t len;
	int32_t *ids;
	size_t n;
	int rc;
} job;

static void *encode_job(void *arg)
{
	job *j = arg;
	for (int r = 0; r < 20 && !j->rc; r++) {
		free(j->ids);
		j->ids = NULL;
		j->rc = cc_tokenizer_encode(j->t, j->text, j->len, &j->ids, NULL, &j->n);
	}
	return NULL;
}

static void test_threads(void)
{
	cc_tokenizer *t = NULL;
	char *text = NULL;
	size_t len = 0;
	CHECK_EQ_INT(cc_tokenizer_load(&t, "fixtures/tokenizer/tokenizers/qwen2.json"), CC_OK);
	CHECK_EQ_INT(cc_read_file(&text, &len, "fixtures/tokenizer/inputs/tokenize.py", 0), CC_OK);
	if (!t || !text)
		goto out;
	int32_t *ref = NULL;
	size_t nref = 0;
	CHECK_EQ_INT(cc_tokenizer_encode(t, text, len, &ref, NULL, &nref), CC_OK);
	job jobs[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		/* different starting points so that threads fill and read the cache differently */
		size_t skip = (size_t)i * 97;
		jobs[i] = (job){t, i ? text + skip : text, i ? len - skip : len, NULL, 0, 0};
		CHECK_EQ_INT(pthread_create(&th[i], NULL, encode_job, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_EQ_INT(jobs[i].rc, CC_OK);
		if (i == 0)
			CHECK(jobs[0].n == nref && memcmp(jobs[0].ids, ref, nref * sizeof(*ref)) == 0);
		else {
			int32_t *alone = NULL;
			size_t na = 0;
			CHECK_EQ_INT(cc_tokenizer_encode(t, jobs[i].text, jobs[i].len, &alone, NULL, &na), CC_OK);
			CHECK(jobs[i].n == na && memcmp(jobs[i].ids, alone, na * sizeof(*alone)) == 0);
			free(alone);
		}
		free(jobs[i].ids);
	}
	free(ref);
out:
	free(text);
	cc_tokenizer_free(t);
}

/* Pairing a tokenizer with a model's vocabulary: prefix.json's added "<mask>" is not in its
 * 8192-token model vocabulary, so it gets id 8192 (as the Hugging Face crate assigns it), one
 * past a model with vocab_size 8192: refused, naming the token and the id. */
static void test_model_vocab(void)
{
	cc_tokenizer *t = NULL;
	CHECK_EQ_INT(cc_tokenizer_load(&t, "fixtures/tokenizer/tokenizers/prefix.json"), CC_OK);
	if (!t)
		return;
	CHECK_EQ_INT(cc_tokenizer_token_id(t, "<mask>"), 8192);
	CHECK_EQ_INT(cc_tokenizer_check_model_vocab(t, 8192), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "added token '<mask>' has id 8192") != NULL);
	CHECK(strstr(cc_error_last(), "vocabulary of 8192 ids") != NULL);
	CHECK_EQ_INT(cc_tokenizer_check_model_vocab(t, 8193), CC_OK);
	/* several outside: the first is named, the count given */
	CHECK_EQ_INT(cc_tokenizer_check_model_vocab(t, 8000), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "id 8000") != NULL);
	CHECK(strstr(cc_error_last(), "193 tokens are outside") != NULL);
	cc_tokenizer_free(t);
	t = NULL;
	CHECK_EQ_INT(cc_tokenizer_load(&t, "fixtures/tokenizer/tokenizers/pycode.json"), CC_OK);
	CHECK_EQ_INT(cc_tokenizer_check_model_vocab(t, 8192), CC_OK);
	cc_tokenizer_free(t);
}

int main(void)
{
	test_model_vocab();
	test_merge_forms();
	test_invalid_utf8();
	test_added_tokens();
	test_regex_error();
	test_nfc_offsets();
	test_load_errors();
	test_fast_split_vs_pcre();
	test_threads();
	return test_result();
}
