#!/usr/bin/env bash
# eval.sh — `make eval`: relevance of dicta on real collections, on their
# *training* judgments, next to a plain Xapian BM25 baseline computed in the
# same run (bench/xapian_baseline.py), both scored by dicta-eval (trec_eval's
# rules, docs/evaluation.md):
#
#   SciFact (BEIR)          5,183 abstracts, the 809 claims of qrels-train.tsv
#   AILA 2019 prior cases   2,914 Indian Supreme Court judgments, Q1-Q10
#   AILA 2019 statutes      197 statutes (Title:/Desc:), Q1-Q10
#
# Both systems index the same documents (AILA's files are first turned into
# JSON Lines by bench/aila_jsonl.py: ids as in the qrels, title, date,
# court) and run the same queries with k = 1000.  dicta runs with its
# defaults; DICTA_EVAL_FLAGS adds options to every dicta batch run, for
# experiments.  Needs ../shared/corpora (CORPORA=...); without it, says so
# and exits 0.  Work files go to $BUILD/eval.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CORPORA=${CORPORA:-../shared/corpora}
AILA=$CORPORA/aila2019
SCIFACT=$CORPORA/scifact
if [ ! -d "$AILA/casedocs" ] || [ ! -f "$SCIFACT/corpus.jsonl" ]; then
	echo "make eval: $CORPORA (AILA 2019 and SciFact) not found: skipping the relevance evaluation"
	exit 0
fi
scripts/install-deps python3-xapian
PY=/usr/bin/python3 # Debian's, which has the xapian module
OUT=$BUILD/eval
BIN=$BUILD
mkdir -p "$OUT"
read -r -a FLAGS <<<"${DICTA_EVAL_FLAGS:-}"

now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{printf "%.1f", $2 - $1}'; }

echo "== preparing documents and queries in $OUT"
$PY bench/aila_jsonl.py casedocs "$AILA/casedocs" >"$OUT/aila-cases.jsonl"
$PY bench/aila_jsonl.py statutes "$AILA/statutes" >"$OUT/aila-statutes.jsonl"
# Only the queries that have judgments: SciFact's training claims, AILA Q1-Q10.
$PY - "$SCIFACT" "$AILA" "$OUT" <<'EOF'
import json, sys
sf, aila, out = sys.argv[1:4]
judged = {l.split("\t")[0] for l in open(f"{sf}/qrels-train.tsv").read().splitlines()[1:] if l}
with open(f"{out}/scifact-train-queries.jsonl", "w") as o:
    for line in open(f"{sf}/queries.jsonl"):
        if json.loads(line)["_id"] in judged:
            o.write(line)
judged = {l.split()[0] for l in open(f"{aila}/qrels-priorcases-train.txt") if l.strip()}
with open(f"{out}/aila-train-queries.txt", "w") as o:
    for line in open(f"{aila}/queries.txt"):
        if line.split("||", 1)[0].strip() in judged:
            o.write(line)
EOF

# name  documents  queries  qrels
COLLECTIONS=(
	"scifact|$SCIFACT/corpus.jsonl|$OUT/scifact-train-queries.jsonl|$SCIFACT/qrels-train.tsv"
	"aila-cases|$OUT/aila-cases.jsonl|$OUT/aila-train-queries.txt|$AILA/qrels-priorcases-train.txt"
	"aila-statutes|$OUT/aila-statutes.jsonl|$OUT/aila-train-queries.txt|$AILA/qrels-statutes-train.txt"
)

for c in "${COLLECTIONS[@]}"; do
	IFS='|' read -r name docs queries qrels <<<"$c"
	echo "== $name: dicta"
	rm -rf "$OUT/$name.idx"
	t0=$(now)
	"$BIN/dicta-index" -q --index "$OUT/$name.idx" "$docs"
	t1=$(now)
	"$BIN/dicta-search" -q --index "$OUT/$name.idx" --batch "$queries" -k 1000 \
		--run-tag dicta ${FLAGS[@]+"${FLAGS[@]}"} -o "$OUT/$name.dicta.trec"
	t2=$(now)
	echo "$(secs "$t0" "$t1") $(secs "$t1" "$t2")" >"$OUT/$name.dicta.time"
	"$BIN/dicta-eval" -f json "$qrels" "$OUT/$name.dicta.trec" >"$OUT/$name.dicta.json" 2>/dev/null
	echo "== $name: plain Xapian"
	$PY bench/xapian_baseline.py --docs "$docs" --queries "$queries" --db "$OUT/$name.xapian" \
		--run "$OUT/$name.xapian.trec" -k 1000 2>"$OUT/$name.xapian.log"
	cat "$OUT/$name.xapian.log"
	"$BIN/dicta-eval" -f json "$qrels" "$OUT/$name.xapian.trec" >"$OUT/$name.xapian.json" 2>/dev/null
done

echo
$PY - "$OUT" <<'EOF'
import json, sys
out = sys.argv[1]
rows = [("scifact", "SciFact, train claims"), ("aila-cases", "AILA 2019 prior cases"),
        ("aila-statutes", "AILA 2019 statutes")]
measures = [("map", "MAP"), ("P_10", "P@10"), ("ndcg_cut_10", "nDCG@10"),
            ("recall_100", "R@100"), ("recip_rank", "MRR")]
res = {(n, s): json.load(open(f"{out}/{n}.{s}.json")) for n, _ in rows for s in ("xapian", "dicta")}
print("Relevance on the training judgments (dicta-eval, trec_eval's rules; k = 1000)")
print("Xapian = plain Xapian 1.4 BM25 (TermGenerator + QueryParser, English stemming, whole documents)")
print()
head = "%-24s %7s" % ("collection", "queries")
for _, label in measures:
    head += "  %-15s" % label
print(head)
sub = "%-24s %7s" % ("", "")
for _ in measures:
    sub += "  %-7s %-7s" % ("Xapian", "dicta")
print(sub)
for n, label in rows:
    x, d = res[(n, "xapian")], res[(n, "dicta")]
    line = "%-24s %7d" % (label, d["num_q"])
    for m, _ in measures:
        line += "  %-7.4f %-7.4f" % (x["all"][m], d["all"][m])
    print(line)
print()
def ratio(n, m):
    x, d = res[(n, "xapian")]["all"][m], res[(n, "dicta")]["all"][m]
    return d / x if x else float("inf")
sf = res[("scifact", "dicta")]["all"]["ndcg_cut_10"]
print("targets: SciFact nDCG@10 %.4f (>= 0.70: %s); AILA prior cases MAP %.2f x Xapian "
      "(>= 1.5: %s); AILA statutes MAP %.2f x Xapian (> 1: %s)" % (
          sf, "met" if sf >= 0.70 else "NOT met",
          ratio("aila-cases", "map"), "met" if ratio("aila-cases", "map") >= 1.5 else "NOT met",
          ratio("aila-statutes", "map"), "met" if ratio("aila-statutes", "map") > 1 else "NOT met"))
for n, label in rows:
    i, s = open(f"{out}/{n}.dicta.time").read().split()
    print("dicta %-24s indexed in %5s s, queries in %5s s" % (label + ":", i, s))
EOF
