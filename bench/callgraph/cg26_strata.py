#!/usr/bin/env python3
"""cg26_strata.py - judging sheets of gopy20.py paired's strata with source lines
(bench/results/analysis.md "cg26").

  cg26_strata.py FILING.tsv NOW.tsv SRC LANG STRATUM [N [SEED]] > SHEET
      STRATUM: B1 (edges at the filing, none now), C1 (edges now, none at the filing),
      B2n (edges in both, today's candidates a subset of the filing's: d in {-1, 0}),
      B2o (the other B2 calls). N calls of the seeded order (seed 26 unless SEED; the first
      N of a larger N are the same rows). Columns: verdict, call key, today's candidates,
      the filing's, the source line.
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph_eval as ce  # noqa: E402
import right_share as rs  # noqa: E402


def edges(c):
    return ' | '.join('%s:%d %s %.2f' % e for e in c['edges'][:5]) if c else '-'


def main(fil, now, src, lang, which, n=10**9, seed=26):
    def load(p):
        files, calls = ce.read(p)
        return {rs.call_key(c): c for c in calls if files[c['path']][0] == lang and c['edges']}
    f, w = load(fil), load(now)
    cset = lambda c: set((e[0], e[1], e[2]) for e in c['edges'])  # noqa: E731
    b2 = [k for k in f if k in w and rs.cands_key(f[k]['edges']) != rs.cands_key(w[k]['edges'])]
    keys = {'B1': [k for k in f if k not in w], 'C1': [k for k in w if k not in f],
            'B2n': [k for k in b2 if cset(w[k]) <= cset(f[k])],
            'B2o': [k for k in b2 if not cset(w[k]) <= cset(f[k])]}[which]
    keys = sorted(keys)
    random.Random(seed).shuffle(keys)
    print('# %s %s: %d of %d (seed %d)' % (src, which, min(n, len(keys)), len(keys), seed))
    for k in keys[:n]:
        path, rest = k.split(':', 1)
        line = int(rest.split()[0])
        text = open(os.path.join(src, path), errors='replace').read().split('\n')
        print('?\t%s\tNOW %s\tFIL %s\t%s' % (k, edges(w.get(k)), edges(f.get(k)),
                                             text[line - 1].strip()[:120]))


if __name__ == '__main__':
    a = sys.argv
    if len(a) < 6:
        sys.exit(__doc__)
    main(a[1], a[2], a[3], a[4], a[5], *[int(x) for x in a[6:8]])
