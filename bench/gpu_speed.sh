#!/bin/bash
# bench/gpu_speed.sh - issue 14's speed work (items 4 and 5) in one call on the GPU machine:
# build (tests/gpu/run.sh), the "gpu" tests, bench/gpu_attn (decode attention, the decode
# matrix-vector kernels), then on a random-weight Llama-3.1-8B-shaped checkpoint
# (bench/make_shape_ckpt.py) bench/gpu_engine against bench/gpu_hf_baseline.py, and the
# llama3 rope check against transformers (bench/gpu_rope_check.py) when present.
# Results under $OUT: summary.txt (short), tests.txt, attn.md, engine.md.
#   usage: TESTS=1 ATTN=1 SHAPES=llama-3.1-8b bench/gpu_speed.sh
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
if ! pkg-config --exists jansson 2>/dev/null && ls .devdeps/*.deb >/dev/null 2>&1; then
	D=/tmp/ccdeps
	mkdir -p $D
	for f in .devdeps/*.deb; do dpkg -x "$f" $D; done
	for pc in $D/usr/lib/x86_64-linux-gnu/pkgconfig/*.pc; do
		sed -i "s|^prefix=.*|prefix=$D/usr|" "$pc"
	done
	export PKG_CONFIG_PATH=$D/usr/lib/x86_64-linux-gnu/pkgconfig
	export LD_LIBRARY_PATH=$D/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
t0=$(date +%s)
el() { echo "[$(($(date +%s) - t0)) s]"; }
OUT=$OUT/run tests/gpu/run.sh none >"$OUT/tests.txt" 2>&1
grep -q "build ok" "$OUT/run/summary.txt" || { echo "BUILD FAILED" | tee -a "$S"; tail -40 "$OUT/run/build.txt" | tee -a "$S"; exit 1; }
echo "$(el) build ok" | tee -a "$S"
cat "$OUT/run/device.txt" >>"$S"
rm -rf "$OUT/run"
if [ "${TESTS:-1}" = 1 ]; then
	(cd "$B" && timeout 240 ctest -L gpu -V --timeout 200) >>"$OUT/tests.txt" 2>&1
	echo "$(el) ctest -L gpu: rc=$? $(grep -E 'tests passed|tests failed' "$OUT/tests.txt")" | tee -a "$S"
	grep -E "gemv|rope|graph vs eager|batched|CHECK|FAIL|Failed" "$OUT/tests.txt" | head -40 >>"$S"
fi
if [ "${ATTN:-1}" = 1 ]; then
	timeout 120 "$B/bin/gpu_attn" >"$OUT/attn.md" 2>&1
	echo "$(el) gpu_attn rc=$?" | tee -a "$S"
	grep -E "copy|gemv|decode attention" "$OUT/attn.md" >>"$S"
fi
[ -f bench/gpu_rope_check.py ] && { timeout 120 python3 bench/gpu_rope_check.py "$B" 2>&1 | tail -15 | tee -a "$S"; echo "$(el) rope check" | tee -a "$S"; }
mkdir -p "$CK"
for sh in $SHAPES; do
	d=$CK/$sh
	python3 bench/make_shape_ckpt.py "$sh" "$d" 2>&1 | tail -2 | tee -a "$S"
	[ -f "$d/config.json" ] || continue
	echo "$(el) $sh: gpu_engine" | tee -a "$S"
	{ echo; echo "### $sh"; echo; } >>"$OUT/engine.md"
	timeout 200 "$B/bin/gpu_engine" "$d" "$CK/ours-$sh.json" 2>&1 | tee -a "$OUT/engine.md" >>"$S"
	echo "$(el) $sh: gpu_hf_baseline.py" | tee -a "$S"
	timeout 200 python3 bench/gpu_hf_baseline.py "$d" "$CK/ours-$sh.json" 2>&1 | tail -8 | tee -a "$OUT/engine.md" >>"$S"
	rm -rf "$d"
done
echo "$(el) done" | tee -a "$S"
