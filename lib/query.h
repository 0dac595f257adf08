/*
 * query.h — a query string compiled against an index: the Xapian query
 * that finds and ranks candidate passages, the check that makes
 * connectors exact, and the words of a passage that satisfied the query
 * (for highlighting).  Called by search.c and highlight.c; the language
 * itself is parsed by query_parse.c and described in
 * docs/query-language.md.
 *
 * The query side analyzes words with the same analyzer and stemmers as
 * the indexer, and stems each word in every language the index holds.
 */
#ifndef DICTA_QUERY_H
#define DICTA_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "index_internal.h"
#include "xapian_shim.h"

/* A set of terms as indexed (folded words, Z-stems), sorted and unique
 * once query_terms_seal() has run. */
typedef struct {
	char **terms;
	size_t n, cap;
} query_terms;

int query_terms_add(query_terms *qt, const char *term, size_t len);
void query_terms_seal(query_terms *qt);
int query_terms_has(const query_terms *qt, const char *term, size_t len);
void query_terms_free(query_terms *qt);

/* Root expansions and wildcards match at most this many indexed words;
 * beyond it the query is refused with DICTA_EQUERY. */
#define QUERY_MAX_EXPANSION 1000

typedef struct query_plan query_plan;

/*
 * Parse q and compile it for idx: words stemmed in each language of the
 * index, roots and wildcards expanded over its vocabulary, fields turned
 * into their terms.  DICTA_EQUERY (message and column set) for a query
 * that cannot be parsed or names what the index does not have (an
 * unknown field, a root with too many words).  Freed with
 * query_plan_free(); the plan refers to idx and must not outlive it.
 */
int query_compile(query_plan **out, dicta_index *idx, const char *q);
void query_plan_free(query_plan *p);

/* The Xapian query: it finds every matching passage (and perhaps more,
 * see query_plan_check) and ranks them by BM25. */
const shim_query *query_plan_query(const query_plan *p);

/*
 * The check for shim_search_accept() (payload: the plan) when the Xapian
 * query alone finds more than the query means — connectors, whose exact
 * distance, sentence and paragraph are checked on the passage's word
 * positions — or NULL when Xapian's own match is exact.
 */
shim_accept_fn query_plan_check(const query_plan *p);

/* Non-zero for a natural-language query (plain words, ranked). */
int query_plan_natural(const query_plan *p);

/* The terms whose every occurrence is highlighted in a natural-language
 * query: Z-stems, folded numbers and exact words, root expansions. */
const query_terms *query_plan_terms(const query_plan *p);

/*
 * The word positions of passage docid that satisfied the query, ascending
 * and unique, in *out (malloc'd, NULL when none) — for a connector only
 * the words of the pairs within reach, for NOT only its left side — and
 * the position of the passage's first word in *first_out.  Returns 0 or a
 * DICTA_E* code.
 */
int query_plan_positions(const query_plan *p, unsigned docid, uint32_t **out,
			 size_t *n_out, uint32_t *first_out);

/*
 * query_compile() for exact counting (lib/str.c): the same query, but
 * every word leaf, in a natural-language query too, knows where its words
 * occur, so that query_plan_count() can count them.
 */
int query_compile_counting(query_plan **out, dicta_index *idx, const char *q);

/*
 * Evaluate a plan from query_compile_counting() exactly on passage v:
 * *matched whether the passage satisfies the query, and if it does, *hits
 * the number of distinct word spans that satisfied it (qeval_hits(), the
 * definitions in docs/search-term-reports.md) and *truncated non-zero
 * when the evaluator stopped collecting matches (QEVAL_MAX_MATCHES), so
 * that *hits is a lower bound.  Returns 0 or a DICTA_E* code.
 */
int query_plan_count(query_plan *p, shim_docview *v, int *matched,
		     uint64_t *hits, int *truncated);

/*
 * The fast count (docs/search-term-reports.md).  A plan from
 * query_compile_counting() whose counts follow from which terms a
 * passage has and how often (words, roots and wildcards, OR, AND, NOT,
 * exclusions, fields; no phrase, connector or date) returns 1 and its
 * terms: *terms[0, *n_out), distinct and owned by the plan, and lead[i]
 * non-zero for those of which every matching passage has one.  Any other
 * plan returns 0: it needs query_plan_count().
 */
int query_plan_fast(const query_plan *p, const char *const **terms,
		    const unsigned char **lead, size_t *n_out);

/*
 * query_plan_count() from a passage's terms alone, for a plan that takes
 * the fast count: present[i] and wdf[i] for each term of
 * query_plan_fast().  The same *matched and *hits as query_plan_count()
 * on the passage matched by the plan's Xapian query (0 when Xapian would
 * not match it), never truncated.  Returns 0; 1 when the passage has more
 * matches than the evaluator keeps (never seen), and only
 * query_plan_count() counts it the same; 2 when it matched but words that
 * may share a position were counted (a compound and its parts), and
 * query_plan_count_positions() on the passage gives the exact *hits; or a
 * DICTA_E* code.
 */
int query_plan_count_terms(query_plan *p, const unsigned char *present,
			   const uint32_t *wdf, int *matched, uint64_t *hits);
/* After query_plan_count_terms() returned 2, on a view of that passage:
 * the distinct positions of the words it counted, in *hits. */
int query_plan_count_positions(query_plan *p, shim_docview *v, uint64_t *hits);

#endif
