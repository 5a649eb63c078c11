# lang.sh - a .h header whose content is C++ is indexed as C++ (cc_lang_detect): its class and
# methods appear as type_decl / method, the blob is stored with the language of a .cpp file,
# and a plain C header next to it stays C.
source "$(dirname "$0")/lib.sh"
R="$WORK/repo"
mkdir -p "$R/inc"
git init -q "$R"
cat > "$R/inc/shape.h" <<'EOF'
#pragma once
namespace geo {
class Shape {
public:
    Shape(int w, int h) : w_(w), h_(h) {}
    int area() const { return w_ * h_; }
private:
    int w_, h_;
};
}
EOF
cat > "$R/inc/plain.h" <<'EOF'
struct point { int x, y; };
static inline int norm1(struct point p) { return p.x + p.y; }
EOF
cat > "$R/main.cpp" <<'EOF'
#include "inc/shape.h"
int main() { geo::Shape s(2, 3); return s.area(); }
EOF
cat > "$R/util.c" <<'EOF'
#include "inc/plain.h"
int twice(int x) { return 2 * x; }
EOF
git -C "$R" add -A
git -C "$R" commit -qm one
DB="$WORK/db"
"$CODECOMP" index --json --db "$DB" "$R" > "$WORK/index.json" || fail "index failed"
[ "$(json "$WORK/index.json" 'j["files"]')" = 4 ] || fail "4 files: $(cat "$WORK/index.json")"
"$CODECOMP" nodes --json --db "$DB" "$R" inc/shape.h > "$WORK/shape.json" || fail "nodes shape.h"
[ "$(json "$WORK/shape.json" '[n["kind"] for n in j if n["name"]=="Shape" and n["kind"]=="type_decl"]')" = "['type_decl']" ] ||
	fail "class Shape of the C++ header is a type_decl: $(cat "$WORK/shape.json")"
[ "$(json "$WORK/shape.json" 'sum(n["kind"]=="method" and n["name"]=="area" for n in j)')" = 1 ] ||
	fail "Shape::area of the C++ header is a method"
[ "$(json "$WORK/shape.json" 'sum(n["kind"]=="return" for n in j)')" = 1 ] ||
	fail "area's return statement is found"
"$CODECOMP" nodes --json --db "$DB" "$R" inc/plain.h > "$WORK/plain.json" || fail "nodes plain.h"
[ "$(json "$WORK/plain.json" 'sum(n["kind"]=="method" and n["name"]=="norm1" for n in j)')" = 1 ] ||
	fail "the C header keeps its function"
# The stored language of each blob: shape.h as main.cpp's, plain.h as util.c's.
python3 - "$DB" "$R" <<'PY' || fail "stored languages"
import sqlite3, subprocess, sys
db, repo = sys.argv[1:]
c = sqlite3.connect(db)
def lang(path):
    oid = subprocess.check_output(["git", "-C", repo, "rev-parse", "HEAD:" + path], text=True).strip()
    blob, lang = c.execute("select id, lang from blobs where oid = ?", (bytes.fromhex(oid),)).fetchone()
    # the stored graph (codec.c: "CG" 1, then the language as a varint) says the same
    g = c.execute("select graph from graphs where blob_id = ?", (blob,)).fetchone()[0]
    assert g[:3] == b"CG\x01" and g[3] < 0x80 and g[3] == lang, (path, g[:4], lang)
    return lang
assert lang("inc/shape.h") == lang("main.cpp") != lang("util.c"), "shape.h is stored as C++"
assert lang("inc/plain.h") == lang("util.c"), "plain.h is stored as C"
PY
# The call from main.cpp reaches the method in the header.
"$CODECOMP" edges --json --db "$DB" "$R" main.cpp > "$WORK/edges.json" || fail "edges main.cpp"
[ "$(json "$WORK/edges.json" 'sum(e["kind"]=="call" for e in j) >= 1')" = True ] ||
	fail "s.area() in main.cpp resolves to Shape::area: $(cat "$WORK/edges.json")"
echo ok
