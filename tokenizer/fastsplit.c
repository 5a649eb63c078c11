/*
 * fastsplit.c - hand-written matchers for the three split regexes that real byte-level BPE
 * tokenizers use (GPT-2's, Qwen2's, Llama 3's), on ASCII text. Each returns the end of the
 * match PCRE2 would find at a position, or 0 when the answer depends on a non-ASCII byte, in
 * which case the caller asks PCRE2 for that one match. With these patterns every position
 * starts a match, so "the match at pos" is the whole question.
 *
 * ASCII classes under PCRE2_UCP: \p{L} = [A-Za-z], \p{N} = [0-9], \s = [\t\n\v\f\r ].
 * test_tokenizer compares these against PCRE2 on random strings (differential test).
 */
#include "tok_internal.h"

#include <string.h>

enum {
	C_L = 1,
	C_N = 2,
	C_S = 4,
	C_O = 8,
	C_X = 16 /* non-ASCII */
};

static unsigned char cls_tab[256];

static void init_tab(void)
{
	for (int c = 0; c < 256; c++) {
		unsigned char k;
		if (c >= 0x80)
			k = C_X;
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			k = C_L;
		else if (c >= '0' && c <= '9')
			k = C_N;
		else if (c == ' ' || (c >= 9 && c <= 13))
			k = C_S;
		else
			k = C_O;
		cls_tab[c] = k;
	}
}

#define CLS(i) (cls_tab[s[i]])

const char *const cc_tok_fast_patterns[CC_TOK_FAST_COUNT] = {
	[CC_TOK_FAST_GPT2] =
		"'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
	[CC_TOK_FAST_QWEN2] =
		"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| "
		"?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
	[CC_TOK_FAST_LLAMA3] =
		"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
		"?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
};

int cc_tok_fast_kind(const char *pattern, size_t len)
{
	if (!cls_tab['a'])
		init_tab(); /* idempotent: every thread writes the same bytes */
	for (int k = 1; k < CC_TOK_FAST_COUNT; k++)
		if (strlen(cc_tok_fast_patterns[k]) == len && !memcmp(cc_tok_fast_patterns[k], pattern, len))
			return k;
	return CC_TOK_FAST_NONE;
}

/* end of the run of class k from i (0 when a non-ASCII byte may continue it) */
static size_t run(const unsigned char *s, size_t n, size_t i, unsigned k)
{
	while (i < n && (CLS(i) & k))
		i++;
	if (i < n && CLS(i) == C_X)
		return 0;
	return i;
}

/* \s+(?!\S) | \s+ at i (s[i] is ASCII whitespace) */
static size_t spaces(const unsigned char *s, size_t n, size_t i)
{
	size_t k = run(s, n, i, C_S);
	if (!k)
		return 0;
	if (k == n || k - i == 1)
		return k;
	return k - 1; /* leave the last space to the word after it */
}

static size_t gpt2(const unsigned char *s, size_t n, size_t i)
{
	unsigned c = CLS(i);
	if (s[i] == '\'' && i + 1 < n) {
		unsigned char a = s[i + 1];
		if (a == 's' || a == 't' || a == 'm' || a == 'd')
			return i + 2;
		if (i + 2 < n) {
			unsigned char b = s[i + 2];
			if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
				return i + 3;
		}
	}
	if (c == C_X)
		return 0;
	size_t j = i + (s[i] == ' ');
	if (j < n) {
		unsigned cj = CLS(j);
		if (cj == C_X)
			return 0;
		if (cj == C_L)
			return run(s, n, j, C_L);
		if (cj == C_N)
			return run(s, n, j, C_N);
		if (cj == C_O)
			return run(s, n, j, C_O);
	}
	return spaces(s, n, i); /* c is whitespace here */
}

/* Qwen2 (digits = 1) and Llama 3 (digits = 3) */
static size_t qwen(const unsigned char *s, size_t n, size_t i, int digits)
{
	unsigned c = CLS(i);
	if (s[i] == '\'' && i + 1 < n) {
		unsigned char a = s[i + 1] | 0x20; /* ASCII lower case; other bytes fail the tests */
		if (s[i + 1] >= 0x80)
			return 0; /* case folding: 'ſ' and the Kelvin sign fold to s and k */
		if (a == 's' || a == 't' || a == 'm' || a == 'd')
			return i + 2;
		if (i + 2 < n) {
			if (s[i + 2] >= 0x80)
				return 0;
			unsigned char b = s[i + 2] | 0x20;
			if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
				return i + 3;
		}
	}
	if (c == C_X)
		return 0;
	/* [^\r\n\p{L}\p{N}]?\p{L}+ */
	if (c == C_L)
		return run(s, n, i, C_L);
	if (c != C_N && s[i] != '\r' && s[i] != '\n' && i + 1 < n) {
		unsigned c1 = CLS(i + 1);
		if (c1 == C_X)
			return 0;
		if (c1 == C_L)
			return run(s, n, i + 1, C_L);
	}
	/* \p{N} / \p{N}{1,3} */
	if (c == C_N) {
		size_t e = i + 1;
		while ((int)(e - i) < digits && e < n && CLS(e) == C_N)
			e++;
		if ((int)(e - i) < digits && e < n && CLS(e) == C_X)
			return 0;
		return e;
	}
	/* ` ?[^\s\p{L}\p{N}]+[\r\n]*` */
	size_t j = i + (s[i] == ' ');
	if (j < n) {
		unsigned cj = CLS(j);
		if (cj == C_X)
			return 0;
		if (cj == C_O) {
			size_t e = run(s, n, j, C_O);
			if (!e)
				return 0;
			while (e < n && (s[e] == '\r' || s[e] == '\n'))
				e++;
			return e;
		}
	}
	/* here s[i] is whitespace: \s*[\r\n]+ ends after the last \r or \n of the run */
	size_t k = run(s, n, i, C_S);
	if (!k)
		return 0;
	for (size_t m = k; m-- > i;)
		if (s[m] == '\r' || s[m] == '\n')
			return m + 1;
	return spaces(s, n, i);
}

size_t cc_tok_fast_match(int kind, const unsigned char *s, size_t n, size_t i)
{
	if (i >= n)
		return 0;
	switch (kind) {
	case CC_TOK_FAST_GPT2: return gpt2(s, n, i);
	case CC_TOK_FAST_QWEN2: return qwen(s, n, i, 1);
	case CC_TOK_FAST_LLAMA3: return qwen(s, n, i, 3);
	default: return 0;
	}
}
