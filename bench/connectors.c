/*
 * connectors.c — latency of connector queries next to the same words as a
 * plain ranked query, over one index opened once.  Called by
 * bench/connectors.sh.
 *
 *   connectors INDEX PAIRS [ROUNDS]
 *
 * PAIRS holds one pair a line: a query with operators, a tab, the same words
 * as a plain query.  After one warm-up round, each pair is run ROUNDS times
 * (default 21), the two queries in alternating order, each a complete
 * dicta_search_run() (top 10 documents, best passage, highlights).  Prints,
 * per pair, the median milliseconds of each and the documents found, then
 * the median over all runs of each kind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dicta.h"

#define MAX_PAIRS 64

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One search; returns its milliseconds, *found the estimated matches. */
static double run(dicta_index *idx, const char *q, unsigned long long *found)
{
	dicta_results *r;
	double t0 = now_ms();
	if (dicta_search_run(&r, idx, q, NULL) != 0) {
		fprintf(stderr, "connectors: %s: %s\n", q, dicta_error_last());
		exit(1);
	}
	double t = now_ms() - t0;
	*found = (unsigned long long)dicta_results_estimated(r);
	dicta_results_free(r);
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: connectors INDEX PAIRS [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 3 ? atoi(argv[3]) : 21;
	if (rounds < 1)
		rounds = 1;
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	char *conn[MAX_PAIRS], *plain[MAX_PAIRS], line[1024];
	size_t n = 0;
	while (n < MAX_PAIRS && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab || line[0] == '#')
			continue;
		*tab = '\0';
		conn[n] = strdup(line);
		plain[n] = strdup(tab + 1);
		n++;
	}
	fclose(f);
	dicta_index *idx;
	if (dicta_index_open(&idx, argv[1], DICTA_OPEN_READ) != 0) {
		fprintf(stderr, "connectors: %s\n", dicta_error_last());
		return 3;
	}
	unsigned long long found_c[MAX_PAIRS], found_p[MAX_PAIRS];
	for (size_t i = 0; i < n; i++) { /* warm-up */
		run(idx, conn[i], &found_c[i]);
		run(idx, plain[i], &found_p[i]);
	}
	double *tc = calloc(n * (size_t)rounds, sizeof *tc);
	double *tp = calloc(n * (size_t)rounds, sizeof *tp);
	double *all_c = calloc(n * (size_t)rounds, sizeof *all_c);
	double *all_p = calloc(n * (size_t)rounds, sizeof *all_p);
	if (!tc || !tp || !all_c || !all_p)
		return 1;
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < n; i++) {
			size_t k = i * (size_t)rounds + (size_t)r;
			if (r % 2) {
				tp[k] = run(idx, plain[i], &found_p[i]);
				tc[k] = run(idx, conn[i], &found_c[i]);
			} else {
				tc[k] = run(idx, conn[i], &found_c[i]);
				tp[k] = run(idx, plain[i], &found_p[i]);
			}
			all_c[k] = tc[k];
			all_p[k] = tp[k];
		}
	printf("| connector query | ms | est. matches | same words, ranked | ms | est. matches |\n");
	printf("|---|---:|---:|---|---:|---:|\n");
	for (size_t i = 0; i < n; i++) {
		double mc = median(tc + i * (size_t)rounds, (size_t)rounds);
		double mp = median(tp + i * (size_t)rounds, (size_t)rounds);
		printf("| `%s` | %.2f | %llu | `%s` | %.2f | %llu |\n", conn[i], mc, found_c[i],
		       plain[i], mp, found_p[i]);
	}
	double mc = median(all_c, n * (size_t)rounds), mp = median(all_p, n * (size_t)rounds);
	printf("\nmedian over %zu queries x %d runs: connectors %.2f ms, plain %.2f ms "
	       "(%.2fx)\n", n, rounds, mc, mp, mp > 0 ? mc / mp : 0.0);
	for (size_t i = 0; i < n; i++) {
		free(conn[i]);
		free(plain[i]);
	}
	free(tc);
	free(tp);
	free(all_c);
	free(all_p);
	dicta_index_free(idx);
	return 0;
}
