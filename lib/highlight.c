/*
 * highlight.c — the spans of a passage that match a query's terms.  Called
 * by search.c for each passage it returns.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "error.h"
#include "highlight.h"
#include "store.h"

typedef struct {
	size_t base;
	stemmer *st;
	const query_terms *qt;
	dicta_span *spans;
	size_t n, cap;
} hl_state;

static int token_matches(hl_state *h, const token *t)
{
	if (query_terms_has(h->qt, t->text, t->len))
		return 1;
	if (t->flags & TOK_NUMERIC)
		return 0;
	size_t sl;
	const char *stem = stemmer_stem(h->st, t->text, t->len, &sl);
	if (!stem || sl + 1 > STORE_MAX_TERM)
		return 0;
	char term[STORE_MAX_TERM + 2];
	term[0] = PREFIX_STEM[0];
	memcpy(term + 1, stem, sl);
	return query_terms_has(h->qt, term, sl + 1);
}

static int on_token(const token *t, void *payload)
{
	hl_state *h = payload;
	if (!token_matches(h, t))
		return 0;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 8;
		dicta_span *s = realloc(h->spans, cap * sizeof *s);
		if (!s)
			return -1;
		h->spans = s;
		h->cap = cap;
	}
	h->spans[h->n].start = h->base + t->start;
	h->spans[h->n].end = h->base + t->end;
	h->n++;
	return 0;
}

int highlight_spans(dicta_span **out, size_t *n_out, const char *text,
		    size_t start, size_t end, stemmer *st,
		    const query_terms *qt)
{
	hl_state h = {start, st, qt, NULL, 0, 0};
	*out = NULL;
	*n_out = 0;
	if (analyze_text(text + start, end - start, on_token, &h) != 0) {
		free(h.spans);
		return error_set(DICTA_ENOMEM, "out of memory highlighting");
	}
	*out = h.spans;
	*n_out = h.n;
	return 0;
}
