/*
 * store.h — how a document and its passages are laid out in Xapian: term
 * prefixes, value slots, and the stored document record (metadata plus the
 * zlib-compressed text, kept once per document in the data of its first
 * passage).  docs/index-format.md describes the same layout for readers.
 */
#ifndef DICTA_STORE_H
#define DICTA_STORE_H

#include <stddef.h>
#include <stdint.h>

/* Value slots of every passage. */
enum {
	SLOT_PARENT = 0,  /* the parent document's id: the collapse key */
	SLOT_ORDINAL = 1, /* passage number in the document, 4 bytes big-endian */
	SLOT_RANGE = 2,   /* start, end byte, first position, words: 4 x u32 BE */
	SLOT_DATE = 3,    /* document date as YYYYMMDD ("00" for a missing part) */
	SLOT_STRUCT = 4   /* sentence and paragraph starts, see store_struct_* */
};

/* Term prefixes (terms of words carry no prefix: the folded word). */
#define PREFIX_STEM "Z"   /* stem of a word, with positions */
#define PREFIX_ID "Q"     /* parent document id, on every passage */
#define PREFIX_RECORD "R" /* on the passage that holds the document record */
#define PREFIX_LANG "L"
#define PREFIX_TYPE "XT"
#define PREFIX_COURT "XC"
#define PREFIX_TITLE "S"  /* stem of a title word, without positions */
#define PREFIX_FIELD "XF" /* + field + ":" + folded value: citation, metadata */

/* Metadata keys of the database. */
#define META_FORMAT "dicta:format"   /* "1" */
#define META_LANGS "dicta:langs"     /* languages seen, space-separated */
#define META_COMMIT "dicta:commit"   /* time of the last commit, ISO 8601 */
#define META_DOCS "dicta:documents"  /* number of documents, decimal */
#define META_VARIANTS "v:"        /* + stem: the words with that stem */
#define META_PART "p:"            /* + word: indexed as a part of a compound */
#define STORE_FORMAT "1"

/* Terms longer than this are hashed (Xapian's limit is 245 bytes). */
#define STORE_MAX_TERM 240

typedef struct {
	char *id, *title, *date, *type, *court, *citation, *lang, *source;
	char *meta_json;     /* further metadata, a JSON object, or NULL */
	uint64_t hash;       /* content hash of text and metadata */
	uint32_t npassages;
	char *text;          /* NUL-terminated; NULL when not decoded */
	size_t text_len;     /* the whole text's length */
	size_t text_avail;   /* bytes of it in text (a prefix, or text_len) */
} store_record;

/* Encode a record into a malloc'd buffer: 'D', format byte, varint header
 * length, JSON header, varint text length, zlib stream of the text. */
int store_record_encode(const store_record *r, char **out, size_t *len_out);

/* Decode; with want_text == 0 the text is not inflated (r->text NULL).
 * Strings in *r are malloc'd; release with store_record_clear.
 * DICTA_ECORRUPT for a damaged record. */
int store_record_decode(const char *data, size_t len, store_record *r,
			int want_text);

/* Decode, inflating only the first upto bytes of the text (all of it when
 * upto >= text_len; none when 0): r->text holds r->text_avail bytes.  Only
 * a whole text is verified against the stream's checksum (--check reads
 * whole texts); a prefix is refused if the stream ends or breaks early. */
int store_record_decode_upto(const char *data, size_t len, store_record *r,
			     size_t upto);
void store_record_clear(store_record *r);

/* The term that names document id under prefix (PREFIX_ID, PREFIX_RECORD):
 * prefix + id, or prefix + "#" + hex hash when too long.  Writes into buf
 * (at least STORE_MAX_TERM + 1 bytes); returns the length. */
size_t store_id_term(char *buf, const char *prefix, const char *id);

/* Normalize an ISO date (YYYY, YYYY-MM, YYYY-MM-DD, or longer with a time)
 * to YYYYMMDD in buf[9]; returns 0, or -1 if it is not such a date. */
int store_date_key(const char *date, char buf[9]);

/* Big-endian packing of u32 values. */
void store_put_u32(char *p, uint32_t v);
uint32_t store_get_u32(const char *p);

/* 64-bit FNV-1a, continued from h (start with STORE_HASH_INIT). */
#define STORE_HASH_INIT 0xcbf29ce484222325ULL
uint64_t store_hash(uint64_t h, const void *data, size_t len);

/* Sentence/paragraph structure of a passage: a list of varints, each
 * (delta << 1 | is_paragraph_start), the delta being the position of a
 * sentence start minus the previous one (the first relative to the
 * passage's first position). */
typedef struct {
	char *buf;
	size_t len, cap;
	uint32_t last;
} store_struct;
int store_struct_add(store_struct *s, uint32_t pos, int paragraph);

#endif
