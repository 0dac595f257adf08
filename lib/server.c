/*
 * server.c — dicta_server_*: the HTTP/JSON server of docs/http-api.md on
 * libmicrohttpd.  It owns the listening socket, the pool of read handles,
 * the statistics behind /stats and the shutdown that lets requests finish;
 * what a request asks for is worked out by server_params.c.  The CLI's
 * --serve (searcher/serve_cli.c) and the tests start it.
 *
 * Threads.  libmicrohttpd runs `threads` worker threads, each with its own
 * event loop, and calls the handler here on them.  A dicta_index handle may
 * be used by one thread at a time, so a request takes a handle from a free
 * list (opening one when the list is empty: never more than there are
 * workers) and gives it back when it is done.  Before use the handle is
 * reopened, so each request sees the latest commit; a DICTA_EMODIFIED
 * (a writer committed twice during the request) reopens and runs the
 * request again, a few times at most.
 *
 * Requests.  The raw request target is captured before libmicrohttpd
 * decodes anything (its URI log callback), which also marks the request as
 * in flight until its completion callback; dicta_server_stop() waits for
 * that count to drop to zero.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "server.h"

/* Latency histogram: exact below 16 us, then 8 buckets per power of two
 * (each within 12.5%), up to 2^40 us. */
#define LAT_EXACT 16
#define LAT_BUCKETS (LAT_EXACT + 37 * 8)

/* How many times a request is run again after DICTA_EMODIFIED. */
#define MODIFIED_RETRIES 4

struct dicta_server {
	struct MHD_Daemon *daemon;
	int listen_fd;
	unsigned port;
	char *index_path;
	char *cors_origin;
	dicta_server_options o;
	req_limits lim;
	time_t started;

	pthread_mutex_t lock;
	pthread_cond_t idle;   /* in_flight dropped to 0 */
	dicta_index **free_handles;
	size_t nfree, capfree;
	unsigned in_flight;    /* requests between URI callback and completion */
	atomic_int draining;

	atomic_uint connections;
	atomic_ullong requests, searches, by_status[6]; /* 1xx..5xx, other */
	atomic_ullong latency[LAT_BUCKETS];
	atomic_ullong latency_max_us;
};

typedef struct {
	dicta_server *srv;
	char *target;          /* as the client sent it */
	struct timespec t0;
	int seen;              /* the handler has been called */
	req_route route;       /* known after the first call */
	int replied;           /* a response is queued */
	char *body;
	size_t body_len;
	size_t discarded;      /* body bytes past the limit */
} request;

/* A response being built. */
typedef struct {
	unsigned status;
	char *body;            /* malloc'd JSON */
	const char *allow;     /* Allow header for 405 and OPTIONS */
	int close;             /* Connection: close */
} reply;

/* --------------------------------------------------------------- options */

int dicta_server_options_init(dicta_server_options *o)
{
	memset(o, 0, sizeof *o);
	o->version = DICTA_SERVER_OPTIONS_VERSION;
	o->address = "127.0.0.1";
	o->port = 8080;
	o->threads = 4;
	o->max_connections = 256;
	o->idle_timeout_s = 30;
	o->max_query_bytes = 4096;
	o->max_k = 100;
	o->max_offset = 10000;
	o->max_passages = 20;
	o->max_body_bytes = 65536;
	o->search_time_limit_ms = 2000;
	return 0;
}

unsigned dicta_server_port(const dicta_server *srv)
{
	return srv ? srv->port : 0;
}

/* ---------------------------------------------------------------- replies */

static void reply_json(reply *r, unsigned status, json_t *obj)
{
	r->status = status;
	free(r->body);
	r->body = obj ? json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
	json_decref(obj);
	if (r->body) {
		size_t n = strlen(r->body);
		char *b = realloc(r->body, n + 2);
		if (b) {
			b[n] = '\n';
			b[n + 1] = '\0';
			r->body = b;
		}
	}
}

/* The error body; req_fail() left the message valid UTF-8, as JSON needs. */
static void reply_error(reply *r, const req_error *e)
{
	json_t *err = json_pack("{ss ss si}", "code", e->code, "message", e->message,
				"column", e->column);
	if (err && e->param)
		json_object_set_new(err, "parameter", json_string(e->param));
	reply_json(r, (unsigned)e->status, err ? json_pack("{so}", "error", err) : NULL);
}

static void reply_fail(reply *r, int status, const char *code,
		       const char *message)
{
	req_error e;
	req_fail(&e, status, code, NULL, "%s", message);
	reply_error(r, &e);
}

/* The reply for a library error code, with dicta_error_last(). */
static void reply_dicta_error(reply *r, int rc)
{
	req_error e;
	const char *msg = dicta_error_last();
	switch (rc) {
	case DICTA_EQUERY:
		req_fail(&e, 400, "bad_query", "q", "%s", msg);
		e.column = dicta_error_column();
		break;
	case DICTA_EINVAL:
		req_fail(&e, 400, "bad_parameter", NULL, "%s", msg);
		break;
	case DICTA_ENOTFOUND:
		req_fail(&e, 404, "not_found", NULL, "%s", msg);
		break;
	case DICTA_EMODIFIED:
		req_fail(&e, 503, "unavailable", NULL,
			 "the index kept changing during the request; retry (%s)",
			 msg);
		break;
	default:
		req_fail(&e, 500, "internal", NULL, "%s", msg);
		break;
	}
	reply_error(r, &e);
}

/* ---------------------------------------------------------------- handles */

/* A read handle at the latest commit, or NULL with r filled (503). */
static dicta_index *handle_take(dicta_server *s, reply *r)
{
	dicta_index *idx = NULL;
	pthread_mutex_lock(&s->lock);
	if (s->nfree)
		idx = s->free_handles[--s->nfree];
	pthread_mutex_unlock(&s->lock);
	if (idx && dicta_index_reopen(idx) != 0) {
		dicta_index_free(idx); /* start afresh below */
		idx = NULL;
	}
	if (!idx && dicta_index_open(&idx, s->index_path, DICTA_OPEN_READ) != 0) {
		char msg[1200];
		snprintf(msg, sizeof msg, "the index cannot be read: %s",
			 dicta_error_last());
		reply_fail(r, 503, "unavailable", msg);
		return NULL;
	}
	return idx;
}

/* Give a handle back; after an error that may have left it unusable it is
 * closed instead, and the next request opens a fresh one. */
static void handle_give(dicta_server *s, dicta_index *idx, int rc)
{
	if (!idx)
		return;
	if (rc == 0 || rc == DICTA_EQUERY || rc == DICTA_EINVAL ||
	    rc == DICTA_ENOTFOUND) {
		pthread_mutex_lock(&s->lock);
		if (s->nfree == s->capfree) {
			size_t cap = s->capfree ? s->capfree * 2 : 8;
			dicta_index **h = realloc(s->free_handles, cap * sizeof *h);
			if (h) {
				s->free_handles = h;
				s->capfree = cap;
			}
		}
		if (s->nfree < s->capfree) {
			s->free_handles[s->nfree++] = idx;
			idx = NULL;
		}
		pthread_mutex_unlock(&s->lock);
	}
	dicta_index_free(idx);
}

/* ---------------------------------------------------------------- routes */

static void do_search(reply *r, dicta_server *s, req_search *rs)
{
	rs->opts.time_limit_ms = s->o.search_time_limit_ms;
	dicta_index *idx = handle_take(s, r);
	if (!idx)
		return;
	dicta_results *res = NULL;
	int rc;
	for (int i = 0;; i++) {
		rc = dicta_search_run(&res, idx, rs->q, &rs->opts);
		if (rc != DICTA_EMODIFIED || i == MODIFIED_RETRIES ||
		    dicta_index_reopen(idx) != 0)
			break;
	}
	if (rc == 0) {
		r->status = 200;
		r->body = dicta_results_to_json(res);
		if (!r->body)
			rc = DICTA_ENOMEM;
		else
			atomic_fetch_add(&s->searches, 1);
	}
	if (rc)
		reply_dicta_error(r, rc);
	dicta_results_free(res);
	handle_give(s, idx, rc);
}

/* The JSON of a stored document, or of one of its passages. */
static int document_json(json_t **out, dicta_index *idx, const char *id,
			 long passage)
{
	dicta_hit *doc = NULL;
	const char *text;
	size_t len, npassages = 0;
	dicta_span span = {0, 0};
	int rc = dicta_document_get(&doc, &text, &len, idx, id);
	if (rc == 0)
		rc = dicta_document_passages(&npassages, idx, id);
	if (rc == 0 && passage >= 0)
		rc = dicta_document_passage(&span, idx, id, (size_t)passage);
	/* The calls above may each reopen the handle after a commit; a range
	 * that does not fit the text read first is such a case. */
	if (rc == 0 && (span.start > span.end || span.end > len))
		rc = error_set(DICTA_EMODIFIED, "document \"%s\" changed", id);
	if (rc) {
		dicta_document_free(doc);
		return rc;
	}
	json_t *meta = *doc->meta_json ? json_loads(doc->meta_json, 0, NULL) : NULL;
	json_t *o = json_pack("{ss ss ss ss ss ss ss ss sI}", "id", doc->id,
			      "title", doc->title, "date", doc->date, "citation",
			      doc->citation, "type", doc->type, "court",
			      doc->court, "lang", doc->lang, "source",
			      doc->source, "passages", (json_int_t)npassages);
	if (o)
		json_object_set_new(o, "meta", json_is_object(meta) ? json_incref(meta)
								    : json_object());
	json_decref(meta);
	if (o && passage >= 0)
		json_object_set_new(
			o, "passage",
			json_pack("{sI sI sI ss#}", "n", (json_int_t)passage, "start",
				  (json_int_t)span.start, "end", (json_int_t)span.end,
				  "text", text + span.start, span.end - span.start));
	else if (o)
		json_object_set_new(o, "text", json_stringn(text, len));
	dicta_document_free(doc);
	*out = o;
	return o ? 0 : error_set(DICTA_ENOMEM, "cannot write the document as JSON");
}

static void do_document(reply *r, dicta_server *s, const char *id, long passage)
{
	dicta_index *idx = handle_take(s, r);
	if (!idx)
		return;
	json_t *o = NULL;
	int rc;
	for (int i = 0;; i++) {
		rc = document_json(&o, idx, id, passage);
		if (rc != DICTA_EMODIFIED || i == MODIFIED_RETRIES ||
		    dicta_index_reopen(idx) != 0)
			break;
	}
	if (rc == 0)
		reply_json(r, 200, o);
	else
		reply_dicta_error(r, rc);
	handle_give(s, idx, rc);
}

static double bucket_ms(size_t b)
{
	if (b < LAT_EXACT)
		return (double)b / 1000.0;
	unsigned e = 4 + (unsigned)(b - LAT_EXACT) / 8, sub = (unsigned)(b - LAT_EXACT) % 8;
	return (double)(((uint64_t)(9 + sub) << (e - 3)) - 1) / 1000.0;
}

static size_t bucket_of(uint64_t us)
{
	if (us < LAT_EXACT)
		return (size_t)us;
	unsigned e = 63 - (unsigned)__builtin_clzll(us);
	size_t b = LAT_EXACT + (size_t)(e - 4) * 8 + (size_t)((us >> (e - 3)) & 7);
	return b < LAT_BUCKETS ? b : LAT_BUCKETS - 1;
}

static json_t *latency_json(dicta_server *s)
{
	static const double ps[] = {0.5, 0.9, 0.99};
	static const char *const names[] = {"p50", "p90", "p99"};
	uint64_t counts[LAT_BUCKETS], total = 0;
	for (size_t b = 0; b < LAT_BUCKETS; b++)
		total += counts[b] = atomic_load(&s->latency[b]);
	json_t *o = json_object();
	for (size_t i = 0; o && i < 3; i++) {
		uint64_t rank = (uint64_t)(ps[i] * (double)total + 0.999999), seen = 0;
		double v = 0;
		for (size_t b = 0; total && b < LAT_BUCKETS; b++) {
			seen += counts[b];
			if (seen >= rank) {
				v = bucket_ms(b);
				break;
			}
		}
		json_object_set_new(o, names[i], json_real(v));
	}
	if (o)
		json_object_set_new(o, "max",
				    json_real((double)atomic_load(&s->latency_max_us) / 1000.0));
	return o;
}

static void do_stats(reply *r, dicta_server *s)
{
	dicta_index *idx = handle_take(s, r);
	if (!idx)
		return;
	dicta_index_stats st;
	int rc = dicta_index_stats_get(&st, idx);
	if (rc) {
		reply_dicta_error(r, rc);
		handle_give(s, idx, rc);
		return;
	}
	handle_give(s, idx, 0);
	pthread_mutex_lock(&s->lock);
	unsigned in_flight = s->in_flight;
	pthread_mutex_unlock(&s->lock);
	json_t *status = json_object();
	static const char *const cls[] = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
	for (size_t i = 0; status && i < 6; i++)
		json_object_set_new(status, cls[i],
				    json_integer((json_int_t)atomic_load(&s->by_status[i])));
	reply_json(r, 200,
		   json_pack("{sI sI sI sI ss sI sI sI sI sI so so}",
			     "documents", (json_int_t)st.documents,
			     "passages", (json_int_t)st.passages,
			     "terms", (json_int_t)st.terms,
			     "index_bytes", (json_int_t)st.disk_bytes,
			     "last_commit", st.last_commit,
			     "uptime_seconds", (json_int_t)(time(NULL) - s->started),
			     "requests", (json_int_t)atomic_load(&s->requests),
			     "queries", (json_int_t)atomic_load(&s->searches),
			     "in_flight", (json_int_t)in_flight,
			     "connections", (json_int_t)atomic_load(&s->connections),
			     "responses", status, "latency_ms", latency_json(s)));
}

static void do_health(reply *r, dicta_server *s)
{
	if (atomic_load(&s->draining)) {
		reply_fail(r, 503, "unavailable", "the server is shutting down");
		return;
	}
	dicta_index *idx = handle_take(s, r);
	if (!idx)
		return;
	handle_give(s, idx, 0);
	reply_json(r, 200, json_pack("{ss}", "status", "ok"));
}

/* ------------------------------------------------------------- requests */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)c;
	dicta_server *s = cls;
	request *rq = calloc(1, sizeof *rq);
	if (!rq)
		return NULL;
	rq->srv = s;
	rq->target = strdup(uri ? uri : "");
	clock_gettime(CLOCK_MONOTONIC, &rq->t0);
	pthread_mutex_lock(&s->lock);
	s->in_flight++;
	pthread_mutex_unlock(&s->lock);
	return rq;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)c;
	(void)toe;
	dicta_server *s = cls;
	request *rq = *con_cls;
	if (!rq)
		return;
	*con_cls = NULL;
	free(rq->target);
	free(rq->body);
	free(rq);
	pthread_mutex_lock(&s->lock);
	if (--s->in_flight == 0)
		pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->lock);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **ctx,
			  enum MHD_ConnectionNotificationCode toe)
{
	(void)c;
	(void)ctx;
	dicta_server *s = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		atomic_fetch_add(&s->connections, 1);
	else
		atomic_fetch_sub(&s->connections, 1);
}

/* The request target for a log line: control bytes shown as '?'. */
static void log_request(dicta_server *s, const request *rq, const char *method,
			unsigned status, double ms)
{
	if (!s->o.on_request)
		return;
	char line[600];
	int n = snprintf(line, sizeof line, "%s %.480s %u %.1fms", method,
			 rq->target, status, ms);
	for (int i = 0; i < n && i < (int)sizeof line - 1; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	s->o.on_request(line, s->o.payload);
}

static enum MHD_Result send_reply(struct MHD_Connection *c, request *rq,
				  const char *method, reply *r)
{
	dicta_server *s = rq->srv;
	if (!r->body && r->status != 204)
		r->body = strdup("{\"error\":{\"code\":\"internal\",\"message\":"
				 "\"out of memory\",\"column\":0}}\n");
	size_t len = r->body ? strlen(r->body) : 0;
	struct MHD_Response *resp;
	if (len) {
		resp = MHD_create_response_from_buffer(len, r->body, MHD_RESPMEM_MUST_FREE);
		if (!resp)
			free(r->body);
	} else {
		free(r->body);
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	r->body = NULL;
	if (!resp)
		return MHD_NO;
	if (len)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					"application/json; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (r->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (s->cors_origin) {
		MHD_add_response_header(resp, "Access-Control-Allow-Origin",
					s->cors_origin);
		if (strcmp(s->cors_origin, "*") != 0)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Origin");
		if (!strcmp(method, "OPTIONS")) {
			MHD_add_response_header(resp, "Access-Control-Allow-Methods",
						r->allow ? r->allow : "GET");
			MHD_add_response_header(resp, "Access-Control-Allow-Headers",
						"Content-Type");
			MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
		}
	}
	if (r->status == 503)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	if (r->close || atomic_load(&s->draining))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ok = MHD_queue_response(c, r->status, resp);
	MHD_destroy_response(resp);
	rq->replied = 1;

	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int64_t us = (int64_t)(t1.tv_sec - rq->t0.tv_sec) * 1000000 +
		     (t1.tv_nsec - rq->t0.tv_nsec) / 1000;
	if (us < 0)
		us = 0;
	atomic_fetch_add(&s->requests, 1);
	unsigned cls = r->status / 100;
	atomic_fetch_add(&s->by_status[cls >= 1 && cls <= 5 ? cls - 1 : 5], 1);
	if (rq->route == ROUTE_SEARCH && r->status == 200) {
		atomic_fetch_add(&s->latency[bucket_of((uint64_t)us)], 1);
		unsigned long long prev = atomic_load(&s->latency_max_us);
		while ((unsigned long long)us > prev &&
		       !atomic_compare_exchange_weak(&s->latency_max_us, &prev,
						     (unsigned long long)us))
			;
	}
	log_request(s, rq, method, r->status, (double)us / 1000.0);
	return ok;
}

static const char *allowed_methods(req_route route)
{
	return route == ROUTE_SEARCH ? "GET, HEAD, POST, OPTIONS"
				     : "GET, HEAD, OPTIONS";
}

/* The first call, with the headers only.  A reply queued now ends the
 * connection (libmicrohttpd reads no more of it), so only what refuses the
 * request whatever it asks is answered here: too many connections, or a
 * body declared larger than the limit. */
static enum MHD_Result first_call(struct MHD_Connection *c, request *rq,
				  const char *method)
{
	dicta_server *s = rq->srv;
	reply r = {0, NULL, NULL, 1};
	if (atomic_load(&s->connections) > s->o.max_connections) {
		reply_fail(&r, 503, "overloaded",
			   "the server has more connections than it serves; "
			   "retry shortly");
		return send_reply(c, rq, method, &r);
	}
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > s->o.max_body_bytes) {
		char msg[160];
		snprintf(msg, sizeof msg,
			 "the body is larger than the %zu bytes this server takes",
			 s->o.max_body_bytes);
		reply_fail(&r, 413, "too_large", msg);
		return send_reply(c, rq, method, &r);
	}
	return MHD_YES;
}

/* Answer a routed request. */
static void dispatch(reply *r, dicta_server *s, const request *rq,
		     const req_target *t, const char *method)
{
	req_error e;
	int is_get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
	int is_post = !strcmp(method, "POST");
	r->allow = allowed_methods(t->route);
	if (!strcmp(method, "OPTIONS")) {
		r->status = 204;
	} else if (!is_get && !(is_post && t->route == ROUTE_SEARCH)) {
		char msg[200];
		snprintf(msg, sizeof msg, "%.40s is not allowed here (allowed: %s)",
			 method, r->allow);
		reply_fail(r, 405, "method_not_allowed", msg);
	} else if (is_post && t->query) {
		req_fail(&e, 400, "bad_parameter", NULL,
			 "POST /search takes its parameters in the JSON body, "
			 "not in the URL");
		reply_error(r, &e);
	} else if (t->route == ROUTE_SEARCH) {
		req_search rs;
		int rc = is_post ? req_search_from_json(&rs, rq->body ? rq->body : "",
							rq->body_len, &s->lim, &e)
				 : req_search_from_query(&rs, t->query, t->query_len,
							 &s->lim, &e);
		if (rc == 0)
			do_search(r, s, &rs);
		else
			reply_error(r, &e);
		req_search_clear(&rs);
	} else if (t->route == ROUTE_DOCUMENT) {
		long passage;
		if (req_document_params(&passage, t->query, t->query_len, &e) == 0)
			do_document(r, s, t->doc_id, passage);
		else
			reply_error(r, &e);
	} else if (req_no_params(t->query, t->query_len, &e) != 0) {
		reply_error(r, &e);
	} else if (t->route == ROUTE_STATS) {
		do_stats(r, s);
	} else {
		do_health(r, s);
	}
}

/* The whole request is in: route it and answer. */
static enum MHD_Result final_call(struct MHD_Connection *c, request *rq,
				  const char *method)
{
	dicta_server *s = rq->srv;
	reply r = {0, NULL, NULL, 0};
	req_error e;
	req_target t;
	if (req_target_parse(&t, rq->target, &e) != 0) {
		reply_error(&r, &e);
	} else if (rq->discarded) {
		char msg[160];
		snprintf(msg, sizeof msg,
			 "the body is larger than the %zu bytes this server takes",
			 s->o.max_body_bytes);
		r.close = 1;
		reply_fail(&r, 413, "too_large", msg);
	} else {
		rq->route = t.route;
		dispatch(&r, s, rq, &t, method);
	}
	req_target_clear(&t);
	return send_reply(c, rq, method, &r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)url;
	(void)version;
	request *rq = *con_cls;
	if (!rq)
		return MHD_NO; /* out of memory in on_uri */
	if (!rq->seen) {
		rq->seen = 1;
		return first_call(c, rq, method);
	}
	dicta_server *s = rq->srv;
	if (rq->replied) { /* an early reply: drop the rest of the body */
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (rq->discarded || rq->body_len + n > s->o.max_body_bytes) {
			rq->discarded += n;
			/* A client that goes on sending is cut off. */
			return rq->discarded > 16 * s->o.max_body_bytes + 65536 ? MHD_NO
										: MHD_YES;
		}
		char *b = realloc(rq->body, rq->body_len + n + 1);
		if (!b)
			return MHD_NO;
		memcpy(b + rq->body_len, upload, n);
		rq->body = b;
		rq->body_len += n;
		return MHD_YES;
	}
	return final_call(c, rq, method);
}

/* ------------------------------------------------------------ lifecycle */

/* Bind and listen on address:port: the socket in *fd_out. */
static int listen_on(int *fd_out, const char *address, unsigned port, int *v6)
{
	char service[16];
	snprintf(service, sizeof service, "%u", port);
	struct addrinfo hints = {0}, *res, *ai;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	/* Numeric addresses only: no name lookup leaves the machine. */
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_NUMERICHOST;
	if (!strcmp(address, "localhost"))
		address = "127.0.0.1";
	int gai = getaddrinfo(address, service, &hints, &res);
	if (gai != 0)
		return error_set(DICTA_EINVAL,
				 "cannot listen on \"%s\": give a numeric IPv4 or "
				 "IPv6 address, or localhost (%s)",
				 address, gai_strerror(gai));
	int fd = -1, err = 0;
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		int one = 1;
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (ai->ai_family == AF_INET6)
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 512) != 0 ||
		    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
			err = errno;
			close(fd);
			fd = -1;
			continue;
		}
		*v6 = ai->ai_family == AF_INET6;
	}
	freeaddrinfo(res);
	*fd_out = fd;
	return fd < 0 ? error_set(DICTA_EIO, "cannot listen on %s port %u: %s",
				  address, port, strerror(err))
		      : 0;
}

static unsigned bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static void server_free(dicta_server *s)
{
	for (size_t i = 0; i < s->nfree; i++)
		dicta_index_free(s->free_handles[i]);
	free(s->free_handles);
	pthread_cond_destroy(&s->idle);
	pthread_mutex_destroy(&s->lock);
	free(s->index_path);
	free(s->cors_origin);
	free(s);
}

/* libmicrohttpd's own messages (a failed accept, a bad request line) go
 * to the request log, if there is one. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	dicta_server *s = cls;
	if (!s->o.on_request)
		return;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	s->o.on_request(line, s->o.payload);
}

int dicta_server_start(dicta_server **out, const dicta_server_options *opts)
{
	*out = NULL;
	if (!opts || opts->version != DICTA_SERVER_OPTIONS_VERSION)
		return error_set(DICTA_EINVAL, "server options version %d, expected %d",
				 opts ? opts->version : 0, DICTA_SERVER_OPTIONS_VERSION);
	const dicta_server_options *o = opts;
	if (!o->index_path || !*o->index_path)
		return error_set(DICTA_EINVAL, "no index directory given");
	if (o->port > 65535)
		return error_set(DICTA_EINVAL, "port %u is not a TCP port", o->port);
	if (o->threads == 0 || o->threads > 1024 || o->max_connections == 0 ||
	    o->max_k == 0 || o->max_passages == 0 || o->max_query_bytes == 0 ||
	    o->max_body_bytes == 0)
		return error_set(DICTA_EINVAL,
				 "threads, connections, k, passages, query and body "
				 "limits must be at least 1");
	dicta_server *s = calloc(1, sizeof *s);
	if (!s)
		return error_set(DICTA_ENOMEM, "out of memory");
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->idle, NULL);
	s->o = *o;
	s->listen_fd = -1;
	s->started = time(NULL);
	s->lim = (req_limits){o->max_query_bytes, o->max_k, o->max_offset,
			      o->max_passages};
	s->index_path = strdup(o->index_path);
	s->cors_origin = o->cors_origin && *o->cors_origin ? strdup(o->cors_origin) : NULL;
	if (!s->index_path || (o->cors_origin && *o->cors_origin && !s->cors_origin)) {
		server_free(s);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	/* Open one handle now: a missing index fails here, not at the first
	 * request. */
	dicta_index *idx;
	int rc = dicta_index_open(&idx, s->index_path, DICTA_OPEN_READ);
	if (rc) {
		server_free(s);
		return rc;
	}
	handle_give(s, idx, 0);
	int v6 = 0;
	rc = listen_on(&s->listen_fd, o->address ? o->address : "127.0.0.1",
		       o->port, &v6);
	if (rc) {
		server_free(s);
		return rc;
	}
	s->port = bound_port(s->listen_fd);
	/* Room for the longest query, percent-encoded, and the headers. */
	size_t mem = 3 * o->max_query_bytes + 16384;
	if (mem < 32768)
		mem = 32768;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
	s->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s,
		MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
		MHD_OPTION_THREAD_POOL_SIZE, o->threads > 1 ? o->threads : 0u,
		MHD_OPTION_CONNECTION_LIMIT, 2 * o->max_connections + 64,
		MHD_OPTION_CONNECTION_TIMEOUT, o->idle_timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, mem,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
		MHD_OPTION_END);
	if (!s->daemon) {
		close(s->listen_fd);
		server_free(s);
		return error_set(DICTA_ERROR, "the HTTP server (libmicrohttpd) did not start");
	}
	*out = s;
	return 0;
}

void dicta_server_stop(dicta_server *s, unsigned drain_ms)
{
	if (!s)
		return;
	atomic_store(&s->draining, 1);
	MHD_socket quiesced = MHD_quiesce_daemon(s->daemon);
	/* The socket stays open until the workers are gone, but stops
	 * listening now: a new client is refused at once rather than left
	 * waiting in the backlog. */
	if (quiesced != MHD_INVALID_SOCKET)
		shutdown(quiesced, SHUT_RDWR);
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += drain_ms / 1000;
	deadline.tv_nsec += (long)(drain_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->lock);
	while (s->in_flight > 0 &&
	       pthread_cond_timedwait(&s->idle, &s->lock, &deadline) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&s->lock);
	MHD_stop_daemon(s->daemon);
	if (quiesced != MHD_INVALID_SOCKET)
		close(quiesced);
	server_free(s);
}
