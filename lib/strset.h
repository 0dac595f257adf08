/*
 * strset.h — a set of byte strings (open addressing, FNV-1a hash, strings
 * copied into a chunked arena so they never move).  The indexer uses it to
 * remember which (stem, word) pairs it has recorded.
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

/* 1 if s[0, len) is in the set, else 0. */
int strset_has(const strset *s, const char *str, size_t len);

size_t strset_count(const strset *s);

#endif
