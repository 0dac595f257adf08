/*
 * minisearch.c — a complete small search front end on libdicta: open an
 * index, run a query, print each result with its best passages and the
 * matched words marked, then fetch the best document and print the start of
 * its stored text.  docs/api.md walks through it.
 *
 * Build against an installed dicta:
 *
 *   cc -o minisearch minisearch.c $(pkg-config --cflags --libs dicta)
 *
 * Run:
 *
 *   ./minisearch INDEX-DIR QUERY...
 *
 * Exit status: 0 documents found, 1 none found, 2 a bad query or usage,
 * 3 the index could not be read.
 *
 * This file is in the public domain, so it can be copied into a front end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dicta.h>

/* Print passage text with each highlighted word in [brackets].  Highlight
 * offsets are in the document's text; p->text starts at p->start. */
static void print_passage(const dicta_passage *p)
{
	size_t at = p->start;
	printf("    passage %u (score %.3f): ", p->ordinal, p->score);
	for (size_t i = 0; i < p->nhighlights; i++) {
		const dicta_span *h = &p->highlights[i];
		printf("%.*s[%.*s]", (int)(h->start - at), p->text + (at - p->start),
		       (int)(h->end - h->start), p->text + (h->start - p->start));
		at = h->end;
	}
	printf("%s\n", p->text + (at - p->start));
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: minisearch INDEX-DIR QUERY...\n");
		return 2;
	}

	/* The query is the remaining arguments joined by spaces. */
	size_t len = 0;
	for (int i = 2; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *query = calloc(1, len + 1);
	if (!query)
		return 3;
	for (int i = 2; i < argc; i++) {
		strcat(query, argv[i]);
		if (i + 1 < argc)
			strcat(query, " ");
	}

	/* A read-only handle.  One handle per thread: a front end answering
	 * requests on several threads opens one for each. */
	dicta_index *idx;
	if (dicta_index_open(&idx, argv[1], DICTA_OPEN_READ) != 0) {
		fprintf(stderr, "minisearch: %s\n", dicta_error_last());
		free(query);
		return 3;
	}

	dicta_index_stats st;
	if (dicta_index_stats_get(&st, idx) == 0)
		printf("index: %llu documents, %llu passages, last commit %s\n",
		       (unsigned long long)st.documents,
		       (unsigned long long)st.passages,
		       *st.last_commit ? st.last_commit : "unknown");

	/* Options: start from the defaults, change what you need. */
	dicta_search_options opts;
	dicta_search_options_init(&opts);
	opts.k = 5;        /* five documents */
	opts.passages = 2; /* each with its two best passages */

	dicta_results *res;
	int rc = dicta_search_run(&res, idx, query, &opts);
	if (rc != 0) {
		/* A query error points at the column where it went wrong. */
		fprintf(stderr, "minisearch: %s\n", dicta_error_last());
		if (rc == DICTA_EQUERY && dicta_error_column() > 0)
			fprintf(stderr, "  %s\n  %*s^\n", query,
				dicta_error_column() - 1, "");
		dicta_index_free(idx);
		free(query);
		return rc == DICTA_EQUERY || rc == DICTA_EINVAL ? 2 : 3;
	}

	size_t n = dicta_results_count(res);
	printf("query: %s\n", dicta_results_query(res));
	printf("%zu of about %llu matching documents\n", n,
	       (unsigned long long)dicta_results_estimated(res));
	for (size_t i = 0; i < n; i++) {
		const dicta_hit *h = dicta_results_get(res, i);
		/* Metadata strings are "" when unknown, never NULL. */
		printf("%zu. %s\n", i + 1, *h->title ? h->title : h->id);
		printf("   id: %s | date: %s | score: %.3f\n", h->id,
		       *h->date ? h->date : "-", h->score);
		for (size_t j = 0; j < h->npassages; j++)
			print_passage(&h->passages[j]);
	}

	/* Fetch the best document: metadata, full text, passage ranges. */
	if (n > 0) {
		const char *id = dicta_results_get(res, 0)->id;
		dicta_hit *doc;
		const char *text;
		size_t text_len, npassages = 0;
		if (dicta_document_get(&doc, &text, &text_len, idx, id) == 0) {
			dicta_document_passages(&npassages, idx, id);
			printf("document %s: %zu bytes in %zu passages\n", doc->id,
			       text_len, npassages);
			dicta_span first;
			if (dicta_document_passage(&first, idx, id, 0) == 0)
				printf("first passage: %.*s\n",
				       (int)(first.end - first.start > 200
						     ? 200
						     : first.end - first.start),
				       text + first.start);
			dicta_document_free(doc);
		} else {
			fprintf(stderr, "minisearch: %s\n", dicta_error_last());
		}
	}

	dicta_results_free(res);
	dicta_index_free(idx);
	free(query);
	return n > 0 ? 0 : 1;
}
