#!/usr/bin/env python3
"""bench/localize/baselines.py - function-level accuracy of a `codecomp batch` run against two
baselines measured from the same runs: structural-only (the true function's rank when the
answer's functions are ordered by their structural score alone: graph seeds and PageRank, no
model) and random (a function of the revision drawn uniformly: top-k = min(k, n) / n with n the
revision's functions). Top-1, top-5 and MRR with 95% bootstrap intervals over records (paired
resamples, fixed seed), overall, per source (mutate, mine, ...) and per source repository (with
--manifest: the base name of the record's "repo"; without: a mutant id's prefix, else the source).

usage: baselines.py RESULTS.jsonl... [--manifest MANIFEST.jsonl] [--issue-field-note TEXT]
"""
import os
import json
import random
import sys
from collections import defaultdict


def boot(vals, stat, n=1000, seed=12):
    rng = random.Random(seed)
    k = len(vals)
    xs = sorted(stat([vals[rng.randrange(k)] for _ in range(k)]) for _ in range(n))
    return xs[int(0.025 * n)], xs[int(0.975 * n) - 1]


def mean(v):
    return sum(v) / len(v) if v else 0.0


def row(name, per_rec):
    """per_rec: list of (p_top1, p_top5, rr) per record."""
    t1 = [x[0] for x in per_rec]
    t5 = [x[1] for x in per_rec]
    rr = [x[2] for x in per_rec]
    l1, h1 = boot(t1, mean)
    l5, h5 = boot(t5, mean)
    lm, hm = boot(rr, mean)
    return (f"| {name} | {len(per_rec)} | {mean(t1):.3f} [{l1:.3f}, {h1:.3f}] | "
            f"{mean(t5):.3f} [{l5:.3f}, {h5:.3f}] | {mean(rr):.3f} [{lm:.3f}, {hm:.3f}] |")


def from_rank(r):
    return (1.0 if r == 1 else 0.0, 1.0 if 1 <= r <= 5 else 0.0, 1.0 / r if r > 0 else 0.0)


def repo_of(rec, source, repos):
    if rec in repos:
        return repos[rec]
    return rec.rsplit("-m", 1)[0] if source == "mutate" else source


def main(paths, manifest=None):
    repos = {}
    if manifest:
        with open(manifest) as f:
            for l in f:
                if l.strip():
                    m = json.loads(l)
                    repos[m["id"]] = os.path.basename(m["repo"].rstrip("/")).removesuffix("-mutants")
    runs = []
    for p in paths:
        with open(p) as f:
            runs += [json.loads(l) for l in f if l.strip()]
    runs = [r for r in runs if "error" not in r]
    groups = defaultdict(dict)  # config -> record -> run
    for r in runs:
        groups[(r["policy"], r["budget"])][r["record"]] = r
    full = groups.get(("full", 1.0), {})
    src = {r["record"]: r.get("source", "") for r in runs}
    key = {rec: repo_of(rec, src[rec], repos) for rec in src}
    sources = sorted(set(src.values()))
    scopes = [None] + (["source " + s for s in sources] if len(sources) > 1 else []) + \
        sorted(set(key.values()))
    for scope in scopes:
        def sel(rec, scope=scope):
            if scope is None:
                return True
            if scope.startswith("source "):
                return src.get(rec) == scope[7:]
            return key.get(rec) == scope
        print(f"\n#### {'all repositories' if scope is None else scope}\n")
        print("| ranking | n | fn top-1 [95% CI] | fn top-5 [95% CI] | fn MRR [95% CI] |")
        print("| --- | --- | --- | --- | --- |")
        for (pol, bud), recs in sorted(groups.items(), key=lambda kv: (kv[0][0] != "full", kv[0])):
            name = "model, full cache" if pol == "full" else f"model, {pol} at {bud:g}"
            print(row(name, [from_rank(r["function_rank"]) for k, r in sorted(recs.items()) if sel(k)]))
        print(row("structural only (no model)",
                  [from_rank(r.get("structural_rank", 0)) for k, r in sorted(full.items()) if sel(k)]))
        rnd = []
        for k, r in sorted(full.items()):
            if not sel(k):
                continue
            n = max(1, r["functions"])
            rnd.append((1.0 / n, min(5, n) / n, sum(1.0 / i for i in range(1, n + 1)) / n))
        print(row("random function of the revision", rnd))


if __name__ == "__main__":
    args, man, i = [], None, 1
    while i < len(sys.argv):
        if sys.argv[i] == "--manifest" and i + 1 < len(sys.argv):
            man = sys.argv[i + 1]
            i += 2
        elif sys.argv[i] == "--issue-field-note" and i + 1 < len(sys.argv):
            i += 2
        elif sys.argv[i].startswith("--"):
            i += 1
        else:
            args.append(sys.argv[i])
            i += 1
    main(args, man)
