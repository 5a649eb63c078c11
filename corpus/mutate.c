/*
 * mutate.c - single-line bugs injected into real code through the analysis graph: sites from
 * the graph's predicates, returns, assignments, calls and identifiers; the mutated file
 * re-parsed (a mutant that does not parse is dropped and counted); each mutant committed
 * with libgit2 on its own branch of a scratch copy, with fixed author and dates so the same
 * seed gives the same commits (see cc_corpus.h).
 */
#include "cc_corpus.h"

#include <ctype.h>
#include <git2.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

extern char **environ;

static const char *const kind_names[CC_MUT_COUNT] = {
	"operator", "off_by_one", "negated_condition", "wrong_identifier", "swapped_arguments",
	"removed_call"};

const char *cc_mut_kind_name(int k)
{
	return k >= 0 && k < CC_MUT_COUNT ? kind_names[k] : "?";
}

void cc_bug_clear(cc_bug *b)
{
	if (!b)
		return;
	char **s[] = {&b->id, &b->source, &b->repo, &b->rev, &b->commit, &b->base_commit, &b->kind,
	              &b->file, &b->function, &b->qualified, &b->original, &b->mutated,
	              &b->issue, &b->issue_indirect, &b->trace};
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		free(*s[i]);
	for (size_t i = 0; i < b->n_giveaway; i++)
		free(b->giveaway[i]);
	free(b->giveaway);
	free(b->lines);
	for (size_t i = 0; i < b->n_tests; i++)
		free(b->tests[i]);
	free(b->tests);
	memset(b, 0, sizeof(*b));
}

void cc_bugs_free(cc_bug *bugs, size_t n)
{
	for (size_t i = 0; bugs && i < n; i++)
		cc_bug_clear(&bugs[i]);
	free(bugs);
}

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* A mutation site: replace bytes [a, b) of file `file` by `rep`. */
typedef struct {
	uint32_t file;   /* index into the revision's files */
	uint32_t method; /* node index of the method */
	uint8_t kind;
	uint32_t a, b;
	char rep[256];
	uint32_t line;
} site;

typedef struct {
	site *v;
	size_t n, cap;
} sitevec;

static int site_add(sitevec *sv, uint32_t file, uint32_t method, int kind, uint32_t a,
                    uint32_t b, const char *rep, size_t rl, uint32_t line)
{
	if (rl >= sizeof(sv->v[0].rep))
		return CC_OK;
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? 2 * sv->cap : 1024;
		site *v = realloc(sv->v, cap * sizeof(*v));
		if (!v)
			return cc_error_set(CC_ENOMEM, "out of memory for mutation sites");
		sv->v = v;
		sv->cap = cap;
	}
	site *x = &sv->v[sv->n++];
	x->file = file;
	x->method = method;
	x->kind = (uint8_t)kind;
	x->a = a;
	x->b = b;
	memcpy(x->rep, rep, rl);
	x->rep[rl] = 0;
	x->line = line;
	return CC_OK;
}

/* Is byte p inside a string/number literal or a comment of the graph? */
static int in_literal(const cc_file_graph *g, const char *src, uint32_t p)
{
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const cc_node *n = &g->nodes[i];
		if ((n->kind == CC_NODE_LITERAL || n->kind == CC_NODE_COMMENT) && n->start_byte <= p &&
		    p < n->end_byte) {
			char c = src[n->start_byte];
			if (n->kind == CC_NODE_COMMENT || c == '"' || c == '\'' || c == '`' || isalpha((unsigned char)c))
				return 1;
		}
	}
	return 0;
}

static int is_test_path(const char *p)
{
	/* a path component starting or ending with "test" */
	const char *s = p;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if ((n >= 4 && !strncasecmp(s, "test", 4)) ||
		    (n >= 4 && memmem(s, n, "test", 4)) || (n >= 5 && !strncmp(s, "conftest", 8)))
			return 1;
		if (!e)
			break;
		s = e + 1;
	}
	return 0;
}

static int ident_c(int c) { return isalnum(c) || c == '_'; }

/* Sites of one method's node n. */
static int node_sites(sitevec *sv, uint32_t fi, const cc_file_graph *g, const char *src,
                      size_t len, uint32_t ni, cc_lang lang)
{
	const cc_node *n = &g->nodes[ni];
	uint32_t m = (uint32_t)n->method;
	int rc = CC_OK;
	if (n->start_line != n->end_line || n->end_byte > len || n->end_byte <= n->start_byte ||
	    n->end_byte - n->start_byte > 200)
		return CC_OK;
	const char *t = src + n->start_byte;
	size_t tl = n->end_byte - n->start_byte;
	int py = lang == CC_LANG_PYTHON;
	if (n->kind == CC_NODE_PREDICATE) {
		/* negation */
		char rep[256];
		int w = (t[0] == '(' && t[tl - 1] == ')') && !py
		                ? snprintf(rep, sizeof(rep), "!%.*s", (int)tl, t)
		                : snprintf(rep, sizeof(rep), py ? "not (%.*s)" : "!(%.*s)", (int)tl, t);
		if (w > 0 && (rc = site_add(sv, fi, m, CC_MUT_NEGATED, n->start_byte, n->end_byte, rep,
		                            (size_t)w, n->start_line)))
			return rc;
	}
	if (n->kind == CC_NODE_PREDICATE || n->kind == CC_NODE_RETURN || n->kind == CC_NODE_ASSIGNMENT) {
		static const struct {
			const char *from, *to;
			int kind;
			int pred_only;
		} ops[] = {
			{"==", "!=", CC_MUT_OPERATOR, 0},
			{"!=", "==", CC_MUT_OPERATOR, 0},
			{"<=", "<", CC_MUT_OFF_BY_ONE, 0},
			{">=", ">", CC_MUT_OFF_BY_ONE, 0},
			{"<", "<=", CC_MUT_OFF_BY_ONE, 0},
			{">", ">=", CC_MUT_OFF_BY_ONE, 0},
			{" and ", " or ", CC_MUT_OPERATOR, 0},
			{" or ", " and ", CC_MUT_OPERATOR, 0},
			{"&&", "||", CC_MUT_OPERATOR, 0},
			{"||", "&&", CC_MUT_OPERATOR, 0},
			{" + ", " - ", CC_MUT_OPERATOR, 0},
			{" - ", " + ", CC_MUT_OPERATOR, 0},
		};
		for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
			size_t fl = strlen(ops[k].from);
			const char *p = memmem(t, tl, ops[k].from, fl);
			if (!p)
				continue;
			uint32_t at = (uint32_t)(p - src);
			/* not part of a longer operator: <<, <=, ->, =>, >>=, <>, == inside === */
			char before = p > src ? p[-1] : ' ', after = (size_t)(p - src) + fl < len ? p[fl] : ' ';
			if (fl <= 2 && (strchr("<>=!-+&|", before) || strchr("<>=&|", after)))
				continue;
			if (in_literal(g, src, at))
				continue;
			if ((rc = site_add(sv, fi, m, ops[k].kind, at, at + (uint32_t)fl, ops[k].to,
			                   strlen(ops[k].to), n->start_line)))
				return rc;
			break;
		}
		/* an integer literal n -> n + 1 */
		for (size_t i = 0; i < tl; i++) {
			if (!isdigit((unsigned char)t[i]) || (i > 0 && (ident_c((unsigned char)t[i - 1]) || t[i - 1] == '.')))
				continue;
			size_t e = i;
			while (e < tl && isdigit((unsigned char)t[e]))
				e++;
			if ((e < tl && (ident_c((unsigned char)t[e]) || t[e] == '.')) || e - i > 6) {
				i = e;
				continue;
			}
			uint32_t at = (uint32_t)(n->start_byte + i);
			if (in_literal(g, src, at) && !isdigit((unsigned char)src[at]))
				break;
			/* a number literal node is fine; a digit inside a string is not */
			int in_str = 0;
			for (uint32_t k = 0; k < g->n_nodes; k++) {
				const cc_node *l = &g->nodes[k];
				if (l->kind == CC_NODE_LITERAL && l->start_byte <= at && at < l->end_byte &&
				    !isdigit((unsigned char)src[l->start_byte]) && src[l->start_byte] != '-')
					in_str = 1;
				if (l->kind == CC_NODE_COMMENT && l->start_byte <= at && at < l->end_byte)
					in_str = 1;
			}
			if (in_str)
				break;
			long v = strtol(t + i, NULL, 10);
			char rep[32];
			int w = snprintf(rep, sizeof(rep), "%ld", v + 1);
			if ((rc = site_add(sv, fi, m, CC_MUT_OFF_BY_ONE, at, at + (uint32_t)(e - i), rep,
			                   (size_t)w, n->start_line)))
				return rc;
			break;
		}
	}
	if (n->kind == CC_NODE_CALL && n->name) {
		const char *name = g->names + n->name;
		size_t nl = strlen(name);
		const char *p = nl ? memmem(t, tl, name, nl) : NULL;
		const char *open = p ? memchr(p + nl, '(', tl - (size_t)(p + nl - t)) : NULL;
		if (open && t[tl - 1] == ')') {
			/* top-level commas of the argument list */
			const char *commas[4];
			int nc = 0, depth = 0, ok = 1;
			for (const char *q = open + 1; q < t + tl - 1; q++) {
				if (*q == '(' || *q == '[' || *q == '{')
					depth++;
				else if (*q == ')' || *q == ']' || *q == '}')
					depth--;
				else if (*q == '"' || *q == '\'' || *q == '=')
					ok = 0; /* strings and keyword arguments: leave alone */
				else if (*q == ',' && depth == 0 && nc < 4)
					commas[nc++] = q;
				if (depth < 0)
					ok = 0;
			}
			if (ok && nc == 1) {
				const char *a0 = open + 1, *a1 = commas[0] + 1, *end = t + tl - 1;
				while (a0 < commas[0] && *a0 == ' ')
					a0++;
				while (a1 < end && *a1 == ' ')
					a1++;
				size_t l0 = (size_t)(commas[0] - a0), l1 = (size_t)(end - a1);
				while (l0 && a0[l0 - 1] == ' ')
					l0--;
				while (l1 && a1[l1 - 1] == ' ')
					l1--;
				if (l0 && l1 && (l0 != l1 || memcmp(a0, a1, l0))) {
					char rep[256];
					int w = snprintf(rep, sizeof(rep), "%.*s, %.*s", (int)l1, a1, (int)l0, a0);
					if (w > 0 && (rc = site_add(sv, fi, m, CC_MUT_SWAPPED_ARGS,
					                            (uint32_t)(a0 - src), (uint32_t)(a1 + l1 - src),
					                            rep, (size_t)w, n->start_line)))
						return rc;
				}
			}
		}
		/* a call that is its whole line: removed */
		uint32_t ls = n->start_byte, le = n->end_byte;
		while (ls > 0 && src[ls - 1] != '\n')
			ls--;
		while (le < len && src[le] != '\n')
			le++;
		int whole = 1;
		for (uint32_t k = ls; k < n->start_byte; k++)
			if (src[k] != ' ' && src[k] != '\t')
				whole = 0;
		for (uint32_t k = n->end_byte; k < le; k++)
			if (src[k] != ' ' && src[k] != '\t' && src[k] != ';' && src[k] != '\r')
				whole = 0;
		if (whole) {
			const char *rep = ";";
			if (py)
				rep = "pass";
			else if (lang == CC_LANG_GO || lang == CC_LANG_RUST ||
			         lang == CC_LANG_JAVASCRIPT || lang == CC_LANG_TYPESCRIPT)
				rep = "{}";
			uint32_t b = n->end_byte;
			if (!py && b < le && src[b] == ';')
				b++;
			if ((rc = site_add(sv, fi, m, CC_MUT_REMOVED_CALL, n->start_byte, b, rep,
			                   strlen(rep), n->start_line)))
				return rc;
		}
	}
	if (n->kind == CC_NODE_IDENTIFIER && n->name) {
		/* another variable of the same method: params and plain assigned names */
		const char *x = g->names + n->name;
		const char *alt = NULL;
		for (uint32_t k = 0; k < g->n_nodes; k++) {
			const cc_node *d = &g->nodes[k];
			if (d->method != n->method || !d->name ||
			    (d->kind != CC_NODE_PARAM && d->kind != CC_NODE_ASSIGNMENT))
				continue;
			const char *y = g->names + d->name;
			if (!strcmp(y, x) || strchr(y, '.') || strchr(y, '[') || strchr(y, ' ') ||
			    !strcmp(y, "self") || !strcmp(y, "this") || !strcmp(x, "self") || !*y)
				continue;
			if (d->start_byte >= n->start_byte)
				continue; /* defined before the use */
			/* the nearest preceding one wins */
			alt = y;
		}
		if (alt && tl == strlen(x) &&
		    (rc = site_add(sv, fi, m, CC_MUT_WRONG_IDENT, n->start_byte, n->end_byte, alt,
		                   strlen(alt), n->start_line)))
			return rc;
	}
	return CC_OK;
}

static int run_git_clone(const char *from, const char *to)
{
	pid_t pid;
	int st;
	char *argv[] = {"git", "clone", "-q", "--no-local", (char *)from, (char *)to, NULL};
	if (posix_spawnp(&pid, "git", NULL, NULL, argv, environ))
		return cc_error_set(CC_EIO, "cannot run git clone");
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return cc_error_set(CC_EGIT, "git clone %s %s failed", from, to);
	return CC_OK;
}

static int git_err(const char *what)
{
	const git_error *e = git_error_last();
	return cc_error_set(CC_EGIT, "%s: %s", what, e && e->message ? e->message : "libgit2 error");
}

static char *line_text(const char *src, size_t len, uint32_t at)
{
	uint32_t a = at, b = at;
	while (a > 0 && src[a - 1] != '\n')
		a--;
	while (b < len && src[b] != '\n')
		b++;
	while (a < b && (src[a] == ' ' || src[a] == '\t'))
		a++;
	return strndup(src + a, b - a);
}

typedef struct {
	uint32_t file, method; /* callee */
	const char *caller_qual;
} caller_ent;

int cc_corpus_mutate(cc_bug **bugs, size_t *n_bugs, cc_mutate_stats *st, cc_store *s,
                     const char *repo_path, const cc_mutate_opts *o)
{
	cc_store_rev *r = NULL;
	cc_store_file **files = NULL;
	sitevec sv = {0};
	cc_bug *out = NULL;
	size_t n_out = 0, nfiles = 0, total_nodes = 0;
	cc_analyzer *an = NULL;
	git_repository *repo = NULL;
	git_commit *base = NULL;
	git_tree *base_tree = NULL;
	git_index *idx = NULL;
	git_signature *sig = NULL;
	char **callers = NULL; /* per (file, method node): the qualified name of one caller */
	uint32_t *file_base = NULL;
	uint8_t *used_method = NULL;
	struct stat sb;
	int rc = CC_OK;
	cc_mutate_stats stats = {0};
	*bugs = NULL;
	*n_bugs = 0;
	git_libgit2_init();
	if (!o || !o->copy_path || !o->count)
		return cc_error_set(CC_EINVAL, "mutate: a copy path and a count are needed");
	if (!stat(o->copy_path, &sb))
		return cc_error_set(CC_EINVAL, "%s exists already; mutate makes a fresh copy there",
		                    o->copy_path);
	if ((rc = cc_store_rev_open(&r, s, repo_path, "HEAD"))) {
		if (rc == CC_ENOTFOUND)
			rc = cc_error_set(CC_ENOTFOUND, "%s (run `codecomp index %s` first)", cc_error_last(),
			                  repo_path);
		goto out;
	}
	nfiles = cc_store_rev_n_files(r);
	if (!(files = calloc(nfiles + 1, sizeof(*files))) ||
	    !(file_base = calloc(nfiles + 1, sizeof(*file_base)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nfiles; i++) {
		if ((rc = cc_store_rev_file(&files[i], r, cc_store_rev_path(r, i))))
			goto out;
		file_base[i] = (uint32_t)total_nodes;
		total_nodes += files[i]->graph ? files[i]->graph->n_nodes : 0;
	}
	if (!(callers = calloc(total_nodes + 1, sizeof(*callers))) ||
	    !(used_method = calloc(total_nodes + 1, 1))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	/* callers: the first caller (in path order) of each method */
	for (size_t i = 0; i < nfiles; i++) {
		const cc_store_file *f = files[i];
		const cc_file_graph *g = f->graph;
		for (size_t k = 0; k < f->n_calls; k++) {
			uint32_t si = (uint32_t)(f->calls[k].src - f->base_id);
			if (!g || si >= g->n_nodes || g->nodes[si].method < 0)
				continue;
			const char *dp = f->calls[k].dst_path;
			/* the file index of dst_path (files are sorted by path) */
			size_t lo = 0, hi = nfiles;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				int c = strcmp(files[mid]->path, dp);
				if (!c) {
					lo = mid;
					break;
				}
				if (c < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo >= nfiles || strcmp(files[lo]->path, dp))
				continue;
			size_t slot = file_base[lo] + f->calls[k].dst_index;
			if (slot >= total_nodes || callers[slot] || (lo == i && (uint32_t)g->nodes[si].method == f->calls[k].dst_index))
				continue;
			const cc_node *cm = &g->nodes[g->nodes[si].method];
			const char *q = cm->qual ? g->names + cm->qual : g->names + cm->name;
			callers[slot] = strdup(q && *q ? q : "?");
			if (!callers[slot]) {
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
		}
	}
	/* sites, in path / node order */
	for (size_t i = 0; i < nfiles; i++) {
		const cc_store_file *f = files[i];
		const cc_file_graph *g = f->graph;
		if (!g || is_test_path(f->path))
			continue;
		for (uint32_t ni = 0; ni < g->n_nodes; ni++)
			if (g->nodes[ni].method >= 0 &&
			    (rc = node_sites(&sv, (uint32_t)i, g, f->content, f->len, ni, g->lang)))
				goto out;
	}
	stats.sites = sv.n;
	if (!sv.n) {
		rc = cc_error_set(CC_ENOTFOUND, "no mutation sites in %s (no functions with "
		                                "conditions, calls or variables)",
		                  repo_path);
		goto out;
	}
	/* shuffle (Fisher-Yates with the seed) */
	uint64_t rs = o->seed;
	for (size_t i = sv.n - 1; i > 0; i--) {
		size_t j = (size_t)(splitmix(&rs) % (i + 1));
		site t = sv.v[i];
		sv.v[i] = sv.v[j];
		sv.v[j] = t;
	}
	/* interleave the kinds (round robin in shuffled order): variable uses are by far the
	 * most common sites and would otherwise crowd out the other operators */
	{
		site *iv = malloc(sv.n * sizeof(*iv));
		size_t pos[CC_MUT_COUNT] = {0}, w = 0;
		if (!iv) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		while (w < sv.n)
			for (int k = 0; k < CC_MUT_COUNT; k++) {
				while (pos[k] < sv.n && sv.v[pos[k]].kind != k)
					pos[k]++;
				if (pos[k] < sv.n)
					iv[w++] = sv.v[pos[k]++];
			}
		free(sv.v);
		sv.v = iv;
		sv.cap = sv.n;
	}
	if ((rc = run_git_clone(repo_path, o->copy_path)))
		goto out;
	if (git_repository_open(&repo, o->copy_path) < 0) {
		rc = git_err("open the copy");
		goto out;
	}
	git_oid base_oid;
	if (git_oid_fromstr(&base_oid, cc_store_rev_commit(r)) < 0 ||
	    git_commit_lookup(&base, repo, &base_oid) < 0 || git_commit_tree(&base_tree, base) < 0) {
		rc = git_err("the indexed commit in the copy");
		goto out;
	}
	if (git_signature_new(&sig, "codecomp mutate", "mutate@codecomp.invalid", 1704067200, 0) < 0) {
		rc = git_err("signature");
		goto out;
	}
	if ((rc = cc_analyzer_new(&an)))
		goto out;
	if (!(out = calloc(o->count, sizeof(*out)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	char prefix[128];
	{
		size_t pl = strlen(repo_path);
		while (pl > 1 && repo_path[pl - 1] == '/')
			pl--;
		const char *bn = repo_path;
		for (size_t k = 0; k < pl; k++)
			if (repo_path[k] == '/')
				bn = repo_path + k + 1;
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(pl - (size_t)(bn - repo_path)), bn);
	}
	if (o->id_prefix)
		snprintf(prefix, sizeof(prefix), "%s", o->id_prefix);
	/* two passes: one mutant per function first, then any site */
	for (int pass = 0; pass < 2 && n_out < o->count; pass++) {
		for (size_t si = 0; si < sv.n && n_out < o->count; si++) {
			site *x = &sv.v[si];
			if (x->kind == 255)
				continue;
			const cc_store_file *f = files[x->file];
			size_t mslot = file_base[x->file] + x->method;
			if (pass == 0 && used_method[mslot])
				continue;
			stats.tried++;
			size_t rl = strlen(x->rep), nl = f->len - (x->b - x->a) + rl;
			char *buf = malloc(nl + 1);
			if (!buf) {
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
			memcpy(buf, f->content, x->a);
			memcpy(buf + x->a, x->rep, rl);
			memcpy(buf + x->a + rl, f->content + x->b, f->len - x->b);
			buf[nl] = 0;
			cc_file_graph *mg = NULL;
			int prc = cc_analyze(&mg, an, f->graph->lang, buf, nl);
			int parses = prc == CC_OK && mg && mg->n_errors <= f->graph->n_errors;
			cc_file_graph_free(mg);
			int kind = x->kind;
			x->kind = 255; /* a site is tried once */
			if (!parses) {
				stats.dropped_parse++;
				free(buf);
				continue;
			}
			/* commit on mutant/NNNN */
			char branch[64], msg[512], idbuf[192];
			snprintf(branch, sizeof(branch), "mutant/%04zu", n_out);
			git_oid blob, tree_oid, commit_oid;
			git_tree *tree = NULL;
			git_tree_entry *te = NULL;
			git_reference *ref = NULL;
			const git_commit *parents[1] = {base};
			if (git_tree_entry_bypath(&te, base_tree, f->path) < 0 ||
			    git_blob_create_from_buffer(&blob, repo, buf, nl) < 0) {
				git_tree_entry_free(te);
				free(buf);
				rc = git_err("blob");
				goto out;
			}
			if (!idx && (git_index_new(&idx) < 0)) {
				git_tree_entry_free(te);
				free(buf);
				rc = git_err("index");
				goto out;
			}
			git_index_entry ent;
			memset(&ent, 0, sizeof(ent));
			ent.mode = git_tree_entry_filemode(te);
			ent.id = blob;
			ent.path = f->path;
			git_tree_entry_free(te);
			snprintf(msg, sizeof(msg), "mutant %04zu: %s in %s:%u\n", n_out,
			         cc_mut_kind_name(kind), f->path, x->line);
			git_commit *cm = NULL;
			if (git_index_read_tree(idx, base_tree) < 0 || git_index_add(idx, &ent) < 0 ||
			    git_index_write_tree_to(&tree_oid, idx, repo) < 0 ||
			    git_tree_lookup(&tree, repo, &tree_oid) < 0 ||
			    git_commit_create(&commit_oid, repo, NULL, sig, sig, NULL, msg, tree, 1, parents) < 0 ||
			    git_commit_lookup(&cm, repo, &commit_oid) < 0 ||
			    git_branch_create(&ref, repo, branch, cm, 1) < 0) {
				git_commit_free(cm);
				git_tree_free(tree);
				git_reference_free(ref);
				free(buf);
				rc = git_err("mutant commit");
				goto out;
			}
			git_commit_free(cm);
			git_tree_free(tree);
			git_reference_free(ref);
			/* the record */
			const cc_file_graph *g = f->graph;
			const cc_node *mn = &g->nodes[x->method];
			cc_bug *b = &out[n_out];
			char hex[41], bhex[41];
			git_oid_tostr(hex, sizeof(hex), &commit_oid);
			git_oid_tostr(bhex, sizeof(bhex), &base_oid);
			snprintf(idbuf, sizeof(idbuf), "%s-m%04zu", prefix, n_out);
			const char *fname = g->names + mn->name;
			const char *qual = mn->qual && g->names[mn->qual] ? g->names + mn->qual : fname;
			const char *caller = callers[mslot];
			int has_return = 0;
			for (uint32_t k = 0; k < g->n_nodes; k++)
				if (g->nodes[k].method == (int32_t)x->method && g->nodes[k].kind == CC_NODE_RETURN &&
				    g->nodes[k].end_byte - g->nodes[k].start_byte > 7)
					has_return = 1;
			const char *what = has_return ? "returns a wrong value" : "does the wrong thing";
			char issue[1024], ind[1024];
			if (caller)
				snprintf(issue, sizeof(issue), "%s %s when called from %s.", qual, what, caller);
			else
				snprintf(issue, sizeof(issue), "%s %s.", qual, what);
			if (caller)
				snprintf(ind, sizeof(ind), "%s gives a wrong result; the cause is probably in "
				                           "code it calls.",
				         caller);
			b->id = strdup(idbuf);
			b->source = strdup("mutate");
			b->repo = strdup(o->repo_field ? o->repo_field : o->copy_path);
			b->rev = strdup(branch);
			b->commit = strdup(hex);
			b->base_commit = strdup(bhex);
			b->kind = strdup(cc_mut_kind_name(kind));
			b->file = strdup(f->path);
			b->function = strdup(fname);
			b->qualified = strdup(qual);
			b->start_line = mn->start_line;
			/* the function's lines at rev: a replacement never adds a line */
			b->end_line = mn->end_line;
			b->lines = malloc(sizeof(*b->lines));
			b->n_lines = 1;
			b->original = line_text(f->content, f->len, x->a);
			b->mutated = line_text(buf, nl, x->a);
			b->issue = strdup(issue);
			b->issue_indirect = caller ? strdup(ind) : NULL;
			b->giveaway = calloc(2, sizeof(char *));
			b->seed = o->seed;
			free(buf);
			n_out++;
			if (!b->id || !b->source || !b->repo || !b->rev || !b->commit || !b->base_commit ||
			    !b->kind || !b->file || !b->function || !b->qualified || !b->lines ||
			    !b->original || !b->mutated || !b->issue || (caller && !b->issue_indirect) ||
			    !b->giveaway) {
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
			b->lines[0] = x->line;
			b->giveaway[b->n_giveaway++] = strdup(fname);
			if (strcmp(qual, fname))
				b->giveaway[b->n_giveaway++] = strdup(qual);
			stats.per_kind[kind]++;
			used_method[mslot] = 1;
			if (o->progress)
				o->progress(o->progress_ud, n_out, o->count);
		}
	}
	stats.made = n_out;
	*bugs = out;
	*n_bugs = n_out;
	out = NULL;
	n_out = 0;
out:
	if (st)
		*st = stats;
	cc_bugs_free(out, n_out);
	for (size_t i = 0; files && i < nfiles; i++)
		cc_store_file_free(files[i]);
	free(files);
	for (size_t i = 0; callers && i < total_nodes; i++)
		free(callers[i]);
	free(callers);
	free(file_base);
	free(used_method);
	free(sv.v);
	cc_analyzer_free(an);
	git_index_free(idx);
	git_signature_free(sig);
	git_tree_free(base_tree);
	git_commit_free(base);
	git_repository_free(repo);
	cc_store_rev_free(r);
	git_libgit2_shutdown();
	return rc;
}
