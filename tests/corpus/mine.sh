#!/bin/bash
# `codecomp mine` and `codecomp import --format swebench` on a hand-made history: a fix commit
# touching one function becomes a record whose ground truth is the changed line at the parent
# revision, with the identifiers of the message that give the answer away flagged; a fix
# spread over many functions, a non-code fix and a non-fix commit give none. The SWE-bench
# record of the same fix gives the same ground truth; instances without a clone or touching
# too many functions are skipped and counted; a malformed line is refused naming the line. The
# test that comes with a fix is not taken for the bug; comment-only and "typo" fixes give none.
set -u
B="${CC_BIN:-build/bin}/codecomp"
SRC=${CC_SOURCE_DIR:-$PWD}
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$B" ] || fail "no $B"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
export GIT_AUTHOR_DATE=2024-01-01T00:00:00Z GIT_COMMITTER_DATE=2024-01-01T00:00:00Z
R=$T/repos/acme/inv
mkdir -p "$R"
cp -R "$SRC/fixtures/example/." "$R/"
g() { git -C "$R" "$@"; }
mkdir -p "$R/tests"
printf 'from inventory.store import Stock\n\n\ndef test_add():\n    assert Stock().add("a", 1, 2.0).quantity == 1\n' >"$R/tests/test_store.py"
g init -q && g add -A && g commit -qm "initial import" || fail git
# the buggy state, then its fix (models.py line 11: < 1 -> < 0)
sed -i 's/    if quantity < 0:/    if quantity < 1:/' "$R/inventory/models.py"
g commit -qam "Allow zero quantities" || fail git
BUGGY=$(g rev-parse HEAD)
sed -i 's/    if quantity < 1:/    if quantity < 0:/' "$R/inventory/models.py"
g commit -qam "Fix validate() rejecting a quantity of zero" || fail git
FIX=$(g rev-parse HEAD)
g diff "$BUGGY" "$FIX" >"$T/fix.patch"
sed -i 's/return self.quantity \* self.price/return self.price * self.quantity/' "$R/inventory/models.py"
g commit -qam "Refactor value" || fail git
sed -i 's/"""The stock/"""The whole stock/; s/"""Items and/"""All items and/' "$R/inventory/store.py" "$R/inventory/models.py"
sed -i 's/return "\\n".join/return "\\n" .join/; s/total = 0/total = 0.0/; s/        self.items = {}/        self.items = dict()/' "$R/inventory/store.py"
sed -i 's/self.price = price/self.price = float(price)/' "$R/inventory/models.py"
g commit -qam "fix several things at once" || fail git
printf 'typo\n' >>"$R/inventory/README.txt" && g add -A && g commit -qm "Fix typo in the readme" || fail git
# a fix that comes with its test: the test file is not the bug
sed -i 's/            item.quantity -= 1/            item.quantity -= 2/' "$R/inventory/store.py"
g commit -qam "Count down faster" || fail git
BUGGY2=$(g rev-parse HEAD)
RLINE=$(grep -n 'item.quantity -= 2' "$R/inventory/store.py" | cut -d: -f1)
sed -i 's/            item.quantity -= 2/            item.quantity -= 1/' "$R/inventory/store.py"
printf '\n\ndef test_remove():\n    s = Stock()\n    s.add("a", 3, 1.0)\n    assert s.remove("a", 1) and s.items["a"].quantity == 2\n' >>"$R/tests/test_store.py"
g commit -qam "Fix remove() taking two per unit" || fail git
# a "fix" of comments and blank lines only, and one whose message says it fixes a typo: no bug
sed -i 's/^    def describe(self):$/    def describe(self):\n        # name and quantity\n/' "$R/inventory/models.py"
g commit -qam "Fix describe" || fail git
sed -i 's/an item needs a name/an item needs a name!/' "$R/inventory/models.py"
g commit -qam "Fix typos in the message of validate" || fail git
sed -i 's/return name.strip().lower()/return name.lower().strip()/' "$R/inventory/models.py"
g commit -qam "Issue 12: validate beautification" || fail git
"$B" index "$R" >/dev/null || fail index
"$B" mine --repo "$R" --out "$T/mined.jsonl" 2>"$T/mine.err" || fail "mine: $(cat "$T/mine.err")"
grep -q '2 bugs from 4 fix commits' "$T/mine.err" || fail "counts: $(cat "$T/mine.err")"
python3 - "$T/mined.jsonl" "$BUGGY" "$FIX" "$BUGGY2" "$RLINE" <<'PY' || fail "mined record"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 2, recs
r = recs[0]
assert r["rev"] == sys.argv[4] and r["issue"].startswith("Fix remove()"), r
assert (r["file"], r["function"], r["lines"]) == ("inventory/store.py", "remove", [int(sys.argv[5])]), r
r = recs[1]
assert r["source"] == "mine" and r["rev"] == sys.argv[2] and r["commit"] == sys.argv[2]
assert r["base_commit"] == sys.argv[3] and r["id"] == "fix-" + sys.argv[3][:12]
assert (r["file"], r["function"], r["lines"]) == ("inventory/models.py", "validate", [11]), r
assert (r["start_line"], r["end_line"]) == (8, 13)
assert r["issue"].startswith("Fix validate() rejecting") and "validate" in r["giveaway"], r
PY

# SWE-bench style
python3 - "$T" "$BUGGY" <<'PY'
import json, sys
t, base = sys.argv[1], sys.argv[2]
patch = open(f"{t}/fix.patch").read()
many = "\n".join(["--- a/inventory/store.py", "+++ b/inventory/store.py"] +
                 [f"@@ -{l},1 +{l},1 @@\n-x\n+y" for l in (7, 10, 18, 30)]) + "\n"
with open(f"{t}/swe.jsonl", "w") as f:
    for rec in ({"instance_id": "acme__inv-1", "repo": "acme/inv", "base_commit": base,
                 "problem_statement": "A quantity of 0 is refused", "patch": patch},
                {"instance_id": "acme__inv-2", "repo": "acme/inv", "base_commit": base,
                 "problem_statement": "many", "patch": many},
                {"instance_id": "other__x-1", "repo": "other/x", "base_commit": base,
                 "problem_statement": "?", "patch": patch}):
        f.write(json.dumps(rec) + "\n")
open(f"{t}/bad.jsonl", "w").write(json.dumps({"instance_id": "a", "repo": "acme/inv"}) + "\n")
PY
"$B" import --format swebench --in "$T/swe.jsonl" --repos "$T/repos" --out "$T/swe-m.jsonl" 2>"$T/imp.err" ||
	fail "import: $(cat "$T/imp.err")"
grep -q '1 records .* 2 skipped' "$T/imp.err" || fail "import counts: $(cat "$T/imp.err")"
python3 - "$T/swe-m.jsonl" "$BUGGY" <<'PY' || fail "imported record"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 1 and r[0]["id"] == "acme__inv-1" and r[0]["source"] == "swebench"
assert (r[0]["file"], r[0]["function"], r[0]["lines"], r[0]["rev"]) == ("inventory/models.py", "validate", [11], sys.argv[2]), r
assert r[0]["giveaway"] == [] and r[0]["issue"] == "A quantity of 0 is refused"
PY
err=$("$B" import --format swebench --in "$T/bad.jsonl" --repos "$T/repos" --out "$T/x.jsonl" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'bad.jsonl:1: not a SWE-bench record' || fail "malformed: $rc $err"
err=$("$B" import --format nosuch --in "$T/bad.jsonl" --repos "$T/repos" --out "$T/x.jsonl" 2>&1)
[ $? = 2 ] || fail "unknown format accepted"


echo "mine/import: ok"
