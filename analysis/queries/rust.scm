; Rust (tree-sitter-rust 0.23) -> code property graph roles.
; Capture vocabulary: analysis/queries/README.md. An impl block is a type_decl named after
; its type, so that methods get qualified names such as Point::new.

; ---- definitions ----
(function_item name: (identifier) @method.name) @method
(function_item body: (_) @method.body) @method

(parameter pattern: (identifier) @param.name) @param
(parameter pattern: (mut_pattern (identifier) @param.name)) @param
(self_parameter (self) @param.name) @param
(closure_parameters (identifier) @skip)

(struct_item name: (type_identifier) @type_decl.name) @type_decl
(enum_item name: (type_identifier) @type_decl.name) @type_decl
(union_item name: (type_identifier) @type_decl.name) @type_decl
(trait_item name: (type_identifier) @type_decl.name) @type_decl
(type_item name: (type_identifier) @type_decl.name) @type_decl
(impl_item type: (type_identifier) @type_decl.name) @type_decl
(impl_item type: (generic_type type: (type_identifier) @type_decl.name)) @type_decl
(impl_item type: (primitive_type) @type_decl.name) @type_decl

; ---- calls ----
(call_expression function: (identifier) @call.name) @call
(call_expression function: (field_expression value: (_) @call.receiver field: (field_identifier) @call.name)) @call
(call_expression function: (scoped_identifier path: (_) @call.receiver name: (identifier) @call.name)) @call
(call_expression function: (generic_function function: (identifier) @call.name)) @call
(call_expression function: (generic_function function: (field_expression value: (_) @call.receiver field: (field_identifier) @call.name))) @call
(call_expression function: (generic_function function: (scoped_identifier path: (_) @call.receiver name: (identifier) @call.name))) @call
(call_expression) @call
(macro_invocation macro: (identifier) @call.name) @call
(macro_invocation macro: (scoped_identifier path: (_) @call.receiver name: (identifier) @call.name)) @call

; ---- control structures ----
(if_expression condition: (_) @if.cond) @if
(if_expression consequence: (_) @if.then) @if
(if_expression alternative: (else_clause (_) @if.else)) @if
(let_condition pattern: (identifier) @skip)

(while_expression condition: (_) @while.cond) @while
(while_expression body: (_) @while.body) @while
(loop_expression body: (_) @for.body) @for
(for_expression body: (_) @foreach.body) @foreach
(for_expression pattern: (identifier) @foreach.target) @foreach
(for_expression pattern: (tuple_pattern (identifier) @foreach.target)) @foreach

(match_expression value: (_) @switch.cond) @switch
(match_expression body: (match_block (match_arm) @switch.case)) @switch

(return_expression) @return
(break_expression) @break
(continue_expression) @continue

; ---- assignments ----
(assignment_expression left: (identifier) @assignment.target) @assignment
(assignment_expression left: [(field_expression) (index_expression) (unary_expression)] @assignment.target) @assignment
(compound_assignment_expr left: (identifier) @assignment.update) @assignment
(compound_assignment_expr left: [(field_expression) (index_expression) (unary_expression)] @assignment.target) @assignment
(let_declaration pattern: (identifier) @assignment.target value: (_)) @assignment
(let_declaration pattern: (mut_pattern (identifier) @assignment.target) value: (_)) @assignment
(let_declaration pattern: (tuple_pattern (identifier) @assignment.target) value: (_)) @assignment
(let_declaration pattern: (identifier) @skip)
(let_declaration pattern: (mut_pattern (identifier) @skip))

; ---- imports ----
(use_declaration argument: (identifier) @import.name) @import
(use_declaration argument: (scoped_identifier path: (_) @import.module name: (identifier) @import.name)) @import
(use_declaration argument: (use_as_clause path: (scoped_identifier path: (_) @import.module name: (_) @import.name) alias: (identifier) @import.alias)) @import
(use_declaration argument: (use_as_clause path: (identifier) @import.module alias: (identifier) @import.alias)) @import
(scoped_use_list path: (_) @import.module list: (use_list (identifier) @import @import.name))
(scoped_use_list path: (_) @import.module list: (use_list (use_as_clause path: (_) @import.name alias: (identifier) @import.alias) @import))
(use_wildcard (_) @import.module) @import

; ---- names that are not uses ----
(scoped_identifier path: (identifier) @skip)
(scoped_identifier name: (identifier) @skip)
(use_list (identifier) @skip)
(use_list (self) @skip)

; ---- leaves ----
(identifier) @identifier
(self) @identifier
[(integer_literal) (float_literal) (string_literal) (raw_string_literal) (char_literal)
 (boolean_literal)] @literal
[(line_comment) (block_comment)] @comment
