#!/usr/bin/env python3
"""calib_cg14.py SHEET... - stated vs judged per confidence bucket of judged sheets drawn from
dumps made at resolver 12 or later (callgraph_eval.py sample/changed): the bucket is read from
the call's edges (their sum = the call's stated probability that its callee is among them):
tier 1.0, tier 0.9, name-only `f()`, `x.f()` with one candidate (0.45: name-only or a C++ member
guess), `x.f()` with 2+ candidates (0.48 name-only, 0.45 guesses), JS/TS guesses (0.2), other
weak. Prints per bucket and per language x class: right/judged, Wilson 95%, mean stated.
A call judged in several sheets (same call site and candidates) counts once.
"""
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import right_share as rs  # noqa: E402


def bucket(recv, cands):
    confs = [float(m) for m in re.findall(r' (\d\.\d+)(?= \||$)', cands)]
    more = re.search(r'\.\.\. \((\d+)\)', cands)
    k = int(more.group(1)) if more else len(confs)
    total = confs[0] * k if confs else 0.0
    if total > 0.95:
        return '1.0', total
    if total > 0.85:
        return '0.9', total
    if abs(total - 0.2) < 0.03:
        return 'JS/TS guess 0.2', total
    if not recv:
        return 'f() weak', total
    return ('x.f() weak, 1 cand.' if k == 1 else 'x.f() weak, 2+ cand.'), total


def main(sheets):
    seen = set()
    by = collections.defaultdict(lambda: [0, 0, 0.0])
    for sh in sheets:
        for line in open(sh, encoding='utf-8'):
            if line.startswith('#') or not line.strip():
                continue
            p = line.rstrip('\n').split('\t')
            if p[0] not in ('y', 'n'):
                continue
            site, cands = p[3], p[5]
            if (site, cands) in seen:
                continue
            seen.add((site, cands))
            recv = site.split(' ', 1)[1].rsplit('.', 1)[0] if ' ' in site else ''
            b, total = bucket(recv, cands)
            cls = 'confident' if b in ('1.0', '0.9') else 'weak'
            for key in (('all', b), ('all', cls), ('all', 'all'), (p[1], cls), (p[1], 'all')):
                by[key][0] += p[0] == 'y'
                by[key][1] += 1
                by[key][2] += min(total, 1.0)
    for key in sorted(by):
        y, n, s = by[key]
        lo, hi = rs.wilson(y, n)
        print('%s\t%s\t%d/%d = %.2f (%.2f-%.2f)\tstated %.2f' % (key[0], key[1], y, n, y / n, lo,
                                                              hi, s / n))


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
