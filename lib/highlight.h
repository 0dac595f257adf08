/*
 * highlight.h — finding the words of a passage that a query matched, by
 * analyzing the passage text again with the analyzer and stemmer the
 * document was indexed with.  Offsets come from the analyzer's token
 * callback, so highlights point at exactly the bytes of the matched words.
 *
 * A natural-language query highlights every occurrence of its words.  A
 * query with operators highlights the words that satisfied it, which the
 * query's evaluator gives as word positions (query_plan_positions); the
 * passage's n-th word is at its first position + n.
 */
#ifndef DICTA_HIGHLIGHT_H
#define DICTA_HIGHLIGHT_H

#include "dicta.h"
#include "query.h"
#include "stem.h"

/*
 * Spans of text[start, end) whose terms are in qt, as offsets in text;
 * *out receives a malloc'd array of *n_out spans (NULL when none).
 */
int highlight_spans(dicta_span **out, size_t *n_out, const char *text,
		    size_t start, size_t end, stemmer *st,
		    const query_terms *qt);

/*
 * Spans of text[start, end) whose word positions are in pos[0, npos)
 * (ascending), the passage's first word being at position first_pos.
 * *out as for highlight_spans.
 */
int highlight_positions(dicta_span **out, size_t *n_out, const char *text,
			size_t start, size_t end, uint32_t first_pos,
			const uint32_t *pos, size_t npos);

/*
 * The highlights of passage docid, whose text is text[start, end), for the
 * query of plan: highlight_spans with the plan's terms for a
 * natural-language query, else highlight_positions with the positions
 * that satisfied the query.
 */
int highlight_passage(dicta_span **out, size_t *n_out, const query_plan *plan,
		      unsigned docid, const char *text, size_t start,
		      size_t end, stemmer *st);

#endif
