#!/usr/bin/env bash
# B7 side by side (issue 11): the scheduler benchmark of REV (default: the commit before issue 11's engine seams) and of
# the working tree, in one sitting, as A/B/A so that drift of a shared machine shows. Usage: bench/compare-b7.sh [REV]
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-59e03bd}"
out="bench/out/compare-b7"
old="$(mktemp -d)"
trap 'git worktree remove --force "$old" >/dev/null 2>&1 || true' EXIT
mkdir -p "$out"
git worktree add -q --detach "$old" "$rev"
for tree in "$old" .; do
  dotnet build "$tree/bench/Flowline.Benchmarks" -c Release -nologo -v quiet >/dev/null
done

run() { # tree label
  dotnet run -c Release --no-build --project "$1/bench/Flowline.Benchmarks" -- --filter '*Scheduler*' \
    --artifacts "$out/$2" >"$out/$2.log" 2>&1
  echo "== $2 ($( [ "$1" = . ] && git rev-parse --short HEAD || echo "$rev"))"
  sed -n '/^| Method/,/^$/p' "$out/$2.log" | cut -d'|' -f2-4,7-
}
run "$old" before-1
run . after
run "$old" before-2
