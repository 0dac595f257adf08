/*
 * test_eval.c — relevance judgments, runs and the trec_eval measures
 * (lib/eval.c), checked against values worked out by hand on small
 * fixtures: ties in score, a judged query without relevant documents, a
 * query only in the run, one only in the judgments, fewer results than
 * the cut-off, graded judgments.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dicta.h"
#include "eval.h"

/* Skip reports gathered as "name:line: reason\n". */
static char skipped[4096];

static void on_skip(const char *path, long line, const char *reason, void *payload)
{
	(void)payload;
	size_t n = strlen(skipped);
	snprintf(skipped + n, sizeof skipped - n, "%s:%ld: %s\n", path, line, reason);
}

static eval_qrels *qrels_of(const char *text)
{
	eval_qrels *q = NULL;
	skipped[0] = '\0';
	cr_assert_eq(eval_qrels_parse(&q, "qrels", text, strlen(text), on_skip, NULL), 0,
		     "%s", dicta_error_last());
	return q;
}

static eval_run *run_of(const char *text)
{
	eval_run *r = NULL;
	cr_assert_eq(eval_run_parse(&r, "run", text, strlen(text), on_skip, NULL), 0,
		     "%s", dicta_error_last());
	return r;
}

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

/* q1: graded judgments, three relevant (d1 1, d3 2, d4 1), d2 judged not
 * relevant; q2: judged, nothing relevant; q3: judged, not in the run. */
static const char qrels_text[] =
	"q1 0 d1 1\n"
	"q1 0 d2 0\n"
	"q1 0 d3 2\n"
	"q1 0 d4 1\n"
	"q2 0 a 0\n"
	"q2 0 b 0\n"
	"q3 0 x 1\n";

/* q1 retrieves four documents; d1 and the unjudged d5 tie at 4.0, and
 * trec_eval puts d5 first (docid descending) whatever the rank column
 * says.  q9 has no judgments. */
static const char run_text[] =
	"q1 Q0 d2 1 5.0 t\n"
	"q1 Q0 d1 2 4.0 t\n"
	"q1 Q0 d5 3 4.0 t\n"
	"q1 Q0 d3 4 1.0 t\n"
	"q2 Q0 a 1 3.0 t\n"
	"q9 Q0 z 1 1.0 t\n";

/* By hand, q1 in trec_eval's order d2 (0), d5 (-), d1 (1), d3 (2):
 *   AP      = (1/3 + 2/4) / 3                      = 0.277777...
 *   P@5     = 2/5, P@10 = 2/10 (fewer results than the cut-off)
 *   nDCG@10 = (1/log2 4 + 2/log2 5) / (2 + 1/log2 3 + 1/log2 4)
 *           = 1.3613531 / 3.1309298                = 0.4348079...
 *   R@100   = R@1000 = 2/3,  MRR = 1/3 */
static const double q1_ap = 0.27777777777777773, q1_ndcg = 0.4348079399079101;

Test(eval, measures_of_one_query_with_a_tie_and_graded_judgments)
{
	eval_qrels *q = qrels_of(qrels_text);
	eval_run *r = run_of(run_text);
	eval_result ev;
	cr_assert_eq(eval_compute(&ev, q, r, 0), 0, "%s", dicta_error_last());
	cr_assert_eq(ev.n, 2, "q1 and q2 are both judged and run");
	const eval_query *q1 = &ev.q[0];
	cr_assert_str_eq(q1->qid, "q1");
	cr_expect(NEAR(q1->v[EVAL_MAP], q1_ap), "AP %.10f", q1->v[EVAL_MAP]);
	cr_expect(NEAR(q1->v[EVAL_P5], 0.4), "P@5 %.10f", q1->v[EVAL_P5]);
	cr_expect(NEAR(q1->v[EVAL_P10], 0.2), "P@10 %.10f", q1->v[EVAL_P10]);
	cr_expect(NEAR(q1->v[EVAL_NDCG10], q1_ndcg), "nDCG@10 %.10f", q1->v[EVAL_NDCG10]);
	cr_expect(NEAR(q1->v[EVAL_NDCG20], q1_ndcg), "nDCG@20 %.10f", q1->v[EVAL_NDCG20]);
	cr_expect(NEAR(q1->v[EVAL_R100], 2.0 / 3), "R@100 %.10f", q1->v[EVAL_R100]);
	cr_expect(NEAR(q1->v[EVAL_R1000], 2.0 / 3));
	cr_expect(NEAR(q1->v[EVAL_MRR], 1.0 / 3), "MRR %.10f", q1->v[EVAL_MRR]);
	cr_expect_eq(q1->num_ret, 4);
	cr_expect_eq(q1->num_rel, 3);
	cr_expect_eq(q1->num_rel_ret, 2);
	eval_result_free(&ev);
	eval_run_free(r);
	eval_qrels_free(q);
}

Test(eval, a_query_without_relevant_documents_scores_zero_and_counts)
{
	eval_qrels *q = qrels_of(qrels_text);
	eval_run *r = run_of(run_text);
	eval_result ev;
	cr_assert_eq(eval_compute(&ev, q, r, 0), 0);
	const eval_query *q2 = &ev.q[1];
	cr_assert_str_eq(q2->qid, "q2");
	for (int m = 0; m < EVAL_NMEASURES; m++)
		cr_expect_eq(q2->v[m], 0.0, "%s = %f", eval_measure_name(m), q2->v[m]);
	/* Averaged over q1 and q2 (trec_eval counts q2): q9 has no judgments
	 * and q3 no results, so neither is counted. */
	cr_expect_eq(ev.num_queries, 2);
	cr_expect_eq(ev.run_only, 1);
	cr_expect(NEAR(ev.mean[EVAL_MAP], q1_ap / 2), "MAP %.10f", ev.mean[EVAL_MAP]);
	cr_expect(NEAR(ev.mean[EVAL_NDCG10], q1_ndcg / 2));
	cr_expect(NEAR(ev.mean[EVAL_P5], 0.2));
	cr_expect_eq(ev.num_ret, 5);
	cr_expect_eq(ev.num_rel, 3);
	cr_expect_eq(ev.num_rel_ret, 2);
	eval_result_free(&ev);
	eval_run_free(r);
	eval_qrels_free(q);
}

Test(eval, complete_averages_over_every_judged_query)
{
	eval_qrels *q = qrels_of(qrels_text);
	eval_run *r = run_of(run_text);
	eval_result ev;
	cr_assert_eq(eval_compute(&ev, q, r, 1), 0);
	/* trec_eval -c: q3, judged but not run, scores 0 and is counted. */
	cr_expect_eq(ev.num_queries, 3);
	cr_assert_eq(ev.n, 3);
	cr_expect_str_eq(ev.q[2].qid, "q3");
	cr_expect_eq(ev.q[2].in_run, 0);
	cr_expect_eq(ev.q[2].num_rel, 1);
	cr_expect(NEAR(ev.mean[EVAL_MAP], q1_ap / 3), "MAP %.10f", ev.mean[EVAL_MAP]);
	cr_expect_eq(ev.num_rel, 4);
	eval_result_free(&ev);
	eval_run_free(r);
	eval_qrels_free(q);
}

Test(eval, ties_follow_the_score_not_the_rank_column)
{
	/* The same run with d1 and d5 swapped in the file and in the rank
	 * column: nothing changes, the tie is broken by docid. */
	eval_qrels *q = qrels_of(qrels_text);
	eval_run *r = run_of("q1 Q0 d2 1 5.0 t\nq1 Q0 d5 3 4.0 t\nq1 Q0 d1 2 4.0 t\nq1 Q0 d3 4 1.0 t\n");
	eval_result ev;
	cr_assert_eq(eval_compute(&ev, q, r, 0), 0);
	cr_expect(NEAR(ev.q[0].v[EVAL_MAP], q1_ap), "AP %.10f", ev.q[0].v[EVAL_MAP]);
	eval_result_free(&ev);
	eval_run_free(r);
	/* Were d1 ranked before d5, AP would be (1/2 + 2/4) / 3. */
	r = run_of("q1 Q0 d2 1 5.0 t\nq1 Q0 d1 2 4.5 t\nq1 Q0 d5 3 4.0 t\nq1 Q0 d3 4 1.0 t\n");
	cr_assert_eq(eval_compute(&ev, q, r, 0), 0);
	cr_expect(NEAR(ev.q[0].v[EVAL_MAP], 1.0 / 3), "AP %.10f", ev.q[0].v[EVAL_MAP]);
	eval_result_free(&ev);
	eval_run_free(r);
	eval_qrels_free(q);
}

Test(eval, one_query_at_a_time_agrees_with_the_whole_run)
{
	eval_qrels *q = qrels_of(qrels_text);
	const char *ids[] = {"d3", "d1", "d5", "d2"};
	const double scores[] = {1.0, 4.0, 4.0, 5.0};
	eval_query m;
	cr_assert_eq(eval_query_compute(&m, q, "q1", ids, scores, 4), 0);
	cr_expect(NEAR(m.v[EVAL_MAP], q1_ap));
	cr_expect(NEAR(m.v[EVAL_NDCG10], q1_ndcg));
	cr_expect(NEAR(m.v[EVAL_MRR], 1.0 / 3));
	/* No results at all: every measure 0, the relevant still counted. */
	cr_assert_eq(eval_query_compute(&m, q, "q1", NULL, NULL, 0), 0);
	cr_expect_eq(m.v[EVAL_MAP], 0.0);
	cr_expect_eq(m.num_rel, 3);
	eval_qrels_free(q);
}

Test(eval, beir_tsv_qrels_with_header)
{
	eval_qrels *q = qrels_of("query-id\tcorpus-id\tscore\n0\t31715818\t1\n2\t13734012\t1\n2\t999\t0\n");
	cr_expect_str_empty(skipped, "%s", skipped);
	cr_expect_eq(eval_qrels_queries(q), 2);
	cr_expect_eq(eval_qrels_relevant(q, "2"), 1);
	int judged;
	cr_expect_eq(eval_qrels_get(q, "2", "999", &judged), 0);
	cr_expect_eq(judged, 1);
	eval_qrels_get(q, "2", "12345", &judged);
	cr_expect_eq(judged, 0);
	eval_run *r = run_of("2 Q0 999 1 9 t\n2 Q0 13734012 2 8 t\n");
	eval_result ev;
	cr_assert_eq(eval_compute(&ev, q, r, 0), 0);
	cr_expect(NEAR(ev.mean[EVAL_MAP], 0.5));
	cr_expect(NEAR(ev.mean[EVAL_MRR], 0.5));
	/* nDCG@10 = (1/log2 3) / 1 */
	cr_expect(NEAR(ev.mean[EVAL_NDCG10], 1.0 / log2(3.0)), "%.10f", ev.mean[EVAL_NDCG10]);
	eval_result_free(&ev);
	eval_run_free(r);
	eval_qrels_free(q);
}

Test(eval, malformed_qrels_lines_are_reported_and_skipped)
{
	eval_qrels *q = qrels_of("# judgments\n"
				 "q1 0 d1 1\n"
				 "q1 0 d2\n"              /* 3 fields: BEIR, "d2" no number */
				 "q1 0 d3 yes\n"
				 "q1 0 d4 1 extra\n"
				 "\n"
				 "q1 0 d1 0\n");          /* judged again */
	cr_expect(strstr(skipped, "qrels:3: judgment \"d2\" is not an integer"), "%s", skipped);
	cr_expect(strstr(skipped, "qrels:4: judgment \"yes\" is not an integer"), "%s", skipped);
	cr_expect(strstr(skipped, "qrels:5: expected"), "%s", skipped);
	cr_expect(strstr(skipped, "qrels:7: document \"d1\" judged again for query \"q1\" (line 2 is kept)"),
		  "%s", skipped);
	cr_expect_eq(eval_qrels_relevant(q, "q1"), 1);
	eval_qrels_free(q);

	eval_qrels *none = NULL;
	cr_expect_eq(eval_qrels_parse(&none, "empty", "\n# nothing\n", 11, on_skip, NULL),
		     DICTA_EINVAL);
	cr_expect(strstr(dicta_error_last(), "no relevance judgments"), "%s", dicta_error_last());
}

Test(eval, malformed_run_lines_are_reported_and_skipped)
{
	skipped[0] = '\0';
	eval_run *r = run_of("q1 Q0 d1 1 2.5 t\n"
			     "q1 Q0 d2 2\n"
			     "q1 Q0 d3 3 high t\n"
			     "q1 Q0 d1 4 1.0 t\n"
			     "q2 Q0 d1 1 nan t\n");
	cr_expect(strstr(skipped, "run:2: expected six columns"), "%s", skipped);
	cr_expect(strstr(skipped, "run:3: score \"high\" is not a number"), "%s", skipped);
	cr_expect(strstr(skipped, "run:4: document \"d1\" retrieved twice for query \"q1\" (the first is kept)"),
		  "%s", skipped);
	cr_expect(strstr(skipped, "run:5: score \"nan\""), "%s", skipped);
	cr_expect_eq(eval_run_queries(r), 1);
	eval_run_free(r);
}

Test(eval, no_common_query_is_an_error)
{
	eval_qrels *q = qrels_of("a 0 d 1\n");
	eval_run *r = run_of("b Q0 d 1 1 t\n");
	eval_result ev;
	cr_expect_eq(eval_compute(&ev, q, r, 0), DICTA_EINVAL);
	cr_expect(strstr(dicta_error_last(), "no query is both"), "%s", dicta_error_last());
	/* With -c the judged query counts, with 0. */
	cr_assert_eq(eval_compute(&ev, q, r, 1), 0);
	cr_expect_eq(ev.num_queries, 1);
	cr_expect_eq(ev.mean[EVAL_MAP], 0.0);
	eval_result_free(&ev);
	eval_run_free(r);
	eval_qrels_free(q);
}

Test(eval, printed_as_trec_eval_prints)
{
	eval_qrels *q = qrels_of(qrels_text);
	eval_run *r = run_of(run_text);
	eval_result ev;
	cr_assert_eq(eval_compute(&ev, q, r, 0), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	eval_print_trec(f, &ev, 1);
	fclose(f);
	cr_expect(strstr(buf, "map                   \tq1\t0.2778\n"), "%s", buf);
	cr_expect(strstr(buf, "ndcg_cut_10           \tq1\t0.4348\n"), "%s", buf);
	cr_expect(strstr(buf, "num_q                 \tall\t2\n"), "%s", buf);
	cr_expect(strstr(buf, "map                   \tall\t0.1389\n"), "%s", buf);
	cr_expect(strstr(buf, "P_10                  \tall\t0.1000\n"), "%s", buf);
	cr_expect(strstr(buf, "recip_rank            \tall\t0.1667\n"), "%s", buf);
	free(buf);
	eval_result_free(&ev);
	eval_run_free(r);
	eval_qrels_free(q);
}

Test(eval, measure_names)
{
	cr_expect_eq(eval_measure_parse("map"), EVAL_MAP);
	cr_expect_eq(eval_measure_parse("nDCG@10"), EVAL_NDCG10);
	cr_expect_eq(eval_measure_parse("ndcg_cut_20"), EVAL_NDCG20);
	cr_expect_eq(eval_measure_parse("R@1000"), EVAL_R1000);
	cr_expect_eq(eval_measure_parse("mrr"), EVAL_MRR);
	cr_expect_eq(eval_measure_parse("bpref"), -1);
	cr_expect_str_eq(eval_measure_name(EVAL_P5), "P_5");
	cr_expect_str_eq(eval_measure_label(EVAL_R100), "R@100");
}
