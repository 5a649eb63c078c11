/*
 * main.c - `codecomp`, the command-line client: one subcommand per verb. Each verb lives in
 * cli/cmd_<verb>.c; a verb whose file is not part of this build reports so instead of running.
 */
#include "cc_common.h"
#include "cli.h"

#include <stdio.h>
#include <string.h>

#define VERB(name) extern int cmd_##name(int argc, char **argv) __attribute__((weak));
CC_CLI_VERBS(VERB)
#undef VERB

struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static void usage(FILE *f, const struct verb *verbs)
{
	fprintf(f, "usage: codecomp <command> [options]\n\ncommands:\n");
	for (const struct verb *v = verbs; v->name; v++)
		if (v->fn)
			fprintf(f, "  %-10s %s\n", v->name, v->help);
	fprintf(f, "\n`codecomp <command> --help` describes one command.\n");
}

int main(int argc, char **argv)
{
#define VERB(name) {#name, cmd_##name, CC_CLI_HELP_##name},
	static const struct verb verbs[] = {CC_CLI_VERBS(VERB){NULL, NULL, NULL}};
#undef VERB
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout, verbs);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("codecomp %s\n", CC_VERSION);
		return 0;
	}
	for (const struct verb *v = verbs; v->name; v++) {
		if (strcmp(v->name, argv[1]) != 0)
			continue;
		if (!v->fn) {
			fprintf(stderr, "codecomp: '%s' is not part of this build\n", argv[1]);
			return 2;
		}
		return v->fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "codecomp: unknown command '%s'\n", argv[1]);
	usage(stderr, verbs);
	return 2;
}
