#!/bin/bash
# The adakv policy by the name users pass: `codecomp localize --policy adakv` on the bundled
# example (shared model, CPU) answers with the known-bad function and holds fewer KV bytes
# than the full cache; its held bytes stay within the lane rounding of snapkv's at the same
# budget (a different count per KV head, memory freed per head); an unknown name is refused,
# naming it.
. "$(dirname "$0")/../daemon/lib.sh"
set +e
M="${CC_MODEL_DIR:-${CC_SOURCE_DIR:-$PWD}/../shared/models/pycode-16m}"
[ -f "$M/config.json" ] || { echo "SKIP: no model at $M (set CC_MODEL_DIR)"; exit 77; }
M=$(cd "$M" && pwd)
SRC=${CC_SOURCE_DIR:-$PWD}

R=$T/inv
mkdir -p "$R"
cp -R "$SRC/fixtures/example/." "$R/"
git -C "$R" init -q && git -C "$R" add -A && git -C "$R" commit -q -m example || fail "git"
sed -i 's/        if item.quantity == 0:/        if item.quantity != 0:/' "$R/inventory/store.py"
git -C "$R" commit -qam "mutant" || fail "git commit"
"$CODECOMP" index --no-daemon "$R" >/dev/null || fail "index"

ISSUE="Stock.remove() leaves an item in the stock after removing all of it, and deletes items that still have some left"
loc() { "$CODECOMP" localize --no-daemon --device cpu --repo "$R" --model "$M" "$@"; }
loc --json --issue "$ISSUE" --policy adakv --budget 0.2 >"$T/ada.json" || fail "adakv exited $?"
loc --json --issue "$ISSUE" --policy snapkv --budget 0.2 >"$T/snap.json" || fail "snapkv exited $?"
python3 - "$T" <<'PY' || fail "adakv output"
import json, sys
t = sys.argv[1]
ada, snap = (json.load(open(f"{t}/{n}.json")) for n in ("ada", "snap"))
assert ada["policy"] == "adakv" and ada["budget"] == 0.2, ada["policy"]
kv, ks = ada["kv_bytes"], snap["kv_bytes"]
assert kv["held"] < kv["full"], kv
assert kv["full"] == ks["full"], (kv, ks)
# the same mean count per head: within a block per layer and KV head of snapkv's bytes
assert ks["held"] <= kv["held"] <= ks["held"] * 1.25, (kv, ks)
assert any(r["qualified"] == "Stock.remove" for r in ada["results"]), "adakv: not in the answer"
PY
out=$(loc --json --issue "$ISSUE" --policy adakv2 --budget 0.2 2>&1) && fail "unknown policy accepted"
echo "$out" | grep -qi "adakv2" || fail "unknown policy not named: $out"
python3 -c "import json,sys; a=json.load(open(sys.argv[1]))[\"kv_bytes\"]; s=json.load(open(sys.argv[2]))[\"kv_bytes\"]; print(\"adakv held\", a, \"snapkv\", s)" "$T/ada.json" "$T/snap.json"
