/*
 * report_html.c — the HTML report of a batch run: one self-contained file
 * (its CSS, script and chart inline; nothing is fetched) that a lawyer can
 * read and a researcher can study.
 *
 *   - a heading with what was run: index, query file, options, time;
 *   - with judgments: the averages of every measure, a bar chart (inline
 *     SVG) of one measure per query, chosen from a list, and a table of
 *     every query's measures that sorts on a click of its heading;
 *     without judgments: a table of the queries and their best document;
 *   - then each query: its text (long ones folded), the words searched,
 *     its measures, and its best documents with title, id, date, citation,
 *     court, score and their best passages with the matched words marked;
 *     with judgments each document is marked relevant or not, and the
 *     relevant documents not shown are listed with their rank.
 *
 * The chart and the tables are written in full here, so the report reads
 * and prints without script; the script only re-sorts and re-draws.  The
 * report keeps only what it shows (report_html_options.shown results per
 * query), so a batch of thousands of queries with k = 1000 stays small.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "format.h"
#include "html.h"
#include "report.h"

typedef struct {
	unsigned ordinal;
	double score;
	char *text;          /* the snippet window of the passage */
	size_t start;        /* its offset in the document */
	dicta_span *hl;      /* highlights, document offsets */
	size_t nhl;
} shown_passage;

typedef struct {
	char *id, *title, *date, *citation, *court, *type;
	double score;
	int judged, rel;
	shown_passage *ps;
	size_t nps;
} shown_hit;

typedef struct {
	char *id, *text, *searched, *error;
	double seconds;
	size_t nresults;
	uint64_t estimated;
	int has_metrics;
	eval_query m;
	shown_hit *hits;
	size_t nhits;
	/* Relevant documents not shown: id and rank (0: not retrieved). */
	char **missed;
	size_t *missed_rank;
	size_t nmissed;
} shown_query;

struct report_html {
	report_html_options o;
	char *title, *index_path, *batch_path, *settings;
	shown_query *q;
	size_t n, cap;
};

int report_html_new(report_html **out, const report_html_options *o)
{
	report_html *r = calloc(1, sizeof *r);
	if (!r)
		return error_set(DICTA_ENOMEM, "out of memory");
	r->o = *o;
	if (!r->o.shown)
		r->o.shown = 10;
	r->title = strdup(o->title ? o->title : "Search report");
	r->index_path = strdup(o->index_path ? o->index_path : "");
	r->batch_path = strdup(o->batch_path ? o->batch_path : "");
	r->settings = strdup(o->settings ? o->settings : "");
	if (!r->title || !r->index_path || !r->batch_path || !r->settings) {
		report_html_free(r);
		return error_set(DICTA_ENOMEM, "out of memory");
	}
	*out = r;
	return 0;
}

static void hit_free(shown_hit *h)
{
	free(h->id);
	free(h->title);
	free(h->date);
	free(h->citation);
	free(h->court);
	free(h->type);
	for (size_t i = 0; i < h->nps; i++) {
		free(h->ps[i].text);
		free(h->ps[i].hl);
	}
	free(h->ps);
}

void report_html_free(report_html *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		shown_query *q = &r->q[i];
		free(q->id);
		free(q->text);
		free(q->searched);
		free(q->error);
		free(q->m.qid);
		for (size_t j = 0; j < q->nhits; j++)
			hit_free(&q->hits[j]);
		free(q->hits);
		for (size_t j = 0; j < q->nmissed; j++)
			free(q->missed[j]);
		free(q->missed);
		free(q->missed_rank);
	}
	free(r->q);
	free(r->title);
	free(r->index_path);
	free(r->batch_path);
	free(r->settings);
	free(r);
}

static int keep_passage(shown_passage *s, const dicta_passage *p)
{
	size_t from, to;
	format_snippet_window(p, &from, &to);
	const char *doc = p->text - p->start;
	s->ordinal = p->ordinal;
	s->score = p->score;
	s->start = from;
	if (!(s->text = strndup(doc + from, to - from)))
		return -1;
	s->nhl = 0;
	s->hl = p->nhighlights ? malloc(p->nhighlights * sizeof *s->hl) : NULL;
	if (p->nhighlights && !s->hl)
		return -1;
	for (size_t i = 0; i < p->nhighlights; i++) {
		dicta_span h = p->highlights[i];
		if (h.end <= from || h.start >= to)
			continue;
		if (h.start < from)
			h.start = from;
		if (h.end > to)
			h.end = to;
		s->hl[s->nhl++] = h;
	}
	return 0;
}

static int keep_hit(shown_hit *s, const dicta_hit *h, const batch_outcome *o,
		    const report_options *ro)
{
	s->id = report_result_id(h, ro->unit);
	s->title = strdup(h->title);
	s->date = strdup(h->date);
	s->citation = strdup(h->citation);
	s->court = strdup(h->court);
	s->type = strdup(h->type);
	s->score = h->score;
	if (!s->id || !s->title || !s->date || !s->citation || !s->court || !s->type)
		return -1;
	if (ro->qrels)
		s->rel = eval_qrels_get(ro->qrels, o->query->id, s->id, &s->judged);
	s->ps = h->npassages ? calloc(h->npassages, sizeof *s->ps) : NULL;
	if (h->npassages && !s->ps)
		return -1;
	for (size_t i = 0; i < h->npassages; i++) {
		s->nps = i + 1;
		if (keep_passage(&s->ps[i], &h->passages[i]))
			return -1;
	}
	return 0;
}

/* The relevant documents of the query that the report does not show. */
static int keep_missed(shown_query *q, const batch_outcome *o,
		       const report_options *ro)
{
	const char *const *rel;
	size_t nrel = eval_qrels_relevant_ids(ro->qrels, o->query->id, &rel);
	size_t n = o->res ? dicta_results_count(o->res) : 0;
	if (!nrel)
		return 0;
	q->missed = calloc(nrel, sizeof *q->missed);
	q->missed_rank = calloc(nrel, sizeof *q->missed_rank);
	if (!q->missed || !q->missed_rank)
		return -1;
	for (size_t i = 0; i < nrel; i++) {
		size_t rank = 0;
		for (size_t j = 0; j < n && !rank; j++) {
			char *id = report_result_id(dicta_results_get(o->res, j), ro->unit);
			if (!id)
				return -1;
			if (strcmp(id, rel[i]) == 0)
				rank = j + 1;
			free(id);
		}
		if (rank && rank <= q->nhits)
			continue;
		if (!(q->missed[q->nmissed] = strdup(rel[i])))
			return -1;
		q->missed_rank[q->nmissed++] = rank;
	}
	return 0;
}

int report_html_add(report_html *r, const batch_outcome *o, const eval_query *m)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		shown_query *q = realloc(r->q, cap * sizeof *q);
		if (!q)
			return error_set(DICTA_ENOMEM, "out of memory");
		r->q = q;
		r->cap = cap;
	}
	shown_query *q = &r->q[r->n++];
	memset(q, 0, sizeof *q);
	int failed = !(q->id = strdup(o->query->id)) ||
		     !(q->text = strdup(o->query->text)) ||
		     !(q->searched = strdup(o->searched)) ||
		     !(q->error = strdup(o->error));
	q->seconds = o->seconds;
	if (!failed && m) {
		q->has_metrics = 1;
		q->m = *m;
		q->m.qid = NULL;
	}
	if (!failed && o->res) {
		q->nresults = dicta_results_count(o->res);
		q->estimated = dicta_results_estimated(o->res);
		size_t n = q->nresults < r->o.shown ? q->nresults : r->o.shown;
		q->hits = n ? calloc(n, sizeof *q->hits) : NULL;
		failed = n && !q->hits;
		for (size_t i = 0; !failed && i < n; i++) {
			q->nhits = i + 1;
			failed = keep_hit(&q->hits[i], dicta_results_get(o->res, i), o,
					  &r->o.ro) != 0;
		}
	}
	if (!failed && r->o.ro.qrels)
		failed = keep_missed(q, o, &r->o.ro) != 0;
	return failed ? error_set(DICTA_ENOMEM, "out of memory") : 0;
}

/* ------------------------------------------------------------- writing */

/* Text for a <script type="application/json"> block: a JSON string with
 * "<" escaped, so "</script>" cannot end the block. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '<')
			fputs("\\u003c", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char css[] =
	":root{--ink:#1d2433;--muted:#5b6475;--line:#d9dee7;--paper:#fff;--band:#f5f7fa;"
	"--accent:#1f4e8c;--rel:#1e7b34;--relbg:#e3f4e7;--non:#8a3b12;--nonbg:#fbeee6;--mark:#fff0a8}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:15px/1.5 Georgia,'Times New Roman',serif;color:var(--ink);background:var(--band)}\n"
	"main{max-width:1100px;margin:0 auto;padding:24px 28px 60px;background:var(--paper);min-height:100vh}\n"
	"h1{font-size:28px;margin:0 0 4px}h2{font-size:21px;margin:32px 0 8px}h3{font-size:17px;margin:0}\n"
	".sans,table,.meta,.badge,.runinfo,nav,.chartbox,.qhead,.measures{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}\n"
	".runinfo{color:var(--muted);font-size:13px;margin:0 0 20px}\n"
	".runinfo b{color:var(--ink);font-weight:600}\n"
	"table{border-collapse:collapse;font-size:13px;width:100%}\n"
	"th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}\n"
	"th{background:var(--band);font-weight:600;white-space:nowrap}\n"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"table.avg td{font-size:18px;font-weight:600;text-align:center}\n"
	"table.avg th{text-align:center}\n"
	".scroll{max-height:480px;overflow:auto;border:1px solid var(--line)}\n"
	".scroll thead th{position:sticky;top:0}\n"
	".chartbox{margin:18px 0;padding:12px;border:1px solid var(--line);background:#fcfdff}\n"
	".chartbox label{font-size:13px;color:var(--muted)}\n"
	".chartbox select{font:inherit;margin-left:6px}\n"
	"svg{display:block;width:100%;height:auto;margin-top:8px}\n"
	"svg .bar{fill:#4a78b5}svg .bar:hover{fill:#1f4e8c}svg .mean{stroke:#c0392b;stroke-width:1.5;stroke-dasharray:5 4}\n"
	"svg text{font:11px system-ui,Arial,sans-serif;fill:#5b6475}svg .axis{stroke:#9aa3b2;stroke-width:1}\n"
	"section.query{border-top:2px solid var(--line);margin-top:30px;padding-top:6px}\n"
	".qhead{display:flex;justify-content:space-between;align-items:baseline;gap:12px;flex-wrap:wrap}\n"
	".qhead a.top{font-size:12px;color:var(--muted)}\n"
	".qtext{margin:8px 0;padding:8px 14px;border-left:4px solid var(--accent);background:var(--band)}\n"
	".qtext summary{cursor:pointer;color:var(--accent);font-family:system-ui,Arial,sans-serif;font-size:13px}\n"
	".searched{font-size:13px;color:var(--muted);font-family:system-ui,Arial,sans-serif}\n"
	".measures{font-size:13px;margin:6px 0 10px;color:var(--ink)}\n"
	".measures span{display:inline-block;margin-right:14px}\n"
	".measures b{font-weight:600}\n"
	"ol.results{list-style:none;padding:0;margin:0}\n"
	"ol.results>li{padding:10px 12px;margin:8px 0;border:1px solid var(--line);border-left:5px solid var(--line)}\n"
	"ol.results>li.rel{border-left-color:var(--rel);background:#fbfefb}\n"
	"ol.results>li.non{border-left-color:#c98a6a}\n"
	".rank{display:inline-block;min-width:2.2em;font-family:system-ui,Arial,sans-serif;color:var(--muted);font-weight:600}\n"
	".doctitle{font-weight:bold;font-size:16px}\n"
	".meta{font-size:12px;color:var(--muted);margin:2px 0 6px 2.6em}\n"
	".meta span+span::before{content:' \\00B7  '}\n"
	".badge{display:inline-block;font-size:11px;font-weight:600;padding:1px 7px;border-radius:9px;margin-left:8px;vertical-align:2px}\n"
	".badge.rel{background:var(--relbg);color:var(--rel)}.badge.non{background:var(--nonbg);color:var(--non)}\n"
	".badge.unj{background:var(--band);color:var(--muted)}\n"
	".passage{margin:4px 0 0 2.6em;font-size:15px}\n"
	".passage .pn{font:11px system-ui,Arial,sans-serif;color:var(--muted);margin-right:6px}\n"
	"mark{background:var(--mark);padding:0 1px;border-radius:2px}\n"
	".missed{font-size:13px;color:var(--non);font-family:system-ui,Arial,sans-serif}\n"
	".error{color:#b00020;font-family:system-ui,Arial,sans-serif}\n"
	".empty{color:var(--muted);font-style:italic}\n"
	"@media print{body{background:#fff}main{padding:0}.chartbox select{display:none}.scroll{max-height:none;overflow:visible}}\n";

/* Re-drawing the chart for the measure chosen (sorting the tables is
 * html_sortable_script).  Plain DOM, no library. */
static const char script[] =
	"(function(){\n"
	"var data=document.getElementById('chart-data');if(!data)return;data=JSON.parse(data.textContent);\n"
	"var sel=document.getElementById('chart-measure'),box=document.getElementById('chart');\n"
	"var NS='http://www.w3.org/2000/svg';\n"
	"function el(n,a,p){var e=document.createElementNS(NS,n);for(var k in a)e.setAttribute(k,a[k]);if(p)p.appendChild(e);return e;}\n"
	"function draw(m){var qs=data.queries.map(function(q){return {id:q.id,a:q.a,v:q.v[m]};});\n"
	" qs.sort(function(x,y){return y.v-x.v||(x.id<y.id?-1:1);});\n"
	" var W=1000,H=260,L=40,B=data.labels?70:24,T=10,n=qs.length,w=(W-L-10)/Math.max(n,1);\n"
	" var s=el('svg',{viewBox:'0 0 '+W+' '+(H+B+T),role:'img'});\n"
	" el('title',{},s).textContent=data.names[m]+' per query, best first';\n"
	" for(var g=0;g<=4;g++){var y=T+H-H*g/4;el('line',{x1:L,x2:W-10,y1:y,y2:y,'class':'axis',opacity:g?0.25:1},s);\n"
	"  el('text',{x:L-6,y:y+4,'text-anchor':'end'},s).textContent=(g/4).toFixed(2);}\n"
	" qs.forEach(function(q,i){var h=Math.max(H*q.v,q.v>0?1:0),a=el('a',{href:'#'+q.a},s);\n"
	"  var r=el('rect',{x:L+i*w+(w>4?1:0),y:T+H-h,width:Math.max(w-(w>4?2:0),0.6),height:h,'class':'bar'},a);\n"
	"  el('title',{},r).textContent=q.id+': '+q.v.toFixed(4);\n"
	"  if(data.labels)el('text',{x:L+i*w+w/2,y:T+H+12,transform:'rotate(-60 '+(L+i*w+w/2)+' '+(T+H+12)+')','text-anchor':'end'},s).textContent=q.id;});\n"
	" var mean=data.mean[m],my=T+H-H*mean;el('line',{x1:L,x2:W-10,y1:my,y2:my,'class':'mean'},s);\n"
	" el('text',{x:W-12,y:my-4,'text-anchor':'end'},s).textContent='mean '+mean.toFixed(4);\n"
	" box.replaceChildren(s);}\n"
	"sel.addEventListener('change',function(){draw(+sel.value);});\n"
	"})();\n";

#define CHART_W 1000
#define CHART_H 260
#define CHART_L 40
#define CHART_T 10
#define CHART_MAX_LABELS 40

typedef struct {
	size_t q;   /* index into r->q */
	double v;
	const char *id;
} chart_bar;

static int cmp_bar(const void *a, const void *b)
{
	const chart_bar *x = a, *y = b;
	if (x->v != y->v)
		return x->v > y->v ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The chart of measure m as SVG, bars best first (the script draws the
 * same for another measure). */
static void write_chart(FILE *f, const report_html *r, eval_measure m, double mean)
{
	size_t n = 0;
	chart_bar *bars = r->n ? malloc(r->n * sizeof *bars) : NULL;
	for (size_t i = 0; bars && i < r->n; i++)
		if (r->q[i].has_metrics)
			bars[n++] = (chart_bar){i, r->q[i].m.v[m], r->q[i].id};
	if (n)
		qsort(bars, n, sizeof *bars, cmp_bar);
	int labels = n <= CHART_MAX_LABELS;
	int bottom = labels ? 70 : 24;
	double w = (double)(CHART_W - CHART_L - 10) / (double)(n ? n : 1);
	fprintf(f, "<svg viewBox=\"0 0 %d %d\" role=\"img\"><title>", CHART_W,
		CHART_H + bottom + CHART_T);
	html_escape(f, eval_measure_label(m));
	fputs(" per query, best first</title>\n", f);
	for (int g = 0; g <= 4; g++) {
		double y = CHART_T + CHART_H - CHART_H * g / 4.0;
		fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"axis\" opacity=\"%s\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>\n",
			CHART_L, CHART_W - 10, y, y, g ? "0.25" : "1", CHART_L - 6, y + 4, g / 4.0);
	}
	for (size_t i = 0; i < n; i++) {
		const shown_query *q = &r->q[bars[i].q];
		double v = bars[i].v, h = CHART_H * v;
		if (v > 0 && h < 1)
			h = 1;
		double x = CHART_L + (double)i * w + (w > 4 ? 1 : 0);
		fprintf(f, "<a href=\"#q%zu\"><rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" class=\"bar\"><title>",
			bars[i].q + 1, x, CHART_T + CHART_H - h, w > 4 ? w - 2 : (w < 0.6 ? 0.6 : w),
			h);
		html_escape(f, q->id);
		fprintf(f, ": %.4f</title></rect></a>\n", v);
		if (labels) {
			double cx = CHART_L + ((double)i + 0.5) * w;
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" transform=\"rotate(-60 %.1f %d)\" text-anchor=\"end\">",
				cx, CHART_T + CHART_H + 12, cx, CHART_T + CHART_H + 12);
			html_escape(f, q->id);
			fputs("</text>\n", f);
		}
	}
	double my = CHART_T + CHART_H - CHART_H * mean;
	fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"mean\"/>"
		"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">mean %.4f</text>\n</svg>\n",
		CHART_L, CHART_W - 10, my, my, CHART_W - 12, my - 4, mean);
	free(bars);
}

/* The data the script re-draws the chart from. */
static void write_chart_data(FILE *f, const report_html *r, const eval_result *ev)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->q[i].has_metrics;
	fputs("<script type=\"application/json\" id=\"chart-data\">{\"names\":[", f);
	for (int m = 0; m < EVAL_NMEASURES; m++) {
		fputs(m ? "," : "", f);
		json_str(f, eval_measure_label((eval_measure)m));
	}
	fputs("],\"mean\":[", f);
	for (int m = 0; m < EVAL_NMEASURES; m++)
		fprintf(f, "%s%.6f", m ? "," : "", ev->mean[m]);
	fprintf(f, "],\"labels\":%s,\"queries\":[", n <= CHART_MAX_LABELS ? "true" : "false");
	int first = 1;
	for (size_t i = 0; i < r->n; i++) {
		if (!r->q[i].has_metrics)
			continue;
		fputs(first ? "\n{\"id\":" : ",\n{\"id\":", f);
		first = 0;
		json_str(f, r->q[i].id);
		fprintf(f, ",\"a\":\"q%zu\",\"v\":[", i + 1);
		for (int m = 0; m < EVAL_NMEASURES; m++)
			fprintf(f, "%s%.6f", m ? "," : "", r->q[i].m.v[m]);
		fputs("]}", f);
	}
	fputs("]}</script>\n", f);
}

/* The first len bytes of s, cut back to a whole UTF-8 character. */
static size_t utf8_cut(const char *s, size_t len)
{
	size_t n = strlen(s);
	if (n <= len)
		return n;
	while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	return len;
}

static void write_summary(FILE *f, const report_html *r, const eval_result *ev)
{
	if (ev) {
		fputs("<section id=\"summary\"><h2>Results against the relevance judgments</h2>\n"
		      "<table class=\"avg\"><thead><tr>", f);
		for (int m = 0; m < EVAL_NMEASURES; m++) {
			fputs("<th>", f);
			html_escape(f, eval_measure_label((eval_measure)m));
			fputs("</th>", f);
		}
		fputs("</tr></thead><tbody><tr>", f);
		for (int m = 0; m < EVAL_NMEASURES; m++)
			fprintf(f, "<td>%.4f</td>", ev->mean[m]);
		fprintf(f, "</tr></tbody></table>\n<p class=\"runinfo\">Averages over %zu judged "
			"quer%s, computed as trec_eval computes them; %zu of %zu relevant "
			"documents retrieved.",
			ev->num_queries, ev->num_queries == 1 ? "y" : "ies", ev->num_rel_ret,
			ev->num_rel);
		if (ev->run_only)
			fprintf(f, " %zu quer%s without judgments %s not counted.", ev->run_only,
				ev->run_only == 1 ? "y" : "ies", ev->run_only == 1 ? "is" : "are");
		fputs("</p>\n<div class=\"chartbox\"><label>Chart of <select id=\"chart-measure\">", f);
		for (int m = 0; m < EVAL_NMEASURES; m++) {
			fprintf(f, "<option value=\"%d\"%s>", m, m == (int)r->o.chart ? " selected" : "");
			html_escape(f, eval_measure_label((eval_measure)m));
			fputs("</option>", f);
		}
		fputs("</select> per query, best first; the dashed line is the mean. "
		      "A bar leads to its query.</label>\n<div id=\"chart\">", f);
		write_chart(f, r, r->o.chart, ev->mean[r->o.chart]);
		fputs("</div></div>\n", f);
		write_chart_data(f, r, ev);
		fputs("<h3 class=\"sans\">Every query</h3><p class=\"runinfo\">Click a heading to sort.</p>\n"
		      "<div class=\"scroll\"><table class=\"sortable\" id=\"per-query\"><thead><tr>"
		      "<th>Query</th>", f);
		for (int m = 0; m < EVAL_NMEASURES; m++) {
			fputs("<th class=\"num\">", f);
			html_escape(f, eval_measure_label((eval_measure)m));
			fputs("</th>", f);
		}
		fputs("<th class=\"num\">Relevant</th><th class=\"num\">Found</th></tr></thead><tbody>\n", f);
		for (size_t i = 0; i < r->n; i++) {
			const shown_query *q = &r->q[i];
			if (!q->has_metrics)
				continue;
			fprintf(f, "<tr><td data-v=\"%zu\"><a href=\"#q%zu\">", i, i + 1);
			html_escape(f, q->id);
			fputs("</a></td>", f);
			for (int m = 0; m < EVAL_NMEASURES; m++)
				fprintf(f, "<td class=\"num\">%.4f</td>", q->m.v[m]);
			fprintf(f, "<td class=\"num\">%zu</td><td class=\"num\">%zu</td></tr>\n",
				q->m.num_rel, q->m.num_rel_ret);
		}
		fputs("</tbody></table></div></section>\n", f);
		return;
	}
	fputs("<section id=\"summary\"><h2>Queries</h2><p class=\"runinfo\">Click a heading to sort.</p>\n"
	      "<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th>Query</th><th>Text</th>"
	      "<th class=\"num\">Results</th><th>Best document</th></tr></thead><tbody>\n", f);
	for (size_t i = 0; i < r->n; i++) {
		const shown_query *q = &r->q[i];
		fprintf(f, "<tr><td data-v=\"%zu\"><a href=\"#q%zu\">", i, i + 1);
		html_escape(f, q->id);
		fputs("</a></td><td>", f);
		size_t cut = utf8_cut(q->text, 140);
		html_escape_n(f, q->text, cut);
		if (cut < strlen(q->text))
			fputs("&hellip;", f);
		fprintf(f, "</td><td class=\"num\" data-v=\"%llu\">%zu</td><td>",
			(unsigned long long)q->estimated, q->nresults);
		if (*q->error) {
			fputs("<span class=\"error\">", f);
			html_escape(f, q->error);
			fputs("</span>", f);
		} else if (q->nhits) {
			html_escape(f, *q->hits[0].title ? q->hits[0].title : q->hits[0].id);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></div></section>\n", f);
}

static void write_passage(FILE *f, const shown_passage *p, int numbered)
{
	fputs("<p class=\"passage\">", f);
	if (numbered)
		fprintf(f, "<span class=\"pn\">&para;%u</span>", p->ordinal);
	size_t len = strlen(p->text), at = 0;
	for (size_t i = 0; i < p->nhl; i++) {
		size_t hs = p->hl[i].start - p->start, he = p->hl[i].end - p->start;
		if (hs < at || he > len)
			continue;
		html_escape_n(f, p->text + at, hs - at);
		fputs("<mark>", f);
		html_escape_n(f, p->text + hs, he - hs);
		fputs("</mark>", f);
		at = he;
	}
	html_escape_n(f, p->text + at, len - at);
	fputs("</p>\n", f);
}

static void write_measures(FILE *f, const shown_query *q)
{
	fputs("<div class=\"measures\">", f);
	for (int m = 0; m < EVAL_NMEASURES; m++) {
		fputs("<span>", f);
		html_escape(f, eval_measure_label((eval_measure)m));
		fprintf(f, " <b>%.4f</b></span>", q->m.v[m]);
	}
	fprintf(f, "<span>%zu of %zu relevant found</span></div>\n", q->m.num_rel_ret,
		q->m.num_rel);
}

static void write_query(FILE *f, const report_html *r, size_t i)
{
	const shown_query *q = &r->q[i];
	fprintf(f, "<section class=\"query\" id=\"q%zu\"><div class=\"qhead\"><h2>", i + 1);
	html_escape(f, q->id);
	fprintf(f, "</h2><a class=\"top\" href=\"#summary\">back to the summary</a></div>\n");
	size_t len = strlen(q->text);
	if (len > 600) {
		size_t cut = utf8_cut(q->text, 400);
		fputs("<div class=\"qtext\"><details><summary>", f);
		html_escape_n(f, q->text, cut);
		fprintf(f, "&hellip; (%zu characters: show all)</summary>", len);
		html_escape(f, q->text);
		fputs("</details></div>\n", f);
	} else {
		fputs("<div class=\"qtext\">", f);
		html_escape(f, q->text);
		fputs("</div>\n", f);
	}
	if (strcmp(q->searched, q->text) != 0) {
		fputs("<p class=\"searched\">Searched for: ", f);
		html_escape(f, q->searched);
		fputs("</p>\n", f);
	}
	if (q->has_metrics)
		write_measures(f, q);
	if (*q->error) {
		fputs("<p class=\"error\">This query failed: ", f);
		html_escape(f, q->error);
		fputs("</p>\n", f);
	} else if (!q->nhits) {
		fputs("<p class=\"empty\">No document matches.</p>\n", f);
	} else {
		fprintf(f, "<p class=\"searched\">%zu result%s retrieved (about %llu matching); the first %zu:</p>\n",
			q->nresults, q->nresults == 1 ? "" : "s",
			(unsigned long long)q->estimated, q->nhits);
	}
	if (q->nhits)
		fputs("<ol class=\"results\">\n", f);
	for (size_t j = 0; j < q->nhits; j++) {
		const shown_hit *h = &q->hits[j];
		const char *cls = !r->o.ro.qrels || !h->judged ? "" : h->rel >= 1 ? "rel" : "non";
		fprintf(f, "<li class=\"%s\"><div><span class=\"rank\">%zu.</span><span class=\"doctitle\">",
			cls, j + 1);
		html_escape(f, *h->title ? h->title : h->id);
		fputs("</span>", f);
		if (r->o.ro.qrels) {
			if (!h->judged)
				fputs("<span class=\"badge unj\">not judged</span>", f);
			else if (h->rel >= 1 && h->rel != 1)
				fprintf(f, "<span class=\"badge rel\">relevant (%d)</span>", h->rel);
			else if (h->rel >= 1)
				fputs("<span class=\"badge rel\">relevant</span>", f);
			else
				fputs("<span class=\"badge non\">not relevant</span>", f);
		}
		fputs("</div>\n<div class=\"meta\"><span>", f);
		html_escape(f, h->id);
		fputs("</span>", f);
		const char *fields[] = {h->date, h->citation, h->court, h->type};
		for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
			if (*fields[k]) {
				fputs("<span>", f);
				html_escape(f, fields[k]);
				fputs("</span>", f);
			}
		fprintf(f, "<span>score %.3f</span></div>\n", h->score);
		for (size_t k = 0; k < h->nps; k++)
			write_passage(f, &h->ps[k], h->nps > 1);
		fputs("</li>\n", f);
	}
	if (q->nhits)
		fputs("</ol>\n", f);
	if (q->nmissed) {
		fputs("<p class=\"missed\">Relevant, not shown above: ", f);
		for (size_t j = 0; j < q->nmissed; j++) {
			fputs(j ? ", " : "", f);
			html_escape(f, q->missed[j]);
			if (q->missed_rank[j])
				fprintf(f, " (rank %zu)", q->missed_rank[j]);
			else
				fputs(" (not retrieved)", f);
		}
		fputs("</p>\n", f);
	}
	fputs("</section>\n", f);
}

int report_html_write(report_html *r, FILE *f, const eval_result *ev,
		      double seconds)
{
	char when[64];
	time_t t = time(NULL);
	struct tm tm;
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime_r(&t, &tm));
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"dicta " DICTA_VERSION "\">\n<title>", f);
	html_escape(f, r->title);
	if (*r->batch_path) {
		fputs(": ", f);
		html_escape(f, r->batch_path);
	}
	fprintf(f, "</title>\n<style>\n%s%s</style></head>\n<body><main>\n<h1>", css,
		html_sortable_css);
	html_escape(f, r->title);
	fputs("</h1>\n<p class=\"runinfo\">", f);
	fprintf(f, "<b>%zu</b> quer%s", r->n, r->n == 1 ? "y" : "ies");
	if (*r->batch_path) {
		fputs(" from <b>", f);
		html_escape(f, r->batch_path);
		fputs("</b>", f);
	}
	if (*r->index_path) {
		fputs(" against the index <b>", f);
		html_escape(f, r->index_path);
		fputs("</b>", f);
	}
	fprintf(f, ", run %s in %.1f s.", when, seconds);
	if (*r->settings) {
		fputs("<br>", f);
		html_escape(f, r->settings);
	}
	fputs("<br>Each query shows its best ", f);
	fprintf(f, "%zu %s with the passages that matched best; matched words are <mark>marked</mark>.",
		r->o.shown, r->o.ro.unit == DICTA_UNIT_PASSAGE ? "passages" : "documents");
	fputs("</p>\n", f);
	write_summary(f, r, ev);
	for (size_t i = 0; i < r->n; i++)
		write_query(f, r, i);
	fprintf(f, "</main>\n<script>\n%s%s</script>\n</body></html>\n",
		html_sortable_script, script);
	fflush(f);
	return ferror(f) ? error_set(DICTA_EIO, "cannot write the report") : 0;
}
