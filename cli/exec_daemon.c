/*
 * exec_daemon.c - running codecompd from the CLI (`codecomp daemon start`, the hooks'
 * autostart): the codecompd beside this codecomp (the build's bin/, or an install's), else the
 * one on PATH. The one place that looks for it.
 */
#include "cli.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void cli_exec_codecompd(char **args)
{
	char self[PATH_MAX], path[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(path, sizeof(path), "%s/codecompd", self);
			if (access(path, X_OK) == 0)
				execv(path, args);
		}
	}
	execvp("codecompd", args);
}
