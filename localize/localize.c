/*
 * localize.c - stages 2 and 3 of localization (see cc_localize.h): the context assembled from
 * the ranked candidates, prefilled and compressed at the budget, the top candidates read again
 * under it on forks, and the final ranking with its evidence; the generative mode's prompt.
 */
#include "cc_agent.h"
#include "cc_compress.h"
#include "cc_localize.h"
#include "cc_priors.h"
#include "loc_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cc_loc_mode_name(int mode)
{
	switch (mode) {
	case CC_LOC_AUTO: return "auto";
	case CC_LOC_LIKELIHOOD: return "likelihood";
	case CC_LOC_GENERATIVE: return "generative";
	default: return "?";
	}
}

int cc_loc_mode_parse(const char *name)
{
	for (int m = CC_LOC_AUTO; m <= CC_LOC_GENERATIVE; m++)
		if (name && !strcmp(name, cc_loc_mode_name(m)))
			return m;
	return -1;
}

void cc_loc_opts_default(cc_loc_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = CC_LOC_AUTO;
	o->policy = CC_POLICY_CODECOMP;
	o->budget = 0.2;
	o->n_scored = 8;
	o->max_read = 1024;
	o->top = 10;
	o->surprisal_weight = 0.25;
}

int cc_loc_model_has_chat_template(const char *model_dir)
{
	char path[4096];
	json_error_t err;
	int has = 0;
	if (!model_dir)
		return 0;
	snprintf(path, sizeof(path), "%s/tokenizer_config.json", model_dir);
	/* reals: real configs carry integers past int64 (model_max_length 1e30) */
	json_t *j = json_load_file(path, JSON_DECODE_INT_AS_REAL, &err);
	json_t *t = json_object_get(j, "chat_template");
	has = t && ((json_is_string(t) && json_string_length(t) > 0) ||
	            (json_is_array(t) && json_array_size(t) > 0));
	json_decref(j);
	return has;
}

/* The generative prompt, rendered with the model's own chat template (agent/chat.c: ChatML as
 * Qwen uses it, Llama 3): a system message, then the user's bug report, the code and the
 * question. The code is prefilled (and compressed) between the two halves: *prefix ends after
 * the bug report, *suffix starts with the question and ends with the assistant header.
 * stop_text receives the template's end-of-turn token text (static). Errors: CC_EUNSUPPORTED
 * (no template, or one of another family: the message says which), CC_ENOMEM. */
static int gen_prompt(char **prefix, char **suffix, const char **stop_text, const char *model_dir,
                      const char *issue, size_t issue_len)
{
	static const char mark[] = "@@codecomp-context@@";
	cc_chat_template t;
	cc_chat_message m[2];
	char *user = NULL, *text = NULL, *at;
	size_t ul, tl = 0;
	int rc;

	*prefix = *suffix = NULL;
	*stop_text = NULL;
	if ((rc = cc_chat_template_load(&t, model_dir)))
		return cc_error_set(rc, "generative mode: %s; use --mode likelihood", cc_error_last());
	ul = issue_len + sizeof(mark) + 256;
	if (!(user = malloc(ul))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(user, ul,
	         "Bug report:\n%.*s\n\n%s\nWhich function holds the bug? Answer as file: "
	         "PATH, function: NAME, line: N",
	         (int)issue_len, issue, mark);
	m[0] = (cc_chat_message){"system", "You find bugs in code. Read the code and the bug report, "
	                                   "then answer with one line: file: PATH, function: NAME, "
	                                   "line: N"};
	m[1] = (cc_chat_message){"user", user};
	if ((rc = cc_chat_render(&text, &tl, &t, m, 2, 1)))
		goto out;
	if (!(at = strstr(text, mark))) {
		rc = cc_error_set(CC_EINVAL, "generative mode: the chat template dropped the user's text");
		goto out;
	}
	*at = 0;
	if (!(*prefix = strdup(text)) || !(*suffix = strdup(at + strlen(mark)))) {
		free(*prefix);
		*prefix = NULL;
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	*stop_text = t.n_stop ? t.stop[0] : NULL;
out:
	free(user);
	free(text);
	cc_chat_template_clear(&t);
	return rc;
}

void cc_loc_result_free(cc_loc_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_hits; i++) {
		free(r->hits[i].path);
		free(r->hits[i].name);
		free(r->hits[i].qual);
		free(r->hits[i].line_text);
	}
	free(r->hits);
	free(r->notice);
	free(r->answer);
	free(r->answer_why);
	if (r->viz) {
		free(r->viz->text);
		free(r->viz->start);
		free(r->viz->prior);
		free(r->viz->kept[0]);
		free(r->viz->kept[1]);
		free(r->viz);
	}
	free(r);
}

/* One scored line. */
typedef struct {
	size_t func; /* index into the candidates */
	uint32_t line;
	double nll; /* mean surprisal of its tokens */
	int ntok;
} sline;

static char *dupstr(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Files of the revision read once each while assembling. */
typedef struct {
	cc_store_file **v;
	size_t n;
} filecache;

static int file_get(cc_store_file **out, filecache *fc, cc_store_rev *r, const char *path)
{
	for (size_t i = 0; i < fc->n; i++)
		if (!strcmp(fc->v[i]->path, path)) {
			*out = fc->v[i];
			return CC_OK;
		}
	cc_store_file **v = realloc(fc->v, (fc->n + 1) * sizeof(*v));
	if (!v)
		return cc_error_set(CC_ENOMEM, "out of memory");
	fc->v = v;
	int rc = cc_store_rev_file(&fc->v[fc->n], r, path);
	if (rc)
		return rc;
	*out = fc->v[fc->n++];
	return CC_OK;
}

static void filecache_free(filecache *fc)
{
	for (size_t i = 0; i < fc->n; i++)
		cc_store_file_free(fc->v[i]);
	free(fc->v);
}

/* Function bytes from the start of its first line (indentation included) to its end. */
static void func_span(const cc_store_file *fl, const cc_loc_func *f, uint32_t *a, uint32_t *b)
{
	uint32_t s = f->start_byte, e = f->end_byte;
	if (e > fl->len)
		e = (uint32_t)fl->len;
	if (s > e)
		s = e;
	while (s > 0 && fl->content[s - 1] != '\n')
		s--;
	*a = s;
	*b = e;
}

typedef struct {
	const char *path;
	uint32_t start, end;
	size_t rank;
} ctx_item;

static int ctx_cmp(const void *a, const void *b)
{
	const ctx_item *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int hit_cmp(const void *a, const void *b)
{
	const cc_loc_hit *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	return x->start_line < y->start_line ? -1 : x->start_line > y->start_line;
}

/* Read candidate f again on a fork of s (after the compressed context) and add its lines'
 * mean surprisal to *lines. */
static int score_function(cc_session *s, const cc_tokenizer *tok, const cc_store_file *fl,
                          const cc_loc_func *f, size_t fidx, size_t max_read, sline **lines,
                          size_t *n_lines, size_t *cap_lines, double *mean_nll)
{
	cc_session *fork = NULL;
	int32_t *ids = NULL;
	cc_token_span *off = NULL;
	float *logp = NULL;
	char *text = NULL;
	size_t n = 0;
	uint32_t a, b;
	int rc;
	func_span(fl, f, &a, &b);
	size_t hl = strlen(f->path) + 9;
	text = malloc(hl + (b - a) + 2);
	if (!text)
		return cc_error_set(CC_ENOMEM, "out of memory");
	int w = snprintf(text, hl + 1, "# file: %s\n", f->path);
	memcpy(text + w, fl->content + a, b - a);
	size_t tl = (size_t)w + (b - a);
	text[tl++] = '\n';
	text[tl] = 0;
	if ((rc = cc_tokenizer_encode_ex(tok, text, tl, 0, &ids, &off, &n)))
		goto out;
	if (!n)
		goto out;
	if (max_read && n > max_read) {
		/* the lines after the cut are not scored: stop at the last full line */
		n = max_read;
		tl = off[n - 1].end;
		while (tl > 0 && text[tl - 1] != '\n')
			tl--;
		while (n > 0 && off[n - 1].start >= tl)
			n--;
		if (!n)
			goto out;
	}
	if (!(logp = malloc(n * sizeof(*logp)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = cc_session_fork(&fork, s)) || (rc = cc_session_logprobs(fork, ids, n, logp, 0, NULL, NULL)))
		goto out;
	/* tokens -> lines of the file (by the token's first byte) */
	uint32_t line = f->start_line;
	size_t pos = (size_t)w; /* text byte where the function starts */
	size_t cur_start = 0;
	double sum = 0, all = 0;
	int cnt = 0, all_n = 0;
	size_t ti = 0;
	while (ti < n && off[ti].start < pos)
		ti++;
	size_t tb = pos;
	for (; ti <= n; ti++) {
		size_t ts = ti < n ? off[ti].start : tl;
		/* advance lines up to this token */
		while (tb < ts) {
			if (text[tb] == '\n') {
				if (cnt > 0) {
					if (*n_lines == *cap_lines) {
						size_t c2 = *cap_lines ? 2 * *cap_lines : 256;
						sline *v = realloc(*lines, c2 * sizeof(*v));
						if (!v) {
							rc = cc_error_set(CC_ENOMEM, "out of memory");
							goto out;
						}
						*lines = v;
						*cap_lines = c2;
					}
					(*lines)[(*n_lines)++] = (sline){fidx, line, sum / cnt, cnt};
				}
				sum = 0;
				cnt = 0;
				line++;
			}
			tb++;
		}
		(void)cur_start;
		if (ti == n)
			break;
		float lp = logp[ti];
		if (isfinite(lp)) {
			/* a token made only of whitespace says little about the code */
			int blank = 1;
			for (uint32_t k = off[ti].start; k < off[ti].end && k < tl; k++)
				if (text[k] != ' ' && text[k] != '\t' && text[k] != '\n')
					blank = 0;
			if (!blank) {
				sum += -lp;
				cnt++;
				all += -lp;
				all_n++;
			}
		}
	}
	*mean_nll = all_n ? all / all_n : 0;
out:
	cc_session_free(fork);
	free(ids);
	free(off);
	free(logp);
	free(text);
	return rc;
}

int cc_localize_run(cc_loc_result **out, cc_store *s, const char *repo_path, const char *rev,
                    cc_model *m, const cc_tokenizer *tok, const cc_loc_query *q,
                    const cc_loc_opts *o)
{
	cc_loc_result *res = NULL;
	cc_store_rev *r = NULL;
	cc_loc_candidates *c = NULL;
	cc_priors *pr = NULL;
	cc_session *sess = NULL;
	filecache fc = {0};
	ctx_item *items = NULL;
	cc_prompt_item *pitems = NULL;
	int32_t *ids = NULL;
	float *prior = NULL;
	uint8_t *protect = NULL;
	sline *lines = NULL;
	double *fmean = NULL;
	int32_t *qids = NULL;
	size_t qn = 0;
	uint8_t *scored = NULL;
	float *recon = NULL;
	double t_recon = 0;
	char *gen_prefix = NULL, *gen_suffix = NULL; /* generative mode's prompt halves */
	const char *gen_stop = NULL;
	size_t n_items = 0, n_lines = 0, cap_lines = 0;
	int rc = CC_OK;
	double t0 = cc_now(), t1;
	cc_loc_opts od;
	*out = NULL;
	if (!o) {
		cc_loc_opts_default(&od);
		o = &od;
	}
	if (!q || !q->issue || !q->issue_len) {
		rc = cc_error_set(CC_EINVAL, "the issue text is empty: say what goes wrong "
		                             "(--issue TEXT or --issue-file F)");
		goto out;
	}
	if (!(o->budget > 0 && o->budget <= 1)) {
		rc = cc_error_set(CC_EINVAL, "budget %g is outside (0, 1]", o->budget);
		goto out;
	}
	if (o->policy < 0 || o->policy >= CC_POLICY_COUNT) {
		rc = cc_error_set(CC_EINVAL, "unknown compression policy %d", o->policy);
		goto out;
	}
	int mode = o->mode;
	int has_tmpl = cc_loc_model_has_chat_template(o->model_dir);
	if (mode == CC_LOC_AUTO)
		mode = has_tmpl ? CC_LOC_GENERATIVE : CC_LOC_LIKELIHOOD;
	if (mode == CC_LOC_GENERATIVE) {
		if (!has_tmpl) {
			rc = cc_error_set(CC_EUNSUPPORTED,
			                  "generative mode needs an instruct model with a chat template, "
			                  "and %s has none (no \"chat_template\" in tokenizer_config.json); "
			                  "use --mode likelihood, or an instruct model",
			                  o->model_dir ? o->model_dir : "the model");
			goto out;
		}
		if ((rc = gen_prompt(&gen_prefix, &gen_suffix, &gen_stop, o->model_dir, q->issue,
		                     q->issue_len)))
			goto out;
	}
	int gen = mode == CC_LOC_GENERATIVE;
	if ((rc = cc_store_rev_open(&r, s, repo_path, rev))) {
		if (rc == CC_ENOTFOUND)
			rc = cc_error_set(CC_ENOTFOUND, "%s (run `codecomp index %s` first)",
			                  cc_error_last(), repo_path);
		goto out;
	}
	if ((rc = cc_loc_candidates_compute(&c, r, q)))
		goto out;
	t1 = cc_now();
	if (!(res = calloc(1, sizeof(*res)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	res->t.candidates = t1 - t0;
	res->mode = mode;
	res->policy = o->policy;
	res->budget = o->budget;
	res->fallback = c->fallback;
	res->n_seeds = c->n_seeds;
	res->n_matched = c->n_matched;
	res->n_functions = c->n_funcs;
	snprintf(res->commit, sizeof(res->commit), "%s", cc_store_rev_commit(r));
	if (c->fallback) {
		res->notice = dupstr("the issue names nothing found in the repository (no function, "
		                     "file or frame matched): ranking the whole repository by "
		                     "structure alone");
		if (!res->notice) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
	}

	/* stage 2: the context - the issue, then ranked functions after the scored ones, up
	 * to the token target, grouped by file in source order */
	cc_model_info mi;
	cc_model_info_get(&mi, m);
	size_t target = o->context_tokens;
	if (!target) {
		target = (size_t)mi.max_pos / 2;
		if (target > 2048)
			target = 2048;
	}
	size_t n_scored = gen ? 0 : (o->n_scored ? o->n_scored : 8);
	if (n_scored > c->n_funcs)
		n_scored = c->n_funcs;
	if (!(items = calloc(c->n_funcs + 1, sizeof(*items))) ||
	    !(scored = calloc(c->n_funcs + 1, 1))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	size_t used = 0, max_f = 0;
	{
		int32_t *tids = NULL;
		size_t tn = 0;
		if ((rc = cc_tokenizer_encode_ex(tok, q->issue, q->issue_len, 0, &tids, NULL, &tn)))
			goto out;
		free(tids);
		used = tn + 8;
	}
	for (size_t i = 0; i < c->n_funcs; i++) {
		cc_store_file *fl;
		uint32_t a, b;
		if ((rc = file_get(&fl, &fc, r, c->funcs[i].path)))
			goto out;
		func_span(fl, &c->funcs[i], &a, &b);
		/* rough token count: tokenising each function exactly costs more than it saves */
		size_t est = (size_t)(b - a) / 3 + 12;
		if (i < n_scored) {
			if (est > max_f)
				max_f = est;
			continue;
		}
		if (used + est > target)
			continue;
		/* a function nested in one already chosen is inside its bytes */
		int nested = 0;
		for (size_t k = 0; k < n_items; k++)
			if (!strcmp(items[k].path, c->funcs[i].path) && items[k].start <= a &&
			    b <= items[k].end)
				nested = 1;
		if (nested)
			continue;
		items[n_items++] = (ctx_item){c->funcs[i].path, a, b, i};
		used += est;
	}
	qsort(items, n_items, sizeof(*items), ctx_cmp);
	/* drop items inside a later-chosen enclosing item (source order puts the outer first) */
	{
		size_t w = 0;
		for (size_t k = 0; k < n_items; k++) {
			if (w && !strcmp(items[w - 1].path, items[k].path) && items[k].start < items[w - 1].end)
				continue;
			items[w++] = items[k];
		}
		n_items = w;
	}
	res->context_functions = n_items;
	if (!(pitems = calloc(n_items + 1, sizeof(*pitems)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	char *issue_z = NULL;
	if (gen) {
		issue_z = strdup(gen_prefix);
	} else {
		issue_z = strndup(q->issue, q->issue_len);
	}
	if (!issue_z) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	pitems[0].text = issue_z;
	for (size_t k = 0; k < n_items; k++) {
		pitems[k + 1].path = items[k].path;
		pitems[k + 1].start = items[k].start;
		pitems[k + 1].end = items[k].end > items[k].start ? items[k].end : items[k].start + 1;
	}
	cc_priors_opts po = {0};
	po.query = q->issue;
	po.query_len = q->issue_len;
	po.max_tokens = (size_t)mi.max_pos;
	rc = cc_priors_from_store(&pr, s, repo_path, rev, tok, pitems, n_items + 1, &po, NULL);
	free(issue_z);
	if (rc)
		goto out;
	res->t.priors = cc_now() - t1;
	size_t n_ctx = pr->n_tokens;
	res->context_tokens = n_ctx;
	if (!n_ctx) {
		rc = cc_error_set(CC_EINVAL, "empty context");
		goto out;
	}
	if (!(ids = malloc(n_ctx * sizeof(*ids))) || !(prior = malloc(n_ctx * sizeof(*prior))) ||
	    !(protect = malloc(n_ctx))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n_ctx; i++) {
		ids[i] = pr->tokens[i].id;
		prior[i] = pr->tokens[i].prior;
		protect[i] = pr->tokens[i].protect;
	}
	cc_session_opts so = {0};
	so.max_tokens = n_ctx + max_f * 2 + 64 + (gen ? 256 : 0);
	if (so.max_tokens > (size_t)mi.max_pos && mi.max_pos > 0)
		so.max_tokens = (size_t)mi.max_pos;
	so.pool_tokens = so.max_tokens * 2;
	/* codecomp and kvzip read the attention a teacher-forced repeat of the context pays to
	 * it (cc_compress_recon_attn), as agent sessions do: in chunks of at most 256 tokens that
	 * fit the session after the context; the repeat's forks need a window of a chunk (the
	 * question, in generative mode, is then prefilled with the usual window of 64) */
	int use_recon = o->budget < 1 &&
	                (o->policy == CC_POLICY_CODECOMP || o->policy == CC_POLICY_KVZIP);
	size_t chunk = so.max_tokens > n_ctx ? so.max_tokens - n_ctx : 0;
	if (chunk > 256)
		chunk = 256;
	if (use_recon && chunk == 0)
		use_recon = 0; /* no room after the context: codecomp without it, kvzip refuses */
	so.obs_window = o->policy == CC_POLICY_H2O ? (int)n_ctx + (gen ? 256 : 0)
	                : use_recon                ? (int)chunk
	                                           : 0;
	if ((rc = cc_session_new(&sess, m, &so)))
		goto out;
	t1 = cc_now();
	if ((rc = cc_session_prefill(sess, ids, n_ctx, NULL)))
		goto out;
	if (use_recon) {
		double t2 = cc_now();
		if (!(recon = malloc((size_t)mi.n_layers * (size_t)mi.n_kv_heads * n_ctx *
		                     sizeof(*recon)))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = cc_compress_recon_attn(sess, ids, n_ctx, chunk, recon)) ||
		    (gen && (rc = cc_session_set_obs_window(sess, 0))))
			goto out;
		t_recon = cc_now() - t2;
		t1 += t_recon; /* the repeat pass counts as the compression's cost */
	}
	if (gen) {
		/* the question after the context, all but its last token (generation feeds that):
		 * the observation window of query-aware policies */
		if ((rc = cc_tokenizer_encode_ex(tok, gen_suffix, strlen(gen_suffix), 0, &qids,
		                                 NULL, &qn)))
			goto out;
		if (qn < 2) {
			rc = cc_error_set(CC_EINVAL, "the question tokenizes to less than 2 tokens");
			goto out;
		}
		if ((rc = cc_session_prefill(sess, qids, qn - 1, NULL)))
			goto out;
	}
	res->t.prefill = cc_now() - t1;
	cc_cache_stats cs;
	cc_session_cache_stats(&cs, sess);
	res->kv_bytes_full = cs.bytes_used;
	res->kv_bytes_held = cs.bytes_used;
	t1 = cc_now() - t_recon;
	if (o->budget < 1) {
		cc_compress_opts co;
		cc_compress_stats st;
		cc_compress_opts_default(&co, o->policy, o->budget);
		if ((rc = cc_compress_session(sess, &co, n_ctx, prior, protect, recon, &st)))
			goto out;
		res->kv_bytes_full = st.bytes_before;
		res->kv_bytes_held = st.bytes_after;
	}
	res->t.compress = cc_now() - t1;
	if (o->viz) {
		cc_loc_viz *v = calloc(1, sizeof(*v));
		if (!v) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		res->viz = v;
		v->n_layers = mi.n_layers;
		v->n_kv_heads = mi.n_kv_heads;
		v->n_tokens = n_ctx;
		v->len = pr->len;
		v->policies[0] = o->budget < 1 ? o->policy : -1;
		v->policies[1] = CC_POLICY_SNAPKV;
		v->n_policies = o->policy == CC_POLICY_SNAPKV && o->budget < 1 ? 1 : 2;
		if (!(v->text = malloc(pr->len + 1)) || !(v->start = malloc(n_ctx * sizeof(*v->start))) ||
		    !(v->prior = malloc(n_ctx * sizeof(*v->prior)))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		memcpy(v->text, pr->text, pr->len + 1);
		for (size_t i = 0; i < n_ctx; i++) {
			v->start[i] = pr->tokens[i].pstart;
			v->prior[i] = pr->tokens[i].prior;
		}
		if ((rc = cc_session_kept_marks(&v->kept[0], sess, n_ctx)))
			goto out;
		if (v->n_policies == 2) {
			/* SnapKV at the same budget, on a session of its own */
			cc_session *s2 = NULL;
			cc_session_opts so2 = so;
			so2.obs_window = 0;
			cc_compress_opts co;
			cc_compress_opts_default(&co, CC_POLICY_SNAPKV, o->budget);
			if ((rc = cc_session_new(&s2, m, &so2)) ||
			    (rc = cc_session_prefill(s2, ids, n_ctx, NULL)) ||
			    (o->budget < 1 && (rc = cc_compress_session(s2, &co, n_ctx, prior, protect, NULL, NULL))) ||
			    (rc = cc_session_kept_marks(&v->kept[1], s2, n_ctx))) {
				cc_session_free(s2);
				goto out;
			}
			cc_session_free(s2);
		}
	}

	if (gen) {
		/* greedy generation after the question, until the template's end of turn */
		int32_t out_ids[96];
		size_t n_out = 0;
		cc_sampler smp;
		t1 = cc_now();
		cc_sampler_init(&smp, 0, 0, 0);
		int32_t stop = gen_stop ? cc_tokenizer_token_id(tok, gen_stop) : -1;
		rc = cc_session_generate(sess, &qids[qn - 1], 1, 96, &smp, stop, out_ids, &n_out);
		if (rc)
			goto out;
		if (n_out && out_ids[n_out - 1] == stop)
			n_out--;
		size_t al = 0;
		if ((rc = cc_tokenizer_decode_ex(tok, out_ids, n_out, CC_TOK_SKIP_SPECIAL, &res->answer,
		                                 &al)))
			goto out;
		res->t.score = cc_now() - t1;
		cc_loc_answer ans;
		if ((rc = cc_loc_answer_parse(&ans, res->answer, c)))
			goto out;
		res->answer_valid = ans.valid;
		if (!ans.valid) {
			res->answer_why = ans.why;
			ans.why = NULL;
			char *nt = NULL;
			if (asprintf(&nt, "%s%sthe model's answer names nothing valid (%s): the results are "
			                  "the structural ranking only, not the model's",
			             res->notice ? res->notice : "", res->notice ? "; " : "",
			             res->answer_why) < 0) {
				rc = cc_error_set(CC_ENOMEM, "out of memory");
				goto out;
			}
			free(res->notice);
			res->notice = nt;
		} else {
			res->answer_func = (int)ans.func;
			res->answer_line = ans.line;
		}
		cc_loc_answer_clear(&ans);
	}

	/* stage 3: the top candidates read again under the compressed context */
	t1 = cc_now();
	if (!(fmean = calloc(c->n_funcs + 1, sizeof(*fmean)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n_scored; i++) {
		cc_store_file *fl;
		if ((rc = file_get(&fl, &fc, r, c->funcs[i].path)) ||
		    (rc = score_function(sess, tok, fl, &c->funcs[i], i, o->max_read, &lines, &n_lines,
		                         &cap_lines, &fmean[i])))
			goto out;
		scored[i] = 1;
	}
	res->t.score = cc_now() - t1;
	/* z-scores of line surprisal over every scored line */
	double mu = 0, var = 0;
	for (size_t k = 0; k < n_lines; k++)
		mu += lines[k].nll;
	mu = n_lines ? mu / (double)n_lines : 0;
	for (size_t k = 0; k < n_lines; k++)
		var += (lines[k].nll - mu) * (lines[k].nll - mu);
	double sd = n_lines > 1 ? sqrt(var / (double)(n_lines - 1)) : 0;
	size_t top = o->top ? o->top : 10;
	size_t nh = c->n_funcs;
	if (!(res->hits = calloc(nh + 1, sizeof(*res->hits)))) {
		rc = cc_error_set(CC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nh; i++) {
		const cc_loc_func *f = &c->funcs[i];
		cc_loc_hit *h = &res->hits[res->n_hits++];
		h->path = dupstr(f->path);
		h->name = dupstr(f->name);
		h->qual = dupstr(f->qual);
		if (!h->path || !h->name || !h->qual) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
		h->start_line = f->start_line;
		h->end_line = f->end_line;
		h->structural = f->score;
		h->ppr = f->ppr;
		h->seed = f->seed;
		h->test_dist = f->test_dist;
		h->scored = scored[i];
		h->score = f->score;
		if (!scored[i])
			continue;
		h->mean_nll = fmean[i];
		double best = -INFINITY;
		for (size_t k = 0; k < n_lines; k++) {
			/* the signature line is new to the model by construction: not a suspect */
			if (lines[k].func != i || (lines[k].line == f->start_line && f->end_line > f->start_line))
				continue;
			double z = sd > 0 ? (lines[k].nll - mu) / sd : 0;
			if (z > best) {
				best = z;
				h->line = lines[k].line;
				h->line_nll = lines[k].nll;
			}
		}
		if (!isfinite(best))
			best = 0;
		h->surprisal_z = best;
		h->surprisal_part = o->surprisal_weight * best;
		h->score = round((f->score + h->surprisal_part) * 1e9) / 1e9;
	}
	if (gen && res->answer_valid) {
		/* the model's answer first: its function, at its line */
		cc_loc_hit *h = &res->hits[res->answer_func];
		h->answered = 1;
		h->line = res->answer_line;
		h->score = round((h->structural + 1.0) * 1e9) / 1e9;
	}
	qsort(res->hits, res->n_hits, sizeof(*res->hits), hit_cmp);
	while (res->n_hits > top) {
		cc_loc_hit *h = &res->hits[--res->n_hits];
		free(h->path);
		free(h->name);
		free(h->qual);
		free(h->line_text);
	}
	/* the source of each reported suspicious line */
	for (size_t i = 0; i < res->n_hits; i++) {
		cc_loc_hit *h = &res->hits[i];
		cc_store_file *fl;
		if (!h->line || file_get(&fl, &fc, r, h->path))
			continue;
		const char *p = fl->content, *e = fl->content + fl->len;
		for (uint32_t l = 1; l < h->line && p < e; l++) {
			p = memchr(p, '\n', (size_t)(e - p));
			p = p ? p + 1 : e;
		}
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		const char *le = p;
		while (le < e && *le != '\n' && le - p < 200)
			le++;
		if (!(h->line_text = strndup(p, (size_t)(le - p)))) {
			rc = cc_error_set(CC_ENOMEM, "out of memory");
			goto out;
		}
	}
	res->t.total = cc_now() - t0;
	*out = res;
	res = NULL;
out:
	free(gen_prefix);
	free(gen_suffix);
	cc_loc_result_free(res);
	cc_session_free(sess);
	cc_priors_free(pr);
	cc_loc_candidates_free(c);
	filecache_free(&fc);
	cc_store_rev_free(r);
	free(items);
	free(pitems);
	free(ids);
	free(prior);
	free(protect);
	free(lines);
	free(fmean);
	free(qids);
	free(scored);
	free(recon);
	return rc;
}
