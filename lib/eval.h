/*
 * eval.h — relevance evaluation as trec_eval computes it: relevance
 * judgments (qrels), runs, and the measures MAP, P@5, P@10, nDCG@10,
 * nDCG@20, R@100, R@1000 and MRR, per query and averaged.  Used by
 * dicta-eval and by `dicta-search --batch ... --qrels`; the rules, and
 * where they follow trec_eval 9.0 to the letter, are in docs/evaluation.md.
 *
 * In short (trec_eval's defaults):
 *   - a run's documents for a query are ranked by score, highest first,
 *     ties broken by document id in *descending* strcmp order; the rank
 *     column of a run file is ignored;
 *   - a document is relevant when its judgment is at least 1; unjudged
 *     documents count as not relevant;
 *   - nDCG's gain is the judgment itself (0 for negative ones), discounted
 *     by log2(rank + 1); the ideal ranking is the judgments sorted;
 *   - only queries that are both in the qrels and in the run are evaluated
 *     and averaged, including queries whose judgments hold no relevant
 *     document (they score 0); with `complete` (trec_eval -c), every query
 *     of the qrels is averaged, those missing from the run scoring 0.
 */
#ifndef DICTA_EVAL_H
#define DICTA_EVAL_H

#include <stddef.h>
#include <stdio.h>

/* The measures, in the order reports print them. */
typedef enum {
	EVAL_MAP = 0,
	EVAL_P5,
	EVAL_P10,
	EVAL_NDCG10,
	EVAL_NDCG20,
	EVAL_R100,
	EVAL_R1000,
	EVAL_MRR,
	EVAL_NMEASURES
} eval_measure;

/* trec_eval's name of measure m ("map", "P_5", "ndcg_cut_10",
 * "recall_100", "recip_rank", ...). */
const char *eval_measure_name(eval_measure m);
/* A short label for people ("MAP", "P@5", "nDCG@10", "R@100", "MRR"). */
const char *eval_measure_label(eval_measure m);
/* The measure named name (either form, any case); -1 if none. */
int eval_measure_parse(const char *name);

/* Called for each line skipped while reading qrels or a run. */
typedef void (*eval_skip_fn)(const char *path, long line, const char *reason,
			     void *payload);

/* ------------------------------------------------------------- qrels */

typedef struct eval_qrels eval_qrels;

/*
 * Read judgments from data[0, len): TREC qrels lines "qid iter docid rel"
 * (white-space separated), or BEIR TSV "query-id<TAB>corpus-id<TAB>score"
 * with or without its header line; the kind is told by the number of
 * fields of the first line.  A malformed line (wrong number of fields, a
 * judgment that is not an integer) or a second judgment of the same
 * document for the same query is reported through on_skip and passed over
 * (trec_eval refuses such files instead).  Blank lines and lines starting
 * with '#' are ignored.  DICTA_EINVAL if no judgment could be read.
 */
int eval_qrels_parse(eval_qrels **out, const char *name, const char *data,
		     size_t len, eval_skip_fn on_skip, void *payload);
int eval_qrels_read(eval_qrels **out, const char *path, eval_skip_fn on_skip,
		    void *payload);
void eval_qrels_free(eval_qrels *q);

/* Number of queries judged. */
size_t eval_qrels_queries(const eval_qrels *q);
/* Non-zero if query qid has judgments. */
int eval_qrels_has_query(const eval_qrels *q, const char *qid);
/* The judgment of docid for qid; *judged receives 0 when there is none
 * (and 0 is returned). */
int eval_qrels_get(const eval_qrels *q, const char *qid, const char *docid,
		   int *judged);
/* Number of relevant documents (judgment >= 1) of qid. */
size_t eval_qrels_relevant(const eval_qrels *q, const char *qid);
/* The relevant documents of qid, in docid order: *ids points into q. */
size_t eval_qrels_relevant_ids(const eval_qrels *q, const char *qid,
			       const char *const **ids);

/* --------------------------------------------------------------- runs */

typedef struct eval_run eval_run;

int eval_run_new(eval_run **out);
void eval_run_free(eval_run *r);

/* Add one retrieved document.  A document given twice for a query keeps
 * its first score (the second is reported as an error: DICTA_EINVAL). */
int eval_run_add(eval_run *r, const char *qid, const char *docid,
		 double score);

/*
 * Read a TREC run, six white-space separated columns per line:
 * "qid Q0 docid rank score tag" (further columns ignored).  Malformed
 * lines (fewer columns, a score that is not a number) and repeated
 * documents of a query are reported through on_skip and passed over.
 * Blank lines and lines starting with '#' are ignored.
 */
int eval_run_parse(eval_run **out, const char *name, const char *data,
		   size_t len, eval_skip_fn on_skip, void *payload);
int eval_run_read(eval_run **out, const char *path, eval_skip_fn on_skip,
		  void *payload);

/* Number of queries in the run. */
size_t eval_run_queries(const eval_run *r);

/* --------------------------------------------------------- measuring */

typedef struct {
	char *qid;
	double v[EVAL_NMEASURES];
	size_t num_ret;     /* documents retrieved */
	size_t num_rel;     /* relevant documents judged */
	size_t num_rel_ret; /* relevant documents retrieved */
	int in_run;         /* 0 for a query only in the qrels (complete) */
} eval_query;

typedef struct {
	eval_query *q;      /* evaluated queries, in qid order (strcmp) */
	size_t n;
	double mean[EVAL_NMEASURES];
	size_t num_queries; /* what the means divide by */
	size_t num_ret, num_rel, num_rel_ret; /* totals */
	size_t run_only;    /* queries of the run without judgments */
} eval_result;

/*
 * Evaluate run against qrels as described at the top.  complete != 0 is
 * trec_eval's -c.  DICTA_EINVAL when no query is both judged and in the
 * run (trec_eval fails then too), unless complete is set and the qrels
 * hold a query.  Free with eval_result_free.
 */
int eval_compute(eval_result *out, const eval_qrels *qrels,
		 const eval_run *run, int complete);
void eval_result_free(eval_result *res);

/*
 * Evaluate the documents of one query (docids[i] with scores[i], any
 * order) against the judgments of qid, as eval_compute does.  For the
 * batch reports, which measure each query as it finishes.
 */
int eval_query_compute(eval_query *out, const eval_qrels *qrels,
		       const char *qid, const char *const *docids,
		       const double *scores, size_t n);

/* Print measures the way trec_eval does ("map\tall\t0.1234"): per query
 * (when per_query) and the averages, with num_q, num_ret, num_rel and
 * num_rel_ret.  Writes to f. */
void eval_print_trec(FILE *f, const eval_result *res, int per_query);

#endif
