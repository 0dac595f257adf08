#!/usr/bin/python3
"""xapian_baseline.py - the plain Xapian BM25 baseline of `make eval`.

Indexes documents whole with Xapian's own TermGenerator (English stemming,
title and text as one document) and runs queries through Xapian's
QueryParser (English stemming, default flags, OR between words) with the
default BM25 weighting (k1 1, b 0.5), writing a TREC run.  Nothing dicta
does is used: this is what a plain Xapian user gets, for bench/eval.sh to
put next to dicta's numbers.

    xapian_baseline.py --docs DOCS.jsonl --queries QUERIES --db DIR \
        --run OUT.trec [-k 1000] [--tag xapian-bm25]

DOCS.jsonl: one object a line with "id" or "_id", "title", "text".
QUERIES: JSON Lines ("_id"/"id", "text"/"query") or AILA "id||text" lines.
Needs Debian's python3-xapian (scripts/install-deps python3-xapian).
"""
import argparse
import json
import os
import shutil
import sys
import time

import xapian


def read_docs(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            d = json.loads(line)
            did = d.get("id", d.get("_id"))
            if did is None:
                sys.exit(f"{path}:{n}: document without an id")
            yield str(did), d.get("title") or "", d.get("text") or ""


def read_queries(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            if line.startswith("{"):
                q = json.loads(line)
                yield str(q.get("_id", q.get("id"))), q.get("text", q.get("query", ""))
            elif "||" in line:
                qid, text = line.split("||", 1)
                yield qid.strip(), text.strip()
            elif "\t" in line:
                qid, text = line.split("\t", 1)
                yield qid.strip(), text.strip()


def build(db_path, docs_path):
    if os.path.exists(db_path):
        shutil.rmtree(db_path)
    db = xapian.WritableDatabase(db_path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    n = 0
    db.begin_transaction()
    for did, title, text in read_docs(docs_path):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(title)
        tg.increase_termpos()
        tg.index_text(text)
        doc.set_data(did)
        doc.add_boolean_term("Q" + did)
        db.replace_document("Q" + did, doc)
        n += 1
    db.commit_transaction()
    db.close()
    return n


def search(db_path, queries_path, run_path, k, tag):
    db = xapian.Database(db_path)
    qp = xapian.QueryParser()
    qp.set_stemmer(xapian.Stem("english"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_database(db)
    qp.set_default_op(xapian.Query.OP_OR)
    enq = xapian.Enquire(db)
    enq.set_weighting_scheme(xapian.BM25Weight())
    nq = 0
    with open(run_path, "w", encoding="utf-8") as out:
        for qid, text in read_queries(queries_path):
            try:
                query = qp.parse_query(text)
            except xapian.QueryParserError:
                # Text QueryParser's syntax refuses: read it as plain words.
                query = qp.parse_query(text, 0)
            enq.set_query(query)
            for rank, m in enumerate(enq.get_mset(0, k), 1):
                did = m.document.get_data().decode("utf-8")
                out.write(f"{qid} Q0 {did} {rank} {m.weight:.6f} {tag}\n")
            nq += 1
    return nq


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--run", required=True)
    ap.add_argument("-k", type=int, default=1000)
    ap.add_argument("--tag", default="xapian-bm25")
    a = ap.parse_args()
    t0 = time.time()
    n = build(a.db, a.docs)
    t1 = time.time()
    nq = search(a.db, a.queries, a.run, a.k, a.tag)
    t2 = time.time()
    print(f"xapian baseline: indexed {n} documents in {t1 - t0:.1f} s, "
          f"ran {nq} queries in {t2 - t1:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
