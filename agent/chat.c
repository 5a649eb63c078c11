/*
 * chat.c - chat templates rendered natively (cc_agent.h, "chat templates"): a model's Jinja
 * chat_template is recognised by the markers of its family (ChatML as Qwen2/2.5 write it,
 * Llama 3) and rendered in C exactly as the template would for system/user/assistant
 * messages; anything else is refused by name rather than rendered wrongly.
 */
#include "cc_agent.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	char *p;
	size_t n, cap;
	int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void sb_str(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

void cc_chat_template_clear(cc_chat_template *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->default_system);
	free(t->bos);
	memset(t, 0, sizeof(*t));
}

/* The ChatML default system prompt: the literal the template writes after
 * '<|im_start|>system\n' when it is not followed by an expression (Qwen2: "You are a helpful
 * assistant.", Qwen2.5: "You are Qwen, created by Alibaba Cloud. ..."). Jinja escapes in the
 * literal (\n, \', \\) are undone. NULL when the template has none. */
static int chatml_default_system(char **out, const char *tmpl)
{
	static const char *const openers[] = {"'<|im_start|>system\\n", "\"<|im_start|>system\\n"};
	*out = NULL;
	for (size_t k = 0; k < 2; k++) {
		const char *s = tmpl;
		while ((s = strstr(s, openers[k]))) {
			const char *body = s + strlen(openers[k]);
			const char *end = strstr(body, "<|im_end|>");
			s = body;
			if (!end)
				break;
			/* A literal only: no quote (the end of the Jinja string) before <|im_end|>. */
			int literal = end > body;
			for (const char *q = body; q < end && literal; q++)
				if (*q == openers[k][0] && q[-1] != '\\')
					literal = 0;
			if (!literal)
				continue;
			char *d = malloc((size_t)(end - body) + 1), *w = d;
			if (!d)
				return cc_error_set(CC_ENOMEM, "out of memory");
			for (const char *q = body; q < end; q++) {
				if (*q == '\\' && q + 1 < end) {
					q++;
					*w++ = *q == 'n' ? '\n' : (*q == 't' ? '\t' : *q);
				} else {
					*w++ = *q;
				}
			}
			*w = 0;
			*out = d;
			return CC_OK;
		}
	}
	return CC_OK;
}

int cc_chat_template_parse(cc_chat_template *out, const char *tmpl, const char *bos)
{
	int rc;
	memset(out, 0, sizeof(*out));
	if (!tmpl)
		return cc_error_set(CC_EINVAL, "no chat template given");
	if (strstr(tmpl, "<|im_start|>") && strstr(tmpl, "<|im_end|>")) {
		out->family = CC_CHAT_CHATML;
		if (!(out->name = strdup("chatml")))
			goto oom;
		if ((rc = chatml_default_system(&out->default_system, tmpl)))
			goto fail;
		out->stop[0] = "<|im_end|>";
		out->stop[1] = "<|endoftext|>";
		out->n_stop = 2;
		return CC_OK;
	}
	if (strstr(tmpl, "<|start_header_id|>") && strstr(tmpl, "<|end_header_id|>") &&
	    strstr(tmpl, "<|eot_id|>")) {
		if (strstr(tmpl, "Cutting Knowledge Date"))
			return cc_error_set(CC_EUNSUPPORTED,
			                    "chat template: Llama 3.1-style template (date header, tools) "
			                    "is not rendered natively; only Llama 3 and ChatML (Qwen2) are");
		out->family = CC_CHAT_LLAMA3;
		if (!(out->name = strdup("llama3")) ||
		    !(out->bos = strdup(bos && *bos ? bos : "<|begin_of_text|>")))
			goto oom;
		out->stop[0] = "<|eot_id|>";
		out->stop[1] = "<|end_of_text|>";
		out->n_stop = 2;
		return CC_OK;
	}
	return cc_error_set(CC_EUNSUPPORTED,
	                    "chat template not recognised: only ChatML (Qwen2, <|im_start|>) and "
	                    "Llama 3 (<|start_header_id|>) templates are rendered");
oom:
	rc = cc_error_set(CC_ENOMEM, "out of memory");
fail:
	cc_chat_template_clear(out);
	return rc;
}

int cc_chat_template_load(cc_chat_template *out, const char *dir)
{
	char path[4096];
	json_error_t err;
	json_t *root = NULL, *jt, *jb;
	const char *tmpl = NULL, *bos = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!dir)
		return cc_error_set(CC_EINVAL, "no model directory given");
	snprintf(path, sizeof(path), "%s/tokenizer_config.json", dir);
	root = json_load_file(path, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &err);
	if (!root) {
		if (err.line == -1 && strstr(err.text, "unable to open"))
			return cc_error_set(CC_ENOTFOUND, "the model has no chat template (no %s)", path);
		return cc_error_set(CC_EPARSE, "%s: %s (line %d)", path, err.text, err.line);
	}
	jt = json_object_get(root, "chat_template");
	if (json_is_string(jt)) {
		tmpl = json_string_value(jt);
	} else if (json_is_array(jt)) {
		size_t i;
		json_t *e;
		json_array_foreach(jt, i, e)
		{
			const char *name = json_string_value(json_object_get(e, "name"));
			if (name && !strcmp(name, "default"))
				tmpl = json_string_value(json_object_get(e, "template"));
		}
		if (!tmpl) {
			rc = cc_error_set(CC_EUNSUPPORTED,
			                  "%s: chat_template list without a 'default' template",
			                  path);
			goto out;
		}
	} else {
		rc = cc_error_set(CC_ENOTFOUND,
		                  "the model has no chat template (%s has no "
		                  "chat_template); use /v1/completions",
		                  path);
		goto out;
	}
	jb = json_object_get(root, "bos_token");
	if (json_is_object(jb))
		jb = json_object_get(jb, "content");
	bos = json_string_value(jb);
	rc = cc_chat_template_parse(out, tmpl, bos);
out:
	json_decref(root);
	return rc;
}

static int role_ok(const char *r)
{
	return r && (!strcmp(r, "system") || !strcmp(r, "user") || !strcmp(r, "assistant"));
}

int cc_chat_render(char **out, size_t *len, const cc_chat_template *t, const cc_chat_message *m,
                   size_t n, int add_generation_prompt)
{
	sbuf b = {0};
	*out = NULL;
	if (len)
		*len = 0;
	if (!t || (t->family != CC_CHAT_CHATML && t->family != CC_CHAT_LLAMA3))
		return cc_error_set(CC_EINVAL, "no chat template");
	for (size_t i = 0; i < n; i++) {
		if (!role_ok(m[i].role))
			return cc_error_set(CC_EINVAL,
			                    "message %zu: role must be system, user or "
			                    "assistant, got '%s'",
			                    i, m[i].role ? m[i].role : "(none)");
		if (!m[i].content)
			return cc_error_set(CC_EINVAL, "message %zu: no content", i);
	}
	sb_str(&b, "");
	if (t->family == CC_CHAT_CHATML) {
		if ((n == 0 || strcmp(m[0].role, "system")) && t->default_system) {
			sb_str(&b, "<|im_start|>system\n");
			sb_str(&b, t->default_system);
			sb_str(&b, "<|im_end|>\n");
		}
		for (size_t i = 0; i < n; i++) {
			sb_str(&b, "<|im_start|>");
			sb_str(&b, m[i].role);
			sb_str(&b, "\n");
			sb_str(&b, m[i].content);
			sb_str(&b, "<|im_end|>\n");
		}
		if (add_generation_prompt)
			sb_str(&b, "<|im_start|>assistant\n");
	} else {
		for (size_t i = 0; i < n; i++) {
			const char *s = m[i].content, *e = s + strlen(s);
			/* Jinja's trim: leading and trailing whitespace. */
			while (s < e && strchr(" \t\n\r\v\f", *s))
				s++;
			while (e > s && strchr(" \t\n\r\v\f", e[-1]))
				e--;
			if (i == 0)
				sb_str(&b, t->bos);
			sb_str(&b, "<|start_header_id|>");
			sb_str(&b, m[i].role);
			sb_str(&b, "<|end_header_id|>\n\n");
			sb_add(&b, s, (size_t)(e - s));
			sb_str(&b, "<|eot_id|>");
		}
		if (add_generation_prompt)
			sb_str(&b, "<|start_header_id|>assistant<|end_header_id|>\n\n");
	}
	if (b.oom) {
		free(b.p);
		return cc_error_set(CC_ENOMEM, "out of memory");
	}
	*out = b.p;
	if (len)
		*len = b.n;
	return CC_OK;
}
