; C and C++ (tree-sitter-c / tree-sitter-cpp 0.23): the patterns the two grammars share.
; Not a language of its own: c.scm and cpp.scm inherit it (a leading '_' keeps it from
; being embedded). Capture vocabulary: analysis/queries/README.md.

; ---- definitions ----
(function_definition body: (_) @method.body) @method

(parameter_declaration declarator: (identifier) @param.name) @param
(parameter_declaration declarator: (pointer_declarator declarator: (identifier) @param.name)) @param
(parameter_declaration declarator: (array_declarator declarator: (identifier) @param.name)) @param

(struct_specifier name: (type_identifier) @type_decl.name body: (_)) @type_decl
(union_specifier name: (type_identifier) @type_decl.name body: (_)) @type_decl
(enum_specifier name: (type_identifier) @type_decl.name body: (_)) @type_decl

; ---- calls ----
(call_expression function: (identifier) @call.name) @call
(call_expression) @call

; ---- control structures ----
(if_statement consequence: (_) @if.then) @if
(if_statement alternative: (else_clause (_) @if.else)) @if

(while_statement body: (_) @while.body) @while

(do_statement body: (_) @do.body) @do
(do_statement condition: (parenthesized_expression (_) @do.cond)) @do

(for_statement initializer: (_) @for.init) @for
(for_statement condition: (_) @for.cond) @for
(for_statement update: (_) @for.step) @for
(for_statement body: (_) @for.body) @for

(switch_statement body: (compound_statement (case_statement) @switch.case)) @switch
(switch_statement body: (compound_statement (case_statement "default") @switch.default)) @switch
(case_statement value: (identifier) @skip)

(return_statement) @return
(break_statement) @break
(continue_statement) @continue
(goto_statement) @control

; ---- assignments ----
(assignment_expression left: (identifier) @assignment.target operator: "=") @assignment
(assignment_expression left: (identifier) @assignment.update operator: ["+=" "-=" "*=" "/=" "%=" "&=" "|=" "^=" "<<=" ">>="]) @assignment
(update_expression argument: (identifier) @assignment.update) @assignment
(update_expression argument: [(field_expression) (subscript_expression) (pointer_expression)] @assignment.target) @assignment
(init_declarator declarator: (identifier) @assignment.target) @assignment
(init_declarator declarator: (pointer_declarator declarator: (identifier) @assignment.target)) @assignment
(init_declarator declarator: (array_declarator declarator: (identifier) @assignment.target)) @assignment

; ---- imports ----
(preproc_include path: (_) @import.module @import.name) @import

; ---- names that are not uses ----
(declaration declarator: (identifier) @skip)
(declaration declarator: (pointer_declarator declarator: (identifier) @skip))
(declaration declarator: (array_declarator declarator: (identifier) @skip))
(function_declarator declarator: (identifier) @skip)
(preproc_def name: (identifier) @skip)
(preproc_function_def name: (identifier) @skip)
(preproc_params (identifier) @skip)
(preproc_ifdef name: (identifier) @skip)

; ---- leaves ----
(identifier) @identifier
(comment) @comment
