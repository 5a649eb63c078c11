/*
 * nfc.c - Unicode Normalization Form C for the NFC normalizer (Qwen2's tokenizer.json),
 * keeping for every output byte the input bytes it came from so token offsets stay exact.
 *
 * Fast path: text with no code point that can decompose, reorder or combine (ASCII and most
 * real source code) is NFC already and is left untouched. Otherwise: full canonical
 * decomposition, canonical ordering, canonical composition (UAX #15), Hangul by formula.
 */
#include "cc_common.h"
#include "tok_internal.h"

#include <stdlib.h>
#include <string.h>

#include "nfc_tables.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

enum {
	SBASE = 0xAC00,
	LBASE = 0x1100,
	VBASE = 0x1161,
	TBASE = 0x11A7,
	LCOUNT = 19,
	VCOUNT = 21,
	TCOUNT = 28,
	NCOUNT = VCOUNT * TCOUNT,
	SCOUNT = LCOUNT * NCOUNT
};

static int in_ranges(const uint32_t (*r)[2], size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < r[mid][0])
			hi = mid;
		else if (cp > r[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

static int ccc_of(uint32_t cp)
{
	size_t lo = 0, hi = N_ELEMS(nfc_ccc);
	if (cp < 0x300)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (nfc_ccc[mid][0] == cp)
			return (int)nfc_ccc[mid][1];
		if (nfc_ccc[mid][0] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Full canonical decomposition: pointer into the flat table and count, or 0. */
static size_t decomp_of(uint32_t cp, const uint32_t **out)
{
	size_t lo = 0, hi = N_ELEMS(nfc_decomp_cp);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (nfc_decomp_cp[mid] == cp) {
			*out = nfc_decomp_flat + nfc_decomp_off[mid][0];
			return nfc_decomp_off[mid][1];
		}
		if (nfc_decomp_cp[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static uint32_t compose_pair(uint32_t a, uint32_t b)
{
	if (a >= LBASE && a < LBASE + LCOUNT && b >= VBASE && b < VBASE + VCOUNT)
		return SBASE + ((a - LBASE) * VCOUNT + (b - VBASE)) * TCOUNT;
	if (a >= SBASE && a < SBASE + SCOUNT && (a - SBASE) % TCOUNT == 0 && b > TBASE &&
	    b < TBASE + TCOUNT)
		return a + (b - TBASE);
	size_t lo = 0, hi = N_ELEMS(nfc_compose);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const uint32_t *e = nfc_compose[mid];
		if (e[0] == a && e[1] == b)
			return e[2];
		if (e[0] < a || (e[0] == a && e[1] < b))
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

typedef struct {
	uint32_t cp;
	uint32_t s, e; /* input byte range */
	int ccc;
} ucp;

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static int is_work(uint32_t cp)
{
	return cp >= 0x300 && in_ranges(nfc_work, N_ELEMS(nfc_work), cp);
}

typedef struct {
	char *o;
	uint32_t (*al)[2];
	size_t n, cap;
} nbuf;

static int nb_reserve(nbuf *b, size_t more)
{
	if (b->n + more <= b->cap)
		return 0;
	size_t nc = (b->cap + more) * 2;
	char *no = realloc(b->o, nc);
	if (!no)
		return -1;
	b->o = no;
	uint32_t(*na)[2] = realloc(b->al, nc * sizeof(*na));
	if (!na)
		return -1;
	b->al = na;
	b->cap = nc;
	return 0;
}

/* Normalize p[rs, re) (a region bounded by NFC-safe boundaries) into b. */
static int nfc_region(nbuf *b, const unsigned char *p, size_t rs, size_t re)
{
	size_t len = re - rs, i;
	/* decompose; a character expands to at most 4 (Hangul 3) code points */
	ucp *u = malloc((len * 4 + 1) * sizeof(*u));
	if (!u)
		return -1;
	size_t n = 0;
	for (i = rs; i < re;) {
		uint32_t cp;
		size_t k = cc_utf8_char(p + i, re - i, &cp);
		if (!k) {
			cp = 0xFFFD;
			k = 1;
		}
		uint32_t bs = (uint32_t)i, be = (uint32_t)(i + k);
		const uint32_t *d;
		size_t nd;
		if (cp >= SBASE && cp < SBASE + SCOUNT) {
			uint32_t si = cp - SBASE;
			u[n++] = (ucp){LBASE + si / NCOUNT, bs, be, 0};
			u[n++] = (ucp){VBASE + (si % NCOUNT) / TCOUNT, bs, be, 0};
			if (si % TCOUNT)
				u[n++] = (ucp){TBASE + si % TCOUNT, bs, be, 0};
		} else if (cp >= 0xC0 && (nd = decomp_of(cp, &d)) > 0) {
			for (size_t j = 0; j < nd; j++)
				u[n++] = (ucp){d[j], bs, be, ccc_of(d[j])};
		} else {
			u[n++] = (ucp){cp, bs, be, ccc_of(cp)};
		}
		i += k;
	}
	/* canonical ordering: stable insertion sort inside runs of non-starters. Where marks
	 * moved, the run and the starter before it share one input range, so that offsets stay
	 * in input order. */
	for (size_t j = 1; j < n; j++) {
		ucp x = u[j];
		if (!x.ccc)
			continue;
		size_t m = j;
		while (m > 0 && u[m - 1].ccc > x.ccc) {
			u[m] = u[m - 1];
			m--;
		}
		u[m] = x;
		if (m != j) {
			size_t a = m, e = j + 1;
			while (a > 0 && u[a].ccc)
				a--;
			while (e < n && u[e].ccc)
				e++;
			uint32_t lo = u[a].s, hi = u[a].e;
			for (size_t q = a; q < e; q++) {
				lo = u[q].s < lo ? u[q].s : lo;
				hi = u[q].e > hi ? u[q].e : hi;
			}
			for (size_t q = a; q < e; q++) {
				u[q].s = lo;
				u[q].e = hi;
			}
		}
	}
	/* canonical composition */
	size_t w = 0;
	long starter = -1;
	int last_ccc = -1; /* -1: the next character directly follows the starter */
	for (size_t j = 0; j < n; j++) {
		ucp x = u[j];
		if (starter >= 0) {
			int blocked = last_ccc != -1 && (last_ccc == 0 || last_ccc >= x.ccc);
			uint32_t c = blocked ? 0 : compose_pair(u[starter].cp, x.cp);
			if (c) {
				u[starter].cp = c;
				if (x.s < u[starter].s)
					u[starter].s = x.s;
				if (x.e > u[starter].e)
					u[starter].e = x.e;
				continue;
			}
		}
		if (x.ccc == 0) {
			starter = (long)w;
			last_ccc = -1;
		} else {
			last_ccc = x.ccc;
		}
		u[w++] = x;
	}
	n = w;
	if (nb_reserve(b, n * 4)) {
		free(u);
		return -1;
	}
	for (size_t j = 0; j < n; j++) {
		size_t k = put_utf8(b->o + b->n, u[j].cp);
		for (size_t q = 0; q < k; q++) {
			b->al[b->n + q][0] = u[j].s;
			b->al[b->n + q][1] = u[j].e;
		}
		b->n += k;
	}
	free(u);
	return 0;
}

static int nb_copy(nbuf *b, const char *s, size_t from, size_t to)
{
	if (nb_reserve(b, to - from))
		return -1;
	memcpy(b->o + b->n, s + from, to - from);
	for (size_t k = from; k < to; k++) {
		b->al[b->n][0] = (uint32_t)k;
		b->al[b->n][1] = (uint32_t)k + 1;
		b->n++;
	}
	return 0;
}

/* Only regions around characters that can change are normalized: a character outside the
 * work set (ccc 0, no decomposition, never the second of a composition) is a boundary NFC
 * never crosses, so the text between such boundaries is normalized on its own. */
static int nfc_pass(const char *s, size_t len, int dry, nbuf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, last_safe = 0, copied = 0;
	nbuf b = {0};
	if (!dry) {
		b = *out; /* pre-sized by the caller */
		out->o = NULL;
		out->al = NULL;
	}
	int changed = 0;

	while (i < len) {
		if (p[i] < 0x80) {
			uint64_t w;
			while (i + 8 <= len && (memcpy(&w, p + i, 8), (w & 0x8080808080808080ull) == 0))
				i += 8;
			while (i < len && p[i] < 0x80)
				i++;
			last_safe = i - 1; /* the last ASCII character */
			continue;
		}
		uint32_t cp;
		size_t k = cc_utf8_char(p + i, len - i, &cp);
		if (!k) { /* callers pass valid UTF-8; be safe anyway */
			i++;
			continue;
		}
		if (!is_work(cp)) {
			last_safe = i;
			i += k;
			continue;
		}
		size_t rs = last_safe >= copied ? last_safe : copied, re = i + k;
		while (re < len) {
			size_t k2 = cc_utf8_char(p + re, len - re, &cp);
			if (!k2 || !is_work(cp))
				break;
			re += k2;
		}
		if (dry) {
			/* first pass: does any region change at all? (most text with accents is NFC) */
			b.n = 0;
			if (nfc_region(&b, p, rs, re))
				goto fail;
			if (b.n != re - rs || memcmp(b.o, s + rs, b.n) != 0) {
				changed = 1;
				break;
			}
		} else if (nb_copy(&b, s, copied, rs) || nfc_region(&b, p, rs, re)) {
			goto fail;
		}
		copied = re;
		last_safe = re;
		i = re;
	}
	if (dry) {
		free(b.o);
		free(b.al);
		return changed;
	}
	if (nb_copy(&b, s, copied, len))
		goto fail;
	*out = b;
	return 1;
fail:
	free(b.o);
	free(b.al);
	return -1;
}

int cc_tok_nfc(const char *s, size_t len, char **out, size_t *out_len, uint32_t (**align)[2])
{
	nbuf b = {0};
	int r;

	*out = NULL;
	*align = NULL;
	*out_len = len;
	r = nfc_pass(s, len, 1, NULL);
	if (r <= 0)
		return r < 0 ? -1 : 1;
	if (nb_reserve(&b, len + len / 16 + 64) || nfc_pass(s, len, 0, &b) < 0) {
		free(b.o);
		free(b.al);
		return -1;
	}
	*out = b.o;
	*out_len = b.n;
	*align = b.al;
	return 0;
}
