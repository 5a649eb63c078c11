#!/bin/bash
# codecomp ask --repo-cache in-process and through codecompd (--repo-cache-bytes,
# --repo-cache-disk-bytes): the first
# run prefills every file and writes its chunk files beside the index, the next reads them
# back (in-process: from disk; the daemon: from memory on its second session); a one-file
# commit prefills exactly that file; the reply's bytes_disk is the chunk files' bytes; bad
# options give clear errors.
. "$(dirname "$0")/../daemon/lib.sh"

MODEL=${CC_MODEL_DIR:-$PWD/../shared/models/pycode-16m}
[ -f "$MODEL/config.json" ] || { echo "SKIP: the shared model is absent ($MODEL)"; exit 77; }
MODEL=$(cd "$MODEL" && pwd -P)

make_repo "$T/repo"
printf 'from calc import add\n\n\ndef twice(x):\n    return add(x, x)\n' >"$T/repo/use.py"
git -C "$T/repo" add use.py && git -C "$T/repo" commit -q -m use
"$CODECOMP" index --no-daemon "$T/repo" >/dev/null || fail "index"

ASK=(ask --model "$MODEL" --repo "$T/repo" --path calc.py --path use.py --policy codecomp
	--budget 0.5 --max-new 4 --json --repo-cache "def sub(a, b):")
field() { python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["session"]["repo_cache"][sys.argv[1]])' "$1"; }

"$CODECOMP" "${ASK[@]}" --no-daemon >"$T/a1.json" || fail "ask in-process"
[ "$(field chunks_prefilled <"$T/a1.json")" = 2 ] || fail "first run: $(cat "$T/a1.json")"
ls "$T/repo/.git/codecomp-kv/"*.kvc >/dev/null || fail "no chunk files beside the index"
"$CODECOMP" "${ASK[@]}" --no-daemon >"$T/a2.json" || fail "ask in-process again"
[ "$(field chunks_from_disk <"$T/a2.json")" = 2 ] || fail "second run: $(cat "$T/a2.json")"
[ "$(field chunks_prefilled <"$T/a2.json")" = 0 ] || fail "second run prefilled"

IPC=ipc://$T/d.sock
start_daemon "$IPC" --model "$MODEL" --repo-cache-bytes 64000000 --repo-cache-disk-bytes 64000000
"$CODECOMP" "${ASK[@]}" --connect "$IPC" >"$T/d1.json" || fail "ask via daemon"
[ "$(field chunks_from_disk <"$T/d1.json")" = 2 ] || fail "daemon, first: $(cat "$T/d1.json")"
"$CODECOMP" "${ASK[@]}" --connect "$IPC" >"$T/d2.json" || fail "ask via daemon again"
[ "$(field chunks_reused <"$T/d2.json")" = 2 ] || fail "daemon, second: $(cat "$T/d2.json")"
[ "$(field chunks_from_disk <"$T/d2.json")" = 0 ] || fail "daemon, second read the disk"
# the same text either way (greedy, same chunks)
python3 - "$T/a2.json" "$T/d2.json" <<'PY' || fail "in-process and daemon differ"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["generate"]["ids"] == b["generate"]["ids"], (a["generate"], b["generate"])
PY

# one-file commit: exactly that file is prefilled
printf '\n\ndef thrice(x):\n    return add(add(x, x), x)\n' >>"$T/repo/use.py"
git -C "$T/repo" commit -q -am thrice
"$CODECOMP" index --no-daemon "$T/repo" >/dev/null || fail "re-index"
"$CODECOMP" "${ASK[@]}" --connect "$IPC" >"$T/d3.json" || fail "ask after the commit"
[ "$(field chunks_prefilled <"$T/d3.json")" = 1 ] || fail "after commit: $(cat "$T/d3.json")"
[ "$(field chunks_reused <"$T/d3.json")" = 1 ] || fail "after commit reused"
disk=$(stat -c %s "$T/repo/.git/codecomp-kv/"*.kvc | awk '{s += $1} END {print s}')
[ "$(field bytes_disk <"$T/d3.json")" = "$disk" ] || fail "bytes_disk is not $disk: $(cat "$T/d3.json")"

# the disk limit's bad values are refused by name before the daemon starts
for bad in 5 1048575 -1 abc 1e16; do
	if "$CODECOMPD" --foreground --listen "ipc://$T/bad.sock" --repo-cache-disk-bytes "$bad" \
		2>"$T/err"; then fail "--repo-cache-disk-bytes $bad accepted"; fi
	grep -q -- "--repo-cache-disk-bytes" "$T/err" || fail "--repo-cache-disk-bytes $bad: $(cat "$T/err")"
done

expect_err() {
	local want=$1; shift
	if "$CODECOMP" "$@" >"$T/out" 2>"$T/err"; then fail "$* succeeded"; fi
	grep -q -- "$want" "$T/err" || fail "$*: no '$want' in: $(cat "$T/err")"
}
expect_err "need" ask --no-daemon --model "$MODEL" --repo "$T/repo" --path calc.py --policy codecomp \
	--budget 0.5 --cache-final-budget 0.5 "x"
expect_err "share" ask --no-daemon --model "$MODEL" --repo "$T/repo" --path calc.py --policy codecomp \
	--budget 300 --repo-cache "x"
expect_err "whole files" ask --connect "$IPC" --model "$MODEL" --repo "$T/repo" --function add \
	--policy codecomp --budget 0.5 --repo-cache "x"
expect_err "bad value" ask --no-daemon --model "$MODEL" --repo "$T/repo" --path calc.py --repo-cache \
	--cache-final-budget abc "x"
"$CODECOMP" daemon ping --connect "$IPC" >/dev/null || fail "the daemon stopped serving"
echo "ok"
