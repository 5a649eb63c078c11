# incremental.sh - indexing the second commit after the first parses only the blob that
# changed; re-indexing parses nothing; both revisions stay readable side by side.
source "$(dirname "$0")/lib.sh"
make_fixtures
R="$WORK/repos/python"
"$CODECOMP" index --json --rev HEAD~1 "$R" > "$WORK/v1.json"
[ "$(json "$WORK/v1.json" 'j["parsed_blobs"]')" = 4 ] || fail "v1 should parse its 4 blobs"
[ "$(json "$WORK/v1.json" 'j["reused_blobs"]')" = 0 ] || fail "v1 reuses nothing"
"$CODECOMP" index --json "$R" > "$WORK/v2.json"
# v2 changes app.py only: one new blob, three shared with v1
[ "$(json "$WORK/v2.json" 'j["parsed_blobs"]')" = 1 ] || fail "v2 should parse only app.py: $(cat "$WORK/v2.json")"
[ "$(json "$WORK/v2.json" 'j["reused_blobs"]')" = 3 ] || fail "v2 should reuse 3 blobs"
[ "$(json "$WORK/v2.json" 'j["files"]')" = 4 ] || fail "v2 has 4 files"
"$CODECOMP" index --json "$R" > "$WORK/v2b.json"
[ "$(json "$WORK/v2b.json" 'j["parsed_blobs"]')" = 0 ] || fail "re-indexing HEAD parses nothing"
[ "$(json "$WORK/v2b.json" 'j["nodes"]')" = "$(json "$WORK/v2.json" 'j["nodes"]')" ] ||
	fail "re-indexing HEAD gives the same totals"
# Both revisions answer, and differ where the commit changed app.py.
"$CODECOMP" nodes --json --rev HEAD~1 "$R" app.py > "$WORK/n1.json"
"$CODECOMP" nodes --json --rev HEAD "$R" app.py > "$WORK/n2.json"
[ "$(json "$WORK/n1.json" 'sum(n["name"]=="clamp" for n in j)')" = 0 ] || fail "v1 app.py has no clamp"
[ "$(json "$WORK/n2.json" 'sum(n["name"]=="clamp" and n["kind"]=="call" for n in j)')" = 1 ] ||
	fail "v2 app.py calls clamp"
# A third commit touching one file, indexed after the others: again one parsed blob.
# (imported: a name neither defined nor imported in a Python file resolves to nothing)
printf '\nfrom .util import helper\n\ndef extra():\n    return helper(1)\n' >> "$R/pkg/shapes.py"
git -C "$R" commit -qam v3
"$CODECOMP" index --json "$R" > "$WORK/v3.json"
[ "$(json "$WORK/v3.json" 'j["parsed_blobs"]')" = 1 ] || fail "v3 parses one blob"
[ "$(json "$WORK/v3.json" 'j["edges"] > 0')" = True ] || fail "v3 has edges"
"$CODECOMP" edges --json "$R" pkg/shapes.py > "$WORK/e3.json"
[ "$(json "$WORK/e3.json" 'sum(e["kind"]=="call" for e in j)')" = 1 ] ||
	fail "the new helper(1) call in shapes.py has one call edge"
echo ok
