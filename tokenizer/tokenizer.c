/*
 * tokenizer.c - Hugging Face tokenizer.json byte-level BPE: loading, encoding with byte
 * offsets, decoding. Semantics follow the Rust `tokenizers` crate (what Python calls):
 * added tokens are split out first (leftmost-longest), the rest is normalized, cut by the
 * pre-tokenizer chain into pieces, each piece is BPE-merged by a min-heap over (rank,
 * position) exactly like the crate's `Word::merge_all`, then the post-processor template runs.
 *
 * The model works on raw bytes: every vocabulary string is mapped back through the GPT-2
 * byte-to-unicode table once at load time, so encoding never builds byte-level strings.
 */
#include "cc_tokenizer.h"

#include "cc_common.h"
#include "tok_internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* GPT-2's split regex is what ByteLevel{use_regex: true} applies. */
#define GPT2_PATTERN (cc_tok_fast_patterns[CC_TOK_FAST_GPT2])

/* ---------------------------------------------------------------- hash tables */

static uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xff51afd7ed558ccdull);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 29;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	if (n >= 4) { /* two overlapping 4-byte loads instead of a variable-length copy */
		uint32_t lo, hi;
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		w = ((uint64_t)hi << 32) | lo;
	} else if (n) {
		w = (uint64_t)s[0] | (uint64_t)s[n / 2] << 8 | (uint64_t)s[n - 1] << 16;
	}
	h = (h ^ w) * 0x94d049bb133111ebull;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h;
}

/* bytes -> id; keys point into the token table's storage (not owned). */
typedef struct {
	uint32_t cap;  /* power of two */
	int32_t *slot; /* id, or -1 */
} strmap;

typedef struct {
	uint64_t key; /* (left << 32) | right, UINT64_MAX = empty */
	int32_t rank, id;
} pairslot;

typedef struct {
	const char *bytes; /* raw bytes (byte-level decoded) */
	uint32_t len;
	uint8_t added, special, in_model;
	char *text; /* the string as written in tokenizer.json */
} token_info;

typedef struct {
	char *content; /* raw text matched in the input */
	uint32_t len;
	int32_t id;
	uint8_t lstrip, rstrip, special;
} added_token;

enum {
	PT_BYTELEVEL,
	PT_SPLIT
};
enum {
	SB_REMOVED,
	SB_ISOLATED,
	SB_MERGED_PREV,
	SB_MERGED_NEXT,
	SB_CONTIGUOUS
};

typedef struct {
	int type;
	int add_prefix_space; /* ByteLevel */
	pcre2_code *re;       /* NULL: ByteLevel without regex */
	int jit;              /* re was JIT-compiled: call pcre2_jit_match directly */
	int fast;             /* CC_TOK_FAST_*: ASCII matches without PCRE2 */
	int behavior, invert;
} pretok_step;

/* Word cache: one 64-byte line per entry, 1 MiB in all (fits a core's L2 on the machines
 * measured; 4x fewer slots cost ~15% throughput through conflict misses). */
#define CACHE_SLOTS 16384
#define CACHE_MAX_KEY 22
#define CACHE_MAX_TOK 8
typedef struct {
	uint8_t klen, ntok;
	char key[CACHE_MAX_KEY];
	int32_t ids[CACHE_MAX_TOK];
	uint8_t lens[CACHE_MAX_TOK];
} __attribute__((aligned(64))) cache_entry;

struct cc_tokenizer {
	token_info *tok;
	size_t n_tok;
	char *pool;   /* raw bytes of every token */
	strmap vocab; /* raw bytes -> model id */
	pairslot *pairs;
	uint32_t pair_cap;
	int32_t byte_id[256]; /* single-byte tokens, -1 if absent */
	int ignore_merges;
	added_token *added;
	size_t n_added;
	uint8_t added_first[256];
	int nfc;
	pretok_step *steps;
	size_t n_steps;
	int32_t *tmpl; /* post-processor single template: ids, -1 = the sequence */
	size_t n_tmpl;
	pthread_mutex_t cache_lock;
	cache_entry *cache;
	uint8_t unicode_of_byte_len[256];
	char unicode_of_byte[256][3];
};

static uint32_t strmap_find(const cc_tokenizer *t, const char *s, size_t n)
{
	uint32_t mask = t->vocab.cap - 1, i = (uint32_t)hash_bytes(s, n) & mask;
	for (;;) {
		int32_t id = t->vocab.slot[i];
		if (id < 0)
			return i;
		const token_info *ti = &t->tok[id];
		if (ti->len == n && memcmp(ti->bytes, s, n) == 0)
			return i;
		i = (i + 1) & mask;
	}
}

static int32_t vocab_get(const cc_tokenizer *t, const char *s, size_t n)
{
	return t->vocab.slot[strmap_find(t, s, n)];
}

static inline uint64_t pair_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static const pairslot *pair_get(const cc_tokenizer *t, int32_t a, int32_t b)
{
	uint64_t key = ((uint64_t)(uint32_t)a << 32) | (uint32_t)b;
	uint32_t mask = t->pair_cap - 1, i = (uint32_t)pair_hash(key) & mask;
	for (;;) {
		const pairslot *p = &t->pairs[i];
		if (p->key == key)
			return p;
		if (p->key == UINT64_MAX)
			return NULL;
		i = (i + 1) & mask;
	}
}

/* ---------------------------------------------------------------- byte-level table */

static void byte_unicode_table(uint32_t cp_of_byte[256])
{
	int n = 0;
	for (int b = 0; b < 256; b++) {
		if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255))
			cp_of_byte[b] = (uint32_t)b;
		else
			cp_of_byte[b] = 256u + (uint32_t)n++;
	}
}

/* Map a byte-level string (as in the vocab) to raw bytes; characters outside the table
 * stay as their UTF-8 bytes (what the crate's ByteLevel decoder does). out has room for
 * strlen(s) bytes. */
static size_t bytelevel_decode(const int16_t *byte_of_cp, const char *s, size_t n, char *out)
{
	size_t o = 0, i = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = cc_utf8_char((const unsigned char *)s + i, n - i, &cp);
		if (k == 0) {
			out[o++] = s[i++];
			continue;
		}
		if (cp < 324 && byte_of_cp[cp] >= 0) {
			out[o++] = (char)byte_of_cp[cp];
		} else {
			memcpy(out + o, s + i, k);
			o += k;
		}
		i += k;
	}
	return o;
}

/* ---------------------------------------------------------------- loading */

void cc_tokenizer_free(cc_tokenizer *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_tok; i++)
		free(t->tok[i].text);
	free(t->tok);
	free(t->pool);
	free(t->vocab.slot);
	free(t->pairs);
	for (size_t i = 0; i < t->n_added; i++)
		free(t->added[i].content);
	free(t->added);
	for (size_t i = 0; i < t->n_steps; i++)
		pcre2_code_free(t->steps[i].re);
	free(t->steps);
	free(t->tmpl);
	free(t->cache);
	pthread_mutex_destroy(&t->cache_lock);
	free(t);
}

static int compile_re(pcre2_code **out, const char *pat, size_t len, int literal)
{
	int err;
	PCRE2_SIZE off;
	uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK;
	if (literal)
		opts = PCRE2_LITERAL | PCRE2_UTF | PCRE2_NO_UTF_CHECK;
	if (!cc_utf8_valid(pat, len))
		return cc_error_set(CC_EPARSE, "tokenizer.json: split pattern is not valid UTF-8");
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, len, opts, &err, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof(msg));
		return cc_error_set(CC_EUNSUPPORTED,
		                    "tokenizer.json: split regex does not compile at offset %zu: %s",
		                    (size_t)off, (const char *)msg);
	}
	*out = re;
	return CC_OK;
}

static int add_step(cc_tokenizer *t, pretok_step s)
{
	if (s.type == PT_BYTELEVEL && !s.re && !s.add_prefix_space)
		return CC_OK; /* splits nothing: only maps bytes, which the model does anyway */
	/* JIT is best effort: the interpreter otherwise */
	if (s.re)
		s.jit = pcre2_jit_compile(s.re, PCRE2_JIT_COMPLETE) == 0;
	pretok_step *n = realloc(t->steps, (t->n_steps + 1) * sizeof(*n));
	if (!n) {
		pcre2_code_free(s.re);
		return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
	}
	t->steps = n;
	t->steps[t->n_steps++] = s;
	return CC_OK;
}

static int load_pretok(cc_tokenizer *t, json_t *pt, int depth)
{
	if (!pt || json_is_null(pt))
		return CC_OK;
	const char *type = json_string_value(json_object_get(pt, "type"));
	if (!type || depth > 8)
		return cc_error_set(CC_EPARSE, "tokenizer.json: pre_tokenizer without a type");
	if (!strcmp(type, "Sequence")) {
		json_t *arr = json_object_get(pt, "pretokenizers"), *v;
		size_t i;
		if (!json_is_array(arr))
			return cc_error_set(CC_EPARSE, "tokenizer.json: Sequence without pretokenizers");
		json_array_foreach(arr, i, v)
		{
			int rc = load_pretok(t, v, depth + 1);
			if (rc)
				return rc;
		}
		return CC_OK;
	}
	pretok_step s = {0};
	int rc;
	if (!strcmp(type, "ByteLevel")) {
		s.type = PT_BYTELEVEL;
		s.add_prefix_space = json_is_true(json_object_get(pt, "add_prefix_space"));
		json_t *ur = json_object_get(pt, "use_regex");
		if (!ur || json_is_true(ur)) {
			if ((rc = compile_re(&s.re, GPT2_PATTERN, strlen(GPT2_PATTERN), 0)))
				return rc;
			s.fast = cc_tok_fast_kind(GPT2_PATTERN, strlen(GPT2_PATTERN));
			s.behavior = SB_ISOLATED;
		}
		return add_step(t, s);
	}
	if (!strcmp(type, "Split")) {
		s.type = PT_SPLIT;
		json_t *pat = json_object_get(pt, "pattern");
		json_t *re = json_object_get(pat, "Regex"), *str = json_object_get(pat, "String");
		const char *beh = json_string_value(json_object_get(pt, "behavior"));
		if (!beh)
			return cc_error_set(CC_EPARSE, "tokenizer.json: Split without behavior");
		if (!strcmp(beh, "Removed"))
			s.behavior = SB_REMOVED;
		else if (!strcmp(beh, "Isolated"))
			s.behavior = SB_ISOLATED;
		else if (!strcmp(beh, "MergedWithPrevious"))
			s.behavior = SB_MERGED_PREV;
		else if (!strcmp(beh, "MergedWithNext"))
			s.behavior = SB_MERGED_NEXT;
		else if (!strcmp(beh, "Contiguous"))
			s.behavior = SB_CONTIGUOUS;
		else
			return cc_error_set(CC_EUNSUPPORTED, "tokenizer.json: Split behavior '%s'", beh);
		s.invert = json_is_true(json_object_get(pt, "invert"));
		if (json_is_string(re)) {
			rc = compile_re(&s.re, json_string_value(re), json_string_length(re), 0);
			s.fast = cc_tok_fast_kind(json_string_value(re), json_string_length(re));
		} else if (json_is_string(str))
			rc = compile_re(&s.re, json_string_value(str), json_string_length(str), 1);
		else
			return cc_error_set(CC_EPARSE, "tokenizer.json: Split pattern is neither Regex nor String");
		if (rc)
			return rc;
		return add_step(t, s);
	}
	if (!strcmp(type, "Digits")) {
		s.type = PT_SPLIT;
		s.behavior = json_is_true(json_object_get(pt, "individual_digits")) ? SB_ISOLATED
		                                                                    : SB_CONTIGUOUS;
		if ((rc = compile_re(&s.re, "\\p{N}", 5, 0)))
			return rc;
		return add_step(t, s);
	}
	return cc_error_set(CC_EUNSUPPORTED, "tokenizer.json: pre_tokenizer type '%s'", type);
}

static int load_normalizer(cc_tokenizer *t, json_t *nm, int depth)
{
	if (!nm || json_is_null(nm))
		return CC_OK;
	const char *type = json_string_value(json_object_get(nm, "type"));
	if (!type || depth > 8)
		return cc_error_set(CC_EPARSE, "tokenizer.json: normalizer without a type");
	if (!strcmp(type, "NFC")) {
		t->nfc = 1;
		return CC_OK;
	}
	if (!strcmp(type, "Sequence")) {
		json_t *arr = json_object_get(nm, "normalizers"), *v;
		size_t i;
		json_array_foreach(arr, i, v)
		{
			int rc = load_normalizer(t, v, depth + 1);
			if (rc)
				return rc;
		}
		return CC_OK;
	}
	return cc_error_set(CC_EUNSUPPORTED, "tokenizer.json: normalizer type '%s'", type);
}

static int load_decoder(json_t *d, int depth)
{
	if (!d || json_is_null(d))
		return CC_OK;
	const char *type = json_string_value(json_object_get(d, "type"));
	if (!type || depth > 8)
		return cc_error_set(CC_EPARSE, "tokenizer.json: decoder without a type");
	if (!strcmp(type, "ByteLevel"))
		return CC_OK;
	if (!strcmp(type, "Sequence")) {
		json_t *arr = json_object_get(d, "decoders"), *v;
		size_t i;
		json_array_foreach(arr, i, v)
		{
			int rc = load_decoder(v, depth + 1);
			if (rc)
				return rc;
		}
		return CC_OK;
	}
	return cc_error_set(CC_EUNSUPPORTED, "tokenizer.json: decoder type '%s'", type);
}

static int tmpl_push(cc_tokenizer *t, int32_t id)
{
	int32_t *n = realloc(t->tmpl, (t->n_tmpl + 1) * sizeof(*n));
	if (!n)
		return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
	t->tmpl = n;
	t->tmpl[t->n_tmpl++] = id;
	return CC_OK;
}

static int load_postproc(cc_tokenizer *t, json_t *pp, int depth, int *have_seq)
{
	if (!pp || json_is_null(pp))
		return CC_OK;
	const char *type = json_string_value(json_object_get(pp, "type"));
	int rc;
	if (!type || depth > 8)
		return cc_error_set(CC_EPARSE, "tokenizer.json: post_processor without a type");
	if (!strcmp(type, "ByteLevel"))
		return CC_OK;
	if (!strcmp(type, "Sequence")) {
		json_t *arr = json_object_get(pp, "processors"), *v;
		size_t i;
		json_array_foreach(arr, i, v)
		{
			if ((rc = load_postproc(t, v, depth + 1, have_seq)))
				return rc;
		}
		return CC_OK;
	}
	if (*have_seq)
		return cc_error_set(CC_EUNSUPPORTED, "tokenizer.json: two template post-processors");
	if (!strcmp(type, "TemplateProcessing")) {
		json_t *single = json_object_get(pp, "single"), *sp = json_object_get(pp, "special_tokens");
		json_t *item;
		size_t i;
		if (!json_is_array(single))
			return cc_error_set(CC_EPARSE, "tokenizer.json: TemplateProcessing without 'single'");
		json_array_foreach(single, i, item)
		{
			json_t *st = json_object_get(item, "SpecialToken");
			if (json_object_get(item, "Sequence")) {
				if ((rc = tmpl_push(t, -1)))
					return rc;
				*have_seq = 1;
				continue;
			}
			const char *name = json_string_value(json_object_get(st, "id"));
			json_t *ids = json_object_get(json_object_get(sp, name ? name : ""), "ids"), *idv;
			size_t j;
			if (!name || !json_is_array(ids))
				return cc_error_set(CC_EPARSE, "tokenizer.json: template special token '%s' undefined",
				                    name ? name : "?");
			json_array_foreach(ids, j, idv)
			{
				if (!json_is_integer(idv) || json_integer_value(idv) < 0 ||
				    json_integer_value(idv) >= (1 << 24))
					return cc_error_set(CC_EPARSE, "tokenizer.json: template token '%s' has a bad id", name);
				if ((rc = tmpl_push(t, (int32_t)json_integer_value(idv))))
					return rc;
			}
		}
		if (!*have_seq)
			return cc_error_set(CC_EPARSE, "tokenizer.json: template without the sequence $A");
		return CC_OK;
	}
	if (!strcmp(type, "RobertaProcessing") || !strcmp(type, "BertProcessing")) {
		json_t *cls = json_object_get(pp, "cls"), *sep = json_object_get(pp, "sep");
		if (!json_is_array(cls) || !json_is_array(sep) ||
		    json_integer_value(json_array_get(cls, 1)) < 0 ||
		    json_integer_value(json_array_get(sep, 1)) < 0)
			return cc_error_set(CC_EPARSE, "tokenizer.json: %s without valid cls/sep", type);
		if ((rc = tmpl_push(t, (int32_t)json_integer_value(json_array_get(cls, 1)))) ||
		    (rc = tmpl_push(t, -1)) ||
		    (rc = tmpl_push(t, (int32_t)json_integer_value(json_array_get(sep, 1)))))
			return rc;
		*have_seq = 1;
		return CC_OK;
	}
	return cc_error_set(CC_EUNSUPPORTED, "tokenizer.json: post_processor type '%s'", type);
}

static int cmp_added(const void *a, const void *b)
{
	const added_token *x = a, *y = b;
	if (x->len != y->len)
		return x->len > y->len ? -1 : 1; /* longest first */
	return x->id < y->id ? -1 : x->id > y->id;
}

static int ensure_tok(cc_tokenizer *t, size_t id, size_t *cap)
{
	if (id < t->n_tok)
		return CC_OK;
	if (id >= ((size_t)1 << 24)) /* real vocabularies have < 1M entries */
		return cc_error_set(CC_EPARSE, "tokenizer.json: token id %zu out of range", id);
	if (id >= *cap) {
		size_t nc = *cap ? *cap : 1024;
		while (nc <= id)
			nc *= 2;
		token_info *n = realloc(t->tok, nc * sizeof(*n));
		if (!n)
			return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
		t->tok = n;
		*cap = nc;
	}
	memset(t->tok + t->n_tok, 0, (id + 1 - t->n_tok) * sizeof(*t->tok));
	t->n_tok = id + 1;
	return CC_OK;
}

static int load_model(cc_tokenizer *t, json_t *root)
{
	json_t *model = json_object_get(root, "model");
	json_t *vocab = json_object_get(model, "vocab"), *merges = json_object_get(model, "merges");
	json_t *added = json_object_get(root, "added_tokens");
	const char *type = json_string_value(json_object_get(model, "type"));
	int16_t byte_of_cp[324];
	uint32_t cp_of_byte[256];
	size_t cap = 0, pool_len = 0, pool_used = 0;
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(model))
		return cc_error_set(CC_EPARSE, "tokenizer.json: no model");
	if (type && strcmp(type, "BPE") != 0)
		return cc_error_set(CC_EUNSUPPORTED, "tokenizer.json: model type '%s' (only BPE)", type);
	if (!json_is_object(vocab) || !json_is_array(merges))
		return cc_error_set(CC_EPARSE, "tokenizer.json: BPE model without vocab or merges");
	if (json_is_true(json_object_get(model, "byte_fallback")))
		return cc_error_set(CC_EUNSUPPORTED, "tokenizer.json: BPE byte_fallback");
	const char *cont = json_string_value(json_object_get(model, "continuing_subword_prefix"));
	const char *suf = json_string_value(json_object_get(model, "end_of_word_suffix"));
	if ((cont && *cont) || (suf && *suf))
		return cc_error_set(CC_EUNSUPPORTED,
		                    "tokenizer.json: BPE continuing_subword_prefix / end_of_word_suffix");
	t->ignore_merges = json_is_true(json_object_get(model, "ignore_merges"));

	byte_unicode_table(cp_of_byte);
	for (int i = 0; i < 324; i++)
		byte_of_cp[i] = -1;
	for (int b = 0; b < 256; b++) {
		byte_of_cp[cp_of_byte[b]] = (int16_t)b;
		uint32_t cp = cp_of_byte[b];
		char *u = t->unicode_of_byte[b];
		if (cp < 0x80) {
			u[0] = (char)cp;
			t->unicode_of_byte_len[b] = 1;
		} else {
			u[0] = (char)(0xC0 | (cp >> 6));
			u[1] = (char)(0x80 | (cp & 0x3F));
			t->unicode_of_byte_len[b] = 2;
		}
	}

	json_object_foreach(vocab, key, v)
	{
		pool_len += strlen(key);
	}
	size_t i;
	json_array_foreach(added, i, v)
	{
		const char *c = json_string_value(json_object_get(v, "content"));
		pool_len += c ? strlen(c) : 0;
	}
	t->pool = malloc(pool_len + 1);
	if (!t->pool)
		return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");

	json_object_foreach(vocab, key, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return cc_error_set(CC_EPARSE, "tokenizer.json: vocab entry '%s' has no valid id", key);
		size_t id = (size_t)json_integer_value(v), kl = strlen(key);
		if ((rc = ensure_tok(t, id, &cap)))
			return rc;
		token_info *ti = &t->tok[id];
		if (ti->text)
			return cc_error_set(CC_EPARSE, "tokenizer.json: id %zu used twice in vocab", id);
		ti->text = strdup(key);
		if (!ti->text)
			return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
		ti->bytes = t->pool + pool_used;
		ti->len = (uint32_t)bytelevel_decode(byte_of_cp, key, kl, t->pool + pool_used);
		pool_used += ti->len;
		ti->in_model = 1;
	}
	/* Added token ids follow the crate's AddedVocabulary::add_tokens, not the "id" written in
	 * the file: a content already in the model vocab takes that id, a new one the next id
	 * after the model vocab / the last added id. Consistent files give the same ids. */
	size_t model_size = json_object_size(vocab);
	long long max_added = -1;
	json_array_foreach(added, i, v)
	{
		const char *c = json_string_value(json_object_get(v, "content"));
		if (!c)
			return cc_error_set(CC_EPARSE, "tokenizer.json: added_tokens[%zu] lacks content", i);
		json_t *in_vocab = json_object_get(vocab, c);
		size_t id;
		if (in_vocab)
			id = (size_t)json_integer_value(in_vocab);
		else if (max_added >= 0 && ((size_t)max_added >= model_size || model_size == 0))
			id = (size_t)max_added + 1;
		else
			id = model_size;
		if ((long long)id > max_added)
			max_added = (long long)id;
		json_object_set_new(v, "id", json_integer((json_int_t)id));
		if ((rc = ensure_tok(t, id, &cap)))
			return rc;
		token_info *ti = &t->tok[id];
		ti->added = 1;
		ti->special = json_is_true(json_object_get(v, "special"));
		if (!ti->text) {
			ti->text = strdup(c);
			if (!ti->text)
				return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
			ti->bytes = t->pool + pool_used;
			ti->len = (uint32_t)bytelevel_decode(byte_of_cp, c, strlen(c), t->pool + pool_used);
			pool_used += ti->len;
		}
	}

	/* vocabulary hash: raw bytes -> model id (first id wins on a collision) */
	t->vocab.cap = 16;
	while (t->vocab.cap < t->n_tok * 2 + 16)
		t->vocab.cap *= 2;
	t->vocab.slot = malloc(t->vocab.cap * sizeof(int32_t));
	if (!t->vocab.slot)
		return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
	memset(t->vocab.slot, 0xff, t->vocab.cap * sizeof(int32_t));
	for (size_t id = 0; id < t->n_tok; id++) {
		if (!t->tok[id].in_model)
			continue;
		uint32_t s = strmap_find(t, t->tok[id].bytes, t->tok[id].len);
		if (t->vocab.slot[s] < 0)
			t->vocab.slot[s] = (int32_t)id;
	}
	for (int b = 0; b < 256; b++) {
		char c = (char)b;
		t->byte_id[b] = vocab_get(t, &c, 1);
	}

	/* merges: (left id, right id) -> (rank, merged id) */
	size_t nm = json_array_size(merges);
	t->pair_cap = 16;
	while (t->pair_cap < nm * 2 + 16)
		t->pair_cap *= 2;
	t->pairs = malloc(t->pair_cap * sizeof(pairslot));
	if (!t->pairs)
		return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
	for (uint32_t k = 0; k < t->pair_cap; k++)
		t->pairs[k].key = UINT64_MAX;
	json_array_foreach(merges, i, v)
	{
		const char *a, *b;
		char buf[512];
		size_t la, lb;
		if (json_is_string(v)) {
			const char *s = json_string_value(v), *sp = strchr(s, ' ');
			if (!sp || strchr(sp + 1, ' '))
				return cc_error_set(CC_EPARSE, "tokenizer.json: merges[%zu] '%s' is not 'a b'", i, s);
			la = (size_t)(sp - s);
			if (la >= sizeof(buf))
				return cc_error_set(CC_EPARSE, "tokenizer.json: merges[%zu] too long", i);
			memcpy(buf, s, la);
			buf[la] = 0;
			a = buf;
			b = sp + 1;
			lb = strlen(b);
		} else if (json_is_array(v) && json_array_size(v) == 2 &&
		           json_is_string(json_array_get(v, 0)) && json_is_string(json_array_get(v, 1))) {
			a = json_string_value(json_array_get(v, 0));
			b = json_string_value(json_array_get(v, 1));
			la = strlen(a);
			lb = strlen(b);
		} else {
			return cc_error_set(CC_EPARSE, "tokenizer.json: merges[%zu] is neither 'a b' nor [a, b]", i);
		}
		json_t *ia = json_object_getn(vocab, a, la), *ib = json_object_getn(vocab, b, lb);
		char *ab = malloc(la + lb + 1);
		if (!ab)
			return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
		memcpy(ab, a, la);
		memcpy(ab + la, b, lb);
		ab[la + lb] = 0;
		json_t *iab = json_object_getn(vocab, ab, la + lb);
		free(ab);
		if (!ia || !ib || !iab)
			return cc_error_set(CC_EPARSE, "tokenizer.json: merges[%zu] uses a token not in the vocab", i);
		uint64_t k = ((uint64_t)(uint32_t)json_integer_value(ia) << 32) |
		             (uint32_t)json_integer_value(ib);
		uint32_t mask = t->pair_cap - 1, s = (uint32_t)pair_hash(k) & mask;
		while (t->pairs[s].key != UINT64_MAX && t->pairs[s].key != k)
			s = (s + 1) & mask;
		if (t->pairs[s].key == k)
			continue; /* duplicate merge: the first (lowest rank) wins */
		t->pairs[s].key = k;
		t->pairs[s].rank = (int32_t)i;
		t->pairs[s].id = (int32_t)json_integer_value(iab);
	}

	/* added tokens, split out of the text before everything else */
	t->n_added = json_array_size(added);
	if (t->n_added) {
		t->added = calloc(t->n_added, sizeof(*t->added));
		if (!t->added)
			return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
	}
	size_t na = 0;
	json_array_foreach(added, i, v)
	{
		const char *c = json_string_value(json_object_get(v, "content"));
		if (!*c)
			continue;
		added_token *a = &t->added[na++];
		a->content = strdup(c);
		if (!a->content)
			return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
		a->len = (uint32_t)strlen(c);
		a->id = (int32_t)json_integer_value(json_object_get(v, "id"));
		a->lstrip = json_is_true(json_object_get(v, "lstrip"));
		a->rstrip = json_is_true(json_object_get(v, "rstrip"));
		a->special = json_is_true(json_object_get(v, "special"));
		t->added_first[(unsigned char)c[0]] = 1;
	}
	t->n_added = na;
	if (t->n_added > 1) /* qsort with a NULL base is undefined, even for 0 items */
		qsort(t->added, t->n_added, sizeof(*t->added), cmp_added);
	return CC_OK;
}

int cc_tokenizer_load_json(cc_tokenizer **out, const char *json, size_t len)
{
	json_error_t jerr;
	json_t *root = NULL;
	cc_tokenizer *t = NULL;
	int rc, have_seq = 0;

	*out = NULL;
	root = json_loadb(json, len, 0, &jerr);
	if (!root) {
		rc = cc_error_set(CC_EPARSE, "tokenizer.json: line %d: %s", jerr.line, jerr.text);
		goto out;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		rc = cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
		goto out;
	}
	pthread_mutex_init(&t->cache_lock, NULL);
	if ((rc = load_model(t, root)) || (rc = load_normalizer(t, json_object_get(root, "normalizer"), 0)) ||
	    (rc = load_pretok(t, json_object_get(root, "pre_tokenizer"), 0)) ||
	    (rc = load_decoder(json_object_get(root, "decoder"), 0)) ||
	    (rc = load_postproc(t, json_object_get(root, "post_processor"), 0, &have_seq)))
		goto out;
	for (size_t i = 0; i < t->n_tmpl; i++)
		if (t->tmpl[i] < -1 || (t->tmpl[i] >= 0 && (size_t)t->tmpl[i] >= t->n_tok)) {
			rc = cc_error_set(CC_EPARSE, "tokenizer.json: post_processor id %d is not in the vocabulary",
			                  (int)t->tmpl[i]);
			goto out;
		}
	t->cache = aligned_alloc(64, CACHE_SLOTS * sizeof(cache_entry));
	if (t->cache)
		memset(t->cache, 0, CACHE_SLOTS * sizeof(cache_entry));
	if (!t->cache) {
		rc = cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
		goto out;
	}
	*out = t;
	t = NULL;
	rc = CC_OK;
out:
	cc_tokenizer_free(t);
	json_decref(root);
	return rc;
}

int cc_tokenizer_load(cc_tokenizer **out, const char *path)
{
	char *buf = NULL, *file = NULL;
	size_t len;
	int rc;
	size_t pl;

	*out = NULL;
	if (!path)
		return cc_error_set(CC_EINVAL, "tokenizer: no path");
	pl = strlen(path);
	file = malloc(pl + 20);
	if (!file)
		return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
	if (pl >= 5 && !strcmp(path + pl - 5, ".json"))
		memcpy(file, path, pl + 1);
	else
		snprintf(file, pl + 20, "%s/tokenizer.json", path);
	rc = cc_read_file(&buf, &len, file, (size_t)1 << 30);
	if (rc) {
		if (rc == CC_ENOTFOUND)
			cc_error_set(rc, "tokenizer: %s not found", file);
		goto out;
	}
	rc = cc_tokenizer_load_json(out, buf, len);
	if (rc) {
		char msg[900];
		snprintf(msg, sizeof(msg), "%s", cc_error_last());
		cc_error_set(rc, "%s: %s", file, msg);
	}
out:
	free(buf);
	free(file);
	return rc;
}

/* ---------------------------------------------------------------- accessors */

size_t cc_tokenizer_vocab_size(const cc_tokenizer *t)
{
	return t ? t->n_tok : 0;
}

int cc_tokenizer_check_model_vocab(const cc_tokenizer *t, size_t model_vocab)
{
	size_t first = SIZE_MAX, n_out = 0;
	if (!t)
		return cc_error_set(CC_EINVAL, "no tokenizer");
	for (size_t id = model_vocab; id < t->n_tok; id++)
		if (t->tok[id].text) {
			if (first == SIZE_MAX)
				first = id;
			n_out++;
		}
	char more[64] = "";
	if (!n_out)
		return CC_OK;
	if (n_out > 1)
		snprintf(more, sizeof(more), "; %zu tokens are outside in all", n_out);
	return cc_error_set(CC_EINVAL,
	                    "the tokenizer's %stoken '%s' has id %zu, outside the "
	                    "model's vocabulary of %zu ids (config.json vocab_size)%s",
	                    t->tok[first].added ? "added " : "", t->tok[first].text, first,
	                    model_vocab, more);
}

int32_t cc_tokenizer_token_id(const cc_tokenizer *t, const char *token)
{
	if (!t || !token)
		return -1;
	for (size_t i = 0; i < t->n_added; i++)
		if (!strcmp(t->added[i].content, token))
			return t->added[i].id;
	for (size_t id = 0; id < t->n_tok; id++)
		if (t->tok[id].text && !strcmp(t->tok[id].text, token))
			return (int32_t)id;
	return -1;
}

const char *cc_tokenizer_token_bytes(const cc_tokenizer *t, int32_t id, size_t *len)
{
	if (!t || id < 0 || (size_t)id >= t->n_tok || !t->tok[id].text) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = t->tok[id].len;
	return t->tok[id].bytes;
}

int cc_tokenizer_is_special(const cc_tokenizer *t, int32_t id)
{
	return t && id >= 0 && (size_t)id < t->n_tok && t->tok[id].special;
}

int32_t cc_tokenizer_special_id(const cc_tokenizer *t, const char *role)
{
	static const char *bos[] = {"<|begin_of_text|>", "<s>", "<|endoftext|>", NULL};
	static const char *eos[] = {"<|end_of_text|>", "<|im_end|>", "</s>", "<|endoftext|>", NULL};
	static const char *pad[] = {"<|pad|>", "<pad>", "<|endoftext|>", NULL};
	const char **names = NULL;
	if (!t || !role)
		return -1;
	if (!strcmp(role, "bos"))
		names = bos;
	else if (!strcmp(role, "eos"))
		names = eos;
	else if (!strcmp(role, "pad"))
		names = pad;
	else
		return -1;
	for (; *names; names++)
		for (size_t i = 0; i < t->n_added; i++)
			if (!strcmp(t->added[i].content, *names))
				return t->added[i].id;
	return -1;
}

/* ---------------------------------------------------------------- encoding */

typedef struct {
	int32_t *ids;
	cc_token_span *off;
	size_t n, cap;
} outbuf;

static int out_push(outbuf *o, int32_t id, uint32_t s, uint32_t e)
{
	if (o->n == o->cap) {
		size_t nc = o->cap ? o->cap * 2 : 256;
		int32_t *ni = realloc(o->ids, nc * sizeof(*ni));
		if (!ni)
			return CC_ENOMEM;
		o->ids = ni;
		cc_token_span *no = realloc(o->off, nc * sizeof(*no));
		if (!no)
			return CC_ENOMEM;
		o->off = no;
		o->cap = nc;
	}
	o->ids[o->n] = id;
	o->off[o->n].start = s;
	o->off[o->n].end = e;
	o->n++;
	return CC_OK;
}

/* A piece of the (normalized) segment: [start, end), with a virtual leading space. */
typedef struct {
	uint32_t start, end;
	uint8_t prefix;
} piece;

typedef struct {
	piece *p;
	size_t n, cap;
} piecelist;

static int pl_push(piecelist *l, uint32_t s, uint32_t e, uint8_t prefix)
{
	if (s == e && !prefix)
		return CC_OK;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		piece *np = realloc(l->p, nc * sizeof(*np));
		if (!np)
			return CC_ENOMEM;
		l->p = np;
		l->cap = nc;
	}
	l->p[l->n].start = s;
	l->p[l->n].end = e;
	l->p[l->n].prefix = prefix;
	l->n++;
	return CC_OK;
}

/* Scratch shared by the steps of one encode call. */
typedef struct {
	int no_fast; /* always ask PCRE2 (the differential test's reference) */
	pcre2_match_data *md;
	char *buf; /* piece text with its virtual space */
	size_t buf_cap;
	/* (start, end, is_match) of the current split */
	uint32_t (*m)[3];
	size_t m_n, m_cap;
	/* BPE work arrays */
	struct sym {
		int32_t id;
		int32_t prev, next;
		uint32_t start, len;
	} * sym;
	size_t sym_cap;
	struct hnode {
		int32_t rank, pos, id;
	} * heap;
	size_t heap_cap;
} scratch;

/* " " + src[0..n) in the scratch buffer (the virtual prefix space of add_prefix_space); NULL
 * when it cannot grow. */
static const char *with_prefix_space(scratch *sc, const char *src, size_t n)
{
	if (n + 1 > sc->buf_cap) {
		char *nb = realloc(sc->buf, (n + 1) * 2);
		if (!nb)
			return NULL;
		sc->buf = nb;
		sc->buf_cap = (n + 1) * 2;
	}
	sc->buf[0] = ' ';
	memcpy(sc->buf + 1, src, n);
	return sc->buf;
}


static int m_push(scratch *sc, uint32_t s, uint32_t e, uint32_t is_match)
{
	if (s == e)
		return CC_OK;
	if (sc->m_n == sc->m_cap) {
		size_t nc = sc->m_cap ? sc->m_cap * 2 : 64;
		void *nm = realloc(sc->m, nc * sizeof(*sc->m));
		if (!nm)
			return CC_ENOMEM;
		sc->m = nm;
		sc->m_cap = nc;
	}
	sc->m[sc->m_n][0] = s;
	sc->m[sc->m_n][1] = e;
	sc->m[sc->m_n][2] = is_match;
	sc->m_n++;
	return CC_OK;
}

/* Apply one split step to piece pc of text seg (normalized segment), appending the result
 * to dst. Offsets inside the piece's own buffer (virtual space at 0 when prefix). */
/* Where the last step's pieces go when they are encoded as found (see split_piece). */
typedef struct {
	const cc_tokenizer *t;
	uint32_t base;
	const uint32_t (*align)[2];
	outbuf *o;
} emitter;

static int encode_piece(const cc_tokenizer *t, const char *seg, piece pc, uint32_t base,
                        const uint32_t (*align)[2], scratch *sc, outbuf *o);

/* Range [s, e) of the split subject (which holds the virtual space at 0 when prefix) as a
 * piece of the segment. */
static inline piece sub_piece(piece pc, int prefix, uint32_t s, uint32_t e)
{
	if (!prefix)
		return (piece){pc.start + s, pc.start + e, 0};
	if (s == 0)
		return (piece){pc.start, pc.start + e - 1, 1};
	return (piece){pc.start + s - 1, pc.start + e - 1, 0};
}

/* Isolated, not inverted, last step: every gap and match is a piece, encoded at once. */
static int emit_range(const emitter *em, const char *seg, piece pc, int prefix, uint32_t s,
                      uint32_t e, scratch *sc)
{
	if (s >= e)
		return CC_OK;
	return encode_piece(em->t, seg, sub_piece(pc, prefix, s, e), em->base, em->align, sc, em->o);
}

static int split_piece(const pretok_step *st, const char *seg, piece pc, piecelist *dst, scratch *sc,
                       const emitter *em)
{
	const char *subj;
	size_t slen = pc.end - pc.start + pc.prefix;
	int prefix = pc.prefix;

	if (st->type == PT_BYTELEVEL && st->add_prefix_space && !prefix &&
	    (pc.end == pc.start || seg[pc.start] != ' '))
		prefix = 1, slen++;
	if (!st->re) {
		piece q = {pc.start, pc.end, (uint8_t)prefix};
		return em ? encode_piece(em->t, seg, q, em->base, em->align, sc, em->o)
		          : pl_push(dst, pc.start, pc.end, (uint8_t)prefix);
	}
	if (prefix) {
		if (!(subj = with_prefix_space(sc, seg + pc.start, slen - 1)))
			return CC_ENOMEM;
	} else {
		subj = seg + pc.start;
	}

	/* cover the subject with (range, is_match); empty matches are skipped like the crate */
	const int stream = em && st->behavior == SB_ISOLATED && !st->invert;
	sc->m_n = 0;
	size_t pos = 0, gap = 0;
	while (pos < slen) {
		size_t ms = pos;
		size_t me = st->fast && !sc->no_fast
		                    ? cc_tok_fast_match(st->fast, (const unsigned char *)subj, slen, pos)
		                    : 0;
		if (me <= pos) {
			int r = st->jit ? pcre2_jit_match(st->re, (PCRE2_SPTR)subj, slen, pos, 0, sc->md, NULL)
			                : pcre2_match(st->re, (PCRE2_SPTR)subj, slen, pos, PCRE2_NO_UTF_CHECK,
			                              sc->md, NULL);
			if (r == PCRE2_ERROR_NOMATCH)
				break;
			if (r < 0) { /* match or stack limit, ...: the split would silently stop */
				PCRE2_UCHAR msg[256];
				pcre2_get_error_message(r, msg, sizeof(msg));
				return cc_error_set(CC_EINVAL,
				                    "tokenizer: the pre-tokenizer regex failed at "
				                    "byte %zu of a %zu-byte piece: %s",
				                    pos, slen, (char *)msg);
			}
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
			ms = ov[0];
			me = ov[1];
		}
		if (me <= ms) {
			uint32_t cp;
			size_t k = ms < slen ? cc_utf8_char((const unsigned char *)subj + ms, slen - ms, &cp) : 1;
			pos = ms + (k ? k : 1);
			continue;
		}
		if (stream) {
			int rc;
			if ((rc = emit_range(em, seg, pc, prefix, (uint32_t)gap, (uint32_t)ms, sc)) ||
			    (rc = emit_range(em, seg, pc, prefix, (uint32_t)ms, (uint32_t)me, sc)))
				return rc;
		} else if (m_push(sc, (uint32_t)gap, (uint32_t)ms, 0) ||
		           m_push(sc, (uint32_t)ms, (uint32_t)me, 1)) {
			return CC_ENOMEM;
		}
		gap = pos = me;
	}
	if (stream)
		return emit_range(em, seg, pc, prefix, (uint32_t)gap, (uint32_t)slen, sc);
	if (m_push(sc, (uint32_t)gap, (uint32_t)slen, 0))
		return CC_ENOMEM;
	if (st->invert)
		for (size_t i = 0; i < sc->m_n; i++)
			sc->m[i][2] = !sc->m[i][2];

	/* behaviour: fold into output ranges (the crate's SplitDelimiterBehavior) */
	size_t w = 0;
	uint32_t(*m)[3] = sc->m;
	size_t n = sc->m_n;
	switch (st->behavior) {
	case SB_ISOLATED:
		w = n;
		break;
	case SB_REMOVED:
		for (size_t i = 0; i < n; i++)
			if (!m[i][2]) {
				m[w][0] = m[i][0];
				m[w][1] = m[i][1];
				w++;
			}
		break;
	case SB_MERGED_PREV: {
		int prev = 0;
		for (size_t i = 0; i < n; i++) {
			int is = (int)m[i][2];
			if (is && !prev && w > 0)
				m[w - 1][1] = m[i][1];
			else {
				m[w][0] = m[i][0];
				m[w][1] = m[i][1];
				w++;
			}
			prev = is;
		}
		break;
	}
	case SB_MERGED_NEXT: {
		/* fold from the right, then the ranges come out reversed in place */
		int prev = 0;
		size_t wr = n; /* write from the end */
		for (size_t ii = n; ii-- > 0;) {
			int is = (int)m[ii][2];
			if (is && !prev && wr < n)
				m[wr][0] = m[ii][0];
			else {
				wr--;
				m[wr][0] = m[ii][0];
				m[wr][1] = m[ii][1];
			}
			prev = is;
		}
		for (size_t i = wr; i < n; i++) {
			m[w][0] = m[i][0];
			m[w][1] = m[i][1];
			w++;
		}
		break;
	}
	case SB_CONTIGUOUS: {
		int prev = 0;
		for (size_t i = 0; i < n; i++) {
			int is = (int)m[i][2];
			if (is == prev && w > 0)
				m[w - 1][1] = m[i][1];
			else {
				m[w][0] = m[i][0];
				m[w][1] = m[i][1];
				w++;
			}
			prev = is;
		}
		break;
	}
	}
	for (size_t i = 0; i < w; i++) {
		piece q = sub_piece(pc, prefix, m[i][0], m[i][1]);
		int rc = em ? (q.start < q.end || q.prefix ? encode_piece(em->t, seg, q, em->base, em->align, sc, em->o) : CC_OK)
		            : pl_push(dst, q.start, q.end, q.prefix);
		if (rc)
			return rc;
	}
	return CC_OK;
}

static int sym_reserve(scratch *sc, size_t n)
{
	if (n <= sc->sym_cap)
		return CC_OK;
	size_t nc = n * 2;
	void *a = realloc(sc->sym, nc * sizeof(*sc->sym));
	if (!a)
		return CC_ENOMEM;
	sc->sym = a;
	void *b = realloc(sc->heap, nc * 2 * sizeof(*sc->heap));
	if (!b)
		return CC_ENOMEM;
	sc->heap = b;
	sc->sym_cap = nc;
	sc->heap_cap = nc * 2;
	return CC_OK;
}

static inline int hless(const struct hnode *a, const struct hnode *b)
{
	return a->rank < b->rank || (a->rank == b->rank && a->pos < b->pos);
}

static void heap_push(struct hnode *h, size_t *n, struct hnode v)
{
	size_t i = (*n)++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!hless(&v, &h[p]))
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = v;
}

static struct hnode heap_pop(struct hnode *h, size_t *n)
{
	struct hnode top = h[0], last = h[--*n];
	size_t i = 0, m = *n;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= m)
			break;
		if (c + 1 < m && hless(&h[c + 1], &h[c]))
			c++;
		if (!hless(&h[c], &last))
			break;
		h[i] = h[c];
		i = c;
	}
	if (m)
		h[i] = last;
	return top;
}

/* BPE over the bytes w[0..n): results appended as (id, byte length) into ids/lens arrays of
 * the scratch symbols; returns the count via *nt (tokens in sc->sym[0..*nt) in order). */
static int bpe_word(const cc_tokenizer *t, const char *w, size_t n, scratch *sc, size_t *nt)
{
	int rc;
	if ((rc = sym_reserve(sc, n + 1)))
		return rc;
	struct sym *s = sc->sym;
	if (t->ignore_merges) {
		int32_t id = vocab_get(t, w, n);
		if (id >= 0) {
			s[0].id = id;
			s[0].start = 0;
			s[0].len = (uint32_t)n;
			*nt = 1;
			return CC_OK;
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int32_t id = t->byte_id[(unsigned char)w[i]];
		if (id < 0)
			continue; /* no unk token: the crate drops unknown characters */
		s[k].id = id;
		s[k].start = (uint32_t)i;
		s[k].len = 1;
		s[k].prev = (int32_t)k - 1;
		s[k].next = (int32_t)k + 1;
		k++;
	}
	if (k)
		s[k - 1].next = -1;
	size_t hn = 0;
	for (size_t i = 0; i + 1 < k; i++) {
		const pairslot *p = pair_get(t, s[i].id, s[i + 1].id);
		if (p)
			heap_push(sc->heap, &hn, (struct hnode){p->rank, (int32_t)i, p->id});
	}
	while (hn) {
		struct hnode h = heap_pop(sc->heap, &hn);
		struct sym *a = &s[h.pos];
		if (a->len == 0 || a->next < 0)
			continue;
		struct sym *b = &s[a->next];
		const pairslot *p = pair_get(t, a->id, b->id);
		if (!p || p->id != h.id || p->rank != h.rank)
			continue; /* stale entry */
		a->id = h.id;
		a->len += b->len;
		a->next = b->next;
		b->len = 0;
		if (a->next >= 0)
			s[a->next].prev = h.pos;
		if (a->prev >= 0) {
			const pairslot *q = pair_get(t, s[a->prev].id, a->id);
			if (q)
				heap_push(sc->heap, &hn, (struct hnode){q->rank, a->prev, q->id});
		}
		if (a->next >= 0) {
			const pairslot *q = pair_get(t, a->id, s[a->next].id);
			if (q)
				heap_push(sc->heap, &hn, (struct hnode){q->rank, h.pos, q->id});
		}
	}
	/* compact live symbols to the front in order (o <= i, so nothing unread is overwritten) */
	size_t o = 0;
	for (int32_t i = k ? 0 : -1; i >= 0;) {
		struct sym cur = s[i];
		s[o].id = cur.id;
		s[o].start = cur.start;
		s[o].len = cur.len;
		o++;
		i = cur.next;
	}
	*nt = o;
	return CC_OK;
}

/* Encode one piece: its bytes (with the virtual space) through the cache or BPE; token
 * offsets mapped back through the segment's base / alignment. */
static int encode_piece(const cc_tokenizer *t, const char *seg, piece pc, uint32_t base,
                        const uint32_t (*align)[2], scratch *sc, outbuf *o)
{
	size_t n = pc.end - pc.start + pc.prefix;
	const char *w;
	if (pc.prefix) {
		if (!(w = with_prefix_space(sc, seg + pc.start, n - 1)))
			return CC_ENOMEM;
	} else {
		w = seg + pc.start;
	}

	int32_t ids_local[CACHE_MAX_TOK];
	uint8_t lens_local[CACHE_MAX_TOK];
	size_t nt = 0;
	int hit = 0;
	cache_entry *ce = NULL;
	if (n <= CACHE_MAX_KEY) {
		ce = &((cache_entry *)t->cache)[hash_bytes(w, n) & (CACHE_SLOTS - 1)];
		pthread_mutex_lock((pthread_mutex_t *)&t->cache_lock);
		if (ce->klen == n && ce->ntok && memcmp(ce->key, w, n) == 0) {
			nt = ce->ntok;
			/* fixed-size copies: a variable length one becomes a slow `rep movs` */
			memcpy(ids_local, ce->ids, sizeof(ids_local));
			memcpy(lens_local, ce->lens, sizeof(lens_local));
			hit = 1;
		}
		pthread_mutex_unlock((pthread_mutex_t *)&t->cache_lock);
	}
	if (!hit) {
		int rc = bpe_word(t, w, n, sc, &nt);
		if (rc)
			return rc;
		if (ce && nt && nt <= CACHE_MAX_TOK) {
			int dense = 1;
			/* cacheable only when tokens tile the piece (no dropped bytes) */
			uint32_t at = 0;
			for (size_t i = 0; i < nt; i++) {
				if (sc->sym[i].start != at)
					dense = 0;
				at += sc->sym[i].len;
			}
			if (dense && at == n) {
				pthread_mutex_lock((pthread_mutex_t *)&t->cache_lock);
				ce->klen = (uint8_t)n;
				ce->ntok = (uint8_t)nt;
				memcpy(ce->key, w, n);
				for (size_t i = 0; i < nt; i++) {
					ce->ids[i] = sc->sym[i].id;
					ce->lens[i] = (uint8_t)sc->sym[i].len;
				}
				pthread_mutex_unlock((pthread_mutex_t *)&t->cache_lock);
			}
		}
		for (size_t i = 0; i < nt; i++) {
			uint32_t s = sc->sym[i].start, e = s + sc->sym[i].len;
			int rc2 = CC_OK;
			/* piece-relative -> segment-relative (drop the virtual space) */
			uint32_t ss = s > 0 || !pc.prefix ? pc.start + s - pc.prefix : pc.start;
			uint32_t se = pc.start + e - pc.prefix;
			if (se < ss)
				se = ss;
			if (align) {
				uint32_t os = ss < pc.end ? align[ss][0] : (ss > 0 ? align[ss - 1][1] : 0);
				uint32_t oe = ss < se ? align[se - 1][1] : os;
				rc2 = out_push(o, sc->sym[i].id, base + os, base + oe);
			} else {
				rc2 = out_push(o, sc->sym[i].id, base + ss, base + se);
			}
			if (rc2)
				return rc2;
		}
		return CC_OK;
	}
	uint32_t at = 0;
	for (size_t i = 0; i < nt; i++) {
		uint32_t s = at, e = at + lens_local[i];
		at = e;
		uint32_t ss = s > 0 || !pc.prefix ? pc.start + s - pc.prefix : pc.start;
		uint32_t se = pc.start + e - pc.prefix;
		if (se < ss)
			se = ss;
		int rc2;
		if (align) {
			uint32_t os = ss < pc.end ? align[ss][0] : (ss > 0 ? align[ss - 1][1] : 0);
			uint32_t oe = ss < se ? align[se - 1][1] : os;
			rc2 = out_push(o, ids_local[i], base + os, base + oe);
		} else {
			rc2 = out_push(o, ids_local[i], base + ss, base + se);
		}
		if (rc2)
			return rc2;
	}
	return CC_OK;
}

/* Encode a valid UTF-8 run text[0..len) found at input offset base. */
static int encode_run(const cc_tokenizer *t, const char *text, size_t len, uint32_t base,
                      scratch *sc, outbuf *o)
{
	char *norm = NULL;
	size_t nlen = len;
	uint32_t(*align)[2] = NULL;
	const char *seg = text;
	piecelist a = {0}, b = {0};
	int rc = CC_OK;

	if (t->nfc) {
		int r = cc_tok_nfc(text, len, &norm, &nlen, &align);
		if (r < 0) {
			rc = CC_ENOMEM;
			goto out;
		}
		if (r == 0)
			seg = norm;
	}
	if ((rc = pl_push(&a, 0, (uint32_t)nlen, 0)))
		goto out;
	/* every step but the last refines the whole list; the last one's pieces are encoded as
	 * they come, so the list stays small */
	for (size_t i = 0; i + 1 < t->n_steps; i++) {
		b.n = 0;
		for (size_t j = 0; j < a.n; j++)
			if ((rc = split_piece(&t->steps[i], seg, a.p[j], &b, sc, NULL)))
				goto out;
		piecelist tmp = a;
		a = b;
		b = tmp;
	}
	emitter em = {t, base, (const uint32_t(*)[2])align, o};
	for (size_t j = 0; j < a.n; j++) {
		if (t->n_steps)
			rc = split_piece(&t->steps[t->n_steps - 1], seg, a.p[j], NULL, sc, &em);
		else
			rc = encode_piece(t, seg, a.p[j], base, (const uint32_t(*)[2])align, sc, o);
		if (rc)
			goto out;
	}
out:
	free(a.p);
	free(b.p);
	free(norm);
	free(align);
	return rc;
}

/* Encode text without added tokens: valid UTF-8 runs through the pipeline, invalid bytes
 * each as their own piece (their byte's token). */
static int encode_plain(const cc_tokenizer *t, const char *text, size_t len, uint32_t base,
                        scratch *sc, outbuf *o)
{
	size_t i = 0, run = 0;
	int rc;
	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = cc_utf8_char((const unsigned char *)text + i, len - i, &cp);
		if (k) {
			i += k;
			continue;
		}
		if (i > run && (rc = encode_run(t, text + run, i - run, base + (uint32_t)run, sc, o)))
			return rc;
		int32_t id = t->byte_id[c];
		if (id >= 0 && (rc = out_push(o, id, base + (uint32_t)i, base + (uint32_t)i + 1)))
			return rc;
		i++;
		run = i;
	}
	if (len > run)
		return encode_run(t, text + run, len - run, base + (uint32_t)run, sc, o);
	return CC_OK;
}

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int cc_tokenizer_encode_ex(const cc_tokenizer *t, const char *text, size_t len, unsigned flags,
                           int32_t **ids, cc_token_span **offsets, size_t *n)
{
	outbuf o = {0};
	scratch sc = {0};
	int rc = CC_OK;

	*ids = NULL;
	if (offsets)
		*offsets = NULL;
	*n = 0;
	if (!t || (!text && len))
		return cc_error_set(CC_EINVAL, "tokenizer: no text");
	if (len >= UINT32_MAX)
		return cc_error_set(CC_ETOOBIG, "tokenizer: input of %zu bytes is over 4 GiB", len);
	sc.no_fast = (flags & CC_TOK_PCRE_ONLY) != 0;
	sc.md = pcre2_match_data_create(1, NULL);
	if (!sc.md) {
		rc = CC_ENOMEM;
		goto out;
	}
	o.cap = len / 3 + 16; /* about 0.33 ids per byte on code */
	o.ids = malloc(o.cap * sizeof(*o.ids));
	o.off = malloc(o.cap * sizeof(*o.off));
	if (!o.ids || !o.off) {
		rc = CC_ENOMEM;
		goto out;
	}
	if ((flags & CC_TOK_ADD_SPECIAL) && t->n_tmpl) {
		for (size_t i = 0; i < t->n_tmpl && t->tmpl[i] >= 0; i++)
			if ((rc = out_push(&o, t->tmpl[i], 0, 0)))
				goto out;
	}

	size_t seg = 0, i = 0;
	while (i < len) {
		const added_token *hit = NULL;
		if (!(flags & CC_TOK_NO_ADDED_SPLIT) && t->added_first[(unsigned char)text[i]]) {
			for (size_t k = 0; k < t->n_added; k++) {
				const added_token *a = &t->added[k];
				if (a->len <= len - i && memcmp(text + i, a->content, a->len) == 0) {
					hit = a;
					break;
				}
			}
		}
		if (!hit) {
			i++;
			continue;
		}
		size_t ms = i, me = i + hit->len;
		if (hit->lstrip)
			while (ms > seg && is_ws((unsigned char)text[ms - 1]))
				ms--;
		if (hit->rstrip)
			while (me < len && is_ws((unsigned char)text[me]))
				me++;
		if (ms > seg && (rc = encode_plain(t, text + seg, ms - seg, (uint32_t)seg, &sc, &o)))
			goto out;
		if ((rc = out_push(&o, hit->id, (uint32_t)ms, (uint32_t)me)))
			goto out;
		i = seg = me;
	}
	if (len > seg && (rc = encode_plain(t, text + seg, len - seg, (uint32_t)seg, &sc, &o)))
		goto out;

	if ((flags & CC_TOK_ADD_SPECIAL) && t->n_tmpl) {
		size_t k = 0;
		while (k < t->n_tmpl && t->tmpl[k] >= 0)
			k++;
		for (k++; k < t->n_tmpl; k++)
			if ((rc = out_push(&o, t->tmpl[k], (uint32_t)len, (uint32_t)len)))
				goto out;
	}
	*ids = o.ids;
	if (offsets)
		*offsets = o.off;
	else
		free(o.off);
	*n = o.n;
	o.ids = NULL;
	o.off = NULL;
out:
	if (rc == CC_ENOMEM)
		cc_error_set(rc, "tokenizer: out of memory");
	free(o.ids);
	free(o.off);
	pcre2_match_data_free(sc.md);
	free(sc.buf);
	free(sc.m);
	free(sc.sym);
	free(sc.heap);
	return rc;
}

int cc_tokenizer_encode(const cc_tokenizer *t, const char *text, size_t len, int32_t **ids,
                        cc_token_span **offsets, size_t *n)
{
	return cc_tokenizer_encode_ex(t, text, len, CC_TOK_ADD_SPECIAL, ids, offsets, n);
}

/* ---------------------------------------------------------------- decoding */

int cc_tokenizer_decode_ex(const cc_tokenizer *t, const int32_t *ids, size_t n, unsigned flags,
                           char **out, size_t *out_len)
{
	size_t total = 0;
	*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!t || (!ids && n))
		return cc_error_set(CC_EINVAL, "tokenizer: no ids");
	for (size_t i = 0; i < n; i++) {
		if (ids[i] < 0 || (size_t)ids[i] >= t->n_tok || !t->tok[ids[i]].text)
			return cc_error_set(CC_EINVAL, "tokenizer: id %d at position %zu is not in the vocabulary",
			                    (int)ids[i], i);
		total += t->tok[ids[i]].len;
	}
	char *buf = malloc(total + 1);
	if (!buf)
		return cc_error_set(CC_ENOMEM, "tokenizer: out of memory");
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		const token_info *ti = &t->tok[ids[i]];
		if ((flags & CC_TOK_SKIP_SPECIAL) && ti->special)
			continue;
		memcpy(buf + o, ti->bytes, ti->len);
		o += ti->len;
	}
	buf[o] = 0;
	*out = buf;
	if (out_len)
		*out_len = o;
	return CC_OK;
}

int cc_tokenizer_decode(const cc_tokenizer *t, const int32_t *ids, size_t n, char **out,
                        size_t *out_len)
{
	return cc_tokenizer_decode_ex(t, ids, n, 0, out, out_len);
}
