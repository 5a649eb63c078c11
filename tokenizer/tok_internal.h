/*
 * tok_internal.h - pieces shared between the tokenizer's source files (not public).
 */
#ifndef CC_TOK_INTERNAL_H
#define CC_TOK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Length of the valid UTF-8 character at p (1..4), 0 when the bytes there are not one
 * (overlong, surrogate, > U+10FFFF, truncated). *cp receives the code point. */
size_t cc_tok_utf8_char(const unsigned char *p, size_t avail, uint32_t *cp);

/* NFC of valid UTF-8 text. Returns 1 when the text is already NFC (nothing written), 0 when
 * *out (malloc'd, *out_len bytes) holds the normalized text and *align (malloc'd, one entry
 * per output byte) the input range [start,end) each output byte came from, negative on
 * allocation failure. */
int cc_tok_nfc(const char *s, size_t len, char **out, size_t *out_len, uint32_t (**align)[2]);

#endif
