/*
 * tsconfig.c - TypeScript/JavaScript path aliases of a revision: every tsconfig.json and
 * jsconfig.json in a directory holding (or above) the revision's JS/TS files, with its
 * compilerOptions.baseUrl and compilerOptions.paths (and those of a config it `extends` by a
 * relative path), read as JSON with comments and trailing commas. The result is a text of
 * lines "SCOPE\tPATTERN\tTARGET": SCOPE the config's directory (its files use it), PATTERN as
 * written ("@app/STAR", STAR an asterisk), TARGET repository-relative ("src/app/STAR"); a baseUrl
 * adds "STAR" -> "base/STAR".
 * Every package.json in those directories (node_modules skipped) adds lines "SCOPE\tPAT\tTARGET\tK":
 * - its scope, "SCOPE\t\t\tp": Node reads the nearest package.json above a file (one that has
 *   no `name` or no `imports` hides those of the packages above);
 * - its self-reference (Node resolves a bare specifier equal to the nearest package.json's
 *   `name` through it): kind p, NAME and each "NAME/SUB" of a subpath map in `exports`
 *   (patterns with STAR skipped), TARGET what `exports` gives for the conditions "import",
 *   "node", "require", "default" (in written order; "types" skipped); none without `exports`
 *   (Node allows self-reference only through it);
 * - its `imports` ("#name" specifiers, js19): kind p, each "#KEY" with its targets by the same
 *   conditions; a pattern key only with one STAR (and targets with at most one);
 * - its workspace entry (js19), kind w, for importers in other packages: NAME's entry
 *   candidates in the order tried (see workspace_lines), kept only when no other package.json
 *   read here has that name.
 * Go (gopy20): every go.mod in a directory holding or above a Go file adds "DIR\tMODULE\t\tg",
 * its module path, which maps an import path onto the module's directories.
 * Rust (cg41): every Cargo.toml in a directory holding or above a Rust file adds
 * "DIR\tCRATE\tROOT\tr", its library crate's name and root file (see cargo_line).
 * Stored with the revision (meta "tspaths:<rev id>") and read by call resolution (rev.c).
 */
#include "store_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONFIG (1u << 20)

/* JSON with comments and trailing commas (what tsc accepts) made plain JSON, in place. */
static void strip_jsonc(char *s, size_t *len)
{
	size_t o = 0, n = *len;
	int str = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (str) {
			s[o++] = c;
			if (c == '\\' && i + 1 < n)
				s[o++] = s[++i];
			else if (c == '"')
				str = 0;
			continue;
		}
		if (c == '"') {
			str = 1;
			s[o++] = c;
		} else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
			while (i < n && s[i] != '\n')
				i++;
			if (i < n)
				s[o++] = '\n';
		} else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++)
				;
			i++;
			s[o++] = ' ';
		} else {
			s[o++] = c;
		}
	}
	/* trailing commas: ',' followed by whitespace and '}' or ']' */
	size_t w = 0;
	str = 0;
	for (size_t i = 0; i < o; i++) {
		char c = s[i];
		if (str) {
			s[w++] = c;
			if (c == '\\' && i + 1 < o)
				s[w++] = s[++i];
			else if (c == '"')
				str = 0;
			continue;
		}
		if (c == '"')
			str = 1;
		if (c == ',') {
			size_t k = i + 1;
			while (k < o && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r'))
				k++;
			if (k < o && (s[k] == '}' || s[k] == ']'))
				continue;
		}
		s[w++] = c;
	}
	s[w] = 0;
	*len = w;
}

/* Normalize a repository-relative path in place: "a/./b/../c" -> "a/c", no leading "./" or
 * trailing '/'. Returns 0 when it climbs out of the repository. */
static int norm_path(char *p)
{
	char *seg[256];
	int ns = 0;
	char *save = NULL;
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", p);
	for (char *t = strtok_r(buf, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (!strcmp(t, "."))
			continue;
		if (!strcmp(t, "..")) {
			if (!ns)
				return 0;
			ns--;
			continue;
		}
		if (ns < 256)
			seg[ns++] = t;
	}
	size_t o = 0;
	p[0] = 0;
	for (int i = 0; i < ns; i++)
		o += (size_t)sprintf(p + o, "%s%s", i ? "/" : "", seg[i]);
	return 1;
}

/* dir + "/" + rel, normalized, into out (cap 1024). */
static int join(char *out, const char *dir, const char *rel)
{
	if (rel[0] == '/')
		return 0; /* absolute: outside the repository */
	if (snprintf(out, 1024, "%s%s%s", dir, *dir ? "/" : "", rel) >= 1024)
		return 0;
	return norm_path(out);
}

typedef struct {
	git_repository *repo;
	git_tree *tree;      /* NULL: read the work tree */
	const char *workdir; /* with a trailing '/' */
} reader;

/* The content of path (repository-relative) in the revision into *out (malloc'd; NULL when
 * absent or unreadable). Returns 0, or CC_ENOMEM. */
static int read_at(char **out, const reader *rd, const char *path, size_t *len)
{
	*out = NULL;
	if (rd->tree) {
		git_tree_entry *te = NULL;
		git_blob *b = NULL;
		int rc = 0;
		if (git_tree_entry_bypath(&te, rd->tree, path) == 0 &&
		    git_tree_entry_type(te) == GIT_OBJECT_BLOB &&
		    git_blob_lookup(&b, rd->repo, git_tree_entry_id(te)) == 0 &&
		    git_blob_rawsize(b) <= MAX_CONFIG) {
			*len = (size_t)git_blob_rawsize(b);
			*out = malloc(*len + 1);
			if (!*out) {
				rc = cc_error_set(CC_ENOMEM, "out of memory reading %s", path);
			} else {
				memcpy(*out, git_blob_rawcontent(b), *len);
				(*out)[*len] = 0;
			}
		}
		git_blob_free(b);
		git_tree_entry_free(te);
		return rc;
	}
	if (!rd->workdir)
		return 0;
	char full[4096];
	snprintf(full, sizeof(full), "%s%s", rd->workdir, path);
	int rc = cc_read_file(out, len, full, MAX_CONFIG);
	if (rc == CC_ENOMEM)
		return rc;
	if (rc)
		*out = NULL; /* absent or unreadable: no config there */
	return 0;
}

/* A config's compilerOptions, following one relative `extends` for what it lacks: *base is
 * the directory paths resolve against (baseUrl, else the config's own directory), *paths the
 * paths object (borrowed from *keep, which the caller frees). A config that is absent or not
 * valid JSON adds nothing. Returns 0, or CC_ENOMEM. */
static int options_of(const reader *rd, const char *cfg_path, int depth, char *base,
                      json_t **paths, int *has_base_url, json_t **keep)
{
	size_t len = 0;
	char *text = NULL, dir[1024];
	json_t *root = NULL;
	json_error_t jerr;
	int rc = read_at(&text, rd, cfg_path, &len);
	if (rc || !text)
		return rc;
	snprintf(dir, sizeof(dir), "%s", cfg_path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		dir[0] = 0;
	strip_jsonc(text, &len);
	root = json_loadb(text, len, 0, &jerr);
	free(text);
	if (!root && json_error_code(&jerr) == json_error_out_of_memory)
		return cc_error_set(CC_ENOMEM, "out of memory parsing %s", cfg_path);
	if (!json_is_object(root))
		goto out;
	json_t *co = json_object_get(root, "compilerOptions");
	const char *bu = json_string_value(json_object_get(co, "baseUrl"));
	json_t *ps = json_object_get(co, "paths");
	const char *ext = json_string_value(json_object_get(root, "extends"));
	if (ext && (ext[0] == '.') && depth < 4 && (!bu || !json_is_object(ps))) {
		char ep[1024];
		if (join(ep, dir, ext)) {
			size_t el = strlen(ep);
			if (el < 5 || strcmp(ep + el - 5, ".json"))
				strncat(ep, ".json", sizeof(ep) - el - 1);
			if ((rc = options_of(rd, ep, depth + 1, base, paths, has_base_url, keep)))
				goto out;
		}
	}
	if (bu && join(base, dir, bu)) {
		*has_base_url = 1;
	} else if (!*has_base_url && json_is_object(ps)) {
		snprintf(base, 1024, "%s", dir); /* paths without baseUrl: the config's directory */
	}
	if (json_is_object(ps)) {
		*paths = ps;
		json_decref(*keep);
		*keep = root;
		root = NULL;
	}
out:
	json_decref(root);
	return rc;
}

#define PK_STAR 1 /* a '*' in the target is kept, the pattern's match put there */
#define PK_SRC 2  /* only a target in dist/, as the same path in src/ (the sources it is built of) */

/* One package.json line "SCOPE\tPATTERN\tTARGET\tKIND" into out, target t relative to dir. */
static void pkg_line(cc_buf *out, const char *dir, const char *name, const char *sub,
                     const char *t, int star, char kind)
{
	char tp[1024], line[3200], st[1024];
	if (t && (star & PK_SRC)) {
		if (!strncmp(t, "./", 2))
			t += 2;
		if (strncmp(t, "dist/", 5) || snprintf(st, sizeof(st), "src/%s", t + 5) >= (int)sizeof(st))
			return;
		t = st;
	}
	if (!t || (!(star & PK_STAR) && strchr(t, '*')) || strchr(t, '\t') || strchr(t, '\n') ||
	    !join(tp, dir, t))
		return;
	int ll = snprintf(line, sizeof(line), "%s\t%s%s\t%s\t%c\n", dir, name, sub, tp, kind);
	if (ll > 0 && (size_t)ll < sizeof(line))
		cc_buf_put(out, line, (size_t)ll);
}

/* The targets of one `exports` or `imports` value (a string, an array of fallbacks, or
 * conditions) for an import or require, as lines for name + sub. */
static void export_lines(cc_buf *out, const char *dir, const char *name, const char *sub,
                         json_t *v, int depth, int star, char kind)
{
	size_t i;
	const char *k;
	json_t *c;
	if (depth > 4)
		return;
	if (json_is_string(v)) {
		pkg_line(out, dir, name, sub, json_string_value(v), star, kind);
		return;
	}
	json_array_foreach(v, i, c) export_lines(out, dir, name, sub, c, depth + 1, star, kind);
	if (!json_is_object(v))
		return;
	json_object_foreach(v, k, c)
	{
		if (!strcmp(k, "import") || !strcmp(k, "node") || !strcmp(k, "require") ||
		    !strcmp(k, "default"))
			export_lines(out, dir, name, sub, c, depth + 1, star, kind);
	}
}

static int one_star(const char *s)
{
	const char *a = strchr(s, '*');
	return a && !strchr(a + 1, '*');
}

/* A target of the `imports` map under key k: a pattern key ("#int/STAR") only with one STAR
 * and targets with at most one (Node's simple subpath patterns). */
static void import_lines(cc_buf *out, const char *dir, const char *k, json_t *v)
{
	if (k[0] != '#' || !k[1] || k[1] == '/' || strchr(k, '\t') || strchr(k, '\n'))
		return;
	int star = strchr(k, '*') ? PK_STAR : 0;
	if (star && !one_star(k))
		return;
	export_lines(out, dir, k, "", v, 0, star, 'p');
}

/* A workspace package's entry candidates (kind 'w'), in the order tried: its `exports`
 * ("." conditions, or each "./sub" subpath), else `main`, else index.js; then, for a
 * revision holding the sources but not the build output those name, the package's `source`
 * field, each of those targets in dist/ as the same path in src/ (dist/index.mjs ->
 * src/index.*), and src/index.{ts,tsx,js} (for a subpath: SUB/src/index.{ts,tsx,js}). */
static void workspace_lines(cc_buf *out, const char *dir, const char *name, json_t *root)
{
	static const char *const srcs[] = {"src/index.ts", "src/index.tsx", "src/index.js"};
	json_t *ex = json_object_get(root, "exports"), *v;
	const char *k, *mn = json_string_value(json_object_get(root, "main"));
	const char *sf = json_string_value(json_object_get(root, "source"));
	int subpaths = 0;
	json_object_foreach(ex, k, v)
	{
		if (k[0] == '.')
			subpaths = 1;
	}
	for (int pass = 0; pass < 2; pass++) {
		int fl = pass ? PK_SRC : 0;
		if (pass && sf && *sf)
			pkg_line(out, dir, name, "", sf, 0, 'w');
		if (ex && !subpaths) {
			export_lines(out, dir, name, "", ex, 0, fl, 'w');
		} else if (ex) {
			json_object_foreach(ex, k, v)
			{
				if (!strcmp(k, "."))
					export_lines(out, dir, name, "", v, 0, fl, 'w');
			}
		} else {
			pkg_line(out, dir, name, "", mn && *mn ? mn : "index.js", fl, 'w');
		}
	}
	for (int i = 0; i < 3; i++)
		pkg_line(out, dir, name, "", srcs[i], 0, 'w');
	if (!subpaths)
		return;
	json_object_foreach(ex, k, v)
	{
		size_t kl = strlen(k);
		if (strncmp(k, "./", 2) || !k[2] || strchr(k, '*') || strchr(k, '\t') ||
		    strchr(k, '\n') || (kl > 5 && !strcmp(k + kl - 5, ".json")))
			continue;
		export_lines(out, dir, name, k + 1, v, 0, 0, 'w');
		export_lines(out, dir, name, k + 1, v, 0, PK_SRC, 'w');
		for (int i = 0; i < 3; i++) {
			char t[1100];
			snprintf(t, sizeof(t), "%s/%s", k + 2, srcs[i]);
			pkg_line(out, dir, name, k + 1, t, 0, 'w');
		}
	}
}

/* A workspace package's lines in ws, by its name (kept when no other package.json of the
 * revision has that name). */
typedef struct {
	char *name;
	size_t off, len;
} ws_pkg;

typedef struct {
	cc_buf buf;
	ws_pkg *v;
	size_t n, cap;
	int oom;
} ws_set;

/* The lines of dir's package.json, if any: its scope ("SCOPE\t\t\tp": the nearest
 * package.json decides), its self-reference and `imports` lines (kind 'p'), its workspace
 * entry lines (kind 'w', into ws). Returns 0, or CC_ENOMEM. */
static int package_lines(cc_buf *out, ws_set *ws, const reader *rd, const char *dir)
{
	char path[1100], *text = NULL;
	size_t len = 0;
	json_error_t jerr;
	snprintf(path, sizeof(path), "%s%spackage.json", dir, *dir ? "/" : "");
	int rc = read_at(&text, rd, path, &len);
	if (rc || !text)
		return rc;
	json_t *root = json_loadb(text, len, 0, &jerr);
	free(text);
	if (!root && json_error_code(&jerr) == json_error_out_of_memory)
		return cc_error_set(CC_ENOMEM, "out of memory parsing %s", path);
	if (!json_is_object(root))
		goto out; /* not JSON (or a symlink's target text): no package here */
	const char *name = json_string_value(json_object_get(root, "name"));
	json_t *ex = json_object_get(root, "exports");
	const char *k;
	json_t *v;
	char line[1100];
	int ll = snprintf(line, sizeof(line), "%s\t\t\tp\n", dir);
	if (ll > 0 && (size_t)ll < sizeof(line))
		cc_buf_put(out, line, (size_t)ll);
	json_object_foreach(json_object_get(root, "imports"), k, v) import_lines(out, dir, k, v);
	if (!name || !*name || strchr(name, '\t') || strchr(name, '\n') || strchr(name, '*') ||
	    name[0] == '.' || name[0] == '#')
		goto out;
	if (ex) {
		int subpaths = 0;
		json_object_foreach(ex, k, v)
		{
			if (k[0] == '.')
				subpaths = 1;
		}
		if (!subpaths) {
			export_lines(out, dir, name, "", ex, 0, 0, 'p');
		} else {
			json_object_foreach(ex, k, v)
			{
				if (!strcmp(k, "."))
					export_lines(out, dir, name, "", v, 0, 0, 'p');
				else if (!strncmp(k, "./", 2) && k[2] && !strchr(k, '*') &&
				         !strchr(k, '\t') && !strchr(k, '\n'))
					export_lines(out, dir, name, k + 1, v, 0, 0, 'p');
			}
		}
	}
	/* no `exports`: Node does not resolve a package's own name (self-reference needs an
	 * `exports` field), so neither does this (a `main` alone adds nothing) */
	if (ws->n == ws->cap) {
		size_t c = ws->cap ? 2 * ws->cap : 16;
		ws_pkg *nv = realloc(ws->v, c * sizeof(ws_pkg));
		if (!nv) {
			json_decref(root);
			return cc_error_set(CC_ENOMEM, "out of memory reading %s", path);
		}
		ws->v = nv;
		ws->cap = c;
	}
	size_t off = ws->buf.len;
	workspace_lines(&ws->buf, dir, name, root);
	if (!(ws->v[ws->n].name = strdup(name))) {
		json_decref(root);
		return cc_error_set(CC_ENOMEM, "out of memory reading %s", path);
	}
	ws->v[ws->n].off = off;
	ws->v[ws->n++].len = ws->buf.len - off;
out:
	json_decref(root);
	return 0;
}

static int ws_cmp(const void *a, const void *b)
{
	const ws_pkg *x = a, *y = b;
	return strcmp(x->name, y->name);
}

/* The workspace lines of the packages whose name no other package.json of the revision has,
 * into out. */
static void workspace_unique(cc_buf *out, ws_set *ws)
{
	if (ws->n > 1)
		qsort(ws->v, ws->n, sizeof(ws_pkg), ws_cmp);
	for (size_t i = 0; i < ws->n; i++) {
		int dup = (i && !strcmp(ws->v[i].name, ws->v[i - 1].name)) ||
		          (i + 1 < ws->n && !strcmp(ws->v[i].name, ws->v[i + 1].name));
		if (!dup && ws->v[i].len && !ws->buf.oom)
			cc_buf_put(out, (const char *)ws->buf.p + ws->v[i].off, ws->v[i].len);
	}
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append a malloc'd copy of the n bytes at p to *dirs (count *nd, capacity *cd). */
static int push_dir(char ***dirs, size_t *nd, size_t *cd, const char *p, size_t n)
{
	if (*nd == *cd) {
		size_t c = *cd ? 2 * *cd : 64;
		char **d = realloc(*dirs, c * sizeof(char *));
		if (!d)
			return cc_error_set(CC_ENOMEM, "out of memory listing directories");
		*dirs = d;
		*cd = c;
	}
	char *s = malloc(n + 1);
	if (!s)
		return cc_error_set(CC_ENOMEM, "out of memory listing directories");
	memcpy(s, p, n);
	s[n] = 0;
	(*dirs)[(*nd)++] = s;
	return 0;
}

/* *dirs = every directory holding or above a file of lang in l, sorted, repeats kept (the
 * callers skip them); what *dirs held before is freed. */
static int lang_dirs(char ***dirs, size_t *nd, size_t *cd, const cc_git_listing *l, cc_lang lang)
{
	int rc;
	for (size_t i = 0; i < *nd; i++)
		free((*dirs)[i]);
	*nd = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (l->files[i].lang != lang)
			continue;
		const char *p = l->files[i].path;
		for (const char *s = p; *s; s++)
			if (*s == '/' && (rc = push_dir(dirs, nd, cd, p, (size_t)(s - p))))
				return rc;
		if ((rc = push_dir(dirs, nd, cd, "", 0)))
			return rc;
		if (*nd > 200000)
			break;
	}
	if (*nd > 1)
		qsort(*dirs, *nd, sizeof(char *), str_cmp);
	return 0;
}

/* Go (gopy20): the module path of DIR/go.mod ("module example.com/m/v2", quoted or not, a
 * comment after it) as the line "DIR\tMODULE\t\tg". Absent or without a module line: none. */
static int gomod_line(cc_buf *out, const reader *rd, const char *dir)
{
	char path[1100], *t = NULL;
	size_t len = 0;
	snprintf(path, sizeof(path), "%s%sgo.mod", dir, *dir ? "/" : "");
	int rc = read_at(&t, rd, path, &len);
	if (rc || !t)
		return rc;
	for (char *p = t; p && *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!strncmp(p, "module", 6) && (p[6] == ' ' || p[6] == '\t')) {
			p += 6;
			while (*p == ' ' || *p == '\t')
				p++;
			int q = *p == '"' || *p == '`';
			char *b = p + q;
			size_t n = strcspn(b, q ? "\"`\r\n" : " \t\r\n");
			char line[2200];
			int ll = n && n < 1000 && !memchr(b, '\t', n)
			                 ? snprintf(line, sizeof(line), "%s\t%.*s\t\tg\n", dir, (int)n, b)
			                 : 0;
			if (ll > 0 && (size_t)ll < sizeof(line))
				cc_buf_put(out, line, (size_t)ll);
			break;
		}
		p = strchr(p, '\n');
	}
	free(t);
	return 0;
}

/* A TOML string value `key = "v"` (or 'v') at p (the line's start, blanks skipped) into out:
 * 1 when the line sets key. */
static int toml_str(char *out, size_t cap, const char *p, const char *key)
{
	size_t kl = strlen(key);
	if (strncmp(p, key, kl))
		return 0;
	p += kl;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '=')
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	char q = *p;
	if (q != '"' && q != '\'')
		return 0;
	const char *b = ++p;
	size_t n = 0;
	while (b[n] && b[n] != q && b[n] != '\n' && b[n] != '\t')
		n++;
	if (b[n] != q || !n || n >= cap)
		return 0;
	memcpy(out, b, n);
	out[n] = 0;
	return 1;
}

/* Rust (cg41): the library crate of DIR/Cargo.toml as the line "DIR\tCRATE\tROOT\tr": CRATE
 * the name its package's own tests, benches and examples use for it ([lib] name, else
 * [package] name with '-' as '_'), ROOT the repository-relative path of its root file ([lib]
 * path, else src/lib.rs). Absent, or without a [package] name (a workspace root): none. */
static int cargo_line(cc_buf *out, const reader *rd, const char *dir)
{
	char path[1100], *t = NULL;
	size_t len = 0;
	snprintf(path, sizeof(path), "%s%sCargo.toml", dir, *dir ? "/" : "");
	int rc = read_at(&t, rd, path, &len);
	if (rc || !t)
		return rc;
	char pkg[256] = "", lib[256] = "", lpath[512] = "";
	int sect = 0; /* 1 [package], 2 [lib], 0 another */
	for (char *p = t; p && *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '[')
			sect = !strncmp(p, "[package]", 9) ? 1 : !strncmp(p, "[lib]", 5) ? 2
			                                                                 : 0;
		else if (sect == 1 && !*pkg)
			toml_str(pkg, sizeof(pkg), p, "name");
		else if (sect == 2 && !toml_str(lib, sizeof(lib), p, "name"))
			toml_str(lpath, sizeof(lpath), p, "path");
		p = strchr(p, '\n');
	}
	free(t);
	char *name = *lib ? lib : pkg, root[1024];
	if (!*name)
		return 0;
	for (char *c = name; *c; c++)
		if (*c == '-')
			*c = '_';
	if (!join(root, dir, *lpath ? lpath : "src/lib.rs"))
		return 0;
	char line[2400];
	int ll = snprintf(line, sizeof(line), "%s\t%s\t%s\tr\n", dir, name, root);
	if (ll > 0 && (size_t)ll < sizeof(line))
		cc_buf_put(out, line, (size_t)ll);
	return 0;
}

int cc_ts_paths(char **text, git_repository *repo, const cc_git_listing *l)
{
	reader rd = {repo, NULL, l->workdir};
	char **dirs = NULL;
	size_t nd = 0, cd = 0;
	cc_buf out = {0};
	json_t *keep = NULL;
	ws_set ws = {0};
	int rc = 0;
	*text = NULL;
	if (strcmp(l->commit, "worktree")) {
		git_oid oid;
		git_commit *c = NULL;
		if (git_oid_fromstr(&oid, l->commit) || git_commit_lookup(&c, repo, &oid))
			return 0; /* no commit to read: no aliases */
		int e = git_commit_tree(&rd.tree, c);
		git_commit_free(c);
		if (e)
			return 0;
	}
	/* every directory holding or above a JS/TS file, once */
	for (size_t i = 0; i < l->n; i++) {
		cc_lang lg = l->files[i].lang;
		if (lg != CC_LANG_JAVASCRIPT && lg != CC_LANG_TYPESCRIPT && lg != CC_LANG_TSX)
			continue;
		const char *p = l->files[i].path;
		for (const char *s = p;; s++) {
			if (*s != '/' && *s)
				continue;
			if (!*s)
				break;
			if ((rc = push_dir(&dirs, &nd, &cd, p, (size_t)(s - p))))
				goto out;
			if (nd > 200000)
				break;
		}
		if ((rc = push_dir(&dirs, &nd, &cd, "", 0))) /* the root */
			goto out;
	}
	if (nd > 1)
		qsort(dirs, nd, sizeof(char *), str_cmp);
	for (size_t i = 0; i < nd; i++) {
		if (i && !strcmp(dirs[i], dirs[i - 1]))
			continue;
		if (strstr(dirs[i], "node_modules"))
			continue;
		if ((rc = package_lines(&out, &ws, &rd, dirs[i])))
			goto out;
		static const char *const names[] = {"tsconfig.json", "jsconfig.json"};
		for (int k = 0; k < 2; k++) {
			char cfg[1100];
			snprintf(cfg, sizeof(cfg), "%s%s%s", dirs[i], *dirs[i] ? "/" : "", names[k]);
			char base[1024] = "";
			json_t *paths = NULL;
			int has_base = 0;
			size_t probe_len;
			char *probe = NULL;
			if ((rc = read_at(&probe, &rd, cfg, &probe_len)))
				goto out;
			if (!probe)
				continue;
			free(probe);
			if ((rc = options_of(&rd, cfg, 0, base, &paths, &has_base, &keep)))
				goto out;
			const char *pat;
			json_t *targets;
			json_object_foreach(paths, pat, targets)
			{
				size_t ti;
				json_t *t;
				json_array_foreach(targets, ti, t)
				{
					char tp[1024];
					const char *ts = json_string_value(t);
					if (!ts || strchr(pat, '\t') || strchr(pat, '\n') || !join(tp, base, ts))
						continue;
					char line[3200];
					int ll = snprintf(line, sizeof(line), "%s\t%s\t%s\n", dirs[i], pat, tp);
					if (ll > 0 && (size_t)ll < sizeof(line))
						cc_buf_put(&out, line, (size_t)ll);
				}
			}
			if (has_base) {
				char line[2200];
				int ll = snprintf(line, sizeof(line), "%s\t*\t%s%s*\n", dirs[i], base,
				                  *base ? "/" : "");
				if (ll > 0 && (size_t)ll < sizeof(line))
					cc_buf_put(&out, line, (size_t)ll);
			}
			json_decref(keep);
			keep = NULL;
			break; /* tsconfig.json wins over jsconfig.json */
		}
	}
	workspace_unique(&out, &ws);
	/* Go: every go.mod in a directory holding or above a Go file (gopy20) */
	if ((rc = lang_dirs(&dirs, &nd, &cd, l, CC_LANG_GO)))
		goto out;
	for (size_t i = 0; i < nd; i++)
		if (!(i && !strcmp(dirs[i], dirs[i - 1])) && !strstr(dirs[i], "vendor") &&
		    (rc = gomod_line(&out, &rd, dirs[i])))
			goto out;
	/* Rust (cg41): every Cargo.toml in a directory holding or above a Rust file */
	if ((rc = lang_dirs(&dirs, &nd, &cd, l, CC_LANG_RUST)))
		goto out;
	for (size_t i = 0; i < nd; i++)
		if (!(i && !strcmp(dirs[i], dirs[i - 1])) && !strstr(dirs[i], "vendor") &&
		    (rc = cargo_line(&out, &rd, dirs[i])))
			goto out;
	if (out.len)
		cc_buf_put(&out, "", 1);
	if (out.oom || ws.buf.oom) {
		rc = cc_error_set(CC_ENOMEM, "out of memory collecting TypeScript path aliases");
		goto out;
	}
	if (out.len) {
		*text = (char *)out.p;
		out.p = NULL;
	}
out:
	json_decref(keep);
	cc_buf_free(&out);
	cc_buf_free(&ws.buf);
	for (size_t i = 0; i < ws.n; i++)
		free(ws.v[i].name);
	free(ws.v);
	for (size_t i = 0; i < nd; i++)
		free(dirs[i]);
	free(dirs);
	git_tree_free(rd.tree);
	return rc;
}
