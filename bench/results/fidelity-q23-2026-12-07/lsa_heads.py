#!/usr/bin/env python3
"""lsa_heads.py - from a bench_fidelity --dump file (its A lines: the reconstruction attention
of each sample's (layer, KV head); C lines: the context's token ids), the share F that
codecomp:lsa gives each head (attention mass on line-break middle tokens / mass on all middle
tokens; middle = after 4 sinks, before the 64-token window) against the line breaks' share of
the middle tokens, which lsa=2 requires F to exceed.
usage: lsa_heads.py DUMP.txt TOKENIZER.json"""
import json, sys

vocab = json.load(open(sys.argv[2]))["model"]["vocab"]
lb_id = {i for t, i in vocab.items() if "\u010a" in t}  # byte-level 'Ċ' = "\n"
ids, heads = {}, []
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "C":
        ids[int(f[1])] = [int(x) for x in f[3:]]
    elif f[0] == "A":
        heads.append((int(f[1]), int(f[2]), int(f[3]), [float(x) for x in f[4:]]))
above, fs, shares = 0, [], {}
for s, l, h, a in heads:
    c = ids[s]
    T = len(c)
    mid = range(4, T - 64)
    lb = [c[j] in lb_id for j in range(T)]
    tot = sum(max(a[j], 0) for j in mid)
    m = sum(max(a[j], 0) for j in mid if lb[j])
    share = sum(lb[j] for j in mid) / len(mid)
    shares[s] = share
    F = m / tot if tot > 0 else 0
    fs.append((F, share, l, h, s))
    above += F > share
print("heads (sample x layer x KV head): %d; F > line-break token share (lsa=2 keeps the share): %d (%.0f%%)"
      % (len(fs), above, 100.0 * above / len(fs)))
print("line-break share of the middle tokens per sample: " +
      ", ".join("%d: %.3f" % (s, v) for s, v in sorted(shares.items())))
F = sorted(x[0] for x in fs)
print("F: min %.3f, quartiles %.3f %.3f %.3f, max %.3f, mean %.3f" %
      (F[0], F[len(F) // 4], F[len(F) // 2], F[3 * len(F) // 4], F[-1], sum(F) / len(F)))
layers = sorted({x[2] for x in fs})
for l in layers:
    xs = [x for x in fs if x[2] == l]
    print("layer %d: mean F %.3f, F > share in %d of %d" %
          (l, sum(x[0] for x in xs) / len(xs), sum(x[0] > x[1] for x in xs), len(xs)))
