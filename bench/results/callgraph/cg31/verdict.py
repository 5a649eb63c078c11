import sys
# verdict.py DRAW "1:y:n:note" ... -> sheet rows on stdout
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1])]
v = {}
for a in sys.argv[2:]:
    i, now, before, note = a.split(':', 3)
    for j in i.split(','):
        v[int(j)] = (now, before, note)
for n, r in enumerate(rows, 1):
    now, before, note = v[n]
    r[0], r[1] = now, before
    print('\t'.join(r + [note]))
