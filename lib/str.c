/*
 * str.c — the counting of a search term report (str.h): every string of
 * the terms file run over the searchable set, with exact counts.  Called
 * by searcher/terms_cli.c; the writers (str_*.c) print what it counts.
 *
 * No count comes from Xapian's estimates.  First one pass over every
 * passage of the index numbers the documents (by the id in value
 * SLOT_PARENT), counts the passages of each and finds each document's
 * family (the "family" member of its record's metadata).  The
 * searchable set is every document, or those with a passage matching
 * --within.  Then, for each string, shim_match_each() hands over every
 * passage the Xapian query matches, and query_plan_count() checks it
 * exactly on its positions (connectors, stemmed phrases) and counts its
 * hits; a passage of a document outside the set is passed over.  A
 * string that needs no positions (words, roots, AND, OR, NOT, fields) is
 * counted faster and the same (the fast count, query_plan_fast()): the
 * postings of its terms are walked with their wdf and the parent id, and
 * no passage is opened.  DICTA_STR_SLOW=1 turns that off, for tests.  A
 * string's documents are kept as a bitset over the documents, from which
 * unique documents, families, totals and the overlap matrix are counted.
 * A matching passage is tied to its document by that id, never by docid
 * (in a sharded index the matcher hands over its shard's docid).  Memory:
 * a few words per document, and one bit per document and string.  The definitions are in docs/search-term-reports.md.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "error.h"
#include "index_internal.h"
#include "query.h"
#include "store.h"
#include "str.h"
#include "strset.h"

#define NONE UINT32_MAX

double str_pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

uint64_t str_overlap(const str_report *r, size_t i, size_t j)
{
	return r->overlap ? r->overlap[i * r->terms->n + j] : 0;
}

/* The number of s[0, len) in m (NUL-free), adding it if new; *added says
 * so.  Numbers are dense from 0, in the order first seen (strset.h). */
static int intern_get(strset *m, const char *s, size_t len, uint32_t *out,
		      int *added)
{
	*added = 0;
	if (strset_count(m) >= UINT32_MAX - 1 && !strset_has(m, s, len))
		return error_set(DICTA_EINVAL, "too many documents for a report");
	size_t ord;
	int r = strset_add_ord(m, s, len, NULL, &ord);
	if (r < 0)
		return error_set(DICTA_ENOMEM, "out of memory");
	*out = (uint32_t)ord;
	*added = r;
	return 0;
}

/* The number of s[0, len) in m, or NONE if it is not there. */
static uint32_t intern_find(const strset *m, const char *s, size_t len)
{
	long ord = strset_find(m, s, len);
	return ord < 0 ? NONE : (uint32_t)ord;
}

/* ---------------------------------------------------------- the index */

/* What one pass over the index learns, and the working state. */
typedef struct {
	dicta_index *idx;
	strset *docs;         /* document ids, numbered */
	uint32_t *npass;      /* by document: passages */
	uint32_t *family;     /* by document: family, NONE for none */
	size_t capdocs;
	strset *families;     /* family values, numbered */
	unsigned char *in_set;   /* by document */
	uint32_t *fam_size;   /* by family: documents in the set */
	uint32_t *fam_mark;   /* by family: last string (+1) that marked it */
	uint32_t *nstrings;   /* by document: strings that hit it */
	uint32_t *first;      /* by document: the first string that hit it */
	size_t words;         /* bitset words per string */
	uint64_t *bits;       /* strings x words */
	int slow;             /* DICTA_STR_SLOW: no fast count */
	int rc;
} counter;

static void counter_free(counter *c)
{
	strset_free(c->docs);
	free(c->npass);
	free(c->family);
	strset_free(c->families);
	free(c->in_set);
	free(c->fam_size);
	free(c->fam_mark);
	free(c->nstrings);
	free(c->first);
	free(c->bits);
	memset(c, 0, sizeof *c);
}

/* The family of a document from its record's metadata: the "family"
 * member, a string or a number as JSON writes it; NONE without one. */
static int record_family(counter *c, const char *data, size_t len,
			 uint32_t *out)
{
	*out = NONE;
	store_record rec;
	int rc = store_record_decode(data, len, &rec, 0);
	if (rc)
		return rc;
	json_t *meta = rec.meta_json && *rec.meta_json
			       ? json_loads(rec.meta_json, 0, NULL) : NULL;
	json_t *f = meta ? json_object_get(meta, "family") : NULL;
	char num[64];
	const char *v = NULL;
	size_t vl = 0;
	if (json_is_string(f)) {
		v = json_string_value(f);
		vl = json_string_length(f);
	} else if (json_is_integer(f)) {
		vl = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
				      json_integer_value(f));
		v = num;
	} else if (json_is_real(f)) {
		vl = (size_t)snprintf(num, sizeof num, "%.17g", json_real_value(f));
		v = num;
	}
	if (v && vl && !memchr(v, '\0', vl)) {
		int added;
		rc = intern_get(c->families, v, vl, out, &added);
	}
	json_decref(meta);
	store_record_clear(&rec);
	return rc;
}

static int on_passage(unsigned docid, void *payload)
{
	counter *c = payload;
	char *parent = NULL, *data = NULL;
	size_t pl, dl;
	int rc = shim_db_get_value(c->idx->db, docid, SLOT_PARENT, &parent, &pl);
	if (rc == 0 && (pl == 0 || memchr(parent, '\0', pl)))
		rc = error_set(DICTA_ECORRUPT, "passage %u names no document", docid);
	uint32_t d = NONE;
	int added = 0;
	if (rc == 0)
		rc = intern_get(c->docs, parent, pl, &d, &added);
	if (rc == 0 && d >= c->capdocs) {
		size_t n = c->capdocs ? c->capdocs * 2 : 1024;
		uint32_t *np = realloc(c->npass, n * sizeof *np);
		if (np)
			c->npass = np;
		uint32_t *f = np ? realloc(c->family, n * sizeof *f) : NULL;
		if (f)
			c->family = f;
		if (!np || !f)
			rc = error_set(DICTA_ENOMEM, "out of memory");
		else
			c->capdocs = n;
	}
	if (rc == 0 && added) {
		c->npass[d] = 0;
		c->family[d] = NONE;
	}
	if (rc == 0) {
		c->npass[d]++;
		rc = shim_db_get_data(c->idx->db, docid, &data, &dl);
	}
	if (rc == 0 && dl > 0)
		rc = record_family(c, data, dl, &c->family[d]);
	free(parent);
	free(data);
	c->rc = rc;
	return rc != 0;
}

/* ------------------------------------------------------------ matching */

typedef struct {
	counter *c;
	query_plan *plan;
	str_string *s;       /* NULL: marking the searchable set */
	uint64_t *bits;      /* the string's documents */
} match_state;

/* The document of a passage the string matches, by the id in its value
 * SLOT_PARENT; NONE when the passage is passed over: outside the set, or,
 * when marking the set, of a document already in it. */
static uint32_t match_doc(const match_state *m, const char *parent, size_t pl)
{
	const counter *c = m->c;
	uint32_t d = intern_find(c->docs, parent, pl);
	if (d == NONE || (m->s && !c->in_set[d]))
		return NONE;
	if (!m->s && c->in_set[d])
		return NONE; /* the set: one passage of a document is enough */
	return d;
}

/* Count a passage of document d that satisfies the string. */
static void tally(match_state *m, uint32_t d, uint64_t hits, int truncated)
{
	if (!m->s) {
		m->c->in_set[d] = 1;
		return;
	}
	m->s->passages++;
	m->s->hits += hits;
	m->s->truncated |= truncated;
	m->bits[d / 64] |= (uint64_t)1 << (d % 64);
}

static int on_match(shim_docview *v, void *payload)
{
	match_state *m = payload;
	/* The passage's document by its id, not by docid: in a sharded
	 * index the view may know only its shard's docid. */
	const char *parent;
	size_t pl;
	int rc = shim_docview_value(v, SLOT_PARENT, &parent, &pl);
	if (rc)
		return rc;
	uint32_t d = match_doc(m, parent, pl);
	if (d == NONE)
		return 0;
	int matched, truncated;
	uint64_t hits;
	rc = query_plan_count(m->plan, v, &matched, &hits, &truncated);
	if (rc == 0 && matched)
		tally(m, d, hits, truncated);
	return rc;
}

/* The fast count: a passage with one of the plan's leads, its terms and
 * their wdf (docid is the combined database's here). */
static int on_terms(unsigned docid, const char *parent, size_t pl,
		    const unsigned char *present, const uint32_t *wdf,
		    void *payload)
{
	match_state *m = payload;
	uint32_t d = match_doc(m, parent, pl);
	if (d == NONE)
		return 0;
	int matched, truncated = 0;
	uint64_t hits;
	int rc = query_plan_count_terms(m->plan, present, wdf, &matched, &hits);
	if (rc == 1 || rc == 2) {
		/* The passage itself decides: 1, more matches than the
		 * evaluator keeps (only it can say which it keeps, so it
		 * counts the passage); 2, counted words that may share a
		 * position (their positions give the hits). */
		int need = rc;
		shim_docview *v;
		rc = shim_docview_open(&v, m->c->idx->db, docid);
		if (rc == 0) {
			rc = need == 2 ? query_plan_count_positions(m->plan, v, &hits)
				       : query_plan_count(m->plan, v, &matched, &hits,
							  &truncated);
			shim_docview_free(v);
		}
	}
	if (rc == 0 && matched)
		tally(m, d, hits, truncated);
	return rc;
}

/*
 * Hand every passage the plan matches to the counting, and say whether
 * the fast count did it: a plan whose counts need no positions reads the
 * postings of its terms (shim_postings_each: no document is opened);
 * the others go through Xapian's match and the evaluator.
 */
static int match_plan(counter *c, query_plan *plan, match_state *m, int *fast)
{
	const char *const *terms;
	const unsigned char *lead;
	size_t n;
	*fast = !c->slow && query_plan_fast(plan, &terms, &lead, &n);
	if (*fast)
		return shim_postings_each(c->idx->db, terms, n, lead, SLOT_PARENT,
					  on_terms, m);
	return shim_match_each(c->idx->db, query_plan_query(plan), on_match, m);
}

static int popcount(uint64_t x)
{
	return __builtin_popcountll(x);
}

/* Run string i and count what its own matches give. */
static int run_string(counter *c, str_report *r, size_t i)
{
	str_string *s = &r->terms->s[i];
	query_plan *plan;
	int rc = query_compile_counting(&plan, c->idx, s->query);
	if (rc == DICTA_EQUERY) {
		s->error = strdup(dicta_error_last());
		s->error_column = dicta_error_column();
		r->failed++;
		return s->error ? 0 : error_set(DICTA_ENOMEM, "out of memory");
	}
	if (rc)
		return rc;
	uint64_t *bits = c->bits + i * c->words;
	match_state m = {c, plan, s, bits};
	rc = match_plan(c, plan, &m, &s->fast);
	query_plan_free(plan);
	if (rc)
		return rc;
	r->truncated |= s->truncated;
	for (size_t w = 0; w < c->words; w++) {
		for (uint64_t x = bits[w]; x; x &= x - 1) {
			uint32_t d = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(x));
			s->documents++;
			if (c->nstrings[d]++ == 0)
				c->first[d] = (uint32_t)i;
			uint32_t f = c->family[d];
			if (f == NONE) {
				s->family++;
			} else if (c->fam_mark[f] != i + 1) {
				c->fam_mark[f] = (uint32_t)i + 1;
				s->family += c->fam_size[f];
			}
		}
	}
	return 0;
}

static void reset_outcomes(str_report *r)
{
	for (size_t i = 0; i < r->terms->n; i++) {
		str_string *s = &r->terms->s[i];
		free(s->error);
		s->error = NULL;
		s->error_column = 0;
		s->documents = s->passages = s->hits = s->unique = s->family = 0;
		s->truncated = 0;
		s->fast = 0;
	}
	r->failed = 0;
	r->truncated = 0;
	r->set_documents = r->set_passages = 0;
	r->hit_documents = r->hit_family = 0;
}

static int count_once(str_report *r, dicta_index *idx, const str_options *o)
{
	counter c = {0};
	c.idx = idx;
	/* A testing aid (docs/search-term-reports.md): every string through
	 * the evaluator, to compare with the fast count. */
	const char *slow = getenv("DICTA_STR_SLOW");
	c.slow = slow && *slow && strcmp(slow, "0") != 0;
	c.docs = strset_new();
	c.families = strset_new();
	int rc = c.docs && c.families ? shim_db_all_docids(idx->db, on_passage, &c)
				      : error_set(DICTA_ENOMEM, "out of memory");
	if (rc == 0)
		rc = c.rc;
	size_t nd = c.docs ? strset_count(c.docs) : 0;
	size_t nf = c.families ? strset_count(c.families) : 0, n = r->terms->n;
	c.words = (nd + 63) / 64;
	if (rc == 0) {
		c.in_set = calloc(nd + 1, 1);
		c.fam_size = calloc(nf + 1, sizeof *c.fam_size);
		c.fam_mark = calloc(nf + 1, sizeof *c.fam_mark);
		c.nstrings = calloc(nd + 1, sizeof *c.nstrings);
		c.first = calloc(nd + 1, sizeof *c.first);
		c.bits = calloc(n * c.words + 1, sizeof *c.bits);
		if (!c.in_set || !c.fam_size || !c.fam_mark || !c.nstrings ||
		    !c.first || !c.bits)
			rc = error_set(DICTA_ENOMEM, "out of memory");
	}
	/* The searchable set. */
	if (rc == 0 && r->within[0]) {
		query_plan *plan;
		rc = query_compile_counting(&plan, idx, r->within);
		if (rc == 0) {
			match_state m = {&c, plan, NULL, NULL};
			int fast;
			rc = match_plan(&c, plan, &m, &fast);
			query_plan_free(plan);
		}
	} else if (rc == 0) {
		memset(c.in_set, 1, nd);
	}
	for (size_t d = 0; rc == 0 && d < nd; d++) {
		if (!c.in_set[d])
			continue;
		r->set_documents++;
		r->set_passages += c.npass[d];
		if (c.family[d] != NONE)
			c.fam_size[c.family[d]]++;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = run_string(&c, r, i);
		if (rc == 0 && o->on_progress)
			o->on_progress(i + 1, n, o->payload);
	}
	/* Unique documents, totals, overlaps. */
	for (size_t d = 0; rc == 0 && d < nd; d++) {
		if (c.nstrings[d] == 1)
			r->terms->s[c.first[d]].unique++;
		if (c.nstrings[d] == 0)
			continue;
		r->hit_documents++;
		if (c.family[d] != NONE)
			c.fam_mark[c.family[d]] = NONE; /* a family with a hit */
	}
	for (size_t d = 0; rc == 0 && d < nd; d++)
		if (c.in_set[d] && (c.nstrings[d] ||
				    (c.family[d] != NONE && c.fam_mark[c.family[d]] == NONE)))
			r->hit_family++;
	if (rc == 0 && n) {
		free(r->overlap);
		r->overlap = calloc(n * n, sizeof *r->overlap);
		if (!r->overlap)
			rc = error_set(DICTA_ENOMEM, "out of memory");
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const uint64_t *a = c.bits + i * c.words;
		r->overlap[i * n + i] = r->terms->s[i].documents;
		for (size_t j = i + 1; j < n; j++) {
			const uint64_t *b = c.bits + j * c.words;
			uint64_t both = 0;
			for (size_t w = 0; w < c.words; w++)
				both += (uint64_t)popcount(a[w] & b[w]);
			r->overlap[i * n + j] = r->overlap[j * n + i] = both;
		}
	}
	counter_free(&c);
	return rc;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int str_run(str_report *out, dicta_index *idx, str_terms *t,
	    const str_options *opts)
{
	memset(out, 0, sizeof *out);
	str_options o = {0};
	if (opts)
		o = *opts;
	out->terms = t;
	out->index_path = strdup(o.index_path ? o.index_path : "");
	out->terms_path = strdup(o.terms_path ? o.terms_path : "");
	out->within = strdup(o.within ? o.within : "");
	if (!out->index_path || !out->terms_path || !out->within) {
		str_report_clear(out);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	time_t now_t = time(NULL);
	struct tm tm;
	strftime(out->created, sizeof out->created, "%Y-%m-%dT%H:%M:%SZ",
		 gmtime_r(&now_t, &tm));
	double t0 = now();
	reset_outcomes(out);
	int rc = count_once(out, idx, &o);
	/* A commit meanwhile: count again on the new state. */
	for (int tries = 0; rc == DICTA_EMODIFIED && tries < 3; tries++) {
		if ((rc = dicta_index_reopen(idx)) != 0)
			break;
		reset_outcomes(out);
		rc = count_once(out, idx, &o);
	}
	out->seconds = now() - t0;
	if (rc)
		str_report_clear(out);
	return rc;
}

void str_report_clear(str_report *r)
{
	if (!r)
		return;
	free(r->index_path);
	free(r->terms_path);
	free(r->within);
	free(r->overlap);
	memset(r, 0, sizeof *r);
}
