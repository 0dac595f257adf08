/*
 * passage.c — the passage-cutting rules of passage.h, and passage_spans(),
 * which applies them to a whole text through the analyzer exactly as the
 * indexer does token by token (index.c).  Tests and the consistency check
 * use passage_spans(); the indexer uses the two decision functions.
 */
#include <stdlib.h>

#include "analyze.h"
#include "error.h"
#include "passage.h"

const passage_rules passage_default_rules = {50, 150, 300};

int passage_should_cut(const passage_rules *r, uint32_t cur_words,
		       int new_paragraph, int new_sentence)
{
	if (cur_words == 0)
		return 0;
	if (new_paragraph)
		return cur_words >= r->min_words;
	if (new_sentence)
		return cur_words >= r->target_words;
	return cur_words >= r->hard_words;
}

int passage_should_merge_tail(const passage_rules *r, uint32_t prev_words,
			      uint32_t tail_words)
{
	return prev_words > 0 && tail_words < r->min_words / 2 &&
	       prev_words + tail_words <= r->hard_words;
}

size_t passage_end_before(const char *text, size_t next)
{
	while (next > 0 && (text[next - 1] == ' ' || text[next - 1] == '\n' ||
			    text[next - 1] == '\r' || text[next - 1] == '\t'))
		next--;
	return next;
}

struct span_state {
	const char *text;
	const passage_rules *r;
	passage_span *spans;
	size_t n, cap;
	passage_span cur;
	uint32_t last_sentence, last_paragraph;
	int failed;
};

static int push_span(struct span_state *s)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		passage_span *p = realloc(s->spans, cap * sizeof *p);
		if (!p)
			return -1;
		s->spans = p;
		s->cap = cap;
	}
	s->spans[s->n++] = s->cur;
	return 0;
}

static int on_token(const token *t, void *payload)
{
	struct span_state *s = payload;
	int new_para = s->cur.nwords && t->paragraph != s->last_paragraph;
	int new_sent = s->cur.nwords && t->sentence != s->last_sentence;
	if (passage_should_cut(s->r, s->cur.nwords, new_para, new_sent)) {
		s->cur.end = passage_end_before(s->text, t->start);
		if (push_span(s))
			return -1;
		s->cur.nwords = 0;
	}
	if (s->cur.nwords == 0) {
		s->cur.start = s->n ? t->start : 0;
		s->cur.first_pos = t->pos;
	}
	s->cur.nwords++;
	s->last_sentence = t->sentence;
	s->last_paragraph = t->paragraph;
	return 0;
}

int passage_spans(const char *text, size_t len, const passage_rules *r,
		  passage_span **out, size_t *n_out)
{
	struct span_state s = {0};
	s.text = text;
	s.r = r;
	*out = NULL;
	*n_out = 0;
	if (analyze_text(text, len, on_token, &s) != 0)
		goto nomem;
	if (s.cur.nwords) {
		s.cur.end = passage_end_before(text, len);
		if (s.n && passage_should_merge_tail(r, s.spans[s.n - 1].nwords,
						     s.cur.nwords)) {
			s.spans[s.n - 1].end = s.cur.end;
			s.spans[s.n - 1].nwords += s.cur.nwords;
		} else if (push_span(&s)) {
			goto nomem;
		}
	}
	*out = s.spans;
	*n_out = s.n;
	return 0;
nomem:
	free(s.spans);
	return error_set(DICTA_ENOMEM, "out of memory cutting passages");
}
