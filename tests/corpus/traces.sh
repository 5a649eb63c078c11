#!/bin/bash
# `codecomp mutate --traces`: a small Python project with unittest tests; mutants of the
# functions the tests exercise get a trace (a Traceback whose paths are relative to the
# repository and name the mutated file) and the failing test ids; a test that already fails
# unmutated is never run for mutants; a test trying to write outside its scratch copy cannot
# (when the sandbox is available) and the scratch copies are gone afterwards; the trace feeds
# `codecomp localize --trace-file` (with the shared model, skipped without it).
set -u
B="${CC_BIN:-build/bin}/codecomp"
SRC=${CC_SOURCE_DIR:-$PWD}
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$B" ] || fail "no $B"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
T=$(mktemp -d); trap 'chmod -R u+w "$T" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export TMPDIR=$T/tmp; mkdir -p "$TMPDIR"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
export GIT_AUTHOR_DATE=2024-01-01T00:00:00Z GIT_COMMITTER_DATE=2024-01-01T00:00:00Z
R=$T/inv
mkdir -p "$R/tests"
cp -R "$SRC/fixtures/example/." "$R/"
touch "$R/tests/__init__.py"
cat >"$R/tests/test_models.py" <<'PY'
import unittest

from inventory.models import Item, ValidationError, validate


class ModelsTest(unittest.TestCase):
    def test_validate(self):
        self.assertEqual(validate(" Bolt ", 0), "bolt")
        self.assertRaises(ValidationError, validate, "", 1)
        self.assertRaises(ValidationError, validate, "x", -1)

    def test_value(self):
        self.assertEqual(Item("nut", 3, 2.5).value(), 7.5)
        self.assertEqual(Item("nut", 2, 1.0).describe(), "nut x2")
PY
cat >"$R/tests/test_broken.py" <<PY
import unittest


class BrokenTest(unittest.TestCase):
    def test_always_fails(self):
        open("$T/escaped-from-base", "w").write("x")
        self.fail("broken before any mutant")
PY
cat >"$R/tests/test_escape.py" <<PY
import unittest

from inventory import models


class EscapeTest(unittest.TestCase):
    def test_write_outside(self):
        try:
            open("$T/escaped", "w").write("x")
        except OSError:
            pass
        self.assertTrue(models.validate("a", 1))
PY
git -C "$R" init -q && git -C "$R" add -A && git -C "$R" commit -qm "inventory with tests" || fail git
"$B" index "$R" >/dev/null 2>&1 || fail index
"$B" mutate --repo "$R" --count 30 --seed 3 --out "$T/m.jsonl" --traces --test-timeout 30 2>"$T/err" ||
	fail "mutate --traces: $(cat "$T/err")"
grep -q 'traces: 2 test files pass unmutated' "$T/err" || fail "base runs: $(cat "$T/err")"
SANDBOXED=0
grep -q 'traces:.*sandboxed (read-only mounts' "$T/err" && SANDBOXED=1
python3 - "$T/m.jsonl" <<'PY' || fail "traces in records: $(cat "$T/err")"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
with_trace = [r for r in recs if r.get("trace")]
assert len(recs) >= 10 and with_trace, (len(recs), len(with_trace))
for r in with_trace:
    t = r["trace"]
    assert "Traceback (most recent call last)" in t or "AssertionError" in t, t
    assert "/tmp" not in t and "codecomp-traces" not in t, t   # repository-relative paths
    assert r["tests"] and all(x.startswith("tests.test_") for x in r["tests"]), r["tests"]
    assert "test_always_fails" not in t, "a test failing unmutated was run for a mutant"
# a mutant of validate() or value() that changes behaviour is caught, naming the file
caught = [r for r in with_trace if r["file"] == "inventory/models.py" and 'inventory/models.py"' in r["trace"]]
assert caught, [(r["function"], r["kind"]) for r in with_trace]
print(len(recs), "mutants,", len(with_trace), "with a trace")
PY
ls "$TMPDIR" | grep -q codecomp-traces && fail "scratch directory left behind"
if [ $SANDBOXED = 1 ]; then
	[ ! -e "$T/escaped" ] && [ ! -e "$T/escaped-from-base" ] || fail "a test wrote outside its scratch copy"
else
	echo "note: user namespaces unavailable, write confinement not checked"
fi
# the trace feeds localize
if [ -f "${CC_MODEL_DIR:-$SRC/../shared/models/pycode-16m}/config.json" ]; then
	M=${CC_MODEL_DIR:-$SRC/../shared/models/pycode-16m}
	python3 - "$T/m.jsonl" "$T" <<'PY'
import json, sys
r = next(json.loads(l) for l in open(sys.argv[1]) if json.loads(l).get("trace") and json.loads(l)["file"] == "inventory/models.py")
open(sys.argv[2] + "/trace.txt", "w").write(r["trace"])
open(sys.argv[2] + "/want", "w").write(r["function"] + "\n" + r["rev"] + "\n")
PY
	REV=$(sed -n 2p "$T/want"); FN=$(sed -n 1p "$T/want")
	"$B" index "$T/inv-mutants" --rev "$REV" >/dev/null 2>&1 || fail "index mutant"
	"$B" localize --repo "$T/inv-mutants" --rev "$REV" --issue "a test fails" --trace-file "$T/trace.txt" \
		--model "$M" --json >"$T/loc.json" 2>"$T/loc.err" || fail "localize: $(cat "$T/loc.err")"
	python3 - "$T/loc.json" "$FN" <<'PY' || fail "localize with the trace"
import json, sys
j = json.load(open(sys.argv[1]))
hits = j["results"]
names = [h.get("function") or h.get("name") for h in hits[:5]]
assert any(n and n.split(".")[-1] == sys.argv[2] for n in names), (names, sys.argv[2])
PY
else
	echo "note: no model, localize --trace-file not run"
fi
echo "traces: ok"
