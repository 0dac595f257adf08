#!/usr/bin/python3
"""aila_jsonl.py - the FIRE AILA 2019 documents as JSON Lines, for make eval.

    aila_jsonl.py casedocs DIR > cases.jsonl     (C*.txt: Indian Supreme Court judgments)
    aila_jsonl.py statutes DIR > statutes.jsonl  (S*.txt: "Title:" and "Desc:" lines)

The judgments' ids are their file names without ".txt" (C1, S12), as in the
AILA qrels.  A judgment's first line is its title ("X v State of Y"); a
court line and a date line ("26 September 1973") among the next few lines
become the court and the ISO date, a line naming the petition or appeal
number ("Writ Petition No. 117 of 1973") the citation; the text is
everything after the title.
A statute's Title: line is its title, its Desc: line its text.  Both dicta
and the plain Xapian baseline index these same files.
"""
import json
import os
import re
import sys

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july",
     "august", "september", "october", "november", "december"], 1)}
CITE = re.compile(r"\bNo[s]?\.?\s*\d")
DATE = re.compile(r"^\s*(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})\s*$")


def ids(folder, prefix):
    names = [n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(".txt")]
    return sorted(names, key=lambda n: int(re.sub(r"\D", "", n) or 0))


def casedoc(path, did):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    title = lines[0].strip()
    doc = {"id": did, "title": title, "text": "\n".join(lines[1:]).strip(), "type": "judgment"}
    for line in lines[1:6]:
        m = DATE.match(line)
        if m and m.group(2).lower() in MONTHS:
            doc["date"] = "%s-%02d-%02d" % (m.group(3), MONTHS[m.group(2).lower()], int(m.group(1)))
            break
        if "court" in line.lower() and "court" not in doc:
            doc["court"] = line.strip()
    for line in lines[1:8]:
        if CITE.search(line) and len(line) < 120:
            doc["citation"] = line.strip()
            break
    return doc


def statute(path, did):
    title, desc = "", []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("Title:"):
                title = line[len("Title:"):].strip()
            elif line.startswith("Desc:"):
                desc.append(line[len("Desc:"):].strip())
            elif line.strip():
                desc.append(line.strip())
    return {"id": did, "title": title, "text": "\n\n".join(desc), "type": "statute"}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("casedocs", "statutes"):
        sys.exit(__doc__)
    kind, folder = sys.argv[1], sys.argv[2]
    make = casedoc if kind == "casedocs" else statute
    for name in ids(folder, "C" if kind == "casedocs" else "S"):
        doc = make(os.path.join(folder, name), name[:-4])
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
