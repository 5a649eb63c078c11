#!/usr/bin/env python3
"""cg27_carry.py DUMP SHEET... > COMBINED: the judged rows of the sheets whose call site and candidates
(first 4 by path:line qual, and their count) match DUMP's call (verdict carried only then)."""
import sys
sys.path.insert(0, '/work/wt/cg27/bench/callgraph')
import callgraph_eval as ce
import right_share as rs
files, calls = ce.read(sys.argv[1])
by = {}
for c in calls:
    if c['edges']:
        by.setdefault(rs.call_key(c), []).append(rs.cands_key(c['edges']))
kept = tot = 0
seen = set()
print('# verdict\tlang\ttier\tcall site\tsource line\tcandidates (path:line qual conf)\tverdict from')
for sh in sys.argv[2:]:
    has_src = False
    for line in open(sh, encoding='utf-8', errors='replace'):
        p = line.rstrip('\n').split('\t')
        if line.startswith('#'):
            has_src = has_src or 'source line' in line
            continue
        if len(p) < 5 or p[0].strip() not in ('y', 'n'):
            continue
        tot += 1
        cands = p[5] if has_src and len(p) > 5 else p[4]
        parts = [x.strip() for x in cands.split(' | ')]
        k = len(parts)
        if parts and parts[-1].startswith('... ('):
            k = int(parts[-1][5:-1]); parts = parts[:-1]
        es = sorted(' '.join(x.split(' ')[:2]) for x in parts)
        key = (tuple(es[:4]), k)
        got = [tuple(sorted(' '.join(e.split(' ')[:2]) for e in ck[0])) for ck in by.get(p[3], [])]
        cnt = [ck[1] for ck in by.get(p[3], [])]
        if any(g == key[0] and n == k for g, n in zip(got, cnt)) and p[3] not in seen:
            seen.add(p[3]); kept += 1
            src = p[4] if has_src else ''
            print('\t'.join([p[0].strip(), p[1], p[2], p[3], src, cands, sh.split('callgraph/')[-1]]))
print('# kept %d of %d judged rows' % (kept, tot), file=sys.stderr)
