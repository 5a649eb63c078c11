# fixtures.sh - index the fixture repositories and check the nodes and edges a reader expects
# (tests/store/check_fixtures.py holds the expectations, derived from the fixture sources).
source "$(dirname "$0")/lib.sh"
make_fixtures
for lang in python c java; do
	"$CODECOMP" index --json --rev HEAD "$WORK/repos/$lang" > "$WORK/$lang.index.json"
done
"$CODECOMP" index --json --rev HEAD~1 "$WORK/repos/python" > "$WORK/python.v1.index.json"
python3 "$CC_SOURCE_DIR/tests/store/check_fixtures.py" "$CODECOMP" "$WORK/repos"
