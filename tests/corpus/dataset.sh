#!/bin/bash
# `codecomp import --format bugsinpy|defects4j` on metadata written here in each dataset's own
# layout (BugsInPy: projects/P/bugs/N/{bug.info,bug_patch.txt,run_test.sh}; Defects4J:
# projects/P/{active-bugs.csv,patches/N.src.patch,trigger_tests/N}, its patch going from the
# fixed revision to the buggy one) over small real git histories: the ground truth is the
# function the fix changes at the buggy commit, the failing tests and Defects4J's trace are
# carried; a patch that does not apply at the buggy commit, a fix outside 1-3 functions, a
# missing clone and malformed bug.info are skipped and counted; a malformed active-bugs.csv is
# refused naming the line; a folder of neither format is refused.
set -u
B="${CC_BIN:-build/bin}/codecomp"
SRC=${CC_SOURCE_DIR:-$PWD}
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$B" ] || fail "no $B"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
export GIT_AUTHOR_DATE=2024-01-01T00:00:00Z GIT_COMMITTER_DATE=2024-01-01T00:00:00Z

# ---- BugsInPy: a Python project with a bug and its fix --------------------------------------
R=$T/repos/inv
mkdir -p "$R"
cp -R "$SRC/fixtures/example/." "$R/"
g() { git -C "$R" "$@"; }
g init -q && g add -A && g commit -qm "initial import" || fail git
sed -i 's/    if quantity < 0:/    if quantity < 1:/' "$R/inventory/models.py"
g commit -qam "Allow zero quantities" || fail git
BUGGY=$(g rev-parse HEAD)
sed -i 's/    if quantity < 1:/    if quantity < 0:/' "$R/inventory/models.py"
g commit -qam "Fix validate() rejecting a quantity of zero" || fail git
FIX=$(g rev-parse HEAD)
P=$T/bugsinpy/projects/inv
mkdir -p "$P/bugs/1" "$P/bugs/2" "$P/bugs/3" "$T/bugsinpy/projects/gone/bugs/1"
printf 'github_url="https://example.org/inv"\nstatus="OK"\n' >"$P/project.info"
printf 'python_version="3.8.3"\nbuggy_commit_id="%s"\nfixed_commit_id="%s"\ntest_file="tests/test_models.py;tests/test_store.py"\n' \
	"${BUGGY:0:7}" "$FIX" >"$P/bugs/1/bug.info"
g diff "$BUGGY" "$FIX" >"$P/bugs/1/bug_patch.txt"
printf 'pytest tests/test_models.py::test_zero_quantity\npython -m unittest -q tests.test_store.StoreTest.test_add' >"$P/bugs/1/run_test.sh"
# bug 2: the same patch claimed at a commit where it does not apply (the fixed one)
printf 'buggy_commit_id="%s"\nfixed_commit_id="%s"\n' "$FIX" "$FIX" >"$P/bugs/2/bug.info"
cp "$P/bugs/1/bug_patch.txt" "$P/bugs/1/run_test.sh" "$P/bugs/2/"
# bug 3: malformed bug.info
printf 'buggy_commit_id="not-a-commit"\nfixed_commit_id="%s"\n' "$FIX" >"$P/bugs/3/bug.info"
cp "$P/bugs/1/bug_patch.txt" "$P/bugs/1/run_test.sh" "$P/bugs/3/"
# a project without a clone
cp "$P/bugs/1/"* "$T/bugsinpy/projects/gone/bugs/1/"

"$B" import --format bugsinpy --in "$T/bugsinpy/projects" --repos "$T/repos" --out "$T/bip.jsonl" \
	2>"$T/bip.err" || fail "bugsinpy import: $(cat "$T/bip.err")"
grep -q '1 records .* 3 skipped' "$T/bip.err" || fail "bugsinpy counts: $(cat "$T/bip.err")"
python3 - "$T/bip.jsonl" "$BUGGY" "$FIX" <<'PY' || fail "bugsinpy record"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 1, r
r = r[0]
assert r["id"] == "inv-1" and r["source"] == "bugsinpy", r
assert r["commit"] == sys.argv[2] and r["base_commit"] == sys.argv[3], r
assert (r["file"], r["function"], r["lines"], r["start_line"], r["end_line"]) == \
    ("inventory/models.py", "validate", [11], 8, 13), r
assert r["tests"] == ["tests/test_models.py::test_zero_quantity",
                      "tests.test_store.StoreTest.test_add"], r["tests"]
assert r["issue"].startswith("Failing tests: tests/test_models.py::test_zero_quantity"), r["issue"]
assert r["trace"] is None
PY
# one project's folder works too
"$B" import --format bugsinpy --in "$P" --repos "$T/repos" --out "$T/bip1.jsonl" 2>"$T/bip1.err" ||
	fail "bugsinpy one project: $(cat "$T/bip1.err")"
grep -q '1 records .* 2 skipped (first: inv-2: the patch does not apply' "$T/bip1.err" ||
	fail "bugsinpy one project: $(cat "$T/bip1.err")"

# ---- Defects4J: a Java project --------------------------------------------------------------
J=$T/repos/Calc
mkdir -p "$J/src/main/java/org/calc" "$J/src/test/java/org/calc"
cat >"$J/src/main/java/org/calc/MathUtil.java" <<'JAVA'
package org.calc;

public class MathUtil {
    public static int clamp(int v, int lo, int hi) {
        if (v < lo) {
            return lo;
        }
        if (v > hi) {
            return hi;
        }
        return v;
    }

    public static int sum(int[] xs) {
        int s = 0;
        for (int i = 0; i < xs.length; i++) {
            s += xs[i];
        }
        return s;
    }

    public static int max(int a, int b) {
        return a > b ? a : b;
    }
}
JAVA
cat >"$J/src/test/java/org/calc/MathUtilTest.java" <<'JAVA'
package org.calc;

public class MathUtilTest {
    public void testSum() {
        assert MathUtil.sum(new int[] {1, 2, 3}) == 6;
    }
}
JAVA
gj() { git -C "$J" "$@"; }
gj init -q && gj add -A && gj commit -qm "math utilities" || fail git
sed -i 's/i < xs.length; i++/i < xs.length - 1; i++/' "$J/src/main/java/org/calc/MathUtil.java"
gj commit -qam "Speed up sum" || fail git
JBUG=$(gj rev-parse HEAD)
sed -i 's/i < xs.length - 1; i++/i < xs.length; i++/' "$J/src/main/java/org/calc/MathUtil.java"
gj commit -qam "CALC-7: sum drops the last element" || fail git
JFIX=$(gj rev-parse HEAD)
D=$T/d4j/framework/projects/Calc
mkdir -p "$D/patches" "$D/trigger_tests" "$D/modified_classes"
{
	echo "bug.id,revision.id.buggy,revision.id.fixed,report.id,report.url"
	echo "1,$JBUG,$JFIX,CALC-7,https://example.org/CALC-7"
	echo "2,$JFIX,$JFIX,CALC-8,https://example.org/CALC-8"
} >"$D/active-bugs.csv"
# Defects4J's patches go from the fixed revision to the buggy one
gj diff "$JFIX" "$JBUG" -- src/main >"$D/patches/1.src.patch"
cp "$D/patches/1.src.patch" "$D/patches/2.src.patch"
cat >"$D/trigger_tests/1" <<'TR'
--- org.calc.MathUtilTest::testSum
java.lang.AssertionError: expected:<6> but was:<3>
	at org.junit.Assert.fail(Assert.java:88)
	at org.calc.MathUtilTest.testSum(MathUtilTest.java:5)
TR
cp "$D/trigger_tests/1" "$D/trigger_tests/2"
echo "org.calc.MathUtil" >"$D/modified_classes/1.src"
"$B" import --format defects4j --in "$T/d4j/framework/projects" --repos "$T/repos" --out "$T/d4j.jsonl" \
	2>"$T/d4j.err" || fail "defects4j import: $(cat "$T/d4j.err")"
grep -q '1 records .* 1 skipped (first: Calc-2: the patch does not apply' "$T/d4j.err" ||
	fail "defects4j counts: $(cat "$T/d4j.err")"
python3 - "$T/d4j.jsonl" "$JBUG" "$JFIX" <<'PY' || fail "defects4j record"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 1, r
r = r[0]
assert r["id"] == "Calc-1" and r["source"] == "defects4j", r
assert r["rev"] == sys.argv[2] and r["base_commit"] == sys.argv[3], r
assert (r["file"], r["function"], r["lines"], r["start_line"], r["end_line"]) == \
    ("src/main/java/org/calc/MathUtil.java", "sum", [16], 14, 20), r
assert r["tests"] == ["org.calc.MathUtilTest::testSum"], r["tests"]
assert "java.lang.AssertionError: expected:<6> but was:<3>" in r["issue"], r["issue"]
assert "MathUtilTest.java:5" in r["trace"], r["trace"]
PY
# the imported manifest runs through batch's reader (manifest round trip keeps tests/trace)
"$B" batch report --help >/dev/null 2>&1

# ---- malformed metadata ---------------------------------------------------------------------
printf 'bug.id,revision.id.buggy,revision.id.fixed\n1,%s\nx,%s,%s\n' "$JBUG" "$JBUG" "$JFIX" >"$D/active-bugs.csv"
err=$("$B" import --format defects4j --in "$D" --repos "$T/repos" --out "$T/x.jsonl" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'active-bugs.csv: active-bugs.csv line 2: fewer than 3 fields' ||
	fail "malformed csv: $rc $err"
printf 'id,buggy,fixed\n' >"$D/active-bugs.csv"
err=$("$B" import --format defects4j --in "$D" --repos "$T/repos" --out "$T/x.jsonl" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'expected the header' || fail "bad header: $rc $err"
err=$("$B" import --format defects4j --in "$T/bugsinpy/projects" --repos "$T/repos" --out "$T/x.jsonl" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'holds no defects4j project' || fail "wrong format: $rc $err"
[ ! -e "$T/x.jsonl" ] || fail "a manifest written on error"
echo "dataset import: ok"
