/*
 * format.c — results as JSON (the schema of docs/search-output.md) and as
 * text for a person.  The CLI prints what these return; a front end linking
 * libdicta can use them too.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dicta.h"
#include "error.h"
#include "format.h"
#include "sbuf.h"

static json_t *passage_json(const dicta_passage *p)
{
	json_t *hl = json_array();
	for (size_t i = 0; hl && i < p->nhighlights; i++)
		json_array_append_new(hl, json_pack("[II]", (json_int_t)p->highlights[i].start,
						    (json_int_t)p->highlights[i].end));
	return json_pack("{sI sf sI sI ss so}", "n", (json_int_t)p->ordinal,
			 "score", p->score, "start", (json_int_t)p->start, "end",
			 (json_int_t)p->end, "text", p->text, "highlights", hl);
}

json_t *format_results_json(const dicta_results *res)
{
	json_t *results = json_array();
	for (size_t i = 0; results && i < dicta_results_count(res); i++) {
		const dicta_hit *h = dicta_results_get(res, i);
		json_t *ps = json_array();
		for (size_t j = 0; ps && j < h->npassages; j++)
			json_array_append_new(ps, passage_json(&h->passages[j]));
		json_array_append_new(
			results,
			json_pack("{sI ss ss ss ss ss ss ss sf so}", "rank",
				  (json_int_t)(i + 1), "id", h->id, "title", h->title,
				  "date", h->date, "citation", h->citation, "type",
				  h->type, "court", h->court, "lang", h->lang,
				  "score", h->score, "passages", ps));
	}
	json_t *top = json_pack("{ss sI so}", "query", dicta_results_query(res),
				"estimated_matches",
				(json_int_t)dicta_results_estimated(res), "results",
				results);
	return top;
}

char *dicta_results_to_json(const dicta_results *res)
{
	json_t *top = format_results_json(res);
	char *s = top ? json_dumps(top, JSON_COMPACT) : NULL;
	json_decref(top);
	if (!s) {
		error_set(DICTA_ENOMEM, "cannot write results as JSON");
		return NULL;
	}
	size_t n = strlen(s);
	char *t = realloc(s, n + 2);
	if (!t) {
		free(s);
		error_set(DICTA_ENOMEM, "out of memory");
		return NULL;
	}
	t[n] = '\n';
	t[n + 1] = '\0';
	return t;
}

static void sb_add_folded(sbuf *b, const char *text, size_t from, size_t to)
{
	int space = 0;
	for (size_t i = from; i < to; i++) {
		char c = text[i];
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			space = 1;
			continue;
		}
		if (space)
			sb_add(b, " ", 1);
		space = 0;
		sb_add(b, &c, 1);
	}
	if (space)
		sb_add(b, " ", 1);
}

#define SNIPPET_BEFORE 120
#define SNIPPET_LEN 400

static int utf8_cont(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* The snippet window of a passage: around its first highlight, at most
 * SNIPPET_LEN bytes, starting and ending on word boundaries. */
static void snippet_window(const dicta_passage *p, const char *doc, size_t *from,
			   size_t *to)
{
	size_t s = p->start, e = p->end;
	if (p->nhighlights && p->highlights[0].start > s + SNIPPET_BEFORE)
		s = p->highlights[0].start - SNIPPET_BEFORE;
	if (e - s > SNIPPET_LEN)
		e = s + SNIPPET_LEN;
	if (s > p->start) {
		while (s < e && doc[s] != ' ' && doc[s] != '\n')
			s++;
		while (s < e && (doc[s] == ' ' || doc[s] == '\n'))
			s++;
	}
	if (e < p->end) {
		size_t e0 = e;
		while (e > s && doc[e - 1] != ' ' && doc[e - 1] != '\n')
			e--;
		if (e == s)
			e = e0;
		while (e > s && utf8_cont(doc[e]))
			e--;
	}
	*from = s;
	*to = e;
}

void format_snippet_window(const dicta_passage *p, size_t *from, size_t *to)
{
	snippet_window(p, p->text - p->start, from, to);
}

/* The snippet of p, highlights marked (bold, or ** when !color), white
 * space folded, with "..." where the window cuts the passage. */
static void add_snippet(sbuf *b, const dicta_passage *p, int color)
{
	/* Offsets are in document text; p->text starts at p->start. */
	const char *doc = p->text - p->start;
	size_t from, to;
	snippet_window(p, doc, &from, &to);
	const char *on = color ? "\033[1m" : "**", *off = color ? "\033[0m" : "**";
	if (from > p->start)
		sb_add(b, "...", 3);
	size_t at = from;
	for (size_t i = 0; i < p->nhighlights; i++) {
		const dicta_span *h = &p->highlights[i];
		if (h->end <= at || h->start >= to)
			continue;
		size_t hs = h->start < at ? at : h->start;
		size_t he = h->end > to ? to : h->end;
		sb_add_folded(b, doc, at, hs);
		sb_add(b, on, strlen(on));
		sb_add(b, doc + hs, he - hs);
		sb_add(b, off, strlen(off));
		at = he;
	}
	sb_add_folded(b, doc, at, to);
	if (to < p->end)
		sb_add(b, "...", 3);
}

char *format_snippet_text(const dicta_passage *p, int color)
{
	sbuf b = {0};
	sb_add(&b, "", 0);
	add_snippet(&b, p, color);
	if (b.failed) {
		free(b.s);
		error_set(DICTA_ENOMEM, "out of memory");
		return NULL;
	}
	return b.s;
}

static void add_passage_text(sbuf *b, const dicta_passage *p, int color)
{
	sb_add(b, "   ", 3);
	add_snippet(b, p, color);
	sb_add(b, "\n", 1);
}

char *dicta_results_to_text(const dicta_results *res, int color)
{
	sbuf b = {0};
	size_t n = dicta_results_count(res);
	if (n == 0)
		sb_printf(&b, "No documents match \"%s\".\n", dicta_results_query(res));
	for (size_t i = 0; i < n; i++) {
		const dicta_hit *h = dicta_results_get(res, i);
		const char *title = *h->title ? h->title : h->id;
		sb_printf(&b, "%zu. %s%s%s\n", i + 1, color ? "\033[1m" : "", title,
			  color ? "\033[0m" : "");
		sb_printf(&b, "   %s", h->id);
		if (*h->date)
			sb_printf(&b, " | %s", h->date);
		if (*h->type)
			sb_printf(&b, " | %s", h->type);
		if (*h->citation)
			sb_printf(&b, " | %s", h->citation);
		if (*h->court)
			sb_printf(&b, " | %s", h->court);
		sb_printf(&b, " | score %.3f\n", h->score);
		for (size_t j = 0; j < h->npassages; j++) {
			if (h->npassages > 1)
				sb_printf(&b, "   passage %u (score %.3f):\n",
					  h->passages[j].ordinal, h->passages[j].score);
			add_passage_text(&b, &h->passages[j], color);
		}
		sb_add(&b, "\n", 1);
	}
	if (n)
		sb_printf(&b, "%zu of about %llu matching documents.\n", n,
			  (unsigned long long)dicta_results_estimated(res));
	if (b.failed) {
		free(b.s);
		error_set(DICTA_ENOMEM, "out of memory");
		return NULL;
	}
	return b.s;
}

char *dicta_index_stats_to_json(const dicta_index_stats *s)
{
	json_t *o = json_pack("{sI sI sI sI ss}", "documents", (json_int_t)s->documents,
			      "passages", (json_int_t)s->passages, "terms",
			      (json_int_t)s->terms, "index_bytes",
			      (json_int_t)s->disk_bytes, "last_commit", s->last_commit);
	char *out = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
	json_decref(o);
	if (!out)
		error_set(DICTA_ENOMEM, "cannot write statistics as JSON");
	return out;
}
