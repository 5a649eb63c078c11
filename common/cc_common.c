/*
 * cc_common.c - error state, assert, allocation, files, clock, progress and log.
 */
#include "cc_common.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static _Thread_local char err_msg[1024];
static _Thread_local int err_code;

const char *cc_strerror(int rc)
{
	switch (rc) {
	case CC_OK: return "ok";
	case CC_ERR: return "error";
	case CC_ENOMEM: return "out of memory";
	case CC_EINVAL: return "invalid argument";
	case CC_EIO: return "i/o error";
	case CC_ENOTFOUND: return "not found";
	case CC_EPARSE: return "parse error";
	case CC_EUNSUPPORTED: return "unsupported";
	case CC_EDB: return "database error";
	case CC_EGIT: return "git error";
	case CC_ECANCELED: return "cancelled";
	case CC_EBUSY: return "busy";
	case CC_ETOOBIG: return "too big";
	case CC_ECUDA: return "cuda error";
	case CC_ETIMEDOUT: return "timed out";
	case CC_EPROTO: return "protocol error";
	case CC_EAUTH: return "not authorized";
	case CC_ESTALE: return "stale";
	}
	return "unknown error";
}

int cc_error_set(int rc, const char *fmt, ...)
{
	va_list ap;
	char tmp[sizeof(err_msg)];
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap); /* fmt args may point into err_msg */
	va_end(ap);
	memcpy(err_msg, tmp, sizeof(err_msg));
	err_code = rc;
	return rc;
}

const char *cc_error_last(void) { return err_msg; }
int cc_error_last_code(void) { return err_code; }
void cc_error_clear(void)
{
	err_msg[0] = 0;
	err_code = CC_OK;
}

void cc_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "codecomp: assertion failed: %s (%s:%d)\n", expr, file, line);
	abort();
}

static void oom(size_t n)
{
	fprintf(stderr, "codecomp: out of memory allocating %zu bytes\n", n);
	abort();
}

void *cc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *cc_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *cc_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *cc_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(cc_xmalloc(n), s, n);
}

int cc_read_file(char **out, size_t *len, const char *path, size_t max)
{
	FILE *f = NULL;
	char *buf = NULL;
	struct stat st;
	int rc = CC_OK;

	*out = NULL;
	if (len)
		*len = 0;
	/* O_NONBLOCK: a FIFO (or device) is refused below instead of blocking the open */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || !(f = fdopen(fd, "rb"))) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return cc_error_set(e == ENOENT ? CC_ENOTFOUND : CC_EIO, "%s: %s", path, strerror(e));
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = cc_error_set(CC_EIO, "%s: not a regular file", path);
		goto out;
	}
	if (max && (size_t)st.st_size > max) {
		rc = cc_error_set(CC_ETOOBIG, "%s: %lld bytes, over the limit of %zu", path,
		                  (long long)st.st_size, max);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		rc = cc_error_set(CC_ENOMEM, "%s: cannot allocate %lld bytes", path,
		                  (long long)st.st_size);
		goto out;
	}
	size_t n = fread(buf, 1, (size_t)st.st_size, f);
	if (n != (size_t)st.st_size && ferror(f)) {
		rc = cc_error_set(CC_EIO, "%s: read error", path);
		goto out;
	}
	buf[n] = 0;
	*out = buf;
	buf = NULL;
	if (len)
		*len = n;
out:
	free(buf);
	if (f)
		fclose(f);
	return rc;
}

double cc_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cc_progress_init(cc_progress *p, const char *label)
{
	p->enabled = isatty(STDERR_FILENO) && !getenv("CC_NO_PROGRESS");
	p->start = p->last = cc_now();
	p->label = label;
}

void cc_progress_update(cc_progress *p, const char *fmt, ...)
{
	va_list ap;
	double t;
	if (!p->enabled)
		return;
	t = cc_now();
	if (t - p->last < 0.1)
		return;
	p->last = t;
	fprintf(stderr, "\r\033[K%s: ", p->label);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

void cc_progress_done(cc_progress *p)
{
	if (p->enabled)
		fprintf(stderr, "\r\033[K");
}

static cc_log_level log_level = CC_LOG_INFO;
static FILE *log_file;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void cc_log_set_level(cc_log_level lvl) { log_level = lvl; }
void cc_log_set_file(FILE *f) { log_file = f; }

static const char *log_tag;
void cc_log_set_tag(const char *tag) { log_tag = tag; }

int cc_log_level_parse(const char *s)
{
	static const char *names[] = {"error", "warn", "info", "debug"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

void cc_log(cc_log_level lvl, const char *fmt, ...)
{
	static const char *tags[] = {"ERROR", "WARN", "INFO", "DEBUG"};
	va_list ap;
	struct timespec ts;
	struct tm tm;
	char when[32];
	FILE *f;

	if (lvl > log_level)
		return;
	int saved = errno; /* (kept for the caller; a %m in fmt reads it) */
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	/* the whole line in one buffer, written with one write(): processes sharing the stream
	 * (a daemon's serving processes and the primary share its stderr, unbuffered) cannot
	 * cut into each other's lines as they could between several fprintf calls */
	char small[1024], *line = small;
	int head = snprintf(small, sizeof(small), "%s.%03ldZ %-5s %s%s%s", when,
	                    ts.tv_nsec / 1000000, tags[lvl], log_tag ? "[" : "",
	                    log_tag ? log_tag : "", log_tag ? "] " : "");
	if (head < 0 || (size_t)head >= sizeof(small))
		head = 0;
	va_start(ap, fmt);
	int body = vsnprintf(small + head, sizeof(small) - (size_t)head, fmt, ap);
	va_end(ap);
	if (body < 0)
		body = 0;
	size_t n = (size_t)head + (size_t)body;
	if (n + 1 >= sizeof(small) && (line = malloc(n + 2))) {
		memcpy(line, small, (size_t)head);
		errno = saved; /* (malloc may have set it) */
		va_start(ap, fmt);
		vsnprintf(line + head, (size_t)body + 1, fmt, ap);
		va_end(ap);
	} else if (n + 1 >= sizeof(small)) {
		line = small; /* no memory: the line cut at the buffer's end */
		n = sizeof(small) - 2;
	}
	line[n++] = '\n';
	pthread_mutex_lock(&log_lock);
	f = log_file ? log_file : stderr;
	fflush(f);
	int fd = fileno(f);
	for (size_t off = 0; off < n && fd >= 0;) {
		ssize_t w = write(fd, line + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (fd < 0) { /* a stream without a descriptor (a memory stream) */
		fwrite(line, 1, n, f);
		fflush(f);
	}
	pthread_mutex_unlock(&log_lock);
	if (line != small)
		free(line);
	errno = saved;
}

size_t cc_utf8_char(const void *s, size_t avail, uint32_t *cp)
{
	const unsigned char *p = s;
	unsigned c = p[0];
	size_t n;
	uint32_t v;
	if (c < 0x80) {
		if (cp)
			*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if ((n == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
	    (n == 4 && (v < 0x10000 || v > 0x10FFFF)))
		return 0;
	if (cp)
		*cp = v;
	return n;
}

int cc_utf8_valid(const char *s, size_t len)
{
	for (size_t i = 0, k; i < len; i += k)
		if (!(k = cc_utf8_char(s + i, len - i, NULL)))
			return 0;
	return 1;
}

int cc_array_reserve(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return CC_OK;
	size_t c = *cap ? *cap : 64;
	while (c < need) {
		if (c > SIZE_MAX / 2 / (elem ? elem : 1))
			return cc_error_set(CC_ENOMEM, "out of memory (an array of %zu elements)", need);
		c *= 2;
	}
	void *v = realloc(*arr, c * elem);
	if (!v)
		return cc_error_set(CC_ENOMEM, "out of memory (an array of %zu elements)", need);
	*arr = v;
	*cap = c;
	return CC_OK;
}
