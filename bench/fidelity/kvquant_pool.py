#!/usr/bin/env python3
"""kvquant_pool.py - pool bench_fidelity JSON outputs of --kv-bits/--kv-quant runs (one or
more files, e.g. one per seed) and print the markdown of bench/results/kv_quant.md: ΔNLL per
row (policy@format) and budget, KV bytes against a bf16 full cache, and issue 16's targets as
paired per-sample differences with their standard errors.

    usage: kvquant_pool.py OUT1.json [OUT2.json ...]
"""
import json
import math
import sys


def load(paths):
    rows = {}  # (mode, policy, budget) -> {"dnll": [...], "kv_ratio": [...], "top1": [...]}
    n = 0
    for p in paths:
        d = json.load(open(p))
        ns = d["n_samples"]
        for r in d["results"]:
            k = (r["mode"], r["policy"], r["budget"])
            e = rows.setdefault(k, {"dnll": [], "kv_ratio": [], "top1": []})
            e["dnll"] += r["per_sample_dnll"]
            e["kv_ratio"].append(r["kv_ratio"])
            e["top1"].append(r["top1_agreement"]["mean"])
        n += ns
    return rows, n


def mean(v):
    return sum(v) / len(v) if v else float("nan")


def se(v):
    if len(v) < 2:
        return float("nan")
    m = mean(v)
    return math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1) / len(v))


def paired(a, b):
    d = [x - y for x, y in zip(a, b)]
    return mean(d), se(d), len(d)


def main(paths):
    rows, n = load(paths)
    modes = ["agnostic", "query"]
    budgets = sorted({k[2] for k in rows})
    policies = []
    for k in rows:
        if k[1] not in policies:
            policies.append(k[1])
    print(f"{n} samples pooled from {len(paths)} runs.\n")
    print("ΔNLL (nats/token, mean over samples; lower is better):\n")
    hdr = [f"{m} {b:g}" for m in modes for b in budgets]
    print("| row | " + " | ".join(hdr) + " |")
    print("| --- |" + " ---: |" * len(hdr))
    for p in policies:
        cells = [f"{mean(rows[(m, p, b)]['dnll']):.3f}" for m in modes for b in budgets]
        print(f"| {p} | " + " | ".join(cells) + " |")
    print("\nKV bytes held after compression / bf16 full cache (agnostic; scales, residual "
          "window and block rounding included):\n")
    print("| row | " + " | ".join(f"{b:g}" for b in budgets) + " |")
    print("| --- |" + " ---: |" * len(budgets))
    for p in policies:
        print(f"| {p} | " + " | ".join(f"{mean(rows[('agnostic', p, b)]['kv_ratio']):.3f}"
                                      for b in budgets) + " |")
    print("\nTop-1 agreement with the full cache (%):\n")
    print("| row | " + " | ".join(hdr) + " |")
    print("| --- |" + " ---: |" * len(hdr))
    for p in policies:
        cells = [f"{100 * mean(rows[(m, p, b)]['top1']):.1f}" for m in modes for b in budgets]
        print(f"| {p} | " + " | ".join(cells) + " |")

    base = sorted({p.split("@")[0] for p in policies}, key=lambda x: policies.index(x + "@bf16")
                  if x + "@bf16" in policies else 0)

    def get(m, p, b):
        return rows.get((m, p, b), {}).get("dnll")

    print("\nIssue 16 targets (paired per-sample differences, mean ± standard error, n "
          "samples):\n")
    print("1. INT4 rotated within 0.02 nats/token of bf16 (ΔNLL(int4-rotated) - ΔNLL(bf16), "
          "same policy and budget):\n")
    print("| policy | " + " | ".join(hdr) + " |")
    print("| --- |" + " ---: |" * len(hdr))
    worst = 0
    for bp in base:
        cells = []
        for m in modes:
            for b in budgets:
                a, r = get(m, bp + "@int4-rotated", b), get(m, bp + "@bf16", b)
                if not a or not r:
                    cells.append("-")
                    continue
                d, e, k = paired(a, r)
                worst = max(worst, d)
                cells.append(f"{d:+.4f} ± {e:.4f}")
        print(f"| {bp} | " + " | ".join(cells) + " |")
    print(f"\nLargest mean difference: {worst:+.4f} nats/token "
          f"({'met' if worst <= 0.02 else 'NOT met'}: target <= 0.02).\n")
    print("2. INT2 rotated better than INT2 KIVI (ΔNLL(int2-rotated) - ΔNLL(int2-kivi); "
          "negative = rotated better):\n")
    print("| policy | " + " | ".join(hdr) + " |")
    print("| --- |" + " ---: |" * len(hdr))
    wins = total = 0
    for bp in base:
        cells = []
        for m in modes:
            for b in budgets:
                a, r = get(m, bp + "@int2-rotated", b), get(m, bp + "@int2-kivi", b)
                if not a or not r:
                    cells.append("-")
                    continue
                d, e, k = paired(a, r)
                total += 1
                wins += d < 0
                cells.append(f"{d:+.4f} ± {e:.4f}")
        print(f"| {bp} | " + " | ".join(cells) + " |")
    print(f"\nRotated lower in {wins} of {total} cells.\n")
    print("3. codecomp 20% + INT4 against the best eviction policy alone (bf16) at 5% (the "
          "issue's \"equal bytes\"; the bytes column shows how equal they are):\n")
    print("| mode | row | KV / bf16 full | ΔNLL | vs best bf16 5% (paired) |")
    print("| --- | --- | ---: | ---: | ---: |")
    for m in modes:
        cands = [(mean(get(m, bp + "@bf16", 0.05)), bp) for bp in base
                 if get(m, bp + "@bf16", 0.05)]
        if not cands:
            continue
        bv, bp = min(cands)
        ref = get(m, bp + "@bf16", 0.05)
        print(f"| {m} | {bp}@bf16 5% (best alone) | "
              f"{mean(rows[(m, bp + '@bf16', 0.05)]['kv_ratio']):.3f} | {bv:.3f} | - |")
        for fmt in ("int4-rotated", "int4-kivi"):
            r = get(m, "codecomp@" + fmt, 0.2)
            if not r:
                continue
            d, e, k = paired(r, ref)
            print(f"| {m} | codecomp@{fmt} 20% | "
                  f"{mean(rows[(m, 'codecomp@' + fmt, 0.2)]['kv_ratio']):.3f} | {mean(r):.3f} | "
                  f"{d:+.3f} ± {e:.3f} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1:])
