/*
 * query_parse.c — the legal query language (query_parse.h): a lexer that
 * turns the query text into tokens, analyzing each word with the one
 * analyzer, and a recursive-descent parser over the tokens that builds the
 * tree, then checks that every operator has operands it can work on.
 * Called by query.c; tested by tests/test_query_parse.c and fuzzed by
 * tests/fuzz/fuzz_query.c.
 *
 * Every error names a 1-based column, counted in characters, and says what
 * was expected there.  The lexer refuses invalid UTF-8 and control
 * characters before anything else, so the rest may decode freely.  Depth,
 * connectors and words are bounded (query_parse.h), which bounds the
 * recursion of the parser and of everything that walks the tree.
 *
 * Hand-written rather than generated (Lemon, Bison): the grammar is small,
 * and the messages ("/s needs a word on both sides") and the lexing rules
 * that depend on context (a field's value, a word inside quotes) are easier
 * to get right in plain code than through a generator's error recovery.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "analyze.h"
#include "error.h"
#include "query_parse.h"
#include "sbuf.h"

/* ---------------------------------------------------------------- arena */

typedef struct chunk {
	struct chunk *next;
	size_t used, cap;
	size_t pad; /* keeps data 16-byte aligned */
	char data[];
} chunk;

struct qast {
	qnode *root;
	chunk *chunks;
	size_t nnodes;
	int natural;
};

static void *arena_alloc(qast *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	chunk *c = a->chunks;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 16384 ? n : 16384;
		c = malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->next = a->chunks;
		c->used = 0;
		c->cap = cap;
		a->chunks = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	return p;
}

void qast_free(qast *a)
{
	if (!a)
		return;
	for (chunk *c = a->chunks, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}

const qnode *qast_root(const qast *a)
{
	return a ? a->root : NULL;
}

size_t qast_count(const qast *a)
{
	return a ? a->nnodes : 0;
}

int qast_natural(const qast *a)
{
	return a && a->natural;
}

/* ------------------------------------------------------------ the state */

typedef enum {
	T_END, T_WORD, T_PHRASE, T_LPAREN, T_RPAREN, T_AND, T_OR, T_NOT,
	T_PROX, T_MINUS, T_FIELD
} ttype;

typedef struct {
	ttype type;
	int col;
	size_t off, len;  /* the token's text in the query */
	qnode *node;      /* T_WORD, T_PHRASE: the value, built by the lexer */
	qfield_kind fkind; /* T_FIELD */
	unsigned dist;    /* T_PROX */
	int ordered;
	qunit unit;
} tok;

typedef struct {
	const char *q;
	size_t len;
	qast *a;
	tok *toks;
	size_t ntoks, cap, i;
	int rc;           /* first error, 0 while all is well */
	int words, connectors, depth;
	int syntax;       /* an operator, connector, quote or parenthesis
			   * outside a field's value was used */
	int field_depth;  /* parsing a field's value */
	size_t col_off;   /* col_of() cache: column col_col at byte col_off */
	int col_col;
} P;

static int fail(P *p, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(P *p, int col, const char *fmt, ...)
{
	if (p->rc)
		return p->rc;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	p->rc = error_set_query(col, "%s", msg);
	return p->rc;
}

static int oom(P *p)
{
	if (!p->rc)
		p->rc = error_set(DICTA_ENOMEM, "out of memory parsing the query");
	return p->rc;
}

static qnode *new_node(P *p, qkind kind, int col)
{
	qnode *n = arena_alloc(p->a, sizeof *n);
	if (!n) {
		oom(p);
		return NULL;
	}
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->col = col;
	n->id = (int)p->a->nnodes++;
	return n;
}

static const char *arena_str(P *p, const char *s, size_t len)
{
	char *c = arena_alloc(p->a, len + 1);
	if (!c) {
		oom(p);
		return NULL;
	}
	memcpy(c, s, len);
	c[len] = '\0';
	return c;
}

static int set_kids(P *p, qnode *n, qnode *const *kids, size_t nk)
{
	n->kids = arena_alloc(p->a, (nk ? nk : 1) * sizeof *kids);
	if (!n->kids)
		return oom(p);
	memcpy(n->kids, kids, nk * sizeof *kids);
	n->nkids = nk;
	return 0;
}

static qnode *node2(P *p, qkind kind, int col, qnode *a, qnode *b)
{
	qnode *n = new_node(p, kind, col);
	qnode *k[2] = {a, b};
	if (!n || set_kids(p, n, k, b ? 2 : 1))
		return NULL;
	return n;
}

/* A growable list of nodes, for the children of a node being built. */
typedef struct {
	qnode **v;
	size_t n, cap;
} nvec;

static int nvec_push(P *p, nvec *v, qnode *x)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		qnode **nv = realloc(v->v, cap * sizeof *nv);
		if (!nv)
			return oom(p);
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = x;
	return 0;
}

/* ------------------------------------------------------------ characters */

/* Decode the character at q[i] (the query was validated first). */
static size_t char_at(const P *p, size_t i, int32_t *cp)
{
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p->q + i,
					      (utf8proc_ssize_t)(p->len - i), cp);
	if (n <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return (size_t)n;
}

static int is_space(int32_t c)
{
	if (c == ' ' || (c >= 9 && c <= 13))
		return 1;
	if (c < 0x80)
		return 0;
	utf8proc_category_t cat = utf8proc_category(c);
	return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
	       cat == UTF8PROC_CATEGORY_ZP;
}

/* Straight and typographic double quotes, and guillemets, open and close
 * a phrase alike. */
static int is_quote(int32_t c)
{
	return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E ||
	       c == 0xAB || c == 0xBB;
}

/* Refuse what is not text before looking at anything. */
static int validate_text(P *p)
{
	int col = 1;
	for (size_t i = 0; i < p->len; col++) {
		int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate(
			(const utf8proc_uint8_t *)p->q + i,
			(utf8proc_ssize_t)(p->len - i), &c);
		if (n <= 0)
			return fail(p, col,
				    "invalid UTF-8 at column %d (byte 0x%02X): "
				    "the query must be UTF-8 text",
				    col, (unsigned char)p->q[i]);
		if (!is_space(c) && utf8proc_category(c) == UTF8PROC_CATEGORY_CC)
			return fail(p, col,
				    "control character U+%04X at column %d: "
				    "remove it from the query",
				    (unsigned)c, col);
		i += (size_t)n;
	}
	return 0;
}

/* The column of byte offset off, counting characters from 1.  Offsets
 * mostly grow as the lexer goes, so it goes on from the last answer. */
static int col_of(P *p, size_t off)
{
	size_t i = 0;
	int col = 1;
	if (p->col_col && p->col_off <= off) {
		i = p->col_off;
		col = p->col_col;
	}
	while (i < off && i < p->len) {
		int32_t c;
		i += char_at(p, i, &c);
		col++;
	}
	p->col_off = i;
	p->col_col = col;
	return col;
}

/* --------------------------------------------------------------- words */

typedef struct {
	struct wtok {
		size_t text_off, len; /* in buf */
		size_t start, end;    /* in the analyzed input */
		unsigned flags;
	} *v;
	size_t n, cap;
	char *buf;
	size_t blen, bcap;
} wlist;

static int on_word(const token *t, void *payload)
{
	wlist *w = payload;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		struct wtok *v = realloc(w->v, cap * sizeof *v);
		if (!v)
			return -1;
		w->v = v;
		w->cap = cap;
	}
	if (w->blen + t->len + 1 > w->bcap) {
		size_t cap = w->bcap ? w->bcap * 2 : 256;
		while (cap < w->blen + t->len + 1)
			cap *= 2;
		char *b = realloc(w->buf, cap);
		if (!b)
			return -1;
		w->buf = b;
		w->bcap = cap;
	}
	memcpy(w->buf + w->blen, t->text, t->len);
	w->buf[w->blen + t->len] = '\0';
	w->v[w->n].text_off = w->blen;
	w->v[w->n].len = t->len;
	w->v[w->n].start = t->start;
	w->v[w->n].end = t->end;
	w->v[w->n].flags = t->flags;
	w->blen += t->len + 1;
	w->n++;
	return 0;
}

static void wlist_free(wlist *w)
{
	free(w->v);
	free(w->buf);
}

static qnode *term_node(P *p, int col, const char *text, size_t len,
			unsigned flags)
{
	qnode *n = new_node(p, Q_TERM, col);
	if (!n || !(n->text = arena_str(p, text, len)))
		return NULL;
	n->len = len;
	n->flags = flags;
	if (++p->words > QUERY_MAX_WORDS) {
		fail(p, col, "the query has more than %d words; shorten it",
		     QUERY_MAX_WORDS);
		return NULL;
	}
	return n;
}

/*
 * The terms of one word as written, s[0, len), appended to out: a plain
 * word gives one term per analyzed word; "root!" marks the last one
 * QT_ROOT; a word with '*' ends in a QT_WILD pattern.  exact adds
 * QT_EXACT.  Nothing is appended for a word without letters or digits.
 */
static int word_terms(P *p, nvec *out, int col, const char *s, size_t len,
		      int exact)
{
	int root = 0;
	while (len && s[len - 1] == '!') {
		root = 1;
		len--;
	}
	if (memchr(s, '!', len))
		return fail(p, col,
			    "! goes at the end of a word, as in extradit!, "
			    "to find every word that starts with it");
	const char *star = memchr(s, '*', len);
	if (star == s)
		return fail(p, col,
			    "a word cannot start with *: a leading wildcard would "
			    "have to try every word in the index; give at least "
			    "one letter or digit before it, as in extradit*");
	if (root && len == 0)
		return fail(p, col, "! needs letters or digits before it, as in "
				    "extradit!");
	size_t head = star ? (size_t)(star - s) : len;
	wlist w = {0};
	if (analyze_text(s, head, on_word, &w) != 0) {
		wlist_free(&w);
		return oom(p);
	}
	if (w.n == 0) {
		wlist_free(&w);
		if (root || star)
			return fail(p, col,
				    "%s needs letters or digits before it, as in %s",
				    star ? "*" : "!", star ? "extradit*" : "extradit!");
		return 0;
	}
	unsigned base = exact ? QT_EXACT : 0;
	for (size_t i = 0; i < w.n && !p->rc; i++) {
		const struct wtok *t = &w.v[i];
		const char *text = w.buf + t->text_off;
		unsigned f = base | ((t->flags & TOK_NUMERIC) ? QT_NUMERIC : 0);
		qnode *n;
		if (i + 1 < w.n) {
			n = term_node(p, col, text, t->len, f);
		} else if (star || root) {
			/* The last word carries the wildcard: its folded text,
			 * then the rest of what was written, folded. */
			size_t rl = 0;
			char *rest = analyze_fold(s + t->end, len - t->end, &rl);
			char *pat = rest ? malloc(t->len + rl + 2) : NULL;
			if (!pat) {
				free(rest);
				wlist_free(&w);
				return oom(p);
			}
			memcpy(pat, text, t->len);
			memcpy(pat + t->len, rest, rl);
			size_t pl = t->len + rl;
			if (root && star)
				pat[pl++] = '*';
			free(rest);
			size_t k = 0; /* "a**b" is "a*b" */
			for (size_t i2 = 0; i2 < pl; i2++)
				if (!(pat[i2] == '*' && k && pat[k - 1] == '*'))
					pat[k++] = pat[i2];
			pl = k;
			/* A pattern whose only '*' ends it is a root. */
			const char *first = memchr(pat, '*', pl);
			if (!first) {
				n = term_node(p, col, pat, pl, f | QT_ROOT);
			} else if (first == pat + pl - 1) {
				n = term_node(p, col, pat, pl - 1, f | QT_ROOT);
			} else {
				n = term_node(p, col, pat, pl, f | QT_WILD);
			}
			free(pat);
		} else {
			n = term_node(p, col, text, t->len, f);
		}
		if (n)
			nvec_push(p, out, n);
	}
	wlist_free(&w);
	return p->rc;
}

/* One word as written outside quotes: a term, or a phrase of the words
 * the analyzer split it into; *out NULL when it has no word at all. */
static int word_node(P *p, qnode **out, int col, const char *s, size_t len)
{
	*out = NULL;
	int exact = 0;
	if (len && s[0] == '#') {
		exact = 1;
		s++;
		len--;
	}
	nvec v = {0};
	if (word_terms(p, &v, col, s, len, exact) == 0 && v.n) {
		if (v.n == 1) {
			*out = v.v[0];
		} else {
			qnode *ph = new_node(p, Q_PHRASE, col);
			if (ph && set_kids(p, ph, v.v, v.n) == 0)
				*out = ph;
		}
	}
	free(v.v);
	return p->rc;
}

/* The words between quotes: a phrase of exact words (one word: a term). */
static int phrase_node(P *p, qnode **out, int col, const char *s, size_t len)
{
	*out = NULL;
	nvec v = {0};
	size_t i = 0;
	int seen = 0;
	while (i < len && !p->rc) {
		int32_t c;
		size_t n = char_at(p, (size_t)(s - p->q) + i, &c);
		if (is_space(c)) {
			i += n;
			continue;
		}
		size_t j = i;
		while (j < len) {
			size_t m = char_at(p, (size_t)(s - p->q) + j, &c);
			if (is_space(c))
				break;
			j += m;
		}
		seen = 1;
		size_t wl = j - i;
		const char *w = s + i;
		if (wl && w[0] == '#') { /* already exact */
			w++;
			wl--;
		}
		word_terms(p, &v, col_of(p, (size_t)(w - p->q)), w, wl, 1);
		i = j;
	}
	if (!p->rc && v.n == 0)
		fail(p, col, seen ? "nothing to search for between these quotes: "
				    "no letters or digits"
				  : "empty quotes: put the exact words to find "
				    "between them");
	if (!p->rc) {
		if (v.n == 1) {
			*out = v.v[0];
		} else {
			qnode *ph = new_node(p, Q_PHRASE, col);
			if (ph && set_kids(p, ph, v.v, v.n) == 0)
				*out = ph;
		}
	}
	free(v.v);
	return p->rc;
}

/* A keyword field's value as typed: court:"Audiencia Nacional",
 * court:audiencia* (every value starting with it). */
static int raw_node(P *p, qnode **out, int col, const char *s, size_t len,
		    int quoted)
{
	*out = NULL;
	unsigned f = QT_RAW;
	if (!quoted) {
		const char *star = memchr(s, '*', len);
		if (star == s)
			return fail(p, col,
				    "a field value cannot start with *: give its "
				    "first letters, as in court:audiencia*");
		if (star && star != s + len - 1)
			return fail(p, col,
				    "in a field value, * goes at the end, as in "
				    "court:audiencia*");
		if (star) {
			f |= QT_ROOT;
			len--;
		}
	}
	int32_t c;
	size_t i = 0;
	while (i < len && is_space((char_at(p, (size_t)(s - p->q) + i, &c), c)))
		i++;
	if (i == len)
		return fail(p, col, "empty field value: put the value between the quotes");
	*out = term_node(p, col, s, len, f);
	return p->rc;
}

/* ---------------------------------------------------------------- dates */

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* YYYYMMDD of a date already checked to be in range. */
static void put_key(char k[9], int y, int m, int d)
{
	int v[8] = {y / 1000 % 10, y / 100 % 10, y / 10 % 10, y % 10,
		    m / 10 % 10, m % 10, d / 10 % 10, d % 10};
	for (int i = 0; i < 8; i++)
		k[i] = (char)('0' + v[i]);
	k[8] = '\0';
}

/* One date: YYYY, YYYY-MM or YYYY-MM-DD, to its first and last keys. */
static int parse_one_date(P *p, int col, const char *s, size_t len,
			  char lo[9], char hi[9])
{
	static const char form[] = "write dates as YYYY, YYYY-MM or YYYY-MM-DD";
	int y = 0, m = 0, d = 0;
	size_t i = 0;
	for (; i < len && i < 5 && s[i] >= '0' && s[i] <= '9'; i++)
		y = y * 10 + (s[i] - '0');
	if (i != 4 || y == 0)
		return fail(p, col, "\"%.*s\" is not a date: %s", (int)len, s, form);
	if (i < len) {
		if (len < 7 || s[4] != '-' || s[5] < '0' || s[5] > '9' ||
		    s[6] < '0' || s[6] > '9' || (len != 7 && (len != 10 || s[7] != '-' ||
		    s[8] < '0' || s[8] > '9' || s[9] < '0' || s[9] > '9')))
			return fail(p, col, "\"%.*s\" is not a date: %s", (int)len, s, form);
		m = (s[5] - '0') * 10 + (s[6] - '0');
		if (m < 1 || m > 12)
			return fail(p, col, "\"%.*s\": %02d is not a month; %s",
				    (int)len, s, m, form);
		if (len == 10) {
			d = (s[8] - '0') * 10 + (s[9] - '0');
			if (d < 1 || d > days_in(y, m))
				return fail(p, col, "\"%.*s\": %04d-%02d has no day %02d",
					    (int)len, s, y, m, d);
		}
	}
	put_key(lo, y, m, d);
	put_key(hi, y, m ? m : 12, d ? d : 31);
	return 0;
}

/* Add delta (+1 or -1) to an 8-digit key; "" if it leaves the range. */
static void key_step(char k[9], int delta)
{
	long v = strtol(k, NULL, 10) + delta;
	if (v < 0 || v > 99999999) {
		k[0] = '\0';
		return;
	}
	for (int i = 7; i >= 0; i--, v /= 10)
		k[i] = (char)('0' + v % 10);
	k[8] = '\0';
}

static int date_node(P *p, qnode **out, const char *name, int col,
		     const char *s, size_t len)
{
	*out = NULL;
	char lo[9] = "", hi[9] = "", a[9], b[9];
	const char *dots = NULL;
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == '.' && s[i + 1] == '.') {
			dots = s + i;
			break;
		}
	if (strcmp(name, "date") == 0) {
		if (dots) {
			size_t l1 = (size_t)(dots - s), l2 = len - l1 - 2;
			if (l1 == 0 && l2 == 0)
				return fail(p, col, "date:.. needs a date on at least "
						    "one side, as in date:2019-09..2020-12");
			if (l1 && parse_one_date(p, col, s, l1, lo, a))
				return p->rc;
			if (l2 && parse_one_date(p, col_of(p, (size_t)(dots + 2 - p->q)),
						 dots + 2, l2, b, hi))
				return p->rc;
			if (l1 && l2 && strcmp(lo, hi) > 0)
				return fail(p, col, "the date range %.*s ends before "
						    "it starts", (int)len, s);
		} else if (parse_one_date(p, col, s, len, lo, hi)) {
			return p->rc;
		}
	} else {
		if (dots)
			return fail(p, col, "%s: takes one date, not a range; for a "
					    "range write date:%.*s", name, (int)len, s);
		if (parse_one_date(p, col, s, len, a, b))
			return p->rc;
		if (strcmp(name, "after") == 0) {
			memcpy(lo, b, 9);
			key_step(lo, 1); /* after the whole of the named period */
		} else {
			memcpy(hi, a, 9);
			key_step(hi, -1);
			if (!hi[0]) /* before year 1: nothing */
				memcpy(hi, "00000000", 9);
		}
	}
	qnode *n = new_node(p, Q_DATE, col);
	if (!n)
		return p->rc;
	memcpy(n->lo, lo, 9);
	memcpy(n->hi, hi, 9);
	*out = n;
	return 0;
}

/* ---------------------------------------------------------------- lexer */

static int is_one_of(const char *name, size_t len, const char *const *list,
		     size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(name, list[i], len) == 0)
			return 1;
	return 0;
}

qfield_kind query_field_kind(const char *name, size_t len)
{
	static const char *const dates[] = {"date", "after", "before"};
	static const char *const keywords[] = {"type", "lang", "id"};
	if (len == 5 && memcmp(name, "title", 5) == 0)
		return QF_TEXT;
	if (is_one_of(name, len, dates, 3))
		return QF_DATE;
	if (is_one_of(name, len, keywords, 3))
		return QF_KEYWORD;
	return QF_WORDS;
}

static int is_builtin_field(const char *name, size_t len)
{
	static const char *const f[] = {"title", "court", "type", "lang", "id",
					"cite", "citation", "date", "after",
					"before"};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (strlen(f[i]) == len && memcmp(name, f[i], len) == 0)
			return 1;
	return 0;
}

static tok *push_tok(P *p, ttype type, size_t off, size_t len)
{
	if (p->ntoks == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		tok *t = realloc(p->toks, cap * sizeof *t);
		if (!t) {
			oom(p);
			return NULL;
		}
		p->toks = t;
		p->cap = cap;
	}
	tok *t = &p->toks[p->ntoks++];
	memset(t, 0, sizeof *t);
	t->type = type;
	t->off = off;
	t->len = len;
	t->col = col_of(p, off);
	return t;
}

static int ieq(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);
	if (n != len)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[i])
			return 0;
	}
	return 1;
}

/*
 * A connector at s[0, len): /n w/n +n pre/n /s w/s +s pre/s /p w/p +p
 * pre/p, in any case.  Returns its length (filling t), 0 if s does not
 * start with one, or -1 after an error.
 */
static int lex_connector(P *p, const char *s, size_t len, int col, tok *t)
{
	size_t k = 0; /* where the unit starts */
	int ordered = 0;
	if (len && (s[0] == '/' || s[0] == '+')) {
		k = 1;
		ordered = s[0] == '+';
	} else if (len >= 2 && ieq(s, 2, "w/")) {
		k = 2;
	} else if (len >= 4 && ieq(s, 4, "pre/")) {
		k = 4;
		ordered = 1;
	} else {
		return 0;
	}
	size_t e = k;
	while (e < len && ((s[e] >= '0' && s[e] <= '9') ||
			   (s[e] >= 'a' && s[e] <= 'z') ||
			   (s[e] >= 'A' && s[e] <= 'Z')))
		e++;
	const char *u = s + k;
	size_t ul = e - k;
	int explicit_op = s[0] == '/' || s[0] == '+';
	if (ul == 1 && (u[0] == 's' || u[0] == 'S')) {
		t->unit = QU_SENTENCE;
	} else if (ul == 1 && (u[0] == 'p' || u[0] == 'P')) {
		t->unit = QU_PARAGRAPH;
	} else if (ul && u[0] >= '0' && u[0] <= '9') {
		unsigned long v = 0;
		size_t i = 0;
		for (; i < ul && u[i] >= '0' && u[i] <= '9' && v <= 100000; i++)
			v = v * 10 + (unsigned long)(u[i] - '0');
		if (i != ul)
			return explicit_op ? fail(p, col,
				"unknown connector \"%.*s\": use /n (n a number of "
				"words from 1 to %d), /s, /p, +n, +s or +p",
				(int)e, s, QUERY_MAX_DIST) : 0;
		if (v < 1 || v > QUERY_MAX_DIST)
			return fail(p, col,
				    "the distance in %.*s must be a number of words "
				    "from 1 to %d", (int)e, s, QUERY_MAX_DIST);
		t->unit = QU_WORDS;
		t->dist = (unsigned)v;
	} else if (explicit_op) {
		if (ul == 0 && e == len)
			return fail(p, col,
				    "%c must be followed by a number of words, s or "
				    "p, as in %c5, %cs or %cp",
				    s[0], s[0], s[0], s[0]);
		return fail(p, col,
			    "unknown connector \"%.*s\": use /n (n a number of "
			    "words from 1 to %d), /s, /p, +n, +s or +p",
			    (int)(e ? e : 1), s, QUERY_MAX_DIST);
	} else {
		return 0; /* w/o, pre/trial: words */
	}
	/* What follows must end the connector: "/sth" is not "/s". */
	if (e < len && s[e] != '(')
		return explicit_op ? fail(p, col,
			"unknown connector \"%.*s\": use /n (n a number of words "
			"from 1 to %d), /s, /p, +n, +s or +p",
			(int)len, s, QUERY_MAX_DIST) : 0;
	t->ordered = ordered;
	return (int)e;
}

int query_connector_starts(const char *s, size_t len)
{
	P p;
	tok t;
	memset(&p, 0, sizeof p);
	p.rc = DICTA_EQUERY; /* fail() then reports nothing: only the verdict */
	return lex_connector(&p, s, len, 1, &t) != 0;
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

int query_field_name(const char *s, size_t len)
{
	if (!len || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!is_name_char(s[i]))
			return 0;
	return 1;
}

/* Length of a field name at s directly followed by ':'; 0 if there is
 * none. */
static size_t field_name_len(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && is_name_char(s[i]))
		i++;
	return i < len && s[i] == ':' && query_field_name(s, i) ? i : 0;
}

/* Field context of the lexer: which field's value the tokens belong to. */
typedef struct {
	int open_col[QUERY_MAX_DEPTH + 1]; /* columns of open parentheses */
	int field_at[QUERY_MAX_DEPTH + 1]; /* 1 + field kind of a group, or 0 */
	int depth;
	int value_next;      /* the next token is a field's value */
	qfield_kind vkind;   /* its kind */
	const char *vname;   /* its field name (lower case, in the arena) */
} lexctx;

static int in_field(const lexctx *x)
{
	for (int d = x->depth; d > 0; d--)
		if (x->field_at[d])
			return x->field_at[d];
	return 0;
}

/* The kind and name of the innermost field group (call when in_field). */
static qfield_kind field_kind_of(const lexctx *x)
{
	for (int d = x->depth; d > 0; d--)
		if (x->field_at[d])
			return (qfield_kind)(x->field_at[d] - 1);
	return QF_TEXT;
}

/* The value of a token in a field of this kind (text for no field). */
static int lex_value(P *p, tok *t, const char *s, size_t len, int quoted,
		     qfield_kind kind, const char *name)
{
	if (kind == QF_DATE)
		return date_node(p, &t->node, name, t->col, s, len);
	if (kind == QF_KEYWORD)
		return raw_node(p, &t->node, t->col, s, len, quoted);
	if (quoted)
		return phrase_node(p, &t->node, t->col, s, len);
	return word_node(p, &t->node, t->col, s, len);
}

static int lex(P *p)
{
	lexctx x;
	memset(&x, 0, sizeof x);
	const char *names[QUERY_MAX_DEPTH + 1] = {0};
	size_t i = 0;
	while (i < p->len && !p->rc) {
		int32_t c;
		size_t n = char_at(p, i, &c);
		if (is_space(c)) {
			if (x.value_next)
				return fail(p, col_of(p, i), "expected a field value here");
			i += n;
			continue;
		}
		int value = x.value_next;
		qfield_kind vkind = x.vkind;
		const char *vname = x.vname;
		x.value_next = 0;
		if (c == '(') {
			if (x.depth == QUERY_MAX_DEPTH)
				return fail(p, col_of(p, i),
					    "parentheses and fields nested more than %d "
					    "deep; simplify the query", QUERY_MAX_DEPTH);
			if (value && vkind == QF_DATE)
				return fail(p, col_of(p, i),
					    "%s: takes one date or a range, as in "
					    "date:2019-09..2020-12, not parentheses", vname);
			tok *t = push_tok(p, T_LPAREN, i, 1);
			if (!t)
				return p->rc;
			x.depth++;
			x.open_col[x.depth] = t->col;
			x.field_at[x.depth] = value ? (int)vkind + 1 : 0;
			names[x.depth] = value ? vname : NULL;
			i += n;
			continue;
		}
		if (c == ')') {
			if (x.depth == 0)
				return fail(p, col_of(p, i),
					    "this ) has no matching (: remove it or add "
					    "a ( before it");
			if (!push_tok(p, T_RPAREN, i, 1))
				return p->rc;
			x.depth--;
			i += n;
			continue;
		}
		if (is_quote(c)) {
			size_t j = i + n;
			int32_t d = 0;
			size_t m = 0;
			while (j < p->len) {
				m = char_at(p, j, &d);
				if (is_quote(d))
					break;
				j += m;
			}
			if (j >= p->len)
				return fail(p, col_of(p, i),
					    "this quote is never closed: add a closing \" "
					    "after the phrase");
			int qcol = col_of(p, i); /* before the cache moves on */
			tok *t = push_tok(p, T_PHRASE, i + n, j - i - n);
			if (!t)
				return p->rc;
			t->col = qcol;
			int f = in_field(&x);
			qfield_kind k = value ? vkind : f ? field_kind_of(&x) : QF_TEXT;
			const char *nm = value ? vname : NULL;
			if (!value && f)
				for (int dd = x.depth; dd > 0 && !nm; dd--)
					nm = names[dd];
			if (lex_value(p, t, p->q + i + n, j - i - n, 1, k, nm))
				return p->rc;
			i = j + m;
			continue;
		}
		/* A run of characters up to white space, a quote, or a ')' that
		 * does not close a '(' of the run itself. */
		size_t j = i;
		int depth = 0;
		while (j < p->len) {
			int32_t d;
			size_t m = char_at(p, j, &d);
			if (is_space(d) || is_quote(d))
				break;
			if (d == '(')
				depth++;
			if (d == ')') {
				if (depth == 0)
					break;
				depth--;
			}
			j += m;
		}
		const char *s = p->q + i;
		size_t len = j - i;
		int col = col_of(p, i);
		if (value) {
			tok *t = push_tok(p, T_WORD, i, len);
			if (!t || lex_value(p, t, s, len, 0, vkind, vname))
				return p->rc;
			if (!t->node)
				return fail(p, col, "%s: needs a word to search for, "
						    "with letters or digits", vname);
			i = j;
			continue;
		}
		/* Operators, when the run up to a '(' is one. */
		size_t head = len;
		const char *paren = memchr(s, '(', len);
		if (paren)
			head = (size_t)(paren - s);
		ttype op = T_END;
		size_t oplen = head;
		if (head == 3 && memcmp(s, "AND", 3) == 0)
			op = T_AND;
		else if (head == 2 && memcmp(s, "OR", 2) == 0)
			op = T_OR;
		else if (head == 3 && memcmp(s, "NOT", 3) == 0)
			op = T_NOT;
		else if (head == 1 && s[0] == '&')
			op = T_AND;
		else if (head == 1 && s[0] == '%')
			op = T_NOT;
		if (op == T_AND || (head == 3 && memcmp(s, "BUT", 3) == 0 && head == len)) {
			/* AND NOT and BUT NOT are NOT. */
			size_t k = j;
			while (k < p->len) {
				int32_t d;
				size_t m = char_at(p, k, &d);
				if (!is_space(d))
					break;
				k += m;
			}
			if (head == len && k + 3 <= p->len && memcmp(p->q + k, "NOT", 3) == 0 &&
			    (k + 3 == p->len || p->q[k + 3] == '(' ||
			     is_space((char_at(p, k + 3, &c), c)) || is_quote(c))) {
				tok *t = push_tok(p, T_NOT, i, k + 3 - i);
				if (!t)
					return p->rc;
				i = k + 3;
				continue;
			}
		}
		if (op != T_END) {
			if (!push_tok(p, op, i, oplen))
				return p->rc;
			i += oplen;
			continue;
		}
		tok ct;
		memset(&ct, 0, sizeof ct);
		int cl = lex_connector(p, s, len, col, &ct);
		if (cl < 0 || p->rc)
			return p->rc;
		if (cl > 0) {
			tok *t = push_tok(p, T_PROX, i, (size_t)cl);
			if (!t)
				return p->rc;
			t->dist = ct.dist;
			t->ordered = ct.ordered;
			t->unit = ct.unit;
			i += (size_t)cl;
			continue;
		}
		/* A '-' before a word, quote or '(' excludes it; dashes
		 * standing alone are punctuation. */
		if (s[0] == '-') {
			size_t k = 0;
			while (k < len && s[k] == '-')
				k++;
			if (k == len) {
				i = j;
				continue;
			}
			if (k == 1) {
				if (!push_tok(p, T_MINUS, i, 1))
					return p->rc;
				i++;
				continue;
			}
			i += k; /* "--word": the dashes are punctuation */
			continue;
		}
		size_t fl = field_name_len(s, len);
		char name[64];
		if (fl && fl < sizeof name) {
			for (size_t k = 0; k < fl; k++)
				name[k] = (char)((s[k] >= 'A' && s[k] <= 'Z') ? s[k] + 32 : s[k]);
			name[fl] = '\0';
			size_t after = i + fl + 1;
			int32_t d = ' ';
			if (after < p->len)
				char_at(p, after, &d);
			int has_value = after < p->len && !is_space(d) && d != ')';
			if (!has_value && is_builtin_field(name, fl))
				return fail(p, col,
					    "%s: needs a value right after the colon, "
					    "as in %s", name,
					    query_field_kind(name, fl) == QF_DATE
						    ? "date:2019"
						    : query_field_kind(name, fl) == QF_TEXT
							      ? "title:extradition"
							      : query_field_kind(name, fl) == QF_WORDS
									? "court:\"audiencia nacional\""
									: "type:order");
			if (has_value) {
				if (in_field(&x))
					return fail(p, col, "%s: cannot be inside another "
							    "field's value", name);
				tok *t = push_tok(p, T_FIELD, i, fl);
				if (!t)
					return p->rc;
				const char *nm = arena_str(p, name, fl);
				if (!nm)
					return p->rc;
				t->fkind = query_field_kind(name, fl);
				x.value_next = 1;
				x.vkind = t->fkind;
				x.vname = nm;
				i = after;
				continue;
			}
		}
		tok *t = push_tok(p, T_WORD, i, len);
		if (!t)
			return p->rc;
		int f = in_field(&x);
		if (f) {
			const char *nm = NULL;
			for (int dd = x.depth; dd > 0 && !nm; dd--)
				nm = names[dd];
			if (lex_value(p, t, s, len, 0, field_kind_of(&x), nm))
				return p->rc;
		} else if (word_node(p, &t->node, t->col, s, len)) {
			return p->rc;
		}
		if (!t->node)
			p->ntoks--; /* no letters or digits: punctuation */
		i = j;
	}
	if (p->rc)
		return p->rc;
	if (x.value_next)
		return fail(p, col_of(p, p->len), "expected a field value here");
	if (x.depth > 0)
		return fail(p, x.open_col[x.depth],
			    "this ( is never closed: add a ) after what it groups");
	if (!push_tok(p, T_END, p->len, 0))
		return p->rc;
	return 0;
}

/* --------------------------------------------------------------- parser */

static const tok *peek(const P *p)
{
	return &p->toks[p->i];
}

static int starts_operand(const tok *t)
{
	return t->type == T_WORD || t->type == T_PHRASE || t->type == T_LPAREN ||
	       t->type == T_MINUS || t->type == T_FIELD;
}

static const char *tok_name(const P *p, const tok *t, char *buf, size_t n)
{
	switch (t->type) {
	case T_AND: return t->len == 1 ? "&" : "AND";
	case T_OR: return "OR";
	case T_NOT:
		snprintf(buf, n, "%.*s", (int)(t->len < 20 ? t->len : 20), p->q + t->off);
		for (char *c = buf; *c; c++)
			if (is_space((unsigned char)*c))
				*c = ' ';
		if (strncmp(buf, "BUT", 3) == 0)
			return "BUT NOT";
		if (strncmp(buf, "AND", 3) == 0)
			return "AND NOT";
		return buf;
	default:
		snprintf(buf, n, "%.*s", (int)(t->len < 20 ? t->len : 20), p->q + t->off);
		return buf;
	}
}

static int needs_both(P *p, const tok *t)
{
	char b[32];
	return fail(p, t->col, "%s needs a word on both sides", tok_name(p, t, b, sizeof b));
}

static qnode *parse_expr(P *p);

static qnode *parse_primary(P *p)
{
	const tok *t = peek(p);
	switch (t->type) {
	case T_WORD:
	case T_PHRASE:
		if (t->type == T_PHRASE && !p->field_depth)
			p->syntax = 1;
		p->i++;
		return t->node;
	case T_LPAREN: {
		if (!p->field_depth)
			p->syntax = 1;
		int col = t->col;
		p->i++;
		if (peek(p)->type == T_RPAREN) {
			fail(p, col, "empty parentheses: put words between them or "
				     "remove them");
			return NULL;
		}
		qnode *e = parse_expr(p);
		if (!e)
			return NULL;
		if (peek(p)->type != T_RPAREN) {
			fail(p, peek(p)->col, "expected ) to close the ( at column %d", col);
			return NULL;
		}
		p->i++;
		return e;
	}
	case T_AND:
	case T_OR:
	case T_NOT:
	case T_PROX:
		needs_both(p, t);
		return NULL;
	case T_RPAREN:
	case T_END:
	default:
		/* Operators check for their right operand before coming here;
		 * a '-' or a field is followed by something by construction. */
		fail(p, t->col, "expected a word here");
		return NULL;
	}
}

static qnode *parse_unary(P *p)
{
	const tok *t = peek(p);
	if (t->type == T_MINUS) {
		int col = t->col;
		p->i++;
		if (!starts_operand(peek(p))) {
			fail(p, col, "- needs a word, phrase or group right after "
				     "it, as in -mexico, to exclude");
			return NULL;
		}
		qnode *k = parse_unary(p);
		return k ? node2(p, Q_NEG, col, k, NULL) : NULL;
	}
	if (t->type == T_FIELD) {
		int col = t->col;
		const char *name = NULL;
		size_t nl = t->len;
		qfield_kind kind = t->fkind;
		char *nm = arena_alloc(p->a, nl + 1);
		if (!nm) {
			oom(p);
			return NULL;
		}
		for (size_t k = 0; k < nl; k++) {
			char c = p->q[t->off + k];
			nm[k] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
		}
		nm[nl] = '\0';
		name = nm;
		p->i++;
		p->field_depth++;
		qnode *v = parse_primary(p);
		p->field_depth--;
		if (!v)
			return NULL;
		if (kind == QF_DATE)
			return v; /* the lexer made the Q_DATE node */
		qnode *f = node2(p, Q_FIELD, col, v, NULL);
		if (f) {
			f->text = name;
			f->len = nl;
		}
		return f;
	}
	return parse_primary(p);
}

static qnode *parse_or(P *p)
{
	qnode *first = parse_unary(p);
	if (!first || peek(p)->type != T_OR)
		return first;
	nvec v = {0};
	int col = peek(p)->col;
	nvec_push(p, &v, first);
	while (!p->rc && peek(p)->type == T_OR) {
		const tok *op = peek(p);
		if (!p->field_depth)
			p->syntax = 1;
		p->i++;
		if (!starts_operand(peek(p))) {
			needs_both(p, op);
			break;
		}
		qnode *k = parse_unary(p);
		if (!k)
			break;
		nvec_push(p, &v, k);
	}
	qnode *n = NULL;
	if (!p->rc && (n = new_node(p, Q_OR, col)) != NULL)
		set_kids(p, n, v.v, v.n);
	free(v.v);
	return p->rc ? NULL : n;
}

/* Connector levels, tightest first: words (1), sentence (2), paragraph (3). */
static int level_of(const tok *t)
{
	return t->unit == QU_WORDS ? 1 : t->unit == QU_SENTENCE ? 2 : 3;
}

static qnode *parse_prox(P *p, int level)
{
	qnode *left = level == 1 ? parse_or(p) : parse_prox(p, level - 1);
	while (left && peek(p)->type == T_PROX && level_of(peek(p)) == level) {
		const tok *op = peek(p);
		if (!p->field_depth)
			p->syntax = 1;
		if (++p->connectors > QUERY_MAX_CONNECTORS) {
			fail(p, op->col, "more than %d connectors in one query; "
					 "simplify it", QUERY_MAX_CONNECTORS);
			return NULL;
		}
		p->i++;
		if (!starts_operand(peek(p))) {
			needs_both(p, op);
			return NULL;
		}
		qnode *right = level == 1 ? parse_or(p) : parse_prox(p, level - 1);
		if (!right)
			return NULL;
		qnode *n = node2(p, Q_PROX, op->col, left, right);
		if (!n)
			return NULL;
		n->dist = op->dist;
		n->ordered = op->ordered;
		n->unit = op->unit;
		left = n;
	}
	return left;
}

static qnode *parse_and(P *p)
{
	qnode *first = parse_prox(p, 3);
	if (!first)
		return NULL;
	const tok *t = peek(p);
	if (t->type != T_AND && !starts_operand(t))
		return first;
	nvec v = {0};
	int col = first->col;
	nvec_push(p, &v, first);
	for (;;) {
		t = peek(p);
		if (t->type == T_AND) {
			if (!p->field_depth)
				p->syntax = 1;
			p->i++;
			if (!starts_operand(peek(p))) {
				needs_both(p, t);
				break;
			}
		} else if (!starts_operand(t)) {
			break;
		}
		qnode *k = parse_prox(p, 3);
		if (!k)
			break;
		nvec_push(p, &v, k);
	}
	qnode *n = NULL;
	if (!p->rc && (n = new_node(p, Q_AND, col)) != NULL)
		set_kids(p, n, v.v, v.n);
	free(v.v);
	return p->rc ? NULL : n;
}

static qnode *parse_expr(P *p)
{
	if (++p->depth > QUERY_MAX_DEPTH + 1) {
		fail(p, peek(p)->col, "parentheses and fields nested more than %d "
				      "deep; simplify the query", QUERY_MAX_DEPTH);
		return NULL;
	}
	qnode *left = parse_and(p);
	if (!left || peek(p)->type != T_NOT) {
		p->depth--;
		return left;
	}
	/* a NOT b NOT c is one node, a without b and without c: a chain of
	 * NOTs must not make the tree as deep as it is long. */
	nvec v = {0};
	int col = peek(p)->col;
	nvec_push(p, &v, left);
	while (!p->rc && peek(p)->type == T_NOT) {
		const tok *op = peek(p);
		if (!p->field_depth)
			p->syntax = 1;
		p->i++;
		if (!starts_operand(peek(p))) {
			needs_both(p, op);
			break;
		}
		qnode *right = parse_and(p);
		if (right)
			nvec_push(p, &v, right);
	}
	qnode *n = NULL;
	if (!p->rc && (n = new_node(p, Q_NOT, col)) != NULL)
		set_kids(p, n, v.v, v.n);
	free(v.v);
	p->depth--;
	return p->rc ? NULL : n;
}

/* ------------------------------------------------------------ checking */

static const char *conn_name(const qnode *n, char *buf, size_t sz)
{
	if (n->unit == QU_WORDS)
		snprintf(buf, sz, "%c%u", n->ordered ? '+' : '/', n->dist);
	else
		snprintf(buf, sz, "%c%c", n->ordered ? '+' : '/',
			 n->unit == QU_SENTENCE ? 's' : 'p');
	return buf;
}

/* Can n be an operand of a connector?  Words, phrases, OR-groups of them
 * and other connectors can; returns the offending node otherwise. */
static const qnode *not_positional(const qnode *n)
{
	switch (n->kind) {
	case Q_TERM:
	case Q_PHRASE:
		return NULL;
	case Q_PROX:
		return NULL; /* its own operands were checked */
	case Q_OR:
		for (size_t i = 0; i < n->nkids; i++) {
			const qnode *b = not_positional(n->kids[i]);
			if (b)
				return b;
		}
		return NULL;
	default:
		return n;
	}
}

static int has_prox(const qnode *n)
{
	if (n->kind == Q_PROX)
		return 1;
	for (size_t i = 0; i < n->nkids; i++)
		if (has_prox(n->kids[i]))
			return 1;
	return 0;
}

/*
 * Check the tree: exclusions only where there is something to exclude
 * from, connectors only over words.  ctx says where n sits: 0 anywhere,
 * 1 a conjunct of AND (where -x may be).
 */
static int check(P *p, const qnode *n, int conjunct)
{
	char b[16];
	switch (n->kind) {
	case Q_NEG:
		if (!conjunct)
			return fail(p, n->col,
				    "-%s can only exclude from words joined by AND "
				    "or a space, not inside OR or a connector; use "
				    "NOT: (a OR b) NOT c",
				    n->kids[0]->kind == Q_TERM ? n->kids[0]->text : "(...)");
		if (n->kids[0]->kind == Q_NEG)
			return fail(p, n->col, "two exclusions in a row: write -word once");
		return check(p, n->kids[0], 0);
	case Q_AND: {
		int pos = 0;
		for (size_t i = 0; i < n->nkids; i++) {
			if (n->kids[i]->kind != Q_NEG)
				pos = 1;
			if (check(p, n->kids[i], 1))
				return p->rc;
		}
		if (!pos)
			return fail(p, n->kids[0]->col,
				    "nothing to search for: -word only excludes; add "
				    "a word to search for");
		return 0;
	}
	case Q_PROX:
		for (size_t i = 0; i < 2; i++) {
			const qnode *bad = not_positional(n->kids[i]);
			if (!bad)
				continue;
			conn_name(n, b, sizeof b);
			switch (bad->kind) {
			case Q_AND:
				return fail(p, n->col,
					    "%s joins words, phrases and OR-groups, not "
					    "an AND: write (a %s c) AND (b %s c)", b, b, b);
			case Q_NOT:
			case Q_NEG:
				return fail(p, n->col,
					    "%s cannot join an exclusion: exclude outside "
					    "it, as in (a %s b) NOT c", b, b);
			default:
				return fail(p, n->col,
					    "%s cannot join a field or date restriction: "
					    "put it outside, as in (a %s b) AND "
					    "title:extradition", b, b);
			}
		}
		for (size_t i = 0; i < 2; i++)
			if (check(p, n->kids[i], 0))
				return p->rc;
		return 0;
	case Q_NOT:
		for (size_t i = 0; i < n->nkids; i++)
			if (n->kids[i]->kind == Q_NEG)
				return fail(p, n->col, "NOT needs a word on both sides, "
						       "not an exclusion (-word)");
		for (size_t i = 0; i < n->nkids; i++)
			if (check(p, n->kids[i], 1))
				return p->rc;
		return 0;
	case Q_RANK:
		for (size_t i = 0; i < n->nkids; i++)
			if (check(p, n->kids[i], 1))
				return p->rc;
		return 0;
	case Q_FIELD:
		if (has_prox(n->kids[0]))
			return fail(p, n->col, "connectors cannot be used inside a "
					       "field's value; %s: takes words joined "
					       "by AND, OR and NOT", n->text);
		if (n->kids[0]->kind == Q_NEG)
			return fail(p, n->kids[0]->col,
				    "an exclusion cannot be a field's whole value: "
				    "write -%s:value", n->text);
		return check(p, n->kids[0], 0);
	default:
		for (size_t i = 0; i < n->nkids; i++)
			if (check(p, n->kids[i], 0))
				return p->rc;
		return 0;
	}
}

/* A query without syntax: its items become the children of a Q_RANK,
 * words split by the analyzer becoming separate words again. */
static qnode *make_rank(P *p, qnode *root)
{
	nvec v = {0};
	qnode *const *items = root->kind == Q_AND ? root->kids : &root;
	size_t n = root->kind == Q_AND ? root->nkids : 1;
	int positive = 0, first_neg = 0;
	for (size_t i = 0; i < n && !p->rc; i++) {
		qnode *it = items[i];
		if (it->kind == Q_PHRASE) {
			for (size_t k = 0; k < it->nkids; k++)
				nvec_push(p, &v, it->kids[k]);
		} else {
			nvec_push(p, &v, it);
		}
		if (it->kind == Q_NEG) {
			if (!first_neg)
				first_neg = it->col;
		} else {
			positive = 1;
		}
	}
	qnode *r = NULL;
	if (!p->rc && !positive)
		fail(p, first_neg, "nothing to search for: -word only excludes; add "
				   "a word to search for");
	if (!p->rc && (r = new_node(p, Q_RANK, items[0]->col)) != NULL)
		set_kids(p, r, v.v, v.n);
	free(v.v);
	return p->rc ? NULL : r;
}

int query_parse(qast **out, const char *q, size_t len)
{
	*out = NULL;
	if (!q)
		return error_set_query(0, "no query given");
	if (len > QUERY_MAX_BYTES)
		return error_set_query(0, "the query is %zu bytes long; the limit is "
					  "%d bytes", len, QUERY_MAX_BYTES);
	P p;
	memset(&p, 0, sizeof p);
	p.q = q;
	p.len = len;
	if (!(p.a = calloc(1, sizeof *p.a)))
		return error_set(DICTA_ENOMEM, "out of memory");
	if (validate_text(&p) == 0 && lex(&p) == 0) {
		if (peek(&p)->type == T_END) {
			fail(&p, 1, "empty query: give at least one word to search for");
		} else {
			qnode *root = parse_expr(&p);
			if (root && peek(&p)->type != T_END)
				fail(&p, peek(&p)->col, "unexpected text here");
			if (root && !p.rc) {
				if (!p.syntax) {
					root = make_rank(&p, root);
					p.a->natural = 1;
					if (root && check(&p, root, 1) == 0)
						p.a->root = root;
				} else if (check(&p, root, 1) == 0) {
					if (root->kind == Q_NEG)
						fail(&p, root->col,
						     "nothing to search for: -word only "
						     "excludes; add a word to search for");
					else
						p.a->root = root;
				}
			}
		}
	}
	free(p.toks);
	if (p.rc || !p.a->root) {
		int rc = p.rc ? p.rc : error_set_query(1, "empty query");
		qast_free(p.a);
		return rc;
	}
	*out = p.a;
	return 0;
}

/* ------------------------------------------------------------- printing */

static void puts_(sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void print_node(sbuf *b, const qnode *n)
{
	char tmp[32];
	const char *op = NULL;
	switch (n->kind) {
	case Q_TERM:
		if (n->flags & QT_RAW) {
			puts_(b, "\"");
			sb_add(b, n->text, n->len);
			puts_(b, (n->flags & QT_ROOT) ? "\"*" : "\"");
			return;
		}
		if ((n->flags & QT_EXACT) && !(n->flags & (QT_ROOT | QT_WILD | QT_NUMERIC)))
			puts_(b, "#");
		sb_add(b, n->text, n->len);
		if (n->flags & QT_ROOT)
			puts_(b, "!");
		return;
	case Q_DATE:
		snprintf(tmp, sizeof tmp, "(date %s %s)", n->lo[0] ? n->lo : "-",
			 n->hi[0] ? n->hi : "-");
		puts_(b, tmp);
		return;
	case Q_PHRASE: op = "phrase"; break;
	case Q_AND: op = "and"; break;
	case Q_OR: op = "or"; break;
	case Q_NOT: op = "not"; break;
	case Q_NEG: op = "-"; break;
	case Q_RANK: op = "rank"; break;
	case Q_FIELD: op = n->text; break;
	case Q_PROX: op = conn_name(n, tmp, sizeof tmp); break;
	}
	puts_(b, "(");
	puts_(b, op);
	for (size_t i = 0; i < n->nkids; i++) {
		puts_(b, " ");
		print_node(b, n->kids[i]);
	}
	puts_(b, ")");
}

char *qast_print(const qast *a)
{
	sbuf b = {0};
	if (a && a->root)
		print_node(&b, a->root);
	else
		puts_(&b, "");
	if (b.failed) {
		free(b.s);
		error_set(DICTA_ENOMEM, "out of memory");
		return NULL;
	}
	return b.s;
}
