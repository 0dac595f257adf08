/*
 * search.c — dicta_search_run(): rank passages, group them per document,
 * and fill in each result's metadata, passage text and highlights.
 *
 * Ranking is BM25 over passages.  The first match collapses on the parent
 * document (value SLOT_PARENT), so each document appears once, at the rank
 * of its best passage; when more than one passage per document is asked
 * for, a second match restricted to that document (term Q<id>) finds its
 * next best ones.  If a writer commits while we read (DatabaseModifiedError)
 * the handle is reopened and the search run once more.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "highlight.h"
#include "index_internal.h"
#include "query.h"
#include "store.h"

#define BM25_K1 1.2
#define BM25_B 0.75
#define MAX_K 10000
#define MAX_PASSAGES 100

struct dicta_results {
	char *query;
	uint64_t estimated;
	dicta_hit *hits;
	size_t n;
};

int dicta_search_options_init(dicta_search_options *o)
{
	memset(o, 0, sizeof *o);
	o->version = DICTA_SEARCH_OPTIONS_VERSION;
	o->k = 10;
	o->passages = 1;
	return 0;
}

size_t dicta_results_count(const dicta_results *r)
{
	return r ? r->n : 0;
}

const dicta_hit *dicta_results_get(const dicta_results *r, size_t i)
{
	return r && i < r->n ? &r->hits[i] : NULL;
}

const char *dicta_results_query(const dicta_results *r)
{
	return r ? r->query : "";
}

uint64_t dicta_results_estimated(const dicta_results *r)
{
	return r ? r->estimated : 0;
}

void dicta_results_free(dicta_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		hit_clear(&r->hits[i]);
	free(r->hits);
	free(r->query);
	free(r);
}

static shim_search_opts base_opts(void)
{
	shim_search_opts o = {-1, 0, BM25_K1, BM25_B, -1, 0, 0};
	return o;
}

/* Fill passage p from passage docid: its range, text and highlights. */
static int fill_passage(dicta_passage *p, dicta_index *idx, unsigned docid,
			double weight, const store_record *rec, stemmer *st,
			const query_terms *qt)
{
	char *v;
	size_t vl;
	int rc = shim_db_get_value(idx->db, docid, SLOT_RANGE, &v, &vl);
	if (rc)
		return rc;
	if (vl != 16) {
		free(v);
		return error_set(DICTA_ECORRUPT, "passage %u has no byte range",
				 docid);
	}
	size_t start = store_get_u32(v), end = store_get_u32(v + 4);
	free(v);
	if (start > end || end > rec->text_len)
		return error_set(DICTA_ECORRUPT,
				 "passage %u of \"%s\" lies outside its text", docid,
				 rec->id);
	if ((rc = shim_db_get_value(idx->db, docid, SLOT_ORDINAL, &v, &vl)) != 0)
		return rc;
	p->ordinal = vl == 4 ? store_get_u32(v) : 0;
	free(v);
	p->score = weight;
	p->start = start;
	p->end = end;
	char *text = malloc(end - start + 1);
	if (!text)
		return error_set(DICTA_ENOMEM, "out of memory");
	memcpy(text, rec->text + start, end - start);
	text[end - start] = '\0';
	p->text = text;
	dicta_span *spans;
	size_t ns;
	if ((rc = highlight_spans(&spans, &ns, rec->text, start, end, st, qt)) != 0)
		return rc;
	p->highlights = spans;
	p->nhighlights = ns;
	return 0;
}

/* Fill hit h for the document whose best passage is docid. */
static int fill_hit(dicta_hit *h, dicta_index *idx, const shim_query *q,
		    unsigned docid, double weight, size_t npassages,
		    const query_terms *qt)
{
	char *id;
	size_t idl;
	int rc = shim_db_get_value(idx->db, docid, SLOT_PARENT, &id, &idl);
	if (rc)
		return rc;
	store_record rec;
	rc = document_load(idx, id, &rec, 1);
	if (rc) {
		free(id);
		return rc;
	}
	rc = hit_fill(h, &rec);
	h->score = weight;
	stemmer *st = rc ? NULL : index_stemmer(idx, rec.lang ? rec.lang : idx->default_lang);
	if (rc == 0 && !st)
		rc = DICTA_EINVAL;

	unsigned ids[MAX_PASSAGES];
	double weights[MAX_PASSAGES];
	size_t n = 1;
	ids[0] = docid;
	weights[0] = weight;
	if (rc == 0 && npassages > 1) {
		/* The document's own best passages: the query restricted to it. */
		char term[STORE_MAX_TERM + 1];
		size_t tl = store_id_term(term, PREFIX_ID, id);
		shim_query *only = shim_query_term(term, tl, 1, 0);
		shim_query *pair[2] = {(shim_query *)q, only};
		shim_query *fq = only ? shim_query_combine(SHIM_FILTER, pair, 2, 0) : NULL;
		shim_mset *m = NULL;
		shim_search_opts o = base_opts();
		rc = fq ? shim_search(&m, idx->db, fq, 0, (unsigned)npassages, &o)
			: DICTA_ENOMEM;
		if (rc == 0) {
			n = shim_mset_size(m);
			for (size_t i = 0; i < n; i++) {
				ids[i] = shim_mset_docid(m, i);
				weights[i] = shim_mset_weight(m, i);
			}
		}
		shim_mset_free(m);
		shim_query_free(fq);
		shim_query_free(only);
	}
	free(id);
	dicta_passage *ps = rc ? NULL : calloc(n, sizeof *ps);
	if (rc == 0 && !ps)
		rc = error_set(DICTA_ENOMEM, "out of memory");
	if (ps) {
		h->passages = ps;
		for (size_t i = 0; i < n && rc == 0; i++) {
			rc = fill_passage(&ps[i], idx, ids[i], weights[i], &rec, st, qt);
			h->npassages = i + 1;
		}
	}
	store_record_clear(&rec);
	return rc;
}

static int run_once(dicta_results *res, dicta_index *idx, const shim_query *q,
		    const query_terms *qt, const dicta_search_options *o)
{
	shim_search_opts so = base_opts();
	if (o->unit == DICTA_UNIT_DOCUMENT) {
		so.collapse_slot = SLOT_PARENT;
		so.collapse_max = 1;
	}
	if (o->sort == DICTA_SORT_DATE) {
		so.sort_slot = SLOT_DATE;
		so.sort_reverse = 1;
	}
	size_t npassages = o->unit == DICTA_UNIT_DOCUMENT ? o->passages : 1;
	shim_mset *m;
	int rc = shim_search(&m, idx->db, q, (unsigned)o->offset, (unsigned)o->k, &so);
	if (rc)
		return rc;
	res->estimated = shim_mset_estimated(m);
	size_t n = shim_mset_size(m);
	res->hits = n ? calloc(n, sizeof *res->hits) : NULL;
	if (n && !res->hits)
		rc = error_set(DICTA_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = fill_hit(&res->hits[i], idx, q, shim_mset_docid(m, i),
			      shim_mset_weight(m, i), npassages, qt);
		res->n = i + 1;
	}
	shim_mset_free(m);
	return rc;
}

static void results_reset(dicta_results *res)
{
	for (size_t i = 0; i < res->n; i++)
		hit_clear(&res->hits[i]);
	free(res->hits);
	res->hits = NULL;
	res->n = 0;
}

int dicta_search_run(dicta_results **out, dicta_index *idx, const char *query,
		     const dicta_search_options *opts)
{
	*out = NULL;
	dicta_search_options o;
	dicta_search_options_init(&o);
	if (opts) {
		if (opts->version != DICTA_SEARCH_OPTIONS_VERSION)
			return error_set(DICTA_EINVAL,
					 "search options version %d, expected %d",
					 opts->version, DICTA_SEARCH_OPTIONS_VERSION);
		o = *opts;
	}
	if (o.k == 0 || o.k > MAX_K)
		return error_set(DICTA_EINVAL, "k must be between 1 and %d", MAX_K);
	if (o.passages == 0 || o.passages > MAX_PASSAGES)
		return error_set(DICTA_EINVAL,
				 "passages per document must be between 1 and %d",
				 MAX_PASSAGES);
	if (o.sort != DICTA_SORT_RELEVANCE && o.sort != DICTA_SORT_DATE)
		return error_set(DICTA_EINVAL, "unknown sort order %d", o.sort);
	if (o.unit != DICTA_UNIT_DOCUMENT && o.unit != DICTA_UNIT_PASSAGE)
		return error_set(DICTA_EINVAL, "unknown result unit %d", o.unit);
	if (o.offset > 1000000)
		return error_set(DICTA_EINVAL, "offset must be at most 1000000");
	shim_query *q;
	query_terms qt;
	int rc = query_natural(&q, &qt, idx, query);
	if (rc)
		return rc;
	dicta_results *res = calloc(1, sizeof *res);
	if (!res || !(res->query = strdup(query))) {
		free(res);
		shim_query_free(q);
		query_terms_free(&qt);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	rc = run_once(res, idx, q, &qt, &o);
	if (rc == DICTA_EMODIFIED && !idx->writable && index_reopen(idx) == 0) {
		results_reset(res);
		rc = run_once(res, idx, q, &qt, &o);
	}
	shim_query_free(q);
	query_terms_free(&qt);
	if (rc) {
		dicta_results_free(res);
		return rc;
	}
	*out = res;
	return 0;
}
