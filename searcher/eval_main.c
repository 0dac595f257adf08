/*
 * dicta-eval — score a TREC run against relevance judgments, as trec_eval
 * does (lib/eval.c; the rules are in docs/evaluation.md).  It parses
 * arguments and prints; reading and measuring are in the library.
 * Exit status: 0 done (skipped lines are listed), 2 a usage error, files
 * that cannot be read, or no query both judged and in the run.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dicta.h"
#include "eval.h"

static const char usage[] =
	"usage: dicta-eval [options] QRELS RUN\n"
	"\n"
	"Score the TREC run RUN (\"qid Q0 docid rank score tag\" lines) against the\n"
	"relevance judgments QRELS (TREC \"qid 0 docid rel\" or BEIR TSV \"query-id\n"
	"corpus-id score\") exactly as trec_eval does: MAP, P@5, P@10, nDCG@10,\n"
	"nDCG@20, R@100, R@1000 and MRR, averaged over the queries both judged and\n"
	"in the run.  Documents are ranked by score, ties by id descending.\n"
	"\n"
	"  -q, --per-query        also print each query's measures\n"
	"  -c, --complete         average over every judged query, those missing\n"
	"                         from the run counting 0 (trec_eval -c)\n"
	"  -f, --format trec|json trec: trec_eval's lines (default); json: one object\n"
	"  -h, --help             this help\n"
	"\n"
	"Exit status: 0 done, 2 usage error, unreadable input, or no query both\n"
	"judged and in the run.\n";

static void on_skip(const char *path, long line, const char *reason, void *payload)
{
	(void)payload;
	fprintf(stderr, "%s:%ld: %s (skipped)\n", path, line, reason);
}

static json_t *query_json(const eval_query *q)
{
	json_t *o = json_object();
	for (int m = 0; o && m < EVAL_NMEASURES; m++)
		json_object_set_new(o, eval_measure_name((eval_measure)m), json_real(q->v[m]));
	if (o) {
		json_object_set_new(o, "num_ret", json_integer((json_int_t)q->num_ret));
		json_object_set_new(o, "num_rel", json_integer((json_int_t)q->num_rel));
		json_object_set_new(o, "num_rel_ret", json_integer((json_int_t)q->num_rel_ret));
	}
	return o;
}

static int print_json(const eval_result *ev, int per_query)
{
	json_t *all = json_object();
	for (int m = 0; all && m < EVAL_NMEASURES; m++)
		json_object_set_new(all, eval_measure_name((eval_measure)m), json_real(ev->mean[m]));
	json_t *top = json_pack("{sI sI sI sI so}", "num_q", (json_int_t)ev->num_queries,
				"num_ret", (json_int_t)ev->num_ret, "num_rel",
				(json_int_t)ev->num_rel, "num_rel_ret",
				(json_int_t)ev->num_rel_ret, "all", all);
	if (top && per_query) {
		json_t *qs = json_object();
		for (size_t i = 0; qs && i < ev->n; i++)
			json_object_set_new(qs, ev->q[i].qid, query_json(&ev->q[i]));
		json_object_set_new(top, "queries", qs);
	}
	char *s = top ? json_dumps(top, JSON_INDENT(2) | JSON_REAL_PRECISION(6)) : NULL;
	json_decref(top);
	if (!s)
		return -1;
	puts(s);
	free(s);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"per-query", no_argument, 0, 'q'},
		{"complete", no_argument, 0, 'c'},
		{"format", required_argument, 0, 'f'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	int per_query = 0, complete = 0, c;
	const char *format = "trec";
	while ((c = getopt_long(argc, argv, "qcf:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'q': per_query = 1; break;
		case 'c': complete = 1; break;
		case 'f': format = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (strcmp(format, "trec") && strcmp(format, "json")) {
		fprintf(stderr, "dicta-eval: unknown --format \"%s\" (use trec or json)\n", format);
		return 2;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "dicta-eval: give the judgments and the run\n%s", usage);
		return 2;
	}
	eval_qrels *qrels = NULL;
	eval_run *run = NULL;
	eval_result ev;
	if (eval_qrels_read(&qrels, argv[optind], on_skip, NULL) != 0 ||
	    eval_run_read(&run, argv[optind + 1], on_skip, NULL) != 0 ||
	    eval_compute(&ev, qrels, run, complete) != 0) {
		fprintf(stderr, "dicta-eval: %s\n", dicta_error_last());
		eval_run_free(run);
		eval_qrels_free(qrels);
		return 2;
	}
	int rc = 0;
	if (!strcmp(format, "json"))
		rc = print_json(&ev, per_query);
	else
		eval_print_trec(stdout, &ev, per_query);
	if (ev.run_only)
		fprintf(stderr, "dicta-eval: %zu quer%s of the run %s no judgments and %s not counted\n",
			ev.run_only, ev.run_only == 1 ? "y" : "ies",
			ev.run_only == 1 ? "has" : "have", ev.run_only == 1 ? "is" : "are");
	eval_result_free(&ev);
	eval_run_free(run);
	eval_qrels_free(qrels);
	if (rc || fflush(stdout) != 0) {
		fprintf(stderr, "dicta-eval: cannot write the measures\n");
		return 2;
	}
	return 0;
}
