/*
 * ingest_text.c — the readers for plain text (.txt) and Markdown (.md): one
 * file, one document.  The walk in ingest.c opens the file and calls
 * ingest_read_txt() or ingest_read_md(); this file reads it whole, rejects
 * what is not text, and reports the document.
 *
 * Both formats: the file is read into memory in one piece (they are single
 * documents; more than 256 MiB is refused).  A file that is empty or only
 * whitespace, that has a NUL byte in its first 8 KiB (binary), or that is
 * not well-formed UTF-8 (overlong forms, surrogates and code points past
 * U+10FFFF are refused too) is skipped as a whole; the reason gives the
 * 0-based byte offset and the line.  A UTF-8 byte-order mark at the start is
 * dropped: it is not part of the text.
 *
 * .txt: the id is the relative path; the text is the whole file, title line
 * included, so that the title is searchable and offsets are file offsets
 * (less the byte-order mark, if any).  The first line is taken as the title
 * when it looks like one: non-empty after trimming, at most 200 bytes, not
 * ending in '.', ',' or ';' (a '?' or ':' is fine), and with more text after
 * it — a one-line file is a sentence, not a title.
 *
 * .md: an optional YAML front matter block, from a first line "---" to a
 * line "---" or "...".  Only flat "key: value" lines are understood, the
 * value bare, "double-quoted" (with the usual backslash escapes) or
 * 'single-quoted'; comments, list items, indented lines and keys opening a
 * nested block, a flow collection ([...], {...}) or a block scalar (| or >)
 * are passed over, as is a value of ~ or null.  That is all legal metadata
 * in practice needs, which is why this is not libyaml: a full YAML parser
 * would bring a dependency, anchors, tags and types for flat strings.
 * Keys are matched case-insensitively against the field table in ingest.c
 * (title, date, type, court, citation/jurabk, lang/language, id); a key
 * given twice keeps its last value, and any other key goes into meta_json as
 * a string.  The document text is the body after the front matter (offsets
 * are relative to the body); with no "title" key, a level-1 heading ("# ...")
 * that is the first non-blank line of the body is the title.  A front matter
 * block that is never closed skips the file, reported at line 1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "ingest_internal.h"

#define TITLE_MAX 200

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_space((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Shrink [*s, *s + *n) past leading and trailing whitespace. */
static void trim(const char **s, size_t *n)
{
	while (*n && is_space((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* The next line of [*p, end) without its "\n" or "\r\n"; 0 at the end. */
static int next_line(const char **p, const char *end, const char **line,
		     size_t *len)
{
	const char *nl;

	if (*p >= end)
		return 0;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	*line = *p;
	*len = (size_t)((nl ? nl : end) - *p);
	*p = nl ? nl + 1 : end;
	if (*len && (*line)[*len - 1] == '\r')
		(*len)--;
	return 1;
}

/* The offset of the first byte of s[0, n) that does not start a well-formed
 * UTF-8 sequence (RFC 3629), or n when there is none. */
static size_t utf8_invalid_at(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		unsigned lo = 0x80, hi = 0xBF;
		size_t need;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;	/* overlong */
			else if (c == 0xED)
				hi = 0x9F;	/* UTF-16 surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;	/* overlong */
			else if (c == 0xF4)
				hi = 0x8F;	/* past U+10FFFF */
		} else {
			return i;
		}
		if (n - i <= need || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= need; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		i += need + 1;
	}
	return n;
}

/*
 * Read f whole into a malloc'd, NUL-terminated buffer and check that it is
 * text.  Returns 0 with *out, *len and *bom (bytes of byte-order mark) set,
 * or 1 after reporting a skip.  Closes f->fd either way.
 */
static int slurp(const ingest_file *f, char **out, size_t *len, size_t *bom)
{
	size_t cap, n = 0, bad;
	char *buf = NULL;
	const char *nul;

	if (f->size > INGEST_MAX_BYTES)
		goto too_large;
	/* Room for the file, a byte to see EOF without growing, and NUL. */
	cap = (size_t)f->size + 2;
	if (!(buf = malloc(cap)))
		goto error;
	for (;;) {
		ssize_t got;

		if (n + 1 == cap) {	/* the file grew since fstat() */
			size_t ncap = cap * 2;
			char *p;

			if (n > INGEST_MAX_BYTES)
				goto too_large;
			if (ncap > INGEST_MAX_BYTES + 2)
				ncap = INGEST_MAX_BYTES + 2;
			if (!(p = realloc(buf, ncap)))
				goto error;
			buf = p;
			cap = ncap;
		}
		got = read(f->fd, buf + n, cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			goto error;
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(f->fd);
	buf[n] = '\0';

	*bom = n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	if (is_blank(buf + *bom, n - *bom)) {
		ingest_skip(f, 0, "empty file");
	} else if ((nul = memchr(buf, '\0', n < INGEST_SNIFF_BYTES ?
						n : INGEST_SNIFF_BYTES))) {
		ingest_skip(f, 0, "binary file (NUL byte at offset %zu)",
			    (size_t)(nul - buf));
	} else if ((bad = utf8_invalid_at((unsigned char *)buf, n)) < n) {
		size_t line = 1;
		const char *p = buf;

		while ((p = memchr(p, '\n', bad - (size_t)(p - buf)))) {
			line++;
			p++;
		}
		ingest_skip(f, 0, "invalid UTF-8 at byte %zu (line %zu); "
			    "convert it to UTF-8, e.g. with iconv", bad, line);
	} else {
		*out = buf;
		*len = n;
		return 0;
	}
	free(buf);
	return 1;

too_large:
	close(f->fd);
	free(buf);
	ingest_skip(f, 0, "file larger than 256 MiB");
	return 1;
error:
	ingest_skip(f, 0, "%s", strerror(errno));
	close(f->fd);
	free(buf);
	return 1;
}

static int deliver(const ingest_file *f, ingest_doc *doc)
{
	if (!doc->id || !*doc->id)
		doc->id = f->rel;
	doc->source = f->path;
	return f->cb->on_doc ? f->cb->on_doc(doc, f->cb->payload) : 0;
}

/* ----------------------------------------------------------------- .txt */

/* The first line of s[0, n) as a malloc'd title, or NULL if it does not
 * look like one (see the top of this file). */
static char *txt_title(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);
	size_t len;
	char last;

	if (!nl || is_blank(nl + 1, (size_t)(s + n - nl - 1)))
		return NULL;
	len = (size_t)(nl - s);
	trim(&s, &len);
	if (len == 0 || len > TITLE_MAX)
		return NULL;
	last = s[len - 1];
	if (last == '.' || last == ',' || last == ';')
		return NULL;
	return strndup(s, len);
}

int ingest_read_txt(const ingest_file *f)
{
	ingest_doc doc = { 0 };
	char *buf, *title;
	size_t len, bom;
	int rc;

	if (slurp(f, &buf, &len, &bom))
		return 0;
	doc.text = buf + bom;
	doc.text_len = len - bom;
	doc.title = title = txt_title(doc.text, doc.text_len);
	rc = deliver(f, &doc);
	free(title);
	free(buf);
	return rc;
}

/* ------------------------------------------------------------------ .md */

typedef struct {
	char *field[INGEST_NFIELDS];
	json_t *meta;	/* NULL until the first unknown key */
} front_matter;

/* Append code point c as UTF-8; a NUL, a surrogate or anything past
 * U+10FFFF becomes U+FFFD so that the result stays a valid C string. */
static char *put_utf8(char *o, unsigned long c)
{
	if (c == 0 || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		c = 0xFFFD;
	if (c < 0x80) {
		*o++ = (char)c;
	} else if (c < 0x800) {
		*o++ = (char)(0xC0 | c >> 6);
		*o++ = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		*o++ = (char)(0xE0 | c >> 12);
		*o++ = (char)(0x80 | ((c >> 6) & 0x3F));
		*o++ = (char)(0x80 | (c & 0x3F));
	} else {
		*o++ = (char)(0xF0 | c >> 18);
		*o++ = (char)(0x80 | ((c >> 12) & 0x3F));
		*o++ = (char)(0x80 | ((c >> 6) & 0x3F));
		*o++ = (char)(0x80 | (c & 0x3F));
	}
	return o;
}

/* Parse the ndigits hex digits at s into *out; 0 if they are not all there. */
static int hex(const char *s, const char *end, int ndigits, unsigned long *out)
{
	unsigned long v = 0;

	if (end - s < ndigits)
		return 0;
	for (int i = 0; i < ndigits; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return 0;
		v = v * 16 + (unsigned)d;
	}
	*out = v;
	return 1;
}

/*
 * Decode the quoted scalar at v[0, n) (v[0] is the quote) into o, which has
 * room for 2 * n bytes.  Returns the end of the output, or NULL if the quote
 * is never closed.  Anything after the closing quote (a comment) is ignored.
 */
static char *unquote(const char *v, size_t n, char *o)
{
	const char *p = v + 1, *end = v + n;
	char q = v[0];

	while (p < end) {
		char c = *p++;
		unsigned long cp, lo;
		int nd;

		if (c == q) {
			if (q == '\'' && p < end && *p == '\'') {	/* '' */
				*o++ = *p++;
				continue;
			}
			return o;
		}
		if (q == '\'' || c != '\\' || p == end) {
			*o++ = c;
			continue;
		}
		c = *p++;
		switch (c) {
		case 'n': *o++ = '\n'; continue;
		case 't': *o++ = '\t'; continue;
		case 'r': *o++ = '\r'; continue;
		case '0': o = put_utf8(o, 0); continue;
		case '"': case '\\': case '/': case ' ': *o++ = c; continue;
		case 'x': nd = 2; break;
		case 'u': nd = 4; break;
		case 'U': nd = 8; break;
		default: *o++ = '\\'; *o++ = c; continue;	/* kept as written */
		}
		if (!hex(p, end, nd, &cp)) {
			*o++ = '\\';
			*o++ = c;
			continue;
		}
		p += nd;
		/* A JSON-style surrogate pair, \uD83D\uDE00, is one character. */
		if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 &&
		    p[0] == '\\' && p[1] == 'u' && hex(p + 2, end, 4, &lo) &&
		    lo >= 0xDC00 && lo <= 0xDFFF) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			p += 6;
		}
		o = put_utf8(o, cp);
	}
	return NULL;
}

/* The value v[0, n) (trimmed, non-empty) as a malloc'd string, or NULL when
 * it is not a scalar we keep (or on ENOMEM). */
static char *fm_value(const char *v, size_t n)
{
	char *out, *end;

	if (v[0] == '[' || v[0] == '{' || v[0] == '|' || v[0] == '>' ||
	    v[0] == '#')
		return NULL;	/* a flow collection, a block scalar, or none */
	if (!(out = malloc(2 * n + 1)))
		return NULL;
	if ((v[0] == '"' || v[0] == '\'') && (end = unquote(v, n, out))) {
		*end = '\0';
		return out;
	}
	/* A bare scalar, or a quote never closed taken as written: a comment
	 * starts at a '#' after whitespace. */
	for (size_t i = 1; i < n; i++)
		if (v[i] == '#' && (v[i - 1] == ' ' || v[i - 1] == '\t')) {
			n = i;
			break;
		}
	trim(&v, &n);
	if ((n == 1 && v[0] == '~') || (n == 4 && strncasecmp(v, "null", 4) == 0)) {
		free(out);
		return NULL;
	}
	memcpy(out, v, n);
	out[n] = '\0';
	return out;
}

/* One line of front matter, without its newline. */
static void fm_line(front_matter *fm, const char *s, size_t n)
{
	const char *key = s, *v;
	size_t klen = 0, colon = 0, vlen;
	char *value, *k;
	int f;

	if (n == 0 || s[0] == ' ' || s[0] == '\t' || s[0] == '#')
		return;	/* blank, nested or continued, or a comment */
	if (s[0] == '-' && (n == 1 || s[1] == ' ' || s[1] == '\t'))
		return;	/* a list item */
	if (s[0] == '"' || s[0] == '\'') {
		const char *q = memchr(s + 1, s[0], n - 1);
		if (!q)
			return;
		key = s + 1;
		klen = (size_t)(q - key);
		colon = (size_t)(q + 1 - s);
		while (colon < n && (s[colon] == ' ' || s[colon] == '\t'))
			colon++;
		if (colon == n || s[colon] != ':')
			return;
	} else {
		/* "time: 10:30": the key ends at the first ':' followed by
		 * whitespace or the end of the line. */
		while (colon < n && !(s[colon] == ':' &&
				      (colon + 1 == n || s[colon + 1] == ' ' ||
				       s[colon + 1] == '\t')))
			colon++;
		if (colon == n)
			return;
		klen = colon;
		trim(&key, &klen);
	}
	v = s + colon + 1;
	vlen = n - colon - 1;
	trim(&v, &vlen);
	if (klen == 0 || vlen == 0)	/* no key, or a nested block follows */
		return;
	if (!(value = fm_value(v, vlen)))
		return;

	if ((f = ingest_field_by_name(key, klen)) >= 0) {
		free(fm->field[f]);
		fm->field[f] = value;
		return;
	}
	k = strndup(key, klen);
	if (k && (fm->meta || (fm->meta = json_object())))
		json_object_set_new(fm->meta, k, json_string(value));
	free(k);
	free(value);
}

static int is_fence(const char *s, size_t n, const char *fence)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n == 3 && memcmp(s, fence, 3) == 0;
}

/* The text of a "# Heading" that is the first non-blank line of s[0, n),
 * malloc'd, or NULL. */
static char *md_heading(const char *s, size_t n)
{
	const char *p = s, *line;
	size_t len;

	while (next_line(&p, s + n, &line, &len)) {
		size_t indent = 0;

		if (is_blank(line, len))
			continue;
		while (indent < len && indent < 3 && line[indent] == ' ')
			indent++;
		if (len - indent < 2 || line[indent] != '#' ||
		    (line[indent + 1] != ' ' && line[indent + 1] != '\t'))
			return NULL;
		line += indent + 2;
		len -= indent + 2;
		trim(&line, &len);
		/* An optional closing sequence: "# Title ##". */
		size_t k = len;
		while (k && line[k - 1] == '#')
			k--;
		if (k < len && (k == 0 || line[k - 1] == ' ' || line[k - 1] == '\t')) {
			len = k;
			trim(&line, &len);
		}
		return len && len <= TITLE_MAX ? strndup(line, len) : NULL;
	}
	return NULL;
}

int ingest_read_md(const ingest_file *f)
{
	front_matter fm = { { NULL }, NULL };
	ingest_doc doc = { 0 };
	char *buf, *heading = NULL, *meta = NULL;
	const char *p, *end, *line;
	size_t len, bom, llen;
	int rc = 0;

	if (slurp(f, &buf, &len, &bom))
		return 0;
	p = buf + bom;
	end = buf + len;
	doc.text = p;
	if (next_line(&p, end, &line, &llen) && is_fence(line, llen, "---")) {
		int closed = 0;

		while (next_line(&p, end, &line, &llen)) {
			if (is_fence(line, llen, "---") ||
			    is_fence(line, llen, "...")) {
				closed = 1;
				break;
			}
			fm_line(&fm, line, llen);
		}
		if (!closed) {
			ingest_skip(f, 1, "front matter not closed: no line "
				    "\"---\" or \"...\" after the \"---\" "
				    "on line 1");
			goto out;
		}
		doc.text = p;
	}
	doc.text_len = (size_t)(end - doc.text);
	if (is_blank(doc.text, doc.text_len)) {
		ingest_skip(f, 0, "no text after the front matter");
		goto out;
	}

	for (int i = 0; i < INGEST_NFIELDS; i++)
		if (fm.field[i] && *fm.field[i])
			*ingest_doc_field(&doc, i) = fm.field[i];
	if (!doc.title)
		doc.title = heading = md_heading(doc.text, doc.text_len);
	if (fm.meta && json_object_size(fm.meta))
		doc.meta_json = meta = json_dumps(fm.meta, JSON_COMPACT);
	rc = deliver(f, &doc);
out:
	for (int i = 0; i < INGEST_NFIELDS; i++)
		free(fm.field[i]);
	json_decref(fm.meta);
	free(meta);
	free(heading);
	free(buf);
	return rc;
}
