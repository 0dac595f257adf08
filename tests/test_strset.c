/*
 * test_strset.c — the string set: membership, stable copies, and the
 * numbers strset_add_ord gives (dense, in the order first added), across
 * the table's growth.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "strset.h"

Test(strset, strings_are_numbered_in_the_order_first_added)
{
	strset *s = strset_new();
	cr_assert_not_null(s);
	char buf[32];
	/* Enough strings to grow the table several times. */
	for (size_t i = 0; i < 20000; i++) {
		int n = snprintf(buf, sizeof buf, "doc-%zu", i);
		size_t ord = 99;
		const char *stored;
		cr_assert_eq(strset_add_ord(s, buf, (size_t)n, &stored, &ord), 1);
		cr_assert_eq(ord, i);
		cr_assert_str_eq(stored, buf);
	}
	cr_expect_eq(strset_count(s), 20000);
	/* Adding again keeps the first number and adds nothing. */
	size_t ord = 0;
	cr_expect_eq(strset_add_ord(s, "doc-1234", 8, NULL, &ord), 0);
	cr_expect_eq(ord, 1234);
	cr_expect_eq(strset_add(s, "doc-7", 5, NULL), 0);
	cr_expect_eq(strset_count(s), 20000);
	for (size_t i = 0; i < 20000; i += 997) {
		int n = snprintf(buf, sizeof buf, "doc-%zu", i);
		cr_expect_eq(strset_find(s, buf, (size_t)n), (long)i, "%s", buf);
		cr_expect(strset_has(s, buf, (size_t)n));
	}
	/* Lengths count: a prefix is another string. */
	cr_expect_eq(strset_find(s, "doc-12345", 4), -1); /* "doc-" */
	cr_expect_eq(strset_find(s, "doc-12345", 5), 1);  /* "doc-1" */
	cr_expect_eq(strset_find(s, "doc-20000", 9), -1);
	cr_expect(!strset_has(s, "doc-20000", 9));
	/* Strings may hold NUL bytes. */
	cr_expect_eq(strset_add_ord(s, "a\0b", 3, NULL, &ord), 1);
	cr_expect_eq(ord, 20000);
	cr_expect_eq(strset_find(s, "a\0c", 3), -1);
	cr_expect_eq(strset_find(s, "a\0b", 3), 20000);
	strset_free(s);
}
