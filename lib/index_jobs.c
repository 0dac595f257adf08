/*
 * index_jobs.c — writer threads for an index's shards (index_jobs.h).
 *
 * Thread t owns the shards k with k % nthreads == t, so no two threads
 * ever touch one shard, and a shard receives its documents in the order
 * they were read: the index is the same whatever the number of threads.
 * One mutex guards the queues and the callbacks; the analysis and the
 * Xapian writes, where the time goes, run outside it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "index_internal.h"
#include "index_jobs.h"

#define QUEUE_CAP 64 /* documents waiting per thread */

typedef struct {
	dicta_document doc; /* strings in the same allocation */
	size_t shard;
} job;

typedef struct {
	index_jobs *j;
	pthread_t tid;
	int started;
	job *q[QUEUE_CAP];
	size_t head, count;
	int busy;           /* writing a document or committing */
	int commit_pending; /* asked to commit once its queue is empty */
	pthread_cond_t wake;
} worker;

struct index_jobs {
	dicta_index *idx;
	pthread_mutex_t mu;
	pthread_cond_t progress; /* a queue shrank, a commit ended */
	worker *w;
	size_t nw;
	int stop;
	int rc;             /* first failure */
	char msg[1024];     /* its message */
	int commit_rc;
	index_jobs_done done;
	void *payload;
};

static job *job_copy(const dicta_document *d, size_t shard)
{
	const char *s[] = {d->id, d->title, d->date, d->type, d->court,
			   d->citation, d->lang, d->source, d->meta_json};
	size_t n = sizeof s / sizeof *s, total = sizeof(job) + d->text_len + 1;
	for (size_t i = 0; i < n; i++)
		total += s[i] ? strlen(s[i]) + 1 : 0;
	job *jb = malloc(total);
	if (!jb)
		return NULL;
	char *p = (char *)(jb + 1);
	const char *c[sizeof s / sizeof *s];
	for (size_t i = 0; i < n; i++) {
		c[i] = NULL;
		if (s[i]) {
			size_t l = strlen(s[i]) + 1;
			memcpy(p, s[i], l);
			c[i] = p;
			p += l;
		}
	}
	if (d->text_len)
		memcpy(p, d->text, d->text_len);
	p[d->text_len] = '\0';
	jb->doc = (dicta_document){
		.version = DICTA_DOCUMENT_VERSION,
		.id = c[0], .title = c[1], .date = c[2], .type = c[3],
		.court = c[4], .citation = c[5], .lang = c[6], .source = c[7],
		.meta_json = c[8], .text = d->text ? p : NULL,
		.text_len = d->text_len,
	};
	jb->shard = shard;
	return jb;
}

/* Record the first failure (lock held). */
static void fail(index_jobs *j, int rc)
{
	if (j->rc)
		return;
	j->rc = rc;
	snprintf(j->msg, sizeof j->msg, "%s", dicta_error_last());
}

static void *run(void *arg)
{
	worker *w = arg;
	index_jobs *j = w->j;
	size_t t = (size_t)(w - j->w);
	pthread_mutex_lock(&j->mu);
	for (;;) {
		while (!w->count && !w->commit_pending && !j->stop)
			pthread_cond_wait(&w->wake, &j->mu);
		if (w->count) {
			job *jb = w->q[w->head];
			w->head = (w->head + 1) % QUEUE_CAP;
			w->count--;
			w->busy = 1;
			int failed = j->rc != 0;
			pthread_cond_broadcast(&j->progress);
			pthread_mutex_unlock(&j->mu);
			int change = 0, rc = 0;
			uint64_t before = j->idx->shards[jb->shard].passages_added;
			if (!failed)
				rc = index_shard_put(j->idx, jb->shard, &change, &jb->doc);
			uint64_t passages = j->idx->shards[jb->shard].passages_added - before;
			pthread_mutex_lock(&j->mu);
			if (!failed && rc != 0 && rc != DICTA_EINVAL)
				fail(j, rc);
			else if (!failed)
				j->done(&jb->doc, rc, change, passages, j->payload);
			free(jb);
			w->busy = 0;
			pthread_cond_broadcast(&j->progress);
		} else if (w->commit_pending) {
			w->busy = 1;
			int failed = j->rc != 0;
			pthread_mutex_unlock(&j->mu);
			int rc = 0;
			for (size_t k = t; k < j->idx->nshards && !failed && rc == 0; k += j->nw)
				rc = index_shard_commit(j->idx, k);
			pthread_mutex_lock(&j->mu);
			if (rc) {
				fail(j, rc);
				if (!j->commit_rc)
					j->commit_rc = rc;
			}
			w->commit_pending = 0;
			w->busy = 0;
			pthread_cond_broadcast(&j->progress);
		} else {
			break; /* stop, and nothing left */
		}
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

int index_jobs_start(index_jobs **out, dicta_index *idx, unsigned n,
		     index_jobs_done done, void *payload)
{
	*out = NULL;
	if (n > idx->nshards)
		n = (unsigned)idx->nshards;
	if (n < 1)
		n = 1;
	index_jobs *j = calloc(1, sizeof *j);
	worker *w = calloc(n, sizeof *w);
	if (!j || !w) {
		free(j);
		free(w);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	j->idx = idx;
	j->w = w;
	j->nw = n;
	j->done = done;
	j->payload = payload;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->progress, NULL);
	int rc = 0;
	for (size_t t = 0; t < n; t++) {
		w[t].j = j;
		pthread_cond_init(&w[t].wake, NULL);
	}
	for (size_t t = 0; t < n && rc == 0; t++) {
		if (pthread_create(&w[t].tid, NULL, run, &w[t]) != 0)
			rc = error_set(DICTA_ENOMEM, "cannot start a writer thread");
		else
			w[t].started = 1;
	}
	*out = j;
	if (rc) {
		(void)index_jobs_finish(j);
		*out = NULL;
		return error_set(rc, "cannot start a writer thread");
	}
	return 0;
}

/* The first failure as this thread's error (lock held). */
static int failure(index_jobs *j)
{
	return error_set(j->rc, "%s", j->msg);
}

int index_jobs_put(index_jobs *j, const dicta_document *doc)
{
	size_t shard = index_shard_of(doc->id, j->idx->nshards);
	worker *w = &j->w[shard % j->nw];
	job *jb = job_copy(doc, shard);
	if (!jb)
		return error_set(DICTA_ENOMEM, "out of memory");
	pthread_mutex_lock(&j->mu);
	while (!j->rc && w->count == QUEUE_CAP)
		pthread_cond_wait(&j->progress, &j->mu);
	if (j->rc) {
		int rc = failure(j);
		pthread_mutex_unlock(&j->mu);
		free(jb);
		return rc;
	}
	w->q[(w->head + w->count) % QUEUE_CAP] = jb;
	w->count++;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&j->mu);
	return 0;
}

int index_jobs_commit(index_jobs *j)
{
	pthread_mutex_lock(&j->mu);
	j->commit_rc = 0;
	for (size_t t = 0; t < j->nw; t++) {
		j->w[t].commit_pending = 1;
		pthread_cond_signal(&j->w[t].wake);
	}
	for (;;) {
		int pending = 0;
		for (size_t t = 0; t < j->nw; t++)
			pending |= j->w[t].commit_pending;
		if (!pending)
			break;
		pthread_cond_wait(&j->progress, &j->mu);
	}
	int rc = j->rc ? failure(j) : 0;
	pthread_mutex_unlock(&j->mu);
	if (rc == 0)
		index_count(j->idx);
	return rc;
}

int index_jobs_finish(index_jobs *j)
{
	if (!j)
		return 0;
	pthread_mutex_lock(&j->mu);
	j->stop = 1;
	for (size_t t = 0; t < j->nw; t++)
		pthread_cond_signal(&j->w[t].wake);
	pthread_mutex_unlock(&j->mu);
	for (size_t t = 0; t < j->nw; t++)
		if (j->w[t].started)
			pthread_join(j->w[t].tid, NULL);
	int rc = j->rc ? failure(j) : 0;
	for (size_t t = 0; t < j->nw; t++)
		pthread_cond_destroy(&j->w[t].wake);
	pthread_cond_destroy(&j->progress);
	pthread_mutex_destroy(&j->mu);
	free(j->w);
	free(j);
	return rc;
}

void index_jobs_lock(index_jobs *j)
{
	pthread_mutex_lock(&j->mu);
}

void index_jobs_unlock(index_jobs *j)
{
	pthread_mutex_unlock(&j->mu);
}
