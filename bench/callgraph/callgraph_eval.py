#!/usr/bin/env python3
"""callgraph_eval.py - call resolution figures of an indexed repository, from callgraph_dump.

  callgraph_eval.py stats DUMP.tsv                  per language: calls, share resolved (any
                                                    edge / a confident edge >= 0.5), edges by
                                                    tier, name-only share
  callgraph_eval.py sample DUMP.tsv REPO N SEED     N resolved call sites drawn at random
                                                    (seeded), each with its source line and
                                                    its candidates, as a judging sheet
  callgraph_eval.py changed OLD.tsv NEW.tsv REPO N SEED
                                                    N call sites whose confident edges the
                                                    new dump adds or changes, as a sheet
  callgraph_eval.py gained OLD.tsv NEW.tsv REPO N SEED [weak|confident]
                                                    N call sites without any edge in the old
                                                    dump that the new one resolves (weakly:
                                                    guesses), as a sheet
  callgraph_eval.py score SHEET...                  precision per tier from judged sheets
                                                    (verdict column: y = right, n = wrong)
  callgraph_eval.py defs DUMP.tsv REPO              definition agreement with python3's ast
                                                    (Python), the TypeScript compiler (JS/TS:
                                                    tsdefs.js, NODE_PATH must find typescript)
                                                    and universal-ctags (others)

Tiers are read back from the confidences: a call with k candidates at tier t has k edges of
confidence base[t] / k, base = 1.0 (same file), 0.9 (import, declared type, class name),
0.3 (name only; from resolver 11, cg12: 0.45-0.8 by the kind of call, each edge at most 0.45,
together at most 0.8, so still "weak" here), 0.45 / 0.2 (guesses), 0.7 / 0.67 (loose guesses,
each edge at most 0.45).
"""
import collections
import os
import random
import sys


def read(path):
    files, calls = {}, []
    cur = None
    for line in open(path, encoding='utf-8', errors='replace'):
        p = line.rstrip('\n').split('\t')
        if p[0] == 'F':
            files[p[1]] = (p[2], int(p[3]))
        elif p[0] == 'C':
            cur = {'path': p[1], 'line': int(p[2]), 'name': p[3], 'recv': p[4], 'k': int(p[5]),
                   'encl': p[6], 'edges': []}
            calls.append(cur)
        elif p[0] == 'E':
            cur['edges'].append((p[5], int(p[6]), p[7], float(p[8])))
    return files, calls


def tier(c):
    if not c['edges']:
        return None
    b = c['edges'][0][3] * len(c['edges'])
    # loose guesses (0.67 JS/TS, 0.7 C++ shared by their candidates) are weak too
    return '1.0' if b > 0.95 else '0.9' if b > 0.85 else 'weak'


def stats(path):
    files, calls = read(path)
    by = collections.defaultdict(collections.Counter)
    for c in calls:
        lang = files[c['path']][0]
        s = by[lang]
        s['calls'] += 1
        t = tier(c)
        if t:
            s['resolved'] += 1
            s[t] += 1
            if t != 'weak':
                s['confident'] += 1
    print('lang\tcalls\tresolved(any)\tresolved(conf>=0.5)\ttier1.0\ttier0.9\tweak')
    for lang, s in sorted(by.items()):
        n = s['calls']
        print('%s\t%d\t%.3f\t%.3f\t%d\t%d\t%d' % (lang, n, s['resolved'] / n, s['confident'] / n,
                                              s['1.0'], s['0.9'], s['weak']))


def cands(es):
    """A call's candidates as a sheet cell: the first four, then the count."""
    s = ' | '.join('%s:%d %s %.3f' % e for e in es[:4])
    return s + (' | ... (%d)' % len(es) if len(es) > 4 else '')


def sheet(files, calls, repo):
    """A judging sheet: one row per call site (verdict to fill, language, tier, site, its
    source line, candidates)."""
    print('# verdict\tlang\ttier\tcall site\tsource line\tcandidates (path:line qual conf)')
    for c in calls:
        try:
            src = open('%s/%s' % (repo, c['path']), encoding='utf-8',
                       errors='replace').read().split('\n')[c['line'] - 1].strip()[:160]
        except (OSError, IndexError):
            src = '?'
        print('?\t%s\t%s\t%s:%d %s.%s\t%s\t%s' % (files[c['path']][0], tier(c), c['path'],
                                                 c['line'], c['recv'], c['name'], src,
                                                 cands(c['edges'])))


def sample(path, repo, n, seed, langs=None):
    """n resolved call sites (seeded) as a judging sheet; langs: only files of these
    languages (None: all)."""
    files, calls = read(path)
    # shuffle every call site, then keep the resolved ones: a call resolved by two versions
    # of the resolver keeps its place, so judged verdicts carry over between versions
    order = list(range(len(calls)))
    random.Random(seed).shuffle(order)
    res = [calls[i] for i in order
           if calls[i]['edges'] and (langs is None or files[calls[i]['path']][0] in langs)]
    sheet(files, res[:n], repo)


def changed(old_path, new_path, repo, n, seed):
    """Call sites whose confident edges differ between two dumps of the same repository,
    sampled (seeded) as a judging sheet of the new version's resolution."""
    _, old = read(old_path)
    files, new = read(new_path)
    key = lambda c: (c['path'], c['line'], c['name'], c['recv'], c['encl'])
    conf = lambda c: sorted((e[0], e[1]) for e in c['edges'] if e[3] >= 0.5)
    before = {}
    for c in old:
        before.setdefault(key(c), conf(c))
    diff = [c for c in new if conf(c) and before.get(key(c)) != conf(c)]
    print('# %d call sites with new or changed confident edges' % len(diff))
    random.Random(seed).shuffle(diff)
    sheet(files, diff[:n], repo)


def gained(old_path, new_path, repo, n, seed, which):
    """Call sites without any edge in the old dump that have edges in the new one, weak
    (which = 'weak': guesses) or confident (which = 'confident'), sampled (seeded) as a judging
    sheet."""
    _, old = read(old_path)
    files, new = read(new_path)
    key = lambda c: (c['path'], c['line'], c['name'], c['recv'], c['encl'])
    had = set(key(c) for c in old if c['edges'])
    diff = [c for c in new if c['edges'] and key(c) not in had and
            (tier(c) == 'weak') == (which == 'weak')]
    print('# %d call sites without edges before with %s edges now' % (len(diff), which))
    random.Random(seed).shuffle(diff)
    sheet(files, diff[:n], repo)


def score(sheets):
    by = collections.defaultdict(collections.Counter)
    for sh in sheets:
        for line in open(sh, encoding='utf-8'):
            if line.startswith('#') or not line.strip():
                continue
            p = line.rstrip('\n').split('\t')
            v, lang, t = p[0].strip(), p[1], p[2]
            if v not in ('y', 'n'):
                continue
            cls = 'weak' if t in ('weak', 'loose', 'guess', 'name') else 'confident'
            keys = {(lang, 'tier ' + t), (lang, cls), (lang, 'all'), ('all', 'tier ' + t),
                    ('all', cls), ('all', 'all')}
            for key in keys:
                by[key]['n'] += 1
                by[key]['y'] += v == 'y'
    for key in sorted(by):
        s = by[key]
        print('%s\t%s\t%d/%d\t%.2f' % (key[0], key[1], s['y'], s['n'], s['y'] / s['n']))


def defs(path, repo):
    import ast
    import shutil
    import subprocess
    files, _ = read(path)
    ours = collections.defaultdict(set)
    for line in open(path, encoding='utf-8', errors='replace'):
        p = line.rstrip('\n').split('\t')
        if p[0] == 'D' and p[3] == 'method' and p[4]:  # tools list no anonymous functions
            ours[p[1]].add((int(p[2]), p[4]))
    agree = collections.defaultdict(collections.Counter)
    have_ctags = shutil.which('ctags')
    # JS/TS: the TypeScript compiler's parser (tsdefs.js) when NODE_PATH finds `typescript`
    tsdefs = None
    js = [f for f, (lang, _) in files.items() if lang in ('javascript', 'typescript', 'tsx')]
    if js and shutil.which('node'):
        here = os.path.dirname(os.path.abspath(__file__))
        r = subprocess.run(['node', os.path.join(here, 'tsdefs.js')] +
                           ['%s/%s' % (repo, f) for f in js], capture_output=True, text=True)
        if r.returncode == 0:
            tsdefs = collections.defaultdict(set)
            for l in r.stdout.splitlines():
                p, line, name = l.split('\t')
                tsdefs[p[len(repo) + 1:]].add((int(line), name))
    for f, (lang, _) in sorted(files.items()):
        ref = set()
        if lang == 'python':
            try:
                tree = ast.parse(open('%s/%s' % (repo, f), 'rb').read())
            except (SyntaxError, ValueError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    ref.add((node.lineno, node.name))
        elif lang in ('javascript', 'typescript', 'tsx') and tsdefs is not None:
            ref = tsdefs.get(f, set())
        elif have_ctags:
            kinds = {'c': 'f', 'cpp': 'f', 'go': 'f', 'java': 'm', 'rust': 'fP',
                     'javascript': 'fm', 'typescript': 'fm', 'tsx': 'fm'}
            out = subprocess.run(['ctags', '-x', '--_xformat=%n\t%N\t%K', '--kinds-all=*',
                                  '-o', '-', '%s/%s' % (repo, f)],
                                 capture_output=True, text=True).stdout
            for l in out.splitlines():
                q = l.split('\t')
                if len(q) == 3 and q[2] in ('function', 'method', 'func') and \
                        not q[1].startswith(('AnonymousFunction', '__anon')):
                    ref.add((int(q[0]), q[1].replace(' ', '')))  # "operator ==" -> operator==
        else:
            continue
        mine = ours.get(f, set())
        # a definition agrees when the tool names the same function within 3 lines of ours
        # (decorators, attributes and doc comments move either start)
        byname = collections.defaultdict(list)
        for ml, m in mine:
            byname[m.replace(' ', '')].append(ml)
        # a test-defining macro (TEST(Suite, name) {...}): ctags names it by the macro, we by
        # the test; the same start line is agreement
        starts = {ml for ml, _ in mine}
        matched = sum(1 for (l, n) in ref if any(abs(l - ml) <= 3 for ml in byname.get(n, ()))
                      or (n.isupper() and n.replace('_', '').isalpha() and l in starts))
        agree[lang]['ref'] += len(ref)
        agree[lang]['ours'] += len(mine)
        agree[lang]['matched'] += matched
    for lang, s in sorted(agree.items()):
        print('%s\ttool %d\tours %d\tmatched %d\trecall %.3f\tprecision %.3f' % (
            lang, s['ref'], s['ours'], s['matched'], s['matched'] / max(1, s['ref']),
            s['matched'] / max(1, s['ours'])))


if __name__ == '__main__':
    cmd = sys.argv[1] if len(sys.argv) > 1 else ''
    if cmd == 'stats':
        stats(sys.argv[2])
    elif cmd == 'sample':
        sample(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif cmd == 'changed':
        changed(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    elif cmd == 'gained':
        gained(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]),
               sys.argv[7] if len(sys.argv) > 7 else 'weak')
    elif cmd == 'score':
        score(sys.argv[2:])
    elif cmd == 'defs':
        defs(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
