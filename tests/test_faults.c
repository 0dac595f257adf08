/*
 * test_faults.c — resource faults: the disk filling up during a run and an
 * index on a read-only file system.  Each must end with a clear error and
 * the index at its last commit, opening, searchable and consistent.  Uses
 * small tmpfs mounts, so it needs root (CI and the development machines
 * run as root); elsewhere it is skipped with a message.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static char *mounted(const char *size)
{
	if (geteuid() != 0)
		return NULL;
	char *dir = cli_tmpdir();
	cli_result r = cli_run("mkdir %s/mnt && mount -t tmpfs -o size=%s tmpfs %s/mnt", dir,
			       size, dir);
	int ok = r.status == 0;
	cli_result_free(&r);
	if (!ok) {
		cli_tmpdir_remove(dir);
		return NULL;
	}
	return dir;
}

static void unmount(char *dir)
{
	cli_result r = cli_run("umount %s/mnt", dir);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}

static void expect_intact(const char *dir, int documents)
{
	char want[64];
	snprintf(want, sizeof want, "\"documents\": %d", documents);
	cli_result r = cli_run("dicta-search --index %s/mnt/idx --stats", dir);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, want), "%s", r.out);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/mnt/idx extradition", dir);
	cr_expect_eq(r.status, 0, "not searchable: %s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-index --index %s/mnt/idx --check", dir);
	cr_expect_eq(r.status, 0, "%s%s", r.out, r.err);
	cli_result_free(&r);
}

Test(faults, disk_full_keeps_the_last_commit)
{
	char *dir = mounted("4m");
	if (!dir)
		cr_skip_test("needs root and tmpfs mounts");
	cli_result r = cli_run("dicta-index -q --index %s/mnt/idx corpus", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	/* About 12 MB of new text cannot fit in what is left of 4 MB. */
	r = cli_run("python3 -c 'import json\n"
		    "for i in range(4000): print(json.dumps({\"id\": \"big-%%d\" %% i, \"text\": "
		    "\" \".join(\"w%%d\" %% (i * 500 + j) for j in range(500))}))' > %s/big.jsonl",
		    dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-index --commit-every 0 --index %s/mnt/idx %s/big.jsonl", dir, dir);
	cr_expect_eq(r.status, 1, "a full disk must fail the run: %s", r.err);
	cr_expect(strstr(r.err, "No space left on device") || strstr(r.err, "space"),
		  "the error should say the disk is full: %s", r.err);
	cr_expect(strstr(r.err, "uncommitted batch was discarded"), "%s", r.err);
	cli_result_free(&r);
	expect_intact(dir, 34);
	unmount(dir);
}

Test(faults, read_only_index_is_refused_and_still_searchable)
{
	char *dir = mounted("8m");
	if (!dir)
		cr_skip_test("needs root and tmpfs mounts");
	cli_result r = cli_run("dicta-index -q --index %s/mnt/idx corpus", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("mount -o remount,ro %s/mnt", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-index --index %s/mnt/idx corpus/articles", dir);
	cr_expect_eq(r.status, 1, "%s", r.err);
	cr_expect(strstr(r.err, "Read-only file system"), "%s", r.err);
	cr_expect(strchr(r.err, '\n') == r.err + strlen(r.err) - 1, "one line: %s", r.err);
	cli_result_free(&r);
	expect_intact(dir, 34);
	unmount(dir);
}
