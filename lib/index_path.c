/*
 * index_path.c — dicta_index_add_path(): the glue between the ingest walk
 * (ingest.h) and the writer (index.c).  It counts what was read, added,
 * replaced, left unchanged, pruned and skipped; reports progress; refuses
 * an id met twice in one walk; commits every opts->commit_every documents
 * or opts->commit_seconds seconds, so a crash loses at most the open batch;
 * and with opts->prune deletes documents whose source is gone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "index_internal.h"
#include "ingest.h"
#include "strset.h"

typedef struct {
	dicta_index *idx;
	const dicta_ingest_options *opts;
	dicta_ingest_stats *stats;
	uint64_t since_commit;
	double last_commit;
	uint64_t files_bytes;   /* bytes of the files finished */
	uint64_t passages_base; /* stats->passages at the start */
	uint64_t added_base;    /* the writer's passage count at the start */
	strset *seen;           /* ids met in this walk */
	strset *bad_files;      /* files with a skip in this walk */
	int strict_hit;         /* opts->strict and something was skipped */
	int rc;                 /* a fatal error from the writer */
} walk_state;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(walk_state *w)
{
	if (w->opts && w->opts->on_progress)
		w->opts->on_progress(w->stats, w->opts->payload);
}

/* The file part of a source "path" or "path:line". */
static size_t source_file_len(const char *source)
{
	const char *colon = strrchr(source, ':');
	if (colon && colon[1] >= '0' && colon[1] <= '9' &&
	    strspn(colon + 1, "0123456789") == strlen(colon + 1))
		return (size_t)(colon - source);
	return strlen(source);
}

static void skip(walk_state *w, const char *path, long line, const char *reason)
{
	w->stats->skipped++;
	if (w->bad_files && strset_add(w->bad_files, path, source_file_len(path), NULL) < 0)
		w->rc = error_set(DICTA_ENOMEM, "out of memory");
	if (w->opts && w->opts->on_skip)
		w->opts->on_skip(path, line, reason, w->opts->payload);
	if (w->opts && w->opts->strict)
		w->strict_hit = 1;
}

static int maybe_commit(walk_state *w)
{
	const dicta_ingest_options *o = w->opts;
	if (!o || !w->idx->in_txn)
		return 0;
	int due = (o->commit_every && w->since_commit >= o->commit_every) ||
		  (o->commit_seconds && now() - w->last_commit >= o->commit_seconds);
	if (!due)
		return 0;
	int rc = dicta_index_commit(w->idx);
	w->since_commit = 0;
	w->last_commit = now();
	return rc;
}

static int on_doc(const ingest_doc *d, void *payload)
{
	walk_state *w = payload;
	if (w->strict_hit)
		return 1;
	const char *first_source = NULL;
	int fresh = strset_add(w->seen, d->id, strlen(d->id), &first_source);
	if (fresh < 0) {
		w->rc = error_set(DICTA_ENOMEM, "out of memory");
		return 1;
	}
	if (fresh == 0) {
		char reason[512];
		snprintf(reason, sizeof reason,
			 "duplicate id \"%.300s\" (already read in this run)", d->id);
		const char *colon = strrchr(d->source, ':');
		long line = colon && d->source[source_file_len(d->source)] ? atol(colon + 1) : 0;
		char file[4096];
		snprintf(file, sizeof file, "%.*s", (int)source_file_len(d->source), d->source);
		skip(w, file, line, reason);
		return w->strict_hit;
	}
	dicta_document doc = {
		.version = DICTA_DOCUMENT_VERSION,
		.id = d->id, .title = d->title, .date = d->date,
		.type = d->type, .court = d->court, .citation = d->citation,
		.lang = d->lang, .source = d->source, .meta_json = d->meta_json,
		.text = d->text, .text_len = d->text_len,
	};
	int change = 0;
	int rc = dicta_index_put(&change, w->idx, &doc);
	if (rc == DICTA_EINVAL) {
		/* A document the writer refuses (an unknown language): skip
		 * it like any other bad input. */
		skip(w, d->source, 0, dicta_error_last());
		return w->strict_hit;
	}
	if (rc) {
		w->rc = rc;
		return 1;
	}
	w->stats->documents++;
	w->stats->text_bytes += d->text_len;
	w->stats->added += change == DICTA_CHANGE_ADDED;
	w->stats->replaced += change == DICTA_CHANGE_REPLACED;
	w->stats->unchanged += change == DICTA_CHANGE_UNCHANGED;
	w->stats->passages = w->passages_base + w->idx->passages_added - w->added_base;
	if (d->offset)
		w->stats->bytes = w->files_bytes + d->offset;
	if (change != DICTA_CHANGE_UNCHANGED)
		w->since_commit++;
	if ((rc = maybe_commit(w)) != 0) {
		w->rc = rc;
		return 1;
	}
	if ((w->stats->documents & 255) == 0)
		progress(w);
	return 0;
}

static void on_skip(const char *path, long line, const char *reason,
		    void *payload)
{
	skip(payload, path, line, reason);
}

static void on_file(const char *path, uint64_t bytes, void *payload)
{
	(void)path;
	walk_state *w = payload;
	w->stats->files++;
	w->files_bytes += bytes;
	w->stats->bytes = w->files_bytes;
	progress(w);
}

int dicta_ingest_options_init(dicta_ingest_options *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->version = DICTA_INGEST_OPTIONS_VERSION;
	opts->commit_every = 10000;
	opts->commit_seconds = 60;
	return 0;
}

/* ---------------------------------------------------------------- prune */

typedef struct {
	walk_state *w;
	const char *root; /* the walked path, without a trailing '/' */
	size_t rootlen;
	char **gone;      /* ids to delete */
	size_t n, cap;
	int rc;
} prune_state;

/* Is source (a "file" or "file:line") under the walked root? */
static int under_root(const prune_state *p, const char *source)
{
	if (strncmp(source, p->root, p->rootlen) != 0)
		return 0;
	char c = source[p->rootlen];
	return c == '\0' || c == '/' || c == ':';
}

static int on_record(const char *term, size_t len, void *payload)
{
	prune_state *p = payload;
	unsigned docid;
	size_t n;
	char *data;
	size_t dl;
	dicta_index *idx = p->w->idx;
	p->rc = shim_db_postings(idx->db, term, len, &docid, 1, &n);
	if (p->rc == 0 && n == 1)
		p->rc = shim_db_get_data(idx->db, docid, &data, &dl);
	if (p->rc || n != 1)
		return p->rc != 0;
	store_record r;
	p->rc = store_record_decode(data, dl, &r, 0);
	free(data);
	if (p->rc)
		return 1;
	int keep = !r.source || !under_root(p, r.source);
	/* Seen in this walk, or its file had bad input: keep it. */
	if (!keep)
		keep = strset_has(p->w->seen, r.id, strlen(r.id)) ||
		       strset_has(p->w->bad_files, r.source, source_file_len(r.source));
	if (!keep) {
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 64;
			char **g = realloc(p->gone, cap * sizeof *g);
			if (!g) {
				store_record_clear(&r);
				p->rc = error_set(DICTA_ENOMEM, "out of memory");
				return 1;
			}
			p->gone = g;
			p->cap = cap;
		}
		p->gone[p->n++] = r.id;
		r.id = NULL;
	}
	store_record_clear(&r);
	return 0;
}

/* Delete the documents from under path that this walk did not meet. */
static int prune(walk_state *w, const char *path)
{
	prune_state p = {w, path, strlen(path), NULL, 0, 0, 0};
	while (p.rootlen > 1 && path[p.rootlen - 1] == '/')
		p.rootlen--;
	int rc = shim_db_allterms(w->idx->db, PREFIX_RECORD, on_record, &p);
	if (rc == 0)
		rc = p.rc;
	for (size_t i = 0; i < p.n; i++) {
		if (rc == 0) {
			rc = dicta_index_delete(w->idx, p.gone[i]);
			w->stats->deleted += rc == 0;
		}
		free(p.gone[i]);
	}
	free(p.gone);
	return rc;
}

int dicta_index_add_path(dicta_index *idx, const char *path,
			 const dicta_ingest_options *opts,
			 dicta_ingest_stats *stats)
{
	if (!idx->writable)
		return error_set(DICTA_EINVAL, "index opened read-only");
	walk_state w = {idx, opts, stats, 0, now(), stats->bytes, stats->passages,
			idx->passages_added, strset_new(), strset_new(), 0, 0};
	int rc = 0;
	if (!w.seen || !w.bad_files) {
		rc = error_set(DICTA_ENOMEM, "out of memory");
		goto out;
	}
	stats->total_bytes += ingest_total_bytes(path);
	ingest_callbacks cb = {on_doc, on_skip, on_file, &w};
	int walked = ingest_path(path, &cb);
	stats->passages = w.passages_base + idx->passages_added - w.added_base;
	if (w.rc) {
		rc = w.rc;
		goto out;
	}
	if (w.strict_hit) {
		rc = error_set(DICTA_EINVAL, "stopped at the first bad input (strict)");
		goto out;
	}
	if (walked < 0) {
		rc = DICTA_ENOTFOUND; /* the message was set by ingest_path */
		goto out;
	}
	if (opts && opts->prune)
		rc = prune(&w, path);
	progress(&w);
out:
	strset_free(w.seen);
	strset_free(w.bad_files);
	return rc;
}
