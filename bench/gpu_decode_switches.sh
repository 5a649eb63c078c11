#!/bin/bash
# bench/gpu_decode_switches.sh - one device call for issue 14's decode switches (session 21): build,
# (GPU tests with every new decode switch on), decode attention (tile loads early or not, two
# stages, whole waves) and the engine decode on the 8B shape (defaults, all switches, subsets,
# defaults again), as time allows (BUDGET_S seconds of command time, default 420). Run from the
# repository root on the GPU machine; MODEL_TAR=path/to/pycode-16m.tar.xz unpacks the test model
# into .model/ (else CC_MODEL_DIR or .model/pycode-16m). Output under $OUT (default ./out).
set -u
T0=$(date +%s)
BUDGET_S=${BUDGET_S:-420}
OUT=${OUT:-$PWD/out}; mkdir -p "$OUT"; S=$OUT/summary.txt
el() { echo "[$(($(date +%s) - T0)) s] $*" | tee -a "$S"; }
have() { [ $(($(date +%s) - T0 + $1)) -lt "$BUDGET_S" ]; }
{ date -u; git log --oneline -1; nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader; } | tee "$S"
[ -n "${MODEL_TAR:-}" ] && mkdir -p .model && tar -C .model -xJf "$MODEL_TAR"
export CC_MODEL_DIR=${CC_MODEL_DIR:-$PWD/.model/pycode-16m}
. tests/gpu/devdeps.sh
GEN=; command -v ninja >/dev/null && GEN="-G Ninja"
cmake -S tests/gpu/device -B build-gpu $GEN -DCMAKE_BUILD_TYPE=Release >"$OUT/build.txt" 2>&1 &&
	cmake --build build-gpu -j 16 --target test_gpu_kernels test_gpu_engine test_gpu_ragged gpu_attn gpu_engine >>"$OUT/build.txt" 2>&1
rc=$?
el "build rc=$rc"
[ $rc = 0 ] || { tail -40 "$OUT/build.txt" | tee -a "$S"; exit 1; }
bin() { find build-gpu -name "$1" -type f -perm -u+x | head -1; }
ATTN=$(bin gpu_attn); ENG=$(bin gpu_engine)
(python3 bench/make_shape_ckpt.py llama-3.1-8b /tmp/ckpt/llama-3.1-8b >"$OUT/ckpt.txt" 2>&1; echo "ckpt rc=$?" >>"$OUT/ckpt.txt") &
CK=$!
# the new paths, off by default: the tests run with all of them on
NEW="CC_GEMV_L2PF_MB=24 CC_DEC_PDL_CHAIN=1 CC_DEC_TC_DIRECT=1 CC_DEC_TC_EARLY=1"
T=$OUT/tests.txt; : >"$T"
for t in test_gpu_kernels test_gpu_engine test_gpu_ragged; do
	have 15 || break
	env $NEW CC_SOURCE_DIR=$PWD timeout 100 "$(bin $t)" >>"$T" 2>&1
	el "$t rc=$?"
	grep -E 'checks|FAIL' "$T" | tail -2 | tee -a "$S"
done
grep -E 'merged in the launch|DIFFERS|FAIL' "$T" | sort | uniq -c | head -12 | tee -a "$S"
A=$OUT/attn.md; : >"$A"
for V in CC_DEC_TC_EARLY=0 CC_DEC_TC_EARLY=1 "CC_DEC_TC_STAGES=2 CC_DEC_TC_EARLY=1" CC_DEC_WAVES=2; do
	have 35 || break
	echo "### $V" >>"$A"
	env $V GPU_ATTN_TC_ONE=1 GPU_ATTN_TC_TILE=16 timeout 60 "$ATTN" >>"$A" 2>&1
	el "gpu_attn $V rc=$?"
done
grep -E '^###|decode attention' "$A" | tee -a "$S"
have 60 && { wait $CK; tail -1 "$OUT/ckpt.txt" | tee -a "$S"; }
E=$OUT/engine.md; : >"$E"
run_eng() {
	have 30 || return
	echo "### $*" >>"$E"
	env "$@" GPU_ENGINE_DECODE_ONLY=1 GPU_ENGINE_DECODE_VARS=0,4 timeout 60 "$ENG" /tmp/ckpt/llama-3.1-8b >>"$E" 2>&1
	el "gpu_engine $* rc=$?"
}
run_eng CC_DEFAULT=1
run_eng $NEW
run_eng CC_DEC_PDL_CHAIN=1 CC_DEC_TC_DIRECT=1 CC_DEC_TC_EARLY=1
run_eng CC_GEMV_L2PF_MB=24 CC_DEC_PDL_CHAIN=1
run_eng CC_DEFAULT=1
grep -E '^###|decode \(batch|weight-read limit|device copy' "$E" | tee -a "$S"
el done
