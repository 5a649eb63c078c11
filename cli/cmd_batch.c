/*
 * cmd_batch.c - `codecomp batch`: every record of a bug manifest x policy x budget (the full
 * cache included) localized with one model load per process, one JSONL line per run in
 * DIR/results-<k>-of-<m>.jsonl; sharding (--shard i/n) and worker processes (--jobs K) split
 * the records; --resume skips the runs already written anywhere in DIR (a line cut by a kill
 * is dropped first). `codecomp batch report DIR... --out R`: merged results, duplicates and
 * missing runs, top-1/3/5 and MRR per policy and budget against the full cache with bootstrap
 * intervals, as R.md, R.json and R.png (an SVG chart rendered by headless Chromium).
 */
#include "cli.h"
#include "cc_batch.h"
#include "cc_common.h"
#include "cc_compress.h"
#include "cc_corpus.h"
#include "cc_localize.h"
#include "cc_store.h"
#include "cc_tokenizer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAX_CFG 64

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: codecomp batch --manifest FILE --out DIR --model DIR\n"
	        "                      [--policies P,P...] [--budgets B,B...] [--shard i/n]\n"
	        "                      [--resume] [--jobs K] [--issue-field issue|issue_indirect]\n"
	        "                      [--context-tokens N] [--scored N] [--max-read N]\n"
	        "                      [--no-trace] [--device cpu|cuda]\n"
	        "       codecomp batch report DIR... --out REPORT [--manifest FILE]\n\n"
	        "Runs every record x policy x budget, plus the full cache, writing one JSON line per\n"
	        "run to DIR/results-<i>-of-<n>[.w<k>-of-<K>].jsonl (ranks of the true file and\n"
	        "function, top\n"
	        "hits, KV bytes, timings). Records are split by --shard i/n (0-based i; the\n"
	        "record's position in the manifest modulo n) and among --jobs K processes. With\n"
	        "--resume, runs already in DIR are skipped and a line cut by a kill is removed.\n"
	        "Defaults: --policies codecomp,snapkv,h2o,streaming,random,structure, --budgets\n"
	        "0.1,0.2,0.4. A record's \"trace\" (stack trace or failing output) goes to\n"
	        "localization with its issue unless --no-trace. `batch report` merges DIRs (duplicates and missing runs reported)\n"
	        "into REPORT.md, REPORT.json and REPORT.png.\n");
}

typedef struct {
	int policy; /* -1 = full cache */
	double budget;
} cfg_t;

static void cfg_name(char *buf, size_t cap, const cfg_t *c)
{
	if (c->policy < 0)
		snprintf(buf, cap, "full");
	else
		snprintf(buf, cap, "%s@%g", cc_policy_name(c->policy), c->budget);
}

/* ---- done set: "record\tpolicy\tbudget" keys --------------------------------------------- */

typedef struct {
	char **v;
	size_t n, cap;
} strset;

static int set_has(const strset *s, const char *k)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], k))
			return 1;
	return 0;
}

static int set_add(strset *s, const char *k)
{
	if (s->n == s->cap) {
		size_t c = s->cap ? 2 * s->cap : 256;
		char **v = realloc(s->v, c * sizeof(*v));
		if (!v)
			return -1;
		s->v = v;
		s->cap = c;
	}
	if (!(s->v[s->n] = strdup(k)))
		return -1;
	s->n++;
	return 0;
}

static void set_free(strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void unit_key(char *buf, size_t cap, const char *id, const char *policy, double budget)
{
	snprintf(buf, cap, "%s\t%s\t%.6g", id, policy, budget);
}

static int is_results_file(const char *name)
{
	size_t l = strlen(name);
	return !strncmp(name, "results-", 8) && l > 14 && !strcmp(name + l - 6, ".jsonl");
}

/* Cut a last line without its newline (a write interrupted by a kill). */
static int truncate_partial(const char *path)
{
	int fd = open(path, O_RDWR);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	off_t end = lseek(fd, 0, SEEK_END), p = end;
	char c;
	while (p > 0) {
		if (pread(fd, &c, 1, p - 1) != 1)
			break;
		if (c == '\n')
			break;
		p--;
	}
	int rc = 0;
	if (p != end)
		rc = ftruncate(fd, p);
	close(fd);
	return rc;
}

/* Keys of the runs in every results file of dir. */
static int load_done(strset *done, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (!is_results_file(e->d_name))
			continue;
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "r");
		char *line = NULL;
		size_t cap = 0;
		while (f && getline(&line, &cap, f) > 0) {
			json_t *o = json_loads(line, 0, NULL);
			const char *id = json_string_value(json_object_get(o, "record"));
			const char *pol = json_string_value(json_object_get(o, "policy"));
			if (id && pol) {
				char k[1024];
				unit_key(k, sizeof(k), id, pol, json_number_value(json_object_get(o, "budget")));
				if (!set_has(done, k) && set_add(done, k)) {
					json_decref(o);
					free(line);
					fclose(f);
					closedir(d);
					return -1;
				}
			}
			json_decref(o);
		}
		free(line);
		if (f)
			fclose(f);
	}
	closedir(d);
	return 0;
}

static int parse_list(double *v, int *n, const char *s, int budgets, int *pol)
{
	char *dup = strdup(s), *save = NULL, *tok;
	*n = 0;
	if (!dup)
		return -1;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n >= MAX_CFG) {
			free(dup);
			return -1;
		}
		if (budgets) {
			double b = 0;
			if (cc_parse_double(&b, tok, 0, 1) || b <= 0) {
				fprintf(stderr, "codecomp: batch: budget '%s' is not in (0, 1]\n", tok);
				free(dup);
				return -1;
			}
			v[(*n)++] = b;
		} else {
			int p = cc_policy_parse(tok);
			if (p < 0) {
				fprintf(stderr, "codecomp: batch: unknown policy '%s'\n", tok);
				free(dup);
				return -1;
			}
			pol[(*n)++] = p;
		}
	}
	free(dup);
	return *n ? 0 : -1;
}

/* The repository of a record: absolute, or relative to the manifest's directory. */
static void record_repo(char *out, size_t cap, const char *manifest, const char *repo)
{
	if (repo[0] == '/') {
		snprintf(out, cap, "%s", repo);
		return;
	}
	const char *slash = strrchr(manifest, '/');
	if (slash)
		snprintf(out, cap, "%.*s/%s", (int)(slash - manifest), manifest, repo);
	else
		snprintf(out, cap, "%s", repo);
}

typedef struct {
	const char *manifest, *out, *model, *issue_field, *device;
	cfg_t cfg[MAX_CFG * MAX_CFG + 1];
	int n_cfg;
	int shard, n_shards, jobs, resume, no_trace;
	size_t context_tokens, scored, max_read;
} run_opts;

static json_t *run_line(const cc_bug *b, const char *pname, double budget,
                        const cc_loc_result *r, int file_rank, int func_rank)
{
	json_t *top = json_array();
	for (size_t i = 0; top && i < r->n_hits && i < 5; i++) {
		const char *fn = r->hits[i].qual[0] ? r->hits[i].qual : r->hits[i].name;
		json_array_append_new(top, json_pack("{s:s, s:s, s:i, s:f}", "file", r->hits[i].path,
		                                     "function", fn, "start_line",
		                                     (int)r->hits[i].start_line, "score",
		                                     round(r->hits[i].score * 1e6) / 1e6));
	}
	/* the likelihood signal alone: the true function's rank by surprisal among the scored
	 * candidates (0 when it was not scored), against chance (n_scored + 1) / 2 */
	int n_scored = 0, s_rank = 0;
	if (func_rank > 0 && r->hits[func_rank - 1].scored) {
		double z = r->hits[func_rank - 1].surprisal_z;
		s_rank = 1;
		for (size_t i = 0; i < r->n_hits; i++)
			if (r->hits[i].scored && (int)i != func_rank - 1 && r->hits[i].surprisal_z > z)
				s_rank++;
	}
	for (size_t i = 0; i < r->n_hits; i++)
		n_scored += r->hits[i].scored;
	/* the structural evidence alone (no model): the true function's rank by structural
	 * score among the hits (ties keep the result's order) */
	int st_rank = 0;
	if (func_rank > 0) {
		double sv = r->hits[func_rank - 1].structural;
		st_rank = 1;
		for (size_t i = 0; i < r->n_hits; i++)
			if ((int)i != func_rank - 1 &&
			    (r->hits[i].structural > sv || (r->hits[i].structural == sv && (int)i < func_rank - 1)))
				st_rank++;
	}
	return json_pack("{s:s, s:s, s:f, s:s?, s:s?, s:i, s:i, s:i, s:i, s:i, s:o, s:b, s:I, s:I, "
	                 "s:{s:I, s:I}, s:{s:f, s:f, s:f, s:f}}",
	                 "record", b->id, "policy", pname, "budget", budget, "source", b->source,
	                 "kind", b->kind, "file_rank", file_rank, "function_rank", func_rank,
	                 "surprisal_rank", s_rank, "structural_rank", st_rank, "scored", n_scored, "top",
	                 top, "fallback", r->fallback, "functions", (json_int_t)r->n_functions,
	                 "context_tokens", (json_int_t)r->context_tokens, "kv_bytes", "full",
	                 (json_int_t)r->kv_bytes_full, "held", (json_int_t)r->kv_bytes_held,
	                 "timings", "candidates", round(r->t.candidates * 1e4) / 1e4, "prefill",
	                 round(r->t.prefill * 1e4) / 1e4, "score", round(r->t.score * 1e4) / 1e4,
	                 "total", round(r->t.total * 1e4) / 1e4);
}

/* Does worker w of K in shard i of n take record idx? Shards split by index modulo n; the
 * workers of a shard split its records in turn. */
static int takes(size_t idx, int i, int n, int w, int K)
{
	return idx % (size_t)n == (size_t)i && (idx / (size_t)n) % (size_t)K == (size_t)w;
}

/* One worker: the records takes() gives it. */
static int run_worker(const run_opts *o, const cc_bug *bugs, size_t n_bugs, int w, int K,
                      int show_progress)
{
	char path[PATH_MAX], key[1024];
	strset done = {0};
	cc_tokenizer *tok = NULL;
	cc_model *model = NULL;
	cc_store *s = NULL;
	char cur_db[PATH_MAX] = "";
	int ret = 1, fd = -1;
	size_t todo = 0, did = 0;
	cc_progress pr;
	if (K == 1)
		snprintf(path, sizeof(path), "%s/results-%d-of-%d.jsonl", o->out, o->shard, o->n_shards);
	else
		snprintf(path, sizeof(path), "%s/results-%d-of-%d.w%d-of-%d.jsonl", o->out, o->shard,
		         o->n_shards, w, K);
	if (o->resume) {
		if (truncate_partial(path)) {
			fprintf(stderr, "codecomp: batch: cannot repair %s\n", path);
			goto out;
		}
		if (load_done(&done, o->out)) {
			fprintf(stderr, "codecomp: batch: out of memory\n");
			goto out;
		}
	} else {
		struct stat sb;
		if (!stat(path, &sb) && sb.st_size > 0) {
			fprintf(stderr, "codecomp: batch: %s has results already: --resume to continue, or "
			                "another --out\n",
			        path);
			goto out;
		}
	}
	for (size_t i = 0; i < n_bugs; i++)
		for (int c = 0; c < o->n_cfg && takes(i, o->shard, o->n_shards, w, K); c++) {
			char pn[64];
			cfg_name(pn, sizeof(pn), &o->cfg[c]);
			unit_key(key, sizeof(key), bugs[i].id,
			         o->cfg[c].policy < 0 ? "full" : cc_policy_name(o->cfg[c].policy),
			         o->cfg[c].policy < 0 ? 1.0 : o->cfg[c].budget);
			todo += !set_has(&done, key);
		}
	if (!todo) {
		ret = 0;
		goto out;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0) {
		fprintf(stderr, "codecomp: batch: cannot write %s: %s\n", path, strerror(errno));
		goto out;
	}
	cc_model_opts mo = {0};
	mo.n_threads = o->jobs > 1 ? 1 : 0;
	mo.device = o->device ? cc_device_parse(o->device) : CC_DEVICE_CPU;
	if (cc_tokenizer_load(&tok, o->model) || cc_model_load(&model, o->model, &mo)) {
		fprintf(stderr, "codecomp: batch: %s\n", cc_error_last());
		goto out;
	}
	cc_model_info mi;
	cc_model_info_get(&mi, model);
	if (cc_tokenizer_check_model_vocab(tok, (size_t)mi.vocab)) {
		fprintf(stderr, "codecomp: batch: model %s: %s\n", o->model, cc_error_last());
		goto out;
	}
	cc_progress_init(&pr, "batch");
	pr.enabled = pr.enabled && show_progress;
	double t0 = cc_now();
	for (size_t i = 0; i < n_bugs; i++) {
		if (!takes(i, o->shard, o->n_shards, w, K))
			continue;
		const cc_bug *b = &bugs[i];
		const char *issue = !strcmp(o->issue_field, "issue_indirect") ? b->issue_indirect : b->issue;
		char repo[PATH_MAX], *db = NULL;
		int indexed = 0;
		for (int c = 0; c < o->n_cfg; c++) {
			const char *pname = o->cfg[c].policy < 0 ? "full" : cc_policy_name(o->cfg[c].policy);
			double budget = o->cfg[c].policy < 0 ? 1.0 : o->cfg[c].budget;
			unit_key(key, sizeof(key), b->id, pname, budget);
			if (set_has(&done, key))
				continue;
			if (!issue || !*issue) {
				/* nothing to ask: recorded as such, not silently skipped */
				json_t *x = json_pack("{s:s, s:s, s:f, s:s}", "record", b->id, "policy", pname,
				                      "budget", budget, "error", "record has no issue text");
				char *line = json_dumps(x, JSON_COMPACT);
				json_decref(x);
				size_t ll = line ? strlen(line) : 0;
				if (line) {
					line[ll] = '\n';
					if (write(fd, line, ll + 1) != (ssize_t)(ll + 1)) {
						free(line);
						goto out;
					}
				}
				free(line);
				did++;
				continue;
			}
			if (!indexed) {
				record_repo(repo, sizeof(repo), o->manifest, b->repo);
				if (cc_store_default_db_path(&db, repo)) {
					fprintf(stderr, "codecomp: batch: record %s: %s\n", b->id, cc_error_last());
					goto out;
				}
				if (strcmp(db, cur_db)) {
					cc_store_free(s);
					s = NULL;
					if (cc_store_open(&s, db, 0)) {
						fprintf(stderr, "codecomp: batch: %s\n", cc_error_last());
						free(db);
						goto out;
					}
					snprintf(cur_db, sizeof(cur_db), "%s", db);
				}
				free(db);
				db = NULL;
				cc_index_opts io = {0};
				cc_index_result ir;
				io.rev = b->rev;
				io.threads = 1;
				if (cc_store_index_run(&ir, s, repo, &io)) {
					fprintf(stderr, "codecomp: batch: record %s: indexing %s at %s: %s\n", b->id,
					        repo, b->rev, cc_error_last());
					goto out;
				}
				cc_index_result_clear(&ir);
				indexed = 1;
			}
			cc_loc_query q = {issue, strlen(issue), NULL, 0, NULL, NULL, 0};
			if (b->trace && *b->trace && !o->no_trace) { /* a recorded stack trace */
				q.trace = b->trace;
				q.trace_len = strlen(b->trace);
			}
			cc_loc_opts lo;
			cc_loc_opts_default(&lo);
			lo.mode = CC_LOC_LIKELIHOOD;
			lo.policy = o->cfg[c].policy < 0 ? CC_POLICY_CODECOMP : o->cfg[c].policy;
			lo.budget = budget;
			lo.top = 100;
			lo.context_tokens = o->context_tokens;
			lo.n_scored = o->scored;
			if (o->max_read)
				lo.max_read = o->max_read;
			cc_loc_result *r = NULL;
			if (cc_localize_run(&r, s, repo, b->rev, model, tok, &q, &lo)) {
				fprintf(stderr, "codecomp: batch: record %s (%s): %s\n", b->id, pname,
				        cc_error_last());
				goto out;
			}
			int fr, fnr;
			cc_batch_ranks(r, b, &fr, &fnr);
			json_t *x = run_line(b, pname, budget, r, fr, fnr);
			cc_loc_result_free(r);
			char *line = x ? json_dumps(x, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
			json_decref(x);
			if (!line) {
				fprintf(stderr, "codecomp: batch: out of memory\n");
				goto out;
			}
			size_t ll = strlen(line);
			line[ll] = '\n'; /* json_dumps leaves room for the NUL we overwrite */
			/* one write per line, O_APPEND: a kill leaves at most one cut line */
			ssize_t wr = write(fd, line, ll + 1);
			free(line);
			if (wr != (ssize_t)(ll + 1)) {
				fprintf(stderr, "codecomp: batch: cannot write %s\n", path);
				goto out;
			}
			did++;
			double el = cc_now() - t0;
			cc_progress_update(&pr, "%zu/%zu runs, %.2f runs/s, ETA %.0f s", did, todo,
			                   did / (el > 0 ? el : 1e-9),
			                   (double)(todo - did) * el / (double)did);
		}
	}
	cc_progress_done(&pr);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	cc_store_free(s);
	cc_model_free(model);
	cc_tokenizer_free(tok);
	set_free(&done);
	return ret;
}

static int cmd_batch_run(int argc, char **argv)
{
	run_opts o;
	const char *policies = "codecomp,snapkv,h2o,streaming,random,structure";
	const char *budgets = "0.1,0.2,0.4";
	memset(&o, 0, sizeof(o));
	o.issue_field = "issue";
	o.n_shards = 1;
	o.jobs = 1;
	for (int i = 1; i < argc; i++) {
		const char *x = argv[i];
		int more = i + 1 < argc;
		if (!strcmp(x, "--help") || !strcmp(x, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(x, "--manifest") && more) {
			o.manifest = argv[++i];
		} else if (!strcmp(x, "--out") && more) {
			o.out = argv[++i];
		} else if (!strcmp(x, "--model") && more) {
			o.model = argv[++i];
		} else if (!strcmp(x, "--policies") && more) {
			policies = argv[++i];
		} else if (!strcmp(x, "--budgets") && more) {
			budgets = argv[++i];
		} else if (!strcmp(x, "--issue-field") && more) {
			o.issue_field = argv[++i];
		} else if (!strcmp(x, "--no-trace")) {
			o.no_trace = 1;
		} else if (!strcmp(x, "--device") && more) {
			o.device = argv[++i];
			if (cc_device_parse(o.device) < 0) {
				fprintf(stderr, "codecomp: batch: unknown device '%s' (cpu or cuda)\n", o.device);
				return 2;
			}
		} else if (!strcmp(x, "--resume")) {
			o.resume = 1;
		} else if (!strcmp(x, "--shard") && more) {
			if (sscanf(argv[++i], "%d/%d", &o.shard, &o.n_shards) != 2 || o.n_shards < 1 ||
			    o.shard < 0 || o.shard >= o.n_shards) {
				fprintf(stderr, "codecomp: batch: --shard wants i/n with 0 <= i < n\n");
				return 2;
			}
		} else if (more && (!strcmp(x, "--jobs") || !strcmp(x, "--context-tokens") ||
		                    !strcmp(x, "--scored") || !strcmp(x, "--max-read"))) {
			long long v;
			if (cc_parse_long(&v, argv[++i], 1, 100000)) {
				fprintf(stderr, "codecomp: batch: bad %s '%s'\n", x, argv[i]);
				return 2;
			}
			if (!strcmp(x, "--jobs"))
				o.jobs = (int)(v > 256 ? 256 : v);
			else if (!strcmp(x, "--scored"))
				o.scored = (size_t)v;
			else if (!strcmp(x, "--max-read"))
				o.max_read = (size_t)v;
			else
				o.context_tokens = (size_t)v;
		} else {
			fprintf(stderr, "codecomp: batch: unknown or incomplete option '%s'\n", x);
			usage(stderr);
			return 2;
		}
	}
	if (!o.manifest || !o.out || !o.model) {
		fprintf(stderr, "codecomp: batch: needs --manifest, --out and --model\n");
		usage(stderr);
		return 2;
	}
	if (strcmp(o.issue_field, "issue") && strcmp(o.issue_field, "issue_indirect")) {
		fprintf(stderr, "codecomp: batch: --issue-field is issue or issue_indirect\n");
		return 2;
	}
	int pol[MAX_CFG], np, nb;
	double bud[MAX_CFG];
	if (parse_list(NULL, &np, policies, 0, pol) || parse_list(bud, &nb, budgets, 1, NULL)) {
		fprintf(stderr, "codecomp: batch: bad --policies or --budgets\n");
		return 2;
	}
	o.cfg[o.n_cfg++] = (cfg_t){-1, 1.0};
	for (int p = 0; p < np; p++)
		for (int b = 0; b < nb; b++)
			o.cfg[o.n_cfg++] = (cfg_t){pol[p], bud[b]};
	cc_bug *bugs = NULL;
	size_t n = 0;
	if (cc_manifest_read(&bugs, &n, o.manifest)) {
		fprintf(stderr, "codecomp: batch: %s\n", cc_error_last());
		return 1;
	}
	/* duplicate ids would make runs indistinguishable */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n && j < i + 100000; j++)
			if (!strcmp(bugs[i].id, bugs[j].id)) {
				fprintf(stderr, "codecomp: batch: record id '%s' appears twice in %s\n",
				        bugs[i].id, o.manifest);
				cc_bugs_free(bugs, n);
				return 1;
			}
	if (mkdir(o.out, 0755) && errno != EEXIST) {
		fprintf(stderr, "codecomp: batch: cannot create %s: %s\n", o.out, strerror(errno));
		cc_bugs_free(bugs, n);
		return 1;
	}
	int ret = 0;
	if (o.jobs == 1) {
		ret = run_worker(&o, bugs, n, 0, 1, 1);
	} else {
		pid_t pids[256];
		for (int w = 0; w < o.jobs; w++) {
			pid_t p = fork();
			if (p < 0) {
				fprintf(stderr, "codecomp: batch: fork failed\n");
				ret = 1;
				break;
			}
			if (!p)
				_exit(run_worker(&o, bugs, n, w, o.jobs, w == 0));
			pids[w] = p;
		}
		for (int w = 0; w < o.jobs; w++) {
			int st;
			if (waitpid(pids[w], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
				ret = 1;
		}
	}
	cc_bugs_free(bugs, n);
	return ret;
}

/* ---- report ------------------------------------------------------------------------------ */

typedef struct {
	char *record, *policy;
	double budget;
	int file_rank, func_rank;
	int s_rank, n_scored; /* surprisal-only rank among the scored candidates */
	int error;
} run_t;

static int run_cmp(const void *a, const void *b)
{
	const run_t *x = a, *y = b;
	int c = strcmp(x->record, y->record);
	if (c)
		return c;
	if ((c = strcmp(x->policy, y->policy)))
		return c;
	return x->budget < y->budget ? -1 : x->budget > y->budget;
}

static int render_svg_png(const char *svg_path, const char *png)
{
	static const char *const names[] = {"chromium", "chromium-browser", "google-chrome", NULL};
	char chrome[PATH_MAX] = "", abs[PATH_MAX], url[PATH_MAX + 8], shot[PATH_MAX + 16];
	char prof[] = "/tmp/codecomp-batch.XXXXXX", pa[PATH_MAX + 20];
	const char *path = getenv("PATH");
	for (const char *const *nm = names; *nm && !chrome[0]; nm++) {
		const char *p = path ? path : "/usr/bin";
		while (*p && !chrome[0]) {
			const char *e = strchr(p, ':');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			snprintf(chrome, sizeof(chrome), "%.*s/%s", (int)l, p, *nm);
			if (access(chrome, X_OK))
				chrome[0] = 0;
			p += l + (e ? 1 : 0);
		}
	}
	if (!chrome[0] || !realpath(svg_path, abs) || !mkdtemp(prof))
		return -1;
	snprintf(url, sizeof(url), "file://%s", abs);
	snprintf(shot, sizeof(shot), "--screenshot=%s", png);
	snprintf(pa, sizeof(pa), "--user-data-dir=%s", prof);
	char *argv[] = {chrome, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
	                "--window-size=900,520", pa, shot, url, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int st = 1;
	int ok = !posix_spawn(&pid, chrome, &fa, NULL, argv, environ) && waitpid(pid, &st, 0) == pid &&
	         WIFEXITED(st) && !WEXITSTATUS(st);
	posix_spawn_file_actions_destroy(&fa);
	char *rmargv[] = {"rm", "-rf", prof, NULL};
	if (!posix_spawnp(&pid, "rm", NULL, NULL, rmargv, environ))
		waitpid(pid, NULL, 0);
	return ok ? 0 : -1;
}

static int cmd_batch_report(int argc, char **argv)
{
	const char *outp = NULL, *manifest = NULL;
	const char *dirs[64];
	int nd = 0, ret = 1;
	run_t *runs = NULL;
	size_t n = 0, cap = 0, dups = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			outp = argv[++i];
		else if (!strcmp(argv[i], "--manifest") && i + 1 < argc)
			manifest = argv[++i];
		else if (argv[i][0] == '-') {
			fprintf(stderr, "codecomp: batch report: unknown option '%s'\n", argv[i]);
			return 2;
		} else if (nd < 64)
			dirs[nd++] = argv[i];
	}
	if (!outp || !nd) {
		usage(stderr);
		return 2;
	}
	for (int d = 0; d < nd; d++) {
		DIR *dh = opendir(dirs[d]);
		struct dirent *e;
		if (!dh) {
			fprintf(stderr, "codecomp: batch report: cannot open %s\n", dirs[d]);
			goto out;
		}
		while ((e = readdir(dh))) {
			if (!is_results_file(e->d_name))
				continue;
			char path[PATH_MAX];
			snprintf(path, sizeof(path), "%s/%s", dirs[d], e->d_name);
			FILE *f = fopen(path, "r");
			char *line = NULL;
			size_t lc = 0, ln = 0;
			while (f && getline(&line, &lc, f) > 0) {
				ln++;
				json_t *o = json_loads(line, 0, NULL);
				const char *rec = json_string_value(json_object_get(o, "record"));
				const char *pol = json_string_value(json_object_get(o, "policy"));
				if (!rec || !pol) {
					fprintf(stderr, "codecomp: batch report: %s:%zu: not a run line (skipped)\n",
					        path, ln);
					json_decref(o);
					continue;
				}
				if (n == cap) {
					cap = cap ? 2 * cap : 1024;
					run_t *v = realloc(runs, cap * sizeof(*v));
					if (!v) {
						json_decref(o);
						free(line);
						fclose(f);
						closedir(dh);
						goto out;
					}
					runs = v;
				}
				runs[n].record = strdup(rec);
				runs[n].policy = strdup(pol);
				runs[n].budget = json_number_value(json_object_get(o, "budget"));
				runs[n].file_rank = (int)json_integer_value(json_object_get(o, "file_rank"));
				runs[n].func_rank = (int)json_integer_value(json_object_get(o, "function_rank"));
				runs[n].s_rank = (int)json_integer_value(json_object_get(o, "surprisal_rank"));
				runs[n].n_scored = (int)json_integer_value(json_object_get(o, "scored"));
				runs[n].error = json_object_get(o, "error") != NULL;
				n++;
				json_decref(o);
			}
			free(line);
			if (f)
				fclose(f);
		}
		closedir(dh);
	}
	if (!n) {
		fprintf(stderr, "codecomp: batch report: no results in the given directories\n");
		goto out;
	}
	qsort(runs, n, sizeof(*runs), run_cmp);
	/* duplicates: the same run twice (kept once) */
	{
		size_t w = 0;
		for (size_t i = 0; i < n; i++) {
			if (w && !run_cmp(&runs[w - 1], &runs[i])) {
				dups++;
				free(runs[i].record);
				free(runs[i].policy);
				continue;
			}
			runs[w++] = runs[i];
		}
		n = w;
	}
	/* configurations and records */
	struct cfgr {
		char policy[32];
		double budget;
	} cfgs[MAX_CFG * 4];
	int ncfg = 0;
	strset recs = {0};
	for (size_t i = 0; i < n; i++) {
		int found = 0;
		for (int c = 0; c < ncfg; c++)
			found |= !strcmp(cfgs[c].policy, runs[i].policy) && cfgs[c].budget == runs[i].budget;
		if (!found && ncfg < MAX_CFG * 4) {
			snprintf(cfgs[ncfg].policy, sizeof(cfgs[ncfg].policy), "%s", runs[i].policy);
			cfgs[ncfg++].budget = runs[i].budget;
		}
		if (!set_has(&recs, runs[i].record))
			set_add(&recs, runs[i].record);
	}
	size_t expected_recs = recs.n;
	strset absent = {0};
	if (manifest) {
		cc_bug *bugs = NULL;
		size_t nb = 0;
		if (cc_manifest_read(&bugs, &nb, manifest)) {
			fprintf(stderr, "codecomp: batch report: %s\n", cc_error_last());
			set_free(&recs);
			goto out;
		}
		for (size_t i = 0; i < nb; i++)
			if (!set_has(&recs, bugs[i].id))
				set_add(&absent, bugs[i].id);
		expected_recs = nb;
		cc_bugs_free(bugs, nb);
	}
	/* missing runs: record x configuration pairs not present */
	size_t missing = absent.n * (size_t)ncfg;
	for (size_t r = 0; r < recs.n; r++)
		for (int c = 0; c < ncfg; c++) {
			run_t key = {recs.v[r], cfgs[c].policy, cfgs[c].budget, 0, 0, 0, 0, 0};
			if (!bsearch(&key, runs, n, sizeof(*runs), run_cmp))
				missing++;
		}
	/* per configuration: ranks over the records that have both it and the full cache */
	json_t *jr = json_object(), *jc = json_array();
	char mdp[PATH_MAX], jsp[PATH_MAX], svgp[PATH_MAX], pngp[PATH_MAX];
	snprintf(mdp, sizeof(mdp), "%s.md", outp);
	snprintf(jsp, sizeof(jsp), "%s.json", outp);
	snprintf(svgp, sizeof(svgp), "%s.svg", outp);
	snprintf(pngp, sizeof(pngp), "%s.png", outp);
	FILE *md = fopen(mdp, "w");
	if (!md || !jr || !jc) {
		fprintf(stderr, "codecomp: batch report: cannot write %s\n", mdp);
		if (md)
			fclose(md);
		json_decref(jr);
		json_decref(jc);
		set_free(&recs);
		set_free(&absent);
		goto out;
	}
	fprintf(md, "# Batch localization report\n\n%zu records (%zu expected), %zu runs, %d "
	            "configurations; %zu duplicate runs dropped, %zu runs missing.\n\n",
	        recs.n, expected_recs, n, ncfg, dups, missing);
	fprintf(md, "Ranks of the true function and file among the answer's (1 = first). Intervals: "
	            "95%% bootstrap over records (1000 resamples). dMRR: paired difference to the "
	            "full cache on the same records. Surprisal-only: the true function's MRR when "
	            "the scored candidates are ordered by line surprisal alone, against the MRR of "
	            "a random order of the same candidates (over the runs where it was scored).\n\n");
	fprintf(md, "| policy | budget | n | fn top-1 [95%% CI] | fn top-3 | fn top-5 | fn MRR [95%% CI] "
	            "| file top-1 | file top-3 | file top-5 | file MRR | dMRR vs full [95%% CI] "
	            "| surprisal-only MRR vs chance |\n");
	fprintf(md, "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
	int *fa = malloc((recs.n + 1) * sizeof(int)), *fi = malloc((recs.n + 1) * sizeof(int)),
	    *full = malloc((recs.n + 1) * sizeof(int));
	/* chart data */
	double chart_mrr[MAX_CFG * 4];
	for (int c = 0; c < ncfg && fa && fi && full; c++) {
		size_t k = 0, s_n = 0;
		double s_mrr = 0, s_chance = 0;
		for (size_t r = 0; r < recs.n; r++) {
			run_t key = {recs.v[r], cfgs[c].policy, cfgs[c].budget, 0, 0, 0, 0, 0};
			run_t kf = {recs.v[r], "full", 1.0, 0, 0, 0, 0, 0};
			run_t *x = bsearch(&key, runs, n, sizeof(*runs), run_cmp);
			run_t *y = bsearch(&kf, runs, n, sizeof(*runs), run_cmp);
			if (!x || x->error)
				continue;
			fa[k] = x->func_rank;
			fi[k] = x->file_rank;
			if (x->s_rank > 0) {
				s_mrr += 1.0 / x->s_rank;
				/* chance: E[1/rank] with the rank uniform over 1..n_scored */
				double h = 0;
				for (int q = 1; q <= x->n_scored; q++)
					h += 1.0 / q;
				s_chance += x->n_scored > 0 ? h / x->n_scored : 0;
				s_n++;
			}
			full[k] = y && !y->error ? y->func_rank : -1;
			k++;
		}
		cc_batch_stats sf, sfi;
		double dl = 0, dlo = 0, dhi = 0;
		cc_batch_stats_compute(&sf, fa, k, 1000, 1);
		cc_batch_stats_compute(&sfi, fi, k, 1000, 2);
		/* paired with the full cache where it exists */
		size_t kp = 0;
		for (size_t j = 0; j < k; j++)
			if (full[j] >= 0) {
				fa[kp] = fa[j];
				full[kp] = full[j];
				kp++;
			}
		int is_full = !strcmp(cfgs[c].policy, "full");
		if (!is_full)
			cc_batch_mrr_delta(&dl, &dlo, &dhi, fa, full, kp, 1000, 3);
		chart_mrr[c] = sf.mrr;
		char scell[64] = "-";
		if (s_n)
			snprintf(scell, sizeof(scell), "%.3f vs %.3f (n %zu)", s_mrr / s_n, s_chance / s_n, s_n);
		char dcell[96] = "-";
		if (!is_full && kp)
			snprintf(dcell, sizeof(dcell), "%+.3f [%+.3f, %+.3f]", dl, dlo, dhi);
		fprintf(md, "| %s | %g | %zu | %.3f [%.3f, %.3f] | %.3f | %.3f | %.3f [%.3f, %.3f] | %.3f "
		            "| %.3f | %.3f | %.3f | %s | %s |\n",
		        cfgs[c].policy, cfgs[c].budget, sf.n, sf.top1, sf.top1_lo, sf.top1_hi, sf.top3,
		        sf.top5, sf.mrr, sf.mrr_lo, sf.mrr_hi, sfi.top1, sfi.top3, sfi.top5, sfi.mrr, dcell,
		        scell);
		json_t *row = json_pack("{s:s, s:f, s:I, s:{s:f, s:f, s:f, s:f, s:[f,f], s:[f,f]}, "
		                        "s:{s:f, s:f, s:f, s:f}, s:o}",
		                        "policy", cfgs[c].policy, "budget", cfgs[c].budget, "n",
		                        (json_int_t)sf.n, "function", "top1", sf.top1, "top3", sf.top3,
		                        "top5", sf.top5, "mrr", sf.mrr, "top1_ci", sf.top1_lo, sf.top1_hi,
		                        "mrr_ci", sf.mrr_lo, sf.mrr_hi, "file", "top1", sfi.top1, "top3",
		                        sfi.top3, "top5", sfi.top5, "mrr", sfi.mrr, "mrr_delta_vs_full",
		                        is_full || !kp ? json_null()
		                                       : json_pack("{s:f, s:[f,f]}", "mean", dl, "ci", dlo, dhi));
		json_array_append_new(jc, row);
		json_object_set_new(json_array_get(jc, json_array_size(jc) - 1), "surprisal_only",
		                    s_n ? json_pack("{s:f, s:f, s:I}", "mrr", s_mrr / s_n, "chance_mrr",
		                                    s_chance / s_n, "n", (json_int_t)s_n)
		                        : json_null());
	}
	free(fa);
	free(fi);
	free(full);
	if (absent.n) {
		fprintf(md, "\nRecords of the manifest without any run:");
		for (size_t i = 0; i < absent.n && i < 50; i++)
			fprintf(md, " %s", absent.v[i]);
		fprintf(md, "%s\n", absent.n > 50 ? " ..." : "");
	}
	fclose(md);
	json_object_set_new(jr, "records", json_integer((json_int_t)recs.n));
	json_object_set_new(jr, "expected_records", json_integer((json_int_t)expected_recs));
	json_object_set_new(jr, "runs", json_integer((json_int_t)n));
	json_object_set_new(jr, "duplicates", json_integer((json_int_t)dups));
	json_object_set_new(jr, "missing", json_integer((json_int_t)missing));
	json_object_set_new(jr, "configurations", jc);
	if (json_dump_file(jr, jsp, JSON_INDENT(1) | JSON_REAL_PRECISION(6))) {
		fprintf(stderr, "codecomp: batch report: cannot write %s\n", jsp);
		json_decref(jr);
		set_free(&recs);
		set_free(&absent);
		goto out;
	}
	json_decref(jr);
	/* chart: function MRR per configuration, bars */
	FILE *sv = fopen(svgp, "w");
	if (sv) {
		int W = 900, H = 520, left = 60, bottom = 140, top = 40;
		double bw = ncfg ? (double)(W - left - 20) / ncfg : 1;
		fprintf(sv, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">"
		            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>"
		            "<text x=\"%d\" y=\"24\" font-family=\"sans-serif\" font-size=\"16\">Function "
		            "MRR per policy and budget (%zu records)</text>",
		        W, H, left, recs.n);
		fprintf(sv, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>", left,
		        H - bottom, W - 20, H - bottom);
		for (int t = 0; t <= 4; t++) {
			double y = H - bottom - (H - bottom - top) * t / 4.0;
			fprintf(sv, "<text x=\"8\" y=\"%.0f\" font-family=\"sans-serif\" font-size=\"11\">%.2f"
			            "</text><line x1=\"%d\" y1=\"%.0f\" x2=\"%d\" y2=\"%.0f\" stroke=\"#ddd\"/>",
			        y + 4, t / 4.0, left, y, W - 20, y);
		}
		for (int c = 0; c < ncfg; c++) {
			double hgt = (H - bottom - top) * chart_mrr[c];
			double x = left + c * bw + bw * 0.1;
			int full_c = !strcmp(cfgs[c].policy, "full");
			fprintf(sv, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
			        x, H - bottom - hgt, bw * 0.8, hgt, full_c ? "#444" : "#2a7ab0");
			fprintf(sv, "<text transform=\"translate(%.1f,%d) rotate(60)\" font-family="
			            "\"sans-serif\" font-size=\"11\">%s %g</text>",
			        x + bw * 0.3, H - bottom + 8, cfgs[c].policy, cfgs[c].budget);
		}
		fprintf(sv, "</svg>\n");
		fclose(sv);
		if (render_svg_png(svgp, pngp))
			fprintf(stderr, "codecomp: batch report: no PNG (chromium not found or failed); "
			                "the chart is in %s\n",
			        svgp);
	}
	fprintf(stderr, "batch report: %zu records, %zu runs, %zu duplicates, %zu missing -> %s, %s\n",
	        recs.n, n, dups, missing, mdp, jsp);
	set_free(&recs);
	set_free(&absent);
	ret = 0;
out:
	for (size_t i = 0; i < n; i++) {
		free(runs[i].record);
		free(runs[i].policy);
	}
	free(runs);
	return ret;
}

int cmd_batch(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "report"))
		return cmd_batch_report(argc - 1, argv + 1);
	return cmd_batch_run(argc, argv);
}
