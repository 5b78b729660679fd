#!/usr/bin/env bash
# Accuracy benchmark: builds lifeguard, generates the labeled corpus with the
# shared generator, scans it with lifeguard (and gitleaks when installed) and
# prints recall, precision and false positives side by side, per kind and per
# placement.
#
#   bench/accuracy.sh [--scale N] [--seed S] [--out DIR]
#
# SHARED (default ../shared/bench) holds gen_corpus.py and score.py; OUT
# (default bench/out/accuracy, gitignored) receives the corpus, the reports
# and table.md. Exit status: 0 when the targets are met (recall >= 99.5%,
# >= 98% on every kind, no false positives), 3 when not, 2 on error.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared/bench}
out=$root/bench/out/accuracy
scale=1
seed=20240501
while [ $# -gt 0 ]; do
	case $1 in
	--scale) scale=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) echo "usage: $0 [--scale N] [--seed S] [--out DIR]" >&2; exit 2 ;;
	esac
done
for f in gen_corpus.py score.py; do
	[ -f "$shared/$f" ] || { echo "missing $shared/$f (set SHARED=dir)" >&2; exit 2; }
done
mkdir -p "$out"
lg=$out/lifeguard
(cd "$root" && go build -o "$lg" ./cmd/lifeguard)

python3 "$shared/gen_corpus.py" --out "$out/corpus" --scale "$scale" --seed "$seed"
corpus=$out/corpus

start=$(date +%s%N)
"$lg" scan --format json --no-redact --exit-code 0 "$corpus/corpus" >"$out/lifeguard.json"
lg_ms=$(( ($(date +%s%N) - start) / 1000000 ))
reports=(--report "lifeguard:lifeguard:$out/lifeguard.json")

gl=${GITLEAKS:-$(command -v gitleaks || true)}
[ -z "$gl" ] && [ -x "$HOME/go/bin/gitleaks" ] && gl=$HOME/go/bin/gitleaks
if [ -n "$gl" ]; then
	start=$(date +%s%N)
	"$gl" dir "$corpus/corpus" --report-format json --report-path "$out/gitleaks.json" \
		--exit-code 0 --no-banner --log-level error
	gl_ms=$(( ($(date +%s%N) - start) / 1000000 ))
	reports+=(--report "gitleaks:gitleaks:$out/gitleaks.json")
	echo "scan time: gitleaks ${gl_ms} ms, lifeguard ${lg_ms} ms"
else
	echo "gitleaks not installed (go install github.com/zricethezav/gitleaks/v8@v8.30.1): lifeguard only, ${lg_ms} ms"
fi

python3 "$shared/score.py" --corpus "$corpus" "${reports[@]}" \
	--md-out "$out/table.md" --json-out "$out/results.json"
cat "$out/table.md"

# Targets, and every miss and false positive of lifeguard, for tuning.
python3 - "$out/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["lifeguard"]
ok = True
print("\n### Lifeguard against the targets\n")
rec = r["detected"] / r["labels"]
print("- recall %.1f%% (target >= 99.5%%)" % (100 * rec)); ok &= rec >= 0.995
low = {k: v for k, v in r["by_kind"].items() if v[0] / v[1] < 0.98}
print("- kinds under 98%%: %s" % (", ".join("%s %d/%d" % (k, *v) for k, v in low.items()) or "none")); ok &= not low
print("- false positives: %d (target 0)" % r["fp_findings"]); ok &= r["fp_findings"] == 0
for m in r["missed"]:
    print("  missed %-22s %-26s %s:%s" % (m["kind"], m["placement"], m["file"], m["line"]))
for k, ex in r["fp_examples"].items():
    for e in ex:
        print("  false positive (%s) %s:%s %s" % (k, e["file"], e["line"], ",".join(e["rules"])))
sys.exit(0 if ok else 3)
PY
