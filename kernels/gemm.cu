/*
 * gemm.cu - matrix products through cuBLAS: bf16 operands, f32 accumulation
 * (CUBLAS_COMPUTE_32F), row-major activations times row-major [out][in] weights (the
 * Hugging Face nn.Linear layout), computed as the column-major product W^T-op x A.
 *
 * With CC_GEMM_TUNE=1 (off by default: compiled here, not yet run on a GPU), shapes of 8 rows
 * or more are tuned once per process: the first product of a shape (rows rounded up to a
 * power of two, n, k, output type, accumulate, device) that runs outside a stream capture
 * times cublasGemmEx's default against each of cublasLt's heuristic algorithms (up to
 * GEMM_TUNE_ALGOS, with a workspace of GEMM_WS_BYTES) on scratch memory and keeps the
 * fastest; later products of that shape, captured ones included, run it. A shape first met
 * inside a capture runs cublasGemmEx (cc_kernels_gemm_prepare tunes before a capture).
 * Without it every product is cublasGemmEx, as before; CC_GEMM_TUNE=2 (tests) takes
 * cublasLt's first heuristic algorithm without timing.
 */
#include "kernels_int.cuh"

#include <cublasLt.h>
#include <cublas_v2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CC_CUBLAS_CHECK(call)                                                                     \
	do {                                                                                      \
		cublasStatus_t s_ = (call);                                                       \
		if (s_ != CUBLAS_STATUS_SUCCESS)                                                  \
			return cc_error_set(CC_ECUDA, "%s:%d: %s: %s", __FILE__, __LINE__, #call, \
			                    cublasGetStatusString(s_));                           \
	} while (0)

#define GEMM_TUNE_MIN_ROWS 8
#define GEMM_TUNE_ALGOS 8
#define GEMM_TUNE_REPS 3
#define GEMM_WS_BYTES ((size_t)32 << 20) /* what NVIDIA advises for Hopper */
#define GEMM_CACHE 256

/* the opaque handle behind cc_kernels_blas_new's void * */
typedef struct {
	cublasHandle_t h;
	cublasLtHandle_t lt;
	void *ws; /* cublasLt workspace (GEMM_WS_BYTES), made by the first tuned product */
} blas_t;

/* one tuned shape; algo valid when kind == GEMM_LT */
enum { GEMM_EX = 1,
       GEMM_LT = 2 };
typedef struct {
	int dev, mb, n, k, bf16, acc;
	int kind;
	cublasLtMatmulAlgo_t algo;
} tuned_t;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static tuned_t g_tuned[GEMM_CACHE];
static int g_ntuned;

static unsigned long g_lt_runs; /* products enqueued through cublasLt (tests) */
static int g_mode = -1;         /* cc_kernels_gemm_set_tune; -1: CC_GEMM_TUNE, read once */

static int tune_mode(void)
{
	int m = __atomic_load_n(&g_mode, __ATOMIC_RELAXED);
	if (m < 0) {
		const char *e = getenv("CC_GEMM_TUNE");
		/* off unless asked for: not yet measured on a GPU (bench/results/gpu.md) */
		m = 0;
		if (e && !strcmp(e, "1"))
			m = 1;
		else if (e && !strcmp(e, "2"))
			m = 2;
		__atomic_store_n(&g_mode, m, __ATOMIC_RELAXED);
	}
	return m;
}

static int tune_on(void)
{
	return tune_mode() != 0;
}

static int row_bucket(int m)
{
	int b = GEMM_TUNE_MIN_ROWS;
	while (b < m && b < (1 << 30))
		b <<= 1;
	return b;
}

/* the entry for a shape, or NULL (call with g_mu held) */
static tuned_t *tuned_find(int dev, int mb, int n, int k, int bf16, int acc)
{
	for (int i = 0; i < g_ntuned; i++) {
		tuned_t *t = &g_tuned[i];
		if (t->dev == dev && t->mb == mb && t->n == n && t->k == k && t->bf16 == bf16 &&
		    t->acc == acc)
			return t;
	}
	return NULL;
}

/* the column-major description of c^T [n x m] = W^T-op [n x k] . A^T [k x m] */
typedef struct {
	cublasLtMatmulDesc_t op;
	cublasLtMatrixLayout_t la, lb, lc;
} lt_desc;

static void lt_desc_free(lt_desc *d)
{
	if (d->lc)
		cublasLtMatrixLayoutDestroy(d->lc);
	if (d->lb)
		cublasLtMatrixLayoutDestroy(d->lb);
	if (d->la)
		cublasLtMatrixLayoutDestroy(d->la);
	if (d->op)
		cublasLtMatmulDescDestroy(d->op);
	memset(d, 0, sizeof(*d));
}

static int lt_desc_make(lt_desc *d, cudaDataType ctype, int m, int n, int k)
{
	memset(d, 0, sizeof(*d));
	cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
	if (cublasLtMatmulDescCreate(&d->op, CUBLAS_COMPUTE_32F, CUDA_R_32F) ||
	    cublasLtMatmulDescSetAttribute(d->op, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof(ta)) ||
	    cublasLtMatmulDescSetAttribute(d->op, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof(tb)) ||
	    cublasLtMatrixLayoutCreate(&d->la, CUDA_R_16BF, k, n, k) ||
	    cublasLtMatrixLayoutCreate(&d->lb, CUDA_R_16BF, k, m, k) ||
	    cublasLtMatrixLayoutCreate(&d->lc, ctype, n, m, n)) {
		lt_desc_free(d);
		return cc_error_set(CC_ECUDA, "cublasLt: describing a %d x %d x %d product", m, n,
		                    k);
	}
	return CC_OK;
}

static cublasStatus_t run_ex(cublasHandle_t h, void *c, cudaDataType ctype, const uint16_t *a,
                             const uint16_t *w, int m, int n, int k, float beta)
{
	float alpha = 1.0f;
	/* column-major: C^T [n x m] = W [k x n]^T . A^T [k x m] */
	return cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, n, m, k, &alpha, w, CUDA_R_16BF, k, a,
	                    CUDA_R_16BF, k, &beta, c, ctype, n, CUBLAS_COMPUTE_32F,
	                    CUBLAS_GEMM_DEFAULT);
}

static cublasStatus_t run_lt(blas_t *b, const lt_desc *d, const cublasLtMatmulAlgo_t *algo,
                             void *c, const uint16_t *a, const uint16_t *w, float beta,
                             cudaStream_t stream)
{
	float alpha = 1.0f;
	return cublasLtMatmul(b->lt, d->op, &alpha, w, d->la, a, d->lb, &beta, c, d->lc, c, d->lc,
	                      algo, b->ws, GEMM_WS_BYTES, stream);
}

/* median of GEMM_TUNE_REPS timed runs after one warm-up, in ms; < 0 when a run fails */
static float time_runs(blas_t *b, const lt_desc *d, const cublasLtMatmulAlgo_t *algo, void *c,
                       cudaDataType ctype, const uint16_t *a, const uint16_t *w, int m, int n,
                       int k, float beta, cudaStream_t st, cudaEvent_t e0, cudaEvent_t e1)
{
	float t[GEMM_TUNE_REPS];
	for (int r = -1; r < GEMM_TUNE_REPS; r++) {
		if (cudaEventRecord(e0, st) != cudaSuccess)
			return -1;
		cublasStatus_t s = algo ? run_lt(b, d, algo, c, a, w, beta, st)
		                        : run_ex(b->h, c, ctype, a, w, m, n, k, beta);
		if (s != CUBLAS_STATUS_SUCCESS || cudaEventRecord(e1, st) != cudaSuccess ||
		    cudaEventSynchronize(e1) != cudaSuccess) {
			(void)cudaGetLastError();
			return -1;
		}
		if (r >= 0 && cudaEventElapsedTime(&t[r], e0, e1) != cudaSuccess)
			return -1;
	}
	for (int i = 1; i < GEMM_TUNE_REPS; i++) /* insertion sort, 3 values */
		for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
			float x = t[j];
			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	return t[GEMM_TUNE_REPS / 2];
}

/* Time cublasGemmEx and cublasLt's heuristic algorithms for this shape into *out (kind and
 * algo). Runs on `st` with scratch output memory (the caller's c is not touched: an
 * accumulating product would add up); synchronises. A failure to get scratch memory or any
 * algorithm leaves GEMM_EX. */
static void tune_shape(blas_t *b, tuned_t *out, cudaDataType ctype, const uint16_t *a,
                       const uint16_t *w, int m, int n, int k, float beta, cudaStream_t st)
{
	out->kind = GEMM_EX;
	size_t esz = ctype == CUDA_R_32F ? 4 : 2;
	void *scr = NULL;
	cudaEvent_t e0 = NULL, e1 = NULL;
	lt_desc d;
	if (lt_desc_make(&d, ctype, m, n, k)) {
		cc_error_clear();
		return;
	}
	cublasLtMatmulPreference_t pref = NULL;
	cublasLtMatmulHeuristicResult_t res[GEMM_TUNE_ALGOS];
	int nres = 0;
	size_t wsb = GEMM_WS_BYTES, fr, tot;
	if (cublasLtMatmulPreferenceCreate(&pref) ||
	    cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
	                                         &wsb, sizeof(wsb)) ||
	    cublasLtMatmulAlgoGetHeuristic(b->lt, d.op, d.la, d.lb, d.lc, d.lc, pref,
	                                   GEMM_TUNE_ALGOS, res, &nres) ||
	    nres <= 0)
		goto out;
	/* scratch output for the timings: only where it takes at most a quarter of the free
	 * device memory (an all-rows vocabulary product can need a gigabyte) */
	fr = tot = 0;
	if (cudaMemGetInfo(&fr, &tot) != cudaSuccess || (size_t)m * n * esz > fr / 4)
		goto out;
	if (cudaMalloc(&scr, (size_t)m * n * esz) != cudaSuccess ||
	    cudaMemsetAsync(scr, 0, (size_t)m * n * esz, st) != cudaSuccess ||
	    cudaEventCreate(&e0) != cudaSuccess || cudaEventCreate(&e1) != cudaSuccess)
		goto out;
	if (tune_mode() == 2) { /* forced (tests): the heuristic's first usable algorithm */
		for (int i = 0; i < nres && out->kind == GEMM_EX; i++)
			if (res[i].state == CUBLAS_STATUS_SUCCESS && res[i].workspaceSize <= wsb) {
				out->kind = GEMM_LT;
				out->algo = res[i].algo;
			}
	} else {
		float best = time_runs(b, &d, NULL, scr, ctype, a, w, m, n, k, beta, st, e0, e1);
		for (int i = 0; i < nres; i++) {
			if (res[i].state != CUBLAS_STATUS_SUCCESS || res[i].workspaceSize > wsb)
				continue;
			float t = time_runs(b, &d, &res[i].algo, scr, ctype, a, w, m, n, k, beta, st,
			                    e0, e1);
			/* an algorithm replaces cublasGemmEx's only when measurably faster (1%):
			 * equal timings keep the untuned path */
			if (t > 0 && (best < 0 || t < best * (out->kind == GEMM_EX ? 0.99f : 1.0f))) {
				best = t;
				out->kind = GEMM_LT;
				out->algo = res[i].algo;
			}
		}
	}
out:
	(void)cudaGetLastError();
	if (e0)
		cudaEventDestroy(e0);
	if (e1)
		cudaEventDestroy(e1);
	if (scr) {
		cudaStreamSynchronize(st);
		cudaFree(scr);
	}
	if (pref)
		cublasLtMatmulPreferenceDestroy(pref);
	lt_desc_free(&d);
	cc_error_clear();
}

/* The tuned entry for this product into *out (0), tuning it first when allowed (tune: not
 * capturing); 1 when tuning is off, the shape is small, or it is unknown and cannot be tuned
 * now. */
static int shape_entry(blas_t *b, tuned_t *out, cudaDataType ctype, const uint16_t *a,
                       const uint16_t *w, int m, int n, int k, float beta, cudaStream_t st,
                       int tune)
{
	if (!tune_on() || m < GEMM_TUNE_MIN_ROWS)
		return 1;
	int dev = 0;
	if (cudaGetDevice(&dev) != cudaSuccess) {
		(void)cudaGetLastError();
		return 1;
	}
	int mb = row_bucket(m), bf16 = ctype == CUDA_R_16BF, acc = beta != 0.0f;
	pthread_mutex_lock(&g_mu);
	tuned_t *t = tuned_find(dev, mb, n, k, bf16, acc);
	/* this handle's workspace, made outside a capture when it will be needed: to tune, or
	 * to run an algorithm another handle tuned */
	if (tune && !b->ws && ((!t && g_ntuned < GEMM_CACHE) || (t && t->kind == GEMM_LT)) &&
	    cudaMalloc(&b->ws, GEMM_WS_BYTES) != cudaSuccess) {
		(void)cudaGetLastError();
		b->ws = NULL;
	}
	if (!t && tune && g_ntuned < GEMM_CACHE) {
		if (b->ws) {
			tuned_t e = {dev, mb, n, k, bf16, acc, GEMM_EX, {}};
			tune_shape(b, &e, ctype, a, w, m, n, k, beta, st);
			g_tuned[g_ntuned] = e;
			t = &g_tuned[g_ntuned++];
		}
	}
	if (t)
		*out = *t;
	pthread_mutex_unlock(&g_mu);
	return t ? 0 : 1;
}

static int capturing(cudaStream_t st)
{
	cudaStreamCaptureStatus cs = cudaStreamCaptureStatusNone;
	if (cudaStreamIsCapturing(st, &cs) != cudaSuccess) {
		(void)cudaGetLastError();
		return 1; /* unknown: do nothing that a capture forbids */
	}
	return cs != cudaStreamCaptureStatusNone;
}

static int gemm_any(void *handle, void *c, cudaDataType ctype, const uint16_t *a,
                    const uint16_t *w, int m, int n, int k, float beta, cudaStream_t stream)
{
	CC_ARG_CHECK(handle && c && a && w && m >= 0 && n > 0 && k > 0);
	if (m == 0)
		return CC_OK;
	blas_t *b = (blas_t *)handle;
	CC_CUBLAS_CHECK(cublasSetStream(b->h, stream));
	tuned_t te;
	const tuned_t *t = &te;
	if (shape_entry(b, &te, ctype, a, w, m, n, k, beta, stream,
	                tune_on() && !capturing(stream)))
		t = NULL;
	if (t && t->kind == GEMM_LT && b->ws) {
		lt_desc d;
		if (lt_desc_make(&d, ctype, m, n, k) == CC_OK) {
			/* the algorithm was chosen at the bucket's first size: check it takes this
			 * one (alignment, split sizes) */
			cublasLtMatmulHeuristicResult_t chk;
			cublasStatus_t s = cublasLtMatmulAlgoCheck(b->lt, d.op, d.la, d.lb, d.lc, d.lc,
			                                           &t->algo, &chk);
			if (s == CUBLAS_STATUS_SUCCESS && chk.workspaceSize <= GEMM_WS_BYTES) {
				s = run_lt(b, &d, &t->algo, c, a, w, beta, stream);
				__atomic_add_fetch(&g_lt_runs, 1, __ATOMIC_RELAXED);
			} else
				s = run_ex(b->h, c, ctype, a, w, m, n, k, beta);
			lt_desc_free(&d);
			CC_CUBLAS_CHECK(s);
			return CC_OK;
		}
		cc_error_clear();
	}
	CC_CUBLAS_CHECK(run_ex(b->h, c, ctype, a, w, m, n, k, beta));
	return CC_OK;
}

extern "C" int cc_kernels_gemm(void *handle, float *c, const uint16_t *a, const uint16_t *w,
                               int m, int n, int k, int accumulate, cudaStream_t stream)
{
	return gemm_any(handle, c, CUDA_R_32F, a, w, m, n, k, accumulate ? 1.0f : 0.0f, stream);
}

extern "C" int cc_kernels_gemm_bf16out(void *handle, uint16_t *c, const uint16_t *a,
                                       const uint16_t *w, int m, int n, int k,
                                       cudaStream_t stream)
{
	return gemm_any(handle, c, CUDA_R_16BF, a, w, m, n, k, 0.0f, stream);
}

extern "C" int cc_kernels_gemm_prepare(void *handle, const uint16_t *a, const uint16_t *w, int m,
                                       int n, int k, int bf16_out, int accumulate,
                                       cudaStream_t stream)
{
	CC_ARG_CHECK(handle && a && w && m >= 0 && n > 0 && k > 0);
	if (capturing(stream))
		return cc_error_set(CC_EINVAL, "cc_kernels_gemm_prepare: the stream is capturing");
	tuned_t te;
	(void)shape_entry((blas_t *)handle, &te, bf16_out ? CUDA_R_16BF : CUDA_R_32F, a, w, m, n,
	                  k, accumulate ? 1.0f : 0.0f, stream, 1);
	return CC_OK;
}

extern "C" int cc_kernels_gemm_tuned(int m, int n, int k, int bf16_out, int accumulate)
{
	int dev = 0;
	if (!tune_on() || m < GEMM_TUNE_MIN_ROWS || cudaGetDevice(&dev) != cudaSuccess) {
		(void)cudaGetLastError();
		return 0;
	}
	pthread_mutex_lock(&g_mu);
	const tuned_t *t = tuned_find(dev, row_bucket(m), n, k, !!bf16_out, !!accumulate);
	int kind = t ? t->kind : 0;
	pthread_mutex_unlock(&g_mu);
	return kind;
}

extern "C" unsigned long cc_kernels_gemm_lt_runs(void)
{
	return __atomic_load_n(&g_lt_runs, __ATOMIC_RELAXED);
}

extern "C" void cc_kernels_gemm_set_tune(int mode)
{
	pthread_mutex_lock(&g_mu);
	g_ntuned = 0;
	__atomic_store_n(&g_mode, mode >= 0 && mode <= 2 ? mode : -1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&g_mu);
}

extern "C" int cc_kernels_blas_new(void **out)
{
	CC_ARG_CHECK(out);
	*out = NULL;
	blas_t *b = (blas_t *)calloc(1, sizeof(*b));
	if (!b)
		return cc_error_set(CC_ENOMEM, "cc_kernels_blas_new: out of memory");
	cublasStatus_t s = cublasCreate(&b->h);
	if (s == CUBLAS_STATUS_SUCCESS && (s = cublasLtCreate(&b->lt)) != CUBLAS_STATUS_SUCCESS)
		cublasDestroy(b->h);
	if (s != CUBLAS_STATUS_SUCCESS) {
		free(b);
		return cc_error_set(CC_ECUDA, "cc_kernels_blas_new: %s", cublasGetStatusString(s));
	}
	*out = b;
	return CC_OK;
}

extern "C" void cc_kernels_blas_free(void *handle)
{
	blas_t *b = (blas_t *)handle;
	if (!b)
		return;
	if (b->ws) {
		/* a product in flight may still use the workspace */
		cudaDeviceSynchronize();
		cudaFree(b->ws);
	}
	cublasLtDestroy(b->lt);
	cublasDestroy(b->h);
	free(b);
}
