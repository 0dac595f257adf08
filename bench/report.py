#!/usr/bin/python3
"""report.py - the tables of `make bench`, from the raw measurements that
bench/bench.sh leaves in its work directory:

    WORK/machine.md, WORK/load.txt
    WORK/<corpus>/textsize      a key line, then "<text bytes> <title bytes> <documents>"
    WORK/<corpus>/index.tsv     engine, run, wall seconds, peak RSS KiB, index bytes
    WORK/<corpus>/<engine>.lat  pass, query number, class, microseconds, results

Prints Markdown and writes it to --out.  Medians: of the RUNS indexing runs
per engine; for queries, of the RUNS timed passes per query, then the median
and the 95th percentile (nearest rank) of those over the queries of a class.
"""
import argparse
import collections
import datetime
import math
import os
import statistics

ENGINE_NAMES = {"dicta": "dicta", "dicta+compact": "dicta, then --compact", "xapian": "Xapian", "fts5": "FTS5", "lucene": "Lucene"}
CLASSES = ["term-rare", "term-medium", "term-frequent", "ranked", "phrase", "near", "not", "field"]
RANKED = {"term-rare", "term-medium", "term-frequent", "ranked"}


def p95(v):
    v = sorted(v)
    return v[max(0, math.ceil(0.95 * len(v)) - 1)]


def fmt_ms(us):
    if us is None:
        return "–"
    ms = us / 1000
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def fmt_x(r):
    return "–" if r is None else f"{r:.2f}×"


def met(ok):
    return "–" if ok is None else ("**met**" if ok else "**not met**")


def load_index(d):
    rows = collections.defaultdict(list)
    with open(os.path.join(d, "index.tsv")) as f:
        for line in f:
            e, r, wall, rss, size = line.split()
            rows[e].append((float(wall), int(rss), int(size)))
    return rows


def load_lat(path):
    per = collections.defaultdict(list)  # query number -> [us]
    cls, res, refused = {}, {}, set()
    with open(path) as f:
        for line in f:
            p, q, c, us, n = line.rstrip("\n").split("\t")
            q = int(q)
            cls[q] = c
            res[q] = int(n)
            if float(us) < 0:
                refused.add(q)
            else:
                per[q].append(float(us))
    med = {q: statistics.median(v) for q, v in per.items() if q not in refused}
    return cls, med, res, refused


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--corpora", required=True)
    ap.add_argument("--engines", required=True)
    ap.add_argument("--runs", required=True)
    ap.add_argument("--quick", default="0")
    ap.add_argument("--command", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    engines = a.engines.split()
    peers = [e for e in engines if e != "dicta"]
    out = []
    w = out.append

    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    w(f"# make bench — {now}{' (QUICK=1: smoke test, one run, dc-code only)' if a.quick == '1' else ''}")
    w("")
    w(f"Command: `{a.command}`  ")
    w(f"Medians of {a.runs} indexing run(s) per engine and of {a.runs} timed query pass(es) "
      "per query after a warm-up pass; p95 over the queries of a class. "
      "Methodology: docs/benchmarks.md.")
    w("")
    w("## Machine")
    w("")
    w(open(os.path.join(a.work, "machine.md")).read().rstrip())
    w("")
    w("Load average (1, 5, 15 min) during the run — other people use this machine:")
    w("")
    for line in open(os.path.join(a.work, "load.txt")):
        w(f"- {line.strip()}")
    w("")

    targets = []  # (target, corpus, measured, met)
    for name in a.corpora.split():
        d = os.path.join(a.work, name)
        with open(os.path.join(d, "textsize")) as f:
            f.readline()
            text_bytes, title_bytes, ndocs = map(int, f.readline().split())
        idx = load_index(d)
        mb = text_bytes / 1e6
        w(f"## {name}")
        w("")
        w(f"{ndocs:,} documents, {mb:.1f} MB of text (UTF-8 bytes of the `text` fields after "
          f"decompression; titles, another {title_bytes / 1e6:.1f} MB, not counted).")
        w("")
        w("### Indexing")
        w("")
        w("| engine | wall s | MB/s | peak RSS MB | index MB | index / text | dicta MB/s ÷ engine's | target | met |")
        w("|---|---:|---:|---:|---:|---:|---:|---|---|")
        stat = {}
        index_engines = list(engines)
        if "dicta" in index_engines and "dicta+compact" in idx:
            index_engines.insert(index_engines.index("dicta") + 1, "dicta+compact")
        for e in index_engines:
            if e not in idx:
                continue
            rows = idx[e]
            wall = statistics.median(r[0] for r in rows)
            rss = statistics.median(r[1] for r in rows) / 1024
            size = statistics.median(r[2] for r in rows)
            stat[e] = (wall, mb / wall, rss, size)
        for e, (wall, mbs, rss, size) in stat.items():
            tgt, ok = "", None
            rel = ratio(stat["dicta"][1], mbs) if "dicta" in stat else None
            parts = []  # (target, short name, met)
            if e == "dicta+compact":
                ok = size / text_bytes <= 1.0
                parts.append(("index ≤ 1.0× text", "size", ok))
                targets.append(("dicta index size ≤ 1.0× input text, compacted", name,
                                f"{size / text_bytes:.2f}×", ok))
            if e == "dicta":
                ok = size / text_bytes <= 1.0
                parts.append(("index ≤ 1.0× text", "size", ok))
                targets.append(("dicta index size ≤ 1.0× input text", name,
                                f"{size / text_bytes:.2f}×", ok))
                if name == "de-gesetze":
                    ok = rss < 1024
                    parts.append(("peak RSS < 1 GiB", "RSS", ok))
                    targets.append(("dicta peak RSS < 1 GiB (German corpus)", name,
                                    f"{rss:.0f} MB", ok))
            if e == "xapian" and name == "dc-code" and "dicta" in stat:
                parts.append(("dicta ≥ 4× faster", "speed", rel >= 4))
                targets.append(("dicta indexing throughput ≥ 4× plain Xapian", name,
                                f"{rel:.2f}×", rel >= 4))
            tgt = "; ".join(t for t, _, _ in parts)
            verdict = "; ".join(met(ok) if len(parts) == 1 else f"{short} {met(ok)}"
                                for _, short, ok in parts)
            w(f"| {ENGINE_NAMES[e]} | {wall:.1f} | {mbs:.2f} | {rss:.0f} | {size / 1e6:.0f} | "
              f"{size / text_bytes:.2f} | {'' if e.startswith('dicta') else fmt_x(rel)} | {tgt} | {verdict} |")
        w("")

        lat = {}
        for e in engines:
            p = os.path.join(d, f"{e}.lat")
            if os.path.exists(p):
                lat[e] = load_lat(p)
        if not lat:
            continue
        cls_of = next(iter(lat.values()))[0]
        by_class = collections.defaultdict(list)
        for q, c in cls_of.items():
            by_class[c].append(q)
        w("### Queries: milliseconds per query, top 10 with snippets (median / p95)")
        w("")
        head = "| class | n |" + "".join(f" {ENGINE_NAMES[e]} |" for e in engines)
        head += "".join(f" dicta ÷ {ENGINE_NAMES[p]} |" for p in peers if "dicta" in lat)
        head += " target | met |"
        w(head)
        w("|---|---:|" + "---:|" * len(engines) + ("---:|" * len(peers) if "dicta" in lat else "") + "---|---|")
        allq = ("all", sorted(cls_of))
        for c, qs in [(c, by_class[c]) for c in CLASSES if c in by_class] + [allq]:
            row = f"| {c} | {len(qs)} |"
            medians = {}
            for e in engines:
                if e not in lat:
                    row += " – |"
                    continue
                v = [lat[e][1][q] for q in qs if q in lat[e][1]]
                refused = sum(q in lat[e][3] for q in qs)
                if v:
                    medians[e] = statistics.median(v)
                    row += f" {fmt_ms(medians[e])} / {fmt_ms(p95(v))}"
                else:
                    row += " –"
                row += f" ({refused} refused) |" if refused else " |"
            if "dicta" in lat:
                for p in peers:
                    row += f" {fmt_x(ratio(medians.get('dicta'), medians.get(p)))} |"
            tgt, oks = [], []  # oks: (peer, met)
            if c != "all" and "dicta" in medians:
                if c in RANKED and "xapian" in medians:
                    r = ratio(medians["dicta"], medians["xapian"])
                    tgt.append("≤ 1.25× Xapian")
                    oks.append(("Xapian", r <= 1.25))
                    targets.append((f"query median ≤ 1.25× Xapian: {c}", name, fmt_x(r), r <= 1.25))
                for p in ("fts5", "lucene"):
                    if p in medians:
                        r = ratio(medians["dicta"], medians[p])
                        oks.append((ENGINE_NAMES[p], r <= 0.5))
                        targets.append((f"query median ≤ 0.5× {ENGINE_NAMES[p]}: {c}", name,
                                        fmt_x(r), r <= 0.5))
                if any(p in medians for p in ("fts5", "lucene")):
                    tgt.append("≤ 0.5× FTS5, Lucene")
            verdict = ""
            if oks:
                missed = [p for p, ok in oks if not ok]
                verdict = met(True) if not missed else f"{met(False)} ({', '.join(missed)})"
            row += f" {'; '.join(tgt)} | {verdict} |"
            w(row)
        w("")
        # What each engine found: a query set written in five syntaxes is
        # only a fair comparison if the engines answer the same questions.
        w("Results returned (of 10), mean per query, and queries with none — the engines "
          "do not match identically (dicta matches within passages, the peers whole "
          "documents; stemmers and distances differ: docs/benchmarks.md):")
        w("")
        w("| class |" + "".join(f" {ENGINE_NAMES[e]} |" for e in engines))
        w("|---|" + "---:|" * len(engines))
        for c in [c for c in CLASSES if c in by_class]:
            row = f"| {c} |"
            for e in engines:
                if e not in lat:
                    row += " – |"
                    continue
                res = [lat[e][2].get(q, 0) for q in by_class[c]]
                row += f" {statistics.mean(res):.1f}, {sum(r == 0 for r in res)} empty |"
            w(row)
        w("")

    str_txt = os.path.join(a.work, "str.txt")
    if os.path.exists(str_txt):
        w("## Search term report (bench/str.sh)")
        w("")
        w("```")
        w(open(str_txt).read().rstrip())
        w("```")
        w("")
    w("## Targets")
    w("")
    w("| target | corpus | measured | met |")
    w("|---|---|---:|---|")
    for t, c, m, ok in targets:
        w(f"| {t} | {c} | {m} | {met(ok)} |")
    n_ok = sum(t[3] for t in targets)
    w("")
    w(f"{n_ok} of {len(targets)} targets met.")
    text = "\n".join(out) + "\n"
    print(text)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
