/*
 * test_badinput.c — the bad-input corpus of tests/data/bad/make-bad.sh
 * indexed in one run: every bad file or line is reported with its reason
 * and skipped, every good document is indexed, the run completes.  Also a
 * file that cannot be read (run as an unprivileged user when we are root)
 * and a file that disappears while the run is going.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

Test(badinput, every_bad_input_is_reported_and_skipped)
{
	char *dir = cli_tmpdir();
	cli_result r = cli_run("tests/data/bad/make-bad.sh %s/src", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-index --index %s/idx %s/src", dir, dir);
	cr_assert_eq(r.status, 0, "the run must complete: %s", r.err);
	FILE *f = fopen("tests/data/bad/EXPECTED", "r");
	cr_assert_not_null(f);
	char line[512];
	int rows = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		const char *want = strchr(line, '\t');
		cr_assert_not_null(want, "bad EXPECTED line: %s", line);
		cr_expect(strstr(r.err, want + 1), "missing: %s\nin:\n%s", want + 1, r.err);
		rows++;
	}
	fclose(f);
	cr_assert_eq(rows, 14);
	/* 15 skips (loop-b.txt too); as root unreadable.txt is readable. */
	int root = geteuid() == 0;
	char want[128];
	snprintf(want, sizeof want, "; %d skipped", root ? 15 : 16);
	cr_expect(strstr(r.err, want), "%s", r.err);
	/* ok-1, ok-2, the 981 whole lines of the cut .gz, unreadable.txt. */
	snprintf(want, sizeof want, "indexed %d documents", root ? 984 : 983);
	cr_expect(strstr(r.err, want), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-index --index %s/idx --check", dir);
	cr_expect_eq(r.status, 0, "%s%s", r.out, r.err);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

Test(badinput, permission_denied_is_skipped)
{
	char *dir = cli_tmpdir();
	static const char ok[] = "Asylum filing\n\nThe applicant fears persecution.\n";
	static const char sealed[] = "Sealed\n\nNot for you.\n";
	cli_write(dir, "src/ok.txt", ok, sizeof ok - 1);
	cli_write(dir, "src/sealed.txt", sealed, sizeof sealed - 1);
	cli_result r = cli_run("chmod 000 %s/src/sealed.txt && chmod 777 %s", dir, dir);
	cli_result_free(&r);
	const char *as = "";
	if (geteuid() == 0) {
		/* Root reads everything: run the indexer as nobody. */
		r = cli_run("command -v setpriv");
		int have = r.status == 0;
		cli_result_free(&r);
		if (!have) {
			cli_tmpdir_remove(dir);
			cr_skip_test("running as root without setpriv: cannot test EACCES");
		}
		as = "setpriv --reuid=nobody --regid=nogroup --clear-groups";
		r = cli_run("chmod 755 %s/src && chmod 644 %s/src/ok.txt", dir, dir);
		cli_result_free(&r);
	}
	r = cli_run("%s dicta-index --index %s/idx %s/src", as, dir, dir);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "sealed.txt: Permission denied (skipped)"), "%s", r.err);
	cr_expect(strstr(r.err, "indexed 1 documents"), "%s", r.err);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

Test(badinput, a_file_that_disappears_during_the_run_is_skipped)
{
	char *dir = cli_tmpdir();
	/* A first file that takes a while, then one that is removed while the
	 * first is being indexed (files are read in sorted order). */
	cli_result r = cli_run(
		"python3 -c 'import json\n"
		"for i in range(6000): print(json.dumps({\"id\": \"d%%d\" %% i, \"text\": "
		"\"The extradition court heard the asylum claim. \" * 40}))' > %s/src-aa.jsonl",
		dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("mkdir %s/src && mv %s/src-aa.jsonl %s/src/aa.jsonl && "
		    "echo 'Vanishing exhibit' > %s/src/zz-vanish.txt", dir, dir, dir, dir);
	cli_result_free(&r);
	r = cli_run("(sleep 0.3; rm %s/src/zz-vanish.txt) & dicta-index --index %s/idx %s/src; wait",
		    dir, dir, dir);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "zz-vanish.txt: No such file or directory (skipped)"),
		  "the file was not reported as gone (did indexing take under 0.3 s?): %s", r.err);
	cr_expect(strstr(r.err, "indexed 6000 documents"), "%s", r.err);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}
