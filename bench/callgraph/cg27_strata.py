#!/usr/bin/env python3
"""cg27_strata.py FILING.tsv NOW.tsv B_SHEETS C_SHEETS [BASE.tsv T_SHEETS] - right_share.py's
paired strata (cg7 method) for one C++ repository, with the C stratum optionally split: T = the
calls whose candidates differ between BASE.tsv (the build before a change) and NOW.tsv, judged on
their own (targeted) sheets T_SHEETS, R = the rest of C, judged on C_SHEETS' rows that fall in R.
Sheets: comma-separated, verdict by call site (right_share.verdicts). Bounds: Wilson 95% per
stratum, combined conservatively as right_share.py does."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph_eval as ce
import right_share as rs


def load(d):
    f, c = ce.read(d)
    return [x for x in c if f[x['path']][0] == 'cpp']


fc, nc = load(sys.argv[1]), load(sys.argv[2])
cf = {}
for c in fc:
    if c['edges']:
        cf.setdefault(rs.site_key(c), rs.cand_set(c))
A = set(rs.site_key(c) for c in nc if c['edges'] and cf.get(rs.site_key(c)) == rs.cand_set(c))
nb = sum(1 for c in fc if c['edges'] and rs.site_key(c) not in A)
cs = [c for c in nc if c['edges'] and rs.site_key(c) not in A]
T = set()
if len(sys.argv) > 6:
    base = {}
    for c in load(sys.argv[5]):
        base.setdefault(rs.site_key(c), rs.cand_set(c))
    T = set(rs.site_key(c) for c in cs if base.get(rs.site_key(c)) != rs.cand_set(c))
na = sum(1 for c in nc if c['edges'] and rs.site_key(c) in A)
by_f = {rs.call_key(c): rs.site_key(c) for c in fc if c['edges']}
by_n = {rs.call_key(c): rs.site_key(c) for c in nc if c['edges']}
vb = [ok for k, (ok, _) in rs.verdicts(sys.argv[3]).items() if k in by_f and by_f[k] not in A]
vr = [ok for k, (ok, _) in rs.verdicts(sys.argv[4]).items()
      if k in by_n and by_n[k] not in A and by_n[k] not in T]
vt = [ok for k, (ok, _) in rs.verdicts(sys.argv[6]).items()
      if k in by_n and by_n[k] in T] if T else []
va = [ok for k, (ok, _) in rs.verdicts(sys.argv[3]).items() if k in by_f and by_f[k] in A]
nf, nn = len(fc), len(nc)
nt = sum(1 for c in cs if rs.site_key(c) in T)
nr = len(cs) - nt
ya, ja = sum(va), len(va)
pa = ya / ja if ja else 1.0
loa, hia = rs.wilson(ya, ja) if ja else (1.0, 1.0)
wa = na * (1 / nn - 1 / nf)
d = wa * pa
lo = min(wa * loa, wa * hia)
hi = max(wa * loa, wa * hia)
parts = []
for name, n, v, sign, denom in (('B', nb, vb, -1, nf), ('C_rest', nr, vr, 1, nn), ('C_T', nt, vt, 1, nn)):
    if not n:
        continue
    y, j = sum(v), len(v)
    p = y / j if j else 0.0
    l, h = rs.wilson(y, j) if j else (0.0, 1.0)
    d += sign * n * p / denom
    if sign > 0:
        lo += n * l / denom
        hi += n * h / denom
    else:
        lo -= n * h / denom
        hi -= n * l / denom
    parts.append('%s %d: %d/%d = %.2f (%.2f-%.2f)' % (name, n, y, j, p, l, h))
print('calls filing %d now %d, A %d; %s' % (nf, nn, na, '; '.join(parts)))
print('right share now - filing: %+.4f (%+.4f..%+.4f) %s' %
      (d, lo, hi, 'above' if lo > 0 else 'below' if hi < 0 else 'not decided'))
