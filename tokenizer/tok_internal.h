/*
 * tok_internal.h - pieces shared between the tokenizer's source files (not public).
 */
#ifndef CC_TOK_INTERNAL_H
#define CC_TOK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* NFC of valid UTF-8 text. Returns 1 when the text is already NFC (nothing written), 0 when
 * *out (malloc'd, *out_len bytes) holds the normalized text and *align (malloc'd, one entry
 * per output byte) the input range [start,end) each output byte came from, negative on
 * allocation failure. */
int cc_tok_nfc(const char *s, size_t len, char **out, size_t *out_len, uint32_t (**align)[2]);

/* Split regexes with a hand-written ASCII matcher (fastsplit.c). */
enum {
	CC_TOK_FAST_NONE = 0,
	CC_TOK_FAST_GPT2,
	CC_TOK_FAST_QWEN2,
	CC_TOK_FAST_LLAMA3,
	CC_TOK_FAST_COUNT
};
extern const char *const cc_tok_fast_patterns[CC_TOK_FAST_COUNT];

/* Which known pattern this regex is (exact text), CC_TOK_FAST_NONE otherwise. */
int cc_tok_fast_kind(const char *pattern, size_t len);

/* End of the match that starts at i (kind's pattern, PCRE2 semantics), or 0 when a non-ASCII
 * byte decides it (ask PCRE2). s[0..n) is valid UTF-8. */
size_t cc_tok_fast_match(int kind, const unsigned char *s, size_t n, size_t i);

#endif
