#!/bin/bash
# `codecomp batch` on a 20-bug corpus mutated from real code (Python standard library modules
# when found, else the bundled example): two shards (the second split by --jobs 2; also both
# through GNU parallel when installed) give exactly the runs of one plain run; a run killed with -9 and resumed
# neither redoes nor duplicates a run and ends equal; the report merges, counts duplicates and
# missing runs and writes markdown, JSON and the chart.
set -u
B="${CC_BIN:-build/bin}/codecomp"
SRC=${CC_SOURCE_DIR:-$PWD}
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$B" ] || fail "no $B"
M="${CC_MODEL_DIR:-$SRC/../shared/models/pycode-16m}"
[ -f "$M/config.json" ] || { echo "SKIP: no model at $M (set CC_MODEL_DIR)"; exit 77; }
T=$(mktemp -d); PIDS=""
trap 'for p in $PIDS; do kill -9 $p 2>/dev/null; done; rm -rf "$T"' EXIT
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
export GIT_AUTHOR_DATE=2024-01-01T00:00:00Z GIT_COMMITTER_DATE=2024-01-01T00:00:00Z
R=$T/real
mkdir -p "$R"
PYLIB=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null)
for f in colorsys.py bisect.py genericpath.py; do [ -f "$PYLIB/$f" ] && cp "$PYLIB/$f" "$R/"; done
ls "$R"/*.py >/dev/null 2>&1 || cp -R "$SRC/fixtures/example/." "$R/"
git -C "$R" init -q && git -C "$R" add -A && git -C "$R" commit -q -m base || fail git
"$B" index "$R" >/dev/null || fail index
"$B" mutate --repo "$R" --count 20 --seed 11 --out "$T/m.jsonl" 2>/dev/null || fail mutate
[ "$(wc -l <"$T/m.jsonl")" = 20 ] || fail "expected 20 mutants"

run() { "$B" batch --manifest "$T/m.jsonl" --model "$M" --policies codecomp --budgets 0.2 \
	--scored 1 --context-tokens 128 "$@"; }
run --out "$T/A" 2>"$T/A.err" || fail "plain run: $(cat "$T/A.err")"
[ -s "$T/A.err" ] && fail "progress or noise in a pipe: $(cat "$T/A.err")"
run --out "$T/S" --shard 0/2 || fail "shard 0/2"
run --out "$T/S" --shard 1/2 --jobs 2 || fail "shard 1/2 with --jobs 2"
ls "$T/S"/results-1-of-2.w0-of-2.jsonl "$T/S"/results-1-of-2.w1-of-2.jsonl >/dev/null || fail "--jobs 2 files"
err=$(run --out "$T/A" 2>&1); [ $? = 1 ] && echo "$err" | grep -q -- '--resume' || fail "rerun into a full dir: $err"
if command -v parallel >/dev/null; then
	parallel --will-cite "$B" batch --manifest "$T/m.jsonl" --model "$M" --policies codecomp \
		--budgets 0.2 --scored 1 --context-tokens 128 --out "$T/P" --shard {}/2 ::: 0 1 ||
		fail "GNU parallel"
else
	echo "GNU parallel not installed: that part skipped"
fi

# kill -9 mid-run, then --resume
( exec "$B" batch --manifest "$T/m.jsonl" --model "$M" --policies codecomp --budgets 0.2 \
	--scored 1 --context-tokens 128 --out "$T/K" >/dev/null 2>&1 ) &
KP=$!; PIDS="$PIDS $KP"
for i in $(seq 1 300); do
	n=$(cat "$T/K"/results-*.jsonl 2>/dev/null | wc -l)
	[ "$n" -ge 9 ] && break
	sleep 0.05
done
kill -9 $KP 2>/dev/null; wait $KP 2>/dev/null
n=$(cat "$T/K"/results-*.jsonl | wc -l)
[ "$n" -ge 9 ] && [ "$n" -lt 40 ] || fail "the killed run wrote $n lines"
printf '{"record":"inv' >>"$T/K/results-0-of-1.jsonl"   # a line cut mid-write
run --out "$T/K" --resume || fail "resume"

python3 - "$T" <<'PY' || fail "runs differ"
import glob, json, sys
t = sys.argv[1]
def load(d):
    out = {}
    for f in sorted(glob.glob(f"{t}/{d}/results-*.jsonl")):
        for line in open(f):
            r = json.loads(line)
            r.pop("timings")
            k = (r["record"], r["policy"], r["budget"])
            assert k not in out, ("duplicate", d, k)
            out[k] = r
    return out
a = load("A")
assert len(a) == 40, len(a)          # 20 records x (full + codecomp@0.2)
assert all(r["function_rank"] >= 0 and r["file_rank"] >= 0 for r in a.values())
for d in ["S", "K"] + (["P"] if glob.glob(f"{t}/P/*") else []):
    assert load(d) == a, d
found = sum(r["function_rank"] > 0 for r in a.values())
print("runs equal; true function in the answer for %d of %d runs" % (found, len(a)))
PY

# report: merged shards, and duplicates when the same runs come twice
"$B" batch report "$T/S" --manifest "$T/m.jsonl" --out "$T/rep" 2>/dev/null || fail report
python3 - "$T" <<'PY' || fail "report content"
import json, sys
t = sys.argv[1]
d = json.load(open(f"{t}/rep.json"))
assert d["records"] == 20 and d["runs"] == 40 and d["duplicates"] == 0 and d["missing"] == 0, d
cf = {(c["policy"], c["budget"]): c for c in d["configurations"]}
assert set(cf) == {("full", 1.0), ("codecomp", 0.2)}, cf.keys()
for c in cf.values():
    f = c["function"]
    assert c["n"] == 20 and 0 <= f["top1"] <= f["top3"] <= f["top5"] <= 1
    assert f["top1_ci"][0] <= f["top1"] <= f["top1_ci"][1] and f["mrr_ci"][0] <= f["mrr"] <= f["mrr_ci"][1]
assert cf[("full", 1.0)]["mrr_delta_vs_full"] is None and cf[("codecomp", 0.2)]["mrr_delta_vs_full"] is not None
md = open(f"{t}/rep.md").read()
assert "| codecomp | 0.2 | 20 |" in md and "| full | 1 | 20 |" in md, md
PY
[ -s "$T/rep.svg" ] || fail "no chart"
if command -v chromium >/dev/null; then [ -s "$T/rep.png" ] || fail "no PNG"; fi
"$B" batch report "$T/A" "$T/S" --out "$T/dup" 2>/dev/null || fail "report of duplicates"
python3 -c "
import json; d = json.load(open('$T/dup.json'))
assert d['duplicates'] == 40 and d['runs'] == 40, d" || fail "duplicates not detected"
head -n 30 "$T/A/results-0-of-1.jsonl" >"$T/part.jsonl" && mkdir "$T/Part" && mv "$T/part.jsonl" "$T/Part/results-0-of-1.jsonl"
"$B" batch report "$T/Part" --manifest "$T/m.jsonl" --out "$T/miss" 2>/dev/null || fail "report of a partial run"
python3 -c "
import json; d = json.load(open('$T/miss.json'))
assert d['missing'] == 10 and d['runs'] == 30, d" || fail "missing runs not counted"
echo "batch: ok"
