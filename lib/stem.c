/*
 * stem.c — the stemmers of stem.h: Snowball (libstemmer) behind a cache, so
 * that each distinct word is stemmed once per stemmer.  The indexer and the
 * query side each hold a stemmer per language and thread.
 *
 * Languages.  lang_table[] maps ISO 639-1 codes to Snowball algorithm names;
 * a language counts as known only if the installed libstemmer also lists
 * its algorithm.  Codes and names match without regard to ASCII case, and a
 * region subtag is ignored ("en-US", "pt_BR").  "nb" and "nn" are
 * Norwegian, whose canonical code is "no".  Snowball's "porter" (the
 * original English algorithm) is not a language and is not accepted.
 *
 * Input.  Words come from the analyzer already folded: lower case, combining
 * marks removed ("extradición" arrives as "extradicion").  They are stemmed
 * as they are.  Snowball stemmers are written for accented text, so some
 * accented suffixes no longer match; but index and query are folded alike,
 * and for Spanish the suffixes that matter most (-ciones, -cion, -ado, -ar)
 * still come off.  Words longer than STEM_MAX_WORD bytes are returned
 * unchanged: they are identifiers or noise, not words with suffixes.
 *
 * Cache.  An open-addressing hash table (linear probing, FNV-1a, grown by
 * doubling at half full) maps each word to its stem.  The strings live in an
 * arena of large blocks that never move or shrink, so the pointers that
 * stemmer_stem() returns stay valid until stemmer_free(), whatever the table
 * does.  Nothing is ever evicted: memory grows with the vocabulary (about
 * 60 bytes a word).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "error.h"
#include "hash.h"
#include "stem.h"

#define STEM_MAX_WORD 64
#define ARENA_BLOCK 65536
#define INITIAL_SLOTS 1024

/* ----------------------------------------------------------- languages */

/* The first row for an algorithm gives its canonical code. */
static const struct {
	const char *code;
	const char *name;
} lang_table[] = {
	{"ar", "arabic"},     {"hy", "armenian"},  {"eu", "basque"},
	{"ca", "catalan"},    {"da", "danish"},    {"nl", "dutch"},
	{"en", "english"},    {"eo", "esperanto"}, {"et", "estonian"},
	{"fi", "finnish"},    {"fr", "french"},    {"de", "german"},
	{"el", "greek"},      {"hi", "hindi"},     {"hu", "hungarian"},
	{"id", "indonesian"}, {"ga", "irish"},     {"it", "italian"},
	{"lt", "lithuanian"}, {"ne", "nepali"},    {"no", "norwegian"},
	{"nb", "norwegian"},  {"nn", "norwegian"}, {"pl", "polish"},
	{"pt", "portuguese"}, {"ro", "romanian"},  {"ru", "russian"},
	{"sr", "serbian"},    {"es", "spanish"},   {"sv", "swedish"},
	{"ta", "tamil"},      {"tr", "turkish"},   {"yi", "yiddish"},
};

#define NLANGS (sizeof lang_table / sizeof lang_table[0])

static int algorithm_installed(const char *name)
{
	for (const char **l = sb_stemmer_list(); *l; l++)
		if (strcmp(*l, name) == 0)
			return 1;
	return 0;
}

/* The lang_table row of the canonical code for lang, or -1. */
static int lang_lookup(const char *lang)
{
	char key[32];
	size_t n = 0;

	if (!lang)
		return -1;
	for (; lang[n] && lang[n] != '-' && lang[n] != '_'; n++) {
		char c = lang[n];
		if (n + 1 >= sizeof key)
			return -1;
		key[n] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	key[n] = '\0';
	/* a subtag may follow a code, not a name ("english-x") */
	if (lang[n] && (n != 2 || !lang[n + 1]))
		return -1;
	for (size_t i = 0; i < NLANGS; i++) {
		if (strcmp(key, lang_table[i].code) != 0 &&
		    strcmp(key, lang_table[i].name) != 0)
			continue;
		if (!algorithm_installed(lang_table[i].name))
			return -1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(lang_table[j].name, lang_table[i].name) == 0)
				return (int)j;
		return (int)i;
	}
	return -1;
}

int stem_lang_known(const char *lang)
{
	return lang_lookup(lang) >= 0;
}

const char *stem_lang_code(const char *lang)
{
	int i = lang_lookup(lang);
	return i < 0 ? NULL : lang_table[i].code;
}

/* --------------------------------------------------------------- cache */

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
};

struct slot {
	const char *word; /* NULL: empty */
	const char *stem; /* may be word itself */
	size_t len, stem_len;
	uint64_t hash;
};

struct stemmer {
	struct sb_stemmer *sb;
	struct slot *slots;
	size_t mask;  /* number of slots - 1; a power of two */
	size_t count;
	struct arena_block *arena;
};


/* n bytes from the arena, or NULL on ENOMEM. */
static char *arena_alloc(stemmer *s, size_t n)
{
	struct arena_block *b = s->arena;

	if (!b || b->cap - b->used < n) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->next = s->arena;
		b->used = 0;
		b->cap = cap;
		s->arena = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static int grow(stemmer *s)
{
	size_t nslots = (s->mask + 1) * 2;
	struct slot *slots;

	if (nslots > SIZE_MAX / sizeof *slots)
		return -1;
	slots = calloc(nslots, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i <= s->mask; i++) {
		size_t j;
		if (!s->slots[i].word)
			continue;
		j = (size_t)s->slots[i].hash & (nslots - 1);
		while (slots[j].word)
			j = (j + 1) & (nslots - 1);
		slots[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->mask = nslots - 1;
	return 0;
}

/* ------------------------------------------------------------ stemmers */

stemmer *stemmer_new(const char *lang)
{
	int i = lang_lookup(lang);
	stemmer *s;

	if (i < 0) {
		error_set(DICTA_EINVAL, "no stemmer for language \"%s\"",
			  lang ? lang : "(null)");
		return NULL;
	}
	s = calloc(1, sizeof *s);
	if (!s)
		goto nomem;
	s->sb = sb_stemmer_new(lang_table[i].name, "UTF_8");
	s->slots = calloc(INITIAL_SLOTS, sizeof *s->slots);
	if (!s->sb || !s->slots) {
		stemmer_free(s);
		goto nomem;
	}
	s->mask = INITIAL_SLOTS - 1;
	return s;
nomem:
	error_set(DICTA_ENOMEM, "out of memory creating a stemmer");
	return NULL;
}

void stemmer_free(stemmer *s)
{
	struct arena_block *b, *next;

	if (!s)
		return;
	if (s->sb)
		sb_stemmer_delete(s->sb);
	free(s->slots);
	for (b = s->arena; b; b = next) {
		next = b->next;
		free(b);
	}
	free(s);
}

const char *stemmer_stem(stemmer *s, const char *word, size_t len,
			 size_t *outlen)
{
	uint64_t h;
	size_t i;
	const char *stem;
	size_t stem_len;
	char *copy;
	struct slot *sl;

	if (len == 0) {
		*outlen = 0;
		return "";
	}
	h = fnv1a(word, len);
	for (i = (size_t)h & s->mask; s->slots[i].word; i = (i + 1) & s->mask) {
		sl = &s->slots[i];
		if (sl->hash == h && sl->len == len &&
		    memcmp(sl->word, word, len) == 0) {
			*outlen = sl->stem_len;
			return sl->stem;
		}
	}

	/* A miss: stem, then store word and stem together in the arena. */
	if (len > STEM_MAX_WORD) {
		stem = word;
		stem_len = len;
	} else {
		stem = (const char *)sb_stemmer_stem(
			s->sb, (const sb_symbol *)word, (int)len);
		if (!stem)
			goto nomem;
		stem_len = (size_t)sb_stemmer_length(s->sb);
	}
	if (stem_len == len && memcmp(stem, word, len) == 0) {
		copy = arena_alloc(s, len + 1);
		if (!copy)
			goto nomem;
		memcpy(copy, word, len);
		copy[len] = '\0';
		stem = copy;
	} else {
		copy = arena_alloc(s, len + 1 + stem_len + 1);
		if (!copy)
			goto nomem;
		memcpy(copy, word, len);
		copy[len] = '\0';
		memcpy(copy + len + 1, stem, stem_len);
		copy[len + 1 + stem_len] = '\0';
		stem = copy + len + 1;
	}
	if ((s->count + 1) * 2 > s->mask + 1) {
		if (grow(s))
			goto nomem;
		for (i = (size_t)h & s->mask; s->slots[i].word;
		     i = (i + 1) & s->mask)
			;
	}
	sl = &s->slots[i];
	sl->word = copy;
	sl->len = len;
	sl->stem = stem;
	sl->stem_len = stem_len;
	sl->hash = h;
	s->count++;
	*outlen = stem_len;
	return stem;
nomem:
	error_set(DICTA_ENOMEM, "out of memory stemming");
	return NULL;
}
