/*
 * test_daemon_client.c - a real codecompd (stand-in index jobs, test methods, small limits)
 * driven through the project's client library: concurrent clients, a client that vanishes
 * mid-request, the busy and time limits (each a clear error, never a hang), malformed and
 * oversized frames, the job queue (dedup into one follow-up job, cancel), and serving
 * processes (--serve-procs: one client spread over every endpoint, jobs relayed to the
 * primary, kill -9 of a serving process under load without a failed request, its restart).
 */
#include "cc_client.h"
#include "cc_common.h"
#include "cc_proto.h"
#include "test.h"

#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>

extern char **environ;
static char url[256];
static pid_t daemon_pid;

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Start codecompd on ipc://DIR/SOCK with the test limits plus extra (NULL-terminated, may be
 * NULL) and wait until it answers; sets url and daemon_pid. */
static void start_daemon(const char *dir, const char *sock, char *const *extra)
{
	char bin[1024], log[512];
	const char *b = getenv("CC_BIN");
	snprintf(bin, sizeof(bin), "%s/codecompd", b ? b : "build/bin");
	snprintf(url, sizeof(url), "ipc://%s/%s", dir, sock);
	snprintf(log, sizeof(log), "%s/%s.log", dir, sock);
	char *argv[32] = {"codecompd", "--foreground", "--listen", url, "--test-methods", "--test-jobs",
	                  "--workers", "2", "--max-pending", "16", "--request-timeout", "1",
	                  "--max-request", "1024", "--max-queued-jobs", "3", "--log-file", log,
	                  "--allow-root", "/tmp", "--state-dir", "/tmp"};
	for (int i = 0, n = 22; extra && extra[i] && n < 31; i++)
		argv[n++] = extra[i];
	setenv("CODECOMPD_TEST_JOB_MS", "400", 1);
	if (access(bin, X_OK) != 0)
		TEST_SKIP("%s not built", bin);
	if (posix_spawn(&daemon_pid, bin, NULL, NULL, argv, environ) != 0) {
		fprintf(stderr, "cannot start %s\n", bin);
		exit(1);
	}
	for (int i = 0; i < 200; i++) {
		cc_client *c;
		if (cc_client_open(&c, url, NULL, 1000) == CC_OK) {
			json_t *r = NULL;
			int rc = cc_client_call(&r, c, "hello", NULL);
			json_decref(r);
			cc_client_free(c);
			if (rc == CC_OK)
				return;
		}
		sleep_ms(50);
	}
	fprintf(stderr, "codecompd did not start\n");
	kill(daemon_pid, SIGKILL);
	exit(1);
}

static int call(json_t **r, const char *method, json_t *params, int *code)
{
	cc_client *c;
	int rc = cc_client_open(&c, url, NULL, 5000);
	*r = NULL;
	if (rc) {
		json_decref(params);
		return rc;
	}
	rc = cc_client_call(r, c, method, params);
	if (code)
		*code = cc_client_last_code(c);
	cc_client_free(c);
	return rc;
}

/* ---- concurrent hello -------------------------------------------------------------------- */

static int hello_errors;
static void *hello_thread(void *arg)
{
	cc_client *c;
	(void)arg;
	if (cc_client_open(&c, url, NULL, 5000) != CC_OK) {
		fprintf(stderr, "hello: %s\n", cc_error_last());
		__atomic_add_fetch(&hello_errors, 100, __ATOMIC_SEQ_CST);
		return NULL;
	}
	for (int i = 0; i < 100; i++) {
		json_t *r = NULL;
		if (cc_client_call(&r, c, "hello", NULL) != CC_OK ||
		    json_integer_value(json_object_get(r, "protocol")) != CC_PROTO_VERSION) {
			if (__atomic_add_fetch(&hello_errors, 1, __ATOMIC_SEQ_CST) < 5)
				fprintf(stderr, "hello: %s\n", cc_error_last());
		}
		json_decref(r);
	}
	cc_client_free(c);
	return NULL;
}

static void test_concurrent_hello(void)
{
	pthread_t t[16];
	for (int i = 0; i < 16; i++)
		pthread_create(&t[i], NULL, hello_thread, NULL);
	for (int i = 0; i < 16; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ_INT(hello_errors, 0);
}

/* ---- a client that disconnects mid-request ------------------------------------------------ */

static void test_disconnect(void)
{
	nng_socket s;
	const char *req = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.sleep\",\"params\":{\"ms\":300}}";
	json_t *r = NULL;
	CHECK_EQ_INT(nng_req0_open(&s), 0);
	CHECK_EQ_INT(nng_dial(s, url, NULL, 0), 0);
	CHECK_EQ_INT(nng_send(s, (void *)req, strlen(req), 0), 0);
	nng_close(s); /* gone before the reply */
	/* Others are served meanwhile and afterwards. */
	CHECK_EQ_INT(call(&r, "hello", NULL, NULL), CC_OK);
	json_decref(r);
	sleep_ms(400);
	CHECK_EQ_INT(call(&r, "status", NULL, NULL), CC_OK);
	/* Only this status request is in flight: the orphaned one was finished and dropped. */
	json_t *requests = json_object_get(json_object_get(r, "daemon"), "requests");
	CHECK_EQ_INT(json_integer_value(json_object_get(requests, "in_flight")), 1);
	json_decref(r);
}

/* ---- busy and timeout ---------------------------------------------------------------------- */

struct sleeper {
	int rc, code;
	double seconds;
};

static void *sleep_thread(void *arg)
{
	struct sleeper *s = arg;
	json_t *r = NULL;
	double t0 = cc_now();
	s->rc = call(&r, "test.sleep", json_pack("{s:i}", "ms", 600), &s->code);
	s->seconds = cc_now() - t0;
	json_decref(r);
	return NULL;
}

static void test_limits(void)
{
	struct sleeper s[24];
	pthread_t t[24];
	int ok = 0, busy = 0, timeouts = 0, other = 0;
	double worst = 0;
	json_t *r = NULL;

	/* 2 workers, 16 waiting, 1 s limit: 24 sleeps of 0.6 s at once. */
	for (int i = 0; i < 24; i++)
		pthread_create(&t[i], NULL, sleep_thread, &s[i]);
	for (int i = 0; i < 24; i++) {
		pthread_join(t[i], NULL);
		if (s[i].rc == CC_OK)
			ok++;
		else if (s[i].rc == CC_EBUSY && s[i].code == CC_RPC_BUSY)
			busy++;
		else if (s[i].rc == CC_ETIMEDOUT && s[i].code == CC_RPC_TIMEOUT)
			timeouts++;
		else
			other++;
		if (s[i].seconds > worst)
			worst = s[i].seconds;
	}
	fprintf(stderr, "limits: %d ok, %d busy, %d timeouts, %d other, slowest %.2f s\n", ok, busy,
	        timeouts, other, worst);
	CHECK(ok >= 2);
	CHECK(busy >= 1);
	CHECK_EQ_INT(other, 0);
	CHECK(worst < 10.0); /* bounded: an answer, not a hang (loose for loaded CI) */

	/* One request over the time limit gets the timeout error near the limit. */
	double t0 = cc_now();
	int code = 0;
	CHECK_EQ_INT(call(&r, "test.sleep", json_pack("{s:i}", "ms", 2500), &code), CC_ETIMEDOUT);
	CHECK_EQ_INT(code, CC_RPC_TIMEOUT);
	CHECK(strstr(cc_error_last(), "limit of 1 s") != NULL);
	CHECK(cc_now() - t0 < 2.4); /* answered at the limit, before the 2.5 s work ends */
	/* let the worker finish before the next test */
	sleep_ms(1600);
}

/* ---- malformed frames ---------------------------------------------------------------------- */

static void test_frames(void)
{
	cc_client *c;
	char *reply = NULL, big[2048];
	size_t len;
	json_t *r;
	int code;
	char msg[256];

	CHECK_EQ_INT(cc_client_open(&c, url, NULL, 5000), CC_OK);
	CHECK_EQ_INT(cc_client_call_raw(&reply, &len, c, "{\"jsonrpc\":\"2.0\",\"method\":\"\xc3\x28\"}", 31), CC_OK);
	CHECK_EQ_INT(cc_proto_response_decode(&r, &code, msg, sizeof(msg), reply, len), CC_EPROTO);
	CHECK_EQ_INT(code, CC_RPC_PARSE_ERROR);
	CHECK(strstr(msg, "UTF-8") != NULL);
	free(reply);

	CHECK_EQ_INT(cc_client_call_raw(&reply, &len, c, "", 0), CC_OK);
	CHECK_EQ_INT(cc_proto_response_decode(&r, &code, msg, sizeof(msg), reply, len), CC_EPROTO);
	CHECK_EQ_INT(code, CC_RPC_PARSE_ERROR);
	free(reply);

	/* Binary garbage with NUL bytes. */
	CHECK_EQ_INT(cc_client_call_raw(&reply, &len, c, "\0\1\2{}", 5), CC_OK);
	CHECK_EQ_INT(cc_proto_response_decode(&r, &code, msg, sizeof(msg), reply, len), CC_EPROTO);
	CHECK_EQ_INT(code, CC_RPC_PARSE_ERROR);
	free(reply);

	memset(big, ' ', sizeof(big));
	big[0] = '{';
	big[sizeof(big) - 1] = '}';
	CHECK_EQ_INT(cc_client_call_raw(&reply, &len, c, big, sizeof(big)), CC_OK);
	CHECK_EQ_INT(cc_proto_response_decode(&r, &code, msg, sizeof(msg), reply, len), CC_EPROTO);
	CHECK_EQ_INT(code, CC_RPC_TOO_BIG);
	CHECK(strstr(msg, "2048 bytes") != NULL);
	free(reply);

	/* Still serving on the same connection. */
	CHECK_EQ_INT(cc_client_call(&r, c, "hello", NULL), CC_OK);
	json_decref(r);
	cc_client_free(c);
}

/* ---- job queue ------------------------------------------------------------------------------ */

static const char *job_state(long long id)
{
	static char state[32];
	json_t *r = NULL;
	state[0] = 0;
	if (call(&r, "job.status", json_pack("{s:I}", "job", (json_int_t)id), NULL) == CC_OK)
		snprintf(state, sizeof(state), "%s", json_string_value(json_object_get(r, "state")));
	json_decref(r);
	return state;
}

static long long submit(const char *repo, int *dedup)
{
	json_t *r = NULL;
	long long id = 0;
	if (call(&r, "index", json_pack("{s:s, s:s}", "repo", repo, "db", "/tmp/none.db"), NULL) == CC_OK) {
		id = json_integer_value(json_object_get(r, "job"));
		*dedup = json_is_true(json_object_get(r, "deduplicated"));
	}
	json_decref(r);
	return id;
}

static void wait_state(long long id, const char *want)
{
	for (int i = 0; i < 1000 && strcmp(job_state(id), want); i++)
		sleep_ms(10);
	CHECK_EQ_STR(job_state(id), want);
}

static void test_jobs(const char *dir)
{
	int d1 = -1, d2 = -1, d3 = -1, d4 = -1;
	json_t *r = NULL;
	long long j1 = submit(dir, &d1);
	CHECK(j1 > 0);
	CHECK_EQ_INT(d1, 0);
	wait_state(j1, "running");
	/* Two notifications while it runs: one follow-up job. */
	long long j2 = submit(dir, &d2);
	long long j3 = submit(dir, &d3);
	CHECK(j2 > j1);
	CHECK_EQ_INT(d2, 0);
	CHECK_EQ_INT(j3, j2);
	CHECK_EQ_INT(d3, 1);
	CHECK_EQ_STR(job_state(j2), "queued");
	wait_state(j1, "done");
	wait_state(j2, "done");
	CHECK_EQ_INT(call(&r, "status", NULL, NULL), CC_OK);
	CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(r, "queue"), "finished")), 2);
	json_decref(r);

	/* Cancel: a running job stops, a queued one is dropped. */
	long long j4 = submit(dir, &d4);
	wait_state(j4, "running");
	long long j5 = submit(dir, &d4);
	CHECK_EQ_INT(call(&r, "job.cancel", json_pack("{s:I}", "job", (json_int_t)j5), NULL), CC_OK);
	CHECK_EQ_STR(json_string_value(json_object_get(r, "state")), "canceled");
	json_decref(r);
	CHECK_EQ_INT(call(&r, "job.cancel", json_pack("{s:I}", "job", (json_int_t)j4), NULL), CC_OK);
	json_decref(r);
	wait_state(j4, "canceled");
	CHECK_EQ_INT(call(&r, "job.cancel", json_pack("{s:i}", "job", 999999), NULL), CC_ENOTFOUND);

	/* Job queue depth: with one job running, 3 more may wait; the next is refused "busy". */
	char sub[4][600];
	int d, code = 0;
	long long run = submit(dir, &d), q[3];
	wait_state(run, "running");
	for (int i = 0; i < 4; i++) {
		snprintf(sub[i], sizeof(sub[i]), "%s/r%d", dir, i);
		mkdir(sub[i], 0700);
	}
	for (int i = 0; i < 3; i++)
		CHECK((q[i] = submit(sub[i], &d)) > 0);
	CHECK_EQ_INT(call(&r, "index", json_pack("{s:s, s:s}", "repo", sub[3], "db", "/tmp/none.db"),
	                  &code),
	             CC_EBUSY);
	CHECK_EQ_INT(code, CC_RPC_BUSY);
	CHECK(strstr(cc_error_last(), "queue is full") != NULL);
	/* They run one after another (one job worker) and all finish. */
	for (int i = 0; i < 3; i++)
		wait_state(q[i], "done");
	wait_state(run, "done");
}

/* ---- serving processes (--serve-procs 3) ------------------------------------------------- */

static int pid_alive(int pid) { return pid > 0 && kill(pid, 0) == 0; }

/* The serving processes' pids from status (relayed to the primary). */
static int serving_pids(int *pids, int max)
{
	json_t *st = NULL, *e;
	size_t i;
	int n = 0;
	CHECK_EQ_INT(call(&st, "status", NULL, NULL), CC_OK);
	json_array_foreach(json_object_get(json_object_get(st, "daemon"), "serving"), i, e)
	{
		if (n < max)
			pids[n++] = json_is_true(json_object_get(e, "alive"))
			                    ? (int)json_integer_value(json_object_get(e, "pid"))
			                    : 0;
	}
	json_decref(st);
	return n;
}

static volatile int spread_stop;
static int spread_errors, spread_calls;
static void *spread_thread(void *arg)
{
	cc_client *c;
	int n = 0;
	(void)arg;
	if (cc_client_open(&c, url, NULL, 5000) != CC_OK || cc_client_spread(&n, c) != CC_OK ||
	    n != 3) {
		fprintf(stderr, "spread: %d endpoints: %s\n", n, cc_error_last());
		__atomic_add_fetch(&spread_errors, 1000, __ATOMIC_SEQ_CST);
		return NULL;
	}
	while (!__atomic_load_n(&spread_stop, __ATOMIC_SEQ_CST)) {
		json_t *r = NULL;
		if (cc_client_call(&r, c, "hello", NULL) != CC_OK) {
			if (__atomic_add_fetch(&spread_errors, 1, __ATOMIC_SEQ_CST) < 5)
				fprintf(stderr, "hello while a serving process died: %s\n", cc_error_last());
		}
		__atomic_add_fetch(&spread_calls, 1, __ATOMIC_SEQ_CST);
		json_decref(r);
	}
	cc_client_free(c);
	return NULL;
}

static void test_serving(void)
{
	cc_client *c = NULL;
	json_t *r = NULL;
	int n = 0, pids[4] = {0}, seen[3] = {0}, nseen = 0;

	/* One client, three endpoints: requests reach every process, which all answer as one
	 * daemon (same pid, same endpoints). */
	CHECK_EQ_INT(cc_client_open(&c, url, NULL, 5000), CC_OK);
	CHECK_EQ_INT(cc_client_spread(&n, c), CC_OK);
	CHECK_EQ_INT(n, 3);
	for (int i = 0; i < 60; i++) {
		CHECK_EQ_INT(cc_client_call(&r, c, "hello", NULL), CC_OK);
		CHECK_EQ_INT((int)json_integer_value(json_object_get(r, "pid")), (int)daemon_pid);
		CHECK_EQ_INT((int)json_array_size(json_object_get(r, "endpoints")), 3);
		int p = (int)json_integer_value(json_object_get(r, "process")), k = 0;
		while (k < nseen && seen[k] != p)
			k++;
		if (k == nseen && nseen < 3)
			seen[nseen++] = p;
		json_decref(r);
	}
	CHECK_EQ_INT(nseen, 3);

	/* Jobs are the primary's whichever process takes the request. */
	long long id[3];
	for (int i = 0; i < 3; i++) {
		char repo[64];
		snprintf(repo, sizeof(repo), "/tmp/serving-%d", i);
		CHECK_EQ_INT(cc_client_call(&r, c, "index",
		                            json_pack("{s:s, s:s}", "repo", "/tmp", "db", repo)),
		             CC_OK);
		id[i] = json_integer_value(json_object_get(r, "job"));
		json_decref(r);
	}
	for (int i = 0; i < 3; i++) {
		CHECK_EQ_INT(cc_client_call(&r, c, "job.status", json_pack("{s:I}", "job", id[i])),
		             CC_OK);
		CHECK_EQ_INT((int)json_integer_value(json_object_get(r, "job")), (int)id[i]);
		json_decref(r);
	}
	cc_client_free(c);

	/* kill -9 a serving process under load: no request fails (nng sends it again through
	 * another connection) and the primary starts a new one on the same socket. */
	CHECK_EQ_INT(serving_pids(pids, 4), 2);
	CHECK(pid_alive(pids[0]) && pid_alive(pids[1]));
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, spread_thread, NULL);
	sleep_ms(200);
	kill(pids[0], SIGKILL);
	sleep_ms(500);
	__atomic_store_n(&spread_stop, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ_INT(spread_errors, 0);
	CHECK(spread_calls > 100);
	int again[4] = {0};
	for (int i = 0; i < 100; i++) {
		serving_pids(again, 4);
		if (again[0] > 0 && again[0] != pids[0])
			break;
		sleep_ms(50);
	}
	CHECK(again[0] > 0 && again[0] != pids[0] && pid_alive(again[0]));
	CHECK_EQ_INT(again[1], pids[1]);

	/* SIGTERM to the primary stops every process. */
	kill(daemon_pid, SIGTERM);
	int st = 0;
	waitpid(daemon_pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(!pid_alive(again[0]) && !pid_alive(again[1]));
}

int main(void)
{
	char dir[] = "/tmp/cc-daemon-client.XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	start_daemon(dir, "d.sock", NULL);
	test_concurrent_hello();
	test_disconnect();
	test_frames();
	test_jobs(dir);
	test_limits();
	kill(daemon_pid, SIGTERM);
	int st = 0;
	waitpid(daemon_pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	char *serve[] = {"--serve-procs", "3", NULL};
	start_daemon(dir, "s.sock", serve);
	test_serving();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return test_result();
}
