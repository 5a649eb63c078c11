import sys, random, collections
# sheet.py BEFORE AFTER SRCROOT N SEED -> rows: call site, source line, cands now, cands before
def load(p):
    e = collections.defaultdict(list)
    for l in open(p, errors='replace'):
        f = l.rstrip('\n').split('\t')
        if f[0] == 'C': e.setdefault((f[1], f[2], f[3], f[4]), [])
        if f[0] == 'E': e[(f[1], f[2], f[3], f[4])].append('%s:%s %s %.3f' % (f[5], f[6], f[7], float(f[8])))
    return e
b = load(sys.argv[1]); a = load(sys.argv[2]); root = sys.argv[3]
ch = sorted(k for k in set(b) | set(a) if sorted(b.get(k, [])) != sorted(a.get(k, [])))
random.seed(int(sys.argv[5]))
n = int(sys.argv[4])
draw = sorted(random.sample(ch, min(n, len(ch))))
for k in draw:
    src = open(root + '/' + k[0], errors='replace').read().split('\n')[int(k[1]) - 1].strip()
    print('\t'.join(['?', '?', 'java', '%s:%s %s.%s' % (k[0], k[1], k[3], k[2]), src[:160],
                     ' | '.join(sorted(a.get(k, []))) or '-', ' | '.join(sorted(b.get(k, []))) or '-']))
