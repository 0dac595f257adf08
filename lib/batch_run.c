/*
 * batch_run.c — running a batch of queries (batch.h): each query's text is
 * prepared (free text escaped, long free text cut to its most informative
 * words by query_select.c) and searched with dicta_search_run(), so batch
 * queries get exactly what a single search gets.  The outcome of each goes
 * to the caller's callback, which writes reports and shows progress.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "error.h"
#include "query_select.h"

int batch_run_options_init(batch_run_options *o)
{
	memset(o, 0, sizeof *o);
	dicta_search_options_init(&o->search);
	o->syntax = BATCH_SYNTAX_AUTO;
	o->long_query = BATCH_LONG_SELECT;
	o->max_terms = BATCH_DEFAULT_MAX_TERMS;
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Errors after which the next query cannot do better. */
static int fatal(int rc)
{
	return rc == DICTA_EIO || rc == DICTA_ECORRUPT || rc == DICTA_ENOMEM;
}

int batch_run(dicta_index *idx, const batch_queries *qs,
	      const batch_run_options *opts, batch_outcome_fn on_outcome,
	      void *payload)
{
	batch_run_options o;
	if (opts)
		o = *opts;
	else
		batch_run_options_init(&o);
	if (o.max_terms == 0)
		o.max_terms = BATCH_DEFAULT_MAX_TERMS;
	batch_syntax syntax = o.syntax;
	if (syntax == BATCH_SYNTAX_AUTO)
		syntax = qs->format == BATCH_TSV ? BATCH_SYNTAX_QUERY : BATCH_SYNTAX_TEXT;
	for (size_t i = 0; i < qs->n; i++) {
		const batch_query *q = &qs->q[i];
		double t0 = now();
		char *escaped = NULL, *selected = NULL;
		const char *searched = q->text;
		int rc = 0;
		if (syntax == BATCH_SYNTAX_TEXT) {
			char *plain = batch_text_escape(q->text);
			if (plain)
				escaped = batch_text_add_parts(plain);
			free(plain);
			if (!escaped)
				rc = error_set(DICTA_ENOMEM, "out of memory");
			else
				searched = escaped;
			if (rc == 0 && o.long_query == BATCH_LONG_SELECT) {
				rc = qselect_terms(&selected, NULL, idx, escaped, o.max_terms);
				/* No word of the query in the index: search
				 * them all, which finds what there is. */
				if (rc == 0 && selected && *selected)
					searched = selected;
			}
		}
		dicta_results *res = NULL;
		if (rc == 0)
			rc = dicta_search_run(&res, idx, searched, &o.search);
		batch_outcome out = {q, searched, res, rc, rc ? dicta_error_last() : "",
				     now() - t0};
		int stop = on_outcome ? on_outcome(&out, i, qs->n, payload) : 0;
		dicta_results_free(res);
		free(escaped);
		free(selected);
		if (rc && fatal(rc))
			return rc;
		if (stop)
			return stop;
	}
	return 0;
}
