/*
 * test_stem.c — the stemmers (lib/stem.c): language names, Snowball stems
 * of folded words, and the cache's pointer guarantees.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "stem.h"

static const char *stem_of(stemmer *s, const char *word, size_t *n)
{
	const char *r = stemmer_stem(s, word, strlen(word), n);
	cr_assert_not_null(r, "stem(%s)", word);
	cr_assert_eq(strlen(r), *n, "stem(%s) length", word);
	return r;
}

Test(stem, english_table)
{
	static const struct {
		const char *word, *want;
	} rows[] = {
		{"extradition", "extradit"},
		{"extradited", "extradit"},
		{"extraditions", "extradit"},
		{"courts", "court"},
		{"court", "court"},
		{"running", "run"},
		{"jurisdictional", "jurisdict"},
		{"the", "the"},
	};
	stemmer *s = stemmer_new("en");
	cr_assert_not_null(s);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t n;
		cr_assert_str_eq(stem_of(s, rows[i].word, &n), rows[i].want,
				 "stem(%s)", rows[i].word);
	}
	stemmer_free(s);
}

Test(stem, spanish_folded_words_share_stems)
{
	/* Words arrive folded (no accents): these pairs must still meet. */
	static const struct {
		const char *a, *b;
	} pairs[] = {
		{"extradicion", "extradiciones"},
		{"tribunal", "tribunales"},
		{"extraditado", "extraditar"},
	};
	stemmer *s = stemmer_new("es");
	cr_assert_not_null(s);
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		size_t na, nb;
		const char *a = stem_of(s, pairs[i].a, &na);
		const char *b = stem_of(s, pairs[i].b, &nb);
		cr_assert_str_eq(a, b, "%s / %s", pairs[i].a, pairs[i].b);
	}
	{
		size_t n;
		cr_assert_str_eq(stem_of(s, "extradiciones", &n),
				 "extradicion");
	}
	stemmer_free(s);
}

Test(stem, snowball_names_and_codes_stem_alike)
{
	stemmer *a = stemmer_new("english"), *b = stemmer_new("EN");
	size_t na, nb;

	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_str_eq(stem_of(a, "rulings", &na), stem_of(b, "rulings", &nb));
	cr_assert_str_eq(stem_of(a, "rulings", &na), "rule");
	stemmer_free(a);
	stemmer_free(b);
}

Test(stem, cache_returns_the_same_pointer)
{
	stemmer *s = stemmer_new("en");
	size_t n1, n2;
	const char *p1 = stem_of(s, "extradition", &n1);
	const char *p2 = stem_of(s, "extradition", &n2);
	const char *q = stem_of(s, "extradited", &n2);

	cr_assert_eq(p1, p2);
	cr_assert_neq(p1, q); /* same text, a separate entry */
	cr_assert_str_eq(q, "extradit");
	stemmer_free(s);
}

Test(stem, pointers_survive_growth)
{
	stemmer *s = stemmer_new("en");
	const char *first[50];
	char word[32];
	size_t n;

	for (int i = 0; i < 50; i++) {
		snprintf(word, sizeof word, "courts%c%c", 'a' + i % 26,
			 'a' + i / 26);
		first[i] = stem_of(s, word, &n);
	}
	/* enough words to double the table several times */
	for (int i = 0; i < 20000; i++) {
		snprintf(word, sizeof word, "w%dings", i);
		stem_of(s, word, &n);
	}
	for (int i = 0; i < 50; i++) {
		snprintf(word, sizeof word, "courts%c%c", 'a' + i % 26,
			 'a' + i / 26);
		cr_assert_eq(stem_of(s, word, &n), first[i], "%s", word);
	}
	cr_assert_str_eq(stem_of(s, "extraditions", &n), "extradit");
	stemmer_free(s);
}

Test(stem, long_words_unchanged)
{
	stemmer *s = stemmer_new("en");
	char w64[65], w65[66];
	size_t n;

	for (int i = 0; i < 30; i++) {
		memcpy(w64 + 2 * i, "ra", 2);
		memcpy(w65 + 2 * i, "ra", 2);
	}
	memcpy(w64 + 60, "ings", 5); /* 64 bytes: still stemmed */
	memcpy(w65 + 60, "tings", 6); /* 65 bytes: left alone */
	stem_of(s, w64, &n);
	cr_assert_lt(n, 64);
	cr_assert_str_eq(stem_of(s, w65, &n), w65);
	cr_assert_eq(n, 65);
	cr_assert_str_eq(stem_of(s, w65, &n), w65); /* deterministic */
	stemmer_free(s);
}

Test(stem, empty_and_unterminated_words)
{
	stemmer *s = stemmer_new("en");
	size_t n = 99;
	const char *r = stemmer_stem(s, "", 0, &n);

	cr_assert_str_eq(r, "");
	cr_assert_eq(n, 0);
	/* only len bytes are read: "courts" out of "courtship" */
	r = stemmer_stem(s, "courtship", 6, &n);
	cr_assert_str_eq(r, "court");
	stemmer_free(s);
}

Test(stem, unknown_languages)
{
	static const char *const bad[] = {
		"xx", "klingon", "", "porter", "e", "englishx", "english-us",
		"en-", "-en", "xx-US",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_null(stemmer_new(bad[i]), "%s", bad[i]);
		cr_assert_not(stem_lang_known(bad[i]), "%s", bad[i]);
		cr_assert_null(stem_lang_code(bad[i]), "%s", bad[i]);
	}
	cr_assert_null(stemmer_new(NULL));
	cr_assert_not(stem_lang_known(NULL));
	cr_assert_null(stem_lang_code(NULL));
	stemmer_free(NULL);
}

Test(stem, lang_code_table)
{
	static const struct {
		const char *lang, *code;
	} rows[] = {
		{"en", "en"},         {"english", "en"},   {"EN", "en"},
		{"English", "en"},    {"en-US", "en"},     {"pt_BR", "pt"},
		{"es", "es"},         {"spanish", "es"},   {"de", "de"},
		{"german", "de"},     {"fr", "fr"},        {"it", "it"},
		{"pt", "pt"},         {"nl", "nl"},        {"sv", "sv"},
		{"da", "da"},         {"no", "no"},        {"nb", "no"},
		{"nn", "no"},         {"norwegian", "no"}, {"fi", "fi"},
		{"ru", "ru"},         {"hu", "hu"},        {"ro", "ro"},
		{"tr", "tr"},         {"russian", "ru"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		stemmer *s;
		cr_assert(stem_lang_known(rows[i].lang), "%s", rows[i].lang);
		cr_assert_str_eq(stem_lang_code(rows[i].lang), rows[i].code,
				 "%s", rows[i].lang);
		s = stemmer_new(rows[i].lang);
		cr_assert_not_null(s, "%s", rows[i].lang);
		stemmer_free(s);
	}
}

Test(stem, stemmers_are_independent)
{
	stemmer *en = stemmer_new("en"), *es = stemmer_new("es");
	size_t n;

	cr_assert_str_eq(stem_of(en, "nationales", &n), "national");
	cr_assert_str_eq(stem_of(es, "nacionales", &n), "nacional");
	cr_assert_str_eq(stem_of(en, "courts", &n), "court");
	cr_assert_str_eq(stem_of(es, "courts", &n), "courts");
	stemmer_free(en);
	stemmer_free(es);
}
