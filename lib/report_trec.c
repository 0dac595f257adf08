/*
 * report_trec.c — a batch run as a TREC run file, the six columns
 * trec_eval reads:
 *
 *     qid Q0 id rank score tag
 *
 * one line per result, ranks from 1 in dicta's order, scores printed with
 * six decimals.  id is the document id, or "id#n" for passages (see
 * report_result_id).  trec_eval ignores the rank column and orders by
 * score, ties by id descending; dicta-eval does the same (eval.h).
 */
#include <stdlib.h>

#include "error.h"
#include "report.h"

int report_trec_query(FILE *f, const batch_outcome *o, const report_options *ro)
{
	if (!o->res)
		return 0;
	const char *tag = ro->run_tag && *ro->run_tag ? ro->run_tag : "dicta";
	for (size_t i = 0; i < dicta_results_count(o->res); i++) {
		const dicta_hit *h = dicta_results_get(o->res, i);
		char *id = report_result_id(h, ro->unit);
		if (!id)
			return error_set(DICTA_ENOMEM, "out of memory");
		fprintf(f, "%s Q0 %s %zu %.6f %s\n", o->query->id, id, i + 1, h->score,
			tag);
		free(id);
	}
	return ferror(f) ? error_set(DICTA_EIO, "cannot write the run") : 0;
}
