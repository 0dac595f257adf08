/*
 * dicta-search — the search command.  It parses arguments, runs one query
 * through libdicta and prints the results as text or JSON; all the work is
 * in the library.  Exit status: 0 documents found, 1 none found, 2 a usage
 * or query error, 3 the index could not be read.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch_cli.h"
#include "dicta.h"
#include "serve_cli.h"
#include "terms_cli.h"

static const char usage[] =
	"usage: dicta-search --index DIR [options] QUERY...\n"
	"\n"
	"Rank the passages of the index in DIR against QUERY (its words are joined\n"
	"by spaces) and print the best documents, each with its best passages.\n"
	"\n"
	"  -i, --index DIR          the index directory (required)\n"
	"  -k N                     number of documents (default 10)\n"
	"      --offset N           skip the first N documents (default 0)\n"
	"  -p, --passages N         best passages per document (default 1)\n"
	"  -f, --format text|json   output format (default text)\n"
	"      --sort relevance|date  order of results (default relevance;\n"
	"                           date: newest first)\n"
	"      --unit doc|passage   a result is a document with its best passages\n"
	"                           (default) or a single passage\n"
	"      --color[=WHEN]       highlight with bold: never, always or auto (default)\n"
	"      --serve [HOST:]PORT  answer searches over HTTP instead (see\n"
	"                           dicta-search --serve 0 --help)\n"
	"      --batch FILE         run every query of FILE: TREC run, JSON Lines,\n"
	"                           CSV or HTML report, evaluation (see\n"
	"                           dicta-search --batch - --help)\n"
	"      --terms FILE         a search term report: exact counts for every\n"
	"                           search string of FILE (CSV, JSON, XLSX, HTML;\n"
	"                           see dicta-search --terms - --help)\n"
	"      --stats              print the index's counts as JSON and exit\n"
	"  -h, --help               this help\n"
	"\n"
	"Exit status: 0 documents found, 1 none found, 2 usage or query error,\n"
	"3 the index could not be read.\n";

static int parse_size(const char *opt, const char *arg, size_t *out)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);
	if (!*arg || *end || arg[0] == '-') {
		fprintf(stderr, "dicta-search: %s needs a whole number, not \"%s\"\n",
			opt, arg);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

/* --stats: the index's counts as JSON. */
static int print_stats(const char *index_dir)
{
	dicta_index *idx;
	if (dicta_index_open(&idx, index_dir, DICTA_OPEN_READ) != 0) {
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		return 3;
	}
	dicta_index_stats st;
	char *json = NULL;
	if (dicta_index_stats_get(&st, idx) == 0)
		json = dicta_index_stats_to_json(&st);
	if (json)
		printf("%s\n", json);
	else
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
	free(json);
	dicta_index_free(idx);
	return json ? 0 : 3;
}

/* Bytes of the UTF-8 character at s (1 for a byte that starts none), as
 * the query parser counts columns. */
static size_t char_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 1;
	return n ? n : 1;
}

/* The query, or some 70 characters of it around column col, on one line
 * (tabs and line breaks shown as spaces), and a caret under the column. */
static void show_column(const char *query, int col)
{
	const unsigned char *q = (const unsigned char *)query;
	int first = col > 40 ? col - 40 : 1, c = 1;
	size_t i = 0;
	fputs("  ", stderr);
	if (first > 1)
		fputs("...", stderr);
	for (; q[i] && c < first + 70; c++) {
		size_t n = char_len(q + i);
		if (c >= first) {
			if (q[i] < 0x20 || q[i] == 0x7F)
				fputc(' ', stderr);
			else if (n == 1 && q[i] >= 0x80)
				fputc('?', stderr);
			else
				fwrite(q + i, 1, n, stderr);
		}
		i += n;
	}
	fprintf(stderr, "%s\n  %*s^\n", q[i] ? "..." : "",
		col - first + (first > 1 ? 3 : 0), "");
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--serve") || !strncmp(argv[i], "--serve=", 8))
			return serve_main(argc, argv);
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--batch") || !strncmp(argv[i], "--batch=", 8))
			return batch_main(argc, argv);
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--terms") || !strncmp(argv[i], "--terms=", 8))
			return terms_main(argc, argv);
	enum { OPT_OFFSET = 256, OPT_COLOR, OPT_SORT, OPT_UNIT, OPT_STATS };
	static const struct option longopts[] = {
		{"index", required_argument, 0, 'i'},
		{"passages", required_argument, 0, 'p'},
		{"offset", required_argument, 0, OPT_OFFSET},
		{"format", required_argument, 0, 'f'},
		{"color", optional_argument, 0, OPT_COLOR},
		{"colour", optional_argument, 0, OPT_COLOR},
		{"sort", required_argument, 0, OPT_SORT},
		{"unit", required_argument, 0, OPT_UNIT},
		{"stats", no_argument, 0, OPT_STATS},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	const char *index_dir = NULL, *format = "text", *color = "auto";
	int show_stats = 0;
	dicta_search_options so;
	dicta_search_options_init(&so);
	int c;
	while ((c = getopt_long(argc, argv, "i:k:p:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': index_dir = optarg; break;
		case 'k': if (parse_size("-k", optarg, &so.k)) return 2; break;
		case 'p': if (parse_size("--passages", optarg, &so.passages)) return 2; break;
		case OPT_OFFSET: if (parse_size("--offset", optarg, &so.offset)) return 2; break;
		case 'f': format = optarg; break;
		case OPT_COLOR: color = optarg ? optarg : "always"; break;
		case OPT_STATS: show_stats = 1; break;
		case OPT_SORT:
			if (strcmp(optarg, "relevance") == 0)
				so.sort = DICTA_SORT_RELEVANCE;
			else if (strcmp(optarg, "date") == 0)
				so.sort = DICTA_SORT_DATE;
			else {
				fprintf(stderr, "dicta-search: --sort takes relevance or date, not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case OPT_UNIT:
			if (strcmp(optarg, "doc") == 0 || strcmp(optarg, "document") == 0)
				so.unit = DICTA_UNIT_DOCUMENT;
			else if (strcmp(optarg, "passage") == 0)
				so.unit = DICTA_UNIT_PASSAGE;
			else {
				fprintf(stderr, "dicta-search: --unit takes doc or passage, not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "dicta-search: unknown --format \"%s\" (use text or json)\n", format);
		return 2;
	}
	int use_color;
	if (strcmp(color, "always") == 0)
		use_color = 1;
	else if (strcmp(color, "never") == 0)
		use_color = 0;
	else if (strcmp(color, "auto") == 0)
		use_color = isatty(1);
	else {
		fprintf(stderr, "dicta-search: --color takes never, always or auto, not \"%s\"\n", color);
		return 2;
	}
	if (!index_dir) {
		fprintf(stderr, "dicta-search: --index DIR is required\n%s", usage);
		return 2;
	}
	if (show_stats)
		return print_stats(index_dir);
	if (optind >= argc) {
		fprintf(stderr, "dicta-search: no query given\n%s", usage);
		return 2;
	}
	/* The query is the remaining arguments joined by spaces. */
	size_t qlen = 0;
	for (int i = optind; i < argc; i++)
		qlen += strlen(argv[i]) + 1;
	char *query = malloc(qlen + 1);
	if (!query) {
		fprintf(stderr, "dicta-search: out of memory\n");
		return 3;
	}
	query[0] = '\0';
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			strcat(query, " ");
		strcat(query, argv[i]);
	}
	dicta_index *idx;
	if (dicta_index_open(&idx, index_dir, DICTA_OPEN_READ) != 0) {
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		free(query);
		return 3;
	}
	dicta_results *res;
	int rc = dicta_search_run(&res, idx, query, &so);
	if (rc != 0) {
		int col = dicta_error_column();
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		if (rc == DICTA_EQUERY && col > 0)
			show_column(query, col);
		dicta_index_free(idx);
		free(query);
		return rc == DICTA_EQUERY || rc == DICTA_EINVAL ? 2 : 3;
	}
	char *out = strcmp(format, "json") == 0 ? dicta_results_to_json(res)
						: dicta_results_to_text(res, use_color);
	int found = dicta_results_count(res) > 0;
	if (out)
		fputs(out, stdout);
	else
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
	free(out);
	dicta_results_free(res);
	dicta_index_free(idx);
	free(query);
	if (!out)
		return 3;
	return found ? 0 : 1;
}
