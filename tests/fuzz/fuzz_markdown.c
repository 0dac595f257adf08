/*
 * fuzz_markdown.c — libFuzzer harness for the Markdown (front matter) and
 * plain-text readers: the same bytes are read as .md and as .txt.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read_as(data, size, ".md");
	return fuzz_read_as(data, size, ".txt");
}
