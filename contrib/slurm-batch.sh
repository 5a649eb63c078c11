#!/bin/bash
# contrib/slurm-batch.sh - `codecomp batch` as a Slurm job array: task i of n runs shard i/n of
# the manifest into one shared output directory; resubmitting the same array resumes (every
# task passes --resume, so finished runs are skipped and a run cut by preemption is redone).
# Afterwards, on any node: codecomp batch report "$OUT" --manifest "$MANIFEST" --out report
#
#   sbatch --array=0-15 contrib/slurm-batch.sh MANIFEST.jsonl OUT_DIR MODEL_DIR [batch options]
#
# Each task loads the model once; the CPU engine uses the cores of the task (--cpus-per-task).
#SBATCH --job-name=codecomp-batch
#SBATCH --cpus-per-task=8
#SBATCH --time=04:00:00
#SBATCH --output=codecomp-batch-%A_%a.log
set -euo pipefail
MANIFEST=${1:?usage: sbatch --array=0-N contrib/slurm-batch.sh MANIFEST OUT MODEL [options]}
OUT=${2:?output directory}
MODEL=${3:?model directory}
shift 3
I=${SLURM_ARRAY_TASK_ID:?run as a job array (sbatch --array=0-N)}
N=${SLURM_ARRAY_TASK_COUNT:-$((SLURM_ARRAY_TASK_MAX + 1))}
CODECOMP=${CODECOMP:-codecomp}
mkdir -p "$OUT"
exec "$CODECOMP" batch --manifest "$MANIFEST" --out "$OUT" --model "$MODEL" \
	--shard "$I/$N" --resume "$@"
