/*
 * gemm.cu - matrix products through cuBLAS: bf16 operands, f32 accumulation
 * (CUBLAS_COMPUTE_32F), row-major activations times row-major [out][in] weights (the
 * Hugging Face nn.Linear layout), computed as the column-major product W^T-op x A.
 */
#include "kernels_int.cuh"

#include <cublas_v2.h>
#include <stdlib.h>

#define CC_CUBLAS_CHECK(call)                                                                     \
	do {                                                                                      \
		cublasStatus_t s_ = (call);                                                       \
		if (s_ != CUBLAS_STATUS_SUCCESS)                                                  \
			return cc_error_set(CC_ECUDA, "%s:%d: %s: %s", __FILE__, __LINE__, #call, \
			                    cublasGetStatusString(s_));                           \
	} while (0)

/* A handle with its own workspace: cuBLAS's recommended size on Hopper is 32 MiB (4 MiB on
 * older GPUs), and cublasSetStream, called before every product, resets a handle to the
 * library's default workspace pool, so the workspace is set again after it. ws_mb < 0: the
 * library's default (CC_BLAS_WS_MB=0 selects it for comparison in the benchmarks). The
 * workspace is allocated at the first product, so handles that never multiply cost nothing. */
typedef struct {
	cublasHandle_t h;
	void *ws;
	size_t ws_bytes; /* wanted; 0 = the library's default pool */
	int ws_failed;   /* the allocation failed once: the default pool from then on */
} cc_blas;

static int gemm_any(void *handle, void *c, cudaDataType ctype, const uint16_t *a,
                    const uint16_t *w, int m, int n, int k, float beta, cudaStream_t stream)
{
	CC_ARG_CHECK(handle && c && a && w && m >= 0 && n > 0 && k > 0);
	if (m == 0)
		return CC_OK;
	cc_blas *b = (cc_blas *)handle;
	cublasHandle_t h = b->h;
	float alpha = 1.0f;
	CC_CUBLAS_CHECK(cublasSetStream(h, stream));
	if (b->ws_bytes && !b->ws && !b->ws_failed && cudaMalloc(&b->ws, b->ws_bytes) != cudaSuccess) {
		(void)cudaGetLastError(); /* out of memory: run with the default pool */
		b->ws = NULL;
		b->ws_failed = 1;
	}
	if (b->ws)
		CC_CUBLAS_CHECK(cublasSetWorkspace(h, b->ws, b->ws_bytes));
	/* column-major: C^T [n x m] = W [k x n]^T . A^T [k x m] */
	CC_CUBLAS_CHECK(cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, n, m, k, &alpha, w, CUDA_R_16BF, k,
	                             a, CUDA_R_16BF, k, &beta, c, ctype, n, CUBLAS_COMPUTE_32F,
	                             CUBLAS_GEMM_DEFAULT));
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

extern "C" int cc_kernels_blas_new(void **out)
{
	CC_ARG_CHECK(out);
	*out = NULL;
	cc_blas *b = (cc_blas *)calloc(1, sizeof *b);
	if (!b)
		return cc_error_set(CC_ENOMEM, "cuBLAS handle: out of memory");
	cublasStatus_t s = cublasCreate(&b->h);
	if (s != CUBLAS_STATUS_SUCCESS) {
		free(b);
		return cc_error_set(CC_ECUDA, "cublasCreate: %s", cublasGetStatusString(s));
	}
	int mb = -1;
	const char *e = getenv("CC_BLAS_WS_MB");
	if (e && *e) {
		char *end;
		long v = strtol(e, &end, 10);
		if (*end == '\0' && v >= 0 && v <= 1024)
			mb = (int)v;
	}
	if (mb < 0) {
		int dev = 0, major = 0;
		if (cudaGetDevice(&dev) == cudaSuccess &&
		    cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev) == cudaSuccess)
			mb = major >= 9 ? 32 : 4;
		else
			mb = 0;
	}
	b->ws_bytes = (size_t)mb << 20;
	*out = b;
	return CC_OK;
}

extern "C" void cc_kernels_blas_free(void *handle)
{
	cc_blas *b = (cc_blas *)handle;
	if (!b)
		return;
	cublasDestroy(b->h);
	if (b->ws)
		cudaFree(b->ws);
	free(b);
}
