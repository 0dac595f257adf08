/*
 * error.c — the thread-local last error message and query column behind
 * dicta_error_last() and dicta_error_column().
 */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

static _Thread_local char last_message[1024];
static _Thread_local int last_column;

const char *dicta_error_last(void)
{
	return last_message;
}

int dicta_error_column(void)
{
	return last_column;
}

int error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_message, sizeof last_message, fmt, ap);
	va_end(ap);
	last_column = 0;
	return code;
}

int error_set_query(int column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_message, sizeof last_message, fmt, ap);
	va_end(ap);
	last_column = column;
	return DICTA_EQUERY;
}

void error_clear(void)
{
	last_message[0] = '\0';
	last_column = 0;
}
