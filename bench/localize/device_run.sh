#!/bin/bash
# bench/localize/device_run.sh - the device run of bench/results/localize.md (issue 12).
#   prepare CARRY_DIR   (here: builds the 330-mutant corpus, packs binary, libraries, corpus and
#                        model into CARRY_DIR for the device tool's `carry`)
#   run                 (on the device, inside CARRY_DIR: CUDA smoke test, CPU fallback, then
#                        `codecomp batch` over all records; results under $OUT)
# then: bench/localize/baselines.py $OUT/results.jsonl, codecomp batch report.
set -u
case "${1:-}" in
prepare)
	C=$2; SRC=$(cd "$(dirname "$0")/../.." && pwd); B=$SRC/build/bin/codecomp
	PY=${PYLIB:-/usr/lib/python3.11}
	W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
	export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
	export GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z
	mkdir -p "$W/email-pkg" "$W/pylib" "$W/ccore" "$C"
	cp -r "$PY/email" "$W/email-pkg/" && find "$W/email-pkg" -name __pycache__ -prune -exec rm -rf {} \;
	for m in argparse textwrap shlex fnmatch colorsys bisect genericpath calendar difflib heapq; do
		cp "$PY/$m.py" "$W/pylib/"; done
	cp -r "$SRC/store" "$SRC/common" "$W/ccore/" && find "$W/ccore" -name CMakeLists.txt -delete
	for r in email-pkg pylib ccore; do
		(cd "$W/$r" && git init -q && git add -A && git commit -qm "import $r") &&
		"$B" index "$W/$r" >/dev/null &&
		"$B" mutate --repo "$W/$r" --count 110 --seed 7 --out "$W/cbench/man/$r.jsonl" || exit 1
	done
	(cd "$W/cbench/man" && cat email-pkg.jsonl pylib.jsonl ccore.jsonl >all.jsonl)
	mkdir -p "$W/bin" "$W/lib" "$W/deps" "$C/.model"
	strip -o "$W/bin/codecomp" "$B" && strip -o "$W/lib/codecomp-cuda.so" "$SRC/build/lib/codecomp-cuda.so"
	for l in $(ldd "$B" | awk '$3 ~ /^\// {print $3}' | grep -v '/libc.so\|/libm.so\|/libpthread\|/libresolv\|/libdl'); do
		cp -L "$l" "$W/deps/"; done
	(cd "$W" && tar -cf - bin lib deps cbench | xz -6 >"$C/pack.tar.xz")
	cp -r "${CC_MODEL_DIR:-$SRC/../shared/models/pycode-16m}" "$C/.model/pycode-16m"
	cp "$0" "$C/device_run.sh"
	;;
run)
	cd "$(dirname "$0")"; R=$(pwd)
	[ -d bin ] || tar -xJf pack.tar.xz
	export LD_LIBRARY_PATH=$R/deps:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}
	OUT=${OUT:-$R/out}; mkdir -p "$OUT"
	{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; nproc; } >"$OUT/device.txt" 2>&1
	B=$R/bin/codecomp; M=$R/.model/pycode-16m
	COMMON="--model $M --scored 3 --max-read 384 --context-tokens 384"
	head -1 cbench/man/pylib.jsonl >cbench/man/smoke.jsonl
	DEV=cuda
	timeout 60 "$B" batch --manifest cbench/man/smoke.jsonl --out smoke --policies codecomp --budgets 0.2 \
		$COMMON --device cuda >"$OUT/smoke.txt" 2>&1 || { DEV=cpu; echo "cuda smoke failed: CPU" >>"$OUT/device.txt"; }
	echo "device=$DEV" >>"$OUT/device.txt"
	JOBS=8; [ $DEV = cpu ] && JOBS=15
	T0=$(date +%s)
	timeout "${BUDGET_S:-250}" "$B" batch --manifest cbench/man/all.jsonl --out runs \
		--policies "${POLICIES:-codecomp,snapkv}" --budgets "${BUDGETS:-0.2}" $COMMON --device $DEV \
		--jobs $JOBS >"$OUT/batch.txt" 2>&1
	echo "batch rc=$? wall=$(($(date +%s) - T0))s" >>"$OUT/device.txt"
	cat runs/*.jsonl >"$OUT/results.jsonl"
	cat "$OUT/device.txt"
	;;
*)
	echo "usage: $0 prepare CARRY_DIR | run" >&2; exit 2 ;;
esac
