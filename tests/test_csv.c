/*
 * test_csv.c — a CSV field as RFC 4180 writes it (csv.h), shared by the
 * batch report's CSV and the search term report's.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

Test(csv, fields_are_quoted_exactly_when_needed)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{"", ""},
		{"plain words", "plain words"},
		{"a,b", "\"a,b\""},
		{"say \"no\"", "\"say \"\"no\"\"\""},
		{"two\nlines", "\"two\nlines\""},
		{"cr\rhere", "\"cr\rhere\""},
		{" leading", "\" leading\""},
		{"trailing ", "\"trailing \""},
		{"in side", "in side"},
		{"\"bill of lading\"", "\"\"\"bill of lading\"\"\""},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		cr_assert_not_null(f);
		csv_field(f, rows[i].in, strlen(rows[i].in));
		fclose(f);
		cr_expect_str_eq(buf, rows[i].want, "row %zu", i);
		free(buf);
	}
	/* Only len bytes count: a comma after them does not quote. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	csv_field(f, "abc,def", 3);
	fclose(f);
	cr_expect_str_eq(buf, "abc");
	free(buf);
}
