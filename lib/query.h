/*
 * query.h — turning a query string into a Xapian query (through the shim)
 * and the set of terms whose occurrences are highlighted.  The query side
 * analyzes words with the same analyzer and stemmers as the indexer.
 */
#ifndef DICTA_QUERY_H
#define DICTA_QUERY_H

#include <stddef.h>

#include "index_internal.h"
#include "xapian_shim.h"

/* The terms a query can match, as indexed (folded words, Z-stems),
 * sorted and unique once query_terms_seal() has run. */
typedef struct {
	char **terms;
	size_t n, cap;
} query_terms;

int query_terms_add(query_terms *qt, const char *term, size_t len);
void query_terms_seal(query_terms *qt);
int query_terms_has(const query_terms *qt, const char *term, size_t len);
void query_terms_free(query_terms *qt);

/*
 * A natural-language query: each word is matched by its stem in every
 * language of the index (by its folded form for numbers and identifiers),
 * the words OR'd and ranked by BM25.  *out is freed with shim_query_free,
 * *terms with query_terms_free.  DICTA_EQUERY for a query without words.
 */
int query_natural(shim_query **out, query_terms *terms, dicta_index *idx,
		  const char *q);

#endif
