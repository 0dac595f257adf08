/*
 * str_json.c — a search term report as one JSON object (through jansson):
 * its parameters, the searchable set, the totals, every string with its
 * counts (or its error), the overlap matrix and the lines skipped.  The
 * members are listed in docs/search-term-reports.md.
 */
#include "error.h"
#include "str.h"

#include <jansson.h>

static int put(json_t *o, const char *key, json_t *v)
{
	return v ? json_object_set_new(o, key, v) : -1;
}

static json_t *pct(uint64_t part, uint64_t whole)
{
	return json_real((double)(int64_t)(str_pct(part, whole) * 10000.0 + 0.5) / 10000.0);
}

static json_t *count(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *string_json(const str_report *r, const str_string *s)
{
	json_t *o = json_object();
	int bad = !o || put(o, "line", json_integer(s->line)) ||
		  put(o, "label", json_string(s->label)) ||
		  put(o, "query", json_string(s->query));
	if (!bad && s->error) {
		bad = put(o, "error", json_string(s->error)) ||
		      put(o, "error_column", json_integer(s->error_column));
	} else if (!bad) {
		bad = put(o, "documents", count(s->documents)) ||
		      put(o, "documents_pct", pct(s->documents, r->set_documents)) ||
		      put(o, "passages", count(s->passages)) ||
		      put(o, "passages_pct", pct(s->passages, r->set_passages)) ||
		      put(o, "hits", count(s->hits)) ||
		      put(o, "unique_documents", count(s->unique)) ||
		      put(o, "unique_documents_pct", pct(s->unique, r->set_documents)) ||
		      put(o, "documents_with_family", count(s->family)) ||
		      put(o, "documents_with_family_pct", pct(s->family, r->set_documents));
		if (!bad && s->truncated)
			bad = put(o, "hits_lower_bound", json_true());
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *report_json(const str_report *r)
{
	size_t n = r->terms->n;
	json_t *o = json_object(), *set = json_object(), *tot = json_object(),
	       *strings = json_array(), *ov = json_object(), *labels = json_array(),
	       *matrix = json_array(), *skipped = json_array();
	int bad = !o || !set || !tot || !strings || !ov || !labels || !matrix ||
		  !skipped;
	if (!bad)
		bad = put(o, "report", json_string("search term report")) ||
		      put(o, "dicta_version", json_string(DICTA_VERSION)) ||
		      put(o, "index", json_string(r->index_path)) ||
		      put(o, "terms_file", json_string(r->terms_path)) ||
		      put(o, "within", *r->within ? json_string(r->within) : json_null()) ||
		      put(o, "created", json_string(r->created)) ||
		      put(o, "seconds", json_real(r->seconds)) ||
		      put(set, "documents", count(r->set_documents)) ||
		      put(set, "passages", count(r->set_passages)) ||
		      put(tot, "strings", json_integer((json_int_t)n)) ||
		      put(tot, "strings_failed", json_integer((json_int_t)r->failed)) ||
		      put(tot, "documents_with_hits", count(r->hit_documents)) ||
		      put(tot, "documents_with_hits_pct", pct(r->hit_documents, r->set_documents)) ||
		      put(tot, "documents_with_hits_including_family", count(r->hit_family)) ||
		      put(tot, "documents_with_hits_including_family_pct",
			  pct(r->hit_family, r->set_documents)) ||
		      put(tot, "documents_without_hits",
			  count(r->set_documents - r->hit_documents)) ||
		      put(tot, "documents_without_hits_pct",
			  pct(r->set_documents - r->hit_documents, r->set_documents)) ||
		      put(tot, "documents_without_hits_including_family",
			  count(r->set_documents - r->hit_family)) ||
		      put(tot, "documents_without_hits_including_family_pct",
			  pct(r->set_documents - r->hit_family, r->set_documents));
	for (size_t i = 0; !bad && i < n; i++) {
		const str_string *s = &r->terms->s[i];
		bad = json_array_append_new(strings, string_json(r, s)) ||
		      json_array_append_new(labels, json_string(s->label));
		json_t *row = json_array();
		for (size_t j = 0; row && j < n; j++)
			bad |= json_array_append_new(row, count(str_overlap(r, i, j))) != 0;
		bad |= json_array_append_new(matrix, row) != 0; /* takes row */
	}
	for (size_t i = 0; !bad && i < r->terms->nskips; i++) {
		json_t *k = json_object();
		bad = !k || put(k, "line", json_integer(r->terms->skips[i].line)) ||
		      put(k, "reason", json_string(r->terms->skips[i].reason)) ||
		      json_array_append_new(skipped, k);
	}
	if (!bad) {
		bad = put(ov, "labels", labels) || put(ov, "documents", matrix);
		labels = matrix = NULL;
	}
	if (!bad) {
		bad = put(o, "searchable_set", set) || put(o, "totals", tot) ||
		      put(o, "strings", strings) || put(o, "overlap", ov) ||
		      put(o, "skipped_lines", skipped);
		set = tot = strings = ov = skipped = NULL;
	}
	json_decref(set);
	json_decref(tot);
	json_decref(strings);
	json_decref(ov);
	json_decref(labels);
	json_decref(matrix);
	json_decref(skipped);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int str_json_write(FILE *f, const str_report *r)
{
	json_t *o = report_json(r);
	if (!o)
		return error_set(DICTA_ENOMEM, "out of memory writing JSON");
	int rc = json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(o);
	if (rc == 0)
		fputc('\n', f);
	fflush(f);
	return rc || ferror(f) ? error_set(DICTA_EIO, "cannot write the report") : 0;
}
