/*
 * cmd_tokenize.c - `codecomp tokenize`: encode a file with a model's tokenizer.json and print
 * the ids with byte offsets (JSON, or one token per line), or decode ids back to text.
 */
#include "cli.h"
#include "cc_common.h"
#include "cc_tokenizer.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: codecomp tokenize --model DIR [--json] [--no-special] FILE|-\n"
	           "       codecomp tokenize --model DIR --decode ID...\n\n"
	           "Encodes FILE (- = stdin) exactly like the model's tokenizer.json.\n"
	           "  --model DIR     model directory or tokenizer.json path\n"
	           "  --json          print {\"ids\": [...], \"offsets\": [[start, end], ...]}\n"
	           "                  (byte offsets into FILE); default: id<TAB>start<TAB>end per line\n"
	           "  --no-special    do not run the post-processor (add_special_tokens=False)\n"
	           "  --decode        print the text of the given ids\n");
}

static int read_stdin(char **out, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return CC_ENOMEM;
	for (;;) {
		if (n == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return CC_ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n, stdin);
		if (r == 0)
			break;
		n += r;
	}
	*out = buf;
	*len = n;
	return CC_OK;
}

int cmd_tokenize(int argc, char **argv)
{
	const char *model = NULL, *file = NULL;
	int json = 0, decode = 0, ret = 1;
	unsigned flags = CC_TOK_ADD_SPECIAL;
	cc_tokenizer *tok = NULL;
	char *text = NULL, *dec = NULL;
	int32_t *ids = NULL;
	cc_token_span *off = NULL;
	size_t len = 0, n = 0;
	int first_pos = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--model") && i + 1 < argc) {
			model = argv[++i];
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--no-special")) {
			flags &= ~(unsigned)CC_TOK_ADD_SPECIAL;
		} else if (!strcmp(argv[i], "--decode")) {
			decode = 1;
		} else if (argv[i][0] == '-' && argv[i][1] && !decode) {
			fprintf(stderr, "codecomp: tokenize: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else {
			if (!first_pos)
				first_pos = i;
			if (!decode) {
				if (file) {
					usage(stderr);
					return 2;
				}
				file = argv[i];
			}
		}
	}
	if (!model || (!decode && !file)) {
		usage(stderr);
		return 2;
	}
	if (cc_tokenizer_load(&tok, model)) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		goto out;
	}
	if (decode) {
		size_t cnt = 0;
		ids = calloc((size_t)argc, sizeof(*ids));
		if (!ids)
			goto out;
		for (int i = first_pos ? first_pos : argc; i < argc; i++) {
			long long v;
			if (cc_parse_long(&v, argv[i], LLONG_MIN, LLONG_MAX)) {
				fprintf(stderr, "codecomp: tokenize: '%s' is not a token id\n", argv[i]);
				ret = 2;
				goto out;
			}
			ids[cnt++] = (int32_t)v;
		}
		size_t dl;
		if (cc_tokenizer_decode(tok, ids, cnt, &dec, &dl)) {
			fprintf(stderr, "codecomp: %s\n", cc_error_last());
			goto out;
		}
		fwrite(dec, 1, dl, stdout);
		ret = 0;
		goto out;
	}
	int rc = !strcmp(file, "-") ? read_stdin(&text, &len) : cc_read_file(&text, &len, file, 0);
	if (rc) {
		fprintf(stderr, "codecomp: cannot read %s: %s\n", file,
		        *cc_error_last() ? cc_error_last() : cc_strerror(rc));
		goto out;
	}
	if (cc_tokenizer_encode_ex(tok, text, len, flags, &ids, &off, &n)) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		goto out;
	}
	if (json) {
		/* streamed by hand: a JSON array of a million ints through jansson is slow */
		fputs("{\"ids\": [", stdout);
		for (size_t i = 0; i < n; i++)
			printf(i ? ", %d" : "%d", (int)ids[i]);
		fputs("], \"offsets\": [", stdout);
		for (size_t i = 0; i < n; i++)
			printf(i ? ", [%u, %u]" : "[%u, %u]", off[i].start, off[i].end);
		fputs("]}\n", stdout);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%d\t%u\t%u\n", (int)ids[i], off[i].start, off[i].end);
	}
	ret = fflush(stdout) == 0 ? 0 : 1;
out:
	cc_tokenizer_free(tok);
	free(text);
	free(dec);
	free(ids);
	free(off);
	return ret;
}
