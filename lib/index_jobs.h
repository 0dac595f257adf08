/*
 * index_jobs.h — writer threads for an index's shards.  The thread that
 * reads the input queues each document for the thread that owns its
 * shard; each thread analyzes and writes its documents in the order they
 * were queued and commits its own shards when asked.  Used by
 * dicta_index_add_path() (index_path.c) when opts->jobs > 1.
 */
#ifndef DICTA_INDEX_JOBS_H
#define DICTA_INDEX_JOBS_H

#include <stdint.h>

#include "dicta.h"

typedef struct index_jobs index_jobs;

/* Called from a writer thread, with the jobs' lock held (so never twice at
 * once), when a document is done: rc is index_shard_put's result (its
 * message is dicta_error_last() in this thread), change the DICTA_CHANGE_*
 * and passages the number of passages written. */
typedef void (*index_jobs_done)(const dicta_document *doc, int rc, int change,
				uint64_t passages, void *payload);

/* Start min(n, shards) threads on idx. */
int index_jobs_start(index_jobs **out, dicta_index *idx, unsigned n,
		     index_jobs_done done, void *payload);

/* Queue a copy of doc for its shard's thread; waits while that thread is
 * far behind.  A thread's failure (other than DICTA_EINVAL, which only
 * refuses the one document) is returned here, with its message, and no
 * more documents are taken. */
int index_jobs_put(index_jobs *j, const dicta_document *doc);

/* Wait until every queued document is written, then have each thread
 * commit its shards; returns the first failure. */
int index_jobs_commit(index_jobs *j);

/* Wait for the queued documents, stop and join the threads, free j.
 * Returns the first failure of the whole run (0 if none). */
int index_jobs_finish(index_jobs *j);

/* The jobs' lock, for reading what index_jobs_done writes. */
void index_jobs_lock(index_jobs *j);
void index_jobs_unlock(index_jobs *j);

#endif
