/*
 * document.c — reading stored documents back: the record lookup shared by
 * search and fetch, dicta_document_get(), passage ranges, reopening a
 * reader and dicta_index_stats_get().  The record of document id sits in
 * the data of the one passage indexed by the term R<id> (store.h), so a
 * remote Xapian shard serves it like a local one.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "index_internal.h"

static int load(shim_db *db, const char *id, store_record *r, size_t upto);

int document_load(dicta_index *idx, const char *id, store_record *r,
		  int want_text)
{
	return load(idx->db, id, r, want_text ? SIZE_MAX : 0);
}

int document_load_upto(dicta_index *idx, const char *id, store_record *r,
		       size_t upto)
{
	return load(idx->db, id, r, upto);
}

int document_load_from(shim_db *db, const char *id, store_record *r,
		       int want_text)
{
	return load(db, id, r, want_text ? SIZE_MAX : 0);
}

static int load(shim_db *db, const char *id, store_record *r, size_t upto)
{
	char term[STORE_MAX_TERM + 1];
	size_t tl = store_id_term(term, PREFIX_RECORD, id);
	unsigned docid;
	size_t n;
	int rc = shim_db_postings(db, term, tl, &docid, 1, &n);
	if (rc)
		return rc;
	if (n == 0)
		return error_set(DICTA_ENOTFOUND, "no document with id \"%s\"", id);
	char *data;
	size_t len;
	if ((rc = shim_db_get_data(db, docid, &data, &len)) != 0)
		return rc;
	rc = store_record_decode_upto(data, len, r, upto);
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
	h->meta_json = dup_or_empty(r->meta_json, &failed);
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
	free((char *)h->meta_json);
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

int dicta_document_passages(size_t *out, dicta_index *idx, const char *id)
{
	*out = 0;
	if (!id || !*id)
		return error_set(DICTA_EINVAL, "no document id given");
	store_record r;
	int rc = document_load(idx, id, &r, 0);
	if (rc == DICTA_EMODIFIED && (rc = index_reopen(idx)) == 0)
		rc = document_load(idx, id, &r, 0);
	if (rc)
		return rc;
	*out = r.npassages;
	store_record_clear(&r);
	return 0;
}

/* The Xapian document of passage n among the passages of a document, in
 * docids[0, count).  A document's passages are added in one batch, passage
 * 0 last (it carries the record), so passage n >= 1 is usually docids[n-1]
 * and passage 0 the last one; anything else is found by reading them all. */
static int find_passage(unsigned *out, dicta_index *idx, const unsigned *docids,
			size_t count, size_t n)
{
	size_t guess = n ? n - 1 : count - 1;
	for (size_t k = 0; k <= count; k++) {
		size_t i = k == 0 ? guess : k - 1;
		if (k > 0 && i == guess)
			continue;
		char *v;
		size_t vl;
		int rc = shim_db_get_value(idx->db, docids[i], SLOT_ORDINAL, &v, &vl);
		if (rc)
			return rc;
		uint32_t ord = vl == 4 ? store_get_u32(v) : UINT32_MAX;
		free(v);
		if (ord == n) {
			*out = docids[i];
			return 0;
		}
	}
	return error_set(DICTA_ECORRUPT, "passage %zu is missing", n);
}

static int passage_range(dicta_span *out, dicta_index *idx, const char *id,
			 size_t n)
{
	store_record r;
	int rc = document_load(idx, id, &r, 0);
	if (rc)
		return rc;
	size_t count = r.npassages;
	store_record_clear(&r);
	if (n >= count)
		return error_set(DICTA_ENOTFOUND,
				 "document \"%s\" has no passage %zu (it has %zu, "
				 "numbered from 0)",
				 id, n, count);
	unsigned *docids = malloc(count * sizeof *docids);
	if (!docids)
		return error_set(DICTA_ENOMEM, "out of memory");
	char term[STORE_MAX_TERM + 1];
	size_t tl = store_id_term(term, PREFIX_ID, id), got;
	unsigned docid = 0;
	rc = shim_db_postings(idx->db, term, tl, docids, count, &got);
	if (rc == 0 && got != count)
		rc = error_set(DICTA_ECORRUPT,
			       "document \"%s\" has %zu passages, its record says %zu",
			       id, got, count);
	if (rc == 0)
		rc = find_passage(&docid, idx, docids, count, n);
	free(docids);
	char *v;
	size_t vl;
	if (rc == 0 && (rc = shim_db_get_value(idx->db, docid, SLOT_RANGE, &v, &vl)) == 0) {
		if (vl == 16) {
			out->start = store_get_u32(v);
			out->end = store_get_u32(v + 4);
		} else {
			rc = error_set(DICTA_ECORRUPT, "passage %u has no byte range",
				       docid);
		}
		free(v);
	}
	return rc;
}

int dicta_document_passage(dicta_span *out, dicta_index *idx, const char *id,
			   size_t n)
{
	memset(out, 0, sizeof *out);
	if (!id || !*id)
		return error_set(DICTA_EINVAL, "no document id given");
	int rc = passage_range(out, idx, id, n);
	if (rc == DICTA_EMODIFIED && (rc = index_reopen(idx)) == 0)
		rc = passage_range(out, idx, id, n);
	return rc;
}

int dicta_index_reopen(dicta_index *idx)
{
	return idx->writable ? 0 : index_reopen(idx);
}

/* The bytes of the files in the index directory and its shards'
 * directories (one level down: glass keeps each database flat). */
static uint64_t dir_bytes(const char *path, int depth)
{
	DIR *d = opendir(path);
	if (!d)
		return 0;
	uint64_t total = 0;
	struct dirent *e;
	struct stat st;
	while ((e = readdir(d)) != NULL) {
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISREG(st.st_mode))
			total += (uint64_t)st.st_size;
		else if (S_ISDIR(st.st_mode) && depth > 0 && e->d_name[0] != '.') {
			char sub[4096];
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			total += dir_bytes(sub, depth - 1);
		}
	}
	closedir(d);
	return total;
}

/* The time of the latest commit of any shard (ISO 8601 sorts). */
static int latest_commit(dicta_index *idx, char **out, size_t *len_out)
{
	*out = NULL;
	*len_out = 0;
	for (size_t k = 0; k < idx->nshards; k++) {
		char *v;
		size_t vl;
		int rc = shim_db_get_metadata(idx->shards[k].db, META_COMMIT, &v, &vl);
		if (rc) {
			free(*out);
			*out = NULL;
			return rc;
		}
		if (v && (!*out || strcmp(v, *out) > 0)) {
			free(*out);
			*out = v;
			*len_out = vl;
		} else {
			free(v);
		}
	}
	return 0;
}

int dicta_index_stats_get(dicta_index_stats *out, dicta_index *idx)
{
	memset(out, 0, sizeof *out);
	out->documents = idx->documents;
	int rc = shim_db_doccount(idx->db, &out->passages);
	if (rc == 0)
		rc = shim_db_count_terms(idx->db, PREFIX_STEM, &out->terms);
	char *commit = NULL;
	size_t len = 0;
	if (rc == 0)
		rc = latest_commit(idx, &commit, &len);
	if (rc == 0 && commit && len < sizeof out->last_commit)
		memcpy(out->last_commit, commit, len);
	free(commit);
	out->disk_bytes = dir_bytes(idx->path, 1);
	return rc;
}
