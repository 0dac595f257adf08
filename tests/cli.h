/*
 * cli.h — helpers for tests that run the real dicta-index and dicta-search
 * binaries (from DICTA_BUILD_DIR) and look at what a person would see.
 */
#ifndef DICTA_TEST_CLI_H
#define DICTA_TEST_CLI_H

#include <stddef.h>

typedef struct {
	int status;  /* exit status, or -1 if it did not exit normally */
	char *out;   /* stdout, NUL-terminated */
	char *err;   /* stderr, NUL-terminated */
} cli_result;

/* Run a shell command line with the binaries' directory first on PATH. */
cli_result cli_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* cli_run, asserting that the command exits 0 (the test fails with the
 * command and its stderr otherwise); its output is not kept. */
void cli_run_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_result_free(cli_result *r);

/* A fresh temporary directory (removed by cli_tmpdir_remove). */
char *cli_tmpdir(void);
void cli_tmpdir_remove(char *dir);

/* Write a file (creating parent directories). */
void cli_write(const char *dir, const char *name, const char *data, size_t len);

#endif
