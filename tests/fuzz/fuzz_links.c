/*
 * fuzz_links.c - libFuzzer target for what the store reads from a file's source when it encodes
 * the file's link info (store/recv.c: receiver types, shadowing, local functions, CommonJS
 * require, private, member and fixture definitions, JS functions set on a member and their
 * enclosing functions, default exports, Go package variables and call arguments): the input is
 * analysed as every supported language, its links encoded with the source and decoded again;
 * the decode must succeed and every call's receiver type be a string of the pool.
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cc_analyzer *a;
	if (!a && cc_analyzer_new(&a) != CC_OK)
		abort();
	for (int l = 1; l < CC_LANG_COUNT; l++) {
		cc_file_graph *g = NULL;
		if (cc_analyze(&g, a, (cc_lang)l, (const char *)data, size) != CC_OK)
			continue;
		cc_buf b = {0};
		cc_links li;
		cc_links_encode_src(&b, g, (const char *)data, size);
		if (cc_links_decode(&li, b.p, b.len) != CC_OK)
			abort();
		for (uint32_t i = 0; i < li.n_calls; i++)
			if (li.calls[i].rtype >= li.pool_len ||
			    (li.calls[i].flags &
			     ~(uint32_t)(CC_CALL_SHADOWED | CC_CALL_RECV_LOCAL | CC_CALL_RECV_FIELD |
			                 CC_CALL_RECV_MEMBER | CC_CALL_TOP_VALUE | CC_CALL_DESTRUCT |
			                 CC_CALL_LOCAL_FN | CC_CALL_FN_VALUE | CC_CALL_MACRO)))
				abort();
		/* what the link info reads from the source for guesses and default exports
		 * (version 6): known definition flags, a default export in the pool */
		for (uint32_t i = 0; i < li.n_defs; i++)
			if ((li.defs[i].flags & ~(uint32_t)(CC_DEF_PRIVATE | CC_DEF_MEMBER | CC_DEF_FIXTURE |
			                                    CC_DEF_MEMBER_SET | CC_DEF_RETURNED |
			                                    CC_DEF_ABSTRACT | CC_DEF_IMPL)) ||
			    /* resolver 52 (cg35): an impl block, only a Rust type declaration's */
			    ((li.defs[i].flags & CC_DEF_IMPL) &&
			     (l != CC_LANG_RUST || li.defs[i].kind != CC_NODE_TYPE_DECL)) ||
			    li.defs[i].up > li.defs[i].index) /* version 13: the enclosing method precedes */
				abort();
		/* version 14 (cg34): an arity 1 + min + (max << 8) with min <= max <= 255, a call's
		 * 1 + argument count at most 251; both only for Java and C++ */
		for (uint32_t i = 0; i < li.n_defs; i++) {
			uint32_t ar = li.defs[i].arity;
			if (ar && ((((ar - 1) & 0xff) > ((ar - 1) >> 8)) || ((ar - 1) >> 8) > 255 ||
			           (l != CC_LANG_JAVA && l != CC_LANG_CPP)))
				abort();
		}
		for (uint32_t i = 0; i < li.n_calls; i++)
			if (li.calls[i].nargs > 251 ||
			    (li.calls[i].nargs && l != CC_LANG_JAVA && l != CC_LANG_CPP))
				abort();
		/* the file-level strings (versions 6-12) in the pool: a default export, a Go file's
		 * package variables and call arguments */
		if (li.dflt >= li.pool_len || li.gvars >= li.pool_len || li.cargs >= li.pool_len ||
		    li.aliases >= li.pool_len)
			abort();
		/* resolver 52 (cg35): a JS/TS file's renamings, "b:a" / "@b:a" entries of
		 * identifiers */
		if (l == CC_LANG_JAVASCRIPT || l == CC_LANG_TYPESCRIPT || l == CC_LANG_TSX) {
			const char *p = li.pool + li.aliases;
			while (*p) {
				size_t n = strcspn(p, ","), c = strcspn(p, ":");
				size_t b0 = *p == '@';
				if (c >= n || c <= b0 || c + 1 >= n)
					abort();
				for (size_t k = b0; k < n; k++)
					if (k != c && !(p[k] == '_' || p[k] == '$' ||
					                (p[k] >= 'a' && p[k] <= 'z') ||
					                (p[k] >= 'A' && p[k] <= 'Z') ||
					                (p[k] >= '0' && p[k] <= '9') || (unsigned char)p[k] >= 0x80))
						abort();
				p += n + (p[n] == ',');
			}
		}
		/* version 15 (resolver 53, cg36): an import's `whole` 0, 1 (a default import) or 2
		 * (a namespace: `import * as x`, `export * as x from`, `x = require('m')`); both
		 * only in JS/TS */
		for (uint32_t i = 0; i < li.n_imports; i++)
			if (li.imports[i].whole > 2 ||
			    (li.imports[i].whole && l != CC_LANG_JAVASCRIPT && l != CC_LANG_TYPESCRIPT &&
			     l != CC_LANG_TSX))
				abort();
		cc_links_clear(&li);
		cc_buf_free(&b);
		cc_file_graph_free(g);
	}
	return 0;
}
