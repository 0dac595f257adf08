/*
 * batch_cli.c — `dicta-search --batch`: many queries in, a TREC run, JSON
 * Lines, CSV or an HTML report out, and with --qrels the trec_eval
 * measures.  main.c hands the arguments over when it sees --batch; this
 * file parses them, shows progress on a terminal and prints the summary.
 * Reading queries, running them, evaluating and writing reports are all
 * in the library (lib/batch*.c, lib/eval.c, lib/report*.c); docs/batch.md
 * is the user's guide.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "batch_cli.h"
#include "dicta.h"
#include "eval.h"
#include "progress_bar.h"
#include "report.h"

static const char usage[] =
	"usage: dicta-search --index DIR --batch FILE [options]\n"
	"\n"
	"Run every query of FILE and write the results for tools (a TREC run, JSON\n"
	"Lines, CSV) or people (an HTML report); with --qrels, score them against\n"
	"relevance judgments as trec_eval does.  docs/batch.md has the details.\n"
	"\n"
	"  -i, --index DIR           the index directory (required)\n"
	"      --batch FILE          the queries; - reads standard input\n"
	"      --batch-format F      tsv (id<TAB>query), jsonl (BEIR: _id/id and\n"
	"                            text/query), aila (id||text) or trec (topics);\n"
	"                            default: told from the content\n"
	"      --batch-syntax S      text: queries are free text, operators are not\n"
	"                            read (default for jsonl, aila, trec); query: the\n"
	"                            query language (default for tsv)\n"
	"      --long-query select|all  free-text queries of more than --max-terms\n"
	"                            distinct words: search for their most\n"
	"                            informative words (default) or for all\n"
	"      --max-terms N         words kept of a long query (default 20)\n"
	"  -f, --format F            trec (default), jsonl, csv or html\n"
	"  -o, --output FILE         write the --format output to FILE, not stdout\n"
	"      --report FILE.html    also write the HTML report to FILE (then\n"
	"                            nothing goes to stdout unless --format is given)\n"
	"      --report-k N          results shown per query in the report (default 10)\n"
	"      --report-metric M     measure charted first: map, P@5, P@10, nDCG@10\n"
	"                            (default), nDCG@20, R@100, R@1000, MRR\n"
	"      --title T             the report's heading\n"
	"      --run-tag TAG         last column of the TREC run (default dicta)\n"
	"      --qrels FILE          relevance judgments (TREC qrels or BEIR TSV):\n"
	"                            print the measures, mark relevant results\n"
	"  -k N                      results per query (default 1000 for --format trec\n"
	"                            or with --qrels, else 10)\n"
	"  -p, --passages N          best passages per document (default 1)\n"
	"      --unit doc|passage    rank documents (default) or passages; a passage\n"
	"                            is written as id#n in a run\n"
	"      --aggregate max|sum[:N]  a document's score: its best passage\n"
	"                            (default) or the sum of its N best (N = 2)\n"
	"      --bm25 K1,B           BM25 parameters (default 0.9,0.4)\n"
	"      --title-weight W      query words in titles also score apart, W times\n"
	"                            (default 0.1; 0: not apart)\n"
	"      --no-title-merge      a title word no longer counts as one more\n"
	"                            occurrence in each passage (--title-merge: the\n"
	"                            default)\n"
	"  -q, --quiet               no progress bar and no summary\n"
	"  -h, --help                this help\n"
	"\n"
	"Exit status: 0 every query ran, 1 some queries failed (listed on stderr),\n"
	"2 usage error or unreadable queries or judgments, 3 the index could not\n"
	"be read or the output not written.\n";

typedef struct {
	/* where things go */
	FILE *out;
	const char *format;
	report_options ro;
	report_html *html;
	eval_run *run;
	/* progress */
	int tty, quiet;
	double t0, last;
	int line_open;
	size_t failed, skipped;
	int write_error;
} batch_ui;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clear_line(batch_ui *u)
{
	if (u->line_open) {
		fputs("\r\033[K", stderr);
		u->line_open = 0;
	}
}

static void on_skip(const char *path, long line, const char *reason, void *payload)
{
	batch_ui *u = payload;
	clear_line(u);
	u->skipped++;
	if (line > 0)
		fprintf(stderr, "%s:%ld: %s (skipped)\n", path, line, reason);
	else
		fprintf(stderr, "%s: %s (skipped)\n", path, reason);
}

static void progress(batch_ui *u, size_t done, size_t n)
{
	double t = now();
	if (!u->tty || u->quiet || (t - u->last < 0.1 && done < n))
		return;
	u->last = t;
	double secs = t - u->t0, rate = secs > 0 ? (double)done / secs : 0;
	char bar[PROGRESS_BAR_WIDTH + 1];
	progress_bar(bar, done, n);
	fprintf(stderr, "\r\033[K[%s] %zu/%zu queries  %.1f/s", bar, done, n, rate);
	if (rate > 0 && done < n) {
		unsigned long eta = (unsigned long)((double)(n - done) / rate + 0.5);
		fprintf(stderr, "  %lu:%02lu left", eta / 60, eta % 60);
	}
	u->line_open = 1;
}

static int on_outcome(const batch_outcome *o, size_t i, size_t n, void *payload)
{
	batch_ui *u = payload;
	int rc = 0;
	if (o->rc) {
		clear_line(u);
		fprintf(stderr, "dicta-search: query %s (line %ld): %s\n", o->query->id,
			o->query->line, o->error);
		u->failed++;
	}
	eval_query m = {0};
	int judged = u->ro.qrels && eval_qrels_has_query(u->ro.qrels, o->query->id);
	if (judged && (rc = report_eval_outcome(&m, o, &u->ro)) != 0)
		return rc;
	if (u->run && o->res) {
		for (size_t j = 0; rc == 0 && j < dicta_results_count(o->res); j++) {
			const dicta_hit *h = dicta_results_get(o->res, j);
			char *id = report_result_id(h, u->ro.unit);
			rc = id ? eval_run_add(u->run, o->query->id, id, report_score(h->score))
				: DICTA_ENOMEM;
			free(id);
		}
	}
	if (rc == 0 && u->out) {
		if (!strcmp(u->format, "trec"))
			rc = report_trec_query(u->out, o, &u->ro);
		else if (!strcmp(u->format, "jsonl"))
			rc = report_jsonl_query(u->out, o, judged ? &m : NULL, &u->ro);
		else if (!strcmp(u->format, "csv"))
			rc = report_csv_query(u->out, o, &u->ro);
		if (rc == DICTA_EIO)
			u->write_error = 1;
	}
	if (rc == 0 && u->html)
		rc = report_html_add(u->html, o, judged ? &m : NULL);
	free(m.qid);
	progress(u, i + 1, n);
	return rc;
}

static int parse_size(const char *opt, const char *arg, size_t max, size_t *out)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);
	if (!*arg || *end || arg[0] == '-' || v > max) {
		fprintf(stderr, "dicta-search: %s needs a whole number up to %zu, not \"%s\"\n",
			opt, max, arg);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

static int parse_aggregate(const char *arg, dicta_search_options *so)
{
	if (!strcmp(arg, "max")) {
		so->aggregate = DICTA_AGGREGATE_MAX;
		return 0;
	}
	if (!strncmp(arg, "sum", 3) && (arg[3] == '\0' || arg[3] == ':')) {
		so->aggregate = DICTA_AGGREGATE_SUM;
		so->aggregate_n = 2;
		if (arg[3] == ':')
			return parse_size("--aggregate sum:N", arg + 4, 100, &so->aggregate_n) ||
					       so->aggregate_n == 0
				       ? -1
				       : 0;
		return 0;
	}
	fprintf(stderr, "dicta-search: --aggregate takes max, sum or sum:N, not \"%s\"\n", arg);
	return -1;
}

static int parse_bm25(const char *arg, dicta_search_options *so)
{
	char *end;
	double k1 = strtod(arg, &end), b = -1;
	if (*end == ',')
		b = strtod(end + 1, &end);
	if (end == arg || *end || !(k1 >= 0 && k1 <= 100) || !(b >= 0 && b <= 1)) {
		fprintf(stderr, "dicta-search: --bm25 takes K1,B with K1 in 0..100 and B in 0..1, not \"%s\"\n",
			arg);
		return -1;
	}
	so->bm25_k1 = k1;
	so->bm25_b = b;
	return 0;
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "dicta-search: %s: cannot write: %s\n", path, strerror(errno));
	return f;
}

static void print_measures(const eval_result *ev)
{
	fputs("dicta-search:", stderr);
	for (int m = 0; m < EVAL_NMEASURES; m++)
		fprintf(stderr, " %s %.4f", eval_measure_label((eval_measure)m), ev->mean[m]);
	fprintf(stderr, " (%zu judged queries", ev->num_queries);
	if (ev->run_only)
		fprintf(stderr, "; %zu without judgments", ev->run_only);
	fputs(")\n", stderr);
}

int batch_main(int argc, char **argv)
{
	enum {
		OPT_BATCH = 256, OPT_BFORMAT, OPT_SYNTAX, OPT_LONG, OPT_MAXTERMS,
		OPT_REPORT, OPT_REPORTK, OPT_METRIC, OPT_TITLE, OPT_TAG, OPT_QRELS,
		OPT_UNIT, OPT_AGG, OPT_BM25, OPT_TW, OPT_TM, OPT_NO_TM
	};
	static const struct option longopts[] = {
		{"index", required_argument, 0, 'i'},
		{"batch", required_argument, 0, OPT_BATCH},
		{"batch-format", required_argument, 0, OPT_BFORMAT},
		{"batch-syntax", required_argument, 0, OPT_SYNTAX},
		{"long-query", required_argument, 0, OPT_LONG},
		{"max-terms", required_argument, 0, OPT_MAXTERMS},
		{"format", required_argument, 0, 'f'},
		{"output", required_argument, 0, 'o'},
		{"report", required_argument, 0, OPT_REPORT},
		{"report-k", required_argument, 0, OPT_REPORTK},
		{"report-metric", required_argument, 0, OPT_METRIC},
		{"title", required_argument, 0, OPT_TITLE},
		{"run-tag", required_argument, 0, OPT_TAG},
		{"qrels", required_argument, 0, OPT_QRELS},
		{"passages", required_argument, 0, 'p'},
		{"unit", required_argument, 0, OPT_UNIT},
		{"aggregate", required_argument, 0, OPT_AGG},
		{"bm25", required_argument, 0, OPT_BM25},
		{"title-weight", required_argument, 0, OPT_TW},
		{"title-merge", no_argument, 0, OPT_TM},
		{"no-title-merge", no_argument, 0, OPT_NO_TM},
		{"quiet", no_argument, 0, 'q'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	const char *index_dir = NULL, *batch_path = NULL, *format = NULL,
		   *output = NULL, *report_path = NULL, *qrels_path = NULL,
		   *title = NULL;
	batch_format bformat = BATCH_AUTO;
	batch_run_options bo;
	batch_run_options_init(&bo);
	size_t k = 0, report_k = 10;
	int chart = EVAL_NDCG10;
	batch_ui u = {0};
	u.ro.run_tag = "dicta";
	int c;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "i:k:p:f:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': index_dir = optarg; break;
		case OPT_BATCH: batch_path = optarg; break;
		case OPT_BFORMAT:
			if (batch_format_parse(&bformat, optarg) != 0) {
				fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
				return 2;
			}
			break;
		case OPT_SYNTAX:
			if (!strcmp(optarg, "text"))
				bo.syntax = BATCH_SYNTAX_TEXT;
			else if (!strcmp(optarg, "query"))
				bo.syntax = BATCH_SYNTAX_QUERY;
			else {
				fprintf(stderr, "dicta-search: --batch-syntax takes text or query, not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case OPT_LONG:
			if (!strcmp(optarg, "select"))
				bo.long_query = BATCH_LONG_SELECT;
			else if (!strcmp(optarg, "all"))
				bo.long_query = BATCH_LONG_ALL;
			else {
				fprintf(stderr, "dicta-search: --long-query takes select or all, not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case OPT_MAXTERMS:
			if (parse_size("--max-terms", optarg, 4096, &bo.max_terms) || !bo.max_terms) {
				fprintf(stderr, "dicta-search: --max-terms must be at least 1\n");
				return 2;
			}
			break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case OPT_REPORT: report_path = optarg; break;
		case OPT_REPORTK:
			if (parse_size("--report-k", optarg, 1000, &report_k) || !report_k)
				return 2;
			break;
		case OPT_METRIC:
			if ((chart = eval_measure_parse(optarg)) < 0) {
				fprintf(stderr, "dicta-search: unknown --report-metric \"%s\" (use map, P@5, P@10, nDCG@10, nDCG@20, R@100, R@1000 or MRR)\n", optarg);
				return 2;
			}
			break;
		case OPT_TITLE: title = optarg; break;
		case OPT_TAG:
			if (!*optarg || strpbrk(optarg, " \t\r\n")) {
				fprintf(stderr, "dicta-search: --run-tag must be one word, not \"%s\"\n", optarg);
				return 2;
			}
			u.ro.run_tag = optarg;
			break;
		case OPT_QRELS: qrels_path = optarg; break;
		case 'k': if (parse_size("-k", optarg, 10000, &k) || !k) return 2; break;
		case 'p':
			if (parse_size("--passages", optarg, 100, &bo.search.passages) || !bo.search.passages)
				return 2;
			break;
		case OPT_UNIT:
			if (!strcmp(optarg, "doc") || !strcmp(optarg, "document"))
				bo.search.unit = DICTA_UNIT_DOCUMENT;
			else if (!strcmp(optarg, "passage"))
				bo.search.unit = DICTA_UNIT_PASSAGE;
			else {
				fprintf(stderr, "dicta-search: --unit takes doc or passage, not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case OPT_AGG: if (parse_aggregate(optarg, &bo.search)) return 2; break;
		case OPT_BM25: if (parse_bm25(optarg, &bo.search)) return 2; break;
		case OPT_TW: {
			char *end;
			bo.search.title_weight = strtod(optarg, &end);
			if (end == optarg || *end || !(bo.search.title_weight >= 0 &&
						       bo.search.title_weight <= 100)) {
				fprintf(stderr, "dicta-search: --title-weight takes a number from 0 to 100, not \"%s\"\n", optarg);
				return 2;
			}
			break;
		}
		case OPT_TM: bo.search.title_merge = 1; break;
		case OPT_NO_TM: bo.search.title_merge = 0; break;
		case 'q': u.quiet = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!index_dir || !batch_path) {
		fprintf(stderr, "dicta-search: --batch needs --index DIR and --batch FILE\n%s", usage);
		return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "dicta-search: a query (\"%s\") cannot be given with --batch\n",
			argv[optind]);
		return 2;
	}
	if (!format)
		format = report_path ? "none" : "trec";
	if (strcmp(format, "trec") && strcmp(format, "jsonl") && strcmp(format, "csv") &&
	    strcmp(format, "html") && strcmp(format, "none")) {
		fprintf(stderr, "dicta-search: unknown --format \"%s\" with --batch (use trec, jsonl, csv or html)\n",
			format);
		return 2;
	}
	u.format = format;
	if (bo.search.unit == DICTA_UNIT_PASSAGE && bo.search.aggregate != DICTA_AGGREGATE_MAX) {
		fprintf(stderr, "dicta-search: --aggregate ranks documents; it cannot go with --unit passage\n");
		return 2;
	}
	bo.search.k = k ? k : (!strcmp(format, "trec") || qrels_path ? 1000 : 10);
	/* Only what is written needs a document's record and passages: a TREC
	 * run needs ids and scores, an HTML report its first report_k results;
	 * JSON Lines and CSV print every result in full. */
	if (!strcmp(format, "trec") || !strcmp(format, "none") || !strcmp(format, "html"))
		bo.search.detailed = report_path || !strcmp(format, "html") ? report_k : 0;
	u.ro.unit = bo.search.unit;
	u.tty = isatty(2);

	/* Everything that can fail cheaply fails before the first query. */
	eval_qrels *qrels = NULL;
	if (qrels_path && eval_qrels_read(&qrels, qrels_path, on_skip, &u) != 0) {
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		return 2;
	}
	u.ro.qrels = qrels;
	batch_queries qs = {0};
	if (batch_read(&qs, batch_path, bformat, on_skip, &u) != 0) {
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		eval_qrels_free(qrels);
		return 2;
	}
	if (qs.n == 0) {
		fprintf(stderr, "dicta-search: %s: no queries in it\n", batch_path);
		batch_queries_free(&qs);
		eval_qrels_free(qrels);
		return 2;
	}
	dicta_index *idx = NULL;
	int status = 0;
	if (dicta_index_open(&idx, index_dir, DICTA_OPEN_READ) != 0) {
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		status = 3;
	}
	if (status == 0 && strcmp(format, "none")) {
		u.out = output ? open_out(output) : stdout;
		if (!u.out)
			status = 3;
	}
	int html_to_out = !strcmp(format, "html");
	report_html *html = NULL;
	if (status == 0 && (report_path || html_to_out)) {
		char settings[512];
		const char *syntax = bo.syntax == BATCH_SYNTAX_TEXT ? "text"
				     : bo.syntax == BATCH_SYNTAX_QUERY ? "query"
				     : qs.format == BATCH_TSV ? "query" : "text";
		snprintf(settings, sizeof settings,
			 "Format %s, queries read as %s%s; %zu results per query, %s; "
			 "%s; BM25 k1 %g, b %g; title words %s, title weight %g.",
			 batch_format_name(qs.format), syntax,
			 !strcmp(syntax, "text") && bo.long_query == BATCH_LONG_SELECT
				 ? ", long ones cut to their most informative words" : "",
			 bo.search.k, bo.search.unit == DICTA_UNIT_PASSAGE ? "passages" : "documents",
			 bo.search.aggregate == DICTA_AGGREGATE_SUM ? "a document scores the sum of its best passages"
								    : "a document scores its best passage",
			 bo.search.bm25_k1, bo.search.bm25_b,
			 bo.search.title_merge ? "merged with the text" : "apart",
			 bo.search.title_weight);
		report_html_options ho = {title, index_dir, batch_path, settings, report_k,
					  (eval_measure)chart, u.ro};
		if (report_html_new(&html, &ho) != 0) {
			fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
			status = 3;
		}
	}
	u.html = html;
	if (status == 0 && qrels && eval_run_new(&u.run) != 0)
		status = 3;
	if (status == 0 && !strcmp(format, "csv") && report_csv_header(u.out, &u.ro) != 0)
		u.write_error = 1;

	u.t0 = u.last = now();
	int rc = status || u.write_error ? 0 : batch_run(idx, &qs, &bo, on_outcome, &u);
	double secs = now() - u.t0;
	clear_line(&u);
	if (rc && !u.write_error) {
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		status = 3;
	}
	eval_result ev = {0}, *evp = NULL;
	if (status == 0 && !u.write_error && u.run) {
		if (eval_compute(&ev, qrels, u.run, 0) == 0)
			evp = &ev;
		else
			fprintf(stderr, "dicta-search: %s: %s\n", qrels_path, dicta_error_last());
	}
	if (status == 0 && !u.write_error && html_to_out &&
	    report_html_write(html, u.out, evp, secs) != 0)
		u.write_error = 1;
	if (status == 0 && !u.write_error && report_path) {
		FILE *f = open_out(report_path);
		if (!f)
			status = 3;
		else if (report_html_write(html, f, evp, secs) != 0 || fclose(f) != 0)
			u.write_error = 1;
	}
	if (u.out && u.out != stdout && fclose(u.out) != 0)
		u.write_error = 1;
	else if (u.out == stdout && fflush(stdout) != 0)
		u.write_error = 1;
	if (u.write_error) {
		fprintf(stderr, "dicta-search: the results could not all be written: %s\n",
			strerror(errno ? errno : EIO));
		status = 3;
	}
	if (status == 0 && !u.quiet) {
		fprintf(stderr, "%zu quer%s in %.2f s (%.1f queries/s)", qs.n,
			qs.n == 1 ? "y" : "ies", secs, secs > 0 ? (double)qs.n / secs : 0.0);
		if (u.skipped)
			fprintf(stderr, "; %zu skipped", u.skipped);
		if (u.failed)
			fprintf(stderr, "; %zu failed", u.failed);
		fputc('\n', stderr);
		if (evp)
			print_measures(evp);
	}
	if (status == 0 && u.failed)
		status = 1;
	eval_result_free(&ev);
	eval_run_free(u.run);
	report_html_free(html);
	dicta_index_free(idx);
	batch_queries_free(&qs);
	eval_qrels_free(qrels);
	return status;
}
