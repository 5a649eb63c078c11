#!/bin/bash
# bench/gpu_fidelity.sh - issue 13's reported fidelity tables on the GPU machine: every policy
# on the CUDA engine, the CPU-only rows on the host's cores, the same samples (seed 1 at
# T = 2048, seed 2 at T = 3072), through bench/fidelity/reported.sh. The GPU machine has no
# store/analysis libraries and another Python, so bench_fidelity, the CUDA engine, the shared
# libraries they link and the reported corpus (this machine's /usr/lib/python3.11 .py files)
# are carried:
#   bench/gpu_fidelity.sh prepare DIR   # CPU machine: DIR/{bin.tar.xz,corpus.tar.xz,...}
#   DIR/gpu_fidelity.sh run             # GPU machine: $OUT/{t2048-cuda.md,...,tables.md}
# SAMPLES (12), THREADS (16), RUNS ("2048 1;3072 2") pass through to reported.sh.
set -u
case "${1:-}" in
prepare)
	D=${2:?usage: gpu_fidelity.sh prepare DIR}
	mkdir -p "$D" && D=$(cd "$D" && pwd)
	B=${B:-build}
	mkdir -p "$D/bin" "$D/lib" "$D/deps" "$D/bench/fidelity"
	cp "$B/bin/bench_fidelity" "$D/bin/" && strip "$D/bin/bench_fidelity"
	cp "$B/lib/codecomp-cuda.so" "$D/lib/" && strip --strip-debug "$D/lib/codecomp-cuda.so"
	for l in $(ldd "$B/bin/bench_fidelity" | awk '{print $3}' | grep / |
		grep -v 'libc.so\|libm.so\|libresolv\|ld-linux'); do cp -L "$l" "$D/deps/"; done
	# binaries packed with xz (a third of their size): with the model beside them the pack
	# must fit the device tool's 64 MiB working tree
	tar -C "$D" -cJf "$D/bin.tar.xz" bin lib deps && rm -rf "$D/bin" "$D/lib" "$D/deps"
	cp bench/fidelity/reported.sh bench/fidelity/pair.py "$D/bench/fidelity/"
	cp "$0" "$D/"
	C=${CORPUS:-/usr/lib/python3.11}
	(cd "$(dirname "$C")" && find "$(basename "$C")" -name '*.py' \( -type f -o -type l \) -print0 |
		tar -h --null -T - -cJf "$D/corpus.tar.xz")
	du -sh "$D"
	;;
run)
	cd "$(dirname "$0")"
	R=$(pwd)
	OUT=${OUT:-$R/out}
	mkdir -p "$OUT"
	[ -d bin ] || tar -xJf bin.tar.xz
	export LD_LIBRARY_PATH=$R/deps:/usr/local/cuda/targets/x86_64-linux/lib:/usr/local/cuda/lib64
	{ date -u; nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader; } |
		tee "$OUT/device.txt"
	rm -rf /tmp/ccfid && mkdir -p /tmp/ccfid && tar -C /tmp/ccfid -xJf corpus.tar.xz
	# the CUDA engine is found beside the binary's lib/ (as installed)
	BF=$R/bin/bench_fidelity MODEL=${CC_MODEL_DIR:?CC_MODEL_DIR: the model} DEVICE=cuda \
		SAMPLES=${SAMPLES:-12} THREADS=${THREADS:-16} OUT=$OUT CORPUS=/tmp/ccfid/python3.11 \
		bash bench/fidelity/reported.sh 2>&1 | tail -40
	;;
*)
	echo "usage: gpu_fidelity.sh prepare DIR | run" >&2
	exit 2
	;;
esac
