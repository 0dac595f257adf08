/*
 * test_query.c — the query language end to end through the public API,
 * over the fixture corpus tests/data/query/docs.jsonl (see its README):
 * which documents each query matches, which words it highlights, date
 * sorting, and the errors a person gets, from the API and from
 * dicta-search.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dicta.h"

static char *tmp;
static char path[512];
static dicta_index *idx;

/* 1,001 distinct words starting with "quux", for the expansion cap. */
static void add_many_words(dicta_index *w)
{
	size_t cap = 1001 * 12, n = 0;
	char *text = malloc(cap);
	cr_assert_not_null(text);
	for (int i = 0; i < 1001; i++)
		n += (size_t)snprintf(text + n, cap - n, "quux%c%c%c ", 'a' + i / 676,
				      'a' + (i / 26) % 26, 'a' + i % 26);
	dicta_document d;
	memset(&d, 0, sizeof d);
	d.version = DICTA_DOCUMENT_VERSION;
	d.id = "q-many";
	d.title = "Many words";
	d.lang = "en";
	d.text = text;
	d.text_len = n;
	cr_assert_eq(dicta_index_add(w, &d), 0, "%s", dicta_error_last());
	free(text);
}

static void build_index(void)
{
	tmp = cli_tmpdir();
	snprintf(path, sizeof path, "%s/idx", tmp);
	dicta_index *w;
	cr_assert_eq(dicta_index_open(&w, path, DICTA_OPEN_WRITE), 0, "%s", dicta_error_last());
	dicta_ingest_options o;
	dicta_ingest_options_init(&o);
	dicta_ingest_stats st = {0};
	cr_assert_eq(dicta_index_add_path(w, "tests/data/query/docs.jsonl", &o, &st), 0,
		     "%s", dicta_error_last());
	cr_assert_eq(st.documents, 14);
	add_many_words(w);
	cr_assert_eq(dicta_index_commit(w), 0, "%s", dicta_error_last());
	dicta_index_free(w);
	cr_assert_eq(dicta_index_open(&idx, path, DICTA_OPEN_READ), 0, "%s", dicta_error_last());
}

static void drop_index(void)
{
	dicta_index_free(idx);
	cli_tmpdir_remove(tmp);
}

TestSuite(query, .init = build_index, .fini = drop_index);

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids of the documents q matches, sorted, space-separated. */
static char *match_ids(const char *q)
{
	dicta_search_options o;
	dicta_search_options_init(&o);
	o.k = 100;
	dicta_results *r;
	int rc = dicta_search_run(&r, idx, q, &o);
	cr_assert_eq(rc, 0, "[%s]: %s", q, dicta_error_last());
	size_t n = dicta_results_count(r);
	const char **ids = calloc(n + 1, sizeof *ids);
	cr_assert_not_null(ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = dicta_results_get(r, i)->id;
	qsort(ids, n, sizeof *ids, cmp_str);
	char *s = calloc(1, 4096);
	cr_assert_not_null(s);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, ids[i]);
	}
	free(ids);
	dicta_results_free(r);
	return s;
}

typedef struct {
	const char *query;
	const char *ids;
} match_row;

static const match_row rows[] = {
	/* /s and /p are exact: sentences and paragraphs, not distances. */
	{"extradition /s treaty", "q-abbrev q-highlight q-one-sentence q-order-words"},
	{"extradition /p treaty", "q-abbrev q-highlight q-one-sentence q-order-words q-sentences"},
	{"extradition w/s treaty", "q-abbrev q-highlight q-one-sentence q-order-words"},
	{"treaty /s 1978", "q-sentences"},
	{"magistrate /p 1978", "q-sentences"},
	{"(extradition /s treaty) /p 1978", ""},
	/* Two paragraphs of one passage: near in words, but neither /s nor /p. */
	{"asylum /p surrender", ""},
	{"asylum /s surrender", ""},
	{"asylum /10 surrender", "q-paragraphs"},
	{"asylum /5 surrender", ""},
	/* Abbreviations and initials do not end a sentence. */
	{"smith /s treaty", "q-abbrev"},
	/* Word distance: /n counts words between positions, either order. */
	{"extradition /3 treaty", "q-highlight q-one-sentence q-sentences"},
	{"extradition w/3 treaty", "q-highlight q-one-sentence q-sentences"},
	{"extradition /2 treaty", "q-highlight q-one-sentence"},
	{"surrender /2 nationals", "q-one-sentence"},
	{"nationals /1 surrender", ""},
	/* Ordered connectors. */
	{"extradition +s treaty", "q-abbrev q-highlight q-one-sentence"},
	{"treaty +s extradition", "q-order-words"},
	{"treaty pre/10 extradition", "q-order-words"},
	{"extradition +10 treaty", "q-abbrev q-highlight q-one-sentence q-sentences"},
	{"extradition +p treaty", "q-abbrev q-highlight q-one-sentence q-sentences"},
	/* Phrases: exact words in order, stopwords included. */
	{"\"extradition treaty\"", "q-highlight q-one-sentence"},
	{"\"treaty extradition\"", ""},
	{"\"freedom of information act\"", "q-foia"},
	{"freedom /3 information", "q-foia"},
	{"\"extradition treaty\" /s spain", "q-one-sentence"},
	/* Operands: roots, OR-groups. */
	{"(extradit! OR surrender!) /s (treaty OR convention)",
	 "q-abbrev q-highlight q-one-sentence q-order-words"},
	{"treaty /s (surrender OR asylum)", "q-one-sentence"},
	/* Stemming on by default; quotes and # turn it off. */
	{"extradited", "q-abbrev q-forms q-highlight q-one-sentence q-order-words q-sentences"},
	{"#extradited", "q-forms"},
	{"\"extradited\"", "q-forms"},
	{"extradit!", "q-abbrev q-forms q-highlight q-one-sentence q-order-words q-sentences"},
	{"extraditab*", "q-forms"},
	{"wom*n", "q-forms"},
	/* Spanish stems, accents. */
	{"extradicion", "q-es q-es-plural"},
	{"extradiciones", "q-es q-es-plural"},
	{"extradici\xc3\xb3n /p tratado", "q-es"},
	{"extradici\xc3\xb3n /s tratado", ""},
	{"extradici\xc3\xb3n /p defensa", ""},
	{"zeron", "q-es"},
	{"ZER\xc3\x93N", "q-es"},
	/* Boolean operators. */
	{"pegasus NOT horse", "q-pegasus-spy"},
	{"pegasus -horse", "q-pegasus-spy"},
	{"pegasus % horse", "q-pegasus-spy"},
	{"pegasus BUT NOT horse", "q-pegasus-spy"},
	{"pegasus AND horse", "q-pegasus-horse"},
	{"pegasus NOT horse NOT spyware", ""},
	{"pegasus NOT myths % reporters", ""},
	{"pegasus OR asylum NOT horse NOT tribunal", "q-highlight q-pegasus-spy"},
	{"pegasus & horse", "q-pegasus-horse"},
	{"pegasus OR asylum", "q-highlight q-paragraphs q-pegasus-horse q-pegasus-spy"},
	{"\"extradition treaty\" \"both sides\"", "q-highlight"},
	/* Fields. */
	{"title:treaty", "q-one-sentence"},
	{"title:(tribunal surrender)", "q-paragraphs"},
	{"title:(smith OR spain)", "q-abbrev q-one-sentence"},
	{"extradition -title:spain", "q-abbrev q-forms q-highlight q-order-words q-sentences"},
	{"court:florida", "q-sentences"},
	{"court:\"audiencia nacional\"", "q-es"},
	{"court:(tribunal OR florida)", "q-paragraphs q-sentences"},
	{"type:order", "q-highlight q-sentences"},
	{"type:ORDER treaty", "q-highlight q-sentences"},
	{"lang:es", "q-es q-es-plural"},
	{"lang:spanish", "q-es q-es-plural"},
	{"id:q-abbrev", "q-abbrev"},
	{"cite:f.3d", "q-abbrev"},
	{"custodian:clerk", "q-sentences"},
	{"family:f-7", "q-foia q-forms"},
	/* Dates: a date known to the month or year only counts from day 00. */
	{"date:2019", "q-paragraphs q-sentences"},
	{"date:2019-06", "q-paragraphs"},
	{"date:2018-12..2019-03", "q-forms q-sentences"},
	{"after:2018-12-01", "q-abbrev q-es q-es-plural q-highlight q-one-sentence q-paragraphs "
			     "q-pegasus-spy q-sentences"},
	{"before:2019", "q-foia q-forms q-freedom q-long q-pegasus-horse"},
	{"extradition date:2019", "q-sentences"},
	{"date:2020 treaty", "q-one-sentence"},
	/* A long paragraph cut into two passages: /p reaches within one
	 * passage only (the documented limit, docs/query-language.md). */
	{"omega /p ferries", "q-long"},
	{"alpha /p omega", ""},
};

Test(query, every_row_matches_the_expected_documents)
{
	size_t n = sizeof rows / sizeof rows[0];
	cr_assert_geq(n, 40);
	for (size_t i = 0; i < n; i++) {
		char *got = match_ids(rows[i].query);
		cr_expect_str_eq(got, rows[i].ids, "query [%s]", rows[i].query);
		free(got);
	}
}

/* The highlighted words of the best passage of document id for q,
 * joined by "|". */
static char *highlighted(const char *q, const char *id)
{
	dicta_search_options o;
	dicta_search_options_init(&o);
	o.k = 100;
	dicta_results *r;
	cr_assert_eq(dicta_search_run(&r, idx, q, &o), 0, "[%s]: %s", q, dicta_error_last());
	const char *text;
	size_t len;
	dicta_hit *doc;
	cr_assert_eq(dicta_document_get(&doc, &text, &len, idx, id), 0, "%s", id);
	char *s = calloc(1, 1024);
	cr_assert_not_null(s);
	int found = 0;
	for (size_t i = 0; i < dicta_results_count(r); i++) {
		const dicta_hit *h = dicta_results_get(r, i);
		if (strcmp(h->id, id) != 0)
			continue;
		found = 1;
		const dicta_passage *p = &h->passages[0];
		for (size_t k = 0; k < p->nhighlights; k++) {
			const dicta_span *sp = &p->highlights[k];
			cr_assert(sp->start < sp->end && sp->end <= len);
			if (k)
				strcat(s, "|");
			strncat(s, text + sp->start, sp->end - sp->start);
		}
	}
	cr_assert(found, "[%s] did not match %s", q, id);
	dicta_document_free(doc);
	dicta_results_free(r);
	return s;
}

typedef struct {
	const char *query, *id, *words;
} hl_row;

static const hl_row hl_rows[] = {
	/* A plain query marks every occurrence. */
	{"extradition", "q-highlight", "extradition|extradition"},
	/* A connector marks only the pair within reach: not the first
	 * "extradition", which has no treaty in its sentence. */
	{"extradition /s treaty", "q-highlight", "extradition|treaty"},
	{"extradition /2 treaty", "q-highlight", "extradition|treaty"},
	{"\"extradition treaty\"", "q-highlight", "extradition|treaty"},
	{"hearing /s extradition", "q-highlight", "extradition|hearing"},
	{"(extradit! OR surrender!) /s (treaty OR convention)", "q-one-sentence",
	 "extradition|treaty|surrender"},
	{"asylum /10 surrender", "q-paragraphs", "asylum|surrender"},
	{"treaty +s extradition", "q-order-words", "treaty|extradition"},
	/* NOT marks its left side only; fields and dates mark nothing. */
	{"pegasus NOT horse", "q-pegasus-spy", "Pegasus"},
	{"pegasus AND spyware", "q-pegasus-spy", "Pegasus|spyware"},
	{"treaty title:spain", "q-one-sentence", "treaty"},
	{"type:order date:2022", "q-highlight", ""},
	/* Roots and wildcards mark every form they matched. */
	{"extradit!", "q-forms", "extradited|extraditable"},
	{"wom*n", "q-forms", "woman|women"},
	{"extradit! /s suspect", "q-forms", "extradited|suspect|suspect|extraditable"},
	/* A stemmed word in a connector marks its forms. */
	{"extraditing /s suspect", "q-forms", "extradited|suspect|suspect|extraditable"},
	{"extradici\xc3\xb3n /p tratado", "q-es", "extradici\xc3\xb3n|tratado"},
};

Test(query, highlights_are_the_words_that_satisfied_the_query)
{
	for (size_t i = 0; i < sizeof hl_rows / sizeof hl_rows[0]; i++) {
		char *got = highlighted(hl_rows[i].query, hl_rows[i].id);
		cr_expect_str_eq(got, hl_rows[i].words, "query [%s] on %s", hl_rows[i].query,
				 hl_rows[i].id);
		free(got);
	}
}

Test(query, connector_matches_sort_by_date_on_request)
{
	dicta_search_options o;
	dicta_search_options_init(&o);
	o.sort = DICTA_SORT_DATE;
	dicta_results *r;
	cr_assert_eq(dicta_search_run(&r, idx, "extradition /s treaty", &o), 0, "%s",
		     dicta_error_last());
	cr_assert_eq(dicta_results_count(r), 4);
	const char *want[] = {"q-highlight", "q-abbrev", "q-one-sentence", "q-order-words"};
	for (size_t i = 0; i < 4; i++)
		cr_expect_str_eq(dicta_results_get(r, i)->id, want[i], "rank %zu", i + 1);
	dicta_results_free(r);
}

Test(query, boolean_matches_rank_by_bm25)
{
	/* Both match; the passage where "treaty" is a larger share ranks first. */
	dicta_results *r;
	cr_assert_eq(dicta_search_run(&r, idx, "extradition AND treaty", NULL), 0, "%s",
		     dicta_error_last());
	cr_assert_geq(dicta_results_count(r), 2);
	for (size_t i = 1; i < dicta_results_count(r); i++)
		cr_expect_geq(dicta_results_get(r, i - 1)->score, dicta_results_get(r, i)->score);
	cr_expect_gt(dicta_results_get(r, 0)->score, 0.0);
	dicta_results_free(r);
}

typedef struct {
	const char *query;
	int column;
	const char *message;
} err_row;

static const err_row err_rows[] = {
	{"extradition /s", 13, "/s needs a word on both sides"},
	{"judge:smith", 1, "unknown field judge: the fields are title, court, cite, type, lang, "
			   "id, date, after, before and, in this index, custodian, family"},
	{"treaty lang:xx", 13, "unknown language \"xx\" in lang:; use a code such as en, es or de"},
	{"quux! treaty", 1, "quux! matches more than 1000 words in this index; give more of the root"},
	{"qu*x*", 1, "qu*x* matches more than 1000 words in this index; give more letters before the *"},
	{"(a", 1, "this ( is never closed: add a ) after what it groups"},
};

Test(query, errors_name_the_column_and_what_was_expected)
{
	for (size_t i = 0; i < sizeof err_rows / sizeof err_rows[0]; i++) {
		dicta_results *r = NULL;
		cr_expect_eq(dicta_search_run(&r, idx, err_rows[i].query, NULL), DICTA_EQUERY,
			     "[%s]", err_rows[i].query);
		cr_expect_null(r);
		cr_expect_eq(dicta_error_column(), err_rows[i].column, "[%s]: column %d",
			     err_rows[i].query, dicta_error_column());
		cr_expect_str_eq(dicta_error_last(), err_rows[i].message, "[%s]", err_rows[i].query);
	}
	/* Under the cap, a root finds its words. */
	char *got = match_ids("quuxaa!");
	cr_expect_str_eq(got, "q-many");
	free(got);
}

Test(query, dicta_search_shows_the_error_under_the_query)
{
	cli_result r = cli_run("dicta-search --index %s 'extradit! /s' 2>&1", path);
	cr_expect_eq(r.status, 2, "%s", r.out);
	cr_expect(strstr(r.out, "dicta-search: /s needs a word on both sides\n"
				"  extradit! /s\n"
				"            ^\n"),
		  "%s", r.out);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s '\"unbalanced quote' 2>&1", path);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.out, "this quote is never closed"), "%s", r.out);
	cli_result_free(&r);
	/* A long query, with a tab and a line break: a window of it on one
	 * line, the caret under the connector. */
	char q[700];
	size_t n = 0;
	for (int i = 0; i < 100; i++)
		n += (size_t)sprintf(q + n, "word ");
	sprintf(q + n, "x\t\n/s");
	r = cli_run("dicta-search --index %s \"$(printf '%s')\" 2>&1", path, q);
	cr_expect_eq(r.status, 2);
	const char *l1 = strstr(r.out, "\n  ...");
	cr_assert_not_null(l1, "%s", r.out);
	l1 += 1;
	const char *l2 = strchr(l1, '\n');
	cr_assert_not_null(l2);
	l2 += 1;
	const char *slash = strstr(l1, "/s"), *caret = strchr(l2, '^');
	cr_assert(slash && caret && slash < l2, "%s", r.out);
	cr_expect_eq(slash - l1, caret - l2, "%s", r.out);
	cr_expect_lt(l2 - l1, 90, "the line shows a window: %s", r.out);
	cli_result_free(&r);
	/* A connector query from the command line, highlighted in a pipe. */
	r = cli_run("dicta-search --index %s 'extradition /s treaty' --sort date -k 1", path);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "The extradition hearing lasted two days. The **extradition** "
				"**treaty** was cited"),
		  "%s", r.out);
	cli_result_free(&r);
}
