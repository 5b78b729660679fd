#!/bin/sh
# Speed benchmark: Lifeguard against gitleaks and trufflehog (when installed)
# on the labeled corpus from ../shared/bench, in the same run.
#
#   bench/speed.sh [SCALE]     (default 34: ~113 MB, 8,579 files)
#
# Environment: CORPUS=DIR reuses a generated corpus; PEERS="gitleaks trufflehog"
# picks peers (empty to skip them); SHARED=path to the shared bench folder.
set -eu
cd "$(dirname "$0")/.."
scale=${1:-34}
shared=${SHARED:-../shared/bench}
out=bench/out
mkdir -p "$out"
corpus=${CORPUS:-$out/corpus-$scale}
if [ ! -d "$corpus/corpus" ]; then
	python3 "$shared/gen_corpus.py" --out "$corpus" --scale "$scale" >/dev/null
fi
dir="$corpus/corpus"
go build -o "$out/lifeguard" ./cmd/lifeguard
bytes=$(find "$dir" -type f -printf "%s\n" | awk "{s+=\$1} END {print s}")
files=$(find "$dir" -type f | wc -l)
echo "corpus: $dir ($files files, $((bytes / 1000000)) MB), $(nproc) cores"

results="$out/speed.tsv"
: >"$results"
python3 bench/measure.py lifeguard "$out/lg.json" -- "$out/lifeguard" scan --format json --no-redact --exit-code 0 "$dir" >>"$results"
for peer in ${PEERS-gitleaks trufflehog}; do
	if ! command -v "$peer" >/dev/null 2>&1; then
		echo "($peer not installed; skipped)"
		continue
	fi
	case $peer in
	gitleaks) python3 bench/measure.py gitleaks "$out/gl.json" -- gitleaks dir "$dir" --report-format json --report-path /dev/stdout --exit-code 0 --no-banner --log-level error >>"$results" ;;
	trufflehog) python3 bench/measure.py trufflehog "$out/th.json" -- trufflehog filesystem "$dir" --json --no-verification --no-update >>"$results" ;;
	esac
done

python3 - "$results" "$bytes" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
size = int(sys.argv[2])
lg = float(rows[0][1])
print(f"\n| tool | wall (s) | MB/s | peak RSS (MiB) | Lifeguard speed-up |")
print("|---|---|---|---|---|")
for name, wall, rss in rows:
    w = float(wall)
    print(f"| {name} | {w:.2f} | {size / 1e6 / w:.1f} | {rss} | {w / lg:.1f}x |")
PY
