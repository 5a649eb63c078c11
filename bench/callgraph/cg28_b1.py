#!/usr/bin/env python3
"""cg28_b1.py - calls the filing's build gave an edge and today's gives none (gopy20.py paired's
B1), for Rust, Java and C, in classes read off the call's text (bench/results/analysis.md "cg28").

  cg28_b1.py FILING.tsv NOW.tsv SRC LANG [N SEED SHEETDIR..] > SHEET
      prints each class with its count and commonest callees (# lines), then N B1 calls drawn
      (seeded shuffle of the sorted keys) as a judging sheet (verdict = was the filing's edge
      right), with the class, the source line and the filing's candidates; a verdict carries
      from a sheet under SHEETDIR whose call site and candidates match (right_share.py's rule).
      --judged SHEET,..: also the B1 rows judged in those sheets (right_share.py's filing and
      B sheets, or this tool's), the filing right / judged per class.
Classes (first that applies): macro (`name!` at the call: a macro read as a call); lib-path
(receiver a path/type not defined in the repository: `PathBuf::from`, `log::debug`, `Arrays.asList`);
repo-path (receiver a path/type the repository defines); self (receiver `self`/`this`/`super`..);
std-name (a method name of the standard library's common types on a value: unwrap, push, get..);
bare (no receiver); value (any other receiver: its type unknown to the resolver).
"""
import collections
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph_eval as ce  # noqa: E402
import right_share as rs  # noqa: E402

STD = set('''unwrap expect unwrap_or unwrap_or_else unwrap_or_default ok err map map_err and_then
or_else is_some is_none is_ok is_err push pop insert remove get get_mut len is_empty iter iter_mut
into_iter collect clone to_string to_owned as_str as_bytes as_ref as_mut join extend contains
starts_with ends_with split trim parse next take replace write flush read clear drain sort
sort_by dedup chars bytes find position any all filter fold count rev last first keys values
entry lock send recv display fmt eq cmp partial_cmp hash from into default new with_capacity
file_name extension parent exists is_dir is_file metadata path to_path_buf to_str
to_string_lossy as_os_str capacity truncate reserve split_at lines min max
equals hashCode toString add put size append charAt length substring indexOf isEmpty
contains containsKey getClass getName valueOf close hasNext set addAll remove keySet entrySet
getKey getValue values iterator stream asList format println print printf'''.split())


def main(fil, now, src, lang, n=0, seed=28, dirs=(), judged=()):
    ff, fc = ce.read(fil)
    nf, nc = ce.read(now)
    f = {rs.call_key(c): c for c in fc if ff[c['path']][0] == lang and c['edges']}
    w = {rs.call_key(c): c for c in nc if nf[c['path']][0] == lang and c['edges']}
    b1 = sorted(k for k in f if k not in w)
    types = set()
    for line in open(now, encoding='utf-8', errors='replace'):
        p = line.rstrip('\n').split('\t')
        if p[0] == 'D':
            types.add(p[4].split('::')[-1].split('.')[-1])
    lines = {}

    def text(c):
        if c['path'] not in lines:
            try:
                lines[c['path']] = open(os.path.join(src, c['path']), encoding='utf-8',
                                        errors='replace').read().split('\n')
            except OSError:
                lines[c['path']] = []
        ls = lines[c['path']]
        return ls[c['line'] - 1] if c['line'] - 1 < len(ls) else ''

    def cls(c):
        r, nm, t = c['recv'], c['name'], text(c)
        if re.search(r'\b%s!\s*[\(\[\{]' % re.escape(nm), t):
            return 'macro'
        if r in ('self', 'this', 'super', 'Self') or r.startswith(('self.', 'this.')):
            return 'self'
        root = re.split(r'::|\.|\(|<', r)[0] if r else ''
        if r and re.fullmatch(r'[A-Za-z_][\w:]*', r) and ('::' in r or r[0].isupper()):
            segs = [s for s in r.split('::') if s]
            return 'repo-path' if any(s in types for s in segs) else 'lib-path'
        if root and re.fullmatch(r'[A-Za-z_]\w*(\.[A-Za-z_]\w*)*', r) and r.split('.')[0][0].isupper():
            return 'repo-path' if r.split('.')[-1] in types else 'lib-path'
        if not r:
            return 'bare'
        if nm in STD:
            return 'std-name'
        return 'value'
    by = collections.defaultdict(list)
    for k in b1:
        by[cls(f[k])].append(k)
    print('# B1 %d of %s calls (%s vs %s)' % (len(b1), lang, fil, now))
    for c, lst in sorted(by.items(), key=lambda x: -len(x[1])):
        top = collections.Counter((f[k]['recv'] + '.' if f[k]['recv'] else '') + f[k]['name']
                                  for k in lst).most_common(6)
        print('# %s %d %s' % (c, len(lst), top))
    if judged:
        seen = from_sheets(f, w, judged)
        print('# judged B1 rows of %s: the filing right / judged, per class' % ','.join(judged))
        for c, lst in sorted(by.items(), key=lambda x: -len(x[1])):
            v = [seen[k] for k in lst if k in seen]
            print('# judged %s %d/%d (of %d)' % (c, sum(v), len(v), len(lst)))
        v = list(seen.values())
        print('# judged all %d/%d (of %d)' % (sum(v), len(v), len(b1)))
    if not n:
        return
    cache = rs.load_cache(dirs)
    keys = list(b1)
    random.Random(seed).shuffle(keys)
    print('# %d of %d B1 calls drawn (seed %d); verdict = the filing right' %
          (min(n, len(keys)), len(keys), seed))
    print('# verdict\tlang\tclass\tcall site\tsource line\tcandidates (path:line qual conf)\t'
          'verdict from')
    for k in keys[:n]:
        c = f[k]
        cands = ' | '.join('%s:%d %s %.3f' % e for e in c['edges'][:4])
        if len(c['edges']) > 4:
            cands += ' | ... (%d)' % len(c['edges'])
        hit = cache.get((k, rs.cands_key(c['edges'])))
        print('%s\t%s\t%s\t%s\t%s\t%s\t%s' % (hit[0] if hit else '?', lang, cls(c), k,
                                            text(c).strip()[:160], cands,
                                            hit[1] if hit else 'cg28'))





def from_sheets(f, w, sheets):
    """the B1 calls among the judged rows of the sheets (the filing's candidates): verdicts"""
    seen = {}
    for sh in sheets:
        for line in open(sh, encoding='utf-8'):
            p = line.rstrip('\n').split('\t')
            if line.startswith('#') or len(p) < 5 or p[0] not in ('y', 'n'):
                continue
            k = p[3] if p[3] in f else None
            if k and k not in w:
                seen[k] = p[0] == 'y'
    return seen


if __name__ == '__main__':
    a = sys.argv
    if len(a) < 5:
        sys.exit(__doc__)
    judged = []
    if '--judged' in a:  # --judged SHEET,SHEET: B1 verdicts per class from judged sheets
        i = a.index('--judged')
        judged = a[i + 1].split(',')
        a = a[:i] + a[i + 2:]
    main(a[1], a[2], a[3], a[4], *([int(a[5]), int(a[6]), a[7:]] if len(a) > 6 else [0, 28, ()]),
         judged=judged)
