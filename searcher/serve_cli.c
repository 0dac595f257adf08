/*
 * serve_cli.c — `dicta-search --serve`: the server's command line.  main.c
 * hands the arguments over when it sees --serve; this file parses them into
 * dicta_server_options, starts the server (lib/server.c), and waits for
 * SIGTERM or SIGINT, on which it lets the requests in flight finish and
 * exits 0.  The HTTP API itself is described in docs/http-api.md.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dicta.h"
#include "serve_cli.h"

static const char usage[] =
	"usage: dicta-search --index DIR --serve [HOST:]PORT [options]\n"
	"\n"
	"Answer searches over HTTP with JSON (routes /search, /documents/{id},\n"
	"/health, /stats; see docs/http-api.md) until SIGTERM or SIGINT, then let\n"
	"the requests in flight finish and exit.  Documents the indexer commits\n"
	"meanwhile are found without a restart.\n"
	"\n"
	"  -i, --index DIR           the index directory (required)\n"
	"      --serve [HOST:]PORT   where to listen: HOST defaults to 127.0.0.1\n"
	"                            (loopback only); [::1]:PORT for IPv6; PORT 0\n"
	"                            picks a free port.  0.0.0.0 listens on every\n"
	"                            interface: dicta has no authentication.\n"
	"      --threads N           worker threads (default 4)\n"
	"      --max-connections N   connections served at once; a request on one\n"
	"                            more gets 503 (default 256)\n"
	"      --max-query-bytes N   longest query q, in bytes (default 4096)\n"
	"      --max-k N             largest k (default 100)\n"
	"      --max-offset N        largest offset (default 10000)\n"
	"      --max-passages N      largest passages (default 20)\n"
	"      --max-body-bytes N    largest POST body; 413 beyond (default 65536)\n"
	"      --time-limit MS       Xapian's match time limit per search, in ms\n"
	"                            (default 2000; 0 = none)\n"
	"      --idle-timeout S      close connections idle S seconds (default 30)\n"
	"      --drain-timeout S     on SIGTERM, wait at most S seconds for requests\n"
	"                            in flight (default 30)\n"
	"      --cors ORIGIN         allow browser pages from ORIGIN (or *) to call\n"
	"                            the server (Access-Control-Allow-Origin)\n"
	"      --access-log          print one line per request on stderr\n"
	"  -h, --help                this help\n"
	"\n"
	"Exit status: 0 stopped by a signal, 2 usage error, 3 the index could not\n"
	"be read, 4 the address could not be listened on.\n";

static int parse_num(const char *opt, const char *arg, unsigned long long max,
		     unsigned long long *out)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);
	if (!*arg || *end || arg[0] == '-' || v > max) {
		fprintf(stderr,
			"dicta-search: %s needs a whole number up to %llu, not \"%s\"\n",
			opt, max, arg);
		return -1;
	}
	*out = v;
	return 0;
}

/* "[HOST:]PORT", "[v6]:PORT": host (malloc'd, or NULL for the default)
 * and port. */
static int parse_listen(const char *arg, char **host, unsigned *port)
{
	const char *colon, *p = arg;
	*host = NULL;
	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');
		if (!close || close[1] != ':')
			goto bad;
		*host = strndup(arg + 1, (size_t)(close - arg - 1));
		p = close + 2;
	} else if ((colon = strrchr(arg, ':')) != NULL) {
		if (colon > arg)
			*host = strndup(arg, (size_t)(colon - arg));
		p = colon + 1;
	}
	unsigned long long v;
	char *end;
	v = strtoull(p, &end, 10);
	if (!*p || *end || *p == '-' || v > 65535)
		goto bad;
	*port = (unsigned)v;
	return 0;
bad:
	free(*host);
	*host = NULL;
	fprintf(stderr,
		"dicta-search: --serve takes [HOST:]PORT (127.0.0.1:8080, [::1]:8080, "
		"8080), not \"%s\"\n",
		arg);
	return -1;
}

static void log_line(const char *line, void *payload)
{
	(void)payload;
	fprintf(stderr, "%s\n", line);
}

int serve_main(int argc, char **argv)
{
	enum {
		OPT_SERVE = 256, OPT_THREADS, OPT_MAXCONN, OPT_MAXQ, OPT_MAXK,
		OPT_MAXOFF, OPT_MAXP, OPT_MAXBODY, OPT_TIME, OPT_IDLE, OPT_DRAIN,
		OPT_CORS, OPT_LOG
	};
	static const struct option longopts[] = {
		{"index", required_argument, 0, 'i'},
		{"serve", required_argument, 0, OPT_SERVE},
		{"threads", required_argument, 0, OPT_THREADS},
		{"max-connections", required_argument, 0, OPT_MAXCONN},
		{"max-query-bytes", required_argument, 0, OPT_MAXQ},
		{"max-k", required_argument, 0, OPT_MAXK},
		{"max-offset", required_argument, 0, OPT_MAXOFF},
		{"max-passages", required_argument, 0, OPT_MAXP},
		{"max-body-bytes", required_argument, 0, OPT_MAXBODY},
		{"time-limit", required_argument, 0, OPT_TIME},
		{"idle-timeout", required_argument, 0, OPT_IDLE},
		{"drain-timeout", required_argument, 0, OPT_DRAIN},
		{"cors", required_argument, 0, OPT_CORS},
		{"access-log", no_argument, 0, OPT_LOG},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	dicta_server_options so;
	dicta_server_options_init(&so);
	char *host = NULL;
	const char *listen_arg = NULL;
	unsigned long long v, drain_s = 30;
	int c, bad = 0;
	optind = 1;
	while (!bad && (c = getopt_long(argc, argv, "i:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': so.index_path = optarg; break;
		case OPT_SERVE: listen_arg = optarg; break;
#define NUM(opt, max, field)                                                  \
	bad = parse_num(opt, optarg, max, &v) != 0;                           \
	if (!bad)                                                             \
		field = v;                                                    \
	break
		case OPT_THREADS: NUM("--threads", 1024, so.threads);
		case OPT_MAXCONN: NUM("--max-connections", 1000000, so.max_connections);
		case OPT_MAXQ: NUM("--max-query-bytes", 1 << 20, so.max_query_bytes);
		case OPT_MAXK: NUM("--max-k", 10000, so.max_k);
		case OPT_MAXOFF: NUM("--max-offset", 1000000, so.max_offset);
		case OPT_MAXP: NUM("--max-passages", 100, so.max_passages);
		case OPT_MAXBODY: NUM("--max-body-bytes", 1 << 30, so.max_body_bytes);
		case OPT_TIME: NUM("--time-limit", 3600000, so.search_time_limit_ms);
		case OPT_IDLE: NUM("--idle-timeout", 86400, so.idle_timeout_s);
		case OPT_DRAIN: NUM("--drain-timeout", 3600, drain_s);
#undef NUM
		case OPT_CORS: so.cors_origin = optarg; break;
		case OPT_LOG: so.on_request = log_line; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (bad)
		return 2;
	if (optind < argc) {
		fprintf(stderr, "dicta-search: --serve takes no query (\"%s\")\n",
			argv[optind]);
		return 2;
	}
	if (!so.index_path) {
		fprintf(stderr, "dicta-search: --index DIR is required\n%s", usage);
		return 2;
	}
	if (!listen_arg || parse_listen(listen_arg, &host, &so.port) != 0)
		return 2;
	if (host)
		so.address = host;

	/* The signals are taken by sigwait() below; the server's threads,
	 * started after this, inherit the mask and never see them. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	dicta_server *srv;
	int rc = dicta_server_start(&srv, &so);
	if (rc != 0) {
		fprintf(stderr, "dicta-search: %s\n", dicta_error_last());
		free(host);
		return rc == DICTA_EIO ? 4 : rc == DICTA_EINVAL ? 2 : 3;
	}
	const char *addr = so.address;
	int v6 = strchr(addr, ':') != NULL;
	fprintf(stderr, "dicta-search: listening on http://%s%s%s:%u/ (index %s)\n",
		v6 ? "[" : "", addr, v6 ? "]" : "", dicta_server_port(srv),
		so.index_path);
	if (strcmp(addr, "127.0.0.1") && strcmp(addr, "::1") && strcmp(addr, "localhost"))
		fprintf(stderr, "dicta-search: note: %s is not a loopback address; "
				"anyone who can reach it can search the index\n",
			addr);
	int sig = 0;
	sigwait(&sigs, &sig);
	fprintf(stderr, "dicta-search: %s: finishing the requests in flight\n",
		sig == SIGTERM ? "SIGTERM" : "SIGINT");
	dicta_server_stop(srv, (unsigned)drain_s * 1000);
	fprintf(stderr, "dicta-search: stopped\n");
	free(host);
	return 0;
}
