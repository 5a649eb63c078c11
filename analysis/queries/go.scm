; Go (tree-sitter-go 0.23) -> code property graph roles.
; Capture vocabulary: analysis/queries/README.md.

; ---- definitions ----
(function_declaration name: (identifier) @method.name) @method
(function_declaration body: (_) @method.body) @method
(method_declaration name: (field_identifier) @method.name) @method
(method_declaration body: (_) @method.body) @method
(method_declaration receiver: (parameter_list (parameter_declaration type: (type_identifier) @method.scope))) @method
(method_declaration receiver: (parameter_list (parameter_declaration type: (pointer_type (type_identifier) @method.scope)))) @method
(method_declaration receiver: (parameter_list (parameter_declaration type: (generic_type type: (type_identifier) @method.scope)))) @method
(method_declaration receiver: (parameter_list (parameter_declaration type: (pointer_type (generic_type type: (type_identifier) @method.scope))))) @method
(func_literal body: (_) @method.body) @method

(parameter_declaration name: (identifier) @param)
(variadic_parameter_declaration name: (identifier) @param)

(type_spec name: (type_identifier) @type_decl.name) @type_decl

; ---- calls ----
(call_expression function: (identifier) @call.name) @call
(call_expression function: (selector_expression operand: (_) @call.receiver field: (field_identifier) @call.name)) @call
(call_expression) @call

; ---- control structures ----
(if_statement condition: (_) @if.cond) @if
(if_statement consequence: (_) @if.then) @if
(if_statement alternative: (_) @if.else) @if

(for_statement body: (_) @for.body) @for
(for_statement (for_clause initializer: (_) @for.init)) @for
(for_statement (for_clause condition: (_) @for.cond)) @for
(for_statement (for_clause update: (_) @for.step)) @for
(for_statement [(binary_expression) (unary_expression) (identifier) (call_expression) (selector_expression) (parenthesized_expression) (true) (false)] @for.cond) @for
(for_statement (range_clause) body: (_) @foreach.body) @foreach
(for_statement (range_clause left: (expression_list (identifier) @foreach.target))) @foreach

(expression_switch_statement value: (_) @switch.cond) @switch
(expression_switch_statement (expression_case) @switch.case) @switch
(expression_switch_statement (default_case) @switch.case @switch.default) @switch
(type_switch_statement value: (_) @switch.cond) @switch
(type_switch_statement (type_case) @switch.case) @switch
(type_switch_statement (default_case) @switch.case @switch.default) @switch
(select_statement (communication_case) @switch.case) @switch
(select_statement (default_case) @switch.case @switch.default) @switch

(return_statement) @return
(break_statement) @break
(continue_statement) @continue
(goto_statement) @control
(fallthrough_statement) @control

; ---- assignments ----
(assignment_statement left: (expression_list (identifier) @assignment.target) operator: "=") @assignment
(assignment_statement left: (expression_list (identifier) @assignment.update) operator: ["+=" "-=" "*=" "/=" "%=" "&=" "|=" "^=" "<<=" ">>=" "&^="]) @assignment
(assignment_statement left: (expression_list [(selector_expression) (index_expression) (unary_expression)] @assignment.target)) @assignment
(short_var_declaration left: (expression_list (identifier) @assignment.target)) @assignment
(inc_statement (identifier) @assignment.update) @assignment
(dec_statement (identifier) @assignment.update) @assignment
(inc_statement [(selector_expression) (index_expression)] @assignment.target) @assignment
(dec_statement [(selector_expression) (index_expression)] @assignment.target) @assignment
(var_spec name: (identifier) @assignment.target value: (_)) @assignment
(var_spec name: (identifier) @skip)
(const_spec name: (identifier) @skip)

; ---- imports ----
(import_spec path: (_) @import.module @import.name) @import
(import_spec name: (_) @import.alias path: (_) @import.module) @import

; ---- leaves ----
(identifier) @identifier
[(int_literal) (float_literal) (imaginary_literal) (rune_literal) (interpreted_string_literal)
 (raw_string_literal) (true) (false) (nil)] @literal
(comment) @comment
