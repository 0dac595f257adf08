/*
 * highlight.h — finding the words of a passage that a query matched, by
 * analyzing the passage text again with the analyzer and stemmer the
 * document was indexed with.  Offsets come from the analyzer's token
 * callback, so highlights point at exactly the bytes of the matched words.
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

#endif
