/*
 * sample.c - the samples of the fidelity benchmark (docs/EVAL.md, "Fidelity benchmark"): a
 * package directory of the corpus, several of its .py files in seeded shuffled order, 2-4
 * functions of 6-40 lines (picked from the analysis graph) removed from one of those files,
 * and the context C = each file after a "# file: <path>" line, cut to T whole tokens. The
 * priors come from cc_priors_compute over the same segments (the target file's text after
 * the removal with its graph re-parsed), so they are aligned with C token for token; in
 * query-aware mode they are computed again with the target's query (its "# file:" line and
 * def line) seeding relevance.
 *
 * A target token is context-dependent when it overlaps an identifier of the function (a Python
 * name that is no keyword, found by a lexical scan that does not skip strings or comments)
 * that occurs in C and not earlier in the scored text (the "# file:" line's names count as
 * earlier but are not themselves marked).
 */
#include "fidelity.h"

#include "cc_common.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILES 64
#define MAX_FILE_BYTES (512u * 1024u)

/* ---- generator ------------------------------------------------------------------------ */

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void fid_rng_seed(fid_rng *r, uint64_t seed)
{
	uint64_t x = seed;
	r->s[0] = splitmix(&x);
	r->s[1] = splitmix(&x);
	if (!r->s[0] && !r->s[1])
		r->s[1] = 1;
}

uint64_t fid_rng_next(fid_rng *r)
{
	uint64_t a = r->s[0], b = r->s[1], res = a + b;
	b ^= a;
	r->s[0] = ((a << 55) | (a >> 9)) ^ b ^ (b << 14);
	r->s[1] = (b << 36) | (b >> 28);
	return res;
}

size_t fid_rng_below(fid_rng *r, size_t n)
{
	return (size_t)(fid_rng_next(r) % (uint64_t)n);
}

static void shuffle_ptrs(void **v, size_t n, fid_rng *r)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = fid_rng_below(r, i);
		void *t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* ---- corpus ----------------------------------------------------------------------------- */

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

/* Directories never sampled: tests (the model must predict library code), caches, and
 * third-party trees nested in the standard library. */
static int skip_dir(const char *name)
{
	static const char *const names[] = {"test", "tests", "testing", "idle_test",
	                                    "__pycache__", "site-packages", "dist-packages",
	                                    "unittest", NULL};
	if (name[0] == '.')
		return 1;
	for (int i = 0; names[i]; i++)
		if (!strcmp(name, names[i]))
			return 1;
	return !strncmp(name, "test_", 5) || ends_with(name, "_test") || ends_with(name, "_tests");
}

static int is_source(const char *name)
{
	return ends_with(name, ".py") && strncmp(name, "test_", 5) != 0 &&
	       !ends_with(name, "_test.py") && strcmp(name, "conftest.py") != 0 && name[0] != '.';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = cc_xmalloc(la + lb + 2);
	if (!la || !strcmp(a, ".")) {
		memcpy(s, b, lb + 1);
		return s;
	}
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}

/* The .py files directly in corpus/rel (names, sorted), sizes within limits. */
static int list_sources(char ***out, size_t *n, const char *corpus, const char *rel)
{
	char *dir = join(corpus, rel), **v = NULL;
	size_t nv = 0, cap = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d) {
		int rc = cc_error_set(CC_ENOTFOUND, "cannot open %s: %s", dir, strerror(errno));
		free(dir);
		return rc;
	}
	while ((e = readdir(d))) {
		struct stat st;
		char *p;
		if (!is_source(e->d_name))
			continue;
		p = join(dir, e->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 256 &&
		    (size_t)st.st_size <= MAX_FILE_BYTES) {
			if (nv == cap) {
				cap = cap ? 2 * cap : 16;
				v = cc_xrealloc(v, cap * sizeof(*v));
			}
			v[nv++] = cc_xstrdup(e->d_name);
		}
		free(p);
	}
	closedir(d);
	free(dir);
	if (nv)
		qsort(v, nv, sizeof(*v), cmp_str);
	*out = v;
	*n = nv;
	return CC_OK;
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void walk(char ***out, size_t *n, size_t *cap, const char *corpus, const char *rel,
                 int depth)
{
	char *dir = join(corpus, rel), **files = NULL, **subs = NULL;
	size_t nf = 0, ns = 0, cs = 0;
	DIR *d;
	struct dirent *e;
	if (list_sources(&files, &nf, corpus, rel) == CC_OK && nf >= 2) {
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 64;
			*out = cc_xrealloc(*out, *cap * sizeof(char *));
		}
		(*out)[(*n)++] = cc_xstrdup(rel);
	}
	free_strs(files, nf);
	if (depth < 6 && (d = opendir(dir))) {
		while ((e = readdir(d))) {
			struct stat st;
			char *p;
			if (skip_dir(e->d_name) || !strcmp(e->d_name, ".."))
				continue;
			p = join(dir, e->d_name);
			if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
				if (ns == cs) {
					cs = cs ? 2 * cs : 16;
					subs = cc_xrealloc(subs, cs * sizeof(*subs));
				}
				subs[ns++] = join(rel, e->d_name);
			}
			free(p);
		}
		closedir(d);
	}
	free(dir);
	if (ns)
		qsort(subs, ns, sizeof(*subs), cmp_str);
	for (size_t i = 0; i < ns; i++)
		walk(out, n, cap, corpus, subs[i], depth + 1);
	free_strs(subs, ns);
}

int fid_corpus_dirs(char ***out, size_t *n, const char *corpus)
{
	size_t cap = 0;
	struct stat st;
	*out = NULL;
	*n = 0;
	if (stat(corpus, &st) != 0 || !S_ISDIR(st.st_mode))
		return cc_error_set(CC_ENOTFOUND, "corpus %s is not a directory", corpus);
	walk(out, n, &cap, corpus, ".", 0);
	if (!*n)
		return cc_error_set(CC_ENOTFOUND, "corpus %s holds no directory with two .py files",
		                    corpus);
	return CC_OK;
}

/* ---- identifiers ------------------------------------------------------------------------ */

static int is_id_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_id_char(int c)
{
	return is_id_start(c) || (c >= '0' && c <= '9');
}

static int is_keyword(const char *s, size_t n)
{
	static const char *const kw[] = {
		"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
		"continue", "def", "del", "elif", "else", "except", "finally", "for", "from",
		"global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass",
		"raise", "return", "try", "while", "with", "yield", NULL};
	for (int i = 0; kw[i]; i++)
		if (strlen(kw[i]) == n && !memcmp(kw[i], s, n))
			return 1;
	return 0;
}

/* Open-addressing set of byte strings borrowed from the scanned texts. */
typedef struct {
	const char **key;
	uint32_t *len;
	size_t cap, n;
} idset;

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static void idset_init(idset *s, size_t cap)
{
	size_t c = 64;
	while (c < 2 * cap)
		c *= 2;
	s->key = cc_xcalloc(c, sizeof(*s->key));
	s->len = cc_xcalloc(c, sizeof(*s->len));
	s->cap = c;
	s->n = 0;
}

static void idset_free(idset *s)
{
	free(s->key);
	free(s->len);
}

static int idset_has(const idset *s, const char *k, size_t n)
{
	for (size_t i = hash_bytes(k, n) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		if (!s->key[i])
			return 0;
		if (s->len[i] == n && !memcmp(s->key[i], k, n))
			return 1;
	}
}

static void idset_add(idset *s, const char *k, size_t n)
{
	size_t i;
	if (idset_has(s, k, n))
		return;
	if (2 * (s->n + 1) > s->cap) {
		idset big;
		idset_init(&big, s->cap);
		for (size_t j = 0; j < s->cap; j++)
			if (s->key[j])
				idset_add(&big, s->key[j], s->len[j]);
		idset_free(s);
		*s = big;
	}
	for (i = hash_bytes(k, n) & (s->cap - 1); s->key[i]; i = (i + 1) & (s->cap - 1))
		;
	s->key[i] = k;
	s->len[i] = (uint32_t)n;
	s->n++;
}

/* Next identifier in text[*at..len): its [start, end), or 0 when none is left. */
static int next_ident(const char *t, size_t len, size_t *at, size_t *start, size_t *end)
{
	size_t i = *at;
	while (i < len) {
		if (is_id_start((unsigned char)t[i]) && (i == 0 || !is_id_char((unsigned char)t[i - 1]))) {
			size_t j = i + 1;
			while (j < len && is_id_char((unsigned char)t[j]))
				j++;
			if (j < len && (unsigned char)t[j] >= 0x80) { /* part of a non-ASCII name */
				i = j;
				continue;
			}
			*at = j;
			if (is_keyword(t + i, j - i))
				return next_ident(t, len, at, start, end);
			*start = i;
			*end = j;
			return 1;
		}
		i++;
	}
	*at = len;
	return 0;
}

/* ---- one sample ------------------------------------------------------------------------- */

typedef struct {
	char *path; /* relative to the corpus: the header's path */
	char *text;
	size_t len;
	cc_file_graph *graph;
	size_t start_tok; /* estimated first token in C (standalone tokenization) */
	size_t n_tok;
	cc_token_span *offs; /* standalone tokenization of header + text */
	size_t hdr_len;
} src_file;

typedef struct {
	uint32_t start_line, end_line;
	int32_t node;
} cand;

static int cand_cmp(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	return (x->start_line > y->start_line) - (x->start_line < y->start_line);
}

/* Byte offset where 1-based `line` starts (len when past the end). */
static size_t line_start(const char *t, size_t len, uint32_t line)
{
	size_t i = 0;
	for (uint32_t l = 1; l < line && i < len; i++)
		if (t[i] == '\n')
			l++;
	return i;
}

/* Offset just past the '\n' that ends `line` (len when the text ends first). */
static size_t line_end(const char *t, size_t len, uint32_t line)
{
	size_t i = line_start(t, len, line);
	while (i < len && t[i] != '\n')
		i++;
	return i < len ? i + 1 : len;
}

/* Token index (standalone tokenization) holding byte `b` of the file text. */
static size_t tok_at(const src_file *f, size_t b)
{
	size_t lo = 0, hi = f->n_tok, x = b + f->hdr_len;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (f->offs[mid].end <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* How far before the end of C a target function must start (128 tokens, less for short C). */
static size_t margin(size_t T)
{
	return T / 4 < 128 ? T / 4 : 128;
}

/* Eligible targets of f: methods not nested in another method, 6-40 lines, no decorator,
 * starting in C at least margin(T) tokens before its end. */
static size_t eligible(cand *out, size_t max, const src_file *f, size_t T)
{
	size_t n = 0;
	const cc_file_graph *g = f->graph;
	for (uint32_t i = 0; i < g->n_nodes && n < max; i++) {
		const cc_node *nd = &g->nodes[i];
		uint32_t lines = nd->end_line - nd->start_line + 1;
		size_t ls;
		if (nd->kind != CC_NODE_METHOD || nd->method != -1 || lines < 6 || lines > 40)
			continue;
		ls = line_start(f->text, f->len, nd->start_line);
		/* the def must open its line (indentation only before it) */
		if (nd->start_byte < ls || nd->start_byte - ls != nd->start_col)
			continue;
		int ok = 1;
		for (size_t k = ls; k < nd->start_byte; k++)
			if (f->text[k] != ' ' && f->text[k] != '\t')
				ok = 0;
		if (!ok)
			continue;
		if (nd->start_line > 1) { /* decorated: the decorator would stay behind */
			size_t p = line_start(f->text, f->len, nd->start_line - 1);
			while (p < ls && (f->text[p] == ' ' || f->text[p] == '\t'))
				p++;
			if (p < ls && f->text[p] == '@')
				continue;
		}
		if (f->start_tok + tok_at(f, nd->start_byte) + margin(T) > T)
			continue;
		out[n].start_line = nd->start_line;
		out[n].end_line = nd->end_line;
		out[n].node = (int32_t)i;
		n++;
	}
	return n;
}

static void src_files_free(src_file *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].text);
		free(v[i].offs);
		cc_file_graph_free(v[i].graph);
	}
	free(v);
}

void fid_sample_free(fid_sample *s)
{
	if (!s)
		return;
	free(s->dir);
	free(s->target_path);
	free(s->ids);
	free(s->prior);
	free(s->protect);
	for (size_t i = 0; i < s->n_targets; i++) {
		fid_target *t = &s->targets[i];
		free(t->name);
		free(t->text);
		free(t->ids);
		free(t->offs);
		free(t->ctxdep);
		free(t->prior_q);
		free(t->protect_q);
	}
	free(s->targets);
	memset(s, 0, sizeof(*s));
}

/* Priors of the files' segments; checks that C's T tokens are the same as `ids` when given. */
static int priors_of(cc_priors **pr, const cc_tokenizer *tok, const src_file *files, size_t nf,
                     const char *query, size_t qlen)
{
	cc_prompt_segment *segs = cc_xcalloc(nf, sizeof(*segs));
	cc_priors_opts po = {0};
	cc_priors_config cfg;
	int rc;
	cc_priors_config_default(&cfg);
	for (size_t i = 0; i < nf; i++)
		segs[i] = (cc_prompt_segment){files[i].path, files[i].text, files[i].len, 0, 0,
		                              files[i].graph, NULL, 0};
	po.query = query;
	po.query_len = qlen;
	rc = cc_priors_compute(pr, tok, segs, nf, &po, &cfg);
	free(segs);
	return rc;
}

/* Try directory `rel`: CC_OK with *out filled, CC_ENOTFOUND when it cannot make a sample
 * (with `several`: when C would hold less than two files). */
static int try_dir(fid_sample *out, const fid_sample_opts *o, const char *rel, fid_rng *rng,
                   int several, const cc_tokenizer *tok, cc_analyzer *an)
{
	char **names = NULL;
	size_t nn = 0, nf = 0, total = 0, nc, need = o->targets < 2 ? (size_t)o->targets : 2;
	src_file *files = NULL;
	cand *cands = NULL, *pick = NULL;
	size_t *cfile = NULL, ncf = 0;
	cc_priors *pr = NULL;
	idset cids = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = list_sources(&names, &nn, o->corpus, rel)))
		return rc;
	shuffle_ptrs((void **)names, nn, rng);
	files = cc_xcalloc(nn < MAX_FILES ? nn : MAX_FILES, sizeof(*files));
	for (size_t i = 0; i < nn && nf < MAX_FILES && total < o->T + 256; i++) {
		src_file *f = &files[nf];
		char *full, *hdr;
		int32_t *ids = NULL;
		size_t n;
		f->path = join(rel, names[i]);
		full = join(o->corpus, f->path);
		rc = cc_read_file(&f->text, &f->len, full, MAX_FILE_BYTES);
		free(full);
		if (rc || !cc_utf8_valid(f->text, f->len) || memchr(f->text, 0, f->len) ||
		    cc_analyze(&f->graph, an, CC_LANG_PYTHON, f->text, f->len)) {
			free(f->path);
			free(f->text);
			memset(f, 0, sizeof(*f));
			continue;
		}
		hdr = cc_xmalloc(strlen(f->path) + 16 + f->len);
		f->hdr_len = (size_t)sprintf(hdr, "# file: %s\n", f->path);
		memcpy(hdr + f->hdr_len, f->text, f->len);
		rc = cc_tokenizer_encode_ex(tok, hdr, f->hdr_len + f->len, 0, &ids, &f->offs, &n);
		free(hdr);
		free(ids);
		if (rc)
			goto out;
		f->n_tok = n;
		f->start_tok = total;
		total += n;
		nf++;
	}
	rc = CC_ENOTFOUND;
	/* C should be several files: a second one starts well inside it */
	if (total < o->T + 8 ||
	    (several && (nf < 2 || files[1].start_tok + margin(o->T) > o->T)))
		goto out;
	/* candidate target files: at least `need` eligible functions inside C */
	cands = cc_xmalloc(4096 * sizeof(*cands));
	cfile = cc_xmalloc(nf * sizeof(*cfile));
	for (size_t i = 0; i < nf; i++)
		if (files[i].start_tok + 2 * margin(o->T) < o->T &&
		    eligible(cands, 4096, &files[i], o->T) >= need)
			cfile[ncf++] = i;
	if (!ncf)
		goto out;
	src_file *tf = &files[cfile[fid_rng_below(rng, ncf)]];
	nc = eligible(cands, 4096, tf, o->T);
	for (size_t i = nc; i > 1; i--) {
		size_t j = fid_rng_below(rng, i);
		cand t = cands[i - 1];
		cands[i - 1] = cands[j];
		cands[j] = t;
	}
	out->n_targets = nc < (size_t)o->targets ? nc : (size_t)o->targets;
	pick = cands;
	qsort(pick, out->n_targets, sizeof(*pick), cand_cmp);
	out->targets = cc_xcalloc(out->n_targets, sizeof(*out->targets));
	/* cut the functions out of the target file, keep their text */
	{
		char *rest = cc_xmalloc(tf->len + 1);
		size_t rl = 0, from = 0;
		for (size_t k = 0; k < out->n_targets; k++) {
			fid_target *t = &out->targets[k];
			const cc_node *nd = &tf->graph->nodes[pick[k].node];
			size_t a = line_start(tf->text, tf->len, pick[k].start_line);
			size_t b = line_end(tf->text, tf->len, pick[k].end_line);
			size_t hl = strlen(tf->path) + 9;
			size_t dl = line_end(tf->text, tf->len, pick[k].start_line) - a;
			const char *qual = cc_graph_str(tf->graph, nd->qual);
			t->name = cc_xstrdup(qual[0] ? qual : cc_graph_str(tf->graph, nd->name));
			t->start_line = pick[k].start_line;
			t->end_line = pick[k].end_line;
			t->text = cc_xmalloc(hl + (b - a) + 2);
			t->len = (size_t)sprintf(t->text, "# file: %s\n", tf->path);
			memcpy(t->text + t->len, tf->text + a, b - a);
			t->len += b - a;
			if (t->text[t->len - 1] != '\n')
				t->text[t->len++] = '\n';
			t->text[t->len] = 0;
			t->query_len = hl + dl;
			if (t->query_len > t->len)
				t->query_len = t->len;
			memcpy(rest + rl, tf->text + from, a - from);
			rl += a - from;
			from = b;
		}
		memcpy(rest + rl, tf->text + from, tf->len - from);
		rl += tf->len - from;
		rest[rl] = 0;
		free(tf->text);
		tf->text = rest;
		tf->len = rl;
		cc_file_graph_free(tf->graph);
		tf->graph = NULL;
		if ((rc = cc_analyze(&tf->graph, an, CC_LANG_PYTHON, tf->text, tf->len)))
			goto out;
	}
	if ((rc = priors_of(&pr, tok, files, nf, NULL, 0)))
		goto out;
	rc = CC_ENOTFOUND;
	if (pr->n_tokens < o->T)
		goto out;
	out->T = o->T;
	out->ids = cc_xmalloc(o->T * sizeof(int32_t));
	out->prior = cc_xmalloc(o->T * sizeof(float));
	out->protect = cc_xmalloc(o->T);
	for (size_t i = 0; i < o->T; i++) {
		out->ids[i] = pr->tokens[i].id;
		out->prior[i] = pr->tokens[i].prior;
		out->protect[i] = pr->tokens[i].protect;
	}
	out->n_files = pr->n_tokens > o->T ? (size_t)pr->tokens[o->T].segment + 1 : nf;
	/* C's identifiers: the text its T tokens cover */
	{
		size_t clen = pr->n_tokens > o->T ? pr->tokens[o->T].pstart : pr->len, at = 0, a, b;
		idset_init(&cids, 4096);
		while (next_ident(pr->text, clen, &at, &a, &b))
			idset_add(&cids, pr->text + a, b - a);
	}
	size_t n_dep = 0, n_all = 0;
	for (size_t k = 0; k < out->n_targets; k++) {
		fid_target *t = &out->targets[k];
		idset seen;
		size_t at = 0, a, b, hl = strlen(out->target_path ? out->target_path : tf->path) + 9;
		cc_priors *pq = NULL;
		if ((rc = cc_tokenizer_encode_ex(tok, t->text, t->len, 0, &t->ids, &t->offs, &t->n)))
			goto out;
		while (t->n_query < t->n && t->offs[t->n_query].start < t->query_len)
			t->n_query++;
		if (t->n_query + 3 > t->n) {
			rc = cc_error_set(CC_ENOTFOUND, "target %s too short", t->name);
			goto out;
		}
		t->ctxdep = cc_xcalloc(t->n, 1);
		idset_init(&seen, 256);
		while (next_ident(t->text, t->len, &at, &a, &b)) {
			if (a >= hl && idset_has(&cids, t->text + a, b - a) &&
			    !idset_has(&seen, t->text + a, b - a))
				for (size_t j = 0; j < t->n; j++)
					if (t->offs[j].start < b && t->offs[j].end > a)
						t->ctxdep[j] = 1;
			idset_add(&seen, t->text + a, b - a);
		}
		idset_free(&seen);
		for (size_t j = 0; j < t->n; j++)
			n_dep += t->ctxdep[j];
		n_all += t->n;
		if ((rc = priors_of(&pq, tok, files, nf, t->text, t->query_len)))
			goto out;
		if (pq->n_tokens < o->T) {
			cc_priors_free(pq);
			rc = cc_error_set(CC_EINVAL, "query priors: %zu tokens, fewer than %zu",
			                  pq->n_tokens, o->T);
			goto out;
		}
		t->prior_q = cc_xmalloc(o->T * sizeof(float));
		t->protect_q = cc_xmalloc(o->T);
		for (size_t i = 0; i < o->T; i++) {
			CC_ASSERT(pq->tokens[i].id == out->ids[i]);
			t->prior_q[i] = pq->tokens[i].prior;
			t->protect_q[i] = pq->tokens[i].protect;
		}
		cc_priors_free(pq);
	}
	out->ctx_share = n_all ? (double)n_dep / (double)n_all : 0;
	out->dir = cc_xstrdup(rel);
	out->target_path = cc_xstrdup(tf->path);
	rc = CC_OK;
out:
	if (cids.key)
		idset_free(&cids);
	cc_priors_free(pr);
	free(cands);
	free(cfile);
	src_files_free(files, nf);
	free_strs(names, nn);
	if (rc)
		fid_sample_free(out);
	return rc;
}

int fid_sample_build(fid_sample *out, const fid_sample_opts *o, char *const *dirs, size_t n_dirs,
                     uint8_t *used, size_t index, const cc_tokenizer *tok, cc_analyzer *an)
{
	fid_rng order;
	size_t *perm;
	int rc = CC_ENOTFOUND;
	if (!n_dirs)
		return cc_error_set(CC_ENOTFOUND, "no corpus directories");
	/* one seeded order of the directories; sample i starts at position i of it */
	perm = cc_xmalloc(n_dirs * sizeof(*perm));
	for (size_t i = 0; i < n_dirs; i++)
		perm[i] = i;
	fid_rng_seed(&order, o->seed);
	for (size_t i = n_dirs; i > 1; i--) {
		size_t j = fid_rng_below(&order, i), t = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = t;
	}
	/* first: directories no earlier sample used, C of two files or more; then any directory,
	 * and a single file allowed (few-directory corpora, small T); a few shuffles of each */
	for (int pass = 0; pass < 2 && rc == CC_ENOTFOUND; pass++)
		for (size_t a = 0; a < n_dirs && rc == CC_ENOTFOUND; a++) {
			size_t d = perm[(index + a) % n_dirs];
			if (used && !pass && used[d])
				continue;
			for (int sh = 0; sh < (pass ? 16 : 4) && rc == CC_ENOTFOUND; sh++) {
				fid_rng r;
				fid_rng_seed(&r, o->seed * 0x9E3779B97F4A7C15ull + index * 1000003ull +
				                         a * 64 + (uint64_t)sh);
				rc = try_dir(out, o, dirs[d], &r, !pass, tok, an);
			}
			if (rc == CC_OK && used)
				used[d] = 1;
		}
	free(perm);
	if (rc == CC_ENOTFOUND)
		return cc_error_set(rc,
		                    "no corpus directory gives a context of %zu tokens with %d "
		                    "target functions",
		                    o->T, o->targets);
	return rc;
}
