/*
 * loadgen.c — a small HTTP load generator for the dicta server, used by
 * bench/load.sh.  N connections (one thread each, keep-alive) send a mix of
 * requests for a fixed time: GET /search with varied k, passages, unit and
 * sort (80%), POST /search with a JSON body (10%), and GET /documents/{id}
 * for a document an earlier search returned (10%).  Any answer but 200, a
 * closed connection or a timeout is a failure.  Prints requests, failures,
 * requests per second and latency percentiles; exits 1 if anything failed.
 *
 *   loadgen --port P [--host 127.0.0.1] [--connections 64] [--seconds 30]
 *           --queries FILE
 *
 * Not part of libdicta; built by bench/load.sh with cc -pthread.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 2000000 /* per thread: bounds memory, not the run */

static struct sockaddr_in addr;
static char **queries;
static size_t nqueries;
static double deadline;

typedef struct {
	unsigned id;
	uint64_t requests, failures, timeouts, closed;
	uint64_t by_status[6];
	double *lat; /* ms */
	size_t nlat;
	char last_failure[200];
} worker;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct timeval tv = {10, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Percent-encode s for a query string (plus_space: ' ' as '+') or a path
 * segment (' ' as %20; '+' is literal there). */
static void encode(char *out, size_t cap, const char *s, int plus_space)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (; *s && o + 4 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_') {
			out[o++] = (char)c;
		} else if (c == ' ' && plus_space) {
			out[o++] = '+';
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

/* Send a request and read the response into buf; the status, or -1 for a
 * broken connection (errno ETIMEDOUT-like values for a timeout). */
static int roundtrip(int fd, const char *req, size_t len, char **buf, size_t *cap,
		     size_t *body_off, size_t *body_len)
{
	for (size_t sent = 0; sent < len;) {
		ssize_t n = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		sent += (size_t)n;
	}
	size_t have = 0, want = 0;
	int headers = 0;
	for (;;) {
		if (have + 1 >= *cap) {
			*cap *= 2;
			*buf = realloc(*buf, *cap);
		}
		ssize_t n = recv(fd, *buf + have, *cap - have - 1, 0);
		if (n <= 0)
			return -1;
		have += (size_t)n;
		(*buf)[have] = '\0';
		char *end;
		if (!headers && (end = strstr(*buf, "\r\n\r\n")) != NULL) {
			const char *cl = strcasestr(*buf, "\r\nContent-Length:");
			if (!cl || cl > end)
				return -1;
			*body_off = (size_t)(end - *buf) + 4;
			want = *body_off + strtoul(cl + 17, NULL, 10);
			headers = 1;
		}
		if (headers && have >= want)
			break;
	}
	*body_len = want - *body_off;
	int status = 0;
	if (sscanf(*buf, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	return status;
}

/* The id of the first result in a search response, if any. */
static int first_id(const char *body, char *out, size_t cap)
{
	const char *p = strstr(body, "\"id\":\"");
	if (!p)
		return 0;
	p += 6;
	size_t o = 0;
	while (*p && *p != '"' && o + 1 < cap) {
		if (*p == '\\') /* keep the JSON escapes simple: skip such ids */
			return 0;
		out[o++] = *p++;
	}
	out[o] = '\0';
	return o > 0;
}

static void *run(void *arg)
{
	worker *w = arg;
	w->lat = malloc(MAX_SAMPLES * sizeof *w->lat);
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	char req[8192], enc[4096], doc_id[1024] = "", body[2048];
	unsigned seed = w->id * 2654435761u + 1;
	int fd = -1;
	while (now() < deadline) {
		if (fd < 0 && (fd = dial()) < 0) {
			w->failures++;
			snprintf(w->last_failure, sizeof w->last_failure, "connect: %s",
				 strerror(errno));
			usleep(10000);
			continue;
		}
		unsigned r = rand_r(&seed) % 100;
		const char *q = queries[rand_r(&seed) % nqueries];
		int len;
		if (r < 10 && *doc_id) {
			encode(enc, sizeof enc, doc_id, 0);
			len = snprintf(req, sizeof req,
				       "GET /documents/%s%s HTTP/1.1\r\nHost: loadgen\r\n\r\n",
				       enc, r < 3 ? "?passage=0" : "");
		} else if (r < 20) {
			/* JSON-escape only quotes and backslashes: queries are plain. */
			size_t o = 0;
			for (const char *p = q; *p && o + 2 < sizeof enc; p++) {
				if (*p == '"' || *p == '\\')
					enc[o++] = '\\';
				enc[o++] = *p;
			}
			enc[o] = '\0';
			int bl = snprintf(body, sizeof body,
					  "{\"q\":\"%s\",\"k\":%u,\"passages\":%u}", enc,
					  1 + rand_r(&seed) % 20, 1 + rand_r(&seed) % 3);
			len = snprintf(req, sizeof req,
				       "POST /search HTTP/1.1\r\nHost: loadgen\r\n"
				       "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
				       bl, body);
		} else {
			encode(enc, sizeof enc, q, 1);
			len = snprintf(req, sizeof req,
				       "GET /search?q=%s&k=%u&passages=%u%s%s HTTP/1.1\r\n"
				       "Host: loadgen\r\n\r\n",
				       enc, 1 + rand_r(&seed) % 20, 1 + rand_r(&seed) % 3,
				       r % 4 == 0 ? "&unit=passage" : "",
				       r % 5 == 0 ? "&sort=date" : "");
		}
		size_t off = 0, blen = 0;
		double t0 = now();
		int status = roundtrip(fd, req, (size_t)len, &buf, &cap, &off, &blen);
		double ms = (now() - t0) * 1000.0;
		w->requests++;
		if (status < 0) {
			int timeout = errno == EAGAIN || errno == EWOULDBLOCK;
			if (timeout)
				w->timeouts++;
			else
				w->closed++;
			w->failures++;
			snprintf(w->last_failure, sizeof w->last_failure, "%s",
				 timeout ? "timeout" : "connection closed");
			close(fd);
			fd = -1;
			continue;
		}
		w->by_status[status / 100 >= 1 && status / 100 <= 5 ? status / 100 - 1 : 5]++;
		if (status != 200) {
			w->failures++;
			snprintf(w->last_failure, sizeof w->last_failure, "%d: %.150s",
				 status, buf + off);
		} else if (strncmp(req, "GET /search", 11) == 0 ||
			   strncmp(req, "POST", 4) == 0) {
			char id[1024];
			if (first_id(buf + off, id, sizeof id))
				snprintf(doc_id, sizeof doc_id, "%s", id);
		}
		if (w->nlat < MAX_SAMPLES)
			w->lat[w->nlat++] = ms;
		/* The server closes after some answers (draining, errors). */
		char *hend = strstr(buf, "\r\n\r\n");
		char *conn = strcasestr(buf, "\r\nConnection: close");
		if (conn && conn < hend) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *host = "127.0.0.1", *qfile = NULL;
	unsigned port = 0, conns = 64;
	double seconds = 30;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port"))
			port = (unsigned)atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--host"))
			host = argv[i + 1];
		else if (!strcmp(argv[i], "--connections"))
			conns = (unsigned)atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--queries"))
			qfile = argv[i + 1];
	}
	if (!port || !qfile || conns == 0 || conns > 4096 || seconds <= 0 || seconds > 3600) {
		fprintf(stderr, "usage: loadgen --port P [--host H] [--connections N] "
				"[--seconds S] --queries FILE\n");
		return 2;
	}
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		fprintf(stderr, "loadgen: %s is not an IPv4 address\n", host);
		return 2;
	}
	FILE *f = fopen(qfile, "r");
	if (!f) {
		perror(qfile);
		return 2;
	}
	char line[1024];
	size_t cap = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		if (nqueries == cap)
			queries = realloc(queries, (cap = cap ? cap * 2 : 64) * sizeof *queries);
		queries[nqueries++] = strdup(line);
	}
	fclose(f);
	if (!nqueries) {
		fprintf(stderr, "loadgen: no queries in %s\n", qfile);
		return 2;
	}

	worker *ws = calloc(conns, sizeof *ws);
	pthread_t *ts = calloc(conns, sizeof *ts);
	double t0 = now();
	deadline = t0 + seconds;
	for (unsigned i = 0; i < conns; i++) {
		ws[i].id = i;
		pthread_create(&ts[i], NULL, run, &ws[i]);
	}
	for (unsigned i = 0; i < conns; i++)
		pthread_join(ts[i], NULL);
	double elapsed = now() - t0;

	uint64_t requests = 0, failures = 0, timeouts = 0, closed = 0, st[6] = {0};
	size_t n = 0;
	for (unsigned i = 0; i < conns; i++)
		n += ws[i].nlat;
	double *all = malloc((n ? n : 1) * sizeof *all);
	size_t k = 0;
	const char *example = NULL;
	for (unsigned i = 0; i < conns; i++) {
		requests += ws[i].requests;
		failures += ws[i].failures;
		timeouts += ws[i].timeouts;
		closed += ws[i].closed;
		for (int s = 0; s < 6; s++)
			st[s] += ws[i].by_status[s];
		memcpy(all + k, ws[i].lat, ws[i].nlat * sizeof *all);
		k += ws[i].nlat;
		if (*ws[i].last_failure)
			example = ws[i].last_failure;
	}
	qsort(all, n, sizeof *all, cmp_double);
#define PCT(p) (n ? all[(size_t)((double)(n - 1) * (p))] : 0.0)
	printf("connections %u, %.1f s, %zu queries in the mix\n", conns, elapsed, nqueries);
	printf("requests %llu, failed %llu (timeouts %llu, closed %llu; 2xx %llu, 4xx %llu, "
	       "5xx %llu)\n",
	       (unsigned long long)requests, (unsigned long long)failures,
	       (unsigned long long)timeouts, (unsigned long long)closed,
	       (unsigned long long)st[1], (unsigned long long)st[3],
	       (unsigned long long)st[4]);
	printf("throughput %.1f requests/s\n", (double)requests / elapsed);
	printf("latency ms: p50 %.2f, p90 %.2f, p99 %.2f, max %.2f\n", PCT(0.5), PCT(0.9),
	       PCT(0.99), n ? all[n - 1] : 0.0);
	if (example)
		printf("a failure: %s\n", example);
	for (unsigned i = 0; i < conns; i++)
		free(ws[i].lat);
	free(ws);
	free(ts);
	free(all);
	for (size_t i = 0; i < nqueries; i++)
		free(queries[i]);
	free(queries);
	return failures ? 1 : 0;
}
