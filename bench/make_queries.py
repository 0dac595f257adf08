#!/usr/bin/python3
"""make_queries.py - the query sets of `make bench`, drawn reproducibly from
a corpus's own vocabulary (a fixed seed), written in each engine's syntax.

    make_queries.py CORPUS.jsonl.gz LANG OUT.tsv [--per-class 100] [--seed 5]

LANG is en or de (it picks the stopword list).  OUT.tsv has a header and
the columns class, dicta, xapian, fts5, lucene: one query per line, the same
question asked of each engine.  Classes (--per-class queries each):

  term-rare      one word in 2..10 documents
  term-medium    one word in N/300..N/30 documents (N documents)
  term-frequent  one word in more than N/20 documents
  ranked         2 to 4 words of one document, ranked (OR): dicta `a b c`,
                 Xapian `a b c` (default OR), FTS5 `a OR b OR c`, Lucene `a b c`
  phrase         2 or 3 adjacent words of a sentence, exact: `"a b"` everywhere
  near           two words of one sentence at most n apart (n in 3, 5, 10):
                 dicta `a /n b`, Xapian `a NEAR/n b`, FTS5 `NEAR(a b, n-1)`,
                 Lucene `"a b"~n` (the peers' distances are the nearest
                 equivalents; Lucene's slop counts a swap as 2)
  not            two words of one sentence and a third that is excluded:
                 dicta `a AND b NOT c`, Xapian `a AND b AND NOT c`,
                 FTS5 `a AND b NOT c`, Lucene `+a +b -c`
  field          a word of the text and a word of the title (indexed as a
                 separate field by every engine): dicta `a title:b`,
                 Xapian `a AND title:b`, FTS5 `a AND title : b`, Lucene `+a +title:b`

Only lower-case alphabetic words of 4+ letters that are not stopwords of the
peers' analyzers are used, so every engine sees the same words (dicta and
Xapian keep stopwords, Lucene drops them).  FTS5 queries are restricted to
the text column (`text : (...)`), as the other engines search the text by
default and the title only through the field.
"""
import argparse
import collections
import gzip
import json
import random
import re
import sys

EN_STOP = set("""a an and are as at be but by for if in into is it no not of on or such
that the their then there these they this to was will with""".split()) | set("""
about above after again against all also any because been before being below
between both can could did does doing down during each few from further had has
have having here how just more most must other over own same shall should some
than those through under until very were what when where which while who whom why
would your upon""".split())

DE_STOP = set("""aber alle allem allen aller alles als also am an ander andere anderem
anderen anderer anderes anderm andern anderr anders auch auf aus bei bin bis bist da
damit dann der den des dem die das daß dass derselbe derselben denselben desselben
demselben dieselbe dieselben dasselbe dazu dein deine deinem deinen deiner deines
denn derer dessen dich dir du dies diese diesem diesen dieser dieses doch dort durch
ein eine einem einen einer eines einig einige einigem einigen einiger einiges einmal
er ihn ihm es etwas euer eure eurem euren eurer eures für gegen gewesen hab habe
haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres
euch im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes
jetzt kann kein keine keinem keinen keiner keines können könnte machen man manche
manchem manchen mancher manches mein meine meinem meinen meiner meines mit muss
musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen
seiner seines selbst sich sie ihnen sind so solche solchem solchen solcher solches
soll sollte sondern sonst über um und uns unsere unserem unseren unser unseres unter
viel vom von vor während war waren warst was weg weil weiter welche welchem welchen
welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte
würde würden zu zum zur zwar zwischen sowie""".split())

# Words the engines' query languages read as operators, in any case.
OPERATORS = {"and", "or", "not", "near", "but", "adj", "xor", "syntax", "to"}

# Words are taken as they stand between spaces, with punctuation at their
# ends removed, and kept only if what remains is letters: a word met only
# inside a hyphenated name or an identifier ("5-phenylpentan-2-yl") is left
# out, as the tokenizers disagree there (dicta keeps identifiers whole).
# Sentences end after . ; : ! ? and at blank lines; a "run" is a stretch of
# such words separated by single spaces with no punctuation between, so a
# phrase drawn from it is a phrase for every tokenizer.
PUNCT = ".,;:!?()[]{}\"'“”‘’«»„"
TOKEN = re.compile(r"\S+")
PARA = re.compile(r"\n\s*\n")


def analyse(text):
    """-> (sentences: lists of words (None for a non-word token), runs)."""
    sents, runs = [], []
    for para in PARA.split(text):
        sent, run, prev_end, prev_clean = [], [], -1, False
        for m in TOKEN.finditer(para):
            tok = m.group()
            core = tok.strip(PUNCT)
            word = core.lower() if core.isalpha() else None
            sent.append(word)
            clean = tok.isalpha()
            if clean and prev_clean and m.start() == prev_end + 1 and para[prev_end] == " ":
                run.append(word)
            else:
                if len(run) > 1:
                    runs.append(run)
                run = [word] if clean else []
            prev_end, prev_clean = m.end(), clean
            if tok[-1] in ".;:!?":
                sents.append(sent)
                sent = []
        if len(run) > 1:
            runs.append(run)
        if sent:
            sents.append(sent)
    return sents, runs


CLASSES = ["term-rare", "term-medium", "term-frequent", "ranked", "phrase", "near",
           "not", "field"]


def good(w, stop):
    return (len(w) >= 4 and w.isalpha() and w == w.lower() and w not in stop
            and w not in OPERATORS)


def read(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                d = json.loads(line)
                yield d.get("title") or "", d.get("text") or ""


def fmt(cls, words, n=None):
    """One query in the five columns."""
    if cls.startswith("term"):
        w = words[0]
        return [w, w, f"text : {w}", w]
    if cls == "ranked":
        s = " ".join(words)
        return [s, s, "text : (" + " OR ".join(words) + ")", s]
    if cls == "phrase":
        s = '"' + " ".join(words) + '"'
        return [s, s, f"text : {s}", s]
    if cls == "near":
        a, b = words
        return [f"{a} /{n} {b}", f"{a} NEAR/{n} {b}", f"text : NEAR({a} {b}, {n - 1})",
                f'"{a} {b}"~{n}']
    if cls == "not":
        a, b, c = words
        return [f"{a} AND {b} NOT {c}", f"{a} AND {b} AND NOT {c}",
                f"text : ({a} AND {b} NOT {c})", f"+{a} +{b} -{c}"]
    if cls == "field":
        a, b = words
        return [f"{a} title:{b}", f"{a} AND title:{b}", f"text : {a} AND title : {b}",
                f"+{a} +title:{b}"]
    raise ValueError(cls)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("lang", choices=["en", "de"])
    ap.add_argument("out")
    ap.add_argument("--per-class", type=int, default=100)
    ap.add_argument("--seed", type=int, default=5)
    a = ap.parse_args()
    stop = EN_STOP if a.lang == "en" else DE_STOP | EN_STOP
    rng = random.Random(a.seed)

    # One pass: document frequencies (lower-cased words, as they appear), and
    # per document the material the compound classes draw from.
    df = collections.Counter()
    docs = []  # (title words, sentences (word lists), runs)
    for title, text in read(a.corpus):
        sents, runs = analyse(text)
        df.update({w for s in sents for w in s if w})
        title_words = [w for s in analyse(title)[0] for w in s if w]
        docs.append((title_words, sents, runs))
    n = len(docs)
    print(f"make_queries: {a.corpus}: {n} documents, {len(df)} distinct words", file=sys.stderr)

    # Words the query may use: as the text writes them in lower case (so a
    # German noun, capitalised in the text, is asked in lower case; every
    # engine folds case), alphabetic, not a stopword, in 2+ documents.
    ok = {w for w, c in df.items() if c >= 2 and good(w, stop)}

    def bucket(lo, hi):
        return sorted(w for w in ok if lo <= df[w] <= hi)

    buckets = {
        "term-rare": bucket(2, 10),
        "term-medium": bucket(max(11, n // 300), max(12, n // 30)),
        "term-frequent": bucket(n // 20, n),
    }
    out = collections.defaultdict(list)
    for cls, pool in buckets.items():
        if len(pool) < a.per_class:
            sys.exit(f"make_queries: only {len(pool)} words for {cls}")
        out[cls] = [[w] for w in rng.sample(pool, a.per_class)]

    def pick_doc():
        return docs[rng.randrange(n)]

    def lw(ws):
        return [w for w in ws if w and w in ok]

    seen = set()
    tries = 0
    while any(len(out[c]) < a.per_class for c in CLASSES[3:]):
        tries += 1
        if tries > 2_000_000:
            sys.exit("make_queries: cannot draw enough compound queries")
        title, sents, runs = pick_doc()
        cls = CLASSES[3 + tries % 5]
        if len(out[cls]) >= a.per_class:
            continue
        q = None
        if cls == "ranked":
            words = sorted(set(lw(w for s in sents for w in s)))
            k = rng.randint(2, 4)
            if len(words) >= k:
                q = (rng.sample(words, k), None)
        elif cls == "phrase":
            if runs:
                r = rng.choice(runs)
                k = rng.choice((2, 3))
                if len(r) >= k:
                    i = rng.randrange(len(r) - k + 1)
                    ph = r[i:i + k]
                    if all(w in ok for w in ph) and len(set(ph)) == k:
                        q = (ph, None)
        elif cls == "near":
            s = rng.choice(sents) if sents else []
            dist = rng.choice((3, 5, 10))
            if len(s) >= 3:
                i = rng.randrange(len(s))
                j = i + rng.randint(2, dist)  # not adjacent: a gap of 1..dist-1 words
                if j < len(s):
                    x, y = s[i], s[j]
                    if x in ok and y in ok and x != y:
                        q = ([x, y], dist)
        elif cls == "not":
            # a and b from one sentence: dicta matches within a passage
            words = sorted(set(lw(rng.choice(sents)))) if sents else []
            if len(words) >= 2:
                x, y = rng.sample(words, 2)
                z = rng.choice(buckets["term-medium"])
                if z not in words:
                    q = ([x, y, z], None)
        elif cls == "field":
            tw = sorted(set(lw(title)))
            words = sorted(set(lw(w for s in sents for w in s)))
            if tw and words:
                q = ([rng.choice(words), rng.choice(tw)], None)
        if q and (cls, tuple(q[0]), q[1]) not in seen:
            seen.add((cls, tuple(q[0]), q[1]))
            out[cls].append(q)

    with open(a.out, "w", encoding="utf-8") as f:
        f.write("class\tdicta\txapian\tfts5\tlucene\n")
        # Interleave the classes so that a prefix of the file (QUICK=1) has
        # every class.
        for i in range(a.per_class):
            for cls in CLASSES:
                item = out[cls][i]
                words, dist = (item, None) if cls.startswith("term") else item
                f.write("\t".join([cls] + fmt(cls, words, dist)) + "\n")
    print(f"make_queries: wrote {a.per_class * len(CLASSES)} queries to {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
