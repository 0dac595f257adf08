/*
 * test_ingest.c — Criterion suite "ingest": ingest_path() and
 * ingest_total_bytes() on the fixtures in tests/data/ingest/ and on bad
 * input (binary, truncated, unreadable, special files) that each test makes
 * in a temporary directory.  Run from the project root.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <zlib.h>

#include "dicta.h"
#include "ingest.h"

#define DATA "tests/data/ingest/"

/* ------------------------------------------------------------ harness */

typedef struct {
	char *id, *title, *date, *type, *court, *citation, *lang, *source, *meta;
	char *text;
	size_t text_len;
} got_doc;

typedef struct {
	char *path, *reason;
	long line;
} got_skip;

typedef struct {
	got_doc *docs;
	size_t ndocs;
	got_skip *skips;
	size_t nskips;
	char **files;
	size_t nfiles;
	uint64_t bytes;
	size_t stop_after; /* on_doc returns stop_value after this many; 0: never */
	int stop_value;
} collect;

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int on_doc(const ingest_doc *d, void *payload)
{
	collect *c = payload;
	got_doc *g;

	c->docs = realloc(c->docs, (c->ndocs + 1) * sizeof *c->docs);
	cr_assert_not_null(c->docs);
	g = &c->docs[c->ndocs++];
	cr_assert_not_null(d->id);
	cr_assert_not_null(d->source);
	g->id = strdup(d->id);
	g->title = dup_or_null(d->title);
	g->date = dup_or_null(d->date);
	g->type = dup_or_null(d->type);
	g->court = dup_or_null(d->court);
	g->citation = dup_or_null(d->citation);
	g->lang = dup_or_null(d->lang);
	g->source = strdup(d->source);
	g->meta = dup_or_null(d->meta_json);
	g->text = strndup(d->text, d->text_len);
	g->text_len = d->text_len;
	if (c->stop_after && c->ndocs == c->stop_after)
		return c->stop_value;
	return 0;
}

static void on_skip(const char *path, long line, const char *reason,
		    void *payload)
{
	collect *c = payload;
	got_skip *s;

	c->skips = realloc(c->skips, (c->nskips + 1) * sizeof *c->skips);
	cr_assert_not_null(c->skips);
	s = &c->skips[c->nskips++];
	s->path = strdup(path);
	s->line = line;
	s->reason = strdup(reason);
}

static void on_file(const char *path, uint64_t bytes, void *payload)
{
	collect *c = payload;

	c->files = realloc(c->files, (c->nfiles + 1) * sizeof *c->files);
	cr_assert_not_null(c->files);
	c->files[c->nfiles++] = strdup(path);
	c->bytes += bytes;
}

static int run(collect *c, const char *path)
{
	ingest_callbacks cb = { on_doc, on_skip, on_file, c };
	return ingest_path(path, &cb);
}

static void collect_free(collect *c)
{
	for (size_t i = 0; i < c->ndocs; i++) {
		got_doc *g = &c->docs[i];
		free(g->id); free(g->title); free(g->date); free(g->type);
		free(g->court); free(g->citation); free(g->lang);
		free(g->source); free(g->meta); free(g->text);
	}
	for (size_t i = 0; i < c->nskips; i++) {
		free(c->skips[i].path);
		free(c->skips[i].reason);
	}
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->docs);
	free(c->skips);
	free(c->files);
	memset(c, 0, sizeof *c);
}

#define assert_str(got, want) \
	cr_assert_str_eq((got) ? (got) : "(null)", want)
#define assert_null(got) \
	cr_assert_null(got, "expected NULL, got \"%s\"", got)

static void assert_one_skip(const collect *c, const char *path, long line,
			    const char *reason)
{
	cr_assert_eq(c->nskips, 1, "expected one skip, got %zu (first: %s)",
		     c->nskips, c->nskips ? c->skips[0].reason : "-");
	cr_assert_str_eq(c->skips[0].path, path);
	cr_assert_eq(c->skips[0].line, line, "skip line %ld, expected %ld",
		     c->skips[0].line, line);
	cr_assert_str_eq(c->skips[0].reason, reason);
}

/* A fresh temporary directory, removed by rm_tree(). */
static char tmp[64];

static void mk_tmp(void)
{
	strcpy(tmp, "/tmp/dicta-ingest-XXXXXX");
	cr_assert_not_null(mkdtemp(tmp));
}

static int rm_entry(const char *p, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

static void rm_tree(void)
{
	if (tmp[0])
		nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	tmp[0] = '\0';
}

/* tmp/name, in a static buffer (one at a time is all a test needs). */
static const char *in_tmp(const char *name)
{
	static char buf[4][256];
	static int which;
	char *p = buf[which++ % 4];
	snprintf(p, sizeof buf[0], "%s/%s", tmp, name);
	return p;
}

static const char *write_file(const char *name, const void *data, size_t len)
{
	const char *path = in_tmp(name);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
	return path;
}

static const char *write_str(const char *name, const char *s)
{
	return write_file(name, s, strlen(s));
}

/* Write lines "{"id":"d<i>","text":"<pseudo-random words>"}" for i in
 * [1, n] to a gzip file; returns its path. */
static const char *write_gz_lines(const char *name, int n)
{
	const char *path = in_tmp(name);
	gzFile gz = gzopen(path, "wb");
	unsigned seed = 12345;

	cr_assert_not_null(gz);
	for (int i = 1; i <= n; i++) {
		char words[200];
		size_t k = 0;
		/* Random letters so the stream does not compress to nothing
		 * and truncation lands in the middle of it. */
		while (k < 120) {
			seed = seed * 1103515245 + 12345;
			words[k++] = (char)('a' + (seed >> 16) % 26);
		}
		words[k] = '\0';
		cr_assert_gt(gzprintf(gz, "{\"id\":\"d%d\",\"text\":\"%s\"}\n",
				      i, words), 0);
	}
	cr_assert_eq(gzclose(gz), Z_OK);
	return path;
}

static off_t file_size(const char *path)
{
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	return st.st_size;
}

/* ------------------------------------------------------------------ .txt */

Test(ingest, txt_with_title)
{
	collect c = { 0 };

	cr_assert_eq(run(&c, DATA "title.txt"), 0);
	cr_assert_eq(c.ndocs, 1);
	cr_assert_eq(c.nskips, 0);
	assert_str(c.docs[0].id, "title.txt");
	assert_str(c.docs[0].title, "Smith v. Jones");
	assert_str(c.docs[0].source, DATA "title.txt");
	/* The text is the whole file, title line included. */
	assert_str(c.docs[0].text, "Smith v. Jones\n\nThe court held that the "
		   "contract was void for want of consideration.\n"
		   "The appeal is dismissed.\n");
	assert_null(c.docs[0].meta);
	assert_null(c.docs[0].date);
	cr_assert_eq(c.nfiles, 1);
	cr_assert_eq(c.bytes, (uint64_t)file_size(DATA "title.txt"));
	collect_free(&c);
}

Test(ingest, txt_without_title)
{
	collect c = { 0 };

	cr_assert_eq(run(&c, DATA "notitle.txt"), 0);
	cr_assert_eq(c.ndocs, 1);
	assert_str(c.docs[0].id, "notitle.txt");
	assert_null(c.docs[0].title);
	cr_assert_eq(c.docs[0].text_len, 68);
	collect_free(&c);
}

Test(ingest, txt_title_rules, .fini = rm_tree)
{
	static const struct {
		const char *content, *title; /* title NULL: none */
	} rows[] = {
		{ "Title\n\nBody text.\n", "Title" },
		{ "Title\nBody text.\n", "Title" },
		{ "Is it lawful?\n\nYes.\n", "Is it lawful?" },
		{ "Held:\nThe appeal fails.\n", "Held:" },
		{ "  Padded title \t\r\n\r\nBody.\r\n", "Padded title" },
		{ "\xEF\xBB\xBFWith a BOM\n\nBody.\n", "With a BOM" },
		{ "A sentence.\n\nBody.\n", NULL },
		{ "A clause,\nBody.\n", NULL },
		{ "A clause;\nBody.\n", NULL },
		{ "Only one line\n", NULL },
		{ "Only one line, no newline", NULL },
		{ "Title then nothing\n\n  \n", NULL },
		{ "\nBody after a blank first line.\n", NULL },
		{ "   \nBody after a blank first line.\n", NULL },
	};
	char long_ok[512], long_bad[512];
	collect c = { 0 };

	mk_tmp();
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		write_str("t.txt", rows[i].content);
		cr_assert_eq(run(&c, in_tmp("t.txt")), 0);
		cr_assert_eq(c.ndocs, 1, "row %zu", i);
		if (rows[i].title)
			cr_assert_str_eq(c.docs[0].title ? c.docs[0].title : "(null)",
					 rows[i].title, "row %zu", i);
		else
			cr_assert_null(c.docs[0].title, "row %zu: got \"%s\"", i,
				       c.docs[0].title);
		collect_free(&c);
	}
	/* At most 200 bytes. */
	memset(long_ok, 'x', 200);
	strcpy(long_ok + 200, "\n\nBody.\n");
	memset(long_bad, 'x', 201);
	strcpy(long_bad + 201, "\n\nBody.\n");
	write_str("t.txt", long_ok);
	run(&c, in_tmp("t.txt"));
	cr_assert_eq(c.ndocs, 1);
	cr_assert_not_null(c.docs[0].title);
	cr_assert_eq(strlen(c.docs[0].title), 200);
	collect_free(&c);
	write_str("t.txt", long_bad);
	run(&c, in_tmp("t.txt"));
	cr_assert_eq(c.ndocs, 1);
	assert_null(c.docs[0].title);
	collect_free(&c);
}

/* ------------------------------------------------------------------- .md */

Test(ingest, md_front_matter)
{
	collect c = { 0 };
	const got_doc *d;

	cr_assert_eq(run(&c, DATA "front.md"), 0);
	cr_assert_eq(c.nskips, 0);
	cr_assert_eq(c.ndocs, 1);
	d = &c.docs[0];
	assert_str(d->id, "stgb-1");	/* "ID:" matched case-insensitively */
	assert_str(d->title, "Strafgesetzbuch \"StGB\" \xC2\xA7 1");
	assert_str(d->date, "2021-06-30");
	assert_str(d->type, "statute");
	assert_str(d->court, "Bundestag's own");
	assert_str(d->citation, "StGB");	/* jurabk */
	assert_str(d->lang, "de");		/* language */
	assert_str(d->source, DATA "front.md");
	/* Lists, nested blocks, flow collections, block scalars and nulls
	 * are passed over; other flat keys are kept as strings. */
	assert_str(d->meta, "{\"author\":\"Jane Doe\","
		   "\"url\":\"https://example.org/x#frag\",\"time\":\"10:30\"}");
	/* The text is the body after the front matter. */
	assert_str(d->text, "# Heading, not the title here\n\n"
		   "\xC2\xA7 1 Keine Strafe ohne Gesetz.\n");
	collect_free(&c);
}

Test(ingest, md_without_front_matter)
{
	collect c = { 0 };

	cr_assert_eq(run(&c, DATA "heading.md"), 0);
	cr_assert_eq(c.ndocs, 1);
	assert_str(c.docs[0].id, "heading.md");
	assert_str(c.docs[0].title, "Miranda v. Arizona");
	assert_str(c.docs[0].text, "# Miranda v. Arizona\n\n384 U.S. 436 (1966).\n");
	assert_null(c.docs[0].meta);
	collect_free(&c);
}

Test(ingest, md_front_matter_values, .fini = rm_tree)
{
	collect c = { 0 };

	mk_tmp();
	write_str("v.md",
		  "---\r\n"
		  "title: 'It''s \\n literal'\r\n"
		  "court: \"tab\\there \\u00e9\\U0001F600 \\ud83d\\ude00\"\r\n"
		  "Citation: first\r\n"
		  "CITATION: last wins\r\n"
		  "# a comment line\r\n"
		  "\"quoted key\": \"v\"  # trailing comment\r\n"
		  "date: null\r\n"
		  "lang:\r\n"
		  "id: \"\"\r\n"
		  "...\r\n"
		  "Body.\r\n");
	cr_assert_eq(run(&c, in_tmp("v.md")), 0);
	cr_assert_eq(c.nskips, 0);
	cr_assert_eq(c.ndocs, 1);
	assert_str(c.docs[0].title, "It's \\n literal");
	assert_str(c.docs[0].court, "tab\there \xC3\xA9\xF0\x9F\x98\x80 "
		   "\xF0\x9F\x98\x80");
	assert_str(c.docs[0].citation, "last wins");
	assert_null(c.docs[0].date);
	assert_null(c.docs[0].lang);
	assert_str(c.docs[0].id, "v.md");	/* an empty id is no id */
	assert_str(c.docs[0].meta, "{\"quoted key\":\"v\"}");
	assert_str(c.docs[0].text, "Body.\r\n");
	collect_free(&c);
}

Test(ingest, md_unclosed_front_matter, .fini = rm_tree)
{
	collect c = { 0 };
	const char *p;

	mk_tmp();
	p = write_str("u.md", "---\ntitle: Never closed\n\nBody.\n");
	cr_assert_eq(run(&c, p), 0);
	cr_assert_eq(c.ndocs, 0);
	assert_one_skip(&c, p, 1, "front matter not closed: no line \"---\" "
			"or \"...\" after the \"---\" on line 1");
	collect_free(&c);
}

Test(ingest, md_front_matter_only, .fini = rm_tree)
{
	collect c = { 0 };
	const char *p;

	mk_tmp();
	p = write_str("f.md", "---\ntitle: Nothing else\n---\n\n  \n");
	cr_assert_eq(run(&c, p), 0);
	cr_assert_eq(c.ndocs, 0);
	assert_one_skip(&c, p, 0, "no text after the front matter");
	collect_free(&c);
}

/* ---------------------------------------------------------------- .jsonl */

Test(ingest, jsonl_fields)
{
	collect c = { 0 };
	const got_doc *d;

	cr_assert_eq(run(&c, DATA "docs.jsonl"), 0);
	cr_assert_eq(c.nskips, 0, "unexpected skip: %s",
		     c.nskips ? c.skips[0].reason : "");
	cr_assert_eq(c.ndocs, 5);

	d = &c.docs[0];
	assert_str(d->id, "a1");
	assert_str(d->title, "Alpha");
	assert_str(d->text, "alpha text");
	assert_str(d->date, "2020-01-02");
	assert_str(d->type, "order");
	assert_str(d->court, "SDNY");
	assert_str(d->citation, "1 F.4th 1");
	assert_str(d->lang, "en");
	assert_str(d->source, DATA "docs.jsonl:1");
	assert_null(d->meta);

	d = &c.docs[1];	/* BEIR: _id, and an empty title is none */
	assert_str(d->id, "beir-7");
	assert_null(d->title);
	assert_str(d->meta, "{\"metadata\":{\"url\":\"http://x\"}}");
	assert_str(d->source, DATA "docs.jsonl:2");

	d = &c.docs[2];	/* integer id, numeric title */
	assert_str(d->id, "42");
	assert_str(d->title, "2019");
	assert_str(d->meta, "{\"year\":1999}");

	d = &c.docs[3];	/* line 4 is blank; no id on line 5 */
	assert_str(d->id, "docs.jsonl:5");
	assert_str(d->source, DATA "docs.jsonl:5");
	assert_str(d->meta, "{\"extra\":[1,2],\"flag\":true}");
	cr_assert_eq(d->text_len, 10);

	d = &c.docs[4];	/* "id" beats "_id", "lang" beats "language" */
	assert_str(d->id, "both");
	assert_str(d->lang, "es");
	assert_null(d->title);
	assert_str(d->meta, "{\"_id\":\"kept\",\"language\":\"fr\","
		   "\"title\":{\"nested\":1}}");
	collect_free(&c);
}

Test(ingest, jsonl_bad_lines)
{
	static const struct {
		long line;
		const char *reason;
	} want[] = {
		{ 2, "invalid JSON: '}' expected near end of file (column 31)" },
		{ 3, "field \"text\" is not a string" },
		{ 4, "no \"text\" field" },
		{ 5, "not a JSON object (found an array)" },
		{ 6, "duplicate id \"g1\" (first at line 1)" },
		{ 8, "field \"id\" is a number, not a string or an integer" },
		{ 9, "field \"_id\" is empty" },
		{ 10, "invalid JSON: \\u0000 is not allowed without "
		      "JSON_ALLOW_NUL near '\"a\\u0000b\"' (column 30)" },
		{ 11, "not a JSON object (found a string)" },
	};
	collect c = { 0 };

	cr_assert_eq(run(&c, DATA "bad.jsonl"), 0);
	cr_assert_eq(c.ndocs, 2);
	assert_str(c.docs[0].id, "g1");
	assert_str(c.docs[0].text, "good one");	/* the first copy wins */
	assert_str(c.docs[1].id, "g5");
	assert_str(c.docs[1].source, DATA "bad.jsonl:7");
	cr_assert_eq(c.nskips, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < c.nskips; i++) {
		cr_assert_str_eq(c.skips[i].path, DATA "bad.jsonl");
		cr_assert_eq(c.skips[i].line, want[i].line, "skip %zu", i);
		cr_assert_str_eq(c.skips[i].reason, want[i].reason);
	}
	collect_free(&c);
}

Test(ingest, jsonl_gz, .fini = rm_tree)
{
	collect c = { 0 };
	const char *p;
	gzFile gz;

	mk_tmp();
	p = in_tmp("c.jsonl.gz");
	cr_assert_not_null(gz = gzopen(p, "wb"));
	gzputs(gz, "{\"_id\":\"x1\",\"title\":\"T\",\"text\":\"first\"}\r\n\r\n");
	gzputs(gz, "{\"text\":\"second, no id, no final newline\"}");
	cr_assert_eq(gzclose(gz), Z_OK);

	cr_assert_eq(run(&c, p), 0);
	cr_assert_eq(c.nskips, 0);
	cr_assert_eq(c.ndocs, 2);
	assert_str(c.docs[0].id, "x1");
	assert_str(c.docs[0].title, "T");
	assert_str(c.docs[0].text, "first");
	assert_str(c.docs[1].id, "c.jsonl.gz:3");
	assert_str(c.docs[1].text, "second, no id, no final newline");
	cr_assert_eq(strlen(c.docs[1].source), strlen(p) + 2);
	cr_assert_str_eq(c.docs[1].source + strlen(p), ":3");
	/* Bytes are the compressed size, as ingest_total_bytes counts. */
	cr_assert_eq(c.bytes, (uint64_t)file_size(p));
	cr_assert_eq(ingest_total_bytes(p), c.bytes);
	collect_free(&c);
}

Test(ingest, jsonl_gz_truncated, .fini = rm_tree)
{
	collect c = { 0 };
	char want[80];
	const char *p;

	mk_tmp();
	p = write_gz_lines("t.jsonl.gz", 2000);
	cr_assert_eq(truncate(p, file_size(p) * 6 / 10), 0);

	cr_assert_eq(run(&c, p), 0);
	cr_assert_gt(c.ndocs, 100);
	cr_assert_lt(c.ndocs, 2000);
	/* Every line before the cut arrives, in order. */
	for (size_t i = 0; i < c.ndocs; i++) {
		char id[32];
		snprintf(id, sizeof id, "d%zu", i + 1);
		cr_assert_str_eq(c.docs[i].id, id);
	}
	snprintf(want, sizeof want,
		 "truncated or corrupt gzip data after line %zu", c.ndocs);
	assert_one_skip(&c, p, 0, want);
	collect_free(&c);
}

Test(ingest, jsonl_gz_corrupt, .fini = rm_tree)
{
	collect c = { 0 };
	char want[80];
	const char *p;
	int fd;
	off_t size;

	mk_tmp();
	p = write_gz_lines("k.jsonl.gz", 2000);
	size = file_size(p);
	/* A wrong CRC-32 in the trailer: every byte inflates, and the stream
	 * fails only at its end. */
	cr_assert_geq(fd = open(p, O_WRONLY), 0);
	cr_assert_eq(pwrite(fd, "\xDE\xAD\xBE\xEF", 4, size - 8), 4);
	close(fd);

	cr_assert_eq(run(&c, p), 0);
	/* zlib withholds what it inflated in the call that failed: a few
	 * KiB at most, never the whole file. */
	cr_assert_gt(c.ndocs, 1800);
	cr_assert_leq(c.ndocs, 2000);
	for (size_t i = 0; i < c.ndocs; i++) {
		char id[32];
		snprintf(id, sizeof id, "d%zu", i + 1);
		cr_assert_str_eq(c.docs[i].id, id);
	}
	snprintf(want, sizeof want,
		 "truncated or corrupt gzip data after line %zu", c.ndocs);
	assert_one_skip(&c, p, 0, want);
	collect_free(&c);
}

Test(ingest, jsonl_line_too_long, .fini = rm_tree)
{
	collect c = { 0 };
	const char *p;
	gzFile gz;
	char *big;
	size_t chunk = 1 << 20;

	mk_tmp();
	p = in_tmp("long.jsonl.gz");
	cr_assert_not_null(gz = gzopen(p, "wb1"));
	gzputs(gz, "{\"id\":\"before\",\"text\":\"a\"}\n");
	cr_assert_not_null(big = malloc(chunk));
	memset(big, 'x', chunk);
	for (int i = 0; i < 257; i++)	/* 257 MiB, no newline */
		cr_assert_eq(gzwrite(gz, big, (unsigned)chunk), (int)chunk);
	free(big);
	gzputs(gz, "\n{\"id\":\"after\",\"text\":\"b\"}\n");
	cr_assert_eq(gzclose(gz), Z_OK);

	cr_assert_eq(run(&c, p), 0);
	cr_assert_eq(c.ndocs, 2);
	assert_str(c.docs[0].id, "before");
	assert_str(c.docs[1].id, "after");
	assert_str(c.docs[1].source + strlen(p), ":3");
	assert_one_skip(&c, p, 2, "line longer than 256 MiB");
	collect_free(&c);
}

/* ------------------------------------------------------------ bad input */

Test(ingest, empty_files, .fini = rm_tree)
{
	static const char *const names[] = { "a.txt", "b.md", "c.jsonl" };
	static const char *const contents[] = { "", " \n\t\r\n", "\n\n  \n" };
	collect c = { 0 };

	mk_tmp();
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < 3; j++) {
			const char *p = write_str(names[j], contents[i]);
			cr_assert_eq(run(&c, p), 0);
			cr_assert_eq(c.ndocs, 0);
			assert_one_skip(&c, p, 0, "empty file");
			collect_free(&c);
		}
	}
	/* An empty .jsonl.gz: a valid gzip stream of nothing. */
	gzFile gz = gzopen(in_tmp("d.jsonl.gz"), "wb");
	cr_assert_not_null(gz);
	cr_assert_eq(gzclose(gz), Z_OK);
	cr_assert_eq(run(&c, in_tmp("d.jsonl.gz")), 0);
	assert_one_skip(&c, in_tmp("d.jsonl.gz"), 0, "empty file");
	collect_free(&c);
}

Test(ingest, binary_files, .fini = rm_tree)
{
	static const char data[] = "text\0\x01\x02 more";
	collect c = { 0 };
	const char *p;
	char *late;

	mk_tmp();
	p = write_file("bin.txt", data, sizeof data - 1);
	cr_assert_eq(run(&c, p), 0);
	cr_assert_eq(c.ndocs, 0);
	assert_one_skip(&c, p, 0, "binary file (NUL byte at offset 4)");
	collect_free(&c);

	p = write_file("bin.md", data, sizeof data - 1);
	run(&c, p);
	assert_one_skip(&c, p, 0, "binary file (NUL byte at offset 4)");
	collect_free(&c);

	p = write_file("bin.jsonl", data, sizeof data - 1);
	run(&c, p);
	assert_one_skip(&c, p, 0, "binary file (NUL byte at offset 4)");
	collect_free(&c);

	/* Only the first 8 KiB are sniffed; a later NUL is let through. */
	cr_assert_not_null(late = malloc(9000));
	memset(late, 'a', 9000);
	late[8500] = '\0';
	p = write_file("late.txt", late, 9000);
	free(late);
	run(&c, p);
	cr_assert_eq(c.nskips, 0);
	cr_assert_eq(c.ndocs, 1);
	cr_assert_eq(c.docs[0].text_len, 9000);
	collect_free(&c);
}

Test(ingest, invalid_utf8, .fini = rm_tree)
{
	static const struct {
		const char *content;
		long byte, line; /* byte -1: valid */
	} rows[] = {
		{ "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E ok\n", -1, 0 },
		{ "ok line\nbad \xFF here\n", 12, 2 },
		{ "latin-1 caf\xE9\n", 11, 1 },
		{ "overlong \xC0\x80\n", 9, 1 },
		{ "overlong \xE0\x80\xAF\n", 9, 1 },
		{ "surrogate \xED\xA0\x80\n", 10, 1 },
		{ "too big \xF4\x90\x80\x80\n", 8, 1 },
		{ "a\nb\nlone continuation \x80\n", 22, 3 },
		{ "cut at the end \xE2\x82", 15, 1 },
		{ "bad second byte \xE2\x28\xA1\n", 16, 1 },
	};
	collect c = { 0 };

	mk_tmp();
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *p = write_str("u.txt", rows[i].content);
		char want[160];

		cr_assert_eq(run(&c, p), 0);
		if (rows[i].byte < 0) {
			cr_assert_eq(c.nskips, 0, "row %zu", i);
			cr_assert_eq(c.ndocs, 1, "row %zu", i);
		} else {
			snprintf(want, sizeof want, "invalid UTF-8 at byte %ld "
				 "(line %ld); convert it to UTF-8, e.g. with "
				 "iconv", rows[i].byte, rows[i].line);
			cr_assert_eq(c.ndocs, 0, "row %zu", i);
			assert_one_skip(&c, p, 0, want);
		}
		collect_free(&c);
	}
}

Test(ingest, file_too_large, .fini = rm_tree)
{
	collect c = { 0 };
	const char *p;
	int fd;

	mk_tmp();
	p = in_tmp("huge.txt");
	cr_assert_geq(fd = open(p, O_WRONLY | O_CREAT, 0644), 0);
	/* Sparse: no disk, and the size check comes before any read. */
	cr_assert_eq(ftruncate(fd, ((off_t)256 << 20) + 1), 0);
	close(fd);
	cr_assert_eq(run(&c, p), 0);
	cr_assert_eq(c.ndocs, 0);
	assert_one_skip(&c, p, 0, "file larger than 256 MiB");
	cr_assert_eq(c.nfiles, 1);	/* still counted for progress */
	collect_free(&c);
}

Test(ingest, broken_symlink, .fini = rm_tree)
{
	collect c = { 0 };

	mk_tmp();
	cr_assert_eq(mkdir(in_tmp("d"), 0755), 0);
	cr_assert_eq(symlink("nowhere.txt", in_tmp("d/gone.txt")), 0);
	cr_assert_eq(symlink("nowhere", in_tmp("d/gone")), 0);

	/* Named directly. */
	cr_assert_eq(run(&c, in_tmp("d/gone.txt")), 0);
	assert_one_skip(&c, in_tmp("d/gone.txt"), 0, "broken symbolic link");
	collect_free(&c);
	/* In a walk: reported when the name is one of ours, else not. */
	cr_assert_eq(run(&c, in_tmp("d")), 0);
	cr_assert_eq(c.ndocs, 0);
	assert_one_skip(&c, in_tmp("d/gone.txt"), 0, "broken symbolic link");
	cr_assert_eq(c.nfiles, 0);
	collect_free(&c);
}

Test(ingest, symlink_loop, .fini = rm_tree)
{
	collect c = { 0 };

	mk_tmp();
	cr_assert_eq(symlink("b.txt", in_tmp("a.txt")), 0);
	cr_assert_eq(symlink("a.txt", in_tmp("b.txt")), 0);
	cr_assert_eq(run(&c, tmp), 0);
	cr_assert_eq(c.ndocs, 0);
	cr_assert_eq(c.nskips, 2);
	cr_assert_str_eq(c.skips[0].path, in_tmp("a.txt"));
	cr_assert_str_eq(c.skips[0].reason, "too many levels of symbolic links");
	cr_assert_str_eq(c.skips[1].path, in_tmp("b.txt"));
	cr_assert_str_eq(c.skips[1].reason, "too many levels of symbolic links");
	collect_free(&c);
}

Test(ingest, symlinks_in_walk, .fini = rm_tree)
{
	collect c = { 0 };

	mk_tmp();
	cr_assert_eq(mkdir(in_tmp("real"), 0755), 0);
	write_str("real/a.txt", "Alpha.\n");
	cr_assert_eq(symlink("real", in_tmp("linkdir")), 0);
	cr_assert_eq(symlink("real/a.txt", in_tmp("link.txt")), 0);
	cr_assert_eq(symlink("..", in_tmp("real/up")), 0);	/* a loop */

	cr_assert_eq(run(&c, tmp), 0);
	cr_assert_eq(c.nskips, 0);
	/* The linked file is read; the linked directories are not walked. */
	cr_assert_eq(c.ndocs, 2);
	assert_str(c.docs[0].id, "link.txt");
	assert_str(c.docs[0].text, "Alpha.\n");
	assert_str(c.docs[1].id, "real/a.txt");
	collect_free(&c);

	/* A link to a directory named by the caller is followed. */
	cr_assert_eq(run(&c, in_tmp("linkdir")), 0);
	cr_assert_eq(c.ndocs, 1);
	assert_str(c.docs[0].id, "a.txt");
	assert_str(c.docs[0].source, in_tmp("linkdir/a.txt"));
	collect_free(&c);
}

Test(ingest, unreadable_file, .fini = rm_tree)
{
	collect c = { 0 };
	const char *p;

	if (geteuid() == 0)
		cr_skip_test("root reads a mode-000 file anyway");
	mk_tmp();
	p = write_str("locked.txt", "Secret.\n");
	cr_assert_eq(chmod(p, 0), 0);
	cr_assert_eq(run(&c, p), 0);
	cr_assert_eq(c.ndocs, 0);
	assert_one_skip(&c, p, 0, strerror(EACCES));
	collect_free(&c);
}

Test(ingest, not_a_regular_file, .fini = rm_tree, .timeout = 10)
{
	collect c = { 0 };

	mk_tmp();
	cr_assert_eq(mkfifo(in_tmp("pipe.txt"), 0644), 0);
	cr_assert_eq(mkfifo(in_tmp("pipe"), 0644), 0);
	/* Named: reported (and not opened, or this would hang). */
	cr_assert_eq(run(&c, in_tmp("pipe.txt")), 0);
	assert_one_skip(&c, in_tmp("pipe.txt"), 0, "not a regular file");
	collect_free(&c);
	cr_assert_eq(run(&c, in_tmp("pipe")), 0);
	assert_one_skip(&c, in_tmp("pipe"), 0, "not a regular file");
	collect_free(&c);
	/* In a walk: only the one with our extension is worth a word. */
	cr_assert_eq(run(&c, tmp), 0);
	assert_one_skip(&c, in_tmp("pipe.txt"), 0, "not a regular file");
	cr_assert_eq(ingest_total_bytes(tmp), 0);
	collect_free(&c);
}

Test(ingest, unsupported_extension)
{
	collect c = { 0 };

	cr_assert_eq(run(&c, DATA "tree/c.dat"), 0);
	cr_assert_eq(c.ndocs, 0);
	assert_one_skip(&c, DATA "tree/c.dat", 0, "unsupported file type "
			"(expected .txt, .md, .jsonl, .jsonl.gz)");
	cr_assert_eq(c.nfiles, 0);
	collect_free(&c);
	/* The same file in a walk is passed over without a word. */
	cr_assert_eq(run(&c, DATA "tree"), 0);
	cr_assert_eq(c.nskips, 0);
	for (size_t i = 0; i < c.ndocs; i++)
		cr_assert_str_neq(c.docs[i].id, "c.dat");
	collect_free(&c);
}

Test(ingest, nonexistent_path)
{
	collect c = { 0 };

	cr_assert_eq(run(&c, DATA "nope"), -1);
	cr_assert_str_eq(dicta_error_last(),
			 DATA "nope: no such file or directory");
	cr_assert_eq(run(&c, DATA "title.txt/x"), -1);
	cr_assert_str_eq(dicta_error_last(),
			 DATA "title.txt/x: no such file or directory");
	cr_assert_eq(c.ndocs + c.nskips + c.nfiles, 0);
	cr_assert_eq(ingest_total_bytes(DATA "nope"), 0);
}

/* ------------------------------------------------------------------ walk */

Test(ingest, sorted_walk_and_relative_ids)
{
	static const char *const ids[] = {
		"B.txt", "a/sub/y.md", "a/x.txt", "a-z.txt",
	};
	collect c = { 0 };
	uint64_t total = 0;

	/* A trailing slash does not double up in sources. */
	cr_assert_eq(run(&c, DATA "tree/"), 0);
	cr_assert_eq(c.nskips, 0);
	cr_assert_eq(c.ndocs, 4);
	for (size_t i = 0; i < 4; i++) {
		char source[128];
		cr_assert_str_eq(c.docs[i].id, ids[i], "document %zu", i);
		snprintf(source, sizeof source, DATA "tree/%s", ids[i]);
		cr_assert_str_eq(c.docs[i].source, source);
		cr_assert_str_eq(c.files[i], source);
		total += (uint64_t)file_size(source);
	}
	assert_str(c.docs[1].title, "Y");
	/* Progress adds up: on_file bytes == ingest_total_bytes. */
	cr_assert_eq(c.nfiles, 4);
	cr_assert_eq(c.bytes, total);
	cr_assert_eq(ingest_total_bytes(DATA "tree"), total);
	collect_free(&c);
}

Test(ingest, walk_hidden_named_directly)
{
	collect c = { 0 };

	/* Hidden entries are passed over in a walk, but not when named. */
	cr_assert_eq(run(&c, DATA "tree/.hidden.txt"), 0);
	cr_assert_eq(c.ndocs, 1);
	assert_str(c.docs[0].id, ".hidden.txt");
	collect_free(&c);
	cr_assert_eq(run(&c, DATA "tree/.hiddendir"), 0);
	cr_assert_eq(c.ndocs, 1);
	assert_str(c.docs[0].id, "h.txt");
	collect_free(&c);
}

Test(ingest, stop_from_callback)
{
	collect c = { 0 };

	c.stop_after = 2;
	c.stop_value = 7;
	cr_assert_eq(run(&c, DATA "tree"), 7);
	cr_assert_eq(c.ndocs, 2);
	cr_assert_eq(c.nfiles, 1);	/* the file that stopped it is not done */
	collect_free(&c);

	c.stop_after = 1;
	c.stop_value = -3;
	cr_assert_eq(run(&c, DATA "docs.jsonl"), -3);
	cr_assert_eq(c.ndocs, 1);
	collect_free(&c);
}
