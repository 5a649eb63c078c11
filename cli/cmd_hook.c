/*
 * cmd_hook.c - `codecomp hook install|uninstall|notify [REPO]`: git hooks that tell the daemon
 * to index the new HEAD after commit, checkout, merge and rewrite.
 *
 * The hooks never block or fail git: the notification runs in the background with a short
 * timeout, and a missing daemon is silently skipped (or started, when the repository sets
 * `git config codecomp.autostart true`). A hook that was already there is kept
 * as <name>.codecomp-chained and run first (with the original stdin and arguments); uninstall
 * puts it back.
 */
#include "cc_client.h"
#include "cli.h"
#include "cc_common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const hook_names[] = {"post-commit", "post-checkout", "post-merge",
                                         "post-rewrite", NULL};
#define HOOK_MARK "# codecomp-hook v1"
#define CHAIN_SUFFIX ".codecomp-chained"

static void usage(FILE *f)
{
	fprintf(f, "usage: codecomp hook install [--connect URL] [REPO]\n"
	           "       codecomp hook uninstall [REPO]\n"
	           "       codecomp hook notify [--connect URL] [REPO]\n\n"
	           "install: add post-commit, post-checkout, post-merge and post-rewrite hooks that ask\n"
	           "codecompd to index the new HEAD (existing hooks are chained, not replaced).\n"
	           "uninstall: remove them and restore the hooks they chained.\n"
	           "notify: what the hooks run; exits 0 silently when no daemon runs (starts one\n"
	           "when `git config codecomp.autostart true` is set in the repository).\n"
	           "REPO defaults to the current directory.\n");
}

/* Run `git -C repo rev-parse <arg>` and return its first output line (malloc'd). */
static int git_rev_parse(char **out, const char *repo, const char *arg)
{
	char cmd[PATH_MAX * 2 + 64], line[PATH_MAX];
	FILE *p;
	char *q;
	int status;
	const char *s;

	*out = NULL;
	for (s = repo; *s; s++)
		if (*s == '\'')
			return cc_error_set(CC_EINVAL, "repository path contains a quote: %s", repo);
	snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse %s 2>/dev/null", repo, arg);
	p = popen(cmd, "r");
	if (!p)
		return cc_error_set(CC_EIO, "cannot run git: %s", strerror(errno));
	q = fgets(line, sizeof(line), p);
	status = pclose(p);
	if (!q || status != 0)
		return cc_error_set(CC_EGIT, "%s is not a git repository", repo);
	line[strcspn(line, "\n")] = 0;
	*out = cc_xstrdup(line);
	return CC_OK;
}

/* Absolute hooks directory of repo (honours core.hooksPath). */
static int hooks_dir(char **out, const char *repo)
{
	char *rel = NULL, *top = NULL, buf[PATH_MAX * 2];
	int rc = git_rev_parse(&rel, repo, "--git-path hooks");
	*out = NULL;
	if (rc)
		return rc;
	if (rel[0] == '/') {
		*out = rel;
		return CC_OK;
	}
	/* Relative paths from rev-parse are relative to the directory git ran in (repo). */
	snprintf(buf, sizeof(buf), "%s/%s", repo, rel);
	free(rel);
	free(top);
	mkdir(buf, 0755); /* a repository may have no hooks directory yet */
	return cc_client_abspath(out, buf);
}

static int is_ours(const char *path)
{
	char *text = NULL;
	int ours;
	if (cc_read_file(&text, NULL, path, 1 << 20) != CC_OK)
		return 0;
	ours = strstr(text, HOOK_MARK) != NULL;
	free(text);
	return ours;
}

static int write_hook(const char *path, const char *name, const char *self, const char *url)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return cc_error_set(CC_EIO, "cannot write %s: %s", path, strerror(errno));
	fprintf(f,
	        "#!/bin/sh\n" HOOK_MARK "\n"
	        "# Installed by `codecomp hook install`; `codecomp hook uninstall` removes it and\n"
	        "# restores the hook it chains (%s" CHAIN_SUFFIX ").\n"
	        "status=0\n"
	        "chained=\"$(dirname \"$0\")/%s" CHAIN_SUFFIX "\"\n"
	        "if [ -x \"$chained\" ]; then \"$chained\" \"$@\" || status=$?; fi\n"
	        "# Ask codecompd to index the new HEAD: in the background, bounded, never failing git.\n"
	        "# The codecomp on PATH (an installed one) first, else the one that installed this.\n"
	        "cc=$(command -v codecomp 2>/dev/null) || cc='%s'\n"
	        "[ -x \"$cc\" ] || exit $status\n"
	        "top=$(git rev-parse --show-toplevel 2>/dev/null) || top=$(pwd)\n"
	        "(\"$cc\" hook notify %s%s%s\"$top\" </dev/null >/dev/null 2>&1 &) >/dev/null 2>&1\n"
	        "exit $status\n",
	        name, name, self, url ? "--connect '" : "", url ? url : "", url ? "' " : "");
	if (fclose(f) != 0)
		return cc_error_set(CC_EIO, "cannot write %s: %s", path, strerror(errno));
	if (chmod(path, 0755) != 0)
		return cc_error_set(CC_EIO, "cannot chmod %s: %s", path, strerror(errno));
	return CC_OK;
}

static int install(const char *repo, const char *url)
{
	char *dir = NULL, self[PATH_MAX];
	ssize_t n;
	int rc;

	if (url && strchr(url, '\''))
		return cc_error_set(CC_EINVAL, "URL contains a quote: %s", url);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0 || memchr(self, '\'', (size_t)n))
		snprintf(self, sizeof(self), "codecomp");
	else
		self[n] = 0;
	if ((rc = hooks_dir(&dir, repo)) != CC_OK)
		return rc;
	for (int i = 0; hook_names[i]; i++) {
		char path[PATH_MAX + 64], chained[PATH_MAX + 96];
		snprintf(path, sizeof(path), "%s/%s", dir, hook_names[i]);
		snprintf(chained, sizeof(chained), "%s" CHAIN_SUFFIX, path);
		if (access(path, F_OK) == 0 && !is_ours(path)) {
			if (access(chained, F_OK) == 0) {
				rc = cc_error_set(CC_EBUSY, "both %s and %s exist; move one away first", path,
				                  chained);
				goto out;
			}
			if (rename(path, chained) != 0) {
				rc = cc_error_set(CC_EIO, "cannot move %s aside: %s", path, strerror(errno));
				goto out;
			}
			printf("chained existing %s\n", hook_names[i]);
		}
		if ((rc = write_hook(path, hook_names[i], self, url)) != CC_OK)
			goto out;
	}
	printf("installed codecomp hooks in %s\n", dir);
out:
	free(dir);
	return rc;
}

static int uninstall(const char *repo)
{
	char *dir = NULL;
	int rc, removed = 0;
	if ((rc = hooks_dir(&dir, repo)) != CC_OK)
		return rc;
	for (int i = 0; hook_names[i]; i++) {
		char path[PATH_MAX + 64], chained[PATH_MAX + 96];
		snprintf(path, sizeof(path), "%s/%s", dir, hook_names[i]);
		snprintf(chained, sizeof(chained), "%s" CHAIN_SUFFIX, path);
		if (access(path, F_OK) != 0 || !is_ours(path))
			continue;
		if (unlink(path) != 0) {
			rc = cc_error_set(CC_EIO, "cannot remove %s: %s", path, strerror(errno));
			goto out;
		}
		removed++;
		if (access(chained, F_OK) == 0 && rename(chained, path) != 0) {
			rc = cc_error_set(CC_EIO, "cannot restore %s: %s", path, strerror(errno));
			goto out;
		}
	}
	printf(removed ? "removed codecomp hooks from %s\n" : "no codecomp hooks in %s\n", dir);
out:
	free(dir);
	return rc;
}

/* `git config codecomp.autostart true` in the repository: a hook starts a daemon when none
 * runs. */
static int autostart_wanted(const char *repo)
{
	char *v = NULL;
	int yes;
	if (git_rev_parse(&v, repo, "--git-dir") != CC_OK)
		return 0;
	free(v);
	char cmd[PATH_MAX + 96], line[32] = "";
	FILE *p;
	snprintf(cmd, sizeof(cmd), "git -C '%s' config --bool --get codecomp.autostart 2>/dev/null", repo);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	if (!fgets(line, sizeof(line), p))
		line[0] = 0;
	pclose(p);
	yes = !strncmp(line, "true", 4);
	return yes;
}

/* Run `codecompd [--listen url]` (next to this binary, else from PATH); it detaches once it
 * answers, so waiting for it is bounded by its start-up. Unless CODECOMPD_ALLOW_ROOT says
 * otherwise, the daemon serves the home directory (its default) and this repository, which
 * may lie elsewhere. */
static void start_daemon(const char *url, const char *repo)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *args[8] = {"codecompd"};
		const char *env = getenv("CODECOMPD_ALLOW_ROOT"), *home = getenv("HOME");
		int n = 1;
		if (url) {
			args[n++] = "--listen";
			args[n++] = (char *)url;
		}
		if (!env || !*env) {
			args[n++] = "--allow-root";
			args[n++] = (char *)repo;
			if (home && home[0] == '/') {
				args[n++] = "--allow-root";
				args[n++] = (char *)home;
			}
		}
		args[n] = NULL;
		int nul = open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			dup2(nul, 2);
		}
		cli_exec_codecompd(args);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* No daemon to tell: remember the repository in $XDG_STATE_HOME/codecomp/missed (default
 * ~/.local/state/...), which the next daemon of this user takes at start and indexes. */
static void remember_missed(const char *repo)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int fd;
	if (!cc_client_state_dir(dir, sizeof(dir), 1))
		return;
	snprintf(path, sizeof(path), "%s/missed", dir);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	if (fd < 0)
		return;
	/* One write per line (O_APPEND): concurrent hooks do not interleave. */
	size_t n = strlen(repo);
	char *line = cc_xmalloc(n + 2);
	memcpy(line, repo, n);
	line[n] = '\n';
	if (!strchr(repo, '\n') && write(fd, line, n + 1) < 0) {
		/* nothing more a hook can do */
	}
	free(line);
	close(fd);
}

static int notify(const char *repo, const char *url)
{
	cc_client *c = NULL;
	json_t *res = NULL;
	char *abs = NULL;
	const char *token = getenv(CC_CLIENT_ENV_TOKEN);
	int rc;
	if ((rc = cc_client_abspath(&abs, repo)) != CC_OK)
		return rc;
	/* Short timeout: a hook must never hang on a wedged daemon. */
	rc = cc_client_open(&c, url, token && *token ? token : NULL, 2000);
	if (rc == CC_ENOTFOUND && autostart_wanted(abs)) {
		start_daemon(url, abs);
		rc = cc_client_open(&c, url, token && *token ? token : NULL, 2000);
	}
	if (rc == CC_ENOTFOUND) {
		remember_missed(abs); /* no daemon: the next one catches up */
		free(abs);
		return CC_OK;
	}
	if (rc == CC_OK)
		rc = cc_client_call(&res, c, "index", json_pack("{s:s, s:s}", "repo", abs, "rev", "HEAD"));
	json_decref(res);
	cc_client_free(c);
	free(abs);
	return rc;
}

int cmd_hook(int argc, char **argv)
{
	const char *url = NULL, *repo = ".", *sub;
	int rc;
	if (cc_client_connect_arg(&url, &argc, argv))
		return 2;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	if (argc > 3 || (argc == 3 && argv[2][0] == '-')) {
		usage(stderr);
		return 2;
	}
	if (argc == 3)
		repo = argv[2];
	if (!strcmp(sub, "install"))
		rc = install(repo, url);
	else if (!strcmp(sub, "uninstall"))
		rc = uninstall(repo);
	else if (!strcmp(sub, "notify"))
		rc = notify(repo, url);
	else {
		fprintf(stderr, "codecomp: unknown hook command '%s' (install, uninstall, notify)\n", sub);
		return 2;
	}
	if (rc) {
		fprintf(stderr, "codecomp: hook %s: %s\n", sub, cc_error_last());
		return 1;
	}
	return 0;
}
