/*
 * querybench.c — dicta's side of the query benchmark of `make bench`.
 *
 *   querybench query INDEX QUERIES.tsv
 *
 * The same contract as the peers (bench/peer_xapian.py, peer_fts5.py,
 * LuceneBench.java): reads the `dicta` column of QUERIES.tsv (a header,
 * then class, dicta, xapian, fts5, lucene), opens the index once, runs
 * every query WARMUP times (environment, default 1) as a warm-up, then
 * RUNS times (default 3), and prints one line per query and pass:
 *
 *     pass <TAB> query number <TAB> class <TAB> microseconds <TAB> results
 *
 * Each query is one complete dicta_search_run() with the default options:
 * the top 10 documents, each with its best passage, its text and the
 * highlighted words (dicta's snippet).  microseconds is -1 for a query
 * dicta refused (the reason on stderr).
 *
 * dicta_search_options has no exact-count option (dicta_results_estimated()
 * is Xapian's estimate), so there is no exact-count mode.
 *
 * Copyright (C) 2026 the dicta developers.  GPL-2.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dicta.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Field `col` (0-based) of a tab-separated line, copied; NULL if missing. */
static char *field(const char *line, int col)
{
	const char *p = line;
	for (int i = 0; i < col; i++) {
		p = strchr(p, '\t');
		if (!p)
			return NULL;
		p++;
	}
	size_t n = strcspn(p, "\t\r\n");
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

int main(int argc, char **argv)
{
	if (argc != 4 || strcmp(argv[1], "query") != 0) {
		fprintf(stderr, "usage: querybench query INDEX QUERIES.tsv\n");
		return 2;
	}
	const char *env = getenv("RUNS");
	int runs = env ? atoi(env) : 3;
	if (runs < 1)
		runs = 1;

	FILE *f = fopen(argv[3], "r");
	if (!f) {
		perror(argv[3]);
		return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	int col = -1;
	if (getline(&line, &cap, f) > 0)
		for (int i = 0; i < 16; i++) {
			char *h = field(line, i);
			if (!h)
				break;
			int hit = strcmp(h, "dicta") == 0;
			free(h);
			if (hit) {
				col = i;
				break;
			}
		}
	if (col < 0) {
		fprintf(stderr, "querybench: %s: no dicta column in the header\n", argv[3]);
		return 2;
	}
	char **cls = NULL, **q = NULL;
	size_t n = 0, qcap = 0;
	while (getline(&line, &cap, f) > 0) {
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (n == qcap) {
			qcap = qcap ? 2 * qcap : 1024;
			cls = realloc(cls, qcap * sizeof *cls);
			q = realloc(q, qcap * sizeof *q);
			if (!cls || !q)
				abort();
		}
		cls[n] = field(line, 0);
		q[n] = field(line, col);
		if (!q[n]) {
			fprintf(stderr, "querybench: %s: line %zu has no dicta column\n", argv[3], n + 2);
			return 2;
		}
		n++;
	}
	free(line);
	fclose(f);

	dicta_index *idx;
	if (dicta_index_open(&idx, argv[2], DICTA_OPEN_READ) != 0) {
		fprintf(stderr, "querybench: %s: %s\n", argv[2], dicta_error_last());
		return 1;
	}
	dicta_search_options opts;
	dicta_search_options_init(&opts);
	opts.k = 10;
	opts.passages = 1;

	char *refused = calloc(n ? n : 1, 1);
	size_t sink = 0;
	const char *wenv = getenv("WARMUP");
	int warm = wenv ? atoi(wenv) : 1;
	for (int p = 1 - warm; p <= runs; p++) { /* passes up to 0: warm-up */
		for (size_t i = 0; i < n; i++) {
			dicta_results *r = NULL;
			double t0 = now_us();
			int rc = dicta_search_run(&r, idx, q[i], &opts);
			size_t count = 0;
			if (rc == 0) {
				count = dicta_results_count(r);
				for (size_t j = 0; j < count; j++) {
					const dicta_hit *h = dicta_results_get(r, j);
					for (size_t k = 0; k < h->npassages; k++)
						sink += h->passages[k].nhighlights + strlen(h->passages[k].text);
				}
				dicta_results_free(r);
			}
			double t1 = now_us();
			if (rc != 0 && !refused[i]) {
				refused[i] = 1;
				fprintf(stderr, "querybench: query %zu '%s': %s\n", i + 1, q[i],
					dicta_error_last());
			}
			if (p > 0)
				printf("%d\t%zu\t%s\t%.1f\t%zu\n", p, i + 1, cls[i],
				       rc == 0 ? t1 - t0 : -1.0, count);
		}
	}
	fflush(stdout);
	if (sink == 42)
		fputc('\n', stderr);
	dicta_index_free(idx);
	for (size_t i = 0; i < n; i++) {
		free(cls[i]);
		free(q[i]);
	}
	free(cls);
	free(q);
	free(refused);
	return 0;
}
