/*
 * bench_daemon.c - loopback load on a real codecompd over IPC:
 *   1. one client, sequential `hello` (the latency floor);
 *   2. C concurrent clients x R `hello` requests, then x R `nodes` requests on an indexed file;
 *      "unparsed" phases send pre-encoded bytes and keep the reply undecoded (no client JSON);
 *      the "floor" phases drive a bare nng REP server (no JSON at all) the same way;
 *   3. the daemon's resident memory idle, then with five indexed repositories queried.
 * Prints errors, requests/s and p50/p99/max latency per phase (client-side, per request), and
 * the CPU time per request of the daemon and of the bench process (the clients).
 *
 *   bench_daemon [--clients 64] [--requests 1000] [--nodes-requests N] [--workers N] [--bin DIR] [--src DIR]
 *                [--prepared DIR] [--procs P]
 *
 * --procs P spreads the concurrent clients over P processes (default 1: threads of this one).
 *
 * --src is a directory of Python sources copied into the benchmark repositories (default
 * /usr/lib/python3.11); the five repositories are five of its packages. --prepared DIR uses
 * DIR/json, DIR/email, ... as they are (git repositories made beforehand, e.g. to run on a
 * machine without git).
 */
#include "cc_client.h"
#include "cc_common.h"
#include "cc_proto.h"

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static struct {
	int clients, requests, nodes_requests, workers, procs, floor_procs, pin, serve_procs;
	int server_cpus; /* --pin: CPUs 0..server_cpus-1 belong to the server processes */
	pid_t spids[64]; /* the server's processes (cpu/req sums them) */
	int nspids;
	const char *bin, *src, *prepared, *phases;
	char dir[256], url[2048];
	pid_t pid;
	char repo[5][512];
	const char *file; /* path inside repo[0] for nodes */
	pthread_barrier_t barrier;
} g = {64, 1000, 0, 0, 1, 1, 0, 1, 0, {0}, 0, NULL, "/usr/lib/python3.11", NULL, "hello,nodes", "", "", 0, {""}, NULL, {{0}}};

struct worker {
	const char *method;
	json_t *params;
	int raw; /* send pre-encoded bytes and keep the reply unparsed (daemon + transport only) */
	double *lat;
	int n, errors;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* --pin: each server process gets K CPUs of its own (--pin = 2, --pin-cpus K) (BENCH_CPUS=first-last in its
 * environment, applied before it starts nng's threads); client processes share the rest. */
static void pin_from_env(void)
{
	const char *v = getenv("BENCH_CPUS");
	int a, b;
	if (!v || sscanf(v, "%d-%d", &a, &b) != 2)
		return;
	cpu_set_t set;
	CPU_ZERO(&set);
	for (int c = a; c <= b && c < CPU_SETSIZE; c++)
		CPU_SET(c, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		fprintf(stderr, "bench: cannot pin to CPUs %s\n", v);
}

/* environ plus BENCH_CPUS=a-b (static storage: one spawn at a time) */
static char **env_with_cpus(int a, int b)
{
	static char *envp[512];
	static char var[64];
	int n = 0;
	for (char **e = environ; *e && n < 510; e++)
		if (strncmp(*e, "BENCH_CPUS=", 11))
			envp[n++] = *e;
	snprintf(var, sizeof(var), "BENCH_CPUS=%d-%d", a, b);
	if (a >= 0)
		envp[n++] = var;
	envp[n] = NULL;
	return envp;
}

/* g.url may be a comma-separated list of endpoints of one server: the client dials them all. */
static int open_client(cc_client **c)
{
	char urls[sizeof(g.url)], *save = NULL;
	snprintf(urls, sizeof(urls), "%s", g.url);
	char *u = strtok_r(urls, ",", &save);
	int rc = cc_client_open(c, u, NULL, 30000);
	while (rc == CC_OK && (u = strtok_r(NULL, ",", &save)) != NULL)
		rc = cc_client_dial(*c, u);
	if (rc == CC_OK && getenv("BENCH_SPREAD")) /* daemon with serving processes */
		rc = cc_client_spread(NULL, *c);
	return rc;
}

static void *client_thread(void *arg)
{
	struct worker *w = arg;
	cc_client *c = NULL;
	if (open_client(&c) != CC_OK) {
		w->errors = w->n;
		pthread_barrier_wait(&g.barrier);
		return NULL;
	}
	pthread_barrier_wait(&g.barrier);
	size_t reqlen = 0;
	char *req = w->raw ? cc_proto_request_encode(&reqlen, 1, w->method,
	                                             w->params ? json_incref(w->params) : NULL, NULL)
	                   : NULL;
	for (int i = 0; i < w->n; i++) {
		json_t *r = NULL;
		double t0 = cc_now();
		int rc;
		if (w->raw) {
			char *reply = NULL;
			size_t len = 0;
			rc = cc_client_call_raw(&reply, &len, c, req, reqlen);
			if (rc == CC_OK && (len < 30 || strstr(reply, "\"error\":") != NULL))
				rc = CC_EPROTO;
			free(reply);
			w->lat[i] = cc_now() - t0;
			if (rc != CC_OK && w->errors++ < 3)
				fprintf(stderr, "%s: raw reply error\n", w->method);
			continue;
		}
		rc = cc_client_call(&r, c, w->method, w->params ? json_incref(w->params) : NULL);
		w->lat[i] = cc_now() - t0;
		if (rc != CC_OK || !r) {
			if (w->errors++ < 3)
				fprintf(stderr, "%s: %s\n", w->method, cc_error_last());
		}
		json_decref(r);
	}
	free(req);
	cc_client_free(c);
	return NULL;
}

/* CPU seconds (user + system) used so far by the daemon and by this process (the clients). */
static void cpu_now(double *daemon, double *self)
{
	char path[64], buf[1024];
	struct rusage ru;
	*daemon = 0;
	for (int i = 0; i < (g.nspids ? g.nspids : 1); i++) {
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)(g.nspids ? g.spids[i] : g.pid));
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = 0;
		fclose(f);
		char *p = strrchr(buf, ')'); /* fields after the command name */
		unsigned long ut = 0, st = 0;
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
			*daemon += (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	}
	getrusage(RUSAGE_SELF, &ru);
	*self = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
	        ru.ru_stime.tv_usec * 1e-6;
}

/* Run `clients` client threads of this process on lat[clients * n]; go(), when not NULL, is
 * called once every client is connected, and the measurement starts when it returns. */
static int run_threads(const char *method, json_t *params, int clients, int n, int raw,
                       double *lat, void (*go)(void))
{
	pthread_t *t = cc_xcalloc((size_t)clients, sizeof(*t));
	struct worker *w = cc_xcalloc((size_t)clients, sizeof(*w));
	int errors = 0;
	pthread_barrier_init(&g.barrier, NULL, (unsigned)clients + 1);
	for (int i = 0; i < clients; i++) {
		w[i] = (struct worker){method, params, raw, lat + (size_t)i * (size_t)n, n, 0};
		pthread_create(&t[i], NULL, client_thread, &w[i]);
	}
	if (go)
		go();
	pthread_barrier_wait(&g.barrier);
	for (int i = 0; i < clients; i++) {
		pthread_join(t[i], NULL);
		errors += w[i].errors;
	}
	pthread_barrier_destroy(&g.barrier);
	free(w);
	free(t);
	return errors;
}

/* --procs P: the clients are spread over P processes (as 64 IDE/agent clients would be), so
 * the bench's own nng I/O thread is not shared by every client. Each child is this program
 * started again with --client-child (a fork would inherit nng's state without its threads): it
 * writes its latencies into a shared memfd, reports errors in its exit status, and a pipe starts
 * all children together. */
static int child_ready_fd = -1, child_go_fd = -1;
static void child_go(void)
{
	char b = 0;
	if (write(child_ready_fd, &b, 1) != 1 || read(child_go_fd, &b, 1) != 1)
		_exit(120);
}

/* argv: --client-child URL METHOD RAW CLIENTS N FIRST MEMFD READYFD GOFD PARAMS|- */
static int client_child(char **argv)
{
	pin_from_env();
	int clients = atoi(argv[5]), n = atoi(argv[6]), first = atoi(argv[7]), memfd = atoi(argv[8]);
	size_t bytes = ((size_t)first + (size_t)clients) * (size_t)n * sizeof(double);
	json_t *params = strcmp(argv[11], "-") ? json_loads(argv[11], 0, NULL) : NULL;
	double *lat = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (lat == MAP_FAILED)
		return 120;
	snprintf(g.url, sizeof(g.url), "%s", argv[2]);
	child_ready_fd = atoi(argv[9]);
	child_go_fd = atoi(argv[10]);
	int e = run_threads(argv[3], params, clients, n, atoi(argv[4]),
	                    lat + (size_t)first * (size_t)n, child_go);
	return e > 100 ? 100 : e;
}

static void run_phase(const char *label, const char *method, json_t *params, int clients, int n,
                      int raw)
{
	size_t total = (size_t)clients * (size_t)n;
	int procs = g.procs > 1 && clients >= g.procs ? g.procs : 1;
	int memfd = memfd_create("bench_lat", 0);
	double *all;
	int errors = 0;
	double t0, secs, d0, s0, d1, s1;
	struct rusage ch0, ch1;

	if (memfd < 0 || ftruncate(memfd, (off_t)(total * sizeof(double))) != 0 ||
	    (all = mmap(NULL, total * sizeof(double), PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0)) ==
	            MAP_FAILED) {
		fprintf(stderr, "bench: shared memory for latencies failed\n");
		exit(1);
	}
	getrusage(RUSAGE_CHILDREN, &ch0);
	if (procs == 1) {
		t0 = cc_now();
		cpu_now(&d0, &s0);
		errors = run_threads(method, params, clients, n, raw, all, NULL);
	} else {
		int ready[2], gofd[2];
		pid_t *pids = cc_xcalloc((size_t)procs, sizeof(*pids));
		char *pjson = params ? json_dumps(params, JSON_COMPACT) : NULL;
		if (pipe(ready) || pipe(gofd)) {
			fprintf(stderr, "bench: pipe failed\n");
			exit(1);
		}
		for (int p = 0, first = 0; p < procs; p++) {
			int mine = clients / procs + (p < clients % procs);
			char a[8][32];
			snprintf(a[0], 32, "%d", raw);
			snprintf(a[1], 32, "%d", mine);
			snprintf(a[2], 32, "%d", n);
			snprintf(a[3], 32, "%d", first);
			snprintf(a[4], 32, "%d", memfd);
			snprintf(a[5], 32, "%d", ready[1]);
			snprintf(a[6], 32, "%d", gofd[0]);
			char *args[] = {"bench_daemon", "--client-child", g.url, (char *)method, a[0], a[1],
			                a[2], a[3], a[4], a[5], a[6], pjson ? pjson : "-", NULL};
			/* --pin: the CPUs after the server's, split evenly (each client process keeps its
			 * nng threads on its own CPUs: their hand-offs stay on warm cores) */
			long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
			int lo = -1, hi = (int)ncpu - 1;
			if (g.pin && g.server_cpus < ncpu) {
				int span = (int)(ncpu - g.server_cpus) / procs;
				if (span < 1)
					span = 1;
				lo = g.server_cpus + (p * span) % (int)(ncpu - g.server_cpus);
				hi = lo + span - 1 < ncpu ? lo + span - 1 : (int)ncpu - 1;
			}
			if (posix_spawn(&pids[p], "/proc/self/exe", NULL, NULL, args,
			                env_with_cpus(lo, hi)) != 0) {
				fprintf(stderr, "bench: cannot start a client process\n");
				exit(1);
			}
			first += mine;
		}
		free(pjson);
		close(ready[1]);
		close(gofd[0]);
		for (int p = 0; p < procs; p++) {
			char b;
			if (read(ready[0], &b, 1) != 1) {
				fprintf(stderr, "bench: a client process died before starting\n");
				exit(1);
			}
		}
		t0 = cc_now();
		cpu_now(&d0, &s0);
		for (int p = 0; p < procs; p++) {
			char b = 1;
			if (write(gofd[1], &b, 1) != 1)
				exit(1);
		}
		for (int p = 0; p < procs; p++) {
			int st = 0;
			waitpid(pids[p], &st, 0);
			errors += WIFEXITED(st) ? WEXITSTATUS(st) : n;
		}
		close(ready[0]);
		close(gofd[1]);
		free(pids);
	}
	secs = cc_now() - t0;
	cpu_now(&d1, &s1);
	getrusage(RUSAGE_CHILDREN, &ch1);
	s1 += (double)(ch1.ru_utime.tv_sec - ch0.ru_utime.tv_sec) +
	      (double)(ch1.ru_utime.tv_usec - ch0.ru_utime.tv_usec) * 1e-6 +
	      (double)(ch1.ru_stime.tv_sec - ch0.ru_stime.tv_sec) +
	      (double)(ch1.ru_stime.tv_usec - ch0.ru_stime.tv_usec) * 1e-6;
	qsort(all, total, sizeof(double), cmp_double);
	if (procs > 1)
		printf("[%d client processes] ", procs);
	printf("%-28s %3d clients x %5d  errors %d  %9.0f req/s  p50 %7.1f us  p99 %7.1f us  max %8.1f us"
	       "  cpu/req daemon %5.1f us clients %5.1f us\n",
	       label, clients, n, errors, (double)total / secs, all[total / 2] * 1e6,
	       all[(size_t)((double)total * 0.99)] * 1e6, all[total - 1] * 1e6,
	       (d1 - d0) / (double)total * 1e6, (s1 - s0) / (double)total * 1e6);
	munmap(all, total * sizeof(double));
	close(memfd);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static json_t *call(const char *method, json_t *params)
{
	cc_client *c = NULL;
	json_t *r = NULL;
	if (cc_client_open(&c, g.url, NULL, 60000) != CC_OK ||
	    cc_client_call(&r, c, method, params) != CC_OK) {
		fprintf(stderr, "bench: %s: %s\n", method, cc_error_last());
		exit(1);
	}
	cc_client_free(c);
	return r;
}

static double index_repo(const char *repo)
{
	json_t *r = NULL;
	double t0 = cc_now();
	if (cc_client_try(&r, g.url, "index", json_pack("{s:s}", "repo", repo)) != CC_OK) {
		fprintf(stderr, "bench: index %s: %s\n", repo, cc_error_last());
		exit(1);
	}
	printf("  indexed %-40s %5lld files %7lld nodes in %.2f s\n", repo,
	       (long long)json_integer_value(json_object_get(r, "files")),
	       (long long)json_integer_value(json_object_get(r, "nodes")), cc_now() - t0);
	json_decref(r);
	return cc_now() - t0;
}

static double rss_mib(double *anon)
{
	json_t *st = call("status", NULL);
	json_t *d = json_object_get(st, "daemon");
	double v = (double)json_integer_value(json_object_get(d, "rss_bytes")) / (1 << 20);
	*anon = (double)json_integer_value(json_object_get(d, "rss_anon_bytes")) / (1 << 20);
	size_t i;
	json_t *sp;
	json_array_foreach(json_object_get(d, "serving"), i, sp) /* --serve-procs: all processes */
		v += (double)json_integer_value(json_object_get(sp, "rss_bytes")) / (1 << 20);
	json_decref(st);
	return v;
}

/* ---- The floor: a bare nng REP server (same socket kind, 128 contexts, replies from the
 * I/O callback like the daemon's inline path) answering every request with a fixed
 * hello-sized JSON-RPC reply, no decoding. The gap between it and codecompd is what the
 * daemon adds; what remains is nng, the kernel and the clients. */
struct echo {
	nng_aio *aio;
	nng_ctx ctx;
	int sending;
};
static const char echo_reply[] =
	"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocol\":1,\"server\":\"echo\",\"version\":\"0\","
	"\"pid\":1,\"capabilities\":[\"hello\",\"index\",\"job.status\",\"job.cancel\",\"status\","
	"\"nodes\",\"edges\",\"shutdown\",\"priors\"],\"array_dtypes\":[\"float32\"],\"pad\":\"0123\"}}";

static void echo_cb(void *arg)
{
	struct echo *e = arg;
	int rv = nng_aio_result(e->aio);
	if (rv != 0) {
		if (e->sending)
			nng_msg_free(nng_aio_get_msg(e->aio));
		if (rv == NNG_ECLOSED)
			return;
	} else if (!e->sending) {
		nng_msg *m = nng_aio_get_msg(e->aio);
		nng_msg_clear(m);
		nng_msg_append(m, echo_reply, sizeof(echo_reply) - 1);
		nng_aio_set_msg(e->aio, m);
		e->sending = 1;
		nng_ctx_send(e->ctx, e->aio);
		return;
	}
	e->sending = 0;
	nng_ctx_recv(e->ctx, e->aio);
}

static int echo_server(const char *url)
{
	pin_from_env();
	nng_socket sock;
	static struct echo e[128];
	if (nng_rep0_open(&sock) != 0 || nng_listen(sock, url, NULL, 0) != 0)
		return 1;
	for (int i = 0; i < 128; i++) {
		if (nng_aio_alloc(&e[i].aio, echo_cb, &e[i]) != 0 || nng_ctx_open(&e[i].ctx, sock) != 0)
			return 1;
		nng_ctx_recv(e[i].ctx, e[i].aio);
	}
	for (;;)
		pause(); /* until the bench's SIGTERM */
}

/* What the bench's client spends per hello outside nng and the daemon: encoding the request
 * and decoding the reply with jansson, as cc_client_call does (single thread, no I/O). */
static void client_cost(void)
{
	cc_client *c = NULL;
	char *req, *reply = NULL, msg[256];
	size_t reqlen = 0, len = 0;
	int n = 20000, code;
	if (cc_client_open(&c, g.url, NULL, 30000) != CC_OK)
		return;
	req = cc_proto_request_encode(&reqlen, 1, "hello", NULL, NULL);
	if (!req || cc_client_call_raw(&reply, &len, c, req, reqlen) != CC_OK) {
		free(req);
		cc_client_free(c);
		return;
	}
	free(req);
	double t0 = cc_now();
	for (int i = 0; i < n; i++) {
		json_t *r = NULL;
		free(cc_proto_request_encode(&reqlen, i, "hello", NULL, NULL));
		cc_proto_response_decode(&r, &code, msg, sizeof(msg), reply, len);
		json_decref(r);
	}
	printf("client-side JSON per hello (encode request + decode %zu-byte reply): %.2f us\n", len,
	       (cc_now() - t0) / n * 1e6);
	free(reply);
	cc_client_free(c);
}

static void index_all(void)
{
	for (int i = 0; i < 5; i++)
		index_repo(g.repo[i]);
	/* Read one file of each repository so every database is open in the daemon. */
	static const char *files[5] = {"decoder.py", "message.py", "events.py", "client.py", "case.py"};
	for (int i = 0; i < 5; i++)
		json_decref(call("nodes", json_pack("{s:s, s:s}", "repo", g.repo[i], "path", files[i])));
	json_t *st = call("status", NULL);
	long long dbb = 0;
	size_t k;
	json_t *r;
	json_array_foreach(json_object_get(st, "repositories"), k, r)
		dbb += json_integer_value(json_object_get(r, "db_bytes"));
	printf("daemon RSS with 5 indexed repositories, each read once: %.1f MiB, %.1f MiB of it "
	       "anonymous (databases on disk: %.1f MiB)\n",
	       (double)json_integer_value(json_object_get(json_object_get(st, "daemon"), "rss_bytes")) /
	               (1 << 20),
	       (double)json_integer_value(json_object_get(json_object_get(st, "daemon"), "rss_anon_bytes")) /
	               (1 << 20),
	       (double)dbb / (1 << 20));
	json_decref(st);
}

/* This program's path ("" when unknown). */
static void self_exe(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	buf[n > 0 ? n : 0] = 0;
}

int main(int argc, char **argv)
{
	if (argc == 12 && !strcmp(argv[1], "--client-child"))
		return client_child(argv);
	static const char *pkgs[5] = {"json", "email", "asyncio", "http", "unittest"};
	char daemon_bin[1024], wk[16];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--clients") && i + 1 < argc)
			g.clients = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--requests") && i + 1 < argc)
			g.requests = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--nodes-requests") && i + 1 < argc)
			g.nodes_requests = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--procs") && i + 1 < argc)
			g.procs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--serve-procs") && i + 1 < argc)
			g.serve_procs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--pin"))
			g.pin = 2;
		else if (!strcmp(argv[i], "--pin-cpus") && i + 1 < argc)
			g.pin = atoi(argv[++i]) > 0 ? atoi(argv[i]) : 2;
		else if (!strcmp(argv[i], "--floor-procs") && i + 1 < argc)
			g.floor_procs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--workers") && i + 1 < argc)
			g.workers = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--bin") && i + 1 < argc)
			g.bin = argv[++i];
		else if (!strcmp(argv[i], "--src") && i + 1 < argc)
			g.src = argv[++i];
		else if (!strcmp(argv[i], "--prepared") && i + 1 < argc)
			g.prepared = argv[++i];
		else if (!strcmp(argv[i], "--phases") && i + 1 < argc)
			g.phases = argv[++i];
		else if (!strcmp(argv[i], "--echo-server") && i + 1 < argc)
			return echo_server(argv[i + 1]);
		else {
			fprintf(stderr, "usage: bench_daemon [--clients N] [--requests N] [--nodes-requests N] [--workers N] [--bin DIR] "
			                "[--src DIR] [--prepared DIR] [--phases floor,hello,nodes] [--procs P] [--floor-procs K] [--serve-procs N] [--pin | --pin-cpus K]\n");
			return 2;
		}
	}
	if (!g.bin) {
		static char self[1024];
		self_exe(self, sizeof(self));
		char *s = strrchr(self, '/');
		if (s)
			*s = 0;
		strcat(self, "/../bin");
		g.bin = self;
	}
	snprintf(daemon_bin, sizeof(daemon_bin), "%s/codecompd", g.bin);
	snprintf(g.dir, sizeof(g.dir), "/tmp/cc-bench-daemon.XXXXXX");
	if (!mkdtemp(g.dir))
		return 1;
	snprintf(g.url, sizeof(g.url), "ipc://%s/d.sock", g.dir);
	if (g.workers <= 0) { /* the daemon's default: one per CPU */
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		g.workers = n < 2 ? 2 : (n > 32 ? 32 : (int)n);
	}
	snprintf(wk, sizeof(wk), "%d", g.workers);

	/* Repositories: five packages of --src, each its own git repository. */
	int nodes_phases = strstr(g.phases, "nodes") != NULL;
	for (int i = 0; i < 5 && g.prepared && nodes_phases; i++) {
		char *abs = realpath(g.prepared, NULL);
		snprintf(g.repo[i], sizeof(g.repo[i]), "%s/%s", abs ? abs : g.prepared, pkgs[i]);
		free(abs);
	}
	for (int i = 0; i < 5 && !g.prepared && nodes_phases; i++) {
		snprintf(g.repo[i], sizeof(g.repo[i]), "%s/%s", g.dir, pkgs[i]);
		if (sh("cp -r '%s/%s' '%s' && cd '%s' && git init -q && git add -A && "
		       "git -c user.name=b -c user.email=b@e commit -q -m bench",
		       g.src, pkgs[i], g.repo[i], g.repo[i]) != 0) {
			fprintf(stderr, "bench: cannot make a repository from %s/%s\n", g.src, pkgs[i]);
			return 1;
		}
	}
	g.file = "decoder.py";

	char sp[16], pc[16];
	snprintf(sp, sizeof(sp), "%d", g.serve_procs < 1 ? 1 : g.serve_procs);
	snprintf(pc, sizeof(pc), "%d", g.pin);
	char *args[] = {"codecompd", "--foreground", "--listen", g.url, "--workers", wk,
	                "--max-pending", "4096", "--log-level", "warn", "--serve-procs", sp,
	                g.pin ? "--pin-cpus" : NULL, pc, NULL};
	/* codecompd serves only repositories under its allowed roots: the benchmark's. */
	char roots[2 * PATH_MAX + 2];
	snprintf(roots, sizeof(roots), "%s%s%s", g.dir, g.prepared ? ":" : "",
	         g.prepared ? g.prepared : "");
	setenv("CODECOMPD_ALLOW_ROOT", roots, 1);
	if (posix_spawn(&g.pid, daemon_bin, NULL, NULL, args, environ) != 0) {
		fprintf(stderr, "bench: cannot start %s\n", daemon_bin);
		return 1;
	}
	for (int i = 0;; i++) {
		cc_client *c;
		if (cc_client_open(&c, g.url, NULL, 1000) == CC_OK) {
			cc_client_free(c);
			break;
		}
		if (i > 200) {
			fprintf(stderr, "bench: codecompd did not start\n");
			return 1;
		}
		usleep(50000);
	}
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	printf("codecompd on %s: %d request workers, %ld cpus, %d serving process(es)\n", g.url,
	       g.workers, ncpu, g.serve_procs);
	{ /* the daemon's processes: the primary and its serving processes */
		json_t *st = call("status", NULL), *sp_;
		size_t k;
		g.spids[g.nspids++] = g.pid;
		json_array_foreach(json_object_get(json_object_get(st, "daemon"), "serving"), k, sp_)
		{
			if (g.nspids < 64)
				g.spids[g.nspids++] = (pid_t)json_integer_value(json_object_get(sp_, "pid"));
		}
		json_decref(st);
	}
	if (g.serve_procs > 1)
		setenv("BENCH_SPREAD", "1", 1);
	if (g.pin && g.pin * g.nspids < ncpu) {
		g.server_cpus = g.pin * g.nspids;
		printf("pinned: each daemon process on %d CPUs of its own (--pin-cpus %d), client "
		       "processes on equal shares of CPUs %d-%ld\n",
		       g.pin, g.pin, g.server_cpus, ncpu - 1);
	}
	double anon, rss = rss_mib(&anon);
	printf("daemon RSS idle: %.1f MiB, %.1f MiB anonymous\n", rss, anon);
	if (nodes_phases)
		index_all();

	if (strstr(g.phases, "hello")) {
		client_cost();
		run_phase("hello, 1 client sequential", "hello", NULL, 1, 10 * g.requests, 0);
		run_phase("hello, 1 client, unparsed", "hello", NULL, 1, 10 * g.requests, 1);
		run_phase("hello", "hello", NULL, g.clients, g.requests, 0);
		run_phase("hello, unparsed", "hello", NULL, g.clients, g.requests, 1);
	}
	if (strstr(g.phases, "floor")) {
		char eurl[sizeof(g.url)], self[1024];
		pid_t daemon_pid = g.pid, epid[16];
		int k = g.floor_procs < 1 ? 1 : (g.floor_procs > 16 ? 16 : g.floor_procs);
		int started = 0;
		self_exe(self, sizeof(self));
		eurl[0] = 0;
		for (int i = 0; i < k; i++) {
			char one[300];
			snprintf(one, sizeof(one), "ipc://%s/echo%d.sock", g.dir, i);
			char *eargs[] = {"bench_daemon", "--echo-server", one, NULL};
			if (posix_spawn(&epid[i], self, NULL, NULL, eargs,
			                env_with_cpus(g.pin ? g.pin * i : -1, g.pin * i + g.pin - 1)) != 0)
				break;
			started++;
			cc_client *c = NULL;
			for (int t = 0; t < 100 && cc_client_open(&c, one, NULL, 1000) != CC_OK; t++)
				usleep(20000);
			cc_client_free(c);
			size_t l = strlen(eurl);
			snprintf(eurl + l, sizeof(eurl) - l, "%s%s", l ? "," : "", one);
		}
		if (started == k) {
			char keep[sizeof(g.url)];
			int keep_n = g.nspids, keep_cpus = g.server_cpus;
			pid_t keep_p[64];
			memcpy(keep_p, g.spids, sizeof(keep_p));
			g.nspids = k;
			memcpy(g.spids, epid, (size_t)k * sizeof(pid_t));
			g.server_cpus = g.pin * k;
			unsetenv("BENCH_SPREAD");
			snprintf(keep, sizeof(keep), "%s", g.url);
			snprintf(g.url, sizeof(g.url), "%s", eurl);
			g.pid = epid[0]; /* cpu/req "daemon" sums the echo servers */
			if (k > 1)
				printf("floor: %d echo server processes, every client dials all of them\n", k);
			run_phase("floor: bare nng echo, 1 client", "hello", NULL, 1, 10 * g.requests, 1);
			run_phase("floor: bare nng echo", "hello", NULL, g.clients, g.requests, 1);
			run_phase("floor: bare nng echo, parsed", "hello", NULL, g.clients, g.requests, 0);
			snprintf(g.url, sizeof(g.url), "%s", keep);
			g.pid = daemon_pid;
			g.nspids = keep_n;
			g.server_cpus = keep_cpus;
			memcpy(g.spids, keep_p, sizeof(keep_p));
			if (g.serve_procs > 1)
				setenv("BENCH_SPREAD", "1", 1);
		}
		for (int i = 0; i < started; i++) {
			kill(epid[i], SIGTERM);
			waitpid(epid[i], NULL, 0);
		}
	}
	if (!nodes_phases)
		goto stop;
	json_t *np = json_pack("{s:s, s:s}", "repo", g.repo[0], "path", g.file);
	json_t *nr = call("nodes", json_incref(np));
	char *text = json_dumps(nr, JSON_COMPACT);
	printf("nodes of %s: %zu nodes, %zu bytes of JSON per reply\n", g.file, json_array_size(nr),
	       text ? strlen(text) : 0);
	free(text);
	json_decref(nr);
	int nr_ = g.nodes_requests > 0 ? g.nodes_requests : g.requests;
	run_phase("nodes, 1 client sequential", "nodes", np, 1, nr_, 0);
	run_phase("nodes, 1 client, unparsed", "nodes", np, 1, nr_, 1);
	run_phase("nodes", "nodes", np, g.clients, nr_, 0);
	run_phase("nodes, unparsed", "nodes", np, g.clients, nr_, 1);
	json_decref(np);
stop:
	rss = rss_mib(&anon);
	printf("daemon RSS after the load phases: %.1f MiB, %.1f MiB anonymous\n", rss, anon);

	kill(g.pid, SIGTERM);
	int status = 0;
	waitpid(g.pid, &status, 0);
	printf("daemon exit status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	sh("rm -rf '%s'", g.dir);
	return 0;
}
