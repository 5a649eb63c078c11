/*
 * nfc.c - Unicode Normalization Form C for the NFC normalizer (Qwen2's tokenizer.json),
 * keeping for every output byte the input bytes it came from so token offsets stay exact.
 *
 * Fast path: text with no code point that can decompose, reorder or combine (ASCII and most
 * real source code) is NFC already and is left untouched. Otherwise: full canonical
 * decomposition, canonical ordering, canonical composition (UAX #15), Hangul by formula.
 */
#include "tok_internal.h"

#include <stdlib.h>
#include <string.h>

#include "nfc_tables.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

enum { SBASE = 0xAC00, LBASE = 0x1100, VBASE = 0x1161, TBASE = 0x11A7, LCOUNT = 19, VCOUNT = 21,
       TCOUNT = 28, NCOUNT = VCOUNT * TCOUNT, SCOUNT = LCOUNT * NCOUNT };

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

int cc_tok_nfc(const char *s, size_t len, char **out, size_t *out_len, uint32_t (**align)[2])
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int need = 0;

	*out = NULL;
	*align = NULL;
	*out_len = len;
	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = cc_tok_utf8_char(p + i, len - i, &cp);
		if (!k) { /* callers pass valid UTF-8; be safe anyway */
			i++;
			continue;
		}
		if (cp >= 0x300 && in_ranges(nfc_work, N_ELEMS(nfc_work), cp)) {
			need = 1;
			break;
		}
		i += k;
	}
	if (!need)
		return 1;

	/* decompose; a character expands to at most 4 (Hangul 3) code points */
	ucp *u = malloc((len * 4 + 1) * sizeof(*u));
	if (!u)
		return -1;
	size_t n = 0;
	for (i = 0; i < len;) {
		uint32_t cp;
		size_t k = cc_tok_utf8_char(p + i, len - i, &cp);
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
			size_t a = m, b = j + 1;
			while (a > 0 && u[a].ccc)
				a--;
			while (b < n && u[b].ccc)
				b++;
			uint32_t lo = u[a].s, hi = u[a].e;
			for (size_t q = a; q < b; q++) {
				lo = u[q].s < lo ? u[q].s : lo;
				hi = u[q].e > hi ? u[q].e : hi;
			}
			for (size_t q = a; q < b; q++) {
				u[q].s = lo;
				u[q].e = hi;
			}
		}
	}
	/* canonical composition */
	size_t w = 0;
	long starter = -1;
	int last_ccc = -1;
	for (size_t j = 0; j < n; j++) {
		ucp x = u[j];
		if (starter >= 0) {
			int blocked = last_ccc != -1 && (last_ccc == 0 || last_ccc >= x.ccc);
			/* last_ccc == -1: x directly follows the starter */
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

	char *o = malloc(n * 4 + 1);
	uint32_t(*al)[2] = malloc((n * 4 + 1) * sizeof(*al));
	if (!o || !al) {
		free(o);
		free(al);
		free(u);
		return -1;
	}
	size_t ol = 0;
	for (size_t j = 0; j < n; j++) {
		size_t k = put_utf8(o + ol, u[j].cp);
		for (size_t b = 0; b < k; b++) {
			al[ol + b][0] = u[j].s;
			al[ol + b][1] = u[j].e;
		}
		ol += k;
	}
	free(u);
	if (ol == len && memcmp(o, s, len) == 0) {
		free(o);
		free(al);
		return 1;
	}
	*out = o;
	*out_len = ol;
	*align = al;
	return 0;
}
