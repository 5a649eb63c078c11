/*
 * cc_kv.h - the paged KV cache: fixed-size blocks of key/value rows, a block table per
 * sequence and layer, an allocator with a free list and exact byte accounting, sequences that
 * are created, forked (blocks shared copy-on-write) and freed, and compaction that keeps a
 * different subset of tokens per KV head while remembering each token's original position.
 *
 * Bookkeeping (block tables, reference counts, positions) always lives in host memory. Where
 * the block data lives is up to a storage provider (cc_kv_storage): the host one built in here
 * (the CPU mirror, used by the CPU engine and the tests), or one that places the pool in device
 * memory (the CUDA backend). The pool is one allocation; block b starts at byte
 * b * block_bytes. Inside a block: the K half then the V half, each laid out
 * [kv_head][slot][head_dim] in the pool's element type. cc_kv_offset() computes row offsets.
 *
 * Keys are stored after RoPE at the token's original position, so attention after compaction
 * needs no re-rotation: new queries use their own (logical) positions, and every kept slot
 * still carries the position it was written with (cc_kv_seq_positions).
 *
 * Not thread-safe: one pool and its sequences are used from one thread at a time.
 */
#ifndef CC_KV_H
#define CC_KV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Element type of the stored rows. */
typedef enum { CC_KV_F32 = 0, CC_KV_F16 = 1, CC_KV_BF16 = 2 } cc_kv_dtype;

/* Bytes of one element of a cc_kv_dtype (0 for an unknown value). */
size_t cc_kv_dtype_size(int dtype);

/* One row move inside the pool, in bytes from the pool's base. */
typedef struct {
	size_t dst, src;
} cc_kv_move;

/* Where block data lives. Every function gets the provider's ctx. All byte ranges passed in
 * are inside the allocation and rows of one batch never overlap a destination with another
 * move's source unless stated. */
typedef struct {
	const char *name; /* "host", "cuda", ... for messages */
	/* Allocate `bytes` of storage; *out receives the base (host or device address). Returns
	 * cc_status (CC_ENOMEM when it cannot). */
	int (*alloc)(void *ctx, void **out, size_t bytes);
	/* Release what alloc returned (NULL allowed). */
	void (*release)(void *ctx, void *base);
	/* Copy `bytes` from base+src to base+dst (whole blocks, for copy-on-write); no overlap. */
	int (*copy)(void *ctx, void *base, size_t dst, size_t src, size_t bytes);
	/* Perform n row moves of row_bytes each, in array order (compaction). Moves are ordered
	 * so that executing them one after another in order is correct; a provider may run them
	 * in parallel only when it knows they do not chain. */
	int (*move_rows)(void *ctx, void *base, const cc_kv_move *moves, size_t n, size_t row_bytes);
} cc_kv_storage;

/* The built-in host-memory provider (malloc'd, 64-byte aligned); ctx is unused (NULL). */
const cc_kv_storage *cc_kv_storage_host(void);

typedef struct {
	int n_layers;     /* > 0 */
	int n_kv_heads;   /* > 0 */
	int head_dim;     /* > 0 */
	int block_tokens; /* slots per block, > 0 (16 is usual) */
	int dtype;        /* cc_kv_dtype */
	size_t n_blocks;  /* capacity of the pool in blocks, > 0 */
} cc_kv_config;

typedef struct cc_kv_pool cc_kv_pool;
typedef struct cc_kv_seq cc_kv_seq;

typedef struct {
	size_t block_bytes;    /* bytes of one block (K and V, all KV heads, one layer) */
	size_t n_blocks;       /* capacity in blocks */
	size_t blocks_used;    /* blocks referenced by at least one sequence */
	size_t bytes_used;     /* blocks_used * block_bytes, exactly */
	size_t bytes_capacity; /* n_blocks * block_bytes, exactly */
	size_t n_seqs;         /* live sequences */
} cc_kv_pool_stats;

/* Create a pool of cfg->n_blocks blocks whose data comes from `storage` (NULL = host). The
 * pool keeps the storage pointer and ctx (the caller keeps them alive until the pool is
 * freed). Errors: CC_EINVAL (a field out of range, naming it), CC_ETOOBIG (size overflows),
 * CC_ENOMEM (the provider could not allocate). */
int cc_kv_pool_new(cc_kv_pool **out, const cc_kv_config *cfg, const cc_kv_storage *storage,
                   void *storage_ctx);

/* Free the pool and its storage. Every sequence of the pool must have been freed before
 * (a live one is an internal error). NULL is a no-op. */
void cc_kv_pool_free(cc_kv_pool *pool);

/* The configuration the pool was made with. */
const cc_kv_config *cc_kv_pool_config(const cc_kv_pool *pool);

/* Accounting snapshot. */
void cc_kv_pool_stats_get(cc_kv_pool_stats *out, const cc_kv_pool *pool);

/* Base address of the pool's storage (host or device, per provider) and one block's size. */
void *cc_kv_pool_base(const cc_kv_pool *pool);
size_t cc_kv_block_bytes(const cc_kv_pool *pool);

/* Byte offset from the base of the K row (v = 0) or V row (v = 1) of `kv_head`, slot
 * `slot` (0 .. block_tokens-1) in block `block`. Rows of one head within a block are
 * contiguous: row slot+1 follows row slot at head_dim * element size bytes. */
size_t cc_kv_offset(const cc_kv_pool *pool, int32_t block, int v, int kv_head, int slot);

/* Create an empty sequence in the pool (no blocks yet). Errors: CC_ENOMEM. */
int cc_kv_seq_new(cc_kv_seq **out, cc_kv_pool *pool);

/* A new sequence sharing every block of `src` (reference counts raised, no data copied);
 * either side copies a shared block before it writes to it. Errors: CC_ENOMEM. */
int cc_kv_seq_fork(cc_kv_seq **out, const cc_kv_seq *src);

/* Release the sequence's references to its blocks (blocks return to the free list when no
 * sequence holds them). NULL is a no-op. */
void cc_kv_seq_free(cc_kv_seq *seq);

/* Drop every token of the sequence, keeping the object. */
void cc_kv_seq_clear(cc_kv_seq *seq);

/* Append n tokens to every layer: make room for them (new blocks, or a private copy of a
 * shared last block), record their original positions pos[0..n) for every KV head, and set
 * first_slot[l] (array of n_layers) to the slot index where layer l's new tokens start;
 * the caller then writes their K/V rows (cc_kv_slot_offset). All or nothing: on failure
 * nothing changed. Errors: CC_ENOMEM "kv cache full" when the pool lacks free blocks,
 * CC_EINVAL for n == 0 or NULL pos. */
int cc_kv_seq_append(cc_kv_seq *seq, size_t n, const int32_t *pos, int32_t *first_slot);

/* Append n tokens to one layer only, with a position per KV head: pos[h * n + i] is the
 * original position of token i in head h (each head's positions increasing, and above the
 * layer's kept positions, for attention's causal order). *first_slot (may be NULL) receives
 * the slot where they start; the caller writes their K/V rows (cc_kv_slot_offset). For
 * caches assembled from separately computed pieces (repocache/), whose layers may keep
 * different counts. The logical length becomes at least the highest position + 1. All or
 * nothing. Errors: CC_EINVAL (bad layer, n == 0, NULL or negative positions), CC_ENOMEM
 * ("kv cache full"). */
int cc_kv_seq_append_layer(cc_kv_seq *seq, int layer, size_t n, const int32_t *pos,
                           int32_t *first_slot);

/* Free blocks that cc_kv_seq_append(seq, n, ...) would take now (new blocks, and copies of a
 * shared last block), over all layers. Exact for one sequence; for several sequences
 * appended in turn the sum is an upper bound (two forks sharing a last block each count its
 * copy, though the second no longer needs one). */
size_t cc_kv_seq_append_need(const cc_kv_seq *seq, size_t n);

/* Blocks of the pool on its free list. */
size_t cc_kv_pool_free_blocks(const cc_kv_pool *pool);

/* Number of tokens kept in `layer` (the same for every KV head of that layer). */
size_t cc_kv_seq_len(const cc_kv_seq *seq, int layer);

/* Logical length: one past the highest position ever appended (the next token's position
 * when positions are consecutive); unchanged by compaction. */
int32_t cc_kv_seq_next_pos(const cc_kv_seq *seq);

/* The block table of `layer`: *n blocks, slot s lives in table[s / block_tokens] at
 * s % block_tokens. Valid until the next call that changes the sequence. */
const int32_t *cc_kv_seq_blocks(const cc_kv_seq *seq, int layer, size_t *n);

/* Original positions of the kept slots of (layer, kv_head): cc_kv_seq_len() entries, in
 * slot order. Valid until the next call that changes the sequence. */
const int32_t *cc_kv_seq_positions(const cc_kv_seq *seq, int layer, int kv_head);

/* Byte offset of the K (v = 0) or V (v = 1) row of slot `slot` of (layer, kv_head). The
 * slot must be < cc_kv_seq_len(). */
size_t cc_kv_slot_offset(const cc_kv_seq *seq, int layer, int v, int kv_head, size_t slot);

/* Keep, in `layer`, for every KV head h the n_keep slots keep[h * n_keep + i] (strictly
 * increasing within a head, each < cc_kv_seq_len()), moving their K/V rows and positions to
 * slots 0..n_keep-1 and freeing blocks no longer needed. Shared blocks are copied first.
 * Errors: CC_EINVAL (unsorted or out-of-range index, naming head and index), CC_ENOMEM (no
 * block for a copy-on-write); on error nothing changed. */
int cc_kv_seq_compact(cc_kv_seq *seq, int layer, const int32_t *keep, size_t n_keep);

/* Blocks this sequence references (shared ones included), over all layers. */
size_t cc_kv_seq_blocks_held(const cc_kv_seq *seq);

#ifdef __cplusplus
}
#endif
#endif
