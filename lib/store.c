/*
 * store.c — encoding of what dicta keeps in Xapian besides postings: the
 * document record (metadata and zlib-compressed text, stored once per
 * document in the data of its first passage), id terms, date keys and the
 * small binary values of each passage.  Called by index.c when writing and
 * by search.c and document.c when reading.
 */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "error.h"
#include "hash.h"
#include "store.h"

#define RECORD_MAGIC 'D'
#define RECORD_VERSION 1

void store_put_u32(char *p, uint32_t v)
{
	p[0] = (char)(v >> 24);
	p[1] = (char)(v >> 16);
	p[2] = (char)(v >> 8);
	p[3] = (char)v;
}

uint32_t store_get_u32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
	       (uint32_t)u[2] << 8 | u[3];
}

uint64_t store_hash(uint64_t h, const void *data, size_t len)
{
	return fnv1a_more(h, data, len);
}

static size_t put_varint(unsigned char *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* Read a varint from [*p, end); -1 when truncated or too long. */
static int get_varint(const unsigned char **p, const unsigned char *end,
		      uint64_t *v)
{
	uint64_t r = 0;
	for (int shift = 0; shift < 64 && *p < end; shift += 7) {
		unsigned char c = *(*p)++;
		r |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

int store_struct_add(store_struct *s, uint32_t pos, int paragraph)
{
	if (s->len + 10 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char *b = realloc(s->buf, cap);
		if (!b)
			return error_set(DICTA_ENOMEM, "out of memory");
		s->buf = b;
		s->cap = cap;
	}
	uint64_t v = (uint64_t)(pos - s->last) << 1 | (paragraph ? 1 : 0);
	s->len += put_varint((unsigned char *)s->buf + s->len, v);
	s->last = pos;
	return 0;
}

size_t store_id_term(char *buf, const char *prefix, const char *id)
{
	size_t pl = strlen(prefix), il = strlen(id);
	if (pl + il <= STORE_MAX_TERM) {
		memcpy(buf, prefix, pl);
		memcpy(buf + pl, id, il);
		buf[pl + il] = '\0';
		return pl + il;
	}
	uint64_t h = store_hash(STORE_HASH_INIT, id, il);
	/* Keep a readable head of the id, then its hash and length. */
	int n = snprintf(buf, STORE_MAX_TERM + 1, "%s#%016llx%08zx%.*s", prefix,
			 (unsigned long long)h, il, 180, id);
	return (size_t)n > STORE_MAX_TERM ? STORE_MAX_TERM : (size_t)n;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int store_date_key(const char *d, char buf[9])
{
	if (!d || !digits(d, 4))
		return -1;
	memcpy(buf, d, 4);
	memcpy(buf + 4, "0000", 5);
	if (d[4] == '\0')
		return 0;
	if (d[4] != '-' || !digits(d + 5, 2))
		return -1;
	memcpy(buf + 4, d + 5, 2);
	if (d[7] == '\0')
		return 0;
	if (d[7] != '-' || !digits(d + 8, 2))
		return -1;
	memcpy(buf + 6, d + 8, 2);
	if (d[10] != '\0' && d[10] != 'T' && d[10] != ' ')
		return -1;
	return 0;
}

static int set_str(json_t *o, const char *key, const char *v)
{
	if (!v)
		return 0;
	return json_object_set_new(o, key, json_string(v));
}

int store_record_encode(const store_record *r, char **out, size_t *len_out)
{
	*out = NULL;
	json_t *h = json_object();
	if (!h)
		return error_set(DICTA_ENOMEM, "out of memory");
	int bad = set_str(h, "id", r->id) | set_str(h, "title", r->title) |
		  set_str(h, "date", r->date) | set_str(h, "type", r->type) |
		  set_str(h, "court", r->court) |
		  set_str(h, "citation", r->citation) |
		  set_str(h, "lang", r->lang) | set_str(h, "source", r->source);
	char hash[17];
	snprintf(hash, sizeof hash, "%016llx", (unsigned long long)r->hash);
	bad |= set_str(h, "hash", hash);
	bad |= json_object_set_new(h, "passages", json_integer(r->npassages));
	if (r->meta_json) {
		json_t *m = json_loads(r->meta_json, 0, NULL);
		if (m)
			bad |= json_object_set_new(h, "meta", m);
	}
	char *hdr = bad ? NULL : json_dumps(h, JSON_COMPACT);
	json_decref(h);
	if (!hdr)
		return error_set(DICTA_ENOMEM, "cannot encode document record");
	size_t hl = strlen(hdr);
	uLong bound = compressBound((uLong)r->text_len);
	size_t cap = 2 + 10 + hl + 10 + bound;
	unsigned char *buf = malloc(cap);
	if (!buf) {
		free(hdr);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	size_t n = 0;
	buf[n++] = RECORD_MAGIC;
	buf[n++] = RECORD_VERSION;
	n += put_varint(buf + n, hl);
	memcpy(buf + n, hdr, hl);
	n += hl;
	free(hdr);
	n += put_varint(buf + n, r->text_len);
	uLongf zlen = bound;
	int zr = compress2(buf + n, &zlen, (const Bytef *)r->text,
			   (uLong)r->text_len, 6);
	if (zr != Z_OK) {
		free(buf);
		return error_set(DICTA_ENOMEM, "zlib: cannot compress text (%d)",
				 zr);
	}
	*out = (char *)buf;
	*len_out = n + zlen;
	return 0;
}

static char *get_str(json_t *h, const char *key)
{
	const char *s = json_string_value(json_object_get(h, key));
	return s ? strdup(s) : NULL;
}

/* Inflate the first want bytes of the zlib stream [p, end) into out; the
 * stream's checksum is only checked when it is read to its end. */
static int inflate_prefix(char *out, size_t want, const unsigned char *p,
			  const unsigned char *end)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return error_set(DICTA_ENOMEM, "zlib: cannot start inflating");
	z.next_in = (Bytef *)p;
	z.avail_in = (uInt)(end - p);
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)want;
	int zr = Z_OK;
	while (z.avail_out > 0 && zr == Z_OK)
		zr = inflate(&z, Z_SYNC_FLUSH);
	inflateEnd(&z);
	if (z.avail_out > 0)
		return error_set(DICTA_ECORRUPT,
				 "document text does not inflate (zlib %d)", zr);
	return 0;
}

int store_record_decode(const char *data, size_t len, store_record *r,
			int want_text)
{
	return store_record_decode_upto(data, len, r, want_text ? SIZE_MAX : 0);
}

int store_record_decode_upto(const char *data, size_t len, store_record *r,
			     size_t upto)
{
	memset(r, 0, sizeof *r);
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	uint64_t hl, tl;
	if (len < 2 || p[0] != RECORD_MAGIC || p[1] != RECORD_VERSION)
		return error_set(DICTA_ECORRUPT, "not a dicta document record");
	p += 2;
	if (get_varint(&p, end, &hl) || hl > (uint64_t)(end - p))
		return error_set(DICTA_ECORRUPT, "document record truncated");
	json_error_t jerr;
	json_t *h = json_loadb((const char *)p, hl, 0, &jerr);
	if (!h)
		return error_set(DICTA_ECORRUPT, "document record: %s",
				 jerr.text);
	p += hl;
	r->id = get_str(h, "id");
	r->title = get_str(h, "title");
	r->date = get_str(h, "date");
	r->type = get_str(h, "type");
	r->court = get_str(h, "court");
	r->citation = get_str(h, "citation");
	r->lang = get_str(h, "lang");
	r->source = get_str(h, "source");
	const char *hs = json_string_value(json_object_get(h, "hash"));
	r->hash = hs ? strtoull(hs, NULL, 16) : 0;
	r->npassages = (uint32_t)json_integer_value(json_object_get(h, "passages"));
	json_t *m = json_object_get(h, "meta");
	if (m)
		r->meta_json = json_dumps(m, JSON_COMPACT);
	json_decref(h);
	if (!r->id) {
		store_record_clear(r);
		return error_set(DICTA_ECORRUPT, "document record without id");
	}
	if (get_varint(&p, end, &tl) || tl > SIZE_MAX - 1) {
		store_record_clear(r);
		return error_set(DICTA_ECORRUPT, "document record truncated");
	}
	r->text_len = (size_t)tl;
	if (upto == 0)
		return 0;
	/* A prefix is enough when only early passages are shown: for a long
	 * document, inflating all of it was a third of a search's time. */
	size_t want = upto < r->text_len ? upto : r->text_len;
	int prefix = want < r->text_len && (uint64_t)(end - p) <= UINT_MAX;
	if (!prefix)
		want = r->text_len;
	r->text = malloc(want + 1);
	if (!r->text) {
		store_record_clear(r);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	if (prefix) {
		int rc = inflate_prefix(r->text, want, p, end);
		if (rc) {
			store_record_clear(r);
			return rc;
		}
	} else {
		uLongf out_len = (uLongf)r->text_len;
		int zr = uncompress((Bytef *)r->text, &out_len, p, (uLong)(end - p));
		if (zr != Z_OK || out_len != r->text_len) {
			store_record_clear(r);
			return error_set(DICTA_ECORRUPT,
					 "document text does not inflate (zlib %d)", zr);
		}
	}
	r->text[want] = '\0';
	r->text_avail = want;
	return 0;
}

void store_record_clear(store_record *r)
{
	free(r->id);
	free(r->title);
	free(r->date);
	free(r->type);
	free(r->court);
	free(r->citation);
	free(r->lang);
	free(r->source);
	free(r->meta_json);
	free(r->text);
	memset(r, 0, sizeof *r);
}
