/*
 * model_input.c - file + tokenizer + model for the model verbs (see model_input.h).
 */
#include "model_input.h"

#include "cc_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_model_input_load(cli_model_input *in, const char *model_dir, const char *device,
                         long threads, const char *file)
{
	int dev = cc_device_parse(device);
	memset(in, 0, sizeof(*in));
	if (dev < 0) {
		fprintf(stderr, "codecomp: unknown device '%s' (cpu or cuda)\n", device);
		return 2;
	}
	if (cc_read_file(&in->text, &in->len, file, 0)) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		return 1;
	}
	if (cc_tokenizer_load(&in->tok, model_dir)) {
		fprintf(stderr, "codecomp: tokenizer: %s\n", cc_error_last());
		return 1;
	}
	if (cc_tokenizer_encode(in->tok, in->text, in->len, &in->ids, NULL, &in->n)) {
		fprintf(stderr, "codecomp: tokenizing %s: %s\n", file, cc_error_last());
		return 1;
	}
	cc_model_opts mo = {dev, (int)threads};
	if (cc_model_load(&in->model, model_dir, &mo)) {
		fprintf(stderr, "codecomp: %s\n", cc_error_last());
		return 1;
	}
	cc_model_info mi;
	cc_model_info_get(&mi, in->model);
	if (cc_tokenizer_check_model_vocab(in->tok, (size_t)mi.vocab)) {
		fprintf(stderr, "codecomp: model %s: %s\n", model_dir, cc_error_last());
		return 1;
	}
	return 0;
}

void cli_model_input_free(cli_model_input *in)
{
	free(in->ids);
	free(in->text);
	cc_model_free(in->model);
	cc_tokenizer_free(in->tok);
	memset(in, 0, sizeof(*in));
}
