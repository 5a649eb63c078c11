#!/bin/bash
# codecomp ask --stream-chunk on the shared model, in-process and through a real codecompd: the
# same reply either way, with the stream block (chunks, peak KV bytes below the full cache's)
# and the budget's kept count; a policy without a streamed mode and a bad chunk are clear
# errors.
. "$(dirname "$0")/../daemon/lib.sh"

MODEL=${CC_MODEL_DIR:-$PWD/../shared/models/pycode-16m}
[ -f "$MODEL/config.json" ] || { echo "SKIP: the shared model is absent ($MODEL)"; exit 77; }
MODEL=$(cd "$MODEL" && pwd -P)

make_repo "$T/repo"
{
	printf 'def clamp(x, lo, hi):\n    if x < lo:\n        return lo\n    if x > hi:\n        return hi\n    return x\n\n'
	for i in $(seq 1 60); do printf '\ndef scale_%d(x, k):\n    if k > %d:\n        return clamp(x * k, 0, %d)\n    return x - %d\n' $i $i $((i * 10)) $i; done
} >"$T/repo/util.py"
git -C "$T/repo" add util.py && git -C "$T/repo" commit -q -m util
"$CODECOMP" index --no-daemon "$T/repo" >/dev/null || fail "index"

strip() { python3 -c 'import json,sys
o = json.load(sys.stdin)
for k in ("session", "generate"):
    o[k].pop("timings", None); o[k].pop("id", None); o[k].pop("idle_s", None)
print(json.dumps(o, sort_keys=True))'; }

ASK=(ask --model "$MODEL" --repo "$T/repo" --path calc.py --path util.py --policy codecomp
	--budget 0.2 --stream-chunk 256 --max-new 6 --json "def sub(a, b):")
"$CODECOMP" "${ASK[@]}" --no-daemon | strip >"$T/inproc.json" || fail "ask in-process"
python3 - "$T/inproc.json" <<'PY' || fail "streamed reply: $(cat "$T/inproc.json")"
import json, math, sys
o = json.load(open(sys.argv[1]))
s, g = o["session"], o["generate"]
n = s["context_tokens"]
assert n > 1000, s
st = s["stream"]
assert st["chunk"] == 256 and st["steps"] == (n + 255) // 256, st
assert s["kept_per_head"] == math.ceil(0.2 * n - 1e-9), s
assert s["kv_bytes_held"] <= st["kv_bytes_peak"] < s["kv_bytes_full"] / 2, s
assert 0 < len(g["ids"]) <= 6, g
PY
# without the option: the same kept count, no stream block
"$CODECOMP" ask --model "$MODEL" --repo "$T/repo" --path calc.py --path util.py --policy snapkv \
	--budget 0.2 --max-new 2 --json --no-daemon "def sub(a, b):" |
	python3 -c 'import json,sys; s=json.load(sys.stdin)["session"]; assert "stream" not in s, s' ||
	fail "prefill-then-compress reply"

IPC=ipc://$T/d.sock
start_daemon "$IPC" --model "$MODEL"
"$CODECOMP" "${ASK[@]}" --connect "$IPC" | strip >"$T/daemon.json" || fail "ask via daemon"
cmp -s "$T/inproc.json" "$T/daemon.json" || fail "ask differs: $(cat "$T/inproc.json") vs $(cat "$T/daemon.json")"

expect_err() {
	local want=$1
	shift
	if out=$("$CODECOMP" "$@" 2>&1); then fail "accepted: $*"; fi
	case $out in *"$want"*) ;; *) fail "'$*' said '$out', expected '$want'" ;; esac
}
expect_err "kvzip" session open --connect "$IPC" --model "$MODEL" --repo "$T/repo" --path util.py \
	--policy kvzip --budget 0.2 --stream-chunk 256
expect_err "stream_chunk" session open --connect "$IPC" --model "$MODEL" --repo "$T/repo" \
	--path util.py --policy snapkv --budget 0.2 --stream-chunk 4
expect_err "stream-chunk" session open --connect "$IPC" --model "$MODEL" --repo "$T/repo" \
	--path util.py --policy snapkv --budget 0.2 --stream-chunk 0
"$CODECOMP" daemon ping --connect "$IPC" >/dev/null || fail "the daemon stopped serving"
echo ok
