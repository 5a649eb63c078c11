/*
 * dataset.c - the metadata files of two bug datasets, parsed without touching any repository:
 * BugsInPy (projects/P/bugs/N/bug.info: key="value" lines; run_test.sh: the test commands) and
 * Defects4J (framework/projects/P/active-bugs.csv; trigger_tests/N: "--- Class::method" then
 * the failure's stack trace), and the reversal of a unified diff (Defects4J's patches go from
 * the fixed version to the buggy one). Pure text in, malloc'd C values out; every function
 * meets outside input and is fuzzed (tests/fuzz/fuzz_dataset.c).
 */
#include "cc_corpus.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cc_strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static int strv_push(char ***v, size_t *n, size_t *cap, const char *s, size_t len)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 8;
		char **nv = realloc(*v, c * sizeof(*nv));
		if (!nv)
			return cc_error_set(CC_ENOMEM, "out of memory");
		*v = nv;
		*cap = c;
	}
	char *d = malloc(len + 1);
	if (!d)
		return cc_error_set(CC_ENOMEM, "out of memory");
	memcpy(d, s, len);
	d[len] = 0;
	(*v)[(*n)++] = d;
	return CC_OK;
}

static int is_hexrev(const char *s)
{
	size_t n = strlen(s);
	if (n < 7 || n > 40)
		return 0;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* The next line of text[*pos, len): [*b, *e) without its line end; 0 at the end. */
static int next_line(const char *text, size_t len, size_t *pos, size_t *b, size_t *e)
{
	if (*pos >= len)
		return 0;
	*b = *pos;
	const char *nl = memchr(text + *pos, '\n', len - *pos);
	*e = nl ? (size_t)(nl - text) : len;
	*pos = nl ? *e + 1 : len;
	while (*e > *b && (text[*e - 1] == '\r'))
		(*e)--;
	return 1;
}

void cc_bugsinpy_info_clear(cc_bugsinpy_info *in)
{
	if (!in)
		return;
	free(in->buggy);
	free(in->fixed);
	free(in->python_version);
	cc_strv_free(in->test_files, in->n_test_files);
	memset(in, 0, sizeof(*in));
}

int cc_bugsinpy_info_parse(cc_bugsinpy_info *out, const char *text, size_t len)
{
	size_t pos = 0, b, e, lineno = 0, cap = 0;
	int rc = CC_OK;
	memset(out, 0, sizeof(*out));
	while (next_line(text, len, &pos, &b, &e)) {
		lineno++;
		while (b < e && (text[b] == ' ' || text[b] == '\t'))
			b++;
		if (b == e || text[b] == '#')
			continue;
		const char *eq = memchr(text + b, '=', e - b);
		if (!eq) {
			rc = cc_error_set(CC_EPARSE, "bug.info line %zu: not key=\"value\"", lineno);
			goto out;
		}
		size_t kl = (size_t)(eq - (text + b)), vb = (size_t)(eq - text) + 1, ve = e;
		while (kl && (text[b + kl - 1] == ' ' || text[b + kl - 1] == '\t'))
			kl--;
		while (vb < ve && (text[vb] == ' ' || text[vb] == '\t'))
			vb++;
		while (ve > vb && (text[ve - 1] == ' ' || text[ve - 1] == '\t'))
			ve--;
		if (ve - vb >= 2 && (text[vb] == '"' || text[vb] == '\'') && text[ve - 1] == text[vb]) {
			vb++;
			ve--;
		}
		if (memchr(text + vb, 0, ve - vb)) {
			rc = cc_error_set(CC_EPARSE, "bug.info line %zu: a NUL byte in the value", lineno);
			goto out;
		}
		char **dst = NULL;
		if (kl == 15 && !memcmp(text + b, "buggy_commit_id", 15))
			dst = &out->buggy;
		else if (kl == 15 && !memcmp(text + b, "fixed_commit_id", 15))
			dst = &out->fixed;
		else if (kl == 14 && !memcmp(text + b, "python_version", 14))
			dst = &out->python_version;
		if (dst) {
			free(*dst);
			if (!(*dst = strndup(text + vb, ve - vb))) {
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
		} else if (kl == 9 && !memcmp(text + b, "test_file", 9)) {
			/* several files are separated by ';' */
			size_t s = vb;
			for (size_t k = vb; k <= ve; k++) {
				if (k < ve && text[k] != ';')
					continue;
				size_t tb = s, te = k;
				while (tb < te && text[tb] == ' ')
					tb++;
				while (te > tb && text[te - 1] == ' ')
					te--;
				if (te > tb &&
				    (rc = strv_push(&out->test_files, &out->n_test_files, &cap, text + tb, te - tb)))
					goto out;
				s = k + 1;
			}
		}
	}
	if (!out->buggy || !out->fixed) {
		rc = cc_error_set(CC_EPARSE, "bug.info lacks %s", !out->buggy ? "buggy_commit_id" : "fixed_commit_id");
		goto out;
	}
	if (!is_hexrev(out->buggy) || !is_hexrev(out->fixed)) {
		rc = cc_error_set(CC_EPARSE, "bug.info: %s '%.60s' is not a commit id (7-40 hex digits)",
		                  !is_hexrev(out->buggy) ? "buggy_commit_id" : "fixed_commit_id",
		                  !is_hexrev(out->buggy) ? out->buggy : out->fixed);
		goto out;
	}
out:
	if (rc)
		cc_bugsinpy_info_clear(out);
	return rc;
}

/* Does the word [b, e) start a test runner's arguments (the runner itself or an option)? */
static int runner_word(const char *w, size_t n)
{
	static const char *const words[] = {"pytest", "py.test", "python", "python3", "-m",
	                                    "unittest", "tox", "nosetests", "nose", NULL};
	for (int i = 0; words[i]; i++)
		if (strlen(words[i]) == n && !memcmp(words[i], w, n))
			return 1;
	return 0;
}

int cc_bugsinpy_tests_parse(char ***tests, size_t *n_tests, const char *text, size_t len)
{
	size_t pos = 0, b, e, cap = 0;
	int rc = CC_OK;
	*tests = NULL;
	*n_tests = 0;
	while (next_line(text, len, &pos, &b, &e)) {
		size_t k = b;
		int seen_runner = 0;
		while (k < e) {
			while (k < e && (text[k] == ' ' || text[k] == '\t'))
				k++;
			size_t wb = k;
			while (k < e && text[k] != ' ' && text[k] != '\t')
				k++;
			if (k == wb)
				break;
			if (text[wb] == '#')
				break;
			if (runner_word(text + wb, k - wb)) {
				seen_runner = 1;
				continue;
			}
			if (!seen_runner || text[wb] == '-')
				continue; /* an option, or a command that runs no test ("cd x") */
			/* a test id: pytest "path::Class::test", unittest "pkg.mod.Class.test" */
			if (memchr(text + wb, 0, k - wb) || k - wb > 4096)
				continue;
			if ((rc = strv_push(tests, n_tests, &cap, text + wb, k - wb)))
				goto out;
		}
	}
	if (!*n_tests)
		rc = cc_error_set(CC_EPARSE, "run_test.sh names no test (expected lines like "
		                             "'pytest path::test' or 'python -m unittest mod.Class.test')");
out:
	if (rc) {
		cc_strv_free(*tests, *n_tests);
		*tests = NULL;
		*n_tests = 0;
	}
	return rc;
}

int cc_d4j_active_bugs_parse(cc_d4j_bug **out, size_t *n_out, const char *text, size_t len)
{
	size_t pos = 0, b, e, lineno = 0, n = 0, cap = 0;
	cc_d4j_bug *v = NULL;
	int rc = CC_OK;
	*out = NULL;
	*n_out = 0;
	while (next_line(text, len, &pos, &b, &e)) {
		lineno++;
		if (b == e)
			continue;
		if (lineno == 1) {
			static const char hdr[] = "bug.id,revision.id.buggy,revision.id.fixed";
			if (e - b < sizeof(hdr) - 1 || memcmp(text + b, hdr, sizeof(hdr) - 1)) {
				rc = cc_error_set(CC_EPARSE, "active-bugs.csv line 1: expected the header "
				                             "'%s,...'",
				                  hdr);
				goto out;
			}
			continue;
		}
		if (memchr(text + b, 0, e - b)) {
			rc = cc_error_set(CC_EPARSE, "active-bugs.csv line %zu: a NUL byte", lineno);
			goto out;
		}
		/* fields: id, buggy, fixed, then report id and url (optional) */
		const char *f[5] = {0};
		size_t fl[5] = {0};
		int nf = 0;
		size_t s = b;
		for (size_t k = b; k <= e && nf < 5; k++) {
			if (k < e && text[k] != ',')
				continue;
			f[nf] = text + s;
			fl[nf++] = k - s;
			s = k + 1;
		}
		if (nf < 3) {
			rc = cc_error_set(CC_EPARSE, "active-bugs.csv line %zu: fewer than 3 fields", lineno);
			goto out;
		}
		char id[24], buggy[48], fixed[48];
		if (!fl[0] || fl[0] >= sizeof(id) || fl[1] >= sizeof(buggy) || fl[2] >= sizeof(fixed)) {
			rc = cc_error_set(CC_EPARSE, "active-bugs.csv line %zu: a field is empty or too long",
			                  lineno);
			goto out;
		}
		memcpy(id, f[0], fl[0]);
		id[fl[0]] = 0;
		memcpy(buggy, f[1], fl[1]);
		buggy[fl[1]] = 0;
		memcpy(fixed, f[2], fl[2]);
		fixed[fl[2]] = 0;
		char *end;
		long bid = strtol(id, &end, 10);
		if (*end || bid < 1 || bid > INT_MAX || !isdigit((unsigned char)id[0])) {
			rc = cc_error_set(CC_EPARSE, "active-bugs.csv line %zu: bug.id '%s' is not a positive "
			                             "number",
			                  lineno, id);
			goto out;
		}
		if (!is_hexrev(buggy) || !is_hexrev(fixed)) {
			rc = cc_error_set(CC_EPARSE, "active-bugs.csv line %zu: revision '%s' is not a commit "
			                             "id (7-40 hex digits)",
			                  lineno, !is_hexrev(buggy) ? buggy : fixed);
			goto out;
		}
		if (n == cap) {
			size_t c = cap ? 2 * cap : 32;
			cc_d4j_bug *nv = realloc(v, c * sizeof(*nv));
			if (!nv) {
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
			v = nv;
			cap = c;
		}
		cc_d4j_bug *d = &v[n];
		memset(d, 0, sizeof(*d));
		d->id = (int)bid;
		memcpy(d->buggy, buggy, strlen(buggy) + 1); /* is_hexrev: at most 40 digits */
		memcpy(d->fixed, fixed, strlen(fixed) + 1);
		if (nf >= 4 && fl[3] && !(d->report = strndup(f[3], fl[3]))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		n++;
	}
	if (!lineno) {
		rc = cc_error_set(CC_EPARSE, "active-bugs.csv is empty");
		goto out;
	}
	*out = v;
	*n_out = n;
	v = NULL;
	n = 0;
out:
	cc_d4j_bugs_free(v, n);
	return rc;
}

void cc_d4j_bugs_free(cc_d4j_bug *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].report);
	free(v);
}

int cc_d4j_trigger_parse(char ***tests, size_t *n_tests, char **first_error, const char *text,
                         size_t len)
{
	size_t pos = 0, b, e, cap = 0;
	int rc = CC_OK, want_error = 0;
	*tests = NULL;
	*n_tests = 0;
	if (first_error)
		*first_error = NULL;
	while (next_line(text, len, &pos, &b, &e)) {
		if (e - b > 4 && !memcmp(text + b, "--- ", 4)) {
			size_t tb = b + 4, te = e;
			while (te > tb && (text[te - 1] == ' ' || text[te - 1] == '\t'))
				te--;
			if (te == tb || memchr(text + tb, 0, te - tb))
				continue;
			if ((rc = strv_push(tests, n_tests, &cap, text + tb, te - tb)))
				goto out;
			want_error = first_error && !*first_error;
		} else if (want_error && e > b && !memchr(text + b, 0, e - b)) {
			/* the exception line follows the test's name */
			if (!(*first_error = strndup(text + b, e - b > 400 ? 400 : e - b))) {
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
			want_error = 0;
		}
	}
	if (!*n_tests)
		rc = cc_error_set(CC_EPARSE, "trigger_tests names no test (expected '--- Class::method' "
		                             "lines)");
out:
	if (rc) {
		cc_strv_free(*tests, *n_tests);
		*tests = NULL;
		*n_tests = 0;
		if (first_error) {
			free(*first_error);
			*first_error = NULL;
		}
	}
	return rc;
}

typedef struct {
	char *p;
	size_t n, cap;
} obuf;

static int put(obuf *o, const char *s, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		size_t c = o->cap ? o->cap : 256;
		while (c < o->n + n + 1)
			c *= 2;
		char *np = realloc(o->p, c);
		if (!np)
			return cc_error_set(CC_ENOMEM, "out of memory");
		o->p = np;
		o->cap = c;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = 0;
	return CC_OK;
}

static int flush_block(obuf *o, obuf *rem, obuf *add)
{
	int rc = CC_OK;
	if ((rem->n && (rc = put(o, rem->p, rem->n))) || (add->n && (rc = put(o, add->p, add->n))))
		return rc;
	rem->n = add->n = 0;
	return CC_OK;
}

int cc_diff_reverse(char **out, const char *patch, size_t len)
{
	obuf o = {0}, rem = {0}, add = {0};
	size_t pos = 0, b, e, lineno = 0, hunk_line = 0;
	int rc = CC_OK;
	const char *minus = NULL; /* a "--- " line waiting for its "+++ " */
	size_t minus_len = 0;
	/* the lines the current hunk still holds, by its header: inside a hunk every line is
	 * content (a removed "-- x" is not a file header), outside one only headers change */
	unsigned long old_left = 0, new_left = 0;
	*out = NULL;
	while (next_line(patch, len, &pos, &b, &e)) {
		const char *l = patch + b;
		size_t ll = e - b;
		lineno++;
		if (memchr(l, 0, ll)) {
			rc = cc_error_set(CC_EPARSE, "patch line %zu: a NUL byte", lineno);
			goto out;
		}
		if (old_left || new_left) {
			char first = ll ? l[0] : ' ';
			if (first == '-' || first == '+') {
				unsigned long *left = first == '-' ? &old_left : &new_left;
				if (!*left) {
					rc = cc_error_set(CC_EPARSE,
					                  "patch line %zu: more %s lines than the hunk header "
					                  "at line %zu counts",
					                  lineno, first == '-' ? "removed" : "added", hunk_line);
					goto out;
				}
				(*left)--;
				/* a change block: its removals (the original additions) go first */
				obuf *dst = first == '+' ? &rem : &add;
				char sw = first == '-' ? '+' : '-';
				if ((rc = put(dst, &sw, 1)) || (rc = put(dst, l + 1, ll - 1)) ||
				    (rc = put(dst, "\n", 1)))
					goto out;
			} else if (first == ' ' || first == '\\') {
				if (first == ' ') {
					if (!old_left || !new_left) {
						rc = cc_error_set(CC_EPARSE,
						                  "patch line %zu: a context line the hunk header at "
						                  "line %zu does not count",
						                  lineno, hunk_line);
						goto out;
					}
					old_left--;
					new_left--;
				}
				if ((rc = flush_block(&o, &rem, &add)) || (rc = put(&o, l, ll)) ||
				    (rc = put(&o, "\n", 1)))
					goto out;
			} else {
				rc = cc_error_set(CC_EPARSE,
				                  "patch line %zu: the hunk at line %zu ends early (%lu removed "
				                  "and %lu added lines missing)",
				                  lineno, hunk_line, old_left, new_left);
				goto out;
			}
			if (!old_left && !new_left && (rc = flush_block(&o, &rem, &add)))
				goto out;
			continue;
		}
		if (ll >= 4 && !memcmp(l, "--- ", 4) && !minus) {
			minus = l;
			minus_len = ll;
			continue;
		}
		if (minus) {
			if (ll < 4 || memcmp(l, "+++ ", 4)) {
				rc = cc_error_set(CC_EPARSE, "patch line %zu: '--- ' not followed by '+++ '",
				                  lineno);
				goto out;
			}
			/* swap the file headers, and their a/ b/ prefixes */
			const char *np = l + 4, *op = minus + 4;
			size_t nl = ll - 4, ol = minus_len - 4;
			if (nl >= 2 && !memcmp(np, "b/", 2))
				np += 2, nl -= 2;
			if (ol >= 2 && !memcmp(op, "a/", 2))
				op += 2, ol -= 2;
			int nd = nl >= 9 && !memcmp(np, "/dev/null", 9), od = ol >= 9 && !memcmp(op, "/dev/null", 9);
			if ((rc = put(&o, "--- ", 4)) || (!nd && (rc = put(&o, "a/", 2))) ||
			    (rc = put(&o, np, nl)) || (rc = put(&o, "\n+++ ", 5)) ||
			    (!od && (rc = put(&o, "b/", 2))) || (rc = put(&o, op, ol)) ||
			    (rc = put(&o, "\n", 1)))
				goto out;
			minus = NULL;
			continue;
		}
		if (ll >= 4 && !memcmp(l, "@@ -", 4)) {
			unsigned a, an = 1, c, cn = 1;
			int k = 0;
			char tail[512], hdr[1024];
			/* @@ -a[,an] +c[,cn] @@ rest, parsed from a NUL-terminated copy (the input
			 * need not be terminated) */
			size_t hl0 = ll < sizeof(hdr) - 1 ? ll : sizeof(hdr) - 1;
			memcpy(hdr, l, hl0);
			hdr[hl0] = 0;
			l = hdr;
			ll = hl0;
			const char *p = l + 4;
			char *endp;
			a = (unsigned)strtoul(p, &endp, 10);
			k = endp != p;
			p = endp;
			if (k && *p == ',') {
				const char *q = p + 1;
				an = (unsigned)strtoul(q, &endp, 10);
				k = endp != q;
				p = endp;
			}
			if (k && *p == ' ' && p[1] == '+') {
				const char *q = p + 2;
				c = (unsigned)strtoul(q, &endp, 10);
				k = endp != q;
				p = endp;
				if (k && *p == ',') {
					q = p + 1;
					cn = (unsigned)strtoul(q, &endp, 10);
					k = endp != q;
					p = endp;
				}
			} else {
				k = 0;
			}
			if (!k || (size_t)(p - l) > ll || strncmp(p, " @@", 3)) {
				rc = cc_error_set(CC_EPARSE, "patch line %zu: a malformed hunk header", lineno);
				goto out;
			}
			size_t rest = ll - (size_t)(p + 3 - l);
			/* the header's text (a function name), cut at 400 bytes; a cut that ends in
			 * carriage returns drops them, as reading the line does, so that reversing
			 * the output gives the same header back */
			size_t tl = rest > 400 ? 400 : rest;
			while (tl && p[3 + tl - 1] == '\r')
				tl--;
			snprintf(tail, sizeof(tail), "%.*s", (int)tl, p + 3);
			char h[600];
			int hl = snprintf(h, sizeof(h), "@@ -%u,%u +%u,%u @@%s\n", c, cn, a, an, tail);
			if ((rc = put(&o, h, (size_t)hl)))
				goto out;
			old_left = an;
			new_left = cn;
			hunk_line = lineno;
			continue;
		}
		/* outside a hunk: kept as it is (a commit message, "diff --git", "index" lines) */
		if ((rc = put(&o, l, ll)) || (rc = put(&o, "\n", 1)))
			goto out;
	}
	if (old_left || new_left) {
		rc = cc_error_set(CC_EPARSE,
		                  "patch: ends inside the hunk at line %zu (%lu removed and %lu added "
		                  "lines missing)",
		                  hunk_line, old_left, new_left);
		goto out;
	}
	if (minus) {
		rc = cc_error_set(CC_EPARSE, "patch: '--- ' at the end without '+++ '");
		goto out;
	}
	if (!o.p && (rc = put(&o, "", 0)))
		goto out;
	*out = o.p;
	o.p = NULL;
out:
	free(o.p);
	free(rem.p);
	free(add.p);
	return rc;
}
