#!/usr/bin/env python3
"""sheets_cg11.py - judging sheets and the calibration table of cg11 (bench/results/analysis.md).

  sheets_cg11.py changed OLD.tsv NEW.tsv REPO N SEED lost|lostconf|gained > SHEET
      N calls (seeded shuffle) of those whose edges changed between two dumps of a repository
      (callgraph_dump): lost = edges in OLD, none in NEW (the OLD candidates are shown: judged
      is whether the removed edges were right); lostconf = a confident edge in OLD, none in
      NEW; gained = no edge in OLD, edges in NEW (the NEW candidates are shown).
  sheets_cg11.py weak DUMP.tsv REPO N SEED > SHEET
      N weak-tier calls (every edge below 0.5), drawn as callgraph_eval.py's `sample` draws.
  sheets_cg11.py calib SHEET...
      judged precision per confidence kind, i.e. the sum of the confidences a call's k
      candidates share (1.0, 0.9, 0.70 C++ loose, 0.67 JS loose, 0.45 guess or a capped single
      loose guess, 0.30 name-only, 0.20 JS guess), pooled and per language, Wilson 95%. A call
      judged in several sheets (same call site and candidates) counts once.
"""
import collections
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph_eval as ce  # noqa: E402
import right_share as rs  # noqa: E402


def src_line(repo, c):
    try:
        with open('%s/%s' % (repo, c['path']), encoding='utf-8', errors='replace') as f:
            return f.read().split('\n')[c['line'] - 1].strip()[:160]
    except (OSError, IndexError):
        return '?'


def row(files, c):
    cands = ' | '.join('%s:%d %s %.3f' % e for e in c['edges'][:4])
    if len(c['edges']) > 4:
        cands += ' | ... (%d)' % len(c['edges'])
    return (files[c['path']][0], ce.tier(c), '%s:%d %s.%s' % (c['path'], c['line'], c['recv'],
                                                            c['name']), cands)


def emit(head, rows, repo, files):
    print(head)
    print('# verdict\tlang\ttier\tcall site\tsource line\tcandidates (path:line qual conf)')
    for c in rows:
        lang, tier, site, cands = row(files, c)
        print('?\t%s\t%s\t%s\t%s\t%s' % (lang, tier, site, src_line(repo, c), cands))


def changed(old_path, new_path, repo, n, seed, which):
    key = lambda c: (c['path'], c['line'], c['name'], c['recv'], c['encl'])
    conf = lambda c: ce.tier(c) in ('1.0', '0.9')
    fo, co = ce.read(old_path)
    fn, cn = ce.read(new_path)
    old = {key(c): c for c in co}
    rows = []
    for c in cn:
        o = old.get(key(c))
        if not o:
            continue
        if which == 'lost' and o['edges'] and not c['edges']:
            rows.append(o)
        elif which == 'lostconf' and conf(o) and not conf(c):
            rows.append(o)
        elif which == 'gained' and c['edges'] and not o['edges']:
            rows.append(c)
    random.Random(seed).shuffle(rows)
    emit('# %s %s: %d calls drawn (seed %d) of %d (%s -> %s)' %
         (repo, which, min(n, len(rows)), seed, len(rows), old_path, new_path), rows[:n], repo,
         fo if which != 'gained' else fn)


def weak(path, repo, n, seed):
    files, calls = ce.read(path)
    order = list(range(len(calls)))
    random.Random(seed).shuffle(order)
    res = [calls[i] for i in order if ce.tier(calls[i]) == 'weak']
    emit('# %s: %d weak calls drawn (seed %d) from %d weak of %s' %
         (repo, min(n, len(res)), seed, len(res), path), res[:n], repo, files)


def kind(cands):
    parts = [p.strip() for p in cands.split(' | ')]
    m = re.match(r'\.\.\. \((\d+)\)', parts[-1])
    k = int(m.group(1)) if m else len(parts)
    confs = [float(p.rsplit(' ', 1)[1]) for p in parts if not p.startswith('...')]
    s = confs[0] * k
    for v, lab in ((1.0, '1.0'), (0.9, '0.9'), (0.7, '0.70 loose C++'), (0.67, '0.67 loose JS'),
                   (0.45, '0.45 guess'), (0.3, '0.30 name-only'), (0.2, '0.20 JS guess')):
        if abs(s - v) < 0.02:
            return lab
    if abs(confs[0] - 0.45) < 0.002:
        return '0.45 guess'  # loose guesses are capped at 0.45 an edge
    return 'other %.2f' % s


def calib(sheets):
    seen = {}
    for sh in sheets:
        repo = os.path.basename(sh).split('-')[0]
        for line in open(sh, encoding='utf-8', errors='replace'):
            p = line.rstrip('\n').split('\t')
            if len(p) < 6 or p[0].strip() not in ('y', 'n'):
                continue
            try:
                seen.setdefault((repo, p[3], p[5].strip()), (p[0].strip(), p[1], kind(p[5])))
            except (ValueError, IndexError):
                continue
    by = collections.defaultdict(lambda: [0, 0])
    for v, lang, k in seen.values():
        for key in ((k, 'all'), (k, {'tsx': 'typescript'}.get(lang, lang))):
            by[key][0] += v == 'y'
            by[key][1] += 1
    print('kind\tlang\tright/judged\tprecision\tWilson 95%')
    for key in sorted(by, key=lambda k: (k[0], k[1] != 'all', k[1])):
        y, n = by[key]
        lo, hi = rs.wilson(y, n)
        print('%s\t%s\t%d/%d\t%.2f\t%.2f-%.2f' % (key[0], key[1], y, n, y / n, lo, hi))


if __name__ == '__main__':
    a = sys.argv
    if len(a) == 8 and a[1] == 'changed':
        changed(a[2], a[3], a[4], int(a[5]), int(a[6]), a[7])
    elif len(a) == 6 and a[1] == 'weak':
        weak(a[2], a[3], int(a[4]), int(a[5]))
    elif len(a) > 2 and a[1] == 'calib':
        calib(a[2:])
    else:
        sys.exit(__doc__)
