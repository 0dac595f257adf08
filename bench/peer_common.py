"""peer_common.py - what the Python peers of `make bench` (peer_xapian.py,
peer_fts5.py) share: their command line, the query file, and the timed
query passes, so that both are measured by the same loop.
"""
import os
import sys
import time


def read_queries(path, column):
    """(class, query) of every line of a bench query TSV, from `column`."""
    with open(path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        col = head.index(column)
        return [(l.split("\t")[0], l.rstrip("\n").split("\t")[col]) for l in f if l.strip()]


def time_queries(name, queries, one, errors):
    """Run every query WARMUP times (environment, default 1), then RUNS times
    (default 3); print "pass, query number, class, microseconds, results" a
    line for each timed one.  one(q) returns the number of results; a query
    raising one of `errors` is refused: reported once on stderr, -1 us."""
    runs = int(os.environ.get("RUNS", "3"))
    warm = int(os.environ.get("WARMUP", "1"))
    refused = set()
    out = sys.stdout
    for p in range(1 - warm, runs + 1):  # passes up to 0 are the warm-up
        for i, (cls, q) in enumerate(queries):
            t0 = time.perf_counter_ns()
            try:
                n = one(q)
            except errors as e:
                if i not in refused:
                    print(f"{name}: query {i + 1} {q!r}: {e}", file=sys.stderr)
                    refused.add(i)
                n, t0 = 0, None
            t1 = time.perf_counter_ns()
            if p > 0:
                us = -1 if t0 is None else (t1 - t0) / 1000
                out.write(f"{p}\t{i + 1}\t{cls}\t{us:.1f}\t{n}\n")
    out.flush()


def main(index, query, usage):
    """`index CORPUS OUTDIR [--lang L]` or `query OUTDIR QUERIES.tsv`."""
    a = sys.argv[1:]
    if len(a) >= 3 and a[0] == "index":
        lang = "en"
        if len(a) == 5 and a[3] == "--lang":
            lang = a[4]
        index(a[1], a[2], lang)
    elif len(a) == 3 and a[0] == "query":
        query(a[1], a[2])
    else:
        sys.exit(usage)
