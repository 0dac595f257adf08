#!/usr/bin/python3
"""peer_fts5.py - SQLite FTS5, the second peer of `make bench`.

    peer_fts5.py index CORPUS.jsonl.gz OUTDIR [--lang en|de]
    peer_fts5.py query OUTDIR QUERIES.tsv

What a plain FTS5 user writes, through Python's sqlite3 module (Debian's
/usr/bin/python3, whose SQLite is built with FTS5): one table
fts5(id UNINDEXED, title, text, tokenize = 'porter unicode61') holding the
content, all rows inserted in one transaction, no 'optimize'.  FTS5 has no
German stemmer: the German corpus gets the same tokenizer (--lang is
recorded, nothing more).  Queries: MATCH with ORDER BY rank (FTS5's rank is
bm25() with its defaults) LIMIT 10, with snippet() of the text column
(up to 32 tokens) for each row.

query: reads the `fts5` column of QUERIES.tsv (columns class, dicta,
xapian, fts5, lucene), runs every query WARMUP times (environment, default
1) as a warm-up, then RUNS times (default 3), and prints one line per query
and pass:
    pass <TAB> query number <TAB> class <TAB> microseconds <TAB> results
microseconds is -1 for a query the engine refused (reason on stderr).
"""
import gzip
import json
import os
import shutil
import sqlite3
import sys
import time


def connect(path):
    db = sqlite3.connect(path, isolation_level=None)
    opts = {r[0] for r in db.execute("pragma compile_options")}
    if "ENABLE_FTS5" not in opts:
        sys.exit(f"peer_fts5: this Python's SQLite {sqlite3.sqlite_version} has no FTS5")
    return db


def rows(corpus):
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if line.strip():
                d = json.loads(line)
                yield str(d.get("id", n)), d.get("title") or "", d.get("text") or ""


def index(corpus, outdir, lang):
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    os.makedirs(outdir)
    db = connect(os.path.join(outdir, "fts.db"))
    db.execute("CREATE TABLE bench_meta(key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT INTO bench_meta VALUES('lang', ?)", (lang,))
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, "
               "tokenize = 'porter unicode61')")
    db.execute("BEGIN")
    db.executemany("INSERT INTO docs(id, title, text) VALUES (?, ?, ?)", rows(corpus))
    db.execute("COMMIT")
    n = db.execute("SELECT count(*) FROM docs").fetchone()[0]
    db.close()
    print(f"peer_fts5: indexed {n} documents", file=sys.stderr)


def read_queries(path, column):
    with open(path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        col = head.index(column)
        return [(l.split("\t")[0], l.rstrip("\n").split("\t")[col]) for l in f if l.strip()]


SQL = ("SELECT id, snippet(docs, 2, '[', ']', '...', 32) FROM docs "
       "WHERE docs MATCH ? ORDER BY rank LIMIT 10")


def query(outdir, qpath):
    runs = int(os.environ.get("RUNS", "3"))
    queries = read_queries(qpath, "fts5")
    db = connect(os.path.join(outdir, "fts.db"))
    refused = set()
    out = sys.stdout
    warm = int(os.environ.get("WARMUP", "1"))
    for p in range(1 - warm, runs + 1):  # passes up to 0 are the warm-up
        for i, (cls, q) in enumerate(queries):
            t0 = time.perf_counter_ns()
            try:
                n = len(db.execute(SQL, (q,)).fetchall())
            except sqlite3.Error as e:
                if i not in refused:
                    print(f"peer_fts5: query {i + 1} {q!r}: {e}", file=sys.stderr)
                    refused.add(i)
                n, t0 = 0, None
            t1 = time.perf_counter_ns()
            if p > 0:
                us = -1 if t0 is None else (t1 - t0) / 1000
                out.write(f"{p}\t{i + 1}\t{cls}\t{us:.1f}\t{n}\n")
    out.flush()


def main():
    a = sys.argv[1:]
    if len(a) >= 3 and a[0] == "index":
        lang = "en"
        if len(a) == 5 and a[3] == "--lang":
            lang = a[4]
        index(a[1], a[2], lang)
    elif len(a) == 3 and a[0] == "query":
        query(a[1], a[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
