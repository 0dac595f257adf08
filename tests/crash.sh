#!/usr/bin/env bash
# crash.sh — kill dicta-index with SIGKILL at random moments while it indexes
# the D.C. Code, re-run it after each kill, and check that the index ends up
# with exactly the documents of the source, none lost and none twice.
#
#   tests/crash.sh [BUILD_DIR] [KILLS]     (defaults: build, 20)
#
# Needs ../shared/corpora/dc-code/dc-code.jsonl.gz; without it, says so and
# exits 0.  A commit every 2,000 documents or 2 seconds makes the kills land
# between, during and after commits.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
kills=${2:-20}
src=../shared/corpora/dc-code/dc-code.jsonl.gz
expect=26629
if [ ! -f "$src" ]; then
	echo "crash: $src not found; skipping the crash test"
	exit 0
fi
[ -x "$build/dicta-index" ] || make -s all BUILDROOT="$build"
work=$(mktemp -d /tmp/dicta-crash.XXXXXX)
trap 'rm -rf "$work"' EXIT
idx=$work/idx
index() { "$build/dicta-index" -q --commit-every 2000 --commit-seconds 2 --index "$idx" "$src"; }

# How long an uninterrupted run takes, to spread the kills over it.
t0=$(date +%s%N)
index
full_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
rm -rf "$idx"
echo "crash: a full run takes ${full_ms} ms; killing $kills times"

# Kill moments: uniform in [100 ms, 100 ms + 2 * full / kills], so the kills
# are spread over the whole job (each re-run first passes over what is done).
RANDOM=2024  # reproducible
window=$(( 2 * full_ms / kills + 1 ))
killed=0
for i in $(seq 1 "$kills"); do
	delay=$(( 100 + RANDOM % window ))
	# The binary itself, not a subshell, so that SIGKILL hits the writer.
	"$build/dicta-index" -q --commit-every 2000 --commit-seconds 2 --index "$idx" "$src" &
	pid=$!
	sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
	if kill -KILL "$pid" 2>/dev/null; then
		killed=$((killed + 1))
		state=killed
	else
		state="finished before the kill"
	fi
	wait "$pid" 2>/dev/null || true
	if kill -0 "$pid" 2>/dev/null; then
		echo "crash: dicta-index $pid still running after SIGKILL" >&2
		exit 1
	fi
	docs=$("$build/dicta-search" --index "$idx" --stats 2>/dev/null | awk -F'[:,]' '/"documents"/ {gsub(/ /, "", $2); print $2}')
	# Every state a kill leaves must be consistent.
	if [ -n "$docs" ] && ! "$build/dicta-index" --index "$idx" --check >/dev/null 2>"$work/check.log"; then
		echo "crash: run $i ($state after ${delay} ms): --check failed:" >&2
		cat "$work/check.log" >&2
		exit 1
	fi
	echo "crash: run $i: $state after ${delay} ms; ${docs:-0} documents committed, consistent"
done
# The run after the last kill completes the job.
index
"$build/dicta-index" --index "$idx" --check
docs=$("$build/dicta-search" --index "$idx" --stats | awk -F'[:,]' '/"documents"/ {gsub(/ /, "", $2); print $2}')
echo "crash: $killed of $kills runs killed; final index: $docs documents (source: $expect)"
if [ "$docs" != "$expect" ]; then
	echo "crash: FAILED: expected $expect documents" >&2
	exit 1
fi
echo "crash: passed"
