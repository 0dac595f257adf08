/*
 * test_install.c — `make install` as a packager runs it (DESTDIR staging,
 * a PREFIX), then the example front end of examples/ built the way its
 * comment says, against the *installed* library through pkg-config: once
 * with the shared library and once with libdicta.a and the static link
 * needs of dicta.pc; both run on a small index.  `make uninstall` removes
 * every file again.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef DICTA_BUILDROOT
#define DICTA_BUILDROOT "build"
#endif
#ifndef DICTA_SANITIZE
#define DICTA_SANITIZE ""
#endif

/* make, from the project root, with this build's tree and sanitizers; the
 * variables of the make running the tests are not passed on. */
#define MAKE "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s " \
	     "BUILDROOT='" DICTA_BUILDROOT "' SANITIZE='" DICTA_SANITIZE "' "

static const char *const installed[] = {
	"bin/dicta-index", "bin/dicta-search", "lib/libdicta.a",
	"lib/libdicta.so.0.1.0", "lib/libdicta.so.0", "lib/libdicta.so",
	"include/dicta.h", "lib/pkgconfig/dicta.pc",
};

Test(install, example_builds_against_the_installed_library)
{
	char *t = cli_tmpdir();
	cli_result r = cli_run(MAKE "install DESTDIR=%s/stage PREFIX=/opt/dicta", t);
	cr_assert_eq(r.status, 0, "make install: %s%s", r.out, r.err);
	cli_result_free(&r);
	char root[600];
	snprintf(root, sizeof root, "%s/stage/opt/dicta", t);
	for (size_t i = 0; i < sizeof installed / sizeof installed[0]; i++) {
		char p[800];
		snprintf(p, sizeof p, "%s/%s", root, installed[i]);
		cr_expect_eq(access(p, F_OK), 0, "%s was not installed", installed[i]);
	}

	/* The versioned shared library: soname, links, dicta_* exports only. */
	r = cli_run("readlink %s/lib/libdicta.so.0 %s/lib/libdicta.so; "
		    "readelf -d %s/lib/libdicta.so.0.1.0 | grep SONAME",
		    root, root, root);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "libdicta.so.0.1.0\nlibdicta.so.0\n"), "%s", r.out);
	cr_expect(strstr(r.out, "[libdicta.so.0]"), "%s", r.out);
	cli_result_free(&r);
	r = cli_run("nm -D --defined-only %s/lib/libdicta.so.0.1.0 | awk '{print $3}' | "
		    "grep -v '^dicta_'",
		    root);
	cr_expect_str_empty(r.out, "exported beyond the API: %s", r.out);
	cli_result_free(&r);

	/* pkg-config finds the staged copy through its sysroot. */
	char env[1500];
	snprintf(env, sizeof env,
		 "export PKG_CONFIG_SYSROOT_DIR=%s/stage PKG_CONFIG_PATH=%s/lib/pkgconfig; ",
		 t, root);
	r = cli_run("%s pkg-config --cflags --libs dicta", env);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "/stage/opt/dicta/include"), "%s", r.out);
	cr_expect(strstr(r.out, "-ldicta"), "%s", r.out);
	cli_result_free(&r);
	const char *san = *DICTA_SANITIZE ? "-fsanitize=" DICTA_SANITIZE : "";

	/* The shared build, exactly as examples/minisearch.c says. */
	r = cli_run("%s cc -Wall -Wextra -Werror %s -o %s/minisearch examples/minisearch.c "
		    "$(pkg-config --cflags --libs dicta)",
		    env, san, t);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("readelf -d %s/minisearch | grep NEEDED", t);
	cr_expect(strstr(r.out, "[libdicta.so.0]"), "%s", r.out);
	cli_result_free(&r);

	/* The static build: libdicta.a, and what it needs from dicta.pc. */
	r = cli_run("%s cc -Wall -Wextra -Werror %s -o %s/minisearch-static "
		    "examples/minisearch.c $(pkg-config --cflags dicta) "
		    "$(pkg-config --static --libs dicta | sed 's/-ldicta /-l:libdicta.a /')",
		    env, san, t);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("readelf -d %s/minisearch-static | grep NEEDED", t);
	cr_expect(strstr(r.out, "libdicta") == NULL, "%s", r.out);
	cli_result_free(&r);

	/* A small index made by the installed indexer. */
	static const char hearing[] =
		"Extradition hearing set for March\n\n"
		"The magistrate scheduled the extradition hearing for March 4.\n";
	static const char asylum[] = "Asylum ruling\n\nThe asylum claim was granted.\n";
	cli_write(t, "src/hearing.txt", hearing, sizeof hearing - 1);
	cli_write(t, "src/asylum.txt", asylum, sizeof asylum - 1);
	r = cli_run("%s/bin/dicta-index -q --index %s/idx %s/src", root, t, t);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);

	char runs[2][1500];
	snprintf(runs[0], sizeof runs[0], "LD_LIBRARY_PATH=%s/lib %s/minisearch", root, t);
	snprintf(runs[1], sizeof runs[1], "%s/minisearch-static", t);
	for (size_t i = 0; i < 2; i++) {
		const char *cmd = runs[i];
		r = cli_run("%s %s/idx extradition", cmd, t);
		cr_expect_eq(r.status, 0, "%s: %s", cmd, r.err);
		cr_expect(strstr(r.out, "index: 2 documents"), "%s", r.out);
		cr_expect(strstr(r.out, "1. Extradition hearing set for March"), "%s", r.out);
		cr_expect(strstr(r.out, "[extradition]"), "%s", r.out);
		cr_expect(strstr(r.out, "document hearing.txt: "), "%s", r.out);
		cr_expect(strstr(r.out, "first passage: Extradition hearing"), "%s", r.out);
		cli_result_free(&r);
		r = cli_run("%s %s/idx ''", cmd, t);
		cr_expect_eq(r.status, 2, "an empty query: %s", r.err);
		cr_expect(strstr(r.err, "minisearch: "), "%s", r.err);
		cli_result_free(&r);
	}

	r = cli_run(MAKE "uninstall DESTDIR=%s/stage PREFIX=/opt/dicta", t);
	cr_assert_eq(r.status, 0, "make uninstall: %s", r.err);
	cli_result_free(&r);
	for (size_t i = 0; i < sizeof installed / sizeof installed[0]; i++) {
		char p[800];
		snprintf(p, sizeof p, "%s/%s", root, installed[i]);
		cr_expect_neq(access(p, F_OK), 0, "%s was left behind", installed[i]);
	}
	cli_tmpdir_remove(t);
}
