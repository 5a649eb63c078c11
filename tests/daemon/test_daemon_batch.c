/*
 * test_daemon_batch.c - continuous batching and device placement through a real codecompd
 * (--model pycode-16m --device cpu,cpu: two CPU engines standing in for devices) over nng
 * sockets with the project's client: two sessions are placed on different devices; N
 * concurrent session.generate calls (greedy, and sampled with seeds) from N clients give
 * exactly the tokens of the same calls one by one; they ran batched (status reports steps of
 * several rows per device); models and status report KV memory per device, back to the
 * sessions' own blocks afterwards; concurrent HTTP completions, plain and SSE streamed, equal
 * the same requests alone (tests/daemon/http_batch.py); a device that fails is taken out (its
 * session answers an error naming it, the other serves on); a bad --device is refused at
 * start.
 */
#include "cc_client.h"
#include "cc_common.h"
#include "test.h"

#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static char url[256];
static pid_t daemon_pid;

#define N_REQ 6

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static const char *bin_path(void)
{
	static char bin[1024];
	const char *b = getenv("CC_BIN");
	snprintf(bin, sizeof(bin), "%s/codecompd", b ? b : "build/bin");
	return bin;
}

static char http_addr[64];

static int start_daemon(const char *dir, const char *model, const char *devices)
{
	char log[512];
	snprintf(http_addr, sizeof(http_addr), "127.0.0.1:%d", 20000 + (int)(getpid() % 20000));
	snprintf(url, sizeof(url), "ipc://%s/d.sock", dir);
	snprintf(log, sizeof(log), "%s/d.log", dir);
	char *argv[] = {"codecompd", "--foreground", "--listen", url, "--workers", "10",
	                "--request-timeout", "120", "--log-file", log, "--allow-root", "/tmp",
	                "--gpu-memory", "64000000", "--device", (char *)devices, "--model",
	                (char *)model, "--http", http_addr, NULL};
	if (posix_spawn(&daemon_pid, bin_path(), NULL, NULL, argv, environ) != 0)
		return -1;
	for (int i = 0; i < 400; i++) {
		cc_client *c;
		int st;
		if (waitpid(daemon_pid, &st, WNOHANG) == daemon_pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		if (cc_client_open(&c, url, NULL, 1000) == CC_OK) {
			json_t *r = NULL;
			int rc = cc_client_call(&r, c, "hello", NULL);
			json_decref(r);
			cc_client_free(c);
			if (rc == CC_OK)
				return 0;
		}
		sleep_ms(50);
	}
	kill(daemon_pid, SIGKILL);
	return -1;
}

static int call(json_t **r, const char *method, json_t *params)
{
	cc_client *c;
	int rc = cc_client_open(&c, url, NULL, 120000);
	*r = NULL;
	if (rc) {
		json_decref(params);
		return rc;
	}
	rc = cc_client_call(r, c, method, params);
	if (rc)
		fprintf(stderr, "%s: %s\n", method, cc_error_last());
	cc_client_free(c);
	return rc;
}

static char *synth(size_t n_funcs, size_t seed)
{
	size_t cap = n_funcs * 220 + 64, o = 0;
	char *t = malloc(cap);
	for (size_t i = 0; i < n_funcs; i++)
		o += (size_t)snprintf(t + o, cap - o,
		                      "def op_%zu_%zu(rows, width):\n    if len(rows) > width:\n"
		                      "        return rows[:%zu]\n    acc = sum(rows) + %zu\n"
		                      "    return op_%zu_%zu(rows + [acc], width)\n\n",
		                      seed, i, i + 2, (i * 3 + seed) % 11, seed, i ? i - 1 : 0);
	return t;
}

typedef struct {
	const char *id;
	int k;
	int rc;
	json_t *ids;
	char *text;
} req;

static const char *prompts[3] = {"def main(args):\n", "class Table:\n    def ", "import sys\n\n"};

static void *run_req(void *p)
{
	req *q = p;
	json_t *r = NULL;
	json_t *params = json_pack("{s:s, s:s, s:i}", "id", q->id, "prompt", prompts[q->k % 3],
	                           "max_new", 16);
	if (q->k % 3 == 1) {
		json_object_set_new(params, "temperature", json_real(0.7));
		json_object_set_new(params, "seed", json_integer(40 + q->k));
	}
	q->rc = call(&r, "session.generate", params);
	if (!q->rc) {
		q->ids = json_incref(json_object_get(r, "ids"));
		q->text = strdup(json_string_value(json_object_get(r, "text")));
	}
	json_decref(r);
	return NULL;
}

/* The device entries of the first model of a models / status reply. */
static json_t *devices_of(json_t *r)
{
	return json_object_get(json_array_get(json_object_get(r, "models"), 0), "devices");
}

int main(void)
{
	const char *model = test_model_dir();
	char dir[] = "/tmp/cc_batchd_XXXXXX";
	char ids[2][64];
	req seq[N_REQ], conc[N_REQ];
	pthread_t th[N_REQ];
	json_t *r = NULL;
	int st;

	if (!model) {
		fprintf(stderr, "test_daemon_batch: the shared model is absent "
		                "(../shared/models/pycode-16m or CC_MODEL_DIR), skipped\n");
		return 77;
	}
	if (access(bin_path(), X_OK) != 0)
		TEST_SKIP("%s not built", bin_path());
	if (!mkdtemp(dir))
		return 1;

	/* a bad device list stops the start with a message */
	CHECK(start_daemon(dir, model, "cpu,cuda") > 0);

	if (start_daemon(dir, model, "cpu,cpu") != 0) {
		fprintf(stderr, "codecompd did not start\n");
		return 1;
	}
	CHECK_EQ_INT(call(&r, "models", NULL), CC_OK);
	CHECK_EQ_INT(json_array_size(devices_of(r)), 2);
	CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(devices_of(r), 1),
	                                               "device_id")),
	             "cpu:1");
	json_decref(r);

	/* two sessions: one per device (the second goes where more is free) */
	for (int i = 0; i < 2; i++) {
		char *text = synth(8 + 4 * (size_t)i, (size_t)i);
		CHECK_EQ_INT(call(&r, "session.open",
		                  json_pack("{s:s, s:s, s:s, s:f}", "model", model, "text", text,
		                            "policy", i ? "snapkv" : "full", "budget", 0.5)),
		             CC_OK);
		snprintf(ids[i], sizeof(ids[i]), "%s",
		         r ? json_string_value(json_object_get(r, "id")) : "");
		CHECK_EQ_STR(json_string_value(json_object_get(r, "device_id")), i ? "cpu:1" : "cpu:0");
		json_decref(r);
		free(text);
	}

	/* one by one, then all at once from N clients */
	for (int i = 0; i < N_REQ; i++) {
		seq[i] = (req){ids[i % 2], i, 0, NULL, NULL};
		run_req(&seq[i]);
	}
	for (int i = 0; i < N_REQ; i++) {
		conc[i] = (req){ids[i % 2], i, 0, NULL, NULL};
		pthread_create(&th[i], NULL, run_req, &conc[i]);
	}
	for (int i = 0; i < N_REQ; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < N_REQ; i++) {
		CHECK_EQ_INT(seq[i].rc, CC_OK);
		CHECK_EQ_INT(conc[i].rc, CC_OK);
		CHECK(seq[i].ids && json_array_size(seq[i].ids) == 16);
		CHECK(json_equal(seq[i].ids, conc[i].ids));
		CHECK_EQ_STR(conc[i].text, seq[i].text);
		json_decref(seq[i].ids);
		json_decref(conc[i].ids);
		free(seq[i].text);
		free(conc[i].text);
	}

	/* status: memory per device, and batched steps of several rows */
	CHECK_EQ_INT(call(&r, "status", NULL), CC_OK);
	{
		json_t *devs = devices_of(r), *d;
		size_t k, max_rows = 0, used = 0;
		CHECK_EQ_INT(json_array_size(devs), 2);
		json_array_foreach(devs, k, d)
		{
			size_t mr = (size_t)json_integer_value(json_object_get(d, "batch_max_rows"));
			if (mr > max_rows)
				max_rows = mr;
			CHECK_EQ_INT(json_integer_value(json_object_get(d, "sessions")), 1);
			CHECK(json_integer_value(json_object_get(d, "kv_bytes_used")) > 0);
			CHECK_EQ_INT(json_integer_value(json_object_get(d, "generating")), 0);
			CHECK(json_is_null(json_object_get(d, "failed")));
			used += (size_t)json_integer_value(json_object_get(d, "kv_bytes_used"));
		}
		CHECK(max_rows >= 2);
		json_t *m0 = json_array_get(json_object_get(r, "models"), 0);
		CHECK_EQ_INT(json_integer_value(json_object_get(m0, "kv_bytes_used")), used);
	}
	json_decref(r);

	/* OpenAI-compatible completions, plain and streamed, at the same time: each equals the
	 * same request alone */
	{
		char cmd[1024];
		const char *src = getenv("CC_SOURCE_DIR");
		snprintf(cmd, sizeof(cmd), "python3 %s/tests/daemon/http_batch.py http://%s",
		         src ? src : ".", http_addr);
		CHECK_EQ_INT(system(cmd), 0);
	}

	/* closed sessions give their memory back on each device */
	for (int i = 0; i < 2; i++) {
		CHECK_EQ_INT(call(&r, "session.close", json_pack("{s:s}", "id", ids[i])), CC_OK);
		json_decref(r);
	}
	CHECK_EQ_INT(call(&r, "models", NULL), CC_OK);
	{
		json_t *d;
		size_t k;
		json_array_foreach(devices_of(r), k, d)
			CHECK_EQ_INT(json_integer_value(json_object_get(d, "kv_bytes_used")), 0);
	}
	json_decref(r);

	kill(daemon_pid, SIGTERM);
	waitpid(daemon_pid, &st, 0);

	/* a device whose engine fails (injected at its first batched step) is taken out: the
	 * session on it answers an error naming it, the other device serves on, status says it */
	setenv("CC_AGENT_FAIL_DEVICE", "cpu:1@decode", 1);
	st = start_daemon(dir, model, "cpu,cpu");
	unsetenv("CC_AGENT_FAIL_DEVICE");
	CHECK_EQ_INT(st, 0);
	if (st == 0) {
		for (int i = 0; i < 2; i++) {
			char *text = synth(6, (size_t)i);
			CHECK_EQ_INT(call(&r, "session.open",
			                  json_pack("{s:s, s:s, s:s}", "model", model, "text", text,
			                            "policy", "full")),
			             CC_OK);
			snprintf(ids[i], sizeof(ids[i]), "%s",
			         r ? json_string_value(json_object_get(r, "id")) : "");
			json_decref(r);
			free(text);
		}
		/* -32000 "failed" (the client's CC_ERR), the message naming the device */
		CHECK_EQ_INT(call(&r, "session.generate",
		                  json_pack("{s:s, s:s, s:i}", "id", ids[1], "prompt", prompts[0],
		                            "max_new", 4)),
		             CC_ERR);
		CHECK(strstr(cc_error_last(), "cpu:1") && strstr(cc_error_last(), "injected"));
		CHECK_EQ_INT(call(&r, "session.generate",
		                  json_pack("{s:s, s:s, s:i}", "id", ids[1], "prompt", prompts[0],
		                            "max_new", 4)),
		             CC_ERR);
		CHECK(strstr(cc_error_last(), "cpu:1") && strstr(cc_error_last(), "taken out"));
		CHECK_EQ_INT(call(&r, "session.generate",
		                  json_pack("{s:s, s:s, s:i}", "id", ids[0], "prompt", prompts[0],
		                            "max_new", 4)),
		             CC_OK);
		json_decref(r);
		CHECK_EQ_INT(call(&r, "status", NULL), CC_OK);
		CHECK(json_is_null(json_object_get(json_array_get(devices_of(r), 0), "failed")));
		CHECK(json_is_string(json_object_get(json_array_get(devices_of(r), 1), "failed")));
		json_decref(r);
		kill(daemon_pid, SIGTERM);
		waitpid(daemon_pid, &st, 0);
	}
	{
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return test_result();
}
