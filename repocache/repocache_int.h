/*
 * repocache_int.h - internals of the repository KV cache shared by repocache.c (chunks, the
 * memory LRU, compute and assembly) and chunk_file.c (the disk format). Not installed.
 */
#ifndef CC_REPOCACHE_INT_H
#define CC_REPOCACHE_INT_H

#include "cc_repocache.h"

#include "cc_common.h"

/* A chunk: token ids, then per layer [pos: n_kv_heads x kept][K rows][V rows] in one payload
 * (K and V laid out [kv_head][kept slot][head_dim] in the pool's dtype). */
struct cc_repocache_chunk {
	int refs;
	char *key;
	int n_layers, n_kv_heads, head_dim, dtype;
	size_t n_tokens;
	int32_t *ids;
	size_t *kept; /* per layer */
	size_t *off;  /* per layer: byte offset of its rows in payload */
	void *payload;
	size_t payload_bytes;
	size_t bytes;                           /* payload + ids */
	struct cc_repocache_chunk *prev, *next; /* memory LRU */
	/* the device tier (repocache.c, under the cache's lock): the payload copied to the GPU of
	 * the model it was uploaded for, assemblies reading it now, the device LRU's links */
	const void *cache; /* the cc_repocache that made or read it (only it keeps a device copy) */
	cc_devbuf *dev;
	int dev_users;
	struct cc_repocache_chunk *dprev, *dnext;
};
typedef struct cc_repocache_chunk rc_chunk;

int rc_chunk_alloc(rc_chunk **out, const char *key, int n_layers, int n_kv_heads, int head_dim,
                   int dtype, size_t n_tokens, const size_t *kept);
void rc_chunk_free(rc_chunk *ch);
void rc_chunk_layout(rc_chunk *ch);
void rc_chunk_rows(const rc_chunk *ch, int layer, int32_t **pos, void **k, void **v);

/* The key as one string (format version, model, blob, path, policy, budget, anchor, and for
 * a compressed chunk the selection version CC_COMPRESS_SELECT_VERSION). */
int rc_key_string(char **out, const cc_repocache_key *k);
uint64_t rc_fnv1a(uint64_t h, const void *data, size_t n);

/* Parse a chunk file's bytes for key string ks: every length checked against size, the
 * checksum, positions inside the chunk and increasing per head. Errors: CC_EPARSE (naming
 * what is wrong), CC_ENOMEM. */
int rc_chunk_parse(rc_chunk **out, const uint8_t *data, size_t size, const char *ks);

/* Read the chunk file at path for key string ks. CC_ENOTFOUND when there is none or it is
 * unusable (then *damaged = 1 and the file is deleted); CC_ENOMEM. */
int rc_file_read(rc_chunk **out, const char *path, const char *ks, int *damaged);
/* Write ch to path atomically (temporary file in dir, then rename), creating dir. */
int rc_file_write(const rc_chunk *ch, const char *dir, const char *path);
/* Mark the chunk file at path as used now (its modification time; no error when it is gone). */
void rc_file_touch(const char *path);
/* Delete the least recently modified chunk files of dir (regular files named as chunk files,
 * never followed through links, never keep, a name in dir) until their bytes are at most
 * limit. Returns how many were deleted. */
size_t rc_dir_trim(const char *dir, size_t limit, const char *keep);

#endif
