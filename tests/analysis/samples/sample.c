#include <stdio.h>
#include "util.h"

struct point {
	int x, y;
};

static int sum(const int *a, int n)
{
	int s = 0;
	for (int i = 0; i < n; i++) {
		if (a[i] < 0)
			continue;
		s += a[i];
	}
	return s;
}

int classify(struct point *p, int k)
{
	int r;
	switch (k) {
	case 0:
		r = 1;
	case 1:
		r = 2;
		break;
	default:
		return -1;
	}
	do {
		r--;
	} while (r > 0 && p->x);
	while (k) {
		k = next(k);
		if (k == 3)
			break;
	}
	p->y = r;
	printf("%d\n", sum(&p->x, 2));
	return r;
}
