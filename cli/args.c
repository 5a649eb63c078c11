/*
 * args.c - option parsing the verbs share: the store options (--db, --rev, --worktree) and
 * whole-string number parsers. Each verb keeps its own messages; these only say yes or no.
 */
#include "cli.h"

#include "cc_store.h"

#include <stdlib.h>
#include <string.h>

int cli_store_opt(int argc, char **argv, int *i, const char **db, const char **rev)
{
	const char *x = argv[*i];
	int more = *i + 1 < argc;
	if (db && !strcmp(x, "--db") && more) {
		*db = argv[++*i];
	} else if (rev && !strcmp(x, "--rev") && more) {
		*rev = argv[++*i];
	} else if (rev && !strcmp(x, "--worktree")) {
		*rev = CC_STORE_WORKTREE;
	} else {
		return 0;
	}
	return 1;
}

int cli_parse_double(double *out, const char *s, double lo, double hi)
{
	char *end;
	double v;
	if (!s || !*s)
		return -1;
	v = strtod(s, &end);
	if (*end || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

int cli_parse_long(long long *out, const char *s, long long lo, long long hi)
{
	char *end;
	long long v;
	if (!s || !*s)
		return -1;
	v = strtoll(s, &end, 10);
	if (*end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}
