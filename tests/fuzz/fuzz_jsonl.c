/*
 * fuzz_jsonl.c — libFuzzer harness for the JSON Lines reader.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read_as(data, size, ".jsonl");
}
