/*
 * dicta.h — the public C API of dicta, a full-text search engine for legal
 * documents that ranks passages.
 *
 * Everything the command-line tools do goes through this header; a front end
 * that links libdicta can do the same.  docs/api.md is the guide to it, and
 * examples/minisearch.c a complete small front end.  Conventions (after
 * libgit2):
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
 * open one handle per thread (or lend handles from a pool, each to one thread
 * at a time).  Any number of readers, in any threads and processes, may have
 * an index open while one writer writes it.  Results (dicta_results, a
 * fetched document, strings returned) are plain memory owned by the caller:
 * once returned they may be read from any thread and outlive the handle.
 * dicta_error_last() and dicta_error_column() are per thread.  A
 * dicta_server runs on threads of its own.
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
#define DICTA_OPEN_WAIT 2   /* with DICTA_OPEN_WRITE: wait for another writer
			     * to finish instead of failing with DICTA_ELOCKED */
/* With DICTA_OPEN_WRITE, when the index is created: split it into n shards
 * (1..64; without this flag, one per online processor, at most 8).  A
 * document lives in the shard its id hashes to; shards are written in
 * parallel (dicta_ingest_options.jobs) and searched as one.  The count is
 * fixed at creation; on an existing index this flag is ignored. */
#define DICTA_OPEN_SHARDS(n) (((n) & 0xff) << 8)
#define DICTA_OPEN_SHARDS_OF(flags) (((unsigned)(flags) >> 8) & 0xff)

/*
 * Open the index in directory `path`.  With DICTA_OPEN_READ a missing
 * directory or one that is not a dicta index gives DICTA_ENOTFOUND.  With
 * DICTA_OPEN_WRITE a second writer gives DICTA_ELOCKED, whose message names
 * the process holding the lock when it is known.  The handle is freed
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

/* What dicta_index_put() did with a document. */
#define DICTA_CHANGE_ADDED 1     /* new id */
#define DICTA_CHANGE_REPLACED 2  /* an existing id whose content changed */
#define DICTA_CHANGE_UNCHANGED 3 /* the same content (text and metadata other
				  * than source) was already stored: no write */

/*
 * dicta_index_add(), telling in *out_change (may be NULL) which of the
 * DICTA_CHANGE_* it was.  Identity is the id; "the same content" is decided
 * by a 64-bit hash of the text and metadata stored with each document.
 */
int dicta_index_put(int *out_change, dicta_index *idx,
		    const dicta_document *doc);

/* Delete the document with this id and all its passages.  DICTA_ENOTFOUND if
 * there is none. */
int dicta_index_delete(dicta_index *idx, const char *id);

/* Make every change since the last commit durable and visible, atomically. */
int dicta_index_commit(dicta_index *idx);

/*
 * Rewrite the index compactly (Xapian's compactor, shard by shard): full
 * B-tree blocks, no space left by updates; typically 35-45% smaller and a
 * little faster to search.  Needs a writer with nothing uncommitted.  Safe
 * against crashes (the old shards stay in use until the new ones are
 * complete) and against readers (they move to the new shards at their next
 * dicta_index_reopen).  The handle stays usable for writing.
 */
int dicta_index_compact(dicta_index *idx);

/* Set the language of documents that do not name one: an ISO 639-1 code,
 * or "auto" (the default) to guess it from the text among en, es, de, fr,
 * it, pt and nl, falling back to English when no language stands out. */
int dicta_index_set_default_lang(dicta_index *idx, const char *lang);

/*
 * Bring a read-only handle up to the index's latest commit.  A reader sees
 * the index as it was when it was opened (or last reopened), however many
 * commits a writer makes meanwhile; a long-lived reader, such as a server,
 * calls this before each request to see new documents.  Cheap when nothing
 * changed.  On a writer it does nothing and returns 0 (a writer always sees
 * its own changes).
 */
int dicta_index_reopen(dicta_index *idx);

/* ------------------------------------------------------------- ingest */

/* Progress of dicta_index_add_path(), reported through on_progress. */
typedef struct {
	uint64_t files;       /* files read so far */
	uint64_t documents;   /* documents added */
	uint64_t passages;    /* passages indexed */
	uint64_t skipped;     /* files or lines skipped */
	uint64_t bytes;       /* bytes of input files read (compressed for .gz) */
	uint64_t total_bytes; /* bytes of all input files (known after the scan) */
	uint64_t text_bytes;  /* bytes of document text read */
	uint64_t added;       /* documents new to the index */
	uint64_t replaced;    /* documents whose content changed */
	uint64_t unchanged;   /* documents already stored as they are */
	uint64_t deleted;     /* documents pruned (opts->prune) */
} dicta_ingest_stats;

#define DICTA_INGEST_OPTIONS_VERSION 2
typedef struct {
	int version;
	/* Called for each skipped file or line: path, line (0 for a whole file),
	 * and a reason such as "invalid JSON: ..." or "empty file". */
	void (*on_skip)(const char *path, long line, const char *reason,
			void *payload);
	/* Called now and then with the totals so far. */
	void (*on_progress)(const dicta_ingest_stats *stats, void *payload);
	/* Commit after this many documents (0 = only at the end) ... */
	uint64_t commit_every;
	/* ... or after this many seconds since the last commit (0 = never). */
	unsigned commit_seconds;
	/* Delete the documents that came from under `path` but were not
	 * found there in this run (their file or line is gone).  Documents of
	 * a file that had bad input in this run are kept. */
	int prune;
	/* Stop at the first skipped input: dicta_index_add_path returns
	 * DICTA_EINVAL and commits nothing more. */
	int strict;
	void *payload;
	/* Version 2: writer threads, one or more shards each (0 or 1: write
	 * from the calling thread).  More jobs than shards are not used.  The
	 * index is the same whatever the number of jobs: documents reach
	 * each shard in the order they are read.  With jobs > 1 the
	 * callbacks may come from any thread, one at a time. */
	unsigned jobs;
} dicta_ingest_options;

int dicta_ingest_options_init(dicta_ingest_options *opts);

/*
 * Read a file or a directory tree and add every document found in it:
 * .txt, .md (YAML front matter), .jsonl and .jsonl.gz.  A document's id is
 * its JSON id, else its path relative to `path` (for a single file: its
 * name).  Documents already stored unchanged are not written again; changed
 * ones are replaced whole.  A file or line that cannot be read is reported
 * through on_skip, counted, and passed over; it never stops the run (unless
 * opts->strict).  An id met twice in one call is kept the first time and
 * reported as a skip the second.  Commits happen as opts says; the caller
 * commits the rest.  Totals are added to *stats (which the caller zeroes).
 * Returns an error only when the index cannot be written, `path` does not
 * exist (DICTA_ENOTFOUND), or opts->strict met bad input (DICTA_EINVAL).
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

#define DICTA_SEARCH_OPTIONS_VERSION 2
typedef struct {
	int version;
	size_t k;          /* results to return (default 10) */
	size_t offset;     /* results to skip (default 0) */
	size_t passages;   /* best passages per document (default 1) */
	int sort;          /* DICTA_SORT_* */
	int unit;          /* DICTA_UNIT_* */
	/* Xapian's match time limit in milliseconds (0 = none, the default).
	 * Xapian 1.4 uses it to stop refining the match estimate after this
	 * long; it cannot interrupt the ranking itself, so it bounds the cost
	 * of a query only together with a bound on k. */
	unsigned time_limit_ms;
	/* Ranking (docs/batch.md has the measurements behind the defaults).
	 * aggregate: how a document's score is made from the scores of its
	 * passages, with DICTA_UNIT_DOCUMENT and relevance order:
	 * DICTA_AGGREGATE_MAX (its best passage decides, the default) or
	 * DICTA_AGGREGATE_SUM (the sum of its aggregate_n best passages, found
	 * among the best passages of the whole match). */
	int aggregate;
	size_t aggregate_n;  /* passages summed (default 2) */
	double bm25_k1;      /* BM25 term-frequency saturation (default 0.9) */
	double bm25_b;       /* BM25 length normalisation, 0..1 (default 0.4) */
	/* Query words found in a document's title add this many times their
	 * BM25 weight as title words to each of its passages; 0 turns it off
	 * (default 0.1).  Only re-ranks what the query matches. */
	double title_weight;
	/* Version 2.  Non-zero: in a natural-language query each word found
	 * in a document's title also counts as one more occurrence in every
	 * passage of the document, before BM25 saturates (BM25F-like).  It
	 * re-ranks; the query's own words still decide what matches. */
	int title_merge;
	/* Version 2.  Only the first `detailed` results carry their document's
	 * record (title, date, ...) and passages; the others only id and score
	 * (every other string "", no passages), which spares reading and
	 * inflating stored text: a TREC run of 1,000 results needs no more.
	 * Default DICTA_DETAILED_ALL. */
	size_t detailed;
} dicta_search_options;

#define DICTA_DETAILED_ALL ((size_t)-1)

/* dicta_search_options.aggregate */
#define DICTA_AGGREGATE_MAX 0
#define DICTA_AGGREGATE_SUM 1

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
	double score;         /* the score of the best passage (with
				* DICTA_AGGREGATE_SUM: the sum) */
	const dicta_passage *passages;
	size_t npassages;
	/* Further metadata kept with the document (dicta_document.meta_json, or
	 * the unknown fields of a JSONL line) as the text of a JSON object;
	 * "" when there is none. */
	const char *meta_json;
} dicta_hit;

typedef struct dicta_results dicta_results;

/*
 * Run a query in dicta's query language (docs/query-language.md): plain
 * words are ranked; operators, connectors (/s, /p, /n exact), phrases,
 * roots, fields and dates restrict, and the matching passages are ranked
 * by BM25.  Words are analyzed as the documents were.  Results are grouped
 * per document, best document first, each with its best opts->passages
 * passages, highlighted with the words that satisfied the query.  opts may
 * be NULL for the defaults.  A query that cannot be parsed (or is empty)
 * gives DICTA_EQUERY with dicta_error_column() set.  The results are freed
 * with dicta_results_free().
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

/*
 * The number of passages document id was cut into; they are numbered 0 to
 * *out - 1 (dicta_passage.ordinal).  DICTA_ENOTFOUND if there is no such id.
 */
int dicta_document_passages(size_t *out, dicta_index *idx, const char *id);

/*
 * The byte range of passage n (0-based) of document id in the document's
 * stored text, as returned by dicta_document_get(): the passage is
 * text[out->start, out->end).  DICTA_ENOTFOUND if there is no such
 * document, or it has no passage n (the message says how many it has).
 */
int dicta_document_passage(dicta_span *out, dicta_index *idx, const char *id,
			   size_t n);

/* Counts of the index as the handle sees it: as it was at open, at the
 * last dicta_index_reopen(), or (for a writer) at its last commit. */
typedef struct {
	uint64_t documents;
	uint64_t passages;
	uint64_t terms;       /* distinct stems */
	uint64_t disk_bytes;  /* size of the files in the index directory */
	char last_commit[32]; /* UTC time of the last commit, ISO 8601
			       * ("2026-01-31T09:30:00Z"); "" if unknown */
} dicta_index_stats;

int dicta_index_stats_get(dicta_index_stats *out, dicta_index *idx);

/* The statistics as a JSON object {documents, passages, terms, index_bytes,
 * last_commit} in a malloc'd string (no trailing newline), or NULL. */
char *dicta_index_stats_to_json(const dicta_index_stats *s);

/* What dicta_index_check() looked at and found. */
typedef struct {
	uint64_t documents; /* documents with passages and a record */
	uint64_t passages;
	uint64_t problems;
} dicta_check_stats;

/*
 * Verify the index: every passage's parent exists and has its stored text;
 * every document's passages are numbered 0..n-1 without gaps, lie inside
 * its text and carry its id term; the counts agree.  Each problem is
 * described through on_problem (may be NULL).  Returns 0 when consistent,
 * DICTA_ECORRUPT when problems were found, another code if the index could
 * not be read.  Reads every passage: O(passages).
 */
int dicta_index_check(dicta_check_stats *out, dicta_index *idx,
		      void (*on_problem)(const char *msg, void *payload),
		      void *payload);

/* ------------------------------------------------------------- server */

/*
 * An HTTP/JSON server over one index (libmicrohttpd): the routes and their
 * JSON are described in docs/http-api.md.  It answers on a pool of worker
 * threads, each request with a read-only dicta_index handle of its own that
 * is reopened first, so documents committed by a writer meanwhile are
 * found without a restart.
 */
typedef struct dicta_server dicta_server;

#define DICTA_SERVER_OPTIONS_VERSION 1
typedef struct {
	int version;
	const char *index_path;  /* the index directory (required) */
	const char *address;     /* numeric IPv4 or IPv6 address, or
				  * "localhost"; default "127.0.0.1" */
	unsigned port;           /* TCP port; 0 = any free port, see
				  * dicta_server_port() (default 8080) */
	unsigned threads;        /* worker threads (default 4) */
	unsigned max_connections; /* open connections served; a request on
				  * a connection beyond them gets 503
				  * (default 256) */
	unsigned idle_timeout_s; /* close a connection idle this long (30) */
	size_t max_query_bytes;  /* longest q, in bytes (default 4096) */
	size_t max_k;            /* largest k (default 100) */
	size_t max_offset;       /* largest offset (default 10000) */
	size_t max_passages;     /* largest passages (default 20) */
	size_t max_body_bytes;   /* largest POST body: 413 beyond (65536) */
	unsigned search_time_limit_ms; /* dicta_search_options.time_limit_ms
				  * of every search (default 2000) */
	const char *cors_origin; /* NULL: no CORS headers; else the value of
				  * Access-Control-Allow-Origin ("*" or an
				  * origin such as "https://app.example") */
	/* Called once per request, from a worker thread, with one line such
	 * as "GET /search?q=treaty 200 3.1ms"; NULL for no log. */
	void (*on_request)(const char *line, void *payload);
	void *payload;
} dicta_server_options;

int dicta_server_options_init(dicta_server_options *opts);

/*
 * Open the index (DICTA_ENOTFOUND if it is not there), bind the address and
 * start answering.  Returns once the server is listening; it runs on its
 * own threads until dicta_server_stop().  DICTA_EIO if the address cannot
 * be bound (in use, not local), DICTA_EINVAL for a bad option.
 */
int dicta_server_start(dicta_server **out, const dicta_server_options *opts);

/* The port the server listens on (useful with port 0). */
unsigned dicta_server_port(const dicta_server *srv);

/*
 * Stop: accept no new connections, let the requests already received
 * finish (waiting at most drain_ms milliseconds), close every connection
 * and free the server.  NULL does nothing.  Safe to call from any thread
 * but one of the server's own; not from a signal handler.
 */
void dicta_server_stop(dicta_server *srv, unsigned drain_ms);

#ifdef __cplusplus
}
#endif
#endif /* DICTA_H */
