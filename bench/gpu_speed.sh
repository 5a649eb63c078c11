#!/bin/bash
# bench/gpu_speed.sh - issue 14's speed work (items 4 and 5) in one call on the GPU machine:
# build (tests/gpu/run.sh; or binaries built on the CPU machine from tests/gpu/device and
# carried in build-gpu, PREBUILT=1, which saves the build's device time), the GPU tests,
# bench/gpu_attn (decode attention, the decode matrix-vector kernels), the llama3 RoPE check
# against transformers (bench/gpu_rope_check.py), then on a random-weight Llama-3.1-8B-shaped
# checkpoint (bench/make_shape_ckpt.py) bench/gpu_engine against bench/gpu_hf_baseline.py.
# Results under $OUT: summary.txt (short), tests.txt, attn.md, engine.md.
#   usage: TESTS=1 ATTN=1|gemv ROPE=1 HF=1 DECODE_ONLY=0 PREBUILT=0 SHAPES=llama-3.1-8b \
#          bench/gpu_speed.sh
# PREBUILT=1 unpacks prebuilt.tar.xz from the checkout's root, made on the CPU machine by
#   cmake -S tests/gpu/device -B build-gpu -DCMAKE_BUILD_TYPE=Release && cmake --build \
#     build-gpu --target test_gpu_kernels test_gpu_engine test_gpu_ragged \
#     test_gpu_engine_ragged gpu_attn gpu_engine gpu_logits &&
#   tar -cf - build-gpu/bin/{gpu_attn,gpu_engine,gpu_logits} \
#     build-gpu/tests/test_gpu_{kernels,engine,ragged,engine_ragged} | xz -9 > prebuilt.tar.xz
# (about 5 MB), and builds on the device when those binaries do not run there.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/out}
mkdir -p "$OUT"
SHAPES=${SHAPES-llama-3.1-8b}
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
{ date -u; nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader; } >>"$S" 2>&1
prebuilt=0
if [ "${PREBUILT:-0}" = 1 ] && [ -f prebuilt.tar.xz ]; then
	tar -xJf prebuilt.tar.xz
	export LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/usr/local/cuda/lib64:/usr/local/cuda/lib
fi
if [ "${PREBUILT:-0}" = 1 ] && [ -x "$B/bin/gpu_engine" ]; then
	"$B/bin/gpu_engine" >/dev/null 2>&1
	[ $? = 2 ] && prebuilt=1 || echo "carried binaries do not run here: building" | tee -a "$S"
fi
if [ $prebuilt = 0 ]; then
	rm -rf "$B"
	OUT=$OUT/run tests/gpu/run.sh none >"$OUT/tests.txt" 2>&1
	grep -q "build ok" "$OUT/run/summary.txt" || { echo "BUILD FAILED" | tee -a "$S"; tail -40 "$OUT/run/build.txt" | tee -a "$S"; exit 1; }
	rm -rf "$OUT/run"
fi
echo "$(el) build ok (prebuilt $prebuilt)" | tee -a "$S"
if [ "${TESTS:-1}" = 1 ]; then
	for t in test_gpu_kernels test_gpu_engine test_gpu_ragged test_gpu_engine_ragged; do
		[ -x "$B/tests/$t" ] || { echo "$(el) $t: not built" | tee -a "$S"; continue; }
		timeout 200 "$B/tests/$t" >>"$OUT/tests.txt" 2>&1
		echo "$(el) $t: rc=$? $(grep -E 'checks, ' "$OUT/tests.txt" | tail -1)" | tee -a "$S"
	done
	grep -E "gemv|shape|graph vs eager|batched|CHECK|FAIL" "$OUT/tests.txt" | head -50 >>"$S"
	grep -E "merged|RoPE in|separate merge|DIFFER" "$OUT/tests.txt" | head -60 >>"$S"
fi
if [ "${ATTN:-1}" != 0 ]; then
	[ "${ATTN:-1}" = gemv ] && export GPU_ATTN_GEMV_ONLY=1
	timeout 150 "$B/bin/gpu_attn" >"$OUT/attn.md" 2>&1
	echo "$(el) gpu_attn rc=$?" | tee -a "$S"
	grep -E "copy|gemv|decode attention|fusion|RoPE" "$OUT/attn.md" >>"$S"
fi
if [ "${ROPE:-1}" = 1 ]; then
	timeout 120 python3 bench/gpu_rope_check.py "$B" 2>&1 | grep -v Warn | tail -6 | tee -a "$S"
	echo "$(el) rope check" | tee -a "$S"
fi
mkdir -p "$CK"
[ "${DECODE_ONLY:-0}" = 1 ] && export GPU_ENGINE_DECODE_ONLY=1
for sh in $SHAPES; do
	d=$CK/$sh
	python3 bench/make_shape_ckpt.py "$sh" "$d" 2>&1 | tail -1 | tee -a "$S"
	[ -f "$d/config.json" ] || continue
	echo "$(el) $sh: gpu_engine" | tee -a "$S"
	{ echo; echo "### $sh"; echo; } >>"$OUT/engine.md"
	timeout 200 "$B/bin/gpu_engine" "$d" "$CK/ours-$sh.json" 2>&1 | tee -a "$OUT/engine.md" >>"$S"
	if [ "${HF:-1}" = 1 ]; then
		echo "$(el) $sh: gpu_hf_baseline.py" | tee -a "$S"
		timeout 200 python3 bench/gpu_hf_baseline.py "$d" "$CK/ours-$sh.json" 2>&1 | tail -8 | tee -a "$OUT/engine.md" >>"$S"
	fi
	rm -rf "$d"
done
echo "$(el) done" | tee -a "$S"
