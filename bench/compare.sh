#!/usr/bin/env bash
# A BenchmarkDotNet filter side by side: REV (default: the commit before issue 11's engine seams) against the working
# tree, in one sitting, as A/B/A so that drift of a shared machine shows.
# Usage: bench/compare.sh [REV] [FILTER]   (FILTER defaults to '*Scheduler*', bar B7; '*Expression*' for issue 19)
# BENCH_ARGS adds BenchmarkDotNet options, e.g. BENCH_ARGS='--iterationCount 20 --warmupCount 5' for a longer job.
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-59e03bd}"
filter="${2:-*Scheduler*}"
out="bench/out/compare"
old="$(mktemp -d)"
trap 'git worktree remove --force "$old" >/dev/null 2>&1 || true' EXIT
mkdir -p "$out"
git worktree add -q --detach "$old" "$rev"
for tree in "$old" .; do
  dotnet build "$tree/bench/Flowline.Benchmarks" -c Release -nologo -v quiet >/dev/null
done

run() { # tree label
  dotnet run -c Release --no-build --project "$1/bench/Flowline.Benchmarks" -- --filter "$filter" \
    --artifacts "$out/$2" ${BENCH_ARGS:-} >"$out/$2.log" 2>&1
  echo "== $2 ($( [ "$1" = . ] && git rev-parse --short HEAD || echo "$rev"))"
  sed -n '/^| Method/,/^$/p' "$out/$2.log"
}
run "$old" before-1
run . after
run "$old" before-2
