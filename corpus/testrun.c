/*
 * testrun.c - running a repository's tests in a sandbox: a child process in its own process
 * group, working directory, HOME and TMPDIR inside a scratch directory, stdin from /dev/null,
 * output captured, killed at a deadline. Where the kernel lets an unprivileged process make
 * namespaces (user + mount + network), the child also sees every mount read-only except the
 * scratch directory, and has no network; otherwise it runs unconfined except for the
 * environment, and the result says so (cc_test_run.sandboxed).
 */
#include "cc_corpus.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void cc_test_run_clear(cc_test_run *r)
{
	if (!r)
		return;
	free(r->output);
	memset(r, 0, sizeof(*r));
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

/* In the child: new user, mount and network namespaces; every mount but dir read-only.
 * Returns 0 when confined, 1 when namespaces are not available (nothing changed), -1 when
 * confinement started but failed (the child must not run the command). */
static int confine(const char *dir)
{
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET))
		return 1;
	snprintf(map, sizeof(map), "%u %u 1", (unsigned)uid, (unsigned)uid);
	if (write_str("/proc/self/setgroups", "deny") && errno != ENOENT)
		return -1;
	if (write_str("/proc/self/uid_map", map))
		return -1;
	snprintf(map, sizeof(map), "%u %u 1", (unsigned)gid, (unsigned)gid);
	if (write_str("/proc/self/gid_map", map))
		return -1;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	if (mount(dir, dir, NULL, MS_BIND | MS_REC, NULL))
		return -1;
	FILE *mi = fopen("/proc/self/mountinfo", "r");
	if (!mi)
		return -1;
	char *line = NULL;
	size_t cap = 0, dl = strlen(dir);
	int root_ro = 0;
	while (getline(&line, &cap, mi) > 0) {
		/* id parent major:minor root mountpoint options ... */
		char *f[5] = {0}, *save = NULL, *tok = strtok_r(line, " ", &save);
		for (int k = 0; tok && k < 5; k++, tok = strtok_r(NULL, " ", &save))
			f[k] = tok;
		if (!f[4])
			continue;
		char *mp = f[4];
		unescape(mp);
		if (!strncmp(mp, dir, dl) && (mp[dl] == 0 || mp[dl] == '/'))
			continue; /* the scratch directory stays writable */
		struct statvfs sv;
		if (statvfs(mp, &sv))
			continue;
		unsigned long fl = MS_REMOUNT | MS_BIND | MS_RDONLY;
		if (sv.f_flag & ST_NOSUID)
			fl |= MS_NOSUID;
		if (sv.f_flag & ST_NODEV)
			fl |= MS_NODEV;
		if (sv.f_flag & ST_NOEXEC)
			fl |= MS_NOEXEC;
		if (sv.f_flag & ST_NOATIME)
			fl |= MS_NOATIME;
		if (sv.f_flag & ST_NODIRATIME)
			fl |= MS_NODIRATIME;
		if (sv.f_flag & ST_RELATIME)
			fl |= MS_RELATIME;
		int ok = !mount(NULL, mp, NULL, fl, NULL) || (sv.f_flag & ST_RDONLY);
		if (!strcmp(mp, "/"))
			root_ro = ok;
	}
	free(line);
	fclose(mi);
	return root_ro ? 0 : -1;
}

static int run_once(cc_test_run *out, const char *dir, char *const argv[], unsigned timeout_s,
                    size_t max_output, int try_confine, int *confine_failed)
{
	int pfd[2] = {-1, -1}, sfd[2] = {-1, -1}, rc = CC_OK;
	memset(out, 0, sizeof(*out));
	if (!max_output)
		max_output = 1 << 20;
	if (!(out->output = malloc(max_output + 1)))
		return cc_error_set(CC_ENOMEM, "out of memory");
	out->output[0] = 0;
	if (pipe2(pfd, O_CLOEXEC) || pipe2(sfd, O_CLOEXEC)) {
		rc = cc_error_set(CC_EIO, "pipe: %s", strerror(errno));
		goto out;
	}
	pid_t pid = fork();
	if (pid < 0) {
		rc = cc_error_set(CC_EIO, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		setpgid(0, 0);
		int c = try_confine ? confine(dir) : 1;
		char tag = c == 0 ? 'S' : (c == 1 ? 'U' : 'F');
		if (write(sfd[1], &tag, 1) != 1 || c < 0)
			_exit(126);
		char tmp[4200];
		snprintf(tmp, sizeof(tmp), "%s/.tmp", dir);
		if (chdir(dir))
			_exit(126);
		mkdir(tmp, 0700);
		setenv("HOME", dir, 1);
		setenv("TMPDIR", tmp, 1);
		setenv("XDG_CACHE_HOME", tmp, 1);
		setenv("XDG_CONFIG_HOME", tmp, 1);
		setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
		setenv("PYTHONHASHSEED", "0", 1);
		setenv("PYTHONPATH", dir, 1);
		unsetenv("PYTHONSTARTUP");
		int nul = open("/dev/null", O_RDONLY);
		if (nul >= 0)
			dup2(nul, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	pfd[1] = -1;
	close(sfd[1]);
	sfd[1] = -1;
	char tag = 0;
	if (read(sfd[0], &tag, 1) != 1)
		tag = 0;
	out->sandboxed = tag == 'S';
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t n = 0;
	int status = 0;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		double el = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) * 1e-9;
		if (timeout_s && el >= timeout_s) {
			out->timed_out = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			break;
		}
		struct pollfd pf = {pfd[0], POLLIN, 0};
		int left = timeout_s ? (int)((timeout_s - el) * 1000) + 1 : 1000;
		int pr = poll(&pf, 1, left > 1000 ? 1000 : left);
		if (pr < 0 && errno != EINTR)
			break;
		if (pr <= 0)
			continue;
		char buf[8192];
		ssize_t k = read(pfd[0], buf, sizeof(buf));
		if (k <= 0)
			break; /* EOF: every writer is gone */
		/* keep the end of long output: a trace is at the end */
		if (n + (size_t)k > max_output) {
			size_t drop = n + (size_t)k - max_output;
			if (drop >= n) {
				size_t skip = drop - n;
				n = 0;
				memcpy(out->output, buf + skip, (size_t)k - skip);
				n = (size_t)k - skip;
				continue;
			}
			memmove(out->output, out->output + drop, n - drop);
			n -= drop;
		}
		memcpy(out->output + n, buf, (size_t)k);
		n += (size_t)k;
	}
	out->output[n] = 0;
	out->output_len = n;
	kill(-pid, SIGKILL); /* anything the command left behind in its group */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	out->status = out->timed_out ? -1 : (WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (tag == 'F') {
		*confine_failed = 1;
		rc = cc_error_set(CC_EIO, "the sandbox could not be set up for %s", argv[0]);
	} else if (tag == 0) {
		rc = cc_error_set(CC_EIO, "the child for %s ended before starting", argv[0]);
	}
out:
	for (int i = 0; i < 2; i++) {
		if (pfd[i] >= 0)
			close(pfd[i]);
		if (sfd[i] >= 0)
			close(sfd[i]);
	}
	if (rc)
		cc_test_run_clear(out);
	return rc;
}

int cc_corpus_run_sandboxed(cc_test_run *out, const char *dir, char *const argv[],
                            unsigned timeout_s, size_t max_output)
{
	int failed = 0, rc = run_once(out, dir, argv, timeout_s, max_output, 1, &failed);
	/* namespaces exist but the mounts could not be made read-only (some containers): run
	 * with the environment confined only, and say so (sandboxed = 0) */
	if (rc && failed)
		rc = run_once(out, dir, argv, timeout_s, max_output, 0, &failed);
	return rc;
}
