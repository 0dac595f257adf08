/*
 * test_str.c — search term reports.  The fixture (tests/data/str/docs.jsonl,
 * e-mails with attachments sharing a family, a memo and a contract of
 * several passages) is indexed, and every count of a report — documents,
 * passages, hits, unique documents, families, the totals and the overlap
 * matrix — is checked against a brute-force count made here from the
 * fixture's own text: lowercase words, sentences cut at ". X", passages
 * as the index cut them (dicta_document_passage), families from the
 * fixture.  Then the terms file's lines, a string that does not parse,
 * --within, and the command line in every format, as a person would run
 * it.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dicta.h"
#include "str.h"

#define FIXTURE "tests/data/str/docs.jsonl"
#define MAXDOCS 32
#define MAXPASS 8

/* ------------------------------------------------------------ fixture */

typedef struct {
	char *id, *date, *type, *custodian, *family, *text;
	size_t npass;
	dicta_span pass[MAXPASS];
} fdoc;

static fdoc docs[MAXDOCS];
static size_t ndocs;
static char *tmp;
static dicta_index *idx;

static char *member(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static void load_fixture(void)
{
	json_error_t err;
	FILE *f = fopen(FIXTURE, "r");
	cr_assert_not_null(f);
	char line[8192];
	ndocs = 0;
	while (fgets(line, sizeof line, f)) {
		json_t *o = json_loads(line, 0, &err);
		cr_assert_not_null(o, "%s", err.text);
		cr_assert_lt(ndocs, MAXDOCS);
		fdoc *d = &docs[ndocs++];
		d->id = member(o, "id");
		d->date = member(o, "date");
		d->type = member(o, "type");
		d->custodian = member(o, "custodian");
		d->family = member(o, "family");
		d->text = member(o, "text");
		json_decref(o);
	}
	fclose(f);
}

static void build(void)
{
	load_fixture();
	tmp = cli_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/idx", tmp);
	dicta_index *w;
	cr_assert_eq(dicta_index_open(&w, path, DICTA_OPEN_WRITE), 0, "%s", dicta_error_last());
	dicta_ingest_options o;
	dicta_ingest_options_init(&o);
	dicta_ingest_stats st = {0};
	cr_assert_eq(dicta_index_add_path(w, FIXTURE, &o, &st), 0, "%s", dicta_error_last());
	cr_assert_eq(dicta_index_commit(w), 0, "%s", dicta_error_last());
	cr_assert_eq(st.documents, ndocs);
	dicta_index_free(w);
	cr_assert_eq(dicta_index_open(&idx, path, DICTA_OPEN_READ), 0, "%s", dicta_error_last());
	int multi = 0;
	for (size_t i = 0; i < ndocs; i++) {
		fdoc *d = &docs[i];
		cr_assert_eq(dicta_document_passages(&d->npass, idx, d->id), 0, "%s", d->id);
		cr_assert_leq(d->npass, MAXPASS);
		multi += d->npass > 1;
		for (size_t k = 0; k < d->npass; k++)
			cr_assert_eq(dicta_document_passage(&d->pass[k], idx, d->id, k), 0);
	}
	cr_assert_geq(multi, 2, "the fixture needs documents of several passages");
}

static void drop(void)
{
	dicta_index_free(idx);
	cli_tmpdir_remove(tmp);
	for (size_t i = 0; i < ndocs; i++) {
		fdoc *d = &docs[i];
		free(d->id);
		free(d->date);
		free(d->type);
		free(d->custodian);
		free(d->family);
		free(d->text);
	}
}

/* ------------------------------------------------- brute-force counting */

#define MAXTOK 512

typedef struct {
	char w[MAXTOK][32];
	int sent[MAXTOK];
	size_t n;
} tokens;

/* The words of text[a, b), lowercased, with their sentence numbers: a
 * sentence ends at . ! or ? before a capital, and at a blank line. */
static void tokenize(tokens *t, const char *text, size_t a, size_t b)
{
	t->n = 0;
	int sent = 0, end = 0, newlines = 0;
	for (size_t i = a; i < b;) {
		unsigned char c = (unsigned char)text[i];
		if (!isalpha(c)) {
			if (c == '.' || c == '!' || c == '?')
				end = 1;
			if (c == '\n' && ++newlines == 2)
				end = 2;
			i++;
			continue;
		}
		if ((end == 1 && isupper(c)) || end == 2)
			sent++;
		end = newlines = 0;
		size_t k = 0;
		cr_assert_lt(t->n, MAXTOK);
		while (i < b && isalpha((unsigned char)text[i])) {
			cr_assert_lt(k, 31);
			t->w[t->n][k++] = (char)tolower((unsigned char)text[i++]);
		}
		t->w[t->n][k] = '\0';
		t->sent[t->n++] = sent;
	}
}

static int is_form(const char *w, const char *const *forms)
{
	for (; forms && *forms; forms++)
		if (!strcmp(w, *forms))
			return 1;
	return 0;
}

typedef enum { K_WORDS, K_PHRASE, K_NEAR, K_SENTENCE, K_ANDNOT, K_FIELD, K_ORAND } kind;

/* A search string and how to count it by hand: the forms of its words
 * (the word and its stem-mates in the fixture) and what joins them. */
typedef struct {
	const char *label, *query;
	kind k;
	const char *a[6], *b[6];
	int dist;
	const char *c[6]; /* K_ORAND: a OR (b AND c) */
	int fast;         /* counted by the fast count (no positions needed) */
} spec;

static const spec specs[] = {
	{"demurrage", "demurrage", K_WORDS, {"demurrage"}, {0}, 0, {0}, 1},
	{"Shipping docs", "\"bill of lading\"", K_PHRASE, {"bill", "of", "lading"}, {0}, 0, {0}, 0},
	{"escrow /3 account", "escrow /3 account", K_NEAR, {"escrow"}, {"account", "accounts"}, 3,
	 {0}, 0},
	{"wire /s transfer", "wire /s transfer", K_SENTENCE, {"wire"},
	 {"transfer", "transfers", "transferred"}, 0, {0}, 0},
	{"audit OR ledger", "audit OR ledger", K_WORDS, {"audit"}, {"ledger"}, 0, {0}, 1},
	{"invoice AND NOT draft", "invoice AND NOT draft", K_ANDNOT, {"invoice", "invoices"},
	 {"draft"}, 0, {0}, 1},
	{"charter vessel", "charter vessel", K_WORDS, {"charter", "chartered", "charterers"},
	 {"vessel", "vessels"}, 0, {0}, 1},
	{"Okafor", "custodian:okafor", K_FIELD, {"okafor"}, {0}, 0, {0}, 1},
	{"shipment", "shipment", K_WORDS, {"shipment", "shipments"}, {0}, 0, {0}, 1},
	/* Two words of one stem: each occurrence is one hit, not two. */
	{"vessel vessels", "vessel vessels", K_WORDS, {"vessel", "vessels"}, {0}, 0, {0}, 1},
	/* A passage with ledger and escrow but no wire (e2): escrow did
	 * not satisfy the string and is no hit there. */
	{"ledger OR (escrow AND wire)", "ledger OR (escrow AND wire)", K_ORAND, {"ledger"},
	 {"escrow"}, 0, {"wire"}, 1},
};
#define NSPECS (sizeof specs / sizeof *specs)

/* Does passage p of document d match spec s, and with how many hits? */
static int brute_passage(const spec *s, const fdoc *d, size_t p, uint64_t *hits)
{
	tokens *t = malloc(sizeof *t);
	tokenize(t, d->text, d->pass[p].start, d->pass[p].end);
	uint64_t h = 0;
	int m = 0;
	switch (s->k) {
	case K_WORDS:
		for (size_t i = 0; i < t->n; i++)
			h += is_form(t->w[i], s->a) || is_form(t->w[i], s->b);
		m = h > 0;
		break;
	case K_PHRASE: {
		size_t len = 0;
		while (s->a[len])
			len++;
		for (size_t i = 0; i + len <= t->n; i++) {
			size_t j = 0;
			while (j < len && !strcmp(t->w[i + j], s->a[j]))
				j++;
			h += j == len;
		}
		m = h > 0;
		break;
	}
	case K_NEAR:
	case K_SENTENCE:
		/* The two sides are different words: a pair of positions is a
		 * span of its own. */
		for (size_t i = 0; i < t->n; i++)
			for (size_t j = 0; j < t->n; j++) {
				if (!is_form(t->w[i], s->a) || !is_form(t->w[j], s->b))
					continue;
				size_t gap = i > j ? i - j : j - i;
				h += s->k == K_NEAR ? gap <= (size_t)s->dist
						    : t->sent[i] == t->sent[j];
			}
		m = h > 0;
		break;
	case K_ANDNOT: {
		int neg = 0;
		for (size_t i = 0; i < t->n; i++) {
			h += is_form(t->w[i], s->a);
			neg |= is_form(t->w[i], s->b);
		}
		m = h > 0 && !neg;
		if (!m)
			h = 0;
		break;
	}
	case K_ORAND: {
		uint64_t ha = 0, hb = 0, hc = 0;
		for (size_t i = 0; i < t->n; i++) {
			ha += is_form(t->w[i], s->a);
			hb += is_form(t->w[i], s->b);
			hc += is_form(t->w[i], s->c);
		}
		int both = hb > 0 && hc > 0;
		m = ha > 0 || both;
		h = ha + (both ? hb + hc : 0);
		break;
	}
	case K_FIELD: {
		char v[64];
		snprintf(v, sizeof v, "%s", d->custodian ? d->custodian : "");
		for (char *c = v; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		m = !strcmp(v, s->a[0]);
		break;
	}
	}
	free(t);
	*hits = m ? h : 0;
	return m;
}

typedef struct {
	uint64_t documents, passages, hits, unique, family;
	int hit[MAXDOCS];
} expect_row;

typedef struct {
	expect_row row[NSPECS];
	int in_set[MAXDOCS];
	uint64_t set_docs, set_passages, hit_docs, hit_family;
	uint64_t overlap[NSPECS][NSPECS];
} expect;

static int same_family(const fdoc *a, const fdoc *b)
{
	if (a == b)
		return 1;
	return a->family && b->family && !strcmp(a->family, b->family);
}

/* Everything a report over the documents for which in_set() holds must
 * say, counted by hand. */
static void brute(expect *e, int (*in_set)(const fdoc *))
{
	memset(e, 0, sizeof *e);
	for (size_t d = 0; d < ndocs; d++) {
		e->in_set[d] = in_set(&docs[d]);
		if (e->in_set[d]) {
			e->set_docs++;
			e->set_passages += docs[d].npass;
		}
	}
	for (size_t s = 0; s < NSPECS; s++) {
		expect_row *r = &e->row[s];
		for (size_t d = 0; d < ndocs; d++) {
			if (!e->in_set[d])
				continue;
			for (size_t p = 0; p < docs[d].npass; p++) {
				uint64_t h;
				if (brute_passage(&specs[s], &docs[d], p, &h)) {
					r->passages++;
					r->hits += h;
					r->hit[d] = 1;
				}
			}
			r->documents += r->hit[d];
		}
		for (size_t d = 0; d < ndocs; d++) {
			int fam = 0;
			for (size_t o = 0; o < ndocs && e->in_set[d]; o++)
				fam |= r->hit[o] && same_family(&docs[d], &docs[o]);
			r->family += fam;
		}
	}
	for (size_t d = 0; d < ndocs; d++) {
		int n = 0, last = -1;
		for (size_t s = 0; s < NSPECS; s++)
			if (e->row[s].hit[d])
				n++, last = (int)s;
		if (n == 1)
			e->row[last].unique++;
		e->hit_docs += n > 0;
	}
	for (size_t d = 0; d < ndocs; d++) {
		int fam = 0;
		for (size_t o = 0; o < ndocs && e->in_set[d]; o++)
			for (size_t s = 0; s < NSPECS; s++)
				fam |= e->row[s].hit[o] && same_family(&docs[d], &docs[o]);
		e->hit_family += fam;
	}
	for (size_t i = 0; i < NSPECS; i++)
		for (size_t j = 0; j < NSPECS; j++)
			for (size_t d = 0; d < ndocs; d++)
				e->overlap[i][j] += e->row[i].hit[d] && e->row[j].hit[d];
}

/* The terms file of the specs, with a comment, a blank line and labels
 * (a label equal to the query is left out). */
static char *terms_text(void)
{
	static char buf[4096];
	size_t n = (size_t)snprintf(buf, sizeof buf, "# the fixture's strings\n\n");
	for (size_t s = 0; s < NSPECS; s++) {
		if (!strcmp(specs[s].label, specs[s].query))
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\n", specs[s].query);
		else
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\t%s\n", specs[s].label,
					      specs[s].query);
	}
	return buf;
}

/* With fast non-zero, the strings that need no positions must have been
 * counted by the fast count; with 0 (DICTA_STR_SLOW), none. */
static void check_report(const str_report *r, const expect *e, int fast)
{
	cr_assert_eq(r->terms->n, NSPECS);
	cr_expect_eq(r->set_documents, e->set_docs, "set documents %llu, expected %llu",
		     (unsigned long long)r->set_documents, (unsigned long long)e->set_docs);
	cr_expect_eq(r->set_passages, e->set_passages, "set passages %llu, expected %llu",
		     (unsigned long long)r->set_passages, (unsigned long long)e->set_passages);
	for (size_t s = 0; s < NSPECS; s++) {
		const str_string *g = &r->terms->s[s];
		const expect_row *x = &e->row[s];
		cr_assert_str_eq(g->label, specs[s].label);
		cr_assert_null(g->error, "%s: %s", g->label, g->error);
		cr_expect_eq(g->documents, x->documents, "%s: documents %llu, expected %llu",
			     g->label, (unsigned long long)g->documents,
			     (unsigned long long)x->documents);
		cr_expect_eq(g->passages, x->passages, "%s: passages %llu, expected %llu",
			     g->label, (unsigned long long)g->passages,
			     (unsigned long long)x->passages);
		cr_expect_eq(g->hits, x->hits, "%s: hits %llu, expected %llu", g->label,
			     (unsigned long long)g->hits, (unsigned long long)x->hits);
		cr_expect_eq(g->unique, x->unique, "%s: unique %llu, expected %llu", g->label,
			     (unsigned long long)g->unique, (unsigned long long)x->unique);
		cr_expect_eq(g->family, x->family, "%s: family %llu, expected %llu", g->label,
			     (unsigned long long)g->family, (unsigned long long)x->family);
		cr_expect_eq(g->truncated, 0);
		cr_expect_eq(g->fast, fast && specs[s].fast, "%s: fast count %d", g->label,
			     g->fast);
		for (size_t j = 0; j < NSPECS; j++)
			cr_expect_eq(str_overlap(r, s, j), e->overlap[s][j],
				     "overlap %s / %s: %llu, expected %llu", g->label,
				     specs[j].label, (unsigned long long)str_overlap(r, s, j),
				     (unsigned long long)e->overlap[s][j]);
	}
	cr_expect_eq(r->hit_documents, e->hit_docs, "hit documents %llu, expected %llu",
		     (unsigned long long)r->hit_documents, (unsigned long long)e->hit_docs);
	cr_expect_eq(r->hit_family, e->hit_family, "with families %llu, expected %llu",
		     (unsigned long long)r->hit_family, (unsigned long long)e->hit_family);
	cr_expect_eq(r->failed, 0);
}

static int every_document(const fdoc *d)
{
	(void)d;
	return 1;
}

static int dated_2019(const fdoc *d)
{
	return d->date && !strncmp(d->date, "2019", 4);
}

static void run_report(str_report *r, str_terms *t, const char *text, const char *within)
{
	cr_assert_eq(str_terms_parse(t, "terms.txt", text, strlen(text), NULL, NULL), 0);
	str_options o = {"idx", "terms.txt", within, NULL, NULL};
	cr_assert_eq(str_run(r, idx, t, &o), 0, "%s", dicta_error_last());
}

TestSuite(str, .init = build, .fini = drop);

Test(str, every_count_matches_a_brute_force_count)
{
	expect *e = malloc(sizeof *e);
	brute(e, every_document);
	/* The brute force itself must see what the fixture was written for,
	 * or the comparison proves little. */
	cr_assert_eq(e->row[1].hits, 6, "\"bill of lading\" occurs 6 times");
	cr_assert_gt(e->row[0].passages, e->row[0].documents, "demurrage: several passages of one document");
	cr_assert_gt(e->row[2].hits, e->row[2].passages, "escrow /3 account: two pairs in a passage");
	cr_assert_gt(e->row[3].hits, 0);
	cr_assert_gt(e->row[8].family, e->row[8].documents, "shipment: families add documents");
	cr_assert_gt(e->row[8].unique, 0, "shipment alone hits the lunch e-mail");
	cr_assert_lt(e->hit_docs, e->hit_family);
	cr_assert_lt(e->hit_family, e->set_docs, "the office notice is hit by nothing");
	str_terms t;
	str_report r;
	run_report(&r, &t, terms_text(), NULL);
	check_report(&r, e, 1);
	/* Field-only strings count documents and passages, no hits. */
	cr_expect_eq(r.terms->s[7].hits, 0);
	cr_expect_gt(r.terms->s[7].passages, 0);
	str_report_clear(&r);
	str_terms_free(&t);
	free(e);
}

/* The brute-force count again, every string through the evaluator. */
Test(str, the_slow_path_counts_the_same)
{
	expect *e = malloc(sizeof *e);
	brute(e, every_document);
	str_terms t;
	str_report r;
	setenv("DICTA_STR_SLOW", "1", 1);
	run_report(&r, &t, terms_text(), NULL);
	unsetenv("DICTA_STR_SLOW");
	check_report(&r, e, 0);
	str_report_clear(&r);
	str_terms_free(&t);
	free(e);
}

/* Strings the brute force does not count: roots, exact words, numbers,
 * titles, nested AND, OR and NOT, exclusions, words repeated; and some
 * that need positions, for the mix. */
static const char more_strings[] =
	"ship*\n"
	"ship!\n"
	"c*r*er\n"
	"charter* -vessel\n"
	"(#shipment)\n"
	"shipment #shipments\n"
	"shipments shipment shipment\n"
	"escrow -wire\n"
	"escrow wire -draft -lunch\n"
	"invoice NOT (draft OR payment)\n"
	"(audit OR ledger) AND NOT escrow\n"
	"(ledger OR audit) AND (escrow OR wire)\n"
	"(ledger AND escrow) OR (vessel AND NOT charter)\n"
	"ledger OR (escrow AND (wire OR bank))\n"
	"ledger OR ledger\n"
	"ledger NOT ledger\n"
	"title:ledger\n"
	"title:\"bill of lading\" lading\n"
	"title:ledger -draft\n"
	"ledger -title:ledger\n"
	"custodian:okafor ledger\n"
	"custodian:okafor OR escrow\n"
	"type:email shipment\n"
	"the\n"
	"the OR of\n"
	"of AND the AND a\n"
	"escrow escrow escrow\n"
	"1732\n"
	"1732 OR 23\n"
	"23-1732 OR 1732\n"
	"inv /2 cr\n"
	"\"cites invoice inv\"\n"
	"nothingsuchword\n"
	"nothingsuchword OR ledger\n"
	"\"bill of lading\" OR ledger\n"
	"ledger /s audit\n"
	"date:2019 escrow\n";

/* Two reports of the same strings, one by the fast count and one through
 * the evaluator (DICTA_STR_SLOW=1), must be equal in every number. */
static void fast_equals_slow(const char *text, const char *within)
{
	str_terms tf, ts;
	str_report f, sl;
	run_report(&f, &tf, text, within);
	setenv("DICTA_STR_SLOW", "1", 1);
	run_report(&sl, &ts, text, within);
	unsetenv("DICTA_STR_SLOW");
	cr_assert_eq(f.terms->n, sl.terms->n);
	size_t n = f.terms->n, fast = 0;
	for (size_t i = 0; i < n; i++) {
		const str_string *a = &f.terms->s[i], *b = &sl.terms->s[i];
		cr_assert_null(a->error, "%s: %s", a->query, a->error);
		cr_expect_eq(b->fast, 0, "%s", b->query);
		fast += a->fast != 0;
		cr_expect_eq(a->documents, b->documents, "%s: documents %llu, slow %llu", a->query,
			     (unsigned long long)a->documents, (unsigned long long)b->documents);
		cr_expect_eq(a->passages, b->passages, "%s: passages %llu, slow %llu", a->query,
			     (unsigned long long)a->passages, (unsigned long long)b->passages);
		cr_expect_eq(a->hits, b->hits, "%s: hits %llu, slow %llu", a->query,
			     (unsigned long long)a->hits, (unsigned long long)b->hits);
		cr_expect_eq(a->unique, b->unique, "%s: unique", a->query);
		cr_expect_eq(a->family, b->family, "%s: family", a->query);
		cr_expect_eq(a->truncated, b->truncated, "%s: truncated", a->query);
		for (size_t j = 0; j < n; j++)
			cr_expect_eq(str_overlap(&f, i, j), str_overlap(&sl, i, j),
				     "overlap %s / %s", a->query, f.terms->s[j].query);
	}
	cr_expect_gt(fast, n / 2, "most of these strings take the fast count");
	cr_expect_lt(fast, n, "some need positions");
	cr_expect_eq(f.set_documents, sl.set_documents);
	cr_expect_eq(f.set_passages, sl.set_passages);
	cr_expect_eq(f.hit_documents, sl.hit_documents);
	cr_expect_eq(f.hit_family, sl.hit_family);
	str_report_clear(&f);
	str_report_clear(&sl);
	str_terms_free(&tf);
	str_terms_free(&ts);
}

Test(str, the_fast_count_equals_the_evaluator)
{
	static char text[8192];
	snprintf(text, sizeof text, "%s%s", terms_text(), more_strings);
	fast_equals_slow(text, NULL);
	fast_equals_slow(text, "date:2019");           /* a set by the evaluator */
	fast_equals_slow(text, "custodian:okafor");    /* a set by the fast count */
	fast_equals_slow(text, "shipment OR ledger");
	/* Spot checks that the strings do what they are meant to. */
	str_terms t;
	str_report r;
	run_report(&r, &t, "shipments shipment shipment\nshipment\nledger NOT ledger\n"
			   "escrow -wire\nescrow\nship*\nship!\n", NULL);
	cr_expect_eq(r.terms->s[0].hits, r.terms->s[1].hits, "a word repeated counts once");
	cr_expect_eq(r.terms->s[2].passages, 0);
	cr_expect_lt(r.terms->s[3].passages, r.terms->s[4].passages);
	cr_expect_gt(r.terms->s[5].hits, r.terms->s[1].hits, "ship* has shipped too");
	cr_expect_eq(r.terms->s[5].hits, r.terms->s[6].hits);
	for (size_t i = 0; i < r.terms->n; i++)
		cr_expect(r.terms->s[i].fast, "%s", r.terms->s[i].query);
	str_report_clear(&r);
	str_terms_free(&t);
}

Test(str, within_restricts_the_set_and_the_families)
{
	expect *e = malloc(sizeof *e);
	brute(e, dated_2019);
	cr_assert_eq(e->set_docs, 6, "e1, e1a, e1b, e2, e2a and r1 are of 2019");
	str_terms t;
	str_report r;
	run_report(&r, &t, terms_text(), "date:2019");
	check_report(&r, e, 1);
	cr_expect_str_eq(r.within, "date:2019");
	str_report_clear(&r);
	str_terms_free(&t);
	/* A custodian as the set: a field query restricts by document. */
	size_t okafor = 0;
	for (size_t d = 0; d < ndocs; d++)
		okafor += docs[d].custodian && !strcmp(docs[d].custodian, "Okafor");
	run_report(&r, &t, "ledger\n", "custodian:okafor");
	cr_expect_eq(r.set_documents, okafor);
	cr_expect_eq(r.terms->s[0].documents, 3, "e3, e3a and i1 mention the ledger");
	str_report_clear(&r);
	str_terms_free(&t);
	free(e);
}

Test(str, a_string_that_does_not_parse_gets_its_row)
{
	str_terms t;
	str_report r;
	run_report(&r, &t, "escrow\nbroken\tescrow /s\n(ledger OR audit\nvessel\n", NULL);
	cr_assert_eq(r.terms->n, 4);
	cr_expect_eq(r.failed, 2);
	const str_string *b = &r.terms->s[1];
	cr_assert_not_null(b->error);
	cr_expect_str_eq(b->error, "/s needs a word on both sides");
	cr_expect_eq(b->error_column, 8);
	cr_expect_eq(b->documents + b->passages + b->hits, 0);
	cr_expect_not_null(r.terms->s[2].error);
	cr_expect_eq(r.terms->s[2].error_column, 1);
	/* The others ran, and the failed ones take no part in "unique". */
	cr_expect_null(r.terms->s[0].error);
	cr_expect_gt(r.terms->s[0].documents, 0);
	cr_expect_gt(r.terms->s[3].documents, 0);
	uint64_t both = str_overlap(&r, 0, 3);
	cr_expect_eq(r.terms->s[0].unique, r.terms->s[0].documents - both);
	str_report_clear(&r);
	str_terms_free(&t);
	/* A --within that does not parse stops the report, with its column. */
	cr_assert_eq(str_terms_parse(&t, "t", "escrow\n", 7, NULL, NULL), 0);
	str_options o = {"idx", "t", "date:2019-13", NULL, NULL};
	cr_expect_eq(str_run(&r, idx, &t, &o), DICTA_EQUERY);
	cr_expect_gt(dicta_error_column(), 0);
	str_terms_free(&t);
}

/* --------------------------------------------------------- terms files */

static char skipped[4096];

static void on_skip(const char *path, long line, const char *reason, void *payload)
{
	(void)payload;
	size_t n = strlen(skipped);
	snprintf(skipped + n, sizeof skipped - n, "%s:%ld: %s\n", path, line, reason);
}

Test(str, terms_file_lines)
{
	static const char text[] =
		"\xEF\xBB\xBF# search strings for the March meet and confer\n"  /* 1 */
		"escrow /3 account\r\n"                                         /* 2 */
		"\n"                                                            /* 3 */
		"   # an indented comment\n"                                    /* 4 */
		"Lading\t  \"bill of lading\"  \n"                              /* 5 */
		"\t \t\n"                                                       /* 6 */
		"\tno label\n"                                                  /* 7 */
		"empty\t\n"                                                     /* 8 */
		"escrow /3 account\n"                                           /* 9 */
		"Lading\tlading\n"                                              /* 10 */
		"bad\xC3(utf8\n"                                                /* 11 */
		"tabs\tin\tthe query\n"                                         /* 12 */
		"(#shipped)\n";                                                 /* 13 */
	str_terms t;
	skipped[0] = '\0';
	cr_assert_eq(str_terms_parse(&t, "t.txt", text, sizeof text - 1, on_skip, NULL), 0);
	static const struct {
		long line;
		const char *label, *query;
	} want[] = {
		{2, "escrow /3 account", "escrow /3 account"},
		{5, "Lading", "\"bill of lading\""},
		{12, "tabs", "in\tthe query"},
		{13, "(#shipped)", "(#shipped)"},
	};
	cr_assert_eq(t.n, sizeof want / sizeof *want, "%zu strings; skipped:\n%s", t.n, skipped);
	for (size_t i = 0; i < t.n; i++) {
		cr_expect_eq(t.s[i].line, want[i].line);
		cr_expect_str_eq(t.s[i].label, want[i].label);
		cr_expect_str_eq(t.s[i].query, want[i].query);
	}
	cr_expect_str_eq(skipped,
			 "t.txt:7: nothing before the tab: write label<TAB>search string, "
			 "or the search string alone\n"
			 "t.txt:8: the label \"empty\" has no search string after the tab\n"
			 "t.txt:9: the same search string as line 2\n"
			 "t.txt:10: the label \"Lading\" is already used on line 5\n"
			 "t.txt:11: not valid UTF-8\n");
	cr_expect_eq(t.nskips, 5);
	cr_expect_eq(t.skips[0].line, 7);
	str_terms_free(&t);
	/* A NUL byte is a bad line, not the end of the file. */
	skipped[0] = '\0';
	cr_assert_eq(str_terms_parse(&t, "n.txt", "a\nb\0c\nd\n", 8, on_skip, NULL), 0);
	cr_expect_eq(t.n, 2);
	cr_expect_str_eq(skipped, "n.txt:2: a NUL byte in the line\n");
	str_terms_free(&t);
}

/* ------------------------------------------------------- command line */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return b;
}

Test(str, command_line_in_every_format)
{
	char *dir = cli_tmpdir();
	const char *terms = "# fixture\n"
			    "Shipping docs\t\"bill of lading\"\n"
			    "escrow /3 account\n"
			    "broken\tescrow /s\n"
			    "shipment\n";
	cli_write(dir, "terms.txt", terms, strlen(terms));
	cli_result r = cli_run("dicta-index --index %s/idx " FIXTURE, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);

	/* CSV on stdout; the failed string listed on stderr with its caret. */
	r = cli_run("dicta-search --index %s/idx --terms %s/terms.txt", dir, dir);
	cr_expect_eq(r.status, 1, "a failed string exits 1: %s", r.err);
	cr_expect(strstr(r.out, "row,label,query,documents,documents_pct,passages,") == r.out);
	cr_expect(strstr(r.out, "\r\nstring,Shipping docs,\"\"\"bill of lading\"\"\",4,"), "%s", r.out);
	cr_expect(strstr(r.out, "\r\nstring,broken,escrow /s,,,,,,,,,,/s needs a word on both sides,8\r\n"),
		  "%s", r.out);
	cr_expect(strstr(r.out, "\r\ntotal,searchable set,,16,100.00,"), "%s", r.out);
	cr_expect(strstr(r.err, "terms.txt:4: \"broken\" failed: /s needs a word on both sides\n"
				"  escrow /s\n         ^\n"), "%s", r.err);
	cr_expect(strstr(r.err, "4 search strings over 16 documents"), "%s", r.err);
	cli_result_free(&r);

	/* JSON: the same numbers as the library counts. */
	r = cli_run("dicta-search --index %s/idx --terms %s/terms.txt -f json -o %s/r.json -q",
		    dir, dir, dir);
	cr_expect_eq(r.status, 1, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	cli_result_free(&r);
	char path[600];
	size_t len;
	snprintf(path, sizeof path, "%s/r.json", dir);
	char *js = slurp(path, &len);
	json_error_t err;
	json_t *o = json_loads(js, 0, &err);
	cr_assert_not_null(o, "%s", err.text);
	json_t *strings = json_object_get(o, "strings");
	cr_assert_eq(json_array_size(strings), 4);
	json_t *lading = json_array_get(strings, 0);
	cr_expect_eq(json_integer_value(json_object_get(lading, "hits")), 6);
	cr_expect_eq(json_integer_value(json_object_get(lading, "documents")), 4);
	cr_expect_eq(json_integer_value(json_object_get(lading, "line")), 2);
	json_t *broken = json_array_get(strings, 2);
	cr_expect_eq(json_integer_value(json_object_get(broken, "error_column")), 8);
	cr_expect_null(json_object_get(broken, "documents"));
	json_t *m = json_object_get(json_object_get(o, "overlap"), "documents");
	cr_assert_eq(json_array_size(m), 4);
	cr_expect_eq(json_integer_value(json_array_get(json_array_get(m, 0), 0)), 4);
	cr_expect_eq(json_integer_value(json_array_get(json_array_get(m, 1), 3)),
		     json_integer_value(json_array_get(json_array_get(m, 3), 1)));
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(o, "searchable_set"),
							"documents")), 16);
	cr_expect(json_is_null(json_object_get(o, "within")));
	json_decref(o);
	free(js);

	/* XLSX: a zip with the three sheets; the format told from -o. */
	r = cli_run("dicta-search --index %s/idx --terms %s/terms.txt -o %s/r.xlsx -q "
		    "--within 'date:2019..'", dir, dir, dir);
	cr_expect_eq(r.status, 1, "%s", r.err);
	cli_result_free(&r);
	snprintf(path, sizeof path, "%s/r.xlsx", dir);
	char *x = slurp(path, &len);
	cr_assert_gt(len, 1000);
	cr_expect(x[0] == 'P' && x[1] == 'K' && x[2] == 3 && x[3] == 4, "not a zip file");
	free(x);
	r = cli_run("unzip -l %s/r.xlsx", dir);
	if (r.status == 0) {
		cr_expect(strstr(r.out, "xl/worksheets/sheet1.xml"), "%s", r.out);
		cr_expect(strstr(r.out, "xl/worksheets/sheet2.xml"), "%s", r.out);
		cr_expect(strstr(r.out, "xl/worksheets/sheet3.xml"), "%s", r.out);
		cli_result_free(&r);
		r = cli_run("unzip -p %s/r.xlsx xl/workbook.xml xl/sharedStrings.xml", dir);
		cr_expect(strstr(r.out, "name=\"Search terms\""), "%s", r.out);
		cr_expect(strstr(r.out, "name=\"Overlap\""));
		cr_expect(strstr(r.out, "name=\"Parameters\""));
		cr_expect(strstr(r.out, "date:2019..") && strstr(r.out, "Shipping docs"));
	} else {
		/* Without unzip, the names are stored in the clear in the zip. */
		x = slurp(path, &len);
		cr_expect(memmem(x, len, "xl/worksheets/sheet3.xml", 24));
		free(x);
	}
	cli_result_free(&r);

	/* HTML: one page, nothing fetched, the chart, table and matrix. */
	r = cli_run("dicta-search --index %s/idx --terms %s/terms.txt -f html -q --title 'Meet and confer'",
		    dir, dir);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.out, "<h1>Meet and confer</h1>"));
	cr_expect(strstr(r.out, "<svg viewBox="));
	cr_expect(strstr(r.out, "<table class=\"sortable\" id=\"str\">"));
	cr_expect(strstr(r.out, "<table class=\"overlap\">"));
	cr_expect(strstr(r.out, "escrow /s<mark class=\"col\">&nbsp;</mark>") ||
		  strstr(r.out, "escrow <mark class=\"col\">/</mark>s"), "the error's column is marked");
	cr_expect(strstr(r.out, "&quot;bill of lading&quot;"));
	cr_expect_null(strstr(r.out, "src=\"http"), "nothing fetched");
	cr_expect_null(strstr(r.out, "href=\"http"));
	cli_result_free(&r);

	/* Usage errors exit 2; a good file exits 0. */
	r = cli_run("dicta-search --index %s/idx --terms %s/terms.txt -f xlsx", dir, dir);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--format xlsx needs -o FILE.xlsx"), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx --terms %s/missing.txt", dir, dir);
	cr_expect_eq(r.status, 2);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/idx --terms %s/terms.txt --within 'date:2019-13'",
		    dir, dir);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "dicta-search: --within: "), "%s", r.err);
	cr_expect(strstr(r.err, "  date:2019-13\n"), "%s", r.err);
	cli_result_free(&r);
	r = cli_run("dicta-search --index %s/nothing --terms %s/terms.txt", dir, dir);
	cr_expect_eq(r.status, 3);
	cli_result_free(&r);
	r = cli_run("printf 'escrow\\nledger\\n' | dicta-search --index %s/idx --terms - -q", dir);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "\r\nstring,ledger,ledger,"), "%s", r.out);
	cli_result_free(&r);
	cli_tmpdir_remove(dir);
}
