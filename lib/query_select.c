/*
 * query_select.c — choosing the most informative words of a long free-text
 * query (query_select.h), for the batch runner.  It reads the index only
 * for statistics: the number of passages and each stem's document
 * frequency, through the shim.
 *
 * The tokens of the query are gathered in one array (stem, word, order of
 * first occurrence), sorted by stem to group them, scored, and the best
 * groups sorted back into query order.  A query of a few thousand words
 * costs a few hundred term-frequency lookups, far less than its search.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "error.h"
#include "index_internal.h"
#include "query_select.h"
#include "store.h"

/* English function words, and the names of months and days (the dates
 * of a fact description say nothing about the law it raises), folded,
 * sorted for bsearch.  Content words common in a collection (court,
 * appeal) are left to the idf. */
static const char *const stopwords[] = {
	"a", "about", "above", "after", "again", "against", "all", "also",
	"am", "an", "and", "any", "april", "are", "as", "at", "august", "be",
	"because", "been", "before", "being", "below", "between", "both",
	"but", "by", "can", "could", "december", "did", "do", "does", "doing",
	"done", "down", "during", "each", "either", "etc", "even", "ever",
	"every", "february", "few", "for", "friday", "from", "further", "had",
	"has", "have", "having", "he", "her", "here", "hers", "herself", "him",
	"himself", "his", "how", "however", "i", "if", "in", "into", "is",
	"it", "its", "itself", "january", "july", "june", "just", "march",
	"may", "me", "might", "monday", "more", "most", "much", "must", "my",
	"myself", "neither", "no", "nor", "not", "november", "now", "october",
	"of", "off", "on", "once", "only", "or", "other", "ought", "our",
	"ours", "ourselves", "out", "over", "own", "said", "same", "saturday",
	"september", "shall", "she", "should", "since", "so", "some", "such",
	"sunday", "than", "that", "the", "their", "theirs", "them",
	"themselves", "then", "there", "thereafter", "thereby", "therefore",
	"therein", "thereof", "thereon", "these", "they", "this", "those",
	"though", "through", "thursday", "thus", "to", "too", "tuesday",
	"under", "until", "up", "upon", "us", "very", "was", "we", "wednesday",
	"were", "what", "when", "where", "whereas", "wherein", "whether",
	"which", "while", "who", "whom", "whose", "why", "will", "with",
	"within", "without", "would", "yet", "you", "your", "yours",
	"yourself", "yourselves",
};

static int cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int qselect_is_stopword(const char *w, size_t len)
{
	char buf[32];
	if (len >= sizeof buf)
		return 0;
	memcpy(buf, w, len);
	buf[len] = '\0';
	return bsearch(buf, stopwords, sizeof stopwords / sizeof *stopwords,
		       sizeof *stopwords, cmp_word) != NULL;
}

typedef struct {
	char *stem;     /* malloc'd */
	size_t start, end; /* the word in the query text */
	size_t order;   /* token number */
} occurrence;

typedef struct {
	occurrence *occ;
	size_t n, cap;
	stemmer *st;
	int rc;
} gather;

static int on_token(const token *t, void *payload)
{
	gather *g = payload;
	if ((t->flags & TOK_NUMERIC) || t->len < 2 ||
	    qselect_is_stopword(t->text, t->len))
		return 0;
	size_t sl;
	const char *stem = stemmer_stem(g->st, t->text, t->len, &sl);
	if (!stem || sl == 0 || sl + 1 > STORE_MAX_TERM)
		return 0;
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256;
		occurrence *o = realloc(g->occ, cap * sizeof *o);
		if (!o) {
			g->rc = error_set(DICTA_ENOMEM, "out of memory");
			return 1;
		}
		g->occ = o;
		g->cap = cap;
	}
	char *s = strndup(stem, sl);
	if (!s) {
		g->rc = error_set(DICTA_ENOMEM, "out of memory");
		return 1;
	}
	size_t k = g->n++;
	g->occ[k] = (occurrence){s, t->start, t->end, k};
	return 0;
}

static int cmp_stem(const void *a, const void *b)
{
	const occurrence *x = a, *y = b;
	int c = strcmp(x->stem, y->stem);
	if (c == 0)
		c = x->order < y->order ? -1 : x->order > y->order;
	return c;
}

typedef struct {
	const occurrence *first; /* first occurrence of the stem */
	double score;
} group;

static int cmp_score(const void *a, const void *b)
{
	const group *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->first->order < y->first->order ? -1 : 1;
}

static int cmp_order(const void *a, const void *b)
{
	const group *x = a, *y = b;
	return x->first->order < y->first->order ? -1 : x->first->order > y->first->order;
}

/* The language whose stemmer reads the query: English if the index holds
 * it, else its first language, else the default. */
static const char *query_lang(const dicta_index *idx)
{
	for (size_t i = 0; i < idx->nlangs; i++)
		if (strcmp(idx->langs[i], "en") == 0)
			return "en";
	return idx->nlangs ? idx->langs[0] : idx->default_lang;
}

int qselect_terms(char **out, size_t *nterms_out, dicta_index *idx,
		  const char *text, size_t max_terms)
{
	*out = NULL;
	if (nterms_out)
		*nterms_out = 0;
	gather g = {0};
	if (!(g.st = index_stemmer(idx, query_lang(idx))))
		return DICTA_EINVAL;
	size_t len = strlen(text);
	if (analyze_text(text, len, on_token, &g) != 0 && g.rc == 0)
		g.rc = error_set(DICTA_ENOMEM, "out of memory");
	group *gs = NULL;
	size_t ng = 0;
	int rc = g.rc;
	if (rc == 0 && g.n) {
		qsort(g.occ, g.n, sizeof *g.occ, cmp_stem);
		gs = malloc(g.n * sizeof *gs);
		if (!gs)
			rc = error_set(DICTA_ENOMEM, "out of memory");
	}
	for (size_t i = 0; rc == 0 && i < g.n;) {
		size_t j = i;
		while (j < g.n && strcmp(g.occ[j].stem, g.occ[i].stem) == 0)
			j++;
		gs[ng].first = &g.occ[i];
		gs[ng].score = (double)(j - i); /* qtf for now */
		ng++;
		i = j;
	}
	if (nterms_out)
		*nterms_out = ng;
	if (rc == 0 && ng > max_terms) {
		uint64_t npassages = 0;
		rc = shim_db_doccount(idx->db, &npassages);
		double n = (double)npassages;
		size_t kept = 0;
		for (size_t i = 0; rc == 0 && i < ng; i++) {
			char term[STORE_MAX_TERM + 2];
			size_t sl = strlen(gs[i].first->stem);
			term[0] = PREFIX_STEM[0];
			memcpy(term + 1, gs[i].first->stem, sl);
			uint64_t df = 0;
			rc = shim_db_termfreq(idx->db, term, sl + 1, &df);
			double idf = log((n - (double)df + 0.5) / ((double)df + 0.5));
			if (rc || df == 0 || idf <= 0)
				continue;
			gs[kept] = gs[i];
			gs[kept].score = (1.0 + log(gs[i].score)) * idf;
			kept++;
		}
		if (rc == 0) {
			qsort(gs, kept, sizeof *gs, cmp_score);
			if (kept > max_terms)
				kept = max_terms;
			qsort(gs, kept, sizeof *gs, cmp_order);
			size_t total = 1;
			for (size_t i = 0; i < kept; i++)
				total += gs[i].first->end - gs[i].first->start + 1;
			char *s = malloc(total);
			if (!s)
				rc = error_set(DICTA_ENOMEM, "out of memory");
			size_t o = 0;
			for (size_t i = 0; s && i < kept; i++) {
				if (o)
					s[o++] = ' ';
				size_t wl = gs[i].first->end - gs[i].first->start;
				memcpy(s + o, text + gs[i].first->start, wl);
				o += wl;
			}
			if (s)
				s[o] = '\0';
			*out = s;
		}
	}
	for (size_t i = 0; i < g.n; i++)
		free(g.occ[i].stem);
	free(g.occ);
	free(gs);
	return rc;
}
