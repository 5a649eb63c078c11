#!/usr/bin/env python3
"""cg15.py - the comparisons of cg15 (bench/results/analysis.md, "## cg15").

  cg15.py diff OLD.tsv NEW.tsv
      calls (matched by path, line, name, receiver) whose edges changed between two dumps of
      a repository (callgraph_dump): lost(tier), gained(tier), changed tier->tier, and calls
      whose candidates stayed with other confidences only (conf-only)
  cg15.py rescore DUMP.tsv SHEET...
      the rows of judged sheets whose candidates differ in DUMP (old and new candidates)
  cg15.py sample DUMP.tsv REPO N SEED LANG[,LANG..]
      callgraph_eval.py sample's draw (same seeded order), rows of the given languages only
  cg15.py priors REPO DB_A BIN_A DB_B BIN_B QUERY PATH[:START-END]...
      `codecomp priors --json` of one prompt (budget 1024, model /work/shared/models/pycode-16m
      or $CC_MODEL) under two builds and databases: priors differing at 6 decimals, the largest
      difference, and how many of the 1024 highest-prior tokens differ
"""
import collections
import json
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph_eval as ce  # noqa: E402


def key(c):
    return (c['path'], c['line'], c['name'], c['recv'])


def diff(old, new):
    _, a = ce.read(old)
    _, b = ce.read(new)
    ka = {key(c): c for c in a}
    cnt = collections.Counter()
    for c in b:
        o = ka.get(key(c))
        if o is None:
            cnt['unmatched'] += 1
            continue
        ea = sorted((e[0], e[1]) for e in o['edges'])
        eb = sorted((e[0], e[1]) for e in c['edges'])
        ta, tb = ce.tier(o), ce.tier(c)
        if ea == eb and ta == tb:
            if [round(e[3], 3) for e in o['edges']] != [round(e[3], 3) for e in c['edges']]:
                cnt['conf-only'] += 1
        elif not eb:
            cnt['lost(%s)' % ta] += 1
        elif not ea:
            cnt['gained(%s)' % tb] += 1
        else:
            cnt['changed %s->%s' % (ta, tb)] += 1
    print(dict(sorted(cnt.items())))


def rescore(dump, sheets):
    _, calls = ce.read(dump)
    idx = {}
    for c in calls:
        idx.setdefault((c['path'], c['line'], c['name']), []).append(c)
    for sh in sheets:
        for line in open(sh, encoding='utf-8', errors='replace'):
            if line.startswith('#'):
                continue
            p = line.rstrip('\n').split('\t')
            m = re.match(r'(\S+):(\d+) (.*)$', p[3])
            path, ln, rest = m.group(1), int(m.group(2)), m.group(3)
            cs = idx.get((path, ln, rest.rsplit('.', 1)[-1]), [])
            c = next((c for c in cs if c['recv'] + '.' + c['name'] == rest), cs[0] if cs else None)
            if c is None:
                print('MISSING\t%s\t%s' % (sh, p[3]))
                continue
            new = ce.cands(c['edges'])
            q = lambda s: [x.rsplit(' ', 1)[0] for x in s.split(' | ') if s and not x.startswith('...')]
            if q(p[5]) != q(new):
                print('%s\t%s\t%s\tOLD %s\tNEW %s' % (os.path.basename(sh), p[0], p[3], p[5], new))


def priors(repo, dba, bina, dbb, binb, query, paths):
    model = os.environ.get('CC_MODEL', '/work/shared/models/pycode-16m')

    def run(b, db):
        out = subprocess.run([b, 'priors', '--json', '--db', db, '--model', model, '--budget',
                              '1024', '--query', query, repo] + paths, capture_output=True,
                             text=True, check=True).stdout
        return json.loads(out)
    a, b = run(bina, dba), run(binb, dbb)
    ta, tb = a['tokens'], b['tokens']
    if len(ta) != len(tb):
        sys.exit('the two prompts differ in length')
    d = [abs(x['prior'] - y['prior']) for x, y in zip(ta, tb)]
    top = lambda t: set(sorted(range(len(t)), key=lambda i: -t[i]['prior'])[:1024])
    print('%d tokens, seeds %s/%s: %d priors differ at 6 decimals, max |diff| %.6f; '
          'top-1024 tokens by prior: %d differ' % (len(ta), a.get('n_seeds'), b.get('n_seeds'),
                                                  sum(x >= 5e-7 for x in d), max(d),
                                                  len(top(ta) ^ top(tb)) // 2))


def main(a):
    if len(a) == 3 and a[0] == 'diff':
        diff(a[1], a[2])
    elif len(a) >= 3 and a[0] == 'rescore':
        rescore(a[1], a[2:])
    elif len(a) == 6 and a[0] == 'sample':
        ce.sample(a[1], a[2], int(a[3]), int(a[4]), a[5].split(','))
    elif len(a) >= 8 and a[0] == 'priors':
        priors(a[1], a[2], a[3], a[4], a[5], a[6], a[7:])
    else:
        sys.exit(__doc__)


main(sys.argv[1:])
