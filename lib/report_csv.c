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

#include "error.h"
#include "format.h"
#include "report.h"

static void field(FILE *f, const char *s, size_t len, int last)
{
	if (strcspn(s, ",\"\r\n") < len || (len && (s[0] == ' ' || s[len - 1] == ' '))) {
		fputc('"', f);
		for (size_t i = 0; i < len; i++) {
			if (s[i] == '"')
				fputc('"', f);
			fputc(s[i], f);
		}
		fputc('"', f);
	} else {
		fwrite(s, 1, len, f);
	}
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

/* Append text[from, to) to out at *o, runs of white space folded. */
static void add_folded(char *out, size_t *o, const char *text, size_t from,
		       size_t to)
{
	int space = 0;
	for (size_t i = from; i < to; i++) {
		char c = text[i];
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			space = 1;
			continue;
		}
		if (space)
			out[(*o)++] = ' ';
		space = 0;
		out[(*o)++] = c;
	}
	if (space)
		out[(*o)++] = ' ';
}

/* The snippet of p with highlights between ** **, white space folded, as
 * the text output shows it. */
static char *snippet(const dicta_passage *p)
{
	const char *doc = p->text - p->start;
	size_t from, to;
	format_snippet_window(p, &from, &to);
	char *out = malloc((to - from) + 4 * p->nhighlights + 8);
	if (!out)
		return NULL;
	size_t o = 0, at = from;
	if (from > p->start)
		add_folded(out, &o, "...", 0, 3);
	for (size_t i = 0; i < p->nhighlights; i++) {
		const dicta_span *h = &p->highlights[i];
		if (h->end <= at || h->start >= to)
			continue;
		size_t hs = h->start < at ? at : h->start;
		size_t he = h->end > to ? to : h->end;
		add_folded(out, &o, doc, at, hs);
		add_folded(out, &o, "**", 0, 2);
		add_folded(out, &o, doc, hs, he);
		add_folded(out, &o, "**", 0, 2);
		at = he;
	}
	add_folded(out, &o, doc, at, to);
	if (to < p->end)
		add_folded(out, &o, "...", 0, 3);
	out[o] = '\0';
	return out;
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
		char *text = h->npassages ? snippet(&h->passages[0]) : strdup("");
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
