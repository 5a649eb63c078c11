/*
 * args.c - what the verbs share about the store: its options (--db, --rev, --worktree) and
 * opening it at --db or the default. The number parsers are common/'s (cc_parse_long,
 * cc_parse_double, cc_parse_size).
 */
#include "cli.h"

#include "cc_common.h"
#include "cc_store.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int cli_store_open(cc_store **out, const char *db, const char *repo, int flags,
                   const char *need_index)
{
	char *def = NULL;
	int rc;
	if (!db) {
		if ((rc = cc_store_default_db_path(&def, repo)) != CC_OK)
			return rc;
		db = def;
	}
	if (need_index && access(db, F_OK))
		rc = cc_error_set(CC_ENOTFOUND,
		                  "%s: %s is not indexed (no %s); run `codecomp index %s` first",
		                  need_index, repo, db, repo);
	else
		rc = cc_store_open(out, db, flags);
	free(def);
	return rc;
}
