#!/usr/bin/env python3
"""Cross-check the Python front end against Python's own `ast` module.

For every function of the Python standard library (or of the files given after --files),
count calls, if/while predicates (elif included), assignments (=, augmented, annotated,
walrus) and returns with `ast`, attributing a nested function's decorators to the enclosing
function and everything else inside it (arguments, annotations, body) to itself, as the graph
does. Compare with `ana_dump --counts` and require agreement on >= 98% of functions.

usage: ast_crosscheck.py ANA_DUMP [--min RATIO] [--max-files N] [--files FILE...]
"""
import ast
import os
import subprocess
import sys
import sysconfig


def ref_counts(tree):
    out = {}

    def count(node, cur):
        # explicit stack: stdlib has deep expressions
        stack = [(node, cur)]
        while stack:
            n, c = stack.pop()
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for d in n.decorator_list:
                    stack.append((d, c))
                fc = out.setdefault((n.lineno, n.name), [0, 0, 0, 0])
                stack.append((n.args, fc))
                if n.returns is not None:
                    stack.append((n.returns, fc))
                for b in n.body:
                    stack.append((b, fc))
                continue
            if c is not None:
                if isinstance(n, ast.Call):
                    c[0] += 1
                elif isinstance(n, (ast.If, ast.While)):
                    c[1] += 1
                elif isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
                    c[2] += 1
                elif isinstance(n, ast.Return):
                    c[3] += 1
            for ch in ast.iter_child_nodes(n):
                stack.append((ch, c))

    count(tree, None)
    return out


def stdlib_files():
    root = sysconfig.get_paths()["stdlib"]
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in ("site-packages", "dist-packages", "__pycache__"))
        files.extend(os.path.join(d, n) for n in sorted(names) if n.endswith(".py"))
    return files


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    tool = sys.argv[1]
    args = sys.argv[2:]
    min_ratio = 0.98
    max_files = 700
    files = None
    while args:
        if args[0] == "--min":
            min_ratio = float(args[1])
            args = args[2:]
        elif args[0] == "--max-files":
            max_files = int(args[1])
            args = args[2:]
        elif args[0] == "--files":
            files = args[1:]
            args = []
        else:
            print("unknown argument " + args[0], file=sys.stderr)
            return 2
    if files is None:
        files = stdlib_files()
        # a deterministic sample keeps the run short where the stdlib ships its tests
        stride = -(-len(files) // max_files)
        files = files[::stride]
    if not files:
        print("SKIP: no Python files found", file=sys.stderr)
        return 77

    ref = {}
    usable = []
    for path in files:
        try:
            with open(path, "rb") as f:
                tree = ast.parse(f.read(), path)
        except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
            continue
        usable.append(path)
        for (line, name), c in ref_counts(tree).items():
            ref[(path, line, name)] = c

    got = {}
    for i in range(0, len(usable), 200):
        p = subprocess.run([tool, "--counts"] + usable[i:i + 200], capture_output=True, text=True,
                           errors="replace")
        if p.returncode != 0:
            print(p.stderr, file=sys.stderr)
            return 1
        for line in p.stdout.splitlines():
            path, ln, name, *c = line.split("\t")
            got[(path, int(ln), name)] = [int(x) for x in c]

    agree = 0
    bad = []
    for key, c in sorted(ref.items()):
        g = got.get(key)
        if g == c:
            agree += 1
        else:
            bad.append((key, c, g))
    total = len(ref)
    ratio = agree / total if total else 0.0
    for key, c, g in bad[:25]:
        print("mismatch %s:%d %s  ast(calls,preds,assigns,returns)=%s graph=%s" % (key[0], key[1], key[2], c, g))
    print("%d files, %d functions, %d agree (%.2f%%), %d differ, %d functions found by the graph only"
          % (len(usable), total, agree, 100.0 * ratio, len(bad), len(set(got) - set(ref))))
    if total == 0 or ratio < min_ratio:
        print("FAIL: agreement below %.1f%%" % (100 * min_ratio))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
