/*
 * chunk_file.c - the repository cache's chunk files. One file per chunk, native byte order:
 *
 *   magic "CCREPOKV" | u32 format version | u32 key length | u64 checksum
 *   | key bytes | i32 n_layers, n_kv_heads, head_dim, dtype | u64 n_tokens
 *   | u64 kept[n_layers] | i32 ids[n_tokens] | u32 encoding | u64 packed length
 *   | the packed payload (per layer: positions, K rows, V rows)
 *
 * Encodings of the payload, both lossless (a chunk read back is bit for bit the chunk
 * written, so cached == fresh holds exactly): 0 = as it is in memory; 1 = byte planes then
 * deflate (zlib, fastest level): the payload read as elements of the rows' size (4 bytes for
 * f32, 2 for bf16) is split into planes (every element's byte 0, then every byte 1, ...), so
 * the sign-and-exponent bytes, which vary little, compress well; the low mantissa bytes are
 * close to random and barely do. The writer keeps encoding 0 when deflate does not save.
 * Rows are stored in the chunk's own element type: bf16 caches (the CUDA engine's) write bf16
 * rows, f32 caches f32 rows (rounding them to bf16 on disk would make a chunk read back
 * differ from the one computed).
 *
 * The checksum covers everything after it. A reader checks the magic, the version, the key,
 * the shapes against the file's exact length, then the checksum, then inflates to exactly the
 * length the shapes imply (never more than deflate's 1032:1 bound allows, so a small file
 * cannot claim a huge payload), then that every position is inside the chunk; anything else
 * is a damaged file (deleted, reported as a miss). Files of another format version are misses
 * too (and the version is part of the key, so their names differ). Writes go to a temporary
 * file in the same directory, renamed over the final name. The directory's disk limit deletes
 * least recently used chunk files (by modification time, which a lookup refreshes) and
 * nothing else: only regular files named as chunk files, by name relative to the directory,
 * links never followed.
 */
#include "repocache_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

static const char MAGIC[8] = {'C', 'C', 'R', 'E', 'P', 'O', 'K', 'V'};
#define SEED 0xcbf29ce484222325ULL
#define ENC_RAW 0
#define ENC_PLANES_DEFLATE 1
#define MAX_PAYLOAD ((uint64_t)1 << 40)

/* Byte planes of n bytes of es-byte elements: dst[b * m + i] = src[i * es + b], m = n / es;
 * unshuffle = 1 the other way. */
static void planes(uint8_t *dst, const uint8_t *src, size_t n, size_t es, int unshuffle)
{
	size_t m = n / es;
	for (size_t b = 0; b < es; b++) {
		uint8_t *pl = (unshuffle ? (uint8_t *)src : dst) + b * m;
		if (unshuffle)
			for (size_t i = 0; i < m; i++)
				dst[i * es + b] = pl[i];
		else
			for (size_t i = 0; i < m; i++)
				pl[i] = src[i * es + b];
	}
}

/* The payload as it goes to disk: *out (malloc'd) of *len bytes in encoding *enc. */
static int pack_payload(uint8_t **out, size_t *len, uint32_t *enc, const rc_chunk *ch)
{
	size_t n = ch->payload_bytes, es = cc_kv_dtype_size(ch->dtype);
	uint8_t *sh = NULL, *z = NULL;
	uLongf zl;
	*out = NULL;
	*len = 0;
	*enc = ENC_RAW;
	if (n && es && n % es == 0) {
		zl = compressBound((uLong)n);
		sh = malloc(n);
		z = malloc(zl);
		if (!sh || !z) {
			free(sh);
			free(z);
			return cc_error_set(CC_ENOMEM, "repo cache: out of memory");
		}
		planes(sh, ch->payload, n, es, 0);
		if (compress2(z, &zl, sh, (uLong)n, Z_BEST_SPEED) == Z_OK && zl < n) {
			free(sh);
			*out = z;
			*len = zl;
			*enc = ENC_PLANES_DEFLATE;
			return CC_OK;
		}
		free(sh);
		free(z);
	}
	if (!(*out = malloc(n ? n : 1)))
		return cc_error_set(CC_ENOMEM, "repo cache: out of memory");
	memcpy(*out, ch->payload, n);
	*len = n;
	return CC_OK;
}

int cc_repocache_file_path(char **out, const char *dir, const cc_repocache_key *key)
{
	char *ks = NULL;
	int rc;
	size_t len;
	*out = NULL;
	if (!dir || !*dir)
		return cc_error_set(CC_EINVAL, "repo cache: no directory");
	if ((rc = rc_key_string(&ks, key)))
		return rc;
	uint64_t h = rc_fnv1a(SEED, ks, strlen(ks));
	free(ks);
	len = strlen(dir) + 40;
	if (!(*out = malloc(len)))
		return cc_error_set(CC_ENOMEM, "repo cache: out of memory");
	snprintf(*out, len, "%s/%016llx.kvc", dir, (unsigned long long)h);
	return CC_OK;
}

/* mkdir -p for the cache directory (its parent must exist or be creatable the same way). */
static int mkdirs(const char *dir)
{
	char *p = strdup(dir);
	int rc = CC_OK;
	if (!p)
		return cc_error_set(CC_ENOMEM, "out of memory");
	for (char *s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = 0;
			if (mkdir(p, 0700) && errno != EEXIST) {
				rc = cc_error_set(CC_EIO, "repo cache: cannot create %.200s: %s", p,
				                  strerror(errno));
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

int rc_file_write(const rc_chunk *ch, const char *dir, const char *path)
{
	static unsigned counter;
	char *tmp = NULL;
	FILE *f = NULL;
	uint32_t ver = CC_REPOCACHE_FORMAT, klen = (uint32_t)strlen(ch->key), enc;
	int32_t shape[4] = {ch->n_layers, ch->n_kv_heads, ch->head_dim, ch->dtype};
	uint64_t nt = ch->n_tokens, sum = SEED, *kept = NULL, plen64;
	uint8_t *packed = NULL;
	size_t plen;
	int rc;

	if ((rc = mkdirs(dir)))
		return rc;
	if ((rc = pack_payload(&packed, &plen, &enc, ch)))
		return rc;
	plen64 = plen;
	if (!(kept = malloc((size_t)ch->n_layers * sizeof(uint64_t)))) {
		free(packed);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	for (int l = 0; l < ch->n_layers; l++)
		kept[l] = ch->kept[l];
	{
		/* the checksum runs over the bytes after it, in file order, as one stream */
		size_t total = klen + sizeof(shape) + 8 + (size_t)ch->n_layers * 8 +
		               ch->n_tokens * 4 + 4 + 8 + plen;
		size_t at = 0;
		uint8_t *tail = malloc(total);
		if (!tail) {
			free(kept);
			free(packed);
			return cc_error_set(CC_ENOMEM, "out of memory");
		}
		memcpy(tail + at, ch->key, klen);
		at += klen;
		memcpy(tail + at, shape, sizeof(shape));
		at += sizeof(shape);
		memcpy(tail + at, &nt, 8);
		at += 8;
		memcpy(tail + at, kept, (size_t)ch->n_layers * 8);
		at += (size_t)ch->n_layers * 8;
		memcpy(tail + at, ch->ids, ch->n_tokens * 4);
		at += ch->n_tokens * 4;
		memcpy(tail + at, &enc, 4);
		at += 4;
		memcpy(tail + at, &plen64, 8);
		at += 8;
		memcpy(tail + at, packed, plen);
		sum = rc_fnv1a(sum, tail, total);
		free(tail);
	}
	size_t tl = strlen(path) + 48;
	if (!(tmp = malloc(tl))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(tmp, tl, "%s.tmp.%ld.%u", path, (long)getpid(),
	         __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
	if (!(f = fopen(tmp, "wb"))) {
		rc = cc_error_set(CC_EIO, "repo cache: cannot write %.200s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fwrite(MAGIC, 8, 1, f) != 1 || fwrite(&ver, 4, 1, f) != 1 || fwrite(&klen, 4, 1, f) != 1 ||
	    fwrite(&sum, 8, 1, f) != 1 || fwrite(ch->key, 1, klen, f) != klen ||
	    fwrite(shape, sizeof(shape), 1, f) != 1 || fwrite(&nt, 8, 1, f) != 1 ||
	    fwrite(kept, sizeof(uint64_t), (size_t)ch->n_layers, f) != (size_t)ch->n_layers ||
	    fwrite(ch->ids, sizeof(int32_t), ch->n_tokens, f) != ch->n_tokens ||
	    fwrite(&enc, 4, 1, f) != 1 || fwrite(&plen64, 8, 1, f) != 1 ||
	    (plen && fwrite(packed, 1, plen, f) != plen) || fflush(f)) {
		rc = cc_error_set(CC_EIO, "repo cache: cannot write %.200s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fclose(f)) {
		f = NULL;
		rc = cc_error_set(CC_EIO, "repo cache: cannot write %.200s: %s", tmp, strerror(errno));
		goto out;
	}
	f = NULL;
	if (rename(tmp, path)) {
		rc = cc_error_set(CC_EIO, "repo cache: cannot rename to %.200s: %s", path,
		                  strerror(errno));
		goto out;
	}
	rc = CC_OK;
out:
	if (f)
		fclose(f);
	if (rc && tmp)
		unlink(tmp);
	free(tmp);
	free(kept);
	free(packed);
	return rc;
}

/* A bounds-checked reader over the file's bytes. */
typedef struct {
	const uint8_t *d;
	size_t n, at;
} rd;

static int take(rd *r, void *out, size_t n)
{
	if (n > r->n - r->at)
		return 0;
	memcpy(out, r->d + r->at, n);
	r->at += n;
	return 1;
}

int rc_chunk_parse(rc_chunk **out, const uint8_t *data, size_t size, const char *ks)
{
	rd r = {data, size, 0};
	rc_chunk *ch = NULL;
	char magic[8];
	uint32_t ver, klen;
	int32_t shape[4];
	uint64_t sum, nt, *kept = NULL, got = SEED, payload = 0, plen;
	uint32_t enc;
	size_t *keptz = NULL, key_at;
	uint8_t *sh = NULL;
	int rc = CC_EPARSE;
	const char *why = NULL;

	*out = NULL;
	if (!take(&r, magic, 8) || memcmp(magic, MAGIC, 8)) {
		why = "not a chunk file";
		goto bad;
	}
	if (!take(&r, &ver, 4) || ver != CC_REPOCACHE_FORMAT) {
		why = "another format version";
		goto bad;
	}
	if (!take(&r, &klen, 4) || !take(&r, &sum, 8) || klen != strlen(ks) ||
	    klen > r.n - r.at || memcmp(r.d + r.at, ks, klen)) {
		why = "another key";
		goto bad;
	}
	key_at = r.at;
	r.at += klen;
	if (!take(&r, shape, sizeof(shape)) || !take(&r, &nt, 8) || shape[0] <= 0 ||
	    shape[0] > 4096 || shape[1] <= 0 || shape[1] > 4096 || shape[2] <= 0 ||
	    shape[2] > 65536 || !cc_kv_dtype_size(shape[3]) || nt == 0 || nt > (1u << 30)) {
		why = "bad shape";
		goto bad;
	}
	kept = malloc((size_t)shape[0] * sizeof(uint64_t));
	keptz = malloc((size_t)shape[0] * sizeof(size_t));
	if (!kept || !keptz) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	if (!take(&r, kept, (size_t)shape[0] * sizeof(uint64_t))) {
		why = "truncated";
		goto bad;
	}
	{
		/* the payload's length the shapes imply: each term is below 2^61 (kept <= 2^30,
		 * heads <= 2^12, a row's bytes <= 2^19) and the sum is checked after each, so
		 * nothing overflows */
		uint64_t row = (uint64_t)shape[2] * cc_kv_dtype_size(shape[3]);
		for (int l = 0; l < shape[0]; l++) {
			if (kept[l] > nt) {
				why = "bad shape";
				goto bad;
			}
			keptz[l] = (size_t)kept[l];
			payload += (uint64_t)shape[1] * kept[l] * (4 + 2 * row);
			if (payload > MAX_PAYLOAD) {
				why = "bad shape";
				goto bad;
			}
		}
	}
	{
		/* after the ids: the encoding and the packed length, which must end the file */
		rd h = r;
		if (4 * nt > h.n - h.at) {
			why = "truncated";
			goto bad;
		}
		h.at += (size_t)(4 * nt);
		if (!take(&h, &enc, 4) || !take(&h, &plen, 8)) {
			why = "truncated";
			goto bad;
		}
		if (plen != (uint64_t)(size - h.at)) {
			why = "truncated or extended";
			goto bad;
		}
		/* deflate inflates 1032:1 at most: a small file cannot claim a huge payload */
		if ((enc == ENC_RAW && plen != payload) ||
		    (enc == ENC_PLANES_DEFLATE && (payload == 0 || payload / 1032 > plen)) ||
		    enc > ENC_PLANES_DEFLATE) {
			why = enc > ENC_PLANES_DEFLATE ? "unknown encoding" : "bad packed length";
			goto bad;
		}
	}
	got = rc_fnv1a(got, data + key_at, size - key_at);
	if (got != sum) {
		why = "checksum mismatch";
		goto bad;
	}
	if ((rc = rc_chunk_alloc(&ch, ks, shape[0], shape[1], shape[2], shape[3], (size_t)nt,
	                         keptz)))
		goto out;
	rc = CC_EPARSE;
	if (!take(&r, ch->ids, ch->n_tokens * sizeof(int32_t))) {
		why = "truncated";
		goto bad;
	}
	r.at += 12; /* encoding and length, read above */
	if (enc == ENC_RAW) {
		if (!take(&r, ch->payload, ch->payload_bytes)) {
			why = "truncated";
			goto bad;
		}
	} else {
		size_t es = cc_kv_dtype_size(ch->dtype);
		uLongf got_len = (uLongf)ch->payload_bytes;
		/* (positions and rows: a multiple of the element size) */
		if (!(sh = malloc(ch->payload_bytes))) {
			rc = cc_error_set(CC_ENOMEM, "repo cache: out of memory");
			goto out;
		}
		if (uncompress(sh, &got_len, r.d + r.at, (uLong)(r.n - r.at)) != Z_OK ||
		    got_len != (uLongf)ch->payload_bytes) {
			why = "bad deflate stream";
			goto bad;
		}
		planes(ch->payload, sh, ch->payload_bytes, es, 1);
	}
	for (int l = 0; l < ch->n_layers; l++) {
		int32_t *pos;
		void *k, *v;
		rc_chunk_rows(ch, l, &pos, &k, &v);
		for (size_t j = 0; j < (size_t)ch->n_kv_heads * ch->kept[l]; j++)
			if (pos[j] < 0 || (uint64_t)pos[j] >= nt ||
			    (j % ch->kept[l] && pos[j] <= pos[j - 1])) {
				why = "bad positions";
				goto bad;
			}
	}
	*out = ch;
	ch = NULL;
	rc = CC_OK;
	goto out;
bad:
	rc = cc_error_set(CC_EPARSE, "repo cache: chunk file refused: %s", why);
out:
	rc_chunk_free(ch);
	free(sh);
	free(kept);
	free(keptz);
	return rc;
}

int rc_file_read(rc_chunk **out, const char *path, const char *ks, int *damaged)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	*damaged = 0;
	rc = cc_read_file(&buf, &len, path, 0);
	if (rc == CC_ENOTFOUND)
		return CC_ENOTFOUND;
	if (rc == CC_ENOMEM)
		return rc;
	if (rc == CC_OK)
		rc = rc_chunk_parse(out, (const uint8_t *)buf, len, ks);
	free(buf);
	if (rc == CC_ENOMEM)
		return rc;
	if (rc) {
		*damaged = 1;
		unlink(path);
		return CC_ENOTFOUND;
	}
	return CC_OK;
}

/* A chunk file's name: 16 lower-case hex digits and ".kvc" (what cc_repocache_file_path makes). */
static int is_chunk_name(const char *n)
{
	for (int i = 0; i < 16; i++)
		if (!((n[i] >= '0' && n[i] <= '9') || (n[i] >= 'a' && n[i] <= 'f')))
			return 0;
	return !strcmp(n + 16, ".kvc");
}

void rc_file_touch(const char *path)
{
	/* both times now; a file deleted meanwhile (or a read-only directory) is not an error */
	(void)utimensat(AT_FDCWD, path, NULL, AT_SYMLINK_NOFOLLOW);
}

typedef struct {
	char name[24];
	size_t size;
	struct timespec mtime;
} rc_dent;

static int dent_older(const void *a, const void *b)
{
	const rc_dent *x = a, *y = b;
	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The chunk files of the open directory d (fd its descriptor): regular files only, by lstat. */
static int list_chunks(rc_dent **out, size_t *n, size_t *bytes, DIR *d)
{
	struct dirent *e;
	rc_dent *v = NULL;
	size_t cap = 0;
	int fd = dirfd(d);
	*out = NULL;
	*n = *bytes = 0;
	while ((e = readdir(d))) {
		struct stat st;
		if (!is_chunk_name(e->d_name) ||
		    fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if (*n == cap) {
			size_t nc = cap ? 2 * cap : 64;
			rc_dent *nv = realloc(v, nc * sizeof(*v));
			if (!nv) {
				free(v);
				*n = 0;
				return cc_error_set(CC_ENOMEM, "out of memory");
			}
			v = nv;
			cap = nc;
		}
		memcpy(v[*n].name, e->d_name, 21);
		v[*n].size = (size_t)st.st_size;
		v[*n].mtime = st.st_mtim;
		*bytes += (size_t)st.st_size;
		(*n)++;
	}
	*out = v;
	return CC_OK;
}

size_t rc_dir_trim(const char *dir, size_t limit, const char *keep)
{
	DIR *d;
	rc_dent *v = NULL;
	size_t n = 0, bytes = 0, deleted = 0;
	if (!dir || !(d = opendir(dir)))
		return 0;
	if (list_chunks(&v, &n, &bytes, d) || bytes <= limit)
		goto out;
	qsort(v, n, sizeof(*v), dent_older);
	for (size_t i = 0; i < n && bytes > limit; i++) {
		if (keep && !strcmp(v[i].name, keep))
			continue;
		/* by name inside the directory: never anything outside it, links not followed */
		if (!unlinkat(dirfd(d), v[i].name, 0)) {
			bytes -= v[i].size;
			deleted++;
		} else if (errno == ENOENT) {
			bytes -= v[i].size; /* another process's trim got there first */
		}
	}
out:
	free(v);
	closedir(d);
	return deleted;
}

void cc_repocache_disk_usage(size_t *bytes, size_t *files, const char *dir)
{
	DIR *d;
	rc_dent *v = NULL;
	*bytes = 0;
	*files = 0;
	if (!dir || !(d = opendir(dir)))
		return;
	if (list_chunks(&v, files, bytes, d))
		*files = *bytes = 0;
	free(v);
	closedir(d);
}
