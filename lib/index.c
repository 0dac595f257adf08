/*
 * index.c — opening an index and writing documents into it: the
 * dicta_index_* functions of dicta.h except the ingest walk (index_path.c).
 *
 * A document becomes passages here.  Its text is cleaned of invalid UTF-8,
 * analyzed once, and cut into passages on the fly (passage.h); each passage
 * becomes one Xapian document carrying, at every word position, the folded
 * word and (for words that are not numbers) its stem with prefix Z; boolean
 * terms for its parent id, language, type and court, title stems, and the
 * words of its court, citation and metadata fields; and the values of
 * store.h.  The first passage also carries the document
 * record (metadata and compressed text) and the term R<id>.  Every write
 * happens inside a Xapian transaction, so a document is committed with all
 * its passages or not at all; the layout is written out in
 * docs/index-format.md.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "analyze.h"
#include "error.h"
#include "index_internal.h"
#include "langid.h"
#include "passage.h"
#include "query_parse.h"
#include "store.h"

/* ------------------------------------------------------------- opening */

static void lang_set_add(lang_set *s, const char *code, int *dirty)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->code[i], code) == 0)
			return;
	if (s->n < INDEX_MAX_LANGS) {
		snprintf(s->code[s->n++], sizeof s->code[0], "%s", code);
		if (dirty)
			*dirty = 1;
	}
}

static void lang_set_parse(lang_set *s, char *list)
{
	char *save = NULL;
	for (char *t = strtok_r(list, " ", &save); t; t = strtok_r(NULL, " ", &save))
		lang_set_add(s, t, NULL);
}

/* Read one shard's state: format, document count, languages. */
static int load_shard(dicta_index *idx, index_shard *s)
{
	char *fmt = NULL, *docs = NULL, *langs = NULL;
	size_t len;
	uint64_t passages = 0;
	int rc = shim_db_get_metadata(s->db, META_FORMAT, &fmt, &len);
	if (rc == 0)
		rc = shim_db_doccount(s->db, &passages);
	int fresh = rc == 0 && (!fmt || !*fmt) && passages == 0;
	if (rc == 0 && !fresh && (!fmt || strcmp(fmt, STORE_FORMAT) != 0))
		rc = (!fmt || !*fmt)
			     ? error_set(DICTA_ENOTFOUND,
					 "%s: a Xapian database, but not a dicta index",
					 idx->path)
			     : error_set(DICTA_ECORRUPT,
					 "%s: index format %s, this dicta reads %s",
					 idx->path, fmt, STORE_FORMAT);
	s->documents = 0;
	s->langs.n = 0;
	if (rc == 0 && !fresh &&
	    shim_db_get_metadata(s->db, META_DOCS, &docs, &len) == 0 && docs)
		s->documents = strtoull(docs, NULL, 10);
	if (rc == 0 && shim_db_get_metadata(s->db, META_LANGS, &langs, &len) == 0 &&
	    langs)
		lang_set_parse(&s->langs, langs);
	free(fmt);
	free(docs);
	free(langs);
	return rc;
}

void index_count(dicta_index *idx)
{
	idx->documents = 0;
	for (size_t k = 0; k < idx->nshards; k++)
		idx->documents += idx->shards[k].documents;
}

/* The index's languages: the union of its shards'. */
static void join_langs(dicta_index *idx)
{
	lang_set all = {0};
	for (size_t k = 0; k < idx->nshards; k++)
		for (size_t i = 0; i < idx->shards[k].langs.n; i++)
			lang_set_add(&all, idx->shards[k].langs.code[i], NULL);
	memcpy(idx->langs, all.code, sizeof idx->langs);
	idx->nlangs = all.n;
}

static int load_state(dicta_index *idx)
{
	for (size_t k = 0; k < idx->nshards; k++) {
		int rc = load_shard(idx, &idx->shards[k]);
		if (rc)
			return rc;
	}
	index_count(idx);
	join_langs(idx);
	return 0;
}

int dicta_index_open(dicta_index **out, const char *path, int flags)
{
	*out = NULL;
	if (!path || !*path)
		return error_set(DICTA_EINVAL, "no index directory given");
	int writable = (flags & DICTA_OPEN_WRITE) != 0;
	dicta_index *idx = calloc(1, sizeof *idx);
	if (!idx || !(idx->path = strdup(path))) {
		free(idx);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	idx->writable = writable;
	strcpy(idx->default_lang, "en");
	idx->guess_lang = 1;
	int mode = !writable ? 0 : (flags & DICTA_OPEN_WAIT) ? SHIM_WRITE_WAIT : SHIM_WRITE;
	int rc = index_layout_open(idx, mode, DICTA_OPEN_SHARDS_OF(flags));
	if (rc == 0)
		rc = load_state(idx);
	if (rc != 0) {
		dicta_index_free(idx);
		return rc;
	}
	*out = idx;
	return 0;
}

void dicta_index_free(dicta_index *idx)
{
	if (!idx)
		return;
	index_layout_close(idx);
	stemmer_cache_clear(&idx->stemmers);
	free(idx->path);
	free(idx);
}

int index_reopen(dicta_index *idx)
{
	int rc = index_layout_reopen(idx);
	if (rc == 0)
		rc = load_state(idx);
	return rc;
}

stemmer *stemmer_cache_get(stemmer_cache *c, const char *code)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->s[i].code, code) == 0)
			return c->s[i].st;
	if (c->n == INDEX_MAX_LANGS) {
		error_set(DICTA_EINVAL, "too many languages (at most %d)",
			  INDEX_MAX_LANGS);
		return NULL;
	}
	stemmer *st = stemmer_new(code);
	if (!st) {
		error_set(DICTA_EINVAL, "no stemmer for language \"%s\"", code);
		return NULL;
	}
	snprintf(c->s[c->n].code, sizeof c->s[0].code, "%s", code);
	c->s[c->n++].st = st;
	return st;
}

void stemmer_cache_clear(stemmer_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		stemmer_free(c->s[i].st);
	c->n = 0;
}

stemmer *index_stemmer(dicta_index *idx, const char *code)
{
	return stemmer_cache_get(&idx->stemmers, code);
}

int dicta_index_set_default_lang(dicta_index *idx, const char *lang)
{
	if (lang && strcmp(lang, "auto") == 0) {
		idx->guess_lang = 1;
		return 0;
	}
	const char *code = stem_lang_code(lang);
	if (!code)
		return error_set(DICTA_EINVAL,
				 "unknown language \"%s\" (use an ISO 639-1 code "
				 "such as en, es, de)",
				 lang);
	snprintf(idx->default_lang, sizeof idx->default_lang, "%s", code);
	idx->guess_lang = 0;
	return 0;
}

int index_in_txn(const dicta_index *idx)
{
	for (size_t k = 0; k < idx->nshards; k++)
		if (idx->shards[k].in_txn)
			return 1;
	return 0;
}

uint64_t index_passages_added(const dicta_index *idx)
{
	uint64_t n = 0;
	for (size_t k = 0; k < idx->nshards; k++)
		n += idx->shards[k].passages_added;
	return n;
}

static int begin_batch(dicta_index *idx, index_shard *s)
{
	if (!idx->writable)
		return error_set(DICTA_EINVAL, "index opened read-only");
	if (s->in_txn)
		return 0;
	int rc = shim_db_begin(s->db);
	if (rc == 0)
		s->in_txn = 1;
	return rc;
}

/* Give up the shard's open batch after a failed write, so that no half
 * document can ever be committed; the error of the write stays the
 * message.  (dicta_index_put's callers see the whole batch discarded:
 * abort_all.) */
static int abort_batch(index_shard *s, int rc)
{
	char msg[1024];
	snprintf(msg, sizeof msg, "%s", dicta_error_last());
	if (s->in_txn)
		(void)shim_db_cancel(s->db);
	s->in_txn = 0;
	return error_set(rc, "%s (the uncommitted batch was discarded)", msg);
}

int index_abort(dicta_index *idx, int rc)
{
	char msg[1024];
	snprintf(msg, sizeof msg, "%s", dicta_error_last());
	for (size_t k = 0; k < idx->nshards; k++)
		if (idx->shards[k].in_txn) {
			(void)shim_db_cancel(idx->shards[k].db);
			idx->shards[k].in_txn = 0;
		}
	return error_set(rc, "%s", msg);
}

static int cmp_pair(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int index_list_has(const char *list, size_t len, const char *word, size_t wl)
{
	for (size_t i = 0; i + wl <= len;) {
		size_t j = i;
		while (j < len && list[j] != ' ')
			j++;
		if (j - i == wl && !memcmp(list + i, word, wl))
			return 1;
		i = j + 1;
	}
	return 0;
}

/* Merge the (stem, word) pairs recorded since the last commit into the
 * shard's variant lists: metadata "v:<stem>" = the words, space-separated. */
static int merge_variants(index_shard *s)
{
	if (s->variants.ndirty)
		qsort(s->variants.dirty, s->variants.ndirty, sizeof *s->variants.dirty, cmp_pair);
	int rc = 0;
	for (size_t i = 0; i < s->variants.ndirty && rc == 0;) {
		const char *stem = s->variants.dirty[i];
		char key[STORE_MAX_TERM + 8];
		snprintf(key, sizeof key, "%s%s", META_VARIANTS, stem);
		char *old;
		size_t ol;
		if ((rc = shim_db_get_metadata(s->db, key, &old, &ol)) != 0)
			break;
		size_t cap = ol + 1, len = ol;
		size_t j = i;
		for (; j < s->variants.ndirty && !strcmp(s->variants.dirty[j], stem); j++)
			cap += strlen(s->variants.dirty[j] + strlen(stem) + 1) + 1;
		char *list = realloc(old, cap);
		if (!list) {
			free(old);
			return error_set(DICTA_ENOMEM, "out of memory");
		}
		int changed = 0;
		for (size_t k = i; k < j; k++) {
			const char *word = s->variants.dirty[k] + strlen(stem) + 1;
			if (index_list_has(list, len, word, strlen(word)))
				continue;
			if (len)
				list[len++] = ' ';
			memcpy(list + len, word, strlen(word));
			len += strlen(word);
			changed = 1;
		}
		if (changed)
			rc = shim_db_set_metadata(s->db, key, list, len);
		free(list);
		i = j;
	}
	if (rc == 0)
		s->variants.ndirty = 0;
	return rc;
}

/* Write the words recorded as parts since the last commit: metadata
 * "p:<word>" (any value), which tells the fast count of search term
 * reports that the word may share a position with another. */
static int write_parts(index_shard *s)
{
	int rc = 0;
	for (size_t i = 0; i < s->parts.ndirty && rc == 0; i++) {
		char key[STORE_MAX_TERM + 8];
		snprintf(key, sizeof key, "%s%s", META_PART, s->parts.dirty[i]);
		rc = shim_db_set_metadata(s->db, key, "1", 1);
	}
	if (rc == 0)
		s->parts.ndirty = 0;
	return rc;
}

int index_shard_commit(dicta_index *idx, size_t k)
{
	index_shard *s = &idx->shards[k];
	int rc = begin_batch(idx, s); /* a commit always writes the metadata */
	if (rc)
		return rc;
	char buf[64 + INDEX_MAX_LANGS * 8];
	rc = merge_variants(s);
	if (rc == 0)
		rc = write_parts(s);
	if (rc == 0)
		rc = shim_db_set_metadata(s->db, META_FORMAT, STORE_FORMAT,
					  strlen(STORE_FORMAT));
	int n = snprintf(buf, sizeof buf, "%llu",
			 (unsigned long long)s->documents);
	if (rc == 0)
		rc = shim_db_set_metadata(s->db, META_DOCS, buf, (size_t)n);
	if (rc == 0 && s->langs_dirty) {
		size_t off = 0;
		buf[0] = '\0';
		for (size_t i = 0; i < s->langs.n; i++)
			off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s",
						i ? " " : "", s->langs.code[i]);
		rc = shim_db_set_metadata(s->db, META_LANGS, buf, off);
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	n = (int)strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (rc == 0)
		rc = shim_db_set_metadata(s->db, META_COMMIT, buf, (size_t)n);
	if (rc == 0)
		rc = shim_db_commit(s->db);
	if (rc != 0)
		return abort_batch(s, rc);
	s->in_txn = 0;
	s->langs_dirty = 0;
	return 0;
}

typedef struct {
	dicta_index *idx;
	size_t k;
	pthread_t tid;
	int rc;
	char msg[1024];
} shard_commit_job;

static void *commit_one(void *arg)
{
	shard_commit_job *c = arg;
	c->rc = index_shard_commit(c->idx, c->k);
	if (c->rc)
		snprintf(c->msg, sizeof c->msg, "%s", dicta_error_last());
	return NULL;
}

/* Each shard commits on its own, all at once, one thread each (a commit
 * is mostly Xapian flushing the batch to disk).  A crash between two
 * shards' commits leaves each shard consistent, one with the batch and
 * one without, and a re-run adds what is missing (docs/indexing.md,
 * "Crash safety"). */
int dicta_index_commit(dicta_index *idx)
{
	if (!idx->writable)
		return error_set(DICTA_EINVAL, "index opened read-only");
	shard_commit_job jobs[INDEX_MAX_SHARDS];
	for (size_t k = 0; k < idx->nshards; k++) {
		jobs[k] = (shard_commit_job){.idx = idx, .k = k};
		if (k == 0 || pthread_create(&jobs[k].tid, NULL, commit_one, &jobs[k]) != 0)
			jobs[k].tid = 0;
	}
	commit_one(&jobs[0]);
	int rc = jobs[0].rc;
	const char *msg = jobs[0].msg;
	for (size_t k = 1; k < idx->nshards; k++) {
		if (jobs[k].tid)
			pthread_join(jobs[k].tid, NULL);
		else
			commit_one(&jobs[k]); /* no thread: here, after the others */
		if (jobs[k].rc && !rc) {
			rc = jobs[k].rc;
			msg = jobs[k].msg;
		}
	}
	if (rc) {
		error_set(rc, "%s", msg);
		return index_abort(idx, rc);
	}
	join_langs(idx);
	index_count(idx);
	return 0;
}

int dicta_index_delete(dicta_index *idx, const char *id)
{
	if (!id || !*id)
		return error_set(DICTA_EINVAL, "no document id given");
	index_shard *s = &idx->shards[index_shard_of(id, idx->nshards)];
	int rc = begin_batch(idx, s);
	if (rc)
		return rc;
	char term[STORE_MAX_TERM + 1];
	size_t tl = store_id_term(term, PREFIX_ID, id);
	unsigned n = 0;
	rc = shim_db_delete_term(s->db, term, tl, &n);
	if (rc)
		return index_abort(idx, abort_batch(s, rc));
	if (n == 0)
		return error_set(DICTA_ENOTFOUND, "no document with id \"%s\"", id);
	if (s->documents)
		s->documents--;
	index_count(idx);
	return 0;
}

/* -------------------------------------------------- building passages */

typedef struct {
	size_t start, end;
	uint32_t pos, sentence, paragraph;
	uint32_t word_off, word_len; /* the folded word, in the arena */
	const char *stem;            /* NULL for numbers */
	uint32_t stem_len;
} ptok;

typedef struct {
	index_shard *sh;
	const dicta_document *doc;
	const char *text; /* the cleaned text */
	size_t text_len;
	stemmer *st;
	const passage_rules *rules;

	ptok *toks;
	size_t n, cap;
	char *arena;
	size_t alen, acap;
	size_t cur_begin;  /* toks[0, cur_begin) is the pending passage */
	int have_pending;

	uint32_t ordinal;
	uint32_t last_sentence, last_paragraph; /* of the last emitted token */
	int any_emitted;

	/* Terms and values every passage carries. */
	char id_term[STORE_MAX_TERM + 1];
	size_t id_term_len;
	char **common;      /* boolean terms */
	size_t *common_len;
	size_t ncommon, capcommon;
	char date_key[9];
	int has_date;

	shim_doc *first;   /* passage 0, added last with the record */
	char term[STORE_MAX_TERM + 8];
	int rc;
} builder;

static int add_common(builder *b, const char *prefix, const char *s,
		      size_t len)
{
	size_t pl = strlen(prefix);
	if (pl + len > STORE_MAX_TERM)
		len = STORE_MAX_TERM - pl;
	if (b->ncommon == b->capcommon) {
		size_t cap = b->capcommon ? b->capcommon * 2 : 8;
		char **t = realloc(b->common, cap * sizeof *t);
		if (!t)
			return -1;
		b->common = t;
		size_t *l = realloc(b->common_len, cap * sizeof *l);
		if (!l)
			return -1;
		b->common_len = l;
		b->capcommon = cap;
	}
	char *t = malloc(pl + len + 1);
	if (!t)
		return -1;
	memcpy(t, prefix, pl);
	memcpy(t + pl, s, len);
	t[pl + len] = '\0';
	for (size_t i = 0; i < b->ncommon; i++)
		if (b->common_len[i] == pl + len && !memcmp(b->common[i], t, pl + len)) {
			free(t);
			return 0;
		}
	b->common[b->ncommon] = t;
	b->common_len[b->ncommon++] = pl + len;
	return 0;
}

static int add_common_folded(builder *b, const char *prefix, const char *s)
{
	if (!s || !*s)
		return 0;
	size_t fl;
	char *f = analyze_fold(s, strlen(s), &fl);
	if (!f)
		return -1;
	int rc = add_common(b, prefix, f, fl);
	free(f);
	return rc;
}

static int on_title_token(const token *t, void *payload)
{
	builder *b = payload;
	if (t->flags & TOK_NUMERIC) {
		/* the compound, then its parts (analyze.h), which have none */
		int rc = add_common(b, PREFIX_TITLE, t->text, t->len);
		return rc ? rc : analyze_parts(t->text, t->len, on_title_token, b);
	}
	size_t sl;
	const char *s = stemmer_stem(b->st, t->text, t->len, &sl);
	return add_common(b, PREFIX_TITLE, s, sl);
}

/* Field words: PREFIX_FIELD + field + ":" + each folded word of the
 * value, so that court:florida or custodian:"smith" find the document
 * (docs/index-format.md, "Field words").  At most FIELD_MAX_WORDS words of
 * a value are kept. */
#define FIELD_MAX_WORDS 64
#define FIELD_MAX_NAME 48

typedef struct {
	builder *b;
	char prefix[FIELD_MAX_NAME + 8];
	int n;
} field_words;

static int on_field_token(const token *t, void *payload)
{
	field_words *f = payload;
	if (++f->n > FIELD_MAX_WORDS)
		return 1;
	return add_common(f->b, f->prefix, t->text, t->len);
}

/* name is used only if it is a query field name: a letter, then letters,
 * digits, '_' or '-' (ASCII, lowered). */
static int add_field_words(builder *b, const char *name, const char *v,
			   size_t vl)
{
	size_t nl = strlen(name);
	if (nl > FIELD_MAX_NAME || !query_field_name(name, nl))
		return 0;
	field_words f = {b, "", 0};
	size_t pl = strlen(PREFIX_FIELD);
	memcpy(f.prefix, PREFIX_FIELD, pl);
	for (size_t i = 0; i < nl; i++) {
		char c = name[i];
		f.prefix[pl + i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	f.prefix[pl + nl] = ':';
	f.prefix[pl + nl + 1] = '\0';
	return analyze_text(v, vl, on_field_token, &f) < 0 ? -1 : 0;
}

/* The metadata members of meta_json that are strings, numbers or arrays
 * of them, as field words; names the query gives another meaning to are
 * left out. */
static int add_meta_words(builder *b, const char *meta_json)
{
	static const char *const reserved[] = {"title", "court", "type", "lang",
					       "id", "cite", "citation", "date",
					       "after", "before"};
	json_t *o = json_loads(meta_json, 0, NULL);
	if (!o)
		return 0; /* kept as given in the record; nothing to index */
	int rc = 0;
	const char *key;
	json_t *val;
	json_object_foreach(o, key, val) {
		int skip = 0;
		for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
			skip = skip || strcmp(key, reserved[i]) == 0;
		size_t n = json_is_array(val) ? json_array_size(val) : 1;
		for (size_t i = 0; i < n && i < 32 && !skip && rc == 0; i++) {
			json_t *x = json_is_array(val) ? json_array_get(val, i) : val;
			char num[64];
			if (json_is_string(x))
				rc = add_field_words(b, key, json_string_value(x),
						     json_string_length(x));
			else if (json_is_integer(x) || json_is_real(x)) {
				int k = json_is_integer(x)
					? snprintf(num, sizeof num, "%lld",
						   (long long)json_integer_value(x))
					: snprintf(num, sizeof num, "%g", json_real_value(x));
				rc = add_field_words(b, key, num, (size_t)k);
			}
		}
		if (rc)
			break;
	}
	json_decref(o);
	return rc;
}

static int build_common(builder *b, const char *lang)
{
	const dicta_document *d = b->doc;
	b->id_term_len = store_id_term(b->id_term, PREFIX_ID, d->id);
	if (add_common(b, b->id_term, "", 0) || add_common(b, PREFIX_LANG, lang, strlen(lang)) ||
	    add_common_folded(b, PREFIX_TYPE, d->type) ||
	    add_common_folded(b, PREFIX_COURT, d->court))
		return -1;
	if (d->title && analyze_text(d->title, strlen(d->title), on_title_token, b))
		return -1;
	if ((d->court && add_field_words(b, "court", d->court, strlen(d->court))) ||
	    (d->citation && add_field_words(b, "citation", d->citation,
					    strlen(d->citation))) ||
	    (d->meta_json && add_meta_words(b, d->meta_json)))
		return -1;
	b->has_date = d->date && store_date_key(d->date, b->date_key) == 0;
	return 0;
}

static int add_term_at(builder *b, shim_doc *sd, const char *prefix,
		       const char *w, size_t wl, uint32_t pos)
{
	size_t pl = strlen(prefix);
	if (pl + wl > STORE_MAX_TERM)
		return 0; /* longer than any term Xapian keeps: not searchable */
	memcpy(b->term, prefix, pl);
	memcpy(b->term + pl, w, wl);
	return shim_doc_add_posting(sd, b->term, pl + wl, pos);
}

static int add_stem(builder *b, shim_doc *sd, const char *stem, size_t sl)
{
	if (1 + sl > STORE_MAX_TERM)
		return 0;
	b->term[0] = PREFIX_STEM[0];
	memcpy(b->term + 1, stem, sl);
	return shim_doc_add_term(sd, b->term, 1 + sl, 1);
}

/* Record s[0, len) in n unless it is there: 1 if new, 0 if not, -1 on
 * ENOMEM. */
static int note(noted_set *n, const char *s, size_t len)
{
	if (!n->seen && !(n->seen = strset_new()))
		return -1;
	const char *stored;
	int r = strset_add(n->seen, s, len, &stored);
	if (r <= 0)
		return r;
	if (n->ndirty == n->capdirty) {
		size_t cap = n->capdirty ? n->capdirty * 2 : 1024;
		const char **d = realloc(n->dirty, cap * sizeof *d);
		if (!d)
			return -1;
		n->dirty = d;
		n->capdirty = cap;
	}
	n->dirty[n->ndirty++] = stored;
	return 1;
}

/* Remember that word has stem, so that stem proximity can find the word's
 * positions (index_format.md, "variants"). */
static int note_variant(index_shard *idx, const char *stem, size_t sl,
			const char *word, size_t wl)
{
	if (sl + 1 + wl > STORE_MAX_TERM)
		return 0;
	char pair[STORE_MAX_TERM + 1];
	memcpy(pair, stem, sl);
	pair[sl] = '\0';
	memcpy(pair + sl + 1, word, wl);
	return note(&idx->variants, pair, sl + 1 + wl) < 0 ? -1 : 0;
}

/* The parts of a compound (analyze_parts) at the compound's position:
 * each as a word, and a word part with its stem, as if it stood alone. */
typedef struct {
	builder *b;
	shim_doc *sd;
	uint32_t pos;
	int rc;
} part_sink;

static int on_part(const token *t, void *payload)
{
	part_sink *ps = payload;
	builder *b = ps->b;
	int rc = add_term_at(b, ps->sd, "", t->text, t->len, ps->pos);
	if (rc == 0 && t->len + strlen(META_PART) <= STORE_MAX_TERM &&
	    note(&b->sh->parts, t->text, t->len) < 0)
		rc = error_set(DICTA_ENOMEM, "out of memory indexing \"%s\"",
			       b->doc->id);
	if (rc == 0 && !(t->flags & TOK_NUMERIC)) {
		size_t sl;
		const char *stem = stemmer_stem(b->st, t->text, t->len, &sl);
		if (!stem || note_variant(b->sh, stem, sl, t->text, t->len) != 0)
			rc = error_set(DICTA_ENOMEM, "out of memory indexing \"%s\"",
				       b->doc->id);
		else
			rc = add_stem(b, ps->sd, stem, sl);
	}
	ps->rc = rc;
	return rc != 0;
}

static int add_parts(builder *b, shim_doc *sd, const char *w, size_t wl,
		     uint32_t pos)
{
	part_sink ps = {b, sd, pos, 0};
	int rc = analyze_parts(w, wl, on_part, &ps);
	if (ps.rc)
		return ps.rc;
	return rc < 0 ? error_set(DICTA_ENOMEM, "out of memory indexing \"%s\"",
				  b->doc->id)
		      : 0;
}

/* Emit toks[from, to) as the next passage; `end` is its end byte. */
static int emit(builder *b, size_t from, size_t to, size_t end)
{
	shim_doc *sd = shim_doc_new();
	if (!sd)
		return DICTA_ENOMEM;
	int rc = 0;
	store_struct ss = {0};
	size_t start = b->ordinal == 0 ? 0 : (from < to ? b->toks[from].start : end);
	uint32_t first_pos = from < to ? b->toks[from].pos : 0;
	ss.last = first_pos;
	for (size_t i = from; i < to && rc == 0; i++) {
		const ptok *t = &b->toks[i];
		const char *w = b->arena + t->word_off;
		rc = add_term_at(b, sd, "", w, t->word_len, t->pos);
		if (rc == 0 && t->stem)
			rc = add_stem(b, sd, t->stem, t->stem_len);
		else if (rc == 0)
			rc = add_parts(b, sd, w, t->word_len, t->pos);
		if (rc == 0 && (!b->any_emitted || t->sentence != b->last_sentence))
			rc = store_struct_add(&ss, t->pos,
					      !b->any_emitted ||
						      t->paragraph != b->last_paragraph);
		b->last_sentence = t->sentence;
		b->last_paragraph = t->paragraph;
		b->any_emitted = 1;
	}
	/* Title terms carry wdf 1 so that title weighting (search.c) can
	 * score them; the others are boolean. */
	for (size_t i = 0; i < b->ncommon && rc == 0; i++)
		rc = shim_doc_add_term(sd, b->common[i], b->common_len[i],
				       b->common[i][0] == PREFIX_TITLE[0]);
	char u[16];
	store_put_u32(u, b->ordinal);
	if (rc == 0)
		rc = shim_doc_set_value(sd, SLOT_ORDINAL, u, 4);
	store_put_u32(u, (uint32_t)start);
	store_put_u32(u + 4, (uint32_t)end);
	store_put_u32(u + 8, first_pos);
	store_put_u32(u + 12, (uint32_t)(to - from));
	if (rc == 0)
		rc = shim_doc_set_value(sd, SLOT_RANGE, u, 16);
	if (rc == 0)
		rc = shim_doc_set_value(sd, SLOT_PARENT, b->doc->id,
					strlen(b->doc->id));
	if (rc == 0 && b->has_date)
		rc = shim_doc_set_value(sd, SLOT_DATE, b->date_key, 8);
	if (rc == 0 && ss.len)
		rc = shim_doc_set_value(sd, SLOT_STRUCT, ss.buf, ss.len);
	free(ss.buf);
	if (rc == 0 && b->ordinal == 0) {
		b->first = sd; /* completed by finish() */
		b->ordinal++;
		b->sh->passages_added++;
		return 0;
	}
	if (rc == 0)
		rc = shim_db_add(b->sh->db, sd, NULL);
	shim_doc_free(sd);
	b->ordinal++;
	b->sh->passages_added++;
	return rc;
}

/* Emit the pending passage and drop its tokens from the buffers. */
static int flush_pending(builder *b)
{
	if (!b->have_pending)
		return 0;
	size_t k = b->cur_begin;
	size_t next = k < b->n ? b->toks[k].start : b->text_len;
	int rc = emit(b, 0, k, passage_end_before(b->text, next));
	if (rc)
		return rc;
	if (k < b->n) {
		uint32_t shift = b->toks[k].word_off;
		memmove(b->arena, b->arena + shift, b->alen - shift);
		b->alen -= shift;
		memmove(b->toks, b->toks + k, (b->n - k) * sizeof *b->toks);
		b->n -= k;
		for (size_t i = 0; i < b->n; i++)
			b->toks[i].word_off -= shift;
	} else {
		b->n = 0;
		b->alen = 0;
	}
	b->cur_begin = 0;
	b->have_pending = 0;
	return 0;
}

static int on_doc_token(const token *t, void *payload)
{
	builder *b = payload;
	size_t cur_words = b->n - b->cur_begin;
	if (cur_words) {
		const ptok *last = &b->toks[b->n - 1];
		if (passage_should_cut(b->rules, (uint32_t)cur_words,
				       t->paragraph != last->paragraph,
				       t->sentence != last->sentence)) {
			if ((b->rc = flush_pending(b)) != 0)
				return 1;
			b->have_pending = 1;
			b->cur_begin = b->n;
		}
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 512;
		ptok *p = realloc(b->toks, cap * sizeof *p);
		if (!p)
			goto nomem;
		b->toks = p;
		b->cap = cap;
	}
	if (b->alen + t->len > b->acap) {
		size_t cap = b->acap ? b->acap * 2 : 4096;
		while (cap < b->alen + t->len)
			cap *= 2;
		char *a = realloc(b->arena, cap);
		if (!a)
			goto nomem;
		b->arena = a;
		b->acap = cap;
	}
	ptok *p = &b->toks[b->n++];
	p->start = t->start;
	p->end = t->end;
	p->pos = t->pos;
	p->sentence = t->sentence;
	p->paragraph = t->paragraph;
	p->word_off = (uint32_t)b->alen;
	p->word_len = (uint32_t)t->len;
	memcpy(b->arena + b->alen, t->text, t->len);
	b->alen += t->len;
	p->stem = NULL;
	p->stem_len = 0;
	if (!(t->flags & TOK_NUMERIC)) {
		size_t sl;
		p->stem = stemmer_stem(b->st, t->text, t->len, &sl);
		if (!p->stem)
			goto nomem;
		p->stem_len = (uint32_t)sl;
		if (note_variant(b->sh, p->stem, sl, t->text, t->len) != 0)
			goto nomem;
	}
	return 0;
nomem:
	b->rc = error_set(DICTA_ENOMEM, "out of memory indexing \"%s\"",
			  b->doc->id);
	return 1;
}

/* Emit what is left, then add passage 0 with the document record. */
static int finish(builder *b, const char *lang, uint64_t hash)
{
	int rc = 0;
	size_t cur_words = b->n - b->cur_begin;
	if (b->have_pending && cur_words &&
	    passage_should_merge_tail(b->rules, (uint32_t)b->cur_begin,
				      (uint32_t)cur_words)) {
		rc = emit(b, 0, b->n, passage_end_before(b->text, b->text_len));
	} else {
		rc = flush_pending(b);
		if (rc == 0 && (b->n > 0 || b->ordinal == 0))
			rc = emit(b, 0, b->n, passage_end_before(b->text, b->text_len));
	}
	if (rc)
		return rc;
	const dicta_document *d = b->doc;
	store_record r = {
		.id = (char *)d->id, .title = (char *)d->title,
		.date = (char *)d->date, .type = (char *)d->type,
		.court = (char *)d->court, .citation = (char *)d->citation,
		.lang = (char *)lang, .source = (char *)d->source,
		.meta_json = (char *)d->meta_json, .hash = hash,
		.npassages = b->ordinal, .text = (char *)b->text,
		.text_len = b->text_len,
	};
	char *data;
	size_t dlen;
	rc = store_record_encode(&r, &data, &dlen);
	if (rc)
		return rc;
	char rterm[STORE_MAX_TERM + 1];
	size_t rl = store_id_term(rterm, PREFIX_RECORD, d->id);
	rc = shim_doc_set_data(b->first, data, dlen);
	free(data);
	if (rc == 0)
		rc = shim_doc_add_term(b->first, rterm, rl, 0);
	if (rc == 0)
		rc = shim_db_add(b->sh->db, b->first, NULL);
	return rc;
}

static void builder_free(builder *b)
{
	free(b->toks);
	free(b->arena);
	for (size_t i = 0; i < b->ncommon; i++)
		free(b->common[i]);
	free(b->common);
	free(b->common_len);
	shim_doc_free(b->first);
}

static uint64_t doc_hash(const dicta_document *d, const char *text,
			 size_t len)
{
	const char *f[] = {d->id, d->title, d->date, d->type, d->court,
			   d->citation, d->lang, d->meta_json};
	uint64_t h = STORE_HASH_INIT;
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (f[i])
			h = store_hash(h, f[i], strlen(f[i]));
		h = store_hash(h, "\x1f", 1);
	}
	return store_hash(h, text, len);
}

/* Is the stored document with this id the same as the one being added?
 * (A document that cannot be read back is never "the same".) */
static int unchanged(index_shard *sh, const char *id, uint64_t hash)
{
	store_record r;
	if (document_load_from(sh->db, id, &r, 0) != 0) {
		error_clear();
		return 0;
	}
	int same = r.hash == hash;
	store_record_clear(&r);
	return same;
}

int dicta_index_add(dicta_index *idx, const dicta_document *doc)
{
	return dicta_index_put(NULL, idx, doc);
}

int dicta_index_put(int *out_change, dicta_index *idx,
		    const dicta_document *doc)
{
	if (out_change)
		*out_change = 0;
	if (!doc || !doc->id || !*doc->id)
		return error_set(DICTA_EINVAL, "document without an id");
	int rc = index_shard_put(idx, index_shard_of(doc->id, idx->nshards),
				 out_change, doc);
	if (rc && rc != DICTA_EINVAL)
		rc = index_abort(idx, rc);
	index_count(idx);
	return rc;
}

/* Everything here touches shard k only (and idx's read-only settings), so
 * that one thread per shard can run it (index_jobs.c). */
int index_shard_put(dicta_index *idx, size_t k, int *out_change,
		    const dicta_document *doc)
{
	index_shard *sh = &idx->shards[k];
	if (out_change)
		*out_change = 0;
	if (!doc || !doc->id || !*doc->id)
		return error_set(DICTA_EINVAL, "document without an id");
	if (!doc->text && doc->text_len)
		return error_set(DICTA_EINVAL, "%s: document without text", doc->id);
	const char *lang = idx->default_lang;
	if (doc->lang && *doc->lang) {
		lang = stem_lang_code(doc->lang);
		if (!lang)
			return error_set(DICTA_EINVAL,
					 "%s: unknown language \"%s\"", doc->id,
					 doc->lang);
	} else if (idx->guess_lang && doc->text) {
		const char *g = langid_guess(doc->text, doc->text_len);
		if (g && stem_lang_known(g))
			lang = g;
	}
	stemmer *st = stemmer_cache_get(&sh->stemmers, lang);
	if (!st)
		return DICTA_EINVAL;
	size_t tl;
	char *text = utf8_sanitize(doc->text ? doc->text : "", doc->text_len,
				   &tl, NULL);
	if (!text)
		return error_set(DICTA_ENOMEM, "out of memory");
	uint64_t hash = doc_hash(doc, text, tl);
	if (unchanged(sh, doc->id, hash)) {
		free(text);
		if (out_change)
			*out_change = DICTA_CHANGE_UNCHANGED;
		return 0;
	}
	int rc = begin_batch(idx, sh);
	if (rc) {
		free(text);
		return rc;
	}
	builder b = {0};
	b.sh = sh;
	b.doc = doc;
	b.text = text;
	b.text_len = tl;
	b.st = st;
	b.rules = &passage_default_rules;
	if (build_common(&b, lang) != 0) {
		rc = error_set(DICTA_ENOMEM, "out of memory");
		goto out;
	}
	unsigned replaced = 0;
	rc = shim_db_delete_term(sh->db, b.id_term, b.id_term_len, &replaced);
	if (rc)
		goto fail;
	if (analyze_text(text, tl, on_doc_token, &b) != 0) {
		rc = b.rc ? b.rc : error_set(DICTA_ENOMEM, "out of memory");
		goto fail;
	}
	rc = finish(&b, lang, hash);
	if (rc)
		goto fail;
	if (!replaced)
		sh->documents++;
	if (out_change)
		*out_change = replaced ? DICTA_CHANGE_REPLACED : DICTA_CHANGE_ADDED;
	lang_set_add(&sh->langs, lang, &sh->langs_dirty);
	goto out;
fail:
	rc = abort_batch(sh, rc);
out:
	builder_free(&b);
	free(text);
	return rc;
}
