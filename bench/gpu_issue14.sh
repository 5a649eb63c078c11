#!/bin/bash
# bench/gpu_issue14.sh - issue 14's GPU work in one call on the GPU machine: build (through
# tests/gpu/run.sh), the "gpu" tests and compute-sanitizer memcheck on the kernel test, then
# for each shape in SHAPES a random-weight checkpoint made by bench/make_shape_ckpt.py,
# bench/gpu_engine against bench/gpu_hf_baseline.py on it, and for llama-3.1-8b the
# throughput benchmark (bench/gpu_throughput). Each checkpoint is deleted after use (disk).
# Results under $OUT: summary.txt, tests.txt, throughput.md, shapes.md.
#   usage: SHAPES="llama-3.1-8b qwen2.5-coder-7b" TESTS=1 MEMCHECK=0 THROUGHPUT=1 bench/gpu_issue14.sh
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/out}
mkdir -p "$OUT"
SHAPES=${SHAPES:-"llama-3.1-8b qwen2.5-coder-7b"}
TESTS=${TESTS:-1}
CK=${CK_DIR:-/tmp/ckpt}
B=$ROOT/build-gpu
S=$OUT/summary.txt
export PYTHONUNBUFFERED=1 CC_SOURCE_DIR=$ROOT
if [ -z "${CC_MODEL_DIR:-}" ] && [ -f .model/pycode-16m/config.json ]; then
	export CC_MODEL_DIR=$ROOT/.model/pycode-16m
fi
. tests/gpu/devdeps.sh # jansson/pcre2 carried as .deb files, in this shell
t0=$(date +%s)
el() { echo "[$(($(date +%s) - t0)) s]"; }
OUT=$OUT/run tests/gpu/run.sh none >"$OUT/tests.txt" 2>&1
cat "$OUT/run/build.txt" 2>/dev/null | grep -E "error|warning" | head -20 >>"$OUT/tests.txt"
grep -q "build ok" "$OUT/run/summary.txt" || { echo "BUILD FAILED" | tee -a "$S"; tail -30 "$OUT/run/build.txt" | tee -a "$S"; exit 1; }
echo "$(el) build ok" | tee -a "$S"
cat "$OUT/run/device.txt" >>"$S"
if [ "$TESTS" = 1 ]; then
	(cd "$B" && timeout 300 ctest -L gpu -V --timeout 240) >>"$OUT/tests.txt" 2>&1
	echo "$(el) ctest -L gpu: rc=$? $(grep -E 'tests passed|tests failed' "$OUT/tests.txt")" | tee -a "$S"
	grep -E "shape |batched vs alone|huge pool|decode hd|prefill hd|obs_stats hd|CHECK|FAIL" "$OUT/tests.txt" | head -80 >>"$S"
	[ "${MEMCHECK:-0}" = 1 ] && timeout 240 compute-sanitizer --tool memcheck --error-exitcode 9 "$B/tests/test_gpu_kernels" \
		>"$OUT/run/memcheck.txt" 2>&1
	echo "$(el) memcheck test_gpu_kernels: rc=$? $(grep -E 'ERROR SUMMARY' "$OUT/run/memcheck.txt")" | tee -a "$S"
	tail -5 "$OUT/run/memcheck.txt" >>"$OUT/tests.txt"
fi
rm -rf "$OUT/run"
mkdir -p "$CK"
for sh in $SHAPES; do
	d=$CK/$sh
	python3 bench/make_shape_ckpt.py "$sh" "$d" 2>&1 | tail -3 | tee -a "$OUT/shapes.md" | tee -a "$S"
	[ -f "$d/config.json" ] || continue
	if [ "$sh" = llama-3.1-8b ] && [ "${THROUGHPUT:-1}" = 1 ]; then
		echo "$(el) throughput $sh" | tee -a "$S"
		timeout 420 "$B/bin/gpu_throughput" "$d" --ctx 32768 --steps 16 2>&1 | tee "$OUT/throughput.md" | tee -a "$S"
	fi
	echo "$(el) shape $sh: gpu_engine" | tee -a "$S"
	{ echo; echo "### $sh"; echo; } >>"$OUT/shapes.md"
	timeout 200 "$B/bin/gpu_engine" "$d" "$CK/ours-$sh.json" 2>&1 | tee -a "$OUT/shapes.md" | tee -a "$S"
	echo "$(el) shape $sh: gpu_hf_baseline.py" | tee -a "$S"
	timeout 240 python3 bench/gpu_hf_baseline.py "$d" "$CK/ours-$sh.json" 2>&1 | tail -12 | tee -a "$OUT/shapes.md" | tee -a "$S"
	rm -rf "$d"
done
echo "$(el) done" | tee -a "$S"
