import sys, collections
sheet, old, new = sys.argv[1:4]
def load(p):
    e = collections.defaultdict(list)
    for l in open(p, errors='replace'):
        f = l.rstrip('\n').split('\t')
        if f[0] == 'E': e[(f[1], f[2], f[3], f[4])].append('%s %.3f' % (f[7], float(f[8])))
    return e
o, n = load(old), load(new)
for l in open(sheet):
    if l.startswith('#') or l.startswith('verdict'): continue
    f = l.rstrip('\n').split('\t')
    site = f[3]; path, rest = site.split(':', 1); line, call = rest.split(' ', 1)
    recv, _, name = call.rpartition('.')
    k = (path, line, name, recv)
    print(f[0], f[2], site[:70], '|', ', '.join(o.get(k, [])[:3]) or '-', '=>', ', '.join(n.get(k, [])[:3]) or 'NONE')
