/*
 * cli.h - the verbs of `codecomp`. Each verb NAME is `int cmd_NAME(int argc, char **argv)` in
 * cli/cmd_NAME.c (argv[0] is the verb) and returns the process exit code: 0 ok, 1 failure
 * (one clear line on stderr, "codecomp: ..."), 2 usage error.
 *
 * Memory: cli/ is a program and may abort on a failed allocation (cc_x* of common/); the
 * libraries it calls return CC_ENOMEM instead.
 */
#ifndef CC_CLI_H
#define CC_CLI_H

#define CC_CLI_VERBS(X) \
	X(index)        \
	X(nodes)        \
	X(edges)        \
	X(tokenize)     \
	X(priors)       \
	X(score)        \
	X(generate)     \
	X(status)       \
	X(hook)         \
	X(daemon)       \
	X(ask)          \
	X(session)      \
	X(localize)     \
	X(mutate)       \
	X(mine)         \
	X(import)       \
	X(viz)          \
	X(batch)

#define CC_CLI_HELP_index "index a git repository into the code property graph"
#define CC_CLI_HELP_nodes "list the graph nodes of one file"
#define CC_CLI_HELP_edges "list the graph edges leaving one file"
#define CC_CLI_HELP_tokenize "tokenize a file exactly like a model's tokenizer.json"
#define CC_CLI_HELP_priors "per-token retention priors for a prompt over indexed files"
#define CC_CLI_HELP_score "per-token negative log-likelihood of a file under a model"
#define CC_CLI_HELP_generate "generate a continuation of a prompt"
#define CC_CLI_HELP_status "what the daemon (or the local store) holds"
#define CC_CLI_HELP_hook "install or remove the git hooks that notify the daemon"
#define CC_CLI_HELP_ask "ask a model over a compressed repository context"
#define CC_CLI_HELP_session "agent sessions in codecompd: open, generate, score, compress, list, close"
#define CC_CLI_HELP_daemon "control a running codecompd (stop)"
#define CC_CLI_HELP_localize "rank the functions and lines a bug report points at"
#define CC_CLI_HELP_mutate "inject single-line bugs into a repository: a localization corpus"
#define CC_CLI_HELP_mine "real bugs from fix commits of a repository: a localization corpus"
#define CC_CLI_HELP_import "bug records from SWE-bench style JSONL datasets"
#define CC_CLI_HELP_viz "an HTML report (and PNG) of what the KV cache kept for a localization"
#define CC_CLI_HELP_batch "localize every bug of a manifest per policy and budget; batch report"

/* exec codecompd with args (args[0] "codecompd", NULL-terminated): the one beside this
 * program, else the one on PATH. Returns only when neither could be run (errno set). */
void cli_exec_codecompd(char **args);

/* The store options several verbs share: "--db PATH" (into *db), "--rev REV" and "--worktree"
 * (into *rev; CC_STORE_WORKTREE for --worktree). When argv[*i] is one of them, with its value
 * where it takes one, store it, move *i past the value and return 1; else return 0 and touch
 * nothing. db or rev NULL: that option is not the verb's (0 for it). */
int cli_store_opt(int argc, char **argv, int *i, const char **db, const char **rev);

/* Open the store of repo into *out (cc_store_free it): at db, or when db is NULL at repo's
 * default (cc_store_default_db_path); flags as cc_store_open. need_index, when not NULL, is the
 * verb's name: a missing database then fails with CC_ENOTFOUND and "VERB: REPO is not indexed
 * (no DB); run `codecomp index REPO` first" instead of being created or refused by SQLite.
 * Returns 0 or cc_store_open's codes, with the message set (not printed). */
struct cc_store;
int cli_store_open(struct cc_store **out, const char *db, const char *repo, int flags,
                   const char *need_index);

/* Ask a running daemon (url, or the default one when NULL, as cc_client_try) for method with a
 * copy of params (borrowed) in which repo, model and db, each when not NULL, are set to their
 * absolute paths (the daemon has its own working directory). Returns CC_OK with *out (the
 * caller's), CC_CLIENT_NO_DAEMON when none runs (compute in-process), or another negative code
 * with the message set: a path that does not exist, out of memory, the daemon's error. */
struct json_t;
int cli_try_daemon(struct json_t **out, const char *url, const char *method,
                   const struct json_t *params, const char *repo, const char *model,
                   const char *db);

/* Numbers: cc_parse_long, cc_parse_double and cc_parse_size of common/ (cc_common.h). */

#endif
