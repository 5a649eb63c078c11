#!/usr/bin/env python3
"""cg28_b1cls.py FIL.tsv NOW.tsv SRC LANG[+LANG] [SHEET,..] - the B1 calls (an edge at the filing,
none now) in classes for C/C++ and JS/TS (bench/results/analysis.md "cg28-tcx"), read off the
call's text and the file; with judged sheets (verdict = right at the filing, call key in column
4), the judged rows per class. Classes (first that applies):
  C/C++: decl (the call is a declaration or a macro: an ALL_CAPS name, TEST, a `T() = default;` /
  prototype line, the filing's candidate within 3 lines of the call), reassigned (a local whose
  last assignment before the call is `v = f(..)` / `v = p->F(..)` with F capitalised: resolver
  41's value_type reads the value as class F), std (a `std::` call or a std container/string
  member name: size, data, c_str, push_back..), ctor (a bare capitalised call: a constructor),
  other (receiver type unknown).
  JS/TS: lib (a global or library receiver: JSON, Object, window, document, fireEvent, screen,
  React, Promise, console, Math, Array), bare-callvalue (a bare call of a local bound to a call's
  value: `const useBoundStore = create()(..)`, `let render = useRender()`), bare-import (a bare
  call of a name imported from a package, not the repository: @testing-library's render, vue's
  ref), bare-other, member-set (a member a middleware/factory sets: x.persist.y, api.dispatch),
  dom (a DOM method name on a value: focus, contains, click, addEventListener..), value (other).
"""
import collections, os, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph_eval as ce  # noqa: E402
import right_share as rs  # noqa: E402

STDM = set('''size data c_str push_back emplace_back clear empty begin end rbegin rend cbegin cend
find count append capacity reserve resize insert erase front back pop_back substr length at swap
assign compare str get reset release what first second get_allocator flush'''.split())
GLOB = set('JSON Object window document fireEvent screen React Promise console Math Array Reflect '
           'Number String Date globalThis process Symbol Map Set'.split())
DOM = set('focus blur contains click addEventListener removeEventListener getAttribute setAttribute '
          'querySelector querySelectorAll getBoundingClientRect getRootNode closest matches '
          'dispatchEvent scrollIntoView'.split())


def main(fil, now, src, langs, sheets):
    ff, fc = ce.read(fil)
    nf, nc = ce.read(now)
    f = {rs.call_key(c): c for c in fc if ff[c['path']][0] in langs and c['edges']}
    w = {rs.call_key(c): c for c in nc if nf[c['path']][0] in langs and c['edges']}
    b1 = sorted(k for k in f if k not in w)
    files = {}

    def lines(p):
        if p not in files:
            try:
                files[p] = open(os.path.join(src, p), encoding='utf-8', errors='replace').read().split('\n')
            except OSError:
                files[p] = []
        return files[p]
    cpp = bool(set(langs) & {'c', 'cpp'})

    def cls(c):
        ls = lines(c['path'])
        t = ls[c['line'] - 1] if c['line'] - 1 < len(ls) else ''
        nm, r = c['name'], c['recv']
        if cpp:
            if re.fullmatch(r'[A-Z0-9_]+', nm) and '_' in nm or nm == 'TEST' or \
               re.match(r'\s*(explicit\s+|virtual\s+|GTEST_API_\s+|static\s+|inline\s+)*[\w:<>,\s\*&]*\b%s\s*\([^;]*\)\s*(const\s*)?(=\s*(default|delete|0)\s*)?;' % re.escape(nm), t) and not r and re.match(r'\s*[\w:<>]+\s+[\w:<>]*\s*\b%s\s*\(' % re.escape(nm), t) or \
               any(e[0] == c['path'] and abs(e[1] - c['line']) <= 3 for e in c['edges']) and not r:
                return 'decl'
            if r and re.fullmatch(r'[A-Za-z_]\w*', r):
                pat = re.compile(r'(^|[^\w.>:])%s\s*=\s*(?!=)(.*)' % re.escape(r))
                for i in range(c['line'] - 2, max(-1, c['line'] - 80), -1):
                    if i >= len(ls):
                        continue
                    m = pat.search(ls[i])
                    if m:
                        before = ls[i][:m.start() + len(m.group(1))].strip()
                        if before and re.search(r'[\w>&\*]$', before) and not before.endswith(('return', 'else')):
                            break  # a declaration `T v = ..`
                        cm = re.search(r'(\w+)\s*\(', m.group(2))
                        if cm and cm.group(1)[0].isupper():
                            return 'reassigned'
                        break
            if r.startswith('std') or nm in STDM:
                return 'std'
            if not r and nm[0].isupper():
                return 'ctor'
            return 'other'
        root = re.split(r'[.(\[!?]', r)[0] if r else ''
        if root in GLOB:
            return 'lib'
        if not r:
            # a local bound to a call's value, else an import from a package
            pat = re.compile(r'\b(const|let|var)\s+%s\s*=\s*[\w.]+\s*[(<]' % re.escape(nm))
            if any(pat.search(x) for x in ls):
                return 'bare-callvalue'
            imp = re.compile(r'import\s*\{[^}]*\b%s\b[^}]*\}\s*from\s*[\'"]([^\'"]+)[\'"]' % re.escape(nm))
            m = imp.search('\n'.join(ls))
            if m and not m.group(1).startswith('.') and not m.group(1).startswith('zustand'):
                return 'bare-import'
            return 'bare-other'
        if re.search(r'\.(persist|devtools)$', r) or nm == 'dispatch':
            return 'member-set'
        if nm in DOM:
            return 'dom'
        return 'value'
    by = collections.defaultdict(list)
    for k in b1:
        by[cls(f[k])].append(k)
    seen = {}
    for sh in sheets:
        for line in open(sh, encoding='utf-8'):
            p = line.rstrip('\n').split('\t')
            if line.startswith('#') or len(p) < 5 or p[0] not in ('y', 'n'):
                continue
            if p[3] in f and p[3] not in w:
                seen[p[3]] = p[0] == 'y'
    print('| class | B1 calls | commonest (receiver.name) | filing right / judged |')
    print('| --- | --- | --- | --- |')
    for c, lst in sorted(by.items(), key=lambda x: -len(x[1])):
        top = collections.Counter((f[k]['recv'] + '.' if f[k]['recv'] else '') + f[k]['name']
                                  for k in lst).most_common(5)
        v = [seen[k] for k in lst if k in seen]
        print('| %s | %d | %s | %s |' % (c, len(lst), ', '.join('`%s` %d' % (a[:40], b) for a, b in top),
                                        '%d/%d' % (sum(v), len(v)) if v else '-'))
    v = list(seen.values())
    print('| **all** | **%d** | | %d/%d |' % (len(b1), sum(v), len(v)))


if __name__ == '__main__':
    a = sys.argv
    if len(a) < 5:
        sys.exit(__doc__)
    main(a[1], a[2], a[3], a[4].split('+'), a[5].split(',') if len(a) > 5 else [])
