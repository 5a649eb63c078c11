/*
 * cc_corpus.h - bug corpora for localization runs (target cc_corpus): single-line bugs
 * injected into real code through the analysis graph (cc_corpus_mutate), and the manifest
 * they are written to: one JSON object per line (JSONL), one bug per record.
 *
 * Manifest record (every field written; readers ignore unknown ones):
 *   {"id": "inventory-m0003", "source": "mutate", "repo": "inventory-mutants", "rev":
 *    "mutant/0003", "commit": HEX, "base_commit": HEX, "kind": "off_by_one", "file": PATH,
 *    "function": NAME, "qualified": "Stock.remove", "start_line": N, "end_line": N, "lines":
 *    [N], "original": "text of the line", "mutated": "text of the line", "issue": TEXT,
 *    "issue_indirect": TEXT|null, "giveaway": [NAME...], "seed": S, "trace": TEXT|null,
 *    "tests": [TEST...]}
 * "source" is "mutate", "mine", "swebench", "bugsinpy" or "defects4j"; for mutants "base_commit" is the commit mutated,
 * for mined bugs the fix (whose parent, "rev", holds the bug).
 * "repo" is relative to the manifest's directory (or absolute); "rev" is a revision of it;
 * ground truth is (file, function, start_line..end_line, lines) at that revision.
 * "issue" is derived from the graph and names the function ("X returns a wrong value when
 * called from Y"); "issue_indirect" names only a caller (null when there is none), the
 * harder test; "giveaway" lists identifiers in "issue" that name the answer.
 *
 * Memory: a failed allocation is returned as CC_ENOMEM (with a message); nothing here aborts
 * the process (CC_ASSERT guards internal invariants only, never input).
 */
#ifndef CC_CORPUS_H
#define CC_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "cc_common.h"
#include "cc_store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Mutation operators. */
typedef enum {
	CC_MUT_OPERATOR = 0, /* == <-> !=, and <-> or, && <-> ||, + <-> - */
	CC_MUT_OFF_BY_ONE,   /* < <-> <=, > <-> >=, an integer literal n -> n + 1 */
	CC_MUT_NEGATED,      /* a condition c -> not (c) / !(c) */
	CC_MUT_WRONG_IDENT,  /* a variable use -> another variable of the same function */
	CC_MUT_SWAPPED_ARGS, /* f(a, b) -> f(b, a) */
	CC_MUT_REMOVED_CALL, /* a call statement removed (pass / empty statement) */
	CC_MUT_COUNT
} cc_mut_kind;

const char *cc_mut_kind_name(int kind); /* "operator", "off_by_one", ... */

/* One bug of a corpus (all strings malloc'd). */
typedef struct {
	char *id, *source, *repo, *rev, *commit, *base_commit, *kind;
	char *file, *function, *qualified;
	uint32_t start_line, end_line; /* the function at rev */
	uint32_t *lines;               /* changed lines at rev */
	size_t n_lines;
	char *original, *mutated;     /* the changed line before and after (mutants) */
	char *issue, *issue_indirect; /* issue_indirect may be NULL */
	char **giveaway;
	size_t n_giveaway;
	uint64_t seed;
	char *trace;  /* a stack trace or failing output, or NULL */
	char **tests; /* the failing tests (ids as their runner names them) */
	size_t n_tests;
} cc_bug;

void cc_bug_clear(cc_bug *b); /* NULL ok; frees the strings and zeroes *b */

typedef struct {
	size_t count; /* mutants wanted */
	uint64_t seed;
	/* where the scratch copy goes (created by git clone; must not exist) */
	const char *copy_path;
	/* what records say in "repo" (e.g. copy_path relative to the manifest); NULL = copy_path */
	const char *repo_field;
	const char *id_prefix; /* record ids are PREFIX-mNNNN; NULL = the repository's base name */
	void (*progress)(void *ud, size_t done, size_t total);
	void *progress_ud;
} cc_mutate_opts;

typedef struct {
	size_t sites;         /* mutation sites found */
	size_t tried;         /* mutants tried */
	size_t dropped_parse; /* dropped: the mutated file did not parse */
	size_t made;          /* mutants committed */
	size_t per_kind[CC_MUT_COUNT];
} cc_mutate_stats;

/* Inject o->count single-line bugs into HEAD of the repository at repo_path (indexed in s:
 * its graph gives functions, conditions, calls and callers), each a commit on its own
 * branch mutant/NNNN of a copy at o->copy_path; *bugs (malloc'd, *n_bugs entries, free each
 * with cc_bug_clear then the array) in a deterministic order: the same repository and seed
 * give the same records, commit ids included. Test files (a path with a "test" component)
 * are not mutated. Fewer than count when the code offers fewer sites. Errors: CC_ENOTFOUND
 * (HEAD not indexed: run `codecomp index`), CC_EINVAL (copy_path exists), CC_EGIT, CC_EIO,
 * CC_ENOMEM. */
int cc_corpus_mutate(cc_bug **bugs, size_t *n_bugs, cc_mutate_stats *st, cc_store *s,
                     const char *repo_path, const cc_mutate_opts *o);

/* ---- stack traces from running tests ---------------------------------------------------- */

/* One command run in a sandbox (cc_corpus_run_sandboxed). */
typedef struct {
	int status; /* exit status; 128 + signal when killed; -1 on timeout */
	int timed_out;
	/* 1: namespaces made every mount but the directory read-only and took the network away;
	 * 0: only the environment was confined */
	int sandboxed;
	/* stdout and stderr together, malloc'd, NUL-terminated: the last max_output bytes */
	char *output;
	size_t output_len;
} cc_test_run;

/* Run argv (argv[0] looked up in PATH) with dir as working directory, HOME and TMPDIR
 * (dir/.tmp), PYTHONPATH=dir and PYTHONDONTWRITEBYTECODE=1, stdin /dev/null, in its own
 * process group, killed (with the group) after timeout_s seconds (0 = none); where user
 * namespaces are allowed every mount but dir is read-only and there is no network (where they
 * are not, or the mounts cannot be remounted, the command runs with only the environment
 * confined: out->sandboxed = 0). *out is filled (cc_test_run_clear) whatever the command's
 * status. Errors: CC_EIO (pipe, fork), CC_ENOMEM. */
int cc_corpus_run_sandboxed(cc_test_run *out, const char *dir, char *const argv[],
                            unsigned timeout_s, size_t max_output);
void cc_test_run_clear(cc_test_run *r); /* NULL ok */

typedef struct {
	const char *test_cmd;  /* the runner, split on spaces, test files appended; NULL =
	                          "python3 -m unittest" */
	unsigned timeout_s;    /* per run; 0 = 60 */
	size_t max_test_files; /* test files considered; 0 = 64 */
	void (*progress)(void *ud, size_t done, size_t total);
	void *progress_ud;
} cc_trace_opts;

typedef struct {
	size_t test_files; /* test files passing at the mutated commit */
	size_t python;     /* Python mutants looked at */
	size_t ran;        /* mutants whose tests ran */
	size_t failed;     /* ... and failed: trace and tests recorded */
	size_t timed_out;
	int sandboxed; /* the runs were confined by namespaces */
} cc_trace_stats;

/* Traces for the Python mutants of bugs[0..n) (made by cc_corpus_mutate into the copy at
 * copy_path): the test files of the mutated commit (test_*.py, *_test.py) that pass there,
 * among those naming the mutant's function or module, run on a scratch checkout of the mutant
 * (cc_corpus_run_sandboxed, under $TMPDIR, removed after); a failure sets the record's trace
 * (the output, paths relative to the repository, its last 16 KiB) and tests (the failing test
 * ids). Records of other languages and mutants no test catches are left as they are. Errors:
 * CC_EGIT, CC_EIO, CC_ENOMEM. */
int cc_corpus_mutant_traces(cc_bug *bugs, size_t n_bugs, cc_trace_stats *st,
                            const char *copy_path, const cc_trace_opts *o);

/* ---- bugs from fixes ---------------------------------------------------------------------- */

/* A bug from a fix: patch is a unified diff from revision rev (the buggy one, indexed in s)
 * to the fix. The changed old-side lines (a pure insertion counts the line before it) must lie
 * in 1 to 3 functions of rev, with no change outside a function of an analysed file (test
 * files - a test/tests folder, test_*, *_test.*, conftest.py -, Python stubs (.pyi) and blank
 * or comment-only lines are left out: the tests of a fix are not the bug); then
 * *found = 1 and *out is the record (ground truth: the first function, its changed lines;
 * issue: the given text; giveaway: the function, qualified and file names the text
 * contains; source, id and repo_field as given), else *found = 0. Errors: CC_ENOTFOUND (rev
 * not indexed), CC_EDB, CC_ENOMEM. */
int cc_corpus_from_diff(cc_bug *out, int *found, cc_store *s, const char *repo_path,
                        const char *rev, const char *patch, const char *issue, const char *id,
                        const char *source, const char *repo_field);

/* Real bugs from history: the commits reachable from HEAD (at most max_commits of them, 0 =
 * all, newest first) with one parent whose message's first line reads as a fix (fix, bug,
 * crash, wrong, incorrect, regression, error, broken; not "issue", which mostly names a
 * ticket) and no word of a fix that changes no behaviour (words starting typo, doc, comment,
 * grammar, spelling, wording, clarif, note, lint, flake8, ruff, mypy, pep8, whitespace,
 * changelog, readme, typing, annotation, hint, long line, formatting, beautif, code block,
 * refactor; the words ci, tox, types), and
 * whose diff passes
 * cc_corpus_from_diff at the parent, which is indexed on the way. Records: id "fix-<12 hex of
 * the fix>", rev and commit = the parent (buggy) commit, base_commit = the fix, issue = the
 * message. *n_fixes (may be NULL) counts the fix commits looked at. Errors: CC_EGIT, and
 * those of indexing. */
int cc_corpus_mine(cc_bug **bugs, size_t *n_bugs, size_t *n_fixes, cc_store *s,
                   const char *repo_path, size_t max_commits, const char *repo_field);

/* SWE-bench style import: a JSONL file of {instance_id, repo ("owner/name"), base_commit,
 * problem_statement, patch}; the repository is repos_dir/owner/name or repos_dir/name (a
 * local clone holding base_commit), indexed at base_commit on the way, and each instance
 * becomes a record by cc_corpus_from_diff (source "swebench", issue = problem_statement).
 * *skipped counts the instances left out (repository missing, patch outside 1-3 functions);
 * *why_first (may be NULL; malloc'd) says why the first was. Errors: CC_ENOTFOUND (the file),
 * CC_EPARSE (a line that is not such an object, naming the line), CC_ENOMEM. */
int cc_corpus_import_swebench(cc_bug **bugs, size_t *n_bugs, size_t *skipped, char **why_first,
                              const char *jsonl, const char *repos_dir);

/* ---- BugsInPy and Defects4J ------------------------------------------------------------- */

/* BugsInPy's layout (github.com/soarsmu/BugsInPy): PROJECTS/<project>/bugs/<n>/ holds
 *   bug.info       key="value" lines: buggy_commit_id, fixed_commit_id, test_file (files
 *                  separated by ';'), python_version;
 *   bug_patch.txt  the fix as a unified diff from the buggy commit;
 *   run_test.sh    the failing tests' commands (`pytest path::Class::test`,
 *                  `python -m unittest -q pkg.mod.Class.test`).
 * Defects4J's (github.com/rjust/defects4j): PROJECTS/<Project>/ (framework/projects) holds
 *   active-bugs.csv          bug.id,revision.id.buggy,revision.id.fixed,report.id,report.url;
 *   patches/<n>.src.patch    the source change as a unified diff FROM THE FIXED revision to
 *                            the buggy one (reversed on import);
 *   trigger_tests/<n>        "--- pkg.ClassTest::method" then that test's failure trace. */

typedef struct {
	char *buggy, *fixed;  /* commit ids as written (7-40 hex digits) */
	char *python_version; /* or NULL */
	char **test_files;
	size_t n_test_files;
} cc_bugsinpy_info;

/* Parse a bug.info text (len bytes, need not be NUL-terminated) into *out (free with
 * cc_bugsinpy_info_clear). Errors: CC_EPARSE (a line without '=', a missing or non-hex
 * buggy/fixed commit id: the message names it), CC_ENOMEM. */
int cc_bugsinpy_info_parse(cc_bugsinpy_info *out, const char *text, size_t len);
void cc_bugsinpy_info_clear(cc_bugsinpy_info *in); /* NULL ok */

/* The test ids of a run_test.sh text: the arguments after a runner (pytest, py.test, python
 * -m pytest/unittest, tox) that are not options. *tests is malloc'd (cc_strv_free). Errors:
 * CC_EPARSE (no test named), CC_ENOMEM. */
int cc_bugsinpy_tests_parse(char ***tests, size_t *n_tests, const char *text, size_t len);

typedef struct {
	int id; /* bug.id */
	char buggy[41], fixed[41];
	char *report; /* report.id, or NULL */
} cc_d4j_bug;

/* Parse an active-bugs.csv text (header line first) into *out (malloc'd; cc_d4j_bugs_free).
 * Errors: CC_EPARSE (no header, fewer than 3 fields, an id that is no positive number, a
 * revision that is no commit id: the message names the line), CC_ENOMEM. */
int cc_d4j_active_bugs_parse(cc_d4j_bug **out, size_t *n, const char *text, size_t len);
void cc_d4j_bugs_free(cc_d4j_bug *v, size_t n); /* NULL ok */

/* The tests of a trigger_tests text ("--- Class::method" lines) into *tests (malloc'd;
 * cc_strv_free) and, when first_error is not NULL, the line after the first test's name (its
 * exception, malloc'd, or NULL). Errors: CC_EPARSE (no test named), CC_ENOMEM. */
int cc_d4j_trigger_parse(char ***tests, size_t *n_tests, char **first_error, const char *text,
                         size_t len);

/* The reverse of a unified diff: file headers swapped, hunk ranges swapped, '-' and '+' lines
 * exchanged; other lines kept. Hunks are read by their headers' line counts, as git apply
 * does, so a removed line reading "-- x" stays content; lines outside hunks are kept as they
 * are. Reversing twice gives the first reverse again. *out malloc'd. Errors: CC_EPARSE (a
 * malformed hunk header, a hunk with more or fewer lines than its header counts, a '--- '
 * line without its '+++ ', a NUL byte), CC_ENOMEM. */
int cc_diff_reverse(char **out, const char *patch, size_t len);

void cc_strv_free(char **v, size_t n); /* NULL ok: frees each string and the array */

/* Import the BugsInPy (format "bugsinpy") or Defects4J ("defects4j") bugs under projects_dir
 * (the dataset's projects folder, or one project's folder). The project's repository is a
 * local clone at repos_dir/<project> (or repos_dir/<project in lower case>) holding the
 * buggy commits; it is indexed at each buggy commit on the way. Each bug becomes a record by
 * cc_corpus_from_diff at the buggy commit (Defects4J's patch reversed first) when the patch
 * applies there line for line; ids "<project>-<n>", issue: the failing tests (and, for
 * Defects4J, the first exception), tests: the failing tests, trace: Defects4J's trigger
 * traces (BugsInPy gives none). *skipped counts the bugs left out (no clone, patch not
 * applying or outside 1-3 functions, malformed metadata of one bug); *why_first (may be
 * NULL; malloc'd) says why the first was. Errors: CC_EINVAL (unknown format), CC_ENOTFOUND
 * (projects_dir holds no project of that format), CC_EPARSE (a project's active-bugs.csv),
 * CC_ENOMEM. */
int cc_corpus_import_dataset(cc_bug **bugs, size_t *n_bugs, size_t *skipped, char **why_first,
                             const char *format, const char *projects_dir,
                             const char *repos_dir);

/* ---- manifests (JSONL) ------------------------------------------------------------------- */

/* One record as a line of JSON (no newline), malloc'd. Errors: CC_ENOMEM. */
int cc_bug_to_json_line(char **out, const cc_bug *b);

/* Read a manifest: every non-empty line a record. *bugs as above. Errors: CC_ENOTFOUND /
 * CC_EIO (file), CC_EPARSE (a line that is not a JSON object, or lacks id, repo, rev, file,
 * function, start_line, end_line, issue: the message names the line number and the field). */
int cc_manifest_read(cc_bug **bugs, size_t *n_bugs, const char *path);

void cc_bugs_free(cc_bug *bugs, size_t n); /* NULL ok */

#ifdef __cplusplus
}
#endif
#endif
