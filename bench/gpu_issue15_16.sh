#!/bin/bash
# bench/gpu_issue15_16.sh - issues 15 and 16 on the GPU machine in one call: build with
# tests/gpu/device's CMake (engine, kernels, compress, repocache: no indexer libraries), run
# the GPU tests of the quantized KV cache and of the repository cache on CUDA (with
# compute-sanitizer memcheck on the sealing kernels' test), then the benchmarks:
#   kvq_decode.md   decode tokens/s with bf16 vs INT8/INT4/INT2 caches at 4K and 32K tokens
#                   (bench/gpu_kvq_decode, pycode-16m; with BIG=1 also the Llama-3.1-8B random
#                   shape made by bench/make_shape_ckpt.py, deleted after use);
#   kvq_kernel.md   the decode attention kernels alone at 32K (bench/gpu_kvquant);
#   repo_cache.md   time to first token with cached chunks vs a full prefill at 4K and 32K
#                   (bench/gpu_repo_cache, full chunks and snapkv at 20%).
# Everything lands under $OUT (default ./out): summary.txt, tests.txt, build.txt and the
# markdown files. The model comes from CC_MODEL_DIR or .model/pycode-16m.
#   usage: [WHAT=all|tests|bench|big] [BIG=0|1] [MEMCHECK=1] [RACECHECK=1]
#          [RC_POLICIES="full snapkv"] bench/gpu_issue15_16.sh
# The agent's session.open {"cache": true} on CUDA end to end (codecomp ask --repo-cache) needs
# the indexer's libraries, which the GPU machine lacks: build here, carry, run there:
#   bench/gpu_issue15_16.sh prepare DIR   # CPU machine: DIR/{bin,lib,deps,repo.tar,...}
#   DIR/gpu_issue15_16.sh agent           # GPU machine: $OUT/agent.md
# (a two-commit repository of two stdlib files, indexed at /tmp/cc_i1516_repo, the path it is
# unpacked to again; ask on cuda twice at the first commit, once after the one-file commit,
# and on cpu: the replies' chunk counts and texts).
set -u
AREPO=/tmp/cc_i1516_repo
case "${1:-}" in
prepare)
	D=${2:?usage: gpu_issue15_16.sh prepare DIR}
	BD=${B:-build}
	mkdir -p "$D/bin" "$D/lib" "$D/deps" "$D/.model"
	cp "$BD/bin/codecomp" "$D/bin/" && strip "$D/bin/codecomp"
	cp "$BD/lib/codecomp-cuda.so" "$D/lib/" && strip --strip-debug "$D/lib/codecomp-cuda.so"
	for l in $(ldd "$BD/bin/codecomp" | awk '{print $3}' | grep / |
		grep -v 'libc.so\|libm.so\|libresolv\|ld-linux'); do cp -L "$l" "$D/deps/"; done
	[ "${MODEL:-}" = none ] || cp -r "${MODEL:-../shared/models/pycode-16m}" "$D/.model/pycode-16m"
	PY=$(python3 -c 'import os;print(os.path.dirname(os.__file__))')
	rm -rf "$AREPO" && mkdir -p "$AREPO" && git -C "$AREPO" init -q &&
		cp "$PY/bisect.py" "$PY/keyword.py" "$AREPO/" &&
		git -C "$AREPO" add . && git -C "$AREPO" -c user.email=b@c -c user.name=bench commit -qm one &&
		git -C "$AREPO" rev-parse HEAD >"$D/rev1" &&
		"$BD/bin/codecomp" index --no-daemon "$AREPO" >/dev/null &&
		printf '\n\ndef is_soft(s):\n    return s in softkwlist\n' >>"$AREPO/keyword.py" &&
		git -C "$AREPO" -c user.email=b@c -c user.name=bench commit -qam two &&
		"$BD/bin/codecomp" index --no-daemon "$AREPO" >/dev/null || { echo "prepare: repo"; exit 1; }
	tar -C "$(dirname $AREPO)" -cf "$D/repo.tar" "$(basename $AREPO)"
	cp "$0" "$D/"
	du -sh "$D"
	exit 0
	;;
agent)
	cd "$(dirname "$0")"
	R=$(pwd)
	OUT=${OUT:-$R/out}
	mkdir -p "$OUT"
	export LD_LIBRARY_PATH=$R/deps:/usr/local/cuda/targets/x86_64-linux/lib:/usr/local/cuda/lib64
	M=${CC_MODEL_DIR:-$R/.model/pycode-16m}
	rm -rf "$AREPO" && tar -C "$(dirname $AREPO)" -xf repo.tar
	A=$OUT/agent.md
	{ date -u; nvidia-smi --query-gpu=name --format=csv,noheader; } >"$A"
	ask() { # device rev -> one line: chunk counts and the text
		timeout 120 bin/codecomp ask --no-daemon --model "$M" --device "$1" --repo "$AREPO" \
			--rev "$2" --path bisect.py --path keyword.py --policy full --max-new 16 --json \
			--repo-cache "def insort(" >"$OUT/ask.json" 2>"$OUT/ask.err"
		echo "rc=$? $(python3 -c 'import json,sys
try:
    o = json.load(open(sys.argv[1])); r = o["session"]["repo_cache"]
    print("reused %d from_disk %d prefilled %d bytes_disk %d text %r" % (r["chunks_reused"],
          r["chunks_from_disk"], r["chunks_prefilled"], r["bytes_disk"], o["generate"]["text"]))
except Exception:
    print("no reply")' "$OUT/ask.json") $(head -c 300 "$OUT/ask.err")"
	}
	R1=$(cat rev1)
	echo "- cuda, first commit, cold (expect prefilled 2): $(ask cuda "$R1")" | tee -a "$A"
	echo "- cuda, first commit again (expect from_disk 2, prefilled 0): $(ask cuda "$R1")" | tee -a "$A"
	echo "- cuda, after the one-file commit (expect prefilled 1): $(ask cuda HEAD)" | tee -a "$A"
	echo "- cpu, after the commit (its own chunks; same text expected, or nearly): $(ask cpu HEAD)" | tee -a "$A"
	exit 0
	;;
esac
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/out}
mkdir -p "$OUT"
WHAT=${WHAT:-all}
B=${GPU_BUILD_DIR:-$ROOT/build-gpu}
S=$OUT/summary.txt
: >"$S"
export PYTHONUNBUFFERED=1 CC_SOURCE_DIR=$ROOT
if [ -z "${CC_MODEL_DIR:-}" ] && [ -f .model/pycode-16m/config.json ]; then
	export CC_MODEL_DIR=$ROOT/.model/pycode-16m
fi
M=${CC_MODEL_DIR:-}
t0=$(date +%s)
note() { echo "[$(($(date +%s) - t0)) s] $*" | tee -a "$S"; }
{
	date -u
	nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
	nvcc --version | tail -1
} 2>&1 | tee -a "$S"
. tests/gpu/devdeps.sh # jansson/pcre2 carried as .deb files, in this shell
GEN=
command -v ninja >/dev/null && GEN="-G Ninja"
TESTS="test_gpu_kvseal test_gpu_engine_kvq test_gpu_repocache test_gpu_kvquant test_gpu_engine"
if ! cmake -S tests/gpu/device -B "$B" $GEN -DCMAKE_BUILD_TYPE=Release >"$OUT/build.txt" 2>&1 ||
	! cmake --build "$B" -j 16 --target $TESTS gpu_kvq_decode gpu_repo_cache gpu_kvquant \
		>>"$OUT/build.txt" 2>&1; then
	note "BUILD FAILED"
	grep -E "error" "$OUT/build.txt" | head -30 | tee -a "$S"
	exit 1
fi
note "build ok"

if [ "$WHAT" = all ] || [ "$WHAT" = tests ]; then
	(cd "$B" && timeout 420 ctest -V --timeout 300 \
		-R 'test_gpu_kvseal|test_gpu_engine_kvq|test_gpu_repocache|test_gpu_kvquant|test_gpu_engine$') \
		>"$OUT/tests.txt" 2>&1
	note "ctest: rc=$? $(grep -E 'tests passed|tests failed' "$OUT/tests.txt")"
	grep -E "differing|rel err|dNLL|obs layer|compacted|bytes|rows |cached vs fresh|assembled|CHECK|FAIL|checks" \
		"$OUT/tests.txt" | head -120 >>"$S"
	if [ "${MEMCHECK:-1}" = 1 ] && command -v compute-sanitizer >/dev/null; then
		timeout 200 compute-sanitizer --tool memcheck --error-exitcode 9 "$B/tests/test_gpu_kvseal" \
			>"$OUT/memcheck.txt" 2>&1
		note "memcheck test_gpu_kvseal: rc=$? $(grep -E 'ERROR SUMMARY' "$OUT/memcheck.txt")"
		# the quantized attention kernel stages rows in shared memory per warp: memcheck and
		# racecheck on its test
		timeout 200 compute-sanitizer --tool memcheck --error-exitcode 9 \
			"$B/tests/test_gpu_kvquant" >"$OUT/memcheck_kvquant.txt" 2>&1
		note "memcheck test_gpu_kvquant: rc=$? $(grep -E 'ERROR SUMMARY' "$OUT/memcheck_kvquant.txt")"
		if [ "${RACECHECK:-1}" = 1 ]; then
			timeout 150 compute-sanitizer --tool racecheck --error-exitcode 9 \
				"$B/tests/test_gpu_kvquant" >"$OUT/racecheck_kvquant.txt" 2>&1
			note "racecheck test_gpu_kvquant: rc=$? $(grep -E 'RACECHECK SUMMARY|ERROR SUMMARY' "$OUT/racecheck_kvquant.txt")"
		fi
	fi
fi

[ "$WHAT" = big ] && BIG=1 # only the Llama-3.1-8B shape's decode (a warm machine's build)
if [ "$WHAT" = all ] || [ "$WHAT" = bench ] || [ "$WHAT" = big ]; then
	if [ -n "$M" ] && [ "$WHAT" != big ]; then
		note "gpu_kvq_decode pycode-16m"
		timeout 240 "$B/bin/gpu_kvq_decode" "$M" --ctx 4096,32768 --steps 64 2>&1 |
			tee "$OUT/kvq_decode.md" | tee -a "$S"
	fi
	if [ "$WHAT" != big ]; then
		note "gpu_kvquant 32K (kernels alone)"
		timeout 120 "$B/bin/gpu_kvquant" 32768 2>&1 | tee "$OUT/kvq_kernel.md" | tail -20 >>"$S"
	fi
	if [ -n "$M" ] && [ "$WHAT" != big ]; then
		for pol in ${RC_POLICIES:-full snapkv}; do
			note "gpu_repo_cache $pol"
			timeout 240 "$B/bin/gpu_repo_cache" "$M" --device cuda --ctx 4096,32768 --file 1024 \
				--reps 5 --policy $pol --budget 0.2 2>&1 | tee -a "$OUT/repo_cache.md" | tee -a "$S"
		done
	fi
	if [ "${BIG:-0}" = 1 ]; then
		CK=${CK_DIR:-/tmp/ckpt}/llama-3.1-8b
		python3 bench/make_shape_ckpt.py llama-3.1-8b "$CK" 2>&1 | tail -2 | tee -a "$S"
		if [ -f "$CK/config.json" ]; then
			note "gpu_kvq_decode llama-3.1-8b shape"
			{ echo; echo "### Llama-3.1-8B shape (random weights)"; echo; } >>"$OUT/kvq_decode.md"
			timeout 300 "$B/bin/gpu_kvq_decode" "$CK" --ctx 4096,32768 --steps 32 \
				--formats bf16,int8-kivi,int4-kivi,int4-rotated 2>&1 | tee -a "$OUT/kvq_decode.md" | tee -a "$S"
		fi
		rm -rf "$CK"
	fi
fi
note "done"
