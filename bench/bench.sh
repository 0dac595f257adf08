#!/usr/bin/env bash
# bench.sh — `make bench`: dicta side by side with plain Xapian, SQLite FTS5
# and Lucene 8, in one run on one machine, on the same corpora and queries:
# indexing (wall seconds, MB/s of text, peak RSS, index size / text) and
# query latency per class (median and p95, top 10 with snippets), with the
# ratios dicta/peer and the project's targets.  docs/benchmarks.md is the
# guide: methodology, what each peer is, how to read the tables.
#
#   make bench [BUILDROOT=build]      (or: BUILD=build bench/bench.sh)
#
# Environment:
#   RUNS=3             indexing runs per engine and timed query passes (medians)
#   QUICK=1            smoke test: one run, dc-code only, 15 queries a class
#   CORPORA=../shared/corpora       where dc-code/ and de-gesetze/ are
#   DICTA_INDEX_FLAGS= extra options for every dicta-index run (e.g. --jobs 2)
#   ENGINES="dicta xapian fts5 lucene"   a subset, for experiments
#   WARMUP=1           untimed query passes before the timed ones
#   WORK=$BUILD/bench-work          indexes, logs and raw timings
#   PER_CLASS=         queries per class to use (default: all 100; QUICK 15)
#   COMPACT=1          also compact dicta's index after each indexing run
#                      (dicta-index --compact; its own row); 0 skips it
#
# Peers come from Debian packages (scripts/install-deps installs them):
# python3-xapian, Python's sqlite3 (FTS5), liblucene8-java with a JDK.  The
# results go to stdout and to bench/results/<date>-<host>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# The exact command, for the results file: the settings given, before defaults.
cmd="make bench BUILDROOT=${BUILDROOT:-${BUILD:-build}}"
for v in WORK PER_CLASS WARMUP COMPACT ENGINES DICTA_INDEX_FLAGS CORPORA RUNS QUICK; do
	if [ -n "${!v:-}" ]; then
		cmd="$v=$(printf %q "${!v}") $cmd"
	fi
done
BUILD=${BUILD:-build}
BUILDROOT=${BUILDROOT:-$BUILD}
CORPORA=${CORPORA:-../shared/corpora}
QUICK=${QUICK:-0}
[ "$QUICK" = 1 ] && RUNS=1
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
WORK=${WORK:-$BUILD/bench-work}
ENGINES=${ENGINES:-dicta xapian fts5 lucene}
COMPACT=${COMPACT:-1}
PY=/usr/bin/python3 # Debian's: python3-xapian is built for it
export RUNS WARMUP

log() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }


scripts/install-deps python3-xapian liblucene8-java default-jdk-headless time ||
	die "the peers' packages are missing (see above)"
$PY -c 'import xapian' || die "$PY has no xapian module (python3-xapian)"
$PY -c 'import sqlite3, sys; sys.exit("ENABLE_FTS5" not in {r[0] for r in sqlite3.connect(":memory:").execute("pragma compile_options")})' ||
	die "$PY's SQLite has no FTS5"
[ -x "$BUILD/dicta-index" ] && [ -x "$BUILD/bench/querybench" ] ||
	die "$BUILD/dicta-index or $BUILD/bench/querybench missing: run make bench"

# ------------------------------------------------------------------ corpora
declare -a NAMES=() FILES=() LANGS=()
add_corpus() { # name file lang
	if [ -f "$2" ]; then
		NAMES+=("$1"); FILES+=("$2"); LANGS+=("$3")
	else
		log "$2 not found: skipping $1"
	fi
}
add_corpus dc-code "$CORPORA/dc-code/dc-code.jsonl.gz" en
[ "$QUICK" = 1 ] || add_corpus de-gesetze "$CORPORA/de-gesetze/de-gesetze.jsonl.gz" de
if [ ${#NAMES[@]} = 0 ]; then
	echo "make bench: no corpus found under $CORPORA: nothing to measure"
	exit 0
fi

mkdir -p "$WORK" bench/results

# -------------------------------------------------------------- Lucene
LUCENE_CP=
for j in core analyzers-common queryparser highlighter memory queries; do
	jar=$(ls /usr/share/java/lucene-$j-8*.jar 2>/dev/null | head -1)
	[ -n "$jar" ] || die "no /usr/share/java/lucene-$j-8*.jar (liblucene8-java)"
	LUCENE_CP=$LUCENE_CP:$jar
done
mkdir -p "$WORK/java"
javac -nowarn -d "$WORK/java" -cp "$LUCENE_CP" bench/LuceneBench.java
LUCENE_CP=$WORK/java$LUCENE_CP

engine_cmd() { # engine -> the command that takes `index ...` / `query ...`
	case $1 in
	dicta) echo "$BUILD/bench/querybench" ;;
	xapian) echo "$PY bench/peer_xapian.py" ;;
	fts5) echo "$PY bench/peer_fts5.py" ;;
	lucene) echo "java -cp $LUCENE_CP LuceneBench" ;;
	*) die "unknown engine $1" ;;
	esac
}

# index ENGINE CORPUS OUTDIR LANG LOG: under /usr/bin/time; prints "wall rss_kb".
index_one() {
	local e=$1 corpus=$2 out=$3 lang=$4 logf=$5 tf=$5.time
	rm -rf "$out"
	local -a c
	if [ "$e" = dicta ]; then
		read -r -a flags <<<"${DICTA_INDEX_FLAGS:-}"
		c=("$BUILD/dicta-index" --index "$out" ${flags[@]+"${flags[@]}"} "$corpus")
	else
		read -r -a c <<<"$(engine_cmd "$e")"
		c+=(index "$corpus" "$out" --lang "$lang")
	fi
	if ! /usr/bin/time -f '%e %M' -o "$tf" "${c[@]}" >"$logf" 2>&1; then
		cat "$logf" >&2
		die "$e failed to index $corpus: ${c[*]}"
	fi
	if [ "$e" = dicta ]; then
		local summary
		summary=$(grep '^indexed ' "$logf" | tail -1)
		[ -n "$summary" ] || die "dicta-index printed no summary (see $logf)"
		grep -q '; 0 skipped' <<<"$summary" || die "dicta-index skipped input: $summary"
	fi
	tail -1 "$tf"
}

machine() {
	local cpu mem
	cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
	mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
	echo "- host: $(hostname); $(nproc) cores ($cpu); RAM $mem"
	echo "- kernel: $(uname -srm); $(. /etc/os-release && echo "$PRETTY_NAME")"
	echo "- dicta: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- lib include indexer searcher 2>/dev/null || echo ' + uncommitted changes in lib/ include/ indexer/ searcher/'), built $(stat -c %y "$BUILD/dicta-index" | cut -d. -f1); DICTA_INDEX_FLAGS='${DICTA_INDEX_FLAGS:-}'"
	local v
	for p in libxapian30 python3-xapian libsqlite3-0 liblucene8-java default-jdk-headless python3 gcc; do
		v=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo "not installed")
		echo "- $p $v"
	done
	echo "- Python SQLite $($PY -c 'import sqlite3; print(sqlite3.sqlite_version)'); $(java -version 2>&1 | head -1); Lucene jars $(ls /usr/share/java/lucene-core-8*.jar | sed 's/.*core-//; s/.jar$//')"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

START=$(date +%s)
{
	echo "started $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(loadavg)"
} >"$WORK/load.txt"
machine >"$WORK/machine.md"
cat "$WORK/machine.md" >&2

for i in "${!NAMES[@]}"; do
	name=${NAMES[$i]} corpus=${FILES[$i]} lang=${LANGS[$i]}
	dir=$WORK/$name
	mkdir -p "$dir"
	# Input text size: measured once per corpus file (keyed by size and time).
	key=$(stat -c '%s %Y' "$corpus")
	if [ ! -f "$dir/textsize" ] || [ "$(head -1 "$dir/textsize")" != "$key" ]; then
		log "$name: measuring the input text"
		{ echo "$key"; $PY bench/textsize.py "$corpus"; } >"$dir/textsize.new"
		mv "$dir/textsize.new" "$dir/textsize"
	fi
	# Queries: drawn from the corpus itself with a fixed seed (the same
	# corpus gives the same file), once per corpus file, into WORK: the
	# corpus stays in ../shared, nothing of it in the repository.
	qfile=$dir/queries-all.tsv
	if [ ! -f "$qfile" ] || [ "$(cat "$qfile.key" 2>/dev/null)" != "$key" ] ||
		[ bench/make_queries.py -nt "$qfile" ]; then
		log "$name: generating its queries (bench/make_queries.py)"
		$PY bench/make_queries.py "$corpus" "$lang" "$qfile.new"
		mv "$qfile.new" "$qfile"
		echo "$key" >"$qfile.key"
	fi
	per=${PER_CLASS:-}
	[ -z "$per" ] && [ "$QUICK" = 1 ] && per=15
	if [ -n "$per" ]; then
		# The file interleaves the classes: its first 8*per queries have per of each.
		head -n $((1 + 8 * per)) "$qfile" >"$dir/queries.tsv"
	else
		cp "$qfile" "$dir/queries.tsv"
	fi

	# Warm-up: the corpus into the page cache, and each indexer once on its
	# first 2,000 documents (programs, libraries, the JVM read from disk).
	log "$name: warm-up"
	{ zcat "$corpus" || true; } | head -n 2000 | gzip -1 >"$dir/warmup.jsonl.gz"
	cat "$corpus" >/dev/null
	for e in $ENGINES; do
		index_one "$e" "$dir/warmup.jsonl.gz" "$dir/warmup.$e" "$lang" "$dir/warmup.$e.log" >/dev/null
		rm -rf "$dir/warmup.$e"
	done

	# Indexing: RUNS rounds, the engines one after another in each round.
	: >"$dir/index.tsv"
	for r in $(seq 1 "$RUNS"); do
		for e in $ENGINES; do
			log "$name: indexing with $e (run $r of $RUNS)"
			res=$(index_one "$e" "$corpus" "$dir/$e.idx" "$lang" "$dir/index.$e.$r.log")
			read -r wall rss <<<"$res"
			size=$(du -sb "$dir/$e.idx" | cut -f1)
			printf '%s\t%s\t%s\t%s\t%s\n' "$e" "$r" "$wall" "$rss" "$size" >>"$dir/index.tsv"
			log "  $wall s, peak RSS $((rss / 1024)) MB, index $((size / 1000000)) MB"
			if [ "$e" = dicta ] && [ "$COMPACT" = 1 ]; then
				# The same index, then compacted (dicta-index --compact):
				# a row of its own, whose time is both steps together.
				# Queries run on this compacted index.
				if ! /usr/bin/time -f '%e %M' -o "$dir/compact.$r.time" \
					"$BUILD/dicta-index" --index "$dir/$e.idx" --compact >"$dir/compact.$r.log" 2>&1; then
					cat "$dir/compact.$r.log" >&2
					die "dicta-index --compact failed"
				fi
				read -r cwall crss <<<"$(tail -1 "$dir/compact.$r.time")"
				csize=$(du -sb "$dir/$e.idx" | cut -f1)
				printf 'dicta+compact\t%s\t%s\t%s\t%s\n' "$r" \
					"$(awk -v a="$wall" -v b="$cwall" 'BEGIN { print a + b }')" "$((rss > crss ? rss : crss))" "$csize" >>"$dir/index.tsv"
				log "  then --compact: $cwall s, index $((csize / 1000000)) MB"
			fi
		done
	done
	echo "$name indexed $(date -u '+%H:%M:%S'), load average $(loadavg)" >>"$WORK/load.txt"

	# Queries: one process per engine over its last index.
	for e in $ENGINES; do
		log "$name: $(($(wc -l <"$dir/queries.tsv") - 1)) queries with $e ($WARMUP warm-up + $RUNS timed passes)"
		read -r -a c <<<"$(engine_cmd "$e")"
		if ! "${c[@]}" query "$dir/$e.idx" "$dir/queries.tsv" >"$dir/$e.lat" 2>"$dir/$e.qerr"; then
			cat "$dir/$e.qerr" >&2
			die "$e failed on the queries"
		fi
		[ -s "$dir/$e.qerr" ] && log "  $(wc -l <"$dir/$e.qerr") messages in $dir/$e.qerr: $(head -c 300 "$dir/$e.qerr")"
	done
	echo "$name queried $(date -u '+%H:%M:%S'), load average $(loadavg)" >>"$WORK/load.txt"
done
# Search term reports (issue 8): 500 strings over dicta's D.C. Code index,
# one report against the same strings searched one by one.
rm -f "$WORK/str.txt"
if [[ " $ENGINES " == *" dicta "* ]] && [ -d "$WORK/dc-code/dicta.idx" ] && [ "$QUICK" != 1 ]; then
	log "dc-code: search term report, 500 strings (bench/str.sh)"
	BUILD=$BUILD INDEX=$WORK/dc-code/dicta.idx TERMS=$WORK/dc-code/str-terms.txt RUNS=$RUNS \
		bench/str.sh >"$WORK/str.txt"
	echo "search term report measured $(date -u '+%H:%M:%S'), load average $(loadavg)" >>"$WORK/load.txt"
fi
echo "finished $(date -u '+%Y-%m-%d %H:%M:%S UTC') after $(( ($(date +%s) - START) / 60 )) min, load average $(loadavg)" >>"$WORK/load.txt"

suffix=
[ "$QUICK" = 1 ] && suffix=-quick
out=bench/results/$(date +%Y-%m-%d)-$(hostname -s)$suffix.md
$PY bench/report.py --work "$WORK" --corpora "${NAMES[*]}" --engines "$ENGINES" \
	--runs "$RUNS" --quick "$QUICK" --command "$cmd" --out "$out"
log "results written to $out"
