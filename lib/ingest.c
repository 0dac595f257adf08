/*
 * ingest.c — the walk behind ingest_path() and ingest_total_bytes(): it
 * decides which files are read, in what order, under what id, and hands each
 * one, opened, to the reader for its extension (ingest_text.c,
 * ingest_jsonl.c).  The indexer calls it; the readers call back into
 * ingest_skip() and the field table kept here.
 *
 * The rules, which ingest_total_bytes() follows too so that progress adds up:
 *
 *   - A directory is walked depth-first, its entries sorted by strcmp (not
 *     the locale) so that two runs, or two machines, see the same order.
 *     Entries whose name starts with '.' are passed over.
 *   - Extensions (ASCII case-insensitive): .txt, .md, .jsonl, .jsonl.gz.
 *     In a walk other files are passed over silently; a file the caller
 *     named itself is reported as unsupported.
 *   - Symbolic links to regular files are read; links to directories are not
 *     followed inside a walk (that is how loops are avoided), but a link the
 *     caller named is, as the caller asked for it.  A dangling link or a
 *     link loop is reported — in a walk only when its name has one of our
 *     extensions, since we cannot tell what else it was meant to be.
 *   - FIFOs, sockets and devices are reported as "not a regular file" (under
 *     the same condition) and never opened: opening a FIFO would block.
 *   - The id of a file is its path relative to the directory named, with
 *     '/' separators; a file named directly gets its base name.  The source
 *     is the path as given joined with that relative part.
 *   - on_file is called once for every file counted by ingest_total_bytes(),
 *     after it has been read or skipped, with the size stat() gave.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "ingest.h"
#include "ingest_internal.h"

/* ------------------------------------------------------------- shared */

void ingest_skip(const ingest_file *f, long line, const char *fmt, ...)
{
	va_list ap;
	char small[512], *big = NULL;
	const char *msg = small;
	int n;

	if (!f->cb->on_skip)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		msg = fmt;
	} else if ((size_t)n >= sizeof small &&
		   (big = malloc((size_t)n + 1))) {
		/* A long id in the reason; without memory, the cut one does. */
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		msg = big;
	}
	f->cb->on_skip(f->path, line, msg, f->cb->payload);
	free(big);
}

static const char *const field_names[INGEST_NFIELDS][3] = {
	[INGEST_F_ID] = { "id", "_id", NULL },
	[INGEST_F_TITLE] = { "title", NULL, NULL },
	[INGEST_F_DATE] = { "date", NULL, NULL },
	[INGEST_F_TYPE] = { "type", NULL, NULL },
	[INGEST_F_COURT] = { "court", NULL, NULL },
	[INGEST_F_CITATION] = { "citation", "jurabk", NULL },
	[INGEST_F_LANG] = { "lang", "language", NULL },
};

const char *const *ingest_field_names(int f)
{
	return field_names[f];
}

int ingest_field_by_name(const char *key, size_t len)
{
	for (int f = 0; f < INGEST_NFIELDS; f++)
		for (const char *const *n = field_names[f]; *n; n++)
			if (strlen(*n) == len && strncasecmp(*n, key, len) == 0)
				return f;
	return -1;
}

const char **ingest_doc_field(ingest_doc *doc, int f)
{
	switch (f) {
	case INGEST_F_ID: return &doc->id;
	case INGEST_F_TITLE: return &doc->title;
	case INGEST_F_DATE: return &doc->date;
	case INGEST_F_TYPE: return &doc->type;
	case INGEST_F_COURT: return &doc->court;
	case INGEST_F_CITATION: return &doc->citation;
	default: return &doc->lang;
	}
}

/* ---------------------------------------------------------------- walk */

enum kind { K_NONE, K_TXT, K_MD, K_JSONL };

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);
	return n > s && strcasecmp(name + n - s, suffix) == 0;
}

static enum kind kind_of(const char *name)
{
	if (has_suffix(name, ".txt"))
		return K_TXT;
	if (has_suffix(name, ".md"))
		return K_MD;
	if (has_suffix(name, ".jsonl") || has_suffix(name, ".jsonl.gz"))
		return K_JSONL;
	return K_NONE;
}

typedef struct {
	const ingest_callbacks *cb; /* NULL: only count bytes */
	uint64_t total;
} walker;

/* Report a skip of a file that never reached a reader. */
static void skip(const walker *w, const char *path, const char *reason)
{
	if (w->cb && w->cb->on_skip)
		w->cb->on_skip(path, 0, reason, w->cb->payload);
}

static const char *link_reason(int err)
{
	if (err == ENOENT || err == ENOTDIR)
		return "broken symbolic link";
	if (err == ELOOP)
		return "too many levels of symbolic links";
	return strerror(err);
}

/* dir + "/" + name, without doubling a trailing '/'.  NULL on ENOMEM. */
static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir), m = strlen(name);
	char *p;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	p = malloc(n + m + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, n);
	if (dir[n - 1] != '/')
		p[n++] = '/';
	memcpy(p + n, name, m + 1);
	return p;
}

static int read_regular(walker *w, const char *path, const char *rel,
			enum kind k, const struct stat *st)
{
	const ingest_callbacks *cb = w->cb;
	ingest_file f = { path, rel, -1, (uint64_t)st->st_size, cb };
	struct stat fst;
	int rc = 0;

	if (!cb) {
		w->total += (uint64_t)st->st_size;
		return 0;
	}
	/* O_NONBLOCK: should the file have become a FIFO since lstat(), the
	 * open must not hang; fstat() below catches it. */
	f.fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (f.fd < 0) {
		skip(w, path, strerror(errno));
	} else if (fstat(f.fd, &fst) != 0 || !S_ISREG(fst.st_mode)) {
		close(f.fd);
		skip(w, path, "not a regular file");
	} else {
		fcntl(f.fd, F_SETFL, fcntl(f.fd, F_GETFL) & ~O_NONBLOCK);
		f.size = (uint64_t)fst.st_size;
		if (k == K_TXT)
			rc = ingest_read_txt(&f);
		else if (k == K_MD)
			rc = ingest_read_md(&f);
		else
			rc = ingest_read_jsonl(&f);
	}
	if (rc == 0 && cb->on_file)
		cb->on_file(path, (uint64_t)st->st_size, cb->payload);
	return rc;
}

static int visit(walker *w, const char *path, const char *rel,
		 const char *name, int named);

static int by_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk directory `path` whose id prefix is rel ("" for the root).  Returns
 * 0, the stop value of on_doc, or -1 (error set) when `named` and the
 * directory cannot be read or memory runs out. */
static int walk_dir(walker *w, const char *path, const char *rel, int named)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d)
		goto unreadable;
	for (;;) {
		errno = 0;
		if (!(e = readdir(d)))
			break;
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			size_t ncap = cap ? 2 * cap : 32;
			char **p = realloc(names, ncap * sizeof *p);
			if (!p)
				goto nomem;
			names = p;
			cap = ncap;
		}
		if (!(names[n] = strdup(e->d_name)))
			goto nomem;
		n++;
	}
	if (errno != 0)
		goto unreadable;
	/* Closed before descending, so deep trees do not hold a descriptor
	 * per level. */
	closedir(d);
	d = NULL;
	if (n > 1)
		qsort(names, n, sizeof *names, by_strcmp);

	for (size_t i = 0; i < n && rc == 0; i++) {
		char *full = join(path, names[i]);
		char *r = *rel ? join(rel, names[i]) : names[i];
		if (!full || !r) {
			error_set(DICTA_ENOMEM, "out of memory");
			rc = -1;
		} else {
			rc = visit(w, full, r, names[i], 0);
		}
		free(full);
		if (r != names[i])
			free(r);
	}
	goto out;

nomem:
	error_set(DICTA_ENOMEM, "out of memory");
	rc = -1;
	goto out;
unreadable:
	if (named) {
		if (w->cb)
			error_set(DICTA_EIO, "%s: %s", path, strerror(errno));
		rc = -1;
	} else {
		skip(w, path, strerror(errno));
	}
out:
	if (d)
		closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* One path found by the walk (named == 0) or given by the caller. */
static int visit(walker *w, const char *path, const char *rel,
		 const char *name, int named)
{
	struct stat st;
	enum kind k = kind_of(name);

	if (lstat(path, &st) != 0) {
		/* Gone since readdir(); a named path was checked already. */
		skip(w, path, strerror(errno));
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		if (stat(path, &st) != 0) {
			if (named || k != K_NONE)
				skip(w, path, link_reason(errno));
			return 0;
		}
		if (S_ISDIR(st.st_mode) && !named)
			return 0;
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(w, path, rel, named);
	if (!S_ISREG(st.st_mode)) {
		if (named || k != K_NONE)
			skip(w, path, "not a regular file");
		return 0;
	}
	if (k == K_NONE) {
		if (named)
			skip(w, path, "unsupported file type "
				      "(expected .txt, .md, .jsonl, .jsonl.gz)");
		return 0;
	}
	return read_regular(w, path, rel, k, &st);
}

static int walk_root(walker *w, const char *path)
{
	struct stat st;
	const char *base;
	size_t n;

	if (lstat(path, &st) != 0) {
		if (!w->cb)	/* counting never fails */
			return -1;
		if (errno == ENOENT || errno == ENOTDIR)
			error_set(DICTA_ENOTFOUND,
				  "%s: no such file or directory", path);
		else
			error_set(DICTA_EIO, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* A file named directly is known by its base name ("a/b.txt" ->
	 * "b.txt"); a directory's entries are relative to it. */
	n = strlen(path);
	base = path + n;
	while (base > path && base[-1] != '/')
		base--;
	if (!*base)	/* "dir/": only a directory can end in '/' */
		base = path;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return visit(w, path, "", base, 1);
	return visit(w, path, base, base, 1);
}

int ingest_path(const char *path, const ingest_callbacks *cb)
{
	walker w = { cb, 0 };

	if (!path || !cb) {
		error_set(DICTA_EINVAL, "ingest_path: no path or callbacks");
		return -1;
	}
	return walk_root(&w, path);
}

uint64_t ingest_total_bytes(const char *path)
{
	walker w = { NULL, 0 };

	if (path)
		walk_root(&w, path);
	return w.total;
}
