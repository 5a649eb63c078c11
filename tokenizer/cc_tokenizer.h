/*
 * cc_tokenizer.h - Hugging Face `tokenizer.json` byte-level BPE, with ids identical to the
 * Python `tokenizers` library and byte offsets into the caller's input.
 *
 * Supported: model BPE (merges as "a b" strings or ["a","b"] arrays, ignore_merges); the
 * normalizers null and NFC (and a Sequence of those); the pre-tokenizers ByteLevel (its
 * implicit GPT-2 split regex when use_regex, add_prefix_space), Split (a regex or string
 * pattern, every behaviour, invert), Digits and Sequence; added / special tokens (split out
 * before normalization, leftmost-longest, lstrip / rstrip; their single_word and normalized
 * flags are not applied: they match the raw text; ids follow the crate's rule, a content in
 * the model vocabulary takes that id); the ByteLevel decoder; the post-processors
 * ByteLevel (adds nothing), TemplateProcessing (its "single" template) and Sequence. Anything
 * else makes cc_tokenizer_load fail with CC_EUNSUPPORTED naming the part.
 *
 * Invalid UTF-8 (Python strings cannot hold it, so this is our own definition): the input is
 * cut into maximal valid UTF-8 runs and invalid bytes; each run is normalized and
 * pre-tokenized on its own and every invalid byte becomes a piece of its own, which byte-level
 * BPE maps to that byte's token. Encoding never fails on bad bytes and decode(encode(x)) == x
 * for any x when the tokenizer has no normalizer and no prefix space.
 *
 * Offsets are byte [start, end) pairs into the caller's input, untrimmed (a token " foo"
 * starts at its space). A token that covers part of a multi-byte character (byte-level BPE can
 * split one) gets the bytes it holds; when a normalizer changed the text, a token maps to the
 * smallest input range whose normalized form holds it. Added tokens cover their match
 * including stripped whitespace; post-processor tokens are empty ranges at 0 or len.
 *
 * Thread model: a loaded cc_tokenizer is immutable except for an internal word cache guarded
 * by a mutex; one tokenizer may be used from several threads at once.
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_TOKENIZER_H
#define CC_TOKENIZER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cc_tokenizer cc_tokenizer;

/* Byte range [start, end) of one token in the input. */
typedef struct {
	uint32_t start;
	uint32_t end;
} cc_token_span;

/* Encoding options for cc_tokenizer_encode_ex. */
enum {
	CC_TOK_ADD_SPECIAL = 1u << 0,    /* run the post-processor (Python add_special_tokens=True) */
	CC_TOK_NO_ADDED_SPLIT = 1u << 1, /* do not recognise added/special tokens in the text */
	CC_TOK_PCRE_ONLY = 1u << 2       /* match the split regex with PCRE2 only, never the ASCII
	                                    matchers of the GPT-2/Qwen2/Llama-3 patterns (same
	                                    result, slower: for tests) */
};

/* Decoding options for cc_tokenizer_decode_ex. */
enum {
	CC_TOK_SKIP_SPECIAL = 1u << 0 /* drop special tokens (Python skip_special_tokens=True) */
};

/* Load a tokenizer from a tokenizer.json file or from a model directory holding one.
 * *out is a new tokenizer the caller frees with cc_tokenizer_free.
 * Errors: CC_ENOTFOUND (no file), CC_EIO, CC_EPARSE (not JSON / malformed fields: the message
 * names the field), CC_EUNSUPPORTED (a model/normalizer/pre-tokenizer/decoder/post-processor
 * type this implementation lacks, named in the message), CC_ENOMEM. */
int cc_tokenizer_load(cc_tokenizer **out, const char *path);

/* Same from a tokenizer.json already in memory (len bytes, need not be NUL-terminated). */
int cc_tokenizer_load_json(cc_tokenizer **out, const char *json, size_t len);

void cc_tokenizer_free(cc_tokenizer *tok); /* NULL ok */

/* Encode len bytes of text exactly like Python `tokenizer.encode(text)` (special tokens in
 * the text are recognised, the post-processor runs). On success *ids (and *offsets when
 * offsets is not NULL) are new malloc'd arrays of *n entries the caller frees; for empty text
 * they may be NULL with *n == 0 (or hold post-processor tokens).
 * Errors: CC_EINVAL (NULL text with len > 0), CC_ETOOBIG (len >= 4 GiB), CC_ENOMEM. */
int cc_tokenizer_encode(const cc_tokenizer *tok, const char *text, size_t len, int32_t **ids,
                        cc_token_span **offsets, size_t *n);

/* cc_tokenizer_encode with CC_TOK_* flags (cc_tokenizer_encode == flags CC_TOK_ADD_SPECIAL). */
int cc_tokenizer_encode_ex(const cc_tokenizer *tok, const char *text, size_t len,
                           unsigned flags, int32_t **ids, cc_token_span **offsets, size_t *n);

/* Decode ids to bytes like Python `tokenizer.decode(ids, skip_special_tokens=False)`.
 * *out is a new NUL-terminated buffer of *out_len bytes (the caller frees it; it may hold
 * invalid UTF-8 when the ids split a character; Python would show U+FFFD there).
 * Errors: CC_EINVAL (an id outside the vocabulary, named), CC_ENOMEM. */
int cc_tokenizer_decode(const cc_tokenizer *tok, const int32_t *ids, size_t n, char **out,
                        size_t *out_len);
int cc_tokenizer_decode_ex(const cc_tokenizer *tok, const int32_t *ids, size_t n,
                           unsigned flags, char **out, size_t *out_len);

/* Number of ids (model vocabulary plus added tokens): one more than the largest id. */
size_t cc_tokenizer_vocab_size(const cc_tokenizer *tok);

/* Check that every id of tok lies inside a model's vocabulary of model_vocab ids (its
 * config.json vocab_size): the pairing check for wherever a tokenizer and a model are used
 * together. tokenizer.json gives an added token that is not in the model vocabulary the next
 * id after it (as the Hugging Face crate does), and nothing in the format maps such an id
 * back into a smaller embedding table, so the pair is refused rather than fed ids the model
 * has no row for. Returns CC_OK, or CC_EINVAL with a message naming the first such token, its
 * id, the model's size and how many ids are outside. */
int cc_tokenizer_check_model_vocab(const cc_tokenizer *tok, size_t model_vocab);

/* Id of a token given by its text as written in tokenizer.json ("<|endoftext|>", "Ġthe"),
 * or -1 when absent. Added tokens are looked up first. */
int32_t cc_tokenizer_token_id(const cc_tokenizer *tok, const char *token);

/* The raw bytes of one token (what it decodes to on its own), not NUL-terminated, valid as
 * long as tok; NULL with *len 0 for an id outside the vocabulary. */
const char *cc_tokenizer_token_bytes(const cc_tokenizer *tok, int32_t id, size_t *len);

/* 1 when id is an added token marked "special", else 0. */
int cc_tokenizer_is_special(const cc_tokenizer *tok, int32_t id);

/* Id of a well-known special token or -1: looks for the usual spellings in the added tokens
 * ("bos": <|begin_of_text|>, <s>, <|endoftext|>; "eos": <|end_of_text|>, <|im_end|>,
 * </s>, <|endoftext|>; "pad": <|pad|>, <pad>, <|endoftext|>). A model's config.json /
 * tokenizer_config.json is authoritative; this is for callers without one. */
int32_t cc_tokenizer_special_id(const cc_tokenizer *tok, const char *role);

#ifdef __cplusplus
}
#endif
#endif
