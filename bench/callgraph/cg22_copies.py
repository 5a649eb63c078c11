#!/usr/bin/env python3
"""cg22_copies.py DUMP.tsv: rev.c js_copies simulated on a callgraph_dump (D lines): the copy pairs
and bundles without and with rollup's `$N` rename suffixes dropped (cg22)."""
import sys, re, collections, itertools
JS = {'javascript', 'typescript', 'tsx'}
lang = {}; defs = []
for l in open(sys.argv[1], errors='replace'):
    f = l.rstrip('\n').split('\t')
    if f[0] == 'F': lang[f[1]] = f[2]
    elif f[0] == 'D' and f[3] == 'method' and f[4] and lang.get(f[1]) in JS: defs.append((f[1], f[5]))
def run(norm):
    key = (lambda q: re.sub(r'(?<=[^.])\$\d+(?=\.|$)', '', q)) if norm else (lambda q: q)
    tot = collections.Counter(p for p, q in defs)
    by = collections.defaultdict(set)
    for p, q in defs: by[key(q)].add(p)
    pc = collections.Counter()
    for fs in by.values():
        if len(fs) <= 16:
            for a, b in itertools.combinations(sorted(fs), 2): pc[(a, b)] += 1
    pairs = {k for k, n in pc.items() if n >= 2 and 2 * n >= min(tot[k[0]], tot[k[1]])}
    part = collections.defaultdict(set)
    for a, b in pairs: part[a].add(b); part[b].add(a)
    bundles = {f for f, ps in part.items() if any((min(u, v), max(u, v)) not in pairs for u, v in itertools.combinations(sorted(ps), 2))}
    return pairs, bundles
p0, b0 = run(0); p1, b1 = run(1)
print('pairs %d -> %d, bundles %d -> %d' % (len(p0), len(p1), len(b0), len(b1)))
for k in sorted(p1 - p0): print('  new pair', *k)
for k in sorted(p0 - p1): print('  lost pair', *k)
for k in sorted(b1 - b0): print('  new bundle', k)
for k in sorted(b0 - b1): print('  lost bundle', k)
