/*
 * model_input.h - what `codecomp score` and `codecomp generate` share: a text file tokenized
 * exactly as the model's tokenizer.json does, and the model loaded on a device.
 */
#ifndef CC_CLI_MODEL_INPUT_H
#define CC_CLI_MODEL_INPUT_H

#include "cc_engine.h"
#include "cc_tokenizer.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
	char *text; /* the file's bytes */
	size_t len;
	cc_tokenizer *tok;
	int32_t *ids; /* the file's token ids */
	size_t n;
	cc_model *model;
} cli_model_input;

/* Read file, tokenize it with model_dir's tokenizer and load the model on device ("cpu" or
 * "cuda") with threads (0 = all cores). On failure one "codecomp: ..." line is printed and the
 * return value is the exit code: 2 for an unknown device, 1 otherwise; 0 on success. *in is
 * always initialised; release it with cli_model_input_free. */
int cli_model_input_load(cli_model_input *in, const char *model_dir, const char *device,
                         long threads, const char *file);
void cli_model_input_free(cli_model_input *in);

#endif
