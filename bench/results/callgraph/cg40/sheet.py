#!/usr/bin/env python3
# sheet.py OLD NEW SRCDIR N SEED: every changed call (or a seeded N), with its source line
import sys, random, collections
def load(p):
    e = collections.defaultdict(list)
    for l in open(p, errors='replace'):
        f = l.rstrip('\n').split('\t')
        if f[0] == 'E': e[(f[1], f[2], f[3], f[4])].append('%s:%s %s %.2f' % (f[5], f[6], f[7], float(f[8])))
    return e
b = load(sys.argv[1]); a = load(sys.argv[2]); src = sys.argv[3]
ch = sorted(k for k in set(b) | set(a) if sorted(b.get(k, [])) != sorted(a.get(k, [])))
n = int(sys.argv[4])
if len(ch) > n:
    random.seed(int(sys.argv[5])); ch = sorted(random.sample(ch, n))
for k in ch:
    try: line = open(src + '/' + k[0], errors='replace').read().split('\n')[int(k[1]) - 1].strip()
    except Exception: line = '?'
    print('%s:%s %s recv=%s\n   src: %s\n   before: %s\n   after:  %s' % (k[0], k[1], k[2], k[3], line[:160], ' | '.join(b.get(k, [])[:5]), ' | '.join(a.get(k, [])[:5])))
