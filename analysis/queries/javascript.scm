; inherits: _ecmascript
; JavaScript (tree-sitter-javascript 0.23) -> code property graph roles: the shared patterns of
; _ecmascript.scm (prepended at build time) plus JavaScript's parameters, class names and JSX.
; Capture vocabulary: analysis/queries/README.md.

; ---- definitions ----
(formal_parameters (identifier) @param)
(formal_parameters (assignment_pattern left: (identifier) @param.name) @param)
(formal_parameters (rest_pattern (identifier) @param.name) @param)
; a destructured parameter (`function f({ cb, opts: o } = {})`): one parameter named by the
; pattern's text, whose names shadow definitions of theirs for bare calls (store/recv.c)
(formal_parameters [(object_pattern) (array_pattern)] @param)
(formal_parameters (assignment_pattern left: [(object_pattern) (array_pattern)] @param.name) @param)

(class_declaration name: (identifier) @type_decl.name) @type_decl
(class name: (identifier) @type_decl.name) @type_decl

; ---- JSX element names are not variable uses ----
(jsx_opening_element name: (identifier) @skip)
(jsx_closing_element name: (identifier) @skip)
(jsx_self_closing_element name: (identifier) @skip)
