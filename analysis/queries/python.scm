; Python (tree-sitter-python 0.23) -> code property graph roles.
; Capture vocabulary: analysis/queries/README.md.

; ---- definitions ----
(function_definition name: (identifier) @method.name) @method
(function_definition body: (_) @method.body) @method
(class_definition name: (identifier) @type_decl.name) @type_decl

(parameters (identifier) @param)
(lambda_parameters (identifier) @skip)
(parameters (default_parameter name: (identifier) @param.name) @param)
(parameters (typed_parameter . (identifier) @param.name) @param)
(parameters (typed_default_parameter name: (identifier) @param.name) @param)
(parameters (list_splat_pattern (identifier) @param.name) @param)
(parameters (dictionary_splat_pattern (identifier) @param.name) @param)
(parameters (typed_parameter (list_splat_pattern (identifier) @param.name)) @param)
(parameters (typed_parameter (dictionary_splat_pattern (identifier) @param.name)) @param)

; ---- calls ----
(call function: (identifier) @call.name) @call
(call function: (attribute object: (_) @call.receiver attribute: (identifier) @call.name)) @call
(call) @call

; ---- control structures ----
(if_statement condition: (_) @if.cond) @if
(if_statement consequence: (_) @if.then) @if
(if_statement alternative: (_) @if.else) @if
(elif_clause condition: (_) @if.cond) @if
(elif_clause consequence: (_) @if.then) @if

(while_statement condition: (_) @while.cond) @while
(while_statement body: (_) @while.body) @while
(while_statement alternative: (_) @while.else) @while

(for_statement body: (_) @foreach.body) @foreach
(for_statement alternative: (_) @foreach.else) @foreach
(for_statement left: (identifier) @foreach.target) @foreach
(for_statement left: (pattern_list (identifier) @foreach.target)) @foreach
(for_statement left: (tuple_pattern (identifier) @foreach.target)) @foreach

(try_statement body: (_) @try.body) @try
(try_statement (except_clause) @try.handler) @try
(try_statement (except_group_clause) @try.handler) @try
(try_statement (else_clause) @try.else) @try
(try_statement (finally_clause) @try.finally) @try
(try_statement (except_clause alias: (identifier) @try.target)) @try
(try_statement (except_clause value: (as_pattern alias: (as_pattern_target (identifier) @try.target)))) @try
(try_statement (except_group_clause (as_pattern alias: (as_pattern_target (identifier) @try.target)))) @try

(with_statement body: (_) @with.body) @with
(with_statement (with_clause (with_item value: (as_pattern alias: (as_pattern_target (identifier) @with.target))))) @with

(match_statement subject: (_) @switch.cond) @switch
(match_statement body: (block (case_clause) @switch.arm)) @switch

(break_statement) @break
(continue_statement) @continue
(raise_statement) @throw
(return_statement) @return
(assert_statement) @control
(delete_statement) @control
(global_statement (identifier) @skip) @control
(nonlocal_statement (identifier) @skip) @control

; ---- assignments (statement level, so `a = b = 1` is one assignment with two targets) ----
(expression_statement (assignment left: (identifier) @assignment.target) @assignment)
(expression_statement (assignment left: [(attribute) (subscript)] @assignment.target) @assignment)
(expression_statement (assignment left: [(pattern_list) (tuple_pattern) (list_pattern)] @_t) @assignment)
(expression_statement (assignment left: (pattern_list (identifier) @assignment.target)) @assignment)
(expression_statement (assignment left: (tuple_pattern (identifier) @assignment.target)) @assignment)
(expression_statement (assignment left: (list_pattern (identifier) @assignment.target)) @assignment)
(expression_statement (assignment right: (assignment left: (identifier) @assignment.target)) @assignment)
(expression_statement (assignment right: (assignment right: (assignment left: (identifier) @assignment.target))) @assignment)
(expression_statement (augmented_assignment left: (identifier) @assignment.update) @assignment)
(expression_statement (augmented_assignment left: [(attribute) (subscript)] @assignment.update) @assignment)
(named_expression name: (identifier) @assignment.target) @assignment

; ---- imports: one import node per imported name ----
(import_statement name: (dotted_name) @import.module @import.name @import)
(import_statement name: (aliased_import name: (dotted_name) @import.module alias: (identifier) @import.alias) @import)
(import_from_statement module_name: (_) @import.module name: (dotted_name) @import.name @import)
(import_from_statement module_name: (_) @import.module name: (aliased_import name: (dotted_name) @import.name alias: (identifier) @import.alias) @import)
(import_from_statement module_name: (_) @import.module (wildcard_import) @import.name @import)

; ---- names that are not uses ----
(attribute attribute: (identifier) @skip)
(keyword_argument name: (identifier) @skip)
(dotted_name (identifier) @skip)
; comprehension variables are bound there, not used (their scope is not modelled)
(for_in_clause left: (identifier) @skip)
(for_in_clause left: (pattern_list (identifier) @skip))
(for_in_clause left: (tuple_pattern (identifier) @skip))

; ---- leaves ----
(identifier) @identifier
[(string) (integer) (float) (true) (false) (none) (concatenated_string)] @literal
(comment) @comment
