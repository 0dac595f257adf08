/*
 * cli.c — the helpers of cli.h.  Not a test file itself; linked into the
 * test binary with the others.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

#ifndef DICTA_BUILD_DIR
#define DICTA_BUILD_DIR "build"
#endif

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot read %s", path);
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

static cli_result run(const char *cmd)
{
	char *line;
	char *dir = cli_tmpdir();
	char cwd[4096];
	cr_assert_not_null(getcwd(cwd, sizeof cwd));
	cr_assert_geq(asprintf(&line, "PATH='%s/%s':\"$PATH\"; (%s) >%s/out 2>%s/err </dev/null",
			       cwd, DICTA_BUILD_DIR, cmd, dir, dir), 0);
	int st = system(line);
	free(line);
	cli_result r;
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	char path[512];
	snprintf(path, sizeof path, "%s/out", dir);
	r.out = slurp(path);
	snprintf(path, sizeof path, "%s/err", dir);
	r.err = slurp(path);
	cli_tmpdir_remove(dir);
	return r;
}

cli_result cli_run(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return run(cmd);
}

void cli_run_ok(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	cli_result r = run(cmd);
	cr_assert_eq(r.status, 0, "%s exited %d: %s", cmd, r.status, r.err);
	cli_result_free(&r);
}

void cli_result_free(cli_result *r)
{
	free(r->out);
	free(r->err);
}

char *cli_tmpdir(void)
{
	char *d = strdup("/tmp/dicta-test-XXXXXX");
	cr_assert_not_null(mkdtemp(d));
	return d;
}

void cli_tmpdir_remove(char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
	cr_assert_eq(system(cmd), 0);
	free(dir);
}

void cli_write(const char *dir, const char *name, const char *data, size_t len)
{
	char path[1024], cmd[1100];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	snprintf(cmd, sizeof cmd, "mkdir -p '%s'", path);
	cr_assert_eq(system(cmd), 0);
	*slash = '/';
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot write %s", path);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}
