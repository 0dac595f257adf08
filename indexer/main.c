/*
 * dicta-index — the indexing command.  It parses arguments, shows progress
 * on a terminal and prints a summary; all the work is done by libdicta
 * (dicta_index_add_path).  Exit status: 0 done (bad input files may have
 * been skipped: they are listed), 1 the index could not be written,
 * 2 a usage error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dicta.h"

static const char usage[] =
	"usage: dicta-index --index DIR [options] PATH...\n"
	"\n"
	"Index files and directory trees (.txt, .md, .jsonl, .jsonl.gz) into DIR,\n"
	"creating it if needed.  A document already in the index (same id) is replaced.\n"
	"\n"
	"  -i, --index DIR        the index directory (required)\n"
	"  -l, --lang CODE|auto   language of documents that do not name one: an ISO\n"
	"                         639-1 code, or auto (default) to guess it from the\n"
	"                         text (en, es, de, fr, it, pt, nl; else en)\n"
	"      --commit-every N   commit after every N documents (default 10000)\n"
	"  -q, --quiet            no progress line and no summary\n"
	"  -h, --help             this help\n"
	"\n"
	"Exit status: 0 done (skipped files are listed on stderr), 1 the index\n"
	"could not be written, 2 usage error.\n";

typedef struct {
	int tty;
	double t0, last;
	unsigned long skipped_shown;
	int line_open;
} ui;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clear_line(ui *u)
{
	if (u->line_open) {
		fputs("\r\033[K", stderr);
		u->line_open = 0;
	}
}

static void on_skip(const char *path, long line, const char *reason, void *payload)
{
	ui *u = payload;
	clear_line(u);
	if (line > 0)
		fprintf(stderr, "%s:%ld: %s (skipped)\n", path, line, reason);
	else
		fprintf(stderr, "%s: %s (skipped)\n", path, reason);
}

static void on_progress(const dicta_ingest_stats *s, void *payload)
{
	ui *u = payload;
	double t = now();
	if (!u->tty || t - u->last < 0.25)
		return;
	u->last = t;
	double secs = t - u->t0, mb = (double)s->text_bytes / 1e6;
	double rate = secs > 0 ? mb / secs : 0;
	fprintf(stderr, "\r\033[K%llu documents, %llu passages, %.1f MB of text, %.1f MB/s",
		(unsigned long long)s->documents, (unsigned long long)s->passages,
		mb, rate);
	/* The ETA goes by input bytes read, which is what total_bytes counts. */
	double in_rate = secs > 0 ? (double)s->bytes / secs : 0;
	if (s->total_bytes > s->bytes && in_rate > 0) {
		double eta = (double)(s->total_bytes - s->bytes) / in_rate;
		fprintf(stderr, ", ETA %d:%02d", (int)eta / 60, (int)eta % 60);
	}
	u->line_open = 1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"index", required_argument, 0, 'i'},
		{"lang", required_argument, 0, 'l'},
		{"commit-every", required_argument, 0, 'c'},
		{"quiet", no_argument, 0, 'q'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	const char *index_dir = NULL, *lang = NULL;
	unsigned long long commit_every = 10000;
	int quiet = 0, c;
	while ((c = getopt_long(argc, argv, "i:l:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': index_dir = optarg; break;
		case 'l': lang = optarg; break;
		case 'q': quiet = 1; break;
		case 'c': {
			char *end;
			commit_every = strtoull(optarg, &end, 10);
			if (*end || !*optarg) {
				fprintf(stderr, "dicta-index: --commit-every needs a number, not \"%s\"\n", optarg);
				return 2;
			}
			break;
		}
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!index_dir) {
		fprintf(stderr, "dicta-index: --index DIR is required\n%s", usage);
		return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "dicta-index: no PATH to index given\n%s", usage);
		return 2;
	}
	dicta_index *idx;
	if (dicta_index_open(&idx, index_dir, DICTA_OPEN_WRITE) != 0) {
		fprintf(stderr, "dicta-index: %s\n", dicta_error_last());
		return 1;
	}
	if (lang && dicta_index_set_default_lang(idx, lang) != 0) {
		fprintf(stderr, "dicta-index: %s\n", dicta_error_last());
		dicta_index_free(idx);
		return 2;
	}
	ui u = {isatty(2) && !quiet, now(), 0, 0, 0};
	dicta_ingest_options opts;
	dicta_ingest_options_init(&opts);
	opts.on_skip = on_skip;
	opts.on_progress = on_progress;
	opts.commit_every = commit_every;
	opts.payload = &u;
	dicta_ingest_stats st = {0};
	int rc = 0;
	for (int i = optind; i < argc && rc == 0; i++) {
		rc = dicta_index_add_path(idx, argv[i], &opts, &st);
		if (rc == DICTA_ENOTFOUND) {
			/* A missing PATH is bad input like any other: say so, go on. */
			on_skip(argv[i], 0, "no such file or directory", &u);
			st.skipped++;
			rc = 0;
		}
	}
	if (rc == 0)
		rc = dicta_index_commit(idx);
	clear_line(&u);
	if (rc != 0) {
		fprintf(stderr, "dicta-index: %s\n", dicta_error_last());
		dicta_index_free(idx);
		return 1;
	}
	double secs = now() - u.t0, mb = (double)st.text_bytes / 1e6;
	if (!quiet)
		fprintf(stderr,
			"indexed %llu documents (%llu passages) from %llu files: "
			"%.2f MB of text in %.2f s (%.1f MB/s); %llu skipped\n",
			(unsigned long long)st.documents, (unsigned long long)st.passages,
			(unsigned long long)st.files, mb, secs, secs > 0 ? mb / secs : 0.0,
			(unsigned long long)st.skipped);
	dicta_index_free(idx);
	return 0;
}
