/*
 * xapian_shim.cc — the only C++ file of dicta and the only one that includes
 * <xapian.h>.  It implements the C interface of xapian_shim.h over Xapian
 * 1.4: each extern "C" body is wrapped in try/catch, and shim_error() maps
 * the exception in flight to a DICTA_E* code, keeping Xapian's description
 * as the message.  No dicta logic lives here.
 */
#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <queue>
#include <string>
#include <vector>

#include "xapian_shim.h"

extern "C" {
#include "error.h"
}

struct shim_db {
	Xapian::Database *db;          /* the handle for reading */
	Xapian::WritableDatabase *wdb; /* same object when writable, else NULL */
};

struct shim_doc {
	Xapian::Document doc;
};

struct shim_query {
	Xapian::Query q;
};

struct shim_mset {
	Xapian::MSet mset;
};

/* A passage's document: from a database and docid, or from the Document a
 * MatchDecider receives.  Everything is read through the Document, whose
 * own database is the right one: in a multi-database (a sharded index)
 * the Document handed to a MatchDecider carries its shard's docid, not
 * the combined one, so the combined database cannot be asked by docid.
 * (An earlier version read term lists through the database by docid
 * because the Document's seemed to list another candidate's terms in
 * Xapian 1.4.22; tests/test_shim.c keeps that case, and
 * bench/connectors_verify.c checks every candidate's verdict on the D.C.
 * Code against its stored text: no disagreement reading through the
 * Document.) */
struct shim_docview {
	shim_docview(Xapian::Database &db, Xapian::docid did) : db(&db), did(did) {}
	explicit shim_docview(const Xapian::Document &d)
		: did(d.get_docid()), doc(d), have_doc(true)
	{
	}
	Xapian::Database *db = nullptr;
	Xapian::docid did;
	Xapian::Document doc;       /* opened on first use */
	bool have_doc = false;
	std::string value;          /* the last value read */
	std::vector<uint32_t> pos;  /* the last positions read */
	std::vector<std::string> terms; /* the term list, read once */
	bool have_terms = false;
	/* For positions: a term list cursor, moved forward while the terms
	 * asked for ascend (query_eval.c asks in sorted order). */
	Xapian::TermIterator cursor;
	std::string cursor_term;
	bool have_cursor = false;

	const Xapian::Document &document()
	{
		if (!have_doc) {
			doc = db->get_document(did, Xapian::DOC_ASSUME_VALID);
			have_doc = true;
		}
		return doc;
	}

	const std::vector<std::string> &term_list()
	{
		if (!have_terms) {
			const Xapian::Document &d = document();
			for (Xapian::TermIterator i = d.termlist_begin();
			     i != d.termlist_end(); ++i)
				terms.push_back(*i);
			have_terms = true;
		}
		return terms;
	}

	void positions(const std::string &t)
	{
		pos.clear();
		if (!have_cursor || t < cursor_term) {
			cursor = document().termlist_begin();
			have_cursor = true;
		}
		cursor_term = t;
		cursor.skip_to(t);
		if (cursor == Xapian::TermIterator() || *cursor != t)
			return;
		for (Xapian::PositionIterator p = cursor.positionlist_begin();
		     p != cursor.positionlist_end(); ++p)
			pos.push_back(*p);
	}
};

/* Map the exception in flight to a dicta code; call only inside catch. */
static int shim_error()
{
	try {
		throw;
	} catch (const Xapian::DatabaseLockError &e) {
		return error_set(DICTA_ELOCKED, "%s", e.get_description().c_str());
	} catch (const Xapian::DatabaseCorruptError &e) {
		return error_set(DICTA_ECORRUPT, "%s", e.get_description().c_str());
	} catch (const Xapian::DatabaseModifiedError &e) {
		return error_set(DICTA_EMODIFIED, "%s", e.get_description().c_str());
	} catch (const Xapian::DatabaseVersionError &e) {
		return error_set(DICTA_ECORRUPT, "%s", e.get_description().c_str());
	} catch (const Xapian::DatabaseOpeningError &e) {
		return error_set(DICTA_ENOTFOUND, "%s", e.get_description().c_str());
	} catch (const Xapian::DocNotFoundError &e) {
		return error_set(DICTA_ENOTFOUND, "%s", e.get_description().c_str());
	} catch (const Xapian::QueryParserError &e) {
		return error_set(DICTA_EQUERY, "%s", e.get_description().c_str());
	} catch (const Xapian::WildcardError &e) {
		return error_set(DICTA_EQUERY, "%s", e.get_description().c_str());
	} catch (const Xapian::InvalidArgumentError &e) {
		return error_set(DICTA_EINVAL, "%s", e.get_description().c_str());
	} catch (const Xapian::DatabaseError &e) {
		return error_set(DICTA_EIO, "%s", e.get_description().c_str());
	} catch (const Xapian::Error &e) {
		return error_set(DICTA_ERROR, "%s", e.get_description().c_str());
	} catch (const std::bad_alloc &) {
		return error_set(DICTA_ENOMEM, "out of memory");
	} catch (const std::exception &e) {
		return error_set(DICTA_ERROR, "%s", e.what());
	} catch (...) {
		return error_set(DICTA_ERROR, "unknown C++ exception");
	}
}

static char *copy_out(const std::string &s, size_t *len_out)
{
	char *p = static_cast<char *>(std::malloc(s.size() + 1));
	if (!p)
		throw std::bad_alloc();
	std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	if (len_out)
		*len_out = s.size();
	return p;
}

extern "C" {

/* ------------------------------------------------------------ databases */

int shim_db_open(shim_db **out, const char *path, int writable)
{
	*out = NULL;
	shim_db *h = NULL;
	try {
		h = new shim_db{NULL, NULL};
		if (writable) {
			int flags = Xapian::DB_CREATE_OR_OPEN;
			if (writable == SHIM_WRITE_WAIT)
				flags |= Xapian::DB_RETRY_LOCK;
			h->wdb = new Xapian::WritableDatabase(path, flags);
			h->db = h->wdb;
		} else {
			h->db = new Xapian::Database(path);
		}
		*out = h;
		return 0;
	} catch (...) {
		delete h;
		return shim_error();
	}
}

void shim_db_free(shim_db *h)
{
	if (!h)
		return;
	try {
		/* A writable database in a transaction: Xapian discards the
		 * uncommitted changes on close, which is what a crash does too. */
		delete h->db;
	} catch (...) {
		(void)shim_error();
	}
	delete h;
}

int shim_db_group(shim_db **out, shim_db *const *parts, size_t n)
{
	*out = NULL;
	shim_db *h = NULL;
	try {
		h = new shim_db{NULL, NULL};
		h->db = new Xapian::Database();
		for (size_t i = 0; i < n; i++)
			h->db->add_database(*parts[i]->db);
		*out = h;
		return 0;
	} catch (...) {
		if (h)
			delete h->db;
		delete h;
		return shim_error();
	}
}

int shim_db_compact(shim_db *h, const char *output)
{
	try {
		h->db->compact(output, Xapian::DBCOMPACT_NO_RENUMBER);
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_reopen(shim_db *h)
{
	try {
		h->db->reopen();
		return 0;
	} catch (...) {
		return shim_error();
	}
}

static Xapian::WritableDatabase &writable(shim_db *h)
{
	if (!h->wdb)
		throw Xapian::InvalidOperationError("index opened read-only");
	return *h->wdb;
}

int shim_db_begin(shim_db *h)
{
	try {
		writable(h).begin_transaction(true);
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_commit(shim_db *h)
{
	try {
		writable(h).commit_transaction();
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_cancel(shim_db *h)
{
	try {
		writable(h).cancel_transaction();
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_add(shim_db *h, const shim_doc *doc, unsigned *docid_out)
{
	try {
		Xapian::docid id = writable(h).add_document(doc->doc);
		if (docid_out)
			*docid_out = id;
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_delete_term(shim_db *h, const char *term, size_t len,
			unsigned *count_out)
{
	try {
		std::string t(term, len);
		Xapian::WritableDatabase &w = writable(h);
		if (count_out)
			*count_out = w.get_termfreq(t);
		w.delete_document(t);
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_postings(shim_db *h, const char *term, size_t len,
		     unsigned *docids, size_t max, size_t *n_out)
{
	*n_out = 0;
	try {
		std::string t(term, len);
		size_t n = 0;
		for (Xapian::PostingIterator p = h->db->postlist_begin(t);
		     p != h->db->postlist_end(t) && n < max; ++p)
			docids[n++] = *p;
		*n_out = n;
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_termfreq(shim_db *h, const char *term, size_t len, uint64_t *out)
{
	try {
		*out = h->db->get_termfreq(std::string(term, len));
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_doccount(shim_db *h, uint64_t *out)
{
	try {
		*out = h->db->get_doccount();
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_count_terms(shim_db *h, const char *prefix, uint64_t *out)
{
	try {
		uint64_t n = 0;
		std::string p(prefix);
		for (Xapian::TermIterator t = h->db->allterms_begin(p);
		     t != h->db->allterms_end(p); ++t)
			++n;
		*out = n;
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_get_metadata(shim_db *h, const char *key, char **out,
			 size_t *len_out)
{
	*out = NULL;
	try {
		*out = copy_out(h->db->get_metadata(key), len_out);
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_set_metadata(shim_db *h, const char *key, const char *value,
			 size_t len)
{
	try {
		writable(h).set_metadata(key, std::string(value, len));
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_get_value(shim_db *h, unsigned docid, unsigned slot, char **out,
		      size_t *len_out)
{
	*out = NULL;
	try {
		*out = copy_out(h->db->get_document(docid).get_value(slot),
				len_out);
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_get_data(shim_db *h, unsigned docid, char **out, size_t *len_out)
{
	*out = NULL;
	try {
		*out = copy_out(h->db->get_document(docid).get_data(), len_out);
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_allterms(shim_db *h, const char *prefix,
		     int (*cb)(const char *term, size_t len, void *payload),
		     void *payload)
{
	try {
		std::string p(prefix);
		for (Xapian::TermIterator t = h->db->allterms_begin(p);
		     t != h->db->allterms_end(p); ++t) {
			const std::string &term = *t;
			if (cb(term.data(), term.size(), payload))
				break;
		}
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_db_all_docids(shim_db *h, int (*cb)(unsigned docid, void *payload),
		       void *payload)
{
	try {
		for (Xapian::PostingIterator p = h->db->postlist_begin("");
		     p != h->db->postlist_end(""); ++p)
			if (cb(*p, payload))
				break;
		return 0;
	} catch (...) {
		return shim_error();
	}
}

/* ------------------------------------------------------------ documents */

shim_doc *shim_doc_new(void)
{
	try {
		return new shim_doc;
	} catch (...) {
		(void)shim_error();
		return NULL;
	}
}

void shim_doc_free(shim_doc *doc)
{
	delete doc;
}

int shim_doc_add_posting(shim_doc *doc, const char *term, size_t len,
			 uint32_t pos)
{
	try {
		doc->doc.add_posting(std::string(term, len), pos);
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_doc_add_term(shim_doc *doc, const char *term, size_t len,
		      unsigned wdfinc)
{
	try {
		if (wdfinc == 0)
			doc->doc.add_boolean_term(std::string(term, len));
		else
			doc->doc.add_term(std::string(term, len), wdfinc);
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_doc_set_value(shim_doc *doc, unsigned slot, const char *v, size_t len)
{
	try {
		doc->doc.add_value(slot, std::string(v, len));
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_doc_set_data(shim_doc *doc, const char *data, size_t len)
{
	try {
		doc->doc.set_data(std::string(data, len));
		return 0;
	} catch (...) {
		return shim_error();
	}
}

/* -------------------------------------------------------------- queries */

static shim_query *wrap(const Xapian::Query &q)
{
	return new shim_query{q};
}

shim_query *shim_query_term(const char *term, size_t len, unsigned wqf,
			    unsigned pos)
{
	try {
		return wrap(Xapian::Query(std::string(term, len), wqf, pos));
	} catch (...) {
		(void)shim_error();
		return NULL;
	}
}

static Xapian::Query::op xapian_op(enum shim_op op)
{
	switch (op) {
	case SHIM_OR: return Xapian::Query::OP_OR;
	case SHIM_AND: return Xapian::Query::OP_AND;
	case SHIM_AND_NOT: return Xapian::Query::OP_AND_NOT;
	case SHIM_FILTER: return Xapian::Query::OP_FILTER;
	case SHIM_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
	case SHIM_SYNONYM: return Xapian::Query::OP_SYNONYM;
	case SHIM_PHRASE: return Xapian::Query::OP_PHRASE;
	case SHIM_NEAR: return Xapian::Query::OP_NEAR;
	}
	throw Xapian::InvalidArgumentError("unknown query operator");
}

shim_query *shim_query_combine(enum shim_op op, shim_query *const *subs,
			       size_t n, unsigned window)
{
	try {
		std::vector<Xapian::Query> v;
		v.reserve(n);
		for (size_t i = 0; i < n; i++)
			v.push_back(subs[i]->q);
		return wrap(Xapian::Query(xapian_op(op), v.begin(), v.end(),
					  window));
	} catch (...) {
		(void)shim_error();
		return NULL;
	}
}

shim_query *shim_query_value_range(unsigned slot, const char *lo,
				   const char *hi)
{
	try {
		if (lo && hi)
			return wrap(Xapian::Query(Xapian::Query::OP_VALUE_RANGE,
						  slot, lo, hi));
		if (lo)
			return wrap(Xapian::Query(Xapian::Query::OP_VALUE_GE,
						  slot, lo));
		if (hi)
			return wrap(Xapian::Query(Xapian::Query::OP_VALUE_LE,
						  slot, hi));
		return wrap(Xapian::Query::MatchAll);
	} catch (...) {
		(void)shim_error();
		return NULL;
	}
}

shim_query *shim_query_scale(const shim_query *q, double factor)
{
	try {
		return wrap(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q,
					  factor));
	} catch (...) {
		(void)shim_error();
		return NULL;
	}
}

shim_query *shim_query_wildcard(const char *prefix, unsigned max_expansion,
				int synonym)
{
	try {
		return wrap(Xapian::Query(
			Xapian::Query::OP_WILDCARD, prefix, max_expansion,
			Xapian::Query::WILDCARD_LIMIT_ERROR,
			synonym ? Xapian::Query::OP_SYNONYM
				: Xapian::Query::OP_OR));
	} catch (...) {
		(void)shim_error();
		return NULL;
	}
}

shim_query *shim_query_match_all(void)
{
	try {
		return wrap(Xapian::Query::MatchAll);
	} catch (...) {
		(void)shim_error();
		return NULL;
	}
}

void shim_query_free(shim_query *q)
{
	delete q;
}

char *shim_query_describe(const shim_query *q)
{
	try {
		return copy_out(q->q.get_description(), NULL);
	} catch (...) {
		(void)shim_error();
		return NULL;
	}
}

/* ------------------------------------------------------ document views */

int shim_docview_open(shim_docview **out, shim_db *h, unsigned docid)
{
	*out = NULL;
	try {
		h->db->get_document(docid); /* DocNotFoundError for a bad id */
		*out = new shim_docview(*h->db, docid);
		return 0;
	} catch (...) {
		return shim_error();
	}
}

void shim_docview_free(shim_docview *v)
{
	delete v;
}

unsigned shim_docview_docid(const shim_docview *v)
{
	return v->did;
}

int shim_docview_value(shim_docview *v, unsigned slot, const char **out,
		       size_t *len_out)
{
	*out = "";
	*len_out = 0;
	try {
		v->value = v->document().get_value(slot);
		*out = v->value.data();
		*len_out = v->value.size();
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_docview_positions(shim_docview *v, const char *term, size_t len,
			   const uint32_t **out, size_t *n_out)
{
	*out = NULL;
	*n_out = 0;
	try {
		v->positions(std::string(term, len));
		*out = v->pos.data();
		*n_out = v->pos.size();
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_docview_has_term(shim_docview *v, const char *term, size_t len,
			  int *out)
{
	*out = 0;
	try {
		const std::vector<std::string> &t = v->term_list();
		*out = std::binary_search(t.begin(), t.end(), std::string(term, len));
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_docview_present(shim_docview *v, const char *const *terms, size_t n,
			 unsigned char *present)
{
	std::memset(present, 0, n);
	try {
		const std::vector<std::string> &t = v->term_list();
		auto i = t.begin();
		for (size_t k = 0; k < n && i != t.end(); k++) {
			i = std::lower_bound(i, t.end(), terms[k],
					     [](const std::string &a, const char *b) {
						     return a.compare(b) < 0;
					     });
			present[k] = i != t.end() && *i == terms[k];
		}
		return 0;
	} catch (...) {
		return shim_error();
	}
}

int shim_docview_terms(shim_docview *v, const char *prefix, size_t plen,
		       int (*cb)(const char *term, size_t len, void *payload),
		       void *payload)
{
	try {
		const std::vector<std::string> &t = v->term_list();
		std::string p(prefix, plen);
		for (auto i = std::lower_bound(t.begin(), t.end(), p); i != t.end(); ++i) {
			if (i->compare(0, p.size(), p) != 0)
				break;
			if (cb(i->data(), i->size(), payload))
				break;
		}
		return 0;
	} catch (...) {
		return shim_error();
	}
}

/* ------------------------------------------------------------- matching */

int shim_search(shim_mset **out, shim_db *h, const shim_query *q,
		unsigned offset, unsigned count, const shim_search_opts *o)
{
	return shim_search_accept(out, h, q, offset, count, o, NULL, NULL);
}

/* Calls the C check for each candidate.  An error of the check is kept and
 * every later candidate dropped, rather than thrown through get_mset:
 * Xapian 1.4.22 leaks its weighting object when get_mset throws.  With
 * keep false it keeps no candidate whatever the check says, so the
 * matcher, never filling its MSet, visits every matching document
 * (shim_match_each). */
class AcceptDecider : public Xapian::MatchDecider {
    public:
	AcceptDecider(shim_accept_fn fn, void *payload, bool keep = true)
		: fn_(fn), payload_(payload), keep_(keep)
	{
	}
	bool operator()(const Xapian::Document &doc) const override
	{
		if (rc_)
			return false;
		shim_docview v(doc);
		int r = fn_(&v, payload_);
		if (r < 0)
			rc_ = r;
		return keep_ && r > 0;
	}
	int rc() const { return rc_; }

    private:
	shim_accept_fn fn_;
	void *payload_;
	bool keep_;
	mutable int rc_ = 0;
};

int shim_search_accept(shim_mset **out, shim_db *h, const shim_query *q,
		       unsigned offset, unsigned count,
		       const shim_search_opts *o, shim_accept_fn accept,
		       void *payload)
{
	*out = NULL;
	shim_mset *m = NULL;
	try {
		Xapian::Enquire enq(*h->db);
		enq.set_query(q->q);
		enq.set_weighting_scheme(
			Xapian::BM25Weight(o->bm25_k1, 0, 1, o->bm25_b, 0.5));
		if (o->collapse_slot >= 0)
			enq.set_collapse_key((Xapian::valueno)o->collapse_slot,
					     o->collapse_max);
		if (o->sort_slot >= 0)
			enq.set_sort_by_value_then_relevance(
				(Xapian::valueno)o->sort_slot,
				o->sort_reverse != 0);
		if (o->time_limit_ms)
			enq.set_time_limit(o->time_limit_ms / 1000.0);
		m = new shim_mset;
		if (accept) {
			AcceptDecider d(accept, payload);
			m->mset = enq.get_mset(offset, count, 0, NULL, &d);
			if (d.rc()) {
				delete m;
				return d.rc(); /* the check set the message */
			}
		} else {
			m->mset = enq.get_mset(offset, count);
		}
		*out = m;
		return 0;
	} catch (...) {
		delete m;
		return shim_error();
	}
}

int shim_match_each(shim_db *h, const shim_query *q, shim_accept_fn fn,
		    void *payload)
{
	try {
		Xapian::Enquire enq(*h->db);
		enq.set_query(q->q);
		enq.set_weighting_scheme(Xapian::BoolWeight());
		enq.set_docid_order(Xapian::Enquire::ASCENDING);
		Xapian::doccount n = h->db->get_doccount();
		AcceptDecider d(fn, payload, false);
		(void)enq.get_mset(0, n ? n : 1, 0, NULL, &d);
		return d.rc(); /* the function set the message */
	} catch (...) {
		return shim_error();
	}
}

/* The leads are merged by docid through a heap; the other terms are only
 * moved forward (skip_to) to each document the leads produce, since a term
 * that cannot make a document match is asked about the documents that do
 * and never enumerated.  Postings and the value stream are those of the
 * combined database, so docids are the combined ones throughout. */
int shim_postings_each(shim_db *h, const char *const *terms, size_t n,
		       const unsigned char *lead, unsigned slot,
		       shim_postings_fn fn, void *payload)
{
	try {
		Xapian::Database &db = *h->db;
		std::vector<Xapian::PostingIterator> it(n);
		std::vector<Xapian::docid> cur(n, 0); /* 0: no more postings */
		std::vector<unsigned char> present(n, 0);
		std::vector<uint32_t> wdf(n, 0);
		std::vector<size_t> others, at;
		typedef std::pair<Xapian::docid, size_t> entry;
		std::priority_queue<entry, std::vector<entry>, std::greater<entry>> heap;
		for (size_t i = 0; i < n; i++) {
			std::string t(terms[i]);
			if (t.empty())
				continue; /* "" would be every document */
			it[i] = db.postlist_begin(t);
			if (it[i] != db.postlist_end(t))
				cur[i] = *it[i];
			if (!lead[i])
				others.push_back(i);
			else if (cur[i])
				heap.push(entry(cur[i], i));
		}
		Xapian::ValueIterator v = db.valuestream_begin(slot);
		std::string value;
		while (!heap.empty()) {
			Xapian::docid did = heap.top().first;
			at.clear();
			while (!heap.empty() && heap.top().first == did) {
				size_t i = heap.top().second;
				heap.pop();
				at.push_back(i);
				present[i] = 1;
				wdf[i] = it[i].get_wdf();
			}
			for (size_t i : others) {
				if (cur[i] && cur[i] < did) {
					it[i].skip_to(did);
					cur[i] = it[i] == Xapian::PostingIterator() ? 0 : *it[i];
				}
				present[i] = cur[i] == did;
				wdf[i] = present[i] ? it[i].get_wdf() : 0;
			}
			value.clear();
			if (v != Xapian::ValueIterator() && v.get_docid() < did)
				v.skip_to(did);
			if (v != Xapian::ValueIterator() && v.get_docid() == did)
				value = *v;
			int rc = fn(did, value.data(), value.size(), present.data(),
				    wdf.data(), payload);
			if (rc)
				return rc; /* fn set the message */
			for (size_t i : at) {
				present[i] = 0;
				wdf[i] = 0;
				++it[i];
				cur[i] = it[i] == Xapian::PostingIterator() ? 0 : *it[i];
				if (cur[i])
					heap.push(entry(cur[i], i));
			}
		}
		return 0;
	} catch (...) {
		return shim_error();
	}
}

void shim_mset_free(shim_mset *m)
{
	delete m;
}

size_t shim_mset_size(const shim_mset *m)
{
	return m->mset.size();
}

uint64_t shim_mset_estimated(const shim_mset *m)
{
	return m->mset.get_matches_estimated();
}

unsigned shim_mset_docid(const shim_mset *m, size_t i)
{
	return *(m->mset[(Xapian::doccount)i]);
}

double shim_mset_weight(const shim_mset *m, size_t i)
{
	return m->mset[(Xapian::doccount)i].get_weight();
}

} /* extern "C" */
