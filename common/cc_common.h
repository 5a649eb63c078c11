/*
 * cc_common.h - what every codecomp module shares: the error enum with a per-thread detail
 * message (libgit2's git_error_last pattern), an assert macro that names file and line, and a
 * progress line that shows on a terminal and stays quiet in pipes.
 *
 * Failure is known from the return code only (0 ok, negative failure); the message is detail.
 */
#ifndef CC_COMMON_H
#define CC_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	CC_OK = 0,
	CC_ERR = -1,          /* unspecified failure */
	CC_ENOMEM = -2,       /* allocation failed */
	CC_EINVAL = -3,       /* bad argument or malformed input */
	CC_EIO = -4,          /* file system / OS error */
	CC_ENOTFOUND = -5,    /* missing file, path, revision, method... */
	CC_EPARSE = -6,       /* could not parse input (JSON, safetensors, ...) */
	CC_EUNSUPPORTED = -7, /* unsupported architecture, dtype, language... */
	CC_EDB = -8,          /* SQLite error, locked or corrupt database */
	CC_EGIT = -9,         /* libgit2 error, not a repository */
	CC_ECANCELED = -10,   /* cancelled by the user or a signal */
	CC_EBUSY = -11,       /* resource busy (lock held, queue full) */
	CC_ETOOBIG = -12,     /* input over a limit */
	CC_ECUDA = -13,       /* CUDA runtime / cuBLAS error */
	CC_ETIMEDOUT = -14,   /* deadline passed */
	CC_EPROTO = -15,      /* protocol error (daemon requests) */
	CC_EAUTH = -16,       /* missing or wrong auth token */
	CC_ESTALE = -17,      /* data changed since it was indexed */
} cc_status;

/* Short fixed text for a status code; never NULL. */
const char *cc_strerror(int rc);

/* Record a failure for this thread: code plus printf-style detail. Returns rc, so that
 * `return cc_error_set(CC_EINVAL, "bad %s", x);` reads naturally. */
int cc_error_set(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* This thread's last detail message ("" when none). Valid until the next cc_error_* call on
 * this thread. */
const char *cc_error_last(void);

/* The code recorded with the last message (CC_OK when none). */
int cc_error_last_code(void);

void cc_error_clear(void);

/* Internal invariants: print file, line and expression, then abort. Not for bad input. */
#define CC_ASSERT(x)                                            \
	do {                                                    \
		if (!(x))                                       \
			cc_assert_fail(#x, __FILE__, __LINE__); \
	} while (0)
void cc_assert_fail(const char *expr, const char *file, int line) __attribute__((noreturn));

/* Allocation that aborts the process on failure with a message. For programs only (cli/,
 * daemon/, bench/, tests/): libraries return CC_ENOMEM and say so in their header. */
void *cc_xmalloc(size_t n);
void *cc_xcalloc(size_t n, size_t size);
void *cc_xrealloc(void *p, size_t n);
char *cc_xstrdup(const char *s);

/* Read a whole file into a malloc'd, NUL-terminated buffer (the caller frees *out). Follows
 * symlinks (for files the user names; see cc_read_regular_file for repository files) but
 * never blocks: anything but a regular file is refused. Fails with CC_ENOTFOUND / CC_EIO /
 * CC_ETOOBIG (over max bytes, 0 = no limit). */
int cc_read_file(char **out, size_t *len, const char *path, size_t max);

/* Identity of an opened file (st_dev, st_ino); {0, 0} = not known. */
typedef struct {
	uint64_t dev, ino;
} cc_file_id;

/* Read a work-tree or repository-relative file without following symlinks and without ever
 * blocking: path is opened relative to root (each parent directory opened with O_NOFOLLOW;
 * absolute paths and "."/".."/empty components are refused), or as given when root is NULL
 * (then only its last component must not be a symlink); the descriptor is opened
 * O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC and fstat'ed: only a regular file is read, at most max
 * bytes (0 = no limit). When id is non-NULL and non-zero, the file must still be the one it
 * names (same device and inode); on success *id holds the file's identity. *out is a
 * malloc'd, NUL-terminated buffer the caller frees. Fails with CC_ENOTFOUND, CC_EUNSUPPORTED
 * (a symlink, FIFO, device, directory: the message says which), CC_EIO, CC_ESTALE (a different file than
 * id), CC_ETOOBIG, CC_EINVAL (path refused), CC_ENOMEM. */
int cc_read_regular_file(char **out, size_t *len, const char *root, const char *path,
                         size_t max, cc_file_id *id);

/* Monotonic clock in seconds. */
double cc_now(void);

/* Progress line on stderr, rewritten in place, only when stderr is a terminal.
 * cc_progress_update rate-limits itself to ~10 updates/s. */
typedef struct {
	int enabled;
	double start, last;
	const char *label;
} cc_progress;
void cc_progress_init(cc_progress *p, const char *label);
void cc_progress_update(cc_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cc_progress_done(cc_progress *p);

/* Logging for long-running programs (the daemon): level filter, stderr by default. */
typedef enum {
	CC_LOG_ERROR = 0,
	CC_LOG_WARN,
	CC_LOG_INFO,
	CC_LOG_DEBUG
} cc_log_level;
void cc_log_set_level(cc_log_level lvl);
int cc_log_level_parse(const char *s); /* -1 if unknown */
void cc_log_set_file(FILE *f);         /* NULL = stderr; the caller keeps ownership */
void cc_log_set_tag(const char *tag);  /* printed after the level (which process); borrowed */
void cc_log(cc_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The one UTF-8 decoder of the tree: the length (1..4) of the valid character at p, of which
 * avail bytes may be read, or 0 when the bytes there are not one (strict, as jansson and
 * RFC 3629: no overlongs, surrogates, > U+10FFFF or truncated sequences). *cp (may be NULL)
 * receives the code point. */
size_t cc_utf8_char(const void *p, size_t avail, uint32_t *cp);

/* UTF-8 validity of a byte string (strict, as cc_utf8_char). */
int cc_utf8_valid(const char *s, size_t len);

/* Strict whole-string number parsers for options (cc_parse.c). Each stores the value in *out
 * and returns 0, or returns CC_EINVAL (the message says what was wrong; *out untouched) when s
 * is NULL or empty, has anything after the number, overflows, or lies outside [lo, hi].
 * cc_parse_long: a decimal integer (leading spaces and a sign allowed, as strtoll). */
int cc_parse_long(long long *out, const char *s, long long lo, long long hi);

/* cc_parse_double: a number as strtod reads it (1e-3, inf where hi allows it); NaN refused. */
int cc_parse_double(double *out, const char *s, double lo, double hi);

/* cc_parse_size: a byte count, as plain digits (exact at any size) or a decimal number such
 * as 8e9 or 1.5e9 (its whole bytes); negative numbers are below any lo and refused. */
int cc_parse_size(size_t *out, const char *s, size_t lo, size_t hi);

/* Make room for `need` elements of `elem` bytes in *arr (capacity *cap, doubled from 64 as
 * needed; realloc, contents kept). Returns CC_OK or CC_ENOMEM (with a message); on failure
 * *arr and *cap are unchanged. */
int cc_array_reserve(void **arr, size_t *cap, size_t need, size_t elem);

#ifdef __cplusplus
}
#endif
#endif
