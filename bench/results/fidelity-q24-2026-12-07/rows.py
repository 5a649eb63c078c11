#!/usr/bin/env python3
"""rows.py - helper q24's split of query-mode ΔNLL (the --dump "M" lines) into
context-dependent and other tokens, by scored row after the query (0-19, 20-59, 60+), as
helper q21's diagnosis: per cell the token-pooled mean ΔNLL of the reference policy, and for
each other policy the mean paired per-sample difference from it +- its standard error (per
sample: the mean ΔNLL of the sample's tokens in the cell).
usage: rows.py [--ref codecomp] [--budget 0.1] DUMP.txt [DUMP.txt ...]  (one dump per seed)"""
import math, sys
from collections import defaultdict

BINS = ((0, 20), (20, 60), (60, 10 ** 9))


def main():
    args = sys.argv[1:]
    ref, budget = "codecomp", "0.1"
    while args and args[0].startswith("--"):
        if args[0] == "--ref":
            ref = args[1]
        elif args[0] == "--budget":
            budget = args[1]
        args = args[2:]
    # cell -> label -> (file, sample) -> [sum, n]
    cells = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: [0.0, 0])))
    labels = []
    for fi, path in enumerate(args):
        dep, nq = {}, {}
        for line in open(path):
            t = line.split()
            if not t:
                continue
            if t[0] == "D":
                dep[(t[1], t[2])] = [int(x) for x in t[3:]]
            elif t[0] == "U":
                nq[(t[1], t[2])] = int(t[3])
            elif t[0] == "M" and t[3] == budget:
                si, lab, tg = t[1], t[2], t[4]
                if lab not in labels:
                    labels.append(lab)
                d, q = dep[(si, tg)], nq[(si, tg)]
                for i, x in enumerate(t[5:]):
                    kind = "ctx" if d[q + i] else "other"
                    b = next(k for k, (lo, hi) in enumerate(BINS) if lo <= i < hi)
                    for cell in ((kind, -1), (kind, b)):
                        c = cells[cell][lab][(fi, si)]
                        c[0] += float(x)
                        c[1] += 1
    names = [("other", -1), ("other", 0), ("other", 1), ("other", 2),
             ("ctx", -1), ("ctx", 0), ("ctx", 1), ("ctx", 2)]
    head = ["%s, %s" % ("other" if k == "other" else "context-dependent",
                        "all rows" if b < 0 else "rows %d-%s" % (BINS[b][0], BINS[b][1] - 1 if b < 2 else "")
                        ) for k, b in names]
    print("| query %s%%, ΔNLL per token | " % round(float(budget) * 100) + " | ".join(head) + " |")
    print("| --- |" + " ---: |" * len(names))
    for lab in [ref] + [l for l in labels if l != ref]:
        row = []
        for cell in names:
            per = cells[cell][lab]
            tot = sum(v[0] for v in per.values())
            n = sum(v[1] for v in per.values())
            s = "%.3f" % (tot / n) if n else "-"
            if lab == ref:
                s += " (%d)" % n
            else:
                rp = cells[cell][ref]
                d = [per[k][0] / per[k][1] - rp[k][0] / rp[k][1] for k in per if per[k][1]]
                m = sum(d) / len(d)
                se = math.sqrt(sum((x - m) ** 2 for x in d) / (len(d) - 1) / len(d)) if len(d) > 1 else float("nan")
                s += " (%+.3f ± %.3f)" % (m, se)
            row.append(s)
        print("| %s | " % lab + " | ".join(row) + " |")


main()
