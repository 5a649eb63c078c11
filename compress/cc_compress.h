/*
 * cc_compress.h - KV cache compression policies (target cc_compress): which context tokens a
 * session keeps, per layer and KV head, at a budget, and applying that to a session so the
 * dropped tokens' memory goes back to the pool.
 *
 * The measurement protocol is ../shared/docs/EVAL.md: every policy keeps k = ceil(b * T) of
 * the T context tokens per layer and KV head (b = budget), always including the first `sinks`
 * tokens and the last `window` context tokens (the observation window); kept tokens keep their
 * original positions (no RoPE re-application). Tokens after the context (a query placed after
 * it, in query-aware mode) are never dropped and do not count against k.
 *
 * Policies:
 *   random     sinks + window, the rest drawn uniformly (splitmix64 seeded with
 *              seed ^ (layer << 32) ^ kv_head)
 *   streaming  StreamingLLM: sinks + the most recent tokens
 *   snapkv     SnapKV: attention mass from the observation window's queries (every query head
 *              of the KV head's group), average-pooled along keys (kernel `pool`: token i
 *              averages i - pool/2 .. i + pool - 1 - pool/2, only the neighbours that
 *              exist at the edges), top-k
 *   h2o        H2O-like: cumulative attention of all queries of the prefill (the session's
 *              observation window set to the whole prefill), top-k
 *   structure  structural priors only (cc_priors: protected spans first, then by prior,
 *              ties by recency)
 *   codecomp   this project's method: protected spans first (within a share of k), then
 *              the rest, both ranked by one score: an attention part times the structural
 *              prior ^ prior_weight (CC_COMBINE_PROD, default), or plus prior_weight x the
 *              prior (CC_COMBINE_MAX). With the product the exponent follows the budget b:
 *              prior_weight x ln(1 / b) / ln(1 / prior_budget_ref), i.e. ln(1 / b) with the
 *              defaults (3.0 at 5%, 0.9 at 40%): the fewer tokens a head keeps, the more
 *              the structure among them counts against attention. The attention part is
 *              the cumulative attention (attn_cum, H2O's statistic) when the caller gives
 *              it and the window is the
 *              context's own end (query-agnostic: the last tokens' attention says little
 *              about later questions) or a query (unless query_window is set; the query
 *              then steers the selection through relevance-seeded priors and protection);
 *              else the observation window's attention (the query's, in query-aware mode)
 *              plus cum_weight x the cumulative attention when given.
 *              Attention is average-pooled with `pool` (default 1 = none) and divided by its
 *              maximum over the middle tokens (CC_COMBINE_PROD and CC_COMBINE_MAX; the prior
 *              stays in [0, 1]) or every signal is replaced by its mid-rank
 *              (CC_COMBINE_RANK). Defaults (prior_weight 2, pool 1, cum_weight 3,
 *              protect_share 0.5, prod) were chosen on bench_fidelity samples disjoint from
 *              the reported ones (bench/results/fidelity.md); rank combination lost at the
 *              smallest budgets there (it flattens the few strongly attended tokens); the
 *              product measured better than the sum at 10-40% (with the sum, a prior of 0.5
 *              outvoted every token below the strongest attention, so the prior alone ranked
 *              most tokens). attn_cum works best as
 *              KVzip's reconstruction attention (cc_compress_recon_attn), in both modes:
 *              it measured better than H2O's cumulative attention there, and a larger
 *              cum_weight (3 against 1) let it outweigh the query's own attention; leaving
 *              the query's attention out altogether (query_window 0, the default since
 *              2026-12-05) measured better still at 5%. With a
 *              query the prior weighs less and protected spans get a smaller share
 *              (prior_weight_query 1, protect_share_query 0.25): the
 *              relevance-seeded priors already point at what it needs.
 *              With layer_adapt (default CC_LAYER_INFO, cc_compress_session with attn_cum),
 *              the layers share the total by the information in their attn_cum (its KL
 *              divergence from uniform, capped at the median layer's; see
 *              cc_compress_adaptive_keep): a layer whose attention is flat keeps little.
 *              With a query (layer_info_obs 2, the default) the information is that of the
 *              query's own attention (the observation window's) instead: the layers the
 *              question attends through keep more.
 *              With head_adapt, a layer's KV heads share the layer's total as in adakv,
 *              the counts from codecomp's own scores (cc_compress_select_heads).
 *              With protect_fit (an option, off by default), the protected share is
 *              at least P r / (P + r) of the r middle tokens kept (P = the protected
 *              middle tokens): a budget that cannot hold the protected spans goes almost
 *              wholly to them (lower at agnostic 5-10%, T = 2048, on tuning seeds; not
 *              on the held-out seeds, so not the default).
 *              With value_weight (default 1) / distinct_weight (default 0), the attention
 *              part is first multiplied by each token's value norm (VATP) and its key's
 *              distance from the head's mean key direction (KeyDiff), each over its maximum
 *              and raised to the weight (cc_compress_kv_scores; cc_compress_session computes
 *              them from the cache, CPU or CUDA; a quantized cache leaves them out).
 *   pyramid    PyramidKV (arXiv 2406.02069): SnapKV's ranking, with per-layer budgets that
 *              decrease linearly with depth and sum to the uniform total: above the forced
 *              floor f = sinks + window, the last layer keeps e / beta of the excess
 *              e = k - f, the first 2e - e / beta (beta = pyramid_beta, default 20, as in
 *              kvpress); rounded so that the layers' total is exactly n_layers x k (see
 *              cc_compress_layer_keep). Uniform when the first layer would exceed n_ctx.
 *   kvzip      KVzip (arXiv 2505.23416), query-agnostic: the attention that a teacher-forced
 *              repeat of the context pays to the original context (the caller runs that
 *              extra forward pass and gives the sum over the repeat's queries, every query
 *              head of the group, as attn_cum), top-k without pooling. (The paper takes the
 *              maximum over queries; the engine's observation statistics are sums.)
 *   adakv      Ada-KV (arXiv 2407.11550), head-adaptive budgets under the same layer total:
 *              SnapKV's pooled window attention per KV head; every head keeps its sinks,
 *              window and its own top floor(adakv_floor x r) middle tokens (r = k - sinks -
 *              window, the safeguard; default 0.2 as kvpress), and the rest of the layer's
 *              n_kv_heads x r middle tokens go to the highest scores over all heads of the
 *              layer together (ties: the later token, then the lower head), so heads whose
 *              attention is concentrated keep fewer tokens and spread ones more
 *              (cc_compress_select_heads; cc_compress_select on one head alone is SnapKV).
 *              The cache then really keeps a different count per head, and the blocks
 *              they free return to the pool (cc_session_compact_heads; CPU and CUDA,
 *              full-precision caches).
 *   expected   Expected Attention (arXiv 2510.00636): the attention that future queries,
 *              modelled as a Gaussian fitted to the observation window's queries and rotated
 *              to the next positions, are expected to pay each key, times the value's norm
 *              (cc_compress_expected_attn, given as attn_cum), top-k without pooling.
 *              cc_compress_session computes it from the session when attn_cum is NULL.
 * Rankings break ties by recency (the later token wins). "A share of k" is
 * floor(protect_share x the tokens left after sinks and window); protected tokens are ranked
 * among themselves by prior (structure) or pooled attention (codecomp). NaN scores rank
 * last; priors are clamped to [0, 1].
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_COMPRESS_H
#define CC_COMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "cc_engine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	CC_POLICY_RANDOM = 0,
	CC_POLICY_STREAMING,
	CC_POLICY_SNAPKV,
	CC_POLICY_H2O,
	CC_POLICY_STRUCTURE,
	CC_POLICY_CODECOMP,
	CC_POLICY_PYRAMID,
	CC_POLICY_KVZIP,
	CC_POLICY_ADAKV,
	CC_POLICY_EXPECTED,
	CC_POLICY_COUNT
} cc_policy;

const char *cc_policy_name(int policy); /* "snapkv", ...; "?" when out of range */
int cc_policy_parse(const char *name);  /* -1 when unknown */

/* The version of the policies' default selections: bumped whenever a default changes which
 * tokens a policy keeps for the same input (3: codecomp's value_weight 1; 4: its prior's
 * exponent scaled by ln(1 / budget), prior_budget_ref; 5: its layers' budgets from the
 * information in their attention, layer_adapt CC_LAYER_INFO; 6: with a query, that information
 * from the query's own attention, layer_info_obs 2). Stores of compressed caches (the
 * repository cache's keys) carry it, so chunks kept under older defaults are not served as
 * if the current ones had chosen them. */
#define CC_COMPRESS_SELECT_VERSION 6

typedef struct {
	int policy;    /* cc_policy */
	double budget; /* b in (0, 1]: k = ceil(b * n_ctx) per layer and KV head */
	int sinks;     /* always kept from the start (default 4) */
	int window;    /* always kept at the end of the context (default 64) */
	/* snapkv/pyramid/codecomp: average-pool kernel (default 5; codecomp 1) */
	int pool;
	double prior_weight; /* codecomp: weight of the prior against attention (default 2) */
	/* codecomp/structure: at most this share of k goes to protected tokens first
	 * (default 0.5) */
	double protect_share;
	/* codecomp: weight of attn_cum next to the window's when the window is a query and
	 * query_window is 1 (default 3) */
	double cum_weight;
	/* codecomp: CC_COMBINE_PROD (default), CC_COMBINE_MAX or CC_COMBINE_RANK */
	int combine;
	uint64_t seed; /* random */
	/* pyramid: the last layer keeps 1/beta of the excess over the forced tokens
	 * (default 20; >= 1) */
	double pyramid_beta;
	/* codecomp: 1 = pyramid's layer budgets (with pyramid_beta) instead of the same count
	 * in every layer (default 0) */
	int layer_taper;
	/* codecomp with a query after the context (cc_compress_input.query): prior_weight and
	 * protect_share */
	double prior_weight_query;
	/* there (defaults 1 and 0.25; < 0 = the same as without a query; other policies: -1) */
	double protect_share_query;
	/* codecomp in cc_compress_session with attn_cum: per-layer budgets from
	 * cc_compress_adaptive_keep over attn_cum (a cc_layer_adapt; codecomp's default
	 * CC_LAYER_INFO since 2026-12-07, other policies ignore it) */
	int layer_adapt;
	/* codecomp with layer_adapt in cc_compress_session: a mode mask (1 = query-agnostic, 2 =
	 * with a query) of where the layers' information comes from the observation window's
	 * attention (with a query: the query's own) instead of attn_cum (codecomp's default 2
	 * since 2026-12-07: lower in every query column on fresh tuning seeds and on the
	 * held-out runs, bench/results/fidelity.md; other policies ignore it) */
	int layer_info_obs;
	/* codecomp with CC_COMBINE_PROD, a bit mask of modes (1 = query-agnostic, 2 = with a
	 * query): there the prior's exponent is prior_weight (or prior_weight_query) x the
	 * normalised entropy of the attention part over the middle tokens (H / log n, in
	 * [0, 1]): spread attention leans on the prior, concentrated attention on itself, per
	 * layer and head (default 0) */
	int prior_entropy;
	/* cc_compress_select: > 0 = keep this many context tokens instead of
	 * cc_compress_layer_keep() (at least sinks + window; more than n_ctx keeps all); 0 =
	 * the budget's count (default; what cc_compress_session sets per layer for
	 * layer_adapt) */
	size_t keep;
	/* codecomp with attn_cum and a query after the context: 1 = the attention part is the
	 * query window's attention + cum_weight x attn_cum (before 2026-12-05); 0 = attn_cum
	 * alone, the query reaching the selection through the priors (default: adding the
	 * window's attention measured worse at 5%, bench/results/fidelity.md). Without attn_cum
	 * the window's attention is always used */
	int query_window;
	/* adakv: share of each head's r middle tokens it keeps by its own ranking before the
	 * layer-wide top-k (default 0.2; [0, 1]); codecomp with head_adapt: the same
	 * safeguard */
	double adakv_floor;
	/* codecomp: per-KV-head counts under the same layer total, as adakv's but from
	 * codecomp's own scores (cc_compress_select_heads, compress/headalloc.c): 0 = the same
	 * count per head (other policies' default), CC_HEAD_SCORES = from the concentration of
	 * each head's scores, CC_HEAD_PRIOR = the same, each head's scores weighted by how well
	 * the prior's top set agrees with its attention's (codecomp's default since 2026-12-05:
	 * lower at 10-40% on tuning seeds, bench/results/fidelity.md). cc_compress_session
	 * keeps uniform counts where the cache cannot be ragged (quantized pools; see
	 * cc_compress_stats.head_uniform) */
	int head_adapt;
	/* codecomp, a bit mask of modes (1 = query-agnostic, 2 = with a query): there the
	 * protected tokens taken first are at least floor(P r / (P + r)) instead of
	 * floor(protect_share x r) when that is more (P = the protected middle tokens, r = the
	 * middle tokens to keep): a budget that cannot hold the protected spans goes almost
	 * wholly to them, one far larger than them keeps protect_share. Default 0 (off):
	 * lower at agnostic 5-10% at T = 2048 on the tuning seeds, but on the held-out seeds
	 * (12 samples) neutral at 5% and higher at 10% (+0.015 +- 0.007), so not kept as
	 * the default (bench/results/fidelity.md); bench_fidelity codecomp:pf=1 */
	int protect_fit;
	/* codecomp, value-aware attention (VATP, arXiv 2406.12335): the attention part of
	 * each middle token times (||v||_1 / its maximum over the middle tokens) ^ value_weight,
	 * v the token's value row of the (layer, KV head) (cc_compress_input.vnorm; a head's
	 * output is attention x value, so a token with a small value contributes little even
	 * when attended). 0 = off; codecomp's default 1 since 2026-12-06 (tuning seeds:
	 * lower on context-dependent tokens in every column, neutral to lower on all tokens,
	 * bench/results/fidelity.md; other policies ignore it) */
	double value_weight;
	/* codecomp, key distinctiveness (KeyDiff, arXiv 2504.15364): the attention part times
	 * (d / its maximum over the middle tokens) ^ distinct_weight, d = 1 - cos(k, the mean of
	 * the context's keys of the (layer, KV head)) (cc_compress_input.kdist): keys like the
	 * head's mean key (repeated identifiers, boilerplate) rank lower. 0 = off (default:
	 * with value_weight it was not better on tuning seeds, bench/results/fidelity.md) */
	double distinct_weight;
	/* the modes where value_weight and distinct_weight apply, a bit mask (1 = query-agnostic,
	 * 2 = with a query; cc_compress_opts_default: 3) */
	int vk_modes;
	/* codecomp with CC_COMBINE_PROD: > 0 = the prior's exponent (prior_weight, or
	 * prior_weight_query with a query) is that weight at this budget and scales with
	 * ln(1 / budget) elsewhere: exponent = weight x ln(1 / budget) / ln(1 / prior_budget_ref)
	 * (bench/results/fidelity.md, 2026-12-07: lower at 5% and 40% on tuning and held-out
	 * seeds, level at 10-20%). Keeping a share b of the context
	 * is ln(1 / b) nats of selectivity; the fewer tokens a head keeps, the more the structure
	 * that must survive counts against attention among them. Default CC_PRIOR_BUDGET_REF
	 * (e^-2, so with the default weights the exponent is ln(1 / b) without a query and half
	 * that with one: 3.0 / 2.3 / 1.6 / 0.9 at 5/10/20/40%); 0 = the weight at every budget
	 * (as before 2026-12-07); in [0, 1) */
	double prior_budget_ref;
} cc_compress_opts;

/* e^-2: codecomp's default prior_budget_ref */
#define CC_PRIOR_BUDGET_REF 0.1353352832366127

/* codecomp's head_adapt modes. */
enum {
	CC_HEAD_UNIFORM = 0,
	/* Ada-KV's allocation over codecomp's scores (each head's scores over its middle tokens
	 * divided by their sum) */
	CC_HEAD_SCORES = 1,
	/* the same, each head's normalised scores times its agreement: the attention part's
	 * mass on the prior's top r middle tokens over its mass on its own top r
	 * (r = k - sinks - window), in [0, 1] */
	CC_HEAD_PRIOR = 2
};

/* How codecomp puts its signals on one scale before adding them. */
enum {
	/* attention / its maximum over the middle tokens; the prior as it is; added */
	CC_COMBINE_MAX = 0,
	/* every signal by its mid-rank among the middle tokens, scaled to [0, 1] */
	CC_COMBINE_RANK = 1,
	/* the attention part as with MAX, times max(prior, 0.001) ^ prior_weight (a product,
	 * not a sum; codecomp's default) */
	CC_COMBINE_PROD = 2
};

/* cc_compress_opts.layer_adapt: how codecomp's layers share the budget
 * (cc_compress_adaptive_keep) */
typedef enum {
	CC_LAYER_UNIFORM = 0,   /* the same count in every layer */
	CC_LAYER_MASS = 1,      /* each next token to the layer whose next token captures the most
	                         * attention mass */
	CC_LAYER_INFO_PROP = 5, /* middle budgets in proportion to each layer's information (the KL
	                         * divergence of its attention from uniform) */
	CC_LAYER_INFO = 6       /* the same, each layer's information capped at the median layer's */
} cc_layer_adapt;

void cc_compress_opts_default(cc_compress_opts *o, int policy, double budget);

/* What a policy may look at for one (layer, KV head). Arrays have n_ctx entries (context
 * tokens only, in cache order = position order); any may be NULL when the policy does not
 * need it (the call fails with CC_EINVAL naming what is missing when it does). */
typedef struct {
	size_t n_ctx;
	const float *attn;  /* attention mass per context token (snapkv, h2o, codecomp) */
	const float *prior; /* structural prior in [0, 1] per token (structure, codecomp) */
	/* 1 = protected span token (structure, codecomp; NULL = none protected) */
	const uint8_t *protect;
	int layer, kv_head; /* for seeding random per head */
	/* codecomp, optional: attention from other queries than the window's: KVzip's
	 * reconstruction attention (cc_compress_recon_attn, measured best) or the cumulative
	 * attention of every query of the prefill (H2O's statistic); NULL = absent. kvzip:
	 * required, the reconstruction attention; expected: required, the expected attention
	 * (cc_compress_expected_attn) */
	const float *attn_cum;
	/* 1 = the observation window is a query placed after the context (query-aware), 0 = it
	 * is the context's own end */
	int query;
	int n_layers; /* pyramid: the model's layer count (<= 1: uniform budgets) */
	/* codecomp with value_weight, optional: ||v_j||_1 of each context token's value row
	 * (cc_compress_kv_scores); NULL = the value factor is left out */
	const float *vnorm;
	/* codecomp with distinct_weight, optional: 1 - cos(k_j, mean key) of each context token
	 * (cc_compress_kv_scores); NULL = the factor is left out */
	const float *kdist;
} cc_compress_input;

/* The number of context tokens a policy keeps: min(n_ctx, max(ceil(b * n_ctx),
 * sinks + window)); the ceiling is of the exact product (ceil(0.1 * 30) = 3, not 4 as binary
 * floating point would give). */
size_t cc_compress_keep_count(const cc_compress_opts *o, size_t n_ctx);

/* The number of context tokens a policy keeps in `layer` of n_layers: for pyramid, the
 * linearly decreasing budgets described above (every layer at least sinks + window and at
 * most n_ctx; the sum over layers is n_layers x cc_compress_keep_count(), remainders going to
 * the layers with the largest fractional parts, earlier layers first on a tie), and the
 * same for codecomp with layer_taper; for every other policy (and n_layers <= 1, or a layer
 * outside [0, n_layers)) cc_compress_keep_count(). */
size_t cc_compress_layer_keep(const cc_compress_opts *o, size_t n_ctx, int layer,
                              int n_layers);

/*
 * Per-layer budgets steered by attention (codecomp's layer_adapt): keep[0 .. n_layers) receives
 * each layer's count of kept context tokens. Every layer keeps at least sinks + window; the
 * rest of the common total n_layers x (cc_compress_keep_count(o, n_ctx) - sinks - window) is
 * given token by token to the layer whose next token captures the most attention mass: in
 * each (layer, KV head) the attention attn[(layer * n_kv_heads + h) * n_ctx + j] over the
 * middle tokens (after the sinks, before the window) is divided by its sum (all equal when
 * the sum is 0; NaN and negative values count as 0) and sorted descending, and a layer's
 * r-th gain is the mean over its heads of the r-th values. The chosen counts maximise the
 * total captured mass; ties go to the lower rank, then the lower layer (o->layer_adapt
 * CC_LAYER_MASS, or any value not named below). With CC_LAYER_INFO_PROP the rest is shared
 * in proportion to each layer's information instead: the mean over its heads of the KL
 * divergence of the normalised attention over the middle tokens from uniform, in nats (0 for
 * a head without attention there); with CC_LAYER_INFO (codecomp's default) each layer's
 * information is first capped at the median layer's, so that only layers whose attention is
 * flatter than the typical layer's give budget, in proportion to how flat it is, and the
 * others share it equally (a layer whose attention is uniform keeps only its sinks and
 * window: choosing its tokens cannot do better than chance, and measured, its middle tokens
 * matter least; bench/results/fidelity.md 2026-12-07). Counts are rounded down, what rounding
 * leaves goes one token at a time to the layer furthest below its exact share, and no layer
 * keeps more than n_ctx; all zero information means the uniform count. When nothing is left
 * after the forced tokens, or everything is kept, every layer gets
 * cc_compress_keep_count(). Errors: CC_EINVAL (NULL argument, n_layers or n_kv_heads < 1),
 * CC_ENOMEM.
 */
int cc_compress_adaptive_keep(size_t *keep, const cc_compress_opts *o, size_t n_ctx,
                              const float *attn, int n_layers, int n_kv_heads);

/* Select: keep[0 .. *n_keep) receives the kept context indices, strictly increasing, exactly
 * o->keep (when > 0, at most n_ctx) or else
 * cc_compress_layer_keep(o, n_ctx, in->layer, in->n_layers) of them, including every sink and
 * window index. keep has room for n_ctx entries. Errors: CC_EINVAL (budget outside (0, 1], an
 * input the policy needs is NULL, unknown policy, negative sinks/window, pool < 1,
 * protect_share outside [0, 1], prior_weight not finite, prior_weight_query or
 * protect_share_query out of range, pyramid_beta < 1, kvzip without attn_cum, o->keep below
 * sinks + window), CC_ENOMEM.
 * Deterministic for the same inputs and seed. */
int cc_compress_select(int32_t *keep, size_t *n_keep, const cc_compress_opts *o,
                       const cc_compress_input *in);

/* Ada-KV's selection over the n_heads KV heads of one layer (adakv, or codecomp with
 * head_adapt > 0): in[h] is head h's input (the same n_ctx; attn required). keep receives
 * head h's kept context indices, strictly increasing, at keep[o_h ..) with
 * o_h = n_keep[0] + ... + n_keep[h-1], and n_keep[h] their count (keep has room for
 * n_heads x n_ctx entries, n_keep for n_heads). The counts sum to n_heads x k (k as
 * cc_compress_select: o->keep when > 0, else cc_compress_keep_count), each at least
 * sinks + window + floor(adakv_floor x (k - sinks - window)). Errors: CC_EINVAL (NULL
 * argument, n_heads < 1, inputs of different n_ctx, adakv_floor outside [0, 1], and as
 * cc_compress_select), CC_ENOMEM. Deterministic.
 * codecomp with head_adapt: the counts come from codecomp's scores (cc_compress_opts
 * head_adapt, the same safeguard and layer-wide ranking as adakv's), and each head then keeps
 * its count by codecomp's own selection (cc_compress_select with keep = its count, protected
 * spans first as ever). */
int cc_compress_select_heads(int32_t *keep, size_t *n_keep, const cc_compress_opts *o,
                             const cc_compress_input *in, int n_heads);

/* What compressing a session did. */
typedef struct {
	size_t n_ctx; /* context tokens considered */
	/* context tokens kept per layer and KV head (pyramid, adakv: the mean over layers and
	 * heads, rounded down) */
	size_t kept_per_head;
	size_t bytes_before, bytes_after; /* the pool's bytes in use (cc_cache_stats.bytes_used) */
	double seconds;
	/* codecomp with head_adapt on a session whose cache cannot keep a different count per
	 * head (a quantized pool): 1 = uniform counts used */
	int head_uniform;
} cc_compress_stats;

/*
 * Compress session s in place: its first n_ctx cache slots are the context (tokens after them
 * are kept as they are); for every layer and KV head select with o, reading attention from
 * the session's observation statistics (cc_session_obs of the last prefill: for snapkv and
 * codecomp that prefill must have ended with the observation window; for h2o the session must
 * have been created with obs_window >= the prefill length) and priors from prior/protect
 * (n_ctx entries each, may be NULL as for cc_compress_select), then cc_session_compact each
 * layer. attn_cum (may be NULL; codecomp, kvzip and expected only, other policies ignore it;
 * kvzip needs it; expected computes it with cc_compress_expected_attn when NULL) is the
 * cumulative attention of every query of the prefill (for kvzip: of the context's
 * teacher-forced repeat), attn_cum[(layer * n_kv_heads + kv_head) * n_ctx + j], which the
 * caller collected (a session with obs_window >= the prefill, as for h2o);
 * codecomp with layer_adapt takes its per-layer counts from cc_compress_adaptive_keep over it.
 * adakv selects over each layer's heads at once (cc_compress_select_heads) and compacts with
 * cc_session_compact_heads: a different count per KV head (CPU and CUDA sessions with a
 * full-precision pool; on a quantized pool CC_EUNSUPPORTED). codecomp with head_adapt does
 * the same on a full-precision pool, and on a quantized one (or a backend that refuses
 * ragged layers) falls back to the same count per head (st->head_uniform = 1).
 * The window counts as a query (cc_compress_input.query) when the cache holds tokens after
 * the n_ctx context tokens. *st (may be NULL) receives the figures. Errors: those of
 * cc_compress_select, CC_ENOTFOUND (no observation statistics when the policy needs them:
 * none after any change to the session, a compaction included, and none in a fork),
 * CC_EINVAL (n_ctx larger than the cache; h2o with statistics that do not cover the queries
 * of every cached token).
 * Every selection is made before the first compaction, so these errors change nothing; a
 * compaction failing (CC_ENOMEM for a copy-on-write copy) leaves the layers before it
 * compacted.
 */
int cc_compress_session(cc_session *s, const cc_compress_opts *o, size_t n_ctx,
                        const float *prior, const uint8_t *protect, const float *attn_cum,
                        cc_compress_stats *st);

/* ---- compressing as a chunked prefill goes (compress/stream.c; issue 14, item 5) ----------
 *
 * A long context compressed to a small budget need never hold its full cache: prefill it in
 * chunks and, after each chunk, compress everything cached so far to the budget of the tokens
 * seen so far, the chunk's own last `window` tokens being the observation window that decides
 * what earlier chunks keep. After the first compaction each layer and KV head holds its own
 * subset of the original positions (cc_kv_seq_positions), so priors are given by ORIGINAL
 * position and mapped per (layer, KV head) to the slots that hold them.
 *
 * What each policy does in this mode (cc_compress_session_pos):
 *   random, streaming, snapkv, pyramid, structure  as in cc_compress_session, over the slots
 *              that a head holds (pyramid's layer budgets from the positions seen so far);
 *   codecomp   the observation window's attention x prior (CC_COMBINE_*, protected spans
 *              first as ever), or with carried cumulative attention (cum below: as attn_cum,
 *              H2O's statistic, in place of the repeat pass's, which needs the whole context
 *              before anything is dropped); layer_adapt, value_weight and distinct_weight are
 *              ignored, and codecomp's head_adapt falls back to the same count per head
 *              (stats.head_uniform = 1);
 *   h2o        with carried cumulative attention only (H2O's own streaming form: the
 *              attention every query so far paid to each slot still held), else
 *              CC_EUNSUPPORTED;
 *   expected   from the window's query statistics and the cached keys (CPU sessions, as
 *              cc_compress_expected_attn);
 *   kvzip, adakv  CC_EUNSUPPORTED naming the policy: the context's repeat and per-head budgets
 *              over one ranking are not defined for a cache already compacted.
 * Carried cumulative attention ("cum"): n_layers x n_kv_heads arrays, cum[l * n_kv_heads + h]
 * holding for each slot of (l, h) the attention mass it received from every query since it
 * was prefilled (summed over the KV head's query heads), kept aligned with the slots: a
 * compaction moves the kept entries along with the rows. cc_compress_stream_prefill keeps
 * them (the session's observation window is then the whole chunk, so every query counts).
 */

/*
 * Compress session s in place when every cached token is context and the cache may already
 * have been compacted: positions 0 .. n_pos-1 were prefilled, and each (layer, KV head) holds
 * some of them (cc_kv_seq_positions). For every (layer, KV head) the policy o selects among
 * the slots the head holds, seeing for the slot of original position p prior[p] and
 * protect[p] (n_pos entries each, indexed by ORIGINAL position, may be NULL as for
 * cc_compress_select; read only, not kept) and the attention of the last prefill's
 * observation window (cc_session_obs; the window is the last o->window slots of every head).
 * Each head keeps k = o->keep when > 0, else cc_compress_layer_keep(o, n_pos, layer,
 * n_layers): the budget counts original positions (ceil(b x n_pos)), not the slots held; a
 * head holding k or fewer keeps them all. Then every layer is compacted (a layer whose heads
 * keep different counts, because they held different counts, with cc_session_compact_heads:
 * CPU only). On an uncompacted cache this selects what cc_compress_session(s, o, n_pos, ...)
 * does, codecomp without attn_cum, head budgets and value_weight aside (see above). cum (may
 * be NULL: none) is the carried cumulative attention described above, read by h2o (its score)
 * and codecomp (its attn_cum) and compacted along with the cache (each array must hold
 * cc_kv_seq_head_len() entries; the caller owns them). *st (may be NULL) receives
 * n_ctx = n_pos, kept_per_head (the mean over layers and heads, rounded down), bytes before
 * and after, head_uniform.
 * Errors: CC_EINVAL (NULL session or options, n_pos 0, a cached position >= n_pos, and those
 * of cc_compress_select), CC_EUNSUPPORTED (kvzip, adakv, h2o without cum: naming the policy),
 * CC_ENOTFOUND (no observation statistics for a policy that reads attention), CC_ENOMEM.
 * Every selection is made before the first compaction, so these errors change nothing.
 */
int cc_compress_session_pos(cc_session *s, const cc_compress_opts *o, size_t n_pos,
                            const float *prior, const uint8_t *protect, float *const *cum,
                            cc_compress_stats *st);

/* Options of cc_compress_stream_prefill (zeroed struct: defaults). */
typedef struct {
	size_t chunk; /* context tokens per prefill chunk, 0 = 512 */
	/* called after each chunk has been prefilled and compressed (may be NULL): n_done
	 * context tokens so far; a non-zero return stops the prefill and is returned */
	int (*on_step)(void *arg, const cc_session *s, size_t n_done);
	void *arg;
	/* codecomp: 1 = carry the cumulative attention of every query through the compactions
	 * and rank by it (attn_cum) instead of the window's attention (h2o always carries it;
	 * other policies ignore this) */
	int cum;
} cc_compress_stream_opts;

/* What cc_compress_stream_prefill did. */
typedef struct {
	size_t n_tokens;      /* context tokens prefilled */
	size_t steps;         /* chunks */
	size_t kept_per_head; /* at the end: kept per layer and KV head (mean, rounded down) */
	/* the highest bytes in use of the session's pool (cc_cache_stats.bytes_used), and of the
	 * blocks the session references (seq_bytes), measured after each chunk's prefill,
	 * before its compression (the cache only grows during a prefill and only shrinks in a
	 * compaction of a full-precision pool) */
	size_t peak_bytes, peak_seq_bytes;
	/* the blocks n_tokens take uncompressed: n_layers x ceil(n_tokens / block_tokens) x
	 * block_bytes (what prefill-then-compress holds at its peak) */
	size_t full_bytes;
	size_t bytes_after;           /* the session's blocks at the end (seq_bytes) */
	int head_uniform;             /* codecomp's head_adapt fell back to uniform counts */
	double t_prefill, t_compress; /* seconds */
} cc_compress_stream_stats;

/*
 * Prefill the n context tokens ids[0 .. n) into the empty session s in chunks of sopt->chunk
 * tokens (sopt may be NULL: defaults), and after each chunk compress everything cached so far
 * with cc_compress_session_pos(s, o, t, prior, protect): t = the tokens prefilled so far, so
 * each (layer, KV head) keeps ceil(o->budget x t) of them (pyramid and codecomp's taper: the
 * layer's share of t; o->keep is ignored), the chunk's last o->window tokens observing. prior
 * and protect (n entries each, by position, may be NULL as the policy allows) are read, not
 * kept. The session's observation window is set to o->window (at least 1), or for h2o and
 * codecomp with sopt->cum to the chunk (every query observes; the carried sums are freed at
 * the end), and stays so. The peak of the cache is then about ceil(b x n) + chunk tokens per
 * layer instead of n.
 * *st (may be NULL) receives the figures, also on error (what was done so far). On error the
 * tokens already prefilled stay in the cache (cc_session_reset clears them).
 * Errors: CC_EINVAL (NULL session, ids or options, n 0, a session that is not empty),
 * CC_EUNSUPPORTED (kvzip, adakv: before anything is prefilled), CC_ENOMEM, those of
 * cc_session_prefill (CC_ENOMEM "kv cache full") and cc_compress_session_pos, or on_step's
 * non-zero return.
 */
int cc_compress_stream_prefill(cc_session *s, const int32_t *ids, size_t n,
                               const cc_compress_opts *o, const float *prior,
                               const uint8_t *protect, const cc_compress_stream_opts *sopt,
                               cc_compress_stream_stats *st);


/*
 * KVzip's statistic (the attention a teacher-forced repeat of the context pays to it), for
 * kvzip and as codecomp's attn_cum: s holds the n_ctx context tokens ids[0..n_ctx) and
 * nothing after them in every layer. For each chunk of `chunk` tokens (0 = 512) a fork of s
 * prefills the chunk's repeat after the context and the attention its queries give to the n_ctx
 * context slots is added into out[(layer * n_kv_heads + kv_head) * n_ctx + j] (out is
 * overwritten; the caller allocates n_layers x n_kv_heads x n_ctx floats). Chunks keep the
 * positions under n_ctx + chunk, as KVzip chunks long contexts. The cost is one forward pass
 * over n_ctx more tokens, each chunk attending to the whole context. s is not changed (its
 * forks are freed). Errors: CC_EINVAL (NULL argument, a layer not holding exactly n_ctx
 * tokens, a session whose obs_window is smaller than the chunk: make it with obs_window >=
 * chunk), those of cc_session_fork and cc_session_prefill (CC_ENOMEM when the pool cannot
 * hold a chunk more).
 */
int cc_compress_recon_attn(cc_session *s, const int32_t *ids, size_t n_ctx, size_t chunk,
                           float *out);

/*
 * Expected Attention's key scores (the `expected` policy; arXiv 2510.00636, as kvpress's
 * ExpectedAttentionPress): for each (layer, KV head) and context slot j < n_ctx,
 * out[(layer * n_kv_heads + kv_head) * n_ctx + j] = ||v_j|| x the mean over the group's query
 * heads of softmax_j(mu . k_j / sqrt(d) + k_j^T Sigma k_j / (2 d)), where mu and Sigma are the
 * mean and covariance of the observation window's queries before RoPE
 * (cc_session_query_stats of s's last prefill; Sigma = 0 for a window of one query), both
 * rotated by RoPE's rotation averaged over positions pos0 .. pos0 + n_future - 1 (pos0 < 0:
 * the session's next position; n_future 0 = 512), and k_j, v_j the cached key (after RoPE)
 * and value. The caller allocates n_layers x n_kv_heads x n_ctx floats; s is not changed.
 * Cost: n_heads x n_ctx x head_dim^2 per layer. Errors: CC_EINVAL (NULL argument, a layer
 * holding fewer than n_ctx tokens), CC_EUNSUPPORTED (a CUDA session, a quantized cache),
 * CC_ENOTFOUND (no statistics: s's last change was not a prefill), CC_ENOMEM.
 */
/*
 * The value and key statistics of codecomp's value_weight and distinct_weight, from s's cache:
 * for each (layer, KV head) and context slot j < n_ctx, at [(layer * n_kv_heads + kv_head) *
 * n_ctx + j], vnorm = ||v_j||_1 and kdist = 1 - cos(k_j, m), m the mean of the head's n_ctx
 * context keys (as cached, after RoPE) each divided by its norm (0 for a zero key or mean).
 * Either output may be NULL (not computed); the caller allocates n_layers x n_kv_heads x
 * n_ctx floats for each. CPU and CUDA sessions (CUDA: the rows are copied to the host,
 * cc_session_kv_export). s is not changed. Cost: one pass over the context's K and V rows.
 * Errors: CC_EINVAL (NULL session, a layer holding fewer than n_ctx tokens),
 * CC_EUNSUPPORTED (a quantized cache, a layer with a different count per head),
 * CC_ENOMEM. cc_compress_session calls it for codecomp when value_weight or distinct_weight
 * is set (on a quantized cache the factors are then left out).
 */
int cc_compress_kv_scores(const cc_session *s, size_t n_ctx, float *vnorm, float *kdist);

int cc_compress_expected_attn(const cc_session *s, size_t n_ctx, int64_t pos0, size_t n_future,
                              float *out);

#ifdef __cplusplus
}
#endif
#endif
