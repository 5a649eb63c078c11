#!/usr/bin/env python3
"""callgraph_check.py CODECOMP WORKDIR - call resolution on a small repository per language with
the cases real code gets wrong when only names are matched (issue 19). Each expectation names a
call by file, line and callee, and says which definition it must resolve to with a confident edge
(confidence >= 0.5), or that it must get no confident edge (None), or no edge at all ('none'), or
only weak edges (guesses) to one definition.
"""
import json
import os
import subprocess
import sys

CODECOMP, WORK = sys.argv[1], sys.argv[2]
R = os.path.join(WORK, 'repo')

FILES = {
    # ---- Python ----
    'py/pkg/__init__.py': '',
    'py/pkg/util.py': 'def helper(v):\n    return v\n\n\ndef join(a):\n    return a\n',
    'py/pkg/api.py': 'def get(url):\n    return url\n',
    'py/pkg/sessions.py': (
        'class Session:\n'
        '    def __init__(self):\n'
        '        self.n = 0\n'
        '    def get(self, url):\n'
        '        return url\n'),
    'py/pkg/main.py': (
        'from .util import helper\n'                       # 1
        'from . import api\n'                              # 2
        'from .sessions import Session\n'                  # 3
        '\n'                                               # 4
        'def httpbin():\n'                                 # 5
        '    return 1\n'                                   # 6
        '\n'                                               # 7
        'def test_a(httpbin):\n'                           # 8
        '    httpbin()\n'                                  # 9  parameter shadows
        '    helper(1)\n'                                  # 10 imported
        '    s = Session()\n'                              # 11 constructor
        '    s.get("x")\n'                                 # 12 typed receiver
        '    " ".join(["a"])\n'                            # 13 literal receiver
        '    api.get("u")\n'                               # 14 module receiver
        '    undefined_here()\n'                           # 15 neither defined nor imported
        '    httpbin_local = 2\n'),                        # 16
    'py/pkg/other.py': 'def undefined_here():\n    return 0\n',
    # class hierarchies: a method reached through self/this/super/a typed receiver is the
    # nearest base class's (Python, Java, C++, TS), not any class's of that name
    'py/pkg/base.py': (
        'class Base:\n    def area(self):\n        return 0\n'
        '    def describe(self):\n        return self.area()\n'),
    'py/pkg/other2.py': 'class Other:\n    def describe(self):\n        return 1\n',
    'py/pkg/shapes.py': (
        'from .base import Base\n'                         # 1
        'class Square(Base):\n'                            # 2
        '    def size(self):\n'                            # 3
        '        return self.describe()\n'                 # 4 inherited
        '    def area(self):\n'                            # 5
        '        return super().area()\n'                  # 6 super(): the base's
        'def measure(s: Square):\n'                        # 7
        '    return s.area()\n'),                          # 8 the override, not the base's
    # ---- JavaScript / TypeScript ----
    'js/lib/response.js': (
        'var res = module.exports = {};\n'
        'res.send = function send(body) { return body; };\n'),
    'js/lib/math.js': 'exports.add = function (a, b) { return a + b; };\n',
    'js/lib/date.js': 'function setHours(d) { return d; }\nmodule.exports = setHours;\n',
    'js/app.js': (
        "var math = require('./lib/math');\n"              # 1
        'function handler(req, res, fn) {\n'               # 2
        '  res.send(1);\n'                                 # 3 object named like the receiver
        '  math.add(1, 2);\n'                              # 4 CommonJS module
        '  fn();\n'                                        # 5 parameter shadows
        '  var date = new Date();\n'                       # 6
        '  date.setHours(1);\n'                            # 7 a value's method: no free function
        '}\n'),
    'ts/src/index.ts': 'export function sum(a: number, b: number) { return a + b; }\n',
    'ts/src/util/fmt.ts': 'export function fmt(x: number) { return String(x); }\n',
    'ts/src/other/fmt.ts': 'export function fmt(x: number) { return "other"; }\n',
    'ts/src/use.ts': (
        "import {sum} from './index.ts';\n"                # 1 import with extension
        "import {fmt} from '@/util/fmt';\n"                # 2 path alias
        'export function run() {\n'                        # 3
        '  fmt(sum(1, 2));\n'                              # 4
        '}\n'),
    # tsconfig.json compilerOptions.paths and baseUrl (JSON with comments, trailing commas)
    'ts/tsconfig.json': (
        '{\n  // as tsc accepts it\n  "compilerOptions": {\n    "baseUrl": "./src", /* here */\n'
        '    "paths": { "#lib/*": ["lib/*"], },\n  },\n}\n'),
    'ts/src/lib/strings.ts': 'export function pad(s: string) { return s; }\n',
    'ts/src/other/strings.ts': 'export function pad(s: string) { return "x"; }\n',
    'ts/src/alias.ts': (
        "import {pad} from '#lib/strings';\n"             # 1 tsconfig paths
        "import {fmt} from 'util/fmt';\n"                 # 2 baseUrl
        'export function go() {\n'                        # 3
        '  return pad(fmt(1));\n'                         # 4
        '}\n'),
    'ts/src/animals.ts': (
        'export class Animal { name(): string { return "a"; } }\n'
        'export class Robot { name(): string { return "r"; } }\n'),
    'ts/src/dog.ts': (
        "import {Animal} from './animals';\n"              # 1
        'export class Dog extends Animal {\n'              # 2
        '  greet() { return this.name(); }\n'              # 3 inherited through this
        '}\n'),
    # ---- Go ----
    'go/go.mod': 'module example.com/m\n',
    'go/pkg/a.go': (
        'package pkg\n'                                    # 1
        '\n'                                               # 2
        'import (\n'                                       # 3
        '\t"fmt"\n'                                        # 4
        '\t"net/http"\n'                                   # 5
        '\t"example.com/m/render"\n'                       # 6
        ')\n'                                              # 7
        '\n'                                               # 8
        'func run(c *Context, w http.ResponseWriter) {\n'  # 9
        '\thelper()\n'                                     # 10 same package (directory)
        '\trender.JSON()\n'                                # 11 package by import path
        '\tfmt.Println("x")\n'                             # 12 foreign package
        '\tc.Next()\n'                                     # 13 typed parameter
        '\tw.Header()\n'                                   # 14 foreign type
        '}\n'),
    'go/pkg/b.go': (
        'package pkg\n\nfunc helper() {}\n\ntype Context struct{}\n\n'
        'func (c *Context) Next() {}\n\ntype mockWriter struct{}\n\n'
        'func (m *mockWriter) Header() {}\n\nfunc Println(s string) {}\n'),
    'go/other/c.go': 'package other\n\nfunc helper() {}\n',
    'go/render/json.go': 'package render\n\nfunc JSON() {}\n',
    # ---- Rust ----
    'rs/src/matcher.rs': (
        'pub struct Matcher {}\n'
        'impl Matcher {\n'
        '    pub fn new() -> Matcher { Matcher {} }\n'
        '    pub fn find(&self) -> Option<u32> { None }\n'
        '}\n'
        'pub struct GramQuery {}\n'
        'impl GramQuery {\n'
        '    fn unwrap(self) -> u32 { 0 }\n'
        '}\n'),
    'rs/src/main.rs': (
        'use crate::matcher::Matcher;\n'                   # 1
        'fn main() {\n'                                    # 2
        '    let m = Matcher::new();\n'                    # 3 Type::new
        '    m.find();\n'                                  # 4 typed receiver
        '    "5".parse::<u32>().unwrap();\n'               # 5 a library value
        '}\n'),
    # Rust `use` paths: crate:: from the crate root (src/), super:: from the parent module
    'rs/src/a/mod.rs': 'pub mod b;\n',
    'rs/src/a/b.rs': 'pub fn f() -> u32 { 1 }\npub fn g() -> u32 { 2 }\n',
    'rs/src/c.rs': (
        'use super::a::b;\n'                               # 1
        'pub fn f() -> u32 { 3 }\n'                        # 2
        'pub fn max(a: u32, b: u32) -> u32 { a }\n'        # 3
        'pub fn h() -> u32 {\n'                            # 4
        '    b::g()\n'                                     # 5 super path, module receiver
        '}\n'                                             # 6
        'fn local() -> u32 { 4 }\n'                        # 7
        'pub fn k() -> u32 { local() }\n'                  # 8 the file's own, though
        '#[cfg(test)]\nmod tests {\n    use super::local;\n}\n'),  # an inline module imports it
    'rs/src/run.rs': (
        'use crate::a::b::f;\n'                            # 1
        'use std::cmp::max;\n'                             # 2
        'pub fn run() -> u32 {\n'                          # 3
        '    f();\n'                                       # 4 crate path to src/a/b.rs
        '    max(1, 2)\n'                                  # 5 std's, not c.rs's
        '}\n'),
    # ---- Java ----
    'java/src/com/ex/Foo.java': (
        'package com.ex;\n'
        'public class Foo {\n'
        '    public int bar() { return 1; }\n'
        '}\n'),
    'java/src/com/ex/JsonArray.java': (
        'package com.ex;\n'
        'public class JsonArray {\n'
        '    public void add(String s) {}\n'
        '}\n'),
    'java/src/com/ex/Main.java': (
        'package com.ex;\n'                                # 1
        'import java.util.List;\n'                         # 2
        'import java.util.ArrayList;\n'                    # 3
        'public class Main {\n'                            # 4
        '    void run() {\n'                               # 5
        '        Foo x = new Foo();\n'                     # 6 constructor
        '        x.bar();\n'                               # 7 declared type
        '        List<String> l = new ArrayList<>();\n'    # 8
        '        l.add("a");\n'                            # 9 foreign declared type
        '    }\n'
        '}\n'),
    'java/src/com/ex/Animal.java': (
        'package com.ex;\npublic class Animal {\n    public String name() { return "a"; }\n}\n'),
    'java/src/com/ex/Robot.java': (
        'package com.ex;\npublic class Robot {\n    public String name() { return "r"; }\n}\n'),
    'java/src/com/ex/Dog.java': (
        'package com.ex;\n'                               # 1
        'public class Dog extends Animal {\n'             # 2
        '    String greet() {\n'                          # 3
        '        return name();\n'                        # 4 implicit this, inherited
        '    }\n'                                         # 5
        '    void run(Dog d) {\n'                         # 6
        '        d.name();\n'                             # 7 typed receiver, inherited
        '    }\n'
        '}\n'),
    # ---- C / C++ ----
    'c/inc/api.h': (
        '/* not C++: namespace, template <T> and :: only in comments */\n'
        'static const char *sep = "-::*";\n'
        'typedef struct ops { int (*fn)(int); } ops;\n'
        'int compute(int x);\n'),
    'c/src/compute.c': '#include "api.h"\nint compute(int x) { return x; }\nint fn(int x) { return x; }\n',
    'c/src/main.c': (
        '#include "api.h"\n'                               # 1
        'int main(void) {\n'                               # 2
        '    ops o;\n'                                     # 3
        '    o.fn(1);\n'                                   # 4 function pointer field
        '    return compute(2);\n'                         # 5 the one global definition
        '}\n'),
    # identical bytes read as two languages are analysed twice (blobs keyed by oid and language)
    'dup/same.h': 'struct P { int x; };\nint getx(struct P p) { return p.x; }\n',
    'dup/same.cpp': 'struct P { int x; };\nint getx(struct P p) { return p.x; }\n',
    'dup/f.js': 'export function f(a) { return a; }\n',
    'dup/f.ts': 'export function f(a) { return a; }\n',
    'cpp/base.hpp': 'struct Shape { int area() { return 0; } };\nstruct Other { int area() { return 1; } };\n',
    'cpp/sq.cpp': (
        '#include "base.hpp"\n'                           # 1
        'struct Square : public Shape {\n'                # 2
        '    int twice() { return area() * 2; }\n'        # 3 implicit this, inherited
        '};\n'),
    'cpp/v.cpp': (
        '#include <vector>\n'                              # 1
        'struct Range { int* begin() { return 0; } };\n'   # 2
        'int f(std::vector<int>& v) {\n'                   # 3
        '    std::begin(v);\n'                             # 4 the standard library
        '    return 0;\n'
        '}\n'),
}

# More than 8 definitions of one name (the cap on name-only guesses): an import, a module
# receiver or a receiver's type still picks the one right definition, and a name imported from
# a module is its function, not a method of one of its classes.
for _i in range(10):
    FILES['py/many/m%d.py' % _i] = (
        'def get(u):\n    return u\n\n\nclass C%d:\n    def get(self, u):\n        return u\n' % _i)
    FILES['ts/many/m%d.ts' % _i] = (
        'export function get(u: number) { return u; }\n'
        'export class C%d { get(u: number) { return u; } }\n' % _i)
FILES['py/many/__init__.py'] = ''
FILES['py/many/main.py'] = (
    'from .m3 import get\n'                              # 1
    'from .m4 import C4\n'                               # 2
    'from . import m5\n'                                 # 3
    '\n'                                                 # 4
    'def run():\n'                                       # 5
    '    get(1)\n'                                       # 6 imported function
    '    c = C4()\n'                                     # 7
    '    c.get(2)\n'                                     # 8 typed receiver
    '    m5.get(3)\n')                                   # 9 module receiver (from . import)
FILES['ts/many/use.ts'] = (
    "import {get, C4} from './m3';\n"                   # 1
    'export function run() {\n'                         # 2
    '  get(1);\n'                                       # 3 imported function
    '}\n')
# a package re-exporting its module's function still resolves through the package's name
FILES['py/rx/__init__.py'] = 'from .api import fetch\n'
FILES['py/rx/api.py'] = 'def fetch(u):\n    return u\n'
FILES['py/rxuse.py'] = 'import rx\n\n\ndef main():\n    rx.fetch(1)\n'
# JS functions defined by assignment: named by the property, qualified by the object
FILES['js/lib/obj.js'] = (
    'var obj = module.exports = {};\n'
    'obj.get = function (field) { return field; };\n'
    'obj.set = (k, v) => k;\n'
    'module.exports.util = function () { return 1; };\n')
FILES['js/useobj.js'] = (
    "var obj = require('./lib/obj');\n"                 # 1
    'function h() {\n'                                  # 2
    "  obj.get('x');\n"                                 # 3 anonymous function expression
    '  obj.set(1, 2);\n'                                # 4 arrow function
    '}\n')
# `export type * from` (unknown to tree-sitter-typescript 0.23.2; analysis blanks `type` for the parser)
FILES['ts/src/types.ts'] = (
    "export type * from './index';\n"
    'export function kept(a: number) { return a; }\n'
    'export class Kept { m() { return 1; } }\n')

# Receiver types from members, declarations and fixtures: a method called on a member (self.x,
# this->x_, a C++/Java member by its bare name, v.x of a typed variable) is the member's declared
# type's, a C++ local declared without initializer has its declared type, a smart pointer or box
# reaches its pointee, Go's embedded types promote their methods, and a gtest TEST_F body calls
# its fixture's methods. Each callee name has a second definition in another class, so a guess
# by name alone would not be confident.
FILES['rs/src/fields.rs'] = (
    'use crate::matcher::Matcher;\n'                     # 1
    'pub struct Printer {}\n'                            # 2
    'impl Printer { pub fn find(&self) {} }\n'           # 3
    'pub struct Searcher {\n'                            # 4
    '    #[allow(dead_code)]\n'                          # 5
    '    pub(crate) matcher: Matcher,\n'                 # 6
    "    printer: Box<Printer>, // boxed\n"              # 7
    '}\n'                                                # 8
    'impl Searcher {\n'                                  # 9
    '    fn run(&self) {\n'                              # 10
    '        self.matcher.find();\n'                     # 11 member type
    '        self.printer.find();\n'                     # 12 through the box
    '    }\n'                                            # 13
    '}\n'                                                # 14
    "pub struct View<'a> {\n"                           # 15
    "    p: &'a Printer,\n"                              # 16
    '}\n'                                                # 17
    "impl<'a> View<'a> {\n"                             # 18
    '    fn show(&self) {\n'                             # 19
    '        self.p.find();\n'                           # 20 a reference with a lifetime
    '    }\n'                                            # 21
    '}\n'                                                # 22
    'fn make() -> Option<Printer> { None }\n'            # 23
    'fn make_m() -> Matcher { Matcher::new() }\n'        # 24
    'fn use_them() {\n'                                  # 25
    '    let a = make().unwrap();\n'                     # 26
    '    a.find();\n'                                    # 27 the callee's return type
    '    let b = make_m();\n'                            # 28
    '    b.find();\n'                                    # 29
    '}\n'                                                # 30
    'impl Printer {\n'                                   # 31
    '    pub fn new() -> Printer { Printer {} }\n'       # 32
    '    pub fn quiet(self, _q: bool) -> Self { self }\n' # 33
    '    pub fn matcher(&self) -> Matcher { Matcher::new() }\n'  # 34
    '}\n'                                                # 35
    'fn chain() {\n'                                     # 36
    '    let p = Printer::new().quiet(true);\n'          # 37
    '    p.find();\n'                                    # 38 a builder chain (Self)
    '    let m = p.matcher();\n'                         # 39
    '    m.find();\n'                                    # 40 (not followed: a variable's call)
    '}\n')
FILES['cpp/env.h'] = (
    'class Env { public: int Now() { return 0; } };\n'
    'class Clock { public: int Now() { return 1; } };\n'
    'class Status { public: bool ok() { return true; } };\n'
    'class Other { public: bool ok() { return false; } };\n')
# another copy of Env the caller neither includes nor sits next to (a vendored version)
FILES['cpp/legacy/v1/env.h'] = 'class Env { public: int Now() { return 2; } };\n'
FILES['cpp/db.h'] = (
    '#include <memory>\n'
    '#include "env.h"\n'
    'class DB {\n'
    ' public:\n'
    '  int Run();\n'
    ' private:\n'
    '  Env* env_;  // not owned\n'
    '  std::unique_ptr<Clock> clock_;\n'
    '};\n')
FILES['cpp/db.cc'] = (
    '#include "db.h"\n'                                  # 1
    'int DB::Run() {\n'                                  # 2
    '  Status s;\n'                                      # 3
    '  s.ok();\n'                                        # 4 declared without initializer
    '  env_->Now();\n'                                   # 5 member by its bare name
    '  this->env_->Now();\n'                             # 6 this->member
    '  clock_->Now();\n'                                 # 7 unique_ptr member
    '  auto c = std::make_unique<Clock>();\n'            # 8
    '  c->Now();\n'                                      # 9 make_unique
    '  return 0;\n'
    '}\n')
FILES['cpp/app/main.cc'] = (
    '#include "db.h"\n'                                  # 1
    'int main() {\n'                                     # 2
    '  Env* e = nullptr;\n'                              # 3
    '  return e->Now();\n'                               # 4 seen through db.h's include
    '}\n')
FILES['cpp/db_test.cc'] = (
    '#include "db.h"\n'                                  # 1
    'struct DBTest { int Reopen() { return 0; } };\n'    # 2
    'struct OtherTest { int Reopen() { return 1; } };\n' # 3
    'TEST_F(DBTest, Basic) {\n'                          # 4
    '  Reopen();\n'                                      # 5 the fixture's method
    '}\n')
FILES['java/src/com/ex/Holder.java'] = (
    'package com.ex;\n'                                  # 1
    'public class Holder {\n'                            # 2
    '    private final Foo foo = new Foo();\n'           # 3
    '    @Deprecated protected Robot robot;\n'           # 4
    '    void go() {\n'                                  # 5
    '        foo.bar();\n'                               # 6 member by its bare name
    '        this.robot.name();\n'                       # 7 this.member
    '    }\n'
    '}\n')
# a type imported from a library is not the repository's nested class of that name
FILES['java/src/com/ex/Rules.java'] = (
    'package com.ex;\npublic class Rules {\n'
    '    static class CompilationRule { int getElements() { return 1; } }\n}\n')
FILES['java/src/com/ex/UseRule.java'] = (
    'package com.ex;\n'                                  # 1
    'import com.google.testing.compile.CompilationRule;\n'  # 2
    'public class UseRule {\n'                           # 3
    '    public final CompilationRule compilation = new CompilationRule();\n'  # 4
    '    int go() {\n'                                   # 5
    '        return compilation.getElements();\n'        # 6 the library's
    '    }\n'
    '}\n')
FILES['java/src/com/ex/Bar2.java'] = (
    'package com.ex;\npublic class Bar2 {\n    public int bar() { return 2; }\n}\n')
FILES['ts/src/holder.ts'] = (
    "import {Robot, Animal} from './animals';\n"        # 1
    'export class Holder {\n'                            # 2
    '  private robot: Robot;\n'                          # 3
    '  animal = new Animal()\n'                          # 4
    '  go() {\n'                                         # 5
    '    this.robot.name();\n'                           # 6 typed member
    '    this.animal.name();\n'                          # 7 constructed member
    '  }\n'                                              # 8
    '}\n'                                                # 9
    'export function makeRobot(): Robot { return new Robot(); }\n'  # 10
    'export function useIt() {\n'                        # 11
    '  const r = makeRobot();\n'                         # 12
    '  r.name();\n'                                      # 13 the callee's return type
    '}\n')
FILES['py/pkg/holder.py'] = (
    'from .sessions import Session\n'                    # 1
    'from .other2 import Other\n'                        # 2
    'class Holder:\n'                                    # 3
    '    def __init__(self):\n'                          # 4
    '        self.session = Session()\n'                 # 5
    '        self.other = Other()\n'                     # 6
    '    def go(self):\n'                                # 7
    '        self.session.get("u")\n'                    # 8 constructed member
    '        self.other.describe()\n'                    # 9
    'def make_session() -> Session:\n'                   # 10
    '    return Session()\n'                             # 11
    'def use():\n'                                       # 12
    '    s = make_session()\n'                           # 13
    '    s.get("x")\n')                                  # 14 the callee's return type
FILES['go/pkg/eng.go'] = (
    'package pkg\n'                                      # 1
    '\n'                                                 # 2
    'type Engine struct {\n'                             # 3
    '\tContext\n'                                        # 4 embedded
    '\tw *mockWriter `json:"w"`\n'                      # 5
    '}\n'                                                # 6
    '\n'                                                 # 7
    'func (e *Engine) Serve() {\n'                       # 8
    '\te.Next()\n'                                       # 9 promoted from the embedded type
    '\te.w.Header()\n'                                   # 10 member of a typed variable
    '}\n'                                                # 11
    'func makeW() (*mockWriter, error) { return &mockWriter{}, nil }\n'  # 12
    'func useW() {\n'                                    # 13
    '\tw, _ := makeW()\n'                                # 14
    '\tw.Header()\n'                                     # 15 the callee's first result
    '}\n')
# Go: x := New() takes the declared result of the caller's package's New, not another
# package's (render.New), and an exported name is a function, not a type (cg6)
FILES['go/pkg/mk.go'] = (
    'package pkg\n'                                      # 1
    '\n'                                                 # 2
    'func New() *Engine { return &Engine{} }\n'          # 3
    '\n'                                                 # 4
    'func useNew() {\n'                                  # 5
    '\te := New()\n'                                     # 6
    '\te.Serve()\n'                                      # 7 the package's New's result
    '}\n')
FILES['go/render/new.go'] = (
    'package render\n\ntype Render struct{}\n\nfunc New() *Render { return &Render{} }\n\n'
    'func (r *Render) Serve() {}\n')
# Go pkg.F(): F of the package the import names; another module's package gives a value of
# no type of the repository (no guesses on it)
FILES['go/pkg/mk2.go'] = (
    'package pkg\n'                                      # 1
    '\n'                                                 # 2
    'import (\n'                                         # 3
    '\t"net/http/httptest"\n'                            # 4
    '\t"example.com/m/render"\n'                         # 5
    ')\n'                                                # 6
    '\n'                                                 # 7
    'func usePkg() {\n'                                  # 8
    '\tr := render.New()\n'                              # 9
    '\tr.Serve()\n'                                      # 10 render's New's result
    '\tv := httptest.Default()\n'                        # 11
    '\tv.Serve()\n'                                      # 12 a foreign value: no edge
    '}\n')
# loose guesses (cg6): JS/TS functions stored in an object of the caller's directory, C++
# methods whose class is lost (free functions called on a value), and up to 8 candidates
FILES['js/loose/util.js'] = (
    'const isThing = (v) => v !== null;\n'              # 1
    'const utils = {isThing};\n'                         # 2
    'function stringify(v) { return ""; }\n'             # 3
    'function formatDistance(locale) {\n'                # 4
    '  return locale.formatDistance(1);\n'               # 5 the caller itself: none
    '}\n'                                                # 6
    'function check(x) {\n'                              # 7
    '  JSON.stringify(x);\n'                             # 8 a platform global: none
    '  return utils.isThing(x);\n'                       # 9 a loose guess
    '}\n')
FILES['js/loose/far/use.js'] = (
    'function f(date) {\n'                               # 1
    '  return date.isThing();\n'                         # 2 another directory's function: none
    '}\n')
FILES['cpp/loose.cc'] = (
    'int size() { return 0; }\n'                         # 1
    'void use() {\n'                                     # 2
    '  auto v = make_thing();\n'                         # 3
    '  v.size();\n'                                      # 4 a free function on a value
    '}\n'                                                # 5
    'struct A1 { void run() {} };\n'                     # 6
    'struct A2 { void run() {} };\n'                     # 7
    'struct A3 { void run() {} };\n'                     # 8
    'struct A4 { void run() {} };\n'                     # 9
    'struct A5 { void run() {} };\n'                     # 10
    'void go2() {\n'                                     # 11
    '  auto w = make_thing();\n'                         # 12
    '  w.run();\n'                                       # 13 five candidates
    '}\n')
FILES['go/pkg/other.go'] = (
    'package pkg\n\ntype Router struct{}\n\nfunc (r *Router) Next() {}\n\n'
    'type fakeWriter struct{}\n\nfunc (f *fakeWriter) Header() {}\n')

# declared return types written before the name (C++/Java), JS/TS factories, TS parameter
# properties (cg4)
FILES['cpp/make.cc'] = (
    '#include "env.h"\n'                                # 1
    '#include <memory>\n'                               # 2
    'static Clock make_clock() { return Clock(); }\n'   # 3
    'std::unique_ptr<Env> make_env() { return nullptr; }\n'  # 4
    'void use() {\n'                                    # 5
    '  auto c = make_clock();\n'                        # 6
    '  c.Now();\n'                                      # 7 the callee's return type
    '  auto e = make_env();\n'                          # 8
    '  e->Now();\n'                                     # 9 a smart pointer's pointee
    '}\n')
FILES['java/src/com/ex/Factory.java'] = (
    'package com.ex;\n'                                 # 1
    'public class Factory {\n'                          # 2
    '    static Robot makeRobot() { return new Robot(); }\n'  # 3
    '    void use() {\n'                                # 4
    '        var r = makeRobot();\n'                    # 5
    '        r.name();\n'                               # 6 the sibling method's return type
    '        Robot q = new Robot();\n'                  # 7
    '        q = Robot.builder().build();\n'            # 8 a reassignment keeps the declared type
    '        q.name();\n'                               # 9
    '    }\n'
    '}\n')
FILES['js/widget.js'] = (
    'class Widget { render() { return 1; } }\n'         # 1
    'class Gadget { render() { return 2; } }\n'         # 2
    'function createWidget() { return new Widget(); }\n'  # 3
    'function main() {\n'                               # 4
    '  const w = createWidget();\n'                     # 5
    '  w.render();\n'                                   # 6 a factory's product
    '}\n'
    'module.exports = { Widget, Gadget, createWidget, main };\n')
FILES['ts/src/svc.ts'] = (
    "import {Robot} from './animals';\n"               # 1
    'export class Svc {\n'                              # 2
    '  constructor(private readonly robot: Robot, public n: number) {}\n'  # 3
    '  go() {\n'                                        # 4
    '    this.robot.name();\n'                          # 5 a parameter property
    '  }\n'                                             # 6
    '}\n'                                               # 7
    'export function makeSvc() { return new Svc(new Robot(), 1); }\n'  # 8
    'export function useSvc() {\n'                      # 9
    '  const s = makeSvc();\n'                          # 10
    '  s.go();\n'                                       # 11 a factory's product
    '}\n')

# method chains: a call's value typed by what the call resolves to (cg4)
FILES['rs/src/chain.rs'] = (
    'pub struct Builder { n: u32 }\n'                                   # 1
    'impl Builder {\n'                                                  # 2
    '    pub fn new() -> Builder { Builder { n: 0 } }\n'                # 3
    '    pub fn line_number(&mut self, yes: bool) -> &mut Builder { self }\n'  # 4
    '    pub fn build(&self) -> Searcher { Searcher {} }\n'             # 5
    '}\n'                                                               # 6
    'pub struct Searcher {}\n'                                          # 7
    'impl Searcher { pub fn search(&self) -> Option<Sink> { None } }\n'  # 8
    'pub struct Sink {}\n'                                              # 9
    'impl Sink { pub fn finish(&self) {} }\n'                           # 10
    'pub struct Other {}\n'                                             # 11
    'impl Other { pub fn build(&self) {} pub fn finish(&self) {} pub fn search(&self) {} }\n'
    'pub fn run() {\n'                                                  # 13
    '    Builder::new().line_number(true).build().search().unwrap().finish();\n'  # 14
    '}\n')
FILES['java/src/com/ex/Chain.java'] = (
    'package com.ex;\n'                                                 # 1
    'public class Chain {\n'                                            # 2
    '    static Chain of() { return new Chain(); }\n'                   # 3
    '    Chain add(int x) { return this; }\n'                           # 4
    '    Robot robot() { return new Robot(); }\n'                       # 5
    '    void use() {\n'                                                # 6
    '        Chain.of().add(1).robot().name();\n'                       # 7
    '        new Robot().name();\n'                                     # 8
    '    }\n'
    '}\n')
FILES['ts/src/chain.ts'] = (
    "import {Robot} from './animals';\n"                               # 1
    'export class Shop { robot(): Robot { return new Robot(); } }\n'    # 2
    'export function go2() {\n'                                         # 3
    '  new Shop().robot().name();\n'                                    # 4
    '}\n')
FILES['cpp/chain.cc'] = (
    '#include "env.h"\n'                                                # 1
    'class Factory2 { public: Clock clock() { return Clock(); } Env* env() { return nullptr; } };\n'
    'void use2(Factory2& f) {\n'                                        # 3
    '  f.clock().Now();\n'                                              # 4
    '  f.env()->Now();\n'                                               # 5
    '}\n')

# `this` inside an arrow function is its definer's (cg4)
FILES['ts/src/arrow.ts'] = (
    'export class Req {\n'                                              # 1
    '  fail(e: Error) { return e; }\n'                                  # 2
    '  go() {\n'                                                        # 3
    "    setTimeout(() => { this.fail(new Error('x')); }, 1);\n"        # 4
    '  }\n'                                                             # 5
    '}\n'                                                               # 6
    'export class Req2 { fail(e: Error) { return e; } }\n')             # 7

# A package imported by its own name from inside it (Node's self-reference, pkg18): the nearest
# package.json's `name` through its `exports` ("." conditions, "./util" subpath; "types" and
# "./*" patterns skipped; a package.json with `main` but no `exports` gives none, as in Node);
# re-exports of the entry followed as for a relative import.
# A nameless package.json below hides the name; another name, a truncated or binary
# package.json: no edge, the index completes.
FILES['js/selfpkg/package.json'] = (
    '{"name": "selfpkg", "type": "module", "exports": {".": {"types": "./index.d.ts",'
    ' "import": "./index.js"}, "./util": "./lib/util.js", "./*": "./lib/*.js"}}\n')
FILES['js/selfpkg/index.js'] = (
    "export function hello() { return 1; }\n"
    "export {send} from './lib/send.js';\n")
FILES['js/selfpkg/lib/send.js'] = 'export function send() { return 2; }\n'
FILES['js/selfpkg/lib/util.js'] = 'export function utilFn() { return 3; }\n'
FILES['js/selfpkg/test/use.js'] = (
    "import {hello, send} from 'selfpkg';\n"             # 1
    "import {utilFn} from 'selfpkg/util';\n"             # 2
    'hello();\n'                                         # 3 the "." import condition
    'send();\n'                                          # 4 re-exported by the entry
    'utilFn();\n')                                       # 5 an exports subpath
FILES['js/selfpkg/test/other.js'] = (
    "import {hello} from 'selfpkg-other';\n"             # 1 another package's name
    'hello();\n')                                        # 2
FILES['js/selfpkg/fixtures/package.json'] = '{"type": "module"}\n'
FILES['js/selfpkg/fixtures/f.js'] = (
    "import {hello} from 'selfpkg';\n"                   # 1 the nearest package.json has no name
    'hello();\n')                                        # 2
FILES['js/mainpkg/package.json'] = '{"name": "@scope/mainpkg", "main": "src/entry"}\n'
FILES['js/mainpkg/src/entry.js'] = 'export function entryFn() { return 4; }\n'
FILES['js/mainpkg/t.js'] = (
    "import {entryFn} from '@scope/mainpkg';\n"          # 1 no exports: Node has no self-reference
    'entryFn();\n')                                      # 2
FILES['js/badpkg/package.json'] = '{"name": "badpkg", "main": "index.js",\n'
FILES['js/badpkg/index.js'] = 'export function badFn() { return 5; }\n'
FILES['js/badpkg/t.js'] = (
    "import {badFn} from 'badpkg';\n"                    # 1 truncated package.json: ignored
    'badFn();\n')                                        # 2
FILES['js/binpkg/package.json'] = '\x00\x01\xff{"name": "binpkg"}\x00' * 50
FILES['js/binpkg/index.js'] = 'export function binFn() { return 6; }\n'
FILES['js/binpkg/t.js'] = (
    "import {binFn} from 'binpkg';\n"                    # 1 binary package.json: ignored
    'binFn();\n')                                        # 2

# Node's subpath imports (js19): "#name" through the nearest package.json's `imports` (a
# string, conditions node/import/require/default in written order, "types" skipped; a simple
# "#int/*" pattern); an unknown "#name" and a nearer package.json without `imports`: no edge.
FILES['js/imp/package.json'] = (
    '{"name": "imppkg", "type": "module", "imports": {"#styles": "./ext/styles.js",'
    ' "#color": {"types": "./ext/color.d.ts", "node": "./ext/color-node.js",'
    ' "default": "./ext/color-browser.js"}, "#int/*": "./lib/internal/*.js",'
    ' "#two/*/x/*": "./lib/*/*.js", "#null": null}}\n')
FILES['js/imp/ext/styles.js'] = (
    'const styles = {};\n'
    'export function styleFn() { return 1; }\n'
    'export default styles;\n')
FILES['js/imp/ext/color-node.js'] = 'export function colorFn() { return 2; }\n'
FILES['js/imp/ext/color-browser.js'] = 'export function colorFn() { return 3; }\n'
FILES['js/imp/lib/internal/helper.js'] = 'export function helperFn() { return 4; }\n'
FILES['js/imp/src/use.js'] = (
    "import {styleFn} from '#styles';\n"                 # 1
    "import {colorFn} from '#color';\n"                  # 2
    "import {helperFn} from '#int/helper';\n"            # 3
    "import {gone} from '#missing';\n"                   # 4
    'styleFn();\n'                                       # 5 a plain "#name" entry
    'colorFn();\n'                                       # 6 the "node" condition, not "default"
    'helperFn();\n'                                      # 7 a "#int/*" pattern
    'gone();\n')                                         # 8 not in the map
FILES['js/imp/sub/package.json'] = '{"name": "impsub"}\n'
FILES['js/imp/sub/t.js'] = (
    "import {styleFn} from '#styles';\n"                 # 1 the nearest package.json has no imports
    'styleFn();\n')                                      # 2

# Workspace packages (js19): a bare specifier equal to the name of another package.json of the
# revision resolves to its entry: `exports` ("." or "./sub"), else `main`, else index.js; an
# entry in dist/ that the revision lacks falls back to the package's `source` field, then
# src/index.{ts,tsx,js} (SUB/src/index.* for a subpath); a package above a named package
# counts too. Two package.json files with one name, or the importer's own package: no edge.
FILES['js/ws/package.json'] = '{"name": "ws-root", "private": true, "workspaces": ["packages/*"]}\n'
FILES['js/ws/packages/core/package.json'] = (
    '{"name": "@ws/core", "main": "dist/core.js", "source": "src/core.ts", "exports": {".":'
    ' {"types": "./dist/core.d.ts", "import": "./dist/core.mjs", "require": "./dist/core.js"},'
    ' "./extra": {"import": "./dist/extra.mjs"}, "./package.json": "./package.json"}}\n')
FILES['js/ws/packages/core/src/core.ts'] = (
    'export function signal(v: number) { return v; }\n'
    "export {computed} from './computed';\n")
FILES['js/ws/packages/core/src/computed.ts'] = 'export function computed() { return 1; }\n'
FILES['js/ws/packages/core/extra/src/index.ts'] = 'export function extraFn() { return 2; }\n'
FILES['js/ws/packages/core/test/own.ts'] = (
    "import {signal} from '@ws/core';\n"                 # 1 its own package: self-reference only
    'signal(1);\n')                                      # 2
FILES['js/ws/packages/core/utils/package.json'] = '{"name": "@ws/core-utils", "source": "src/u.ts"}\n'
FILES['js/ws/packages/core/utils/src/u.ts'] = (
    "import {signal} from '@ws/core';\n"                 # 1 the named package above it
    'export function u() { return signal(2); }\n')       # 2
FILES['js/ws/packages/plain/package.json'] = '{"name": "ws-plain"}\n'
FILES['js/ws/packages/plain/index.js'] = 'export function plainFn() { return 3; }\n'
FILES['js/ws/packages/mainonly/package.json'] = '{"name": "ws-main", "main": "lib/entry.js"}\n'
FILES['js/ws/packages/mainonly/lib/entry.js'] = 'export function mainFn() { return 4; }\n'
FILES['js/ws/packages/dup1/package.json'] = '{"name": "ws-dup"}\n'
FILES['js/ws/packages/dup1/index.js'] = 'export function dupFn() { return 5; }\n'
FILES['js/ws/packages/dup2/package.json'] = '{"name": "ws-dup", "version": "2.0.0"}\n'
FILES['js/ws/packages/dup2/index.js'] = 'export function dupFn() { return 6; }\n'
FILES['js/ws/packages/cli/package.json'] = (
    '{"name": "@ws/cli", "exports": {".": "./dist/main.mjs", "./commit":'
    ' "./dist/commit/index.mjs"}}\n')
FILES['js/ws/packages/cli/src/main.ts'] = 'export function cliMain() { return 7; }\n'
FILES['js/ws/packages/cli/src/commit/index.ts'] = 'export function commitFn() { return 8; }\n'
FILES['js/ws/packages/app/package.json'] = '{"name": "@ws/app", "exports": "./index.js"}\n'
FILES['js/ws/packages/app/index.js'] = (
    "import {signal, computed} from '@ws/core';\n"       # 1
    "import {extraFn} from '@ws/core/extra';\n"          # 2
    "import {plainFn} from 'ws-plain';\n"                # 3
    "import {mainFn} from 'ws-main';\n"                  # 4
    "import {dupFn} from 'ws-dup';\n"                    # 5
    "import {nope} from '@ws/core/nope';\n"              # 6
    'signal(1);\n'                                       # 7 the `source` field (dist/ absent)
    'computed();\n'                                      # 8 re-exported by that entry
    'extraFn();\n'                                       # 9 a subpath: SUB/src/index.ts
    'plainFn();\n'                                       # 10 no main: index.js
    'mainFn();\n'                                        # 11 main
    'dupFn();\n'                                         # 12 two packages named ws-dup
    'nope();\n'                                          # 13 no such subpath
    "import {cliMain} from '@ws/cli';\n"                 # 14
    "import {commitFn} from '@ws/cli/commit';\n"         # 15
    'cliMain();\n'                                       # 16 dist/main.mjs -> src/main.ts
    'commitFn();\n')                                     # 17 dist/commit/index.mjs -> src/commit/

# package.json fields of the wrong JSON type (js19): ignored, no edge, the index completes.
FILES['js/weird/package.json'] = (
    '{"name": "weird", "imports": ["#a", 1], "exports": 7, "source": {"x": 1}, "main": 3}\n')
FILES['js/weird/src/index.js'] = 'export function weirdFn() { return 7; }\n'
FILES['js/weird2/package.json'] = '{"name": ["weird2"], "imports": {"#b": [[[[[[["./b.js"]]]]]]]}}\n'
FILES['js/weird2/b.js'] = 'export function bFn() { return 8; }\n'
FILES['js/weird2/t.js'] = (
    "import {bFn} from '#b';\n"                          # 1 fallbacks nested past 4 levels
    "import {wFn} from 'weird2';\n"                      # 2
    'bFn();\n'                                           # 3
    'wFn();\n')                                          # 4 a name that is no string

# C++ type aliases (cg4)
FILES['cpp/alias.h'] = (
    '#include "env.h"\n'
    'using Clk = Clock;\n'
    'typedef Env Environment;\n')
FILES['cpp/alias.cc'] = (
    '#include "alias.h"\n'                                              # 1
    'void use3(Clk c, Environment* e) {\n'                              # 2
    '  c.Now();\n'                                                      # 3
    '  e->Now();\n'                                                     # 4
    '}\n')

# C++ aliases of a class template (json's `using json = basic_json<>;` in json_fwd.hpp, called as
# `json j; j.size();` (here items) and `json::parse(..)`) (cg9): the alias's target class, template arguments
# dropped, through a chain of aliases; an alias declared inside a function (json's
# unit-custom-base-class.cpp: `using json = json_with_metadata<..>;`) binds only its own file's
# calls, and `using j = ns::j;` (the same name) names nothing new; an alias of no class of the
# revision (`using vec = std::vector<int>;`) gives no edge
FILES['cpp/bj/basic_j.hpp'] = (
    'namespace ns {\n'                                                   # 1
    'template<class T> class basic_j {\n'                                # 2
    ' public:\n'                                                         # 3
    '  int items() const { return 0; }\n'                                 # 4
    '  static basic_j parse(const char* s) { return basic_j(); }\n'      # 5
    '};\n'                                                               # 6
    '}\n')
FILES['cpp/bj/fwd.hpp'] = (
    'namespace ns {\n'
    'template<class T> class basic_j;\n'
    'using j = basic_j<int>;\n'
    'typedef basic_j<long> lj;\n'
    'using j2 = lj;\n'
    '}\n')
FILES['cpp/bj/use.cpp'] = (
    '#include "fwd.hpp"\n'                                               # 1
    '#include "basic_j.hpp"\n'                                           # 2
    'using j = ns::j;\n'                                                 # 3
    'using vec = std::vector<int>;\n'                                    # 4
    'int use_j(vec w) {\n'                                               # 5
    '  j v;\n'                                                           # 6
    '  v.items();\n'                                                      # 7 through the alias
    '  j::parse("x");\n'                                                 # 8 static, qualified
    '  ns::j::parse("y");\n'                                             # 9
    '  j2 u;\n'                                                          # 10
    '  u.items();\n'                                                      # 11 alias of an alias
    '  ns::basic_j<int> b;\n'                                            # 12
    '  b.items();\n'                                                      # 13 declared type
    '  return w.items();\n'                                               # 14 no class
    '}\n')
FILES['cpp/bj/meta.cpp'] = (
    '#include "basic_j.hpp"\n'                                           # 1
    'template<class T> class meta_j { public: int items() const { return 1; } };\n'    # 2
    'void t1() {\n'                                                      # 3
    '  using j = meta_j<int>;\n'                                         # 4 local to t1
    '  j m;\n'                                                           # 5
    '  m.items();\n'                                                      # 6
    '}\n')
# json's east const (`json const j = ..;`) in a test macro's block, and `j::parse(..)` next to a
# local named j (a qualifier names a class or a namespace, never a variable)
FILES['cpp/bj/east.cpp'] = (
    '#include "fwd.hpp"\n'                                               # 1
    '#include "basic_j.hpp"\n'                                           # 2
    'TEST_CASE("east") {\n'                                              # 3
    '  ns::j const c = ns::j();\n'                                       # 4
    '  c.items();\n'                                                     # 5
    '}\n'                                                                # 6
    'int helper() {\n'                                                   # 7
    '  int j = 0;\n'                                                     # 8
    '  ns::j::parse("x");\n'                                             # 9
    '  using ns::j;\n'                                                   # 10
    '  j::parse("y");\n'                                                 # 11
    '  return j;\n'                                                      # 12
    '}\n'                                                                # 13
    'TEST_CASE("chain") {\n'                                             # 14
    '  // the document, see "http://x"\n'                                # 15 a comment
    '  ns::j d = ns::j::parse("z");\n'                                   # 16
    '  d.items();\n'                                                     # 17
    '  ns::j::parse("w").items();\n'                                     # 18 the call's value
    '}\n')
FILES['cpp/bj/meta2.cpp'] = (
    '#include "meta.cpp"\n'                                              # 1
    '// using j = nothing_here;\n'                                       # 2 a comment
    'TEST_CASE("meta") {\n'                                              # 3 a test macro
    '  SECTION("s") {\n'                                                 # 4
    '    const char* doc = R"({"a": [1, 2}})";\n'                        # 5 braces in a string
    '    using j = meta_j<long>;\n'                                      # 6 local to its block
    '    j m;\n'                                                         # 7
    '    m.items();\n'                                                   # 8
    '  }\n'                                                              # 9
    '}\n')

# interfaces, Rust traits, abstract bases: a method the declared type does not define is its
# implementors' (cg4)
FILES['rs/src/sink.rs'] = (
    'pub trait Sink {\n'                                                # 1
    '    fn matched(&mut self, n: u32) -> bool;\n'                      # 2
    '    fn begin(&mut self) -> bool { true }\n'                        # 3
    '}\n'                                                               # 4
    'pub struct Std {}\n'                                               # 5
    'impl Sink for Std {\n'                                             # 6
    '    fn matched(&mut self, n: u32) -> bool { n > 0 }\n'             # 7
    '}\n'                                                               # 8
    'pub struct Loose {}\n'                                             # 9
    'impl Loose { pub fn matched(&self) -> bool { false } }\n'          # 10
    'pub fn search<S: Sink>(s: &mut S) { s.matched(1); s.begin(); }\n'  # 11
    'pub fn search2(s: &mut dyn Sink) { s.matched(1); }\n'              # 12
    'pub fn search3<W>(s: &mut W) where W: Sink + Send { s.matched(1); }\n'  # 13
    'pub struct Fast {}\n'                                              # 14
    'impl Sink for Fast {\n'                                            # 15
    '    fn matched(&mut self, n: u32) -> bool { n > 1 }\n'             # 16
    '    fn begin(&mut self) -> bool { false }\n'                       # 17
    '}\n')
# Rust generic structs: a field typed by the struct's generic parameter (`matcher: M`) is typed
# by that parameter's trait bound, written on the struct or on an impl of it (ripgrep's
# `Core<'s, M: 's, S>` with `impl<'s, M: Matcher, S: Sink> Core<'s, M, S>`); no bound, no type
FILES['rs/src/gen.rs'] = (
    'use crate::sink::Sink;\n'                                          # 1
    "pub struct Core<'s, M: 's, S> {\n"                                # 2
    "    matcher: &'s M,\n"                                            # 3
    '    sink: S,\n'                                                    # 4
    '}\n'                                                               # 5
    "impl<'s, M: Sink, S: Sink + Send> Core<'s, M, S> {\n"              # 6
    '    fn run(&mut self) { self.sink.matched(1); }\n'                 # 7
    '}\n'                                                               # 8
    'pub struct Typed<S: Sink> { inner: S }\n'                          # 9
    'impl<S: Sink> Typed<S> { fn go(&mut self) { self.inner.begin(); } }\n'  # 10
    'pub struct Plain<S> { inner: S }\n'                                # 11
    'impl<S> Plain<S> { fn go(&mut self) { self.inner.matched(1); } }\n'  # 12
    'pub struct Bare<T> where T: Sink { inner: T }\n'                  # 13
    'impl<T: Sink> Bare<T> { fn go(&mut self) { self.inner.matched(1); } }\n')  # 14
# Rust re-exports (cg9): `pub use self::job::{batch, job};` in exec/mod.rs makes `exec::batch(..)`
# (fd's walk.rs, `use crate::exec;`) job.rs's batch; a glob `pub use self::job::*;` too; a module
# that neither defines nor re-exports the name gives nothing
FILES['rs/src/exec/mod.rs'] = 'mod job;\nmod more;\npub use self::job::{batch, job};\npub use self::more::*;\n'
FILES['rs/src/exec/job.rs'] = 'pub fn batch() -> u32 { 1 }\npub fn job() -> u32 { 2 }\npub fn hidden() -> u32 { 3 }\n'
FILES['rs/src/exec/more.rs'] = 'pub fn extra() -> u32 { 4 }\n'
# renaming re-exports (ripgrep's flags/mod.rs: `pub(crate) use crate::flags::{doc::{man::generate
# as generate_man_page, ..}}`, called as `flags::generate_man_page()` in main.rs)
FILES['rs/src/exec/doc/mod.rs'] = 'pub mod man;\n'
FILES['rs/src/exec/doc/man.rs'] = 'pub fn generate() -> u32 { 5 }\n'
FILES['rs/src/exec/job2.rs'] = 'pub fn run_all() -> u32 { 6 }\n'
FILES['rs/src/exec/mod.rs'] = FILES['rs/src/exec/mod.rs'] + (
    'mod doc;\nmod job2;\n'
    'pub(crate) use crate::exec::{doc::{man::generate as generate_man_page}};\n'
    'pub use self::job2::run_all as run;\n')
FILES['rs/src/walk.rs'] = (
    'use crate::exec;\n'                                               # 1
    'pub fn walk() -> u32 {\n'                                         # 2
    '    exec::batch();\n'                                             # 3 re-exported
    '    exec::extra();\n'                                             # 4 glob re-export
    '    crate::exec::job();\n'                                        # 5 a crate path
    '    exec::generate_man_page();\n'                                 # 6 renamed in a group
    '    exec::run();\n'                                               # 7 renamed
    '    exec::hidden()\n'                                             # 8 not re-exported
    '}\n')
# Rust `use` groups, nested ones included: `use crate::{a::b::{g}, ...}` binds g to a::b's g
# (aliases, `use a::B as C`, are not followed: the analyser keeps only the alias)
FILES['rs/src/alias.rs'] = (
    'use crate::{a::b::{g}, matcher::Matcher};\n'                      # 1
    'pub fn al() -> u32 {\n'                                            # 2
    '    let _m = Matcher::new();\n'                                    # 3
    '    g()\n'                                                         # 4 nested group
    '}\n')
# Rust and Go bind a local after its statement: `let dirname = dirname(path);` and
# `x := x()` call the function of that name (fd's src/fmt/input.rs); a local declared before
# the call, or a parameter, still shadows it
FILES['rs/src/shadow.rs'] = (
    'pub fn dirname(p: u32) -> u32 { p }\n'                            # 1
    'pub fn stem(p: u32) -> u32 { p }\n'                               # 2
    'pub fn strip(p: u32) -> u32 {\n'                                   # 3
    '    let dirname = dirname(p);\n'                                   # 4 the function
    '    let stem = |x: u32| x;\n'                                      # 5
    '    stem(dirname)\n'                                               # 6 the closure
    '}\n')
FILES['go/pkg/shadow.go'] = (
    'package pkg\n'                                                    # 1
    '\n'                                                               # 2
    'func total() int { return 1 }\n'                                  # 3
    '\n'                                                               # 4
    'func use2() int {\n'                                               # 5
    '\ttotal := total()\n'                                              # 6 the function
    '\treturn total\n'                                                 # 7
    '}\n')
# Go: the first of several results (`c, _ := CreateTestContext(w)` in gin's tests) is typed by
# the function's first declared result, `(c *Context, r *Engine)` or `(*Context, error)`
FILES['go/pkg/multi.go'] = (
    'package pkg\n'                                                    # 1
    '\n'                                                               # 2
    'func mkCtx() (c *Context, r *mockWriter) { return nil, nil }\n'    # 3
    'func mkCtx2() (*Context, error) { return nil, nil }\n'             # 4
    '\n'                                                               # 5
    'func use3() {\n'                                                   # 6
    '\tc, _ := mkCtx()\n'                                               # 7
    '\tc.Next()\n'                                                      # 8
    '\td, err := mkCtx2()\n'                                            # 9
    '\t_ = err\n'                                                       # 10
    '\td.Next()\n'                                                      # 11
    '}\n')
FILES['cpp/virt.cc'] = (
    'class Base2 { public: virtual int Run() = 0; };\n'                 # 1
    'class Impl2 : public Base2 { public: int Run() override { return 1; } };\n'  # 2
    'class Unrelated { public: int Run() { return 2; } };\n'            # 3
    'int go(Base2* b) {\n'                                              # 4
    '  return b->Run();\n'                                              # 5
    '}\n')

# Rust crates without src/ (ripgrep's crates/core/main.rs): `crate::` starts at the nearest
# directory above the importer holding a main.rs or lib.rs
FILES['rsc/core/main.rs'] = 'mod flags;\nfn main() {}\n'
FILES['rsc/core/flags/mod.rs'] = 'pub mod defs;\npub mod parse;\n'
FILES['rsc/core/flags/parse.rs'] = 'pub(crate) fn parse_low_raw(x: u32) -> u32 { x }\n'
FILES['rsc/core/flags/defs.rs'] = (
    'use crate::flags::parse::parse_low_raw;\n'                        # 1
    'pub fn run() -> u32 {\n'                                          # 2
    '    parse_low_raw(1)\n'                                           # 3
    '}\n')
FILES['rsc/tool/main.rs'] = 'mod flags;\nfn main() {}\n'
FILES['rsc/tool/flags/parse.rs'] = 'pub(crate) fn parse_low_raw(x: u32) -> u32 { 0 }\n'
# Guesses: a call no rule places gets a weak edge (confidence < 0.5) to the few definitions of
# its name it can see; none to a private method of another file, to a test file's function from
# non-test code, or when a parameter shadows the name
FILES['js/guess/gadget.js'] = 'class Gadget {\n  paint() { return 1; }\n}\nmodule.exports = Gadget;\n'
FILES['js/guess/globals.js'] = 'function globalHelper() { return 1; }\n'
FILES['js/guess/test/helpers.js'] = 'function setupThing() { return 2; }\n'
FILES['js/guess/use.js'] = (
    'function draw(w, cb) {\n'                                         # 1
    '  w.paint();\n'                                                   # 2 unknown receiver
    '  globalHelper();\n'                                              # 3 a global function
    '  setupThing();\n'                                                # 4 a test helper
    '  cb();\n'                                                        # 5 a parameter
    '}\n')
FILES['rs/src/gq.rs'] = (
    'pub struct Q {}\n'
    'impl Q {\n'
    '    fn unwrap_all(self) -> u32 { 0 }\n'
    '    pub fn open_all(&self) -> u32 { 1 }\n'
    '}\n')
# (cg40: `Vec<Item>`, an element type the file does not show; a `Vec<u32>` is generic over no
# repository type, and its `first()`'s value is the library's, resolver 58)
FILES['rs/src/gquse.rs'] = (
    'pub fn go(v: Vec<Item>) {\n'                                      # 1
    '    v.first().unwrap_all();\n'                                    # 2 private elsewhere
    '    v.first().open_all();\n'                                      # 3
    '}\n')

# C++ namespace-qualified free functions (fmt::format): guesses among the overloads the
# caller's includes show, not a member function whose class the analyser lost (`) const`)
FILES['cppns/fmtlib/format.h'] = (
    'namespace fmtlib {\n'
    'inline int format(const char* s) { return 0; }\n'
    'inline int format(const char* s, int a) { return a; }\n'
    'template <typename T> struct formatter;\n'
    'template <> struct formatter<int> {\n'
    '  auto format(int v, int& ctx) const -> int { return v; }\n'
    '};\n'
    '}\n')
FILES['cppns/other/format.h'] = 'namespace other {\ninline int format(int x) { return x; }\n}\n'
FILES['cppns/main.cc'] = (
    '#include "fmtlib/format.h"\n'                                     # 1
    'int run() {\n'                                                    # 2
    '  return fmtlib::format("x");\n'                                  # 3
    '}\n')

# Name-only matches (cg12): the confidence a call's candidates share is the share judged right of
# matches like it (bench/results/analysis.md "cg12"): `x.f()` with 2+ candidates 0.48 in all,
# with one 0.45 (0.67 judged, capped below 0.5); a bare `f()` 0.45 for one candidate
FILES['py/cal/__init__.py'] = ''
FILES['py/cal/a.py'] = 'class Left:\n    def frob(self):\n        return 1\n\n    def solo(self):\n        return 3\n'
FILES['py/cal/b.py'] = 'class Right:\n    def frob(self):\n        return 2\n'
FILES['py/cal/use.py'] = (
    'def go(thing):\n'                                                # 1
    '    thing.frob()\n'                                              # 2 two candidates
    '    thing.solo()\n'                                              # 3 one candidate
    '    return 0\n')

# C++ namespaces (cg12): a call written with a namespace path reaches the definitions of that
# namespace (the path or its tail: an outer namespace a macro opens is not seen), not another
# namespace's function or class of the same name
FILES['cppq/alpha/run.h'] = (
    'namespace alpha {\n'
    'inline int run(int x) { return x; }\n'
    'struct Parser {\n'
    '  static int parse(const char* s) { return 1; }\n'
    '};\n'
    '}\n')
FILES['cppq/beta/run.h'] = (
    'namespace beta {\n'
    'inline int run(int x) { return x + 1; }\n'
    'struct Parser {\n'
    '  static int parse(const char* s) { return 2; }\n'
    '};\n'
    'namespace detail {\n'
    'inline int helper(int x) { return x; }\n'
    '}\n'
    '}\n')
FILES['cppq/gamma/swap.h'] = (
    'namespace std {\n'
    'inline void swap(int& a, int& b) { }\n'
    '}\n')
FILES['cppq/gamma/inl.h'] = (
    'LIB_BEGIN_NAMESPACE\n'
    'namespace detail {\n'
    'inline int helper(int x) { return -x; }\n'
    '}\n'
    'LIB_END_NAMESPACE\n')
FILES['cppq/main.cc'] = (
    '#include "alpha/run.h"\n'                                        # 1
    '#include "beta/run.h"\n'                                         # 2
    '#include "gamma/inl.h"\n'                                        # 3 (and swap.h below)
    'int go() {\n'                                                    # 4
    '  int a = alpha::run(1);\n'                                      # 5
    '  int b = beta::run(2);\n'                                       # 6
    '  int c = beta::Parser::parse("x");\n'                           # 7
    '  int d = alpha::Parser::parse("y");\n'                          # 8
    '  int e = lib::detail::helper(3);\n'                             # 9
    '  return a + b + c + d + e + beta::detail::helper(4);\n'         # 10
    '}\n'
    '#include "gamma/swap.h"\n'                                       # 12
    'void sw(long& x, long& y) {\n'                                   # 13
    '  std::swap(x, y);\n'                                            # 14 std's, not ours
    '}\n')

# ..with more overloads than a call keeps (16): the first 16, no read past them
FILES['cppq/many/m.h'] = 'namespace m {\n' + ''.join(
    'inline int many(int a%d) { return %d; }\n' % (i, i) for i in range(20)) + '}\n'
FILES['cppq/many/main.cc'] = '#include "m.h"\nint top() {\n  return m::many(1);\n}\n'

# C++ namespaces opened by macros (cg13): an object-like macro the repository defines (in
# another file) whose body opens namespaces opens them where a line holds only its name; one
# defined twice with different bodies opens nothing; `::ns::f()` reads as `ns::f()`
FILES['cppm/inc/base.h'] = (
    '#ifndef LIB_BEGIN_NAMESPACE\n'
    '#  define LIB_BEGIN_NAMESPACE \\\n'
    '    namespace lib {           \\\n'
    '    inline namespace v12 {\n'
    '#  define LIB_END_NAMESPACE \\\n'
    '    }                       \\\n'
    '    }\n'
    '#endif\n'
    '#define NL_BEGIN namespace nl { inline namespace NL_CONCAT(NL_TAGS, NL_VERSION) {\n'
    '#define NL_END } /* inline */ } // nl\n'
    '#if defined(ALT)\n'
    '#define TWO_BEGIN namespace two_a {\n'
    '#else\n'
    '#define TWO_BEGIN namespace two_b {\n'
    '#endif\n'
    '#define TWO_END }\n'
    '#define SELF SELF\n'
    '#ifdef LIB_MODULE\n'                                     # fmt's FMT_BEGIN_EXPORT: a
    '#define LIB_BEGIN_EXPORT export {\n'                     # closer defined empty too
    '#define LIB_END_EXPORT }\n'
    '#else\n'
    '#define LIB_BEGIN_EXPORT\n'
    '#define LIB_END_EXPORT\n'
    '#endif\n')
FILES['cppm/inc/format.h'] = (
    '#include "base.h"\n'
    'LIB_END_NAMESPACE\n'                                     # closes nothing open: ignored
    'LIB_BEGIN_NAMESPACE\n'
    'inline int format(int x) { return x; }\n'
    'namespace detail {\n'
    'inline int helper(int x) { return x; }\n'
    '}\n'
    'LIB_END_NAMESPACE\n'
    'NL_BEGIN\n'
    'inline int parse(int x) { return x; }\n'
    'NL_END\n'
    'TWO_BEGIN\n'
    'inline int pick(int x) { return x; }\n'
    'TWO_END\n'
    'LIB_BEGIN_NAMESPACE\n'
    'LIB_BEGIN_EXPORT\n'
    'LIB_END_EXPORT\n'
    'LIB_BEGIN_EXPORT\n'
    'LIB_END_EXPORT\n'
    'struct Widget {\n'
    '  Widget(int x) { }\n'
    '  static int spin(int x) { return x; }\n'
    '};\n'
    'LIB_END_NAMESPACE\n'
    'SELF\n'
    'LIB_BEGIN_NAMESPACE\n'                                   # open at the end of the file
    'inline int tail(int x) { return x; }\n')
FILES['cppm/inc/other.h'] = (
    'inline int format(long x) { return 0; }\n'
    'inline int parse(long x) { return 0; }\n'
    'inline int pick(long x) { return 0; }\n'
    'inline int tail(long x) { return 0; }\n'
    'namespace other {\n'
    'struct Widget {\n'
    '  Widget(long x) { }\n'
    '};\n'
    '}\n')
FILES['cppm/main.cc'] = (
    '#include "inc/format.h"\n'                               # 1
    '#include "inc/other.h"\n'                                # 2
    'int go() {\n'                                            # 3
    '  int a = lib::format(1);\n'                             # 4 lib's, not the global one
    '  int b = lib::detail::helper(2);\n'                     # 5
    '  int c = ::lib::format(3);\n'                           # 6
    '  int d = nl::parse(4);\n'                               # 7 through an inline macro name
    '  int e = ::lib::detail::helper(5);\n'                   # 8
    '  int f = ::lib::tail(6);\n'                             # 9
    '  return a + b + c + d + e + f + two_b::pick(7);\n'      # 10 TWO_BEGIN is ambiguous
    '}\n'
    'int make() {\n'                                          # 12
    '  lib::Widget w = lib::Widget(1);\n'                     # 13 lib's constructor
    '  return lib::spin(2);\n'                                # 14 no namespace function
    '}\n')

# JS/TS default exports: a name bound to a whole module calls its default export, through
# `module.exports = require(...)` re-exports; a named import of another name does not
FILES['jsd/lib/express.js'] = (
    'exports = module.exports = createApplication;\n'
    'function createApplication() { return 1; }\n')
FILES['jsd/index.js'] = "module.exports = require('./lib/express');\n"
FILES['jsd/test/app.js'] = (
    "var express = require('..');\n"                                   # 1
    'function t() {\n'                                                 # 2
    '  express();\n'                                                   # 3
    '}\n')
FILES['jsd/src/make.ts'] = 'export default function make() { return 1; }\n'
FILES['jsd/src/use.ts'] = (
    "import mk from './make.js';\n"                                    # 1
    "import {other} from './make.js';\n"                               # 2
    'export function u() {\n'                                          # 3
    '  return mk() + other();\n'                                       # 4
    '}\n')

# Rust loop variables over containers: `for m in ms` / `owned.iter()` of `&[Matcher]` /
# `Vec<Matcher>` are Matchers; a loop over a library type's elements stays unresolved
FILES['rs/src/loops.rs'] = (
    'use crate::matcher::Matcher;\n'                                   # 1
    'pub fn scan(ms: &[Matcher], owned: Vec<Matcher>, es: &[fs::Matcher]) {\n'  # 2
    '    for m in ms {\n'                                              # 3
    '        m.find();\n'                                              # 4
    '    }\n'                                                          # 5
    '    for m in owned.iter() {\n'                                    # 6
    '        m.find();\n'                                              # 7
    '    }\n'                                                          # 8
    '    let v: Vec<u32> = Vec::new();\n'                              # 9
    '    for n in &v {\n'                                              # 10
    '        n.find();\n'                                              # 11
    '    }\n'                                                          # 12
    '    for e in es {\n'                                              # 13
    '        e.find();\n'                                              # 14 another crate's
    '    }\n'                                                          # 15
    '}\n')

# Held-out repositories (cg10): this.f() / self.f() is never a function local to a method
# (koa's callback()), while an object literal's methods a free function builds still call each
# other through this (zod's _zodTypeMethods); a JS object local to another file's anonymous
# function (a test's callback) is no receiver elsewhere (zod's `schema.parse = ..`); a C++ free
# function of another source file is no loose guess for a call on a value (CLI11's tests)
FILES['js/held/app.js'] = (
    'class App {\n'                                                     # 1
    '  callback () {\n'                                                 # 2
    '    const handle = (req) => {\n'                                   # 3
    '      return this.handle(req)\n'                                   # 4 the class's
    '    }\n'                                                           # 5
    '    const onlyLocal = () => 1\n'                                   # 6
    '    this.onlyLocal()\n'                                            # 7 no such method
    '    return handle\n'                                               # 8
    '  }\n'                                                             # 9
    '  handle (req) { return req }\n'                                   # 10
    '}\n'                                                               # 11
    'function Ctor () {\n'                                              # 12
    '  this.goHeld = function () { return 1 }\n'                          # 13
    '}\n'                                                               # 14
    'Ctor.prototype.run = function () { return this.goHeld() }\n')  # 15 assigned to this
FILES['js/held/lit.js'] = (
    'function methods () {\n'                                           # 1
    '  return {\n'                                                      # 2
    '    check () { return 1 },\n'                                      # 3
    '    with () { return this.check() }\n'                             # 4 the object's
    '  }\n'                                                             # 5
    '}\n')
FILES['py/held/__init__.py'] = ''
FILES['py/held/a.py'] = (
    'class A:\n'                                                        # 1
    '    def m(self):\n'                                                # 2
    '        def inner():\n'                                            # 3
    '            return 1\n'                                            # 4
    '        return self.inner()\n')                                    # 5 no method inner
FILES['ts/held/a.test.ts'] = (
    "test('x', () => {\n"                                               # 1
    '  const schema: any = make();\n'                                   # 2
    "  schema.parse = () => 'o';\n"                                     # 3
    '});\n')
FILES['ts/held/b.test.ts'] = (
    'const schema: any = make();\n'                                     # 1
    "schema.parse('1');\n")                                             # 2 not a.test.ts's
# a nested class's methods defined out of line (cg14, re2's RE2::Set::Match and
# Prefilter::Info::Quest): named by their last component, so calls reach them
FILES['cppnest/set.h'] = (
    'namespace re {\n'
    'class RE {\n'
    ' public:\n'
    '  class Set;\n'
    '};\n'
    'class RE::Set {\n'
    ' public:\n'
    '  bool Match(int t) const;\n'
    '  int Quest(int t) const;\n'
    '  bool Exact() const { return Quest(0) == 0; }\n'
    '};\n'
    '}\n')
FILES['cppnest/set.cc'] = (
    '#include "set.h"\n'                               # 1
    'namespace re {\n'                                 # 2
    'int RE::Set::Quest(int t) const { return t; }\n'  # 3
    'bool RE::Set::Match(int t) const {\n'             # 4
    '  return Quest(t) > 0;\n'                         # 5 the nested class's own method
    '}\n'                                              # 6
    '}\n')                                             # 7
FILES['cppnest/use.cc'] = (
    '#include "set.h"\n'                               # 1
    'int use() {\n'                                    # 2
    '  re::RE::Set s;\n'                               # 3
    '  return s.Match(1) ? 1 : 0;\n'                   # 4 declared type re::RE::Set
    '}\n')
# a class nested in another, named like a class the caller sees (cg21, re2's python/_re2.cc:
# a wrapper class Set holds an `RE2::Set set_`): the declared type's scope says which Set
FILES['cppq/re2.h'] = (
    'namespace re2 {\n'                                 # 1
    'class RE2 {\n'                                     # 2
    ' public:\n'                                        # 3
    '  class Set;\n'                                    # 4
    '  int Match(int t) const { return t; }\n'          # 5
    '};\n'                                              # 6
    'class RE2::Set {\n'                                # 7
    ' public:\n'                                        # 8
    '  bool Match(int t) const;\n'                      # 9
    '  int Add(int p);\n'                               # 10
    '};\n'                                              # 11
    'class Wrap {};\n'                                  # 12
    '}\n')
FILES['cppq/set.cc'] = (
    '#include "re2.h"\n'                                # 1
    'namespace re2 {\n'                                 # 2
    'bool RE2::Set::Match(int t) const { return t > 0; }\n'  # 3
    'int RE2::Set::Add(int p) { return p; }\n'          # 4
    '}\n')
FILES['cppq/wrap.cc'] = (
    '#include <memory>\n'                               # 1
    '#include "re2.h"\n'                                # 2
    'namespace py {\n'                                  # 3
    'class Set {\n'                                     # 4
    ' public:\n'                                        # 5
    '  int Add(int p) { return set_.Add(p); }\n'        # 6 the member's RE2::Set
    '  bool Match(int t) const { return set_.Match(t); }\n'  # 7 the member's RE2::Set
    ' private:\n'                                       # 8
    '  re2::RE2::Set set_;\n'                           # 9
    '};\n'                                              # 10
    'class Filter {\n'                                  # 11
    ' public:\n'                                        # 12
    '  bool Match(int t) const { return set_->Match(t); }\n'  # 13 through unique_ptr
    '  std::unique_ptr<re2::RE2::Set> set_;\n'          # 14
    '};\n'                                              # 15
    'int own(Set& s) { return s.Add(1); }\n'            # 16 the wrapper's own
    'int param(const re2::RE2::Set& s) { return s.Add(1); }\n'  # 17 a parameter
    'int local() {\n'                                   # 18
    '  re2::RE2::Set s;\n'                              # 19
    '  re2::Wrap::Set w;\n'                             # 20 no class Set in Wrap
    '  return s.Match(1) + w.Add(2);\n'                 # 21
    '}\n'
    '}\n')
# ..and a class nested elsewhere that derives from one named alike (re2's
# `Prefilter::Info::Walker : public Regexp::Walker<..>`) inherits its base's methods
FILES['cppq/walk.h'] = (
    'class Regexp {\n'                                  # 1
    ' public:\n'                                        # 2
    '  template <typename T> class Walker;\n'           # 3
    '};\n'                                              # 4
    'template <typename T> class Regexp::Walker {\n'    # 5
    ' public:\n'                                        # 6
    '  bool stopped_early() const { return false; }\n'  # 7
    '};\n'                                              # 8
    'class Info {\n'                                    # 9
    ' public:\n'                                        # 10
    '  class Walker;\n'                                 # 11
    '};\n'                                              # 12
    'class Info::Walker : public Regexp::Walker<Info*> {\n'  # 13
    ' public:\n'                                        # 14
    '  int Go() { return 1; }\n'                        # 15
    '};\n'                                              # 16
    'int build() {\n'                                   # 17
    '  Info::Walker w;\n'                               # 18
    '  return w.stopped_early() ? 0 : w.Go();\n'        # 19 the base's; its own
    '}\n')
# every scope a receiver's type is written with (cg22): `a::B::C` is a's B's C, not another
# namespace's B::C; `one::Foo` one's Foo, through an inline namespace too (`lib::Buf` of
# lib::v1::Buf); `Derived::Nested` the Nested declared in Derived's base, not a top-level one
FILES['cppq/sc/deep.h'] = (
    'namespace a {\n'
    'class B {\n'
    ' public:\n'
    '  class C {\n'
    '   public:\n'
    '    int f() { return 1; }\n'
    '  };\n'
    '};\n'
    'class Foo {\n'
    ' public:\n'
    '  int m() { return 1; }\n'
    '};\n'
    '}\n'
    'namespace lib {\n'
    'inline namespace v1 {\n'
    'class Buf {\n'
    ' public:\n'
    '  int put() { return 1; }\n'
    '};\n'
    '}\n'
    '}\n')
FILES['cppq/sc/deep2.h'] = (
    'namespace b {\n'
    'class B {\n'
    ' public:\n'
    '  class C {\n'
    '   public:\n'
    '    int f() { return 2; }\n'
    '  };\n'
    '};\n'
    'class Foo {\n'
    ' public:\n'
    '  int m() { return 2; }\n'
    '};\n'
    '}\n'
    'namespace other {\n'
    'class Buf {\n'
    ' public:\n'
    '  int put() { return 2; }\n'
    '};\n'
    '}\n')
FILES['cppq/sc/base.h'] = (
    'class Base {\n'
    ' public:\n'
    '  struct Nested {\n'
    '    int g() { return 1; }\n'
    '  };\n'
    '};\n'
    'class Mid : public Base {};\n'
    'class Derived : public Mid {};\n')
FILES['cppq/sc/base2.h'] = (
    'class Nested {\n'
    ' public:\n'
    '  int g() { return 2; }\n'
    '};\n')
FILES['cppq/sc/use.cc'] = (
    '#include "deep.h"\n'                               # 1
    '#include "deep2.h"\n'                              # 2
    '#include "base.h"\n'                               # 3
    '#include "base2.h"\n'                              # 4
    'int scopes() {\n'                                  # 5
    '  a::B::C x;\n'                                    # 6
    '  b::B::C y;\n'                                    # 7
    '  one::Foo* p = nullptr;\n'                        # 8 (no namespace one: no edge)
    '  b::Foo f;\n'                                     # 9
    '  Derived::Nested n;\n'                            # 10
    '  lib::Buf buf;\n'                                 # 11
    '  int r = x.f();\n'                                # 12 a::B::C::f
    '  r += y.f();\n'                                   # 13 b::B::C::f
    '  r += f.m();\n'                                   # 14 b::Foo::m
    '  r += n.g();\n'                                   # 15 Base::Nested::g (through Mid)
    '  r += buf.put();\n'                               # 16 lib::v1::Buf::put
    '  Nested top;\n'                                   # 17
    '  return r + top.g() + p->m();\n'                  # 18 the top-level Nested's g
    '}\n'                                               # 19
    'namespace b {\n'                                   # 20
    'int rel() {\n'                                     # 21
    '  B::C z;\n'                                       # 22 written inside namespace b
    '  return z.f();\n'                                 # 23 b::B::C::f (C++ lookup), not a's
    '}\n'                                               # 24
    '}\n')
# bundled copies (cg21, axios' dist/): two files whose named functions repeat each other's (2
# or more, half or more of the smaller file's) run their own copies; a call in one reaches
# the other only through an import (dist/umd.js's `Hdr$1.from` was esm.js's class at 0.9,
# esm.js's own `validator.assertOptions` lib/validator.js's by the receiver's name)
_FNS = ''.join('function f%d(v) { return v + %d; }\n' % (i, i) for i in range(16))
FILES['jsb/lib/util.js'] = _FNS + 'export { f3 };\n'
FILES['jsb/lib/validator.js'] = (
    'function assertOptions(o) { return o; }\n'
    'function transitional(v) { return v; }\n'
    'export default { assertOptions };\n')
FILES['jsb/dist/esm.js'] = _FNS + (
    'class Hdr$1 {\n'                                       # 17
    '  set(v) { return v; }\n'                              # 18
    '  static from(h) { return new Hdr$1(h); }\n'           # 19
    '}\n'                                                   # 20
    'function assertOptions(o) { return o; } function transitional(v) { return v; }\n'  # 21
    'const validator = { assertOptions };\n'                # 22
    'validator.assertOptions(1);\n'                         # 23 its own const, not lib's
    'Hdr$1.from(2);\n'                                      # 24 its own class
    'export { f3 };\n')
FILES['jsb/dist/umd.js'] = _FNS + (
    'function Hdr(h) { this.h = h; }\n'                     # 17
    'var Hdr$1 = Hdr;\n'                                    # 18
    'var h = Hdr$1.from(3);\n')                             # 19 not esm.js's class
FILES['jsb/test/use.js'] = (
    "import { f3 } from '../dist/esm.js';\n"               # 1
    'f3(1);\n')                                             # 2 imported: the copy's
# ..and a bundle whose functions rollup renamed (cg22: `h0$1` where the bundle already has an
# h0) still copies its source: dist/b.js's own `helpers.pick` is not lib/helpers.js's, nor
# its `Head.from` lib's class Head (imports are what reach across)
_RFNS = ''.join('function h%d(v) { return v + %d; }\n' % (i, i) for i in range(8))
FILES['jsr/lib/helpers.js'] = _RFNS + (
    'function pick(o) { return o; }\n'                      # 9
    'class Head {\n'                                          # 10
    '  static from(h) { return new Head(h); }\n'              # 11
    '}\n'                                                    # 12
    'export { h3, pick, Head };\n')
FILES['jsr/dist/b.js'] = _RFNS.replace('(v)', '$1(v)') + (
    'function pick$1(o) { return o; }\n'                    # 9
    'class Head$1 {\n'                                        # 10
    '  static from(h) { return new Head$1(h); }\n'            # 11
    '}\n'                                                    # 12
    'const helpers = { pick: pick$1 };\n'                   # 13
    'helpers.pick(1);\n'                                     # 14 its own object, not lib's
    'var Head$2 = Head$1;\n'                                   # 15
    'Head.from(2);\n')                                        # 16 no class Head here: not lib's
# a bare call of a `const f = () => ..` or a `function f` of an enclosing function is that
# function (cg22, zustand's persist: `const setItem = () => ..` called from `api.setState =
# (..) => ..`), not a shadowing local; per function (two describe blocks' own `mk`); a
# parameter, a reassigned `let`, a function expression's own name or a destructured
# parameter stays what it was (no confident edge)
FILES['ts/lf/store.ts'] = 'export function setItem() {\n  return 0\n}\n'
FILES['ts/lf/persist.ts'] = (
    'export function persist(api: any) {\n'            # 1
    '  const setItem = () => api.save(1)\n'            # 2
    '  api.setState = (s: number) => {\n'              # 3
    '    return setItem()\n'                           # 4 the enclosing function's const
    '  }\n'                                            # 5
    '  return setItem()\n'                             # 6
    '}\n'                                              # 7
    'export function other(setItem: () => number) {\n' # 8
    '  return setItem()\n'                             # 9 a parameter
    '}\n'                                              # 10
    'export function twice() {\n'                      # 11
    '  let f = () => 1\n'                              # 12
    '  f = () => 2\n'                                  # 13
    '  return f()\n'                                   # 14 reassigned
    '}\n'                                              # 15
    "describe('a', () => {\n"                          # 16
    '  const mk = () => 1\n'                           # 17
    "  it('x', () => mk())\n"                          # 18 line 17's
    '})\n'                                             # 19
    "describe('b', () => {\n"                          # 20
    '  const mk = () => 2\n'                           # 21
    "  it('y', () => mk())\n"                          # 22 line 21's
    '})\n'                                             # 23
    'export function hoist() {\n'                      # 24
    '  const r = [1].map(() => early())[0]\n'          # 25 the declaration below (hoisted)
    '  function early() { return 1 }\n'                # 26
    '  const x = function named() { return 2 }\n'      # 27
    '  return r + x() + named()\n'                     # 28 an expression's own name: none
    '}\n'                                              # 29
    'export function outer() {\n'                      # 30
    '  const pick = () => 1\n'                         # 31
    '  function inner({ pick }: { pick: () => number }) {\n'  # 32
    '    return pick()\n'                              # 33 the destructured parameter
    '  }\n'                                            # 34
    '  return inner\n'                                 # 35
    '}\n'                                              # 36
    "describe('c', () => {\n"                          # 37
    '  function helper() { return 3 }\n'               # 38
    "  it('z', () => helper())\n"                      # 39 line 38's (was a weak guess)
    '})\n')
# generator function expressions are functions (cg14, execa's `const f = async function * ()`)
FILES['js/gen/a.js'] = (
    'const lines = function * (text) {\n'             # 1
    '  yield text;\n'                                  # 2
    '};\n'                                             # 3
    'const all = (t) => [...lines(t)];\n'              # 4 the generator, same file
    'module.exports = { all };\n')
# JS/TS re-exports (cg14, zustand's src/index.ts `export * from './vanilla.ts'` and
# src/shallow.ts `export { shallow } from './vanilla/shallow.ts'`): followed to the definition;
# a function cast to its type (`const create = ((..) => ..) as Create`) is a function
FILES['tsre/src/vanilla.ts'] = (
    'export const createStore = (init: number) => init\n'
    'export const create = ((n: number) => n) as (n: number) => number\n'
    'export function other() { return 1 }\n')
FILES['tsre/src/util/eq.ts'] = 'export function shallow(a: number, b: number) { return a === b }\n'
FILES['tsre/src/util/own.ts'] = 'import { other } from "../vanilla"\nexport { other }\n'
FILES['tsre/src/index.ts'] = 'export * from "./vanilla"\n'
FILES['tsre/src/shallow.ts'] = 'export { shallow } from "./util/eq"\n'
FILES['tsre/src/hidden.ts'] = 'export function hiddenOnly() { return 2 }\n'
FILES['tsre/test/use.test.tsx'] = (
    'import { createStore, create } from "../src/index"\n'   # 1
    'import { shallow } from "../src/shallow"\n'              # 2
    'import { other } from "../src/util/own"\n'               # 3
    'import { hiddenOnly } from "../src/index"\n'             # 4
    'createStore(1)\n'                                        # 5 export * from
    'create(2)\n'                                             # 6 the cast function
    'shallow(1, 2)\n'                                         # 7 export { } from
    'other()\n'                                               # 8 imported, then exported
    'hiddenOnly()\n')                                         # 9 index re-exports no such name
# a nested class named like a top-level one (leveldb's SkipList<K, C>::Iterator defined out of
# line vs the abstract leveldb::Iterator): `Iterator* it; it->Valid()` is the abstract class's
# overrides (dynamic dispatch), not the nested class's method
FILES['cppnest/iterator.h'] = (
    'class Iterator {\n'
    ' public:\n'
    '  virtual bool Valid() const = 0;\n'
    '};\n')
FILES['cppnest/dbiter.h'] = (
    '#include "iterator.h"\n'
    'class DBIter : public Iterator {\n'
    ' public:\n'
    '  bool Valid() const override { return true; }\n'
    '};\n')
FILES['cppnest/skiplist.h'] = (
    'template <typename K>\n'                                             # 1
    'class SkipList {\n'                                                  # 2
    ' public:\n'                                                          # 3
    '  class Iterator {\n'                                                # 4
    '   public:\n'                                                        # 5
    '    bool Valid() const;\n'                                           # 6
    '  };\n'                                                              # 7
    '  bool Any() const { return true; }\n'                               # 8
    '};\n'                                                                # 9
    'template <typename K>\n'                                             # 10
    'inline bool SkipList<K>::Iterator::Valid() const { return false; }\n')  # 11
FILES['cppnest/scan.cc'] = (
    '#include "dbiter.h"\n'                                               # 1
    '#include "skiplist.h"\n'                                             # 2
    'bool scan(Iterator* it) {\n'                                         # 3
    '  return it->Valid();\n'                                             # 4 the overrides
    '}\n')
FILES['cpp/held/helpers.cpp'] = 'int add_option(int &app, int v) { return v; }\n'
FILES['cpp/held/use.cpp'] = (
    'void f(int n) {\n'                                                 # 1
    '  auto app = make_app(n);\n'                                       # 2
    '  app.add_option(2);\n'                                            # 3 another .cpp's
    '}\n')
# a member call whose receiver recv.c cannot read (a Catch TEST_CASE_METHOD fixture's member:
# no function, no declaration) is no namespace's function (CLI11: `app.add_option(..)` read as
# `app::add_option`, a guess among the free functions it can see)
FILES['cpp/held/opts.cpp'] = 'int add_flag(int &app, int v) { return v; }\n'
FILES['cpp/held/catch.cpp'] = (
    'int add_flag(int &app, int v);\n'                                 # 1
    'TEST_CASE_METHOD(TApp, "flags", "[app]") {\n'                     # 2
    '    app.add_flag(1);\n'                                           # 3 a member
    '}\n')

# values whose type comes from a library (issue 19, cg11): no edge to a repository function of
# the same name. C++: a `std::` type (a local after a preprocessor line, a member, a class
# deriving from std::vector); Java: a class the repository does not declare (java.lang's Math) and
# a repository class whose method is its library base's (ArrayList); JS/TS and Python: values
# made from a library's import (a bare specifier, `require('http')`, a module not in the
# repository). The repository's own types keep their edges.
FILES['cpp/lib/json.hpp'] = (
    'class basic_json {\n'                                            # 1
    '  public:\n'                                                     # 2
    '    int rend() const { return 0; }\n'                            # 3
    '    void emplace_back(int v) {}\n'                               # 4
    '    void pop_back() {}\n'                                        # 5
    '};\n')
FILES['cpp/lib/use.hpp'] = (
    '#include <vector>\n'                                             # 1
    '#include "json.hpp"\n'                                           # 2
    'class lexer_x {\n'                                               # 3
    '    std::vector<char> token_string {};\n'                        # 4
    '    void unget() { token_string.pop_back(); }\n'                 # 5 a member of std type
    '};\n'                                                            # 6
    'class omap : public std::vector<int> {\n'                       # 7
    '  public:\n'                                                     # 8
    '    int rend_own() { return 0; }\n'                              # 9
    '};\n'                                                            # 10
    'template <typename T> int diag(const T *leaf) {\n'              # 11
    '#if DIAG\n'                                                      # 12
    '    std::vector<int> tokens;\n'                                  # 13 after a #if line
    '    tokens.emplace_back(1);\n'                                   # 14
    '    omap m;\n'                                                   # 15
    '    m.rend();\n'                                                 # 16 std::vector's
    '    basic_json j;\n'                                             # 17
    '    j.rend();\n'                                                 # 18 the repository's
    '#endif\n'                                                        # 19
    '    return 0;\n'                                                 # 20
    '}\n')
# ..but a base the analyser lost (a class whose body is a macro: CLI11's error classes) is no
# library's: the method inherited from the repository's Error keeps its weak edge
FILES['cpp/lib/err.hpp'] = (
    '#include <stdexcept>\n'                                          # 1
    '#define ERROR_DEF(parent, name) \\\n'                           # 2
    '  protected: name(std::string e, int c) : parent(std::move(e), c) {}\n'  # 3
    'namespace CLI {\n'                                               # 4
    'class Error : public std::runtime_error {\n'                     # 5
    '  public:\n'                                                     # 6
    '    int get_exit_code() const { return 0; }\n'                   # 7
    '};\n'                                                            # 8
    'class ParseError : public Error {\n'                             # 9
    '    ERROR_DEF(Error, ParseError)\n'                              # 10
    '};\n'                                                            # 11
    'class Success : public ParseError {\n'                           # 12
    '    ERROR_DEF(ParseError, Success)\n'                            # 13
    '};\n'                                                            # 14
    'class CallForHelp : public Success {\n'                          # 15
    '    ERROR_DEF(Success, CallForHelp)\n'                           # 16
    '};\n'                                                            # 17
    '}\n')
FILES['cpp/lib/help.cpp'] = (
    '#include "err.hpp"\n'                                            # 1
    'int f() {\n'                                                     # 2
    '    try { g(); } catch(const CLI::CallForHelp &e) {\n'           # 3
    '        return e.get_exit_code();\n'                             # 4 Error's
    '    }\n'
    '}\n')
# C++ receivers declared with a template parameter of the enclosing function or class template
# (cg27, json's `template<typename BasicJsonType> void from_json(const BasicJsonType& j, ..)
# { j.is_array(); }`): the type is unknown, not a library's, so the call gets the name-only
# candidates of an unknown receiver (methods of the repository's classes, weak; no free
# function, no guess); a type named through the parameter (`typename J::string_t`), a
# library's (std::vector) and the same name outside the template's scope still get none
FILES['cpp/tp/json.hpp'] = (
    'template<typename A> class basic_json {\n'                        # 1
    '  public:\n'                                                     # 2
    '    int type() const { return 0; }\n'                            # 3
    '    bool is_array() const { return false; }\n'                   # 4
    '    int max_size() const { return 0; }\n'                        # 5
    '};\n'                                                            # 6
    'int type(int v) { return v; }\n'                                 # 7
    'struct file_adapter {\n'                                         # 8
    '    int get_character() { return 0; }\n'                         # 9
    '};\n')                                                           # 10
FILES['cpp/tp/from.hpp'] = (
    '#include <vector>\n'                                             # 1
    '#include "json.hpp"\n'                                           # 2
    'template<typename BasicJsonType, typename T = int>\n'            # 3
    'void from_json(const BasicJsonType& j, T& v) {\n'                # 4
    '    if (j.is_array()) { return; }\n'                             # 5 weak: basic_json's
    '    v = j.type();\n'                                             # 6 weak: the method only
    '    const BasicJsonType* p = &j;\n'                              # 7
    '    v = p->type();\n'                                            # 8 weak
    '    std::vector<int> xs;\n'                                      # 9
    '    v = xs.max_size();\n'                                        # 10 a library type: none
    '    typename BasicJsonType::string_t s;\n'                       # 11
    '    v = s.max_size();\n'                                         # 12 through it: none
    '}\n'                                                             # 13
    'template<typename InputAdapterType>\n'                           # 14
    'class lexer {\n'                                                 # 15
    '  public:\n'                                                     # 16
    '    lexer(InputAdapterType&& a) : ia{a}, n{0} {}\n'              # 17
    '    int scan(InputAdapterType& in) { return in.get_character(); }\n'  # 18 the class's
    '    InputAdapterType ia;\n'                                      # 19
    '    int n;\n'                                                    # 20
    '    int next(InputAdapterType& in) { return in.get_character(); }\n'  # 21 after `{0} {}`
    '};\n'                                                            # 22
    'int after(const BasicJsonType& j) { return j.max_size(); }\n')   # 23 out of scope: none
# C++ plain reassignments keep the declared type (cg29-cx): `s = file->Append(d)` and
# `s = Other()` with a capitalised callee were read as constructors and retyped the local
# `Status s` as classes "Append" / "Other" (leveldb's `s.ok()`); `auto w = Widget()` is still
# a Widget, a lower-case callee and `s = Status()` as before
FILES['cpp/ra/status.cc'] = (
    'class Status {\n'                                                # 1
    ' public:\n'                                                      # 2
    '  bool ok() const { return true; }\n'                            # 3
    '};\n'                                                            # 4
    'class WritableFile {\n'                                          # 5
    ' public:\n'                                                      # 6
    '  virtual Status Append(int d) = 0;\n'                           # 7
    '};\n'                                                            # 8
    'class Widget {\n'                                                # 9
    ' public:\n'                                                      # 10
    '  int spin() { return 0; }\n'                                    # 11
    '};\n'                                                            # 12
    'Status Make() { return Status(); }\n'                            # 13
    'Status Other() { return Status(); }\n'                           # 14
    'Status other2() { return Status(); }\n'                          # 15
    'void f1() {\n'                                                   # 16
    '  Status s = Make();\n'                                          # 17
    '  if (s.ok()) {}\n'                                              # 18
    '  s = Other();\n'                                                # 19
    '  if (s.ok()) {}\n'                                              # 20 Status's
    '}\n'                                                             # 21
    'void f2(WritableFile* file) {\n'                                 # 22
    '  Status s = Make();\n'                                          # 23
    '  s = file->Append(1);\n'                                        # 24
    '  if (s.ok()) {}\n'                                              # 25 Status's
    '}\n'                                                             # 26
    'void f3(WritableFile* file) {\n'                                 # 27
    '  Status s;\n'                                                   # 28
    '  s = file->Append(1);\n'                                        # 29
    '  if (s.ok()) {}\n'                                              # 30 Status's
    '}\n'                                                             # 31
    'void f4() {\n'                                                   # 32
    '  Status s = Make();\n'                                          # 33
    '  s = other2();\n'                                               # 34
    '  if (s.ok()) {}\n'                                              # 35 as before
    '  auto w = Widget();\n'                                          # 36
    '  w.spin();\n'                                                   # 37 a constructor still
    '  if (true) s = Other(); else s = Other();\n'                    # 38
    '  s.ok();\n'                                                     # 39 Status's
    '  Widget v = Widget();\n'                                        # 40
    '  v = Widget();\n'                                               # 41
    '  v.ok();\n'                                                     # 42 Widget has none
    '}\n'                                                             # 43
    'struct Holder {\n'                                                # 44
    '  Widget* w_;\n'                                                  # 45
    '  void reset() {\n'                                               # 46
    '    w_ = new Widget();\n'                                         # 47
    '    w_->spin();\n'                                                # 48 a member: the value's
    '  }\n'                                                            # 49
    '};\n'                                                             # 50
    'void f5() {\n'                                                    # 51
    '  Status s = Make();\n'                                           # 52
    '  // reassigned after a comment: see Other.\n'                    # 53
    '  s = Other();\n'                                                 # 54
    '  s.ok();\n'                                                      # 55 Status's
    '}\n')                                                             # 56
# an export macro starting the line before `template`/`class` (fmt's `FMT_EXPORT template
# <typename Context> class dynamic_format_arg_store {`) hid the class (cg29-cx); a macro with
# arguments before a class is not blanked
FILES['cpp/mac/args.h'] = (
    'namespace n {\n'                                                 # 1
    'MY_EXPORT template <typename C> class store {\n'                 # 2
    ' public:\n'                                                      # 3
    '  void push_back(int v) {}\n'                                    # 4
    '};\n'                                                            # 5
    'MY_EXPORT class plain {\n'                                       # 6
    ' public:\n'                                                      # 7
    '  void grow(int v) {}\n'                                         # 8
    '};\n'                                                            # 9
    '}\n'                                                             # 10
    'void use() {\n'                                                  # 11
    '  n::store<int> s;\n'                                            # 12
    '  s.push_back(1);\n'                                             # 13 store's
    '  n::plain p;\n'                                                 # 14
    '  p.grow(2);\n'                                                  # 15 plain's
    '  Other o;\n'                                                    # 16
    '  o.grow(3);\n'                                                  # 17 no class Other: none
    '}\n')                                                            # 18
# an export macro before a constructor with an initializer list (fmt's `FMT_CONSTEXPR
# size_padding(..) : size(..), padding(0) {`) made the class swallow the definitions after it,
# qualified `size_padding::` (cg29-cx), and `if MACRO (..) {` (fmt's `if FMT_CONSTEXPR20 (..)`)
# the class's members after it; a macro before a function that names no class is kept
FILES['cpp/mac/sp.h'] = (
    'namespace d {\n'                                                 # 1
    'struct size_padding {\n'                                         # 2
    '  unsigned size;\n'                                              # 3
    '  unsigned padding;\n'                                           # 4
    '  MY_CONSTEXPR size_padding(int n, unsigned p)\n'                # 5
    '      : size(p + n), padding(0) {\n'                             # 6
    '    if (p > size) {\n'                                           # 7
    '      padding = p;\n'                                            # 8
    '    }\n'                                                         # 9
    '  }\n'                                                           # 10
    '};\n'                                                            # 11
    'template <typename T>\n'                                         # 12
    'MY_CONSTEXPR MY_INLINE auto write_int(T out) -> T {\n'           # 13
    '  return out;\n'                                                 # 14
    '}\n'                                                             # 15
    'struct holder {\n'                                               # 16
    '  MY_CONSTEXPR explicit holder(int n) : v(n) {}\n'               # 17
    '  int v;\n'                                                      # 18
    '  template <typename T> void put(T x) {\n'                       # 19
    '    if MY_CONSTEXPR20 (sizeof(T) > 1) { v = 1; }\n'              # 20
    '  }\n'                                                           # 21
    '};\n'                                                            # 22
    'int after_pad(int x) { return x; }\n'                            # 23
    '}\n'                                                             # 24
    'int user() {\n'                                                  # 25
    '  d::holder h(1);\n'                                             # 26
    '  h.put(2);\n'                                                   # 27 holder's
    '  return d::after_pad(3) + d::write_int(4);\n'                   # 28 the namespace functions
    '}\n'                                                             # 29
    'MY_TYPE plain_fn(int x) { return x; }\n'                         # 30
    'int user2() { return plain_fn(5); }\n')                          # 31 the function
FILES['cpp/mac/ifc.h'] = (
    'template <typename C> class box {\n'                             # 1
    ' public:\n'                                                      # 2
    '  template <typename T> void put(T x) {\n'                       # 3
    '    if MY_CONSTEXPR20 (is_big<T>::value) {\n'                    # 4
    '      v = 1;\n'                                                  # 5
    '    } else {\n'                                                  # 6
    '      v = 2;\n'                                                  # 7
    '    }\n'                                                         # 8
    '  }\n'                                                           # 9
    '  void wipe() { v = 0; }\n'                                      # 10
    '  int v;\n'                                                      # 11
    '};\n'                                                            # 12
    'void use_box() {\n'                                              # 13
    '  box<int> b;\n'                                                 # 14
    '  b.put(1);\n'                                                   # 15
    '  b.wipe();\n'                                                   # 16 box's
    '}\n')                                                            # 17
# a static call through a template parameter `T::f(..)` (dragonbox's `SignPolicy::handle_sign`,
# cg29-cx) gets the name-only candidates of a receiver of type T, as `t.f(..)` does (cg27);
# a namespace's function and the same name out of the template's scope do not
FILES['cpp/tp/policy.h'] = (
    'struct sign_a { static int handle_sign(int x) { return x; } };\n'   # 1
    'struct sign_b { static int handle_sign(int x) { return -x; } };\n'  # 2
    'namespace lib { int handle(int x) { return x; } }\n'               # 3
    'template <class SignPolicy> int run(int x) {\n'                     # 4
    '  return SignPolicy::handle_sign(x) + lib::handle(x);\n'            # 5 weak: both
    '}\n'                                                                # 6
    'int after_run(int x) { return SignPolicy::handle_sign(x); }\n')     # 7 out of scope: none
FILES['java/src/com/lib/Elements.java'] = (
    'package com.lib;\n'                                              # 1
    'import java.util.ArrayList;\n'                                   # 2
    'public class Elements extends ArrayList<String> {\n'            # 3
    '    public Elements firstOne() { return this; }\n'               # 4
    '    public void shrink() { this.trimToSize(); }\n'               # 5 ArrayList's
    '}\n')
FILES['java/src/com/lib/Buf.java'] = (
    'package com.lib;\n'                                              # 1
    'public class Buf {\n'                                            # 2
    '    public void trimToSize() {}\n'                               # 3
    '    public static int floorMod(int a, int b) { return a; }\n'    # 4
    '}\n')
FILES['java/src/com/lib/Use.java'] = (
    'package com.lib;\n'                                              # 1
    'public class Use {\n'                                            # 2
    '    int go(Elements els) {\n'                                    # 3
    '        els.trimToSize();\n'                                     # 4 ArrayList's
    '        int m = Math.floorMod(3, 2);\n'                          # 5 java.lang's Math
    '        els.firstOne();\n'                                       # 6 the repository's
    '        return Buf.floorMod(m, 2);\n'                            # 7 the repository's
    '    }\n'
    '}\n')
FILES['ts/lib/schemas.ts'] = (
    'export class ZodLike {\n'                                        # 1
    '  safeParse(v: unknown) { return v; }\n'                         # 2
    '}\n')
FILES['ts/lib/use.test.ts'] = (
    'import * as z from "zod/v4";\n'                                  # 1
    'import { ZodLike } from "./schemas";\n'                          # 2
    'test("a", () => {\n'                                             # 3
    '  const schema = z.string().min(1);\n'                           # 4
    '  schema.safeParse("x");\n'                                      # 5 a library's value
    '  z.string().safeParse("y");\n'                                  # 6 a library's value
    '  const own = new ZodLike();\n'                                  # 7
    '  own.safeParse("z");\n'                                         # 8 the repository's
    '  top.safeParse("w");\n'                                         # 9 a module-level value
    '});\n'                                                           # 10
    'const top = z.string().cuid();\n'                                # 11
    'top.safeParse("v");\n'                                           # 12 ..of the library
    'import * as mine from "schemas/v2";\n'                           # 13 the repository's own
    'function g() {\n'                                                # 14 package by its name
    '  const m = mine.make();\n'                                      # 15 (a file schemas.ts)
    '  m.safeParse("u");\n'                                          # 16
    '}\n')
FILES['js/lib2/server.js'] = (
    "const express = require('fastify')\n"                            # 1
    "const http = require('http')\n"                                  # 2
    'function start() {\n'                                            # 3
    '  const app = express()\n'                                       # 4
    '  const server = http.createServer(app)\n'                       # 5
    '  server.listenOn(3000)\n'                                       # 6 node's server
    '  app.listenOn(3000)\n'                                          # 7 express' app
    '}\n')
FILES['js/lib2/net.js'] = 'function listenOn(port) { return port }\nmodule.exports = { listenOn }\n'
FILES['py/lib/__init__.py'] = ''
FILES['py/lib/models.py'] = (
    'class Hdrs:\n    def merge_in(self, other):\n        return other\n\n\n'
    'def make():\n    return Hdrs()\n')
FILES['py/lib/use.py'] = (
    'import requests, copy\n'                                         # 1
    'from . import models\n'                                          # 2
    'def f():\n'                                                      # 3
    '    r = requests.get("u")\n'                                     # 4
    '    r.merge_in({})\n'                                            # 5 a library's value
    '    m = models.make()\n'                                         # 6
    '    m.merge_in({})\n'                                            # 7 the repository's (weak)
    '    c = copy.copy(m)\n'                                          # 8 a generic function:
    '    c.merge_in({})\n'                                            # 9 its argument's type
    '    b":".merge_in([])\n')                                        # 10 a bytes literal's

# Python receivers of builtin containers (cg15): a value the file shows to be a dict, list,
# set or str (a literal, a builtin's call, an annotation, a parameter's default) gets no edge
# into the repository's same-named methods; one of unknown type keeps its weak edge, the
# builtin counted as one more candidate when the name is a builtin's method
FILES['py/bi/__init__.py'] = ''
FILES['py/bi/store.py'] = (
    'class Bag:\n'
    '    def update(self, other):\n        return other\n'
    '    def append(self, v):\n        return v\n'
    '    def tally(self, v):\n        return v\n'
    '    def add(self, v):\n        return v\n'
    '    def strip(self):\n        return self\n')
FILES['py/bi/use.py'] = (
    'class Holder:\n'                                                 # 1
    '    def __init__(self):\n'                                       # 2
    '        self._parts: list[int] = []\n'                           # 3
    '        self._m = dict(a=1)\n'                                   # 4
    '    def go(self, obj, seen=set()):\n'                            # 5
    '        self._parts.append(1)\n'                                 # 6 a list
    '        self._m.update({})\n'                                    # 7 a dict
    '        d = {}\n'                                                # 8
    '        d.update(obj)\n'                                         # 9 a dict
    '        xs = [p for p in obj]\n'                                 # 10
    '        xs.append(2)\n'                                          # 11 a list
    '        seen.add(3)\n'                                           # 12 a set
    '        s = "a, b"\n'                                            # 13
    '        s.strip()\n'                                             # 14 a str
    '        obj.update(d)\n'                                         # 15 unknown: weak, 1 of 2
    '        obj.tally(d)\n'                                       # 16 unknown: weak, 0.45
    '        first = [obj][0]\n'                                      # 17 an element: unknown
    '        first.tally(d)\n')                                    # 18
# a member set from a parameter with a declared type has the parameter's type (uvicorn's
# `self.transport = transport` of `transport: asyncio.Transport`: no guess into a test's mock)
FILES['py/bi/conn.py'] = (
    'import asyncio\n'                                               # 1
    'from .store import Bag\n'                                       # 2
    'class Conn:\n'                                                  # 3
    '    def __init__(self, transport: asyncio.Transport, bag: Bag, n):\n'  # 4
    '        self.transport = transport\n'                           # 5
    '        self.bag = bag\n'                                       # 6
    '        self.n = n\n'                                           # 7
    '    def go(self):\n'                                            # 8
    '        self.transport.tally()\n'                               # 9 asyncio's
    '        self.bag.tally()\n'                                     # 10 the repository's
    '        self.n.tally()\n')                                      # 11 unknown: weak
# ..and a receiver declared as the repository's base class calls its subclasses' overrides
# too (dynamic dispatch: starlette's `self.backend.authenticate()` of an abstract backend)
FILES['py/bi/auth.py'] = (
    'class Backend:\n'                                               # 1
    '    def auth(self):\n'                                          # 2
    '        raise NotImplementedError()\n'                          # 3
    'class Basic(Backend):\n'                                        # 4
    '    def auth(self):\n'                                          # 5
    '        return 1\n'                                             # 6
    'class Other:\n'                                                 # 7
    '    def auth(self):\n'                                          # 8
    '        return 2\n'                                             # 9
    'class MW:\n'                                                    # 10
    '    def __init__(self, backend: Backend):\n'                    # 11
    '        self.backend = backend\n'                               # 12
    '    def go(self):\n'                                            # 13
    '        return self.backend.auth()\n')                          # 14
# ..and a value returned by a repository method whose annotation names a library's type
# (`-> httpx.Response`, `-> Response` imported from httpx) is the library's: a test client's
# response has no edge to the server's Request.json
FILES['py/bi/client.py'] = (
    'import httpx\n'                                                  # 1
    'from httpx import Response\n'                                    # 2
    'from .req import Request\n'                                      # 3
    'class TClient:\n'                                                # 4
    '    def get(self, url) -> httpx.Response:\n'                     # 5
    '        return httpx.get(url)\n'                                 # 6
    '    def post(self, url) -> Response:\n'                          # 7
    '        return httpx.post(url)\n'                                # 8
    '    def build(self) -> Request:\n'                               # 9
    '        return Request()\n')                                     # 10
FILES['py/bi/req.py'] = (
    'class Request:\n    def json(self):\n        return {}\n')
FILES['py/bi/test_client.py'] = (
    'from .client import TClient\n'                                   # 1
    'def test_a(client: TClient):\n'                                  # 2
    '    response = client.get("/")\n'                                # 3
    '    response.json()\n'                                           # 4 httpx's
    '    r2 = client.post("/")\n'                                     # 5
    '    r2.json()\n'                                                 # 6 httpx's
    '    q = client.build()\n'                                        # 7
    '    q.json()\n')                                                 # 8 the repository's
# JS/TS: the repository's own package imported with a subpath ("pkg/v4") names the files under
# its "v4": a guess into v3's class of that name is another entry point's
FILES['ts/own/pkg/v3/types.ts'] = (
    'export class ZodType {\n  decode(v: unknown) { return v; }\n}\n')
FILES['ts/own/pkg/v4/index.ts'] = 'export function string() { return {}; }\n'
FILES['ts/own/pkg/v4/t.test.ts'] = (
    'import * as z from "pkg/v4";\n'                                  # 1
    'import * as y from "pkg/v3";\n'                                  # 2
    'const s = z.string();\n'                                         # 3
    's.decode("x");\n'                                                 # 4 v4's value
    'test("a", () => {\n'                                             # 5
    '  const t = z.string();\n'                                       # 6
    '  t.decode("y");\n'                                               # 7 v4's value
    '  const u = y.string();\n'                                       # 8
    '  u.decode("z");\n'                                               # 9 v3's: the guess stays
    '});\n'                                                          # 10
    'Promise.decode(u);\n'                                           # 11 the platform's global
    'export function h(url: URL, own: Own) {\n'                      # 12
    '  url.searchParams.decode("q");\n'                              # 13 a member of URL
    '  own.inner.decode("q");\n'                                     # 14 unknown member: guess
    '}\n'                                                            # 15
    'interface Own { inner: unknown }\n')                            # 16

# JS: a name a module of the revision binds to a value made from what it imports (execa's
# index.js `const {sendMessage} = getIpcExport(); export {sendMessage}`) gets a guess at the
# free functions of that name in the files it imports (two levels), not at others of that name
FILES['js/bind/lib/send.js'] = 'export function sendIpc(m) { return m; }\n'
FILES['js/bind/lib/methods.js'] = (
    "import {sendIpc} from './send.js';\n"
    'export const make = () => ({sendIpc: sendIpc.bind(undefined)});\n')
FILES['js/bind/index.js'] = (
    "import {make} from './lib/methods.js';\n"
    'const {sendIpc} = make();\n'
    'export {sendIpc};\n')
FILES['js/bind/other/send2.js'] = 'export function sendIpc(other) { return other; }\n'
FILES['js/bind/test/use.js'] = (
    "import {sendIpc} from '../index.js';\n"                          # 1
    'sendIpc(1);\n')                                                  # 2

# JS: a member set to a bound function (execa's `Object.assign(subprocess, {sendMessage:
# sendMessage.bind(..)})`, `subprocess.readable = createReadable.bind(..)`) is that function when
# the receiver's type is unknown: a weak edge to the function the binding file defines or
# imports; a Node stream's option hook (`{write: onWrite.bind(..)}`), a conditional's
# `a ? b : f.bind()` and a builtin receiver get none
FILES['js/bnd/lib/send.js'] = (
    'export function sendIpc(m) { return m; }\n'
    'export function onWrite(c) { return c; }\n')
FILES['js/bnd/lib/conv.js'] = (
    "import {sendIpc, onWrite} from './send.js';\n"                  # 1
    'function toStream(s) { return s; }\n'                           # 2
    'export const add = (t) => {\n'                                  # 3
    '  t.conv = toStream.bind(undefined, t);\n'                      # 4
    '  Object.assign(t, {ipcSend: sendIpc.bind(undefined, t)});\n'   # 5
    '  return {write: onWrite.bind(undefined, t)};\n'                # 6
    '};\n'                                                           # 7
    'export const pick = (c, a) => c ? a : toStream.bind(undefined);\n')  # 8
FILES['js/bnd/test/use.js'] = (
    "import {add} from '../lib/conv.js';\n"                          # 1
    'export function use(sub) {\n'                                   # 2
    '  add(sub);\n'                                                  # 3
    '  sub.conv();\n'                                                # 4 toStream
    '  sub.ipcSend(1);\n'                                            # 5 send.js's
    "  sub.write('x');\n"                                            # 6 a stream's own
    '  sub.a();\n'                                                   # 7 no member binding
    '  console.conv();\n'                                            # 8 the platform's
    '}\n')

# JS/TS (cg29): a member set inside a function is that function's object from there on: in the
# same file, a call inside that function fits it (the patched Date.now, the local's own text); a
# call elsewhere in the file (ky's other tests' `const response = await ..; response.text()`)
# is as another file's: no confident edge, and a global's member set inside a test's callback
# (`Date.now = () => now`) is not the other tests' Date.now; a member set at top level still
# fits every call of the file, and an object literal's member returned by a function (`return
# {body: () => ..}`) and a member set on the value a function returns, called on a call of it
# (babel's `_regeneratorRuntime().mark(..)`), keep their guess
FILES['ts/mset/t.ts'] = (
    'export function customFetch(r) {\n'                             # 1
    '  const response = r.clone();\n'                                # 2
    "  response.text = async () => 'x';\n"                           # 3
    '  response.text();\n'                                           # 4 line 3's
    '  return response;\n'                                           # 5
    '}\n'                                                            # 6
    'test(async () => {\n'                                           # 7
    '  const response = await fetch(1);\n'                           # 8
    '  response.text();\n'                                           # 9 weak at most
    '});\n'                                                          # 10
    'test(() => {\n'                                                 # 11
    '  Date.now();\n'                                                # 12 (not checked: before it)
    '  Date.now = () => 5;\n'                                        # 13
    '  Date.now();\n'                                                # 14 line 13's
    '});\n'                                                          # 15
    'test(() => {\n'                                                 # 16
    '  Date.now();\n'                                                # 17 none
    '});\n'                                                          # 18
    'const api = {};\n'                                              # 19
    'api.get = () => 1;\n'                                           # 20
    'test(() => {\n'                                                 # 21
    '  api.get();\n'                                                 # 22 line 20's
    '});\n'                                                          # 23
    'function capture() {\n'                                         # 24
    '  return {body: () => 1};\n'                                    # 25
    '}\n'                                                            # 26
    'test(() => {\n'                                                 # 27
    '  const c = capture();\n'                                       # 28
    '  c.body();\n'                                                  # 29 a guess at line 25's
    '});\n'                                                          # 30
    'function rt() {\n'                                              # 31
    '  const e: any = {};\n'                                         # 32
    '  e.mark = (f: any) => f;\n'                                    # 33
    '  return e;\n'                                                  # 34
    '}\n'                                                            # 35
    'rt().mark(1);\n')                                               # 36 a guess at line 33's

# JS (cg29): a chained member assignment (express's `res.set = res.header = function header(..)`)
# defines every member it sets, each a definition at the function's node (the graph names it by
# the last member: `res.set(..)` gets an edge to the node res.header); `var f = res.y = ..`
# defines no member f
FILES['js/chain/lib/res.js'] = (
    'var res = {};\n'                                                # 1
    'res.set = res.header = function header(k, v) { return k; };\n'  # 2
    'res.contentType = res.type = function contentType(t) {\n'       # 3
    "  return this.set('Content-Type', t);\n"                        # 4 line 2's
    '};\n'                                                           # 5
    'var only = res.y = function () { return 1; };\n'                # 6
    'module.exports = res;\n')                                       # 7
FILES['js/chain/test/t.js'] = (
    "var res = require('../lib/res.js');\n"                          # 1
    "res.set('a', 1);\n"                                             # 2 lib/res.js:2
    "res.header('a', 1);\n"                                          # 3 lib/res.js:2
    "res.contentType('html');\n"                                     # 4 lib/res.js:3
    'res.only();\n')                                                 # 5 none

# TS (cg29): a name destructured from a call of a function that returns an object literal
# (got's `const {once, unhandleAll} = unhandler()` of a default import, `const {ctl, removed} =
# make()` of the file's own) is that function's member: its method, pair or the local function a
# shorthand returns; a name the function does not define (`other`) and a library function's
# value get none
FILES['ts/robj/unhandle.ts'] = (
    'export default function unhandle() {\n'                         # 1
    '  return {\n'                                                   # 2
    '    once(o: any) { return o; },\n'                              # 3
    '    unhandleAll() { return 1; },\n'                             # 4
    '  };\n'                                                         # 5
    '}\n')                                                           # 6
FILES['ts/robj/use.ts'] = (
    "import unhandler from './unhandle.js';\n"                       # 1
    "import {lib} from 'somelib';\n"                                 # 2
    'const make = () => {\n'                                         # 3
    '  const removed = () => true;\n'                                # 4
    '  return {ctl: 1, removed, count: () => 2};\n'                  # 5
    '};\n'                                                           # 6
    'export function run() {\n'                                      # 7
    '  const {once, unhandleAll} = unhandler();\n'                   # 8
    '  once(1);\n'                                                   # 9 unhandle.ts:3
    '  unhandleAll();\n'                                             # 10 unhandle.ts:4
    '  const {removed, count, other} = make();\n'                    # 11
    '  removed();\n'                                                 # 12 line 4
    '  count();\n'                                                   # 13 line 5
    '  other();\n'                                                   # 14 none
    '  const {once: o2} = lib();\n'                                  # 15
    '}\n')                                                           # 16

# TS (cg29): `const f = (await import('./m.js')).default` (got's tests) binds f to m's default
# export; another member of the module (`.named`) and a library's default get none
FILES['ts/dyn/m.ts'] = (
    'export default function makeServer() { return 1; }\n'          # 1
    'export function named() { return 2; }\n')                      # 2
FILES['ts/dyn/t.ts'] = (
    'export async function run() {\n'                                # 1
    "  const mk = (await import('./m.js')).default;\n"               # 2
    '  mk();\n'                                                      # 3 m.ts:1
    "  const nm = (await import('./m.js')).named;\n"                 # 4
    '  nm();\n'                                                      # 5 none
    "  const lib = (await import('quick-lru')).default;\n"           # 6
    '  lib();\n'                                                     # 7 none
    '}\n')                                                           # 8

# TS: shorthand properties of an object literal made in a function (zustand's `const api = {
# setState, getState, subscribe }` of local arrows, copied onto the hook) are those functions:
# `store.getState()` on a receiver of unknown type gets a weak edge to the local arrow; a
# shorthand of a value (`init`) gives none, nor does a destructuring pattern
FILES['ts/shand/vanilla.ts'] = (
    'export const createStoreImpl = (init: number) => {\n'           # 1
    '  let state = init;\n'                                          # 2
    '  const getState = () => state;\n'                              # 3
    '  const setState = (v: number) => { state = v; };\n'            # 4
    '  const api = { getState, setState, init };\n'                  # 5
    '  return api as any;\n'                                         # 6
    '};\n'                                                           # 7
    'export const pick = (o: any) => {\n'                            # 8
    '  const peek = () => 1;\n'                                      # 9
    '  const { look } = o;\n'                                        # 10 a pattern
    '  return [peek, look];\n'                                       # 11
    '};\n')
FILES['ts/shand/use.ts'] = (
    "import { createStoreImpl } from './vanilla';\n"                 # 1
    'export function t(make: any) {\n'                               # 2
    '  const store = make();\n'                                      # 3
    '  store.getState();\n'                                          # 4 the local arrow
    '  store.init();\n'                                              # 5 a value: none
    '  store.look();\n'                                              # 6 a pattern: none
    '}\n')

# A member replaced by a wrapper inside a function (js19; zustand's middleware `api.setState =
# ((..) => {..}) as NamedSet<S>` in devtools.ts, `api.subscribe = (..) =>` elsewhere): `x.m()` on
# a receiver of unknown type gets the wrapper as a weak candidate beside the store's own shorthand
# member; a member only ever replaced (no original) and a module-level assignment: nothing added.
FILES['ts/mw/vanilla.ts'] = (
    'export const createMwStore = (init: number) => {\n'             # 1
    '  let state = init;\n'                                          # 2
    '  const getCount = () => state;\n'                              # 3
    '  const setValue = (v: number) => { state = v; };\n'            # 4
    '  const subscribe = (l: any) => l;\n'                           # 5
    '  const api = { getCount, setValue, subscribe };\n'             # 6
    '  return api as any;\n'                                         # 7
    '};\n')
FILES['ts/mw/devtools.ts'] = (
    'export const devtools = (fn: any) => (set: any, get: any, api: any) => {\n'  # 1
    '  const orig = api.setValue;\n'                                               # 2
    '  api.setValue = ((v: number, r?: boolean) => {\n'                            # 3
    '    return orig(v, r);\n'                                                     # 4
    '  }) as any;\n'                                                               # 5
    '  api.reset = () => 0;\n'                                                     # 6
    '  return fn(set, get, api);\n'                                                # 7
    '};\n')
FILES['ts/mw/sel.ts'] = (
    'export function withSel(api: any) {\n'                          # 1
    '  api.subscribe = (l: any, opt?: any) => l;\n'                  # 2
    '  return api;\n'                                                # 3
    '}\n'
    'const o: any = {};\n'                                           # 5
    'o.getCount = () => 2;\n')                                       # 6 module level
FILES['ts/mw/use.ts'] = (
    'export function t(make: any) {\n'                               # 1
    '  const store = make();\n'                                      # 2
    '  store.setValue(1);\n'                                         # 3 vanilla + devtools
    '  store.subscribe(2);\n'                                        # 4 vanilla + sel
    '  store.getCount();\n'                                          # 5 vanilla only
    '  store.reset();\n'                                             # 6 only replaced: none
    '}\n')

# JS: a bare call of a module-level constant of its own file (immer's `const getPrototypeOf =
# O.getPrototypeOf`) is that value, never a guess at another file's function of the name; a
# module-level arrow function of the file is the file's own
FILES['js/topv/b.js'] = 'export function getProtoOf(x) { return x; }\nexport function arrowFn() {}\n'
FILES['js/topv/a.js'] = (
    'const O = Object;\n'                                             # 1
    'export const getProtoOf = O.getPrototypeOf;\n'                   # 2
    'const arrowFn = () => 1;\n'                                      # 3
    'export function f(o) {\n'                                        # 4
    '  arrowFn();\n'                                                  # 5 the file's own
    '  return getProtoOf(o);\n'                                       # 6 the constant: none
    '}\n')

# JS/TS: a bare name bound by a destructuring parameter or local of an enclosing function is the
# caller's value (a prop, a context's member), no definition of its name elsewhere (tsx19, vaul's
# `onOpenChange?.(o)` guessed to the context default's `onOpenChange: () => {}`); a name only a
# default value or a key mentions binds nothing and keeps its guess
FILES['tsxd/src/ctx.ts'] = (
    'export const Ctx = createContext({\n'
    '  onRelease: () => {},\n'
    '  onOpenChange: () => {},\n'
    '});\n'
    'export const useCtx = () => useContext(Ctx);\n')
FILES['tsxd/src/a.tsx'] = (
    "import { useCtx } from './ctx';\n"                                 # 1
    'export function Root({ onOpenChange, open: o }: Props) {\n'       # 2
    '  const s = useState({ onChange: (v: boolean) => {\n'             # 3
    '    onOpenChange?.(v);\n'                                         # 4 the prop: none
    '  } });\n'                                                        # 5
    '  return <div onClick={() => onOpenChange(false)} />;\n'          # 6 the prop: none
    '}\n'                                                              # 7
    'export const Content = forwardRef(function ({ a }, ref) {\n'      # 8
    '  const { onRelease, c: rel } = useCtx();\n'                      # 9
    '  return <div onClick={() => { onRelease(); rel(); }} />;\n'      # 10 the context's: none
    '});\n'                                                            # 11
    'export function Dflt({ cb = onOpenChange, k: [first] }) {\n'      # 12
    '  first();\n'                                                     # 13 array pattern: none
    '  onOpenChange(); onRelease();\n'                                 # 14 no binding: guessed
    '}\n')
FILES['tsxd/src/b.js'] = (
    "import cmds from './cmd';\n"                                       # 1
    'export function Plain({ onRelease } = {}) {\n'                    # 2
    '  onRelease();\n'                                                 # 3 the parameter: none
    '}\n'                                                              # 4
    'export async function go() {\n'                                   # 5
    "  const { runCmd } = await import('./cmd');\n"                    # 6
    '  runCmd();\n'                                                    # 7 the module's: guessed
    '}\n'                                                              # 8
    'export function h() {\n'                                          # 9
    '  const { stopCmd } = cmds;\n'                                    # 10
    '  stopCmd();\n'                                                   # 11 an import's: guessed
    '}\n')
FILES['tsxd/src/cmd.js'] = (
    'function runCmd() {}\nfunction stopCmd() {}\nmodule.exports = { runCmd, stopCmd };\n')

# JS/TS React contexts (ts20, vaul's `const { onRelease } = useDrawerContext()`): a name
# destructured from a context's value (`useContext(X)`, or a hook of the revision reading it) is
# what the one Provider of X passes for it in `value={{ .. }}` (the provider's local function, a
# renamed property's value); several providers: all of them, weak; a value a local of the
# provider's function binds (`const [open, setOpen] = useState(..)`: not the module's setOpen), a context the revision does not create: none; tsxd's `Ctx` above (another
# context object of the same name, no provider) gets none of these providers' functions
FILES['tsxc/src/ctx.ts'] = (
    'export const Ctx = React.createContext<Value>(defaults);\n'
    'export const useCtx = () => {\n'
    '  const c = React.useContext(Ctx);\n'
    '  return c;\n'
    '};\n'
    'export const Two: TwoType = createContext(null);\n')
FILES['tsxc/src/root.tsx'] = (
    "import { Ctx, Two } from './ctx';\n"                              # 1
    'export function Root({ children }) {\n'                          # 2
    '  const [open, setOpen] = useState(false);\n'                    # 3
    '  function onRelease(e: Event) {}\n'                             # 4
    '  return (\n'                                                    # 5
    '    <Ctx.Provider\n'                                             # 6
    '      value={{\n'                                                # 7
    '        onRelease,\n'                                            # 8
    '        close: onRelease,\n'                                     # 9
    '        setOpen,\n'                                              # 10
    '        label: "x",\n'                                           # 11
    '      }}\n'                                                      # 12
    '    >{children}</Ctx.Provider>\n'                                # 13
    '  );\n'                                                          # 14
    '}\n'                                                             # 15
    'export function A() {\n'                                         # 16
    '  function go() {}\n'                                            # 17
    '  return <Two.Provider value={{ go }} />;\n'                     # 18
    '}\n'                                                             # 19
    'export function B() {\n'                                         # 20
    '  function go() {}\n'                                            # 21
    '  return <Two.Provider value={{ go }} />;\n'                     # 22
    '}\n'                                                             # 23
    'export function setOpen(v: boolean) {}\n')                       # 24 not Root's setOpen
FILES['tsxc/src/use.tsx'] = (
    "import { useCtx, Two } from './ctx';\n"                           # 1
    'export const Content = forwardRef(function ({ a }, ref) {\n'     # 2
    '  const {\n'                                                     # 3
    '    onRelease,\n'                                                # 4
    '    close,\n'                                                    # 5
    '    setOpen,\n'                                                  # 6
    '  } = useCtx();\n'                                               # 7
    '  const up = () => { onRelease(); close(); setOpen(true); };\n'  # 8
    '  const { go } = useContext(Two);\n'                             # 9
    '  go();\n'                                                       # 10
    '  const { stop } = useContext(Foreign);\n'                       # 11
    '  stop();\n'                                                     # 12
    '});\n')
FILES['tsxc/src/stop.ts'] = 'export function stop() {}\n'
# JS/TS (cg29, zustand's `const useBoundStore = create<T>()(..)`, headlessui's `let render =
# useRender()`): a bare call of a local bound to a call's value reaches the function the callee
# returns: a returned local function (confident when one), through a call's value (`create(f)`
# returns createImpl(f)'s), a ternary on the first parameter split by whether the bound call
# passes it; an anonymous arrow returned that calls one function: that one, weak; a callee
# returning a parameter, a number or a library's value: none
FILES['tsfv/src/store.ts'] = (
    'const createImpl = <T>(createState: T) => {\n'                        # 1
    '  const useBoundStore: any = (sel?: any) => sel(createState)\n'       # 2
    '  return useBoundStore\n'                                             # 3
    '}\n'                                                                  # 4
    'export const create = (<T>(createState: T | undefined) =>\n'         # 5
    '  createState ? createImpl(createState) : createImpl) as any\n'      # 6
    'export function render(x: number) { return x }\n'                    # 7
    'export function useRender() {\n'                                     # 8
    '  return useCallback(\n'                                             # 9
    '    (args: number) => render(args),\n'                               # 10
    '    []\n'                                                            # 11
    '  ) as typeof render\n'                                              # 12
    '}\n'                                                                 # 13
    'export function same(x: any) { return x }\n'                         # 14
    'export function one() { return 1 }\n'                                # 15
    'export function useBoundStore() {}\n')                               # 16
FILES['tsfv/src/use.tsx'] = (
    "import { create, useRender, same, one } from './store'\n"           # 1
    "import { useState } from 'react'\n"                                 # 2
    'export function Comp() {\n'                                         # 3
    '  const useA = create(() => 1)\n'                                   # 4
    '  const useB = create<number>()(() => 1)\n'                         # 5
    '  let rr = useRender()\n'                                           # 6
    '  const s = same(() => 1)\n'                                        # 7
    '  const o = one()\n'                                                # 8
    '  const [st] = useState(0)\n'                                       # 9
    '  const u = useState(0)\n'                                          # 10
    '  useA()\n'                                                         # 11
    '  useB()\n'                                                         # 12
    '  rr(3)\n'                                                          # 13
    '  s()\n'                                                            # 14
    '  o()\n'                                                            # 15
    '  u()\n'                                                            # 16
    '}\n')
# ..and a member call on a local bound to a call's value may be a member of the object literal a
# named function of another file returns (headlessui's `let d = useDisposables()` then
# `d.dispose()`: disposables' dispose, a guess); not on a parameter, and not a member of the object
# an anonymous function returns (a store creator's `(set) => ({ inc() {..} })`)
FILES['tsfv/src/disposables.ts'] = (
    'export function disposables() {\n'                                  # 1
    '  let api = {\n'                                                    # 2
    '    dispose() {},\n'                                                # 3
    '    add(f: any) { return f },\n'                                    # 4
    '  }\n'                                                              # 5
    '  return api\n'                                                     # 6
    '}\n'                                                                # 7
    'export const st = build((set: any) => ({ inc() {} }))\n'            # 8
    'export function helper() {\n'                                       # 9
    '  function inner() {}\n'                                            # 10
    '  return 1\n'                                                       # 11
    '}\n')                                                               # 12
# ..and a member of an object literal a function assigns to a property P (`(api as T).persist = {
# rehydrate: .. }`, zustand's persist middleware) is guessed for `x.P.m()`: not for `x.m()` nor
# `x.Q.m()`
FILES['tsfv/src/persist.ts'] = (
    'export const persist = (config: any) => (set: any, get: any, api: any) => {\n'  # 1
    '  ;(api as any).persist = {\n'                                                  # 2
    '    rehydrate: () => hydrate(),\n'                                              # 3
    '    hasHydrated: () => true,\n'                                                 # 4
    '  }\n'                                                                          # 5
    '  const hydrate = () => 1\n'                                                    # 6
    '  return config(set, get, api)\n'                                               # 7
    '}\n')
FILES['tsfv/test/persist.test.tsx'] = (
    "import { persist } from '../src/persist'\n"                        # 1
    "import { create } from '../src/store'\n"                           # 2
    "it('rehydrates', () => {\n"                                        # 3
    '  const useS = create(persist(() => ({ n: 0 })))\n'                # 4
    '  useS.persist.rehydrate()\n'                                      # 5
    '  useS.rehydrate()\n'                                              # 6
    '  useS.other.hasHydrated()\n'                                      # 7
    '})\n')
FILES['tsfv/src/usedisp.ts'] = (
    "import { disposables } from './disposables'\n"                      # 1
    'export function useIt(p: any) {\n'                                  # 2
    '  let d = disposables()\n'                                          # 3
    '  d.dispose()\n'                                                    # 4
    '  p.dispose()\n'                                                    # 5
    '  let q = make()\n'                                                 # 6
    '  q.inc()\n'                                                        # 7
    '  q.inner()\n'                                                      # 8
    '  let z = unrelated()\n'                                            # 9
    '  z.dispose()\n'                                                    # 10 not disposables'
    '}\n')
# TS receivers through declared members (ts20, h3's `event.req.headers.get(..)`): a member typed
# with a library's type (`req: ServerRequest` imported from a package) holds the library's value,
# no guess at the revision's methods; a member with an inline object type (`res: { headers:
# Headers; kit: Kit }`) types its members; a parameter typed by its function's type parameter
# (`<E extends Evt = Evt>(event: E)`) has the constraint's type; a local set from a call whose
# declared return type is the revision's (`const ev = mockEvt(..)` of `): Evt`) is followed
# through its members
FILES['ts/mem/kit.ts'] = (
    'import type { ServerRequest } from "srvx";\n'                  # 1
    'export class Kit {\n'                                          # 2
    '  run(k: string) { return k; }\n'                              # 3
    '  probe(k: string) { return k; }\n'                            # 4
    '}\n'                                                           # 5
    'export interface Evt {\n'                                      # 6
    '  readonly req: ServerRequest;\n'                              # 7
    '  readonly res: {\n'                                           # 8
    '    status?: number;\n'                                        # 9
    '    readonly headers: Headers;\n'                              # 10
    '    kit: Kit;\n'                                               # 11
    '  };\n'                                                        # 12
    '  kit: Kit;\n'                                                 # 13
    '}\n'                                                           # 14
    'export function mockEvt(u: string): Evt {\n'                   # 15
    '  return {} as Evt;\n'                                         # 16
    '}\n')                                                          # 17
FILES['ts/mem/use.ts'] = (
    'import { type Evt, mockEvt } from "./kit";\n'                  # 1
    'export function f(event: Evt) {\n'                             # 2
    '  event.req.headers.probe("a");\n'                               # 3 the library's: none
    '  event.res.headers.probe("b");\n'                               # 4 the platform's: none
    '  event.res.kit.run("c");\n'                                   # 5 Kit.run
    '}\n'                                                           # 6
    'export function g<E extends Evt = Evt>(event: E) {\n'          # 7
    '  event.kit.run("d");\n'                                       # 8 Kit.run
    '  event.req.headers.probe("e");\n'                               # 9 none
    '}\n'                                                           # 10
    'export function h() {\n'                                       # 11
    '  const ev = mockEvt("/");\n'                                  # 12
    '  ev.res.headers.probe("f");\n'                                  # 13 none
    '  ev.kit.run("g");\n'                                          # 14 Kit.run
    '}\n'                                                           # 15
    'export function k<T>(x: T, ev: Evt) {\n'                       # 16
    '  x.probe("h");\n'                                               # 17 an unbounded T: as before (none)
    '}\n')
# JS/TS module-level variables made by a constructor (ts20, h3's examples `const app = new
# H3(); app.get(..)`): a receiver that is the variable alone has the class's type, in functions
# too; not where a function assigns the name as well; a platform class (`new WeakSet()`) gives
# no guess
FILES['ts/topc/k.ts'] = (
    'export class Kit2 {\n'
    '  run2() {}\n'
    '  stash(x: number) {}\n'
    '}\n'
    'export function make() { return new Kit2(); }\n')
FILES['ts/topc/a.ts'] = (
    'import { Kit2, make } from "./k";\n'                            # 1
    'const kit = new Kit2();\n'                                      # 2
    'let other = new Kit2();\n'                                      # 3
    'const seen = new WeakSet();\n'                                  # 4
    'kit.run2();\n'                                                  # 5 Kit2.run2
    'export function f() {\n'                                        # 6
    '  kit.run2();\n'                                                # 7 Kit2.run2
    '  seen.stash(1);\n'                                             # 8 the platform's: none
    '}\n'                                                            # 9
    'export function g() {\n'                                        # 10
    '  other = make();\n'                                            # 11
    '  other.run2();\n'                                              # 12 not known: no confident
    '}\n'                                                            # 13
    'const te = new TextEncoder();\n'                                # 14
    'export function enc(b: Uint8Array) { return te.encodeInto("x", b); }\n') # 15 none
# a test patching the platform's class (got's test/response-parse.ts) declares no class of ours
FILES['ts/topc/patch.test.ts'] = (
    'globalThis.TextEncoder.prototype.encodeInto = function (s: string, b: Uint8Array) { return {}; };\n')
# TS callbacks typed through a named type or a union of them (ts20, h3's `get(route, handler:
# EventHandler | H3)` with `interface EventHandler { (event: H3Event): R }`): the callback's
# untyped parameter has the type the interfaces' call signatures give it
FILES['ts/cbs/hub.ts'] = (
    'import type { Evt } from "../mem/kit";\n'
    'export interface Hnd<R = string> {\n'
    '  (event: Evt): R;\n'
    '  label?: string;\n'
    '}\n'
    'export class Hub2 {\n'
    '  on(route: string, handler: Hnd | Hub2): this { return this; }\n'
    '  zap(k: string) { return k; }\n'
    '}\n')
FILES['ts/cbs/use.ts'] = (
    'import { Hub2 } from "./hub";\n'                                # 1
    'export function wire(h: Hub2) {\n'                              # 2
    '  h.on("/", (event) => {\n'                                     # 3
    '    event.kit.run("a");\n'                                      # 4 Kit.run
    '    event.req.headers.zap("b");\n'                              # 5 the library's: none
    '    return "";\n'                                               # 6
    '  });\n'                                                        # 7
    '}\n')
# TS: a variable or parameter declared as an array of a class (`bags: Bag[]`) is no instance of
# it: `bags.push(..)` is the array's, never a confident Bag.push (ts20; main had it 0.9 for
# locals and parameters)
FILES['ts/arr/bag.ts'] = (
    'export class Bag {\n'                                           # 1
    '  push(x: number) { return x; }\n'                              # 2
    '}\n'                                                            # 3
    'let bags: Bag[] = [];\n'                                        # 4
    'export function f(xs: Bag[], y: Bag) {\n'                       # 5
    '  const local: Bag[] = [];\n'                                   # 6
    '  local.push(new Bag());\n'                                     # 7 no confident edge
    '  xs.push(new Bag());\n'                                        # 8 no confident edge
    '  bags.push(new Bag());\n'                                      # 9 no confident edge
    '  y.push(1);\n'                                                 # 10 Bag.push
    '}\n')
# (file, line, callee) -> (file, qualified name) | None (no confident edge) | 'none' (no edge)
# | ('weak', file, qualified name[, n]): edges (n of them), all below 0.5, all to that name there
# TS callbacks typed by the repository callee's declared parameter (cg17, h3's
# `describeMatrix("..", (t) => t.fetch(..))`): the callback's untyped parameter has the type the
# callee's function-typed parameter gives it; a member of that type declared as a property (a
# function-typed one included) is no method call, so no guess into same-named methods
FILES['ts/cbt/setup.ts'] = (
    'export class App {\n'                                            # 1
    '  fetch(input: string) { return input; }\n'                      # 2
    '  use(p: string): this { return this; }\n'                       # 3
    '}\n'                                                             # 4
    'export interface Ctx {\n'                                        # 5
    '  app: App;\n'                                                   # 6
    '  fetch: (input: string) => Promise<string>;\n'                  # 7
    '}\n'                                                             # 8
    'export function describeMatrix(\n'                               # 9
    '  title: string,\n'                                              # 10
    '  fn: (ctx: Ctx, n: number) => void,\n'                          # 11
    ') {\n'                                                           # 12
    '  fn({} as Ctx, 1);\n'                                           # 13
    '}\n'                                                             # 14
    'export function withApp(fn: (app: App) => void) {\n'             # 15
    '  fn(new App());\n'                                              # 16
    '}\n'                                                             # 17
    'export function loose(fn: (x) => void) {\n'                      # 18
    '  fn(1);\n'                                                      # 19
    '}\n'                                                             # 20
    'export function ctor<T>(name: string, init: (inst: T) => void) {\n'  # 21
    '  init({} as T);\n'                                              # 22
    '}\n')                                                            # 23
FILES['ts/cbt/a.test.ts'] = (
    'import { describeMatrix, withApp, loose, ctor } from "./setup";\n'  # 1
    'describeMatrix("x", (t) => {\n'                                  # 2
    '  t.fetch("/");\n'                                               # 3 Ctx's property
    '});\n'                                                           # 4
    'describeMatrix("y", async (t, n) => {\n'                         # 5
    '  await t.fetch("/");\n'                                         # 6 Ctx's property
    '});\n'                                                           # 7
    'withApp((a) => {\n'                                              # 8
    '  a.fetch("/");\n'                                               # 9 App.fetch
    '  a.use("/");\n'                                                 # 10 App.use
    '});\n'                                                           # 11
    'loose((x) => x.fetch("/"));\n'                                   # 12 untyped: a guess
    'const t = { fetch: (s: string) => s };\n'                        # 13
    'describeMatrix("z", () => t.fetch("/"));\n'                      # 14 not the callback's
    'ctor("c", (inst) => {\n'                                         # 15
    '  inst.start = () => 1;\n'                                       # 16
    '  inst.start();\n'                                               # 17 the assigned arrow
    '});\n')                                                          # 18
# ..and a call through a property an interface declares with a function type (h3's
# `this.config.onRequest(event)` of `config: H3Config`) calls the value stored there: no guess
# at methods or assigned functions of that name elsewhere
FILES['ts/cbt/server.ts'] = (
    'export interface Config {\n'                                     # 1
    '  onRequest?: (e: string) => void;\n'                            # 2
    '}\n'                                                             # 3
    'export class Server {\n'                                         # 4
    '  config: Config;\n'                                             # 5
    '  constructor(c: Config) {\n'                                    # 6
    '    this.config = c;\n'                                          # 7
    '  }\n'                                                           # 8
    '  run() {\n'                                                     # 9
    '    this.config.onRequest("x");\n'                               # 10
    '  }\n'                                                           # 11
    '}\n')                                                            # 12
FILES['ts/cbt/hooks.test.ts'] = (
    'const hooks: any = {};\n'                                        # 1
    'hooks.onRequest = (e) => e;\n'                                   # 2
    'class Other {\n'                                                 # 3
    '  onRequest(e: string) { return e; }\n'                          # 4
    '}\n')                                                            # 5
# ..and a type the caller imports from a barrel (`import { H3 } from "../src"`, index.ts
# re-exporting ./h3) is that module's class: its methods stay confident
FILES['ts/cbt/index.ts'] = 'export { App, describeMatrix } from "./setup";\n'
FILES['ts/cbt/b.test.ts'] = (
    'import { App } from "./index";\n'                                # 1
    'import { describeMatrix } from "./setup";\n'                     # 2
    'describeMatrix("x", (t) => {\n'                                  # 3
    '  t.app.use("/");\n'                                             # 4 App.use
    '});\n'                                                           # 5
    'function f(a: App) {\n'                                          # 6
    '  a.use("/");\n'                                                 # 7 App.use
    '  a.use("/").use("/x");\n'                                       # 8 App.use (`: this`)
    '}\n')                                                            # 9
# ..and a chain of members `v.a.b.f()` follows the members' declared types: one of a type
# the revision does not declare (h3's `event.url.searchParams.get(..)` of `url: URL`) is the
# platform's or a library's (no guess); through the repository's types, their method
FILES['ts/cbt/ev.ts'] = (
    'export class Store {\n'                                          # 1
    '  has(k: string) { return k; }\n'                                # 2
    '}\n'                                                             # 3
    'export interface Ev<A = Store> {\n'                              # 4
    '  url: URL;\n'                                                   # 5
    '  store: Store;\n'                                               # 6
    '  inner: A;\n'                                                   # 7
    '}\n')                                                            # 8
FILES['ts/cbt/ev_use.ts'] = (
    'import type { Ev } from "./ev";\n'                               # 1
    'export function handle(event: Ev) {\n'                           # 2
    '  event.url.searchParams.has("x");\n'                            # 3 URL's: none
    '  event.store.has("x");\n'                                       # 4 Store.get
    '}\n'                                                             # 5
    'export class Srv {\n'                                            # 6
    '  ev: Ev;\n'                                                     # 7
    '  run() {\n'                                                     # 8
    '    this.ev.url.searchParams.has("y");\n'                        # 9 none
    '    this.ev.store.has("z");\n'                                   # 10 Store.get
    '    this.ev.other.has("w");\n'                                   # 11 unknown member: a guess
    '    this.ev.inner.has("v");\n'                                   # 12 a generic's: a guess
    '  }\n'                                                           # 13
    '}\n'                                                             # 14
    'export function g(u: URL) {\n'                                   # 15
    '  u.searchParams.has("x");\n'                                    # 16 the platform's URL
    '}\n')                                                            # 17
# ..even where the repository names a class like the platform's type (h3's `class URL implements
# globalThis.URL`), a member it does not declare is the platform's
FILES['ts/cbt/url.ts'] = 'export class URL {\n  href = "";\n}\n'
# Go (gopy20): go.mod's module path maps an import path onto a directory: the module's root
# package (no '/' in the target's path below go.mod) and a major version suffix ("/v2", whose
# package is named by the element before it); an import from another module whose last element
# names a directory here is that module's, not the directory's
FILES['gomod/go.mod'] = 'module example.com/app/v2 // the app\n\ngo 1.22\n'
FILES['gomod/app.go'] = (
    'package app\n\ntype App struct{}\n\nfunc New() *App { return &App{} }\n\n'
    'func (a *App) Run() {}\n')
FILES['gomod/assert/assert.go'] = 'package assert\n\nfunc Equal() {}\n'
FILES['gomod/mw/mw.go'] = (
    'package mw\n'                                          # 1
    '\n'                                                    # 2
    'import (\n'                                            # 3
    '\t"example.com/app/v2"\n'                              # 4
    '\t"example.com/app/v2/assert"\n'                       # 5
    ')\n'                                                   # 6
    '\n'                                                    # 7
    'func Use() {\n'                                        # 8
    '\ta := app.New()\n'                                    # 9 the root package's New
    '\ta.Run()\n'                                           # 10 its declared result's method
    '\tassert.Equal()\n'                                    # 11 the module's assert package
    '}\n')
# a parameter of a standard library's type (`next http.Handler`) is no type of the repository,
# whatever it names alike (an example program's `type Handler`); one of the module's own
# packages (`a *app.App`) still is
FILES['gomod/ex/main.go'] = (
    'package main\n\nimport "net/http"\n\ntype Handler func()\n\n'
    'func (h Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {}\n\nfunc main() {}\n')
FILES['gomod/mw/wrap.go'] = (
    'package mw\n'                                          # 1
    '\n'                                                    # 2
    'import (\n'                                            # 3
    '\t"net/http"\n'                                        # 4
    '\t"example.com/app/v2"\n'                              # 5
    ')\n'                                                   # 6
    '\n'                                                    # 7
    'func Wrap(next http.Handler, a *app.App) {\n'          # 8
    '\tnext.ServeHTTP(nil, nil)\n'                          # 9 the library's interface: none
    '\ta.Run()\n'                                           # 10 the module's App.Run
    '}\n'                                                   # 11
    'type mux struct {\n'                                   # 12
    '\th http.Handler\n'                                    # 13
    '}\n'                                                   # 14
    'func (m *mux) serve() {\n'                             # 15
    '\tm.h.ServeHTTP(nil, nil)\n'                           # 16 a member of the library's type
    '}\n')
# Go (cg23): a method called on a composite literal (`T{..}.m()`, `(&T{..}).m()`,
# `pkg.T{..}.m()`) is T's, as of a variable `x := T{..}`; a standard library's type
# (`http.Server{..}`) is none of the repository's, whatever it names alike
FILES['gomod/lit/cfg.go'] = (
    'package lit\n\ntype Config struct{ N int }\n\nfunc (c Config) Build() int { return c.N }\n\n'
    'type Err struct{ Code int }\n\nfunc (e *Err) Wrap() error { return nil }\n')
FILES['gomod/other/o.go'] = (
    'package other\n\ntype Plan struct{}\n\nfunc (p Plan) Build() int { return 0 }\n\n'
    'type Server struct{}\n\nfunc (s *Server) Close() {}\n\nfunc (p Plan) Wrap() error { return nil }\n')
FILES['gomod/lit/use.go'] = (
    'package lit\n'                                         # 1
    '\n'                                                    # 2
    'import (\n'                                            # 3
    '\t"net/http"\n'                                        # 4
    '\t"example.com/app/v2/other"\n'                        # 5
    ')\n'                                                   # 6
    '\n'                                                    # 7
    'func Use() {\n'                                        # 8
    '\tConfig{N: 1}.Build()\n'                              # 9 Config.Build
    '\t(&Err{Code: 2}).Wrap()\n'                            # 10 Err.Wrap
    '\tother.Plan{}.Build()\n'                               # 11 other's Plan.Build
    '\t(&http.Server{Addr: "}"}).Close()\n'                 # 12 the library's Server: none
    '\tConfig{N: 1}.Build().String()\n'                     # 13 a chain: not the literal\'s
    '}\n')
# Python (cg23): `from pkg import f` of a package whose __init__.py imports f from a submodule
# (flask's `from .helpers import url_for as url_for`) calls that submodule's f; a name the
# __init__ does not import gets none, whatever submodule defines it
FILES['pyre/pkg/__init__.py'] = 'from .helpers import url_for as url_for\nfrom .app import App\n'
FILES['pyre/pkg/helpers.py'] = 'def url_for(x):\n    return x\n\n\ndef other():\n    pass\n'
FILES['pyre/pkg/app.py'] = 'class App:\n    def url_for(self):\n        pass\n'
FILES['pyre/lib/url.py'] = 'def url_for(x):\n    return x\n'
FILES['pyre/ex/views.py'] = (
    'from pkg import url_for\n'                                 # 1
    'from pkg import other\n'                                   # 2
    '\n'                                                        # 3
    '\n'                                                        # 4
    'def index():\n'                                            # 5
    '    url_for("a")\n'                                        # 6 pkg/helpers.py's url_for
    '    other()\n')                                            # 7 not re-exported: none
# Python (cg25): a module-level variable of a class's type - `X: T = ..` (the annotation first,
# flask's `current_app: FlaskProxy = LocalProxy(..)`) or `X = T(..)` - types `X.m()` in its
# module and in a module importing X (directly, through the package's __init__, or `pkg.X`);
# a typing.Protocol's method is no candidate, a method the class does not have gets no guess,
# a library's class none, `from pkg import cli` of a submodule stays the module
FILES['pyvar/pkg/__init__.py'] = 'from .globals import current as current\nfrom .globals import g as g\n'
FILES['pyvar/pkg/app.py'] = (
    'class App:\n    def run(self):\n        pass\n\n    def ensure(self):\n        pass\n')
FILES['pyvar/pkg/ctx.py'] = 'class _Globals:\n    def pop(self):\n        pass\n'
FILES['pyvar/pkg/other.py'] = (
    'class Other:\n    def pop(self):\n        pass\n\n    def ensure(self):\n        pass\n\n'
    '    def missing(self):\n        pass\n\n    def get(self):\n        pass\n\n'
    '    def run(self):\n        pass\n')
FILES['pyvar/pkg/globals.py'] = (
    'import typing as t\n'                                      # 1
    'from proxylib import Proxy\n'                              # 2
    '\n'                                                        # 3
    'if t.TYPE_CHECKING:\n'                                     # 4
    '    from .app import App\n'                                # 5
    '    from .ctx import _Globals\n'                           # 6
    '\n'                                                        # 7
    '    class ProxyMixin(t.Protocol):\n'                       # 8
    '        def unwrap(self): ...\n'                           # 9
    '\n'                                                        # 10
    '    class AppProxy(ProxyMixin, App): ...\n'                # 11
    '\n'                                                        # 12
    'current: AppProxy = Proxy("app")\n'                        # 13
    'g: _Globals = Proxy("g")\n'                                # 14
    'plain = Proxy("x")\n')                                     # 15
FILES['pyvar/pkg/cli.py'] = (
    'from .app import App\n'                                    # 1
    '\n'                                                        # 2
    'cli = App()\n'                                             # 3
    'cli.ensure()\n'                                            # 4 App.ensure (module level)
    '\n'                                                        # 5
    '\n'                                                        # 6
    'def main():\n'                                             # 7
    '    cli.run()\n')                                          # 8 App.run
FILES['pyvar/use/views.py'] = (
    'from pkg.globals import current\n'                         # 1
    'from pkg import g\n'                                       # 2
    'import pkg\n'                                              # 3
    'from pkg import cli\n'                                     # 4
    'from pkg.globals import plain\n'                           # 5
    '\n'                                                        # 6
    '\n'                                                        # 7
    'def view():\n'                                             # 8
    '    current.ensure()\n'                                    # 9 App.ensure through AppProxy
    '    current.unwrap()\n'                                    # 10 a Protocol's stub: none
    '    g.pop()\n'                                             # 11 _Globals.pop
    '    pkg.g.pop()\n'                                         # 12 through pkg/__init__.py
    '    plain.get()\n'                                         # 13 a library's class: none
    '    cli.main()\n'                                          # 14 the module cli's main
    '    current.missing()\n'                                   # 15 App has none: no guess
    '    pkg.globals.current.run()\n')                          # 16 App.run
FILES['pyvar/use/local.py'] = (
    'from pkg.globals import current\n'                         # 1
    '\n'                                                        # 2
    '\n'                                                        # 3
    'def t():\n'                                                # 4
    '    def current():\n'                                      # 5
    '        pass\n'                                            # 6
    '    current.ensure()\n')                                   # 7 the local function's: none
# Python (cg25): a test's (or fixture's) parameter named like a pytest fixture of its file or
# of a conftest.py on its path is that fixture's value: its return annotation, or the class
# every return shows (`return T(..)`, `v = T(..); return v`); a library's class none; a
# function that is no fixture, or a conftest.py off the path, types nothing
FILES['pyfx/fxpkg/__init__.py'] = ''
FILES['pyfx/fxpkg/app.py'] = (
    'class FxApp:\n    def run(self):\n        pass\n\n    def ensure(self):\n        pass\n')
FILES['pyfx/fxpkg/other.py'] = (
    'class FxOther:\n    def run(self):\n        pass\n\n    def invoke(self):\n        pass\n')
FILES['pyfx/tests/conftest.py'] = (
    'import pytest\n'                                          # 1
    'from fxpkg.app import FxApp\n'                                # 2
    'from extlib import Runner\n'                              # 3
    '\n'                                                       # 4
    '\n'                                                       # 5
    '@pytest.fixture\n'                                        # 6
    'def app():\n'                                             # 7
    '    app = FxApp()\n'                                        # 8
    '    return app\n'                                         # 9
    '\n'                                                       # 10
    '\n'                                                       # 11
    '@pytest.fixture(scope="session")\n'                      # 12
    'def runner():\n'                                          # 13
    '    return Runner()\n'                                    # 14
    '\n'                                                       # 15
    '\n'                                                       # 16
    'def helper_obj():\n'                                      # 17 no fixture
    '    return FxApp()\n'                                       # 18
    '\n'                                                       # 19
    '\n'                                                       # 20
    '@pytest.fixture\n'                                        # 21
    'def ready(app):\n'                                        # 22
    '    app.ensure()\n'                                       # 23 App.ensure (a fixture's fixture)
    '    return app\n')                                        # 24
FILES['pyfx/tests/test_a.py'] = (
    'def test_one(app, runner, helper_obj):\n'                 # 1
    '    app.run()\n'                                          # 2 App.run
    '    runner.invoke()\n'                                    # 3 a library's Runner: none
    '    helper_obj.run()\n')                                  # 4 no fixture: no confident edge
FILES['pyfx/tests/sub/test_b.py'] = (
    'import pytest\n'                                          # 1
    'from fxpkg.other import FxOther\n'                            # 2
    '\n'                                                       # 3
    '\n'                                                       # 4
    '@pytest.fixture\n'                                        # 5
    'def app():\n'                                             # 6
    '    return FxOther()\n'                                     # 7
    '\n'                                                       # 8
    '\n'                                                       # 9
    'def test_two(app):\n'                                     # 10
    '    app.run()\n')                                         # 11 the file's own fixture: Other.run
FILES['pyfx/tests/test_d.py'] = (
    'import pytest\n'                                          # 1
    'from fxpkg.other import FxOther\n'                        # 2
    '\n'                                                       # 3
    '\n'                                                       # 4
    'class TestK:\n'                                           # 5
    '    @pytest.fixture\n'                                    # 6
    '    def app(self):\n'                                     # 7
    '        return FxOther()\n'                               # 8
    '\n'                                                       # 9
    '    def test_k(self, app):\n'                             # 10
    '        app.run()\n')                                     # 11 the class's fixture: FxOther.run
FILES['pyfx/elsewhere/test_c.py'] = (
    'def test_three(app):\n'                                   # 1
    '    app.run()\n')                                         # 2 no conftest on its path
# Python (cg26): a yield fixture annotated `-> Iterator[T]`, `t.Generator[T, None, None]` or
# `AsyncIterator[T]` is T to the tests that take it (its value shows no T(..)); a library's T
# none; a function that is no fixture types nothing
FILES['pyfy/ypkg/__init__.py'] = ''
FILES['pyfy/ypkg/app.py'] = (
    'class YApp:\n    def run(self):\n        pass\n\n\n'
    'class YClient:\n    def send(self):\n        pass\n')
FILES['pyfy/tests/conftest.py'] = (
    'import typing as t\n'                                    # 1
    'from collections.abc import AsyncIterator\n'             # 2
    'from typing import Iterator\n'                           # 3
    '\n'                                                      # 4
    'import pytest\n'                                         # 5
    'from extlib import Runner\n'                             # 6
    'from ypkg.app import YApp, YClient\n'                    # 7
    '\n'                                                      # 8
    '\n'                                                      # 9
    '@pytest.fixture\n'                                       # 10
    'def app() -> Iterator[YApp]:\n'                          # 11
    '    yield build_app()\n'                                 # 12
    '\n'                                                      # 13
    '\n'                                                      # 14
    '@pytest.fixture(scope="session")\n'                     # 15
    'def client() -> t.Generator[YClient, None, None]:\n'     # 16
    '    c = make_client()\n'                                 # 17
    '    yield c\n'                                           # 18
    '\n'                                                      # 19
    '\n'                                                      # 20
    '@pytest.fixture\n'                                       # 21
    'async def aclient() -> AsyncIterator[YClient]:\n'        # 22
    '    yield make_client()\n'                               # 23
    '\n'                                                      # 24
    '\n'                                                      # 25
    '@pytest.fixture\n'                                       # 26
    'def runner() -> Iterator[Runner]:\n'                     # 27
    '    yield make_runner()\n'                               # 28
    '\n'                                                      # 29
    '\n'                                                      # 30
    'def plain() -> Iterator[YApp]:\n'                        # 31 no fixture
    '    yield build_app()\n')                                # 32
FILES['pyfy/tests/test_y.py'] = (
    'def test_one(app, client, aclient, runner, plain):\n'    # 1
    '    app.run()\n'                                         # 2 YApp.run
    '    client.send()\n'                                     # 3 YClient.send
    '    aclient.send()\n'                                    # 4 YClient.send
    '    runner.invoke()\n'                                   # 5 a library's Runner: none
    '    plain.run()\n')                                      # 6 no fixture: no confident edge
# a base's __init__ reached from two classes named alike (`class K(Base)` in two tests) is one
# candidate, not two halves (cg23)
FILES['py/ctor/dup.py'] = (
    'from .base import Base\n'                               # 1
    '\n'                                                    # 2
    '\n'                                                    # 3
    'def t1():\n'                                           # 4
    '    class K(Base):\n'                                  # 5
    '        pass\n'                                        # 6
    '    return K(1)\n'                                     # 7 Base.__init__, 0.9
    '\n'                                                    # 8
    '\n'                                                    # 9
    'def t2():\n'                                           # 10
    '    class K(Base):\n'                                  # 11
    '        pass\n'                                        # 12
    '    return K(2)\n')                                    # 13
# Go (cg24): a package-level variable's type (`var X = &T{..}`, `T{..}` over lines, `NewT(..)`
# of a declared result type, `var X T`, in a `var (..)` block too) types `X.m()` in its package
# and `pkg.X.m()` in an importer (a composite literal's type before a written interface type);
# a standard library's type is none of the repository's; a parameter named like the variable is
# the parameter
FILES['gomod/gv/vars.go'] = (
    'package gv\n'                                          # 1
    '\n'                                                    # 2
    'import "sync"\n'                                       # 3
    '\n'                                                    # 4
    'type GErr struct{ Code int }\n'                        # 5
    '\n'                                                    # 6
    'func (e *GErr) Wrap() error { return nil }\n'          # 7
    '\n'                                                    # 8
    'type GPool struct{}\n'                                 # 9
    '\n'                                                    # 10
    'func (p *GPool) Get() int { return 0 }\n'              # 11
    '\n'                                                    # 12
    'func NewGPool() *GPool { return &GPool{} }\n'          # 13
    '\n'                                                    # 14
    'type GConf struct{ N int }\n'                          # 15
    '\n'                                                    # 16
    'func (c GConf) Build() int { return c.N }\n'           # 17
    '\n'                                                    # 18
    'var ErrBad = &GErr{Code: 400} // "}"\n'                # 19
    '\n'                                                    # 20
    'var (\n'                                               # 21
    '\tErrGone = &GErr{Code: 410}\n'                       # 22
    '\tDefPool = NewGPool()\n'                             # 23
    '\tPlain   GPool\n'                                    # 24
    '\tstdPool = sync.Pool{New: nil}\n'                    # 25
    '\tConf    = GConf{\n'                                  # 26
    '\t\tN: 1,\n'                                           # 27
    '\t}\n'                                                 # 28
    ')\n'                                                   # 29
    '\n'                                                    # 30
    'type GWrapper interface{ Wrap() error }\n'             # 31
    '\n'                                                    # 32
    'var Iface GWrapper = &GErr{Code: 1}\n')                # 33
FILES['gomod/gv/use.go'] = (
    'package gv\n'                                          # 1
    '\n'                                                    # 2
    'func Use() {\n'                                        # 3
    '\tErrBad.Wrap()\n'                                    # 4 GErr.Wrap
    '\tErrGone.Wrap()\n'                                   # 5 GErr.Wrap (a var block)
    '\tDefPool.Get()\n'                                    # 6 NewGPool's result: GPool.Get
    '\tPlain.Get()\n'                                      # 7 `var Plain GPool`
    '\tstdPool.Get()\n'                                    # 8 sync.Pool's: none
    '\tConf.Build()\n'                                     # 9 GConf.Build
    '\tIface.Wrap()\n'                                     # 10 the literal's GErr.Wrap
    '}\n'                                                   # 11
    '\n'                                                    # 12
    'func Param(ErrBad *GPool) {\n'                         # 13
    '\tErrBad.Get()\n'                                     # 14 the parameter: GPool.Get
    '}\n')
FILES['gomod/gvuse/use.go'] = (
    'package gvuse\n'                                       # 1
    '\n'                                                    # 2
    'import "example.com/app/v2/gv"\n'                      # 3
    '\n'                                                    # 4
    'func Use() {\n'                                        # 5
    '\tgv.ErrBad.Wrap()\n'                                 # 6 gv's GErr.Wrap
    '\tgv.DefPool.Get()\n'                                 # 7 gv's GPool.Get
    '}\n')
# Go: an interface or struct embedding a standard library type (`http.Handler` in chi's Router)
# has that type as a base, never a repository type of the same simple name (an example
# program's `type Handler func(..)`): a Router's ServeHTTP got that example's method at 0.9
FILES['gomod/emb/ex/main.go'] = (
    'package main\n'                                        # 1
    '\n'                                                    # 2
    'type Reader func(p []byte) int\n'                      # 3
    '\n'                                                    # 4
    'func (f Reader) Read(p []byte) (int, error) { return f(p), nil }\n'  # 5
    '\n'                                                    # 6
    'func main() {}\n')                                     # 7
FILES['gomod/emb/r.go'] = (
    'package emb\n'                                         # 1
    '\n'                                                    # 2
    'import "io"\n'                                         # 3
    '\n'                                                    # 4
    'type Source interface {\n'                             # 5
    '\tio.Reader\n'                                         # 6
    '\tName() string\n'                                     # 7
    '}\n'                                                   # 8
    '\n'                                                    # 9
    'type Wrap struct {\n'                                  # 10
    '\tio.Reader\n'                                         # 11
    '}\n'                                                   # 12
    '\n'                                                    # 13
    'func Run(s Source, w *Wrap) {\n'                       # 14
    '\ts.Read(nil)\n'                                       # 15 io.Reader's: no confident edge
    '\tw.Read(nil)\n'                                       # 16 the same through a struct
    '}\n')
# Go (resolver 32): a value of a standard library interface type (`w http.ResponseWriter`) may be
# one of the repository's wrappers of it: a struct embedding that type (directly or through
# another such struct) that defines the method, in the caller's package or one a file of the
# caller's package imports (chi's middleware.Logger hands handlers a wrapper); weak, since the
# library's own value is as likely. Not a type that defines the name without embedding the
# interface, not in a package that cannot see the wrapper, not a library struct's method (`r
# *http.Request`)
FILES['gomod/wr/wrap.go'] = (
    'package wr\n'                                                   # 1
    '\n'                                                             # 2
    'import "net/http"\n'                                            # 3
    '\n'                                                             # 4
    'type basicWriter struct {\n'                                    # 5
    '\thttp.ResponseWriter\n'                                        # 6
    '\tn int\n'                                                      # 7
    '}\n'                                                            # 8
    '\n'                                                             # 9
    'func (b *basicWriter) Write(p []byte) (int, error) {\n'         # 10
    '\tb.n += len(p)\n'                                              # 11
    '\treturn b.ResponseWriter.Write(p)\n'                           # 12
    '}\n'                                                            # 13
    '\n'                                                             # 14
    '\n'                                                             # 15
    'type fancyWriter struct {\n'                                    # 16
    '\tbasicWriter\n'                                                # 17
    '}\n'                                                            # 18
    '\n'                                                             # 19
    'func (f *fancyWriter) Flush() {}\n'                             # 20
    '\n'                                                             # 21
    'type logEntry struct{ buf []byte }\n'                           # 22
    '\n'                                                             # 23
    'func (e *logEntry) Write(p []byte) (int, error) { return 0, nil }\n'  # 24 no wrapper
    '\n'                                                             # 25
    'func Logger(next http.Handler) http.Handler {\n'                # 26
    '\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n'  # 27
    '\t\tnext.ServeHTTP(&fancyWriter{basicWriter{w, 0}}, r)\n'        # 28
    '\t})\n'                                                         # 29
    '}\n'                                                            # 30
    '\n'                                                             # 31
    'func Heartbeat(w http.ResponseWriter) {\n'                      # 32
    '\tw.Write(nil)\n'                                               # 33 same package: weak
    '}\n')
FILES['gomod/wrex/main.go'] = (
    'package main\n'                                                 # 1
    '\n'                                                             # 2
    'import (\n'                                                     # 3
    '\t"net/http"\n'                                                 # 4
    '\n'                                                             # 5
    '\t"example.com/app/v2/wr"\n'                                    # 6
    ')\n'                                                            # 7
    '\n'                                                             # 8
    'func main() {\n'                                                # 9
    '\thttp.ListenAndServe(":1", wr.Logger(http.HandlerFunc(hello)))\n'  # 10
    '}\n')
FILES['gomod/wrex/hello.go'] = (
    'package main\n'                                                 # 1
    '\n'                                                             # 2
    'import "net/http"\n'                                            # 3
    '\n'                                                             # 4
    'func hello(w http.ResponseWriter, r *http.Request) {\n'         # 5
    '\tw.Write(nil)\n'                                               # 6 main.go imports wr: weak
    '\tr.ParseForm()\n'                                              # 7 a library struct: none
    '}\n')
# a struct embedding a library *struct* (`*httptest.ResponseRecorder`) wraps no interface: a value
# declared as that pointer is the library's; a _test.go file's wrapper is seen by its own
# package's tests only
FILES['gomod/wr/rec.go'] = (
    'package wr\n'                                                   # 1
    '\n'                                                             # 2
    'import (\n'                                                     # 3
    '\t"net/http"\n'                                                 # 4
    '\t"net/http/httptest"\n'                                        # 5
    ')\n'                                                            # 6
    '\n'                                                             # 7
    'type errorWriter struct {\n'                                    # 8
    '\t*httptest.ResponseRecorder\n'                                 # 9
    '}\n'                                                            # 10
    '\n'                                                             # 11
    'func (e *errorWriter) Header() http.Header { return nil }\n'    # 12
    '\n'                                                             # 13
    'func Perform() *httptest.ResponseRecorder { return nil }\n'     # 14
    '\n'                                                             # 15
    'func Check() {\n'                                               # 16
    '\tw := Perform()\n'                                             # 17
    '\tw.Header()\n'                                                 # 18 the library's: none
    '}\n')
FILES['gomod/wr/t_test.go'] = (
    'package wr\n'                                                   # 1
    '\n'                                                             # 2
    'import "net/http"\n'                                            # 3
    '\n'                                                             # 4
    'type flushWriter struct {\n'                                    # 5
    '\thttp.Flusher\n'                                               # 6
    '}\n'                                                            # 7
    '\n'                                                             # 8
    'func (f flushWriter) Flush() {}\n')                             # 9
FILES['gomod/wrex/flush.go'] = (
    'package main\n'                                                 # 1
    '\n'                                                             # 2
    'import "net/http"\n'                                            # 3
    '\n'                                                             # 4
    'func flush(f http.Flusher) {\n'                                 # 5
    '\tf.Flush()\n'                                                  # 6 wr's test file: none
    '}\n')
FILES['gomod/wrin/h.go'] = (
    'package wrin\n'                                                 # 1
    '\n'                                                             # 2
    'import "net/http"\n'                                            # 3
    '\n'                                                             # 4
    'func Hello(w http.ResponseWriter) {\n'                          # 5
    '\tw.Write(nil)\n'                                               # 6 cannot see wr: none
    '}\n'                                                            # 7
    '\n'                                                             # 8
    'type form struct{}\n'                                           # 9
    '\n'                                                             # 10
    'func (f *form) ParseForm() error { return nil }\n')             # 11
# Go (resolver 33): `g := e.Group(..)`, a method called on a variable, gives the method's
# declared result (echo's *Group, gin's *RouterGroup, cobra's `cmd, _, err := c.Find(..)`), a
# library's type none of the repository's; not when something follows the call (a type
# assertion `e.Lookup().(http.Flusher)` is no Echo); a type assertion gives its type (a
# library's struct pointer `.(*bytes.Buffer)` none of the repository's; a library's interface
# `.(http.Flusher)` may be the repository's type: unknown)
FILES['gomod/grp/grp.go'] = (
    'package grp\n'                                                  # 1
    '\n'                                                             # 2
    'import ("bytes"; "net/http"; "sync")\n'                         # 3
    '\n'                                                             # 4
    'type Echo struct{}\n'                                           # 5
    '\n'                                                             # 6
    'type Group struct{}\n'                                          # 7
    '\n'                                                             # 8
    'type nopWriter struct{}\n'                                      # 9
    '\n'                                                             # 10
    'func New() *Echo { return &Echo{} }\n'                          # 11
    '\n'                                                             # 12
    'func (e *Echo) Group(prefix string) *Group { return &Group{} }\n'  # 13
    '\n'                                                             # 14
    'func (e *Echo) GET(p string) {}\n'                              # 15
    '\n'                                                             # 16
    'func (g *Group) GET(p string) {}\n'                             # 17
    '\n'                                                             # 18
    'func (e *Echo) Writer() http.ResponseWriter { return nil }\n'   # 19
    '\n'                                                             # 20
    'func (e *Echo) Lookup() *Echo { return e }\n'                   # 21
    '\n'                                                             # 22
    'func (n nopWriter) Header() http.Header { return nil }\n'       # 23
    '\n'                                                             # 24
    'func Use() {\n'                                                 # 25
    '\te := New()\n'                                                 # 26
    '\tg := e.Group("/x")\n'                                         # 27
    '\tg.GET("/")\n'                                                 # 28 Group.GET
    '\tw := e.Writer()\n'                                            # 29
    '\tw.Header()\n'                                                 # 30 the library's: none
    '\tg2, ok := e.Lookup().(http.Flusher)\n'                        # 31
    '\tg2.GET("/")\n'                                                # 32 not Echo's
    '\t_ = ok\n'                                                     # 33
    '}\n'                                                            # 34
    '\n'                                                             # 35
    'func (g *Group) Reset() {}\n'                                   # 36
    '\n'                                                             # 37
    'func Pooled(p *sync.Pool) {\n'                                  # 38
    '\tg := p.Get().(*Group)\n'                                      # 39
    '\tg.GET("/")\n'                                                 # 40 Group.GET
    '\tb := p.Get().(*bytes.Buffer)\n'                               # 41
    '\tb.Reset()\n'                                                  # 42 the library's: none
    '}\n')
# Go (resolver 35): the value of `for _, r := range xs` over a slice, array, variadic or map
# variable, or over a field of the receiver's struct (cobra's `range c.commands`), has the
# element type; the one-name form binds an index or key, no element; resolver 40: over a call
# (`range cmd.Commands()`), the element of its declared result (`[]*Command`)
FILES['gomod/rng/rng.go'] = (
    'package rng\n'                                                  # 1
    '\n'                                                             # 2
    'type Route struct{}\n'                                          # 3
    '\n'                                                             # 4
    'func (r *Route) Match() bool { return true }\n'                 # 5
    '\n'                                                             # 6
    'type Other struct{}\n'                                          # 7
    '\n'                                                             # 8
    'func (o *Other) Match() bool { return false }\n'                # 9
    '\n'                                                             # 10
    'type Router struct {\n'                                         # 11
    '\troutes []*Route\n'                                            # 12
    '\tnames  map[string]Other\n'                                    # 13
    '}\n'                                                            # 14
    '\n'                                                             # 15
    'func (rt *Router) Find(extra []Route, m map[string]*Route, more ...*Route) {\n'  # 16
    '\tfor _, r := range rt.routes {\n'                               # 17
    '\t\tr.Match()\n'                                                 # 18 Route.Match
    '\t}\n'                                                          # 19
    '\tfor _, e := range extra {\n'                                   # 20
    '\t\te.Match()\n'                                                 # 21 Route.Match
    '\t}\n'                                                          # 22
    '\tfor k, v := range m {\n'                                       # 23
    '\t\tv.Match()\n'                                                 # 24 Route.Match
    '\t\t_ = k\n'                                                     # 25
    '\t}\n'                                                          # 26
    '\tfor _, o := range rt.names {\n'                                # 27
    '\t\to.Match()\n'                                                 # 28 Other.Match
    '\t}\n'                                                          # 29
    '\tfor _, x := range more {\n'                                    # 30
    '\t\tx.Match()\n'                                                 # 31 Route.Match
    '\t}\n'                                                          # 32
    '\tfor i := range extra {\n'                                      # 33
    '\t\ti.Match()\n'                                                 # 34 an index: no type
    '\t}\n'                                                          # 35
    '\tfor _, c := range rt.All() {\n'                                # 36
    '\t\tc.Match()\n'                                                 # 37 Route.Match (resolver 40)
    '\t}\n'                                                          # 38
    '}\n'                                                            # 39
    '\n'                                                             # 40
    'func (rt *Router) All() []*Route { return rt.routes }\n')       # 41
# Go (resolver 36): a parameter declared as a library interface (`handler http.Handler`) holds
# what the repository's calls of its function pass there (chi's `r.Mount("/api", sub)`, sub a
# *Mux): those types' methods, weak; not a type only another function's callers pass, not
# when no call passes a typed variable
FILES['gomod/pf/mux.go'] = (
    'package pf\n'                                                   # 1
    '\n'                                                             # 2
    'import "net/http"\n'                                            # 3
    '\n'                                                             # 4
    'type Mux struct{}\n'                                            # 5
    '\n'                                                             # 6
    'func NewRouter() *Mux { return &Mux{} }\n'                      # 7
    '\n'                                                             # 8
    'func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {}\n'  # 9
    '\n'                                                             # 10
    'type Static struct{}\n'                                         # 11
    '\n'                                                             # 12
    'func (s Static) ServeHTTP(w http.ResponseWriter, r *http.Request) {}\n'  # 13
    '\n'                                                             # 14
    'func (m *Mux) Mount(pattern string, handler http.Handler) {\n'  # 15
    '\thandler.ServeHTTP(nil, nil)\n'                                # 16 Mux's (the callers')
    '}\n'                                                            # 17
    '\n'                                                             # 18
    'func Serve(h http.Handler) {\n'                                 # 19
    '\th.ServeHTTP(nil, nil)\n'                                      # 20 Static's
    '}\n'                                                            # 21
    '\n'                                                             # 22
    'func Lone(h http.Handler) {\n'                                  # 23
    '\th.ServeHTTP(nil, nil)\n'                                      # 24 no caller: none
    '}\n')
FILES['gomod/pf/use.go'] = (
    'package pf\n'                                                   # 1
    '\n'                                                             # 2
    'func Setup() {\n'                                               # 3
    '\tr := NewRouter()\n'                                           # 4
    '\tsub := NewRouter()\n'                                         # 5
    '\tr.Mount("/api", sub)\n'                                       # 6
    '\tst := Static{}\n'                                             # 7
    '\tServe(st)\n'                                                  # 8
    '}\n')
# Go (resolver 37): `var v T` with no value (no assignment for the analysis) has type T; a
# standard library's type (`var wg sync.WaitGroup`) none of the repository's
FILES['gomod/vd/vd.go'] = (
    'package vd\n'                                                   # 1
    '\n'                                                             # 2
    'import "sync"\n'                                                # 3
    '\n'                                                             # 4
    'type Pool struct{}\n'                                           # 5
    '\n'                                                             # 6
    'func (p *Pool) Add(n int) {}\n'                                 # 7
    '\n'                                                             # 8
    'type Group struct{}\n'                                          # 9
    '\n'                                                             # 10
    'func (g *Group) Add(n int) {}\n'                                # 11
    '\n'                                                             # 12
    'func Run() {\n'                                                 # 13
    '\tvar p *Pool\n'                                                # 14
    '\tp.Add(1)\n'                                                   # 15 Pool.Add
    '\tvar wg sync.WaitGroup\n'                                      # 16
    '\twg.Add(1)\n'                                                  # 17 the library's: none
    '}\n')
# Python (resolver 38): a function without a return annotation whose every `return` shows one
# class (`return RetApp()`, or a local assigned `RetApp()`) returns that class, as a fixture's
# value does; not a generator (`yield RetApp()`), not returns that disagree
FILES['py/ret/app.py'] = (
    'class RetApp:\n'                                                   # 1
    '    def run(self):\n'                                           # 2
    '        pass\n'                                                 # 3
    '\n'                                                             # 4
    '\n'                                                             # 5
    'class RetOther:\n'                                                 # 6
    '    def run(self):\n'                                           # 7
    '        pass\n'                                                 # 8
    '\n'                                                             # 9
    '\n'                                                             # 10
    'def make_retapp():\n'                                              # 11
    '    app = RetApp()\n'                                              # 12
    '    return app\n'                                               # 13
    '\n'                                                             # 14
    '\n'                                                             # 15
    'def make_retgen():\n'                                              # 16
    '    yield RetApp()\n'                                              # 17
    '\n'                                                             # 18
    '\n'                                                             # 19
    'def make_reteither(flag):\n'                                       # 20
    '    if flag:\n'                                                 # 21
    '        return RetApp()\n'                                         # 22
    '    return RetOther()\n'                                           # 23
    '\n'                                                             # 24
    '\n'                                                             # 25
    'def main():\n'                                                  # 26
    '    make_retapp().run()\n'                                         # 27 RetApp.run
    '    a = make_retapp()\n'                                           # 28
    '    a.run()\n'                                                  # 29 RetApp.run
    '    g = make_retgen()\n'                                           # 30
    '    g.run()\n'                                                  # 31 a generator: no RetApp
    '    e = make_reteither(1)\n'                                       # 32
    '    e.run()\n')                                                 # 33 two classes: none sure
# Python (resolver 39): `b = make_app()` of the file's own make_app has its returned class,
# however many other modules define a make_app (pyli's do)
FILES['py/ret/own.py'] = (
    'class OwnApp:\n'                                                # 1
    '    def start(self):\n'                                         # 2
    '        pass\n'                                                 # 3
    '\n'                                                             # 4
    '\n'                                                             # 5
    'def make_app():\n'                                              # 6
    '    return OwnApp()\n'                                          # 7
    '\n'                                                             # 8
    '\n'                                                             # 9
    'def main():\n'                                                  # 10
    '    b = make_app()\n'                                           # 11
    '    b.start()\n')                                               # 12 OwnApp.start
# Go: `x := pkg.NewFoo(..)` has NewFoo's declared result type, not a type named Foo (chi's
# `r := chi.NewRouter()` is a *Mux; the name said Router, an interface); a standard library's
# constructor gives the library's type, never a repository type of the constructor's name
FILES['gomod/rt/rt.go'] = (
    'package rt\n'                                          # 1
    '\n'                                                    # 2
    'type Router interface{ Use() }\n'                      # 3
    '\n'                                                    # 4
    'type Mux struct{}\n'                                   # 5
    '\n'                                                    # 6
    'func NewRouter() *Mux { return &Mux{} }\n'             # 7
    '\n'                                                    # 8
    'func (m *Mux) Use() {}\n'                              # 9
    '\n'                                                    # 10
    'type Decoder struct{}\n'                               # 11
    '\n'                                                    # 12
    'func (d *Decoder) Decode(v any) error { return nil }\n')  # 13
FILES['gomod/rtuse/u.go'] = (
    'package rtuse\n'                                       # 1
    '\n'                                                    # 2
    'import (\n'                                            # 3
    '\t"encoding/xml"\n'                                    # 4
    '\n'                                                    # 5
    '\t"example.com/app/v2/rt"\n'                           # 6
    ')\n'                                                   # 7
    '\n'                                                    # 8
    'func U() {\n'                                          # 9
    '\tr := rt.NewRouter()\n'                               # 10
    '\tr.Use()\n'                                           # 11 NewRouter's *Mux: Mux.Use
    '\td := xml.NewDecoder(nil)\n'                          # 12
    '\td.Decode(nil)\n'                                     # 13 xml's Decoder: no confident edge
    '}\n')
# Python: a base imported under another name (`from .sansio.blueprints import Blueprint as
# SansioBlueprint`, `class Blueprint(SansioBlueprint)`: flask) is that class; super().__init__ is
# its __init__ (not the grandparent's, not the caller's own), and the base's own super() call
# still reaches its base
FILES['pyal/pkg/__init__.py'] = ''
FILES['pyal/pkg/sansio/__init__.py'] = ''
FILES['pyal/pkg/sansio/scaffold.py'] = (
    'class Scaffold:\n'                                     # 1
    '    def __init__(self, name):\n'                       # 2
    '        self.name = name\n')                           # 3
FILES['pyal/pkg/sansio/blueprints.py'] = (
    'from .scaffold import Scaffold\n'                      # 1
    '\n'                                                    # 2
    '\n'                                                    # 3
    'class Blueprint(Scaffold):\n'                          # 4
    '    def __init__(self, name, x):\n'                    # 5
    '        super().__init__(name)\n')                     # 6 Scaffold.__init__
FILES['pyal/pkg/blueprints.py'] = (
    'from .sansio.blueprints import Blueprint as SansioBlueprint\n'  # 1
    '\n'                                                    # 2
    '\n'                                                    # 3
    'class Blueprint(SansioBlueprint):\n'                   # 4
    '    def __init__(self, name, x, y):\n'                 # 5
    '        super().__init__(name, x)\n'                   # 6 sansio's Blueprint.__init__
    '        self.y = y\n')                                 # 7
# Python: an import inside a function binds the name there only (werkzeug's
# examples/manage-cupoftee.py: `def make_app(): from cupoftee import make_app; return
# make_app(..)`, and `app = make_app()` in another function is the file's own make_app)
FILES['pyli/__init__.py'] = ''
FILES['pyli/other.py'] = 'def make_app(x):\n    return x\n'
FILES['pyli/m.py'] = (
    'def make_app():\n'                                     # 1
    '    from .other import make_app\n'                     # 2
    '    return make_app(1)\n'                              # 3 other.py's
    '\n'                                                    # 4
    '\n'                                                    # 5
    'def run():\n'                                          # 6
    '    return make_app()\n')                              # 7 this file's
FILES['gomod/mw/mw_test.go'] = (
    'package mw\n'                                          # 1
    '\n'                                                    # 2
    'import (\n'                                            # 3
    '\t"testing"\n'                                         # 4
    '\t"github.com/stretchr/testify/assert"\n'              # 5
    ')\n'                                                   # 6
    '\n'                                                    # 7
    'func TestUse(t *testing.T) {\n'                        # 8
    '\tassert.Equal()\n'                                    # 9 another module's: none
    '}\n')
# Python (gopy20): a class without an __init__ of its own is constructed by its base's (one the
# file sees; none past a library's base); `v(..)` of a variable whose type shows calls its
# class's __call__ (none for a typing.Protocol's signature)
FILES['py/ctor/__init__.py'] = ''
FILES['py/ctor/base.py'] = (
    'class Base:\n    def __init__(self, x):\n        self.x = x\n\n'
    '    def __call__(self, v):\n        return v\n')
FILES['py/ctor/client.py'] = 'class Client:\n    def __init__(self):\n        self.n = 0\n'
FILES['py/ctor/proto.py'] = (
    'from typing import Protocol\n\n\nclass Factory(Protocol):\n'
    '    def __call__(self, v): ...\n')
# a factory Protocol (`-> Child`): the class's constructor (here its base's), weak
FILES['py/ctor/fact.py'] = (
    'from typing import Protocol\n'                       # 1
    'from .use import Child\n'                            # 2
    'class MakeChild(Protocol):\n'                        # 3
    '    def __call__(self, x: int) -> Child: ...\n'      # 4
    'def build(make: MakeChild):\n'                       # 5
    '    return make(1)\n')                               # 6
FILES['py/ctor/use.py'] = (
    'import httpx\n'                                      # 1
    'from .base import Base\n'                            # 2
    'from .proto import Factory\n'                        # 3
    'class Child(Base):\n'                                # 4
    '    media = "text"\n'                                # 5
    'class Ext(httpx.Client):\n'                          # 6
    '    media = "json"\n'                                # 7
    'def use(f: Factory):\n'                              # 8
    '    c = Child(1)\n'                                  # 9 the base's __init__
    '    c(2)\n'                                          # 10 the base's __call__
    '    e = Ext()\n'                                     # 11 a library base's: none
    '    f(3)\n'                                          # 12 a Protocol's: none
    '    b = Base(1)\n'                                   # 13
    '    b(2)\n'                                          # 14 Base.__call__
    '    return e\n')
# cg29: Rust enum variant values as receivers (`ExitCode::KilledBySigint.exit()`,
# `Error::Io(err).with_path(..)`: the enum's methods), parameters typed `&Self`, and std
# variants (`Ordering::Less.reverse()`, `Cow::Borrowed(..)`) that are no repository type
FILES['rs/src/exitc.rs'] = (
    'pub enum ExitCode {\n'                                             # 1
    '    Success,\n'                                                    # 2
    '    KilledBySigint,\n'                                             # 3
    '}\n'                                                               # 4
    'impl ExitCode {\n'                                                 # 5
    '    pub fn exit(self) -> u32 { 1 }\n'                              # 6
    '    pub fn code(&self) -> u32 { 1 }\n'                             # 7
    '    fn same(&self, other: &Self) -> bool {\n'                      # 8
    '        other.code() == 1\n'                                       # 9 &Self
    '    }\n'                                                           # 10
    '    fn again(&self) -> u32 {\n'                                    # 11
    '        Self::Success.code()\n'                                    # 12 Self::Variant
    '    }\n'                                                           # 13
    '}\n'                                                               # 14
    'pub enum Error {\n'                                                # 15
    '    Io(u32),\n'                                                    # 16
    '}\n'                                                               # 17
    'impl Error {\n'                                                    # 18
    '    pub fn with_path(self, p: u32) -> u32 { p }\n'                 # 19
    '}\n'                                                               # 20
    'pub fn run() -> u32 {\n'                                           # 21
    '    ExitCode::KilledBySigint.exit();\n'                            # 22
    '    std::cmp::Ordering::Less.reverse();\n'                         # 23 std: none
    '    Cow::Borrowed("x").into_owned();\n'                            # 24 std: none
    '    Error::Io(1).with_path(2)\n'                                   # 25
    '}\n'                                                               # 26
    'pub enum Walk { Loop { n: u32 } }\n'                               # 27
    'impl Walk { pub fn with_depth(self, d: u32) -> u32 { d } }\n'      # 28
    'pub fn lp() -> u32 {\n'                                            # 29
    '    Walk::Loop { n: 1 }.with_depth(2)\n'                           # 30 a struct variant
    '}\n')
FILES['rs/src/exitc2.rs'] = (
    'pub struct Other;\n'                                               # 1
    'impl Other {\n'                                                    # 2
    '    pub fn exit(self) -> u32 { 2 }\n'                              # 3
    '    pub fn with_path(self, p: u32) -> u32 { p }\n'                 # 4
    '    pub fn code(&self) -> u32 { 2 }\n'                             # 5
    '    pub fn reverse(&self) -> u32 { 2 }\n'                          # 6
    '    pub fn into_owned(&self) -> u32 { 2 }\n'                       # 7
    '    pub fn with_depth(&self, d: u32) -> u32 { d }\n'               # 8
    '}\n')
# resolver 44: a Rust path into the standard library (`std::env::current_dir()`,
# `std::io::stdout()`) and a value made by one (`std::env::var_os(..).map(..)`) guess no method
# of the repository's that happens to share the name; a variable named std is `std.`, its own
FILES['rs/src/stdp.rs'] = (
    'pub struct Builder;\n'                                              # 1
    'impl Builder {\n'                                                   # 2
    '    pub fn current_dir(&self) -> u32 { 1 }\n'                       # 3
    '    pub fn stdout(&self) -> u32 { 1 }\n'                            # 4
    '    pub fn map(&self) -> u32 { 1 }\n'                               # 5
    '    pub fn separator_field(&self) -> u32 { 1 }\n'                   # 6
    '}\n'                                                                # 7
    'pub fn run() {\n'                                                   # 8
    '    let dir = std::env::current_dir();\n'                           # 9
    '    let out = std::io::stdout();\n'                                 # 10
    '    let v = std::env::var_os("HOME").map(|x| x);\n'                 # 11
    '    let std = Builder;\n'                                           # 12
    '    std.separator_field();\n'                                       # 13
    '}\n')
# resolver 50: a Rust conversion through a trait impl (`impl From<X> for T`) is reached by
# `T::from(arg)` when arg's type is X (a parameter, `self` in `impl X`, `X::Variant`), confidently,
# and not when arg's type is another (a string literal, a u8 parameter); `impl .. for i32` /
# `for str` make classes that a `&str` value's std methods do not guess into
FILES['rs/src/conv.rs'] = (
    'pub enum CvE { A, B }\n'                                              # 1
    'pub struct CvCode(i32);\n'                                            # 2
    'impl From<CvE> for String {\n'                                        # 3
    '    fn from(e: CvE) -> String { String::new() }\n'                    # 4
    '}\n'                                                                  # 5
    'impl From<CvCode> for i32 {\n'                                        # 6
    '    fn from(c: CvCode) -> i32 { c.0 }\n'                              # 7
    '}\n'                                                                  # 8
    'impl CvCode {\n'                                                      # 9
    '    pub fn exit(self) -> i32 { i32::from(self) }\n'                   # 10
    '}\n'                                                                  # 11
    'pub fn cv_use(e: CvE, n: u8) {\n'                                     # 12
    '    let a = String::from("abc");\n'                                   # 13
    '    let b = String::from(e);\n'                                       # 14
    '    let c = String::from(CvE::A);\n'                                  # 15
    '    let d = i32::from(n);\n'                                          # 16
    '    let r = cv_name().cv_replace(1);\n'                               # 17
    '}\n'                                                                  # 18
    'impl std::ops::Index<CvCode> for str {\n'                             # 19
    '    type Output = str;\n'                                             # 20
    '    fn index(&self, c: CvCode) -> &str { self }\n'                    # 21
    '}\n'                                                                  # 22
    'pub struct CvSink;\n'                                                 # 23
    'impl CvSink { pub fn cv_replace(&self, n: u32) {} }\n'                # 24
    'fn cv_name() -> &\'static str { "x" }\n'                              # 25
    'pub struct CvRec;\n'                                                  # 26
    'impl<T> std::iter::FromIterator<T> for CvRec {\n'                     # 27
    '    fn from_iter<I: IntoIterator<Item = T>>(i: I) -> CvRec { CvRec }\n'  # 28
    '}\n'                                                                  # 29
    'pub fn cv_rec(v: Vec<u8>) -> CvRec { CvRec::from_iter(v) }\n')        # 30
# cg29: Rust inline modules: `convert::f()` of `mod convert { .. }` in the same file, `super::f()`
# from inside one (the file's own f, not the inline module's f of that name), `super::f()` of a
# file module (its parent module's private f, no base class's)
FILES['rs/src/inl.rs'] = (
    'mod convert {\n'                                                   # 1
    '    pub fn usize(s: u32) -> u32 { let c = \'{\'; s }\n'            # 2
    '    pub fn name<\'a>(s: &\'a str) -> &\'a str { "mod x { }"; s }\n'  # 3
    '}\n'                                                               # 4
    'fn helper() -> u32 { 1 }\n'                                        # 5
    'fn check(b: u32) -> bool { b == 0 }\n'                             # 6
    'mod tests {\n'                                                     # 7
    '    fn check(p: u32) -> bool {\n'                                  # 8
    '        super::check(p)\n'                                         # 9 line 6
    '    }\n'                                                           # 10
    '    fn t() -> u32 {\n'                                             # 11
    '        super::helper()\n'                                         # 12 line 5
    '    }\n'                                                           # 13
    '}\n'                                                               # 14
    'pub fn usize(s: u32) -> u32 { s }\n'                               # 15
    'pub fn run() -> u32 {\n'                                           # 16
    '    convert::usize(1);\n'                                          # 17 line 2
    '    convert::name("x");\n'                                         # 18 line 3
    '    tests::check(2);\n'                                            # 19 line 8
    '    self::convert::usize(3);\n'                                    # 20 line 2
    '    b::g()\n'                                                      # 21 no inline b: not this file's g
    '}\n'
    'pub fn g() -> u32 { 3 }\n')                                        # 23
FILES['rs/src/doc/mod.rs'] = 'pub(crate) mod help;\nfn render(s: u32) -> u32 {\n    s\n}\n'
FILES['rs/src/doc/help.rs'] = 'pub fn gen() -> u32 {\n    super::render(1)\n}\n'
# cg29: Java keeps method and variable names apart: `reader("{}")` with a local or parameter
# `reader` calls the method (gson's JsonReaderTest); `Type.CONSTANT.m()` of a static field of a
# repository class is the field's declared type's method, a String field's is none of ours
FILES['java/src/com/cg29/Excluder.java'] = (
    'package com.cg29;\n'                                               # 1
    'public class Excluder {\n'                                         # 2
    '  public static final Excluder DEFAULT = new Excluder();\n'        # 3
    '  static final String NAME = "x";\n'                               # 4
    '  public Excluder withVersion(double v) { return this; }\n'        # 5
    '  public int length() { return 0; }\n'                             # 6
    '}\n')
FILES['java/src/com/cg29/DateType.java'] = (
    'package com.cg29;\n'                                               # 1
    'public abstract class DateType<T> {\n'                             # 2
    '  public static final DateType<String> DATE = new DateType<String>() {};\n'  # 3
    '  public final Object createAdapterFactory(String p) { return null; }\n'     # 4
    '}\n')
FILES['java/src/com/cg29/Other.java'] = (
    'package com.cg29;\n'                                               # 1
    'public class Other {\n'                                            # 2
    '  public Other withVersion(double v) { return this; }\n'           # 3
    '  public Object createAdapterFactory(String p) { return null; }\n' # 4
    '  public void run() {}\n'                                          # 5
    '}\n')
FILES['java/src/com/cg29/ReaderTest.java'] = (
    'package com.cg29;\n'                                               # 1
    'public class ReaderTest {\n'                                       # 2
    '  private static String reader(String s) { return s; }\n'          # 3
    '  void a() {\n'                                                    # 4
    '    String reader = reader("{}");\n'                               # 5 the method
    '    Excluder.DEFAULT.withVersion(1.0);\n'                          # 6 Excluder's
    '    DateType.DATE.createAdapterFactory("x");\n'                    # 7 DateType's
    '    Excluder.NAME.length();\n'                                     # 8 String's: none
    '    com.cg29.Excluder.DEFAULT.withVersion(2.0);\n'                 # 9 Excluder's
    '  }\n'                                                             # 10
    '  void b(Runnable reader) {\n'                                     # 11
    '    reader("x");\n'                                                # 12 the method
    '    reader.run();\n'                                               # 13 Runnable's: not Other's
    '  }\n'                                                             # 14
    '}\n')
# cg31: a Java receiver declared as a repository interface / abstract class reaches the
# implementations (named subclasses, transitively, and an anonymous `new Alloc() { .. }`)
# with the declaration, 0.9 shared; a concrete class's method stays alone, overridden (size)
# or not (name)
FILES['java/src/com/cg31/Shape.java'] = 'package com.cg31;\npublic interface Shape {\n  double area();\n  String name();\n}\n'
FILES['java/src/com/cg31/Circle.java'] = 'package com.cg31;\npublic class Circle implements Shape {\n  public double area() { return 3.0; }\n  public String name() { return "c"; }\n}\n'
FILES['java/src/com/cg31/Square.java'] = 'package com.cg31;\npublic final class Square extends Base implements Shape {\n  @Override public double area() { return 1.0; }\n  @Override public int size() { return 4; }\n}\n'
FILES['java/src/com/cg31/Base.java'] = 'package com.cg31;\npublic class Base {\n  public String name() { return "b"; }\n  public int size() { return 1; }\n}\n'
FILES['java/src/com/cg31/Alloc.java'] = 'package com.cg31;\npublic abstract class Alloc {\n  public abstract Object make(Class<?> c);\n  public static Alloc create() {\n    return new Alloc() {\n      @Override public Object make(Class<?> c) { return null; }\n    };\n  }\n}\n'
FILES['java/src/com/cg31/Use.java'] = 'package com.cg31;\npublic class Use {\n  private final Shape field;\n  Use(Shape s) { field = s; }\n  double a(Shape s, Alloc al, Base b, Circle c) {\n    s.area();\n    field.area();\n    al.make(null);\n    b.size();\n    b.name();\n    c.area();\n    return 0;\n  }\n}\n'
EXPECT = [
    # resolver 44
    ('rs/src/stdp.rs', 9, 'current_dir', 'none'),
    ('rs/src/stdp.rs', 10, 'stdout', 'none'),
    ('rs/src/stdp.rs', 11, 'map', 'none'),
    ('rs/src/stdp.rs', 13, 'separator_field', ('weak', 'rs/src/stdp.rs', 'Builder::separator_field')),
    # resolver 50
    ('rs/src/conv.rs', 10, 'from', ('rs/src/conv.rs', 'i32::from')),
    ('rs/src/conv.rs', 13, 'from', 'none'),
    ('rs/src/conv.rs', 14, 'from', ('rs/src/conv.rs', 'String::from')),
    ('rs/src/conv.rs', 15, 'from', ('rs/src/conv.rs', 'String::from')),
    ('rs/src/conv.rs', 16, 'from', 'none'),
    ('rs/src/conv.rs', 17, 'cv_replace', 'none'),
    ('rs/src/conv.rs', 30, 'from_iter', ('rs/src/conv.rs', 'CvRec::from_iter')),
    # cg29
    ('rs/src/exitc.rs', 9, 'code', ('rs/src/exitc.rs', 'ExitCode::code')),
    ('rs/src/exitc.rs', 12, 'code', ('rs/src/exitc.rs', 'ExitCode::code')),
    ('rs/src/exitc.rs', 22, 'exit', ('rs/src/exitc.rs', 'ExitCode::exit')),
    ('rs/src/exitc.rs', 23, 'reverse', 'none'),
    ('rs/src/exitc.rs', 24, 'into_owned', 'none'),
    ('rs/src/exitc.rs', 25, 'with_path', ('rs/src/exitc.rs', 'Error::with_path')),
    ('rs/src/exitc.rs', 30, 'with_depth', ('rs/src/exitc.rs', 'Walk::with_depth')),
    ('rs/src/inl.rs', 21, 'g', ('rs/src/a/b.rs', 'g')),
    ('rs/src/doc/help.rs', 2, 'render', ('rs/src/doc/mod.rs', 'render')),
    ('java/src/com/cg29/ReaderTest.java', 5, 'reader', ('java/src/com/cg29/ReaderTest.java', 'ReaderTest.reader')),
    ('java/src/com/cg29/ReaderTest.java', 12, 'reader', ('java/src/com/cg29/ReaderTest.java', 'ReaderTest.reader')),
    ('java/src/com/cg29/ReaderTest.java', 6, 'withVersion', ('java/src/com/cg29/Excluder.java', 'Excluder.withVersion')),
    ('java/src/com/cg29/ReaderTest.java', 7, 'createAdapterFactory', ('java/src/com/cg29/DateType.java', 'DateType.createAdapterFactory')),
    ('java/src/com/cg29/ReaderTest.java', 8, 'length', 'none'),
    ('java/src/com/cg29/ReaderTest.java', 9, 'withVersion', ('java/src/com/cg29/Excluder.java', 'Excluder.withVersion')),
    ('java/src/com/cg29/ReaderTest.java', 13, 'run', None),
    ('ts/arr/bag.ts', 7, 'push', None),
    ('ts/arr/bag.ts', 8, 'push', None),
    ('ts/arr/bag.ts', 9, 'push', None),
    ('ts/arr/bag.ts', 10, 'push', ('ts/arr/bag.ts', 'Bag.push')),
    ('ts/cbs/use.ts', 4, 'run', ('ts/mem/kit.ts', 'Kit.run')),
    ('ts/cbs/use.ts', 5, 'zap', 'none'),
    ('ts/topc/a.ts', 5, 'run2', ('ts/topc/k.ts', 'Kit2.run2')),
    ('ts/topc/a.ts', 7, 'run2', ('ts/topc/k.ts', 'Kit2.run2')),
    ('ts/topc/a.ts', 8, 'stash', 'none'),
    ('ts/topc/a.ts', 12, 'run2', None),
    ('ts/topc/a.ts', 15, 'encodeInto', 'none'),
    ('ts/mem/use.ts', 3, 'probe', 'none'),
    ('ts/mem/use.ts', 4, 'probe', 'none'),
    ('ts/mem/use.ts', 5, 'run', ('ts/mem/kit.ts', 'Kit.run')),
    ('ts/mem/use.ts', 8, 'run', ('ts/mem/kit.ts', 'Kit.run')),
    ('ts/mem/use.ts', 9, 'probe', 'none'),
    ('ts/mem/use.ts', 13, 'probe', 'none'),
    ('ts/mem/use.ts', 14, 'run', ('ts/mem/kit.ts', 'Kit.run')),
    ('ts/mem/use.ts', 17, 'probe', 'none'),
    ('tsfv/src/use.tsx', 11, 'useA', ('tsfv/src/store.ts', 'createImpl.useBoundStore')),
    ('tsfv/src/use.tsx', 12, 'useB', ('tsfv/src/store.ts', 'createImpl.useBoundStore')),
    ('tsfv/src/use.tsx', 13, 'rr', ('weak', 'tsfv/src/store.ts', 'render', 1)),
    ('tsfv/src/use.tsx', 14, 's', 'none'),
    ('tsfv/src/use.tsx', 15, 'o', 'none'),
    ('tsfv/src/use.tsx', 16, 'u', 'none'),
    ('tsfv/src/usedisp.ts', 4, 'dispose', ('weak', 'tsfv/src/disposables.ts', 'disposables.dispose', 1)),
    ('tsfv/src/usedisp.ts', 5, 'dispose', 'none'),
    ('tsfv/src/usedisp.ts', 10, 'dispose', 'none'),
    ('tsfv/test/persist.test.tsx', 5, 'rehydrate', ('weak', 'tsfv/src/persist.ts', 'rehydrate', 1)),
    ('tsfv/test/persist.test.tsx', 6, 'rehydrate', 'none'),
    ('tsfv/test/persist.test.tsx', 7, 'hasHydrated', 'none'),
    ('tsfv/src/usedisp.ts', 7, 'inc', 'none'),
    ('tsfv/src/usedisp.ts', 8, 'inner', 'none'),
    ('tsxc/src/use.tsx', 8, 'onRelease', ('tsxc/src/root.tsx', 'Root.onRelease')),
    ('tsxc/src/use.tsx', 8, 'close', ('tsxc/src/root.tsx', 'Root.onRelease')),
    ('tsxc/src/use.tsx', 8, 'setOpen', 'none'),
    ('tsxc/src/use.tsx', 10, 'go', ('weak', 'tsxc/src/root.tsx', 'go', 2)),
    ('tsxc/src/use.tsx', 12, 'stop', 'none'),
    ('tsxd/src/a.tsx', 4, 'onOpenChange', 'none'),
    ('tsxd/src/a.tsx', 6, 'onOpenChange', 'none'),
    ('tsxd/src/a.tsx', 10, 'rel', 'none'),
    ('tsxd/src/a.tsx', 10, 'onRelease', 'none'),
    ('tsxd/src/a.tsx', 14, 'onRelease', ('weak', 'tsxd/src/ctx.ts', 'onRelease', 1)),
    ('tsxd/src/a.tsx', 13, 'first', 'none'),
    ('tsxd/src/a.tsx', 14, 'onOpenChange', ('weak', 'tsxd/src/ctx.ts', 'onOpenChange', 1)),
    ('tsxd/src/b.js', 3, 'onRelease', 'none'),
    ('tsxd/src/b.js', 7, 'runCmd', ('weak', 'tsxd/src/cmd.js', 'runCmd', 1)),
    ('tsxd/src/b.js', 11, 'stopCmd', ('weak', 'tsxd/src/cmd.js', 'stopCmd', 1)),
    ('ts/cbt/a.test.ts', 3, 'fetch', 'none'),
    ('ts/cbt/a.test.ts', 6, 'fetch', 'none'),
    ('ts/cbt/a.test.ts', 9, 'fetch', ('ts/cbt/setup.ts', 'App.fetch')),
    ('ts/cbt/a.test.ts', 10, 'use', ('ts/cbt/setup.ts', 'App.use')),
    ('ts/cbt/a.test.ts', 12, 'fetch', ('weak', 'ts/cbt/setup.ts', 'App.fetch')),
    ('ts/cbt/a.test.ts', 14, 'fetch', ('weak', 'ts/cbt/setup.ts', 'App.fetch')),
    ('ts/cbt/a.test.ts', 17, 'start', ('ts/cbt/a.test.ts', 'inst.start')),
    ('ts/cbt/server.ts', 10, 'onRequest', 'none'),
    ('ts/cbt/ev_use.ts', 3, 'has', 'none'),
    ('ts/cbt/ev_use.ts', 4, 'has', ('ts/cbt/ev.ts', 'Store.has')),
    ('ts/cbt/ev_use.ts', 9, 'has', 'none'),
    ('ts/cbt/ev_use.ts', 10, 'has', ('ts/cbt/ev.ts', 'Store.has')),
    ('ts/cbt/ev_use.ts', 11, 'has', ('weak', 'ts/cbt/ev.ts', 'Store.has', 1)),
    ('ts/cbt/ev_use.ts', 12, 'has', ('weak', 'ts/cbt/ev.ts', 'Store.has', 1)),
    ('ts/cbt/ev_use.ts', 16, 'has', 'none'),
    ('ts/cbt/b.test.ts', 4, 'use', ('ts/cbt/setup.ts', 'App.use')),
    ('ts/cbt/b.test.ts', 7, 'use', ('ts/cbt/setup.ts', 'App.use')),
    ('ts/cbt/b.test.ts', 8, 'use', ('ts/cbt/setup.ts', 'App.use')),
    ('js/topv/a.js', 5, 'arrowFn', ('js/topv/a.js', 'arrowFn')),
    ('js/topv/a.js', 6, 'getProtoOf', 'none'),
    ('js/bind/test/use.js', 2, 'sendIpc', ('weak', 'js/bind/lib/send.js', 'sendIpc', 1)),
    ('ts/mset/t.ts', 4, 'text', ('ts/mset/t.ts', 'customFetch.response.text')),
    ('ts/mset/t.ts', 9, 'text', None),
    ('ts/mset/t.ts', 14, 'now', ('ts/mset/t.ts', 'Date.now')),
    ('ts/mset/t.ts', 17, 'now', 'none'),
    ('ts/mset/t.ts', 22, 'get', ('ts/mset/t.ts', 'api.get')),
    ('ts/mset/t.ts', 29, 'body', ('weak', 'ts/mset/t.ts', 'capture.body', 1)),
    ('ts/mset/t.ts', 36, 'mark', ('weak', 'ts/mset/t.ts', 'rt.e.mark', 1)),
    ('js/chain/lib/res.js', 4, 'set', ('js/chain/lib/res.js', 'res.header')),
    ('js/chain/test/t.js', 2, 'set', ('js/chain/lib/res.js', 'res.header')),
    ('js/chain/test/t.js', 3, 'header', ('js/chain/lib/res.js', 'res.header')),
    ('js/chain/test/t.js', 4, 'contentType', ('js/chain/lib/res.js', 'res.type')),
    ('js/chain/test/t.js', 5, 'only', 'none'),
    ('ts/robj/use.ts', 9, 'once', ('ts/robj/unhandle.ts', 'unhandle.once')),
    ('ts/robj/use.ts', 10, 'unhandleAll', ('ts/robj/unhandle.ts', 'unhandle.unhandleAll')),
    ('ts/robj/use.ts', 12, 'removed', ('ts/robj/use.ts', 'make.removed')),
    ('ts/robj/use.ts', 13, 'count', ('ts/robj/use.ts', 'make.count')),
    ('ts/robj/use.ts', 14, 'other', 'none'),
    ('ts/dyn/t.ts', 3, 'mk', ('ts/dyn/m.ts', 'makeServer')),
    ('ts/dyn/t.ts', 5, 'nm', 'none'),
    ('ts/dyn/t.ts', 7, 'lib', 'none'),
    ('js/bnd/test/use.js', 4, 'conv', ('weak', 'js/bnd/lib/conv.js', 'toStream', 1)),
    ('js/bnd/test/use.js', 5, 'ipcSend', ('weak', 'js/bnd/lib/send.js', 'sendIpc', 1)),
    ('js/bnd/test/use.js', 6, 'write', 'none'),
    ('js/bnd/test/use.js', 7, 'a', 'none'),
    ('js/bnd/test/use.js', 8, 'conv', 'none'),
    ('ts/shand/use.ts', 4, 'getState', ('weak', 'ts/shand/vanilla.ts', 'createStoreImpl.getState', 1)),
    ('ts/shand/use.ts', 5, 'init', 'none'),
    ('ts/shand/use.ts', 6, 'look', 'none'),
    ('py/bi/use.py', 6, 'append', 'none'),
    ('py/bi/use.py', 7, 'update', 'none'),
    ('py/bi/use.py', 9, 'update', 'none'),
    ('py/bi/use.py', 11, 'append', 'none'),
    ('py/bi/use.py', 12, 'add', 'none'),
    ('py/bi/use.py', 14, 'strip', 'none'),
    ('py/bi/use.py', 15, 'update', ('weak', 'py/bi/store.py', 'Bag.update', 1)),
    ('py/bi/use.py', 16, 'tally', ('weak', 'py/bi/store.py', 'Bag.tally', 1)),
    ('py/bi/use.py', 18, 'tally', ('weak', 'py/bi/store.py', 'Bag.tally', 1)),
    ('py/bi/test_client.py', 3, 'get', ('py/bi/client.py', 'TClient.get')),
    ('py/bi/conn.py', 9, 'tally', 'none'),
    ('py/bi/conn.py', 10, 'tally', ('py/bi/store.py', 'Bag.tally')),
    ('py/bi/conn.py', 11, 'tally', ('weak', 'py/bi/store.py', 'Bag.tally', 1)),
    ('py/bi/test_client.py', 4, 'json', 'none'),
    ('py/bi/test_client.py', 6, 'json', 'none'),
    ('py/bi/test_client.py', 8, 'json', ('py/bi/req.py', 'Request.json')),
    ('ts/own/pkg/v4/t.test.ts', 4, 'decode', 'none'),
    ('ts/own/pkg/v4/t.test.ts', 7, 'decode', 'none'),
    ('ts/own/pkg/v4/t.test.ts', 11, 'decode', 'none'),
    ('ts/own/pkg/v4/t.test.ts', 13, 'decode', 'none'),
    ('ts/own/pkg/v4/t.test.ts', 14, 'decode', ('weak', 'ts/own/pkg/v3/types.ts', 'ZodType.decode', 1)),
    ('ts/own/pkg/v4/t.test.ts', 9, 'decode', ('weak', 'ts/own/pkg/v3/types.ts', 'ZodType.decode', 1)),
    ('py/pkg/main.py', 9, 'httpbin', 'none'),
    ('py/pkg/main.py', 10, 'helper', ('py/pkg/util.py', 'helper')),
    ('py/pkg/main.py', 11, 'Session', ('py/pkg/sessions.py', 'Session.__init__')),
    ('py/pkg/main.py', 12, 'get', ('py/pkg/sessions.py', 'Session.get')),
    ('py/pkg/main.py', 13, 'join', 'none'),
    ('py/pkg/main.py', 14, 'get', ('py/pkg/api.py', 'get')),
    ('py/pkg/main.py', 15, 'undefined_here', 'none'),
    ('js/app.js', 3, 'send', ('js/lib/response.js', 'res.send')),
    ('js/app.js', 4, 'add', ('js/lib/math.js', 'exports.add')),
    ('js/app.js', 5, 'fn', 'none'),
    ('js/app.js', 7, 'setHours', 'none'),
    ('ts/src/use.ts', 4, 'sum', ('ts/src/index.ts', 'sum')),
    ('ts/src/use.ts', 4, 'fmt', ('ts/src/util/fmt.ts', 'fmt')),
    ('go/pkg/a.go', 10, 'helper', ('go/pkg/b.go', 'helper')),
    ('go/pkg/a.go', 11, 'JSON', ('go/render/json.go', 'JSON')),
    ('go/pkg/a.go', 12, 'Println', 'none'),
    ('go/pkg/a.go', 13, 'Next', ('go/pkg/b.go', 'Context.Next')),
    ('go/pkg/a.go', 14, 'Header', 'none'),
    ('rs/src/main.rs', 3, 'new', ('rs/src/matcher.rs', 'Matcher::new')),
    ('rs/src/main.rs', 4, 'find', ('rs/src/matcher.rs', 'Matcher::find')),
    ('rs/src/main.rs', 5, 'unwrap', 'none'),
    ('rs/src/run.rs', 4, 'f', ('rs/src/a/b.rs', 'f')),
    ('rs/src/run.rs', 5, 'max', 'none'),
    ('rs/src/c.rs', 5, 'g', ('rs/src/a/b.rs', 'g')),
    ('py/pkg/shapes.py', 4, 'describe', ('py/pkg/base.py', 'Base.describe')),
    ('py/pkg/shapes.py', 6, 'area', ('py/pkg/base.py', 'Base.area')),
    ('py/pkg/shapes.py', 8, 'area', ('py/pkg/shapes.py', 'Square.area')),
    ('rs/src/c.rs', 8, 'local', ('rs/src/c.rs', 'local')),
    ('ts/src/dog.ts', 3, 'name', ('ts/src/animals.ts', 'Animal.name')),
    ('ts/src/alias.ts', 4, 'pad', ('ts/src/lib/strings.ts', 'pad')),
    ('ts/src/alias.ts', 4, 'fmt', ('ts/src/util/fmt.ts', 'fmt')),
    ('java/src/com/ex/Dog.java', 4, 'name', ('java/src/com/ex/Animal.java', 'Animal.name')),
    ('java/src/com/ex/Dog.java', 7, 'name', ('java/src/com/ex/Animal.java', 'Animal.name')),
    ('cpp/sq.cpp', 3, 'area', ('cpp/base.hpp', 'Shape::area')),
    ('java/src/com/ex/Main.java', 6, 'Foo', None),
    ('java/src/com/ex/Main.java', 7, 'bar', ('java/src/com/ex/Foo.java', 'Foo.bar')),
    ('java/src/com/ex/Main.java', 9, 'add', 'none'),
    ('c/src/main.c', 4, 'fn', 'none'),
    ('c/src/main.c', 5, 'compute', ('c/src/compute.c', 'compute')),
    ('cpp/v.cpp', 4, 'begin', 'none'),
    ('py/many/main.py', 6, 'get', ('py/many/m3.py', 'get')),
    ('py/many/main.py', 8, 'get', ('py/many/m4.py', 'C4.get')),
    ('py/many/main.py', 9, 'get', ('py/many/m5.py', 'get')),
    ('ts/many/use.ts', 3, 'get', ('ts/many/m3.ts', 'get')),
    ('py/rxuse.py', 5, 'fetch', ('py/rx/api.py', 'fetch')),
    ('js/useobj.js', 3, 'get', ('js/lib/obj.js', 'obj.get')),
    ('js/useobj.js', 4, 'set', ('js/lib/obj.js', 'obj.set')),
    ('rs/src/fields.rs', 11, 'find', ('rs/src/matcher.rs', 'Matcher::find')),
    ('rs/src/fields.rs', 12, 'find', ('rs/src/fields.rs', 'Printer::find')),
    ('cpp/db.cc', 4, 'ok', ('cpp/env.h', 'Status::ok')),
    ('cpp/db.cc', 5, 'Now', ('cpp/env.h', 'Env::Now')),
    ('cpp/db.cc', 6, 'Now', ('cpp/env.h', 'Env::Now')),
    ('cpp/db.cc', 7, 'Now', ('cpp/env.h', 'Clock::Now')),
    ('cpp/db.cc', 9, 'Now', ('cpp/env.h', 'Clock::Now')),
    ('cpp/db_test.cc', 5, 'Reopen', ('cpp/db_test.cc', 'DBTest::Reopen')),
    ('cpp/app/main.cc', 4, 'Now', ('cpp/env.h', 'Env::Now')),
    ('java/src/com/ex/Holder.java', 6, 'bar', ('java/src/com/ex/Foo.java', 'Foo.bar')),
    ('java/src/com/ex/Holder.java', 7, 'name', ('java/src/com/ex/Robot.java', 'Robot.name')),
    ('java/src/com/ex/UseRule.java', 6, 'getElements', None),
    ('ts/src/holder.ts', 6, 'name', ('ts/src/animals.ts', 'Robot.name')),
    ('ts/src/holder.ts', 7, 'name', ('ts/src/animals.ts', 'Animal.name')),
    ('py/pkg/holder.py', 8, 'get', ('py/pkg/sessions.py', 'Session.get')),
    ('py/pkg/holder.py', 9, 'describe', ('py/pkg/other2.py', 'Other.describe')),
    ('go/pkg/eng.go', 9, 'Next', ('go/pkg/b.go', 'Context.Next')),
    ('go/pkg/eng.go', 10, 'Header', ('go/pkg/b.go', 'mockWriter.Header')),
    ('rs/src/fields.rs', 20, 'find', ('rs/src/fields.rs', 'Printer::find')),
    ('rs/src/fields.rs', 27, 'find', ('rs/src/fields.rs', 'Printer::find')),
    ('rs/src/fields.rs', 29, 'find', ('rs/src/matcher.rs', 'Matcher::find')),
    ('rs/src/fields.rs', 38, 'find', ('rs/src/fields.rs', 'Printer::find')),
    ('py/pkg/holder.py', 14, 'get', ('py/pkg/sessions.py', 'Session.get')),
    ('ts/src/holder.ts', 13, 'name', ('ts/src/animals.ts', 'Robot.name')),
    ('go/pkg/eng.go', 15, 'Header', ('go/pkg/b.go', 'mockWriter.Header')),
    ('cpp/make.cc', 7, 'Now', ('cpp/env.h', 'Clock::Now')),
    ('cpp/make.cc', 9, 'Now', ('cpp/env.h', 'Env::Now')),
    ('java/src/com/ex/Factory.java', 6, 'name', ('java/src/com/ex/Robot.java', 'Robot.name')),
    ('java/src/com/ex/Factory.java', 9, 'name', ('java/src/com/ex/Robot.java', 'Robot.name')),
    ('js/widget.js', 6, 'render', ('js/widget.js', 'Widget.render')),
    ('ts/src/svc.ts', 5, 'name', ('ts/src/animals.ts', 'Robot.name')),
    ('ts/src/svc.ts', 11, 'go', ('ts/src/svc.ts', 'Svc.go')),
    ('rs/src/chain.rs', 14, 'line_number', ('rs/src/chain.rs', 'Builder::line_number')),
    ('rs/src/chain.rs', 14, 'build', ('rs/src/chain.rs', 'Builder::build')),
    ('rs/src/chain.rs', 14, 'search', ('rs/src/chain.rs', 'Searcher::search')),
    ('rs/src/chain.rs', 14, 'unwrap', 'none'),
    ('rs/src/chain.rs', 14, 'finish', ('rs/src/chain.rs', 'Sink::finish')),
    ('java/src/com/ex/Chain.java', 7, 'add', ('java/src/com/ex/Chain.java', 'Chain.add')),
    ('java/src/com/ex/Chain.java', 7, 'name', ('java/src/com/ex/Robot.java', 'Robot.name')),
    ('java/src/com/ex/Chain.java', 8, 'name', ('java/src/com/ex/Robot.java', 'Robot.name')),
    ('ts/src/chain.ts', 4, 'name', ('ts/src/animals.ts', 'Robot.name')),
    ('cpp/chain.cc', 4, 'Now', ('cpp/env.h', 'Clock::Now')),
    ('cpp/chain.cc', 5, 'Now', ('cpp/env.h', 'Env::Now')),
    ('ts/src/arrow.ts', 4, 'fail', ('ts/src/arrow.ts', 'Req.fail')),
    ('cpp/alias.cc', 3, 'Now', ('cpp/env.h', 'Clock::Now')),
    ('cpp/alias.cc', 4, 'Now', ('cpp/env.h', 'Env::Now')),
    ('cpp/virt.cc', 5, 'Run', ('cpp/virt.cc', 'Impl2::Run')),
    ('rsc/core/flags/defs.rs', 3, 'parse_low_raw', ('rsc/core/flags/parse.rs', 'parse_low_raw')),
    ('js/guess/use.js', 2, 'paint', ('weak', 'js/guess/gadget.js', 'Gadget.paint')),
    ('js/guess/use.js', 3, 'globalHelper', ('weak', 'js/guess/globals.js', 'globalHelper')),
    ('js/guess/use.js', 4, 'setupThing', 'none'),
    ('js/guess/use.js', 5, 'cb', 'none'),
    ('rs/src/gquse.rs', 2, 'unwrap_all', 'none'),
    ('rs/src/gquse.rs', 3, 'open_all', ('weak', 'rs/src/gq.rs', 'Q::open_all')),
    ('cppns/main.cc', 3, 'format', ('weak', 'cppns/fmtlib/format.h', 'format', 2)),
    ('cppq/many/main.cc', 3, 'many', ('weak', 'cppq/many/m.h', 'many', 16)),
    ('cppq/main.cc', 5, 'run', ('cppq/alpha/run.h', 'alpha::run')),
    ('cppq/main.cc', 6, 'run', ('cppq/beta/run.h', 'beta::run')),
    ('cppq/main.cc', 7, 'parse', ('cppq/beta/run.h', 'Parser::parse')),
    ('cppq/main.cc', 8, 'parse', ('cppq/alpha/run.h', 'Parser::parse')),
    ('cppq/main.cc', 9, 'helper', ('cppq/gamma/inl.h', 'detail::helper')),
    ('cppq/main.cc', 10, 'helper', ('cppq/beta/run.h', 'detail::helper')),
    ('cppq/main.cc', 14, 'swap', 'none'),
    ('cppm/main.cc', 4, 'format', ('cppm/inc/format.h', 'lib::format')),
    ('cppm/main.cc', 5, 'helper', ('cppm/inc/format.h', 'lib::detail::helper')),
    ('cppm/main.cc', 6, 'format', ('cppm/inc/format.h', 'lib::format')),
    ('cppm/main.cc', 7, 'parse', ('cppm/inc/format.h', 'nl::parse')),
    ('cppm/main.cc', 8, 'helper', ('cppm/inc/format.h', 'lib::detail::helper')),
    ('cppm/main.cc', 9, 'tail', ('cppm/inc/format.h', 'lib::tail')),
    ('cppm/main.cc', 10, 'pick', None),
    ('cppm/main.cc', 13, 'Widget', ('cppm/inc/format.h', 'lib::Widget::Widget')),
    ('cppm/main.cc', 14, 'spin', 'none'),
    ('jsd/test/app.js', 3, 'express', ('jsd/lib/express.js', 'createApplication')),
    ('jsd/src/use.ts', 4, 'mk', ('jsd/src/make.ts', 'make')),
    ('jsd/src/use.ts', 4, 'other', 'none'),
    ('rs/src/loops.rs', 4, 'find', ('rs/src/matcher.rs', 'Matcher::find')),
    ('rs/src/gen.rs', 12, 'matched', None),
    ('go/pkg/multi.go', 8, 'Next', ('go/pkg/b.go', 'Context.Next')),
    ('go/pkg/multi.go', 11, 'Next', ('go/pkg/b.go', 'Context.Next')),
    ('rs/src/shadow.rs', 4, 'dirname', ('rs/src/shadow.rs', 'dirname')),
    ('rs/src/shadow.rs', 6, 'stem', 'none'),
    ('go/pkg/shadow.go', 6, 'total', ('go/pkg/shadow.go', 'total')),
    ('rs/src/alias.rs', 3, 'new', ('rs/src/matcher.rs', 'Matcher::new')),
    ('rs/src/walk.rs', 3, 'batch', ('rs/src/exec/job.rs', 'batch')),
    ('rs/src/walk.rs', 4, 'extra', ('rs/src/exec/more.rs', 'extra')),
    ('rs/src/walk.rs', 5, 'job', ('rs/src/exec/job.rs', 'job')),
    ('rs/src/walk.rs', 6, 'generate_man_page', ('rs/src/exec/doc/man.rs', 'generate')),
    ('rs/src/walk.rs', 7, 'run', ('rs/src/exec/job2.rs', 'run_all')),
    ('rs/src/walk.rs', 8, 'hidden', None),
    ('rs/src/alias.rs', 4, 'g', ('rs/src/a/b.rs', 'g')),
    ('rs/src/loops.rs', 7, 'find', ('rs/src/matcher.rs', 'Matcher::find')),
    ('rs/src/loops.rs', 11, 'find', 'none'),
    ('rs/src/loops.rs', 14, 'find', None),
    ('go/pkg/mk.go', 7, 'Serve', ('go/pkg/eng.go', 'Engine.Serve')),
    ('go/pkg/mk2.go', 10, 'Serve', ('go/render/new.go', 'Render.Serve')),
    ('go/pkg/mk2.go', 12, 'Serve', 'none'),
    ('js/loose/util.js', 5, 'formatDistance', 'none'),
    ('js/loose/util.js', 8, 'stringify', 'none'),
    ('js/loose/util.js', 9, 'isThing', ('weak', 'js/loose/util.js', 'isThing')),
    ('js/loose/far/use.js', 2, 'isThing', 'none'),
    ('cpp/loose.cc', 4, 'size', ('weak', 'cpp/loose.cc', 'size')),
    ('cpp/loose.cc', 13, 'run', ('weak', 'cpp/loose.cc', 'A1::run', 5)),
    ('cpp/bj/use.cpp', 7, 'items', ('cpp/bj/basic_j.hpp', 'basic_j::items')),
    ('cpp/bj/use.cpp', 8, 'parse', ('cpp/bj/basic_j.hpp', 'basic_j::parse')),
    ('cpp/bj/use.cpp', 9, 'parse', ('cpp/bj/basic_j.hpp', 'basic_j::parse')),
    ('cpp/bj/use.cpp', 11, 'items', ('cpp/bj/basic_j.hpp', 'basic_j::items')),
    ('cpp/bj/use.cpp', 13, 'items', ('cpp/bj/basic_j.hpp', 'basic_j::items')),
    ('cpp/bj/use.cpp', 14, 'items', None),
    ('cpp/bj/meta.cpp', 6, 'items', ('cpp/bj/meta.cpp', 'meta_j::items')),
    ('cpp/bj/meta2.cpp', 8, 'items', ('cpp/bj/meta.cpp', 'meta_j::items')),
    ('cpp/bj/east.cpp', 5, 'items', ('cpp/bj/basic_j.hpp', 'basic_j::items')),
    ('cpp/bj/east.cpp', 9, 'parse', ('cpp/bj/basic_j.hpp', 'basic_j::parse')),
    ('cpp/bj/east.cpp', 11, 'parse', ('cpp/bj/basic_j.hpp', 'basic_j::parse')),
    ('cpp/bj/east.cpp', 17, 'items', ('cpp/bj/basic_j.hpp', 'basic_j::items')),
    ('cpp/bj/east.cpp', 18, 'items', ('cpp/bj/basic_j.hpp', 'basic_j::items')),
    ('js/held/app.js', 7, 'onlyLocal', 'none'),
    ('js/held/app.js', 15, 'goHeld', ('weak', 'js/held/app.js', 'Ctor.this.goHeld', 1)),
    ('js/held/lit.js', 4, 'check', ('js/held/lit.js', 'methods.check')),
    ('py/held/a.py', 5, 'inner', 'none'),
    ('ts/held/b.test.ts', 2, 'parse', 'none'),
    ('cpp/held/use.cpp', 3, 'add_option', 'none'),
    ('cppnest/set.cc', 5, 'Quest', ('cppnest/set.cc', 'RE::Set::Quest')),
    ('cppnest/scan.cc', 4, 'Valid', ('cppnest/dbiter.h', 'DBIter::Valid')),
    ('tsre/test/use.test.tsx', 5, 'createStore', ('tsre/src/vanilla.ts', 'createStore')),
    ('tsre/test/use.test.tsx', 6, 'create', ('tsre/src/vanilla.ts', 'create')),
    ('tsre/test/use.test.tsx', 7, 'shallow', ('tsre/src/util/eq.ts', 'shallow')),
    ('tsre/test/use.test.tsx', 8, 'other', ('tsre/src/vanilla.ts', 'other')),
    ('tsre/test/use.test.tsx', 9, 'hiddenOnly', None),
    ('js/gen/a.js', 4, 'lines', ('js/gen/a.js', 'lines')),
    ('cppnest/use.cc', 4, 'Match', ('cppnest/set.cc', 'RE::Set::Match')),
    ('jsb/dist/umd.js', 19, 'from', None),
    ('ts/lf/persist.ts', 9, 'setItem', None),
    ('ts/lf/persist.ts', 14, 'f', None),
    ('ts/lf/persist.ts', 28, 'named', None),
    ('ts/lf/persist.ts', 33, 'pick', None),
    ('jsr/dist/b.js', 14, 'pick', None),
    ('jsr/dist/b.js', 16, 'from', None),
    ('jsb/dist/esm.js', 23, 'assertOptions', None),
    ('jsb/dist/esm.js', 24, 'from', ('jsb/dist/esm.js', 'Hdr$1.from')),
    ('jsb/test/use.js', 2, 'f3', ('jsb/dist/esm.js', 'f3')),
    ('cppq/sc/use.cc', 12, 'f', ('cppq/sc/deep.h', 'B::C::f')),
    ('cppq/sc/use.cc', 13, 'f', ('cppq/sc/deep2.h', 'B::C::f')),
    ('cppq/sc/use.cc', 14, 'm', ('cppq/sc/deep2.h', 'Foo::m')),
    ('cppq/sc/use.cc', 15, 'g', ('cppq/sc/base.h', 'Nested::g')),
    ('cppq/sc/use.cc', 16, 'put', ('cppq/sc/deep.h', 'Buf::put')),
    ('cppq/sc/use.cc', 18, 'g', ('cppq/sc/base2.h', 'Nested::g')),
    ('cppq/sc/use.cc', 18, 'm', None),
    ('cppq/sc/use.cc', 23, 'f', ('cppq/sc/deep2.h', 'B::C::f')),
    ('cppq/wrap.cc', 6, 'Add', ('cppq/set.cc', 'RE2::Set::Add')),
    ('cppq/walk.h', 19, 'stopped_early', ('cppq/walk.h', 'Regexp::Walker::stopped_early')),
    ('cppq/walk.h', 19, 'Go', ('cppq/walk.h', 'Info::Walker::Go')),
    ('cppq/wrap.cc', 7, 'Match', ('cppq/set.cc', 'RE2::Set::Match')),
    ('cppq/wrap.cc', 13, 'Match', ('cppq/set.cc', 'RE2::Set::Match')),
    ('cppq/wrap.cc', 16, 'Add', ('cppq/wrap.cc', 'Set::Add')),
    ('cppq/wrap.cc', 17, 'Add', ('cppq/set.cc', 'RE2::Set::Add')),
    ('cppq/wrap.cc', 21, 'Match', ('cppq/set.cc', 'RE2::Set::Match')),
    ('cppq/wrap.cc', 21, 'Add', None),
    ('cppnest/set.h', 10, 'Quest', ('cppnest/set.cc', 'RE::Set::Quest')),
    ('cpp/held/catch.cpp', 3, 'add_flag', 'none'),
    ('cpp/lib/use.hpp', 5, 'pop_back', 'none'),
    ('cpp/lib/use.hpp', 14, 'emplace_back', 'none'),
    ('cpp/lib/use.hpp', 16, 'rend', 'none'),
    ('cpp/lib/use.hpp', 18, 'rend', ('cpp/lib/json.hpp', 'basic_json::rend')),
    ('cpp/lib/help.cpp', 4, 'get_exit_code', ('weak', 'cpp/lib/err.hpp', 'Error::get_exit_code', 1)),
    ('cpp/tp/from.hpp', 5, 'is_array', ('weak', 'cpp/tp/json.hpp', 'basic_json::is_array', 1)),
    ('cpp/tp/from.hpp', 6, 'type', ('weak', 'cpp/tp/json.hpp', 'basic_json::type', 1)),
    ('cpp/tp/from.hpp', 8, 'type', ('weak', 'cpp/tp/json.hpp', 'basic_json::type', 1)),
    ('cpp/tp/from.hpp', 10, 'max_size', 'none'),
    ('cpp/tp/from.hpp', 12, 'max_size', 'none'),
    ('cpp/tp/from.hpp', 18, 'get_character', ('weak', 'cpp/tp/json.hpp', 'file_adapter::get_character', 1)),
    ('cpp/tp/from.hpp', 21, 'get_character', ('weak', 'cpp/tp/json.hpp', 'file_adapter::get_character', 1)),
    ('cpp/tp/from.hpp', 23, 'max_size', 'none'),
    ('cpp/ra/status.cc', 18, 'ok', ('cpp/ra/status.cc', 'Status::ok')),
    ('cpp/ra/status.cc', 20, 'ok', ('cpp/ra/status.cc', 'Status::ok')),
    ('cpp/ra/status.cc', 25, 'ok', ('cpp/ra/status.cc', 'Status::ok')),
    ('cpp/ra/status.cc', 30, 'ok', ('cpp/ra/status.cc', 'Status::ok')),
    ('cpp/ra/status.cc', 35, 'ok', ('cpp/ra/status.cc', 'Status::ok')),
    ('cpp/ra/status.cc', 37, 'spin', ('cpp/ra/status.cc', 'Widget::spin')),
    ('cpp/ra/status.cc', 39, 'ok', ('cpp/ra/status.cc', 'Status::ok')),
    ('cpp/ra/status.cc', 42, 'ok', None),
    ('cpp/ra/status.cc', 48, 'spin', ('cpp/ra/status.cc', 'Widget::spin')),
    ('cpp/ra/status.cc', 55, 'ok', ('cpp/ra/status.cc', 'Status::ok')),
    ('cpp/mac/args.h', 13, 'push_back', ('cpp/mac/args.h', 'store::push_back')),
    ('cpp/mac/args.h', 15, 'grow', ('cpp/mac/args.h', 'plain::grow')),
    ('cpp/mac/args.h', 17, 'grow', None),
    ('cpp/mac/sp.h', 27, 'put', ('cpp/mac/sp.h', 'holder::put')),
    ('cpp/mac/sp.h', 28, 'after_pad', ('cpp/mac/sp.h', 'd::after_pad')),
    ('cpp/mac/sp.h', 28, 'write_int', ('cpp/mac/sp.h', 'd::write_int')),
    ('cpp/mac/sp.h', 31, 'plain_fn', ('cpp/mac/sp.h', 'plain_fn')),
    ('cpp/mac/ifc.h', 15, 'put', ('cpp/mac/ifc.h', 'box::put')),
    ('cpp/mac/ifc.h', 16, 'wipe', ('cpp/mac/ifc.h', 'box::wipe')),
    ('cpp/tp/policy.h', 5, 'handle_sign', ('weak', 'cpp/tp/policy.h', 'sign_a::handle_sign', 2)),
    ('cpp/tp/policy.h', 5, 'handle', ('cpp/tp/policy.h', 'lib::handle')),
    ('cpp/tp/policy.h', 7, 'handle_sign', 'none'),
    ('java/src/com/lib/Elements.java', 5, 'trimToSize', 'none'),
    ('java/src/com/lib/Use.java', 4, 'trimToSize', 'none'),
    ('java/src/com/lib/Use.java', 5, 'floorMod', 'none'),
    ('java/src/com/lib/Use.java', 6, 'firstOne', ('java/src/com/lib/Elements.java', 'Elements.firstOne')),
    ('java/src/com/lib/Use.java', 7, 'floorMod', ('java/src/com/lib/Buf.java', 'Buf.floorMod')),
    ('ts/lib/use.test.ts', 5, 'safeParse', 'none'),
    ('ts/lib/use.test.ts', 6, 'safeParse', 'none'),
    ('ts/lib/use.test.ts', 8, 'safeParse', ('ts/lib/schemas.ts', 'ZodLike.safeParse')),
    ('ts/lib/use.test.ts', 9, 'safeParse', 'none'),
    ('ts/lib/use.test.ts', 12, 'safeParse', 'none'),
    ('ts/lib/use.test.ts', 16, 'safeParse', ('weak', 'ts/lib/schemas.ts', 'ZodLike.safeParse', 1)),
    ('js/lib2/server.js', 6, 'listenOn', 'none'),
    ('js/lib2/server.js', 7, 'listenOn', 'none'),
    ('py/lib/use.py', 5, 'merge_in', 'none'),
    ('py/lib/use.py', 7, 'merge_in', ('weak', 'py/lib/models.py', 'Hdrs.merge_in', 1)),
    ('py/lib/use.py', 9, 'merge_in', ('weak', 'py/lib/models.py', 'Hdrs.merge_in', 1)),
    ('py/lib/use.py', 10, 'merge_in', 'none'),
    ('js/selfpkg/test/use.js', 3, 'hello', ('js/selfpkg/index.js', 'hello')),
    ('js/selfpkg/test/use.js', 4, 'send', ('js/selfpkg/lib/send.js', 'send')),
    ('js/selfpkg/test/use.js', 5, 'utilFn', ('js/selfpkg/lib/util.js', 'utilFn')),
    ('js/selfpkg/test/other.js', 2, 'hello', 'none'),
    ('js/selfpkg/fixtures/f.js', 2, 'hello', 'none'),
    ('js/mainpkg/t.js', 2, 'entryFn', 'none'),
    ('js/badpkg/t.js', 2, 'badFn', 'none'),
    ('js/binpkg/t.js', 2, 'binFn', 'none'),
    ('js/imp/src/use.js', 5, 'styleFn', ('js/imp/ext/styles.js', 'styleFn')),
    ('js/imp/src/use.js', 6, 'colorFn', ('js/imp/ext/color-node.js', 'colorFn')),
    ('js/imp/src/use.js', 7, 'helperFn', ('js/imp/lib/internal/helper.js', 'helperFn')),
    ('js/imp/src/use.js', 8, 'gone', 'none'),
    ('js/imp/sub/t.js', 2, 'styleFn', 'none'),
    ('js/weird2/t.js', 3, 'bFn', 'none'),
    ('js/weird2/t.js', 4, 'wFn', 'none'),
    ('js/ws/packages/app/index.js', 7, 'signal', ('js/ws/packages/core/src/core.ts', 'signal')),
    ('js/ws/packages/app/index.js', 8, 'computed',
     ('js/ws/packages/core/src/computed.ts', 'computed')),
    ('js/ws/packages/app/index.js', 9, 'extraFn',
     ('js/ws/packages/core/extra/src/index.ts', 'extraFn')),
    ('js/ws/packages/app/index.js', 10, 'plainFn', ('js/ws/packages/plain/index.js', 'plainFn')),
    ('js/ws/packages/app/index.js', 11, 'mainFn',
     ('js/ws/packages/mainonly/lib/entry.js', 'mainFn')),
    ('js/ws/packages/app/index.js', 12, 'dupFn', 'none'),
    ('js/ws/packages/app/index.js', 13, 'nope', 'none'),
    ('js/ws/packages/app/index.js', 16, 'cliMain', ('js/ws/packages/cli/src/main.ts', 'cliMain')),
    ('js/ws/packages/app/index.js', 17, 'commitFn',
     ('js/ws/packages/cli/src/commit/index.ts', 'commitFn')),
    ('js/ws/packages/core/test/own.ts', 2, 'signal', 'none'),
    ('js/ws/packages/core/utils/src/u.ts', 2, 'signal',
     ('js/ws/packages/core/src/core.ts', 'signal')),
    ('gomod/mw/mw.go', 9, 'New', ('gomod/app.go', 'New')),
    ('gomod/mw/mw.go', 10, 'Run', ('gomod/app.go', 'App.Run')),
    ('gomod/mw/mw.go', 11, 'Equal', ('gomod/assert/assert.go', 'Equal')),
    ('gomod/mw/mw_test.go', 9, 'Equal', 'none'),
    ('gomod/mw/wrap.go', 9, 'ServeHTTP', 'none'),
    ('gomod/mw/wrap.go', 10, 'Run', ('gomod/app.go', 'App.Run')),
    ('gomod/mw/wrap.go', 16, 'ServeHTTP', 'none'),
    ('gomod/lit/use.go', 9, 'Build', ('gomod/lit/cfg.go', 'Config.Build')),
    ('gomod/lit/use.go', 10, 'Wrap', ('gomod/lit/cfg.go', 'Err.Wrap')),
    ('gomod/lit/use.go', 11, 'Build', ('gomod/other/o.go', 'Plan.Build')),
    ('gomod/lit/use.go', 12, 'Close', 'none'),
    ('gomod/rtuse/u.go', 11, 'Use', ('gomod/rt/rt.go', 'Mux.Use')),
    ('gomod/rtuse/u.go', 13, 'Decode', None),
    ('pyal/pkg/blueprints.py', 6, '__init__', ('pyal/pkg/sansio/blueprints.py', 'Blueprint.__init__')),
    ('pyal/pkg/sansio/blueprints.py', 6, '__init__', ('pyal/pkg/sansio/scaffold.py', 'Scaffold.__init__')),
    ('pyli/m.py', 3, 'make_app', ('pyli/other.py', 'make_app')),
    ('pyli/m.py', 7, 'make_app', ('pyli/m.py', 'make_app')),
    ('gomod/emb/r.go', 15, 'Read', None),
    ('gomod/emb/r.go', 16, 'Read', None),
    ('gomod/wr/wrap.go', 33, 'Write', ('weak', 'gomod/wr/wrap.go', 'basicWriter.Write', 1)),
    ('gomod/wrex/hello.go', 6, 'Write', ('weak', 'gomod/wr/wrap.go', 'basicWriter.Write', 1)),
    ('gomod/wrex/hello.go', 7, 'ParseForm', 'none'),
    ('gomod/wrin/h.go', 6, 'Write', 'none'),
    ('gomod/grp/grp.go', 28, 'GET', ('gomod/grp/grp.go', 'Group.GET')),
    ('gomod/grp/grp.go', 30, 'Header', 'none'),
    ('gomod/grp/grp.go', 32, 'GET', None),
    ('gomod/grp/grp.go', 40, 'GET', ('gomod/grp/grp.go', 'Group.GET')),
    ('gomod/grp/grp.go', 42, 'Reset', 'none'),
    ('gomod/rng/rng.go', 18, 'Match', ('gomod/rng/rng.go', 'Route.Match')),
    ('gomod/rng/rng.go', 21, 'Match', ('gomod/rng/rng.go', 'Route.Match')),
    ('gomod/rng/rng.go', 24, 'Match', ('gomod/rng/rng.go', 'Route.Match')),
    ('gomod/rng/rng.go', 28, 'Match', ('gomod/rng/rng.go', 'Other.Match')),
    ('gomod/rng/rng.go', 31, 'Match', ('gomod/rng/rng.go', 'Route.Match')),
    ('gomod/rng/rng.go', 34, 'Match', None),
    ('gomod/rng/rng.go', 37, 'Match', ('gomod/rng/rng.go', 'Route.Match')),
    ('gomod/pf/mux.go', 16, 'ServeHTTP', ('weak', 'gomod/pf/mux.go', 'Mux.ServeHTTP', 1)),
    ('gomod/pf/mux.go', 20, 'ServeHTTP', ('weak', 'gomod/pf/mux.go', 'Static.ServeHTTP', 1)),
    ('gomod/pf/mux.go', 24, 'ServeHTTP', 'none'),
    ('gomod/vd/vd.go', 15, 'Add', ('gomod/vd/vd.go', 'Pool.Add')),
    ('gomod/vd/vd.go', 17, 'Add', 'none'),
    ('py/ret/app.py', 27, 'run', ('py/ret/app.py', 'RetApp.run')),
    ('py/ret/app.py', 29, 'run', ('py/ret/app.py', 'RetApp.run')),
    ('py/ret/app.py', 31, 'run', None),
    ('py/ret/app.py', 33, 'run', None),
    ('py/ret/own.py', 12, 'start', ('py/ret/own.py', 'OwnApp.start')),
    ('gomod/wr/rec.go', 18, 'Header', 'none'),
    ('gomod/wrex/flush.go', 6, 'Flush', 'none'),
    ('gomod/gv/use.go', 4, 'Wrap', ('gomod/gv/vars.go', 'GErr.Wrap')),
    ('gomod/gv/use.go', 5, 'Wrap', ('gomod/gv/vars.go', 'GErr.Wrap')),
    ('gomod/gv/use.go', 6, 'Get', ('gomod/gv/vars.go', 'GPool.Get')),
    ('gomod/gv/use.go', 7, 'Get', ('gomod/gv/vars.go', 'GPool.Get')),
    ('gomod/gv/use.go', 8, 'Get', 'none'),
    ('gomod/gv/use.go', 9, 'Build', ('gomod/gv/vars.go', 'GConf.Build')),
    ('gomod/gv/use.go', 10, 'Wrap', ('gomod/gv/vars.go', 'GErr.Wrap')),
    ('gomod/gv/use.go', 14, 'Get', ('gomod/gv/vars.go', 'GPool.Get')),
    ('gomod/gvuse/use.go', 6, 'Wrap', ('gomod/gv/vars.go', 'GErr.Wrap')),
    ('gomod/gvuse/use.go', 7, 'Get', ('gomod/gv/vars.go', 'GPool.Get')),
    ('pyre/ex/views.py', 6, 'url_for', ('pyre/pkg/helpers.py', 'url_for')),
    ('pyre/ex/views.py', 7, 'other', 'none'),
    ('py/ctor/dup.py', 7, 'K', ('py/ctor/base.py', 'Base.__init__')),
    ('py/ctor/use.py', 9, 'Child', ('py/ctor/base.py', 'Base.__init__')),
    ('py/ctor/use.py', 10, 'c', ('py/ctor/base.py', 'Base.__call__')),
    ('py/ctor/use.py', 11, 'Ext', 'none'),
    ('py/ctor/use.py', 12, 'f', 'none'),
    ('py/ctor/use.py', 14, 'b', ('py/ctor/base.py', 'Base.__call__')),
    ('py/ctor/fact.py', 6, 'make', ('weak', 'py/ctor/base.py', 'Base.__init__', 1)),
    ('pyvar/pkg/cli.py', 4, 'ensure', ('pyvar/pkg/app.py', 'App.ensure')),
    ('pyvar/pkg/cli.py', 8, 'run', ('pyvar/pkg/app.py', 'App.run')),
    ('pyvar/use/views.py', 9, 'ensure', ('pyvar/pkg/app.py', 'App.ensure')),
    ('pyvar/use/views.py', 10, 'unwrap', 'none'),
    ('pyvar/use/views.py', 11, 'pop', ('pyvar/pkg/ctx.py', '_Globals.pop')),
    ('pyvar/use/views.py', 12, 'pop', ('pyvar/pkg/ctx.py', '_Globals.pop')),
    ('pyvar/use/views.py', 13, 'get', 'none'),
    ('pyvar/use/views.py', 14, 'main', ('pyvar/pkg/cli.py', 'main')),
    ('pyvar/use/views.py', 15, 'missing', 'none'),
    ('pyvar/use/views.py', 16, 'run', ('pyvar/pkg/app.py', 'App.run')),
    ('pyvar/use/local.py', 7, 'ensure', None),
    ('pyfx/tests/test_a.py', 2, 'run', ('pyfx/fxpkg/app.py', 'FxApp.run')),
    ('pyfx/tests/test_a.py', 3, 'invoke', 'none'),
    ('pyfx/tests/test_a.py', 4, 'run', None),
    ('pyfx/tests/conftest.py', 23, 'ensure', ('pyfx/fxpkg/app.py', 'FxApp.ensure')),
    ('pyfx/tests/sub/test_b.py', 11, 'run', ('pyfx/fxpkg/other.py', 'FxOther.run')),
    ('pyfx/elsewhere/test_c.py', 2, 'run', None),
    ('pyfx/tests/test_d.py', 11, 'run', ('pyfx/fxpkg/other.py', 'FxOther.run')),
    ('pyfy/tests/test_y.py', 2, 'run', ('pyfy/ypkg/app.py', 'YApp.run')),
    ('pyfy/tests/test_y.py', 3, 'send', ('pyfy/ypkg/app.py', 'YClient.send')),
    ('pyfy/tests/test_y.py', 4, 'send', ('pyfy/ypkg/app.py', 'YClient.send')),
    ('pyfy/tests/test_y.py', 5, 'invoke', 'none'),
    ('pyfy/tests/test_y.py', 6, 'run', None),
]


# cg32 (resolver 48): a Java simple type name is the class Java's scoping picks - the file's
# own, a single-type import, the same package (src/main/java and src/test/java alike), an
# on-demand import - also for the members that class inherits (commons-cli's
# help.HelpFormatterTest: `HelpFormatter formatter` is help.HelpFormatter, whose printHelp is
# AbstractHelpFormatter's, not the other package's deprecated cli.HelpFormatter)
FILES['java/src/main/java/org/cg32/Fmt.java'] = (
    'package org.cg32;\n'                                               # 1
    'public class Fmt {\n'                                              # 2
    '  public void printHelp(String s) {}\n'                            # 3
    '  public void only() {}\n'                                         # 4
    '}\n')
FILES['java/src/main/java/org/cg32/help/Base.java'] = (
    'package org.cg32.help;\n'                                          # 1
    'public abstract class Base {\n'                                    # 2
    '  public void printHelp(String s) {}\n'                            # 3
    '}\n')
FILES['java/src/main/java/org/cg32/help/Fmt.java'] = (
    'package org.cg32.help;\n'                                          # 1
    'public class Fmt extends Base {\n'                                 # 2
    '  public void own() {}\n'                                          # 3
    '}\n')
FILES['java/src/test/java/org/cg32/help/FmtTest.java'] = (
    'package org.cg32.help;\n'                                          # 1
    'import org.cg32.Other;\n'                                          # 2
    'public class FmtTest {\n'                                          # 3
    '  void a() {\n'                                                    # 4
    '    Fmt f = new Fmt();\n'                                          # 5
    '    f.printHelp("x");\n'                                           # 6 help.Base's
    '    f.own();\n'                                                    # 7 help.Fmt's
    '  }\n'                                                             # 8
    '  void b(Fmt g) {\n'                                               # 9
    '    g.printHelp("y");\n'                                           # 10 help.Base's
    '  }\n'                                                             # 11
    '}\n')
FILES['java/src/test/java/org/cg32/help/ImportTest.java'] = (
    'package org.cg32.help;\n'                                          # 1
    'import org.cg32.Fmt;\n'                                            # 2
    'public class ImportTest {\n'                                       # 3
    '  void a(Fmt f) {\n'                                               # 4
    '    f.printHelp("x");\n'                                           # 5 org.cg32.Fmt's
    '  }\n'                                                             # 6
    '}\n')
FILES['java/src/test/java/org/cg32/help/DemandTest.java'] = (
    'package org.cg32.help;\n'                                          # 1
    'import org.cg32.*;\n'                                              # 2
    'public class DemandTest {\n'                                       # 3
    '  void a(Fmt f) {\n'                                               # 4
    '    f.printHelp("x");\n'                                           # 5 help.Base's
    '  }\n'                                                             # 6
    '}\n')
FILES['java/src/main/java/org/cg32/app/App.java'] = (
    'package org.cg32.app;\n'                                           # 1
    'import org.cg32.*;\n'                                              # 2
    'public class App {\n'                                              # 3
    '  void a(Fmt f) {\n'                                               # 4
    '    f.printHelp("x");\n'                                           # 5 org.cg32.Fmt's
    '  }\n'                                                             # 6
    '}\n')
# a class deriving from the other package's class of its own name (junit4's
# org.junit.AssumptionViolatedException extends org.junit.internal.AssumptionViolatedException):
# its inherited method is that class's
FILES['java/src/main/java/org/cg32/Avx.java'] = (
    'package org.cg32;\n'                                               # 1
    'public class Avx {\n'                                              # 2
    '  public String msg() { return ""; }\n'                            # 3
    '}\n')
FILES['java/src/main/java/org/cg32/help/Avx.java'] = (
    'package org.cg32.help;\n'                                          # 1
    'public class Avx extends org.cg32.Avx {\n'                         # 2
    '}\n')
FILES['java/src/test/java/org/cg32/help/AvxTest.java'] = (
    'package org.cg32.help;\n'                                          # 1
    'public class AvxTest {\n'                                          # 2
    '  void a(Avx v) {\n'                                               # 3
    '    v.msg();\n'                                                    # 4 org.cg32.Avx's, inherited
    '  }\n'                                                             # 5
    '}\n')
EXPECT += [
    ('java/src/test/java/org/cg32/help/FmtTest.java', 6, 'printHelp', ('java/src/main/java/org/cg32/help/Base.java', 'Base.printHelp')),
    ('java/src/test/java/org/cg32/help/FmtTest.java', 7, 'own', ('java/src/main/java/org/cg32/help/Fmt.java', 'Fmt.own')),
    ('java/src/test/java/org/cg32/help/FmtTest.java', 10, 'printHelp', ('java/src/main/java/org/cg32/help/Base.java', 'Base.printHelp')),
    ('java/src/test/java/org/cg32/help/ImportTest.java', 5, 'printHelp', ('java/src/main/java/org/cg32/Fmt.java', 'Fmt.printHelp')),
    ('java/src/test/java/org/cg32/help/DemandTest.java', 5, 'printHelp', ('java/src/main/java/org/cg32/help/Base.java', 'Base.printHelp')),
    ('java/src/main/java/org/cg32/app/App.java', 5, 'printHelp', ('java/src/main/java/org/cg32/Fmt.java', 'Fmt.printHelp')),
    ('java/src/test/java/org/cg32/help/AvxTest.java', 4, 'msg', ('java/src/main/java/org/cg32/Avx.java', 'Avx.msg')),
]


# cg35 (resolver 52): Rust values of the language's or a library's types get no name-only
# edge - a slice/array/tuple declared type (`src: &[u8]`), a parenthesized range, the value of a
# method declared to return an Option/Result when not unwrapped (`it.nth(n).map(..)`), a type the
# repository only writes impl blocks for (`impl From<W> for Bytes`: `self.b.hash()`); a `let`
# whose value holds the call is not the receiver's binding (`let src = f(src.len())`). Not
# over-reaching: a repository type's method through `.unwrap()`, the repository's own impl of a
# foreign type (`Bytes::from(..)`), a parenthesized non-range receiver, a blanket impl's `T`.
FILES['rs35/src/lib.rs'] = (
    'pub mod h;\n'                                                       # 1
    'pub struct Map { n: usize }\n'                                      # 2
    'impl Map {\n'                                                       # 3
    '    pub fn len(&self) -> usize { self.n }\n'                        # 4
    '    pub fn map(self) -> Map { self }\n'                             # 5
    '    pub fn nth(&self, n: usize) -> Option<Map> { None }\n'          # 6
    '    pub fn is_empty(&self) -> bool { true }\n'                      # 7
    '}\n'                                                                # 8
    'pub fn parse(src: &[u8], m: &Map, p: (u8, u8)) -> usize {\n'        # 9
    '    if src.len() != 3 { return 0; }\n'                              # 10 slice: none
    '    let t = (0..3).map(|x| x + 1);\n'                               # 11 Range: none
    '    let a = m.nth(1).map(|v| v);\n'                                 # 12 Option: none
    '    let b = m.nth(1).unwrap().len();\n'                             # 13 Map::len
    '    let c = (m).is_empty();\n'                                      # 14 not a range: a guess
    '    m.len()\n'                                                      # 15 Map::len
    '}\n')                                                               # 16
FILES['rs35/src/h.rs'] = (
    'use bytes::Bytes;\n'                                                # 1
    'use crate::Map;\n'                                                  # 2
    'pub struct W { b: Bytes }\n'                                        # 3
    'impl From<W> for Bytes {\n'                                         # 4
    '    fn from(w: W) -> Bytes { w.b }\n'                               # 5
    '}\n'                                                                # 6
    'pub struct V;\n'                                                    # 7
    'impl V {\n'                                                         # 8
    '    pub fn hash(&self) -> u8 { 0 }\n'                               # 9
    '}\n'                                                                # 10
    'impl W {\n'                                                         # 11
    '    pub fn f(&self) -> u8 {\n'                                      # 12
    '        let x = Bytes::from(W { b: self.b.clone() });\n'            # 13 the repository's impl
    '        self.b.hash()\n'                                            # 14 Bytes': none
    '    }\n'                                                            # 15
    '}\n'                                                                # 16
    'pub fn shadow(src: &Map) -> usize {\n'                              # 17
    '    let src = src.len();\n'                                         # 18 the parameter's Map::len
    '    src\n'                                                          # 19
    '}\n')                                                               # 20
EXPECT += [
    ('rs35/src/lib.rs', 10, 'len', 'none'),
    ('rs35/src/lib.rs', 11, 'map', 'none'),
    ('rs35/src/lib.rs', 12, 'map', 'none'),
    ('rs35/src/lib.rs', 13, 'len', ('rs35/src/lib.rs', 'Map::len')),
    ('rs35/src/lib.rs', 14, 'is_empty', ('weak', 'rs35/src/lib.rs', 'Map::is_empty')),
    ('rs35/src/lib.rs', 15, 'len', ('rs35/src/lib.rs', 'Map::len')),
    ('rs35/src/h.rs', 13, 'from', ('rs35/src/h.rs', 'Bytes::from')),
    ('rs35/src/h.rs', 14, 'hash', 'none'),
    ('rs35/src/h.rs', 18, 'len', ('rs35/src/lib.rs', 'Map::len')),
]


# cg35 (resolver 52): JS/TS renaming imports and re-exports are followed to the function they
# name (yup: `import { string } from '../src'` of index.ts's `export { stringCreate as string }` of
# `import { create as stringCreate } from './string'`; `export { create as number } from`;
# `import { create as mk }`), and the value of such a call types a chain or a local (`string()
# .email()`: what `create` returns, `return new StringSchema()`). A TS method declared `: any`
# types nothing (a guess stays). Not over-reaching: a library's renamed import, a name the
# barrel does not export, `export *` as before.
FILES['ts35/src/schema.ts'] = (
    'export default class Schema {\n'                                   # 1
    '  nullable(): any { return this; }\n'                              # 2
    '  isType(v: any) { return true; }\n'                               # 3
    '}\n')                                                              # 4
FILES['ts35/src/string.ts'] = (
    "import Schema from './schema';\n"                                  # 1
    'function create(): StringSchema;\n'                                # 2
    'function create() {\n'                                             # 3
    '  return new StringSchema();\n'                                    # 4
    '}\n'                                                               # 5
    'export { create };\n'                                              # 6
    'export default class StringSchema extends Schema {\n'              # 7
    '  email() { return this; }\n'                                      # 8
    '  required() { return this; }\n'                                   # 9
    '}\n')                                                              # 10
FILES['ts35/src/number.ts'] = (
    'export function create(): NumberSchema { return new NumberSchema(); }\n'  # 1
    'export class NumberSchema { min(n: number) { return this; } }\n')         # 2
FILES['ts35/src/date.ts'] = 'export function make() { return 1; }\n'
FILES['ts35/src/index.ts'] = (
    "import StringSchema, { create as stringCreate } from './string';\n"  # 1
    "export { create as number } from './number';\n"                    # 2
    "export * from './date';\n"                                         # 3
    'export {\n'                                                        # 4
    '  stringCreate as string,\n'                                       # 5
    '  StringSchema,\n'                                                 # 6
    '};\n')                                                             # 7
FILES['ts35/test/s.test.ts'] = (
    "import { string, number, make, other } from '../src';\n"           # 1
    "import { create as mk } from '../src/number';\n"                   # 2
    "import { parse as lp } from 'somelib';\n"                          # 3
    'export function run() {\n'                                         # 4
    '  let schema = string();\n'                                        # 5 string.ts create
    '  string().email();\n'                                             # 6 StringSchema.email
    '  number().min(1);\n'                                              # 7 NumberSchema.min
    '  mk();\n'                                                         # 8 number.ts create
    '  make();\n'                                                       # 9 export *: date.ts make
    '  schema.required();\n'                                            # 10 StringSchema.required
    '  schema.nullable().isType(1);\n'                                  # 11 `: any`: a guess
    '  lp();\n'                                                         # 12 a library's: none
    '  other();\n'                                                      # 13 not exported: none
    '}\n')                                                              # 14
EXPECT += [
    ('ts35/test/s.test.ts', 5, 'string', ('ts35/src/string.ts', 'create')),
    ('ts35/test/s.test.ts', 6, 'email', ('ts35/src/string.ts', 'StringSchema.email')),
    ('ts35/test/s.test.ts', 7, 'number', ('ts35/src/number.ts', 'create')),
    ('ts35/test/s.test.ts', 7, 'min', ('ts35/src/number.ts', 'NumberSchema.min')),
    ('ts35/test/s.test.ts', 8, 'mk', ('ts35/src/number.ts', 'create')),
    ('ts35/test/s.test.ts', 9, 'make', ('ts35/src/date.ts', 'make')),
    ('ts35/test/s.test.ts', 10, 'required', ('ts35/src/string.ts', 'StringSchema.required')),
    ('ts35/test/s.test.ts', 11, 'isType', ('weak', 'ts35/src/schema.ts', 'Schema.isType')),
    ('ts35/test/s.test.ts', 12, 'lp', 'none'),
    ('ts35/test/s.test.ts', 13, 'other', 'none'),
]


# cg36 (resolver 53): a JS/TS namespace's member through a barrel (commander.js: `import * as
# commander from '../index.js'`, index.js `import { Command } from './lib/command.js'; export {
# Command }`): `new commander.Command()` reaches lib/command.js's class as a bare imported name
# does, and the local made from it types its calls (CommonJS too: `const commander =
# require('../')`, the module's exports); `export * as ns from './m'` in a barrel
# (`import { ns } from './barrel'; ns.f()`). Not over-reaching: a default import's member (`x.f()`
# of `import x from`) does not follow the module's re-exports; a name the barrel does not
# export gets nothing.
FILES['js36/lib/command.js'] = (
    'export class Command {\n'                                          # 1
    '  constructor(name) { this.name = name; }\n'                       # 2
    '  opts() { return {}; }\n'                                         # 3
    '}\n')                                                              # 4
FILES['js36/lib/util.js'] = 'export function helper() { return 1; }\n'
FILES['js36/index.js'] = (
    "import { Command } from './lib/command.js';\n"                    # 1
    "export * as util from './lib/util.js';\n"                         # 2
    'export const program = 1;\n'                                      # 3
    'export { Command };\n'                                             # 4
    'export default { make: () => 1 };\n')                              # 5
FILES['js36/tests/r.test.cjs'] = (
    "const commander = require('../');\n"                              # 1
    'function run() {\n'                                                # 2
    '  const program = new commander.Command();\n'                      # 3 command.js constructor
    '}\n')                                                              # 4
FILES['js36/tests/t.test.js'] = (
    "import * as commander from '../index.js';\n"                      # 1
    "import { util } from '../index.js';\n"                            # 2
    "import dflt from '../index.js';\n"                                # 3
    'export function run() {\n'                                         # 4
    '  const program = new commander.Command();\n'                      # 5 command.js constructor
    '  program.opts();\n'                                               # 6 Command.opts
    '  util.helper();\n'                                                # 7 util.js helper
    '  dflt.helper();\n'                                                # 8 a default import: none
    '  commander.nothing();\n'                                          # 9 not exported: none
    '}\n')                                                              # 10
EXPECT += [
    ('js36/tests/t.test.js', 5, 'Command', ('js36/lib/command.js', 'Command.constructor')),
    ('js36/tests/t.test.js', 6, 'opts', ('js36/lib/command.js', 'Command.opts')),
    ('js36/tests/t.test.js', 7, 'helper', ('js36/lib/util.js', 'helper')),
    ('js36/tests/t.test.js', 8, 'helper', None),
    ('js36/tests/t.test.js', 9, 'nothing', 'none'),
    ('js36/tests/r.test.cjs', 3, 'Command', ('js36/lib/command.js', 'Command.constructor')),
]

# cg36 (resolver 53): C++ (FTXUI) - a class declared with an export macro taking arguments
# (`struct FTXUI_EXPORT(COMPONENT) Event {`) is a class, its inline members its methods; a
# capitalised call's value is what the function declares it returns (`auto c = Focusable()`,
# `auto s = App::TerminalOutput()`, `auto v = Container::Vertical(..)` of a namespace), through
# an alias of a smart pointer (`using Component = std::shared_ptr<ComponentBase>`). Not
# over-reaching: `auto w = Widget(3)` of a class stays the class; a smart pointer's own
# `c.reset()` gets no pointee edge; `std::to_string` none.
FILES['cpp36/export.hpp'] = '#define LIB_EXPORT(c)\n'
FILES['cpp36/comp.hpp'] = (
    '#include "export.hpp"\n'                                           # 1
    '#include <memory>\n'                                               # 2
    'namespace ui {\n'                                                  # 3
    'struct LIB_EXPORT(COMPONENT) Event {\n'                            # 4
    '  bool is_mouse() const { return m_; }\n'                          # 5
    '  bool m_ = false;\n'                                              # 6
    '};\n'                                                              # 7
    'class LIB_EXPORT(COMPONENT) ComponentBase {\n'                     # 8
    ' public:\n'                                                        # 9
    '  bool Active() const;\n'                                          # 10
    '  void reset(); virtual void Render();\n'                          # 11
    '};\n'                                                              # 12
    'using Component = std::shared_ptr<ComponentBase>;\n'               # 13
    'Component Focusable();\n'                                          # 14
    'namespace Container {\n'                                           # 15
    'Component Vertical(int n);\n'                                      # 16
    '}\n'                                                               # 17
    'class LIB_EXPORT(COMPONENT) App {\n'                               # 18
    ' public:\n'                                                        # 19
    '  static App Make();\n'                                            # 20
    '  void Loop(Component c);\n'                                       # 21
    '};\n'                                                              # 22
    'class Widget { public: Widget(int n); void Draw(); };\n'           # 23
    '}\n')                                                              # 24
FILES['cpp36/comp.cc'] = (
    '#include "comp.hpp"\n'                                             # 1
    'namespace ui {\n'                                                  # 2
    'bool ComponentBase::Active() const { return true; }\n'             # 3
    'void ComponentBase::reset() {}\n'                                  # 4
    'Component Focusable() { return std::make_shared<ComponentBase>(); }\n'  # 5
    'namespace Container {\n'                                           # 6
    'Component Vertical(int n) { return Focusable(); }\n'               # 7
    '}\n'                                                               # 8
    'App App::Make() { return App(); }\n'                               # 9
    'void App::Loop(Component c) {}\n'                                  # 10
    'Widget::Widget(int n) {}\n'                                        # 11
    'void Widget::Draw() {}\n'                                          # 12
    'void ComponentBase::Render() {}\n'                                 # 13
    '}\n')                                                              # 14
FILES['cpp36/input.cc'] = (
    '#include "comp.hpp"\n'                                             # 1
    'namespace ui {\n'                                                  # 2
    'class InputBase : public ComponentBase {\n'                        # 3
    ' public:\n'                                                        # 4
    '  void Render() override {}\n'                                     # 5
    '};\n'                                                              # 6
    'Component Input() { return std::make_shared<InputBase>(); }\n'     # 7
    '}\n')                                                              # 8
FILES['cpp36/use.cc'] = (
    '#include "comp.hpp"\n'                                             # 1
    '#include <string>\n'                                               # 2
    'using namespace ui;\n'                                             # 3
    'void run(Event event) {\n'                                         # 4
    '  event.is_mouse();\n'                                             # 5 Event::is_mouse
    '  auto c = Focusable();\n'                                         # 6
    '  c->Active();\n'                                                  # 7 ComponentBase::Active
    '  auto v = Container::Vertical(2);\n'                              # 8
    '  v->Active();\n'                                                  # 9 ComponentBase::Active
    '  auto screen = App::Make();\n'                                    # 10
    '  screen.Loop(c);\n'                                               # 11 App::Loop
    '  auto w = Widget(3);\n'                                           # 12
    '  w.Draw();\n'                                                     # 13 Widget::Draw (a class)
    '  c.reset();\n'                                                    # 14 shared_ptr::reset
    '  std::to_string(1);\n'                                            # 15 std's: none
    '  c->Render();\n'                                                  # 16 overridden: none
    '}\n')                                                              # 17
FILES['cpp36/tmpl.cc'] = (
    'namespace ui { struct Grp36 { int count_seps36(int n) const; }; }\n'        # 1
    'int ui::Grp36::count_seps36(int n) const { return n; }\n'                   # 2
    'template <typename Grouping> int use36(int x) {\n'                         # 3
    '  auto grouping = Grouping(x);\n'                                          # 4
    '  return grouping.count_seps36(x);\n'                                      # 5 a template
    '}\n')                                                                      # 6 parameter's
EXPECT += [
    # fmt's `auto grouping = Grouping(loc, ..)`: a template parameter's value, name-only guesses
    ('cpp36/tmpl.cc', 5, 'count_seps36', ('weak', 'cpp36/tmpl.cc', 'Grp36::count_seps36')),
    ('cpp36/use.cc', 5, 'is_mouse', ('cpp36/comp.hpp', 'Event::is_mouse')),
    ('cpp36/use.cc', 7, 'Active', ('cpp36/comp.cc', 'ComponentBase::Active')),
    ('cpp36/use.cc', 9, 'Active', ('cpp36/comp.cc', 'ComponentBase::Active')),
    ('cpp36/use.cc', 11, 'Loop', ('cpp36/comp.cc', 'App::Loop')),
    ('cpp36/use.cc', 13, 'Draw', ('cpp36/comp.cc', 'Widget::Draw')),
    ('cpp36/use.cc', 14, 'reset', 'none'),
    ('cpp36/use.cc', 15, 'to_string', 'none'),
    # a method a class deriving from the pointee overrides: the pointer holds one of those
    # mostly (FTXUI's `input->OnEvent(e)` runs InputBase's), so not the base's alone at 0.9
    ('cpp36/use.cc', 16, 'Render', 'none'),
]

# cg34 (resolver 51): a Java call reaches the overloads that take its arguments - its own
# class's, else a base's (commons-codec's `new Base64().decode(obj)`: BaseNCodec.decode(Object),
# not Base64's own 4-parameter decode); a constructor call the constructors of its arity; a
# varargs method takes any count from its fixed parameters up. C++: a definition with fewer
# parameters than the call's arguments is no candidate (unless variadic); with more it stays
# one (a default argument the definition does not show, declared in the header).
FILES['java/src/org/cg34/Codec.java'] = (
    'package org.cg34;\n'                                               # 1
    'public abstract class Codec {\n'                                   # 2
    '  public Object decode(Object o) { return o; }\n'                  # 3
    '  public byte[] decode(byte[] b) { return b; }\n'                  # 4
    '  abstract void decode(byte[] b, int p, int n, Object ctx);\n'     # 5
    '  public void log(String fmt, Object... args) {}\n'                # 6
    '}\n')
FILES['java/src/org/cg34/B64.java'] = (
    'package org.cg34;\n'                                               # 1
    'public class B64 extends Codec {\n'                                # 2
    '  @Override\n'                                                     # 3
    '  void decode(byte[] b, int p, int n, Object ctx) {}\n'            # 4
    '  public B64() {}\n'                                               # 5
    '  public B64(int n) {}\n'                                          # 6
    '}\n')
FILES['java/src/org/cg34/Use.java'] = (
    'package org.cg34;\n'                                               # 1
    'public class Use {\n'                                              # 2
    '  void a(byte[] data) {\n'                                         # 3
    '    new B64().decode(Integer.valueOf(5));\n'                       # 4 Codec's 1-arg overloads
    '    new B64().decode(data, 0, 1, null);\n'                         # 5 B64's own, alone
    '    B64 b = new B64(3);\n'                                         # 6 B64(int)
    '    b.log("x", 1, 2);\n'                                           # 7 varargs
    '    b.log("x");\n'                                                 # 8 varargs, none passed
    '  }\n'                                                             # 9
    '}\n')
FILES['cpp34/w.h'] = (
    'struct W {\n'                                                      # 1
    '  void g(int a, int b = 0);\n'                                     # 2
    '  void h(int a);\n'                                                # 3
    '  void h(int a, int b, int c = 0);\n'                              # 4
    '  void v(const char *f, ...);\n'                                   # 5
    '};\n')
FILES['cpp34/w.cc'] = (
    '#include "w.h"\n'                                                  # 1
    'void W::g(int a, int b) {}\n'                                      # 2
    'void W::h(int a) {}\n'                                             # 3
    'void W::h(int a, int b, int c) {}\n'                               # 4
    'void W::v(const char *f, ...) {}\n')                               # 5
FILES['cpp34/main.cc'] = (
    '#include "w.h"\n'                                                  # 1
    'void run(W &w) {\n'                                                # 2
    '  w.g(1);\n'                                                       # 3 W::g, a default argument
    '  w.h(1, 2);\n'                                                    # 4 W::h(a, b, c) only
    '  w.v("x", 1, 2, 3);\n'                                            # 5 variadic
    '}\n')


# cg37 (resolver 55): a Rust name bound by a tuple-struct or tuple-variant pattern has the
# field's declared type (the file's `struct Custom(String);` / `enum Repr { Owned(Name) }`):
# a library type's method gets no name-only edge, a repository type's resolves; a `let` whose
# value indexes by a range (`&s[..]`, or an `if` whose branches all do) is a slice. Not
# over-reaching: a variant's field of a type parameter (`Custom(T)`) and an index by a
# non-range (`&v[i]`) keep the guess they had; a field typed through another crate's path
# (`walkdir::DirEntry`) is not the repository's class of that name (`use std::io;`: `io::Error`
# is the library's).
FILES['rs37/src/lib.rs'] = (
    'pub struct Name { n: u8 }\n'                                        # 1
    'impl Name {\n'                                                      # 2
    '    pub fn as_bytes(&self) -> u8 { self.n }\n'                      # 3
    '    pub fn trim(&self) -> bool { true }\n'                          # 4
    '    pub fn lines(&self) -> usize { 0 }\n'                           # 5
    '}\n'                                                                # 6
    'struct Custom(String);\n'                                           # 7
    'struct Own(pub Name);\n'                                            # 8
    'enum Repr<T> { Std(u8), Custom(T), Owned(u8, Name), Text(String) }\n'  # 9
    'pub fn f(r: Repr<Own>, c: Custom, s: String) -> usize {\n'          # 10
    '    match r {\n'                                                    # 11
    '        Repr::Owned(_, ref a) => { a.lines(); }\n'                  # 12 Name::lines
    '        Repr::Text(ref t) => { t.lines(); }\n'                      # 13 String: none
    '        Repr::Custom(Own(ref o)) => { o.trim(); }\n'                # 14 Name::trim
    '        Repr::Std(_) => {}\n'                                       # 15
    '    }\n'                                                            # 16
    '    if let Custom(x) = c { x.as_bytes(); }\n'                       # 17 String: none
    '    let d = &s[..];\n'                                              # 18
    '    let e = if d.trim() { &s[1..] } else { &s[..] };\n'             # 19 d: none
    '    e.lines()\n'                                                    # 20 none
    '}\n'                                                                # 21
    'pub fn g<T>(r: Repr<T>, v: &Vec<u8>, i: usize) -> usize {\n'        # 22
    '    let n = &v[i];\n'                                               # 23
    '    n.lines();\n'                                                   # 24 not a range: a guess
    '    match r {\n'                                                    # 25
    '        Repr::Custom(ref q) => q.lines(),\n'                        # 26 T: a guess
    '        _ => 0,\n'                                                  # 27
    '    }\n'                                                            # 28
    '}\n')                                                               # 29
FILES['rs37/src/q.rs'] = (
    'use std::io;\n'                                                    # 1
    'pub struct Error { k: u8 }\n'                                      # 2
    'impl Error { pub fn kind(&self) -> u8 { self.k } }\n'              # 3
    'pub struct DirEntry;\n'                                            # 4
    'impl DirEntry { pub fn depth(&self) -> u8 { 0 } }\n'               # 5
    'enum Inner { Io(io::Error), Walk(walkdir::DirEntry), Own(crate::q::DirEntry) }\n'  # 6
    'fn f(i: Inner) -> u8 {\n'                                          # 7
    '    match i {\n'                                                   # 8
    '        Inner::Io(ref e) => e.kind(),\n'                           # 9 std's: none
    '        Inner::Walk(ref w) => w.depth(),\n'                        # 10 walkdir's: a guess
    '        Inner::Own(ref o) => o.depth(),\n'                         # 11 DirEntry::depth
    '    }\n'                                                           # 12
    '}\n'                                                               # 13
    'enum E2 { A(Error), B { e: String } }\n'                           # 14
    'fn h(x: E2) -> u8 {\n'                                             # 15
    '    match x {\n'                                                   # 16
    '        E2::A(ref e) => e.kind(),\n'                               # 17 Error::kind
    '        E2::B { ref e } => e.kind(),\n'                            # 18 not A's `e`: a guess
    '    }\n'                                                           # 19
    '}\n')                                                              # 20
EXPECT += [
    ('rs37/src/lib.rs', 12, 'lines', ('rs37/src/lib.rs', 'Name::lines')),
    ('rs37/src/lib.rs', 13, 'lines', 'none'),
    ('rs37/src/lib.rs', 14, 'trim', ('rs37/src/lib.rs', 'Name::trim')),
    ('rs37/src/lib.rs', 17, 'as_bytes', 'none'),
    ('rs37/src/lib.rs', 19, 'trim', 'none'),
    ('rs37/src/lib.rs', 20, 'lines', 'none'),
    ('rs37/src/lib.rs', 24, 'lines', ('weak', 'rs37/src/lib.rs', 'Name::lines')),
    ('rs37/src/lib.rs', 26, 'lines', ('weak', 'rs37/src/lib.rs', 'Name::lines')),
    ('rs37/src/q.rs', 9, 'kind', 'none'),
    ('rs37/src/q.rs', 10, 'depth', ('weak', 'rs37/src/q.rs', 'DirEntry::depth')),
    ('rs37/src/q.rs', 11, 'depth', ('rs37/src/q.rs', 'DirEntry::depth')),
    ('rs37/src/q.rs', 17, 'kind', ('rs37/src/q.rs', 'Error::kind')),
    ('rs37/src/q.rs', 18, 'kind', ('weak', 'rs37/src/q.rs', 'Error::kind')),
]

# cg38 (resolver 57): a method a subclass overrides is reached through a C++ pointer of the
# base class (tinyxml2's `node->ToUnknown()` of an XMLNode* runs XMLUnknown's) and through a
# Java this-call (JSON-java's `this.clone()` in ParserConfiguration runs its subclasses'): the
# base's and the overrides, one tier shared. Not over-reaching: a method no subclass
# overrides stays alone (C++ `n->Kind()`, Java `this.size()`); a derived class's pointer
# reaches its own override alone. C (analysis): a return-type macro alone on the line before
# the function's name (libyaml's `YAML_DECLARE(int)` then `yaml_parser_parse(..)`) keeps the
# definition; an attribute macro before a typed declaration is still blanked.
FILES['cpp38/node.h'] = (
    'class Node38 {\n'                                                  # 1
    ' public:\n'                                                        # 2
    '  virtual Node38* AsLeaf() { return 0; }\n'                        # 3
    '  int Kind() { return 0; }\n'                                      # 4
    '  virtual ~Node38() {}\n'                                          # 5
    '};\n'                                                              # 6
    'class Leaf38 : public Node38 {\n'                                  # 7
    ' public:\n'                                                        # 8
    '  Node38* AsLeaf() override { return this; }\n'                    # 9
    '};\n')                                                             # 10
FILES['cpp38/use.cc'] = (
    '#include "node.h"\n'                                               # 1
    'void run38(Node38* n, Leaf38* l) {\n'                              # 2
    '  n->AsLeaf();\n'                                                  # 3 both
    '  n->Kind();\n'                                                    # 4 Node38's alone
    '  l->AsLeaf();\n'                                                  # 5 Leaf38's alone
    '}\n')                                                              # 6
FILES['java/src/org/cg38/Conf.java'] = (
    'package org.cg38;\n'                                               # 1
    'public class Conf {\n'                                             # 2
    '  protected Conf copy() { return new Conf(); }\n'                  # 3
    '  public Conf with(int n) { Conf c = this.copy(); return c; }\n'   # 4 both
    '  public Conf again() { return copy(); }\n'                        # 5 both
    '  public int size() { return 0; }\n'                               # 6
    '  public int twice() { return this.size() * 2; }\n'                # 7 Conf's alone
    '}\n')                                                              # 8
FILES['java/src/org/cg38/XConf.java'] = (
    'package org.cg38;\n'                                               # 1
    'public class XConf extends Conf {\n'                               # 2
    '  @Override\n'                                                     # 3
    '  protected XConf copy() { return new XConf(); }\n'                # 4
    '}\n')                                                              # 5
FILES['c38/api.h'] = (
    '#define LIB_DECL38(t) t\n'                                              # 1
    '#define NONNULL38(i)\n'                                            # 2
    'LIB_DECL38(int) lib_open38(int x);\n')                                  # 3
FILES['c38/api.c'] = (
    '#include "api.h"\n'                                                # 1
    '\n'                                                                # 2
    'LIB_DECL38(int)\n'                                                      # 3
    'lib_open38(int x)\n'                                               # 4
    '{\n'                                                               # 5
    '    return x;\n'                                                   # 6
    '}\n'                                                               # 7
    '\n'                                                                # 8
    'NONNULL38(1)\n'                                                    # 9
    'int lib_check38(int *p)\n'                                         # 10
    '{\n'                                                               # 11
    '    return *p;\n'                                                  # 12
    '}\n')                                                              # 13
FILES['c38/use.c'] = (
    '#include "api.h"\n'                                                # 1
    'int lib_check38(int *p);\n'                                        # 2
    'int main38(void) {\n'                                              # 3
    '    int v = 1;\n'                                                  # 4
    '    return lib_open38(1) + lib_check38(&v);\n'                     # 5
    '}\n')                                                              # 6
EXPECT += [
    ('c38/use.c', 5, 'lib_open38', ('c38/api.c', 'lib_open38')),
    ('c38/use.c', 5, 'lib_check38', ('c38/api.c', 'lib_check38')),
]


# cg39 (resolver 56): Rust auto-deref and library values through chains. A method that the
# receiver's repository type does not define is looked up on its `impl Deref` Target: a library
# Target (`type Target = str`) makes it a library call (no name-only edge), a repository one
# reaches that type's method; a type alias is its target (`type Result<T> = result::Result<T, E>`
# of std: a library value); a call's value is an Option/Result when every repository method of
# its name declares one (`self.inner.nth(n)`) or it is a non-unwrapping method of one
# (`.as_ref().ok()`), and a method on it is the language's. Not over-reaching: the type's own
# method, a Deref to a generic parameter keeps its guess, an unwrapped chain keeps its guess.
FILES['rs39/src/lib.rs'] = (
    'pub mod b;\n'                                                    # 1
    'use std::ops::Deref;\n'                                          # 2
    'pub struct ByteStr { n: u8 }\n'                                  # 3
    'impl Deref for ByteStr {\n'                                      # 4
    '    type Target = str;\n'                                        # 5
    '    fn deref(&self) -> &str { "" }\n'                            # 6
    '}\n'                                                             # 7
    'impl ByteStr {\n'                                                # 8
    '    pub fn own(&self) -> u8 { self.n }\n'                        # 9
    '}\n'                                                             # 10
    'pub struct Value;\n'                                             # 11
    'impl Value {\n'                                                  # 12
    '    pub fn as_bytes(&self) -> &[u8] { &[] }\n'                   # 13
    '    pub fn shout(&self) -> u8 { 0 }\n'                           # 14
    '    pub fn map(self) -> Value { self }\n'                        # 15
    '    pub fn as_ref(&self) -> &Value { self }\n'                   # 16
    '    pub fn and_then(self) -> Value { self }\n'                   # 17
    '}\n'                                                             # 18
    'pub struct Wrap { v: Value }\n'                                  # 19
    'impl Deref for Wrap {\n'                                         # 20
    '    type Target = Value;\n'                                      # 21
    '    fn deref(&self) -> &Value { &self.v }\n'                     # 22
    '}\n'                                                             # 23
    'pub struct G<T> { t: T }\n'                                      # 24
    'impl<T> Deref for G<T> {\n'                                      # 25
    '    type Target = T;\n'                                          # 26
    '    fn deref(&self) -> &T { &self.t }\n'                         # 27
    '}\n'                                                             # 28
    'pub fn f(a: &ByteStr, w: &Wrap, v: &Value, g: &G<Value>) -> u8 {\n' # 29
    '    let x = a.as_bytes();\n'                                     # 30 str's (Deref to str): none
    '    let y = a.own();\n'                                          # 31 ByteStr::own
    '    let z = w.shout();\n'                                        # 32 Deref to Value: Value::shout
    '    let u = v.as_bytes();\n'                                     # 33 Value::as_bytes
    '    let q = g.shout();\n'                                        # 34 a generic Target: the guess
    '    0\n'                                                         # 35
    '}\n')                                                            # 36
FILES['rs39/src/b.rs'] = (
    'use std::result;\n'                                              # 1
    'use crate::Value;\n'                                             # 2
    'pub type Result<T> = result::Result<T, u8>;\n'                   # 3
    'pub type V2 = Value;\n'                                          # 4
    'pub struct Parts { n: u8 }\n'                                    # 5
    'pub struct Builder { inner: Result<Parts> }\n'                   # 6
    "pub struct Keys { inner: std::slice::Iter<'static, u8> }\n"      # 7
    'impl Keys {\n'                                                   # 8
    '    pub fn nth(&mut self, n: usize) -> Option<u8> {\n'           # 9
    '        self.inner.nth(n).map(|b| *b)\n'                         # 10 nth's value an Option: map none
    '    }\n'                                                         # 11
    '}\n'                                                             # 12
    'impl Builder {\n'                                                # 13
    '    pub fn get(&self) -> Option<u8> {\n'                         # 14
    '        self.inner.as_ref().ok().map(|p| p.n)\n'                 # 15 std's Result: as_ref, map none
    '    }\n'                                                         # 16
    '    pub fn and(self) -> Builder {\n'                             # 17
    '        Builder { inner: self.inner.and_then(|p| Ok(p)) }\n'     # 18 Result::and_then: none
    '    }\n'                                                         # 19
    '}\n'                                                             # 20
    'pub fn use_alias(v: &V2, o: Option<Value>) -> u8 {\n'            # 21
    '    v.shout();\n'                                                # 22 alias of Value: Value::shout
    '    o.as_ref().unwrap().shout()\n'                               # 23 unwrapped: the guess stays
    '}\n')                                                            # 24
EXPECT += [
    ('rs39/src/lib.rs', 30, 'as_bytes', 'none'),
    ('rs39/src/lib.rs', 31, 'own', ('rs39/src/lib.rs', 'ByteStr::own')),
    ('rs39/src/lib.rs', 32, 'shout', ('rs39/src/lib.rs', 'Value::shout')),
    ('rs39/src/lib.rs', 33, 'as_bytes', ('rs39/src/lib.rs', 'Value::as_bytes')),
    ('rs39/src/lib.rs', 34, 'shout', ('weak', 'rs39/src/lib.rs', 'Value::shout')),
    ('rs39/src/b.rs', 10, 'map', 'none'),
    ('rs39/src/b.rs', 15, 'as_ref', 'none'),
    ('rs39/src/b.rs', 15, 'map', 'none'),
    ('rs39/src/b.rs', 18, 'and_then', 'none'),
    ('rs39/src/b.rs', 22, 'shout', ('rs39/src/lib.rs', 'Value::shout')),
    ('rs39/src/b.rs', 23, 'shout', ('weak', 'rs39/src/lib.rs', 'Value::shout')),
]


# cg39 (resolver 56): a C++ `T()` with no argument of a class whose default constructor has no
# definition the index holds (`T() = default;`, none declared) constructs the class: the class,
# not constructors that need arguments (FTXUI's `Color()`) nor nothing (a struct). Not
# over-reaching: a defined `T::T() {}` keeps its edge, a call with arguments keeps the
# constructors, the class's value types a chain.
FILES['cpp39/color.hpp'] = (
    'class Color {\n'                                                 # 1
    ' public:\n'                                                      # 2
    '  Color();\n'                                                    # 3
    '  Color(int index);\n'                                           # 4
    '  Color(int r, int g, int b);\n'                                 # 5
    '  int Print() const;\n'                                          # 6
    '};\n'                                                            # 7
    'struct Config {\n'                                               # 8
    '  int gap = 0;\n'                                                # 9
    '};\n'                                                            # 10
    'class Own {\n'                                                   # 11
    ' public:\n'                                                      # 12
    '  Own();\n'                                                      # 13
    '};\n'                                                            # 14
    'enum Kind { kA, kB };\n')                                        # 15
FILES['cpp39/color.cpp'] = (
    '#include "color.hpp"\n'                                          # 1
    'Color::Color() = default;\n'                                     # 2
    'Color::Color(int index) : Color() {}\n'                          # 3
    'Color::Color(int r, int g, int b) {}\n'                          # 4
    'int Color::Print() const { return 0; }\n'                        # 5
    'Own::Own() {}\n')                                                # 6
FILES['cpp39/use.cpp'] = (
    '#include "color.hpp"\n'                                          # 1
    'int main() {\n'                                                  # 2
    '  Color c = Color();\n'                                          # 3 `= default`: the class Color
    '  Config k = Config();\n'                                        # 4 no constructor: the struct
    '  Own o = Own();\n'                                              # 5 a defined Own::Own(): kept
    '  Color d = Color(3);\n'                                         # 6 an argument: the constructors
    '  return Color().Print();\n'                                     # 7 the class types the chain: Color::Print
    '}\n')                                                            # 8
EXPECT += [
    ('cpp39/use.cpp', 3, 'Color', ('cpp39/color.hpp', 'Color')),
    ('cpp39/use.cpp', 4, 'Config', ('cpp39/color.hpp', 'Config')),
    ('cpp39/use.cpp', 5, 'Own', ('cpp39/color.cpp', 'Own::Own')),
    ('cpp39/use.cpp', 6, 'Color', ('weak', 'cpp39/color.cpp', 'Color::Color')),
    ('cpp39/use.cpp', 7, 'Print', ('cpp39/color.cpp', 'Color::Print')),
]

# cg41 (resolver 59): a Rust path that starts with the package's own crate name (Cargo.toml's
# [package] name with '-' as '_', or [lib] name) names the crate root (src/lib.rs, or [lib]
# path) from the package's tests, benches and examples - written out (`itertools::f(..)`) or
# renamed by a `use` (`use itertools as it; it::f(..)`, itertools' tests), as `crate::` names
# it inside the library. Not over-reaching: another crate's path (`other41::f`) gets no edge,
# a package's name is not read by a file outside that package, and a parameter named as the
# crate's alias (`it.frob41()`) keeps the method main gives it. A type a `use` names
# (`use crate::free::Thing41; Thing41::make41()`, bat's `HighlightingAssets::from_binary()`) is
# no path into its module: that module's free function of the name is no candidate (it was,
# beside the type's, on main). A macro's invocation (`chain41!()`) calls no function.
FILES['rs41/Cargo.toml'] = (
    '[package]\n'
    'name = "iter-tools41"\n'
    'version = "0.1.0"\n'
    '\n'
    '[dependencies]\n'
    'other41 = "1"\n')
FILES['rs41/src/lib.rs'] = (
    'pub mod free;\n'                                                   # 1
    'pub fn assert_equal41(a: u32, b: u32) -> bool { a == b }\n'        # 2
    'pub trait Tools41 {\n'                                             # 3
    '    fn frob41(&self) -> u32 { 1 }\n'                               # 4
    '}\n')                                                              # 5
FILES['rs41/src/free.rs'] = (
    'pub fn chain41() -> u32 { 1 }\n'                                   # 1
    'pub struct Thing41;\n'                                             # 2
    'impl Thing41 {\n'                                                  # 3
    '    pub fn make41() -> Thing41 { Thing41 }\n'                      # 4
    '}\n'                                                               # 5
    'pub fn make41() -> u32 { 2 }\n'                                    # 6
    'pub fn use41() { chain41!(); }\n')                                 # 7 a macro: none
FILES['rs41/src/build.rs'] = (
    'use crate::free::Thing41;\n'                                       # 1
    'pub fn build41() -> Thing41 {\n'                                   # 2
    '    Thing41::make41()\n'                                           # 3 Thing41's, not free.rs's make41
    '}\n')                                                              # 4
FILES['rs41/tests/t.rs'] = (
    'use iter_tools41 as it;\n'                                         # 1
    'use iter_tools41::free::chain41;\n'                                # 2
    'fn t41() {\n'                                                      # 3
    '    it::assert_equal41(1, 2);\n'                                   # 4 lib.rs's
    '    iter_tools41::assert_equal41(1, 2);\n'                         # 5 lib.rs's
    '    chain41();\n'                                                  # 6 free.rs's
    '    it::free::chain41();\n'                                        # 7 free.rs's
    '    other41::assert_equal41(1, 2); iter_tools41::chain41!();\n'    # 8 another crate; a macro: none
    '}\n'                                                               # 9
    'fn u41<T: iter_tools41::Tools41>(it: T) {\n'                        # 10
    '    it.frob41();\n'                                                # 11 the parameter, no crate
    '}\n')                                                              # 12
FILES['rs41b/src/main.rs'] = (
    'fn main() {\n'                                                     # 1
    '    iter_tools41::assert_equal41(1, 2);\n'                         # 2 not this package's: none
    '}\n')                                                              # 3
EXPECT += [
    ('rs41/tests/t.rs', 4, 'assert_equal41', ('rs41/src/lib.rs', 'assert_equal41')),
    ('rs41/tests/t.rs', 5, 'assert_equal41', ('rs41/src/lib.rs', 'assert_equal41')),
    ('rs41/tests/t.rs', 6, 'chain41', ('rs41/src/free.rs', 'chain41')),
    ('rs41/tests/t.rs', 7, 'chain41', ('rs41/src/free.rs', 'chain41')),
    ('rs41/tests/t.rs', 8, 'assert_equal41', 'none'),
    ('rs41/tests/t.rs', 8, 'chain41', 'none'),
    ('rs41/src/free.rs', 7, 'chain41', 'none'),
    ('rs41/src/build.rs', 3, 'make41', ('rs41/src/free.rs', 'Thing41::make41')),
    ('rs41/tests/t.rs', 11, 'frob41', ('rs41/src/lib.rs', 'Tools41::frob41')),
    ('rs41b/src/main.rs', 2, 'assert_equal41', 'none'),
]


# cg41: a TypeScript namespace's functions are its members (neverthrow's `export namespace
# Result { export function combine(..) }`, called `Result.combine(..)` with Result imported
# through the package's index.ts), reached as a class's static methods; a type of the same name beside it (`export type Result = ..`) changes nothing.
# A module-level const bound to a class's static method of its name (neverthrow's `export
# const fromSafePromise = ResultAsync.fromSafePromise`, imported through the barrel) calls that
# method, and its value has the method's declared type. Not over-reaching: a bare call of an
# imported top-level function of that name reaches that function alone, not the namespace's;
# a static method no const binds (`make41()`) gets no edge.
FILES['ts41/result.ts'] = (
    'export type Res41 = { ok: boolean }\n'                             # 1
    'export namespace Res41 {\n'                                         # 2
    '  export function combine41(xs: number[]): number {\n'             # 3
    '    return xs.length\n'                                            # 4
    '  }\n'                                                             # 5
    '}\n')                                                              # 6
FILES['ts41/other.ts'] = 'export function combine41(x: number): number {\n  return x\n}\n'
FILES['ts41/async.ts'] = (
    'export class Async41 {\n'                                           # 1
    '  static from41(x: number): Async41 {\n'                           # 2
    '    return new Async41()\n'                                        # 3
    '  }\n'                                                             # 4
    '  map41(): number {\n'                                             # 5
    '    return 1\n'                                                    # 6
    '  }\n'                                                             # 7
    '  static make41(): Async41 {\n'                                    # 8
    '    return new Async41()\n'                                        # 9
    '  }\n'                                                             # 10
    '}\n'                                                               # 11
    'export const from41 = Async41.from41\n')                           # 12
FILES['ts41/index.ts'] = "export { Res41 } from './result'\nexport { from41 } from './async'\n"
FILES['ts41/use.ts'] = (
    "import { Res41 } from './index'\n"                                 # 1 through a barrel
    "import { combine41 } from './other'\n"                             # 2
    'Res41.combine41([1])\n'                                            # 3 the namespace's
    'combine41(2)\n')                                                   # 4 other.ts's alone
FILES['ts41/use2.ts'] = (
    "import { from41, make41 } from './index'\n"                        # 1
    'export function run41() {\n'                                       # 2
    '  from41(1).map41()\n'                                             # 3 the static method; its value's
    '  make41()\n'                                                      # 4 no alias: none
    '}\n')                                                              # 5
EXPECT += [
    ('ts41/use.ts', 3, 'combine41', ('ts41/result.ts', 'Res41.combine41')),
    ('ts41/use.ts', 4, 'combine41', ('ts41/other.ts', 'combine41')),
    ('ts41/use2.ts', 3, 'from41', ('ts41/async.ts', 'Async41.from41')),
    ('ts41/use2.ts', 3, 'map41', ('ts41/async.ts', 'Async41.map41')),
    ('ts41/use2.ts', 4, 'make41', 'none'),
]


# Rust (resolver 58, cg40; itertools' wrong weak edges): an array literal, `vec![..]`, a
# turbofish `collect::<Vec<_>>()` and a tuple pattern parameter's element are the language's;
# `self.0` of a tuple struct has the field's type (a type parameter: its bound); a chain rooted at
# a value generic over library-bounded type parameters only (`HashMap::<K, Vec<V>, S>::..`) gives
# library values, reaching only blanket-implemented traits; a repository trait's default method
# on a library type (`impl Pool for Vec<usize>`) is weak. Not over-reaching: a Vec of the
# repository's values indexed or looped keeps its guess, a type parameter bounded by a repository
# trait keeps its edges, a HashMap of repository values keeps its guess.
FILES['rs40/src/lib.rs'] = (
    'use std::collections::HashMap;\n'                                # 1
    'pub struct View { v: u8 }\n'                                     # 2
    'impl View {\n'                                                   # 3
    '    pub fn iter(&self) -> u8 { self.v }\n'                       # 4
    '    pub fn or_default(self) -> u8 { 0 }\n'                       # 5
    '    pub fn dup(&self) -> u8 { 0 }\n'                             # 6
    '}\n'                                                             # 7
    'pub trait Tr { fn tm(&self) -> u8; }\n'                          # 8
    'impl Tr for View { fn tm(&self) -> u8 { 1 } }\n'                 # 9
    'pub fn f(xs: u8, (k, vals): &(usize, &Vec<usize>)) {\n'          # 10
    '    let a = [1, 2, 3];\n'                                        # 11
    '    a.iter();\n'                                                 # 12 array literal: none
    '    let b = vec![1, 2];\n'                                       # 13
    '    b.iter();\n'                                                 # 14 vec!: none
    '    let d = (0..4).collect::<Vec<_>>();\n'                       # 15
    '    d.iter();\n'                                                 # 16 turbofish Vec: none
    '    vals.iter();\n'                                              # 17 tuple pattern param: none
    '    let e = [View { v: 1 }];\n'                                  # 18
    '    e[0].iter();\n'                                              # 19 a Vec of View, indexed: the guess kept
    '    for x in e { x.iter(); }\n'                                  # 20 a loop over it: the guess kept
    '}\n'                                                             # 21
    'pub struct Wrap<I>(I);\n'                                        # 22
    'impl<I: Clone> Wrap<I> { fn m(&self) -> u8 { self.0.dup() } }\n' # 23 I: Clone field: none
    'pub struct Own(View);\n'                                         # 24
    'impl Own { fn m(&self) -> u8 { self.0.dup() } }\n'               # 25 View field: View::dup
    'pub struct Gen<T>(T);\n'                                         # 26
    'impl<T: Tr> Gen<T> { fn m(&self) -> u8 { self.0.tm() } }\n'      # 27 T: Tr field: the trait impl kept
    'pub fn g<K: std::hash::Hash + Eq, V, S: std::hash::BuildHasher>(key: K, h: S) {\n' # 28
    '    let mut lookup = HashMap::<K, Vec<V>, S>::with_hasher(h);\n' # 29
    '    lookup.entry(key).or_default();\n'                           # 30 generic-only HashMap chain: none
    '}\n'                                                             # 31
    'pub fn h<T: Tr>(m: HashMap<u8, T>) -> u8 {\n'                    # 32
    '    m.get(&0).unwrap().tm()\n'                                   # 33 T: Tr value: the guess kept
    '}\n'                                                             # 34
    'pub fn i(m: HashMap<u8, View>) -> u8 {\n'                        # 35
    '    m.get(&0).unwrap().dup()\n'                                  # 36 HashMap of View: the guess kept
    '}\n'                                                             # 37
    'pub trait Pool { fn size(&self) -> usize { 0 } }\n'              # 38
    'impl Pool for Vec<usize> {}\n'                                   # 39
    'pub fn j() -> usize {\n'                                         # 40
    '    let c: Vec<usize> = Vec::new();\n'                           # 41
    '    c.size()\n'                                                  # 42 trait default on Vec: weak
    '}\n'                                                             # 43
    'pub trait Ext { fn ext(&self) -> u8 { 0 } }\n'                   # 44
    'impl<T> Ext for T {}\n'                                          # 45
    'pub fn k(m: HashMap<u8, u8>) -> u8 {\n'                          # 46
    '    m.iter().ext() + m.iter().or_default()\n'                    # 47 blanket trait on a library chain: weak; an inherent method: none
    '}\n')                                                             # 48
EXPECT += [
    ('rs40/src/lib.rs', 12, 'iter', 'none'),
    ('rs40/src/lib.rs', 14, 'iter', 'none'),
    ('rs40/src/lib.rs', 16, 'iter', 'none'),
    ('rs40/src/lib.rs', 17, 'iter', 'none'),
    ('rs40/src/lib.rs', 19, 'iter', ('weak', 'rs40/src/lib.rs', 'View::iter')),
    ('rs40/src/lib.rs', 20, 'iter', ('weak', 'rs40/src/lib.rs', 'View::iter')),
    ('rs40/src/lib.rs', 23, 'dup', 'none'),
    ('rs40/src/lib.rs', 25, 'dup', ('rs40/src/lib.rs', 'View::dup')),
    ('rs40/src/lib.rs', 27, 'tm', ('rs40/src/lib.rs', 'View::tm')),
    ('rs40/src/lib.rs', 30, 'or_default', 'none'),
    ('rs40/src/lib.rs', 33, 'tm', ('weak', 'rs40/src/lib.rs', 'View::tm')),
    ('rs40/src/lib.rs', 36, 'dup', ('weak', 'rs40/src/lib.rs', 'View::dup')),
    ('rs40/src/lib.rs', 42, 'size', ('weak', 'rs40/src/lib.rs', 'Pool::size')),
    ('rs40/src/lib.rs', 47, 'ext', ('weak', 'rs40/src/lib.rs', 'Ext::ext')),
    ('rs40/src/lib.rs', 47, 'or_default', 'none'),
]


# cg42 (resolver 63): a bare call in a class reaches the base its own file gives it - failsafe's
# two test classes FailsafeCallTest (okhttp's extends OkHttpTesting, retrofit's RetrofitTesting)
# share a simple name, and retrofit's testRequest(..) went to OkHttpTesting's (the first base of
# any class of that name). Not over-reaching: the okhttp class keeps its base's method, and a
# class whose file declares no bases for it (a C++ method defined apart from its class) still
# walks the bases by name.
FILES['j42/a/src/dev/a/BaseA.java'] = (
    'package dev.a;\n'                                                  # 1
    'public class BaseA {\n'                                            # 2
    '  public void probe42(int x) { }\n'                                # 3
    '}\n')                                                              # 4
FILES['j42/a/src/dev/a/CallTest.java'] = (
    'package dev.a;\n'                                                  # 1
    'public class CallTest extends BaseA {\n'                           # 2
    '  void t() {\n'                                                    # 3
    '    probe42(1);\n'                                                 # 4 BaseA's
    '  }\n'                                                             # 5
    '}\n')                                                              # 6
FILES['j42/b/src/dev/b/BaseB.java'] = (
    'package dev.b;\n'                                                  # 1
    'public class BaseB {\n'                                            # 2
    '  public void probe42(int x) { }\n'                                # 3
    '}\n')                                                              # 4
FILES['j42/b/src/dev/b/CallTest.java'] = (
    'package dev.b;\n'                                                  # 1
    'public class CallTest extends BaseB {\n'                           # 2
    '  void t() {\n'                                                    # 3
    '    probe42(2);\n'                                                 # 4 BaseB's, not BaseA's
    '  }\n'                                                             # 5
    '}\n')                                                              # 6
FILES['cpp42/shape.h'] = (
    'class Base42 { public: void draw42() {} };\n'                       # 1
    'class Shape42 : public Base42 { public: void paint42(); };\n')     # 2
FILES['cpp42/shape.cpp'] = (
    '#include "shape.h"\n'                                              # 1
    'void Shape42::paint42() {\n'                                       # 2
    '  draw42();\n'                                                     # 3 Base42's (bases from shape.h)
    '}\n')                                                              # 4
EXPECT += [
    ('j42/a/src/dev/a/CallTest.java', 4, 'probe42', ('j42/a/src/dev/a/BaseA.java', 'BaseA.probe42')),
    ('j42/b/src/dev/b/CallTest.java', 4, 'probe42', ('j42/b/src/dev/b/BaseB.java', 'BaseB.probe42')),
    ('cpp42/shape.cpp', 3, 'draw42', ('cpp42/shape.h', 'Base42::draw42')),
]


# cg42 (resolver 63): a Rust struct's named field typed through a module the file takes from the
# standard library (`iter: vec::IntoIter<T>` with `use alloc::vec::{self, Vec};`, `slice::IterMut`
# with `use core::slice;`) holds the library's type, not the crate's own type of that last name
# (indexmap's IntoIter::len called itself, 0.9). Not over-reaching: a field typed through the
# file's own module (`mod store42;` .. `store42::IntoIter`) or `crate::` keeps the crate's type.
FILES['rs42/src/lib.rs'] = (
    'use alloc::vec::{self, Vec};\n'                                    # 1
    'use core::slice;\n'                                                # 2
    'mod store42;\n'                                                    # 3
    'pub struct IntoIter<K> { iter: vec::IntoIter<K> }\n'              # 4
    'impl<K> IntoIter<K> {\n'                                           # 5
    '    pub fn len42(&self) -> usize { self.iter.len42() }\n'          # 6 the library's: none
    '}\n'                                                               # 7
    'pub struct IterMut<K> { iter: slice::IterMut<K> }\n'              # 8
    'impl<K> IterMut<K> {\n'                                            # 9
    '    pub fn rest42(&self) -> usize { self.iter.rest42() }\n'        # 10 the library's: none
    '}\n'                                                               # 11
    'pub struct Outer42 { a: store42::IntoIter, b: crate::store42::IntoIter }\n'  # 12
    'impl Outer42 {\n'                                                  # 13
    '    pub fn go42(&self) -> usize { self.a.size42() }\n'             # 14 store42's
    '    pub fn go42b(&self) -> usize { self.b.size42() }\n'            # 15 store42's
    '}\n')                                                              # 16
FILES['rs42/src/store42.rs'] = (
    'pub struct IntoIter;\n'                                            # 1
    'impl IntoIter {\n'                                                 # 2
    '    pub fn size42(&self) -> usize { 1 }\n'                         # 3
    '}\n')                                                              # 4
EXPECT += [
    ('rs42/src/lib.rs', 6, 'len42', None),
    ('rs42/src/lib.rs', 10, 'rest42', None),
    ('rs42/src/lib.rs', 14, 'size42', ('rs42/src/store42.rs', 'IntoIter::size42')),
    ('rs42/src/lib.rs', 15, 'size42', ('rs42/src/store42.rs', 'IntoIter::size42')),
]


# cg42 (resolver 63): a typing stub beside its module (`m.pyi` next to `m.py`) only declares:
# the function that runs is the module's, so the stub's `def f(..): ...` is no candidate (attrs'
# `attrs.field(..)` reached only attrs/__init__.pyi's @overloads, `has(..)` the stub beside
# attr._funcs.has). Not over-reaching: a stub with no module beside it (a C extension's
# `_speed42.pyi`) keeps its definition.
FILES['py42/pkg42/__init__.py'] = ''
FILES['py42/pkg42/core42.py'] = (
    'from pkg42._impl import has42\n'                                   # 1
    'def own42(x):\n'                                                   # 2
    '    return x\n')                                                   # 3
FILES['py42/pkg42/core42.pyi'] = (
    'def has42(x: int) -> bool: ...\n'                                  # 1
    'def own42(x: int) -> int: ...\n')                                  # 2
FILES['py42/pkg42/_impl.py'] = (
    'def has42(x):\n'                                                   # 1
    '    return True\n')                                                # 2
FILES['py42/pkg42/_speed42.pyi'] = (
    'def fast42(x: int) -> int: ...\n')                                 # 1
FILES['py42/use42.py'] = (
    'from pkg42 import core42\n'                                        # 1
    'from pkg42.core42 import own42\n'                                  # 2
    'from pkg42._speed42 import fast42\n'                               # 3
    'def go42():\n'                                                     # 4
    '    core42.own42(1)\n'                                             # 5 core42.py's, not the stub
    '    own42(2)\n'                                                    # 6 core42.py's
    '    core42.has42(3)\n'                                             # 7 never the stub
    '    fast42(4)\n')                                                  # 8 the stub (no module)
EXPECT += [
    ('py42/use42.py', 5, 'own42', ('py42/pkg42/core42.py', 'own42')),
    ('py42/use42.py', 6, 'own42', ('py42/pkg42/core42.py', 'own42')),
    ('py42/use42.py', 8, 'fast42', ('py42/pkg42/_speed42.pyi', 'fast42')),
]


# cg42 (resolver 63): Go's dot import (`import . "x/internal/testutils"`, logrus' tests) puts
# that package's exported functions in the file's scope: a bare `LogAndAssertJSON(..)` is
# testutils'. Not over-reaching: a file of another package without the dot import gets no edge
# to it, and a plain (named) import binds only `util42.Help42`.
FILES['go42/go.mod'] = 'module example.com/m42\n\ngo 1.22\n'
FILES['go42/util42/util.go'] = (
    'package util42\n'                                                  # 1
    'func Help42() int { return 1 }\n')                                 # 2
FILES['go42/app/dot_test.go'] = (
    'package app\n'                                                     # 1
    'import . "example.com/m42/util42"\n'                               # 2
    'func t42() int {\n'                                                # 3
    '\treturn Help42()\n'                                               # 4 util42's
    '}\n')                                                              # 5
FILES['go42/other/plain.go'] = (
    'package other\n'                                                   # 1
    'import "example.com/m42/util42"\n'                                 # 2
    'func u42() int {\n'                                                # 3
    '\tn := Help42()\n'                                                  # 4 bare: not util42's
    '\treturn n + util42.Help42()\n'                                     # 5 util42's
    '}\n')                                                              # 6
EXPECT += [
    ('go42/app/dot_test.go', 4, 'Help42', ('go42/util42/util.go', 'Help42')),
    ('go42/other/plain.go', 4, 'Help42', 'none'),
    ('go42/other/plain.go', 5, 'Help42', ('go42/util42/util.go', 'Help42')),
]


# cg42 (resolver 63): a CommonJS index whose `module.exports = { .. }` re-exports modules -
# `...require('./a')` (all of a's, as `export * from`) and `p: require('./m')` or
# `p: wrap(require('./m'))` (m's function p, universalify's u(..) wrapping it: node-fs-extra's
# lib/index.js and lib/copy/index.js) - so `fse = require('../lib'); fse.copy42(..)` reaches
# them (main: no edge). Not over-reaching: a property naming a module without a function of
# that name (`cc42: require('./c')`, c's function is other42) gets no edge.
FILES['js42/lib/a.js'] = (
    'function aa42() { return 1 }\n'                                    # 1
    'module.exports = { aa42 }\n')                                      # 2
FILES['js42/lib/b.js'] = (
    'async function bb42() { return 2 }\n'                              # 1
    'module.exports = bb42\n')                                          # 2
FILES['js42/lib/c.js'] = (
    'function other42() { return 3 }\n'                                 # 1
    'module.exports = other42\n')                                       # 2
FILES['js42/lib/index.js'] = (
    "const u = require('universalify').fromPromise\n"                   # 1
    'module.exports = {\n'                                              # 2
    "  ...require('./a'),\n"                                            # 3
    "  bb42: u(require('./b')),\n"                                      # 4
    "  cc42: require('./c')\n"                                          # 5
    '}\n')                                                              # 6
FILES['js42/test/t.js'] = (
    "const fse = require('../lib')\n"                                   # 1
    'fse.aa42()\n'                                                      # 2 a.js's
    'fse.bb42()\n'                                                      # 3 b.js's
    'fse.cc42()\n')                                                     # 4 none
EXPECT += [
    ('js42/test/t.js', 2, 'aa42', ('js42/lib/a.js', 'aa42')),
    ('js42/test/t.js', 3, 'bb42', ('js42/lib/b.js', 'bb42')),
    ('js42/test/t.js', 4, 'cc42', 'none'),
]


# cg43 (resolver 64): Go, a variable reassigned from a method of itself, `s = s.With(..)`:
# the receiver of that call is the earlier `s` (not this assignment's own value), and a method
# of a library's value that reaches no definition gives a library's value (logrus'
# hooks/slog/handler_test.go: `s := slog.New(..); s = s.With(..); s.Info(..)`, main: logrus'
# two Info by name). Not over-reaching: the repository's `l = l.With(); l.Info(..)` of a
# *Logger keeps Logger.Info (main: weak), as does a *Logger parameter.
FILES['go43/go.mod'] = 'module example.com/m43\n\ngo 1.22\n'
FILES['go43/lg/logger.go'] = (
    'package lg\n'                                                      # 1
    '\n'                                                                # 2
    'import "log/slog"\n'                                               # 3
    '\n'                                                                # 4
    'type Logger struct{}\n'                                            # 5
    '\n'                                                                # 6
    'func (l *Logger) Info(args ...interface{}) {}\n'                   # 7
    'func (l *Logger) With() *Logger { return l }\n'                    # 8
    '\n'                                                                # 9
    'func J() {\n'                                                      # 10
    '\ts := slog.New(nil)\n'                                            # 11
    '\ts = s.With("root", 1)\n'                                         # 12
    '\ts = s.WithGroup("req")\n'                                        # 13
    '\ts.Info("x")\n'                                                   # 14 none
    '}\n'                                                               # 15
    'func M() {\n'                                                      # 16
    '\tl := &Logger{}\n'                                                # 17
    '\tl = l.With()\n'                                                  # 18
    '\tl.Info("x")\n'                                                   # 19 Logger's
    '}\n'                                                               # 20
    'func K(l *Logger) { l.Info("x") }\n')                              # 21 Logger's
EXPECT += [
    ('go43/lg/logger.go', 12, 'With', 'none'),
    ('go43/lg/logger.go', 14, 'Info', 'none'),
    ('go43/lg/logger.go', 18, 'With', ('go43/lg/logger.go', 'Logger.With')),
    ('go43/lg/logger.go', 19, 'Info', ('go43/lg/logger.go', 'Logger.Info')),
    ('go43/lg/logger.go', 21, 'Info', ('go43/lg/logger.go', 'Logger.Info')),
]


# cg43 (resolver 64): C++, a parenthesized sum whose first operand is a string literal or an
# upper-case macro's call of one, `(STR("/foo") + rep(..)).c_str()` (pugixml's
# tests/test_xpath_parse.cpp), `("/foo" + r).c_str()`: the library's string, no edge (main:
# the repository's two c_str by name). Not over-reaching: a repository class's own sum `(m +
# m).c_str()` keeps its edges, and `x.c_str()` of an xstr43 its class's.
FILES['cpp43/s.cpp'] = (
    '#include <string>\n'                                              # 1
    '#define STR43(s) s\n'                                             # 2
    'struct xstr43 { const char* c_str() const { return 0; } };\n'     # 3
    'struct mine43 { mine43 operator+(const mine43&) const { return *this; }\n'  # 4
    '  const char* c_str() const { return 0; } };\n'                   # 5
    'std::string rep43(int n);\n'                                      # 6
    'void f43() {\n'                                                   # 7
    '  std::string r = "a";\n'                                         # 8
    '  const char* p = (STR43("/foo") + rep43(2)).c_str();\n'          # 9 none
    '  const char* q = ("/foo" + r).c_str();\n'                        # 10 none
    '  mine43 m;\n'                                                    # 11
    '  const char* z = (m + m).c_str();\n'                             # 12 by name
    '  xstr43 x;\n'                                                    # 13
    '  const char* y = x.c_str();\n'                                   # 14 xstr43's
    '}\n')                                                             # 15
EXPECT += [
    ('cpp43/s.cpp', 9, 'c_str', 'none'),
    ('cpp43/s.cpp', 10, 'c_str', 'none'),
    ('cpp43/s.cpp', 14, 'c_str', ('cpp43/s.cpp', 'xstr43.c_str')),
]


# cg43 (resolver 64): Rust, a local bound to an upper-case static the file declares with a
# type, `let map = &*HM43;` of `static HM43: std::sync::LazyLock<HashMap<u32, u32>>`
# (indexmap's benches/bench.rs HMAP_100K): the lazy cell's value type, a std HashMap: no edge
# to the crate's `get` by name (main: weak). Not over-reaching: `let my = &MY43;` of a
# `static MY43: Map43` reaches Map43::get, `&*GM43` of a `LazyLock<Gen43<u32, u32>>` the
# generic Gen43::get (indexmap's IMAP_100K; main: weak, both).
FILES['rs43/Cargo.toml'] = '[package]\nname = "rs43"\nversion = "0.1.0"\n'
FILES['rs43/src/lib.rs'] = (
    'use std::collections::HashMap;\n'                                 # 1
    'pub struct Map43;\n'                                              # 2
    'impl Map43 { pub fn get(&self, k: u32) -> u32 { k } }\n'          # 3
    'static HM43: std::sync::LazyLock<HashMap<u32, u32>> =\n'          # 4
    '    std::sync::LazyLock::new(|| HashMap::new());\n'               # 5
    'static MY43: Map43 = Map43;\n'                                    # 6
    'pub fn g43() {\n'                                                 # 7
    '    let map = &*HM43;\n'                                          # 8
    '    map.get(&1);\n'                                               # 9 none
    '    let my = &MY43;\n'                                            # 10
    '    my.get(1);\n'                                                 # 11 Map43's
    '}\n'                                                              # 12
    'pub struct Gen43<K, V> { k: K, v: V }\n'                          # 13
    'impl<K, V> Gen43<K, V> { pub fn get(&self, k: u32) -> u32 { k } }\n'  # 14
    'static GM43: std::sync::LazyLock<Gen43<u32, u32>> =\n'            # 15
    '    std::sync::LazyLock::new(|| Gen43 { k: 1, v: 2 });\n'         # 16
    'pub fn h43() {\n'                                                 # 17
    '    let gm = &*GM43;\n'                                           # 18
    '    gm.get(1);\n'                                                 # 19 Gen43's
    '}\n')                                                             # 20
EXPECT += [
    ('rs43/src/lib.rs', 9, 'get', 'none'),
    ('rs43/src/lib.rs', 11, 'get', ('rs43/src/lib.rs', 'Map43::get')),
    ('rs43/src/lib.rs', 19, 'get', ('rs43/src/lib.rs', 'Gen43::get')),
]


def run(*args):
    return subprocess.run([CODECOMP] + list(args), check=True, capture_output=True,
                          text=True).stdout


def main():
    os.makedirs(R, exist_ok=True)
    for path, text in FILES.items():
        full = os.path.join(R, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w') as f:
            f.write(text)
    subprocess.run(['git', 'init', '-q', R], check=True)
    subprocess.run(['git', '-C', R, 'add', '-A'], check=True)
    subprocess.run(['git', '-C', R, 'commit', '-qm', 'fixture'], check=True)
    run('index', R)
    nodes, by_id = {}, {}
    for path in FILES:
        if path.endswith(('.mod', '__init__.py', '.json', '.toml')) or not FILES[path]:
            continue
        nodes[path] = json.loads(run('nodes', '--json', R, path))
        for n in nodes[path]:
            by_id[n['id']] = (path, n)
    fails = 0
    # `nodes` gives simple names: a target is checked by its file and the last component of
    # the expected qualified name
    for path, line, callee, want in EXPECT:
        calls = [n for n in nodes[path] if n['kind'] == 'call' and n['start_line'] == line and
                 n['name'] == callee]
        if not calls:
            print('FAIL: no call %s at %s:%d' % (callee, path, line))
            fails += 1
            continue
        edges = [e for e in json.loads(run('edges', '--json', R, path))
                 if e['kind'] == 'call' and e['src'] == calls[0]['id']]
        confident = [e for e in edges if e['confidence'] >= 0.5]
        got = [(by_id[e['dst']][0], by_id[e['dst']][1]['name'], e['confidence'])
               for e in edges if e['dst'] in by_id]
        ok = True
        if want == 'none':
            ok = not edges
        elif want is None:
            ok = not confident or callee == 'Foo'  # a constructor call may resolve to nothing
        elif want[0] == 'weak':
            wpath, wqual = want[1], want[2]
            simple = wqual.replace('::', '.').split('.')[-1]
            ok = len(edges) >= 1 and not confident and all(
                by_id[e['dst']][0] == wpath and by_id[e['dst']][1]['name'] == simple
                for e in edges) and (len(want) < 4 or len(edges) == want[3])
        else:
            wpath, wqual = want
            simple = wqual.replace('::', '.').split('.')[-1]
            ok = len(confident) >= 1 and all(
                by_id[e['dst']][0] == wpath and by_id[e['dst']][1]['name'] == simple
                for e in confident)
        if not ok:
            print('FAIL: %s:%d %s: want %s, got %s' % (path, line, callee, want, got))
            fails += 1
    # a trait's method through a generic, `dyn` or a `where` bound: every impl's, and the
    # trait's default (dynamic dispatch), each edge at the 0.9 tier shared by the candidates
    for f, line, callee, lines in (
            ('sink', 11, 'matched', [7, 16]), ('sink', 11, 'begin', [3, 17]),
            ('sink', 12, 'matched', [7, 16]), ('sink', 13, 'matched', [7, 16]),
            ('gen', 7, 'matched', [7, 16]), ('gen', 10, 'begin', [3, 17]),
            ('gen', 14, 'matched', [7, 16])):
        f = 'rs/src/%s.rs' % f
        src = [n['id'] for n in nodes[f]
               if n['kind'] == 'call' and n['start_line'] == line and n['name'] == callee]
        es = [e for e in json.loads(run('edges', '--json', R, f))
              if e['kind'] == 'call' and src and e['src'] == src[0] and e['dst'] in by_id]
        got = sorted(by_id[e['dst']][1]['start_line'] for e in es)
        total = sum(e['confidence'] for e in es)
        if got != lines or total < 0.85 or any(by_id[e['dst']][0] != 'rs/src/sink.rs' for e in es):
            print('FAIL: %s:%d %s: want the defs at rs/src/sink.rs lines %s (0.9 in all), got %s '
                  '(%.2f)' % (f, line, callee, lines, got, total))
            fails += 1
    # cg31: Java dynamic dispatch through a repository interface / abstract class
    for line, callee, want in ((6, 'area', [('Circle', 3), ('Shape', 3), ('Square', 3)]),
                               (7, 'area', [('Circle', 3), ('Shape', 3), ('Square', 3)]),
                               (8, 'make', [('Alloc', 3), ('Alloc', 6)]),
                               (9, 'size', [('Base', 4)]), (10, 'name', [('Base', 3)]),
                               (11, 'area', [('Circle', 3)])):
        f = 'java/src/com/cg31/Use.java'
        src = [n['id'] for n in nodes[f]
               if n['kind'] == 'call' and n['start_line'] == line and n['name'] == callee]
        es = [e for e in json.loads(run('edges', '--json', R, f))
              if e['kind'] == 'call' and src and e['src'] == src[0] and e['dst'] in by_id]
        got = sorted((by_id[e['dst']][0].split('/')[-1][:-5], by_id[e['dst']][1]['start_line'])
                     for e in es)
        total = sum(e['confidence'] for e in es)
        if got != want or total < 0.85:
            print('FAIL: %s:%d %s: want %s (0.9 in all), got %s (%.2f)' %
                  (f, line, callee, want, got, total))
            fails += 1
    # cg34: overloads by the call's argument count (Java, C++)
    for f, line, callee, want in (
            ('java/src/org/cg34/Use.java', 4, 'decode', [('java/src/org/cg34/Codec.java', 3),
                                                         ('java/src/org/cg34/Codec.java', 4)]),
            # (a method's node starts at its annotation: B64.decode at line 3)
            ('java/src/org/cg34/Use.java', 5, 'decode', [('java/src/org/cg34/B64.java', 3)]),
            ('java/src/org/cg34/Use.java', 6, 'B64', [('java/src/org/cg34/B64.java', 6)]),
            ('java/src/org/cg34/Use.java', 7, 'log', [('java/src/org/cg34/Codec.java', 6)]),
            ('java/src/org/cg34/Use.java', 8, 'log', [('java/src/org/cg34/Codec.java', 6)]),
            ('cpp34/main.cc', 3, 'g', [('cpp34/w.cc', 2)]),
            ('cpp34/main.cc', 4, 'h', [('cpp34/w.cc', 4)]),
            ('cpp34/main.cc', 5, 'v', [('cpp34/w.cc', 5)])):
        src = [n['id'] for n in nodes[f]
               if n['kind'] == 'call' and n['start_line'] == line and n['name'] == callee]
        es = [e for e in json.loads(run('edges', '--json', R, f))
              if e['kind'] == 'call' and src and e['src'] == src[0] and e['dst'] in by_id]
        got = sorted((by_id[e['dst']][0], by_id[e['dst']][1]['start_line']) for e in es)
        total = sum(e['confidence'] for e in es)
        if got != want or total < 0.85:
            print('FAIL: %s:%d %s: want %s (0.9 in all), got %s (%.2f)' %
                  (f, line, callee, want, got, total))
            fails += 1
    # cg38: overrides reached through a C++ base pointer and a Java this-call
    for f, line, callee, want in (
            ('cpp38/use.cc', 3, 'AsLeaf', [('cpp38/node.h', 3), ('cpp38/node.h', 9)]),
            ('cpp38/use.cc', 4, 'Kind', [('cpp38/node.h', 4)]),
            ('cpp38/use.cc', 5, 'AsLeaf', [('cpp38/node.h', 9)]),
            ('java/src/org/cg38/Conf.java', 4, 'copy', [('java/src/org/cg38/Conf.java', 3),
                                                        ('java/src/org/cg38/XConf.java', 3)]),
            ('java/src/org/cg38/Conf.java', 5, 'copy', [('java/src/org/cg38/Conf.java', 3),
                                                        ('java/src/org/cg38/XConf.java', 3)]),
            ('java/src/org/cg38/Conf.java', 7, 'size', [('java/src/org/cg38/Conf.java', 6)])):
        src = [n['id'] for n in nodes[f]
               if n['kind'] == 'call' and n['start_line'] == line and n['name'] == callee]
        es = [e for e in json.loads(run('edges', '--json', R, f))
              if e['kind'] == 'call' and src and e['src'] == src[0] and e['dst'] in by_id]
        got = sorted((by_id[e['dst']][0], by_id[e['dst']][1]['start_line']) for e in es)
        total = sum(e['confidence'] for e in es)
        if got != want or total < 0.85:
            print('FAIL: %s:%d %s: want %s (0.9 in all), got %s (%.2f)' %
                  (f, line, callee, want, got, total))
            fails += 1
    # a local function of an enclosing function (cg22): that one, 1.0, alone
    f = 'ts/lf/persist.ts'
    for line, callee, want in ((4, 'setItem', 2), (6, 'setItem', 2), (18, 'mk', 17),
                               (22, 'mk', 21), (25, 'early', 26), (39, 'helper', 38)):
        src = [n['id'] for n in nodes[f]
               if n['kind'] == 'call' and n['start_line'] == line and n['name'] == callee]
        es = [e for e in json.loads(run('edges', '--json', R, f))
              if e['kind'] == 'call' and src and e['src'] == src[0] and e['dst'] in by_id]
        got = [(by_id[e['dst']][0], by_id[e['dst']][1]['start_line'], round(e['confidence'], 2))
               for e in es]
        if got != [(f, want, 1.0)]:
            print('FAIL: %s:%d %s: want the function at line %d (1.0), got %s' %
                  (f, line, callee, want, got))
            fails += 1
    # cg29: Rust inline modules: the function the path names in the file, 1.0, alone
    f = 'rs/src/inl.rs'
    for line, callee, want in ((9, 'check', 6), (12, 'helper', 5), (17, 'usize', 2),
                               (18, 'name', 3), (19, 'check', 8), (20, 'usize', 2)):
        src = [n['id'] for n in nodes[f]
               if n['kind'] == 'call' and n['start_line'] == line and n['name'] == callee]
        es = [e for e in json.loads(run('edges', '--json', R, f))
              if e['kind'] == 'call' and src and e['src'] == src[0] and e['dst'] in by_id]
        got = [(by_id[e['dst']][0], by_id[e['dst']][1]['start_line'], round(e['confidence'], 2))
               for e in es]
        if got != [(f, want, 1.0)]:
            print('FAIL: %s:%d %s: want the function at line %d (1.0), got %s' %
                  (f, line, callee, want, got))
            fails += 1
    # a replaced member (js19): the store's own function and the wrappers, all weak
    f = 'ts/mw/use.ts'
    for line, callee, want in ((3, 'setValue', [('ts/mw/devtools.ts', 3), ('ts/mw/vanilla.ts', 4)]),
                               (4, 'subscribe', [('ts/mw/sel.ts', 2), ('ts/mw/vanilla.ts', 5)]),
                               (5, 'getCount', [('ts/mw/vanilla.ts', 3)]),
                               (6, 'reset', [])):
        src = [n['id'] for n in nodes[f]
               if n['kind'] == 'call' and n['start_line'] == line and n['name'] == callee]
        es = [e for e in json.loads(run('edges', '--json', R, f))
              if e['kind'] == 'call' and src and e['src'] == src[0] and e['dst'] in by_id]
        got = sorted((by_id[e['dst']][0], by_id[e['dst']][1]['start_line']) for e in es)
        if not src or got != want or any(e['confidence'] >= 0.5 for e in es):
            print('FAIL: %s:%d %s: want weak %s, got %s' % (
                f, line, callee, want, [(g, e['confidence']) for g, e in zip(got, es)]))
            fails += 1
    # Python: the declared base class's method and its subclass's override, 0.9 shared, not
    # the unrelated class's of that name
    f = 'py/bi/auth.py'
    src = [n['id'] for n in nodes[f]
           if n['kind'] == 'call' and n['start_line'] == 14 and n['name'] == 'auth']
    es = [e for e in json.loads(run('edges', '--json', R, f))
          if e['kind'] == 'call' and src and e['src'] == src[0] and e['dst'] in by_id]
    got = sorted(by_id[e['dst']][1]['start_line'] for e in es)
    total = sum(e['confidence'] for e in es)
    if got != [2, 5] or total < 0.85:
        print('FAIL: %s:14 auth: want the defs at lines [2, 5] (0.9 in all), got %s (%.2f)' %
              (f, got, total))
        fails += 1
    # a call through an alias gets the edge a declared type gets (cpp/bj/use.cpp: line 13's
    # `ns::basic_j<int> b; b.items();`): same target, same confidence
    f = 'cpp/bj/use.cpp'
    bj = {}
    for e in json.loads(run('edges', '--json', R, f)):
        if e['kind'] == 'call' and e['dst'] in by_id:
            bj.setdefault(by_id[e['src']][1]['start_line'], []).append(
                (by_id[e['dst']][1]['name'], round(e['confidence'], 3)))
    want = bj.get(13)
    for line in (7, 8, 9, 11):
        got = bj.get(line)
        if not want or not got or len(got) != 1 or got[0][1] != want[0][1]:
            print('FAIL: %s:%d: want one edge at the declared type\'s confidence %s, got %s' %
                  (f, line, want, got))
            fails += 1
    # name-only confidences (cg12): x.f() with 2 candidates 0.24 each, with 1 candidate 0.45
    f = 'py/cal/use.py'
    cal = {}
    for e in json.loads(run('edges', '--json', R, f)):
        if e['kind'] == 'call' and e['dst'] in by_id and e['src'] in by_id:
            cal.setdefault(by_id[e['src']][1]['start_line'], []).append(round(e['confidence'], 3))
    if sorted(cal.get(2, [])) != [0.24, 0.24] or cal.get(3) != [0.45]:
        print('FAIL: %s: name-only confidences, want line 2 [0.24, 0.24] and line 3 [0.45], got '
              '%s' % (f, cal))
        fails += 1
    # a name-only call whose name is a builtin container's method counts the builtin as one
    # more candidate (cg15): obj.update(d) with one candidate 0.48 / 2, obj.tally(d) 0.45
    f = 'py/bi/use.py'
    bi = {}
    for e in json.loads(run('edges', '--json', R, f)):
        if e['kind'] == 'call' and e['dst'] in by_id and e['src'] in by_id:
            bi.setdefault(by_id[e['src']][1]['start_line'], []).append(round(e['confidence'], 3))
    if bi.get(15) != [0.24] or bi.get(16) != [0.45]:
        print('FAIL: %s: want line 15 [0.24] (a dict\'s update counted), line 16 [0.45], got %s'
              % (f, bi))
        fails += 1
    # C++ `fmtlib::format("x")`: the namespace's two overloads at the 0.9 tier (cg12; a guess,
    # 0.45 in all, before the namespace was recorded), not the member formatter<int>::format
    f = 'cppns/main.cc'
    src = [n['id'] for n in nodes[f]
           if n['kind'] == 'call' and n['start_line'] == 3 and n['name'] == 'format']
    es = [e for e in json.loads(run('edges', '--json', R, f))
          if e['kind'] == 'call' and src and e['src'] == src[0] and e['dst'] in by_id]
    got = sorted(by_id[e['dst']][1]['start_line'] for e in es)
    total = sum(e['confidence'] for e in es)
    if got != [2, 3] or total < 0.85 or any(by_id[e['dst']][0] != 'cppns/fmtlib/format.h'
                                             for e in es):
        print('FAIL: %s:3 format: want fmtlib/format.h lines [2, 3] (0.9 in all), got %s (%.2f)' %
              (f, got, total))
        fails += 1
    # this.handle() inside callback()'s local arrow `handle`: the class's method (line 10) only
    f = 'js/held/app.js'
    src = [n['id'] for n in nodes[f]
           if n['kind'] == 'call' and n['start_line'] == 4 and n['name'] == 'handle']
    es = [e for e in json.loads(run('edges', '--json', R, f))
          if e['kind'] == 'call' and src and e['src'] == src[0] and e['dst'] in by_id]
    got = sorted((by_id[e['dst']][1]['start_line'], round(e['confidence'], 2)) for e in es)
    if got != [(10, 1.0)]:
        print('FAIL: %s:4 handle: want one edge to the method at line 10 (1.0), got %s' % (f, got))
        fails += 1
    # .h detection: comments and strings do not make a C header C++, so its typedef is kept
    h = nodes['c/inc/api.h']
    if not any(n['kind'] == 'type_decl' and n['name'] == 'ops' for n in h):
        print('FAIL: c/inc/api.h was not read as C (its struct ops is missing): %s' %
              [(n['kind'], n['name']) for n in h if n['kind'] in ('type_decl', 'method')])
        fails += 1
    t = [(n['kind'], n['name']) for n in nodes['ts/src/types.ts']]
    if ('method', 'kept') not in t or ('type_decl', 'Kept') not in t or ('method', 'm') not in t:
        print('FAIL: ts/src/types.ts lost definitions after `export type * from`: %s' % t)
        fails += 1
    o = [n['name'] for n in nodes['js/lib/obj.js'] if n['kind'] == 'method']
    if sorted(o) != ['get', 'set', 'util']:
        print('FAIL: js/lib/obj.js functions defined by assignment: %s' % o)
        fails += 1
    import sqlite3
    db = sqlite3.connect(os.path.join(R, '.git', 'codecomp.db'))
    for a, b in (('dup/same.h', 'dup/same.cpp'), ('dup/f.js', 'dup/f.ts')):
        oid = subprocess.run(['git', '-C', R, 'rev-parse', 'HEAD:' + a], check=True,
                             capture_output=True, text=True).stdout.strip()
        langs = sorted(r[0] for r in db.execute('SELECT lang FROM blobs WHERE oid = ?',
                                                (bytes.fromhex(oid),)))
        if len(langs) != 2 or langs[0] == langs[1]:
            print('FAIL: %s and %s (one blob) are not analysed once per language: %s' %
                  (a, b, langs))
            fails += 1
    print('%d expectations, %d failed' % (len(EXPECT) + 48, fails))
    return 1 if fails else 0


sys.exit(main())

