/*
 * error.h — the thread-local last error behind dicta_error_last().  Every
 * library function that fails sets it with error_set() and returns the
 * DICTA_E* code it passed.
 */
#ifndef DICTA_ERROR_H
#define DICTA_ERROR_H

#include "dicta.h"

/* Set the message (printf-style) and return code, for `return error_set(...)`. */
int error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set a query error at a 1-based column; returns DICTA_EQUERY. */
int error_set_query(int column, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void error_clear(void);

#endif
