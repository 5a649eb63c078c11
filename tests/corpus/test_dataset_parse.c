/*
 * test_dataset_parse.c - Defects4J's active-bugs.csv refuses ids past int and NUL bytes;
 * cc_diff_reverse on patches as git writes them: headers and hunk
 * ranges swap, removed and added lines exchange, a removed line that reads like a file header
 * ("-- x" removed is "--- x") stays content, reversing twice gives the patch back, a hunk
 * header's text cut before carriage returns is stable, and a hunk whose lines disagree with
 * its header is refused with the line named.
 */
#include "cc_common.h"
#include "cc_corpus.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *rev(const char *p)
{
	char *r = NULL;
	if (cc_diff_reverse(&r, p, strlen(p)) != CC_OK)
		return NULL;
	return r;
}

/* reversing the reverse gives the patch back when its blocks list removals first */
static void check_involution(const char *patch, const char *want)
{
	char *r1 = rev(patch);
	CHECK_EQ_STR(r1, want);
	char *r2 = r1 ? rev(r1) : NULL;
	CHECK_EQ_STR(r2, patch);
	free(r1);
	free(r2);
}

int main(void)
{
	/* SQL and Lua comments: a removed "-- old" line is "--- old" in the patch */
	check_involution("diff --git a/q.sql b/q.sql\n"
	                 "index 1111111..2222222 100644\n"
	                 "--- a/q.sql\n"
	                 "+++ b/q.sql\n"
	                 "@@ -1,3 +1,3 @@ create\n"
	                 " select 1;\n"
	                 "--- old\n"
	                 "++++ new\n"
	                 " select 2;\n"
	                 "\\ No newline at end of file\n",
	                 "diff --git a/q.sql b/q.sql\n"
	                 "index 1111111..2222222 100644\n"
	                 "--- a/q.sql\n"
	                 "+++ b/q.sql\n"
	                 "@@ -1,3 +1,3 @@ create\n"
	                 " select 1;\n"
	                 "-+++ new\n"
	                 "+-- old\n"
	                 " select 2;\n"
	                 "\\ No newline at end of file\n");

	/* a commit message before the diff keeps its "- " bullets; a new file's /dev/null side
	 * swaps without an a/ b/ prefix; two hunks, the second right after the first */
	check_involution("Fix the parser\n"
	                 "\n"
	                 "- handles x\n"
	                 "+ handles y\n"
	                 "---\n"
	                 "--- /dev/null\n"
	                 "+++ b/new.py\n"
	                 "@@ -0,0 +1,2 @@\n"
	                 "+def f():\n"
	                 "+    return 1\n"
	                 "--- a/old.py\n"
	                 "+++ b/old.py\n"
	                 "@@ -3,2 +3,1 @@\n"
	                 "-x = 1\n"
	                 "-y = 2\n"
	                 "+x = 2\n"
	                 "@@ -10,1 +9,1 @@\n"
	                 "-a\n"
	                 "+b\n",
	                 "Fix the parser\n"
	                 "\n"
	                 "- handles x\n"
	                 "+ handles y\n"
	                 "---\n"
	                 "--- a/new.py\n"
	                 "+++ /dev/null\n"
	                 "@@ -1,2 +0,0 @@\n"
	                 "-def f():\n"
	                 "-    return 1\n"
	                 "--- a/old.py\n"
	                 "+++ b/old.py\n"
	                 "@@ -3,1 +3,2 @@\n"
	                 "-x = 2\n"
	                 "+x = 1\n"
	                 "+y = 2\n"
	                 "@@ -9,1 +10,1 @@\n"
	                 "-b\n"
	                 "+a\n");

	/* the input libFuzzer found: an added "+-- @" once reversed read as a file header */
	const char crash[] = "00644\n--- @\n+++ \n644\n--- @\n+++ \ny\n00644\n+-- @\n-++ \n";
	char *r1 = rev(crash), *r2 = r1 ? rev(r1) : NULL, *r3 = r2 ? rev(r2) : NULL;
	CHECK(r1 && r2 && r3);
	if (r1 && r3)
		CHECK_EQ_STR(r3, r1);
	free(r1);
	free(r2);
	free(r3);

	/* hunks whose lines disagree with their headers are refused, naming the line */
	struct {
		const char *patch, *msg;
	} bad[] = {
		{"--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-a\n-b\n+c\n", "line 5: more removed lines"},
		{"--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n+c\nother\n", "line 6: the hunk at line 3 ends early"},
		{"--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n", "ends inside the hunk at line 3"},
		{"--- a/f\n+++ b/f\n@@ -1,1 +1,2 @@\n-a\n x\n", "line 5: a context line"},
		{"--- a/f\nfoo\n", "line 2: '--- ' not followed by '+++ '"},
		{"--- a/f\n+++ b/f\n@@ -x +1 @@\n", "line 3: a malformed hunk header"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *r = NULL;
		int rc = cc_diff_reverse(&r, bad[i].patch, strlen(bad[i].patch));
		CHECK_EQ_INT(rc, CC_EPARSE);
		CHECK(!r);
		const char *m = cc_error_last() ? cc_error_last() : "";
		if (!strstr(m, bad[i].msg))
			fprintf(stderr, "case %zu: got '%s', wanted '%s'\n", i, m, bad[i].msg);
		CHECK(strstr(m, bad[i].msg) != NULL);
	}

	/* a hunk header whose text is cut at 400 bytes just before carriage returns (found by
	 * fuzz_dataset): the cut drops them, so reversing three times equals reversing once */
	{
		char patch[1200], *c1, *c2, *c3;
		int k = snprintf(patch, sizeof patch, "--- a/f.py\n+++ b/f.py\n@@ -1,2 +1,2 @@ ");
		/* the text after "@@": 390 x, 20 CRs, y: its first 400 bytes end in 9 CRs */
		memset(patch + k, 'x', 390);
		memset(patch + k + 390, '\r', 20);
		snprintf(patch + k + 410, sizeof patch - (size_t)k - 410, "y\n a\n-b\n+c\n");
		c1 = rev(patch);
		c2 = c1 ? rev(c1) : NULL;
		c3 = c2 ? rev(c2) : NULL;
		CHECK(c1 && c3);
		CHECK_EQ_STR(c3, c1);
		CHECK(c1 && !strchr(c1, '\r'));
		free(c1);
		free(c2);
		free(c3);
	}

	/* active-bugs.csv: a bug id past int, or a NUL byte in a line, is refused by line */
	static const char hdr[] = "bug.id,revision.id.buggy,revision.id.fixed,report.id\n";
	char csv[256];
	cc_d4j_bug *b = NULL;
	size_t nb = 0;
	snprintf(csv, sizeof(csv), "%s1,396afc3e4693,d1a45e97,R-1\n", hdr);
	CHECK_EQ_INT(cc_d4j_active_bugs_parse(&b, &nb, csv, strlen(csv)), CC_OK);
	CHECK_EQ_INT(nb, 1);
	if (nb == 1) {
		CHECK_EQ_INT(b[0].id, 1);
		CHECK_EQ_STR(b[0].buggy, "396afc3e4693");
		CHECK_EQ_STR(b[0].report, "R-1");
	}
	cc_d4j_bugs_free(b, nb);
	snprintf(csv, sizeof(csv), "%s4294967297,396afc3e4693,d1a45e97\n", hdr);
	CHECK_EQ_INT(cc_d4j_active_bugs_parse(&b, &nb, csv, strlen(csv)), CC_EPARSE);
	CHECK(cc_error_last() && strstr(cc_error_last(), "line 2: bug.id '4294967297'"));
	int k = snprintf(csv, sizeof(csv), "%s2,396afc3e4693,d1a45e97", hdr);
	memcpy(csv + k, "\0x\n", 3);
	CHECK_EQ_INT(cc_d4j_active_bugs_parse(&b, &nb, csv, (size_t)k + 3), CC_EPARSE);
	CHECK(cc_error_last() && strstr(cc_error_last(), "line 2: a NUL byte"));
	return test_result();
}
