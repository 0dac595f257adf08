/*
 * connectors_verify.c — is the connector check exact on a real index?  For
 * "a! CONNECTOR b!" it runs the check inside Xapian's match over every
 * passage that has both roots, and compares each verdict with one computed
 * from the passage's stored text by the analyzer itself (its positions and
 * its sentence and paragraph numbers).  Called by bench/connectors.sh;
 * links libdicta's internal headers.
 *
 *   connectors_verify INDEX ROOT_A ROOT_B CONNECTOR
 *
 * CONNECTOR is /n, +n, /s, +s, /p or +p.  Prints the number of candidates,
 * accepted passages and disagreements; exits 1 on any disagreement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "dicta.h"
#include "index_internal.h"
#include "query.h"
#include "store.h"

typedef struct {
	const char *a, *b;
	uint32_t *pos, *sent, *para;
	int *side;
	size_t n, cap;
} words;

static int on_token(const token *t, void *payload)
{
	words *w = payload;
	int side = (strncmp(t->text, w->a, strlen(w->a)) == 0) |
		   (strncmp(t->text, w->b, strlen(w->b)) == 0) << 1;
	if (!side)
		return 0;
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->pos = realloc(w->pos, w->cap * sizeof *w->pos);
		w->sent = realloc(w->sent, w->cap * sizeof *w->sent);
		w->para = realloc(w->para, w->cap * sizeof *w->para);
		w->side = realloc(w->side, w->cap * sizeof *w->side);
		if (!w->pos || !w->sent || !w->para || !w->side)
			return -1;
	}
	w->pos[w->n] = t->pos;
	w->sent[w->n] = t->sentence;
	w->para[w->n] = t->paragraph;
	w->side[w->n++] = side;
	return 0;
}

/* The verdict from the text: some a-word and some other b-word within the
 * connector's reach. */
static int by_text(const words *w, int ordered, char unit, int dist)
{
	for (size_t x = 0; x < w->n; x++)
		for (size_t y = 0; y < w->n; y++) {
			if (x == y || !(w->side[x] & 1) || !(w->side[y] & 2))
				continue;
			long d = (long)w->pos[y] - (long)w->pos[x];
			if (ordered && d <= 0)
				continue;
			if (unit == 's' ? w->sent[x] == w->sent[y]
			    : unit == 'p' ? w->para[x] == w->para[y]
					  : labs(d) <= dist)
				return 1;
		}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: connectors_verify INDEX ROOT_A ROOT_B CONNECTOR\n");
		return 2;
	}
	const char *a = argv[2], *b = argv[3], *conn = argv[4];
	int ordered = conn[0] == '+';
	char unit = conn[1] == 's' || conn[1] == 'p' ? conn[1] : 'n';
	int dist = unit == 'n' ? atoi(conn + 1) : 0;
	dicta_index *idx;
	if (dicta_index_open(&idx, argv[1], DICTA_OPEN_READ)) {
		fprintf(stderr, "connectors_verify: %s\n", dicta_error_last());
		return 2;
	}
	char q[256], qand[256];
	snprintf(q, sizeof q, "%s! %s %s!", a, conn, b);
	snprintf(qand, sizeof qand, "%s! AND %s!", a, b);
	query_plan *p, *pand;
	if (query_compile(&p, idx, q) || query_compile(&pand, idx, qand)) {
		fprintf(stderr, "connectors_verify: %s\n", dicta_error_last());
		return 2;
	}
	uint64_t ndocs = 0;
	shim_db_doccount(idx->db, &ndocs);
	shim_search_opts o = {-1, 0, 1.2, 0.75, -1, 0, 0};
	shim_mset *all, *kept;
	/* The passages the check accepts are those of the kept MSet, by their
	 * docids in the whole index (inside the match, a sharded index's
	 * check sees each shard's own docids). */
	unsigned char *accepted = NULL;
	if (!query_plan_check(p) ||
	    shim_search(&all, idx->db, query_plan_query(pand), 0, 10000000, &o) ||
	    shim_search_accept(&kept, idx->db, query_plan_query(p), 0, 10000000, &o,
			       query_plan_check(p), p) ||
	    !(accepted = calloc(ndocs * 2 + 16, 1))) {
		fprintf(stderr, "connectors_verify: %s\n", dicta_error_last());
		return 2;
	}
	for (size_t i = 0; i < shim_mset_size(kept); i++)
		accepted[shim_mset_docid(kept, i)] = 1;
	size_t n = shim_mset_size(all), yes = 0, bad = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned did = shim_mset_docid(all, i);
		char *id, *range;
		size_t l;
		store_record rec;
		if (shim_db_get_value(idx->db, did, SLOT_PARENT, &id, &l) ||
		    shim_db_get_value(idx->db, did, SLOT_RANGE, &range, &l) ||
		    document_load(idx, id, &rec, 1)) {
			fprintf(stderr, "connectors_verify: %s\n", dicta_error_last());
			return 2;
		}
		size_t s = store_get_u32(range), e = store_get_u32(range + 4);
		words w = {a, b, NULL, NULL, NULL, NULL, 0, 0};
		analyze_text(rec.text + s, e - s, on_token, &w);
		int want = by_text(&w, ordered, unit, dist);
		yes += accepted[did];
		if (accepted[did] != want && bad++ < 5)
			printf("  disagree: %s passage %u: check %d, text %d\n", id, did,
			       accepted[did], want);
		free(w.pos);
		free(w.sent);
		free(w.para);
		free(w.side);
		free(id);
		free(range);
		store_record_clear(&rec);
	}
	printf("| `%s` | %zu | %zu | %zu |\n", q, n, yes, bad);
	shim_mset_free(all);
	shim_mset_free(kept);
	query_plan_free(p);
	query_plan_free(pand);
	free(accepted);
	dicta_index_free(idx);
	return bad ? 1 : 0;
}
