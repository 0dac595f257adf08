/*
 * eval.c — relevance judgments, runs and the trec_eval measures of eval.h.
 * Called by dicta-eval (searcher/eval_main.c) and by the batch reports.
 *
 * The arithmetic follows trec_eval 9.0 (usnistgov/trec_eval: m_map.c,
 * m_P.c, m_ndcg_cut.c, m_recall.c, m_recip_rank.c, form_res_rels.c) so that
 * the numbers agree to the last digit printed:
 *
 *   ranking   by score descending, ties by docid descending (strcmp), as
 *             form_res_rels.c's comp_sim_docno does;
 *   relevant  judgment >= 1 (trec_eval's default -l 1);
 *   map       sum over relevant retrieved documents of the precision at
 *             their rank, divided by the number of relevant documents
 *             judged (0 when none is retrieved);
 *   P_k       relevant in the first k / k, even when fewer were retrieved;
 *   ndcg_cut_k  DCG@k / ideal DCG@k, gain = judgment when > 0, discount
 *             log2(rank + 1); 0 when the ideal is 0;
 *   recall_k  relevant in the first k / relevant judged (0 if none);
 *   recip_rank  1 / rank of the first relevant document (0 if none);
 *   averages  over the queries both judged and in the run (trec_eval
 *             ignores a run's unjudged queries and, without -c, judged
 *             queries the run lacks); with -c over all judged queries.
 *
 * Storage: judgments and run lines are kept in arrays and sorted once; a
 * query's judgments are found by binary search.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "error.h"
#include "eval.h"
#include "strset.h"

static const struct {
	const char *name, *label;
	long cut;
} measures[EVAL_NMEASURES] = {
	[EVAL_MAP] = {"map", "MAP", 0},
	[EVAL_P5] = {"P_5", "P@5", 5},
	[EVAL_P10] = {"P_10", "P@10", 10},
	[EVAL_NDCG10] = {"ndcg_cut_10", "nDCG@10", 10},
	[EVAL_NDCG20] = {"ndcg_cut_20", "nDCG@20", 20},
	[EVAL_R100] = {"recall_100", "R@100", 100},
	[EVAL_R1000] = {"recall_1000", "R@1000", 1000},
	[EVAL_MRR] = {"recip_rank", "MRR", 0},
};

const char *eval_measure_name(eval_measure m)
{
	return (unsigned)m < EVAL_NMEASURES ? measures[m].name : "";
}

const char *eval_measure_label(eval_measure m)
{
	return (unsigned)m < EVAL_NMEASURES ? measures[m].label : "";
}

int eval_measure_parse(const char *name)
{
	for (int m = 0; m < EVAL_NMEASURES; m++)
		if (!strcasecmp(name, measures[m].name) || !strcasecmp(name, measures[m].label))
			return m;
	return -1;
}

/* ------------------------------------------------------------- fields */

#define MAX_FIELDS 8

/* Split line s[0, len) at white space into at most MAX_FIELDS fields
 * (NUL-terminated copies in buf); returns the number of fields, or
 * MAX_FIELDS + 1 when there are more. */
static int split(const char *s, size_t len, char *buf, char *fields[MAX_FIELDS])
{
	int n = 0;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		while (i < len && isspace((unsigned char)s[i]))
			i++;
		if (i == len)
			break;
		if (n == MAX_FIELDS)
			return MAX_FIELDS + 1;
		fields[n++] = buf + o;
		while (i < len && !isspace((unsigned char)s[i]))
			buf[o++] = s[i++];
		buf[o++] = '\0';
	}
	return n;
}

/* A judgment as trec_eval's atol reads it, but refusing what is not a
 * number at all: "1", "-1", "2.0". */
static int parse_rel(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || errno || v < -1000000 || v > 1000000)
		return -1;
	if (*end == '.') {
		end++;
		while (isdigit((unsigned char)*end))
			end++;
	}
	if (*end)
		return -1;
	*out = (int)v;
	return 0;
}

typedef struct {
	const char *p, *end;
	long line;
} lines;

static int next_line(lines *r, const char **s, size_t *len)
{
	if (r->p >= r->end)
		return 0;
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	const char *e = nl ? nl : r->end;
	*s = r->p;
	*len = (size_t)(e - r->p);
	r->p = nl ? nl + 1 : r->end;
	r->line++;
	return 1;
}

static int blank_or_comment(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)s[i]))
		i++;
	return i == len || s[i] == '#';
}

static void report(eval_skip_fn fn, void *payload, const char *name, long line,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report(eval_skip_fn fn, void *payload, const char *name, long line,
		   const char *fmt, ...)
{
	if (!fn)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fn(name, line, msg, payload);
}

/* ------------------------------------------------------------- qrels */

typedef struct {
	char *qid, *docid;
	int rel;
	long line;
} judgment;

typedef struct {
	const char *qid;
	size_t start, count; /* its judgments: j[start, start + count) */
	size_t nrel;
	const char **relids; /* relevant docids, docid order */
} judged_query;

struct eval_qrels {
	judgment *j;
	size_t n, cap;
	judged_query *q;
	size_t nq;
	const char **relids;
};

static int cmp_judgment(const void *a, const void *b)
{
	const judgment *x = a, *y = b;
	int c = strcmp(x->qid, y->qid);
	if (!c)
		c = strcmp(x->docid, y->docid);
	if (!c)
		c = x->line < y->line ? -1 : x->line > y->line;
	return c;
}

void eval_qrels_free(eval_qrels *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++) {
		free(q->j[i].qid);
		free(q->j[i].docid);
	}
	free(q->j);
	free(q->q);
	free(q->relids);
	free(q);
}

static int qrels_add(eval_qrels *q, const char *qid, const char *docid,
		     int rel, long line)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 1024;
		judgment *j = realloc(q->j, cap * sizeof *j);
		if (!j)
			return error_set(DICTA_ENOMEM, "out of memory");
		q->j = j;
		q->cap = cap;
	}
	char *a = strdup(qid), *b = strdup(docid);
	if (!a || !b) {
		free(a);
		free(b);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	q->j[q->n++] = (judgment){a, b, rel, line};
	return 0;
}

/* Sort, drop repeated judgments (reporting them), index the queries. */
static int qrels_seal(eval_qrels *q, const char *name, eval_skip_fn on_skip,
		      void *payload)
{
	if (q->n)
		qsort(q->j, q->n, sizeof *q->j, cmp_judgment);
	size_t k = 0;
	for (size_t i = 0; i < q->n; i++) {
		if (k && !strcmp(q->j[k - 1].qid, q->j[i].qid) &&
		    !strcmp(q->j[k - 1].docid, q->j[i].docid)) {
			report(on_skip, payload, name, q->j[i].line,
			       "document \"%s\" judged again for query \"%s\" (line %ld is kept)",
			       q->j[i].docid, q->j[i].qid, q->j[k - 1].line);
			free(q->j[i].qid);
			free(q->j[i].docid);
			continue;
		}
		q->j[k++] = q->j[i];
	}
	q->n = k;
	size_t nrel = 0, nq = 0;
	for (size_t i = 0; i < q->n; i++) {
		if (i == 0 || strcmp(q->j[i - 1].qid, q->j[i].qid))
			nq++;
		if (q->j[i].rel >= 1)
			nrel++;
	}
	q->q = calloc(nq ? nq : 1, sizeof *q->q);
	q->relids = malloc((nrel ? nrel : 1) * sizeof *q->relids);
	if (!q->q || !q->relids)
		return error_set(DICTA_ENOMEM, "out of memory");
	size_t r = 0;
	for (size_t i = 0; i < q->n; i++) {
		if (i == 0 || strcmp(q->j[i - 1].qid, q->j[i].qid)) {
			q->q[q->nq] = (judged_query){q->j[i].qid, i, 0, 0, q->relids + r};
			q->nq++;
		}
		judged_query *jq = &q->q[q->nq - 1];
		jq->count++;
		if (q->j[i].rel >= 1) {
			q->relids[r++] = q->j[i].docid;
			jq->nrel++;
		}
	}
	return 0;
}

int eval_qrels_parse(eval_qrels **out, const char *name, const char *data,
		     size_t len, eval_skip_fn on_skip, void *payload)
{
	*out = NULL;
	eval_qrels *q = calloc(1, sizeof *q);
	if (!q)
		return error_set(DICTA_ENOMEM, "out of memory");
	lines lr = {data, data + len, 0};
	const char *s;
	size_t l;
	int rc = 0, first = 1;
	char *buf = NULL;
	size_t bufcap = 0;
	while (rc == 0 && next_line(&lr, &s, &l)) {
		if (blank_or_comment(s, l))
			continue;
		if (l + 1 > bufcap) {
			bufcap = (l + 1) * 2;
			char *b = realloc(buf, bufcap);
			if (!b) {
				rc = error_set(DICTA_ENOMEM, "out of memory");
				break;
			}
			buf = b;
		}
		char *f[MAX_FIELDS];
		int n = split(s, l, buf, f);
		int rel;
		int was_first = first;
		first = 0;
		if (n != 3 && n != 4) {
			report(on_skip, payload, name, lr.line,
			       "expected \"query iteration document judgment\" (TREC) or "
			       "\"query<TAB>document<TAB>score\" (BEIR), found %d fields",
			       n > MAX_FIELDS ? MAX_FIELDS + 1 : n);
			continue;
		}
		if (parse_rel(f[n - 1], &rel) != 0) {
			/* The BEIR header, "query-id corpus-id score". */
			if (was_first)
				continue;
			report(on_skip, payload, name, lr.line,
			       "judgment \"%s\" is not an integer", f[n - 1]);
			continue;
		}
		rc = qrels_add(q, f[0], n == 4 ? f[2] : f[1], rel, lr.line);
	}
	free(buf);
	if (rc == 0)
		rc = qrels_seal(q, name, on_skip, payload);
	if (rc == 0 && q->n == 0)
		rc = error_set(DICTA_EINVAL, "%s: no relevance judgments in it", name);
	if (rc) {
		eval_qrels_free(q);
		return rc;
	}
	*out = q;
	return 0;
}

int eval_qrels_read(eval_qrels **out, const char *path, eval_skip_fn on_skip,
		    void *payload)
{
	char *data;
	size_t len;
	*out = NULL;
	int rc = batch_slurp(&data, &len, path);
	if (rc == 0)
		rc = eval_qrels_parse(out, path, data, len, on_skip, payload);
	free(data);
	return rc;
}

size_t eval_qrels_queries(const eval_qrels *q)
{
	return q ? q->nq : 0;
}

static int cmp_qid_key(const void *key, const void *elem)
{
	return strcmp(key, ((const judged_query *)elem)->qid);
}

static const judged_query *find_query(const eval_qrels *q, const char *qid)
{
	if (!q || !q->nq)
		return NULL;
	return bsearch(qid, q->q, q->nq, sizeof *q->q, cmp_qid_key);
}

int eval_qrels_has_query(const eval_qrels *q, const char *qid)
{
	return find_query(q, qid) != NULL;
}

static const judgment *find_judgment(const eval_qrels *q, const judged_query *jq,
				     const char *docid)
{
	size_t lo = jq->start, hi = jq->start + jq->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(q->j[mid].docid, docid);
		if (c == 0)
			return &q->j[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int eval_qrels_get(const eval_qrels *q, const char *qid, const char *docid,
		   int *judged)
{
	const judged_query *jq = find_query(q, qid);
	const judgment *j = jq ? find_judgment(q, jq, docid) : NULL;
	*judged = j != NULL;
	return j ? j->rel : 0;
}

size_t eval_qrels_relevant(const eval_qrels *q, const char *qid)
{
	const judged_query *jq = find_query(q, qid);
	return jq ? jq->nrel : 0;
}

size_t eval_qrels_relevant_ids(const eval_qrels *q, const char *qid,
			       const char *const **ids)
{
	const judged_query *jq = find_query(q, qid);
	*ids = jq ? jq->relids : NULL;
	return jq ? jq->nrel : 0;
}

/* --------------------------------------------------------------- runs */

typedef struct {
	char *qid, *docid;
	double score;
} retrieved;

struct eval_run {
	retrieved *r;
	size_t n, cap;
	strset *seen; /* "qid\tdocid" */
	size_t nq;
	strset *queries;
};

int eval_run_new(eval_run **out)
{
	eval_run *r = calloc(1, sizeof *r);
	if (r && (!(r->seen = strset_new()) || !(r->queries = strset_new()))) {
		strset_free(r->seen);
		free(r);
		r = NULL;
	}
	*out = r;
	return r ? 0 : error_set(DICTA_ENOMEM, "out of memory");
}

void eval_run_free(eval_run *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->r[i].qid);
		free(r->r[i].docid);
	}
	free(r->r);
	strset_free(r->seen);
	strset_free(r->queries);
	free(r);
}

int eval_run_add(eval_run *r, const char *qid, const char *docid, double score)
{
	size_t ql = strlen(qid), dl = strlen(docid);
	char *key = malloc(ql + dl + 2);
	if (!key)
		return error_set(DICTA_ENOMEM, "out of memory");
	memcpy(key, qid, ql);
	key[ql] = '\t';
	memcpy(key + ql + 1, docid, dl + 1);
	int fresh = strset_add(r->seen, key, ql + dl + 1, NULL);
	free(key);
	if (fresh < 0)
		return error_set(DICTA_ENOMEM, "out of memory");
	if (fresh == 0)
		return error_set(DICTA_EINVAL,
				 "document \"%s\" retrieved twice for query \"%s\"",
				 docid, qid);
	int newq = strset_add(r->queries, qid, ql, NULL);
	if (newq < 0)
		return error_set(DICTA_ENOMEM, "out of memory");
	r->nq += (size_t)newq;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		retrieved *x = realloc(r->r, cap * sizeof *x);
		if (!x)
			return error_set(DICTA_ENOMEM, "out of memory");
		r->r = x;
		r->cap = cap;
	}
	char *a = strdup(qid), *b = strdup(docid);
	if (!a || !b) {
		free(a);
		free(b);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	r->r[r->n++] = (retrieved){a, b, score};
	return 0;
}

size_t eval_run_queries(const eval_run *r)
{
	return r ? r->nq : 0;
}

int eval_run_parse(eval_run **out, const char *name, const char *data,
		   size_t len, eval_skip_fn on_skip, void *payload)
{
	eval_run *r;
	int rc = eval_run_new(&r);
	*out = NULL;
	if (rc)
		return rc;
	lines lr = {data, data + len, 0};
	const char *s;
	size_t l;
	char *buf = NULL;
	size_t bufcap = 0;
	while (rc == 0 && next_line(&lr, &s, &l)) {
		if (blank_or_comment(s, l))
			continue;
		if (l + 1 > bufcap) {
			bufcap = (l + 1) * 2;
			char *b = realloc(buf, bufcap);
			if (!b) {
				rc = error_set(DICTA_ENOMEM, "out of memory");
				break;
			}
			buf = b;
		}
		char *f[MAX_FIELDS];
		int n = split(s, l, buf, f);
		if (n < 6) {
			report(on_skip, payload, name, lr.line,
			       "expected six columns \"query Q0 document rank score tag\", found %d",
			       n);
			continue;
		}
		char *end;
		double score = strtod(f[4], &end);
		if (end == f[4] || *end || isnan(score)) {
			report(on_skip, payload, name, lr.line,
			       "score \"%s\" is not a number", f[4]);
			continue;
		}
		rc = eval_run_add(r, f[0], f[2], score);
		if (rc == DICTA_EINVAL) {
			report(on_skip, payload, name, lr.line, "%s (the first is kept)",
			       dicta_error_last());
			rc = 0;
		}
	}
	free(buf);
	if (rc == 0 && r->n == 0)
		rc = error_set(DICTA_EINVAL, "%s: no results in it", name);
	if (rc) {
		eval_run_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int eval_run_read(eval_run **out, const char *path, eval_skip_fn on_skip,
		  void *payload)
{
	char *data;
	size_t len;
	*out = NULL;
	int rc = batch_slurp(&data, &len, path);
	if (rc == 0)
		rc = eval_run_parse(out, path, data, len, on_skip, payload);
	free(data);
	return rc;
}

/* --------------------------------------------------------- measuring */

/* trec_eval's order: score descending, then docid descending. */
static int cmp_rank(const retrieved *x, const retrieved *y)
{
	if (x->score > y->score)
		return -1;
	if (x->score < y->score)
		return 1;
	return strcmp(y->docid, x->docid);
}

static int cmp_rank_p(const void *a, const void *b)
{
	return cmp_rank(*(const retrieved *const *)a, *(const retrieved *const *)b);
}

static int cmp_run_p(const void *a, const void *b)
{
	const retrieved *x = *(const retrieved *const *)a, *y = *(const retrieved *const *)b;
	int c = strcmp(x->qid, y->qid);
	return c ? c : cmp_rank(x, y);
}

static int cmp_int_desc(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x > y ? -1 : x < y;
}

/*
 * Measure one query: docs (n, already in trec_eval order) against jq's
 * judgments.  out->qid is left to the caller.
 */
static int measure(eval_query *out, const eval_qrels *qr, const judged_query *jq,
		   const retrieved *const *docs, size_t n)
{
	memset(out->v, 0, sizeof out->v);
	out->num_ret = n;
	out->num_rel = jq ? jq->nrel : 0;
	out->num_rel_ret = 0;
	size_t nideal = 0;
	int *ideal = NULL;
	if (jq && jq->count) {
		ideal = malloc(jq->count * sizeof *ideal);
		if (!ideal)
			return error_set(DICTA_ENOMEM, "out of memory");
		for (size_t i = 0; i < jq->count; i++)
			if (qr->j[jq->start + i].rel > 0)
				ideal[nideal++] = qr->j[jq->start + i].rel;
		qsort(ideal, nideal, sizeof *ideal, cmp_int_desc);
	}
	double ap = 0, dcg10 = 0, dcg20 = 0;
	size_t rel_so_far = 0, rel5 = 0, rel10 = 0, rel100 = 0, rel1000 = 0;
	double rr = 0;
	for (size_t i = 0; i < n; i++) {
		const judgment *j = jq ? find_judgment(qr, jq, docs[i]->docid) : NULL;
		int rel = j ? j->rel : -1;
		if (rel > 0) {
			double g = (double)rel / log2((double)(i + 2));
			if (i < 10)
				dcg10 += g;
			if (i < 20)
				dcg20 += g;
		}
		if (rel >= 1) {
			rel_so_far++;
			ap += (double)rel_so_far / (double)(i + 1);
			if (rr == 0)
				rr = 1.0 / (double)(i + 1);
			rel5 += i < 5;
			rel10 += i < 10;
			rel100 += i < 100;
			rel1000 += i < 1000;
		}
	}
	out->num_rel_ret = rel_so_far;
	double idcg10 = 0, idcg20 = 0;
	for (size_t i = 0; i < nideal && i < 20; i++) {
		double g = (double)ideal[i] / log2((double)(i + 2));
		if (i < 10)
			idcg10 += g;
		idcg20 += g;
	}
	free(ideal);
	double nrel = (double)out->num_rel;
	out->v[EVAL_MAP] = rel_so_far && nrel > 0 ? ap / nrel : 0;
	out->v[EVAL_P5] = (double)rel5 / 5.0;
	out->v[EVAL_P10] = (double)rel10 / 10.0;
	out->v[EVAL_NDCG10] = idcg10 > 0 ? dcg10 / idcg10 : 0;
	out->v[EVAL_NDCG20] = idcg20 > 0 ? dcg20 / idcg20 : 0;
	out->v[EVAL_R100] = nrel > 0 ? (double)rel100 / nrel : 0;
	out->v[EVAL_R1000] = nrel > 0 ? (double)rel1000 / nrel : 0;
	out->v[EVAL_MRR] = rr;
	return 0;
}

void eval_result_free(eval_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->n; i++)
		free(res->q[i].qid);
	free(res->q);
	memset(res, 0, sizeof *res);
}

static int push_query(eval_result *res, size_t *cap, const char *qid)
{
	if (res->n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		eval_query *q = realloc(res->q, c * sizeof *q);
		if (!q)
			return error_set(DICTA_ENOMEM, "out of memory");
		res->q = q;
		*cap = c;
	}
	eval_query *q = &res->q[res->n];
	memset(q, 0, sizeof *q);
	if (!(q->qid = strdup(qid)))
		return error_set(DICTA_ENOMEM, "out of memory");
	res->n++;
	return 0;
}

int eval_compute(eval_result *out, const eval_qrels *qrels,
		 const eval_run *run, int complete)
{
	memset(out, 0, sizeof *out);
	const retrieved **p = run->n ? malloc(run->n * sizeof *p) : NULL;
	if (run->n && !p)
		return error_set(DICTA_ENOMEM, "out of memory");
	for (size_t i = 0; i < run->n; i++)
		p[i] = &run->r[i];
	if (run->n)
		qsort(p, run->n, sizeof *p, cmp_run_p);
	size_t cap = 0, i = 0, k = 0, both = 0;
	int rc = 0;
	/* Walk the run's queries and the judged ones, both in qid order. */
	while (rc == 0 && (i < run->n || (complete && k < qrels->nq))) {
		int c;
		if (i >= run->n)
			c = 1;
		else if (k >= qrels->nq)
			c = -1;
		else
			c = strcmp(p[i]->qid, qrels->q[k].qid);
		if (c < 0) { /* in the run only: not evaluated */
			size_t j = i;
			while (j < run->n && !strcmp(p[j]->qid, p[i]->qid))
				j++;
			out->run_only++;
			i = j;
		} else if (c > 0) { /* judged only */
			if (complete && (rc = push_query(out, &cap, qrels->q[k].qid)) == 0) {
				eval_query *q = &out->q[out->n - 1];
				q->num_rel = qrels->q[k].nrel;
				out->num_rel += q->num_rel;
			}
			k++;
		} else {
			size_t j = i;
			while (j < run->n && !strcmp(p[j]->qid, p[i]->qid))
				j++;
			if ((rc = push_query(out, &cap, qrels->q[k].qid)) == 0) {
				eval_query *q = &out->q[out->n - 1];
				q->in_run = 1;
				rc = measure(q, qrels, &qrels->q[k], p + i, j - i);
				out->num_ret += q->num_ret;
				out->num_rel += q->num_rel;
				out->num_rel_ret += q->num_rel_ret;
				for (int m = 0; m < EVAL_NMEASURES; m++)
					out->mean[m] += q->v[m];
				both++;
			}
			i = j;
			k++;
		}
	}
	free(p);
	out->num_queries = complete ? qrels->nq : both;
	if (rc == 0 && out->num_queries == 0)
		rc = error_set(DICTA_EINVAL,
			       "no query is both in the relevance judgments and in the run");
	if (rc) {
		eval_result_free(out);
		return rc;
	}
	for (int m = 0; m < EVAL_NMEASURES; m++)
		out->mean[m] /= (double)out->num_queries;
	return 0;
}

int eval_query_compute(eval_query *out, const eval_qrels *qrels,
		       const char *qid, const char *const *docids,
		       const double *scores, size_t n)
{
	memset(out, 0, sizeof *out);
	retrieved *r = n ? malloc(n * sizeof *r) : NULL;
	const retrieved **p = n ? malloc(n * sizeof *p) : NULL;
	if (n && (!r || !p)) {
		free(r);
		free(p);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		r[i] = (retrieved){(char *)qid, (char *)docids[i], scores[i]};
		p[i] = &r[i];
	}
	if (n)
		qsort(p, n, sizeof *p, cmp_rank_p);
	int rc = measure(out, qrels, find_query(qrels, qid), p, n);
	out->in_run = 1;
	free(p);
	free(r);
	return rc;
}

void eval_print_trec(FILE *f, const eval_result *res, int per_query)
{
	for (size_t i = 0; per_query && i < res->n; i++) {
		const eval_query *q = &res->q[i];
		fprintf(f, "%-22s\t%s\t%zu\n", "num_ret", q->qid, q->num_ret);
		fprintf(f, "%-22s\t%s\t%zu\n", "num_rel", q->qid, q->num_rel);
		fprintf(f, "%-22s\t%s\t%zu\n", "num_rel_ret", q->qid, q->num_rel_ret);
		for (int m = 0; m < EVAL_NMEASURES; m++)
			fprintf(f, "%-22s\t%s\t%.4f\n", measures[m].name, q->qid, q->v[m]);
	}
	fprintf(f, "%-22s\tall\t%zu\n", "num_q", res->num_queries);
	fprintf(f, "%-22s\tall\t%zu\n", "num_ret", res->num_ret);
	fprintf(f, "%-22s\tall\t%zu\n", "num_rel", res->num_rel);
	fprintf(f, "%-22s\tall\t%zu\n", "num_rel_ret", res->num_rel_ret);
	for (int m = 0; m < EVAL_NMEASURES; m++)
		fprintf(f, "%-22s\tall\t%.4f\n", measures[m].name, res->mean[m]);
}
