#!/bin/bash
# tests/gpu/run.sh - everything GPU in one call on the GPU machine: configure and build the
# engine, kernels, GPU tests and benchmarks with CUDA (tests/gpu/device: no indexer
# libraries needed), run the "gpu" tests, compute-sanitizer (memcheck) on the kernel test, the
# benchmarks, and the Hugging Face transformers baseline. Logs and results go under $OUT
# (default ./out). The model is taken from CC_MODEL_DIR or .model/pycode-16m.
#   usage: [SANITIZE=all|memcheck|none] [SANITIZE_TIMEOUT=S] tests/gpu/run.sh [all|kernels|bench|attn|kvquant]
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/out}
mkdir -p "$OUT"
WHAT=${1:-all}
B=${GPU_BUILD_DIR:-$ROOT/build-gpu}
SUMMARY=$OUT/summary.txt
: >"$SUMMARY"
note() { echo "== $*" | tee -a "$SUMMARY"; }
export PYTHONUNBUFFERED=1
if [ -z "${CC_MODEL_DIR:-}" ] && [ -f .model/pycode-16m/config.json ]; then
	export CC_MODEL_DIR=$ROOT/.model/pycode-16m
fi

{
	date -u
	nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,clocks.mem --format=csv
	nvcc --version | tail -2
} >"$OUT/device.txt" 2>&1
cat "$OUT/device.txt"

# Build dependencies the GPU machine may lack (jansson, pcre2): tests/gpu/devdeps.sh
. tests/gpu/devdeps.sh
case $CC_DEVDEPS in
carried) note "deps: jansson/pcre2/zlib from .devdeps" ;;
missing) note "deps: jansson/pcre2/zlib missing and no .devdeps" ;;
esac

GEN=
command -v ninja >/dev/null && GEN="-G Ninja"
set -o pipefail
if ! cmake -S tests/gpu/device -B "$B" $GEN -DCMAKE_BUILD_TYPE=Release \
	>"$OUT/build.txt" 2>&1 || ! cmake --build "$B" -j 16 --target test_gpu_kernels test_gpu_engine test_gpu_kvquant test_gpu_kvseal test_gpu_engine_kvq test_gpu_repocache test_gpu_ragged test_gpu_engine_ragged gpu_attn gpu_kvquant gpu_engine gpu_throughput gpu_logits \
	>>"$OUT/build.txt" 2>&1; then
	note "BUILD FAILED"
	tail -40 "$OUT/build.txt"
	exit 1
fi
note "build ok"

if [ "$WHAT" = all ] || [ "$WHAT" = kernels ]; then
	(cd "$B" && ctest -L gpu -V --timeout 300) >"$OUT/ctest.txt" 2>&1
	note "ctest -L gpu: rc=$? $(grep -E 'tests passed|tests failed' "$OUT/ctest.txt")"
	grep -E "rel err|dNLL|agreement|KL|kv:|fork|graph|decode vs|FAILED|CHECK|seed|checks" "$OUT/ctest.txt" | head -60 | tee -a "$SUMMARY"
	grep -E "_heads|_lanes|as lanes|ragged|dlogp|FAILED" "$OUT/ctest.txt" | head -60 | tee -a "$SUMMARY"
	# SANITIZE: the compute-sanitizer tools to run on the kernel test (memcheck first), or none
	if command -v compute-sanitizer >/dev/null && [ "${SANITIZE:-all}" != none ]; then
		CC_SOURCE_DIR=$ROOT timeout "${SANITIZE_TIMEOUT:-400}" compute-sanitizer --tool memcheck --error-exitcode 9 \
			"$B/tests/test_gpu_kernels" >"$OUT/sanitizer.txt" 2>&1
		note "compute-sanitizer memcheck test_gpu_kernels: rc=$? $(grep -E 'ERROR SUMMARY' "$OUT/sanitizer.txt")"
		CC_SOURCE_DIR=$ROOT timeout "${SANITIZE_TIMEOUT:-400}" compute-sanitizer --tool memcheck --error-exitcode 9 \
			"$B/tests/test_gpu_ragged" >"$OUT/sanitizer_ragged.txt" 2>&1
		note "compute-sanitizer memcheck test_gpu_ragged: rc=$? $(grep -E 'ERROR SUMMARY' "$OUT/sanitizer_ragged.txt")"
		[ "${SANITIZE:-all}" = memcheck ] || for tool in racecheck synccheck; do
			echo "== $tool" >>"$OUT/sanitizer.txt"
			CC_SOURCE_DIR=$ROOT timeout 300 compute-sanitizer --tool $tool --error-exitcode 9 \
				"$B/tests/test_gpu_kernels" >>"$OUT/sanitizer.txt" 2>&1
			note "compute-sanitizer $tool test_gpu_kernels: rc=$? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$OUT/sanitizer.txt" | tail -1)"
		done
	fi
fi

if [ "$WHAT" = all ] || [ "$WHAT" = bench ] || [ "$WHAT" = attn ]; then
	note "bench gpu_attn"
	"$B/bin/gpu_attn" 2>&1 | tee "$OUT/bench_attn.md" | tee -a "$SUMMARY"
fi
if [ "$WHAT" = all ] || [ "$WHAT" = bench ] || [ "$WHAT" = kvquant ]; then
	note "bench gpu_kvquant"
	"$B/bin/gpu_kvquant" 2>&1 | tee "$OUT/bench_kvquant.md" | tee -a "$SUMMARY"
fi
if [ "$WHAT" = all ] || [ "$WHAT" = bench ]; then
	if [ -x "$B/bin/gpu_engine" ] && [ -n "${CC_MODEL_DIR:-}" ]; then
		note "bench gpu_engine"
		"$B/bin/gpu_engine" "$CC_MODEL_DIR" "$B/ours.json" 2>&1 | tee "$OUT/bench_engine.md" | tee -a "$SUMMARY"
	fi
	if [ -n "${CC_MODEL_DIR:-}" ]; then
		note "bench gpu_hf_baseline.py"
		python3 bench/gpu_hf_baseline.py "$CC_MODEL_DIR" "$B/ours.json" 2>&1 | tee "$OUT/bench_hf.md" |
			tail -20 | tee -a "$SUMMARY"
	fi
fi
note "done"
