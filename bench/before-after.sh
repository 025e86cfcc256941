#!/usr/bin/env bash
# "Not slower for workflows that use none of the new features" (issues 13 and 16): B1 and B7 of an earlier commit
# and of the working tree, side by side in one sitting.
#   B1: chain-1000 `true`, K=2, store on, both builds published the same way (Native AOT, linux-x64), and ninja,
#       in one hyperfine call (the generated workflow uses none of retries, matrix, variables, secrets, cache,
#       reports or traces).
#   B7: the in-process scheduler benchmarks through bench/compare.sh (A/B/A so that drift of the machine shows).
# Usage: bench/before-after.sh REV [--runs N] [--no-b7]
# Results: bench/out/before-after/ (hyperfine JSON, logs); a table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
rev="${1:?usage: bench/before-after.sh REV [--runs N] [--no-b7]}"; shift
RUNS=10
B7=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --no-b7) B7=0 ;;
    *) echo "before-after.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
OUT="$ROOT/bench/out/before-after"
old="$(mktemp -d)"
trap 'git -C "$ROOT" worktree remove --force "$old" >/dev/null 2>&1 || true' EXIT
mkdir -p "$OUT"
git worktree add -q --detach "$old" "$rev"

publish() { # tree dest
  rm -rf "$2"
  dotnet publish "$1/src/Flowline.Cli" -c Release -r linux-x64 -p:PublishAot=true -nologo -v quiet -o "$2" >/dev/null
  [ -x "$2/flowline" ] || { echo "before-after.sh: no native flowline in $2" >&2; exit 1; }
}
publish "$old" "$OUT/before"
publish "$ROOT" "$OUT/after"

wl="$OUT/chain-1000"
rm -rf "$wl"
python3 bench/workloads/generate.py chain --n 1000 --command true --concurrency 2 --out "$wl" >/dev/null
echo "== B1 chain-1000 true, K=2, store on ($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
(cd "$wl" && hyperfine --style basic --warmup 2 --runs "$RUNS" --export-json "$OUT/b1.json" \
  -n "before ($rev)" --prepare "rm -rf .flowline" "$OUT/before/flowline run workflow.yaml --max-concurrency 2 --quiet" \
  -n "after ($(git -C "$ROOT" rev-parse --short HEAD))" --prepare "rm -rf .flowline" "$OUT/after/flowline run workflow.yaml --max-concurrency 2 --quiet" \
  -n ninja --prepare "rm -rf ninja-stamps .ninja_log .ninja_deps" "ninja -j2 --quiet")
python3 - "$OUT/b1.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[-1]["mean"]
for x in r:
    print(f'{x["command"]:<24} mean {x["mean"]:.3f} s ± {x["stddev"]:.3f}  min {x["min"]:.3f}  {x["mean"]/base:.2f}× ninja')
print(f'after / before: {r[1]["mean"]/r[0]["mean"]:.3f}')
EOF
if [ "$B7" = 1 ]; then
  echo "== B7 (bench/compare.sh $rev '*Scheduler*')"
  BENCH_ARGS="${BENCH_ARGS:---iterationCount 20 --warmupCount 5}" bash bench/compare.sh "$rev" '*Scheduler*'
fi
