/*
 * safetensors.h - reading safetensors files (engine internal): the header parser, which
 * validates every entry against the file size, and memory-mapped files.
 *
 * Format: 8 bytes little-endian header length N, N bytes of JSON mapping tensor names to
 * {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the byte after the
 * header) plus an optional "__metadata__" object, then the data.
 */
#ifndef CC_SAFETENSORS_H
#define CC_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#define CC_ST_MAX_DIMS 4

typedef struct {
	char *name;
	int dtype;           /* cc_kv_dtype, or -1 when the dtype is one we do not compute in */
	char dtype_name[16]; /* as written in the file ("BF16", "I64", ...) */
	int ndim;
	int64_t shape[CC_ST_MAX_DIMS];
	size_t begin, end; /* absolute byte offsets in the file */
} cc_st_tensor;

typedef struct {
	cc_st_tensor *t;
	size_t n;
} cc_st_header;

/* Parse the header of a safetensors file image buf[0..len) (the whole file, or at least the
 * header when `file_len` says how long the file is: data offsets are checked against
 * file_len). Fills *out (free with cc_st_header_free). Errors: CC_EPARSE (bad length, bad
 * JSON, a malformed entry), CC_EINVAL (data outside the file: truncated; size not matching
 * shape x dtype), each message starting with `what` (the file name) and naming the tensor. */
int cc_st_header_parse(cc_st_header *out, const void *buf, size_t len, size_t file_len,
                       const char *what);
void cc_st_header_free(cc_st_header *h);

/* A safetensors file mapped read-only. */
typedef struct cc_mapped_file {
	char *path;
	const unsigned char *map;
	size_t len;
	cc_st_header hdr;
} cc_mapped_file;

/* Map and parse `path`. Errors: CC_ENOTFOUND, CC_EIO, and those of cc_st_header_parse. */
int cc_mapped_file_open(cc_mapped_file **out, const char *path);
void cc_mapped_file_close(cc_mapped_file *f);

/* The entry named `name`, or NULL. */
const cc_st_tensor *cc_mapped_file_find(const cc_mapped_file *f, const char *name);

#endif
