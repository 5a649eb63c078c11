#!/bin/bash
# `codecomp score` / `codecomp generate` on pycode-16m: score's ids are the Hugging Face
# tokenizer's ids and its NLL matches transformers (fixtures/engine/hf_ref_pycode.json) within
# 1e-3; generate is deterministic for a seed and greedy by default; clear errors and usage
# exits. Skips (77) when the shared model is absent.
set -u
B="${CC_BIN:-build/bin}/codecomp"
M="${CC_MODEL_DIR:-${CC_SOURCE_DIR:-.}/../shared/models/pycode-16m}"
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$B" ] || fail "no $B"
[ -f "$M/config.json" ] || { echo "SKIP: no model at $M" >&2; exit 77; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

F=fixtures/engine/inputs/json_decoder.py
"$B" score --model "$M" --max-tokens 160 --threads 2 --json -o "$TMP/s.json" "$F" || fail "score exited $?"
python3 - "$TMP/s.json" fixtures/engine/hf_ref_pycode.json <<'PY' || fail "score vs transformers"
import json, sys
d = json.load(open(sys.argv[1]))
ref = [x for x in json.load(open(sys.argv[2]))["inputs"] if x["file"] == "json_decoder.py"][0]
n = d["n_tokens"]
assert n == 160 == len(d["ids"]) and len(d["nll"]) == n - 1, "lengths"
assert d["ids"] == ref["ids"][:n], "ids differ from the HF tokenizer's"
dmax = max(abs(a - b) for a, b in zip(d["nll"], ref["nll"]))
assert dmax <= 1e-3, "max |dNLL| %g" % dmax
assert abs(d["mean_nll"] - sum(d["nll"]) / len(d["nll"])) < 1e-5, "mean"
print("score: max |dNLL| vs transformers %.2e" % dmax)
PY
out=$("$B" score --model "$M" --max-tokens 64 "$F") || fail "plain score"
case "$out" in *"64 tokens, mean NLL"*) ;; *) fail "plain output: $out" ;; esac

printf 'import os\n\ndef main():\n' >"$TMP/p.py"
g1=$("$B" generate --model "$M" --prompt-file "$TMP/p.py" --max-new 12 --json) || fail "generate"
g2=$("$B" generate --model "$M" --prompt-file "$TMP/p.py" --max-new 12 --temperature 0.8 --top-p 0.9 --seed 7 --json) || fail "sample"
g3=$("$B" generate --model "$M" --prompt-file "$TMP/p.py" --max-new 12 --temperature 0.8 --top-p 0.9 --seed 7 --json) || fail "sample 2"
[ "$g2" = "$g3" ] || fail "same seed gave different samples"
python3 - "$g1" <<'PY' || fail "generate json"
import json, sys
d = json.loads(sys.argv[1])
assert 1 <= len(d["ids"]) <= 12 and isinstance(d["text"], str)
PY
"$B" generate --model "$M" --prompt-file "$TMP/p.py" --max-new 0 >/dev/null || fail "max-new 0"

err=$("$B" score --model /nonexistent "$F" 2>&1); rc=$?
[ $rc = 1 ] || fail "missing model: exit $rc"
case "$err" in codecomp:*) ;; *) fail "missing model message: $err" ;; esac
"$B" score --model "$M" 2>/dev/null; [ $? = 2 ] || fail "usage error should exit 2"
"$B" score --model "$M" --device tpu "$F" 2>/dev/null; [ $? = 2 ] || fail "bad device should exit 2"
"$B" generate --model "$M" --prompt-file "$TMP/p.py" 2>/dev/null; [ $? = 2 ] || fail "generate without --max-new"
err=$("$B" score --model "$M" /nonexistent.py 2>&1); [ $? = 1 ] || fail "missing file"
printf 'x' >"$TMP/one.py"
err=$("$B" score --model "$M" "$TMP/one.py" 2>&1); [ $? = 1 ] || fail "one-token file"
case "$err" in *"at least 2"*) ;; *) fail "one-token message: $err" ;; esac

# The window rule: a file over the model's window is refused with the sizes unless cutting is
# asked for, and then the cut is said; generate refuses a prompt + --max-new past the window.
python3 -c 'print("def f(x):\n    return x + 1\n" * 700)' >"$TMP/long.py"
err=$("$B" score --model "$M" "$TMP/long.py" 2>&1) && fail "over-window file scored silently"
case "$err" in *"over the model's window of 4096"*) ;; *) fail "over-window message: $err" ;; esac
"$B" score --model "$M" --truncate --json -o "$TMP/t.json" "$TMP/long.py" 2>"$TMP/t.err" || fail "--truncate"
grep -q "scored the first 4096 of" "$TMP/t.err" || fail "the cut is not said: $(cat "$TMP/t.err")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["n_tokens"] == 4096 and d["truncated_from"] > 4096, d' "$TMP/t.json" || fail "truncated_from"
"$B" score --model "$M" --max-tokens 5000 "$F" 2>/dev/null; [ $? = 2 ] || fail "--max-tokens over the window"
err=$("$B" generate --model "$M" --prompt-file "$TMP/long.py" --max-new 4 2>&1) && fail "generate past the window"
case "$err" in *"window of 4096"*) ;; *) fail "generate window message: $err" ;; esac
echo ok
