#!/bin/bash
# smoke.sh - bench_fidelity end to end on the shared model with a tiny setting: T = 256, one
# sample, one target, codecomp (cc_compress_session with priors and attention) and h2o (the
# benchmark's own select-and-compact path), budgets 1.0 and 0.3, corpus = the stdlib files of
# fixtures/tokenizer/inputs (the same on every machine). Checks what a user of the figures
# relies on: every field is there, a budget of 1.0 changes nothing (ΔNLL 0, top-1 100%,
# KL 0, all KV bytes), a budget of 0.3 keeps ceil(0.3 T) tokens per head and changes the
# distributions, the same seed gives the same figures, and bad arguments are refused.
. "$(dirname "$0")/lib.sh"
bench_setup bench_fidelity

run() { # out-prefix
	"$bin" --model "$model" --corpus fixtures/tokenizer/inputs --tokens 256 --samples 1 \
		--targets-per-sample 1 --policies codecomp,h2o --budgets 1.0,0.3 --seed 7 \
		--threads 2 --json "$tmp/$1.json" --markdown "$tmp/$1.md"
}
run a || { echo "FAIL: bench_fidelity exited $?"; exit 1; }
run b || { echo "FAIL: second run exited $?"; exit 1; }

python3 - "$tmp/a.json" "$tmp/b.json" <<'PY' || fail=1
import json, math, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
bad = []
def need(cond, what):
    if not cond: bad.append(what)
for k in ("protocol", "n_samples", "n_targets", "full_nll", "full_kv_bytes", "checks",
          "results", "samples", "context_dependent_share"):
    need(k in a, "field " + k)
need(a["n_samples"] == 1 and a["n_targets"] == 1, "one sample, one target")
need(len(a["results"]) == 2 * 2 * 2, "2 modes x 2 policies x 2 budgets results")
need(a["checks"]["h2o_selection_checked"] and a["checks"]["h2o_selection_mismatches"] == 0,
     "h2o selection equals cc_compress_session's")
need(a["checks"]["logprobs_max_abs_diff"] < 1e-4, "log-softmax agrees with cc_session_logprobs")
for r in a["results"]:
    tag = "%s/%s/%g" % (r["mode"], r["policy"], r["budget"])
    for k in ("dnll", "dnll_context_dependent", "top1_agreement", "kl", "nll"):
        need(k in r and "mean" in r[k] and "sd" in r[k], tag + " figure " + k)
    need(r["tokens"] > 0 and r["kv_bytes"] > 0, tag + " tokens and kv bytes")
    if r["budget"] == 1.0:
        need(r["dnll"]["mean"] == 0, tag + " dnll 0 at budget 1")
        need(r["top1_agreement"]["mean"] == 1, tag + " top-1 100% at budget 1")
        need(abs(r["kl"]["mean"]) < 1e-6, tag + " kl 0 at budget 1")
        need(r["kv_ratio"] == 1 and r["kept_per_head"] == 256, tag + " everything kept")
    else:
        need(r["kept_per_head"] == math.ceil(0.3 * 256), tag + " keeps ceil(0.3 T)")
        need(r["kv_ratio"] < 0.5, tag + " frees KV memory")
        need(r["kl"]["mean"] > 0, tag + " compression changes the distributions")
need(a["results"] == b["results"] and a["samples"] == b["samples"], "same seed, same figures")
for w in bad: print("FAIL:", w)
sys.exit(1 if bad else 0)
PY
grep -q '^| codecomp |' "$tmp/a.md" || { echo "FAIL: markdown table lacks codecomp"; fail=1; }

# pair.py (the reported tables) merges runs made on two machines over the same samples, the
# corpus under another directory, and refuses runs over other samples
python3 - "$tmp/a.json" "$tmp/moved.json" "$tmp/other.json" "$tmp/opts.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
a["protocol"]["corpus"] = "/elsewhere/inputs"
json.dump(a, open(sys.argv[2], "w"))
# codecomp with other options, pooled lower than every row: not "the best other" of codecomp
alt = [dict(r, policy="codecomp:adapt=0", dnll=dict(r["dnll"], mean=-1.0))
       for r in a["results"] if r["policy"] == "codecomp"]
json.dump(dict(a, results=a["results"] + alt), open(sys.argv[4], "w"))
a["samples"][0]["target_file"] = "not/the/same.py"
json.dump(a, open(sys.argv[3], "w"))
PY
python3 bench/fidelity/pair.py --metric dnll --best-of r1:codecomp "$tmp/a.json" "$tmp/moved.json" \
	>"$tmp/pair.md" 2>&1 && grep -q '^| r2:h2o |' "$tmp/pair.md" ||
	{ echo "FAIL: pair.py on the same samples: $(cat "$tmp/pair.md")"; fail=1; }
python3 bench/fidelity/pair.py --metric dnll --best-of codecomp "$tmp/opts.json" >"$tmp/pair3.md" 2>&1 &&
	grep '− best other' "$tmp/pair3.md" | grep -q 'vs h2o' &&
	! grep '− best other' "$tmp/pair3.md" | grep -q 'adapt=0' ||
	{ echo "FAIL: pair.py took codecomp's own option row as the best other: $(cat "$tmp/pair3.md")"; fail=1; }
python3 bench/fidelity/pair.py --metric dnll "$tmp/a.json" "$tmp/other.json" >"$tmp/pair2" 2>&1 &&
	{ echo "FAIL: pair.py merged runs over different samples"; fail=1; }
grep -q 'not over the same samples' "$tmp/pair2" || { echo "FAIL: pair.py refusal: $(cat "$tmp/pair2")"; fail=1; }

"$bin" --model "$model" --budgets 0 >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: budget 0 not refused"; fail=1; }
"$bin" --model "$model" --policies nope >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: unknown policy not refused"; fail=1; }
"$bin" --model "$tmp/none" --samples 1 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'bench_fidelity: ' "$tmp/err" || { echo "FAIL: missing model: rc $rc"; fail=1; }
[ $fail -eq 0 ] && echo "ok"
exit $fail
