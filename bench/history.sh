#!/bin/sh
# History benchmark: `lifeguard history` against `gitleaks git` and
# `trufflehog git` (when installed) on the git history that
# ../shared/bench/make_git_repo.py builds from the scale-4 corpus, in one run;
# then `lifeguard staged` against `gitleaks git --pre-commit --staged` on a
# 10-file change in a 10,000-file repository (medians).
#
#   bench/history.sh [COMMITS...]     (default: 500 2000)
#
# Environment: PEERS="gitleaks trufflehog" picks peers (empty skips them);
# SHARED=path to the shared bench folder; RUNS=staged runs (default 7).
# Prints wall time, peak RSS, Lifeguard's speed-up and recall (score.py --git-mode).
set -eu
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared/bench}
out=bench/out/history
mkdir -p "$out"
corpus=$out/corpus-4
if [ ! -d "$corpus/corpus" ]; then
	python3 "$shared/gen_corpus.py" --out "$corpus" --scale 4 >/dev/null
fi
go build -o "$out/lifeguard" ./cmd/lifeguard
lg=$(pwd)/$out/lifeguard
echo "$(nproc) cores; git $(git --version | cut -d' ' -f3)"

table() { # results.tsv
	python3 - "$1" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
lg = float(rows[0][1])
print("| tool | wall (s) | peak RSS (MiB) | Lifeguard speed-up | recall |")
print("|---|---|---|---|---|")
for name, wall, rss, recall in rows:
    w = float(wall)
    print(f"| {name} | {w:.2f} | {rss} | {w / lg:.1f}x | {recall} |")
PY
}

recall() { # name format report -> recall from score.py --git-mode
	python3 "$shared/score.py" --corpus "$corpus" --git-mode --report "$1:$2:$3" --json-out "$3.score.json" >/dev/null 2>&1 &&
		python3 -c 'import json,sys; print("%.1f%%" % (100 * json.load(open(sys.argv[1]))[sys.argv[2]]["recall"]))' "$3.score.json" "$1" ||
		echo "?"
}

for commits in ${@:-500 2000}; do
	repo=$out/repo-$commits
	if [ ! -d "$repo/.git" ]; then
		python3 "$shared/make_git_repo.py" --corpus "$corpus" --repo "$repo" --commits "$commits" >/dev/null
	fi
	patch=$(git -C "$repo" log -p --all --no-color | wc -c)
	echo
	echo "## $commits commits ($((patch / 1000000)) MB of patches)"
	res=$out/history-$commits.tsv
	: >"$res"
	m=$(python3 bench/measure.py lifeguard "$out/lg-$commits.json" -- "$lg" history "$repo" --format json --no-redact --exit-code 0)
	printf '%s\t%s\n' "$m" "$(recall lifeguard lifeguard "$out/lg-$commits.json")" >>"$res"
	for peer in ${PEERS-gitleaks trufflehog}; do
		if ! command -v "$peer" >/dev/null 2>&1; then
			echo "($peer not installed; skipped)"
			continue
		fi
		case $peer in
		gitleaks)
			m=$(python3 bench/measure.py gitleaks "$out/gl-stdout.txt" -- gitleaks git "$repo" --report-format json --report-path "$out/gl-$commits.json" --exit-code 0 --no-banner --log-level error)
			printf '%s\t%s\n' "$m" "$(recall gitleaks gitleaks "$out/gl-$commits.json")" >>"$res" ;;
		trufflehog)
			m=$(python3 bench/measure.py trufflehog "$out/th-$commits.json" -- trufflehog git "file://$(cd "$repo" && pwd)" --json --no-verification --no-update)
			printf '%s\t%s\n' "$m" "$(recall trufflehog trufflehog "$out/th-$commits.json")" >>"$res" ;;
		esac
	done
	table "$res"
done

# Staged: a 10-file change in a 10,000-file repository.
big=$out/staged-10k
if [ ! -d "$big/.git" ]; then
	rm -rf "$big"
	mkdir -p "$big"
	git -C "$big" init -q -b main
	python3 - "$big" <<'PY'
import os, sys
root = sys.argv[1]
for i in range(10000):
    d = os.path.join(root, "pkg%03d" % (i // 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "mod%05d.py" % i), "w") as f:
        f.write("".join("def f%d_%d(x):\n    return x * %d\n" % (i, j, j) for j in range(20)))
PY
	git -C "$big" add -A
	GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@example.invalid GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@example.invalid \
		git -C "$big" commit -q -m base
fi
for i in 0 1 2 3 4 5 6 7 8 9; do
	printf 'def g():\n    return "%s"\n' "$i" >>"$big/pkg0${i}0/mod0${i}000.py"
done
git -C "$big" add -A
echo
echo "## staged: 10 changed files in a 10,000-file repository (median of ${RUNS:-7})"
median() { # name cmd...
	name=$1
	shift
	python3 - "$name" "$@" <<'PY'
import os, statistics, subprocess, sys, time
name, cmd = sys.argv[1], sys.argv[2:]
runs = int(os.environ.get("RUNS", "7"))
ts = []
for _ in range(runs):
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ts.append(time.monotonic() - t)
print(f"| {name} | {statistics.median(ts) * 1000:.0f} ms |")
PY
}
echo "| tool | median |"
echo "|---|---|"
(cd "$big" && median "lifeguard staged" "$lg" staged)
if command -v gitleaks >/dev/null 2>&1 && [ -n "${PEERS-gitleaks}" ]; then
	(cd "$big" && median "gitleaks git --pre-commit --staged" gitleaks git --pre-commit --staged --no-banner --log-level error --exit-code 0 .)
fi
git -C "$big" reset -q --hard
