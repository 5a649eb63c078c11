#!/bin/bash
# kvquant.sh - bench_fidelity's --kv-bits / --kv-quant on the shared model with a tiny setting
# (T = 256, one sample and target, h2o, budgets 1.0 and 0.3): every policy row is repeated per
# cache format and labelled policy@format; a bf16 cache kept whole holds the bf16 full cache's
# bytes (ratio 1) and an INT4 one well under half of them, scales included; INT4 changes the
# distributions a little at budget 1.0; bad options are refused naming the option.
. "$(dirname "$0")/lib.sh"
bench_setup bench_fidelity

"$bin" --model "$model" --corpus fixtures/tokenizer/inputs --tokens 256 --samples 1 \
	--targets-per-sample 1 --policies h2o --budgets 1.0,0.3 --seed 7 --threads 2 \
	--kv-bits 16,4 --kv-quant rotated --json "$tmp/a.json" --markdown "$tmp/a.md" ||
	{ echo "FAIL: bench_fidelity exited $?"; exit 1; }
python3 - "$tmp/a.json" <<'PY' || fail=1
import json, sys
a = json.load(open(sys.argv[1]))
bad = []
def need(cond, what):
    if not cond: bad.append(what)
res = {(r["mode"], r["policy"], r["budget"]): r for r in a["results"]}
need(len(a["results"]) == 2 * 2 * 2, "2 modes x 2 formats x 2 budgets results")
for m in ("agnostic", "query"):
    f, q = res.get((m, "h2o@bf16", 1.0)), res.get((m, "h2o@int4-rotated", 1.0))
    need(f is not None and q is not None, m + ": rows h2o@bf16 and h2o@int4-rotated")
    if f and q:
        need(f["kv_ratio"] == 1, m + ": bf16 kept whole = the bf16 full cache's bytes")
        need(q["kv_ratio"] < 0.5, m + ": int4 holds under half the bf16 bytes")
        need(q["kl"]["mean"] > f["kl"]["mean"], m + ": int4 further from f32 than bf16")
        need(q["dnll"]["mean"] < 0.1, m + ": int4 close at budget 1")
    c = res.get((m, "h2o@int4-rotated", 0.3))
    need(c is not None and c["kv_ratio"] < q["kv_ratio"], m + ": eviction on top frees more")
for w in bad: print("FAIL:", w)
sys.exit(1 if bad else 0)
PY
grep -q '^| h2o@int4-rotated |' "$tmp/a.md" || { echo "FAIL: markdown lacks h2o@int4-rotated"; fail=1; }

check() { # expected-message args...
	local want=$1
	shift
	"$bin" --model "$model" "$@" >/dev/null 2>"$tmp/err"
	local rc=$?
	[ $rc -eq 2 ] && grep -q -- "$want" "$tmp/err" ||
		{ echo "FAIL: $* -> rc $rc, $(cat "$tmp/err")"; fail=1; }
}
check "bad --kv-bits '3'" --kv-bits 3
check "bad --kv-bits 'x'" --kv-bits 16,x
check "bad --kv-quant 'int4'" --kv-quant int4
check "lists '4' twice" --kv-bits 4,4
[ $fail -eq 0 ] && echo "ok"
exit $fail
