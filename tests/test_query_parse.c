/*
 * test_query_parse.c — the query language's parser (query_parse.c), on
 * its own, without an index: each row is a query and the tree it must
 * give, printed as an S-expression (qast_print), or the error it must
 * give as "ERR column: message".  Words appear as the index has them:
 * folded, with #exact, root!, pat*tern and "raw value" marks.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dicta.h"
#include "query_parse.h"

typedef struct {
	const char *query;
	const char *want;
} row;

static const row rows[] = {
	/* Plain words: natural language, ranked. */
	{"extradition", "(rank extradition)"},
	{"extradition treaty", "(rank extradition treaty)"},
	{"Zerón", "(rank zeron)"},
	{"ZERON", "(rank zeron)"},
	{"court's", "(rank court)"},
	{"U.S.C.", "(rank usc)"},
	{"18 U.S.C. § 3184", "(rank 18 usc 3184)"},
	{"No. 23-1732", "(rank no 23-1732)"},
	{"extradition-related", "(rank extradition related)"},
	{"and/or", "(rank and or)"},
	{"w/o counsel", "(rank w o counsel)"},
	{"Held: the court", "(rank held the court)"},
	{"a\tb\nc", "(rank a b c)"},
	{"a\xe2\x80\xa8" "b", "(rank a b)"}, /* U+2028 is white space */
	{"a \xe2\x80\x94 b", "(rank a b)"},  /* a dash alone is punctuation */
	{"a --b", "(rank a b)"},
	{"\xc2\xa7 1-207.39(a)", "(rank 1-207.39 a)"},
	/* Marks on words. */
	{"#Extraditions", "(rank #extraditions)"},
	{"extradit!", "(rank extradit!)"},
	{"extradit*", "(rank extradit!)"},
	{"ex**", "(rank ex!)"},
	{"wom*n", "(rank wom*n)"},
	{"extradi*ion!", "(rank extradi*ion*)"},
	{"U.S.-Mex!", "(rank us mex!)"},
	/* Fields, dates and exclusions keep a query natural. */
	{"a -b", "(rank a (- b))"},
	{"a b -c d", "(rank a b (- c) d)"},
	{"title:extradition", "(rank (title extradition))"},
	{"TITLE:Extradition", "(rank (title extradition))"},
	{"title:(extradition treaty)", "(rank (title (and extradition treaty)))"},
	{"title:(extradition OR surrender)", "(rank (title (or extradition surrender)))"},
	{"title:\"extradition treaty\"", "(rank (title (phrase #extradition #treaty)))"},
	{"title:(extradition treaty) Zer\xc3\xb3n", "(rank (title (and extradition treaty)) zeron)"},
	{"court:florida", "(rank (court florida))"},
	{"court:\"southern district\"", "(rank (court (phrase #southern #district)))"},
	{"court:audiencia*", "(rank (court audiencia!))"},
	{"type:order", "(rank (type \"order\"))"},
	{"type:Order", "(rank (type \"Order\"))"},
	{"type:code*", "(rank (type \"code\"*))"},
	{"lang:es", "(rank (lang \"es\"))"},
	{"id:filing-2023-0111", "(rank (id \"filing-2023-0111\"))"},
	{"id:\"Pub. L. 100-202\"", "(rank (id \"Pub. L. 100-202\"))"},
	{"cite:3184", "(rank (cite 3184))"},
	{"custodian:smith", "(rank (custodian smith))"},
	{"extradition -title:mexico", "(rank extradition (- (title mexico)))"},
	{"-type:order extradition", "(rank (- (type \"order\")) extradition)"},
	{"date:2019", "(rank (date 20190000 20191231))"},
	{"date:2019-09", "(rank (date 20190900 20190931))"},
	{"date:2019-09-15", "(rank (date 20190915 20190915))"},
	{"date:2019-09..2020-12", "(rank (date 20190900 20201231))"},
	{"date:2019..", "(rank (date 20190000 -))"},
	{"date:..2020", "(rank (date - 20201231))"},
	{"date:2020-02-29", "(rank (date 20200229 20200229))"},
	{"after:2018-12-01", "(rank (date 20181202 -))"},
	{"after:2018", "(rank (date 20181232 -))"},
	{"before:2020", "(rank (date - 20199999))"},
	{"before:2020-03-01", "(rank (date - 20200300))"},
	{"extradition date:2019", "(rank extradition (date 20190000 20191231))"},
	/* Boolean operators; with any of them a space means AND. */
	{"a AND b", "(and a b)"},
	{"a & b", "(and a b)"},
	{"a OR b", "(or a b)"},
	{"a OR b OR c", "(or a b c)"},
	{"a NOT b", "(not a b)"},
	{"a BUT NOT b", "(not a b)"},
	{"a % b", "(not a b)"},
	{"a AND NOT b", "(not a b)"},
	{"a & NOT b", "(not a b)"},
	{"a & b % c", "(not (and a b) c)"},
	{"a NOT b c", "(not a (and b c))"},
	{"a NOT b OR c", "(not a (or b c))"},
	{"a NOT b NOT c", "(not a b c)"},
	{"a % b BUT NOT c AND NOT d", "(not a b c d)"},
	{"(a NOT b) NOT c", "(not (not a b) c)"},
	{"a OR b AND c", "(and (or a b) c)"},
	{"a AND b OR c", "(and a (or b c))"},
	{"a b OR c", "(and a (or b c))"},
	{"(a b) OR c", "(or (and a b) c)"},
	{"a AND(b OR c)", "(and a (or b c))"},
	{"a -(b OR c)", "(and a (- (or b c)))"},
	{"and OR or", "(or and or)"}, /* lower case: words */
	{"\"a b\" c", "(and (phrase #a #b) c)"},
	{"\"a\" -", "#a"},
	/* Phrases: exact words, stopwords kept; curly quotes and guillemets. */
	{"\"freedom of information act\"", "(phrase #freedom #of #information #act)"},
	{"\"mutual legal assistance\" \"extradition treaty\"",
	 "(and (phrase #mutual #legal #assistance) (phrase #extradition #treaty))"},
	{"\xe2\x80\x9csmart quotes\xe2\x80\x9d", "(phrase #smart #quotes)"},
	{"\xc2\xab" "extradici\xc3\xb3n pasiva\xc2\xbb", "(phrase #extradicion #pasiva)"},
	{"\"extradition tre*\"", "(phrase #extradition tre!)"},
	{"\"23-1732\"", "23-1732"},
	/* Connectors. */
	{"a /3 b", "(/3 a b)"},
	{"a w/3 b", "(/3 a b)"},
	{"a W/3 b", "(/3 a b)"},
	{"a /255 b", "(/255 a b)"},
	{"a +3 b", "(+3 a b)"},
	{"a pre/3 b", "(+3 a b)"},
	{"a PRE/3 b", "(+3 a b)"},
	{"a /s b", "(/s a b)"},
	{"a /S b", "(/s a b)"},
	{"a w/s b", "(/s a b)"},
	{"a +s b", "(+s a b)"},
	{"a /p b", "(/p a b)"},
	{"a w/p b", "(/p a b)"},
	{"a +p b", "(+p a b)"},
	{"a /s(b OR c)", "(/s a (or b c))"},
	/* Tighter connectors bind first: /n, then /s, then /p; OR tighter still. */
	{"a /s b /p c", "(/p (/s a b) c)"},
	{"a /p b /s c", "(/p a (/s b c))"},
	{"a /3 b /3 c", "(/3 (/3 a b) c)"},
	{"a /3 b /s c /p d", "(/p (/s (/3 a b) c) d)"},
	{"a /s b OR c", "(/s a (or b c))"},
	{"a OR b /s c", "(/s (or a b) c)"},
	{"a b /s c", "(and a (/s b c))"},
	{"(a /s b) NOT c", "(not (/s a b) c)"},
	{"\"Extradition Treaty\" /p mexico", "(/p (phrase #extradition #treaty) mexico)"},
	{"\"mutual legal\" /s (treaty OR convention)",
	 "(/s (phrase #mutual #legal) (or treaty convention))"},
	{"(extradite! OR surrender!) /s (treaty OR convention)",
	 "(/s (or extradite! surrender!) (or treaty convention))"},
	{"extradit! /s treaty", "(/s extradit! treaty)"},
	{"extradition-related /5 treaty", "(/5 (phrase extradition related) treaty)"},
	{"(a /3 b) /s (c OR d /2 e)", "(/s (/3 a b) (/2 (or c d) e))"},

	/* Errors: the column and what was expected. */
	{"", "ERR 1: empty query: give at least one word to search for"},
	{"   ", "ERR 1: empty query: give at least one word to search for"},
	{"\xc2\xa7 \xc2\xb6", "ERR 1: empty query: give at least one word to search for"},
	{"a /s", "ERR 3: /s needs a word on both sides"},
	{"/s b", "ERR 1: /s needs a word on both sides"},
	{"a /s /p b", "ERR 3: /s needs a word on both sides"},
	{"AND b", "ERR 1: AND needs a word on both sides"},
	{"a AND", "ERR 3: AND needs a word on both sides"},
	{"a &", "ERR 3: & needs a word on both sides"},
	{"OR", "ERR 1: OR needs a word on both sides"},
	{"a OR OR b", "ERR 3: OR needs a word on both sides"},
	{"NOT b", "ERR 1: NOT needs a word on both sides"},
	{"NOT(a) b", "ERR 1: NOT needs a word on both sides"},
	{"a BUT NOT", "ERR 3: BUT NOT needs a word on both sides"},
	{"(a", "ERR 1: this ( is never closed: add a ) after what it groups"},
	{"a (b", "ERR 3: this ( is never closed: add a ) after what it groups"},
	{"a)", "ERR 2: this ) has no matching (: remove it or add a ( before it"},
	{"()", "ERR 1: empty parentheses: put words between them or remove them"},
	{"\"abc", "ERR 1: this quote is never closed: add a closing \" after the phrase"},
	{"a \"b c", "ERR 3: this quote is never closed: add a closing \" after the phrase"},
	{"\"\"", "ERR 1: empty quotes: put the exact words to find between them"},
	{"\"\xc2\xa7\"", "ERR 1: nothing to search for between these quotes: no letters or digits"},
	{"*tion", "ERR 1: a word cannot start with *: a leading wildcard would have to try "
		  "every word in the index; give at least one letter or digit before it, as in extradit*"},
	{"?!", "ERR 1: ! needs letters or digits before it, as in extradit!"},
	{"a!b", "ERR 1: ! goes at the end of a word, as in extradit!, to find every word that starts with it"},
	{"a /0 b", "ERR 3: the distance in /0 must be a number of words from 1 to 255"},
	{"a /256 b", "ERR 3: the distance in /256 must be a number of words from 1 to 255"},
	{"a w/1000 b", "ERR 3: the distance in w/1000 must be a number of words from 1 to 255"},
	{"a /x b", "ERR 3: unknown connector \"/x\": use /n (n a number of words from 1 to 255), /s, /p, +n, +s or +p"},
	{"a /sx b", "ERR 3: unknown connector \"/sx\": use /n (n a number of words from 1 to 255), /s, /p, +n, +s or +p"},
	{"a / b", "ERR 3: / must be followed by a number of words, s or p, as in /5, /s or /p"},
	{"title:", "ERR 1: title: needs a value right after the colon, as in title:extradition"},
	{"title: extradition", "ERR 1: title: needs a value right after the colon, as in title:extradition"},
	{"court:", "ERR 1: court: needs a value right after the colon, as in court:\"audiencia nacional\""},
	{"date:20", "ERR 6: \"20\" is not a date: write dates as YYYY, YYYY-MM or YYYY-MM-DD"},
	{"date:2019-13", "ERR 6: \"2019-13\": 13 is not a month; write dates as YYYY, YYYY-MM or YYYY-MM-DD"},
	{"date:2019-02-29", "ERR 6: \"2019-02-29\": 2019-02 has no day 29"},
	{"date:2020..2019", "ERR 6: the date range 2020..2019 ends before it starts"},
	{"after:2018..2019", "ERR 7: after: takes one date, not a range; for a range write date:2018..2019"},
	{"date:(2019)", "ERR 6: date: takes one date or a range, as in date:2019-09..2020-12, not parentheses"},
	{"title:(a court:b)", "ERR 10: court: cannot be inside another field's value"},
	{"title:(a /s b)", "ERR 1: connectors cannot be used inside a field's value; title: takes words joined by AND, OR and NOT"},
	{"type:ord*er", "ERR 6: in a field value, * goes at the end, as in court:audiencia*"},
	{"a OR -b", "ERR 6: -b can only exclude from words joined by AND or a space, not inside OR or a connector; use NOT: (a OR b) NOT c"},
	{"-a", "ERR 1: nothing to search for: -word only excludes; add a word to search for"},
	{"(-a)", "ERR 2: nothing to search for: -word only excludes; add a word to search for"},
	{"a -(-b)", "ERR 3: two exclusions in a row: write -word once"},
	{"a /s -b", "ERR 3: /s cannot join an exclusion: exclude outside it, as in (a /s b) NOT c"},
	{"(a AND b) /s c", "ERR 11: /s joins words, phrases and OR-groups, not an AND: write (a /s c) AND (b /s c)"},
	{"(a NOT b) /s c", "ERR 11: /s cannot join an exclusion: exclude outside it, as in (a /s b) NOT c"},
	{"title:a /s b", "ERR 9: /s cannot join a field or date restriction: put it outside, as in (a /s b) AND title:extradition"},
	{"a /3 (b OR date:2019)", "ERR 3: /3 cannot join a field or date restriction: put it outside, as in (a /3 b) AND title:extradition"},
	{"a\x07" "b", "ERR 2: control character U+0007 at column 2: remove it from the query"},
	{"abc\xe9" "def", "ERR 4: invalid UTF-8 at column 4 (byte 0xE9): the query must be UTF-8 text"},
	{"Zer\xc3\xb3n \xff", "ERR 7: invalid UTF-8 at column 7 (byte 0xFF): the query must be UTF-8 text"},
	{"\xc3\x28", "ERR 1: invalid UTF-8 at column 1 (byte 0xC3): the query must be UTF-8 text"},
};

static char *parse_to_string(const char *q, size_t len)
{
	qast *a;
	char *s;
	int rc = query_parse(&a, q, len);
	if (rc) {
		cr_assert_eq(rc, DICTA_EQUERY, "%s: code %d (%s)", q, rc, dicta_error_last());
		size_t n = strlen(dicta_error_last()) + 32;
		s = malloc(n);
		cr_assert_not_null(s);
		snprintf(s, n, "ERR %d: %s", dicta_error_column(), dicta_error_last());
		return s;
	}
	s = qast_print(a);
	cr_assert_not_null(s);
	qast_free(a);
	return s;
}

Test(query_parse, every_row_parses_as_expected)
{
	size_t n = sizeof rows / sizeof rows[0];
	cr_assert_geq(n, 80);
	for (size_t i = 0; i < n; i++) {
		char *got = parse_to_string(rows[i].query, strlen(rows[i].query));
		cr_expect_str_eq(got, rows[i].want, "query [%s]", rows[i].query);
		free(got);
	}
}

Test(query_parse, a_long_fact_description_is_a_natural_query)
{
	/* 6,000 characters of pasted facts, punctuation and all. */
	const char *para = "The appellant, on February 9, 1961, was appointed an officer "
			   "of the respondent Bank; he was promoted in 1968 & later "
			   "transferred. ";
	size_t pl = strlen(para), n = 0;
	char *q = malloc(6200);
	cr_assert_not_null(q);
	while (n + pl < 6000) {
		memcpy(q + n, para, pl);
		n += pl;
	}
	q[n] = '\0';
	/* "&" is an operator: the query becomes an AND of its words. */
	char *got = parse_to_string(q, n);
	cr_expect(strncmp(got, "(and the appellant on february 9 1961", 37) == 0, "%.80s", got);
	free(got);
	for (size_t i = 0; i < n; i++)
		if (q[i] == '&')
			q[i] = ' ';
	got = parse_to_string(q, n);
	cr_expect(strncmp(got, "(rank the appellant on february 9 1961 was", 42) == 0, "%.80s", got);
	free(got);
	free(q);
}

Test(query_parse, limits_are_refused_with_a_message)
{
	size_t big = QUERY_MAX_BYTES + 1;
	char *q = malloc(big + 1);
	cr_assert_not_null(q);
	memset(q, 'a', big);
	q[big] = '\0';
	qast *a;
	cr_expect_eq(query_parse(&a, q, big), DICTA_EQUERY);
	cr_expect(strstr(dicta_error_last(), "the limit is 65536 bytes"), "%s", dicta_error_last());

	/* 65 connectors. */
	size_t n = 0;
	for (int i = 0; i < 65; i++)
		n += (size_t)sprintf(q + n, "w%d /s ", i);
	n += (size_t)sprintf(q + n, "end");
	cr_expect_eq(query_parse(&a, q, n), DICTA_EQUERY);
	cr_expect(strstr(dicta_error_last(), "more than 64 connectors"), "%s", dicta_error_last());

	/* 4,097 words. */
	n = 0;
	for (int i = 0; i < 4097; i++)
		n += (size_t)sprintf(q + n, "w%d ", i);
	cr_expect_eq(query_parse(&a, q, n), DICTA_EQUERY);
	cr_expect(strstr(dicta_error_last(), "more than 4096 words"), "%s", dicta_error_last());

	/* Parentheses 33 deep. */
	n = 0;
	for (int i = 0; i < 33; i++)
		q[n++] = '(';
	q[n++] = 'a';
	for (int i = 0; i < 33; i++)
		q[n++] = ')';
	cr_expect_eq(query_parse(&a, q, n), DICTA_EQUERY);
	cr_expect_eq(dicta_error_column(), 33);
	cr_expect(strstr(dicta_error_last(), "nested more than 32 deep"), "%s", dicta_error_last());
	free(q);
}

/* Regression (fuzz_query): a chain of NOTs made a tree as deep as the
 * chain was long, so every walk of it recursed thousands of levels. */
Test(query_parse, a_chain_of_nots_is_one_flat_node)
{
	size_t n = 0, cap = 2000 * 12;
	char *q = malloc(cap);
	cr_assert_not_null(q);
	n += (size_t)sprintf(q + n, "w0");
	for (int i = 1; i < 2000; i++)
		n += (size_t)sprintf(q + n, " NOT w%d", i);
	qast *a;
	cr_assert_eq(query_parse(&a, q, n), 0, "%s", dicta_error_last());
	const qnode *r = qast_root(a);
	cr_expect_eq(r->kind, Q_NOT);
	cr_expect_eq(r->nkids, 2000);
	for (size_t i = 0; i < r->nkids; i++)
		cr_expect_eq(r->kids[i]->kind, Q_TERM);
	qast_free(a);
	free(q);
}

Test(query_parse, a_nul_byte_is_a_control_character)
{
	qast *a;
	cr_expect_eq(query_parse(&a, "a\0b", 3), DICTA_EQUERY);
	cr_expect_eq(dicta_error_column(), 2);
	cr_expect(strstr(dicta_error_last(), "U+0000"), "%s", dicta_error_last());
	cr_expect_null(a);
}
