/*
 * html.c — what the HTML reports share (html.h): escaping, sortable tables.
 */
#include <string.h>

#include "html.h"

void html_escape_n(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(s[i], f);
		}
	}
}

void html_escape(FILE *f, const char *s)
{
	html_escape_n(f, s, strlen(s));
}

const char html_sortable_css[] =
	"table.sortable th{cursor:pointer;user-select:none}\n"
	"table.sortable th:hover{color:var(--accent)}\n"
	"table.sortable th[aria-sort=ascending]::after{content:' \\25B2';font-size:10px}\n"
	"table.sortable th[aria-sort=descending]::after{content:' \\25BC';font-size:10px}\n"
	"";

const char html_sortable_script[] =
	"(function(){\n"
	"function key(td){var v=td.getAttribute('data-v');if(v===null)v=td.textContent.trim();"
	"var n=parseFloat(v);return isNaN(n)||!/^-?[0-9.]+(e-?[0-9]+)?$/i.test(v)?v.toLowerCase():n;}\n"
	"function cmp(a,b){if(typeof a===typeof b)return a<b?-1:a>b?1:0;return typeof a==='number'?-1:1;}\n"
	"document.querySelectorAll('table.sortable').forEach(function(t){\n"
	" var ths=t.tHead.rows[0].cells;\n"
	" Array.prototype.forEach.call(ths,function(th,i){th.addEventListener('click',function(){\n"
	"  var asc=th.getAttribute('aria-sort')!=='ascending';\n"
	"  if(th.getAttribute('aria-sort')===null&&th.classList.contains('num'))asc=false;\n"
	"  Array.prototype.forEach.call(ths,function(h){h.removeAttribute('aria-sort');});\n"
	"  th.setAttribute('aria-sort',asc?'ascending':'descending');\n"
	"  var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);\n"
	"  rows.sort(function(x,y){var c=cmp(key(x.cells[i]),key(y.cells[i]));return asc?c:-c;});\n"
	"  rows.forEach(function(r){b.appendChild(r);});});});});\n"
	"})();\n";
