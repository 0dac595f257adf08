/*
 * report_jsonl.c — a batch run as JSON Lines: one object per query, the
 * object single search prints (format.c, docs/search-output.md) with the
 * query's id in front, and judgments and measures when there are any:
 *
 *   {"query_id":"q1","query":"...","searched":"...","estimated_matches":9,
 *    "results":[{"rank":1,"id":...,"relevance":1,...}],
 *    "metrics":{"map":0.5,"P_5":0.2,...}}
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "format.h"
#include "report.h"

static json_t *metrics_json(const eval_query *m)
{
	json_t *o = json_object();
	for (int i = 0; o && i < EVAL_NMEASURES; i++)
		json_object_set_new(o, eval_measure_name((eval_measure)i), json_real(m->v[i]));
	if (o) {
		json_object_set_new(o, "num_ret", json_integer((json_int_t)m->num_ret));
		json_object_set_new(o, "num_rel", json_integer((json_int_t)m->num_rel));
		json_object_set_new(o, "num_rel_ret", json_integer((json_int_t)m->num_rel_ret));
	}
	return o;
}

int report_jsonl_query(FILE *f, const batch_outcome *o, const eval_query *m,
		       const report_options *ro)
{
	json_t *top = json_object();
	int failed = !top;
	if (top) {
		failed |= json_object_set_new(top, "query_id", json_string(o->query->id));
		failed |= json_object_set_new(top, "query", json_string(o->query->text));
		if (strcmp(o->searched, o->query->text) != 0)
			failed |= json_object_set_new(top, "searched", json_string(o->searched));
	}
	if (!failed && o->res) {
		json_t *r = format_results_json(o->res);
		json_t *results = r ? json_object_get(r, "results") : NULL;
		failed = !r || json_object_set(top, "estimated_matches",
					       json_object_get(r, "estimated_matches")) ||
			 !results;
		for (size_t i = 0; !failed && ro->qrels && i < json_array_size(results); i++) {
			const dicta_hit *h = dicta_results_get(o->res, i);
			char *id = report_result_id(h, ro->unit);
			int judged = 0, rel = id ? eval_qrels_get(ro->qrels, o->query->id, id, &judged) : 0;
			free(id);
			failed = json_object_set_new(json_array_get(results, i), "relevance",
						     judged ? json_integer(rel) : json_null());
		}
		if (!failed)
			failed = json_object_set(top, "results", results);
		json_decref(r);
	} else if (!failed) {
		failed |= json_object_set_new(top, "error", json_string(o->error));
		failed |= json_object_set_new(top, "results", json_array());
	}
	if (!failed && m)
		failed = json_object_set_new(top, "metrics", metrics_json(m));
	char *s = failed ? NULL : json_dumps(top, JSON_COMPACT);
	json_decref(top);
	if (!s)
		return error_set(DICTA_ENOMEM, "cannot write the query's results as JSON");
	fputs(s, f);
	fputc('\n', f);
	free(s);
	return ferror(f) ? error_set(DICTA_EIO, "cannot write the results") : 0;
}
