#!/bin/bash
# `codecomp mutate`: the same seed gives the same manifest (commit ids included), another seed
# another one; every record's ground truth holds in git (the branch changes exactly the
# recorded line of the recorded function, from "original" to "mutated"); mutants that do not
# parse are dropped and counted; an unindexed repository is refused with a clear message.
set -u
B="${CC_BIN:-build/bin}/codecomp"
SRC=${CC_SOURCE_DIR:-$PWD}
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$B" ] || fail "no $B"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
export GIT_AUTHOR_DATE=2024-01-01T00:00:00Z GIT_COMMITTER_DATE=2024-01-01T00:00:00Z
R=$T/shop
mkdir -p "$R/src"
cp -R "$SRC/fixtures/example/." "$R/"
# a Rust function whose first '<' and '>' belong to a turbofish: mutating them cannot parse
cat >"$R/src/lib.rs" <<'RS'
pub fn short(x: &Vec<u8>) -> bool {
    if Vec::<u8>::new().len() < x.len() {
        return true;
    }
    false
}
RS
git -C "$R" init -q && git -C "$R" add -A && git -C "$R" commit -q -m base || fail git
"$B" index "$R" >/dev/null || fail index

mkdir -p "$T/a" "$T/b" "$T/c"
"$B" mutate --repo "$R" --count 40 --seed 7 --out "$T/a/m.jsonl" 2>"$T/a.err" || fail "mutate: $(cat "$T/a.err")"
"$B" mutate --repo "$R" --count 40 --seed 7 --out "$T/b/m.jsonl" 2>/dev/null || fail "mutate again"
"$B" mutate --repo "$R" --count 40 --seed 8 --out "$T/c/m.jsonl" 2>/dev/null || fail "mutate seed 8"
cmp -s "$T/a/m.jsonl" "$T/b/m.jsonl" || fail "same seed, different manifests"
cmp -s "$T/a/m.jsonl" "$T/c/m.jsonl" && fail "another seed, same manifest"
grep -q 'dropped' "$T/a.err" || fail "no summary"
python3 - "$T/a/m.jsonl" "$T/a.err" <<'PY' || fail "records"
import json, re, subprocess, sys, os
man, err = sys.argv[1], open(sys.argv[2]).read()
recs = [json.loads(l) for l in open(man)]
m = re.search(r"(\d+) mutants .* (\d+) sites, (\d+) tried, (\d+) dropped", err)
made, sites, tried, dropped = map(int, m.groups())
assert made == len(recs) and tried == made + dropped, (made, tried, dropped)
assert dropped >= 1, "the turbofish mutants should not parse"
assert len(recs) >= 30, len(recs)
kinds = {r["kind"] for r in recs}
assert kinds >= {"operator", "off_by_one", "negated_condition", "wrong_identifier",
                 "swapped_arguments", "removed_call"}, kinds
assert len({r["id"] for r in recs}) == len(recs) and len({r["commit"] for r in recs}) == len(recs)
base = os.path.dirname(man)
for r in recs:
    repo = os.path.join(base, r["repo"])
    git = lambda *a: subprocess.run(["git", "-C", repo] + list(a), capture_output=True, text=True, check=True).stdout
    assert git("rev-parse", r["rev"]).strip() == r["commit"]
    assert git("rev-parse", r["rev"] + "^").strip() == r["base_commit"]
    diff = git("diff", "-U0", r["base_commit"], r["rev"])
    files = re.findall(r"^\+\+\+ b/(.*)$", diff, re.M)
    hunks = re.findall(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", diff, re.M)
    assert files == [r["file"]] and len(hunks) == 1, (r["id"], diff)
    a, ac, b, bc = hunks[0]
    assert int(b) == r["lines"][0] and (bc or "1") == "1" and (ac or "1") == "1", (r["id"], hunks)
    assert r["start_line"] <= r["lines"][0] <= r["end_line"]
    new = git("show", f"{r['rev']}:{r['file']}").split("\n")[r["lines"][0] - 1].strip()
    old = git("show", f"{r['base_commit']}:{r['file']}").split("\n")[r["lines"][0] - 1].strip()
    assert new == r["mutated"] and old == r["original"] and new != old, r["id"]
    assert r["issue"].startswith(r["qualified"]) and r["qualified"] in r["giveaway"] or r["function"] in r["giveaway"]
    assert "test" not in r["file"]
print("ok", len(recs), "mutants")
PY
# errors
mkdir -p "$T/u" && git -C "$T/u" init -q
printf 'def f():\n    return 1\n' >"$T/u/a.py" && git -C "$T/u" add -A && git -C "$T/u" commit -qm x
err=$("$B" mutate --repo "$T/u" --count 3 --seed 1 --out "$T/u.jsonl" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'not indexed.*codecomp index' || fail "unindexed: $rc $err"
err=$("$B" mutate --repo "$R" --count 3 --seed 7 --out "$T/a/m.jsonl" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'exists already' || fail "existing copy: $rc $err"
"$B" mutate --repo "$R" --count 0 --seed 1 --out "$T/z.jsonl" 2>/dev/null; [ $? = 2 ] || fail "count 0"
echo "mutate: ok"
