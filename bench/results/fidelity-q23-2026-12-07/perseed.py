#!/usr/bin/env python3
"""perseed.py - per run (seed), each codecomp row's token-pooled ΔNLL over the lowest of h2o,
structure and kvzip in the same run, per mode and budget (as pair.py --best-of's ratio).
usage: perseed.py [--metric dnll|dnll_context_dependent] RUN.json ..."""
import json, sys

args = sys.argv[1:]
met = "dnll"
if args[0] == "--metric":
    met, args = args[1], args[2:]
for p in args:
    d = json.load(open(p))
    rows = {}
    for r in d["results"]:
        rows.setdefault(r["policy"], {})[(r["mode"], r["budget"])] = r[met]["mean"]
    cols = sorted(rows["codecomp"], key=lambda c: (c[0] != "agnostic", c[1]))
    base = [b for b in ("h2o", "structure", "kvzip") if b in rows]
    for pol in rows:
        if not pol.startswith("codecomp"):
            continue
        cells = []
        for c in cols:
            v, b = min((rows[b][c], b) for b in base)
            cells.append("%s %d%% %.2fx %s" % (c[0][:3], round(c[1] * 100), rows[pol][c] / v, b))
        print("%s %s: %s" % (p, pol, "; ".join(cells)))
