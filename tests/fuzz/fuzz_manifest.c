/*
 * fuzz_manifest.c - libFuzzer entry for bug manifests (JSONL, cc_manifest_read): any bytes
 * are read through a memory file; the reader fails with a status or returns records whose
 * required fields are present, and the records written back read back the same.
 */
#include "cc_common.h"
#include "cc_corpus.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("manifest", 0);
	char path[64];
	cc_bug *b = NULL, *b2 = NULL;
	size_t n = 0, n2 = 0;
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (cc_manifest_read(&b, &n, path) == CC_OK) {
		int fd2 = memfd_create("manifest2", 0);
		int wrote = fd2 >= 0;
		for (size_t i = 0; i < n; i++) {
			CC_ASSERT(b[i].id && b[i].repo && b[i].rev && b[i].file && b[i].function &&
			          b[i].issue);
			char *line = NULL;
			if (wrote && cc_bug_to_json_line(&line, &b[i]) == CC_OK) {
				size_t l = strlen(line);
				wrote = write(fd2, line, l) == (ssize_t)l && write(fd2, "\n", 1) == 1;
				free(line);
			} else {
				wrote = 0;
			}
		}
		if (wrote) {
			char p2[64];
			snprintf(p2, sizeof(p2), "/proc/self/fd/%d", fd2);
			CC_ASSERT(cc_manifest_read(&b2, &n2, p2) == CC_OK && n2 == n);
			for (size_t i = 0; i < n; i++)
				CC_ASSERT(!strcmp(b[i].id, b2[i].id) && b[i].start_line == b2[i].start_line &&
				          b[i].n_lines == b2[i].n_lines);
			cc_bugs_free(b2, n2);
		}
		if (fd2 >= 0)
			close(fd2);
		cc_bugs_free(b, n);
	}
	close(fd);
	return 0;
}
