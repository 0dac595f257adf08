/*
 * test_passage.c — passage cutting: paragraph alignment, splitting long
 * paragraphs at sentence ends, merging tiny paragraphs and a tiny tail,
 * hard cuts in run-on text, and texts without words.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "passage.h"

/* n sentences of `words` words each ("wN ... wN." style), one paragraph. */
static void add_paragraph(char *buf, size_t cap, int sentences, int words)
{
	for (int s = 0; s < sentences; s++) {
		for (int w = 0; w < words; w++) {
			char word[16];
			snprintf(word, sizeof word, "%s%s", w == 0 ? "Word" : "word",
				 w == words - 1 ? "." : "");
			strncat(buf, word, cap - strlen(buf) - 1);
			strncat(buf, " ", cap - strlen(buf) - 1);
		}
	}
	strncat(buf, "\n\n", cap - strlen(buf) - 1);
}

static passage_span *cut(const char *text, size_t *n)
{
	passage_span *s;
	cr_assert_eq(passage_spans(text, strlen(text), &passage_default_rules, &s, n), 0);
	return s;
}

Test(passage, paragraphs_of_normal_size_are_passages)
{
	static char buf[20000];
	buf[0] = '\0';
	add_paragraph(buf, sizeof buf, 6, 12); /* 72 words */
	add_paragraph(buf, sizeof buf, 8, 10); /* 80 words */
	add_paragraph(buf, sizeof buf, 5, 12); /* 60 words */
	size_t n;
	passage_span *s = cut(buf, &n);
	cr_assert_eq(n, 3);
	cr_assert_eq(s[0].nwords, 72);
	cr_assert_eq(s[1].nwords, 80);
	cr_assert_eq(s[2].nwords, 60);
	cr_assert_eq(s[1].first_pos, 72);
	/* Each passage starts at the start of its paragraph. */
	cr_assert_eq(s[1].start, (size_t)(strstr(buf, "\n\n") + 2 - buf));
	free(s);
}

Test(passage, tiny_paragraphs_merge_forward)
{
	static char buf[20000];
	buf[0] = '\0';
	add_paragraph(buf, sizeof buf, 1, 5);  /* a heading */
	add_paragraph(buf, sizeof buf, 1, 8);  /* a short line */
	add_paragraph(buf, sizeof buf, 6, 12); /* 72 words */
	add_paragraph(buf, sizeof buf, 6, 12);
	size_t n;
	passage_span *s = cut(buf, &n);
	cr_assert_eq(n, 2);
	cr_assert_eq(s[0].nwords, 5 + 8 + 72);
	cr_assert_eq(s[1].nwords, 72);
	free(s);
}

Test(passage, long_paragraph_splits_at_sentence_ends)
{
	static char buf[40000];
	buf[0] = '\0';
	add_paragraph(buf, sizeof buf, 40, 20); /* 800 words, sentences of 20 */
	size_t n;
	passage_span *s = cut(buf, &n);
	cr_assert_gt(n, 3);
	uint32_t total = 0;
	for (size_t i = 0; i < n; i++) {
		cr_assert_leq(s[i].nwords, passage_default_rules.target_words + 20);
		cr_assert_eq(s[i].nwords % 20, 0, "passage %zu cuts a sentence", i);
		total += s[i].nwords;
	}
	cr_assert_eq(total, 800);
	free(s);
}

Test(passage, run_on_text_is_cut_at_the_hard_limit)
{
	static char buf[40000];
	buf[0] = '\0';
	for (int i = 0; i < 1000; i++)
		strcat(buf, "word ");
	size_t n;
	passage_span *s = cut(buf, &n);
	cr_assert_eq(n, 4); /* 300 + 300 + 300 + 100 */
	cr_assert_eq(s[0].nwords, passage_default_rules.hard_words);
	cr_assert_eq(s[3].nwords, 100);
	free(s);
}

Test(passage, tiny_tail_merges_into_the_last_passage)
{
	static char buf[20000];
	buf[0] = '\0';
	add_paragraph(buf, sizeof buf, 6, 12); /* 72 */
	add_paragraph(buf, sizeof buf, 6, 12); /* 72 */
	add_paragraph(buf, sizeof buf, 1, 6);  /* a 6-word signature line */
	size_t n;
	passage_span *s = cut(buf, &n);
	cr_assert_eq(n, 2);
	cr_assert_eq(s[1].nwords, 78);
	cr_assert_eq(s[1].end, strlen(buf) - 3); /* ends after "word." */
	cr_assert_eq(s[0].start, 0);
	free(s);
}

Test(passage, texts_without_words_have_no_passages)
{
	size_t n;
	passage_span *s = cut("", &n);
	cr_assert_eq(n, 0);
	cr_assert_null(s);
	s = cut(" \n\n -- ... \n", &n);
	cr_assert_eq(n, 0);
}

Test(passage, decisions)
{
	const passage_rules *r = &passage_default_rules;
	cr_assert_not(passage_should_cut(r, 0, 1, 1));
	cr_assert_not(passage_should_cut(r, 49, 1, 1));
	cr_assert(passage_should_cut(r, 50, 1, 1));
	cr_assert_not(passage_should_cut(r, 149, 0, 1));
	cr_assert(passage_should_cut(r, 150, 0, 1));
	cr_assert_not(passage_should_cut(r, 299, 0, 0));
	cr_assert(passage_should_cut(r, 300, 0, 0));
	cr_assert(passage_should_merge_tail(r, 100, 24));
	cr_assert_not(passage_should_merge_tail(r, 100, 25));
	cr_assert_not(passage_should_merge_tail(r, 290, 20));
	cr_assert_not(passage_should_merge_tail(r, 0, 10));
}
