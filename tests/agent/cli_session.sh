#!/bin/bash
# codecomp ask / session through a real codecompd and in-process on the shared model: the
# same ids and text either way; sessions opened, asked and closed through the CLI; 8
# concurrent clients on one model answer what one client gets; bad input gives clear errors
# and the daemon keeps serving.
. "$(dirname "$0")/../daemon/lib.sh"

MODEL=${CC_MODEL_DIR:-$PWD/../shared/models/pycode-16m}
[ -f "$MODEL/config.json" ] || { echo "SKIP: the shared model is absent ($MODEL)"; exit 77; }
MODEL=$(cd "$MODEL" && pwd -P)

make_repo "$T/repo"
{
	printf 'def clamp(x, lo, hi):\n    if x < lo:\n        return lo\n    if x > hi:\n        return hi\n    return x\n\n'
	for i in $(seq 1 40); do printf '\ndef scale_%d(x, k):\n    if k > %d:\n        return clamp(x * k, 0, %d)\n    return x - %d\n' $i $i $((i * 10)) $i; done
} >"$T/repo/util.py"
git -C "$T/repo" add util.py && git -C "$T/repo" commit -q -m util
"$CODECOMP" index --no-daemon "$T/repo" >/dev/null || fail "index"

strip() { python3 -c 'import json,sys
o = json.load(sys.stdin)
for k in ("session", "generate"):
    o[k].pop("timings", None); o[k].pop("id", None); o[k].pop("idle_s", None)
print(json.dumps(o, sort_keys=True))'; }

ASK=(ask --model "$MODEL" --repo "$T/repo" --path calc.py --path util.py --policy codecomp
	--budget 0.5 --max-new 8 --json "def sub(a, b):")
"$CODECOMP" "${ASK[@]}" --no-daemon | strip >"$T/inproc.json" || fail "ask in-process"

IPC=ipc://$T/d.sock
start_daemon "$IPC" --model "$MODEL"
"$CODECOMP" "${ASK[@]}" --connect "$IPC" | strip >"$T/daemon.json" || fail "ask via daemon"
cmp -s "$T/inproc.json" "$T/daemon.json" || fail "ask differs: $(cat "$T/inproc.json") vs $(cat "$T/daemon.json")"
python3 - "$T/daemon.json" <<'PY' || fail "ask reply content"
import json, sys
o = json.load(open(sys.argv[1]))
s, g = o["session"], o["generate"]
assert s["files"] == ["calc.py", "util.py"], s
assert s["kv_bytes_held"] <= s["kv_bytes_full"], s
assert g["completion_tokens"] == len(g["ids"]) and 0 < len(g["ids"]) <= 8, g
PY

# A session through the CLI: open, generate twice (the fork leaves the base as it was), score,
# compress tighter, list, close.
sid=$("$CODECOMP" session open --connect "$IPC" --json --model "$MODEL" --repo "$T/repo" \
	--query "clamp returns the wrong bound" --policy snapkv --budget 0.5 |
	python3 -c 'import json,sys; o=json.load(sys.stdin); assert o["files_by_query"] and "util.py" in o["files"], o; print(o["id"])') ||
	fail "session open"
g1=$("$CODECOMP" session generate --connect "$IPC" --max-new 6 "$sid" "def low(x):") || fail "generate 1"
g2=$("$CODECOMP" session generate --connect "$IPC" --max-new 6 "$sid" "def low(x):") || fail "generate 2"
[ "$g1" = "$g2" ] || fail "the same prompt gave '$g1' then '$g2'"
"$CODECOMP" session score --connect "$IPC" "$sid" "    return lo" | grep -q "mean NLL" || fail "score"
held1=$("$CODECOMP" session info --connect "$IPC" --json "$sid" | python3 -c 'import json,sys; print(json.load(sys.stdin)["kv_bytes_held"])')
held2=$("$CODECOMP" session compress --connect "$IPC" --json "$sid" --policy codecomp --budget 0.1 |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["kv_bytes_held"])') || fail "compress"
[ "$held2" -lt "$held1" ] || fail "compress to 0.1 held $held2 bytes, not under $held1"
"$CODECOMP" session list --connect "$IPC" | grep -q "$sid" || fail "list"

# 8 clients at once on one model: each answer equals the one asked alone.
for k in 0 1 2 3 4 5 6 7; do
	"$CODECOMP" session generate --connect "$IPC" --max-new 5 "$sid" "def f$((k % 2))(x):" >"$T/alone.$k" || fail "alone $k"
done
pids=
for k in 0 1 2 3 4 5 6 7; do
	"$CODECOMP" session generate --connect "$IPC" --max-new 5 "$sid" "def f$((k % 2))(x):" >"$T/par.$k" &
	pids="$pids $!"
done
for p in $pids; do wait "$p" || fail "a concurrent client failed"; done
for k in 0 1 2 3 4 5 6 7; do cmp -s "$T/alone.$k" "$T/par.$k" || fail "concurrent answer $k differs"; done

# Bad input: clear errors, and the daemon keeps serving.
expect_err() {
	local want=$1
	shift
	if out=$("$CODECOMP" "$@" 2>&1); then fail "accepted: $*"; fi
	case $out in *"$want"*) ;; *) fail "'$*' said '$out', expected '$want'" ;; esac
}
expect_err "no session 'nope'" session generate --connect "$IPC" nope "x"
expect_err "budget" session open --connect "$IPC" --model "$MODEL" --repo "$T/repo" --path calc.py --budget 0
expect_err "budget" session open --connect "$IPC" --model "$MODEL" --repo "$T/repo" --path calc.py --budget 1.5
expect_err "unknown policy" session open --connect "$IPC" --model "$MODEL" --repo "$T/repo" --path calc.py --policy best --budget 0.5
mkdir -p "$T/plain" && git -C "$T/plain" init -q
expect_err "" session open --connect "$IPC" --model "$MODEL" --repo "$T/plain" --path a.py --budget 0.5
python3 -c '
for i in range(900): print("def g%d(x):\n    return x * %d + g%d(x - 1)\n" % (i, i, i))' >"$T/big.py"
expect_err "over the limit" session open --connect "$IPC" --model "$MODEL" --text-file "$T/big.py" --budget 0.5
"$CODECOMP" session open --connect "$IPC" --json --model "$MODEL" --text-file "$T/big.py" --budget 0.5 \
	--policy streaming --truncate | python3 -c 'import json,sys; o=json.load(sys.stdin); assert o["truncated"] and o["dropped_tokens"] > 0, o' ||
	fail "truncate"
expect_err "window" session generate --connect "$IPC" --max-new 4000 "$sid" "x"
"$CODECOMP" session close --connect "$IPC" "$sid" | grep -q "closed $sid" || fail "close"
expect_err "no session" session info --connect "$IPC" "$sid"
"$CODECOMP" daemon ping --connect "$IPC" >/dev/null || fail "the daemon stopped serving"
echo "ok"
