/*
 * hash.h — the one string hash of dicta: 64-bit FNV-1a.  Used by the hash
 * tables (strset.c, stem.c's cache, the JSONL reader's id set) and for the
 * content hash stored with each document (store.c), which is part of the
 * index format: changing it makes every document look changed once.
 */
#ifndef DICTA_HASH_H
#define DICTA_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A_INIT 0xcbf29ce484222325ULL

/* Continue the hash h over data[0, len). */
static inline uint64_t fnv1a_more(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static inline uint64_t fnv1a(const void *data, size_t len)
{
	return fnv1a_more(FNV1A_INIT, data, len);
}

#endif
