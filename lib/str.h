/*
 * str.h — search term reports (docs/search-term-reports.md): a list of
 * search strings run over a searchable set of documents, with exact
 * counts per string, totals and the overlap between strings, written for
 * people and for the other side of a case.
 *
 *   str_terms.c   reads the file of search strings, reporting bad lines
 *   str.c         counts: every matching passage is visited and checked
 *                 (no estimates, no top-k), documents, passages, hits,
 *                 unique documents, families, totals and overlaps
 *   str_csv.c, str_json.c, str_xlsx.c, str_html.c   write a report
 *
 * searcher/terms_cli.c is the command line over it (dicta-search --terms).
 */
#ifndef DICTA_STR_H
#define DICTA_STR_H

#include <stdint.h>
#include <stdio.h>

#include "dicta.h"

/* At most this many search strings in one report (the overlap matrix
 * grows as the square); further lines are reported and skipped. */
#define STR_MAX_STRINGS 2000

/* One search string and, once str_run() has run, its counts. */
typedef struct {
	long line;          /* its line in the terms file, from 1 */
	char *label;        /* the label before the tab, else the query */
	char *query;
	/* Filled in by str_run(). */
	char *error;        /* NULL when the string ran, else why it did not
			     * (the query parser's message) */
	int error_column;   /* 1-based column of the error in query, 0: none */
	uint64_t documents; /* documents of the set with a matching passage */
	uint64_t passages;  /* passages of the set that match */
	uint64_t hits;      /* matches in those passages (see the docs) */
	uint64_t unique;    /* documents hit by this string and no other */
	uint64_t family;    /* documents of the set in the family of a hit one */
	int truncated;      /* some passage had more matches than are kept:
			     * hits is a lower bound (never seen in practice) */
	int fast;           /* counted by the fast count, from the terms'
			     * frequencies (the same numbers; see the docs) */
} str_string;

/* A line of the terms file that was not a search string. */
typedef struct {
	long line;
	char *reason;
} str_skip;

typedef struct {
	str_string *s;
	size_t n, cap;
	str_skip *skips;
	size_t nskips, capskips;
} str_terms;

/*
 * Read a terms file held in text[0, len): one search string per line,
 * "label<TAB>query" or the query alone (then the query is its label);
 * blank lines and lines whose first non-blank character is '#' are
 * ignored.  A line that cannot be a search string (not UTF-8, a NUL byte,
 * nothing before or after the tab, a label or query already given on an
 * earlier line, beyond STR_MAX_STRINGS) is reported through on_skip (may
 * be NULL) as (path, line, reason), kept in out->skips and passed over.
 * Returns 0, or DICTA_ENOMEM.  *out is zeroed first; free it with
 * str_terms_free().
 */
int str_terms_parse(str_terms *out, const char *path, const char *text,
		    size_t len,
		    void (*on_skip)(const char *path, long line,
				    const char *reason, void *payload),
		    void *payload);
void str_terms_free(str_terms *t);

typedef struct {
	const char *index_path; /* shown in the report's parameters */
	const char *terms_path;
	const char *within;     /* the searchable set: documents with a passage
				 * matching this query; NULL for all */
	/* Called after each string with how many are done (may be NULL). */
	void (*on_progress)(size_t done, size_t n, void *payload);
	void *payload;
} str_options;

/* A report: the strings (borrowed from the str_terms given to str_run,
 * which must outlive it), the searchable set and the totals. */
typedef struct {
	str_terms *terms;
	char *index_path, *terms_path, *within; /* "" when not given */
	char created[32];         /* UTC, ISO 8601 */
	double seconds;           /* time the counting took */
	uint64_t set_documents;   /* the searchable set */
	uint64_t set_passages;
	uint64_t hit_documents;   /* documents hit by at least one string */
	uint64_t hit_family;      /* ... or in the family of such a document */
	size_t failed;            /* strings that did not run */
	int truncated;            /* some string's hits is a lower bound */
	uint64_t *overlap;        /* n x n, row-major: documents hit by both
				   * string i and string j; [i][i] = documents
				   * of i */
} str_report;

/*
 * Run every string of t over idx and fill in its counts, and *out with the
 * totals.  Every matching passage is visited and checked exactly (the
 * query evaluator of query_eval.c), so the counts are exact.  A string
 * that cannot be parsed or compiled gets its error and column and counts
 * nothing; the others still run.  opts->within that cannot be parsed is
 * DICTA_EQUERY (message and column set).  If a writer commits meanwhile
 * the index is reopened and the whole report counted again.  Returns 0 or
 * a DICTA_E* code; *out is freed with str_report_clear().
 */
int str_run(str_report *out, dicta_index *idx, str_terms *t,
	    const str_options *opts);
void str_report_clear(str_report *r);

/* part as a percentage of whole (0 when whole is 0). */
double str_pct(uint64_t part, uint64_t whole);

/* Overlap of strings i and j (documents hit by both). */
uint64_t str_overlap(const str_report *r, size_t i, size_t j);

/*
 * The writers (formats in docs/search-term-reports.md).  Each returns 0,
 * or DICTA_EIO when the output cannot be written (DICTA_ENOMEM).
 *   CSV   the table, one row per string, then the totals rows
 *   JSON  everything: parameters, strings, totals, overlap, skipped lines
 *   XLSX  a workbook: the table, the overlap matrix, the parameters
 *   HTML  one self-contained page: table, chart, totals, overlap
 */
int str_csv_write(FILE *f, const str_report *r);
int str_json_write(FILE *f, const str_report *r);
int str_xlsx_write(const char *path, const str_report *r);
int str_html_write(FILE *f, const str_report *r, const char *title);

#endif
