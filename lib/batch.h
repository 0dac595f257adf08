/*
 * batch.h — many queries at once: reading query files (batch.c) and running
 * them through dicta_search_run() (batch_run.c).  `dicta-search --batch`
 * is a thin layer over these; a front end linking libdicta can use them
 * the same way.
 *
 * Query files come in four formats, told apart by their content
 * (batch_detect) or named by the caller:
 *
 *   tsv     id<TAB>query, one per line; a first line "id<TAB>query" (or
 *           qid, query_id, query-id, _id as the first field) is a header
 *   jsonl   one JSON object per line with "_id" or "id" (a string or an
 *           integer) and "text" or "query" (a string): BEIR queries.jsonl
 *   aila    id||text, one per line: the FIRE AILA 2019 queries.txt
 *   trec    TREC topics: <top> <num> Number: 301 <title> ... </top>; the
 *           query is the title (the description when there is no title)
 *
 * Blank lines are ignored everywhere, and lines starting with '#' in the
 * tsv and aila formats.  A line that cannot be read (no tab, bad JSON, no
 * id, no text, invalid UTF-8, an id seen before) is reported through the
 * skip callback as path, line and reason, and passed over; it never stops
 * the batch.  docs/batch.md describes the formats for users.
 */
#ifndef DICTA_BATCH_H
#define DICTA_BATCH_H

#include <stddef.h>

#include "dicta.h"

typedef enum {
	BATCH_AUTO = 0, /* tell from the content */
	BATCH_TSV,
	BATCH_JSONL,
	BATCH_AILA,
	BATCH_TREC
} batch_format;

/* How a query's text is read (see batch_run_options.syntax). */
typedef enum {
	BATCH_SYNTAX_AUTO = 0, /* text for jsonl, aila and trec; query for tsv */
	BATCH_SYNTAX_TEXT,     /* free text: query-language operators are
				* neutralised before searching */
	BATCH_SYNTAX_QUERY     /* the engine's query language, as typed */
} batch_syntax;

/* What is done with long free-text queries. */
typedef enum {
	BATCH_LONG_SELECT = 0, /* search for the most informative words only
				* (query_select.h); the default */
	BATCH_LONG_ALL         /* search for every word */
} batch_long_query;

typedef struct {
	char *id;
	char *text;  /* as read: UTF-8, NUL-terminated, never empty */
	long line;   /* line of the file it starts on, from 1 */
} batch_query;

typedef struct {
	batch_query *q;
	size_t n, cap;
	batch_format format; /* the format read (never BATCH_AUTO) */
} batch_queries;

/* Called for each line or topic that is skipped: the file's name, the
 * line (from 1) and the reason, such as "no tab between id and query". */
typedef void (*batch_skip_fn)(const char *path, long line, const char *reason,
			      void *payload);

/* "tsv", "jsonl", "aila", "trec" (and "auto"); NULL for other values. */
const char *batch_format_name(batch_format f);

/* Parse a format name as above; returns 0, or DICTA_EINVAL for an unknown
 * name (message set). */
int batch_format_parse(batch_format *out, const char *name);

/*
 * The format of a query file from its first lines: "<top" starts TREC
 * topics, "{" JSON Lines; otherwise whichever of a tab or "||" occurs in
 * more of the first 50 non-blank lines (tsv wins a tie).  BATCH_AUTO when
 * none of these is seen (the caller reports it and asks for
 * --batch-format).
 */
batch_format batch_detect(const char *data, size_t len);

/*
 * Read queries from data[0, len) in format fmt (BATCH_AUTO: detected),
 * appending them to *out (zeroed by the caller, or a previous result).
 * name is the file name used in skip reports.  Returns 0, DICTA_EINVAL if
 * the format cannot be told (message set), DICTA_ENOMEM.
 */
int batch_parse(batch_queries *out, const char *name, const char *data,
		size_t len, batch_format fmt, batch_skip_fn on_skip,
		void *payload);

/* The same for a file; DICTA_EIO if it cannot be read ("-" is stdin). */
int batch_read(batch_queries *out, const char *path, batch_format fmt,
	       batch_skip_fn on_skip, void *payload);

void batch_queries_free(batch_queries *qs);

/* Read the whole file path ("-" is stdin) into a malloc'd buffer with a
 * NUL after its *len_out bytes.  DICTA_EIO (message naming the file and
 * the reason) or DICTA_ENOMEM.  Also used for qrels and runs (eval.c). */
int batch_slurp(char **out, size_t *len_out, const char *path);

/*
 * Rewrite free text so that no character of it is taken for a query
 * operator: quotes, parentheses, brackets, braces, control characters and
 * ! * / : & % ^ ~ \ | ? < > = # become spaces, as do + and - at the
 * start of a word (so "w/5", "/s" and "+3" lose their meaning).  A '/'
 * or ':' between two word characters stays ("TRAF1/C5", "1:22-cr-00417",
 * "and/or": the analyzer cuts them as in the documents) unless the word
 * would then start a connector ("w/5", "pre/s") or name a field
 * ("title:x", "IL-6:IL-10"), where it becomes a space too.  AND, OR,
 * NOT, BUT, NEAR, SENTENCE and PARAGRAPH written in capitals are lowered.
 * Word characters and in-word punctuation ("U.S.C.", "23-1732", "O'Neill")
 * are kept, so the words analyzed are the same.  Returns a malloc'd string
 * or NULL on ENOMEM.
 */
char *batch_text_escape(const char *text);

/*
 * Escaped free text (batch_text_escape) with the parts of its compounds
 * added at the end: "IL-6 blocks TNF-alpha/IL-1" gets " il 6 tnf alpha
 * il 1", so a claim's "IL-6" also finds an abstract's "IL 6" or the "6"
 * of "interleukin-6", whose parts the indexer indexes (analyze_parts).  The compound itself stays, so documents with it rank
 * first.  Only natural-language batch queries get this; a search typed in
 * the query language keeps "23-1732" as one identifier.  NULL on ENOMEM.
 */
char *batch_text_add_parts(const char *escaped);

/* ------------------------------------------------------------- running */

#define BATCH_DEFAULT_MAX_TERMS 20

typedef struct {
	dicta_search_options search; /* k, unit, passages, ranking options */
	batch_syntax syntax;
	batch_long_query long_query;
	size_t max_terms;            /* words kept of a long query (0: the
				      * default, BATCH_DEFAULT_MAX_TERMS) */
} batch_run_options;

int batch_run_options_init(batch_run_options *o);

/* One query's outcome, handed to the callback of batch_run. */
typedef struct {
	const batch_query *query;
	const char *searched;     /* the text given to dicta_search_run */
	const dicta_results *res; /* NULL when the query failed */
	int rc;                   /* 0, or the DICTA_E* code of the failure */
	const char *error;        /* the message when rc != 0, else "" */
	double seconds;           /* time taken by this query */
} batch_outcome;

/* Return 0 to go on, non-zero to stop the batch (batch_run returns it). */
typedef int (*batch_outcome_fn)(const batch_outcome *o, size_t i, size_t n,
				void *payload);

/*
 * Run every query of qs in order against idx, calling on_outcome after
 * each with its results (valid only during the call).  A query that fails
 * (a query-language error, say) is reported to the callback with rc set
 * and the batch goes on; an index that cannot be read (DICTA_EIO,
 * DICTA_ECORRUPT, DICTA_ENOMEM) stops it and is returned.  Free-text
 * queries (syntax) are escaped with batch_text_escape, and, with
 * BATCH_LONG_SELECT, those of more than max_terms distinct words are cut
 * down to their max_terms most informative words (query_select.h).
 */
int batch_run(dicta_index *idx, const batch_queries *qs,
	      const batch_run_options *opts, batch_outcome_fn on_outcome,
	      void *payload);

#endif
