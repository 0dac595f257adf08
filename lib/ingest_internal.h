/*
 * ingest_internal.h — what the walk (ingest.c) hands to the format readers
 * (ingest_text.c for .txt and .md, ingest_jsonl.c for .jsonl and .jsonl.gz),
 * and the little they share: skip reporting and the table of metadata field
 * names.  Nothing outside lib/ingest*.c includes this.
 */
#ifndef DICTA_INGEST_INTERNAL_H
#define DICTA_INGEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ingest.h"

/* The most we hold in memory at once: a whole .txt/.md file, or one JSON
 * line.  Anything larger is skipped rather than risking the machine. */
#define INGEST_MAX_BYTES ((size_t)256 << 20)

/* Bytes looked at for a NUL when deciding that a file is binary. */
#define INGEST_SNIFF_BYTES 8192

/* One regular file, opened by the walk and given to a reader. */
typedef struct {
	const char *path; /* as given, joined with the relative part; the source */
	const char *rel;  /* relative to the indexed root: the default id */
	int fd;           /* open for reading; the reader closes it */
	uint64_t size;    /* st_size when opened */
	const ingest_callbacks *cb;
} ingest_file;

/*
 * The readers.  Each reports the file's documents through f->cb->on_doc and
 * its bad parts through on_skip, each skip exactly once, and closes f->fd
 * whatever happens.  They return 0, or the non-zero value of on_doc as soon
 * as it asks to stop.
 */
int ingest_read_txt(const ingest_file *f);
int ingest_read_md(const ingest_file *f);
int ingest_read_jsonl(const ingest_file *f);

/* Report a skip of f (line 0: the whole file) with a printf-style reason. */
void ingest_skip(const ingest_file *f, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The metadata fields of ingest_doc that a source file may set by name. */
enum {
	INGEST_F_ID,
	INGEST_F_TITLE,
	INGEST_F_DATE,
	INGEST_F_TYPE,
	INGEST_F_COURT,
	INGEST_F_CITATION,
	INGEST_F_LANG,
	INGEST_NFIELDS
};

/*
 * The names of field f, the preferred one first, in a NULL-terminated static
 * array: id, _id; title; date; type; court; citation, jurabk (German
 * statutes); lang, language.
 */
const char *const *ingest_field_names(int f);

/* The field named by key[0, len), or -1 if the name is not one of ours.
 * Compares ASCII case-insensitively, as front matter keys are matched. */
int ingest_field_by_name(const char *key, size_t len);

/* Where field f lives in doc, so that readers can fill fields in a loop. */
const char **ingest_doc_field(ingest_doc *doc, int f);

#endif
