/*
 * analyze.h — the one analyzer of dicta, used by the indexer and the query
 * side alike.  It turns UTF-8 text into folded tokens with byte offsets,
 * word positions and sentence/paragraph ordinals, and reports each through
 * a callback (as SQLite FTS5's tokenizers do), so that indexing, query
 * parsing, highlighting and snippets all see exactly the same words.
 *
 * Folding: Unicode case folding and removal of combining marks (utf8proc),
 * so "Zerón", "ZERON" and "zeron" give the same token.  Stemming is not done
 * here; see stem.h.  The word, identifier, sentence and paragraph rules are
 * written out at the top of analyze.c.
 */
#ifndef DICTA_ANALYZE_H
#define DICTA_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

/* Token flags. */
#define TOK_NUMERIC 1u /* contains a digit: an identifier or number, not stemmed */

/*
 * text is the fold of raw[0, end - start) less the characters a token drops:
 * in-word apostrophes ("O'Neill" -> "oneill"), the dots of "U.S.C." ("usc")
 * and soft hyphens.  A possessive "'s" lies outside [start, end).
 */
typedef struct {
	const char *text;   /* folded token, NUL-terminated; valid only during the callback */
	size_t len;         /* its length in bytes */
	const char *raw;    /* the token as written (points into the input) */
	size_t start, end;  /* byte offsets [start, end) of the token in the input */
	uint32_t pos;       /* word position, 0-based, counting every token */
	uint32_t sentence;  /* sentence ordinal, 0-based, over the whole input */
	uint32_t paragraph; /* paragraph ordinal, 0-based, over the whole input */
	unsigned flags;     /* TOK_* */
} token;

/* Return 0 to go on, non-zero to stop (analyze_text then returns that value). */
typedef int (*token_cb)(const token *tok, void *payload);

/*
 * Split text[0, len) into tokens and call cb for each, in order.  Invalid
 * UTF-8 bytes are separators (never a crash).  Returns 0, the callback's
 * non-zero value, or -1 on allocation failure (with dicta_error_last() set
 * only then).  No allocation is made per token.
 */
int analyze_text(const char *text, size_t len, token_cb cb, void *payload);

/*
 * The parts of a compound token that kept its joiners (a TOK_NUMERIC token
 * such as "23-1732", "il-6" or "f.2d"): each run of text between '-', '.',
 * '/' and ':' is analyzed on its own and every token it gives is reported
 * through cb, its flags telling a number from a word, its offsets relative
 * to that run.  A token without a joiner has no parts: cb is not called.
 * The indexer puts the parts at the compound's position, so "6", "il" (and
 * "interleukin-6"'s "interleukin") find the compound (analyze.c, "Parts").
 * Returns 0, the callback's non-zero value, or -1 on allocation failure.
 */
int analyze_parts(const char *text, size_t len, token_cb cb, void *payload);

/*
 * Fold one word the way analyze_text folds tokens (case fold + strip marks),
 * into a malloc'd NUL-terminated string; *outlen receives its length.
 * Nothing is split or dropped but ill-formed UTF-8 sequences, so for a token
 * that dropped no characters, analyze_fold(raw, end - start) equals its
 * text.  To analyze query text, use analyze_text.  Returns NULL on
 * allocation failure.
 */
char *analyze_fold(const char *word, size_t len, size_t *outlen);

/*
 * Copy text[0, len) to a malloc'd buffer, replacing each invalid UTF-8 byte
 * sequence (and NUL bytes) by U+FFFD.  *outlen receives the new length;
 * *replaced, if not NULL, the number of replacements.  NULL on ENOMEM.
 */
char *utf8_sanitize(const char *text, size_t len, size_t *outlen,
		    size_t *replaced);

/* Non-zero if text[0, len) is well-formed UTF-8 without NUL bytes: what
 * utf8_sanitize would copy unchanged.  Allocates nothing. */
int utf8_is_valid(const char *text, size_t len);

#endif
