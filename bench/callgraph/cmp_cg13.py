#!/usr/bin/env python3
"""cmp_cg13.py - how two callgraph_dump dumps of a repository differ on its C/C++ calls (cg13,
bench/results/analysis.md).

  cmp_cg13.py OLD.tsv NEW.tsv
      counts: calls newly confident (their edges sum to the 0.9 or 1.0 tier in NEW, not in
      OLD), that lost a confident tier, lost every edge, gained edges (none in OLD), and calls
      named in NEW only (a call that had no name in OLD: `::ns::f()`), with edges / confident
  cmp_cg13.py OLD.tsv NEW.tsv REPO N [SKIP,NAMES]
      also N newly confident calls drawn (seed 13; callees named in SKIP left out) with their
      source line and candidates, to judge; first line: the most frequent receiver::callee
"""
import collections
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph_eval as ce  # noqa: E402


def main():
    fo, co = ce.read(sys.argv[1])
    fn, cn = ce.read(sys.argv[2])
    key = lambda c: (c['path'], c['line'], c['name'], c['recv'], c['encl'])  # noqa: E731
    conf = lambda c: ce.tier(c) in ('1.0', '0.9')  # noqa: E731
    cpp = lambda files, c: files[c['path']][0] in ('cpp', 'c')  # noqa: E731
    old = {key(c): c for c in co if cpp(fo, c)}
    unnamed = collections.Counter((c['path'], c['line']) for c in co if not c['name'])
    cnt = collections.Counter()
    rows, named = [], []
    for c in cn:
        if not cpp(fn, c):
            continue
        o = old.get(key(c))
        if o is None:
            if c['name'] and (c['path'], c['line']) in unnamed:
                cnt['named in NEW only'] += 1
                cnt['.. with edges'] += bool(c['edges'])
                cnt['.. confident'] += conf(c)
                if conf(c):
                    named.append(c)
            continue
        if conf(c) and not conf(o):
            cnt['newly confident'] += 1
            rows.append(c)
        cnt['lost a confident tier'] += conf(o) and not conf(c)
        cnt['lost every edge'] += bool(o['edges']) and not c['edges']
        cnt['gained (no edge in OLD)'] += not o['edges'] and bool(c['edges'])
    print(dict(cnt))
    rows += named
    if len(sys.argv) < 5:
        return
    repo, n = sys.argv[3], int(sys.argv[4])
    print(collections.Counter(c['recv'] + '::' + c['name'] for c in rows).most_common(15))
    skip = set(sys.argv[5].split(',')) if len(sys.argv) > 5 else set()
    rows = [c for c in rows if c['name'] not in skip]
    random.Random(13).shuffle(rows)
    for c in rows[:n]:
        try:
            with open(os.path.join(repo, c['path']), encoding='utf-8', errors='replace') as f:
                src = f.read().split('\n')[c['line'] - 1].strip()[:150]
        except (OSError, IndexError):
            src = '?'
        cands = ' ; '.join('%s:%d %s %.3f' % e for e in c['edges'][:5])
        if len(c['edges']) > 5:
            cands += ' ...(%d)' % len(c['edges'])
        print('%s:%d %s::%s | %s | %s' % (c['path'], c['line'], c['recv'], c['name'], src, cands))


if __name__ == '__main__':
    main()
