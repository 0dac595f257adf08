#!/usr/bin/env bash
# index-corpora.sh — index the real collections in ../shared/corpora with
# dicta-index and report, for each: documents, passages, skipped inputs,
# wall time, MB/s of text, index size against the raw text.  Fails if a run
# fails or skips anything (these collections are clean input).
#
#   bench/index-corpora.sh [BUILD_DIR]      (default build)
#
# Without ../shared/corpora it says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
corpora=../shared/corpora
if [ ! -d "$corpora" ]; then
	echo "index-corpora: $corpora not found; nothing to index"
	exit 0
fi
[ -x "$build/dicta-index" ] || make -s all BUILDROOT="$build"
work=$(mktemp -d /tmp/dicta-corpora.XXXXXX)
trap 'rm -rf "$work"' EXIT

printf '%-22s %9s %9s %7s %9s %9s %8s %10s %7s\n' corpus documents passages skipped "text MB" "index MB" "idx/text" "seconds" "MB/s"
run() {
	local name=$1 raw_bytes=$2; shift 2
	local idx=$work/$name log=$work/$name.log
	local t0 t1
	t0=$(date +%s.%N)
	if ! "$build/dicta-index" --index "$idx" "$@" 2>"$log"; then
		echo "index-corpora: $name failed:" >&2; cat "$log" >&2; exit 1
	fi
	t1=$(date +%s.%N)
	local summary docs passages skipped text_mb idx_bytes
	summary=$(grep '^indexed ' "$log")
	docs=$(sed -E 's/^indexed ([0-9]+) documents.*/\1/' <<<"$summary")
	passages=$(sed -E "s/.*; ([0-9]+) passages written.*/\1/" <<<"$summary")
	skipped=$(sed -E 's/.*; ([0-9]+) skipped.*/\1/' <<<"$summary")
	text_mb=$(sed -E 's/.*: ([0-9.]+) MB of text.*/\1/' <<<"$summary")
	idx_bytes=$(du -sb "$idx" | cut -f1)
	awk -v n="$name" -v d="$docs" -v p="$passages" -v s="$skipped" -v t="$text_mb" \
	    -v i="$idx_bytes" -v r="$raw_bytes" -v a="$t0" -v b="$t1" 'BEGIN {
		secs = b - a
		printf "%-22s %9d %9d %7d %9.1f %9.1f %8.2f %10.1f %7.2f\n", n, d, p, s, t, i / 1e6, i / r, secs, t / secs }'
	if [ "$skipped" != 0 ]; then
		echo "index-corpora: $name skipped $skipped inputs:" >&2
		grep 'skipped)' "$log" | head -20 >&2
		exit 1
	fi
}

dc=$corpora/dc-code/dc-code.jsonl.gz
if [ -f "$dc" ]; then
	# Raw text: the "text" fields, as the summary counts them.
	raw=$(zcat "$dc" | python3 -c 'import sys, json; print(sum(len(json.loads(l)["text"].encode()) for l in sys.stdin))')
	run dc-code "$raw" "$dc"
fi
aila=$corpora/aila2019/casedocs
if [ -d "$aila" ]; then
	raw=$(cat "$aila"/*.txt | wc -c)
	run aila2019-casedocs "$raw" "$aila"
fi
echo "(idx/text: index size on disk / bytes of document text; machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB)"
