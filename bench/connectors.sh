#!/usr/bin/env bash
# connectors.sh — connector queries over the D.C. Code: first, that the
# exact check agrees with the stored text on every candidate passage
# (bench/connectors_verify.c: the analyzer's own positions, sentences and
# paragraphs); then the median latency of a set of connector queries (/s,
# /p, /n, +n, phrases, roots) next to the same words searched as a plain
# ranked query, measured in one run by bench/connectors.c with the index
# opened once.  Prints Markdown tables; fails on any disagreement.
#
#   bench/connectors.sh [BUILD_DIR]        (default build)
#
# Environment: INDEX (default /tmp/dicta-connectors-idx, built from the
# corpus when missing), CORPUS (../shared/corpora/dc-code/dc-code.jsonl.gz),
# ROUNDS (runs of each query after a warm-up, default 21), VERIFY (0 to
# skip the check against the text).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
index=${INDEX:-/tmp/dicta-connectors-idx}
corpus=${CORPUS:-../shared/corpora/dc-code/dc-code.jsonl.gz}
rounds=${ROUNDS:-21}

if [ ! -f "$corpus" ]; then
	echo "connectors: $corpus not found (it is in ../shared/corpora); nothing to do"
	exit 0
fi
[ -f "$build/libdicta.a" ] && [ -x "$build/dicta-index" ] ||
	{ echo "connectors: $build/libdicta.a missing: run make first" >&2; exit 2; }
work=$(mktemp -d /tmp/dicta-connectors.XXXXXX)
trap 'rm -rf "$work"' EXIT

libs="$(pkg-config --libs xapian-core libutf8proc jansson zlib) -lstemmer -lpthread"
pkg-config --exists libmicrohttpd 2>/dev/null && libs="$libs $(pkg-config --libs libmicrohttpd)"
cflags="-O2 -Wall -Wextra -std=c11 -D_GNU_SOURCE -Iinclude -Ilib $(pkg-config --cflags xapian-core libutf8proc)"
for prog in connectors connectors_verify; do
	cc $cflags -c "bench/$prog.c" -o "$work/$prog.o"
	c++ -o "$work/$prog" "$work/$prog.o" "$build/libdicta.a" $libs
done

if [ ! -f "$index/XAPIANDB" ] && [ ! -f "$index/iamglass" ]; then
	echo "== indexing $corpus into $index" >&2
	"$build/dicta-index" -q --index "$index" "$corpus"
fi

# Each line: a query with operators, a tab, the same words as plain words.
printf '%s\t%s\n' \
	'landlord /s tenant' 'landlord tenant' \
	'tenant /p evict!' 'tenant evict' \
	'"motor vehicle" /p insurance' 'motor vehicle insurance' \
	'child /3 support' 'child support' \
	'(rent OR lease) /s (increase OR adjustment)' 'rent lease increase adjustment' \
	'council /p appropriat!' 'council appropriation' \
	'tax! +5 exempt!' 'tax exempt' \
	'police /s officer /p firearm' 'police officer firearm' \
	'"public utility" /s commission' 'public utility commission' \
	'court /s jurisdiction' 'court jurisdiction' \
	'historic /3 (district OR landmark)' 'historic district landmark' \
	'emergency /p (rule OR regulation)' 'emergency rule regulation' \
	'alcohol! /s licen!' 'alcohol license' \
	'mayor +s approv!' 'mayor approve' \
	'school /s (lottery OR enrollment)' 'school lottery enrollment' \
	'zoning /p variance' 'zoning variance' \
	>"$work/pairs.tsv"

if [ "${VERIFY:-1}" != 0 ]; then
	echo "== the check against the text, every candidate passage" >&2
	echo "| query | passages with both | accepted | disagreements |"
	echo "|---|---:|---:|---:|"
	status=0
	while read -r a b conn; do
		"$work/connectors_verify" "$index" "$a" "$b" "$conn" || status=1
	done <<'PAIRS'
landlord tenant /s
tenant evict /p
mayor approv +s
council appropriat /p
police firearm /s
court jurisdiction +p
child support /3
tax exempt +5
historic district /3
school lottery /s
PAIRS
	[ "$status" = 0 ] || { echo "connectors: the check disagrees with the text" >&2; exit 1; }
	echo
fi

echo "== $(wc -l <"$work/pairs.tsv") pairs, $rounds runs each, index $index" >&2
"$work/connectors" "$index" "$work/pairs.tsv" "$rounds"
