/*
 * test_search.c — end to end through the public API: index the bundled
 * corpus/ once, then check what a researcher would: extradition documents
 * first, Spanish found by its own word, the Pegasus passages, accents,
 * identifiers, highlights that point at the words, replacement and
 * deletion, and stored text that comes back byte for byte.  The facts
 * checked are those listed in corpus/README ("test facts").
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dicta.h"

static char *tmp;
static dicta_index *idx;

static void build_index(void)
{
	tmp = cli_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/idx", tmp);
	dicta_index *w;
	cr_assert_eq(dicta_index_open(&w, path, DICTA_OPEN_WRITE), 0, "%s", dicta_error_last());
	dicta_ingest_options o;
	dicta_ingest_options_init(&o);
	dicta_ingest_stats st = {0};
	cr_assert_eq(dicta_index_add_path(w, "corpus", &o, &st), 0, "%s", dicta_error_last());
	cr_assert_eq(dicta_index_commit(w), 0, "%s", dicta_error_last());
	cr_assert_eq(st.documents, 34, "corpus/README lists 34 documents");
	cr_assert_eq(st.skipped, 0);
	dicta_index_free(w);
	cr_assert_eq(dicta_index_open(&idx, path, DICTA_OPEN_READ), 0, "%s", dicta_error_last());
}

static void drop_index(void)
{
	dicta_index_free(idx);
	cli_tmpdir_remove(tmp);
}

TestSuite(search, .init = build_index, .fini = drop_index);

static dicta_results *run(const char *q, size_t k)
{
	dicta_search_options o;
	dicta_search_options_init(&o);
	o.k = k;
	dicta_results *r;
	cr_assert_eq(dicta_search_run(&r, idx, q, &o), 0, "%s: %s", q, dicta_error_last());
	return r;
}

static int in_list(const char *id, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(id, *list) == 0)
			return 1;
	return 0;
}

static const char *const extradition_docs[] = {
	"articles/zeron-extradition-hearing-miami.txt",
	"articles/extradition-treaty-explainer.txt",
	"articles/spanish-banker-extradition-london.txt",
	"filings/order-certification-extradition.md",
	"filings/opinion-habeas-extradition-appeal.md",
	"filings/request-extradition-diplomatic-note.md",
	"filing-2023-0111",
	NULL};

static const char *const in_passing[] = {
	"articles/torture-allegations-santa-rita.txt",
	"filings/indictment-money-laundering.md",
	"filings/asylum-decision-immigration-judge.md",
	NULL};

Test(search, extradition_ranks_the_extradition_documents_first)
{
	dicta_results *r = run("extradition", 20);
	cr_assert_geq(dicta_results_count(r), 10);
	/* The seven documents about extradition take the first seven ranks. */
	for (size_t i = 0; i < 7; i++) {
		const dicta_hit *h = dicta_results_get(r, i);
		cr_expect(in_list(h->id, extradition_docs), "rank %zu is %s", i + 1, h->id);
	}
	/* The ones that mention it once in passing are found, but below. */
	size_t found = 0;
	for (size_t i = 7; i < dicta_results_count(r); i++)
		found += in_list(dicta_results_get(r, i)->id, in_passing);
	cr_expect_eq(found, 3);
	dicta_results_free(r);
}

Test(search, spanish_word_finds_the_spanish_documents)
{
	static const char *const es[] = {
		"es/auto-extradicion-audiencia-nacional.md", "es/solicitud-extradicion-fgr.md",
		"es/noticia-extradicion-miami.txt", "filing-2023-0520", NULL};
	dicta_results *r = run("extradición", 10);
	cr_assert_geq(dicta_results_count(r), 4);
	for (size_t i = 0; i < 4; i++) {
		const dicta_hit *h = dicta_results_get(r, i);
		cr_expect(in_list(h->id, es), "rank %zu is %s", i + 1, h->id);
		cr_expect_str_eq(h->lang, "es");
	}
	dicta_results_free(r);
	/* Plural and unaccented forms share the Spanish stem. */
	r = run("extradiciones", 10);
	cr_expect_geq(dicta_results_count(r), 4);
	dicta_results_free(r);
}

Test(search, pegasus_returns_the_passages_that_name_it)
{
	static const char *const docs[] = {
		"articles/forensic-lab-confirms-infections.txt",
		"filings/spyware-procurement-contract-dispute.md",
		"es/espionaje-pegasus-periodistas.md", "es/acusacion-peculado-ufie.md", NULL};
	dicta_results *r = run("Pegasus", 10);
	cr_assert_eq(dicta_results_count(r), 4);
	for (size_t i = 0; i < 4; i++) {
		const dicta_hit *h = dicta_results_get(r, i);
		cr_expect(in_list(h->id, docs), "%s", h->id);
		cr_assert_eq(h->npassages, 1);
		const dicta_passage *p = &h->passages[0];
		cr_expect(strstr(p->text, "Pegasus") != NULL, "%s: passage without Pegasus", h->id);
		cr_assert_geq(p->nhighlights, 1);
		for (size_t k = 0; k < p->nhighlights; k++)
			cr_expect_eq(strncmp(p->text + (p->highlights[k].start - p->start),
					     "Pegasus", 7), 0, "%s highlight %zu", h->id, k);
	}
	/* The contract dispute's passage is the one quoted in corpus/README. */
	for (size_t i = 0; i < 4; i++) {
		const dicta_hit *h = dicta_results_get(r, i);
		if (strcmp(h->id, "filings/spyware-procurement-contract-dispute.md") == 0)
			cr_expect(strstr(h->passages[0].text,
					 "identified the Licensed System as Pegasus") != NULL);
	}
	dicta_results_free(r);
}

Test(search, accents_and_case_never_hide_a_match)
{
	dicta_results *a = run("Zerón", 50), *b = run("ZERON", 50), *c = run("zeron", 50);
	cr_assert_eq(dicta_results_count(a), dicta_results_count(b));
	cr_assert_eq(dicta_results_count(a), dicta_results_count(c));
	/* 16 documents write Zerón, 2 write Zeron: all 18 are found by each. */
	cr_expect_eq(dicta_results_count(a), 18);
	int wire = 0;
	for (size_t i = 0; i < dicta_results_count(a); i++)
		wire |= !strcmp(dicta_results_get(a, i)->id,
				"articles/zeron-extradition-hearing-miami.txt");
	cr_expect(wire, "the unaccented wire story is not found by Zerón");
	dicta_results_free(a);
	dicta_results_free(b);
	dicta_results_free(c);
}

Test(search, identifiers_are_matched_whole)
{
	dicta_results *r = run("1-207.39", 10);
	cr_assert_eq(dicta_results_count(r), 1);
	cr_expect_str_eq(dicta_results_get(r, 0)->id, "filings/dc-records-order-surveillance.md");
	dicta_results_free(r);
	r = run("23-1732", 10);
	cr_expect_eq(dicta_results_count(r), 5);
	dicta_results_free(r);
	/* § 3184 however it is written. */
	dicta_results *a = run("18 U.S.C. § 3184", 10), *b = run("18 USC 3184", 10);
	cr_assert_geq(dicta_results_count(a), 4);
	cr_expect_eq(dicta_results_count(a), dicta_results_count(b));
	dicta_results_free(a);
	dicta_results_free(b);
}

/* The parts of a compound are indexed where it stands: "1732" finds
 * every document with "23-1732", and the compound is what is marked. */
Test(search, identifiers_are_also_found_by_their_parts)
{
	dicta_results *whole = run("23-1732", 50), *part = run("1732", 50);
	cr_assert_eq(dicta_results_count(whole), 5);
	cr_assert_geq(dicta_results_count(part), dicta_results_count(whole));
	for (size_t i = 0; i < dicta_results_count(whole); i++) {
		const char *id = dicta_results_get(whole, i)->id;
		int found = 0;
		for (size_t j = 0; j < dicta_results_count(part); j++)
			found = found || !strcmp(dicta_results_get(part, j)->id, id);
		cr_expect(found, "%s has 23-1732 but \"1732\" misses it", id);
	}
	const dicta_passage *p = &dicta_results_get(part, 0)->passages[0];
	cr_assert_gt(p->nhighlights, 0);
	const dicta_span *h = &p->highlights[0];
	cr_expect(!strncmp(p->text + (h->start - p->start), "23-1732", h->end - h->start) &&
			  h->end - h->start == 7,
		  "the compound is marked: %.*s", (int)(h->end - h->start),
		  p->text + (h->start - p->start));
	dicta_results_free(whole);
	dicta_results_free(part);
}

Test(search, more_passages_per_document_are_the_documents_own_best)
{
	dicta_search_options o;
	dicta_search_options_init(&o);
	o.k = 3;
	o.passages = 3;
	dicta_results *r;
	cr_assert_eq(dicta_search_run(&r, idx, "extradition treaty", &o), 0);
	for (size_t i = 0; i < dicta_results_count(r); i++) {
		const dicta_hit *h = dicta_results_get(r, i);
		cr_assert_eq(h->npassages, 3, "%s", h->id);
		cr_expect_eq(h->passages[0].score, h->score);
		for (size_t j = 1; j < h->npassages; j++) {
			cr_expect_leq(h->passages[j].score, h->passages[j - 1].score);
			cr_expect_neq(h->passages[j].ordinal, h->passages[0].ordinal);
		}
	}
	dicta_results_free(r);
}

Test(search, stored_text_comes_back_byte_for_byte)
{
	FILE *f = fopen("corpus/articles/extradition-treaty-explainer.txt", "rb");
	cr_assert_not_null(f);
	static char want[1 << 20];
	size_t n = fread(want, 1, sizeof want, f);
	fclose(f);
	dicta_hit *d;
	const char *text;
	size_t len;
	cr_assert_eq(dicta_document_get(&d, &text, &len, idx,
					"articles/extradition-treaty-explainer.txt"), 0);
	cr_assert_eq(len, n);
	cr_assert_eq(memcmp(text, want, n), 0);
	cr_expect_str_eq(d->title, "Explainer: how extradition from the United States actually works");
	dicta_document_free(d);
	cr_expect_eq(dicta_document_get(&d, &text, &len, idx, "no/such/doc"), DICTA_ENOTFOUND);
}

Test(search, bad_queries_and_options_are_refused)
{
	dicta_results *r;
	cr_expect_eq(dicta_search_run(&r, idx, "", NULL), DICTA_EQUERY);
	cr_expect(strstr(dicta_error_last(), "empty query"), "%s", dicta_error_last());
	cr_expect_eq(dicta_search_run(&r, idx, "\xff\xfe", NULL), DICTA_EQUERY);
	dicta_search_options o;
	dicta_search_options_init(&o);
	o.k = 0;
	cr_expect_eq(dicta_search_run(&r, idx, "asylum", &o), DICTA_EINVAL);
	dicta_search_options_init(&o);
	o.version = 99;
	cr_expect_eq(dicta_search_run(&r, idx, "asylum", &o), DICTA_EINVAL);
}

Test(search, stats_count_documents_not_passages)
{
	dicta_index_stats s;
	cr_assert_eq(dicta_index_stats_get(&s, idx), 0);
	cr_expect_eq(s.documents, 34);
	cr_expect_gt(s.passages, 34);
	cr_expect_gt(s.terms, 1000);
}

/* Replacement and deletion on an index of its own. */
Test(index, replace_and_delete_never_duplicate)
{
	char *dir = cli_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/idx", dir);
	dicta_index *w;
	cr_assert_eq(dicta_index_open(&w, path, DICTA_OPEN_WRITE), 0);
	dicta_document d = {.version = DICTA_DOCUMENT_VERSION, .id = "doc-1",
			    .title = "First", .text = "asylum claim filed", .text_len = 18};
	cr_assert_eq(dicta_index_add(w, &d), 0);
	d.title = "Second";
	d.text = "asylum claim granted";
	d.text_len = 20;
	cr_assert_eq(dicta_index_add(w, &d), 0);
	cr_assert_eq(dicta_index_commit(w), 0);
	dicta_results *r;
	cr_assert_eq(dicta_search_run(&r, w, "asylum", NULL), 0);
	cr_assert_eq(dicta_results_count(r), 1);
	cr_expect_str_eq(dicta_results_get(r, 0)->title, "Second");
	dicta_results_free(r);
	dicta_index_stats s;
	cr_assert_eq(dicta_index_stats_get(&s, w), 0);
	cr_expect_eq(s.documents, 1);
	cr_expect_eq(s.passages, 1);
	cr_assert_eq(dicta_index_delete(w, "doc-1"), 0);
	cr_expect_eq(dicta_index_delete(w, "doc-1"), DICTA_ENOTFOUND);
	cr_assert_eq(dicta_index_commit(w), 0);
	cr_assert_eq(dicta_index_stats_get(&s, w), 0);
	cr_expect_eq(s.documents, 0);
	cr_expect_eq(s.passages, 0);
	cr_expect_eq(dicta_search_run(&r, w, "asylum", NULL), 0);
	cr_expect_eq(dicta_results_count(r), 0);
	dicta_results_free(r);
	/* Invalid UTF-8 is stored cleaned, and the offsets refer to it. */
	dicta_document bad = {.version = DICTA_DOCUMENT_VERSION, .id = "bad",
			      .text = "caf\xe9 extradition", .text_len = 16};
	cr_assert_eq(dicta_index_add(w, &bad), 0);
	cr_assert_eq(dicta_index_commit(w), 0);
	cr_assert_eq(dicta_search_run(&r, w, "extradition", NULL), 0);
	cr_assert_eq(dicta_results_count(r), 1);
	const dicta_passage *p = &dicta_results_get(r, 0)->passages[0];
	cr_expect_str_eq(p->text, "caf\xef\xbf\xbd extradition");
	cr_assert_eq(p->nhighlights, 1);
	cr_expect_eq(p->highlights[0].start, 7);
	dicta_results_free(r);
	cr_expect_eq(dicta_index_add(w, &(dicta_document){.version = 1, .text = "x", .text_len = 1}),
		     DICTA_EINVAL);
	dicta_index_free(w);
	cli_tmpdir_remove(dir);
}
