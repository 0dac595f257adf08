/*
 * strset.h — a set of byte strings (open addressing, FNV-1a hash, strings
 * copied into a chunked arena so they never move), each numbered in the
 * order it was added.  The indexer uses it to remember which (stem, word)
 * pairs it has recorded, search term reports to number documents and
 * families.
 */
#ifndef DICTA_STRSET_H
#define DICTA_STRSET_H

#include <stddef.h>

typedef struct strset strset;

strset *strset_new(void);
void strset_free(strset *s);

/* Add s[0, len); returns 1 if it was new, 0 if already there, -1 on ENOMEM.
 * *stored (may be NULL) receives the set's own copy, NUL-terminated, valid
 * until strset_free. */
int strset_add(strset *s, const char *str, size_t len, const char **stored);

/* strset_add, with *ord (may be NULL) receiving the string's number: 0 for
 * the first string added, 1 for the second, and so on. */
int strset_add_ord(strset *s, const char *str, size_t len, const char **stored,
		   size_t *ord);

/* 1 if s[0, len) is in the set, else 0. */
int strset_has(const strset *s, const char *str, size_t len);

/* The number of s[0, len) (strset_add_ord), or -1 if it is not there. */
long strset_find(const strset *s, const char *str, size_t len);

size_t strset_count(const strset *s);

#endif
