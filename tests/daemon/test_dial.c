/*
 * test_dial.c - 1024 clients dialling a real codecompd at once (issue 9 item 10): the listen
 * backlog overflows and nng answers some dials with "Try again"; the client library retries
 * those with backoff, so every client gets its hello answered.
 */
#include "cc_client.h"
#include "cc_common.h"
#include "test.h"

#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define NCLIENTS 1024
static char url[256];
static pthread_barrier_t go;
static int failures;
static char first_error[256];

static void *client(void *arg)
{
	cc_client *c = NULL;
	json_t *r = NULL;
	int rc;
	(void)arg;
	pthread_barrier_wait(&go);
	rc = cc_client_open(&c, url, NULL, 20000);
	if (rc == CC_OK)
		rc = cc_client_call(&r, c, "hello", NULL);
	if (rc != CC_OK && __atomic_fetch_add(&failures, 1, __ATOMIC_SEQ_CST) == 0)
		snprintf(first_error, sizeof(first_error), "%s", cc_error_last());
	json_decref(r);
	cc_client_free(c);
	return NULL;
}

int main(void)
{
	char dir[] = "/tmp/cc-dial.XXXXXX", bin[1024], log[512];
	const char *b = getenv("CC_BIN");
	pid_t pid;
	pthread_t th[NCLIENTS];
	pthread_attr_t attr;
	int n = 0;

	snprintf(bin, sizeof(bin), "%s/codecompd", b ? b : "build/bin");
	if (access(bin, X_OK) != 0)
		TEST_SKIP("%s not built", bin);
	if (!mkdtemp(dir))
		return 1;
	snprintf(url, sizeof(url), "ipc://%s/d.sock", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	char *argv[] = {"codecompd", "--foreground", "--listen", url, "--log-file", log,
	                "--allow-root", dir, NULL};
	if (posix_spawn(&pid, bin, NULL, NULL, argv, environ) != 0)
		return 1;
	for (int i = 0; i < 200; i++) {
		cc_client *c;
		json_t *r = NULL;
		if (cc_client_open(&c, url, NULL, 1000) == CC_OK) {
			int rc = cc_client_call(&r, c, "hello", NULL);
			json_decref(r);
			cc_client_free(c);
			if (rc == CC_OK)
				break;
		}
		struct timespec ts = {0, 50000000L};
		nanosleep(&ts, NULL);
	}
	pthread_barrier_init(&go, NULL, NCLIENTS);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 << 10);
	for (; n < NCLIENTS; n++)
		if (pthread_create(&th[n], &attr, client, NULL) != 0)
			break;
	if (n < NCLIENTS) { /* fewer threads than wanted: the barrier would never open */
		fprintf(stderr, "only %d threads\n", n);
		kill(pid, SIGKILL);
		return 1;
	}
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	if (failures)
		fprintf(stderr, "%d of %d clients failed, first: %s\n", failures, n, first_error);
	CHECK_EQ_INT(failures, 0);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0) {
		/* a temporary directory left behind */
	}
	return test_result();
}
