/*
 * html.c — HTML escaping shared by the HTML reports (html.h).
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
