/*
 * format.h — the pieces of format.c that other writers of results share:
 * the JSON object of one search (docs/search-output.md), which the batch
 * JSON Lines report extends, and the snippet window of the text output,
 * which the CSV and HTML reports use too.
 */
#ifndef DICTA_FORMAT_H
#define DICTA_FORMAT_H

#include <jansson.h>
#include <stddef.h>

#include "dicta.h"

/* The results as the JSON object dicta_results_to_json() prints (a new
 * reference), or NULL on ENOMEM. */
json_t *format_results_json(const dicta_results *res);

/* The part of passage p a snippet shows: around its first highlight, at
 * most about 400 bytes, on word boundaries; [*from, *to) in document
 * offsets (p->text starts at p->start). */
void format_snippet_window(const dicta_passage *p, size_t *from, size_t *to);

/* The snippet of p as the text output shows it: that window, white space
 * folded, highlights between ** ** (ANSI bold when color), "..." where the
 * passage is cut.  A malloc'd string, or NULL with the error set. */
char *format_snippet_text(const dicta_passage *p, int color);

#endif
