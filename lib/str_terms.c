/*
 * str_terms.c — the file of search strings of a search term report
 * (str.h): one string per line, "label<TAB>query" or the query alone,
 * blank lines and '#' comments ignored.  A line that cannot be a search
 * string is reported as (path, line, reason) and skipped; the query
 * language itself is not read here (a string that does not parse still
 * gets its row in the report, with the parser's message).  Called by
 * searcher/terms_cli.c and the tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "error.h"
#include "str.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* Trim blanks at both ends of s[*start, *end); tabs too unless keep_tabs
 * (a line's tab may end an empty label or begin an empty query). */
static void trim(const char *s, size_t *start, size_t *end, int keep_tabs)
{
	while (*start < *end && is_blank(s[*start]) && !(keep_tabs && s[*start] == '\t'))
		(*start)++;
	while (*end > *start && is_blank(s[*end - 1]) && !(keep_tabs && s[*end - 1] == '\t'))
		(*end)--;
}

static int skip(str_terms *t, const char *path, long line,
		void (*on_skip)(const char *, long, const char *, void *),
		void *payload, const char *reason)
{
	if (t->nskips == t->capskips) {
		size_t cap = t->capskips ? t->capskips * 2 : 8;
		str_skip *k = realloc(t->skips, cap * sizeof *k);
		if (!k)
			return error_set(DICTA_ENOMEM, "out of memory");
		t->skips = k;
		t->capskips = cap;
	}
	char *r = strdup(reason);
	if (!r)
		return error_set(DICTA_ENOMEM, "out of memory");
	t->skips[t->nskips].line = line;
	t->skips[t->nskips++].reason = r;
	if (on_skip)
		on_skip(path, line, reason, payload);
	return 0;
}

static int add(str_terms *t, long line, const char *label, size_t ll,
	       const char *query, size_t ql)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		str_string *s = realloc(t->s, cap * sizeof *s);
		if (!s)
			return error_set(DICTA_ENOMEM, "out of memory");
		t->s = s;
		t->cap = cap;
	}
	str_string *s = &t->s[t->n];
	memset(s, 0, sizeof *s);
	s->line = line;
	s->label = strndup(label, ll);
	s->query = strndup(query, ql);
	if (!s->label || !s->query) {
		free(s->label);
		free(s->query);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	t->n++;
	return 0;
}

/* The earlier string with this label (or, when by_query, this query). */
static const str_string *find(const str_terms *t, const char *s, size_t len,
			      int by_query)
{
	for (size_t i = 0; i < t->n; i++) {
		const char *v = by_query ? t->s[i].query : t->s[i].label;
		if (strlen(v) == len && memcmp(v, s, len) == 0)
			return &t->s[i];
	}
	return NULL;
}

static int has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			return 1;
	return 0;
}

int str_terms_parse(str_terms *out, const char *path, const char *text,
		    size_t len,
		    void (*on_skip)(const char *path, long line,
				    const char *reason, void *payload),
		    void *payload)
{
	memset(out, 0, sizeof *out);
	size_t at = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		at = 3;
	long line = 0;
	int rc = 0;
	char reason[512];
	while (at < len && rc == 0) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len, next = end + 1;
		size_t start = at;
		at = next;
		line++;
		if (memchr(text + start, '\0', end - start)) {
			rc = skip(out, path, line, on_skip, payload, "a NUL byte in the line");
			continue;
		}
		if (!utf8_is_valid(text + start, end - start)) {
			rc = skip(out, path, line, on_skip, payload, "not valid UTF-8");
			continue;
		}
		size_t bs = start, be = end;
		trim(text, &bs, &be, 0);
		if (bs == be || text[bs] == '#')
			continue;
		trim(text, &start, &end, 1);
		const char *tab = memchr(text + start, '\t', end - start);
		size_t ls = start, le = end, qs = start, qe = end;
		if (tab) {
			le = (size_t)(tab - text);
			qs = le + 1;
			trim(text, &ls, &le, 0);
			trim(text, &qs, &qe, 0);
			if (ls == le) {
				rc = skip(out, path, line, on_skip, payload,
					  "nothing before the tab: write label<TAB>search "
					  "string, or the search string alone");
				continue;
			}
			if (qs == qe) {
				snprintf(reason, sizeof reason,
					 "the label \"%.*s\" has no search string after the tab",
					 (int)(le - ls > 200 ? 200 : le - ls), text + ls);
				rc = skip(out, path, line, on_skip, payload, reason);
				continue;
			}
			if (has_control(text + ls, le - ls)) {
				rc = skip(out, path, line, on_skip, payload,
					  "a control character in the label");
				continue;
			}
		}
		const str_string *dup = find(out, text + qs, qe - qs, 1);
		if (dup) {
			snprintf(reason, sizeof reason,
				 "the same search string as line %ld", dup->line);
			rc = skip(out, path, line, on_skip, payload, reason);
			continue;
		}
		if ((dup = find(out, text + ls, le - ls, 0)) != NULL) {
			snprintf(reason, sizeof reason,
				 "the label \"%.*s\" is already used on line %ld",
				 (int)(le - ls > 200 ? 200 : le - ls), text + ls, dup->line);
			rc = skip(out, path, line, on_skip, payload, reason);
			continue;
		}
		if (out->n == STR_MAX_STRINGS) {
			snprintf(reason, sizeof reason,
				 "more than %d search strings in one report; split the file",
				 STR_MAX_STRINGS);
			rc = skip(out, path, line, on_skip, payload, reason);
			continue;
		}
		rc = add(out, line, text + ls, le - ls, text + qs, qe - qs);
	}
	if (rc)
		str_terms_free(out);
	return rc;
}

void str_terms_free(str_terms *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->s[i].label);
		free(t->s[i].query);
		free(t->s[i].error);
	}
	for (size_t i = 0; i < t->nskips; i++)
		free(t->skips[i].reason);
	free(t->s);
	free(t->skips);
	memset(t, 0, sizeof *t);
}
