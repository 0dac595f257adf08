#!/usr/bin/env bash
# make-bad.sh — write the bad-input corpus into DIR: one file per kind of bad
# input dicta-index must skip (with path[:line]: reason) without stopping.
# Generated rather than committed because some are large or unusual files.
#
#   tests/data/bad/make-bad.sh DIR [--big]
#
# --big adds a JSON Lines file with a single 200 MB line (slow to write).
# The expected skip for each file is listed in tests/data/bad/EXPECTED.
set -euo pipefail
dir=$1
big=${2:-}
mkdir -p "$dir"
cd "$dir"

: > empty.txt                                             # empty file
printf '   \n\n  \n' > blank.md                              # only white space
printf 'Title\n\nsome text\0with a NUL byte\n' > nul.txt     # binary
printf 'Extradici\xf3n de Zer\xf3n (Latin-1, not UTF-8)\n' > latin1.txt
printf '%s\n' '{"id":"ok-1","text":"A good line before the bad ones."}' \
	'{"id":"bad-json","text":"unterminated' \
	'{"id":"no-text","title":"no text field"}' \
	'{"id":"num-text","text":42}' \
	'["an","array"]' \
	'{"id":"ok-1","text":"the same id again"}' \
	'{"id":"ok-2","text":"A good line after the bad ones."}' > mixed.jsonl
# 10,000 levels of nesting.
python3 -c 'print("{\"id\":\"deep\",\"text\":\"x\",\"meta\":" + "[" * 10000 + "]" * 10000 + "}")' > deep.jsonl
# A valid .gz cut short: the first line survives, the end does not.
python3 - <<'PY'
import gzip, io
lines = b"".join(b'{"id":"gz-%d","text":"line %d of a compressed feed about asylum"}\n' % (i, i) for i in range(2000))
buf = io.BytesIO()
with gzip.GzipFile(fileobj=buf, mode="wb") as g:
    g.write(lines)
data = buf.getvalue()
open("truncated.jsonl.gz", "wb").write(data[: len(data) // 2])
PY
ln -sf loop-b.txt loop-a.txt; ln -sf loop-a.txt loop-b.txt   # symlink loop
ln -sf does-not-exist.txt dangling.txt                        # broken link
printf 'Sealed exhibit\n\nPermission to read this is denied.\n' > unreadable.txt
chmod 000 unreadable.txt
mkfifo fifo.txt 2>/dev/null || true                           # not a regular file
if [ "$big" = --big ]; then
	# One 200 MB line: JSON that never closes.
	python3 -c '
import sys
w = sys.stdout.write
w("{\"id\":\"huge\",\"text\":\"")
chunk = "extradition " * 8738
for _ in range(2000):
    w(chunk)
w("\n")' > huge.jsonl
fi
