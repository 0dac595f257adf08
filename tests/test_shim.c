/*
 * test_shim.c — the Xapian shim: documents in and out, transactions, and
 * the mapping of Xapian's exceptions to dicta's error codes with Xapian's
 * message kept.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dicta.h"
#include "xapian_shim.h"

static char dir[64];

static void make_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/dicta-shim-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(shim, .init = make_dir, .fini = remove_dir);

static char *db_path(const char *name)
{
	static char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

static void add_words(shim_db *db, const char *const *words, size_t n)
{
	shim_doc *d = shim_doc_new();
	cr_assert_not_null(d);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(shim_doc_add_posting(d, words[i], strlen(words[i]), (uint32_t)i + 1), 0);
	cr_assert_eq(shim_doc_set_data(d, "payload", 7), 0);
	cr_assert_eq(shim_doc_set_value(d, 3, "20190917", 8), 0);
	cr_assert_eq(shim_db_add(db, d, NULL), 0);
	shim_doc_free(d);
}

Test(shim, committed_documents_are_found_and_read_back)
{
	shim_db *w;
	cr_assert_eq(shim_db_open(&w, db_path("a"), 1), 0);
	cr_assert_eq(shim_db_begin(w), 0);
	const char *words[] = {"extradition", "treaty", "zeron"};
	add_words(w, words, 3);
	cr_assert_eq(shim_db_commit(w), 0);

	shim_db *r;
	cr_assert_eq(shim_db_open(&r, db_path("a"), 0), 0);
	uint64_t n;
	cr_assert_eq(shim_db_doccount(r, &n), 0);
	cr_assert_eq(n, 1);
	shim_query *q = shim_query_term("treaty", 6, 1, 0);
	shim_mset *m;
	shim_search_opts o = {-1, 0, 1.2, 0.75, -1, 0, 0};
	cr_assert_eq(shim_search(&m, r, q, 0, 10, &o), 0);
	cr_assert_eq(shim_mset_size(m), 1);
	char *data, *val;
	size_t dl, vl;
	cr_assert_eq(shim_db_get_data(r, shim_mset_docid(m, 0), &data, &dl), 0);
	cr_assert_eq(dl, 7);
	cr_assert_str_eq(data, "payload");
	cr_assert_eq(shim_db_get_value(r, shim_mset_docid(m, 0), 3, &val, &vl), 0);
	cr_assert_str_eq(val, "20190917");
	free(data);
	free(val);
	shim_mset_free(m);
	shim_query_free(q);
	shim_db_free(r);
	shim_db_free(w);
}

Test(shim, cancelled_and_uncommitted_batches_leave_nothing)
{
	shim_db *w;
	cr_assert_eq(shim_db_open(&w, db_path("b"), 1), 0);
	const char *words[] = {"asylum"};
	cr_assert_eq(shim_db_begin(w), 0);
	add_words(w, words, 1);
	cr_assert_eq(shim_db_cancel(w), 0);
	cr_assert_eq(shim_db_begin(w), 0);
	add_words(w, words, 1);
	shim_db_free(w); /* closed inside a transaction: as if it crashed */

	shim_db *r;
	cr_assert_eq(shim_db_open(&r, db_path("b"), 0), 0);
	uint64_t n = 99;
	cr_assert_eq(shim_db_doccount(r, &n), 0);
	cr_assert_eq(n, 0);
	shim_db_free(r);
}

Test(shim, missing_database_is_not_found)
{
	shim_db *r;
	cr_assert_eq(shim_db_open(&r, db_path("missing"), 0), DICTA_ENOTFOUND);
	cr_assert_null(r);
	cr_assert(strstr(dicta_error_last(), "missing") != NULL ||
		  strlen(dicta_error_last()) > 10, "message: %s", dicta_error_last());
}

Test(shim, second_writer_is_locked_out)
{
	shim_db *w1, *w2;
	cr_assert_eq(shim_db_open(&w1, db_path("c"), 1), 0);
	cr_assert_eq(shim_db_open(&w2, db_path("c"), 1), DICTA_ELOCKED);
	cr_assert(strstr(dicta_error_last(), "lock") != NULL, "message: %s",
		  dicta_error_last());
	shim_db_free(w1);
	/* Once the first writer is gone the lock is free again. */
	cr_assert_eq(shim_db_open(&w2, db_path("c"), 1), 0);
	shim_db_free(w2);
}

Test(shim, damaged_database_is_corrupt_or_unreadable)
{
	shim_db *w;
	cr_assert_eq(shim_db_open(&w, db_path("d"), 1), 0);
	const char *words[] = {"evidence"};
	cr_assert_eq(shim_db_begin(w), 0);
	add_words(w, words, 1);
	cr_assert_eq(shim_db_commit(w), 0);
	shim_db_free(w);
	FILE *f = fopen(db_path("d/iamglass"), "w");
	cr_assert_not_null(f);
	fputs("this is not a glass version file", f);
	fclose(f);
	shim_db *r;
	int rc = shim_db_open(&r, db_path("d"), 0);
	cr_assert(rc == DICTA_ECORRUPT || rc == DICTA_ENOTFOUND, "rc %d: %s", rc,
		  dicta_error_last());
	cr_assert_gt(strlen(dicta_error_last()), 0);
}

Test(shim, too_long_term_is_an_invalid_argument)
{
	shim_db *w;
	cr_assert_eq(shim_db_open(&w, db_path("e"), 1), 0);
	char term[400];
	memset(term, 'x', sizeof term);
	shim_doc *d = shim_doc_new();
	cr_assert_eq(shim_doc_add_posting(d, term, sizeof term, 1), 0);
	cr_assert_eq(shim_db_begin(w), 0);
	cr_assert_eq(shim_db_add(w, d, NULL), DICTA_EINVAL);
	cr_assert(strstr(dicta_error_last(), "long") != NULL, "%s", dicta_error_last());
	shim_doc_free(d);
	shim_db_free(w);
}

Test(shim, wildcard_over_its_limit_is_a_query_error)
{
	shim_db *w;
	cr_assert_eq(shim_db_open(&w, db_path("f"), 1), 0);
	cr_assert_eq(shim_db_begin(w), 0);
	for (int i = 0; i < 20; i++) {
		char t[16];
		snprintf(t, sizeof t, "extra%02d", i);
		const char *words[] = {t};
		add_words(w, words, 1);
	}
	cr_assert_eq(shim_db_commit(w), 0);
	shim_query *q = shim_query_wildcard("extra", 5, 0);
	shim_mset *m;
	shim_search_opts o = {-1, 0, 1.2, 0.75, -1, 0, 0};
	cr_assert_eq(shim_search(&m, w, q, 0, 10, &o), DICTA_EQUERY);
	shim_query_free(q);
	q = shim_query_wildcard("extra", 50, 0);
	cr_assert_eq(shim_search(&m, w, q, 0, 100, &o), 0);
	cr_assert_eq(shim_mset_size(m), 20);
	shim_mset_free(m);
	shim_query_free(q);
	shim_db_free(w);
}

Test(shim, delete_by_term_counts_and_removes)
{
	shim_db *w;
	cr_assert_eq(shim_db_open(&w, db_path("g"), 1), 0);
	cr_assert_eq(shim_db_begin(w), 0);
	const char *a[] = {"Qdoc1", "one"}, *b[] = {"Qdoc1", "two"}, *c[] = {"Qdoc2", "three"};
	add_words(w, a, 2);
	add_words(w, b, 2);
	add_words(w, c, 2);
	unsigned n;
	cr_assert_eq(shim_db_delete_term(w, "Qdoc1", 5, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(shim_db_commit(w), 0);
	uint64_t count;
	cr_assert_eq(shim_db_doccount(w, &count), 0);
	cr_assert_eq(count, 1);
	shim_db_free(w);
}

/* For the view tests: count the terms a prefix scan reports. */
static int count_term(const char *term, size_t len, void *payload)
{
	(void)term;
	(void)len;
	++*(int *)payload;
	return 0;
}

static int accept_odd_position(shim_docview *v, void *payload)
{
	const uint32_t *pos;
	size_t n;
	++*(int *)payload;
	if (shim_docview_positions(v, "w", 1, &pos, &n) != 0)
		return -1;
	return n == 1 && pos[0] % 2 == 1;
}

static int accept_fails(shim_docview *v, void *payload)
{
	(void)v;
	(void)payload;
	return DICTA_ECORRUPT;
}

Test(shim, a_document_view_reads_values_terms_and_positions)
{
	shim_db *w;
	cr_assert_eq(shim_db_open(&w, db_path("v"), 1), 0);
	cr_assert_eq(shim_db_begin(w), 0);
	/* 300 words, so that the term list is longer than one read. */
	shim_doc *d = shim_doc_new();
	char word[16];
	for (int i = 0; i < 300; i++) {
		int n = snprintf(word, sizeof word, "t%03d", i);
		cr_assert_eq(shim_doc_add_posting(d, word, (size_t)n, (uint32_t)(i * 2)), 0);
	}
	cr_assert_eq(shim_doc_add_posting(d, "t150", 4, 7), 0);
	cr_assert_eq(shim_doc_add_term(d, "XCcourt", 7, 0), 0);
	cr_assert_eq(shim_doc_set_value(d, 4, "abc", 3), 0);
	unsigned id;
	cr_assert_eq(shim_db_add(w, d, &id), 0);
	shim_doc_free(d);
	cr_assert_eq(shim_db_commit(w), 0);

	shim_docview *v;
	cr_assert_eq(shim_docview_open(&v, w, id), 0);
	cr_expect_eq(shim_docview_docid(v), id);
	const char *val;
	size_t vl;
	cr_assert_eq(shim_docview_value(v, 4, &val, &vl), 0);
	cr_expect(vl == 3 && memcmp(val, "abc", 3) == 0);
	cr_assert_eq(shim_docview_value(v, 9, &val, &vl), 0);
	cr_expect_eq(vl, 0);
	const uint32_t *pos;
	size_t n;
	cr_assert_eq(shim_docview_positions(v, "t150", 4, &pos, &n), 0);
	cr_assert_eq(n, 2);
	cr_expect(pos[0] == 7 && pos[1] == 300);
	cr_assert_eq(shim_docview_positions(v, "absent", 6, &pos, &n), 0);
	cr_expect_eq(n, 0);
	/* Present and absent terms, sorted, on both sides of the list. */
	unsigned char present[8];
	const char *sorted[] = {"XCcourt", "a", "t000", "t1", "t150", "t299", "t2999", "zz"};
	cr_assert_eq(shim_docview_present(v, sorted, 8, present), 0);
	const unsigned char want[] = {1, 0, 1, 0, 1, 1, 0, 0};
	for (int i = 0; i < 8; i++)
		cr_expect_eq(present[i], want[i], "%s", sorted[i]);
	int has = 0;
	cr_assert_eq(shim_docview_has_term(v, "t299", 4, &has), 0);
	cr_expect_eq(has, 1);
	cr_assert_eq(shim_docview_has_term(v, "t29", 3, &has), 0);
	cr_expect_eq(has, 0);
	int count = 0;
	cr_assert_eq(shim_docview_terms(v, "t2", 2, count_term, &count), 0);
	cr_expect_eq(count, 100);
	shim_docview_free(v);

	/* The accept hook sees each candidate and can fail the search. */
	cr_assert_eq(shim_db_begin(w), 0);
	for (int i = 0; i < 4; i++) {
		shim_doc *e = shim_doc_new();
		cr_assert_eq(shim_doc_add_posting(e, "w", 1, (uint32_t)i), 0);
		cr_assert_eq(shim_db_add(w, e, NULL), 0);
		shim_doc_free(e);
	}
	cr_assert_eq(shim_db_commit(w), 0);
	shim_query *q = shim_query_term("w", 1, 1, 0);
	shim_search_opts o = {-1, 0, 1.2, 0.75, -1, 0, 0};
	shim_mset *m;
	int calls = 0;
	cr_assert_eq(shim_search_accept(&m, w, q, 0, 10, &o, accept_odd_position, &calls), 0);
	cr_expect_eq(calls, 4);
	cr_expect_eq(shim_mset_size(m), 2);
	shim_mset_free(m);
	cr_expect_eq(shim_search_accept(&m, w, q, 0, 10, &o, accept_fails, NULL), DICTA_ECORRUPT);
	cr_expect_null(m);
	shim_query_free(q);
	shim_db_free(w);
}

/* The check must see each candidate's own terms: every passage "dN" has
 * the term "dN", and a word list differing from its neighbours'. */
static int accept_own_terms(shim_docview *v, void *payload)
{
	char t[32];
	int n = snprintf(t, sizeof t, "d%u", shim_docview_docid(v));
	int has = 0;
	const char *sorted[1] = {t};
	unsigned char present = 0;
	if (shim_docview_has_term(v, t, (size_t)n, &has) != 0 ||
	    shim_docview_present(v, sorted, 1, &present) != 0)
		return -1;
	int count = 0;
	if (shim_docview_terms(v, "v", 1, count_term, &count) != 0)
		return -1;
	if (!has || !present || count != (int)(shim_docview_docid(v) % 7) + 1)
		++*(int *)payload;
	return 1;
}

/* Regression: each candidate's check must see that candidate's own terms,
 * however many term lists earlier candidates read (a Document of Xapian
 * 1.4.22 was once seen listing another document's terms; the view reads
 * through the Document the matcher gives, which must be its own). */
Test(shim, the_check_sees_each_candidates_own_terms)
{
	shim_db *w;
	cr_assert_eq(shim_db_open(&w, db_path("own"), 1), 0);
	cr_assert_eq(shim_db_begin(w), 0);
	for (unsigned i = 1; i <= 3000; i++) {
		shim_doc *d = shim_doc_new();
		char t[32];
		int n = snprintf(t, sizeof t, "d%u", i);
		cr_assert_eq(shim_doc_add_posting(d, t, (size_t)n, 0), 0);
		cr_assert_eq(shim_doc_add_posting(d, "common", 6, 1), 0);
		for (unsigned k = 0; k <= i % 7; k++) {
			n = snprintf(t, sizeof t, "v%u-%u", i, k);
			cr_assert_eq(shim_doc_add_posting(d, t, (size_t)n, 2 + k), 0);
		}
		cr_assert_eq(shim_db_add(w, d, NULL), 0);
		shim_doc_free(d);
	}
	cr_assert_eq(shim_db_commit(w), 0);
	shim_query *q = shim_query_term("common", 6, 1, 0);
	shim_search_opts o = {-1, 0, 1.2, 0.75, -1, 0, 0};
	shim_mset *m;
	int wrong = 0;
	cr_assert_eq(shim_search_accept(&m, w, q, 0, 5000, &o, accept_own_terms, &wrong), 0);
	cr_expect_eq(shim_mset_size(m), 3000);
	cr_expect_eq(wrong, 0, "%d candidates saw terms that are not theirs", wrong);
	shim_mset_free(m);
	shim_query_free(q);
	shim_db_free(w);
}
