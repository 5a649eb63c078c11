; inherits: _cfamily
; C++ (tree-sitter-cpp 0.23) -> code property graph roles: the shared patterns of
; _cfamily.scm (prepended at build time) plus C++'s own. Capture vocabulary:
; analysis/queries/README.md.

; ---- definitions ----
(function_definition declarator: (function_declarator declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @method.name)) @method
(function_definition declarator: (function_declarator declarator: (qualified_identifier scope: (_) @method.scope name: (_) @method.name))) @method
(function_definition declarator: (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier)] @method.name))) @method
(function_definition declarator: (reference_declarator (function_declarator declarator: [(identifier) (field_identifier)] @method.name))) @method
; `const char* Foo::name() const {` / `Foo& Foo::get() {` out of their class
(function_definition declarator: (pointer_declarator declarator: (function_declarator declarator: (qualified_identifier scope: (_) @method.scope name: (_) @method.name)))) @method
(function_definition declarator: (reference_declarator (function_declarator declarator: (qualified_identifier scope: (_) @method.scope name: (_) @method.name)))) @method
; conversion operators (`operator bool() const`, `Foo::operator int()`): named "operator T"
(function_definition declarator: (operator_cast) @method.name) @method
(function_definition declarator: (qualified_identifier scope: (_) @method.scope name: (operator_cast) @method.name)) @method

(parameter_declaration declarator: (reference_declarator (identifier) @param.name)) @param
(optional_parameter_declaration declarator: (identifier) @param.name) @param
(optional_parameter_declaration declarator: (reference_declarator (identifier) @param.name)) @param
(optional_parameter_declaration declarator: (pointer_declarator declarator: (identifier) @param.name)) @param

(class_specifier name: (type_identifier) @type_decl.name body: (_)) @type_decl
; `class Outer::Inner {` / `struct ns::S {` (a nested class defined out of its enclosing one)
(class_specifier name: (qualified_identifier scope: (_) @type_decl.scope name: (_) @type_decl.name) body: (_)) @type_decl
(struct_specifier name: (qualified_identifier scope: (_) @type_decl.scope name: (_) @type_decl.name) body: (_)) @type_decl

; ---- calls ----
(call_expression function: (field_expression argument: (_) @call.receiver field: (_) @call.name)) @call
(call_expression function: (qualified_identifier scope: (_) @call.receiver name: (_) @call.name)) @call
; `::ns::f()` (a leading `::`: the outer qualified_identifier has no scope): read as `ns::f()`
(call_expression function: (qualified_identifier !scope name: (qualified_identifier scope: (_) @call.receiver name: (_) @call.name))) @call
(call_expression function: (template_function name: (identifier) @call.name)) @call
(new_expression type: (_) @call.name) @call

; ---- control structures ----
(if_statement condition: (condition_clause value: (_) @if.cond)) @if

(while_statement condition: (condition_clause value: (_) @while.cond)) @while

(for_range_loop declarator: (identifier) @foreach.target) @foreach
(for_range_loop declarator: (reference_declarator (identifier) @foreach.target)) @foreach
(for_range_loop body: (_) @foreach.body) @foreach

(switch_statement condition: (condition_clause value: (_) @switch.cond)) @switch

(try_statement body: (_) @try.body) @try
(try_statement (catch_clause) @try.handler) @try
(try_statement (catch_clause parameters: (parameter_list (parameter_declaration declarator: (identifier) @try.target)))) @try
(try_statement (catch_clause parameters: (parameter_list (parameter_declaration declarator: (reference_declarator (identifier) @try.target))))) @try

(throw_statement) @throw

; ---- assignments ----
(assignment_expression left: [(field_expression) (subscript_expression) (pointer_expression) (parenthesized_expression) (qualified_identifier)] @assignment.target) @assignment
(init_declarator declarator: (reference_declarator (identifier) @assignment.target)) @assignment

; ---- imports ----
(using_declaration (qualified_identifier scope: (_) @import.module name: (_) @import.name)) @import

; ---- names that are not uses ----
(declaration declarator: (reference_declarator (identifier) @skip))
(qualified_identifier name: (identifier) @skip)

; ---- leaves ----
(this) @identifier
[(number_literal) (string_literal) (raw_string_literal) (char_literal) (concatenated_string)
 (true) (false) (null)] @literal
