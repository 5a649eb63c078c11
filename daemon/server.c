/*
 * server.c - codecompd's nng REP server. One REP socket with several listeners; a fixed set
 * of nng contexts (one request in flight each) receive asynchronously and hand requests to a
 * pool of worker threads that run the method table. A watchdog answers any request that
 * passes its deadline with a timeout error (a late worker result is then dropped), a full
 * queue answers "busy" at once: a client always gets a reply, never a hang.
 */
#include "cc_client.h"
#include "cc_daemon.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>

enum {
	C_RECV,
	C_WORK,
	C_SEND,
	C_DEAD
};

struct conn {
	cc_server *s;
	nng_aio *aio;
	nng_ctx ctx;
	pthread_mutex_t mu;
	int state;
	unsigned gen; /* bumped for every request received */
	int replied;  /* a reply was sent for request gen */
	double deadline;
};

struct work {
	struct conn *c;
	unsigned gen;
	nng_msg *msg;
	int decoded; /* req holds msg decoded (on the I/O callback) */
	cc_proto_request req;
	int local;
	double deadline, received;
	struct work *next;
};

struct cc_server {
	nng_socket sock;
	int sock_open;
	nng_listener *lst;
	int *lst_local;
	int nlst;
	int all_local; /* -1: listeners differ, so each request's pipe is looked up; 0/1 all same */
	struct conn *conns;
	int nconns;
	pthread_t *workers;
	int nworkers;
	pthread_t watchdog;
	int watchdog_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct work *qhead, *qtail;
	int qlen;
	int stopping;
	int in_flight; /* requests received and not yet answered */
	const cc_proto_table *table;
	void *user;
	cc_server_opts o;
	char *token;
	unsigned long long n_requests, n_errors, n_timeouts, n_busy, n_forwarded;
};

/* A serving process's connection to the primary, one per worker thread (a cc_client is used
 * by one thread at a time). */
static _Thread_local cc_client *fwd_client;

static void conn_recv(struct conn *c)
{
	c->state = C_RECV;
	nng_ctx_recv(c->ctx, c->aio);
}

/* Send buf as the reply of request gen on c unless someone already answered it. Returns 1
 * when sent. Takes no ownership of buf. When reuse is not NULL and *reuse holds a message
 * (the request's), the reply is written into it instead of a new one and *reuse becomes NULL
 * once sent: nng's REP context puts its own routing header on whatever message it sends. */
static int conn_reply(struct conn *c, unsigned gen, const char *buf, size_t len, nng_msg **reuse)
{
	nng_msg *m = NULL;
	pthread_mutex_lock(&c->mu);
	if (c->state != C_WORK || c->gen != gen || c->replied) {
		pthread_mutex_unlock(&c->mu);
		return 0;
	}
	c->replied = 1;
	c->state = C_SEND;
	pthread_mutex_unlock(&c->mu);
	__atomic_sub_fetch(&c->s->in_flight, 1, __ATOMIC_SEQ_CST);
	if (reuse && *reuse) {
		m = *reuse;
		nng_msg_clear(m);
		nng_msg_header_clear(m);
		if (nng_msg_append(m, buf, len) != 0)
			m = NULL; /* still *reuse's: its owner frees it */
		else
			*reuse = NULL;
	} else if (nng_msg_alloc(&m, 0) != 0 || nng_msg_append(m, buf, len) != 0) {
		if (m)
			nng_msg_free(m);
		m = NULL;
	}
	if (!m) {
		/* Out of memory: nothing can be sent; go back to receiving. */
		cc_log(CC_LOG_ERROR, "cannot allocate a reply of %zu bytes", len);
		pthread_mutex_lock(&c->mu);
		conn_recv(c);
		pthread_mutex_unlock(&c->mu);
		return 0;
	}
	nng_aio_set_msg(c->aio, m);
	nng_ctx_send(c->ctx, c->aio);
	return 1;
}

static void reply_error(struct conn *c, unsigned gen, int code, const char *msg)
{
	size_t len;
	char *buf = cc_proto_error_encode(&len, NULL, code, msg, NULL);
	if (buf)
		conn_reply(c, gen, buf, len, NULL);
	free(buf);
}

static int pipe_is_local(cc_server *s, nng_msg *m)
{
	if (s->all_local >= 0) /* one kind of listener: no look-up (it takes nng's global lock) */
		return s->all_local;
	nng_pipe p = nng_msg_get_pipe(m);
	nng_listener l = nng_pipe_listener(p);
	for (int i = 0; i < s->nlst; i++)
		if (nng_listener_id(s->lst[i]) == nng_listener_id(l))
			return s->lst_local[i];
	return 0;
}

static void serve(cc_server *s, struct work *w);
static void log_refused(nng_msg *m);


static void conn_cb(void *arg)
{
	struct conn *c = arg;
	cc_server *s = c->s;
	int rv = nng_aio_result(c->aio);

	pthread_mutex_lock(&c->mu);
	if (c->state == C_SEND) {
		if (rv != 0) /* the client went away: the message is still ours */
			nng_msg_free(nng_aio_get_msg(c->aio));
		if (__atomic_load_n(&s->stopping, __ATOMIC_SEQ_CST) > 1)
			c->state = C_DEAD;
		else
			conn_recv(c);
		pthread_mutex_unlock(&c->mu);
		return;
	}
	if (c->state != C_RECV) {
		pthread_mutex_unlock(&c->mu);
		return;
	}
	if (rv != 0) {
		if (rv == NNG_ECLOSED || rv == NNG_ECANCELED ||
		    __atomic_load_n(&s->stopping, __ATOMIC_SEQ_CST) > 1)
			c->state = C_DEAD;
		else
			conn_recv(c);
		pthread_mutex_unlock(&c->mu);
		return;
	}
	nng_msg *m = nng_aio_get_msg(c->aio);
	c->gen++;
	c->replied = 0;
	c->state = C_WORK;
	c->deadline = cc_now() + s->o.request_timeout;
	unsigned gen = c->gen;
	double deadline = c->deadline;
	/* Counted before anyone (the watchdog) can answer it and count it out. */
	__atomic_add_fetch(&s->in_flight, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&c->mu);
	__atomic_add_fetch(&s->n_requests, 1, __ATOMIC_RELAXED);

	struct work iw = {c, gen, m, 0, {0}, pipe_is_local(s, m), deadline, 0, NULL};
	iw.received = cc_now();
	if (!iw.local && s->token) {
		const char *why = cc_proto_token_first(nng_msg_body(m), nng_msg_len(m), s->token);
		if (why) {
			__atomic_add_fetch(&s->n_errors, 1, __ATOMIC_RELAXED);
			log_refused(m);
			nng_msg_free(m); /* before the reply: nothing of the request is kept */
			reply_error(c, gen, CC_RPC_UNAUTHORIZED, why);
			return;
		}
	}
	/* Small requests are decoded once, here: malformed ones and methods that never block
	 * (hello, job.status) are answered on this callback, saving two thread hand-offs; the
	 * others reach a worker already decoded. */
	if (nng_msg_len(m) <= 4096 && !__atomic_load_n(&s->stopping, __ATOMIC_SEQ_CST)) {
		json_t *err_id = NULL;
		char msg[512];
		int code = 0;
		if (cc_proto_request_decode(&iw.req, &code, &err_id, msg, sizeof(msg), nng_msg_body(m),
		                            nng_msg_len(m), s->o.max_request) != CC_OK) {
			size_t len;
			char *buf = cc_proto_error_encode(&len, err_id, code, msg, NULL);
			json_decref(err_id);
			__atomic_add_fetch(&s->n_errors, 1, __ATOMIC_RELAXED);
			cc_log(CC_LOG_DEBUG, "%s ?: %s (%.3f ms)", iw.local ? "ipc" : "tcp",
			       cc_proto_code_name(code), (cc_now() - iw.received) * 1e3);
			if (buf)
				conn_reply(c, gen, buf, len, &m);
			else
				reply_error(c, gen, CC_RPC_INTERNAL_ERROR, "out of memory");
			free(buf);
			if (m)
				nng_msg_free(m);
			return;
		}
		iw.decoded = 1;
		int flags = cc_proto_table_method_flags(s->table, iw.req.method);
		if (flags >= 0 && (flags & CC_PROTO_INLINE) &&
		    !(s->o.forward_url && (flags & CC_PROTO_PRIMARY))) {
			serve(s, &iw);
			return;
		}
	}
	struct work *w = malloc(sizeof(*w));
	if (!w) {
		cc_proto_request_clear(&iw.req);
		nng_msg_free(m);
		reply_error(c, gen, CC_RPC_INTERNAL_ERROR, "out of memory");
		return;
	}
	*w = iw;
	pthread_mutex_lock(&s->mu);
	if (s->qlen >= s->o.max_pending || s->stopping) {
		int stopping = s->stopping;
		pthread_mutex_unlock(&s->mu);
		cc_proto_request_clear(&w->req);
		nng_msg_free(m);
		free(w);
		__atomic_add_fetch(&s->n_busy, 1, __ATOMIC_RELAXED);
		if (stopping)
			reply_error(c, gen, CC_RPC_SHUTTING_DOWN, "the daemon is shutting down");
		else
			reply_error(c, gen, CC_RPC_BUSY, "server busy: request queue is full, retry later");
		return;
	}
	if (s->qtail)
		s->qtail->next = w;
	else
		s->qhead = w;
	s->qtail = w;
	s->qlen++;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static void log_refused(nng_msg *m)
{
	nng_sockaddr sa;
	char addr[64] = "?";
	if (nng_pipe_get_addr(nng_msg_get_pipe(m), NNG_OPT_REMADDR, &sa) == 0) {
		if (sa.s_family == NNG_AF_INET) {
			char ip[INET_ADDRSTRLEN];
			inet_ntop(AF_INET, &sa.s_in.sa_addr, ip, sizeof(ip));
			snprintf(addr, sizeof(addr), "%s:%u", ip, ntohs(sa.s_in.sa_port));
		} else if (sa.s_family == NNG_AF_INET6) {
			char ip[INET6_ADDRSTRLEN];
			inet_ntop(AF_INET6, sa.s_in6.sa_addr, ip, sizeof(ip));
			snprintf(addr, sizeof(addr), "[%s]:%u", ip, ntohs(sa.s_in6.sa_port));
		}
	}
	/* At most one line a second; the lines in between are counted, not written. */
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static double last = -1e9;
	static unsigned long long suppressed;
	unsigned long long n = 0;
	double now = cc_now();
	int write_line = 0;
	pthread_mutex_lock(&mu);
	if (now - last >= 1.0) {
		write_line = 1;
		n = suppressed;
		suppressed = 0;
		last = now;
	} else {
		suppressed++;
	}
	pthread_mutex_unlock(&mu);
	if (!write_line)
		return;
	if (n)
		cc_log(CC_LOG_WARN,
		       "refused a request from %s: missing or wrong token (and %llu more refused "
		       "requests not logged since the last line)",
		       addr, n);
	else
		cc_log(CC_LOG_WARN, "refused a request from %s: missing or wrong token", addr);
}

/* Relay w's request unchanged to the primary process and its reply unchanged back: the
 * client sees exactly what the primary answered (same id, same errors). The relay is local
 * IPC, so the primary treats it as a local request, as it was. Returns the reply (malloc'd) or
 * NULL with *code set when the primary could not be asked. */
static char *forward(size_t *len, int *code, cc_server *s, struct work *w)
{
	char *reply = NULL;
	int rc = CC_OK;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (!fwd_client) {
			int ms = (int)(s->o.request_timeout * 1000);
			if ((rc = cc_client_open(&fwd_client, s->o.forward_url, NULL, ms)) != CC_OK)
				break;
		}
		rc = cc_client_call_raw(&reply, len, fwd_client, nng_msg_body(w->msg),
		                        nng_msg_len(w->msg));
		if (rc != CC_EIO)
			break;
		cc_client_free(fwd_client); /* a broken connection: open a new one once */
		fwd_client = NULL;
	}
	if (rc == CC_OK) {
		__atomic_add_fetch(&s->n_forwarded, 1, __ATOMIC_RELAXED);
		return reply;
	}
	*code = rc == CC_ETIMEDOUT ? CC_RPC_TIMEOUT : CC_RPC_SHUTTING_DOWN;
	cc_log(CC_LOG_WARN, "cannot relay a request to the primary process: %s", cc_error_last());
	return NULL;
}

/* Run one request and answer it (unless the watchdog answered it already); releases w's
 * message and decoded request but not w itself. */
static void serve(cc_server *s, struct work *w)
{
	pthread_mutex_lock(&w->c->mu);
	int stale = w->c->gen != w->gen || w->c->replied;
	pthread_mutex_unlock(&w->c->mu);
	if (!stale) {
		char *reply = NULL, mbuf[128];
		const char *method = mbuf;
		size_t len = 0;
		int code = 0;
		cc_proto_limits lim = {s->o.max_request, w->local ? NULL : s->token, w->local,
		                       w->deadline, s->user};
		int flags = 0;
		if (s->o.forward_url && w->decoded)
			flags = cc_proto_table_method_flags(s->table, w->req.method);
		else if (s->o.forward_url)
			flags = cc_proto_table_flags(s->table, nng_msg_body(w->msg),
			                             nng_msg_len(w->msg));
		int relayed = flags > 0 && (flags & CC_PROTO_PRIMARY);
		if (relayed) {
			method = w->decoded ? w->req.method : "?";
			if (!(reply = forward(&len, &code, s, w))) {
				char msg[160];
				snprintf(msg, sizeof(msg), "the daemon's primary process did not answer (%s)",
				         code == CC_RPC_TIMEOUT ? "time limit" : "it is stopping or gone");
				reply = cc_proto_error_encode(&len, w->decoded ? w->req.id : NULL, code, msg,
				                              NULL);
			}
		} else if (w->decoded) {
			cc_proto_dispatch_request(&reply, &len, &code, s->table, &w->req, &lim);
			method = w->req.method;
		} else {
			cc_proto_dispatch(&reply, &len, &code, s->table, nng_msg_body(w->msg),
			                  nng_msg_len(w->msg), &lim, mbuf, sizeof(mbuf));
		}
		if (code == CC_RPC_UNAUTHORIZED)
			log_refused(w->msg);
		if (code)
			__atomic_add_fetch(&s->n_errors, 1, __ATOMIC_RELAXED);
		cc_log(CC_LOG_DEBUG, "%s %s: %s (%.3f ms)", w->local ? "ipc" : "tcp",
		       method[0] ? method : "?",
		       code ? cc_proto_code_name(code) : (relayed ? "relayed to the primary" : "ok"),
		       (cc_now() - w->received) * 1e3);
		/* The request's message carries the reply back (no allocation for small ones). */
		if (reply)
			conn_reply(w->c, w->gen, reply, len, &w->msg);
		else
			reply_error(w->c, w->gen, CC_RPC_INTERNAL_ERROR, "out of memory");
		free(reply);
	}
	cc_proto_request_clear(&w->req);
	if (w->msg)
		nng_msg_free(w->msg);
}

static void *worker_main(void *arg)
{
	cc_server *s = arg;
	for (;;) {
		struct work *w;
		pthread_mutex_lock(&s->mu);
		while (!s->qhead && s->stopping < 2)
			pthread_cond_wait(&s->cv, &s->mu);
		w = s->qhead;
		if (!w) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		s->qhead = w->next;
		if (!s->qhead)
			s->qtail = NULL;
		s->qlen--;
		pthread_mutex_unlock(&s->mu);

		serve(s, w);
		free(w);
	}
	cc_client_free(fwd_client);
	fwd_client = NULL;
	if (s->o.thread_exit)
		s->o.thread_exit();
	return NULL;
}

static void *watchdog_main(void *arg)
{
	cc_server *s = arg;
	char msg[128];
	snprintf(msg, sizeof(msg), "request took longer than the limit of %.3g s",
	         s->o.request_timeout);
	while (__atomic_load_n(&s->stopping, __ATOMIC_SEQ_CST) < 2) {
		double now = cc_now();
		for (int i = 0; i < s->nconns; i++) {
			struct conn *c = &s->conns[i];
			unsigned gen = 0;
			int late = 0;
			pthread_mutex_lock(&c->mu);
			if (c->state == C_WORK && !c->replied && now > c->deadline) {
				late = 1;
				gen = c->gen;
			}
			pthread_mutex_unlock(&c->mu);
			if (late) {
				__atomic_add_fetch(&s->n_timeouts, 1, __ATOMIC_RELAXED);
				cc_log(CC_LOG_WARN, "a request passed the time limit of %.3g s",
				       s->o.request_timeout);
				reply_error(c, gen, CC_RPC_TIMEOUT, msg);
			}
		}
		usleep(5000);
	}
	return NULL;
}

static int listen_one(cc_server *s, const char *url, int i)
{
	int rv, local = !strncmp(url, "ipc://", 6);
	if (!local && strncmp(url, "tcp://", 6))
		return cc_error_set(CC_EINVAL, "%s: only ipc:// and tcp:// URLs are supported", url);
	if (!local && !s->token)
		return cc_error_set(CC_EINVAL,
		                    "%s: a tcp:// listener needs --token-file (every request must carry "
		                    "the token)",
		                    url);
	if ((rv = nng_listener_create(&s->lst[i], s->sock, url)) != 0)
		return cc_error_set(CC_EINVAL, "%s: %s", url, nng_strerror(rv));
	if (local && (rv = nng_listener_set_int(s->lst[i], NNG_OPT_IPC_PERMISSIONS, 0600)) != 0)
		return cc_error_set(CC_EIO, "%s: cannot restrict permissions: %s", url, nng_strerror(rv));
	if (s->o.max_request) {
		/* nng drops the connection above this size; between max_request and this we answer
		 * with a clear "too big" error. */
		size_t hard = s->o.max_request * 4 > s->o.max_request + (1u << 20)
		                      ? s->o.max_request * 4
		                      : s->o.max_request + (1u << 20);
		nng_listener_set_size(s->lst[i], NNG_OPT_RECVMAXSZ, hard);
	}
	if ((rv = nng_listener_start(s->lst[i], 0)) != 0)
		return cc_error_set(rv == NNG_EADDRINUSE ? CC_EBUSY : CC_EIO, "cannot listen on %s: %s",
		                    url, nng_strerror(rv));
	s->lst_local[i] = local;
	s->nlst = i + 1;
	cc_log(CC_LOG_INFO, "listening on %s", url);
	return CC_OK;
}

int cc_server_start(cc_server **out, const cc_server_opts *opts, const cc_proto_table *table,
                    void *user)
{
	cc_server *s = cc_xcalloc(1, sizeof(*s));
	int rv, rc = CC_OK, n = 0;

	*out = NULL;
	s->o = *opts;
	s->table = table;
	s->user = user;
	if (s->o.workers < 1)
		s->o.workers = 4;
	if (s->o.contexts < 1)
		s->o.contexts = 128;
	if (s->o.max_pending < 1)
		s->o.max_pending = 256;
	if (s->o.request_timeout <= 0)
		s->o.request_timeout = 30;
	s->token = opts->token ? cc_xstrdup(opts->token) : NULL;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if ((rv = nng_rep0_open(&s->sock)) != 0) {
		free(s->token);
		free(s);
		return cc_error_set(CC_EIO, "cannot open the reply socket: %s", nng_strerror(rv));
	}
	s->sock_open = 1;
	while (opts->listen && opts->listen[n])
		n++;
	if (n == 0) {
		rc = cc_error_set(CC_EINVAL, "no listen URL");
		goto fail;
	}
	s->lst = cc_xcalloc((size_t)n, sizeof(*s->lst));
	s->lst_local = cc_xcalloc((size_t)n, sizeof(int));
	for (int i = 0; i < n; i++)
		if ((rc = listen_one(s, opts->listen[i], i)) != CC_OK)
			goto fail;
	s->all_local = s->lst_local[0];
	for (int i = 1; i < s->nlst; i++)
		if (s->lst_local[i] != s->all_local)
			s->all_local = -1;
	s->conns = cc_xcalloc((size_t)s->o.contexts, sizeof(*s->conns));
	for (int i = 0; i < s->o.contexts; i++) {
		struct conn *c = &s->conns[i];
		c->s = s;
		pthread_mutex_init(&c->mu, NULL);
		if ((rv = nng_aio_alloc(&c->aio, conn_cb, c)) != 0 ||
		    (rv = nng_ctx_open(&c->ctx, s->sock)) != 0) {
			rc = cc_error_set(CC_ENOMEM, "cannot create request contexts: %s", nng_strerror(rv));
			goto fail;
		}
		s->nconns = i + 1;
	}
	s->workers = cc_xcalloc((size_t)s->o.workers, sizeof(pthread_t));
	for (int i = 0; i < s->o.workers; i++) {
		if (pthread_create(&s->workers[i], NULL, worker_main, s) != 0) {
			rc = cc_error_set(CC_ENOMEM, "cannot start worker threads");
			goto fail;
		}
		s->nworkers++;
	}
	if (pthread_create(&s->watchdog, NULL, watchdog_main, s) != 0) {
		rc = cc_error_set(CC_ENOMEM, "cannot start the watchdog thread");
		goto fail;
	}
	s->watchdog_started = 1;
	*out = s; /* before the first request can reach a method that reads it */
	for (int i = 0; i < s->nconns; i++) {
		pthread_mutex_lock(&s->conns[i].mu);
		conn_recv(&s->conns[i]);
		pthread_mutex_unlock(&s->conns[i].mu);
	}
	return CC_OK;
fail:
	cc_server_free(s, 0);
	return rc;
}

void cc_server_stop_accepting(cc_server *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	if (s->stopping < 1)
		__atomic_store_n(&s->stopping, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&s->mu);
}

void cc_server_free(cc_server *s, double timeout)
{
	double end = cc_now() + timeout;
	if (!s)
		return;
	cc_server_stop_accepting(s);
	while (__atomic_load_n(&s->in_flight, __ATOMIC_SEQ_CST) > 0 && cc_now() < end)
		usleep(2000);
	usleep(20000); /* let the last replies leave before the socket closes */
	for (int i = 0; i < s->nlst; i++)
		nng_listener_close(s->lst[i]);
	pthread_mutex_lock(&s->mu);
	__atomic_store_n(&s->stopping, 2, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	for (int i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i], NULL);
	if (s->watchdog_started)
		pthread_join(s->watchdog, NULL);
	for (int i = 0; i < s->o.contexts && s->conns; i++)
		if (s->conns[i].aio)
			nng_aio_stop(s->conns[i].aio);
	if (s->sock_open)
		nng_close(s->sock);
	for (int i = 0; i < s->o.contexts && s->conns; i++) {
		if (s->conns[i].aio)
			nng_aio_free(s->conns[i].aio);
		if (i <= s->nconns && i < s->o.contexts)
			pthread_mutex_destroy(&s->conns[i].mu);
	}
	while (s->qhead) {
		struct work *w = s->qhead;
		s->qhead = w->next;
		cc_proto_request_clear(&w->req);
		nng_msg_free(w->msg);
		free(w);
	}
	free(s->conns);
	free(s->workers);
	free(s->lst);
	free(s->lst_local);
	free(s->token);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

json_t *cc_server_stats_json(cc_server *s)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:i, s:I}", "requests",
	                 (json_int_t)__atomic_load_n(&s->n_requests, __ATOMIC_RELAXED), "errors",
	                 (json_int_t)__atomic_load_n(&s->n_errors, __ATOMIC_RELAXED), "timeouts",
	                 (json_int_t)__atomic_load_n(&s->n_timeouts, __ATOMIC_RELAXED), "busy",
	                 (json_int_t)__atomic_load_n(&s->n_busy, __ATOMIC_RELAXED), "in_flight",
	                 __atomic_load_n(&s->in_flight, __ATOMIC_SEQ_CST), "forwarded",
	                 (json_int_t)__atomic_load_n(&s->n_forwarded, __ATOMIC_RELAXED));
}
