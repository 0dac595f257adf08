/*
 * test_server.c — the HTTP/JSON server as a front end sees it.  Suite
 * server_params drives the request parsing of lib/server_params.c with
 * plain strings; suite server starts the server in this process on a free
 * loopback port (port 0) over a small index and talks HTTP to it through a
 * socket: every route, every error status, percent-encoding and invalid
 * UTF-8, oversized bodies, overload, CORS, new commits seen without a
 * restart; and `dicta-search --serve` finishing a request in flight on
 * SIGTERM before it exits 0.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "dicta.h"
#include "server.h"

#ifndef DICTA_BUILD_DIR
#define DICTA_BUILD_DIR "build"
#endif

/* ------------------------------------------------------ server_params */

Test(server_params, percent_decoding)
{
	static const struct {
		const char *in;
		int plus;
		const char *out; /* NULL: refused */
		size_t len;
	} rows[] = {
		{"abc", 1, "abc", 3},
		{"a+b", 1, "a b", 3},
		{"a+b", 0, "a+b", 3},        /* '+' is a space only in query strings */
		{"a%2Fb", 0, "a/b", 3},
		{"%c3%b3", 1, "\xc3\xb3", 2}, /* hex digits in either case */
		{"%00", 1, "\0", 1},         /* decoded; refused later as NUL */
		{"%", 1, NULL, 0},
		{"%4", 1, NULL, 0},
		{"%4g", 1, NULL, 0},
		{"ab%", 1, NULL, 0},
		{"", 1, "", 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t n = 99;
		char *d = req_percent_decode(rows[i].in, strlen(rows[i].in), rows[i].plus, &n);
		if (!rows[i].out) {
			cr_expect_null(d, "\"%s\" should be refused", rows[i].in);
		} else {
			cr_assert_not_null(d, "\"%s\"", rows[i].in);
			cr_expect_eq(n, rows[i].len, "\"%s\"", rows[i].in);
			cr_expect_eq(memcmp(d, rows[i].out, n), 0, "\"%s\"", rows[i].in);
		}
		free(d);
	}
}

Test(server_params, utf8_validation)
{
	static const struct {
		const char *s;
		size_t valid;
	} rows[] = {
		{"plain", 5},
		{"Zer\xc3\xb3n", 6},
		{"\xe2\x82\xac", 3},         /* euro sign */
		{"\xf0\x9f\x98\x80", 4},     /* emoji */
		{"a\xff", 1},
		{"a\xc3", 1},                /* truncated */
		{"\xc0\xaf", 0},             /* overlong '/' */
		{"\xed\xa0\x80", 0},         /* surrogate */
		{"\xf4\x90\x80\x80", 0},     /* past U+10FFFF */
		{"ab\xe2\x82", 2},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		cr_expect_eq(req_utf8_valid_prefix(rows[i].s, strlen(rows[i].s)),
			     rows[i].valid, "row %zu", i);
}

Test(server_params, targets_are_routed)
{
	static const struct {
		const char *target;
		req_route route;
		const char *id;    /* ROUTE_DOCUMENT */
		const char *query; /* NULL: none */
		int status;        /* 0 = parsed */
	} rows[] = {
		{"/search?q=x", ROUTE_SEARCH, NULL, "q=x", 0},
		{"/search", ROUTE_SEARCH, NULL, NULL, 0},
		{"/health", ROUTE_HEALTH, NULL, NULL, 0},
		{"/stats?", ROUTE_STATS, NULL, "", 0},
		{"http://localhost:8080/search?q=y", ROUTE_SEARCH, NULL, "q=y", 0},
		{"/documents/a%2Fb", ROUTE_DOCUMENT, "a/b", NULL, 0},
		{"/documents/a/b?passage=1", ROUTE_DOCUMENT, "a/b", "passage=1", 0},
		{"/documents/a+b%20c", ROUTE_DOCUMENT, "a+b c", NULL, 0},
		{"/documents/Zer%C3%B3n", ROUTE_DOCUMENT, "Zer\xc3\xb3n", NULL, 0},
		{"/documents/", ROUTE_NONE, NULL, NULL, 404},
		{"/documents", ROUTE_NONE, NULL, NULL, 404},
		{"/search/", ROUTE_NONE, NULL, NULL, 404},
		{"/", ROUTE_NONE, NULL, NULL, 404},
		{"", ROUTE_NONE, NULL, NULL, 404},
		{"/documents/a%zz", ROUTE_DOCUMENT, NULL, NULL, 400},
		{"/documents/a%00b", ROUTE_DOCUMENT, NULL, NULL, 400},
		{"/documents/%FF", ROUTE_DOCUMENT, NULL, NULL, 400},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		req_target t;
		req_error e;
		int rc = req_target_parse(&t, rows[i].target, &e);
		cr_expect_eq(t.route, rows[i].route, "%s", rows[i].target);
		if (rows[i].status) {
			cr_expect_neq(rc, 0, "%s", rows[i].target);
			cr_expect_eq(e.status, rows[i].status, "%s", rows[i].target);
			cr_expect_gt(strlen(e.message), 0);
		} else {
			cr_assert_eq(rc, 0, "%s: %s", rows[i].target, e.message);
			if (rows[i].id)
				cr_expect_str_eq(t.doc_id, rows[i].id);
			if (rows[i].query) {
				cr_assert_not_null(t.query, "%s", rows[i].target);
				cr_expect_eq(t.query_len, strlen(rows[i].query));
				cr_expect_eq(strncmp(t.query, rows[i].query, t.query_len), 0);
			} else {
				cr_expect_null(t.query, "%s", rows[i].target);
			}
		}
		req_target_clear(&t);
	}
}

static const req_limits limits = {20, 50, 1000, 5};

Test(server_params, search_parameters)
{
	static const struct {
		const char *qs;
		const char *param; /* NULL: accepted */
		const char *q;
		size_t k, offset, passages;
		int unit, sort;
	} rows[] = {
		{"q=treaty", NULL, "treaty", 10, 0, 1, DICTA_UNIT_DOCUMENT, DICTA_SORT_RELEVANCE},
		{"q=extradition+treaty&k=5&offset=10&passages=2&unit=passage&sort=date", NULL,
		 "extradition treaty", 5, 10, 2, DICTA_UNIT_PASSAGE, DICTA_SORT_DATE},
		{"q=Zer%C3%B3n&unit=document&&", NULL, "Zer\xc3\xb3n", 10, 0, 1,
		 DICTA_UNIT_DOCUMENT, DICTA_SORT_RELEVANCE},
		{"%71=a%2Bb", NULL, "a+b", 10, 0, 1, 0, 0}, /* an encoded name */
		{"q=", NULL, "", 10, 0, 1, 0, 0},           /* the library refuses it */
		{"k=5", "q", NULL, 0, 0, 0, 0, 0},
		{"q=a&k=0", "k", NULL, 0, 0, 0, 0, 0},
		{"q=a&k=51", "k", NULL, 0, 0, 0, 0, 0},       /* over max_k */
		{"q=a&k=-1", "k", NULL, 0, 0, 0, 0, 0},
		{"q=a&k=1e3", "k", NULL, 0, 0, 0, 0, 0},
		{"q=a&k=", "k", NULL, 0, 0, 0, 0, 0},
		{"q=a&k=99999999999999999999999", "k", NULL, 0, 0, 0, 0, 0},
		{"q=a&offset=1001", "offset", NULL, 0, 0, 0, 0, 0},
		{"q=a&passages=0", "passages", NULL, 0, 0, 0, 0, 0},
		{"q=a&passages=6", "passages", NULL, 0, 0, 0, 0, 0},
		{"q=a&unit=page", "unit", NULL, 0, 0, 0, 0, 0},
		{"q=a&sort=DATE", "sort", NULL, 0, 0, 0, 0, 0},
		{"q=a&q=b", "q", NULL, 0, 0, 0, 0, 0},
		{"q=%FF", "q", NULL, 0, 0, 0, 0, 0},
		{"q=a%00b", "q", NULL, 0, 0, 0, 0, 0},
		{"q=a%2", "q", NULL, 0, 0, 0, 0, 0},
		{"q=aaaaaaaaaaaaaaaaaaaaa", "q", NULL, 0, 0, 0, 0, 0}, /* 21 bytes > 20 */
		{"q=a&limit=3", "", NULL, 0, 0, 0, 0, 0},     /* unknown: no parameter */
		{"q=a&%FF=3", "", NULL, 0, 0, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		req_search s;
		req_error e;
		int rc = req_search_from_query(&s, rows[i].qs, strlen(rows[i].qs), &limits, &e);
		if (!rows[i].param) {
			cr_assert_eq(rc, 0, "%s: %s", rows[i].qs, e.message);
			cr_expect_str_eq(s.q, rows[i].q, "%s", rows[i].qs);
			cr_expect_eq(s.opts.k, rows[i].k, "%s", rows[i].qs);
			cr_expect_eq(s.opts.offset, rows[i].offset, "%s", rows[i].qs);
			cr_expect_eq(s.opts.passages, rows[i].passages, "%s", rows[i].qs);
			cr_expect_eq(s.opts.unit, rows[i].unit, "%s", rows[i].qs);
			cr_expect_eq(s.opts.sort, rows[i].sort, "%s", rows[i].qs);
		} else {
			cr_expect_neq(rc, 0, "%s should be refused", rows[i].qs);
			cr_expect_eq(e.status, 400, "%s", rows[i].qs);
			cr_expect_str_eq(e.code, "bad_parameter", "%s", rows[i].qs);
			if (*rows[i].param)
				cr_expect_str_eq(e.param ? e.param : "(none)", rows[i].param,
						 "%s", rows[i].qs);
			else
				cr_expect_null(e.param, "%s", rows[i].qs);
			cr_expect_eq(req_utf8_valid_prefix(e.message, strlen(e.message)),
				     strlen(e.message), "message of %s", rows[i].qs);
		}
		req_search_clear(&s);
	}
}

Test(server_params, search_json_bodies)
{
	static const struct {
		const char *body;
		const char *code; /* NULL: accepted */
		const char *q;
		size_t k;
	} rows[] = {
		{"{\"q\":\"treaty\"}", NULL, "treaty", 10},
		{"{\"q\":\"Zer\\u00f3n\",\"k\":3,\"unit\":\"passage\",\"sort\":\"date\",\"offset\":2,\"passages\":2}",
		 NULL, "Zer\xc3\xb3n", 3},
		{"", "bad_request", NULL, 0},
		{"{", "bad_request", NULL, 0},
		{"[\"q\"]", "bad_request", NULL, 0},
		{"{\"q\":\"a\",\"q\":\"b\"}", "bad_request", NULL, 0}, /* duplicate */
		{"{\"q\":\"a\\u0000b\"}", "bad_request", NULL, 0},    /* NUL */
		{"{\"q\":\"\xff\"}", "bad_request", NULL, 0},          /* not UTF-8 */
		{"{\"k\":3}", "bad_parameter", NULL, 0},
		{"{\"q\":3}", "bad_parameter", NULL, 0},
		{"{\"q\":\"a\",\"k\":\"3\"}", "bad_parameter", NULL, 0},
		{"{\"q\":\"a\",\"k\":2.5}", "bad_parameter", NULL, 0},
		{"{\"q\":\"a\",\"k\":-4}", "bad_parameter", NULL, 0},
		{"{\"q\":\"a\",\"k\":51}", "bad_parameter", NULL, 0},
		{"{\"q\":\"a\",\"unit\":null}", "bad_parameter", NULL, 0},
		{"{\"q\":\"a\",\"format\":\"text\"}", "bad_parameter", NULL, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		req_search s;
		req_error e;
		int rc = req_search_from_json(&s, rows[i].body, strlen(rows[i].body), &limits, &e);
		if (!rows[i].code) {
			cr_assert_eq(rc, 0, "%s: %s", rows[i].body, e.message);
			cr_expect_str_eq(s.q, rows[i].q);
			cr_expect_eq(s.opts.k, rows[i].k);
		} else {
			cr_expect_neq(rc, 0, "%s should be refused", rows[i].body);
			cr_expect_eq(e.status, 400, "%s", rows[i].body);
			cr_expect_str_eq(e.code, rows[i].code, "%s: %s", rows[i].body, e.message);
		}
		req_search_clear(&s);
	}
}

Test(server_params, document_and_bare_routes)
{
	long n;
	req_error e;
	cr_expect_eq(req_document_params(&n, NULL, 0, &e), 0);
	cr_expect_eq(n, -1);
	cr_expect_eq(req_document_params(&n, "passage=3", 9, &e), 0);
	cr_expect_eq(n, 3);
	cr_expect_neq(req_document_params(&n, "passage=x", 9, &e), 0);
	cr_expect_str_eq(e.param, "passage");
	cr_expect_neq(req_document_params(&n, "page=1", 6, &e), 0);
	cr_expect_eq(req_no_params(NULL, 0, &e), 0);
	cr_expect_eq(req_no_params("", 0, &e), 0);
	cr_expect_neq(req_no_params("verbose=1", 9, &e), 0);
	cr_expect_eq(e.status, 400);
}

/* ----------------------------------------------------------- the client */

typedef struct {
	int status;
	char *head; /* status line and headers */
	char *body;
	size_t body_len;
} http_resp;

/* A connection to the loopback port, or -1 with errno. */
static int try_connect(unsigned port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert_geq(fd, 0);
	struct timeval tv = {60, 0}; /* a hung server fails the test, not the run */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int http_connect(unsigned port)
{
	int fd = try_connect(port);
	cr_assert_geq(fd, 0, "connect: %s", strerror(errno));
	return fd;
}

static void http_send(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		cr_assert_gt(n, 0, "send: %s", strerror(errno));
		data += n;
		len -= (size_t)n;
	}
}

static const char *header(const http_resp *r, const char *name)
{
	static char value[512];
	size_t nl = strlen(name);
	for (const char *p = strstr(r->head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
		const char *line = p + 2;
		if (!strncasecmp(line, name, nl) && line[nl] == ':') {
			const char *v = line + nl + 1;
			while (*v == ' ')
				v++;
			size_t vl = strcspn(v, "\r");
			snprintf(value, sizeof value, "%.*s", (int)vl, v);
			return value;
		}
	}
	return NULL;
}

/* Read one response: headers, then Content-Length bytes (none for a
 * HEAD request), or to EOF. */
static http_resp http_read_ex(int fd, int head_request)
{
	size_t cap = 8192, len = 0;
	char *buf = malloc(cap);
	char *end = NULL;
	http_resp r = {0, NULL, NULL, 0};
	for (;;) {
		if (len + 1 >= cap)
			buf = realloc(buf, cap *= 2);
		buf[len] = '\0';
		if (!end && (end = strstr(buf, "\r\n\r\n")) != NULL) {
			size_t hl = (size_t)(end - buf);
			r.head = strndup(buf, hl);
			const char *cl = header(&r, "Content-Length");
			if (head_request)
				break;
			if (cl) {
				size_t want = hl + 4 + strtoul(cl, NULL, 10);
				while (len < want) {
					if (want + 1 > cap)
						buf = realloc(buf, cap = want + 1);
					ssize_t n = recv(fd, buf + len, want - len, 0);
					cr_assert_gt(n, 0, "the response ended early");
					len += (size_t)n;
				}
				break;
			}
		}
		ssize_t n = recv(fd, buf + len, cap - len - 1, 0);
		cr_assert_geq(n, 0, "recv: %s", strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
	}
	cr_assert_not_null(r.head, "no response headers in %zu bytes", len);
	size_t hl = strlen(r.head) + 4;
	r.body_len = len - hl;
	r.body = malloc(r.body_len + 1);
	memcpy(r.body, buf + hl, r.body_len);
	r.body[r.body_len] = '\0';
	cr_assert_eq(sscanf(r.head, "HTTP/1.%*d %d", &r.status), 1, "%s", r.head);
	free(buf);
	return r;
}

static http_resp http_read(int fd)
{
	return http_read_ex(fd, 0);
}

static void http_free(http_resp *r)
{
	free(r->head);
	free(r->body);
}

/* One request on a connection of its own. */
static http_resp http(unsigned port, const char *method, const char *target,
		      const char *headers, const char *body, size_t body_len)
{
	int fd = http_connect(port);
	char *req;
	cr_assert_gt(asprintf(&req,
			      "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s\r\n",
			      method, target, headers ? headers : "",
			      body ? "Content-Type: application/json\r\n" : ""),
		     0);
	http_send(fd, req, strlen(req));
	free(req);
	if (body) /* the caller's headers said how long */
		http_send(fd, body, body_len);
	http_resp r = http_read_ex(fd, !strcmp(method, "HEAD"));
	close(fd);
	return r;
}

static http_resp get(unsigned port, const char *target)
{
	return http(port, "GET", target, NULL, NULL, 0);
}

static http_resp post(unsigned port, const char *target, const char *body)
{
	char h[64];
	snprintf(h, sizeof h, "Content-Length: %zu\r\n", strlen(body));
	return http(port, "POST", target, h, body, strlen(body));
}

static json_t *json_of(const http_resp *r)
{
	json_error_t e;
	json_t *j = json_loadb(r->body, r->body_len, 0, &e);
	cr_assert_not_null(j, "not JSON (%s): %s", e.text, r->body);
	return j;
}

/* The response is the error {"error":{code, message, column}} with this
 * status and code. */
static void expect_error(const http_resp *r, int status, const char *code)
{
	cr_expect_eq(r->status, status, "status %d, not %d: %s", r->status, status, r->body);
	cr_expect_str_eq(header(r, "Content-Type"), "application/json; charset=utf-8");
	json_t *j = json_of(r);
	json_t *e = json_object_get(j, "error");
	cr_assert(json_is_object(e), "%s", r->body);
	cr_expect_str_eq(json_string_value(json_object_get(e, "code")), code, "%s", r->body);
	cr_expect(json_is_string(json_object_get(e, "message")) &&
			  *json_string_value(json_object_get(e, "message")),
		  "%s", r->body);
	cr_expect(json_is_integer(json_object_get(e, "column")), "%s", r->body);
	json_decref(j);
}

/* ---------------------------------------------------------- the fixture */

static char *tmp;
static char index_path[512];
static dicta_server *srv;
static unsigned port;

#define ID_SLASH "statutes/dc/\xc2\xa7 1-207.39"
#define ID_SLASH_URL "statutes%2Fdc%2F%C2%A7%201-207.39"

static void add(dicta_index *w, const char *id, const char *title,
		const char *date, const char *meta, const char *text)
{
	dicta_document d = {.version = DICTA_DOCUMENT_VERSION};
	d.id = id;
	d.title = title;
	d.date = date;
	d.meta_json = meta;
	d.text = text;
	d.text_len = strlen(text);
	cr_assert_eq(dicta_index_add(w, &d), 0, "%s", dicta_error_last());
}

/* A paragraph of n words: a few real ones, then filler. */
static char *paragraph(const char *lead, int n)
{
	size_t cap = strlen(lead) + (size_t)n * 9 + 1;
	char *p = malloc(cap);
	strcpy(p, lead);
	for (int i = 0; i < n; i++)
		strcat(p, i % 10 == 9 ? " council." : " council");
	return p;
}

static void build_index(void)
{
	tmp = cli_tmpdir();
	snprintf(index_path, sizeof index_path, "%s/idx", tmp);
	dicta_index *w;
	cr_assert_eq(dicta_index_open(&w, index_path, DICTA_OPEN_WRITE), 0, "%s",
		     dicta_error_last());
	/* Three paragraphs of over 50 words: three passages. */
	char *p1 = paragraph("Open meetings of public bodies.", 55);
	char *p2 = paragraph("Extradition hearings are never closed.", 55);
	char *p3 = paragraph("Minutes are kept.", 55);
	char *text;
	cr_assert_gt(asprintf(&text, "%s\n\n%s\n\n%s\n", p1, p2, p3), 0);
	add(w, ID_SLASH, "Open meetings", "2019-03-01", NULL, text);
	free(p1), free(p2), free(p3), free(text);
	add(w, "doc-2", "Extradition treaty with Mexico", "2020-05-01",
	    "{\"source_url\":\"https://example.org/treaty\"}",
	    "The extradition treaty between the United States and Mexico was signed in 1978.");
	add(w, "Zer\xc3\xb3n", "Asylum", "2021-01-02", NULL,
	    "The asylum claim of Zer\xc3\xb3n was granted.");
	cr_assert_eq(dicta_index_commit(w), 0, "%s", dicta_error_last());
	dicta_index_free(w);
}

static dicta_server *start(dicta_server_options *o)
{
	o->index_path = index_path;
	o->address = "127.0.0.1";
	o->port = 0;
	o->threads = 2;
	dicta_server *s;
	cr_assert_eq(dicta_server_start(&s, o), 0, "%s", dicta_error_last());
	cr_assert_gt(dicta_server_port(s), 0);
	return s;
}

static void setup(void)
{
	build_index();
	dicta_server_options o;
	dicta_server_options_init(&o);
	o.max_query_bytes = 200;
	o.max_k = 50;
	o.max_body_bytes = 4096;
	srv = start(&o);
	port = dicta_server_port(srv);
}

static void teardown(void)
{
	dicta_server_stop(srv, 5000);
	cli_tmpdir_remove(tmp);
}

TestSuite(server, .init = setup, .fini = teardown);

/* What the library itself answers, as JSON. */
static char *library_json(const char *q, const dicta_search_options *o)
{
	dicta_index *idx;
	cr_assert_eq(dicta_index_open(&idx, index_path, DICTA_OPEN_READ), 0);
	dicta_results *res;
	cr_assert_eq(dicta_search_run(&res, idx, q, o), 0, "%s", dicta_error_last());
	char *j = dicta_results_to_json(res);
	dicta_results_free(res);
	dicta_index_free(idx);
	return j;
}

/* ------------------------------------------------------------- routes */

Test(server, get_search_answers_what_the_library_answers)
{
	http_resp r = get(port, "/search?q=extradition&k=2&passages=2");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(header(&r, "Content-Type"), "application/json; charset=utf-8");
	dicta_search_options o;
	dicta_search_options_init(&o);
	o.k = 2;
	o.passages = 2;
	char *want = library_json("extradition", &o);
	cr_expect_str_eq(r.body, want);
	json_t *j = json_of(&r);
	cr_expect_eq(json_array_size(json_object_get(j, "results")), 2);
	json_decref(j);
	free(want);
	http_free(&r);
}

Test(server, post_search_takes_a_json_body)
{
	http_resp r = post(port, "/search",
			   "{\"q\":\"extradition\",\"k\":1,\"unit\":\"passage\",\"sort\":\"date\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	dicta_search_options o;
	dicta_search_options_init(&o);
	o.k = 1;
	o.unit = DICTA_UNIT_PASSAGE;
	o.sort = DICTA_SORT_DATE;
	char *want = library_json("extradition", &o);
	cr_expect_str_eq(r.body, want);
	free(want);
	http_free(&r);
}

Test(server, percent_encoded_queries_are_decoded)
{
	/* "Zerón asylum": ó as %C3%B3, the space as '+'. */
	http_resp r = get(port, "/search?q=Zer%C3%B3n+asylum");
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *j = json_of(&r);
	cr_expect_str_eq(json_string_value(json_object_get(j, "query")),
			 "Zer\xc3\xb3n asylum");
	json_t *first = json_array_get(json_object_get(j, "results"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(first, "id")), "Zer\xc3\xb3n");
	json_decref(j);
	http_free(&r);
}

Test(server, invalid_utf8_and_bad_encoding_are_400)
{
	static const char *const targets[] = {
		"/search?q=%FF%FE",           /* decodes to bytes that are not UTF-8 */
		"/search?q=caf%C3",           /* a truncated character */
		"/search?q=a%00b",            /* NUL */
		"/search?q=100%",             /* a bare '%' */
		"/search?q=a&k=%FF",
		"/documents/%C3%28",
		"/documents/bad%zzid",
	};
	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
		http_resp r = get(port, targets[i]);
		expect_error(&r, 400, "bad_parameter");
		http_free(&r);
	}
	/* Raw bytes that are not UTF-8 in the request line itself. */
	http_resp r = get(port, "/search?q=\xff\xfe");
	cr_expect_eq(r.status, 400, "%s", r.body);
	http_free(&r);
}

Test(server, bad_parameters_are_400_naming_the_parameter)
{
	static const struct {
		const char *target;
		const char *param;
	} rows[] = {
		{"/search", "q"},
		{"/search?q=a&k=0", "k"},
		{"/search?q=a&k=51", "k"},   /* over --max-k */
		{"/search?q=a&offset=x", "offset"},
		{"/search?q=a&passages=21", "passages"},
		{"/search?q=a&unit=chapter", "unit"},
		{"/search?q=a&sort=oldest", "sort"},
		{"/search?q=a&q=b", "q"},
		{"/documents/doc-2?passage=two", "passage"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		http_resp r = get(port, rows[i].target);
		expect_error(&r, 400, "bad_parameter");
		json_t *j = json_of(&r);
		cr_expect_str_eq(json_string_value(json_object_get(json_object_get(j, "error"),
								   "parameter")),
				 rows[i].param, "%s", rows[i].target);
		json_decref(j);
		http_free(&r);
	}
	http_resp r = get(port, "/search?q=a&limit=5");
	expect_error(&r, 400, "bad_parameter");
	cr_expect(strstr(r.body, "limit"), "%s", r.body);
	http_free(&r);
	r = get(port, "/stats?verbose=1");
	expect_error(&r, 400, "bad_parameter");
	http_free(&r);
}

Test(server, a_query_over_the_length_limit_is_400)
{
	/* "treaty+treaty+...": 201 bytes decoded, the limit is 200. */
	char target[300] = "/search?q=";
	for (int i = 0; i < 201; i++)
		target[10 + i] = "treaty+"[i % 7];
	http_resp r = get(port, target);
	expect_error(&r, 400, "bad_parameter");
	cr_expect(strstr(r.body, "at most 200 bytes"), "%s", r.body);
	http_free(&r);
	target[10 + 200] = '\0';
	r = get(port, target);
	cr_expect_eq(r.status, 200, "a query of exactly 200 bytes: %s", r.body);
	http_free(&r);
}

Test(server, a_query_error_is_400_with_the_library_column)
{
	dicta_index *idx;
	cr_assert_eq(dicta_index_open(&idx, index_path, DICTA_OPEN_READ), 0);
	static const char *const rows[][2] = {
		{"%20%20", "  "},
		{"", ""},
		{"title%3A+extradition", "title: extradition"}, /* a space after the colon */
		{"treaty+date%3A2019-13", "treaty date:2019-13"},
	};
	int positioned = 0;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		dicta_results *res;
		cr_assert_eq(dicta_search_run(&res, idx, rows[i][1], NULL), DICTA_EQUERY,
			     "\"%s\" should be a query error", rows[i][1]);
		int column = dicta_error_column();
		char target[64];
		snprintf(target, sizeof target, "/search?q=%s", rows[i][0]);
		http_resp r = get(port, target);
		expect_error(&r, 400, "bad_query");
		json_t *j = json_of(&r);
		json_t *e = json_object_get(j, "error");
		cr_expect_eq(json_integer_value(json_object_get(e, "column")), column, "%s", r.body);
		positioned += column > 0;
		cr_expect_str_eq(json_string_value(json_object_get(e, "parameter")), "q");
		json_decref(j);
		http_free(&r);
	}
	cr_expect_geq(positioned, 2, "errors with a column were tried");
	dicta_index_free(idx);
}

Test(server, documents_are_fetched_by_encoded_id)
{
	dicta_index *idx;
	cr_assert_eq(dicta_index_open(&idx, index_path, DICTA_OPEN_READ), 0);
	dicta_hit *doc;
	const char *text;
	size_t len;
	cr_assert_eq(dicta_document_get(&doc, &text, &len, idx, ID_SLASH), 0);

	/* '/' encoded as %2F, and as itself: the same document. */
	http_resp a = get(port, "/documents/" ID_SLASH_URL);
	http_resp b = get(port, "/documents/statutes/dc/%C2%A7%201-207.39");
	cr_assert_eq(a.status, 200, "%s", a.body);
	cr_expect_str_eq(a.body, b.body);
	json_t *j = json_of(&a);
	cr_expect_str_eq(json_string_value(json_object_get(j, "id")), ID_SLASH);
	cr_expect_str_eq(json_string_value(json_object_get(j, "title")), "Open meetings");
	cr_expect_str_eq(json_string_value(json_object_get(j, "date")), "2019-03-01");
	cr_expect_eq(json_integer_value(json_object_get(j, "passages")), 3);
	json_t *t = json_object_get(j, "text");
	cr_expect_eq(json_string_length(t), len);
	cr_expect_eq(memcmp(json_string_value(t), text, len), 0);
	json_decref(j);
	http_free(&a);
	http_free(&b);

	/* Metadata beyond the fixed fields comes back as "meta". */
	a = get(port, "/documents/doc-2");
	cr_assert_eq(a.status, 200, "%s", a.body);
	j = json_of(&a);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(j, "meta"),
							   "source_url")),
			 "https://example.org/treaty");
	json_decref(j);
	http_free(&a);

	a = get(port, "/documents/Zer%C3%B3n");
	cr_expect_eq(a.status, 200, "%s", a.body);
	http_free(&a);
	dicta_document_free(doc);
	dicta_index_free(idx);
}

Test(server, one_passage_of_a_document)
{
	dicta_index *idx;
	cr_assert_eq(dicta_index_open(&idx, index_path, DICTA_OPEN_READ), 0);
	dicta_hit *doc;
	const char *text;
	size_t len, prev_end = 0;
	cr_assert_eq(dicta_document_get(&doc, &text, &len, idx, ID_SLASH), 0);
	/* The passages tile the text in order, each the bytes it names. */
	for (int n = 0; n < 3; n++) {
		char target[128];
		snprintf(target, sizeof target, "/documents/%s?passage=%d", ID_SLASH_URL, n);
		http_resp r = get(port, target);
		cr_assert_eq(r.status, 200, "%s", r.body);
		json_t *j = json_of(&r);
		cr_expect_null(json_object_get(j, "text"), "only the passage is sent");
		json_t *p = json_object_get(j, "passage");
		size_t start = (size_t)json_integer_value(json_object_get(p, "start"));
		size_t end = (size_t)json_integer_value(json_object_get(p, "end"));
		cr_expect_eq(json_integer_value(json_object_get(p, "n")), n);
		if (n == 0)
			cr_expect_eq(start, 0);
		cr_expect_geq(start, prev_end);
		cr_assert_leq(end, len);
		cr_expect_lt(start, end);
		const char *pt = json_string_value(json_object_get(p, "text"));
		cr_expect_eq(strlen(pt), end - start);
		cr_expect_eq(memcmp(pt, text + start, end - start), 0);
		prev_end = end;
		json_decref(j);
		http_free(&r);
	}
	cr_expect_gt(prev_end, len - 2, "the last passage ends at the text's end");

	/* The passage a search returns is the one ?passage= fetches. */
	http_resp s = get(port, "/search?q=hearings+closed&k=1");
	cr_assert_eq(s.status, 200);
	json_t *j = json_of(&s);
	json_t *hit = json_array_get(json_object_get(j, "results"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(hit, "id")), ID_SLASH, "%s", s.body);
	json_t *sp = json_array_get(json_object_get(hit, "passages"), 0);
	char target[128];
	snprintf(target, sizeof target, "/documents/%s?passage=%lld", ID_SLASH_URL,
		 (long long)json_integer_value(json_object_get(sp, "n")));
	http_resp r = get(port, target);
	json_t *k = json_of(&r);
	json_t *p = json_object_get(k, "passage");
	cr_expect_eq(json_integer_value(json_object_get(p, "start")),
		     json_integer_value(json_object_get(sp, "start")));
	cr_expect_eq(json_integer_value(json_object_get(p, "end")),
		     json_integer_value(json_object_get(sp, "end")));
	json_decref(k);
	json_decref(j);
	http_free(&r);
	http_free(&s);

	/* No passage 3. */
	snprintf(target, sizeof target, "/documents/%s?passage=3", ID_SLASH_URL);
	r = get(port, target);
	expect_error(&r, 404, "not_found");
	cr_expect(strstr(r.body, "has 3"), "%s", r.body);
	http_free(&r);
	dicta_document_free(doc);
	dicta_index_free(idx);
}

Test(server, unknown_documents_and_routes_are_404)
{
	static const char *const targets[] = {
		"/documents/no-such-doc", "/documents/doc-2%2Fextra", "/documents/",
		"/", "/search/", "/documentsdoc-2", "/admin",
	};
	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
		http_resp r = get(port, targets[i]);
		expect_error(&r, 404, "not_found");
		http_free(&r);
	}
}

Test(server, wrong_methods_are_405_with_allow)
{
	static const char *const rows[][2] = {
		{"DELETE", "/search?q=a"}, {"PUT", "/documents/doc-2"},
		{"POST", "/health"},       {"POST", "/documents/doc-2"},
		{"PATCH", "/stats"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		http_resp r = http(port, rows[i][0], rows[i][1], "Content-Length: 0\r\n", NULL, 0);
		expect_error(&r, 405, "method_not_allowed");
		cr_expect_not_null(header(&r, "Allow"), "%s %s", rows[i][0], rows[i][1]);
		http_free(&r);
	}
	http_resp r = http(port, "DELETE", "/search", NULL, NULL, 0);
	cr_expect_str_eq(header(&r, "Allow"), "GET, HEAD, POST, OPTIONS");
	http_free(&r);
	/* HEAD is GET without the body; POST to /search with URL parameters
	 * is refused. */
	r = http(port, "HEAD", "/health", NULL, NULL, 0);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(r.body_len, 0);
	http_free(&r);
	r = post(port, "/search?q=a", "{\"q\":\"a\"}");
	expect_error(&r, 400, "bad_parameter");
	http_free(&r);
}

Test(server, bodies_over_the_limit_are_413)
{
	/* Declared too long: refused before it is sent. */
	http_resp r = http(port, "POST", "/search", "Content-Length: 5000\r\n", NULL, 0);
	expect_error(&r, 413, "too_large");
	http_free(&r);

	/* Chunked, with no length given: refused once it is all in. */
	int fd = http_connect(port);
	const char *head = "POST /search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			   "Transfer-Encoding: chunked\r\n\r\n";
	http_send(fd, head, strlen(head));
	char chunk[1100];
	memset(chunk, ' ', sizeof chunk);
	memcpy(chunk, "400\r\n", 5);
	memcpy(chunk + 5 + 0x400, "\r\n", 2);
	for (int i = 0; i < 5; i++) /* 5 x 1024 > 4096 */
		http_send(fd, chunk, 5 + 0x400 + 2);
	http_send(fd, "0\r\n\r\n", 5);
	r = http_read(fd);
	close(fd);
	expect_error(&r, 413, "too_large");
	http_free(&r);

	/* Just under the limit is fine. */
	char body[4096];
	memset(body, ' ', sizeof body);
	memcpy(body, "{\"q\":\"treaty\"}", 14);
	body[sizeof body - 1] = '\0';
	r = post(port, "/search", body);
	cr_expect_eq(r.status, 200, "%s", r.body);
	http_free(&r);
	r = post(port, "/search", "{\"q\": ");
	expect_error(&r, 400, "bad_request");
	http_free(&r);
}

Test(server, health_and_stats)
{
	http_resp r = get(port, "/health");
	cr_assert_eq(r.status, 200);
	json_t *j = json_of(&r);
	cr_expect_str_eq(json_string_value(json_object_get(j, "status")), "ok");
	json_decref(j);
	http_free(&r);

	for (int i = 0; i < 3; i++) {
		r = get(port, "/search?q=treaty");
		cr_expect_eq(r.status, 200);
		http_free(&r);
	}
	r = get(port, "/search?q=treaty&k=0"); /* refused: not a query served */
	http_free(&r);
	r = get(port, "/stats");
	cr_assert_eq(r.status, 200, "%s", r.body);
	j = json_of(&r);
	cr_expect_eq(json_integer_value(json_object_get(j, "documents")), 3);
	cr_expect_eq(json_integer_value(json_object_get(j, "passages")), 5);
	cr_expect_gt(json_integer_value(json_object_get(j, "index_bytes")), 0);
	int y, mo, d, h, mi, s;
	cr_expect_eq(sscanf(json_string_value(json_object_get(j, "last_commit")),
			    "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s),
		     6, "%s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(j, "queries")), 3);
	cr_expect_eq(json_integer_value(json_object_get(j, "requests")), 5);
	json_t *resp = json_object_get(j, "responses");
	cr_expect_eq(json_integer_value(json_object_get(resp, "2xx")), 4);
	cr_expect_eq(json_integer_value(json_object_get(resp, "4xx")), 1);
	json_t *lat = json_object_get(j, "latency_ms");
	double p50 = json_real_value(json_object_get(lat, "p50"));
	double p99 = json_real_value(json_object_get(lat, "p99"));
	double max = json_real_value(json_object_get(lat, "max"));
	cr_expect(p50 > 0 && p50 <= p99, "%s", r.body);
	/* Buckets are reported by their upper bound, within 12.5%. */
	cr_expect(p99 <= max * 1.125 + 0.001, "%s", r.body);
	json_decref(j);
	http_free(&r);
}

Test(server, commits_are_seen_without_a_restart)
{
	http_resp r = get(port, "/search?q=zebra");
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *j = json_of(&r);
	cr_expect_eq(json_array_size(json_object_get(j, "results")), 0);
	json_decref(j);
	http_free(&r);
	r = get(port, "/documents/zoo");
	expect_error(&r, 404, "not_found");
	http_free(&r);

	/* A writer adds a document while the server runs. */
	dicta_index *w;
	cr_assert_eq(dicta_index_open(&w, index_path, DICTA_OPEN_WRITE), 0, "%s",
		     dicta_error_last());
	add(w, "zoo", "Zoo permits", "2022-02-02", NULL, "A permit to keep a zebra.");
	cr_assert_eq(dicta_index_commit(w), 0);

	/* The next requests see it, the writer still open. */
	r = get(port, "/search?q=zebra");
	cr_assert_eq(r.status, 200, "%s", r.body);
	j = json_of(&r);
	json_t *first = json_array_get(json_object_get(j, "results"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(first, "id")), "zoo", "%s", r.body);
	json_decref(j);
	http_free(&r);
	r = get(port, "/documents/zoo");
	cr_expect_eq(r.status, 200, "%s", r.body);
	http_free(&r);
	r = get(port, "/stats");
	j = json_of(&r);
	cr_expect_eq(json_integer_value(json_object_get(j, "documents")), 4);
	json_decref(j);
	http_free(&r);

	/* And a deletion. */
	cr_assert_eq(dicta_index_delete(w, "zoo"), 0);
	cr_assert_eq(dicta_index_commit(w), 0);
	dicta_index_free(w);
	r = get(port, "/documents/zoo");
	expect_error(&r, 404, "not_found");
	http_free(&r);
}

Test(server, an_index_gone_is_503_and_back_is_200)
{
	http_resp r = get(port, "/health");
	cr_assert_eq(r.status, 200);
	http_free(&r);
	char moved[600];
	snprintf(moved, sizeof moved, "%s/moved", tmp);
	cr_assert_eq(rename(index_path, moved), 0);
	r = get(port, "/health");
	expect_error(&r, 503, "unavailable");
	http_free(&r);
	r = get(port, "/search?q=treaty");
	expect_error(&r, 503, "unavailable");
	http_free(&r);
	cr_assert_eq(rename(moved, index_path), 0);
	r = get(port, "/search?q=treaty");
	cr_expect_eq(r.status, 200, "%s", r.body);
	http_free(&r);
}

Test(server, keep_alive_connections_serve_many_requests)
{
	int fd = http_connect(port);
	for (int i = 0; i < 3; i++) {
		const char *req = "GET /search?q=treaty HTTP/1.1\r\nHost: x\r\n\r\n";
		http_send(fd, req, strlen(req));
		http_resp r = http_read(fd);
		cr_expect_eq(r.status, 200);
		cr_expect_null(header(&r, "Connection"), "kept open: %s", r.head);
		http_free(&r);
	}
	close(fd);
}

Test(server, more_connections_than_allowed_get_503)
{
	dicta_server_options o;
	dicta_server_options_init(&o);
	o.max_connections = 1;
	dicta_server *s = start(&o);
	unsigned p = dicta_server_port(s);
	/* Connection A is served and stays open... */
	int a = http_connect(p);
	const char *req = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
	http_send(a, req, strlen(req));
	http_resp r = http_read(a);
	cr_assert_eq(r.status, 200);
	http_free(&r);
	/* ...so connection B is one too many. */
	r = get(p, "/health");
	expect_error(&r, 503, "overloaded");
	cr_expect_str_eq(header(&r, "Retry-After"), "1");
	http_free(&r);
	/* Once A is gone, a new connection is served again (the server sees
	 * the close when it gets to it). */
	close(a);
	int status = 0;
	for (int tries = 0; tries < 500 && status != 200; tries++) {
		r = get(p, "/health");
		status = r.status;
		http_free(&r);
		if (status != 200)
			usleep(10000);
	}
	cr_expect_eq(status, 200);
	dicta_server_stop(s, 5000);
}

Test(server, cors_headers_only_when_asked_for)
{
	http_resp r = get(port, "/health");
	cr_expect_null(header(&r, "Access-Control-Allow-Origin"));
	http_free(&r);

	dicta_server_options o;
	dicta_server_options_init(&o);
	o.cors_origin = "https://app.example";
	dicta_server *s = start(&o);
	unsigned p = dicta_server_port(s);
	r = get(p, "/search?q=treaty");
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(header(&r, "Access-Control-Allow-Origin"), "https://app.example");
	cr_expect_str_eq(header(&r, "Vary"), "Origin");
	http_free(&r);
	/* A browser's preflight for a JSON POST. */
	r = http(p, "OPTIONS", "/search",
		 "Origin: https://app.example\r\nAccess-Control-Request-Method: POST\r\n"
		 "Access-Control-Request-Headers: content-type\r\n",
		 NULL, 0);
	cr_expect_eq(r.status, 204);
	cr_expect_str_eq(header(&r, "Access-Control-Allow-Origin"), "https://app.example");
	cr_expect(strstr(header(&r, "Access-Control-Allow-Methods"), "POST"));
	cr_expect_str_eq(header(&r, "Access-Control-Allow-Headers"), "Content-Type");
	http_free(&r);
	dicta_server_stop(s, 5000);
}

Test(server, start_refuses_what_it_cannot_serve)
{
	dicta_server_options o;
	dicta_server_options_init(&o);
	cr_expect_str_eq(o.address, "127.0.0.1", "loopback unless told otherwise");
	dicta_server *s;
	char missing[600];
	snprintf(missing, sizeof missing, "%s/none", tmp);
	o.index_path = missing;
	cr_expect_eq(dicta_server_start(&s, &o), DICTA_ENOTFOUND);
	o.index_path = index_path;
	o.port = port; /* taken by the fixture's server */
	cr_expect_eq(dicta_server_start(&s, &o), DICTA_EIO);
	cr_expect(strstr(dicta_error_last(), "in use"), "%s", dicta_error_last());
	o.port = 0;
	o.address = "not an address";
	cr_expect_eq(dicta_server_start(&s, &o), DICTA_EINVAL);
	o.address = "127.0.0.1";
	o.version = 99;
	cr_expect_eq(dicta_server_start(&s, &o), DICTA_EINVAL);
}

Test(server, a_client_gone_mid_request_leaves_nothing_behind)
{
	/* Half a request line, a half-sent body: each client hangs up.  The
	 * server keeps answering (and under LeakSanitizer frees the requests). */
	static const char *const partial[] = {
		"GET /search?q=tre",
		"GET /search?q=treaty HTTP/1.1\r\nHost: x\r\n",
		"POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"q\":",
	};
	for (size_t i = 0; i < sizeof partial / sizeof partial[0]; i++) {
		int fd = http_connect(port);
		http_send(fd, partial[i], strlen(partial[i]));
		close(fd);
	}
	http_resp r = get(port, "/search?q=treaty");
	cr_expect_eq(r.status, 200);
	http_free(&r);
}

/* ------------------------------------------------------ SIGTERM, CLI */

Test(server, sigterm_finishes_the_request_in_flight_and_exits_0)
{
	int err[2];
	cr_assert_eq(pipe(err), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(err[1], 2);
		close(err[0]);
		close(err[1]);
		execl(DICTA_BUILD_DIR "/dicta-search", "dicta-search", "--index", index_path,
		      "--serve", "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	close(err[1]);
	/* "dicta-search: listening on http://127.0.0.1:PORT/ (index ...)" */
	char log[8192];
	size_t len = 0;
	unsigned p = 0;
	while (!p && len < sizeof log - 1) {
		ssize_t n = read(err[0], log + len, sizeof log - 1 - len);
		cr_assert_gt(n, 0, "the server said nothing: %.*s", (int)len, log);
		len += (size_t)n;
		log[len] = '\0';
		const char *at = strstr(log, "http://127.0.0.1:");
		if (at && strchr(at, '/') && strstr(at, "/ ("))
			p = (unsigned)atoi(at + strlen("http://127.0.0.1:"));
	}
	cr_assert_gt(p, 0, "%s", log);

	/* A request whose headers are not finished is in flight... */
	int fd = http_connect(p);
	const char *head = "GET /search?q=extradition HTTP/1.1\r\nHost: x\r\n";
	http_send(fd, head, strlen(head));
	/* ...once /stats counts it (the /stats request itself is the other). */
	int in_flight = 0;
	for (int tries = 0; tries < 500 && in_flight < 2; tries++) {
		http_resp r = get(p, "/stats");
		json_t *j = json_of(&r);
		in_flight = (int)json_integer_value(json_object_get(j, "in_flight"));
		json_decref(j);
		http_free(&r);
		if (in_flight < 2)
			usleep(10000);
	}
	cr_assert_eq(in_flight, 2);

	cr_assert_eq(kill(pid, SIGTERM), 0);
	/* Once the server refuses new connections it is draining... */
	int refused = 0;
	for (int tries = 0; tries < 500 && !refused; tries++) {
		int probe = try_connect(p);
		if (probe < 0 && errno == ECONNREFUSED)
			refused = 1;
		else
			usleep(10000);
		if (probe >= 0)
			close(probe);
	}
	cr_assert(refused, "still accepting connections after SIGTERM");
	/* ...and waits for the request: finish it, get the answer. */
	http_send(fd, "\r\n", 2);
	http_resp r = http_read(fd);
	close(fd);
	cr_expect_eq(r.status, 200, "%s", r.body);
	json_t *j = json_of(&r);
	cr_expect_gt(json_array_size(json_object_get(j, "results")), 0);
	cr_expect_str_eq(header(&r, "Connection"), "close");
	json_decref(j);
	http_free(&r);

	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	ssize_t n;
	while (len < sizeof log - 1 && (n = read(err[0], log + len, sizeof log - 1 - len)) > 0)
		len += (size_t)n;
	log[len] = '\0';
	close(err[0]);
	int clean = !strstr(log, "Sanitizer") && !strstr(log, "runtime error");
	if (!clean) /* for make check's scan of the output, too */
		fputs(log, stderr);
	cr_expect(clean, "the server's sanitizer report: %s", log);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d: %s", status, log);
	cr_expect(strstr(log, "stopped"), "%s", log);
}

Test(server, cli_refuses_bad_arguments)
{
	cli_result r = cli_run("dicta-search --index %s --serve 127.0.0.1:99999", index_path);
	cr_expect_eq(r.status, 2, "%s", r.err);
	cr_expect(strstr(r.err, "--serve takes [HOST:]PORT"), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/none --serve 127.0.0.1:0", tmp);
	cr_expect_eq(r.status, 3, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s --serve 127.0.0.1:%u", index_path, port);
	cr_expect_eq(r.status, 4, "%s", r.err);
	cr_expect(strstr(r.err, "in use"), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s --serve 0 --max-k lots", index_path);
	cr_expect_eq(r.status, 2, "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --serve 0 --help");
	cr_expect_eq(r.status, 0);
	cr_expect(strstr(r.out, "--max-body-bytes"), "%s", r.out);
	cli_result_free(&r);
}
