/*
 * index.c - the indexer: list a revision's files, find which blobs the store lacks, parse
 * those on all cores (one cc_analyzer and one git_repository per parser thread) and write them
 * from the calling thread, one transaction per batch; then record the revision (its files,
 * skips and totals, with the call edges counted) in one final transaction.
 *
 * Blobs are written in a fixed order (the order of their first path in the listing) through a
 * small reorder window, so two runs over the same revision number blobs, hence node ids, the
 * same way, and an interrupted run followed by a fresh one yields the ids of a clean run.
 */
#include "store_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A batch (one transaction) ends at whichever comes first. CODECOMP_BATCH_BLOBS overrides the
 * blob count (tests use small batches to interrupt runs at a known point), and while the file
 * CODECOMP_TEST_GATE names exists the writer holds after each committed batch until the file
 * goes or the run is cancelled (tests interrupt a run that is surely mid-way, however slow the
 * machine). */
#define BATCH_BYTES (8u << 20)
#define BATCH_BLOBS 1024
#define BATCH_SECONDS 0.5

/* One distinct blob of the listing. */
typedef struct {
	git_oid oid;
	int lkey;         /* language key (lang_key): a blob is stored once per language */
	size_t first;     /* index of its first file in the listing */
	int64_t blob_id;  /* 0 = not stored */
	uint64_t size;    /* bytes of the blob */
	const char *skip; /* content-level skip (binary, generated, ...) */
	char *skip_own;   /* the reason when not a static string (skip points here) */
	uint32_t n_nodes, n_edges, n_errors;
	int parse; /* needs parsing in this run */
} uniq_blob;

/* What a parser thread hands the writer. */
typedef struct {
	const char *skip;
	char *skip_own; /* a reason naming what analysis refused (skip points here) */
	int analysed;   /* cc_analyze ran on it */
	char *content;
	size_t len;
	cc_lang lang;
	cc_buf graph, links;
	uint32_t n_nodes, n_edges, n_errors;
} parsed;

typedef struct {
	const cc_git_listing *l;
	uniq_blob *u;
	size_t *jobs; /* uniq indexes to parse, in write order */
	size_t n_jobs;
	parsed **done; /* per job, NULL until parsed */
	size_t next, written, window;
	int stop, fatal_rc;
	char fatal_msg[512];
	const char *gitdir;
	volatile int *cancel;
	int markers; /* skip files marked as generated */
	size_t max;  /* size limit */
	pthread_mutex_t mu;
	pthread_cond_t cv_worker, cv_writer;
} pipeline;

static int is_binary(const char *p, size_t n)
{
	return memchr(p, 0, n < 8000 ? n : 8000) != NULL;
}

static int is_generated(const char *p, size_t n)
{
	/* Conventional markers near the top: Go's "Code generated ... DO NOT EDIT.", "@generated". */
	size_t m = n < 1024 ? n : 1024;
	return memmem(p, m, "DO NOT EDIT", 11) || memmem(p, m, "@generated", 10);
}

/* The skip reason of a file analysis refused: its message without the "analysis: " prefix
 * ("nesting too deep (...)", "parse timed out (...)"); other failures keep the generic
 * "analysis-failed: " prefix. */
static void analysis_skip(parsed *r, int rc)
{
	if (rc == CC_ECANCELED) { /* the run stops; nothing is remembered of this blob */
		r->skip = "cancelled";
		return;
	}
	const char *m = cc_error_last();
	if (!strncmp(m, "analysis: ", 10))
		m += 10;
	int known = rc == CC_ETOOBIG || rc == CC_ETIMEDOUT;
	if (asprintf(&r->skip_own, "%s%s", known ? "" : "analysis-failed: ", m) < 0)
		r->skip_own = NULL;
	r->skip = r->skip_own ? r->skip_own : "analysis-failed";
}

/* A Git LFS pointer stands for content stored elsewhere: no code to analyse. */
static int is_lfs_pointer(const char *p, size_t n)
{
	static const char head[] = "version https://git-lfs.github.com/spec/";
	return n < 1024 && n > sizeof(head) && !memcmp(p, head, sizeof(head) - 1);
}

/* Read and analyse one file into r (a skip reason when it is not analysed). CC_ENOMEM is the
 * only failure: everything else is a skip reason. */
static int parse_one(parsed *r, cc_analyzer *an, git_repository *repo, const cc_git_file *f,
                     const char *workdir, int markers, size_t max)
{
	cc_file_graph *g = NULL;
	r->lang = f->lang;
	if (f->from_workdir) {
		/* the file the listing hashed, opened without following symlinks or blocking */
		cc_file_id id = f->fid;
		int frc = cc_read_regular_file(&r->content, &r->len, workdir, f->path, max, &id);
		if (frc)
			r->skip = frc == CC_ETOOBIG        ? "too-large"
			          : frc == CC_EUNSUPPORTED ? "not-regular-file"
			          : frc == CC_ESTALE       ? "changed-while-indexing"
			                                   : "unreadable";
	} else {
		git_blob *b = NULL;
		if (git_blob_lookup(&b, repo, &f->oid) != 0) {
			r->skip = "unreadable";
		} else if ((uint64_t)git_blob_rawsize(b) > max) {
			r->len = (size_t)git_blob_rawsize(b);
			r->skip = "too-large";
		} else {
			r->len = (size_t)git_blob_rawsize(b);
			if (!(r->content = malloc(r->len + 1))) {
				git_blob_free(b);
				return cc_error_set(CC_ENOMEM, "out of memory reading %s", f->path);
			}
			memcpy(r->content, git_blob_rawcontent(b), r->len);
			r->content[r->len] = 0;
		}
		git_blob_free(b);
	}
	if (r->skip)
		return CC_OK;
	/* The path chose the front end for filtering; the content decides between C and C++
	 * for a shared header extension (.h). The stored language is this one. */
	r->lang = cc_lang_detect(f->path, r->content, r->len);
	int arc;
	if (is_binary(r->content, r->len))
		r->skip = "binary";
	else if (is_lfs_pointer(r->content, r->len))
		r->skip = "git-lfs pointer";
	else if (markers && is_generated(r->content, r->len))
		r->skip = "generated";
	else if ((r->analysed = 1, arc = cc_analyze(&g, an, r->lang, r->content, r->len)) != CC_OK)
		analysis_skip(r, arc);
	else if (g->n_nodes >= CC_STORE_MAX_NODES)
		r->skip = "too-many-nodes";
	int rc = CC_OK;
	if (!r->skip && ((rc = cc_graph_encode(&r->graph, g)) ||
	                 (rc = cc_links_encode_src(&r->links, g, r->content, r->len)))) {
		cc_file_graph_free(g);
		return rc;
	}
	if (!r->skip) {
		r->n_nodes = g->n_nodes;
		r->n_edges = g->n_edges;
		r->n_errors = g->n_errors;
	}
	cc_file_graph_free(g);
	if (r->skip) {
		free(r->content);
		r->content = NULL;
	}
	return CC_OK;
}

static void parsed_free(parsed *r)
{
	if (!r)
		return;
	free(r->content);
	free(r->skip_own);
	cc_buf_free(&r->graph);
	cc_buf_free(&r->links);
	free(r);
}

static void fatal(pipeline *p, int rc)
{
	pthread_mutex_lock(&p->mu);
	if (!p->fatal_rc) {
		p->fatal_rc = rc;
		snprintf(p->fatal_msg, sizeof(p->fatal_msg), "%s", cc_error_last());
	}
	p->stop = 1;
	pthread_cond_broadcast(&p->cv_writer);
	pthread_cond_broadcast(&p->cv_worker);
	pthread_mutex_unlock(&p->mu);
}

static void *worker(void *arg)
{
	pipeline *p = arg;
	cc_analyzer *an = NULL;
	git_repository *repo = NULL;
	int rc;

	if ((rc = cc_analyzer_new(&an)) != CC_OK) {
		fatal(p, rc);
		return NULL;
	}
	cc_analyzer_set_cancel(an, p->cancel); /* a cancelled run stops mid-file too */
	if (git_repository_open(&repo, p->gitdir) != 0) {
		cc_analyzer_free(an);
		fatal(p, cc_error_set(CC_EGIT, "cannot open %s in a parser thread", p->gitdir));
		return NULL;
	}
	for (;;) {
		size_t j;
		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->next < p->n_jobs && p->next >= p->written + p->window)
			pthread_cond_wait(&p->cv_worker, &p->mu);
		if (p->stop || p->next >= p->n_jobs) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		j = p->next++;
		pthread_mutex_unlock(&p->mu);

		parsed *r = calloc(1, sizeof(*r));
		const uniq_blob *u = &p->u[p->jobs[j]];
		if (!r)
			rc = cc_error_set(CC_ENOMEM, "out of memory");
		else
			rc = parse_one(r, an, repo, &p->l->files[u->first], p->l->workdir,
			               p->markers, p->max);
		if (rc) {
			parsed_free(r);
			fatal(p, rc);
			break;
		}

		pthread_mutex_lock(&p->mu);
		p->done[j] = r;
		pthread_cond_signal(&p->cv_writer);
		pthread_mutex_unlock(&p->mu);
	}
	git_repository_free(repo);
	cc_analyzer_free(an);
	return NULL;
}

static int oid_cmp(const void *a, const void *b)
{
	const uniq_blob *x = a, *y = b;
	int c = git_oid_cmp(&x->oid, &y->oid);
	return c ? c : (x->lkey > y->lkey) - (x->lkey < y->lkey);
}

/* Which stored analyses a file can share: its language by path, except a .h header, whose
 * language its content decides (cc_lang_detect: C or C++), hence the same for every .h copy
 * of those bytes. Identical bytes read as two languages are two blobs (schema version 4). */
#define LKEY_HEADER CC_LANG_COUNT
static int lang_key(const cc_git_file *f)
{
	const char *dot = strrchr(f->path, '.');
	return f->lang == CC_LANG_C && dot && !strcmp(dot, ".h") ? LKEY_HEADER : (int)f->lang;
}

static int first_cmp(const void *a, const void *b)
{
	size_t x = ((const uniq_blob *)a)->first, y = ((const uniq_blob *)b)->first;
	return x < y ? -1 : x > y;
}

/* Collect the distinct blobs of the kept files (ordered by first path) and map each file to
 * its blob: fmap[i] = uniq index, or SIZE_MAX for skipped files. */
static int collect_uniq(size_t *nout, uniq_blob **out, size_t **fmap, const cc_git_listing *l)
{
	size_t cap = l->n ? l->n : 1, n = 0, m = 0;
	uniq_blob *u = calloc(cap, sizeof(*u));
	size_t *rank = malloc(cap * sizeof(size_t));
	uniq_blob *v = calloc(cap, sizeof(*v));

	*fmap = malloc(cap * sizeof(size_t));
	if (!u || !rank || !v || !*fmap) {
		free(u);
		free(rank);
		free(v);
		free(*fmap);
		*fmap = NULL;
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < l->n; i++) {
		if (l->files[i].skip)
			continue;
		u[n].oid = l->files[i].oid;
		u[n].lkey = lang_key(&l->files[i]);
		u[n].first = i;
		n++;
	}
	qsort(u, n, sizeof(*u), oid_cmp);
	for (size_t i = 0; i < n; i++) {
		if (m && !oid_cmp(&u[m - 1], &u[i])) {
			if (u[i].first < u[m - 1].first)
				u[m - 1].first = u[i].first;
			continue;
		}
		u[m++] = u[i];
	}
	/* u is now sorted by oid; v is the same set sorted by first path. */
	memcpy(v, u, m * sizeof(*u));
	for (size_t k = 0; k < m; k++)
		v[k].n_nodes = (uint32_t)k; /* temporarily: position in u */
	qsort(v, m, sizeof(*v), first_cmp);
	for (size_t k = 0; k < m; k++) {
		rank[v[k].n_nodes] = k;
		v[k].n_nodes = 0;
	}
	for (size_t i = 0; i < l->n; i++) {
		(*fmap)[i] = SIZE_MAX;
		if (l->files[i].skip)
			continue;
		uniq_blob key = {.oid = l->files[i].oid, .lkey = lang_key(&l->files[i])};
		uniq_blob *hit = bsearch(&key, u, m, sizeof(*u), oid_cmp);
		(*fmap)[i] = rank[hit - u];
	}
	free(u);
	free(rank);
	*out = v;
	*nout = m;
	return CC_OK;
}

/* Skip reasons worth remembering: they depend on the bytes only, except "generated" (also on
 * the option that enables markers) and "too-large" (on the limit: the size is stored too).
 * Returns the static reason string, NULL for reasons not remembered. */
static const char *cached_reason(const char *r)
{
	static const char *const keep[] = {"binary", "generated", "analysis-failed",
	                                   "too-many-nodes", "too-large", "git-lfs pointer", NULL};
	for (int i = 0; keep[i]; i++)
		if (!strcmp(r, keep[i]))
			return keep[i];
	return NULL;
}

/* Reasons analysis gave (analysis_skip): they depend on the bytes only, so they are
 * remembered too; the caller copies them. */
static int analysis_reason(const char *r)
{
	return !strncmp(r, "analysis-failed: ", 17) || !strncmp(r, "nesting too deep", 16) ||
	       !strncmp(r, "parse timed out", 15);
}

static int lookup_existing(cc_store *s, uniq_blob *u, size_t n, int markers, uint64_t max)
{
	sqlite3_stmt *st = NULL, *sk = NULL;
	int rc = sqlite3_prepare_v2(
		s->db, "SELECT id, n_nodes, n_edges, n_errors, size FROM blobs WHERE oid=? AND "
		       "(lang=? OR lang=?)",
		-1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(s->db, "SELECT reason, size FROM skipped_blobs WHERE oid=?",
		                        -1, &sk, NULL);
	if (rc != SQLITE_OK) {
		rc = cc_store_sqlerr(s, rc, "looking up blobs");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_blob(st, 1, u[i].oid.id, GIT_OID_RAWSZ, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, u[i].lkey == LKEY_HEADER ? CC_LANG_C : u[i].lkey);
		sqlite3_bind_int(st, 3, u[i].lkey == LKEY_HEADER ? CC_LANG_CPP : u[i].lkey);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			u[i].blob_id = sqlite3_column_int64(st, 0);
			u[i].n_nodes = (uint32_t)sqlite3_column_int64(st, 1);
			u[i].n_edges = (uint32_t)sqlite3_column_int64(st, 2);
			u[i].n_errors = (uint32_t)sqlite3_column_int64(st, 3);
			u[i].size = (uint64_t)sqlite3_column_int64(st, 4);
			if (u[i].size > max)
				u[i].skip = "too-large"; /* stored under a larger limit */
		} else if (rc == SQLITE_DONE) {
			sqlite3_bind_blob(sk, 1, u[i].oid.id, GIT_OID_RAWSZ, SQLITE_STATIC);
			if (sqlite3_step(sk) == SQLITE_ROW) {
				const char *text = (const char *)sqlite3_column_text(sk, 0);
				const char *why = text ? cached_reason(text) : NULL;
				uint64_t size = (uint64_t)sqlite3_column_int64(sk, 1);
				if (!why && text && analysis_reason(text)) {
					free(u[i].skip_own);
					u[i].skip_own = strdup(text);
					why = u[i].skip_own;
					if (!why) {
						rc = cc_error_set(CC_ENOMEM, "out of memory");
						goto out;
					}
				}
				if (why && !strcmp(why, "too-large") && size <= max)
					why = NULL; /* this run allows it */
				if (why && (markers || strcmp(why, "generated"))) {
					u[i].skip = why;
					u[i].size = size;
				}
			}
			sqlite3_reset(sk);
		} else {
			rc = cc_store_sqlerr(s, rc, "looking up blobs");
			goto out;
		}
		sqlite3_reset(st);
	}
	rc = CC_OK;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(sk);
	return rc;
}

typedef struct {
	sqlite3_stmt *blob, *graph, *content, *skip, *find;
} writer_stmts;

static int write_blob(cc_store *s, writer_stmts *w, uniq_blob *u, parsed *r)
{
	int rc;
	sqlite3_bind_blob(w->blob, 1, u->oid.id, GIT_OID_RAWSZ, SQLITE_STATIC);
	sqlite3_bind_int(w->blob, 2, (int)r->lang);
	sqlite3_bind_int64(w->blob, 3, (sqlite3_int64)r->len);
	sqlite3_bind_int64(w->blob, 4, r->n_nodes);
	sqlite3_bind_int64(w->blob, 5, r->n_edges);
	sqlite3_bind_int64(w->blob, 6, r->n_errors);
	sqlite3_bind_blob(w->blob, 7, r->links.p, (int)r->links.len, SQLITE_STATIC);
	rc = sqlite3_step(w->blob);
	sqlite3_reset(w->blob);
	if (rc != SQLITE_DONE)
		return cc_store_sqlerr(s, rc, "writing a blob");
	u->n_nodes = r->n_nodes;
	u->n_edges = r->n_edges;
	u->n_errors = r->n_errors;
	if (sqlite3_changes(s->db) == 0) {
		/* Another writer (a second index run, the daemon) stored this blob meanwhile. */
		sqlite3_bind_blob(w->find, 1, u->oid.id, GIT_OID_RAWSZ, SQLITE_STATIC);
		sqlite3_bind_int(w->find, 2, (int)r->lang);
		rc = sqlite3_step(w->find);
		if (rc == SQLITE_ROW)
			u->blob_id = sqlite3_column_int64(w->find, 0);
		sqlite3_reset(w->find);
		return rc == SQLITE_ROW ? CC_OK : cc_store_sqlerr(s, rc, "finding a blob");
	}
	u->blob_id = sqlite3_last_insert_rowid(s->db);
	sqlite3_bind_int64(w->graph, 1, u->blob_id);
	sqlite3_bind_blob(w->graph, 2, r->graph.p, (int)r->graph.len, SQLITE_STATIC);
	rc = sqlite3_step(w->graph);
	sqlite3_reset(w->graph);
	if (rc != SQLITE_DONE)
		return cc_store_sqlerr(s, rc, "writing a graph");
	sqlite3_bind_int64(w->content, 1, u->blob_id);
	sqlite3_bind_blob(w->content, 2, r->content, (int)r->len, SQLITE_STATIC);
	rc = sqlite3_step(w->content);
	sqlite3_reset(w->content);
	if (rc != SQLITE_DONE)
		return cc_store_sqlerr(s, rc, "writing a blob's content");
	return CC_OK;
}

static int exec(cc_store *s, const char *sql, const char *what)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? CC_OK : cc_store_sqlerr(s, rc, what);
}

static int cancelled(const cc_index_opts *o)
{
	/* the flag is set from another thread with __atomic_store_n */
	return o && o->cancel && __atomic_load_n(o->cancel, __ATOMIC_RELAXED);
}

/* The test gate (CODECOMP_TEST_GATE, above): held while the file exists. */
static void test_gate(const char *gate, const cc_index_opts *o)
{
	while (gate && access(gate, F_OK) == 0 && !cancelled(o)) {
		struct timespec ts = {0, 20000000L};
		nanosleep(&ts, NULL);
	}
}

/* Parse and write the blobs the store lacks. */
static int run_pipeline(cc_store *s, git_repository *repo, const cc_git_listing *l,
                        uniq_blob *u, size_t nu, const cc_index_opts *o, cc_index_progress *pg,
                        uint64_t *analysed)
{
	pipeline p;
	writer_stmts w = {0};
	pthread_t *th = NULL;
	int nth = o && o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	int rc = CC_OK, in_txn = 0, started = 0;
	size_t batch_n = 0, batch_bytes = 0, batch_max = BATCH_BLOBS;
	double batch_t0 = 0, last_pg = 0;
	const char *env = getenv("CODECOMP_BATCH_BLOBS");
	const char *gate = getenv("CODECOMP_TEST_GATE");

	if (env && atoi(env) > 0)
		batch_max = (size_t)atoi(env);

	memset(&p, 0, sizeof(p));
	p.l = l;
	p.u = u;
	if (!(p.jobs = malloc((nu ? nu : 1) * sizeof(size_t))))
		return cc_error_set(CC_ENOMEM, "out of memory");
	for (size_t i = 0; i < nu; i++)
		if (u[i].parse)
			p.jobs[p.n_jobs++] = i;
	if (!p.n_jobs)
		goto out_nothreads;
	if (nth < 1)
		nth = 1;
	if ((size_t)nth > p.n_jobs)
		nth = (int)p.n_jobs;
	if (!(p.done = calloc(p.n_jobs, sizeof(parsed *)))) {
		free(p.jobs);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	p.window = (size_t)nth * 4 + 16;
	p.gitdir = git_repository_path(repo);
	p.cancel = o ? o->cancel : NULL;
	p.markers = !o || !o->no_default_excludes;
	p.max = cc_git_max_bytes(o);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv_worker, NULL);
	pthread_cond_init(&p.cv_writer, NULL);

	static const char *sql_blob = "INSERT INTO blobs(oid, lang, size, n_nodes, n_edges, "
				      "n_errors, links) VALUES(?,?,?,?,?,?,?) "
				      "ON CONFLICT(oid, lang) DO NOTHING";
	if (sqlite3_prepare_v2(s->db, sql_blob, -1, &w.blob, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO graphs(blob_id, graph) VALUES(?,?)", -1,
	                       &w.graph, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO contents(blob_id, content) VALUES(?,?)", -1,
	                       &w.content, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
	                       "INSERT OR REPLACE INTO skipped_blobs(oid, reason, size) VALUES(?,?,?)",
	                       -1,
	                       &w.skip, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT id FROM blobs WHERE oid=? AND lang=?", -1, &w.find, NULL) !=
	            SQLITE_OK) {
		rc = cc_store_sqlerr(s, sqlite3_errcode(s->db), "preparing the writer");
		goto out;
	}
	if (!(th = calloc((size_t)nth, sizeof(pthread_t)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		fatal(&p, rc);
		nth = 0;
	}
	for (int i = 0; i < nth; i++) {
		if (pthread_create(&th[i], NULL, worker, &p) != 0) {
			rc = cc_error_set(CC_ERR, "cannot start parser threads");
			fatal(&p, rc);
			break;
		}
		started++;
	}
	pg->phase = "parsing";
	for (size_t j = 0; j < p.n_jobs && !rc; j++) {
		parsed *r;
		pthread_mutex_lock(&p.mu);
		while (!p.done[j] && !p.fatal_rc && !cancelled(o)) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 100 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&p.cv_writer, &p.mu, &ts);
		}
		r = p.done[j];
		p.done[j] = NULL;
		if (p.fatal_rc)
			rc = cc_error_set(p.fatal_rc, "%s", p.fatal_msg);
		pthread_mutex_unlock(&p.mu);
		if (rc || cancelled(o)) {
			parsed_free(r);
			break;
		}
		uniq_blob *ub = &u[p.jobs[j]];
		ub->size = r->len;
		if (r->skip_own) { /* the blob's reason outlives the parse result */
			ub->skip_own = r->skip_own;
			r->skip_own = NULL;
			r->skip = ub->skip_own;
		}
		*analysed += r->analysed;
		if (r->skip && !cached_reason(r->skip) && !analysis_reason(r->skip)) {
			ub->skip = r->skip;
		} else {
			if (!in_txn) {
				if ((rc = exec(s, "BEGIN IMMEDIATE", "starting a batch"))) {
					parsed_free(r);
					break;
				}
				in_txn = 1;
				batch_t0 = cc_now();
			}
			if (r->skip) {
				ub->skip = r->skip;
				sqlite3_bind_blob(w.skip, 1, ub->oid.id, GIT_OID_RAWSZ, SQLITE_STATIC);
				sqlite3_bind_text(w.skip, 2, r->skip, -1, SQLITE_STATIC);
				sqlite3_bind_int64(w.skip, 3, (sqlite3_int64)r->len);
				int src = sqlite3_step(w.skip);
				sqlite3_reset(w.skip);
				if (src != SQLITE_DONE)
					rc = cc_store_sqlerr(s, src, "recording a skipped blob");
			} else {
				rc = write_blob(s, &w, ub, r);
			}
			batch_n++;
			batch_bytes += r->len + r->graph.len;
		}
		pg->blobs_done++;
		pg->bytes_done += r->len;
		parsed_free(r);
		pthread_mutex_lock(&p.mu);
		p.written = j + 1;
		pthread_cond_broadcast(&p.cv_worker);
		pthread_mutex_unlock(&p.mu);
		if (!rc && in_txn &&
		    (batch_n >= batch_max || batch_bytes >= BATCH_BYTES ||
		     cc_now() - batch_t0 >= BATCH_SECONDS)) {
			rc = exec(s, "COMMIT", "committing a batch");
			in_txn = 0;
			batch_n = batch_bytes = 0;
			test_gate(gate, o);
		}
		if (o && o->progress && cc_now() - last_pg >= 0.1) {
			o->progress(o->progress_ud, pg);
			last_pg = cc_now();
		}
	}
	/* Complete blobs are worth keeping even when the run stops early. */
	if (in_txn) {
		int crc = rc ? CC_OK : exec(s, "COMMIT", "committing a batch");
		if (rc || crc)
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		if (!rc)
			rc = crc;
	}
	if (!rc && cancelled(o))
		rc = cc_error_set(CC_ECANCELED, "indexing cancelled");
out:
	pthread_mutex_lock(&p.mu);
	p.stop = 1;
	pthread_cond_broadcast(&p.cv_worker);
	pthread_mutex_unlock(&p.mu);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	for (size_t j = 0; j < p.n_jobs; j++)
		parsed_free(p.done[j]);
	free(p.done);
	sqlite3_finalize(w.blob);
	sqlite3_finalize(w.graph);
	sqlite3_finalize(w.content);
	sqlite3_finalize(w.skip);
	sqlite3_finalize(w.find);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv_worker);
	pthread_cond_destroy(&p.cv_writer);
out_nothreads:
	free(p.jobs);
	return rc;
}

static int add_skip(cc_index_result *r, size_t *cap, const char *path, const char *why)
{
	if (r->n_skipped == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		cc_index_skip *v = realloc(r->skipped, c * sizeof(cc_index_skip));
		if (!v)
			return cc_error_set(CC_ENOMEM, "out of memory");
		r->skipped = v;
		*cap = c;
	}
	cc_index_skip *e = &r->skipped[r->n_skipped];
	e->path = strdup(path);
	e->reason = strdup(why);
	if (!e->path || !e->reason) {
		free(e->path);
		free(e->reason);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	r->n_skipped++;
	return CC_OK;
}

static int add_error_file(cc_index_result *r, size_t *cap, const char *path, uint64_t n)
{
	if (r->n_error_files >= CC_INDEX_MAX_ERROR_FILES)
		return CC_OK;
	if (r->n_error_files == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		cc_index_error_file *v = realloc(r->error_files, c * sizeof(cc_index_error_file));
		if (!v)
			return cc_error_set(CC_ENOMEM, "out of memory");
		r->error_files = v;
		*cap = c;
	}
	if (!(r->error_files[r->n_error_files].path = strdup(path)))
		return cc_error_set(CC_ENOMEM, "out of memory");
	r->error_files[r->n_error_files].errors = n;
	r->n_error_files++;
	return CC_OK;
}

static int step_done(cc_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? CC_OK : cc_store_sqlerr(s, rc, what);
}

/* The final transaction: the revision row, its files and skips, totals and call edges. Call
 * edge counts start from the previous revision of the repository (the base): a file with the
 * same blob keeps its count unless a changed file touches a name it calls (rev.c). */
static int record_revision(cc_store *s, const char *repo_key, const cc_git_listing *l,
                           const uniq_blob *u, const size_t *fmap, cc_index_result *res,
                           cc_link_stats *ls, const char *ts_paths)
{
	sqlite3_stmt *st = NULL, *fst = NULL, *sst = NULL;
	cc_rev_base base = {0};
	int64_t repo_id = 0, rev_id = 0;
	uint64_t calls = 0, intra = 0;
	size_t cap = 0, ecap = 0;
	int rc;

	if ((rc = exec(s, "BEGIN IMMEDIATE", "recording the revision")))
		return rc;
#define PREP(stmt, sql)                                                                            \
	do {                                                                                       \
		sqlite3_finalize(stmt);                                                            \
		stmt = NULL;                                                                       \
		if (sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL) != SQLITE_OK) {                \
			rc = cc_store_sqlerr(s, sqlite3_errcode(s->db), "recording the revision"); \
			goto out;                                                                  \
		}                                                                                  \
	} while (0)
	PREP(st, "INSERT OR IGNORE INTO repos(path) VALUES(?)");
	sqlite3_bind_text(st, 1, repo_key, -1, SQLITE_STATIC);
	if ((rc = step_done(s, st, "recording the repository")))
		goto out;
	PREP(st, "SELECT id FROM repos WHERE path=?");
	sqlite3_bind_text(st, 1, repo_key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		repo_id = sqlite3_column_int64(st, 0);
	if ((rc = cc_store_base_load(&base, s, repo_id)))
		goto out;
	PREP(st, "SELECT id FROM revs WHERE repo_id=? AND commit_hex=?");
	sqlite3_bind_int64(st, 1, repo_id);
	sqlite3_bind_text(st, 2, l->commit, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int64_t old = sqlite3_column_int64(st, 0);
		char sql[256];
		snprintf(sql, sizeof(sql),
		         "DELETE FROM rev_files WHERE rev_id=%lld; DELETE FROM rev_skipped WHERE "
		         "rev_id=%lld; DELETE FROM revs WHERE id=%lld; DELETE FROM meta WHERE "
		         "key='tspaths:%lld'",
		         (long long)old, (long long)old, (long long)old, (long long)old);
		if ((rc = exec(s, sql, "replacing the revision")))
			goto out;
	}
	PREP(st, "INSERT INTO revs(repo_id, commit_hex, indexed_at, files, bytes, nodes, edges, "
	         "errors) VALUES(?,?,?,0,0,0,0,0)");
	sqlite3_bind_int64(st, 1, repo_id);
	sqlite3_bind_text(st, 2, l->commit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	if ((rc = step_done(s, st, "recording the revision")))
		goto out;
	rev_id = sqlite3_last_insert_rowid(s->db);
	if (ts_paths) { /* TS/JS path aliases, read by call resolution */
		char key[64];
		snprintf(key, sizeof(key), "tspaths:%lld", (long long)rev_id);
		PREP(st, "INSERT OR REPLACE INTO meta(key, value) VALUES(?,?)");
		sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, ts_paths, -1, SQLITE_STATIC);
		if ((rc = step_done(s, st, "recording path aliases")))
			goto out;
	}
	/* aliases that differ from the previous revision's can change any JS/TS call */
	if (base.rev_id && !cc_store_ts_paths_equal(s, base.rev_id, ts_paths))
		base.complete = 0;
	PREP(fst, "INSERT INTO rev_files(rev_id, path, blob_id, n_calls) VALUES(?,?,?,?)");
	PREP(sst, "INSERT OR IGNORE INTO rev_skipped(rev_id, path, reason) VALUES(?,?,?)");
	for (size_t i = 0; i < l->n; i++) {
		const cc_git_file *f = &l->files[i];
		const char *why = f->skip;
		const uniq_blob *b = fmap[i] == SIZE_MAX ? NULL : &u[fmap[i]];
		if (!why && b && b->skip)
			why = b->skip;
		if (!why && b && !b->blob_id)
			why = "unreadable"; /* defensive: a blob neither stored nor skipped */
		if (why) {
			if ((rc = add_skip(res, &cap, f->path, why)))
				goto out;
			sqlite3_bind_int64(sst, 1, rev_id);
			sqlite3_bind_text(sst, 2, f->path, -1, SQLITE_STATIC);
			sqlite3_bind_text(sst, 3, why, -1, SQLITE_STATIC);
			if ((rc = step_done(s, sst, "recording skipped files")))
				goto out;
			continue;
		}
		sqlite3_bind_int64(fst, 1, rev_id);
		sqlite3_bind_text(fst, 2, f->path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(fst, 3, b->blob_id);
		sqlite3_bind_int64(fst, 4, cc_store_base_calls(&base, f->path, b->blob_id));
		if ((rc = step_done(s, fst, "recording the files")))
			goto out;
		res->files++;
		res->bytes += b->size;
		res->nodes += b->n_nodes;
		intra += b->n_edges;
		res->errors += b->n_errors;
		if (b->n_errors && (rc = add_error_file(res, &ecap, f->path, b->n_errors)))
			goto out;
	}
	if ((rc = cc_store_link_rev(&calls, ls, s, rev_id, &base)))
		goto out;
	res->edges = intra + calls;
	PREP(st, "UPDATE revs SET files=?, bytes=?, nodes=?, edges=?, errors=? WHERE id=?");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)res->files);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)res->bytes);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)res->nodes);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)res->edges);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)res->errors);
	sqlite3_bind_int64(st, 6, rev_id);
	if ((rc = step_done(s, st, "recording the totals")))
		goto out;
	rc = exec(s, "COMMIT", "committing the revision");
#undef PREP
out:
	sqlite3_finalize(st);
	sqlite3_finalize(fst);
	sqlite3_finalize(sst);
	cc_store_base_clear(&base);
	if (rc)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int cc_store_index_run(cc_index_result *out, cc_store *s, const char *repo_path,
                       const cc_index_opts *opts)
{
	git_repository *repo = NULL;
	cc_git_listing l = {0};
	uniq_blob *u = NULL;
	size_t *fmap = NULL, nu = 0;
	char *key = NULL;
	cc_index_progress pg = {0};
	cc_link_stats ls = {0};
	char *ts_paths = NULL;
	double t0 = cc_now();
	int rc;

	memset(out, 0, sizeof(*out));
	if (s->readonly)
		return cc_error_set(CC_EINVAL, "database %s is open read-only", s->path);
	if ((rc = cc_git_open(&repo, repo_path)))
		return rc;
	if ((rc = cc_git_repo_key(&key, repo)))
		goto out;
	pg.phase = "listing";
	if (opts && opts->progress)
		opts->progress(opts->progress_ud, &pg);
	if ((rc = cc_git_list(&l, repo, opts ? opts->rev : NULL, opts)))
		goto out;
	double t_list = cc_now();
	if ((rc = collect_uniq(&nu, &u, &fmap, &l)))
		goto out;
	if ((rc = lookup_existing(s, u, nu, !opts || !opts->no_default_excludes,
	                          cc_git_max_bytes(opts))))
		goto out;
	double t_lookup = cc_now();
	for (size_t i = 0; i < l.n; i++)
		pg.files_total += !l.files[i].skip;
	for (size_t i = 0; i < nu; i++) {
		u[i].parse = !u[i].blob_id && !u[i].skip;
		if (u[i].parse) {
			pg.blobs_total++;
			pg.bytes_total += l.files[u[i].first].size; /* 0 when not known yet */
		} else {
			out->reused_blobs++;
		}
	}
	if (cancelled(opts)) {
		rc = cc_error_set(CC_ECANCELED, "indexing cancelled");
		goto out;
	}
	if ((rc = run_pipeline(s, repo, &l, u, nu, opts, &pg, &out->parsed_blobs)))
		goto out;
	double t_parse = cc_now();
	pg.phase = "linking";
	if (opts && opts->progress)
		opts->progress(opts->progress_ud, &pg);
	if ((rc = cc_ts_paths(&ts_paths, repo, &l)))
		goto out;
	if ((rc = record_revision(s, key, &l, u, fmap, out, &ls, ts_paths)))
		goto out;
	snprintf(out->commit, sizeof(out->commit), "%s", l.commit);
	out->seconds = cc_now() - t0;
	if (getenv("CODECOMP_TIMING"))
		fprintf(stderr, "index timing: list %.1f ms, lookup %.1f ms, parse+write %.1f ms, "
		                "revision+calls %.1f ms (calls: %llu files carried, %llu resolved, "
		                "%llu names affected)\n",
		        (t_list - t0) * 1e3, (t_lookup - t_list) * 1e3, (t_parse - t_lookup) * 1e3,
		        (cc_now() - t_parse) * 1e3, (unsigned long long)ls.carried,
		        (unsigned long long)ls.resolved, (unsigned long long)ls.names);
out:
	if (rc)
		cc_index_result_clear(out);
	for (size_t i = 0; u && i < nu; i++)
		free(u[i].skip_own);
	free(u);
	free(fmap);
	free(key);
	free(ts_paths);
	cc_git_listing_clear(&l);
	git_repository_free(repo);
	return rc;
}

void cc_index_result_clear(cc_index_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_skipped; i++) {
		free(r->skipped[i].path);
		free(r->skipped[i].reason);
	}
	free(r->skipped);
	for (size_t i = 0; i < r->n_error_files; i++)
		free(r->error_files[i].path);
	free(r->error_files);
	memset(r, 0, sizeof(*r));
}
