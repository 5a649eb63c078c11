; Java (tree-sitter-java 0.23) -> code property graph roles.
; Capture vocabulary: analysis/queries/README.md.

; ---- definitions ----
(method_declaration name: (identifier) @method.name) @method
(method_declaration body: (_) @method.body) @method
(constructor_declaration name: (identifier) @method.name) @method
(constructor_declaration body: (_) @method.body) @method
(compact_constructor_declaration name: (identifier) @method.name) @method
(compact_constructor_declaration body: (_) @method.body) @method

(formal_parameter name: (identifier) @param.name) @param
(spread_parameter (variable_declarator name: (identifier) @param.name)) @param

(class_declaration name: (identifier) @type_decl.name) @type_decl
(interface_declaration name: (identifier) @type_decl.name) @type_decl
(enum_declaration name: (identifier) @type_decl.name) @type_decl
(record_declaration name: (identifier) @type_decl.name) @type_decl
(annotation_type_declaration name: (identifier) @type_decl.name) @type_decl

; ---- calls ----
(method_invocation name: (identifier) @call.name) @call
(method_invocation object: (_) @call.receiver) @call
(object_creation_expression type: (type_identifier) @call.name) @call
(object_creation_expression type: (generic_type (type_identifier) @call.name)) @call
(object_creation_expression type: (scoped_type_identifier) @call.name) @call
(explicit_constructor_invocation constructor: (_) @call.name) @call

; ---- control structures ----
(if_statement condition: (parenthesized_expression (_) @if.cond)) @if
(if_statement consequence: (_) @if.then) @if
(if_statement alternative: (_) @if.else) @if

(while_statement condition: (parenthesized_expression (_) @while.cond)) @while
(while_statement body: (_) @while.body) @while

(do_statement body: (_) @do.body) @do
(do_statement condition: (parenthesized_expression (_) @do.cond)) @do

(for_statement init: (_) @for.init) @for
(for_statement condition: (_) @for.cond) @for
(for_statement update: (_) @for.step) @for
(for_statement body: (_) @for.body) @for

(enhanced_for_statement name: (identifier) @foreach.target) @foreach
(enhanced_for_statement body: (_) @foreach.body) @foreach

(switch_expression condition: (parenthesized_expression (_) @switch.cond)) @switch
(switch_expression body: (switch_block (switch_block_statement_group) @switch.case)) @switch
(switch_expression body: (switch_block (switch_rule) @switch.arm)) @switch
(switch_expression body: (switch_block [(switch_block_statement_group (switch_label "default")) (switch_rule (switch_label "default"))] @switch.default)) @switch

(try_statement body: (_) @try.body) @try
(try_statement (catch_clause) @try.handler) @try
(try_statement (finally_clause) @try.finally) @try
(try_statement (catch_clause (catch_formal_parameter name: (identifier) @try.target))) @try
(try_with_resources_statement body: (_) @try.body) @try
(try_with_resources_statement (catch_clause) @try.handler) @try
(try_with_resources_statement (finally_clause) @try.finally) @try
(try_with_resources_statement (catch_clause (catch_formal_parameter name: (identifier) @try.target))) @try
(try_with_resources_statement resources: (resource_specification (resource name: (identifier) @try.target))) @try

(synchronized_statement body: (_) @with.body) @with

(return_statement) @return
(yield_statement) @return
(throw_statement) @throw
(break_statement) @break
(continue_statement) @continue
(break_statement (identifier) @skip)
(continue_statement (identifier) @skip)
(labeled_statement (identifier) @skip)

; ---- assignments ----
(assignment_expression left: (identifier) @assignment.target operator: "=") @assignment
(assignment_expression left: (identifier) @assignment.update operator: ["+=" "-=" "*=" "/=" "%=" "&=" "|=" "^=" "<<=" ">>=" ">>>="]) @assignment
(assignment_expression left: [(field_access) (array_access)] @assignment.target) @assignment
(update_expression (identifier) @assignment.update) @assignment
(update_expression [(field_access) (array_access)] @assignment.target) @assignment
(variable_declarator name: (identifier) @assignment.target value: (_)) @assignment
(variable_declarator name: (identifier) @skip)

; ---- imports ----
(import_declaration (scoped_identifier scope: (_) @import.module name: (identifier) @import.name)) @import
(import_declaration (scoped_identifier) @import.module (asterisk) @import.alias) @import

; ---- names that are not uses ----
(package_declaration (identifier) @skip)
(scoped_identifier scope: (identifier) @skip)
(scoped_identifier name: (identifier) @skip)
(field_access field: (identifier) @skip)
(lambda_expression parameters: (identifier) @skip)
(inferred_parameters (identifier) @skip)
(enum_constant name: (identifier) @skip)
(element_value_pair key: (identifier) @skip)

; ---- leaves ----
(identifier) @identifier
[(decimal_integer_literal) (hex_integer_literal) (octal_integer_literal) (binary_integer_literal)
 (decimal_floating_point_literal) (hex_floating_point_literal) (string_literal) (character_literal)
 (true) (false) (null_literal)] @literal
[(line_comment) (block_comment)] @comment
