#!/usr/bin/env python3
"""cg22_sheet.py MAIN.tsv BRANCH.tsv SRC [N SEED] - the calls whose edges differ between two
callgraph_dump files, as a judging sheet: call site, its source line, main's edges, branch's
first edge with its target's source line (all of them, or a seeded draw of N)."""
import sys, random
sys.path.insert(0, __file__.rsplit('/', 1)[0])
from callgraph_eval import read
fa, A = read(sys.argv[1]); fb, B = read(sys.argv[2]); src = sys.argv[3].rstrip('/') + '/'
key = lambda c: (c['path'], c['line'], c['name'], c['recv'])
a = {key(c): c for c in A}
def L(p, n):
    try: return open(src + p, errors='replace').read().split('\n')[n - 1].strip()[:90]
    except OSError: return '?'
rows = []
for c in B:
    o = a.get(key(c))
    if o and sorted(o['edges']) == sorted(c['edges']): continue
    e = c['edges'][0] if c['edges'] else None
    rows.append('?\t%s\t%s:%d %s\t%s\t%s\t%s' % (fb[c['path']][0], c['path'], c['line'], c['name'], L(c['path'], c['line']),
          [x[:3] for x in (o['edges'] if o else [])], '%s:%d %s %.2f | %s' % (e[0], e[1], e[2], e[3], L(e[0], e[1])) if e else '-'))
if len(sys.argv) > 5:
    random.seed(int(sys.argv[5])); rows = sorted(random.sample(rows, min(int(sys.argv[4]), len(rows))))
print('# verdict\tlang\tcall site\tsource line\tmain edges\tbranch edges (target line)')
print('\n'.join(rows))
