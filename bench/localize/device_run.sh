#!/bin/bash
# bench/localize/device_run.sh - the device run of bench/results/localize.md (issue 12).
#   corpus DIR          (here: builds DIR/cbench: the 330 mutants of three code bases, and the
#                        bugs mined from the fix commits of the repositories in $MINED (local
#                        git mirrors or clones), each kept as a shallow repository holding only
#                        the buggy revisions, indexed; manifests in DIR/cbench/man: one per
#                        code base, mutants.jsonl, mined.jsonl and all.jsonl)
#   prepare CARRY_DIR   (here: the corpus, then packs binary, libraries, corpus and model into
#                        CARRY_DIR for the device tool's `carry`)
#   run                 (on the device, inside CARRY_DIR: CUDA smoke test, CPU fallback, then
#                        `codecomp batch` over all records, full cache + every policy at
#                        10/20/40 %; results under $OUT)
# then: bench/localize/baselines.py $OUT/results.jsonl, codecomp batch report.
#
# The full sweep (bench/results/localize.md, "Device sweep"): here
#   bench/localize/device_run.sh prepare /work/main/.carry-loccpu
# then one device call with carry [".carry-loccpu"]:
#   cd .carry-loccpu && bash device_run.sh run
# Size: 330 mutants + at most MINED_MAX=70 mined bugs per repository (click, requests,
# more-itertools: ~195), x (full + 8 policies x 3 budgets = 25 configurations; 31 once adakv and
# expected are merged) = ~13,000-16,000 runs. The last device run did 990 runs in 23 s on 8
# workers (43 runs/s): ~5-6.5 minutes of batch, if kvzip and the mined bugs cost what the
# mutants did. Set JOBS (default 8 on the GPU) and MINED_MAX to trade size against time.
# It stops itself after $BUDGET_S seconds (default 420) of batch; runs finished by then are in
# results.jsonl and `batch report` names the missing ones (a second call with the same carry
# and RESUME=1 would finish them, but the device keeps nothing between fresh machines).
set -u
MINED=${MINED:-/work/.mirror/pallets+click/repo /work/.mirror/psf+requests/repo /work/.mirror/more-itertools+more-itertools/repo}
corpus() {
	local D=$1 W
	SRC=$(cd "$(dirname "$0")/../.." && pwd); B=$SRC/build/bin/codecomp
	PY=${PYLIB:-/usr/lib/python3.11}
	W=$(mktemp -d); CORPUS_TMP=$W; trap 'rm -rf "$CORPUS_TMP"' EXIT
	export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
	export GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z
	mkdir -p "$W/email-pkg" "$W/pylib" "$W/ccore" "$D/cbench/man" "$D/cbench/mined"
	cp -r "$PY/email" "$W/email-pkg/" && find "$W/email-pkg" -name __pycache__ -prune -exec rm -rf {} \;
	for m in argparse textwrap shlex fnmatch colorsys bisect genericpath calendar difflib heapq; do
		cp "$PY/$m.py" "$W/pylib/"; done
	cp -r "$SRC/store" "$SRC/common" "$W/ccore/" && find "$W/ccore" -name CMakeLists.txt -delete
	for r in email-pkg pylib ccore; do
		(cd "$W/$r" && git init -q && git add -A && git commit -qm "import $r") &&
		"$B" index "$W/$r" >/dev/null &&
		"$B" mutate --repo "$W/$r" --count 110 --seed 7 --out "$D/cbench/man/$r.jsonl" || return 1
	done
	(cd "$D/cbench/man" && cat email-pkg.jsonl pylib.jsonl ccore.jsonl >mutants.jsonl)
	# mined: the full history here, only the buggy revisions (depth 1) in the corpus
	: >"$D/cbench/man/mined.jsonl"
	for m in $MINED; do
		n=$(basename "${m%/repo}"); n=${n#*+}
		git clone -q "$m" "$W/full-$n" && git -C "$W/full-$n" config uploadpack.allowAnySHA1InWant true &&
		"$B" mine --repo "$W/full-$n" --out "$W/mined-$n.jsonl" || return 1
		revs=$(python3 -c 'import json,sys; print(" ".join(sorted({json.loads(l)["rev"] for l in open(sys.argv[1])})))' "$W/mined-$n.jsonl")
		[ -n "$revs" ] || continue
		S=$D/cbench/mined/$n; rm -rf "$S"
		git init -q "$S" && git -C "$S" fetch -q --depth 1 "file://$W/full-$n" $revs || return 1
		i=0; for r in $revs; do git -C "$S" update-ref "refs/heads/bug$i" "$r"; i=$((i + 1)); done
		git -C "$S" symbolic-ref HEAD refs/heads/bug0
		printf '%s\n' $revs >"$S.revs" # for run: the device may have no git
		for r in $revs; do "$B" index --rev "$r" "$S" >/dev/null || return 1; done
		# at most $MINED_MAX records per repository (every k-th, newest first), named relative
		python3 - "$W/mined-$n.jsonl" "../mined/$n" "${MINED_MAX:-70}" >>"$D/cbench/man/mined.jsonl" <<'PY' || return 1
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
k = int(sys.argv[3])
step = max(1, len(rs) // k) if k > 0 else 1
for r in rs[::step][:k] if k > 0 else rs:
    r["repo"] = sys.argv[2]
    print(json.dumps(r))
PY
	done
	(cd "$D/cbench/man" && cat mutants.jsonl mined.jsonl >all.jsonl)
	echo "corpus: $(wc -l <"$D/cbench/man/mutants.jsonl") mutants, $(wc -l <"$D/cbench/man/mined.jsonl") mined -> $D/cbench/man/all.jsonl" >&2
}
case "${1:-}" in
corpus)
	corpus "$2" || exit 1
	;;
prepare)
	C=$2; SRC=$(cd "$(dirname "$0")/../.." && pwd); B=$SRC/build/bin/codecomp
	mkdir -p "$C"; W=$(mktemp -d)
	corpus "$W" || { rm -rf "$W"; exit 1; }
	mkdir -p "$W/bin" "$W/lib" "$W/deps" "$C/.model"
	strip -o "$W/bin/codecomp" "$B" && strip -o "$W/lib/codecomp-cuda.so" "$SRC/build/lib/codecomp-cuda.so"
	for l in $(ldd "$B" | awk '$3 ~ /^\// {print $3}' | grep -v '/libc.so\|/libm.so\|/libpthread\|/libresolv\|/libdl'); do
		cp -L "$l" "$W/deps/"; done
	# the mined repositories' indexes (~50-80 MiB each) are rebuilt on the device: the pack
	# must fit the carry limit with the model
	(cd "$W" && tar --exclude='cbench/mined/*/.git/codecomp.db' -cf - bin lib deps cbench | xz -6 >"$C/pack.tar.xz")
	cp -r "${CC_MODEL_DIR:-$SRC/../shared/models/pycode-16m}" "$C/.model/pycode-16m"
	cp "$0" "$C/device_run.sh"
	rm -rf "$W"; du -sh "$C"
	;;
run)
	cd "$(dirname "$0")"; R=$(pwd)
	[ -d bin ] || tar -xJf pack.tar.xz
	export LD_LIBRARY_PATH=$R/deps:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}
	OUT=${OUT:-$R/out}; mkdir -p "$OUT"
	{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; nproc; } >"$OUT/device.txt" 2>&1
	B=$R/bin/codecomp; M=${CC_MODEL_DIR:-$R/.model/pycode-16m}
	# index the buggy revisions of the mined repositories (not carried; one process per repository)
	T0=$(date +%s)
	for f in cbench/mined/*.revs; do
		[ -f "$f" ] || continue
		( for r in $(cat "$f"); do
			"$B" index --rev "$r" "${f%.revs}" >/dev/null || echo "index ${f%.revs} $r failed"; done ) >>"$OUT/index.txt" 2>&1 &
	done
	wait
	echo "mined indexed in $(($(date +%s) - T0))s" >>"$OUT/device.txt"
	COMMON="--model $M --scored 3 --max-read 384 --context-tokens 384"
	head -1 cbench/man/pylib.jsonl >cbench/man/smoke.jsonl
	DEV=${DEVICE:-cuda} # DEVICE=cpu: the policies the CUDA engine refuses (adakv, expected)
	[ "$DEV" = cpu ] || timeout 60 "$B" batch --manifest cbench/man/smoke.jsonl --out smoke --policies codecomp --budgets 0.2 \
		$COMMON --device cuda >"$OUT/smoke.txt" 2>&1 || { DEV=cpu; echo "cuda smoke failed: CPU" >>"$OUT/device.txt"; }
	echo "device=$DEV" >>"$OUT/device.txt"
	[ $DEV = cpu ] && JOBS=${JOBS:-15}; JOBS=${JOBS:-8}
	# every policy this binary accepts (batch refuses an unknown one before reading anything)
	if [ -z "${POLICIES:-}" ]; then
		POLICIES=
		for p in codecomp snapkv h2o streaming random structure pyramid kvzip adakv expected; do
			"$B" batch --manifest /nonexistent --out /nonexistent --model "$M" --policies $p 2>&1 |
				grep -q "unknown policy" || POLICIES=$POLICIES${POLICIES:+,}$p
		done
	fi
	echo "policies=$POLICIES budgets=${BUDGETS:-0.1,0.2,0.4} records=$(wc -l <cbench/man/all.jsonl)" >>"$OUT/device.txt"
	T0=$(date +%s)
	timeout "${BUDGET_S:-420}" "$B" batch --manifest cbench/man/all.jsonl --out runs ${RESUME:+--resume} \
		--policies "$POLICIES" --budgets "${BUDGETS:-0.1,0.2,0.4}" $COMMON --device $DEV \
		--jobs $JOBS >"$OUT/batch.txt" 2>&1
	echo "batch rc=$? wall=$(($(date +%s) - T0))s" >>"$OUT/device.txt"
	cat runs/*.jsonl >"$OUT/results.jsonl"
	cp cbench/man/all.jsonl "$OUT/manifest.jsonl"
	cat "$OUT/device.txt"
	;;
*)
	echo "usage: $0 prepare CARRY_DIR | run" >&2; exit 2 ;;
esac
