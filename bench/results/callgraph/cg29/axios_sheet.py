#!/usr/bin/env python3
"""axios_sheet.py CHANGED.txt > SHEET: the held-out axios' changed calls (resolver 41 -> 43) with
verdicts by group, read in the source (dist/ bundles are builds of lib/)."""
import sys
lines = open(sys.argv[1]).read().split('\n')
print('# cg29 held-out axios 23a25af0, resolver 41 -> 43: %s' % lines[0])
print('# call\treceiver\tcallee\tresolver 41\tresolver 43\tright 41\tright 43\td\tgroup (why)')
def v(site, name, recv, b, a):
    if name in ('onReadCallback', 'proxy'):
        return 'y', 'y', 0, "the member set in another method on a shared object (this[kInternals], options passed on): 0.9 -> 0.45, right both"
    if name == 'then' and recv in ('promise', 'this.promise'):
        return 'n', 'n', 0, "a Promise's then (Axios.request's chain; before the patch in CancelToken): wrong both, 0.9 -> 0.45"
    if name == 'then':
        return 'n', '-', 0, "a Promise's then guessed as CancelToken's patch: none now"
    if name == 'set':
        if 'AxiosHeaders' in a:
            return 'y', 'y', 0, 'AxiosHeaders: descriptor.set guess dropped'
        return 'n', 'n', 0, "babel's descriptor pairs: wrong both"
    if name == 'cancel':
        return 'n', 'n', 0, "a ReadableStream reader's cancel: wrong both"
    if name in ('next', 'return'):
        return '?', '?', 0, "babel's async-iterator helpers (narrowed; not read)"
    if name == 'unsubscribe':
        if recv == 'signal':
            return 'y', 'n', -1, "an input signal (CancelToken.toAbortSignal's): now composeSignals' own at 0.9 (the forEach parameter shadows its `signal`)"
        if recv == 'composedSignal':
            ok = 'composeSignals.signal.unsubscribe' in a
            return 'y', 'y' if ok else 'n', 0 if ok else -1, "composeSignals' returned signal: its member set inside composeSignals, no longer guessed from another function"
        rb = 'y' if 'CancelToken.unsubscribe' in b or 'CancelToken$1.unsubscribe' in b else 'n'
        ra = 'y' if 'CancelToken.unsubscribe' in a or 'CancelToken$1.unsubscribe' in a else 'n'
        return rb, ra, (ra == 'y') - (rb == 'y'), 'a CancelToken (config.cancelToken / this): narrowed'
    return '?', '?', 0, '?'
tot = 0; unread = 0
for i in range(1, len(lines) - 2, 3):
    h = lines[i].split('\t')
    if len(h) < 4:
        continue
    b = lines[i + 1].split(':', 1)[1].strip(); a = lines[i + 2].split(':', 1)[1].strip()
    site = h[0] + ':' + h[1]
    rb, ra, d, why = v(site, h[2], h[3], b, a)
    tot += d; unread += rb == '?'
    print('\t'.join([site, h[3][:80], h[2], b, a, rb, ra, '%+d' % d, why]))
print('# sum of d: %+d (%d rows not read)' % (tot, unread))
