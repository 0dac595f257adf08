/*
 * query_eval.h — between query.c, which compiles a query, and
 * query_eval.c, which evaluates the compiled query on one passage: what
 * each leaf of the tree matches, and the plan that holds the evaluator's
 * scratch space.  Internal to those two files.
 */
#ifndef DICTA_QUERY_EVAL_H
#define DICTA_QUERY_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "query.h"
#include "query_parse.h"

/* What a leaf of the tree (a term node) matches in a passage. */
typedef enum {
	LEAF_NONE,        /* not a leaf */
	LEAF_WORDS,       /* positions of the listed words */
	LEAF_WORD_PREFIX, /* positions of the passage's words starting with
			   * prefix (and matching pattern, if set) */
	LEAF_TERMS,       /* present if any listed term is: field terms */
	LEAF_TERM_PREFIX  /* present if a term starting with prefix (and
			   * matching pattern) is */
} leaf_kind;

typedef struct {
	leaf_kind kind;
	char **terms;
	size_t nterms;
	char *prefix;   /* LEAF_*_PREFIX */
	size_t plen;
	char *pattern;  /* NULL: every term with the prefix */
	size_t patlen;
	uint32_t *widx; /* LEAF_WORDS: index of each term in the plan's words */
	/* The node's terms in the Xapian query: stems, exact words or
	 * expansions, OR'd (SYNONYM for an expansion). */
	char **xterms;
	size_t nxterms;
	int synonym;
	/* The fast count: the index of each term (ft) and each Xapian term
	 * (fx) in the plan's fast terms. */
	uint32_t *ft, *fx;
} qleaf;

/* One way a node matched: words [start, end] of the passage; a and b are
 * the matches of a connector's two sides (indices in the pool), -1 for a
 * word or phrase, whose words are all of start..end. */
typedef struct {
	uint32_t start, end;
	int32_t a, b;
} qmatch;

/* Matches kept per passage: a connector over frequent words could pair
 * every occurrence with every other; beyond this many pairs the rest are
 * not looked at (the passage still matches if a pair was found). */
#define QEVAL_MAX_MATCHES 65536

struct query_plan {
	dicta_index *idx;
	qast *ast;
	const qnode **nodes; /* by id */
	size_t nnodes;
	qleaf *leaves;       /* by node id */
	shim_query *xq;
	query_terms terms;
	int natural;
	int check;           /* the Xapian query over-matches: check passages */
	int structure;       /* /s, /p: read sentence starts */
	/* Every word a LEAF_WORDS leaf looks up, sorted and unique: a passage
	 * is asked once which of them it has, and only those are read. */
	char **words;
	size_t nwords;
	/* The fast count (query_plan_fast): set when a passage's count
	 * follows from which terms it has and their frequencies; every term
	 * the leaves read or Xapian matches, sorted and unique (the strings
	 * belong to the leaves), and by term whether it is a lead. */
	int fast;
	char **fterms;
	size_t nfterms;
	unsigned char *flead;
	/* by term: whether it is a word also indexed as a part of a compound
	 * (META_PART), which may share a position with another word: 0 not
	 * looked up yet, 1 no, 2 yes (qplan_term_is_part) */
	unsigned char *fpart;

	/* Scratch of the evaluator, reused from passage to passage. */
	struct {
		qmatch *pool;
		size_t npool, cappool;
		uint32_t *list; /* slices of pool indices, one per node */
		size_t nlist, caplist;
		size_t *off, *n; /* by node id: its slice of list */
		unsigned char *matched;
		uint32_t *pos;   /* positions gathered for a leaf */
		size_t npos, cappos;
		uint32_t *sent, *para; /* sentence and paragraph starts */
		size_t nsent, npara, capsent, cappara;
		int truncated;
		unsigned char *seen; /* for highlighting: pool entries visited */
		size_t capseen;
		unsigned char *present; /* by index in words: in this passage */
		int have_present;
		unsigned char *counted; /* by fast term: its hits are counted */
		uint32_t *cidx; /* the fast terms counted in the last passage */
		size_t ncidx;
		uint32_t *upos; /* positions of the counted words, for their union */
		size_t capupos;
	} ev;
};

/* Does s[0, sl) match pattern pat[0, pl), where '*' stands for any run of
 * bytes? */
int qglob_match(const char *pat, size_t pl, const char *s, size_t sl);

/*
 * Evaluate the plan on one passage: *matched receives whether the passage
 * satisfies the whole query; with hl not NULL, *hl receives the positions
 * of the words that satisfied it (malloc'd, ascending, unique; NULL when
 * none) and *nhl their number.  Returns 0 or a DICTA_E* code.
 */
int qeval_passage(query_plan *p, shim_docview *v, int *matched, uint32_t **hl,
		  size_t *nhl);

/*
 * After qeval_passage() on a passage that matched: the number of distinct
 * word spans [first, last] that satisfied the query, in *out.  A word
 * counts its occurrences, a phrase its occurrences, a connector each
 * distinct span of a pair within reach; OR, AND and a natural query count
 * the union of their parts' spans, NOT its left side; fields, dates and
 * exclusions count nothing.  Returns 0 or DICTA_ENOMEM.
 */
int qeval_hits(query_plan *p, uint64_t *out);

/*
 * The fast count of a passage from its terms alone (query_plan_fast):
 * present[i] and wdf[i] for each of p->fterms.  *matched as the Xapian
 * query and qeval_passage() together decide it, and *hits as
 * qeval_hits() counts them.  Returns 0; 1 when only qeval_passage() gives
 * the same count (the evaluator would keep fewer matches than the passage
 * has, QEVAL_MAX_MATCHES); 2 when the passage matched and two or more
 * distinct words were counted, which may share a position (a compound and
 * its parts, analyze.h): *hits, their summed wdf, may then count one
 * position twice, and qeval_terms_positions() must be called next for the
 * exact count; or DICTA_ENOMEM.
 */
int qeval_terms(query_plan *p, const unsigned char *present, const uint32_t *wdf,
		int *matched, uint64_t *hits);

/* After qeval_terms() returned 2, on a view of the same passage: *hits =
 * the number of distinct positions of the words it counted.  Returns 0 or
 * a DICTA_E* code. */
int qeval_terms_positions(query_plan *p, shim_docview *v, uint64_t *hits);

/* Whether the Xapian query of a plan fit for the fast count matches a
 * passage with the given terms (present by p->fterms). */
int qeval_terms_xapian(const query_plan *p, const unsigned char *present);

/* query.c: *is_part = whether fast term i of p is a word the indexer
 * also wrote as a part of a compound (metadata META_PART + word in some
 * shard), looked up once per plan.  Returns 0 or a DICTA_E* code. */
int qplan_term_is_part(query_plan *p, size_t i, int *is_part);

/* Release the evaluator's scratch. */
void qeval_free(query_plan *p);

#endif
