/*
 * stem.h — Snowball stemming through libstemmer, with a cache so that each
 * distinct word is stemmed once per stemmer.  Used by the indexer and the
 * query side alike, so both stem the same way.
 */
#ifndef DICTA_STEM_H
#define DICTA_STEM_H

#include <stddef.h>

typedef struct stemmer stemmer;

/*
 * A stemmer for an ISO 639-1 code ("en", "es", "de", ...) or a Snowball
 * name ("english", "spanish"), in any ASCII case; a region subtag after a
 * code is ignored ("en-US").  Returns NULL if the language is unknown
 * (check with stem_lang_known first) or on ENOMEM.  Freed by stemmer_free.
 * A stemmer is not thread-safe; use one per thread.
 */
stemmer *stemmer_new(const char *lang);
void stemmer_free(stemmer *s);

/* Non-zero if lang names a language libstemmer knows. */
int stem_lang_known(const char *lang);

/* The canonical two-letter code for lang ("english" -> "en", "nb" -> "no"),
 * a static string, or NULL if lang is unknown. */
const char *stem_lang_code(const char *lang);

/*
 * The stem of a folded word (as produced by the analyzer: lower case, marks
 * stripped), stemmed as it is.  The result is NUL-terminated, owned by the
 * stemmer's cache and stays valid until stemmer_free(); *outlen receives its
 * length.  Words longer than 64 bytes come back unchanged, "" for len 0.
 * Returns NULL on allocation failure.  Words with TOK_NUMERIC are returned
 * unchanged by callers and need not be passed here.
 */
const char *stemmer_stem(stemmer *s, const char *word, size_t len,
			 size_t *outlen);

#endif
