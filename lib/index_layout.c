/*
 * index_layout.c — an index on disk: its shards, how they are created,
 * opened, locked and read as one.
 *
 * An index directory holds a Xapian stub file, XAPIANDB, naming its shards
 * ("glass shard-0", "glass shard-1", ...), each a glass database in a
 * subdirectory; Xapian's own tools open the directory through the stub.  A
 * document lives in the shard its id hashes to, so the shards can be
 * written by one thread each and every document has exactly one home.  The
 * number of shards is fixed when the index is created.  An index written
 * before shards existed (a glass database directly in the directory) opens
 * as one shard.  docs/index-format.md describes the layout.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "hash.h"
#include "index_internal.h"

#define STUB_FILE "XAPIANDB"
#define SHARD_NAME "shard-"
/* The writer leaves its pid in DIR/OWNER_FILE, so that a second writer can
 * say who holds the lock (Xapian's lock is an open-file-description lock,
 * which does not tell its owner). */
#define OWNER_FILE "dicta-writer"

size_t index_shard_of(const char *id, size_t n)
{
	return n <= 1 ? 0 : (size_t)(fnv1a(id, strlen(id)) % n);
}

/* Shard k's directory is shard-k, or shard-k.g after its g-th compaction
 * (index_layout_compact): *k and *g (0 for none) receive the numbers. */
static int parse_shard_name(const char *s, unsigned *k, unsigned *g)
{
	size_t l = strlen(SHARD_NAME);
	if (strncmp(s, SHARD_NAME, l) != 0)
		return 0;
	s += l;
	size_t dk = strspn(s, "0123456789");
	if (dk == 0 || dk > 2)
		return 0;
	*k = (unsigned)atoi(s);
	*g = 0;
	if (!s[dk])
		return 1;
	if (s[dk] != '.')
		return 0;
	size_t dg = strspn(s + dk + 1, "0123456789");
	if (dg == 0 || dg > 6 || s[dk + 1 + dg])
		return 0;
	*g = (unsigned)atoi(s + dk + 1);
	return 1;
}

static int is_shard_name(const char *s)
{
	unsigned k, g;
	return parse_shard_name(s, &k, &g);
}

/* Read DIR/XAPIANDB into names (INDEX_MAX_SHARDS of them): *n receives the
 * number of shards (0 if there is no stub).  Line k must name shard k:
 * "glass shard-k" or "glass shard-k.g". */
typedef char shard_names[INDEX_MAX_SHARDS][INDEX_SHARD_NAME];

static int read_stub(const char *path, shard_names names, size_t *n)
{
	*n = 0;
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", path, STUB_FILE);
	FILE *f = fopen(p, "r");
	if (!f)
		return errno == ENOENT ? 0 : error_set(DICTA_EIO, "%s: %s", p, strerror(errno));
	char line[256];
	long lineno = 0;
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		unsigned k, g;
		const char *name = strncmp(line, "glass ", 6) == 0 ? line + 6 : "";
		if (*n == INDEX_MAX_SHARDS || !parse_shard_name(name, &k, &g) ||
		    k != *n || strlen(name) >= INDEX_SHARD_NAME)
			rc = error_set(DICTA_ECORRUPT,
				       "%s:%ld: expected \"glass %s%zu\", found \"%.100s\"",
				       p, lineno, SHARD_NAME, *n, line);
		else
			snprintf(names[(*n)++], INDEX_SHARD_NAME, "%s", name);
	}
	fclose(f);
	if (rc == 0 && *n == 0)
		rc = error_set(DICTA_ECORRUPT, "%s: names no shard", p);
	return rc;
}

/* Write the stub for n shards: to a temporary file, synced, then renamed
 * over, so that a reader sees the whole stub or none. */
static int write_stub(const char *path, shard_names names, size_t n)
{
	char p[4096], tmp[4200];
	snprintf(p, sizeof p, "%s/%s", path, STUB_FILE);
	snprintf(tmp, sizeof tmp, "%s.tmp", p);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return error_set(DICTA_EIO, "%s: %s", tmp, strerror(errno));
	for (size_t k = 0; k < n; k++)
		fprintf(f, "glass %s\n", names[k]);
	int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, p) != 0) {
		int e = errno;
		unlink(tmp);
		return error_set(DICTA_EIO, "%s: %s", p, strerror(e));
	}
	int dfd = open(path, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
}

static int file_exists(const char *dir, const char *name)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

/* A directory we may create an index in: missing, empty, an index, or
 * what an interrupted creation left (shard directories without a stub). */
static int check_index_dir(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return errno == ENOENT ? 0 : error_set(DICTA_EIO, "%s: %s", path,
						      strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error_set(DICTA_EINVAL, "%s: not a directory", path);
	if (file_exists(path, STUB_FILE) || file_exists(path, "iamglass"))
		return 0;
	DIR *d = opendir(path);
	if (!d)
		return error_set(DICTA_EIO, "%s: %s", path, strerror(errno));
	struct dirent *e;
	int ours = 1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    strcmp(e->d_name, OWNER_FILE) && strcmp(e->d_name, STUB_FILE ".tmp") &&
		    !is_shard_name(e->d_name))
			ours = 0;
	closedir(d);
	if (!ours)
		return error_set(DICTA_EINVAL,
				 "%s: directory exists and is not a dicta index; "
				 "refusing to write into it",
				 path);
	return 0;
}

static void write_owner(const char *path)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", path, OWNER_FILE);
	FILE *f = fopen(p, "w");
	if (!f)
		return; /* only a courtesy to the next writer */
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

static int locked_error(const char *path, const char *shard)
{
	/* Xapian reports any failure to take the lock (a read-only file
	 * system, a full disk) as a lock error; only "already locked" means
	 * another writer. */
	const char *why = strstr(dicta_error_last(), "write lock on ");
	if (!strstr(dicta_error_last(), "already locked")) {
		const char *colon = why ? strstr(why, ": ") : NULL;
		return error_set(DICTA_EIO, "%s: cannot take the write lock: %s", path,
				 colon ? colon + 2 : dicta_error_last());
	}
	char p[4096], cmd[256] = "";
	long pid = 0;
	snprintf(p, sizeof p, "%s/%s", path, OWNER_FILE);
	FILE *f = fopen(p, "r");
	if (f) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	if (pid > 0) {
		snprintf(p, sizeof p, "/proc/%ld/comm", pid);
		if ((f = fopen(p, "r")) != NULL) {
			if (fgets(cmd, sizeof cmd, f))
				cmd[strcspn(cmd, "\n")] = '\0';
			fclose(f);
		}
	}
	if (pid > 0 && *cmd)
		return error_set(DICTA_ELOCKED,
				 "%s: locked by another writer (process %ld, %s; lock file "
				 "%s/flintlock); wait for it or use --wait",
				 path, pid, cmd, shard);
	return error_set(DICTA_ELOCKED,
			 "%s: locked by another writer (lock file %s/flintlock); "
			 "wait for it or use --wait",
			 path, shard);
}

/* Remove a shard directory: glass keeps its files flat. */
static void remove_dir(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				(void)unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	(void)rmdir(path);
}

/* Shard directories the stub does not name: what a compaction interrupted
 * by a crash left, before or after switching the stub.  Removed by a
 * writer, holding every shard's lock, so no other writer is compacting. */
static void remove_orphans(dicta_index *idx)
{
	if (!idx->nshards || !idx->shards[0].name[0])
		return;
	DIR *d = opendir(idx->path);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!is_shard_name(e->d_name))
			continue;
		int named = 0;
		for (size_t k = 0; k < idx->nshards && !named; k++)
			named = strcmp(idx->shards[k].name, e->d_name) == 0;
		if (!named) {
			char p[4096];
			snprintf(p, sizeof p, "%s/%s", idx->path, e->d_name);
			remove_dir(p);
		}
	}
	closedir(d);
}

static unsigned default_shards(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > 8 ? 8 : (unsigned)n;
}

/* Are the open shards of idx exactly those named (n == 0: the legacy
 * layout)?  A writer that took the locks, or a reader reopening, asks it
 * to see whether the stub changed under it. */
static int layout_is(const dicta_index *idx, shard_names names, size_t n)
{
	if (n != (idx->shards[0].name[0] ? idx->nshards : 0))
		return 0;
	for (size_t k = 0; k < n; k++)
		if (strcmp(names[k], idx->shards[k].name) != 0)
			return 0;
	return 1;
}

/* Open the n shards (n == 0: the legacy layout, the directory itself). */
static int open_shards(dicta_index *idx, shard_names names, size_t n, int mode)
{
	size_t count = n ? n : 1;
	idx->shards = calloc(count, sizeof *idx->shards);
	if (!idx->shards)
		return error_set(DICTA_ENOMEM, "out of memory");
	idx->nshards = count;
	for (size_t k = 0; k < count; k++) {
		char p[4096];
		if (n)
			snprintf(p, sizeof p, "%s/%s", idx->path, names[k]);
		else
			snprintf(p, sizeof p, "%s", idx->path);
		snprintf(idx->shards[k].name, sizeof idx->shards[k].name, "%s",
			 n ? names[k] : "");
		int rc = shim_db_open(&idx->shards[k].db, p, mode);
		if (rc == DICTA_ENOTFOUND && !mode)
			return error_set(DICTA_ENOTFOUND, "%s: not a dicta index (%s)",
					 idx->path, dicta_error_last());
		if (rc == DICTA_ELOCKED)
			return locked_error(idx->path, p);
		if (rc)
			return rc;
	}
	if (count == 1) {
		idx->db = idx->shards[0].db;
		return 0;
	}
	shim_db *parts[INDEX_MAX_SHARDS];
	for (size_t k = 0; k < count; k++)
		parts[k] = idx->shards[k].db;
	return shim_db_group(&idx->db, parts, count);
}

int index_layout_open(dicta_index *idx, int mode, unsigned create_shards)
{
	const char *path = idx->path;
	if (!mode) {
		struct stat st;
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			return error_set(DICTA_ENOTFOUND,
					 "%s: no index there (create one with "
					 "dicta-index --index %s PATH...)",
					 path, path);
		size_t n;
		shard_names names;
		int rc = read_stub(path, names, &n);
		if (rc == 0 && n == 0 && !file_exists(path, "iamglass"))
			rc = error_set(DICTA_ENOTFOUND, "%s: not a dicta index", path);
		return rc ? rc : open_shards(idx, names, n, 0);
	}
	int rc = check_index_dir(path);
	if (rc)
		return rc;
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		return error_set(DICTA_EIO, "%s: %s", path, strerror(errno));
	for (;;) {
		size_t n;
		shard_names names;
		if ((rc = read_stub(path, names, &n)) != 0)
			return rc;
		int legacy = n == 0 && file_exists(path, "iamglass");
		int create = n == 0 && !legacy;
		if (create) {
			n = create_shards ? create_shards : default_shards();
			if (n > INDEX_MAX_SHARDS)
				n = INDEX_MAX_SHARDS;
			for (size_t k = 0; k < n; k++)
				snprintf(names[k], INDEX_SHARD_NAME, "%s%zu", SHARD_NAME, k);
		}
		if ((rc = open_shards(idx, names, legacy ? 0 : n, mode)) != 0)
			return rc;
		/* Holding every shard's lock now: another writer may have
		 * created or compacted the index meanwhile. */
		size_t now_n;
		shard_names now;
		if ((rc = read_stub(path, now, &now_n)) != 0)
			return rc;
		if (create && now_n == 0) {
			if ((rc = write_stub(path, names, n)) != 0)
				return rc;
			break;
		}
		if (layout_is(idx, now, now_n))
			break;
		index_layout_close(idx);
	}
	remove_orphans(idx);
	write_owner(path);
	return 0;
}

void index_layout_close(dicta_index *idx)
{
	/* The group first: it holds the shards' databases too. */
	if (idx->nshards > 1)
		shim_db_free(idx->db);
	idx->db = NULL;
	for (size_t k = 0; k < idx->nshards; k++) {
		index_shard *s = &idx->shards[k];
		if (s->in_txn)
			(void)shim_db_cancel(s->db);
		shim_db_free(s->db);
		stemmer_cache_clear(&s->stemmers);
		strset_free(s->variants.seen);
		free(s->variants.dirty);
		strset_free(s->parts.seen);
		free(s->parts.dirty);
	}
	free(idx->shards);
	idx->shards = NULL;
	idx->nshards = 0;
}

int index_layout_reopen(dicta_index *idx)
{
	size_t n;
	shard_names names;
	int rc = read_stub(idx->path, names, &n);
	if (rc)
		return rc;
	if (!layout_is(idx, names, n)) {
		/* Compacted: the shards we have are gone from the stub. */
		index_layout_close(idx);
		return open_shards(idx, names, n, 0);
	}
	/* A group shares its shards' databases: reopening it reopens them. */
	return shim_db_reopen(idx->db);
}

/*
 * Compaction: each shard is copied by Xapian's compactor into a new
 * directory, shard-k.g+1, whose B-trees are full and free of the space
 * updates leave; then the stub is switched to the new directories in one
 * rename, and the old ones are removed.  A crash before the switch leaves
 * the index as it was, after it the compacted index; either way the next
 * writer removes the directories the stub does not name.  Readers that
 * have the old shards open keep reading them (their files stay until
 * closed) and move to the new ones at their next reopen.
 */
int dicta_index_compact(dicta_index *idx)
{
	if (!idx->writable)
		return error_set(DICTA_EINVAL, "index opened read-only");
	if (!idx->shards[0].name[0])
		return error_set(DICTA_EINVAL,
				 "%s: an index of the older one-database layout cannot "
				 "be compacted in place; index it again into a new "
				 "directory, or use xapian-compact",
				 idx->path);
	if (index_in_txn(idx))
		return error_set(DICTA_EINVAL, "commit before compacting");
	shard_names names;
	size_t n = idx->nshards, made = 0;
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++) {
		unsigned sk, g;
		(void)parse_shard_name(idx->shards[k].name, &sk, &g);
		if (g >= 999999)
			g = 0;
		snprintf(names[k], INDEX_SHARD_NAME, "%s%zu.%u", SHARD_NAME, k, g + 1);
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", idx->path, names[k]);
		remove_dir(p); /* a leftover of an interrupted compaction */
		made = k + 1;
		rc = shim_db_compact(idx->shards[k].db, p);
	}
	if (rc == 0)
		rc = write_stub(idx->path, names, n);
	if (rc) {
		/* Only the directories named so far: the others were not made. */
		for (size_t k = 0; k < made; k++) {
			char p[4096];
			snprintf(p, sizeof p, "%s/%s", idx->path, names[k]);
			remove_dir(p);
		}
		return rc;
	}
	/* The stub names the new shards: from here the index is compacted.
	 * Keep writing to it through the new shards. */
	uint64_t added = index_passages_added(idx);
	index_layout_close(idx);
	rc = open_shards(idx, names, n, SHIM_WRITE);
	if (rc == 0) {
		remove_orphans(idx);
		idx->shards[0].passages_added = added;
	}
	return rc;
}

int index_metadata_join(dicta_index *idx, const char *key, char **out,
			size_t *len_out)
{
	*out = NULL;
	*len_out = 0;
	if (idx->nshards == 1)
		return shim_db_get_metadata(idx->shards[0].db, key, out, len_out);
	char *acc = NULL;
	size_t len = 0;
	for (size_t k = 0; k < idx->nshards; k++) {
		char *v;
		size_t vl;
		int rc = shim_db_get_metadata(idx->shards[k].db, key, &v, &vl);
		if (rc) {
			free(acc);
			return rc;
		}
		if (!v)
			continue;
		char *grown = realloc(acc, len + vl + 2);
		if (!grown) {
			free(v);
			free(acc);
			return error_set(DICTA_ENOMEM, "out of memory");
		}
		acc = grown;
		for (size_t i = 0; i < vl;) {
			size_t j = i;
			while (j < vl && v[j] != ' ')
				j++;
			if (j > i && !index_list_has(acc, len, v + i, j - i)) {
				if (len)
					acc[len++] = ' ';
				memcpy(acc + len, v + i, j - i);
				len += j - i;
			}
			i = j + 1;
		}
		acc[len] = '\0';
		free(v);
	}
	*out = acc;
	*len_out = len;
	return 0;
}
