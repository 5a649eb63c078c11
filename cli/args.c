/*
 * args.c - option parsing the verbs share: the store options (--db, --rev, --worktree). The
 * number parsers are common/'s (cc_parse_long, cc_parse_double, cc_parse_size).
 */
#include "cli.h"

#include "cc_store.h"

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
