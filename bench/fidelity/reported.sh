#!/bin/bash
# bench/fidelity/reported.sh - issue 13's reported (held-out) bench_fidelity runs: seed 1 at
# T = 2048 and seed 2 at T = 3072, every policy at 5/10/20/40% in both modes, then the
# tables with paired differences (bench/fidelity/pair.py). Tuning uses seeds 41-49 only.
# On DEVICE=cuda the CUDA engine refuses expected (it needs the CPU engine's query statistics;
# bench_fidelity leaves it out with a note): it runs in a second, CPU run over the same samples
# (rows pair, the samples are deterministic), merged by pair.py. adakv and codecomp's head
# budgets run on CUDA too (ragged layers, since branch ragged7).
#   usage: BF=build/bin/bench_fidelity MODEL=../shared/models/pycode-16m DEVICE=cpu \
#          SAMPLES=12 THREADS=2 OUT=out [CORPUS=DIR] [RUNS="2048 1;3072 2"] \
#          bench/fidelity/reported.sh
# CORPUS: the corpus directory (default: bench_fidelity's, /usr/lib/python3.11); RUNS: the
# "T seed" pairs to run, separated by ';'.
set -eu
cd "$(dirname "$0")/../.."
BF=${BF:-build/bin/bench_fidelity}
MODEL=${MODEL:-${CC_MODEL_DIR:-../shared/models/pycode-16m}}
DEVICE=${DEVICE:-cpu}
SAMPLES=${SAMPLES:-12}
THREADS=${THREADS:-2}
OUT=${OUT:-out}
ALL=random,streaming,snapkv,pyramid,h2o,kvzip,structure,expected,expected:ctx=1,adakv,codecomp
CPU_ONLY=expected,expected:ctx=1
CORPUS=${CORPUS:-}
RUNS=${RUNS:-2048 1;3072 2}
mkdir -p "$OUT"
IFS=';' read -ra runs <<<"$RUNS"
for run in "${runs[@]}"; do
	set -- $run
	T=$1 SEED=$2
	common=(--model "$MODEL" --tokens "$T" --samples "$SAMPLES" --seed "$SEED"
	        --threads "$THREADS")
	[ -n "$CORPUS" ] && common+=(--corpus "$CORPUS")
	# (tables.md: pooled values per row; the last row, codecomp minus the best other row of
	# each column, paired over samples, mean +- standard error)
	if [ "$DEVICE" = cpu ]; then
		"$BF" "${common[@]}" --device cpu --policies "$ALL" \
			--json "$OUT/t$T.json" --markdown "$OUT/t$T.md"
		files=("$OUT/t$T.json")
		best=codecomp
	else
		"$BF" "${common[@]}" --device "$DEVICE" --policies "$ALL" \
			--json "$OUT/t$T-$DEVICE.json" --markdown "$OUT/t$T-$DEVICE.md"
		"$BF" "${common[@]}" --device cpu --policies "$CPU_ONLY" \
			--json "$OUT/t$T-cpu.json" --markdown "$OUT/t$T-cpu.md"
		files=("$OUT/t$T-$DEVICE.json" "$OUT/t$T-cpu.json")
		best=r1:codecomp
	fi
	for metric in dnll dnll_context_dependent; do
		echo "## T = $T, seed $SEED, $metric" >>"$OUT/tables.md"
		python3 bench/fidelity/pair.py --metric "$metric" --best-of "$best" \
			"${files[@]}" >>"$OUT/tables.md"
	done
done
