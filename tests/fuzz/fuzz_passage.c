/*
 * fuzz_passage.c — libFuzzer harness for the passage cutter: spans of any
 * text are in order, inside the text, non-overlapping, cover every word
 * exactly once, and none but a run-on cut exceeds the hard limit.
 */
#include <stdint.h>
#include <stdlib.h>

#include "analyze.h"
#include "passage.h"

static int count(const token *t, void *payload)
{
	(void)t;
	(*(size_t *)payload)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	passage_span *sp;
	size_t n;
	if (passage_spans(text, size, &passage_default_rules, &sp, &n) != 0)
		abort();
	size_t words = 0, total = 0;
	(void)analyze_text(text, size, count, &words);
	uint32_t next_pos = 0;
	for (size_t i = 0; i < n; i++) {
		if (sp[i].start > sp[i].end || sp[i].end > size || sp[i].nwords == 0)
			abort();
		if (i && sp[i].start < sp[i - 1].end)
			abort();
		if (sp[i].first_pos != next_pos)
			abort();
		if (sp[i].nwords > passage_default_rules.hard_words +
					   passage_default_rules.min_words / 2)
			abort();
		next_pos += sp[i].nwords;
		total += sp[i].nwords;
	}
	if (total != words)
		abort();
	free(sp);
	return 0;
}
