#!/usr/bin/env python3
"""calib_cg12.py - what a name-only edge's chance of being right depends on (cg12,
bench/results/analysis.md).

  calib_cg12.py features SHEET...
      the name-only calls (candidates sharing 0.30 in all: sheets_cg11.kind) of judged sheets,
      one a line with their features: k (candidates), where the nearest candidate is from
      the caller (file, dir = same directory, other), receiver (x.f() or f()), member (the
      candidate is a class's method or a free function), verdict.
  calib_cg12.py buckets SHEET...
      right share per feature value and per pair (k x locality), Wilson 95%.
  calib_cg12.py draw DUMP.tsv REPO N SEED > SHEET
      N name-only calls (every edge below 0.5, their confidences summing to 0.30) of a dump
      made before cg12 (callgraph_dump), drawn as sheets_cg11's `weak` draws, as a sheet.
  calib_cg12.py check SHEET...
      per bucket of cg12's rule (f(); x.f() with one candidate; x.f() with more): judged
      right share (Wilson 95%) against the confidence the rule states for the call (the sum
      of its edges': 0.45 / 0.80, 0.45, 0.48), pooled and per language.
A call judged in several sheets (same repository, call site and candidates) counts once.
"""
import collections
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import right_share as rs  # noqa: E402
import sheets_cg11 as sc  # noqa: E402


def parse_cands(cands):
    parts = [p.strip() for p in cands.split(' | ')]
    k = len(parts)
    if parts[-1].startswith('... ('):
        k = int(parts[-1][5:-1])
        parts = parts[:-1]
    out = []
    for p in parts:
        loc, qual, conf = p.split(' ')[:3]
        out.append((loc.rsplit(':', 1)[0], qual, float(conf)))
    return k, out


def features(site, cands):
    loc, call = site.split(' ', 1)
    path = loc.rsplit(':', 1)[0]
    recv = call.rsplit('.', 1)[0] if '.' in call else ''
    k, cs = parse_cands(cands)
    d = os.path.dirname(path)
    near = 'other'
    for p, _, _ in cs:
        if p == path:
            near = 'file'
            break
        if os.path.dirname(p) == d:
            near = 'dir'
    member = any(('.' in q or '::' in q) for _, q, _ in cs)
    return {'k': '1' if k == 1 else ('2' if k == 2 else '3+'), 'loc': near,
            'recv': 'x.f()' if recv else 'f()', 'member': 'method' if member else 'free'}


def rows(sheets):
    seen = {}
    for sh in sheets:
        repo = os.path.basename(sh).split('-')[0]
        for line in open(sh, encoding='utf-8', errors='replace'):
            p = line.rstrip('\n').split('\t')
            if len(p) < 6 or p[0].strip() not in ('y', 'n'):
                continue
            try:
                if sc.kind(p[5]) != '0.30 name-only':
                    continue
                f = features(p[3], p[5])
            except (ValueError, IndexError):
                continue
            f['lang'] = {'tsx': 'typescript'}.get(p[1], p[1])
            f['repo'] = repo
            f['v'] = p[0].strip()
            seen.setdefault((repo, p[3], p[5].strip()), f)
    return list(seen.values())


def table(rs_, keyf, label):
    by = collections.defaultdict(lambda: [0, 0])
    for f in rs_:
        by[keyf(f)][0] += f['v'] == 'y'
        by[keyf(f)][1] += 1
    for key in sorted(by):
        y, n = by[key]
        lo, hi = rs.wilson(y, n)
        print('%s\t%s\t%d/%d\t%.2f\t%.2f-%.2f' % (label, key, y, n, y / n, lo, hi))


def draw(path, repo, n, seed):
    files, calls = sc.ce.read(path)
    order = list(range(len(calls)))
    random.Random(seed).shuffle(order)
    res = [calls[i] for i in order if calls[i]['edges'] and
           all(e[3] < 0.5 for e in calls[i]['edges']) and
           abs(sum(e[3] for e in calls[i]['edges']) - 0.3) < 0.02]
    sc.emit('# %s: %d name-only calls drawn (seed %d) from %d name-only of %s' %
            (repo, min(n, len(res)), seed, len(res), path), res[:n], repo, files)


def stated(f):
    """What cg12's rule states for a call: the sum of its edges' confidences."""
    k = {'1': 1, '2': 2}.get(f['k'], 3)
    c = 1.0 if f['recv'] == 'f()' else 0.67 if k == 1 else 0.48
    return min(min(c, 0.8) / k, 0.45) * k


def check(sheets):
    r = rows(sheets)
    by = collections.defaultdict(lambda: [0, 0, 0.0])
    for f in r:
        b = 'f()' if f['recv'] == 'f()' else 'x.f(), k=1' if f['k'] == '1' else 'x.f(), k>=2'
        for key in ((b, 'all'), (b, f['lang']), ('all', 'all'), ('all', f['lang'])):
            by[key][0] += f['v'] == 'y'
            by[key][1] += 1
            by[key][2] += stated(f)
    print('bucket\tlang\tright/judged\tshare\tWilson 95%\tstated (mean)\tbefore (0.30)')
    for key in sorted(by):
        y, m, st = by[key]
        lo, hi = rs.wilson(y, m)
        print('%s\t%s\t%d/%d\t%.2f\t%.2f-%.2f\t%.2f\t0.30' % (key[0], key[1], y, m, y / m, lo,
                                                              hi, st / m))


if __name__ == '__main__':
    a = sys.argv
    if len(a) > 2 and a[1] == 'features':
        for f in rows(a[2:]):
            print('\t'.join('%s=%s' % kv for kv in sorted(f.items())))
    elif len(a) > 2 and a[1] == 'buckets':
        r = rows(a[2:])
        print('feature\tvalue\tright/judged\tshare\tWilson 95%')
        table(r, lambda f: 'all', 'all')
        for feat in ('k', 'loc', 'recv', 'member', 'lang'):
            table(r, lambda f, ft=feat: f[ft], feat)
        table(r, lambda f: '%s,%s' % (f['k'] if f['k'] == '1' else '2+', f['loc']), 'k x loc')
        table(r, lambda f: '%s,%s' % (f['loc'], f['recv']), 'loc x recv')
        table(r, lambda f: '%s,%s' % (f['k'] if f['k'] == '1' else '2+', f['recv']), 'k x recv')
    elif len(a) == 6 and a[1] == 'draw':
        draw(a[2], a[3], int(a[4]), int(a[5]))
    elif len(a) > 2 and a[1] == 'check':
        check(a[2:])
    else:
        sys.exit(__doc__)
