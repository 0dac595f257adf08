/*
 * test_batch.c — batch runs: every query-file format read, including the
 * lines that must be reported as "file:line: reason" and skipped; free
 * text kept away from the query language; long queries cut to their
 * informative words; the passage aggregation and title weighting the
 * batch evaluation tunes; and the round trip a researcher makes, batch
 * file -> TREC run -> dicta-eval, with the JSON Lines, CSV and HTML
 * reports looked at as their readers would.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cli.h"
#include "dicta.h"
#include "query_select.h"

static char skipped[4096];

static void on_skip(const char *path, long line, const char *reason, void *payload)
{
	(void)payload;
	size_t n = strlen(skipped);
	snprintf(skipped + n, sizeof skipped - n, "%s:%ld: %s\n", path, line, reason);
}

static batch_queries parse(const char *text, batch_format f)
{
	batch_queries qs = {0};
	skipped[0] = '\0';
	cr_assert_eq(batch_parse(&qs, "q.txt", text, strlen(text), f, on_skip, NULL), 0,
		     "%s", dicta_error_last());
	return qs;
}

static void expect_query(const batch_queries *qs, size_t i, const char *id,
			 const char *text, long line)
{
	cr_assert_lt(i, qs->n, "only %zu queries", qs->n);
	cr_expect_str_eq(qs->q[i].id, id);
	cr_expect_str_eq(qs->q[i].text, text);
	cr_expect_eq(qs->q[i].line, line, "query %s on line %ld, not %ld", id,
		     qs->q[i].line, line);
}

/* ------------------------------------------------------------ formats */

Test(batch, detects_each_format_from_its_content)
{
	static const struct {
		const char *text;
		batch_format f;
	} rows[] = {
		{"1\textradition treaty\n2\tasylum\n", BATCH_TSV},
		{"{\"_id\": \"0\", \"text\": \"claim\"}\n", BATCH_JSONL},
		{"AILA_Q1||The appellant was appointed\n", BATCH_AILA},
		{"<top>\n<num> Number: 301\n<title> extradition\n</top>\n", BATCH_TREC},
		{"\xEF\xBB\xBF" "1\tBOM first\n", BATCH_TSV},
		/* A tab inside AILA text does not make it TSV when "||" leads. */
		{"Q1||a\tb\nQ2||c\nQ3||d\n", BATCH_AILA},
		{"just words\nand more words\n", BATCH_AUTO},
		{"", BATCH_AUTO},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		cr_expect_eq(batch_detect(rows[i].text, strlen(rows[i].text)), rows[i].f,
			     "row %zu: %s", i, rows[i].text);
}

Test(batch, tsv_with_header_comments_and_bad_lines)
{
	batch_queries qs = parse("id\tquery\n"
				 "# issues list, March\n"
				 "1\textradition /s treaty\n"
				 "no tab here\n"
				 "\n"
				 "2\t  asylum   claims \r\n"
				 "3\t\n"
				 "1\tsame id again\n"
				 "a b\tid with a space\n"
				 "4\tbad \xC3\x28 byte\n"
				 "5\tlast, no newline",
				 BATCH_AUTO);
	cr_expect_eq(qs.format, BATCH_TSV);
	cr_assert_eq(qs.n, 3, "%s", skipped);
	expect_query(&qs, 0, "1", "extradition /s treaty", 3);
	expect_query(&qs, 1, "2", "asylum claims", 6);
	expect_query(&qs, 2, "5", "last, no newline", 11);
	cr_expect(strstr(skipped, "q.txt:4: no tab between query id and query\n"), "%s", skipped);
	cr_expect(strstr(skipped, "q.txt:7: query \"3\" has no text\n"), "%s", skipped);
	cr_expect(strstr(skipped, "q.txt:8: query id \"1\" repeated (the first one is kept)\n"),
		  "%s", skipped);
	cr_expect(strstr(skipped, "q.txt:9: query id \"a b\" contains white space\n"), "%s", skipped);
	cr_expect(strstr(skipped, "q.txt:10: invalid UTF-8\n"), "%s", skipped);
	batch_queries_free(&qs);
}

Test(batch, jsonl_as_beir_writes_it)
{
	batch_queries qs = parse("{\"_id\": \"0\", \"text\": \"0-dimensional biomaterials lack inductive properties.\", \"metadata\": {}}\n"
				 "{\"id\": 7, \"query\": \"integer id, query key\"}\n"
				 "{\"_id\": \"8\", \"text\": \"broken\n"
				 "[\"not\", \"an object\"]\n"
				 "{\"text\": \"no id\"}\n"
				 "{\"_id\": \"9\"}\n"
				 "{\"_id\": \"10\", \"text\": 42}\n"
				 "{\"_id\": [1], \"text\": \"array id\"}\n",
				 BATCH_AUTO);
	cr_expect_eq(qs.format, BATCH_JSONL);
	cr_assert_eq(qs.n, 2, "%s", skipped);
	expect_query(&qs, 0, "0", "0-dimensional biomaterials lack inductive properties.", 1);
	expect_query(&qs, 1, "7", "integer id, query key", 2);
	cr_expect(strstr(skipped, "q.txt:3: invalid JSON: "), "%s", skipped);
	cr_expect(strstr(skipped, "q.txt:4: not a JSON object\n"), "%s", skipped);
	cr_expect(strstr(skipped, "q.txt:5: no \"_id\" or \"id\"\n"), "%s", skipped);
	cr_expect(strstr(skipped, "q.txt:6: no \"text\" or \"query\"\n"), "%s", skipped);
	cr_expect(strstr(skipped, "q.txt:7: \"text\"/\"query\" is not a string\n"), "%s", skipped);
	cr_expect(strstr(skipped, "q.txt:8: \"_id\"/\"id\" is not a string or integer\n"), "%s", skipped);
	batch_queries_free(&qs);
}

Test(batch, aila_id_bar_bar_text)
{
	batch_queries qs = parse("AILA_Q1||The appellant on February 9, 1961 was appointed || as an Officer.\n"
				 "AILA_Q2 has no separator\n"
				 "||no id\n"
				 "AILA_Q3||  Section 302 IPC  \n",
				 BATCH_AUTO);
	cr_expect_eq(qs.format, BATCH_AILA);
	cr_assert_eq(qs.n, 2, "%s", skipped);
	/* Only the first "||" separates. */
	expect_query(&qs, 0, "AILA_Q1", "The appellant on February 9, 1961 was appointed || as an Officer.", 1);
	expect_query(&qs, 1, "AILA_Q3", "Section 302 IPC", 4);
	cr_expect(strstr(skipped, "q.txt:2: no \"||\" between query id and text\n"), "%s", skipped);
	cr_expect(strstr(skipped, "q.txt:3: empty query id\n"), "%s", skipped);
	batch_queries_free(&qs);
}

Test(batch, trec_topics)
{
	batch_queries qs = parse("<top>\n"
				 "<num> Number: 301\n"
				 "<title> International Organized\n  Crime\n"
				 "<desc> Description:\nIdentify organizations.\n"
				 "<narr> Narrative:\nA relevant document ...\n"
				 "</top>\n\n"
				 "<top>\n<title> no number\n</top>\n"
				 "<TOP>\n<NUM> 303\n<DESC> Description: only a description\n</TOP>\n"
				 "<top>\n<num> 304\n<title>\n</top>\n"
				 "<top>\n<num> 305\n<title> never closed\n",
				 BATCH_AUTO);
	cr_expect_eq(qs.format, BATCH_TREC);
	cr_assert_eq(qs.n, 2, "%s", skipped);
	expect_query(&qs, 0, "301", "International Organized Crime", 1);
	expect_query(&qs, 1, "303", "only a description", 14);
	cr_expect(strstr(skipped, "q.txt:11: topic without <num>\n"), "%s", skipped);
	cr_expect(strstr(skipped, "q.txt:18: topic 304 has no <title> or <desc>\n"), "%s", skipped);
	cr_expect(strstr(skipped, "q.txt:22: <top> without </top>\n"), "%s", skipped);
	batch_queries_free(&qs);
}

Test(batch, a_named_format_overrides_detection)
{
	/* Read as AILA, a TSV-looking line is one query whose text has a tab. */
	batch_queries qs = parse("Q1||first\tsecond\n", BATCH_AILA);
	cr_assert_eq(qs.n, 1);
	expect_query(&qs, 0, "Q1", "first second", 1);
	batch_queries_free(&qs);
	batch_format f;
	cr_expect_eq(batch_format_parse(&f, "trec"), 0);
	cr_expect_eq(f, BATCH_TREC);
	cr_expect_eq(batch_format_parse(&f, "xml"), DICTA_EINVAL);
	batch_queries none = {0};
	cr_expect_eq(batch_parse(&none, "words.txt", "plain words\n", 12, BATCH_AUTO, on_skip, NULL),
		     DICTA_EINVAL);
	cr_expect(strstr(dicta_error_last(), "words.txt: cannot tell the format"), "%s",
		  dicta_error_last());
}

/* ------------------------------------------------------------- escaping */

Test(batch, free_text_loses_its_operators_but_keeps_its_words)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{"extradition /s treaty", "extradition  s treaty"},
		{"\"for short 'the Bank'\"", " for short  the Bank  "},
		{"Court's order (2019)!", "Court's order  2019  "},
		{"murder AND robbery OR NOT theft BUT NOT", "murder and robbery or not theft but not"},
		{"-dimensional 0-dimensional +3 a+b", " dimensional 0-dimensional  3 a+b"},
		{"extradit! w/5 treaty* title:pegasus", "extradit  w 5 treaty  title pegasus"},
		{"18 U.S.C. § 3184 & 32% #5", "18 U.S.C. § 3184   32   5"},
		{"ANDROID stays; NEARLY too", "ANDROID stays; NEARLY too"},
		{"\xE2\x80\x9Cquoted\xE2\x80\x9D O\xE2\x80\x99Neill \xC2\xABg\xC2\xBB", " quoted  O\xE2\x80\x99Neill  g "},
		{"tab\tand\x01" "control", "tab and control"},
		/* '/' and ':' inside a word stay, for the analyzer to cut as it
		 * cut the documents; not where they would make a connector or
		 * a field, nor at the edge of a word. */
		{"TRAF1/C5 OCT3/4 and/or 1:22-cr-00417 IL-6:IL-10",
		 "TRAF1/C5 OCT3/4 and/or 1:22-cr-00417 IL-6 IL-10"},
		{"w/5 W/s pre/p wp/5 a/b/c", "w 5 W s pre p wp/5 a/b/c"},
		/* what the parser reads as words stays: w/o, pre/trial, w/5x */
		{"w/o consent, pre/trial w/5x w/0", "w/o consent, pre/trial w/5x w 0"},
		{"title:x Ratio:2 ratio 3:1 /s: x/ :y 5:", "title x Ratio 2 ratio 3:1  s  x   y 5 "},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		char *e = batch_text_escape(rows[i].in);
		cr_assert_not_null(e);
		cr_expect_str_eq(e, rows[i].out, "row %zu: [%s] -> [%s]", i, rows[i].in, e);
		free(e);
	}
}

/* ------------------------------------------------- a small index */

static char *tmp;
static dicta_index *idx;

/* n words of filler that no query here uses. */
static char *filler(char *p, int n)
{
	static const char *const w[] = {"alpha", "bravo", "charlie", "delta", "echo",
					"foxtrot", "golf", "hotel", "india", "juliet"};
	for (int i = 0; i < n; i++)
		p += sprintf(p, "%s%s", w[i % 10], i % 12 == 11 ? ". " : " ");
	return p;
}

static void add(dicta_index *w, const char *id, const char *title, const char *text)
{
	dicta_document d;
	memset(&d, 0, sizeof d);
	d.version = DICTA_DOCUMENT_VERSION;
	d.id = id;
	d.title = title;
	d.text = text;
	d.text_len = strlen(text);
	d.lang = "en";
	cr_assert_eq(dicta_index_add(w, &d), 0, "%s", dicta_error_last());
}

static void build_index(void)
{
	tmp = cli_tmpdir();
	char path[512], text[8192], *p;
	snprintf(path, sizeof path, "%s/idx", tmp);
	dicta_index *w;
	cr_assert_eq(dicta_index_open(&w, path, DICTA_OPEN_WRITE), 0, "%s", dicta_error_last());
	/* one: one passage that says "treaty" three times. */
	p = filler(text, 40);
	strcpy(p, " treaty treaty treaty. ");
	add(w, "one", "", text);
	/* two: two passages (paragraphs of 60 words), "treaty" twice in each. */
	p = filler(text, 60);
	p += sprintf(p, " treaty treaty.\n\n");
	p = filler(p, 60);
	sprintf(p, " treaty treaty.");
	add(w, "two", "", text);
	/* titled and plain: alike, titles of three words, but one has
	 * "extradition" in its title;
	 * title-only has it in the title and nowhere in its text. */
	p = filler(text, 40);
	strcpy(p, " extradition hearing.");
	add(w, "titled", "Extradition of Zeron", text);
	add(w, "plain", "Hearing notes today", text);
	p = filler(text, 41);
	strcpy(p, " hearing.");
	add(w, "title-only", "Extradition", text);
	/* Words for the query selection: "rare" in one passage, "common" in
	 * many. */
	for (int i = 0; i < 8; i++) {
		char id[16];
		snprintf(id, sizeof id, "c%d", i);
		p = filler(text, 30);
		sprintf(p, " common ground %s.", i == 0 ? "rarissimum" : "");
		add(w, id, "", text);
	}
	cr_assert_eq(dicta_index_commit(w), 0, "%s", dicta_error_last());
	dicta_index_free(w);
	cr_assert_eq(dicta_index_open(&idx, path, DICTA_OPEN_READ), 0, "%s", dicta_error_last());
}

static void drop_index(void)
{
	dicta_index_free(idx);
	cli_tmpdir_remove(tmp);
}

static dicta_results *search_titles(const char *q, int aggregate,
				    double title_weight, int title_merge)
{
	dicta_search_options o;
	dicta_search_options_init(&o);
	o.aggregate = aggregate;
	o.title_weight = title_weight;
	o.title_merge = title_merge;
	dicta_results *r;
	cr_assert_eq(dicta_search_run(&r, idx, q, &o), 0, "%s: %s", q, dicta_error_last());
	return r;
}

/* Titles out of the way: the passages alone rank. */
static dicta_results *search(const char *q, int aggregate, double title_weight)
{
	return search_titles(q, aggregate, title_weight, 0);
}

Test(batch, sum_of_two_passages_outranks_one_better_passage, .init = build_index,
     .fini = drop_index)
{
	dicta_results *r = search("treaty", DICTA_AGGREGATE_MAX, 0);
	cr_assert_geq(dicta_results_count(r), 2);
	/* By its best passage, "one" (three times in a short passage) leads. */
	cr_expect_str_eq(dicta_results_get(r, 0)->id, "one");
	double best_two = -1;
	for (size_t i = 0; i < dicta_results_count(r); i++)
		if (!strcmp(dicta_results_get(r, i)->id, "two"))
			best_two = dicta_results_get(r, i)->score;
	cr_assert_gt(best_two, 0);
	dicta_results_free(r);
	r = search("treaty", DICTA_AGGREGATE_SUM, 0);
	cr_assert_geq(dicta_results_count(r), 2);
	const dicta_hit *h = dicta_results_get(r, 0);
	cr_expect_str_eq(h->id, "two", "summed, two passages beat one");
	/* Its score is the sum of its two passages, which tie. */
	cr_expect_float_eq(h->score, 2 * best_two, 1e-9, "%f vs 2 x %f", h->score, best_two);
	cr_expect_float_eq(h->passages[0].score, best_two, 1e-9);
	dicta_results_free(r);
}

Test(batch, title_words_add_weight_but_never_match_alone, .init = build_index,
     .fini = drop_index)
{
	dicta_results *r = search("extradition", DICTA_AGGREGATE_MAX, 1.0);
	cr_assert_eq(dicta_results_count(r), 2, "title-only must not match");
	cr_expect_str_eq(dicta_results_get(r, 0)->id, "titled");
	cr_expect_str_eq(dicta_results_get(r, 1)->id, "plain");
	cr_expect_gt(dicta_results_get(r, 0)->score, dicta_results_get(r, 1)->score);
	dicta_results_free(r);
	r = search("extradition", DICTA_AGGREGATE_MAX, 0);
	cr_assert_eq(dicta_results_count(r), 2);
	cr_expect_float_eq(dicta_results_get(r, 0)->score, dicta_results_get(r, 1)->score,
			   1e-9, "without title weight the two are alike");
	dicta_results_free(r);
}

/* Merged, a title word is one more occurrence in the passage: "titled"
 * leads, by less than a separate title weight of 1 gives it, and the
 * document with the word in its title only still does not match. */
Test(batch, merged_title_words_count_as_text_but_never_match_alone,
     .init = build_index, .fini = drop_index)
{
	dicta_results *r = search_titles("extradition", DICTA_AGGREGATE_MAX, 0, 1);
	cr_assert_eq(dicta_results_count(r), 2, "title-only must not match");
	cr_expect_str_eq(dicta_results_get(r, 0)->id, "titled");
	cr_expect_str_eq(dicta_results_get(r, 1)->id, "plain");
	double merged = dicta_results_get(r, 0)->score;
	double plain = dicta_results_get(r, 1)->score;
	cr_expect_gt(merged, plain);
	dicta_results_free(r);
	r = search_titles("extradition", DICTA_AGGREGATE_MAX, 1.0, 0);
	cr_assert_eq(dicta_results_count(r), 2);
	cr_expect_gt(dicta_results_get(r, 0)->score, merged,
		     "a separate title weight of 1 adds more than one occurrence");
	dicta_results_free(r);
	/* The query language is not re-ranked by titles merged. */
	r = search_titles("extradition AND extradition", DICTA_AGGREGATE_MAX, 0, 1);
	cr_assert_eq(dicta_results_count(r), 2);
	cr_expect_float_eq(dicta_results_get(r, 0)->score, dicta_results_get(r, 1)->score,
			   1e-9);
	dicta_results_free(r);
}

/* Results beyond the first `detailed` carry id and score only, the same
 * ids and scores as in full. */
Test(batch, results_beyond_detailed_carry_id_and_score_only, .init = build_index,
     .fini = drop_index)
{
	dicta_search_options o;
	dicta_search_options_init(&o);
	cr_expect_eq(o.detailed, DICTA_DETAILED_ALL);
	dicta_results *full, *light;
	cr_assert_eq(dicta_search_run(&full, idx, "treaty extradition", &o), 0);
	o.detailed = 1;
	cr_assert_eq(dicta_search_run(&light, idx, "treaty extradition", &o), 0);
	size_t n = dicta_results_count(full);
	cr_assert_geq(n, 3);
	cr_assert_eq(dicta_results_count(light), n);
	for (size_t i = 0; i < n; i++) {
		const dicta_hit *f = dicta_results_get(full, i), *l = dicta_results_get(light, i);
		cr_expect_str_eq(l->id, f->id);
		cr_expect_float_eq(l->score, f->score, 1e-12);
		cr_expect_eq(l->npassages, i == 0 ? f->npassages : 0, "result %zu", i);
		cr_expect_str_eq(l->title, i == 0 ? f->title : "");
		cr_expect_not_null(l->date);
	}
	cr_expect_gt(dicta_results_get(full, 1)->npassages, 0);
	dicta_results_free(full);
	dicta_results_free(light);
}

/* A caller built against version 1 of the options (before title_merge)
 * is still served, with the default for what it does not know. */
Test(batch, search_options_version_1_still_accepted, .init = build_index,
     .fini = drop_index)
{
	dicta_search_options o;
	dicta_search_options_init(&o);
	o.version = 1;
	o.title_weight = 0;
	o.title_merge = 0; /* beyond a version-1 struct: must be ignored */
	dicta_results *r;
	cr_assert_eq(dicta_search_run(&r, idx, "extradition", &o), 0, "%s",
		     dicta_error_last());
	cr_assert_eq(dicta_results_count(r), 2);
	cr_expect_str_eq(dicta_results_get(r, 0)->id, "titled", "merged by default");
	cr_expect_gt(dicta_results_get(r, 0)->score, dicta_results_get(r, 1)->score);
	dicta_results_free(r);
	o.version = 3;
	cr_expect_eq(dicta_search_run(&r, idx, "extradition", &o), DICTA_EINVAL);
}

Test(batch, long_queries_keep_their_rare_words, .init = build_index, .fini = drop_index)
{
	char *sel = NULL;
	size_t n;
	/* Few words: searched as they are. */
	cr_assert_eq(qselect_terms(&sel, &n, idx, "the common ground", 40), 0);
	cr_expect_null(sel);
	cr_expect_eq(n, 2, "stopword \"the\" is not counted");
	/* More words than allowed: stopwords, numbers and words not in the
	 * index go; the rarest words stay, in the order of the query. */
	cr_assert_eq(qselect_terms(&sel, &n, idx,
				   "On 9 February 1961 the common ground of the treaty was "
				   "rarissimum, said the unknownword A1 treaty treaty.", 2),
		     0, "%s", dicta_error_last());
	cr_assert_not_null(sel);
	cr_expect_str_eq(sel, "treaty rarissimum", "selected: %s", sel);
	cr_expect_eq(n, 5, "common ground treaty rarissimum unknownword "
			   "(\"February\" and \"said\" are stopwords)");
	free(sel);
	cr_expect(qselect_is_stopword("the", 3));
	cr_expect(!qselect_is_stopword("treaty", 6));
}

/* ------------------------------------------------------ command line */

static const char *docs_jsonl =
	"{\"id\":\"a\",\"title\":\"Extradition treaty with Mexico\",\"date\":\"2021-03-04\","
	"\"citation\":\"No. 23-1732\",\"text\":\"The extradition treaty between the two states governs the surrender of fugitives.\"}\n"
	"{\"id\":\"b\",\"title\":\"Hearing\",\"text\":\"The extradition hearing was postponed.\"}\n"
	"{\"id\":\"c\",\"title\":\"Asylum\",\"text\":\"The asylum claim of the applicant was granted on appeal.\"}\n";

static char *make_index(void)
{
	char *dir = cli_tmpdir();
	cli_write(dir, "docs.jsonl", docs_jsonl, strlen(docs_jsonl));
	cli_result r = cli_run("dicta-index -q --index %s/idx %s/docs.jsonl", dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	return dir;
}

/* A free-text batch query finds an identifier written with '/' or ':'
 * as the documents have it. */
Test(batch, free_text_keeps_identifiers_with_slash_and_colon)
{
	static const char docs[] =
		"{\"id\":\"gene\",\"text\":\"The TRAF1/C5 locus and the 1:22-cr-00417 docket.\"}\n"
		"{\"id\":\"other\",\"text\":\"TRAF1 and C5 named apart, and 22 cr.\"}\n";
	static const char queries[] = "{\"_id\":\"q1\",\"text\":\"TRAF1/C5\"}\n"
				      "{\"_id\":\"q2\",\"text\":\"docket 1:22-cr-00417\"}\n";
	char *dir = cli_tmpdir();
	cli_write(dir, "docs.jsonl", docs, strlen(docs));
	cli_write(dir, "q.jsonl", queries, strlen(queries));
	cli_result r = cli_run("dicta-index -q --index %s/idx %s/docs.jsonl", dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search -q --index %s/idx --batch %s/q.jsonl --format trec", dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* The identifier as the documents have it ranks first; its parts
	 * (batch_text_add_parts) find "other" only below it. */
	cr_expect(!strncmp(r.out, "q1 Q0 gene 1 ", 13), "%s", r.out);
	cr_expect(strstr(r.out, "q1 Q0 other 1 ") == NULL, "TRAF1/C5 is one word: %s", r.out);
	cr_expect(strstr(r.out, "\nq2 Q0 gene 1 "), "%s", r.out);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

/* Free text gets the parts of its compounds appended, once per compound,
 * the compound itself kept; words without a joiner get nothing. */
Test(batch, free_text_gets_the_parts_of_its_compounds)
{
	char *s = batch_text_add_parts("IL-6 blocks TNF-alpha/IL-1 in 23-1732");
	cr_assert_not_null(s);
	cr_expect_str_eq(s, "IL-6 blocks TNF-alpha/IL-1 in 23-1732 il 6 tnf alpha il 1 23 1732");
	free(s);
	s = batch_text_add_parts("extradition-related hearing of 2019");
	cr_assert_not_null(s);
	cr_expect_str_eq(s, "extradition-related hearing of 2019", "no compound kept whole");
	free(s);
}

/* q1 finds a first; q2 finds c; q3 finds nothing, so it is not in the
 * run: trec_eval (and dicta-eval) leave it out unless -c. */
static const char queries_tsv[] = "q1\textradition treaty\nq2\tasylum\nbroken line\nq3\tpegasus\n";
static const char qrels[] = "q1 0 a 1\nq1 0 b 0\nq2 0 c 1\nq3 0 b 1\n";

Test(batch, round_trip_batch_trec_run_and_dicta_eval)
{
	char *dir = make_index();
	cli_write(dir, "q.tsv", queries_tsv, strlen(queries_tsv));
	cli_write(dir, "qrels.txt", qrels, strlen(qrels));
	cli_result r = cli_run("dicta-search --index %s/idx --batch %s/q.tsv --run-tag mytag -o %s/run.trec",
			       dir, dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_str_empty(r.out);
	cr_expect(strstr(r.err, "/q.tsv:3: no tab between query id and query (skipped)\n"), "%s", r.err);
	cr_expect(strstr(r.err, "3 queries in "), "%s", r.err);
	cr_expect(strstr(r.err, "queries/s); 1 skipped\n"), "%s", r.err);
	cr_expect(strchr(r.err, '\r') == NULL, "no progress bar in a pipe: %s", r.err);
	cli_result_free(&r);

	r = cli_run("cat %s/run.trec", dir);
	cr_expect(!strncmp(r.out, "q1 Q0 a 1 ", 10), "%s", r.out);
	cr_expect(strstr(r.out, " mytag\n"), "%s", r.out);
	cr_expect(strstr(r.out, "\nq2 Q0 c 1 "), "%s", r.out);
	cr_expect(strstr(r.out, "q3 ") == NULL, "%s", r.out);
	cli_result_free(&r);

	r = cli_run("dicta-eval %s/qrels.txt %s/run.trec", dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "num_q                 \tall\t2\n"), "%s", r.out);
	cr_expect(strstr(r.out, "map                   \tall\t1.0000\n"), "%s", r.out);
	cr_expect(strstr(r.out, "P_5                   \tall\t0.2000\n"), "%s", r.out);
	cr_expect(strstr(r.out, "recip_rank            \tall\t1.0000\n"), "%s", r.out);
	cli_result_free(&r);

	r = cli_run("dicta-eval -c -q %s/qrels.txt %s/run.trec", dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "map                   \tq3\t0.0000\n"), "%s", r.out);
	cr_expect(strstr(r.out, "num_q                 \tall\t3\n"), "%s", r.out);
	cr_expect(strstr(r.out, "map                   \tall\t0.6667\n"), "%s", r.out);
	cli_result_free(&r);

	/* The same measures straight from the batch run. */
	r = cli_run("dicta-search --index %s/idx --batch %s/q.tsv --qrels %s/qrels.txt -o /dev/null",
		    dir, dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "MAP 1.0000 P@5 0.2000"), "%s", r.err);
	cr_expect(strstr(r.err, "(2 judged queries)"), "%s", r.err);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

Test(batch, jsonl_csv_and_html_reports)
{
	char *dir = make_index();
	cli_write(dir, "q.tsv", queries_tsv, strlen(queries_tsv));
	cli_write(dir, "qrels.txt", qrels, strlen(qrels));
	cli_result r = cli_run("dicta-search --index %s/idx --batch %s/q.tsv --format jsonl "
			       "--qrels %s/qrels.txt -k 5",
			       dir, dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	size_t lines = 0;
	for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
		json_error_t e;
		json_t *o = json_loads(line, 0, &e);
		cr_assert_not_null(o, "line %zu not JSON: %s", lines + 1, e.text);
		const char *qid = json_string_value(json_object_get(o, "query_id"));
		json_t *res = json_object_get(o, "results");
		cr_assert_not_null(qid);
		if (!strcmp(qid, "q1")) {
			json_t *first = json_array_get(res, 0);
			cr_expect_str_eq(json_string_value(json_object_get(first, "id")), "a");
			cr_expect_str_eq(json_string_value(json_object_get(first, "citation")), "No. 23-1732");
			cr_expect_eq(json_integer_value(json_object_get(first, "relevance")), 1);
			cr_expect(json_is_array(json_object_get(json_array_get(json_object_get(first, "passages"), 0), "highlights")));
			json_t *b = json_array_get(res, 1);
			cr_expect_eq(json_integer_value(json_object_get(b, "relevance")), 0);
			cr_expect_float_eq(json_real_value(json_object_get(json_object_get(o, "metrics"), "map")),
					   1.0, 1e-9);
		} else if (!strcmp(qid, "q3")) {
			cr_expect_eq(json_array_size(res), 0);
		}
		json_decref(o);
	}
	cr_expect_eq(lines, 3);
	cli_result_free(&r);

	r = cli_run("dicta-search --index %s/idx --batch %s/q.tsv --format csv -k 5", dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	static const char header[] =
		"query_id,query,rank,id,title,date,citation,court,type,score,passage,text,error\r\n";
	cr_expect(!strncmp(r.out, header, sizeof header - 1), "%s", r.out);
	cr_expect(strstr(r.out, "\r\nq1,extradition treaty,1,a,Extradition treaty with Mexico,2021-03-04,No. 23-1732,,,"),
		  "%s", r.out);
	cr_expect(strstr(r.out, "The **extradition** **treaty** between"), "%s", r.out);
	cr_expect(strstr(r.out, "\r\nq3,pegasus,,,,,,,,,,,\r\n"), "a row for a query without results: %s", r.out);
	cli_result_free(&r);

	r = cli_run("dicta-search --index %s/idx --batch %s/q.tsv --qrels %s/qrels.txt --report %s/r.html",
		    dir, dir, dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_str_empty(r.out, "--report alone writes nothing to stdout");
	cli_result_free(&r);
	r = cli_run("cat %s/r.html", dir);
	cr_expect(!strncmp(r.out, "<!DOCTYPE html>", 15));
	cr_expect(strstr(r.out, "<svg viewBox"), "an inline chart");
	cr_expect(strstr(r.out, "class=\"sortable\""));
	cr_expect(strstr(r.out, "<mark>extradition</mark>"));
	cr_expect(strstr(r.out, "<span class=\"badge rel\">relevant</span>"));
	cr_expect(strstr(r.out, "<span class=\"badge non\">not relevant</span>"));
	cr_expect(strstr(r.out, "No. 23-1732"));
	cr_expect(strstr(r.out, "2021-03-04"));
	cr_expect(strstr(r.out, "Relevant, not shown above: b (not retrieved)") ||
		  strstr(r.out, "No document matches."), "q3's relevant document is listed");
	cr_expect(strstr(r.out, "http://") == NULL || strstr(r.out, "http://www.w3.org/2000/svg"),
		  "nothing fetched from the network");
	cr_expect(strstr(r.out, "src=") == NULL && strstr(r.out, "<link") == NULL);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

Test(batch, usage_errors_and_failed_queries)
{
	char *dir = make_index();
	cli_write(dir, "q.tsv", queries_tsv, strlen(queries_tsv));
	cli_result r = cli_run("dicta-search --index %s/idx --batch %s/q.tsv --format xml", dir, dir);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "unknown --format \"xml\""), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx --batch %s/missing.tsv", dir, dir);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "missing.tsv: No such file or directory"), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/nothere --batch %s/q.tsv", dir, dir);
	cr_expect_eq(r.status, 3, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx --batch %s/q.tsv --run-tag 'two words'", dir, dir);
	cr_expect_eq(r.status, 2);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx --batch %s/q.tsv extra words", dir, dir);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "cannot be given with --batch"), "%s", r.err);
	cli_result_free(&r);
	/* A query-language error fails that query only; the rest run. */
	const char bad[] = "ok\tasylum\nbad\t(unclosed\n";
	cli_write(dir, "bad.tsv", bad, sizeof bad - 1);
	r = cli_run("dicta-search --index %s/idx --batch %s/bad.tsv", dir, dir);
	cr_expect_eq(r.status, 1, "%s", r.err);
	cr_expect(strstr(r.err, "dicta-search: query bad (line 2): "), "%s", r.err);
	cr_expect(strstr(r.out, "ok Q0 c 1 "), "%s", r.out);
	cli_result_free(&r);
	/* Read as free text, the same line is a plain query. */
	r = cli_run("dicta-search --index %s/idx --batch %s/bad.tsv --batch-syntax text", dir, dir);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-eval %s/q.tsv", dir);
	cr_expect_eq(r.status, 2);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}
