/*
 * index_internal.h — the dicta_index handle, shared by the files that
 * implement the public API on it: index.c (open, add, delete, commit),
 * ingest glue in index_path.c, search.c and document.c.
 */
#ifndef DICTA_INDEX_INTERNAL_H
#define DICTA_INDEX_INTERNAL_H

#include <stdint.h>

#include "dicta.h"
#include "stem.h"
#include "store.h"
#include "strset.h"
#include "xapian_shim.h"

#define INDEX_MAX_LANGS 32

struct dicta_index {
	shim_db *db;
	char *path;
	int writable;
	int in_txn;             /* a batch is open (writer) */
	uint64_t documents;     /* document count, kept up to date by writers */
	uint64_t passages_added; /* passages written through this handle */
	char default_lang[8];   /* for documents without lang, when not guessed */
	int guess_lang;         /* guess the language of such documents */
	/* Stemmers by language code, created on first use. */
	struct {
		char code[8];
		stemmer *st;
	} stemmers[INDEX_MAX_LANGS];
	size_t nstemmers;
	/* Languages present in the index (META_LANGS), as codes. */
	char langs[INDEX_MAX_LANGS][8];
	size_t nlangs;
	int langs_dirty;
	/* (stem, word) pairs, "stem\0word", recorded by this writer, and
	 * those not yet merged into the index's variant lists. */
	strset *variants;
	const char **dirty;
	size_t ndirty, capdirty;
};

/* The stemmer for a language code, created on first use; NULL if the
 * language is unknown (message set). */
stemmer *index_stemmer(dicta_index *idx, const char *code);

/* Re-read the database after DICTA_EMODIFIED (readers only). */
int index_reopen(dicta_index *idx);

/* Load the record of document id (document.c); with want_text the text is
 * inflated too.  DICTA_ENOTFOUND if there is no such document. */
int document_load(dicta_index *idx, const char *id, store_record *r,
		  int want_text);

/* Fill a hit's metadata from a record (strings copied, "" for missing);
 * hit_clear releases everything a hit owns, passages included. */
int hit_fill(dicta_hit *h, const store_record *r);
void hit_clear(dicta_hit *h);

#endif
