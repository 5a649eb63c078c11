#!/usr/bin/env python3
"""pair.py - bench_fidelity JSON runs side by side, with paired per-sample differences.

usage: pair.py [--ref LABEL] [--best-of LABEL] [--metric dnll|dnll_context_dependent]
               RUN.json [RUN.json ...]

Rows of several runs over the same samples (same seed, T and sample count: samples are
deterministic) pair sample by sample; a row is labelled rN:POLICY (N = the run's position)
when several runs are given. --ref: each cell shows the row's pooled value and, in brackets,
its mean per-sample difference from the ref row +- the standard error (negative = lower).
--best-of: one more table row, LABEL minus the best other row of each column (lowest pooled
value; rows of the same policy, in other runs or with other options, such as
codecomp:adapt=0 beside codecomp, are not others), mean +- standard error, and the ratio of
pooled values.
"""
import argparse
import json
import math
import sys


def load(paths):
    rows, order, n, key = {}, [], None, None
    for ri, p in enumerate(paths):
        d = json.load(open(p))
        # the same samples: T, seed, targets per sample, and each sample's files and targets
        # (the corpus may sit under another path on another machine: compared by content)
        samples = [(x.get("dir"), x.get("target_file"), x.get("files_in_context"),
                    json.dumps(x.get("targets"), sort_keys=True)) for x in d.get("samples", [])]
        k = tuple(d["protocol"].get(f) for f in ("tokens", "seed", "targets_per_sample"))
        if key is not None and (k, samples) != key:
            sys.exit("pair.py: %s is not over the same samples as %s (T, seed, targets: "
                     "%s against %s, or the samples' files and targets differ)"
                     % (p, paths[0], k, key[0]))
        k = (k, samples)
        key = k
        for r in d["results"]:
            if "@" in r["policy"]:
                continue
            lab = r["policy"] if len(paths) == 1 else "r%d:%s" % (ri + 1, r["policy"])
            if lab not in rows:
                rows[lab] = {}
                order.append(lab)
            rows[lab][(r["mode"], r["budget"])] = r
        n = d["n_samples"] if n is None else min(n, d["n_samples"])
    return rows, order, n


def bare(label):
    """A row label without its run prefix (r2:codecomp -> codecomp)."""
    head, _, rest = label.partition(":")
    return rest if head[:1] == "r" and head[1:].isdigit() else label


def policy(label):
    """The policy a row label names, without run prefix or options (r1:codecomp:adapt=0 ->
    codecomp)."""
    return bare(label).split(":")[0]


def paired(a, b, metric):
    xa, xb = a["per_sample_" + metric], b["per_sample_" + metric]
    d = [x - y for x, y in zip(xa, xb) if x is not None and y is not None]
    if not d:
        return float("nan"), float("nan"), 0
    m = sum(d) / len(d)
    se = math.sqrt(sum((x - m) ** 2 for x in d) / (len(d) - 1) / len(d)) if len(d) > 1 else float("nan")
    return m, se, len(d)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref")
    ap.add_argument("--best-of")
    ap.add_argument("--metric", default="dnll")
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    rows, order, n = load(a.runs)
    cols = sorted({c for r in rows.values() for c in r}, key=lambda c: (c[0] != "agnostic", c[1]))
    head = ["%s %d%%" % (m, round(b * 100)) for m, b in cols]
    print("| policy | " + " | ".join(head) + " |")
    print("| --- |" + " ---: |" * len(cols))
    for lab in order:
        cells = []
        for c in cols:
            r = rows[lab].get(c)
            if not r:
                cells.append("")
                continue
            s = "%.3f" % r[a.metric]["mean"]
            ref = rows.get(a.ref, {}).get(c) if a.ref else None
            if ref is not None and lab != a.ref:
                m, se, _ = paired(r, ref, a.metric)
                s += " (%+.3f ± %.3f)" % (m, se)
            cells.append(s)
        print("| %s | %s |" % (lab, " | ".join(cells)))
    if a.best_of:
        cells = []
        for c in cols:
            me = rows.get(a.best_of, {}).get(c)
            others = [(rows[l][c][a.metric]["mean"], l) for l in order
                      if policy(l) != policy(a.best_of) and c in rows[l]]
            if not me or not others:
                cells.append("")
                continue
            v, l = min(others)
            m, se, _ = paired(me, rows[l][c], a.metric)
            ratio = me[a.metric]["mean"] / v if v > 0 else float("nan")
            cells.append("%+.3f ± %.3f vs %s (%.2fx)" % (m, se, l, ratio))
        print("| %s − best other | %s |" % (a.best_of, " | ".join(cells)))
    print("\n%d samples" % n)


if __name__ == "__main__":
    sys.exit(main())
