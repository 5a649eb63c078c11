/*
 * loc_int.h - internals shared by the files of the localize module.
 */
#ifndef CC_LOC_INT_H
#define CC_LOC_INT_H

/* Does repository path p match a path s named in a text? 2 = same file (s ends with "/p", or
 * equals it, or is a tail of p), 1 = same base name only, 0 = no. */
int loc_path_match(const char *p, const char *s);

#endif
