/*
 * test_shards.c — an index split into shards (lib/index_layout.c) and
 * written by several threads (lib/index_jobs.c): the same index and the
 * same answers whatever the number of jobs, each document in exactly one
 * shard, the layout's files, and the older one-database layout.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "dicta.h"
#include "index_internal.h"
#include "store.h"
#include "xapian_shim.h"

static const char *const queries[] = {
	"extradition", "Pegasus", "asylum /s persecution", "\"chain of custody\"",
	"spyware AND NOT Pegasus", "embezzl*", "court:interior", "date>=2020 surveillance",
};

/* Every query's JSON output on the index at dir/name. */
static char *answers(const char *dir, const char *name)
{
	size_t cap = 1 << 16, len = 0;
	char *all = malloc(cap);
	cr_assert(all);
	all[0] = '\0';
	for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
		cli_result r = cli_run("dicta-search --index %s/%s --format json -k 20 '%s'",
				       dir, name, queries[i]);
		cr_assert(r.status == 0 || r.status == 1, "%s: %s", queries[i], r.err);
		size_t ol = strlen(r.out);
		while (len + ol + 1 > cap)
			cr_assert((all = realloc(all, cap *= 2)));
		memcpy(all + len, r.out, ol + 1);
		len += ol;
		cli_result_free(&r);
	}
	return all;
}

Test(shards, one_job_and_many_build_the_same_index)
{
	char *dir = cli_tmpdir();
	cli_run_ok("dicta-index -q --shards 3 --jobs 1 --index %s/one corpus", dir);
	cli_run_ok("dicta-index -q --shards 3 --jobs 3 --index %s/many corpus", dir);
	char *a = answers(dir, "one"), *b = answers(dir, "many");
	cr_expect(strstr(a, "\"id\""), "the queries found nothing: %s", a);
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
	for (int i = 0; i < 2; i++)
		cli_run_ok("dicta-index --index %s/%s --check", dir, i ? "many" : "one");
	cli_tmpdir_remove(dir);
}

Test(shards, every_document_is_in_its_own_shard_once)
{
	char *dir = cli_tmpdir();
	cli_run_ok("dicta-index -q --shards 4 --jobs 2 --index %s/idx corpus", dir);
	char path[512];
	snprintf(path, sizeof path, "%s/idx", dir);
	dicta_index *idx;
	cr_assert_eq(dicta_index_open(&idx, path, DICTA_OPEN_READ), 0, "%s", dicta_error_last());
	cr_assert_eq(idx->nshards, 4);
	uint64_t total = 0;
	for (size_t k = 0; k < idx->nshards; k++) {
		total += idx->shards[k].documents;
		cr_expect(idx->shards[k].documents > 0, "shard %zu is empty", k);
	}
	cr_expect_eq(total, idx->documents);
	dicta_index_stats st;
	cr_assert_eq(dicta_index_stats_get(&st, idx), 0);
	cr_expect_eq(st.documents, total);
	/* Each document's record: in the shard its id hashes to, and no
	 * other. */
	dicta_results *res;
	dicta_search_options o;
	dicta_search_options_init(&o);
	o.k = 100;
	cr_assert_eq(dicta_search_run(&res, idx, "extradition OR asylum OR spyware", &o), 0,
		     "%s", dicta_error_last());
	cr_assert(dicta_results_count(res) > 5);
	for (size_t i = 0; i < dicta_results_count(res); i++) {
		const char *id = dicta_results_get(res, i)->id;
		char term[STORE_MAX_TERM + 1];
		size_t tl = store_id_term(term, PREFIX_RECORD, id);
		size_t home = index_shard_of(id, idx->nshards);
		for (size_t k = 0; k < idx->nshards; k++) {
			uint64_t tf;
			cr_assert_eq(shim_db_termfreq(idx->shards[k].db, term, tl, &tf), 0);
			cr_expect_eq(tf, k == home ? 1u : 0u, "%s in shard %zu", id, k);
		}
	}
	dicta_results_free(res);
	dicta_index_free(idx);
	cli_tmpdir_remove(dir);
}

Test(shards, the_shard_count_is_fixed_at_creation)
{
	char *dir = cli_tmpdir();
	cli_run_ok("dicta-index -q --shards 2 --index %s/idx corpus/articles", dir);
	cli_run_ok("dicta-index -q --shards 5 --jobs 5 --index %s/idx corpus", dir);
	char stub[512];
	snprintf(stub, sizeof stub, "%s/idx/XAPIANDB", dir);
	FILE *f = fopen(stub, "r");
	cr_assert(f, "no stub file");
	char buf[256] = "";
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	cr_expect_str_eq(buf, "glass shard-0\nglass shard-1\n");
	cli_run_ok("dicta-index --index %s/idx --check", dir);
	cli_tmpdir_remove(dir);
}

Test(shards, a_damaged_stub_is_reported_with_its_line)
{
	char *dir = cli_tmpdir();
	cli_run_ok("dicta-index -q --shards 2 --index %s/idx corpus/articles", dir);
	cli_write(dir, "idx/XAPIANDB", "glass shard-0\nglass ../elsewhere\n", 34);
	cli_result r = cli_run("dicta-search --index %s/idx extradition", dir);
	cr_expect_neq(r.status, 0);
	cr_expect(strstr(r.err, "XAPIANDB:2: expected \"glass shard-1\""), "%s", r.err);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

Test(shards, an_interrupted_creation_is_taken_up_again)
{
	char *dir = cli_tmpdir();
	char p[512];
	/* What a crash between creating the shards and writing the stub
	 * leaves: shard directories, no stub. */
	snprintf(p, sizeof p, "%s/idx", dir);
	cr_assert_eq(mkdir(p, 0777), 0);
	snprintf(p, sizeof p, "%s/idx/shard-0", dir);
	shim_db *db;
	cr_assert_eq(shim_db_open(&db, p, SHIM_WRITE), 0, "%s", dicta_error_last());
	shim_db_free(db);
	cli_run_ok("dicta-index -q --shards 2 --index %s/idx corpus/articles", dir);
	cli_run_ok("dicta-search --index %s/idx -k 1 extradition", dir);
	cli_tmpdir_remove(dir);
}

Test(shards, an_index_of_one_database_still_opens_and_grows)
{
	char *dir = cli_tmpdir();
	char p[512];
	snprintf(p, sizeof p, "%s/old", dir);
	/* The layout before shards: one glass database in the directory. */
	shim_db *db;
	cr_assert_eq(shim_db_open(&db, p, SHIM_WRITE), 0, "%s", dicta_error_last());
	shim_db_free(db);
	cli_run_ok("dicta-index -q --index %s/old corpus/articles", dir);
	snprintf(p, sizeof p, "%s/old/XAPIANDB", dir);
	cr_expect(access(p, F_OK) != 0, "a stub was written into the old layout");
	dicta_index *idx;
	snprintf(p, sizeof p, "%s/old", dir);
	cr_assert_eq(dicta_index_open(&idx, p, DICTA_OPEN_READ), 0, "%s", dicta_error_last());
	cr_expect_eq(idx->nshards, 1);
	cr_expect(idx->documents > 0);
	dicta_index_free(idx);
	cli_run_ok("dicta-index --index %s/old --check", dir);
	cli_tmpdir_remove(dir);
}

Test(shards, compaction_keeps_every_answer_and_moves_readers)
{
	char *dir = cli_tmpdir();
	cli_run_ok("dicta-index -q --shards 2 --index %s/idx corpus/filings corpus/es", dir);
	char path[512];
	snprintf(path, sizeof path, "%s/idx", dir);
	/* A reader opened before the compaction. */
	dicta_index *reader;
	cr_assert_eq(dicta_index_open(&reader, path, DICTA_OPEN_READ), 0, "%s", dicta_error_last());
	uint64_t docs_before = reader->documents;
	dicta_index_stats before, after;
	cr_assert_eq(dicta_index_stats_get(&before, reader), 0);
	char *a = answers(dir, "idx");
	/* A leftover of an interrupted compaction, to be cleaned up. */
	snprintf(path, sizeof path, "%s/idx/shard-1.7", dir);
	cr_assert_eq(mkdir(path, 0777), 0);
	cli_result r = cli_run("dicta-index --index %s/idx --compact", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "compacted the index"), "%s", r.err);
	cli_result_free(&r);
	cr_expect(access(path, F_OK) != 0, "shard-1.7 was left");
	snprintf(path, sizeof path, "%s/idx/shard-0", dir);
	cr_expect(access(path, F_OK) != 0, "the old shard-0 was left");
	char *b = answers(dir, "idx");
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
	/* The reader still answers from what it has open, then moves to
	 * the compacted shards. */
	dicta_results *res;
	cr_expect_eq(dicta_search_run(&res, reader, "extradition", NULL), 0, "%s", dicta_error_last());
	dicta_results_free(res);
	cr_assert_eq(dicta_index_reopen(reader), 0, "%s", dicta_error_last());
	cr_expect_str_eq(reader->shards[0].name, "shard-0.1");
	cr_expect_eq(reader->documents, docs_before);
	cr_assert_eq(dicta_index_stats_get(&after, reader), 0);
	cr_expect_lt(after.disk_bytes, before.disk_bytes);
	cr_expect_eq(after.passages, before.passages);
	dicta_index_free(reader);
	/* Writing goes on into the compacted shards. */
	cli_run_ok("dicta-index -q --index %s/idx corpus/articles", dir);
	cli_run_ok("dicta-index --index %s/idx --check", dir);
	cli_tmpdir_remove(dir);
}

Test(shards, a_failed_compaction_leaves_the_index_as_it_was)
{
	char *dir = cli_tmpdir();
	cli_run_ok("dicta-index -q --shards 3 --index %s/idx corpus/filings", dir);
	char *a = answers(dir, "idx");
	/* A dangling link where the first shard's copy must go: its
	 * compaction fails before the other shards' copies are begun. */
	cli_result r = cli_run("ln -s /nonexistent/dicta-test %s/idx/shard-0.1", dir);
	cli_result_free(&r);
	r = cli_run("dicta-index --index %s/idx --compact", dir);
	cr_expect_eq(r.status, 1, "%s", r.err);
	cr_expect(strstr(r.err, "dicta-index: compacting: "), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("cat %s/idx/XAPIANDB; ls %s/idx", dir, dir);
	cr_expect(strstr(r.out, "glass shard-0\nglass shard-1\nglass shard-2\n"), "%s", r.out);
	cr_expect(!strstr(r.out, "shard-1.1") && !strstr(r.out, "shard-2.1"), "%s", r.out);
	cli_result_free(&r);
	char *b = answers(dir, "idx");
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
	cli_run_ok("dicta-index --index %s/idx --check", dir);
	cli_tmpdir_remove(dir);
}

Test(shards, an_index_of_one_database_is_not_compacted_in_place)
{
	char *dir = cli_tmpdir();
	char p[512];
	snprintf(p, sizeof p, "%s/old", dir);
	shim_db *db;
	cr_assert_eq(shim_db_open(&db, p, SHIM_WRITE), 0, "%s", dicta_error_last());
	shim_db_free(db);
	cli_result r = cli_run("dicta-index --index %s/old --compact corpus/articles", dir);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "cannot be compacted in place"), "%s", r.err);
	cli_result_free(&r);
	/* The documents were indexed and committed before. */
	cli_run_ok("dicta-search --index %s/old -k 1 extradition", dir);
	cli_tmpdir_remove(dir);
}
