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
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_KV_H
#define CC_KV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Element type of the stored rows. */
typedef enum {
	CC_KV_F32 = 0,
	CC_KV_F16 = 1,
	CC_KV_BF16 = 2
} cc_kv_dtype;

/* Bytes of one element of a cc_kv_dtype (0 for an unknown value). */
size_t cc_kv_dtype_size(int dtype);

/* One row move inside the pool, in bytes from the pool's base. */
typedef struct {
	size_t dst, src;
} cc_kv_move;

typedef struct cc_kv_pool cc_kv_pool;

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
	/* Optional: the row work of quantized pools (cc_kv_pool_new_quant) in memory the host
	 * cannot address. NULL in the host provider, whose rows kv/ reads and writes itself; a
	 * provider without both cannot hold a quantized pool. Both return cc_status; the pool's
	 * geometry comes from cc_kv_pool_config / cc_kv_pool_qlayout / cc_kv_block_offset.
	 * quant_blocks: for k < n, quantize full-precision block pairs[2k] into quantized block
	 * pairs[2k + 1]: every KV head's K and V rows read as f32, then cc_kv_qhead_quant
	 * (cc_kv_seq_seal). */
	int (*quant_blocks)(void *ctx, const cc_kv_pool *pool, const int32_t *pairs, size_t n);
	/* regroup (compaction of one layer): KV head h's row i < n_keep is the row of slot
	 * keep[h * n_keep + i] of the block table src[0..n_src); it goes to slot i of the block
	 * table dst[0..n_dst), whose leading blocks may be quantized (whole blocks, quantized
	 * again from the rows read as f32 in the original space) and the rest full precision.
	 * dst may reuse ids of src: every source row is read before a destination is written. */
	int (*regroup)(void *ctx, const cc_kv_pool *pool, const int32_t *src, size_t n_src,
	               const int32_t *keep, size_t n_keep, const int32_t *dst, size_t n_dst);
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

typedef struct cc_kv_seq cc_kv_seq;

typedef struct {
	size_t block_bytes;    /* bytes of one block (K and V, all KV heads, one layer) */
	size_t n_blocks;       /* capacity in blocks */
	size_t blocks_used;    /* blocks referenced by at least one sequence */
	size_t bytes_used;     /* blocks_used * block_bytes, exactly */
	size_t bytes_capacity; /* n_blocks * block_bytes, exactly */
	size_t n_seqs;         /* live sequences */
	/* quantized pools (0 otherwise): blocks_used, bytes_used and bytes_capacity above
	 * include the quantized area; these give it alone */
	size_t qblock_bytes, n_qblocks, qblocks_used;
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
 * first_slot[l] (array of n_layers) to the slot index where layer l's new tokens start (in a
 * ragged layer, head h's start at cc_kv_seq_head_slot(seq, l, h, first_slot[l]));
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

/* Number of tokens kept in `layer` (the same for every KV head of that layer; the longest
 * head's in a ragged layer, see below). */
size_t cc_kv_seq_len(const cc_kv_seq *seq, int layer);

/* Logical length: one past the highest position ever appended (the next token's position
 * when positions are consecutive); unchanged by compaction. */
int32_t cc_kv_seq_next_pos(const cc_kv_seq *seq);

/* The block table of `layer`: *n blocks, slot s lives in table[s / block_tokens] at
 * s % block_tokens. Valid until the next call that changes the sequence. */
const int32_t *cc_kv_seq_blocks(const cc_kv_seq *seq, int layer, size_t *n);

/* Original positions of the kept slots of (layer, kv_head): cc_kv_seq_head_len() entries, in
 * slot order. Valid until the next call that changes the sequence. */
const int32_t *cc_kv_seq_positions(const cc_kv_seq *seq, int layer, int kv_head);

/* Byte offset of the K (v = 0) or V (v = 1) row of slot `slot` of (layer, kv_head). The
 * slot must be < cc_kv_seq_head_len(). Rows of slots s .. s + bt - 1 - s % bt (one block's,
 * or one lane's in a ragged layer) are contiguous. */
size_t cc_kv_slot_offset(const cc_kv_seq *seq, int layer, int v, int kv_head, size_t slot);

/* Keep, in `layer`, for every KV head h the n_keep slots keep[h * n_keep + i] (strictly
 * increasing within a head, each < cc_kv_seq_len()), moving their K/V rows and positions to
 * slots 0..n_keep-1 and freeing blocks no longer needed. Shared blocks are copied first.
 * Errors: CC_EINVAL (unsorted or out-of-range index, naming head and index), CC_ENOMEM (no
 * block for a copy-on-write); on error nothing changed. On a quantized pool the kept rows are
 * read back (dequantized) and the layer rebuilt in new blocks, the leading full ones
 * quantized again and the residual window full precision, as cc_kv_seq_seal leaves it; rows
 * that stay in quantized blocks are quantized a second time with their new group (the error
 * stays within each format's bound of the first result, not of the original values). On a
 * provider's storage (regroup) an error of the provider (CC_ECUDA) leaves the layer empty. */
int cc_kv_seq_compact(cc_kv_seq *seq, int layer, const int32_t *keep, size_t n_keep);

/* ---- ragged layers: a different number of tokens per KV head (Ada-KV's head budgets) ----
 *
 * cc_kv_seq_compact_heads keeps n_keep[h] tokens in head h. Since a block holds every KV
 * head's rows, a layer whose heads differ in length is stored by lanes: a lane is one KV head
 * area of a block (bt = block_tokens K rows and bt V rows, where cc_kv_offset puts kv_head
 * `lane`), and each head of a ragged layer has its own table of lanes, lane k holding its
 * slots k*bt .. k*bt+bt-1. Heads share the layer's blocks: the layer holds exactly
 * ceil(sum_h ceil(len_h / bt) / n_kv_heads) blocks after a compaction (so the memory of the
 * tokens a head drops really returns to the pool: at most one partly filled lane per head
 * and one partly used block are wasted, against one partly filled block for a uniform
 * layer), and every other block goes back to the free list. Bytes are counted as ever, by
 * whole blocks (cc_kv_pool_stats, cc_kv_seq_bytes). Appends give each head's new lanes from
 * the free lanes of the layer's private blocks first, then from new blocks (a shared block
 * holding a head's partly filled last lane is copied first: copy-on-write as for uniform
 * layers). cc_kv_seq_len is the longest head's length; cc_kv_seq_blocks lists the blocks the
 * layer holds, but a slot's row is found through cc_kv_slot_offset only. A layer stays ragged
 * until cc_kv_seq_clear. Quantized pools and cc_kv_seq_append_layer refuse ragged layers
 * (CC_EUNSUPPORTED). */

/* Keep, in `layer`, n_keep[h] slots for KV head h (array of n_kv_heads counts): head h's
 * slots are keep[o_h .. o_h + n_keep[h]) with o_h = n_keep[0] + ... + n_keep[h-1], strictly
 * increasing, each < cc_kv_seq_head_len(h). Rows and positions move to the head's slots
 * 0 .. n_keep[h]-1, lanes are repacked into the fewest blocks and the rest freed. Equal
 * counts on a uniform layer are cc_kv_seq_compact. Errors: CC_EINVAL (as cc_kv_seq_compact,
 * naming head and index), CC_EUNSUPPORTED (different counts on a quantized pool), CC_ENOMEM
 * (no block for a copy-on-write copy); on error nothing changed. */
int cc_kv_seq_compact_heads(cc_kv_seq *seq, int layer, const int32_t *keep,
                            const size_t *n_keep);

/* 1 when `layer` is ragged (compacted with different per-head counts), else 0. */
int cc_kv_seq_ragged(const cc_kv_seq *seq, int layer);

/* Tokens kept in (layer, kv_head): cc_kv_seq_len() for a uniform layer. */
size_t cc_kv_seq_head_len(const cc_kv_seq *seq, int layer, int kv_head);

/* The slot of (layer, kv_head) that layer slot `slot` (as cc_kv_seq_append's first_slot[l]
 * + i gives for a new token i) denotes: in a ragged layer each head's new tokens follow its
 * own kept ones, slot - (cc_kv_seq_len() - cc_kv_seq_head_len()); the same slot in a uniform
 * layer. Valid for the tokens of the last append. */
size_t cc_kv_seq_head_slot(const cc_kv_seq *seq, int layer, int kv_head, size_t slot);

/* The lanes of (layer, kv_head) as lane ids block * n_kv_heads + lane, for per-head tables
 * (the CUDA attention's): head slot s is row s % block_tokens of lane ids[s / block_tokens],
 * i.e. cc_kv_offset(pool, id / n_kv_heads, v, id % n_kv_heads, s % block_tokens). A uniform
 * layer's head h gives blocks[k] * n_kv_heads + h. Writes ceil(cc_kv_seq_head_len /
 * block_tokens) ids into out (the caller sizes it; cc_kv_seq_blocks' count bounds it) and
 * returns their number. Not for quantized blocks (a quantized pool's layers are never
 * ragged; its uniform layers' ids would name quantized blocks). */
size_t cc_kv_seq_head_lanes(const cc_kv_seq *seq, int layer, int kv_head, int32_t *out);

/* Blocks this sequence references (shared ones included), over all layers. */
size_t cc_kv_seq_blocks_held(const cc_kv_seq *seq);

/* ---- quantized storage (kv/cc_kv_quant.c) ----
 *
 * A quantized pool (cc_kv_pool_new_quant) has two classes of blocks. Block ids
 * 0 .. n_blocks-1 are full-precision blocks laid out as above (cfg->dtype, bf16 in practice);
 * ids n_blocks .. n_blocks+n_qblocks-1 are quantized blocks of cc_kv_qlayout.block_bytes
 * each, stored after the full-precision area (cc_kv_block_offset). New tokens are always
 * written full precision; cc_kv_seq_seal then quantizes every full block that lies wholly
 * before the residual window (the last residual_tokens tokens of the layer), so a layer's
 * block table is always [quantized blocks...][full-precision blocks...], the quantized ones
 * full, and between residual_tokens and residual_tokens + block_tokens - 1 of the newest
 * tokens stay full precision.
 *
 * Inside a quantized block, the K half then the V half; each half holds per KV head
 * [data][params]: data = block_tokens rows of head_dim values packed at `bits` bits (value d
 * of a row at bit d * bits, little-endian within each byte), params = pairs of IEEE f16
 * (scale, min) with x = q * scale + min, q in 0 .. 2^bits - 1 (min rounded down, scale up, so
 * every value of the group is representable: |x - x'| <= scale / 2 up to f32 rounding):
 *   per-token groups   [slot][head_dim / group] pairs, a pair per `group` channels of a row;
 *   per-channel groups [head_dim] pairs, one per channel over the block's block_tokens
 *                      tokens (KIVI keys: the group is the block).
 * Methods: CC_KV_QUANT_KIVI: K per channel, V per token. CC_KV_QUANT_ROTATED: K and V rows
 * are multiplied by the normalized Hadamard matrix H (head_dim a power of two; H = H^T =
 * H^-1), which spreads channel outliers over the row, then quantized in per-token groups
 * (each token's own scale: OScaR's per-token scaling). Readers of a rotated block compute
 * q . k = (Hq) . (Hk) and sum the probability-weighted rows in the rotated space, rotating
 * the sum back once (cc_kv_hadamard).
 * Reported bytes (cc_kv_pool_stats, cc_kv_seq_bytes) count both classes, scales included. */

typedef enum {
	CC_KV_QUANT_NONE = 0,
	CC_KV_QUANT_KIVI = 1,
	CC_KV_QUANT_ROTATED = 2
} cc_kv_quant;

/* "kivi" / "rotated" / "none" -> cc_kv_quant; -1 when unknown. */
int cc_kv_quant_parse(const char *s);

/* Name of a cc_kv_quant value ("none", "kivi", "rotated"; "?" when unknown). */
const char *cc_kv_quant_name(int method);

/* Quantization of a pool. */
typedef struct {
	int method;          /* cc_kv_quant, not NONE */
	int bits;            /* 8, 4 or 2 */
	int residual_tokens; /* full-precision window, >= 0 (the engine uses block_tokens) */
	size_t n_qblocks;    /* capacity of the quantized area in blocks, > 0 */
} cc_kv_qconfig;

/* Where things are inside one quantized block (derived from cc_kv_config + cc_kv_qconfig). */
typedef struct {
	int method, bits;
	int group;         /* channels per per-token group: 32, or 16 when head_dim % 32 != 0 */
	int k_per_channel; /* K params per channel (KIVI) rather than per token */
	int rotate;        /* K and V rows rotated by H */
	int head_dim, block_tokens, n_kv_heads;
	size_t row_bytes;                  /* packed row: head_dim * bits / 8 */
	size_t k_head_bytes, v_head_bytes; /* one KV head's data + params in each half */
	size_t k_params_off, v_params_off; /* params within a head's part: block_tokens * row_bytes */
	size_t block_bytes;
} cc_kv_qlayout;

/* Fill *out for a pool of cfg quantized by q. Errors: CC_EINVAL (bits not 8/4/2, unknown
 * method, head_dim not a multiple of 16, or not a power of two for "rotated", naming it). */
int cc_kv_qlayout_get(cc_kv_qlayout *out, const cc_kv_config *cfg, const cc_kv_qconfig *q);

/* In-place normalized fast Walsh-Hadamard transform of x[0..n) (n a power of two):
 * x <- H x with H orthonormal and symmetric, so applying it twice gives x back. */
void cc_kv_hadamard(float *x, int n);

/* Quantize one KV head's half of a quantized block: rows (block_tokens x head_dim floats,
 * unrotated; all block_tokens rows are used) into dst (that head's part, k_head_bytes or
 * v_head_bytes). v: 0 = K (per channel for KIVI), 1 = V. scratch: block_tokens * head_dim
 * floats (rotation). No allocation, cannot fail. */
void cc_kv_qhead_quant(const cc_kv_qlayout *ly, int v, void *dst, const float *rows,
                       float *scratch);

/* Dequantize row `slot` of one KV head's half (src as in cc_kv_qhead_quant) into out
 * (head_dim floats) in the stored space: rotated for CC_KV_QUANT_ROTATED (apply
 * cc_kv_hadamard to get the original row). */
void cc_kv_qrow_dequant(const cc_kv_qlayout *ly, int v, const void *src, int slot, float *out);

/* Create a quantized pool: cfg->n_blocks full-precision blocks (the residual window and
 * tokens not yet sealed) plus q->n_qblocks quantized blocks, in one allocation of the
 * provider's. Host storage (storage NULL or cc_kv_storage_host()), or a provider with
 * quant_blocks and regroup (the CUDA backend's). Errors: as cc_kv_pool_new, CC_EINVAL from
 * cc_kv_qlayout_get, CC_EUNSUPPORTED for another storage provider. */
int cc_kv_pool_new_quant(cc_kv_pool **out, const cc_kv_config *cfg, const cc_kv_qconfig *q,
                         const cc_kv_storage *storage, void *storage_ctx);

/* The pool's quantization layout, or NULL for a full-precision pool. */
const cc_kv_qlayout *cc_kv_pool_qlayout(const cc_kv_pool *pool);

/* The pool's residual window in tokens (0 for a full-precision pool). */
int cc_kv_pool_residual(const cc_kv_pool *pool);

/* 1 when block id `block` is a quantized block. */
int cc_kv_block_is_quant(const cc_kv_pool *pool, int32_t block);

/* Byte offset of block `block` (either class) from the pool's base. */
size_t cc_kv_block_offset(const cc_kv_pool *pool, int32_t block);

/* Quantize, in every layer, the full-precision blocks that lie wholly before the residual
 * window (the engine calls it after each forward pass, once the rows are written). A shared
 * block is left to its other holders: this sequence gets a new quantized copy. No-op on a
 * full-precision pool. Errors: CC_ENOMEM ("kv cache full" when the quantized area has no
 * free block; the blocks sealed so far stay sealed, the rest stay full precision: the cache
 * stays valid). */
int cc_kv_seq_seal(cc_kv_seq *seq);

/* Bytes of the blocks this sequence references (both classes, scales included). */
size_t cc_kv_seq_bytes(const cc_kv_seq *seq);

#ifdef __cplusplus
}
#endif
#endif
