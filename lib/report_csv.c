/*
 * report_csv.c — a batch run as CSV (RFC 4180: comma-separated, fields
 * with a comma, quote or line break quoted, quotes doubled; UTF-8, lines
 * ending in CRLF), one row per query and result, for a spreadsheet:
 *
 *   query_id, query, rank, id, title, date, citation, court, type, score,
 *   passage, text, [relevance,] error
 *
 * text is the snippet of the best passage (as in the text output) with
 * matched words between ** **; relevance, with judgments, is the judgment
 * or empty when the result is unjudged.  A query without results has one
 * row with the result columns empty; a failed one says why in error.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "format.h"
#include "report.h"

static void field(FILE *f, const char *s, size_t len, int last)
{
	csv_field(f, s, len);
	fputs(last ? "\r\n" : ",", f);
}

static void sfield(FILE *f, const char *s)
{
	field(f, s ? s : "", s ? strlen(s) : 0, 0);
}

int report_csv_header(FILE *f, const report_options *ro)
{
	fputs("query_id,query,rank,id,title,date,citation,court,type,score,passage,text,", f);
	if (ro->qrels)
		fputs("relevance,", f);
	fputs("error\r\n", f);
	return ferror(f) ? error_set(DICTA_EIO, "cannot write the results") : 0;
}

int report_csv_query(FILE *f, const batch_outcome *o, const report_options *ro)
{
	size_t n = o->res ? dicta_results_count(o->res) : 0;
	for (size_t i = 0; i < (n ? n : 1); i++) {
		sfield(f, o->query->id);
		sfield(f, o->query->text);
		if (n == 0) {
			for (int k = 0; k < 10; k++)
				sfield(f, "");
			if (ro->qrels)
				sfield(f, "");
			field(f, o->error, strlen(o->error), 1);
			break;
		}
		const dicta_hit *h = dicta_results_get(o->res, i);
		char num[64], *id = report_result_id(h, ro->unit);
		char *text = h->npassages ? format_snippet_text(&h->passages[0], 0) : strdup("");
		if (!id || !text) {
			free(id);
			free(text);
			return error_set(DICTA_ENOMEM, "out of memory");
		}
		snprintf(num, sizeof num, "%zu", i + 1);
		sfield(f, num);
		sfield(f, id);
		sfield(f, h->title);
		sfield(f, h->date);
		sfield(f, h->citation);
		sfield(f, h->court);
		sfield(f, h->type);
		snprintf(num, sizeof num, "%.6f", h->score);
		sfield(f, num);
		if (h->npassages)
			snprintf(num, sizeof num, "%u", h->passages[0].ordinal);
		else
			num[0] = '\0';
		sfield(f, num);
		sfield(f, text);
		if (ro->qrels) {
			int judged;
			int rel = eval_qrels_get(ro->qrels, o->query->id, id, &judged);
			if (judged)
				snprintf(num, sizeof num, "%d", rel);
			else
				num[0] = '\0';
			sfield(f, num);
		}
		field(f, "", 0, 1);
		free(id);
		free(text);
	}
	return ferror(f) ? error_set(DICTA_EIO, "cannot write the results") : 0;
}
