/*
 * sbuf.h — a growing NUL-terminated string for building text piece by
 * piece.  An allocation failure is remembered (failed) and makes every
 * later call a no-op, so a caller checks once at the end.
 */
#ifndef DICTA_SBUF_H
#define DICTA_SBUF_H

#include <stddef.h>

typedef struct {
	char *s;     /* NUL-terminated once anything was added; owned */
	size_t len, cap;
	int failed;  /* an allocation failed: s is what was built before it */
} sbuf;

/* Append p[0, n). */
void sb_add(sbuf *b, const char *p, size_t n);

/* Append the formatted text (at most 1023 bytes of it). */
void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
