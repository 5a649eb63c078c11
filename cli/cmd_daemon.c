/*
 * cmd_daemon.c - `codecomp daemon stop|start|ping`: control a running codecompd.
 * stop sends `shutdown` (local IPC only) and waits until the daemon no longer answers; start
 * runs the codecompd that sits next to this codecomp binary (it detaches when ready).
 */
#include "cc_client.h"
#include "cli.h"
#include "cc_common.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: codecomp daemon stop [--connect URL] [--timeout SECONDS]\n"
	           "       codecomp daemon ping [--connect URL]\n"
	           "       codecomp daemon start [codecompd options]\n\n"
	           "stop: ask codecompd to shut down and wait until it has (default 10 s).\n"
	           "ping: print the daemon's hello reply; exit 1 when none answers.\n"
	           "start: run codecompd (next to this binary, else from PATH) with the options.\n");
}

static int alive(const char *url)
{
	cc_client *c = NULL;
	json_t *r = NULL;
	int rc = cc_client_open(&c, url, getenv(CC_CLIENT_ENV_TOKEN), 1000);
	if (rc == CC_OK)
		rc = cc_client_call(&r, c, "hello", NULL);
	json_decref(r);
	cc_client_free(c);
	return rc == CC_OK;
}

static int stop(const char *url, double timeout)
{
	cc_client *c = NULL;
	json_t *r = NULL;
	char def[PATH_MAX];
	int rc = cc_client_open(&c, url, getenv(CC_CLIENT_ENV_TOKEN), (int)(timeout * 1000));
	if (rc) {
		fprintf(stderr, "codecomp: daemon stop: %s\n", cc_error_last());
		return 1;
	}
	rc = cc_client_call(&r, c, "shutdown", NULL);
	json_decref(r);
	cc_client_free(c);
	if (rc) {
		fprintf(stderr, "codecomp: daemon stop: %s\n", cc_error_last());
		return 1;
	}
	double end = cc_now() + timeout;
	while (cc_now() < end) {
		if (!alive(url)) {
			printf("codecompd at %s stopped\n", url ? url : cc_client_default_url(def, sizeof(def)));
			return 0;
		}
		struct timespec ts = {0, 20000000L};
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "codecomp: daemon stop: still answering after %.0f s\n", timeout);
	return 1;
}

static int ping(const char *url)
{
	cc_client *c = NULL;
	json_t *r = NULL;
	int rc = cc_client_open(&c, url, getenv(CC_CLIENT_ENV_TOKEN), 2000);
	if (rc == CC_OK)
		rc = cc_client_call(&r, c, "hello", NULL);
	cc_client_free(c);
	if (rc) {
		fprintf(stderr, "codecomp: daemon ping: %s\n", cc_error_last());
		return 1;
	}
	json_dumpf(r, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(r);
	return 0;
}

static int start(int argc, char **argv)
{
	char **args = cc_xcalloc((size_t)argc + 2, sizeof(char *));
	args[0] = (char *)"codecompd";
	for (int i = 2; i < argc; i++)
		args[i - 1] = argv[i];
	cli_exec_codecompd(args);
	fprintf(stderr, "codecomp: daemon start: cannot run codecompd (not next to codecomp nor in PATH)\n");
	free(args);
	return 1;
}

int cmd_daemon(int argc, char **argv)
{
	const char *url = NULL;
	double timeout = 10;
	if (argc >= 2 && !strcmp(argv[1], "start"))
		return start(argc, argv);
	if (cc_client_connect_arg(&url, &argc, argv))
		return 2;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			if (cc_parse_double(&timeout, argv[++i], 0, HUGE_VAL) || timeout <= 0) {
				fprintf(stderr, "codecomp: daemon: --timeout expects seconds > 0\n");
				return 2;
			}
		} else {
			fprintf(stderr, "codecomp: daemon: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!strcmp(argv[1], "stop"))
		return stop(url, timeout);
	if (!strcmp(argv[1], "ping"))
		return ping(url);
	fprintf(stderr, "codecomp: unknown daemon command '%s' (stop, ping, start)\n", argv[1]);
	return 2;
}
