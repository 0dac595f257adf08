/*
 * html.h — writing text into the self-contained HTML pages dicta produces
 * (the batch report, lib/report_html.c, and the search term report,
 * lib/str_html.c): one escaping rule and one sortable table for both.
 */
#ifndef DICTA_HTML_H
#define DICTA_HTML_H

#include <stddef.h>
#include <stdio.h>

/* Write len bytes of s with & < > " ' escaped, safe in element text and in
 * quoted attribute values. */
void html_escape_n(FILE *f, const char *s, size_t len);

/* The same for a NUL-terminated string. */
void html_escape(FILE *f, const char *s);

/* Sortable tables, for pages that inline them: <table class="sortable">
 * sorts on a click of a heading (cells sort by their data-v attribute if
 * they have one, else their text; numbers as numbers; a class="num"
 * column sorts descending first).  The CSS marks the sorted column. */
extern const char html_sortable_css[];
extern const char html_sortable_script[];

#endif
