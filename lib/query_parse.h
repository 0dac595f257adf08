/*
 * query_parse.h — the legal query language as a syntax tree.  query.c
 * compiles the tree against an index; the parser itself knows nothing of
 * any index, so it is tested and fuzzed on its own.
 *
 * The language is written out for users in docs/query-language.md.  In
 * short, from the loosest binding to the tightest:
 *
 *     a NOT b, a BUT NOT b, a % b, a AND NOT b   a without b
 *     a AND b, a & b, a b (a space, when the query uses any syntax)
 *     a /p b, a +p b          same paragraph (+: a first)
 *     a /s b, a +s b          same sentence
 *     a /n b, a w/n b, a +n b, a pre/n b      within n words (1-255)
 *     a OR b
 *     -a  #a  field:a  a!  a*b  "a b"  (a)
 *
 * A query with no operator, connector, quote or parenthesis (outside a
 * field's value) is a natural-language query: its words are ranked, not
 * required, and its fields, dates and -exclusions restrict it (Q_RANK).
 *
 * Words are analyzed here with the one analyzer (analyze.h), so a term
 * node holds the folded word as the index has it ("Zerón" -> "zeron"); a
 * word the analyzer splits ("extradition-related") becomes a phrase of its
 * parts.  Stemming needs the index's languages and is done by query.c.
 */
#ifndef DICTA_QUERY_PARSE_H
#define DICTA_QUERY_PARSE_H

#include <stddef.h>

typedef enum {
	Q_TERM,   /* one word, or a field's raw value (QT_RAW) */
	Q_PHRASE, /* kids in order, adjacent */
	Q_AND,    /* all kids; a Q_NEG kid excludes */
	Q_OR,     /* any kid */
	Q_NOT,    /* kids[0] without any of kids[1..] */
	Q_NEG,    /* -kids[0]: an exclusion, only inside Q_AND or Q_RANK */
	Q_PROX,   /* kids[0] and kids[1] near each other (dist, ordered, unit) */
	Q_FIELD,  /* field restriction: name, kids[0] the value */
	Q_DATE,   /* document date within [lo, hi] */
	Q_RANK    /* natural language: words ranked, fields/dates/-x filter */
} qkind;

/* Term flags. */
#define QT_EXACT 1u   /* no stemming: quoted or #word */
#define QT_ROOT 2u    /* word!: every indexed word starting with text */
#define QT_WILD 4u    /* text is a pattern: '*' stands for any characters */
#define QT_NUMERIC 8u /* a number or identifier: matched as written */
#define QT_RAW 16u    /* a keyword field's value as typed (not folded) */

typedef enum { QU_WORDS, QU_SENTENCE, QU_PARAGRAPH } qunit;

/* Field kinds. */
typedef enum {
	QF_TEXT,    /* title: words, stemmed */
	QF_WORDS,   /* court:, cite:, metadata fields: words, as written */
	QF_KEYWORD, /* type:, lang:, id: the whole value (QT_RAW) */
	QF_DATE     /* date:, after:, before: */
} qfield_kind;

typedef struct qnode qnode;
struct qnode {
	qkind kind;
	int col;          /* 1-based column (in characters) of its token */
	unsigned flags;   /* Q_TERM: QT_* */
	const char *text; /* Q_TERM: the folded word, pattern or raw value;
			   * Q_FIELD: the field name, lower case */
	size_t len;       /* length of text in bytes */
	unsigned dist;    /* Q_PROX with QU_WORDS: at most this many words apart */
	int ordered;      /* Q_PROX: kids[0] must come first */
	qunit unit;       /* Q_PROX */
	char lo[9], hi[9]; /* Q_DATE: YYYYMMDD bounds, inclusive; "" = open */
	qnode **kids;
	size_t nkids;
	int id;           /* for query.c: a number unique in the tree */
};

typedef struct qast qast;

/* Limits: beyond them a query is refused with a message saying so. */
#define QUERY_MAX_BYTES 65536 /* a long fact description fits easily */
#define QUERY_MAX_DEPTH 32    /* parentheses and fields nested */
#define QUERY_MAX_CONNECTORS 64
#define QUERY_MAX_WORDS 4096
#define QUERY_MAX_DIST 255
/* What bounds the depth of a tree, and so the recursion of everything that
 * walks one: at most six nodes (NOT, AND, OR, -, a field, its value's
 * group) per level of nesting, plus one per connector, plus a phrase and
 * its word.  Chains of AND, OR and NOT are flat n-ary nodes. */
#define QUERY_MAX_TREE_DEPTH \
	((QUERY_MAX_DEPTH + 1) * 6 + QUERY_MAX_CONNECTORS + 2)

/*
 * Parse q[0, len) into *out (freed with qast_free).  On a syntax error
 * returns DICTA_EQUERY with the message and the 1-based column set
 * (dicta_error_last(), dicta_error_column()), and *out is NULL; on
 * allocation failure DICTA_ENOMEM.  Never reads outside q[0, len); a NUL
 * byte inside is refused like any control character.
 */
int query_parse(qast **out, const char *q, size_t len);
void qast_free(qast *a);

/* The root, and the number of nodes (node ids run from 0 to n - 1). */
const qnode *qast_root(const qast *a);
size_t qast_count(const qast *a);
/* Non-zero for a natural-language query (the root is Q_RANK). */
int qast_natural(const qast *a);

/* The kind of a field name (lower case). */
qfield_kind query_field_kind(const char *name, size_t len);

/* Non-zero if s[0, len) can name a field in a query: an ASCII letter, then
 * ASCII letters, digits, '_' and '-'.  The indexer keeps metadata fields
 * under such names only; batch text escaping keeps "name:" from reading as
 * one. */
int query_field_name(const char *s, size_t len);

/* Non-zero if s[0, len) starts with what the parser reads as a connector
 * (w/5, pre/s, /p, +3) or refuses as a malformed one (w/0, /x): batch
 * text escaping breaks those, and leaves words such as w/o and pre/trial. */
int query_connector_starts(const char *s, size_t len);

/*
 * The tree as an S-expression, for tests and debugging: words as the index
 * has them with their marks (#exact, root!, pat*tern, "raw value"), and
 * (and ..), (or ..), (not a b c), (- a), (phrase ..), (/3 a b), (+s a b),
 * (title ..), (date 20190000 20191231), (rank ..).  Malloc'd; NULL on
 * ENOMEM.
 */
char *qast_print(const qast *a);

#endif
