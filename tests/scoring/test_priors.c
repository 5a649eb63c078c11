/*
 * test_priors.c - priors on a small Python fixture (tests/scoring/fixtures/app.py) analysed
 * in-process: classes and spans of call sites, predicates, returns and assignments; comments
 * and whitespace below structure; query relevance (named function and its callees above
 * unrelated functions; names, paths and line numbers); chunks; budgets; determinism; errors.
 */
#include "analysis.h"
#include "cc_common.h"
#include "cc_priors_reply.h"
#include "cc_tokenizer.h"
#include "test.h"

static cc_tokenizer *tok;
static cc_file_graph *graph;
static char *src;
static size_t src_len;

static int32_t method_named(const char *name)
{
	for (uint32_t i = 0; i < graph->n_nodes; i++)
		if (graph->nodes[i].kind == CC_NODE_METHOD &&
		    !strcmp(cc_graph_str(graph, graph->nodes[i].name), name))
			return (int32_t)i;
	return -1;
}

static cc_priors *run(const char *query, const cc_priors_config *cfg, size_t budget)
{
	cc_prompt_segment segs[2] = {
		{NULL, query ? query : "", query ? strlen(query) : 0, 0, 0, NULL, NULL, 0},
		{"app.py", src, src_len, 0, 0, graph, NULL, 0},
	};
	cc_priors_opts o = {query, query ? strlen(query) : 0, budget, 0, 0};
	cc_priors *p = NULL;
	int rc = cc_priors_compute(&p, tok, segs, 2, &o, cfg);
	CHECK_EQ_INT(rc, CC_OK);
	if (rc)
		fprintf(stderr, "%s\n", cc_error_last());
	return p;
}

/* max relevance of code tokens inside the method named */
static float method_rel(const cc_priors *p, const char *name)
{
	int32_t m = method_named(name);
	float r = -1;
	CHECK(m >= 0);
	for (size_t i = 0; m >= 0 && i < p->n_tokens; i++) {
		const cc_token_prior *t = &p->tokens[i];
		if (t->segment == 1 && t->cls != CC_PCLS_HEADER &&
		    t->start >= graph->nodes[m].start_byte && t->end <= graph->nodes[m].end_byte &&
		    t->relevance > r)
			r = t->relevance;
	}
	return r;
}

static int is_blank(const cc_token_prior *t)
{
	for (uint32_t b = t->start; b < t->end; b++) {
		char c = src[b];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
			return 0;
	}
	return 1;
}

static size_t check_structures(const cc_priors *p)
{
	size_t checked = 0;
	/* every non-blank, non-comment token whose first byte lies in a call, predicate, return
	 * or assignment node gets a structural class and a span covering that node's tokens */
	for (uint32_t k = 0; k < graph->n_nodes; k++) {
		const cc_node *nd = &graph->nodes[k];
		if (nd->kind != CC_NODE_CALL && nd->kind != CC_NODE_PREDICATE &&
		    nd->kind != CC_NODE_RETURN && nd->kind != CC_NODE_ASSIGNMENT)
			continue;
		int32_t span = -2;
		for (size_t i = 0; i < p->n_tokens; i++) {
			const cc_token_prior *t = &p->tokens[i];
			uint32_t b = t->start;
			while (b < t->end && (src[b] == ' ' || src[b] == '\n'))
				b++;
			if (t->segment != 1 || t->cls == CC_PCLS_HEADER || b >= t->end || b < nd->start_byte ||
			    b >= nd->end_byte || t->cls == CC_PCLS_COMMENT)
				continue;
			CHECK(t->span >= 0);
			if (span == -2)
				span = t->span;
			CHECK_EQ_INT(t->span, span); /* one span for the whole structure */
			if (!is_blank(t)) {
				int c = t->cls;
				CHECK(c == CC_PCLS_CALL || c == CC_PCLS_PREDICATE || c == CC_PCLS_RETURN ||
				      c == CC_PCLS_ASSIGNMENT);
				/* the innermost structure names the class */
				if (nd->kind == CC_NODE_CALL)
					CHECK_EQ_INT(c, CC_PCLS_CALL);
			} else {
				CHECK_EQ_INT(t->cls, CC_PCLS_WHITESPACE);
			}
			checked++;
		}
	}
	return checked;
}

static void test_classes_and_spans(void)
{
	cc_priors *p = run(NULL, NULL, 0);
	if (!p)
		return;
	CHECK(check_structures(p) > 100);
	/* specific tokens: the keyword of a return, the comparison of a predicate, a signature */
	const char *needles[][2] = {
		{"return total", "return"},
		{"qty > 10", "predicate"},
		{"def order_total", "signature"},
		{"# split", "comment"},
		{" os\nfrom", "import"},
		{"Order processing", "comment"}, /* a docstring */
	};
	for (size_t k = 0; k < sizeof(needles) / sizeof(needles[0]); k++) {
		const char *at = strstr(src, needles[k][0]);
		CHECK(at != NULL);
		uint32_t off = (uint32_t)(at - src);
		int found = 0;
		for (size_t i = 0; at && i < p->n_tokens; i++) {
			const cc_token_prior *t = &p->tokens[i];
			if (t->segment == 1 && t->cls != CC_PCLS_HEADER && t->start <= off && off < t->end + 1 &&
			    t->end > off) {
				CHECK_EQ_STR(cc_prior_class_name(t->cls), needles[k][1]);
				found = 1;
				break;
			}
		}
		CHECK(found);
	}
	/* the keyword of an if goes with its predicate's span */
	{
		const char *at = strstr(src, "if qty > 10");
		uint32_t kw = (uint32_t)(at - src), pr = kw + 3;
		int32_t skw = -2, spr = -3;
		for (size_t i = 0; i < p->n_tokens; i++) {
			const cc_token_prior *t = &p->tokens[i];
			if (t->segment != 1 || t->cls == CC_PCLS_HEADER)
				continue;
			if (t->start <= kw && kw < t->end + 1 && t->end > kw)
				skw = t->span;
			if (t->start <= pr && pr < t->end)
				spr = t->span;
		}
		CHECK(spr >= 0);
		CHECK_EQ_INT(skw, spr);
	}
	/* predicates, returns and signatures are protected, comments never */
	for (size_t i = 0; i < p->n_tokens; i++) {
		const cc_token_prior *t = &p->tokens[i];
		if (t->cls == CC_PCLS_PREDICATE || t->cls == CC_PCLS_RETURN || t->cls == CC_PCLS_SIGNATURE ||
		    t->cls == CC_PCLS_HEADER)
			CHECK(t->protect);
		if (t->cls == CC_PCLS_COMMENT)
			CHECK(!t->protect);
		CHECK(t->prior >= 0 && t->prior <= 1);
	}
	cc_priors_free(p);
}

static void check_order(const cc_priors *p)
{
	float lo_max = 0, hi_min = 2;
	for (size_t i = 0; i < p->n_tokens; i++) {
		const cc_token_prior *t = &p->tokens[i];
		if (t->cls == CC_PCLS_COMMENT || t->cls == CC_PCLS_WHITESPACE)
			lo_max = t->prior > lo_max ? t->prior : lo_max;
		if (t->cls == CC_PCLS_CALL || t->cls == CC_PCLS_PREDICATE || t->cls == CC_PCLS_RETURN ||
		    t->cls == CC_PCLS_ASSIGNMENT)
			hi_min = t->prior < hi_min ? t->prior : hi_min;
	}
	CHECK(lo_max < hi_min);
	CHECK(hi_min <= 1);
}

static void test_relevance(void)
{
	/* the query names order_total; it calls parse_order and apply_discount */
	cc_priors *p = run("order_total returns the wrong amount for large quantities; "
	                   "a comment says: # split",
	                   NULL, 0);
	if (!p)
		return;
	CHECK(p->n_seeds >= 1);
	float named = method_rel(p, "order_total"), c1 = method_rel(p, "parse_order"),
	      c2 = method_rel(p, "apply_discount");
	const char *unrelated[] = {"render_report", "format_row", "load", "__init__", "main"};
	CHECK_NEAR(named, 1.0, 1e-6);
	for (size_t k = 0; k < sizeof(unrelated) / sizeof(unrelated[0]); k++) {
		float u = method_rel(p, unrelated[k]);
		CHECK(named > u);
		CHECK(c1 > u);
		CHECK(c2 > u);
	}
	check_order(p); /* comments stay under structure even in relevant functions */
	cc_priors_free(p);

	/* a stack trace line seeds the function holding that line */
	const char *at = strstr(src, "return amount");
	uint32_t line = 1;
	for (const char *c = src; c < at; c++)
		line += *c == '\n';
	char q[256];
	snprintf(q, sizeof(q), "Traceback:\n  File \"/home/u/proj/app.py\", line %u, in x\n", line);
	p = run(q, NULL, 0);
	if (p) {
		CHECK(p->n_seeds >= 1);
		CHECK(method_rel(p, "apply_discount") > method_rel(p, "render_report"));
		CHECK(method_rel(p, "apply_discount") > method_rel(p, "parse_order"));
		cc_priors_free(p);
	}
	/* a qualified name */
	p = run("Inventory.load fails", NULL, 0);
	if (p) {
		CHECK(method_rel(p, "load") > method_rel(p, "order_total"));
		cc_priors_free(p);
	}
	/* no query: no relevance anywhere in code */
	p = run(NULL, NULL, 0);
	if (p) {
		CHECK_EQ_INT(p->n_seeds, 0);
		CHECK_NEAR(method_rel(p, "order_total"), 0, 0);
		check_order(p);
		cc_priors_free(p);
	}
}

static void test_chunks_and_budget(void)
{
	cc_priors_config cfg;
	cc_priors_config_default(&cfg);
	cfg.chunk_min = 1;
	cc_priors *p = run("order_total is wrong", &cfg, 0);
	if (!p)
		return;
	/* chunks tile the tokens; with chunk_min 1 every function is its own chunk */
	uint32_t next = 0;
	int saw_total = 0, saw_load = 0;
	for (size_t i = 0; i < p->n_chunks; i++) {
		CHECK_EQ_INT(p->chunks[i].first, next);
		next += p->chunks[i].count;
		CHECK(p->chunks[i].importance >= 0 && p->chunks[i].importance <= 1);
		saw_total |= !strcmp(p->chunks[i].name, "order_total");
		saw_load |= !strcmp(p->chunks[i].name, "Inventory.load");
		CHECK_EQ_INT(p->chunks[i].budget, p->chunks[i].count); /* no budget: keep all */
	}
	CHECK_EQ_INT(next, p->n_tokens);
	CHECK(saw_total && saw_load);
	for (size_t i = 0; i < p->n_tokens; i++)
		CHECK(p->tokens[i].chunk >= 0 && (size_t)p->tokens[i].chunk < p->n_chunks &&
		      p->chunks[p->tokens[i].chunk].first <= i);
	cc_priors_free(p);

	/* a budget under the protected total goes to the relevant function first */
	p = run("order_total is wrong", &cfg, 40);
	if (p) {
		double fr_rel = -1, fr_unrel = -1;
		size_t sum = 0;
		for (size_t i = 0; i < p->n_chunks; i++) {
			const cc_prior_chunk *c = &p->chunks[i];
			sum += c->budget;
			if (!strcmp(c->name, "order_total"))
				fr_rel = (double)c->budget / c->n_protected;
			if (!strcmp(c->name, "render_report"))
				fr_unrel = (double)c->budget / c->n_protected;
		}
		CHECK_EQ_INT(sum, 40);
		CHECK(fr_rel > fr_unrel && fr_unrel >= 0);
		/* the query text is protected, and kept whole first */
		CHECK(p->tokens[0].cls == CC_PCLS_TEXT && p->tokens[0].protect);
		CHECK_EQ_INT(p->chunks[0].budget, p->chunks[0].n_protected);
		cc_priors_free(p);
	}
	/* default sizes: chunks of 128..4096 tokens when the segment has that many */
	p = run("order_total is wrong", NULL, 150);
	if (!p)
		return;
	size_t sum = 0, prot = 0;
	for (size_t i = 0; i < p->n_chunks; i++) {
		const cc_prior_chunk *c = &p->chunks[i];
		CHECK(c->count <= 4096);
		if (c->segment == 1 && i + 1 < p->n_chunks)
			CHECK(c->count >= 128);
		CHECK(c->budget <= c->count);
		sum += c->budget;
		prot += c->n_protected;
	}
	CHECK_EQ_INT(sum, 150);
	cc_priors_free(p);
	/* a budget above the protected total keeps every protected token */
	p = run("order_total is wrong", NULL, prot + 20);
	if (p) {
		for (size_t i = 0; i < p->n_chunks; i++)
			CHECK(p->chunks[i].budget >= p->chunks[i].n_protected);
		cc_priors_free(p);
	}
}

static void test_deterministic(void)
{
	cc_priors *a = run("order_total parse_order app.py:20", NULL, 100);
	cc_priors *b = run("order_total parse_order app.py:20", NULL, 100);
	if (!a || !b)
		goto out;
	CHECK_EQ_INT(a->n_tokens, b->n_tokens);
	CHECK(memcmp(a->tokens, b->tokens, a->n_tokens * sizeof(*a->tokens)) == 0);
	json_t *ja = cc_priors_json(a), *jb = cc_priors_json(b);
	char *sa = json_dumps(ja, JSON_COMPACT), *sb = json_dumps(jb, JSON_COMPACT);
	CHECK(sa && sb && strcmp(sa, sb) == 0);
	CHECK(json_array_size(json_object_get(ja, "tokens")) == a->n_tokens);
	free(sa);
	free(sb);
	json_decref(ja);
	json_decref(jb);
out:
	cc_priors_free(a);
	cc_priors_free(b);
}

static void test_errors(void)
{
	cc_priors *p = NULL;
	cc_prompt_segment bad = {"app.py", src, src_len, 10, (uint32_t)src_len + 5, graph, NULL, 0};
	CHECK_EQ_INT(cc_priors_compute(&p, tok, &bad, 1, NULL, NULL), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "app.py") != NULL);
	cc_prompt_segment ok = {"app.py", src, src_len, 0, 0, graph, NULL, 0};
	cc_priors_opts o = {NULL, 0, 0, 50, 0};
	CHECK_EQ_INT(cc_priors_compute(&p, tok, &ok, 1, &o, NULL), CC_ETOOBIG);
	CHECK(strstr(cc_error_last(), " 50 ") != NULL);
	CHECK(p == NULL);
	/* a graph from another version of the file (spans past its end) is refused */
	cc_prompt_segment shorter = {"app.py", src, 100, 0, 0, graph, NULL, 0};
	CHECK_EQ_INT(cc_priors_compute(&p, tok, &shorter, 1, NULL, NULL), CC_EINVAL);
	/* byte range: tokens map back into the file */
	uint32_t s0 = (uint32_t)(strstr(src, "def apply_discount") - src);
	cc_prompt_segment range = {"app.py", src, src_len, s0, s0 + 60, graph, NULL, 0};
	CHECK_EQ_INT(cc_priors_compute(&p, tok, &range, 1, NULL, NULL), CC_OK);
	if (p) {
		for (size_t i = 0; i < p->n_tokens; i++) {
			const cc_token_prior *t = &p->tokens[i];
			CHECK(t->start >= s0 && t->end <= s0 + 60);
			if (t->cls != CC_PCLS_HEADER && t->pstart < p->len - 1)
				CHECK(memcmp(p->text + t->pstart, src + t->start, t->end - t->start) == 0);
		}
		cc_priors_free(p);
	}
	/* configuration: comments may not be able to outrank structure */
	cc_priors_config cfg;
	cc_priors_config_default(&cfg);
	json_t *j = json_pack("{s:{s:f}}", "class_weight", "comment", 0.9);
	CHECK_EQ_INT(cc_priors_config_load_json(&cfg, j), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "outrank") != NULL);
	json_decref(j);
	j = json_pack("{s:f}", "no_such_key", 1.0);
	CHECK_EQ_INT(cc_priors_config_load_json(&cfg, j), CC_EINVAL);
	json_decref(j);
	j = json_pack("{s:f, s:[s,s]}", "rel_floor", 0.6, "protect_class", "call", "header");
	CHECK_EQ_INT(cc_priors_config_load_json(&cfg, j), CC_OK);
	CHECK_NEAR(cfg.rel_floor, 0.6, 1e-6);
	CHECK(cfg.protect_class[CC_PCLS_CALL] && !cfg.protect_class[CC_PCLS_RETURN]);
	json_decref(j);
	/* the JSON form round-trips */
	cc_priors_config c2;
	cc_priors_config_default(&c2);
	j = cc_priors_config_json(&cfg);
	CHECK_EQ_INT(cc_priors_config_load_json(&c2, j), CC_OK);
	CHECK(memcmp(&c2, &cfg, sizeof(cfg)) == 0);
	json_decref(j);
}

/* The same guarantees on C (the globals src/graph are switched to the C fixture). */
static void test_c(cc_analyzer *an)
{
	char *py_src = src;
	size_t py_len = src_len;
	cc_file_graph *py_graph = graph;
	if (cc_read_file(&src, &src_len, "tests/scoring/fixtures/calc.c", 0) ||
	    cc_analyze(&graph, an, CC_LANG_C, src, src_len)) {
		CHECK(0);
		goto out;
	}
	cc_prompt_segment segs[2] = {
		{NULL, "evaluate returns -1", 19, 0, 0, NULL, NULL, 0},
		{"calc.c", src, src_len, 0, 0, graph, NULL, 0},
	};
	cc_priors_opts o = {"evaluate returns -1", 19, 0, 0, 0};
	cc_priors *p = NULL;
	CHECK_EQ_INT(cc_priors_compute(&p, tok, segs, 2, &o, NULL), CC_OK);
	if (p) {
		CHECK(check_structures(p) > 40);
		check_order(p);
		float named = method_rel(p, "evaluate"), c1 = method_rel(p, "parse_number"),
		      c2 = method_rel(p, "apply_op"), u = method_rel(p, "print_banner");
		CHECK(named > u && c1 > u && c2 > u);
		int saw[CC_PCLS_COUNT] = {0};
		for (size_t i = 0; i < p->n_tokens; i++)
			saw[p->tokens[i].cls] = 1;
		CHECK(saw[CC_PCLS_CALL] && saw[CC_PCLS_PREDICATE] && saw[CC_PCLS_RETURN] &&
		      saw[CC_PCLS_ASSIGNMENT] && saw[CC_PCLS_SIGNATURE] && saw[CC_PCLS_COMMENT] &&
		      saw[CC_PCLS_PARAM]);
		cc_priors_free(p);
	}
	/* a path in the query seeds that file's definitions: they outrank the other file's */
	{
		cc_prompt_segment two[3] = {
			{NULL, "crash in calc.c", 15, 0, 0, NULL, NULL, 0},
			{"calc.c", src, src_len, 0, 0, graph, NULL, 0},
			{"app.py", py_src, py_len, 0, 0, py_graph, NULL, 0},
		};
		cc_priors_opts o2 = {"crash in calc.c", 15, 0, 0, 0};
		CHECK_EQ_INT(cc_priors_compute(&p, tok, two, 3, &o2, NULL), CC_OK);
		if (p) {
			float r1 = 0, r2 = 0;
			for (size_t i = 0; i < p->n_tokens; i++) {
				const cc_token_prior *t = &p->tokens[i];
				if (t->cls == CC_PCLS_HEADER || t->segment < 1)
					continue;
				if (t->segment == 1 && t->relevance > r1)
					r1 = t->relevance;
				if (t->segment == 2 && t->relevance > r2)
					r2 = t->relevance;
			}
			CHECK(p->n_seeds > 0);
			CHECK(r1 > r2);
			cc_priors_free(p);
		}
	}
	cc_file_graph_free(graph);
out:
	free(src);
	src = py_src;
	src_len = py_len;
	graph = py_graph;
}

static void test_request_params(void)
{
	/* malformed daemon/CLI requests are refused before the store is touched */
	const char *bad[] = {
		"[]",
		"{\"paths\": [\"app.py\"]}",
		"{\"repo\": \".\", \"paths\": []}",
		"{\"repo\": \".\", \"paths\": [{\"path\": \"app.py\", \"start\": 5, \"end\": 5}]}",
		"{\"repo\": \".\", \"paths\": [\"app.py\"], \"budget\": -1}",
		"{\"repo\": \".\", \"paths\": [\"app.py\"], \"query\": 3}",
		"{\"repo\": \".\", \"paths\": [\"app.py\"], \"config\": {\"damping\": 2}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *params = json_loads(bad[i], 0, NULL), *out = NULL;
		CHECK(params != NULL);
		CHECK_EQ_INT(cc_priors_request(&out, NULL, tok, params, 0), CC_EINVAL);
		CHECK(out == NULL);
		json_decref(params);
	}
}

int main(void)
{
	cc_analyzer *an = NULL;
	if (cc_tokenizer_load(&tok, "fixtures/tokenizer/tokenizers/pycode.json") ||
	    cc_read_file(&src, &src_len, "tests/scoring/fixtures/app.py", 0) || cc_analyzer_new(&an) ||
	    cc_analyze(&graph, an, CC_LANG_PYTHON, src, src_len)) {
		fprintf(stderr, "setup: %s\n", cc_error_last());
		return 1;
	}
	test_classes_and_spans();
	test_relevance();
	test_chunks_and_budget();
	test_deterministic();
	test_errors();
	test_request_params();
	test_c(an);
	cc_file_graph_free(graph);
	cc_analyzer_free(an);
	cc_tokenizer_free(tok);
	free(src);
	return test_result();
}
