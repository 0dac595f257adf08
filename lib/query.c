/*
 * query.c — natural-language queries: analyze the query text as documents
 * are analyzed, and OR the resulting terms for BM25 ranking.  Called by
 * search.c.  A word is looked up by its stem in each language the index
 * holds, so that a query works over a mixed English and Spanish collection
 * without naming a language.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "error.h"
#include "query.h"
#include "store.h"

int query_terms_add(query_terms *qt, const char *term, size_t len)
{
	for (size_t i = 0; i < qt->n; i++)
		if (strlen(qt->terms[i]) == len && !memcmp(qt->terms[i], term, len))
			return 0;
	if (qt->n == qt->cap) {
		size_t cap = qt->cap ? qt->cap * 2 : 16;
		char **t = realloc(qt->terms, cap * sizeof *t);
		if (!t)
			return error_set(DICTA_ENOMEM, "out of memory");
		qt->terms = t;
		qt->cap = cap;
	}
	char *c = malloc(len + 1);
	if (!c)
		return error_set(DICTA_ENOMEM, "out of memory");
	memcpy(c, term, len);
	c[len] = '\0';
	qt->terms[qt->n++] = c;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void query_terms_seal(query_terms *qt)
{
	if (qt->n)
		qsort(qt->terms, qt->n, sizeof *qt->terms, cmp_str);
}

int query_terms_has(const query_terms *qt, const char *term, size_t len)
{
	size_t lo = 0, hi = qt->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *t = qt->terms[mid];
		size_t tl = strlen(t);
		int c = memcmp(t, term, tl < len ? tl : len);
		if (c == 0)
			c = tl < len ? -1 : (tl > len);
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void query_terms_free(query_terms *qt)
{
	for (size_t i = 0; i < qt->n; i++)
		free(qt->terms[i]);
	free(qt->terms);
	memset(qt, 0, sizeof *qt);
}

typedef struct {
	dicta_index *idx;
	query_terms *terms;
	int rc;
	size_t words;
} natural_state;

static int on_query_token(const token *t, void *payload)
{
	natural_state *s = payload;
	s->words++;
	if (t->len > STORE_MAX_TERM - 1)
		return 0;
	if (t->flags & TOK_NUMERIC) {
		s->rc = query_terms_add(s->terms, t->text, t->len);
		return s->rc != 0;
	}
	dicta_index *idx = s->idx;
	size_t nl = idx->nlangs ? idx->nlangs : 1;
	for (size_t i = 0; i < nl; i++) {
		const char *code = idx->nlangs ? idx->langs[i] : idx->default_lang;
		stemmer *st = index_stemmer(idx, code);
		if (!st) {
			s->rc = DICTA_EINVAL;
			return 1;
		}
		size_t sl;
		const char *stem = stemmer_stem(st, t->text, t->len, &sl);
		char term[STORE_MAX_TERM + 2];
		if (!stem || sl + 1 > STORE_MAX_TERM) {
			continue;
		}
		term[0] = PREFIX_STEM[0];
		memcpy(term + 1, stem, sl);
		if ((s->rc = query_terms_add(s->terms, term, sl + 1)) != 0)
			return 1;
	}
	return 0;
}

int query_natural(shim_query **out, query_terms *terms, dicta_index *idx,
		  const char *q)
{
	*out = NULL;
	memset(terms, 0, sizeof *terms);
	if (!q)
		return error_set_query(0, "no query given");
	natural_state s = {idx, terms, 0, 0};
	if (analyze_text(q, strlen(q), on_query_token, &s) != 0) {
		query_terms_free(terms);
		return s.rc ? s.rc : error_set(DICTA_ENOMEM, "out of memory");
	}
	if (terms->n == 0) {
		query_terms_free(terms);
		return error_set_query(1, s.words ? "the query's words are too long to search for"
						  : "empty query: give at least one word to search for");
	}
	shim_query **subs = calloc(terms->n, sizeof *subs);
	int rc = subs ? 0 : error_set(DICTA_ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < terms->n; i++) {
		subs[i] = shim_query_term(terms->terms[i], strlen(terms->terms[i]),
					  1, 0);
		if (!subs[i])
			rc = DICTA_ENOMEM;
	}
	if (rc == 0 && !(*out = shim_query_combine(SHIM_OR, subs, terms->n, 0)))
		rc = DICTA_ENOMEM;
	for (size_t i = 0; subs && i < terms->n; i++)
		shim_query_free(subs[i]);
	free(subs);
	if (rc)
		query_terms_free(terms);
	else
		query_terms_seal(terms);
	return rc;
}
