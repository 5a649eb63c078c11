#!/bin/bash
# stream_prefill.sh - bench_stream_prefill (peak memory of compressing as the chunked prefill
# goes) end to end on the shared model, tiny setting: two samples of T = 256 + M = 16 from the
# concatenated fixture files, snapkv at 20%. Checks what its users rely on: the table's rows
# (prefill-then-compress holds the full cache; the streamed row keeps as many tokens and peaks
# lower), --rows FILE has every run's line as it finishes (an interrupted device run keeps
# them), and --concat 1 / a bad --rows path are refused before any work.
. "$(dirname "$0")/lib.sh"
bench_setup bench_stream_prefill
"$bin" "$model" --T 256 --M 16 --chunk 64 --budgets 0.2 --concat 2 --rows "$tmp/rows" \
	fixtures/tokenizer/inputs/*.py >"$tmp/out" 2>"$tmp/err" || { echo "FAIL: exit $?: $(cat "$tmp/err")"; exit 1; }
grep -q '^2 samples, context T = 256' "$tmp/out" || { echo "FAIL: header: $(head -2 "$tmp/out")"; fail=1; }
once=$(grep '^| 20% | prefill, then compress |' "$tmp/out")
stream=$(grep '^| 20% | compress as the prefill goes |' "$tmp/out")
[ -n "$once" ] && [ -n "$stream" ] || { echo "FAIL: rows missing: $(cat "$tmp/out")"; fail=1; }
# the same tokens kept per head in both, at least ceil(0.2 x 256) = 52 (never fewer than the
# 4 sinks + the 64-token observation window: 68 at this tiny T) and well under T; the streamed
# peak lower
k1=$(echo "$once" | awk -F'|' '{gsub(/ /, "", $4); print $4}')
k2=$(echo "$stream" | awk -F'|' '{gsub(/ /, "", $4); print $4}')
[ "$k1" = "$k2" ] && [ "$k1" -ge 52 ] && [ "$k1" -lt 128 ] || { echo "FAIL: kept: $once / $stream"; fail=1; }
echo "$once" | grep -q '| 1.00x |' || { echo "FAIL: prefill-then-compress peak: $once"; fail=1; }
ratio=$(echo "$stream" | awk -F'|' '{gsub(/[ x]/, "", $6); print $6}')
awk -v r="$ratio" 'BEGIN { exit !(r > 0 && r < 0.9) }' || { echo "FAIL: streamed peak ratio '$ratio'"; fail=1; }
[ "$(grep -c '^sample [12]/2 T 256 ' "$tmp/rows")" = 6 ] || { echo "FAIL: --rows: $(cat "$tmp/rows")"; fail=1; }
grep -q "^sample 2/2 T 256 budget 0.2 streamed: kept $k2 nll [0-9.]* peak [0-9.]* MiB" "$tmp/rows" ||
	{ echo "FAIL: --rows line: $(cat "$tmp/rows")"; fail=1; }
"$bin" "$model" --concat 1 fixtures/tokenizer/inputs/copy.py >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'at least 2 samples' "$tmp/err" || { echo "FAIL: --concat 1: $(cat "$tmp/err")"; fail=1; }
"$bin" "$model" --rows "$tmp/no/such/dir/rows" fixtures/tokenizer/inputs/copy.py >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q -- '--rows' "$tmp/err" || { echo "FAIL: bad --rows: $(cat "$tmp/err")"; fail=1; }
[ $fail -eq 0 ] && echo "ok"
exit $fail
