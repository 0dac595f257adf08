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
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "highlight.h"
#include "index_internal.h"
#include "query.h"
#include "store.h"

/* The ranking defaults, chosen on training judgments (docs/batch.md,
 * "What the measurements say"). */
#define BM25_K1 0.9
#define BM25_B 0.4
#define TITLE_MERGE 1
#define TITLE_WEIGHT 0.1
#define MAX_K 10000
#define MAX_PASSAGES 100
/* DICTA_AGGREGATE_SUM looks at the best passages of this many times as
 * many documents as asked for (and at least SUM_MIN_FETCH passages). */
#define SUM_FETCH_FACTOR 4
#define SUM_MIN_FETCH 200
#define SUM_MAX_FETCH 100000

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
	o->aggregate = DICTA_AGGREGATE_MAX;
	o->aggregate_n = 2;
	o->bm25_k1 = BM25_K1;
	o->bm25_b = BM25_B;
	o->title_weight = TITLE_WEIGHT;
	o->title_merge = TITLE_MERGE;
	o->detailed = DICTA_DETAILED_ALL;
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

static shim_search_opts base_opts(const dicta_search_options *so)
{
	shim_search_opts o = {-1, 0, so->bm25_k1, so->bm25_b, -1, 0, 0};
	return o;
}

/* The byte range [*start, *end) of passage docid in its document's text. */
static int passage_range(dicta_index *idx, unsigned docid, size_t *start,
			 size_t *end)
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
	*start = store_get_u32(v);
	*end = store_get_u32(v + 4);
	free(v);
	return 0;
}

/* Fill passage p from passage docid, whose range is [start, end): its
 * text and highlights. */
static int fill_passage(dicta_passage *p, dicta_index *idx, unsigned docid,
			size_t start, size_t end, double weight,
			const store_record *rec, stemmer *st, const query_plan *plan)
{
	if (start > end || end > rec->text_avail)
		return error_set(DICTA_ECORRUPT,
				 "passage %u of \"%s\" lies outside its text", docid,
				 rec->id);
	char *v;
	size_t vl;
	int rc = shim_db_get_value(idx->db, docid, SLOT_ORDINAL, &v, &vl);
	if (rc)
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
	if ((rc = highlight_passage(&spans, &ns, plan, docid, rec->text, start,
				    end, st)) != 0)
		return rc;
	p->highlights = spans;
	p->nhighlights = ns;
	return 0;
}

/* Fill hit h for the document whose best passage is docid. */
static int fill_hit(dicta_hit *h, dicta_index *idx, const shim_query *q,
		    unsigned docid, double weight, size_t npassages,
		    const query_plan *plan, const dicta_search_options *so,
		    int detailed)
{
	char *id;
	size_t idl;
	int rc = shim_db_get_value(idx->db, docid, SLOT_PARENT, &id, &idl);
	if (rc)
		return rc;
	if (!detailed) { /* id and score only (dicta_search_options.detailed) */
		store_record bare = {0};
		bare.id = id;
		rc = hit_fill(h, &bare);
		h->score = weight;
		free(id);
		return rc;
	}

	unsigned ids[MAX_PASSAGES];
	double weights[MAX_PASSAGES];
	size_t starts[MAX_PASSAGES], ends[MAX_PASSAGES];
	size_t n = 1;
	ids[0] = docid;
	weights[0] = weight;
	if (npassages > 1) {
		/* The document's own best passages: the query restricted to it. */
		char term[STORE_MAX_TERM + 1];
		size_t tl = store_id_term(term, PREFIX_ID, id);
		shim_query *only = shim_query_term(term, tl, 1, 0);
		shim_query *pair[2] = {(shim_query *)q, only};
		shim_query *fq = only ? shim_query_combine(SHIM_FILTER, pair, 2, 0) : NULL;
		shim_mset *m = NULL;
		shim_search_opts o = base_opts(so);
		rc = fq ? shim_search_accept(&m, idx->db, fq, 0, (unsigned)npassages,
					     &o, query_plan_check(plan), (void *)plan)
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
	/* Only the text up to the last passage shown is inflated. */
	size_t upto = 1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = passage_range(idx, ids[i], &starts[i], &ends[i]);
		if (rc == 0 && ends[i] > upto)
			upto = ends[i];
	}
	store_record rec;
	if (rc == 0)
		rc = document_load_upto(idx, id, &rec, upto);
	free(id);
	if (rc)
		return rc;
	rc = hit_fill(h, &rec);
	h->score = weight;
	stemmer *st = rc ? NULL : index_stemmer(idx, rec.lang ? rec.lang : idx->default_lang);
	if (rc == 0 && !st)
		rc = DICTA_EINVAL;
	dicta_passage *ps = rc ? NULL : calloc(n, sizeof *ps);
	if (rc == 0 && !ps)
		rc = error_set(DICTA_ENOMEM, "out of memory");
	if (ps) {
		h->passages = ps;
		for (size_t i = 0; i < n && rc == 0; i++) {
			rc = fill_passage(&ps[i], idx, ids[i], starts[i], ends[i],
					  weights[i], &rec, st, plan);
			h->npassages = i + 1;
		}
	}
	store_record_clear(&rec);
	return rc;
}

/* A document of DICTA_AGGREGATE_SUM: its passages seen in the match. */
typedef struct {
	char *id;
	unsigned best;     /* its best passage */
	double best_w, sum;
	size_t seen;       /* its rank by best passage */
} summed_doc;

static int cmp_summed_id(const void *a, const void *b)
{
	const summed_doc *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->seen > y->seen) - (x->seen < y->seen);
}

static int cmp_summed_score(const void *a, const void *b)
{
	const summed_doc *x = a, *y = b;
	if (x->sum != y->sum)
		return x->sum > y->sum ? -1 : 1;
	return (x->seen > y->seen) - (x->seen < y->seen);
}

/*
 * DICTA_AGGREGATE_SUM: rank documents by the sum of their aggregate_n best
 * passage scores.  Xapian collapses to at most aggregate_n passages per
 * document; the passages of the first SUM_FETCH_FACTOR x (offset + k) x
 * aggregate_n places are grouped by document here.  A document whose
 * second passage ranks beyond them is summed without it, which can only
 * matter near the end of a long list.
 */
static int run_summed(dicta_results *res, dicta_index *idx, const shim_query *q,
		      const query_plan *plan, const dicta_search_options *o)
{
	size_t per = o->aggregate_n;
	size_t fetch = (o->offset + o->k) * per * SUM_FETCH_FACTOR;
	if (fetch < SUM_MIN_FETCH)
		fetch = SUM_MIN_FETCH;
	if (fetch > SUM_MAX_FETCH)
		fetch = SUM_MAX_FETCH;
	shim_search_opts so = base_opts(o);
	so.time_limit_ms = o->time_limit_ms;
	so.collapse_slot = SLOT_PARENT;
	so.collapse_max = (unsigned)per;
	shim_mset *m;
	int rc = shim_search_accept(&m, idx->db, q, 0, (unsigned)fetch, &so,
				    query_plan_check(plan), (void *)plan);
	if (rc)
		return rc;
	size_t np = shim_mset_size(m);
	summed_doc *d = np ? calloc(np, sizeof *d) : NULL;
	if (np && !d)
		rc = error_set(DICTA_ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < np; i++) {
		size_t len;
		d[i].best = shim_mset_docid(m, i);
		d[i].best_w = d[i].sum = shim_mset_weight(m, i);
		d[i].seen = i;
		rc = shim_db_get_value(idx->db, d[i].best, SLOT_PARENT, &d[i].id, &len);
	}
	/* Group by document: the first of each group is its best passage. */
	size_t nd = 0, live = np;
	if (rc == 0 && np) {
		qsort(d, np, sizeof *d, cmp_summed_id);
		for (size_t i = 0; i < np; i++) {
			if (nd && !strcmp(d[nd - 1].id, d[i].id)) {
				d[nd - 1].sum += d[i].best_w;
				free(d[i].id);
				continue;
			}
			d[nd++] = d[i];
		}
		qsort(d, nd, sizeof *d, cmp_summed_score);
		live = nd;
	}
	/* Collapsed, Xapian estimates passages; scale to documents. */
	uint64_t est = shim_mset_estimated(m);
	res->estimated = np < fetch ? nd : (np ? (uint64_t)((double)est * (double)nd / (double)np) : 0);
	shim_mset_free(m);
	size_t from = o->offset < nd ? o->offset : nd;
	size_t n = nd - from < o->k ? nd - from : o->k;
	res->hits = rc == 0 && n ? calloc(n, sizeof *res->hits) : NULL;
	if (rc == 0 && n && !res->hits)
		rc = error_set(DICTA_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		const summed_doc *x = &d[from + i];
		rc = fill_hit(&res->hits[i], idx, q, x->best, x->best_w, o->passages,
			      plan, o, i < o->detailed);
		res->hits[i].score = x->sum;
		res->n = i + 1;
	}
	for (size_t i = 0; i < live; i++)
		free(d[i].id);
	free(d);
	return rc;
}

static int run_once(dicta_results *res, dicta_index *idx, const shim_query *q,
		    const query_plan *plan, const dicta_search_options *o)
{
	if (o->unit == DICTA_UNIT_DOCUMENT && o->aggregate == DICTA_AGGREGATE_SUM &&
	    o->sort == DICTA_SORT_RELEVANCE)
		return run_summed(res, idx, q, plan, o);
	shim_search_opts so = base_opts(o);
	so.time_limit_ms = o->time_limit_ms;
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
	int rc = shim_search_accept(&m, idx->db, q, (unsigned)o->offset,
				    (unsigned)o->k, &so, query_plan_check(plan),
				    (void *)plan);
	if (rc)
		return rc;
	res->estimated = shim_mset_estimated(m);
	size_t n = shim_mset_size(m);
	res->hits = n ? calloc(n, sizeof *res->hits) : NULL;
	if (n && !res->hits)
		rc = error_set(DICTA_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = fill_hit(&res->hits[i], idx, q, shim_mset_docid(m, i),
			      shim_mset_weight(m, i), npassages, plan, o,
			      i < o->detailed);
		res->n = i + 1;
	}
	shim_mset_free(m);
	return rc;
}

/*
 * The title term of query term t (a stem "Z..." or a number) into out:
 * PREFIX_TITLE + the stem or number.  Returns its length; 0 when it
 * would be longer than any term the indexer writes; -1 when t is an
 * unstemmed word, which titles do not hold (they hold stems).
 */
static int title_term(const char *t, char out[STORE_MAX_TERM + 2])
{
	size_t tl = strlen(t);
	if (t[0] == PREFIX_STEM[0])
		t++, tl--;
	else if (!strpbrk(t, "0123456789"))
		return -1;
	if (tl + 1 > STORE_MAX_TERM)
		return 0;
	out[0] = PREFIX_TITLE[0];
	memcpy(out + 1, t, tl);
	return (int)tl + 1;
}

/* *q = op(a, b), the old *q freed; a and b stay the caller's. */
static int replace_query(shim_query **q, enum shim_op op, shim_query *a,
			 shim_query *b)
{
	shim_query *pair[2] = {a, b};
	shim_query *r = shim_query_combine(op, pair, 2, 0);
	if (!r)
		return error_set(DICTA_ENOMEM, "out of memory");
	shim_query_free(*q);
	*q = r;
	return 0;
}

/*
 * Title weighting: the query's stems (and numbers) looked up among the
 * title terms (PREFIX_TITLE, one wdf per distinct title word on every
 * passage of the document), scaled by weight, added to *q with AND_MAYBE
 * so that they re-rank what *q matches and never match on their own.
 */
static int add_title_boost(shim_query **q, const query_terms *qt, double weight)
{
	shim_query **subs = qt->n ? calloc(qt->n, sizeof *subs) : NULL;
	size_t n = 0;
	int rc = qt->n && !subs ? error_set(DICTA_ENOMEM, "out of memory") : 0;
	for (size_t i = 0; rc == 0 && i < qt->n; i++) {
		char term[STORE_MAX_TERM + 2];
		int tl = title_term(qt->terms[i], term);
		if (tl <= 0)
			continue;
		if (!(subs[n++] = shim_query_term(term, (size_t)tl, 1, 0)))
			rc = error_set(DICTA_ENOMEM, "out of memory");
	}
	shim_query *any = rc == 0 && n ? shim_query_combine(SHIM_OR, subs, n, 0) : NULL;
	shim_query *scaled = any ? shim_query_scale(any, weight) : NULL;
	if (rc == 0 && n)
		rc = scaled ? replace_query(q, SHIM_AND_MAYBE, *q, scaled)
			    : error_set(DICTA_ENOMEM, "out of memory");
	shim_query_free(scaled);
	shim_query_free(any);
	for (size_t i = 0; i < n; i++)
		shim_query_free(subs[i]);
	free(subs);
	return rc;
}

/*
 * Title merging (BM25F-like): each query stem (or number) t is scored as
 * SYNONYM(t, title t), so a word of the title counts as one more
 * occurrence in every passage of its document, saturated together with
 * the passage's own occurrences.  The query as compiled still decides
 * what matches: it is ANDed in with weight 0.
 */
static int merge_titles(shim_query **q, const query_terms *qt)
{
	shim_query **subs = qt->n ? calloc(qt->n, sizeof *subs) : NULL;
	size_t n = 0;
	int rc = qt->n && !subs ? error_set(DICTA_ENOMEM, "out of memory") : 0;
	for (size_t i = 0; rc == 0 && i < qt->n; i++) {
		const char *t = qt->terms[i];
		char term[STORE_MAX_TERM + 2];
		int tl = title_term(t, term);
		if (tl < 0)
			continue;
		shim_query *pair[2] = {shim_query_term(t, strlen(t), 1, 0), NULL};
		size_t np = 1;
		int ok = pair[0] != NULL;
		if (tl > 0) {
			pair[np] = shim_query_term(term, (size_t)tl, 1, 0);
			ok = ok && pair[np++];
		}
		shim_query *syn = NULL;
		if (ok)
			syn = shim_query_combine(SHIM_SYNONYM, pair, np, 0);
		for (size_t j = 0; j < np; j++)
			shim_query_free(pair[j]);
		if (!(subs[n++] = syn))
			rc = error_set(DICTA_ENOMEM, "out of memory");
	}
	if (rc == 0 && n) {
		shim_query *any = shim_query_combine(SHIM_OR, subs, n, 0);
		shim_query *gate = shim_query_scale(*q, 0);
		rc = any && gate ? replace_query(q, SHIM_AND, gate, any)
				 : error_set(DICTA_ENOMEM, "out of memory");
		shim_query_free(any);
		shim_query_free(gate);
	}
	for (size_t i = 0; i < n; i++)
		shim_query_free(subs[i]);
	free(subs);
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
		if (opts->version == 1) {
			/* a caller built before title_merge: its fields, our
			 * defaults for the rest */
			memcpy(&o, opts, offsetof(dicta_search_options, title_merge));
			o.version = DICTA_SEARCH_OPTIONS_VERSION;
		} else if (opts->version != DICTA_SEARCH_OPTIONS_VERSION) {
			return error_set(DICTA_EINVAL,
					 "search options version %d, expected 1 or %d",
					 opts->version, DICTA_SEARCH_OPTIONS_VERSION);
		} else {
			o = *opts;
		}
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
	if (o.aggregate != DICTA_AGGREGATE_MAX && o.aggregate != DICTA_AGGREGATE_SUM)
		return error_set(DICTA_EINVAL, "unknown aggregation %d", o.aggregate);
	if (o.aggregate_n == 0 || o.aggregate_n > MAX_PASSAGES)
		return error_set(DICTA_EINVAL,
				 "passages summed must be between 1 and %d", MAX_PASSAGES);
	if (!(o.bm25_k1 >= 0 && o.bm25_k1 <= 100) || !(o.bm25_b >= 0 && o.bm25_b <= 1))
		return error_set(DICTA_EINVAL,
				 "BM25 needs k1 between 0 and 100 and b between 0 and 1");
	if (!(o.title_weight >= 0 && o.title_weight <= 100))
		return error_set(DICTA_EINVAL, "title weight must be between 0 and 100");
	query_plan *plan;
	int rc = query_compile(&plan, idx, query);
	if (rc)
		return rc;
	/* Our own handle on the plan's query, which the title boost replaces. */
	shim_query *base = (shim_query *)query_plan_query(plan);
	shim_query *q = shim_query_combine(SHIM_OR, &base, 1, 0);
	rc = q ? 0 : DICTA_ENOMEM;
	if (rc == 0 && o.title_merge && query_plan_natural(plan))
		rc = merge_titles(&q, query_plan_terms(plan));
	if (rc == 0 && o.title_weight > 0)
		rc = add_title_boost(&q, query_plan_terms(plan), o.title_weight);
	if (rc) {
		shim_query_free(q);
		query_plan_free(plan);
		return rc;
	}
	dicta_results *res = calloc(1, sizeof *res);
	if (!res || !(res->query = strdup(query))) {
		free(res);
		shim_query_free(q);
		query_plan_free(plan);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	rc = run_once(res, idx, q, plan, &o);
	if (rc == DICTA_EMODIFIED && !idx->writable && index_reopen(idx) == 0) {
		results_reset(res);
		rc = run_once(res, idx, q, plan, &o);
	}
	shim_query_free(q);
	query_plan_free(plan);
	if (rc) {
		dicta_results_free(res);
		return rc;
	}
	*out = res;
	return 0;
}
