/*
 * strset.c — the string set of strset.h.  Written here rather than taken
 * from a library because all it needs is insert-and-test on short strings
 * with stable pointers, which glibc's hsearch (fixed size, one table per
 * process) does not give and which is a few dozen lines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "strset.h"

#define CHUNK (64 * 1024)

typedef struct chunk {
	struct chunk *next;
	size_t used, cap;
	char data[];
} chunk;

typedef struct {
	const char *str;
	size_t len;
	uint64_t hash;
	size_t ord;   /* the order it was added in */
} slot;

struct strset {
	slot *slots;
	size_t cap, n; /* cap is a power of two */
	chunk *chunks;
};


strset *strset_new(void)
{
	strset *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->cap = 1024;
	s->slots = calloc(s->cap, sizeof *s->slots);
	if (!s->slots) {
		free(s);
		return NULL;
	}
	return s;
}

void strset_free(strset *s)
{
	if (!s)
		return;
	for (chunk *c = s->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(s->slots);
	free(s);
}

size_t strset_count(const strset *s)
{
	return s->n;
}

static char *arena_copy(strset *s, const char *str, size_t len)
{
	chunk *c = s->chunks;
	if (!c || c->cap - c->used < len + 1) {
		size_t cap = len + 1 > CHUNK ? len + 1 : CHUNK;
		c = malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = s->chunks;
		s->chunks = c;
	}
	char *p = c->data + c->used;
	memcpy(p, str, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

static int grow(strset *s)
{
	size_t cap = s->cap * 2;
	slot *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->slots[i].str)
			continue;
		size_t j = s->slots[i].hash & (cap - 1);
		while (slots[j].str)
			j = (j + 1) & (cap - 1);
		slots[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return 0;
}

/* The slot holding str, or the empty slot where it would go. */
static size_t find(const strset *s, const char *str, size_t len, uint64_t h)
{
	size_t j = h & (s->cap - 1);
	for (; s->slots[j].str; j = (j + 1) & (s->cap - 1)) {
		const slot *e = &s->slots[j];
		if (e->hash == h && e->len == len && !memcmp(e->str, str, len))
			break;
	}
	return j;
}

int strset_has(const strset *s, const char *str, size_t len)
{
	return s->slots[find(s, str, len, fnv1a(str, len))].str != NULL;
}

long strset_find(const strset *s, const char *str, size_t len)
{
	const slot *e = &s->slots[find(s, str, len, fnv1a(str, len))];
	return e->str ? (long)e->ord : -1;
}

int strset_add(strset *s, const char *str, size_t len, const char **stored)
{
	return strset_add_ord(s, str, len, stored, NULL);
}

int strset_add_ord(strset *s, const char *str, size_t len, const char **stored,
		   size_t *ord)
{
	uint64_t h = fnv1a(str, len);
	size_t j = find(s, str, len, h);
	if (s->slots[j].str) {
		if (stored)
			*stored = s->slots[j].str;
		if (ord)
			*ord = s->slots[j].ord;
		return 0;
	}
	char *copy = arena_copy(s, str, len);
	if (!copy)
		return -1;
	s->slots[j] = (slot){copy, len, h, s->n};
	if (ord)
		*ord = s->n;
	s->n++;
	if (stored)
		*stored = copy;
	if (s->n * 4 >= s->cap * 3 && grow(s) != 0)
		return -1;
	return 1;
}
