/*
 * fuzz_http_params.c — libFuzzer harness for the server's request parsing
 * (lib/server_params.c): any bytes as a request target, a query string, a
 * JSON body or a value to percent-decode.  The first byte picks which.
 * Checks what server.c relies on: an accepted search has a query that is
 * valid UTF-8 within the byte limit and options within the limits; a
 * refusal has a 400/404 status, a code and a non-empty UTF-8 message; a
 * document id is non-empty UTF-8; percent-decoding never grows its input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static const req_limits lim = {64, 100, 10000, 20};

static int utf8_ok(const char *s, size_t len)
{
	return req_utf8_valid_prefix(s, len) == len;
}

static void check_error(const req_error *e, int allow_404)
{
	if (!(e->status == 400 || (allow_404 && e->status == 404)) || !e->code ||
	    !*e->message || !utf8_ok(e->message, strlen(e->message)))
		abort();
}

static void check_search(int rc, const req_search *s, const req_error *e)
{
	if (rc != 0) {
		check_error(e, 0);
		return;
	}
	const dicta_search_options *o = &s->opts;
	size_t ql = s->q ? strlen(s->q) : 0;
	if (!s->q || ql > lim.max_query_bytes || !utf8_ok(s->q, ql) || o->k < 1 ||
	    o->k > lim.max_k || o->offset > lim.max_offset || o->passages < 1 ||
	    o->passages > lim.max_passages ||
	    (o->unit != DICTA_UNIT_DOCUMENT && o->unit != DICTA_UNIT_PASSAGE) ||
	    (o->sort != DICTA_SORT_RELEVANCE && o->sort != DICTA_SORT_DATE))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *in = (const char *)data + 1;
	size_t n = size - 1;
	req_error e;
	req_search s;
	switch (data[0] % 4) {
	case 0: /* a query string */
		check_search(req_search_from_query(&s, in, n, &lim, &e), &s, &e);
		req_search_clear(&s);
		break;
	case 1: /* a JSON body */
		check_search(req_search_from_json(&s, in, n, &lim, &e), &s, &e);
		req_search_clear(&s);
		break;
	case 2: { /* a request target, as libmicrohttpd hands it over */
		char *target = strndup(in, n);
		if (!target)
			return 0;
		req_target t;
		if (req_target_parse(&t, target, &e) != 0) {
			check_error(&e, 1);
		} else if (t.route == ROUTE_DOCUMENT) {
			if (!t.doc_id || !*t.doc_id || !utf8_ok(t.doc_id, strlen(t.doc_id)))
				abort();
			long passage;
			if (req_document_params(&passage, t.query, t.query_len, &e) != 0)
				check_error(&e, 0);
			else if (passage < -1 || passage > 0xFFFFFFFFL)
				abort();
		} else if (t.route == ROUTE_SEARCH) {
			check_search(req_search_from_query(&s, t.query, t.query_len, &lim, &e),
				     &s, &e);
			req_search_clear(&s);
		} else if (t.route == ROUTE_NONE) {
			abort(); /* an unknown route must be an error */
		} else if (req_no_params(t.query, t.query_len, &e) != 0) {
			check_error(&e, 0);
		}
		req_target_clear(&t);
		free(target);
		break;
	}
	default: { /* percent-decoding and UTF-8 validation */
		size_t dl;
		char *d = req_percent_decode(in, n, data[0] & 4, &dl);
		if (d && (dl > n || d[dl] != '\0'))
			abort();
		if (d && !memchr(in, '%', n) && !(data[0] & 4) &&
		    (dl != n || memcmp(d, in, n) != 0))
			abort();
		free(d);
		size_t p = req_utf8_valid_prefix(in, n);
		if (p > n || req_utf8_valid_prefix(in, p) != p)
			abort();
		break;
	}
	}
	return 0;
}
