/*
 * fuzz_analyze.c — libFuzzer harness for the analyzer: any bytes through
 * analyze_text, analyze_fold and utf8_sanitize.  Checks that tokens lie
 * inside the input, in order, with non-decreasing ordinals, that the parts
 * of every kept compound (analyze_parts) lie inside it, in order, without
 * joiners, and that the sanitized text is valid UTF-8 of the promised
 * length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"

typedef struct {
	size_t len, last_end;
	uint32_t next_pos, sentence, paragraph;
} state;

typedef struct {
	size_t len; /* of the compound */
	int n;
} parts;

static int on_part(const token *t, void *payload)
{
	parts *p = payload;
	if (t->start >= t->end || t->end > p->len || t->len == 0 ||
	    strlen(t->text) != t->len || strpbrk(t->text, "-./:"))
		abort();
	p->n++;
	return 0;
}

static int on_token(const token *t, void *payload)
{
	state *s = payload;
	if (t->flags & TOK_NUMERIC) {
		parts p = {t->len, 0};
		if (analyze_parts(t->text, t->len, on_part, &p) != 0)
			abort();
		if (p.n && !strpbrk(t->text, "-./:"))
			abort(); /* parts only of a compound with joiners */
	}
	if (t->start >= t->end || t->end > s->len || t->start < s->last_end)
		abort();
	if (t->pos != s->next_pos || t->sentence < s->sentence ||
	    t->paragraph < s->paragraph || t->len == 0 || strlen(t->text) != t->len)
		abort();
	s->last_end = t->end;
	s->next_pos++;
	s->sentence = t->sentence;
	s->paragraph = t->paragraph;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	state s = {size, 0, 0, 0, 0};
	if (analyze_text((const char *)data, size, on_token, &s) != 0)
		abort();
	size_t fl;
	free(analyze_fold((const char *)data, size, &fl));
	size_t cl, replaced;
	char *clean = utf8_sanitize((const char *)data, size, &cl, &replaced);
	if (!clean)
		abort();
	if (memchr(clean, '\0', cl))
		abort();
	/* Sanitizing is idempotent: a clean text has nothing to replace. */
	size_t cl2, replaced2;
	char *again = utf8_sanitize(clean, cl, &cl2, &replaced2);
	if (!again || replaced2 != 0 || cl2 != cl || memcmp(again, clean, cl))
		abort();
	free(again);
	free(clean);
	return 0;
}
