/*
 * compress_int.h - functions shared between the compress module's files (not installed, not
 * part of cc_compress.h's API).
 */
#ifndef CC_COMPRESS_INT_H
#define CC_COMPRESS_INT_H

#include "cc_compress.h"

#include <stdint.h>

/* One (KV head, token) candidate of a layer-wide ranking (adakv and codecomp's head budgets). */
typedef struct {
	double score;
	int32_t idx;
	int32_t head;
} cc_head_cand;

/* qsort order of cc_head_cand: higher score first; then the later token; then the lower head
 * (compress/adakv.c). */
int cc_head_cand_cmp(const void *pa, const void *pb);

/* codecomp's ranking score of each middle context token (indices sinks .. n_ctx - window - 1,
 * in order) for one (layer, KV head), as cc_compress_select ranks them (the query-mode
 * weights applied when in->query): *out receives a malloc'd array of *nm scores, the
 * caller's to free. Errors: those of cc_compress_select's input checks, CC_ENOMEM. */
int cc_compress_codecomp_mid_scores(double **out, size_t *nm, const cc_compress_opts *o,
                                    const cc_compress_input *in);

/* cc_compress_select_heads for codecomp with head_adapt (compress/headalloc.c); arguments,
 * result and errors as there. */
int cc_compress_select_heads_codecomp(int32_t *keep, size_t *n_keep, const cc_compress_opts *o,
                                      const cc_compress_input *in, int n_heads);

/* n elements of a cache row of element type dtype (CC_KV_F32, CC_KV_BF16, else IEEE half) as
 * floats (compress/expected.c). */
void cc_compress_row_f32(float *out, const void *src, int dtype, int n);
/* Layer l's K and V rows of session s into *k and *v (all KV heads, head-major, as
 * cc_session_kv_export writes them), the buffers grown to hold them (*cap rows of row bytes
 * each, kept across layers; free them when done); *len its token count. k or v may be NULL:
 * that half is neither allocated nor copied. */
int cc_compress_export_layer(const cc_session *s, int l, size_t row, void **k, void **v,
                             size_t *cap, size_t *len);

#endif
