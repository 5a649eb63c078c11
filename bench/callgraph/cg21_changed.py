#!/usr/bin/env python3
"""changed.py BEFORE AFTER N SEED - calls whose edge set differs, seeded draw of N: prints
file:line name recv | before edges | after edges (conf)."""
import sys, random, collections
def load(p):
    e = collections.defaultdict(list); calls = set()
    for l in open(p, errors='replace'):
        f = l.rstrip('\n').split('\t')
        if f[0] == 'C': calls.add((f[1], f[2], f[3], f[4]))
        if f[0] == 'E': e[(f[1], f[2], f[3], f[4])].append('%s:%s %s %.2f' % (f[5], f[6], f[7], float(f[8])))
    return calls, e
cb, b = load(sys.argv[1]); ca, a = load(sys.argv[2])
ch = sorted(k for k in set(b) | set(a) if sorted(b.get(k, [])) != sorted(a.get(k, [])))
conf = lambda es: sum(float(x.split()[-1]) for x in es)
kinds = collections.Counter()
for k in ch:
    bc, ac = conf(b.get(k, [])), conf(a.get(k, []))
    kinds[('conf' if bc >= 0.5 else 'weak' if bc else 'none') + '->' + ('conf' if ac >= 0.5 else 'weak' if ac else 'none')] += 1
print('changed', len(ch), dict(kinds))
random.seed(int(sys.argv[4]))
for k in random.sample(ch, min(int(sys.argv[3]), len(ch))):
    print('\t'.join(k)); print('   before:', b.get(k, [])[:4]); print('   after: ', a.get(k, [])[:4])
