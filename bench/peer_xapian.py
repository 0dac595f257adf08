#!/usr/bin/python3
"""peer_xapian.py - plain Xapian 1.4, the first peer of `make bench`.

    peer_xapian.py index CORPUS.jsonl.gz OUTDIR [--lang en|de]
    peer_xapian.py query OUTDIR QUERIES.tsv

What a plain Xapian user writes: whole documents through TermGenerator
(Snowball stemmer of the language, STEM_SOME, positions), the title also as
its own field (prefix S, no positions), the text stored as the document
data and the id in value 0; queries through QueryParser (same stemmer,
STEM_SOME, default flags and OR, the `title:` prefix) with BM25Weight's
defaults, the top 10 with a snippet each (MSet.snippet, 200 bytes, of the
stored text).  Needs Debian's python3-xapian (/usr/bin/python3).

query: reads the `xapian` column of QUERIES.tsv (columns class, dicta,
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
import sys

import xapian

from peer_common import main, read_queries, time_queries

STEMMERS = {"en": "english", "de": "german"}
SLOT_ID = 0


def index(corpus, outdir, lang):
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    db = xapian.WritableDatabase(outdir, xapian.DB_CREATE_OR_OVERWRITE)
    db.set_metadata("bench-lang", lang)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem(STEMMERS[lang]))
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    n = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            text = d.get("text") or ""
            title = d.get("title") or ""
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(text)
            tg.index_text_without_positions(title, 1, "S")
            doc.set_data(text)
            doc.add_value(SLOT_ID, str(d.get("id", n)))
            db.add_document(doc)
            n += 1
    db.commit()
    db.close()
    print(f"peer_xapian: indexed {n} documents", file=sys.stderr)


def query(outdir, qpath):
    db = xapian.Database(outdir)
    lang = db.get_metadata("bench-lang").decode() or "en"
    stem = xapian.Stem(STEMMERS[lang])
    qp = xapian.QueryParser()
    qp.set_stemmer(stem)
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_database(db)
    qp.add_prefix("title", "S")
    enq = xapian.Enquire(db)
    enq.set_weighting_scheme(xapian.BM25Weight())

    def one(q):
        query = qp.parse_query(q)
        enq.set_query(query)
        mset = enq.get_mset(0, 10)
        n = 0
        for m in mset:
            doc = m.document
            doc.get_value(SLOT_ID)
            mset.snippet(doc.get_data().decode("utf-8", "replace"), 200, stem)
            n += 1
        return n

    time_queries("peer_xapian", read_queries(qpath, "xapian"), one, xapian.Error)


if __name__ == "__main__":
    main(index, query, __doc__)
