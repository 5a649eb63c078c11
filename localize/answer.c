/*
 * answer.c - reading an instruct model's localization answer against the candidates: what
 * file, function and line it names, and whether they exist. Never guesses (see
 * cc_loc_answer_parse).
 */
#include "cc_localize.h"
#include "loc_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cc_loc_answer_clear(cc_loc_answer *a)
{
	if (!a)
		return;
	free(a->why);
	memset(a, 0, sizeof(*a));
}

static int set_why(cc_loc_answer *a, const char *fmt, const char *x)
{
	char buf[512];
	snprintf(buf, sizeof(buf), fmt, x ? x : "");
	a->valid = 0;
	if (!(a->why = strdup(buf)))
		return cc_error_set(CC_ENOMEM, "out of memory");
	return CC_OK;
}

/* After a label ("function", "file", "line") followed by ':' or '=' or ' is ', the value. */
static int labelled(const char *t, const char *label, char *val, size_t cap)
{
	size_t ll = strlen(label);
	for (const char *p = t; *p; p++) {
		if (strncasecmp(p, label, ll) || (p > t && isalnum((unsigned char)p[-1])))
			continue;
		const char *v = p + ll;
		while (*v == ' ' || *v == '*' || *v == '`')
			v++;
		if (*v == ':' || *v == '=')
			v++;
		else if (!strncmp(v, "is ", 3))
			v += 3;
		else
			continue;
		while (*v == ' ' || *v == '`' || *v == '"' || *v == '\'' || *v == '*')
			v++;
		size_t n = 0;
		while (v[n] && !isspace((unsigned char)v[n]) && v[n] != ',' && v[n] != '`' &&
		       v[n] != '"' && v[n] != '\'' && v[n] != ';' && n + 1 < cap)
			n++;
		while (n > 0 && (v[n - 1] == '.' || v[n - 1] == ')' || v[n - 1] == '('))
			n--;
		if (n > 1 && v[n - 2] == '(' && v[n - 1] == ')')
			n -= 2;
		memcpy(val, v, n);
		val[n] = 0;
		if (n)
			return 1;
	}
	return 0;
}

int cc_loc_answer_parse(cc_loc_answer *a, const char *ans, const cc_loc_candidates *c)
{
	char file[256] = "", func[256] = "", line[32] = "";
	memset(a, 0, sizeof(*a));
	if (!ans || !*ans)
		return set_why(a, "the answer is empty%s", "");
	labelled(ans, "file", file, sizeof(file));
	if (!labelled(ans, "function", func, sizeof(func)))
		labelled(ans, "method", func, sizeof(func));
	labelled(ans, "line", line, sizeof(line));
	/* "path.py:12" anywhere */
	if (!file[0]) {
		const char *p = ans;
		while (*p) {
			while (*p && isspace((unsigned char)*p))
				p++;
			size_t n = 0;
			while (p[n] && !isspace((unsigned char)p[n]) && p[n] != ',' && p[n] != '`')
				n++;
			const char *colon = memchr(p, ':', n);
			const char *dot = memchr(p, '.', n);
			if (dot && n < sizeof(file)) {
				size_t fl = colon ? (size_t)(colon - p) : n;
				while (fl > 0 && (p[fl - 1] == '.' || p[fl - 1] == ')'))
					fl--;
				char tmp[256];
				memcpy(tmp, p, fl);
				tmp[fl] = 0;
				for (size_t i = 0; i < c->n_funcs; i++)
					if (loc_path_match(c->funcs[i].path, tmp) == 2) {
						memcpy(file, tmp, fl + 1);
						if (colon && !line[0]) {
							size_t k = 0;
							for (const char *d = colon + 1; isdigit((unsigned char)*d) && k + 1 < sizeof(line); d++)
								line[k++] = *d;
							line[k] = 0;
						}
						break;
					}
			}
			p += n;
			if (*p)
				p++;
		}
	}
	if (file[0]) {
		int found = 0;
		for (size_t i = 0; i < c->n_funcs && !found; i++)
			found = loc_path_match(c->funcs[i].path, file) == 2;
		if (!found)
			return set_why(a, "the answer names the file '%s', which is not in the repository",
			               file);
	}
	/* the function: labelled, else any identifier of the answer that is a function name
	 * (in the named file when there is one); ambiguity without a file is not resolved */
	long ln = line[0] ? strtol(line, NULL, 10) : 0;
	size_t best = (size_t)-1;
	int n_found = 0;
	if (func[0]) {
		const char *simple = strrchr(func, '.');
		simple = simple ? simple + 1 : func;
		for (size_t i = 0; i < c->n_funcs; i++) {
			const cc_loc_func *f = &c->funcs[i];
			if (strcmp(f->name, simple) && strcmp(f->qual, func))
				continue;
			if (file[0] && loc_path_match(f->path, file) != 2)
				continue;
			if (ln > 0 && (ln < (long)f->start_line || ln > (long)f->end_line) && n_found)
				continue;
			if (best == (size_t)-1 || (ln > 0 && ln >= (long)f->start_line &&
			                           ln <= (long)f->end_line))
				best = i;
			n_found++;
		}
		if (best == (size_t)-1)
			return set_why(a, file[0] ? "the answer names the function '%s', which is not in "
			                            "the named file"
			                          : "the answer names the function '%s', which is not in "
			                            "the repository",
			               func);
	} else if (file[0] && ln > 0) {
		/* a file and a line: the innermost function holding it */
		for (size_t i = 0; i < c->n_funcs; i++) {
			const cc_loc_func *f = &c->funcs[i];
			if (loc_path_match(f->path, file) == 2 && ln >= (long)f->start_line &&
			    ln <= (long)f->end_line &&
			    (best == (size_t)-1 || f->start_line >= c->funcs[best].start_line))
				best = i;
		}
		if (best == (size_t)-1)
			return set_why(a, "the answer's line is in no function of %s", file);
	} else {
		char shown[104];
		size_t k = 0;
		for (const char *p = ans; *p && k < 100; p++)
			shown[k++] = (unsigned char)*p < 0x20 ? ' ' : *p;
		shown[k] = 0;
		return set_why(a, "the answer names no function: '%s'", shown);
	}
	a->valid = 1;
	a->func = best;
	if (ln >= (long)c->funcs[best].start_line && ln <= (long)c->funcs[best].end_line)
		a->line = (uint32_t)ln;
	return CC_OK;
}
