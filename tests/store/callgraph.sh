# callgraph.sh - call resolution on a small repository per language (tests/store/callgraph_check.py
# holds the cases: shadowing parameters, typed receivers, module and package receivers, literal
# and foreign receivers, relative/aliased imports, function pointers, header detection).
source "$(dirname "$0")/lib.sh"
python3 "$CC_SOURCE_DIR/tests/store/callgraph_check.py" "$CODECOMP" "$WORK"
