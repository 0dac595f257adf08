/*
 * query_select.h — cutting a long free-text query (a fact description of
 * thousands of characters) down to the words worth searching for.  Used by
 * the batch runner (batch_run.c) before the query reaches
 * dicta_search_run(); the choice is explained in docs/batch.md.
 *
 * Every word is analyzed as the documents were (analyze.h, the index's
 * stemmer).  Stopwords (English function words, and the names of months
 * and days), words of one letter, and numbers and identifiers
 * (tokens with a digit: dates, sums, the "A1"/"P2" placeholders of
 * anonymized facts) are dropped; the remaining words are grouped by stem.
 * Each stem is scored by how often the query uses it and how rare it is in
 * the index:
 *
 *     score = (1 + ln qtf) * idf,   idf = ln((N - df + 0.5) / (df + 0.5))
 *
 * with N the number of passages of the index and df the passages holding
 * the stem (BM25's idf).  Stems in no passage, or in more than half of
 * them (idf <= 0), are dropped.  The max_terms best stems are kept, each
 * written as the word that first used it, in the order they first occur.
 */
#ifndef DICTA_QUERY_SELECT_H
#define DICTA_QUERY_SELECT_H

#include <stddef.h>

#include "dicta.h"

/* Non-zero if the folded word w[0, len) is an English stopword. */
int qselect_is_stopword(const char *w, size_t len);

/*
 * Choose the words of text to search for, as above.  When text has at
 * most max_terms distinct stems that are not stopwords, *out is NULL and
 * the text should be searched as it is; otherwise *out is a malloc'd
 * string of the chosen words separated by spaces (possibly "" when no word
 * of text is in the index).  *nterms_out (may be NULL) receives the number
 * of distinct candidate stems seen.  Returns 0, or a DICTA_E* code.
 */
int qselect_terms(char **out, size_t *nterms_out, dicta_index *idx,
		  const char *text, size_t max_terms);

#endif
