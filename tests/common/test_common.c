/* Tests for common/: error state per thread, file reading limits, UTF-8 validation. */
#include "cc_common.h"
#include "test.h"

#include <pthread.h>
#include <unistd.h>

static void *other_thread(void *arg)
{
	(void)arg;
	cc_error_set(CC_EIO, "from thread");
	return NULL;
}

int main(void)
{
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

	CHECK(cc_utf8_valid("plain ascii", 11));
	CHECK(cc_utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14));
	CHECK(!cc_utf8_valid("\xc3", 1));             /* truncated */
	CHECK(!cc_utf8_valid("\xc0\xaf", 2));         /* overlong */
	CHECK(!cc_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	CHECK(!cc_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	CHECK(!cc_utf8_valid("\xff", 1));
	return test_result();
}
