/*
 * analysis_int.h - internals shared by the analysis core files (analysis.c, graph.c, cfg.c,
 * dataflow.c) and the per-language tables (lang_*.c). Not installed, not for other modules.
 *
 * A language is a cc_lang_desc: its grammar, its query file (queries/<lang>.scm, embedded at
 * build time) and a few flags. The query's capture names are the whole mapping from grammar
 * node types to graph roles; the vocabulary is documented in queries/README.md and parsed by
 * cc_role_parse below.
 */
#ifndef CC_ANALYSIS_INT_H
#define CC_ANALYSIS_INT_H

/* The module's include directory is every dependent's: a file outside analysis/ reaches these
 * internals only by saying so (white-box tests and benchmarks define CC_ANALYSIS_INTERNAL). */
#ifndef CC_ANALYSIS_INTERNAL
#error "analysis_int.h is internal to analysis/: include analysis.h"
#endif

#include "analysis.h"

#include <tree_sitter/api.h>

/* Language flags. */
enum {
	CC_LANGF_FALLTHROUGH = 1u << 0, /* switch cases fall through to the next (C, Java, JS) */
};

typedef struct {
	cc_lang lang;
	const char *name;                   /* cc_lang_name */
	const char *const *exts;            /* NULL-terminated list of extensions, with the dot */
	const TSLanguage *(*grammar)(void); /* tree_sitter_<lang>() */
	const char *query;                  /* embedded query source (queries/<name>.scm) */
	const char *qual_sep;               /* separator of qualified names: "." or "::" */
	unsigned flags;                     /* CC_LANGF_* */
	/* Optional: is this method capture (node n, name bytes [*ns, *ne) of src) a definition?
	 * Returns 0 to drop it (it is then no method), 1 to keep it; may move the name span. */
	int (*def_check)(const char *src, size_t len, TSNode n, uint32_t *ns, uint32_t *ne);
} cc_lang_desc;

/* The C/C++ def_check (cdefs.c): keywords, attribute and ALL-CAPS macros, unnamed regions,
 * = default / = delete members are no definitions. */
int cc_c_def_check(const char *src, size_t len, TSNode n, uint32_t *ns, uint32_t *ne);

/* C/C++ (cdefs.c): a copy of src[0, len) for the parser with export/visibility macros
 * between `class`/`struct` and the type's name blanked (`class LEVELDB_EXPORT Status {`,
 * `class GTEST_API_ Test : public X {`), which tree-sitter otherwise reads as a declaration
 * without a body, losing the class and its methods' scope. Same length, so byte offsets
 * stay those of src. *out NULL when nothing was blanked (parse src itself); CC_ENOMEM. */
int cc_c_parse_copy(char **out, const char *src, size_t len);

/* TypeScript/TSX (lang_typescript.c): a copy of src[0, len) for the parser with the `type` of
 * `export type * from` / `export type * as ns from` blanked (tree-sitter-typescript 0.23.2
 * does not know that statement; without `type` it is the plain re-export it parses). Same
 * length; *out NULL when nothing was blanked; CC_ENOMEM. Strings and comments are not told
 * apart: a blanked word there changes no syntax node (texts are read from src). */
int cc_ts_parse_copy(char **out, const char *src, size_t len);

/* The registry (languages.c): descriptor of a language, NULL when unknown. */
const cc_lang_desc *cc_lang_desc_get(cc_lang lang);

/* Main roles: capture names without a dot. Each may be given to any grammar node. */
typedef enum {
	R_NONE = 0,
	R_METHOD,
	R_PARAM,
	R_CALL,
	R_PREDICATE,
	R_RETURN,
	R_ASSIGNMENT,
	R_IMPORT,
	R_TYPE_DECL,
	R_IDENTIFIER,
	R_LITERAL,
	R_COMMENT,
	/* control nodes; the flow role says how the CFG goes through them (when a node has
	 * several, the first in this order wins: foreach before for) */
	R_IF,
	R_WHILE,
	R_FOREACH,
	R_FOR,
	R_DO,
	R_SWITCH,
	R_TRY,
	R_WITH,
	R_BREAK,
	R_CONTINUE,
	R_THROW,
	R_CONTROL,
	R_SKIP, /* not a use of a name (attribute names, keyword argument names...) */
	R_MAIN_COUNT
} cc_role;

/* Sub roles: the part after the dot in "<main>.<sub>", attached to the node captured as
 * <main> in the same match. */
typedef enum {
	S_NONE = 0,
	S_NAME,
	S_RECEIVER,
	S_MODULE,
	S_ALIAS,
	S_TARGET,
	S_UPDATE,
	S_COND,
	S_THEN,
	S_ELSE,
	S_BODY,
	S_INIT,
	S_STEP,
	S_CASE,
	S_DEFAULT,
	S_HANDLER,
	S_FINALLY,
	S_SCOPE,
	S_ARM,
	S_SUB_COUNT
} cc_subrole;

/* Parse a capture name into (main, sub); returns 0, or -1 when the name is not part of the
 * vocabulary. Names starting with '_' are ignored helpers (main = sub = 0, returns 0). */
int cc_role_parse(const char *name, uint32_t len, int *main_role, int *sub_role);
const char *cc_role_name(int main_role);

/* ---- graph builder (graph.c) ---- */
typedef struct {
	cc_file_graph *g;
	uint32_t cap_nodes, cap_edges, cap_names;
	/* string interning: open addressing over names offsets */
	uint32_t *strtab;
	uint32_t strtab_cap, strtab_n;
} cc_gbuild;

int cc_gbuild_init(cc_gbuild *b, cc_lang lang);
void cc_gbuild_abort(cc_gbuild *b); /* frees the partial graph */
/* Intern a string (bytes are sanitised: invalid UTF-8 and control characters become '?',
 * runs of whitespace one space, at most CC_NAME_MAX bytes). *off = 0 for an empty string. */
#define CC_NAME_MAX 200
int cc_gbuild_str(uint32_t *off, cc_gbuild *b, const char *s, size_t len);
int cc_gbuild_node(int32_t *idx, cc_gbuild *b, const cc_node *n);
int cc_gbuild_edge(cc_gbuild *b, cc_edge_kind kind, int32_t src, int32_t dst, uint32_t var);

/* ---- one file's analysis state (analysis.c fills it, flow.c reads it) ---- */

/* A grammar node some query captured. */
typedef struct {
	const void *id; /* TSNode.id */
	TSNode tsn;
	uint32_t mains;              /* bits (1u << cc_role) */
	uint32_t subs;               /* bits (1u << cc_subrole): how this node was used as a sub */
	uint32_t sub_begin, sub_end; /* its own sub captures: x->subs[sub_begin, sub_end) */
	int32_t node;                /* outermost graph node emitted for it, -1 when none */
} cc_cap;

/* A sub capture: node `tsn` plays role `sub` for the capture `owner`. */
typedef struct {
	uint32_t owner;
	uint32_t sub;
	TSNode tsn;
} cc_subcap;

/* A variable definition (assignment target, parameter, loop/with target) or use. */
typedef struct {
	int32_t node; /* the assignment/param/control node (def) or identifier node (use) */
	uint32_t var; /* names offset */
} cc_varref;

typedef struct {
	const cc_lang_desc *lang;
	const char *src;
	size_t len;
	cc_cap *caps;
	uint32_t n_caps, cap_caps;
	cc_subcap *subs;
	uint32_t n_subs, cap_subs;
	uint32_t *hash; /* cap index + 1, open addressing on TSNode.id */
	uint32_t hash_cap;
	cc_varref *defs, *uses;
	uint32_t n_defs, cap_defs, n_uses, cap_uses;
	const uint32_t *sym_roles; /* per grammar symbol: roles of single-node patterns */
	uint32_t n_sym;
	int32_t *methods; /* method node indexes */
	uint32_t *method_caps;
	uint32_t n_methods, cap_methods, cap_method_caps;
	cc_gbuild b;
	const volatile int *cancel; /* the analyzer's cancellation flag (NULL: none) */
} cc_actx;

/* Slot hash of a grammar node's id in the capture table (analysis.c fills the table). */
static inline uint32_t cc_cap_hash(const void *p)
{
	uint64_t v = (uint64_t)(uintptr_t)p;
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	return (uint32_t)v;
}

/* The capture record of a grammar node, NULL when no query captured it. Inline here so that
 * flow.c reads the table without calling back into analysis.c (which calls flow.c). */
static inline cc_cap *cc_cap_find(const cc_actx *x, TSNode n)
{
	if (!x->hash_cap || ts_node_is_null(n))
		return NULL;
	uint32_t mask = x->hash_cap - 1;
	for (uint32_t i = cc_cap_hash(n.id) & mask;; i = (i + 1) & mask) {
		uint32_t c = x->hash[i];
		if (!c)
			return NULL;
		if (x->caps[c - 1].id == n.id)
			return &x->caps[c - 1];
	}
}

/* Control flow, control dependence and reaching definitions of every method (flow.c). */
int cc_flow_build(cc_actx *x);

/* Reaching definitions of one method (dataflow.c): gen/kill sets iterated to a fixed point
 * with a worklist over the method's CFG, then one reaching_def edge per (definition, use) of
 * the same variable. Vertex 0 is the method entry, vertex i > 0 is items[i - 1]; successor
 * lists in CSR form (succ_off has n_vert + 1 entries; a successor n_vert is the exit and is
 * ignored). itemv maps a graph node to the vertex it belongs to. */
int cc_rdef_build(cc_gbuild *b, uint32_t n_vert, const uint32_t *succ_off, const uint32_t *succ,
                  const int32_t *items, int32_t method, const cc_varref *defs, uint32_t n_defs,
                  const cc_varref *uses, uint32_t n_uses, const uint32_t *itemv);

/* CC_OK when the tree-sitter runtime accepts a grammar of this ABI version, else
 * CC_EUNSUPPORTED with a message naming the language and both versions. */
int cc_grammar_abi_check(const char *name, uint32_t version);

/* The compiled query of a language (compiled on first use; owned by the analyzer). For
 * benchmarks that time the query phase alone. */
int cc_analyzer_query(TSQuery **out, cc_analyzer *a, cc_lang lang);

/* Methods with more definitions than this get no reaching_def edges (as Joern does). */
#define CC_RDEF_MAX_DEFS 4000
/* ...and so do methods whose bit sets would pass this many 64-bit words (32 MiB each set). */
#define CC_RDEF_MAX_WORDS (4u << 20)

#endif
