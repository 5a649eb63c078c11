"""check_fixtures.py CODECOMP REPOS - expectations on the fixture repositories' graphs.

Every expectation is derived from the fixture sources (fixtures/repos/*), read here
independently: line numbers and byte offsets are located in the file text, call targets are
what a reader of the code would name. Run by tests/store/fixtures.sh after indexing.
"""
import json
import os
import subprocess
import sys

CODECOMP, REPOS = sys.argv[1], sys.argv[2]
failures = 0
checks = 0


def check(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", what, file=sys.stderr)


def run(*args):
    out = subprocess.run([CODECOMP, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("codecomp %s failed: %s" % (" ".join(args), out.stderr))
    return json.loads(out.stdout)


def nodes(repo, path, rev="HEAD"):
    return run("nodes", "--json", "--rev", rev, os.path.join(REPOS, repo), path)


def edges(repo, path, rev="HEAD"):
    return run("edges", "--json", "--rev", rev, os.path.join(REPOS, repo), path)


def source(repo, path, rev="HEAD"):
    return subprocess.run(["git", "-C", os.path.join(REPOS, repo), "show", "%s:%s" % (rev, path)],
                          capture_output=True, check=True).stdout


def line_of(src, text, nth=0):
    """1-based line of the nth occurrence of text in src (bytes)."""
    pos = -1
    for _ in range(nth + 1):
        pos = src.index(text.encode(), pos + 1)
    return src[:pos].count(b"\n") + 1


def find(ns, kind, name=None, line=None):
    hits = [n for n in ns if n["kind"] == kind and (name is None or n["name"] == name)
            and (line is None or n["start_line"] == line)]
    return hits


def one(ns, kind, name=None, line=None):
    hits = find(ns, kind, name, line)
    check(len(hits) == 1, "exactly one %s %s at line %s (found %d)" % (kind, name, line, len(hits)))
    return hits[0] if hits else {"id": -1, "start_byte": 0, "end_byte": 0, "start_line": 0,
                                 "end_line": 0}


def calls_from(es, src_id):
    return [e for e in es if e["kind"] == "call" and e["src"] == src_id]


def check_spans(repo, path, ns, rev="HEAD"):
    src = source(repo, path, rev)
    for n in ns:
        ok = 0 <= n["start_byte"] <= n["end_byte"] <= len(src) and \
            1 <= n["start_line"] <= n["end_line"] and \
            src[:n["start_byte"]].count(b"\n") + 1 == n["start_line"]
        check(ok, "%s: span of %s %s is consistent with the file" % (path, n["kind"], n["name"]))
        if n["kind"] in ("method", "call", "type_decl", "param") and n["name"]:
            text = src[n["start_byte"]:n["end_byte"]]
            check(n["name"].split(".")[-1].encode() in text,
                  "%s: %s %s spans its name" % (path, n["kind"], n["name"]))
    ids = [n["id"] for n in ns]
    check(len(set(ids)) == len(ids), "%s: node ids are unique" % path)


def check_python():
    app = nodes("python", "app.py")
    util = nodes("python", "pkg/util.py")
    shapes = nodes("python", "pkg/shapes.py")
    src = source("python", "app.py")
    for p, ns in (("app.py", app), ("pkg/util.py", util), ("pkg/shapes.py", shapes)):
        check_spans("python", p, ns)

    run_m = one(app, "method", "run", line_of(src, "def run"))
    check(run_m["end_line"] == line_of(src, "return self.finish(total)"),
          "Runner.run ends at its last statement")
    check(src[run_m["start_byte"]:].startswith(b"def run"), "Runner.run starts at 'def run'")
    one(app, "type_decl", "Runner", line_of(src, "class Runner"))
    for m in ("finish", "paint", "main"):
        one(app, "method", m, line_of(src, "def " + m))
    one(app, "param", "n", line_of(src, "def run"))
    check(len(find(app, "import")) >= 2, "app.py's two import statements are import nodes")
    check(find(app, "control", None, line_of(src, "for i in")) != [], "the for loop is a control node")
    check(find(app, "control", None, line_of(src, "if i % 2")) != [], "the if is a control node")
    check(find(app, "predicate", None, line_of(src, "if i % 2")) != [], "the if has a predicate")
    check(len(find(app, "return")) == 4, "app.py has 4 return statements")

    es = edges("python", "app.py")
    ids = {n["id"] for n in app}
    check(all(e["src"] in ids for e in es), "every edge of app.py starts in app.py")
    kinds = {e["kind"] for e in es}
    check({"ast", "contains", "call"} <= kinds, "app.py has ast, contains and call edges")
    inside = [n for n in app if run_m["start_byte"] <= n["start_byte"] and
              n["end_byte"] <= run_m["end_byte"] and n["id"] != run_m["id"]]
    contained = {e["dst"] for e in es if e["kind"] == "contains" and e["src"] == run_m["id"]}
    check(inside and all(n["id"] in contained for n in inside),
          "Runner.run contains every node inside it")

    # helper(i): imported from pkg.util -> the definition in pkg/util.py
    helper_call = one(app, "call", "helper")
    helper_def = one(util, "method", "helper")
    cs = calls_from(es, helper_call["id"])
    check([e["dst"] for e in cs] == [helper_def["id"]], "helper(i) resolves to pkg/util.py:helper")
    check(cs and cs[0]["confidence"] >= 0.8, "an imported call is resolved with high confidence")
    # self.finish(total) -> Runner.finish in the same file, certain
    fin_call = one(app, "call", "finish")
    fin_def = one(app, "method", "finish")
    cs = calls_from(es, fin_call["id"])
    check([e["dst"] for e in cs] == [fin_def["id"]] and cs[0]["confidence"] == 1.0,
          "self.finish() resolves to Runner.finish with confidence 1")
    # thing.draw(): receiver type unknown -> both draw methods, sharing the confidence
    draw_call = one(app, "call", "draw")
    draws = {n["id"] for n in find(shapes, "method", "draw")}
    cs = calls_from(es, draw_call["id"])
    check(len(draws) == 2 and {e["dst"] for e in cs} == draws, "thing.draw() has both candidates")
    check(len(cs) == 2 and cs[0]["confidence"] == cs[1]["confidence"] < 1.0 and
          sum(e["confidence"] for e in cs) <= 1.0001, "ambiguous candidates share the confidence")
    # shapes.Circle(1): a class call resolves to its constructor
    circ = one(app, "call", "Circle")
    init = one(shapes, "method", "__init__")
    check([e["dst"] for e in calls_from(es, circ["id"])] == [init["id"]],
          "shapes.Circle(1) resolves to Circle.__init__")
    # range()/len() are builtins: no definition in the repository, no edge
    for b in ("range", "len"):
        c = one(app, "call", b)
        check(calls_from(es, c["id"]) == [], "builtin %s() has no call edge" % b)
    # total flows from `total = 0` to the use in self.finish(total)
    defn = one(app, "assignment", "total", line_of(src, "total = 0"))
    uses = [n["id"] for n in find(app, "identifier", "total", line_of(src, "self.finish(total)"))]
    check(any(e["kind"] == "reaching_def" and e["src"] == defn["id"] and e["dst"] in uses
              and e["var"] == "total" for e in es), "total = 0 reaches self.finish(total)")

    # v1 (HEAD~1): finish() did not call clamp yet; v2 adds that call and its edge.
    v1 = nodes("python", "app.py", "HEAD~1")
    check(find(v1, "call", "clamp") == [], "v1 has no clamp() call")
    clamp_call = one(app, "call", "clamp")
    clamp_def = one(util, "method", "clamp")
    check([e["dst"] for e in calls_from(es, clamp_call["id"])] == [clamp_def["id"]],
          "v2's clamp() call resolves to pkg/util.py:clamp")
    # pkg/util.py is the same blob in both revisions: same node ids
    check(nodes("python", "pkg/util.py", "HEAD~1") == util, "an unchanged file keeps its node ids")

    idx = json.load(open(os.path.join(REPOS, "..", "python.index.json")))
    check(idx["files"] == 4 and idx["skipped"] == [], "python: 4 files indexed, none skipped")
    total_nodes = sum(len(nodes("python", p)) for p in
                      ("app.py", "pkg/util.py", "pkg/shapes.py", "pkg/__init__.py"))
    check(idx["nodes"] == total_nodes, "index summary counts the nodes of every file")
    total_edges = sum(len(edges("python", p)) for p in
                      ("app.py", "pkg/util.py", "pkg/shapes.py", "pkg/__init__.py"))
    check(idx["edges"] == total_edges, "index summary counts intra-file and call edges")


def check_c():
    main = nodes("c", "src/main.c")
    util = nodes("c", "src/util.c")
    src = source("c", "src/main.c")
    check_spans("c", "src/main.c", main)
    check_spans("c", "src/util.c", util)
    for m in ("twice", "main"):
        one(main, "method", m, line_of(src, m + "("))
    add_def = one(util, "method", "add")
    twice_def = one(main, "method", "twice")
    check(find(main, "control", None, line_of(src, "for (")) != [], "for is a control node")
    check(find(main, "control", None, line_of(src, "while (")) != [], "while is a control node")
    check(find(main, "predicate", None, line_of(src, "if (i > 1)")) != [], "if has a predicate")
    es = edges("c", "src/main.c")
    add_call = one(main, "call", "add")
    cs = calls_from(es, add_call["id"])
    check([e["dst"] for e in cs] == [add_def["id"]] and cs[0]["confidence"] >= 0.8,
          "add() in main.c resolves to util.c:add (through #include \"util.h\")")
    cs = calls_from(es, one(main, "call", "twice")["id"])
    check([e["dst"] for e in cs] == [twice_def["id"]] and cs[0]["confidence"] == 1.0,
          "twice() resolves to the static function of the same file")
    check(calls_from(es, one(main, "call", "printf")["id"]) == [], "printf() has no definition here")


def check_java():
    main = nodes("java", "src/demo/Main.java")
    util = nodes("java", "src/demo/Util.java")
    src = source("java", "src/demo/Main.java")
    check_spans("java", "src/demo/Main.java", main)
    one(main, "type_decl", "Main", line_of(src, "class Main"))
    run_m = one(main, "method", "run", line_of(src, "int run("))
    helper_def = one(main, "method", "helper", line_of(src, "int helper("))
    twice_def = one(util, "method", "twice")
    es = edges("java", "src/demo/Main.java")
    cs = calls_from(es, one(main, "call", "twice")["id"])
    check([e["dst"] for e in cs] == [twice_def["id"]] and cs[0]["confidence"] >= 0.8,
          "Util.twice(k) resolves to Util.twice")
    cs = calls_from(es, one(main, "call", "helper")["id"])
    check([e["dst"] for e in cs] == [helper_def["id"]] and cs[0]["confidence"] == 1.0,
          "this.helper(t) resolves to Main.helper")
    check(find(main, "control", None, line_of(src, "while (")) != [], "while is a control node")
    check(len(find(main, "return")) == 3, "Main.java has 3 returns")
    check(run_m["end_line"] == line_of(src, "return this.helper(t);") + 1, "run ends at its brace")


for name, fn in (("python", check_python), ("c", check_c), ("java", check_java)):
    before = failures
    try:
        fn()
    except SystemExit as e:
        failures += 1
        print("FAIL: %s: %s" % (name, e), file=sys.stderr)
    print("%s: %s" % (name, "ok" if failures == before else "%d failures" % (failures - before)))
print("%d checks, %d failed" % (checks, failures))
sys.exit(1 if failures else 0)
