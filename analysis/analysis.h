/*
 * analysis.h - tree-sitter front ends: one source file in, its code property graph out.
 *
 * The graph of one file holds nodes (methods, calls, predicates, ...) with byte and line
 * spans, and the intra-file edges: ast, contains, cfg, cdg, reaching_def. Call edges cross
 * files and are resolved by the store per indexed revision from what this module records on
 * each node (names, qualified names, receivers, imports).
 *
 * Languages are described by tree-sitter query files (analysis/queries/<lang>.scm, embedded
 * into the library at build time) plus a small table (analysis/lang_*.c); the core never
 * names a language's grammar symbols. The capture vocabulary is in analysis/queries/README.md.
 *
 * Edge conventions (all intra-procedural edges stay inside one method):
 *  - ast: nearest emitted ancestor -> node. One grammar node may yield several graph nodes,
 *    outermost first (`if f(x):` gives predicate -> call for the condition `f(x)`).
 *  - contains: the innermost enclosing method -> each node inside it (a nested method's own
 *    nodes belong to it, the nested method node itself to the outer one).
 *  - cfg: between the method node and its "statement-level" nodes: the outermost graph nodes
 *    met walking the body in source order (control, predicate, call, assignment, return,
 *    identifier, import; a call inside an assignment is not a vertex, the assignment is).
 *    The METHOD NODE IS BOTH ENTRY AND EXIT: method -> first statement; every statement that
 *    leaves the method (a return, a throw, the last statement of the body) -> method (an
 *    empty body gives no edge). An if is control -> predicate -> {then, else}; loops go back
 *    to their predicate (while, for) or to their control node (foreach, do, condition-less
 *    for, Rust loop); break goes past
 *    the loop/switch, continue to the loop head (for: through the step); switch cases are
 *    entered from the predicate, fall through where the language does (C, C++, Java, JS) and
 *    the predicate also goes past the switch unless there is a default; try: the try node
 *    goes to the body and to each handler, body and handlers to the finally part; throw goes
 *    to the exit. Nodes not on a cfg vertex (a call inside an assignment) take the vertex of
 *    their nearest ancestor. Code outside methods has no cfg. Short-circuit operators,
 *    conditional expressions and exceptions raised by individual statements are not modelled.
 *  - cdg: control dependence computed from post-dominance on the cfg (Ferrante et al.): a
 *    predicate (or loop/try/switch control node) -> each vertex that runs only on some of its
 *    branches, e.g. a return inside an if depends on the if's predicate. Not transitive.
 *  - reaching_def: from a definition (assignment node, parameter node, or the control node
 *    of a for/foreach/with/catch that binds a loop or handler variable) to each identifier
 *    node that uses the same name and that the definition reaches along cfg paths without an
 *    intervening redefinition (gen/kill, iterated to a fixed point). var = the name. Only
 *    plain names are variables (`self.x = 1` is an assignment but defines no variable).
 *    Methods with more than 4000 definitions get none (as Joern does), nor do methods whose
 *    bit sets would pass 32 MiB.
 *    A nested method's uses of its enclosing method's names get no edge (closures are not
 *    modelled; a lambda that is no method, e.g. Python's, is part of the enclosing method).
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message), except inside
 * tree-sitter, whose allocator aborts (it has no failure path); the analyzer's memory budget
 * refuses inputs long before that. CC_ASSERT guards internal invariants only, never input.
 */
#ifndef CC_ANALYSIS_H
#define CC_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	CC_LANG_UNKNOWN = 0,
	CC_LANG_PYTHON,
	CC_LANG_C,
	CC_LANG_CPP,
	CC_LANG_JAVA,
	CC_LANG_JAVASCRIPT,
	CC_LANG_TYPESCRIPT,
	CC_LANG_TSX,
	CC_LANG_GO,
	CC_LANG_RUST,
	CC_LANG_COUNT
} cc_lang;

/* Language of a path by its extension; CC_LANG_UNKNOWN when not supported. */
cc_lang cc_lang_from_path(const char *path);
/* Like cc_lang_from_path, but a header whose extension C and C++ share (.h) is C++ when the
 * code of its first 64 KiB (comments and string/char literals left out) shows C++ ("::",
 * namespace, template <, class access labels, virtual):
 * parsing C++ as C costs heavy error recovery. src may be NULL (then: by path only). */
cc_lang cc_lang_detect(const char *path, const char *src, size_t len);
/* "python", "c", ...; "unknown" for CC_LANG_UNKNOWN. */
const char *cc_lang_name(cc_lang lang);

/* Node kinds: the vocabulary the CLI prints (cc_node_kind_name). Order is stable: it is
 * stored in databases. */
typedef enum {
	CC_NODE_METHOD = 0, /* function / method definition; name = simple name */
	CC_NODE_PARAM,      /* formal parameter; name = parameter name */
	CC_NODE_CALL,       /* call expression; name = callee simple name */
	CC_NODE_CONTROL,    /* if/while/for/switch/try/with/match/break/continue/throw... */
	CC_NODE_PREDICATE,  /* condition expression of a control structure */
	CC_NODE_RETURN,     /* return statement */
	CC_NODE_ASSIGNMENT, /* assignment, augmented or annotated; name = first target name */
	CC_NODE_IMPORT,     /* import / include / use; name = imported name */
	CC_NODE_TYPE_DECL,  /* class / struct / interface / enum; name = type name */
	CC_NODE_IDENTIFIER, /* use of a name; name = the identifier */
	CC_NODE_LITERAL,    /* string / number / boolean literal */
	CC_NODE_COMMENT,
	CC_NODE_KIND_COUNT
} cc_node_kind;

typedef enum {
	CC_EDGE_AST = 0,      /* parent -> child (nearest emitted ancestor) */
	CC_EDGE_CONTAINS,     /* method -> every node inside it */
	CC_EDGE_CFG,          /* intra-procedural control flow between statement-level nodes */
	CC_EDGE_CDG,          /* control dependence: predicate/control -> dependent node */
	CC_EDGE_REACHING_DEF, /* definition (assignment/param) -> use (identifier), var = name */
	CC_EDGE_CALL,         /* call site -> method definition (resolved by the store) */
	CC_EDGE_KIND_COUNT
} cc_edge_kind;

const char *cc_node_kind_name(cc_node_kind k);
const char *cc_edge_kind_name(cc_edge_kind k);
/* Parse a kind name; -1 when unknown. */
int cc_node_kind_parse(const char *name);
int cc_edge_kind_parse(const char *name);

/* Strings are offsets into cc_file_graph.names (NUL-terminated); offset 0 is "" (no name). */
/* Names are at most 200 bytes of valid UTF-8 (invalid bytes and control characters become
 * '?', whitespace runs one space). Node names by kind:
 *   method/type_decl: the simple name; qual: names of the enclosing type_decls and methods
 *     joined by the language's separator ("Class.method", "Point::new", "outer.inner"),
 *     within the file (the store adds the module/path);
 *   call: the callee's simple name ("join" for os.path.join(x)); qual: the receiver's source
 *     text ("os.path", "self", "" for a bare call);
 *   control: the construct: "if", "while", "for" (also for-each loops), "do", "switch"
 *     (also match), "try", "with", "break", "continue", "throw", or the grammar's node type
 *     for other control statements ("goto_statement");
 *   assignment: the first target's text ("x", "self.count", "a" for a, b = ...);
 *   import: the name it binds (alias if any: "np" for import numpy as np; "*" for a
 *     wildcard); qual: the module path without quotes ("numpy", "os.path" for import
 *     os.path, "os" for from os import path, "java.util" for import java.util.List,
 *     "stdio.h" for #include <stdio.h>);
 *   param, identifier: the name; predicate, return, literal, comment: "" */
typedef struct {
	uint8_t kind;        /* cc_node_kind */
	int32_t parent;      /* AST parent node index in this file, -1 at file level */
	int32_t method;      /* enclosing method node index, -1 outside any method */
	uint32_t start_byte; /* [start_byte, end_byte) into the file */
	uint32_t end_byte;
	uint32_t start_line; /* 1-based */
	uint32_t end_line;   /* 1-based, inclusive */
	uint32_t start_col;  /* 0-based byte column */
	uint32_t end_col;
	uint32_t name; /* see the kind's comment above */
	/* method: qualified name ("Class.method", "pkg.func"); call: receiver text ("self",
	 * "os.path", "" for a bare call); import: the module path ("os.path", "stdio.h");
	 * type_decl: qualified name; otherwise 0 */
	uint32_t qual;
} cc_node;

typedef struct {
	uint8_t kind;     /* cc_edge_kind; never CC_EDGE_CALL here */
	int32_t src, dst; /* node indexes in this file */
	uint32_t var;     /* reaching_def: variable name (names offset); otherwise 0 */
	float confidence; /* 1.0 for intra-file edges */
} cc_edge;

typedef struct {
	cc_lang lang;
	cc_node *nodes;
	uint32_t n_nodes;
	cc_edge *edges;
	uint32_t n_edges;
	char *names; /* string pool, names[0] == '\0' */
	uint32_t names_len;
	uint32_t n_errors; /* ERROR and MISSING nodes in the parse tree (syntax errors) */
} cc_file_graph;
/* Node order: preorder of the syntax tree (a parent before its children, siblings in source
 * order), so node indexes are stable for a given source and grammar version. Edge order:
 * the ast and contains edges in node order, then per method its cfg, cdg and reaching_def
 * edges. */

typedef struct cc_analyzer cc_analyzer;

/* One analyzer per thread. Returns CC_OK or CC_ENOMEM / CC_EUNSUPPORTED (a grammar whose ABI
 * the tree-sitter runtime refuses: the message names the language and both versions). */
int cc_analyzer_new(cc_analyzer **out);
void cc_analyzer_free(cc_analyzer *a); /* NULL ok */

/* Cancellation: while *flag is non-zero, cc_analyze on this analyzer stops with CC_ECANCELED
 * (checked before parsing, every CC_PARSE_SLICE_US of the parse, every 1024 query matches,
 * every 4096 tree nodes and per method of the flow phase). The flag is read, never
 * written; it must outlive the analyzer's use. NULL (the default) = never cancelled. A daemon
 * sets the flag it passes (cc_index_opts.cancel for the indexer) from its SIGTERM handler. */
void cc_analyzer_set_cancel(cc_analyzer *a, const volatile int *flag);

/* The parse's slice in microseconds (0 = CC_PARSE_SLICE_US): how often a parse stops to read
 * the cancellation flag and resumes. For tests that make parses stop and resume often. */
void cc_analyzer_set_parse_slice(cc_analyzer *a, uint64_t us);

/* Memory budget in bytes (0 = none; default CC_ANALYSIS_MEM_BUDGET): cc_analyze refuses, with
 * CC_ETOOBIG and a message giving the estimate, a source whose analysis would take more than
 * this, estimated at CC_ANALYSIS_BYTES_PER_BYTE bytes per source byte (measured peak ~285). */
#define CC_ANALYSIS_BYTES_PER_BYTE 300u
#define CC_ANALYSIS_MEM_BUDGET (4ull << 30)
void cc_analyzer_set_memory_budget(cc_analyzer *a, uint64_t bytes);

/* Analyse one file. The source need not be NUL-terminated nor valid UTF-8; syntax errors are
 * recovered (counted in n_errors), never fatal. On success *out is a new graph the caller
 * frees with cc_file_graph_free; the source is not kept. Fails with CC_EUNSUPPORTED for
 * CC_LANG_UNKNOWN, CC_ETOOBIG ("nesting too deep ...") for sources over 4 GiB, for sources
 * whose estimated parse stack passes CC_NEST_LIMIT (twice the open bracket depth plus the
 * words and operators chained since the last ';', ',' or line break: tree-sitter 0.20.7
 * corrupts its heap near 65,535 unreduced tokens, e.g. 33,000 `f(`), or whose syntax tree's summed node
 * depths pass CC_DEPTH_BUDGET + CC_DEPTH_PER_BYTE * len (tens of thousands of nested
 * brackets: tree-sitter's query engine is quadratic in depth), CC_ETIMEDOUT when the parse
 * exceeds CC_PARSE_BUDGET_US + CC_PARSE_US_PER_BYTE * len microseconds (only adversarial
 * input does: real code parses ~100x faster), CC_EPARSE when a query file is broken (a bug),
 * CC_ENOMEM. */
#define CC_PARSE_BUDGET_US 2000000u
#define CC_PARSE_US_PER_BYTE 20u
#define CC_PARSE_SLICE_US 20000u /* the parse reads the cancellation flag this often */
#define CC_DEPTH_BUDGET 50000000u
#define CC_DEPTH_PER_BYTE 256u
#define CC_NEST_LIMIT 50000u
int cc_analyze(cc_file_graph **out, cc_analyzer *a, cc_lang lang, const char *src, size_t len);
void cc_file_graph_free(cc_file_graph *g); /* NULL ok */

/* Identifies what produced a graph: "analysis <digest of the core's sources, the query
 * files, the pinned grammar versions and the store's links code (store/recv.c, codec.c)>".
 * Databases record it; a different value means stored graphs are stale and are re-analysed.
 * Static string. */
const char *cc_analysis_version(void);

static inline const char *cc_graph_str(const cc_file_graph *g, uint32_t off)
{
	return g->names + off;
}

#ifdef __cplusplus
}
#endif
#endif
