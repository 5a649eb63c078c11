/*
 * test_localize_unit.c - localize without a model: seeds from issue texts and stack traces of
 * each runtime, candidates ranked over a real indexed git repository (the bundled example
 * plus a test file), the fallback when nothing is named, and reading generative answers.
 */
#include "cc_localize.h"
#include "cc_store.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const cc_loc_seed *find_seed(const cc_loc_seed *s, size_t n, int kind, const char *text)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].kind == kind && !strcmp(s[i].text, text))
			return &s[i];
	return NULL;
}

static void test_seeds(void)
{
	cc_loc_seed *s;
	size_t n;
	const cc_loc_seed *x;
	const char *py = "Traceback (most recent call last):\n"
			 "  File \"/home/u/proj/inventory/store.py\", line 23, in remove\n"
			 "    item.quantity -= 1\n"
			 "ValueError: negative\n";
	CHECK_EQ_INT(cc_loc_seeds_extract(&s, &n, py, strlen(py)), CC_OK);
	x = find_seed(s, n, CC_LOC_SEED_FRAME, "/home/u/proj/inventory/store.py");
	CHECK(x && x->line == 23 && x->func && !strcmp(x->func, "remove"));
	CHECK(find_seed(s, n, CC_LOC_SEED_NAME, "quantity") != NULL);
	cc_loc_seeds_free(s, n);

	const char *java = "java.lang.NullPointerException\n"
			   "\tat com.acme.Cart.total(Cart.java:42)\n"
			   "\tat com.acme.Main.main(Main.java:7)\n";
	CHECK_EQ_INT(cc_loc_seeds_extract(&s, &n, java, strlen(java)), CC_OK);
	x = find_seed(s, n, CC_LOC_SEED_FRAME, "Cart.java");
	CHECK(x && x->line == 42 && x->func && !strcmp(x->func, "total"));
	cc_loc_seeds_free(s, n);

	const char *js = "TypeError: x is undefined\n    at parseItem (src/parse.js:12:5)\n"
			 "    at src/main.js:3:1\n";
	CHECK_EQ_INT(cc_loc_seeds_extract(&s, &n, js, strlen(js)), CC_OK);
	x = find_seed(s, n, CC_LOC_SEED_FRAME, "src/parse.js");
	CHECK(x && x->line == 12 && x->func && !strcmp(x->func, "parseItem"));
	x = find_seed(s, n, CC_LOC_SEED_FRAME, "src/main.js");
	CHECK(x && x->line == 3 && !x->func);
	cc_loc_seeds_free(s, n);

	const char *go = "panic: index out of range\n\ngoroutine 1 [running]:\n"
			 "main.lookup(...)\n\t/src/app/table.go:31 +0x1d\n";
	CHECK_EQ_INT(cc_loc_seeds_extract(&s, &n, go, strlen(go)), CC_OK);
	x = find_seed(s, n, CC_LOC_SEED_FRAME, "/src/app/table.go");
	CHECK(x && x->line == 31 && x->func && !strcmp(x->func, "lookup"));
	cc_loc_seeds_free(s, n);

	const char *rust = "thread 'main' panicked at src/lib.rs:10:5\n"
			   "   4: mycrate::parser::parse_header\n             at ./src/parser.rs:88:9\n";
	CHECK_EQ_INT(cc_loc_seeds_extract(&s, &n, rust, strlen(rust)), CC_OK);
	x = find_seed(s, n, CC_LOC_SEED_FRAME, "./src/parser.rs");
	CHECK(x && x->line == 88);
	CHECK(find_seed(s, n, CC_LOC_SEED_NAME, "parse_header") != NULL);
	cc_loc_seeds_free(s, n);

	const char *c = "==1==ERROR: AddressSanitizer: heap-buffer-overflow\n"
			"    #0 0x4f2a in buf_append /w/src/buf.c:57:9\n";
	CHECK_EQ_INT(cc_loc_seeds_extract(&s, &n, c, strlen(c)), CC_OK);
	x = find_seed(s, n, CC_LOC_SEED_FRAME, "/w/src/buf.c");
	CHECK(x && x->line == 57 && x->func && !strcmp(x->func, "buf_append"));
	cc_loc_seeds_free(s, n);

	/* prose: a qualified name gives the pair and its parts; paths keep a line; stop words go */
	const char *prose = "Stock.remove() leaves the item when called from report.py:14. See "
			    "inventory/models.py.";
	CHECK_EQ_INT(cc_loc_seeds_extract(&s, &n, prose, strlen(prose)), CC_OK);
	CHECK(find_seed(s, n, CC_LOC_SEED_NAME, "Stock.remove") != NULL);
	CHECK(find_seed(s, n, CC_LOC_SEED_NAME, "Stock") != NULL);
	CHECK(find_seed(s, n, CC_LOC_SEED_NAME, "remove") != NULL);
	CHECK(find_seed(s, n, CC_LOC_SEED_NAME, "the") == NULL);
	CHECK(find_seed(s, n, CC_LOC_SEED_NAME, "when") == NULL);
	x = find_seed(s, n, CC_LOC_SEED_PATH, "report.py");
	CHECK(x && x->line == 14);
	CHECK(find_seed(s, n, CC_LOC_SEED_PATH, "inventory/models.py") != NULL);
	CHECK(find_seed(s, n, CC_LOC_SEED_NAME, "inventory") == NULL); /* part of a path */
	cc_loc_seeds_free(s, n);

	/* nothing, and bytes that are not text */
	CHECK_EQ_INT(cc_loc_seeds_extract(&s, &n, "", 0), CC_OK);
	CHECK_EQ_INT(n, 0);
	cc_loc_seeds_free(s, n);
	const char junk[] = "\xff\xfe\x00:12\"\", line \n at (:";
	CHECK_EQ_INT(cc_loc_seeds_extract(&s, &n, junk, sizeof(junk) - 1), CC_OK);
	cc_loc_seeds_free(s, n);
}

static int sh(const char *cmd)
{
	int rc = system(cmd);
	if (rc)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
	return rc;
}

static const cc_loc_func *rank_of(const cc_loc_candidates *c, const char *qual, size_t *rank)
{
	for (size_t i = 0; i < c->n_funcs; i++)
		if (!strcmp(c->funcs[i].qual, qual)) {
			*rank = i + 1;
			return &c->funcs[i];
		}
	*rank = 0;
	return NULL;
}

static void test_candidates_and_answers(void)
{
	char dir[] = "/tmp/cc-loc-unit.XXXXXX", cmd[4096], db[4200];
	cc_store *s = NULL;
	cc_store_rev *r = NULL;
	cc_index_result ir;
	cc_loc_candidates *c = NULL;
	size_t rank;
	const cc_loc_func *f;
	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	snprintf(cmd, sizeof(cmd),
	         "cp -R fixtures/example/. %s/ && mkdir -p %s/tests && "
	         "printf 'from inventory.store import Stock\\n\\n\\ndef test_total():\\n"
	         "    s = Stock()\\n    s.add(\"a\", 2, 1.0)\\n    assert s.total_value() == 2.0\\n\\n\\n"
	         "def test_describe(item):\\n    assert item.describe()\\n' "
	         "> %s/tests/test_stock.py && cd %s && git init -q && git add -A && "
	         "git -c user.name=t -c user.email=t@t -c commit.gpgsign=false commit -qm init",
	         dir, dir, dir, dir);
	if (sh(cmd)) {
		CHECK(0);
		return;
	}
	snprintf(db, sizeof(db), "%s/.git/codecomp.db", dir);
	CHECK_EQ_INT(cc_store_open(&s, db, 0), CC_OK);
	cc_index_opts io = {0};
	io.threads = 1;
	CHECK_EQ_INT(cc_store_index_run(&ir, s, dir, &io), CC_OK);
	cc_index_result_clear(&ir);
	CHECK_EQ_INT(cc_store_rev_open(&r, s, dir, NULL), CC_OK);
	if (!r)
		goto out;

	/* a qualified name in the issue: that method first */
	const char *issue = "Stock.remove() leaves an item with quantity 0 in the stock";
	cc_loc_query q = {issue, strlen(issue), NULL, 0, NULL, NULL, 0};
	CHECK_EQ_INT(cc_loc_candidates_compute(&c, r, &q), CC_OK);
	CHECK(c && !c->fallback && c->n_matched > 0);
	CHECK(c && c->n_edges > 0);
	f = rank_of(c, "Stock.remove", &rank);
	CHECK_EQ_INT(rank, 1);
	CHECK(f && !strcmp(f->path, "inventory/store.py") && f->start_line == 17 && f->end_line == 27);
	/* validate, called by remove, ranks above functions unrelated to it */
	size_t rv, rd;
	rank_of(c, "validate", &rv);
	rank_of(c, "Item.describe", &rd);
	CHECK(rv > 0 && rd > 0 && rv < rd);

	/* call distance from the test weighted by the edges' confidence: the typed call
	 * (s = Stock(); s.total_value()) is a sure path, the call on an untyped parameter
	 * (item.describe()) a name-only match, which brings describe no closer than its
	 * confidence says */
	{
		cc_loc_candidates *ct = NULL;
		size_t rt, rdd;
		cc_loc_query qt = {issue, strlen(issue), NULL, 0, "tests/test_stock.py", NULL, 0};
		CHECK_EQ_INT(cc_loc_candidates_compute(&ct, r, &qt), CC_OK);
		const cc_loc_func *ft = ct ? rank_of(ct, "Stock.total_value", &rt) : NULL;
		const cc_loc_func *fd = ct ? rank_of(ct, "Item.describe", &rdd) : NULL;
		CHECK(ft && ft->test_dist == 1 && ft->test_reach > 0.85);
		CHECK(fd && fd->test_dist == 1 && fd->test_reach > 0 && fd->test_reach < 0.5);
		cc_loc_candidates_free(ct);
	}

	/* answers read against these candidates */
	cc_loc_answer a;
	CHECK_EQ_INT(cc_loc_answer_parse(&a, "file: inventory/store.py, function: remove, line: 23", c), CC_OK);
	CHECK(a.valid && !strcmp(c->funcs[a.func].qual, "Stock.remove") && a.line == 23);
	cc_loc_answer_clear(&a);
	CHECK_EQ_INT(cc_loc_answer_parse(&a, "The bug is in `inventory/models.py:12`.", c), CC_OK);
	CHECK(a.valid && !strcmp(c->funcs[a.func].name, "validate") && a.line == 12);
	cc_loc_answer_clear(&a);
	CHECK_EQ_INT(cc_loc_answer_parse(&a, "Function: Stock.total_value()", c), CC_OK);
	CHECK(a.valid && !strcmp(c->funcs[a.func].qual, "Stock.total_value") && a.line == 0);
	cc_loc_answer_clear(&a);
	/* line outside the function: the function stands, the line does not */
	CHECK_EQ_INT(cc_loc_answer_parse(&a, "file: inventory/models.py function: validate line: 90", c), CC_OK);
	CHECK(a.valid && a.line == 0);
	cc_loc_answer_clear(&a);
	/* nothing valid: reported, never guessed */
	CHECK_EQ_INT(cc_loc_answer_parse(&a, "function: frobnicate", c), CC_OK);
	CHECK(!a.valid && a.why && strstr(a.why, "frobnicate"));
	cc_loc_answer_clear(&a);
	CHECK_EQ_INT(cc_loc_answer_parse(&a, "file: nowhere/x.py function: remove", c), CC_OK);
	CHECK(!a.valid && a.why && strstr(a.why, "nowhere/x.py"));
	cc_loc_answer_clear(&a);
	CHECK_EQ_INT(cc_loc_answer_parse(&a, "file: inventory/report.py function: validate", c), CC_OK);
	CHECK(!a.valid && a.why && strstr(a.why, "not in the named file"));
	cc_loc_answer_clear(&a);
	CHECK_EQ_INT(cc_loc_answer_parse(&a, "I cannot tell.", c), CC_OK);
	CHECK(!a.valid && a.why);
	cc_loc_answer_clear(&a);
	CHECK_EQ_INT(cc_loc_answer_parse(&a, "", c), CC_OK);
	CHECK(!a.valid);
	cc_loc_answer_clear(&a);
	cc_loc_candidates_free(c);
	c = NULL;

	/* a trace frame: the method holding the line, even when the issue says little else */
	const char *trace = "Traceback (most recent call last):\n"
			    "  File \"/ci/work/inventory/models.py\", line 12, in validate\n"
			    "    raise ValidationError(\"quantity must be >= 0\")\n";
	const char *vague = "adding stock crashes";
	cc_loc_query qt = {vague, strlen(vague), NULL, 0, NULL, trace, strlen(trace)};
	CHECK_EQ_INT(cc_loc_candidates_compute(&c, r, &qt), CC_OK);
	f = rank_of(c, "validate", &rank);
	CHECK_EQ_INT(rank, 1);
	CHECK(f && f->seed == 1.0);
	cc_loc_candidates_free(c);
	c = NULL;

	/* the test: its functions are not candidates; what it calls is at distance 1, what
	 * those call at 2 */
	const char *test_src = "from inventory.store import Stock\n\ndef test_total():\n"
			       "    s = Stock()\n    s.add(\"a\", 2, 1.0)\n"
			       "    assert s.total_value() == 2.0\n";
	const char *iss2 = "the total value is wrong";
	cc_loc_query qs = {iss2, strlen(iss2), test_src, strlen(test_src), "tests/test_stock.py", NULL, 0};
	CHECK_EQ_INT(cc_loc_candidates_compute(&c, r, &qs), CC_OK);
	CHECK(rank_of(c, "test_total", &rank) == NULL);
	f = rank_of(c, "Stock.total_value", &rank);
	CHECK(f && f->test_dist == 1 && rank <= 2);
	f = rank_of(c, "Item.value", &rank);
	CHECK(f && f->test_dist == 2);
	f = rank_of(c, "main", &rank);
	CHECK(f && f->test_dist == -1);
	cc_loc_candidates_free(c);
	c = NULL;

	/* naming nothing: whole-repository ranking, flagged; every function still ranked */
	const char *none = "it is broken, please fix";
	cc_loc_query qn = {none, strlen(none), NULL, 0, NULL, NULL, 0};
	CHECK_EQ_INT(cc_loc_candidates_compute(&c, r, &qn), CC_OK);
	CHECK(c && c->fallback && c->n_matched == 0 && c->n_funcs == 14);
	cc_loc_candidates_free(c);
	c = NULL;

	/* same input, same ranking */
	cc_loc_candidates *c2 = NULL;
	CHECK_EQ_INT(cc_loc_candidates_compute(&c, r, &q), CC_OK);
	CHECK_EQ_INT(cc_loc_candidates_compute(&c2, r, &q), CC_OK);
	CHECK(c && c2 && c->n_funcs == c2->n_funcs);
	for (size_t i = 0; c && c2 && i < c->n_funcs; i++)
		CHECK(!strcmp(c->funcs[i].qual, c2->funcs[i].qual) && c->funcs[i].score == c2->funcs[i].score);
	cc_loc_candidates_free(c2);
	cc_loc_candidates_free(c);
	c = NULL;

	/* an empty issue is refused with a message */
	cc_loc_query qe = {"", 0, NULL, 0, NULL, NULL, 0};
	CHECK_EQ_INT(cc_loc_candidates_compute(&c, r, &qe), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "empty") != NULL);
out:
	cc_loc_candidates_free(c);
	cc_store_rev_free(r);
	cc_store_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	sh(cmd);
}

int main(void)
{
	test_seeds();
	test_candidates_and_answers();
	return test_result();
}
