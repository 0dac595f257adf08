/*
 * str_html.c — a search term report as one self-contained HTML page (its
 * CSS, script and chart inline; nothing is fetched), in the house style
 * of the batch report (report_html.c):
 *
 *   - a heading with what was run: index, terms file, searchable set, time;
 *   - the totals: the searchable set, documents hit by some string or by
 *     none, with and without families;
 *   - a bar chart (inline SVG) of the documents each string hits, most
 *     first;
 *   - the table of every string's counts, sorted by a click on a heading
 *     (a failed string shows the parser's message and marks its column);
 *   - the overlap matrix (documents hit by both strings), shaded; beyond
 *     OVERLAP_MAX_TABLE strings, the largest overlaps as a list instead
 *     (JSON and XLSX hold the whole matrix);
 *   - the lines of the terms file that were skipped.
 *
 * Everything is written in full here, so the page reads and prints
 * without script; the script only re-sorts the table.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "html.h"
#include "str.h"

#define OVERLAP_MAX_TABLE 60
#define OVERLAP_TOP_PAIRS 100
#define CHART_W 1000
#define CHART_LABEL 260
#define CHART_ROW 22
#define CHART_LABEL_CHARS 36

/* Bytes of the first n characters of s (UTF-8), at most all of it. */
static size_t chars_bytes(const char *s, size_t n)
{
	size_t i = 0;
	while (s[i] && n) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		n--;
	}
	return i;
}

/* s, cut to n characters with an ellipsis. */
static void esc_cut(FILE *f, const char *s, size_t n)
{
	size_t b = chars_bytes(s, n);
	html_escape_n(f, s, b);
	if (s[b])
		fputs("&hellip;", f);
}

static const char css[] =
	":root{--ink:#1d2433;--muted:#5b6475;--line:#d9dee7;--paper:#fff;--band:#f5f7fa;"
	"--accent:#1f4e8c;--mark:#fff0a8;--err:#b00020}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:15px/1.5 Georgia,'Times New Roman',serif;color:var(--ink);background:var(--band)}\n"
	"main{max-width:1200px;margin:0 auto;padding:24px 28px 60px;background:var(--paper);min-height:100vh}\n"
	"h1{font-size:28px;margin:0 0 4px}h2{font-size:21px;margin:32px 0 8px}\n"
	"table,.runinfo,.chartbox,.note,.error,code{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}\n"
	".runinfo{color:var(--muted);font-size:13px;margin:0 0 20px}\n"
	".runinfo b{color:var(--ink);font-weight:600}\n"
	".note{color:var(--muted);font-size:13px;margin:4px 0 8px}\n"
	"table{border-collapse:collapse;font-size:13px;width:100%}\n"
	"th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}\n"
	"th{background:var(--band);font-weight:600}\n"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"td.q{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-word}\n"
	"table.totals td{font-size:20px;font-weight:600;text-align:center;white-space:nowrap}\n"
	"table.totals td small{display:block;font-size:12px;font-weight:400;color:var(--muted)}\n"
	"table.totals th{text-align:center}\n"
	".scroll{max-height:560px;overflow:auto;border:1px solid var(--line)}\n"
	".scroll thead th{position:sticky;top:0;z-index:1}\n"
	".chartbox{margin:12px 0;padding:12px;border:1px solid var(--line);background:#fcfdff}\n"
	"svg{display:block;width:100%;height:auto}\n"
	"svg .bar{fill:#4a78b5}svg .bar:hover{fill:#1f4e8c}svg .failed{fill:var(--err)}\n"
	"svg text{font:12px system-ui,Arial,sans-serif;fill:#5b6475}svg .axis{stroke:#9aa3b2;stroke-width:1}\n"
	"svg text.v{fill:#1d2433}\n"
	"tr.failed td{background:#fdf3f4}\n"
	".error{color:var(--err);font-size:12px}\n"
	"code{font-size:12px}mark.col{background:var(--err);color:#fff;padding:0 2px;border-radius:2px}\n"
	"table.overlap{width:auto}table.overlap td{text-align:right;min-width:3.2em;font-variant-numeric:tabular-nums}\n"
	"table.overlap th.col{text-align:center;white-space:nowrap}\n"
	"table.overlap th.row{white-space:nowrap;max-width:260px;overflow:hidden;text-overflow:ellipsis}\n"
	"table.overlap td.diag{font-weight:700;outline:1px solid #9aa3b2}\n"
	"@media print{body{background:#fff}main{padding:0}.scroll{max-height:none;overflow:visible}}\n";

static void count_cell(FILE *f, uint64_t v)
{
	fprintf(f, "<td class=\"num\">%llu</td>", (unsigned long long)v);
}

static void pct_cell(FILE *f, uint64_t part, uint64_t whole)
{
	double p = str_pct(part, whole);
	fprintf(f, "<td class=\"num\" data-v=\"%.6f\">%.2f%%</td>", p, p);
}

static void write_totals(FILE *f, const str_report *r)
{
	uint64_t set = r->set_documents;
	fputs("<section id=\"totals\"><h2>Totals</h2>\n<table class=\"totals\"><thead><tr>"
	      "<th>Searchable documents</th><th>Searchable passages</th>"
	      "<th>Documents with hits</th><th>With hits, incl. family</th>"
	      "<th>Documents without hits</th><th>Without hits, incl. family</th>"
	      "</tr></thead><tbody><tr>", f);
	fprintf(f, "<td>%llu</td><td>%llu</td>", (unsigned long long)set,
		(unsigned long long)r->set_passages);
	uint64_t v[4] = {r->hit_documents, r->hit_family, set - r->hit_documents,
			 set - r->hit_family};
	for (int i = 0; i < 4; i++)
		fprintf(f, "<td>%llu<small>%.2f%% of the set</small></td>",
			(unsigned long long)v[i], str_pct(v[i], set));
	fputs("</tr></tbody></table>\n<p class=\"note\">\"Incl. family\": a document "
	      "counts when it, or a document of the searchable set with the same "
	      "<code>family</code> value (an e-mail and its attachments), is hit. "
	      "Without hits, incl. family: neither the document nor any of its family "
	      "is hit.</p></section>\n", f);
}

typedef struct {
	size_t i;
	uint64_t v;
} bar;

static int cmp_bar(const void *a, const void *b)
{
	const bar *x = a, *y = b;
	if (x->v != y->v)
		return x->v > y->v ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* A step for the axis: 1, 2 or 5 times a power of ten, about 5 steps. */
static uint64_t axis_step(uint64_t max)
{
	uint64_t step = 1;
	while (max / step > 8) {
		if (max / (step * 2) <= 8)
			return step * 2;
		if (max / (step * 5) <= 8)
			return step * 5;
		step *= 10;
	}
	return step;
}

static void write_chart(FILE *f, const str_report *r)
{
	size_t n = r->terms->n;
	bar *bars = n ? malloc(n * sizeof *bars) : NULL;
	if (n && !bars)
		return;
	uint64_t max = 0;
	for (size_t i = 0; i < n; i++) {
		bars[i] = (bar){i, r->terms->s[i].documents};
		if (bars[i].v > max)
			max = bars[i].v;
	}
	if (n)
		qsort(bars, n, sizeof *bars, cmp_bar);
	uint64_t step = axis_step(max ? max : 1);
	uint64_t top = (max / step + 1) * step;
	if (max && max % step == 0)
		top = max;
	int W = CHART_W, L = CHART_LABEL, R = 70, T = 24;
	double plot = W - L - R;
	int H = T + (int)n * CHART_ROW + 8;
	fputs("<section id=\"chart\"><h2>Documents with hits per string</h2>\n"
	      "<p class=\"note\">Most first; a failed string is shown in red with no bar. "
	      "Hover over a bar for its label and count.</p>\n", f);
	fprintf(f, "<div class=\"chartbox%s\"><svg viewBox=\"0 0 %d %d\" role=\"img\">"
		"<title>Documents with hits per search string</title>\n",
		n > 40 ? " scroll" : "", W, H);
	for (uint64_t g = 0; g <= top; g += step) {
		double x = L + plot * (double)g / (double)top;
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" class=\"axis\" "
			"opacity=\"%s\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%llu</text>\n",
			x, x, T - 4, H - 8, g ? "0.25" : "1", x, T - 8, (unsigned long long)g);
	}
	for (size_t k = 0; k < n; k++) {
		const str_string *s = &r->terms->s[bars[k].i];
		double y = T + (double)k * CHART_ROW;
		double w = plot * (double)s->documents / (double)top;
		if (s->documents && w < 1)
			w = 1;
		fprintf(f, "<g><title>");
		html_escape(f, s->label);
		if (s->error)
			fputs(": failed", f);
		else
			fprintf(f, ": %llu documents", (unsigned long long)s->documents);
		fprintf(f, "</title><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\"%s>", L - 8,
			y + CHART_ROW * 0.68, s->error ? " class=\"failed\"" : "");
		esc_cut(f, s->label, CHART_LABEL_CHARS);
		fprintf(f, "</text><rect x=\"%d\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" "
			"class=\"bar\"/><text class=\"v\" x=\"%.1f\" y=\"%.1f\">",
			L, y + 3, w, CHART_ROW - 6, L + w + 5, y + CHART_ROW * 0.68);
		if (s->error)
			fputs("failed", f);
		else
			fprintf(f, "%llu", (unsigned long long)s->documents);
		fputs("</text></g>\n", f);
	}
	fputs("</svg></div></section>\n", f);
	free(bars);
}

/* The query with the character at 1-based column col marked. */
static void query_with_column(FILE *f, const char *q, int col)
{
	size_t before = col > 0 ? chars_bytes(q, (size_t)col - 1) : strlen(q);
	html_escape_n(f, q, before);
	if (col <= 0)
		return;
	size_t one = chars_bytes(q + before, 1);
	fputs("<mark class=\"col\">", f);
	if (one)
		html_escape_n(f, q + before, one);
	else
		fputs("&nbsp;", f); /* the error is at the end */
	fputs("</mark>", f);
	html_escape(f, q + before + one);
}

static void write_table(FILE *f, const str_report *r)
{
	fputs("<section id=\"strings\"><h2>Search strings</h2>\n<p class=\"note\">"
	      "Click a heading to sort. Percentages are of the searchable set: documents, "
	      "or passages for the passage count. Hits: occurrences of the words, "
	      "phrases and connector matches in the matching passages.</p>\n"
	      "<div class=\"scroll\"><table class=\"sortable\" id=\"str\"><thead><tr>"
	      "<th class=\"num\">#</th><th>Label</th><th>Search string</th>"
	      "<th class=\"num\">Documents</th><th class=\"num\">%</th>"
	      "<th class=\"num\">Passages</th><th class=\"num\">%</th>"
	      "<th class=\"num\">Hits</th><th class=\"num\">Unique docs</th><th class=\"num\">%</th>"
	      "<th class=\"num\">Docs incl. family</th><th class=\"num\">%</th>"
	      "</tr></thead><tbody>\n", f);
	for (size_t i = 0; i < r->terms->n; i++) {
		const str_string *s = &r->terms->s[i];
		fprintf(f, "<tr%s><td class=\"num\">%zu</td><td>", s->error ? " class=\"failed\"" : "",
			i + 1);
		html_escape(f, s->label);
		fputs("</td><td class=\"q\">", f);
		if (s->error) {
			query_with_column(f, s->query, s->error_column);
			fputs("<div class=\"error\">", f);
			if (s->error_column)
				fprintf(f, "column %d: ", s->error_column);
			html_escape(f, s->error);
			fputs("</div></td>", f);
			for (int k = 0; k < 9; k++)
				fputs("<td class=\"num\" data-v=\"-1\">&ndash;</td>", f);
			fputs("</tr>\n", f);
			continue;
		}
		html_escape(f, s->query);
		if (s->truncated)
			fputs("<div class=\"error\">hits are a lower bound: a passage had more "
			      "matches than are counted</div>", f);
		fputs("</td>", f);
		count_cell(f, s->documents);
		pct_cell(f, s->documents, r->set_documents);
		count_cell(f, s->passages);
		pct_cell(f, s->passages, r->set_passages);
		count_cell(f, s->hits);
		count_cell(f, s->unique);
		pct_cell(f, s->unique, r->set_documents);
		count_cell(f, s->family);
		pct_cell(f, s->family, r->set_documents);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div></section>\n", f);
}

typedef struct {
	size_t i, j;
	uint64_t v;
} pair;

static int cmp_pair(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	if (x->v != y->v)
		return x->v > y->v ? -1 : 1;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return (x->j > y->j) - (x->j < y->j);
}

static void write_overlap(FILE *f, const str_report *r)
{
	size_t n = r->terms->n;
	fputs("<section id=\"overlap\"><h2>Overlap between strings</h2>\n", f);
	if (n > OVERLAP_MAX_TABLE) {
		size_t np = n * (n - 1) / 2, k = 0;
		pair *ps = np ? malloc(np * sizeof *ps) : NULL;
		if (np && !ps)
			return;
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++)
				ps[k++] = (pair){i, j, str_overlap(r, i, j)};
		qsort(ps, np, sizeof *ps, cmp_pair);
		fprintf(f, "<p class=\"note\">%zu strings: the %d pairs with the most "
			"documents in common (the whole matrix is in the JSON and XLSX "
			"reports).</p>\n<div class=\"scroll\"><table class=\"sortable\"><thead><tr>"
			"<th>String</th><th>String</th><th class=\"num\">Documents hit by both</th>"
			"</tr></thead><tbody>\n", n, OVERLAP_TOP_PAIRS);
		for (size_t p = 0; p < np && p < OVERLAP_TOP_PAIRS; p++) {
			fputs("<tr><td>", f);
			html_escape(f, r->terms->s[ps[p].i].label);
			fputs("</td><td>", f);
			html_escape(f, r->terms->s[ps[p].j].label);
			fputs("</td>", f);
			count_cell(f, ps[p].v);
			fputs("</tr>\n", f);
		}
		fputs("</tbody></table></div></section>\n", f);
		free(ps);
		return;
	}
	uint64_t max = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (i != j && str_overlap(r, i, j) > max)
				max = str_overlap(r, i, j);
	fputs("<p class=\"note\">Documents hit by both the string of the row and the "
	      "string of the column; on the diagonal, the documents of the string itself. "
	      "The darker, the more in common.</p>\n<div class=\"scroll\"><table "
	      "class=\"overlap\"><thead><tr><th></th>", f);
	for (size_t j = 0; j < n; j++) {
		fprintf(f, "<th class=\"col\" title=\"");
		html_escape(f, r->terms->s[j].label);
		fprintf(f, "\">%zu</th>", j + 1);
	}
	fputs("</tr></thead><tbody>\n", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "<tr><th class=\"row\" title=\"");
		html_escape(f, r->terms->s[i].label);
		fprintf(f, "\">%zu. ", i + 1);
		esc_cut(f, r->terms->s[i].label, 40);
		fputs("</th>", f);
		for (size_t j = 0; j < n; j++) {
			uint64_t v = str_overlap(r, i, j);
			if (i == j) {
				fprintf(f, "<td class=\"diag\">%llu</td>", (unsigned long long)v);
				continue;
			}
			double a = max ? 0.08 + 0.6 * (double)v / (double)max : 0;
			if (v)
				fprintf(f, "<td style=\"background:rgba(74,120,181,%.2f)\">%llu</td>", a,
					(unsigned long long)v);
			else
				fputs("<td>0</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div></section>\n", f);
}

static void write_skipped(FILE *f, const str_report *r)
{
	if (!r->terms->nskips)
		return;
	fputs("<section id=\"skipped\"><h2>Lines skipped</h2>\n<p class=\"note\">These lines of "
	      "the terms file are not search strings and were not run.</p>\n"
	      "<table><thead><tr><th class=\"num\">Line</th><th>Why</th></tr></thead><tbody>\n", f);
	for (size_t i = 0; i < r->terms->nskips; i++) {
		fprintf(f, "<tr><td class=\"num\">%ld</td><td>", r->terms->skips[i].line);
		html_escape(f, r->terms->skips[i].reason);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></section>\n", f);
}

int str_html_write(FILE *f, const str_report *r, const char *title)
{
	if (!title || !*title)
		title = "Search term report";
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"dicta " DICTA_VERSION "\">\n<title>", f);
	html_escape(f, title);
	fprintf(f, "</title>\n<style>\n%s%s</style></head>\n<body><main>\n<h1>", css,
		html_sortable_css);
	html_escape(f, title);
	fprintf(f, "</h1>\n<p class=\"runinfo\"><b>%zu</b> search string%s", r->terms->n,
		r->terms->n == 1 ? "" : "s");
	if (*r->terms_path) {
		fputs(" from <b>", f);
		html_escape(f, r->terms_path);
		fputs("</b>", f);
	}
	if (*r->index_path) {
		fputs(" against the index <b>", f);
		html_escape(f, r->index_path);
		fputs("</b>", f);
	}
	fputs(".<br>Searchable set: ", f);
	if (*r->within) {
		fputs("the documents with a passage matching <b><code>", f);
		html_escape(f, r->within);
		fputs("</code></b>", f);
	} else {
		fputs("<b>every document of the index</b>", f);
	}
	fprintf(f, ".<br>Created %s (UTC) by dicta " DICTA_VERSION " in %.2f s. Every "
		"count is exact: every matching passage was checked.", r->created, r->seconds);
	if (r->failed)
		fprintf(f, " <span class=\"error\">%zu string%s failed.</span>", r->failed,
			r->failed == 1 ? "" : "s");
	if (r->terms->nskips)
		fprintf(f, " <span class=\"error\">%zu line%s skipped.</span>", r->terms->nskips,
			r->terms->nskips == 1 ? "" : "s");
	fputs("</p>\n", f);
	write_totals(f, r);
	write_chart(f, r);
	write_table(f, r);
	write_overlap(f, r);
	write_skipped(f, r);
	fprintf(f, "</main>\n<script>\n%s</script>\n</body></html>\n", html_sortable_script);
	fflush(f);
	return ferror(f) ? error_set(DICTA_EIO, "cannot write the report") : 0;
}
