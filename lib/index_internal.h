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
#define INDEX_MAX_SHARDS 64
#define INDEX_SHARD_NAME 48 /* "shard-63.999999" and room to spare */

/* Stemmers by language code, created on first use. */
typedef struct {
	struct {
		char code[8];
		stemmer *st;
	} s[INDEX_MAX_LANGS];
	size_t n;
} stemmer_cache;

/* A set of language codes. */
typedef struct {
	char code[INDEX_MAX_LANGS][8];
	size_t n;
} lang_set;

/*
 * One shard of an index: a Xapian database holding the documents whose id
 * hashes to it (index_layout.c), with the state its writer keeps.  A
 * shard's metadata (document count, languages, variant lists) describes
 * that shard only and is committed with its documents, so every shard is
 * consistent on its own whatever a crash interrupts.  A writer thread owns
 * whole shards: nothing here is shared between shards.
 */
/* Strings a writer records once each (strset), with those recorded since
 * its last commit (dirty, pointing into the set). */
typedef struct {
	strset *seen;
	const char **dirty;
	size_t ndirty, capdirty;
} noted_set;

typedef struct {
	shim_db *db;
	char name[INDEX_SHARD_NAME]; /* its directory; "" for the old layout */
	int in_txn;             /* a batch is open */
	uint64_t documents;     /* documents in the shard, kept by its writer */
	uint64_t passages_added; /* passages written to it through this handle */
	stemmer_cache stemmers;
	lang_set langs;         /* languages of its documents */
	int langs_dirty;
	/* (stem, word) pairs, "stem\0word", recorded by this writer, and
	 * those not yet merged into the shard's variant lists. */
	noted_set variants;
	/* Words indexed as parts of a compound (analyze_parts), and those
	 * not yet written as metadata META_PART + word. */
	noted_set parts;
} index_shard;

struct dicta_index {
	shim_db *db;            /* reads: the only shard, or all as one group */
	index_shard *shards;    /* layout order; a document's shard is fixed */
	size_t nshards;
	char *path;
	int writable;
	uint64_t documents;     /* documents in all shards (index_count) */
	char default_lang[8];   /* for documents without lang, when not guessed */
	int guess_lang;         /* guess the language of such documents */
	stemmer_cache stemmers; /* for readers (queries, highlighting) */
	/* Languages present in the index (every shard's META_LANGS). */
	char langs[INDEX_MAX_LANGS][8];
	size_t nlangs;
};

/* The stemmer for a language code, created on first use; NULL if the
 * language is unknown (message set). */
stemmer *index_stemmer(dicta_index *idx, const char *code);

/* Re-read the database after DICTA_EMODIFIED (readers only). */
int index_reopen(dicta_index *idx);

/* The stemmer for a language code from a cache, created on first use. */
stemmer *stemmer_cache_get(stemmer_cache *c, const char *code);
void stemmer_cache_clear(stemmer_cache *c);

/* ---- index_layout.c: shards on disk */

/* The shard of document id among n. */
size_t index_shard_of(const char *id, size_t n);

/* Open the shards of the index at idx->path into idx->shards and
 * idx->db.  A writer creates a missing or empty directory as an index
 * of `create_shards` shards (0: one per online processor); mode is the
 * shim's SHIM_WRITE or SHIM_WRITE_WAIT for a writer, 0 for a reader. */
int index_layout_open(dicta_index *idx, int mode, unsigned create_shards);

/* Close what index_layout_open opened (uncommitted batches are lost). */
void index_layout_close(dicta_index *idx);

/* Re-read every shard at its latest commit (readers); if the index was
 * compacted meanwhile (the stub names other shards), open the new ones. */
int index_layout_reopen(dicta_index *idx);

/* A metadata value of every shard, joined with single spaces (variant
 * lists and languages are unions of the shards'); NULL, 0 if no shard
 * has it.  Malloc'd. */
int index_metadata_join(dicta_index *idx, const char *key, char **out,
			size_t *len_out);

/* ---- index.c: writing one shard; callable from the shard's own thread */

/* Does the space-separated list[0, len) (a variant list, a language list)
 * hold word[0, wl)? */
int index_list_has(const char *list, size_t len, const char *word, size_t wl);

/* dicta_index_put on a document known to belong to shard k. */
int index_shard_put(dicta_index *idx, size_t k, int *out_change,
		    const dicta_document *doc);
/* Commit shard k: its documents and its metadata. */
int index_shard_commit(dicta_index *idx, size_t k);

/* Has some shard an uncommitted batch?  Passages written through this
 * handle, all shards.  (Not while writer threads run.) */
int index_in_txn(const dicta_index *idx);
uint64_t index_passages_added(const dicta_index *idx);
/* Discard every shard's open batch; returns rc, the message kept. */
int index_abort(dicta_index *idx, int rc);
/* Set idx->documents to the sum of the shards' counts. */
void index_count(dicta_index *idx);

/* Load the record of document id (document.c); with want_text the text is
 * inflated too.  DICTA_ENOTFOUND if there is no such document. */
int document_load(dicta_index *idx, const char *id, store_record *r,
		  int want_text);
/* The same from one database (a writer's shard). */
int document_load_from(shim_db *db, const char *id, store_record *r,
		       int want_text);
/* document_load() inflating only the first upto bytes of the text
 * (store_record_decode_upto). */
int document_load_upto(dicta_index *idx, const char *id, store_record *r,
		       size_t upto);

/* Fill a hit's metadata from a record (strings copied, "" for missing);
 * hit_clear releases everything a hit owns, passages included. */
int hit_fill(dicta_hit *h, const store_record *r);
void hit_clear(dicta_hit *h);

#endif
