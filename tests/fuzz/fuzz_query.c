/*
 * fuzz_query.c — libFuzzer harness for the query parser (query_parse.c):
 * any bytes as a query.  A parse either succeeds with a tree whose every
 * node is well formed (kids present, ids below the count, a Q_RANK root
 * exactly when the query is natural) and that prints, or fails with
 * DICTA_EQUERY, a message, and a column within the query (0 only for a
 * query over the length limit).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dicta.h"
#include "query_parse.h"

static void check_node(const qnode *n, size_t count, int depth)
{
	if (!n || n->id < 0 || (size_t)n->id >= count || depth > QUERY_MAX_TREE_DEPTH)
		abort();
	switch (n->kind) {
	case Q_TERM:
		if (n->nkids || !n->text || n->len == 0 || strlen(n->text) != n->len)
			abort();
		return;
	case Q_DATE:
		if (n->nkids || (n->lo[0] && strlen(n->lo) != 8) ||
		    (n->hi[0] && strlen(n->hi) != 8))
			abort();
		return;
	case Q_NOT:
		if (n->nkids < 2)
			abort();
		break;
	case Q_PROX:
		if (n->nkids != 2)
			abort();
		break;
	case Q_NEG:
	case Q_FIELD:
		if (n->nkids != 1)
			abort();
		break;
	default:
		if (n->nkids == 0)
			abort();
	}
	if (n->kind == Q_PROX && n->unit == QU_WORDS && (n->dist < 1 || n->dist > 255))
		abort();
	for (size_t i = 0; i < n->nkids; i++)
		check_node(n->kids[i], count, depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qast *a = NULL;
	int rc = query_parse(&a, (const char *)data, size);
	if (rc) {
		int col = dicta_error_column();
		if (rc != DICTA_EQUERY || a || !dicta_error_last()[0])
			abort();
		if (col < 0 || (size_t)col > size + 1 || (col == 0 && size <= QUERY_MAX_BYTES))
			abort();
		return 0;
	}
	const qnode *root = qast_root(a);
	check_node(root, qast_count(a), 0);
	if ((root->kind == Q_RANK) != (qast_natural(a) != 0))
		abort();
	char *s = qast_print(a);
	if (!s || !s[0])
		abort();
	free(s);
	qast_free(a);
	return 0;
}
