#!/usr/bin/env python3
"""cg28_split.py - gopy20.py paired's strata (B1: an edge at the filing and none now; C1: an edge
now and none at the filing; B2: edges in both, candidates differ) as judging sheets, and the
right-share difference from judged sheets (bench/results/analysis.md "cg28-tcx").

  cg28_split.py draw FIL.tsv NOW.tsv SRC LANG[+LANG] STRATUM N SEED [SHEET..] > SHEET
      STRATUM B1 (filing's candidates; verdict = the filing right), C1 (today's; verdict = today
      right) or B2 (both builds' candidates; verdict column = 'FN' with F, N in y/n: right at the
      filing, right now); B2 calls whose candidates name the same definitions (path:line) in both
      builds are left out (d = 0 by construction). A verdict carries from the given sheets (a
      right_share.py / cg28_b1.py sheet: the call key in column 4, verdict column 1) when the call
      key matches and the sheet was drawn from the same side (filing sheets for B1 and B2's F,
      today's for C1 and B2's N): pass them as FIL:SHEET or NOW:SHEET.
  cg28_split.py est FIL.tsv NOW.tsv LANG[+LANG] B1SHEET,.. C1SHEET,.. B2SHEET,..
      right now - right at filing = (|C1| p_C1 - |B1| p_B1 + |B2'| mean d) / calls, B2' = the B2
      calls not on the same definitions; p from the judged rows of each stratum, bounds from
      Wilson 95% intervals at their worst (for d: the shares of -1 and +1 rows, each Wilson).
"""
import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph_eval as ce  # noqa: E402
import right_share as rs  # noqa: E402


def strata(fil, now, langs):
    ff, fc = ce.read(fil)
    nf, nc = ce.read(now)
    f = {rs.call_key(c): c for c in fc if ff[c['path']][0] in langs and c['edges']}
    w = {rs.call_key(c): c for c in nc if nf[c['path']][0] in langs and c['edges']}
    calls = (sum(1 for c in fc if ff[c['path']][0] in langs),
             sum(1 for c in nc if nf[c['path']][0] in langs))
    S = lambda c: set((e[0], e[1]) for e in c['edges'])
    b1 = sorted(k for k in f if k not in w)
    c1 = sorted(k for k in w if k not in f)
    b2 = sorted(k for k in f if k in w and rs.cands_key(f[k]['edges']) != rs.cands_key(w[k]['edges']))
    b2s = [k for k in b2 if S(f[k]) == S(w[k])]
    b2o = [k for k in b2 if S(f[k]) != S(w[k])]
    return f, w, calls, b1, c1, b2s, b2o


def fmt(c):
    s = ' | '.join('%s:%d %s %.3f' % e for e in c['edges'][:4])
    return s + (' | ... (%d)' % len(c['edges']) if len(c['edges']) > 4 else '')


def load(sheets):
    out = {}
    for sh in sheets:
        side, path = sh.split(':', 1)
        for line in open(path, encoding='utf-8'):
            p = line.rstrip('\n').split('\t')
            if line.startswith('#') or len(p) < 5:
                continue
            if p[0] in ('y', 'n'):
                out[(side, p[3])] = (p[0], os.path.basename(path))
            elif len(p[0]) == 2 and set(p[0]) <= set('yn'):
                out[('FIL', p[3])] = (p[0][0], os.path.basename(path))
                out[('NOW', p[3])] = (p[0][1], os.path.basename(path))
    return out


def draw(fil, now, src, langs, which, n, seed, sheets):
    f, w, calls, b1, c1, b2s, b2o = strata(fil, now, langs)
    keys = {'B1': b1, 'C1': c1, 'B2': b2o}[which]
    keys = list(keys)
    random.Random(seed).shuffle(keys)
    have = load(sheets)
    lines = {}

    def text(c):
        if c['path'] not in lines:
            try:
                lines[c['path']] = open(os.path.join(src, c['path']), encoding='utf-8',
                                        errors='replace').read().split('\n')
            except OSError:
                lines[c['path']] = []
        ls = lines[c['path']]
        return ls[c['line'] - 1].strip()[:160] if c['line'] - 1 < len(ls) else ''
    print('# %s %s: %d of %d calls drawn (seed %d); calls %d / %d; B1 %d C1 %d B2 %d (same defs %d)'
          % (which, '+'.join(langs), min(n, len(keys)), len(keys), seed, calls[0], calls[1],
             len(b1), len(c1), len(b2s) + len(b2o), len(b2s)))
    print('# verdict\tlang\tstratum\tcall site\tsource line\tcandidates (filing; for B2: filing'
          ' || now)\tverdict from')
    for k in keys[:n]:
        c = f[k] if which != 'C1' else w[k]
        if which == 'B2':
            a, b = have.get(('FIL', k)), have.get(('NOW', k))
            v = (a[0] if a else '?') + (b[0] if b else '?')
            frm = ','.join(sorted(set(x[1] for x in (a, b) if x))) or 'cg28-tcx'
            cands = fmt(f[k]) + ' || ' + fmt(w[k])
        else:
            h = have.get(('FIL' if which == 'B1' else 'NOW', k))
            v, frm, cands = (h[0] if h else '?'), (h[1] if h else 'cg28-tcx'), fmt(c)
        print('\t'.join([v, '+'.join(langs), which, k, text(c), cands, frm]))


def wilson(y, n):
    return rs.wilson(y, n)


def est(fil, now, langs, s1, s2, s3):
    f, w, calls, b1, c1, b2s, b2o = strata(fil, now, langs)
    def rows(sheets, stratum):
        out = {}
        for sh in [x for x in sheets.split(',') if x]:
            for line in open(sh, encoding='utf-8'):
                p = line.rstrip('\n').split('\t')
                if line.startswith('#') or len(p) < 5 or '?' in p[0]:
                    continue
                out[p[3]] = p[0]
        return out
    vb, vc, vd = rows(s1, 'B1'), rows(s2, 'C1'), rows(s3, 'B2')
    sb1, sc1, sb2 = set(b1), set(c1), set(b2o)
    yb = [v == 'y' for k, v in vb.items() if k in sb1 and v in ('y', 'n')]
    yc = [v == 'y' for k, v in vc.items() if k in sc1 and v in ('y', 'n')]
    d = [(v[1] == 'y') - (v[0] == 'y') for k, v in vd.items() if k in sb2 and len(v) == 2]
    n = max(calls)
    pb = sum(yb) / len(yb) if yb else 0.0
    pc = sum(yc) / len(yc) if yc else 0.0
    md = sum(d) / len(d) if d else 0.0
    lb, hb = wilson(sum(yb), len(yb))
    lc, hc = wilson(sum(yc), len(yc))
    lm, hm = wilson(sum(1 for x in d if x < 0), len(d))
    lp, hp = wilson(sum(1 for x in d if x > 0), len(d))
    if not d:
        lm = hm = lp = hp = 0.0
    mid = len(c1) * pc - len(b1) * pb + len(b2o) * md
    lo = len(c1) * lc - len(b1) * hb + len(b2o) * (lp - hm)
    hi = len(c1) * hc - len(b1) * lb + len(b2o) * (hp - lm)
    print('%s calls %d/%d | B1 %d: %d/%d right at filing | C1 %d: %d/%d right now | B2 %d (same defs'
          ' %d, d=0; other %d: d judged on %d, -%d +%d) | now - filing = %+.0f calls (%+.0f..%+.0f)'
          ' = %+.4f (%+.4f..%+.4f) %s' %
          ('+'.join(langs), calls[0], calls[1], len(b1), sum(yb), len(yb), len(c1), sum(yc),
           len(yc), len(b2s) + len(b2o), len(b2s), len(b2o), len(d),
           sum(1 for x in d if x < 0), sum(1 for x in d if x > 0), mid, lo, hi, mid / n, lo / n,
           hi / n, 'above' if lo > 0 else 'below' if hi < 0 else 'not decided'))


if __name__ == '__main__':
    a = sys.argv
    if len(a) > 8 and a[1] == 'draw':
        draw(a[2], a[3], a[4], a[5].split('+'), a[6], int(a[7]), int(a[8]), a[9:])
    elif len(a) == 8 and a[1] == 'est':
        est(a[2], a[3], a[4].split('+'), a[5], a[6], a[7])
    else:
        sys.exit(__doc__)
