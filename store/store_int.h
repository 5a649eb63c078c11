/*
 * store_int.h - internals shared by the store's files: the handle, the blob codecs, the git
 * file listing, the link table used to resolve call edges.
 */
#ifndef CC_STORE_INT_H
#define CC_STORE_INT_H

/* The module's include directory is every dependent's: a file outside store/ reaches these
 * internals only by saying so (white-box tests define CC_STORE_INTERNAL). */
#ifndef CC_STORE_INTERNAL
#error "store_int.h is internal to store/: include cc_store.h"
#endif

#include "cc_common.h"
#include "cc_store.h"

#include <git2.h>
#include <sqlite3.h>
#include <sys/types.h>
#include <time.h>

#define CC_STORE_SCHEMA_VERSION 4
/* Version of the call resolution rules (rev.c). Stored call edge counts (rev_files.n_calls)
 * were made under some version; a writer opening a database recorded with another forgets
 * them (schema.c), so no count from old rules is carried forward. Bump it with any change
 * to how calls resolve. */
#define CC_STORE_RESOLVER_VERSION "64"
#define CC_STORE_ID_SHIFT 24
#define CC_STORE_MAX_NODES (1u << CC_STORE_ID_SHIFT)

/* What identifies the repository at a path between two calls (cache.c): device and inode
 * of the path and of its git dir, and the git dir's change time. */
typedef struct {
	dev_t dev, gdev;
	ino_t ino, gino;
	struct timespec gctime;
} cc_repo_stamp;

/* Prepared statements a handle keeps between calls (cache.c). */
typedef enum {
	CC_STMT_FIND_REV,   /* revision row of (repo key, commit) */
	CC_STMT_FILE_GRAPH, /* blob and graph of (repo key, commit, path) in one step */
	CC_STMT_REV_BLOB,   /* blob of (rev_id, path) */
	CC_STMT_GRAPH,      /* graph of a blob */
	CC_STMT_CONTENT,    /* content of a blob */
	CC_STMT_BLOB_OID,   /* git id of a blob row */
	CC_STMT_COUNT
} cc_store_stmt_id;

struct cc_store {
	sqlite3 *db;
	char *path;
	int readonly;
	/* Reader caches (cache.c), private to the handle, so used by one thread at a time like
	 * it. The repository last read through the handle: reused while the path names the same
	 * directory and git dir (device, inode, change time); its refs are re-read on every
	 * resolution, only the opened object is kept. */
	struct {
		char *arg;           /* repo_path as the caller gave it */
		cc_repo_stamp stamp; /* of arg and its git dir when opened */
		git_repository *repo;
		char *key; /* cc_git_repo_key */
	} repo;
	sqlite3_stmt *stmt[CC_STMT_COUNT];
	/* The revision edges were last answered from, with the data version of the database it
	 * was loaded at (SQLITE_FCNTL_DATA_VERSION: changes with any commit to the database by
	 * any connection), so a re-index or any other write reloads it. */
	struct cc_store_rev *rev;
	unsigned rev_version;
	/* How to let go of rev: set by rev.c (cc_store_rev_free) with it, so that this file's
	 * layer (schema.c < cache.c < rev.c) never calls up into rev.c. */
	void (*rev_release)(struct cc_store_rev *rev);
};

/* Map a SQLite failure to CC_EDB/CC_EBUSY with a message naming what was being done. */
int cc_store_sqlerr(cc_store *s, int sqlrc, const char *what);

/* ---- cache.c: what a handle keeps between calls ---- */

/* The opened repository at repo_path and its key in the database (cc_git_repo_key), owned by
 * s and valid until the next call of this function on s or cc_store_free. Opens it (errors as
 * cc_git_open) unless the handle's cached one is for the same path naming the same directory
 * and git dir. */
int cc_store_repo(git_repository **repo, const char **key, cc_store *s, const char *repo_path);
/* The handle's prepared statement id (prepared on first use), owned by s. The caller binds,
 * steps and must sqlite3_reset it before returning (a statement left active would hold a read
 * transaction open). CC_EDB naming `what` when it cannot be prepared. */
int cc_store_stmt(sqlite3_stmt **out, cc_store *s, cc_store_stmt_id id, const char *what);
/* The data version of the main database as of the connection's last transaction (see struct
 * cc_store). */
unsigned cc_store_data_version(cc_store *s);
/* Release what the handle caches (cc_store_free calls it). */
void cc_store_cache_clear(cc_store *s);

/* ---- codec.c: byte buffers, graph and link blobs ---- */

/* A growing byte buffer. Out of memory is sticky: oom is set, later puts do nothing, and the
 * encoder that filled it reports CC_ENOMEM once at its end. */
typedef struct {
	uint8_t *p;
	size_t len, cap;
	int oom;
} cc_buf;

void cc_buf_put(cc_buf *b, const void *data, size_t n);
void cc_buf_varint(cc_buf *b, uint64_t v);
void cc_buf_free(cc_buf *b);

/* Serialize the nodes and edges of g (not the source) into out (appended). CC_ENOMEM. */
int cc_graph_encode(cc_buf *out, const cc_file_graph *g);
/* Decode a graph blob; *out is a new graph, allocated like analysis' graphs: release it with
 * cc_file_graph_free. CC_EDB when the blob is malformed. */
int cc_graph_decode(cc_file_graph **out, const void *data, size_t len);
/* The same with nodes_only: the nodes and names only (n_edges 0, the edges not read). */
int cc_graph_decode_part(cc_file_graph **out, const void *data, size_t len, int nodes_only);

/* Per-blob link info: what call resolution needs, small enough to load for a revision. */
typedef struct {
	uint32_t index;
	uint8_t kind;        /* CC_NODE_METHOD / CC_NODE_TYPE_DECL */
	uint32_t name, qual; /* offsets into the link pool */
	uint32_t nested;     /* defined inside a method (a local function; version 2) */
	/* type declarations: the simple names of the base classes and interfaces,
	 * comma-separated, or "" (version 3) */
	uint32_t bases;
	/* type declarations: data members and their types, "name:Type,..." (cc_class_fields),
	 * or "" (version 4) */
	uint32_t fields;
	/* methods: the declared return type (cc_method_return), or "" (version 4); a Rust
	 * `impl Deref for T` block: its Target (cc_rust_type_target, resolver 56) */
	uint32_t ret;
	/* CC_DEF_* (version 6) */
	uint32_t flags;
	/* C++: the namespace path the definition is in ("fmt::detail": cc_cpp_namespaces), or ""
	 * (version 7) */
	uint32_t ns;
	/* C++: how many of the file's lone identifier lines (cc_links.lone) come before the
	 * definition: the namespace macros open then (version 8) */
	uint32_t nsk;
	/* TS functions: the parameter types of their function-typed parameters, "k.j:T,..." (the
	 * j-th parameter of parameter k's `(a: T0, b: T1) => R`: cc_method_callbacks), or ""
	 * (version 9) */
	uint32_t cb;
	/* nested definitions: how many nodes before it its enclosing method's node is (the method
	 * spans index - up .. index + nested - 2; version 13), else 0 */
	uint32_t up;
	/* Java/C++ methods (resolver 51, cg34): how many arguments a call may pass, 0 not known,
	 * else 1 + min + (max << 8), max 255 for a variadic one (cc_def_arity; version 14) */
	uint32_t arity;
} cc_link_def;
#define CC_DEF_PRIVATE 0x1 /* not visible outside its file (cc_def_private) */
#define CC_DEF_MEMBER 0x2  /* C++: a member function whatever its qual says (cc_def_member) */
#define CC_DEF_FIXTURE 0x4 /* Python: a pytest fixture (cc_def_fixture; cg25) */
/* JS/TS: a function assigned to a member (`x.m = function ..`; js_member_set, cg29) */
#define CC_DEF_MEMBER_SET 0x8
/* JS/TS: a member of an object literal its enclosing named function returns (cc_def_returned;
 * cg29-tsx) */
#define CC_DEF_RETURNED 0x10
/* Java: a method without a body, an interface's or an abstract one; an interface or an abstract
 * class (cc_def_abstract; cg31) */
#define CC_DEF_ABSTRACT 0x20
/* Rust: a type declaration that is an impl block (`impl Hash for Bytes`, `impl Foo`), not the
 * type's own struct/enum/trait/union/type declaration (cc_def_rust_impl; resolver 52, cg35) */
#define CC_DEF_IMPL 0x40
typedef struct {
	uint32_t index;
	uint32_t name, recv, encl; /* callee name, receiver text, enclosing method's qual */
	uint32_t rtype;            /* receiver's type name as declared in the file, or 0 */
	uint32_t flags;            /* CC_CALL_* */
	/* Java/C++ (resolver 51, cg34): 1 + how many arguments the call passes, 0 not known
	 * (cc_call_nargs; version 14) */
	uint32_t nargs;
} cc_link_call;
typedef struct {
	uint32_t name, qual; /* imported name, module path */
	uint32_t whole;      /* JS/TS: the name binds the module itself (`x = require('m')`,
	                        `import x from 'm'`), not one of its names (version 6): 1; 2
	                        for a namespace, `import * as x`, `export * as x from`,
	                        `x = require('m')` (version 15, resolver 53) */
} cc_link_import;
typedef struct {
	cc_link_def *defs;
	uint32_t n_defs;
	cc_link_call *calls;
	uint32_t n_calls;
	cc_link_import *imports;
	uint32_t n_imports;
	char *pool;
	uint32_t pool_len;
	/* C/C++ type aliases the file declares, "Name:Type,..." (cc_type_aliases; ".Name:Type"
	 * for one local to a function), or "" (version 5) */
	uint32_t aliases;
	/* JS/TS: the file's default export (cc_default_export), or "" (version 6) */
	uint32_t dflt;
	/* C/C++: the namespace macros the file defines (cc_ns_macros), or "" (version 8) */
	uint32_t nsmac;
	/* C++: the file's lines consisting of one identifier (cc_lone_lines), in order,
	 * comma-separated: where a namespace macro of the revision opens or closes (version 8) */
	uint32_t lone;
	/* JS/TS: the members the file sets to a bound function, `m: f.bind(..)` in an object
	 * literal or `x.m = f.bind(..)`, as "m:f,...", and a function's object literals' shorthand
	 * properties "a:a@Q" (cc_js_bound_members), or "" (version 10); React contexts (ts20):
	 * "%X{}:X" a context the file creates, "%H():X" a function H reading useContext(X),
	 * "%X.a:f@Q" a provider's `value={{ a: f }}` inside function Q (no call is named "%..") */
	uint32_t bound;
	/* Go: the package-level variables the file declares with the type they show, "X:T,..."
	 * (cc_go_package_vars), or "" (version 11); Python (cg25): its module-level variables
	 * of a class's type, the same way */
	uint32_t gvars;
	/* Go: per call, "N@p" (call N's receiver is parameter p of its function, cc_call_info
	 * rparam - 1) and "N:i=T,.." (its arguments' types), joined by ';' in call order, or ""
	 * (version 12) */
	uint32_t cargs;
} cc_links;

/* CC_ENOMEM is the only failure. */
int cc_links_encode(cc_buf *out, const cc_file_graph *g);
/* The same, with the source the graph was made from: calls then also record what recv.c
 * reads from their file (receiver types, shadowing). src may be NULL (= cc_links_encode). */
int cc_links_encode_src(cc_buf *out, const cc_file_graph *g, const char *src, size_t len);

/* ---- recv.c: per call site facts read from its own file ---- */
#define CC_CALL_SHADOWED 0x1    /* bare callee name is a parameter/local of an enclosing method */
#define CC_CALL_RECV_LOCAL 0x2  /* receiver is a parameter/local variable (not a module/class) */
#define CC_CALL_RECV_FIELD 0x4  /* receiver is a member: self.F / this.F / this->F (rtype ""), or
                                  v.F / v->F of a variable v of type rtype (then rtype names
                                  v's type, the owner of F, not the receiver's) */
#define CC_CALL_RECV_MEMBER 0x8 /* C++: the callee follows its receiver by '.' or '->' (a
                                   member access: the receiver is no namespace); Rust (cg41):
                                   by '.' */
#define CC_CALL_TOP_VALUE 0x10  /* JS/TS: a bare callee name a module-level variable of its file
                                 * binds (`const getPrototypeOf = O.getPrototypeOf`), no
                                 * function of the file */
#define CC_CALL_DESTRUCT 0x20   /* JS/TS: a bare callee name a destructuring parameter or local
                                 * of an enclosing function binds (`{ onOpenChange }: Props`,
                                 * `const { close } = useX()`): no guess by its name (guess_ok);
                                 * the name-only tiers stay (a store's own `getCode: () => ..`);
                                 * from a React context, `= useContext(X)` / `= useX()`, rtype
                                 * is "%X" / "%%useX" (rev.c ctx_cands) */
#define CC_CALL_LOCAL_FN 0x40   /* JS/TS: a bare callee name a function-valued declaration of an
                                * enclosing function binds (`const f = () => ..`): rtype is
                                * "@N", N the function's node index in the file (rev.c) */
#define CC_CALL_FN_VALUE 0x80   /* JS/TS (cg29): a bare callee name a local bound to a call's
                                * value binds (`const useStore = create(..)`, `= create()(..)`):
                                * rtype is "^N*A", N the node index of the bound call's callee
                                * call, A how many calls apply to it (rev.c fn_value_cands reads
                                * what its definition returns, cc_method_return's "^..") */
#define CC_CALL_MACRO 0x100     /* Rust (cg41): a macro's invocation (`chain!(..)`,
                                 * `itertools::chain!(..)`): no function runs by its name */
typedef struct {
	uint32_t flags; /* CC_CALL_* */
	/* simple type name of the receiver variable (malloc'd), or NULL; "*T": a smart pointer
	 * or box of T */
	char *rtype;
	/* Go (resolver 36): 1 + the position of the enclosing function's parameter that the
	 * receiver is (the method receiver not counted), when its declared type names no type of
	 * the repository (a library interface, `h http.Handler`); else 0 */
	int32_t rparam;
	/* Go: the types of the call's arguments that are variables whose type shows, "i=T,j=T"
	 * (i the argument's position, T as rtype; malloc'd), or NULL */
	char *args;
} cc_call_info;
/* Fill out[0, g->n_nodes) (entries of call nodes only; others zeroed). The caller frees
 * each rtype and args (also on failure). src NULL: all zero. CC_ENOMEM is the only failure. */
int cc_call_infos(cc_call_info *out, const cc_file_graph *g, const char *src, size_t len);
/* The base classes (and implemented interfaces) a type declaration node names in its header,
 * as simple names joined by ',' into out ("" when none, not a type declaration, src NULL):
 * Python `class A(B, m.C)`, Java/JS/TS `extends B implements I`, C++ `: public B<T>`. */
void cc_class_bases(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                    const char *src, size_t len);
/* The data members of a type declaration node with the types they are declared with, as
 * "name:Type" joined by ',' into out ("" when none; "*T" for a smart pointer or box of T):
 * C++/Java `Foo *x_;` `private final Foo foo = ...;`, Rust `x: Box<Foo>,`, Go `x *Foo`,
 * TS `private x: Foo;` `x = new Foo()`. Go's embedded types are appended to bases (bcap bytes,
 * comma-separated) since their methods are promoted. */
void cc_class_fields(char *out, size_t cap, char *bases, size_t bcap, const cc_file_graph *g,
                     uint32_t node, const char *src, size_t len);
/* TS: what a function node's function-typed parameters pass their callbacks, "k.j:T,..." into
 * out: parameter k declared `(a: T0, b: T1) => R` gives "k.0:T0,k.1:T1" for each Tj that is a
 * plain type name ("" when none, other languages, src NULL). Reads the definition's parameter
 * list only (at most a few KB of its text). */
void cc_method_callbacks(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                         const char *src, size_t len);
/* The return type a method node declares (Rust/Python `-> T`, TS `): T`, Go's first result),
 * simple name: "?T" for Option<T>/Result<T, E> (Rust), "*T" for a box, "Self" as written;
 * "" when none shows. */
void cc_method_return(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                      const char *src, size_t len);
/* Rust: a method of `impl Tr<X> for T`: X's last segment, else "" (stored in the method's
 * bases as "%X", resolver 50). */
void cc_rust_impl_arg(char *out, size_t cap, const cc_file_graph *g, uint32_t node, const char *src,
                      size_t len);
/* Is method node `node` private to its file: Rust without `pub` (outside a trait and a trait
 * impl), Java `private`, JS/TS `private` / `#name`, a C/C++ `static` free function? 0 when
 * unknown. */
/* JS/TS (cg29): is the function a member of an object literal its enclosing function returns
 * (`return { m() {..} }`, `let api = {..}; return api`)? */
int cc_def_returned(const cc_file_graph *g, uint32_t node, const char *src, size_t len);
/* JS/TS (cg29): a member of an object literal a function assigns to a property P (`x.P = {
 * m: () => .. }`): "=P" into out, else "". Stored as the method's fields. */
void cc_def_prop(char *out, size_t cap, const cc_file_graph *g, uint32_t node, const char *src,
                 size_t len);
int cc_def_private(const cc_file_graph *g, uint32_t node, const char *src, size_t len);
/* Java (cg31): is the method declared without a body (`double area();`, `abstract T read(..);`),
 * the type declaration an interface or an abstract class? */
int cc_def_abstract(const cc_file_graph *g, uint32_t node, const char *src, size_t len);
int cc_def_rust_impl(const cc_file_graph *g, uint32_t node, const char *src, size_t len);
/* Rust (resolver 56, cg39): the Target of an `impl Deref for T` block node, written as a declared
 * type ("" for other nodes, a generic parameter or another crate's path). Stored as the impl
 * block's ret. */
void cc_rust_type_target(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                         const char *src, size_t len);
/* C++ (resolver 56, cg39): can `T()` construct class node T without a constructor definition
 * the index holds (no constructor declared, or a zero-argument one declared without a body:
 * `T() = default;`)? Stored as the type declaration's ret "()". */
int cc_cpp_default_ctor(const cc_file_graph *g, uint32_t node, const char *src, size_t len);
/* Java/C++ (cg34): how many arguments method node `node` takes, from its parameter list: 0 when
 * not known, else 1 + min + (max << 8), max 255 when variadic (Java `T... xs`, C/C++ `...`,
 * a C++ parameter pack); C++ parameters with a default value in the definition count
 * towards max only. */
uint32_t cc_def_arity(const cc_file_graph *g, uint32_t node, const char *src, size_t len);
/* Java/C++ (cg34): 1 + how many arguments call node `node` passes (its last parenthesized
 * list), 0 when not known (no list closing the call, an argument list with a `<` at its own
 * level: a generic or a comparison). */
uint32_t cc_call_nargs(const cc_file_graph *g, uint32_t node, const char *src, size_t len);
/* Python (cg25): is the function a pytest fixture (`@pytest.fixture`, `@fixture`)? */
int cc_def_fixture(const cc_file_graph *g, uint32_t node, const char *src, size_t len);
/* Python (cg25): a fixture's value class when it has no return annotation (every return or
 * yield `T(..)` or a local assigned `T(..)`, T imported or defined by the file), else "". */
void cc_py_fixture_value(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                         const char *src, size_t len);
/* Python (cg26): a fixture annotated `-> Iterator[T]` / `Generator[T, ..]` / `Iterable[T]` (or
 * an Async form) yields T: T as cc_method_return writes it, else "". */
void cc_py_fixture_yield(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                         const char *src, size_t len);
/* C++: is method node `node` a member function by its qualifiers (`) const`, `override`,
 * `final`, `volatile` after the parameters), even where the analyser lost its class (template
 * specialisations)? */
int cc_def_member(const cc_file_graph *g, uint32_t node, const char *src, size_t len);
/* Appends to out the members its methods assign a constructed or annotated value to:
 * Python `self.x = Foo(...)` / `self.x: Foo = ...`, JS/TS `this.x = new Foo(...)` (the first
 * assignment of each name). */
void cc_self_fields(char *out, size_t cap, const cc_file_graph *g, uint32_t node,
                    const char *src, size_t len);
/* The type aliases a C/C++ file declares, `using Name = Type;` and `typedef Type Name;` at
 * any scope, as "Name:Type" joined by ',' into out (Type reduced like a member's type: "*T"
 * for a smart pointer of T, template arguments and namespaces dropped); ".Name:Type" for one
 * declared inside a function (it binds only that file's calls); "" when none, another
 * language or src NULL. */
void cc_type_aliases(char *out, size_t cap, const cc_file_graph *g, const char *src, size_t len);
/* JS/TS: the members a file sets to a bound function of a plain name, `{ m: f.bind(..) }`
 * (a key after `{` or `,`) or `x.m = f.bind(..)`, as "m:f", and the shorthand properties of an
 * object literal made inside a function Q (`x = { a, b }`, `return { a, b }`, no destructuring),
 * as "a:a@Q", joined by ',' into out (what fits in cap; "" when none, another language or src
 * NULL). */
void cc_js_bound_members(char *out, size_t cap, const cc_file_graph *g, const char *src,
                         size_t len);
/* Go: the package-level variables a file declares (`var X = &T{..}`, `var X = T{..}`, `var X =
 * NewT(..)`, `var X T`, in a `var (..)` block too) whose type shows, as "X:T" joined by ','
 * into out: T a simple type name ("!T" a standard library package's type; a composite
 * literal's type before a written one, `var X Iface = &T{..}` is a T), or "=|F|" / "=pkg|F|"
 * for the value of a call of F, whose declared result type the store reads (a written type
 * before it); "" when none, another language or src NULL. Python (cg25): the module-level
 * variables assigned once (or always alike) as `X: T = ..` or `X = T(..)`, "X:T" ("!T" for a
 * class the file neither imports nor defines). */
void cc_go_package_vars(char *out, size_t cap, const cc_file_graph *g, const char *src,
                        size_t len);
/* JS/TS: the name a file exports as its default (`module.exports = NAME`, `exports =
 * module.exports = NAME`, `export default NAME`, `export default function NAME`), or "@M" for
 * `module.exports = require('M')` (M's default export); "" when none shows. */
void cc_default_export(char *out, size_t cap, const cc_file_graph *g, const char *src,
                       size_t len);
/* CommonJS imports of a JS/TS file: `x = require("m")` binds x to module m. Fills up to cap
 * entries and returns how many there are. */
typedef struct {
	uint32_t name;    /* names offset in the graph of the bound variable */
	char module[256]; /* the module string, without its quotes */
	char lname[64];   /* (cg42) when set, the name instead of name: a member of an object
	                   * literal `module.exports = { p: require('m'), ...require('m') }`,
	                   * "p" (m's function p) or "*" (all of m's, `export * from`) */
} cc_require;
size_t cc_require_imports(cc_require *out, size_t cap, const cc_file_graph *g, const char *src,
                          size_t len);
/* C++: the namespace blocks of a file, `namespace a::b { .. }`: [open, close) byte ranges
 * (from the `{`) with their path ("a::b", nested blocks joined to their parents'; an anonymous
 * or inline namespace adds nothing; one opened by a macro, FMT_BEGIN_NAMESPACE, is not seen
 * here: rev.c joins it per revision, cc_ns_macros and cc_lone_lines). Fills up to cap blocks
 * in the order of their `{` and returns how many there are. */
typedef struct {
	uint32_t open, close;
	long parent; /* the enclosing block's index, -1 none */
	char path[128];
} cc_ns_block;
size_t cc_cpp_namespaces(cc_ns_block *out, size_t cap, const char *src, size_t len);
/* The path of the innermost of blocks b[0, n) containing byte at, or "". */
const char *cc_ns_at(const cc_ns_block *b, size_t n, uint32_t at);
/* C/C++: the object-like macros a file defines whose whole body opens namespaces (`#define
 * FMT_BEGIN_NAMESPACE namespace fmt { inline namespace v12 {`) or closes blocks (`} }`), written
 * to out (cap bytes, always terminated) as "NAME+path/k," (opens k braces; path the opened
 * non-inline components joined, "" for inline or anonymous ones only) or "NAME-k," (closes k);
 * also those opening one other block (`export {`: "NAME+/1,", so that its closer pairs with
 * it) and empty ones ("NAME=,": another definition of a name then makes it ambiguous). A body
 * with anything else (a macro's use, opens and closes together) is none of these. Returns how
 * many entries out holds (those that did not fit left out). */
size_t cc_ns_macros(char *out, size_t cap, const char *src, size_t len);
/* C++: the lines consisting of one identifier (comments aside; outside comments, strings and
 * preprocessor lines): where a macro such as FMT_BEGIN_NAMESPACE is used. Fills up to cap
 * (offset, length) pairs in source order (off and wlen may be NULL with cap 0) and returns how
 * many there are. */
size_t cc_lone_lines(uint32_t *off, uint32_t *wlen, size_t cap, const char *src, size_t len);
int cc_links_decode(cc_links *out, const void *data, size_t len);
void cc_links_clear(cc_links *l);

/* ---- git.c: the files of a revision or of the working tree ---- */

typedef struct {
	char *path;
	git_oid oid;
	uint64_t size;    /* work tree files only; 0 for files of a commit (read later) */
	cc_lang lang;     /* by path; the indexer refines it by content (cc_lang_detect) */
	const char *skip; /* NULL, or a reason (static string) */
	int from_workdir; /* content is read from the work tree file, not the object db */
	cc_file_id fid;   /* work tree files: the file hashed when listing (re-checked on read) */
} cc_git_file;

typedef struct {
	cc_git_file *files;
	size_t n, cap;
	char *workdir;   /* with trailing '/', NULL for bare repositories */
	char commit[41]; /* hex, or "worktree" */
	int oom;         /* an allocation failed while listing (cc_git_list fails CC_ENOMEM) */
} cc_git_listing;

/* Open a repository with a clear error (CC_EGIT "PATH is not a git repository"). */
int cc_git_open(git_repository **out, const char *path);
/* Resolve a rev-spec to a commit id (hex). CC_ENOTFOUND with a message naming it. */
int cc_git_resolve(char out[41], git_repository *repo, const char *rev);
/* The effective size limit of a run. */
size_t cc_git_max_bytes(const cc_index_opts *opts);
/* List the files of rev (or the work tree) with their skip decisions. */
int cc_git_list(cc_git_listing *out, git_repository *repo, const char *rev,
                const cc_index_opts *opts);
void cc_git_listing_clear(cc_git_listing *l);
/* Repository identity stored in the db (absolute, no trailing slash). */
int cc_git_repo_key(char **out, git_repository *repo);
/* Normalize a user path to a repo-relative one (malloc'd; NULL when out of memory). */
char *cc_git_relpath(git_repository *repo, const char *path);

/* ---- tsconfig.c: TS/JS path aliases ---- */

/* The path aliases of the listed revision's tsconfig.json / jsconfig.json files, as lines
 * "SCOPE\tPATTERN\tTARGET\n", and its package.json files' scopes, self-references, `imports`
 * and workspace entries, as lines "SCOPE\tNAME\tTARGET\tp\n" or "...\tw\n" (see tsconfig.c), into *text (malloc'd, the caller frees; NULL
 * when there are none: configs that are absent or not JSON add nothing). Returns 0, or
 * CC_ENOMEM (with a message; *text NULL). */
int cc_ts_paths(char **text, git_repository *repo, const cc_git_listing *l);
/* Are the aliases stored with revision rev_id the text given (NULL = none)? */
int cc_store_ts_paths_equal(cc_store *s, int64_t rev_id, const char *text);

/* ---- rev.c: revisions and call resolution ---- */

/* Find the revision row of (repo, rev). CC_ENOTFOUND when not indexed. *repo_out (may be
 * NULL) is the opened repository, owned by s (cc_store_repo). */
int cc_store_find_rev(int64_t *rev_id, char commit[41], git_repository **repo_out,
                      cc_store *s, const char *repo_path, const char *rev);

/* The blob of path in a revision; CC_ENOTFOUND says whether it was skipped and why. */
int cc_store_rev_blob(int64_t *blob_id, cc_store *s, int64_t rev_id, const char *path);

/* The files of an earlier revision with their call edge counts: the base an index run
 * carries resolutions forward from. Sorted by path (strcmp). */
typedef struct {
	char *path;
	int64_t blob_id;
	int64_t n_calls; /* -1: not known */
} cc_rev_entry;
typedef struct {
	int64_t rev_id; /* 0: no base */
	cc_rev_entry *v;
	size_t n;
	int complete; /* every n_calls is known */
} cc_rev_base;

/* Load the base of a new revision of repo_id: the most recently indexed revision of the same
 * repository (none: out->rev_id = 0), possibly an earlier index of the same commit or of the
 * working tree, which the new one then replaces: the base is read into memory first. */
int cc_store_base_load(cc_rev_base *out, cc_store *s, int64_t repo_id);
void cc_store_base_clear(cc_rev_base *b); /* NULL ok */
/* The call edge count the base knows for (path, blob_id): -1 when the file is new, changed or
 * the base is incomplete. */
int64_t cc_store_base_calls(const cc_rev_base *b, const char *path, int64_t blob_id);

typedef struct {
	uint64_t carried;  /* files whose count was carried forward from the base */
	uint64_t resolved; /* files whose calls were resolved in this run */
	uint64_t names;    /* callee names a changed file can have affected */
} cc_link_stats;

/* Count the call edges of revision rev_id (inserted with n_calls = the base's count for files
 * unchanged since base, -1 otherwise) and store the per-file counts. Files that are new or
 * changed are resolved, and so are unchanged files calling an affected name: one defined by
 * an added or removed file, or by a definition (name, qualified name, kind) that a modified
 * file gained or lost (for a constructor, also its class name). The others keep the base's
 * count, which resolution would give again: a call's candidates are the definitions of its
 * name, ranked by the call's own file and the candidate's path, qualified name and kind. With
 * base NULL or incomplete every file is resolved. */
int cc_store_link_rev(uint64_t *calls, cc_link_stats *st, cc_store *s, int64_t rev_id,
                      const cc_rev_base *base);

/* The revision rev_id (commit as found by cc_store_find_rev, just before) loaded with its
 * link table, kept in s: reused while the database's data version is unchanged. *out is
 * owned by s (valid until the next call on s or cc_store_free) unless the caller takes a
 * reference of its own (refs++, as cc_store_rev_open does; cc_store_rev_free drops one). */
int cc_store_rev_cached(cc_store_rev **out, cc_store *s, int64_t rev_id, const char *commit);

/* cc_store_rev_file with only what flags ask for besides the graph and the call edges:
 * CC_REV_FILE_CONTENT also loads the content and the blob's git id. */
#define CC_REV_FILE_CONTENT 0x1
int cc_store_rev_file_ex(cc_store_file **out, cc_store_rev *r, const char *path, int flags);

/* Load the graph blob and content of one blob row. */
int cc_store_load_blob(cc_file_graph **graph, char **content, size_t *len, cc_store *s,
                       int64_t blob_id);

#endif
