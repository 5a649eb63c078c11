/*
 * cc_kv.c - paged KV cache bookkeeping: the block allocator (free list, reference counts,
 * exact byte accounting), per-sequence block tables and original positions, copy-on-write
 * forks and per-head compaction. Block data is reached only through the storage provider, so
 * the same code serves host and device pools; the host provider is at the end.
 */
#include "cc_kv.h"

#include "cc_common.h"
#include "kv_int.h"

#include <stdlib.h>
#include <string.h>

struct cc_kv_pool {
	cc_kv_config cfg;
	const cc_kv_storage *st;
	void *st_ctx;
	void *base;
	size_t block_bytes, row_bytes;
	uint32_t *refs;    /* per block */
	int32_t *free_ids; /* stack of free block ids */
	size_t n_free;
	size_t n_seqs;
	/* quantized pools: blocks n_blocks .. n_blocks + n_qblocks - 1 (cc_kv.h) */
	int quant;
	int residual;
	cc_kv_qlayout ql;
	size_t n_qblocks;
	int32_t *qfree_ids;
	size_t n_qfree;
	size_t qbase; /* byte offset of the quantized area */
};

/* A lane: the rows of one KV head's place in a block (cc_kv.h, "ragged layers"): bi indexes the
 * layer's block table (so a copy-on-write copy only replaces the table entry), lane is the
 * head area inside that block (0 .. n_kv_heads-1). */
typedef struct {
	int32_t bi, lane;
} kv_lane;

typedef struct {
	int32_t *blocks;
	size_t n_blocks, blocks_cap;
	size_t len;   /* uniform: every head's length; ragged: the longest head's */
	int32_t *pos; /* [n_kv_heads][pos_cap] */
	size_t pos_cap;
	/* ragged layers only (NULL otherwise): per-head lengths and lane tables */
	size_t *hlen;   /* [n_kv_heads] */
	kv_lane *lanes; /* [n_kv_heads][lanes_cap]: head h's slot s in lanes[h * cap + s / bt] */
	size_t lanes_cap;
} kv_layer;

struct cc_kv_seq {
	cc_kv_pool *pool;
	kv_layer *layers;
	int32_t next_pos;
};

size_t cc_kv_dtype_size(int dtype)
{
	switch (dtype) {
	case CC_KV_F32:
		return 4;
	case CC_KV_F16:
	case CC_KV_BF16:
		return 2;
	default:
		return 0;
	}
}

static int pool_create(cc_kv_pool **out, const cc_kv_config *cfg, const cc_kv_qconfig *q,
                       const cc_kv_storage *storage, void *storage_ctx)
{
	cc_kv_pool *p = NULL;
	int rc;
	size_t es, total;

	*out = NULL;
	if (!cfg)
		return cc_error_set(CC_EINVAL, "kv pool: no configuration");
	if (cfg->n_layers <= 0 || cfg->n_kv_heads <= 0 || cfg->head_dim <= 0 ||
	    cfg->block_tokens <= 0 || cfg->n_blocks == 0)
		return cc_error_set(CC_EINVAL,
		                    "kv pool: n_layers %d, n_kv_heads %d, head_dim %d, block_tokens %d, "
		                    "n_blocks %zu must all be positive",
		                    cfg->n_layers, cfg->n_kv_heads, cfg->head_dim, cfg->block_tokens,
		                    cfg->n_blocks);
	es = cc_kv_dtype_size(cfg->dtype);
	if (!es)
		return cc_error_set(CC_EINVAL, "kv pool: unknown dtype %d", cfg->dtype);
	if (cfg->n_blocks > INT32_MAX)
		return cc_error_set(CC_ETOOBIG, "kv pool: %zu blocks is over the limit", cfg->n_blocks);
	p = calloc(1, sizeof(*p));
	if (!p)
		return cc_error_set(CC_ENOMEM, "kv pool: out of memory");
	p->cfg = *cfg;
	p->st = storage ? storage : cc_kv_storage_host();
	p->st_ctx = storage_ctx;
	p->row_bytes = (size_t)cfg->head_dim * es;
	p->block_bytes = 2 * (size_t)cfg->n_kv_heads * (size_t)cfg->block_tokens * p->row_bytes;
	if (p->block_bytes / p->row_bytes / 2 / (size_t)cfg->block_tokens != (size_t)cfg->n_kv_heads ||
	    cfg->n_blocks > SIZE_MAX / p->block_bytes) {
		rc = cc_error_set(CC_ETOOBIG, "kv pool: size overflows");
		goto fail;
	}
	total = cfg->n_blocks * p->block_bytes;
	if (q) {
		if ((rc = cc_kv_qlayout_get(&p->ql, cfg, q)))
			goto fail;
		if (q->n_qblocks == 0 || q->n_qblocks > INT32_MAX - cfg->n_blocks ||
		    q->n_qblocks > (SIZE_MAX - total) / p->ql.block_bytes) {
			rc = cc_error_set(CC_ETOOBIG, "kv pool: %zu quantized blocks", q->n_qblocks);
			goto fail;
		}
		p->quant = q->method;
		p->residual = q->residual_tokens;
		p->n_qblocks = q->n_qblocks;
		p->qbase = total;
		total += q->n_qblocks * p->ql.block_bytes;
	}
	p->refs = calloc(cfg->n_blocks + p->n_qblocks, sizeof(*p->refs));
	p->free_ids = malloc(cfg->n_blocks * sizeof(*p->free_ids));
	p->qfree_ids = malloc((p->n_qblocks ? p->n_qblocks : 1) * sizeof(*p->qfree_ids));
	if (!p->refs || !p->free_ids || !p->qfree_ids) {
		rc = cc_error_set(CC_ENOMEM, "kv pool: out of memory for %zu blocks", cfg->n_blocks);
		goto fail;
	}
	/* Stack with block 0 on top, so allocation order is 0, 1, 2, ... */
	for (size_t i = 0; i < cfg->n_blocks; i++)
		p->free_ids[i] = (int32_t)(cfg->n_blocks - 1 - i);
	p->n_free = cfg->n_blocks;
	for (size_t i = 0; i < p->n_qblocks; i++)
		p->qfree_ids[i] = (int32_t)(cfg->n_blocks + p->n_qblocks - 1 - i);
	p->n_qfree = p->n_qblocks;
	rc = p->st->alloc(p->st_ctx, &p->base, total);
	if (rc) {
		if (!cc_error_last()[0])
			cc_error_set(rc, "kv pool: %s storage could not allocate %zu bytes", p->st->name,
			             total);
		goto fail;
	}
	*out = p;
	return CC_OK;
fail:
	free(p->refs);
	free(p->free_ids);
	free(p->qfree_ids);
	free(p);
	return rc;
}

int cc_kv_pool_new(cc_kv_pool **out, const cc_kv_config *cfg, const cc_kv_storage *storage,
                   void *storage_ctx)
{
	return pool_create(out, cfg, NULL, storage, storage_ctx);
}

int cc_kv_pool_new_quant(cc_kv_pool **out, const cc_kv_config *cfg, const cc_kv_qconfig *q,
                         const cc_kv_storage *storage, void *storage_ctx)
{
	*out = NULL;
	if (!q || q->method == CC_KV_QUANT_NONE)
		return cc_error_set(CC_EINVAL, "kv pool: no quantization given");
	if (storage && storage != cc_kv_storage_host() &&
	    (!storage->quant_blocks || !storage->regroup))
		return cc_error_set(CC_EUNSUPPORTED,
		                    "kv pool: quantized blocks need host storage or "
		                    "a provider that quantizes them, not %s",
		                    storage->name);
	return pool_create(out, cfg, q, storage, storage_ctx);
}

const cc_kv_qlayout *cc_kv_pool_qlayout(const cc_kv_pool *pool)
{
	return pool->quant ? &pool->ql : NULL;
}

int cc_kv_pool_residual(const cc_kv_pool *pool)
{
	return pool->quant ? pool->residual : 0;
}

int cc_kv_block_is_quant(const cc_kv_pool *pool, int32_t block)
{
	return (size_t)block >= pool->cfg.n_blocks;
}

size_t cc_kv_block_offset(const cc_kv_pool *pool, int32_t block)
{
	if ((size_t)block >= pool->cfg.n_blocks)
		return pool->qbase + ((size_t)block - pool->cfg.n_blocks) * pool->ql.block_bytes;
	return (size_t)block * pool->block_bytes;
}

static size_t block_size_of(const cc_kv_pool *p, int32_t b)
{
	return (size_t)b >= p->cfg.n_blocks ? p->ql.block_bytes : p->block_bytes;
}

void cc_kv_pool_free(cc_kv_pool *pool)
{
	if (!pool)
		return;
	CC_ASSERT(pool->n_seqs == 0);
	pool->st->release(pool->st_ctx, pool->base);
	free(pool->refs);
	free(pool->free_ids);
	free(pool->qfree_ids);
	free(pool);
}

const cc_kv_config *cc_kv_pool_config(const cc_kv_pool *pool)
{
	return &pool->cfg;
}

void cc_kv_pool_stats_get(cc_kv_pool_stats *out, const cc_kv_pool *pool)
{
	out->block_bytes = pool->block_bytes;
	out->n_blocks = pool->cfg.n_blocks;
	out->blocks_used = pool->cfg.n_blocks - pool->n_free;
	out->bytes_used = out->blocks_used * pool->block_bytes;
	out->bytes_capacity = pool->cfg.n_blocks * pool->block_bytes;
	out->n_seqs = pool->n_seqs;
	out->qblock_bytes = pool->quant ? pool->ql.block_bytes : 0;
	out->n_qblocks = pool->n_qblocks;
	out->qblocks_used = pool->n_qblocks - pool->n_qfree;
	out->blocks_used += out->qblocks_used;
	out->bytes_used += out->qblocks_used * out->qblock_bytes;
	out->bytes_capacity += pool->n_qblocks * out->qblock_bytes;
}

void *cc_kv_pool_base(const cc_kv_pool *pool)
{
	return pool->base;
}

size_t cc_kv_block_bytes(const cc_kv_pool *pool)
{
	return pool->block_bytes;
}

size_t cc_kv_offset(const cc_kv_pool *pool, int32_t block, int v, int kv_head, int slot)
{
	return (size_t)block * pool->block_bytes + (size_t)(v ? 1 : 0) * (pool->block_bytes / 2) +
	       ((size_t)kv_head * (size_t)pool->cfg.block_tokens + (size_t)slot) * pool->row_bytes;
}

static int32_t block_take(cc_kv_pool *p)
{
	CC_ASSERT(p->n_free > 0);
	int32_t b = p->free_ids[--p->n_free];
	CC_ASSERT(p->refs[b] == 0);
	p->refs[b] = 1;
	return b;
}

static int32_t qblock_take(cc_kv_pool *p)
{
	CC_ASSERT(p->n_qfree > 0);
	int32_t b = p->qfree_ids[--p->n_qfree];
	CC_ASSERT(p->refs[b] == 0);
	p->refs[b] = 1;
	return b;
}

static void block_put(cc_kv_pool *p, int32_t b)
{
	CC_ASSERT(b >= 0 && (size_t)b < p->cfg.n_blocks + p->n_qblocks && p->refs[b] > 0);
	if (--p->refs[b] == 0) {
		if ((size_t)b >= p->cfg.n_blocks)
			p->qfree_ids[p->n_qfree++] = b;
		else
			p->free_ids[p->n_free++] = b;
	}
}

int cc_kv_seq_new(cc_kv_seq **out, cc_kv_pool *pool)
{
	cc_kv_seq *s = calloc(1, sizeof(*s));
	*out = NULL;
	if (!s)
		return cc_error_set(CC_ENOMEM, "kv sequence: out of memory");
	s->layers = calloc((size_t)pool->cfg.n_layers, sizeof(*s->layers));
	if (!s->layers) {
		free(s);
		return cc_error_set(CC_ENOMEM, "kv sequence: out of memory");
	}
	s->pool = pool;
	pool->n_seqs++;
	*out = s;
	return CC_OK;
}

static void layers_free(kv_layer *ls, int n)
{
	for (int l = 0; l < n; l++) {
		free(ls[l].blocks);
		free(ls[l].pos);
		free(ls[l].hlen);
		free(ls[l].lanes);
	}
	free(ls);
}

int cc_kv_seq_fork(cc_kv_seq **out, const cc_kv_seq *src)
{
	cc_kv_pool *p = src->pool;
	int nl = p->cfg.n_layers, nh = p->cfg.n_kv_heads;
	cc_kv_seq *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return cc_error_set(CC_ENOMEM, "kv fork: out of memory");
	s->layers = calloc((size_t)nl, sizeof(*s->layers));
	if (!s->layers)
		goto nomem;
	for (int l = 0; l < nl; l++) {
		const kv_layer *a = &src->layers[l];
		kv_layer *b = &s->layers[l];
		if (a->n_blocks) {
			b->blocks = malloc(a->n_blocks * sizeof(int32_t));
			if (!b->blocks)
				goto nomem;
			memcpy(b->blocks, a->blocks, a->n_blocks * sizeof(int32_t));
		}
		b->n_blocks = b->blocks_cap = a->n_blocks;
		b->len = a->len;
		if (a->pos_cap) {
			b->pos = malloc((size_t)nh * a->pos_cap * sizeof(int32_t));
			if (!b->pos)
				goto nomem;
			memcpy(b->pos, a->pos, (size_t)nh * a->pos_cap * sizeof(int32_t));
		}
		b->pos_cap = a->pos_cap;
		if (a->hlen) {
			b->hlen = malloc((size_t)nh * sizeof(size_t));
			b->lanes = malloc((size_t)nh * a->lanes_cap * sizeof(kv_lane));
			if (!b->hlen || !b->lanes)
				goto nomem;
			memcpy(b->hlen, a->hlen, (size_t)nh * sizeof(size_t));
			memcpy(b->lanes, a->lanes, (size_t)nh * a->lanes_cap * sizeof(kv_lane));
			b->lanes_cap = a->lanes_cap;
		}
	}
	for (int l = 0; l < nl; l++)
		for (size_t i = 0; i < s->layers[l].n_blocks; i++)
			p->refs[s->layers[l].blocks[i]]++;
	s->pool = p;
	s->next_pos = src->next_pos;
	p->n_seqs++;
	*out = s;
	return CC_OK;
nomem:
	if (s->layers)
		layers_free(s->layers, nl);
	free(s);
	return cc_error_set(CC_ENOMEM, "kv fork: out of memory");
}

void cc_kv_seq_clear(cc_kv_seq *seq)
{
	for (int l = 0; l < seq->pool->cfg.n_layers; l++) {
		kv_layer *L = &seq->layers[l];
		for (size_t i = 0; i < L->n_blocks; i++)
			block_put(seq->pool, L->blocks[i]);
		L->n_blocks = 0;
		L->len = 0;
		free(L->hlen);
		free(L->lanes);
		L->hlen = NULL;
		L->lanes = NULL;
		L->lanes_cap = 0;
	}
	seq->next_pos = 0;
}

void cc_kv_seq_free(cc_kv_seq *seq)
{
	if (!seq)
		return;
	cc_kv_seq_clear(seq);
	seq->pool->n_seqs--;
	layers_free(seq->layers, seq->pool->cfg.n_layers);
	free(seq);
}

/* Grow a layer's block table to hold nb block indices (no pool change). */
static int grow_blocks(kv_layer *L, size_t nb)
{
	if (nb <= L->blocks_cap)
		return CC_OK;
	size_t cap = L->blocks_cap ? L->blocks_cap : 4;
	while (cap < nb)
		cap *= 2;
	int32_t *b = realloc(L->blocks, cap * sizeof(int32_t));
	if (!b)
		return CC_ENOMEM;
	L->blocks = b;
	L->blocks_cap = cap;
	return CC_OK;
}

/* Grow an array of nh rows of *cap elements (row h at h * *cap) to rows of at least `need`
 * (doubling from `first`), keeping the first `keep` elements of each row. */
static int grow_rows(void **arr, size_t *cap, size_t need, size_t first, int nh, size_t elem,
                     size_t keep)
{
	if (need <= *cap)
		return CC_OK;
	size_t c = *cap ? *cap : first;
	while (c < need)
		c *= 2;
	char *n = malloc((size_t)nh * c * elem);
	if (!n)
		return CC_ENOMEM;
	for (int h = 0; h < nh && keep; h++)
		memcpy(n + (size_t)h * c * elem, (char *)*arr + (size_t)h * *cap * elem, keep * elem);
	free(*arr);
	*arr = n;
	*cap = c;
	return CC_OK;
}

/* Grow a layer's block table and position arrays to hold `len` tokens (no pool change). */
static int layer_reserve(kv_layer *L, size_t len, int bt, int nh)
{
	int rc = grow_blocks(L, (len + (size_t)bt - 1) / (size_t)bt);
	if (rc == CC_OK)
		rc = grow_rows((void **)&L->pos, &L->pos_cap, len, 64, nh, sizeof(int32_t), L->len);
	return rc;
}

/* Replace block index bi of layer L by a private copy when it is shared. */
static int layer_unshare(cc_kv_pool *p, kv_layer *L, size_t bi)
{
	int32_t old = L->blocks[bi];
	if (p->refs[old] <= 1)
		return CC_OK;
	int32_t nb = cc_kv_block_is_quant(p, old) ? qblock_take(p) : block_take(p);
	int rc = p->st->copy(p->st_ctx, p->base, cc_kv_block_offset(p, nb),
	                     cc_kv_block_offset(p, old), block_size_of(p, old));
	if (rc) {
		block_put(p, nb);
		return rc;
	}
	block_put(p, old);
	L->blocks[bi] = nb;
	return CC_OK;
}

/* ---- ragged layers (per-head lengths; cc_kv.h) ---- */

static size_t ceil_div(size_t a, size_t b)
{
	return (a + b - 1) / b;
}

static size_t head_len(const kv_layer *L, int h)
{
	return L->hlen ? L->hlen[h] : L->len;
}

static kv_lane *head_lanes(const kv_layer *L, int h)
{
	return L->lanes + (size_t)h * L->lanes_cap;
}

/* Byte offset of row `slot` of head h in ragged layer L. */
static size_t lane_row(const cc_kv_pool *p, const kv_layer *L, int h, int v, size_t slot)
{
	size_t bt = (size_t)p->cfg.block_tokens;
	kv_lane ln = head_lanes(L, h)[slot / bt];
	return cc_kv_offset(p, L->blocks[ln.bi], v, ln.lane, (int)(slot % bt));
}

/* Index of the block holding head h's partly filled last lane, or -1 (none, or the block is
 * private). */
static int32_t shared_tail(const cc_kv_pool *p, const kv_layer *L, int h)
{
	size_t bt = (size_t)p->cfg.block_tokens;
	if (L->hlen[h] % bt == 0)
		return -1;
	int32_t bi = head_lanes(L, h)[L->hlen[h] / bt].bi;
	return p->refs[L->blocks[bi]] > 1 ? bi : -1;
}

/* 1 when block index bi of ragged layer L is private or will be copied before an append
 * (it holds a head's partly filled last lane). */
static int will_be_private(const cc_kv_pool *p, const kv_layer *L, size_t bi)
{
	if (p->refs[L->blocks[bi]] == 1)
		return 1;
	for (int h = 0; h < p->cfg.n_kv_heads; h++)
		if (shared_tail(p, L, h) == (int32_t)bi)
			return 1;
	return 0;
}

/* What appending n tokens to every head of ragged layer L takes: *copies shared blocks that
 * hold a head's partly filled last lane (copied before the write), *fresh new blocks for the
 * lanes that the free lanes of the layer's private blocks (the copies included) cannot give.
 * No allocation (cc_kv_seq_append_need cannot fail). */
static void ragged_plan(const cc_kv_pool *p, const kv_layer *L, size_t n, size_t *copies,
                        size_t *fresh)
{
	int nh = p->cfg.n_kv_heads;
	size_t bt = (size_t)p->cfg.block_tokens, need = 0, priv = 0, used_priv = 0;

	*copies = 0;
	for (int h = 0; h < nh; h++) {
		int32_t bi = shared_tail(p, L, h);
		int seen = 0;
		for (int g = 0; g < h && bi >= 0; g++)
			seen |= shared_tail(p, L, g) == bi;
		if (bi >= 0 && !seen)
			(*copies)++;
		need += ceil_div(L->hlen[h] + n, bt) - ceil_div(L->hlen[h], bt);
	}
	if (!need) {
		*fresh = 0;
		return;
	}
	for (size_t bi = 0; bi < L->n_blocks; bi++)
		if (will_be_private(p, L, bi))
			priv++;
	for (int h = 0; h < nh; h++)
		for (size_t k = 0; k < ceil_div(L->hlen[h], bt); k++)
			used_priv += (size_t)will_be_private(p, L, (size_t)head_lanes(L, h)[k].bi);
	size_t usable = priv * (size_t)nh - used_priv;
	*fresh = need > usable ? ceil_div(need - usable, (size_t)nh) : 0;
}

/* Grow ragged layer L's tables for heads of up to `len` tokens and `extra` more blocks (host
 * memory only, no pool change). */
static int ragged_reserve(kv_layer *L, size_t len, size_t extra, int bt, int nh)
{
	int rc = grow_blocks(L, L->n_blocks + extra);
	if (rc == CC_OK)
		rc = grow_rows((void **)&L->lanes, &L->lanes_cap, ceil_div(len, (size_t)bt), 4, nh,
		               sizeof(kv_lane), L->lanes_cap);
	if (rc == CC_OK)
		rc = grow_rows((void **)&L->pos, &L->pos_cap, len, 64, nh, sizeof(int32_t), L->len);
	return rc;
}

/* Append n tokens (positions pos, the same for every head) to ragged layer L, as ragged_plan
 * counted: copy the shared blocks holding partly filled last lanes, then give each head's new
 * lanes from the free lanes of private blocks in table order, then from new blocks. used:
 * scratch of (n_blocks + fresh) * n_kv_heads bytes. Tables were reserved. */
static int ragged_append(cc_kv_pool *p, kv_layer *L, size_t n, const int32_t *pos,
                         uint8_t *used)
{
	int nh = p->cfg.n_kv_heads, rc;
	size_t bt = (size_t)p->cfg.block_tokens, cb = 0;
	int cl = 0;

	for (int h = 0; h < nh; h++) {
		int32_t bi = shared_tail(p, L, h);
		if (bi >= 0 && (rc = layer_unshare(p, L, (size_t)bi)))
			return rc;
	}
	memset(used, 0, L->n_blocks * (size_t)nh);
	for (int h = 0; h < nh; h++)
		for (size_t k = 0; k < ceil_div(L->hlen[h], bt); k++) {
			kv_lane ln = head_lanes(L, h)[k];
			used[(size_t)ln.bi * (size_t)nh + (size_t)ln.lane] = 1;
		}
	for (int h = 0; h < nh; h++) {
		kv_lane *hl = head_lanes(L, h);
		for (size_t k = ceil_div(L->hlen[h], bt); k < ceil_div(L->hlen[h] + n, bt); k++) {
			for (;;) {
				if (cb == L->n_blocks) {
					L->blocks[L->n_blocks++] = block_take(p);
					memset(used + cb * (size_t)nh, 0, (size_t)nh);
				}
				if (p->refs[L->blocks[cb]] == 1 && !used[cb * (size_t)nh + (size_t)cl])
					break;
				if (++cl == nh) {
					cl = 0;
					cb++;
				}
			}
			used[cb * (size_t)nh + (size_t)cl] = 1;
			hl[k] = (kv_lane){(int32_t)cb, cl};
		}
		memcpy(L->pos + (size_t)h * L->pos_cap + L->hlen[h], pos, n * sizeof(int32_t));
		L->hlen[h] += n;
	}
	L->len += n;
	return CC_OK;
}

int cc_kv_seq_append(cc_kv_seq *seq, size_t n, const int32_t *pos, int32_t *first_slot)
{
	cc_kv_pool *p = seq->pool;
	int bt = p->cfg.block_tokens, nh = p->cfg.n_kv_heads, nl = p->cfg.n_layers;
	size_t need = 0, used_n = 0;
	uint8_t *used = NULL;
	int32_t maxpos = -1;

	if (n == 0 || !pos)
		return cc_error_set(CC_EINVAL, "kv append: no tokens");
	for (size_t i = 0; i < n; i++) {
		if (pos[i] < 0)
			return cc_error_set(CC_EINVAL, "kv append: negative position %d at %zu",
			                    (int)pos[i], i);
		if (pos[i] > maxpos)
			maxpos = pos[i];
	}
	for (int l = 0; l < nl; l++) {
		kv_layer *L = &seq->layers[l];
		if (L->hlen) {
			size_t copies, fresh;
			ragged_plan(p, L, n, &copies, &fresh);
			need += copies + fresh;
			if (ragged_reserve(L, L->len + n, fresh, bt, nh))
				return cc_error_set(CC_ENOMEM, "kv append: out of host memory");
			if ((L->n_blocks + fresh) * (size_t)nh > used_n)
				used_n = (L->n_blocks + fresh) * (size_t)nh;
			continue;
		}
		size_t nb = (L->len + n + (size_t)bt - 1) / (size_t)bt;
		need += nb - L->n_blocks;
		if (L->len % (size_t)bt && p->refs[L->blocks[L->n_blocks - 1]] > 1)
			need++;
		if (layer_reserve(L, L->len + n, bt, nh))
			return cc_error_set(CC_ENOMEM, "kv append: out of host memory");
	}
	if (need > p->n_free)
		return cc_error_set(CC_ENOMEM,
		                    "kv cache full: %zu more blocks needed, %zu of %zu free", need,
		                    p->n_free, p->cfg.n_blocks);
	if (used_n && !(used = malloc(used_n)))
		return cc_error_set(CC_ENOMEM, "kv append: out of host memory");
	for (int l = 0; l < nl; l++) {
		kv_layer *L = &seq->layers[l];
		if (L->hlen) {
			if (first_slot)
				first_slot[l] = (int32_t)L->len;
			int rc = ragged_append(p, L, n, pos, used);
			if (rc) {
				free(used);
				return rc;
			}
			continue;
		}
		if (L->len % (size_t)bt) {
			int rc = layer_unshare(p, L, L->n_blocks - 1);
			if (rc) {
				free(used);
				return rc; /* only a failing provider copy; earlier layers stay valid */
			}
		}
		size_t nb = (L->len + n + (size_t)bt - 1) / (size_t)bt;
		while (L->n_blocks < nb)
			L->blocks[L->n_blocks++] = block_take(p);
		for (int h = 0; h < nh; h++)
			memcpy(L->pos + (size_t)h * L->pos_cap + L->len, pos, n * sizeof(int32_t));
		if (first_slot)
			first_slot[l] = (int32_t)L->len;
		L->len += n;
	}
	free(used);
	if (maxpos + 1 > seq->next_pos)
		seq->next_pos = maxpos + 1;
	return CC_OK;
}

int cc_kv_seq_append_layer(cc_kv_seq *seq, int layer, size_t n, const int32_t *pos,
                           int32_t *first_slot)
{
	cc_kv_pool *p = seq->pool;
	int bt = p->cfg.block_tokens, nh = p->cfg.n_kv_heads;
	size_t need;
	int32_t maxpos = -1;
	kv_layer *L;

	if (layer < 0 || layer >= p->cfg.n_layers)
		return cc_error_set(CC_EINVAL, "kv append: layer %d out of range", layer);
	if (n == 0 || !pos)
		return cc_error_set(CC_EINVAL, "kv append: no tokens");
	for (size_t i = 0; i < n * (size_t)nh; i++) {
		if (pos[i] < 0)
			return cc_error_set(CC_EINVAL, "kv append: negative position %d at %zu",
			                    (int)pos[i], i);
		if (pos[i] > maxpos)
			maxpos = pos[i];
	}
	L = &seq->layers[layer];
	if (L->hlen)
		return cc_error_set(CC_EUNSUPPORTED,
		                    "kv append: layer %d keeps a different number "
		                    "of tokens per KV head (compacted per head); appending one "
		                    "layer alone is not supported there",
		                    layer);
	need = (L->len + n + (size_t)bt - 1) / (size_t)bt - L->n_blocks;
	if (L->len % (size_t)bt && p->refs[L->blocks[L->n_blocks - 1]] > 1)
		need++;
	if (layer_reserve(L, L->len + n, bt, nh))
		return cc_error_set(CC_ENOMEM, "kv append: out of host memory");
	if (need > p->n_free)
		return cc_error_set(CC_ENOMEM,
		                    "kv cache full: %zu more blocks needed, %zu of %zu free", need,
		                    p->n_free, p->cfg.n_blocks);
	if (L->len % (size_t)bt) {
		int rc = layer_unshare(p, L, L->n_blocks - 1);
		if (rc)
			return rc;
	}
	size_t nb = (L->len + n + (size_t)bt - 1) / (size_t)bt;
	while (L->n_blocks < nb)
		L->blocks[L->n_blocks++] = block_take(p);
	for (int h = 0; h < nh; h++)
		memcpy(L->pos + (size_t)h * L->pos_cap + L->len, pos + (size_t)h * n,
		       n * sizeof(int32_t));
	if (first_slot)
		*first_slot = (int32_t)L->len;
	L->len += n;
	if (maxpos + 1 > seq->next_pos)
		seq->next_pos = maxpos + 1;
	return CC_OK;
}

size_t cc_kv_seq_append_need(const cc_kv_seq *seq, size_t n)
{
	const cc_kv_pool *p = seq->pool;
	size_t bt = (size_t)p->cfg.block_tokens, need = 0;
	for (int l = 0; l < p->cfg.n_layers; l++) {
		const kv_layer *L = &seq->layers[l];
		if (L->hlen) {
			size_t copies, fresh;
			ragged_plan(p, L, n, &copies, &fresh);
			need += copies + fresh;
			continue;
		}
		need += (L->len + n + bt - 1) / bt - L->n_blocks;
		if (L->len % bt && p->refs[L->blocks[L->n_blocks - 1]] > 1)
			need++;
	}
	return need;
}

size_t cc_kv_pool_free_blocks(const cc_kv_pool *pool)
{
	return pool->n_free;
}

size_t cc_kv_seq_len(const cc_kv_seq *seq, int layer)
{
	return seq->layers[layer].len;
}

int32_t cc_kv_seq_next_pos(const cc_kv_seq *seq)
{
	return seq->next_pos;
}

const int32_t *cc_kv_seq_blocks(const cc_kv_seq *seq, int layer, size_t *n)
{
	*n = seq->layers[layer].n_blocks;
	return seq->layers[layer].blocks;
}

const int32_t *cc_kv_seq_positions(const cc_kv_seq *seq, int layer, int kv_head)
{
	const kv_layer *L = &seq->layers[layer];
	return L->pos ? L->pos + (size_t)kv_head * L->pos_cap : NULL;
}

size_t cc_kv_seq_head_len(const cc_kv_seq *seq, int layer, int kv_head)
{
	return head_len(&seq->layers[layer], kv_head);
}

int cc_kv_seq_ragged(const cc_kv_seq *seq, int layer)
{
	return seq->layers[layer].hlen != NULL;
}

size_t cc_kv_seq_head_slot(const cc_kv_seq *seq, int layer, int kv_head, size_t slot)
{
	const kv_layer *L = &seq->layers[layer];
	return slot - (L->len - head_len(L, kv_head));
}

size_t cc_kv_seq_head_lanes(const cc_kv_seq *seq, int layer, int kv_head, int32_t *out)
{
	const kv_layer *L = &seq->layers[layer];
	int32_t nh = (int32_t)seq->pool->cfg.n_kv_heads;
	size_t n = ceil_div(head_len(L, kv_head), (size_t)seq->pool->cfg.block_tokens);
	for (size_t k = 0; k < n; k++) {
		if (L->hlen) {
			kv_lane ln = head_lanes(L, kv_head)[k];
			out[k] = L->blocks[ln.bi] * nh + ln.lane;
		} else {
			out[k] = L->blocks[k] * nh + kv_head;
		}
	}
	return n;
}

size_t cc_kv_slot_offset(const cc_kv_seq *seq, int layer, int v, int kv_head, size_t slot)
{
	const kv_layer *L = &seq->layers[layer];
	size_t bt = (size_t)seq->pool->cfg.block_tokens;
	if (L->hlen) {
		CC_ASSERT(slot < L->hlen[kv_head]);
		return lane_row(seq->pool, L, kv_head, v, slot);
	}
	CC_ASSERT(slot < L->len);
	CC_ASSERT(!cc_kv_block_is_quant(seq->pool, L->blocks[slot / bt]));
	return cc_kv_offset(seq->pool, L->blocks[slot / bt], v, kv_head, (int)(slot % bt));
}

/* ---- quantized pools: reading and writing rows, sealing, compaction ---- */

/* Row `slot` of (block, v, head) as f32 in the original (unrotated) space. */
static void row_read(const cc_kv_pool *p, int32_t block, int v, int h, int slot, float *out)
{
	const char *base = p->base;
	int hd = p->cfg.head_dim;
	if (cc_kv_block_is_quant(p, block)) {
		const cc_kv_qlayout *ly = &p->ql;
		const char *part = base + cc_kv_block_offset(p, block) +
		                   (v ? (size_t)ly->n_kv_heads * ly->k_head_bytes +
		                                    (size_t)h * ly->v_head_bytes
		                      : (size_t)h * ly->k_head_bytes);
		cc_kv_qrow_dequant(ly, v, part, slot, out);
		if (ly->rotate)
			cc_kv_hadamard(out, hd);
		return;
	}
	const void *src = base + cc_kv_offset(p, block, v, h, slot);
	if (p->cfg.dtype == CC_KV_F32) {
		memcpy(out, src, (size_t)hd * sizeof(float));
	} else {
		const uint16_t *u = src;
		for (int d = 0; d < hd; d++) {
			if (p->cfg.dtype == CC_KV_BF16) {
				union {
					uint32_t i;
					float f;
				} c;
				c.i = (uint32_t)u[d] << 16;
				out[d] = c.f;
			} else {
				out[d] = cc_kvq_h2f(u[d]);
			}
		}
	}
}

static void row_write(cc_kv_pool *p, int32_t block, int v, int h, int slot, const float *x)
{
	void *dst = (char *)p->base + cc_kv_offset(p, block, v, h, slot);
	int hd = p->cfg.head_dim;
	if (p->cfg.dtype == CC_KV_F32) {
		memcpy(dst, x, (size_t)hd * sizeof(float));
		return;
	}
	uint16_t *u = dst;
	for (int d = 0; d < hd; d++) {
		if (p->cfg.dtype == CC_KV_BF16) {
			union {
				uint32_t i;
				float f;
			} c;
			c.f = x[d];
			if ((c.i & 0x7fffffffu) > 0x7f800000u) /* NaN stays NaN */
				u[d] = (uint16_t)((c.i >> 16) | 0x40);
			else
				u[d] = (uint16_t)((c.i + 0x7fffu + ((c.i >> 16) & 1)) >> 16);
		} else {
			u[d] = cc_kvq_f2h(x[d]);
		}
	}
}

/* Quantize rows (per head: block_tokens x head_dim floats of K at k + h * kstride, of V at
 * v + h * kstride) into quantized block qb. */
static void qblock_write(cc_kv_pool *p, int32_t qb, const float *k, const float *v,
                         size_t kstride, float *scratch)
{
	const cc_kv_qlayout *ly = &p->ql;
	char *blk = (char *)p->base + cc_kv_block_offset(p, qb);
	for (int h = 0; h < ly->n_kv_heads; h++) {
		cc_kv_qhead_quant(ly, 0, blk + (size_t)h * ly->k_head_bytes, k + (size_t)h * kstride,
		                  scratch);
		cc_kv_qhead_quant(ly, 1,
		                  blk + (size_t)ly->n_kv_heads * ly->k_head_bytes +
		                          (size_t)h * ly->v_head_bytes,
		                  v + (size_t)h * kstride, scratch);
	}
}

/* Blocks of a layer of n tokens that are quantized (the leading ones). */
static size_t sealed_blocks(const cc_kv_pool *p, size_t n)
{
	size_t R = (size_t)p->residual, bt = (size_t)p->cfg.block_tokens;
	return n >= R + bt ? (n - R) / bt : 0;
}

/* cc_kv_seq_seal on a provider's storage: the blocks to seal are listed (layer by layer, as
 * the host path seals them, until the quantized area runs out) and quantized in one call. */
static int seal_provider(cc_kv_seq *seq)
{
	cc_kv_pool *p = seq->pool;
	int32_t *pairs = NULL;
	size_t *where = NULL, n = 0, cap = 0;
	int rc = CC_OK, full = 0;

	for (int l = 0; l < p->cfg.n_layers && !full; l++) {
		kv_layer *L = &seq->layers[l];
		size_t ns = sealed_blocks(p, L->len);
		for (size_t b = 0; b < ns; b++) {
			if (cc_kv_block_is_quant(p, L->blocks[b]))
				continue;
			if (!p->n_qfree) {
				full = 1;
				break;
			}
			if (n == cap) {
				size_t nc = cap ? 2 * cap : 64;
				int32_t *np = realloc(pairs, 2 * nc * sizeof(*pairs));
				if (np)
					pairs = np;
				size_t *nw = np ? realloc(where, 2 * nc * sizeof(*where)) : NULL;
				if (!np || !nw) {
					rc = cc_error_set(CC_ENOMEM, "kv seal: out of memory");
					goto undo;
				}
				where = nw;
				cap = nc;
			}
			pairs[2 * n] = L->blocks[b];
			pairs[2 * n + 1] = qblock_take(p);
			where[2 * n] = (size_t)l;
			where[2 * n + 1] = b;
			L->blocks[b] = pairs[2 * n + 1];
			n++;
		}
	}
	if (n && (rc = p->st->quant_blocks(p->st_ctx, p, pairs, n)))
		goto undo;
	for (size_t k = 0; k < n; k++)
		block_put(p, pairs[2 * k]);
	if (full)
		rc = cc_error_set(CC_ENOMEM,
		                  "kv cache full: no free quantized block (%zu in the pool)",
		                  p->n_qblocks);
	goto out;
undo: /* nothing was sealed: the tables get their full-precision blocks back */
	for (size_t k = 0; k < n; k++) {
		seq->layers[where[2 * k]].blocks[where[2 * k + 1]] = pairs[2 * k];
		block_put(p, pairs[2 * k + 1]);
	}
out:
	free(pairs);
	free(where);
	return rc;
}

int cc_kv_seq_seal(cc_kv_seq *seq)
{
	cc_kv_pool *p = seq->pool;
	int nh = p->cfg.n_kv_heads, hd = p->cfg.head_dim, bt = p->cfg.block_tokens;
	size_t per = (size_t)bt * (size_t)hd, nrow = (size_t)nh * per;
	float *buf = NULL;
	int rc = CC_OK;

	if (!p->quant)
		return CC_OK;
	if (p->st->quant_blocks)
		return seal_provider(seq);
	for (int l = 0; l < p->cfg.n_layers; l++) {
		kv_layer *L = &seq->layers[l];
		size_t ns = sealed_blocks(p, L->len);
		for (size_t b = 0; b < ns; b++) {
			int32_t old = L->blocks[b];
			if (cc_kv_block_is_quant(p, old))
				continue;
			if (!p->n_qfree) {
				rc = cc_error_set(CC_ENOMEM,
				                  "kv cache full: no free quantized block "
				                  "(%zu in the pool)",
				                  p->n_qblocks);
				goto out;
			}
			if (!buf && !(buf = malloc(3 * nrow * sizeof(float)))) {
				rc = cc_error_set(CC_ENOMEM, "kv seal: out of memory");
				goto out;
			}
			for (int h = 0; h < nh; h++)
				for (int t = 0; t < bt; t++) {
					row_read(p, old, 0, h, t, buf + (size_t)h * per + (size_t)t * hd);
					row_read(p, old, 1, h, t, buf + nrow + (size_t)h * per + (size_t)t * hd);
				}
			int32_t qb = qblock_take(p);
			qblock_write(p, qb, buf, buf + nrow, per, buf + 2 * nrow);
			block_put(p, old);
			L->blocks[b] = qb;
		}
	}
out:
	free(buf);
	return rc;
}

size_t cc_kv_seq_bytes(const cc_kv_seq *seq)
{
	const cc_kv_pool *p = seq->pool;
	size_t n = 0;
	for (int l = 0; l < p->cfg.n_layers; l++)
		for (size_t i = 0; i < seq->layers[l].n_blocks; i++)
			n += block_size_of(p, seq->layers[l].blocks[i]);
	return n;
}

/* compact_quant on a provider's storage: the new table (nq quantized blocks, then full
 * precision ones: nb in all) is made as the host path makes it, the provider moves the rows. */
static int compact_provider(cc_kv_seq *seq, int layer, const int32_t *keep, size_t n_keep,
                            size_t nq, size_t nb)
{
	cc_kv_pool *p = seq->pool;
	kv_layer *L = &seq->layers[layer];
	int nh = p->cfg.n_kv_heads;
	int32_t *old = malloc((L->n_blocks + 1) * sizeof(*old));
	size_t n_old = L->n_blocks;
	int rc;

	if (!old)
		return cc_error_set(CC_ENOMEM, "kv compact: out of memory");
	memcpy(old, L->blocks, n_old * sizeof(*old));
	for (size_t i = 0; i < n_old; i++)
		block_put(p, old[i]);
	for (size_t b = 0; b < nb; b++)
		L->blocks[b] = b < nq ? qblock_take(p) : block_take(p);
	rc = p->st->regroup(p->st_ctx, p, old, n_old, keep, n_keep, L->blocks, nb);
	free(old);
	if (rc) { /* the rows are lost: an empty layer keeps the bookkeeping consistent */
		for (size_t b = 0; b < nb; b++)
			block_put(p, L->blocks[b]);
		L->n_blocks = 0;
		L->len = 0;
		return rc;
	}
	for (int h = 0; h < nh; h++) {
		int32_t *ps = L->pos + (size_t)h * L->pos_cap;
		for (size_t i = 0; i < n_keep; i++)
			ps[i] = ps[keep[(size_t)h * n_keep + i]];
	}
	L->n_blocks = nb;
	L->len = n_keep;
	return CC_OK;
}

/* Compaction of a quantized pool's layer (arguments checked by the caller): the kept rows are
 * read back as f32 (dequantized), the layer's blocks released, and the layer rebuilt in new
 * blocks: the leading full blocks quantized again, the residual window full precision. */
static int compact_quant(cc_kv_seq *seq, int layer, const int32_t *keep, size_t n_keep)
{
	cc_kv_pool *p = seq->pool;
	kv_layer *L = &seq->layers[layer];
	int nh = p->cfg.n_kv_heads, hd = p->cfg.head_dim;
	size_t bt = (size_t)p->cfg.block_tokens, per = n_keep * (size_t)hd;
	size_t nq = sealed_blocks(p, n_keep), nb = (n_keep + bt - 1) / bt, nf = nb - nq;
	size_t rel_q = 0, rel_f = 0;
	float *tmp = NULL, *blk = NULL;
	int rc = CC_OK;

	for (size_t i = 0; i < L->n_blocks; i++)
		if (p->refs[L->blocks[i]] == 1) {
			if (cc_kv_block_is_quant(p, L->blocks[i]))
				rel_q++;
			else
				rel_f++;
		}
	if (nq > p->n_qfree + rel_q || nf > p->n_free + rel_f)
		return cc_error_set(CC_ENOMEM,
		                    "kv compact: %zu quantized and %zu full blocks needed, "
		                    "%zu and %zu available",
		                    nq, nf, p->n_qfree + rel_q,
		                    p->n_free + rel_f);
	if (p->st->regroup)
		return compact_provider(seq, layer, keep, n_keep, nq, nb);
	tmp = malloc((2 * (size_t)nh * per + 3 * (size_t)nh * bt * (size_t)hd + 1) *
	             sizeof(float));
	if (!tmp)
		return cc_error_set(CC_ENOMEM, "kv compact: out of memory");
	blk = tmp + 2 * (size_t)nh * per;
	for (int h = 0; h < nh; h++)
		for (size_t i = 0; i < n_keep; i++) {
			size_t src = (size_t)keep[(size_t)h * n_keep + i];
			int32_t b = L->blocks[src / bt];
			row_read(p, b, 0, h, (int)(src % bt), tmp + (size_t)h * per + i * (size_t)hd);
			row_read(p, b, 1, h, (int)(src % bt),
			         tmp + (size_t)nh * per + (size_t)h * per + i * (size_t)hd);
		}
	for (size_t i = 0; i < L->n_blocks; i++)
		block_put(p, L->blocks[i]);
	for (size_t b = 0; b < nb; b++) {
		if (b < nq) {
			size_t bsz = bt * (size_t)hd, nrow = (size_t)nh * bsz;
			int32_t qb = qblock_take(p);
			for (int h = 0; h < nh; h++) {
				memcpy(blk + (size_t)h * bsz, tmp + (size_t)h * per + b * bsz,
				       bsz * sizeof(float));
				memcpy(blk + nrow + (size_t)h * bsz,
				       tmp + (size_t)nh * per + (size_t)h * per + b * bsz, bsz * sizeof(float));
			}
			qblock_write(p, qb, blk, blk + nrow, bsz, blk + 2 * nrow);
			L->blocks[b] = qb;
		} else {
			int32_t fb = block_take(p);
			size_t cnt = n_keep - b * bt < bt ? n_keep - b * bt : bt;
			for (int h = 0; h < nh; h++)
				for (size_t t = 0; t < cnt; t++) {
					size_t i = b * bt + t;
					row_write(p, fb, 0, h, (int)t, tmp + (size_t)h * per + i * (size_t)hd);
					row_write(p, fb, 1, h, (int)t,
					          tmp + (size_t)nh * per + (size_t)h * per + i * (size_t)hd);
				}
			L->blocks[b] = fb;
		}
	}
	for (int h = 0; h < nh; h++) {
		int32_t *ps = L->pos + (size_t)h * L->pos_cap;
		for (size_t i = 0; i < n_keep; i++)
			ps[i] = ps[keep[(size_t)h * n_keep + i]];
	}
	L->n_blocks = nb;
	L->len = n_keep;
	free(tmp);
	return rc;
}

int cc_kv_seq_compact_heads(cc_kv_seq *seq, int layer, const int32_t *keep,
                            const size_t *n_keep)
{
	cc_kv_pool *p = seq->pool;
	int nh = p->cfg.n_kv_heads;
	size_t bt = (size_t)p->cfg.block_tokens, nb, oldc, tot = 0, nbk, need = 0, n_moves = 0;
	size_t n_rel = 0, max_cnt = 0, rows = 0, *off = NULL, *c = NULL;
	kv_layer *L;
	kv_lane *nl = NULL;
	uint8_t *used = NULL, *dirty = NULL;
	cc_kv_move *moves = NULL;
	struct {
		int h;
		size_t k;
		kv_lane dst;
	} *rel = NULL;
	int all_eq = 1, rc = CC_OK;

	if (layer < 0 || layer >= p->cfg.n_layers)
		return cc_error_set(CC_EINVAL, "kv compact: layer %d out of range", layer);
	if (!n_keep)
		return cc_error_set(CC_EINVAL, "kv compact: no per-head counts");
	L = &seq->layers[layer];
	for (int h = 0; h < nh; h++) {
		size_t cnt = n_keep[h], hn = head_len(L, h);
		if (cnt > hn)
			return cc_error_set(CC_EINVAL, "kv compact: head %d keeps %zu of %zu tokens", h,
			                    cnt, hn);
		if (cnt && !keep)
			return cc_error_set(CC_EINVAL, "kv compact: no keep list");
		for (size_t i = 0; i < cnt; i++) {
			int32_t k = keep[rows + i];
			if (k < 0 || (size_t)k >= hn)
				return cc_error_set(CC_EINVAL,
				                    "kv compact: head %d index %zu: slot %d out of range "
				                    "(length %zu)",
				                    h, i, (int)k, hn);
			if (i && k <= keep[rows + i - 1])
				return cc_error_set(CC_EINVAL,
				                    "kv compact: head %d index %zu: slots not strictly "
				                    "increasing",
				                    h, i);
		}
		rows += cnt;
		all_eq &= cnt == n_keep[0];
		if (cnt > max_cnt)
			max_cnt = cnt;
	}
	if (!L->hlen && all_eq)
		return cc_kv_seq_compact(seq, layer, keep, n_keep[0]);
	if (p->quant)
		return cc_error_set(CC_EUNSUPPORTED,
		                    "kv compact: a different number of tokens per "
		                    "KV head is not supported on a quantized pool (layer %d)",
		                    layer);
	nb = L->n_blocks;
	oldc = ceil_div(L->len, bt);
	off = malloc((size_t)nh * sizeof(size_t));
	c = malloc((size_t)nh * sizeof(size_t));
	nl = malloc(((size_t)nh * oldc + 1) * sizeof(kv_lane));
	used = calloc(nb * (size_t)nh + 1, 1);
	dirty = calloc(nb + 1, 1);
	rel = malloc(((size_t)nh * oldc + 1) * sizeof(*rel));
	moves = malloc((2 * rows + 2 * (size_t)nh * oldc * bt + 1) * sizeof(*moves));
	if (!off || !c || !nl || !used || !dirty || !rel || !moves) {
		rc = cc_error_set(CC_ENOMEM, "kv compact: out of memory");
		goto out;
	}
	/* the current lanes: a uniform layer's head h is in lane h of every block */
	rows = 0;
	for (int h = 0; h < nh; h++) {
		size_t hc = ceil_div(head_len(L, h), bt);
		for (size_t k = 0; k < hc; k++)
			nl[(size_t)h * oldc + k] =
				L->hlen ? head_lanes(L, h)[k] : (kv_lane){(int32_t)k, h};
		off[h] = rows;
		rows += n_keep[h];
		c[h] = ceil_div(n_keep[h], bt);
		tot += c[h];
	}
	/* phase 1 writes each head's kept rows to the front of its own lanes */
	for (int h = 0; h < nh; h++) {
		for (size_t i = 0; i < n_keep[h]; i++)
			if ((size_t)keep[off[h] + i] != i)
				dirty[nl[(size_t)h * oldc + i / bt].bi] = 1;
		for (size_t k = 0; k < c[h]; k++) {
			kv_lane ln = nl[(size_t)h * oldc + k];
			used[(size_t)ln.bi * (size_t)nh + (size_t)ln.lane] = 1;
		}
	}
	/* phase 2 moves the lanes in blocks past the first nbk into free lanes of those */
	nbk = ceil_div(tot, (size_t)nh);
	{
		size_t cb = 0;
		int cl = 0;
		for (int h = 0; h < nh; h++)
			for (size_t k = 0; k < c[h]; k++) {
				if ((size_t)nl[(size_t)h * oldc + k].bi < nbk)
					continue;
				while (used[cb * (size_t)nh + (size_t)cl])
					if (++cl == nh) {
						cl = 0;
						cb++;
					}
				CC_ASSERT(cb < nbk);
				used[cb * (size_t)nh + (size_t)cl] = 1;
				dirty[cb] = 1;
				rel[n_rel].h = h;
				rel[n_rel].k = k;
				rel[n_rel].dst = (kv_lane){(int32_t)cb, cl};
				n_rel++;
			}
	}
	for (size_t b = 0; b < nb; b++)
		if (dirty[b] && p->refs[L->blocks[b]] > 1)
			need++;
	if (need > p->n_free) {
		rc = cc_error_set(CC_ENOMEM, "kv compact: %zu blocks needed for copy-on-write, %zu free",
		                  need, p->n_free);
		goto out;
	}
	if (!L->hlen) {
		size_t *h0 = malloc((size_t)nh * sizeof(size_t));
		kv_lane *l0 = malloc(((size_t)nh * oldc + 1) * sizeof(kv_lane));
		if (!h0 || !l0) {
			free(h0);
			free(l0);
			rc = cc_error_set(CC_ENOMEM, "kv compact: out of memory");
			goto out;
		}
		/* the uniform layer as a ragged one (the same rows), so that a failing provider
		 * below leaves consistent tables */
		memcpy(l0, nl, (size_t)nh * oldc * sizeof(kv_lane));
		L->hlen = h0;
		L->lanes = l0;
		L->lanes_cap = oldc ? oldc : 1;
		for (int h = 0; h < nh; h++)
			L->hlen[h] = L->len;
	}
	for (size_t b = 0; b < nb; b++)
		if (dirty[b] && (rc = layer_unshare(p, L, b)))
			goto out;
	/* phase 1: increasing i within a head never overwrites a source before it is read
	 * (keep[i] >= i), and heads' lanes are disjoint */
	for (int h = 0; h < nh; h++)
		for (size_t i = 0; i < n_keep[h]; i++) {
			size_t src = (size_t)keep[off[h] + i];
			if (src == i)
				continue;
			kv_lane ld = nl[(size_t)h * oldc + i / bt], ls = nl[(size_t)h * oldc + src / bt];
			for (int v = 0; v < 2; v++) {
				moves[n_moves].dst = cc_kv_offset(p, L->blocks[ld.bi], v, ld.lane,
				                                  (int)(i % bt));
				moves[n_moves].src = cc_kv_offset(p, L->blocks[ls.bi], v, ls.lane,
				                                  (int)(src % bt));
				n_moves++;
			}
		}
	if (n_moves && (rc = p->st->move_rows(p->st_ctx, p->base, moves, n_moves, p->row_bytes)))
		goto out;
	/* phase 2: sources lie in blocks >= nbk, destinations were free lanes below: no chains */
	n_moves = 0;
	for (size_t r = 0; r < n_rel; r++) {
		int h = rel[r].h;
		size_t k = rel[r].k, cnt = n_keep[h] - k * bt < bt ? n_keep[h] - k * bt : bt;
		kv_lane ls = nl[(size_t)h * oldc + k], ld = rel[r].dst;
		for (size_t t = 0; t < cnt; t++)
			for (int v = 0; v < 2; v++) {
				moves[n_moves].dst = cc_kv_offset(p, L->blocks[ld.bi], v, ld.lane, (int)t);
				moves[n_moves].src = cc_kv_offset(p, L->blocks[ls.bi], v, ls.lane, (int)t);
				n_moves++;
			}
		nl[(size_t)h * oldc + k] = ld;
	}
	if (n_moves && (rc = p->st->move_rows(p->st_ctx, p->base, moves, n_moves, p->row_bytes)))
		goto out;
	for (int h = 0; h < nh; h++) {
		int32_t *ps = L->pos + (size_t)h * L->pos_cap;
		for (size_t i = 0; i < n_keep[h]; i++)
			ps[i] = ps[keep[off[h] + i]];
		memcpy(head_lanes(L, h), nl + (size_t)h * oldc, c[h] * sizeof(kv_lane));
		L->hlen[h] = n_keep[h];
	}
	while (L->n_blocks > nbk)
		block_put(p, L->blocks[--L->n_blocks]);
	L->len = max_cnt;
out:
	free(off);
	free(c);
	free(nl);
	free(used);
	free(dirty);
	free(rel);
	free(moves);
	return rc;
}

int cc_kv_seq_compact(cc_kv_seq *seq, int layer, const int32_t *keep, size_t n_keep)
{
	cc_kv_pool *p = seq->pool;
	int nh = p->cfg.n_kv_heads;
	size_t bt = (size_t)p->cfg.block_tokens;
	kv_layer *L;
	size_t n_dst_blocks, need = 0, n_moves = 0;
	unsigned char *dirty = NULL;
	cc_kv_move *moves = NULL;
	int rc = CC_OK;

	if (layer < 0 || layer >= p->cfg.n_layers)
		return cc_error_set(CC_EINVAL, "kv compact: layer %d out of range", layer);
	L = &seq->layers[layer];
	if (L->hlen) {
		/* a ragged layer stays ragged: the same count for every head */
		size_t *cnt = malloc((size_t)nh * sizeof(size_t));
		if (!cnt)
			return cc_error_set(CC_ENOMEM, "kv compact: out of memory");
		for (int h = 0; h < nh; h++)
			cnt[h] = n_keep;
		rc = cc_kv_seq_compact_heads(seq, layer, keep, cnt);
		free(cnt);
		return rc;
	}
	if (n_keep > L->len)
		return cc_error_set(CC_EINVAL, "kv compact: keeping %zu of %zu tokens", n_keep, L->len);
	if (n_keep && !keep)
		return cc_error_set(CC_EINVAL, "kv compact: no keep list");
	for (int h = 0; h < nh; h++)
		for (size_t i = 0; i < n_keep; i++) {
			int32_t k = keep[(size_t)h * n_keep + i];
			if (k < 0 || (size_t)k >= L->len)
				return cc_error_set(CC_EINVAL,
				                    "kv compact: head %d index %zu: slot %d out of range "
				                    "(length %zu)",
				                    h, i, (int)k, L->len);
			if (i && k <= keep[(size_t)h * n_keep + i - 1])
				return cc_error_set(CC_EINVAL,
				                    "kv compact: head %d index %zu: slots not strictly "
				                    "increasing",
				                    h, i);
		}
	if (p->quant)
		return compact_quant(seq, layer, keep, n_keep);
	n_dst_blocks = (n_keep + bt - 1) / bt;
	if (n_dst_blocks) {
		dirty = calloc(n_dst_blocks, 1);
		moves = malloc(2 * (size_t)nh * n_keep * sizeof(*moves));
		if (!dirty || !moves) {
			rc = cc_error_set(CC_ENOMEM, "kv compact: out of memory");
			goto out;
		}
	}
	for (int h = 0; h < nh; h++)
		for (size_t i = 0; i < n_keep; i++)
			if ((size_t)keep[(size_t)h * n_keep + i] != i)
				dirty[i / bt] = 1;
	for (size_t b = 0; b < n_dst_blocks; b++)
		if (dirty[b] && p->refs[L->blocks[b]] > 1)
			need++;
	if (need > p->n_free) {
		rc = cc_error_set(CC_ENOMEM, "kv compact: %zu blocks needed for copy-on-write, %zu free",
		                  need, p->n_free);
		goto out;
	}
	for (size_t b = 0; b < n_dst_blocks; b++)
		if (dirty[b] && (rc = layer_unshare(p, L, b)))
			goto out;
	/* Increasing i within each head: a source slot is never overwritten before it is read,
	 * because keep[i] >= i. */
	for (int h = 0; h < nh; h++)
		for (size_t i = 0; i < n_keep; i++) {
			size_t src = (size_t)keep[(size_t)h * n_keep + i];
			if (src == i)
				continue;
			for (int v = 0; v < 2; v++) {
				moves[n_moves].dst = cc_kv_offset(p, L->blocks[i / bt], v, h, (int)(i % bt));
				moves[n_moves].src =
					cc_kv_offset(p, L->blocks[src / bt], v, h, (int)(src % bt));
				n_moves++;
			}
		}
	if (n_moves && (rc = p->st->move_rows(p->st_ctx, p->base, moves, n_moves, p->row_bytes)))
		goto out;
	for (int h = 0; h < nh; h++) {
		int32_t *ps = L->pos + (size_t)h * L->pos_cap;
		for (size_t i = 0; i < n_keep; i++)
			ps[i] = ps[keep[(size_t)h * n_keep + i]];
	}
	while (L->n_blocks > n_dst_blocks)
		block_put(p, L->blocks[--L->n_blocks]);
	L->len = n_keep;
out:
	free(dirty);
	free(moves);
	return rc;
}

size_t cc_kv_seq_blocks_held(const cc_kv_seq *seq)
{
	size_t n = 0;
	for (int l = 0; l < seq->pool->cfg.n_layers; l++)
		n += seq->layers[l].n_blocks;
	return n;
}

/* ---- host storage provider ---- */

static int host_alloc(void *ctx, void **out, size_t bytes)
{
	(void)ctx;
	size_t sz = (bytes + 63) & ~(size_t)63;
	*out = aligned_alloc(64, sz ? sz : 64);
	if (!*out)
		return cc_error_set(CC_ENOMEM, "kv pool: cannot allocate %zu bytes of host memory",
		                    bytes);
	memset(*out, 0, sz ? sz : 64);
	return CC_OK;
}

static void host_release(void *ctx, void *base)
{
	(void)ctx;
	free(base);
}

static int host_copy(void *ctx, void *base, size_t dst, size_t src, size_t bytes)
{
	(void)ctx;
	memcpy((char *)base + dst, (char *)base + src, bytes);
	return CC_OK;
}

static int host_move_rows(void *ctx, void *base, const cc_kv_move *moves, size_t n,
                          size_t row_bytes)
{
	(void)ctx;
	for (size_t i = 0; i < n; i++)
		memmove((char *)base + moves[i].dst, (char *)base + moves[i].src, row_bytes);
	return CC_OK;
}

const cc_kv_storage *cc_kv_storage_host(void)
{
	static const cc_kv_storage host = {"host", host_alloc, host_release, host_copy,
	                                   host_move_rows, NULL, NULL};
	return &host;
}
