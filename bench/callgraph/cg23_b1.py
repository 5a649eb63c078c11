#!/usr/bin/env python3
"""cg23_b1.py - Go calls the filing gave an edge and NOW gives none (gopy20.py paired's B1),
grouped by the receiver's root (bench/results/analysis.md "cg23").

  cg23_b1.py FILING.tsv NOW.tsv SRC MODULE [N SEED] > SHEET
      prints each class (std / third-party package, builtin, the module's own package, a
      library call's value, a value) with its count and commonest callees; writes N drawn
      value-receiver calls (seeded) as a judging sheet to stdout after the summary lines (#).
      MODULE: the go.mod module path (github.com/labstack/echo).
"""
import collections
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph_eval as ce  # noqa: E402
import right_share as rs  # noqa: E402

BUILTIN = set('int uint int64 uint64 int32 uint32 int16 uint16 int8 uint8 float64 float32 string '
              'byte rune len cap make new append copy delete panic recover print println close '
              'min max clear bool'.split())


def main(fil, now, src, module, n=30, seed=23):
    def load(p):
        files, calls = ce.read(p)
        return {rs.call_key(c): c for c in calls if files[c['path']][0] == 'go'}
    f, w = load(fil), load(now)
    b1 = [k for k in f if f[k]['edges'] and not w[k]['edges']]
    cache = {}

    def imports(path):
        if path not in cache:
            t = open(os.path.join(src, path), errors='replace').read()
            d = {}
            blocks = re.findall(r'import\s*\((.*?)\)', t, re.S) + \
                re.findall(r'import\s+((?:\w+\s+)?"[^"]+")', t)
            for blk in blocks:
                for m in re.finditer(r'(?:(\w+|\.|_)\s+)?"([^"]+)"', blk):
                    p = m.group(2)
                    nm = m.group(1) or p.split('/')[-1]
                    if re.fullmatch(r'v\d+', nm):
                        nm = p.split('/')[-2]
                    d[nm] = p
            cache[path] = d
        return cache[path]
    cls = collections.defaultdict(list)
    for k in b1:
        c = f[k]
        r = c['recv']
        root = re.match(r'[A-Za-z_]\w*', r)
        ip = imports(c['path'])
        if not r:
            cls['builtin' if c['name'] in BUILTIN else 'bare-other'].append(k)
        elif root and root.group(0) == r and r in ip:
            p = ip[r]
            own = p.startswith(module)
            cls['pkg-own' if own else ('pkg-std' if '.' not in p.split('/')[0] else
                                       'pkg-3rd')].append(k)
        elif root and root.group(0) in ip:
            cls['pkgexpr-' + ('own' if ip[root.group(0)].startswith(module) else 'lib')].append(k)
        else:
            cls['value'].append(k)
    print('# B1 %d calls (%s vs %s)' % (len(b1), fil, now))
    for c, lst in sorted(cls.items(), key=lambda x: -len(x[1])):
        top = collections.Counter(f[k]['recv'] + '.' + f[k]['name'] for k in lst).most_common(6)
        print('# %s %d %s' % (c, len(lst), top))
    keys = sorted(cls['value'])
    random.Random(seed).shuffle(keys)
    print('# value receivers: %d of %d drawn (seed %d); verdict\tcall\tfiling candidates\tline'
          % (min(n, len(keys)), len(keys), seed))
    for k in keys[:n]:
        c = f[k]
        line = open(os.path.join(src, c['path']), errors='replace').read().split('\n')
        print('?\t%s\t%s\t%s' % (k, ' | '.join('%s:%d %s %.2f' % e for e in c['edges'][:3]),
                                 line[c['line'] - 1].strip()))


if __name__ == '__main__':
    a = sys.argv
    if len(a) not in (5, 7):
        sys.exit(__doc__)
    main(a[1], a[2], a[3], a[4], *(int(x) for x in a[5:]))
