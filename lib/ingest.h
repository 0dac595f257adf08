/*
 * ingest.h — reading source files into documents: plain text, Markdown with
 * YAML front matter, JSON Lines and gzipped JSON Lines, singly or as
 * directory trees.  Bad input (an empty or binary file, a malformed JSON
 * line, a truncated .gz, an unreadable file) is reported through a callback
 * and skipped; it never stops the walk.
 */
#ifndef DICTA_INGEST_H
#define DICTA_INGEST_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	const char *id;        /* never NULL */
	const char *title;     /* NULL when absent, likewise below */
	const char *date;
	const char *type;
	const char *court;
	const char *citation;
	const char *lang;
	const char *source;    /* "path" or "path:line" */
	const char *meta_json; /* unknown fields as a JSON object, or NULL */
	const char *text;      /* not NUL-terminated in general */
	size_t text_len;
	uint64_t offset;       /* bytes of its file read so far (compressed
				* bytes for .gz), for progress; 0 if unknown */
} ingest_doc;

/* Called for each document; the strings are valid only during the call.
 * Return 0 to go on, non-zero to stop the walk (ingest_path returns it). */
typedef int (*ingest_doc_cb)(const ingest_doc *doc, void *payload);

/* Called for each skipped file (line 0) or line. */
typedef void (*ingest_skip_cb)(const char *path, long line,
			       const char *reason, void *payload);

/* Called after each file is read, with its size in bytes. */
typedef void (*ingest_file_cb)(const char *path, uint64_t bytes,
			       void *payload);

typedef struct {
	ingest_doc_cb on_doc;
	ingest_skip_cb on_skip;
	ingest_file_cb on_file; /* may be NULL */
	void *payload;
} ingest_callbacks;

/*
 * Read `path` (a file or a directory, walked recursively in sorted order so
 * runs are reproducible; symlinks to directories are not followed) and
 * report its documents.  Files with other extensions are skipped silently
 * in a directory walk, but reported when named directly.  Returns 0, the
 * non-zero value of on_doc, or -1 when `path` itself cannot be opened
 * (error message set with error_set).
 */
int ingest_path(const char *path, const ingest_callbacks *cb);

/* Total bytes of the files ingest_path would read (for progress/ETA). */
uint64_t ingest_total_bytes(const char *path);

#endif
