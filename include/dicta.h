/*
 * dicta.h — the public C API of dicta, a full-text search engine for legal
 * documents that ranks passages.
 *
 * Everything the command-line tools do goes through this header; a front end
 * that links libdicta can do the same.  Conventions (after libgit2):
 *
 *   - Opaque handles, created by dicta_<noun>_open/_new and released by the
 *     matching _free; every _free accepts NULL and does nothing.
 *   - Functions return int: 0 on success, a negative DICTA_E* code on error.
 *     The message for the last error on the calling thread is returned by
 *     dicta_error_last(); it stays valid until the next dicta call on that
 *     thread fails.
 *   - Output parameters come first and are named out.
 *   - Options structs start with `int version`; set it to the matching
 *     DICTA_*_OPTIONS_VERSION, or call the _init function.
 *
 * Threads: a dicta_index handle is not safe to use from two threads at once;
 * open one handle per thread.  Results are plain memory and may be read from
 * any thread once returned.  dicta_error_last() is thread-local.
 *
 * Copyright (C) 2026 the dicta developers.  GPL-2.0-or-later.
 */
#ifndef DICTA_H
#define DICTA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DICTA_VERSION "0.1.0"

/* Error codes.  Callers act on the specific ones; anything else is -1. */
enum {
	DICTA_OK = 0,
	DICTA_ERROR = -1,     /* generic failure; see dicta_error_last() */
	DICTA_ENOTFOUND = -2, /* index or document does not exist */
	DICTA_ELOCKED = -3,   /* another writer holds the index lock */
	DICTA_EQUERY = -4,    /* the query could not be parsed */
	DICTA_ECORRUPT = -5,  /* the index is damaged */
	DICTA_EINVAL = -6,    /* a bad argument */
	DICTA_ENOMEM = -7,    /* out of memory */
	DICTA_EIO = -8,       /* a read or write failed (disk full, permissions) */
	DICTA_EMODIFIED = -9  /* the index changed under a reader; reopen */
};

/* The message of the last error on this thread, never NULL ("" if none). */
const char *dicta_error_last(void);

/* For a query error: the 1-based column (in characters) where parsing failed,
 * or 0 when the last error was not a query error or has no position. */
int dicta_error_column(void);

/* ---------------------------------------------------------------- index */

typedef struct dicta_index dicta_index;

/* Open flags. */
#define DICTA_OPEN_READ 0   /* read-only; the index must exist */
#define DICTA_OPEN_WRITE 1  /* read-write; create the index if it is missing */

/*
 * Open the index in directory `path`.  With DICTA_OPEN_READ a missing
 * directory or one that is not a dicta index gives DICTA_ENOTFOUND.  With
 * DICTA_OPEN_WRITE a second writer gives DICTA_ELOCKED.  The handle is freed
 * with dicta_index_free(), which for a writer commits nothing: call
 * dicta_index_commit() first.
 */
int dicta_index_open(dicta_index **out, const char *path, int flags);
void dicta_index_free(dicta_index *idx);

/*
 * One document to add.  All strings are UTF-8 and NUL-terminated except
 * text, which is text_len bytes (it may contain invalid UTF-8: such bytes are
 * replaced by U+FFFD before storing, so stored offsets refer to the cleaned
 * text).  Any field but id and text may be NULL.  meta_json, if not NULL, is
 * a JSON object of further metadata kept with the document.
 */
#define DICTA_DOCUMENT_VERSION 1
typedef struct {
	int version;
	const char *id;
	const char *title;
	const char *date;     /* ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD */
	const char *type;     /* article, indictment, order, statute, ... */
	const char *court;
	const char *citation;
	const char *lang;     /* ISO 639-1 ("en", "es", ...); NULL = default */
	const char *source;   /* where it came from: path[:line] */
	const char *meta_json;
	const char *text;
	size_t text_len;
} dicta_document;

/*
 * Add a document, replacing any document with the same id (all its passages
 * and its stored text).  The change is part of the current batch and becomes
 * visible to readers, all at once, at the next dicta_index_commit().
 * Returns DICTA_EINVAL for a missing id.
 */
int dicta_index_add(dicta_index *idx, const dicta_document *doc);

/* Delete the document with this id and all its passages.  DICTA_ENOTFOUND if
 * there is none. */
int dicta_index_delete(dicta_index *idx, const char *id);

/* Make every change since the last commit durable and visible, atomically. */
int dicta_index_commit(dicta_index *idx);

/* Set the language of documents that do not name one: an ISO 639-1 code,
 * or "auto" (the default) to guess it from the text among en, es, de, fr,
 * it, pt and nl, falling back to English when no language stands out. */
int dicta_index_set_default_lang(dicta_index *idx, const char *lang);

/* ------------------------------------------------------------- ingest */

/* Progress of dicta_index_add_path(), reported through on_progress. */
typedef struct {
	uint64_t files;       /* files read so far */
	uint64_t documents;   /* documents added */
	uint64_t passages;    /* passages indexed */
	uint64_t skipped;     /* files or lines skipped */
	uint64_t bytes;       /* bytes of input files read (compressed for .gz) */
	uint64_t total_bytes; /* bytes of all input files (known after the scan) */
	uint64_t text_bytes;  /* bytes of document text indexed */
} dicta_ingest_stats;

#define DICTA_INGEST_OPTIONS_VERSION 1
typedef struct {
	int version;
	/* Called for each skipped file or line: path, line (0 for a whole file),
	 * and a reason such as "invalid JSON: ..." or "empty file". */
	void (*on_skip)(const char *path, long line, const char *reason,
			void *payload);
	/* Called now and then with the totals so far. */
	void (*on_progress)(const dicta_ingest_stats *stats, void *payload);
	/* Commit after this many documents (0 = only at the end). */
	uint64_t commit_every;
	void *payload;
} dicta_ingest_options;

int dicta_ingest_options_init(dicta_ingest_options *opts);

/*
 * Read a file or a directory tree and add every document found in it:
 * .txt, .md (YAML front matter), .jsonl and .jsonl.gz.  A document's id is
 * its JSON id, else its path relative to `path` (for a single file: its
 * name).  A file or line that cannot be read is reported through on_skip,
 * counted, and passed over; it never stops the run.  Totals are added to
 * *stats (which the caller zeroes).  Returns an error only when the index
 * cannot be written or `path` does not exist.
 */
int dicta_index_add_path(dicta_index *idx, const char *path,
			 const dicta_ingest_options *opts,
			 dicta_ingest_stats *stats);

/* ------------------------------------------------------------- search */

/* Result order. */
#define DICTA_SORT_RELEVANCE 0 /* best passage first (default) */
#define DICTA_SORT_DATE 1      /* newest document date first, then relevance;
				* documents without a date last */
/* What a result is. */
#define DICTA_UNIT_DOCUMENT 0  /* a document with its best passages (default) */
#define DICTA_UNIT_PASSAGE 1   /* one passage; a document may appear again */

#define DICTA_SEARCH_OPTIONS_VERSION 1
typedef struct {
	int version;
	size_t k;          /* results to return (default 10) */
	size_t offset;     /* results to skip (default 0) */
	size_t passages;   /* best passages per document (default 1) */
	int sort;          /* DICTA_SORT_* */
	int unit;          /* DICTA_UNIT_* */
} dicta_search_options;

int dicta_search_options_init(dicta_search_options *opts);

/* A byte range [start, end) in a document's text. */
typedef struct {
	size_t start, end;
} dicta_span;

typedef struct {
	unsigned ordinal;             /* passage number in its document, from 0 */
	double score;                 /* BM25 score of the passage */
	size_t start, end;            /* byte range in the document text */
	const char *text;             /* the passage text, NUL-terminated */
	const dicta_span *highlights; /* matched words, document-text offsets */
	size_t nhighlights;
} dicta_passage;

typedef struct {
	const char *id;
	const char *title;    /* "" when unknown, never NULL; likewise below */
	const char *date;
	const char *type;
	const char *court;
	const char *citation;
	const char *lang;
	const char *source;
	double score;         /* the score of the best passage */
	const dicta_passage *passages;
	size_t npassages;
} dicta_hit;

typedef struct dicta_results dicta_results;

/*
 * Run a natural-language ranked query: every word of `query` is analyzed as
 * the documents were, and passages are ranked by BM25; results are grouped
 * per document, best document first, each with its best opts->passages
 * passages.  opts may be NULL for the defaults.  An empty query gives
 * DICTA_EQUERY.  The results are freed with dicta_results_free().
 */
int dicta_search_run(dicta_results **out, dicta_index *idx, const char *query,
		     const dicta_search_options *opts);

size_t dicta_results_count(const dicta_results *res);
const dicta_hit *dicta_results_get(const dicta_results *res, size_t i);
/* The query as given, and Xapian's estimate of the number of matching
 * documents. */
const char *dicta_results_query(const dicta_results *res);
uint64_t dicta_results_estimated(const dicta_results *res);
void dicta_results_free(dicta_results *res);

/* Write results as one JSON object (the schema in docs/search-output.md),
 * followed by a newline, to a malloc'd string the caller frees.  Returns
 * NULL with dicta_error_last() set on failure. */
char *dicta_results_to_json(const dicta_results *res);

/* Write results as text for a person.  color != 0 marks highlights with
 * ANSI bold; otherwise with ** on both sides, visible in a pipe or a file.
 * Returns a malloc'd string, or NULL with dicta_error_last() set. */
char *dicta_results_to_text(const dicta_results *res, int color);

/* --------------------------------------------------------- documents */

/*
 * Fetch a stored document by id: its metadata and full text.  *out is a
 * dicta_hit with npassages == 0, owned by the caller and freed with
 * dicta_document_free().  DICTA_ENOTFOUND if there is no such id.
 * *text_out receives the text (NUL-terminated, owned by *out).
 */
int dicta_document_get(dicta_hit **out, const char **text_out,
		       size_t *text_len_out, dicta_index *idx, const char *id);
void dicta_document_free(dicta_hit *doc);

/* Counts of the index as it was at open or last commit. */
typedef struct {
	uint64_t documents;
	uint64_t passages;
	uint64_t terms;
} dicta_index_stats;

int dicta_index_stats_get(dicta_index_stats *out, dicta_index *idx);

#ifdef __cplusplus
}
#endif
#endif /* DICTA_H */
