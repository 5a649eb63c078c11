/*
 * fidelity.c - bench_fidelity: the fidelity benchmark of docs/EVAL.md. For each seeded sample
 * (sample.c) the full-cache reference and every (policy, budget) compressed cache score the
 * same target tokens, in two modes:
 *   agnostic  C is prefilled, its last 64 tokens are the observation window, the cache is
 *             compressed, then each target ("# file: <path>\n" + function) is scored;
 *   query     the target's "# file:" line and def line (the query) are prefilled after C and
 *             are the window, the cache is compressed (the query kept), the rest is scored.
 * Metrics against the full cache on the same tokens: mean ΔNLL, ΔNLL on context-dependent
 * tokens, top-1 agreement, KL(full || compressed) over the whole vocabulary, and the KV bytes
 * the compressed sequence holds. One JSON with every figure and a markdown table.
 *
 * How the attention statistics reach the policies: the engine's observation statistics
 * belong to the session that ran the prefill (a fork starts without them), so for every
 * (policy, budget) a fork of the session holding C minus its last 64 tokens prefills those 64
 * tokens (agnostic) or a fork of the full context prefills the query (query mode), and that
 * fork is compressed with cc_compress_session. H2O needs the attention of every query of C:
 * one extra session prefills C with obs_window = T once per sample; its statistics (plus the
 * query's in query mode: attention is causal, so the sum is exactly the cumulative attention
 * of C + query) go through cc_compress_select and cc_session_compact per layer, which is what
 * cc_compress_session does; the first sample checks that both give the same kept positions.
 * codecomp gets the same cumulative attention as cc_compress_session's attn_cum.
 *
 * --stream-chunk N adds rows compressed as the chunked prefill goes
 * (cc_compress_stream_prefill): a new session prefills C in chunks of N tokens, compressing
 * after each; their peak KV bytes stand beside the full cache that prefill-then-compress
 * holds, and their ΔNLL is compared per sample with the rows of the same policy.
 *
 * Scored positions: the first target token (agnostic) or the first token after the query is
 * predicted from logits computed before compression, the same under every policy; the
 * predictions scored are those of the following tokens, each made through the compressed
 * cache.
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"
#include "fidelity.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#define MAX_BUDGETS 16
#define MAX_POLICIES 256
#define MAX_KV 8 /* --kv-bits x --kv-quant configurations */
#define WINDOW 64
#define REPEAT_CHUNK 512 /* kvzip: the context is repeated in chunks of this many tokens */

enum {
	MODE_AGNOSTIC = 0,
	MODE_QUERY = 1,
	N_MODES
};
static const char *const mode_names[N_MODES] = {"agnostic", "query"};

/* Sums over the scored tokens of one sample for one (mode, policy, budget). */
typedef struct {
	double dnll, dnll_ctx, kl, nll_full, nll_comp;
	size_t n, n_ctx, agree;
	double kv_bytes; /* summed over compressions */
	double kv_full;  /* the same sums for the uncompressed caches */
	size_t n_kv, kept;
	/* the highest KV bytes the sequence held on the way (summed over compressions):
	 * prefill-then-compress rows hold the full cache; --stream-chunk rows their peak */
	double peak;
	size_t n_peak;
} acc;

/* The full cache's figures for one target, one mode. */
typedef struct {
	float *lsm;      /* log-softmax rows (rows x V) */
	int32_t *argmax; /* rows */
	size_t rows;
	const int32_t *next; /* the token each row predicts */
	const uint8_t *dep;  /* context-dependent flags of those tokens */
} reference;

static struct {
	const char *model, *corpus, *json_out, *md_out;
	/* --dump FILE: per sample, the priors, protected flags and reconstruction attention of
	 * C, and per agnostic compression its kept positions and per target token ΔNLL (text
	 * lines, for diagnosis; see dump_* below) */
	FILE *dump;
	size_t samples, T;
	int targets, threads, device;
	double budgets[MAX_BUDGETS];
	int n_budgets;
	int policies[MAX_POLICIES], n_policies;
	/* per entry of --policies: its label and options (budget, window, seed set per run);
	 * nocum: codecomp without the cumulative attention */
	char plabel[MAX_POLICIES][96];
	cc_compress_opts popts[MAX_POLICIES];
	int pnocum[MAX_POLICIES];
	/* expected:ctx=1: query statistics of every context query (as kvpress), not the
	 * observation window's */
	int pexp[MAX_POLICIES];
	/* codecomp: attn_cum = the reconstruction attention (1: in agnostic mode, 2: in both
	 * modes) */
	int prec[MAX_POLICIES];
	uint64_t seed;
	/* --kv-bits / --kv-quant: the caches compressed are stored in these formats (bits 16:
	 * bf16; else quantized by method); each policy row is repeated per format, labelled
	 * policy@format, and pkv gives a row's format. n_kv 0: the engine's default cache */
	int kv_bits[MAX_KV], kv_method[MAX_KV], n_kv;
	int pkv[MAX_POLICIES];
	/* --stream-chunk N: rows compressed as the chunked prefill goes
	 * (cc_compress_stream_prefill, chunks of pstream tokens; 0 = prefill, then compress),
	 * each beside the row pbase it streams */
	size_t stream_chunk;
	size_t pstream[MAX_POLICIES];
	int pbase[MAX_POLICIES];
	int pscum[MAX_POLICIES]; /* codecomp:scum=1: streamed with the carried attention */
	/* run state */
	cc_model *m;
	cc_model_info info;
	int V, L, H;
	acc *accs; /* [sample][mode][policy][budget] */
	json_t *jsamples;
	double full_kv_bytes, full_nll[N_MODES];
	size_t full_n[N_MODES];
	size_t n_targets;
	double ctx_tokens, all_tokens;
	double max_lp_diff;
	int glue_checked, glue_mismatch;
	int need_rec;    /* some policy uses the reconstruction attention */
	int need_expall; /* some policy is expected:ctx=1 */
	/* selection costs, summed over samples: a plain prefill of C, the prefill collecting
	 * every query's attention (h2o), the repeat pass (kvzip), and each policy's selection
	 * plus compaction (agnostic mode) */
	double t_plain, t_allobs, t_repeat, t_expall, t_sel[MAX_POLICIES];
	size_t n_sel[MAX_POLICIES];
} g;

/* Row `to` of the policy table becomes a copy of row `from` (every per-row option; the
 * format, stream and base columns are set where rows are made). */
static void row_copy(int to, int from)
{
	if (to == from)
		return;
	g.policies[to] = g.policies[from];
	g.popts[to] = g.popts[from];
	g.pnocum[to] = g.pnocum[from];
	g.pscum[to] = g.pscum[from];
	g.pexp[to] = g.pexp[from];
	g.prec[to] = g.prec[from];
	memcpy(g.plabel[to], g.plabel[from], sizeof(g.plabel[to]));
}

static acc *acc_at(size_t s, int mode, int p, int b)
{
	size_t row = (s * N_MODES + (size_t)mode) * (size_t)g.n_policies + (size_t)p;
	return &g.accs[row * (size_t)g.n_budgets + (size_t)b];
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: bench_fidelity --model DIR [--corpus DIR] [--samples N]\n"
	        "         [--targets-per-sample K] [--tokens T] [--budgets 0.05,0.1,0.2,0.4]\n"
	        "         [--policies all|p1,p2] [--seed S] [--device cpu|cuda] [--threads N]\n"
	        "         [--kv-bits 16,8,4,2] [--kv-quant kivi,rotated] [--stream-chunk N]\n"
	        "         [--json OUT.json] [--markdown OUT.md] [--dump OUT.txt]\n"
	        "Fidelity of compressed KV caches against the full cache (docs: EVAL.md).\n"
	        "Defaults: corpus /usr/lib/python3.11, 10 samples, 3 targets, T 2048, all\n"
	        "policies, seed 1, cpu. Progress on stderr when it is a terminal.\n"
	        "A policy may carry codecomp's options: codecomp:pw=W:cw=W:ps=S:pool=K\n"
	        ":comb=prod|max|rank (prior_weight, cum_weight, protect_share, pooling,\n"
	        "combination: attention x prior^pw, default, or + pw x prior, or ranks) and :cum=0 (no\n"
	        "attn_cum at all), :rec=0 (H2O's cumulative attention instead of the reconstruction\n"
	        "attention, kvzip's signal; 1: reconstruction in agnostic mode only; 2, default:\n"
	        "in both modes), :taper=1 (pyramid's layer budgets), :adapt=0|1|5|6 (layer budgets:\n"
	        "uniform; by attention mass; in proportion to each layer's information, the KL of\n"
	        "its attention from uniform; the same capped at the median layer's, default 6),\n"
	        ":lsrc=M (mode mask where that information is the observation window's attention,\n"
	        "with a query the query's own, instead of the reconstruction attention; default 2),\n"
	        ":ent=M (prior exponent x the attention's normalised entropy; mode mask: 1 agnostic, 2 query),\n"
	        ":qwin=1 (with a query: the query window's attention + cw x attn_cum, as before\n"
	        "2026-12-05; default 0: attn_cum alone), :qpw=W:qps=S (prior weight and\n"
	        "protect share with a query; < 0: as without), :ha=0|1|2 (per-head counts:\n"
	        "uniform, from codecomp's scores, prior-steered; default 2), :hf=F (their safeguard, default 0.2);\n"
	        ":pf=M (protected tokens first: at least P r / (P + r) of the r kept, P the protected;\n"
	        "mode mask 1 agnostic, 2 query; default 0: protect_share alone);\n"
	        ":vw=W (attention x (||v||_1 / max) ^ W, value-aware; default 1, 0 = as before\n"
	        "2026-12-06), :dw=W (attention x ((1 - cos(k, mean key)) / max) ^ W, distinct keys;\n"
	        "default 0), :vkm=M (their mode mask, default 3); :pbr=R (the prior's exponent is\n"
	        "pw (qpw) x ln(1/b) / ln(1/R) at budget b; default e^-2 = 0.135; 0: pw at every b);\n"
	        "pyramid:beta=B (also codecomp's taper); expected:ctx=1 (query statistics of\n"
	        "every context query, as kvpress, instead of the observation window's);\n"
	        "each entry is its\n"
	        "own row, labelled as written.\n"
	        "--kv-bits / --kv-quant (CPU engine): the compressed caches are stored at these\n"
	        "widths (16 = bf16; 8, 4, 2 quantized by each --kv-quant method, default both),\n"
	        "every policy row repeated per format as policy@int4-rotated etc.; the reference\n"
	        "stays the f32 cache, and KV bytes ratios are against a bf16 full cache.\n"
	        "--stream-chunk N: beside each policy that has a streamed mode (not kvzip,\n"
	        "adakv), a row policy~sN compressed as the chunked prefill goes\n"
	        "(cc_compress_stream_prefill: after each N-token chunk, ceil(b x tokens so far)\n"
	        "kept, the chunk's last 64 tokens observing; codecomp there: window attention x\n"
	        "prior, or with :scum=1 the attention of every query so far carried across the\n"
	        "chunks, x prior; one count per head; h2o: the carried attention). Query mode:\n"
	        "the query's priors steer the chunks,\n"
	        "the query is prefilled after. Peak KV bytes per row, and streamed minus\n"
	        "prefill-then-compress per sample. Not with --kv-bits/--kv-quant.\n"
	        "--dump FILE: text lines for diagnosis, per sample (S sample T; P priors; R\n"
	        "protected flags; A layer head reconstruction attention; C context token ids;\n"
	        "D target context-dependent flags of its tokens 1..n-1; I target token ids; U\n"
	        "sample target query tokens; PQ/RQ the target's query-aware priors and flags),\n"
	        "per agnostic compression (K sample label budget layer head kept positions; N\n"
	        "sample label budget target per-token ΔNLL) and per query-aware one (Q as K with\n"
	        "the target after the budget; M as N, the rows after the query).\n");
}

/* ---- arithmetic on logits ---------------------------------------------------------------- */

/* Compare compressed logits (rows x V, raw; overwritten) with the reference. */
static void compare(acc *a, const reference *r, float *logits)
{
	int V = g.V;
	for (size_t i = 0; i < r->rows; i++) {
		float *c = logits + i * (size_t)V;
		const float *f = r->lsm + i * (size_t)V;
		int32_t am = cc_log_softmax(c, V), t = r->next[i];
		double kl = 0, d = (double)f[t] - (double)c[t];
		for (int v = 0; v < V; v++)
			kl += exp((double)f[v]) * ((double)f[v] - (double)c[v]);
		a->dnll += d;
		a->kl += kl;
		a->nll_full += -(double)f[t];
		a->nll_comp += -(double)c[t];
		a->n++;
		a->agree += am == r->argmax[i];
		if (r->dep[i]) {
			a->dnll_ctx += d;
			a->n_ctx++;
		}
	}
}

/* Run ids[0..n) on a fork of base and fill the reference from rows 0..n-2. */
static int make_reference(reference *r, cc_session *base, const int32_t *ids, size_t n,
                          const uint8_t *dep, float *logits)
{
	cc_session *f = NULL;
	int rc;
	memset(r, 0, sizeof(*r));
	if ((rc = cc_session_fork(&f, base)) || (rc = cc_session_forward_all(f, ids, n, logits)))
		goto out;
	r->rows = n - 1;
	r->lsm = cc_xmalloc(r->rows * (size_t)g.V * sizeof(float));
	r->argmax = cc_xmalloc(r->rows * sizeof(int32_t));
	memcpy(r->lsm, logits, r->rows * (size_t)g.V * sizeof(float));
	for (size_t i = 0; i < r->rows; i++)
		r->argmax[i] = cc_log_softmax(r->lsm + i * (size_t)g.V, g.V);
	r->next = ids + 1;
	r->dep = dep + 1;
out:
	cc_session_free(f);
	return rc;
}

static void reference_free(reference *r)
{
	free(r->lsm);
	free(r->argmax);
}

/* ---- sessions ---------------------------------------------------------------------------- */

static size_t seq_bytes(const cc_session *s)
{
	cc_cache_stats cs;
	cc_session_cache_stats(&cs, s);
	return cs.seq_bytes;
}

/* Slots per (layer, KV head), the mean over all of them (adakv and codecomp keep a different
 * count per head, pyramid and codecomp per layer; the totals are the uniform ones). */
static size_t kept_slots(const cc_session *s)
{
	size_t sum = 0;
	for (int l = 0; l < g.L; l++)
		for (int h = 0; h < g.H; h++)
			sum += cc_kv_seq_head_len(cc_session_kv(s), l, h);
	return sum / ((size_t)g.L * (size_t)g.H);
}

/* Copy the first n_ctx slots of s's observation statistics: out[(l * H + h) * n_ctx + j]. */
static int copy_obs(float *out, const cc_session *s, size_t n_ctx)
{
	for (int l = 0; l < g.L; l++)
		for (int h = 0; h < g.H; h++) {
			const float *sc;
			const int32_t *pos;
			size_t n;
			int rc = cc_session_obs(s, l, h, &sc, &pos, &n);
			if (rc)
				return rc;
			if (n < n_ctx)
				return cc_error_set(CC_EINVAL,
				                    "observation statistics cover %zu < %zu slots",
				                    n, n_ctx);
			memcpy(out + ((size_t)l * g.H + h) * n_ctx, sc, n_ctx * sizeof(float));
		}
	return CC_OK;
}

/* Selections of every (layer, head) from attention given by the caller, then compaction:
 * cc_compress_session's procedure with statistics that another session collected. When sel
 * is not NULL it receives the keep lists ([l][h * k + i]) and s is left unchanged. */
static int compress_with_attn(cc_session *s, const cc_compress_opts *o, size_t n_ctx,
                              const float *attn, int32_t **sel_out, size_t *k_out)
{
	const cc_kv_seq *seq = cc_session_kv(s);
	int32_t **keep = cc_xcalloc((size_t)g.L, sizeof(*keep)), *sel = cc_xmalloc(n_ctx * 4);
	size_t *nk = cc_xcalloc((size_t)g.L, sizeof(*nk));
	int rc = CC_OK;
	for (int l = 0; l < g.L && !rc; l++) {
		size_t n = cc_kv_seq_len(seq, l);
		for (int h = 0; h < g.H; h++) {
			cc_compress_input in = {n_ctx, attn + ((size_t)l * g.H + h) * n_ctx, NULL, NULL,
			                        l, h, NULL, 0, g.L, NULL, NULL};
			size_t got;
			if ((rc = cc_compress_select(sel, &got, o, &in)))
				break;
			if (h == 0) {
				nk[l] = got + (n - n_ctx);
				keep[l] = cc_xmalloc(nk[l] * (size_t)g.H * sizeof(int32_t));
			}
			int32_t *dst = keep[l] + (size_t)h * nk[l];
			memcpy(dst, sel, got * sizeof(int32_t));
			for (size_t j = n_ctx; j < n; j++)
				dst[got + j - n_ctx] = (int32_t)j;
		}
	}
	if (!rc && sel_out) {
		for (int l = 0; l < g.L; l++) {
			sel_out[l] = keep[l];
			keep[l] = NULL;
		}
		*k_out = nk[0];
	} else
		for (int l = 0; l < g.L && !rc; l++)
			rc = cc_session_compact(s, l, keep[l], nk[l]);
	for (int l = 0; l < g.L; l++)
		free(keep[l]);
	free(keep);
	free(nk);
	free(sel);
	return rc;
}

/* Check once that compress_with_attn selects what cc_compress_session does (h2o on the
 * session whose own statistics cover every query); consumes hs. */
static int glue_check(cc_session *hs, const float *h2o_attn, size_t T)
{
	cc_compress_opts o;
	int32_t **sel = cc_xcalloc((size_t)g.L, sizeof(*sel));
	size_t k = 0;
	int rc;
	cc_compress_opts_default(&o, CC_POLICY_H2O, g.budgets[0]);
	if ((rc = compress_with_attn(hs, &o, T, h2o_attn, sel, &k)) ||
	    (rc = cc_compress_session(hs, &o, T, NULL, NULL, NULL, NULL)))
		goto out;
	for (int l = 0; l < g.L; l++) {
		if (cc_kv_seq_len(cc_session_kv(hs), l) != k) {
			g.glue_mismatch++;
			continue;
		}
		for (int h = 0; h < g.H; h++) {
			const int32_t *pos = cc_kv_seq_positions(cc_session_kv(hs), l, h);
			if (memcmp(pos, sel[l] + (size_t)h * k, k * sizeof(int32_t)) != 0)
				g.glue_mismatch++;
		}
	}
	g.glue_checked = 1;
out:
	for (int l = 0; l < g.L; l++)
		free(sel[l]);
	free(sel);
	return rc;
}

/* ---- --dump ------------------------------------------------------------------------------ */

static void dump_floats(const char *tag, size_t si, int a, int b, const float *x, size_t n)
{
	fprintf(g.dump, "%s %zu %d %d", tag, si, a, b);
	for (size_t i = 0; i < n; i++)
		fprintf(g.dump, " %.6g", (double)x[i]);
	fputc('\n', g.dump);
}

static void dump_flags(const char *tag, size_t si, int a, const uint8_t *x, size_t n)
{
	fprintf(g.dump, "%s %zu %d", tag, si, a);
	for (size_t i = 0; i < n; i++)
		fprintf(g.dump, " %d", x[i] != 0);
	fputc('\n', g.dump);
}

/* The kept original positions of every (layer, KV head) of s below n_ctx: "K" lines
 * (agnostic), or "Q" lines naming the target t (query-aware). */
static void dump_kept(size_t si, int pi, double b, long t, const cc_session *s, size_t n_ctx)
{
	for (int l = 0; l < g.L; l++)
		for (int h = 0; h < g.H; h++) {
			const int32_t *pos = cc_kv_seq_positions(cc_session_kv(s), l, h);
			size_t n = cc_kv_seq_head_len(cc_session_kv(s), l, h);
			if (t < 0)
				fprintf(g.dump, "K %zu %s %g %d %d", si, g.plabel[pi], b, l, h);
			else
				fprintf(g.dump, "Q %zu %s %g %ld %d %d", si, g.plabel[pi], b, t, l, h);
			for (size_t i = 0; i < n; i++)
				if ((size_t)pos[i] < n_ctx)
					fprintf(g.dump, " %d", (int)pos[i]);
			fputc('\n', g.dump);
		}
}

/* Per-token ΔNLL of one target after compare() (logits now hold log-softmax rows): tag "N"
 * (agnostic) or "M" (query-aware: the rows after the query). */
static void dump_dnll(const char *tag, size_t si, int pi, double b, size_t t,
                      const reference *r, const float *lsm)
{
	fprintf(g.dump, "%s %zu %s %g %zu", tag, si, g.plabel[pi], b, t);
	for (size_t i = 0; i < r->rows; i++)
		fprintf(g.dump, " %.5f",
		        (double)r->lsm[i * (size_t)g.V + r->next[i]] -
		                (double)lsm[i * (size_t)g.V + r->next[i]]);
	fputc('\n', g.dump);
}

/* Compress s (its context = the first T slots) with --policies entry pi at budget; h2o
 * takes cum (the cumulative attention of every query in s), codecomp gets it as attn_cum
 * (or rec, the reconstruction attention, with :rec=1/2), kvzip gets rec. */
static int compress(cc_session *s, int pi, double budget, size_t T, const float *prior,
                    const uint8_t *protect, const float *cum, const float *rec,
                    const float *expall, int query, uint64_t seed)
{
	cc_compress_opts o = g.popts[pi];
	const float *ac = NULL;
	double t0 = cc_now();
	int rc;
	o.budget = budget;
	o.window = WINDOW;
	o.seed = seed;
	if (o.policy == CC_POLICY_H2O) {
		rc = compress_with_attn(s, &o, T, cum, NULL, NULL);
		goto out;
	}
	if (o.policy == CC_POLICY_KVZIP)
		ac = rec;
	/* expected: cc_compress_session reads the window's query statistics itself; with :ctx=1
	 * the scores from every context query's statistics */
	else if (o.policy == CC_POLICY_EXPECTED && g.pexp[pi])
		ac = expall;
	else if (o.policy == CC_POLICY_CODECOMP && !g.pnocum[pi])
		ac = g.prec[pi] > query ? rec : cum;
	rc = cc_compress_session(s, &o, T, prior, protect, ac, NULL);
out:
	if (!query) {
		g.t_sel[pi] += cc_now() - t0;
		g.n_sel[pi]++;
	}
	return rc;
}

/* ---- one sample -------------------------------------------------------------------------- */

/* A --stream-chunk row: a new session prefills C chunk by chunk, compressed after each chunk
 * to the budget of the tokens so far (priors by position, the query's in query mode), and
 * then (query mode) prefills the query. *out receives the session; the peak and the bytes
 * held go to a. */
static int stream_session(cc_session **out, const cc_session_opts *so, const fid_sample *smp,
                          int pi, double budget, const float *prior, const uint8_t *protect,
                          const int32_t *query, size_t n_query, uint64_t seed, acc *a)
{
	cc_compress_opts o = g.popts[pi];
	cc_compress_stream_opts sopt = {g.pstream[pi], NULL, NULL, g.pscum[pi]};
	cc_compress_stream_stats st;
	cc_session *s = NULL;
	int rc;
	o.budget = budget;
	o.window = WINDOW;
	o.seed = seed;
	if ((rc = cc_session_new(&s, g.m, so)) ||
	    (rc = cc_compress_stream_prefill(s, smp->ids, smp->T, &o, prior, protect, &sopt, &st)))
		goto out;
	if (!query) {
		g.t_sel[pi] += st.t_compress;
		g.n_sel[pi]++;
	}
	if (n_query && (rc = cc_session_prefill(s, query, n_query, NULL)))
		goto out;
	{
		double peak = (double)st.peak_seq_bytes, now = (double)seq_bytes(s);
		a->peak += now > peak ? now : peak;
		a->n_peak++;
	}
out:
	if (rc)
		cc_session_free(s);
	else
		*out = s;
	return rc;
}

static int run_sample(size_t si, const fid_sample *smp, cc_progress *pg)
{
	size_t T = smp->T, nt = smp->n_targets, maxn = 0, cap;
	cc_session_opts so = {0};
	cc_session *s0 = NULL, *hs = NULL, *full = NULL;
	cc_session *s0k[MAX_KV] = {NULL}, *fullk[MAX_KV] = {NULL}; /* per --kv-bits format */
	double ref_scale = 1;
	reference *ref[N_MODES] = {NULL, NULL};
	float *logits = NULL, *h2o = NULL, **h2o_q = NULL, *rec = NULL, *expall = NULL;
	double *q_bytes = NULL;
	json_t *js = json_object(), *jt = json_array();
	double lp_diff = 0;
	int rc;

	for (size_t t = 0; t < nt; t++)
		if (smp->targets[t].n > maxn)
			maxn = smp->targets[t].n;
	cap = T + maxn + 16;
	so.max_tokens = cap;
	so.pool_tokens = 4 * cap;
	so.obs_window = WINDOW;
	logits = cc_xmalloc(maxn * (size_t)g.V * sizeof(float));
	h2o = cc_xmalloc((size_t)g.L * g.H * T * sizeof(float));
	rec = cc_xmalloc((size_t)g.L * g.H * T * sizeof(float));
	expall = cc_xmalloc((size_t)g.L * g.H * T * sizeof(float));
	h2o_q = cc_xcalloc(nt, sizeof(*h2o_q));
	q_bytes = cc_xcalloc(nt, sizeof(*q_bytes));
	for (int m = 0; m < N_MODES; m++)
		ref[m] = cc_xcalloc(nt, sizeof(reference));

	/* C without its window; H2O's statistics over all of C */
	{
		double t0 = cc_now();
		if ((rc = cc_session_new(&s0, g.m, &so)) ||
		    (rc = cc_session_prefill(s0, smp->ids, T - WINDOW, NULL)))
			goto out;
		/* the window's prefill is about WINDOW / T of a plain prefill of C */
		g.t_plain += (cc_now() - t0) * (double)T / (double)(T - WINDOW);
	}
	{
		cc_session_opts ho = so;
		double t0 = cc_now();
		ho.max_tokens = T + REPEAT_CHUNK;
		ho.pool_tokens = 2 * (T + REPEAT_CHUNK);
		ho.obs_window = (int)T;
		if ((rc = cc_session_new(&hs, g.m, &ho)) ||
		    (rc = cc_session_prefill(hs, smp->ids, T, NULL)) || (rc = copy_obs(h2o, hs, T)))
			goto out;
		g.t_allobs += cc_now() - t0;
		t0 = cc_now();
		if (g.need_expall && (rc = cc_compress_expected_attn(hs, T, -1, 0, expall)))
			goto out;
		g.t_expall += cc_now() - t0;
		t0 = cc_now();
		if (g.need_rec && (rc = cc_compress_recon_attn(hs, smp->ids, T, REPEAT_CHUNK, rec)))
			goto out;
		g.t_repeat += cc_now() - t0;
		if (g.dump) {
			fprintf(g.dump, "S %zu %zu\n", si, T);
			dump_floats("P", si, 0, 0, smp->prior, T);
			dump_flags("R", si, 0, smp->protect, T);
			for (int l = 0; g.need_rec && l < g.L; l++)
				for (int h = 0; h < g.H; h++)
					dump_floats("A", si, l, h, rec + ((size_t)l * g.H + h) * T, T);
			fprintf(g.dump, "C %zu 0", si);
			for (size_t i = 0; i < T; i++)
				fprintf(g.dump, " %d", (int)smp->ids[i]);
			fputc('\n', g.dump);
			for (size_t t = 0; t < nt; t++) {
				dump_flags("D", si, (int)t, smp->targets[t].ctxdep + 1,
				           smp->targets[t].n - 1);
				fprintf(g.dump, "I %zu %zu", si, t);
				for (size_t i = 0; i < smp->targets[t].n; i++)
					fprintf(g.dump, " %d", (int)smp->targets[t].ids[i]);
				fputc('\n', g.dump);
				fprintf(g.dump, "U %zu %zu %zu\n", si, t, smp->targets[t].n_query);
				dump_floats("PQ", si, (int)t, 0, smp->targets[t].prior_q, T);
				dump_flags("RQ", si, (int)t, smp->targets[t].protect_q, T);
			}
		}
		if (!g.glue_checked && (rc = glue_check(hs, h2o, T)))
			goto out;
		cc_session_free(hs);
		hs = NULL;
	}
	if ((rc = cc_session_fork(&full, s0)) ||
	    (rc = cc_session_prefill(full, smp->ids + T - WINDOW, WINDOW, NULL)))
		goto out;
	g.full_kv_bytes = (double)seq_bytes(full);
	/* the caches in each --kv-bits format: C without its window, and all of C */
	for (int k = 0; k < g.n_kv; k++) {
		cc_session_opts ko = so;
		ko.kv_dtype = CC_KV_BF16;
		ko.kv_dtype_set = 1;
		if (g.kv_bits[k] < 16) {
			ko.kv_quant = g.kv_method[k];
			ko.kv_bits = g.kv_bits[k];
		}
		if ((rc = cc_session_new(&s0k[k], g.m, &ko)) ||
		    (rc = cc_session_prefill(s0k[k], smp->ids, T - WINDOW, NULL)) ||
		    (rc = cc_session_fork(&fullk[k], s0k[k])) ||
		    (rc = cc_session_prefill(fullk[k], smp->ids + T - WINDOW, WINDOW, NULL)))
			goto out;
	}
	/* with formats, bytes are compared with a bf16 full cache (the reference is f32) */
	if (g.n_kv)
		ref_scale = 2.0 / (double)cc_kv_dtype_size(cc_kv_pool_config(cc_session_pool(full))->dtype);

	/* references, both modes */
	for (size_t t = 0; t < nt; t++) {
		const fid_target *tg = &smp->targets[t];
		cc_session *q = NULL;
		if ((rc = make_reference(&ref[MODE_AGNOSTIC][t], full, tg->ids, tg->n, tg->ctxdep,
		                         logits)))
			goto out;
		if (t == 0) { /* the log-softmax here against the engine's own log-probabilities */
			cc_session *f = NULL;
			float *lp = cc_xmalloc(tg->n * sizeof(float));
			rc = cc_session_fork(&f, full);
			if (!rc)
				rc = cc_session_logprobs(f, tg->ids, tg->n, lp, 0, NULL, NULL);
			for (size_t i = 1; !rc && i < tg->n; i++) {
				const reference *r = &ref[MODE_AGNOSTIC][0];
				double d = fabs((double)lp[i] - r->lsm[(i - 1) * (size_t)g.V + tg->ids[i]]);
				if (d > lp_diff)
					lp_diff = d;
			}
			free(lp);
			cc_session_free(f);
			if (rc)
				goto out;
			if (lp_diff > g.max_lp_diff)
				g.max_lp_diff = lp_diff;
		}
		h2o_q[t] = cc_xmalloc((size_t)g.L * g.H * T * sizeof(float));
		if ((rc = cc_session_fork(&q, full)) ||
		    (rc = cc_session_prefill(q, tg->ids, tg->n_query, NULL)) ||
		    (rc = copy_obs(h2o_q[t], q, T)) ||
		    (rc = make_reference(&ref[MODE_QUERY][t], q, tg->ids + tg->n_query,
		                         tg->n - tg->n_query, tg->ctxdep + tg->n_query, logits))) {
			cc_session_free(q);
			goto out;
		}
		q_bytes[t] = (double)seq_bytes(q);
		cc_session_free(q);
		for (size_t j = 0; j < (size_t)g.L * g.H * T; j++)
			h2o_q[t][j] += h2o[j];
		for (int m = 0; m < N_MODES; m++) {
			const reference *r = &ref[m][t];
			for (size_t i = 0; i < r->rows; i++)
				g.full_nll[m] += -(double)r->lsm[i * (size_t)g.V + r->next[i]];
			g.full_n[m] += r->rows;
		}
		for (size_t i = 1; i < tg->n; i++) {
			g.ctx_tokens += tg->ctxdep[i];
			g.all_tokens++;
		}
		json_t *jtg = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i}", "name", tg->name,
		                        "start_line", (int)tg->start_line, "end_line", (int)tg->end_line,
		                        "tokens", (int)tg->n, "query_tokens", (int)tg->n_query,
		                        "scored_agnostic", (int)ref[MODE_AGNOSTIC][t].rows,
		                        "scored_query", (int)ref[MODE_QUERY][t].rows);
		json_array_append_new(jt, jtg);
	}

	for (int pi = 0; pi < g.n_policies; pi++) {
		cc_session *c0 = g.n_kv ? s0k[g.pkv[pi]] : s0, *cf = g.n_kv ? fullk[g.pkv[pi]] : full;
		for (int bi = 0; bi < g.n_budgets; bi++) {
			double b = g.budgets[bi];
			cc_session *f = NULL;
			acc *a = acc_at(si, MODE_AGNOSTIC, pi, bi);
			cc_progress_update(pg, "sample %zu/%zu: %s %.2f", si + 1, g.samples,
			                   g.plabel[pi], b);
			/* agnostic: one compression serves every target */
			if (g.pstream[pi]) {
				if ((rc = stream_session(&f, &so, smp, pi, b, smp->prior, smp->protect,
				                         NULL, 0, g.seed + si, a)))
					goto out;
			} else if ((rc = cc_session_fork(&f, c0)) ||
			           (rc = cc_session_prefill(f, smp->ids + T - WINDOW, WINDOW, NULL)) ||
			           (rc = compress(f, pi, b, T, smp->prior, smp->protect, h2o, rec,
			                          expall, 0, g.seed + si))) {
				cc_session_free(f);
				goto out;
			} else {
				a->peak += g.full_kv_bytes * ref_scale;
				a->n_peak++;
			}
			a->kv_bytes += (double)seq_bytes(f);
			a->kv_full += g.full_kv_bytes * ref_scale;
			a->n_kv++;
			a->kept = kept_slots(f);
			if (g.dump)
				dump_kept(si, pi, b, -1, f, T);
			for (size_t t = 0; t < nt; t++) {
				const fid_target *tg = &smp->targets[t];
				cc_session *x = NULL;
				if ((rc = cc_session_fork(&x, f)) ||
				    (rc = cc_session_forward_all(x, tg->ids, tg->n, logits))) {
					cc_session_free(x);
					cc_session_free(f);
					goto out;
				}
				cc_session_free(x);
				compare(a, &ref[MODE_AGNOSTIC][t], logits);
				if (g.dump)
					dump_dnll("N", si, pi, b, t, &ref[MODE_AGNOSTIC][t], logits);
			}
			cc_session_free(f);
			/* query-aware: the query is prefilled before compressing, per target */
			a = acc_at(si, MODE_QUERY, pi, bi);
			for (size_t t = 0; t < nt; t++) {
				const fid_target *tg = &smp->targets[t];
				f = NULL;
				if (g.pstream[pi]) {
					if ((rc = stream_session(&f, &so, smp, pi, b, tg->prior_q,
					                         tg->protect_q, tg->ids, tg->n_query,
					                         g.seed + si, a)))
						goto fail_q;
				} else if ((rc = cc_session_fork(&f, cf)) ||
				           (rc = cc_session_prefill(f, tg->ids, tg->n_query, NULL)) ||
				           (rc = compress(f, pi, b, T, tg->prior_q, tg->protect_q, h2o_q[t],
				                          rec, expall, 1, g.seed + si))) {
					goto fail_q;
				} else {
					a->peak += q_bytes[t] * ref_scale;
					a->n_peak++;
				}
				a->kv_bytes += (double)seq_bytes(f);
				a->kv_full += q_bytes[t] * ref_scale;
				a->n_kv++;
				a->kept = kept_slots(f) - tg->n_query;
				if (g.dump)
					dump_kept(si, pi, b, (long)t, f, T);
				if ((rc = cc_session_forward_all(f, tg->ids + tg->n_query,
				                                 tg->n - tg->n_query, logits)))
					goto fail_q;
				cc_session_free(f);
				compare(a, &ref[MODE_QUERY][t], logits);
				if (g.dump)
					dump_dnll("M", si, pi, b, t, &ref[MODE_QUERY][t], logits);
				continue;
			fail_q:
				cc_session_free(f);
				goto out;
			}
		}
	}
	json_object_set_new(js, "dir", json_string(smp->dir));
	json_object_set_new(js, "target_file", json_string(smp->target_path));
	json_object_set_new(js, "files_in_context", json_integer((json_int_t)smp->n_files));
	json_object_set_new(js, "context_dependent_share", json_real(smp->ctx_share));
	json_object_set_new(js, "logprobs_check_max_abs_diff", json_real(lp_diff));
	json_object_set_new(js, "targets", jt);
	jt = NULL;
	json_array_append(g.jsamples, js);
	g.n_targets += nt;
	rc = CC_OK;
out:
	json_decref(js);
	json_decref(jt);
	for (int m = 0; m < N_MODES; m++) {
		for (size_t t = 0; ref[m] && t < nt; t++)
			reference_free(&ref[m][t]);
		free(ref[m]);
	}
	for (size_t t = 0; t < nt; t++)
		free(h2o_q[t]);
	free(h2o_q);
	free(q_bytes);
	free(h2o);
	free(rec);
	free(expall);
	free(logits);
	cc_session_free(full);
	cc_session_free(hs);
	for (int k = 0; k < g.n_kv; k++) {
		cc_session_free(fullk[k]);
		cc_session_free(s0k[k]);
	}
	cc_session_free(s0);
	return rc;
}

/* ---- report ------------------------------------------------------------------------------ */

typedef struct {
	double mean, sd, min, max; /* mean over tokens; spread over per-sample means */
} figure;

/* fn picks one per-sample value (NAN = no data) and the pooled numerator/denominator. */
typedef double (*pick_fn)(const acc *a, double *num, double *den);

static double pick_dnll(const acc *a, double *num, double *den)
{
	*num = a->dnll;
	*den = (double)a->n;
	return a->n ? a->dnll / (double)a->n : NAN;
}
static double pick_dnll_ctx(const acc *a, double *num, double *den)
{
	*num = a->dnll_ctx;
	*den = (double)a->n_ctx;
	return a->n_ctx ? a->dnll_ctx / (double)a->n_ctx : NAN;
}
static double pick_top1(const acc *a, double *num, double *den)
{
	*num = (double)a->agree;
	*den = (double)a->n;
	return a->n ? (double)a->agree / (double)a->n : NAN;
}
static double pick_kl(const acc *a, double *num, double *den)
{
	*num = a->kl;
	*den = (double)a->n;
	return a->n ? a->kl / (double)a->n : NAN;
}
static double pick_nll(const acc *a, double *num, double *den)
{
	*num = a->nll_comp;
	*den = (double)a->n;
	return a->n ? a->nll_comp / (double)a->n : NAN;
}
static double pick_kv(const acc *a, double *num, double *den)
{
	*num = a->kv_bytes;
	*den = (double)a->n_kv;
	return a->n_kv ? a->kv_bytes / (double)a->n_kv : NAN;
}

static double pick_peak(const acc *a, double *num, double *den)
{
	*num = a->peak;
	*den = (double)a->n_peak;
	return a->n_peak ? a->peak / (double)a->n_peak : NAN;
}

static figure summarize(size_t ns, int mode, int pi, int bi, pick_fn fn)
{
	figure f = {NAN, NAN, NAN, NAN};
	double num = 0, den = 0, s1 = 0, s2 = 0;
	size_t k = 0;
	for (size_t s = 0; s < ns; s++) {
		double a, b, v = fn(acc_at(s, mode, pi, bi), &a, &b);
		num += a;
		den += b;
		if (isnan(v))
			continue;
		if (k == 0 || v < f.min)
			f.min = v;
		if (k == 0 || v > f.max)
			f.max = v;
		s1 += v;
		s2 += v * v;
		k++;
	}
	if (den > 0)
		f.mean = num / den;
	if (k > 1)
		f.sd = sqrt(fmax(0, (s2 - s1 * s1 / (double)k) / (double)(k - 1)));
	return f;
}

static json_t *jnum(double v)
{
	return isnan(v) ? json_null() : json_real(round(v * 1e6) / 1e6);
}

static json_t *jfig(figure f)
{
	return json_pack("{s:o, s:o, s:o, s:o}", "mean", jnum(f.mean), "sd", jnum(f.sd), "min",
	                 jnum(f.min), "max", jnum(f.max));
}

/* A table cell: the token-pooled mean of fn, or (fn NULL) the spread of per-sample ΔNLL. */
static double md_value(size_t ns, int m, int p, int b, pick_fn fn)
{
	return fn ? summarize(ns, m, p, b, fn).mean : summarize(ns, m, p, b, pick_dnll).sd;
}

static void md_table(FILE *f, size_t ns, const char *title, pick_fn fn, double scale,
                     const char *fmt, int lower_better)
{
	fprintf(f, "\n%s\n\n| policy |", title);
	for (int m = 0; m < N_MODES; m++)
		for (int b = 0; b < g.n_budgets; b++)
			fprintf(f, " %s %g%% |", mode_names[m], g.budgets[b] * 100);
	fprintf(f, "\n| --- |");
	for (int i = 0; i < N_MODES * g.n_budgets; i++)
		fprintf(f, " ---: |");
	fprintf(f, "\n");
	for (int p = 0; p < g.n_policies; p++) {
		fprintf(f, "| %s |", g.plabel[p]);
		for (int m = 0; m < N_MODES; m++)
			for (int b = 0; b < g.n_budgets; b++) {
				double v = md_value(ns, m, p, b, fn), best = NAN;
				for (int q = 0; q < g.n_policies && lower_better >= 0; q++) {
					double w = md_value(ns, m, q, b, fn);
					if (!isnan(w) && (isnan(best) || (lower_better ? w < best : w > best)))
						best = w;
				}
				char buf[64];
				snprintf(buf, sizeof(buf), fmt, v * scale);
				if (lower_better >= 0 && g.n_policies > 1 && v == best)
					fprintf(f, " **%s** |", buf);
				else
					fprintf(f, " %s |", buf);
			}
		fprintf(f, "\n");
	}
}

/* codecomp against the best other policy of each column (by pooled ΔNLL): the mean over
 * samples of the per-sample difference and its standard error (paired: the same targets). */
static void md_paired(FILE *f, size_t ns)
{
	int cc = -1;
	for (int p = g.n_policies - 1; p >= 0; p--)
		if (g.policies[p] == CC_POLICY_CODECOMP)
			cc = p;
	if (cc < 0 || g.n_policies < 2 || ns < 2)
		return;
	fprintf(f, "\nPaired: codecomp ΔNLL minus the best other policy's, per sample (mean ± "
	           "standard error over samples; negative = codecomp better):\n\n|");
	for (int m = 0; m < N_MODES; m++)
		for (int b = 0; b < g.n_budgets; b++)
			fprintf(f, " %s %g%% |", mode_names[m], g.budgets[b] * 100);
	fprintf(f, "\n|");
	for (int i = 0; i < N_MODES * g.n_budgets; i++)
		fprintf(f, " ---: |");
	fprintf(f, "\n|");
	for (int m = 0; m < N_MODES; m++)
		for (int b = 0; b < g.n_budgets; b++) {
			int best = -1;
			double bv = INFINITY, s1 = 0, s2 = 0, x, y;
			size_t k = 0;
			for (int p = 0; p < g.n_policies; p++) {
				double v = summarize(ns, m, p, b, pick_dnll).mean;
				if (p != cc && !g.pstream[p] && v < bv) {
					bv = v;
					best = p;
				}
			}
			for (size_t s = 0; best >= 0 && s < ns; s++) {
				double d = pick_dnll(acc_at(s, m, cc, b), &x, &y) -
				           pick_dnll(acc_at(s, m, best, b), &x, &y);
				if (isnan(d))
					continue;
				s1 += d;
				s2 += d * d;
				k++;
			}
			if (k < 2) {
				fprintf(f, " - |");
				continue;
			}
			double mean = s1 / (double)k,
			       sd = sqrt(fmax(0, (s2 - s1 * s1 / (double)k) / (double)(k - 1)));
			fprintf(f, " %+.3f ± %.3f vs %s |", mean, sd / sqrt((double)k), g.plabel[best]);
		}
	fprintf(f, "\n");
}

/* One streamed row p against prefill-then-compress row base, every column. */
static void md_stream_row(FILE *f, size_t ns, int p, int base)
{
	fprintf(f, "| %s − %s |", g.plabel[p], g.plabel[base]);
	for (int m = 0; m < N_MODES; m++)
		for (int b = 0; b < g.n_budgets; b++) {
			double s1 = 0, s2 = 0, x, y, mean, sd;
			size_t k = 0;
			for (size_t s = 0; s < ns; s++) {
				double d = pick_dnll(acc_at(s, m, p, b), &x, &y) -
				           pick_dnll(acc_at(s, m, base, b), &x, &y);
				if (isnan(d))
					continue;
				s1 += d;
				s2 += d * d;
				k++;
			}
			mean = k ? s1 / (double)k : NAN;
			sd = k > 1 ? sqrt(fmax(0, (s2 - s1 * s1 / (double)k) / (double)(k - 1))) : NAN;
			fprintf(f, " %+.4f ± %.4f (%.2f / %.2f) |", mean, sd / sqrt((double)k),
			        summarize(ns, m, p, b, pick_peak).mean / (1 << 20),
			        summarize(ns, m, base, b, pick_peak).mean / (1 << 20));
		}
	fprintf(f, "\n");
}

/* --stream-chunk rows against their prefill-then-compress rows: the mean over samples of the
 * per-sample ΔNLL difference (streamed minus prefill-then-compress; the same targets) with
 * its standard error, and the mean peak KV bytes of both. */
static void md_stream(FILE *f, size_t ns)
{
	if (!g.stream_chunk || ns < 2)
		return;
	fprintf(f, "\nCompressing as the chunked prefill goes (--stream-chunk %zu): ΔNLL of the "
	           "streamed row minus its prefill-then-compress row, per sample (mean ± standard "
	           "error over samples; positive = streamed worse), and peak KV MiB (streamed / "
	           "prefill-then-compress):\n\n| row |",
	        g.stream_chunk);
	for (int m = 0; m < N_MODES; m++)
		for (int b = 0; b < g.n_budgets; b++)
			fprintf(f, " %s %g%% |", mode_names[m], g.budgets[b] * 100);
	fprintf(f, "\n| --- |");
	for (int i = 0; i < N_MODES * g.n_budgets; i++)
		fprintf(f, " ---: |");
	fprintf(f, "\n");
	/* each streamed row against every prefill-then-compress row of its policy (e.g. codecomp
	 * and codecomp:cum=0:ha=0, the streamed rule applied once) */
	for (int p = 0; p < g.n_policies; p++)
		for (int base = 0; base < g.n_policies; base++) {
			if (!g.pstream[p] || g.pstream[base] || g.policies[base] != g.policies[p])
				continue;
			md_stream_row(f, ns, p, base);
		}
}

/* Policy p's selection cost per compression (agnostic mode, ns samples) as a ratio to a
 * plain prefill of C: its selection and compaction, plus the extra pass its statistics need
 * (h2o and codecomp with cumulative attention: a prefill collecting every query's attention,
 * minus the plain prefill it replaces; kvzip and codecomp:rec: the repeat pass). */
static double cost_ratio(int p, size_t ns)
{
	double plain = ns ? g.t_plain / (double)ns : NAN, extra = 0,
	       sel = g.n_sel[p] ? g.t_sel[p] / (double)g.n_sel[p] : NAN;
	int pol = g.policies[p];
	if (g.pstream[p]) /* its compressions, step by step; no extra pass */
		return sel / plain;
	if (pol == CC_POLICY_KVZIP || (pol == CC_POLICY_CODECOMP && g.prec[p] && !g.pnocum[p]))
		extra += g.t_repeat / (double)ns;
	if (pol == CC_POLICY_EXPECTED && g.pexp[p]) /* every query's statistics, and the scores */
		extra += (fmax(0, g.t_allobs - g.t_plain) + g.t_expall) / (double)ns;
	if (pol == CC_POLICY_H2O || (pol == CC_POLICY_CODECOMP && !g.pnocum[p] && g.prec[p] < 2))
		extra += fmax(0, g.t_allobs - g.t_plain) / (double)ns;
	return (sel + extra) / plain;
}

static int write_outputs(size_t ns, double seconds)
{
	json_t *root = json_object(), *res = json_array(), *proto, *jb = json_array(),
	       *jp = json_array();
	struct utsname un;
	char date[64];
	time_t now = time(NULL);
	int rc = CC_OK;
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	uname(&un);
	for (int b = 0; b < g.n_budgets; b++)
		json_array_append_new(jb, json_real(g.budgets[b]));
	for (int p = 0; p < g.n_policies; p++)
		json_array_append_new(jp, json_string(g.plabel[p]));
	proto = json_pack("{s:s, s:s, s:i, s:i, s:i, s:o, s:o, s:i, s:i, s:I, s:s, s:i}", "model",
	                  g.model, "corpus", g.corpus, "tokens", (int)g.T, "samples", (int)g.samples,
	                  "targets_per_sample", g.targets, "budgets", jb, "policies", jp, "sinks", 4,
	                  "window", WINDOW, "seed", (json_int_t)g.seed, "device",
	                  g.device == CC_DEVICE_CUDA ? "cuda" : "cpu", "threads", g.threads);
	json_object_set_new(root, "protocol", proto);
	json_object_set_new(root, "date", json_string(date));
	json_object_set_new(root, "host",
	                    json_pack("{s:s, s:s, s:s}", "sysname", un.sysname, "release",
	                              un.release, "machine", un.machine));
	json_object_set_new(root, "seconds", jnum(seconds));
	json_object_set_new(root, "n_samples", json_integer((json_int_t)ns));
	json_object_set_new(root, "n_targets", json_integer((json_int_t)g.n_targets));
	json_object_set_new(root, "context_dependent_share",
	                    jnum(g.all_tokens ? g.ctx_tokens / g.all_tokens : NAN));
	json_object_set_new(root, "full_kv_bytes", json_integer((json_int_t)g.full_kv_bytes));
	json_object_set_new(root, "full_nll",
	                    json_pack("{s:o, s:o}", "agnostic",
	                              jnum(g.full_n[0] ? g.full_nll[0] / g.full_n[0] : NAN), "query",
	                              jnum(g.full_n[1] ? g.full_nll[1] / g.full_n[1] : NAN)));
	json_object_set_new(root, "checks",
	                    json_pack("{s:o, s:b, s:i}", "logprobs_max_abs_diff",
	                              jnum(g.max_lp_diff), "h2o_selection_checked", g.glue_checked,
	                              "h2o_selection_mismatches", g.glue_mismatch));
	{
		json_t *jc = json_object();
		for (int p = 0; p < g.n_policies; p++)
			json_object_set_new(jc, g.plabel[p], jnum(cost_ratio(p, ns)));
		json_object_set_new(root, "selection_cost_vs_prefill", jc);
		json_object_set_new(root, "seconds_plain_prefill",
		                    jnum(ns ? g.t_plain / (double)ns : NAN));
		json_object_set_new(root, "seconds_repeat_pass",
		                    jnum(ns && g.need_rec ? g.t_repeat / (double)ns : NAN));
	}
	for (int m = 0; m < N_MODES; m++)
		for (int p = 0; p < g.n_policies; p++)
			for (int b = 0; b < g.n_budgets; b++) {
				size_t n = 0, nc = 0, kept = 0;
				for (size_t s = 0; s < ns; s++) {
					n += acc_at(s, m, p, b)->n;
					nc += acc_at(s, m, p, b)->n_ctx;
					kept = acc_at(s, m, p, b)->kept;
				}
				figure kv = summarize(ns, m, p, b, pick_kv);
				double kvf = 0, kvc = 0;
				for (size_t s = 0; s < ns; s++) {
					kvf += acc_at(s, m, p, b)->kv_full;
					kvc += acc_at(s, m, p, b)->kv_bytes;
				}
				json_t *r = json_pack(
					"{s:s, s:s, s:f, s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
					"mode", mode_names[m], "policy", g.plabel[p],
					"budget", g.budgets[b], "kept_per_head", (int)kept, "tokens", (int)n,
					"context_dependent_tokens", (int)nc, "dnll",
					jfig(summarize(ns, m, p, b, pick_dnll)), "dnll_context_dependent",
					jfig(summarize(ns, m, p, b, pick_dnll_ctx)), "top1_agreement",
					jfig(summarize(ns, m, p, b, pick_top1)), "kl",
					jfig(summarize(ns, m, p, b, pick_kl)), "nll",
					jfig(summarize(ns, m, p, b, pick_nll)), "kv_bytes", jnum(kv.mean),
					"kv_ratio", jnum(kvf > 0 ? kvc / kvf : NAN));
				json_object_set_new(r, "peak_kv_bytes",
				                    jnum(summarize(ns, m, p, b, pick_peak).mean));
				json_object_set_new(r, "stream_chunk",
				                    json_integer((json_int_t)g.pstream[p]));
				if (g.pstream[p])
					json_object_set_new(r, "streams", json_string(g.plabel[g.pbase[p]]));
				json_t *ps = json_array(), *pc = json_array();
				for (size_t s = 0; s < ns; s++) {
					double x, y;
					json_array_append_new(ps, jnum(pick_dnll(acc_at(s, m, p, b), &x, &y)));
					json_array_append_new(pc,
					                      jnum(pick_dnll_ctx(acc_at(s, m, p, b), &x, &y)));
				}
				json_object_set_new(r, "per_sample_dnll", ps);
				json_object_set_new(r, "per_sample_dnll_context_dependent", pc);
				json_array_append_new(res, r);
			}
	json_object_set_new(root, "results", res);
	json_object_set(root, "samples", g.jsamples);
	if (g.json_out && json_dump_file(root, g.json_out, JSON_INDENT(1) | JSON_REAL_PRECISION(8))) {
		rc = cc_error_set(CC_EIO, "cannot write %s", g.json_out);
		goto out;
	}
	FILE *f = stdout;
	if (g.md_out && !(f = fopen(g.md_out, "w"))) {
		rc = cc_error_set(CC_EIO, "cannot write %s", g.md_out);
		goto out;
	}
	fprintf(f, "Fidelity (docs/EVAL.md): model %s, corpus %s, T = %zu, %zu samples, %zu "
	           "targets, seed %llu, %s; full-cache target NLL %.3f (agnostic) / %.3f (query) "
	           "nats/token; %.1f%% of scored target tokens context-dependent; %s, %.0f s.\n",
	        g.model, g.corpus, g.T, ns, g.n_targets, (unsigned long long)g.seed,
	        g.device == CC_DEVICE_CUDA ? "cuda" : "cpu",
	        g.full_n[0] ? g.full_nll[0] / g.full_n[0] : NAN,
	        g.full_n[1] ? g.full_nll[1] / g.full_n[1] : NAN,
	        g.all_tokens ? 100 * g.ctx_tokens / g.all_tokens : NAN, date, seconds);
	md_table(f, ns, "ΔNLL (nats/token, lower is better; best per column in bold):", pick_dnll,
	         1, "%.3f", 1);
	md_table(f, ns, "ΔNLL on context-dependent tokens:", pick_dnll_ctx, 1, "%.3f", 1);
	md_table(f, ns, "Top-1 agreement with the full cache (%):", pick_top1, 100, "%.1f", 0);
	md_table(f, ns, "KL(full || compressed) (nats):", pick_kl, 1, "%.3f", 1);
	md_table(f, ns, "Spread: standard deviation of per-sample ΔNLL:", NULL, 1, "%.3f", -1);
	md_paired(f, ns);
	md_table(f, ns, "KV bytes held after compression (MiB; full cache: see JSON):", pick_kv,
	         1.0 / (1 << 20), "%.2f", -1);
	if (g.stream_chunk) {
		md_table(f, ns, "Peak KV bytes the sequence held (MiB; prefill-then-compress: the full "
		                "cache):",
		         pick_peak, 1.0 / (1 << 20), "%.2f", -1);
		md_stream(f, ns);
	}
	fprintf(f, "\nSelection cost per compression (agnostic; its extra statistics pass "
	           "included) as a ratio to a plain prefill of C (%.3f s):\n\n| policy | cost |\n"
	           "| --- | ---: |\n",
	        ns ? g.t_plain / (double)ns : NAN);
	for (int p = 0; p < g.n_policies; p++)
		fprintf(f, "| %s | %.3f |\n", g.plabel[p], cost_ratio(p, ns));
	if (f != stdout)
		fclose(f);
out:
	json_decref(root);
	return rc;
}

/* ---- main -------------------------------------------------------------------------------- */

/* One --policies entry: NAME or codecomp:KEY=VALUE:... (pw prior_weight, cw cum_weight, ps
 * protect_share, pool, comb rank|max, cum 0|1 whether codecomp gets cumulative attention). */
static int parse_policy(const char *tok)
{
	char *dup = cc_xstrdup(tok), *save = NULL, *name = strtok_r(dup, ":", &save);
	int p = name ? cc_policy_parse(name) : -1, i = g.n_policies, rc = 0;
	if (p < 0 || i >= MAX_POLICIES) {
		fprintf(stderr, "bench_fidelity: unknown policy '%s'\n", tok);
		free(dup);
		return -1;
	}
	cc_compress_opts_default(&g.popts[i], p, 1.0);
	g.pnocum[i] = 0;
	g.pscum[i] = 0;
	g.pexp[i] = 0;
	/* codecomp's attn_cum is the reconstruction attention in both modes unless :rec says
	 * otherwise (:rec=0: H2O's cumulative attention, as before) */
	g.prec[i] = p == CC_POLICY_CODECOMP ? 2 : 0;
	snprintf(g.plabel[i], sizeof(g.plabel[i]), "%s", tok);
	for (char *kv = strtok_r(NULL, ":", &save); kv && !rc; kv = strtok_r(NULL, ":", &save)) {
		char *eq = strchr(kv, '='), *end = NULL;
		double v = eq ? strtod(eq + 1, &end) : NAN;
		int num = eq && end != eq + 1 && !*end && isfinite(v);
		cc_compress_opts *o = &g.popts[i];
		if (eq)
			*eq = 0;
		if (!eq)
			rc = -1;
		else if (!strcmp(kv, "comb") && !strcmp(eq + 1, "rank"))
			o->combine = CC_COMBINE_RANK;
		else if (!strcmp(kv, "comb") && !strcmp(eq + 1, "max"))
			o->combine = CC_COMBINE_MAX;
		else if (!strcmp(kv, "comb") && !strcmp(eq + 1, "prod"))
			o->combine = CC_COMBINE_PROD;
		else if (!num)
			rc = -1;
		else if (!strcmp(kv, "pw"))
			o->prior_weight = v;
		else if (!strcmp(kv, "qpw"))
			o->prior_weight_query = v;
		else if (!strcmp(kv, "qps") && v <= 1)
			o->protect_share_query = v;
		else if (!strcmp(kv, "cw"))
			o->cum_weight = v;
		else if (!strcmp(kv, "ps") && v >= 0 && v <= 1)
			o->protect_share = v;
		else if (!strcmp(kv, "pool") && v >= 1 && v <= 64)
			o->pool = (int)v;
		else if (!strcmp(kv, "cum") && (v == 0 || v == 1))
			g.pnocum[i] = v == 0;
		else if (!strcmp(kv, "rec") && (v == 0 || v == 1 || v == 2))
			g.prec[i] = (int)v;
		else if (!strcmp(kv, "beta") && v >= 1)
			o->pyramid_beta = v;
		else if (!strcmp(kv, "taper") && (v == 0 || v == 1))
			o->layer_taper = (int)v;
		else if (!strcmp(kv, "adapt") && (v == 0 || v == 1 || v == 5 || v == 6))
			o->layer_adapt = (int)v;
		else if (!strcmp(kv, "lsrc") && v >= 0 && v <= 3 && v == (int)v)
			o->layer_info_obs = (int)v;
		else if (!strcmp(kv, "ctx") && p == CC_POLICY_EXPECTED && (v == 0 || v == 1))
			g.pexp[i] = (int)v;
		else if (!strcmp(kv, "ent") && (v == 0 || v == 1 || v == 2 || v == 3))
			o->prior_entropy = (int)v;
		else if (!strcmp(kv, "qwin") && (v == 0 || v == 1))
			o->query_window = (int)v;
		else if (!strcmp(kv, "ha") && (v == 0 || v == 1 || v == 2))
			o->head_adapt = (int)v;
		else if (!strcmp(kv, "pf") && v >= 0 && v <= 3 && v == (int)v)
			o->protect_fit = (int)v;
		else if (!strcmp(kv, "vw") && v >= 0)
			o->value_weight = v;
		else if (!strcmp(kv, "dw") && v >= 0)
			o->distinct_weight = v;
		else if (!strcmp(kv, "vkm") && (v == 0 || v == 1 || v == 2 || v == 3))
			o->vk_modes = (int)v;
		else if (!strcmp(kv, "pbr") && v >= 0 && v < 1)
			o->prior_budget_ref = v;
		else if (!strcmp(kv, "hf") && v >= 0 && v <= 1)
			o->adakv_floor = v;
		else if (!strcmp(kv, "scum") && p == CC_POLICY_CODECOMP && (v == 0 || v == 1))
			g.pscum[i] = (int)v;
		else
			rc = -1;
	}
	if (rc)
		fprintf(stderr, "bench_fidelity: bad policy parameters in '%s'\n", tok);
	else
		g.policies[g.n_policies++] = p;
	if (!rc && g.pexp[i])
		g.need_expall = 1;
	if (!rc && (p == CC_POLICY_KVZIP || (p == CC_POLICY_CODECOMP && g.prec[i] && !g.pnocum[i])))
		g.need_rec = 1;
	free(dup);
	return rc;
}

static int parse_list(const char *s, int policies)
{
	char *dup = cc_xstrdup(s), *save = NULL;
	int rc = 0;
	if (policies)
		g.n_policies = 0;
	if (policies && !strcmp(s, "all")) {
		for (int p = 0; p < CC_POLICY_COUNT; p++)
			parse_policy(cc_policy_name(p));
		free(dup);
		return 0;
	}
	if (!policies)
		g.n_budgets = 0;
	for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (policies) {
			if ((rc = parse_policy(tok)))
				break;
		} else {
			char *end;
			double b = strtod(tok, &end);
			if (*end || !(b > 0 && b <= 1) || g.n_budgets >= MAX_BUDGETS) {
				fprintf(stderr, "bench_fidelity: bad budget '%s' (want (0, 1])\n", tok);
				rc = -1;
				break;
			}
			g.budgets[g.n_budgets++] = b;
		}
	}
	free(dup);
	if (!rc && (policies ? !g.n_policies : !g.n_budgets)) {
		fprintf(stderr, "bench_fidelity: empty %s list\n", policies ? "policy" : "budget");
		rc = -1;
	}
	return rc;
}

static int parse_size(size_t *out, const char *s, size_t lo, size_t hi, const char *what)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || v < lo || v > hi) {
		fprintf(stderr, "bench_fidelity: bad %s '%s' (want %zu..%zu)\n", what, s, lo, hi);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

/* --kv-bits (bits: a list of 16, 8, 4, 2) or --kv-quant (a list of kivi, rotated), each
 * value once. */
static int parse_kv(const char *s, int *out, int *n, int bits)
{
	char *dup = cc_xstrdup(s), *save = NULL;
	int rc = 0;
	*n = 0;
	for (char *tok = strtok_r(dup, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		char *end = NULL;
		long b = bits ? strtol(tok, &end, 10) : 0;
		int v = bits ? (*end || (b != 16 && b != 8 && b != 4 && b != 2) ? -1 : (int)b)
		             : cc_kv_quant_parse(tok);
		if (v <= 0 || *n >= (bits ? 4 : 2)) {
			fprintf(stderr, "bench_fidelity: bad --%s '%s' (want %s, comma-separated)\n",
			        bits ? "kv-bits" : "kv-quant", tok,
			        bits ? "16, 8, 4 or 2" : "kivi or rotated");
			rc = -1;
			break;
		}
		for (int i = 0; i < *n; i++)
			if (out[i] == v) {
				fprintf(stderr, "bench_fidelity: --%s lists '%s' twice\n",
				        bits ? "kv-bits" : "kv-quant", tok);
				rc = -1;
			}
		out[(*n)++] = v;
	}
	if (!rc && !*n) {
		fprintf(stderr, "bench_fidelity: empty --%s list\n", bits ? "kv-bits" : "kv-quant");
		rc = -1;
	}
	free(dup);
	return rc;
}

/* The cache formats of --kv-bits x --kv-quant (defaults: 16,8,4,2 and both methods), and
 * every policy row repeated per format. */
static int expand_kv(const int *kvb, int n_kvb, const int *kvq, int n_kvq)
{
	static const int def_b[4] = {16, 8, 4, 2};
	static const int def_q[2] = {CC_KV_QUANT_KIVI, CC_KV_QUANT_ROTATED};
	char labels[MAX_KV][32];
	if (!n_kvb) {
		kvb = def_b;
		n_kvb = 4;
	}
	if (!n_kvq) {
		kvq = def_q;
		n_kvq = 2;
	}
	g.n_kv = 0;
	for (int i = 0; i < n_kvb; i++)
		for (int j = 0; j < (kvb[i] == 16 ? 1 : n_kvq); j++) {
			int k = g.n_kv++;
			g.kv_bits[k] = kvb[i];
			g.kv_method[k] = kvb[i] == 16 ? CC_KV_QUANT_NONE : kvq[j];
			if (kvb[i] == 16)
				snprintf(labels[k], sizeof(labels[k]), "bf16");
			else
				snprintf(labels[k], sizeof(labels[k]), "int%d-%s", kvb[i],
				         cc_kv_quant_name(kvq[j]));
		}
	{
		/* adakv keeps a different count per KV head: full-precision caches only (CPU or
		 * CUDA); left out elsewhere (so "all" still runs there) */
		int quant = 0, n = 0;
		for (int k = 0; k < g.n_kv; k++)
			quant |= g.kv_bits[k] < 16;
		for (int p = 0; p < g.n_policies; p++) {
			if (g.policies[p] == CC_POLICY_ADAKV && quant) {
				fprintf(stderr,
				        "bench_fidelity: %s left out: adakv needs full-precision "
				        "caches\n",
				        g.plabel[p]);
				continue;
			}
			if (g.policies[p] == CC_POLICY_CODECOMP && g.popts[p].head_adapt && quant)
				fprintf(stderr,
				        "bench_fidelity: note: %s keeps the same count per KV head here "
				        "(head budgets need full-precision caches)\n",
				        g.plabel[p]);
			row_copy(n, p);
			n++;
		}
		g.n_policies = n;
	}
	if (g.n_policies * g.n_kv > MAX_POLICIES) {
		fprintf(stderr, "bench_fidelity: %d policies x %d KV formats is over %d rows\n",
		        g.n_policies, g.n_kv, MAX_POLICIES);
		return -1;
	}
	/* rows k * n_policies + p, built from the last format down so the sources stay intact */
	int np = g.n_policies;
	for (int k = g.n_kv - 1; k >= 0; k--)
		for (int p = np - 1; p >= 0; p--) {
			int r = k * np + p;
			row_copy(r, p);
			g.pkv[r] = k;
		}
	for (int r = 0; r < np * g.n_kv; r++) {
		char tmp[96];
		snprintf(tmp, sizeof(tmp), "%s", g.plabel[r]);
		snprintf(g.plabel[r], sizeof(g.plabel[r]), "%.60s@%s", tmp, labels[g.pkv[r]]);
	}
	g.n_policies = np * g.n_kv;
	return 0;
}

/* --stream-chunk: a streamed row after the list for each policy that has a streamed mode;
 * codecomp's rows that differ only in what streaming ignores (attn_cum, head and layer
 * budgets) stream once. */
static int add_stream_rows(void)
{
	int np = g.n_policies;
	if (g.n_kv) {
		fprintf(stderr, "bench_fidelity: --stream-chunk does not combine with --kv-bits or "
		                "--kv-quant\n");
		return -1;
	}
	for (int p = 0; p < np; p++) {
		int pol = g.policies[p], r = g.n_policies, dup = 0;
		cc_compress_opts so = g.popts[p];
		if (pol == CC_POLICY_KVZIP || pol == CC_POLICY_ADAKV) {
			fprintf(stderr, "bench_fidelity: note: %s has no streamed mode\n", g.plabel[p]);
			continue;
		}
		so.head_adapt = CC_HEAD_UNIFORM;
		so.layer_adapt = 0;
		for (int q = np; q < r; q++)
			dup |= g.policies[q] == pol && g.pscum[q] == g.pscum[p] &&
			       !memcmp(&g.popts[q], &so, sizeof(so));
		if (dup)
			continue;
		if (r >= MAX_POLICIES) {
			fprintf(stderr, "bench_fidelity: too many rows with --stream-chunk\n");
			return -1;
		}
		g.policies[r] = pol;
		g.popts[r] = so;
		g.pnocum[r] = 1;
		g.pexp[r] = 0;
		g.prec[r] = 0;
		g.pstream[r] = g.stream_chunk;
		g.pbase[r] = p;
		g.pscum[r] = g.pscum[p];
		snprintf(g.plabel[r], sizeof(g.plabel[r]), "%.80s~s%zu", g.plabel[p], g.stream_chunk);
		g.n_policies++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"model", 1, 0, 'm'},
		{"corpus", 1, 0, 'c'},
		{"samples", 1, 0, 'n'},
		{"targets-per-sample", 1, 0, 'k'},
		{"tokens", 1, 0, 'T'},
		{"budgets", 1, 0, 'b'},
		{"policies", 1, 0, 'p'},
		{"seed", 1, 0, 's'},
		{"device", 1, 0, 'd'},
		{"threads", 1, 0, 't'},
		{"json", 1, 0, 'j'},
		{"markdown", 1, 0, 'o'},
		{"kv-bits", 1, 0, 'B'},
		{"kv-quant", 1, 0, 'Q'},
		{"stream-chunk", 1, 0, 'S'},
		{"dump", 1, 0, 'D'},
		{"help", 0, 0, 'h'},
		{0, 0, 0, 0},
	};
	cc_tokenizer *tok = NULL;
	cc_analyzer *an = NULL;
	char **dirs = NULL;
	uint8_t *used = NULL;
	size_t n_dirs = 0, ns = 0, v;
	int kvb[4], kvq[2], n_kvb = 0, n_kvq = 0;
	cc_model_opts mo = {0};
	cc_progress pg;
	int c, rc;
	double t0 = cc_now();

	g.corpus = "/usr/lib/python3.11";
	g.samples = 10;
	g.targets = 3;
	g.T = 2048;
	g.seed = 1;
	parse_list("0.05,0.1,0.2,0.4", 0);
	parse_list("all", 1);
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'm': g.model = optarg; break;
		case 'c': g.corpus = optarg; break;
		case 'n':
			if (parse_size(&g.samples, optarg, 1, 100000, "--samples"))
				return 2;
			break;
		case 'k':
			if (parse_size(&v, optarg, 1, 4, "--targets-per-sample"))
				return 2;
			g.targets = (int)v;
			break;
		case 'T':
			if (parse_size(&g.T, optarg, 256, 1 << 20, "--tokens"))
				return 2;
			break;
		case 'b':
			if (parse_list(optarg, 0))
				return 2;
			break;
		case 'p':
			if (parse_list(optarg, 1))
				return 2;
			break;
		case 's':
			if (parse_size(&v, optarg, 0, SIZE_MAX, "--seed"))
				return 2;
			g.seed = v;
			break;
		case 'd':
			if ((g.device = cc_device_parse(optarg)) < 0) {
				fprintf(stderr, "bench_fidelity: unknown device '%s'\n", optarg);
				return 2;
			}
			break;
		case 't':
			if (parse_size(&v, optarg, 0, 1024, "--threads"))
				return 2;
			g.threads = (int)v;
			break;
		case 'B':
			if (parse_kv(optarg, kvb, &n_kvb, 1))
				return 2;
			break;
		case 'Q':
			if (parse_kv(optarg, kvq, &n_kvq, 0))
				return 2;
			break;
		case 'S':
			if (parse_size(&g.stream_chunk, optarg, 1, 1 << 20, "--stream-chunk"))
				return 2;
			break;
		case 'D':
			if (g.dump)
				fclose(g.dump);
			if (!(g.dump = fopen(optarg, "w"))) {
				fprintf(stderr, "bench_fidelity: cannot write %s: %s\n", optarg,
				        strerror(errno));
				return 2;
			}
			break;
		case 'j': g.json_out = optarg; break;
		case 'o': g.md_out = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!g.model || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (g.device != CC_DEVICE_CPU) { /* only the CPU engine collects query statistics */
		int n = 0;
		for (int p = 0; p < g.n_policies; p++) {
			if (g.policies[p] == CC_POLICY_EXPECTED) {
				fprintf(stderr, "bench_fidelity: note: %s left out (needs --device cpu)\n",
				        g.plabel[p]);
				continue;
			}
			row_copy(n, p);
			n++;
		}
		g.n_policies = n;
		g.need_expall = 0;
		if (!n) {
			fprintf(stderr, "bench_fidelity: no policy left to run\n");
			return 2;
		}
	}
	if ((n_kvb || n_kvq) && expand_kv(kvb, n_kvb, kvq, n_kvq))
		return 2;
	if (g.stream_chunk && add_stream_rows())
		return 2;
	mo.device = g.device;
	mo.n_threads = g.threads;
	if ((rc = cc_tokenizer_load(&tok, g.model)) || (rc = cc_model_load(&g.m, g.model, &mo)) ||
	    (rc = cc_analyzer_new(&an)) || (rc = fid_corpus_dirs(&dirs, &n_dirs, g.corpus)))
		goto out;
	cc_model_info_get(&g.info, g.m);
	g.V = g.info.vocab;
	g.L = g.info.n_layers;
	g.H = g.info.n_kv_heads;
	if ((size_t)g.V != cc_tokenizer_vocab_size(tok) && cc_tokenizer_vocab_size(tok) > (size_t)g.V) {
		rc = cc_error_set(CC_EINVAL, "tokenizer has %zu ids, the model %d",
		                  cc_tokenizer_vocab_size(tok), g.V);
		goto out;
	}
	if (g.info.max_pos > 0 && g.T + 1024 > (size_t)g.info.max_pos)
		fprintf(stderr, "bench_fidelity: note: T + targets may pass the model's %d positions\n",
		        g.info.max_pos);
	g.accs = cc_xcalloc(g.samples * N_MODES * (size_t)g.n_policies * (size_t)g.n_budgets,
	                    sizeof(acc));
	g.jsamples = json_array();
	used = cc_xcalloc(n_dirs, 1);
	cc_progress_init(&pg, "fidelity");
	for (ns = 0; ns < g.samples; ns++) {
		fid_sample smp;
		fid_sample_opts so = {g.corpus, g.T, g.targets, g.seed};
		cc_progress_update(&pg, "sample %zu/%zu: building", ns + 1, g.samples);
		if ((rc = fid_sample_build(&smp, &so, dirs, n_dirs, used, ns, tok, an)))
			goto out;
		rc = run_sample(ns, &smp, &pg);
		fid_sample_free(&smp);
		if (rc)
			goto out;
	}
	cc_progress_done(&pg);
	rc = write_outputs(ns, cc_now() - t0);
out:
	if (rc)
		fprintf(stderr, "bench_fidelity: %s (%s)\n", cc_error_last(), cc_strerror(rc));
	for (size_t i = 0; i < n_dirs; i++)
		free(dirs[i]);
	free(dirs);
	free(used);
	free(g.accs);
	json_decref(g.jsamples);
	cc_analyzer_free(an);
	cc_model_free(g.m);
	cc_tokenizer_free(tok);
	if (g.dump && fclose(g.dump) && !rc) {
		fprintf(stderr, "bench_fidelity: writing --dump: %s\n", strerror(errno));
		rc = CC_EIO;
	}
	return rc ? 1 : 0;
}
