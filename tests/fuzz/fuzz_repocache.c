/*
 * fuzz_repocache.c - libFuzzer entry for the repository cache's chunk file parser: any byte
 * string is refused with a status, or yields a chunk whose ids lie inside the input, whose
 * rows are at most deflate's 1032:1 of it, and whose positions lie inside the chunk.
 */
#include "cc_common.h"
#include "repocache_int.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the key of the seed corpus's chunk (tests/fuzz/corpus/repocache) */
	static const cc_repocache_key key = {"fuzz", "blob", "p.py", CC_REPOCACHE_FULL, 1, 1};
	char *ks = NULL;
	rc_chunk *ch = NULL;
	if (rc_key_string(&ks, &key) != CC_OK)
		return 0;
	if (rc_chunk_parse(&ch, data, size, ks) == CC_OK) {
		size_t rows = 0;
		for (int l = 0; l < ch->n_layers; l++) {
			int32_t *pos;
			void *k, *v;
			rc_chunk_rows(ch, l, &pos, &k, &v);
			CC_ASSERT(ch->kept[l] <= ch->n_tokens);
			for (size_t j = 0; j < (size_t)ch->n_kv_heads * ch->kept[l]; j++)
				CC_ASSERT(pos[j] >= 0 && (size_t)pos[j] < ch->n_tokens);
			rows += (size_t)ch->n_kv_heads * ch->kept[l];
		}
		/* ids as they are; rows inflated at most 1032:1 (deflate's bound) */
		CC_ASSERT(ch->n_tokens * 4 <= size && ch->payload_bytes / 1032 <= size);
		(void)rows;
		rc_chunk_free(ch);
	}
	free(ks);
	return 0;
}
