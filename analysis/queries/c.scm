; inherits: _cfamily
; C (tree-sitter-c 0.23) -> code property graph roles: the shared patterns of _cfamily.scm
; (prepended at build time) plus C's own. Capture vocabulary: analysis/queries/README.md.

; ---- definitions ----
(function_definition declarator: (function_declarator declarator: (identifier) @method.name)) @method
(function_definition declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @method.name))) @method
(function_definition declarator: (pointer_declarator declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @method.name)))) @method

(parameter_declaration declarator: (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @param.name))) @param
(parameter_declaration declarator: (pointer_declarator declarator: (array_declarator declarator: (identifier) @param.name))) @param

(type_definition declarator: (type_identifier) @type_decl.name) @type_decl

; ---- calls ----
(call_expression function: (field_expression argument: (_) @call.receiver field: (field_identifier) @call.name)) @call

; ---- control structures ----
(if_statement condition: (parenthesized_expression (_) @if.cond)) @if

(while_statement condition: (parenthesized_expression (_) @while.cond)) @while

(switch_statement condition: (parenthesized_expression (_) @switch.cond)) @switch

; ---- assignments ----
(assignment_expression left: [(field_expression) (subscript_expression) (pointer_expression) (parenthesized_expression) (call_expression)] @assignment.target) @assignment
(init_declarator declarator: (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @assignment.target))) @assignment

; ---- leaves ----
[(number_literal) (string_literal) (char_literal) (concatenated_string) (true) (false) (null)] @literal
