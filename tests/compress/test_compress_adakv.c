/*
 * test_compress_adakv.c - the adakv policy (Ada-KV's head budgets):
 *   - cc_compress_select_heads equals a brute-force reference written from the definition
 *     (pool by summing each window, pick each head's safeguard tokens one at a time by scanning
 *     for the best, then the layer's remaining tokens one at a time by scanning every head),
 *     over random scores with ties, several budgets, pools, floors and head counts;
 *   - a head with concentrated attention keeps fewer tokens than one with spread attention,
 *     the layer total is what SnapKV keeps, and on one head it is SnapKV;
 *   - bad options are refused, naming them;
 *   - cc_compress_session with adakv on the tiny Qwen2 fixture: each (layer, head) keeps what
 *     cc_compress_select_heads gives from the session's own statistics (plus the query after
 *     the context), different counts per head, and the session's blocks drop to the
 *     lane-packed count; the cache decodes afterwards.
 */
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_engine.h"
#include "cc_kv.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t g_rng = 99;
static uint32_t rnd(uint32_t n)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (uint32_t)(g_rng % n);
}

/* Brute force: the kept marks mark[h * n + i]. */
static void reference(uint8_t *mark, const cc_compress_opts *o, const float *const *attn,
                      size_t n, int nh)
{
	size_t f = (size_t)o->sinks + (size_t)o->window;
	size_t k = (size_t)ceil(o->budget * (double)n - 1e-9);
	if (k < f)
		k = f;
	if (k > n)
		k = n;
	double *sc = malloc((size_t)nh * n * sizeof(double));
	int left = o->pool / 2, right = o->pool - 1 - left;
	memset(mark, 0, (size_t)nh * n);
	for (int h = 0; h < nh; h++)
		for (size_t i = 0; i < n; i++) {
			double s = 0;
			int c = 0;
			for (long j = (long)i - left; j <= (long)i + right; j++)
				if (j >= 0 && j < (long)n) {
					s += attn[h][j];
					c++;
				}
			sc[(size_t)h * n + i] = s / c;
		}
	if (k == n) {
		memset(mark, 1, (size_t)nh * n);
		free(sc);
		return;
	}
	size_t r = k - f, fl = (size_t)floor(o->adakv_floor * (double)r + 1e-9);
	for (int h = 0; h < nh; h++) {
		for (size_t i = 0; i < n; i++)
			if (i < (size_t)o->sinks || i >= n - (size_t)o->window)
				mark[(size_t)h * n + i] = 1;
		for (size_t t = 0; t < fl; t++) {
			long best = -1;
			for (size_t i = (size_t)o->sinks; i < n - (size_t)o->window; i++)
				if (!mark[(size_t)h * n + i] &&
				    (best < 0 || sc[(size_t)h * n + i] >= sc[(size_t)h * n + (size_t)best]))
					best = (long)i; /* >=: the later token wins a tie */
			mark[(size_t)h * n + (size_t)best] = 1;
		}
	}
	for (size_t t = 0; t < (size_t)nh * (r - fl); t++) {
		long bh = -1, bi = -1;
		for (int h = 0; h < nh; h++)
			for (size_t i = (size_t)o->sinks; i < n - (size_t)o->window; i++) {
				if (mark[(size_t)h * n + i])
					continue;
				double s = sc[(size_t)h * n + i];
				if (bh < 0 || s > sc[(size_t)bh * n + (size_t)bi] ||
				    (s == sc[(size_t)bh * n + (size_t)bi] && (long)i > bi))
					bh = h, bi = (long)i; /* later token, then the lower head */
			}
		mark[(size_t)bh * n + (size_t)bi] = 1;
	}
	free(sc);
}

static void test_reference(void)
{
	enum { MAXN = 300,
	       MAXH = 8 };
	static float a[MAXH][MAXN];
	static int32_t keep[MAXH * MAXN];
	static uint8_t mark[MAXH * MAXN];
	const float *ap[MAXH];
	size_t cnt[MAXH];
	double budgets[] = {0.05, 0.1, 0.2, 0.4, 0.9};
	int cases = 0, mismatches = 0, differ = 0;
	for (int t = 0; t < 60; t++) {
		int nh = 1 + (int)rnd(MAXH);
		size_t n = 20 + rnd(MAXN - 20);
		cc_compress_opts o;
		cc_compress_opts_default(&o, CC_POLICY_ADAKV, budgets[t % 5]);
		o.sinks = (int)rnd(5);
		o.window = (int)rnd(12);
		o.pool = 1 + (int)rnd(7);
		o.adakv_floor = (t % 3 == 0) ? 0.2 : (t % 3 == 1 ? 0.0 : 0.5);
		cc_compress_input in[MAXH];
		for (int h = 0; h < nh; h++) {
			/* heads of different sharpness; coarse values so pooled scores tie */
			int sharp = h % 3;
			for (size_t i = 0; i < n; i++)
				a[h][i] = sharp == 0 ? (float)rnd(4) : sharp == 1 ? (float)(rnd(100) < 5 ? 40 : rnd(2))
				                                                  : 1.0f;
			ap[h] = a[h];
			memset(&in[h], 0, sizeof(in[h]));
			in[h].n_ctx = n;
			in[h].attn = a[h];
			in[h].kv_head = h;
		}
		CHECK_EQ_INT(cc_compress_select_heads(keep, cnt, &o, in, nh), CC_OK);
		reference(mark, &o, ap, n, nh);
		size_t off = 0, tot = 0;
		int ok = 1;
		for (int h = 0; h < nh; h++) {
			size_t c = 0;
			for (size_t i = 0; i < n; i++)
				c += mark[(size_t)h * n + i];
			ok &= c == cnt[h];
			for (size_t i = 0; i < cnt[h] && ok; i++) {
				ok &= mark[(size_t)h * n + (size_t)keep[off + i]] == 1;
				if (i)
					ok &= keep[off + i] > keep[off + i - 1];
			}
			differ |= h && cnt[h] != cnt[0];
			off += cnt[h];
			tot += cnt[h];
		}
		ok &= tot == (size_t)nh * cc_compress_keep_count(&o, n);
		cases++;
		mismatches += !ok;
	}
	fprintf(stderr, "adakv vs brute force: %d cases, %d mismatches\n", cases, mismatches);
	CHECK_EQ_INT(mismatches, 0);
	CHECK(differ);
}

static void test_properties(void)
{
	enum { N = 200 };
	static float sharp[N], flat[N];
	int32_t keep[2 * N], ks[N];
	size_t cnt[2], nks;
	for (int i = 0; i < N; i++) {
		sharp[i] = i % 40 == 7 ? 10.0f : 0.001f;
		flat[i] = 0.5f + 0.001f * (float)(i % 7);
	}
	cc_compress_opts o;
	cc_compress_opts_default(&o, CC_POLICY_ADAKV, 0.3);
	o.sinks = 4;
	o.window = 8;
	o.pool = 1;
	cc_compress_input in[2] = {{0}, {0}};
	in[0].n_ctx = in[1].n_ctx = N;
	in[0].attn = sharp;
	in[1].attn = flat;
	CHECK_EQ_INT(cc_compress_select_heads(keep, cnt, &o, in, 2), CC_OK);
	size_t k = cc_compress_keep_count(&o, N), r = k - 12;
	/* the sharp head's 5 peaks are above every flat score: the sharp head gets its safeguard
	 * (floor(0.2 r)) or its peaks, whichever is more, and the flat head the rest */
	size_t want0 = 12 + ((size_t)floor(0.2 * (double)r) > 5 ? (size_t)floor(0.2 * (double)r) : 5);
	CHECK_EQ_INT(cnt[0], want0);
	CHECK_EQ_INT(cnt[0] + cnt[1], 2 * k);
	CHECK(cnt[0] < cnt[1]);
	/* one head alone is SnapKV */
	cc_compress_opts sk;
	cc_compress_opts_default(&sk, CC_POLICY_SNAPKV, 0.3);
	sk.sinks = 4;
	sk.window = 8;
	sk.pool = 3;
	o.pool = 3;
	CHECK_EQ_INT(cc_compress_select_heads(keep, cnt, &o, in + 1, 1), CC_OK);
	CHECK_EQ_INT(cc_compress_select(ks, &nks, &sk, in + 1), CC_OK);
	CHECK_EQ_INT(cnt[0], nks);
	CHECK(memcmp(keep, ks, nks * sizeof(int32_t)) == 0);
	CHECK_EQ_INT(cc_compress_select(ks, &nks, &o, in + 1), CC_OK); /* adakv on one head */
	CHECK(memcmp(keep, ks, nks * sizeof(int32_t)) == 0);
	/* errors */
	o.adakv_floor = 1.5;
	CHECK_EQ_INT(cc_compress_select_heads(keep, cnt, &o, in, 2), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "adakv_floor"));
	o.adakv_floor = 0.2;
	in[1].attn = NULL;
	CHECK_EQ_INT(cc_compress_select_heads(keep, cnt, &o, in, 2), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "head 1"));
	in[1].attn = flat;
	in[1].n_ctx = N - 1;
	CHECK_EQ_INT(cc_compress_select_heads(keep, cnt, &o, in, 2), CC_EINVAL);
	in[1].n_ctx = N;
	o.policy = CC_POLICY_SNAPKV;
	CHECK_EQ_INT(cc_compress_select_heads(keep, cnt, &o, in, 2), CC_EINVAL);
	CHECK_EQ_INT(cc_policy_parse("adakv"), CC_POLICY_ADAKV);
	CHECK_EQ_STR(cc_policy_name(CC_POLICY_ADAKV), "adakv");
}

static void test_session(void)
{
	enum { NCTX = 150,
	       NQ = 10 };
	cc_model *m = NULL;
	cc_model_opts mo = {CC_DEVICE_CPU, 2};
	if (cc_model_load(&m, "fixtures/engine/qwen2-tiny", &mo) != CC_OK) {
		fprintf(stderr, "load: %s\n", cc_error_last());
		CHECK(0);
		return;
	}
	cc_model_info info;
	cc_model_info_get(&info, m);
	int L = info.n_layers, NH = info.n_kv_heads;
	cc_session_opts so = {0};
	so.max_tokens = 512;
	so.block_tokens = 16;
	so.obs_window = NQ;
	cc_session *s = NULL;
	CHECK_EQ_INT(cc_session_new(&s, m, &so), CC_OK);
	int32_t ids[NCTX + NQ + 1];
	for (int i = 0; i < NCTX + NQ + 1; i++)
		ids[i] = (int32_t)((i * 31 + 3) % info.vocab);
	CHECK_EQ_INT(cc_session_prefill(s, ids, NCTX + NQ, NULL), CC_OK);
	/* what the session's own statistics give, per layer */
	cc_compress_opts o;
	cc_compress_opts_default(&o, CC_POLICY_ADAKV, 0.2);
	o.sinks = 4;
	o.window = 16;
	int32_t *want = malloc((size_t)L * NH * NCTX * sizeof(int32_t));
	size_t *wcnt = malloc((size_t)L * NH * sizeof(size_t));
	for (int l = 0; l < L; l++) {
		cc_compress_input in[16];
		for (int h = 0; h < NH; h++) {
			const float *sc;
			const int32_t *pos;
			size_t on;
			CHECK_EQ_INT(cc_session_obs(s, l, h, &sc, &pos, &on), CC_OK);
			memset(&in[h], 0, sizeof(in[h]));
			in[h].n_ctx = NCTX;
			in[h].attn = sc;
			in[h].query = 1;
		}
		CHECK_EQ_INT(cc_compress_select_heads(want + (size_t)l * NH * NCTX,
		                                      wcnt + (size_t)l * NH, &o, in, NH),
		             CC_OK);
	}
	cc_compress_stats st;
	CHECK_EQ_INT(cc_compress_session(s, &o, NCTX, NULL, NULL, NULL, &st), CC_OK);
	CHECK(st.bytes_after < st.bytes_before);
	size_t packed = 0, differ = 0;
	for (int l = 0; l < L; l++) {
		size_t off = 0, lanes = 0;
		for (int h = 0; h < NH; h++) {
			size_t c = wcnt[(size_t)l * NH + h];
			const int32_t *kp = cc_kv_seq_positions(cc_session_kv(s), l, h);
			CHECK_EQ_INT(cc_kv_seq_head_len(cc_session_kv(s), l, h), c + NQ);
			CHECK(memcmp(kp, want + (size_t)l * NH * NCTX + off, c * sizeof(int32_t)) == 0);
			CHECK_EQ_INT(kp[c], NCTX);
			CHECK_EQ_INT(kp[c + NQ - 1], NCTX + NQ - 1);
			off += c;
			lanes += (c + NQ + 15) / 16;
			differ += h && c != wcnt[(size_t)l * NH];
		}
		packed += (lanes + (size_t)NH - 1) / (size_t)NH;
	}
	CHECK(differ > 0);
	cc_cache_stats cs;
	cc_session_cache_stats(&cs, s);
	CHECK_EQ_INT(cs.seq_blocks, packed);
	float *lg = malloc((size_t)info.vocab * sizeof(float));
	CHECK_EQ_INT(cc_session_decode(s, ids[NCTX + NQ], lg), CC_OK);
	int finite = 1;
	for (int i = 0; i < info.vocab; i++)
		finite &= isfinite(lg[i]);
	CHECK(finite);
	free(lg);
	free(want);
	free(wcnt);
	cc_session_free(s);
	cc_model_free(m);
}

int main(void)
{
	test_reference();
	test_properties();
	test_session();
	return test_result();
}
