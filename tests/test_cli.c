/*
 * test_cli.c — the two programs as a person runs them: usage errors, bad
 * input reported and skipped, output on a terminal and in a pipe, exit
 * statuses.  Each test builds its own small index in a temporary folder.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char good_txt[] =
	"Extradition hearing set for March\n\n"
	"The magistrate scheduled the extradition hearing of the former police "
	"chief for March 4. His lawyers argue the treaty does not cover the "
	"charges.\n\nA second paragraph mentions Pegasus spyware once.\n";

static const char good_jsonl[] =
	"{\"id\":\"j-1\",\"title\":\"Asylum ruling\",\"text\":\"The asylum claim of Zerón was granted.\",\"lang\":\"es\",\"date\":\"2021-05-02\"}\n"
	"{\"id\":\"j-2\",\"title\":\"Broken\",\"text\":\"unterminated\n"
	"{\"id\":\"j-3\",\"title\":\"Embezzlement charges\",\"text\":\"Prosecutors filed embezzlement charges, No. 23-1732.\"}\n";

static char *make_source(void)
{
	char *dir = cli_tmpdir();
	cli_write(dir, "src/good.txt", good_txt, sizeof good_txt - 1);
	cli_write(dir, "src/feed.jsonl", good_jsonl, sizeof good_jsonl - 1);
	cli_write(dir, "src/empty.txt", "", 0);
	cli_write(dir, "src/blob.txt", "ab\0cd\0", 6);
	cli_write(dir, "src/latin1.txt", "Extradici\xf3n de Zer\xf3n\n", 21);
	return dir;
}

Test(cli, bad_input_is_reported_skipped_and_counted)
{
	char *dir = make_source();
	cli_result r = cli_run("dicta-index --index %s/idx %s/src", dir, dir);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect(strstr(r.err, "empty.txt: empty file (skipped)"), "%s", r.err);
	cr_expect(strstr(r.err, "blob.txt: binary file"), "%s", r.err);
	cr_expect(strstr(r.err, "latin1.txt: invalid UTF-8"), "%s", r.err);
	cr_expect(strstr(r.err, "feed.jsonl:2: invalid JSON"), "%s", r.err);
	cr_expect(strstr(r.err, "indexed 3 documents"), "%s", r.err);
	cr_expect(strstr(r.err, "; 4 skipped"), "%s", r.err);
	cli_result_free(&r);

	/* The good documents of the same run are all searchable. */
	r = cli_run("dicta-search --index %s/idx embezzlement", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "Embezzlement charges"), "%s", r.out);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx zeron", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "j-1"), "%s", r.out);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

Test(cli, piped_output_marks_highlights_visibly)
{
	char *dir = make_source();
	cli_result r = cli_run("dicta-index -q --index %s/idx %s/src/good.txt", dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_str_empty(r.err, "--quiet printed: %s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx extradition", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "1. Extradition hearing set for March"), "%s", r.out);
	cr_expect(strstr(r.out, "**extradition**"), "%s", r.out);
	cr_expect(strstr(r.out, "\033[") == NULL, "escape codes in a pipe: %s", r.out);
	cli_result_free(&r);
	r = cli_run("dicta-search --color=always --index %s/idx extradition", dir);
	cr_expect(strstr(r.out, "\033[1mextradition\033[0m"), "%s", r.out);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

Test(cli, json_output_parses_and_offsets_point_at_the_words)
{
	char *dir = make_source();
	cli_result r = cli_run("dicta-index -q --index %s/idx %s/src/good.txt", dir, dir);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx --format json --passages 2 treaty extradition", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	json_error_t e;
	json_t *j = json_loads(r.out, 0, &e);
	cr_assert_not_null(j, "not JSON: %s\n%s", e.text, r.out);
	cr_expect_str_eq(json_string_value(json_object_get(j, "query")), "treaty extradition");
	json_t *res = json_object_get(j, "results");
	cr_assert_eq(json_array_size(res), 1);
	json_t *hit = json_array_get(res, 0);
	cr_expect_str_eq(json_string_value(json_object_get(hit, "id")), "good.txt");
	json_t *ps = json_object_get(hit, "passages");
	cr_assert_geq(json_array_size(ps), 1);
	size_t checked = 0;
	for (size_t i = 0; i < json_array_size(ps); i++) {
		json_t *p = json_array_get(ps, i);
		const char *text = json_string_value(json_object_get(p, "text"));
		json_int_t start = json_integer_value(json_object_get(p, "start"));
		json_t *hl = json_object_get(p, "highlights");
		for (size_t k = 0; k < json_array_size(hl); k++) {
			json_int_t hs = json_integer_value(json_array_get(json_array_get(hl, k), 0));
			json_int_t he = json_integer_value(json_array_get(json_array_get(hl, k), 1));
			/* The highlighted bytes are one of the query's words. */
			char word[64] = {0};
			cr_assert_lt(he - hs, 63);
			memcpy(word, text + (hs - start), (size_t)(he - hs));
			cr_expect(!strcasecmp(word, "extradition") || !strcasecmp(word, "treaty"),
				  "highlight [%lld,%lld) is \"%s\"", (long long)hs, (long long)he, word);
			checked++;
		}
	}
	cr_expect_eq(checked, 3, "expected 3 highlights, checked %zu", checked);
	json_decref(j);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

Test(cli, usage_and_index_errors_are_one_line_with_status)
{
	cli_result r = cli_run("dicta-search extradition");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--index DIR is required"), "%s", r.err);
	cli_result_free(&r);

	r = cli_run("dicta-search --index /nonexistent/idx extradition");
	cr_expect_eq(r.status, 3);
	cr_expect(strstr(r.err, "dicta-search: /nonexistent/idx: no index there"), "%s", r.err);
	cli_result_free(&r);

	r = cli_run("dicta-search --index /tmp --bogus extradition");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "unrecognized option"), "%s", r.err);
	cli_result_free(&r);

	r = cli_run("dicta-index --index /tmp/x");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "no PATH to index given"), "%s", r.err);
	cli_result_free(&r);

	r = cli_run("dicta-search --index /tmp -k zero extradition");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "-k needs a whole number"), "%s", r.err);
	cli_result_free(&r);
}

Test(cli, empty_query_and_non_index_directory_are_refused)
{
	char *dir = make_source();
	cli_result r = cli_run("dicta-index -q --index %s/idx %s/src/good.txt", dir, dir);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx ''", dir);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "empty query"), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx ' ?! '", dir);
	cr_expect_eq(r.status, 2);
	cli_result_free(&r);

	/* A source folder is not an index: not searched, never written into. */
	r = cli_run("dicta-search --index %s/src extradition", dir);
	cr_expect_eq(r.status, 3);
	cr_expect(strstr(r.err, "not a dicta index"), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-index --index %s/src %s/src/good.txt", dir, dir);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "refusing to write into it"), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("ls %s/src | wc -l", dir);
	cr_expect_str_eq(r.out, "5\n", "files were added to the source folder");
	cli_result_free(&r);

	/* No match: exit 1 and a sentence, not silence. */
	r = cli_run("dicta-search --index %s/idx habeas", dir);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.out, "No documents match \"habeas\""), "%s", r.out);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

Test(cli, missing_path_is_skipped_and_the_rest_indexed)
{
	char *dir = make_source();
	cli_result r = cli_run("dicta-index --index %s/idx %s/nope %s/src/good.txt", dir, dir, dir);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "nope: no such file or directory (skipped)"), "%s", r.err);
	cr_expect(strstr(r.err, "indexed 1 documents"), "%s", r.err);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

Test(cli, reindexing_replaces_instead_of_duplicating)
{
	char *dir = make_source();
	for (int i = 0; i < 3; i++) {
		cli_result r = cli_run("dicta-index -q --index %s/idx %s/src", dir, dir);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cli_result_free(&r);
	}
	cli_result r = cli_run("dicta-search --index %s/idx --format json -k 50 the", dir);
	json_t *j = json_loads(r.out, 0, NULL);
	cr_assert_not_null(j, "%s", r.out);
	json_t *res = json_object_get(j, "results");
	cr_expect_eq(json_array_size(res), 2, "%s", r.out); /* good.txt and j-1 contain "the" */
	json_decref(j);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

Test(cli, compact_alone_needs_an_existing_index_and_keeps_its_answers)
{
	char *dir = make_source();
	cli_result r = cli_run("dicta-index --index %s/none --compact", dir);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "no index there"), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("test -e %s/none", dir);
	cr_expect_neq(r.status, 0, "--compact alone created an index");
	cli_result_free(&r);

	r = cli_run("dicta-index -q --shards 2 --index %s/idx %s/src/good.txt", dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx --format json extradition", dir);
	char *before = strdup(r.out);
	cli_result_free(&r);
	r = cli_run("dicta-index --index %s/idx --compact", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "compacted the index: ") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "indexed ") == NULL, "an empty indexing summary: %s", r.err);
	cli_result_free(&r);
	r = cli_run("cat %s/idx/XAPIANDB", dir);
	cr_expect(strstr(r.out, "shard-0.1") && strstr(r.out, "shard-1.1"), "%s", r.out);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx --format json extradition", dir);
	cr_expect_str_eq(r.out, before);
	free(before);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}
