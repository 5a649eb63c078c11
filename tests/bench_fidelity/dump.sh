#!/bin/bash
# dump.sh - bench_fidelity --dump on the shared model with a tiny setting (T = 256, one sample,
# one target, structure and codecomp, budget 0.3): the lines the diagnosis in
# bench/results/fidelity.md reads are there and agree with the run's own figures: priors,
# flags, ids and the reconstruction attention of every (layer, KV head) have T entries; each
# (layer, KV head) keeps sinks and window, positions strictly increasing, ceil(0.3 T) per
# head for structure and the same per layer for codecomp's head budgets; the per-token ΔNLL
# lines of both modes average to the JSON's ΔNLL; an unwritable dump is refused.
. "$(dirname "$0")/lib.sh"
bench_setup bench_fidelity

"$bin" --model "$model" --corpus fixtures/tokenizer/inputs --tokens 256 --samples 1 \
	--targets-per-sample 1 --policies structure,codecomp --budgets 0.3 --seed 7 \
	--threads 2 --json "$tmp/a.json" --dump "$tmp/d.txt" >/dev/null ||
	{ echo "FAIL: bench_fidelity --dump exited $?"; exit 1; }

python3 - "$tmp/a.json" "$tmp/d.txt" <<'PY' || fail=1
import json, math, sys
a = json.load(open(sys.argv[1]))
bad = []
def need(cond, what):
    if not cond: bad.append(what)
T, L, H = 256, 8, 2
k = math.ceil(0.3 * T)
lines = [l.split() for l in open(sys.argv[2])]
tags = {}
for f in lines:
    tags.setdefault(f[0], []).append(f)
need(tags.get("S") == [["S", "0", str(T)]], "one S line with T")
for t, skip in (("P", 4), ("R", 3), ("C", 3)):
    need(len(tags.get(t, [])) == 1 and len(tags[t][0]) - skip == T, t + " line of T entries")
need(len(tags.get("A", [])) == L * H and all(len(f) - 4 == T for f in tags["A"]),
     "an A line of T entries per (layer, KV head)")
need(len(tags.get("D", [])) == 1 and len(tags.get("I", [])) == 1, "one target: D and I")
n_ids = len(tags["I"][0]) - 3
need(len(tags["D"][0]) - 3 == n_ids - 1, "D flags tokens 1..n-1")
kept = {}
for f in tags.get("K", []):
    pos = [int(x) for x in f[6:]]
    kept.setdefault(f[2], {}).setdefault(int(f[4]), []).append(len(pos))
    need(all(p < q for p, q in zip(pos, pos[1:])), "K positions increasing")
    need(pos[:4] == [0, 1, 2, 3] and pos[-64:] == list(range(T - 64, T)), "K sinks and window")
need(set(kept) == {"structure", "codecomp"}, "K lines of both policies")
need(all(c == k for c in sum(kept["structure"].values(), [])), "structure keeps ceil(0.3 T)")
# codecomp: head budgets within a layer, layer budgets within the total (each layer at least
# its sinks and window in every head)
need(all(len(v) == H and sum(v) >= H * 68 for v in kept["codecomp"].values()) and
     len(kept["codecomp"]) == L and sum(sum(v) for v in kept["codecomp"].values()) == L * H * k,
     "codecomp's layers and heads share the total")
n_query = int(tags["U"][0][3]) if len(tags.get("U", [])) == 1 else -1
need(0 < n_query < n_ids, "one U line with the query's tokens")
need(len(tags.get("PQ", [])) == 1 and len(tags["PQ"][0]) - 4 == T, "PQ line of T entries")
need(len(tags.get("Q", [])) == 2 * L * H, "a Q line per policy and (layer, KV head)")
for f in tags.get("Q", []):
    pos = [int(x) for x in f[7:]]
    need(pos[:4] == [0, 1, 2, 3] and pos[-64:] == list(range(T - 64, T)), "Q sinks and window")
for r in a["results"]:
    tag, rows = ("N", n_ids - 1) if r["mode"] == "agnostic" else ("M", n_ids - n_query - 1)
    n = [f for f in tags.get(tag, []) if f[2] == r["policy"]]
    need(len(n) == 1 and len(n[0]) - 5 == rows, r["policy"] + ": one %s line" % tag)
    if n:
        d = [float(x) for x in n[0][5:]]
        need(abs(sum(d) / len(d) - r["per_sample_dnll"][0]) < 1e-4,
             r["policy"] + ": per-token ΔNLL (%s) averages to the JSON's" % r["mode"])
for w in bad: print("FAIL:", w)
sys.exit(1 if bad else 0)
PY

"$bin" --model "$model" --dump "$tmp/no/such/dir/d.txt" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'cannot write' "$tmp/err" || { echo "FAIL: unwritable --dump: rc $rc"; fail=1; }
[ $fail -eq 0 ] && echo "ok"
exit $fail
