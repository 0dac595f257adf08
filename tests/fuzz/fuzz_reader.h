/*
 * fuzz_reader.h — shared by the ingest harnesses: write the input to a file
 * with a given extension in /dev/shm and read it with ingest_path, checking
 * that every document it delivers is well-formed and that it never fails
 * for bad input (bad input is skipped, not an error).
 */
#ifndef DICTA_FUZZ_READER_H
#define DICTA_FUZZ_READER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"

static int fuzz_on_doc(const ingest_doc *d, void *payload)
{
	(void)payload;
	if (!d->id || !*d->id || !d->source || (d->text_len && !d->text))
		abort();
	/* Touch every byte so ASan sees an overread. */
	volatile char sink = 0;
	for (size_t i = 0; i < d->text_len; i++)
		sink ^= d->text[i];
	(void)sink;
	return 0;
}

static void fuzz_on_skip(const char *path, long line, const char *reason,
			 void *payload)
{
	(void)line;
	(void)payload;
	if (!path || !reason || !*reason)
		abort();
}

static int fuzz_read_as(const uint8_t *data, size_t size, const char *ext)
{
	char path[64];
	snprintf(path, sizeof path, "/dev/shm/dicta-fuzz-%d%s", (int)getpid(), ext);
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	ingest_callbacks cb = {fuzz_on_doc, fuzz_on_skip, NULL, NULL};
	if (ingest_path(path, &cb) != 0)
		abort();
	unlink(path);
	return 0;
}

#endif
