/*
 * gemm.cu - matrix products through cuBLAS: bf16 operands, f32 accumulation
 * (CUBLAS_COMPUTE_32F), row-major activations times row-major [out][in] weights (the
 * Hugging Face nn.Linear layout), computed as the column-major product W^T-op x A.
 */
#include "kernels_int.cuh"

#include <cublas_v2.h>

#define CC_CUBLAS_CHECK(call)                                                                     \
	do {                                                                                      \
		cublasStatus_t s_ = (call);                                                       \
		if (s_ != CUBLAS_STATUS_SUCCESS)                                                  \
			return cc_error_set(CC_ECUDA, "%s:%d: %s: %s", __FILE__, __LINE__, #call, \
			                    cublasGetStatusString(s_));                           \
	} while (0)

static int gemm_any(void *handle, void *c, cudaDataType ctype, const uint16_t *a,
                    const uint16_t *w, int m, int n, int k, float beta, cudaStream_t stream)
{
	CC_ARG_CHECK(handle && c && a && w && m >= 0 && n > 0 && k > 0);
	if (m == 0)
		return CC_OK;
	cublasHandle_t h = (cublasHandle_t)handle;
	float alpha = 1.0f;
	CC_CUBLAS_CHECK(cublasSetStream(h, stream));
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
	cublasHandle_t h;
	CC_CUBLAS_CHECK(cublasCreate(&h));
	*out = h;
	return CC_OK;
}

extern "C" void cc_kernels_blas_free(void *handle)
{
	if (handle)
		cublasDestroy((cublasHandle_t)handle);
}
