/* lang_typescript.c - TypeScript (tree-sitter-typescript 0.23): mapping in queries/typescript.scm. */
#include "analysis_int.h"
#include "cc_common.h"

#include <stdlib.h>
#include <string.h>

const TSLanguage *tree_sitter_typescript(void);
extern const char cc_query_typescript[];

static const char *const exts[] = {".ts", ".mts", ".cts", NULL};

const cc_lang_desc cc_lang_typescript_desc = {
	.lang = CC_LANG_TYPESCRIPT,
	.name = "typescript",
	.exts = exts,
	.grammar = tree_sitter_typescript,
	.query = cc_query_typescript,
	.qual_sep = ".",
	.flags = CC_LANGF_FALLTHROUGH,
};

static int ts_idc(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

static size_t ts_skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

int cc_ts_parse_copy(char **out, const char *src, size_t len)
{
	*out = NULL;
	for (const char *p = src; (size_t)(p - src) + 6 <= len;) {
		size_t left = len - (size_t)(p - src);
		const char *e = memmem(p, left, "export", 6);
		if (!e)
			break;
		size_t i = (size_t)(e - src), t = ts_skip_ws(src, len, i + 6);
		p = e + 6;
		if ((i > 0 && ts_idc(src[i - 1])) || t == i + 6 || t + 4 > len ||
		    memcmp(src + t, "type", 4) != 0)
			continue;
		size_t st = ts_skip_ws(src, len, t + 4);
		if (st == t + 4 || st >= len || src[st] != '*')
			continue;
		/* `export type * from` / `export type * as ns from`: the grammar knows the same
		 * statement without `type` (a type-only re-export has no callable member) */
		if (!*out) {
			if (!(*out = malloc(len ? len : 1)))
				return cc_error_set(CC_ENOMEM, "analysis: out of memory");
			memcpy(*out, src, len);
		}
		memset(*out + t, ' ', 4);
	}
	return CC_OK;
}
