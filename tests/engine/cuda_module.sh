#!/bin/bash
# The CUDA backend is a module loaded only for --device cuda: the codecomp program itself does
# not link the CUDA runtime or cuBLAS (they cost ~220 MB and ~80 ms at every start, hooks
# included), a missing module is a clear error, and where the module exists it is loaded (it
# then either runs or says that no CUDA device is available).
set -u
B=${CC_BIN:?}
C=$B/codecomp
M=${CC_MODEL_DIR:-${CC_SOURCE_DIR:-.}/../shared/models/pycode-16m}
fail() { echo "FAIL: $*"; exit 1; }

ldd "$C" | grep -Eq 'libcudart|libcublas' && fail "codecomp links the CUDA runtime: $(ldd "$C" | grep -E 'cudart|cublas')"
[ -f "$M/config.json" ] || { echo "SKIP: no model at $M"; exit 77; }
IN=fixtures/engine/inputs/heapq.py

out=$(CODECOMP_CUDA_MODULE=/nonexistent/codecomp-cuda.so "$C" score --model "$M" --device cuda \
	--max-tokens 16 --json "$IN" 2>&1) && fail "a missing CUDA module succeeded"
case $out in *"no CUDA backend"*"/nonexistent/codecomp-cuda.so"*) ;; *) fail "missing module: $out" ;; esac

if [ -f "$B/../lib/codecomp-cuda.so" ]; then
	out=$("$C" score --model "$M" --device cuda --max-tokens 16 --json "$IN" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		# the message comes from inside the module: it reached the program's cc_error_last
		case $out in *"no CUDA device is available"*) ;; *) fail "module load: $out" ;; esac
	else
		case $out in *'"device":"cuda"'*) ;; *) fail "cuda score output: $out" ;; esac
	fi
	# every program that loads the module (it names it and does not link the CUDA runtime
	# itself) exports what the module takes from its loader
	need=$(nm -D --undefined-only "$B/../lib/codecomp-cuda.so" | awk '$2 ~ /^cc_/ {print $2}' | sort -u)
	[ -n "$need" ] || fail "the module takes no cc_ symbols from its loader: check the nm parse"
	n=0
	for p in "$B"/*; do
		[ -x "$p" ] && grep -q "codecomp-cuda.so" "$p" || continue
		ldd "$p" 2>/dev/null | grep -q libcudart && continue
		have=$(nm -D --defined-only "$p" 2>/dev/null | awk '{print $3}' | sort -u)
		miss=$(comm -23 <(echo "$need") <(echo "$have") | head -3 | tr '\n' ' ')
		[ -z "$miss" ] || fail "$(basename "$p") cannot load the CUDA module: it does not export $miss"
		n=$((n + 1))
	done
	[ $n -ge 2 ] || fail "only $n programs that load the CUDA module found in $B"
	echo "ok: $n programs export what the CUDA module needs"
else
	echo "note: no CUDA module in this build (nvcc absent); only the missing-module path checked"
fi
echo "2 passed, 0 failed"
