#!/usr/bin/python3
"""textsize.py - the input size `make bench` divides by: the UTF-8 bytes of
the "text" fields of a JSON Lines corpus (.jsonl or .jsonl.gz), after
decompression, as dicta-index's summary counts "MB of text".  Titles and
other fields are not counted (they are a small part: printed for reference).

    textsize.py CORPUS.jsonl[.gz]   ->   "<text bytes> <title bytes> <documents>"
"""
import gzip
import json
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    opener = gzip.open if path.endswith(".gz") else open
    text = title = docs = 0
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                text += len((d.get("text") or "").encode("utf-8"))
                title += len((d.get("title") or "").encode("utf-8"))
                docs += 1
    print(text, title, docs)


if __name__ == "__main__":
    main()
