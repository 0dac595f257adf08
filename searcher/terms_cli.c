/*
 * terms_cli.c — `dicta-search --terms`: a search term report.  main.c
 * hands the arguments over when it sees --terms; this file parses them,
 * shows progress on a terminal, writes the report in the format asked for
 * and prints the summary.  Reading the terms file, counting and writing
 * are in the library (lib/str*.c); docs/search-term-reports.md is the
 * user's guide.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "dicta.h"
#include "progress_bar.h"
#include "str.h"
#include "terms_cli.h"

static const char usage[] =
	"usage: dicta-search --index DIR --terms FILE [options]\n"
	"\n"
	"A search term report: run every search string of FILE over the index and\n"
	"count, exactly, the documents, passages and hits of each, the documents no\n"
	"other string hits, the documents with their families, the totals and the\n"
	"overlap between strings.  docs/search-term-reports.md has the details.\n"
	"\n"
	"  -i, --index DIR        the index directory (required)\n"
	"      --terms FILE       one search string per line, or label<TAB>string;\n"
	"                         blank lines and # comments ignored; - reads stdin\n"
	"      --within QUERY     the searchable set: the documents with a passage\n"
	"                         matching QUERY (e.g. 'date:2019..', 'type:email',\n"
	"                         'custodian:smith'); default every document\n"
	"  -f, --format F         csv (default), json, xlsx or html; without it the\n"
	"                         extension of -o decides (.json, .xlsx, .html)\n"
	"  -o, --output FILE      write the report to FILE (required for xlsx)\n"
	"      --title T          the heading of the HTML report\n"
	"  -q, --quiet            no progress bar and no summary\n"
	"  -h, --help             this help\n"
	"\n"
	"Exit status: 0 every string ran, 1 some strings failed or lines of FILE\n"
	"were skipped (each listed on stderr, and in the report), 2 usage error,\n"
	"unreadable FILE, no search string or a --within that does not parse,\n"
	"3 the index could not be read or the report not written.\n";

typedef struct {
	int tty, quiet, line_open;
	const char *path;
} terms_ui;

static void on_skip(const char *path, long line, const char *reason, void *payload)
{
	(void)payload;
	fprintf(stderr, "%s:%ld: %s (skipped)\n", path, line, reason);
}

static void on_progress(size_t done, size_t n, void *payload)
{
	terms_ui *u = payload;
	if (!u->tty || u->quiet)
		return;
	char bar[PROGRESS_BAR_WIDTH + 1];
	progress_bar(bar, done, n);
	fprintf(stderr, "\r\033[K[%s] %zu/%zu strings", bar, done, n);
	u->line_open = done < n;
	if (done == n)
		fputs("\r\033[K", stderr);
}

/* The format named, or told from the output file's extension. */
static const char *pick_format(const char *format, const char *output)
{
	if (format)
		return format;
	const char *dot = output ? strrchr(output, '.') : NULL;
	if (dot && (!strcmp(dot, ".json") || !strcmp(dot, ".xlsx") ||
		    !strcmp(dot, ".html") || !strcmp(dot, ".htm") || !strcmp(dot, ".csv")))
		return !strcmp(dot, ".htm") ? "html" : dot + 1;
	return "csv";
}

/* The query on one line and a caret under 1-based column col. */
static void show_column(const char *q, int col)
{
	fputs("  ", stderr);
	for (const char *p = q; *p; p++)
		fputc((unsigned char)*p < 0x20 ? ' ' : *p, stderr);
	fputs("\n  ", stderr);
	int c = 1;
	for (const unsigned char *p = (const unsigned char *)q; *p && c < col; p++)
		if ((*p & 0xC0) != 0x80)
			c++, fputc(' ', stderr);
	fputs("^\n", stderr);
}

static int write_report(const str_report *r, const char *format,
			const char *output, const char *title)
{
	if (!strcmp(format, "xlsx")) {
		if (str_xlsx_write(output, r) == 0)
			return 0;
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		return -1;
	}
	FILE *f = output ? fopen(output, "w") : stdout;
	if (!f) {
		fprintf(stderr, "dicta-search: %s: cannot write: %s\n", output, strerror(errno));
		return -1;
	}
	int rc = !strcmp(format, "json") ? str_json_write(f, r)
		 : !strcmp(format, "html") ? str_html_write(f, r, title)
					   : str_csv_write(f, r);
	if (rc)
		fprintf(stderr, "dicta-search: %s%s%s\n", output ? output : "",
			output ? ": " : "", dicta_error_last());
	if (output && fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "dicta-search: %s: cannot write: %s\n", output, strerror(errno));
		rc = -1;
	}
	return rc;
}

int terms_main(int argc, char **argv)
{
	enum { OPT_TERMS = 256, OPT_WITHIN, OPT_TITLE };
	static const struct option longopts[] = {
		{"index", required_argument, 0, 'i'},
		{"terms", required_argument, 0, OPT_TERMS},
		{"within", required_argument, 0, OPT_WITHIN},
		{"format", required_argument, 0, 'f'},
		{"output", required_argument, 0, 'o'},
		{"title", required_argument, 0, OPT_TITLE},
		{"quiet", no_argument, 0, 'q'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	const char *index_dir = NULL, *terms_path = NULL, *within = NULL,
		   *format = NULL, *output = NULL, *title = NULL;
	terms_ui u = {0};
	int c;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "i:f:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': index_dir = optarg; break;
		case OPT_TERMS: terms_path = optarg; break;
		case OPT_WITHIN: within = optarg; break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case OPT_TITLE: title = optarg; break;
		case 'q': u.quiet = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dicta-search: --terms takes no query on the command line "
			"(\"%s\"); put the search strings in the terms file\n", argv[optind]);
		return 2;
	}
	if (!index_dir || !terms_path) {
		fprintf(stderr, "dicta-search: --index DIR and --terms FILE are required\n%s", usage);
		return 2;
	}
	format = pick_format(format, output);
	if (strcmp(format, "csv") && strcmp(format, "json") && strcmp(format, "xlsx") &&
	    strcmp(format, "html")) {
		fprintf(stderr, "dicta-search: unknown --format \"%s\" (use csv, json, xlsx or html)\n",
			format);
		return 2;
	}
	if (!strcmp(format, "xlsx") && !output) {
		fprintf(stderr, "dicta-search: --format xlsx needs -o FILE.xlsx\n");
		return 2;
	}
	if (within && !*within) {
		fprintf(stderr, "dicta-search: --within needs a query\n");
		return 2;
	}
	char *text;
	size_t len;
	if (batch_slurp(&text, &len, terms_path) != 0) {
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		return 2;
	}
	const char *shown = strcmp(terms_path, "-") ? terms_path : "<stdin>";
	str_terms t;
	int rc = str_terms_parse(&t, shown, text, len, on_skip, &u);
	free(text);
	if (rc) {
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		return 3;
	}
	if (t.n == 0) {
		fprintf(stderr, "dicta-search: %s: no search string in the file\n", shown);
		str_terms_free(&t);
		return 2;
	}
	dicta_index *idx;
	if (dicta_index_open(&idx, index_dir, DICTA_OPEN_READ) != 0) {
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		str_terms_free(&t);
		return 3;
	}
	u.tty = isatty(2);
	str_options o = {index_dir, shown, within, on_progress, &u};
	str_report r;
	rc = str_run(&r, idx, &t, &o);
	if (u.line_open)
		fputs("\r\033[K", stderr);
	int status = 0;
	if (rc == DICTA_EQUERY) {
		int col = dicta_error_column();
		fprintf(stderr, "dicta-search: --within: %s\n", dicta_error_last());
		if (col > 0)
			show_column(within, col);
		status = 2;
	} else if (rc) {
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		status = 3;
	}
	if (status == 0) {
		for (size_t i = 0; i < t.n; i++) {
			const str_string *s = &t.s[i];
			if (!s->error)
				continue;
			fprintf(stderr, "%s:%ld: \"%s\" failed: %s\n", shown, s->line, s->label,
				s->error);
			if (s->error_column > 0)
				show_column(s->query, s->error_column);
		}
		if (write_report(&r, format, output, title) != 0)
			status = 3;
	}
	if (status == 0 && !u.quiet)
		fprintf(stderr, "%zu search strings over %llu documents (%llu passages) in "
			"%.2f s: %llu documents hit, %llu with families; %zu failed, "
			"%zu lines skipped\n",
			t.n, (unsigned long long)r.set_documents,
			(unsigned long long)r.set_passages, r.seconds,
			(unsigned long long)r.hit_documents, (unsigned long long)r.hit_family,
			r.failed, t.nskips);
	if (status == 0 && (r.failed || t.nskips))
		status = 1;
	str_report_clear(&r);
	str_terms_free(&t);
	dicta_index_free(idx);
	return status;
}
