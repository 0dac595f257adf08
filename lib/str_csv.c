/*
 * str_csv.c — a search term report as CSV (RFC 4180, UTF-8, CRLF): the
 * main table, one row per search string, then the totals as rows of the
 * same columns (the first column tells them apart: "string" or "total").
 * The overlap matrix is left to JSON, XLSX and HTML: a second table in the
 * same file would break the readers that expect one.  Percentages are
 * numbers of percent with two decimals ("12.50").
 */
#include <string.h>

#include "csv.h"
#include "error.h"
#include "str.h"

static void field(FILE *f, const char *s)
{
	csv_field(f, s, strlen(s));
}

static void num(FILE *f, uint64_t v)
{
	fprintf(f, ",%llu", (unsigned long long)v);
}

static void pct(FILE *f, uint64_t part, uint64_t whole)
{
	fprintf(f, ",%.2f", str_pct(part, whole));
}

/* A totals row: its label, documents and family documents (with their
 * percentages of the set); the other columns empty. */
static void total(FILE *f, const str_report *r, const char *label,
		  uint64_t docs, uint64_t passages, int with_passages,
		  uint64_t family, int with_family)
{
	fputs("total,", f);
	field(f, label);
	fputs(",", f);
	num(f, docs);
	pct(f, docs, r->set_documents);
	if (with_passages) {
		num(f, passages);
		pct(f, passages, r->set_passages);
	} else {
		fputs(",,", f);
	}
	fputs(",,,", f);
	if (with_family) {
		num(f, family);
		pct(f, family, r->set_documents);
	} else {
		fputs(",,", f);
	}
	fputs(",,\r\n", f);
}

int str_csv_write(FILE *f, const str_report *r)
{
	fputs("row,label,query,documents,documents_pct,passages,passages_pct,hits,"
	      "unique_documents,unique_documents_pct,documents_with_family,"
	      "documents_with_family_pct,error,error_column\r\n", f);
	for (size_t i = 0; i < r->terms->n; i++) {
		const str_string *s = &r->terms->s[i];
		fputs("string,", f);
		field(f, s->label);
		fputc(',', f);
		field(f, s->query);
		if (s->error) {
			fputs(",,,,,,,,,,", f);
			field(f, s->error);
			fprintf(f, ",%d\r\n", s->error_column);
			continue;
		}
		num(f, s->documents);
		pct(f, s->documents, r->set_documents);
		num(f, s->passages);
		pct(f, s->passages, r->set_passages);
		num(f, s->hits);
		num(f, s->unique);
		pct(f, s->unique, r->set_documents);
		num(f, s->family);
		pct(f, s->family, r->set_documents);
		fputs(",,\r\n", f);
	}
	total(f, r, "searchable set", r->set_documents, r->set_passages, 1, 0, 0);
	total(f, r, "hit by at least one string", r->hit_documents, 0, 0,
	      r->hit_family, 1);
	total(f, r, "hit by no string", r->set_documents - r->hit_documents, 0, 0,
	      r->set_documents - r->hit_family, 1);
	fflush(f);
	return ferror(f) ? error_set(DICTA_EIO, "cannot write the report") : 0;
}
