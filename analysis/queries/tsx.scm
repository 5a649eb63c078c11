; inherits: typescript
; TSX (tree-sitter-typescript 0.23, tsx dialect): the TypeScript mapping (prepended at build
; time, see analysis/CMakeLists.txt) plus JSX, whose element names are not variable uses.
(jsx_opening_element name: (identifier) @skip)
(jsx_closing_element name: (identifier) @skip)
(jsx_self_closing_element name: (identifier) @skip)
