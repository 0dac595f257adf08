/*
 * report.h — writing the outcome of a batch run (batch.h) for tools and
 * for people: a TREC run (report_trec.c), JSON Lines (report_jsonl.c), CSV
 * (report_csv.c) and a self-contained HTML report (report_html.c).  The
 * first three stream, one query at a time; the HTML report keeps the top
 * results of every query and is written at the end, with the evaluation
 * when there are judgments.  The formats are described in docs/batch.md.
 */
#ifndef DICTA_REPORT_H
#define DICTA_REPORT_H

#include <stdio.h>

#include "batch.h"
#include "eval.h"

typedef struct {
	const char *run_tag;     /* the TREC run's last column (default "dicta") */
	int unit;                /* DICTA_UNIT_* the batch ran with */
	const eval_qrels *qrels; /* judgments, or NULL */
} report_options;

/*
 * The id under which a run lists result h: the document id for
 * DICTA_UNIT_DOCUMENT, "id#n" (n the passage ordinal) for
 * DICTA_UNIT_PASSAGE.  White space in an id, which would break the
 * columns of a TREC run, is written as %20, %09, %0A or %0D.  Malloc'd;
 * NULL on ENOMEM.
 */
char *report_result_id(const dicta_hit *h, int unit);

/* A score as the TREC run prints it ("%.6f"), read back: evaluating
 * these gives the numbers trec_eval gives for the run file. */
double report_score(double score);

/*
 * Evaluate one query's results against the judgments (qrels must not be
 * NULL) exactly as the written run would be: result ids as
 * report_result_id, scores as report_score.  *out is freed by the caller
 * (free(out->qid)).
 */
int report_eval_outcome(eval_query *out, const batch_outcome *o,
			const report_options *ro);

/* The run lines of one query: "qid Q0 id rank score tag".  A failed
 * query writes nothing.  Returns 0, or DICTA_EIO / DICTA_ENOMEM. */
int report_trec_query(FILE *f, const batch_outcome *o, const report_options *ro);

/*
 * One JSON object, one line, for a query: "query_id", "query" (as read),
 * "searched" (the text searched, when it differs), "estimated_matches"
 * and "results" as single search prints them (docs/search-output.md);
 * with judgments, each result's "relevance" (the judgment, or null) and
 * the query's "metrics" (m may be NULL to leave them out); for a failed
 * query "error" and empty results.
 */
int report_jsonl_query(FILE *f, const batch_outcome *o, const eval_query *m,
		       const report_options *ro);

/* CSV (RFC 4180, UTF-8): the header line, then one row per query and
 * result; a query without results gets one row with the result columns
 * empty (and its error, if it failed). */
int report_csv_header(FILE *f, const report_options *ro);
int report_csv_query(FILE *f, const batch_outcome *o, const report_options *ro);

/* ------------------------------------------------------------------ HTML */

typedef struct report_html report_html;

typedef struct {
	const char *title;        /* heading; default "Search report" */
	const char *index_path;   /* shown in the heading block */
	const char *batch_path;
	const char *settings;     /* one line describing the run's options */
	size_t shown;             /* results shown per query (default 10) */
	eval_measure chart;       /* the measure charted first (default nDCG@10) */
	report_options ro;
} report_html_options;

int report_html_new(report_html **out, const report_html_options *o);
void report_html_free(report_html *r);

/* Keep what the report shows of one query (m: its measures, or NULL). */
int report_html_add(report_html *r, const batch_outcome *o, const eval_query *m);

/*
 * Write the report: one HTML file with its CSS, script and chart inline
 * (nothing is fetched).  ev (may be NULL) holds the averages; seconds is
 * the batch's running time.  Returns 0 or DICTA_EIO.
 */
int report_html_write(report_html *r, FILE *f, const eval_result *ev,
		      double seconds);

#endif
