#!/bin/bash
# `codecomp mine` and `codecomp import --format swebench` on a hand-made history: a fix commit
# touching one function becomes a record whose ground truth is the changed line at the parent
# revision, with the identifiers of the message that give the answer away flagged; a fix
# spread over many functions, a non-code fix and a non-fix commit give none. The SWE-bench
# record of the same fix gives the same ground truth; instances without a clone or touching
# too many functions are skipped and counted; a malformed line is refused naming the line.
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
"$B" index "$R" >/dev/null || fail index
"$B" mine --repo "$R" --out "$T/mined.jsonl" 2>"$T/mine.err" || fail "mine: $(cat "$T/mine.err")"
grep -q '1 bugs from 3 fix commits' "$T/mine.err" || fail "counts: $(cat "$T/mine.err")"
python3 - "$T/mined.jsonl" "$BUGGY" "$FIX" <<'PY' || fail "mined record"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 1, recs
r = recs[0]
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
