#!/usr/bin/env python3
"""final_sheet.py REPO CHANGED.txt > SHEET: cg21_changed.py's listing (resolver 41 -> cg29's
resolver 43) as a sheet with the verdicts read by group (rules below; each group read in the
source, bench/results/analysis.md cg29)."""
import sys
repo, path = sys.argv[1:3]
lines = open(path).read().split('\n')
print('# cg29, %s, resolver 41 -> 43: %s' % (repo, lines[0]))
print('# call\treceiver\tcallee\tresolver 41\tresolver 43\tright 41\tright 43\td\tfix\tgroup (why)')
def verdict(site, name, recv, b, a):
    f, line = site.split(':')
    if repo == 'ky':
        if name == 'isSchemaCalled':
            return '-', 'y', 1, '3a', 'a member of the object literal createSchemaCallTracker returns'
        if name == 'now':
            return 'n', ('-' if a == '[]' else 'n'), 0, '1', "Date.now = () => now of another test's callback (or before the patch in the same one)"
        return 'n', ('-' if a == '[]' else 'n'), 0, '1', "customFetch's local response / the platform's Response: wrong; none or weak now"
    if repo == 'got':
        if name in ('once', 'unhandleAll', 'signalHandlersRemoved', 'redirectRequestCount') and b == '[]':
            return '-', 'y', 1, '3a', 'a member of the object literal the function returns'
        if name == 'createHttpTestServer':
            return '-', 'y', 1, '3b', "(await import('./helpers/create-http-test-server.js')).default"
        return 'n', '-', 0, '1', 'a guess at a member set inside another function (Node response/stream/emitter, URLSearchParams, Set): none now'
    if repo == 'express':
        if name in ('foobar', 'shout', 'foo'):
            if line == '39':
                return 'n', 'n', 0, '1', 'app2 has no member (the test expects 500): wrong both'
            return 'y', 'y', 0, '1', 'narrowed to the member set in the same test (the right one kept)'
        if name == 'get' and 'req.header 0.10' in a and 'res.get 0.10' in a:
            return 'n', 'n', 0, '2', 'app.get(..) (a computed app[method]): wrong both'
        if f == 'lib/application.js' and recv == 'this' and name == 'get':
            return 'n', 'n', 0, '2', 'this is the app: wrong both'
        if f == 'examples/resource/index.js':
            return 'n', 'n', 0, '2', 'this is the app: wrong both'
        if name == 'set' and 'app.set' in a:
            if recv in ('blog', 'this'):
                return 'y', 'y', 0, '2', 'an app: app.set kept among the candidates'
            return 'n', 'y', 1, '2', 'res.status(..)/res.type(..) return res: res.set among the candidates'
        if name == 'set':
            return 'n', 'y', 1, '2', 'res.set = res.header = function header: the response'
        if name == 'get':
            return 'n', 'y', 1, '2', 'req.get = req.header = function header: the request'
        if name == 'contentType':
            return '-', 'y', 1, '2', 'res.contentType = res.type = function contentType'
    return '?', '?', 0, '?', '?'
tot = 0
for i in range(1, len(lines) - 2, 3):
    h = lines[i].split('\t')
    if len(h) < 4:
        continue
    b = lines[i + 1].split(':', 1)[1].strip(); a = lines[i + 2].split(':', 1)[1].strip()
    site = h[0] + ':' + h[1]
    rb, ra, d, fix, why = verdict(site, h[2], h[3], b, a)
    tot += d
    print('\t'.join([site, h[3][:80], h[2], b, a, rb, ra, '%+d' % d, fix, why]))
print('# sum of d (right at 43 - right at 41): %+d' % tot)
