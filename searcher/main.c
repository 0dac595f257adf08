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

#include "dicta.h"

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

int main(int argc, char **argv)
{
	enum { OPT_OFFSET = 256, OPT_COLOR, OPT_SORT, OPT_UNIT };
	static const struct option longopts[] = {
		{"index", required_argument, 0, 'i'},
		{"passages", required_argument, 0, 'p'},
		{"offset", required_argument, 0, OPT_OFFSET},
		{"format", required_argument, 0, 'f'},
		{"color", optional_argument, 0, OPT_COLOR},
		{"colour", optional_argument, 0, OPT_COLOR},
		{"sort", required_argument, 0, OPT_SORT},
		{"unit", required_argument, 0, OPT_UNIT},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	const char *index_dir = NULL, *format = "text", *color = "auto";
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
			fprintf(stderr, "  %s\n  %*s^\n", query, col - 1, "");
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
