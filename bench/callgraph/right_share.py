#!/usr/bin/env python3
"""right_share.py - the share of calls whose edges include the right callee (issue 19's "share
of calls resolved no lower than today", counted on right edges), from two dumps of the same
repository (callgraph_dump: the filing's build and today's) and judged samples of each.

  right_share.py draw DUMP.tsv REPO LANG N SEED SHEETDIR... > SHEET
      N resolved calls of language LANG drawn as callgraph_eval.py's `sample` draws them
      (seeded shuffle of every call site, resolved ones kept: a call resolved alike by two
      builds keeps its place). A call whose call site and candidates (path:line qual, the
      first 4 and their count) match a judged row of a sheet under SHEETDIR gets that
      verdict, and the sheet it came from in the last column; the rest get '?'.
  right_share.py show SHEET REPO [K]
      the unjudged rows with the call's source (3 lines either side) and each candidate's
      definition line, to judge by reading (K rows at most).
  right_share.py table ROW...   ROW = NAME:LANG:FILING.tsv:NOW.tsv:FILING_SHEET[,SHEET..]:NOW_SHEET[,..]
      per row: calls, any-edge share, judged precision (Wilson 95%), right share = share x
      precision, at filing and now (the first sheet of each side: a plain random sample).
  right_share.py strata ROW...
      the paired comparison: calls resolved alike by both builds (same call site, same
      candidates by path and name: A), resolved at filing and not alike now (B), resolved now
      and not alike at filing (C). right now - right at filing = (|C| p_C - |B| p_B) / calls,
      p_B judged on the rows of B in the filing's sheets, p_C on those of C in today's
      (stratum sheets drawn with `draw ... --only B|C` add to them); A's calls cancel. Bounds
      from the two Wilson 95% intervals (conservative).
"""
import collections
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph_eval as ce  # noqa: E402


def cands_key(edges):
    """What a sheet shows of a call's candidates: the first 4 in the dump's order, and how many."""
    es = sorted('%s:%d %s' % (e[0], e[1], e[2]) for e in edges[:4])
    return (tuple(es), len(edges))


def call_key(c):
    return '%s:%d %s.%s' % (c['path'], c['line'], c['recv'], c['name'])


def load_cache(dirs):
    cache = {}
    for d in dirs:
        for root, _, names in os.walk(d):
            for nm in sorted(names):
                if not nm.endswith('.tsv'):
                    continue
                path = os.path.join(root, nm)
                has_src = False
                for line in open(path, encoding='utf-8', errors='replace'):
                    p = line.rstrip('\n').split('\t')
                    if line.startswith('#'):
                        has_src = has_src or 'source line' in line
                        continue
                    if len(p) < 5 or p[0].strip() not in ('y', 'n'):
                        continue
                    cands = p[5] if has_src and len(p) > 5 else p[4]
                    parts = [x.strip() for x in cands.split(' | ')]
                    k = len(parts)
                    if parts and parts[-1].startswith('... ('):
                        k = int(parts[-1][5:-1])
                        parts = parts[:-1]
                    es = sorted(' '.join(x.split(' ')[:2]) for x in parts)
                    cache[(p[3], (tuple(es[:4]), k))] = (p[0].strip(), os.path.relpath(path, d))
    return cache


def src_line(repo, path, line):
    try:
        return open('%s/%s' % (repo, path), encoding='utf-8',
                    errors='replace').read().split('\n')[line - 1].strip()[:160]
    except (OSError, IndexError):
        return '?'


def cand_set(c):
    return tuple(sorted((e[0], e[2]) for e in c['edges']))


def site_key(c):
    return (c['path'], c['line'], c['name'], c['recv'], c['encl'])


def alike(dump_a, dump_b):
    """Site keys of calls resolved by both dumps to the same candidates."""
    _, a = ce.read(dump_a)
    _, b = ce.read(dump_b)
    ca = {}
    for c in a:
        if c['edges']:
            ca.setdefault(site_key(c), cand_set(c))
    return set(site_key(c) for c in b if c['edges'] and ca.get(site_key(c)) == cand_set(c))


def draw(dump, repo, lang, n, seed, dirs, only=None):
    """only = (other dump): keep calls not resolved alike by the other dump (a stratum)."""
    files, calls = ce.read(dump)
    same = alike(only, dump) if only else None
    cache = load_cache(dirs)
    order = list(range(len(calls)))
    random.Random(seed).shuffle(order)
    res = [calls[i] for i in order if calls[i]['edges'] and files[calls[i]['path']][0] == lang]
    if same is not None:
        res = [c for c in res if site_key(c) not in same]
    print('# %s %s: %d calls drawn (seed %d) from %d resolved%s of %s' %
          (repo, lang, min(n, len(res)), seed, len(res),
           ' not alike in %s' % only if only else '', dump))
    print('# verdict\tlang\ttier\tcall site\tsource line\tcandidates (path:line qual conf)\t'
          'verdict from')
    for c in res[:n]:
        cands = ' | '.join('%s:%d %s %.3f' % e for e in c['edges'][:4])
        if len(c['edges']) > 4:
            cands += ' | ... (%d)' % len(c['edges'])
        hit = cache.get((call_key(c), cands_key(c['edges'])))
        print('%s\t%s\t%s\t%s\t%s\t%s\t%s' % (hit[0] if hit else '?', lang, ce.tier(c),
                                             call_key(c), src_line(repo, c['path'], c['line']),
                                             cands, hit[1] if hit else 'cg7'))


def show(sheet, repo, k):
    shown = 0
    for line in open(sheet, encoding='utf-8'):
        p = line.rstrip('\n').split('\t')
        if line.startswith('#') or p[0] != '?':
            continue
        site = p[3].split(' ')[0]
        path, ln = site.rsplit(':', 1)
        ln = int(ln)
        print('=' * 100)
        print('%s  [%s]  %s' % (p[3], p[2], p[5][:300]))
        try:
            text = open('%s/%s' % (repo, path), encoding='utf-8', errors='replace').read()
            lines = text.split('\n')
        except OSError:
            lines = []
        for i in range(max(0, ln - 4), min(len(lines), ln + 3)):
            print('%s%5d %s' % ('>' if i == ln - 1 else ' ', i + 1, lines[i][:150]))
        for c in p[5].split(' | '):
            if c.startswith('...'):
                continue
            cp, rest = c.split(' ', 1)[0], c.split(' ', 1)[1]
            cpath, cl = cp.rsplit(':', 1)
            print('   -> %s  %s: %s' % (rest, cp, src_line(repo, cpath, int(cl))[:110]))
        shown += 1
        if shown >= k:
            break


def wilson(y, n, z=1.96):
    if not n:
        return (0.0, 1.0)
    p = y / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))


def verdicts(sheets):
    out = {}
    for line in (l for sh in sheets.split(',') for l in open(sh, encoding='utf-8')):
        p = line.rstrip('\n').split('\t')
        if line.startswith('#') or len(p) < 6 or p[0] not in ('y', 'n'):
            continue
        out[p[3]] = (p[0] == 'y', p[5])
    return out


def table(rows):
    print('| repo | lang | calls (filing / now) | filing: any-edge, precision (95%), right share '
          '| now: any-edge, precision (95%), right share | right share now vs filing |')
    print('| --- | --- | --- | --- | --- | --- |')
    for row in rows:
        name, lang, fd, nd, fs, ns = row.split(':')
        out = []
        for dump, sheet in ((fd, fs), (nd, ns)):
            files, calls = ce.read(dump)
            calls = [c for c in calls if files[c['path']][0] in lang.split('+')]
            res = sum(1 for c in calls if c['edges'])
            v = verdicts(sheet.split(',')[0])
            y = sum(1 for ok, _ in v.values() if ok)
            lo, hi = wilson(y, len(v))
            share = res / len(calls)
            out.append((len(calls), share, y, len(v), lo, hi))
        (nf, sf, yf, jf, lof, hif), (nn, sn, yn, jn, lon, hin) = out
        rf, rn = sf * yf / jf, sn * yn / jn
        # intervals of the right share: the share is counted, the precision sampled
        verdict = ('above' if sn * lon > sf * hif else 'below' if sn * hin < sf * lof else
                   'at (intervals overlap)')
        print('| %s | %s | %d / %d | %.3f, %d/%d = %.2f (%.2f-%.2f), **%.3f** (%.3f-%.3f) | '
              '%.3f, %d/%d = %.2f (%.2f-%.2f), **%.3f** (%.3f-%.3f) | %s |' %
              (name, lang, nf, nn, sf, yf, jf, yf / jf, lof, hif, rf, sf * lof, sf * hif, sn,
               yn, jn, yn / jn, lon, hin, rn, sn * lon, sn * hin, verdict))


def strata(rows):
    print('| repo | lang | calls | alike (A) | filing only/otherwise (B) | now only/otherwise (C) '
          '| p_B judged | p_C judged | right share now - filing (bounds) |')
    print('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for row in rows:
        name, lang, fd, nd, fs, ns = row.split(':')
        ff, fc = ce.read(fd)
        nf, nc = ce.read(nd)
        langs = lang.split('+')
        fc = [c for c in fc if ff[c['path']][0] in langs]
        nc = [c for c in nc if nf[c['path']][0] in langs]
        cf = {}
        for c in fc:
            if c['edges']:
                cf.setdefault(site_key(c), cand_set(c))
        a = set(site_key(c) for c in nc if c['edges'] and cf.get(site_key(c)) == cand_set(c))
        nb = sum(1 for c in fc if c['edges'] and site_key(c) not in a)
        ncc = sum(1 for c in nc if c['edges'] and site_key(c) not in a)
        na = sum(1 for c in nc if c['edges'] and site_key(c) in a)
        by_site_f = {call_key(c): site_key(c) for c in fc if c['edges']}
        by_site_n = {call_key(c): site_key(c) for c in nc if c['edges']}
        vb = [ok for k, (ok, _) in verdicts(fs).items() if k in by_site_f and
              by_site_f[k] not in a]
        vc = [ok for k, (ok, _) in verdicts(ns).items() if k in by_site_n and
              by_site_n[k] not in a]
        va = [ok for k, (ok, _) in verdicts(fs).items() if k in by_site_f and
              by_site_f[k] in a]
        va += [ok for k, (ok, _) in verdicts(ns).items() if k in by_site_n and
               by_site_n[k] in a]
        yb, jb, yc, jc = sum(vb), len(vb), sum(vc), len(vc)
        ya, ja = sum(va), len(va)
        lob, hib = wilson(yb, jb)
        loc, hic = wilson(yc, jc)
        loa, hia = wilson(ya, ja)
        nf_, nn_ = len(fc), len(nc)
        n = max(nf_, nn_)
        pb = yb / jb if jb else float('nan')
        pc = yc / jc if jc else float('nan')
        pa = ya / ja if ja else 1.0
        # now - filing = A p_A (1/N_now - 1/N_filing) + C p_C / N_now - B p_B / N_filing
        wa = na * (1 / nn_ - 1 / nf_)
        d = wa * pa + ncc * (pc if jc else 0) / nn_ - nb * (pb if jb else 0) / nf_
        lo = min(wa * loa, wa * hia) + ncc * loc / nn_ - nb * hib / nf_
        hi = max(wa * loa, wa * hia) + ncc * hic / nn_ - nb * lob / nf_
        verdict = 'above' if lo > 0 else 'below' if hi < 0 else 'not decided'
        print('| %s | %s | %d | %d | %d | %d | %d/%d = %.2f | %d/%d = %.2f | %+.3f (%+.3f..%+.3f) '
              '%s |' % (name, lang, n, na, nb, ncc, yb, jb, pb, yc, jc, pc, d, lo, hi, verdict))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd = sys.argv[1]
    if cmd == 'draw':
        args, only = sys.argv[7:], None
        if '--only' in args:  # --only OTHER_DUMP: the calls not resolved alike there
            i = args.index('--only')
            only = args[i + 1]
            args = args[:i] + args[i + 2:]
        draw(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), args,
             only)
    elif cmd == 'show':
        show(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 10**9)
    elif cmd == 'table':
        table(sys.argv[2:])
    elif cmd == 'strata':
        strata(sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
