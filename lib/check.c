/*
 * check.c — dicta_index_check(): verify that an index is consistent, as
 * docs/index-format.md describes it.  Every passage names a parent that has
 * a record; every record inflates, and its passages are exactly ordinals
 * 0..n-1 with byte ranges inside its text and the parent term on each; the
 * stored counts agree with what is there.  Called by `dicta-index --check`.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "index_internal.h"
#include "strset.h"

typedef struct {
	const char *parent; /* interned in the strset */
	uint32_t ordinal;
	uint32_t end;       /* end byte */
	unsigned docid;
} pinfo;

typedef struct {
	dicta_index *idx;
	void (*on_problem)(const char *msg, void *payload);
	void *payload;
	dicta_check_stats *st;
	strset *parents;
	pinfo *ps;
	size_t n, cap;
	int rc;
} check_state;

static void problem(check_state *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void problem(check_state *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->st->problems++;
	if (c->on_problem)
		c->on_problem(msg, c->payload);
}

static int on_passage(unsigned docid, void *payload)
{
	check_state *c = payload;
	char *parent = NULL, *ord = NULL, *range = NULL;
	size_t pl, ol, rl;
	int rc = shim_db_get_value(c->idx->db, docid, SLOT_PARENT, &parent, &pl);
	if (rc == 0)
		rc = shim_db_get_value(c->idx->db, docid, SLOT_ORDINAL, &ord, &ol);
	if (rc == 0)
		rc = shim_db_get_value(c->idx->db, docid, SLOT_RANGE, &range, &rl);
	if (rc) {
		c->rc = rc;
		goto out;
	}
	c->st->passages++;
	if (pl == 0 || ol != 4 || rl != 16) {
		problem(c, "passage %u: missing parent, ordinal or range value", docid);
		goto out;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4096;
		pinfo *p = realloc(c->ps, cap * sizeof *p);
		if (!p) {
			c->rc = error_set(DICTA_ENOMEM, "out of memory");
			goto out;
		}
		c->ps = p;
		c->cap = cap;
	}
	const char *interned;
	if (strset_add(c->parents, parent, pl, &interned) < 0) {
		c->rc = error_set(DICTA_ENOMEM, "out of memory");
		goto out;
	}
	c->ps[c->n++] = (pinfo){interned, store_get_u32(ord), store_get_u32(range + 4), docid};
out:
	free(parent);
	free(ord);
	free(range);
	return c->rc != 0;
}

static int by_parent_then_ordinal(const void *a, const void *b)
{
	const pinfo *x = a, *y = b;
	int c = strcmp(x->parent, y->parent);
	if (c)
		return c;
	return x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal;
}

/* Check one document's record against its passages ps[0, n). */
static void check_document(check_state *c, const pinfo *ps, size_t n)
{
	const char *id = ps[0].parent;
	store_record r;
	int rc = document_load(c->idx, id, &r, 1);
	if (rc == DICTA_ENOTFOUND) {
		problem(c, "document \"%s\": %zu passages but no stored record", id, n);
		return;
	}
	if (rc == DICTA_EMODIFIED) {
		c->rc = rc;
		return;
	}
	if (rc) {
		problem(c, "document \"%s\": record unreadable: %s", id, dicta_error_last());
		return;
	}
	c->st->documents++;
	if (r.npassages != n)
		problem(c, "document \"%s\": record says %u passages, index has %zu", id,
			r.npassages, n);
	for (size_t i = 0; i < n; i++) {
		if (ps[i].ordinal != i) {
			problem(c, "document \"%s\": passage ordinals not 0..%zu (found %u at %zu)",
				id, n - 1, ps[i].ordinal, i);
			break;
		}
		if (ps[i].end > r.text_len)
			problem(c, "document \"%s\": passage %u ends at byte %u, text has %zu",
				id, ps[i].ordinal, ps[i].end, r.text_len);
	}
	char term[STORE_MAX_TERM + 1];
	size_t tl = store_id_term(term, PREFIX_ID, id);
	uint64_t tf = 0;
	if (shim_db_termfreq(c->idx->db, term, tl, &tf) == 0 && tf != n)
		problem(c, "document \"%s\": %llu passages carry its id term, %zu name it parent",
			id, (unsigned long long)tf, n);
	store_record_clear(&r);
}

typedef struct {
	check_state *c;
	uint64_t records;
} record_count;

static int on_record(const char *term, size_t len, void *payload)
{
	(void)term;
	(void)len;
	((record_count *)payload)->records++;
	return 0;
}

static int check_once(dicta_check_stats *out, dicta_index *idx,
		      void (*on_problem)(const char *msg, void *payload),
		      void *payload);

/* A writer committing while we read changes the snapshot under us
 * (DICTA_EMODIFIED): start again on the new one, a few times. */
int dicta_index_check(dicta_check_stats *out, dicta_index *idx,
		      void (*on_problem)(const char *msg, void *payload),
		      void *payload)
{
	int rc = DICTA_EMODIFIED;
	for (int attempt = 0; attempt < 5 && rc == DICTA_EMODIFIED; attempt++) {
		if (attempt && (rc = index_reopen(idx)) != 0)
			break;
		rc = check_once(out, idx, on_problem, payload);
	}
	return rc;
}

static int check_once(dicta_check_stats *out, dicta_index *idx,
		      void (*on_problem)(const char *msg, void *payload),
		      void *payload)
{
	memset(out, 0, sizeof *out);
	check_state c = {idx, on_problem, payload, out, strset_new(), NULL, 0, 0, 0};
	if (!c.parents)
		return error_set(DICTA_ENOMEM, "out of memory");
	int rc = shim_db_all_docids(idx->db, on_passage, &c);
	if (rc == 0)
		rc = c.rc;
	if (rc == 0 && c.n)
		qsort(c.ps, c.n, sizeof *c.ps, by_parent_then_ordinal);
	for (size_t i = 0; rc == 0 && c.rc == 0 && i < c.n;) {
		size_t j = i;
		while (j < c.n && c.ps[j].parent == c.ps[i].parent)
			j++;
		check_document(&c, c.ps + i, j - i);
		i = j;
	}
	if (rc == 0)
		rc = c.rc;
	record_count rcnt = {&c, 0};
	if (rc == 0)
		rc = shim_db_allterms(idx->db, PREFIX_RECORD, on_record, &rcnt);
	if (rc == 0) {
		if (rcnt.records != out->documents)
			problem(&c, "%llu document records, but %llu documents have passages",
				(unsigned long long)rcnt.records,
				(unsigned long long)out->documents);
		if (idx->documents != out->documents)
			problem(&c, "the index says it holds %llu documents, found %llu",
				(unsigned long long)idx->documents,
				(unsigned long long)out->documents);
	}
	free(c.ps);
	strset_free(c.parents);
	if (rc)
		return rc;
	if (out->problems)
		return error_set(DICTA_ECORRUPT, "%llu problems found",
				 (unsigned long long)out->problems);
	return 0;
}
