/*
 * seeds.c - what an issue, a test or a stack trace names: identifiers, source paths with an
 * optional line, and stack-trace frames of the common runtimes (see cc_loc_seeds_extract).
 * A hand-written scanner (no regex library): outside input, so every read is bounded by len.
 */
#include "cc_localize.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define W_NAME 1.0f
#define W_QUAL 1.5f
#define W_PATH 2.0f
#define W_FRAME 4.0f

typedef struct {
	cc_loc_seed *v;
	size_t n, cap;
} seedvec;

/* Words too common in prose and code to say anything about where a bug is. */
static const char *const stop[] = {
	"the", "and", "for", "with", "when", "that", "this", "from", "not", "but", "are", "was",
	"were", "has", "have", "had", "its", "into", "than", "then", "they", "them", "there",
	"which", "what", "where", "while", "will", "would", "should", "could", "can", "does",
	"did", "doing", "done", "been", "being", "also", "only", "some", "any", "all", "one",
	"two", "more", "most", "other", "such", "each", "after", "before", "again", "still",
	"even", "very", "just", "like", "you", "your", "our", "out", "get", "got", "set", "use",
	"used", "using", "call", "called", "calls", "return", "returns", "returned", "value",
	"values", "wrong", "error", "errors", "bug", "fails", "failed", "fail", "failing",
	"test", "tests", "expected", "actual", "instead", "line", "file", "function", "method",
	"class", "self", "none", "true", "false", "null", "def", "int", "str", "list", "dict",
	"raise", "raises", "traceback", "recent", "last", "most", "exception", "item", "items",
	"new", "old", "how", "why", "who", "because", "about", "over", "under", "here", "same",
	"see", "make", "makes", "made", "need", "needs", "way", "case", "cases", "gives",
	"give", "given", "leaves", "left", "keep", "keeps", "kept", "stays", "stay", "zero",
	"empty", "name", "type", "number", NULL};

static int is_stop(const char *w, size_t n)
{
	char buf[32];
	if (n >= sizeof(buf))
		return 0;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)w[i]);
	buf[n] = 0;
	for (const char *const *s = stop; *s; s++)
		if (!strcmp(*s, buf))
			return 1;
	return 0;
}

static int push(seedvec *sv, int kind, const char *text, size_t tlen, const char *func,
                size_t flen, uint32_t line, float weight)
{
	if (!tlen || tlen > 400)
		return CC_OK;
	for (size_t i = 0; i < sv->n; i++) {
		cc_loc_seed *s = &sv->v[i];
		if (s->kind == kind && strlen(s->text) == tlen && !memcmp(s->text, text, tlen) &&
		    s->line == line) {
			if (weight > s->weight)
				s->weight = weight;
			return CC_OK;
		}
	}
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? 2 * sv->cap : 32;
		cc_loc_seed *v = realloc(sv->v, cap * sizeof(*v));
		if (!v)
			return cc_error_set(CC_ENOMEM, "out of memory for seeds");
		sv->v = v;
		sv->cap = cap;
	}
	cc_loc_seed *s = &sv->v[sv->n];
	memset(s, 0, sizeof(*s));
	s->kind = (uint8_t)kind;
	s->line = line;
	s->weight = weight;
	s->text = strndup(text, tlen);
	if (!s->text)
		return cc_error_set(CC_ENOMEM, "out of memory for seeds");
	if (func && flen && !(s->func = strndup(func, flen))) {
		free(s->text);
		return cc_error_set(CC_ENOMEM, "out of memory for seeds");
	}
	sv->n++;
	return CC_OK;
}

static int ident_start(int c) { return isalpha(c) || c == '_' || c == '$'; }
static int ident_char(int c) { return isalnum(c) || c == '_' || c == '$'; }
static int path_char(int c) { return isalnum(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == '\\'; }

static const char *const exts[] = {".py", ".pyi", ".java", ".js", ".mjs", ".cjs", ".jsx", ".ts",
                                   ".tsx", ".go", ".rs", ".c", ".h", ".cc", ".cpp", ".cxx",
                                   ".hpp", ".hh", NULL};

static int has_source_ext(const char *p, size_t n)
{
	for (const char *const *e = exts; *e; e++) {
		size_t el = strlen(*e);
		if (n > el && !memcmp(p + n - el, *e, el))
			return 1;
	}
	return 0;
}

/* Does a source extension (".py") start at t[e] and end the word? */
static int ext_follows(const char *t, size_t len, size_t e)
{
	size_t k = e + 1;
	while (k < len && isalnum((unsigned char)t[k]))
		k++;
	for (const char *const *x = exts; *x; x++)
		if (strlen(*x) == k - e && !memcmp(t + e, *x, k - e))
			return 1;
	return 0;
}

static uint32_t read_uint(const char *t, size_t len, size_t *i)
{
	uint64_t v = 0;
	size_t start = *i;
	while (*i < len && isdigit((unsigned char)t[*i]) && *i - start < 9)
		v = v * 10 + (uint64_t)(t[(*i)++] - '0');
	return (uint32_t)v;
}

/* The function name a frame line gives, searched in [a, b): Python "in NAME", gdb/sanitizer
 * "in NAME (" / "#N NAME (", Java/JS "at [pkg.]NAME(" / "at NAME (", Rust "N: path::NAME". */
static void frame_func(const char *t, size_t a, size_t b, const char **f, size_t *fl)
{
	*f = NULL;
	*fl = 0;
	for (size_t i = a; i + 3 <= b; i++) {
		int in = !memcmp(t + i, "in ", 3), at = i + 3 <= b && !memcmp(t + i, "at ", 3);
		if ((!in && !at) || (i > a && ident_char((unsigned char)t[i - 1])))
			continue;
		size_t s = i + 3, e = s;
		while (e < b && (ident_char((unsigned char)t[e]) || t[e] == '.' || t[e] == ':' ||
		                 t[e] == '<' || t[e] == '>'))
			e++;
		if (e == s)
			continue;
		/* the last component of a dotted or ::-separated name */
		size_t ls = s;
		for (size_t k = s; k < e; k++)
			if (t[k] == '.' || t[k] == ':')
				ls = k + 1;
		while (e > ls && !ident_char((unsigned char)t[e - 1]))
			e--;
		if (e > ls && ident_start((unsigned char)t[ls]) && (e - ls) < 200) {
			/* "at path/file.js:3:5" names no function */
			if (e < b && ((t[e] == ':' && !(e + 1 < b && t[e + 1] == ':')) || t[e] == '/' ||
			              t[e] == '\\'))
				continue;
			if (has_source_ext(t + s, e - s))
				continue;
			*f = t + ls;
			*fl = e - ls;
			return;
		}
	}
}

int cc_loc_seeds_extract(cc_loc_seed **out, size_t *n, const char *t, size_t len)
{
	seedvec sv = {0};
	int rc = CC_OK;
	*out = NULL;
	*n = 0;
	if (!t)
		return CC_OK;
	/* pass 1: paths with lines, and frames (a path with a line inside a frame-looking line) */
	size_t line_start = 0;
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '\n') {
			line_start = i + 1;
			continue;
		}
		if (!path_char((unsigned char)t[i]) || (i > 0 && path_char((unsigned char)t[i - 1])))
			continue;
		size_t e = i;
		while (e < len && path_char((unsigned char)t[e]))
			e++;
		size_t pe = e;
		while (pe > i && t[pe - 1] == '.')
			pe--; /* a sentence's full stop */
		if (!has_source_ext(t + i, pe - i)) {
			i = e - 1 < i ? i : e - 1;
			continue;
		}
		uint32_t line = 0;
		size_t j = pe;
		/* "p.py", line N  (Python) */
		if (j + 8 < len && t[j] == '"' && !memcmp(t + j, "\", line ", 8)) {
			j += 8;
			line = read_uint(t, len, &j);
		} else if (j + 1 < len && t[j] == ':' && isdigit((unsigned char)t[j + 1])) {
			j++;
			line = read_uint(t, len, &j); /* p:N[:C] (JS, Rust, Go, C, Java) */
		}
		size_t le = i;
		while (le < len && t[le] != '\n')
			le++;
		const char *f = NULL;
		size_t fl = 0;
		int frame = 0;
		if (line) {
			frame_func(t, line_start, le, &f, &fl);
			/* a frame: a traceback or runtime line rather than a path quoted in prose */
			frame = f || (line_start < i && (t[line_start] == ' ' || t[line_start] == '\t' ||
			                                 t[line_start] == '#'));
			/* Go: the function is on the line above ("pkg.Func(...)") */
			if (!f && line_start >= 2) {
				size_t pe2 = line_start - 1, ps = pe2;
				while (ps > 0 && t[ps - 1] != '\n')
					ps--;
				size_t paren = ps;
				while (paren < pe2 && t[paren] != '(')
					paren++;
				if (paren < pe2) {
					size_t ls = ps;
					for (size_t k = ps; k < paren; k++)
						if (t[k] == '.' || t[k] == '/' || t[k] == ' ')
							ls = k + 1;
					if (paren > ls && ident_start((unsigned char)t[ls])) {
						f = t + ls;
						fl = paren - ls;
						frame = 1;
					}
				}
			}
		}
		if ((rc = push(&sv, frame ? CC_LOC_SEED_FRAME : CC_LOC_SEED_PATH, t + i, pe - i, f, fl,
		               line, frame ? W_FRAME : W_PATH)))
			goto out;
		i = e - 1;
	}
	/* Java frames: "at pkg.Class.method(File.java:N)" name the file only by its base name;
	 * the path pass above has taken File.java:N; the function is found by frame_func. */

	/* pass 2: identifiers; dotted/:: names also as a qualified pair "A.b" */
	for (size_t i = 0; i < len; i++) {
		if (!ident_start((unsigned char)t[i]) || (i > 0 && (ident_char((unsigned char)t[i - 1]) ||
		                                                    t[i - 1] == '/')))
			continue;
		size_t e = i;
		while (e < len && ident_char((unsigned char)t[e]))
			e++;
		size_t wl = e - i;
		/* inside a path: skip (the path pass took it) */
		if (e < len && (t[e] == '/' || (t[e] == '.' && ext_follows(t, len, e)))) {
			while (e < len && path_char((unsigned char)t[e]))
				e++;
			i = e - 1;
			continue;
		}
		if (wl >= 3 && !is_stop(t + i, wl) &&
		    (rc = push(&sv, CC_LOC_SEED_NAME, t + i, wl, NULL, 0, 0, W_NAME)))
			goto out;
		/* qualified: X.y or X::y */
		size_t sep = e;
		if (sep + 1 < len && (t[sep] == '.' || (t[sep] == ':' && sep + 2 < len && t[sep + 1] == ':'))) {
			size_t s2 = sep + (t[sep] == '.' ? 1 : 2), e2 = s2;
			while (e2 < len && ident_char((unsigned char)t[e2]))
				e2++;
			if (e2 > s2 && ident_start((unsigned char)t[s2]) && e2 - i < 200) {
				if ((rc = push(&sv, CC_LOC_SEED_NAME, t + i, e2 - i, NULL, 0, 0, W_QUAL)))
					goto out;
				if (e2 - s2 >= 2 && (rc = push(&sv, CC_LOC_SEED_NAME, t + s2, e2 - s2, NULL, 0,
				                               0, W_QUAL)))
					goto out;
			}
		}
		i = e - 1;
	}
	*out = sv.v;
	*n = sv.n;
	sv.v = NULL;
	sv.n = 0;
out:
	cc_loc_seeds_free(sv.v, sv.n);
	return rc;
}

void cc_loc_seeds_free(cc_loc_seed *seeds, size_t n)
{
	if (!seeds)
		return;
	for (size_t i = 0; i < n; i++) {
		free(seeds[i].text);
		free(seeds[i].func);
	}
	free(seeds);
}
