#!/usr/bin/env bash
# str.sh — search term reports on the D.C. Code: 500 search strings run as
# one report (dicta-search --terms, every count exact) against the same
# 500 strings searched one by one as a person would (dicta-search -k 10
# 'query', sequentially).  Prints both wall times (median of RUNS runs)
# and their ratio.
#
#   BUILD=build bench/str.sh          (make bench-str does this)
#
# Environment: BUILD (default build), INDEX (an index of the D.C. Code to
# reuse; default $BUILD/str-bench/index, built when missing), CORPUS
# (../shared/corpora/dc-code/dc-code.jsonl.gz), RUNS (default 3), TERMS
# (the strings file; default $BUILD/str-bench/terms.txt).
#
# The 500 strings are drawn from the corpus's words with a fixed seed (see
# generate_terms below: 200 single words, 100 two-word phrases, 100
# "w1 /5 w2", 50 roots "root*", 50 "w1 AND NOT w2"), so the same corpus
# gives the same file; it is generated when missing, outside the
# repository, which holds nothing of the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
corpus=${CORPUS:-../shared/corpora/dc-code/dc-code.jsonl.gz}
index=${INDEX:-$build/str-bench/index}
runs=${RUNS:-3}
terms=${TERMS:-$build/str-bench/terms.txt}

if [ ! -f "$corpus" ]; then
	echo "str: $corpus not found (it is in ../shared/corpora); skipping the benchmark"
	exit 0
fi
[ -x "$build/dicta-search" ] && [ -x "$build/dicta-index" ] ||
	{ echo "str: $build/dicta-search missing: run make first" >&2; exit 2; }

generate_terms() {
	python3 - "$corpus" "$terms" <<'EOF'
import collections, gzip, json, random, re, sys
corpus, out = sys.argv[1], sys.argv[2]
rng = random.Random(20260)
word_re = re.compile(r"[a-z]+")
df = collections.Counter()
bigram_df = collections.Counter()
docs = []
with gzip.open(corpus, "rt", encoding="utf-8") as f:
    for line in f:
        words = word_re.findall(json.loads(line)["text"].lower())
        seen = set(w for w in words if len(w) >= 4)
        df.update(seen)
        bigram_df.update(set(
            (a, b) for a, b in zip(words, words[1:]) if len(a) >= 4 and len(b) >= 4))
        docs.append(sorted(seen))
mid = sorted(w for w, n in df.items() if 50 <= n <= 3000)
midset = set(mid)
phrases = sorted(f"{a} {b}" for (a, b), n in bigram_df.items()
                 if 20 <= n <= 2000 and a in midset and b in midset)
vocab = sorted(df)

def pair():
    # two words of the middle range from one document, so that they meet
    while True:
        d = [w for w in rng.choice(docs) if w in midset]
        if len(d) >= 2:
            a, b = rng.sample(d, 2)
            return a, b

def root():
    # a prefix of a middle-range word shared by 2 to 200 words of the corpus
    while True:
        w = rng.choice(mid)
        if len(w) < 6:
            continue
        p = w[:rng.choice((4, 5, 6))]
        n = sum(1 for v in vocab if v.startswith(p))
        if 2 <= n <= 200:
            return p

strings, seen = [], set()
def add(q):
    if q not in seen:
        seen.add(q)
        strings.append(q)
while len(strings) < 200:
    add(rng.choice(mid))
while len(strings) < 300:
    add('"%s"' % rng.choice(phrases))
while len(strings) < 400:
    add("%s /5 %s" % pair())
while len(strings) < 450:
    add(root() + "*")
while len(strings) < 500:
    add("%s AND NOT %s" % pair())
with open(out, "w") as f:
    f.write("# bench/str.sh: 500 search strings generated from the D.C. Code's words,\n"
            "# seed 20260: single words, phrases, w1 /5 w2, roots, w1 AND NOT w2\n")
    for i, q in enumerate(strings, 1):
        f.write("S%03d\t%s\n" % (i, q))
EOF
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now() { date +%s.%N; }

if ! "$build/dicta-search" --index "$index" --stats >/dev/null 2>&1; then
	echo "== indexing $corpus into $index" >&2
	mkdir -p "$(dirname "$index")"
	"$build/dicta-index" -q --index "$index" "$corpus"
fi
if [ ! -f "$terms" ]; then
	echo "== generating $terms" >&2
	mkdir -p "$(dirname "$terms")"
	generate_terms
fi
n=$(grep -vc '^#' "$terms")
work=$(mktemp -d "${TMPDIR:-/tmp}/dicta-str.XXXXXX")
trap 'rm -rf "$work"' EXIT
grep -v '^#' "$terms" | cut -f2- > "$work/queries"

report=()
for ((r = 1; r <= runs; r++)); do
	t0=$(now)
	status=0
	"$build/dicta-search" --index "$index" --terms "$terms" -f csv -o "$work/str.csv" -q || status=$?
	t1=$(now)
	[ "$status" -le 1 ] || { echo "str: the report failed (status $status)" >&2; exit 1; }
	report+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
done
failed=$(python3 -c 'import csv, sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1], newline="")) if r["error"]))' "$work/str.csv")

single=()
for ((r = 1; r <= runs; r++)); do
	t0=$(now)
	while IFS= read -r q; do
		"$build/dicta-search" --index "$index" -k 10 "$q" >/dev/null 2>&1 || true
	done < "$work/queries"
	t1=$(now)
	single+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
done

tr=$(printf '%s\n' "${report[@]}" | median)
ts=$(printf '%s\n' "${single[@]}" | median)
docs=$("$build/dicta-search" --index "$index" --stats | awk -F'[:,]' '/"documents"/ { gsub(/ /, "", $2); print $2 }')
echo "search term report, $n strings over $docs documents of the D.C. Code (median of $runs runs):"
printf '  one report (exact counts, every match):  %8.2f s   (runs: %s)\n' "$tr" "${report[*]}"
printf '  one by one (dicta-search -k 10, %d runs): %8.2f s   (runs: %s)\n' "$n" "$ts" "${single[*]}"
printf '  ratio one-by-one / report: %.2f\n' "$(awk -v a="$ts" -v b="$tr" 'BEGIN { print a / b }')"
[ "$failed" -eq 0 ] || echo "  note: $failed strings failed to parse (see $terms)"
