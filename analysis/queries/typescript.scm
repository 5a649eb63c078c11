; inherits: _ecmascript
; TypeScript and TSX (tree-sitter-typescript 0.23) -> code property graph roles: the shared
; patterns of _ecmascript.scm (prepended at build time) plus TypeScript's parameters and
; declarations. Capture vocabulary: analysis/queries/README.md.

; ---- definitions ----
(required_parameter pattern: (identifier) @param.name) @param
(optional_parameter pattern: (identifier) @param.name) @param
(required_parameter pattern: (rest_pattern (identifier) @param.name)) @param
; a destructured parameter (`function Root({ onOpenChange, open: o }: Props)`): one parameter named
; by the pattern's text, whose names shadow definitions of theirs for bare calls (store/recv.c)
(required_parameter pattern: [(object_pattern) (array_pattern)] @param.name) @param
(optional_parameter pattern: [(object_pattern) (array_pattern)] @param.name) @param

(class_declaration name: (type_identifier) @type_decl.name) @type_decl
(class name: (type_identifier) @type_decl.name) @type_decl
(abstract_class_declaration name: (type_identifier) @type_decl.name) @type_decl
(interface_declaration name: (type_identifier) @type_decl.name) @type_decl
(type_alias_declaration name: (type_identifier) @type_decl.name) @type_decl
(enum_declaration name: (identifier) @type_decl.name) @type_decl
; a namespace (`export namespace Result { export function combine(..) }`, cg41): its functions are
; its members, called `Result.combine(..)` as a class's static methods are
(internal_module name: (identifier) @type_decl.name) @type_decl
(function_signature name: (identifier) @skip)

; a function cast to its declared type (zustand's `export const create = (<T>(..) => ..) as Create`,
; `satisfies`): named by its variable
(variable_declarator name: (identifier) @method.name value: (as_expression (parenthesized_expression [(arrow_function) (function_expression) (generator_function)] @method)))
(variable_declarator name: (identifier) @method.name value: (satisfies_expression (parenthesized_expression [(arrow_function) (function_expression) (generator_function)] @method)))
(variable_declarator name: (identifier) @method.name value: (as_expression [(arrow_function) (function_expression)] @method))
; a function cast to its type and assigned to a property (zustand's devtools middleware:
; `api.setState = ((state, ..) => {..}) as NamedSet<S>`, js19): named after the property, as
; without the cast
(assignment_expression left: (member_expression object: (_) @method.scope property: (property_identifier) @method.name) right: (as_expression (parenthesized_expression [(arrow_function) (function_expression) (generator_function)] @method)))
(assignment_expression left: (member_expression object: (_) @method.scope property: (property_identifier) @method.name) right: (satisfies_expression (parenthesized_expression [(arrow_function) (function_expression) (generator_function)] @method)))
(assignment_expression left: (member_expression object: (_) @method.scope property: (property_identifier) @method.name) right: (as_expression [(arrow_function) (function_expression)] @method))
