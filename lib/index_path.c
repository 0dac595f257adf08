/*
 * index_path.c — dicta_index_add_path(): the glue between the ingest walk
 * (ingest.h) and the writer (index.c).  It counts what was read, added and
 * skipped, reports progress, and commits every opts->commit_every
 * documents so that a crash loses at most the open batch.
 */
#include <string.h>

#include "error.h"
#include "index_internal.h"
#include "ingest.h"

typedef struct {
	dicta_index *idx;
	const dicta_ingest_options *opts;
	dicta_ingest_stats *stats;
	uint64_t since_commit;
	uint64_t files_bytes; /* bytes of the files finished */
	uint64_t passages_base;   /* stats->passages at the start */
	uint64_t added_base;      /* the writer's passage count at the start */
	int rc; /* a fatal error from the writer */
} walk_state;

static void progress(walk_state *w)
{
	if (w->opts && w->opts->on_progress)
		w->opts->on_progress(w->stats, w->opts->payload);
}

static int on_doc(const ingest_doc *d, void *payload)
{
	walk_state *w = payload;
	dicta_document doc = {
		.version = DICTA_DOCUMENT_VERSION,
		.id = d->id, .title = d->title, .date = d->date,
		.type = d->type, .court = d->court, .citation = d->citation,
		.lang = d->lang, .source = d->source, .meta_json = d->meta_json,
		.text = d->text, .text_len = d->text_len,
	};
	int rc = dicta_index_add(w->idx, &doc);
	if (rc == DICTA_EINVAL) {
		/* A document the writer refuses (an unknown language): skip
		 * it like any other bad input. */
		if (w->opts && w->opts->on_skip)
			w->opts->on_skip(d->source, 0, dicta_error_last(),
					 w->opts->payload);
		w->stats->skipped++;
		return 0;
	}
	if (rc) {
		w->rc = rc;
		return 1;
	}
	w->stats->documents++;
	w->stats->text_bytes += d->text_len;
	w->stats->passages = w->passages_base + w->idx->passages_added - w->added_base;
	if (d->offset)
		w->stats->bytes = w->files_bytes + d->offset;
	if (w->opts && w->opts->commit_every &&
	    ++w->since_commit >= w->opts->commit_every) {
		if ((rc = dicta_index_commit(w->idx)) != 0) {
			w->rc = rc;
			return 1;
		}
		w->since_commit = 0;
	}
	if ((w->stats->documents & 255) == 0)
		progress(w);
	return 0;
}

static void on_skip(const char *path, long line, const char *reason,
		    void *payload)
{
	walk_state *w = payload;
	w->stats->skipped++;
	if (w->opts && w->opts->on_skip)
		w->opts->on_skip(path, line, reason, w->opts->payload);
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
	return 0;
}

int dicta_index_add_path(dicta_index *idx, const char *path,
			 const dicta_ingest_options *opts,
			 dicta_ingest_stats *stats)
{
	if (!idx->writable)
		return error_set(DICTA_EINVAL, "index opened read-only");
	walk_state w = {idx, opts, stats, 0, stats->bytes, stats->passages,
			idx->passages_added, 0};
	stats->total_bytes += ingest_total_bytes(path);
	ingest_callbacks cb = {on_doc, on_skip, on_file, &w};
	int rc = ingest_path(path, &cb);
	if (w.rc)
		return w.rc;
	stats->passages = w.passages_base + idx->passages_added - w.added_base;
	if (rc < 0)
		return DICTA_ENOTFOUND; /* the message was set by ingest_path */
	progress(&w);
	return 0;
}
