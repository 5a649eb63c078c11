/*
 * main.c - `codecompd`: options, the lock file (one daemon per socket), detaching, logging and
 * signals around the server (server.c), the job queue (jobs.c) and the methods (methods.c).
 *
 * Signals are blocked in every thread and taken synchronously by the main thread: SIGTERM and
 * SIGINT stop (refuse new requests, checkpoint running jobs, answer what is in flight, exit 0),
 * SIGHUP reopens the log file.
 */
#include "cc_client.h"
#include "cc_daemon.h"
#include "serving.h"
#include "cc_agent.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <sched.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CC_VERSION
#define CC_VERSION "0.0.0"
#endif

/* All of the process's settings and state in one place. */
static struct {
	const char **listen;
	int nlisten;
	int foreground;
	const char *token_file;
	const char *log_file;
	const char *lock_file;
	const char *state_file;
	int log_level;
	int workers, jobs, contexts, max_pending, max_queued;
	size_t max_request;
	double request_timeout, stop_grace, stop_hard;
	int test_methods, test_jobs;
	char *token;
	int lock_fd;
	char lock_path[PATH_MAX];
	int ready_fd; /* detach / serving process: write end of the pipe the parent waits on */
	int serve_procs;
	int pin_cpus;      /* --pin-cpus K: process i (primary 0) runs on its own K CPUs */
	int pin_index;     /* which process this is */
	int serving_child; /* this is a serving process of primary_pid (serving.h) */
	int primary_pid;
	const char *primary_url;
	const char **allow_roots; /* --allow-root (repeatable) */
	int nroots;
	const char *state_dir; /* --state-dir */
	cpu_set_t affinity;    /* the CPU set this process started with (before --pin-cpus) */
	int have_affinity;
	int start_stderr;              /* the stderr we were started with (detaching: where errors go) */
	const char *models[16];        /* --model (agent sessions) */
	const char *model_devices[16]; /* --device list in force at each --model */
	int nmodels;
	const char *devices;
	size_t kv_bytes, max_sessions;
	size_t repo_cache_bytes; /* --repo-cache-bytes */
	size_t repo_cache_disk;  /* --repo-cache-disk-bytes */
	size_t repo_cache_dev;   /* --repo-cache-device-bytes */
	double session_idle;
	const char *http; /* --http HOST:PORT (OpenAI-compatible endpoint) */
} g = {
	.start_stderr = -1,
	.log_level = CC_LOG_INFO,
	.workers = 0,
	.jobs = 1,
	.contexts = 128,
	.max_pending = 512,
	.max_queued = 64,
	.max_request = 16u << 20,
	.request_timeout = 30,
	.stop_grace = 2,
	.stop_hard = 10,
	.lock_fd = -1,
	.ready_fd = -1,
	.serve_procs = 1,
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: codecompd [options]\n\n"
	        "Serve codecomp over nng (JSON-RPC 2.0, see docs/protocol.md).\n\n"
	        "  --listen URL          ipc:///path or tcp://127.0.0.1:PORT; repeatable\n"
	        "                        (default ipc://$XDG_RUNTIME_DIR/codecomp.sock, else\n"
	        "                        ipc:///tmp/codecomp-UID/codecomp.sock)\n"
	        "  --token-file FILE     token every tcp:// request must carry (required for tcp)\n"
	        "  --foreground          do not detach (systemd, containers, tests)\n"
	        "  --log-level LEVEL     error, warn, info (default) or debug\n"
	        "  --log-file FILE       log there instead of stderr (reopened on SIGHUP); default\n"
	        "                        when detached: $XDG_STATE_HOME/codecomp/codecompd.log\n"
	        "                        (~/.local/state/codecomp/codecompd.log)\n"
	        "  --lock-file FILE      default: the first ipc socket path + .lock\n"
	        "  --state-file FILE     pending-job journal; default: socket path + .jobs.json\n"
	        "  --allow-root DIR      serve only repositories under DIR (symlinks resolved);\n"
	        "                        repeatable. Default: $CODECOMPD_ALLOW_ROOT (':'-separated),\n"
	        "                        else your home directory when every listener is ipc://,\n"
	        "                        else nothing (a tcp:// daemon serves only what it is given)\n"
	        "  --state-dir DIR       the only place besides REPO/.git/codecomp.db where an\n"
	        "                        index request's 'db' may put a database (default: none)\n"
	        "  --model DIR           load this model at start for agent sessions (repeatable;\n"
	        "                        others load on first use by path, over ipc only)\n"
	        "  --device LIST         device(s) of the --model options that follow: cpu, cuda,\n"
	        "                        cuda:N, a list (cuda:0,cuda:1; cpu,cpu for CPU engines\n"
	        "                        standing in) or cuda:all: one engine per device, each\n"
	        "                        with its own KV memory; sessions go where most is free\n"
	        "  --gpu-memory BYTES    KV cache memory per model and device, shared by its\n"
	        "                        sessions there\n"
	        "                        (default: 4 x the model's window in tokens)\n"
	        "  --max-sessions N      open sessions per model and device (32)\n"
	        "  --repo-cache-bytes B  memory of the repository KV cache (sessions opened with\n"
	        "                        \"cache\": true; its files sit beside each index) (256 MiB)\n"
	        "  --repo-cache-disk-bytes B  its chunk files per index folder at most, least\n"
	        "                        recently used deleted first (0 = default: 4 GiB)\n"
	        "  --repo-cache-device-bytes B  chunk rows it keeps in GPU memory for CUDA\n"
	        "                        sessions, least recently used dropped first (0 = none)\n"
	        "  --session-idle S      close sessions idle this long (900)\n"
	        "  --http HOST:PORT      also serve the OpenAI-compatible HTTP API (/v1/models,\n"
	        "                        /v1/completions, /v1/chat/completions) there; a\n"
	        "                        non-loopback HOST needs --token-file (Bearer token)\n"
	        "  --workers N           request worker threads (default: one per CPU, 2..32)\n"
	        "  --jobs N              index jobs run at once, over different repositories (1)\n"
	        "  --max-request BYTES   largest request accepted (default 16777216)\n"
	        "  --request-timeout S   per-request time limit in seconds (default 30)\n"
	        "  --max-pending N       requests waiting for a worker before 'busy' (512)\n"
	        "  --max-queued-jobs N   queued index jobs before 'busy' (64)\n"
	        "  --stop-grace S        on SIGTERM, let running jobs finish this long (2)\n"
	        "  --stop-timeout S      then wait this long for them to honour the cancellation\n"
	        "                        before exiting anyway, the job kept pending (10)\n"
	        "  --serve-procs N       processes answering requests (default 1); N > 1 adds\n"
	        "                        N-1 serving processes on ipc endpoints SOCK.1, SOCK.2...\n"
	        "                        listed by hello (one process tops out near 60k req/s)\n"
	        "  --pin-cpus K          run each of those processes on K CPUs of its own (the\n"
	        "                        primary on the first K allowed CPUs, serving process i\n"
	        "                        on the next K...): lower tail latency under load\n"
	        "  --version, --help\n");
}

static void on_shutdown(void) { kill(getpid(), SIGTERM); }

/* Paths given relative to the starting directory stay valid after detaching (chdir "/").
 * The result is malloc'd and lives as long as the process. */
static const char *absolute(const char *path, const char *prefix)
{
	char cwd[PATH_MAX];
	size_t np = prefix ? strlen(prefix) : 0, n;
	char *out;
	if (!path || (prefix && strncmp(path, prefix, np) != 0) || path[np] == '/' ||
	    !getcwd(cwd, sizeof(cwd)))
		return path;
	n = strlen(path) + strlen(cwd) + 2;
	out = cc_xmalloc(n);
	snprintf(out, n, "%.*s%s/%s", (int)np, path, cwd, path + np);
	return out;
}

/* Option values, by common/'s strict parsers; the message names the option and the value. */
#define MAX_BYTES ((size_t)1000000000000000ull) /* 1e15: the most any byte option takes */

static int opt_double(double *out, const char *s, const char *opt, double lo, double hi)
{
	if (!cc_parse_double(out, s, lo, hi))
		return 0;
	fprintf(stderr, "codecompd: %s: %s\n", opt, cc_error_last());
	return -1;
}

static int opt_int(int *out, const char *s, const char *opt, int lo, int hi)
{
	long long v;
	if (cc_parse_long(&v, s, lo, hi)) {
		fprintf(stderr, "codecompd: %s: %s\n", opt, cc_error_last());
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int opt_size(size_t *out, const char *s, const char *opt, size_t lo, size_t hi)
{
	if (!cc_parse_size(out, s, lo, hi))
		return 0;
	fprintf(stderr, "codecompd: %s: %s\n", opt, cc_error_last());
	return -1;
}

/* No --allow-root: $CODECOMPD_ALLOW_ROOT (':'-separated), else the home directory when every
 * listener is ipc:// (only this user's processes reach the daemon), else nothing. */
static int set_default_roots(void)
{
	const char *env = getenv("CODECOMPD_ALLOW_ROOT"), *home = getenv("HOME");
	if (env && *env) {
		char *copy = cc_xstrdup(env), *save = NULL; /* lives as long as the process */
		for (char *p = strtok_r(copy, ":", &save); p && g.nroots < 64;
		     p = strtok_r(NULL, ":", &save))
			g.allow_roots[g.nroots++] = p;
		return 0;
	}
	for (int i = 0; i < g.nlisten; i++)
		if (strncmp(g.listen[i], "ipc://", 6) != 0)
			return 0;
	if (!home || home[0] != '/') {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home || home[0] != '/') {
		fprintf(stderr, "codecompd: no home directory to serve by default: give --allow-root\n");
		return -1;
	}
	g.allow_roots[g.nroots++] = home;
	return 0;
}

/* Directory that holds the default socket: $XDG_RUNTIME_DIR, else /tmp/codecomp-UID (0700,
 * ours). */
static int ensure_default_dir(void)
{
	char dir[PATH_MAX];
	struct stat st;
	if (getenv("XDG_RUNTIME_DIR") && *getenv("XDG_RUNTIME_DIR"))
		return 0;
	snprintf(dir, sizeof(dir), "/tmp/codecomp-%u", (unsigned)getuid());
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "codecompd: cannot create %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
	    (st.st_mode & 077)) {
		fprintf(stderr, "codecompd: %s must be a directory owned by you with mode 0700\n", dir);
		return -1;
	}
	return 0;
}

/* Base path for the lock, journal and log files: the first ipc:// socket path, else a name in
 * the runtime directory derived from the first URL. */
static void base_path(char *out, size_t n)
{
	for (int i = 0; i < g.nlisten; i++)
		if (!strncmp(g.listen[i], "ipc://", 6)) {
			snprintf(out, n, "%s", g.listen[i] + 6);
			return;
		}
	const char *rt = getenv("XDG_RUNTIME_DIR");
	char dir[PATH_MAX], name[256];
	size_t k = 0;
	if (rt && *rt)
		snprintf(dir, sizeof(dir), "%s", rt);
	else
		snprintf(dir, sizeof(dir), "/tmp/codecomp-%u", (unsigned)getuid());
	for (const char *p = g.listen[0]; *p && k + 1 < sizeof(name); p++)
		name[k++] = (char)((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_');
	name[k] = 0;
	snprintf(out, n, "%.3800s/codecompd-%.200s", dir, name);
}

static int take_lock(void)
{
	char base[PATH_MAX], buf[32];
	if (g.lock_file) {
		snprintf(g.lock_path, sizeof(g.lock_path), "%s", g.lock_file);
	} else {
		base_path(base, sizeof(base));
		snprintf(g.lock_path, sizeof(g.lock_path), "%.4000s.lock", base);
	}
	/* Never through a symlink (a link planted in a shared directory would make us truncate
	 * its target), and only our own regular file. */
	g.lock_fd = open(g.lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (g.lock_fd < 0)
		return cc_error_set(CC_EIO, "cannot open lock file %s: %s%s", g.lock_path, strerror(errno),
		                    errno == ELOOP ? " (a symlink: refused)" : "");
	struct stat st;
	if (fstat(g.lock_fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid()) {
		close(g.lock_fd);
		g.lock_fd = -1;
		return cc_error_set(CC_EIO, "lock file %s is not a regular file owned by this user",
		                    g.lock_path);
	}
	if (flock(g.lock_fd, LOCK_EX | LOCK_NB) != 0) {
		ssize_t n = read(g.lock_fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
		buf[strcspn(buf, "\n")] = 0;
		close(g.lock_fd);
		g.lock_fd = -1;
		return cc_error_set(CC_EBUSY, "another codecompd (pid %s) is already running (lock file %s)",
		                    buf[0] ? buf : "unknown", g.lock_path);
	}
	snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(g.lock_fd, 0) != 0 || pwrite(g.lock_fd, buf, strlen(buf), 0) < 0)
		return cc_error_set(CC_EIO, "cannot write lock file %s: %s", g.lock_path, strerror(errno));
	return CC_OK;
}

static int read_token(void)
{
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	int rc = cc_read_file(&buf, &len, g.token_file, 4096);
	if (rc)
		return cc_error_set(rc, "token file: %s", cc_error_last());
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
		buf[--len] = 0;
	if (len < 16) {
		free(buf);
		return cc_error_set(CC_EINVAL, "token file %s: the token must have at least 16 characters",
		                    g.token_file);
	}
	if (stat(g.token_file, &st) == 0 && (st.st_mode & 077))
		cc_log(CC_LOG_WARN, "token file %s is readable by other users", g.token_file);
	g.token = buf;
	return CC_OK;
}

/* Detached without --log-file: log to $XDG_STATE_HOME/codecomp/codecompd.log (default
 * ~/.local/state/...), so an autostarted daemon's messages are somewhere. The path is malloc'd
 * and lives as long as the process; NULL (stderr is /dev/null) when there is no such place. */
static const char *default_log_file(void)
{
	char dir[PATH_MAX], *out;
	if (!cc_client_state_dir(dir, sizeof(dir), 1))
		return NULL;
	out = cc_xmalloc(strlen(dir) + 20);
	sprintf(out, "%s/codecompd.log", dir);
	return out;
}

/* $XDG_STATE_HOME/codecomp/missed (default ~/.local/state/...): repositories whose commits a
 * hook saw while no daemon ran (`codecomp hook notify` appends them). The primary takes the
 * file at start and queues an index of HEAD for each repository it serves. */
static void catch_up_missed(cc_jobs *jobs)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], taken[PATH_MAX + 32], *buf = NULL;
	struct stat sb;
	int fd;
	if (!cc_client_state_dir(dir, sizeof(dir), 0))
		return;
	snprintf(path, sizeof(path), "%s/missed", dir);
	snprintf(taken, sizeof(taken), "%s.taken", path);
	if (rename(path, taken) != 0) /* lines appended from now on go to a new file */
		return;
	fd = open(taken, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != getuid() ||
	    sb.st_size > (1 << 20)) {
		cc_log(CC_LOG_WARN, "ignoring %s: not a regular file of this user under 1 MiB", taken);
		goto out;
	}
	buf = cc_xmalloc((size_t)sb.st_size + 1);
	ssize_t n = read(fd, buf, (size_t)sb.st_size);
	buf[n > 0 ? n : 0] = 0;
	for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *repo = NULL, *db = NULL;
		long long id;
		int dedup;
		if (cc_confine_repo(&repo, line) != CC_OK || cc_confine_db(&db, repo, NULL) != CC_OK) {
			cc_log(CC_LOG_INFO, "missed commit in %s: not served here: %s", line, cc_error_last());
		} else {
			cc_job_spec spec = {repo, db, "HEAD", 0, 0};
			if (cc_jobs_submit(&id, &dedup, jobs, &spec) == CC_OK) {
				if (!dedup)
					cc_log(CC_LOG_INFO, "job %lld: catching up %s (committed while no daemon ran)",
					       id, repo);
			} else {
				cc_log(CC_LOG_WARN, "cannot catch up %s: %s", repo, cc_error_last());
			}
		}
		free(repo);
		free(db);
	}
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	unlink(taken);
}

static int open_log(void)
{
	int fd;
	if (!g.log_file)
		return CC_OK;
	fd = open(g.log_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return cc_error_set(CC_EIO, "cannot open log file %s: %s", g.log_file, strerror(errno));
	/* dup2 swaps stderr atomically: threads logging meanwhile write to one file or the other. */
	dup2(fd, STDERR_FILENO);
	close(fd);
	return CC_OK;
}

/* Fork; the parent waits for the child's "ready" (or its error) and exits with it. */
static int detach(void)
{
	int fds[2];
	pid_t pid;
	/* Close-on-exec: the serving processes (--serve-procs) must not inherit the write end, or
	 * the waiting parent would never see EOF. */
	if (pipe2(fds, O_CLOEXEC) != 0) {
		fprintf(stderr, "codecompd: pipe: %s\n", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "codecompd: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid > 0) {
		char msg[1200];
		ssize_t n, total = 0;
		close(fds[1]);
		while ((n = read(fds[0], msg + total, sizeof(msg) - 1 - (size_t)total)) > 0) {
			total += n;
			msg[total] = 0;
			if (strchr(msg, '\n')) /* "ok\n" or one error line: all there is to wait for */
				break;
		}
		msg[total] = 0;
		if (!strncmp(msg, "ok", 2))
			_exit(0);
		/* To the terminal we were started from, not the log file stderr now is. */
		dprintf(g.start_stderr >= 0 ? g.start_stderr : STDERR_FILENO, "%s",
		        total ? msg : "codecompd: the daemon exited during start-up\n");
		_exit(1);
	}
	close(fds[0]);
	if (g.start_stderr >= 0) /* the parent reports to the terminal; the daemon lets go of it */
		close(g.start_stderr);
	g.start_stderr = -1;
	g.ready_fd = fds[1];
	setsid();
	if (chdir("/") != 0)
		return -1;
	int nul = open("/dev/null", O_RDWR);
	if (nul >= 0) {
		dup2(nul, STDIN_FILENO);
		dup2(nul, STDOUT_FILENO);
		if (!g.log_file)
			dup2(nul, STDERR_FILENO);
		if (nul > 2)
			close(nul);
	}
	return 0;
}

static void report_start(int ok, const char *msg)
{
	if (g.ready_fd >= 0) {
		char buf[1200];
		if (ok)
			snprintf(buf, sizeof(buf), "ok\n");
		else
			snprintf(buf, sizeof(buf), "codecompd: %s\n", msg);
		if (write(g.ready_fd, buf, strlen(buf)) < 0) {
			/* the parent is gone; nothing to tell */
		}
		close(g.ready_fd);
		g.ready_fd = -1;
	}
	if (!ok)
		fprintf(stderr, "codecompd: %s\n", msg);
}

/* Signals are taken synchronously by the main thread; every thread inherits the mask. */
static void block_signals(sigset_t *sigs, int with_child)
{
	sigemptyset(sigs);
	sigaddset(sigs, SIGTERM);
	sigaddset(sigs, SIGINT);
	sigaddset(sigs, SIGHUP);
	if (with_child)
		sigaddset(sigs, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* --pin-cpus: this process (before it starts any thread, so all inherit it) onto K CPUs of
 * the allowed set, the (pin_index * K)-th onwards, wrapping around when the set is smaller. */
static void pin_self(void)
{
	cpu_set_t allowed, set;
	int idx[CPU_SETSIZE], n = 0;
	if (g.pin_cpus < 1 || sched_getaffinity(0, sizeof(allowed), &allowed) != 0)
		return;
	g.affinity = allowed;
	g.have_affinity = 1;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &allowed))
			idx[n++] = c;
	if (n == 0)
		return;
	CPU_ZERO(&set);
	for (int k = 0; k < g.pin_cpus && k < n; k++)
		CPU_SET(idx[(g.pin_index * g.pin_cpus + k) % n], &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		cc_log(CC_LOG_WARN, "--pin-cpus: cannot set the CPU affinity: %s", strerror(errno));
}

/* The first ipc:// URL: the primary's endpoint that serving processes relay to. */
static const char *first_ipc(void)
{
	for (int i = 0; i < g.nlisten; i++)
		if (!strncmp(g.listen[i], "ipc://", 6))
			return g.listen[i];
	return NULL;
}

/* The options every serving process gets (serving.c adds --listen and --ready-fd). */
static char *const *serving_argv(const char *primary)
{
	static char nums[7][32];
	static char *a[64];
	static const char *levels[] = {"error", "warn", "info", "debug"};
	int n = 0;
	snprintf(nums[0], 32, "%d", (int)getpid());
	snprintf(nums[1], 32, "%d", g.serve_procs);
	snprintf(nums[2], 32, "%d", g.workers);
	snprintf(nums[3], 32, "%zu", g.max_request);
	snprintf(nums[4], 32, "%.17g", g.request_timeout);
	snprintf(nums[5], 32, "%d", g.max_pending);
	a[n++] = "codecompd";
	a[n++] = "--serving-child";
	a[n++] = "--foreground";
	a[n++] = "--primary-pid";
	a[n++] = nums[0];
	a[n++] = "--primary";
	a[n++] = (char *)primary;
	a[n++] = "--serve-procs";
	a[n++] = nums[1];
	a[n++] = "--log-level";
	a[n++] = (char *)levels[g.log_level];
	if (g.log_file) {
		a[n++] = "--log-file";
		a[n++] = (char *)g.log_file;
	}
	a[n++] = "--workers";
	a[n++] = nums[2];
	a[n++] = "--max-request";
	a[n++] = nums[3];
	a[n++] = "--request-timeout";
	a[n++] = nums[4];
	a[n++] = "--max-pending";
	a[n++] = nums[5];
	/* The same confinement (the roots as resolved by the primary; none: --no-roots). */
	for (int i = 0; i < g.nroots && n < 60; i++) {
		a[n++] = "--allow-root";
		a[n++] = (char *)g.allow_roots[i];
	}
	if (g.nroots == 0)
		a[n++] = "--no-roots";
	if (g.state_dir) {
		a[n++] = "--state-dir";
		a[n++] = (char *)g.state_dir;
	}
	if (g.test_methods)
		a[n++] = "--test-methods";
	if (g.pin_cpus) {
		snprintf(nums[6], 32, "%d", g.pin_cpus);
		a[n++] = "--pin-cpus";
		a[n++] = nums[6];
	}
	a[n] = NULL;
	return a;
}

/* A serving process (--serving-child, started by the primary: serving.h): its own listener,
 * the same method table, methods flagged CC_PROTO_PRIMARY relayed to the primary. No lock
 * file, no job queue, no detaching. */
static int serving_main(void)
{
	cc_proto_table *table = NULL;
	cc_daemon d = {0};
	sigset_t sigs;
	int rc;

	/* Die with the primary, and do not start at all when it is already gone. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (!g.primary_url || g.nlisten != 1 || (int)getppid() != g.primary_pid) {
		report_start(0, "--serving-child is started by codecompd itself (--serve-procs)");
		return 2;
	}
	static char tag[64];
	size_t pl = strlen(g.primary_url);
	snprintf(tag, sizeof(tag), "serving %.40s",
	         strncmp(g.listen[0], g.primary_url, pl) ? g.listen[0] : g.listen[0] + pl);
	cc_log_set_tag(tag);
	pin_self();
	block_signals(&sigs, 0);
	if ((rc = cc_proto_table_new(&table)) != CC_OK)
		goto fail;
	d.table = table;
	d.started = cc_now();
	d.version = CC_VERSION;
	d.test_methods = g.test_methods;
	d.pid = g.primary_pid;
	cc_serving_plan(g.primary_url, g.serve_procs - 1);
	d.endpoints = cc_serving_endpoints();
	if ((rc = cc_daemon_methods_register(&d)) != CC_OK)
		goto fail;
	g.listen[g.nlisten] = NULL;
	cc_server_opts so = {g.listen, NULL, g.max_request, g.request_timeout, g.workers,
	                     g.max_pending, g.contexts, cc_daemon_thread_cleanup, g.primary_url};
	/* The socket may still be held by the serving process of a previous primary that was
	 * killed: it is stopping (PR_SET_PDEATHSIG), so wait for it a little. */
	double until = cc_now() + 5;
	while ((rc = cc_server_start(&d.server, &so, table, &d)) == CC_EBUSY && cc_now() < until)
		usleep(100000);
	if (rc != CC_OK)
		goto fail;
	report_start(1, NULL);
	for (;;) {
		int sig = 0;
		if (sigwait(&sigs, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			if (open_log() != CC_OK)
				cc_log(CC_LOG_ERROR, "%s", cc_error_last());
			continue;
		}
		break;
	}
	cc_server_stop_accepting(d.server);
	cc_server_free(d.server, 5);
	json_decref(d.hello);
	cc_proto_table_free(table);
	cc_daemon_methods_cleanup();
	free(g.listen);
	return 0;
fail:
	report_start(0, cc_error_last());
	cc_server_free(d.server, 0);
	cc_proto_table_free(table);
	free(g.listen);
	return 1;
}

int main(int argc, char **argv)
{
	enum {
		O_LISTEN = 256,
		O_TOKEN,
		O_FG,
		O_LOGLEVEL,
		O_LOGFILE,
		O_LOCK,
		O_STATE,
		O_WORKERS,
		O_JOBS,
		O_MAXREQ,
		O_TIMEOUT,
		O_PENDING,
		O_QUEUED,
		O_GRACE,
		O_TESTM,
		O_TESTJ,
		O_VERSION,
		O_HELP,
		O_SERVE,
		O_CHILD,
		O_PPID,
		O_PURL,
		O_READYFD,
		O_PIN,
		O_PINIDX,
		O_ROOT,
		O_STATEDIR,
		O_NOROOTS,
		O_STOPTO,
		O_MODEL,
		O_DEVICE,
		O_GPUMEM,
		O_RCACHE,
		O_MAXSESS,
		O_IDLE,
		O_HTTP,
		O_RCDISK,
		O_RCDEV
	};
	static const struct option opts[] = {
		{"listen", required_argument, 0, O_LISTEN},
		{"token-file", required_argument, 0, O_TOKEN},
		{"foreground", no_argument, 0, O_FG},
		{"log-level", required_argument, 0, O_LOGLEVEL},
		{"log-file", required_argument, 0, O_LOGFILE},
		{"lock-file", required_argument, 0, O_LOCK},
		{"state-file", required_argument, 0, O_STATE},
		{"workers", required_argument, 0, O_WORKERS},
		{"jobs", required_argument, 0, O_JOBS},
		{"max-request", required_argument, 0, O_MAXREQ},
		{"request-timeout", required_argument, 0, O_TIMEOUT},
		{"max-pending", required_argument, 0, O_PENDING},
		{"max-queued-jobs", required_argument, 0, O_QUEUED},
		{"stop-grace", required_argument, 0, O_GRACE},
		{"test-methods", no_argument, 0, O_TESTM},
		{"test-jobs", no_argument, 0, O_TESTJ},
		{"version", no_argument, 0, O_VERSION},
		{"help", no_argument, 0, O_HELP},
		{"serve-procs", required_argument, 0, O_SERVE},
		{"pin-cpus", required_argument, 0, O_PIN},
		{"pin-index", required_argument, 0, O_PINIDX},
		{"allow-root", required_argument, 0, O_ROOT},
		{"state-dir", required_argument, 0, O_STATEDIR},
		{"stop-timeout", required_argument, 0, O_STOPTO},
		{"model", required_argument, 0, O_MODEL},
		{"device", required_argument, 0, O_DEVICE},
		{"gpu-memory", required_argument, 0, O_GPUMEM},
		{"repo-cache-bytes", required_argument, 0, O_RCACHE},
		{"repo-cache-disk-bytes", required_argument, 0, O_RCDISK},
		{"repo-cache-device-bytes", required_argument, 0, O_RCDEV},
		{"max-sessions", required_argument, 0, O_MAXSESS},
		{"session-idle", required_argument, 0, O_IDLE},
		{"http", required_argument, 0, O_HTTP},
		{"no-roots", no_argument, 0, O_NOROOTS}, /* internal: serving process, nothing allowed */
		/* internal: how the primary starts a serving process (serving.c) */
		{"serving-child", no_argument, 0, O_CHILD},
		{"primary-pid", required_argument, 0, O_PPID},
		{"primary", required_argument, 0, O_PURL},
		{"ready-fd", required_argument, 0, O_READYFD},
		{0, 0, 0, 0},
	};
	char defurl[PATH_MAX + 8], base[PATH_MAX], journal[PATH_MAX + 16];
	cc_proto_table *table = NULL;
	cc_daemon d = {0};
	cc_http *http = NULL;
	sigset_t sigs;
	int c, rc;

	/* Replies of ~100 KB are built and freed per request: keep freed memory in the heap
	 * instead of returning it to the kernel and faulting fresh zeroed pages back each time. */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	/* Integer options: one row each instead of a case each. */
	static const struct {
		int opt;
		int *dst;
		const char *name;
		int lo, hi;
	} int_opts[] = {
		{O_WORKERS, &g.workers, "--workers", 1, 256},
		{O_JOBS, &g.jobs, "--jobs", 1, 64},
		{O_PENDING, &g.max_pending, "--max-pending", 1, 1 << 20},
		{O_QUEUED, &g.max_queued, "--max-queued-jobs", 1, 1 << 20},
		{O_SERVE, &g.serve_procs, "--serve-procs", 1, 64},
		{O_PIN, &g.pin_cpus, "--pin-cpus", 1, 1024},
		{O_PINIDX, &g.pin_index, "--pin-index", 0, 64},
		{O_PPID, &g.primary_pid, "--primary-pid", 1, 1 << 30},
		{O_READYFD, &g.ready_fd, "--ready-fd", 3, 1 << 20},
	};
	g.listen = cc_xcalloc((size_t)argc + 1, sizeof(char *));
	g.allow_roots = cc_xcalloc((size_t)argc + 64, sizeof(char *));
	int no_roots = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		size_t k = 0;
		while (k < sizeof(int_opts) / sizeof(int_opts[0]) && int_opts[k].opt != c)
			k++;
		if (k < sizeof(int_opts) / sizeof(int_opts[0])) {
			if (opt_int(int_opts[k].dst, optarg, int_opts[k].name, int_opts[k].lo,
			            int_opts[k].hi))
				return 2;
			continue;
		}
		switch (c) {
		case O_LISTEN: g.listen[g.nlisten++] = optarg; break;
		case O_TOKEN: g.token_file = optarg; break;
		case O_FG: g.foreground = 1; break;
		case O_LOGLEVEL:
			if ((g.log_level = cc_log_level_parse(optarg)) < 0) {
				fprintf(stderr, "codecompd: --log-level must be error, warn, info or debug\n");
				return 2;
			}
			break;
		case O_LOGFILE: g.log_file = optarg; break;
		case O_LOCK: g.lock_file = optarg; break;
		case O_ROOT: g.allow_roots[g.nroots++] = optarg; break;
		case O_STATEDIR: g.state_dir = optarg; break;
		case O_MODEL:
			if (g.nmodels >= 16) {
				fprintf(stderr, "codecompd: at most 16 --model options\n");
				return 2;
			}
			g.models[g.nmodels] = optarg;
			g.model_devices[g.nmodels++] = g.devices;
			break;
		case O_DEVICE:
			if (!*optarg || (cc_device_parse(optarg) < 0 && strncmp(optarg, "cpu", 3) &&
			                 strncmp(optarg, "cuda", 4))) {
				fprintf(stderr,
				        "codecompd: --device: cpu, cuda, cuda:N, a list or cuda:all, "
				        "got '%s'\n",
				        optarg);
				return 2;
			}
			g.devices = optarg;
			break;
		case O_GPUMEM:
			if (opt_size(&g.kv_bytes, optarg, "--gpu-memory", 1 << 20, MAX_BYTES))
				return 2;
			break;
		case O_RCACHE:
			if (opt_size(&g.repo_cache_bytes, optarg, "--repo-cache-bytes", 1 << 20, MAX_BYTES))
				return 2;
			break;
		case O_RCDEV:
			if (opt_size(&g.repo_cache_dev, optarg, "--repo-cache-device-bytes", 0, MAX_BYTES))
				return 2;
			break;
		case O_RCDISK:
			/* 0 = the default; below 1 MiB a chunk or two would fill it */
			if (opt_size(&g.repo_cache_disk, optarg, "--repo-cache-disk-bytes", 0, MAX_BYTES))
				return 2;
			if (g.repo_cache_disk > 0 && g.repo_cache_disk < (1 << 20)) {
				fprintf(stderr,
				        "codecompd: --repo-cache-disk-bytes expects 0 (the default, "
				        "4 GiB) or at least 1 MiB (1048576), got '%s'\n",
				        optarg);
				return 2;
			}
			break;
		case O_MAXSESS:
			if (opt_size(&g.max_sessions, optarg, "--max-sessions", 1, 1 << 20))
				return 2;
			break;
		case O_IDLE:
			if (opt_double(&g.session_idle, optarg, "--session-idle", 1, 1e9))
				return 2;
			break;
		case O_HTTP: g.http = optarg; break;
		case O_NOROOTS: no_roots = 1; break;
		case O_STATE: g.state_file = optarg; break;
		case O_MAXREQ:
			if (opt_size(&g.max_request, optarg, "--max-request", 256, 1 << 30))
				return 2;
			break;
		case O_TIMEOUT:
			if (opt_double(&g.request_timeout, optarg, "--request-timeout", 0.01, 86400))
				return 2;
			break;
		case O_GRACE:
			if (opt_double(&g.stop_grace, optarg, "--stop-grace", 0, 3600))
				return 2;
			break;
		case O_STOPTO:
			if (opt_double(&g.stop_hard, optarg, "--stop-timeout", 0.1, 3600))
				return 2;
			break;
		case O_CHILD: g.serving_child = 1; break;
		case O_PURL: g.primary_url = optarg; break;
		case O_TESTM: g.test_methods = 1; break;
		case O_TESTJ: g.test_jobs = 1; break;
		case O_VERSION: printf("codecompd %s\n", CC_VERSION); return 0;
		case O_HELP: usage(stdout); return 0;
		default:
			fprintf(stderr, "codecompd: unknown or incomplete option '%s'\n", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "codecompd: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (g.workers == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		g.workers = n < 2 ? 2 : (n > 32 ? 32 : (int)n);
	}
	if (g.nlisten == 0) {
		if (ensure_default_dir())
			return 1;
		g.listen[g.nlisten++] = cc_client_default_url(defurl, sizeof(defurl));
	}
	cc_log_set_level((cc_log_level)g.log_level);
	g.token_file = absolute(g.token_file, NULL);
	g.log_file = absolute(g.log_file, NULL);
	g.lock_file = absolute(g.lock_file, NULL);
	g.state_file = absolute(g.state_file, NULL);
	for (int i = 0; i < g.nlisten; i++)
		g.listen[i] = absolute(g.listen[i], "ipc://");
	for (int i = 0; i < g.nlisten; i++)
		if (!strncmp(g.listen[i], "tcp://", 6) && !g.token_file) {
			fprintf(stderr, "codecompd: %s: a tcp:// listener needs --token-file\n", g.listen[i]);
			return 2;
		}
	if (g.nroots == 0 && !no_roots && set_default_roots())
		return 2;
	for (int i = 0; i < g.nroots; i++)
		g.allow_roots[i] = absolute(g.allow_roots[i], NULL);
	g.state_dir = absolute(g.state_dir, NULL);
	if (cc_confine_init(g.allow_roots, g.nroots, g.state_dir) != CC_OK) {
		fprintf(stderr, "codecompd: %s\n", cc_error_last());
		return 2;
	}
	if (!g.log_file && !g.foreground && !g.serving_child)
		g.log_file = default_log_file();
	if (!g.foreground && !g.serving_child)
		g.start_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (g.log_file && (rc = open_log()) != CC_OK) {
		fprintf(stderr, "codecompd: %s\n", cc_error_last());
		return 1;
	}
	if (g.serving_child)
		return serving_main();
	if (g.serve_procs > 1 && !first_ipc()) {
		fprintf(stderr, "codecompd: --serve-procs needs an ipc:// listener\n");
		return 2;
	}
	if (!g.foreground && detach() != 0)
		return 1;

	/* From here on every thread inherits the blocked signals (and --pin-cpus); main takes the
	 * signals with sigwait. */
	pin_self();
	block_signals(&sigs, g.serve_procs > 1);

	if ((rc = take_lock()) != CC_OK)
		goto fail;
	if (g.token_file && (rc = read_token()) != CC_OK)
		goto fail;
	base_path(base, sizeof(base));
	snprintf(journal, sizeof(journal), "%.4000s.jobs.json", base);
	cc_jobs_opts jo = {g.jobs, g.max_queued, g.state_file ? g.state_file : journal,
	                   g.test_jobs ? cc_daemon_test_job : cc_daemon_index_job, NULL, 1024};
	if ((rc = cc_jobs_new(&d.jobs, &jo)) != CC_OK)
		goto fail;
	catch_up_missed(d.jobs);
	if ((rc = cc_proto_table_new(&table)) != CC_OK)
		goto fail;
	d.table = table;
	d.started = cc_now();
	d.version = CC_VERSION;
	d.test_methods = g.test_methods;
	d.shutdown = on_shutdown;
	if (first_ipc()) {
		cc_serving_plan(first_ipc(), g.serve_procs - 1);
		d.endpoints = cc_serving_endpoints();
	}
	d.serving = cc_serving_json; /* [] without serving processes */
	{
		cc_agent_opts ao = {0};
		ao.max_sessions = g.max_sessions;
		ao.kv_bytes = g.kv_bytes;
		ao.repo_cache_bytes = g.repo_cache_bytes;
		ao.repo_cache_disk_bytes = g.repo_cache_disk;
		ao.repo_cache_device_bytes = g.repo_cache_dev;
		ao.idle_timeout_s = g.session_idle;
		if ((rc = cc_agent_new(&d.agent, &ao)) != CC_OK)
			goto fail;
		for (int i = 0; i < g.nmodels; i++) {
			const char *dir = absolute(g.models[i], NULL);
			const char *devs = g.model_devices[i] ? g.model_devices[i] : "cpu";
			if ((rc = cc_agent_model_load_devices(d.agent, dir, devs)) != CC_OK)
				goto fail;
			cc_log(CC_LOG_INFO, "model %s loaded (%s)", dir, devs);
		}
	}
	if ((rc = cc_daemon_methods_register(&d)) != CC_OK)
		goto fail;
	g.listen[g.nlisten] = NULL;
	cc_server_opts so = {g.listen, g.token, g.max_request, g.request_timeout, g.workers,
	                     g.max_pending, g.contexts, cc_daemon_thread_cleanup, NULL};
	/* Serving processes first: once the main socket answers, every endpoint hello lists is
	 * up (they only need the primary when they relay a request). */
	if (g.serve_procs > 1 &&
	    (rc = cc_serving_start(first_ipc(), g.serve_procs - 1, serving_argv(first_ipc()),
	                           g.have_affinity ? &g.affinity : NULL)) != CC_OK)
		goto fail;
	if ((rc = cc_server_start(&d.server, &so, table, &d)) != CC_OK)
		goto fail;
	if (g.http) {
		cc_http_opts ho = {g.http, g.token, g.max_request, g.request_timeout, 0};
		if ((rc = cc_http_start(&http, &ho, &d)) != CC_OK)
			goto fail;
		cc_log(CC_LOG_INFO, "OpenAI-compatible HTTP on %s (port %d)", g.http,
		       cc_http_port(http));
	}
	cc_log(CC_LOG_INFO, "codecompd %s ready (pid %d)", CC_VERSION, (int)getpid());
	report_start(1, NULL);

	for (;;) {
		int sig = 0;
		if (sigwait(&sigs, &sig) != 0)
			continue;
		if (sig == SIGCHLD) {
			cc_serving_reap();
			continue;
		}
		if (sig == SIGHUP) {
			if (open_log() != CC_OK)
				cc_log(CC_LOG_ERROR, "%s", cc_error_last());
			cc_serving_signal(SIGHUP);
			cc_log(CC_LOG_INFO, "SIGHUP: log reopened");
			continue;
		}
		cc_log(CC_LOG_INFO, "%s: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
		break;
	}
	/* Serving processes first: what they relay still reaches a working primary. */
	cc_serving_stop(6);
	cc_http_free(http, 5);
	http = NULL;
	cc_server_stop_accepting(d.server);
	if (cc_jobs_stop(d.jobs, g.stop_grace, g.stop_hard) != CC_OK) {
		/* A job deaf to cancellation: its thread cannot be joined. The journal keeps it;
		 * answer what is in flight and leave. */
		cc_log(CC_LOG_ERROR, "%s; exiting anyway", cc_error_last());
		cc_server_free(d.server, 2);
		unlink(g.lock_path);
		cc_log(CC_LOG_INFO, "stopped");
		_exit(0);
	}
	cc_server_free(d.server, 5);
	cc_jobs_free(d.jobs);
	cc_agent_free(d.agent);
	json_decref(d.hello);
	cc_proto_table_free(table);
	cc_daemon_methods_cleanup();
	cc_confine_free();
	unlink(g.lock_path);
	close(g.lock_fd);
	free(g.token);
	free(g.listen);
	cc_log(CC_LOG_INFO, "stopped");
	return 0;
fail:
	report_start(0, cc_error_last());
	cc_serving_stop(2);
	cc_http_free(http, 2);
	cc_server_free(d.server, 0);
	cc_jobs_free(d.jobs);
	cc_agent_free(d.agent);
	json_decref(d.hello);
	cc_proto_table_free(table);
	free(g.token);
	free(g.listen);
	return 1;
}
