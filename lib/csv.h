/*
 * csv.h — one CSV field as RFC 4180 writes it, for the CSV outputs (the
 * batch report, lib/report_csv.c, and the search term report,
 * lib/str_csv.c).
 */
#ifndef DICTA_CSV_H
#define DICTA_CSV_H

#include <stddef.h>
#include <stdio.h>

/* Write s[0, len) as a field: between double quotes, quotes doubled, when
 * it holds a comma, a quote or a line break, or starts or ends with a
 * space (which spreadsheets would trim); as it is otherwise.  No
 * separator is written. */
void csv_field(FILE *f, const char *s, size_t len);

#endif
