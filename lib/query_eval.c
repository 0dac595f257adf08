/*
 * query_eval.c — a compiled query evaluated on one passage, from the
 * passage's own index data: the word positions of its terms, its sentence
 * and paragraph starts (value slot 4) and its date.  query.c runs it as
 * the check inside Xapian's match (for connectors, which Xapian can only
 * approximate) and to find the words to highlight; search term reports
 * (lib/str.c) count the spans that satisfied it (qeval_hits).
 *
 * Every node evaluates to whether it matched and, for words, phrases,
 * OR-groups of them and connectors, the list of ways it matched: spans of
 * word positions, kept in one pool.  A connector's match points at the
 * two matches it joined, so the words that satisfied the query are found
 * by walking down from the matches of the top nodes, and only those are
 * highlighted.  Connector semantics, on two spans L and R that must not
 * overlap:
 *
 *   /n   the gap between them (first word of the later one minus last
 *        word of the earlier one) is at most n: "a /3 b" is |pa - pb| <= 3
 *   +n   the same, and L comes first
 *   /s   the span from the first to the last of their words lies in one
 *        sentence; /p in one paragraph; +s and +p: L comes first
 *
 * The match of a connector is the span covering both sides, so chains
 * nest: in (a /3 b) /s c, c must share a sentence with the whole a..b.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "query_eval.h"
#include "store.h"

int qglob_match(const char *pat, size_t pl, const char *s, size_t sl)
{
	size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;
	while (si < sl) {
		if (pi < pl && pat[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (pi < pl && pat[pi] == s[si]) {
			pi++;
			si++;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++mark;
		} else {
			return 0;
		}
	}
	while (pi < pl && pat[pi] == '*')
		pi++;
	return pi == pl;
}

static int nomem(void)
{
	return error_set(DICTA_ENOMEM, "out of memory evaluating the query");
}

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	void *n = realloc(*v, c * size);
	if (!n)
		return nomem();
	*v = n;
	*cap = c;
	return 0;
}

void qeval_free(query_plan *p)
{
	free(p->ev.pool);
	free(p->ev.list);
	free(p->ev.off);
	free(p->ev.n);
	free(p->ev.matched);
	free(p->ev.pos);
	free(p->ev.sent);
	free(p->ev.para);
	free(p->ev.seen);
	free(p->ev.present);
	free(p->ev.counted);
	free(p->ev.upos);
	free(p->ev.cidx);
	memset(&p->ev, 0, sizeof p->ev);
}

/* Add a match to the pool and to the slice being built; 1 when the pool
 * is full (the match is dropped). */
static int add_match(query_plan *p, uint32_t start, uint32_t end, int32_t a,
		     int32_t b)
{
	if (p->ev.npool >= QEVAL_MAX_MATCHES) {
		p->ev.truncated = 1;
		return 1;
	}
	if (grow((void **)&p->ev.pool, &p->ev.cappool, p->ev.npool + 1,
		 sizeof *p->ev.pool) ||
	    grow((void **)&p->ev.list, &p->ev.caplist, p->ev.nlist + 1,
		 sizeof *p->ev.list))
		return -1;
	qmatch *m = &p->ev.pool[p->ev.npool];
	m->start = start;
	m->end = end;
	m->a = a;
	m->b = b;
	p->ev.list[p->ev.nlist++] = (uint32_t)p->ev.npool++;
	return 0;
}

static int add_ref(query_plan *p, uint32_t idx)
{
	if (grow((void **)&p->ev.list, &p->ev.caplist, p->ev.nlist + 1,
		 sizeof *p->ev.list))
		return -1;
	p->ev.list[p->ev.nlist++] = idx;
	return 0;
}

/* ------------------------------------------------------------- leaves */

typedef struct {
	query_plan *p;
	shim_docview *v;
	const qleaf *leaf;
	int rc;
	int found;
} scan_state;

static int add_positions(query_plan *p, shim_docview *v, const char *term,
			 size_t len)
{
	const uint32_t *pos;
	size_t n;
	int rc = shim_docview_positions(v, term, len, &pos, &n);
	if (rc || n == 0)
		return rc;
	if (grow((void **)&p->ev.pos, &p->ev.cappos, p->ev.npos + n,
		 sizeof *p->ev.pos))
		return DICTA_ENOMEM;
	memcpy(p->ev.pos + p->ev.npos, pos, n * sizeof *pos);
	p->ev.npos += n;
	return 0;
}

static int on_doc_word(const char *term, size_t len, void *payload)
{
	scan_state *s = payload;
	const qleaf *l = s->leaf;
	if (l->pattern && !qglob_match(l->pattern, l->patlen, term, len))
		return 0;
	s->rc = add_positions(s->p, s->v, term, len);
	return s->rc != 0;
}

static int on_doc_term(const char *term, size_t len, void *payload)
{
	scan_state *s = payload;
	const qleaf *l = s->leaf;
	if (l->pattern && !qglob_match(l->pattern, l->patlen, term, len))
		return 0;
	s->found = 1;
	return 1;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static size_t sort_unique(uint32_t *v, size_t n)
{
	if (n < 2)
		return n;
	qsort(v, n, sizeof *v, cmp_u32);
	size_t k = 1;
	for (size_t i = 1; i < n; i++)
		if (v[i] != v[k - 1])
			v[k++] = v[i];
	return k;
}

/* The positions of a word leaf, into p->ev.pos (sorted, unique).  Most
 * of a stem's variants are absent from any one passage, and looking for
 * the positions of an absent word costs as much as reading those of a
 * present one, so the passage is first asked which words it has. */
static int leaf_positions(query_plan *p, shim_docview *v, const qleaf *l)
{
	p->ev.npos = 0;
	int rc = 0;
	if (l->kind == LEAF_WORDS && !p->ev.have_present) {
		if (!p->ev.present && p->nwords &&
		    !(p->ev.present = malloc(p->nwords)))
			return nomem();
		if (p->nwords &&
		    (rc = shim_docview_present(v, (const char *const *)p->words,
					       p->nwords, p->ev.present)) != 0)
			return rc;
		p->ev.have_present = 1;
	}
	if (l->kind == LEAF_WORDS) {
		for (size_t i = 0; i < l->nterms && rc == 0; i++)
			if (p->ev.present[l->widx[i]])
				rc = add_positions(p, v, l->terms[i], strlen(l->terms[i]));
	} else if (l->kind == LEAF_WORD_PREFIX) {
		scan_state s = {p, v, l, 0, 0};
		rc = shim_docview_terms(v, l->prefix, l->plen, on_doc_word, &s);
		if (rc == 0)
			rc = s.rc;
	}
	p->ev.npos = sort_unique(p->ev.pos, p->ev.npos);
	return rc;
}

static int leaf_present(shim_docview *v, const qleaf *l, int *out)
{
	*out = 0;
	if (l->kind == LEAF_TERMS) {
		for (size_t i = 0; i < l->nterms && !*out; i++) {
			int rc = shim_docview_has_term(v, l->terms[i],
						       strlen(l->terms[i]), out);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (l->kind == LEAF_TERM_PREFIX) {
		scan_state s = {NULL, v, l, 0, 0};
		int rc = shim_docview_terms(v, l->prefix, l->plen, on_doc_term, &s);
		*out = s.found;
		return rc;
	}
	return 0;
}

/* ------------------------------------------------ sentences, paragraphs */

/* Read the passage's sentence and paragraph starts (absolute positions)
 * from slot 2 (first position) and slot 4 (see store.h). */
static int load_structure(query_plan *p, shim_docview *v)
{
	p->ev.nsent = p->ev.npara = 0;
	const char *r;
	size_t rl;
	int rc = shim_docview_value(v, SLOT_RANGE, &r, &rl);
	if (rc)
		return rc;
	uint32_t pos = rl == 16 ? store_get_u32(r + 8) : 0;
	const char *s;
	size_t sl;
	if ((rc = shim_docview_value(v, SLOT_STRUCT, &s, &sl)) != 0)
		return rc;
	const unsigned char *c = (const unsigned char *)s, *end = c + sl;
	while (c < end) {
		uint64_t x = 0;
		int shift = 0, done = 0;
		while (c < end && shift < 64) {
			unsigned char b = *c++;
			x |= (uint64_t)(b & 0x7f) << shift;
			shift += 7;
			if (!(b & 0x80)) {
				done = 1;
				break;
			}
		}
		if (!done)
			return error_set(DICTA_ECORRUPT,
					 "passage %u: damaged sentence list",
					 shim_docview_docid(v));
		pos += (uint32_t)(x >> 1);
		if (grow((void **)&p->ev.sent, &p->ev.capsent, p->ev.nsent + 1,
			 sizeof *p->ev.sent))
			return DICTA_ENOMEM;
		p->ev.sent[p->ev.nsent++] = pos;
		if (x & 1) {
			if (grow((void **)&p->ev.para, &p->ev.cappara,
				 p->ev.npara + 1, sizeof *p->ev.para))
				return DICTA_ENOMEM;
			p->ev.para[p->ev.npara++] = pos;
		}
	}
	return 0;
}

/* The number of starts <= pos: the ordinal of pos's sentence (or
 * paragraph) within the passage, 0 for one continued from before. */
static size_t unit_of(const uint32_t *starts, size_t n, uint32_t pos)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (starts[mid] <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ------------------------------------------------------------ the nodes */

typedef struct {
	query_plan *p;
	shim_docview *v;
	int have_structure;
} evalctx;

static int eval(evalctx *c, const qnode *n);

static int eval_kids(evalctx *c, const qnode *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		int rc = eval(c, n->kids[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* Binary search for a match starting at pos in the sorted slice of id. */
static int slice_has(const query_plan *p, int id, uint32_t pos)
{
	size_t lo = p->ev.off[id], hi = lo + p->ev.n[id];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t s = p->ev.pool[p->ev.list[mid]].start;
		if (s == pos)
			return 1;
		if (s < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int prox_ok(const evalctx *c, const qnode *n, const qmatch *l,
		   const qmatch *r)
{
	if (!(l->end < r->start || r->end < l->start))
		return 0; /* the same words cannot be both sides */
	if (n->ordered && !(l->end < r->start))
		return 0;
	if (n->unit == QU_WORDS) {
		uint32_t gap = l->end < r->start ? r->start - l->end
						 : l->start - r->end;
		return gap <= n->dist;
	}
	uint32_t lo = l->start < r->start ? l->start : r->start;
	uint32_t hi = l->end > r->end ? l->end : r->end;
	const query_plan *p = c->p;
	if (n->unit == QU_SENTENCE)
		return unit_of(p->ev.sent, p->ev.nsent, lo) ==
		       unit_of(p->ev.sent, p->ev.nsent, hi);
	return unit_of(p->ev.para, p->ev.npara, lo) ==
	       unit_of(p->ev.para, p->ev.npara, hi);
}

/* The verdict of an OR, AND, natural query (RANK), NOT, exclusion or field
 * node from its kids' verdicts in matched (by node id): in a natural query
 * the words are ORed and everything else (phrases, connectors, fields,
 * exclusions) must hold.  eval() and the fast count both decide so. */
static int combine(const qnode *n, const unsigned char *matched)
{
	int m = 0, any_word = 0, words = 0;
	switch (n->kind) {
	case Q_OR:
		for (size_t i = 0; i < n->nkids; i++)
			m = m || matched[n->kids[i]->id];
		return m;
	case Q_AND:
	case Q_RANK:
		m = 1;
		for (size_t i = 0; i < n->nkids; i++) {
			const qnode *k = n->kids[i];
			if (k->kind == Q_NEG)
				m = m && !matched[k->id];
			else if (n->kind == Q_RANK && k->kind == Q_TERM) {
				words = 1;
				any_word = any_word || matched[k->id];
			} else
				m = m && matched[k->id];
		}
		return m && (!words || any_word);
	case Q_NOT:
		m = matched[n->kids[0]->id];
		for (size_t i = 1; i < n->nkids; i++)
			m = m && !matched[n->kids[i]->id];
		return m;
	case Q_NEG:
	case Q_FIELD:
		return matched[n->kids[0]->id];
	default:
		return 0; /* leaves are decided by their positions */
	}
}

static int eval(evalctx *c, const qnode *n)
{
	query_plan *p = c->p;
	int id = n->id, rc = 0, m = 0;
	const qleaf *leaf = &p->leaves[id];
	if (n->kind != Q_TERM && n->kind != Q_DATE &&
	    (rc = eval_kids(c, n)) != 0)
		return rc;
	size_t off = p->ev.nlist;
	switch (n->kind) {
	case Q_TERM:
		if (leaf->kind == LEAF_WORDS || leaf->kind == LEAF_WORD_PREFIX) {
			if ((rc = leaf_positions(p, c->v, leaf)) != 0)
				return rc;
			for (size_t i = 0; i < p->ev.npos; i++)
				if ((rc = add_match(p, p->ev.pos[i], p->ev.pos[i], -1,
						    -1)) != 0)
					break;
			if (rc < 0)
				return DICTA_ENOMEM;
			m = p->ev.nlist > off;
		} else if ((rc = leaf_present(c->v, leaf, &m)) != 0) {
			return rc;
		}
		break;
	case Q_PHRASE: {
		const qnode *k0 = n->kids[0];
		int all = 1;
		for (size_t i = 0; i < n->nkids; i++)
			all = all && p->ev.matched[n->kids[i]->id];
		if (!all)
			break;
		const qleaf *kl = &p->leaves[k0->id];
		if (kl->kind == LEAF_TERMS || kl->kind == LEAF_TERM_PREFIX) {
			m = 1; /* a phrase in a title: its words, anywhere */
			break;
		}
		size_t o0 = p->ev.off[k0->id], n0 = p->ev.n[k0->id];
		for (size_t j = 0; j < n0; j++) {
			uint32_t s = p->ev.pool[p->ev.list[o0 + j]].start, i;
			for (i = 1; i < n->nkids; i++)
				if (!slice_has(p, n->kids[i]->id, s + (uint32_t)i))
					break;
			if (i == n->nkids &&
			    (rc = add_match(p, s, s + (uint32_t)n->nkids - 1, -1, -1)) < 0)
				return DICTA_ENOMEM;
		}
		m = p->ev.nlist > off;
		break;
	}
	case Q_OR:
		for (size_t i = 0; i < n->nkids; i++) {
			int k = n->kids[i]->id;
			m = m || p->ev.matched[k];
			for (size_t j = 0; j < p->ev.n[k]; j++)
				if (add_ref(p, p->ev.list[p->ev.off[k] + j]))
					return DICTA_ENOMEM;
		}
		break;
	case Q_PROX: {
		int a = n->kids[0]->id, b = n->kids[1]->id;
		if (!p->ev.matched[a] || !p->ev.matched[b])
			break;
		if (n->unit != QU_WORDS && !c->have_structure) {
			if ((rc = load_structure(p, c->v)) != 0)
				return rc;
			c->have_structure = 1;
		}
		for (size_t i = 0; i < p->ev.n[a] && rc == 0; i++) {
			uint32_t li = p->ev.list[p->ev.off[a] + i];
			for (size_t j = 0; j < p->ev.n[b]; j++) {
				uint32_t ri = p->ev.list[p->ev.off[b] + j];
				const qmatch *l = &p->ev.pool[li], *r = &p->ev.pool[ri];
				if (!prox_ok(c, n, l, r))
					continue;
				uint32_t lo = l->start < r->start ? l->start : r->start;
				uint32_t hi = l->end > r->end ? l->end : r->end;
				if ((rc = add_match(p, lo, hi, (int32_t)li, (int32_t)ri)) != 0)
					break;
			}
		}
		if (rc < 0)
			return DICTA_ENOMEM;
		rc = 0;
		m = p->ev.nlist > off;
		break;
	}
	case Q_AND:
	case Q_RANK:
	case Q_NOT:
	case Q_NEG:
	case Q_FIELD:
		m = combine(n, p->ev.matched);
		break;
	case Q_DATE: {
		const char *d;
		size_t dl;
		if ((rc = shim_docview_value(c->v, SLOT_DATE, &d, &dl)) != 0)
			return rc;
		m = dl == 8 && (!n->lo[0] || memcmp(d, n->lo, 8) >= 0) &&
		    (!n->hi[0] || memcmp(d, n->hi, 8) <= 0);
		break;
	}
	}
	p->ev.matched[id] = (unsigned char)(m != 0);
	p->ev.off[id] = off;
	p->ev.n[id] = p->ev.nlist - off;
	return 0;
}

/* ---------------------------------------------------------- highlights */

typedef struct {
	uint32_t *v;
	size_t n, cap;
} u32vec;

typedef struct {
	uint64_t *v;
	size_t n, cap;
} u64vec;

static int mark(query_plan *p, uint32_t idx, u32vec *out)
{
	if (p->ev.seen[idx])
		return 0;
	p->ev.seen[idx] = 1;
	const qmatch *m = &p->ev.pool[idx];
	if (m->a >= 0) {
		int rc = mark(p, (uint32_t)m->a, out);
		return rc ? rc : mark(p, (uint32_t)m->b, out);
	}
	size_t k = (size_t)(m->end - m->start) + 1;
	if (grow((void **)&out->v, &out->cap, out->n + k, sizeof *out->v))
		return DICTA_ENOMEM;
	for (uint32_t q = m->start; q <= m->end; q++) {
		out->v[out->n++] = q;
		if (q == UINT32_MAX)
			break;
	}
	return 0;
}

/* Call fn on every leaf of node n (a term, phrase or connector) that took
 * part in satisfying it: the leaves under the kids that made n true,
 * exclusions and restrictions giving none.  Highlighting, hit counting
 * and the fast hit count from terms all walk it. */
static int each_leaf(query_plan *p, const qnode *n,
		     int (*fn)(query_plan *, const qnode *, void *), void *arg)
{
	int rc = 0;
	if (!p->ev.matched[n->id])
		return 0;
	switch (n->kind) {
	case Q_TERM:
	case Q_PHRASE:
	case Q_PROX:
		return fn(p, n, arg);
	case Q_OR:
	case Q_AND:
	case Q_RANK:
		for (size_t i = 0; i < n->nkids && rc == 0; i++)
			if (n->kids[i]->kind != Q_NEG)
				rc = each_leaf(p, n->kids[i], fn, arg);
		return rc;
	case Q_NOT:
		return each_leaf(p, n->kids[0], fn, arg);
	case Q_NEG:
	case Q_FIELD:
	case Q_DATE:
		return 0; /* exclusions and restrictions mark no word */
	}
	return 0;
}

/* each_leaf(): the words of the leaf's matches, appended to the u32vec
 * arg. */
static int mark_words(query_plan *p, const qnode *n, void *arg)
{
	int rc = 0;
	for (size_t j = 0; j < p->ev.n[n->id] && rc == 0; j++)
		rc = mark(p, p->ev.list[p->ev.off[n->id] + j], arg);
	return rc;
}

/* The evaluator's per-node arrays, allocated on first use. */
static int node_scratch(query_plan *p)
{
	size_t nn = p->nnodes;
	if (!p->ev.off) {
		p->ev.off = calloc(nn, sizeof *p->ev.off);
		p->ev.n = calloc(nn, sizeof *p->ev.n);
		p->ev.matched = calloc(nn, 1);
		if (!p->ev.off || !p->ev.n || !p->ev.matched)
			return nomem();
	}
	return 0;
}

int qeval_passage(query_plan *p, shim_docview *v, int *matched, uint32_t **hl,
		  size_t *nhl)
{
	*matched = 0;
	if (hl) {
		*hl = NULL;
		*nhl = 0;
	}
	int rc = node_scratch(p);
	if (rc)
		return rc;
	p->ev.npool = p->ev.nlist = 0;
	p->ev.truncated = 0;
	p->ev.have_present = 0;
	evalctx c = {p, v, 0};
	const qnode *root = qast_root(p->ast);
	if ((rc = eval(&c, root)) != 0)
		return rc;
	*matched = p->ev.matched[root->id];
	if (!hl)
		return 0;
	if (grow((void **)&p->ev.seen, &p->ev.capseen, p->ev.npool + 1, 1))
		return DICTA_ENOMEM;
	memset(p->ev.seen, 0, p->ev.npool + 1);
	u32vec out = {0};
	if ((rc = each_leaf(p, root, mark_words, &out)) != 0) {
		free(out.v);
		return rc;
	}
	out.n = sort_unique(out.v, out.n);
	*hl = out.v;
	*nhl = out.n;
	return 0;
}

/* ---------------------------------------------------------------- hits */

/* each_leaf(): the spans of the leaf's matches as (start << 32 | end),
 * appended to the u64vec arg. */
static int add_spans(query_plan *p, const qnode *n, void *arg)
{
	u64vec *out = arg;
	int rc = grow((void **)&out->v, &out->cap, out->n + p->ev.n[n->id],
		      sizeof *out->v);
	if (rc)
		return rc;
	for (size_t j = 0; j < p->ev.n[n->id]; j++) {
		const qmatch *m = &p->ev.pool[p->ev.list[p->ev.off[n->id] + j]];
		out->v[out->n++] = (uint64_t)m->start << 32 | m->end;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int qeval_hits(query_plan *p, uint64_t *out)
{
	*out = 0;
	u64vec spans = {0};
	int rc = each_leaf(p, qast_root(p->ast), add_spans, &spans);
	if (rc == 0 && spans.n) {
		qsort(spans.v, spans.n, sizeof *spans.v, cmp_u64);
		uint64_t k = 1;
		for (size_t i = 1; i < spans.n; i++)
			k += spans.v[i] != spans.v[i - 1];
		*out = k;
	}
	free(spans.v);
	return rc;
}

/* --------------------------------------------------- counting from terms */

/*
 * The fast count (query.c decides which plans take it): the same verdict
 * and the same hits as the Xapian query followed by qeval_passage() and
 * qeval_hits(), from which of the plan's terms a passage has and their
 * wdf.  It holds because every leaf it meets is a set of terms: a word
 * leaf's positions are those of the words it lists (or, for a root, of
 * the expansion, which holds every word of the index with the root), and
 * an indexed word has one position per occurrence (wdf = the number of
 * positions) and shares none with another word (one word per position).
 * So the distinct single-word spans a set of word leaves contributes are
 * the occurrences of the distinct words among them: the sum of their wdf.
 */

/* Does the passage have any of the fast terms at idx[0, n)? */
static int any_present(const unsigned char *present, const uint32_t *idx,
		       size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (present[idx[i]])
			return 1;
	return 0;
}

/* The terms a leaf looks for in a passage: its words, or for an
 * expansion scanned by prefix, the expansion itself (the Xapian terms). */
static const uint32_t *leaf_fterms(const qleaf *l, size_t *n)
{
	if (l->kind == LEAF_WORDS || l->kind == LEAF_TERMS) {
		*n = l->nterms;
		return l->ft;
	}
	*n = l->nxterms;
	return l->fx;
}

/* Node n as the Xapian query of query.c's build() matches it. */
static int xmatch(const query_plan *p, const qnode *n,
		  const unsigned char *present)
{
	const qleaf *l = &p->leaves[n->id];
	switch (n->kind) {
	case Q_TERM:
		return any_present(present, l->fx, l->nxterms);
	case Q_PHRASE: /* only in a field, where it is its words' AND */
	case Q_AND:
		for (size_t i = 0; i < n->nkids; i++) {
			const qnode *k = n->kids[i];
			if (k->kind == Q_NEG ? xmatch(p, k->kids[0], present)
					     : !xmatch(p, k, present))
				return 0;
		}
		return 1;
	case Q_OR:
		for (size_t i = 0; i < n->nkids; i++)
			if (xmatch(p, n->kids[i], present))
				return 1;
		return 0;
	case Q_NOT:
		for (size_t i = 1; i < n->nkids; i++)
			if (xmatch(p, n->kids[i], present))
				return 0;
		return xmatch(p, n->kids[0], present);
	case Q_FIELD:
		return xmatch(p, n->kids[0], present);
	case Q_RANK: {
		/* Its words OR'd (all of them: MatchAll when there are none),
		 * filtered by the rest, less the exclusions. */
		int words = 0, any = 0;
		for (size_t i = 0; i < n->nkids; i++) {
			const qnode *k = n->kids[i];
			const qleaf *kl = &p->leaves[k->id];
			if (k->kind == Q_NEG) {
				if (xmatch(p, k->kids[0], present))
					return 0;
			} else if (k->kind == Q_TERM) {
				words |= kl->synonym || kl->nxterms;
				any |= xmatch(p, k, present);
			} else if (!xmatch(p, k, present)) {
				return 0;
			}
		}
		return !words || any;
	}
	case Q_NEG:  /* nothing alone */
	case Q_PROX: /* never in a fast plan */
	case Q_DATE:
		return 0;
	}
	return 0;
}

int qeval_terms_xapian(const query_plan *p, const unsigned char *present)
{
	return xmatch(p, qast_root(p->ast), present);
}

/* Node n as eval() decides it, into p->ev.matched; *pool receives the
 * matches eval() would keep for its word leaves. */
static void ematch(query_plan *p, const qnode *n, const unsigned char *present,
		   const uint32_t *wdf, uint64_t *pool)
{
	int m = 0;
	if (n->kind != Q_TERM)
		for (size_t i = 0; i < n->nkids; i++)
			ematch(p, n->kids[i], present, wdf, pool);
	const unsigned char *km = p->ev.matched;
	switch (n->kind) {
	case Q_TERM: {
		const qleaf *l = &p->leaves[n->id];
		size_t nt;
		const uint32_t *t = leaf_fterms(l, &nt);
		m = any_present(present, t, nt);
		if (l->kind == LEAF_WORDS || l->kind == LEAF_WORD_PREFIX)
			for (size_t i = 0; i < nt; i++)
				*pool += wdf[t[i]];
		break;
	}
	case Q_PHRASE: /* only in a field: its words, anywhere */
		m = 1;
		for (size_t i = 0; i < n->nkids; i++)
			m = m && km[n->kids[i]->id];
		break;
	case Q_OR:
	case Q_AND:
	case Q_RANK:
	case Q_NOT:
	case Q_NEG:
	case Q_FIELD:
		m = combine(n, km);
		break;
	case Q_PROX:
	case Q_DATE:
		break; /* never in a fast plan */
	}
	p->ev.matched[n->id] = (unsigned char)(m != 0);
}

/* The passage's terms and their wdf, for count_words(). */
typedef struct {
	const unsigned char *present;
	const uint32_t *wdf;
	uint64_t hits;
	size_t words; /* distinct words counted */
} term_counts;

/* each_leaf(), for qeval_hits() from the terms: the occurrences of the
 * distinct words of a word leaf, added to the term_counts arg (phrases in
 * a field and connectors never reach the fast count). */
static int count_words(query_plan *p, const qnode *n, void *arg)
{
	term_counts *c = arg;
	if (n->kind != Q_TERM)
		return 0;
	const qleaf *l = &p->leaves[n->id];
	if (l->kind != LEAF_WORDS && l->kind != LEAF_WORD_PREFIX)
		return 0;
	size_t nt;
	const uint32_t *t = leaf_fterms(l, &nt);
	for (size_t i = 0; i < nt; i++)
		if (c->present[t[i]] && !p->ev.counted[t[i]]) {
			p->ev.counted[t[i]] = 1;
			p->ev.cidx[c->words++] = t[i];
			c->hits += c->wdf[t[i]];
		}
	return 0;
}

int qeval_terms(query_plan *p, const unsigned char *present, const uint32_t *wdf,
		int *matched, uint64_t *hits)
{
	*matched = 0;
	*hits = 0;
	const qnode *root = qast_root(p->ast);
	if (!xmatch(p, root, present))
		return 0; /* Xapian would not have offered the passage */
	int rc = node_scratch(p);
	if (rc)
		return rc;
	if (!p->ev.counted && !(p->ev.counted = calloc(p->nfterms + 1, 1)))
		return nomem();
	if (!p->ev.cidx && !(p->ev.cidx = calloc(p->nfterms + 1, sizeof *p->ev.cidx)))
		return nomem();
	uint64_t pool = 0;
	ematch(p, root, present, wdf, &pool);
	if (pool > QEVAL_MAX_MATCHES)
		return 1;
	if (!p->ev.matched[root->id])
		return 0;
	*matched = 1;
	term_counts c = {present, wdf, 0, 0};
	(void)each_leaf(p, root, count_words, &c); /* count_words cannot fail */
	*hits = c.hits;
	/* Two words can share a position: the parts of a compound are
	 * indexed where it stands ("23" and "1732" in "23-1732", analyze.h),
	 * so summing their wdf could count one occurrence twice when one of
	 * them is a part.  Then only their positions can tell
	 * (qeval_terms_positions), and p->ev.cidx keeps which words were
	 * counted until then. */
	p->ev.ncidx = c.words;
	for (size_t i = 0; i < c.words; i++)
		p->ev.counted[p->ev.cidx[i]] = 0;
	int part = 0;
	for (size_t i = 0; c.words > 1 && i < c.words && !part; i++)
		if ((rc = qplan_term_is_part(p, p->ev.cidx[i], &part)) != 0)
			return rc;
	return part ? 2 : 0;
}

int qeval_terms_positions(query_plan *p, shim_docview *v, uint64_t *hits)
{
	size_t n = 0;
	int rc = 0;
	for (size_t k = 0; k < p->ev.ncidx && rc == 0; k++) {
		const char *t = p->fterms[p->ev.cidx[k]];
		const uint32_t *pos;
		size_t np;
		rc = shim_docview_positions(v, t, strlen(t), &pos, &np);
		if (rc == 0 && np)
			rc = grow((void **)&p->ev.upos, &p->ev.capupos, n + np,
				  sizeof *p->ev.upos);
		if (rc == 0 && np) {
			memcpy(p->ev.upos + n, pos, np * sizeof *pos);
			n += np;
		}
	}
	if (rc)
		return rc;
	*hits = sort_unique(p->ev.upos, n);
	return 0;
}
