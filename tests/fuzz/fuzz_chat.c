/*
 * fuzz_chat.c - chat templates (agent/chat.c) on arbitrary bytes: the input up to its first
 * NUL is a chat_template's text (a model directory's tokenizer_config.json is outside input),
 * the rest a message's content. Recognising never crashes or reads past the text; a
 * recognised template renders the content verbatim (ChatML) or trimmed (Llama 3) between its
 * markers. Seeds: fixtures/chat (real-format tokenizer_config.json files).
 */
#include "cc_agent.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t tl = nul ? (size_t)(nul - data) : size;
	char *tmpl = malloc(tl + 1), *content = malloc(size + 1);
	cc_chat_template t;
	if (!tmpl || !content)
		goto out;
	memcpy(tmpl, data, tl);
	tmpl[tl] = 0;
	/* the content: what follows the NUL (or the template itself), up to its own NUL */
	const uint8_t *c = nul ? nul + 1 : data;
	size_t cl = nul ? size - tl - 1 : tl;
	memcpy(content, c, cl);
	content[cl] = 0;
	if (cc_chat_template_parse(&t, tmpl, NULL) == CC_OK) {
		const cc_chat_message m[] = {{"system", content}, {"user", content}, {"assistant", content}};
		char *out = NULL;
		size_t len = 0;
		if (cc_chat_render(&out, &len, &t, m, 3, 1) == CC_OK) {
			const char *want = t.family == CC_CHAT_CHATML ? "<|im_start|>assistant\n"
			                                              : "<|start_header_id|>assistant"
			                                                "<|end_header_id|>\n\n";
			if (len != strlen(out) || len < strlen(want) ||
			    strcmp(out + len - strlen(want), want))
				abort();
			if (t.family == CC_CHAT_CHATML && !strstr(out, content))
				abort();
			if (t.family == CC_CHAT_LLAMA3 && strncmp(out, t.bos, strlen(t.bos)))
				abort();
		}
		free(out);
		cc_chat_template_clear(&t);
	}
out:
	free(tmpl);
	free(content);
	return 0;
}
