/*
 * test_batch_stats.c - ranks of a ground truth in a localization result (function by lines
 * and name, file among distinct files) and the report statistics (top-k, MRR, bootstrap
 * intervals that hold the estimate, paired MRR differences).
 */
#include "cc_batch.h"
#include "test.h"

static void hit(cc_loc_hit *h, const char *path, const char *name, uint32_t a, uint32_t b)
{
	memset(h, 0, sizeof(*h));
	h->path = (char *)path;
	h->name = (char *)name;
	h->qual = (char *)name;
	h->start_line = a;
	h->end_line = b;
}

int main(void)
{
	cc_loc_hit hits[5];
	cc_loc_result r;
	memset(&r, 0, sizeof(r));
	hit(&hits[0], "a.py", "f", 1, 10);
	hit(&hits[1], "b.py", "g", 1, 20);
	hit(&hits[2], "a.py", "h", 12, 30);
	hit(&hits[3], "c.py", "k", 1, 5);
	hit(&hits[4], "b.py", "inner", 5, 8);
	r.hits = hits;
	r.n_hits = 5;
	uint32_t line = 15;
	cc_bug b;
	memset(&b, 0, sizeof(b));
	b.file = "a.py";
	b.function = "h";
	b.start_line = 12;
	b.end_line = 30;
	b.lines = &line;
	b.n_lines = 1;
	int fr, fn;
	cc_batch_ranks(&r, &b, &fr, &fn);
	CHECK_EQ_INT(fr, 1);
	CHECK_EQ_INT(fn, 3);
	/* nested function: the hit named like the bug's function wins over its enclosing one */
	line = 6;
	b.file = "b.py";
	b.function = "inner";
	b.start_line = 5;
	cc_batch_ranks(&r, &b, &fr, &fn);
	CHECK_EQ_INT(fr, 2);
	CHECK_EQ_INT(fn, 5);
	/* not there */
	b.file = "d.py";
	cc_batch_ranks(&r, &b, &fr, &fn);
	CHECK_EQ_INT(fr, 0);
	CHECK_EQ_INT(fn, 0);

	int ranks[8] = {1, 2, 0, 1, 5, 3, 1, 7};
	cc_batch_stats s;
	CHECK_EQ_INT(cc_batch_stats_compute(&s, ranks, 8, 2000, 9), CC_OK);
	CHECK_NEAR(s.top1, 3.0 / 8, 1e-12);
	CHECK_NEAR(s.top3, 5.0 / 8, 1e-12);
	CHECK_NEAR(s.top5, 6.0 / 8, 1e-12);
	CHECK_NEAR(s.mrr, (1 + 0.5 + 0 + 1 + 0.2 + 1.0 / 3 + 1 + 1.0 / 7) / 8, 1e-12);
	CHECK(s.top1_lo <= s.top1 && s.top1 <= s.top1_hi && s.top1_lo < s.top1_hi);
	CHECK(s.mrr_lo <= s.mrr && s.mrr <= s.mrr_hi && s.mrr_lo < s.mrr_hi);
	cc_batch_stats s2;
	CHECK_EQ_INT(cc_batch_stats_compute(&s2, ranks, 8, 2000, 9), CC_OK);
	CHECK(s2.mrr_lo == s.mrr_lo && s2.top1_hi == s.top1_hi); /* same seed, same interval */
	int all1[4] = {1, 1, 1, 1};
	CHECK_EQ_INT(cc_batch_stats_compute(&s, all1, 4, 0, 1), CC_OK);
	CHECK(s.top1 == 1 && s.top1_lo == 1 && s.top1_hi == 1 && s.mrr == 1);
	CHECK_EQ_INT(cc_batch_stats_compute(&s, NULL, 0, 0, 1), CC_OK);
	CHECK(s.n == 0 && s.mrr == 0);

	int a[4] = {1, 1, 2, 0}, c[4] = {2, 1, 0, 0};
	double d, lo, hi;
	CHECK_EQ_INT(cc_batch_mrr_delta(&d, &lo, &hi, a, c, 4, 1000, 5), CC_OK);
	CHECK_NEAR(d, (0.5 + 0 + 0.5 + 0) / 4, 1e-12);
	CHECK(lo <= d && d <= hi);
	CHECK_EQ_INT(cc_batch_mrr_delta(&d, &lo, &hi, a, a, 4, 1000, 5), CC_OK);
	CHECK(d == 0 && lo == 0 && hi == 0);
	return test_result();
}
