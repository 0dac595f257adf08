/*
 * langid.h — guessing the language of a text that does not name one, from
 * how often it uses each language's most common function words.  The
 * indexer uses it so that an untagged Spanish filing is stemmed in Spanish.
 */
#ifndef DICTA_LANGID_H
#define DICTA_LANGID_H

#include <stddef.h>

/*
 * The ISO 639-1 code of the language text[0, len) is most likely written
 * in, among those langid knows (en, es, de, fr, it, pt, nl), or NULL when
 * the text is too short or no language stands out clearly.  Only the first
 * few thousand words are looked at.
 */
const char *langid_guess(const char *text, size_t len);

#endif
