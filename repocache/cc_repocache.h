/*
 * cc_repocache.h - the repository KV cache (target cc_repocache): file-level KV chunks reused
 * across queries and commits.
 *
 * A chunk is one file of a repository (one git blob at one path) prefilled alone from
 * position 0: an optional anchor (the model's BOS token, an attention sink of its own for
 * every independently encoded chunk), then the file's "# file: PATH\n" line and its tokens,
 * compressed with a policy at a budget using the file's query-agnostic structural priors, and
 * its kept K/V rows copied out. Chunks are keyed by (model, blob id, path, policy, budget,
 * anchor flag): held in memory (least recently used first out, within a byte limit) and on
 * disk in a directory the caller names (the agent uses one beside the repository's index),
 * one file per chunk: a header with magic, format version, the full key, the shapes, then the
 * token ids and rows, and a 64-bit checksum over all of it. A file that is truncated, damaged,
 * of another format or of another key is never used: lookups report a miss (and count it as
 * damaged), the caller recomputes and the file is replaced. Files are written to a temporary
 * name and renamed, so a reader never sees half a file.
 *
 * Assembly appends chunks one after another into a session: chunk i starts at the position
 * where chunk i-1's tokens end (its full length, kept or not, as in one joint prefill of the
 * same tokens), and its cached keys, stored after RoPE at their positions inside the chunk,
 * are rotated by the position delta (RoPE is a rotation: R(p + d) = R(d) R(p)). Rotating by
 * the delta was chosen over storing pre-rotation keys because it needs nothing from the
 * engine's forward pass (the stored rows are exactly the rows a prefill writes, so a cached
 * chunk and a freshly computed one are byte-identical, and a chunk at position 0 needs no
 * rotation at all); its cost is one float rounding of the composed rotation, checked against a
 * direct prefill in tests/repocache.
 *
 * Sessions of either engine: f32 caches (the CPU engine's default) rotate keys here; bf16
 * caches (the CUDA engine's) through cc_session_kv_append_rot, on the device for a CUDA
 * session (chunks are copied out of and into device memory in one batch per layer and kept
 * in host memory and on disk; the memory limit counts host bytes). Quantized caches
 * (INT8/INT4/INT2, kivi or rotated) on the CPU engine: a chunk is computed in full precision
 * (a session of its own in the root's element type, not a fork of the quantized root) and
 * stored so; assembly appends its rows in full precision and seals them as a prefill does,
 * so every row is quantized once, in the groups of the session it lands in. A chunk at
 * position 0 thus gives exactly the cache a prefill of its tokens in one forward pass leaves
 * (bit for bit: tests/repocache/test_repocache_quant.c); a longer prefill differs from it by
 * the rounding its later forward chunks see in the earlier, already quantized blocks. The
 * chunks are those of a full-precision session of the same element type. Quantized caches of
 * the CUDA engine are refused at assembly (CC_EUNSUPPORTED). Every function is thread-safe; a
 * chunk handle stays valid until released, even after eviction.
 */
#ifndef CC_REPOCACHE_H
#define CC_REPOCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "cc_engine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cc_repocache cc_repocache;
typedef struct cc_repocache_chunk cc_repocache_chunk;

#define CC_REPOCACHE_FORMAT 2  /* on-disk format version (2: payload byte planes + deflate) */
#define CC_REPOCACHE_FULL (-1) /* policy: keep every token */

typedef struct {
	size_t mem_bytes;  /* bytes of chunks held in memory at most; 0 = 256 MiB */
	size_t disk_bytes; /* bytes of chunk files per directory at most; 0 = 4 GiB. After a
	                      chunk file is written, the least recently used chunk files of its
	                      directory (by modification time: a lookup that finds a chunk,
	                      in memory or on disk, touches its file) are deleted until the
	                      rest fit; never the file just written (alone it may exceed the
	                      limit), never a file but a regular one named as a chunk file */
	size_t dev_bytes;  /* device tier: bytes of chunk rows kept in GPU memory for CUDA
	                      sessions (cc_repocache_assemble_in uploads a chunk on its first
	                      use there and reads its rows on the device afterwards; least
	                      recently used copies dropped to fit, never one being read);
	                      0 = no device tier. A chunk with a device copy stays in host
	                      memory too, so host memory holds at most mem_bytes + dev_bytes */
} cc_repocache_opts;

/* What identifies a chunk. All strings are copied when needed. */
typedef struct {
	const char *model; /* model identity (the agent: canonical directory, device, KV dtype) */
	const char *blob;  /* git blob id of the file (hex) */
	const char *path;  /* the file's path (its "# file:" line is part of the chunk) */
	int policy;        /* cc_policy, or CC_REPOCACHE_FULL */
	double budget;     /* share in (0, 1] (ignored for FULL) */
	int anchor;        /* 1: the chunk starts with BOS */
} cc_repocache_key;

typedef struct {
	size_t mem_bytes, mem_chunks, mem_limit; /* chunks in memory now */
	size_t hits_mem, hits_disk, misses;      /* lookups since the cache was made */
	size_t damaged;                          /* disk files refused (then recomputed) */
	size_t evicted;                          /* chunks dropped from memory by the limit */
	size_t computed;                         /* chunks prefilled */
	size_t write_errors;                     /* chunk files that could not be written */
	size_t disk_limit;                       /* the disk limit in force (bytes per dir) */
	size_t disk_evicted;                     /* chunk files deleted by the disk limit */
	size_t dev_bytes, dev_chunks, dev_limit; /* the device tier now */
	size_t hits_dev;                         /* chunks assembled from their device copy */
	size_t dev_uploads;                      /* chunks copied to the device */
	size_t dev_evicted;                      /* device copies dropped by the limit */
	size_t dev_failed;                       /* failed uploads: host rows used */
} cc_repocache_stats;

/* A new cache (o NULL = defaults). Errors: CC_ENOMEM. */
int cc_repocache_new(cc_repocache **out, const cc_repocache_opts *o);
/* Free the cache (chunks still held by callers stay valid until released). NULL is a no-op. */
void cc_repocache_free(cc_repocache *c);

/* Look a chunk up: in memory, else in directory dir (NULL: memory only), validated against
 * the key (a damaged file is counted, deleted and reported as a miss). *out receives a
 * reference (release it) and *from_disk (may be NULL) says where it came from. Errors:
 * CC_ENOTFOUND (a miss), CC_EINVAL (a key without model, blob or path, a bad budget),
 * CC_ENOMEM. */
int cc_repocache_get(cc_repocache_chunk **out, int *from_disk, cc_repocache *c,
                     const char *dir, const cc_repocache_key *key);

/* Compute a chunk and store it (in memory, and as a file in dir when dir is not NULL,
 * creating the directory): ids[0..n) are the file's tokens with its "# file:" line, prior and
 * protect (n entries each; may be NULL for FULL) its structural priors; bos is prepended when
 * key->anchor (prior 1, protected). The chunk is prefilled on a fork of root (an empty
 * session of the model, normally the shared pool's root; left unchanged) and compressed with
 * key->policy (codecomp and kvzip with the reconstruction attention of a repeat pass, in
 * passes of recon_chunk tokens, 0 = 256: the pool needs that room beyond the chunk). *out
 * receives a reference. Errors: CC_EINVAL (bad key, n == 0, anchor with bos < 0, priors
 * missing for a policy that needs them), the engine's and cc_compress's (CC_ENOMEM "kv cache
 * full"). A quantized root's chunk is computed in a full-precision session of its own
 * (N + 2 x recon_chunk tokens of memory while it runs). A file that cannot be written is not
 * an error (the chunk is returned and kept in memory; stats.write_errors counts it). */
int cc_repocache_compute(cc_repocache_chunk **out, cc_repocache *c, const char *dir,
                         const cc_repocache_key *key, cc_session *root, int32_t bos,
                         const int32_t *ids, size_t n, const float *prior,
                         const uint8_t *protect, size_t recon_chunk);

/* Drop a reference. NULL is a no-op. */
void cc_repocache_chunk_release(cc_repocache_chunk *ch);

/* A chunk's tokens (anchor included; owned by the chunk), their count, the rows it keeps per
 * KV head in layer 0, and its bytes (rows, positions and ids). */
const int32_t *cc_repocache_chunk_ids(const cc_repocache_chunk *ch, size_t *n);
size_t cc_repocache_chunk_kept(const cc_repocache_chunk *ch, int layer);
size_t cc_repocache_chunk_bytes(const cc_repocache_chunk *ch);

/* Append chunks ch[0..n) to session s (of the model the chunks were computed with, at the end
 * of what it holds: chunk 0 starts at its next position), keys rotated to their new
 * positions. *n_positions (may be NULL) receives the positions they span (the sum of their
 * token counts). Errors: CC_EINVAL (a chunk of another shape or dtype than s's pool, naming
 * it), CC_EUNSUPPORTED (neither f32 nor bf16, or quantized on the CUDA engine), CC_ENOMEM
 * ("kv cache full"); on error the chunks appended before stay in s. */
int cc_repocache_assemble(cc_session *s, const cc_model *m, cc_repocache_chunk *const *ch,
                          size_t n, size_t *n_positions);

/* cc_repocache_assemble through cache c's device tier: for a CUDA session (bf16 pool) and
 * opts.dev_bytes > 0, each chunk's rows are read from its device copy, made on first use
 * for m (a copy made for another model is not used; only chunks c computed or read get
 * one, others are read from host memory); a chunk that does not fit, or whose
 * upload fails, is assembled from host memory as before (stats say how many). The session
 * ends the same, bit for bit, either way. c NULL, a CPU session or no device tier: exactly
 * cc_repocache_assemble. Free c before the models its device copies were made for.
 * Errors as cc_repocache_assemble. */
int cc_repocache_assemble_in(cc_repocache *c, cc_session *s, const cc_model *m,
                             cc_repocache_chunk *const *ch, size_t n, size_t *n_positions);

/* Counters and memory use. */
void cc_repocache_stats_get(cc_repocache_stats *out, cc_repocache *c);

/* Bytes and chunk files in a cache directory (0 when it does not exist): regular files named
 * as chunk files (16 hex digits, ".kvc"); symbolic links and other files are not counted. */
void cc_repocache_disk_usage(size_t *bytes, size_t *files, const char *dir);

/* The path of key's file in dir: malloc'd (the caller frees), for tests and tools. Errors:
 * CC_EINVAL, CC_ENOMEM. */
int cc_repocache_file_path(char **out, const char *dir, const cc_repocache_key *key);

#ifdef __cplusplus
}
#endif
#endif
