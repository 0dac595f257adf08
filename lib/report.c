/*
 * report.c — what the batch reports share (report.h): the id a run gives a
 * result, scores as a TREC run prints them, and the evaluation of one
 * query exactly as its run lines will be evaluated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"

char *report_result_id(const dicta_hit *h, int unit)
{
	size_t len = strlen(h->id);
	/* Each byte at most "%0A"; then "#" and a 10-digit ordinal. */
	char *out = malloc(len * 3 + 16);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = h->id[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
		    c == '\f') {
			o += (size_t)sprintf(out + o, "%%%02X", (unsigned char)c);
			continue;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	if (unit == DICTA_UNIT_PASSAGE && h->npassages)
		sprintf(out + o, "#%u", h->passages[0].ordinal);
	return out;
}

double report_score(double score)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.6f", score);
	return strtod(buf, NULL);
}

int report_eval_outcome(eval_query *out, const batch_outcome *o,
			const report_options *ro)
{
	size_t n = o->res ? dicta_results_count(o->res) : 0;
	char **ids = n ? calloc(n, sizeof *ids) : NULL;
	double *scores = n ? malloc(n * sizeof *scores) : NULL;
	int rc = n && (!ids || !scores) ? error_set(DICTA_ENOMEM, "out of memory") : 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const dicta_hit *h = dicta_results_get(o->res, i);
		if (!(ids[i] = report_result_id(h, ro->unit)))
			rc = error_set(DICTA_ENOMEM, "out of memory");
		scores[i] = report_score(h->score);
	}
	if (rc == 0)
		rc = eval_query_compute(out, ro->qrels, o->query->id,
					(const char *const *)ids, scores, n);
	if (rc == 0 && !(out->qid = strdup(o->query->id)))
		rc = error_set(DICTA_ENOMEM, "out of memory");
	for (size_t i = 0; ids && i < n; i++)
		free(ids[i]);
	free(ids);
	free(scores);
	return rc;
}
