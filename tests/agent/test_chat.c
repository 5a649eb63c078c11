/*
 * test_chat.c - chat templates (agent/chat.c): each family's fixture tokenizer_config.json
 * (fixtures/chat) is recognised and renders conversations to the exact text the family's
 * documented template produces; other templates and models without one are refused by name.
 */
#include "cc_agent.h"
#include "test.h"

static char *render(const char *dir, const cc_chat_message *m, size_t n, int gen)
{
	cc_chat_template t;
	char *out = NULL;
	size_t len = 0;
	int rc = cc_chat_template_load(&t, dir);
	CHECK_EQ_INT(rc, CC_OK);
	if (rc) {
		fprintf(stderr, "%s: %s\n", dir, cc_error_last());
		return NULL;
	}
	rc = cc_chat_render(&out, &len, &t, m, n, gen);
	CHECK_EQ_INT(rc, CC_OK);
	if (out)
		CHECK_EQ_INT(len, strlen(out));
	cc_chat_template_clear(&t);
	return out;
}

int main(void)
{
	cc_chat_template t;
	char *s;
	const cc_chat_message conv[] = {{"user", "Hi"}, {"assistant", "Hello!"}, {"user", "2+2?"}};
	const cc_chat_message sys[] = {{"system", "Be brief."}, {"user", " def f(): \n"}};

	/* Qwen2.5: the default system prompt when the conversation has none. */
	CHECK_EQ_INT(cc_chat_template_load(&t, "fixtures/chat/qwen2.5"), CC_OK);
	CHECK_EQ_INT(t.family, CC_CHAT_CHATML);
	CHECK_EQ_STR(t.default_system,
	             "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.");
	CHECK_EQ_INT(t.n_stop, 2);
	CHECK_EQ_STR(t.stop[0], "<|im_end|>");
	cc_chat_template_clear(&t);
	s = render("fixtures/chat/qwen2.5", conv, 3, 1);
	CHECK_EQ_STR(s, "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a "
	                "helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
	                "<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n"
	                "<|im_start|>assistant\n");
	free(s);
	/* A system message replaces the default; content is not trimmed in ChatML. */
	s = render("fixtures/chat/qwen2.5", sys, 2, 0);
	CHECK_EQ_STR(s, "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n def f(): \n"
	                "<|im_end|>\n");
	free(s);
	/* Qwen2: its own default system prompt. */
	s = render("fixtures/chat/qwen2", conv, 1, 1);
	CHECK_EQ_STR(s, "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
	                "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
	free(s);
	/* Plain ChatML without a default system prompt (parsed from text). */
	CHECK_EQ_INT(cc_chat_template_parse(&t,
	                                    "{% for message in messages %}{{'<|im_start|>' + "
	                                    "message['role'] + '\\n' + message['content'] + "
	                                    "'<|im_end|>' + '\\n'}}{% endfor %}",
	                                    NULL),
	             CC_OK);
	CHECK(t.default_system == NULL);
	CHECK_EQ_INT(cc_chat_render(&s, NULL, &t, conv, 1, 1), CC_OK);
	CHECK_EQ_STR(s, "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
	free(s);
	cc_chat_template_clear(&t);

	/* Llama 3: BOS before the first message, contents trimmed, no default system prompt. */
	CHECK_EQ_INT(cc_chat_template_load(&t, "fixtures/chat/llama3"), CC_OK);
	CHECK_EQ_INT(t.family, CC_CHAT_LLAMA3);
	CHECK_EQ_STR(t.bos, "<|begin_of_text|>");
	CHECK_EQ_STR(t.stop[0], "<|eot_id|>");
	cc_chat_template_clear(&t);
	s = render("fixtures/chat/llama3", sys, 2, 1);
	CHECK_EQ_STR(s, "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief."
	                "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\ndef f():<|eot_id|>"
	                "<|start_header_id|>assistant<|end_header_id|>\n\n");
	free(s);
	s = render("fixtures/chat/llama3", conv, 2, 0);
	CHECK_EQ_STR(s, "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
	                "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>");
	free(s);

	/* Refusals, by name. */
	CHECK_EQ_INT(cc_chat_template_load(&t, "fixtures/chat/mistral"), CC_EUNSUPPORTED);
	CHECK(strstr(cc_error_last(), "not recognised") != NULL);
	CHECK_EQ_INT(cc_chat_template_load(&t, "fixtures/chat/none"), CC_ENOTFOUND);
	CHECK(strstr(cc_error_last(), "no chat template") != NULL);
	CHECK_EQ_INT(cc_chat_template_load(&t, "fixtures/chat/absent"), CC_ENOTFOUND);
	CHECK_EQ_INT(cc_chat_template_parse(&t,
	                                    "{{ '<|start_header_id|>' }}<|end_header_id|>"
	                                    "<|eot_id|>Cutting Knowledge Date: December 2023",
	                                    NULL),
	             CC_EUNSUPPORTED);
	CHECK(strstr(cc_error_last(), "3.1") != NULL);
	CHECK_EQ_INT(cc_chat_template_load(&t, "fixtures/chat/qwen2.5"), CC_OK);
	const cc_chat_message bad[] = {{"user", "a"}, {"tool", "b"}};
	s = NULL;
	CHECK_EQ_INT(cc_chat_render(&s, NULL, &t, bad, 2, 1), CC_EINVAL);
	CHECK(strstr(cc_error_last(), "message 1") && strstr(cc_error_last(), "'tool'"));
	CHECK(s == NULL);
	const cc_chat_message nocontent[] = {{"user", NULL}};
	CHECK_EQ_INT(cc_chat_render(&s, NULL, &t, nocontent, 1, 1), CC_EINVAL);
	cc_chat_template_clear(&t);
	return test_result();
}
