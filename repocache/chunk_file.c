/*
 * chunk_file.c - the repository cache's chunk files. One file per chunk, native byte order:
 *
 *   magic "CCREPOKV" | u32 format version | u32 key length | u64 checksum
 *   | key bytes | i32 n_layers, n_kv_heads, head_dim, dtype | u64 n_tokens
 *   | u64 kept[n_layers] | i32 ids[n_tokens] | payload (per layer: positions, K rows, V rows)
 *
 * The checksum covers everything after it. A reader checks the magic, the version, the key,
 * the shapes against the file's exact length, then the checksum, then that every position is
 * inside the chunk; anything else is a damaged file (deleted, reported as a miss). Writes go
 * to a temporary file in the same directory, renamed over the final name.
 */
#include "repocache_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

static const char MAGIC[8] = {'C', 'C', 'R', 'E', 'P', 'O', 'K', 'V'};
#define SEED 0xcbf29ce484222325ULL

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
	for (char *s = p + 1; ; s++) {
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
	uint32_t ver = CC_REPOCACHE_FORMAT, klen = (uint32_t)strlen(ch->key);
	int32_t shape[4] = {ch->n_layers, ch->n_kv_heads, ch->head_dim, ch->dtype};
	uint64_t nt = ch->n_tokens, sum = SEED, *kept = NULL;
	int rc;

	if ((rc = mkdirs(dir)))
		return rc;
	if (!(kept = malloc((size_t)ch->n_layers * sizeof(uint64_t))))
		return cc_error_set(CC_ENOMEM, "out of memory");
	for (int l = 0; l < ch->n_layers; l++)
		kept[l] = ch->kept[l];
	sum = rc_fnv1a(sum, ch->key, klen);
	sum = rc_fnv1a(sum, shape, sizeof(shape));
	sum = rc_fnv1a(sum, &nt, sizeof(nt));
	sum = rc_fnv1a(sum, kept, (size_t)ch->n_layers * sizeof(uint64_t));
	sum = rc_fnv1a(sum, ch->ids, ch->n_tokens * sizeof(int32_t));
	sum = rc_fnv1a(sum, ch->payload, ch->payload_bytes);
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
	    (ch->payload_bytes && fwrite(ch->payload, 1, ch->payload_bytes, f) != ch->payload_bytes) ||
	    fflush(f)) {
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
	return rc;
}

int rc_file_read(rc_chunk **out, const char *path, const char *ks, int *damaged)
{
	FILE *f = NULL;
	rc_chunk *ch = NULL;
	char *key = NULL;
	char magic[8];
	uint32_t ver, klen;
	int32_t shape[4];
	uint64_t sum, nt, *kept = NULL, got = SEED;
	size_t *keptz = NULL;
	long size;
	int rc = CC_ENOTFOUND;
	const char *why = NULL;

	*out = NULL;
	*damaged = 0;
	if (!(f = fopen(path, "rb")))
		return CC_ENOTFOUND;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		why = "cannot seek";
		goto bad;
	}
	if (fread(magic, 8, 1, f) != 1 || memcmp(magic, MAGIC, 8)) {
		why = "not a chunk file";
		goto bad;
	}
	if (fread(&ver, 4, 1, f) != 1 || ver != CC_REPOCACHE_FORMAT) {
		why = "another format version";
		goto bad;
	}
	if (fread(&klen, 4, 1, f) != 1 || fread(&sum, 8, 1, f) != 1 || klen != strlen(ks) ||
	    klen > (uint32_t)size) {
		why = "key length differs";
		goto bad;
	}
	if (!(key = malloc(klen + 1))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	if (fread(key, 1, klen, f) != klen || memcmp(key, ks, klen)) {
		why = "another key";
		goto bad;
	}
	if (fread(shape, sizeof(shape), 1, f) != 1 || fread(&nt, 8, 1, f) != 1 || shape[0] <= 0 ||
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
	if (fread(kept, sizeof(uint64_t), (size_t)shape[0], f) != (size_t)shape[0]) {
		why = "truncated";
		goto bad;
	}
	{
		/* the exact length the shapes imply, computed without overflow */
		uint64_t expect = 8 + 4 + 4 + 8 + klen + sizeof(shape) + 8 + 8 * (uint64_t)shape[0] +
		                  4 * nt;
		uint64_t row = (uint64_t)shape[2] * cc_kv_dtype_size(shape[3]);
		for (int l = 0; l < shape[0]; l++) {
			if (kept[l] > nt) {
				why = "bad shape";
				goto bad;
			}
			keptz[l] = (size_t)kept[l];
			expect += (uint64_t)shape[1] * kept[l] * (4 + 2 * row);
		}
		if (expect != (uint64_t)size) {
			why = "truncated or extended";
			goto bad;
		}
	}
	if ((rc = rc_chunk_alloc(&ch, ks, shape[0], shape[1], shape[2], shape[3], (size_t)nt,
	                         keptz)))
		goto out;
	rc = CC_ENOTFOUND;
	if (fread(ch->ids, sizeof(int32_t), ch->n_tokens, f) != ch->n_tokens ||
	    (ch->payload_bytes && fread(ch->payload, 1, ch->payload_bytes, f) != ch->payload_bytes)) {
		why = "truncated";
		goto bad;
	}
	got = rc_fnv1a(got, key, klen);
	got = rc_fnv1a(got, shape, sizeof(shape));
	got = rc_fnv1a(got, &nt, sizeof(nt));
	got = rc_fnv1a(got, kept, (size_t)shape[0] * sizeof(uint64_t));
	got = rc_fnv1a(got, ch->ids, ch->n_tokens * sizeof(int32_t));
	got = rc_fnv1a(got, ch->payload, ch->payload_bytes);
	if (got != sum) {
		why = "checksum mismatch";
		goto bad;
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
	(void)why;
	*damaged = 1;
	rc = CC_ENOTFOUND;
	unlink(path);
out:
	if (f)
		fclose(f);
	rc_chunk_free(ch);
	free(key);
	free(kept);
	free(keptz);
	return rc;
}

void cc_repocache_disk_usage(size_t *bytes, size_t *files, const char *dir)
{
	DIR *d;
	struct dirent *e;
	*bytes = 0;
	*files = 0;
	if (!dir || !(d = opendir(dir)))
		return;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		struct stat st;
		char p[4096];
		if (n < 4 || strcmp(e->d_name + n - 4, ".kvc"))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (!stat(p, &st) && S_ISREG(st.st_mode)) {
			*bytes += (size_t)st.st_size;
			(*files)++;
		}
	}
	closedir(d);
}
