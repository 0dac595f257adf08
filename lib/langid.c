/*
 * langid.c — language guessing by function words (langid.h).  Each
 * language has a short list of its most frequent short words; a text
 * scores one point per word found in a list.  The best language wins if it
 * has at least MIN_HITS points and clearly more than the runner-up.  This
 * is crude next to n-gram models, but it is exact enough to tell the
 * languages of a legal collection apart from a paragraph of text, fast, and
 * easy to reason about; a document that names its language is never
 * guessed.
 */
#include <string.h>

#include "analyze.h"
#include "langid.h"

#define MAX_WORDS 2000
#define MIN_HITS 8

typedef struct {
	const char *code;
	const char *const *words;
} lang_words;

/* Folded (lower case, no accents), as the analyzer produces them.  Words
 * shared by two languages ("a", "de", "in") still count for both. */
static const char *const en[] = {"the", "of", "and", "to", "in", "is", "that",
	"for", "was", "with", "on", "as", "by", "be", "this", "are", "it",
	"from", "or", "which", "an", "not", "have", "has", "were", "would",
	"shall", "his", "her", "their", NULL};
static const char *const es[] = {"el", "la", "de", "que", "y", "en", "los",
	"las", "del", "se", "por", "con", "para", "una", "su", "al", "lo",
	"como", "mas", "pero", "sus", "le", "ya", "o", "fue", "este", "esta",
	"ha", "son", "entre", NULL};
static const char *const de[] = {"der", "die", "und", "in", "den", "von",
	"zu", "das", "mit", "sich", "des", "auf", "fur", "ist", "im", "dem",
	"nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus",
	"er", "hat", "dass", "sie", "nach", NULL};
static const char *const fr[] = {"le", "la", "les", "de", "des", "et", "en",
	"du", "un", "une", "est", "que", "qui", "dans", "pour", "par", "sur",
	"au", "aux", "pas", "ce", "il", "elle", "ne", "sont", "avec", "ou",
	"cette", "ont", "son", NULL};
static const char *const it[] = {"il", "di", "che", "e", "la", "per", "un",
	"del", "della", "in", "non", "una", "sono", "le", "dei", "con", "si",
	"da", "gli", "nel", "alla", "anche", "come", "questo", "ha", "delle",
	"piu", "essere", "sul", "tra", NULL};
static const char *const pt[] = {"o", "a", "de", "que", "e", "do", "da",
	"em", "um", "para", "com", "nao", "uma", "os", "no", "se", "na", "por",
	"mais", "as", "dos", "como", "mas", "ao", "ele", "das", "seu", "sua",
	"ou", "foi", NULL};
static const char *const nl[] = {"de", "het", "een", "en", "van", "in",
	"is", "dat", "op", "te", "zijn", "voor", "met", "die", "niet", "aan",
	"er", "om", "ook", "als", "bij", "door", "wordt", "naar", "worden",
	"deze", "uit", "tot", "wij", "hij", NULL};

static const lang_words langs[] = {
	{"en", en}, {"es", es}, {"de", de}, {"fr", fr},
	{"it", it}, {"pt", pt}, {"nl", nl},
};
#define NLANGS (sizeof langs / sizeof langs[0])

typedef struct {
	unsigned hits[NLANGS];
	unsigned words;
} tally;

static int in_list(const char *const *list, const char *w, size_t len)
{
	for (; *list; list++)
		if (strlen(*list) == len && memcmp(*list, w, len) == 0)
			return 1;
	return 0;
}

static int on_token(const token *t, void *payload)
{
	tally *tl = payload;
	if (t->len <= 6)
		for (size_t i = 0; i < NLANGS; i++)
			tl->hits[i] += (unsigned)in_list(langs[i].words, t->text, t->len);
	return ++tl->words >= MAX_WORDS;
}

const char *langid_guess(const char *text, size_t len)
{
	tally tl = {{0}, 0};
	(void)analyze_text(text, len, on_token, &tl);
	size_t best = 0, second = NLANGS;
	for (size_t i = 1; i < NLANGS; i++) {
		if (tl.hits[i] > tl.hits[best]) {
			second = best;
			best = i;
		} else if (second == NLANGS || tl.hits[i] > tl.hits[second]) {
			second = i;
		}
	}
	unsigned b = tl.hits[best], s = second < NLANGS ? tl.hits[second] : 0;
	if (b < MIN_HITS || b * 2 < s * 3) /* the winner needs 1.5x the next */
		return NULL;
	return langs[best].code;
}
