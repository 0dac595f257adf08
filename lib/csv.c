/*
 * csv.c — CSV fields (csv.h).
 */
#include <string.h>

#include "csv.h"

void csv_field(FILE *f, const char *s, size_t len)
{
	int quote = len && (s[0] == ' ' || s[len - 1] == ' ');
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		fwrite(s, 1, len, f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			fputc('"', f);
		fputc(s[i], f);
	}
	fputc('"', f);
}
