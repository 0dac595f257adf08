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

from peer_common import main, read_queries, time_queries


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


SQL = ("SELECT id, snippet(docs, 2, '[', ']', '...', 32) FROM docs "
       "WHERE docs MATCH ? ORDER BY rank LIMIT 10")


def query(outdir, qpath):
    db = connect(os.path.join(outdir, "fts.db"))
    time_queries("peer_fts5", read_queries(qpath, "fts5"),
                 lambda q: len(db.execute(SQL, (q,)).fetchall()), sqlite3.Error)


if __name__ == "__main__":
    main(index, query, __doc__)
