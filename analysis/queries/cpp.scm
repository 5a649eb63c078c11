; C++ (tree-sitter-cpp 0.23) -> code property graph roles.
; Capture vocabulary: analysis/queries/README.md.

; ---- definitions ----
(function_definition declarator: (function_declarator declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @method.name)) @method
(function_definition declarator: (function_declarator declarator: (qualified_identifier scope: (_) @method.scope name: (_) @method.name))) @method
(function_definition declarator: (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier)] @method.name))) @method
(function_definition declarator: (reference_declarator (function_declarator declarator: [(identifier) (field_identifier)] @method.name))) @method
; conversion operators (`operator bool() const`, `Foo::operator int()`): named "operator T"
(function_definition declarator: (operator_cast) @method.name) @method
(function_definition declarator: (qualified_identifier scope: (_) @method.scope name: (operator_cast) @method.name)) @method
(function_definition body: (_) @method.body) @method

(parameter_declaration declarator: (identifier) @param.name) @param
(parameter_declaration declarator: (pointer_declarator declarator: (identifier) @param.name)) @param
(parameter_declaration declarator: (reference_declarator (identifier) @param.name)) @param
(parameter_declaration declarator: (array_declarator declarator: (identifier) @param.name)) @param
(optional_parameter_declaration declarator: (identifier) @param.name) @param
(optional_parameter_declaration declarator: (reference_declarator (identifier) @param.name)) @param
(optional_parameter_declaration declarator: (pointer_declarator declarator: (identifier) @param.name)) @param

(class_specifier name: (type_identifier) @type_decl.name body: (_)) @type_decl
(struct_specifier name: (type_identifier) @type_decl.name body: (_)) @type_decl
(union_specifier name: (type_identifier) @type_decl.name body: (_)) @type_decl
(enum_specifier name: (type_identifier) @type_decl.name body: (_)) @type_decl

; ---- calls ----
(call_expression function: (identifier) @call.name) @call
(call_expression function: (field_expression argument: (_) @call.receiver field: (_) @call.name)) @call
(call_expression function: (qualified_identifier scope: (_) @call.receiver name: (_) @call.name)) @call
(call_expression function: (template_function name: (identifier) @call.name)) @call
(call_expression) @call
(new_expression type: (_) @call.name) @call

; ---- control structures ----
(if_statement condition: (condition_clause value: (_) @if.cond)) @if
(if_statement consequence: (_) @if.then) @if
(if_statement alternative: (else_clause (_) @if.else)) @if

(while_statement condition: (condition_clause value: (_) @while.cond)) @while
(while_statement body: (_) @while.body) @while
(do_statement body: (_) @do.body) @do
(do_statement condition: (parenthesized_expression (_) @do.cond)) @do

(for_statement initializer: (_) @for.init) @for
(for_statement condition: (_) @for.cond) @for
(for_statement update: (_) @for.step) @for
(for_statement body: (_) @for.body) @for
(for_range_loop declarator: (identifier) @foreach.target) @foreach
(for_range_loop declarator: (reference_declarator (identifier) @foreach.target)) @foreach
(for_range_loop body: (_) @foreach.body) @foreach

(switch_statement condition: (condition_clause value: (_) @switch.cond)) @switch
(switch_statement body: (compound_statement (case_statement) @switch.case)) @switch
(switch_statement body: (compound_statement (case_statement "default") @switch.default)) @switch
(case_statement value: (identifier) @skip)

(try_statement body: (_) @try.body) @try
(try_statement (catch_clause) @try.handler) @try
(try_statement (catch_clause parameters: (parameter_list (parameter_declaration declarator: (identifier) @try.target)))) @try
(try_statement (catch_clause parameters: (parameter_list (parameter_declaration declarator: (reference_declarator (identifier) @try.target))))) @try

(return_statement) @return
(throw_statement) @throw
(break_statement) @break
(continue_statement) @continue
(goto_statement) @control

; ---- assignments ----
(assignment_expression left: (identifier) @assignment.target operator: "=") @assignment
(assignment_expression left: (identifier) @assignment.update operator: ["+=" "-=" "*=" "/=" "%=" "&=" "|=" "^=" "<<=" ">>="]) @assignment
(assignment_expression left: [(field_expression) (subscript_expression) (pointer_expression) (parenthesized_expression) (qualified_identifier)] @assignment.target) @assignment
(update_expression argument: (identifier) @assignment.update) @assignment
(update_expression argument: [(field_expression) (subscript_expression) (pointer_expression)] @assignment.target) @assignment
(init_declarator declarator: (identifier) @assignment.target) @assignment
(init_declarator declarator: (pointer_declarator declarator: (identifier) @assignment.target)) @assignment
(init_declarator declarator: (reference_declarator (identifier) @assignment.target)) @assignment
(init_declarator declarator: (array_declarator declarator: (identifier) @assignment.target)) @assignment

; ---- imports ----
(preproc_include path: (_) @import.module @import.name) @import
(using_declaration (qualified_identifier scope: (_) @import.module name: (_) @import.name)) @import

; ---- names that are not uses ----
(declaration declarator: (identifier) @skip)
(declaration declarator: (pointer_declarator declarator: (identifier) @skip))
(declaration declarator: (reference_declarator (identifier) @skip))
(declaration declarator: (array_declarator declarator: (identifier) @skip))
(function_declarator declarator: (identifier) @skip)
(qualified_identifier name: (identifier) @skip)
(preproc_def name: (identifier) @skip)
(preproc_function_def name: (identifier) @skip)
(preproc_params (identifier) @skip)
(preproc_ifdef name: (identifier) @skip)

; ---- leaves ----
(identifier) @identifier
(this) @identifier
[(number_literal) (string_literal) (raw_string_literal) (char_literal) (concatenated_string)
 (true) (false) (null)] @literal
(comment) @comment
