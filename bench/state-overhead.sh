#!/usr/bin/env bash
# What recording a run costs (issue #6): a 1,000-step workflow of `true` steps, run with the run store
# (`--state-dir`, a fresh SQLite database per measured run) and without it (`--no-state`).
#
# Usage: [FLOWLINE=cmd] [FLOWLINE_BASELINE=cmd] bench/state-overhead.sh [--no-build] [--runs N] [--steps N] [--shape wide|chain]
# Needs hyperfine and python3. Results: a table on stdout and bench/out/state-overhead.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/state-overhead"
RUNS=10
STEPS=1000
SHAPE=wide
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --runs) RUNS="$2"; shift ;;
    --steps) STEPS="$2"; shift ;;
    --shape) SHAPE="$2"; shift ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "state-overhead.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$BUILD" = 1 ]; then
  dotnet build "$ROOT/src/Flowline.Cli" -c Release -v q -nologo >/dev/null
fi
DLL="$ROOT/src/Flowline.Cli/bin/Release/net10.0/flowline.dll"
FLOWLINE="${FLOWLINE:-dotnet $DLL}"

rm -rf "$OUT" && mkdir -p "$OUT"
python3 "$ROOT/bench/workloads/generate.py" "$SHAPE" --n "$STEPS" --command true --out "$OUT/workload" >/dev/null
WORKFLOW="$OUT/workload/workflow.yaml"

# FLOWLINE_BASELINE (another build, e.g. of main) is measured in the same hyperfine call, for a before/after.
baseline=()
if [ -n "${FLOWLINE_BASELINE:-}" ]; then
  baseline=(-n "baseline no-state" "$FLOWLINE_BASELINE run '$WORKFLOW' --quiet --no-state"
            -n "baseline state" "$FLOWLINE_BASELINE run '$WORKFLOW' --quiet --state-dir '$OUT/state'")
fi

hyperfine --runs "$RUNS" --warmup 1 \
  --prepare "rm -rf '$OUT/state'" \
  --export-json "$OUT/../state-overhead.json" \
  -n "no-state" "$FLOWLINE run '$WORKFLOW' --quiet --no-state" \
  -n "state" "$FLOWLINE run '$WORKFLOW' --quiet --state-dir '$OUT/state'" \
  "${baseline[@]}"
