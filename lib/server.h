/*
 * server.h — the request half of the HTTP server, kept apart from
 * libmicrohttpd so that tests and the fuzzer (tests/fuzz/fuzz_http_params.c)
 * can drive it with plain strings: routing a request target, percent-
 * decoding, and turning a query string or a JSON body into a search.
 * server_params.c implements it; server.c calls it for every request.
 *
 * Everything here either succeeds or fills a req_error with the HTTP status,
 * a stable code and a message that is valid UTF-8 (it quotes request bytes
 * only when they are), ready to be sent as {"error":{...}}.
 */
#ifndef DICTA_SERVER_H
#define DICTA_SERVER_H

#include <stddef.h>

#include "dicta.h"

typedef enum {
	ROUTE_NONE,     /* no such route: 404 */
	ROUTE_SEARCH,   /* /search */
	ROUTE_DOCUMENT, /* /documents/{id} */
	ROUTE_HEALTH,   /* /health */
	ROUTE_STATS     /* /stats */
} req_route;

typedef struct {
	int status;         /* HTTP status: 400, 404, ... */
	const char *code;   /* "bad_parameter", "bad_request", "not_found", ... */
	const char *param;  /* the parameter at fault (a static name), or NULL */
	int column;         /* 1-based column of a query error, else 0 */
	char message[512];  /* for a person; valid UTF-8 */
} req_error;

/* A request target ("/documents/a%2Fb?passage=2") split and routed.  The
 * query string points into the target, undecoded; doc_id is decoded. */
typedef struct {
	req_route route;
	char *doc_id;       /* ROUTE_DOCUMENT: malloc'd, valid UTF-8, no NUL */
	const char *query;  /* the bytes after '?', NULL when there is no '?' */
	size_t query_len;
} req_target;

typedef struct {
	size_t max_query_bytes, max_k, max_offset, max_passages;
} req_limits;

typedef struct {
	char *q;            /* malloc'd, valid UTF-8, no NUL */
	dicta_search_options opts;
} req_search;

/* Route a request target (origin form "/path?query", or absolute form
 * "http://host/path?query").  An unknown path is ROUTE_NONE with err filled
 * (404); a malformed document id fails with 400.  Release with
 * req_target_clear(), also after a failure. */
int req_target_parse(req_target *out, const char *target, req_error *err);
void req_target_clear(req_target *t);

/* GET /search: parameters q (required), k, offset, passages, unit, sort from
 * a query string; anything else, a repeat, a bad value or one over a limit
 * fails with 400.  Release with req_search_clear(), also after a failure. */
int req_search_from_query(req_search *out, const char *qs, size_t len,
			  const req_limits *lim, req_error *err);

/* POST /search: the same parameters as members of a JSON object (k, offset
 * and passages as numbers). */
int req_search_from_json(req_search *out, const char *body, size_t len,
			 const req_limits *lim, req_error *err);
void req_search_clear(req_search *s);

/* GET /documents/{id}: the optional parameter passage (a whole number);
 * *passage_out is -1 when it is absent. */
int req_document_params(long *passage_out, const char *qs, size_t len,
			req_error *err);

/* /health and /stats take no parameters: any is a 400. */
int req_no_params(const char *qs, size_t len, req_error *err);

/* Decode %XX escapes (and '+' as a space when plus_is_space) into a
 * malloc'd, NUL-terminated string; *out_len is its length.  Returns NULL
 * for a '%' not followed by two hex digits (or out of memory). */
char *req_percent_decode(const char *s, size_t len, int plus_is_space,
			 size_t *out_len);

/* The length of the longest prefix of s[0, len) that is valid UTF-8 as
 * utf8proc reads it (no overlong forms, surrogates or code points past
 * U+10FFFF); len when all of it is. */
size_t req_utf8_valid_prefix(const char *s, size_t len);

/* Fill err (the message printf-style) and return -1. */
int req_fail(req_error *err, int status, const char *code, const char *param,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
