/*
 * xapian_shim.h — the C face of the one C++ file.  It wraps exactly the parts
 * of Xapian that dicta uses (databases, documents, queries, enquire) in opaque
 * handles.  No exception crosses it: every function catches everything, maps
 * the Xapian exception to a DICTA_E* code, keeps the exception's description
 * as the message (dicta_error_last()), and returns that code (or NULL).
 *
 * The shim holds no dicta logic: term names, value slots and record formats
 * are decided by the C callers (index.c, search.c, store.c).
 */
#ifndef DICTA_XAPIAN_SHIM_H
#define DICTA_XAPIAN_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct shim_db shim_db;
typedef struct shim_doc shim_doc;
typedef struct shim_query shim_query;
typedef struct shim_mset shim_mset;

/* ---- databases */

/* Open a Xapian database.  writable: create it if missing, take the write
 * lock (DICTA_ELOCKED if held; with writable == SHIM_WRITE_WAIT, wait for
 * it instead).  Read-only (0): DICTA_ENOTFOUND if missing. */
#define SHIM_WRITE 1
#define SHIM_WRITE_WAIT 2
int shim_db_open(shim_db **out, const char *path, int writable);
void shim_db_free(shim_db *db);

/* One handle that reads the databases parts[0..n) as one (Xapian's
 * multi-database: document ids interleave, statistics are global).  The
 * group shares the parts' state, a writable part's uncommitted changes
 * included; free the group before its parts. */
int shim_db_group(shim_db **out, shim_db *const *parts, size_t n);

/* Write a compacted copy of db's latest commit to a new database at
 * output (Xapian's compactor; document ids kept). */
int shim_db_compact(shim_db *db, const char *output);

/* Re-read a read-only database at its latest commit. */
int shim_db_reopen(shim_db *db);

/* Transactions on a writable database: nothing between begin and commit is
 * visible to readers or survives a crash until commit returns 0. */
int shim_db_begin(shim_db *db);
int shim_db_commit(shim_db *db);
int shim_db_cancel(shim_db *db);

/* Add a document; *docid_out (may be NULL) receives its id. */
int shim_db_add(shim_db *db, const shim_doc *doc, unsigned *docid_out);

/* Delete every document indexed by term; *count_out (may be NULL) receives
 * how many there were (counted before deleting). */
int shim_db_delete_term(shim_db *db, const char *term, size_t len,
			unsigned *count_out);

/* Up to max docids of the documents indexed by term, ascending.  *n_out
 * receives how many were written. */
int shim_db_postings(shim_db *db, const char *term, size_t len,
		     unsigned *docids, size_t max, size_t *n_out);

/* Term frequency (documents containing term), 0 if absent. */
int shim_db_termfreq(shim_db *db, const char *term, size_t len,
		     uint64_t *out);

/* Document count and the number of distinct terms with a prefix (all terms
 * for prefix ""). */
int shim_db_doccount(shim_db *db, uint64_t *out);
int shim_db_count_terms(shim_db *db, const char *prefix, uint64_t *out);

/* User metadata: get into a malloc'd buffer (NULL, length 0 if unset). */
int shim_db_get_metadata(shim_db *db, const char *key, char **out,
			 size_t *len_out);
int shim_db_set_metadata(shim_db *db, const char *key, const char *value,
			 size_t len);

/* A stored value of document docid: malloc'd copy in *out (may be empty). */
int shim_db_get_value(shim_db *db, unsigned docid, unsigned slot, char **out,
		      size_t *len_out);
/* The data of document docid: malloc'd copy in *out. */
int shim_db_get_data(shim_db *db, unsigned docid, char **out,
		     size_t *len_out);

/* Call cb for every term starting with prefix, in order; cb returns
 * non-zero to stop. */
int shim_db_allterms(shim_db *db, const char *prefix,
		     int (*cb)(const char *term, size_t len, void *payload),
		     void *payload);

/* Call cb for every document id, ascending; cb returns non-zero to stop. */
int shim_db_all_docids(shim_db *db, int (*cb)(unsigned docid, void *payload),
		       void *payload);

/* ---- documents under construction */

shim_doc *shim_doc_new(void);
void shim_doc_free(shim_doc *doc);
/* A term at a position (wdf + 1). */
int shim_doc_add_posting(shim_doc *doc, const char *term, size_t len,
			 uint32_t pos);
/* A term without position, adding wdfinc to its wdf (0 for a boolean term). */
int shim_doc_add_term(shim_doc *doc, const char *term, size_t len,
		      unsigned wdfinc);
int shim_doc_set_value(shim_doc *doc, unsigned slot, const char *v,
		       size_t len);
int shim_doc_set_data(shim_doc *doc, const char *data, size_t len);

/* ---- queries: immutable trees, built bottom-up.  A combining function
 * copies what it needs; the caller still frees its operands.  NULL is
 * returned on ENOMEM (message set). */

enum shim_op {
	SHIM_OR,        /* any, scores add up */
	SHIM_AND,       /* all */
	SHIM_AND_NOT,   /* first, but none of the others */
	SHIM_FILTER,    /* first, restricted to the others without scoring them */
	SHIM_AND_MAYBE, /* first; the others only add to its score */
	SHIM_SYNONYM,   /* any, scored as if one term */
	SHIM_PHRASE,    /* in order, within window (0 = adjacent) */
	SHIM_NEAR       /* any order, within window */
};

shim_query *shim_query_term(const char *term, size_t len, unsigned wqf,
			    unsigned pos);
shim_query *shim_query_combine(enum shim_op op, shim_query *const *subs,
			       size_t n, unsigned window);
/* Documents whose value in slot lies in [lo, hi] (bytewise); a NULL bound is
 * open. */
shim_query *shim_query_value_range(unsigned slot, const char *lo,
				   const char *hi);
/* The same query with its weights multiplied by factor (0 = boolean). */
shim_query *shim_query_scale(const shim_query *q, double factor);
/* Every term starting with prefix, OR'd (SYNONYM when synonym != 0); at most
 * max_expansion terms: a larger expansion makes shim_search() fail with
 * DICTA_EQUERY. */
shim_query *shim_query_wildcard(const char *prefix, unsigned max_expansion,
				int synonym);
shim_query *shim_query_match_all(void);
void shim_query_free(shim_query *q);
/* Xapian's description of a query (malloc'd), for debugging and tests. */
char *shim_query_describe(const shim_query *q);

/* ---- matching */

typedef struct {
	int collapse_slot;      /* -1 for none */
	unsigned collapse_max;  /* passages kept per collapse key */
	double bm25_k1, bm25_b; /* BM25 parameters */
	int sort_slot;          /* -1 = relevance; else by value then relevance */
	int sort_reverse;       /* with sort_slot: descending */
	unsigned time_limit_ms; /* 0 = none */
} shim_search_opts;

int shim_search(shim_mset **out, shim_db *db, const shim_query *q,
		unsigned offset, unsigned count, const shim_search_opts *opts);

/* ---- looking inside one document (for checks the query cannot express) */

typedef struct shim_docview shim_docview;

/* A view of document docid of db, freed with shim_docview_free. */
int shim_docview_open(shim_docview **out, shim_db *db, unsigned docid);
void shim_docview_free(shim_docview *v);
unsigned shim_docview_docid(const shim_docview *v);
/* The value in slot ("" if unset): *out points into v and stays valid
 * until the next shim_docview_value call on v. */
int shim_docview_value(shim_docview *v, unsigned slot, const char **out,
		       size_t *len_out);
/* The positions of term in the document, ascending (none if the term is
 * absent or has no positions): *out points into v and stays valid until
 * the next shim_docview_positions call on v. */
int shim_docview_positions(shim_docview *v, const char *term, size_t len,
			   const uint32_t **out, size_t *n_out);
/* *out = 1 if the document has term, else 0. */
int shim_docview_has_term(shim_docview *v, const char *term, size_t len,
			  int *out);
/* For terms[0, n), sorted bytewise ascending, present[i] = 1 if the
 * document has terms[i], else 0: one pass over its term list. */
int shim_docview_present(shim_docview *v, const char *const *terms, size_t n,
			 unsigned char *present);
/* Call cb for each term of the document starting with prefix, in order;
 * cb returns non-zero to stop (shim_docview_terms then returns 0). */
int shim_docview_terms(shim_docview *v, const char *prefix, size_t plen,
		       int (*cb)(const char *term, size_t len, void *payload),
		       void *payload);

/*
 * shim_search with a check: accept is called (through a Xapian
 * MatchDecider) for documents that could enter the result, and returns 1
 * to keep the document, 0 to drop it, or a negative DICTA_E* code (with
 * the message set) to fail the search with that code.  The view is valid
 * only during the call.  accept NULL is shim_search.  Weights, collapsing
 * and sorting are as in shim_search, over the accepted documents only.
 */
typedef int (*shim_accept_fn)(shim_docview *v, void *payload);
int shim_search_accept(shim_mset **out, shim_db *db, const shim_query *q,
		       unsigned offset, unsigned count,
		       const shim_search_opts *opts, shim_accept_fn accept,
		       void *payload);

/*
 * Every document matching q, each once: fn is called with a view of it
 * (valid only during the call; in a multi-database its docid is the
 * shard's), and nothing is ranked or cut off, so the calls are the exact
 * match set.  For exact counts (lib/str.c); fn's return is ignored unless
 * negative, a DICTA_E* code (message set) that skips the remaining
 * documents and is returned.
 */
int shim_match_each(shim_db *db, const shim_query *q, shim_accept_fn fn,
		    void *payload);
/*
 * Every document that has at least one of the terms terms[i] with
 * lead[i] != 0, each once, in ascending docid of db (in a multi-database
 * the combined docid, good for shim_docview_open): fn receives the
 * document's value in slot (pointing into a buffer valid during the call,
 * "" if unset) and, for every i, present[i] (1 if the document has
 * terms[i]) and wdf[i] (its within-document frequency, 0 if absent).
 * Reads postings and one value stream only: no document, term list or
 * positions, so it is far cheaper than shim_match_each when these
 * frequencies are all a count needs (lib/str.c).  terms[] must be
 * distinct and non-empty.  fn returns 0 to go on, or a negative DICTA_E*
 * code (message set) that stops the walk and is returned.
 */
typedef int (*shim_postings_fn)(unsigned docid, const char *value, size_t vlen,
				const unsigned char *present, const uint32_t *wdf,
				void *payload);
int shim_postings_each(shim_db *db, const char *const *terms, size_t n,
		       const unsigned char *lead, unsigned slot,
		       shim_postings_fn fn, void *payload);
void shim_mset_free(shim_mset *m);
size_t shim_mset_size(const shim_mset *m);
uint64_t shim_mset_estimated(const shim_mset *m);
unsigned shim_mset_docid(const shim_mset *m, size_t i);
double shim_mset_weight(const shim_mset *m, size_t i);

#ifdef __cplusplus
}
#endif
#endif
