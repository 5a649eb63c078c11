#!/bin/bash
# bench/gpu_batch.sh - agent sessions batched on the GPU (continuous batching, issues 14.2 and
# 17): bench_batch on CUDA, K sessions batched vs one at a time (same tokens?), pycode-16m and,
# when BIG=1, the Llama-3.1-8B random shape (bench/make_shape_ckpt.py). The GPU machine's
# device build has no store/analysis libraries, so the programs are built on the CPU machine
# (with nvcc) and carried with the shared libraries they link:
#   bench/gpu_batch.sh prepare DIR     # on the CPU machine: DIR/{bin,lib,deps,.model,...}
#   DIR/gpu_batch.sh run [DEVICES]     # on the GPU machine (cuda, cuda:0,cuda:1, cuda:all)
# Results under $OUT: device.txt, pycode.md, sessions-pycode.md, llama8b.md, sessions-llama8b.md.
set -u
case "${1:-}" in
prepare)
	D=${2:?usage: gpu_batch.sh prepare DIR}
	B=${B:-build}
	mkdir -p "$D/bin" "$D/lib" "$D/deps" "$D/.model"
	cp "$B/bin/bench_batch" "$B/bin/bench_sessions" "$D/bin/" && strip "$D/bin/bench_batch" "$D/bin/bench_sessions"
	cp "$B/lib/codecomp-cuda.so" "$D/lib/" && strip --strip-debug "$D/lib/codecomp-cuda.so"
	for l in $(ldd "$B/bin/bench_batch" | awk '{print $3}' | grep / |
		grep -v 'libc.so\|libm.so\|libresolv\|ld-linux'); do cp -L "$l" "$D/deps/"; done
	# MODEL=none: the model travels on its own (CC_MODEL_DIR on the device)
	[ "${MODEL:-}" = none ] || cp -r "${MODEL:-../shared/models/pycode-16m}" "$D/.model/pycode-16m"
	cp bench/make_shape_ckpt.py "$0" "$D/"
	du -sh "$D"
	;;
run)
	cd "$(dirname "$0")"
	R=$(pwd)
	OUT=${OUT:-$R/out}
	mkdir -p "$OUT"
	DEV=${2:-cuda}
	export LD_LIBRARY_PATH=$R/deps:/usr/local/cuda/targets/x86_64-linux/lib:/usr/local/cuda/lib64
	{ date -u; nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader; } |
		tee "$OUT/device.txt"
	M=${CC_MODEL_DIR:-$R/.model/pycode-16m}
	CORPUS=$(python3 -c 'import os;print(os.path.dirname(os.__file__))')
	timeout 120 bin/bench_batch --model "$M" --devices "$DEV" --corpus "$CORPUS" \
		--sessions 1,4,16,64 --context 1024 --max-new 64 --reps 3 --kv-tokens 65536 2>&1 |
		tee "$OUT/pycode.md"
	# issue 10's session bench: open (assemble, priors, prefill, compress) and generate after
	# compression, 2K and 4K-token contexts (as bench/results/sessions.md's CPU rows)
	timeout 120 bin/bench_sessions --model "$M" --device "$DEV" --corpus "$CORPUS" --reps 5 \
		--max-new 32 --sizes 2048,4000 2>&1 | tee "$OUT/sessions-pycode.md"
	if [ "${BIG:-0}" = 1 ]; then
		python3 make_shape_ckpt.py llama-3.1-8b /tmp/ck8b 2>&1 | tail -1
		cp "$M/tokenizer.json" "$M/tokenizer_config.json" /tmp/ck8b/
		timeout 300 bin/bench_batch --model /tmp/ck8b --devices "$DEV" --corpus "$CORPUS" \
			--sessions 1,8,32 --context 2048 --max-new 32 --reps 1 --kv-tokens 131072 2>&1 |
			tee "$OUT/llama8b.md"
		timeout 200 bin/bench_sessions --model /tmp/ck8b --device "$DEV" --corpus "$CORPUS" --reps 3 \
			--max-new 32 --sizes 2048,4096,16384 2>&1 | tee "$OUT/sessions-llama8b.md"
		rm -rf /tmp/ck8b
	fi
	;;
*)
	echo "usage: bench/gpu_batch.sh prepare DIR | DIR/gpu_batch.sh run [DEVICES]" >&2
	exit 2
	;;
esac
