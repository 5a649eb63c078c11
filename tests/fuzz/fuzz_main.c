/*
 * fuzz_main.c - standalone driver for the libFuzzer targets (tests/fuzz/fuzz_<x>.c), so that
 * gcc builds replay them under CTest:
 *   fuzz_<x> [--iterations N] [--seed S] [--max-len BYTES] [FILE|DIR]...
 * Every file given (directories: their regular files) is run once as is; then N generated
 * inputs: random bytes, and mutations of the given files (byte flips, insertions, deletions,
 * duplicated chunks, long runs of one byte for deep nesting). Deterministic for a seed. A
 * target reports a bug by crashing or aborting; this driver only counts the inputs.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
	uint8_t *data;
	size_t len;
} blob;

static blob *seeds;
static size_t n_seeds, cap_seeds;
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t rndn(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static void add_file(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "fuzz: cannot open %s\n", path);
		exit(2);
	}
	if (S_ISDIR(st.st_mode)) {
		struct dirent **ents = NULL;
		int n = scandir(path, &ents, NULL, alphasort);
		for (int i = 0; i < n; i++) {
			if (ents[i]->d_name[0] != '.') {
				char sub[4096];
				snprintf(sub, sizeof(sub), "%s/%s", path, ents[i]->d_name);
				add_file(sub);
			}
			free(ents[i]);
		}
		free(ents);
		return;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz: cannot open %s\n", path);
		exit(2);
	}
	blob b = {malloc((size_t)st.st_size + 1), 0};
	if (!b.data)
		exit(2);
	b.len = fread(b.data, 1, (size_t)st.st_size, f);
	fclose(f);
	if (n_seeds == cap_seeds) {
		cap_seeds = cap_seeds ? 2 * cap_seeds : 16;
		seeds = realloc(seeds, cap_seeds * sizeof(blob));
		if (!seeds)
			exit(2);
	}
	seeds[n_seeds++] = b;
}

/* One generated input into buf (capacity max); returns its length. */
static size_t generate(uint8_t *buf, size_t max)
{
	size_t len;
	if (!n_seeds || rndn(4) == 0) {
		len = rndn(max < 512 ? max : 512);
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rnd();
		return len;
	}
	const blob *s = &seeds[rndn(n_seeds)];
	len = s->len < max ? s->len : max;
	memcpy(buf, s->data, len);
	int ops = 1 + (int)rndn(8);
	for (int k = 0; k < ops; k++) {
		switch (rndn(6)) {
		case 0: /* flip bytes */
			for (int j = 0; j < 4 && len; j++)
				buf[rndn(len)] ^= (uint8_t)(1u << rndn(8));
			break;
		case 1: { /* random byte values */
			for (int j = 0; j < 4 && len; j++)
				buf[rndn(len)] = (uint8_t)rnd();
			break;
		}
		case 2: { /* delete a chunk */
			if (!len)
				break;
			size_t at = rndn(len), n = rndn(len - at) % 64 + 1;
			if (at + n > len)
				n = len - at;
			memmove(buf + at, buf + at + n, len - at - n);
			len -= n;
			break;
		}
		case 3: { /* duplicate a chunk */
			if (!len)
				break;
			size_t at = rndn(len), n = rndn(len - at) % 128 + 1;
			if (at + n > len)
				n = len - at;
			if (len + n > max)
				break;
			size_t to = rndn(len + 1);
			uint8_t tmp[128];
			memcpy(tmp, buf + at, n);
			memmove(buf + to + n, buf + to, len - to);
			memcpy(buf + to, tmp, n);
			len += n;
			break;
		}
		case 4: { /* a long run of one structural byte: deep nesting */
			static const char runs[] = "({[<\t \n:;\"'\\/*";
			size_t n = 1 + rndn(max / 4);
			if (len + n > max)
				n = max - len;
			size_t to = rndn(len + 1);
			uint8_t c = (uint8_t)runs[rndn(sizeof(runs) - 1)];
			memmove(buf + to + n, buf + to, len - to);
			memset(buf + to, c, n);
			len += n;
			break;
		}
		default: /* truncate */
			len = rndn(len + 1);
			break;
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	long iterations = 1000;
	size_t max_len = 1 << 16;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
			iterations = atol(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			rng_state = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--max-len") && i + 1 < argc)
			max_len = (size_t)atol(argv[++i]);
		else
			add_file(argv[i]);
	}
	if (max_len < 16)
		max_len = 16;
	for (size_t i = 0; i < n_seeds; i++)
		LLVMFuzzerTestOneInput(seeds[i].data, seeds[i].len);
	uint8_t *buf = malloc(max_len);
	if (!buf)
		return 2;
	for (long it = 0; it < iterations; it++) {
		size_t len = generate(buf, max_len);
		/* exact-size copy so that sanitizers see overreads */
		uint8_t *in = malloc(len ? len : 1);
		if (!in)
			return 2;
		memcpy(in, buf, len);
		LLVMFuzzerTestOneInput(in, len);
		free(in);
	}
	free(buf);
	for (size_t i = 0; i < n_seeds; i++)
		free(seeds[i].data);
	free(seeds);
	printf("fuzz: %zu seeds and %ld generated inputs ran\n", n_seeds, iterations);
	return 0;
}
