/*
 * ingest_jsonl.c — the reader for JSON Lines (.jsonl) and gzipped JSON Lines
 * (.jsonl.gz): one JSON object per line, one document per object.  The walk
 * in ingest.c opens the file and calls ingest_read_jsonl().
 *
 * Both kinds are read through zlib's gzread(), which passes plain files
 * through unchanged, so a mislabelled file is read either way.  Lines are
 * gathered in a growable buffer of at most 256 MiB; a longer line is skipped
 * and the rest of the file read.  A NUL byte in the first 8 KiB of the
 * (decompressed) data marks the file as binary and skips it whole, rather
 * than reporting every "line" of it as bad JSON.  Blank lines are ignored;
 * a file with nothing else is "empty".
 *
 * Each line is parsed with jansson (a "\u0000" in a string is refused) and
 * mapped through the field table in ingest.c, exact key names:
 *
 *   id, _id             the document id: a string, or an integer written in
 *                       decimal; absent or null: "<relative path>:<line>"
 *   text                required, a string
 *   title, date, type, court, citation (jurabk), lang (language)
 *                       a string, or a number written as JSON writes it; null
 *                       is dropped; true, false, objects and arrays are left
 *                       in meta_json
 *   anything else       meta_json: the remaining members as a compact object
 *
 * Where a field has two names and both are present, the first name above
 * wins and the other member stays in meta_json.  The source is "path:line",
 * lines counted from 1.  A repeated id skips the later line, so the first
 * copy, not the last, is what gets indexed; the ids seen so far are kept in
 * a small hash set for the file.  An empty id, a line that is not a JSON
 * object and a "text" that is missing or not a string skip the line.
 *
 * A gzip stream that is truncated or corrupt ends the file with one skip
 * (line 0) naming the last line read whole; the lines before it have been
 * delivered.  (Not quite all of them for corrupt data: zlib drops what it
 * inflated in the gzread() call that failed, at most 16 KiB here.  A
 * truncated stream loses only its last, partial line.)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <zlib.h>

#include "hash.h"
#include "ingest_internal.h"

/* What one gzread() asks for.  When zlib meets corrupt data it drops what
 * it decoded in that call, up to twice its 8 KiB default buffer; keeping
 * both small keeps the documents lost before a bad spot few. */
#define CHUNK ((size_t)16 << 10)

/* ------------------------------------------------------------ id set */

/*
 * The ids seen in one file and the line of each.  Entries live in one arena,
 * each a long (the line, copied unaligned) followed by the NUL-terminated
 * id; the open-addressing table holds 1 + the entry's offset, 0 for empty.
 */
typedef struct {
	size_t *slot;
	size_t nslot, count;
	char *arena;
	size_t alen, acap;
} id_set;

static uint64_t hash_str(const char *s)
{
	return fnv1a(s, strlen(s));
}

static const char *entry_id(const id_set *set, size_t slot)
{
	return set->arena + set->slot[slot] - 1 + sizeof(long);
}

static size_t find_slot(const id_set *set, const char *id)
{
	size_t mask = set->nslot - 1, i = (size_t)hash_str(id) & mask;

	while (set->slot[i] && strcmp(entry_id(set, i), id) != 0)
		i = (i + 1) & mask;
	return i;
}

static int grow_table(id_set *set)
{
	size_t n = set->nslot ? 2 * set->nslot : 1024;
	size_t *old = set->slot, oldn = set->nslot;

	if (!(set->slot = calloc(n, sizeof *set->slot))) {
		set->slot = old;
		return -1;
	}
	set->nslot = n;
	for (size_t i = 0; i < oldn; i++) {
		if (old[i]) {
			const char *id = set->arena + old[i] - 1 + sizeof(long);
			size_t mask = n - 1, j = (size_t)hash_str(id) & mask;
			while (set->slot[j])
				j = (j + 1) & mask;
			set->slot[j] = old[i];
		}
	}
	free(old);
	return 0;
}

/* Add id, first seen on `line` (> 0).  Returns 0 if it is new, the line of
 * its first occurrence if not, or -1 on ENOMEM. */
static long id_set_add(id_set *set, const char *id, long line)
{
	size_t need = sizeof line + strlen(id) + 1, i;

	if (4 * (set->count + 1) > 3 * set->nslot && grow_table(set) != 0)
		return -1;
	i = find_slot(set, id);
	if (set->slot[i]) {
		long first;
		memcpy(&first, set->arena + set->slot[i] - 1, sizeof first);
		return first;
	}
	if (set->alen + need > set->acap) {
		size_t cap = set->acap ? 2 * set->acap : 64 << 10;
		char *p;
		while (cap < set->alen + need)
			cap *= 2;
		if (!(p = realloc(set->arena, cap)))
			return -1;
		set->arena = p;
		set->acap = cap;
	}
	memcpy(set->arena + set->alen, &line, sizeof line);
	memcpy(set->arena + set->alen + sizeof line, id, need - sizeof line);
	set->slot[i] = set->alen + 1;
	set->alen += need;
	set->count++;
	return 0;
}

static void id_set_free(id_set *set)
{
	free(set->slot);
	free(set->arena);
}

/* ------------------------------------------------------------- a line */

typedef struct {
	const ingest_file *f;
	id_set ids;
	int seen_text;	/* a non-blank line was read */
	gzFile gz;	/* for the progress offset of each document */
} reader;

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	default: return "an object";
	}
}

/* The first member of obj named like field f, and that name. */
static json_t *get_field(json_t *obj, int f, const char **name)
{
	for (const char *const *n = ingest_field_names(f); *n; n++) {
		json_t *v = json_object_get(obj, *n);
		if (v) {
			*name = *n;
			return v;
		}
	}
	return NULL;
}

/* Parse and deliver line number `lineno`, s[0, n).  Returns 0 or the stop
 * value of on_doc. */
static int do_line(reader *r, const char *s, size_t n, long lineno)
{
	const ingest_file *f = r->f;
	const char *used[INGEST_NFIELDS + 1] = { NULL };	/* consumed keys */
	char *owned[INGEST_NFIELDS] = { NULL };	/* numbers turned to text */
	char idbuf[32], *source = NULL, *defid = NULL, *meta = NULL;
	ingest_doc doc = { 0 };
	json_error_t err;
	json_t *obj, *text, *rest = NULL;
	const char *key;
	json_t *val;
	size_t nused = 0, k;
	long first;
	int rc = 0;

	for (k = 0; k < n; k++)
		if (s[k] != ' ' && s[k] != '\t' && s[k] != '\r')
			break;
	if (k == n)	/* blank (JSON whitespace only) */
		return 0;
	r->seen_text = 1;

	obj = json_loadb(s, n, JSON_DECODE_ANY, &err);
	if (!obj) {
		if (err.column > 0)
			ingest_skip(f, lineno, "invalid JSON: %s (column %d)",
				    err.text, err.column);
		else
			ingest_skip(f, lineno, "invalid JSON: %s", err.text);
		return 0;
	}
	if (!json_is_object(obj)) {
		ingest_skip(f, lineno, "not a JSON object (found %s)",
			    json_kind(obj));
		goto out;
	}
	if (!(text = json_object_get(obj, "text"))) {
		ingest_skip(f, lineno, "no \"text\" field");
		goto out;
	}
	if (!json_is_string(text)) {
		ingest_skip(f, lineno, "field \"text\" is not a string");
		goto out;
	}
	used[nused++] = "text";
	doc.text = json_string_value(text);
	doc.text_len = json_string_length(text);

	for (int i = 0; i < INGEST_NFIELDS; i++) {
		const char *name, **slot = ingest_doc_field(&doc, i);
		json_t *v = get_field(obj, i, &name);

		if (!v)
			continue;
		if (json_is_string(v)) {
			*slot = json_string_value(v);
		} else if (i == INGEST_F_ID && json_is_integer(v)) {
			snprintf(idbuf, sizeof idbuf, "%" JSON_INTEGER_FORMAT,
				 json_integer_value(v));
			*slot = idbuf;
		} else if (i == INGEST_F_ID && !json_is_null(v)) {
			ingest_skip(f, lineno, "field \"%s\" is %s, not a "
				    "string or an integer", name, json_kind(v));
			goto out;
		} else if (json_is_number(v)) {
			*slot = owned[i] = json_dumps(v, JSON_ENCODE_ANY);
		} else if (!json_is_null(v)) {
			continue;	/* true, false, object, array: meta */
		}
		used[nused++] = name;
		if (i == INGEST_F_ID && doc.id && !*doc.id) {
			ingest_skip(f, lineno, "field \"%s\" is empty", name);
			goto out;
		}
	}
	if (!doc.id) {
		size_t len = strlen(f->rel) + 24;
		if (!(defid = malloc(len)))
			goto nomem;
		snprintf(defid, len, "%s:%ld", f->rel, lineno);
		doc.id = defid;
	}
	if ((first = id_set_add(&r->ids, doc.id, lineno)) > 0) {
		ingest_skip(f, lineno, "duplicate id \"%s\" (first at line %ld)",
			    doc.id, first);
		goto out;
	}
	if (first < 0 || !(rest = json_object()))
		goto nomem;
	json_object_foreach(obj, key, val) {
		k = 0;
		while (k < nused && strcmp(used[k], key) != 0)
			k++;
		if (k == nused)
			json_object_set(rest, key, val);
	}
	if (json_object_size(rest))
		doc.meta_json = meta = json_dumps(rest, JSON_COMPACT);
	{
		size_t len = strlen(f->path) + 24;
		if ((source = malloc(len)))
			snprintf(source, len, "%s:%ld", f->path, lineno);
		doc.source = source ? source : f->path;
	}
	for (int i = 0; i < INGEST_NFIELDS; i++) {
		const char **slot = ingest_doc_field(&doc, i);
		if (i != INGEST_F_ID && *slot && !**slot)
			*slot = NULL;	/* "title": "" is no title */
	}
	if (r->gz) {
		z_off_t off = gzoffset(r->gz);
		doc.offset = off > 0 ? (uint64_t)off : 0;
	}
	if (f->cb->on_doc)
		rc = f->cb->on_doc(&doc, f->cb->payload);
	goto out;
nomem:
	ingest_skip(f, lineno, "%s", strerror(ENOMEM));
out:
	for (int i = 0; i < INGEST_NFIELDS; i++)
		free(owned[i]);
	free(defid);
	free(source);
	free(meta);
	json_decref(rest);
	json_decref(obj);
	return rc;
}

/* ------------------------------------------------------------ a file */

int ingest_read_jsonl(const ingest_file *f)
{
	reader r = { f, { NULL, 0, 0, NULL, 0, 0 }, 0, NULL };
	char *chunk = NULL, *line = NULL;
	size_t len = 0, cap = 0;
	int overlong = 0, first = 1, rc = 0, errnum = Z_OK;
	long lineno = 0;
	gzFile gz;

	if (!(gz = gzdopen(f->fd, "rb"))) {
		ingest_skip(f, 0, "%s", strerror(errno ? errno : ENOMEM));
		close(f->fd);
		return 0;
	}
	r.gz = gz;
	if (!(chunk = malloc(CHUNK))) {
		ingest_skip(f, 0, "%s", strerror(ENOMEM));
		goto out;
	}
	for (;;) {
		int got = gzread(gz, chunk, (unsigned)CHUNK);
		const char *p = chunk, *end;

		if (got <= 0) {
			/* A truncated stream is not an error to gzread() —
			 * it reports Z_BUF_ERROR, "unexpected end of file",
			 * only through gzerror(). */
			gzerror(gz, &errnum);
			break;
		}
		end = chunk + got;
		if (first) {
			const char *nul = memchr(chunk, '\0', (size_t)got <
				INGEST_SNIFF_BYTES ? (size_t)got : INGEST_SNIFF_BYTES);
			first = 0;
			if (nul) {
				ingest_skip(f, 0, "binary file (NUL byte at "
					    "offset %zu)", (size_t)(nul - chunk));
				goto out;
			}
		}
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t seg = (size_t)((nl ? nl : end) - p);

			if (!overlong && seg > INGEST_MAX_BYTES - len) {
				overlong = 1;	/* drop it, read on to its end */
				len = 0;
				r.seen_text = 1;
			}
			if (!overlong && len + seg + 1 > cap) {
				size_t ncap = cap ? cap : 64 << 10;
				char *q;
				while (ncap < len + seg + 1)
					ncap *= 2;
				if (ncap > INGEST_MAX_BYTES + 1)
					ncap = INGEST_MAX_BYTES + 1;
				if (!(q = realloc(line, ncap))) {
					ingest_skip(f, lineno + 1, "%s",
						    strerror(ENOMEM));
					overlong = 2;
				} else {
					line = q;
					cap = ncap;
				}
			}
			if (!overlong) {
				memcpy(line + len, p, seg);
				len += seg;
			}
			p += seg;
			if (!nl)
				break;
			p++;
			lineno++;
			if (overlong == 1)
				ingest_skip(f, lineno, "line longer than 256 MiB");
			else if (!overlong && (rc = do_line(&r, line, len, lineno)))
				goto out;
			overlong = 0;
			len = 0;
		}
	}
	if (errnum == Z_ERRNO || errnum == Z_MEM_ERROR) {
		ingest_skip(f, 0, "read error after line %ld: %s", lineno,
			    strerror(errnum == Z_ERRNO ? errno : ENOMEM));
		goto out;
	}
	if (errnum != Z_OK && errnum != Z_STREAM_END) {
		/* The last, partial line is lost with the stream. */
		ingest_skip(f, 0, "truncated or corrupt gzip data after line %ld",
			    lineno);
		goto out;
	}
	if (len || overlong) {	/* a last line without a newline */
		lineno++;
		if (overlong == 1)
			ingest_skip(f, lineno, "line longer than 256 MiB");
		else if (!overlong && (rc = do_line(&r, line, len, lineno)))
			goto out;
	}
	if (!r.seen_text)
		ingest_skip(f, 0, "empty file");
out:
	gzclose(gz);	/* closes f->fd */
	id_set_free(&r.ids);
	free(chunk);
	free(line);
	return rc;
}
