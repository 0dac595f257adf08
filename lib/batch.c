/*
 * batch.c — reading query files for batch runs: format detection, the four
 * readers (TSV, JSON Lines, AILA id||text, TREC topics) and the escaping of
 * free text.  Called by the batch runner (batch_run.c) through the CLI; the
 * formats are described in batch.h and docs/batch.md.
 *
 * A file is read whole (query files are small: the largest we know, AILA's
 * 50 fact descriptions, is 150 KB); lines end at "\n" with an optional
 * "\r" before it.  Every query is checked for valid UTF-8 so that the JSON
 * and HTML writers never meet a broken string, and for a repeated id,
 * which would make two result lists for one id in a TREC run.  A query
 * with a problem is reported through the skip callback and left out.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analyze.h"
#include "batch.h"
#include "sbuf.h"
#include "error.h"
#include "query_parse.h"
#include "strset.h"

static const char *const format_names[] = {"auto", "tsv", "jsonl", "aila", "trec"};

const char *batch_format_name(batch_format f)
{
	if ((unsigned)f >= sizeof format_names / sizeof *format_names)
		return NULL;
	return format_names[f];
}

int batch_format_parse(batch_format *out, const char *name)
{
	for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
		if (strcmp(name, format_names[i]) == 0) {
			*out = (batch_format)i;
			return 0;
		}
	return error_set(DICTA_EINVAL,
			 "unknown batch format \"%s\" (use tsv, jsonl, aila or trec)",
			 name);
}

/* ------------------------------------------------------------- lines */

typedef struct {
	const char *p, *end;
	long line; /* number of the line last returned */
} line_reader;

/* The next line, without its "\n" or "\r\n"; 0 at the end. */
static int next_line(line_reader *r, const char **s, size_t *len)
{
	if (r->p >= r->end)
		return 0;
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	const char *e = nl ? nl : r->end;
	*s = r->p;
	*len = (size_t)(e - r->p);
	if (*len && (*s)[*len - 1] == '\r')
		(*len)--;
	r->p = nl ? nl + 1 : r->end;
	r->line++;
	return 1;
}

static int is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* s[0, len) less leading and trailing white space. */
static void trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

batch_format batch_detect(const char *data, size_t len)
{
	line_reader r = {data, data + len, 0};
	const char *s;
	size_t l;
	int seen = 0, tabs = 0, bars = 0;
	/* A UTF-8 byte order mark says nothing about the format. */
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		r.p += 3;
	while (seen < 50 && next_line(&r, &s, &l)) {
		trim(&s, &l);
		if (l == 0)
			continue;
		if (seen == 0 && l >= 4 && !strncasecmp(s, "<top", 4))
			return BATCH_TREC;
		if (seen == 0 && s[0] == '{')
			return BATCH_JSONL;
		seen++;
		if (memchr(s, '\t', l))
			tabs++;
		for (size_t i = 0; i + 1 < l; i++)
			if (s[i] == '|' && s[i + 1] == '|') {
				bars++;
				break;
			}
	}
	if (tabs == 0 && bars == 0)
		return BATCH_AUTO;
	return tabs >= bars ? BATCH_TSV : BATCH_AILA;
}

/* ----------------------------------------------------------- adding */

typedef struct {
	batch_queries *out;
	const char *name;
	batch_skip_fn on_skip;
	void *payload;
	strset *ids;
} reader;

static void skip(reader *rd, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void skip(reader *rd, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (rd->on_skip)
		rd->on_skip(rd->name, line, msg, rd->payload);
}

/* A printable excerpt of an id for messages. */
static void excerpt(char *buf, size_t size, const char *s, size_t len)
{
	size_t n = len < size - 4 ? len : size - 4;
	memcpy(buf, s, n);
	strcpy(buf + n, len > n ? "..." : "");
}

/*
 * Add query (id, text) read at line; white space around both is dropped
 * and runs of white space inside the text (line breaks of a TREC title)
 * become one space.  Returns 0, or DICTA_ENOMEM.
 */
static int add_query(reader *rd, long line, const char *id, size_t idlen,
		     const char *text, size_t textlen)
{
	trim(&id, &idlen);
	trim(&text, &textlen);
	if (idlen == 0) {
		skip(rd, line, "empty query id");
		return 0;
	}
	if (textlen == 0) {
		skip(rd, line, "query \"%.*s\" has no text", (int)(idlen < 80 ? idlen : 80), id);
		return 0;
	}
	if (!utf8_is_valid(id, idlen) || !utf8_is_valid(text, textlen)) {
		skip(rd, line, "invalid UTF-8");
		return 0;
	}
	for (size_t i = 0; i < idlen; i++)
		if (isspace((unsigned char)id[i])) {
			char ex[64];
			excerpt(ex, sizeof ex, id, idlen);
			skip(rd, line, "query id \"%s\" contains white space", ex);
			return 0;
		}
	int fresh = strset_add(rd->ids, id, idlen, NULL);
	if (fresh < 0)
		return error_set(DICTA_ENOMEM, "out of memory");
	if (fresh == 0) {
		char ex[64];
		excerpt(ex, sizeof ex, id, idlen);
		skip(rd, line, "query id \"%s\" repeated (the first one is kept)", ex);
		return 0;
	}
	batch_queries *qs = rd->out;
	if (qs->n == qs->cap) {
		size_t cap = qs->cap ? qs->cap * 2 : 64;
		batch_query *q = realloc(qs->q, cap * sizeof *q);
		if (!q)
			return error_set(DICTA_ENOMEM, "out of memory");
		qs->q = q;
		qs->cap = cap;
	}
	char *i = strndup(id, idlen), *t = malloc(textlen + 1);
	if (!i || !t) {
		free(i);
		free(t);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	size_t tl = 0;
	int space = 0;
	for (size_t k = 0; k < textlen; k++) {
		char c = text[k];
		if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
			space = 1;
			continue;
		}
		if (space)
			t[tl++] = ' ';
		space = 0;
		t[tl++] = c;
	}
	t[tl] = '\0';
	qs->q[qs->n++] = (batch_query){i, t, line};
	return 0;
}

/* ------------------------------------------------------- the readers */

/* A header line of a TSV file: its first field names the id column. */
static int tsv_header(const char *s, size_t len)
{
	static const char *const names[] = {"id", "qid", "query_id", "query-id",
					    "_id", "topic", "topic_id"};
	const char *tab = memchr(s, '\t', len);
	size_t fl = tab ? (size_t)(tab - s) : len;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i]) == fl && !strncasecmp(s, names[i], fl))
			return 1;
	return 0;
}

static int read_tsv(reader *rd, line_reader *lr)
{
	const char *s;
	size_t len;
	int first = 1;
	while (next_line(lr, &s, &len)) {
		if (is_blank(s, len) || s[0] == '#')
			continue;
		if (first && tsv_header(s, len)) {
			first = 0;
			continue;
		}
		first = 0;
		const char *tab = memchr(s, '\t', len);
		if (!tab) {
			skip(rd, lr->line, "no tab between query id and query");
			continue;
		}
		int rc = add_query(rd, lr->line, s, (size_t)(tab - s), tab + 1,
				   len - (size_t)(tab + 1 - s));
		if (rc)
			return rc;
	}
	return 0;
}

static int read_aila(reader *rd, line_reader *lr)
{
	const char *s;
	size_t len;
	while (next_line(lr, &s, &len)) {
		if (is_blank(s, len) || s[0] == '#')
			continue;
		size_t i = 0;
		while (i + 1 < len && !(s[i] == '|' && s[i + 1] == '|'))
			i++;
		if (i + 1 >= len) {
			skip(rd, lr->line, "no \"||\" between query id and text");
			continue;
		}
		int rc = add_query(rd, lr->line, s, i, s + i + 2, len - i - 2);
		if (rc)
			return rc;
	}
	return 0;
}

/* The member of o named by the first of two keys that is present: a
 * string, or (with buf) an integer written in decimal into buf. */
static const char *json_field(json_t *o, const char *k1, const char *k2,
			      char *buf, size_t size, int *wrong_type)
{
	json_t *v = json_object_get(o, k1);
	if (!v || json_is_null(v))
		v = json_object_get(o, k2);
	*wrong_type = 0;
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return json_string_value(v);
	if (buf && json_is_integer(v)) {
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	*wrong_type = 1;
	return NULL;
}

static int read_jsonl(reader *rd, line_reader *lr)
{
	const char *s;
	size_t len;
	while (next_line(lr, &s, &len)) {
		if (is_blank(s, len))
			continue;
		json_error_t err;
		json_t *o = json_loadb(s, len, JSON_REJECT_DUPLICATES, &err);
		if (!o) {
			skip(rd, lr->line, "invalid JSON: %s", err.text);
			continue;
		}
		int rc = 0;
		if (!json_is_object(o)) {
			skip(rd, lr->line, "not a JSON object");
		} else {
			char ibuf[32];
			int bad_id, bad_text;
			const char *id = json_field(o, "_id", "id", ibuf, sizeof ibuf, &bad_id);
			const char *text = json_field(o, "text", "query", NULL, 0, &bad_text);
			if (!id)
				skip(rd, lr->line, bad_id ? "\"_id\"/\"id\" is not a string or integer"
							  : "no \"_id\" or \"id\"");
			else if (!text)
				skip(rd, lr->line, bad_text ? "\"text\"/\"query\" is not a string"
							    : "no \"text\" or \"query\"");
			else
				rc = add_query(rd, lr->line, id, strlen(id), text, strlen(text));
		}
		json_decref(o);
		if (rc)
			return rc;
	}
	return 0;
}

/* Case-insensitive search for needle in [p, end). */
static const char *find_ci(const char *p, const char *end, const char *needle)
{
	size_t nl = strlen(needle);
	for (; p + nl <= end; p++)
		if (!strncasecmp(p, needle, nl))
			return p;
	return NULL;
}

static long line_of(const char *data, const char *p, long base)
{
	long n = base;
	for (const char *q = data; q < p; q++)
		if (*q == '\n')
			n++;
	return n;
}

/*
 * The text of a TREC topic field: from after "<tag>" to the next tag of
 * the topic (or its end), less a leading label such as "Number:",
 * "Topic:" or "Description:".
 */
static int topic_field(const char *top, const char *end, const char *tag,
		       const char **s, size_t *len)
{
	const char *p = find_ci(top, end, tag);
	if (!p)
		return 0;
	p += strlen(tag);
	const char *e = p;
	while (e < end && *e != '<')
		e++;
	size_t l = (size_t)(e - p);
	trim(&p, &l);
	static const char *const labels[] = {"Number:", "Topic:", "Title:", "Description:"};
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
		size_t ll = strlen(labels[i]);
		if (l >= ll && !strncasecmp(p, labels[i], ll)) {
			p += ll;
			l -= ll;
			trim(&p, &l);
			break;
		}
	}
	*s = p;
	*len = l;
	return 1;
}

static int read_trec(reader *rd, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	const char *top;
	const char *counted = data;
	long line = 1;
	while ((top = find_ci(p, end, "<top>")) != NULL) {
		line = line_of(counted, top, line);
		counted = top;
		const char *close = find_ci(top + 5, end, "</top>");
		const char *next = find_ci(top + 5, end, "<top>");
		if (!close || (next && next < close)) {
			skip(rd, line, "<top> without </top>");
			p = next ? next : end;
			continue;
		}
		const char *id, *text;
		size_t il, tl;
		if (!topic_field(top, close, "<num>", &id, &il) || il == 0)
			skip(rd, line, "topic without <num>");
		else if ((!topic_field(top, close, "<title>", &text, &tl) || tl == 0) &&
			 (!topic_field(top, close, "<desc>", &text, &tl) || tl == 0))
			skip(rd, line, "topic %.*s has no <title> or <desc>",
			     (int)(il < 80 ? il : 80), id);
		else {
			int rc = add_query(rd, line, id, il, text, tl);
			if (rc)
				return rc;
		}
		p = close + 6;
	}
	return 0;
}

int batch_parse(batch_queries *out, const char *name, const char *data,
		size_t len, batch_format fmt, batch_skip_fn on_skip,
		void *payload)
{
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		data += 3;
		len -= 3;
	}
	if (fmt == BATCH_AUTO && (fmt = batch_detect(data, len)) == BATCH_AUTO)
		return error_set(DICTA_EINVAL,
				 "%s: cannot tell the format of the queries (no "
				 "tab, \"||\", JSON object or <top> found); name it "
				 "with --batch-format",
				 name);
	reader rd = {out, name, on_skip, payload, strset_new()};
	if (!rd.ids)
		return error_set(DICTA_ENOMEM, "out of memory");
	for (size_t i = 0; i < out->n; i++)
		if (strset_add(rd.ids, out->q[i].id, strlen(out->q[i].id), NULL) < 0) {
			strset_free(rd.ids);
			return error_set(DICTA_ENOMEM, "out of memory");
		}
	line_reader lr = {data, data + len, 0};
	int rc;
	switch (fmt) {
	case BATCH_TSV: rc = read_tsv(&rd, &lr); break;
	case BATCH_JSONL: rc = read_jsonl(&rd, &lr); break;
	case BATCH_AILA: rc = read_aila(&rd, &lr); break;
	case BATCH_TREC: rc = read_trec(&rd, data, len); break;
	default: rc = error_set(DICTA_EINVAL, "unknown batch format %d", (int)fmt);
	}
	strset_free(rd.ids);
	if (rc == 0)
		out->format = fmt;
	return rc;
}

int batch_slurp(char **out, size_t *len_out, const char *path)
{
	*out = NULL;
	*len_out = 0;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return error_set(DICTA_EIO, "%s: %s", path, strerror(errno));
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int rc = buf ? 0 : error_set(DICTA_ENOMEM, "out of memory");
	while (rc == 0) {
		if (cap - len < 2) {
			char *b = realloc(buf, cap * 2);
			if (!b) {
				rc = error_set(DICTA_ENOMEM, "out of memory");
				break;
			}
			buf = b;
			cap *= 2;
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0) {
			if (ferror(f))
				rc = error_set(DICTA_EIO, "%s: %s", path,
					       errno ? strerror(errno) : "read error");
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	*out = buf;
	*len_out = len;
	return 0;
}

int batch_read(batch_queries *out, const char *path, batch_format fmt,
	       batch_skip_fn on_skip, void *payload)
{
	char *buf;
	size_t len;
	int rc = batch_slurp(&buf, &len, path);
	if (rc == 0)
		rc = batch_parse(out, strcmp(path, "-") == 0 ? "<stdin>" : path, buf,
				 len, fmt, on_skip, payload);
	free(buf);
	return rc;
}

void batch_queries_free(batch_queries *qs)
{
	if (!qs)
		return;
	for (size_t i = 0; i < qs->n; i++) {
		free(qs->q[i].id);
		free(qs->q[i].text);
	}
	free(qs->q);
	memset(qs, 0, sizeof *qs);
}

/* ------------------------------------------------------------ escaping */

static int is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* Where the white-space delimited run ending at out[o) starts. */
static size_t word_start(const char *out, size_t o)
{
	while (o > 0 && out[o - 1] != ' ')
		o--;
	return o;
}

/* Would the run (its part before the '/', then the text from the '/' on,
 * up to white space) read as a connector (w/5, pre/s), as the parser
 * decides it?  "w/o" and "pre/trial" are words. */
static int slash_is_connector(const char *run, size_t len, const char *from)
{
	char buf[32];
	size_t n = 0;
	if (len == 0 || len > 3)
		return 0;
	memcpy(buf, run, len);
	n = len;
	for (size_t i = 0; from[i] && n < sizeof buf && !isspace((unsigned char)from[i]); i++)
		buf[n++] = from[i];
	return query_connector_starts(buf, n);
}

char *batch_text_escape(const char *text)
{
	size_t len = strlen(text);
	char *out = malloc(len + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		unsigned char prev = o ? (unsigned char)out[o - 1] : ' ';
		unsigned char next = i + 1 < len ? (unsigned char)text[i + 1] : ' ';
		/* Typographic quotes and guillemets: “ ” „ « » and ‘ ’ outside
		 * a word. */
		if (c == 0xE2 && i + 2 < len && (unsigned char)text[i + 1] == 0x80) {
			unsigned char d = (unsigned char)text[i + 2];
			int dq = d == 0x9C || d == 0x9D || d == 0x9E;
			int sq = (d == 0x98 || d == 0x99) &&
				 !(is_word_byte(prev) && i + 3 < len &&
				   is_word_byte((unsigned char)text[i + 3]));
			if (dq || sq) {
				out[o++] = ' ';
				i += 2;
				continue;
			}
		}
		if (c == 0xC2 && i + 1 < len &&
		    ((unsigned char)text[i + 1] == 0xAB || (unsigned char)text[i + 1] == 0xBB)) {
			out[o++] = ' ';
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7F) {
			out[o++] = ' ';
			continue;
		}
		/* '/' and ':' inside a word ("TRAF1/C5", "IL-6:IL-10",
		 * "1:22-cr-00417", "and/or") stay, so the analyzer cuts the word
		 * as it cut the documents' — unless the word would then read as
		 * a connector ("w/5", "pre/s") or a field ("title:x"). */
		if ((c == '/' || c == ':') && is_word_byte(prev) && is_word_byte(next) &&
		    !(c == '/' ? slash_is_connector(out + word_start(out, o), o - word_start(out, o), text + i)
			       : query_field_name(out + word_start(out, o), o - word_start(out, o)))) {
			out[o++] = (char)c;
			continue;
		}
		switch (c) {
		case '"': case '(': case ')': case '[': case ']': case '{':
		case '}': case '!': case '*': case '/': case ':': case '&':
		case '%': case '^': case '~': case '\\': case '|': case '?':
		case '<': case '>': case '=': case '#':
			out[o++] = ' ';
			continue;
		case '\'':
			/* An apostrophe inside a word ("O'Neill", "Court's")
			 * stays; a quote mark goes. */
			out[o++] = is_word_byte(prev) && is_word_byte(next) ? '\'' : ' ';
			continue;
		case '+': case '-':
			if (!is_word_byte(prev)) {
				out[o++] = ' ';
				continue;
			}
			break;
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	/* Lower the connectors written in capitals, as whole words. */
	static const char *const ops[] = {"AND", "OR", "NOT", "BUT", "NEAR", "SENTENCE", "PARAGRAPH"};
	for (size_t i = 0; i < o;) {
		if (!isalpha((unsigned char)out[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < o && is_word_byte((unsigned char)out[j]))
			j++;
		for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
			if (strlen(ops[k]) == j - i && !memcmp(out + i, ops[k], j - i)) {
				for (size_t m = i; m < j; m++)
					out[m] = (char)tolower((unsigned char)out[m]);
				break;
			}
		i = j;
	}
	return out;
}

/* ------------------------------------------------------ compound parts */

static int on_part_word(const token *t, void *payload)
{
	sb_add(payload, " ", 1);
	sb_add(payload, t->text, t->len);
	return 0;
}

static int on_compound(const token *t, void *payload)
{
	if (!(t->flags & TOK_NUMERIC))
		return 0;
	return analyze_parts(t->text, t->len, on_part_word, payload) ? 1 : 0;
}

char *batch_text_add_parts(const char *escaped)
{
	size_t n = strlen(escaped);
	sbuf b = {0};
	sb_add(&b, escaped, n);
	if (b.failed || analyze_text(escaped, n, on_compound, &b) != 0 || b.failed) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
