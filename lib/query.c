/*
 * query.c — a parsed query (query_parse.c) compiled against an index: the
 * Xapian query that finds and ranks passages, the leaves the evaluator
 * (query_eval.c) checks on a passage, and the terms highlighted by a
 * natural-language query.  Called by search.c.
 *
 * How each part of the language becomes Xapian terms:
 *
 *   word       its stem in each language of the index ("Z" + stem), OR'd;
 *              a number or identifier as written (folded); in a passage,
 *              the words that have one of those stems (metadata "v:" +
 *              stem) are where it occurs
 *   #word, "..."   the folded word itself, which carries positions
 *   root!, pat*tern  every indexed word starting with the root (matching
 *              the pattern), at most QUERY_MAX_EXPANSION, as one SYNONYM
 *   "a b c"    Xapian's OP_PHRASE over the exact words
 *   a /n b, /s, /p and their ordered forms   OP_AND of both sides, every
 *              candidate then checked exactly on its positions (the
 *              check, query_plan_check)
 *   AND OR NOT -x   OP_AND, OP_OR, OP_AND_NOT
 *   title:     "S" + stem of each word (title words carry no positions,
 *              so a phrase in a title means its words, anywhere in it)
 *   court: type: lang: id: and metadata fields   one term for the whole
 *              value (store.h), boolean: they restrict and do not rank
 *   date: after: before:   a range of value slot 3
 *
 * A natural-language query ORs its words' terms exactly as before this
 * language existed, and its fields, dates and exclusions filter.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "error.h"
#include "query_eval.h"
#include "store.h"

int query_terms_add(query_terms *qt, const char *term, size_t len)
{
	for (size_t i = 0; i < qt->n; i++)
		if (strlen(qt->terms[i]) == len && !memcmp(qt->terms[i], term, len))
			return 0;
	if (qt->n == qt->cap) {
		size_t cap = qt->cap ? qt->cap * 2 : 16;
		char **t = realloc(qt->terms, cap * sizeof *t);
		if (!t)
			return error_set(DICTA_ENOMEM, "out of memory");
		qt->terms = t;
		qt->cap = cap;
	}
	char *c = malloc(len + 1);
	if (!c)
		return error_set(DICTA_ENOMEM, "out of memory");
	memcpy(c, term, len);
	c[len] = '\0';
	qt->terms[qt->n++] = c;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void query_terms_seal(query_terms *qt)
{
	if (qt->n)
		qsort(qt->terms, qt->n, sizeof *qt->terms, cmp_str);
}

int query_terms_has(const query_terms *qt, const char *term, size_t len)
{
	size_t lo = 0, hi = qt->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *t = qt->terms[mid];
		size_t tl = strlen(t);
		int c = memcmp(t, term, tl < len ? tl : len);
		if (c == 0)
			c = tl < len ? -1 : (tl > len);
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void query_terms_free(query_terms *qt)
{
	for (size_t i = 0; i < qt->n; i++)
		free(qt->terms[i]);
	free(qt->terms);
	memset(qt, 0, sizeof *qt);
}

/* -------------------------------------------------------- string lists */

typedef struct {
	char **v;
	size_t n, cap;
} slist;

static int slist_has(const slist *l, const char *s, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i]) == len && memcmp(l->v[i], s, len) == 0)
			return 1;
	return 0;
}

/* Add a copy of s[0, len) unless dedupe and already there. */
static int slist_add(slist *l, const char *s, size_t len, int dedupe)
{
	if (dedupe && slist_has(l, s, len))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return error_set(DICTA_ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	char *c = malloc(len + 1);
	if (!c)
		return error_set(DICTA_ENOMEM, "out of memory");
	memcpy(c, s, len);
	c[len] = '\0';
	l->v[l->n++] = c;
	return 0;
}

static void slist_free(slist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Concatenate prefix and s[0, len) into buf (STORE_MAX_TERM + 1 bytes);
 * -1 when too long for a term. */
static int make_term(char *buf, const char *prefix, const char *s, size_t len)
{
	size_t pl = strlen(prefix);
	if (pl + len > STORE_MAX_TERM)
		return -1;
	memcpy(buf, prefix, pl);
	memcpy(buf + pl, s, len);
	buf[pl + len] = '\0';
	return (int)(pl + len);
}

/* ----------------------------------------------------------- compiling */

typedef struct {
	query_plan *p;
	dicta_index *idx;
	int positions; /* leaves must know where their words occur */
	int long_words; /* words too long to be indexed, passed over */
} compiler;

typedef struct {
	slist *out;
	const char *pat;
	size_t patlen;
	int over;
	int rc;
} expand_state;

static int on_vocab(const char *term, size_t len, void *payload)
{
	expand_state *s = payload;
	if (s->pat && !qglob_match(s->pat, s->patlen, term, len))
		return 0;
	if (s->out->n == QUERY_MAX_EXPANSION) {
		s->over = 1;
		return 1;
	}
	s->rc = slist_add(s->out, term, len, 0);
	return s->rc != 0;
}

/*
 * The indexed terms starting with prefix (and matching pat, if given),
 * into out.  DICTA_EQUERY at n's column when there are more than
 * QUERY_MAX_EXPANSION: counted here, before any query is built, so that
 * the message has a column (and Xapian's own limit, which leaks when it
 * throws, is never reached).
 */
static int expand(compiler *c, const qnode *n, const char *prefix,
		  const char *pat, size_t patlen, slist *out)
{
	expand_state s = {out, pat, patlen, 0, 0};
	int rc = shim_db_allterms(c->idx->db, prefix, on_vocab, &s);
	if (rc == 0)
		rc = s.rc;
	if (rc == 0 && s.over) {
		if (n->flags & QT_ROOT)
			rc = error_set_query(n->col,
					     "%.*s%s matches more than %d words in this "
					     "index; give more of the root",
					     (int)n->len, n->text,
					     (n->flags & QT_RAW) ? "*" : "!",
					     QUERY_MAX_EXPANSION);
		else
			rc = error_set_query(n->col,
					     "%.*s matches more than %d words in this "
					     "index; give more letters before the *",
					     (int)n->len, n->text, QUERY_MAX_EXPANSION);
	}
	return rc;
}

/* The words recorded as having stem (metadata "v:" + stem), into out. */
static int add_variants(compiler *c, const char *stem, size_t sl, slist *out)
{
	char key[STORE_MAX_TERM + 8];
	if (sl + strlen(META_VARIANTS) >= sizeof key)
		return 0;
	memcpy(key, META_VARIANTS, strlen(META_VARIANTS));
	memcpy(key + strlen(META_VARIANTS), stem, sl);
	key[strlen(META_VARIANTS) + sl] = '\0';
	char *v;
	size_t vl;
	int rc = index_metadata_join(c->idx, key, &v, &vl);
	if (rc || !v)
		return rc;
	for (size_t i = 0; i < vl && rc == 0;) {
		size_t j = i;
		while (j < vl && v[j] != ' ')
			j++;
		if (j > i)
			rc = slist_add(out, v + i, j - i, 1);
		i = j + 1;
	}
	free(v);
	return rc;
}

/* Move the lists into the leaf. */
static void take(qleaf *l, slist *terms, slist *xterms)
{
	if (terms) {
		l->terms = terms->v;
		l->nterms = terms->n;
		memset(terms, 0, sizeof *terms);
	}
	if (xterms) {
		l->xterms = xterms->v;
		l->nxterms = xterms->n;
		memset(xterms, 0, sizeof *xterms);
	}
}

static int set_prefix(qleaf *l, const char *prefix, size_t plen,
		      const char *pat, size_t patlen)
{
	l->prefix = malloc(plen + 1);
	if (!l->prefix)
		return error_set(DICTA_ENOMEM, "out of memory");
	memcpy(l->prefix, prefix, plen);
	l->prefix[plen] = '\0';
	l->plen = plen;
	if (pat) {
		l->pattern = malloc(patlen + 1);
		if (!l->pattern)
			return error_set(DICTA_ENOMEM, "out of memory");
		memcpy(l->pattern, pat, patlen);
		l->pattern[patlen] = '\0';
		l->patlen = patlen;
	}
	return 0;
}

/*
 * An expansion (root or wildcard) of n's text behind term prefix tp:
 * vocabulary terms as the node's Xapian terms; in a passage, a short list
 * is looked up word by word, a long one by scanning the passage's terms
 * that start with the root.
 */
static int leaf_expansion(compiler *c, const qnode *n, qleaf *l,
			  const char *tp, int positional)
{
	char prefix[STORE_MAX_TERM + 1], pat[STORE_MAX_TERM + 1];
	size_t lit = n->len;
	const char *star = (n->flags & QT_WILD) ? memchr(n->text, '*', n->len) : NULL;
	if (star)
		lit = (size_t)(star - n->text);
	int pl = make_term(prefix, tp, n->text, lit);
	int patl = star ? make_term(pat, tp, n->text, n->len) : 0;
	if (pl < 0 || patl < 0)
		return error_set_query(n->col, "the word at column %d is too long to "
					       "search for", n->col);
	slist x = {0};
	int rc = expand(c, n, prefix, star ? pat : NULL, (size_t)patl, &x);
	if (rc) {
		slist_free(&x);
		return rc;
	}
	l->synonym = 1;
	if (x.n <= 8 || !c->positions) {
		slist t = {0};
		for (size_t i = 0; i < x.n && rc == 0; i++)
			rc = slist_add(&t, x.v[i], strlen(x.v[i]), 0);
		l->kind = positional ? LEAF_WORDS : LEAF_TERMS;
		take(l, &t, &x);
		slist_free(&t);
		return rc;
	}
	l->kind = positional ? LEAF_WORD_PREFIX : LEAF_TERM_PREFIX;
	take(l, NULL, &x);
	return set_prefix(l, prefix, (size_t)pl, star ? pat : NULL, (size_t)patl);
}

/*
 * prefix + the stem of n's word in each language of the index, into out
 * (distinct); with variants, the words that have those stems too.
 */
static int stems(compiler *c, const qnode *n, const char *prefix, slist *out,
		 slist *variants)
{
	dicta_index *idx = c->idx;
	size_t nl = idx->nlangs ? idx->nlangs : 1;
	int rc = 0;
	for (size_t i = 0; i < nl && rc == 0; i++) {
		stemmer *st = index_stemmer(idx, idx->nlangs ? idx->langs[i]
							  : idx->default_lang);
		if (!st)
			return DICTA_EINVAL; /* message set */
		size_t sl;
		const char *stem = stemmer_stem(st, n->text, n->len, &sl);
		if (!stem)
			return error_set(DICTA_ENOMEM, "out of memory");
		char t[STORE_MAX_TERM + 1];
		int tl = make_term(t, prefix, stem, sl);
		if (tl < 0)
			continue; /* longer than any term the indexer writes */
		rc = slist_add(out, t, (size_t)tl, 1);
		if (rc == 0 && variants)
			rc = add_variants(c, stem, sl, variants);
	}
	return rc;
}

/* A word of the text (not in a field): its stems, or itself when exact;
 * where it occurs, the words that have one of its stems. */
static int leaf_word(compiler *c, const qnode *n, qleaf *l)
{
	if (n->flags & (QT_ROOT | QT_WILD))
		return leaf_expansion(c, n, l, "", 1);
	l->kind = LEAF_WORDS;
	if (n->len > STORE_MAX_TERM) {
		if (c->p->natural) {
			c->long_words++; /* a leaf that matches nothing */
			return 0;
		}
		return error_set_query(n->col, "the word at column %d is longer than "
					       "any indexed word (%d bytes)",
					       n->col, STORE_MAX_TERM);
	}
	slist terms = {0}, xterms = {0};
	int rc = slist_add(&terms, n->text, n->len, 1);
	if (rc == 0 && (n->flags & (QT_EXACT | QT_NUMERIC)))
		rc = slist_add(&xterms, n->text, n->len, 1);
	else if (rc == 0)
		rc = stems(c, n, PREFIX_STEM, &xterms, c->positions ? &terms : NULL);
	take(l, &terms, &xterms);
	slist_free(&terms);
	slist_free(&xterms);
	return rc;
}

/* A word of a title: its stems (title words are indexed by stem). */
static int leaf_title(compiler *c, const qnode *n, qleaf *l)
{
	if (n->flags & (QT_ROOT | QT_WILD))
		return leaf_expansion(c, n, l, PREFIX_TITLE, 0);
	slist terms = {0}, xterms = {0};
	char t[STORE_MAX_TERM + 1];
	int tl, rc = 0;
	if (n->flags & QT_NUMERIC) {
		if ((tl = make_term(t, PREFIX_TITLE, n->text, n->len)) >= 0)
			rc = slist_add(&xterms, t, (size_t)tl, 1);
	} else {
		rc = stems(c, n, PREFIX_TITLE, &xterms, NULL);
	}
	/* For a field the terms looked for and the Xapian terms are one. */
	for (size_t i = 0; i < xterms.n && rc == 0; i++)
		rc = slist_add(&terms, xterms.v[i], strlen(xterms.v[i]), 0);
	l->kind = LEAF_TERMS;
	take(l, &terms, &xterms);
	slist_free(&terms);
	slist_free(&xterms);
	return rc;
}

typedef struct {
	int found;
	char names[512];
	size_t len;
	int more;
} field_list;

static int on_field_term(const char *term, size_t len, void *payload)
{
	field_list *f = payload;
	f->found = 1;
	const char *colon = memchr(term, ':', len);
	if (!colon)
		return 0;
	size_t nl = (size_t)(colon - term) - strlen(PREFIX_FIELD);
	const char *name = term + strlen(PREFIX_FIELD);
	if ((nl == 5 && memcmp(name, "court", 5) == 0) ||
	    (nl == 8 && memcmp(name, "citation", 8) == 0))
		return 0; /* always listed */
	/* Names come in order: compare with the last one listed. */
	const char *last = f->len ? strrchr(f->names, ' ') : NULL;
	last = last ? last + 1 : f->names;
	if (f->len && strlen(last) == nl && memcmp(last, name, nl) == 0)
		return 0;
	if (f->len + nl + 3 >= sizeof f->names) {
		f->more = 1;
		return 1;
	}
	if (f->len) {
		f->names[f->len++] = ',';
		f->names[f->len++] = ' ';
	}
	memcpy(f->names + f->len, name, nl);
	f->len += nl;
	f->names[f->len] = '\0';
	return 0;
}

static int stop_at_first(const char *term, size_t len, void *payload)
{
	(void)term;
	(void)len;
	*(int *)payload = 1;
	return 1;
}

/* The term prefix of a field's words or value into buf: court:, cite:
 * and metadata fields PREFIX_FIELD + name + ":", type: lang: id: their
 * own.  DICTA_EQUERY for a metadata field no document of the index has. */
static int field_prefix(compiler *c, const qnode *field, char *buf, size_t cap)
{
	const char *name = field->text;
	if (strcmp(name, "type") == 0)
		snprintf(buf, cap, "%s", PREFIX_TYPE);
	else if (strcmp(name, "lang") == 0)
		snprintf(buf, cap, "%s", PREFIX_LANG);
	else if (strcmp(name, "id") == 0)
		snprintf(buf, cap, "%s", PREFIX_ID);
	else {
		if (strcmp(name, "cite") == 0)
			name = "citation";
		if (strlen(name) + strlen(PREFIX_FIELD) + 2 > cap)
			return error_set_query(field->col, "unknown field %s:", name);
		snprintf(buf, cap, "%s%s:", PREFIX_FIELD, name);
		if (strcmp(name, "court") == 0 || strcmp(name, "citation") == 0)
			return 0;
		int found = 0;
		int rc = shim_db_allterms(c->idx->db, buf, stop_at_first, &found);
		if (rc)
			return rc;
		if (!found) {
			field_list f = {0};
			rc = shim_db_allterms(c->idx->db, PREFIX_FIELD, on_field_term, &f);
			if (rc)
				return rc;
			return error_set_query(field->col,
					       "unknown field %s: the fields are title, "
					       "court, cite, type, lang, id, date, after, "
					       "before%s%s%s",
					       field->text, f.len ? " and, in this index, " : "",
					       f.names, f.more ? ", ..." : "");
		}
	}
	return 0;
}

/* A word of a court:, cite: or metadata field, as written (folded). */
static int leaf_field_word(compiler *c, const qnode *field, const qnode *n,
			   qleaf *l)
{
	char tp[STORE_MAX_TERM + 1], t[STORE_MAX_TERM + 1];
	int rc = field_prefix(c, field, tp, sizeof tp);
	if (rc)
		return rc;
	if (n->flags & (QT_ROOT | QT_WILD))
		return leaf_expansion(c, n, l, tp, 0);
	slist terms = {0}, xterms = {0};
	int tl = make_term(t, tp, n->text, n->len);
	if (tl >= 0 && (rc = slist_add(&terms, t, (size_t)tl, 0)) == 0)
		rc = slist_add(&xterms, t, (size_t)tl, 0);
	l->kind = LEAF_TERMS;
	take(l, &terms, &xterms);
	slist_free(&terms);
	slist_free(&xterms);
	return rc;
}

/* A keyword field's value: one term for the whole value. */
static int leaf_keyword(compiler *c, const qnode *field, const qnode *n,
			qleaf *l)
{
	char tp[STORE_MAX_TERM + 1], t[STORE_MAX_TERM + 1];
	int rc = field_prefix(c, field, tp, sizeof tp);
	if (rc)
		return rc;
	char *val = NULL;
	size_t vl = 0;
	int tl;
	if (strcmp(field->text, "id") == 0) {
		if (!(val = malloc(n->len + 1)))
			return error_set(DICTA_ENOMEM, "out of memory");
		memcpy(val, n->text, n->len);
		val[n->len] = '\0';
		vl = n->len;
	} else if (strcmp(field->text, "lang") == 0) {
		char code[16];
		snprintf(code, sizeof code, "%.*s", (int)(n->len < 15 ? n->len : 15),
			 n->text);
		const char *lc = n->len < 15 ? stem_lang_code(code) : NULL;
		if (!lc)
			return error_set_query(n->col,
					       "unknown language \"%.*s\" in lang:; use a "
					       "code such as en, es or de",
					       (int)n->len, n->text);
		val = strdup(lc);
		vl = val ? strlen(val) : 0;
	} else {
		val = analyze_fold(n->text, n->len, &vl);
	}
	if (!val)
		return error_set(DICTA_ENOMEM, "out of memory");
	slist terms = {0}, xterms = {0};
	if (n->flags & QT_ROOT) {
		tl = make_term(t, tp, val, vl);
		if (tl < 0) {
			free(val);
			return error_set_query(n->col, "the value at column %d is too "
						       "long", n->col);
		}
		qnode probe = *n;
		probe.text = val;
		probe.len = vl;
		rc = expand(c, &probe, t, NULL, 0, &xterms);
		if (rc == 0 && xterms.n > 8) {
			l->kind = LEAF_TERM_PREFIX;
			rc = set_prefix(l, t, (size_t)tl, NULL, 0);
		} else {
			l->kind = LEAF_TERMS;
			for (size_t i = 0; i < xterms.n && rc == 0; i++)
				rc = slist_add(&terms, xterms.v[i], strlen(xterms.v[i]), 0);
		}
	} else {
		l->kind = LEAF_TERMS;
		if (strcmp(field->text, "id") == 0)
			tl = (int)store_id_term(t, PREFIX_ID, val);
		else
			tl = make_term(t, tp, val, vl);
		if (tl >= 0) {
			rc = slist_add(&terms, t, (size_t)tl, 0);
			if (rc == 0)
				rc = slist_add(&xterms, t, (size_t)tl, 0);
		}
	}
	free(val);
	take(l, &terms, &xterms);
	slist_free(&terms);
	slist_free(&xterms);
	return rc;
}

/* Resolve every leaf under n; field is the enclosing field node or NULL. */
static int resolve(compiler *c, const qnode *n, const qnode *field)
{
	query_plan *p = c->p;
	if (n->kind == Q_FIELD)
		field = n;
	if (n->kind == Q_TERM) {
		qleaf *l = &p->leaves[n->id];
		if (!field)
			return leaf_word(c, n, l);
		switch (query_field_kind(field->text, field->len)) {
		case QF_TEXT:
			return leaf_title(c, n, l);
		case QF_WORDS:
			return leaf_field_word(c, field, n, l);
		default:
			return leaf_keyword(c, field, n, l);
		}
	}
	for (size_t i = 0; i < n->nkids; i++) {
		int rc = resolve(c, n->kids[i], field);
		if (rc)
			return rc;
	}
	return 0;
}

/* Does the Xapian query over-match n, so that passages need the check? */
static void needs_check(query_plan *p, const qnode *n, int in_field)
{
	if (n->kind == Q_FIELD)
		in_field = 1;
	if (n->kind == Q_PROX) {
		p->check = 1;
		if (n->unit != QU_WORDS)
			p->structure = 1;
	}
	if (n->kind == Q_PHRASE && !in_field)
		for (size_t i = 0; i < n->nkids; i++)
			if (!(n->kids[i]->flags & (QT_EXACT | QT_NUMERIC | QT_ROOT | QT_WILD)))
				p->check = 1;
	for (size_t i = 0; i < n->nkids; i++)
		needs_check(p, n->kids[i], in_field);
}

/* ------------------------------------------------- building the query */

static shim_query *nothing(void)
{
	return shim_query_combine(SHIM_OR, NULL, 0, 0);
}

/* Combine subs[0, n) with op and free them; NULL subs make it fail. */
static shim_query *combine(enum shim_op op, shim_query **subs, size_t n,
			   unsigned window)
{
	shim_query *q = NULL;
	int ok = 1;
	for (size_t i = 0; i < n; i++)
		ok = ok && subs[i];
	if (ok)
		q = n == 1 && op != SHIM_PHRASE ? subs[0]
						: shim_query_combine(op, subs, n, window);
	for (size_t i = 0; i < n; i++)
		if (subs[i] != q)
			shim_query_free(subs[i]);
	return q;
}

static shim_query *leaf_query(const qleaf *l)
{
	if (l->nxterms == 0)
		return nothing();
	shim_query **subs = calloc(l->nxterms, sizeof *subs);
	if (!subs) {
		error_set(DICTA_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < l->nxterms; i++)
		subs[i] = shim_query_term(l->xterms[i], strlen(l->xterms[i]), 1, 0);
	shim_query *q = combine(l->synonym ? SHIM_SYNONYM : SHIM_OR, subs,
				l->nxterms, 0);
	free(subs);
	return q;
}

static shim_query *build(const query_plan *p, const qnode *n, int in_field);

static shim_query *build_kids(const query_plan *p, const qnode *n, enum shim_op op,
			      int in_field, unsigned window)
{
	shim_query **subs = calloc(n->nkids, sizeof *subs);
	if (!subs) {
		error_set(DICTA_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n->nkids; i++)
		subs[i] = build(p, n->kids[i], in_field);
	shim_query *q = combine(op, subs, n->nkids, window);
	free(subs);
	return q;
}

/* AND (or a natural query's filters): the positive kids with op, the
 * exclusions (Q_NEG) taken away. */
static shim_query *build_and(const query_plan *p, const qnode *n, int in_field)
{
	size_t np = 0, nn = 0;
	shim_query **pos = calloc(n->nkids, sizeof *pos);
	shim_query **neg = calloc(n->nkids, sizeof *neg);
	shim_query *q = NULL;
	if (!pos || !neg) {
		error_set(DICTA_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n->nkids; i++) {
		const qnode *k = n->kids[i];
		if (k->kind == Q_NEG)
			neg[nn++] = build(p, k->kids[0], in_field);
		else
			pos[np++] = build(p, k, in_field);
	}
	q = combine(SHIM_AND, pos, np, 0);
	np = 0;
	if (q && nn) {
		shim_query *pair[2] = {q, combine(SHIM_OR, neg, nn, 0)};
		nn = 0;
		q = combine(SHIM_AND_NOT, pair, 2, 0);
	}
out:
	for (size_t i = 0; i < np; i++)
		shim_query_free(pos[i]);
	for (size_t i = 0; i < nn; i++)
		shim_query_free(neg[i]);
	free(pos);
	free(neg);
	return q;
}

/* A natural-language query: the distinct terms of its words OR'd (an
 * expansion as one SYNONYM), restricted by its fields and dates, less its
 * exclusions. */
static shim_query *build_rank(const query_plan *p, const qnode *n)
{
	size_t nk = n->nkids, nw = 0, nf = 0, nn = 0, cap = 1;
	for (size_t i = 0; i < nk; i++)
		cap += p->leaves[n->kids[i]->id].nxterms + 1;
	shim_query **w = calloc(cap, sizeof *w), **f = calloc(nk + 1, sizeof *f),
		   **x = calloc(nk + 1, sizeof *x);
	shim_query *q = NULL;
	slist seen = {0};
	int ok = w && f && x;
	if (!ok)
		error_set(DICTA_ENOMEM, "out of memory");
	for (size_t i = 0; i < nk && ok; i++) {
		const qnode *k = n->kids[i];
		const qleaf *l = &p->leaves[k->id];
		if (k->kind == Q_NEG) {
			ok = (x[nn++] = build(p, k->kids[0], 0)) != NULL;
		} else if (k->kind != Q_TERM) {
			ok = (f[nf++] = build(p, k, 0)) != NULL;
		} else if (l->synonym) {
			ok = (w[nw++] = leaf_query(l)) != NULL;
		} else {
			for (size_t j = 0; j < l->nxterms && ok; j++) {
				const char *t = l->xterms[j];
				if (slist_has(&seen, t, strlen(t)))
					continue;
				ok = slist_add(&seen, t, strlen(t), 0) == 0 &&
				     (w[nw++] = shim_query_term(t, strlen(t), 1, 0)) != NULL;
			}
		}
	}
	if (ok) {
		int any = nw > 0;
		shim_query *ranked = any ? combine(SHIM_OR, w, nw, 0)
					 : shim_query_match_all();
		nw = 0;
		if (ranked && nf) {
			shim_query *pair[2] = {ranked, combine(SHIM_AND, f, nf, 0)};
			nf = 0;
			ranked = combine(SHIM_FILTER, pair, 2, 0);
		}
		if (ranked && nn) {
			shim_query *pair[2] = {ranked, combine(SHIM_OR, x, nn, 0)};
			nn = 0;
			ranked = combine(SHIM_AND_NOT, pair, 2, 0);
		}
		q = ranked;
	}
	for (size_t i = 0; i < nw; i++)
		shim_query_free(w[i]);
	for (size_t i = 0; i < nf; i++)
		shim_query_free(f[i]);
	for (size_t i = 0; i < nn; i++)
		shim_query_free(x[i]);
	free(w);
	free(f);
	free(x);
	slist_free(&seen);
	return q;
}

static shim_query *build(const query_plan *p, const qnode *n, int in_field)
{
	switch (n->kind) {
	case Q_TERM:
		return leaf_query(&p->leaves[n->id]);
	case Q_PHRASE: {
		int exact = !in_field;
		for (size_t i = 0; i < n->nkids && exact; i++)
			exact = (n->kids[i]->flags &
				 (QT_EXACT | QT_NUMERIC | QT_ROOT | QT_WILD)) != 0;
		if (!exact)
			return build_kids(p, n, SHIM_AND, in_field, 0);
		/* Inside OP_PHRASE an expansion must be a plain OR. */
		shim_query **subs = calloc(n->nkids, sizeof *subs);
		if (!subs) {
			error_set(DICTA_ENOMEM, "out of memory");
			return NULL;
		}
		for (size_t i = 0; i < n->nkids; i++) {
			qleaf l = p->leaves[n->kids[i]->id];
			l.synonym = 0;
			subs[i] = leaf_query(&l);
		}
		shim_query *q = combine(SHIM_PHRASE, subs, n->nkids,
					(unsigned)n->nkids);
		free(subs);
		return q;
	}
	case Q_AND:
		return build_and(p, n, in_field);
	case Q_OR:
		return build_kids(p, n, SHIM_OR, in_field, 0);
	case Q_NOT:
		return build_kids(p, n, SHIM_AND_NOT, in_field, 0);
	case Q_NEG:
		/* Only under AND or RANK, which take it away; alone (never
		 * made by the parser) it would mean nothing to find. */
		return nothing();
	case Q_PROX:
		/* Xapian finds passages with both sides; the check decides. */
		return build_kids(p, n, SHIM_AND, in_field, 0);
	case Q_FIELD: {
		shim_query *v = build(p, n->kids[0], 1);
		shim_query *q = v ? shim_query_scale(v, 0) : NULL;
		shim_query_free(v);
		return q;
	}
	case Q_DATE:
		return shim_query_value_range(SLOT_DATE, n->lo[0] ? n->lo : NULL,
					      n->hi[0] ? n->hi : NULL);
	case Q_RANK:
		return build_rank(p, n);
	}
	return NULL;
}

/* ------------------------------------------------------------- the plan */

static void index_nodes(query_plan *p, const qnode *n)
{
	p->nodes[n->id] = n;
	for (size_t i = 0; i < n->nkids; i++)
		index_nodes(p, n->kids[i]);
}

/* The terms of the words that can make a passage match (not in fields,
 * exclusions or the right side of NOT): what a natural query highlights,
 * and what search.c looks up in titles to rank. */
static int collect_terms(query_plan *p, const qnode *n)
{
	int rc = 0;
	switch (n->kind) {
	case Q_TERM: {
		const qleaf *l = &p->leaves[n->id];
		for (size_t j = 0; j < l->nxterms && rc == 0; j++)
			rc = query_terms_add(&p->terms, l->xterms[j], strlen(l->xterms[j]));
		return rc;
	}
	case Q_NEG:
	case Q_FIELD:
	case Q_DATE:
		return 0;
	case Q_NOT:
		return collect_terms(p, n->kids[0]);
	default:
		for (size_t i = 0; i < n->nkids && rc == 0; i++)
			rc = collect_terms(p, n->kids[i]);
		return rc;
	}
}

/* The plan's sorted list of every word a LEAF_WORDS leaf looks up, and
 * each leaf's index into it. */
static int index_words(query_plan *p)
{
	size_t total = 0;
	for (size_t i = 0; i < p->nnodes; i++)
		if (p->leaves[i].kind == LEAF_WORDS)
			total += p->leaves[i].nterms;
	if (total == 0)
		return 0;
	if (!(p->words = calloc(total, sizeof *p->words)))
		return error_set(DICTA_ENOMEM, "out of memory");
	for (size_t i = 0; i < p->nnodes; i++) {
		const qleaf *l = &p->leaves[i];
		if (l->kind != LEAF_WORDS)
			continue;
		for (size_t j = 0; j < l->nterms; j++)
			p->words[p->nwords++] = l->terms[j];
	}
	qsort(p->words, p->nwords, sizeof *p->words, cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < p->nwords; i++)
		if (k == 0 || strcmp(p->words[k - 1], p->words[i]) != 0)
			p->words[k++] = p->words[i];
	p->nwords = k;
	for (size_t i = 0; i < p->nnodes; i++) {
		qleaf *l = &p->leaves[i];
		if (l->kind != LEAF_WORDS || l->nterms == 0)
			continue;
		if (!(l->widx = calloc(l->nterms, sizeof *l->widx)))
			return error_set(DICTA_ENOMEM, "out of memory");
		for (size_t j = 0; j < l->nterms; j++) {
			const char *key = l->terms[j];
			char **hit = bsearch(&key, p->words, p->nwords, sizeof *p->words,
					     cmp_str);
			l->widx[j] = (uint32_t)(hit - p->words);
		}
	}
	return 0;
}

/* ------------------------------------------------------- the fast count */

/*
 * Can n be counted from which terms a passage has and their wdf
 * (qeval_terms)?  Words, roots and wildcards, OR, AND, NOT, exclusions
 * and fields can: each leaf is a set of terms, and each word's hits are
 * its occurrences.  Phrases (outside a field) and connectors need the
 * words' positions, and dates a value: those plans are evaluated on
 * positions.
 */
static int fast_node(const qnode *n, int in_field)
{
	size_t positive = 0;
	switch (n->kind) {
	case Q_TERM:
		return 1;
	case Q_PROX:
	case Q_DATE:
		return 0;
	case Q_PHRASE:
		if (!in_field)
			return 0;
		break;
	case Q_FIELD:
		in_field = 1;
		break;
	case Q_AND:
		/* An AND of exclusions alone (never parsed) is Xapian's
		 * empty AND: left to the evaluator. */
		for (size_t i = 0; i < n->nkids; i++)
			positive += n->kids[i]->kind != Q_NEG;
		if (!positive)
			return 0;
		break;
	default:
		break;
	}
	for (size_t i = 0; i < n->nkids; i++)
		if (!fast_node(n->kids[i], in_field))
			return 0;
	return 1;
}

/* Is node id i a term of the tree?  (Ids the parser numbered but left
 * out of the tree have no node.) */
static int is_term(const query_plan *p, size_t i)
{
	return p->nodes[i] && p->nodes[i]->kind == Q_TERM;
}

/* The index of each of the leaf's strings in the plan's fast terms. */
static int fast_index(query_plan *p, char **v, size_t n, uint32_t **out)
{
	if (n == 0)
		return 0;
	if (!(*out = calloc(n, sizeof **out)))
		return error_set(DICTA_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		char **hit = bsearch(&v[i], p->fterms, p->nfterms, sizeof *p->fterms,
				     cmp_str);
		(*out)[i] = (uint32_t)(hit - p->fterms);
	}
	return 0;
}

/* Mark as leads the Xapian terms of the leaves under n that can make the
 * query match (positive: not excluded, not the right side of NOT). */
static void fast_leads(query_plan *p, const qnode *n, int positive)
{
	if (n->kind == Q_TERM) {
		const qleaf *l = &p->leaves[n->id];
		for (size_t i = 0; i < l->nxterms && positive; i++)
			p->flead[l->fx[i]] = 1;
		return;
	}
	for (size_t i = 0; i < n->nkids; i++) {
		int flip = n->kind == Q_NEG || (n->kind == Q_NOT && i > 0);
		fast_leads(p, n->kids[i], flip ? !positive : positive);
	}
}

int qplan_term_is_part(query_plan *p, size_t i, int *is_part)
{
	if (p->fpart[i] == 0) {
		const char *t = p->fterms[i];
		size_t tl = strlen(t), ml = strlen(META_PART);
		char key[STORE_MAX_TERM + 8];
		char *v = NULL;
		size_t vl;
		if (tl + ml < sizeof key) {
			memcpy(key, META_PART, ml);
			memcpy(key + ml, t, tl + 1);
			int rc = index_metadata_join(p->idx, key, &v, &vl);
			if (rc)
				return rc;
		}
		p->fpart[i] = v && vl ? 2 : 1; /* a missing key reads "" */
		free(v);
	}
	*is_part = p->fpart[i] == 2;
	return 0;
}

/*
 * Decide whether the plan takes the fast count, and if so list its
 * terms: every term a leaf looks for and every Xapian term, and the
 * leads.  Only the leads need to be walked if a passage without any of
 * them cannot match: the Xapian query, with every term absent, must
 * match nothing (it is monotone: more of a positive leaf's terms, or
 * fewer of an excluded one's, never unmatch a passage).
 */
static int plan_fast(query_plan *p)
{
	const qnode *root = qast_root(p->ast);
	if (!fast_node(root, 0))
		return 0;
	size_t total = 0;
	for (size_t i = 0; i < p->nnodes; i++)
		if (is_term(p, i))
			total += p->leaves[i].nterms + p->leaves[i].nxterms;
	if (total == 0)
		return 0;
	if (!(p->fterms = calloc(total, sizeof *p->fterms)))
		return error_set(DICTA_ENOMEM, "out of memory");
	for (size_t i = 0; i < p->nnodes; i++) {
		const qleaf *l = &p->leaves[i];
		if (!is_term(p, i))
			continue;
		for (size_t j = 0; j < l->nterms; j++)
			p->fterms[p->nfterms++] = l->terms[j];
		for (size_t j = 0; j < l->nxterms; j++)
			p->fterms[p->nfterms++] = l->xterms[j];
	}
	qsort(p->fterms, p->nfterms, sizeof *p->fterms, cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < p->nfterms; i++)
		if (k == 0 || strcmp(p->fterms[k - 1], p->fterms[i]) != 0)
			p->fterms[k++] = p->fterms[i];
	p->nfterms = k;
	int rc = 0;
	for (size_t i = 0; i < p->nnodes && rc == 0; i++) {
		qleaf *l = &p->leaves[i];
		if (!is_term(p, i))
			continue;
		rc = fast_index(p, l->terms, l->nterms, &l->ft);
		if (rc == 0)
			rc = fast_index(p, l->xterms, l->nxterms, &l->fx);
	}
	if (rc == 0 && (!(p->flead = calloc(p->nfterms, 1)) ||
			!(p->fpart = calloc(p->nfterms, 1))))
		rc = error_set(DICTA_ENOMEM, "out of memory");
	if (rc)
		return rc;
	fast_leads(p, root, 1);
	unsigned char *none = calloc(p->nfterms, 1);
	if (!none)
		return error_set(DICTA_ENOMEM, "out of memory");
	p->fast = !qeval_terms_xapian(p, none);
	free(none);
	return 0;
}

static int plan_accept(shim_docview *v, void *payload)
{
	int matched;
	int rc = qeval_passage(payload, v, &matched, NULL, NULL);
	return rc ? rc : matched;
}

/* query_compile(); with all_positions, every word leaf of a natural query
 * too knows the words of its stems, so that it can be placed. */
static int compile(query_plan **out, dicta_index *idx, const char *q,
		   int all_positions)
{
	*out = NULL;
	if (!q)
		return error_set_query(0, "no query given");
	query_plan *p = calloc(1, sizeof *p);
	if (!p)
		return error_set(DICTA_ENOMEM, "out of memory");
	p->idx = idx;
	int rc = query_parse(&p->ast, q, strlen(q));
	if (rc) {
		free(p);
		return rc;
	}
	p->nnodes = qast_count(p->ast);
	p->nodes = calloc(p->nnodes, sizeof *p->nodes);
	p->leaves = calloc(p->nnodes, sizeof *p->leaves);
	if (!p->nodes || !p->leaves) {
		query_plan_free(p);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	const qnode *root = qast_root(p->ast);
	index_nodes(p, root);
	p->natural = qast_natural(p->ast);
	needs_check(p, root, 0);
	compiler c = {p, idx, all_positions || !p->natural || p->check, 0};
	rc = resolve(&c, root, NULL);
	if (rc == 0)
		rc = index_words(p);
	if (rc == 0)
		rc = collect_terms(p, root);
	query_terms_seal(&p->terms);
	if (rc == 0 && p->natural) {
		if (p->terms.n == 0 && c.long_words) {
			/* Words were given, but none can be searched for. */
			int others = 0;
			for (size_t i = 0; i < root->nkids; i++)
				others += root->kids[i]->kind == Q_FIELD ||
					  root->kids[i]->kind == Q_DATE ||
					  p->leaves[root->kids[i]->id].synonym;
			if (!others)
				rc = error_set_query(1, "the query's words are too long "
							"to search for");
		}
	}
	if (rc == 0 && !(p->xq = build(p, root, 0)))
		rc = DICTA_ENOMEM;
	if (rc == 0 && all_positions)
		rc = plan_fast(p);
	if (rc) {
		query_plan_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int query_compile(query_plan **out, dicta_index *idx, const char *q)
{
	return compile(out, idx, q, 0);
}

int query_compile_counting(query_plan **out, dicta_index *idx, const char *q)
{
	return compile(out, idx, q, 1);
}

void query_plan_free(query_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; p->leaves && i < p->nnodes; i++) {
		qleaf *l = &p->leaves[i];
		for (size_t j = 0; j < l->nterms; j++)
			free(l->terms[j]);
		for (size_t j = 0; j < l->nxterms; j++)
			free(l->xterms[j]);
		free(l->terms);
		free(l->xterms);
		free(l->widx);
		free(l->ft);
		free(l->fx);
		free(l->prefix);
		free(l->pattern);
	}
	free(p->leaves);
	free(p->nodes);
	free(p->words); /* the strings belong to the leaves */
	free(p->fterms); /* these too */
	free(p->flead);
	free(p->fpart);
	shim_query_free(p->xq);
	query_terms_free(&p->terms);
	qeval_free(p);
	qast_free(p->ast);
	free(p);
}

const shim_query *query_plan_query(const query_plan *p)
{
	return p->xq;
}

shim_accept_fn query_plan_check(const query_plan *p)
{
	return p->check ? plan_accept : NULL;
}

int query_plan_natural(const query_plan *p)
{
	return p->natural;
}

const query_terms *query_plan_terms(const query_plan *p)
{
	return &p->terms;
}

int query_plan_positions(const query_plan *p, unsigned docid, uint32_t **out,
			 size_t *n_out, uint32_t *first_out)
{
	*out = NULL;
	*n_out = 0;
	*first_out = 0;
	shim_docview *v;
	int rc = shim_docview_open(&v, p->idx->db, docid);
	if (rc)
		return rc;
	const char *r;
	size_t rl;
	if ((rc = shim_docview_value(v, SLOT_RANGE, &r, &rl)) != 0) {
		shim_docview_free(v);
		return rc;
	}
	if (rl == 16)
		*first_out = store_get_u32(r + 8);
	int matched;
	/* The scratch space is the plan's; the plan is not shared between
	 * threads (neither is the index handle it belongs to). */
	rc = qeval_passage((query_plan *)(uintptr_t)p, v, &matched, out, n_out);
	shim_docview_free(v);
	return rc;
}

int query_plan_count(query_plan *p, shim_docview *v, int *matched,
		     uint64_t *hits, int *truncated)
{
	*hits = 0;
	*truncated = 0;
	int rc = qeval_passage(p, v, matched, NULL, NULL);
	if (rc == 0 && *matched) {
		rc = qeval_hits(p, hits);
		*truncated = p->ev.truncated;
	}
	return rc;
}

int query_plan_fast(const query_plan *p, const char *const **terms,
		    const unsigned char **lead, size_t *n_out)
{
	*terms = (const char *const *)p->fterms;
	*lead = p->flead;
	*n_out = p->fast ? p->nfterms : 0;
	return p->fast;
}

int query_plan_count_terms(query_plan *p, const unsigned char *present,
			   const uint32_t *wdf, int *matched, uint64_t *hits)
{
	return qeval_terms(p, present, wdf, matched, hits);
}

int query_plan_count_positions(query_plan *p, shim_docview *v, uint64_t *hits)
{
	return qeval_terms_positions(p, v, hits);
}
