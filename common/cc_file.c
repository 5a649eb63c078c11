/*
 * cc_file.c - reading work-tree and repository-relative files safely: one open, without
 * following symlinks (in the last component nor in any parent), never blocking (a FIFO or a
 * device is refused from its descriptor, not waited on), checked with fstat on the very
 * descriptor that is read, with a size cap.
 */
#include "cc_common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_name(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISLNK(m))
		return "a symlink";
	return "not a regular file";
}

static int open_err(const char *what, int e)
{
	if (e == ENOENT || e == ENOTDIR)
		return cc_error_set(CC_ENOTFOUND, "%s: %s", what, strerror(e));
	if (e == ELOOP)
		return cc_error_set(CC_EUNSUPPORTED, "%s: a symlink or under one (not followed)", what);
	return cc_error_set(CC_EIO, "%s: %s", what, strerror(e));
}

/* Open rel beneath root one component at a time with O_NOFOLLOW: each parent must be a real
 * directory, "." / ".." / empty components and absolute paths are refused. */
static int open_beneath(int *fd_out, const char *root, const char *rel)
{
	int dfd = -1, fd = -1, rc = CC_OK;
	char *copy = NULL;

	*fd_out = -1;
	if (!rel || !*rel || rel[0] == '/')
		return cc_error_set(CC_EINVAL, "%s: not a relative path", rel ? rel : "(null)");
	dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return open_err(root, errno);
	copy = strdup(rel);
	if (!copy) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	char *p = copy;
	for (;;) {
		char *slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		if (!*p || !strcmp(p, ".") || !strcmp(p, "..")) {
			rc = cc_error_set(CC_EINVAL, "%s: path component '%s' refused", rel, p);
			goto out;
		}
		if (!slash)
			break;
		int next = openat(dfd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int e = errno;
			struct stat ls;
			if ((e == ENOTDIR || e == ELOOP) && fstatat(dfd, p, &ls, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(ls.st_mode))
				e = ELOOP; /* a symlinked parent directory */
			rc = open_err(rel, e);
			goto out;
		}
		close(dfd);
		dfd = next;
		p = slash + 1;
	}
	fd = openat(dfd, p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		rc = open_err(rel, errno);
		goto out;
	}
	*fd_out = fd;
out:
	free(copy);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

int cc_read_regular_file(char **out, size_t *len, const char *root, const char *path,
                         size_t max, cc_file_id *id)
{
	int fd = -1, rc = CC_OK;
	char *buf = NULL;
	struct stat st;
	const char *what = path ? path : "(null)";

	*out = NULL;
	if (len)
		*len = 0;
	if (!path)
		return cc_error_set(CC_EINVAL, "no path");
	if (root) {
		if ((rc = open_beneath(&fd, root, path)))
			return rc;
	} else {
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			return open_err(path, errno);
	}
	if (fstat(fd, &st) != 0) {
		rc = cc_error_set(CC_EIO, "%s: %s", what, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = cc_error_set(CC_EUNSUPPORTED, "%s: %s, not a regular file", what,
		                  kind_name(st.st_mode));
		goto out;
	}
	if (id && (id->dev || id->ino) &&
	    (id->dev != (uint64_t)st.st_dev || id->ino != (uint64_t)st.st_ino)) {
		rc = cc_error_set(CC_ESTALE, "%s: replaced since it was listed", what);
		goto out;
	}
	if (max && (uint64_t)st.st_size > max) {
		rc = cc_error_set(CC_ETOOBIG, "%s: %lld bytes, over the limit of %zu", what,
		                  (long long)st.st_size, max);
		goto out;
	}
	size_t cap = (size_t)st.st_size, n = 0;
	buf = malloc(cap + 1);
	if (!buf) {
		rc = cc_error_set(CC_ENOMEM, "%s: cannot allocate %zu bytes", what, cap + 1);
		goto out;
	}
	/* read what fstat announced; a file that grows meanwhile is cut there, one that
	 * shrinks ends early */
	while (n < cap) {
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k < 0) {
			rc = cc_error_set(CC_EIO, "%s: read error: %s", what, strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	if (id) {
		id->dev = (uint64_t)st.st_dev;
		id->ino = (uint64_t)st.st_ino;
	}
	*out = buf;
	buf = NULL;
	if (len)
		*len = n;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}
