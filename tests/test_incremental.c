/*
 * test_incremental.c — re-indexing a tree that changes, as a legal team does
 * every night: unchanged documents are left alone, changed ones replaced
 * whole, deleted and renamed files pruned, changed JSONL lines replaced, an
 * id met twice refused; and --check on indexes damaged on purpose.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dicta.h"
#include "store.h"
#include "xapian_shim.h"

static const char doc_a[] = "Extradition of the former chief\n\nThe court certified the extradition.\n";
static const char doc_b[] = "Asylum decision\n\nThe asylum claim was granted on appeal.\n";
static const char lines[] =
	"{\"id\":\"l-1\",\"text\":\"Embezzlement charges were filed.\"}\n"
	"{\"id\":\"l-2\",\"text\":\"Chain of custody was broken.\"}\n";

/* The "indexed ..." summary line of a run, as numbers. */
typedef struct {
	long documents, added, replaced, unchanged, deleted, skipped;
} summary;

static summary index_run(const char *dir, const char *extra)
{
	cli_result r = cli_run("dicta-index %s --index %s/idx %s/src", extra, dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	summary s;
	const char *line = strstr(r.err, "indexed ");
	cr_assert_not_null(line, "%s", r.err);
	int n = sscanf(line, "indexed %ld documents (%ld added, %ld replaced, %ld unchanged, %ld deleted",
		       &s.documents, &s.added, &s.replaced, &s.unchanged, &s.deleted);
	cr_assert_eq(n, 5, "%s", line);
	const char *sk = strstr(line, "; ");
	sk = sk ? strstr(sk + 2, "; ") : NULL;
	cr_assert_not_null(sk, "%s", line);
	cr_assert_eq(sscanf(sk, "; %ld skipped", &s.skipped), 1, "%s", line);
	cli_result_free(&r);
	return s;
}

static long stat_documents(const char *dir)
{
	cli_result r = cli_run("dicta-search --index %s/idx --stats", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	json_t *j = json_loads(r.out, 0, NULL);
	cr_assert_not_null(j, "%s", r.out);
	long n = (long)json_integer_value(json_object_get(j, "documents"));
	json_decref(j);
	cli_result_free(&r);
	return n;
}

static void check_ok(const char *dir)
{
	cli_result r = cli_run("dicta-index --index %s/idx --check", dir);
	cr_expect_eq(r.status, 0, "check: %s%s", r.out, r.err);
	cr_expect(strstr(r.out, "consistent"), "%s", r.out);
	cli_result_free(&r);
}

static long hits(const char *dir, const char *q)
{
	cli_result r = cli_run("dicta-search --index %s/idx --format json -k 100 '%s'", dir, q);
	json_t *j = json_loads(r.out, 0, NULL);
	long n = j ? (long)json_array_size(json_object_get(j, "results")) : -1;
	json_decref(j);
	cli_result_free(&r);
	return n;
}

Test(incremental, unchanged_changed_deleted_renamed)
{
	char *dir = cli_tmpdir();
	cli_write(dir, "src/a.txt", doc_a, sizeof doc_a - 1);
	cli_write(dir, "src/b.txt", doc_b, sizeof doc_b - 1);
	cli_write(dir, "src/feed.jsonl", lines, sizeof lines - 1);
	summary s = index_run(dir, "");
	cr_expect_eq(s.added, 4);
	cr_expect_eq(stat_documents(dir), 4);

	/* Nothing changed: nothing written. */
	s = index_run(dir, "");
	cr_expect_eq(s.unchanged, 4);
	cr_expect_eq(s.added + s.replaced + s.deleted, 0);

	/* a.txt changes, b.txt is renamed, one JSONL line changes. */
	static const char a2[] = "Extradition of the former chief\n\nThe court denied habeas relief.\n";
	cli_write(dir, "src/a.txt", a2, sizeof a2 - 1);
	cli_result r = cli_run("mv %s/src/b.txt %s/src/b-renamed.txt", dir, dir);
	cli_result_free(&r);
	static const char lines2[] =
		"{\"id\":\"l-1\",\"text\":\"Embezzlement charges were dropped.\"}\n"
		"{\"id\":\"l-2\",\"text\":\"Chain of custody was broken.\"}\n";
	cli_write(dir, "src/feed.jsonl", lines2, sizeof lines2 - 1);
	s = index_run(dir, "--prune");
	cr_expect_eq(s.replaced, 2, "a.txt and l-1");
	cr_expect_eq(s.added, 1, "b-renamed.txt");
	cr_expect_eq(s.unchanged, 1, "l-2");
	cr_expect_eq(s.deleted, 1, "b.txt");
	cr_expect_eq(stat_documents(dir), 4);
	cr_expect_eq(hits(dir, "habeas"), 1);
	cr_expect_eq(hits(dir, "certified"), 0, "the old text of a.txt is gone");
	cr_expect_eq(hits(dir, "dropped"), 1);
	cr_expect_eq(hits(dir, "asylum"), 1, "the renamed file is there once");
	check_ok(dir);

	/* A JSONL line removed: pruned; a file deleted without --prune: kept. */
	static const char lines3[] = "{\"id\":\"l-2\",\"text\":\"Chain of custody was broken.\"}\n";
	cli_write(dir, "src/feed.jsonl", lines3, sizeof lines3 - 1);
	r = cli_run("rm %s/src/a.txt", dir);
	cli_result_free(&r);
	s = index_run(dir, "");
	cr_expect_eq(s.deleted, 0);
	cr_expect_eq(stat_documents(dir), 4);
	s = index_run(dir, "--prune");
	cr_expect_eq(s.deleted, 2, "l-1 and a.txt");
	cr_expect_eq(stat_documents(dir), 2);
	check_ok(dir);
	cli_tmpdir_remove(dir);
}

Test(incremental, bad_input_protects_its_documents_from_prune)
{
	char *dir = cli_tmpdir();
	cli_write(dir, "src/feed.jsonl", lines, sizeof lines - 1);
	summary s = index_run(dir, "");
	cr_expect_eq(s.added, 2);
	/* The file is damaged: line 2 no longer parses.  Its document must not
	 * be pruned as if it were gone. */
	static const char broken[] =
		"{\"id\":\"l-1\",\"text\":\"Embezzlement charges were filed.\"}\n"
		"{\"id\":\"l-2\",\"text\":\"Chain of custody\n";
	cli_write(dir, "src/feed.jsonl", broken, sizeof broken - 1);
	s = index_run(dir, "--prune");
	cr_expect_eq(s.skipped, 1);
	cr_expect_eq(s.deleted, 0);
	cr_expect_eq(stat_documents(dir), 2);
	cli_tmpdir_remove(dir);
}

Test(incremental, an_id_met_twice_is_kept_once)
{
	char *dir = cli_tmpdir();
	static const char one[] = "{\"id\":\"dup\",\"text\":\"first copy about asylum\"}\n";
	static const char two[] = "{\"id\":\"dup\",\"text\":\"second copy about asylum\"}\n";
	cli_write(dir, "src/1.jsonl", one, sizeof one - 1);
	cli_write(dir, "src/2.jsonl", two, sizeof two - 1);
	cli_result r = cli_run("dicta-index --index %s/idx %s/src", dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "2.jsonl:1: duplicate id \"dup\""), "%s", r.err);
	cli_result_free(&r);
	cr_expect_eq(stat_documents(dir), 1);
	cr_expect_eq(hits(dir, "first"), 1);
	cr_expect_eq(hits(dir, "second"), 0);
	cli_tmpdir_remove(dir);
}

Test(incremental, strict_stops_at_bad_input_and_commits_nothing_more)
{
	char *dir = cli_tmpdir();
	cli_write(dir, "src/a.txt", doc_a, sizeof doc_a - 1);
	cli_write(dir, "src/b.txt", "", 0);
	cli_result r = cli_run("dicta-index --strict --index %s/idx %s/src", dir, dir);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "b.txt: empty file"), "%s", r.err);
	cr_expect(strstr(r.err, "strict"), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx --stats", dir);
	cr_expect(r.status == 3 || strstr(r.out, "\"documents\": 0"), "%s%s", r.out, r.err);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

/* ------------------------------------------------------- damaged indexes */

static char *indexed_tmp(void)
{
	char *dir = cli_tmpdir();
	/* a.txt: three paragraphs of 60 words, so three passages. */
	static char longer[4096];
	longer[0] = '\0';
	for (int p = 0; p < 3; p++) {
		for (int w = 0; w < 60; w++)
			strcat(longer, w % 12 == 11 ? "extradition. " : "word ");
		strcat(longer, "\n\n");
	}
	cli_write(dir, "src/a.txt", longer, strlen(longer));
	cli_write(dir, "src/b.txt", doc_b, sizeof doc_b - 1);
	/* One shard, so that damage() reaches every document. */
	cli_result r = cli_run("dicta-index -q --shards 1 --index %s/idx %s/src", dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	return dir;
}

static void damage(const char *dir, void (*how)(shim_db *))
{
	char path[512];
	snprintf(path, sizeof path, "%s/idx/shard-0", dir);
	shim_db *db;
	cr_assert_eq(shim_db_open(&db, path, SHIM_WRITE), 0, "%s", dicta_error_last());
	cr_assert_eq(shim_db_begin(db), 0);
	how(db);
	cr_assert_eq(shim_db_commit(db), 0);
	shim_db_free(db);
}

static void drop_record(shim_db *db)
{
	char t[64];
	size_t n = store_id_term(t, PREFIX_RECORD, "a.txt");
	cr_assert_eq(shim_db_delete_term(db, t, n, NULL), 0);
}

static void add_orphan(shim_db *db)
{
	shim_doc *d = shim_doc_new();
	char v[16] = {0};
	cr_assert_eq(shim_doc_set_value(d, SLOT_PARENT, "ghost", 5), 0);
	cr_assert_eq(shim_doc_set_value(d, SLOT_ORDINAL, v, 4), 0);
	cr_assert_eq(shim_doc_set_value(d, SLOT_RANGE, v, 16), 0);
	cr_assert_eq(shim_doc_add_posting(d, "orphan", 6, 1), 0);
	cr_assert_eq(shim_db_add(db, d, NULL), 0);
	shim_doc_free(d);
}

static void wrong_count(shim_db *db)
{
	cr_assert_eq(shim_db_set_metadata(db, META_DOCS, "7", 1), 0);
}

Test(check, damaged_indexes_are_reported)
{
	static const struct {
		void (*how)(shim_db *);
		const char *says;
	} cases[] = {
		{drop_record, "document \"a.txt\": 2 passages but no stored record"},
		{add_orphan, "document \"ghost\": 1 passages but no stored record"},
		{wrong_count, "the index says it holds 7 documents, found 2"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *dir = indexed_tmp();
		check_ok(dir);
		damage(dir, cases[i].how);
		cli_result r = cli_run("dicta-index --index %s/idx --check", dir);
		cr_expect_eq(r.status, 3, "case %zu: %s%s", i, r.out, r.err);
		cr_expect(strstr(r.err, cases[i].says), "case %zu: %s", i, r.err);
		cli_result_free(&r);
		cli_tmpdir_remove(dir);
	}
}

Test(check, second_writer_names_the_lock_holder)
{
	char *dir = indexed_tmp();
	char path[512];
	snprintf(path, sizeof path, "%s/idx", dir);
	dicta_index *w;
	cr_assert_eq(dicta_index_open(&w, path, DICTA_OPEN_WRITE), 0);
	cli_result r = cli_run("dicta-index --index %s/idx %s/src", dir, dir);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "locked by another writer (process "), "%s", r.err);
	cr_expect(strstr(r.err, "--wait"), "%s", r.err);
	cli_result_free(&r);
	/* A reader is not blocked by the writer. */
	r = cli_run("dicta-search --index %s/idx asylum", dir);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	dicta_index_free(w);
	cli_tmpdir_remove(dir);
}
