/* Tests for the strict option parsers of common/ (cc_parse_long, cc_parse_double,
 * cc_parse_size): what codecomp's verbs and codecompd's options accept and refuse. */
#include "cc_common.h"
#include "test.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

int main(void)
{
	long long l = 7;
	double d = 7;
	size_t z = 7;

	/* integers: whole string, range inclusive, sign and leading blanks as strtoll */
	CHECK_EQ_INT(cc_parse_long(&l, "42", 0, 100), 0);
	CHECK_EQ_INT((int)l, 42);
	CHECK_EQ_INT(cc_parse_long(&l, "-5", -10, 10), 0);
	CHECK_EQ_INT((int)l, -5);
	CHECK_EQ_INT(cc_parse_long(&l, "0", 0, 0), 0);
	CHECK_EQ_INT(cc_parse_long(&l, "100", 0, 100), 0);
	CHECK_EQ_INT(cc_parse_long(&l, "101", 0, 100), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "'101'") != NULL);
	CHECK_EQ_INT(cc_parse_long(&l, "-1", 0, 100), CC_EINVAL); /* negative where not allowed */
	CHECK_EQ_INT((int)l, 100);                                /* untouched on failure */
	CHECK_EQ_INT(cc_parse_long(&l, "", 0, 100), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "empty") != NULL);
	CHECK_EQ_INT(cc_parse_long(&l, NULL, 0, 100), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_long(&l, "12abc", 0, 100), CC_EINVAL); /* trailing junk */
	CHECK(strstr(cc_error_last(), "'12abc'") != NULL);
	CHECK_EQ_INT(cc_parse_long(&l, "12 ", 0, 100), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_long(&l, "1.5", 0, 100), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_long(&l, "1e2", 0, 1000), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_long(&l, "-", 0, 100), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_long(&l, "abc", 0, 100), CC_EINVAL);
	/* overflow is refused, not clamped to the limit that the range then accepts */
	CHECK_EQ_INT(cc_parse_long(&l, "9223372036854775807", LLONG_MIN, LLONG_MAX), 0);
	CHECK(l == LLONG_MAX);
	CHECK_EQ_INT(cc_parse_long(&l, "9223372036854775808", LLONG_MIN, LLONG_MAX), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_long(&l, "-9223372036854775809", LLONG_MIN, LLONG_MAX), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_long(&l, "99999999999999999999999", 0, LLONG_MAX), CC_EINVAL);

	/* doubles */
	CHECK_EQ_INT(cc_parse_double(&d, "0.25", 0, 1), 0);
	CHECK_NEAR(d, 0.25, 0);
	CHECK_EQ_INT(cc_parse_double(&d, "1e-3", 0, 1), 0);
	CHECK_NEAR(d, 1e-3, 0);
	CHECK_EQ_INT(cc_parse_double(&d, "1", 0, 1), 0); /* inclusive */
	CHECK_EQ_INT(cc_parse_double(&d, "1.0001", 0, 1), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_double(&d, "-0.5", 0, 1), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_double(&d, "", 0, 1), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_double(&d, "0.5x", 0, 1), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_double(&d, ".", 0, 1), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_double(&d, "nan", -HUGE_VAL, HUGE_VAL), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_double(&d, "1e999", 0, HUGE_VAL), CC_EINVAL); /* overflow */
	CHECK_EQ_INT(cc_parse_double(&d, "inf", 0, 1e9), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_double(&d, "inf", 0, HUGE_VAL), 0); /* asked for by the range */
	CHECK(isinf(d));
	CHECK_EQ_INT(cc_parse_double(&d, "0.5", 0, 1), 0);
	CHECK_NEAR(d, 0.5, 0);

	/* byte counts: digits exactly, decimal numbers by their whole bytes */
	CHECK_EQ_INT(cc_parse_size(&z, "64000000", 1 << 20, (size_t)1e15), 0);
	CHECK(z == 64000000);
	CHECK_EQ_INT(cc_parse_size(&z, "8e9", 1 << 20, (size_t)1e15), 0);
	CHECK(z == (size_t)8000000000ull);
	CHECK_EQ_INT(cc_parse_size(&z, "1.5e6", 0, SIZE_MAX), 0);
	CHECK(z == 1500000);
	CHECK_EQ_INT(cc_parse_size(&z, "18446744073709551615", 0, SIZE_MAX), 0); /* exact */
	CHECK(z == SIZE_MAX);
	CHECK_EQ_INT(cc_parse_size(&z, "18446744073709551616", 0, SIZE_MAX), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_size(&z, "1.8446744073709552e19", 0, SIZE_MAX), CC_EINVAL); /* 2^64 */
	CHECK_EQ_INT(cc_parse_size(&z, "1e16", 0, (size_t)1e15), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "'1e16'") != NULL);
	CHECK_EQ_INT(cc_parse_size(&z, "1048575", 1 << 20, (size_t)1e15), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_size(&z, "1048576", 1 << 20, (size_t)1e15), 0);
	CHECK_EQ_INT(cc_parse_size(&z, "-1", 0, (size_t)1e15), CC_EINVAL); /* negative */
	CHECK_EQ_INT(cc_parse_size(&z, "-1e3", 0, (size_t)1e15), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_size(&z, "", 0, 10), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_size(&z, "abc", 0, 10), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_size(&z, "5MB", 0, (size_t)1e15), CC_EINVAL); /* no suffixes */
	CHECK_EQ_INT(cc_parse_size(&z, "nan", 0, SIZE_MAX), CC_EINVAL);
	CHECK_EQ_INT(cc_parse_size(&z, "inf", 0, SIZE_MAX), CC_EINVAL);
	CHECK(z == 1048576);
	return test_result();
}
