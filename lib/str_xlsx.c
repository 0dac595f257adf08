/*
 * str_xlsx.c — a search term report as an Excel workbook, through
 * libxlsxwriter:
 *
 *   sheet 1 "Search terms"  the table, one row per string: counts as
 *                           numbers, percentages as fractions with a %
 *                           format, the header row frozen, an autofilter,
 *                           column widths set, a data bar on the documents;
 *                           the totals below it, after a blank row
 *   sheet 2 "Overlap"       documents hit by both strings, labels frozen on
 *                           both edges, a two-colour scale
 *   sheet 3 "Parameters"    index, date and time, searchable set, dicta
 *                           version, number of strings, lines skipped
 *
 * Pages are set to print landscape, one page wide.
 */
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "error.h"
#include "str.h"

/* Excel keeps at most 32,767 characters in a cell. */
#define CELL_MAX 32000

typedef struct {
	lxw_workbook *wb;
	lxw_format *head, *pct, *num, *bold, *boldnum, *boldpct, *err, *wrap, *diag,
		*left, *secs;
	lxw_error rc;
	char *buf;
} book;

static void keep(book *b, lxw_error e)
{
	if (e != LXW_NO_ERROR && b->rc == LXW_NO_ERROR)
		b->rc = e;
}

/* s, cut to what a cell holds (at a whole UTF-8 character). */
static const char *cell_text(book *b, const char *s)
{
	size_t n = strlen(s);
	if (n <= CELL_MAX)
		return s;
	while (n > CELL_MAX || ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(b->buf, s, n);
	b->buf[n] = '\0';
	return b->buf;
}

static void text(book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		 const char *s, lxw_format *f)
{
	keep(b, worksheet_write_string(ws, r, c, cell_text(b, s), f));
}

static void number(book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		   double v, lxw_format *f)
{
	keep(b, worksheet_write_number(ws, r, c, v, f));
}

static void percent(book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		    uint64_t part, uint64_t whole, lxw_format *f)
{
	number(b, ws, r, c, str_pct(part, whole) / 100.0, f);
}

enum {
	C_NO, C_LABEL, C_QUERY, C_DOCS, C_DOCS_PCT, C_PASS, C_PASS_PCT, C_HITS,
	C_UNIQ, C_UNIQ_PCT, C_FAM, C_FAM_PCT, C_ERROR, NCOLS
};

static void table_sheet(book *b, const str_report *r)
{
	static const struct {
		const char *head;
		double width;
	} cols[NCOLS] = {
		{"#", 5},
		{"Label", 30},
		{"Search string", 40},
		{"Documents with hits", 12},
		{"% of documents", 10},
		{"Passages with hits", 12},
		{"% of passages", 10},
		{"Hits", 10},
		{"Unique documents", 12},
		{"% unique", 10},
		{"Documents with hits incl. family", 14},
		{"% incl. family", 10},
		{"Error", 50},
	};
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Search terms");
	if (!ws) {
		keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	size_t n = r->terms->n;
	keep(b, worksheet_set_row(ws, 0, 45, NULL));
	for (lxw_col_t c = 0; c < NCOLS; c++) {
		lxw_format *f = c == C_LABEL || c == C_QUERY || c == C_ERROR ? b->wrap
			: c == C_DOCS_PCT || c == C_PASS_PCT || c == C_UNIQ_PCT ||
					c == C_FAM_PCT ? b->pct : b->num;
		keep(b, worksheet_set_column(ws, c, c, cols[c].width, f));
		text(b, ws, 0, c, cols[c].head, b->head);
	}
	for (size_t i = 0; i < n; i++) {
		const str_string *s = &r->terms->s[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		number(b, ws, row, C_NO, (double)(i + 1), b->num);
		text(b, ws, row, C_LABEL, s->label, b->wrap);
		text(b, ws, row, C_QUERY, s->query, b->wrap);
		if (s->error) {
			char msg[64];
			snprintf(msg, sizeof msg, "column %d: ", s->error_column);
			size_t ml = strlen(msg), el = strlen(s->error);
			char *full = malloc(ml + el + 1);
			if (!full) {
				keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
				return;
			}
			memcpy(full, msg, ml);
			memcpy(full + ml, s->error, el + 1);
			text(b, ws, row, C_ERROR, s->error_column ? full : s->error, b->err);
			free(full);
			continue;
		}
		number(b, ws, row, C_DOCS, (double)s->documents, b->num);
		percent(b, ws, row, C_DOCS_PCT, s->documents, r->set_documents, b->pct);
		number(b, ws, row, C_PASS, (double)s->passages, b->num);
		percent(b, ws, row, C_PASS_PCT, s->passages, r->set_passages, b->pct);
		number(b, ws, row, C_HITS, (double)s->hits, b->num);
		number(b, ws, row, C_UNIQ, (double)s->unique, b->num);
		percent(b, ws, row, C_UNIQ_PCT, s->unique, r->set_documents, b->pct);
		number(b, ws, row, C_FAM, (double)s->family, b->num);
		percent(b, ws, row, C_FAM_PCT, s->family, r->set_documents, b->pct);
		if (s->truncated)
			text(b, ws, row, C_ERROR, "hits are a lower bound: a passage had "
				 "more matches than are counted", b->err);
	}
	worksheet_freeze_panes(ws, 1, 0);
	keep(b, worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, NCOLS - 1));
	if (n) {
		lxw_conditional_format bar = {0};
		bar.type = LXW_CONDITIONAL_DATA_BAR;
		bar.bar_color = 0x7FA7D9;
		bar.bar_solid = LXW_TRUE;
		keep(b, worksheet_conditional_format_range(ws, 1, C_DOCS, (lxw_row_t)n,
							   C_DOCS, &bar));
	}
	/* The totals, after a blank row. */
	lxw_row_t t = (lxw_row_t)n + 2;
	keep(b, worksheet_set_row(ws, t, 30, NULL));
	text(b, ws, t, C_LABEL, "Totals", b->head);
	static const char *const th[] = {"Documents", "% of documents", "Passages",
					 "% of passages"};
	for (int k = 0; k < 4; k++)
		text(b, ws, t, (lxw_col_t)(C_DOCS + k), th[k], b->head);
	text(b, ws, t, C_FAM, "Incl. family", b->head);
	text(b, ws, t, C_FAM_PCT, "% incl. family", b->head);
	text(b, ws, t + 1, C_LABEL, "Searchable set", b->bold);
	number(b, ws, t + 1, C_DOCS, (double)r->set_documents, b->boldnum);
	percent(b, ws, t + 1, C_DOCS_PCT, r->set_documents, r->set_documents, b->boldpct);
	number(b, ws, t + 1, C_PASS, (double)r->set_passages, b->boldnum);
	percent(b, ws, t + 1, C_PASS_PCT, r->set_passages, r->set_passages, b->boldpct);
	text(b, ws, t + 2, C_LABEL, "Hit by at least one string", b->bold);
	number(b, ws, t + 2, C_DOCS, (double)r->hit_documents, b->boldnum);
	percent(b, ws, t + 2, C_DOCS_PCT, r->hit_documents, r->set_documents, b->boldpct);
	number(b, ws, t + 2, C_FAM, (double)r->hit_family, b->boldnum);
	percent(b, ws, t + 2, C_FAM_PCT, r->hit_family, r->set_documents, b->boldpct);
	text(b, ws, t + 3, C_LABEL, "Hit by no string", b->bold);
	number(b, ws, t + 3, C_DOCS, (double)(r->set_documents - r->hit_documents), b->boldnum);
	percent(b, ws, t + 3, C_DOCS_PCT, r->set_documents - r->hit_documents,
		r->set_documents, b->boldpct);
	number(b, ws, t + 3, C_FAM, (double)(r->set_documents - r->hit_family), b->boldnum);
	percent(b, ws, t + 3, C_FAM_PCT, r->set_documents - r->hit_family,
		r->set_documents, b->boldpct);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	keep(b, worksheet_repeat_rows(ws, 0, 0));
}

static void overlap_sheet(book *b, const str_report *r)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Overlap");
	if (!ws) {
		keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	size_t n = r->terms->n;
	if (n >= LXW_COL_MAX - 1)
		n = LXW_COL_MAX - 2; /* Excel has 16,384 columns */
	keep(b, worksheet_set_column(ws, 0, 0, 28, b->wrap));
	if (n)
		keep(b, worksheet_set_column(ws, 1, (lxw_col_t)n, 12, b->num));
	keep(b, worksheet_set_row(ws, 0, 45, NULL));
	text(b, ws, 0, 0, "Documents hit by both", b->head);
	for (size_t i = 0; i < n; i++) {
		text(b, ws, 0, (lxw_col_t)(i + 1), r->terms->s[i].label, b->head);
		text(b, ws, (lxw_row_t)(i + 1), 0, r->terms->s[i].label, b->bold);
		for (size_t j = 0; j < n; j++)
			number(b, ws, (lxw_row_t)(i + 1), (lxw_col_t)(j + 1),
			       (double)str_overlap(r, i, j), i == j ? b->diag : b->num);
	}
	worksheet_freeze_panes(ws, 1, 1);
	if (n) {
		lxw_conditional_format scale = {0};
		scale.type = LXW_CONDITIONAL_2_COLOR_SCALE;
		scale.min_color = 0xFFFFFF;
		scale.max_color = 0x6A9BD8;
		keep(b, worksheet_conditional_format_range(ws, 1, 1, (lxw_row_t)n,
							   (lxw_col_t)n, &scale));
	}
	worksheet_set_landscape(ws);
	if (n <= 30)
		worksheet_fit_to_pages(ws, 1, 0);
}

static void parameters_sheet(book *b, const str_report *r)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Parameters");
	if (!ws) {
		keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	keep(b, worksheet_set_column(ws, 0, 0, 34, b->bold));
	keep(b, worksheet_set_column(ws, 1, 1, 70, b->wrap));
	worksheet_fit_to_pages(ws, 1, 0);
	text(b, ws, 0, 0, "Parameter", b->head);
	text(b, ws, 0, 1, "Value", b->head);
	struct {
		const char *k, *v;
		double n;
	} rows[] = {
		{"Report", "Search term report", -1},
		{"Index", r->index_path, -1},
		{"Search strings file", r->terms_path, -1},
		{"Searchable set", *r->within ? r->within : "all documents of the index", -1},
		{"Created (UTC)", r->created, -1},
		{"dicta version", DICTA_VERSION, -1},
		{"Search strings", NULL, (double)r->terms->n},
		{"Strings that failed", NULL, (double)r->failed},
		{"Lines skipped", NULL, (double)r->terms->nskips},
		{"Documents in the searchable set", NULL, (double)r->set_documents},
		{"Passages in the searchable set", NULL, (double)r->set_passages},
		{"Seconds", NULL, r->seconds},
	};
	lxw_row_t row = 1;
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++, row++) {
		text(b, ws, row, 0, rows[i].k, b->bold);
		if (rows[i].v)
			text(b, ws, row, 1, rows[i].v, b->wrap);
		else
			number(b, ws, row, 1, rows[i].n, i + 1 == sizeof rows / sizeof *rows
							     ? b->secs : b->left);
	}
	if (r->terms->nskips) {
		row++;
		text(b, ws, row, 0, "Line skipped", b->head);
		text(b, ws, row, 1, "Why", b->head);
		for (size_t i = 0; i < r->terms->nskips; i++) {
			row++;
			number(b, ws, row, 0, (double)r->terms->skips[i].line, b->bold);
			text(b, ws, row, 1, r->terms->skips[i].reason, b->wrap);
		}
	}
}

int str_xlsx_write(const char *path, const str_report *r)
{
	book b = {0};
	b.buf = malloc(CELL_MAX + 1);
	lxw_workbook_options wo = {0};
	wo.constant_memory = LXW_FALSE;
	b.wb = b.buf ? workbook_new_opt(path, &wo) : NULL;
	if (!b.wb) {
		free(b.buf);
		return error_set(DICTA_ENOMEM, "out of memory writing %s", path);
	}
	lxw_doc_properties props = {0};
	props.title = "Search term report";
	props.comments = "written by dicta " DICTA_VERSION;
	keep(&b, workbook_set_properties(b.wb, &props));
	b.head = workbook_add_format(b.wb);
	format_set_bold(b.head);
	format_set_text_wrap(b.head);
	format_set_align(b.head, LXW_ALIGN_VERTICAL_TOP);
	format_set_bg_color(b.head, 0xE8EDF4);
	format_set_bottom(b.head, LXW_BORDER_THIN);
	b.num = workbook_add_format(b.wb);
	format_set_num_format(b.num, "#,##0");
	format_set_align(b.num, LXW_ALIGN_VERTICAL_TOP);
	b.pct = workbook_add_format(b.wb);
	format_set_num_format(b.pct, "0.00%");
	format_set_align(b.pct, LXW_ALIGN_VERTICAL_TOP);
	b.wrap = workbook_add_format(b.wb);
	format_set_text_wrap(b.wrap);
	format_set_align(b.wrap, LXW_ALIGN_VERTICAL_TOP);
	b.bold = workbook_add_format(b.wb);
	format_set_bold(b.bold);
	format_set_align(b.bold, LXW_ALIGN_VERTICAL_TOP);
	b.boldnum = workbook_add_format(b.wb);
	format_set_bold(b.boldnum);
	format_set_num_format(b.boldnum, "#,##0");
	b.boldpct = workbook_add_format(b.wb);
	format_set_bold(b.boldpct);
	format_set_num_format(b.boldpct, "0.00%");
	b.err = workbook_add_format(b.wb);
	format_set_font_color(b.err, 0xB00020);
	format_set_text_wrap(b.err);
	format_set_align(b.err, LXW_ALIGN_VERTICAL_TOP);
	b.left = workbook_add_format(b.wb);
	format_set_num_format(b.left, "#,##0");
	format_set_align(b.left, LXW_ALIGN_LEFT);
	b.secs = workbook_add_format(b.wb);
	format_set_num_format(b.secs, "0.000");
	format_set_align(b.secs, LXW_ALIGN_LEFT);
	b.diag = workbook_add_format(b.wb);
	format_set_bold(b.diag);
	format_set_num_format(b.diag, "#,##0");
	format_set_border(b.diag, LXW_BORDER_THIN);
	table_sheet(&b, r);
	overlap_sheet(&b, r);
	parameters_sheet(&b, r);
	lxw_error close = workbook_close(b.wb);
	free(b.buf);
	if (b.rc != LXW_NO_ERROR)
		return error_set(DICTA_EIO, "cannot write %s: %s", path, lxw_strerror(b.rc));
	if (close != LXW_NO_ERROR)
		return error_set(DICTA_EIO, "cannot write %s: %s", path, lxw_strerror(close));
	return 0;
}
