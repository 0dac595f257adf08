/*
 * passage.h — where a document is cut into passages.  Passages are the unit
 * of ranking: paragraph-aligned windows of roughly 50 to 200 words.  The
 * rules (written out in docs/index-format.md):
 *
 *   1. A paragraph break closes the current passage if it has at least
 *      min_words words; a shorter passage takes in the next paragraph.
 *   2. Inside a paragraph, a sentence end closes the passage once it has
 *      target_words words, so a long paragraph is split at sentence ends.
 *   3. A sentence that runs past hard_words words is cut at a word.
 *   4. At the end of the document, a last passage of fewer than
 *      min_words / 2 words is merged into the one before it, if the two
 *      together stay within hard_words.
 *
 * The decisions are made on a stream of tokens, so the indexer never holds
 * more than two passages of a document at once.
 */
#ifndef DICTA_PASSAGE_H
#define DICTA_PASSAGE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint32_t min_words;    /* 50 */
	uint32_t target_words; /* 150 */
	uint32_t hard_words;   /* 300 */
} passage_rules;

extern const passage_rules passage_default_rules;

/* Before adding a token to a passage of cur_words words: close the passage
 * first?  new_paragraph / new_sentence say whether the token starts one. */
int passage_should_cut(const passage_rules *r, uint32_t cur_words,
		       int new_paragraph, int new_sentence);

/* At the end of a document: merge a last passage of tail_words words into
 * the previous one of prev_words words? */
int passage_should_merge_tail(const passage_rules *r, uint32_t prev_words,
			      uint32_t tail_words);

/* Where a passage ends that is followed by a token starting at byte next
 * (or by the end of the text, next = its length): there, less trailing
 * white space.  A passage's range thus keeps its closing punctuation; the
 * first passage starts at byte 0, the others at their first word. */
size_t passage_end_before(const char *text, size_t next);

/* One passage of a whole text, as cut by passage_spans(). */
typedef struct {
	size_t start, end;   /* bytes, as passage_end_before() describes */
	uint32_t first_pos;  /* position of its first token */
	uint32_t nwords;
} passage_span;

/*
 * Cut text[0, len) with rules r, as the indexer does; *out receives a
 * malloc'd array of *n_out spans (NULL, 0 for a text without words).
 * Returns 0 or DICTA_ENOMEM.
 */
int passage_spans(const char *text, size_t len, const passage_rules *r,
		  passage_span **out, size_t *n_out);

#endif
