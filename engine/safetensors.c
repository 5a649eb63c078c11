/*
 * safetensors.c - safetensors header parsing (every entry checked: dtype, shape, offsets
 * inside the file, size = elements x element size) and read-only memory mapping.
 */
#include "safetensors.h"

#include "cc_common.h"
#include "cc_kv.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Header JSON above this size is refused (real headers are well under 10 MB). */
#define ST_MAX_HEADER ((uint64_t)100 << 20)

static int dtype_of(const char *s, size_t *esize)
{
	static const struct {
		const char *name;
		int dtype;
		size_t size;
	} tab[] = {
		{"F32", CC_KV_F32, 4},
		{"F16", CC_KV_F16, 2},
		{"BF16", CC_KV_BF16, 2},
		{"F64", -1, 8},
		{"I64", -1, 8},
		{"I32", -1, 4},
		{"I16", -1, 2},
		{"I8", -1, 1},
		{"U8", -1, 1},
		{"U16", -1, 2},
		{"U32", -1, 4},
		{"U64", -1, 8},
		{"BOOL", -1, 1},
		{"F8_E4M3", -1, 1},
		{"F8_E5M2", -1, 1},
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(s, tab[i].name)) {
			*esize = tab[i].size;
			return tab[i].dtype;
		}
	*esize = 0;
	return -2;
}

void cc_st_header_free(cc_st_header *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		free(h->t[i].name);
	free(h->t);
	h->t = NULL;
	h->n = 0;
}

int cc_st_header_parse(cc_st_header *out, const void *buf, size_t len, size_t file_len,
                       const char *what)
{
	const unsigned char *b = buf;
	uint64_t hlen = 0;
	json_t *root = NULL;
	json_error_t jerr;
	const char *key;
	json_t *val;
	size_t data_start, i = 0;
	int rc = CC_OK;

	memset(out, 0, sizeof(*out));
	if (len < 8 || file_len < 8)
		return cc_error_set(CC_EPARSE, "%s: truncated safetensors file (%zu bytes, no header)",
		                    what, file_len);
	for (int k = 7; k >= 0; k--)
		hlen = (hlen << 8) | b[k];
	if (hlen < 2 || hlen > ST_MAX_HEADER)
		return cc_error_set(CC_EPARSE, "%s: bad safetensors header length %llu", what,
		                    (unsigned long long)hlen);
	if (hlen > len - 8 || hlen > file_len - 8)
		return cc_error_set(CC_EINVAL,
		                    "%s: truncated safetensors file (header of %llu bytes, file %zu)",
		                    what, (unsigned long long)hlen, file_len);
	data_start = 8 + (size_t)hlen;
	root = json_loadb((const char *)b + 8, (size_t)hlen, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return cc_error_set(CC_EPARSE, "%s: safetensors header is not valid JSON: %s", what,
		                    jerr.text);
	if (!json_is_object(root)) {
		rc = cc_error_set(CC_EPARSE, "%s: safetensors header is not a JSON object", what);
		goto out;
	}
	out->t = calloc(json_object_size(root) + 1, sizeof(*out->t));
	if (!out->t) {
		rc = cc_error_set(CC_ENOMEM, "%s: out of memory", what);
		goto out;
	}
	json_object_foreach(root, key, val)
	{
		cc_st_tensor *t;
		json_t *dt, *shape, *offs, *e;
		size_t esize, nel = 1, idx;
		uint64_t o0, o1;

		if (!strcmp(key, "__metadata__"))
			continue;
		t = &out->t[i];
		dt = json_object_get(val, "dtype");
		shape = json_object_get(val, "shape");
		offs = json_object_get(val, "data_offsets");
		if (!json_is_object(val) || !json_is_string(dt) || !json_is_array(shape) ||
		    !json_is_array(offs) || json_array_size(offs) != 2) {
			rc = cc_error_set(CC_EPARSE,
			                  "%s: tensor '%s': entry needs dtype, shape and two data_offsets",
			                  what, key);
			goto out;
		}
		t->dtype = dtype_of(json_string_value(dt), &esize);
		if (t->dtype == -2) {
			rc = cc_error_set(CC_EPARSE, "%s: tensor '%s': unknown dtype '%.20s'", what, key,
			                  json_string_value(dt));
			goto out;
		}
		snprintf(t->dtype_name, sizeof(t->dtype_name), "%s", json_string_value(dt));
		if (json_array_size(shape) > CC_ST_MAX_DIMS) {
			rc = cc_error_set(CC_EUNSUPPORTED, "%s: tensor '%s': %zu dimensions (at most %d)",
			                  what, key, json_array_size(shape), CC_ST_MAX_DIMS);
			goto out;
		}
		t->ndim = (int)json_array_size(shape);
		json_array_foreach(shape, idx, e)
		{
			json_int_t d = json_is_integer(e) ? json_integer_value(e) : -1;
			if (d < 0 || (uint64_t)d > ((uint64_t)1 << 40) ||
			    (d && nel > SIZE_MAX / (size_t)d)) {
				rc = cc_error_set(CC_EPARSE, "%s: tensor '%s': bad shape", what, key);
				goto out;
			}
			t->shape[idx] = d;
			nel *= (size_t)d;
		}
		{
			json_t *a = json_array_get(offs, 0), *c = json_array_get(offs, 1);
			if (!json_is_integer(a) || !json_is_integer(c) || json_integer_value(a) < 0 ||
			    json_integer_value(c) < json_integer_value(a)) {
				rc = cc_error_set(CC_EPARSE, "%s: tensor '%s': bad data_offsets", what, key);
				goto out;
			}
			o0 = (uint64_t)json_integer_value(a);
			o1 = (uint64_t)json_integer_value(c);
		}
		if (nel > SIZE_MAX / esize || o1 - o0 != (uint64_t)(nel * esize)) {
			rc = cc_error_set(CC_EINVAL,
			                  "%s: tensor '%s': %llu data bytes but shape x %s needs %zu", what,
			                  key, (unsigned long long)(o1 - o0), t->dtype_name, nel * esize);
			goto out;
		}
		if (o1 > (uint64_t)(file_len - data_start)) {
			rc = cc_error_set(CC_EINVAL,
			                  "%s: tensor '%s': data ends at byte %llu but the file has %zu: "
			                  "truncated file",
			                  what, key, (unsigned long long)(o1 + data_start), file_len);
			goto out;
		}
		t->begin = data_start + (size_t)o0;
		t->end = data_start + (size_t)o1;
		t->name = strdup(key);
		if (!t->name) {
			rc = cc_error_set(CC_ENOMEM, "%s: out of memory", what);
			goto out;
		}
		i++;
		out->n = i;
	}
out:
	json_decref(root);
	if (rc)
		cc_st_header_free(out);
	return rc;
}

int cc_mapped_file_open(cc_mapped_file **out, const char *path)
{
	cc_mapped_file *f = NULL;
	struct stat st;
	int fd = -1, rc = CC_OK;
	void *map = MAP_FAILED;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cc_error_set(errno == ENOENT ? CC_ENOTFOUND : CC_EIO, "%s: %s", path,
		                    strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = cc_error_set(CC_EIO, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size < 8) {
		rc = cc_error_set(CC_EINVAL, "%s: truncated safetensors file (%lld bytes)", path,
		                  (long long)st.st_size);
		goto out;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		rc = cc_error_set(CC_EIO, "%s: mmap: %s", path, strerror(errno));
		goto out;
	}
	f = calloc(1, sizeof(*f));
	if (!f || !(f->path = strdup(path))) {
		rc = cc_error_set(CC_ENOMEM, "%s: out of memory", path);
		goto out;
	}
	f->map = map;
	f->len = (size_t)st.st_size;
	rc = cc_st_header_parse(&f->hdr, map, f->len, f->len, path);
	if (rc)
		goto out;
	map = MAP_FAILED;
	*out = f;
	f = NULL;
out:
	if (fd >= 0)
		close(fd);
	if (f) {
		free(f->path);
		free(f);
	}
	if (map != MAP_FAILED)
		munmap(map, (size_t)st.st_size);
	return rc;
}

void cc_mapped_file_close(cc_mapped_file *f)
{
	if (!f)
		return;
	cc_st_header_free(&f->hdr);
	munmap((void *)f->map, f->len);
	free(f->path);
	free(f);
}

const cc_st_tensor *cc_mapped_file_find(const cc_mapped_file *f, const char *name)
{
	for (size_t i = 0; i < f->hdr.n; i++)
		if (!strcmp(f->hdr.t[i].name, name))
			return &f->hdr.t[i];
	return NULL;
}
