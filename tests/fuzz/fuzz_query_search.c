/*
 * fuzz_query_search.c — libFuzzer harness for the whole query path:
 * compiling against an index (roots, wildcards, fields), the exact check
 * of connectors on passages, and highlighting.  A small index is built
 * once; each input is searched with dicta_search_run and must give
 * results or DICTA_EQUERY, and every highlight must lie inside its
 * passage.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dicta.h"

static dicta_index *idx;

static const char *const texts[] = {
	"The magistrate granted the extradition request. The treaty was signed in 1978.",
	"Counsel raised the asylum claim.\n\nThe tribunal rejected the surrender order.",
	"Smith v. Jones held that the extradition of Mr. Ortiz was lawful under the treaty.",
	"La Audiencia Nacional acord\xc3\xb3 la extradici\xc3\xb3n de Zer\xc3\xb3n a M\xc3\xa9xico. "
	"El tratado bilateral regula la entrega.\n\nLa defensa recurrir\xc3\xa1.",
	"Officials extradited one suspect. The second suspect was not extraditable. "
	"A woman and two women testified under 18 U.S.C. \xc2\xa7 3184, No. 23-1732.",
	"Pegasus spyware was found on the phones; the treaty treaty treaty the the the "
	"extradition extradition of of of a a a.",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char dir[] = "/tmp/dicta-fuzz-query-XXXXXX";
	if (!mkdtemp(dir))
		abort();
	char path[64];
	snprintf(path, sizeof path, "%s/idx", dir);
	dicta_index *w;
	if (dicta_index_open(&w, path, DICTA_OPEN_WRITE))
		abort();
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		char id[16];
		snprintf(id, sizeof id, "d%zu", i);
		dicta_document d;
		memset(&d, 0, sizeof d);
		d.version = DICTA_DOCUMENT_VERSION;
		d.id = id;
		d.title = i % 2 ? "Extradition treaty" : "Asylum order";
		d.date = i % 3 ? "2019-06-01" : "2021";
		d.type = i % 2 ? "order" : "article";
		d.court = "Audiencia Nacional";
		d.lang = i == 3 ? "es" : "en";
		d.meta_json = "{\"custodian\":\"Office of the Clerk\",\"family\":\"F-7\"}";
		d.text = texts[i];
		d.text_len = strlen(texts[i]);
		if (dicta_index_add(w, &d))
			abort();
	}
	if (dicta_index_commit(w))
		abort();
	dicta_index_free(w);
	if (dicta_index_open(&idx, path, DICTA_OPEN_READ))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0; /* the parser's own harness covers long inputs */
	char *q = malloc(size + 1);
	if (!q)
		return 0;
	memcpy(q, data, size);
	q[size] = '\0';
	dicta_search_options o;
	dicta_search_options_init(&o);
	o.k = 5;
	o.passages = 2;
	dicta_results *r = NULL;
	int rc = dicta_search_run(&r, idx, q, &o);
	if (rc && rc != DICTA_EQUERY)
		abort();
	for (size_t i = 0; r && i < dicta_results_count(r); i++) {
		const dicta_hit *h = dicta_results_get(r, i);
		for (size_t k = 0; k < h->npassages; k++) {
			const dicta_passage *p = &h->passages[k];
			for (size_t j = 0; j < p->nhighlights; j++)
				if (p->highlights[j].start < p->start ||
				    p->highlights[j].end > p->end ||
				    p->highlights[j].start >= p->highlights[j].end)
					abort();
		}
	}
	dicta_results_free(r);
	free(q);
	return 0;
}
