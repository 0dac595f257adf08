/*
 * analyze.c — the analyzer of analyze.h: UTF-8 text to folded tokens with
 * byte offsets, word positions and sentence/paragraph ordinals.  The indexer,
 * the query parser, passage cutting (passage.c) and highlighting all call
 * analyze_text(), so they agree on what a word is.
 *
 * The rules, in the order the scanner applies them:
 *
 *   Characters.  A word character is a letter (L*) or a number (N*); a
 *   combining mark (M*) continues a word but never starts one.  Everything
 *   else separates words, and so does every ill-formed UTF-8 sequence (the
 *   decoder follows Unicode's table of well-formed byte sequences, so
 *   overlong forms, surrogates and truncated sequences are all ill-formed).
 *
 *   Segments.  A segment is a run of word characters.  Inside it:
 *     - an apostrophe (' or U+2019) followed by "s" and then a non-word
 *       character is a possessive and is dropped: "court's" -> "court",
 *       "Court’s" -> "court", "1990's" -> "1990";
 *     - any other apostrophe between two letters is dropped and the word
 *       goes on: "O'Neill" -> "oneill", "don't" -> "dont" (and French
 *       "l'acte" -> "lacte": we favour names over elisions);
 *     - a soft hyphen (U+00AD) between two word characters is dropped, so
 *       words hyphenated by a PDF converter come back whole.
 *
 *   Compounds.  Segments joined by single '-', '.', '/' or ':' characters,
 *   each followed directly by a word character, form a compound.
 *     - If any segment holds a decimal digit (Nd), the whole compound is one
 *       token, joiners kept, flagged TOK_NUMERIC: "23-1732", "1-207.39",
 *       "1:22-cr-00417", "12.5", "F.2d".  A '.' not followed by a word
 *       character is not a joiner, so "3184." gives "3184"; nor is a '.'
 *       between a digit and a letter, a missing space far more often than
 *       not ("in 1951.The court" -> "1951", "the", "court").
 *     - Otherwise each segment is a token ("extradition-related" ->
 *       "extradition", "related"), except that two or more one-letter
 *       segments joined by '.' are one token without the dots: "U.S.C." ->
 *       "usc", "e.g." -> "eg", "U.S.-Mexico" -> "us", "mexico".
 *   Parts.  The segments of a kept compound are not tokens of the text,
 *     but analyze_parts() gives them to the indexer, which indexes each
 *     at the compound's position besides the compound itself: "IL-6" is
 *     found by "il-6", "il" and "6", and "23-1732" by "1732".  Positions
 *     and word counts are the compound's alone.
 *   A token's [start, end) covers what it was made from as written, so
 *   "U.S.C." has the raw text "U.S.C" and "court's" the raw text "court".
 *
 *   Folding.  Unicode case folding, then canonical composition with every
 *   combining mark removed (utf8proc CASEFOLD | STRIPMARK | COMPOSE |
 *   STABLE; utf8proc rejects DECOMPOSE together with COMPOSE).  A token of
 *   ASCII only is folded by lowering its bytes, which gives the same result.
 *
 *   Sentences.  A sentence ends at '.', '!', '?', U+2026 or U+3002, possibly
 *   followed by closing quotes or brackets, then whitespace, then either a
 *   word that does not start with a lower-case letter (upper case, digits,
 *   uncased scripts) or an opening quote or bracket (including ¿ and ¡).
 *   A '.' right after a token listed in abbrevs[] below, or after a single
 *   upper-case letter (an initial), ends nothing: "Smith v. Jones",
 *   "No. 5", "J. Smith".  The price: "in the U.S. The court" is one sentence.
 *
 *   Paragraphs.  A blank line ("\n", then only spaces, tabs, '\r' and other
 *   horizontal white space, then "\n") or U+2029 ends the paragraph and the
 *   sentence.  A single newline is plain white space.
 *
 * Ordinals move at most once between two tokens, and never before the
 * first, so the first token is in sentence 0 of paragraph 0.
 *
 * Speed: the scanner works on bytes with a table for ASCII and decodes only
 * non-ASCII characters; tokens are built in a buffer reused across the call,
 * so there is no allocation per token (utf8proc is used only for tokens with
 * non-ASCII characters, and with caller-owned buffers).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "analyze.h"
#include "error.h"

#define FOLD_OPTIONS                                                      \
	((utf8proc_option_t)(UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |     \
			     UTF8PROC_COMPOSE | UTF8PROC_STABLE))

/* ------------------------------------------------------------ decoding */

/*
 * Decode the code point at s[0, n), n >= 1.  Returns its length (1 to 4)
 * and sets *cp, or, for an ill-formed sequence, minus the length of its
 * maximal subpart (Unicode 15, §3.9), which is what one U+FFFD replaces.
 */
static int utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	int need;
	int32_t v;

	if (c < 0x80) {
		*cp = (int32_t)c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0; /* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F; /* nothing above U+10FFFF */
	} else {
		return -1;
	}
	for (int i = 1; i <= need; i++) {
		unsigned b;
		if ((size_t)i >= n)
			return -i;
		b = s[i];
		if (b < lo || b > hi)
			return -i;
		lo = 0x80;
		hi = 0xBF;
		v = (v << 6) | (int32_t)(b & 0x3F);
	}
	*cp = v;
	return need + 1;
}

/* ------------------------------------------------------------- classes */

enum {
	C_WORD = 1u << 0,   /* L* or N*: starts or continues a word */
	C_LETTER = 1u << 1, /* L* */
	C_DIGIT = 1u << 2,  /* Nd */
	C_LOWER = 1u << 3,  /* Ll */
	C_UPPER = 1u << 4,  /* Lu, Lt */
	C_MARK = 1u << 5,   /* M*: continues a word */
	C_SPACE = 1u << 6,  /* white space */
	C_NL = 1u << 7,     /* a line break (counts towards a blank line) */
	C_PARA = 1u << 8,   /* a paragraph break by itself (U+2029) */
	C_TERM = 1u << 9,   /* ends a sentence */
	C_OPEN = 1u << 10,  /* opening quote or bracket, ¿ ¡ */
	C_CLOSE = 1u << 11, /* closing quote or bracket */
	C_APOS = 1u << 12,  /* apostrophe */
	C_SOFT = 1u << 13   /* soft hyphen */
};

#define L_ (C_WORD | C_LETTER | C_LOWER)
#define U_ (C_WORD | C_LETTER | C_UPPER)
#define D_ (C_WORD | C_DIGIT)
#define S_ C_SPACE

static const uint16_t ascii_class[128] = {
	['\t'] = S_, ['\n'] = S_ | C_NL, ['\v'] = S_, ['\f'] = S_, ['\r'] = S_,
	[' '] = S_,
	['!'] = C_TERM, ['.'] = C_TERM, ['?'] = C_TERM,
	['"'] = C_OPEN | C_CLOSE, ['\''] = C_OPEN | C_CLOSE | C_APOS,
	['('] = C_OPEN, ['['] = C_OPEN, ['{'] = C_OPEN,
	[')'] = C_CLOSE, [']'] = C_CLOSE, ['}'] = C_CLOSE,
	['0'] = D_, D_, D_, D_, D_, D_, D_, D_, D_, D_,
	['A'] = U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_,
	U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_,
	['a'] = L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
	L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
};

#undef L_
#undef U_
#undef D_
#undef S_

static unsigned char_class(int32_t cp)
{
	if (cp < 0x80)
		return ascii_class[cp];
	switch (cp) {
	case 0x85:   /* NEL */
	case 0x2028: /* LINE SEPARATOR */
		return C_SPACE | C_NL;
	case 0x2029: /* PARAGRAPH SEPARATOR */
		return C_SPACE | C_PARA;
	case 0xAD:
		return C_SOFT;
	case 0x2019: /* ’ is both a closing quote and the apostrophe */
		return C_CLOSE | C_APOS;
	case 0xA1: /* ¡ */
	case 0xBF: /* ¿ */
		return C_OPEN;
	case 0x2026: /* … */
	case 0x3002: /* 。 */
		return C_TERM;
	}
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LT:
		return C_WORD | C_LETTER | C_UPPER;
	case UTF8PROC_CATEGORY_LL:
		return C_WORD | C_LETTER | C_LOWER;
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return C_WORD | C_LETTER;
	case UTF8PROC_CATEGORY_ND:
		return C_WORD | C_DIGIT;
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return C_WORD;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return C_MARK;
	case UTF8PROC_CATEGORY_ZS:
		return C_SPACE;
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PI:
		return C_OPEN;
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PF:
		return C_CLOSE;
	default:
		return 0;
	}
}

/* The class of the character at s[i] (i < n), and its length in *clen;
 * an ill-formed sequence has class 0 and the length of its maximal subpart. */
static unsigned class_at(const unsigned char *s, size_t n, size_t i,
			 int32_t *cp, int *clen)
{
	int k;

	if (s[i] < 0x80) {
		*cp = s[i];
		*clen = 1;
		return ascii_class[s[i]];
	}
	k = utf8_decode(s + i, n - i, cp);
	if (k < 0) {
		*cp = -1;
		*clen = -k;
		return 0;
	}
	*clen = k;
	return char_class(*cp);
}

/* ------------------------------------------------------- abbreviations */

/*
 * Tokens, as written and without their final '.', after which a '.' does
 * not end a sentence.  Matched case-sensitively: "No. 5" goes on, "the
 * answer is no. The" ends.  Single upper-case letters (initials) are
 * handled in code, not listed here.
 */
static const char *const abbrevs[] = {
	/* case and statute citations */
	"No", "Nos", "v", "vs", "Vs", "U.S", "U.S.C", "Cir", "F.2d", "F.3d",
	"F.4th", "Supp", "Cal", "Ct", "App", "Stat", "Fed", "Art", "art",
	"Arts", "arts", "Sec", "sec", "para", "pp", "p", "cf", "Cf", "al",
	"ch", "cl", "n", "s", "ss", "r", "vol", "Vol",
	/* names and firms */
	"Inc", "Corp", "Co", "Ltd", "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr",
	"Hon", "Prof", "Sra", "Sres", "Dra", "Dña", "Dn", "Mohd", "Md",
	/* Latin and Spanish */
	"e.g", "i.e", "núm", "Núm", "pág", "págs",
	/* months, as in "Jan. 5, 2024" */
	"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
	"Nov", "Dec",
};

static int is_abbrev(const unsigned char *w, size_t n)
{
	int32_t cp;
	int k;

	if (n == 0)
		return 0;
	/* an initial: one upper-case letter, perhaps with marks */
	k = utf8_decode(w, n, &cp);
	if (k > 0 && (char_class(cp) & C_UPPER)) {
		size_t i = (size_t)k;
		while (i < n) {
			k = utf8_decode(w + i, n - i, &cp);
			if (k < 0 || !(char_class(cp) & C_MARK))
				break;
			i += (size_t)k;
		}
		if (i == n)
			return 1;
	}
	for (size_t i = 0; i < sizeof abbrevs / sizeof abbrevs[0]; i++)
		if (strlen(abbrevs[i]) == n && memcmp(abbrevs[i], w, n) == 0)
			return 1;
	return 0;
}

/* -------------------------------------------------------------- folding */

/* Buffers reused for every token of one call, and by analyze_fold. */
struct fold_buf {
	char *bytes;       /* the folded token, or scratch for the slow path */
	size_t cap;
	int32_t *u;        /* utf8proc's code point buffer (slow path only) */
	size_t ucap;       /* in code points */
	char inline_bytes[256];
};

static void fold_buf_init(struct fold_buf *fb)
{
	fb->bytes = fb->inline_bytes;
	fb->cap = sizeof fb->inline_bytes;
	fb->u = NULL;
	fb->ucap = 0;
}

static void fold_buf_free(struct fold_buf *fb)
{
	if (fb->bytes != fb->inline_bytes)
		free(fb->bytes);
	free(fb->u);
}

/* Make room for n bytes in fb->bytes; its contents are not kept. */
static int fold_buf_reserve(struct fold_buf *fb, size_t n)
{
	char *p;

	if (n <= fb->cap)
		return 0;
	if (n < 2 * fb->cap)
		n = 2 * fb->cap;
	p = malloc(n);
	if (!p)
		return -1;
	if (fb->bytes != fb->inline_bytes)
		free(fb->bytes);
	fb->bytes = p;
	fb->cap = n;
	return 0;
}

/*
 * Fold the well-formed UTF-8 in fb->bytes[0, n), which must not be all
 * ASCII's fast case (the caller handles that).  *out receives the folded,
 * NUL-terminated text, owned by fb; returns its length or -1 on ENOMEM.
 */
static utf8proc_ssize_t fold_slow(struct fold_buf *fb, size_t n,
				  const char **out)
{
	utf8proc_ssize_t r;

	for (;;) {
		r = utf8proc_decompose((const utf8proc_uint8_t *)fb->bytes,
				       (utf8proc_ssize_t)n, fb->u,
				       (utf8proc_ssize_t)fb->ucap, FOLD_OPTIONS);
		if (r < 0)
			return -1;
		/* + 1: utf8proc_reencode writes a NUL after the text */
		if ((size_t)r + 1 <= fb->ucap)
			break;
		{
			size_t cap = (size_t)r + 1 + (size_t)r / 2;
			int32_t *u;
			if (cap > SIZE_MAX / sizeof *u)
				return -1;
			u = realloc(fb->u, cap * sizeof *u);
			if (!u)
				return -1;
			fb->u = u;
			fb->ucap = cap;
		}
	}
	r = utf8proc_reencode(fb->u, r, FOLD_OPTIONS);
	if (r < 0)
		return -1;
	*out = (const char *)fb->u;
	return r;
}

/* ------------------------------------------------------------- scanner */

struct analyzer {
	const unsigned char *s;
	size_t n;
	token_cb cb;
	void *payload;
	struct fold_buf fb;
	uint32_t pos, sentence, paragraph;
	size_t prev_start, prev_end; /* the last token, for abbreviations */
	int have_prev;
	/* what lies between the last token and the next */
	int term;    /* 0, 1: a sentence terminator, 2: and white space after */
	int newline; /* a line break in the current run of white space */
	int brk;     /* 0, BRK_SENTENCE or BRK_PARAGRAPH */
	int nomem;   /* -1 came from us, not from the callback */
};

enum { BRK_SENTENCE = 1, BRK_PARAGRAPH = 2 };

/* One separator character at offset i, of class c. */
static void gap_char(struct analyzer *a, size_t i, int32_t cp, unsigned c)
{
	if (c & C_SPACE) {
		if (c & C_PARA) {
			a->brk = BRK_PARAGRAPH;
		} else if (c & C_NL) {
			if (a->newline)
				a->brk = BRK_PARAGRAPH;
			a->newline = 1;
		}
		if (a->term == 1)
			a->term = 2;
		return;
	}
	a->newline = 0;
	if (c & C_TERM) {
		/* "No." ends nothing; "No.." ends as "No!" would */
		if (cp == '.' && a->have_prev && i == a->prev_end && a->term == 0 &&
		    is_abbrev(a->s + a->prev_start, a->prev_end - a->prev_start))
			a->term = 0;
		else
			a->term = 1;
	} else if (a->term == 1 && (c & C_CLOSE)) {
		/* "arrested." or (arrested.) — still a candidate */
	} else if (a->term == 2 && (c & C_OPEN)) {
		if (a->brk < BRK_SENTENCE)
			a->brk = BRK_SENTENCE;
		a->term = 0;
	} else {
		a->term = 0;
	}
}

/* What one segment scan found. */
struct seg {
	size_t end;    /* end of the last word character */
	size_t next;   /* where scanning goes on (after a dropped "'s") */
	int digit;     /* holds an Nd */
	int last_digit; /* ends with a number, not a letter */
	int single;    /* exactly one letter and nothing dropped */
	int possessive;
};

/* Scan the segment that starts at i, on a word character. */
static void scan_segment(const struct analyzer *a, size_t i, struct seg *sg)
{
	const unsigned char *s = a->s;
	size_t n = a->n, nbase = 0;
	int dropped = 0, last_letter = 0;

	sg->digit = 0;
	sg->possessive = 0;
	while (i < n) {
		unsigned c;
		int32_t cp;
		int k;

		if (s[i] < 0x80) {
			c = ascii_class[s[i]];
			if (c & C_WORD) {
				nbase++;
				sg->digit |= (c & C_DIGIT) != 0;
				last_letter = (c & C_LETTER) != 0;
				i++;
				continue;
			}
			cp = s[i];
			k = 1;
		} else {
			c = class_at(s, n, i, &cp, &k);
			if (c & C_WORD) {
				nbase++;
				sg->digit |= (c & C_DIGIT) != 0;
				last_letter = (c & C_LETTER) != 0;
				i += (size_t)k;
				continue;
			}
			if (c & C_MARK) {
				i += (size_t)k;
				continue;
			}
		}
		if (c & (C_APOS | C_SOFT)) {
			size_t j = i + (size_t)k;
			unsigned c2 = 0, c3 = 0;
			int32_t cp2 = -1, cp3;
			int k2, k3;

			if (j < n)
				c2 = class_at(s, n, j, &cp2, &k2);
			if ((c & C_APOS) && (cp2 == 's' || cp2 == 'S')) {
				if (j + 1 < n)
					c3 = class_at(s, n, j + 1, &cp3, &k3);
				if (!(c3 & (C_WORD | C_MARK))) {
					sg->possessive = 1;
					sg->end = i;
					sg->next = j + 1;
					sg->single = 0;
					return;
				}
			}
			if ((c & C_APOS) ? (last_letter && (c2 & C_LETTER))
					 : (c2 & C_WORD) != 0) {
				dropped = 1;
				i = j;
				continue;
			}
		}
		break;
	}
	sg->end = i;
	sg->next = i;
	sg->single = nbase == 1 && !dropped;
	sg->last_digit = nbase > 0 && !last_letter;
}

static int is_joiner(unsigned char b)
{
	return b == '-' || b == '.' || b == '/' || b == ':';
}

/*
 * If the joiner at sg->end is followed by a word character, the start of
 * the segment after it; else 0 (no segment starts at 0 after a joiner).
 * A '.' from a digit to a letter does not join: it is nearly always a
 * missing space ("in 1951.The court"), while "F.2d" and "12.5" still join.
 */
static size_t joined_next(const struct analyzer *a, const struct seg *sg)
{
	size_t i = sg->end;
	unsigned c;
	int32_t cp;
	int k;

	if (i + 1 >= a->n || !is_joiner(a->s[i]))
		return 0;
	c = class_at(a->s, a->n, i + 1, &cp, &k);
	if (!(c & C_WORD))
		return 0;
	if (a->s[i] == '.' && sg->last_digit && (c & C_LETTER))
		return 0;
	return i + 1;
}

/*
 * Fold [start, end) into a->fb, leaving out apostrophes and soft hyphens
 * (only the in-word ones can be inside a token) and, if drop_dots, '.'.
 * Then report the token.  Returns the callback's value, or -1 on ENOMEM.
 */
static int emit(struct analyzer *a, size_t start, size_t end, int drop_dots,
		unsigned flags)
{
	struct fold_buf *fb = &a->fb;
	const unsigned char *s = a->s;
	size_t i = start, o = 0;
	int ascii = 1;
	token t;

	if (fold_buf_reserve(fb, end - start + 1))
		goto nomem;
	while (i < end) {
		unsigned char b = s[i];
		if (b < 0x80) {
			if (b == '\'' || (drop_dots && b == '.')) {
				i++;
				continue;
			}
			fb->bytes[o++] = (char)((unsigned)(b - 'A') < 26u ? b + 32 : b);
			i++;
		} else {
			int32_t cp;
			int k = utf8_decode(s + i, end - i, &cp);
			/* the scanner let only well-formed UTF-8 into a token */
			if (cp != 0x2019 && cp != 0xAD) {
				memcpy(fb->bytes + o, s + i, (size_t)k);
				o += (size_t)k;
				ascii = 0;
			}
			i += (size_t)k;
		}
	}
	fb->bytes[o] = '\0';
	t.text = fb->bytes;
	t.len = o;
	if (!ascii) {
		utf8proc_ssize_t r = fold_slow(fb, o, &t.text);
		if (r < 0)
			goto nomem;
		t.len = (size_t)r;
	}
	t.raw = (const char *)s + start;
	t.start = start;
	t.end = end;
	t.pos = a->pos++;
	t.sentence = a->sentence;
	t.paragraph = a->paragraph;
	t.flags = flags;
	a->prev_start = start;
	a->prev_end = end;
	a->have_prev = 1;
	return a->cb(&t, a->payload);
nomem:
	a->nomem = 1;
	return -1;
}

/* Start a compound whose first character, at i, has class c: settle the
 * break that the gap before it made. */
static void begin_compound(struct analyzer *a, unsigned c)
{
	if (a->term == 2 && !(c & C_LOWER) && a->brk < BRK_SENTENCE)
		a->brk = BRK_SENTENCE;
	if (a->pos > 0) {
		if (a->brk == BRK_PARAGRAPH) {
			a->paragraph++;
			a->sentence++;
		} else if (a->brk == BRK_SENTENCE) {
			a->sentence++;
		}
	}
	a->brk = 0;
	a->term = 0;
	a->newline = 0;
}

/* Letter-only compound [start, ...): a token per segment, one-letter
 * segments joined by '.' merged.  *rc receives a non-zero return. */
static size_t split_compound(struct analyzer *a, size_t start, int *rc)
{
	struct seg sg;
	size_t i = start, gstart = 0, gend = 0, gcount = 0;
	unsigned char prev_joiner = 0;

	for (;;) {
		size_t nx;

		scan_segment(a, i, &sg);
		if (sg.single && gcount > 0 && prev_joiner == '.') {
			gend = sg.end;
			gcount++;
		} else {
			if (gcount > 0 &&
			    (*rc = emit(a, gstart, gend, gcount > 1, 0)) != 0)
				return sg.next;
			gcount = 0;
			if (sg.single) {
				gstart = i;
				gend = sg.end;
				gcount = 1;
			} else if ((*rc = emit(a, i, sg.end, 0, 0)) != 0) {
				return sg.next;
			}
		}
		if (sg.possessive || !(nx = joined_next(a, &sg)))
			break;
		prev_joiner = a->s[sg.end];
		i = nx;
	}
	if (gcount > 0)
		*rc = emit(a, gstart, gend, gcount > 1, 0);
	return sg.next;
}

/* The compound starting at i; returns where scanning goes on. */
static size_t compound(struct analyzer *a, size_t i, unsigned c, int *rc)
{
	struct seg sg;
	size_t start = i, nx;
	int digit = 0, nseg = 0;

	begin_compound(a, c);
	for (;;) {
		scan_segment(a, i, &sg);
		digit |= sg.digit;
		nseg++;
		if (sg.possessive || !(nx = joined_next(a, &sg)))
			break;
		i = nx;
	}
	if (digit || nseg == 1) {
		*rc = emit(a, start, sg.end, 0, digit ? TOK_NUMERIC : 0);
		return sg.next;
	}
	return split_compound(a, start, rc);
}

int analyze_text(const char *text, size_t len, token_cb cb, void *payload)
{
	struct analyzer a;
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	int rc = 0;

	if (len == 0)
		return 0;
	memset(&a, 0, sizeof a);
	a.s = s;
	a.n = len;
	a.cb = cb;
	a.payload = payload;
	fold_buf_init(&a.fb);
	while (i < len) {
		unsigned c;
		int32_t cp;
		int k;

		if (s[i] < 0x80) {
			cp = s[i];
			c = ascii_class[cp];
			k = 1;
		} else {
			c = class_at(s, len, i, &cp, &k);
		}
		if (c & C_WORD) {
			i = compound(&a, i, c, &rc);
			if (rc != 0)
				break;
			continue;
		}
		gap_char(&a, i, cp, c);
		i += (size_t)k;
	}
	fold_buf_free(&a.fb);
	if (a.nomem)
		error_set(DICTA_ENOMEM, "out of memory analyzing text");
	return rc;
}

/* ----------------------------------------------------------- one word */

char *analyze_fold(const char *word, size_t len, size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)word;
	struct fold_buf fb;
	const char *folded;
	size_t i = 0, o = 0;
	int ascii = 1;
	char *out = NULL;

	fold_buf_init(&fb);
	if (len == SIZE_MAX || fold_buf_reserve(&fb, len + 1))
		goto nomem;
	while (i < len) {
		int32_t cp;
		int k = utf8_decode(s + i, len - i, &cp);
		if (k < 0) { /* dropped, as analyze_text makes it a separator */
			i += (size_t)-k;
			continue;
		}
		if (k == 1) {
			fb.bytes[o++] =
			    (char)((unsigned)(s[i] - 'A') < 26u ? s[i] + 32 : s[i]);
		} else {
			memcpy(fb.bytes + o, s + i, (size_t)k);
			o += (size_t)k;
			ascii = 0;
		}
		i += (size_t)k;
	}
	fb.bytes[o] = '\0';
	folded = fb.bytes;
	if (!ascii) {
		utf8proc_ssize_t r = fold_slow(&fb, o, &folded);
		if (r < 0)
			goto nomem;
		o = (size_t)r;
	}
	out = malloc(o + 1);
	if (!out)
		goto nomem;
	memcpy(out, folded, o + 1);
	*outlen = o;
	fold_buf_free(&fb);
	return out;
nomem:
	fold_buf_free(&fb);
	error_set(DICTA_ENOMEM, "out of memory folding a word");
	return NULL;
}

/* ------------------------------------------------------------ sanitize */

int utf8_is_valid(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	for (size_t i = 0; i < len;) {
		int32_t cp;
		int k = s[i] ? utf8_decode(s + i, len - i, &cp) : -1;
		if (k < 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

char *utf8_sanitize(const char *text, size_t len, size_t *outlen,
		    size_t *replaced)
{
	static const char fffd[3] = {'\xEF', '\xBF', '\xBD'};
	const unsigned char *s = (const unsigned char *)text;
	size_t i, o = 0, bad = 0;
	char *out;

	/* first pass: the size, so that clean text costs one exact copy */
	for (i = 0; i < len;) {
		int32_t cp;
		int k;

		if (s[i] != 0 && s[i] < 0x80) {
			i++;
			o++;
			continue;
		}
		k = s[i] ? utf8_decode(s + i, len - i, &cp) : -1;
		if (k < 0) {
			bad++;
			i += (size_t)-k;
			if (o > SIZE_MAX - 4)
				goto nomem;
			o += 3;
		} else {
			i += (size_t)k;
			o += (size_t)k;
		}
	}
	if (o == SIZE_MAX)
		goto nomem;
	out = malloc(o + 1);
	if (!out)
		goto nomem;
	if (bad == 0) {
		if (len)
			memcpy(out, text, len);
	} else {
		o = 0;
		for (i = 0; i < len;) {
			int32_t cp;
			int k = s[i] ? utf8_decode(s + i, len - i, &cp) : -1;
			if (k < 0) {
				memcpy(out + o, fffd, 3);
				o += 3;
				i += (size_t)-k;
			} else {
				memcpy(out + o, s + i, (size_t)k);
				o += (size_t)k;
				i += (size_t)k;
			}
		}
	}
	out[o] = '\0';
	*outlen = o;
	if (replaced)
		*replaced = bad;
	return out;
nomem:
	error_set(DICTA_ENOMEM, "out of memory cleaning UTF-8");
	return NULL;
}

int analyze_parts(const char *text, size_t len, token_cb cb, void *payload)
{
	size_t i = 0, start = 0;
	int joined = 0;

	for (i = 0; i < len && !joined; i++)
		joined = is_joiner((unsigned char)text[i]);
	if (!joined)
		return 0;
	for (i = 0; i <= len; i++) {
		if (i < len && !is_joiner((unsigned char)text[i]))
			continue;
		if (i > start) {
			int rc = analyze_text(text + start, i - start, cb, payload);
			if (rc != 0)
				return rc;
		}
		start = i + 1;
	}
	return 0;
}
