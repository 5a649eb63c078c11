# skips.sh - binary, oversized, vendored, generated, symlinked and excluded files are skipped,
# each listed once with its reason; files in languages codecomp does not analyse are ignored.
source "$(dirname "$0")/lib.sh"
make_fixtures
R="$WORK/repos/skips"
"$CODECOMP" index --json "$R" > "$WORK/s.json"
python3 - "$WORK/s.json" <<'PY' || fail "skip reasons"
import json, sys
j = json.load(open(sys.argv[1]))
got = {s["path"]: s["reason"] for s in j["skipped"]}
want = {"vendor/": "vendored", "third_party/": "vendored", "api_pb2.py": "generated",
        "gen/tables.py": "generated", "blob.c": "binary", "big.py": "too-large",
        "link.py": "symlink"}
assert got == want, got
assert len(j["skipped"]) == len(got), "each skip is listed once"
assert j["files"] == 1 and j["nodes"] > 0, j   # ok.py only; notes.txt is not source
PY
# Configurable: --max-size lets big.py in, --exclude adds a pattern, and
# --no-default-excludes indexes the vendored tree.
"$CODECOMP" index --json --max-size 2000000 --exclude 'ok.*' --no-default-excludes "$R" > "$WORK/s2.json"
python3 - "$WORK/s2.json" <<'PY' || fail "configured skips"
import json, sys
j = json.load(open(sys.argv[1]))
got = {s["path"]: s["reason"] for s in j["skipped"]}
assert got == {"ok.py": "excluded", "blob.c": "binary", "link.py": "symlink"}, got
assert j["files"] == 5, j   # big.py, vendor/lib.py, third_party/x/y.c, api_pb2.py, gen/tables.py
PY
if "$CODECOMP" nodes --json "$R" blob.c 2>"$WORK/err"; then fail "blob.c has no nodes"; fi
grep -q "skipped when indexing (binary)" "$WORK/err" || fail "nodes names the skip: $(cat "$WORK/err")"
echo ok
