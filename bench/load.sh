#!/usr/bin/env bash
# load.sh — the server under load while the index grows: 64 connections
# send 30 seconds of mixed searches and document fetches (bench/loadgen.c)
# to `dicta-search --serve` over the D.C. Code index, while `dicta-index`
# adds new documents to the same index and commits every 200.  Reports
# requests, failures, requests/s and latency percentiles; fails if a single
# request failed or the server did not exit 0 on SIGTERM.
#
#   bench/load.sh [BUILD_DIR]        (default build; build/san for ASan)
#
# Environment: INDEX (default /tmp/dc-idx, built from the corpus when
# missing), CONNECTIONS (64), DURATION (30 s), THREADS (server workers, 4),
# CORPUS (../shared/corpora/dc-code/dc-code.jsonl.gz).  The documents the
# writer adds have ids "load-<time>-<round>/<id>", new in every run, and
# stay in the index: use a copy of an index you want to keep as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
index=${INDEX:-/tmp/dc-idx}
corpus=${CORPUS:-../shared/corpora/dc-code/dc-code.jsonl.gz}
connections=${CONNECTIONS:-64}
duration=${DURATION:-30}
threads=${THREADS:-4}

if [ ! -f "$corpus" ]; then
	echo "load: $corpus not found (it is in ../shared/corpora); nothing to do"
	exit 0
fi
for b in dicta-index dicta-search; do
	[ -x "$build/$b" ] || { echo "load: $build/$b missing: run make first" >&2; exit 2; }
done
work=$(mktemp -d /tmp/dicta-load.XXXXXX)
server=
writer=
cleanup() {
	[ -n "$writer" ] && kill "$writer" 2>/dev/null || true
	[ -n "$server" ] && kill "$server" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

cc -O2 -Wall -Wextra -pthread -o "$work/loadgen" bench/loadgen.c

if [ ! -f "$index/XAPIANDB" ] && [ ! -f "$index/iamglass" ]; then
	echo "== indexing $corpus into $index"
	"$build/dicta-index" -q --index "$index" "$corpus"
fi

# The queries: words and phrases a reader of the D.C. Code looks for.
cat >"$work/queries.txt" <<'EOF'
tax
property tax assessment
rent control
rental housing eviction notice
police complaints board
public space permit
zoning commission
board of elections ballot
alcoholic beverage license
child support enforcement
motor vehicle registration
sales tax exemption
historic preservation
open meetings
freedom of information
health insurance exchange
council
mayor appoint
unemployment compensation benefits
workers compensation
school enrollment residency
firearms registration
human rights discrimination employment
consumer protection procedures
real property recordation
estate tax
guardianship of incapacitated adults
domestic violence protection order
juvenile delinquency
parking enforcement
water and sewer authority
budget request act
emergency medical services
lottery
public utilities commission
noise control
animal control
condominium association
landlord tenant
procurement contract
EOF

echo "== serving $index with $threads workers"
"$build/dicta-search" --index "$index" --serve 127.0.0.1:0 --threads "$threads" \
	--max-connections 256 2>"$work/server.log" &
server=$!
port=
for _ in $(seq 1 200); do
	port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/server.log")
	[ -n "$port" ] && break
	sleep 0.05
done
[ -n "$port" ] || { echo "load: the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
before=$(curl -s "http://127.0.0.1:$port/stats" || true)

# The writer: new documents while the load runs, at most 26 rounds of
# 1,000, committed every 200.
run=$(date +%s)
zcat "$corpus" >"$work/corpus.jsonl"
(
	for round in $(seq 1 26); do
		sed -n "$(( (round - 1) * 1000 + 1 )),$(( round * 1000 ))p" "$work/corpus.jsonl" |
			sed "s|^{\"id\": \"|{\"id\": \"load-$run-$round/|" >"$work/add.jsonl"
		"$build/dicta-index" -q --index "$index" --commit-every 200 "$work/add.jsonl"
	done
) 2>"$work/writer.log" &
writer=$!

echo "== $connections connections for $duration s, while dicta-index adds documents"
set +e
"$work/loadgen" --port "$port" --connections "$connections" --seconds "$duration" \
	--queries "$work/queries.txt" | tee "$work/loadgen.out"
load_status=${PIPESTATUS[0]}
set -e
after=$(curl -s "http://127.0.0.1:$port/stats" || true)
kill "$writer" 2>/dev/null || true
wait "$writer" 2>/dev/null || true
writer=

kill -TERM "$server"
set +e
wait "$server"
server_status=$?
set -e
server=
docs() { sed -n 's/.*"documents":\([0-9]*\).*/\1/p' <<<"$1"; }
echo "documents in the index: $(docs "$before") before, $(docs "$after") after (seen by the server)"
echo "server stats: $(sed 's/.*"queries"/"queries"/' <<<"$after")"
echo "server exit status on SIGTERM: $server_status"
if [ -s "$work/writer.log" ]; then echo "writer said:"; cat "$work/writer.log"; fi
if grep -qE 'Sanitizer|runtime error' "$work/server.log"; then
	echo "load: sanitizer reports from the server:" >&2
	cat "$work/server.log" >&2
	exit 1
fi
[ "$load_status" -eq 0 ] && [ "$server_status" -eq 0 ]
