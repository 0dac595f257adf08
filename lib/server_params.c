/*
 * server_params.c — what a request asks for, from the bytes a client sent:
 * the route of its target, its percent-decoded parameters, and the search
 * they describe, with every server limit applied.  No libmicrohttpd here, so
 * tests and the libFuzzer harness drive it directly; server.c calls it.
 *
 * Query strings are application/x-www-form-urlencoded ('+' is a space, %XX
 * a byte); the path is percent-decoded without the '+' rule, so a document
 * id may hold '/' either as %2F or as itself.  Every decoded value must be
 * valid UTF-8 without NUL, because the ids and queries it reaches are, and
 * because the error messages quoting it are sent as JSON.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "server.h"

int req_fail(req_error *err, int status, const char *code, const char *param,
	     const char *fmt, ...)
{
	err->status = status;
	err->code = code;
	err->param = param;
	err->column = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	/* A message cut by vsnprintf may end inside a character. */
	err->message[req_utf8_valid_prefix(err->message, strlen(err->message))] = '\0';
	return -1;
}

size_t req_utf8_valid_prefix(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			break;
		i += (size_t)n;
	}
	return i;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *req_percent_decode(const char *s, size_t len, int plus_is_space,
			 size_t *out_len)
{
	char *out = malloc(len + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%') {
			int hi = i + 1 < len ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < len ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				free(out);
				return NULL;
			}
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && plus_is_space) {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

/* A request string fit to quote in a message: at most 60 bytes of it, cut
 * on a character boundary, or a placeholder when it is not UTF-8. */
static const char *quotable(char *buf, size_t size, const char *s, size_t len)
{
	size_t ok = req_utf8_valid_prefix(s, len);
	if (ok < len || memchr(s, '\0', len))
		return "(bytes that are not UTF-8 text)";
	size_t n = len < 60 ? len : 60;
	if (n < len)
		n = req_utf8_valid_prefix(s, n);
	snprintf(buf, size, "%.*s%s", (int)n, s, n < len ? "..." : "");
	return buf;
}

static int text_value(const char *name, const char *v, size_t len,
		      req_error *err)
{
	if (req_utf8_valid_prefix(v, len) != len)
		return req_fail(err, 400, "bad_parameter", name,
				"parameter %s is not valid UTF-8", name);
	if (memchr(v, '\0', len))
		return req_fail(err, 400, "bad_parameter", name,
				"parameter %s contains a NUL byte", name);
	return 0;
}

/* --------------------------------------------------------------- targets */

void req_target_clear(req_target *t)
{
	free(t->doc_id);
	memset(t, 0, sizeof *t);
}

int req_target_parse(req_target *out, const char *target, req_error *err)
{
	memset(out, 0, sizeof *out);
	const char *p = target;
	/* Absolute form: skip "scheme://authority". */
	if (!strncmp(p, "http://", 7) || !strncmp(p, "https://", 8)) {
		p = strstr(p, "://") + 3;
		p += strcspn(p, "/?");
	}
	size_t plen = strcspn(p, "?");
	if (p[plen] == '?') {
		out->query = p + plen + 1;
		out->query_len = strlen(out->query);
	}
	static const char docs[] = "/documents/";
	if (plen == 7 && !memcmp(p, "/search", 7)) {
		out->route = ROUTE_SEARCH;
	} else if (plen == 7 && !memcmp(p, "/health", 7)) {
		out->route = ROUTE_HEALTH;
	} else if (plen == 6 && !memcmp(p, "/stats", 6)) {
		out->route = ROUTE_STATS;
	} else if (plen > sizeof docs - 1 && !memcmp(p, docs, sizeof docs - 1)) {
		const char *raw = p + sizeof docs - 1;
		size_t rl = plen - (sizeof docs - 1), n;
		out->route = ROUTE_DOCUMENT;
		out->doc_id = req_percent_decode(raw, rl, 0, &n);
		if (!out->doc_id)
			return req_fail(err, 400, "bad_parameter", "id",
					"the document id has a '%%' that is not "
					"followed by two hex digits (write %%25 for '%%')");
		if (text_value("id", out->doc_id, n, err))
			return -1;
	} else {
		char buf[80];
		out->route = ROUTE_NONE;
		return req_fail(err, 404, "not_found", NULL,
				"no such route: %s (routes: /search, "
				"/documents/{id}, /health, /stats)",
				plen ? quotable(buf, sizeof buf, p, plen) : "(empty)");
	}
	return 0;
}

/* ------------------------------------------------------------ parameters */

typedef struct {
	const char *name;
	char *value;   /* decoded, NULL when absent */
	size_t len;
} param;

static void params_clear(param *ps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(ps[i].value);
		ps[i].value = NULL;
	}
}

/* Decode the query string into the named slots of ps; `allowed` lists the
 * names for the message about an unknown one. */
static int params_parse(param *ps, size_t nps, const char *qs, size_t len,
			const char *allowed, req_error *err)
{
	for (size_t i = 0; i < len;) {
		size_t seg = i;
		while (i < len && qs[i] != '&')
			i++;
		size_t seglen = i - seg;
		i++; /* past '&' */
		if (seglen == 0)
			continue;
		const char *s = qs + seg;
		const char *eq = memchr(s, '=', seglen);
		size_t klen = eq ? (size_t)(eq - s) : seglen;
		size_t kn, vn;
		char *key = req_percent_decode(s, klen, 1, &kn);
		if (!key)
			return req_fail(err, 400, "bad_parameter", NULL,
					"a parameter name has a '%%' that is not "
					"followed by two hex digits");
		param *slot = NULL;
		for (size_t k = 0; k < nps; k++)
			if (strlen(ps[k].name) == kn && !memcmp(ps[k].name, key, kn))
				slot = &ps[k];
		if (!slot) {
			char buf[80];
			req_fail(err, 400, "bad_parameter", NULL,
				 "unknown parameter \"%s\" (%s)",
				 quotable(buf, sizeof buf, key, kn), allowed);
			free(key);
			return -1;
		}
		free(key);
		if (slot->value)
			return req_fail(err, 400, "bad_parameter", slot->name,
					"parameter %s is given more than once",
					slot->name);
		slot->value = eq ? req_percent_decode(eq + 1, seglen - klen - 1, 1, &vn)
				 : req_percent_decode("", 0, 1, &vn);
		if (!slot->value)
			return req_fail(err, 400, "bad_parameter", slot->name,
					"parameter %s has a '%%' that is not followed "
					"by two hex digits (write %%25 for '%%')",
					slot->name);
		slot->len = vn;
		if (text_value(slot->name, slot->value, vn, err))
			return -1;
	}
	return 0;
}

/* A whole number in [min, max] from decimal digits. */
static int count_value(size_t *out, const char *name, const char *v, size_t len,
		       size_t min, size_t max, req_error *err)
{
	unsigned long long n = 0;
	int ok = len > 0;
	for (size_t i = 0; i < len && ok; i++) {
		if (v[i] < '0' || v[i] > '9')
			ok = 0;
		else if (n <= max)
			n = n * 10 + (unsigned)(v[i] - '0');
	}
	if (ok && n >= min && n <= max) {
		*out = (size_t)n;
		return 0;
	}
	char buf[80];
	return req_fail(err, 400, "bad_parameter", name,
			"%s must be a whole number from %zu to %zu, not \"%s\"", name,
			min, max, quotable(buf, sizeof buf, v, len));
}

static int unit_value(int *out, const char *v, size_t len, req_error *err)
{
	if ((len == 3 && !memcmp(v, "doc", 3)) ||
	    (len == 8 && !memcmp(v, "document", 8)))
		*out = DICTA_UNIT_DOCUMENT;
	else if (len == 7 && !memcmp(v, "passage", 7))
		*out = DICTA_UNIT_PASSAGE;
	else {
		char buf[80];
		return req_fail(err, 400, "bad_parameter", "unit",
				"unit must be doc or passage, not \"%s\"",
				quotable(buf, sizeof buf, v, len));
	}
	return 0;
}

static int sort_value(int *out, const char *v, size_t len, req_error *err)
{
	if (len == 9 && !memcmp(v, "relevance", 9))
		*out = DICTA_SORT_RELEVANCE;
	else if (len == 4 && !memcmp(v, "date", 4))
		*out = DICTA_SORT_DATE;
	else {
		char buf[80];
		return req_fail(err, 400, "bad_parameter", "sort",
				"sort must be relevance or date, not \"%s\"",
				quotable(buf, sizeof buf, v, len));
	}
	return 0;
}

static int query_value(req_search *s, const char *v, size_t len,
		       const req_limits *lim, req_error *err)
{
	if (text_value("q", v, len, err))
		return -1;
	if (len > lim->max_query_bytes)
		return req_fail(err, 400, "bad_parameter", "q",
				"q is %zu bytes long; this server takes queries of "
				"at most %zu bytes",
				len, lim->max_query_bytes);
	if (!(s->q = malloc(len + 1)))
		return req_fail(err, 500, "internal", NULL, "out of memory");
	memcpy(s->q, v, len);
	s->q[len] = '\0';
	return 0;
}

static void search_init(req_search *s)
{
	s->q = NULL;
	dicta_search_options_init(&s->opts);
}

void req_search_clear(req_search *s)
{
	free(s->q);
	s->q = NULL;
}

static const char search_params[] =
	"/search takes q, k, offset, passages, unit and sort";

int req_search_from_query(req_search *out, const char *qs, size_t len,
			  const req_limits *lim, req_error *err)
{
	search_init(out);
	enum { Q, K, OFFSET, PASSAGES, UNIT, SORT, N };
	param ps[N] = {{"q", NULL, 0},        {"k", NULL, 0},
		       {"offset", NULL, 0},   {"passages", NULL, 0},
		       {"unit", NULL, 0},     {"sort", NULL, 0}};
	dicta_search_options *o = &out->opts;
	int rc = params_parse(ps, N, qs ? qs : "", qs ? len : 0, search_params, err);
	if (rc == 0 && !ps[Q].value)
		rc = req_fail(err, 400, "bad_parameter", "q",
			      "parameter q (the query) is missing");
	if (rc == 0)
		rc = query_value(out, ps[Q].value, ps[Q].len, lim, err);
	if (rc == 0 && ps[K].value)
		rc = count_value(&o->k, "k", ps[K].value, ps[K].len, 1, lim->max_k, err);
	if (rc == 0 && ps[OFFSET].value)
		rc = count_value(&o->offset, "offset", ps[OFFSET].value,
				 ps[OFFSET].len, 0, lim->max_offset, err);
	if (rc == 0 && ps[PASSAGES].value)
		rc = count_value(&o->passages, "passages", ps[PASSAGES].value,
				 ps[PASSAGES].len, 1, lim->max_passages, err);
	if (rc == 0 && ps[UNIT].value)
		rc = unit_value(&o->unit, ps[UNIT].value, ps[UNIT].len, err);
	if (rc == 0 && ps[SORT].value)
		rc = sort_value(&o->sort, ps[SORT].value, ps[SORT].len, err);
	params_clear(ps, N);
	return rc;
}

/* A JSON member that must be a whole number. */
static int json_count(size_t *out, const char *name, json_t *v, size_t min,
		      size_t max, req_error *err)
{
	if (!json_is_integer(v))
		return req_fail(err, 400, "bad_parameter", name,
				"%s must be a number", name);
	json_int_t n = json_integer_value(v);
	if (n < 0 || (unsigned long long)n < min || (unsigned long long)n > max)
		return req_fail(err, 400, "bad_parameter", name,
				"%s must be a whole number from %zu to %zu, not %lld",
				name, min, max, (long long)n);
	*out = (size_t)n;
	return 0;
}

static int json_text(const char **out, size_t *len, const char *name, json_t *v,
		     req_error *err)
{
	if (!json_is_string(v))
		return req_fail(err, 400, "bad_parameter", name,
				"%s must be a string", name);
	*out = json_string_value(v);
	*len = json_string_length(v);
	return 0;
}

int req_search_from_json(req_search *out, const char *body, size_t len,
			 const req_limits *lim, req_error *err)
{
	search_init(out);
	json_error_t jerr;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		char buf[80];
		return req_fail(err, 400, "bad_request", NULL,
				"the body is not valid JSON: %s (line %d, column %d)",
				quotable(buf, sizeof buf, jerr.text, strlen(jerr.text)),
				jerr.line, jerr.column);
	}
	int rc = 0;
	if (!json_is_object(root))
		rc = req_fail(err, 400, "bad_request", NULL,
			      "the body must be a JSON object such as "
			      "{\"q\": \"extradition\", \"k\": 10}");
	dicta_search_options *o = &out->opts;
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v) {
		const char *s = NULL;
		size_t sl = 0;
		if (rc)
			break;
		if (!strcmp(key, "q")) {
			rc = json_text(&s, &sl, "q", v, err);
			if (rc == 0)
				rc = query_value(out, s, sl, lim, err);
		} else if (!strcmp(key, "k")) {
			rc = json_count(&o->k, "k", v, 1, lim->max_k, err);
		} else if (!strcmp(key, "offset")) {
			rc = json_count(&o->offset, "offset", v, 0, lim->max_offset, err);
		} else if (!strcmp(key, "passages")) {
			rc = json_count(&o->passages, "passages", v, 1,
					lim->max_passages, err);
		} else if (!strcmp(key, "unit")) {
			rc = json_text(&s, &sl, "unit", v, err);
			if (rc == 0)
				rc = unit_value(&o->unit, s, sl, err);
		} else if (!strcmp(key, "sort")) {
			rc = json_text(&s, &sl, "sort", v, err);
			if (rc == 0)
				rc = sort_value(&o->sort, s, sl, err);
		} else {
			char buf[80];
			rc = req_fail(err, 400, "bad_parameter", NULL,
				      "unknown member \"%s\" (%s)",
				      quotable(buf, sizeof buf, key, strlen(key)),
				      search_params);
		}
	}
	if (rc == 0 && !out->q)
		rc = req_fail(err, 400, "bad_parameter", "q",
			      "member q (the query) is missing");
	json_decref(root);
	return rc;
}

int req_document_params(long *passage_out, const char *qs, size_t len,
			req_error *err)
{
	*passage_out = -1;
	param p = {"passage", NULL, 0};
	int rc = params_parse(&p, 1, qs ? qs : "", qs ? len : 0,
			      "/documents/{id} takes passage", err);
	size_t n;
	if (rc == 0 && p.value) {
		rc = count_value(&n, "passage", p.value, p.len, 0, 0xFFFFFFFFu, err);
		if (rc == 0)
			*passage_out = (long)n;
	}
	params_clear(&p, 1);
	return rc;
}

int req_no_params(const char *qs, size_t len, req_error *err)
{
	return params_parse(NULL, 0, qs ? qs : "", qs ? len : 0,
			    "this route takes none", err);
}
