#!/usr/bin/env python3
"""agg.py - the 16-sample cells of helper q23's section (bench/results/fidelity.md): for each
T, the runs' samples pooled (each sample weighted equally), per policy, mode and budget the mean
per-sample ΔNLL, the mean paired difference from codecomp +- its standard error, and each row's
ratio to the best of the non-codecomp policies (lowest mean).
usage: agg.py RUN.json [RUN.json ...]   (runs of one T, e.g. t2048-s15[1-4].json a2048-s15[1-4].json)"""
import json, math, sys

BASE = ("h2o", "structure", "kvzip")


def main():
    # (policy, mode, budget, metric) -> {seed: per-sample values}; a row met again in another
    # run of the same seed (codecomp beside the agnostic forms) must give the same values
    runs = {}
    for p in sys.argv[1:]:
        d = json.load(open(p))
        ns, seed = d["n_samples"], d["protocol"]["seed"]
        for r in d["results"]:
            for met in ("dnll", "dnll_context_dependent"):
                v = r["per_sample_" + met]
                assert len(v) == ns
                k = (r["policy"], r["mode"], r["budget"], met)
                old = runs.setdefault(k, {}).setdefault(seed, v)
                assert old == v, (p, k)
    per = {k: [x for s in sorted(v) for x in v[s]] for k, v in runs.items()}
    pols = []
    for k in per:
        if k[0] not in pols:
            pols.append(k[0])
    cols = sorted({(k[1], k[2]) for k in per}, key=lambda c: (c[0] != "agnostic", c[1]))
    for met in ("dnll", "dnll_context_dependent"):
        print("\n%s\n" % met)
        print("| policy | " + " | ".join("%s %d%%" % (m, round(b * 100)) for m, b in cols) + " | samples |")
        print("| --- |" + " ---: |" * (len(cols) + 1))
        best = {}
        for c in cols:
            means = []
            for b in BASE:
                x = [v for v in per.get((b, c[0], c[1], met), []) if v is not None]
                if x:
                    means.append((sum(x) / len(x), b))
            best[c] = min(means)
        for pol in pols:
            cells, nn = [], 0
            for c in cols:
                x = per.get((pol, c[0], c[1], met))
                ref = per.get(("codecomp", c[0], c[1], met))
                if x is None:
                    cells.append("")
                    continue
                xs = [v for v in x if v is not None]
                nn = max(nn, len(xs))
                m = sum(xs) / len(xs)
                s = "%.3f" % m
                if pol != "codecomp":
                    d = [a - b for a, b in zip(x, ref) if a is not None and b is not None]
                    dm = sum(d) / len(d)
                    se = math.sqrt(sum((t - dm) ** 2 for t in d) / (len(d) - 1) / len(d))
                    s += " (%+.3f ± %.3f)" % (dm, se)
                if pol not in BASE:
                    s += " [%.2fx %s]" % (m / best[c][0], best[c][1])
                cells.append(s)
            print("| %s | %s | %d |" % (pol, " | ".join(cells), nn))


if __name__ == "__main__":
    main()
