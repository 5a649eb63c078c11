#!/usr/bin/env python3
"""cost.py - bench_fidelity's selection cost per compression (agnostic mode, every extra pass
included) as a ratio to a plain prefill of C, per policy: the mean over each group of runs
(a group = the runs of one file-name prefix, e.g. t2048 or a3072: the same policies, so that
codecomp and its forms are compared within the same runs). usage: cost.py RUN.json ..."""
import json, os, sys

groups, pols = {}, []
for p in sys.argv[1:]:
    g = os.path.basename(p).split("-")[0]
    d = json.load(open(p))
    for k, v in d["selection_cost_vs_prefill"].items():
        groups.setdefault(g, {}).setdefault(k, []).append(v)
        if k not in pols:
            pols.append(k)
gs = list(groups)
print("| policy | " + " | ".join("%s runs (%d)" % (g, len(next(iter(groups[g].values())))) for g in gs) + " |")
print("| --- |" + " ---: |" * len(gs))
for k in pols:
    cells = []
    for g in gs:
        v = groups[g].get(k)
        cells.append("%.3f" % (sum(v) / len(v)) if v else "")
    print("| %s | " % k + " | ".join(cells) + " |")
