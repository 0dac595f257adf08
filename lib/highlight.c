/*
 * highlight.c — the spans of a passage that match a query: by its terms
 * (natural-language queries) or by the word positions that satisfied it
 * (queries with operators).  Called by search.c for each passage it
 * returns.
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

static int token_matches(hl_state *h, const token *t);

/* analyze_parts() callback: stop (1) at the first part that matches. */
static int on_part(const token *t, void *payload)
{
	return token_matches(payload, t);
}

static int token_matches(hl_state *h, const token *t)
{
	if (query_terms_has(h->qt, t->text, t->len))
		return 1;
	if (t->flags & TOK_NUMERIC) /* a compound is marked for a part */
		return analyze_parts(t->text, t->len, on_part, h) == 1;
	size_t sl;
	const char *stem = stemmer_stem(h->st, t->text, t->len, &sl);
	if (!stem || sl + 1 > STORE_MAX_TERM)
		return 0;
	char term[STORE_MAX_TERM + 2];
	term[0] = PREFIX_STEM[0];
	memcpy(term + 1, stem, sl);
	return query_terms_has(h->qt, term, sl + 1);
}

static int add_span(hl_state *h, const token *t)
{
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

static int on_token(const token *t, void *payload)
{
	hl_state *h = payload;
	if (!token_matches(h, t))
		return 0;
	return add_span(h, t);
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

typedef struct {
	hl_state h;
	uint32_t first;
	const uint32_t *pos;
	size_t npos, next;
} pos_state;

static int on_token_at(const token *t, void *payload)
{
	pos_state *s = payload;
	uint32_t p = s->first + t->pos;
	while (s->next < s->npos && s->pos[s->next] < p)
		s->next++;
	if (s->next == s->npos)
		return 1; /* no more words to mark: stop early */
	if (s->pos[s->next] != p)
		return 0;
	return add_span(&s->h, t);
}

int highlight_positions(dicta_span **out, size_t *n_out, const char *text,
			size_t start, size_t end, uint32_t first_pos,
			const uint32_t *pos, size_t npos)
{
	pos_state s = {{start, NULL, NULL, NULL, 0, 0}, first_pos, pos, npos, 0};
	*out = NULL;
	*n_out = 0;
	if (npos == 0)
		return 0;
	int rc = analyze_text(text + start, end - start, on_token_at, &s);
	if (rc < 0) {
		free(s.h.spans);
		return error_set(DICTA_ENOMEM, "out of memory highlighting");
	}
	*out = s.h.spans;
	*n_out = s.h.n;
	return 0;
}

int highlight_passage(dicta_span **out, size_t *n_out, const query_plan *plan,
		      unsigned docid, const char *text, size_t start,
		      size_t end, stemmer *st)
{
	if (query_plan_natural(plan))
		return highlight_spans(out, n_out, text, start, end, st,
				       query_plan_terms(plan));
	*out = NULL;
	*n_out = 0;
	uint32_t *pos, first;
	size_t npos;
	int rc = query_plan_positions(plan, docid, &pos, &npos, &first);
	if (rc == 0)
		rc = highlight_positions(out, n_out, text, start, end, first, pos,
					 npos);
	free(pos);
	return rc;
}
