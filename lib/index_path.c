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
#include "index_jobs.h"
#include "ingest.h"
#include "strset.h"

typedef struct {
	dicta_index *idx;
	const dicta_ingest_options *opts;
	dicta_ingest_stats *stats;
	uint64_t since_commit;
	double last_commit;
	uint64_t files_bytes;   /* bytes of the files finished */
	strset *seen;           /* ids met in this walk */
	strset *bad_files;      /* files with a skip in this walk */
	int strict_hit;         /* opts->strict and something was skipped */
	int rc;                 /* a fatal error from the writer */
	index_jobs *jobs;       /* writer threads, or NULL: write here */
	uint64_t queued;        /* documents given to jobs since the commit */
	uint64_t read;          /* documents read in this walk */
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

/* The stats and callbacks are shared with the writer threads, if any. */
static void lock(walk_state *w)
{
	if (w->jobs)
		index_jobs_lock(w->jobs);
}

static void unlock(walk_state *w)
{
	if (w->jobs)
		index_jobs_unlock(w->jobs);
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

/* With jobs, since_commit is written by the writer threads (the done
 * callback, under the jobs' lock) and read here under it. */
static int maybe_commit(walk_state *w)
{
	const dicta_ingest_options *o = w->opts;
	if (!o)
		return 0;
	lock(w);
	int open = w->jobs ? w->queued > 0 : index_in_txn(w->idx);
	int due = open &&
		  ((o->commit_every && w->since_commit >= o->commit_every) ||
		   (o->commit_seconds && now() - w->last_commit >= o->commit_seconds));
	if (due)
		w->since_commit = 0;
	unlock(w);
	if (!due)
		return 0;
	int rc = w->jobs ? index_jobs_commit(w->jobs) : dicta_index_commit(w->idx);
	w->queued = 0;
	w->last_commit = now();
	return rc;
}

/* A document is written (or refused): count it.  Called by the writer
 * here, or by a writer thread under the jobs' lock. */
static void count_done(walk_state *w, const dicta_document *d, int change,
		       uint64_t passages)
{
	w->stats->documents++;
	w->stats->text_bytes += d->text_len;
	w->stats->added += change == DICTA_CHANGE_ADDED;
	w->stats->replaced += change == DICTA_CHANGE_REPLACED;
	w->stats->unchanged += change == DICTA_CHANGE_UNCHANGED;
	w->stats->passages += passages;
	if (change != DICTA_CHANGE_UNCHANGED)
		w->since_commit++;
}

static void on_job_done(const dicta_document *d, int rc, int change,
			uint64_t passages, void *payload)
{
	walk_state *w = payload;
	if (rc == DICTA_EINVAL)
		skip(w, d->source, 0, dicta_error_last());
	else
		count_done(w, d, change, passages);
}

static int on_doc(const ingest_doc *d, void *payload)
{
	walk_state *w = payload;
	lock(w);
	int stop = w->strict_hit;
	unlock(w);
	if (stop)
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
		lock(w);
		skip(w, file, line, reason);
		stop = w->strict_hit;
		unlock(w);
		return stop;
	}
	dicta_document doc = {
		.version = DICTA_DOCUMENT_VERSION,
		.id = d->id, .title = d->title, .date = d->date,
		.type = d->type, .court = d->court, .citation = d->citation,
		.lang = d->lang, .source = d->source, .meta_json = d->meta_json,
		.text = d->text, .text_len = d->text_len,
	};
	int rc;
	if (w->jobs) {
		if ((rc = index_jobs_put(w->jobs, &doc)) != 0) {
			w->rc = rc;
			return 1;
		}
		w->queued++;
	} else {
		int change = 0;
		uint64_t before = index_passages_added(w->idx);
		rc = dicta_index_put(&change, w->idx, &doc);
		if (rc == DICTA_EINVAL) {
			/* A document the writer refuses (an unknown
			 * language): skip it like any other bad input. */
			skip(w, d->source, 0, dicta_error_last());
			return w->strict_hit;
		}
		if (rc) {
			w->rc = rc;
			return 1;
		}
		count_done(w, &doc, change, index_passages_added(w->idx) - before);
	}
	if ((rc = maybe_commit(w)) != 0) {
		w->rc = rc;
		return 1;
	}
	lock(w);
	if (d->offset)
		w->stats->bytes = w->files_bytes + d->offset;
	if ((++w->read & 255) == 0)
		progress(w);
	stop = w->strict_hit;
	unlock(w);
	return stop;
}

static void on_skip(const char *path, long line, const char *reason,
		    void *payload)
{
	lock(payload);
	skip(payload, path, line, reason);
	unlock(payload);
}

static void on_file(const char *path, uint64_t bytes, void *payload)
{
	(void)path;
	walk_state *w = payload;
	lock(w);
	w->stats->files++;
	w->files_bytes += bytes;
	w->stats->bytes = w->files_bytes;
	progress(w);
	unlock(w);
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
	walk_state w = {.idx = idx, .opts = opts, .stats = stats,
			.last_commit = now(), .files_bytes = stats->bytes,
			.seen = strset_new(), .bad_files = strset_new()};
	int rc = 0;
	if (!w.seen || !w.bad_files) {
		rc = error_set(DICTA_ENOMEM, "out of memory");
		goto out;
	}
	unsigned jobs = opts && opts->version >= 2 ? opts->jobs : 0;
	if (jobs > 1 && idx->nshards > 1 &&
	    (rc = index_jobs_start(&w.jobs, idx, jobs, on_job_done, &w)) != 0)
		goto out;
	stats->total_bytes += ingest_total_bytes(path);
	ingest_callbacks cb = {on_doc, on_skip, on_file, &w};
	int walked = ingest_path(path, &cb);
	if (w.jobs) {
		/* The threads' last documents stay in the open batch, for the
		 * caller's commit, as without threads. */
		int jrc = index_jobs_finish(w.jobs);
		w.jobs = NULL;
		if (jrc && !w.rc)
			w.rc = jrc;
		if (w.rc)
			w.rc = index_abort(idx, w.rc);
		index_count(idx);
	}
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
