/*
 * serving.c - start, watch and stop codecompd's serving processes (see serving.h). Each is
 * this executable started again (posix_spawn of /proc/self/exe: a fork would copy nng's state
 * without its threads); it reports "ok" or its start-up error through a pipe on fd 3.
 * Everything here runs on the primary's main thread (start-up and its signal loop).
 */
#include "serving.h"

#include "cc_common.h"
#include "cc_daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAX_SERVING 64
#define READY_TIMEOUT_MS 10000

static struct {
	int n;
	char primary[PATH_MAX + 8];
	char url[MAX_SERVING][PATH_MAX + 16];
	pid_t pid[MAX_SERVING];
	int deaths[MAX_SERVING];
	double first_death[MAX_SERVING];
	char *const *argv;
	cpu_set_t affinity;
	int have_affinity;
	int stopping;
	const char *endpoints[MAX_SERVING + 2];
} S;

void cc_serving_url(char *buf, size_t n, const char *primary, int i)
{
	snprintf(buf, n, "%.*s.%d", PATH_MAX, primary, i);
}

void cc_serving_plan(const char *primary_url, int n)
{
	S.n = n < 0 ? 0 : (n > MAX_SERVING ? MAX_SERVING : n);
	snprintf(S.primary, sizeof(S.primary), "%s", primary_url);
	S.endpoints[0] = S.primary;
	for (int i = 0; i < S.n; i++) {
		cc_serving_url(S.url[i], sizeof(S.url[i]), primary_url, i + 1);
		S.endpoints[i + 1] = S.url[i];
	}
	S.endpoints[S.n + 1] = NULL;
}

const char *const *cc_serving_endpoints(void) { return S.endpoints; }

/* Start serving process i and wait for its "ok". */
static int spawn_one(int i)
{
	int fds[2], argc = 0, rc = CC_OK;
	posix_spawn_file_actions_t fa;
	char **args, msg[1024];
	ssize_t got = 0, r;

	while (S.argv[argc])
		argc++;
	if (pipe2(fds, O_CLOEXEC) != 0)
		return cc_error_set(CC_EIO, "serving process %d: pipe: %s", i + 1, strerror(errno));
	if (fds[1] == 3) { /* dup2 onto itself would keep close-on-exec */
		int moved = fcntl(fds[1], F_DUPFD_CLOEXEC, 10);
		close(fds[1]);
		fds[1] = moved;
	}
	char index[16];
	snprintf(index, sizeof(index), "%d", i + 1);
	args = cc_xcalloc((size_t)argc + 7, sizeof(char *));
	memcpy(args, S.argv, (size_t)argc * sizeof(char *));
	args[argc++] = "--listen";
	args[argc++] = S.url[i];
	args[argc++] = "--ready-fd";
	args[argc++] = "3";
	args[argc++] = "--pin-index";
	args[argc++] = index;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 3);
	/* The child inherits this thread's CPU set: hand it the whole set, not the primary's pin. */
	cpu_set_t mine;
	int swap = S.have_affinity && sched_getaffinity(0, sizeof(mine), &mine) == 0 &&
	           sched_setaffinity(0, sizeof(S.affinity), &S.affinity) == 0;
	if (posix_spawn(&S.pid[i], "/proc/self/exe", &fa, NULL, args, environ) != 0) {
		rc = cc_error_set(CC_EIO, "cannot start serving process %d: %s", i + 1, strerror(errno));
		S.pid[i] = 0;
	}
	if (swap)
		sched_setaffinity(0, sizeof(mine), &mine);
	posix_spawn_file_actions_destroy(&fa);
	free(args);
	close(fds[1]);
	if (rc) {
		close(fds[0]);
		return rc;
	}
	/* Its answer: "ok\n", or its error message when it exits (EOF). */
	for (;;) {
		struct pollfd p = {fds[0], POLLIN, 0};
		int pr = poll(&p, 1, READY_TIMEOUT_MS);
		if (pr == 0) {
			rc = cc_error_set(CC_EIO, "serving process %d (%s) did not start within %d s", i + 1,
			                  S.url[i], READY_TIMEOUT_MS / 1000);
			break;
		}
		if (pr < 0 && errno == EINTR)
			continue;
		r = read(fds[0], msg + got, sizeof(msg) - 1 - (size_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0) {
			got += r;
			if (got < (ssize_t)sizeof(msg) - 1 && !memchr(msg, '\n', (size_t)got))
				continue;
		}
		msg[got] = 0;
		if (strncmp(msg, "ok\n", 3) != 0) {
			msg[strcspn(msg, "\n")] = 0;
			rc = cc_error_set(CC_EIO, "serving process %d (%s) failed to start: %s", i + 1,
			                  S.url[i], got ? msg : "it exited");
		}
		break;
	}
	close(fds[0]);
	if (rc && S.pid[i] > 0) {
		kill(S.pid[i], SIGKILL);
		waitpid(S.pid[i], NULL, 0);
		S.pid[i] = 0;
	}
	if (!rc)
		cc_log(CC_LOG_INFO, "serving process %d (pid %d) listens on %s", i + 1, (int)S.pid[i],
		       S.url[i]);
	return rc;
}

int cc_serving_start(const char *primary_url, int n, char *const *argv,
                     const cpu_set_t *affinity)
{
	int rc = CC_OK;
	cc_serving_plan(primary_url, n);
	S.argv = argv;
	if (affinity) {
		S.affinity = *affinity;
		S.have_affinity = 1;
	}
	for (int i = 0; i < S.n && rc == CC_OK; i++)
		rc = spawn_one(i);
	if (rc)
		cc_serving_stop(2);
	return rc;
}

void cc_serving_reap(void)
{
	pid_t pid;
	int st;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		int i = 0;
		while (i < S.n && S.pid[i] != pid)
			i++;
		if (i == S.n)
			continue;
		S.pid[i] = 0;
		if (S.stopping)
			continue;
		if (WIFSIGNALED(st))
			cc_log(CC_LOG_WARN, "serving process %d (pid %d, %s) was killed by signal %d", i + 1,
			       (int)pid, S.url[i], WTERMSIG(st));
		else
			cc_log(CC_LOG_WARN, "serving process %d (pid %d, %s) exited with status %d", i + 1,
			       (int)pid, S.url[i], WEXITSTATUS(st));
		double now = cc_now();
		if (now - S.first_death[i] > 10) {
			S.first_death[i] = now;
			S.deaths[i] = 0;
		}
		if (++S.deaths[i] >= 5) {
			cc_log(CC_LOG_ERROR,
			       "serving process %d died 5 times within 10 s: left down (clients use the "
			       "other endpoints)",
			       i + 1);
			continue;
		}
		if (spawn_one(i) != CC_OK)
			cc_log(CC_LOG_ERROR, "%s", cc_error_last());
	}
}

void cc_serving_signal(int sig)
{
	for (int i = 0; i < S.n; i++)
		if (S.pid[i] > 0)
			kill(S.pid[i], sig);
}

void cc_serving_stop(double timeout)
{
	double end = cc_now() + timeout;
	int left;
	S.stopping = 1;
	cc_serving_signal(SIGTERM);
	do {
		left = 0;
		for (int i = 0; i < S.n; i++) {
			if (S.pid[i] <= 0)
				continue;
			if (waitpid(S.pid[i], NULL, WNOHANG) == S.pid[i])
				S.pid[i] = 0;
			else
				left++;
		}
		if (left)
			usleep(10000);
	} while (left && cc_now() < end);
	for (int i = 0; i < S.n; i++)
		if (S.pid[i] > 0) {
			cc_log(CC_LOG_WARN, "serving process %d (pid %d) did not stop: killed", i + 1,
			       (int)S.pid[i]);
			kill(S.pid[i], SIGKILL);
			waitpid(S.pid[i], NULL, 0);
			S.pid[i] = 0;
		}
}

json_t *cc_serving_json(void)
{
	json_t *a = json_array();
	for (int i = 0; i < S.n; i++) {
		size_t rss = S.pid[i] > 0 ? cc_daemon_rss((int)S.pid[i], NULL) : 0;
		json_array_append_new(a, json_pack("{s:i, s:s, s:b, s:I}", "pid", (int)S.pid[i], "url",
		                                   S.url[i], "alive", S.pid[i] > 0, "rss_bytes",
		                                   (json_int_t)rss));
	}
	return a;
}
