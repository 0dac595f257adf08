/*
 * document.c — reading stored documents back: the record lookup shared by
 * search and fetch, dicta_document_get() and dicta_index_stats_get().  The
 * record of document id sits in the data of the one passage indexed by the
 * term R<id> (store.h), so a remote Xapian shard serves it like a local one.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "index_internal.h"

int document_load(dicta_index *idx, const char *id, store_record *r,
		  int want_text)
{
	char term[STORE_MAX_TERM + 1];
	size_t tl = store_id_term(term, PREFIX_RECORD, id);
	unsigned docid;
	size_t n;
	int rc = shim_db_postings(idx->db, term, tl, &docid, 1, &n);
	if (rc)
		return rc;
	if (n == 0)
		return error_set(DICTA_ENOTFOUND, "no document with id \"%s\"", id);
	char *data;
	size_t len;
	if ((rc = shim_db_get_data(idx->db, docid, &data, &len)) != 0)
		return rc;
	rc = store_record_decode(data, len, r, want_text);
	free(data);
	if (rc == 0 && strcmp(r->id, id) != 0) {
		store_record_clear(r);
		return error_set(DICTA_ECORRUPT,
				 "record of \"%s\" names another document", id);
	}
	return rc;
}

static const char *dup_or_empty(const char *s, int *failed)
{
	char *d = strdup(s ? s : "");
	if (!d)
		*failed = 1;
	return d;
}

int hit_fill(dicta_hit *h, const store_record *r)
{
	int failed = 0;
	memset(h, 0, sizeof *h);
	h->id = dup_or_empty(r->id, &failed);
	h->title = dup_or_empty(r->title, &failed);
	h->date = dup_or_empty(r->date, &failed);
	h->type = dup_or_empty(r->type, &failed);
	h->court = dup_or_empty(r->court, &failed);
	h->citation = dup_or_empty(r->citation, &failed);
	h->lang = dup_or_empty(r->lang, &failed);
	h->source = dup_or_empty(r->source, &failed);
	return failed ? error_set(DICTA_ENOMEM, "out of memory") : 0;
}

void hit_clear(dicta_hit *h)
{
	free((char *)h->id);
	free((char *)h->title);
	free((char *)h->date);
	free((char *)h->type);
	free((char *)h->court);
	free((char *)h->citation);
	free((char *)h->lang);
	free((char *)h->source);
	for (size_t i = 0; i < h->npassages; i++) {
		free((char *)h->passages[i].text);
		free((dicta_span *)h->passages[i].highlights);
	}
	free((dicta_passage *)h->passages);
	memset(h, 0, sizeof *h);
}

/* A fetched document: the hit the caller sees, and the text it owns, which
 * dicta_document_free() releases with it. */
typedef struct {
	dicta_hit hit; /* first, so a dicta_hit * is the wrapper */
	char *text;
} stored_doc;

int dicta_document_get(dicta_hit **out, const char **text_out,
		       size_t *text_len_out, dicta_index *idx, const char *id)
{
	*out = NULL;
	if (!id || !*id)
		return error_set(DICTA_EINVAL, "no document id given");
	store_record r;
	int rc = document_load(idx, id, &r, 1);
	if (rc == DICTA_EMODIFIED && (rc = index_reopen(idx)) == 0)
		rc = document_load(idx, id, &r, 1);
	if (rc)
		return rc;
	stored_doc *d = calloc(1, sizeof *d);
	if (!d || hit_fill(&d->hit, &r) != 0) {
		if (d)
			hit_clear(&d->hit);
		free(d);
		store_record_clear(&r);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	d->text = r.text;
	r.text = NULL;
	if (text_out)
		*text_out = d->text;
	if (text_len_out)
		*text_len_out = r.text_len;
	store_record_clear(&r);
	*out = &d->hit;
	return 0;
}

void dicta_document_free(dicta_hit *doc)
{
	if (!doc)
		return;
	stored_doc *d = (stored_doc *)doc;
	hit_clear(&d->hit);
	free(d->text);
	free(d);
}

int dicta_index_stats_get(dicta_index_stats *out, dicta_index *idx)
{
	memset(out, 0, sizeof *out);
	out->documents = idx->documents;
	int rc = shim_db_doccount(idx->db, &out->passages);
	if (rc == 0)
		rc = shim_db_count_terms(idx->db, PREFIX_STEM, &out->terms);
	return rc;
}
