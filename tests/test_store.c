/*
 * test_store.c — the stored document record (zlib round trip, damaged
 * records), id terms, date keys and the small value encodings of store.h.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "dicta.h"
#include "store.h"

Test(store, record_round_trip_keeps_text_and_metadata)
{
	const char *text = "El tribunal concedió la extradición de Zerón.\n\n"
			   "Second paragraph, with \xc2\xa7 1-207.39.";
	store_record r = {
		.id = "es/auto-1.md", .title = "Auto de extradición",
		.date = "2021-03-04", .type = "order", .court = "Audiencia Nacional",
		.citation = "No. 23-1732", .lang = "es", .source = "corpus/es/auto-1.md",
		.meta_json = "{\"custodian\":\"Ruiz\"}", .hash = 0x1234abcdULL,
		.npassages = 3, .text = (char *)text, .text_len = strlen(text),
	};
	char *buf;
	size_t len;
	cr_assert_eq(store_record_encode(&r, &buf, &len), 0);
	store_record d;
	cr_assert_eq(store_record_decode(buf, len, &d, 1), 0);
	cr_assert_str_eq(d.id, "es/auto-1.md");
	cr_assert_str_eq(d.title, "Auto de extradición");
	cr_assert_str_eq(d.date, "2021-03-04");
	cr_assert_str_eq(d.court, "Audiencia Nacional");
	cr_assert_str_eq(d.citation, "No. 23-1732");
	cr_assert_str_eq(d.lang, "es");
	cr_assert_str_eq(d.meta_json, "{\"custodian\":\"Ruiz\"}");
	cr_assert_eq(d.hash, 0x1234abcdULL);
	cr_assert_eq(d.npassages, 3);
	cr_assert_eq(d.text_len, strlen(text));
	cr_assert_str_eq(d.text, text);
	store_record_clear(&d);

	/* Without text: metadata only, nothing inflated. */
	cr_assert_eq(store_record_decode(buf, len, &d, 0), 0);
	cr_assert_null(d.text);
	cr_assert_eq(d.text_len, strlen(text));
	store_record_clear(&d);
	free(buf);
}

Test(store, a_prefix_of_the_text_inflates_alone)
{
	/* 200 KB of varied text, so that the zlib stream has many blocks. */
	size_t n = 200000;
	char *text = malloc(n + 1);
	cr_assert_not_null(text);
	unsigned x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		text[i] = (char)('a' + (x >> 16) % 26);
		if ((x >> 8) % 7 == 0)
			text[i] = ' ';
	}
	text[n] = '\0';
	store_record r = {.id = "long", .text = text, .text_len = n};
	char *buf;
	size_t len;
	cr_assert_eq(store_record_encode(&r, &buf, &len), 0);
	const size_t cuts[] = {1, 17, 4096, 65537, 199999};
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		store_record d;
		cr_assert_eq(store_record_decode_upto(buf, len, &d, cuts[i]), 0);
		cr_expect_eq(d.text_len, n);
		cr_expect_eq(d.text_avail, cuts[i]);
		cr_expect_eq(strlen(d.text), cuts[i]);
		cr_expect(memcmp(d.text, text, cuts[i]) == 0, "prefix %zu differs", cuts[i]);
		store_record_clear(&d);
	}
	/* Asking for as much as there is, or more, inflates it all (checked). */
	store_record d;
	cr_assert_eq(store_record_decode_upto(buf, len, &d, n + 100), 0);
	cr_expect_eq(d.text_avail, n);
	cr_expect_str_eq(d.text, text);
	store_record_clear(&d);
	/* A stream cut short before the prefix ends is refused.  (A prefix is
	 * not checked against the stream's checksum, which covers the whole
	 * text: --check decodes whole records.) */
	cr_expect_eq(store_record_decode_upto(buf, len / 2, &d, n - 10), DICTA_ECORRUPT);
	free(buf);
	free(text);
}

Test(store, text_is_compressed)
{
	size_t n = 200000;
	char *text = malloc(n);
	for (size_t i = 0; i < n; i++)
		text[i] = "extradition treaty "[i % 19];
	store_record r = {.id = "x", .text = text, .text_len = n};
	char *buf;
	size_t len;
	cr_assert_eq(store_record_encode(&r, &buf, &len), 0);
	cr_assert_lt(len, n / 20, "record of %zu bytes for %zu of text", len, n);
	free(buf);
	free(text);
}

Test(store, damaged_records_are_refused_not_crashed)
{
	store_record r = {.id = "doc", .text = "some text here", .text_len = 14};
	char *buf;
	size_t len;
	cr_assert_eq(store_record_encode(&r, &buf, &len), 0);
	store_record d;
	/* Every truncation is refused with DICTA_ECORRUPT. */
	for (size_t cut = 0; cut < len; cut++)
		cr_assert_eq(store_record_decode(buf, cut, &d, 1), DICTA_ECORRUPT,
			     "truncated at %zu", cut);
	buf[0] = 'X';
	cr_assert_eq(store_record_decode(buf, len, &d, 1), DICTA_ECORRUPT);
	free(buf);
}

static const struct {
	const char *in;
	const char *key; /* NULL: refused */
} date_rows[] = {
	{"2019", "20190000"},
	{"2019-09", "20190900"},
	{"2019-09-17", "20190917"},
	{"2019-09-17T10:00:00Z", "20190917"},
	{"17/09/2019", NULL},
	{"", NULL},
	{"201", NULL},
	{"2019-9-17", NULL},
	{"2019-09-17x", NULL},
};

Test(store, date_keys)
{
	for (size_t i = 0; i < sizeof date_rows / sizeof date_rows[0]; i++) {
		char buf[9];
		int rc = store_date_key(date_rows[i].in, buf);
		if (date_rows[i].key) {
			cr_assert_eq(rc, 0, "%s", date_rows[i].in);
			cr_assert_str_eq(buf, date_rows[i].key);
		} else {
			cr_assert_eq(rc, -1, "%s accepted", date_rows[i].in);
		}
	}
}

Test(store, id_terms_fit_xapian_and_stay_distinct)
{
	char a[STORE_MAX_TERM + 1], b[STORE_MAX_TERM + 1];
	cr_assert_eq(store_id_term(a, "Q", "articles/x.txt"), 15);
	cr_assert_str_eq(a, "Qarticles/x.txt");
	char long1[600], long2[600];
	memset(long1, 'a', 599);
	long1[599] = '\0';
	memcpy(long2, long1, 600);
	long2[598] = 'b'; /* differs only at the end */
	size_t la = store_id_term(a, "Q", long1), lb = store_id_term(b, "Q", long2);
	cr_assert_leq(la, STORE_MAX_TERM);
	cr_assert_leq(lb, STORE_MAX_TERM);
	cr_assert_str_neq(a, b);
}

Test(store, u32_and_struct_encoding)
{
	char p[4];
	store_put_u32(p, 0xdeadbeefu);
	cr_assert_eq(store_get_u32(p), 0xdeadbeefu);
	store_struct s = {0};
	s.last = 100;
	cr_assert_eq(store_struct_add(&s, 100, 1), 0); /* delta 0, paragraph */
	cr_assert_eq(store_struct_add(&s, 300, 0), 0); /* delta 200: 2 bytes */
	cr_assert_eq(s.len, 3);
	cr_assert_eq((unsigned char)s.buf[0], 1);
	cr_assert_eq((unsigned char)s.buf[1], (400 & 0x7f) | 0x80);
	cr_assert_eq((unsigned char)s.buf[2], 400 >> 7);
	free(s.buf);
}
