/*
 * test_analyze.c — the analyzer (lib/analyze.c): folding, token boundaries
 * and byte offsets, identifiers, sentence and paragraph ordinals, and
 * ill-formed UTF-8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "analyze.h"

#define MAX_TOKS 256

struct tok {
	char text[256];
	size_t len, start, end;
	uint32_t pos, sentence, paragraph;
	unsigned flags;
};

struct toks {
	const char *input;
	size_t input_len;
	struct tok t[MAX_TOKS];
	size_t n;
	int bad_raw; /* a token whose raw was not input + start */
};

static int collect(const token *t, void *payload)
{
	struct toks *ts = payload;
	struct tok *o;

	if (t->raw != ts->input + t->start || t->start >= t->end ||
	    t->end > ts->input_len || strlen(t->text) != t->len)
		ts->bad_raw = 1;
	if (ts->n == MAX_TOKS)
		return 0;
	o = &ts->t[ts->n++];
	snprintf(o->text, sizeof o->text, "%s", t->text);
	o->len = t->len;
	o->start = t->start;
	o->end = t->end;
	o->pos = t->pos;
	o->sentence = t->sentence;
	o->paragraph = t->paragraph;
	o->flags = t->flags;
	return 0;
}

static void run_n(struct toks *ts, const char *in, size_t len)
{
	memset(ts, 0, sizeof *ts);
	ts->input = in;
	ts->input_len = len;
	cr_assert_eq(analyze_text(in, len, collect, ts), 0, "input: %s", in);
	cr_assert_not(ts->bad_raw, "bad raw/offsets for input: %s", in);
}

static void run(struct toks *ts, const char *in)
{
	run_n(ts, in, strlen(in));
}

/* The token texts joined by single spaces. */
static char *joined(const struct toks *ts, char *buf, size_t size)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ts->n; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? " " : "",
				      ts->t[i].text);
	return buf;
}

/* A field of every token, joined by spaces: "0 0 1". */
static char *ordinals(const struct toks *ts, int paragraphs, char *buf,
		      size_t size)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ts->n; i++)
		o += (size_t)snprintf(
			buf + o, size - o, "%s%u", i ? " " : "",
			paragraphs ? ts->t[i].paragraph : ts->t[i].sentence);
	return buf;
}

/* ------------------------------------------------------------ folding */

Test(analyze, fold_table)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{"Zerón", "zeron"},
		{"ZERÓN", "zeron"},
		{"zeron", "zeron"},
		{"Zero\xCC\x81n", "zeron"}, /* decomposed: o + U+0301 */
		{"EXTRADICIÓN", "extradicion"},
		{"Ñandú", "nandu"},
		{"Straße", "strasse"},
		{"STRASSE", "strasse"},
		{"ÄÖÜ", "aou"},
		{"İSTANBUL", "istanbul"}, /* Turkish dotted capital I */
		{"ıi", "ıi"},             /* dotless i folds to itself */
		{"ΣΟΦΟΣ", "σοφοσ"},
		{"σοφός", "σοφοσ"}, /* final sigma and tonos */
		{"ПРАВО", "право"},
		{"ﬁnal", "final"},  /* ligature */
		{"MiXeD-Case.", "mixed-case."},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t n = 99;
		char *f = analyze_fold(rows[i].in, strlen(rows[i].in), &n);
		cr_assert_not_null(f);
		cr_assert_str_eq(f, rows[i].want, "fold(%s)", rows[i].in);
		cr_assert_eq(n, strlen(rows[i].want));
		free(f);
	}
}

Test(analyze, fold_drops_ill_formed_bytes)
{
	size_t n;
	char *f = analyze_fold("AB\xFF" "C\xC3", 5, &n);
	cr_assert_str_eq(f, "abc");
	cr_assert_eq(n, 3);
	free(f);
}

Test(analyze, tokens_fold_like_analyze_fold)
{
	const char *in = "Zerón ZERÓN zeron EXTRADICIÓN Straße ΣΟΦΟΣ Éxito";
	struct toks ts;
	char buf[512];

	run(&ts, in);
	cr_assert_str_eq(joined(&ts, buf, sizeof buf),
			 "zeron zeron zeron extradicion strasse σοφοσ exito");
	for (size_t i = 0; i < ts.n; i++) {
		size_t n;
		char *f = analyze_fold(in + ts.t[i].start,
				       ts.t[i].end - ts.t[i].start, &n);
		cr_assert_str_eq(f, ts.t[i].text);
		free(f);
	}
}

/* ------------------------------------------------------------- tokens */

Test(analyze, token_table)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{"", ""},
		{"... --- !!! §§ ¿¡ “” —", ""},
		{"Hello, world!", "hello world"},
		{"extradition-related", "extradition related"},
		{"and/or", "and or"},
		{"No. 23-1732", "no 23-1732"},
		{"§ 1-207.39.", "1-207.39"},
		{"1:22-cr-00417", "1:22-cr-00417"},
		{"3184.", "3184"},
		{"12.5 percent", "12.5 percent"},
		{"2019-01-05", "2019-01-05"},
		{"10:30 a.m.", "10:30 am"},
		{"COVID-19", "covid-19"},
		{"123 F.2d 456", "123 f.2d 456"},
		{"No.23", "no.23"},
		/* a missing space after a year glued "1951.in" together */
		{"in 1951.The court", "in 1951 the court"},
		{"v1.2a", "v1.2a"},
		{"U.S.C.", "usc"},
		{"the U.S. and", "the us and"},
		{"e.g., i.e.", "eg ie"},
		{"U.S.-Mexico", "us mexico"},
		{"J. Smith", "j smith"},
		{"court's", "court"},
		{"the Court’s order", "the court order"},
		{"COURT'S", "court"},
		{"1990's", "1990"},
		{"O'Neill", "oneill"},
		{"O’Neill", "oneill"},
		{"don't", "dont"},
		{"courts' decisions", "courts decisions"},
		{"'quoted'", "quoted"},
		{"rock 'n' roll", "rock n roll"},
		{"extra\xC2\xAD" "dition", "extradition"}, /* soft hyphen */
		{"a--b", "a b"},
		{"1..2", "1 2"},
		{"1-", "1"},
		{"-5", "5"},
		{"Zero\xCC\x81n", "zeron"},
		{"\xCC\x81" "abc", "abc"}, /* a mark does not start a word */
		{"snake_case", "snake case"},
		{"año 2024: ¿Qué?", "ano 2024 que"},
		{"東京 地裁", "東京 地裁"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct toks ts;
		char buf[512];
		run(&ts, rows[i].in);
		cr_assert_str_eq(joined(&ts, buf, sizeof buf), rows[i].want,
				 "input: %s", rows[i].in);
	}
}

Test(analyze, citation_forms_agree)
{
	static const char *const forms[] = {
		"18 U.S.C. § 3184",
		"18 USC 3184",
		"18 U.S.C. §3184",
		"18 u.s.c. 3184.",
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		struct toks ts;
		char buf[256];
		run(&ts, forms[i]);
		cr_assert_str_eq(joined(&ts, buf, sizeof buf), "18 usc 3184",
				 "input: %s", forms[i]);
		cr_assert_eq(ts.t[0].flags, TOK_NUMERIC);
		cr_assert_eq(ts.t[1].flags, 0);
		cr_assert_eq(ts.t[2].flags, TOK_NUMERIC);
	}
}

Test(analyze, offsets_and_raw)
{
	const char *in = "The Court’s order in No. 23-1732, U.S.C. § 3184. "
			 "O'Neill—Zerón";
	static const char *const raw[] = {
		"The", "Court", "order", "in", "No", "23-1732", "U.S.C",
		"3184", "O'Neill", "Zerón",
	};
	static const char *const text[] = {
		"the", "court", "order", "in", "no", "23-1732", "usc",
		"3184", "oneill", "zeron",
	};
	struct toks ts;

	run(&ts, in);
	cr_assert_eq(ts.n, sizeof raw / sizeof raw[0]);
	for (size_t i = 0; i < ts.n; i++) {
		size_t n = ts.t[i].end - ts.t[i].start;
		cr_assert_eq(n, strlen(raw[i]), "token %zu", i);
		cr_assert(memcmp(in + ts.t[i].start, raw[i], n) == 0,
			  "token %zu: want raw %s", i, raw[i]);
		cr_assert_str_eq(ts.t[i].text, text[i]);
		cr_assert_eq(ts.t[i].len, strlen(text[i]));
	}
	cr_assert_eq(ts.t[0].start, 0);
	cr_assert_eq(ts.t[1].start, 4);
	cr_assert_eq(ts.t[1].end, 9);
}

Test(analyze, positions_count_every_token)
{
	struct toks ts;

	run(&ts, "the - of a, to; and (in) the -- end");
	cr_assert_eq(ts.n, 8);
	for (size_t i = 0; i < ts.n; i++)
		cr_assert_eq(ts.t[i].pos, i);
}

Test(analyze, numeric_flag)
{
	static const struct {
		const char *in;
		unsigned flags;
	} rows[] = {
		{"3184", TOK_NUMERIC},   {"23-1732", TOK_NUMERIC},
		{"F.2d", TOK_NUMERIC},   {"covid-19", TOK_NUMERIC},
		{"court", 0},            {"U.S.C.", 0},
		{"٣١٨٤", TOK_NUMERIC}, /* Arabic-Indic digits are Nd */
		{"Ⅻ", 0},               /* a number, but no decimal digit */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct toks ts;
		run(&ts, rows[i].in);
		cr_assert_eq(ts.n, 1, "input: %s", rows[i].in);
		cr_assert_eq(ts.t[0].flags, rows[i].flags, "input: %s",
			     rows[i].in);
	}
}

Test(analyze, long_tokens_grow_the_buffer)
{
	size_t n = 10000;
	char *in = malloc(2 * n + 1);
	struct toks ts;

	for (size_t i = 0; i < n; i++)
		in[i] = 'A';
	in[n] = ' ';
	for (size_t i = 0; i < n / 2; i++)
		memcpy(in + n + 1 + 2 * i, "\xC3\x89", 2); /* É */
	run_n(&ts, in, n + 1 + n);
	cr_assert_eq(ts.n, 2);
	cr_assert_eq(ts.t[0].len, n);
	cr_assert_eq(ts.t[1].len, n / 2);
	cr_assert_eq(ts.t[1].start, n + 1);
	cr_assert_eq(ts.t[1].end, 2 * n + 1);
	free(in);
}

static int stop_after_two(const token *t, void *payload)
{
	int *seen = payload;
	(void)t;
	return ++*seen == 2 ? 7 : 0;
}

Test(analyze, callback_stops_the_scan)
{
	int seen = 0;
	cr_assert_eq(analyze_text("one two three four", 18, stop_after_two,
				  &seen), 7);
	cr_assert_eq(seen, 2);
}

/* ---------------------------------------------- sentences, paragraphs */

Test(analyze, sentence_table)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{"He was arrested. The court ruled.", "0 0 0 1 1 1"},
		{"See No. 23-1732 and Smith v. Jones.", "0 0 0 0 0 0 0"},
		{"Mr. Smith met Dr. Jones, Inc. in St. Louis.",
		 "0 0 0 0 0 0 0 0 0"},
		{"J. Smith testified. He left.", "0 0 0 1 1"},
		{"Did he? Yes! No.", "0 0 1 2"},
		{"Lo dijo. ¿Qué pasa? ¡Nada!", "0 0 1 1 2"},
		{"arrested. the court", "0 0 0"},          /* lower case */
		{"arrested.The court", "0 0 0"},           /* no space */
		{"He left.\" The end.", "0 0 1 1"},        /* closing quote */
		{"He left. \"The end.\"", "0 0 1 1"},      /* opening quote */
		{"He left. (The end.)", "0 0 1 1"},
		{"It cost 5. 6 were left.", "0 0 0 1 1 1"}, /* digit starts */
		{"18 U.S.C. § 3184. The court", "0 0 0 1 1"},
		{"cf. Roe, e.g. Doe, i.e. Poe", "0 0 0 0 0 0"},
		{"Art. 5 and Sec. 7 and pp. 3", "0 0 0 0 0 0 0 0"},
		{"the answer is no. The end", "0 0 0 0 1 1"},
		{"Wait... Then", "0 1"},
		{"in the U.S. The court", "0 0 0 0 0"}, /* the price of U.S. */
		{"The court’s. Next", "0 0 1"},
		{"One. \n Two", "0 1"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct toks ts;
		char buf[512];
		run(&ts, rows[i].in);
		cr_assert_str_eq(ordinals(&ts, 0, buf, sizeof buf),
				 rows[i].want, "input: %s", rows[i].in);
	}
}

Test(analyze, paragraph_table)
{
	static const struct {
		const char *in, *sentences, *paragraphs;
	} rows[] = {
		{"First part.\n\nSecond part.\nStill second.\n \t\r\n\nThird",
		 "0 0 1 1 2 2 3", "0 0 1 1 1 1 2"},
		{"One.\r\n\r\nTwo", "0 1", "0 1"},
		{"One\nTwo", "0 0", "0 0"},            /* a single newline */
		{"One\r\nTwo", "0 0", "0 0"},
		{"\n\n\nOne\n\n", "0", "0"},           /* leading and trailing */
		{"A\n\n\n\n\nB", "0 1", "0 1"},        /* many blank lines: one */
		{"a heading\n\nno period", "0 0 1 1", "0 0 1 1"},
		{"A\n-\nB", "0 0", "0 0"},             /* not a blank line */
		{"A\xE2\x80\xA9" "B", "0 1", "0 1"},   /* U+2029 */
		{"End.\n\nNext. More.", "0 1 2", "0 1 1"},
		/* "para." is an abbreviation, yet a blank line still ends it */
		{"See para.\n\nNext para. More", "0 0 1 1 1", "0 0 1 1 1"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct toks ts;
		char buf[512];
		run(&ts, rows[i].in);
		cr_assert_str_eq(ordinals(&ts, 0, buf, sizeof buf),
				 rows[i].sentences, "sentences: %s",
				 rows[i].in);
		cr_assert_str_eq(ordinals(&ts, 1, buf, sizeof buf),
				 rows[i].paragraphs, "paragraphs: %s",
				 rows[i].in);
	}
}

/* ------------------------------------------------------ invalid UTF-8 */

Test(analyze, ill_formed_utf8_separates)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} rows[] = {
		{"abc\xFF\xFE def\xC3", 10, "abc def"}, /* truncated at end */
		{"\xC0\xAF" "abc", 5, "abc"},           /* overlong '/' */
		{"ab\xC0\xAF" "cd", 6, "ab cd"},
		{"ab\xED\xA0\x80" "cd", 7, "ab cd"},    /* a surrogate */
		{"ab\xF4\x90\x80\x80" "cd", 8, "ab cd"}, /* above U+10FFFF */
		{"ab\0cd", 5, "ab cd"},                 /* NUL */
		{"x\xE2\x82", 3, "x"},                  /* truncated € */
		{"\xE2", 1, ""},
		{"caf\xC3" "e", 5, "caf e"},            /* lead byte, no tail */
		{"\x80\x80\x80", 3, ""},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct toks ts;
		char buf[256];
		run_n(&ts, rows[i].in, rows[i].len);
		cr_assert_str_eq(joined(&ts, buf, sizeof buf), rows[i].want,
				 "row %zu", i);
	}
}

Test(analyze, random_bytes_stay_in_bounds)
{
	/* Random bytes biased to UTF-8 lead bytes, joiners and letters; each
	 * buffer is its own allocation so ASan sees any overrun. */
	static const char pool[] = "aZ9.-/:' \n\xC3\xA9\xE2\x80\x99\xF0\x9F"
				   "\xCC\x81\xFF\xC0\xED\xA0";
	uint32_t seed = 12345;
	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(round % 64) + 1;
		char *in = malloc(len);
		struct toks ts;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (seed >> 16) & 1
					? pool[(seed >> 17) % (sizeof pool - 1)]
					: (char)(seed >> 20);
		}
		run_n(&ts, in, len);
		for (size_t i = 0; i < ts.n; i++) {
			cr_assert_eq(ts.t[i].pos, i);
			cr_assert(ts.t[i].len > 0);
			if (i)
				cr_assert(ts.t[i].start >= ts.t[i - 1].end);
		}
		free(in);
	}
}

Test(analyze, sanitize_table)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
		size_t replaced;
	} rows[] = {
		{"abc", 3, "abc", 0},
		{"", 0, "", 0},
		{"é€😀", 9, "é€😀", 0},
		{"a\xFF" "b", 3, "a\xEF\xBF\xBD" "b", 1},
		{"\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 2},
		{"x\xE2\x82", 3, "x\xEF\xBF\xBD", 1}, /* one maximal subpart */
		{"\xED\xA0\x80", 3,
		 "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3},
		{"a\0b", 3, "a\xEF\xBF\xBD" "b", 1},
		{"abc\xFF\xFE def\xC3", 10,
		 "abc\xEF\xBF\xBD\xEF\xBF\xBD def\xEF\xBF\xBD", 3},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t n = 99, replaced = 99;
		char *out = utf8_sanitize(rows[i].in, rows[i].len, &n,
					  &replaced);
		cr_assert_not_null(out);
		cr_assert_eq(n, strlen(rows[i].want), "row %zu", i);
		cr_assert(memcmp(out, rows[i].want, n) == 0, "row %zu", i);
		cr_assert_eq(out[n], '\0');
		cr_assert_eq(replaced, rows[i].replaced, "row %zu", i);
		/* The validator agrees: valid exactly when nothing is replaced. */
		cr_assert_eq(utf8_is_valid(rows[i].in, rows[i].len),
			     rows[i].replaced == 0, "row %zu", i);
		free(out);
	}
}

Test(analyze, sanitize_output_is_well_formed)
{
	/* Every byte value, alone and after a lead byte. */
	for (int a = 0; a < 256; a++) {
		for (int b = 0; b < 256; b += 17) {
			char in[2] = {(char)a, (char)b};
			size_t n, replaced;
			char *out = utf8_sanitize(in, 2, &n, &replaced);
			cr_assert_eq(utf8_is_valid(in, 2), replaced == 0,
				     "bytes %02x %02x", a, b);
			char *again = utf8_sanitize(out, n, &n, &replaced);
			cr_assert_eq(replaced, 0, "bytes %02x %02x", a, b);
			cr_assert(utf8_is_valid(out, n), "bytes %02x %02x", a, b);
			free(out);
			free(again);
		}
	}
}

/* analyze_parts: the segments of a kept compound, each analyzed alone. */
Test(analyze, parts_of_compounds)
{
	static const struct {
		const char *in, *parts; /* parts joined by ' ', '#' marking numbers */
	} rows[] = {
		{"23-1732", "#23 #1732"},
		{"il-6", "il #6"},
		{"f.2d", "f #2d"},
		{"1:22-cr-00417", "#1 #22 cr #00417"},
		{"tnf-alpha/il-1", "tnf alpha il #1"},
		{"3184", ""},   /* no joiner: no parts */
		{"court", ""},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct toks ts;
		memset(&ts, 0, sizeof ts);
		ts.input = rows[i].in;
		ts.input_len = strlen(rows[i].in);
		cr_assert_eq(analyze_parts(rows[i].in, strlen(rows[i].in), collect, &ts), 0);
		char buf[256] = "";
		size_t o = 0;
		for (size_t k = 0; k < ts.n; k++)
			o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s%s", k ? " " : "",
					      ts.t[k].flags & TOK_NUMERIC ? "#" : "", ts.t[k].text);
		cr_expect_str_eq(buf, rows[i].parts, "input: %s", rows[i].in);
	}
	/* The callback's non-zero value stops the walk and is returned. */
	cr_expect_eq(analyze_parts("a-1-b", 5, stop_after_two, &(int){0}), 7);
}
