/*
 * cc_parse.c - strict whole-string number parsers for command-line options (codecomp and
 * codecompd share them): no empty strings, no trailing junk, no silent overflow, a range.
 * They say yes or no and leave a message; each front end names the option in its own words.
 */
#include "cc_common.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int cc_parse_long(long long *out, const char *s, long long lo, long long hi)
{
	char *end;
	long long v;
	if (!s || !*s)
		return cc_error_set(CC_EINVAL, "expected a whole number, got an empty string");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end)
		return cc_error_set(CC_EINVAL, "expected a whole number, got '%s'", s);
	if (errno == ERANGE || v < lo || v > hi)
		return cc_error_set(CC_EINVAL, "expected a whole number in [%lld, %lld], got '%s'", lo,
		                    hi, s);
	*out = v;
	return 0;
}

int cc_parse_double(double *out, const char *s, double lo, double hi)
{
	char *end;
	double v;
	if (!s || !*s)
		return cc_error_set(CC_EINVAL, "expected a number, got an empty string");
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end)
		return cc_error_set(CC_EINVAL, "expected a number, got '%s'", s);
	/* NaN fails both comparisons; an overflow to HUGE_VAL is refused even when hi is infinite */
	if (!(v >= lo && v <= hi) || (errno == ERANGE && isinf(v)))
		return cc_error_set(CC_EINVAL, "expected a number in [%g, %g], got '%s'", lo, hi, s);
	*out = v;
	return 0;
}

int cc_parse_size(size_t *out, const char *s, size_t lo, size_t hi)
{
	char *end;
	const char *p = s;
	if (!s || !*s)
		return cc_error_set(CC_EINVAL, "expected a byte count, got an empty string");
	while (*p >= '0' && *p <= '9')
		p++;
	if (!*p) {
		/* plain digits: exact, whatever their size */
		unsigned long long v;
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno == ERANGE || v < lo || v > hi)
			goto range;
		*out = (size_t)v;
		return 0;
	} else {
		/* 8e9, 1.5e9: the whole bytes of a decimal number */
		double v;
		errno = 0;
		v = strtod(s, &end);
		if (end == s || *end)
			return cc_error_set(CC_EINVAL, "expected a byte count, got '%s'", s);
		/* (double)SIZE_MAX rounds up to 2^64, which no size_t holds */
		if (!(v >= (double)lo && v <= (double)hi) || v >= (double)SIZE_MAX ||
		    (errno == ERANGE && isinf(v)))
			goto range;
		*out = (size_t)v;
		return 0;
	}
range:
	return cc_error_set(CC_EINVAL, "expected a byte count in [%zu, %zu], got '%s'", lo, hi, s);
}
