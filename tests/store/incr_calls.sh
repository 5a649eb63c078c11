# incr_calls.sh - indexing revision B after A carries A's call resolution forward only where it
# is still valid: after each commit of a history (a new definition of an existing name in
# another file, a definition deleted, a file removed, a constructor added, an unrelated edit)
# the incrementally indexed revision has exactly the call edges and confidences of a clean
# index of the same commit, and the run re-resolved only some files.
source "$(dirname "$0")/lib.sh"
R="$WORK/repo"
mkdir -p "$R"
git init -q "$R"
cat > "$R/a.py" <<'EOF'
def helper(x):
    return x + 1

class Shape:
    def area(self):
        return 0

class Widget:
    pass
EOF
cat > "$R/b.py" <<'EOF'
from a import helper, Shape

def use(s):
    helper(2)
    s.area()
    return Shape()
EOF
cat > "$R/c.py" <<'EOF'
def plain():
    helper(3)
    w = Widget()
    return w.area()
EOF
cat > "$R/d.py" <<'EOF'
def run():
    return 1

def main():
    return run()
EOF
git -C "$R" add -A
git -C "$R" commit -qm A

step() { # NAME [--worktree]: commit the work tree (or not, with --worktree), index it
	# incrementally and cleanly, compare
	local wt=${2:-}
	if [ -z "$wt" ]; then
		git -C "$R" add -A
		git -C "$R" commit -qm "$1"
	fi
	CODECOMP_TIMING=1 "$CODECOMP" index --json --db "$WORK/incr.db" $wt "$R" > "$WORK/$1.incr.json" \
		2> "$WORK/$1.timing" || fail "$1: incremental index failed: $(cat "$WORK/$1.timing")"
	rm -f "$WORK/clean.db"*
	"$CODECOMP" index --json --db "$WORK/clean.db" $wt "$R" > "$WORK/$1.clean.json" ||
		fail "$1: clean index failed"
	python3 - "$CODECOMP" "$R" "$WORK/incr.db" "$WORK/clean.db" "$1" "$wt" <<'PY' || exit 1
import json, sqlite3, subprocess, sys
cc, repo, incr, clean, name, wt = sys.argv[1:]
def calls(db):
    """Call edges of HEAD (or the work tree) as (src file, src index, dst file, dst index,
    confidence)."""
    head = "worktree" if wt else subprocess.check_output(["git", "-C", repo, "rev-parse", "HEAD"], text=True).strip()
    c = sqlite3.connect(db)
    rows = c.execute("select f.path, f.blob_id, f.n_calls from rev_files f join revs r on "
                     "r.id = f.rev_id where r.commit_hex = ?", (head,)).fetchall()
    path_of = {}
    for path, blob, _ in rows:
        path_of.setdefault(blob, path)
    out, counts = [], {}
    for path, _, n in sorted(rows):
        es = json.loads(subprocess.check_output([cc, "edges", "--json", "--db", db] +
                                                ([wt] if wt else []) + [repo, path]))
        es = [e for e in es if e["kind"] == "call"]
        if len(es) != n:
            sys.exit(f"FAIL: {name}: {db}: {path} stores {n} call edges, reading gives {len(es)}")
        counts[path] = n
        for e in es:
            out.append((path, e["src"] & 0xFFFFFF, path_of[e["dst"] >> 24], e["dst"] & 0xFFFFFF,
                        round(e["confidence"], 6)))
    return sorted(out), counts
a, ca = calls(incr)
b, cb = calls(clean)
if ca != cb:
    sys.exit(f"FAIL: {name}: per-file call counts differ: incremental {ca}, clean {cb}")
if a != b:
    sys.exit(f"FAIL: {name}: call edges differ:\n incremental {a}\n clean       {b}")
ji = json.load(open(f"{incr[:-len('incr.db')]}{name}.incr.json"))
jc = json.load(open(f"{incr[:-len('incr.db')]}{name}.clean.json"))
if ji["edges"] != jc["edges"] or ji["nodes"] != jc["nodes"]:
    sys.exit(f"FAIL: {name}: totals differ: incremental {ji}, clean {jc}")
PY
	grep -q "files carried" "$WORK/$1.timing" || fail "$1: no linking statistics"
}
# carried N: how many files kept the previous revision's resolution
carried() { sed -n 's/.*calls: \([0-9]*\) files carried.*/\1/p' "$WORK/$1.timing"; }
resolved() { sed -n 's/.* \([0-9]*\) resolved.*/\1/p' "$WORK/$1.timing"; }

CODECOMP_TIMING=1 "$CODECOMP" index --json --db "$WORK/incr.db" "$R" > /dev/null 2> "$WORK/A.timing"
[ "$(resolved A)" = 4 ] || fail "the first revision resolves every file: $(cat "$WORK/A.timing")"

# A new definition of an existing name in another file: c.py's bare helper(3) gains a
# candidate (b.py imports a's and keeps one); b.py and c.py are re-resolved, a.py and d.py
# (which call no helper) are carried.
cat > "$R/e.py" <<'EOF'
def helper(y):
    return y
EOF
step new-def
[ "$(carried new-def)" = 2 ] || fail "new-def: a.py and d.py are carried: $(cat "$WORK/new-def.timing")"

# A definition deleted: Shape.area goes, the s.area() and w.area() calls lose their edges.
python3 - "$R/a.py" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace("    def area(self):\n        return 0\n", "    size = 1\n")
open(p, "w").write(s)
PY
step del-def
[ "$(carried del-def)" = 2 ] || fail "del-def: d.py and e.py (no area calls) are carried"

# A file removed: c.py's helper(3) is back to one candidate.
git -C "$R" rm -q e.py
step rm-file
[ "$(carried rm-file)" = 2 ] || fail "rm-file: a.py and d.py are carried"

# A constructor added in a class of another file: Widget() in c.py now resolves to it.
cat >> "$R/d.py" <<'EOF'

class Widget:
    def __init__(self):
        self.n = 0
EOF
step ctor
[ "$(resolved ctor)" = 2 ] || fail "ctor: c.py (calls Widget) and d.py are resolved"
python3 - "$WORK/ctor.clean.json" "$WORK/rm-file.clean.json" <<'PY' ||
import json, sys
assert json.load(open(sys.argv[1]))["edges"] > json.load(open(sys.argv[2]))["edges"]
PY
	fail "ctor: the constructor adds call edges"

# An edit whose only new definition is called nowhere: every other file is carried.
printf '\ndef lonely():\n    return 2\n' >> "$R/d.py"
step unrelated
[ "$(resolved unrelated)" = 1 ] || fail "unrelated: only d.py is resolved: $(cat "$WORK/unrelated.timing")"
[ "$(carried unrelated)" = 3 ] || fail "unrelated: a.py b.py c.py are carried"

# The working tree, twice with different uncommitted edits: the second run's base is the
# first (which it replaces), so it carries the files the edit cannot affect.
printf '\ndef wt_one():\n    return run()\n' >> "$R/d.py"
step wt1 --worktree
printf '\ndef wt_two():\n    return helper(5)\n' >> "$R/d.py"
step wt2 --worktree
[ "$(resolved wt2)" = 1 ] || fail "wt2: only d.py is resolved: $(cat "$WORK/wt2.timing")"
git -C "$R" checkout -q -- d.py

# A previous revision without counts (as a database upgraded from schema version 2 has): the
# next revision resolves every file, and still agrees with a clean index.
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("update rev_files set n_calls=-1 where rev_id=(select max(id) from revs)"); c.commit()' "$WORK/incr.db"
printf '\ndef helper(z):\n    return z\n' >> "$R/d.py"
step no-counts
[ "$(resolved no-counts)" = 4 ] || fail "no-counts: every file is resolved: $(cat "$WORK/no-counts.timing")"

# C++ namespaces opened by a macro another file defines (cg13): a commit changing only the
# macro moves the definitions of files it did not touch, and one moving a definition out of
# the macro's namespace (its closing line moved) changes only that file's namespaces; both
# agree with a clean index (use.cc is not carried with its old counts; `namespace aux` makes
# the headers C++)
mkdir -p "$R/cx"
printf '#define LIB_BEGIN namespace lib {\n#define LIB_END }\n' > "$R/cx/base.h"
printf '#include "base.h"\nnamespace aux { }\nLIB_BEGIN\ninline int fmt1(int x) { return x; }\nLIB_END\ninline int fmt2(int x) { return x; }\n' > "$R/cx/f.h"
printf 'namespace aux { }\ninline int fmt1(long x) { return 0; }\ninline int fmt2(long x) { return 0; }\n' > "$R/cx/o.h"
printf '#include "f.h"\n#include "o.h"\nint a() { return lib::fmt1(1) + lib2::fmt2(2); }\n' > "$R/cx/use.cc"
step ns-add
sed -i 's/namespace lib {/namespace lib2 {/' "$R/cx/base.h"
step ns-macro
printf '#include "base.h"\nnamespace aux { }\nLIB_BEGIN\ninline int fmt1(int x) { return x; }\ninline int fmt2(int x) { return x; }\nLIB_END\n' > "$R/cx/f.h"
step ns-move

# JS members set to bound functions (cg18): `s.go()` in use.js is the function bind.js binds
# to `go`; a commit rebinding it (use.js unchanged), then one deleting the bound function's
# definition and one restoring it from another file bind.js imports, agree with a clean index
mkdir -p "$R/js"
printf 'function run1(t) { return t; }\nfunction run2(t) { return t; }\nexport const add = (t) => { t.go = run1.bind(undefined, t); };\n' > "$R/js/bind.js"
printf 'export function u(s) { return s.go(); }\n' > "$R/js/use.js"
step js-bind
sed -i 's/run1.bind/run2.bind/' "$R/js/bind.js"
step js-rebind
sed -i 's/^function run2(t) { return t; }$//' "$R/js/bind.js"
step js-target-gone
printf 'export function run2(t) { return t; }\n' > "$R/js/run.js"
sed -i '1i import {run2} from "./run.js";' "$R/js/bind.js"
step js-target-import
# Python constructors and __call__ through a base (gopy20): `Kid()` of a class without __init__
# runs its base's, `k(1)` its base's __call__; a commit adding both to the base (only f.py
# changes) changes g.py's calls, and one removing them again: both agree with a clean index
mkdir -p "$R/py"
printf 'class Base:\n    pass\n\n\nclass Kid(Base):\n    pass\n' > "$R/py/f.py"
printf 'from .f import Kid\n\n\ndef mk():\n    k = Kid()\n    return k(1)\n' > "$R/py/g.py"
touch "$R/py/__init__.py"
step py-sub
printf 'class Base:\n    def __init__(self):\n        self.n = 0\n\n    def __call__(self, v):\n        return v\n\n\nclass Kid(Base):\n    pass\n' > "$R/py/f.py"
step py-init
printf 'class Base:\n    pass\n\n\nclass Kid(Base):\n    pass\n' > "$R/py/f.py"
step py-init-gone
# Go package-level variables (cg24): `V.M()` / `V.N()` in use.go are methods of V's type, which
# only vars.go declares; a commit retyping V (use.go and types.go unchanged), one removing it
# (name-only guesses again) and one declaring it in a new file agree with a clean index
mkdir -p "$R/gov"
printf 'package gov\n\ntype A struct{}\n\nfunc (a *A) M() {}\n\ntype B struct{}\n\nfunc (b *B) M() {}\n\nfunc (b *B) N() {}\n' > "$R/gov/types.go"
printf 'package gov\n\nvar V = &A{}\n' > "$R/gov/vars.go"
printf 'package gov\n\nfunc Use() {\n\tV.M()\n\tV.N()\n}\n' > "$R/gov/use.go"
step go-var
sed -i 's/&A{}/\&B{}/' "$R/gov/vars.go"
step go-var-retype
printf 'package gov\n' > "$R/gov/vars.go"
step go-var-gone
printf 'package gov\n\nvar V B\n' > "$R/gov/more.go"
step go-var-new-file
# Python module variables and pytest fixtures (cg25): `X.m()` in pyv/use.py takes X's class from
# pyv/vars.py, `app.m()` in pyv/tests/test_u.py the conftest fixture's; commits retyping X, the
# fixture's value, removing the fixture, and adding it back in a new conftest.py (use.py and
# test_u.py unchanged) agree with a clean index
mkdir -p "$R/pyv/tests"
printf 'class A:\n    def m(self):\n        pass\n\n\nclass B:\n    def m(self):\n        pass\n\n    def n(self):\n        pass\n' > "$R/pyv/types.py"
printf 'from .types import A\n\nX = A()\n' > "$R/pyv/vars.py"
printf 'from .vars import X\n\n\ndef use():\n    X.m()\n    X.n()\n' > "$R/pyv/use.py"
printf 'import pytest\nfrom pyv.types import A\n\n\n@pytest.fixture\ndef app():\n    return A()\n' > "$R/pyv/tests/conftest.py"
printf 'def test_u(app):\n    app.m()\n    app.n()\n' > "$R/pyv/tests/test_u.py"
touch "$R/pyv/__init__.py"
step py-var
sed -i 's/import A/import B/; s/A()/B()/' "$R/pyv/vars.py"
step py-var-retype
sed -i 's/import A/import B/; s/A()/B()/' "$R/pyv/tests/conftest.py"
step py-fixture-retype
git -C "$R" rm -q "$R/pyv/tests/conftest.py"
step py-fixture-gone
printf 'import pytest\nfrom pyv.types import B\n\n\n@pytest.fixture\ndef app():\n    return B()\n' > "$R/pyv/conftest.py"
step py-fixture-new-file
# JS/TS renaming re-exports (cg35): `string()` in tsr/test.ts reaches tsr/s.ts's create through
# tsr/index.ts's `export { sCreate as string }`; commits renaming that export away and back
# (s.ts and test.ts unchanged) agree with a clean index
mkdir -p "$R/tsr"
printf 'export function create(): S { return new S(); }\nexport class S { email() { return this; } }\n' > "$R/tsr/s.ts"
printf "import { create as sCreate } from './s';\nexport { sCreate as string };\n" > "$R/tsr/index.ts"
printf "import { string } from './index';\nexport function t() {\n  string().email();\n}\n" > "$R/tsr/test.ts"
step ts-rename
sed -i 's/sCreate as string/sCreate as str/' "$R/tsr/index.ts"
step ts-rename-away
sed -i 's/sCreate as str/sCreate as string/' "$R/tsr/index.ts"
step ts-rename-back
# JS/TS namespaces (cg36): `util.helper()` in tsn/test.ts reaches tsn/u.ts's helper through
# tsn/index.ts's `export * as util from './u'`; commits removing that re-export and adding it
# back must agree with a clean index (the call is in a file that did not change)
mkdir -p "$R/tsn"
printf 'export function helper() { return 1; }\n' > "$R/tsn/u.ts"
printf "export * as util from './u';\n" > "$R/tsn/index.ts"
printf "import { util } from './index';\nexport function t() {\n  util.helper();\n}\n" > "$R/tsn/test.ts"
step ts-ns
printf "export const util = 1;\n" > "$R/tsn/index.ts"
step ts-ns-away
printf "export * as util from './u';\n" > "$R/tsn/index.ts"
step ts-ns-back
# C++ capitalised factories (cg36): `auto s = Make(); s.Loop()` in cxf/use.cc is the class
# cxf/make.cc's Make declares it returns; a commit changing that return type (use.cc unchanged)
# agrees with a clean index
mkdir -p "$R/cxf"
printf 'class A36 { public: void Loop(); };\nclass B36 { public: void Loop(); };\nA36 Make();\n' > "$R/cxf/make.h"
printf '#include "make.h"\nvoid A36::Loop() {}\nvoid B36::Loop() {}\nA36 Make() { return A36(); }\n' > "$R/cxf/make.cc"
printf '#include "make.h"\nvoid use() {\n  auto s = Make();\n  s.Loop();\n}\n' > "$R/cxf/use.cc"
step cxx-factory
sed -i 's/^A36 Make() { return A36(); }/B36 Make() { return B36(); }/' "$R/cxf/make.cc"
sed -i 's/^A36 Make();/B36 Make();/' "$R/cxf/make.h"
step cxx-factory-ret
echo ok
