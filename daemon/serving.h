/*
 * serving.h - codecompd's serving processes (`--serve-procs N`), for the executable only.
 *
 * nng 1.5.2 runs every socket of a process through one epoll thread and one task queue, which
 * caps one process at roughly 60k small requests/s however many CPUs there are. With
 * --serve-procs N the primary process starts N-1 serving processes (this same executable with
 * --serving-child), each listening on its own ipc:// endpoint next to the primary's socket
 * (SOCK.1, SOCK.2, ...). They answer what needs no daemon-wide state (hello, nodes, edges,
 * priors) themselves and relay the rest (index, jobs, status, shutdown) to the primary.
 * hello lists every endpoint; clients that send many requests at once dial them all
 * (cc_client_spread). A serving process that dies is started again; all of them stop with the
 * primary (and die with it: PR_SET_PDEATHSIG).
 */
#ifndef CC_SERVING_H
#define CC_SERVING_H

#include <jansson.h>
#include <sched.h>
#include <sys/types.h>

/* The URL of serving process i (1-based) of a primary whose first ipc:// URL is primary, in
 * buf. */
void cc_serving_url(char *buf, size_t n, const char *primary, int i);

/*
 * Start n serving processes. argv is the option list every one of them gets (without
 * --listen / --ready-fd / --pin-index, which this adds): the executable's own options as the
 * primary was given them plus --serving-child. affinity (may be NULL) is the CPU set they
 * start with (the primary's own before --pin-cpus narrowed it; each then pins itself). Waits
 * until each listens (or fails: CC_EIO with its message; those already started are stopped).
 */
int cc_serving_start(const char *primary_url, int n, char *const *argv,
                     const cpu_set_t *affinity);

/* SIGCHLD: reap exited serving processes and start them again, unless one keeps dying at
 * start (5 deaths within 10 s: it is left down, with an error in the log). */
void cc_serving_reap(void);

/* Send sig to every serving process (SIGHUP: reopen logs). */
void cc_serving_signal(int sig);

/* SIGTERM every serving process, wait up to timeout seconds, then SIGKILL what is left. */
void cc_serving_stop(double timeout);

/* [{pid, url, rss_bytes}] of the serving processes, for status. */
json_t *cc_serving_json(void);

/* Every ipc endpoint: the primary's URL then the serving processes', NULL-terminated (static
 * storage, valid after cc_serving_start or cc_serving_plan). */
const char *const *cc_serving_endpoints(void);

/* Compute the endpoint list without starting anything (serving processes answer hello with
 * the same list). */
void cc_serving_plan(const char *primary_url, int n);

#endif
