; JavaScript, TypeScript and TSX (tree-sitter-javascript / tree-sitter-typescript 0.23): the
; patterns their grammars share (TypeScript's extend JavaScript's). Not a language of its own:
; javascript.scm and typescript.scm inherit it (a leading '_' keeps it from being embedded).
; Capture vocabulary: analysis/queries/README.md.

; ---- definitions ----
(function_declaration name: (identifier) @method.name) @method
(function_declaration body: (_) @method.body) @method
(generator_function_declaration name: (identifier) @method.name) @method
(generator_function_declaration body: (_) @method.body) @method
(function_expression name: (identifier) @method.name) @method
(function_expression body: (_) @method.body) @method
; generator function expressions (`const gen = function * (x) {..}`, `async function * ()`)
(generator_function name: (identifier) @method.name) @method
(generator_function body: (_) @method.body) @method
(method_definition name: (_) @method.name) @method
(method_definition body: (_) @method.body) @method
(arrow_function body: (_) @method.body) @method
(variable_declarator name: (identifier) @method.name value: [(arrow_function) (function_expression) (generator_function)] @method)
(pair key: (property_identifier) @method.name value: [(arrow_function) (function_expression) (generator_function)] @method)
; a function in parentheses (`const f = (function () {..})`)
(variable_declarator name: (identifier) @method.name value: (parenthesized_expression [(arrow_function) (function_expression) (generator_function)] @method))
; a function assigned to a property (`res.send = function send() {}`, `Foo.prototype.m = () => {}`):
; named after the property, scoped by the object (the property comes first, so its name wins)
(assignment_expression left: (member_expression object: (_) @method.scope property: (property_identifier) @method.name) right: [(arrow_function) (function_expression) (generator_function)] @method)
; the same in parentheses (`api.subscribe = ((..) => ..)`, js19)
(assignment_expression left: (member_expression object: (_) @method.scope property: (property_identifier) @method.name) right: (parenthesized_expression [(arrow_function) (function_expression) (generator_function)] @method))

(arrow_function parameter: (identifier) @param)

; ---- calls ----
(call_expression function: (identifier) @call.name) @call
(call_expression function: (member_expression object: (_) @call.receiver property: (_) @call.name)) @call
(call_expression) @call
(new_expression constructor: (identifier) @call.name) @call
(new_expression constructor: (member_expression object: (_) @call.receiver property: (_) @call.name)) @call
(new_expression) @call

; ---- control structures ----
(if_statement condition: (parenthesized_expression (_) @if.cond)) @if
(if_statement consequence: (_) @if.then) @if
(if_statement alternative: (else_clause (_) @if.else)) @if

(while_statement condition: (parenthesized_expression (_) @while.cond)) @while
(while_statement body: (_) @while.body) @while
(do_statement body: (_) @do.body) @do
(do_statement condition: (parenthesized_expression (_) @do.cond)) @do

(for_statement initializer: (_) @for.init) @for
(for_statement condition: [(binary_expression) (unary_expression) (identifier) (call_expression)
  (member_expression) (subscript_expression) (parenthesized_expression) (sequence_expression)
  (assignment_expression) (augmented_assignment_expression) (update_expression) (true) (false)
  (ternary_expression) (await_expression)] @for.cond) @for
(for_statement increment: (_) @for.step) @for
(for_statement body: (_) @for.body) @for

(for_in_statement left: (identifier) @foreach.target) @foreach
(for_in_statement body: (_) @foreach.body) @foreach

(switch_statement value: (parenthesized_expression (_) @switch.cond)) @switch
(switch_statement body: (switch_body (switch_case) @switch.case)) @switch
(switch_statement body: (switch_body (switch_default) @switch.case @switch.default)) @switch

(try_statement body: (_) @try.body) @try
(try_statement handler: (_) @try.handler) @try
(try_statement finalizer: (_) @try.finally) @try
(try_statement handler: (catch_clause parameter: (identifier) @try.target)) @try

(return_statement) @return
(throw_statement) @throw
(break_statement) @break
(continue_statement) @continue

; ---- assignments ----
(assignment_expression left: (identifier) @assignment.target) @assignment
(assignment_expression left: [(member_expression) (subscript_expression) (array_pattern) (object_pattern)] @assignment.target) @assignment
(augmented_assignment_expression left: (identifier) @assignment.update) @assignment
(augmented_assignment_expression left: [(member_expression) (subscript_expression)] @assignment.target) @assignment
(update_expression argument: (identifier) @assignment.update) @assignment
(update_expression argument: [(member_expression) (subscript_expression)] @assignment.target) @assignment
(variable_declarator name: (identifier) @assignment.target value: (_)) @assignment
(variable_declarator name: [(array_pattern) (object_pattern)] @assignment.target value: (_)) @assignment
(variable_declarator name: (identifier) @skip)

; ---- imports: one node per imported name ----
(import_statement (import_clause (identifier) @import @import.name) source: (_) @import.module)
(import_statement (import_clause (named_imports (import_specifier name: (_) @import.name) @import)) source: (_) @import.module)
(import_statement (import_clause (named_imports (import_specifier alias: (_) @import.alias) @import)) source: (_) @import.module)
(import_statement (import_clause (namespace_import (identifier) @import.alias) @import) source: (_) @import.module)
; re-exports (`export { f } from './m'`, `export { f as g } from`, `export * from './m'`): the
; re-exporting module (an index.ts barrel) imports them; the resolver follows them (store/rev.c)
(export_statement (export_clause (export_specifier name: (_) @import.name) @import) source: (_) @import.module)
(export_statement (export_clause (export_specifier alias: (_) @import.alias) @import) source: (_) @import.module)
(export_statement "*" @import.name source: (_) @import.module) @import
; `export * as ns from './m'` (resolver 53): binds ns to the module's namespace, as `import * as`
(export_statement (namespace_export (identifier) @import.alias) @import source: (_) @import.module)

; ---- leaves ----
(identifier) @identifier
(shorthand_property_identifier) @identifier
[(string) (template_string) (number) (regex) (true) (false) (null) (undefined)] @literal
(comment) @comment
