/*
 * backend_load.c - find the CUDA backend. Programs that link it in (GPU tests, benchmarks)
 * define cc_backend_cuda() themselves; everything else (codecomp, codecompd) loads the module
 * codecomp-cuda.so with dlopen the first time a model asks for --device cuda, so CPU-only work
 * never maps the CUDA runtime and cuBLAS (~220 MB of address space and ~80 ms at every start).
 *
 * Where the module is looked for, first hit wins: $CODECOMP_CUDA_MODULE, then
 * <directory of the running program>/../lib/codecomp-cuda.so (build/bin -> build/lib, and
 * PREFIX/bin -> PREFIX/lib once installed).
 */
#include "cc_common.h"
#include "engine_int.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Defined when the backend is linked into this program (object library cc_engine_cuda). */
extern const cc_backend_ops *cc_backend_cuda(void) __attribute__((weak));

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static const cc_backend_ops *loaded;
static char load_error[PATH_MAX + 1024];

static int module_path(char *buf, size_t n)
{
	const char *env = getenv("CODECOMP_CUDA_MODULE");
	char exe[PATH_MAX];
	ssize_t len;
	char *slash;

	if (env && *env) {
		snprintf(buf, n, "%s", env);
		return 0;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0)
		return -1;
	exe[len] = 0;
	slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = 0;
	snprintf(buf, n, "%s/../lib/codecomp-cuda.so", exe);
	return 0;
}

const cc_backend_ops *cc_backend_cuda_get(void)
{
	const cc_backend_ops *ops;
	char path[PATH_MAX + 64];

	if (cc_backend_cuda)
		return cc_backend_cuda();
	pthread_mutex_lock(&load_lock);
	if (!loaded && !load_error[0]) {
		if (module_path(path, sizeof(path)) != 0) {
			snprintf(load_error, sizeof(load_error),
			         "cannot locate the running program to find codecomp-cuda.so "
			         "(set CODECOMP_CUDA_MODULE)");
		} else if (access(path, R_OK) != 0) {
			snprintf(load_error, sizeof(load_error),
			         "this build has no CUDA backend (%s not found; build with nvcc "
			         "available, or set CODECOMP_CUDA_MODULE)",
			         path);
		} else {
			void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
			const cc_backend_ops *(*get)(void);
			if (!h) {
				snprintf(load_error, sizeof(load_error), "cannot load %s: %s", path,
				         dlerror());
			} else if (!(*(void **)&get = dlsym(h, "cc_backend_cuda"))) {
				snprintf(load_error, sizeof(load_error),
				         "%s does not define cc_backend_cuda", path);
				dlclose(h);
			} else {
				loaded = get(); /* the module stays loaded for the process's life */
			}
		}
	}
	ops = loaded;
	if (!ops)
		cc_error_set(CC_EUNSUPPORTED, "device cuda: %s", load_error);
	pthread_mutex_unlock(&load_lock);
	return ops;
}
