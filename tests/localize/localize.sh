#!/bin/bash
# `codecomp localize` end to end with the shared model: the bundled example and a mutated copy
# of it (the known-bad function is in the answer with its evidence), identical results on
# re-run, kvzip (reconstruction attention, as agent sessions compress), the daemon's
# `localize` method answering the same JSON as the in-process CLI, and
# the clear messages for bad input (issue naming nothing, empty issue, unindexed repository,
# generative mode without a chat template).
. "$(dirname "$0")/../daemon/lib.sh"
set +e
M="${CC_MODEL_DIR:-${CC_SOURCE_DIR:-$PWD}/../shared/models/pycode-16m}"
[ -f "$M/config.json" ] || { echo "SKIP: no model at $M (set CC_MODEL_DIR)"; exit 77; }
M=$(cd "$M" && pwd)
SRC=${CC_SOURCE_DIR:-$PWD}

# the example, and a copy with one injected bug in Stock.remove (== 0 -> != 0, line 25)
R=$T/inv
mkdir -p "$R"
cp -R "$SRC/fixtures/example/." "$R/"
git -C "$R" init -q && git -C "$R" add -A && git -C "$R" commit -q -m example || fail "git"
sed -i 's/        if item.quantity == 0:/        if item.quantity != 0:/' "$R/inventory/store.py"
grep -q 'item.quantity != 0' "$R/inventory/store.py" || fail "mutation not applied"
git -C "$R" commit -qam "mutant" || fail "git commit"
"$CODECOMP" index --no-daemon "$R" >/dev/null || fail "index"

ISSUE="Stock.remove() leaves an item in the stock after removing all of it, and deletes items that still have some left"
loc() { "$CODECOMP" localize --no-daemon --repo "$R" --model "$M" "$@"; }
loc --json --issue "$ISSUE" >"$T/a.json" || fail "localize exited $?"
loc --json --issue "$ISSUE" >"$T/b.json" || fail "localize (second run)"
loc --json --issue "$ISSUE" --policy snapkv --budget 0.1 >"$T/snap.json" || fail "snapkv"
loc --json --issue "$ISSUE" --policy full >"$T/full.json" || fail "full cache"
# kvzip needs the reconstruction attention (the repeat pass agent sessions run too)
loc --json --issue "$ISSUE" --policy kvzip --budget 0.2 >"$T/kvzip.json" || fail "kvzip"
python3 - "$T" <<'PY' || fail "localize output"
import json, sys
t = sys.argv[1]
ld = lambda n: json.load(open(f"{t}/{n}.json"))
a, b, snap, full = ld("a"), ld("b"), ld("snap"), ld("full")
for d in (a, b):
    d.pop("timings")
assert a == b, "two runs differ"
assert a["mode"] == "likelihood" and a["policy"] == "codecomp" and a["budget"] == 0.2
assert not a["fallback"] and a["notice"] is None and a["seeds"]["matched"] > 0
res = a["results"]
assert 1 <= len(res) <= 10 and [r["rank"] for r in res] == list(range(1, len(res) + 1))
assert all(res[i]["score"] >= res[i + 1]["score"] for i in range(len(res) - 1)), "order"
bad = [r for r in res if r["qualified"] == "Stock.remove"]
assert bad, "the mutated function is not in the answer"
bad = bad[0]
assert bad["file"] == "inventory/store.py" and (bad["start_line"], bad["end_line"]) == (17, 27)
ev = bad["evidence"]
assert ev["scored"] and ev["mean_nll"] > 0 and ev["pagerank"] > 0 and ev["seed"] > 0, ev
assert abs(bad["score"] - (ev["structural"] + ev["surprisal"])) < 1e-5, "evidence adds up"
assert 17 < bad["line"] <= 27, "suspicious line inside the function"
src = open(sys.argv[1] + "/inv/inventory/store.py").read().split("\n")
assert bad["line_text"] == src[bad["line"] - 1].strip(), (bad["line_text"], bad["line"])
assert a["kv_bytes"]["held"] < a["kv_bytes"]["full"], "compression held less"
assert full["policy"] == "full" and full["kv_bytes"]["held"] == full["kv_bytes"]["full"]
assert snap["policy"] == "snapkv" and snap["budget"] == 0.1
assert snap["kv_bytes"]["held"] <= a["kv_bytes"]["held"]
kz = ld("kvzip")
assert kz["policy"] == "kvzip" and kz["kv_bytes"]["held"] == a["kv_bytes"]["held"], kz["kv_bytes"]
assert any(r["qualified"] == "Stock.remove" for r in kz["results"]), "kvzip: not in the answer"
assert set(a["timings"] if "timings" in a else ld("snap")["timings"]) >= {"candidates", "prefill", "compress", "score", "total"}
PY
# the terminal summary names the function
loc --issue "$ISSUE" | grep -q 'inventory/store.py:Stock.remove' || fail "summary"
# a failing test outside the repository: the functions it calls are at call distance 1
printf 'from inventory.store import Stock\n\ndef test_total():\n    assert Stock().total_value() == 0\n' >"$T/test_x.py"
loc --json --issue "the total is wrong" --test-file "$T/test_x.py" >"$T/t.json" || fail "with a test file"
python3 -c "
import json, sys; d = json.load(open(sys.argv[1]))
r = {x['qualified']: x for x in d['results']}
assert r['Stock.total_value']['evidence']['test_distance'] == 1, r['Stock.total_value']
" "$T/t.json" || fail "test distance"

# bad input
out=$(loc --json --issue "it is broken, please fix it") || fail "vague issue exited $?"
python3 -c "
import json, sys; d = json.loads(sys.argv[1])
assert d['fallback'] and 'whole repository' in d['notice'] and d['results']" "$out" ||
	fail "vague issue: no fallback notice"
loc --issue "it is broken" | grep -q '^note: .*whole repository' || fail "fallback not said on the terminal"
err=$(loc --issue "" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'issue text is empty' || fail "empty issue: $rc $err"
U=$T/unindexed
make_repo "$U"
err=$("$CODECOMP" localize --no-daemon --repo "$U" --model "$M" --issue "add is wrong" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'not indexed.*codecomp index' || fail "unindexed: $rc $err"
err=$(loc --mode generative --issue "$ISSUE" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'chat template' || fail "generative without template: $rc $err"
err=$(loc --policy nope --issue "$ISSUE" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q "unknown policy 'nope'" || fail "bad policy: $rc $err"
err=$(loc --budget 0 --issue "$ISSUE" 2>&1); [ $? = 1 ] || fail "budget 0 accepted: $err"

# generative mode through a ChatML template (the small model is no instruct model: whatever
# it answers is reported as such, never turned into a guess)
CM=$T/chatml
mkdir -p "$CM"
for f in "$M"/*; do ln -s "$f" "$CM/"; done
rm "$CM/tokenizer_config.json"
python3 - "$M/tokenizer_config.json" "$CM/tokenizer_config.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["chat_template"] = "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}<|im_start|>assistant\n"
json.dump(d, open(sys.argv[2], "w"))
PY
"$CODECOMP" localize --no-daemon --repo "$R" --model "$CM" --json --issue "$ISSUE" >"$T/g.json" ||
	fail "generative (auto) exited $?"
python3 - "$T/g.json" <<'PY' || fail "generative answer"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["mode"] == "generative", d["mode"]         # auto: the model has a chat template
a = d["answer"]
assert isinstance(a["text"], str) and isinstance(a["valid"], bool)
res = d["results"]
assert res and all(not r["evidence"]["scored"] for r in res)
if a["valid"]:
    assert res[0]["evidence"]["answered"] and sum(r["evidence"]["answered"] for r in res) == 1
else:
    assert a["why"] and "names nothing valid" in d["notice"], d["notice"]
    assert not any(r["evidence"]["answered"] for r in res)
PY
# a Llama 3 template renders the same prompt in that family's markup (the answer is whatever
# the small model says; the prompt must carry the template's headers around the bug report)
rm "$CM/tokenizer_config.json" && cp "$SRC/fixtures/chat/llama3/tokenizer_config.json" "$CM/"
"$CODECOMP" localize --no-daemon --repo "$R" --model "$CM" --json --mode generative \
	--issue "$ISSUE" >"$T/g3.json" || fail "generative (llama3) exited $?"
python3 - "$T/g3.json" <<'PY' || fail "generative llama3 answer"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["mode"] == "generative", d["mode"]
assert isinstance(d["answer"]["text"], str)
PY
# a template of another family is refused, naming what to do
printf '{"chat_template": "{{ bos_token }}[INST] {{ m }} [/INST]"}' >"$T/llama.json"
rm "$CM/tokenizer_config.json" && cp "$T/llama.json" "$CM/tokenizer_config.json"
err=$("$CODECOMP" localize --no-daemon --repo "$R" --model "$CM" --mode generative --issue "$ISSUE" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'use --mode likelihood' || fail "unknown template family: $rc $err"

# through the daemon: the same JSON (timings aside), also with a trace file and a test file
printf 'Traceback (most recent call last):\n  File "/ci/inventory/store.py", line 25, in remove\n' >"$T/trace.txt"
loc --json --issue "$ISSUE" --trace-file "$T/trace.txt" --top 5 >"$T/c.json" || fail "with trace"
IPC=ipc://$T/d.sock
start_daemon "$IPC"
"$CODECOMP" localize --connect "$IPC" --json --repo "$R" --model "$M" --issue "$ISSUE" >"$T/d.json" ||
	fail "localize through the daemon"
"$CODECOMP" localize --connect "$IPC" --json --repo "$R" --model "$M" --issue "$ISSUE" \
	--trace-file "$T/trace.txt" --top 5 >"$T/e.json" || fail "localize with trace through the daemon"
err=$("$CODECOMP" localize --connect "$IPC" --repo "$R" --model "$M" --issue "" 2>&1)
[ $? = 1 ] && echo "$err" | grep -q 'issue text is empty' || fail "daemon empty issue: $err"
python3 - "$T" <<'PY' || fail "daemon JSON differs from the CLI's"
import json, sys
t = sys.argv[1]
ld = lambda n: json.load(open(f"{t}/{n}.json"))
for x, y in (("a", "d"), ("c", "e")):
    p, q = ld(x), ld(y)
    p.pop("timings"); q.pop("timings")
    assert p == q, (x, y)
c = ld("c")
assert c["results"][0]["qualified"] == "Stock.remove" and len(c["results"]) == 5, "trace frame"
PY
echo "localize: ok"
