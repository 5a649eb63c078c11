/* Tests for common/: error state per thread, file reading limits, UTF-8 validation. */
#include "cc_common.h"
#include "test.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void *other_thread(void *arg)
{
	(void)arg;
	cc_error_set(CC_EIO, "from thread");
	return NULL;
}

/* Log lines of processes sharing one stream (a daemon's serving processes and the primary
 * share stderr) stay whole: every line read back holds one time stamp, one tag and its own
 * message, none cut into another. */
static void test_log_lines_whole(void)
{
	enum { NP = 4,
	       NL = 400 };
	int p[2];
	CHECK_EQ_INT(pipe(p), 0);
	for (int k = 0; k < NP; k++) {
		pid_t pid = fork();
		if (pid == 0) {
			char tag[16];
			dup2(p[1], 2);
			close(p[0]);
			close(p[1]);
			snprintf(tag, sizeof(tag), "proc%d", k);
			cc_log_set_tag(tag);
			cc_log_set_level(CC_LOG_INFO);
			for (int i = 0; i < NL; i++)
				cc_log(CC_LOG_INFO, "line %d of proc%d %s", i, k,
				       "................................................................");
			_exit(0);
		}
	}
	close(p[1]);
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	for (ssize_t r; buf && (r = read(p[0], buf + len, cap - len - 1)) > 0;) {
		len += (size_t)r;
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				break;
			buf = nb;
		}
	}
	close(p[0]);
	for (int k = 0; k < NP; k++)
		wait(NULL);
	CHECK(buf != NULL);
	if (!buf)
		return;
	buf[len] = 0;
	int lines = 0, bad = 0;
	for (char *l = buf, *e; *l; l = e + 1) {
		if (!(e = strchr(l, '\n')))
			break;
		*e = 0;
		lines++;
		char *tag = strstr(l, "[proc"), *own = strstr(l, " of proc");
		int stamps = 0;
		for (char *q = l; (q = strstr(q, "Z INFO")); q++)
			stamps++;
		if (stamps != 1 || !tag || !own || tag[5] != own[8] ||
		    strlen(l) < 64 || l[strlen(l) - 1] != '.')
			bad++;
	}
	CHECK_EQ_INT(lines, NP * NL);
	CHECK_EQ_INT(bad, 0);
	free(buf);
}

int main(void)
{
	test_log_lines_whole();
	CHECK_EQ_INT(cc_error_set(CC_EINVAL, "bad value %d", 42), CC_EINVAL);
	CHECK_EQ_STR(cc_error_last(), "bad value 42");
	CHECK_EQ_INT(cc_error_last_code(), CC_EINVAL);

	/* another thread's error does not touch ours */
	pthread_t t;
	pthread_create(&t, NULL, other_thread, NULL);
	pthread_join(t, NULL);
	CHECK_EQ_STR(cc_error_last(), "bad value 42");
	cc_error_clear();
	CHECK_EQ_STR(cc_error_last(), "");

	char *buf;
	size_t len;
	CHECK_EQ_INT(cc_read_file(&buf, &len, "/nonexistent/x", 0), CC_ENOTFOUND);
	CHECK(strstr(cc_error_last(), "/nonexistent/x") != NULL);

	char path[] = "/tmp/cc_test_common_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK_EQ_INT(write(fd, "hello", 5), 5);
	close(fd);
	CHECK_EQ_INT(cc_read_file(&buf, &len, path, 0), CC_OK);
	CHECK_EQ_INT(len, 5);
	CHECK_EQ_STR(buf, "hello");
	free(buf);
	CHECK_EQ_INT(cc_read_file(&buf, &len, path, 4), CC_ETOOBIG);
	CHECK(buf == NULL);
	unlink(path);

	/* cc_read_regular_file: no symlink followed (last component or parent), no FIFO or
	 * device opened for reading, ".." refused, identity checked, never blocking */
	{
		char root[] = "/tmp/cc_test_rrf_XXXXXX", p2[256];
		CHECK(mkdtemp(root) != NULL);
		snprintf(p2, sizeof(p2), "%s/sub", root);
		CHECK(mkdir(p2, 0700) == 0);
		snprintf(p2, sizeof(p2), "%s/sub/a.py", root);
		FILE *f = fopen(p2, "w");
		fputs("x = 1\n", f);
		fclose(f);
		cc_file_id id = {0, 0};
		CHECK_EQ_INT(cc_read_regular_file(&buf, &len, root, "sub/a.py", 0, &id), CC_OK);
		CHECK_EQ_STR(buf, "x = 1\n");
		CHECK(id.ino != 0);
		free(buf);
		CHECK_EQ_INT(cc_read_regular_file(&buf, &len, root, "sub/a.py", 3, NULL), CC_ETOOBIG);
		cc_file_id other = {id.dev, id.ino + 1};
		CHECK_EQ_INT(cc_read_regular_file(&buf, &len, root, "sub/a.py", 0, &other), CC_ESTALE);
		CHECK_EQ_INT(cc_read_regular_file(&buf, &len, root, "sub/../sub/a.py", 0, NULL),
		             CC_EINVAL);
		CHECK_EQ_INT(cc_read_regular_file(&buf, &len, root, "/etc/passwd", 0, NULL), CC_EINVAL);
		snprintf(p2, sizeof(p2), "%s/zero.py", root);
		CHECK(symlink("/dev/zero", p2) == 0);
		CHECK_EQ_INT(cc_read_regular_file(&buf, &len, root, "zero.py", 0, NULL), CC_EUNSUPPORTED);
		CHECK(strstr(cc_error_last(), "symlink") != NULL);
		CHECK_EQ_INT(cc_read_regular_file(&buf, &len, NULL, p2, 0, NULL), CC_EUNSUPPORTED);
		snprintf(p2, sizeof(p2), "%s/link", root);
		CHECK(symlink("sub", p2) == 0); /* a symlinked parent */
		CHECK_EQ_INT(cc_read_regular_file(&buf, &len, root, "link/a.py", 0, NULL), CC_EUNSUPPORTED);
		snprintf(p2, sizeof(p2), "%s/fifo.py", root);
		CHECK(mkfifo(p2, 0600) == 0); /* no writer: a blocking open would hang here */
		CHECK_EQ_INT(cc_read_regular_file(&buf, &len, root, "fifo.py", 0, NULL), CC_EUNSUPPORTED);
		CHECK(strstr(cc_error_last(), "FIFO") != NULL);
		CHECK_EQ_INT(cc_read_file(&buf, &len, p2, 0), CC_EIO); /* refused, not waited on */
		CHECK_EQ_INT(cc_read_regular_file(&buf, &len, NULL, "/dev/null", 0, NULL), CC_EUNSUPPORTED);
		CHECK(strstr(cc_error_last(), "character device") != NULL);
		CHECK(buf == NULL);
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		CHECK(system(cmd) == 0);
	}

	CHECK(cc_utf8_valid("plain ascii", 11));
	CHECK(cc_utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14));
	CHECK(!cc_utf8_valid("\xc3", 1));             /* truncated */
	CHECK(!cc_utf8_valid("\xc0\xaf", 2));         /* overlong */
	CHECK(!cc_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	CHECK(!cc_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	CHECK(!cc_utf8_valid("\xff", 1));
	return test_result();
}
