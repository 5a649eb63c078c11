#!/usr/bin/env python3
"""gopy20.py - the sheets of gopy20 (bench/results/analysis.md "gopy20").

  gopy20.py noedge DUMP REPO LANG N SEED > SHEET
      N calls of LANG with no edge (seeded shuffle of them, sorted by site first), with the
      call's source line: classified by reading (what the callee is, what would find it).
  gopy20.py upgraded OLD.tsv NEW.tsv REPO N SEED > SHEET
      N calls whose edges were all weak in OLD and are confident in NEW (to judge).
  gopy20.py paired FILING.tsv NOW.tsv LANG [B1|C1|B2f|B2n N [SEED]]
      the strata of right_share.py split by whether the other build resolves the call at all:
      B1 = edges at filing, none now; C1 = edges now, none at filing; B2 = edges in both, not
      alike. With a stratum and N: N of its calls (seed 20 unless SEED; B2f / B2n: the same
      calls with the filing's / today's candidates), to judge. right now - right at filing =
      (|C1| p_C1 - |B1| p_B1 + |B2| (p_B2n - p_B2f)) / calls.
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph_eval as ce  # noqa: E402
import right_share as rs  # noqa: E402
import sheets_cg11 as sh  # noqa: E402


def noedge(dump, repo, lang, n, seed):
    langs, calls = {}, []
    for line in open(dump, encoding='utf-8', errors='replace'):
        p = line.rstrip('\n').split('\t')
        if p[0] == 'F':
            langs[p[1]] = p[2]
        elif p[0] == 'C' and langs.get(p[1]) == lang and p[5] == '0':
            calls.append(p)
    calls.sort(key=lambda p: (p[1], int(p[2]), p[3], p[4]))
    random.Random(seed).shuffle(calls)
    print('# %s %s: %d of %d calls with no edge (seed %d), %s' % (repo, lang, min(n, len(calls)),
                                                                  len(calls), seed, dump))
    print('# class\tcall site\treceiver\tcallee\tenclosing\tsource line')
    for p in calls[:n]:
        src = sh.src_line(repo, {'path': p[1], 'line': int(p[2])})
        print('?\t%s:%s\t%s\t%s\t%s\t%s' % (p[1], p[2], p[4], p[3], p[6], src))


def upgraded(old_path, new_path, repo, n, seed):
    fo, co = ce.read(old_path)
    fn, cn = ce.read(new_path)
    key = lambda c: (c['path'], c['line'], c['name'], c['recv'], c['encl'])  # noqa: E731
    conf = lambda c: ce.tier(c) in ('1.0', '0.9')  # noqa: E731
    old = {key(c): c for c in co}
    rows = [c for c in cn if key(c) in old and old[key(c)]['edges'] and
            not conf(old[key(c)]) and conf(c)]
    random.Random(seed).shuffle(rows)
    sh.emit('# %s weak -> confident: %d calls drawn (seed %d) of %d (%s -> %s)' %
            (repo, min(n, len(rows)), seed, len(rows), old_path, new_path), rows[:n], repo, fn)


def paired(filing, now, lang, which=None, n=0, seed=20):
    def load(p):
        files, calls = ce.read(p)
        return {rs.call_key(c): c for c in calls if files[c['path']][0] == lang and c['edges']}
    f, w = load(filing), load(now)
    files, allc = ce.read(now)
    total = sum(1 for c in allc if files[c['path']][0] == lang)
    b1 = [k for k in f if k not in w]
    c1 = [k for k in w if k not in f]
    b2 = [k for k in f if k in w and rs.cands_key(f[k]['edges']) != rs.cands_key(w[k]['edges'])]
    print('# calls %d B1 %d B2 %d C1 %d' % (total, len(b1), len(b2), len(c1)))
    if not which:
        return
    keys, side = {'B1': (b1, f), 'C1': (c1, w), 'B2f': (b2, f), 'B2n': (b2, w)}[which]
    keys = sorted(keys)
    random.Random(seed).shuffle(keys)
    for k in keys[:n]:
        c = side[k]
        print('?\t%s\t%s' % (k, ' | '.join('%s:%d %s %.3f' % e for e in c['edges'][:4])))


if __name__ == '__main__':
    a = sys.argv
    if len(a) == 7 and a[1] == 'noedge':
        noedge(a[2], a[3], a[4], int(a[5]), int(a[6]))
    elif len(a) == 7 and a[1] == 'upgraded':
        upgraded(a[2], a[3], a[4], int(a[5]), int(a[6]))
    elif len(a) in (5, 7, 8) and a[1] == 'paired':
        paired(a[2], a[3], a[4], *(a[5:6] + [int(x) for x in a[6:8]]))
    else:
        sys.exit(__doc__)
